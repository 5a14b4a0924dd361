/*
 * The providers module's order storage on a real SQLite database (issue 4 gaps): the two
 * functions other modules rely on, providers_order_covering and providers_orders_active
 * (src/visits reads orders through them), walked over sent, accepted, ended, declined and
 * withdrawn orders, period edges, other providers, services and tenants; and a fault loop
 * (STYLE.md rule 21) over the provider writes (order create, change of provider, accept, plan
 * create and plan update) on a "fault:" database with statement 1, 2, 3, ... failing: each
 * failed run leaves nothing half-written (no order without its event and audit record, no
 * plan without its items), the audit chain stays intact, and the last run completes. And the
 * webhook claim (0018_webhook_claim.sql, webhook.c) with explicit times: one lease at a time,
 * taken over only after it ran out, a late outcome of the process that lost it not applied.
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
#include "cases/cases.h"
#include "db/db.h"
#include "people/people.h"
#include "providers/providers.h"
#include "providers/providers_private.h"

struct fixture {
	char dir[64];
	char url[128];
	struct db *db;
	int64_t tenant, other_tenant;
	int64_t person, case_id;
	int64_t pa, pb;            /* providers A and B, both approved for the services */
	struct service home, care; /* hemtjanst_service and hemtjanst_omsorg */
	struct audit_entry who;
};

static struct fixture fx;

/* ---- set-up -------------------------------------------------------------------------- */

static int64_t
provider_new(const char *name, const char *org, const char *webhook_url)
{
	struct provider p;
	memset(&p, 0, sizeof p);
	p.tenant_id = fx.tenant;
	snprintf(p.name, sizeof p.name, "%s", name);
	snprintf(p.org_nr, sizeof p.org_nr, "%s", org);
	snprintf(p.kind, sizeof p.kind, "private");
	snprintf(p.approved_from, sizeof p.approved_from, "2024-01-01");
	snprintf(p.webhook_url, sizeof p.webhook_url, "%s", webhook_url);
	struct provider_service sv[2] = {{fx.home.id, ""}, {fx.care.id, ""}};
	snprintf(sv[0].code, sizeof sv[0].code, "%s", fx.home.code);
	snprintf(sv[1].code, sizeof sv[1].code, "%s", fx.care.code);
	const char *areas[] = {"Hannaby"};
	assert_int_equal(providers_register(fx.db, &p, sv, 2, areas, 1, &fx.who), 0);
	return p.id;
}

/* Opens a fresh database at prefix ("sqlite:" or "fault:") with a tenant, the demo catalogue,
 * a person with a case, and two providers. */
static void
open_fresh(const char *prefix)
{
	memset(&fx, 0, sizeof fx);
	snprintf(fx.dir, sizeof fx.dir, "/tmp/hanna-prov-XXXXXX");
	assert_non_null(mkdtemp(fx.dir));
	snprintf(fx.url, sizeof fx.url, "%s%s/p.db", prefix, fx.dir);
	db_fault_arm(0);
	assert_int_equal(db_open(fx.url, 2, &fx.db), 0);
	assert_int_equal(db_migrate(fx.db), 0);
	assert_int_equal(auth_tenant_add(fx.db, "t", "T kommun", &fx.tenant), 0);
	assert_int_equal(auth_tenant_add(fx.db, "u", "U kommun", &fx.other_tenant), 0);
	fx.who = (struct audit_entry){.tenant_id = fx.tenant,
	                              .user_id = 0,
	                              .username = "test",
	                              .role = "caseworker",
	                              .request_id = "prov"};
	assert_int_equal(cases_seed_demo(fx.db, fx.tenant), 0);
	struct user_new u = {.tenant_id = fx.tenant,
	                     .username = "anna",
	                     .password = "correct horse battery",
	                     .roles = ROLE_CASEWORKER};
	const char *msg = NULL;
	assert_int_equal(auth_user_add(fx.db, &u, &fx.who.user_id, &msg), 0);
	struct db_conn *c = db_reader(fx.db);
	assert_int_equal(cases_service_get(c, fx.tenant, "hemtjanst_service", &fx.home), 0);
	assert_int_equal(cases_service_get(c, fx.tenant, "hemtjanst_omsorg", &fx.care), 0);
	db_reader_done(fx.db, c);

	struct person p;
	memset(&p, 0, sizeof p);
	p.tenant_id = fx.tenant;
	snprintf(p.pnr, sizeof p.pnr, "198112189876");
	snprintf(p.pnr_kind, sizeof p.pnr_kind, "personnummer");
	snprintf(p.given_name, sizeof p.given_name, "Åsa");
	snprintf(p.family_name, sizeof p.family_name, "Öberg");
	snprintf(p.city, sizeof p.city, "Hannaby");
	assert_int_equal(people_create(fx.db, &p, &fx.who), 0);
	fx.person = p.id;

	struct case_row cs;
	memset(&cs, 0, sizeof cs);
	cs.tenant_id = fx.tenant;
	cs.person_id = fx.person;
	snprintf(cs.kind, sizeof cs.kind, "application");
	snprintf(cs.channel, sizeof cs.channel, "caseworker");
	snprintf(cs.summary, sizeof cs.summary, "Hemtjänst");
	struct case_request r;
	memset(&r, 0, sizeof r);
	snprintf(r.service, sizeof r.service, "hemtjanst_service");
	r.hours = 20;
	assert_int_equal(cases_create(fx.db, &cs, &r, 1, &fx.who), 0);
	fx.case_id = cs.id;
	fx.pa = provider_new("Omsorg A AB", "556677-8899", "");
	fx.pb = provider_new("Omsorg B AB", "559911-2233", "https://192.0.2.7/hanna");
}

