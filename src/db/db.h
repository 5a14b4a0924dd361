/*
 * The storage interface (ARCHITECTURE.md, Storage). A database is opened by URL: "sqlite:PATH"
 * or a libpq URI "postgresql://...". It owns one writer connection, run by one writer thread
 * that commits queued write jobs in groups (group commit), and a pool of reader connections.
 *
 * SQL is written once, in the portable subset both engines run, with placeholders $1, $2, ...
 * Statements are identified by the address of their text: pass a pointer to a string with
 * static storage (a module's statement table in its store.c), and each connection prepares it
 * once and caches it.
 */
#ifndef HANNA_DB_H
#define HANNA_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_conn;
struct db_stmt;

enum db_kind { DB_SQLITE = 1, DB_PGSQL = 2 };

/* Results of db_step besides negative error codes. */
enum { DB_DONE = 0, DB_ROW = 1 };

/*
 * Opens a database and starts its writer thread. readers is the size of the reader pool.
 * Returns 0 and *out, or HERR_INVALID for a bad URL, HERR_DB when the engine refuses.
 * Caller frees with db_close().
 */
int db_open(const char *url, int readers, struct db **out /* out */);
/* Drains queued writes, stops the writer thread and closes every connection. */
void db_close(struct db *db);
enum db_kind db_kind(const struct db *db);
/* The URL the database was opened with. Borrowed until db_close. */
const char *db_url(const struct db *db);

/* Takes a reader connection from the pool, waiting if all are busy. Give back with
 * db_reader_done(). */
struct db_conn *db_reader(struct db *db);
void db_reader_done(struct db *db, struct db_conn *c);

/*
 * A write job runs on the writer thread inside the current group transaction, within its own
 * savepoint. It returns 0 to keep its work or a negative code to have it rolled back (the rest
 * of the group commits regardless). A job must return the error of any failed statement:
 * after an error PostgreSQL refuses the rest of the savepoint, SQLite only the statement.
 */
typedef int (*db_write_fn)(struct db_conn *c, void *arg);

/*
 * Queues a write job and waits until the group it ran in is durably committed. Returns the
 * job's own code, or HERR_DB if the commit failed. Never call from inside a write job.
 */
int db_write(struct db *db, db_write_fn fn, void *arg);

/* Runs SQL text without parameters, possibly several statements (migrations, pragmas). */
int db_exec(struct db_conn *c, const char *sql);
/* Explicit transactions, for single-threaded commands (migrate, demo) on the writer conn. */
int db_begin(struct db_conn *c);
int db_commit(struct db_conn *c);
int db_rollback(struct db_conn *c);

/*
 * Prepares (or takes from the connection's cache) the statement whose text is sql. sql must
 * have static storage. Returns NULL on error (db_errmsg tells why). The statement is reset
 * and its bindings cleared; call db_reset() when done with it.
 */
struct db_stmt *db_prepare(struct db_conn *c, const char *sql);
/* Binds $idx (1-based). Text is copied. A NULL text binds SQL NULL. */
void db_bind_int(struct db_stmt *st, int idx, int64_t v);
void db_bind_text(struct db_stmt *st, int idx, const char *s);
void db_bind_null(struct db_stmt *st, int idx);
/* Binds $idx to len bytes of binary data (copied); a bytea/BLOB column. NULL data binds SQL
 * NULL. */
void db_bind_blob(struct db_stmt *st, int idx, const void *data, size_t len);
/* Executes or advances: DB_ROW, DB_DONE, or HERR_CONFLICT (unique or foreign key violation),
 * HERR_DB. */
int db_step(struct db_stmt *st);
/* Column values of the current row (0-based). Text is borrowed until the next step or reset;
 * NULL for SQL NULL. */
int64_t db_col_int(struct db_stmt *st, int col);
const char *db_col_text(struct db_stmt *st, int col);
bool db_col_null(struct db_stmt *st, int col);
/* Column col as binary data and its length in *len; borrowed until the next step or reset.
 * NULL (and *len 0) for SQL NULL; a non-NULL pointer for an empty value. */
const void *db_col_blob(struct db_stmt *st, int col, size_t *len /* out */);
/* Ends the use of a statement: resets it and clears bindings. */
void db_reset(struct db_stmt *st);

/*
 * Row helpers for the stores: the few ways a store steps a statement, written once. Each
 * steps st, hands over what it read and ends with db_reset(st), whatever happened. Errors are
 * db_step's: HERR_CONFLICT or HERR_DB.
 */

