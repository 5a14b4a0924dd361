/*
 * How to run: tests/unit/cases_store_test runs on SQLite; with HANNA_TEST_PG_URL set (see
 * tests/unit/db_test.c and scripts/pg-cluster) it runs the same walk on PostgreSQL as well, in
 * a schema of its own.
 *
 * The cases module's storage and write jobs (src/cases/cases.c, store.c; issue 3), walked as a
 * caseworker would: the demo catalogue and delegation order, registering cases (numbers, due
 * dates, law, timeline), who may see a case for every role, assignment, the state machine,
 * referral, the journal (drafts, versions, signatures, corrections), IBIC assessments,
 * decisions with follow-up dates, reassessment and execution. Every change must leave exactly
 * one audit record and the chain intact; refused changes leave nothing. A fault loop (STYLE.md
 * rule 21) replays create, sign, reassessment and execution on a "fault:" database with
 * statement 1, 2, 3, ... failing: each failed run must leave nothing half-written. The fault
 * loop also interrupts an executed decision, resumes it, and closes it during a second
 * interruption. The injected and expected errors appear in the log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/calendar.h"
#include "base/err.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "cases/cases.h"
#include "db/db.h"
#include "people/people.h"

struct fixture {
	struct db *db;      /* the database under test */
	char url[1024];     /* its URL */
	char base_url[512]; /* PostgreSQL: the URL given, without the test schema */
	char schema[64];    /* PostgreSQL: the schema this run works in */
	char path[256];     /* SQLite: the database file */

	int64_t tenant, other_tenant;  /* the municipality, and one more */
	int64_t north, south;          /* units */
	int64_t anna, bo;              /* caseworkers: anna in north, bo in south */
	int64_t person, rep, stranger; /* applicant, her representative, someone else */
	int64_t stranger_case;         /* a case of the stranger */
	int64_t c1, c2;                /* the walked case and a second one */
	int64_t note_signed;           /* a signed note of c1 */
	int64_t d1, d2, d_refused;     /* decisions of c1 */
	int64_t d3;                    /* a grant of c1 closed without execution */
	int64_t int1;                  /* an interruption of d2's execution */
	int64_t d4;                    /* a grant of c1 executed by a delivery (faults) */
	int64_t audits;                /* audit records expected in the chain */
	struct audit_entry who_anna;   /* anna acting */
	struct audit_entry who_bo;     /* bo acting */
	char today[11];                /* today in Europe/Stockholm */
	int year;                      /* this year */
};

static struct fixture fx;

/* ---- helpers ------------------------------------------------------------------------- */

static int32_t
D(const char *s)
{
	int32_t d = 0;
	assert_int_equal(cal_parse(s, &d), 0);
	return d;
}

/* Audit records in the chain; asserts that it is intact. */
static int64_t
audit_count(void)
{
	struct audit_verify_result res;
	assert_int_equal(audit_verify(fx.db, &res), 0);
	assert_int_equal(res.bad_id, 0);
	return res.checked;
}

static void
person_new(const char *pnr, const char *given, const char *family, int64_t *id)
{
	struct person p;
	memset(&p, 0, sizeof p);
	p.tenant_id = fx.tenant;
	snprintf(p.pnr, sizeof p.pnr, "%s", pnr);
	snprintf(p.pnr_kind, sizeof p.pnr_kind, "personnummer");
	snprintf(p.given_name, sizeof p.given_name, "%s", given);
	snprintf(p.family_name, sizeof p.family_name, "%s", family);
	snprintf(p.city, sizeof p.city, "Hannaby");
	assert_int_equal(people_create(fx.db, &p, &fx.who_anna), 0);
	*id = p.id;
}

static void
user_new(const char *name, int64_t unit, int64_t *id)
{
	struct user_new u = {.tenant_id = fx.tenant,
	                     .username = name,
	                     .password = "correct horse battery",
	                     .roles = ROLE_CASEWORKER,
	                     .unit_id = unit};
	const char *msg = NULL;
	assert_int_equal(auth_user_add(fx.db, &u, id, &msg), 0);
}

static struct principal
principal(unsigned roles, int64_t user, int64_t unit, int64_t person)
{
	struct principal p;
	memset(&p, 0, sizeof p);
	p.tenant_id = fx.tenant;
	p.user_id = user;
	p.unit_id = unit;
	p.person_id = person;
	p.roles = roles;
	snprintf(p.username, sizeof p.username, "u%lld", (long long)user);
	return p;
}

static struct case_row
get_case(int64_t id)
{
	struct case_row cs;
	struct db_conn *c = db_reader(fx.db);
	assert_int_equal(cases_get(c, fx.tenant, id, &cs), 0);
	db_reader_done(fx.db, c);
	return cs;
}

static struct decision
get_decision(int64_t id)
{
	struct decision d;
	struct db_conn *c = db_reader(fx.db);
	assert_int_equal(cases_decision_get(c, fx.tenant, id, &d), 0);
	db_reader_done(fx.db, c);
	return d;
}

static struct note
get_note(int64_t id)
{
	struct note n;
	struct db_conn *c = db_reader(fx.db);
	assert_int_equal(cases_note_get(c, fx.tenant, id, &n), 0);
	db_reader_done(fx.db, c);
	return n;
}

/* Collects what a list function gives. */
#define MAXROWS 32
struct events {
	int n;
	struct case_event e[MAXROWS];
};
static void
on_event(const struct case_event *e, void *arg)
{
	struct events *ev = arg;
	if (ev->n < MAXROWS)
		ev->e[ev->n++] = *e;
}

static struct events
events_of(int64_t case_id)
{
	struct events ev = {0};
	struct db_conn *c = db_reader(fx.db);
	assert_int_equal(cases_events(c, fx.tenant, case_id, on_event, &ev), 0);
	db_reader_done(fx.db, c);
	return ev;
}

struct ids {
	int n;
	int64_t id[MAXROWS];
};
static void
on_case(const struct case_row *cs, void *arg)
{
	struct ids *ids = arg;
	if (ids->n < MAXROWS)
		ids->id[ids->n++] = cs->id;
}
static void
on_note(const struct note *n, void *arg)
{
	struct ids *ids = arg;
	if (ids->n < MAXROWS)
		ids->id[ids->n++] = n->id;
}
static void
on_decision(const struct decision *d, void *arg)
{
	struct ids *ids = arg;
	if (ids->n < MAXROWS)
		ids->id[ids->n++] = d->id;
}
static void
on_assessment(const struct assessment *a, void *arg)
{
	struct ids *ids = arg;
	if (ids->n < MAXROWS)
		ids->id[ids->n++] = a->id;
}
static void
on_service(const struct service *s, void *arg)
{
	struct ids *ids = arg;
	if (ids->n < MAXROWS)
		ids->id[ids->n++] = s->id;
}
static void
on_request(const struct case_request *r, void *arg)
{
	struct ids *ids = arg;
	if (ids->n < MAXROWS)
		ids->id[ids->n++] = r->hours;
}

static bool
contains(const struct ids *ids, int64_t id)
{
	for (int i = 0; i < ids->n; i++)
		if (ids->id[i] == id)
			return true;
	return false;
}

static struct ids
list_cases(int64_t caseworker, int64_t person, int64_t unit)
{
	struct ids ids = {0};
	struct db_conn *c = db_reader(fx.db);
	assert_int_equal(cases_list(c, fx.tenant, caseworker, person, unit, 50, on_case, &ids), 0);
	db_reader_done(fx.db, c);
	return ids;
}

/* Registers an application of person for one service; returns the case. */
static struct case_row
apply(int64_t person, const char *service, int hours, const char *channel)
{
	struct case_row cs;
	memset(&cs, 0, sizeof cs);
	cs.tenant_id = fx.tenant;
	cs.person_id = person;
	snprintf(cs.kind, sizeof cs.kind, "application");
	snprintf(cs.channel, sizeof cs.channel, "%s", channel);
	snprintf(cs.summary, sizeof cs.summary, "Ansökan om %s", service);
	struct case_request r;
	memset(&r, 0, sizeof r);
	snprintf(r.service, sizeof r.service, "%s", service);
	r.hours = hours;
	assert_int_equal(cases_create(fx.db, &cs, &r, 1, &fx.who_anna), 0);
	fx.audits++;
	return cs;
}