static void
close_fresh(void)
{
	db_fault_arm(0);
	db_close(fx.db);
	char path[128];
	const char *suffix[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/p.db%s", fx.dir, suffix[i]);
		unlink(path);
	}
	rmdir(fx.dir);
}

/* A granted decision of service on the case from start to end ("" until further notice). */
static int64_t
decision_new(const struct service *sv, const char *start, const char *end)
{
	struct decision d;
	memset(&d, 0, sizeof d);
	d.case_id = fx.case_id;
	snprintf(d.service, sizeof d.service, "%s", sv->code);
	snprintf(d.outcome, sizeof d.outcome, "granted");
	d.hours = 20;
	d.hours_day = d.hours_evening = d.hours_night = d.hours_weekend = -1;
	snprintf(d.start_date, sizeof d.start_date, "%s", start);
	snprintf(d.end_date, sizeof d.end_date, "%s", end);
	snprintf(d.goals, sizeof d.goals, "Ett rent hem\nKunna duscha själv");
	snprintf(d.reasoning, sizeof d.reasoning, "Utrett.");
	snprintf(d.decided_by_name, sizeof d.decided_by_name, "Anna");
	d.decided_by = fx.who.user_id;
	d.decided_level = 1;
	snprintf(d.delegation_point, sizeof d.delegation_point, "3.1.1");
	assert_int_equal(cases_decide(fx.db, fx.tenant, &d, &fx.who), 0);
	return d.id;
}

/* An order in memory for decision of service to provider over from..to. */
static void
order_fill(struct order *o, int64_t decision, const struct service *sv, int64_t provider,
           const char *from, const char *to)
{
	memset(o, 0, sizeof *o);
	o->ref.tenant_id = fx.tenant;
	o->ref.decision_id = decision;
	o->ref.case_id = fx.case_id;
	o->ref.person_id = fx.person;
	o->ref.provider_id = provider;
	o->ref.service_id = sv->id;
	snprintf(o->ref.service_code, sizeof o->ref.service_code, "%.31s", sv->code);
	snprintf(o->ref.from, sizeof o->ref.from, "%s", from);
	snprintf(o->ref.to, sizeof o->ref.to, "%s", to);
	o->ref.granted_minutes_month = 1200;
	o->ref.main_responsible = true;
	snprintf(o->service_name, sizeof o->service_name, "%s", sv->name);
	snprintf(o->scope_text, sizeof o->scope_text, "20 timmar per månad");
	snprintf(o->goals, sizeof o->goals, "Ett rent hem\nKunna duscha själv");
	snprintf(o->message, sizeof o->message, "Välkommen");
}

