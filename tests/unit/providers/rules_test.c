/*
 * The rules of customer choice and orders (src/providers/rules.c, issue 4): organisation
 * numbers of legal persons (published numbers of Skatteverket, Stockholms stad and Volvo), the
 * provider's answer deadline over weekends and holidays, the order states, the 90-day access
 * window and the webhook backoff; the addresses a webhook may not reach (SSRF).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <stdbool.h>

#include "base/calendar.h"
#include "providers/rules.h"

static int32_t
D(const char *s)
{
	int32_t d = 0;
	assert_int_equal(cal_parse(s, &d), 0);
	return d;
}

static void
org_numbers(void **state)
{
	(void)state;
	char out[12];
	assert_int_equal(providers_org_nr_parse("202100-5448", out), ORG_OK);
	assert_string_equal(out, "202100-5448");
	assert_int_equal(providers_org_nr_parse("2120000142", out), ORG_OK);
	assert_string_equal(out, "212000-0142");
	assert_int_equal(providers_org_nr_parse("556012-5790", out), ORG_OK);
	/* A wrong check digit, and the forms that are not ten digits. */
	assert_int_equal(providers_org_nr_parse("556012-5791", out), ORG_CHECK_DIGIT);
	assert_int_equal(providers_org_nr_parse("55601257", out), ORG_FORMAT);
	assert_int_equal(providers_org_nr_parse("5560-125790", out), ORG_FORMAT);
	assert_int_equal(providers_org_nr_parse("556012+5790", out), ORG_FORMAT);
	assert_int_equal(providers_org_nr_parse("16556012-5790", out), ORG_FORMAT);
	assert_int_equal(providers_org_nr_parse("55601a5790", out), ORG_FORMAT);
	assert_int_equal(providers_org_nr_parse(NULL, out), ORG_FORMAT);
	/* 811218-9876 is a personnummer (month 12 gives third digit 1): not a legal person. */
	assert_int_equal(providers_org_nr_parse("811218-9876", out), ORG_NOT_LEGAL);
	assert_string_not_equal(providers_org_fault_message(ORG_NOT_LEGAL), "");
}

static void
answer_deadline(void **state)
{
	(void)state;
	/* Monday → Wednesday. */
	assert_int_equal(providers_answer_due(D("2026-03-02")), D("2026-03-04"));
	/* Friday → Tuesday. */
	assert_int_equal(providers_answer_due(D("2026-03-06")), D("2026-03-10"));
	/* Saturday → Tuesday (Monday and Tuesday are the two working days). */
	assert_int_equal(providers_answer_due(D("2026-03-07")), D("2026-03-10"));
	/* Maundy Thursday 2026-04-02: Good Friday to Easter Monday do not count → 7 and 8 April. */
	assert_int_equal(providers_answer_due(D("2026-04-02")), D("2026-04-08"));
	/* 2026-12-23: Christmas eve, Christmas, Boxing day and the weekend → 28 and 29 December. */
	assert_int_equal(providers_answer_due(D("2026-12-23")), D("2026-12-29"));
	assert_true(providers_overdue("sent", D("2026-03-04"), D("2026-03-05")));
	assert_false(providers_overdue("sent", D("2026-03-04"), D("2026-03-04")));
	assert_false(providers_overdue("accepted", D("2026-03-04"), D("2026-03-10")));
}

