/*
 * The engine-independent half of the storage layer: URL dispatch, the reader pool, the writer
 * thread with group commit, the per-connection statement cache and DDL word translation.
 * Design: ARCHITECTURE.md (Storage) and docs/architecture.md (Group commit).
 */
#include "db.h"

#include <assert.h>
#include <pthread.h>
#include <semaphore.h>
#include <time.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/err.h"
#include "../base/log.h"
#include "../base/strbuf.h"
#include "../base/xalloc.h"
#include "driver.h"

/* The most jobs one group transaction takes. */
#define GROUP_MAX 512

struct db_stmt {
	struct db_conn *conn; /* owning connection */
	const char *sql;      /* key: address of the statement text */
	void *handle;         /* the driver's statement */
};

struct db_conn {
	struct db *db;             /* owner */
	void *handle;              /* the driver's connection */
	struct db_stmt **slots;    /* open-addressing cache keyed by sql address; each statement
	                            * is its own allocation, so that a pointer a caller holds
	                            * (an outer loop over rows) survives the cache growing */
	size_t nslots;             /* capacity, a power of two */
	size_t nused;              /* statements cached */
	unsigned next_name;        /* counter for prepared statement names */
	uint64_t txn_gen;          /* changes whenever work on this connection may be undone */
	struct db_conn *next_free; /* link in the reader free list */
};

struct job {
	db_write_fn fn;   /* the work */
	void *arg;        /* its argument */
	int rc;           /* result, valid once done is posted */
	sem_t done;       /* posted by the writer after the group committed or failed: the
	                   * submitter waits on its own semaphore, so a commit wakes only its
	                   * group and no woken submitter queues on the writer's mutex */
	struct job *next; /* queue link */
};

struct db {
	const struct db_driver *drv; /* engine */
	char *url;                   /* as opened */
	char *target;                /* the URL without "sqlite:" for SQLite; the URL for libpq */
	struct db_conn *writer;      /* the one writer connection */
	struct db_conn *readers;     /* all readers, array */
	int nreaders;                /* size of readers */
	struct db_conn *free_readers;
	pthread_mutex_t pool_mu;
	pthread_cond_t pool_cv;
	pthread_t writer_thread;
	bool writer_running;
	pthread_mutex_t q_mu;
	pthread_cond_t q_cv; /* the writer waits for work */
	struct job *q_head, *q_tail;
	bool stopping;
	uint64_t groups; /* group transactions committed, for statistics */
	uint64_t jobs;   /* jobs run */
	/* The checkpointer (drivers with checkpoint): a thread with a connection of its own. */
	struct db_conn *ckpt;
	pthread_t ckpt_thread;
	bool ckpt_running;
	bool ckpt_stop;         /* under q_mu */
	pthread_cond_t ckpt_cv; /* wakes the checkpointer to stop */
};

/* How often the checkpointer looks at the log. */
#define CHECKPOINT_MS 100

/*
 * Checkpoints off the writer's path. SQLite's writer would otherwise, every few thousand
 * pages, copy the log into the database file and sync it inside a commit, holding up every
 * report of that group; a passive checkpoint on another connection does the same work beside
 * the writer and never blocks it (docs/perf.md, Visits).
 */
static void *
ckpt_main(void *arg)
{
	struct db *db = arg;
	pthread_mutex_lock(&db->q_mu);
	while (!db->ckpt_stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += CHECKPOINT_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&db->ckpt_cv, &db->q_mu, &until);
		if (db->ckpt_stop)
			break;
		pthread_mutex_unlock(&db->q_mu);
		if (db->drv->checkpoint(db->ckpt->handle) != 0)
			log_warn("db: checkpoint failed: %s", db->drv->errmsg(db->ckpt->handle));
		pthread_mutex_lock(&db->q_mu);
	}
	pthread_mutex_unlock(&db->q_mu);
	return NULL;
}

/* Generations are unique across all connections of the process, so a value cached for a
 * closed connection can never match a new one that reuses its address. */
static _Atomic uint64_t gen_counter;

static void
bump_gen(struct db_conn *c)
{
	c->txn_gen = atomic_fetch_add(&gen_counter, 1) + 1;
}

static int
conn_open(struct db *db, bool writer, struct db_conn *c)
{
	memset(c, 0, sizeof *c);
	c->db = db;
	int rc = db->drv->connect(db->target, writer, &c->handle);
	if (rc)
		return rc;
	c->nslots = 64;
	c->slots = xcalloc(c->nslots, sizeof *c->slots);
	return 0;
}

