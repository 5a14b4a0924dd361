/*
 * JSON routes of secure messages (docs/openapi.yaml, Messages): start a thread on a case, the
 * threads of a case and of the user, one thread with its messages (which marks it read), a
 * reply, a read mark, and the unread counts. Every route that shows or changes a thread loads
 * it through messages__thread_or_fail (auth_person_access and the party check), so a stranger
 * gets 404; reads are audited before the answer, writes in their own transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/err.h"
#include "base/json.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "auth/auth.h"
#include "base/xalloc.h"
#include "cases/cases.h"
#include "db/db.h"
#include "http/http.h"
#include "messages.h"
#include "messages_api.h"
#include "messages_private.h"

#define THREAD_MESSAGES_MAX 1000 /* messages shown of one thread */
#define READS_MAX 200            /* read marks considered for the receipts */
#define INBOX_MAX 200            /* threads of the user's list */

static void
actor_json(struct strbuf *sb, const struct msg_actor *a)
{
	sb_adds(sb, "{\"party\":");
	json_str(sb, messages_party_name(a->party));
	if (a->party == MSG_PROVIDER)
		sb_addf(sb, ",\"provider_id\":%lld", (long long)a->provider_id);
	sb_addc(sb, '}');
}

static void
thread_json(struct strbuf *sb, const struct msg_thread *t)
{
	sb_addf(sb,
	        "{\"id\":%lld,\"case_id\":%lld,\"person_id\":%lld,\"subject\":", (long long)t->id,
	        (long long)t->case_id, (long long)t->person_id);
	json_str(sb, t->subject);
	sb_adds(sb, ",\"parties\":[");
	bool first = true;
	if (t->municipality) {
		actor_json(sb, &(struct msg_actor){MSG_MUNICIPALITY, 0});
		first = false;
	}
	if (t->citizen) {
		if (!first)
			sb_addc(sb, ',');
		actor_json(sb, &(struct msg_actor){MSG_CITIZEN, 0});
		first = false;
	}
	for (int i = 0; i < t->nproviders; i++) {
		if (!first)
			sb_addc(sb, ',');
		actor_json(sb, &(struct msg_actor){MSG_PROVIDER, t->providers[i]});
		first = false;
	}
	sb_adds(sb, "],\"created_at\":\"");
	time_rfc3339(sb, t->created_at);
	sb_addf(sb, "\",\"last_message_id\":%lld,\"last_message_at\":\"",
	        (long long)t->last_message_id);
	time_rfc3339(sb, t->last_at);
	sb_addf(sb, "\",\"last_read_id\":%lld,\"unread\":%lld}", (long long)t->last_read_id,
	        (long long)t->unread);
}

/* A message with the sides that have read it. */
static void
message_json(struct strbuf *sb, const struct msg *m, const struct msg_read *reads, int nreads)
{
	sb_addf(sb, "{\"id\":%lld,\"thread_id\":%lld,\"author_id\":%lld,\"author_name\":",
	        (long long)m->id, (long long)m->thread_id, (long long)m->author_id);
	json_str(sb, m->author_name);
	sb_adds(sb, ",\"from\":");
	actor_json(sb, &m->as);
	sb_adds(sb, ",\"body\":");
	json_str(sb, m->body);
	sb_adds(sb, ",\"created_at\":\"");
	time_rfc3339(sb, m->created_at);
	sb_adds(sb, "\",\"read_by\":[");
	struct msg_actor by[MSG_MAX_PROVIDERS + 2];
	int n = messages_read_by(m, reads, nreads, by, (int)(sizeof by / sizeof by[0]));
	for (int i = 0; i < n; i++) {
		if (i)
			sb_addc(sb, ',');
		actor_json(sb, &by[i]);
	}
	sb_adds(sb, "]}");
}

/* ---- POST /api/v1/cases/{id}/threads ----------------------------------------------------- */

static const struct jfield party_fields[] = {
    {"party", JF_STRING, true, 16, NULL, 0},
    {"provider_id", JF_INT, false, 0, NULL, 0},
};

