/*
 * Every SQL statement of the providers module (STYLE.md rule 15), with the row mapping beside
 * it. The schema is src/db/sql/0008_providers.sql. Optional dates are NULL: an approval period
 * without start or end, an order until further notice (to_date).
 */
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "providers.h"
#include "providers_private.h"
#include "rules.h"

/* ---- statements ---------------------------------------------------------------------- */

#define PROV_COLS                                                                                  \
	"id, tenant_id, version, name, org_nr, kind, approved_from, approved_to, contact_name,"    \
	" contact_email, contact_phone, account, description, webhook_url, webhook_secret"

static const char sql_prov_insert[] =
    "INSERT INTO providers (tenant_id, name, org_nr, kind, approved_from, approved_to,"
    " contact_name, contact_email, contact_phone, account, description, webhook_url,"
    " webhook_secret, version, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '', 1, $13) RETURNING id";
static const char sql_prov_update[] =
    "UPDATE providers SET name = $3, org_nr = $4, kind = $5, approved_from = $6,"
    " approved_to = $7, contact_name = $8, contact_email = $9, contact_phone = $10,"
    " account = $11, description = $12, webhook_url = $13, version = version + 1"
    " WHERE id = $1 AND tenant_id = $2 AND version = $14 RETURNING id";
static const char sql_prov_secret[] =
    "UPDATE providers SET webhook_secret = $3 WHERE id = $1 AND tenant_id = $2";
static const char sql_prov_get[] =
    "SELECT " PROV_COLS " FROM providers WHERE id = $1 AND tenant_id = $2";
static const char sql_prov_list[] =
    "SELECT " PROV_COLS " FROM providers WHERE tenant_id = $1 ORDER BY name, id";
static const char sql_prov_taken[] =
    "SELECT 1 FROM providers WHERE tenant_id = $1 AND id <> $2 AND (name = $3 OR org_nr = $4)";

static const char sql_psv_delete[] =
    "DELETE FROM provider_services WHERE tenant_id = $1 AND provider_id = $2";
static const char sql_psv_insert[] =
    "INSERT INTO provider_services (tenant_id, provider_id, service_id, service_code)"
    " VALUES ($1, $2, $3, $4)";
static const char sql_psv_list[] =
    "SELECT service_id, service_code FROM provider_services WHERE tenant_id = $1"
    " AND provider_id = $2 ORDER BY service_code";
static const char sql_psv_has[] =
    "SELECT 1 FROM provider_services WHERE tenant_id = $1 AND provider_id = $2"
    " AND service_id = $3";

static const char sql_area_delete[] =
    "DELETE FROM provider_areas WHERE tenant_id = $1 AND provider_id = $2";
static const char sql_area_insert[] =
    "INSERT INTO provider_areas (tenant_id, provider_id, area) VALUES ($1, $2, $3)";
static const char sql_area_list[] =
    "SELECT area FROM provider_areas WHERE tenant_id = $1 AND provider_id = $2 ORDER BY area";

#define VAC_COLS "provider_id, service_id, updated_at, service_code, area, time_of_day, places"
static const char sql_vac_delete[] =
    "DELETE FROM vacancies WHERE tenant_id = $1 AND provider_id = $2";
static const char sql_vac_insert[] =
    "INSERT INTO vacancies (tenant_id, provider_id, service_id, service_code, area, time_of_day,"
    " places, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
static const char sql_vac_by_provider[] =
    "SELECT " VAC_COLS " FROM vacancies WHERE tenant_id = $1 AND provider_id = $2"
    " ORDER BY service_code, area, time_of_day";
static const char sql_vac_by_service[] =
    "SELECT " VAC_COLS " FROM vacancies WHERE tenant_id = $1 AND service_id = $2"
    " ORDER BY provider_id, area, time_of_day";

static const char sql_choice_insert[] =
    "INSERT INTO provider_choices (tenant_id, decision_id, person_id, provider_id, chosen_by,"
    " chosen_by_role, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
static const char sql_choice_get[] =
    "SELECT c.id, c.decision_id, c.person_id, c.provider_id, c.created_at, p.name,"
    " c.chosen_by_role FROM provider_choices c JOIN providers p ON p.id = c.provider_id"
    " WHERE c.tenant_id = $1 AND c.decision_id = $2 ORDER BY c.id DESC LIMIT 1";

#define ORDER_COLS                                                                                 \
	"o.id, o.tenant_id, o.decision_id, o.case_id, o.person_id, o.provider_id, o.service_id,"   \
	" o.service_code, o.state, o.from_date, o.to_date, o.granted_minutes_month,"               \
	" o.main_responsible, o.previous_id, o.answered_at, o.accepted_at, o.created_at,"          \
	" o.updated_at, o.version, p.name, o.service_name, o.scope_text, o.goals, o.message,"      \
	" o.sent_date, o.answer_due, o.answered_by_name, o.decline_reason, o.ended_reason"
#define ORDER_FROM " FROM orders o JOIN providers p ON p.id = o.provider_id"

static const char sql_order_insert[] =
    "INSERT INTO orders (tenant_id, decision_id, case_id, person_id, provider_id, service_id,"
    " service_code, service_name, state, from_date, to_date, granted_minutes_month, scope_text,"
    " goals, message, main_responsible, sent_date, answer_due, previous_id, created_by,"
    " created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'sent', $9, $10,"
    " $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20, 1) RETURNING id";
static const char sql_order_get[] =
    "SELECT " ORDER_COLS ORDER_FROM " WHERE o.id = $1 AND o.tenant_id = $2";
static const char sql_orders_provider[] =
    "SELECT " ORDER_COLS ORDER_FROM " WHERE o.tenant_id = $1 AND o.provider_id = $2"
    " AND o.state <> 'declined' AND o.state <> 'withdrawn' ORDER BY o.id DESC LIMIT $3";