/* A decision on c1 as anna. */
static struct decision
decision(const char *service, const char *outcome, int hours, const char *start, const char *end)
{
	struct decision d;
	memset(&d, 0, sizeof d);
	d.case_id = fx.c1;
	snprintf(d.service, sizeof d.service, "%s", service);
	snprintf(d.outcome, sizeof d.outcome, "%s", outcome);
	d.hours = hours;
	d.hours_day = d.hours_evening = d.hours_night = d.hours_weekend = -1;
	snprintf(d.start_date, sizeof d.start_date, "%s", start);
	snprintf(d.end_date, sizeof d.end_date, "%s", end);
	snprintf(d.goals, sizeof d.goals, "Kunna bo kvar hemma tryggt.");
	snprintf(d.legal_basis, sizeof d.legal_basis, "11 kap. 1 § socialtjänstlagen (2025:400)");
	snprintf(d.reasoning, sizeof d.reasoning, "Behovet kan inte tillgodoses på annat sätt.");
	d.decided_by = fx.anna;
	snprintf(d.decided_by_name, sizeof d.decided_by_name, "Anna Handläggare");
	d.decided_level = LEVEL_CASEWORKER;
	snprintf(d.delegation_point, sizeof d.delegation_point, "3.1.1");
	return d;
}

/* ---- the catalogue ------------------------------------------------------------------- */

static void
test_catalogue(void **state)
{
	(void)state;
	assert_int_equal(cases_nlife_areas, 11);
	assert_true(cases_life_area_valid("personlig_vard"));
	assert_true(cases_life_area_valid("kansla_av_trygghet"));
	assert_true(cases_life_area_valid("personligt_stod_fran_narstaende"));
	assert_false(cases_life_area_valid("Personlig_vard"));
	assert_false(cases_life_area_valid(""));

	struct db_conn *c = db_reader(fx.db);
	struct ids all = {0};
	assert_int_equal(cases_services(c, fx.tenant, on_service, &all), 0);
	assert_int_equal(all.n, 15);

	struct service s;
	assert_int_equal(cases_service_get(c, fx.tenant, "hemtjanst_service", &s), 0);
	assert_string_equal(s.law, "SoL");
	assert_string_equal(s.paragraph, "11 kap. 1 §");
	assert_string_equal(s.measure, "hours_per_month");
	assert_string_equal(s.name, "Hemtjänst – serviceinsatser");
	assert_true(s.fee_applies);
	assert_true(s.customer_choice);
	assert_int_equal(s.followup_months, 6);
	assert_int_equal(cases_service_get(c, fx.tenant, "personlig_assistans", &s), 0);
	assert_string_equal(s.law, "LSS");
	assert_string_equal(s.paragraph, "9 § 2");
	assert_false(s.fee_applies);
	assert_int_equal(s.followup_months, 12);
	assert_int_equal(cases_service_get(c, fx.tenant, "hemtjanst", &s), HERR_NOT_FOUND);
	assert_int_equal(cases_service_get(c, fx.other_tenant, "trygghetslarm", &s),
	                 HERR_NOT_FOUND);

	/* The delegation order as stored, put to work by the rules. */
	struct delegation_rule *rules = NULL;
	int n = 0;
	assert_int_equal(cases_delegation(c, fx.tenant, &rules, &n), 0);
	assert_int_equal(n, 19);
	assert_string_equal(rules[0].point, "3.1.1");
	assert_string_equal(rules[0].service, "hemtjanst_service");
	assert_int_equal(rules[0].max_hours, 40);
	const struct delegation_rule *rule;
	int needed;
	struct decision_ask a = {"hemtjanst_service", OUTCOME_GRANTED, 30, 6};
	assert_true(cases_may_decide(rules, n, LEVEL_CASEWORKER, &a, &rule, &needed));
	assert_string_equal(rule->point, "3.1.1");
	a.hours = 80;
	assert_false(cases_may_decide(rules, n, LEVEL_CASEWORKER, &a, &rule, &needed));
	assert_int_equal(needed, LEVEL_UNIT_MANAGER);
	struct decision_ask pa = {"personlig_assistans", OUTCOME_GRANTED, 250, 6};
	assert_false(cases_may_decide(rules, n, LEVEL_UNIT_MANAGER, &pa, &rule, &needed));
	assert_int_equal(needed, LEVEL_COMMITTEE);
	pa.outcome = OUTCOME_REFUSED;
	assert_true(cases_may_decide(rules, n, LEVEL_UNIT_MANAGER, &pa, &rule, &needed));
	struct decision_ask ks = {"korttidsvistelse_sol", OUTCOME_GRANTED, 0, 3};
	assert_true(cases_may_decide(rules, n, LEVEL_CASEWORKER, &ks, &rule, &needed));
	assert_string_equal(rule->point, "3.4.1");
	cases_rules_free(rules, n);

	/* The other tenant has no order. */
	assert_int_equal(cases_delegation(c, fx.other_tenant, &rules, &n), 0);
	assert_int_equal(n, 0);
	cases_rules_free(rules, n);
	db_reader_done(fx.db, c);

	/* Seeding again is refused as a whole. */
	assert_int_equal(cases_seed_demo(fx.db, fx.tenant), HERR_CONFLICT);
	c = db_reader(fx.db);
	all.n = 0;
	assert_int_equal(cases_services(c, fx.tenant, on_service, &all), 0);
	assert_int_equal(all.n, 15);
	db_reader_done(fx.db, c);
	assert_int_equal(audit_count(), fx.audits);
}

/* ---- registering --------------------------------------------------------------------- */

static void
test_create(void **state)
{
	(void)state;
	struct case_row cs;
	memset(&cs, 0, sizeof cs);
	cs.tenant_id = fx.tenant;
	cs.person_id = fx.person;
	snprintf(cs.kind, sizeof cs.kind, "application");
	snprintf(cs.channel, sizeof cs.channel, "online");
	snprintf(cs.summary, sizeof cs.summary, "Behöver hjälp med städning och larm");
	struct case_request reqs[2];
	memset(reqs, 0, sizeof reqs);
	snprintf(reqs[0].service, sizeof reqs[0].service, "hemtjanst_service");
	reqs[0].hours = 30;
	snprintf(reqs[0].description, sizeof reqs[0].description, "Städning och tvätt");
	snprintf(reqs[1].service, sizeof reqs[1].service, "trygghetslarm");
	assert_int_equal(cases_create(fx.db, &cs, reqs, 2, &fx.who_anna), 0);
	fx.audits++;
	fx.c1 = cs.id;

	char number[24];
	snprintf(number, sizeof number, "%04d-000001", fx.year);
	assert_true(cs.id > 0);
	assert_string_equal(cs.case_number, number);
	assert_string_equal(cs.state, "received");
	assert_string_equal(cs.law, "SoL");
	assert_string_equal(cs.received_date, fx.today);
	char due[11];
	cal_format(cases_due_date(D(fx.today)), due);
	assert_string_equal(cs.due_date, due);

	struct case_row got = get_case(fx.c1);
	assert_string_equal(got.case_number, number);
	assert_string_equal(got.summary, "Behöver hjälp med städning och larm");
	assert_int_equal(got.unit_id, 0);
	assert_int_equal(got.caseworker_id, 0);
	assert_int_equal(got.version, 1);
	assert_int_equal(got.refer_level, 0);

	struct ids reqs_got = {0};
	struct db_conn *c = db_reader(fx.db);
	assert_int_equal(cases_requests(c, fx.tenant, fx.c1, on_request, &reqs_got), 0);
	db_reader_done(fx.db, c);
	assert_int_equal(reqs_got.n, 2);
	assert_int_equal(reqs_got.id[0], 30);
	assert_int_equal(reqs_got.id[1], 0);

	struct events ev = events_of(fx.c1);
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.e[0].kind, "received");
	assert_string_equal(ev.e[0].to_state, "received");
	assert_string_equal(ev.e[0].from_state, "");
	assert_string_equal(ev.e[0].detail, "Ansökan mottagen (e-tjänst)");
	assert_string_equal(ev.e[0].username, "anna");

	/* The next case takes the next number; an LSS insats makes an LSS case. A paper
	 * application keeps the day it arrived, and its due date follows from that. */
	memset(&cs, 0, sizeof cs);
	cs.tenant_id = fx.tenant;
	cs.person_id = fx.person;
	snprintf(cs.kind, sizeof cs.kind, "application");
	snprintf(cs.channel, sizeof cs.channel, "caseworker");
	snprintf(cs.received_date, sizeof cs.received_date, "2026-01-05");
	struct case_request pa;
	memset(&pa, 0, sizeof pa);
	snprintf(pa.service, sizeof pa.service, "personlig_assistans");
	pa.hours = 120;
	assert_int_equal(cases_create(fx.db, &cs, &pa, 1, &fx.who_anna), 0);
	fx.audits++;
	fx.c2 = cs.id;
	snprintf(number, sizeof number, "%04d-000002", fx.year);
	assert_string_equal(cs.case_number, number);
	assert_string_equal(cs.law, "LSS");
	assert_string_equal(cs.received_date, "2026-01-05");
	assert_string_equal(cs.due_date, "2026-02-02");
	ev = events_of(fx.c2);
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.e[0].detail, "Ansökan registrerad av handläggare");

	/* Refused registrations use no number and leave nothing behind. */
	struct case_row bad = cs;
	snprintf(pa.service, sizeof pa.service, "no_such_service");
	assert_int_equal(cases_create(fx.db, &bad, &pa, 1, &fx.who_anna), HERR_RULE);
	assert_int_equal(bad.id, fx.c2); /* untouched on failure */
	bad.person_id = fx.person + 100000;
	snprintf(pa.service, sizeof pa.service, "trygghetslarm");
	assert_int_equal(cases_create(fx.db, &bad, &pa, 1, &fx.who_anna), HERR_NOT_FOUND);
	bad.person_id = fx.person;
	bad.tenant_id = fx.other_tenant; /* the person belongs to another municipality */
	assert_int_equal(cases_create(fx.db, &bad, &pa, 1, &fx.who_anna), HERR_NOT_FOUND);
	bad.tenant_id = fx.tenant;
	snprintf(bad.kind, sizeof bad.kind, "wish");
	assert_int_equal(cases_create(fx.db, &bad, &pa, 1, &fx.who_anna), HERR_INVALID);
	snprintf(bad.kind, sizeof bad.kind, "application");
	cal_format(D(fx.today) + 1, bad.received_date);
	assert_int_equal(cases_create(fx.db, &bad, &pa, 1, &fx.who_anna), HERR_INVALID);

	struct case_row third = apply(fx.stranger, "matdistribution", 0, "online");
	fx.stranger_case = third.id;
	snprintf(number, sizeof number, "%04d-000003", fx.year);
	assert_string_equal(third.case_number, number);

	/* A person's cases, newest received first. */
	struct ids mine = list_cases(0, fx.person, -1);
	assert_int_equal(mine.n, 2);
	assert_int_equal(mine.id[0], fx.c1);
	assert_int_equal(mine.id[1], fx.c2);
	assert_int_equal(audit_count(), fx.audits);
}