static void
conn_close(struct db_conn *c)
{
	if (!c->handle)
		return;
	for (size_t i = 0; i < c->nslots; i++)
		if (c->slots[i]) {
			c->db->drv->finalize(c->handle, c->slots[i]->handle);
			free(c->slots[i]);
		}
	free(c->slots);
	c->db->drv->disconnect(c->handle);
	c->handle = NULL;
}

static void *writer_main(void *arg);

/*
 * Replaces a connection the driver reports broken (a PostgreSQL restart, a failover, a network
 * break) with a new one, its statement cache emptied: the server forgot the prepared
 * statements. The work that met the break has failed already and its caller got HERR_DB; the
 * next user of the connection gets a working one, or, while the server is still away, a
 * connection that fails again and is retried the time after.
 */
static void
conn_check(struct db *db, bool writer, struct db_conn *c)
{
	if (!db->drv->alive || (c->handle && db->drv->alive(c->handle)))
		return;
	log_warn("db: %s connection lost; reconnecting", writer ? "writer" : "reader");
	struct db_conn *keep_next = c->next_free;
	conn_close(c);
	if (conn_open(db, writer, c) != 0)
		log_error("db: reconnect failed; will retry on next use");
	c->next_free = keep_next;
	bump_gen(c);
}

int
db_open(const char *url, int readers, struct db **out)
{
	const struct db_driver *drv;
	const char *target;
	if (!url)
		return HERR_INVALID;
	if (strncmp(url, "sqlite:", 7) == 0) {
		drv = &db_sqlite_driver;
		target = url + 7;
		if (!*target)
			return HERR_INVALID;
	} else if (strncmp(url, "fault:", 6) == 0) {
		drv = db__fault_driver();
		target = url + 6;
		if (!*target)
			return HERR_INVALID;
	} else if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0) {
		drv = &db_pgsql_driver;
		target = url;
	} else {
		return HERR_INVALID;
	}
	if (readers < 1)
		readers = 1;
	struct db *db = xcalloc(1, sizeof *db);
	db->drv = drv;
	db->url = xstrdup(url);
	db->target = xstrdup(target);
	pthread_mutex_init(&db->pool_mu, NULL);
	pthread_cond_init(&db->pool_cv, NULL);
	pthread_mutex_init(&db->q_mu, NULL);
	pthread_cond_init(&db->q_cv, NULL);
	db->writer = xcalloc(1, sizeof *db->writer);
	int rc = conn_open(db, true, db->writer);
	if (rc)
		goto fail;
	db->readers = xcalloc((size_t)readers, sizeof *db->readers);
	db->nreaders = readers;
	for (int i = 0; i < readers; i++) {
		rc = conn_open(db, false, &db->readers[i]);
		if (rc)
			goto fail;
		db->readers[i].next_free = db->free_readers;
		db->free_readers = &db->readers[i];
	}
	if (pthread_create(&db->writer_thread, NULL, writer_main, db) != 0) {
		rc = HERR_INTERNAL;
		goto fail;
	}
	db->writer_running = true;
	if (drv->checkpoint) {
		pthread_cond_init(&db->ckpt_cv, NULL);
		db->ckpt = xcalloc(1, sizeof *db->ckpt);
		if ((rc = conn_open(db, true, db->ckpt)) != 0)
			goto fail;
		if (drv->exec(db->writer->handle, "PRAGMA wal_autocheckpoint=0") != 0 ||
		    pthread_create(&db->ckpt_thread, NULL, ckpt_main, db) != 0) {
			rc = HERR_INTERNAL;
			goto fail;
		}
		db->ckpt_running = true;
	}
	*out = db;
	return 0;
fail:
	db_close(db);
	return rc;
}

void
db_close(struct db *db)
{
	if (!db)
		return;
	if (db->ckpt_running) {
		pthread_mutex_lock(&db->q_mu);
		db->ckpt_stop = true;
		pthread_cond_signal(&db->ckpt_cv);
		pthread_mutex_unlock(&db->q_mu);
		pthread_join(db->ckpt_thread, NULL);
		db->ckpt_running = false;
	}
	if (db->ckpt) {
		conn_close(db->ckpt);
		free(db->ckpt);
		pthread_cond_destroy(&db->ckpt_cv);
	}
	if (db->writer_running) {
		pthread_mutex_lock(&db->q_mu);
		db->stopping = true;
		pthread_cond_broadcast(&db->q_cv);
		pthread_mutex_unlock(&db->q_mu);
		pthread_join(db->writer_thread, NULL);
		if (db->groups)
			log_info("db: %llu write jobs in %llu group transactions (%.1f a group)",
			         (unsigned long long)db->jobs, (unsigned long long)db->groups,
			         (double)db->jobs / (double)db->groups);
	}
	for (int i = 0; i < db->nreaders; i++)
		conn_close(&db->readers[i]);
	free(db->readers);
	if (db->writer)
		conn_close(db->writer);
	free(db->writer);
	pthread_mutex_destroy(&db->pool_mu);
	pthread_cond_destroy(&db->pool_cv);
	pthread_mutex_destroy(&db->q_mu);
	pthread_cond_destroy(&db->q_cv);
	free(db->url);
	free(db->target);
	free(db);
}