static const struct jfield start_fields[] = {
    {"subject", JF_STRING, true, MSG_SUBJECT_MAX_BYTES, NULL, 0},
    {"body", JF_STRING, true, MSG_BODY_MAX_BYTES, NULL, 0},
    {"parties", JF_ARRAY, false, 10, party_fields, 2},
};

/* Reads the parties asked for into t; field errors name parties[i]. Absent: the municipality
 * and the citizen. */
static void
parties_read(struct req *r, const json_t *obj, struct msg_thread *t)
{
	const json_t *arr = json_object_get(obj, "parties");
	if (!arr || json_is_null(arr)) {
		t->municipality = true;
		t->citizen = true;
		return;
	}
	size_t i;
	const json_t *it;
	json_array_foreach(arr, i, it)
	{
		enum msg_party p = messages_party_parse(json_get_str(it, "party"));
		long long pid = json_get_int(it, "provider_id", 0);
		char field[48];
		snprintf(field, sizeof field, "parties[%zu]", i);
		if (p == MSG_NONE) {
			field_error_add(&r->fe, field,
			                "parten ska vara municipality, citizen eller provider");
		} else if (p == MSG_PROVIDER) {
			if (pid <= 0)
				field_error_add(&r->fe, field, "ange utförarens id (provider_id)");
			else if (t->nproviders < MSG_MAX_PROVIDERS + 1)
				t->providers[t->nproviders++] = pid;
		} else if (json_has(it, "provider_id")) {
			field_error_add(&r->fe, field, "provider_id hör bara till parten provider");
		} else if (p == MSG_MUNICIPALITY) {
			t->municipality = true;
		} else {
			t->citizen = true;
		}
	}
}

/* Answers with the thread and its messages (201 for a new thread). */
static int thread_answer(struct req *r, int status, const struct msg_thread *t,
                         int64_t *shown_last);

int
messages_api_start(struct req *r)
{
	json_t *obj;
	int rc =
	    req_decode_json(r, start_fields, sizeof start_fields / sizeof start_fields[0], &obj);
	if (rc)
		return rc;
	struct msg_thread *t = xcalloc(1, sizeof *t);
	struct msg *m = xmalloc(sizeof *m);
	snprintf(t->subject, sizeof t->subject, "%s", json_get_str(obj, "subject"));
	parties_read(r, obj, t);
	if (t->nproviders > MSG_MAX_PROVIDERS) {
		field_error_add(&r->fe, "parties", "högst 8 utförare kan delta i en tråd");
		t->nproviders = MSG_MAX_PROVIDERS;
	}
	rc = messages__start_or_fail(r, r->params[0], t, json_get_str(obj, "body"), m);
	json_decref(obj);
	if (rc == 0)
		rc = thread_answer(r, 201, t, NULL);
	free(t);
	free(m);
	return rc;
}

/* ---- GET /api/v1/cases/{id}/threads ------------------------------------------------------ */

struct rows {
	struct msg_thread *v; /* the threads as listed */
	int n, cap;           /* used, allocated */
};

static void
rows_add(const struct msg_thread *t, void *arg)
{
	struct rows *l = arg;
	if (l->n < l->cap)
		l->v[l->n++] = *t;
}