/* By the state on today $5 (rules.h providers_order_state_on): an order given an end date is
 * accepted up to that day. */
static const char sql_orders_provider_state[] =
    "SELECT " ORDER_COLS ORDER_FROM " WHERE o.tenant_id = $1 AND o.provider_id = $2"
    " AND (CASE WHEN o.state = 'ended' AND o.to_date >= $5 THEN 'accepted' ELSE o.state END)"
    " = $4 ORDER BY o.id DESC LIMIT $3";
static const char sql_orders_case[] =
    "SELECT " ORDER_COLS ORDER_FROM " WHERE o.tenant_id = $1 AND o.case_id = $2"
    " ORDER BY o.id DESC LIMIT $3";
static const char sql_orders_person[] =
    "SELECT " ORDER_COLS ORDER_FROM " WHERE o.tenant_id = $1 AND o.person_id = $2"
    " ORDER BY o.id DESC LIMIT $3";
static const char sql_orders_period[] =
    "SELECT " ORDER_COLS ORDER_FROM " WHERE o.tenant_id = $1 AND o.id > $2"
    " AND (o.state = 'accepted' OR o.state = 'ended') AND o.from_date <= $4"
    " AND (o.to_date IS NULL OR o.to_date >= $3) ORDER BY o.id LIMIT $5";
static const char sql_orders_overdue[] =
    "SELECT " ORDER_COLS ORDER_FROM " WHERE o.tenant_id = $1 AND o.created_by = $2"
    " AND o.state = 'sent' AND o.answer_due < $3 ORDER BY o.answer_due, o.id LIMIT $4";
static const char sql_order_open[] =
    "SELECT 1 FROM orders WHERE tenant_id = $1 AND decision_id = $2"
    " AND (state = 'sent' OR state = 'accepted') AND id <> $3";
static const char sql_order_answer[] =
    "UPDATE orders SET state = $3, answered_at = $4, answered_by_name = $5,"
    " decline_reason = $6, accepted_at = $7, updated_at = $4, version = version + 1"
    " WHERE id = $1 AND tenant_id = $2 AND state = 'sent' RETURNING id";
static const char sql_order_end[] =
    "UPDATE orders SET state = $3, to_date = $4, ended_reason = $5, updated_at = $6,"
    " version = version + 1 WHERE id = $1 AND tenant_id = $2 AND state = $7 RETURNING id";
static const char sql_order_main_clear[] =
    "UPDATE orders SET main_responsible = 0 WHERE tenant_id = $1 AND person_id = $2"
    " AND id <> $3 AND main_responsible = 1";
static const char sql_order_main_set[] =
    "UPDATE orders SET main_responsible = 1, updated_at = $3, version = version + 1"
    " WHERE id = $1 AND tenant_id = $2";
static const char sql_order_main_drop[] =
    "UPDATE orders SET main_responsible = 0, updated_at = $3, version = version + 1"
    " WHERE id = $1 AND tenant_id = $2 AND main_responsible = 1";
static const char sql_access[] =
    "SELECT 1 FROM orders WHERE tenant_id = $1 AND provider_id = $2 AND person_id = $3"
    " AND (state = 'sent' OR state = 'accepted' OR state = 'ended')"
    " AND (to_date IS NULL OR to_date >= $4) LIMIT 1";
/* Accepted, or accepted and since ended: accepted_at is set exactly then. */
static const char sql_covering[] =
    "SELECT " ORDER_COLS ORDER_FROM " WHERE o.tenant_id = $1 AND o.provider_id = $2"
    " AND o.person_id = $3 AND o.service_id = $4 AND o.accepted_at IS NOT NULL"
    " AND (o.state = 'accepted' OR o.state = 'ended') AND o.from_date <= $5"
    " AND (o.to_date IS NULL OR o.to_date >= $5) ORDER BY o.id DESC LIMIT 1";
static const char sql_active[] =
    "SELECT " ORDER_COLS ORDER_FROM " WHERE o.tenant_id = $1 AND o.provider_id = $2"
    " AND o.accepted_at IS NOT NULL AND (o.state = 'accepted' OR o.state = 'ended')"
    " AND o.from_date <= $3 AND (o.to_date IS NULL OR o.to_date >= $3) ORDER BY o.id";

static const char sql_section_insert[] =
    "INSERT INTO order_sections (tenant_id, order_id, position, heading, body)"
    " VALUES ($1, $2, $3, $4, $5)";
static const char sql_sections[] =
    "SELECT id, position, heading, body FROM order_sections WHERE tenant_id = $1"
    " AND order_id = $2 ORDER BY position";
static const char sql_goal_insert[] =
    "INSERT INTO order_goals (tenant_id, order_id, position, goal) VALUES ($1, $2, $3, $4)";
static const char sql_goals[] =
    "SELECT id, position, goal FROM order_goals WHERE tenant_id = $1 AND order_id = $2"
    " ORDER BY position";
static const char sql_goal_of[] =
    "SELECT 1 FROM order_goals WHERE tenant_id = $1 AND order_id = $2 AND id = $3";

#define PLAN_COLS "id, order_id, version, created_at, updated_at, participation, written_by_name"
static const char sql_plan_insert[] =
    "INSERT INTO plans (tenant_id, order_id, participation, written_by_name, version,"
    " created_at, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING id";
static const char sql_plan_update[] =
    "UPDATE plans SET participation = $3, written_by_name = $4, updated_at = $5,"
    " version = version + 1 WHERE id = $1 AND tenant_id = $2 AND version = $6 RETURNING id";
static const char sql_plan_get[] =
    "SELECT " PLAN_COLS " FROM plans WHERE tenant_id = $1 AND order_id = $2";