/* ---- who may see a case -------------------------------------------------------------- */

static void
test_access(void **state)
{
	(void)state;
	struct db_conn *c = db_reader(fx.db);
	struct case_row cs = get_case(fx.c1); /* no unit, no caseworker yet */
	struct principal p;

	p = principal(ROLE_ADMIN, 900, 0, 0);
	assert_int_equal(cases_access(c, &p, &cs), 0);
	p.tenant_id = fx.other_tenant;
	assert_int_equal(cases_access(c, &p, &cs), HERR_NOT_FOUND);

	/* Waiting for intake: every caseworker and unit manager of the tenant. */
	p = principal(ROLE_CASEWORKER, fx.bo, fx.south, 0);
	assert_int_equal(cases_access(c, &p, &cs), 0);
	p = principal(ROLE_UNIT_MANAGER, 901, fx.north, 0);
	assert_int_equal(cases_access(c, &p, &cs), 0);

	/* In a unit: that unit's staff, and the assigned caseworker wherever she sits. */
	cs.unit_id = fx.north;
	p = principal(ROLE_CASEWORKER, fx.anna, fx.north, 0);
	assert_int_equal(cases_access(c, &p, &cs), 0);
	p = principal(ROLE_CASEWORKER, fx.bo, fx.south, 0);
	assert_int_equal(cases_access(c, &p, &cs), HERR_NOT_FOUND);
	p = principal(ROLE_CASEWORKER, fx.bo, 0, 0);
	assert_int_equal(cases_access(c, &p, &cs), HERR_NOT_FOUND);
	p = principal(ROLE_UNIT_MANAGER, 901, fx.north, 0);
	assert_int_equal(cases_access(c, &p, &cs), 0);
	p = principal(ROLE_UNIT_MANAGER, 902, fx.south, 0);
	assert_int_equal(cases_access(c, &p, &cs), HERR_NOT_FOUND);
	cs.caseworker_id = fx.bo;
	p = principal(ROLE_CASEWORKER, fx.bo, fx.south, 0);
	assert_int_equal(cases_access(c, &p, &cs), 0);
	p.tenant_id = fx.other_tenant;
	assert_int_equal(cases_access(c, &p, &cs), HERR_NOT_FOUND);

	/* Roles without a part in the authority process. */
	unsigned none[] = {ROLE_FEE_ADMIN, ROLE_FINANCE, ROLE_AUDITOR, ROLE_PROVIDER_ADMIN,
	                   ROLE_PROVIDER_STAFF};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
		p = principal(none[i], 903, fx.north, 0);
		assert_int_equal(cases_access(c, &p, &cs), HERR_NOT_FOUND);
	}

	/* The citizen: her own cases only. */
	p = principal(ROLE_CITIZEN, 904, 0, fx.person);
	assert_int_equal(cases_access(c, &p, &cs), 0);
	p = principal(ROLE_CITIZEN, 905, 0, fx.stranger);
	assert_int_equal(cases_access(c, &p, &cs), HERR_NOT_FOUND);
	p = principal(ROLE_CITIZEN, 906, 0, 0);
	assert_int_equal(cases_access(c, &p, &cs), HERR_NOT_FOUND);

	/* The representative: within a valid mandate; staff roles of the same user do not
	 * widen it, and a fee administrator who also represents someone sees only that. */
	p = principal(ROLE_REPRESENTATIVE, 907, 0, fx.rep);
	assert_int_equal(cases_access(c, &p, &cs), 0);
	p = principal(ROLE_REPRESENTATIVE | ROLE_FEE_ADMIN, 907, 0, fx.rep);
	assert_int_equal(cases_access(c, &p, &cs), 0);
	struct case_row other = get_case(fx.stranger_case);
	other.unit_id = fx.north;
	assert_int_equal(cases_access(c, &p, &other), HERR_NOT_FOUND);
	p = principal(ROLE_REPRESENTATIVE, 908, 0, fx.stranger); /* mandate long expired */
	assert_int_equal(cases_access(c, &p, &cs), HERR_NOT_FOUND);
	p = principal(ROLE_REPRESENTATIVE, 909, 0, fx.rep);
	p.tenant_id = fx.other_tenant;
	assert_int_equal(cases_access(c, &p, &cs), HERR_NOT_FOUND);
	db_reader_done(fx.db, c);
}

/* ---- assignment, states, referral ---------------------------------------------------- */

