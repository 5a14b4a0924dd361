/*
 * The demo's personal assistance (hanna demo): the first provider is approved for
 * personlig_assistans; the citizen (person 1) and the god man's ward (person 3) each get an LSS
 * case with a granted decision and an accepted order to it, made through the cases and
 * providers modules' own functions; two assistants linked to the logins 'personal' and
 * 'assistent'; and shifts of last month written as the hours route writes them (audited).
 * The citizen's decision grants double assistance and counts beredskap as a quarter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assistance.h"
#include "audit/audit.h"
#include "base/calendar.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cases/cases.h"
#include "cases/rules.h"
#include "db/db.h"
#include "providers/providers.h"

#define SERVICE_CODE "personlig_assistans"

struct lists {
	struct provider_service sv[PROVIDERS_MAX_SERVICES];
	int nsv;
	char areas[PROVIDERS_MAX_AREAS][101];
	const char *ap[PROVIDERS_MAX_AREAS];
	int nareas;
};

static void
sv_one(const struct provider_service *s, void *arg)
{
	struct lists *l = arg;
	if (l->nsv < PROVIDERS_MAX_SERVICES)
		l->sv[l->nsv++] = *s;
}

static void
area_one(const char *area, void *arg)
{
	struct lists *l = arg;
	if (l->nareas < PROVIDERS_MAX_AREAS) {
		snprintf(l->areas[l->nareas], sizeof l->areas[0], "%s", area);
		l->ap[l->nareas] = l->areas[l->nareas];
		l->nareas++;
	}
}

/* Adds personlig_assistans to the provider's approved services. */
static int
approve_service(struct db *db, int64_t tenant, int64_t provider, const struct audit_entry *who)
{
	struct provider *p = xcalloc(1, sizeof *p);
	struct lists *l = xcalloc(1, sizeof *l);
	struct service s;
	struct db_conn *c = db_reader(db);
	int rc = providers_get(c, tenant, provider, p);
	if (rc == 0)
		rc = providers_services(c, tenant, provider, sv_one, l);
	if (rc == 0)
		rc = providers_areas(c, tenant, provider, area_one, l);
	if (rc == 0)
		rc = cases_service_get(c, tenant, SERVICE_CODE, &s);
	db_reader_done(db, c);
	if (rc == 0 && l->nsv < PROVIDERS_MAX_SERVICES) {
		l->sv[l->nsv].service_id = s.id;
		snprintf(l->sv[l->nsv].code, sizeof l->sv[0].code, "%s", s.code);
		l->nsv++;
		rc = providers_update(db, p, true, l->sv, l->nsv, l->ap, l->nareas, NULL, who);
	}
	free(l);
	free(p);
	return rc;
}

/* An LSS case for person with a granted personlig_assistans decision of hours a month from
 * from_day for a year, executed on from_day, and its accepted order to provider. *order_id
 * out. */
