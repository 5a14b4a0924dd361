/*
 * How to run: tests/unit/db_test runs the cases on SQLite. For PostgreSQL as well, start a cluster
 * with URL=$(scripts/pg-cluster start /tmp/hanna-pg | tail -n 1), run with HANNA_TEST_PG_URL=$URL
 * and then scripts/pg-cluster stop /tmp/hanna-pg; each run makes and drops a schema of its own.
 *
 * Tests of the storage interface db.h (ARCHITECTURE.md, Storage), the same cases on both
 * engines: opening and migrating, writes through the group-commit writer (RETURNING, unique and
 * foreign key conflicts, one job of a group rolled back while the rest commits, many threads at
 * once), reads through the reader pool, UTF-8 text, NULLs, $N placeholders out of order, binary
 * data, the row helpers (db_step_one, db_step_each, db_step_id, db_step_done, db_col_copy and
 * the optional binds), and backup. Expected errors of the conflict cases appear in the log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/err.h"
#include "base/log.h"
#include "db/db.h"
#include "db/migrations.h"

/* Writer threads of the concurrency test, and db_write calls each makes. */
#define LOAD_THREADS 16
#define LOAD_WRITES 200

struct fixture {
	struct db *db;      /* the database under test */
	char url[1024];     /* its URL */
	char base_url[512]; /* PostgreSQL: the URL given, without the test schema */
	char schema[64];    /* PostgreSQL: the schema this run works in */
	char path[256];     /* SQLite: the database file */
};

static struct fixture fx;

/* ---- SQL, with static storage as db_prepare requires ----------------------------------- */

static const char sql_insert_tenant[] =
    "INSERT INTO tenants (name, title, created_at) VALUES ($1, $2, $3) RETURNING id";
static const char sql_insert_unit[] =
    "INSERT INTO units (tenant_id, name, created_at) VALUES ($1, $2, $3)";
static const char sql_count_like[] = "SELECT COUNT(*) FROM tenants WHERE name LIKE $1";
static const char sql_tenant_by_id[] = "SELECT name, title, created_at FROM tenants WHERE id = $1";
static const char sql_tenants_ordered[] =
    "SELECT id, name FROM tenants WHERE name LIKE $1 ORDER BY name";
static const char sql_insert_person[] =
    "INSERT INTO persons (tenant_id, pnr, pnr_kind, given_name, family_name, name_key, given_key,"
    " street, city, phone, created_at, updated_at)"
    " VALUES ($1, $2, 'pnr', $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id";
static const char sql_person_by_id[] =
    "SELECT given_name, family_name, street, city, phone, name_key, protected_identity"
    " FROM persons WHERE id = $1";
static const char sql_insert_swapped[] =
    "INSERT INTO tenants (name, title, created_at) VALUES ($2, $1, $3) RETURNING id";
static const char sql_select_swapped[] =
    "SELECT id, '$5 is not a parameter' /* nor $6 */ FROM tenants -- nor $7\n"
    " WHERE \"title\" = $2 AND name = $1";
static const char sql_bool[] = "SELECT 1 = 1";
static const char sql_txid[] = "SELECT txid_current()";
static const char sql_rename_tenant[] = "UPDATE tenants SET title = $2 WHERE id = $1 RETURNING id";
static const char sql_insert_unit_opt[] =
    "INSERT INTO units (tenant_id, name, created_at) VALUES ($1, $2, $3)";
static const char sql_units_named[] =
    "SELECT name, id FROM units WHERE tenant_id = $1 ORDER BY name";
static const char sql_person_street[] = "SELECT street, phone FROM persons WHERE id = $1";
static const char sql_reader_write[] =
    "INSERT INTO tenants (name, title, created_at) VALUES ('read-only', 'x', 0)";

/* ---- helpers ------------------------------------------------------------------------- */

struct tenant_job {
	const char *name;  /* tenants.name */
	const char *title; /* tenants.title */
	int64_t id;        /* out: the id RETURNING gave */
};

/* Write job: inserts one tenant and keeps its id. Returns 0 or the step's error. */
static int
insert_tenant(struct db_conn *c, void *arg)
{
	struct tenant_job *t = arg;
	struct db_stmt *st = db_prepare(c, sql_insert_tenant);
	if (!st)
		return HERR_DB;
	db_bind_text(st, 1, t->name);
	db_bind_text(st, 2, t->title);
	db_bind_int(st, 3, 1700000000);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		t->id = db_col_int(st, 0);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = HERR_INTERNAL;
	}
	db_reset(st);
	return rc;
}

/* Counts tenants whose name is LIKE pattern, through a reader. */
static int64_t
count_like(const char *pattern)
{
	struct db_conn *c = db_reader(fx.db);
	struct db_stmt *st = db_prepare(c, sql_count_like);
	int64_t n = -1;
	if (st) {
		db_bind_text(st, 1, pattern);
		if (db_step(st) == DB_ROW)
			n = db_col_int(st, 0);
		db_reset(st);
	}
	db_reader_done(fx.db, c);
	return n;
}