static void
test_assign_and_states(void **state)
{
	(void)state;
	/* Both open cases wait for intake, by due date. */
	struct ids intake = list_cases(0, 0, 0);
	assert_true(contains(&intake, fx.c1));
	assert_true(contains(&intake, fx.c2));
	assert_int_equal(intake.id[0], fx.c2); /* due earlier */

	assert_int_equal(cases_assign(fx.db, fx.tenant, fx.c1, fx.anna, fx.north, &fx.who_anna), 0);
	fx.audits++;
	struct case_row cs = get_case(fx.c1);
	assert_int_equal(cs.caseworker_id, fx.anna);
	assert_int_equal(cs.unit_id, fx.north);
	assert_int_equal(cs.version, 2);
	struct events ev = events_of(fx.c1);
	assert_int_equal(ev.n, 2);
	assert_string_equal(ev.e[1].kind, "assigned");
	assert_true(ev.e[1].id > ev.e[0].id);
	assert_int_equal(ev.e[1].user_id, fx.anna);

	struct ids queue = list_cases(fx.anna, 0, -1);
	assert_int_equal(queue.n, 1);
	assert_int_equal(queue.id[0], fx.c1);
	intake = list_cases(0, 0, 0);
	assert_false(contains(&intake, fx.c1));
	assert_true(contains(&intake, fx.c2));
	/* A unit's intake list: its unassigned cases and those with no unit yet. */
	struct ids north = list_cases(0, 0, fx.north);
	assert_false(contains(&north, fx.c1)); /* assigned, so not unassigned */
	assert_true(contains(&north, fx.c2));
	struct db_conn *c = db_reader(fx.db);
	struct ids none = {0};
	assert_int_equal(cases_list(c, fx.tenant, fx.anna, 0, -1, -1, on_case, &none),
	                 HERR_INVALID);
	assert_int_equal(cases_list(c, fx.tenant, 0, 0, -1, 10, on_case, &none), HERR_INVALID);
	db_reader_done(fx.db, c);
	assert_int_equal(cases_assign(fx.db, fx.tenant, fx.c2, 0, fx.south, &fx.who_anna), 0);
	fx.audits++;
	struct ids south = list_cases(0, 0, fx.south);
	assert_true(contains(&south, fx.c2));
	assert_false(contains(&south, fx.c1));
	assert_int_equal(cases_assign(fx.db, fx.other_tenant, fx.c1, fx.bo, 0, &fx.who_anna),
	                 HERR_NOT_FOUND);

	/* The state machine: straight to decided is not allowed. */
	assert_int_equal(cases_transition(fx.db, fx.tenant, fx.c1, "decided", NULL, &fx.who_anna),
	                 HERR_RULE);
	assert_int_equal(cases_transition(fx.db, fx.tenant, fx.c1, "bogus", NULL, &fx.who_anna),
	                 HERR_RULE);
	assert_int_equal(
	    cases_transition(fx.db, fx.tenant, fx.c1 + 100000, "investigation", NULL, &fx.who_anna),
	    HERR_NOT_FOUND);
	cs = get_case(fx.c1);
	assert_string_equal(cs.state, "received");
	assert_int_equal(events_of(fx.c1).n, 2);

	assert_int_equal(
	    cases_transition(fx.db, fx.tenant, fx.c1, "investigation", NULL, &fx.who_anna), 0);
	fx.audits++;
	cs = get_case(fx.c1);
	assert_string_equal(cs.state, "investigation");
	assert_int_equal(cs.version, 3);
	ev = events_of(fx.c1);
	assert_int_equal(ev.n, 3);
	assert_string_equal(ev.e[2].kind, "state");
	assert_string_equal(ev.e[2].from_state, "received");
	assert_string_equal(ev.e[2].to_state, "investigation");
	assert_string_equal(ev.e[2].detail, "Mottagen → Utreds");

	/* Referral to the committee. */
	assert_int_equal(cases_refer(fx.db, fx.tenant, fx.c1, LEVEL_COMMITTEE, NULL, &fx.who_anna),
	                 0);
	fx.audits++;
	cs = get_case(fx.c1);
	assert_int_equal(cs.refer_level, LEVEL_COMMITTEE);
	assert_string_equal(cs.state, "investigation");
	ev = events_of(fx.c1);
	assert_string_equal(ev.e[ev.n - 1].kind, "referred");
	assert_string_equal(ev.e[ev.n - 1].detail, "Beslutet hänskjuts till individutskottet");
	assert_int_equal(cases_refer(fx.db, fx.tenant, fx.c1, 7, NULL, &fx.who_anna), HERR_INVALID);

	/* The second case is withdrawn: it leaves the queues and takes no more changes. */
	assert_int_equal(cases_transition(fx.db, fx.tenant, fx.c2, "withdrawn",
	                                  "Sökanden återtog ansökan per telefon", &fx.who_anna),
	                 0);
	fx.audits++;
	ev = events_of(fx.c2);
	assert_string_equal(ev.e[ev.n - 1].detail, "Sökanden återtog ansökan per telefon");
	south = list_cases(0, 0, fx.south);
	assert_false(contains(&south, fx.c2));
	assert_int_equal(
	    cases_transition(fx.db, fx.tenant, fx.c2, "investigation", NULL, &fx.who_anna),
	    HERR_RULE);
	assert_int_equal(
	    cases_refer(fx.db, fx.tenant, fx.c2, LEVEL_UNIT_MANAGER, NULL, &fx.who_anna),
	    HERR_RULE);
	assert_int_equal(audit_count(), fx.audits);
}

/* ---- journal ------------------------------------------------------------------------- */

static void
test_notes(void **state)
{
	(void)state;
	struct note n;
	memset(&n, 0, sizeof n);
	n.case_id = fx.c1;
	snprintf(n.body, sizeof n.body, "Hembesök. Sökanden klarar inte städning själv.");
	assert_int_equal(cases_note_add(fx.db, fx.tenant, &n, "Anna Handläggare", &fx.who_anna), 0);
	fx.audits++;
	assert_true(n.id > 0);
	assert_int_equal(n.version, 1);
	assert_int_equal(n.signed_at, 0);
	assert_int_equal(n.author_id, fx.anna);
	assert_string_equal(n.author_name, "Anna Handläggare");
	int64_t draft = n.id;

	/* A draft changes with its version. */
	snprintf(n.body, sizeof n.body, "Hembesök. Sökanden klarar inte städning eller tvätt.");
	assert_int_equal(cases_note_update(fx.db, fx.tenant, &n, &fx.who_anna), 0);
	fx.audits++;
	assert_int_equal(n.version, 2);
	struct note stale = n;
	stale.version = 1;
	snprintf(stale.body, sizeof stale.body, "Skrivet på en gammal version.");
	assert_int_equal(cases_note_update(fx.db, fx.tenant, &stale, &fx.who_anna), HERR_STALE);
	assert_int_equal(stale.version, 1); /* untouched on failure */
	/* Only the author edits or signs. */
	assert_int_equal(cases_note_update(fx.db, fx.tenant, &n, &fx.who_bo), HERR_FORBIDDEN);
	struct note out;
	assert_int_equal(cases_note_sign(fx.db, fx.tenant, draft, fx.bo, &out, &fx.who_bo),
	                 HERR_FORBIDDEN);
	assert_string_equal(get_note(draft).body,
	                    "Hembesök. Sökanden klarar inte städning eller tvätt.");

	assert_int_equal(cases_note_sign(fx.db, fx.tenant, draft, fx.anna, &out, &fx.who_anna), 0);
	fx.audits++;
	fx.note_signed = draft;
	assert_true(out.signed_at > 0);
	assert_int_equal(out.id, draft);
	struct events ev = events_of(fx.c1);
	assert_string_equal(ev.e[ev.n - 1].kind, "note_signed");

	/* Signed is final. */
	n = get_note(draft);
	snprintf(n.body, sizeof n.body, "Ändrat i efterhand.");
	assert_int_equal(cases_note_update(fx.db, fx.tenant, &n, &fx.who_anna), HERR_CONFLICT);
	assert_int_equal(cases_note_sign(fx.db, fx.tenant, draft, fx.anna, &out, &fx.who_anna),
	                 HERR_CONFLICT);
	assert_string_equal(get_note(draft).body,
	                    "Hembesök. Sökanden klarar inte städning eller tvätt.");

	/* A correction is a new note pointing back at a signed note of the same case. */
	struct note fix;
	memset(&fix, 0, sizeof fix);
	fix.case_id = fx.c1;
	fix.corrects_id = draft;
	snprintf(fix.body, sizeof fix.body, "Rättelse: tvätten sköts av dottern.");
	assert_int_equal(cases_note_add(fx.db, fx.tenant, &fix, "Anna Handläggare", &fx.who_anna),
	                 0);
	fx.audits++;
	assert_int_equal(get_note(fix.id).corrects_id, draft);
	struct note bad = fix;
	bad.id = 0;
	bad.corrects_id = fix.id; /* a draft */
	assert_int_equal(cases_note_add(fx.db, fx.tenant, &bad, "Anna", &fx.who_anna), HERR_RULE);
	bad.case_id = fx.c2; /* a signed note of another case */
	bad.corrects_id = draft;
	assert_int_equal(cases_note_add(fx.db, fx.tenant, &bad, "Anna", &fx.who_anna), HERR_RULE);
	bad.corrects_id = 0;
	bad.case_id = fx.c1 + 100000;
	assert_int_equal(cases_note_add(fx.db, fx.tenant, &bad, "Anna", &fx.who_anna),
	                 HERR_NOT_FOUND);

	struct ids notes = {0};
	struct db_conn *c = db_reader(fx.db);
	assert_int_equal(cases_notes(c, fx.tenant, fx.c1, on_note, &notes), 0);
	db_reader_done(fx.db, c);
	assert_int_equal(notes.n, 2);
	assert_int_equal(notes.id[0], draft);
	assert_int_equal(notes.id[1], fix.id);
	assert_int_equal(audit_count(), fx.audits);
}

/* ---- IBIC assessments ---------------------------------------------------------------- */

