/*
 * The providers of the demo municipality (hanna demo): register data with synthetic
 * organisation numbers (checked by the same rule as real input), approved services and areas,
 * vacancies, and accepted orders to the first provider for some granted hemtjänst decisions
 * of the demo's case history, made through the module's own write jobs so the orders, events
 * and audit records are what the real paths write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/err.h"
#include "base/pnr.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cases/api_private.h"
#include "cases/cases.h"
#include "cases/report.h"
#include "db/db.h"
#include "providers.h"
#include "rules.h"

/* At most this many demo orders. */
#define DEMO_ORDERS 20

static const char *const areas[] = {"Hannaby", "Norrå", "Sörbacka", "Västerlid"};

/* Fills the register data of provider id and saves it with services (codes) and areas. */
static int
seed_one(struct db *db, int64_t tenant, int64_t id, const char *nine, const char *kind,
         const char *const *codes, int ncodes, int nareas, const char *description,
         const struct audit_entry *who)
{
	struct provider *p = xcalloc(1, sizeof *p);
	struct db_conn *c = db_reader(db);
	int rc = providers_get(c, tenant, id, p);
	struct provider_service sv[4];
	for (int i = 0; rc == 0 && i < ncodes; i++) {
		struct service s;
		rc = cases_service_get(c, tenant, codes[i], &s);
		sv[i].service_id = s.id;
		snprintf(sv[i].code, sizeof sv[i].code, "%s", s.code);
	}
	db_reader_done(db, c);
	char ten[11];
	snprintf(ten, sizeof ten, "%s0", nine);
	ten[9] = (char)('0' + luhn_check_digit(nine, 9));
	if (rc == 0 && providers_org_nr_parse(ten, p->org_nr) != ORG_OK)
		rc = HERR_INVALID;
	if (rc == 0) {
		snprintf(p->kind, sizeof p->kind, "%s", kind);
		snprintf(p->approved_from, sizeof p->approved_from, "2024-01-01");
		snprintf(p->contact_name, sizeof p->contact_name, "Samordnare");
		snprintf(p->contact_email, sizeof p->contact_email, "kontakt@example.org");
		snprintf(p->contact_phone, sizeof p->contact_phone, "0700-000000");
		snprintf(p->description, sizeof p->description, "%s", description);
		if (strcmp(kind, "municipal") == 0)
			snprintf(p->account, sizeof p->account, "5110-3200-810");
		rc = providers_update(db, p, true, sv, ncodes, areas, nareas, NULL, who);
	}
	free(p);
	return rc;
}

struct found {
	int64_t ids[DEMO_ORDERS]; /* granted hemtjänst decisions still running */
	int n;
	char today[11];
};

static void
found_row(const struct report_row *row, void *arg)
{
	struct found *f = arg;
	if (f->n >= DEMO_ORDERS || strcmp(row->outcome, "granted") != 0 || row->replaced_by ||
	    row->closed_date[0] || strncmp(row->service, "hemtjanst", 9) != 0 ||
	    !row->start_date[0] || (row->end_date[0] && strcmp(row->end_date, f->today) < 0))
		return;
	f->ids[f->n++] = row->id;
}

/* Sends decision id as an order to provider and accepts it. */
static int
demo_order(struct db *db, int64_t tenant, int64_t id, int64_t provider,
           const struct audit_entry *who)
{
	struct decision *d = xcalloc(1, sizeof *d);
	struct order *o = xcalloc(1, sizeof *o);
	struct service s;
	struct db_conn *c = db_reader(db);
	int rc = cases_decision_get(c, tenant, id, d);
	if (rc == 0)
		rc = cases_service_get(c, tenant, d->service, &s);
	if (rc == 0)
		rc = providers_approved_for(c, tenant, provider, s.id);
	db_reader_done(db, c);
	if (rc == 0) {
		struct order_ref *ref = &o->ref;
		ref->tenant_id = tenant;
		ref->decision_id = d->id;
		ref->case_id = d->case_id;
		ref->person_id = d->person_id;
		ref->provider_id = provider;
		ref->service_id = s.id;
		snprintf(ref->service_code, sizeof ref->service_code, "%.31s", s.code);
		snprintf(ref->from, sizeof ref->from, "%s", d->start_date);
		snprintf(ref->to, sizeof ref->to, "%s", d->end_date);
		ref->granted_minutes_month = d->hours > 0 ? (int64_t)d->hours * 60 : 0;
		ref->main_responsible = true;
		snprintf(o->service_name, sizeof o->service_name, "%s", s.name);
		snprintf(o->goals, sizeof o->goals, "%s", d->goals);
		struct strbuf scope;
		sb_init(&scope, sizeof o->scope_text - 1);
		cases__scope_text(&scope, d);
		snprintf(o->scope_text, sizeof o->scope_text, "%s", scope.buf);
		sb_release(&scope);
		rc = providers_order_create(db, o, NULL, 0, who);
	}
	if (rc == 0)
		rc = providers_order_answer(db, tenant, o->ref.id, true, NULL, "Ulf Utförarsson",
		                            who);
	free(o);
	free(d);
	return rc == HERR_CONFLICT || rc == HERR_NOT_FOUND ? 0 : rc;
}

int
providers_seed_demo(struct db *db, int64_t tenant, int64_t provider, int64_t provider2)
{
	struct audit_entry who = {
	    .tenant_id = tenant, .username = "demo", .role = "admin", .request_id = "demo"};
	static const char *const both[] = {"hemtjanst_service", "hemtjanst_omsorg"};
	static const char *const care[] = {"hemtjanst_omsorg"};
	int rc =
	    seed_one(db, tenant, provider, "556999000", "private", both, 2, 4,
	             "Privat hemtjänst i hela Hannaby med fast kontaktperson, även kvällar.", &who);
	if (rc == 0)
		rc = seed_one(db, tenant, provider2, "212000999", "municipal", care, 1, 2,
		              "Kommunens egen hemtjänst i norra delen, dygnet runt.", &who);
	struct vacancy v[3];
	memset(v, 0, sizeof v);
	const char *tod[] = {"day", "evening", "weekend"};
	for (int i = 0; rc == 0 && i < 3; i++) {
		struct service s;
		struct db_conn *c = db_reader(db);
		rc = cases_service_get(c, tenant, "hemtjanst_service", &s);
		db_reader_done(db, c);
		v[i].service_id = s.id;
		snprintf(v[i].service_code, sizeof v[i].service_code, "%s", s.code);
		snprintf(v[i].area, sizeof v[i].area, "Hannaby");
		snprintf(v[i].time_of_day, sizeof v[i].time_of_day, "%s", tod[i]);
		v[i].places = 3 - i;
	}
	if (rc == 0)
		rc = providers_vacancies_set(db, tenant, provider, v, 3, &who);
	if (rc)
		return rc;

	/* Accepted orders for granted hemtjänst decisions of the case history, if any. */
	struct found f = {.n = 0};
	time_today(f.today);
	struct db_conn *c = db_reader(db);
	rc = cases_report_period(c, tenant, "2000-01-01", f.today, found_row, &f);
	db_reader_done(db, c);
	if (rc == HERR_LIMIT)
		rc = 0;
	for (int i = 0; rc == 0 && i < f.n; i++)
		rc = demo_order(db, tenant, f.ids[i], provider, &who);
	return rc;
}