/* Creates (and, when accept, accepts) an order; returns its id. */
static int64_t
order_new(int64_t decision, const struct service *sv, int64_t provider, const char *from,
          const char *to, bool accept)
{
	struct order o;
	order_fill(&o, decision, sv, provider, from, to);
	struct order_section s = {.position = 1};
	snprintf(s.heading, sizeof s.heading, "Bakgrund");
	snprintf(s.body, sizeof s.body, "Bor ensam.");
	assert_int_equal(providers_order_create(fx.db, &o, &s, 1, &fx.who), 0);
	if (accept)
		assert_int_equal(providers_order_answer(fx.db, fx.tenant, o.ref.id, true, NULL,
		                                        "Petra", &fx.who),
		                 0);
	return o.ref.id;
}

/* One integer from a query with up to one bound id. */
static int64_t
count(const char *sql, int64_t id)
{
	struct db_conn *c = db_reader(fx.db);
	struct db_stmt *st = db_prepare(c, sql);
	assert_non_null(st);
	if (strstr(sql, "$1"))
		db_bind_int(st, 1, id);
	assert_int_equal(db_step(st), DB_ROW);
	int64_t v = db_col_int(st, 0);
	db_reset(st);
	db_reader_done(fx.db, c);
	return v;
}

/* Audit records in the chain; asserts it is intact. */
static int64_t
audits(void)
{
	struct audit_verify_result res;
	assert_int_equal(audit_verify(fx.db, &res), 0);
	assert_int_equal(res.bad_id, 0);
	return res.checked;
}

/* ---- providers_order_covering and providers_orders_active ------------------------------ */

static int
covering(int64_t tenant, int64_t provider, int64_t service, const char *date, int64_t *id)
{
	struct order_ref ref;
	struct db_conn *c = db_reader(fx.db);
	int rc = providers_order_covering(c, tenant, provider, fx.person, service, date, &ref);
	db_reader_done(fx.db, c);
	if (rc == 0) {
		assert_int_equal(ref.person_id, fx.person);
		assert_int_equal(ref.provider_id, provider);
		assert_int_equal(ref.service_id, service);
		*id = ref.id;
	}
	return rc;
}

struct active {
	int64_t ids[16];
	char states[16][16];
	int n;
};

static void
on_active(const struct order_ref *r, void *arg)
{
	struct active *a = arg;
	assert_true(a->n < 16);
	snprintf(a->states[a->n], sizeof a->states[0], "%s", r->state);
	a->ids[a->n++] = r->id;
}

static struct active
active(int64_t tenant, int64_t provider, const char *date)
{
	struct active a = {.n = 0};
	struct db_conn *c = db_reader(fx.db);
	assert_int_equal(providers_orders_active(c, tenant, provider, date, on_active, &a), 0);
	db_reader_done(fx.db, c);
	return a;
}