static void
test_assessments(void **state)
{
	(void)state;
	struct assessment a;
	memset(&a, 0, sizeof a);
	a.case_id = fx.c1;
	snprintf(a.life_area, sizeof a.life_area, "hemliv");
	snprintf(a.source, sizeof a.source, "self");
	snprintf(a.own_view, sizeof a.own_view, "Jag orkar inte städa längre.");
	assert_int_equal(cases_assessment_add(fx.db, fx.tenant, &a, &fx.who_anna), 0);
	fx.audits++;
	int64_t first = a.id;
	snprintf(a.source, sizeof a.source, "caseworker");
	snprintf(a.functioning, sizeof a.functioning, "Begränsad rörlighet i axlarna.");
	snprintf(a.goal, sizeof a.goal, "Ett rent och tryggt hem.");
	assert_int_equal(cases_assessment_add(fx.db, fx.tenant, &a, &fx.who_anna), 0);
	fx.audits++;
	assert_true(a.id > first);
	snprintf(a.life_area, sizeof a.life_area, "hushall");
	assert_int_equal(cases_assessment_add(fx.db, fx.tenant, &a, &fx.who_anna), HERR_INVALID);
	snprintf(a.life_area, sizeof a.life_area, "hemliv");
	snprintf(a.source, sizeof a.source, "neighbour");
	assert_int_equal(cases_assessment_add(fx.db, fx.tenant, &a, &fx.who_anna), HERR_INVALID);

	struct ids got = {0};
	struct db_conn *c = db_reader(fx.db);
	assert_int_equal(cases_assessments(c, fx.tenant, fx.c1, on_assessment, &got), 0);
	db_reader_done(fx.db, c);
	assert_int_equal(got.n, 2);
	assert_int_equal(got.id[0], first);
	assert_int_equal(audit_count(), fx.audits);
}

/* ---- decisions ----------------------------------------------------------------------- */

static void
test_decide(void **state)
{
	(void)state;
	struct decision d =
	    decision("hemtjanst_service", "granted", 30, "2026-02-01", "2027-01-31");
	d.hours_day = 24;
	d.hours_evening = 6;
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), 0);
	fx.audits++;
	fx.d1 = d.id;
	assert_true(d.id > 0);
	assert_int_equal(d.person_id, fx.person);
	assert_string_equal(d.decision_date, fx.today);
	assert_string_equal(d.followup_date, "2026-08-01"); /* six months after the start */

	struct decision got = get_decision(fx.d1);
	assert_string_equal(got.outcome, "granted");
	assert_int_equal(got.hours, 30);
	assert_int_equal(got.hours_day, 24);
	assert_int_equal(got.hours_evening, 6);
	assert_int_equal(got.hours_night, -1);
	assert_string_equal(got.end_date, "2027-01-31");
	assert_string_equal(got.followup_date, "2026-08-01");
	assert_string_equal(got.delegation_point, "3.1.1");
	assert_string_equal(got.executed_date, "");
	assert_int_equal(got.replaces_id, 0);
	assert_int_equal(got.replaced_by, 0);

	struct case_row cs = get_case(fx.c1);
	assert_string_equal(cs.state, "decided");
	assert_int_equal(cs.refer_level, 0);
	struct events ev = events_of(fx.c1);
	struct case_event *last = &ev.e[ev.n - 1];
	assert_string_equal(last->kind, "decision");
	assert_string_equal(last->from_state, "investigation");
	assert_string_equal(last->to_state, "decided");
	assert_string_equal(last->detail, "Beslut: bifall Hemtjänst – serviceinsatser 30 h/mån");

	/* A second decision in the decided case leaves its state; a short period caps the
	 * follow-up at its end; an alarm is not measured in hours. */
	d = decision("trygghetslarm", "granted", -1, "2026-02-01", "2026-05-31");
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), 0);
	fx.audits++;
	assert_string_equal(d.followup_date, "2026-05-31");
	assert_int_equal(get_decision(d.id).hours, -1);
	ev = events_of(fx.c1);
	last = &ev.e[ev.n - 1];
	assert_string_equal(last->detail, "Beslut: bifall Trygghetslarm");
	assert_string_equal(last->from_state, "");
	assert_string_equal(get_case(fx.c1).state, "decided");

	/* A refusal has no follow-up. */
	d = decision("matdistribution", "refused", -1, "", "");
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), 0);
	fx.audits++;
	fx.d_refused = d.id;
	assert_string_equal(d.followup_date, "");
	assert_string_equal(get_decision(d.id).start_date, "");

	/* Refused before anything is written. */
	d = decision("no_such_service", "granted", 10, "2026-02-01", "");
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), HERR_RULE);
	d = decision("hemtjanst_service", "granted", 10, "", "");
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), HERR_INVALID);
	d = decision("hemtjanst_service", "granted", 10, "2026-03-01", "2026-02-01");
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), HERR_INVALID);
	d = decision("hemtjanst_service", "maybe", 10, "2026-03-01", "");
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), HERR_INVALID);
	d = decision("hemtjanst_service", "granted", 10, "2026-03-01", "");
	d.case_id = fx.c2; /* withdrawn */
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), HERR_RULE);

	/* Reassessment: the new decision replaces the first one. */
	d = decision("hemtjanst_service", "partly_granted", 36, "2026-05-01", "2027-01-31");
	d.replaces_id = fx.d1;
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), 0);
	fx.audits++;
	fx.d2 = d.id;
	assert_string_equal(d.followup_date, "2026-11-01");
	assert_int_equal(get_decision(fx.d1).replaced_by, fx.d2);
	assert_int_equal(get_decision(fx.d2).replaces_id, fx.d1);
	ev = events_of(fx.c1);
	char detail[128];
	snprintf(
	    detail, sizeof detail,
	    "Beslut: delvis bifall Hemtjänst – serviceinsatser 36 h/mån (ersätter beslut %lld, som "
	    "avslutas utan verkställighet)",
	    (long long)fx.d1);
	assert_string_equal(ev.e[ev.n - 1].detail, detail);
	/* Never executed, the replaced grant is closed on the new decision's date. */
	struct decision old = get_decision(fx.d1);
	assert_string_equal(old.closed_date, d.decision_date);
	assert_string_equal(old.closed_reason, "replaced");
	assert_string_equal(old.closed_note, "");
	assert_string_equal(get_decision(fx.d2).closed_date, "");

	/* Replacing it twice, or another person's decision, is refused as a whole. */
	struct ids before = {0};
	struct db_conn *c = db_reader(fx.db);
	assert_int_equal(cases_decisions(c, fx.tenant, fx.c1, on_decision, &before), 0);
	db_reader_done(fx.db, c);
	d = decision("hemtjanst_service", "granted", 40, "2026-06-01", "2027-01-31");
	d.replaces_id = fx.d1;
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), HERR_RULE);
	d.case_id = fx.stranger_case;
	d.replaces_id = fx.d2;
	assert_int_equal(cases_transition(fx.db, fx.tenant, fx.stranger_case, "investigation", NULL,
	                                  &fx.who_anna),
	                 0);
	fx.audits++;
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), HERR_RULE);
	d.replaces_id = fx.d1 + 100000;
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), HERR_RULE);
	struct ids after = {0};
	c = db_reader(fx.db);
	assert_int_equal(cases_decisions(c, fx.tenant, fx.c1, on_decision, &after), 0);
	db_reader_done(fx.db, c);
	assert_int_equal(after.n, before.n);
	assert_int_equal(after.n, 4);
	assert_int_equal(after.id[0], fx.d1);
	assert_int_equal(get_decision(fx.d1).replaced_by, fx.d2);
	assert_string_equal(get_case(fx.stranger_case).state, "investigation");
	assert_int_equal(audit_count(), fx.audits);
}

static void
test_executed(void **state)
{
	(void)state;
	char yesterday[11];
	cal_format(D(fx.today) - 1, yesterday);
	assert_int_equal(cases_executed(fx.db, fx.tenant, fx.d2, yesterday, &fx.who_anna),
	                 HERR_RULE); /* before the decision */
	assert_int_equal(cases_executed(fx.db, fx.tenant, fx.d2, "2026-13-01", &fx.who_anna),
	                 HERR_INVALID);
	assert_int_equal(cases_executed(fx.db, fx.tenant, fx.d_refused, NULL, &fx.who_anna),
	                 HERR_RULE);
	assert_int_equal(cases_executed(fx.db, fx.tenant, fx.d2 + 100000, NULL, &fx.who_anna),
	                 HERR_NOT_FOUND);

	assert_int_equal(cases_executed(fx.db, fx.tenant, fx.d2, NULL, &fx.who_anna), 0);
	fx.audits++;
	assert_string_equal(get_decision(fx.d2).executed_date, fx.today);
	struct case_row cs = get_case(fx.c1);
	assert_string_equal(cs.state, "executing");
	struct events ev = events_of(fx.c1);
	assert_string_equal(ev.e[ev.n - 1].kind, "executed");
	assert_string_equal(ev.e[ev.n - 1].to_state, "executing");
	assert_int_equal(cases_executed(fx.db, fx.tenant, fx.d2, fx.today, &fx.who_anna),
	                 HERR_RULE);
	/* Open cases of the caseworker, the executing one included. */
	struct ids queue = list_cases(fx.anna, 0, -1);
	assert_int_equal(queue.n, 1);
}

