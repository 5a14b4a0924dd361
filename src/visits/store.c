/*
 * Every SQL statement of the time-reporting module (STYLE.md rule 15), with the row mapping and
 * the write jobs beside them. The schema is src/db/sql/0011_visits.sql.
 *
 * Visits (this first part): a report is one write job in its own savepoint of the group
 * commit (src/db/db.c db_write): the idempotency ledger is read first (the same key and
 * request give the stored answer and change nothing; another request under the key is a
 * conflict), then the period locks, the overlaps with stored visits of the staff member and of
 * the customer, and the visit, its ledger row and its audit record are written together. A
 * report acknowledged with 201 is therefore durable and audited, and a retried one is stored
 * once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assistance.h"
#include "audit/audit.h"
#include "base/calendar.h"
#include "base/err.h"
#include "base/json.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "bulk.h"
#include "cases/cases.h"
#include "db/db.h"
#include "settings/settings.h"
#include "visits.h"
#include "visits_private.h"

#define V_COLS                                                                                     \
	"v.id, v.tenant_id, v.provider_id, v.person_id, v.service_id, v.order_id,"                 \
	" v.staff_user_id, v.start_at, v.end_at, v.corrects_id, v.superseded_by, v.bulk_id,"       \
	" v.created_by, v.created_at, v.updated_at, v.deviation, v.planned_minutes,"               \
	" v.performed_minutes, v.spent_minutes, v.billable_minutes, v.payable_minutes, s.code,"    \
	" v.staff_ref, v.day, v.month, v.booked_month, v.source, v.state, v.reason,"               \
	" v.deviation_note, v.external_id"                                                         \
	" FROM visits v JOIN services s ON s.id = v.service_id"

static const char sql_insert[] =
    "INSERT INTO visits (tenant_id, provider_id, person_id, service_id, order_id, staff_ref,"
    " staff_user_id, start_at, end_at, day, month, booked_month, deviation, deviation_note,"
    " planned_minutes, performed_minutes, spent_minutes, billable_minutes, payable_minutes,"
    " source, reason, external_id, corrects_id, bulk_id, state, created_by, created_at,"
    " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,"
    " $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $27) RETURNING id";
static const char sql_get[] = "SELECT " V_COLS " WHERE v.id = $1 AND v.tenant_id = $2";
static const char sql_ledger[] =
    "SELECT request_sha256, status, response, visit_id FROM visit_reports"
    " WHERE tenant_id = $1 AND provider_id = $2 AND idempotency_key = $3";
static const char sql_ledger_insert[] =
    "INSERT INTO visit_reports (tenant_id, provider_id, idempotency_key, request_sha256,"
    " visit_id, status, response, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7,"
    " $8, $9)";
static const char sql_locks[] =
    "SELECT month FROM period_locks WHERE tenant_id = $1 AND provider_id = $2";
static const char sql_locked[] =
    "SELECT 1 FROM period_locks WHERE tenant_id = $1 AND provider_id = $2 AND month = $3";
/*
 * The stored visit of a staff member (or of a customer's service) that starts last before $5,
 * the end of a new one, and after $4 (its start less the longest visit), other than $6. Stored
 * visits of one staff member, and of one customer's service, never overlap each other (every
 * report is checked so), so a new [start, end) overlaps one of them exactly when it overlaps
 * this one: one index step per check, however many visits the day holds. A report without a
 * visit (done, no end) takes no time; an open visit counts as its first second.
 */
static const char sql_staff_spans[] =
    "SELECT id, start_at, end_at FROM visits WHERE tenant_id = $1 AND provider_id = $2"
    " AND staff_ref = $3 AND start_at > $4 AND start_at < $5 AND id <> $6"
    " AND (state = 'open' OR (state = 'done' AND end_at IS NOT NULL))"
    " ORDER BY start_at DESC LIMIT 1";
static const char sql_person_spans[] =
    "SELECT id, start_at, end_at FROM visits WHERE tenant_id = $1 AND person_id = $2"
    " AND service_id = $3 AND start_at > $4 AND start_at < $5 AND id <> $6"
    " AND (state = 'open' OR (state = 'done' AND end_at IS NOT NULL))"
    " ORDER BY start_at DESC LIMIT 1";
/* A visit of the staff member still open (checked in, not checked out) that started in
 * ($4, $5]: one that may still run at a new check-in at $5 (review 2026-11, finding 4). */
static const char sql_staff_open[] =
    "SELECT id FROM visits WHERE tenant_id = $1 AND provider_id = $2 AND staff_ref = $3"
    " AND start_at > $4 AND start_at <= $5 AND state = 'open' LIMIT 1";
static const char sql_check_out[] =
    "UPDATE visits SET end_at = $1, deviation = $2, deviation_note = $3,"
    " performed_minutes = $4, spent_minutes = $5, billable_minutes = $6, payable_minutes = $7,"
    " state = 'done', updated_at = $8 WHERE id = $9 AND tenant_id = $10 AND state = 'open'"
    " RETURNING id";
static const char sql_supersede[] =
    "UPDATE visits SET state = 'superseded', superseded_by = $1, updated_at = $2"
    " WHERE id = $3 AND tenant_id = $4 AND state = 'done' RETURNING id";
static const char sql_list_month[] =
    "SELECT " V_COLS " WHERE v.tenant_id = $1 AND (v.provider_id = $2 OR $2 = 0)"
    " AND (v.person_id = $3 OR $3 = 0) AND v.month = $4 AND v.id > $5 ORDER BY v.id LIMIT $6";
static const char sql_list_booked[] =
    "SELECT " V_COLS " WHERE v.tenant_id = $1 AND (v.provider_id = $2 OR $2 = 0)"
    " AND (v.person_id = $3 OR $3 = 0) AND v.booked_month = $4 AND v.id > $5"
    " ORDER BY v.id LIMIT $6";
static const char sql_gap_items[] =
    "SELECT deviation, planned_minutes, performed_minutes FROM visits"
    " WHERE tenant_id = $1 AND provider_id = $2 AND month = $3 AND person_id = $4"
    " AND order_id = $5 AND state = 'done'";
static const char sql_gap_adjust[] =
    "SELECT COALESCE(SUM(v.performed_minutes - COALESCE(o.performed_minutes, 0)), 0)"
    " FROM visits v LEFT JOIN visits o ON o.id = v.corrects_id"
    " WHERE v.tenant_id = $1 AND v.provider_id = $2 AND v.booked_month = $3"
    " AND v.person_id = $4 AND v.order_id = $5 AND v.month <> $3 AND v.state = 'done'";
static const char sql_lock_insert[] =
    "INSERT INTO period_locks (tenant_id, provider_id, month, approved_by, approved_at)"
    " VALUES ($1, $2, $3, $4, $5) RETURNING id";
static const char sql_open_in_month[] =
    "SELECT count(*) FROM visits WHERE tenant_id = $1 AND provider_id = $2 AND month = $3"
    " AND state = 'open'";
static const char sql_lock_list[] =
    "SELECT l.month, l.approved_at, COALESCE(u.display_name, u.username) FROM period_locks l"
    " JOIN users u ON u.id = l.approved_by WHERE l.tenant_id = $1 AND l.provider_id = $2"
    " ORDER BY l.month DESC";
static const char sql_bulk_insert[] =
    "INSERT INTO visit_bulk_uploads (tenant_id, provider_id, month, format, row_count, sha256,"
    " uploaded_by, created_at, uploaded_by_token) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    " RETURNING id";

