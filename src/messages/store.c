/*
 * Every SQL statement of secure messages (STYLE.md rule 15), with the row mapping beside it.
 * The schema is src/db/sql/0010_messages.sql. Messages are only ever inserted; the thread's
 * newest message and the read marks are the only rows that change.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "messages.h"
#include "messages_private.h"

/* A thread with the read mark and unread count of user $2. */
#define THREAD_SELECT                                                                              \
	"SELECT t.id, t.tenant_id, t.case_id, t.person_id, t.subject, t.municipality, t.citizen,"  \
	" t.created_by, t.created_at, t.last_message_id, t.last_at, COALESCE(r.last_read_id, 0),"  \
	" (SELECT COUNT(*) FROM messages m WHERE m.tenant_id = t.tenant_id AND m.thread_id = t.id" \
	" AND m.id > COALESCE(r.last_read_id, 0) AND m.author_id <> $2)"                           \
	" FROM message_threads t LEFT JOIN message_reads r ON r.tenant_id = t.tenant_id"           \
	" AND r.thread_id = t.id AND r.user_id = $2"

static const char sql_thread_get[] = THREAD_SELECT " WHERE t.tenant_id = $1 AND t.id = $3";
static const char sql_threads_case[] =
    THREAD_SELECT " WHERE t.tenant_id = $1 AND t.case_id = $3 AND t.id < $5"
                  " ORDER BY t.id DESC LIMIT $4";
static const char sql_threads_person[] =
    THREAD_SELECT " WHERE t.tenant_id = $1 AND t.person_id = $3 AND t.citizen = 1"
                  " ORDER BY t.last_at DESC, t.id DESC LIMIT $4";
static const char sql_threads_provider[] =
    THREAD_SELECT " WHERE t.tenant_id = $1 AND t.id IN (SELECT p.thread_id FROM"
                  " message_thread_providers p WHERE p.tenant_id = $1 AND p.provider_id = $3)"
                  " ORDER BY t.last_at DESC, t.id DESC LIMIT $4";
static const char sql_threads_reader[] =
    THREAD_SELECT " WHERE t.tenant_id = $1 AND t.municipality = $3 AND t.id IN (SELECT"
                  " x.thread_id FROM message_reads x WHERE x.tenant_id = $1 AND x.user_id = $2)"
                  " ORDER BY t.last_at DESC, t.id DESC LIMIT $4";
static const char sql_thread_providers[] =
    "SELECT provider_id FROM message_thread_providers WHERE tenant_id = $1 AND thread_id = $2"
    " ORDER BY provider_id";

static const char sql_thread_insert[] =
    "INSERT INTO message_threads (tenant_id, case_id, person_id, subject, municipality, citizen,"
    " created_by, created_at, last_message_id, last_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $8) RETURNING id";
static const char sql_thread_provider_insert[] =
    "INSERT INTO message_thread_providers (tenant_id, thread_id, provider_id) VALUES ($1, $2, $3)";
static const char sql_msg_insert[] =
    "INSERT INTO messages (tenant_id, thread_id, author_id, author_name, party, provider_id,"
    " body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
static const char sql_touch[] = "UPDATE message_threads SET last_message_id = $3, last_at = $4"
                                " WHERE tenant_id = $1 AND id = $2";
static const char sql_read_upsert[] =
    "INSERT INTO message_reads (tenant_id, thread_id, user_id, party, provider_id, last_read_id,"
    " read_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    " ON CONFLICT (tenant_id, thread_id, user_id) DO UPDATE SET last_read_id ="
    " excluded.last_read_id, read_at = excluded.read_at, party = excluded.party,"
    " provider_id = excluded.provider_id WHERE message_reads.last_read_id < excluded.last_read_id";
static const char sql_msgs[] =
    "SELECT id, tenant_id, thread_id, author_id, author_name, party, provider_id, body, created_at"
    " FROM messages WHERE tenant_id = $1 AND thread_id = $2 ORDER BY id LIMIT $3";
