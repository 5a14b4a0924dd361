/*
 * Every SQL statement of the cases module (STYLE.md rule 15), with the row mapping beside it.
 * The schema is src/db/sql/0002_cases.sql. Optional values are stored as NULL: a case without
 * unit or caseworker, a request without hours, a decision not measured in hours, a decision
 * until further notice (end_date), one not yet executed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_private.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cases.h"
#include "cases_private.h"
#include "db/db.h"

/* ---- statements ---------------------------------------------------------------------- */

#define SERVICE_COLS                                                                               \
	"id, code, name, law, paragraph, measure, stats_code, fee_applies, customer_choice,"       \
	" followup_months"

static const char sql_service_insert[] =
    "INSERT INTO services (tenant_id, code, name, law, paragraph, measure, stats_code,"
    " fee_applies, customer_choice, followup_months, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
static const char sql_services[] =
    "SELECT " SERVICE_COLS " FROM services WHERE tenant_id = $1 AND active = 1 ORDER BY id";
/* Inactive services too: old decisions still name them. */
static const char sql_service_get[] =
    "SELECT " SERVICE_COLS " FROM services WHERE tenant_id = $1 AND code = $2";

static const char sql_rule_insert[] =
    "INSERT INTO delegation_rules (tenant_id, point, service_code, level, may_grant,"
    " may_refuse, max_hours, max_months, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
static const char sql_rules[] =
    "SELECT point, service_code, level, may_grant, may_refuse, max_hours, max_months"
    " FROM delegation_rules WHERE tenant_id = $1 ORDER BY id";

#define CASE_COLS                                                                                  \
	"id, tenant_id, person_id, unit_id, caseworker_id, submitted_by, version, created_at,"     \
	" updated_at, refer_level, case_number, kind, channel, state, law, received_date,"         \
	" due_date, summary"
/* Open: still in the caseworker's hands. */
#define CASE_OPEN " AND state <> 'closed' AND state <> 'withdrawn'"

/* The numbers of a year lie in ["YYYY-", "YYYY.") ('.' follows '-' in ASCII): an index range
 * on (tenant_id, case_number), and all are six digits wide, so the largest text is the
 * largest number. */
static const char sql_last_number[] =
    "SELECT MAX(case_number) FROM cases WHERE tenant_id = $1 AND case_number >= $2"
    " AND case_number < $3";
static const char sql_case_insert[] =
    "INSERT INTO cases (tenant_id, person_id, case_number, kind, channel, state, law, unit_id,"
    " caseworker_id, submitted_by, received_date, due_date, summary, version, created_at,"
    " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14)"
    " RETURNING id";
static const char sql_case_get[] =
    "SELECT " CASE_COLS " FROM cases WHERE id = $1 AND tenant_id = $2";
static const char sql_case_assign[] =
    "UPDATE cases SET caseworker_id = $3, unit_id = $4, version = version + 1, updated_at = $5"
    " WHERE tenant_id = $1 AND id = $2 AND version = $6 RETURNING version";
static const char sql_case_state[] =
    "UPDATE cases SET state = $3, refer_level = $4, version = version + 1, updated_at = $5"
    " WHERE tenant_id = $1 AND id = $2 AND version = $6 RETURNING version";
static const char sql_list_queue[] =
    "SELECT " CASE_COLS " FROM cases WHERE tenant_id = $1 AND caseworker_id = $2" CASE_OPEN
    " ORDER BY due_date, id LIMIT $3";
static const char sql_list_person[] =
    "SELECT " CASE_COLS " FROM cases WHERE tenant_id = $1 AND person_id = $2"
    " ORDER BY received_date DESC, id DESC LIMIT $3";
static const char sql_list_unit[] =
    "SELECT " CASE_COLS " FROM cases WHERE tenant_id = $1 AND (unit_id = $2 OR unit_id IS NULL)"
    " AND caseworker_id IS NULL" CASE_OPEN " ORDER BY due_date, id LIMIT $3";
static const char sql_list_no_unit[] =
    "SELECT " CASE_COLS " FROM cases WHERE tenant_id = $1 AND unit_id IS NULL"
    " AND caseworker_id IS NULL" CASE_OPEN " ORDER BY due_date, id LIMIT $2";

static const char sql_request_insert[] =
    "INSERT INTO case_requests (tenant_id, case_id, service_code, hours_per_month, description)"
    " VALUES ($1, $2, $3, $4, $5)";
static const char sql_requests[] =
    "SELECT service_code, hours_per_month, description FROM case_requests"
    " WHERE tenant_id = $1 AND case_id = $2 ORDER BY id";

static const char sql_event_insert[] =
    "INSERT INTO case_events (tenant_id, case_id, at, user_id, username, kind, from_state,"
    " to_state, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
static const char sql_events[] =
    "SELECT id, at, user_id, username, kind, from_state, to_state, detail FROM case_events"
    " WHERE tenant_id = $1 AND case_id = $2 ORDER BY id";

#define NOTE_COLS                                                                                  \
	"id, case_id, author_id, corrects_id, signed_at, version, created_at, author_name, body"

static const char sql_note_insert[] =
    "INSERT INTO journal_notes (tenant_id, case_id, author_id, author_name, body, corrects_id,"
    " version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)"
    " RETURNING id";
static const char sql_note_get[] =
    "SELECT " NOTE_COLS " FROM journal_notes WHERE id = $1 AND tenant_id = $2";
static const char sql_notes[] =
    "SELECT " NOTE_COLS " FROM journal_notes WHERE tenant_id = $1 AND case_id = $2 ORDER BY id";
/* Only a draft changes: a signed note is kept as it was signed (SoL 14 kap. 3 §, LSS 21 a §;
 * ARCHITECTURE.md, Storage); the guard on signed_at holds even if a caller skipped its check. */
static const char sql_note_update[] =
    "UPDATE journal_notes SET body = $3, version = version + 1, updated_at = $4"
    " WHERE tenant_id = $1 AND id = $2 AND version = $5 AND signed_at IS NULL"
    " RETURNING version";
static const char sql_note_sign[] =
    "UPDATE journal_notes SET signed_at = $3, version = version + 1, updated_at = $3"
    " WHERE tenant_id = $1 AND id = $2 AND signed_at IS NULL RETURNING version";

static const char sql_assessment_insert[] =
    "INSERT INTO assessments (tenant_id, case_id, life_area, source, functioning, own_view,"
    " goal, user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
static const char sql_assessments[] =
    "SELECT id, case_id, life_area, source, functioning, own_view, goal FROM assessments"
    " WHERE tenant_id = $1 AND case_id = $2 ORDER BY id";

#define DECISION_COLS                                                                              \
	"id, case_id, person_id, decided_by, replaces_id, replaced_by, created_at, service_code,"  \
	" outcome, hours_per_month, hours_day, hours_evening, hours_night, hours_weekend,"         \
	" start_date, end_date, goals, legal_basis, reasoning, decided_by_name, decided_level,"    \
	" delegation_point, decision_date, followup_date, executed_date, closed_date,"             \
	" closed_reason, closed_note"

static const char sql_decision_insert[] =
    "INSERT INTO decisions (tenant_id, case_id, person_id, service_code, outcome,"
    " hours_per_month, hours_day, hours_evening, hours_night, hours_weekend, start_date,"
    " end_date, goals, legal_basis, reasoning, decided_by, decided_by_name, decided_level,"
    " delegation_point, decision_date, followup_date, replaces_id, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
    " $19, $20, $21, $22, $23) RETURNING id";