static int
granted_order(struct db *db, int64_t tenant, int64_t provider, int64_t caseworker, int64_t unit,
              int64_t person, int hours, int32_t from_day, const struct audit_entry *who,
              int64_t *order_id)
{
	struct case_row cs;
	memset(&cs, 0, sizeof cs);
	cs.tenant_id = tenant;
	cs.person_id = person;
	snprintf(cs.kind, sizeof cs.kind, "application");
	snprintf(cs.channel, sizeof cs.channel, "caseworker");
	snprintf(cs.summary, sizeof cs.summary, "Ansökan om personlig assistans enligt LSS");
	cal_format(from_day - 40, cs.received_date);
	struct case_request rq = {.hours = hours};
	snprintf(rq.service, sizeof rq.service, SERVICE_CODE);
	snprintf(rq.description, sizeof rq.description, "Behöver hjälp med grundläggande behov.");
	int rc = cases_create(db, &cs, &rq, 1, who);
	if (rc == 0)
		rc = cases_assign(db, tenant, cs.id, caseworker, unit, who);
	if (rc == 0)
		rc = cases_transition(db, tenant, cs.id, "investigation", "", who);
	struct decision *d = xcalloc(1, sizeof *d);
	d->case_id = cs.id;
	d->person_id = person;
	d->decided_by = caseworker;
	/* Above every point of the delegation order: the committee decides (no point). */
	snprintf(d->decided_by_name, sizeof d->decided_by_name, "Individutskottet");
	d->decided_level = LEVEL_COMMITTEE;
	snprintf(d->service, sizeof d->service, SERVICE_CODE);
	snprintf(d->outcome, sizeof d->outcome, "granted");
	d->hours = hours;
	d->hours_day = d->hours_evening = d->hours_night = d->hours_weekend = -1;
	cal_format(from_day - 7, d->decision_date);
	cal_format(from_day, d->start_date);
	cal_format(cal_add_months(from_day, 12) - 1, d->end_date);
	snprintf(d->legal_basis, sizeof d->legal_basis, "9 § 2 LSS");
	snprintf(d->reasoning, sizeof d->reasoning,
	         "Behov av hjälp med grundläggande behov under större delen av dygnet.");
	if (rc == 0)
		rc = cases_decide(db, tenant, d, who);
	struct order *o = xcalloc(1, sizeof *o);
	struct service s;
	if (rc == 0) {
		struct db_conn *c = db_reader(db);
		rc = cases_service_get(c, tenant, SERVICE_CODE, &s);
		db_reader_done(db, c);
	}
	if (rc == 0) {
		struct order_ref *ref = &o->ref;
		ref->tenant_id = tenant;
		ref->decision_id = d->id;
		ref->case_id = cs.id;
		ref->person_id = person;
		ref->provider_id = provider;
		ref->service_id = s.id;
		snprintf(ref->service_code, sizeof ref->service_code, SERVICE_CODE);
		snprintf(ref->from, sizeof ref->from, "%s", d->start_date);
		snprintf(ref->to, sizeof ref->to, "%s", d->end_date);
		ref->granted_minutes_month = (int64_t)hours * 60;
		ref->main_responsible = true;
		snprintf(o->service_name, sizeof o->service_name, "%s", s.name);
		snprintf(o->scope_text, sizeof o->scope_text, "%d timmar per månad", hours);
		snprintf(o->goals, sizeof o->goals, "Ett självständigt liv i egen bostad.");
		rc = providers_order_create(db, o, NULL, 0, who);
	}
	if (rc == 0)
		rc = providers_order_answer(db, tenant, o->ref.id, true, NULL, "Ulf Utförarsson",
		                            who);
	/* The assistance began on the order's first day: the decision was executed then. */
	if (rc == 0)
		rc = cases_executed(db, tenant, d->id, d->start_date, who);
	if (rc == 0)
		*order_id = o->ref.id;
	free(o);
	free(d);
	return rc;
}

/* One shift to seed: day offset in last month, clock times, kind. */
struct seed_shift {
	int person;     /* 0: the citizen, 1: the ward */
	int assistant;  /* 0, 1 */
	int day;        /* 1-based day of last month */
	int start, end; /* minutes after midnight; end <= start: the next day */
	const char *kind;
};

static const struct seed_shift shifts[] = {
    {0, 0, 2, 7 * 60, 15 * 60, "active"},  {0, 1, 2, 15 * 60, 23 * 60, "active"},
    {0, 1, 2, 23 * 60, 7 * 60, "oncall"},  {0, 0, 3, 7 * 60, 15 * 60, "active"},
    {0, 1, 3, 15 * 60, 23 * 60, "active"}, {0, 0, 4, 7 * 60, 15 * 60, "active"},
    {0, 1, 4, 12 * 60, 20 * 60, "active"}, {0, 0, 9, 7 * 60, 15 * 60, "active"},
    {0, 1, 9, 15 * 60, 23 * 60, "active"}, {1, 0, 11, 8 * 60, 12 * 60, "active"},
    {1, 0, 12, 8 * 60, 12 * 60, "active"}, {1, 0, 13, 8 * 60, 12 * 60, "active"},
};
#define NSHIFTS ((int)(sizeof shifts / sizeof shifts[0]))