static const char sql_item_delete[] =
    "DELETE FROM plan_items WHERE tenant_id = $1 AND plan_id = $2";
static const char sql_item_insert[] =
    "INSERT INTO plan_items (tenant_id, plan_id, goal_id, position, what, when_text, how)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7)";
static const char sql_items[] =
    "SELECT id, goal_id, position, what, when_text, how FROM plan_items WHERE tenant_id = $1"
    " AND plan_id = $2 ORDER BY position";
static const char sql_followup_insert[] =
    "INSERT INTO goal_followups (tenant_id, plan_id, goal_id, followup_date, status, comment,"
    " by_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
static const char sql_followups[] =
    "SELECT id, goal_id, created_at, followup_date, status, comment, by_name FROM goal_followups"
    " WHERE tenant_id = $1 AND plan_id = $2 ORDER BY id";

#define EVENT_COLS                                                                                 \
	"id, tenant_id, provider_id, order_id, person_id, created_at, attempts, delivered_at,"     \
	" kind, payload"
static const char sql_event_insert[] =
    "INSERT INTO order_events (tenant_id, provider_id, order_id, person_id, kind, payload,"
    " created_at, attempts, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $7)";
static const char sql_events[] =
    "SELECT " EVENT_COLS " FROM order_events WHERE tenant_id = $1 AND provider_id = $2"
    " AND id > $3 ORDER BY id LIMIT $4";
static const char sql_events_due[] =
    "SELECT e.id, e.tenant_id, e.provider_id, e.order_id, e.person_id, e.created_at,"
    " e.attempts, e.delivered_at, e.kind, e.payload, p.webhook_url, p.webhook_secret"
    " FROM order_events e JOIN providers p ON p.id = e.provider_id"
    " WHERE e.delivered_at IS NULL AND e.next_attempt_at <= $1 AND p.webhook_url <> ''"
    " AND (e.claimed_until IS NULL OR e.claimed_until < $1)"
    " ORDER BY e.id LIMIT $2";
/* The lease of one delivery process on one event (0018_webhook_claim.sql): taken only from
 * nobody, or from a process whose lease has run out. */
static const char sql_event_claim[] =
    "UPDATE order_events SET claimed_until = $4, claimed_by = $5"
    " WHERE id = $1 AND tenant_id = $2 AND delivered_at IS NULL AND next_attempt_at <= $3"
    " AND (claimed_until IS NULL OR claimed_until < $3) RETURNING attempts";
static const char sql_attempt_insert[] =
    "INSERT INTO webhook_attempts (tenant_id, event_id, at, http_status, error)"
    " VALUES ($1, $2, $3, $4, $5)";
static const char sql_event_attempted[] =
    "UPDATE order_events SET attempts = attempts + 1, next_attempt_at = $3,"
    " delivered_at = $4, claimed_until = NULL WHERE id = $1 AND tenant_id = $2"
    " AND delivered_at IS NULL AND claimed_by = $5 RETURNING id";

/* ---- helpers ------------------------------------------------------------------------- */

/* ---- the register -------------------------------------------------------------------- */

/* Reads a provider row into out, a struct provider. */
static void
prov_row(struct db_stmt *st, void *out)
{
	struct provider *p = out;
	memset(p, 0, sizeof *p);
	p->id = db_col_int(st, 0);
	p->tenant_id = db_col_int(st, 1);
	p->version = db_col_int(st, 2);
	db_col_copy(st, 3, p->name, sizeof p->name);
	db_col_copy(st, 4, p->org_nr, sizeof p->org_nr);
	db_col_copy(st, 5, p->kind, sizeof p->kind);
	db_col_copy(st, 6, p->approved_from, sizeof p->approved_from);
	db_col_copy(st, 7, p->approved_to, sizeof p->approved_to);
	db_col_copy(st, 8, p->contact_name, sizeof p->contact_name);
	db_col_copy(st, 9, p->contact_email, sizeof p->contact_email);
	db_col_copy(st, 10, p->contact_phone, sizeof p->contact_phone);
	db_col_copy(st, 11, p->account, sizeof p->account);
	db_col_copy(st, 12, p->description, sizeof p->description);
	db_col_copy(st, 13, p->webhook_url, sizeof p->webhook_url);
	const char *secret = db_col_text(st, 14);
	p->has_secret = secret && *secret;
}

/* Binds $3..$13 of the insert and update: the provider's fields from name to webhook_url. */
static void
bind_provider(struct db_stmt *st, const struct provider *p, int first)
{
	db_bind_text(st, first, p->name);
	db_bind_opt_text(st, first + 1, p->org_nr);
	db_bind_text(st, first + 2, p->kind);
	db_bind_opt_text(st, first + 3, p->approved_from);
	db_bind_opt_text(st, first + 4, p->approved_to);
	db_bind_text(st, first + 5, p->contact_name);
	db_bind_text(st, first + 6, p->contact_email);
	db_bind_text(st, first + 7, p->contact_phone);
	db_bind_text(st, first + 8, p->account);
	db_bind_text(st, first + 9, p->description);
	db_bind_text(st, first + 10, p->webhook_url);
}

int
providers__taken(struct db_conn *c, const struct provider *p)
{
	struct db_stmt *st = db_prepare(c, sql_prov_taken);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, p->tenant_id);
	db_bind_int(st, 2, p->id);
	db_bind_text(st, 3, p->name);
	db_bind_text(st, 4, p->org_nr[0] ? p->org_nr : "-");
	int rc = db_step_one(st, NULL, NULL);
	if (rc == 0)
		return HERR_CONFLICT;
	return rc == HERR_NOT_FOUND ? 0 : rc;
}

