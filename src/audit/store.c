/*
 * Every SQL statement of the audit module (STYLE.md rule 15).
 */
#include <pthread.h>
#include <string.h>

#include "audit_private.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "db/db.h"

static const char sql_head[] = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";
static const char sql_insert[] =
    "INSERT INTO audit_log (id, tenant_id, at, user_id, username, role, action, entity,"
    " entity_id, person_id, request_id, prev_hash, hash)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
static const char sql_all[] =
    "SELECT id, tenant_id, at, user_id, username, role, action, entity, entity_id, person_id,"
    " request_id, prev_hash, hash FROM audit_log WHERE id > $1 ORDER BY id LIMIT 10000";
static const char sql_person[] =
    "SELECT id, at, user_id, username, role, action, entity, entity_id, person_id, request_id"
    " FROM audit_log WHERE tenant_id = $1 AND person_id = $2 AND id < $3"
    " ORDER BY id DESC LIMIT $4";

int
audit__head(struct db_conn *c, int64_t *id, char hash[65])
{
	struct db_stmt *st = db_prepare(c, sql_head);
	if (!st)
		return HERR_DB;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		db_col_copy(st, 1, hash, 65);
		rc = 0;
	} else if (rc == DB_DONE) {
		*id = 0;
		memset(hash, '0', 64);
		hash[64] = '\0';
		rc = 0;
	}
	db_reset(st);
	return rc;
}

/* Rows per multi-row INSERT: one statement for a whole page of a list costs far less than
 * one statement per record on the writer's hot path. */
#define BATCH 16
#define NCOLS 13

static char sql_insert_batch[4096]; /* built once from the column list below; static text */
static pthread_once_t batch_once = PTHREAD_ONCE_INIT;

static void
build_batch(void)
{
	struct strbuf sb;
	sb_init(&sb, sizeof sql_insert_batch - 1);
	sb_adds(&sb, "INSERT INTO audit_log (id, tenant_id, at, user_id, username, role, action,"
	             " entity, entity_id, person_id, request_id, prev_hash, hash) VALUES ");
	for (int r = 0; r < BATCH; r++) {
		sb_adds(&sb, r ? ", (" : "(");
		for (int k = 1; k <= NCOLS; k++)
			sb_addf(&sb, k < NCOLS ? "$%d, " : "$%d)", r * NCOLS + k);
	}
	memcpy(sql_insert_batch, sb.buf, sb.len + 1);
	sb_release(&sb);
}

static void
bind_row(struct db_stmt *st, int base, const struct audit__row *r)
{
	const struct audit_entry *e = r->e;
	db_bind_int(st, base + 1, r->id);
	db_bind_int(st, base + 2, e->tenant_id);
	db_bind_int(st, base + 3, r->at);
	db_bind_opt_int(st, base + 4, e->user_id);
	db_bind_text(st, base + 5, e->username);
	db_bind_text(st, base + 6, e->role);
	db_bind_text(st, base + 7, e->action);
	db_bind_text(st, base + 8, e->entity);
	db_bind_opt_int(st, base + 9, r->entity_id);
	db_bind_opt_int(st, base + 10, r->person_id);
	db_bind_text(st, base + 11, e->request_id);
	db_bind_text(st, base + 12, r->prev);
	db_bind_text(st, base + 13, r->hash);
}

int
audit__insert_many(struct db_conn *c, const struct audit__row *rows, int n)
{
	pthread_once(&batch_once, build_batch);
	int i = 0;
	while (i < n) {
		bool batch = n - i >= BATCH;
		struct db_stmt *st = db_prepare(c, batch ? sql_insert_batch : sql_insert);
		if (!st)
			return HERR_DB;
		int k = batch ? BATCH : 1;
		for (int r = 0; r < k; r++)
			bind_row(st, r * NCOLS, &rows[i + r]);
		int rc = db_step(st);
		db_reset(st);
		if (rc < 0)
			return rc;
		i += k;
	}
	return 0;
}

static const char *
text_or_empty(struct db_stmt *st, int col)
{
	const char *s = db_col_text(st, col);
	return s ? s : "";
}

int
audit__scan(struct db_conn *c, int64_t after, int (*fn)(const struct audit__stored *r, void *),
            void *arg, int64_t *last)
{
	struct db_stmt *st = db_prepare(c, sql_all);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, after);
	int rc, n = 0;
	*last = after;
	while ((rc = db_step(st)) == DB_ROW) {
		struct audit__stored r = {
		    .id = db_col_int(st, 0),
		    .tenant_id = db_col_int(st, 1),
		    .at = db_col_int(st, 2),
		    .user_id = db_col_int(st, 3),
		    .username = text_or_empty(st, 4),
		    .role = text_or_empty(st, 5),
		    .action = text_or_empty(st, 6),
		    .entity = text_or_empty(st, 7),
		    .entity_id = db_col_int(st, 8),
		    .person_id = db_col_int(st, 9),
		    .request_id = text_or_empty(st, 10),
		    .prev_hash = text_or_empty(st, 11),
		    .hash = text_or_empty(st, 12),
		};
		n++;
		*last = r.id;
		if (fn(&r, arg) != 0) {
			rc = 1;
			break;
		}
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	return rc == 1 ? 1 : (n ? 0 : 2);
}

int
audit__list_person(struct db_conn *c, int64_t tenant_id, int64_t person_id, int64_t before,
                   int limit, void (*fn)(const struct audit_row *row, void *arg), void *arg,
                   int *count, int64_t *last_id)
{
	struct db_stmt *st = db_prepare(c, sql_person);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, person_id);
	db_bind_int(st, 3, before > 0 ? before : INT64_MAX);
	db_bind_int(st, 4, limit);
	int rc;
	*count = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		struct audit_row r = {
		    .id = db_col_int(st, 0),
		    .at = db_col_int(st, 1),
		    .user_id = db_col_int(st, 2),
		    .username = text_or_empty(st, 3),
		    .role = text_or_empty(st, 4),
		    .action = text_or_empty(st, 5),
		    .entity = text_or_empty(st, 6),
		    .entity_id = db_col_int(st, 7),
		    .person_id = db_col_int(st, 8),
		    .request_id = text_or_empty(st, 9),
		};
		fn(&r, arg);
		(*count)++;
		*last_id = r.id;
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}