static const char sql_decision_get[] =
    "SELECT " DECISION_COLS " FROM decisions WHERE id = $1 AND tenant_id = $2";
static const char sql_decisions[] =
    "SELECT " DECISION_COLS " FROM decisions WHERE tenant_id = $1 AND case_id = $2 ORDER BY id";
/* The marks are written once: the rest of a decision never changes. */
static const char sql_decision_replaced[] =
    "UPDATE decisions SET replaced_by = $3 WHERE tenant_id = $1 AND id = $2"
    " AND replaced_by IS NULL RETURNING id";
static const char sql_decision_executed[] =
    "UPDATE decisions SET executed_date = $3 WHERE tenant_id = $1 AND id = $2"
    " AND executed_date IS NULL AND closed_date IS NULL AND outcome <> 'refused' RETURNING id";
/* The same for a delivery (cases_executed_by_delivery): runs per reported visit, so the checks
 * are in the WHERE and an executed decision costs one primary-key probe. */
static const char sql_decision_executed_if_open[] =
    "UPDATE decisions SET executed_date = $3 WHERE tenant_id = $1 AND id = $2"
    " AND executed_date IS NULL AND closed_date IS NULL AND outcome <> 'refused'"
    " AND decision_date <= $3 RETURNING id, case_id, person_id, service_code";
/* A grant that ends without execution (0017_decision_closing.sql): once, and never once it
 * was executed, unless its execution is interrupted (0019_interruptions.sql): then the
 * closing ends the interruption. */
static const char sql_decision_close[] =
    "UPDATE decisions SET closed_date = $3, closed_reason = $4, closed_note = $5"
    " WHERE tenant_id = $1 AND id = $2 AND closed_date IS NULL AND outcome <> 'refused'"
    " AND (executed_date IS NULL OR EXISTS (SELECT 1 FROM decision_interruptions i"
    " WHERE i.tenant_id = $1 AND i.decision_id = $2 AND i.resumed_date IS NULL))"
    " RETURNING id";

/* Interruptions of execution (0019_interruptions.sql). A resumption is written once. */
#define INTERRUPTION_COLS                                                                          \
	"id, decision_id, case_id, person_id, created_by, created_at, from_date, reason,"          \
	" resumed_date, delay_reason"

static const char sql_interruption_insert[] =
    "INSERT INTO decision_interruptions (tenant_id, decision_id, case_id, person_id, from_date,"
    " reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
static const char sql_interruption_get[] =
    "SELECT " INTERRUPTION_COLS " FROM decision_interruptions"
    " WHERE tenant_id = $1 AND id = $2";
/* By the index decision_interruptions_case; within a decision the ids follow the first days,
 * as a new interruption begins after the one before was resumed. */
static const char sql_interruptions_case[] =
    "SELECT " INTERRUPTION_COLS " FROM decision_interruptions"
    " WHERE tenant_id = $1 AND case_id = $2 ORDER BY id";
static const char sql_interruptions_decision[] =
    "SELECT " INTERRUPTION_COLS " FROM decision_interruptions"
    " WHERE tenant_id = $1 AND decision_id = $2 ORDER BY from_date, id";
static const char sql_interruption_open[] =
    "SELECT " INTERRUPTION_COLS " FROM decision_interruptions"
    " WHERE tenant_id = $1 AND decision_id = $2 AND resumed_date IS NULL";
static const char sql_interruption_resume[] =
    "UPDATE decision_interruptions SET resumed_date = $3 WHERE tenant_id = $1 AND id = $2"
    " AND resumed_date IS NULL RETURNING id";
static const char sql_interruption_delay[] =
    "UPDATE decision_interruptions SET delay_reason = $3 WHERE tenant_id = $1 AND id = $2"
    " RETURNING id";

/* ---- helpers ------------------------------------------------------------------------- */

/* Binds a count of hours, with a negative one as NULL (not measured so). */
static void
bind_hours(struct db_stmt *st, int idx, int v)
{
	if (v >= 0)
		db_bind_int(st, idx, v);
	else
		db_bind_null(st, idx);
}

/* Column of hours, -1 for NULL. */
static int
col_hours(struct db_stmt *st, int col)
{
	return db_col_null(st, col) ? -1 : (int)db_col_int(st, col);
}

/* ---- the catalogue and the delegation order ------------------------------------------ */

/* Reads a service row into out, a struct service. */
static void
row_to_service(struct db_stmt *st, void *out)
{
	struct service *s = out;
	memset(s, 0, sizeof *s);
	s->id = db_col_int(st, 0);
	db_col_copy(st, 1, s->code, sizeof s->code);
	db_col_copy(st, 2, s->name, sizeof s->name);
	db_col_copy(st, 3, s->law, sizeof s->law);
	db_col_copy(st, 4, s->paragraph, sizeof s->paragraph);
	db_col_copy(st, 5, s->measure, sizeof s->measure);
	db_col_copy(st, 6, s->stats_code, sizeof s->stats_code);
	s->fee_applies = db_col_int(st, 7) != 0;
	s->customer_choice = db_col_int(st, 8) != 0;
	s->followup_months = (int)db_col_int(st, 9);
}

int
cases__service_insert(struct db_conn *c, int64_t tenant, struct service *s)
{
	struct db_stmt *st = db_prepare(c, sql_service_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_text(st, 2, s->code);
	db_bind_text(st, 3, s->name);
	db_bind_text(st, 4, s->law);
	db_bind_text(st, 5, s->paragraph);
	db_bind_text(st, 6, s->measure);
	db_bind_text(st, 7, s->stats_code);
	db_bind_int(st, 8, s->fee_applies);
	db_bind_int(st, 9, s->customer_choice);
	db_bind_int(st, 10, s->followup_months);
	db_bind_int(st, 11, time_now());
	return db_step_id(st, &s->id, HERR_DB);
}

DB_EACH_ROW(service_each, struct service, row_to_service)

int
cases_services(struct db_conn *c, int64_t tenant, void (*fn)(const struct service *, void *),
               void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_services);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	return db_step_each(st, service_each, &(struct service_each){fn, arg});
}