int
providers__insert(struct db_conn *c, struct provider *p, int64_t now)
{
	struct db_stmt *st = db_prepare(c, sql_prov_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, p->tenant_id);
	bind_provider(st, p, 2);
	db_bind_int(st, 13, now);
	return db_step_id(st, &p->id, HERR_DB);
}

int
providers__update(struct db_conn *c, const struct provider *p)
{
	struct db_stmt *st = db_prepare(c, sql_prov_update);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, p->tenant_id);
	bind_provider(st, p, 3);
	db_bind_int(st, 14, p->version);
	return db_step_id(st, NULL, HERR_NOT_FOUND);
}

int
providers__secret(struct db_conn *c, int64_t tenant, int64_t id, const char *secret)
{
	struct db_stmt *st = db_prepare(c, sql_prov_secret);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	db_bind_text(st, 3, secret);
	return db_step_done(st);
}

int
providers__lists(struct db_conn *c, int64_t tenant, int64_t id, const struct provider_service *sv,
                 int nsv, const char *const *areas, int nareas)
{
	struct db_stmt *st = db_prepare(c, sql_psv_delete);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	int rc = db_step_done(st);
	for (int i = 0; rc == 0 && i < nsv; i++) {
		st = db_prepare(c, sql_psv_insert);
		if (!st)
			return HERR_DB;
		db_bind_int(st, 1, tenant);
		db_bind_int(st, 2, id);
		db_bind_int(st, 3, sv[i].service_id);
		db_bind_text(st, 4, sv[i].code);
		rc = db_step_done(st);
	}
	if (rc)
		return rc;
	st = db_prepare(c, sql_area_delete);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	rc = db_step_done(st);
	for (int i = 0; rc == 0 && i < nareas; i++) {
		st = db_prepare(c, sql_area_insert);
		if (!st)
			return HERR_DB;
		db_bind_int(st, 1, tenant);
		db_bind_int(st, 2, id);
		db_bind_text(st, 3, areas[i]);
		rc = db_step_done(st);
	}
	return rc;
}

int
providers_get(struct db_conn *c, int64_t tenant, int64_t id, struct provider *out)
{
	struct db_stmt *st = db_prepare(c, sql_prov_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	return db_step_one(st, prov_row, out);
}

/* Reads the webhook secret of a provider row into out, 65 bytes. */
static void
secret_row(struct db_stmt *st, void *out)
{
	db_col_copy(st, 14, out, 65);
}

int
providers__secret_get(struct db_conn *c, int64_t tenant, int64_t id, char out[65])
{
	struct db_stmt *st = db_prepare(c, sql_prov_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	return db_step_one(st, secret_row, out);
}

DB_EACH_ROW(prov_each, struct provider, prov_row)

int
providers_list(struct db_conn *c, int64_t tenant, void (*fn)(const struct provider *, void *),
               void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_prov_list);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	return db_step_each(st, prov_each, &(struct prov_each){fn, arg});
}

/* Reads a row of providers_services into out, a struct provider_service. */
static void
service_row(struct db_stmt *st, void *out)
{
	struct provider_service *s = out;
	memset(s, 0, sizeof *s);
	s->service_id = db_col_int(st, 0);
	db_col_copy(st, 1, s->code, sizeof s->code);
}

DB_EACH_ROW(service_each, struct provider_service, service_row)

int
providers_services(struct db_conn *c, int64_t tenant, int64_t provider_id,
                   void (*fn)(const struct provider_service *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_psv_list);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider_id);
	return db_step_each(st, service_each, &(struct service_each){fn, arg});
}

/* The callback of providers_areas and its argument. */
struct area_each {
	void (*fn)(const char *area, void *); /* the caller's callback */
	void *arg;                            /* its argument */
};

static int
area_each(struct db_stmt *st, void *arg)
{
	const struct area_each *e = arg;
	e->fn(db_col_text(st, 0), e->arg);
	return 0;
}

int
providers_areas(struct db_conn *c, int64_t tenant, int64_t provider_id,
                void (*fn)(const char *area, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_area_list);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider_id);
	return db_step_each(st, area_each, &(struct area_each){fn, arg});
}

int
providers_approved_for(struct db_conn *c, int64_t tenant, int64_t provider_id, int64_t service_id)
{
	struct db_stmt *st = db_prepare(c, sql_psv_has);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider_id);
	db_bind_int(st, 3, service_id);
	return db_step_one(st, NULL, NULL);
}

/* ---- vacancies ----------------------------------------------------------------------- */

int
providers__vacancies_replace(struct db_conn *c, int64_t tenant, int64_t provider_id,
                             const struct vacancy *v, int n, int64_t now)
{
	struct db_stmt *st = db_prepare(c, sql_vac_delete);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider_id);
	int rc = db_step_done(st);
	for (int i = 0; rc == 0 && i < n; i++) {
		st = db_prepare(c, sql_vac_insert);
		if (!st)
			return HERR_DB;
		db_bind_int(st, 1, tenant);
		db_bind_int(st, 2, provider_id);
		db_bind_int(st, 3, v[i].service_id);
		db_bind_text(st, 4, v[i].service_code);
		db_bind_text(st, 5, v[i].area);
		db_bind_text(st, 6, v[i].time_of_day);
		db_bind_int(st, 7, v[i].places);
		db_bind_int(st, 8, now);
		rc = db_step_done(st);
	}
	return rc;
}

/* Reads a row of providers_vacancies into out, a struct vacancy. */
static void
vacancy_row(struct db_stmt *st, void *out)
{
	struct vacancy *v = out;
	memset(v, 0, sizeof *v);
	v->provider_id = db_col_int(st, 0);
	v->service_id = db_col_int(st, 1);
	v->updated_at = db_col_int(st, 2);
	db_col_copy(st, 3, v->service_code, sizeof v->service_code);
	db_col_copy(st, 4, v->area, sizeof v->area);
	db_col_copy(st, 5, v->time_of_day, sizeof v->time_of_day);
	v->places = (int)db_col_int(st, 6);
}