enum db_kind
db_kind(const struct db *db)
{
	return db->drv->kind;
}

const char *
db_url(const struct db *db)
{
	return db->url;
}

struct db *
db_of(struct db_conn *c)
{
	return c->db;
}

struct db_conn *
db_reader(struct db *db)
{
	pthread_mutex_lock(&db->pool_mu);
	while (!db->free_readers)
		pthread_cond_wait(&db->pool_cv, &db->pool_mu);
	struct db_conn *c = db->free_readers;
	db->free_readers = c->next_free;
	pthread_mutex_unlock(&db->pool_mu);
	conn_check(db, false, c);
	return c;
}

void
db_reader_done(struct db *db, struct db_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&db->pool_mu);
	c->next_free = db->free_readers;
	db->free_readers = c;
	pthread_cond_signal(&db->pool_cv);
	pthread_mutex_unlock(&db->pool_mu);
}

/* ---- group commit -------------------------------------------------------------------- */

/* Transaction control of the group. On SQLite these run as statements prepared once on the
 * writer connection (sqlite3_exec would parse them for every job); PostgreSQL cannot prepare
 * them and runs them as text. The texts are static so the statement cache keys on them. */
static const char sql_savepoint[] = "SAVEPOINT job";
static const char sql_release[] = "RELEASE SAVEPOINT job";
static const char sql_rollback_to[] = "ROLLBACK TO SAVEPOINT job";
static const char sql_commit[] = "COMMIT";
static const char sql_rollback[] = "ROLLBACK";

static int
txn(struct db_conn *c, const char *sql)
{
	if (c->db->drv->kind != DB_SQLITE)
		return c->db->drv->exec(c->handle, sql);
	struct db_stmt *st = db_prepare(c, sql);
	if (!st)
		return HERR_DB;
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : HERR_DB;
}

/* Runs one group: BEGIN, each job in a savepoint, COMMIT. Sets every job's rc. */
static void
run_group(struct db *db, struct job *group)
{
	struct db_conn *c = db->writer;
	bool group_failed = false;
	conn_check(db, true, c);
	bump_gen(c);
	int rc = c->handle ? db->drv->begin_write(c->handle) : HERR_DB;
	if (rc) {
		log_error("db: cannot begin group transaction: %s", db->drv->errmsg(c->handle));
		for (struct job *j = group; j; j = j->next)
			j->rc = HERR_DB;
		return;
	}
	for (struct job *j = group; j; j = j->next) {
		if (txn(c, sql_savepoint) != 0) {
			j->rc = HERR_DB;
			continue;
		}
		j->rc = j->fn(c, j->arg);
		if (j->rc < 0) {
			bump_gen(c);
			if (txn(c, sql_rollback_to) != 0) {
				log_error("db: rollback to savepoint failed: %s",
				          db->drv->errmsg(c->handle));
				group_failed = true;
				break;
			}
			txn(c, sql_release);
		} else if (txn(c, sql_release) != 0) {
			/* The job swallowed an SQL error (PostgreSQL then refuses the release):
			 * undo only this job's work. */
			txn(c, sql_rollback_to);
			txn(c, sql_release);
			bump_gen(c);
			j->rc = HERR_DB;
		}
	}
	if (group_failed) {
		txn(c, sql_rollback);
		for (struct job *j = group; j; j = j->next)
			j->rc = HERR_DB;
	} else if (txn(c, sql_commit) != 0) {
		log_error("db: group commit failed: %s", db->drv->errmsg(c->handle));
		txn(c, sql_rollback);
		for (struct job *j = group; j; j = j->next)
			j->rc = HERR_DB;
	}
}