static void
covering_and_active(void **state)
{
	(void)state;
	open_fresh("sqlite:");
	int64_t id = 0;
	int64_t d1 = decision_new(&fx.home, "2026-01-01", "2026-06-30");
	int64_t o1 = order_new(d1, &fx.home, fx.pa, "2026-01-01", "2026-06-30", false);

	/* Sent, not yet accepted: covers nothing. */
	assert_int_equal(covering(fx.tenant, fx.pa, fx.home.id, "2026-03-01", &id), HERR_NOT_FOUND);
	assert_int_equal(active(fx.tenant, fx.pa, "2026-03-01").n, 0);

	assert_int_equal(providers_order_answer(fx.db, fx.tenant, o1, true, NULL, "Petra", &fx.who),
	                 0);
	/* Accepted: the period's first and last day and the days between. */
	for (const char *const *day =
	         (const char *const[]){"2026-01-01", "2026-03-15", "2026-06-30", NULL};
	     *day; day++) {
		id = 0;
		assert_int_equal(covering(fx.tenant, fx.pa, fx.home.id, *day, &id), 0);
		assert_int_equal(id, o1);
	}
	assert_int_equal(covering(fx.tenant, fx.pa, fx.home.id, "2025-12-31", &id), HERR_NOT_FOUND);
	assert_int_equal(covering(fx.tenant, fx.pa, fx.home.id, "2026-07-01", &id), HERR_NOT_FOUND);
	/* Not another provider's, service's or tenant's. */
	assert_int_equal(covering(fx.tenant, fx.pb, fx.home.id, "2026-03-15", &id), HERR_NOT_FOUND);
	assert_int_equal(covering(fx.tenant, fx.pa, fx.care.id, "2026-03-15", &id), HERR_NOT_FOUND);
	assert_int_equal(covering(fx.other_tenant, fx.pa, fx.home.id, "2026-03-15", &id),
	                 HERR_NOT_FOUND);
	struct active a = active(fx.tenant, fx.pa, "2026-03-15");
	assert_int_equal(a.n, 1);
	assert_int_equal(a.ids[0], o1);
	assert_string_equal(a.states[0], "accepted");
	assert_int_equal(active(fx.tenant, fx.pb, "2026-03-15").n, 0);
	assert_int_equal(active(fx.other_tenant, fx.pa, "2026-03-15").n, 0);
	assert_int_equal(active(fx.tenant, fx.pa, "2026-07-01").n, 0);

	/* An open-ended care order of A, and a declined and a withdrawn order of B. */
	int64_t d2 = decision_new(&fx.care, "2026-02-01", "");
	int64_t o2 = order_new(d2, &fx.care, fx.pa, "2026-02-01", "", true);
	assert_int_equal(covering(fx.tenant, fx.pa, fx.care.id, "2031-01-01", &id), 0);
	assert_int_equal(id, o2);
	int64_t d3 = decision_new(&fx.home, "2026-01-01", "2026-06-30");
	int64_t o3 = order_new(d3, &fx.home, fx.pb, "2026-01-01", "2026-06-30", false);
	assert_int_equal(
	    providers_order_answer(fx.db, fx.tenant, o3, false, "Fullt", "Bo", &fx.who), 0);
	int64_t d4 = decision_new(&fx.care, "2026-01-01", "2026-06-30");
	int64_t o4 = order_new(d4, &fx.care, fx.pb, "2026-01-01", "2026-06-30", false);
	assert_int_equal(providers_order_end(fx.db, fx.tenant, o4, "2026-01-01", "Ångrat", &fx.who),
	                 0);
	assert_int_equal(covering(fx.tenant, fx.pb, fx.home.id, "2026-03-15", &id), HERR_NOT_FOUND);
	assert_int_equal(covering(fx.tenant, fx.pb, fx.care.id, "2026-01-01", &id), HERR_NOT_FOUND);
	assert_int_equal(active(fx.tenant, fx.pb, "2026-03-15").n, 0);
	a = active(fx.tenant, fx.pa, "2026-03-15");
	assert_int_equal(a.n, 2);
	assert_int_equal(a.ids[0], o1);
	assert_int_equal(a.ids[1], o2);

	/* Ended on 2026-03-31: still covers up to and including that day, not after. */
	assert_int_equal(providers_order_end(fx.db, fx.tenant, o1, "2026-03-31", "Flytt", &fx.who),
	                 0);
	assert_int_equal(covering(fx.tenant, fx.pa, fx.home.id, "2026-03-31", &id), 0);
	assert_int_equal(id, o1);
	assert_int_equal(covering(fx.tenant, fx.pa, fx.home.id, "2026-04-01", &id), HERR_NOT_FOUND);
	a = active(fx.tenant, fx.pa, "2026-03-31");
	assert_int_equal(a.n, 2);
	assert_string_equal(a.states[0], "ended");
	a = active(fx.tenant, fx.pa, "2026-04-01");
	assert_int_equal(a.n, 1);
	assert_int_equal(a.ids[0], o2);

	/* A change of provider: B covers from the day after A's last day. */
	int64_t d5 = decision_new(&fx.home, "2026-01-01", "2026-12-31");
	int64_t o5 = order_new(d5, &fx.home, fx.pa, "2026-01-01", "2026-12-31", true);
	struct order next;
	order_fill(&next, d5, &fx.home, fx.pb, "2026-05-01", "2026-12-31");
	assert_int_equal(
	    providers_order_change(fx.db, fx.tenant, o5, "2026-04-30", &next, NULL, 0, &fx.who), 0);
	assert_int_equal(covering(fx.tenant, fx.pb, fx.home.id, "2026-05-01", &id), HERR_NOT_FOUND);
	assert_int_equal(
	    providers_order_answer(fx.db, fx.tenant, next.ref.id, true, NULL, "Bo", &fx.who), 0);
	assert_int_equal(covering(fx.tenant, fx.pb, fx.home.id, "2026-05-01", &id), 0);
	assert_int_equal(id, next.ref.id);
	assert_int_equal(covering(fx.tenant, fx.pb, fx.home.id, "2026-04-30", &id), HERR_NOT_FOUND);
	assert_int_equal(covering(fx.tenant, fx.pa, fx.home.id, "2026-04-30", &id), 0);
	assert_int_equal(id, o5);
	close_fresh();
}

