/*
 * The PostgreSQL 15 driver behind db.h (ARCHITECTURE.md, Storage; the interface is driver.h).
 * One libpq connection per handle; statements are prepared on the server under the name db.c
 * gives them, parameters travel as text and results come back as text. The writer begins each
 * group with a transaction-scoped advisory lock, so that the writers of several processes
 * sharing one database queue up instead of interleaving their groups.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/strbuf.h"
#include "../base/xalloc.h"
#include "driver.h"

/* The advisory lock key every Hanna writer takes for its group transaction. */
#define WRITER_LOCK_KEY "7261001"
/* Where Debian installs pg_dump for PostgreSQL 15, used when PATH has none. */
#define PG_DUMP_FALLBACK "/usr/lib/postgresql/15/bin/pg_dump"
/* PostgreSQL accepts at most this many parameters in one statement. */
#define MAX_PARAMS 65535

struct pg_conn {
	PGconn *pg;    /* the libpq connection */
	char err[512]; /* the last error text, NUL-terminated, "" when none */
};

struct pg_stmt {
	char name[64]; /* the server-side name of the prepared statement */
	int nparams;   /* the highest $N in the SQL text */
	char **values; /* text of each parameter, owned; NULL for SQL NULL (and when unbound) */
	PGresult *res; /* the result of the current execution; NULL before the first step */
	int row;       /* the current row of res, -1 before the first */
	int nrows;     /* rows in res (0 for a command) */
	unsigned char *blob; /* the last column read by col_blob, unescaped; freed at the next
	                      * step or reset */
};

/* ---- errors -------------------------------------------------------------------------- */

/* Copies text into the connection's error buffer, without trailing white space. */
static void
set_err(struct pg_conn *c, const char *text)
{
	snprintf(c->err, sizeof c->err, "%s", text ? text : "unknown error");
	size_t n = strlen(c->err);
	while (n > 0 && isspace((unsigned char)c->err[n - 1]))
		c->err[--n] = '\0';
}

/*
 * Records the error of a failed result (or of the connection when res is NULL) and maps it to
 * a code: HERR_CONFLICT for a unique (23505) or foreign key (23503) violation, else HERR_DB.
 * Only the primary message and the SQLSTATE are kept: the DETAIL line repeats the values of
 * the row, which may be personal data, and the message ends up in the log.
 */
static int
result_error(struct pg_conn *c, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (primary && state)
		snprintf(c->err, sizeof c->err, "%s [%s]", primary, state);
	else if (res && *PQresultErrorMessage(res))
		set_err(c, PQresultErrorMessage(res));
	else
		set_err(c, PQerrorMessage(c->pg));
	if (state && (strcmp(state, "23505") == 0 || strcmp(state, "23503") == 0))
		return HERR_CONFLICT;
	return HERR_DB;
}

/* Sends server notices and warnings to the log instead of standard error. */
static void
notice(void *arg, const char *message)
{
	(void)arg;
	size_t n = strlen(message);
	while (n > 0 && isspace((unsigned char)message[n - 1]))
		n--;
	log_warn("db: postgresql: %.*s", (int)n, message);
}

/* ---- connections --------------------------------------------------------------------- */

/* True when sql starts with the keyword COMMIT (any case, leading white space allowed). */
static bool
is_commit(const char *sql)
{
	while (isspace((unsigned char)*sql))
		sql++;
	return strncasecmp(sql, "COMMIT", 6) == 0 &&
	       !(isalnum((unsigned char)sql[6]) || sql[6] == '_');
}

/*
 * Runs SQL text without parameters, possibly several statements; the last one's status
 * decides. A COMMIT that the server answers with ROLLBACK (the transaction had been aborted by
 * an earlier error) is a failure: nothing was committed.
 */
static int
pg_exec(void *h, const char *sql)
{
	struct pg_conn *c = h;
	PGresult *res = PQexec(c->pg, sql);
	ExecStatusType s = PQresultStatus(res);
	int rc = 0;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY) {
		result_error(c, res);
		rc = HERR_DB;
	} else if (is_commit(sql) && strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
		set_err(c,
		        "commit rolled back: the transaction had been aborted by an earlier error");
		rc = HERR_DB;
	}
	PQclear(res);
	return rc;
}