/* A db_write call made on a thread of its own. */
struct writer {
	pthread_t thread; /* the thread */
	db_write_fn fn;   /* the job */
	void *arg;        /* its argument */
	int rc;           /* out: what db_write returned */
};

static void *
run_writer(void *arg)
{
	struct writer *w = arg;
	w->rc = db_write(fx.db, w->fn, w->arg);
	return NULL;
}

/* ---- open and migrate ---------------------------------------------------------------- */

static void
test_open_bad_url(void **state)
{
	(void)state;
	struct db *db = NULL;
	assert_int_equal(db_open("mysql://localhost/x", 1, &db), HERR_INVALID);
	assert_int_equal(db_open("sqlite:", 1, &db), HERR_INVALID);
	assert_null(db);
}

static void
test_migrate(void **state)
{
	(void)state;
	assert_int_equal(db_migrate(fx.db), 0);
	/* Numbers are handed out per feature branch, so a tree may have gaps (0011 before 0008
	 * is merged); they must ascend, and the schema is at the last one. */
	for (size_t i = 1; i < db_migrations_count; i++)
		assert_true(db_migrations[i].version > db_migrations[i - 1].version);
	assert_int_equal(db_schema_version(fx.db), db_migrations[db_migrations_count - 1].version);
	/* A second run finds nothing to do. */
	assert_int_equal(db_migrate(fx.db), 0);
	assert_int_equal(db_schema_version(fx.db), db_migrations[db_migrations_count - 1].version);
	assert_int_equal(count_like("%"), 0);
}

/* ---- writes -------------------------------------------------------------------------- */

static void
test_insert_returning(void **state)
{
	(void)state;
	struct tenant_job a = {.name = "ret-a", .title = "A"};
	struct tenant_job b = {.name = "ret-b", .title = "B"};
	assert_int_equal(db_write(fx.db, insert_tenant, &a), 0);
	assert_int_equal(db_write(fx.db, insert_tenant, &b), 0);
	assert_true(a.id > 0);
	assert_true(b.id > a.id);

	struct db_conn *c = db_reader(fx.db);
	struct db_stmt *st = db_prepare(c, sql_tenant_by_id);
	assert_non_null(st);
	db_bind_int(st, 1, b.id);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "ret-b");
	assert_string_equal(db_col_text(st, 1), "B");
	assert_int_equal(db_col_int(st, 2), 1700000000);
	assert_int_equal(db_step(st), DB_DONE);
	db_reset(st);
	db_reader_done(fx.db, c);
}

struct unit_job {
	int64_t tenant_id; /* units.tenant_id */
	const char *name;  /* units.name */
};

static int
insert_unit(struct db_conn *c, void *arg)
{
	struct unit_job *u = arg;
	struct db_stmt *st = db_prepare(c, sql_insert_unit);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, u->tenant_id);
	db_bind_text(st, 2, u->name);
	db_bind_int(st, 3, 1700000000);
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

static void
test_conflicts(void **state)
{
	(void)state;
	struct tenant_job t = {.name = "dup", .title = "first"};
	assert_int_equal(db_write(fx.db, insert_tenant, &t), 0);
	struct tenant_job again = {.name = "dup", .title = "second"};
	assert_int_equal(db_write(fx.db, insert_tenant, &again), HERR_CONFLICT);
	assert_int_equal(count_like("dup"), 1);

	struct unit_job ok = {.tenant_id = t.id, .name = "unit"};
	assert_int_equal(db_write(fx.db, insert_unit, &ok), 0);
	struct unit_job orphan = {.tenant_id = t.id + 1000000, .name = "orphan"};
	assert_int_equal(db_write(fx.db, insert_unit, &orphan), HERR_CONFLICT);
	/* The writer goes on after the conflicts. */
	struct tenant_job after = {.name = "after-dup", .title = "x"};
	assert_int_equal(db_write(fx.db, insert_tenant, &after), 0);
}

/* ---- one group, one job rolled back -------------------------------------------------- */

/* Holds the writer thread until the test opens it, so that later jobs queue into one group. */
struct gate {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool running; /* the gate job has started */
	bool open;    /* the test lets it finish */
};

static int
gate_job(struct db_conn *c, void *arg)
{
	(void)c;
	struct gate *g = arg;
	pthread_mutex_lock(&g->mu);
	g->running = true;
	pthread_cond_broadcast(&g->cv);
	while (!g->open)
		pthread_cond_wait(&g->cv, &g->mu);
	pthread_mutex_unlock(&g->mu);
	return 0;
}

struct group_job {
	const char *name; /* the tenant the job inserts */
	int64_t txid;     /* out, PostgreSQL: the transaction it ran in */
};

/* Inserts its tenant, then the same tenant again: fails with HERR_CONFLICT. */
static int
failing_job(struct db_conn *c, void *arg)
{
	struct group_job *g = arg;
	struct tenant_job t = {.name = g->name, .title = "rolled back"};
	int rc = insert_tenant(c, &t);
	if (rc)
		return rc == HERR_CONFLICT ? HERR_INTERNAL : rc;
	if (db_kind(db_of(c)) == DB_PGSQL)
		g->txid = db_query_int(c, sql_txid, -1);
	return insert_tenant(c, &t);
}