int
cases_service_get(struct db_conn *c, int64_t tenant, const char *code, struct service *out)
{
	struct db_stmt *st = db_prepare(c, sql_service_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_text(st, 2, code);
	return db_step_one(st, row_to_service, out);
}

int
cases__rule_insert(struct db_conn *c, int64_t tenant, const struct delegation_rule *r)
{
	struct db_stmt *st = db_prepare(c, sql_rule_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_text(st, 2, r->point);
	db_bind_text(st, 3, r->service);
	db_bind_int(st, 4, r->level);
	db_bind_int(st, 5, r->may_grant);
	db_bind_int(st, 6, r->may_refuse);
	db_bind_int(st, 7, r->max_hours);
	db_bind_int(st, 8, r->max_months);
	db_bind_int(st, 9, time_now());
	return db_step_done(st);
}

int
cases_delegation(struct db_conn *c, int64_t tenant, struct delegation_rule **rules, int *n)
{
	struct db_stmt *st = db_prepare(c, sql_rules);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	struct delegation_rule *v = NULL;
	int len = 0, cap = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (len == cap) {
			cap = cap ? 2 * cap : 16;
			v = xrealloc(v, (size_t)cap * sizeof *v);
		}
		struct delegation_rule *r = &v[len++];
		const char *point = db_col_text(st, 0), *service = db_col_text(st, 1);
		r->point = xstrdup(point ? point : "");
		r->service = xstrdup(service ? service : "");
		r->level = (int)db_col_int(st, 2);
		r->may_grant = db_col_int(st, 3) != 0;
		r->may_refuse = db_col_int(st, 4) != 0;
		r->max_hours = (int)db_col_int(st, 5);
		r->max_months = (int)db_col_int(st, 6);
	}
	db_reset(st);
	if (rc < 0) {
		cases_rules_free(v, len);
		return rc;
	}
	*rules = v;
	*n = len;
	return 0;
}

/* ---- cases --------------------------------------------------------------------------- */

/* Reads a case row (CASE_COLS) into out, a struct case_row. */
static void
row_to_case(struct db_stmt *st, void *out)
{
	struct case_row *cs = out;
	memset(cs, 0, sizeof *cs);
	cs->id = db_col_int(st, 0);
	cs->tenant_id = db_col_int(st, 1);
	cs->person_id = db_col_int(st, 2);
	cs->unit_id = db_col_int(st, 3);
	cs->caseworker_id = db_col_int(st, 4);
	cs->submitted_by = db_col_int(st, 5);
	cs->version = db_col_int(st, 6);
	cs->created_at = db_col_int(st, 7);
	cs->updated_at = db_col_int(st, 8);
	cs->refer_level = (int)db_col_int(st, 9);
	db_col_copy(st, 10, cs->case_number, sizeof cs->case_number);
	db_col_copy(st, 11, cs->kind, sizeof cs->kind);
	db_col_copy(st, 12, cs->channel, sizeof cs->channel);
	db_col_copy(st, 13, cs->state, sizeof cs->state);
	db_col_copy(st, 14, cs->law, sizeof cs->law);
	db_col_copy(st, 15, cs->received_date, sizeof cs->received_date);
	db_col_copy(st, 16, cs->due_date, sizeof cs->due_date);
	db_col_copy(st, 17, cs->summary, sizeof cs->summary);
}

int
cases__last_number(struct db_conn *c, int64_t tenant, int year, int *seq)
{
	struct db_stmt *st = db_prepare(c, sql_last_number);
	if (!st)
		return HERR_DB;
	char lo[16], hi[16];
	snprintf(lo, sizeof lo, "%04d-", year);
	snprintf(hi, sizeof hi, "%04d.", year);
	db_bind_int(st, 1, tenant);
	db_bind_text(st, 2, lo);
	db_bind_text(st, 3, hi);
	int rc = db_step(st);
	int last = 0;
	if (rc == DB_ROW && !db_col_null(st, 0)) {
		const char *t = db_col_text(st, 0);
		last = (int)strtol(t + strlen(lo), NULL, 10);
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	*seq = last;
	return 0;
}

int
cases__insert(struct db_conn *c, struct case_row *cs)
{
	struct db_stmt *st = db_prepare(c, sql_case_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, cs->tenant_id);
	db_bind_int(st, 2, cs->person_id);
	db_bind_text(st, 3, cs->case_number);
	db_bind_text(st, 4, cs->kind);
	db_bind_text(st, 5, cs->channel);
	db_bind_text(st, 6, cs->state);
	db_bind_text(st, 7, cs->law);
	db_bind_opt_int(st, 8, cs->unit_id);
	db_bind_opt_int(st, 9, cs->caseworker_id);
	db_bind_opt_int(st, 10, cs->submitted_by);
	db_bind_text(st, 11, cs->received_date);
	db_bind_text(st, 12, cs->due_date);
	db_bind_text(st, 13, cs->summary);
	db_bind_int(st, 14, cs->created_at);
	return db_step_id(st, &cs->id, HERR_DB);
}

int
cases_get(struct db_conn *c, int64_t tenant, int64_t id, struct case_row *out)
{
	struct db_stmt *st = db_prepare(c, sql_case_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	return db_step_one(st, row_to_case, out);
}

int
cases__assign(struct db_conn *c, int64_t tenant, int64_t id, int64_t caseworker_id, int64_t unit_id,
              int64_t expect_version, int64_t *version)
{
	struct db_stmt *st = db_prepare(c, sql_case_assign);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	db_bind_opt_int(st, 3, caseworker_id);
	db_bind_opt_int(st, 4, unit_id);
	db_bind_int(st, 5, time_now());
	db_bind_int(st, 6, expect_version);
	return db_step_id(st, version, HERR_STALE);
}

int
cases__set_state(struct db_conn *c, int64_t tenant, int64_t id, const char *state, int refer_level,
                 int64_t expect_version, int64_t *version)
{
	struct db_stmt *st = db_prepare(c, sql_case_state);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, state);
	db_bind_int(st, 4, refer_level);
	db_bind_int(st, 5, time_now());
	db_bind_int(st, 6, expect_version);
	return db_step_id(st, version, HERR_STALE);
}

DB_EACH_ROW(case_each, struct case_row, row_to_case)

/* Steps a bound statement of case rows (CASE_COLS) to its end, calling fn per row. */
static int
case_rows(struct db_stmt *st, void (*fn)(const struct case_row *, void *), void *arg)
{
	return db_step_each(st, case_each, &(struct case_each){fn, arg});
}

int
cases_list(struct db_conn *c, int64_t tenant, int64_t caseworker_id, int64_t person_id,
           int64_t unassigned_unit, int limit, void (*fn)(const struct case_row *, void *),
           void *arg)
{
	const char *sql;
	int64_t key = 0;
	if (limit < 0) /* PostgreSQL refuses a negative LIMIT, SQLite reads it as none */
		return HERR_INVALID;
	if (caseworker_id > 0) {
		sql = sql_list_queue;
		key = caseworker_id;
	} else if (person_id > 0) {
		sql = sql_list_person;
		key = person_id;
	} else if (unassigned_unit > 0) {
		sql = sql_list_unit;
		key = unassigned_unit;
	} else if (unassigned_unit == 0) {
		sql = sql_list_no_unit;
	} else {
		return HERR_INVALID;
	}
	struct db_stmt *st = db_prepare(c, sql);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	if (key) {
		db_bind_int(st, 2, key);
		db_bind_int(st, 3, limit);
	} else {
		db_bind_int(st, 2, limit);
	}
	return case_rows(st, fn, arg);
}

int
cases__request_insert(struct db_conn *c, int64_t tenant, int64_t case_id,
                      const struct case_request *r)
{
	struct db_stmt *st = db_prepare(c, sql_request_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, case_id);
	db_bind_text(st, 3, r->service);
	if (r->hours > 0)
		db_bind_int(st, 4, r->hours);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, r->description);
	return db_step_done(st);
}

/* Reads a row of cases_requests into out, a struct case_request. */
static void
request_row(struct db_stmt *st, void *out)
{
	struct case_request *r = out;
	memset(r, 0, sizeof *r);
	db_col_copy(st, 0, r->service, sizeof r->service);
	r->hours = (int)db_col_int(st, 1);
	db_col_copy(st, 2, r->description, sizeof r->description);
}

DB_EACH_ROW(request_each, struct case_request, request_row)

int
cases_requests(struct db_conn *c, int64_t tenant, int64_t case_id,
               void (*fn)(const struct case_request *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_requests);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, case_id);
	return db_step_each(st, request_each, &(struct request_each){fn, arg});
}