/*
 * Opens a connection to target, a libpq URI or connection string. Notices go to the log, the
 * client encoding is UTF-8, and reader connections default to read-only transactions (as the
 * SQLite readers are query_only). Returns 0 or HERR_DB. Caller frees with pg_disconnect().
 */
static int
pg_connect(const char *target, bool writer, void **out)
{
	struct pg_conn *c = xcalloc(1, sizeof *c);
	c->pg = PQconnectdb(target);
	if (!c->pg)
		abort(); /* libpq could not allocate its connection object */
	if (PQstatus(c->pg) != CONNECTION_OK) {
		set_err(c, PQerrorMessage(c->pg));
		log_error("db: cannot connect to postgresql: %s", c->err);
		goto fail;
	}
	PQsetNoticeProcessor(c->pg, notice, NULL);
	const char *setup = writer ? "SET client_min_messages = warning;"
	                             " SET client_encoding = 'UTF8'"
	                           : "SET client_min_messages = warning;"
	                             " SET client_encoding = 'UTF8';"
	                             " SET default_transaction_read_only = on";
	if (pg_exec(c, setup) != 0) {
		log_error("db: cannot set up postgresql connection: %s", c->err);
		goto fail;
	}
	*out = c;
	return 0;
fail:
	PQfinish(c->pg);
	free(c);
	return HERR_DB;
}

static void
pg_disconnect(void *h)
{
	struct pg_conn *c = h;
	if (!c)
		return;
	PQfinish(c->pg);
	free(c);
}

/* ---- parameters in SQL text ---------------------------------------------------------- */

/* True for a byte that may continue an unquoted identifier (letters, digits, _, $, UTF-8). */
static bool
ident_char(char ch)
{
	unsigned char u = (unsigned char)ch;
	return isalnum(u) || u == '_' || u == '$' || u >= 0x80;
}

/*
 * Skips a quoted literal or identifier whose opening quote q is at p. A doubled quote stands
 * for itself; with backslash set (E'...'), a backslash escapes the next byte. Returns the byte
 * after the closing quote, or the end of the text.
 */
static const char *
skip_quoted(const char *p, char q, bool backslash)
{
	for (p++; *p; p++) {
		if (backslash && *p == '\\' && p[1]) {
			p++;
		} else if (*p == q) {
			if (p[1] != q)
				return p + 1;
			p++;
		}
	}
	return p;
}

/*
 * Skips a dollar-quoted string ($$...$$ or $tag$...$tag$) if one starts at p, which points at
 * a '$' that does not continue an identifier. Returns the byte after it, or p itself when p
 * does not start a dollar quote.
 */
static const char *
skip_dollar_quoted(const char *p)
{
	const char *q = p + 1;
	if (*q != '$' && !(isalpha((unsigned char)*q) || *q == '_' || (unsigned char)*q >= 0x80))
		return p;
	while (*q != '$') {
		if (!(isalnum((unsigned char)*q) || *q == '_' || (unsigned char)*q >= 0x80))
			return p;
		q++;
	}
	size_t taglen = (size_t)(q - p) + 1;
	for (const char *s = q + 1; *s; s++)
		if (*s == '$' && strncmp(s, p, taglen) == 0)
			return s + taglen;
	return p + strlen(p);
}

/*
 * The highest parameter number $N in sql, skipping quoted literals and identifiers, dollar
 * quotes and comments; 0 when there are none, -1 when a number exceeds what PostgreSQL takes.
 * Parameters that are skipped (only $1 and $3) are not filled in: the server then rejects the
 * statement because it cannot infer the type of $2.
 */