static void
row(struct db_stmt *st, struct visit *v)
{
	memset(v, 0, sizeof *v);
	v->id = db_col_int(st, 0);
	v->tenant_id = db_col_int(st, 1);
	v->provider_id = db_col_int(st, 2);
	v->person_id = db_col_int(st, 3);
	v->service_id = db_col_int(st, 4);
	v->order_id = db_col_int(st, 5);
	v->staff_user_id = db_col_int(st, 6);
	v->start_at = db_col_int(st, 7);
	v->end_at = db_col_null(st, 8) ? -1 : db_col_int(st, 8);
	v->corrects_id = db_col_int(st, 9);
	v->superseded_by = db_col_int(st, 10);
	v->bulk_id = db_col_int(st, 11);
	v->created_by = db_col_int(st, 12);
	v->created_at = db_col_int(st, 13);
	v->updated_at = db_col_int(st, 14);
	v->deviation = visits_deviation_parse(db_col_text(st, 15));
	v->planned_minutes = (int)db_col_int(st, 16);
	v->m.performed = (int)db_col_int(st, 17);
	v->m.spent = (int)db_col_int(st, 18);
	v->m.billable = (int)db_col_int(st, 19);
	v->m.payable = (int)db_col_int(st, 20);
	str_copy(v->service, sizeof v->service, db_col_text(st, 21));
	str_copy(v->staff_ref, sizeof v->staff_ref, db_col_text(st, 22));
	str_copy(v->day, sizeof v->day, db_col_text(st, 23));
	str_copy(v->month, sizeof v->month, db_col_text(st, 24));
	str_copy(v->booked_month, sizeof v->booked_month, db_col_text(st, 25));
	str_copy(v->source, sizeof v->source, db_col_text(st, 26));
	str_copy(v->state, sizeof v->state, db_col_text(st, 27));
	str_copy(v->reason, sizeof v->reason, db_col_text(st, 28));
	str_copy(v->note, sizeof v->note, db_col_text(st, 29));
	str_copy(v->external_id, sizeof v->external_id, db_col_text(st, 30));
}

/* Inserts v (all but id); v->id out. */
static int
insert_visit(struct db_conn *c, struct visit *v)
{
	struct db_stmt *st = db_prepare(c, sql_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, v->tenant_id);
	db_bind_int(st, 2, v->provider_id);
	db_bind_int(st, 3, v->person_id);
	db_bind_int(st, 4, v->service_id);
	db_bind_int(st, 5, v->order_id);
	db_bind_text(st, 6, v->staff_ref);
	db_bind_opt_int(st, 7, v->staff_user_id);
	db_bind_int(st, 8, v->start_at);
	if (v->end_at >= 0)
		db_bind_int(st, 9, v->end_at);
	else
		db_bind_null(st, 9);
	db_bind_text(st, 10, v->day);
	db_bind_text(st, 11, v->month);
	db_bind_text(st, 12, v->booked_month);
	db_bind_text(st, 13, visits_deviation_code(v->deviation));
	db_bind_text(st, 14, v->note);
	db_bind_int(st, 15, v->planned_minutes);
	db_bind_int(st, 16, v->m.performed);
	db_bind_int(st, 17, v->m.spent);
	db_bind_int(st, 18, v->m.billable);
	db_bind_int(st, 19, v->m.payable);
	db_bind_text(st, 20, v->source);
	db_bind_text(st, 21, v->reason);
	db_bind_text(st, 22, v->external_id[0] ? v->external_id : NULL);
	db_bind_opt_int(st, 23, v->corrects_id);
	db_bind_opt_int(st, 24, v->bulk_id);
	db_bind_text(st, 25, v->state);
	db_bind_opt_int(st, 26, v->created_by);
	db_bind_int(st, 27, v->created_at);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		v->id = db_col_int(st, 0);
		v->updated_at = v->created_at;
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = HERR_DB;
	}
	db_reset(st);
	return rc;
}

int
visits__get(struct db_conn *c, int64_t tenant, int64_t id, struct visit *out)
{
	struct db_stmt *st = db_prepare(c, sql_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		row(st, out);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = HERR_NOT_FOUND;
	}
	db_reset(st);
	return rc;
}

void
visits__json(struct strbuf *sb, const struct visit *v)
{
	sb_addf(sb,
	        "{\"id\":%lld,\"person_id\":%lld,\"provider_id\":%lld,\"order_id\":%lld,"
	        "\"service\":",
	        (long long)v->id, (long long)v->person_id, (long long)v->provider_id,
	        (long long)v->order_id);
	json_str(sb, v->service);
	sb_adds(sb, ",\"staff\":");
	json_str(sb, v->staff_ref);
	sb_adds(sb, ",\"start\":\"");
	time_rfc3339(sb, v->start_at);
	sb_adds(sb, "\",\"end\":");
	if (v->end_at >= 0) {
		sb_addc(sb, '"');
		time_rfc3339(sb, v->end_at);
		sb_addc(sb, '"');
	} else {
		sb_adds(sb, "null");
	}
	sb_addf(sb,
	        ",\"day\":\"%s\",\"month\":\"%s\",\"booked_month\":\"%s\",\"deviation\":", v->day,
	        v->month, v->booked_month);
	if (v->deviation > 0)
		json_str(sb, visits_deviation_code(v->deviation));
	else
		sb_adds(sb, "null");
	sb_addf(sb,
	        ",\"planned_minutes\":%d,\"performed_minutes\":%d,\"spent_minutes\":%d,"
	        "\"billable_minutes\":%d,\"payable_minutes\":%d,\"source\":\"%s\","
	        "\"state\":\"%s\",\"reason\":",
	        v->planned_minutes, v->m.performed, v->m.spent, v->m.billable, v->m.payable,
	        v->source, v->state);
	json_str(sb, v->reason);
	sb_adds(sb, ",\"note\":");
	json_str(sb, v->note);
	sb_adds(sb, ",\"external_id\":");
	if (v->external_id[0])
		json_str(sb, v->external_id);
	else
		sb_adds(sb, "null");
	sb_adds(sb, ",\"corrects_id\":");
	if (v->corrects_id > 0)
		sb_addf(sb, "%lld", (long long)v->corrects_id);
	else
		sb_adds(sb, "null");
	sb_adds(sb, ",\"superseded_by\":");
	if (v->superseded_by > 0)
		sb_addf(sb, "%lld", (long long)v->superseded_by);
	else
		sb_adds(sb, "null");
	sb_addc(sb, '}');
}

/* ---- the idempotency ledger ---------------------------------------------------------------- */

/* Looks up key: 0 and nothing found (*found false), 0 with the stored answer in answer and
 * *status when the request matches, HERR_CONFLICT when another request used the key. */
static int
ledger_find(struct db_conn *c, int64_t tenant, int64_t provider, const char *key,
            const char *request_sha, bool *found, int *status, struct strbuf *answer,
            int64_t *visit_id)
{
	*found = false;
	struct db_stmt *st = db_prepare(c, sql_ledger);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider);
	db_bind_text(st, 3, key);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*found = true;
		if (visit_id)
			*visit_id = db_col_int(st, 3);
		if (request_sha && strcmp(db_col_text(st, 0), request_sha) != 0) {
			rc = HERR_CONFLICT;
		} else {
			if (status)
				*status = (int)db_col_int(st, 1);
			if (answer) {
				sb_reset(answer);
				sb_adds(answer, db_col_text(st, 2));
			}
			rc = 0;
		}
	} else if (rc == DB_DONE) {
		rc = 0;
	}
	db_reset(st);
	return rc;
}

static int
ledger_insert(struct db_conn *c, int64_t tenant, int64_t provider, const char *key,
              const char *request_sha, int64_t visit_id, int status, const char *answer,
              int64_t user, int64_t now)
{
	struct db_stmt *st = db_prepare(c, sql_ledger_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider);
	db_bind_text(st, 3, key);
	db_bind_text(st, 4, request_sha);
	db_bind_opt_int(st, 5, visit_id);
	db_bind_int(st, 6, status);
	db_bind_text(st, 7, answer);
	db_bind_opt_int(st, 8, user);
	db_bind_int(st, 9, now);
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : rc < 0 ? rc : HERR_DB;
}

/* ---- period locks -------------------------------------------------------------------------- */

int
visits__month_locked(struct db_conn *c, int64_t tenant, int64_t provider_id, const char *month,
                     bool *locked)
{
	struct db_stmt *st = db_prepare(c, sql_locked);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider_id);
	db_bind_text(st, 3, month);
	int rc = db_step(st);
	*locked = rc == DB_ROW;
	db_reset(st);
	return rc < 0 ? rc : 0;
}