struct seed_job {
	int64_t tenant, provider, persons[2], orders[2], staff1;
	struct pa_assistant a[2];
	int month;
	const struct audit_entry *who;
};

static int
seed_run(struct db_conn *c, void *arg)
{
	struct seed_job *j = arg;
	int rc = 0;
	for (int i = 0; rc == 0 && i < 2; i++)
		rc = visits__pa_assistant_insert(c, &j->a[i]);
	struct pa_grant_row g = {j->orders[0], true, 1, 4};
	if (rc == 0)
		rc = visits__pa_grant_put(c, j->tenant, &g, 0, time_now());
	int32_t first = visits_month_first_day(j->month);
	for (int i = 0; rc == 0 && i < NSHIFTS; i++) {
		const struct seed_shift *s = &shifts[i];
		struct pa_hour h;
		memset(&h, 0, sizeof h);
		int32_t day = first + s->day - 1;
		if (visits_local_instant(day, s->start, VISITS_AMBIGUOUS_FIRST, &h.start_at) != 0 ||
		    visits_local_instant(s->end <= s->start ? day + 1 : day, s->end,
		                         VISITS_AMBIGUOUS_FIRST, &h.end_at) != 0)
			continue; /* the hour skipped in spring */
		h.tenant_id = j->tenant;
		h.provider_id = j->provider;
		h.person_id = j->persons[s->person];
		h.order_id = j->orders[s->person];
		h.assistant_id = j->a[s->assistant].id;
		h.created_by = j->a[s->assistant].user_id;
		h.created_at = time_now();
		snprintf(h.kind, sizeof h.kind, "%s", s->kind);
		cal_format(day, h.day);
		visits_month_format(j->month, h.month);
		visits_month_format(j->month, h.booked_month);
		snprintf(h.source, sizeof h.source, "phone");
		rc = visits__pa_hour_insert(c, &h);
		if (rc == 0) {
			struct audit_entry e = *j->who;
			e.action = "create";
			e.entity = "pa_hours";
			e.entity_id = h.id;
			e.person_id = h.person_id;
			rc = audit_append(c, &e);
		}
	}
	return rc;
}

int
visits_pa_seed_demo(struct db *db, int64_t tenant, int64_t provider, int64_t caseworker,
                    int64_t unit, int64_t citizen, int64_t ward, int64_t staff1, int64_t staff2)
{
	struct audit_entry who = {.tenant_id = tenant,
	                          .user_id = caseworker,
	                          .username = "demo",
	                          .role = "caseworker",
	                          .request_id = "demo"};
	int32_t today = visits_local_day(time_now());
	int this_month = visits_month_of_day(today);
	int32_t from = visits_month_first_day(this_month - 7);
	struct seed_job j;
	memset(&j, 0, sizeof j);
	j.tenant = tenant;
	j.provider = provider;
	j.persons[0] = citizen;
	j.persons[1] = ward;
	j.month = this_month - 1;
	j.who = &who;
	int rc = approve_service(db, tenant, provider, &who);
	if (rc == 0)
		rc = granted_order(db, tenant, provider, caseworker, unit, citizen, 360, from, &who,
		                   &j.orders[0]);
	if (rc == 0)
		rc = granted_order(db, tenant, provider, caseworker, unit, ward, 120, from, &who,
		                   &j.orders[1]);
	static const char *const names[] = {"Petra Personalsson", "Adam Assistentsson"};
	static const char *const refs[] = {"A-101", "A-102"};
	static const char *const births[] = {"1990-04-12", "1985-09-30"};
	int64_t users[] = {staff1, staff2};
	for (int i = 0; i < 2; i++) {
		struct pa_assistant *a = &j.a[i];
		a->tenant_id = tenant;
		a->provider_id = provider;
		a->user_id = users[i];
		a->lives_in_eea = true;
		a->created_at = time_now();
		snprintf(a->name, sizeof a->name, "%s", names[i]);
		snprintf(a->ref, sizeof a->ref, "%s", refs[i]);
		snprintf(a->birth_date, sizeof a->birth_date, "%s", births[i]);
	}
	if (rc == 0)
		rc = db_write(db, seed_run, &j);
	return rc;
}