static int
count_params(const char *sql)
{
	int max = 0;
	const char *p = sql;
	while (*p) {
		bool after_ident = p > sql && ident_char(p[-1]);
		if (*p == '\'') {
			bool e = p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
			         !(p - 1 > sql && ident_char(p[-2]));
			p = skip_quoted(p, '\'', e);
		} else if (*p == '"') {
			p = skip_quoted(p, '"', false);
		} else if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			int depth = 1; /* PostgreSQL block comments nest */
			for (p += 2; *p && depth > 0; p++) {
				if (p[0] == '/' && p[1] == '*') {
					depth++;
					p++;
				} else if (p[0] == '*' && p[1] == '/') {
					depth--;
					p++;
				}
			}
		} else if (*p == '$' && !after_ident && isdigit((unsigned char)p[1])) {
			long n = 0;
			for (p++; isdigit((unsigned char)*p); p++)
				if (n <= MAX_PARAMS)
					n = n * 10 + (*p - '0');
			if (n > MAX_PARAMS)
				return -1;
			if (n > max)
				max = (int)n;
		} else if (*p == '$' && !after_ident) {
			const char *q = skip_dollar_quoted(p);
			p = q == p ? p + 1 : q;
		} else {
			p++;
		}
	}
	return max;
}

/* ---- statements ---------------------------------------------------------------------- */

/*
 * Prepares sql on the server under name. The statement keeps one text slot per parameter up
 * to the highest $N; the server infers the parameter types from the SQL. Returns 0 or
 * HERR_DB. Caller frees with pg_finalize().
 */
static int
pg_prepare(void *h, const char *name, const char *sql, void **out)
{
	struct pg_conn *c = h;
	int n = count_params(sql);
	if (n < 0) {
		set_err(c, "too many parameters in statement");
		return HERR_DB;
	}
	struct pg_stmt *st = xcalloc(1, sizeof *st);
	if ((size_t)snprintf(st->name, sizeof st->name, "%s", name) >= sizeof st->name) {
		set_err(c, "statement name too long");
		free(st);
		return HERR_DB;
	}
	PGresult *res = PQprepare(c->pg, st->name, sql, n, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		result_error(c, res);
		PQclear(res);
		free(st);
		return HERR_DB;
	}
	PQclear(res);
	st->nparams = n;
	st->values = xcalloc((size_t)(n > 0 ? n : 1), sizeof *st->values);
	st->row = -1;
	*out = st;
	return 0;
}

/* Stores the text of $idx. Takes ownership of v (NULL for SQL NULL). Indexes beyond the
 * statement's parameters are ignored, as SQLite ignores names it does not have. */
static void
set_value(struct pg_stmt *st, int idx, char *v)
{
	if (idx < 1 || idx > st->nparams) {
		free(v);
		return;
	}
	free(st->values[idx - 1]);
	st->values[idx - 1] = v;
}

static void
pg_bind_int(void *stp, int idx, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%" PRId64, v);
	set_value(stp, idx, xstrdup(buf));
}

static void
pg_bind_text(void *stp, int idx, const char *s)
{
	set_value(stp, idx, s ? xstrdup(s) : NULL);
}

static void
pg_bind_null(void *stp, int idx)
{
	set_value(stp, idx, NULL);
}

/* Binary data is sent as text in bytea's hex format ("\\x" and two digits a byte), which
 * the server converts to the parameter's bytea type. */
static void
pg_bind_blob(void *stp, int idx, const void *data, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = data;
	if (len > (SIZE_MAX - 3) / 2)
		abort();
	char *v = xmalloc(2 * len + 3);
	v[0] = '\\';
	v[1] = 'x';
	for (size_t i = 0; i < len; i++) {
		v[2 + 2 * i] = hex[p[i] >> 4];
		v[3 + 2 * i] = hex[p[i] & 15];
	}
	v[2 + 2 * len] = '\0';
	set_value(stp, idx, v);
}

/*
 * The first step after a reset executes the statement with the bound values and keeps the
 * whole result; each step then moves to the next row. Returns DB_ROW, DB_DONE (also for a
 * command), HERR_CONFLICT for a unique or foreign key violation, or HERR_DB.
 */