#define MAX_LOCKS 600 /* fifty years of months */

/* The provider's locked months as numbers. */
static int
locked_months(struct db_conn *c, int64_t tenant, int64_t provider, int *out, int *n)
{
	*n = 0;
	struct db_stmt *st = db_prepare(c, sql_locks);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int m;
		if (*n < MAX_LOCKS && visits_month_parse(db_col_text(st, 0), &m) == 0)
			out[(*n)++] = m;
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Where a report of month goes: 0 and book (YYYY-MM), or HERR_RULE when the month is locked
 * and the report has no reason. */
static int
booking(struct db_conn *c, int64_t tenant, int64_t provider, const char *month, bool has_reason,
        char book[8])
{
	int locks[MAX_LOCKS], n, m, b;
	int rc = locked_months(c, tenant, provider, locks, &n);
	if (rc)
		return rc;
	if (visits_month_parse(month, &m) != 0)
		return HERR_INVALID;
	rc = visits_booking_month(m, locks, n, has_reason, &b);
	if (rc)
		return rc;
	visits_month_format(b, book);
	return 0;
}

struct lock_job {
	int64_t tenant, provider, user;
	const char *month;
	const struct audit_entry *who;
	const char *message;
};

static int
lock_job(struct db_conn *c, void *arg)
{
	struct lock_job *x = arg;
	int64_t open = 0;
	struct db_stmt *st = db_prepare(c, sql_open_in_month);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, x->tenant);
	db_bind_int(st, 2, x->provider);
	db_bind_text(st, 3, x->month);
	int rc = db_step(st);
	if (rc == DB_ROW)
		open = db_col_int(st, 0);
	db_reset(st);
	if (rc < 0)
		return rc;
	if (open > 0) {
		x->message = "månaden har besök som inte är utcheckade";
		return HERR_RULE;
	}
	st = db_prepare(c, sql_lock_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, x->tenant);
	db_bind_int(st, 2, x->provider);
	db_bind_text(st, 3, x->month);
	db_bind_int(st, 4, x->user);
	db_bind_int(st, 5, time_now());
	rc = db_step(st);
	int64_t id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : HERR_DB;
	struct audit_entry e = *x->who;
	e.action = "lock";
	e.entity = "visit_period";
	e.entity_id = id;
	return audit_append(c, &e);
}

int
visits__lock_month(struct db *db, int64_t tenant, int64_t provider_id, const char *month,
                   int64_t user_id, const struct audit_entry *who, const char **message)
{
	int m;
	if (visits_month_parse(month, &m) != 0)
		return HERR_INVALID;
	char today[11];
	time_today(today);
	int32_t day;
	int cur = cal_parse(today, &day) == 0 ? visits_month_of_day(day) : 0;
	if (m >= cur) {
		*message = "en månad kan låsas först när den är slut";
		return HERR_RULE;
	}
	struct lock_job x = {tenant, provider_id, user_id, month, who, NULL};
	int rc = db_write(db, lock_job, &x);
	if (x.message)
		*message = x.message;
	return rc;
}

int
visits__locks(struct db_conn *c, int64_t tenant, int64_t provider_id,
              void (*fn)(const char *month, int64_t at, const char *by, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_lock_list);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		fn(db_col_text(st, 0), db_col_int(st, 1), db_col_text(st, 2), arg);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- overlaps ------------------------------------------------------------------------------ */

/* Whether [start, end) (end < 0: open) overlaps the stored visit of sql's selection (staff or
 * person), other than exclude. */
static int
overlaps(struct db_conn *c, const char *sql, int64_t tenant, int64_t a, const char *ref, int64_t b,
         int64_t start, int64_t end, int64_t exclude, bool *hit)
{
	*hit = false;
	struct db_stmt *st = db_prepare(c, sql);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, a);
	if (ref)
		db_bind_text(st, 3, ref);
	else
		db_bind_int(st, 3, b);
	db_bind_int(st, 4, start - VISITS_MAX_VISIT_MINUTES * 60);
	db_bind_int(st, 5, end >= 0 ? end : start + 1);
	db_bind_int(st, 6, exclude);
	struct visits_span span;
	int rc = db_step(st);
	if (rc == DB_ROW) {
		span.id = db_col_int(st, 0);
		span.start = db_col_int(st, 1);
		span.end = db_col_null(st, 2) ? -1 : db_col_int(st, 2);
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	*hit = rc == DB_ROW && visits_find_overlap(&span, 1, exclude, start, end, 1) >= 0;
	return 0;
}

/* Checks v against stored visits; sets x->field and message on a hit. */
static int
check_overlaps(struct db_conn *c, const struct visit *v, int64_t exclude, const char **field,
               const char **message)
{
	if (v->end_at < 0 && strcmp(v->state, "done") == 0)
		return 0; /* no visit, no time taken */
	bool hit;
	int rc = overlaps(c, sql_staff_spans, v->tenant_id, v->provider_id, v->staff_ref, 0,
	                  v->start_at, v->end_at, exclude, &hit);
	if (rc == 0 && hit) {
		*field = "staff";
		*message = "personalen har ett annat besök som överlappar";
		return HERR_RULE;
	}
	if (rc == 0)
		rc = overlaps(c, sql_person_spans, v->tenant_id, v->person_id, NULL, v->service_id,
		              v->start_at, v->end_at, exclude, &hit);
	if (rc == 0 && hit) {
		*field = "start";
		*message = "kunden har redan ett besök av insatsen som överlappar";
		return HERR_RULE;
	}
	return rc;
}

/*
 * A check-in v (open) while its staff member still has an open visit that began before it,
 * within the longest visit, is refused: the visits would overlap however the first ends (it
 * can only end after the check-in, or it would have been checked out). A phone's offline
 * queue replays check-in, check-out, check-in in order, so ordinary use never meets this; an
 * open visit older than the longest visit can no longer be checked out and does not count.
 */
static int
check_staff_open(struct db_conn *c, const struct visit *v, const char **field, const char **message)
{
	struct db_stmt *st = db_prepare(c, sql_staff_open);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, v->tenant_id);
	db_bind_int(st, 2, v->provider_id);
	db_bind_text(st, 3, v->staff_ref);
	db_bind_int(st, 4, v->start_at - VISITS_MAX_VISIT_MINUTES * 60);
	db_bind_int(st, 5, v->start_at);
	int rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	if (rc != DB_ROW)
		return 0;
	*field = "staff";
	*message = "personalen har redan ett pågående besök: checka ut det först";
	return HERR_RULE;
}

/* ---- reports ------------------------------------------------------------------------------- */

/* Fills day and month of v from its start (Stockholm time). */
/* ---- the bomtid rule (the municipality's settings, src/settings) ---------------------------- */

static void
policy_apply(const char *key, const char *value, void *arg)
{
	/* A value that does not parse keeps the default: only the checked API writes them. */
	(void)visits_policy_set(arg, key + strlen(VISITS_SETTINGS_PREFIX), value);
}

int
visits__policy_read(struct db_conn *c, int64_t tenant, struct visits_policy *out)
{
	*out = VISITS_POLICY_DEFAULT;
	return settings_read(c, tenant, VISITS_SETTINGS_PREFIX, policy_apply, out);
}

struct policy_job {
	int64_t tenant, now;
	const struct visits_policy *p;
	const struct audit_entry *who;
};

static int
policy_job(struct db_conn *c, void *arg)
{
	const struct policy_job *j = arg;
	char max[16];
	snprintf(max, sizeof max, "%d", j->p->wasted_max_minutes);
	int rc = settings_put(c, j->tenant, VISITS_SETTINGS_PREFIX "bomtid_paid",
	                      j->p->pay_wasted ? "true" : "false", j->who->user_id, j->now);
	if (rc == 0)
		rc = settings_put(c, j->tenant, VISITS_SETTINGS_PREFIX "bomtid_max_minutes", max,
		                  j->who->user_id, j->now);
	if (rc == 0)
		rc = audit_change(c, j->who, "update", "setting", 0, 0);
	return rc;
}