/* Closing a grant without execution: the checks of the input and of the state, the row, the
 * timeline and the audit record, and no execution after it. */
static void
test_close(void **state)
{
	(void)state;
	struct decision d = decision("trygghetslarm", "granted", -1, "2026-01-20", "2026-04-30");
	snprintf(d.decision_date, sizeof d.decision_date, "2026-01-10");
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), 0);
	fx.audits++;
	fx.d3 = d.id;
	int64_t d3 = fx.d3;

	/* Input: cases_closing_check, as the route checks it. */
	assert_int_equal(
	    cases_close(fx.db, fx.tenant, d3, "2026-01-09", "declined", "", &fx.who_anna),
	    HERR_INVALID); /* before the decision */
	assert_int_equal(
	    cases_close(fx.db, fx.tenant, d3, "2026-02-30", "declined", "", &fx.who_anna),
	    HERR_INVALID);
	assert_int_equal(cases_close(fx.db, fx.tenant, d3, NULL, "declined", "", &fx.who_anna),
	                 HERR_INVALID);
	assert_int_equal(
	    cases_close(fx.db, fx.tenant, d3, "2026-03-01", "replaced", "", &fx.who_anna),
	    HERR_INVALID);
	assert_int_equal(cases_close(fx.db, fx.tenant, d3, "2026-03-01", "other", "", &fx.who_anna),
	                 HERR_INVALID);
	assert_int_equal(
	    cases_close(fx.db, fx.tenant, d3, "2026-03-01", "period_ended", "", &fx.who_anna),
	    HERR_INVALID); /* the period ended on 2026-04-30 */
	/* State: refused, executed, closed (d1 by its replacement), unknown. */
	assert_int_equal(
	    cases_close(fx.db, fx.tenant, fx.d_refused, "2026-03-01", "declined", "", &fx.who_anna),
	    HERR_RULE);
	assert_int_equal(
	    cases_close(fx.db, fx.tenant, fx.d2, fx.today, "declined", "", &fx.who_anna),
	    HERR_CONFLICT);
	assert_int_equal(
	    cases_close(fx.db, fx.tenant, fx.d1, fx.today, "declined", "", &fx.who_anna),
	    HERR_CONFLICT);
	assert_int_equal(
	    cases_close(fx.db, fx.tenant, d3 + 100000, "2026-03-01", "declined", "", &fx.who_anna),
	    HERR_NOT_FOUND);
	assert_string_equal(get_decision(d3).closed_date, "");
	assert_int_equal(audit_count(), fx.audits);

	int nev = events_of(fx.c1).n;
	assert_int_equal(cases_close(fx.db, fx.tenant, d3, "2026-04-30", "period_ended",
	                             "Larmet behövdes bara under rehabiliteringen.", &fx.who_anna),
	                 0);
	fx.audits++;
	struct decision got = get_decision(d3);
	assert_string_equal(got.closed_date, "2026-04-30");
	assert_string_equal(got.closed_reason, "period_ended");
	assert_string_equal(got.closed_note, "Larmet behövdes bara under rehabiliteringen.");
	assert_string_equal(got.executed_date, "");
	struct events ev = events_of(fx.c1);
	assert_int_equal(ev.n, nev + 1);
	assert_string_equal(ev.e[ev.n - 1].kind, "closed_unexecuted");
	char detail[160];
	snprintf(detail, sizeof detail,
	         "Avslutat utan verkställighet: Trygghetslarm den 2026-04-30, Beslutsperioden har "
	         "löpt ut (beslut %lld)",
	         (long long)d3);
	assert_string_equal(ev.e[ev.n - 1].detail, detail);
	assert_int_equal(audit_count(), fx.audits);

	/* Once: neither closed again nor executed after it. */
	assert_int_equal(
	    cases_close(fx.db, fx.tenant, d3, "2026-04-30", "declined", "", &fx.who_anna),
	    HERR_CONFLICT);
	assert_int_equal(cases_executed(fx.db, fx.tenant, d3, "2026-05-01", &fx.who_anna),
	                 HERR_RULE);
	assert_string_equal(get_decision(d3).executed_date, "");
	assert_int_equal(audit_count(), fx.audits);
}

/* cases_executed_by_delivery inside a write job, as the visits module calls it. */
struct delivery {
	int64_t tenant, id; /* the decision */
	const char *date;   /* the delivery's day */
};

static int
delivery_job(struct db_conn *c, void *arg)
{
	const struct delivery *w = arg;
	return cases_executed_by_delivery(c, w->tenant, w->id, w->date, &fx.who_bo);
}

static int
deliver(int64_t tenant, int64_t id, const char *date)
{
	struct delivery w = {tenant, id, date};
	return db_write(fx.db, delivery_job, &w);
}

/* The first delivery under an order executes its grant (review 11b): once, on the delivery's
 * day, never a refusal, a grant executed or closed, a date before the decision or another
 * tenant's decision; those give 0 and change nothing. Runs after test_audit, whose tally it
 * would change. */
static void
test_executed_by_delivery(void **state)
{
	(void)state;
	struct decision d = decision("hemtjanst_service", "granted", 12, "2026-01-01", "");
	snprintf(d.decision_date, sizeof d.decision_date, "2026-01-05");
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), 0);
	fx.audits++;
	int nev = events_of(fx.c1).n;
	assert_int_equal(deliver(fx.tenant, d.id, "2026-01-04"), 0); /* before the decision */
	assert_int_equal(deliver(fx.other_tenant, d.id, "2026-01-07"), 0);
	assert_int_equal(deliver(fx.tenant, fx.d_refused, "2026-01-07"), 0);
	assert_int_equal(deliver(fx.tenant, fx.d3, "2026-05-02"), 0); /* closed */
	assert_int_equal(deliver(fx.tenant, fx.d2, "2026-12-01"), 0); /* executed */
	assert_int_equal(deliver(fx.tenant, d.id + 100000, "2026-01-07"), 0);
	assert_string_equal(get_decision(d.id).executed_date, "");
	assert_string_equal(get_decision(fx.d3).executed_date, "");
	assert_string_equal(get_decision(fx.d2).executed_date, fx.today);
	assert_int_equal(events_of(fx.c1).n, nev);
	assert_int_equal(audit_count(), fx.audits);

	assert_int_equal(deliver(fx.tenant, d.id, "2026-01-07"), 0);
	fx.audits++;
	assert_string_equal(get_decision(d.id).executed_date, "2026-01-07");
	assert_string_equal(get_case(fx.c1).state, "executing");
	struct events ev = events_of(fx.c1);
	assert_int_equal(ev.n, nev + 1);
	assert_string_equal(ev.e[ev.n - 1].kind, "executed");
	assert_string_equal(ev.e[ev.n - 1].username, "bo");
	char detail[200];
	snprintf(detail, sizeof detail,
	         "Verkställt: Hemtjänst – serviceinsatser från 2026-01-07 (första rapporterade "
	         "besöket eller passet, beslut %lld)",
	         (long long)d.id);
	assert_string_equal(ev.e[ev.n - 1].detail, detail);
	assert_int_equal(audit_count(), fx.audits);

	/* Once: a later delivery, even an earlier day, changes nothing. */
	assert_int_equal(deliver(fx.tenant, d.id, "2026-01-06"), 0);
	assert_string_equal(get_decision(d.id).executed_date, "2026-01-07");
	assert_int_equal(events_of(fx.c1).n, nev + 1);
	assert_int_equal(audit_count(), fx.audits);
}

/* ---- the audit trail ----------------------------------------------------------------- */

struct tally {
	int cases, notes, decisions, assessments;
};

static void
on_audit(const struct audit_row *r, void *arg)
{
	struct tally *t = arg;
	if (strcmp(r->entity, "case") == 0)
		t->cases++;
	else if (strcmp(r->entity, "journal_note") == 0)
		t->notes++;
	else if (strcmp(r->entity, "decision") == 0)
		t->decisions++;
	else if (strcmp(r->entity, "assessment") == 0)
		t->assessments++;
}