/* ---- the webhook claim --------------------------------------------------------------- */

struct claim_job {
	int64_t id, now;  /* the event, the time of the claim */
	const char *me;   /* the claiming process */
	int64_t attempts; /* out */
};

static int
claim_run(struct db_conn *c, void *arg)
{
	struct claim_job *j = arg;
	return providers__event_claim(c, fx.tenant, j->id, j->now, j->now + 120, j->me,
	                              &j->attempts);
}

/* Claims event id for me at now for 120 s; 0 or HERR_NOT_FOUND. */
static int
claim(int64_t id, const char *me, int64_t now)
{
	struct claim_job j = {.id = id, .now = now, .me = me, .attempts = -1};
	int rc = db_write(fx.db, claim_run, &j);
	if (rc == 0)
		assert_int_equal(j.attempts,
		                 count("SELECT attempts FROM order_events WHERE id = $1", id));
	return rc;
}

struct record_job {
	int64_t id, now; /* the event, the time of the outcome */
	const char *me;  /* the process that posted it */
	bool delivered;  /* a 2xx came */
	bool applied;    /* out */
};

static int
record_run(struct db_conn *c, void *arg)
{
	struct record_job *j = arg;
	return providers__attempt(c, fx.tenant, j->id, j->me, j->now, j->delivered ? 204 : 503,
	                          j->delivered ? "" : "answered 503", j->now + 30, j->delivered,
	                          &j->applied);
}

/* Records me's outcome of event id at now (a failure retries 30 s later); whether it applied. */
static bool
record(int64_t id, const char *me, int64_t now, bool delivered)
{
	struct record_job j = {.id = id, .now = now, .me = me, .delivered = delivered};
	assert_int_equal(db_write(fx.db, record_run, &j), 0);
	return j.applied;
}

static void
on_due(const struct order_event *ev, const char *url, const char *secret, void *arg)
{
	(void)url;
	(void)secret;
	int64_t *found = arg;
	if (ev->id == found[0])
		found[1]++;
}

/* Whether event id is in the delivery thread's look at now. */
static bool
due(int64_t id, int64_t now)
{
	int64_t found[2] = {id, 0};
	struct db_conn *c = db_reader(fx.db);
	assert_int_equal(providers__events_due(c, now, 100, on_due, found), 0);
	db_reader_done(fx.db, c);
	return found[1] == 1;
}

static void
webhook_claim(void **state)
{
	(void)state;
	open_fresh("sqlite:");
	/* B has a webhook address; its order makes one event (order.new), due at once. */
	int64_t d = decision_new(&fx.home, "2026-01-01", "2026-06-30");
	int64_t o = order_new(d, &fx.home, fx.pb, "2026-01-01", "2026-06-30", false);
	int64_t ev = count("SELECT id FROM order_events WHERE order_id = $1", o);
	int64_t t = count("SELECT next_attempt_at FROM order_events WHERE id = $1", ev) + 1;
	assert_true(due(ev, t));

	/* A claims it; B cannot while A's lease holds, up to and including its last second. */
	assert_int_equal(claim(ev, "A", t), 0);
	assert_false(due(ev, t));
	assert_int_equal(claim(ev, "B", t + 60), HERR_NOT_FOUND);
	assert_false(due(ev, t + 120));
	assert_int_equal(claim(ev, "B", t + 120), HERR_NOT_FOUND);
	assert_int_equal(claim(ev, "A", t + 1), HERR_NOT_FOUND); /* not even A twice */

	/* A's lease ran out: B takes the event over. A's late failure is recorded as an attempt
	 * but changes nothing of B's claim. */
	assert_true(due(ev, t + 121));
	assert_int_equal(claim(ev, "B", t + 121), 0);
	assert_false(record(ev, "A", t + 125, false));
	assert_int_equal(count("SELECT attempts FROM order_events WHERE id = $1", ev), 0);
	assert_int_equal(count("SELECT claimed_until FROM order_events WHERE id = $1", ev),
	                 t + 241);
	assert_int_equal(count("SELECT COUNT(*) FROM webhook_attempts WHERE event_id = $1", ev), 1);

	/* B's failure applies: one attempt, retried 30 s later, the claim ended. */
	assert_true(record(ev, "B", t + 126, false));
	assert_int_equal(count("SELECT attempts FROM order_events WHERE id = $1", ev), 1);
	assert_int_equal(count("SELECT next_attempt_at FROM order_events WHERE id = $1", ev),
	                 t + 156);
	assert_int_equal(
	    count("SELECT COUNT(*) FROM order_events WHERE id = $1 AND claimed_until IS NULL", ev),
	    1);
	assert_false(due(ev, t + 155));
	assert_int_equal(claim(ev, "A", t + 155), HERR_NOT_FOUND); /* not due yet */

	/* The retry: A claims and delivers; nobody claims it again. */
	assert_true(due(ev, t + 156));
	assert_int_equal(claim(ev, "A", t + 156), 0);
	assert_true(record(ev, "A", t + 157, true));
	assert_int_equal(count("SELECT delivered_at FROM order_events WHERE id = $1", ev), t + 157);
	assert_int_equal(count("SELECT attempts FROM order_events WHERE id = $1", ev), 2);
	assert_false(due(ev, t + 1000));
	assert_int_equal(claim(ev, "B", t + 1000), HERR_NOT_FOUND);
	/* A late success of a lapsed claim does not touch a delivered event either. */
	assert_false(record(ev, "B", t + 1001, true));
	assert_int_equal(count("SELECT delivered_at FROM order_events WHERE id = $1", ev), t + 157);
	assert_int_equal(count("SELECT COUNT(*) FROM webhook_attempts WHERE event_id = $1", ev), 4);
	close_fresh();
}

