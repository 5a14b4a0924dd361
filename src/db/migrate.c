/*
 * Numbered migrations (ARCHITECTURE.md, Storage): the files src/db/sql/NNNN_name.sql are
 * embedded at build time (scripts/embed_sql.py) and applied in order, each in one transaction
 * together with its row in schema_version. Every migration without its row is applied, not
 * only those above the highest: work developed side by side may land a lower number later. The same
 * files serve both engines; the few words that differ are written @ID@, @BLOB@, @CTEXT@ and
 * translated by the driver.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/timeutil.h"
#include "db.h"
#include "migrations.h"

char *db__translate_ddl(struct db *db, const char *sql);

static const char sql_create_version[] =
    "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, name TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";
static const char sql_max_version[] = "SELECT MAX(version) FROM schema_version";
static const char sql_has_version[] = "SELECT version FROM schema_version WHERE version = $1";
static const char sql_insert_version[] =
    "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)";

struct apply {
	const struct db_migration *m; /* the migration to apply */
	char *ddl;                    /* its SQL translated for the engine */
	bool applied;                 /* out: it ran now (false: it had run before) */
};

static int
ensure_table(struct db_conn *c, void *arg)
{
	(void)arg;
	return db_exec(c, sql_create_version);
}

static int
read_version(struct db_conn *c, void *arg)
{
	*(int *)arg = (int)db_query_int(c, sql_max_version, 0);
	return 0;
}

static int
apply_one(struct db_conn *c, void *arg)
{
	struct apply *a = arg;
	struct db_stmt *has = db_prepare(c, sql_has_version);
	if (!has)
		return HERR_DB;
	db_bind_int(has, 1, a->m->version);
	int found = db_step(has);
	db_reset(has);
	if (found < 0)
		return found;
	if (found == DB_ROW)
		return 0;
	if (db_exec(c, a->ddl) != 0) {
		log_error("migrate: migration %04d '%s' failed: %s", a->m->version, a->m->name,
		          db_errmsg(c));
		return HERR_DB;
	}
	struct db_stmt *st = db_prepare(c, sql_insert_version);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, a->m->version);
	db_bind_text(st, 2, a->m->name);
	db_bind_int(st, 3, time_now());
	int rc = db_step(st);
	db_reset(st);
	a->applied = rc >= 0;
	return rc < 0 ? rc : 0;
}

int
db_schema_version(struct db *db)
{
	int v = 0;
	if (db_write(db, ensure_table, NULL) != 0)
		return -1;
	db_write(db, read_version, &v);
	return v;
}

static int
analyze_job(struct db_conn *c, void *arg)
{
	(void)arg;
	return db_exec(c, "ANALYZE");
}

int
db_analyze(struct db *db)
{
	return db_write(db, analyze_job, NULL);
}

int
db_migrate(struct db *db)
{
	if (db_schema_version(db) < 0)
		return HERR_DB;
	for (size_t i = 0; i < db_migrations_count; i++) {
		const struct db_migration *m = &db_migrations[i];
		struct apply a = {.m = m, .ddl = db__translate_ddl(db, m->sql)};
		int rc = db_write(db, apply_one, &a);
		free(a.ddl);
		if (rc != 0)
			return HERR_DB;
		if (a.applied)
			log_info("migrate: applied %04d %s", m->version, m->name);
	}
	return 0;
}
