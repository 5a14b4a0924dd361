/*
 * The rules of secure messages (src/messages/rules.c, issue 4 item 5): subject and body
 * limits counted in characters, not bytes; which side a user acts for in a thread; the
 * parties of a new thread; and which sides have read a message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "auth/auth.h"
#include "messages/messages.h"

/* n copies of the UTF-8 text unit, NUL-terminated. Caller frees. */
static char *
repeat(const char *unit, size_t n)
{
	size_t k = strlen(unit);
	char *s = malloc(k * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * k, unit, k);
	s[k * n] = '\0';
	return s;
}

static void
text_limits(void **state)
{
	(void)state;
	assert_int_equal(messages_text_check("Hej!\nNär passar det?", 10000, true), MSG_TEXT_OK);
	assert_int_equal(messages_text_check("", 10000, true), MSG_TEXT_EMPTY);
	assert_int_equal(messages_text_check(NULL, 10000, true), MSG_TEXT_EMPTY);
	assert_int_equal(messages_text_check(" \n\t\r\n ", 10000, true), MSG_TEXT_EMPTY);
	/* 10,000 characters of 'å' are 20,000 bytes and allowed; one more is not. */
	char *max = repeat("å", 10000), *over = repeat("å", 10001);
	assert_int_equal(messages_text_check(max, MSG_BODY_MAX_CHARS, true), MSG_TEXT_OK);
	assert_int_equal(messages_text_check(over, MSG_BODY_MAX_CHARS, true), MSG_TEXT_LONG);
	free(max);
	free(over);
	/* Four-byte characters count once. */
	char *emoji = repeat("\xF0\x9F\x98\x80", 200);
	assert_int_equal(messages_text_check(emoji, MSG_SUBJECT_MAX_CHARS, false), MSG_TEXT_OK);
	free(emoji);
	/* A subject is one line. */
	assert_int_equal(messages_text_check("a\nb", 200, false), MSG_TEXT_BAD);
	assert_int_equal(messages_text_check("a\tb", 200, false), MSG_TEXT_BAD);
	assert_int_equal(messages_text_check("a\tb\nc", 200, true), MSG_TEXT_OK);
	/* Control characters, C1 controls, invalid UTF-8, overlong forms. */
	assert_int_equal(messages_text_check("a\x07", 200, true), MSG_TEXT_BAD);
	assert_int_equal(messages_text_check("a\x7F", 200, true), MSG_TEXT_BAD);
	assert_int_equal(messages_text_check("a\xC2\x85", 200, true), MSG_TEXT_BAD);
	assert_int_equal(messages_text_check("a\xC3\x28", 200, true), MSG_TEXT_BAD);
	assert_int_equal(messages_text_check("\xC0\xAF", 200, true), MSG_TEXT_BAD);
	assert_int_equal(messages_text_check("\xC2\xA0x", 200, true), MSG_TEXT_OK);
}

static void
party_names(void **state)
{
	(void)state;
	for (enum msg_party p = MSG_MUNICIPALITY; p <= MSG_PROVIDER; p++)
		assert_int_equal(messages_party_parse(messages_party_name(p)), p);
	assert_int_equal(messages_party_parse("Citizen"), MSG_NONE);
	assert_int_equal(messages_party_parse(NULL), MSG_NONE);
	assert_string_equal(messages_party_title(MSG_CITIZEN), "Den enskilde");
}

static void
party_for(void **state)
{
	(void)state;
	struct msg_thread t = {
	    .municipality = true, .citizen = true, .providers = {4, 7}, .nproviders = 2};
	struct msg_actor a;
	a = messages_party_for(ROLE_CASEWORKER, 0, false, &t);
	assert_int_equal(a.party, MSG_MUNICIPALITY);
	a = messages_party_for(ROLE_FEE_ADMIN, 0, false, &t);
	assert_int_equal(a.party, MSG_MUNICIPALITY);
	a = messages_party_for(ROLE_CITIZEN, 0, true, &t);
	assert_int_equal(a.party, MSG_CITIZEN);
	/* A citizen role without the person (another person's thread) is no party. */
	a = messages_party_for(ROLE_CITIZEN, 0, false, &t);
	assert_int_equal(a.party, MSG_NONE);
	a = messages_party_for(ROLE_PROVIDER_STAFF, 7, false, &t);
	assert_int_equal(a.party, MSG_PROVIDER);
	assert_int_equal(a.provider_id, 7);
	/* Provider A is no party of provider B's thread. */
	a = messages_party_for(ROLE_PROVIDER_ADMIN, 5, false, &t);
	assert_int_equal(a.party, MSG_NONE);
	/* Finance and auditors are never a side. */
	a = messages_party_for(ROLE_FINANCE | ROLE_AUDITOR, 0, false, &t);
	assert_int_equal(a.party, MSG_NONE);
	/* A thread between the municipality and a provider: the citizen is not in it. */
	struct msg_thread coord = {.municipality = true, .providers = {4}, .nproviders = 1};
	assert_int_equal(messages_party_for(ROLE_CITIZEN, 0, true, &coord).party, MSG_NONE);
	assert_int_equal(messages_party_for(ROLE_REPRESENTATIVE, 0, true, &coord).party, MSG_NONE);
	assert_int_equal(messages_party_for(ROLE_PROVIDER_STAFF, 4, false, &coord).party,
	                 MSG_PROVIDER);
	/* Staff in a thread without the municipality: no side, unless also the person. */
	struct msg_thread prov = {.citizen = true, .providers = {4}, .nproviders = 1};
	assert_int_equal(messages_party_for(ROLE_CASEWORKER, 0, false, &prov).party, MSG_NONE);
	assert_int_equal(
	    messages_party_for(ROLE_CASEWORKER | ROLE_REPRESENTATIVE, 0, true, &prov).party,
	    MSG_CITIZEN);
	/* A provider id of 0 never matches. */
	struct msg_thread zero = {.providers = {0}, .nproviders = 1};
	assert_int_equal(messages_party_for(ROLE_PROVIDER_STAFF, 0, false, &zero).party, MSG_NONE);
}