int
cases__event_insert(struct db_conn *c, int64_t tenant, int64_t case_id,
                    const struct audit_entry *who, const char *kind, const char *from,
                    const char *to, const char *detail)
{
	struct db_stmt *st = db_prepare(c, sql_event_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, case_id);
	db_bind_int(st, 3, time_now());
	db_bind_opt_int(st, 4, who->user_id);
	db_bind_text(st, 5, who->username ? who->username : "system");
	db_bind_text(st, 6, kind);
	db_bind_opt_text(st, 7, from);
	db_bind_opt_text(st, 8, to);
	db_bind_text(st, 9, detail ? detail : "");
	return db_step_done(st);
}

/* Reads a row of cases_events into out, a struct case_event. */
static void
event_row(struct db_stmt *st, void *out)
{
	struct case_event *ev = out;
	memset(ev, 0, sizeof *ev);
	ev->id = db_col_int(st, 0);
	ev->at = db_col_int(st, 1);
	ev->user_id = db_col_int(st, 2);
	db_col_copy(st, 3, ev->username, sizeof ev->username);
	db_col_copy(st, 4, ev->kind, sizeof ev->kind);
	db_col_copy(st, 5, ev->from_state, sizeof ev->from_state);
	db_col_copy(st, 6, ev->to_state, sizeof ev->to_state);
	db_col_copy(st, 7, ev->detail, sizeof ev->detail);
}

DB_EACH_ROW(event_each, struct case_event, event_row)

int
cases_events(struct db_conn *c, int64_t tenant, int64_t case_id,
             void (*fn)(const struct case_event *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_events);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, case_id);
	return db_step_each(st, event_each, &(struct event_each){fn, arg});
}

/* ---- journal ------------------------------------------------------------------------- */

/* Reads a note row into out, a struct note. */
static void
row_to_note(struct db_stmt *st, void *out)
{
	struct note *n = out;
	memset(n, 0, sizeof *n);
	n->id = db_col_int(st, 0);
	n->case_id = db_col_int(st, 1);
	n->author_id = db_col_int(st, 2);
	n->corrects_id = db_col_int(st, 3);
	n->signed_at = db_col_int(st, 4);
	n->version = db_col_int(st, 5);
	n->created_at = db_col_int(st, 6);
	db_col_copy(st, 7, n->author_name, sizeof n->author_name);
	db_col_copy(st, 8, n->body, sizeof n->body);
}

int
cases__note_insert(struct db_conn *c, int64_t tenant, struct note *n)
{
	struct db_stmt *st = db_prepare(c, sql_note_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, n->case_id);
	db_bind_int(st, 3, n->author_id);
	db_bind_text(st, 4, n->author_name);
	db_bind_text(st, 5, n->body);
	db_bind_opt_int(st, 6, n->corrects_id);
	db_bind_int(st, 7, n->created_at);
	return db_step_id(st, &n->id, HERR_DB);
}

int
cases_note_get(struct db_conn *c, int64_t tenant, int64_t note_id, struct note *out)
{
	struct db_stmt *st = db_prepare(c, sql_note_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, note_id);
	db_bind_int(st, 2, tenant);
	return db_step_one(st, row_to_note, out);
}

DB_EACH_ROW(note_each, struct note, row_to_note)

int
cases_notes(struct db_conn *c, int64_t tenant, int64_t case_id,
            void (*fn)(const struct note *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_notes);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, case_id);
	return db_step_each(st, note_each, &(struct note_each){fn, arg});
}

int
cases__note_update(struct db_conn *c, int64_t tenant, int64_t id, const char *body,
                   int64_t expect_version, int64_t *version)
{
	struct db_stmt *st = db_prepare(c, sql_note_update);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, body);
	db_bind_int(st, 4, time_now());
	db_bind_int(st, 5, expect_version);
	return db_step_id(st, version, HERR_STALE);
}

int
cases__note_sign(struct db_conn *c, int64_t tenant, int64_t id, int64_t at)
{
	struct db_stmt *st = db_prepare(c, sql_note_sign);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, at);
	return db_step_id(st, NULL, HERR_STALE);
}

/* ---- assessments --------------------------------------------------------------------- */

int
cases__assessment_insert(struct db_conn *c, int64_t tenant, struct assessment *a, int64_t user_id)
{
	struct db_stmt *st = db_prepare(c, sql_assessment_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, a->case_id);
	db_bind_text(st, 3, a->life_area);
	db_bind_text(st, 4, a->source);
	db_bind_text(st, 5, a->functioning);
	db_bind_text(st, 6, a->own_view);
	db_bind_text(st, 7, a->goal);
	db_bind_opt_int(st, 8, user_id);
	db_bind_int(st, 9, time_now());
	return db_step_id(st, &a->id, HERR_DB);
}

/* Reads a row of cases_assessments into out, a struct assessment. */
static void
assessment_row(struct db_stmt *st, void *out)
{
	struct assessment *a = out;
	memset(a, 0, sizeof *a);
	a->id = db_col_int(st, 0);
	a->case_id = db_col_int(st, 1);
	db_col_copy(st, 2, a->life_area, sizeof a->life_area);
	db_col_copy(st, 3, a->source, sizeof a->source);
	db_col_copy(st, 4, a->functioning, sizeof a->functioning);
	db_col_copy(st, 5, a->own_view, sizeof a->own_view);
	db_col_copy(st, 6, a->goal, sizeof a->goal);
}

DB_EACH_ROW(assessment_each, struct assessment, assessment_row)

int
cases_assessments(struct db_conn *c, int64_t tenant, int64_t case_id,
                  void (*fn)(const struct assessment *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_assessments);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, case_id);
	return db_step_each(st, assessment_each, &(struct assessment_each){fn, arg});
}

/* ---- decisions ----------------------------------------------------------------------- */

/* Reads a decision row into out, a struct decision. */
static void
row_to_decision(struct db_stmt *st, void *out)
{
	struct decision *d = out;
	memset(d, 0, sizeof *d);
	d->id = db_col_int(st, 0);
	d->case_id = db_col_int(st, 1);
	d->person_id = db_col_int(st, 2);
	d->decided_by = db_col_int(st, 3);
	d->replaces_id = db_col_int(st, 4);
	d->replaced_by = db_col_int(st, 5);
	d->created_at = db_col_int(st, 6);
	db_col_copy(st, 7, d->service, sizeof d->service);
	db_col_copy(st, 8, d->outcome, sizeof d->outcome);
	d->hours = col_hours(st, 9);
	d->hours_day = col_hours(st, 10);
	d->hours_evening = col_hours(st, 11);
	d->hours_night = col_hours(st, 12);
	d->hours_weekend = col_hours(st, 13);
	db_col_copy(st, 14, d->start_date, sizeof d->start_date);
	db_col_copy(st, 15, d->end_date, sizeof d->end_date);
	db_col_copy(st, 16, d->goals, sizeof d->goals);
	db_col_copy(st, 17, d->legal_basis, sizeof d->legal_basis);
	db_col_copy(st, 18, d->reasoning, sizeof d->reasoning);
	db_col_copy(st, 19, d->decided_by_name, sizeof d->decided_by_name);
	d->decided_level = (int)db_col_int(st, 20);
	db_col_copy(st, 21, d->delegation_point, sizeof d->delegation_point);
	db_col_copy(st, 22, d->decision_date, sizeof d->decision_date);
	db_col_copy(st, 23, d->followup_date, sizeof d->followup_date);
	db_col_copy(st, 24, d->executed_date, sizeof d->executed_date);
	db_col_copy(st, 25, d->closed_date, sizeof d->closed_date);
	db_col_copy(st, 26, d->closed_reason, sizeof d->closed_reason);
	db_col_copy(st, 27, d->closed_note, sizeof d->closed_note);
}