/* Inserts its tenant and keeps it. */
static int
committing_job(struct db_conn *c, void *arg)
{
	struct group_job *g = arg;
	struct tenant_job t = {.name = g->name, .title = "kept"};
	int rc = insert_tenant(c, &t);
	if (db_kind(db_of(c)) == DB_PGSQL)
		g->txid = db_query_int(c, sql_txid, -1);
	return rc;
}

static void
test_group_rollback(void **state)
{
	(void)state;
	struct gate g = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
	struct group_job fail = {.name = "group-fail", .txid = -2};
	struct group_job keep = {.name = "group-keep", .txid = -3};
	struct writer w[3] = {
	    {.fn = gate_job, .arg = &g},
	    {.fn = failing_job, .arg = &fail},
	    {.fn = committing_job, .arg = &keep},
	};
	assert_int_equal(pthread_create(&w[0].thread, NULL, run_writer, &w[0]), 0);
	pthread_mutex_lock(&g.mu);
	while (!g.running)
		pthread_cond_wait(&g.cv, &g.mu);
	pthread_mutex_unlock(&g.mu);
	/* The writer is held in the gate's group; queue the failing job, then the other. */
	assert_int_equal(pthread_create(&w[1].thread, NULL, run_writer, &w[1]), 0);
	usleep(100 * 1000);
	assert_int_equal(pthread_create(&w[2].thread, NULL, run_writer, &w[2]), 0);
	usleep(200 * 1000);
	pthread_mutex_lock(&g.mu);
	g.open = true;
	pthread_cond_broadcast(&g.cv);
	pthread_mutex_unlock(&g.mu);
	for (int i = 0; i < 3; i++)
		pthread_join(w[i].thread, NULL);

	assert_int_equal(w[0].rc, 0);
	assert_int_equal(w[1].rc, HERR_CONFLICT);
	assert_int_equal(w[2].rc, 0);
	assert_int_equal(count_like("group-fail"), 0);
	assert_int_equal(count_like("group-keep"), 1);
	if (db_kind(fx.db) == DB_PGSQL) {
		/* Proof that both jobs ran in one group transaction. */
		assert_true(fail.txid > 0);
		assert_int_equal(fail.txid, keep.txid);
	}
}

/* Inserts a tenant, then ignores a failed statement and claims success. */
static int
swallowing_job(struct db_conn *c, void *arg)
{
	(void)arg;
	struct tenant_job t = {.name = "swallowed", .title = "x"};
	int rc = insert_tenant(c, &t);
	if (rc)
		return rc;
	struct tenant_job dup = {.name = "dup", .title = "x"};
	(void)insert_tenant(c, &dup);
	return 0;
}

/*
 * A job that swallows a failed statement: SQLite undoes only that statement and keeps the rest,
 * while PostgreSQL has aborted the transaction, so its COMMIT rolls back. Either way db_write
 * must not report a commit that did not happen.
 */
static void
test_swallowed_error(void **state)
{
	(void)state;
	int rc = db_write(fx.db, swallowing_job, NULL);
	if (rc == 0)
		assert_int_equal(count_like("swallowed"), 1);
	else
		assert_int_equal(count_like("swallowed"), 0);
	if (db_kind(fx.db) == DB_SQLITE)
		assert_int_equal(rc, 0);
	/* The writer is usable afterwards. */
	struct tenant_job t = {.name = "after-swallow", .title = "x"};
	assert_int_equal(db_write(fx.db, insert_tenant, &t), 0);
	assert_int_equal(count_like("after-swallow"), 1);
}

/* ---- many writers -------------------------------------------------------------------- */

struct load {
	pthread_t thread; /* the thread */
	int n;            /* its number */
	int failures;     /* out: db_write calls that did not return 0 */
	int64_t min_id;   /* out: the smallest id it got */
};

static void *
load_main(void *arg)
{
	struct load *l = arg;
	l->min_id = INT64_MAX;
	for (int i = 0; i < LOAD_WRITES; i++) {
		char name[32];
		snprintf(name, sizeof name, "load-%02d-%03d", l->n, i);
		struct tenant_job t = {.name = name, .title = "load"};
		if (db_write(fx.db, insert_tenant, &t) != 0 || t.id <= 0)
			l->failures++;
		else if (t.id < l->min_id)
			l->min_id = t.id;
	}
	return NULL;
}

static void
test_concurrent_writes(void **state)
{
	(void)state;
	struct load l[LOAD_THREADS];
	for (int i = 0; i < LOAD_THREADS; i++) {
		l[i] = (struct load){.n = i};
		assert_int_equal(pthread_create(&l[i].thread, NULL, load_main, &l[i]), 0);
	}
	for (int i = 0; i < LOAD_THREADS; i++)
		pthread_join(l[i].thread, NULL);
	for (int i = 0; i < LOAD_THREADS; i++) {
		assert_int_equal(l[i].failures, 0);
		assert_true(l[i].min_id > 0);
	}
	assert_int_equal(count_like("load-%"), LOAD_THREADS * LOAD_WRITES);
}

