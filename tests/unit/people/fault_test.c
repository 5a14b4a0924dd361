/*
 * Fault loop (STYLE.md rule 21, issue 2): person create, update and representative add are
 * replayed with statement 1, 2, 3, ... failing, until a run completes without a fault. After
 * every run the database holds either the whole change and its audit record, or neither, and
 * the audit chain is intact.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/err.h"
#include "base/rand.h"
#include "db/db.h"
#include "people/people.h"

struct fixture {
	char dir[64];
	char url[128];
	struct db *db;
	int64_t tenant;
	struct audit_entry who;
};

static void
open_fresh(struct fixture *f)
{
	snprintf(f->dir, sizeof f->dir, "/tmp/hanna-fault-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->url, sizeof f->url, "fault:%s/f.db", f->dir);
	db_fault_arm(0);
	assert_int_equal(db_open(f->url, 2, &f->db), 0);
	assert_int_equal(db_migrate(f->db), 0);
	assert_int_equal(auth_tenant_add(f->db, "t", "T", &f->tenant), 0);
	f->who = (struct audit_entry){.tenant_id = f->tenant,
	                              .user_id = 0,
	                              .username = "test",
	                              .role = "caseworker",
	                              .request_id = "fault"};
}

static void
close_fresh(struct fixture *f)
{
	db_fault_arm(0);
	db_close(f->db);
	char path[128];
	const char *suffix[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/f.db%s", f->dir, suffix[i]);
		unlink(path);
	}
	rmdir(f->dir);
}

static void
sample(struct person *p, int64_t tenant)
{
	memset(p, 0, sizeof *p);
	p->tenant_id = tenant;
	snprintf(p->pnr, sizeof p->pnr, "198112189876");
	snprintf(p->pnr_kind, sizeof p->pnr_kind, "personnummer");
	snprintf(p->given_name, sizeof p->given_name, "Åsa");
	snprintf(p->family_name, sizeof p->family_name, "Öberg");
	snprintf(p->city, sizeof p->city, "Hannaby");
}

/* Audit records in the chain; asserts it is intact. */
static int64_t
audit_count(struct db *db)
{
	struct audit_verify_result res;
	assert_int_equal(audit_verify(db, &res), 0);
	assert_int_equal(res.bad_id, 0);
	return res.checked;
}

static void
create_is_atomic(void **state)
{
	(void)state;
	int completed = 0;
	for (long n = 1; n < 50 && !completed; n++) {
		struct fixture f;
		open_fresh(&f);
		struct person p;
		sample(&p, f.tenant);
		db_fault_arm(n);
		int rc = people_create(f.db, &p, &f.who);
		long fired = db_fault_fired();
		db_fault_arm(0);
		struct db_conn *c = db_reader(f.db);
		struct person got;
		int found = rc == 0 ? people_get(c, f.tenant, p.id, &got) : HERR_NOT_FOUND;
		int64_t persons = people_count(c, f.tenant);
		db_reader_done(f.db, c);
		int64_t audits = audit_count(f.db);
		if (rc == 0) {
			assert_int_equal(found, 0);
			assert_int_equal(persons, 1);
			assert_int_equal(audits, 1);
		} else {
			assert_int_equal(fired, 1);
			assert_int_equal(persons, 0);
			assert_int_equal(audits, 0);
		}
		completed = fired == 0;
		close_fresh(&f);
	}
	assert_true(completed);
}

static void
update_is_atomic(void **state)
{
	(void)state;
	int completed = 0;
	for (long n = 1; n < 50 && !completed; n++) {
		struct fixture f;
		open_fresh(&f);
		struct person p;
		sample(&p, f.tenant);
		assert_int_equal(people_create(f.db, &p, &f.who), 0);
		struct person changed = p;
		snprintf(changed.family_name, sizeof changed.family_name, "Nyberg");
		db_fault_arm(n);
		int rc = people_update(f.db, &changed, &f.who);
		long fired = db_fault_fired();
		db_fault_arm(0);
		struct db_conn *c = db_reader(f.db);
		struct person got;
		assert_int_equal(people_get(c, f.tenant, p.id, &got), 0);
		db_reader_done(f.db, c);
		int64_t audits = audit_count(f.db);
		if (rc == 0) {
			assert_string_equal(got.family_name, "Nyberg");
			assert_int_equal(got.version, 2);
			assert_int_equal(audits, 2);
		} else {
			assert_string_equal(got.family_name, "Öberg");
			assert_int_equal(got.version, 1);
			assert_int_equal(audits, 1);
		}
		completed = fired == 0;
		close_fresh(&f);
	}
	assert_true(completed);
}

static int reps_seen;

static void
count_rep(const struct representative *r, void *arg)
{
	(void)r;
	(void)arg;
	reps_seen++;
}

static void
representative_add_is_atomic(void **state)
{
	(void)state;
	int completed = 0;
	for (long n = 1; n < 50 && !completed; n++) {
		struct fixture f;
		open_fresh(&f);
		struct person p;
		sample(&p, f.tenant);
		assert_int_equal(people_create(f.db, &p, &f.who), 0);
		struct representative r = {0};
		snprintf(r.kind, sizeof r.kind, "god_man");
		snprintf(r.rep_name, sizeof r.rep_name, "Gun Mansson");
		snprintf(r.scope, sizeof r.scope, "bevaka rätt");
		snprintf(r.valid_from, sizeof r.valid_from, "2026-01-01");
		db_fault_arm(n);
		int rc = people_representative_add(f.db, f.tenant, p.id, &r, &f.who);
		long fired = db_fault_fired();
		db_fault_arm(0);
		reps_seen = 0;
		struct db_conn *c = db_reader(f.db);
		assert_int_equal(people_representatives(c, f.tenant, p.id, count_rep, NULL), 0);
		db_reader_done(f.db, c);
		int64_t audits = audit_count(f.db);
		assert_int_equal(reps_seen, rc == 0 ? 1 : 0);
		assert_int_equal(audits, rc == 0 ? 2 : 1);
		completed = fired == 0;
		close_fresh(&f);
	}
	assert_true(completed);
}

int
main(void)
{
	assert_int_equal(rand_init(), 0);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(create_is_atomic),
	    cmocka_unit_test(update_is_atomic),
	    cmocka_unit_test(representative_add_is_atomic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