static void *
writer_main(void *arg)
{
	struct db *db = arg;
	pthread_mutex_lock(&db->q_mu);
	for (;;) {
		while (!db->q_head && !db->stopping)
			pthread_cond_wait(&db->q_cv, &db->q_mu);
		if (!db->q_head && db->stopping)
			break;
		/* Take up to GROUP_MAX jobs off the queue. */
		struct job *group = db->q_head, *last = group;
		int n = 1;
		while (last->next && n < GROUP_MAX) {
			last = last->next;
			n++;
		}
		db->q_head = last->next;
		if (!db->q_head)
			db->q_tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&db->q_mu);

		run_group(db, group);

		for (struct job *j = group, *nx; j; j = nx) {
			/* Read the link first: once posted, the job's owner may return. */
			nx = j->next;
			sem_post(&j->done);
		}
		pthread_mutex_lock(&db->q_mu);
		db->groups++;
		db->jobs += (uint64_t)n;
	}
	pthread_mutex_unlock(&db->q_mu);
	return NULL;
}

int
db_write(struct db *db, db_write_fn fn, void *arg)
{
	struct job j = {.fn = fn, .arg = arg};
	sem_init(&j.done, 0, 0);
	pthread_mutex_lock(&db->q_mu);
	if (db->stopping) {
		pthread_mutex_unlock(&db->q_mu);
		sem_destroy(&j.done);
		return HERR_UNAVAILABLE;
	}
	if (db->q_tail)
		db->q_tail->next = &j;
	else
		db->q_head = &j;
	db->q_tail = &j;
	pthread_cond_signal(&db->q_cv);
	pthread_mutex_unlock(&db->q_mu);
	while (sem_wait(&j.done) != 0)
		; /* EINTR: wait on */
	sem_destroy(&j.done);
	return j.rc;
}

/* ---- statements ---------------------------------------------------------------------- */

int
db_exec(struct db_conn *c, const char *sql)
{
	if (!c->handle)
		return HERR_DB; /* lost, and not reconnected yet */
	return c->db->drv->exec(c->handle, sql) ? HERR_DB : 0;
}

uint64_t
db_txn_gen(const struct db_conn *c)
{
	return c->txn_gen;
}

int
db_begin(struct db_conn *c)
{
	bump_gen(c);
	return c->db->drv->begin_write(c->handle) ? HERR_DB : 0;
}

int
db_commit(struct db_conn *c)
{
	return db_exec(c, "COMMIT");
}

int
db_rollback(struct db_conn *c)
{
	bump_gen(c);
	return db_exec(c, "ROLLBACK");
}

static size_t
slot_of(const char *sql, size_t nslots)
{
	uintptr_t h = (uintptr_t)sql;
	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 20) & (nslots - 1);
}

static void
cache_grow(struct db_conn *c)
{
	size_t n = c->nslots * 2;
	struct db_stmt **s = xcalloc(n, sizeof *s);
	for (size_t i = 0; i < c->nslots; i++) {
		if (!c->slots[i])
			continue;
		size_t k = slot_of(c->slots[i]->sql, n);
		while (s[k])
			k = (k + 1) & (n - 1);
		s[k] = c->slots[i];
	}
	free(c->slots);
	c->slots = s;
	c->nslots = n;
}

struct db_stmt *
db_prepare(struct db_conn *c, const char *sql)
{
	if (!c->handle) {
		log_error("db: cannot prepare statement: the connection is lost");
		return NULL;
	}
	size_t k = slot_of(sql, c->nslots);
	while (c->slots[k]) {
		if (c->slots[k]->sql == sql) {
			/* As promised: reset even if the last user forgot to. */
			c->db->drv->reset(c->slots[k]->handle);
			return c->slots[k];
		}
		k = (k + 1) & (c->nslots - 1);
	}
	char name[32];
	snprintf(name, sizeof name, "s%u", c->next_name++);
	void *h;
	if (c->db->drv->prepare(c->handle, name, sql, &h) != 0) {
		log_error("db: cannot prepare statement: %s", c->db->drv->errmsg(c->handle));
		return NULL;
	}
	if ((c->nused + 1) * 2 > c->nslots) {
		cache_grow(c);
		k = slot_of(sql, c->nslots);
		while (c->slots[k])
			k = (k + 1) & (c->nslots - 1);
	}
	struct db_stmt *st = xmalloc(sizeof *st);
	st->conn = c;
	st->sql = sql;
	st->handle = h;
	c->slots[k] = st;
	c->nused++;
	return st;
}

void
db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	st->conn->db->drv->bind_int(st->handle, idx, v);
}

void
db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (!s)
		st->conn->db->drv->bind_null(st->handle, idx);
	else
		st->conn->db->drv->bind_text(st->handle, idx, s);
}

void
db_bind_null(struct db_stmt *st, int idx)
{
	st->conn->db->drv->bind_null(st->handle, idx);
}