static int
pg_step(void *h, void *stp)
{
	struct pg_conn *c = h;
	struct pg_stmt *st = stp;
	if (st->blob) {
		PQfreemem(st->blob);
		st->blob = NULL;
	}
	if (!st->res) {
		PGresult *res = PQexecPrepared(c->pg, st->name, st->nparams,
		                               (const char *const *)st->values, NULL, NULL, 0);
		ExecStatusType s = PQresultStatus(res);
		if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK && s != PGRES_EMPTY_QUERY) {
			int rc = result_error(c, res);
			PQclear(res);
			return rc;
		}
		st->res = res;
		st->row = -1;
		st->nrows = s == PGRES_TUPLES_OK ? PQntuples(res) : 0;
	}
	if (st->row < st->nrows)
		st->row++;
	return st->row < st->nrows ? DB_ROW : DB_DONE;
}

/* True when the statement stands on a row that has column col. */
static bool
on_row(const struct pg_stmt *st, int col)
{
	return st->res && st->row >= 0 && st->row < st->nrows && col >= 0 &&
	       col < PQnfields(st->res);
}

/* Column col as an integer: the decimal text parsed, "t" and "f" (booleans) as 1 and 0, 0 for
 * SQL NULL or when there is no such row or column. */
static int64_t
pg_col_int(void *stp, int col)
{
	struct pg_stmt *st = stp;
	if (!on_row(st, col) || PQgetisnull(st->res, st->row, col))
		return 0;
	const char *v = PQgetvalue(st->res, st->row, col);
	if (strcmp(v, "t") == 0)
		return 1;
	if (strcmp(v, "f") == 0)
		return 0;
	return strtoll(v, NULL, 10);
}