int
cases__decision_insert(struct db_conn *c, int64_t tenant, struct decision *d)
{
	struct db_stmt *st = db_prepare(c, sql_decision_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, d->case_id);
	db_bind_int(st, 3, d->person_id);
	db_bind_text(st, 4, d->service);
	db_bind_text(st, 5, d->outcome);
	bind_hours(st, 6, d->hours);
	bind_hours(st, 7, d->hours_day);
	bind_hours(st, 8, d->hours_evening);
	bind_hours(st, 9, d->hours_night);
	bind_hours(st, 10, d->hours_weekend);
	db_bind_opt_text(st, 11, d->start_date);
	db_bind_opt_text(st, 12, d->end_date);
	db_bind_text(st, 13, d->goals);
	db_bind_text(st, 14, d->legal_basis);
	db_bind_text(st, 15, d->reasoning);
	db_bind_int(st, 16, d->decided_by);
	db_bind_text(st, 17, d->decided_by_name);
	db_bind_int(st, 18, d->decided_level);
	db_bind_text(st, 19, d->delegation_point);
	db_bind_text(st, 20, d->decision_date);
	db_bind_opt_text(st, 21, d->followup_date);
	db_bind_opt_int(st, 22, d->replaces_id);
	db_bind_int(st, 23, d->created_at);
	return db_step_id(st, &d->id, HERR_DB);
}

int
cases_decision_get(struct db_conn *c, int64_t tenant, int64_t id, struct decision *out)
{
	struct db_stmt *st = db_prepare(c, sql_decision_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	return db_step_one(st, row_to_decision, out);
}

DB_EACH_ROW(decision_each, struct decision, row_to_decision)

int
cases_decisions(struct db_conn *c, int64_t tenant, int64_t case_id,
                void (*fn)(const struct decision *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_decisions);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, case_id);
	return db_step_each(st, decision_each, &(struct decision_each){fn, arg});
}

int
cases__decision_replaced(struct db_conn *c, int64_t tenant, int64_t id, int64_t by)
{
	struct db_stmt *st = db_prepare(c, sql_decision_replaced);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	db_bind_int(st, 3, by);
	return db_step_id(st, NULL, HERR_RULE);
}

int
cases__decision_executed(struct db_conn *c, int64_t tenant, int64_t id, const char *date)
{
	struct db_stmt *st = db_prepare(c, sql_decision_executed);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, date);
	return db_step_id(st, NULL, HERR_RULE);
}

static void
row_to_executed(struct db_stmt *st, void *out)
{
	struct executed_row *e = out;
	e->id = db_col_int(st, 0);
	e->case_id = db_col_int(st, 1);
	e->person_id = db_col_int(st, 2);
	db_col_copy(st, 3, e->service, sizeof e->service);
}

int
cases__decision_executed_if_open(struct db_conn *c, int64_t tenant, int64_t id, const char *date,
                                 struct executed_row *out)
{
	struct db_stmt *st = db_prepare(c, sql_decision_executed_if_open);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, date);
	return db_step_one(st, row_to_executed, out);
}

int
cases__decision_close(struct db_conn *c, int64_t tenant, int64_t id, const char *date,
                      const char *reason, const char *note)
{
	struct db_stmt *st = db_prepare(c, sql_decision_close);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, date);
	db_bind_text(st, 4, reason);
	db_bind_opt_text(st, 5, note);
	return db_step_id(st, NULL, HERR_CONFLICT);
}

/* ---- interruptions ------------------------------------------------------------------- */

static void
row_to_interruption(struct db_stmt *st, void *out)
{
	struct interruption *i = out;
	memset(i, 0, sizeof *i);
	i->id = db_col_int(st, 0);
	i->decision_id = db_col_int(st, 1);
	i->case_id = db_col_int(st, 2);
	i->person_id = db_col_int(st, 3);
	i->created_by = db_col_int(st, 4);
	i->created_at = db_col_int(st, 5);
	db_col_copy(st, 6, i->from_date, sizeof i->from_date);
	db_col_copy(st, 7, i->reason, sizeof i->reason);
	db_col_copy(st, 8, i->resumed_date, sizeof i->resumed_date);
	db_col_copy(st, 9, i->delay_reason, sizeof i->delay_reason);
}

DB_EACH_ROW(interruption_each, struct interruption, row_to_interruption)

int
cases__interruption_insert(struct db_conn *c, int64_t tenant, struct interruption *i)
{
	struct db_stmt *st = db_prepare(c, sql_interruption_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, i->decision_id);
	db_bind_int(st, 3, i->case_id);
	db_bind_int(st, 4, i->person_id);
	db_bind_text(st, 5, i->from_date);
	db_bind_text(st, 6, i->reason);
	db_bind_int(st, 7, i->created_by);
	db_bind_int(st, 8, i->created_at);
	return db_step_id(st, &i->id, HERR_DB);
}

int
cases_interruption_get(struct db_conn *c, int64_t tenant, int64_t id, struct interruption *out)
{
	struct db_stmt *st = db_prepare(c, sql_interruption_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	return db_step_one(st, row_to_interruption, out);
}

int
cases_interruption_open(struct db_conn *c, int64_t tenant, int64_t decision_id,
                        struct interruption *out)
{
	struct db_stmt *st = db_prepare(c, sql_interruption_open);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, decision_id);
	return db_step_one(st, row_to_interruption, out);
}

/* Steps a statement bound to (tenant, id) to its end, calling fn per interruption. */
static int
interruption_rows(struct db_conn *c, const char *sql, int64_t tenant, int64_t id,
                  void (*fn)(const struct interruption *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	return db_step_each(st, interruption_each, &(struct interruption_each){fn, arg});
}

int
cases_interruptions(struct db_conn *c, int64_t tenant, int64_t case_id,
                    void (*fn)(const struct interruption *, void *), void *arg)
{
	return interruption_rows(c, sql_interruptions_case, tenant, case_id, fn, arg);
}

int
cases_decision_interruptions(struct db_conn *c, int64_t tenant, int64_t decision_id,
                             void (*fn)(const struct interruption *, void *), void *arg)
{
	return interruption_rows(c, sql_interruptions_decision, tenant, decision_id, fn, arg);
}

/* Runs an UPDATE … RETURNING id bound to (tenant, id, text); none when no row changed. */
static int
update_text(struct db_conn *c, const char *sql, int64_t tenant, int64_t id, const char *text,
            int none)
{
	struct db_stmt *st = db_prepare(c, sql);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, text);
	return db_step_id(st, NULL, none);
}

int
cases__interruption_resume(struct db_conn *c, int64_t tenant, int64_t id, const char *date)
{
	return update_text(c, sql_interruption_resume, tenant, id, date, HERR_CONFLICT);
}

int
cases__interruption_delay_reason(struct db_conn *c, int64_t tenant, int64_t id, const char *reason)
{
	return update_text(c, sql_interruption_delay, tenant, id, reason, HERR_NOT_FOUND);
}

/* ---- reports ------------------------------------------------------------------------- */

/*
 * The statements of the reports (report.c): a decision with its case, service and the
 * person's number. The joins stay within the tenant; the catalogue is joined loosely so that a
 * decision still shows when its service has left the catalogue. Statements are kept here with
 * their own row mapping so the rest of this file stays as it is (struct report_row is in
 * report.h, included through cases_private.h).
 */

/* The columns of a report row, with the statement of a delay taken from delay (the decision's
 * for trigger A, the interruption's for trigger B). */