static const char sql_reads[] =
    "SELECT user_id, party, provider_id, last_read_id, read_at FROM message_reads"
    " WHERE tenant_id = $1 AND thread_id = $2 ORDER BY user_id LIMIT $3";

/* Reads a thread row (THREAD_SELECT) into out, a struct msg_thread. */
static void
thread_row(struct db_stmt *st, void *out)
{
	struct msg_thread *t = out;
	memset(t, 0, sizeof *t);
	t->id = db_col_int(st, 0);
	t->tenant_id = db_col_int(st, 1);
	t->case_id = db_col_int(st, 2);
	t->person_id = db_col_int(st, 3);
	db_col_copy(st, 4, t->subject, sizeof t->subject);
	t->municipality = db_col_int(st, 5) != 0;
	t->citizen = db_col_int(st, 6) != 0;
	t->created_by = db_col_int(st, 7);
	t->created_at = db_col_int(st, 8);
	t->last_message_id = db_col_int(st, 9);
	t->last_at = db_col_int(st, 10);
	t->last_read_id = db_col_int(st, 11);
	t->unread = db_col_int(st, 12);
}

/* Fills t->providers. */
static int
thread_providers(struct db_conn *c, struct msg_thread *t)
{
	struct db_stmt *st = db_prepare(c, sql_thread_providers);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, t->tenant_id);
	db_bind_int(st, 2, t->id);
	int rc;
	t->nproviders = 0;
	while ((rc = db_step(st)) == DB_ROW)
		if (t->nproviders < MSG_MAX_PROVIDERS)
			t->providers[t->nproviders++] = db_col_int(st, 0);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int
messages_thread_get(struct db_conn *c, int64_t tenant, int64_t id, int64_t user,
                    struct msg_thread *out)
{
	struct db_stmt *st = db_prepare(c, sql_thread_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, user);
	db_bind_int(st, 3, id);
	struct msg_thread t;
	int rc = db_step_one(st, thread_row, &t);
	if (rc == 0)
		rc = thread_providers(c, &t);
	if (rc == 0)
		*out = t;
	return rc;
}

int
messages__threads(struct db_conn *c, enum msg_list kind, int64_t tenant, int64_t user, int64_t key,
                  int64_t before, int limit, void (*fn)(const struct msg_thread *t, void *arg),
                  void *arg)
{
	const char *sql = kind == MSG_LIST_CASE       ? sql_threads_case
	                  : kind == MSG_LIST_PERSON   ? sql_threads_person
	                  : kind == MSG_LIST_PROVIDER ? sql_threads_provider
	                                              : sql_threads_reader;
	if (limit <= 0)
		return 0;
	/* Rows first, providers after: one statement is open on the connection at a time. */
	struct msg_thread *v = NULL;
	int n = 0;
	struct db_stmt *st = db_prepare(c, sql);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, user);
	db_bind_int(st, 3, key);
	db_bind_int(st, 4, limit);
	if (kind == MSG_LIST_CASE)
		db_bind_int(st, 5, before > 0 ? before : INT64_MAX);
	int rc;
	v = xcalloc((size_t)limit, sizeof *v);
	while ((rc = db_step(st)) == DB_ROW && n < limit)
		thread_row(st, &v[n++]);
	db_reset(st);
	rc = rc < 0 ? rc : 0;
	for (int i = 0; rc == 0 && i < n; i++)
		rc = thread_providers(c, &v[i]);
	for (int i = 0; rc == 0 && i < n; i++)
		fn(&v[i], arg);
	free(v);
	return rc;
}