static void
parties_settle(void **state)
{
	(void)state;
	struct msg_actor staff = {MSG_MUNICIPALITY, 0}, citizen = {MSG_CITIZEN, 0},
	                 prov = {MSG_PROVIDER, 9};
	struct msg_thread t = {.citizen = true};
	assert_int_equal(messages_parties_settle(&t, &staff), MSG_PARTIES_OK);
	assert_true(t.municipality && t.citizen);
	/* Only oneself: refused. */
	struct msg_thread alone = {.citizen = true};
	assert_int_equal(messages_parties_settle(&alone, &citizen), MSG_PARTIES_ALONE);
	struct msg_thread alone2 = {.providers = {9}, .nproviders = 1};
	assert_int_equal(messages_parties_settle(&alone2, &prov), MSG_PARTIES_ALONE);
	/* A provider writes to another provider: both in, sorted. */
	struct msg_thread pp = {.providers = {12}, .nproviders = 1};
	assert_int_equal(messages_parties_settle(&pp, &prov), MSG_PARTIES_OK);
	assert_int_equal(pp.nproviders, 2);
	assert_int_equal(pp.providers[0], 9);
	assert_int_equal(pp.providers[1], 12);
	assert_false(pp.municipality);
	struct msg_thread dup = {.citizen = true, .providers = {3, 5, 3}, .nproviders = 3};
	assert_int_equal(messages_parties_settle(&dup, &staff), MSG_PARTIES_DUPLICATE);
	struct msg_thread many = {.providers = {1, 2, 3, 4, 5, 6, 7, 8}, .nproviders = 8};
	assert_int_equal(messages_parties_settle(&many, &staff), MSG_PARTIES_OK);
	/* Eight others plus the writing provider make nine: too many. */
	struct msg_thread full = {.providers = {1, 2, 3, 4, 5, 6, 7, 8}, .nproviders = 8};
	assert_int_equal(messages_parties_settle(&full, &prov), MSG_PARTIES_TOO_MANY);
}

static void
read_by(void **state)
{
	(void)state;
	/* User 10 a caseworker, 11 another caseworker, 20 the citizen, 30 provider 4, 31
	 * provider 6. */
	struct msg_read reads[] = {
	    {10, {MSG_MUNICIPALITY, 0}, 105, 0}, {11, {MSG_MUNICIPALITY, 0}, 101, 0},
	    {20, {MSG_CITIZEN, 0}, 102, 0},      {30, {MSG_PROVIDER, 4}, 105, 0},
	    {31, {MSG_PROVIDER, 6}, 100, 0},
	};
	int n = (int)(sizeof reads / sizeof reads[0]);
	struct msg_actor out[10];
	/* The caseworker's message 101: read by the citizen and provider 4; the other caseworker
	 * is the municipality's own side; provider 6 stopped at 100. */
	struct msg m = {.id = 101, .author_id = 10, .as = {MSG_MUNICIPALITY, 0}};
	int k = messages_read_by(&m, reads, n, out, 10);
	assert_int_equal(k, 2);
	assert_int_equal(out[0].party, MSG_CITIZEN);
	assert_int_equal(out[1].party, MSG_PROVIDER);
	assert_int_equal(out[1].provider_id, 4);
	/* The citizen's message 103: the municipality (user 10 at 105) and provider 4. */
	struct msg c = {.id = 103, .author_id = 20, .as = {MSG_CITIZEN, 0}};
	k = messages_read_by(&c, reads, n, out, 10);
	assert_int_equal(k, 2);
	assert_int_equal(out[0].party, MSG_MUNICIPALITY);
	assert_int_equal(out[1].provider_id, 4);
	/* Provider 4's message 100: every other side, provider 6 too, and not itself. */
	struct msg p = {.id = 100, .author_id = 30, .as = {MSG_PROVIDER, 4}};
	k = messages_read_by(&p, reads, n, out, 10);
	assert_int_equal(k, 3);
	assert_int_equal(out[0].party, MSG_MUNICIPALITY);
	assert_int_equal(out[1].party, MSG_CITIZEN);
	assert_int_equal(out[2].provider_id, 6);
	/* Nothing read yet past 106. */
	struct msg late = {.id = 106, .author_id = 20, .as = {MSG_CITIZEN, 0}};
	assert_int_equal(messages_read_by(&late, reads, n, out, 10), 0);
	/* max bounds what is written. */
	assert_int_equal(messages_read_by(&p, reads, n, out, 1), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(text_limits), cmocka_unit_test(party_names),
	    cmocka_unit_test(party_for),   cmocka_unit_test(parties_settle),
	    cmocka_unit_test(read_by),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