#define REPORT_COLS_DELAY(delay)                                                                   \
	"d.id, d.case_id, d.person_id, d.replaced_by, c.case_number, c.state, c.received_date,"    \
	" d.service_code, s.name, s.law, d.outcome, d.decision_date, d.executed_date,"             \
	" d.start_date, d.end_date, d.followup_date, d.decided_by_name, d.decided_level,"          \
	" d.delegation_point, " delay ", p.pnr, d.closed_date, d.closed_reason, d.closed_note"
#define REPORT_COLS REPORT_COLS_DELAY("d.delay_reason")
#define REPORT_FROM                                                                                \
	" FROM decisions d JOIN cases c ON c.id = d.case_id AND c.tenant_id = d.tenant_id"         \
	" JOIN persons p ON p.id = d.person_id AND p.tenant_id = d.tenant_id"                      \
	" LEFT JOIN services s ON s.tenant_id = d.tenant_id AND s.code = d.service_code"

/* Candidates of the quarter report, by the index decisions_date: decided on or before $2 (the
 * latest date whose three months can have run out in the quarter), granted, and neither
 * executed nor closed without execution before the quarter's first day $3 (conditions on the
 * row the range scan reads, no other index needed). cases_reportable decides among them. */
static const char sql_report_unexecuted[] =
    "SELECT " REPORT_COLS REPORT_FROM " WHERE d.tenant_id = $1 AND d.decision_date <= $2"
    " AND d.outcome IN ('granted', 'partly_granted')"
    " AND (d.executed_date IS NULL OR d.executed_date >= $3)"
    " AND (d.closed_date IS NULL OR d.closed_date >= $3)"
    " ORDER BY d.decision_date, d.id";
/* Candidates of trigger B, by the index decision_interruptions_from: interruptions that began
 * on or before $2, neither resumed nor ended by their decision's closing before the quarter's
 * first day $3. cases_reportable decides among them. */
static const char sql_report_interrupted[] = "SELECT " REPORT_COLS_DELAY(
    "i.delay_reason") ", i.id, i.from_date, i.reason,"
                      " i.resumed_date FROM decision_interruptions i"
                      " JOIN decisions d ON d.id = i.decision_id AND d.tenant_id = i.tenant_id"
                      " JOIN cases c ON c.id = d.case_id AND c.tenant_id = d.tenant_id"
                      " JOIN persons p ON p.id = d.person_id AND p.tenant_id = d.tenant_id"
                      " LEFT JOIN services s ON s.tenant_id = d.tenant_id AND s.code = "
                      "d.service_code"
                      " WHERE i.tenant_id = $1 AND i.from_date <= $2"
                      " AND (i.resumed_date IS NULL OR i.resumed_date >= $3)"
                      " AND (d.closed_date IS NULL OR d.closed_date >= $3)"
                      " ORDER BY i.from_date, i.id";
static const char sql_report_period[] =
    "SELECT " REPORT_COLS REPORT_FROM " WHERE d.tenant_id = $1 AND d.decision_date >= $2"
    " AND d.decision_date <= $3 ORDER BY d.decision_date, d.id LIMIT $4";
/* Driven by the caseworker's open cases (index cases_queue), then their decisions in force (not
 * replaced, refused or closed without execution). */
static const char sql_report_followups[] =
    "SELECT " REPORT_COLS REPORT_FROM " WHERE c.tenant_id = $1 AND c.caseworker_id = $2"
    " AND c.state <> 'closed' AND c.state <> 'withdrawn' AND d.replaced_by IS NULL"
    " AND d.outcome <> 'refused' AND d.closed_date IS NULL"
    " AND (d.followup_date <= $3 OR (d.end_date >= $4 AND d.end_date <= $3))"
    " ORDER BY COALESCE(d.followup_date, d.end_date), d.id LIMIT $5";
static const char sql_decision_delay_reason[] =
    "UPDATE decisions SET delay_reason = $3 WHERE tenant_id = $1 AND id = $2"
    " AND outcome <> 'refused' RETURNING id";

/* Reads a report row (REPORT_COLS) into out, a struct report_row. */
static void
row_to_report(struct db_stmt *st, void *out)
{
	struct report_row *r = out;
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, 0);
	r->case_id = db_col_int(st, 1);
	r->person_id = db_col_int(st, 2);
	r->replaced_by = db_col_int(st, 3);
	db_col_copy(st, 4, r->case_number, sizeof r->case_number);
	db_col_copy(st, 5, r->case_state, sizeof r->case_state);
	db_col_copy(st, 6, r->received_date, sizeof r->received_date);
	db_col_copy(st, 7, r->service, sizeof r->service);
	if (db_col_null(st, 8))
		snprintf(r->service_name, sizeof r->service_name, "%s", r->service);
	else
		db_col_copy(st, 8, r->service_name, sizeof r->service_name);
	db_col_copy(st, 9, r->law, sizeof r->law);
	db_col_copy(st, 10, r->outcome, sizeof r->outcome);
	db_col_copy(st, 11, r->decision_date, sizeof r->decision_date);
	db_col_copy(st, 12, r->executed_date, sizeof r->executed_date);
	db_col_copy(st, 13, r->start_date, sizeof r->start_date);
	db_col_copy(st, 14, r->end_date, sizeof r->end_date);
	db_col_copy(st, 15, r->followup_date, sizeof r->followup_date);
	db_col_copy(st, 16, r->decided_by_name, sizeof r->decided_by_name);
	r->decided_level = (int)db_col_int(st, 17);
	db_col_copy(st, 18, r->delegation_point, sizeof r->delegation_point);
	db_col_copy(st, 19, r->delay_reason, sizeof r->delay_reason);
	db_col_copy(st, 20, r->pnr, sizeof r->pnr);
	db_col_copy(st, 21, r->closed_date, sizeof r->closed_date);
	db_col_copy(st, 22, r->closed_reason, sizeof r->closed_reason);
	db_col_copy(st, 23, r->closed_note, sizeof r->closed_note);
}

DB_EACH_ROW(report_each, struct report_row, row_to_report)

/* Steps a bound report statement to its end, calling fn per row. */
static int
report_rows(struct db_stmt *st, void (*fn)(const struct report_row *, void *), void *arg)
{
	return db_step_each(st, report_each, &(struct report_each){fn, arg});
}

int
cases__report_unexecuted(struct db_conn *c, int64_t tenant, const char *latest, const char *since,
                         void (*fn)(const struct report_row *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_report_unexecuted);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_text(st, 2, latest);
	db_bind_text(st, 3, since);
	return report_rows(st, fn, arg);
}

/* Reads a row of sql_report_interrupted into out, a struct report_unexecuted. */
static void
row_to_interrupted(struct db_stmt *st, void *out)
{
	struct report_unexecuted *u = out;
	memset(u, 0, sizeof *u);
	row_to_report(st, &u->d);
	u->kind = REPORT_INTERRUPTED;
	u->in.id = db_col_int(st, 24);
	db_col_copy(st, 25, u->in.from_date, sizeof u->in.from_date);
	db_col_copy(st, 26, u->in.reason, sizeof u->in.reason);
	db_col_copy(st, 27, u->in.resumed_date, sizeof u->in.resumed_date);
}

DB_EACH_ROW(interrupted_each, struct report_unexecuted, row_to_interrupted)

int
cases__report_interrupted(struct db_conn *c, int64_t tenant, const char *latest, const char *since,
                          void (*fn)(const struct report_unexecuted *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_report_interrupted);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_text(st, 2, latest);
	db_bind_text(st, 3, since);
	return db_step_each(st, interrupted_each, &(struct interrupted_each){fn, arg});
}