/* ---- reads --------------------------------------------------------------------------- */

static void
test_readers(void **state)
{
	(void)state;
	/* Two readers at once, each iterating its own rows. */
	struct db_conn *r1 = db_reader(fx.db);
	struct db_conn *r2 = db_reader(fx.db);
	assert_ptr_not_equal(r1, r2);
	struct db_stmt *s1 = db_prepare(r1, sql_tenants_ordered);
	struct db_stmt *s2 = db_prepare(r2, sql_tenants_ordered);
	assert_non_null(s1);
	assert_non_null(s2);
	db_bind_text(s1, 1, "load-07-%");
	db_bind_text(s2, 1, "load-1%");
	int n1 = 0, n2 = 0, rc1, rc2;
	char prev[32] = "";
	while ((rc1 = db_step(s1)) == DB_ROW) {
		const char *name = db_col_text(s1, 1);
		assert_non_null(name);
		assert_true(strcmp(prev, name) < 0);
		snprintf(prev, sizeof prev, "%s", name);
		assert_true(db_col_int(s1, 0) > 0);
		n1++;
		if ((rc2 = db_step(s2)) == DB_ROW)
			n2++;
	}
	assert_int_equal(rc1, DB_DONE);
	while ((rc2 = db_step(s2)) == DB_ROW)
		n2++;
	assert_int_equal(rc2, DB_DONE);
	assert_string_equal(prev, "load-07-199");
	assert_int_equal(n1, LOAD_WRITES);
	assert_int_equal(n2, 6 * LOAD_WRITES); /* load-10 .. load-15 */
	db_reset(s1);
	db_reset(s2);
	/* A reused statement starts afresh after db_reset. */
	db_bind_text(s1, 1, "load-00-000");
	assert_int_equal(db_step(s1), DB_ROW);
	assert_string_equal(db_col_text(s1, 1), "load-00-000");
	assert_int_equal(db_step(s1), DB_DONE);
	db_reset(s1);

	/* Booleans read as integers on both engines. */
	assert_int_equal(db_query_int(r1, sql_bool, -1), 1);

	/* Readers do not write, on either engine. */
	struct db_stmt *w = db_prepare(r2, sql_reader_write);
	if (w) {
		assert_true(db_step(w) < 0);
		db_reset(w);
	}
	db_reader_done(fx.db, r2);
	db_reader_done(fx.db, r1);
	assert_int_equal(count_like("read-only"), 0);
}

/* ---- text and NULL ------------------------------------------------------------------- */

struct person_job {
	const char *given, *family, *street, *city; /* values to store; NULL stores NULL */
	bool phone_null;                            /* bind phone with db_bind_null */
	int64_t tenant_id;                          /* the tenant */
	int64_t id;                                 /* out */
};

static int
insert_person(struct db_conn *c, void *arg)
{
	struct person_job *p = arg;
	struct db_stmt *st = db_prepare(c, sql_insert_person);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, p->tenant_id);
	db_bind_text(st, 2, p->given); /* pnr: any unique text will do here */
	db_bind_text(st, 3, p->given);
	db_bind_text(st, 4, p->family);
	db_bind_text(st, 5, p->family);
	db_bind_text(st, 6, p->given);
	db_bind_text(st, 7, p->street);
	db_bind_text(st, 8, p->city);
	if (p->phone_null)
		db_bind_null(st, 9);
	else
		db_bind_text(st, 9, "+46 8 123 45 67");
	db_bind_int(st, 10, 1700000000);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		p->id = db_col_int(st, 0);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = HERR_INTERNAL;
	}
	db_reset(st);
	return rc;
}

/* As insert_person, with the street through db_bind_opt_text and the phone through
 * db_bind_opt_int of 0 (both NULL). */
static int
insert_person_opt(struct db_conn *c, void *arg)
{
	struct person_job *p = arg;
	struct db_stmt *st = db_prepare(c, sql_insert_person);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, p->tenant_id);
	db_bind_text(st, 2, p->given);
	db_bind_text(st, 3, p->given);
	db_bind_text(st, 4, p->family);
	db_bind_text(st, 5, p->family);
	db_bind_text(st, 6, p->given);
	db_bind_opt_text(st, 7, p->street);
	db_bind_text(st, 8, p->city);
	db_bind_opt_int(st, 9, 0);
	db_bind_int(st, 10, 1700000000);
	return db_step_id(st, &p->id, HERR_INTERNAL);
}