DB_EACH_ROW(vacancy_each, struct vacancy, vacancy_row)

int
providers_vacancies(struct db_conn *c, int64_t tenant, int64_t provider_id, int64_t service_id,
                    void (*fn)(const struct vacancy *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, provider_id ? sql_vac_by_provider : sql_vac_by_service);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider_id ? provider_id : service_id);
	return db_step_each(st, vacancy_each, &(struct vacancy_each){fn, arg});
}

/* ---- choices ------------------------------------------------------------------------- */

int
providers__choice_insert(struct db_conn *c, int64_t tenant, struct choice *ch, int64_t user_id)
{
	struct db_stmt *st = db_prepare(c, sql_choice_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, ch->decision_id);
	db_bind_int(st, 3, ch->person_id);
	db_bind_int(st, 4, ch->provider_id);
	db_bind_opt_int(st, 5, user_id);
	db_bind_text(st, 6, ch->chosen_by_role);
	db_bind_int(st, 7, ch->created_at);
	return db_step_id(st, &ch->id, HERR_DB);
}

/* Reads a choice row into out, a struct choice. */
static void
choice_row(struct db_stmt *st, void *out)
{
	struct choice *x = out;
	memset(out, 0, sizeof *out);
	x->id = db_col_int(st, 0);
	x->decision_id = db_col_int(st, 1);
	x->person_id = db_col_int(st, 2);
	x->provider_id = db_col_int(st, 3);
	x->created_at = db_col_int(st, 4);
	db_col_copy(st, 5, x->provider_name, sizeof x->provider_name);
	db_col_copy(st, 6, x->chosen_by_role, sizeof x->chosen_by_role);
}

int
providers_choice_get(struct db_conn *c, int64_t tenant, int64_t decision_id, struct choice *out)
{
	struct db_stmt *st = db_prepare(c, sql_choice_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, decision_id);
	return db_step_one(st, choice_row, out);
}

/* ---- orders -------------------------------------------------------------------------- */

/* Reads an order row into out, a struct order. */
static void
order_row(struct db_stmt *st, void *out)
{
	struct order *o = out;
	memset(o, 0, sizeof *o);
	struct order_ref *r = &o->ref;
	r->id = db_col_int(st, 0);
	r->tenant_id = db_col_int(st, 1);
	r->decision_id = db_col_int(st, 2);
	r->case_id = db_col_int(st, 3);
	r->person_id = db_col_int(st, 4);
	r->provider_id = db_col_int(st, 5);
	r->service_id = db_col_int(st, 6);
	db_col_copy(st, 7, r->service_code, sizeof r->service_code);
	db_col_copy(st, 8, r->state, sizeof r->state);
	db_col_copy(st, 9, r->from, sizeof r->from);
	db_col_copy(st, 10, r->to, sizeof r->to);
	char today[11];
	time_today(today);
	const char *state = providers_order_state_on(r->state, r->to, today);
	if (state != r->state) {
		snprintf(r->state, sizeof r->state, "%s", state);
		r->ending = true;
	}
	r->granted_minutes_month = db_col_int(st, 11);
	r->main_responsible = db_col_int(st, 12) != 0;
	o->previous_id = db_col_int(st, 13);
	o->answered_at = db_col_int(st, 14);
	o->accepted_at = db_col_int(st, 15);
	o->created_at = db_col_int(st, 16);
	o->updated_at = db_col_int(st, 17);
	o->version = db_col_int(st, 18);
	db_col_copy(st, 19, o->provider_name, sizeof o->provider_name);
	db_col_copy(st, 20, o->service_name, sizeof o->service_name);
	db_col_copy(st, 21, o->scope_text, sizeof o->scope_text);
	db_col_copy(st, 22, o->goals, sizeof o->goals);
	db_col_copy(st, 23, o->message, sizeof o->message);
	db_col_copy(st, 24, o->sent_date, sizeof o->sent_date);
	db_col_copy(st, 25, o->answer_due, sizeof o->answer_due);
	db_col_copy(st, 26, o->answered_by_name, sizeof o->answered_by_name);
	db_col_copy(st, 27, o->decline_reason, sizeof o->decline_reason);
	db_col_copy(st, 28, o->ended_reason, sizeof o->ended_reason);
}

int
providers__order_insert(struct db_conn *c, struct order *o, int64_t user_id)
{
	struct db_stmt *st = db_prepare(c, sql_order_insert);
	if (!st)
		return HERR_DB;
	const struct order_ref *r = &o->ref;
	db_bind_int(st, 1, r->tenant_id);
	db_bind_int(st, 2, r->decision_id);
	db_bind_int(st, 3, r->case_id);
	db_bind_int(st, 4, r->person_id);
	db_bind_int(st, 5, r->provider_id);
	db_bind_int(st, 6, r->service_id);
	db_bind_text(st, 7, r->service_code);
	db_bind_text(st, 8, o->service_name);
	db_bind_text(st, 9, r->from);
	db_bind_opt_text(st, 10, r->to);
	db_bind_int(st, 11, r->granted_minutes_month);
	db_bind_text(st, 12, o->scope_text);
	db_bind_text(st, 13, o->goals);
	db_bind_text(st, 14, o->message);
	db_bind_int(st, 15, r->main_responsible ? 1 : 0);
	db_bind_text(st, 16, o->sent_date);
	db_bind_text(st, 17, o->answer_due);
	db_bind_opt_int(st, 18, o->previous_id);
	db_bind_opt_int(st, 19, user_id);
	db_bind_int(st, 20, o->created_at);
	return db_step_id(st, &o->ref.id, HERR_DB);
}