/* Column col as text, borrowed until the next reset; NULL for SQL NULL. */
static const char *
pg_col_text(void *stp, int col)
{
	struct pg_stmt *st = stp;
	if (!on_row(st, col) || PQgetisnull(st->res, st->row, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

static bool
pg_col_null(void *stp, int col)
{
	struct pg_stmt *st = stp;
	return !on_row(st, col) || PQgetisnull(st->res, st->row, col);
}

/* Column col (a bytea) unescaped from its text form, borrowed until the next step or reset;
 * NULL for SQL NULL. */
static const void *
pg_col_blob(void *stp, int col, size_t *len)
{
	struct pg_stmt *st = stp;
	if (!on_row(st, col) || PQgetisnull(st->res, st->row, col))
		return NULL;
	if (st->blob) {
		PQfreemem(st->blob);
		st->blob = NULL;
	}
	size_t n = 0;
	st->blob = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->row, col), &n);
	if (!st->blob)
		abort(); /* out of memory (STYLE.md rule 6) */
	*len = n;
	return st->blob;
}

/* Drops the result and the bound values; the next step executes afresh. */
static void
pg_reset(void *stp)
{
	struct pg_stmt *st = stp;
	if (st->blob) {
		PQfreemem(st->blob);
		st->blob = NULL;
	}
	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	st->nrows = 0;
	for (int i = 0; i < st->nparams; i++) {
		free(st->values[i]);
		st->values[i] = NULL;
	}
}

/* Frees the statement and deallocates it on the server (errors are ignored: the connection
 * may be in an aborted transaction or about to close). */
static void
pg_finalize(void *h, void *stp)
{
	struct pg_conn *c = h;
	struct pg_stmt *st = stp;
	if (!st)
		return;
	pg_reset(st);
	char *ident = PQstatus(c->pg) == CONNECTION_OK
	                  ? PQescapeIdentifier(c->pg, st->name, strlen(st->name))
	                  : NULL;
	if (ident) {
		char sql[sizeof st->name * 2 + 16];
		if ((size_t)snprintf(sql, sizeof sql, "DEALLOCATE %s", ident) < sizeof sql)
			PQclear(PQexec(c->pg, sql));
		PQfreemem(ident);
	}
	free(st->values);
	free(st);
}

static const char *
pg_errmsg(void *h)
{
	struct pg_conn *c = h;
	return c->err;
}

/*
 * Begins the writer's group transaction and takes the writers' advisory lock, which the
 * transaction's end releases. On failure the transaction is rolled back, so the connection is
 * never left inside an aborted transaction; the error text is kept.
 */
static int
pg_begin_write(void *h)
{
	struct pg_conn *c = h;
	if (pg_exec(c, "BEGIN; SELECT pg_advisory_xact_lock(" WRITER_LOCK_KEY ")") == 0)
		return 0;
	PQclear(PQexec(c->pg, "ROLLBACK"));
	return HERR_DB;
}

static const char *
pg_ddl_word(const char *word)
{
	if (strcmp(word, "ID") == 0)
		return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
	if (strcmp(word, "BLOB") == 0)
		return "BYTEA";
	if (strcmp(word, "CTEXT") == 0)
		return "TEXT COLLATE \"C\"";
	return NULL;
}

/* ---- backup -------------------------------------------------------------------------- */

/*
 * Finds an executable regular file called name in the directories of PATH, writing its path
 * into buf. Empty PATH entries (the current directory) are not searched. Returns true when
 * found.
 */
static bool
find_in_path(const char *name, char *buf, size_t size)
{
	const char *path = getenv("PATH");
	while (path && *path) {
		size_t n = strcspn(path, ":");
		if (n > 0 && (size_t)snprintf(buf, size, "%.*s/%s", (int)n, path, name) < size) {
			struct stat sb;
			if (stat(buf, &sb) == 0 && S_ISREG(sb.st_mode) && access(buf, X_OK) == 0)
				return true;
		}
		path += n;
		if (*path == ':')
			path++;
	}
	return false;
}

/*
 * Writes a consistent dump of the database at target into the file path with pg_dump
 * --format=custom (restore with pg_restore). pg_dump is taken from PATH, else from the
 * PostgreSQL 15 directory; it runs without a shell and never prompts for a password. The
 * executable is looked up before fork, so that the child of this threaded process calls
 * nothing but async-signal-safe functions. Returns 0, or HERR_IO when pg_dump cannot be run
 * or fails (then the partial file it wrote is removed).
 */
static int
pg_backup(const char *target, const char *path)
{
	char exe[PATH_MAX];
	if (!find_in_path("pg_dump", exe, sizeof exe))
		snprintf(exe, sizeof exe, "%s", PG_DUMP_FALLBACK);
	struct strbuf file_arg, db_arg;
	sb_init(&file_arg, 0);
	sb_init(&db_arg, 0);
	sb_addf(&file_arg, "--file=%s", path);
	sb_addf(&db_arg, "--dbname=%s", target);
	char arg0[] = "pg_dump", format[] = "--format=custom", nopass[] = "--no-password";
	char *const argv[] = {arg0, format, nopass, file_arg.buf, db_arg.buf, NULL};
	int rc = HERR_IO;
	if (file_arg.err || db_arg.err)
		goto out;
	pid_t pid = fork();
	if (pid < 0) {
		log_error("db: cannot start pg_dump: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd >= 0 && fd != STDIN_FILENO) {
			dup2(fd, STDIN_FILENO);
			close(fd);
		}
		execv(exe, argv);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			log_error("db: cannot wait for pg_dump: %s", strerror(errno));
			goto out;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		rc = 0;
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		/* execv failed: pg_dump never ran and never touched path. */
		log_error("db: cannot run pg_dump '%s'", exe);
	} else {
		log_error("db: pg_dump failed with %s %d",
		          WIFEXITED(status) ? "exit status" : "signal",
		          WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		unlink(path);
	}
out:
	sb_release(&db_arg);
	sb_release(&file_arg);
	return rc;
}

static bool
pg_alive(void *h)
{
	struct pg_conn *c = h;
	return PQstatus(c->pg) == CONNECTION_OK;
}

const struct db_driver db_pgsql_driver = {
    .name = "pgsql",
    .kind = DB_PGSQL,
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .bind_blob = pg_bind_blob,
    .step = pg_step,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_null = pg_col_null,
    .col_blob = pg_col_blob,
    .reset = pg_reset,
    .errmsg = pg_errmsg,
    .alive = pg_alive,
    .begin_write = pg_begin_write,
    .ddl_word = pg_ddl_word,
    .backup = pg_backup,
};