static void
test_text_and_null(void **state)
{
	(void)state;
	struct tenant_job t = {.name = "Västerås stad", .title = "Ängelholms kommun"};
	assert_int_equal(db_write(fx.db, insert_tenant, &t), 0);
	struct person_job p = {.given = "Åsa-Märta",
	                       .family = "Öström Ågren",
	                       .street = NULL,
	                       .city = "Skövde",
	                       .phone_null = true,
	                       .tenant_id = t.id};
	assert_int_equal(db_write(fx.db, insert_person, &p), 0);

	struct db_conn *c = db_reader(fx.db);
	struct db_stmt *st = db_prepare(c, sql_person_by_id);
	assert_non_null(st);
	db_bind_int(st, 1, p.id);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "Åsa-Märta");
	assert_string_equal(db_col_text(st, 1), "Öström Ågren");
	assert_true(db_col_null(st, 2));
	assert_null(db_col_text(st, 2));
	assert_int_equal(db_col_int(st, 2), 0);
	assert_false(db_col_null(st, 3));
	assert_string_equal(db_col_text(st, 3), "Skövde");
	assert_true(db_col_null(st, 4));
	assert_null(db_col_text(st, 4));
	assert_string_equal(db_col_text(st, 5), "Öström Ågren"); /* a @CTEXT@ column */
	assert_false(db_col_null(st, 6));
	assert_int_equal(db_col_int(st, 6), 0); /* a DEFAULT 0 column */
	assert_int_equal(db_step(st), DB_DONE);
	db_reset(st);

	st = db_prepare(c, sql_tenant_by_id);
	assert_non_null(st);
	db_bind_int(st, 1, t.id);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "Västerås stad");
	assert_string_equal(db_col_text(st, 1), "Ängelholms kommun");
	db_reset(st);
	db_reader_done(fx.db, c);
}

/* ---- the statement cache ------------------------------------------------------------- */

/* Statements prepared while an outer loop holds a statement: enough to grow the cache. */
#define NESTED_STATEMENTS 200

static const char sql_two_rows[] = "SELECT 1 UNION ALL SELECT 2";

/* Regression (review 2026-11, the ASan crash of Mina sidor on PostgreSQL): a page walked a
 * case's decisions and, per row, prepared statements of another module; the cache grew and
 * moved every cached statement, and the outer loop stepped a freed one. A statement's address
 * must survive the cache growing. */
static void
test_nested_prepare(void **state)
{
	(void)state;
	static char texts[NESTED_STATEMENTS][32];
	struct db_conn *c = db_reader(fx.db);
	struct db_stmt *outer = db_prepare(c, sql_two_rows);
	assert_non_null(outer);
	assert_int_equal(db_step(outer), DB_ROW);
	assert_int_equal(db_col_int(outer, 0), 1);
	for (int i = 0; i < NESTED_STATEMENTS; i++) {
		snprintf(texts[i], sizeof texts[i], "SELECT %d", i);
		struct db_stmt *st = db_prepare(c, texts[i]);
		assert_non_null(st);
		assert_int_equal(db_step(st), DB_ROW);
		assert_int_equal(db_col_int(st, 0), i);
		db_reset(st);
	}
	/* The outer statement is where it was, and still on its second row. */
	assert_int_equal(db_step(outer), DB_ROW);
	assert_int_equal(db_col_int(outer, 0), 2);
	assert_int_equal(db_step(outer), DB_DONE);
	db_reset(outer);
	assert_ptr_equal(db_prepare(c, sql_two_rows), outer);
	db_reset(outer);
	db_reader_done(fx.db, c);
}

/* ---- the row helpers ----------------------------------------------------------------- */

struct helper_job {
	int64_t tenant_id; /* the tenant the job works in */
	int64_t id;        /* out: what db_step_id gave */
	int none_rc;       /* out: db_step_id on an UPDATE that matched nothing */
	int conflict_rc;   /* out: db_step_id on an INSERT that breaks a unique key */
	int done_rc;       /* out: db_step_done on an INSERT of a unit */
	int null_rc;       /* out: db_step_done on an INSERT of a unit with a NULL name */
};

/* Write job: the helpers db_step_id and db_step_done, on their good and bad paths. */
static int
helper_job(struct db_conn *c, void *arg)
{
	struct helper_job *h = arg;
	struct db_stmt *st = db_prepare(c, sql_insert_tenant);
	if (!st)
		return HERR_DB;
	db_bind_text(st, 1, "helper");
	db_bind_text(st, 2, "Hjälpare");
	db_bind_int(st, 3, 1700000000);
	int rc = db_step_id(st, &h->tenant_id, HERR_DB);
	if (rc)
		return rc;
	/* The same name again: the conflict comes through, and *id is left alone. */
	st = db_prepare(c, sql_insert_tenant);
	db_bind_text(st, 1, "helper");
	db_bind_text(st, 2, "igen");
	db_bind_int(st, 3, 1700000000);
	h->id = -7;
	h->conflict_rc = db_step_id(st, &h->id, HERR_DB);
	if (db_kind(db_of(c)) == DB_PGSQL)
		return HERR_RULE; /* PostgreSQL refuses the rest of the savepoint after an error */
	/* An UPDATE ... RETURNING that matches a row, then one that matches none. */
	st = db_prepare(c, sql_rename_tenant);
	db_bind_int(st, 1, h->tenant_id);
	db_bind_text(st, 2, "Omdöpt");
	if ((rc = db_step_id(st, &h->id, HERR_STALE)) != 0)
		return rc;
	st = db_prepare(c, sql_rename_tenant);
	db_bind_int(st, 1, h->tenant_id + 1000000);
	db_bind_text(st, 2, "ingen");
	h->none_rc = db_step_id(st, NULL, HERR_STALE);
	st = db_prepare(c, sql_insert_unit_opt);
	db_bind_int(st, 1, h->tenant_id);
	db_bind_opt_text(st, 2, "b-enhet");
	db_bind_int(st, 3, 1700000000);
	h->done_rc = db_step_done(st);
	st = db_prepare(c, sql_insert_unit_opt);
	db_bind_int(st, 1, h->tenant_id);
	db_bind_text(st, 2, "a-enhet");
	db_bind_int(st, 3, 1700000000);
	if ((rc = db_step_done(st)) != 0)
		return rc;
	/* units.name is NOT NULL: "" bound as an optional text is NULL and is refused. */
	st = db_prepare(c, sql_insert_unit_opt);
	db_bind_int(st, 1, h->tenant_id);
	db_bind_opt_text(st, 2, "");
	db_bind_int(st, 3, 1700000000);
	h->null_rc = db_step_done(st);
	return 0;
}