int
messages_api_case_threads(struct req *r)
{
	int64_t limit, cursor;
	int rc = req_query_int(r, "limit", 50, 200, &limit);
	if (rc == 0)
		rc = req_query_int(r, "cursor", 0, INT64_MAX, &cursor);
	if (rc)
		return rc;
	struct case_row cs;
	/* One row more than asked says whether a further page exists. */
	struct rows l = {
	    .v = xcalloc((size_t)limit + 1, sizeof *l.v), .n = 0, .cap = (int)limit + 1};
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "{\"items\":[");
	struct db_conn *c = db_reader(r->db);
	rc = cases_get(c, r->who.tenant_id, r->params[0], &cs);
	if (rc == 0)
		rc = auth_person_access(c, &r->who, cs.person_id);
	if (rc == 0)
		rc = messages__threads(c, MSG_LIST_CASE, r->who.tenant_id, r->who.user_id, cs.id,
		                       cursor, l.cap, rows_add, &l);
	int shown = 0;
	for (int i = 0; rc == 0 && i < l.n && i < limit; i++) {
		struct msg_actor as;
		int a = messages_access(c, &r->who, &l.v[i], &as);
		if (a == HERR_NOT_FOUND)
			continue;
		if ((rc = a) != 0)
			break;
		if (shown++)
			sb_addc(&sb, ',');
		thread_json(&sb, &l.v[i]);
	}
	db_reader_done(r->db, c);
	sb_adds(&sb, "],\"next_cursor\":");
	if (l.n > limit)
		sb_addf(&sb, "\"%lld\"", (long long)l.v[limit - 1].id);
	else
		sb_adds(&sb, "null");
	sb_addc(&sb, '}');
	free(l.v);
	if (rc == 0 && sb.err)
		rc = sb.err;
	if (rc == 0)
		rc = messages__audit_read(r, "list", "message_thread", cs.id, cs.person_id);
	else
		rc = REQ_FAIL(r, rc);
	if (rc == 0)
		req_json(r, 200, &sb);
	sb_release(&sb);
	return rc;
}

/* ---- one thread -------------------------------------------------------------------------- */

struct shown {
	struct strbuf *sb;            /* items */
	const struct msg_read *reads; /* read marks of the thread */
	int nreads;                   /* how many */
	int n;                        /* messages written */
	int64_t last;                 /* the newest message written */
};

static void
shown_one(const struct msg *m, void *arg)
{
	struct shown *s = arg;
	if (s->n++)
		sb_addc(s->sb, ',');
	message_json(s->sb, m, s->reads, s->nreads);
	s->last = m->id;
}

/* The thread with its messages and their read receipts into sb; *last is the newest message
 * written. Not audited. */
static int
thread_full(struct db_conn *c, const struct msg_thread *t, struct strbuf *sb, int64_t *last)
{
	struct msg_read *reads = xcalloc(READS_MAX, sizeof *reads);
	int n = messages_reads(c, t->tenant_id, t->id, reads, READS_MAX);
	int rc = n < 0 ? n : 0;
	struct shown s = {.sb = sb, .reads = reads, .nreads = n < 0 ? 0 : n};
	if (rc == 0) {
		thread_json(sb, t);
		sb->len--; /* reopen the object for the messages */
		sb->buf[sb->len] = '\0';
		sb_adds(sb, ",\"messages\":[");
		rc = messages_list(c, t->tenant_id, t->id, THREAD_MESSAGES_MAX, shown_one, &s);
		sb_adds(sb, "]}");
	}
	free(reads);
	*last = s.last;
	return rc ? rc : sb->err;
}

static int
thread_answer(struct req *r, int status, const struct msg_thread *t, int64_t *shown_last)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	int64_t last = 0;
	struct db_conn *c = db_reader(r->db);
	int rc = thread_full(c, t, &sb, &last);
	db_reader_done(r->db, c);
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	if (shown_last)
		*shown_last = last;
	req_json(r, status, &sb);
	sb_release(&sb);
	return 0;
}

int
messages_api_thread(struct req *r)
{
	struct msg_thread t;
	struct msg_actor as;
	int rc = messages__thread_or_fail(r, r->params[0], &t, &as);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	int64_t last = 0;
	struct db_conn *c = db_reader(r->db);
	rc = thread_full(c, &t, &sb, &last);
	db_reader_done(r->db, c);
	/* Reading it marks what was shown as read, with the read record, before the answer. */
	if (rc == 0) {
		struct audit_entry e;
		req_audit_who(r, &e);
		rc = messages_mark_read(r->db, &t, r->who.user_id, &as, last, &e);
		if (rc == 0)
			r->audit_writes++;
	}
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	req_json(r, 200, &sb);
	sb_release(&sb);
	return 0;
}

/* ---- POST /api/v1/threads/{id}/messages -------------------------------------------------- */

static const struct jfield post_fields[] = {
    {"body", JF_STRING, true, MSG_BODY_MAX_BYTES, NULL, 0},
};

