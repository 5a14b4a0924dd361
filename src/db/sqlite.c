/*
 * The SQLite driver behind db.h: WAL, synchronous=FULL, foreign keys, a busy timeout; the
 * writer connection begins its groups with BEGIN IMMEDIATE. Placeholders $1, $2, ... are bound
 * by name (STYLE.md rule 16), since SQLite numbers $N slots in order of first appearance.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "../base/err.h"
#include "driver.h"

static int
lite_exec(void *h, const char *sql)
{
	return sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : HERR_DB;
}

/* Process-wide settings, before SQLite initialises: no memory statistics (they put every
 * allocation of every connection behind one global mutex, which the writer and the readers
 * then queue on), and multi-thread mode (each connection is used by one thread at a time,
 * which db.c guarantees). Ignored if something initialised SQLite first. */
static void
lite_global_init(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_initialize();
}

static int
lite_connect(const char *target, bool writer, void **out)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, lite_global_init);
	sqlite3 *db = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (writer)
		flags |= SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(target, &db, flags, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return HERR_DB;
	}
	sqlite3_busy_timeout(db, 10000);
	sqlite3_extended_result_codes(db, 1);
	/* The writer creates the file and sets WAL; WAL mode persists in the file. */
	const char *pragmas = writer ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	                               " PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=4000;"
	                             : "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
	                               " PRAGMA query_only=ON;";
	if (lite_exec(db, pragmas) != 0) {
		sqlite3_close(db);
		return HERR_DB;
	}
	*out = db;
	return 0;
}

static void
lite_disconnect(void *h)
{
	sqlite3_close_v2(h);
}

static int
lite_prepare(void *h, const char *name, const char *sql, void **out)
{
	(void)name;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		return HERR_DB;
	*out = st;
	return 0;
}

static void
lite_finalize(void *h, void *st)
{
	(void)h;
	sqlite3_finalize(st);
}

/* The slot of $idx. SQLite numbers $N slots in order of first appearance (STYLE.md rule 16),
 * which is idx itself in most statements: checked in O(1) by the slot's name, then looked up
 * by name only when the SQL names its parameters out of order. */
static int
param_index(sqlite3_stmt *st, int idx)
{
	const char *n = sqlite3_bind_parameter_name(st, idx);
	if (n && n[0] == '$') {
		int v = 0;
		const char *p = n + 1;
		while (*p >= '0' && *p <= '9' && v < 100000)
			v = v * 10 + (*p++ - '0');
		if (*p == '\0' && p > n + 1 && v == idx)
			return idx;
	}
	char name[16];
	snprintf(name, sizeof name, "$%d", idx);
	return sqlite3_bind_parameter_index(st, name);
}

static void
lite_bind_int(void *st, int idx, int64_t v)
{
	int i = param_index(st, idx);
	if (i > 0)
		sqlite3_bind_int64(st, i, v);
}

static void
lite_bind_text(void *st, int idx, const char *s)
{
	int i = param_index(st, idx);
	if (i > 0)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static void
lite_bind_null(void *st, int idx)
{
	int i = param_index(st, idx);
	if (i > 0)
		sqlite3_bind_null(st, i);
}

static void
lite_bind_blob(void *st, int idx, const void *data, size_t len)
{
	int i = param_index(st, idx);
	if (i > 0)
		sqlite3_bind_blob64(st, i, data, (sqlite3_uint64)len, SQLITE_TRANSIENT);
}

static int
lite_step(void *h, void *st)
{
	(void)h;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE)
		return DB_DONE;
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
	    rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return HERR_CONFLICT;
	return HERR_DB;
}

static int64_t
lite_col_int(void *st, int col)
{
	return sqlite3_column_int64(st, col);
}

static const char *
lite_col_text(void *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

static bool
lite_col_null(void *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL;
}

/* A zero-length BLOB comes back from SQLite as NULL; it is answered with a pointer to an
 * empty string so that callers can tell it from SQL NULL. */
static const void *
lite_col_blob(void *st, int col, size_t *len)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NULL;
	const void *p = sqlite3_column_blob(st, col);
	*len = (size_t)sqlite3_column_bytes(st, col);
	return p ? p : "";
}

static void
lite_reset(void *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static int
lite_checkpoint(void *h)
{
	int rc = sqlite3_wal_checkpoint_v2(h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return rc == SQLITE_OK || rc == SQLITE_BUSY ? 0 : HERR_DB;
}

static const char *
lite_errmsg(void *h)
{
	return sqlite3_errmsg(h);
}

static int
lite_begin_write(void *h)
{
	return lite_exec(h, "BEGIN IMMEDIATE");
}

static const char *
lite_ddl_word(const char *word)
{
	if (strcmp(word, "ID") == 0)
		return "INTEGER PRIMARY KEY";
	if (strcmp(word, "BLOB") == 0)
		return "BLOB";
	if (strcmp(word, "CTEXT") == 0)
		return "TEXT";
	return NULL;
}

static int
lite_backup(const char *target, const char *path)
{
	sqlite3 *src = NULL, *dst = NULL;
	int rc = HERR_DB;
	if (sqlite3_open_v2(target, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		goto out;
	sqlite3_busy_timeout(src, 10000);
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK)
		goto out;
	/* One step over all pages reads the source in one read transaction: a consistent copy. */
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b)
		goto out;
	int s = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (s == SQLITE_DONE && lite_exec(dst, "PRAGMA journal_mode=DELETE") == 0)
		rc = 0;
out:
	sqlite3_close(dst);
	sqlite3_close(src);
	return rc;
}

const struct db_driver db_sqlite_driver = {
    .name = "sqlite",
    .kind = DB_SQLITE,
    .connect = lite_connect,
    .disconnect = lite_disconnect,
    .exec = lite_exec,
    .prepare = lite_prepare,
    .finalize = lite_finalize,
    .bind_int = lite_bind_int,
    .bind_text = lite_bind_text,
    .bind_null = lite_bind_null,
    .bind_blob = lite_bind_blob,
    .step = lite_step,
    .col_int = lite_col_int,
    .col_text = lite_col_text,
    .col_null = lite_col_null,
    .col_blob = lite_col_blob,
    .reset = lite_reset,
    .errmsg = lite_errmsg,
    .begin_write = lite_begin_write,
    .checkpoint = lite_checkpoint,
    .ddl_word = lite_ddl_word,
    .backup = lite_backup,
};