/* A unit row as the test maps it. */
struct unit_row {
	char name[5]; /* units.name, cut to four bytes */
	int64_t id;   /* units.id */
};

static void
map_unit(struct db_stmt *st, void *out)
{
	struct unit_row *u = out;
	db_col_copy(st, 0, u->name, sizeof u->name);
	u->id = db_col_int(st, 1);
}

/* What each_unit saw, and when it stops. */
struct unit_walk {
	int seen;      /* rows seen */
	int stop_at;   /* stop after this many rows; 0 never */
	int stop_rc;   /* what to return then */
	char first[5]; /* the first row's name */
};

DB_EACH_ROW(unit_each, struct unit_row, map_unit)

/* A callback of the caller's type for unit_each: counts the rows and keeps the last name. */
static void
collect_unit(const struct unit_row *u, void *arg)
{
	struct unit_walk *w = arg;
	w->seen++;
	memcpy(w->first, u->name, sizeof w->first);
}

static int
each_unit(struct db_stmt *st, void *arg)
{
	struct unit_walk *w = arg;
	struct unit_row u;
	map_unit(st, &u);
	if (w->seen++ == 0)
		memcpy(w->first, u.name, sizeof w->first);
	return w->seen == w->stop_at ? w->stop_rc : 0;
}

static void
test_row_helpers(void **state)
{
	(void)state;
	struct helper_job h = {0};
	if (db_kind(fx.db) == DB_PGSQL) {
		/* The job stops after the conflict, which must have reached it as such. */
		assert_int_equal(db_write(fx.db, helper_job, &h), HERR_RULE);
		assert_int_equal(h.conflict_rc, HERR_CONFLICT);
		assert_int_equal(h.id, -7);
		assert_true(h.tenant_id > 0);
		assert_int_equal(count_like("helper"), 0);
		return;
	}
	assert_int_equal(db_write(fx.db, helper_job, &h), 0);
	assert_true(h.tenant_id > 0);
	assert_int_equal(h.conflict_rc, HERR_CONFLICT);
	assert_int_equal(h.id, h.tenant_id);
	assert_int_equal(h.none_rc, HERR_STALE);
	assert_int_equal(h.done_rc, 0);
	assert_true(h.null_rc < 0);

	struct db_conn *c = db_reader(fx.db);
	/* db_step_one: a row is mapped (text cut to fit), no row leaves out untouched. */
	struct db_stmt *st = db_prepare(c, sql_units_named);
	db_bind_int(st, 1, h.tenant_id);
	struct unit_row u = {.name = "xxxx", .id = -1};
	assert_int_equal(db_step_one(st, map_unit, &u), 0);
	assert_string_equal(u.name, "a-en");
	assert_true(u.id > 0);
	st = db_prepare(c, sql_units_named);
	db_bind_int(st, 1, h.tenant_id + 1000000);
	struct unit_row none = {.name = "xxxx", .id = -1};
	assert_int_equal(db_step_one(st, map_unit, &none), HERR_NOT_FOUND);
	assert_string_equal(none.name, "xxxx");
	assert_int_equal(none.id, -1);
	st = db_prepare(c, sql_units_named);
	db_bind_int(st, 1, h.tenant_id);
	assert_int_equal(db_step_one(st, NULL, NULL), 0);

	/* db_step_each: all rows in order, a positive stop, a negative stop. */
	struct unit_walk all = {0};
	st = db_prepare(c, sql_units_named);
	db_bind_int(st, 1, h.tenant_id);
	assert_int_equal(db_step_each(st, each_unit, &all), 0);
	assert_int_equal(all.seen, 2);
	assert_string_equal(all.first, "a-en");
	struct unit_walk stop = {.stop_at = 1, .stop_rc = 1};
	st = db_prepare(c, sql_units_named);
	db_bind_int(st, 1, h.tenant_id);
	assert_int_equal(db_step_each(st, each_unit, &stop), 0);
	assert_int_equal(stop.seen, 1);
	struct unit_walk fail = {.stop_at = 1, .stop_rc = HERR_LIMIT};
	st = db_prepare(c, sql_units_named);
	db_bind_int(st, 1, h.tenant_id);
	assert_int_equal(db_step_each(st, each_unit, &fail), HERR_LIMIT);
	assert_int_equal(fail.seen, 1);
	/* DB_EACH_ROW: every row mapped and handed to a callback of the caller's type. */
	struct unit_walk last = {0};
	st = db_prepare(c, sql_units_named);
	db_bind_int(st, 1, h.tenant_id);
	assert_int_equal(db_step_each(st, unit_each, &(struct unit_each){collect_unit, &last}), 0);
	assert_int_equal(last.seen, 2);
	assert_string_equal(last.first, "b-en"); /* "first" holds the last name seen here */
	/* The statement was reset each time: it runs again from its first row. */
	st = db_prepare(c, sql_units_named);
	db_bind_int(st, 1, h.tenant_id);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "a-enhet");
	db_reset(st);

	/* db_step_one hands back a step's error: readers do not write. */
	st = db_prepare(c, sql_reader_write);
	if (st)
		assert_true(db_step_one(st, NULL, NULL) < 0);
	db_reader_done(fx.db, c);

	/* db_bind_opt_text and db_col_copy of NULL: "" is stored as NULL and read back as "". */
	struct person_job p = {
	    .given = "Opt", .family = "Null", .street = "", .city = "X", .tenant_id = h.tenant_id};
	assert_int_equal(db_write(fx.db, insert_person_opt, &p), 0);
	c = db_reader(fx.db);
	st = db_prepare(c, sql_person_street);
	db_bind_int(st, 1, p.id);
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_col_null(st, 0));
	assert_true(db_col_null(st, 1));
	char street[8] = "xxxxxxx";
	db_col_copy(st, 0, street, sizeof street);
	assert_string_equal(street, "");
	db_reset(st);
	db_reader_done(fx.db, c);
}