int
visits_policy_store(struct db *db, int64_t tenant, const struct visits_policy *p,
                    const struct audit_entry *who, int64_t now)
{
	if (p->wasted_max_minutes < 0 || p->wasted_max_minutes > VISITS_WASTED_MAX_MINUTES)
		return HERR_INVALID;
	struct policy_job j = {.tenant = tenant, .now = now, .p = p, .who = who};
	return db_write(db, policy_job, &j);
}

/* The rule of a write job, read at most once and only when a report is bomtid, so that the
 * usual report pays no lookup. */
struct policy_once {
	struct visits_policy p;
	bool read;
};

/* How v counts (its minutes from start and end, none without an end) under the tenant's rule. */
static int
count_visit(struct db_conn *c, int64_t tenant, struct policy_once *pol, struct visit *v)
{
	if (!pol->read && visits_deviation_wasted(v->deviation)) {
		int rc = visits__policy_read(c, tenant, &pol->p);
		if (rc)
			return rc;
		pol->read = true;
	}
	int minutes = v->end_at >= 0 ? (int)((v->end_at - v->start_at) / 60) : 0;
	return visits_count(v->deviation, minutes, &pol->p, &v->m);
}

static void
place(struct visit *v)
{
	int32_t d = visits_local_day(v->start_at);
	cal_format(d, v->day);
	visits_month_format(visits_month_of_day(d), v->month);
}

/* A new report that delivers executes the decision behind its order on the visit's day, in
 * the same transaction (review 11b); corrections and check-outs follow a report that did. */
static int
executes(struct db_conn *c, const struct visit *v, const struct audit_entry *who)
{
	if (!v->decision_id || !visits_deviation_delivers(v->deviation))
		return 0;
	return cases_executed_by_delivery(c, v->tenant_id, v->decision_id, v->day, who);
}

static int
do_new(struct db_conn *c, struct visits_job *x)
{
	struct visit *v = &x->v;
	place(v);
	struct policy_once pol = {VISITS_POLICY_DEFAULT, false};
	int rc = count_visit(c, x->tenant, &pol, v);
	if (rc)
		return rc;
	rc = booking(c, x->tenant, x->provider, v->month, v->reason[0] != 0, v->booked_month);
	if (rc == HERR_RULE) {
		x->field = "start";
		x->message = "månaden är godkänd och låst: en ändring kräver ett skäl (rättelse)";
	}
	if (rc == 0 && v->end_at < 0 && strcmp(v->state, "open") == 0)
		rc = check_staff_open(c, v, &x->field, &x->message);
	if (rc == 0)
		rc = check_overlaps(c, v, 0, &x->field, &x->message);
	if (rc == 0)
		rc = insert_visit(c, v);
	if (rc == 0)
		rc = executes(c, v, x->who);
	x->status = 201;
	return rc;
}

static int
do_check_out(struct db_conn *c, struct visits_job *x)
{
	int64_t visit_id = 0;
	bool found;
	int rc = ledger_find(c, x->tenant, x->provider, x->check_in_key, NULL, &found, NULL, NULL,
	                     &visit_id);
	if (rc)
		return rc;
	if (!found || visit_id <= 0) {
		x->field = "check_in_key";
		x->message = "det finns ingen incheckning med den nyckeln";
		return HERR_RULE;
	}
	struct visit open;
	rc = visits__get(c, x->tenant, visit_id, &open);
	if (rc)
		return rc;
	if (strcmp(open.state, "open") != 0 || open.provider_id != x->provider ||
	    open.staff_user_id != x->v.staff_user_id) {
		x->field = "check_in_key";
		x->message = "besöket är redan utcheckat";
		return HERR_RULE;
	}
	int64_t end = x->v.end_at;
	int problem = visits_check_times(VISITS_HOME_CARE, open.start_at, end, x->now);
	if (problem != VISITS_TIME_OK) {
		x->field = "at";
		x->message = visits_time_message(problem);
		return HERR_RULE;
	}
	bool locked;
	rc = visits__month_locked(c, x->tenant, x->provider, open.month, &locked);
	if (rc == 0 && locked) {
		x->field = "at";
		x->message = "månaden är godkänd och låst: en ändring kräver ett skäl (rättelse)";
		return HERR_RULE;
	}
	open.end_at = end;
	if (rc == 0)
		rc = check_overlaps(c, &open, open.id, &x->field, &x->message);
	if (rc)
		return rc;
	open.deviation = x->v.deviation;
	str_copy(open.note, sizeof open.note, x->v.note);
	struct policy_once pol = {VISITS_POLICY_DEFAULT, false};
	rc = count_visit(c, x->tenant, &pol, &open);
	if (rc)
		return rc;
	struct db_stmt *st = db_prepare(c, sql_check_out);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, end);
	db_bind_text(st, 2, visits_deviation_code(open.deviation));
	db_bind_text(st, 3, open.note);
	db_bind_int(st, 4, open.m.performed);
	db_bind_int(st, 5, open.m.spent);
	db_bind_int(st, 6, open.m.billable);
	db_bind_int(st, 7, open.m.payable);
	db_bind_int(st, 8, x->now);
	db_bind_int(st, 9, open.id);
	db_bind_int(st, 10, x->tenant);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : HERR_CONFLICT;
	str_copy(open.state, sizeof open.state, "done");
	open.updated_at = x->now;
	x->v = open;
	x->status = 200;
	return 0;
}

static int
do_correct(struct db_conn *c, struct visits_job *x)
{
	struct visit old;
	int rc = visits__get(c, x->tenant, x->correct_id, &old);
	if (rc)
		return rc;
	if (old.provider_id != x->provider)
		return HERR_NOT_FOUND;
	if (strcmp(old.state, "done") != 0) {
		x->field = "id";
		x->message = strcmp(old.state, "open") == 0
		                 ? "besöket är inte utcheckat än"
		                 : "besöket är redan rättat: rätta den senaste raden";
		return HERR_CONFLICT;
	}
	struct visit *v = &x->v;
	v->person_id = old.person_id;
	v->service_id = old.service_id;
	v->order_id = old.order_id;
	str_copy(v->service, sizeof v->service, old.service);
	if (!v->staff_ref[0])
		str_copy(v->staff_ref, sizeof v->staff_ref, old.staff_ref);
	v->corrects_id = old.id;
	place(v);
	struct policy_once pol = {VISITS_POLICY_DEFAULT, false};
	rc = count_visit(c, x->tenant, &pol, v);
	if (rc)
		return rc;
	/* The change counts in the later of the two bookings: the original's month and the new. */
	char b1[8], b2[8];
	rc = booking(c, x->tenant, x->provider, old.month, true, b1);
	if (rc == 0)
		rc = booking(c, x->tenant, x->provider, v->month, true, b2);
	if (rc)
		return rc;
	str_copy(v->booked_month, sizeof v->booked_month, strcmp(b1, b2) > 0 ? b1 : b2);
	rc = check_overlaps(c, v, old.id, &x->field, &x->message);
	if (rc == 0)
		rc = insert_visit(c, v);
	if (rc)
		return rc;
	struct db_stmt *st = db_prepare(c, sql_supersede);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, v->id);
	db_bind_int(st, 2, x->now);
	db_bind_int(st, 3, old.id);
	db_bind_int(st, 4, x->tenant);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : HERR_CONFLICT;
	x->status = 201;
	return 0;
}

/* The read record of a replayed answer: the stored visit's person, or none. */
static int
replay_audit(struct db_conn *c, const struct audit_entry *who, int64_t visit_id, int64_t tenant)
{
	struct audit_entry e = *who;
	e.action = "read";
	e.entity = visit_id > 0 ? "visit" : "visit_bulk_upload";
	e.entity_id = visit_id;
	if (visit_id > 0) {
		struct visit *v = xmalloc(sizeof *v);
		int rc = visits__get(c, tenant, visit_id, v);
		e.person_id = v->person_id;
		free(v);
		if (rc)
			return rc;
	}
	return audit_append(c, &e);
}