int
providers_order_get(struct db_conn *c, int64_t tenant, int64_t id, struct order *out)
{
	struct db_stmt *st = db_prepare(c, sql_order_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	return db_step_one(st, order_row, out);
}

int
providers_order_ref(struct db_conn *c, int64_t tenant, int64_t id, struct order_ref *out)
{
	struct order o;
	int rc = providers_order_get(c, tenant, id, &o);
	if (rc == 0)
		*out = o.ref;
	return rc;
}

DB_EACH_ROW(order_each, struct order, order_row)

/* Steps a statement of order rows, calling fn for each. */
static int
order_rows(struct db_stmt *st, void (*fn)(const struct order *, void *), void *arg)
{
	return db_step_each(st, order_each, &(struct order_each){fn, arg});
}

int
providers_orders(struct db_conn *c, int64_t tenant, int64_t provider_id, int64_t case_id,
                 int64_t person_id, const char *state, int limit,
                 void (*fn)(const struct order *, void *), void *arg)
{
	const char *sql = sql_orders_person;
	int64_t key = person_id;
	if (provider_id) {
		sql = state && *state ? sql_orders_provider_state : sql_orders_provider;
		key = provider_id;
	} else if (case_id) {
		sql = sql_orders_case;
		key = case_id;
	}
	struct db_stmt *st = db_prepare(c, sql);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, key);
	db_bind_int(st, 3, limit);
	char today[11];
	time_today(today);
	if (sql == sql_orders_provider_state) {
		db_bind_text(st, 4, state);
		db_bind_text(st, 5, today);
	}
	return order_rows(st, fn, arg);
}

int
providers_orders_period(struct db_conn *c, int64_t tenant, const char *first, const char *last,
                        int64_t after, int limit, void (*fn)(const struct order *, void *),
                        void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_orders_period);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, after);
	db_bind_text(st, 3, first);
	db_bind_text(st, 4, last);
	db_bind_int(st, 5, limit);
	return order_rows(st, fn, arg);
}

int
providers_orders_overdue(struct db_conn *c, int64_t tenant, int64_t created_by, const char *today,
                         int limit, void (*fn)(const struct order *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_orders_overdue);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, created_by);
	db_bind_text(st, 3, today);
	db_bind_int(st, 4, limit);
	return order_rows(st, fn, arg);
}

int
providers__order_open(struct db_conn *c, int64_t tenant, int64_t decision_id, int64_t except)
{
	struct db_stmt *st = db_prepare(c, sql_order_open);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, decision_id);
	db_bind_int(st, 3, except);
	return db_step_one(st, NULL, NULL);
}

int
providers__order_answer(struct db_conn *c, int64_t tenant, int64_t id, bool accept,
                        const char *reason, const char *by_name, int64_t now)
{
	struct db_stmt *st = db_prepare(c, sql_order_answer);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	db_bind_text(st, 3, accept ? "accepted" : "declined");
	db_bind_int(st, 4, now);
	db_bind_text(st, 5, by_name);
	db_bind_opt_text(st, 6, accept ? NULL : reason);
	db_bind_opt_int(st, 7, accept ? now : 0);
	return db_step_id(st, NULL, HERR_NOT_FOUND);
}

int
providers__order_end(struct db_conn *c, int64_t tenant, int64_t id, const char *from_state,
                     const char *to_state, const char *to_date, const char *reason, int64_t now)
{
	struct db_stmt *st = db_prepare(c, sql_order_end);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	db_bind_text(st, 3, to_state);
	db_bind_text(st, 4, to_date);
	db_bind_text(st, 5, reason ? reason : "");
	db_bind_int(st, 6, now);
	db_bind_text(st, 7, from_state);
	return db_step_id(st, NULL, HERR_NOT_FOUND);
}

int
providers__order_main(struct db_conn *c, int64_t tenant, int64_t id, int64_t person_id, int64_t now,
                      bool take)
{
	struct db_stmt *st;
	if (take) {
		st = db_prepare(c, sql_order_main_clear);
		if (!st)
			return HERR_DB;
		db_bind_int(st, 1, tenant);
		db_bind_int(st, 2, person_id);
		db_bind_int(st, 3, id);
		int rc = db_step_done(st);
		if (rc)
			return rc;
	}
	st = db_prepare(c, sql_order_main_set);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	db_bind_int(st, 3, now);
	return db_step_done(st);
}

int
providers__order_main_drop(struct db_conn *c, int64_t tenant, int64_t id, int64_t now)
{
	struct db_stmt *st = db_prepare(c, sql_order_main_drop);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	db_bind_int(st, 3, now);
	return db_step_done(st);
}

int
providers_customer_access(struct db_conn *c, int64_t tenant, int64_t provider_id, int64_t person_id)
{
	if (!provider_id)
		return HERR_NOT_FOUND;
	char cutoff[11];
	providers__cutoff_today(cutoff);
	struct db_stmt *st = db_prepare(c, sql_access);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider_id);
	db_bind_int(st, 3, person_id);
	db_bind_text(st, 4, cutoff);
	return db_step_one(st, NULL, NULL);
}

int
providers_order_covering(struct db_conn *c, int64_t tenant, int64_t provider_id, int64_t person_id,
                         int64_t service_id, const char *date, struct order_ref *out)
{
	struct db_stmt *st = db_prepare(c, sql_covering);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider_id);
	db_bind_int(st, 3, person_id);
	db_bind_int(st, 4, service_id);
	db_bind_text(st, 5, date);
	struct order o;
	int rc = db_step_one(st, order_row, &o);
	if (rc == 0)
		*out = o.ref;
	return rc;
}

struct ref_call {
	void (*fn)(const struct order_ref *, void *);
	void *arg;
};