/* ---- placeholders out of order ------------------------------------------------------- */

static int
insert_swapped(struct db_conn *c, void *arg)
{
	int64_t *id = arg;
	struct db_stmt *st = db_prepare(c, sql_insert_swapped);
	if (!st)
		return HERR_DB;
	db_bind_text(st, 1, "swap-title"); /* $1 goes to title, though it comes second */
	db_bind_text(st, 2, "swap-name");
	db_bind_int(st, 3, 42);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		rc = 0;
	}
	db_reset(st);
	return rc;
}

static void
test_param_order(void **state)
{
	(void)state;
	int64_t id = 0;
	assert_int_equal(db_write(fx.db, insert_swapped, &id), 0);
	assert_true(id > 0);

	struct db_conn *c = db_reader(fx.db);
	struct db_stmt *st = db_prepare(c, sql_tenant_by_id);
	assert_non_null(st);
	db_bind_int(st, 1, id);
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "swap-name");
	assert_string_equal(db_col_text(st, 1), "swap-title");
	assert_int_equal(db_col_int(st, 2), 42);
	db_reset(st);

	/* $2 before $1 again, with $N inside a literal and comments that are no parameters. */
	st = db_prepare(c, sql_select_swapped);
	assert_non_null(st);
	db_bind_text(st, 1, "swap-name");
	db_bind_text(st, 2, "swap-title");
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_col_int(st, 0), id);
	assert_string_equal(db_col_text(st, 1), "$5 is not a parameter");
	assert_int_equal(db_step(st), DB_DONE);
	db_reset(st);
	db_reader_done(fx.db, c);
}

/* ---- backup -------------------------------------------------------------------------- */

static void
test_backup(void **state)
{
	(void)state;
	char path[] = "/tmp/hanna-db-test-backup-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(db_backup(fx.db, path), 0);
	char head[16] = "";
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t n = fread(head, 1, sizeof head - 1, f);
	fclose(f);
	unlink(path);
	assert_true(n > 5);
	if (db_kind(fx.db) == DB_SQLITE)
		assert_memory_equal(head, "SQLite format 3", 15);
	else
		assert_memory_equal(head, "PGDMP", 5); /* pg_dump's custom format */
}

/* ---- binary data --------------------------------------------------------------------- */

static const char sql_blob_insert[] = "INSERT INTO blob_test (id, data) VALUES ($1, $2)";
static const char sql_blob_get[] = "SELECT data FROM blob_test WHERE id = $1";

/* The blob's bytes: every byte value twice, NUL and invalid UTF-8 among them. */
static unsigned char blob_bytes[512];