int
cases__report_period(struct db_conn *c, int64_t tenant, const char *from, const char *to, int limit,
                     void (*fn)(const struct report_row *, void *), void *arg)
{
	if (limit < 0)
		return HERR_INVALID;
	struct db_stmt *st = db_prepare(c, sql_report_period);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, to);
	db_bind_int(st, 4, limit);
	return report_rows(st, fn, arg);
}

int
cases__report_followups(struct db_conn *c, int64_t tenant, int64_t caseworker, const char *today,
                        const char *horizon, int limit,
                        void (*fn)(const struct report_row *, void *), void *arg)
{
	if (limit < 0)
		return HERR_INVALID;
	struct db_stmt *st = db_prepare(c, sql_report_followups);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, caseworker);
	db_bind_text(st, 3, horizon);
	db_bind_text(st, 4, today);
	db_bind_int(st, 5, limit);
	return report_rows(st, fn, arg);
}

int
cases__decision_delay_reason(struct db_conn *c, int64_t tenant, int64_t id, const char *reason)
{
	struct db_stmt *st = db_prepare(c, sql_decision_delay_reason);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, reason);
	return db_step_id(st, NULL, HERR_RULE);
}

/* ---- pages ---------------------------------------------------------------------------- */

/*
 * The persons a representative acts for today (Mina sidor, the application form): the same
 * mandate as auth_person_access (a valid period on the day), by the index representatives_rep.
 * The page checks each person again with cases_access before it shows anything.
 */
static const char sql_principals[] =
    "SELECT DISTINCT person_id FROM representatives WHERE tenant_id = $1 AND rep_person_id = $2"
    " AND valid_from <= $3 AND (valid_to IS NULL OR valid_to >= $3) ORDER BY person_id LIMIT $4";

/* The callback of cases__principals and its argument. */
struct principal_each {
	void (*fn)(int64_t person_id, void *); /* the caller's callback */
	void *arg;                             /* its argument */
};

static int
principal_each(struct db_stmt *st, void *arg)
{
	const struct principal_each *e = arg;
	e->fn(db_col_int(st, 0), e->arg);
	return 0;
}

int
cases__principals(struct db_conn *c, int64_t tenant, int64_t rep_person_id, const char *today,
                  int limit, void (*fn)(int64_t person_id, void *), void *arg)
{
	if (limit < 0)
		return HERR_INVALID;
	struct db_stmt *st = db_prepare(c, sql_principals);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, rep_person_id);
	db_bind_text(st, 3, today);
	db_bind_int(st, 4, limit);
	return db_step_each(st, principal_each, &(struct principal_each){fn, arg});
}

int
cases_principals(struct db_conn *c, int64_t tenant, int64_t rep_person_id, int limit,
                 void (*fn)(int64_t person_id, void *), void *arg)
{
	char today[11];
	time_today(today);
	return cases__principals(c, tenant, rep_person_id, today, limit, fn, arg);
}

/* ---- manager pages -------------------------------------------------------------------- */

/* The cases whose decision waits for a higher level, by the index cases_referred (0004):
 * one level ($2), or every level above none. What must be decided first stands first. */
static const char sql_list_referred_level[] =
    "SELECT " CASE_COLS " FROM cases WHERE tenant_id = $1 AND refer_level = $2" CASE_OPEN
    " ORDER BY due_date, id LIMIT $3";
static const char sql_list_referred_all[] =
    "SELECT " CASE_COLS " FROM cases WHERE tenant_id = $1 AND refer_level > 0" CASE_OPEN
    " ORDER BY due_date, id LIMIT $2";

int
cases_list_referred(struct db_conn *c, int64_t tenant, int level, int limit,
                    void (*fn)(const struct case_row *, void *), void *arg)
{
	if (limit < 0 || level < 0)
		return HERR_INVALID;
	struct db_stmt *st = db_prepare(c, level ? sql_list_referred_level : sql_list_referred_all);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	if (level) {
		db_bind_int(st, 2, level);
		db_bind_int(st, 3, limit);
	} else {
		db_bind_int(st, 2, limit);
	}
	return case_rows(st, fn, arg);
}

/* ---- investigations ------------------------------------------------------------------ */

static const char sql_inv_template_insert[] =
    "INSERT INTO investigation_templates (tenant_id, code, name, law, created_at)"
    " VALUES ($1, $2, $3, $4, $5) RETURNING id";
static const char sql_inv_section_insert[] =
    "INSERT INTO template_sections (tenant_id, template_id, position, heading, guidance,"
    " required) VALUES ($1, $2, $3, $4, $5, $6)";
static const char sql_inv_templates[] =
    "SELECT t.id, t.code, t.name, t.law, s.id, s.position, s.required, s.heading, s.guidance"
    " FROM investigation_templates t JOIN template_sections s ON s.template_id = t.id"
    " AND s.tenant_id = t.tenant_id WHERE t.tenant_id = $1 ORDER BY t.id DESC, s.position";
static const char sql_inv_template_by_code[] =
    "SELECT id, code, name, law FROM investigation_templates WHERE tenant_id = $1 AND code = $2";
static const char sql_inv_template_by_law[] =
    "SELECT id, code, name, law FROM investigation_templates WHERE tenant_id = $1 AND law = $2"
    " ORDER BY id DESC LIMIT 1";
#define INV_COLS                                                                                   \
	"i.id, i.tenant_id, i.case_id, i.template_id, i.version, i.created_at, i.updated_at,"      \
	" t.code, t.name, i.plan, i.planned_visit"
static const char sql_investigation_get[] =
    "SELECT " INV_COLS " FROM investigations i JOIN investigation_templates t"
    " ON t.id = i.template_id WHERE i.tenant_id = $1 AND i.case_id = $2";
static const char sql_investigation_sections[] =
    "SELECT s.id, s.position, s.required, s.heading, s.guidance, x.body"
    " FROM template_sections s LEFT JOIN investigation_sections x ON x.section_id = s.id"
    " AND x.investigation_id = $2 AND x.tenant_id = $1"
    " WHERE s.tenant_id = $1 AND s.template_id = $3 ORDER BY s.position";
static const char sql_investigation_insert[] =
    "INSERT INTO investigations (tenant_id, case_id, template_id, plan, planned_visit, version,"
    " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id";
/* Every change of the investigation moves its version, the sections' texts included. */
static const char sql_investigation_touch[] =
    "UPDATE investigations SET version = version + 1, updated_at = $3 WHERE tenant_id = $1"
    " AND id = $2 AND version = $4 RETURNING version";
static const char sql_investigation_plan[] =
    "UPDATE investigations SET plan = $3, planned_visit = $4, version = version + 1,"
    " updated_at = $5 WHERE tenant_id = $1 AND id = $2 AND version = $6 RETURNING version";
static const char sql_inv_section_of[] =
    "SELECT id FROM template_sections WHERE tenant_id = $1 AND id = $2 AND template_id = $3";
static const char sql_inv_text_update[] =
    "UPDATE investigation_sections SET body = $4, updated_at = $5 WHERE tenant_id = $1"
    " AND investigation_id = $2 AND section_id = $3 RETURNING id";
static const char sql_inv_text_insert[] =
    "INSERT INTO investigation_sections (tenant_id, investigation_id, section_id, body,"
    " updated_at) VALUES ($1, $2, $3, $4, $5)";