/* ---- fault loops ----------------------------------------------------------------------- */

/* Rows of the order tables for decision, as one tally. */
struct tally {
	int64_t orders, sections, goals, events, audit;
};

static struct tally
tally_of(int64_t decision)
{
	struct tally t;
	t.orders = count("SELECT COUNT(*) FROM orders WHERE decision_id = $1", decision);
	t.sections = count("SELECT COUNT(*) FROM order_sections WHERE order_id IN"
	                   " (SELECT id FROM orders WHERE decision_id = $1)",
	                   decision);
	t.goals = count("SELECT COUNT(*) FROM order_goals WHERE order_id IN"
	                " (SELECT id FROM orders WHERE decision_id = $1)",
	                decision);
	t.events = count("SELECT COUNT(*) FROM order_events WHERE order_id IN"
	                 " (SELECT id FROM orders WHERE decision_id = $1)",
	                 decision);
	t.audit = audits();
	return t;
}

static void
create_is_atomic(void **state)
{
	(void)state;
	open_fresh("fault:");
	/* A's earlier order for the person holds overall responsibility; the new order only asks
	 * for it while sent (review 2026-11: finding 8), so the mark stays whatever fails. */
	int64_t d0 = decision_new(&fx.care, "2026-01-01", "2026-06-30");
	int64_t o0 = order_new(d0, &fx.care, fx.pb, "2026-01-01", "2026-06-30", true);
	int completed = 0;
	long n;
	for (n = 1; n < 80 && !completed; n++) {
		int64_t d = decision_new(&fx.home, "2026-01-01", "2026-06-30");
		struct tally before = tally_of(d);
		struct order o;
		order_fill(&o, d, &fx.home, fx.pa, "2026-01-01", "2026-06-30");
		struct order_section s = {.position = 1};
		snprintf(s.heading, sizeof s.heading, "Bakgrund");
		db_fault_arm(n);
		int rc = providers_order_create(fx.db, &o, &s, 1, &fx.who);
		long fired = db_fault_fired();
		db_fault_arm(0);
		struct tally after = tally_of(d);
		int64_t main0 = count("SELECT main_responsible FROM orders WHERE id = $1", o0);
		if (rc == 0) {
			assert_int_equal(fired, 0);
			assert_int_equal(after.orders, 1);
			assert_int_equal(after.sections, 1);
			assert_int_equal(after.goals, 2);
			assert_int_equal(after.events, 1);
			assert_int_equal(after.audit, before.audit + 1);
			assert_int_equal(main0, 1);
			completed = 1;
		} else {
			assert_int_equal(fired, 1);
			assert_int_equal(after.orders, 0);
			assert_int_equal(after.sections, 0);
			assert_int_equal(after.goals, 0);
			assert_int_equal(after.events, 0);
			assert_int_equal(after.audit, before.audit);
			assert_int_equal(main0, 1);
		}
	}
	assert_true(completed);
	assert_true(n > 5); /* the write has several statements, each was made to fail */
	close_fresh();
}