static int
report_job(struct db_conn *c, void *arg)
{
	struct visits_job *x = arg;
	if (x->key && !x->key_new) {
		bool found;
		int64_t visit_id = 0;
		int rc = ledger_find(c, x->tenant, x->provider, x->key, x->request_sha, &found,
		                     &x->status, &x->answer, &visit_id);
		if (rc == HERR_CONFLICT) {
			x->field = "Idempotency-Key";
			x->message = "nyckeln har redan använts för en annan rapport";
		}
		if (rc || !found)
			goto fresh;
		/* The same report again: the stored answer, read (and audited) once more. */
		x->replayed = true;
		return replay_audit(c, x->who, visit_id, x->tenant);
	fresh:
		if (rc)
			return rc;
	}
	int rc = x->mode == VISITS_NEW         ? do_new(c, x)
	         : x->mode == VISITS_CHECK_OUT ? do_check_out(c, x)
	                                       : do_correct(c, x);
	if (rc)
		return rc;
	sb_reset(&x->answer);
	visits__json(&x->answer, &x->v);
	if (x->answer.err)
		return x->answer.err;
	if (x->key)
		rc = ledger_insert(c, x->tenant, x->provider, x->key, x->request_sha, x->v.id,
		                   x->status, x->answer.buf, x->v.created_by, x->now);
	if (rc)
		return rc;
	struct audit_entry e = *x->who;
	e.action = x->mode == VISITS_NEW         ? "create"
	           : x->mode == VISITS_CHECK_OUT ? "update"
	                                         : "correct";
	e.entity = "visit";
	e.entity_id = x->v.id;
	e.person_id = x->v.person_id;
	return audit_append(c, &e);
}

int
visits__report(struct db *db, struct visits_job *x)
{
	x->replayed = false;
	x->field = x->message = NULL;
	x->key_new = false;
	if (x->key) {
		/* Most keys are new: look once on a reader, outside the single writer, which is
		 * what limits how many reports a second are acknowledged. */
		bool found = false;
		struct db_conn *c = db_reader(db);
		int rc =
		    ledger_find(c, x->tenant, x->provider, x->key, NULL, &found, NULL, NULL, NULL);
		db_reader_done(db, c);
		x->key_new = rc == 0 && !found;
	}
	int rc = db_write(db, report_job, x);
	if (rc != 0 && x->key_new) {
		/* Refused without looking at the key: another report under the same key may have
		 * won the race since (and this one then overlaps it, or breaks the ledger's unique
		 * key). The whole check again in the writer, the key first, says which. */
		x->key_new = false;
		x->field = x->message = NULL;
		rc = db_write(db, report_job, x);
	}
	return rc;
}

/* ---- bulk intake --------------------------------------------------------------------------- */

static int
bulk_job(struct db_conn *c, void *arg)
{
	struct visits_bulk_job *x = arg;
	if (x->key) {
		bool found;
		int rc = ledger_find(c, x->tenant, x->provider, x->key, x->request_sha, &found,
		                     &x->status, &x->answer, NULL);
		if (rc)
			return rc;
		if (found) {
			x->replayed = true;
			return replay_audit(c, x->who, 0, x->tenant);
		}
	}
	struct db_stmt *st = db_prepare(c, sql_bulk_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, x->tenant);
	db_bind_int(st, 2, x->provider);
	db_bind_text(st, 3, x->month);
	db_bind_text(st, 4, x->format);
	db_bind_int(st, 5, x->b->nrows);
	db_bind_text(st, 6, x->sha);
	db_bind_int(st, 7, x->user_id);
	db_bind_int(st, 8, x->now);
	db_bind_opt_int(st, 9, x->token_id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		x->bulk_id = db_col_int(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return rc < 0 ? rc : HERR_DB;
	char book[8];
	rc = booking(c, x->tenant, x->provider, x->month, false, book);
	if (rc == HERR_RULE) {
		visits_bulk_error_add(x->errors, 0, "month",
		                      "månaden är godkänd och låst: ändringar görs som rättelser");
		return HERR_INVALID;
	}
	if (rc)
		return rc;
	struct audit_entry e = *x->who;
	e.action = "create";
	e.entity = "visit";
	struct policy_once pol = {VISITS_POLICY_DEFAULT, false};
	for (int i = 0; i < x->b->nrows; i++) {
		const struct visits_bulk_row *r = &x->b->rows[i];
		struct visit v;
		memset(&v, 0, sizeof v);
		v.tenant_id = x->tenant;
		v.provider_id = x->provider;
		v.person_id = r->person_id;
		v.service_id = x->service_ids[i];
		v.order_id = x->order_ids[i];
		v.decision_id = x->decision_ids[i];
		str_copy(v.staff_ref, sizeof v.staff_ref, r->staff);
		v.start_at = r->start;
		v.deviation = r->deviation;
		v.planned_minutes = r->planned_minutes;
		bool without = visits_deviation_without_visit(r->deviation);
		v.end_at = without ? -1 : r->end;
		rc = count_visit(c, x->tenant, &pol, &v);
		if (rc)
			return rc;
		str_copy(v.source, sizeof v.source, "bulk");
		str_copy(v.state, sizeof v.state, "done");
		str_copy(v.note, sizeof v.note, r->note);
		str_copy(v.external_id, sizeof v.external_id, r->external_id);
		str_copy(v.booked_month, sizeof v.booked_month, book);
		v.bulk_id = x->bulk_id;
		v.created_by = x->user_id;
		v.created_at = x->now;
		place(&v);
		const char *field = NULL, *message = NULL;
		rc = check_overlaps(c, &v, 0, &field, &message);
		if (rc == HERR_RULE) {
			visits_bulk_error_add(x->errors, r->line, field, message);
			continue;
		}
		if (rc == 0 && x->errors->error_count == 0)
			rc = insert_visit(c, &v);
		if (rc == 0 && x->errors->error_count == 0) {
			e.entity_id = v.id;
			e.person_id = v.person_id;
			rc = audit_append(c, &e);
			if (rc == 0)
				rc = executes(c, &v, x->who);
		}
		if (rc)
			return rc;
	}
	if (x->errors->error_count > 0)
		return HERR_INVALID;
	sb_reset(&x->answer);
	sb_addf(&x->answer, "{\"id\":%lld,\"month\":\"%s\",\"rows\":%d}", (long long)x->bulk_id,
	        x->month, x->b->nrows);
	x->status = 201;
	if (x->key)
		rc = ledger_insert(c, x->tenant, x->provider, x->key, x->request_sha, 0, x->status,
		                   x->answer.buf, x->user_id, x->now);
	return rc;
}

int
visits__bulk_store(struct db *db, struct visits_bulk_job *x)
{
	x->replayed = false;
	return db_write(db, bulk_job, x);
}

/* ---- reads --------------------------------------------------------------------------------- */

int
visits__list(struct db_conn *c, int64_t tenant, int64_t provider_id, int64_t person_id,
             const char *month, bool booked, int64_t after, int limit,
             void (*fn)(const struct visit *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, booked ? sql_list_booked : sql_list_month);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider_id);
	db_bind_int(st, 3, person_id);
	db_bind_text(st, 4, month);
	db_bind_int(st, 5, after);
	db_bind_int(st, 6, limit);
	struct visit *v = xmalloc(sizeof *v);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		row(st, v);
		fn(v, arg);
	}
	free(v);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

#define GAP_MAX_ITEMS 5000

int
visits__gap(struct db_conn *c, int64_t tenant, const char *month, struct visits_row_gap *g)
{
	struct db_stmt *st = db_prepare(c, sql_gap_items);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, g->provider_id);
	db_bind_text(st, 3, month);
	db_bind_int(st, 4, g->person_id);
	db_bind_int(st, 5, g->order_id);
	struct visits_month_item *items = xmalloc(GAP_MAX_ITEMS * sizeof *items);
	int n = 0, rc;
	g->deviations = 0;
	while ((rc = db_step(st)) == DB_ROW && n < GAP_MAX_ITEMS) {
		items[n].deviation = visits_deviation_parse(db_col_text(st, 0));
		if (items[n].deviation < 0)
			items[n].deviation = VISITS_DEV_NONE;
		items[n].planned_minutes = (int)db_col_int(st, 1);
		items[n].performed_minutes = (int)db_col_int(st, 2);
		if (items[n].deviation != VISITS_DEV_NONE)
			g->deviations++;
		n++;
	}
	db_reset(st);
	if (rc >= 0) {
		visits_granted_vs_performed(g->granted, items, n, &g->gap);
		g->visits = n;
		rc = 0;
	}
	free(items);
	if (rc)
		return rc;
	st = db_prepare(c, sql_gap_adjust);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, g->provider_id);
	db_bind_text(st, 3, month);
	db_bind_int(st, 4, g->person_id);
	db_bind_int(st, 5, g->order_id);
	rc = db_step(st);
	g->adjustment_minutes = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_reset(st);
	return rc < 0 ? rc : 0;
}

