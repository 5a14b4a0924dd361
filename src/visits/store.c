/*
 * Every SQL statement of time reporting (STYLE.md rule 15), with the row mapping beside it.
 * The schema is src/db/sql/0011_visits.sql and 0012_assistance.sql.
 */
#include <stdio.h>
#include <string.h>

#include "assistance.h"
#include "base/err.h"
#include "db/db.h"

/* ---- personal assistance ---- */

static const char sql_month_locked[] =
    "SELECT 1 FROM period_locks WHERE tenant_id = $1 AND provider_id = $2 AND month = $3";

int
visits__month_locked(struct db_conn *c, int64_t tenant, int64_t provider_id, const char *month,
                     bool *locked)
{
	struct db_stmt *st = db_prepare(c, sql_month_locked);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider_id);
	db_bind_text(st, 3, month);
	int rc = db_step(st);
	db_reset(st);
	if (rc < 0)
		return rc;
	*locked = rc == DB_ROW;
	return 0;
}

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
copy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

static void
asst_row(struct db_stmt *st, struct pa_assistant *a)
{
	memset(a, 0, sizeof *a);
	a->id = db_col_int(st, 0);
	a->tenant_id = db_col_int(st, 1);
	a->provider_id = db_col_int(st, 2);
	a->user_id = db_col_int(st, 3);
	a->created_at = db_col_int(st, 4);
	copy(a->ref, sizeof a->ref, db_col_text(st, 5));
	copy(a->name, sizeof a->name, db_col_text(st, 6));
	copy(a->birth_date, sizeof a->birth_date, db_col_text(st, 7));
	a->relative = db_col_int(st, 8) != 0;
	a->same_household = db_col_int(st, 9) != 0;
	a->lives_in_eea = db_col_int(st, 10) != 0;
}

/* Steps st (bound) once: DB_ROW maps into out via fn and gives 0; none gives HERR_NOT_FOUND. */
static int
one(struct db_stmt *st, void (*map)(struct db_stmt *, void *), void *out)
{
	int rc = db_step(st);
	if (rc == DB_ROW) {
		map(st, out);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = HERR_NOT_FOUND;
	}
	db_reset(st);
	return rc;
}

/* Steps st (bound) to the end, giving 0 or the error; returns the id of RETURNING in *id. */
static int
returning(struct db_stmt *st, int64_t *id)
{
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_col_int(st, 0);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = HERR_DB;
	}
	db_reset(st);
	return rc;
}

static int
done(struct db_stmt *st)
{
	int rc = db_step(st);
	db_reset(st);
	return rc < 0 ? rc : 0;
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
	return returning(st, &a->id);
}

int
visits__pa_assistant_get(struct db_conn *c, int64_t tenant, int64_t id, struct pa_assistant *out)
{
	struct db_stmt *st = db_prepare(c, sql_asst_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	return one(st, asst_map, out);
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
	return one(st, asst_map, out);
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
	" h.source, h.state, h.reason"

static const char sql_hour_insert[] =
    "INSERT INTO pa_hours (tenant_id, provider_id, person_id, order_id, assistant_id, start_at,"
    " end_at, kind, day, month, booked_month, source, reason, corrects_id, state, created_by,"
    " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'done',"
    " $15, $16) RETURNING id";
static const char sql_hour_get[] =
    "SELECT " PA_HOUR_COLS " FROM pa_hours h WHERE h.id = $1 AND h.tenant_id = $2";
static const char sql_hour_supersede[] =
    "UPDATE pa_hours SET state = 'superseded', superseded_by = $3"
    " WHERE id = $1 AND tenant_id = $2 AND state = 'done'";
static const char sql_hours_assistant[] =
    "SELECT " PA_HOUR_COLS " FROM pa_hours h WHERE h.tenant_id = $1 AND h.assistant_id = $2"
    " AND h.state = 'done' AND h.start_at < $4 AND h.end_at > $3 ORDER BY h.start_at, h.id";
static const char sql_hours_person[] =
    "SELECT " PA_HOUR_COLS " FROM pa_hours h WHERE h.tenant_id = $1 AND h.provider_id = $2"
    " AND h.person_id = $3 AND h.state = 'done' AND h.start_at < $5 AND h.end_at > $4"
    " ORDER BY h.start_at, h.id";
static const char sql_hours_sheet[] =
    "SELECT " PA_HOUR_COLS " FROM pa_hours h LEFT JOIN pa_hours n ON n.id = h.superseded_by"
    " WHERE h.tenant_id = $1 AND h.provider_id = $2 AND h.person_id = $3 AND h.month = $4"
    " AND h.booked_month = $4 AND (h.superseded_by IS NULL OR n.booked_month <> $4)"
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
	copy(h->kind, sizeof h->kind, db_col_text(st, 12));
	copy(h->day, sizeof h->day, db_col_text(st, 13));
	copy(h->month, sizeof h->month, db_col_text(st, 14));
	copy(h->booked_month, sizeof h->booked_month, db_col_text(st, 15));
	copy(h->source, sizeof h->source, db_col_text(st, 16));
	copy(h->state, sizeof h->state, db_col_text(st, 17));
	copy(h->reason, sizeof h->reason, db_col_text(st, 18));
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
	return returning(st, &h->id);
}

int
visits__pa_hour_get(struct db_conn *c, int64_t tenant, int64_t id, struct pa_hour *out)
{
	struct db_stmt *st = db_prepare(c, sql_hour_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant);
	return one(st, hour_map, out);
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
	return done(st);
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
    "SELECT month FROM period_locks WHERE tenant_id = $1 AND provider_id = $2 AND month >= $4"
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
	copy(s->month, sizeof s->month, db_col_text(st, 14));
	copy(s->state, sizeof s->state, db_col_text(st, 15));
	copy(s->content_sha256, sizeof s->content_sha256, db_col_text(st, 16));
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
	return one(st, sheet_map, out);
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
	return returning(st, &s->id);
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
	return done(st);
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
	return returning(st, &s->id);
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
		copy(s.role, sizeof s.role, db_col_text(st, 5));
		copy(s.signer_name, sizeof s.signer_name, db_col_text(st, 6));
		copy(s.content_sha256, sizeof s.content_sha256, db_col_text(st, 7));
		copy(s.method, sizeof s.method, db_col_text(st, 8));
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
	return one(st, grant_map, out);
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
	return done(st);
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

static const char sql_lock_insert[] =
    "INSERT INTO period_locks (tenant_id, provider_id, month, approved_by, approved_at)"
    " VALUES ($1, $2, $3, $4, $5)";

int
visits__pa_lock_insert(struct db_conn *c, int64_t tenant, int64_t provider, const char *month,
                       int64_t user_id, int64_t at)
{
	struct db_stmt *st = db_prepare(c, sql_lock_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant);
	db_bind_int(st, 2, provider);
	db_bind_text(st, 3, month);
	db_bind_int(st, 4, user_id);
	db_bind_int(st, 5, at);
	return done(st);
}