static void
ref_one(const struct order *o, void *arg)
{
	struct ref_call *rc = arg;
	rc->fn(&o->ref, rc->arg);
}

int
providers_orders_active(struct db_conn *c, int64_t tenant, int64_t provider_id, const char *date,
                        void (*fn)(const struct order_ref *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_active);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider_id);
	db_bind_text(st, 3, date);
	struct ref_call call = {fn, arg};
	return order_rows(st, ref_one, &call);
}

/* ---- sections and goals -------------------------------------------------------------- */

int
providers__section_insert(struct db_conn *c, int64_t tenant, int64_t order_id,
                          const struct order_section *s)
{
	struct db_stmt *st = db_prepare(c, sql_section_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, order_id);
	db_bind_int(st, 3, s->position);
	db_bind_text(st, 4, s->heading);
	db_bind_text(st, 5, s->body);
	return db_step_done(st);
}

int
providers_order_sections(struct db_conn *c, int64_t tenant, int64_t order_id,
                         void (*fn)(const struct order_section *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_sections);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, order_id);
	int rc;
	struct order_section sec;
	struct order_section *s = &sec;
	while ((rc = db_step(st)) == DB_ROW) {
		memset(s, 0, sizeof *s);
		s->id = db_col_int(st, 0);
		s->position = (int)db_col_int(st, 1);
		db_col_copy(st, 2, s->heading, sizeof s->heading);
		db_col_copy(st, 3, s->body, sizeof s->body);
		fn(s, arg);
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int
providers__goal_insert(struct db_conn *c, int64_t tenant, int64_t order_id, int position,
                       const char *goal)
{
	struct db_stmt *st = db_prepare(c, sql_goal_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, order_id);
	db_bind_int(st, 3, position);
	db_bind_text(st, 4, goal);
	return db_step_done(st);
}

/* Reads a row of providers_order_goals into out, a struct order_goal. */
static void
goal_row(struct db_stmt *st, void *out)
{
	struct order_goal *g = out;
	memset(g, 0, sizeof *g);
	g->id = db_col_int(st, 0);
	g->position = (int)db_col_int(st, 1);
	db_col_copy(st, 2, g->goal, sizeof g->goal);
}

DB_EACH_ROW(goal_each, struct order_goal, goal_row)

int
providers_order_goals(struct db_conn *c, int64_t tenant, int64_t order_id,
                      void (*fn)(const struct order_goal *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_goals);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, order_id);
	return db_step_each(st, goal_each, &(struct goal_each){fn, arg});
}

int
providers__goal_of(struct db_conn *c, int64_t tenant, int64_t order_id, int64_t goal_id)
{
	struct db_stmt *st = db_prepare(c, sql_goal_of);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, order_id);
	db_bind_int(st, 3, goal_id);
	return db_step_one(st, NULL, NULL);
}

/* ---- plans --------------------------------------------------------------------------- */

int
providers__plan_insert(struct db_conn *c, int64_t tenant, struct plan *p, int64_t now)
{
	struct db_stmt *st = db_prepare(c, sql_plan_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, p->order_id);
	db_bind_text(st, 3, p->participation);
	db_bind_text(st, 4, p->written_by_name);
	db_bind_int(st, 5, now);
	return db_step_id(st, &p->id, HERR_DB);
}

int
providers__plan_update(struct db_conn *c, int64_t tenant, const struct plan *p, int64_t now)
{
	struct db_stmt *st = db_prepare(c, sql_plan_update);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, tenant);
	db_bind_text(st, 3, p->participation);
	db_bind_text(st, 4, p->written_by_name);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, p->version);
	return db_step_id(st, NULL, HERR_NOT_FOUND);
}

/* Reads a plan row into out, a struct plan. */
static void
plan_row(struct db_stmt *st, void *out)
{
	struct plan *x = out;
	memset(out, 0, sizeof *out);
	x->id = db_col_int(st, 0);
	x->order_id = db_col_int(st, 1);
	x->version = db_col_int(st, 2);
	x->created_at = db_col_int(st, 3);
	x->updated_at = db_col_int(st, 4);
	db_col_copy(st, 5, x->participation, sizeof x->participation);
	db_col_copy(st, 6, x->written_by_name, sizeof x->written_by_name);
}

int
providers_plan_get(struct db_conn *c, int64_t tenant, int64_t order_id, struct plan *out)
{
	struct db_stmt *st = db_prepare(c, sql_plan_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, order_id);
	return db_step_one(st, plan_row, out);
}

int
providers__items_replace(struct db_conn *c, int64_t tenant, int64_t plan_id,
                         const struct plan_item *items, int n)
{
	struct db_stmt *st = db_prepare(c, sql_item_delete);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, plan_id);
	int rc = db_step_done(st);
	for (int i = 0; rc == 0 && i < n; i++) {
		st = db_prepare(c, sql_item_insert);
		if (!st)
			return HERR_DB;
		db_bind_int(st, 1, tenant);
		db_bind_int(st, 2, plan_id);
		db_bind_int(st, 3, items[i].goal_id);
		db_bind_int(st, 4, i + 1);
		db_bind_text(st, 5, items[i].what);
		db_bind_text(st, 6, items[i].when_text);
		db_bind_text(st, 7, items[i].how);
		rc = db_step_done(st);
	}
	return rc;
}

/* Reads a row of providers_plan_items into out, a struct plan_item. */
static void
item_row(struct db_stmt *st, void *out)
{
	struct plan_item *it = out;
	memset(it, 0, sizeof *it);
	it->id = db_col_int(st, 0);
	it->goal_id = db_col_int(st, 1);
	it->position = (int)db_col_int(st, 2);
	db_col_copy(st, 3, it->what, sizeof it->what);
	db_col_copy(st, 4, it->when_text, sizeof it->when_text);
	db_col_copy(st, 5, it->how, sizeof it->how);
}