/* ---- personal assistance ---------------------------------------------------------------- */

#define PA_ASST_COLS                                                                               \
	"id, tenant_id, provider_id, COALESCE(user_id, 0), created_at, ref, name, birth_date,"     \
	" relative, same_household, lives_in_eea"

static const char sql_asst_insert[] =
    "INSERT INTO pa_assistants (tenant_id, provider_id, ref, user_id, name, birth_date, relative,"
    " same_household, lives_in_eea, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    " RETURNING id";
static const char sql_asst_get[] =
    "SELECT " PA_ASST_COLS " FROM pa_assistants WHERE id = $1 AND tenant_id = $2";
static const char sql_asst_by_user[] =
    "SELECT " PA_ASST_COLS " FROM pa_assistants"
    " WHERE tenant_id = $1 AND provider_id = $2 AND user_id = $3 ORDER BY id LIMIT 1";
static const char sql_asst_list[] =
    "SELECT " PA_ASST_COLS " FROM pa_assistants WHERE tenant_id = $1 AND provider_id = $2"
    " ORDER BY name, id";

static void
asst_row(struct db_stmt *st, struct pa_assistant *a)
{
	memset(a, 0, sizeof *a);
	a->id = db_col_int(st, 0);
	a->tenant_id = db_col_int(st, 1);
	a->provider_id = db_col_int(st, 2);
	a->user_id = db_col_int(st, 3);
	a->created_at = db_col_int(st, 4);
	str_copy(a->ref, sizeof a->ref, db_col_text(st, 5));
	str_copy(a->name, sizeof a->name, db_col_text(st, 6));
	str_copy(a->birth_date, sizeof a->birth_date, db_col_text(st, 7));
	a->relative = db_col_int(st, 8) != 0;
	a->same_household = db_col_int(st, 9) != 0;
	a->lives_in_eea = db_col_int(st, 10) != 0;
}

static void
asst_map(struct db_stmt *st, void *out)
{
	asst_row(st, out);
}

int
visits__pa_assistant_insert(struct db_conn *c, struct pa_assistant *a)
{
	struct db_stmt *st = db_prepare(c, sql_asst_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, a->tenant_id);
	db_bind_int(st, 2, a->provider_id);
	db_bind_text(st, 3, a->ref);
	if (a->user_id)
		db_bind_int(st, 4, a->user_id);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, a->name);
	db_bind_text(st, 6, a->birth_date);
	db_bind_int(st, 7, a->relative);
	db_bind_int(st, 8, a->same_household);
	db_bind_int(st, 9, a->lives_in_eea);
	db_bind_int(st, 10, a->created_at);
	return db_step_id(st, &a->id, HERR_DB);
}

int
visits__pa_assistant_get(struct db_conn *c, int64_t tenant, int64_t id, struct pa_assistant *out)
{
	struct db_stmt *st = db_prepare(c, sql_asst_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	return db_step_one(st, asst_map, out);
}

int
visits__pa_assistant_by_user(struct db_conn *c, int64_t tenant, int64_t provider, int64_t user_id,
                             struct pa_assistant *out)
{
	struct db_stmt *st = db_prepare(c, sql_asst_by_user);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider);
	db_bind_int(st, 3, user_id);
	return db_step_one(st, asst_map, out);
}