static void
test_audit(void **state)
{
	(void)state;
	assert_int_equal(audit_count(), fx.audits);
	struct tally t = {0};
	int64_t next = 0;
	assert_int_equal(
	    audit_list_person(fx.db, fx.tenant, fx.person, 0, 200, on_audit, &t, &next), 0);
	/* c1 and c2: two creations, two assignments, transition, referral, withdrawal. */
	assert_int_equal(t.cases, 7);
	/* Add, update, sign, correction. */
	assert_int_equal(t.notes, 4);
	/* Five decisions, one execution and one closing without execution. */
	assert_int_equal(t.decisions, 7);
	assert_int_equal(t.assessments, 2);
}

/* ---- under faults (STYLE.md rule 21) ------------------------------------------------- */

/* What a change may touch, to see that a failed one touched nothing. */
struct snap {
	int64_t audits;      /* records in the chain */
	int cases;           /* cases of the person */
	int events;          /* timeline of c1 */
	int decisions;       /* decisions of c1 */
	int64_t version;     /* of c1 */
	char state[16];      /* of c1 */
	int64_t signed_at;   /* of the note under test */
	int64_t replaced_by; /* of d1 */
	char closed[11];     /* of d1 */
	char executed[11];   /* of d2 */
	char closed3[11];    /* of d3 */
	int interruptions;   /* of d2 */
	char resumed[11];    /* of int1 */
	char executed4[11];  /* of d4 */
};

static void
count_interruption(const struct interruption *i, void *arg)
{
	(void)i;
	++*(int *)arg;
}

static struct snap
snap_take(void)
{
	struct snap s;
	memset(&s, 0, sizeof s);
	s.audits = audit_count();
	s.cases = list_cases(0, fx.person, -1).n;
	if (fx.c1) {
		struct case_row cs = get_case(fx.c1);
		s.events = events_of(fx.c1).n;
		s.version = cs.version;
		snprintf(s.state, sizeof s.state, "%s", cs.state);
		struct ids d = {0};
		struct db_conn *c = db_reader(fx.db);
		assert_int_equal(cases_decisions(c, fx.tenant, fx.c1, on_decision, &d), 0);
		db_reader_done(fx.db, c);
		s.decisions = d.n;
	}
	if (fx.note_signed)
		s.signed_at = get_note(fx.note_signed).signed_at;
	if (fx.d1) {
		struct decision d1 = get_decision(fx.d1);
		s.replaced_by = d1.replaced_by;
		snprintf(s.closed, sizeof s.closed, "%s", d1.closed_date);
	}
	if (fx.d2)
		snprintf(s.executed, sizeof s.executed, "%s", get_decision(fx.d2).executed_date);
	if (fx.d3)
		snprintf(s.closed3, sizeof s.closed3, "%s", get_decision(fx.d3).closed_date);
	struct db_conn *c = db_reader(fx.db);
	struct interruption in;
	if (fx.d2)
		assert_int_equal(cases_decision_interruptions(c, fx.tenant, fx.d2,
		                                              count_interruption, &s.interruptions),
		                 0);
	if (fx.int1 && cases_interruption_get(c, fx.tenant, fx.int1, &in) == 0)
		snprintf(s.resumed, sizeof s.resumed, "%s", in.resumed_date);
	db_reader_done(fx.db, c);
	if (fx.d4)
		snprintf(s.executed4, sizeof s.executed4, "%s", get_decision(fx.d4).executed_date);
	return s;
}

static void
snap_same(const struct snap *a, const struct snap *b)
{
	assert_int_equal(a->audits, b->audits);
	assert_int_equal(a->cases, b->cases);
	assert_int_equal(a->events, b->events);
	assert_int_equal(a->decisions, b->decisions);
	assert_int_equal(a->version, b->version);
	assert_string_equal(a->state, b->state);
	assert_int_equal(a->signed_at, b->signed_at);
	assert_int_equal(a->replaced_by, b->replaced_by);
	assert_string_equal(a->closed, b->closed);
	assert_string_equal(a->executed, b->executed);
	assert_string_equal(a->closed3, b->closed3);
	assert_int_equal(a->interruptions, b->interruptions);
	assert_string_equal(a->resumed, b->resumed);
	assert_string_equal(a->executed4, b->executed4);
}

static int
op_create(void)
{
	struct case_row cs;
	memset(&cs, 0, sizeof cs);
	cs.tenant_id = fx.tenant;
	cs.person_id = fx.person;
	snprintf(cs.kind, sizeof cs.kind, "application");
	snprintf(cs.channel, sizeof cs.channel, "online");
	struct case_request reqs[2];
	memset(reqs, 0, sizeof reqs);
	snprintf(reqs[0].service, sizeof reqs[0].service, "hemtjanst_omsorg");
	reqs[0].hours = 20;
	snprintf(reqs[1].service, sizeof reqs[1].service, "trygghetslarm");
	int rc = cases_create(fx.db, &cs, reqs, 2, &fx.who_anna);
	if (rc == 0)
		fx.c1 = cs.id;
	return rc;
}

static int
op_sign(void)
{
	struct note out;
	return cases_note_sign(fx.db, fx.tenant, fx.note_signed, fx.anna, &out, &fx.who_anna);
}

static int
op_reassess(void)
{
	struct decision d =
	    decision("hemtjanst_service", "granted", 20, "2026-03-01", "2026-12-31");
	d.replaces_id = fx.d1;
	int rc = cases_decide(fx.db, fx.tenant, &d, &fx.who_anna);
	if (rc == 0)
		fx.d2 = d.id;
	return rc;
}

static int
op_executed(void)
{
	return cases_executed(fx.db, fx.tenant, fx.d2, NULL, &fx.who_anna);
}

static int
op_interrupt(void)
{
	struct interruption in;
	int rc = cases_interrupt(fx.db, fx.tenant, fx.d2, fx.today, "Vårdas på sjukhus.",
	                         &fx.who_anna, &in);
	if (rc == 0)
		fx.int1 = in.id;
	return rc;
}

static int
op_resume(void)
{
	return cases_resume(fx.db, fx.tenant, fx.int1, fx.today, &fx.who_anna);
}

/* Closes d2, executed, while its execution is interrupted. */
static int
op_close_interrupted(void)
{
	return cases_close(fx.db, fx.tenant, fx.d2, fx.today, "deceased", "", &fx.who_anna);
}

static int
op_delivery(void)
{
	return deliver(fx.tenant, fx.d4, fx.today);
}

static int
op_close(void)
{
	return cases_close(fx.db, fx.tenant, fx.d3, fx.today, "moved", "", &fx.who_anna);
}

/* Replays op with statement 1, 2, 3, ... failing until it runs without a fault: every failed
 * run leaves the database as it was, the run that succeeds adds one audit record. */
static void
fault_loop(int (*op)(void))
{
	bool completed = false;
	for (long n = 1; n < 80 && !completed; n++) {
		struct snap before = snap_take();
		db_fault_arm(n);
		int rc = op();
		long fired = db_fault_fired();
		db_fault_arm(0);
		struct snap after = snap_take();
		if (rc == 0) {
			assert_int_equal(fired, 0); /* no failed statement was swallowed */
			assert_int_equal(after.audits, before.audits + 1);
		} else {
			assert_int_equal(fired, 1);
			snap_same(&before, &after);
		}
		completed = rc == 0;
	}
	assert_true(completed);
}

