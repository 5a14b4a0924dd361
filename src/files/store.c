/*
 * Every SQL statement of the attachments module (STYLE.md rule 15), with the row mapping
 * beside it. The schema is src/db/sql/0006_attachments.sql.
 */
#include <string.h>

#include "base/err.h"
#include "base/strbuf.h"
#include "db/db.h"
#include "files.h"
#include "files_private.h"

#define ATT_COLS                                                                                   \
	"id, tenant_id, case_id, person_id, size_bytes, uploaded_by, created_at, filename,"        \
	" content_type, sha256, uploaded_by_name, source"

static const char sql_insert[] =
    "INSERT INTO attachments (tenant_id, case_id, person_id, filename, content_type,"
    " size_bytes, sha256, data, uploaded_by, uploaded_by_name, source, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
static const char sql_get[] =
    "SELECT " ATT_COLS " FROM attachments WHERE id = $1 AND tenant_id = $2";
static const char sql_list[] =
    "SELECT " ATT_COLS " FROM attachments WHERE tenant_id = $1 AND case_id = $2"
    " ORDER BY id LIMIT $3";
static const char sql_data[] = "SELECT data FROM attachments WHERE id = $1 AND tenant_id = $2";

/* Reads an attachment row (ATT_COLS) into out, a struct attachment. */
static void
row(struct db_stmt *st, void *out)
{
	struct attachment *a = out;
	memset(a, 0, sizeof *a);
	a->id = db_col_int(st, 0);
	a->tenant_id = db_col_int(st, 1);
	a->case_id = db_col_int(st, 2);
	a->person_id = db_col_int(st, 3);
	a->size_bytes = db_col_int(st, 4);
	a->uploaded_by = db_col_int(st, 5);
	a->created_at = db_col_int(st, 6);
	db_col_copy(st, 7, a->filename, sizeof a->filename);
	db_col_copy(st, 8, a->content_type, sizeof a->content_type);
	db_col_copy(st, 9, a->sha256, sizeof a->sha256);
	db_col_copy(st, 10, a->uploaded_by_name, sizeof a->uploaded_by_name);
	db_col_copy(st, 11, a->source, sizeof a->source);
}

int
files__insert(struct db_conn *c, struct attachment *a, const void *data, size_t len)
{
	struct db_stmt *st = db_prepare(c, sql_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, a->tenant_id);
	db_bind_int(st, 2, a->case_id);
	db_bind_int(st, 3, a->person_id);
	db_bind_text(st, 4, a->filename);
	db_bind_text(st, 5, a->content_type);
	db_bind_int(st, 6, a->size_bytes);
	db_bind_text(st, 7, a->sha256);
	db_bind_blob(st, 8, data, len);
	db_bind_int(st, 9, a->uploaded_by);
	db_bind_text(st, 10, a->uploaded_by_name);
	db_bind_text(st, 11, a->source);
	db_bind_int(st, 12, a->created_at);
	return db_step_id(st, &a->id, HERR_DB);
}

int
files_get(struct db_conn *c, int64_t tenant, int64_t id, struct attachment *a)
{
	struct db_stmt *st = db_prepare(c, sql_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	return db_step_one(st, row, a);
}

DB_EACH_ROW(list_each, struct attachment, row)

int
files_list(struct db_conn *c, int64_t tenant, int64_t case_id, int limit,
           void (*fn)(const struct attachment *a, void *arg), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_list);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, case_id);
	db_bind_int(st, 3, limit);
	return db_step_each(st, list_each, &(struct list_each){fn, arg});
}

/* Appends the data column to out, a struct strbuf. */
static void
data_row(struct db_stmt *st, void *out)
{
	size_t len;
	const void *p = db_col_blob(st, 0, &len);
	if (p)
		sb_add(out, p, len);
}

int
files_data(struct db_conn *c, int64_t tenant, int64_t id, struct strbuf *out)
{
	struct db_stmt *st = db_prepare(c, sql_data);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	int rc = db_step_one(st, data_row, out);
	return rc ? rc : out->err;
}