static int
blob_job(struct db_conn *c, void *arg)
{
	(void)arg;
	int rc = db_exec(c, db_kind(db_of(c)) == DB_SQLITE
	                        ? "CREATE TABLE blob_test (id BIGINT PRIMARY KEY, data BLOB)"
	                        : "CREATE TABLE blob_test (id BIGINT PRIMARY KEY, data BYTEA)");
	for (int i = 1; rc == 0 && i <= 3; i++) {
		struct db_stmt *st = db_prepare(c, sql_blob_insert);
		if (!st)
			return HERR_DB;
		db_bind_int(st, 1, i);
		if (i == 1)
			db_bind_blob(st, 2, blob_bytes, sizeof blob_bytes);
		else if (i == 2)
			db_bind_blob(st, 2, "", 0);
		else
			db_bind_blob(st, 2, NULL, 0);
		rc = db_step(st);
		db_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	return rc;
}

static void
test_blob(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof blob_bytes; i++)
		blob_bytes[i] = (unsigned char)(i % 256);
	assert_int_equal(db_write(fx.db, blob_job, NULL), 0);
	struct db_conn *c = db_reader(fx.db);
	struct db_stmt *st = db_prepare(c, sql_blob_get);
	assert_non_null(st);
	size_t len = 99;
	db_bind_int(st, 1, 1);
	assert_int_equal(db_step(st), DB_ROW);
	const void *p = db_col_blob(st, 0, &len);
	assert_non_null(p);
	assert_int_equal(len, sizeof blob_bytes);
	assert_memory_equal(p, blob_bytes, sizeof blob_bytes);
	db_reset(st);
	db_bind_int(st, 1, 2);
	assert_int_equal(db_step(st), DB_ROW);
	assert_non_null(db_col_blob(st, 0, &len));
	assert_int_equal(len, 0);
	assert_false(db_col_null(st, 0));
	db_reset(st);
	db_bind_int(st, 1, 3);
	assert_int_equal(db_step(st), DB_ROW);
	assert_null(db_col_blob(st, 0, &len));
	assert_int_equal(len, 0);
	assert_true(db_col_null(st, 0));
	db_reset(st);
	db_reader_done(fx.db, c);
}

/* ---- fixtures ------------------------------------------------------------------------ */

static int
open_db(void)
{
	int rc = db_open(fx.url, 4, &fx.db);
	if (rc)
		fprintf(stderr, "db_test: cannot open '%s': %s\n", fx.url, herr_name(rc));
	return rc ? -1 : 0;
}

static int
sqlite_setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof fx);
	snprintf(fx.path, sizeof fx.path, "/tmp/hanna-db-test-XXXXXX");
	int fd = mkstemp(fx.path);
	if (fd < 0)
		return -1;
	close(fd);
	snprintf(fx.url, sizeof fx.url, "sqlite:%s", fx.path);
	return open_db();
}

static int
sqlite_teardown(void **state)
{
	(void)state;
	db_close(fx.db);
	char p[300];
	unlink(fx.path);
	snprintf(p, sizeof p, "%s-wal", fx.path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", fx.path);
	unlink(p);
	return 0;
}

static const char *schema_sql; /* the statement schema_job runs */

static int
schema_job(struct db_conn *c, void *arg)
{
	(void)arg;
	return db_exec(c, schema_sql);
}

/* Runs sql on base_url in a write job. Returns 0 or -1. */
static int
exec_on_base(const char *sql)
{
	struct db *db;
	if (db_open(fx.base_url, 1, &db) != 0)
		return -1;
	schema_sql = sql;
	int rc = db_write(db, schema_job, NULL);
	db_close(db);
	return rc ? -1 : 0;
}

static int
pgsql_setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof fx);
	const char *url = getenv("HANNA_TEST_PG_URL");
	if ((size_t)snprintf(fx.base_url, sizeof fx.base_url, "%s", url) >= sizeof fx.base_url)
		return -1;
	snprintf(fx.schema, sizeof fx.schema, "hanna_test_%ld", (long)getpid());
	char sql[128];
	snprintf(sql, sizeof sql, "CREATE SCHEMA %s", fx.schema);
	if (exec_on_base(sql) != 0)
		return -1;
	/* Every connection of the handle under test works in the new schema. */
	snprintf(fx.url, sizeof fx.url, "%s%coptions=-csearch_path%%3D%s", fx.base_url,
	         strchr(fx.base_url, '?') ? '&' : '?', fx.schema);
	return open_db();
}

static int
pgsql_teardown(void **state)
{
	(void)state;
	db_close(fx.db);
	char sql[128];
	snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", fx.schema);
	return exec_on_base(sql);
}

int
main(void)
{
	log_set_level(LOG_WARN);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open_bad_url),
	    cmocka_unit_test(test_migrate),
	    cmocka_unit_test(test_insert_returning),
	    cmocka_unit_test(test_conflicts),
	    cmocka_unit_test(test_group_rollback),
	    cmocka_unit_test(test_swallowed_error),
	    cmocka_unit_test(test_concurrent_writes),
	    cmocka_unit_test(test_readers),
	    cmocka_unit_test(test_text_and_null),
	    cmocka_unit_test(test_nested_prepare),
	    cmocka_unit_test(test_param_order),
	    cmocka_unit_test(test_row_helpers),
	    cmocka_unit_test(test_blob),
	    cmocka_unit_test(test_backup),
	};
	int failed =
	    cmocka_run_group_tests_name("db on sqlite", tests, sqlite_setup, sqlite_teardown);
	if (getenv("HANNA_TEST_PG_URL") && *getenv("HANNA_TEST_PG_URL"))
		failed += cmocka_run_group_tests_name("db on postgresql", tests, pgsql_setup,
		                                      pgsql_teardown);
	else
		fprintf(stderr, "db_test: HANNA_TEST_PG_URL is not set; PostgreSQL skipped\n");
	return failed ? 1 : 0;
}