/* Binds $idx to s, or SQL NULL when s is NULL or "" (an optional text field). */
void db_bind_opt_text(struct db_stmt *st, int idx, const char *s);
/* Binds $idx to v, or SQL NULL when v is 0 (an optional id). */
void db_bind_opt_int(struct db_stmt *st, int idx, int64_t v);
/* Copies the text of column col into dst of n bytes (n > 0), cut to fit and NUL-terminated;
 * SQL NULL copies "". */
void db_col_copy(struct db_stmt *st, int col, char *dst, size_t n);

/* Reads the current row of st into out (a store's row mapping). */
typedef void (*db_map_fn)(struct db_stmt *st, void *out);

/*
 * Steps st once. A row is read with map(st, out) (map NULL: only whether a row came matters)
 * and gives 0; no row gives HERR_NOT_FOUND and leaves out untouched; an error its code.
 */
int db_step_one(struct db_stmt *st, db_map_fn map, void *out /* out */);

/*
 * Steps st through all its rows, calling each(st, arg) on every one. each returns 0 to go on,
 * a positive number to stop early (db_step_each then returns 0) or a negative code to stop
 * with that code. Returns 0 or the first error.
 */
int db_step_each(struct db_stmt *st, int (*each)(struct db_stmt *st, void *arg), void *arg);

/*
 * Defines name, a callback for db_step_each that serves the usual list of a store: each row is
 * read with map (a db_map_fn) into a type on the stack and handed to the caller's
 * fn(const type *, void *arg). The caller's fn and arg travel in a struct name:
 *
 *     DB_EACH_ROW(note_each, struct note, row_to_note)
 *     ...
 *     return db_step_each(st, note_each, &(struct note_each){fn, arg});
 */
#define DB_EACH_ROW(name, type, map)                                                               \
	struct name {                                                                              \
		void (*fn)(const type *, void *); /* the caller's callback */                      \
		void *arg;                        /* its argument */                               \
	};                                                                                         \
	static int name(struct db_stmt *st, void *each_arg)                                        \
	{                                                                                          \
		const struct name *each = each_arg;                                                \
		type each_row;                                                                     \
		map(st, &each_row);                                                                \
		each->fn(&each_row, each->arg);                                                    \
		return 0;                                                                          \
	}

/*
 * Steps an INSERT or UPDATE ... RETURNING id once: a row stores its column 0 in *id (id may
 * be NULL) and gives 0; no row gives none (HERR_DB for an INSERT that must return its id,
 * HERR_STALE or HERR_NOT_FOUND for an UPDATE whose WHERE matched nothing).
 */
int db_step_id(struct db_stmt *st, int64_t *id /* out */, int none);

/* Steps a statement run for its effect once: 0 (a row it returns is ignored) or the error. */
int db_step_done(struct db_stmt *st);
/* The last error text on a connection. Borrowed. */
const char *db_errmsg(struct db_conn *c);
/*
 * A number that changes whenever work done on the connection may have been undone or another
 * transaction begins (group begin, rolled-back job, explicit begin or rollback). A value
 * cached with it inside a write job stays true while the number is the same.
 */
uint64_t db_txn_gen(const struct db_conn *c);
/* The database the connection belongs to. */
struct db *db_of(struct db_conn *c);

/* 0 when a reader connection answers a trivial query, else HERR_DB (readiness). */
int db_ping(struct db *db);
/* Convenience: prepare, bind nothing, step once, return column 0 as int or dflt. */
int64_t db_query_int(struct db_conn *c, const char *sql, int64_t dflt);

/* Tests only ("fault:PATH" databases): the nth statement execution from now fails with
 * HERR_DB; 0 disarms. db_fault_fired() tells how many faults were injected since. */
void db_fault_arm(long nth);
long db_fault_fired(void);

/* Applies every migration not yet applied (src/db/sql). Returns 0 or HERR_DB. */
int db_migrate(struct db *db);
/* Refreshes the planner's statistics (ANALYZE); after migrations and bulk loads. */
int db_analyze(struct db *db);
/* The highest applied migration number, 0 for an empty database. */
int db_schema_version(struct db *db);
/* Consistent online copy of the database to a file (SQLite backup API; pg_dump for
 * PostgreSQL). */
int db_backup(struct db *db, const char *path);

#endif