int
messages__insert_thread(struct db_conn *c, struct msg_thread *t)
{
	struct db_stmt *st = db_prepare(c, sql_thread_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, t->tenant_id);
	db_bind_int(st, 2, t->case_id);
	db_bind_int(st, 3, t->person_id);
	db_bind_text(st, 4, t->subject);
	db_bind_int(st, 5, t->municipality ? 1 : 0);
	db_bind_int(st, 6, t->citizen ? 1 : 0);
	db_bind_int(st, 7, t->created_by);
	db_bind_int(st, 8, t->created_at);
	int rc = db_step_id(st, &t->id, HERR_DB);
	for (int i = 0; rc == 0 && i < t->nproviders; i++) {
		st = db_prepare(c, sql_thread_provider_insert);
		if (!st)
			return HERR_DB;
		db_bind_int(st, 1, t->tenant_id);
		db_bind_int(st, 2, t->id);
		db_bind_int(st, 3, t->providers[i]);
		rc = db_step_done(st);
	}
	return rc;
}

int
messages__insert_msg(struct db_conn *c, struct msg *m)
{
	struct db_stmt *st = db_prepare(c, sql_msg_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, m->tenant_id);
	db_bind_int(st, 2, m->thread_id);
	db_bind_int(st, 3, m->author_id);
	db_bind_text(st, 4, m->author_name);
	db_bind_text(st, 5, messages_party_name(m->as.party));
	db_bind_opt_int(st, 6, m->as.provider_id);
	db_bind_text(st, 7, m->body);
	db_bind_int(st, 8, m->created_at);
	return db_step_id(st, &m->id, HERR_DB);
}

int
messages__touch(struct db_conn *c, int64_t tenant, int64_t thread, int64_t msg, int64_t at)
{
	struct db_stmt *st = db_prepare(c, sql_touch);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, thread);
	db_bind_int(st, 3, msg);
	db_bind_int(st, 4, at);
	return db_step_done(st);
}

int
messages__read_upsert(struct db_conn *c, int64_t tenant, int64_t thread, int64_t user,
                      const struct msg_actor *as, int64_t upto, int64_t at)
{
	struct db_stmt *st = db_prepare(c, sql_read_upsert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, thread);
	db_bind_int(st, 3, user);
	db_bind_text(st, 4, messages_party_name(as->party));
	db_bind_opt_int(st, 5, as->provider_id);
	db_bind_int(st, 6, upto);
	db_bind_int(st, 7, at);
	return db_step_done(st);
}

int
messages_list(struct db_conn *c, int64_t tenant, int64_t thread_id, int limit,
              void (*fn)(const struct msg *m, void *arg), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_msgs);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, thread_id);
	db_bind_int(st, 3, limit);
	struct msg *m = xmalloc(sizeof *m);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		memset(m, 0, sizeof *m);
		m->id = db_col_int(st, 0);
		m->tenant_id = db_col_int(st, 1);
		m->thread_id = db_col_int(st, 2);
		m->author_id = db_col_int(st, 3);
		db_col_copy(st, 4, m->author_name, sizeof m->author_name);
		m->as.party = messages_party_parse(db_col_text(st, 5));
		m->as.provider_id = db_col_null(st, 6) ? 0 : db_col_int(st, 6);
		db_col_copy(st, 7, m->body, sizeof m->body);
		m->created_at = db_col_int(st, 8);
		fn(m, arg);
	}
	db_reset(st);
	free(m);
	return rc < 0 ? rc : 0;
}

int
messages_reads(struct db_conn *c, int64_t tenant, int64_t thread_id, struct msg_read *out, int max)
{
	struct db_stmt *st = db_prepare(c, sql_reads);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, thread_id);
	db_bind_int(st, 3, max);
	int rc, n = 0;
	while ((rc = db_step(st)) == DB_ROW && n < max) {
		struct msg_read *r = &out[n++];
		r->user_id = db_col_int(st, 0);
		r->as.party = messages_party_parse(db_col_text(st, 1));
		r->as.provider_id = db_col_null(st, 2) ? 0 : db_col_int(st, 2);
		r->last_read_id = db_col_int(st, 3);
		r->read_at = db_col_int(st, 4);
	}
	db_reset(st);
	return rc < 0 ? rc : n;
}