static void
change_is_atomic(void **state)
{
	(void)state;
	open_fresh("fault:");
	int completed = 0;
	for (long n = 1; n < 80 && !completed; n++) {
		int64_t d = decision_new(&fx.home, "2026-01-01", "2026-12-31");
		int64_t old = order_new(d, &fx.home, fx.pa, "2026-01-01", "2026-12-31", true);
		struct tally before = tally_of(d);
		struct order next;
		order_fill(&next, d, &fx.home, fx.pb, "2026-05-01", "2026-12-31");
		db_fault_arm(n);
		int rc = providers_order_change(fx.db, fx.tenant, old, "2026-04-30", &next, NULL, 0,
		                                &fx.who);
		long fired = db_fault_fired();
		db_fault_arm(0);
		struct tally after = tally_of(d);
		struct order got;
		struct db_conn *c = db_reader(fx.db);
		assert_int_equal(providers_order_get(c, fx.tenant, old, &got), 0);
		db_reader_done(fx.db, c);
		if (rc == 0) {
			assert_string_equal(got.ref.state, "ended");
			assert_string_equal(got.ref.to, "2026-04-30");
			assert_int_equal(after.orders, 2);
			assert_int_equal(after.events, before.events + 2);
			assert_int_equal(after.audit, before.audit + 2);
			completed = 1;
		} else {
			assert_int_equal(fired, 1);
			assert_string_equal(got.ref.state, "accepted");
			assert_string_equal(got.ref.to, "2026-12-31");
			assert_int_equal(after.orders, 1);
			assert_int_equal(after.goals, before.goals);
			assert_int_equal(after.events, before.events);
			assert_int_equal(after.audit, before.audit);
		}
	}
	assert_true(completed);
	close_fresh();
}

static void
accept_is_atomic(void **state)
{
	(void)state;
	open_fresh("fault:");
	/* review 2026-11: finding 8, overall responsibility moves to an order asking for it when
	 * it is accepted, in the same transaction; until then the holder keeps it. */
	int64_t d0 = decision_new(&fx.care, "2026-01-01", "2026-06-30");
	int64_t o0 = order_new(d0, &fx.care, fx.pb, "2026-01-01", "2026-06-30", true);
	int completed = 0;
	for (long n = 1; n < 50 && !completed; n++) {
		int64_t d = decision_new(&fx.home, "2026-01-01", "2026-06-30");
		int64_t o = order_new(d, &fx.home, fx.pa, "2026-01-01", "2026-06-30", false);
		assert_int_equal(count("SELECT main_responsible FROM orders WHERE id = $1", o0), 1);
		struct tally before = tally_of(d);
		db_fault_arm(n);
		int rc = providers_order_answer(fx.db, fx.tenant, o, true, NULL, "Petra", &fx.who);
		long fired = db_fault_fired();
		db_fault_arm(0);
		struct tally after = tally_of(d);
		struct order_ref ref;
		struct db_conn *c = db_reader(fx.db);
		assert_int_equal(providers_order_ref(c, fx.tenant, o, &ref), 0);
		db_reader_done(fx.db, c);
		int64_t main0 = count("SELECT main_responsible FROM orders WHERE id = $1", o0);
		if (rc == 0) {
			assert_string_equal(ref.state, "accepted");
			assert_true(ref.main_responsible);
			assert_int_equal(main0, 0);
			assert_int_equal(after.events, before.events + 1);
			assert_int_equal(after.audit, before.audit + 1);
			completed = 1;
		} else {
			assert_int_equal(fired, 1);
			assert_string_equal(ref.state, "sent");
			assert_int_equal(main0, 1);
			assert_int_equal(after.events, before.events);
			assert_int_equal(after.audit, before.audit);
		}
	}
	assert_true(completed);
	close_fresh();
}

struct goals {
	int64_t id[4];
	int n;
};

static void
on_goal(const struct order_goal *g, void *arg)
{
	struct goals *l = arg;
	if (l->n < 4)
		l->id[l->n++] = g->id;
}