int
visits__pa_assistants(struct db_conn *c, int64_t tenant, int64_t provider,
                      void (*fn)(const struct pa_assistant *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_asst_list);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider);
	int rc;
	struct pa_assistant a;
	while ((rc = db_step(st)) == DB_ROW) {
		asst_row(st, &a);
		fn(&a, arg);
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

#define PA_HOUR_COLS                                                                               \
	"h.id, h.tenant_id, h.provider_id, h.person_id, h.order_id, h.assistant_id, h.start_at,"   \
	" h.end_at, COALESCE(h.corrects_id, 0), COALESCE(h.superseded_by, 0),"                     \
	" COALESCE(h.created_by, 0), h.created_at, h.kind, h.day, h.month, h.booked_month,"        \
	" h.source, h.state, h.reason, h.voids"

static const char sql_hour_insert[] =
    "INSERT INTO pa_hours (tenant_id, provider_id, person_id, order_id, assistant_id, start_at,"
    " end_at, kind, day, month, booked_month, source, reason, corrects_id, state, created_by,"
    " created_at, voids) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
    " 'done', $15, $16, $17) RETURNING id";
static const char sql_hour_get[] =
    "SELECT " PA_HOUR_COLS " FROM pa_hours h WHERE h.id = $1 AND h.tenant_id = $2";
static const char sql_hour_supersede[] =
    "UPDATE pa_hours SET state = 'superseded', superseded_by = $3"
    " WHERE id = $1 AND tenant_id = $2 AND state = 'done'";
static const char sql_hours_assistant[] =
    "SELECT " PA_HOUR_COLS " FROM pa_hours h WHERE h.tenant_id = $1 AND h.assistant_id = $2"
    " AND h.state = 'done' AND h.voids = 0 AND h.start_at < $4 AND h.end_at > $3"
    " ORDER BY h.start_at, h.id";
static const char sql_hours_person[] =
    "SELECT " PA_HOUR_COLS " FROM pa_hours h WHERE h.tenant_id = $1 AND h.provider_id = $2"
    " AND h.person_id = $3 AND h.state = 'done' AND h.voids = 0 AND h.start_at < $5"
    " AND h.end_at > $4"
    " ORDER BY h.start_at, h.id";
static const char sql_hours_sheet[] =
    "SELECT " PA_HOUR_COLS " FROM pa_hours h LEFT JOIN pa_hours n ON n.id = h.superseded_by"
    " WHERE h.tenant_id = $1 AND h.provider_id = $2 AND h.person_id = $3 AND h.month = $4"
    " AND h.booked_month = $4 AND h.voids = 0"
    " AND (h.superseded_by IS NULL OR n.booked_month <> $4)"
    " ORDER BY h.start_at, h.id";
static const char sql_hours_adjust[] =
    "SELECT " PA_HOUR_COLS " FROM pa_hours h WHERE h.tenant_id = $1 AND h.provider_id = $2"
    " AND h.person_id = $3 AND h.booked_month = $4 AND h.month <> $4 ORDER BY h.id";
static const char sql_month_persons[] =
    "SELECT DISTINCT person_id FROM pa_hours WHERE tenant_id = $1 AND provider_id = $2"
    " AND (month = $3 OR booked_month = $3) ORDER BY person_id";
static const char sql_month_assistants[] =
    "SELECT DISTINCT assistant_id FROM pa_hours WHERE tenant_id = $1 AND provider_id = $2"
    " AND month = $3 AND kind = 'active' ORDER BY assistant_id";

static void
hour_row(struct db_stmt *st, struct pa_hour *h)
{
	memset(h, 0, sizeof *h);
	h->id = db_col_int(st, 0);
	h->tenant_id = db_col_int(st, 1);
	h->provider_id = db_col_int(st, 2);
	h->person_id = db_col_int(st, 3);
	h->order_id = db_col_int(st, 4);
	h->assistant_id = db_col_int(st, 5);
	h->start_at = db_col_int(st, 6);
	h->end_at = db_col_int(st, 7);
	h->corrects_id = db_col_int(st, 8);
	h->superseded_by = db_col_int(st, 9);
	h->created_by = db_col_int(st, 10);
	h->created_at = db_col_int(st, 11);
	str_copy(h->kind, sizeof h->kind, db_col_text(st, 12));
	str_copy(h->day, sizeof h->day, db_col_text(st, 13));
	str_copy(h->month, sizeof h->month, db_col_text(st, 14));
	str_copy(h->booked_month, sizeof h->booked_month, db_col_text(st, 15));
	str_copy(h->source, sizeof h->source, db_col_text(st, 16));
	str_copy(h->state, sizeof h->state, db_col_text(st, 17));
	str_copy(h->reason, sizeof h->reason, db_col_text(st, 18));
	h->voids = db_col_int(st, 19) != 0;
}

static void
hour_map(struct db_stmt *st, void *out)
{
	hour_row(st, out);
}

static int
hours_each(struct db_stmt *st, void (*fn)(const struct pa_hour *, void *), void *arg)
{
	int rc;
	struct pa_hour h;
	while ((rc = db_step(st)) == DB_ROW) {
		hour_row(st, &h);
		fn(&h, arg);
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int
visits__pa_hour_insert(struct db_conn *c, struct pa_hour *h)
{
	struct db_stmt *st = db_prepare(c, sql_hour_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, h->tenant_id);
	db_bind_int(st, 2, h->provider_id);
	db_bind_int(st, 3, h->person_id);
	db_bind_int(st, 4, h->order_id);
	db_bind_int(st, 5, h->assistant_id);
	db_bind_int(st, 6, h->start_at);
	db_bind_int(st, 7, h->end_at);
	db_bind_text(st, 8, h->kind);
	db_bind_text(st, 9, h->day);
	db_bind_text(st, 10, h->month);
	db_bind_text(st, 11, h->booked_month);
	db_bind_text(st, 12, h->source);
	db_bind_text(st, 13, h->reason);
	if (h->corrects_id)
		db_bind_int(st, 14, h->corrects_id);
	else
		db_bind_null(st, 14);
	if (h->created_by)
		db_bind_int(st, 15, h->created_by);
	else
		db_bind_null(st, 15);
	db_bind_int(st, 16, h->created_at);
	db_bind_int(st, 17, h->voids ? 1 : 0);
	return db_step_id(st, &h->id, HERR_DB);
}

int
visits__pa_hour_get(struct db_conn *c, int64_t tenant, int64_t id, struct pa_hour *out)
{
	struct db_stmt *st = db_prepare(c, sql_hour_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	return db_step_one(st, hour_map, out);
}

int
visits__pa_hour_supersede(struct db_conn *c, int64_t tenant, int64_t id, int64_t by)
{
	struct db_stmt *st = db_prepare(c, sql_hour_supersede);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	db_bind_int(st, 3, by);
	return db_step_done(st);
}

int
visits__pa_hours_assistant(struct db_conn *c, int64_t tenant, int64_t assistant, int64_t from,
                           int64_t to, void (*fn)(const struct pa_hour *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_hours_assistant);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, assistant);
	db_bind_int(st, 3, from);
	db_bind_int(st, 4, to);
	return hours_each(st, fn, arg);
}

int
visits__pa_hours_person(struct db_conn *c, int64_t tenant, int64_t provider, int64_t person,
                        int64_t from, int64_t to, void (*fn)(const struct pa_hour *, void *),
                        void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_hours_person);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider);
	db_bind_int(st, 3, person);
	db_bind_int(st, 4, from);
	db_bind_int(st, 5, to);
	return hours_each(st, fn, arg);
}

/* Binds tenant, provider, person and month as $1..$4 of statement sql and calls fn per row. */
static int
hours_month(struct db_conn *c, const char *sql, int64_t tenant, int64_t provider, int64_t person,
            const char *month, void (*fn)(const struct pa_hour *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider);
	db_bind_int(st, 3, person);
	db_bind_text(st, 4, month);
	return hours_each(st, fn, arg);
}

int
visits__pa_hours_sheet(struct db_conn *c, int64_t tenant, int64_t provider, int64_t person,
                       const char *month, void (*fn)(const struct pa_hour *, void *), void *arg)
{
	return hours_month(c, sql_hours_sheet, tenant, provider, person, month, fn, arg);
}

int
visits__pa_hours_adjustments(struct db_conn *c, int64_t tenant, int64_t provider, int64_t person,
                             const char *month, void (*fn)(const struct pa_hour *, void *),
                             void *arg)
{
	return hours_month(c, sql_hours_adjust, tenant, provider, person, month, fn, arg);
}

/* Binds tenant, provider and month and calls fn with column 0 of each row. */
static int
ids_month(struct db_conn *c, const char *sql, int64_t tenant, int64_t provider, const char *month,
          void (*fn)(int64_t, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider);
	db_bind_text(st, 3, month);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		fn(db_col_int(st, 0), arg);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int
visits__pa_month_persons(struct db_conn *c, int64_t tenant, int64_t provider, const char *month,
                         void (*fn)(int64_t person, void *), void *arg)
{
	return ids_month(c, sql_month_persons, tenant, provider, month, fn, arg);
}

int
visits__pa_month_assistants(struct db_conn *c, int64_t tenant, int64_t provider, const char *month,
                            void (*fn)(int64_t assistant, void *), void *arg)
{
	return ids_month(c, sql_month_assistants, tenant, provider, month, fn, arg);
}

static const char sql_closed_months[] =
    "SELECT month FROM pa_month_locks WHERE tenant_id = $1 AND provider_id = $2 AND month >= $4"
    " UNION SELECT month FROM pa_sheets WHERE tenant_id = $1 AND provider_id = $2"
    " AND person_id = $3 AND month >= $4 ORDER BY 1";

int
visits__pa_closed_months(struct db_conn *c, int64_t tenant, int64_t provider, int64_t person,
                         const char *month, int *out, int max, int *n)
{
	struct db_stmt *st = db_prepare(c, sql_closed_months);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider);
	db_bind_int(st, 3, person);
	db_bind_text(st, 4, month);
	int rc, k = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		int m;
		if (k < max && visits_month_parse(db_col_text(st, 0), &m) == 0)
			out[k++] = m;
	}
	db_reset(st);
	if (rc < 0)
		return rc;
	*n = k;
	return k >= max ? HERR_LIMIT : 0;
}

#define PA_SHEET_COLS                                                                              \
	"id, tenant_id, provider_id, person_id, order_id, version, created_at, updated_at,"        \
	" active_minutes, oncall_minutes, double_minutes, unpaid_minutes, payable_minutes,"        \
	" granted_minutes, month, state, content_sha256"

static const char sql_sheet_get[] =
    "SELECT " PA_SHEET_COLS " FROM pa_sheets WHERE tenant_id = $1 AND provider_id = $2"
    " AND person_id = $3 AND month = $4";
static const char sql_sheet_insert[] =
    "INSERT INTO pa_sheets (tenant_id, provider_id, person_id, order_id, month, state,"
    " active_minutes, oncall_minutes, double_minutes, unpaid_minutes, payable_minutes,"
    " granted_minutes, content_sha256, version, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14) RETURNING id";
static const char sql_sheet_state[] =
    "UPDATE pa_sheets SET state = $3, version = version + 1, updated_at = $4"
    " WHERE id = $1 AND tenant_id = $2";

static void
sheet_map(struct db_stmt *st, void *out)
{
	struct pa_sheet_row *s = out;
	memset(s, 0, sizeof *s);
	s->id = db_col_int(st, 0);
	s->tenant_id = db_col_int(st, 1);
	s->provider_id = db_col_int(st, 2);
	s->person_id = db_col_int(st, 3);
	s->order_id = db_col_int(st, 4);
	s->version = db_col_int(st, 5);
	s->created_at = db_col_int(st, 6);
	s->updated_at = db_col_int(st, 7);
	s->active_minutes = db_col_int(st, 8);
	s->oncall_minutes = db_col_int(st, 9);
	s->double_minutes = db_col_int(st, 10);
	s->unpaid_minutes = db_col_int(st, 11);
	s->payable_minutes = db_col_int(st, 12);
	s->granted_minutes = db_col_int(st, 13);
	str_copy(s->month, sizeof s->month, db_col_text(st, 14));
	str_copy(s->state, sizeof s->state, db_col_text(st, 15));
	str_copy(s->content_sha256, sizeof s->content_sha256, db_col_text(st, 16));
}