static void
states_and_windows(void **state)
{
	(void)state;
	assert_true(providers_transition_ok("sent", "accepted"));
	assert_true(providers_transition_ok("sent", "declined"));
	assert_true(providers_transition_ok("sent", "withdrawn"));
	assert_true(providers_transition_ok("accepted", "ended"));
	assert_false(providers_transition_ok("declined", "accepted"));
	assert_false(providers_transition_ok("ended", "accepted"));
	assert_false(providers_transition_ok("accepted", "declined"));
	assert_false(providers_transition_ok("sent", "ended"));
	assert_int_equal(providers_access_cutoff(D("2026-04-01")), D("2026-01-01"));
	assert_int_equal(providers_backoff(1, 30), 30);
	assert_int_equal(providers_backoff(2, 30), 60);
	assert_int_equal(providers_backoff(4, 30), 240);
	assert_int_equal(providers_backoff(20, 30), 3600);
	assert_int_equal(providers_backoff(1, 0), 1);
	assert_true(providers_time_of_day_ok("weekend"));
	assert_false(providers_time_of_day_ok("Weekend"));
	assert_false(providers_time_of_day_ok(NULL));
}

/* review 2026-11: finding 7, an order given an end date by a change of provider stays accepted
 * until its last day and is ended the day after. */
static void
order_state_by_date(void **state)
{
	(void)state;
	assert_string_equal(providers_order_state_on("ended", "2026-12-31", "2026-12-30"),
	                    "accepted");
	assert_string_equal(providers_order_state_on("ended", "2026-12-31", "2026-12-31"),
	                    "accepted");
	assert_string_equal(providers_order_state_on("ended", "2026-12-31", "2027-01-01"), "ended");
	assert_string_equal(providers_order_state_on("ended", "", "2026-12-30"), "ended");
	assert_string_equal(providers_order_state_on("accepted", "2026-12-31", "2027-01-01"),
	                    "accepted");
	assert_string_equal(providers_order_state_on("sent", "2026-12-31", "2026-12-30"), "sent");
	assert_string_equal(providers_order_state_on("withdrawn", "2026-12-31", "2026-12-30"),
	                    "withdrawn");
}

/* Whether the textual address is one a webhook may reach. */
static bool public(const char *text)
{
	unsigned char a[16];
	if (inet_pton(AF_INET, text, a) == 1)
		return providers_addr_public(4, a);
	assert_int_equal(inet_pton(AF_INET6, text, a), 1);
	return providers_addr_public(6, a);
}

static void
webhook_addresses(void **state)
{
	(void)state;
	static const char *const refused[] = {
	    "127.0.0.1",
	    "127.255.255.254",
	    "0.0.0.0",
	    "0.1.2.3",
	    "10.0.0.1",
	    "10.255.255.255",
	    "172.16.0.1",
	    "172.31.255.255",
	    "192.168.1.1",
	    "169.254.169.254",
	    "100.64.0.1",
	    "100.127.255.255",
	    "224.0.0.1",
	    "255.255.255.255",
	    "240.0.0.1",
	    "192.0.0.8",
	    "198.18.0.1",
	    "::",
	    "::1",
	    "fe80::1",
	    "febf::1",
	    "fc00::1",
	    "fd12:3456::1",
	    "ff02::1",
	    "::ffff:127.0.0.1",
	    "::ffff:10.0.0.1",
	    "::ffff:169.254.169.254",
	    "64:ff9b::a00:1",
	    "::127.0.0.1",
	    "fec0::1",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		if (public(refused[i]))
			fail_msg("%s should be refused", refused[i]);
	static const char *const allowed[] = {
	    "93.184.215.14",     "8.8.8.8",
	    "172.15.255.255",    "172.32.0.1",
	    "100.63.255.255",    "100.128.0.1",
	    "169.253.1.1",       "11.0.0.1",
	    "126.255.255.255",   "128.0.0.1",
	    "223.255.255.255",   "2001:db8::1",
	    "2a00:1450:4001::1", "::ffff:93.184.215.14",
	    "64:ff9b::808:808",
	};
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		if (!public(allowed[i]))
			fail_msg("%s should be allowed", allowed[i]);
	unsigned char a[16] = {0};
	assert_false(providers_addr_public(5, a));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(org_numbers),         cmocka_unit_test(answer_deadline),
	    cmocka_unit_test(states_and_windows),  cmocka_unit_test(webhook_addresses),
	    cmocka_unit_test(order_state_by_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