/* A plan of order with one item per goal, the what text prefixed by tag. */
static int
plan_put(int64_t order, int64_t version, const char *tag, long fault, long *fired)
{
	struct goals gl = {.n = 0};
	struct db_conn *c = db_reader(fx.db);
	assert_int_equal(providers_order_goals(c, fx.tenant, order, on_goal, &gl), 0);
	db_reader_done(fx.db, c);
	assert_int_equal(gl.n, 2);
	struct plan p;
	memset(&p, 0, sizeof p);
	p.order_id = order;
	p.version = version;
	snprintf(p.participation, sizeof p.participation, "Med kunden");
	snprintf(p.written_by_name, sizeof p.written_by_name, "Petra");
	struct plan_item it[2];
	memset(it, 0, sizeof it);
	for (int i = 0; i < 2; i++) {
		it[i].goal_id = gl.id[i];
		snprintf(it[i].what, sizeof it[i].what, "%s %d", tag, i);
	}
	db_fault_arm(fault);
	int rc = providers_plan_save(fx.db, fx.tenant, fx.person, &p, it, 2, &fx.who);
	*fired = db_fault_fired();
	db_fault_arm(0);
	return rc;
}

static void
plan_is_atomic(void **state)
{
	(void)state;
	open_fresh("fault:");
	int created = 0, updated = 0;
	for (long n = 1; n < 50 && !created; n++) {
		int64_t d = decision_new(&fx.home, "2026-01-01", "2026-06-30");
		int64_t o = order_new(d, &fx.home, fx.pa, "2026-01-01", "2026-06-30", true);
		int64_t a0 = audits();
		long fired;
		int rc = plan_put(o, 0, "Städning", n, &fired);
		int64_t plans = count("SELECT COUNT(*) FROM plans WHERE order_id = $1", o);
		int64_t items = count("SELECT COUNT(*) FROM plan_items WHERE plan_id IN"
		                      " (SELECT id FROM plans WHERE order_id = $1)",
		                      o);
		if (rc == 0) {
			assert_int_equal(plans, 1);
			assert_int_equal(items, 2);
			assert_int_equal(audits(), a0 + 1);
			created = 1;
		} else {
			assert_int_equal(fired, 1);
			assert_int_equal(plans, 0);
			assert_int_equal(items, 0);
			assert_int_equal(audits(), a0);
		}
	}
	assert_true(created);
	/* The update replaces the items: a failure keeps the old version and items whole. */
	for (long n = 1; n < 50 && !updated; n++) {
		int64_t d = decision_new(&fx.home, "2026-01-01", "2026-06-30");
		int64_t o = order_new(d, &fx.home, fx.pa, "2026-01-01", "2026-06-30", true);
		long fired;
		assert_int_equal(plan_put(o, 0, "Gammal", 0, &fired), 0);
		int64_t a0 = audits();
		int rc = plan_put(o, 1, "Ny", n, &fired);
		int64_t version = count("SELECT version FROM plans WHERE order_id = $1", o);
		int64_t olds = count("SELECT COUNT(*) FROM plan_items WHERE what LIKE 'Gammal%' AND"
		                     " plan_id IN (SELECT id FROM plans WHERE order_id = $1)",
		                     o);
		int64_t news = count("SELECT COUNT(*) FROM plan_items WHERE what LIKE 'Ny%' AND"
		                     " plan_id IN (SELECT id FROM plans WHERE order_id = $1)",
		                     o);
		if (rc == 0) {
			assert_int_equal(version, 2);
			assert_int_equal(olds, 0);
			assert_int_equal(news, 2);
			assert_int_equal(audits(), a0 + 1);
			updated = 1;
		} else {
			assert_int_equal(fired, 1);
			assert_int_equal(version, 1);
			assert_int_equal(olds, 2);
			assert_int_equal(news, 0);
			assert_int_equal(audits(), a0);
		}
	}
	assert_true(updated);
	close_fresh();
}

int
main(void)
{
	assert_int_equal(rand_init(), 0);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(covering_and_active), cmocka_unit_test(create_is_atomic),
	    cmocka_unit_test(change_is_atomic),    cmocka_unit_test(accept_is_atomic),
	    cmocka_unit_test(plan_is_atomic),      cmocka_unit_test(webhook_claim),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