void
db_bind_blob(struct db_stmt *st, int idx, const void *data, size_t len)
{
	if (!data)
		st->conn->db->drv->bind_null(st->handle, idx);
	else
		st->conn->db->drv->bind_blob(st->handle, idx, data, len);
}

int
db_step(struct db_stmt *st)
{
	int rc = st->conn->db->drv->step(st->conn->handle, st->handle);
	if (rc < 0 && rc != HERR_CONFLICT)
		log_error("db: statement failed: %s", st->conn->db->drv->errmsg(st->conn->handle));
	return rc;
}

int64_t
db_col_int(struct db_stmt *st, int col)
{
	return st->conn->db->drv->col_int(st->handle, col);
}

const char *
db_col_text(struct db_stmt *st, int col)
{
	return st->conn->db->drv->col_text(st->handle, col);
}

bool
db_col_null(struct db_stmt *st, int col)
{
	return st->conn->db->drv->col_null(st->handle, col);
}

const void *
db_col_blob(struct db_stmt *st, int col, size_t *len)
{
	size_t n = 0;
	const void *p = st->conn->db->drv->col_blob(st->handle, col, &n);
	*len = p ? n : 0;
	return p;
}

void
db_reset(struct db_stmt *st)
{
	if (st)
		st->conn->db->drv->reset(st->handle);
}

void
db_bind_opt_text(struct db_stmt *st, int idx, const char *s)
{
	if (s && *s)
		db_bind_text(st, idx, s);
	else
		db_bind_null(st, idx);
}

void
db_bind_opt_int(struct db_stmt *st, int idx, int64_t v)
{
	if (v)
		db_bind_int(st, idx, v);
	else
		db_bind_null(st, idx);
}

void
db_col_copy(struct db_stmt *st, int col, char *dst, size_t n)
{
	str_copy(dst, n, db_col_text(st, col));
}

int
db_step_one(struct db_stmt *st, db_map_fn map, void *out)
{
	int rc = db_step(st);
	if (rc == DB_ROW) {
		if (map)
			map(st, out);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = HERR_NOT_FOUND;
	}
	db_reset(st);
	return rc;
}

int
db_step_each(struct db_stmt *st, int (*each)(struct db_stmt *st, void *arg), void *arg)
{
	assert(each);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		rc = each(st, arg);
		if (rc != 0)
			break;
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int
db_step_id(struct db_stmt *st, int64_t *id, int none)
{
	assert(none < 0);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		if (id)
			*id = db_col_int(st, 0);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = none;
	}
	db_reset(st);
	return rc;
}

int
db_step_done(struct db_stmt *st)
{
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

const char *
db_errmsg(struct db_conn *c)
{
	if (!c->handle)
		return "the connection is lost";
	return c->db->drv->errmsg(c->handle);
}

int64_t
db_query_int(struct db_conn *c, const char *sql, int64_t dflt)
{
	struct db_stmt *st = db_prepare(c, sql);
	if (!st)
		return dflt;
	int64_t v = dflt;
	if (db_step(st) == DB_ROW && !db_col_null(st, 0))
		v = db_col_int(st, 0);
	db_reset(st);
	return v;
}

static const char sql_ping[] = "SELECT 1";

int
db_ping(struct db *db)
{
	struct db_conn *c = db_reader(db);
	int64_t one = db_query_int(c, sql_ping, 0);
	db_reader_done(db, c);
	return one == 1 ? 0 : HERR_DB;
}

int
db_backup(struct db *db, const char *path)
{
	/* The driver opens a connection of its own, so the writer and readers go on serving. */
	return db->drv->backup(db->target, path);
}

/* ---- DDL translation, used by migrate.c ---------------------------------------------- */

char *db__translate_ddl(struct db *db, const char *sql);

/* Replaces @WORD@ tokens with the engine's spelling. Caller frees with free(). */
char *
db__translate_ddl(struct db *db, const char *sql)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	const char *p = sql;
	while (*p) {
		const char *at = strchr(p, '@');
		if (!at) {
			sb_adds(&sb, p);
			break;
		}
		const char *end = strchr(at + 1, '@');
		if (!end) {
			sb_adds(&sb, p);
			break;
		}
		sb_add(&sb, p, (size_t)(at - p));
		char word[32];
		size_t n = (size_t)(end - at - 1);
		const char *rep = NULL;
		if (n < sizeof word) {
			memcpy(word, at + 1, n);
			word[n] = '\0';
			rep = db->drv->ddl_word(word);
		}
		if (rep) {
			sb_adds(&sb, rep);
			p = end + 1;
		} else {
			sb_addc(&sb, '@');
			p = at + 1;
		}
	}
	return sb_detach(&sb, NULL);
}