static void
test_faults(void **state)
{
	(void)state;
	fault_loop(op_create);
	assert_int_equal(events_of(fx.c1).n, 1);
	assert_int_equal(
	    cases_transition(fx.db, fx.tenant, fx.c1, "investigation", NULL, &fx.who_anna), 0);

	struct note n;
	memset(&n, 0, sizeof n);
	n.case_id = fx.c1;
	snprintf(n.body, sizeof n.body, "Telefonsamtal med sökanden.");
	assert_int_equal(cases_note_add(fx.db, fx.tenant, &n, "Anna", &fx.who_anna), 0);
	fx.note_signed = n.id;
	fault_loop(op_sign);
	assert_true(get_note(n.id).signed_at > 0);

	struct decision d =
	    decision("hemtjanst_service", "granted", 10, "2026-02-01", "2026-12-31");
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), 0);
	fx.d1 = d.id;
	fault_loop(op_reassess);
	assert_int_equal(get_decision(fx.d1).replaced_by, fx.d2);
	assert_string_equal(get_decision(fx.d1).closed_reason, "replaced");
	fault_loop(op_executed);
	assert_string_equal(get_case(fx.c1).state, "executing");
	assert_string_equal(get_decision(fx.d2).executed_date, fx.today);

	/* Interrupted and resumed, interrupted again and closed during it (trigger B). */
	assert_int_equal(
	    cases_close(fx.db, fx.tenant, fx.d2, fx.today, "deceased", "", &fx.who_anna),
	    HERR_CONFLICT); /* executed and not interrupted */
	fault_loop(op_interrupt);
	struct interruption in;
	struct db_conn *c = db_reader(fx.db);
	assert_int_equal(cases_interruption_open(c, fx.tenant, fx.d2, &in), 0);
	db_reader_done(fx.db, c);
	assert_int_equal(in.id, fx.int1);
	assert_string_equal(in.from_date, fx.today);
	assert_string_equal(in.reason, "Vårdas på sjukhus.");
	assert_int_equal(in.case_id, fx.c1);
	assert_int_equal(in.person_id, fx.person);
	assert_int_equal(
	    cases_interrupt(fx.db, fx.tenant, fx.d2, fx.today, "Igen.", &fx.who_anna, NULL),
	    HERR_CONFLICT); /* one open interruption at a time */
	assert_string_equal(events_of(fx.c1).e[events_of(fx.c1).n - 1].kind, "interrupted");
	fault_loop(op_resume);
	assert_int_equal(cases_resume(fx.db, fx.tenant, fx.int1, fx.today, &fx.who_anna),
	                 HERR_CONFLICT); /* resumed already */
	assert_int_equal(
	    cases_interrupt(fx.db, fx.tenant, fx.d2, fx.today, "Igen.", &fx.who_anna, &in), 0);
	fx.int1 = in.id;
	fault_loop(op_close_interrupted);
	assert_string_equal(get_decision(fx.d2).closed_reason, "deceased");
	assert_string_equal(events_of(fx.c1).e[events_of(fx.c1).n - 1].kind, "closed_interrupted");
	assert_int_equal(cases_resume(fx.db, fx.tenant, fx.int1, fx.today, &fx.who_anna),
	                 HERR_CONFLICT); /* ended by the closing */
	assert_int_equal(
	    cases_interrupt(fx.db, fx.tenant, fx.d2, fx.today, "x", &fx.who_anna, NULL),
	    HERR_CONFLICT); /* closed */

	d = decision("trygghetslarm", "granted", -1, "2026-02-01", "");
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), 0);
	fx.d3 = d.id;
	fault_loop(op_close);
	assert_string_equal(get_decision(fx.d3).closed_date, fx.today);
	assert_string_equal(get_decision(fx.d3).closed_reason, "moved");

	d = decision("trygghetslarm", "granted", -1, "2026-02-01", "");
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who_anna), 0);
	fx.d4 = d.id;
	fault_loop(op_delivery);
	assert_string_equal(get_decision(fx.d4).executed_date, fx.today);
	assert_string_equal(get_case(fx.c1).state, "executing");
}

/* ---- fixtures ------------------------------------------------------------------------ */

/* Migrates and fills the database the walk starts from. */
static int
populate(void)
{
	if (db_migrate(fx.db) != 0)
		return -1;
	time_today(fx.today);
	int m, d;
	cal_civil(D(fx.today), &fx.year, &m, &d);
	if (auth_tenant_add(fx.db, "hannaby", "Hannaby kommun", &fx.tenant) != 0 ||
	    auth_tenant_add(fx.db, "grannby", "Grannby kommun", &fx.other_tenant) != 0 ||
	    auth_unit_add(fx.db, fx.tenant, "Norra", &fx.north) != 0 ||
	    auth_unit_add(fx.db, fx.tenant, "Södra", &fx.south) != 0)
		return -1;
	user_new("anna", fx.north, &fx.anna);
	user_new("bo", fx.south, &fx.bo);
	fx.who_anna = (struct audit_entry){.tenant_id = fx.tenant,
	                                   .user_id = fx.anna,
	                                   .username = "anna",
	                                   .role = "caseworker",
	                                   .request_id = "store-test"};
	fx.who_bo = fx.who_anna;
	fx.who_bo.user_id = fx.bo;
	fx.who_bo.username = "bo";

	int64_t before = audit_count();
	person_new("194107086995", "Greta", "Lind", &fx.person);
	person_new("196506172380", "Karin", "Lind", &fx.rep);
	person_new("198112189876", "Sven", "Ek", &fx.stranger);
	struct representative r;
	memset(&r, 0, sizeof r);
	r.rep_person_id = fx.rep;
	snprintf(r.rep_name, sizeof r.rep_name, "Karin Lind");
	snprintf(r.kind, sizeof r.kind, "god_man");
	snprintf(r.scope, sizeof r.scope, "bevaka rätt, sörja för person");
	snprintf(r.valid_from, sizeof r.valid_from, "2020-01-01");
	assert_int_equal(people_representative_add(fx.db, fx.tenant, fx.person, &r, &fx.who_anna),
	                 0);
	/* The stranger once represented her, long ago. */
	r.rep_person_id = fx.stranger;
	snprintf(r.rep_name, sizeof r.rep_name, "Sven Ek");
	snprintf(r.kind, sizeof r.kind, "fullmakt");
	snprintf(r.valid_to, sizeof r.valid_to, "2021-12-31");
	assert_int_equal(people_representative_add(fx.db, fx.tenant, fx.person, &r, &fx.who_anna),
	                 0);
	if (cases_seed_demo(fx.db, fx.tenant) != 0)
		return -1;
	/* Persons, mandates, the delegation order. */
	fx.audits = audit_count();
	assert_int_equal(fx.audits - before, 3 + 2 + 1);
	return 0;
}

static int
open_db(void)
{
	int rc = db_open(fx.url, 4, &fx.db);
	if (rc) {
		fprintf(stderr, "cases_store_test: cannot open '%s': %s\n", fx.url, herr_name(rc));
		return -1;
	}
	return populate();
}

static int
sqlite_setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof fx);
	snprintf(fx.path, sizeof fx.path, "/tmp/hanna-cases-test-XXXXXX");
	int fd = mkstemp(fx.path);
	if (fd < 0)
		return -1;
	close(fd);
	snprintf(fx.url, sizeof fx.url, "sqlite:%s", fx.path);
	return open_db();
}

static int
fault_setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof fx);
	snprintf(fx.path, sizeof fx.path, "/tmp/hanna-cases-fault-XXXXXX");
	int fd = mkstemp(fx.path);
	if (fd < 0)
		return -1;
	close(fd);
	snprintf(fx.url, sizeof fx.url, "fault:%s", fx.path);
	db_fault_arm(0);
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
	snprintf(fx.schema, sizeof fx.schema, "hanna_cases_test_%ld", (long)getpid());
	char sql[128];
	snprintf(sql, sizeof sql, "CREATE SCHEMA %s", fx.schema);
	if (exec_on_base(sql) != 0)
		return -1;
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
	/* As the hanna process does (src/main.c): dates are Stockholm's. */
	setenv("TZ", "Europe/Stockholm", 1);
	tzset();
	log_set_level(LOG_WARN);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_catalogue),
	    cmocka_unit_test(test_create),
	    cmocka_unit_test(test_access),
	    cmocka_unit_test(test_assign_and_states),
	    cmocka_unit_test(test_notes),
	    cmocka_unit_test(test_assessments),
	    cmocka_unit_test(test_decide),
	    cmocka_unit_test(test_executed),
	    cmocka_unit_test(test_close),
	    cmocka_unit_test(test_audit),
	    cmocka_unit_test(test_executed_by_delivery),
	};
	const struct CMUnitTest fault_tests[] = {
	    cmocka_unit_test(test_faults),
	};
	int failed = cmocka_run_group_tests_name("cases store on sqlite", tests, sqlite_setup,
	                                         sqlite_teardown);
	failed += cmocka_run_group_tests_name("cases store under faults", fault_tests, fault_setup,
	                                      sqlite_teardown);
	if (getenv("HANNA_TEST_PG_URL") && *getenv("HANNA_TEST_PG_URL"))
		failed += cmocka_run_group_tests_name("cases store on postgresql", tests,
		                                      pgsql_setup, pgsql_teardown);
	else
		fprintf(stderr, "cases_store_test: HANNA_TEST_PG_URL is not set; PostgreSQL "
		                "skipped\n");
	return failed ? 1 : 0;
}
