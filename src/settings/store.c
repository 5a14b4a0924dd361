/*
 * Every SQL statement of the settings (STYLE.md rule 15). The schema is
 * src/db/sql/0016_settings.sql.
 */
#include <string.h>

#include "base/err.h"
#include "db/db.h"
#include "settings.h"

/* The tenant's rows through the unique index (tenant_id, key): a tenant has a handful, so
 * the prefix is matched here rather than by a collation-dependent range in SQL. */
static const char sql_read[] = "SELECT key, value FROM settings WHERE tenant_id = $1";
static const char sql_put[] =
    "INSERT INTO settings (tenant_id, key, value, updated_by, updated_at)"
    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, key) DO UPDATE SET"
    " value = excluded.value, updated_by = excluded.updated_by,"
    " updated_at = excluded.updated_at";

int
settings_read(struct db_conn *c, int64_t tenant, const char *prefix,
              void (*fn)(const char *key, const char *value, void *arg), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_read);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	size_t n = strlen(prefix);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *key = db_col_text(st, 0);
		if (key && strncmp(key, prefix, n) == 0)
			fn(key, db_col_text(st, 1), arg);
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int
settings_put(struct db_conn *c, int64_t tenant, const char *key, const char *value, int64_t user_id,
             int64_t now)
{
	if (strlen(key) > SETTINGS_KEY_MAX || strlen(value) > SETTINGS_VALUE_MAX)
		return HERR_INVALID;
	struct db_stmt *st = db_prepare(c, sql_put);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_text(st, 2, key);
	db_bind_text(st, 3, value);
	db_bind_opt_int(st, 4, user_id);
	db_bind_int(st, 5, now);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}