int
visits__pa_sheet_get(struct db_conn *c, int64_t tenant, int64_t provider, int64_t person,
                     const char *month, struct pa_sheet_row *out)
{
	struct db_stmt *st = db_prepare(c, sql_sheet_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider);
	db_bind_int(st, 3, person);
	db_bind_text(st, 4, month);
	return db_step_one(st, sheet_map, out);
}

int
visits__pa_sheet_insert(struct db_conn *c, struct pa_sheet_row *s)
{
	struct db_stmt *st = db_prepare(c, sql_sheet_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, s->tenant_id);
	db_bind_int(st, 2, s->provider_id);
	db_bind_int(st, 3, s->person_id);
	db_bind_int(st, 4, s->order_id);
	db_bind_text(st, 5, s->month);
	db_bind_text(st, 6, s->state);
	db_bind_int(st, 7, s->active_minutes);
	db_bind_int(st, 8, s->oncall_minutes);
	db_bind_int(st, 9, s->double_minutes);
	db_bind_int(st, 10, s->unpaid_minutes);
	db_bind_int(st, 11, s->payable_minutes);
	db_bind_int(st, 12, s->granted_minutes);
	db_bind_text(st, 13, s->content_sha256);
	db_bind_int(st, 14, s->created_at);
	return db_step_id(st, &s->id, HERR_DB);
}

int
visits__pa_sheet_state(struct db_conn *c, int64_t tenant, int64_t id, const char *state, int64_t at)
{
	struct db_stmt *st = db_prepare(c, sql_sheet_state);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	db_bind_text(st, 3, state);
	db_bind_int(st, 4, at);
	return db_step_done(st);
}

static const char sql_sig_insert[] =
    "INSERT INTO pa_signatures (tenant_id, sheet_id, role, assistant_id, user_id, signer_name,"
    " content_sha256, method, signed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    " RETURNING id";
static const char sql_sigs[] =
    "SELECT id, sheet_id, COALESCE(assistant_id, 0), user_id, signed_at, role, signer_name,"
    " content_sha256, method FROM pa_signatures WHERE tenant_id = $1 AND sheet_id = $2"
    " ORDER BY id";

int
visits__pa_signature_insert(struct db_conn *c, int64_t tenant, struct pa_signature *s)
{
	struct db_stmt *st = db_prepare(c, sql_sig_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, s->sheet_id);
	db_bind_text(st, 3, s->role);
	if (s->assistant_id)
		db_bind_int(st, 4, s->assistant_id);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, s->user_id);
	db_bind_text(st, 6, s->signer_name);
	db_bind_text(st, 7, s->content_sha256);
	db_bind_text(st, 8, s->method);
	db_bind_int(st, 9, s->signed_at);
	return db_step_id(st, &s->id, HERR_DB);
}

int
visits__pa_signatures(struct db_conn *c, int64_t tenant, int64_t sheet_id,
                      void (*fn)(const struct pa_signature *, void *), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_sigs);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, sheet_id);
	int rc;
	struct pa_signature s;
	while ((rc = db_step(st)) == DB_ROW) {
		memset(&s, 0, sizeof s);
		s.id = db_col_int(st, 0);
		s.sheet_id = db_col_int(st, 1);
		s.assistant_id = db_col_int(st, 2);
		s.user_id = db_col_int(st, 3);
		s.signed_at = db_col_int(st, 4);
		str_copy(s.role, sizeof s.role, db_col_text(st, 5));
		str_copy(s.signer_name, sizeof s.signer_name, db_col_text(st, 6));
		str_copy(s.content_sha256, sizeof s.content_sha256, db_col_text(st, 7));
		str_copy(s.method, sizeof s.method, db_col_text(st, 8));
		fn(&s, arg);
	}
	db_reset(st);
	return rc < 0 ? rc : 0;
}

static const char sql_grant_get[] =
    "SELECT order_id, double_granted, oncall_num, oncall_den FROM pa_grants"
    " WHERE tenant_id = $1 AND order_id = $2";
static const char sql_grant_update[] =
    "UPDATE pa_grants SET double_granted = $3, oncall_num = $4, oncall_den = $5, set_by = $6,"
    " updated_at = $7 WHERE tenant_id = $1 AND order_id = $2";
static const char sql_grant_insert[] =
    "INSERT INTO pa_grants (tenant_id, order_id, double_granted, oncall_num, oncall_den, set_by,"
    " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";

static void
grant_map(struct db_stmt *st, void *out)
{
	struct pa_grant_row *g = out;
	g->order_id = db_col_int(st, 0);
	g->double_granted = db_col_int(st, 1) != 0;
	g->oncall_num = (int)db_col_int(st, 2);
	g->oncall_den = (int)db_col_int(st, 3);
}

int
visits__pa_grant_get(struct db_conn *c, int64_t tenant, int64_t order_id, struct pa_grant_row *out)
{
	struct db_stmt *st = db_prepare(c, sql_grant_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, order_id);
	return db_step_one(st, grant_map, out);
}

/* Binds the grant's columns as $1..$7 of sql and runs it. */
static int
grant_write(struct db_conn *c, const char *sql, int64_t tenant, const struct pa_grant_row *g,
            int64_t user_id, int64_t at)
{
	struct db_stmt *st = db_prepare(c, sql);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, g->order_id);
	db_bind_int(st, 3, g->double_granted);
	db_bind_int(st, 4, g->oncall_num);
	db_bind_int(st, 5, g->oncall_den);
	if (user_id)
		db_bind_int(st, 6, user_id);
	else
		db_bind_null(st, 6);
	db_bind_int(st, 7, at);
	return db_step_done(st);
}

int
visits__pa_grant_put(struct db_conn *c, int64_t tenant, const struct pa_grant_row *g,
                     int64_t user_id, int64_t at)
{
	struct pa_grant_row old;
	int rc = visits__pa_grant_get(c, tenant, g->order_id, &old);
	if (rc == 0)
		return grant_write(c, sql_grant_update, tenant, g, user_id, at);
	if (rc != HERR_NOT_FOUND)
		return rc;
	return grant_write(c, sql_grant_insert, tenant, g, user_id, at);
}

/* The personal-assistance month's own lock (migration 0019), apart from home care's
 * period_locks: locking home-care visits never approves unsigned time sheets. */
static const char sql_pa_lock_insert[] =
    "INSERT INTO pa_month_locks (tenant_id, provider_id, month, approved_by, approved_at)"
    " VALUES ($1, $2, $3, $4, $5) RETURNING id";
static const char sql_pa_locked[] =
    "SELECT 1 FROM pa_month_locks WHERE tenant_id = $1 AND provider_id = $2 AND month = $3";

int
visits__pa_month_locked(struct db_conn *c, int64_t tenant, int64_t provider, const char *month,
                        bool *locked)
{
	struct db_stmt *st = db_prepare(c, sql_pa_locked);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider);
	db_bind_text(st, 3, month);
	int rc = db_step(st);
	*locked = rc == DB_ROW;
	db_reset(st);
	return rc < 0 ? rc : 0;
}

int
visits__pa_lock_insert(struct db_conn *c, int64_t tenant, int64_t provider, const char *month,
                       int64_t user_id, int64_t at)
{
	struct db_stmt *st = db_prepare(c, sql_pa_lock_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider);
	db_bind_text(st, 3, month);
	db_bind_int(st, 4, user_id);
	db_bind_int(st, 5, at);
	int rc = db_step(st);
	db_reset(st);
	if (rc == DB_ROW)
		return 0;
	return rc < 0 ? rc : HERR_DB;
}