int
messages_api_post(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, post_fields, 1, &obj);
	if (rc)
		return rc;
	struct msg *m = xmalloc(sizeof *m);
	rc = messages__post_or_fail(r, r->params[0], json_get_str(obj, "body"), m);
	json_decref(obj);
	if (rc == 0) {
		struct strbuf sb;
		sb_init(&sb, 0);
		message_json(&sb, m, NULL, 0);
		req_json(r, 201, &sb);
		sb_release(&sb);
	}
	free(m);
	return rc;
}

/* ---- POST /api/v1/threads/{id}/read ------------------------------------------------------ */

static const struct jfield read_fields[] = {
    {"up_to", JF_INT, false, 0, NULL, 0},
};

int
messages_api_read(struct req *r)
{
	json_t *obj = NULL;
	int rc = 0;
	if (r->body.len)
		rc = req_decode_json(r, read_fields, 1, &obj);
	if (rc)
		return rc;
	long long upto = obj ? json_get_int(obj, "up_to", 0) : 0;
	if (obj)
		json_decref(obj);
	struct msg_thread t;
	struct msg_actor as;
	rc = messages__thread_or_fail(r, r->params[0], &t, &as);
	if (rc)
		return rc;
	if (upto < 0 || upto > t.last_message_id) {
		field_error_add(&r->fe, "up_to", "ange ett meddelande i tråden");
		return REQ_FAIL(r, HERR_INVALID);
	}
	if (upto == 0)
		upto = t.last_message_id;
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = messages_mark_read(r->db, &t, r->who.user_id, &as, upto, &e);
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	int64_t mark = upto > t.last_read_id ? upto : t.last_read_id;
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_addf(&sb, "{\"thread_id\":%lld,\"last_read_id\":%lld}", (long long)t.id,
	        (long long)mark);
	req_json(r, 200, &sb);
	sb_release(&sb);
	return 0;
}

/* ---- GET /api/v1/threads ----------------------------------------------------------------- */

struct inbox_json {
	struct strbuf *sb; /* items */
	int n;             /* written */
	int64_t *persons;  /* the persons listed, for the audit */
};

static void
inbox_one(const struct msg_thread *t, void *arg)
{
	struct inbox_json *ij = arg;
	if (ij->n)
		sb_addc(ij->sb, ',');
	thread_json(ij->sb, t);
	ij->persons[ij->n++] = t->person_id;
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int
messages__audit_persons(struct req *r, int64_t *persons, int n)
{
	if (n == 0)
		return 0;
	qsort(persons, (size_t)n, sizeof *persons, cmp_id);
	int k = 0;
	for (int i = 0; i < n; i++)
		if (k == 0 || persons[k - 1] != persons[i])
			persons[k++] = persons[i];
	int rc = req_audit_reads(r, "list", "message_thread", 0, persons, k);
	return rc ? REQ_FAIL(r, rc) : 0;
}

int
messages_api_inbox(struct req *r)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "{\"items\":[");
	struct inbox_json ij = {.sb = &sb, .persons = xcalloc(INBOX_MAX, sizeof(int64_t))};
	struct db_conn *c = db_reader(r->db);
	int rc = messages_inbox(c, &r->who, INBOX_MAX, inbox_one, &ij);
	db_reader_done(r->db, c);
	sb_adds(&sb, "],\"next_cursor\":null}");
	if (rc == 0 && sb.err)
		rc = sb.err;
	if (rc)
		rc = REQ_FAIL(r, rc);
	else
		rc = messages__audit_persons(r, ij.persons, ij.n);
	free(ij.persons);
	if (rc == 0)
		req_json(r, 200, &sb);
	sb_release(&sb);
	return rc;
}

/* ---- GET /api/v1/messages/unread --------------------------------------------------------- */

int
messages_api_unread(struct req *r)
{
	int64_t unread, threads;
	int rc = messages_unread_count(r->db, &r->who, &unread, &threads);
	if (rc)
		return REQ_FAIL(r, rc);
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_addf(&sb, "{\"unread\":%lld,\"threads\":%lld}", (long long)unread, (long long)threads);
	req_json(r, 200, &sb);
	sb_release(&sb);
	return 0;
}