DB_EACH_ROW(item_each, struct plan_item, item_row)

int
providers_plan_items(struct db_conn *c, int64_t tenant, int64_t plan_id,
                     void (*fn)(const struct plan_item *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_items);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, plan_id);
	return db_step_each(st, item_each, &(struct item_each){fn, arg});
}

int
providers__followup_insert(struct db_conn *c, int64_t tenant, int64_t plan_id, struct followup *f)
{
	struct db_stmt *st = db_prepare(c, sql_followup_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, plan_id);
	db_bind_int(st, 3, f->goal_id);
	db_bind_text(st, 4, f->date);
	db_bind_text(st, 5, f->status);
	db_bind_text(st, 6, f->comment);
	db_bind_text(st, 7, f->by_name);
	db_bind_int(st, 8, f->created_at);
	return db_step_id(st, &f->id, HERR_DB);
}

/* Reads a row of providers_followups into out, a struct followup. */
static void
followup_row(struct db_stmt *st, void *out)
{
	struct followup *f = out;
	memset(f, 0, sizeof *f);
	f->id = db_col_int(st, 0);
	f->goal_id = db_col_int(st, 1);
	f->created_at = db_col_int(st, 2);
	db_col_copy(st, 3, f->date, sizeof f->date);
	db_col_copy(st, 4, f->status, sizeof f->status);
	db_col_copy(st, 5, f->comment, sizeof f->comment);
	db_col_copy(st, 6, f->by_name, sizeof f->by_name);
}

DB_EACH_ROW(followup_each, struct followup, followup_row)

int
providers_followups(struct db_conn *c, int64_t tenant, int64_t plan_id,
                    void (*fn)(const struct followup *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_followups);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, plan_id);
	return db_step_each(st, followup_each, &(struct followup_each){fn, arg});
}

/* ---- events -------------------------------------------------------------------------- */

int
providers__event_insert(struct db_conn *c, const struct order_event *ev)
{
	struct db_stmt *st = db_prepare(c, sql_event_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, ev->tenant_id);
	db_bind_int(st, 2, ev->provider_id);
	db_bind_int(st, 3, ev->order_id);
	db_bind_int(st, 4, ev->person_id);
	db_bind_text(st, 5, ev->kind);
	db_bind_text(st, 6, ev->payload);
	db_bind_int(st, 7, ev->created_at);
	return db_step_done(st);
}

/* Reads an event row into out, a struct order_event. */
static void
event_row(struct db_stmt *st, void *out)
{
	struct order_event *ev = out;
	memset(ev, 0, sizeof *ev);
	ev->id = db_col_int(st, 0);
	ev->tenant_id = db_col_int(st, 1);
	ev->provider_id = db_col_int(st, 2);
	ev->order_id = db_col_int(st, 3);
	ev->person_id = db_col_int(st, 4);
	ev->created_at = db_col_int(st, 5);
	ev->attempts = db_col_int(st, 6);
	ev->delivered_at = db_col_int(st, 7);
	db_col_copy(st, 8, ev->kind, sizeof ev->kind);
	db_col_copy(st, 9, ev->payload, sizeof ev->payload);
}

DB_EACH_ROW(event_each, struct order_event, event_row)

int
providers_events(struct db_conn *c, int64_t tenant, int64_t provider_id, int64_t after, int limit,
                 void (*fn)(const struct order_event *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_events);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider_id);
	db_bind_int(st, 3, after);
	db_bind_int(st, 4, limit);
	return db_step_each(st, event_each, &(struct event_each){fn, arg});
}

/* The callback of providers__events_due and its argument. */
struct due_each {
	void (*fn)(const struct order_event *, const char *url, const char *secret,
	           void *); /* the caller's callback */
	void *arg;          /* its argument */
};

static int
due_each(struct db_stmt *st, void *arg)
{
	const struct due_each *e = arg;
	struct order_event ev = {0};
	event_row(st, &ev);
	e->fn(&ev, db_col_text(st, 10), db_col_text(st, 11), e->arg);
	return 0;
}

int
providers__events_due(struct db_conn *c, int64_t now, int limit,
                      void (*fn)(const struct order_event *, const char *url, const char *secret,
                                 void *),
                      void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_events_due);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, now);
	db_bind_int(st, 2, limit);
	return db_step_each(st, due_each, &(struct due_each){fn, arg});
}

int
providers__event_claim(struct db_conn *c, int64_t tenant, int64_t event_id, int64_t now,
                       int64_t until, const char *me, int64_t *attempts)
{
	struct db_stmt *st = db_prepare(c, sql_event_claim);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, tenant);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, until);
	db_bind_text(st, 5, me);
	return db_step_id(st, attempts, HERR_NOT_FOUND);
}

int
providers__attempt(struct db_conn *c, int64_t tenant, int64_t event_id, const char *me, int64_t now,
                   int status, const char *error, int64_t next_at, bool delivered, bool *applied)
{
	struct db_stmt *st = db_prepare(c, sql_attempt_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, event_id);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, status);
	db_bind_text(st, 5, error);
	int rc = db_step_done(st);
	if (rc)
		return rc;
	st = db_prepare(c, sql_event_attempted);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, event_id);
	db_bind_int(st, 2, tenant);
	db_bind_int(st, 3, next_at);
	db_bind_opt_int(st, 4, delivered ? now : 0);
	db_bind_text(st, 5, me);
	rc = db_step_id(st, NULL, HERR_NOT_FOUND);
	if (rc == HERR_NOT_FOUND) {
		*applied = false;
		return 0;
	}
	if (rc == 0)
		*applied = true;
	return rc;
}
