/*
 * The pure rules of secure messages (messages.h): names of the sides, the checks of a subject
 * and a body, which side a user acts for in a thread, the parties of a new thread, and which
 * sides have read a message. No I/O; unit-tested in tests/unit/messages/rules_test.c.
 */
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "files/files.h"
#include "messages.h"

const char *
messages_party_name(enum msg_party p)
{
	switch (p) {
	case MSG_MUNICIPALITY:
		return "municipality";
	case MSG_CITIZEN:
		return "citizen";
	case MSG_PROVIDER:
		return "provider";
	case MSG_NONE:
		break;
	}
	return "";
}

enum msg_party
messages_party_parse(const char *name)
{
	if (!name)
		return MSG_NONE;
	for (enum msg_party p = MSG_MUNICIPALITY; p <= MSG_PROVIDER; p++)
		if (strcmp(name, messages_party_name(p)) == 0)
			return p;
	return MSG_NONE;
}

const char *
messages_party_title(enum msg_party p)
{
	switch (p) {
	case MSG_MUNICIPALITY:
		return "Kommunen";
	case MSG_CITIZEN:
		return "Den enskilde";
	case MSG_PROVIDER:
		return "Utförare";
	case MSG_NONE:
		break;
	}
	return "";
}

enum msg_text
messages_text_check(const char *s, size_t max_chars, bool multiline)
{
	if (!s)
		return MSG_TEXT_EMPTY;
	size_t len = strlen(s);
	if (!files_utf8_ok(s, len))
		return MSG_TEXT_BAD;
	size_t chars = 0;
	bool blank = true;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
		if (c < 0x20 && !(multiline && space) && c != ' ')
			return MSG_TEXT_BAD;
		if (c == 0x7F)
			return MSG_TEXT_BAD;
		/* C1 control characters U+0080..U+009F are C2 80..C2 9F. */
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] <= 0x9F)
			return MSG_TEXT_BAD;
		if ((c & 0xC0) != 0x80)
			chars++;
		if (!space)
			blank = false;
	}
	if (blank)
		return MSG_TEXT_EMPTY;
	if (chars > max_chars)
		return MSG_TEXT_LONG;
	return MSG_TEXT_OK;
}

bool
messages_takes_part(const struct msg_thread *t, const struct msg_actor *a)
{
	switch (a->party) {
	case MSG_MUNICIPALITY:
		return t->municipality;
	case MSG_CITIZEN:
		return t->citizen;
	case MSG_PROVIDER:
		for (int i = 0; i < t->nproviders; i++)
			if (a->provider_id != 0 && t->providers[i] == a->provider_id)
				return true;
		return false;
	case MSG_NONE:
		break;
	}
	return false;
}

struct msg_actor
messages_party_for(unsigned roles, int64_t provider_id, bool citizen_ok, const struct msg_thread *t)
{
	const unsigned staff = ROLE_ADMIN | ROLE_CASEWORKER | ROLE_UNIT_MANAGER | ROLE_FEE_ADMIN;
	struct msg_actor a = {MSG_NONE, 0};
	if ((roles & staff) && t->municipality) {
		a.party = MSG_MUNICIPALITY;
		return a;
	}
	if (citizen_ok && t->citizen) {
		a.party = MSG_CITIZEN;
		return a;
	}
	if ((roles & (ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF)) && provider_id != 0) {
		struct msg_actor p = {MSG_PROVIDER, provider_id};
		if (messages_takes_part(t, &p))
			return p;
	}
	return a;
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

enum msg_parties
messages_parties_settle(struct msg_thread *t, const struct msg_actor *creator)
{
	if (t->nproviders > MSG_MAX_PROVIDERS)
		return MSG_PARTIES_TOO_MANY;
	qsort(t->providers, (size_t)t->nproviders, sizeof t->providers[0], cmp_id);
	for (int i = 1; i < t->nproviders; i++)
		if (t->providers[i] == t->providers[i - 1])
			return MSG_PARTIES_DUPLICATE;
	int others = 0;
	if (creator->party != MSG_MUNICIPALITY && t->municipality)
		others++;
	if (creator->party != MSG_CITIZEN && t->citizen)
		others++;
	for (int i = 0; i < t->nproviders; i++)
		if (!(creator->party == MSG_PROVIDER && t->providers[i] == creator->provider_id))
			others++;
	if (others == 0)
		return MSG_PARTIES_ALONE;
	switch (creator->party) {
	case MSG_MUNICIPALITY:
		t->municipality = true;
		break;
	case MSG_CITIZEN:
		t->citizen = true;
		break;
	case MSG_PROVIDER:
		if (!messages_takes_part(t, creator)) {
			if (t->nproviders >= MSG_MAX_PROVIDERS)
				return MSG_PARTIES_TOO_MANY;
			t->providers[t->nproviders++] = creator->provider_id;
			qsort(t->providers, (size_t)t->nproviders, sizeof t->providers[0], cmp_id);
		}
		break;
	case MSG_NONE:
		return MSG_PARTIES_ALONE;
	}
	return MSG_PARTIES_OK;
}

static bool
same_side(const struct msg_actor *a, const struct msg_actor *b)
{
	return a->party == b->party &&
	       (a->party != MSG_PROVIDER || a->provider_id == b->provider_id);
}

int
messages_read_by(const struct msg *m, const struct msg_read *reads, int n, struct msg_actor *out,
                 int max)
{
	/* The candidate sides in output order: municipality, citizen, then providers by id. */
	int k = 0;
	for (enum msg_party p = MSG_MUNICIPALITY; p <= MSG_CITIZEN; p++) {
		struct msg_actor side = {p, 0};
		if (same_side(&side, &m->as))
			continue;
		for (int i = 0; i < n; i++) {
			if (reads[i].as.party == p && reads[i].user_id != m->author_id &&
			    reads[i].last_read_id >= m->id) {
				if (k < max)
					out[k] = side;
				k++;
				break;
			}
		}
	}
	/* Providers: each distinct provider that read it, ascending. */
	int64_t last = 0;
	for (;;) {
		int64_t next = 0;
		for (int i = 0; i < n; i++) {
			const struct msg_read *r = &reads[i];
			if (r->as.party != MSG_PROVIDER || r->as.provider_id <= last ||
			    r->user_id == m->author_id || r->last_read_id < m->id ||
			    same_side(&r->as, &m->as))
				continue;
			if (next == 0 || r->as.provider_id < next)
				next = r->as.provider_id;
		}
		if (next == 0)
			break;
		if (k < max)
			out[k] = (struct msg_actor){MSG_PROVIDER, next};
		k++;
		last = next;
	}
	return k < max ? k : max;
}