int
cases__inv_template_insert(struct db_conn *c, int64_t tenant, struct inv_template *t)
{
	struct db_stmt *st = db_prepare(c, sql_inv_template_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_text(st, 2, t->code);
	db_bind_text(st, 3, t->name);
	db_bind_text(st, 4, t->law);
	db_bind_int(st, 5, time_now());
	return db_step_id(st, &t->id, HERR_DB);
}

int
cases__inv_section_insert(struct db_conn *c, int64_t tenant, int64_t template_id,
                          const struct inv_section *s)
{
	struct db_stmt *st = db_prepare(c, sql_inv_section_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, template_id);
	db_bind_int(st, 3, s->position);
	db_bind_text(st, 4, s->heading);
	db_bind_text(st, 5, s->guidance);
	db_bind_int(st, 6, s->required);
	return db_step_done(st);
}

/* Reads a template row into out, a struct inv_template. */
static void
row_to_template(struct db_stmt *st, void *out)
{
	struct inv_template *t = out;
	memset(t, 0, sizeof *t);
	t->id = db_col_int(st, 0);
	db_col_copy(st, 1, t->code, sizeof t->code);
	db_col_copy(st, 2, t->name, sizeof t->name);
	db_col_copy(st, 3, t->law, sizeof t->law);
}

/* Reads a section from column col on: id, position, required, heading, guidance[, body]. */
static void
row_to_section(struct db_stmt *st, int col, bool body, struct inv_section *s)
{
	memset(s, 0, sizeof *s);
	s->id = db_col_int(st, col);
	s->position = (int)db_col_int(st, col + 1);
	s->required = db_col_int(st, col + 2) != 0;
	db_col_copy(st, col + 3, s->heading, sizeof s->heading);
	db_col_copy(st, col + 4, s->guidance, sizeof s->guidance);
	if (body && !db_col_null(st, col + 5))
		db_col_copy(st, col + 5, s->body, sizeof s->body);
}

int
cases_inv_templates(struct db_conn *c, int64_t tenant,
                    void (*fn)(const struct inv_template *, const struct inv_section *, void *),
                    void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_inv_templates);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	struct inv_section *s = xcalloc(1, sizeof *s);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		struct inv_template t;
		row_to_template(st, &t);
		row_to_section(st, 4, false, s);
		fn(&t, s, arg);
	}
	db_reset(st);
	free(s);
	return rc < 0 ? rc : 0;
}

int
cases_inv_template_get(struct db_conn *c, int64_t tenant, const char *code, const char *law,
                       struct inv_template *out)
{
	bool by_code = code && *code;
	struct db_stmt *st =
	    db_prepare(c, by_code ? sql_inv_template_by_code : sql_inv_template_by_law);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_text(st, 2, by_code ? code : law);
	return db_step_one(st, row_to_template, out);
}

/* Reads an investigation row into out, a struct investigation. */
static void
row_to_investigation(struct db_stmt *st, void *out)
{
	struct investigation *inv = out;
	memset(out, 0, sizeof *out);
	inv->id = db_col_int(st, 0);
	inv->tenant_id = db_col_int(st, 1);
	inv->case_id = db_col_int(st, 2);
	inv->template_id = db_col_int(st, 3);
	inv->version = db_col_int(st, 4);
	inv->created_at = db_col_int(st, 5);
	inv->updated_at = db_col_int(st, 6);
	db_col_copy(st, 7, inv->template_code, sizeof inv->template_code);
	db_col_copy(st, 8, inv->template_name, sizeof inv->template_name);
	db_col_copy(st, 9, inv->plan, sizeof inv->plan);
	if (!db_col_null(st, 10))
		db_col_copy(st, 10, inv->planned_visit, sizeof inv->planned_visit);
}

int
cases_investigation_get(struct db_conn *c, int64_t tenant, int64_t case_id,
                        struct investigation *out)
{
	struct db_stmt *st = db_prepare(c, sql_investigation_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, case_id);
	return db_step_one(st, row_to_investigation, out);
}

int
cases_investigation_sections(struct db_conn *c, const struct investigation *inv,
                             void (*fn)(const struct inv_section *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_investigation_sections);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, inv->tenant_id);
	db_bind_int(st, 2, inv->id);
	db_bind_int(st, 3, inv->template_id);
	struct inv_section *s = xcalloc(1, sizeof *s);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		row_to_section(st, 0, true, s);
		fn(s, arg);
	}
	db_reset(st);
	free(s);
	return rc < 0 ? rc : 0;
}

int
cases__investigation_insert(struct db_conn *c, struct investigation *inv)
{
	struct db_stmt *st = db_prepare(c, sql_investigation_insert);
	if (!st)
		return HERR_DB;
	int64_t now = time_now();
	db_bind_int(st, 1, inv->tenant_id);
	db_bind_int(st, 2, inv->case_id);
	db_bind_int(st, 3, inv->template_id);
	db_bind_text(st, 4, inv->plan);
	if (inv->planned_visit[0])
		db_bind_text(st, 5, inv->planned_visit);
	else
		db_bind_null(st, 5);
	db_bind_int(st, 6, now);
	int rc = db_step_id(st, &inv->id, HERR_DB);
	if (rc == 0) {
		inv->version = 1;
		inv->created_at = inv->updated_at = now;
	}
	return rc;
}

int
cases__investigation_touch(struct db_conn *c, struct investigation *inv, bool set_plan)
{
	struct db_stmt *st =
	    db_prepare(c, set_plan ? sql_investigation_plan : sql_investigation_touch);
	if (!st)
		return HERR_DB;
	int64_t now = time_now();
	db_bind_int(st, 1, inv->tenant_id);
	db_bind_int(st, 2, inv->id);
	if (set_plan) {
		db_bind_text(st, 3, inv->plan);
		if (inv->planned_visit[0])
			db_bind_text(st, 4, inv->planned_visit);
		else
			db_bind_null(st, 4);
		db_bind_int(st, 5, now);
		db_bind_int(st, 6, inv->version);
	} else {
		db_bind_int(st, 3, now);
		db_bind_int(st, 4, inv->version);
	}
	int rc = db_step_id(st, &inv->version, HERR_STALE);
	if (rc == 0)
		inv->updated_at = now;
	return rc;
}

int
cases__investigation_text(struct db_conn *c, const struct investigation *inv, int64_t section_id,
                          const char *body)
{
	struct db_stmt *st = db_prepare(c, sql_inv_section_of);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, inv->tenant_id);
	db_bind_int(st, 2, section_id);
	db_bind_int(st, 3, inv->template_id);
	int rc = db_step_id(st, NULL, HERR_RULE);
	if (rc)
		return rc;
	int64_t now = time_now();
	if (!(st = db_prepare(c, sql_inv_text_update)))
		return HERR_DB;
	db_bind_int(st, 1, inv->tenant_id);
	db_bind_int(st, 2, inv->id);
	db_bind_int(st, 3, section_id);
	db_bind_text(st, 4, body);
	db_bind_int(st, 5, now);
	rc = db_step_one(st, NULL, NULL); /* an UPDATE ... RETURNING: no row, no text yet */
	if (rc != HERR_NOT_FOUND)
		return rc;
	if (!(st = db_prepare(c, sql_inv_text_insert)))
		return HERR_DB;
	db_bind_int(st, 1, inv->tenant_id);
	db_bind_int(st, 2, inv->id);
	db_bind_int(st, 3, section_id);
	db_bind_text(st, 4, body);
	db_bind_int(st, 5, now);
	return db_step_done(st);
}
