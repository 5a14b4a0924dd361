/*
 * The backend interface behind db.h (OpenSMTPD queue_backend, STYLE.md rule 17). Each engine
 * fills a struct db_driver; db.c owns the pool, the writer thread and the statement cache.
 * Private to src/db.
 */
#ifndef HANNA_DB_DRIVER_H
#define HANNA_DB_DRIVER_H

#include "db.h"

#include <stddef.h>

struct db_driver {
	const char *name; /* "sqlite" or "pgsql" */
	enum db_kind kind;
	/* Opens one connection to the target (the URL with its scheme). writer says whether this
	 * connection is the single writer. */
	int (*connect)(const char *target, bool writer, void **handle /* out */);
	void (*disconnect)(void *handle);
	int (*exec)(void *handle, const char *sql);
	/* Prepares sql on the connection; name is unique per connection. */
	int (*prepare)(void *handle, const char *name, const char *sql, void **stmt /* out */);
	void (*finalize)(void *handle, void *stmt);
	void (*bind_int)(void *stmt, int idx, int64_t v);
	void (*bind_text)(void *stmt, int idx, const char *s);
	void (*bind_null)(void *stmt, int idx);
	/* Binds len bytes (copied); data is never NULL. */
	void (*bind_blob)(void *stmt, int idx, const void *data, size_t len);
	int (*step)(void *handle, void *stmt);
	int64_t (*col_int)(void *stmt, int col);
	const char *(*col_text)(void *stmt, int col);
	bool (*col_null)(void *stmt, int col);
	/* Column col as bytes, borrowed until the next step or reset; NULL for SQL NULL. */
	const void *(*col_blob)(void *stmt, int col, size_t *len /* out */);
	void (*reset)(void *stmt);
	const char *(*errmsg)(void *handle);
	/* Whether the connection still works (PostgreSQL: libpq's status is CONNECTION_OK after
	 * a server restart or a network break it noticed). NULL: always (SQLite). */
	bool (*alive)(void *handle);
	/* Starts the group transaction of the writer: exclusive on SQLite, plus an advisory lock
	 * on PostgreSQL so that writers of several processes queue up. */
	int (*begin_write)(void *handle);
	/* Moves committed work from the log into the database file without blocking the writer
	 * (SQLite: a passive WAL checkpoint), on a connection of its own; the writer connection
	 * then does none itself. NULL: the engine needs nothing of the kind (PostgreSQL). */
	int (*checkpoint)(void *handle);
	/* Rewrites the portable DDL words (@ID@, @BLOB@, @CTEXT@) for this engine. */
	const char *(*ddl_word)(const char *word);
	/* Consistent online copy of the database at target into the file path, through a
	 * connection of its own. */
	int (*backup)(const char *target, const char *path);
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pgsql_driver;
/* The fault-injecting wrapper of the SQLite driver (fault.c). */
const struct db_driver *db__fault_driver(void);

#endif
