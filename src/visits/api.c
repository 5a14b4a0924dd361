/*
 * JSON routes of visits (issue 5): the day's customers for the phone page, check-in, check-out
 * and deviations from the phone, visits from a provider's system or entered afterwards with a
 * reason, corrections, bulk files, period locks, the list of visits and granted versus
 * performed. Every write takes an Idempotency-Key (shared/API.md): the same key and body get
 * the stored answer, another body under the key 409.
 *
 * Access: a provider's users (and its system, by API token) report only for customers with an
 * active order of their provider covering the visit's day (providers_order_covering), and read
 * only their provider's visits; municipal staff read a person's visits through
 * auth_person_access. Not yours is 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/err.h"
#include "base/calendar.h"
#include "base/json.h"
#include "base/rand.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "bulk.h"
#include "cases/cases.h"
#include "cases/report.h"
#include "db/db.h"
#include "http/http.h"
#include "people/people.h"
#include "providers/providers.h"
#include "visits.h"
#include "visits_api.h"
#include "visits_private.h"

#define LIST_MAX VISITS_LIST_MAX
#define KEY_MAX 100

static bool
is_provider_user(const struct req *r)
{
	return (r->who.roles & (ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF)) != 0;
}

/* The provider a provider user reports for; 403 for a user without one. */
static int
provider_or_fail(struct req *r, int64_t *provider)
{
	if (!is_provider_user(r) || r->who.provider_id <= 0)
		return REQ_FAIL(r, HERR_FORBIDDEN);
	*provider = r->who.provider_id;
	return 0;
}

/* The Idempotency-Key header, checked: NULL when absent; 400 when malformed. */
static int
key_or_fail(struct req *r, bool required, const char **key)
{
	const char *k = r->idempotency_key;
	*key = NULL;
	if (!k || !*k) {
		if (!required)
			return 0;
		field_error_add(&r->fe, "Idempotency-Key", "rapporten saknar Idempotency-Key");
		return REQ_FAIL(r, HERR_INVALID);
	}
	size_t n = strlen(k);
	bool ok = n <= KEY_MAX;
	for (size_t i = 0; ok && i < n; i++)
		ok = k[i] > 0x20 && k[i] < 0x7F;
	if (!ok) {
		field_error_add(&r->fe, "Idempotency-Key",
		                "nyckeln ska vara 1-100 synliga ASCII-tecken");
		return REQ_FAIL(r, HERR_INVALID);
	}
	*key = k;
	return 0;
}

/* SHA-256 over the route and the body: what the same key must be sent with again. */
static void
request_sha(const struct req *r, char out[65])
{
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, r->route->method);
	sb_addc(&sb, ' ');
	sb_adds(&sb, r->path);
	sb_addc(&sb, '\n');
	sb_add(&sb, r->body.buf ? r->body.buf : "", r->body.len);
	sha256_hex(sb.buf, sb.len, out);
	sb_release(&sb);
}

/* A time field: 0 and *t, or a field error and the code. */
static int
instant_or_fail(struct req *r, const char *field, const char *text, int64_t *t)
{
	char why[120], m[160];
	int rc = visits_parse_instant(text, t, why, sizeof why);
	if (rc == 0)
		return 0;
	if (rc == HERR_CONFLICT)
		snprintf(m, sizeof m, "%s: ange tidszon", why);
	else
		snprintf(m, sizeof m, "%s",
		         why[0] ? why
		                : "tiden ska vara ÅÅÅÅ-MM-DD TT:MM eller RFC 3339 med tidszon");
	field_error_add(&r->fe, field, m);
	return REQ_FAIL(r, HERR_INVALID);
}

static int
deviation_or_fail(struct req *r, const char *code, int *dev)
{
	*dev = visits_deviation_parse(code);
	if (*dev >= 0)
		return 0;
	field_error_add(&r->fe, "deviation", "okänd avvikelsekod");
	return REQ_FAIL(r, HERR_INVALID);
}

static int
times_or_fail(struct req *r, const char *field, int64_t start, int64_t end)
{
	int problem = visits_check_times(VISITS_HOME_CARE, start, end, time_now());
	if (problem == VISITS_TIME_OK)
		return 0;
	field_error_add(&r->fe, problem == VISITS_TIME_END_NOT_AFTER_START ? "end" : field,
	                visits_time_message(problem));
	return REQ_FAIL(r, HERR_RULE);
}

/*
 * Fills v's customer, service and order: the service code must be a visit service and the
 * provider must have an active order for the customer and service on the visit's day. 422
 * otherwise, with the field named.
 */
static int
order_or_fail(struct req *r, int64_t provider, int64_t person, const char *code, struct visit *v)
{
	if (strcmp(code, "personlig_assistans") == 0) {
		field_error_add(&r->fe, "service",
		                "personlig assistans rapporteras som assistanstimmar");
		return REQ_FAIL(r, HERR_RULE);
	}
	char day[11];
	cal_format(visits_local_day(v->start_at), day);
	struct service s;
	struct order_ref o;
	struct db_conn *c = db_reader(r->db);
	int rc = cases_service_get(c, r->who.tenant_id, code, &s);
	int rc2 =
	    rc == 0 ? providers_order_covering(c, r->who.tenant_id, provider, person, s.id, day, &o)
	            : rc;
	db_reader_done(r->db, c);
	if (rc == HERR_NOT_FOUND) {
		field_error_add(&r->fe, "service", "okänd insats");
		return REQ_FAIL(r, HERR_RULE);
	}
	if (rc2 == HERR_NOT_FOUND) {
		field_error_add(
		    &r->fe, "person_id",
		    "utföraren har inget aktivt uppdrag för kunden och insatsen den dagen");
		return REQ_FAIL(r, HERR_RULE);
	}
	if (rc || rc2)
		return REQ_FAIL(r, rc ? rc : rc2);
	v->tenant_id = r->who.tenant_id;
	v->provider_id = provider;
	v->person_id = person;
	v->service_id = s.id;
	v->order_id = o.id;
	v->decision_id = o.decision_id;
	snprintf(v->service, sizeof v->service, "%s", s.code);
	return 0;
}

/* Runs the report job: 0 (x->answer set, caller releases) or the refusal with its field. */
static int
report_run(struct req *r, struct visits_job *x)
{
	struct audit_entry e;
	req_audit_who(r, &e);
	x->who = &e;
	x->tenant = r->who.tenant_id;
	x->now = time_now();
	request_sha(r, x->request_sha);
	sb_init(&x->answer, 0);
	int rc = visits__report(r->db, x);
	if (rc) {
		sb_release(&x->answer);
		if (x->field)
			field_error_add(&r->fe, x->field, x->message);
		return REQ_FAIL(r, rc);
	}
	r->audit_writes++;
	return 0;
}

/* Runs the report job and answers: the stored answer, or the refusal with its field. */
static int
report_and_answer(struct req *r, struct visits_job *x)
{
	int rc = report_run(r, x);
	if (rc)
		return rc;
	req_json(r, x->status, &x->answer);
	sb_release(&x->answer);
	if (x->replayed)
		req_header(r, "Idempotent-Replayed", "true");
	return 0;
}

/* A new job for a visit reported by the logged-in user or system of provider. */
static struct visits_job *
job_new(struct req *r, int64_t provider, int mode, const char *key)
{
	struct visits_job *x = xcalloc(1, sizeof *x);
	x->mode = mode;
	x->provider = provider;
	x->key = key;
	x->v.tenant_id = r->who.tenant_id;
	x->v.provider_id = provider;
	x->v.created_by = r->who.user_id;
	x->v.created_at = time_now();
	x->v.staff_user_id = r->who.user_id;
	x->v.end_at = -1;
	return x;
}

static int
finish(struct req *r, struct visits_job *x, int rc)
{
	if (rc == 0)
		rc = report_and_answer(r, x);
	free(x);
	return rc;
}

/* The start of every report: the provider, the Idempotency-Key (required from the phone) and
 * the body decoded against fields (caller frees *o). 0, or the code with the answer set up. */
static int
report_begin(struct req *r, bool key_required, const struct jfield *fields, size_t n,
             int64_t *provider, const char **key, json_t **o)
{
	int rc = provider_or_fail(r, provider);
	if (rc == 0)
		rc = key_or_fail(r, key_required, key);
	return rc ? rc : req_decode_json(r, fields, n, o);
}

/* ---- the phone: check-in, check-out, deviations ---------------------------------------------- */

static const struct jfield check_in_fields[] = {
    {"person_id", JF_INT, true, 0, NULL, 0},
    {"service", JF_STRING, true, 40, NULL, 0},
    {"at", JF_STRING, true, 40, NULL, 0},
};

int
visits_api_check_in(struct req *r)
{
	int64_t provider = 0;
	const char *key = NULL;
	json_t *o;
	int rc =
	    report_begin(r, true, check_in_fields,
	                 sizeof check_in_fields / sizeof check_in_fields[0], &provider, &key, &o);
	if (rc)
		return rc;
	struct visits_job *x = job_new(r, provider, VISITS_NEW, key);
	rc = instant_or_fail(r, "at", json_get_str(o, "at"), &x->v.start_at);
	if (rc == 0)
		rc = times_or_fail(r, "at", x->v.start_at, -1);
	if (rc == 0)
		rc = order_or_fail(r, provider, json_get_int(o, "person_id", 0),
		                   json_get_str(o, "service"), &x->v);
	json_decref(o);
	snprintf(x->v.staff_ref, sizeof x->v.staff_ref, "%s", r->who.username);
	snprintf(x->v.source, sizeof x->v.source, "phone");
	snprintf(x->v.state, sizeof x->v.state, "open");
	return finish(r, x, rc);
}

static const struct jfield check_out_fields[] = {
    {"check_in_key", JF_STRING, true, KEY_MAX, NULL, 0},
    {"at", JF_STRING, true, 40, NULL, 0},
    {"deviation", JF_STRING, false, 30, NULL, 0},
    {"note", JF_STRING, false, 400, NULL, 0},
};

int
visits_api_check_out(struct req *r)
{
	int64_t provider = 0;
	const char *key = NULL;
	json_t *o;
	int rc =
	    report_begin(r, true, check_out_fields,
	                 sizeof check_out_fields / sizeof check_out_fields[0], &provider, &key, &o);
	if (rc)
		return rc;
	struct visits_job *x = job_new(r, provider, VISITS_CHECK_OUT, key);
	char *in_key = xstrdup(json_get_str(o, "check_in_key"));
	x->check_in_key = in_key;
	rc = instant_or_fail(r, "at", json_get_str(o, "at"), &x->v.end_at);
	if (rc == 0)
		rc = deviation_or_fail(r, json_get_str(o, "deviation"), &x->v.deviation);
	if (rc == 0)
		snprintf(x->v.note, sizeof x->v.note, "%s",
		         json_get_str(o, "note") ? json_get_str(o, "note") : "");
	json_decref(o);
	rc = finish(r, x, rc);
	free(in_key);
	return rc;
}

static const struct jfield deviation_fields[] = {
    {"person_id", JF_INT, true, 0, NULL, 0},        {"service", JF_STRING, true, 40, NULL, 0},
    {"at", JF_STRING, true, 40, NULL, 0},           {"deviation", JF_STRING, true, 30, NULL, 0},
    {"planned_minutes", JF_INT, false, 0, NULL, 0}, {"note", JF_STRING, false, 400, NULL, 0},
};

/* Fills planned minutes from a body: 0..the longest visit. */
static int
planned_or_fail(struct req *r, const json_t *o, struct visit *v)
{
	long long p = json_get_int(o, "planned_minutes", 0);
	if (p < 0 || p > VISITS_MAX_VISIT_MINUTES) {
		field_error_add(&r->fe, "planned_minutes", "planerad tid ska vara 0-720 minuter");
		return REQ_FAIL(r, HERR_INVALID);
	}
	v->planned_minutes = (int)p;
	return 0;
}

int
visits_api_deviation(struct req *r)
{
	int64_t provider = 0;
	const char *key = NULL;
	json_t *o;
	int rc =
	    report_begin(r, true, deviation_fields,
	                 sizeof deviation_fields / sizeof deviation_fields[0], &provider, &key, &o);
	if (rc)
		return rc;
	struct visits_job *x = job_new(r, provider, VISITS_NEW, key);
	rc = instant_or_fail(r, "at", json_get_str(o, "at"), &x->v.start_at);
	if (rc == 0)
		rc = deviation_or_fail(r, json_get_str(o, "deviation"), &x->v.deviation);
	if (rc == 0 && x->v.deviation == VISITS_DEV_NONE) {
		field_error_add(&r->fe, "deviation", "välj en avvikelse");
		rc = REQ_FAIL(r, HERR_INVALID);
	}
	if (rc == 0)
		rc = planned_or_fail(r, o, &x->v);
	if (rc == 0)
		rc = times_or_fail(r, "at", x->v.start_at, -1);
	if (rc == 0)
		rc = order_or_fail(r, provider, json_get_int(o, "person_id", 0),
		                   json_get_str(o, "service"), &x->v);
	if (rc == 0)
		snprintf(x->v.note, sizeof x->v.note, "%s",
		         json_get_str(o, "note") ? json_get_str(o, "note") : "");
	json_decref(o);
	/* Nobody performed a visit: the report takes no time (bomtid is reported by checking in
	 * and out with the code declined); the write job counts it (count_visit). */
	snprintf(x->v.staff_ref, sizeof x->v.staff_ref, "%s", r->who.username);
	snprintf(x->v.source, sizeof x->v.source, "phone");
	snprintf(x->v.state, sizeof x->v.state, "done");
	return finish(r, x, rc);
}

/* ---- provider systems, manual entry, corrections ----------------------------------------------
 */

static const struct jfield visit_fields[] = {
    {"person_id", JF_INT, true, 0, NULL, 0},        {"service", JF_STRING, true, 40, NULL, 0},
    {"staff", JF_STRING, true, 64, NULL, 0},        {"start", JF_STRING, true, 40, NULL, 0},
    {"end", JF_STRING, false, 40, NULL, 0},         {"deviation", JF_STRING, false, 30, NULL, 0},
    {"planned_minutes", JF_INT, false, 0, NULL, 0}, {"external_id", JF_STRING, false, 64, NULL, 0},
    {"note", JF_STRING, false, 400, NULL, 0},       {"reason", JF_STRING, false, 400, NULL, 0},
};

static const struct jfield correction_fields[] = {
    {"staff", JF_STRING, false, 64, NULL, 0},       {"start", JF_STRING, true, 40, NULL, 0},
    {"end", JF_STRING, false, 40, NULL, 0},         {"deviation", JF_STRING, false, 30, NULL, 0},
    {"planned_minutes", JF_INT, false, 0, NULL, 0}, {"note", JF_STRING, false, 400, NULL, 0},
    {"reason", JF_STRING, true, 400, NULL, 0},
};

static void
text_field(const json_t *o, const char *name, char *dst, size_t n)
{
	const char *s = json_get_str(o, name);
	snprintf(dst, n, "%s", s ? s : "");
}

/* The times, deviation and counts of a visit from a body (start, end, deviation,
 * planned_minutes, note, reason, staff). */
static int
visit_body_or_fail(struct req *r, const json_t *o, struct visit *v)
{
	int rc = instant_or_fail(r, "start", json_get_str(o, "start"), &v->start_at);
	if (rc == 0)
		rc = deviation_or_fail(r, json_get_str(o, "deviation"), &v->deviation);
	if (rc == 0)
		rc = planned_or_fail(r, o, v);
	if (rc)
		return rc;
	bool without = visits_deviation_without_visit(v->deviation);
	const char *end = json_get_str(o, "end");
	v->end_at = -1;
	if (end && !without)
		rc = instant_or_fail(r, "end", end, &v->end_at);
	else if (!without) {
		field_error_add(&r->fe, "end", "sluttid saknas");
		rc = REQ_FAIL(r, HERR_INVALID);
	}
	if (rc == 0)
		rc = times_or_fail(r, "start", v->start_at, v->end_at);
	if (rc)
		return rc;
	/* The minutes are counted by the write job under the tenant's rule (store.c). */
	text_field(o, "note", v->note, sizeof v->note);
	text_field(o, "reason", v->reason, sizeof v->reason);
	text_field(o, "staff", v->staff_ref, sizeof v->staff_ref);
	text_field(o, "external_id", v->external_id, sizeof v->external_id);
	snprintf(v->state, sizeof v->state, "done");
	return 0;
}

int
visits_api_create(struct req *r)
{
	int64_t provider = 0;
	const char *key = NULL;
	json_t *o;
	int rc = report_begin(r, false, visit_fields, sizeof visit_fields / sizeof visit_fields[0],
	                      &provider, &key, &o);
	if (rc)
		return rc;
	struct visits_job *x = job_new(r, provider, VISITS_NEW, key);
	x->v.staff_user_id = 0;
	rc = visit_body_or_fail(r, o, &x->v);
	if (rc == 0 && !x->v.staff_ref[0]) {
		field_error_add(&r->fe, "staff", "ange personalen");
		rc = REQ_FAIL(r, HERR_INVALID);
	}
	if (rc == 0)
		rc = order_or_fail(r, provider, json_get_int(o, "person_id", 0),
		                   json_get_str(o, "service"), &x->v);
	json_decref(o);
	snprintf(x->v.source, sizeof x->v.source, "%s", x->v.reason[0] ? "manual" : "api");
	return finish(r, x, rc);
}

int
visits__enter_or_fail(struct req *r, int64_t correct_id, const json_t *o, struct visit *out)
{
	int64_t provider = 0;
	int rc = provider_or_fail(r, &provider);
	if (rc)
		return rc;
	struct visits_job *x = job_new(r, provider, correct_id ? VISITS_CORRECT : VISITS_NEW, NULL);
	x->correct_id = correct_id;
	x->v.staff_user_id = 0;
	rc = visit_body_or_fail(r, o, &x->v);
	if (rc == 0 && !x->v.reason[0]) {
		field_error_add(&r->fe, "reason",
		                correct_id ? "en rättelse behöver ett skäl"
		                           : "ange varför besöket registreras i efterhand");
		rc = REQ_FAIL(r, HERR_INVALID);
	}
	if (rc == 0 && !x->v.staff_ref[0]) {
		field_error_add(&r->fe, "staff", "ange personalen");
		rc = REQ_FAIL(r, HERR_INVALID);
	}
	if (rc == 0 && !correct_id)
		rc = order_or_fail(r, provider, json_get_int(o, "person_id", 0),
		                   json_get_str(o, "service"), &x->v);
	snprintf(x->v.source, sizeof x->v.source, "%s", correct_id ? "correction" : "manual");
	if (rc == 0)
		rc = report_run(r, x);
	if (rc == 0) {
		sb_release(&x->answer);
		*out = x->v;
	}
	free(x);
	return rc;
}

int
visits_api_correct(struct req *r)
{
	int64_t provider = 0;
	const char *key = NULL;
	json_t *o;
	int rc = report_begin(r, false, correction_fields,
	                      sizeof correction_fields / sizeof correction_fields[0], &provider,
	                      &key, &o);
	if (rc)
		return rc;
	struct visits_job *x = job_new(r, provider, VISITS_CORRECT, key);
	x->correct_id = r->params[0];
	x->v.staff_user_id = 0;
	rc = visit_body_or_fail(r, o, &x->v);
	json_decref(o);
	if (rc == 0 && !x->v.reason[0]) {
		field_error_add(&r->fe, "reason", "en rättelse behöver ett skäl");
		rc = REQ_FAIL(r, HERR_INVALID);
	}
	snprintf(x->v.source, sizeof x->v.source, "correction");
	return finish(r, x, rc);
}

/* ---- reads ------------------------------------------------------------------------------------
 */

void
visits__persons_add(struct persons *p, int64_t id)
{
	for (int i = p->n - 1; i >= 0 && i >= p->n - 8; i--)
		if (p->ids[i] == id)
			return;
	if (p->n < VISITS_LIST_MAX)
		p->ids[p->n++] = id;
}

/* One read record per person of the answer (entity), durable before it; a record with no
 * person when the answer names nobody. */
int
visits__audit_reads(struct req *r, const char *entity, const int64_t *ids, int n)
{
	static const int64_t nobody = 0;
	int rc = n > 0 ? req_audit_reads(r, "read", entity, 0, ids, n)
	               : req_audit_reads(r, "read", entity, 0, &nobody, 1);
	return rc ? REQ_FAIL(r, rc) : 0;
}

/*
 * Whose visits the user may read: a provider user its provider's (*provider, person optional);
 * others one person's (person_id required, auth_person_access), of every provider.
 */
static int
scope_or_fail(struct req *r, int64_t *provider, int64_t *person)
{
	int64_t p = 0;
	int rc = req_query_int(r, "person_id", 0, INT64_MAX / 2, &p);
	if (rc)
		return rc;
	*person = p;
	*provider = 0;
	if (is_provider_user(r))
		return provider_or_fail(r, provider);
	if (p <= 0) {
		field_error_add(&r->fe, "person_id", "ange personen");
		return REQ_FAIL(r, HERR_INVALID);
	}
	struct db_conn *c = db_reader(r->db);
	rc = auth_person_access(c, &r->who, p);
	db_reader_done(r->db, c);
	return rc ? REQ_FAIL(r, rc) : 0;
}

/* The month of ?month= (default this month) as YYYY-MM. */
static int
month_or_fail(struct req *r, const char *text, char out[8])
{
	int m;
	if (!text) {
		char today[11];
		time_today(today);
		int32_t d;
		cal_parse(today, &d);
		visits_month_format(visits_month_of_day(d), out);
		return 0;
	}
	if (visits_month_parse(text, &m) != 0) {
		field_error_add(&r->fe, "month", "månaden ska skrivas ÅÅÅÅ-MM");
		return REQ_FAIL(r, HERR_INVALID);
	}
	visits_month_format(m, out);
	return 0;
}

struct list_ctx {
	struct strbuf *sb;
	struct persons *persons;
	int n;
	int64_t last;
};

static void
list_one(const struct visit *v, void *arg)
{
	struct list_ctx *l = arg;
	if (l->n++)
		sb_addc(l->sb, ',');
	visits__json(l->sb, v);
	visits__persons_add(l->persons, v->person_id);
	l->last = v->id;
}

int
visits_api_list(struct req *r)
{
	int64_t provider = 0, person = 0, limit = 0, after = 0;
	char month[8];
	int rc = scope_or_fail(r, &provider, &person);
	if (rc == 0)
		rc = month_or_fail(r, req_query(r, "month"), month);
	if (rc == 0)
		rc = req_query_int(r, "limit", 200, LIST_MAX, &limit);
	if (rc == 0)
		rc = req_query_int(r, "cursor", 0, INT64_MAX / 2, &after);
	if (rc)
		return rc;
	const char *booked = req_query(r, "booked");
	struct persons *ps = xcalloc(1, sizeof *ps);
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "{\"items\":[");
	struct list_ctx l = {&sb, ps, 0, 0};
	struct db_conn *c = db_reader(r->db);
	rc = visits__list(c, r->who.tenant_id, provider, person, month,
	                  booked && strcmp(booked, "true") == 0, after, (int)limit, list_one, &l);
	db_reader_done(r->db, c);
	sb_adds(&sb, "],\"next_cursor\":");
	if (l.n == limit)
		sb_addf(&sb, "\"%lld\"}", (long long)l.last);
	else
		sb_adds(&sb, "null}");
	if (rc == 0 && person > 0 && ps->n == 0)
		visits__persons_add(ps, person);
	if (rc == 0)
		rc = visits__audit_reads(r, "visit_list", ps->ids, ps->n);
	else
		rc = REQ_FAIL(r, rc);
	if (rc == 0)
		req_json(r, 200, &sb);
	sb_release(&sb);
	free(ps);
	return rc;
}

/* One visit the user may read: its provider's users, or staff with access to the person. */
int
visits__load_or_fail(struct req *r, int64_t id, struct visit *v)
{
	struct db_conn *c = db_reader(r->db);
	int rc = visits__get(c, r->who.tenant_id, id, v);
	if (rc == 0 && is_provider_user(r) && v->provider_id != r->who.provider_id)
		rc = HERR_NOT_FOUND;
	if (rc == 0 && !is_provider_user(r))
		rc = auth_person_access(c, &r->who, v->person_id);
	db_reader_done(r->db, c);
	return rc ? REQ_FAIL(r, rc) : 0;
}

int
visits_api_get(struct req *r)
{
	struct visit v;
	int rc = visits__load_or_fail(r, r->params[0], &v);
	if (rc == 0)
		rc = visits__audit_reads(r, "visit", &v.person_id, 1);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	visits__json(&sb, &v);
	req_json(r, 200, &sb);
	return 0;
}

/* ---- the day's customers ------------------------------------------------------------------- */

struct customers_ctx {
	struct db_conn *c;
	struct strbuf *sb;
	struct persons *persons;
	int64_t tenant;
	int n;
};

static void
customer_one(const struct order_ref *o, void *arg)
{
	struct customers_ctx *x = arg;
	if (strcmp(o->service_code, "personlig_assistans") == 0 || x->persons->n >= LIST_MAX)
		return;
	struct person p;
	if (people_get(x->c, x->tenant, o->person_id, &p) != 0)
		return;
	if (x->n++)
		sb_addc(x->sb, ',');
	sb_addf(x->sb, "{\"person_id\":%lld,\"name\":", (long long)o->person_id);
	char name[160];
	visits__short_name(&p, name, sizeof name);
	json_str(x->sb, name);
	sb_adds(x->sb, ",\"service\":");
	json_str(x->sb, o->service_code);
	sb_addf(x->sb, ",\"order_id\":%lld,\"from\":\"%s\",\"to\":", (long long)o->id, o->from);
	if (o->to[0])
		sb_addf(x->sb, "\"%s\"", o->to);
	else
		sb_adds(x->sb, "null");
	sb_addf(x->sb, ",\"granted_minutes_month\":%lld}", (long long)o->granted_minutes_month);
	visits__persons_add(x->persons, o->person_id);
}

void
visits__short_name(const struct person *p, char *out, size_t n)
{
	/* Given name and the family name's initial: enough at the door, little on a lost phone. */
	unsigned char c0 = (unsigned char)p->family_name[0];
	int len = c0 < 0x80 ? 1 : c0 >= 0xF0 ? 4 : c0 >= 0xE0 ? 3 : 2;
	snprintf(out, n, "%s %.*s.", p->given_name, p->family_name[0] ? len : 0, p->family_name);
}

int
visits__customers(struct req *r, const char *date, struct strbuf *sb, struct persons **out)
{
	int64_t provider = 0;
	int rc = provider_or_fail(r, &provider);
	if (rc)
		return rc;
	struct persons *ps = xcalloc(1, sizeof *ps);
	struct db_conn *c = db_reader(r->db);
	struct customers_ctx x = {c, sb, ps, r->who.tenant_id, 0};
	rc = providers_orders_active(c, r->who.tenant_id, provider, date, customer_one, &x);
	db_reader_done(r->db, c);
	if (rc == 0)
		rc = visits__audit_reads(r, "visit_customers", ps->ids, ps->n);
	else
		rc = REQ_FAIL(r, rc);
	if (out && rc == 0)
		*out = ps;
	else
		free(ps);
	return rc;
}

int
visits_api_customers(struct req *r)
{
	char date[11];
	const char *q = req_query(r, "date");
	int32_t d;
	if (q && cal_parse(q, &d) != 0) {
		field_error_add(&r->fe, "date", "datumet ska skrivas ÅÅÅÅ-MM-DD");
		return REQ_FAIL(r, HERR_INVALID);
	}
	if (q)
		snprintf(date, sizeof date, "%s", q);
	else
		time_today(date);
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "{\"items\":[");
	int rc = visits__customers(r, date, &sb, NULL);
	sb_adds(&sb, "],\"next_cursor\":null}");
	if (rc == 0)
		req_json(r, 200, &sb);
	sb_release(&sb);
	return rc;
}

/* ---- granted versus performed ---------------------------------------------------------------- */

struct gap_ctx {
	struct visits_row_gap *rows;
	int n, seen;
	int64_t last; /* the last order id seen, kept or not: the cursor */
	char first[11], last_day[11];
};

static void
gap_order(const struct order *o, void *arg)
{
	struct gap_ctx *g = arg;
	const struct order_ref *ref = &o->ref;
	g->seen++;
	g->last = ref->id;
	if (g->n >= LIST_MAX || strcmp(ref->service_code, "personlig_assistans") == 0 ||
	    (strcmp(ref->state, "accepted") != 0 && strcmp(ref->state, "ended") != 0) ||
	    strcmp(ref->from, g->last_day) > 0 || (ref->to[0] && strcmp(ref->to, g->first) < 0))
		return;
	struct visits_row_gap *row = &g->rows[g->n++];
	memset(row, 0, sizeof *row);
	row->order_id = ref->id;
	row->person_id = ref->person_id;
	row->provider_id = ref->provider_id;
	row->service_id = ref->service_id;
	snprintf(row->service, sizeof row->service, "%s", ref->service_code);
	snprintf(row->service_name, sizeof row->service_name, "%s", o->service_name);
	snprintf(row->provider_name, sizeof row->provider_name, "%s", o->provider_name);
	row->granted = ref->granted_minutes_month;
}

static int
id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The distinct persons of rows, sorted, into ps. */
static void
gap_persons(const struct visits_row_gap *rows, int n, struct persons *ps)
{
	for (int i = 0; i < n && ps->n < VISITS_LIST_MAX; i++)
		ps->ids[ps->n++] = rows[i].person_id;
	qsort(ps->ids, (size_t)ps->n, sizeof ps->ids[0], id_cmp);
	int k = 0;
	for (int i = 0; i < ps->n; i++)
		if (k == 0 || ps->ids[k - 1] != ps->ids[i])
			ps->ids[k++] = ps->ids[i];
	ps->n = k;
}

int
visits__summary_rows(struct req *r, const char *month, int64_t provider, int64_t person,
                     int64_t after, int limit, struct visits_row_gap **rows, int *n, int64_t *next)
{
	int m;
	visits_month_parse(month, &m);
	struct gap_ctx *g = xcalloc(1, sizeof *g);
	g->rows = xcalloc(LIST_MAX, sizeof *g->rows);
	int32_t first = visits_month_first_day(m), following = visits_month_first_day(m + 1);
	cal_format(first, g->first);
	cal_format(following - 1, g->last_day);
	if (limit <= 0 || limit > LIST_MAX)
		limit = LIST_MAX;
	struct db_conn *c = db_reader(r->db);
	int rc;
	if (provider == 0 && person == 0)
		rc = providers_orders_period(c, r->who.tenant_id, g->first, g->last_day, after,
		                             limit, gap_order, g);
	else
		rc = providers_orders(c, r->who.tenant_id, provider, 0, person, "", LIST_MAX,
		                      gap_order, g);
	for (int i = 0; rc == 0 && i < g->n; i++)
		rc = visits__gap(c, r->who.tenant_id, month, &g->rows[i]);
	db_reader_done(r->db, c);
	*rows = g->rows;
	*n = rc == 0 ? g->n : 0;
	*next = rc == 0 && provider == 0 && person == 0 && g->seen == limit ? g->last : 0;
	free(g);
	return rc ? REQ_FAIL(r, rc) : 0;
}

int
visits__summary(struct req *r, const char *month, int64_t provider, int64_t person, int64_t after,
                int limit, struct visits_row_gap **rows, int *n, int64_t *next)
{
	int rc = visits__summary_rows(r, month, provider, person, after, limit, rows, n, next);
	if (rc)
		return rc;
	struct persons *ps = xcalloc(1, sizeof *ps);
	gap_persons(*rows, *n, ps);
	if (person > 0 && ps->n == 0)
		visits__persons_add(ps, person);
	rc = visits__audit_reads(r, "visit_summary", ps->ids, ps->n);
	free(ps);
	if (rc)
		*n = 0;
	return rc;
}

/* Whose granted versus performed the user may read: scope_or_fail's, and for finance
 * (PERM_VISIT_BILLING) without person_id every order of the tenant (*provider, *person 0). */
static int
summary_scope_or_fail(struct req *r, int64_t *provider, int64_t *person)
{
	const char *p = req_query(r, "person_id");
	if (!is_provider_user(r) && (!p || !*p) && auth_permits(&r->who, PERM_VISIT_BILLING)) {
		*provider = 0;
		*person = 0;
		return 0;
	}
	return scope_or_fail(r, provider, person);
}

/* Appends one row of granted versus performed as JSON. */
static void
gap_json(struct strbuf *sb, const struct visits_row_gap *g)
{
	sb_addf(sb, "{\"person_id\":%lld,\"provider_id\":%lld,\"order_id\":%lld,\"provider\":",
	        (long long)g->person_id, (long long)g->provider_id, (long long)g->order_id);
	json_str(sb, g->provider_name);
	sb_adds(sb, ",\"service\":");
	json_str(sb, g->service);
	sb_adds(sb, ",\"service_name\":");
	json_str(sb, g->service_name);
	sb_addf(sb,
	        ",\"granted_minutes\":%lld,\"performed_minutes\":%lld,"
	        "\"difference_minutes\":%lld,\"unexplained_minutes\":%lld,"
	        "\"adjustment_minutes\":%lld,\"visits\":%d,\"deviations\":%d,\"reasons\":{",
	        (long long)g->gap.granted, (long long)g->gap.performed,
	        (long long)g->gap.difference, (long long)g->gap.unexplained,
	        (long long)g->adjustment_minutes, g->visits, g->deviations);
	int k = 0;
	for (int d = 1; d < VISITS_DEV_COUNT; d++) {
		if (!g->gap.by_reason[d])
			continue;
		sb_addf(sb, "%s\"%s\":%lld", k++ ? "," : "", visits_deviation_code(d),
		        (long long)g->gap.by_reason[d]);
	}
	sb_adds(sb, "}}");
}

int
visits_api_summary(struct req *r)
{
	int64_t provider = 0, person = 0, limit = LIST_MAX, after = 0;
	char month[8];
	int rc = summary_scope_or_fail(r, &provider, &person);
	if (rc == 0)
		rc = month_or_fail(r, req_query(r, "month"), month);
	if (rc == 0)
		rc = req_query_int(r, "limit", LIST_MAX, LIST_MAX, &limit);
	if (rc == 0)
		rc = req_query_int(r, "cursor", 0, INT64_MAX / 2, &after);
	if (rc)
		return rc;
	struct visits_row_gap *rows;
	int n;
	int64_t next;
	rc = visits__summary(r, month, provider, person, after, (int)limit, &rows, &n, &next);
	if (rc) {
		free(rows);
		return rc;
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_addf(&sb, "{\"month\":\"%s\",\"items\":[", month);
	for (int i = 0; i < n; i++) {
		if (i)
			sb_addc(&sb, ',');
		gap_json(&sb, &rows[i]);
	}
	if (next)
		sb_addf(&sb, "],\"next_cursor\":\"%lld\"}", (long long)next);
	else
		sb_adds(&sb, "],\"next_cursor\":null}");
	free(rows);
	req_json(r, 200, &sb);
	return 0;
}

/* Appends one CSV row of granted versus performed: text fields escaped, figures as numbers. */
static void
gap_csv(struct strbuf *sb, const char *month, const struct visits_row_gap *g, const char *name)
{
	cases_csv_field(sb, month);
	sb_addf(sb, ";%lld;", (long long)g->person_id);
	cases_csv_field(sb, name);
	sb_addf(sb, ";%lld;", (long long)g->provider_id);
	cases_csv_field(sb, g->provider_name);
	sb_adds(sb, ";");
	cases_csv_field(sb, g->service);
	sb_addf(sb, ";%lld;%lld;%lld;%lld;%lld;%lld;%d;%d", (long long)g->order_id,
	        (long long)g->gap.granted, (long long)g->gap.performed,
	        (long long)g->gap.difference, (long long)g->gap.unexplained,
	        (long long)g->adjustment_minutes, g->visits, g->deviations);
	for (int d = 1; d < VISITS_DEV_COUNT; d++)
		sb_addf(sb, ";%lld", (long long)g->gap.by_reason[d]);
	sb_adds(sb, "\r\n");
}

/* Caps the pages of one CSV: VISITS_LIST_MAX orders each. */
#define CSV_PAGES_MAX 200

int
visits_api_summary_csv(struct req *r)
{
	char month[8];
	int rc = month_or_fail(r, req_query(r, "month"), month);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "\xEF\xBB\xBFMånad;Kund-id;Kund;Utförar-id;Utförare;Insats;Uppdrag;"
	             "Beviljat (min);Utfört (min);Skillnad (min);Oförklarat (min);"
	             "Justeringar (min);Rapporter;Avvikelser");
	for (int d = 1; d < VISITS_DEV_COUNT; d++) {
		sb_adds(&sb, ";");
		cases_csv_field(&sb, visits_deviation_label(d));
	}
	sb_adds(&sb, "\r\n");
	int64_t after = 0;
	for (int page = 0; rc == 0 && page < CSV_PAGES_MAX; page++) {
		struct visits_row_gap *rows;
		int n;
		int64_t next;
		rc = visits__summary(r, month, 0, 0, after, LIST_MAX, &rows, &n, &next);
		struct db_conn *c = rc == 0 ? db_reader(r->db) : NULL;
		for (int i = 0; i < n; i++) {
			struct person p;
			char name[160] = "";
			if (people_get(c, r->who.tenant_id, rows[i].person_id, &p) == 0)
				visits__short_name(&p, name, sizeof name);
			gap_csv(&sb, month, &rows[i], name);
		}
		if (c)
			db_reader_done(r->db, c);
		free(rows);
		if (!next)
			break;
		after = next;
	}
	if (rc == 0 && sb.err)
		rc = REQ_FAIL(r, sb.err);
	if (rc) {
		sb_release(&sb);
		return rc;
	}
	char disp[80];
	snprintf(disp, sizeof disp, "attachment; filename=\"utford-tid-%s.csv\"", month);
	req_json(r, 200, &sb);
	r->resp_type = "text/csv; charset=utf-8";
	req_header(r, "Content-Disposition", disp);
	return 0;
}

/* ---- period locks --------------------------------------------------------------------------- */

static const struct jfield lock_fields[] = {
    {"month", JF_STRING, true, 7, NULL, 0},
};

int
visits__lock_or_fail(struct req *r, const char *text)
{
	int64_t provider = 0;
	char month[8];
	int rc = provider_or_fail(r, &provider);
	if (rc == 0)
		rc = month_or_fail(r, text ? text : "", month);
	if (rc)
		return rc;
	struct audit_entry e;
	req_audit_who(r, &e);
	const char *message = NULL;
	rc = visits__lock_month(r->db, r->who.tenant_id, provider, month, r->who.user_id, &e,
	                        &message);
	if (rc == HERR_CONFLICT)
		message = "månaden är redan godkänd och låst";
	if (message)
		field_error_add(&r->fe, "month", message);
	return rc ? REQ_FAIL(r, rc) : 0;
}

int
visits_api_lock(struct req *r)
{
	json_t *o;
	int rc = req_decode_json(r, lock_fields, 1, &o);
	if (rc)
		return rc;
	char month[8];
	snprintf(month, sizeof month, "%s", json_get_str(o, "month"));
	json_decref(o);
	rc = visits__lock_or_fail(r, month);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_addf(&sb, "{\"provider_id\":%lld,\"month\":\"%s\",\"locked\":true}",
	        (long long)r->who.provider_id, month);
	req_json(r, 201, &sb);
	return 0;
}

static void
lock_one(const char *month, int64_t at, const char *by, void *arg)
{
	struct strbuf *sb = arg;
	if (sb->buf[sb->len - 1] != '[')
		sb_addc(sb, ',');
	sb_adds(sb, "{\"month\":");
	json_str(sb, month);
	sb_adds(sb, ",\"approved_at\":\"");
	time_rfc3339(sb, at);
	sb_adds(sb, "\",\"approved_by\":");
	json_str(sb, by);
	sb_addc(sb, '}');
}

int
visits_api_locks(struct req *r)
{
	int64_t provider = 0;
	int rc = provider_or_fail(r, &provider);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "{\"items\":[");
	struct db_conn *c = db_reader(r->db);
	rc = visits__locks(c, r->who.tenant_id, provider, lock_one, &sb);
	db_reader_done(r->db, c);
	sb_adds(&sb, "],\"next_cursor\":null}");
	if (rc == 0)
		req_json(r, 200, &sb);
	sb_release(&sb);
	return rc ? REQ_FAIL(r, rc) : 0;
}

/* ---- bulk intake ----------------------------------------------------------------------------- */

/* The line-by-line report of a refused file, sorted by line then column: a problem whose errors
 * name "line N: column",
 * with every kept error also under "lines" ({line, field, message}) and the total count. */
static void
bulk_report(struct req *r, struct visits_bulk *b)
{
	visits_bulk_sort_errors(b);
	for (int i = 0; i < b->nerrors; i++) {
		char field[64];
		snprintf(field, sizeof field, "rad %d%s%s", b->errors[i].line,
		         b->errors[i].field[0] ? ": " : "", b->errors[i].field);
		field_error_add(&r->fe, field, b->errors[i].message);
	}
	char detail[160];
	snprintf(detail, sizeof detail, "filen har %d fel; inget har sparats", b->error_count);
	req_problem(r, HERR_RULE, detail);
	/* Extend the problem object with the whole list. */
	if (r->out.len && r->out.buf[r->out.len - 1] == '}') {
		r->out.len--;
		r->out.buf[r->out.len] = '\0';
		sb_addf(&r->out, ",\"error_count\":%d,\"lines\":[", b->error_count);
		for (int i = 0; i < b->nerrors; i++) {
			sb_addf(&r->out, "%s{\"line\":%d,\"field\":", i ? "," : "",
			        b->errors[i].line);
			json_str(&r->out, b->errors[i].field);
			sb_adds(&r->out, ",\"message\":");
			json_str(&r->out, b->errors[i].message);
			sb_addc(&r->out, '}');
		}
		sb_adds(&r->out, "]}");
	}
}

/* Resolves the service and order of every row; problems go to b. */
/* Resolves each row of b to its order, service and the order's decision (0 where a row has
 * none: its error is added to b). 0 or a database code. */
static int
bulk_orders(struct req *r, int64_t provider, struct visits_bulk *b, int64_t *orders,
            int64_t *services, int64_t *decisions)
{
	struct db_conn *c = db_reader(r->db);
	int rc = 0;
	char last_code[32] = "";
	int64_t last_id = 0;
	for (int i = 0; rc == 0 && i < b->nrows; i++) {
		const struct visits_bulk_row *row = &b->rows[i];
		if (strcmp(row->service, last_code) != 0) {
			struct service s;
			int src = strcmp(row->service, "personlig_assistans") == 0
			              ? HERR_NOT_FOUND
			              : cases_service_get(c, r->who.tenant_id, row->service, &s);
			if (src != 0 && src != HERR_NOT_FOUND) {
				rc = src;
				break;
			}
			snprintf(last_code, sizeof last_code, "%s", row->service);
			last_id = src == 0 ? s.id : 0;
		}
		if (!last_id) {
			visits_bulk_error_add(b, row->line, "service", "okänd insats för besök");
			continue;
		}
		char day[11];
		cal_format(visits_local_day(row->start), day);
		struct order_ref o;
		int orc = providers_order_covering(c, r->who.tenant_id, provider, row->person_id,
		                                   last_id, day, &o);
		if (orc == HERR_NOT_FOUND)
			visits_bulk_error_add(
			    b, row->line, "person_id",
			    "utföraren har inget aktivt uppdrag för kunden och insatsen den dagen");
		else if (orc)
			rc = orc;
		orders[i] = orc == 0 ? o.id : 0;
		decisions[i] = orc == 0 ? o.decision_id : 0;
		services[i] = last_id;
	}
	db_reader_done(r->db, c);
	return rc;
}

/* A row of a bulk file that delivers under a decision, for first_deliveries. */
struct delivery {
	int64_t decision_id; /* the order's decision */
	int64_t start;       /* the visit's start */
	int row;             /* its index in the file */
};

static int
delivery_cmp(const void *pa, const void *pb)
{
	const struct delivery *a = pa, *b = pb;
	if (a->decision_id != b->decision_id)
		return a->decision_id < b->decision_id ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->row - b->row;
}

/* Keeps in decisions[] only the earliest delivering row of each decision (0 elsewhere), so that
 * the write job executes each decision once, on its first delivered day, whatever the order of
 * the file's rows. */
static void
first_deliveries(const struct visits_bulk *b, int64_t *decisions)
{
	struct delivery *d = xcalloc((size_t)b->nrows + 1, sizeof *d);
	int n = 0;
	for (int i = 0; i < b->nrows; i++) {
		if (decisions[i] && visits_deviation_delivers(b->rows[i].deviation))
			d[n++] = (struct delivery){decisions[i], b->rows[i].start, i};
		decisions[i] = 0;
	}
	qsort(d, (size_t)n, sizeof *d, delivery_cmp);
	for (int i = 0; i < n; i++)
		if (i == 0 || d[i].decision_id != d[i - 1].decision_id)
			decisions[d[i].row] = d[i].decision_id;
	free(d);
}

int
visits__bulk_or_fail(struct req *r, const char *month_text, int format, const char *data,
                     size_t len, struct visits_bulk_job *out)
{
	int64_t provider = 0;
	const char *key = NULL;
	char month[8];
	int rc = provider_or_fail(r, &provider);
	/* A person answers for every upload: the user, or for a provider system the user who
	 * made its token (the token itself is recorded beside). */
	if (rc == 0 && r->who.user_id <= 0 && r->who.token_creator <= 0)
		rc = REQ_FAIL(r, HERR_FORBIDDEN);
	if (rc == 0)
		rc = key_or_fail(r, false, &key);
	if (rc == 0)
		rc = month_or_fail(r, month_text ? month_text : "", month);
	if (rc)
		return rc;
	int m;
	visits_month_parse(month, &m);
	struct visits_bulk *b = xcalloc(1, sizeof *b);
	int64_t now = time_now();
	rc = visits_bulk_parse(data, len, format, VISITS_HOME_CARE, m, now, b);
	if (rc == HERR_LIMIT) {
		visits_bulk_release(b);
		free(b);
		field_error_add(&r->fe, "file", "filen har fler än 100 000 rader");
		return REQ_FAIL(r, HERR_TOO_LARGE);
	}
	int64_t *orders = xcalloc((size_t)b->nrows + 1, sizeof *orders);
	int64_t *services = xcalloc((size_t)b->nrows + 1, sizeof *services);
	int64_t *decisions = xcalloc((size_t)b->nrows + 1, sizeof *decisions);
	if (rc == 0 || rc == HERR_INVALID)
		rc = bulk_orders(r, provider, b, orders, services, decisions);
	if (rc == 0)
		first_deliveries(b, decisions);
	if (rc == 0 && b->error_count == 0) {
		struct audit_entry e;
		req_audit_who(r, &e);
		char sha[65];
		sha256_hex(data, len, sha);
		struct visits_bulk_job *x = out;
		memset(x, 0, sizeof *x);
		x->tenant = r->who.tenant_id;
		x->provider = provider;
		x->user_id = r->who.user_id > 0 ? r->who.user_id : r->who.token_creator;
		x->token_id = r->who.api_token_id;
		x->month = month;
		x->format = format == VISITS_BULK_CSV ? "csv" : "json";
		x->sha = sha;
		x->b = b;
		x->errors = b;
		x->order_ids = orders;
		x->service_ids = services;
		x->decision_ids = decisions;
		x->key = key;
		request_sha(r, x->request_sha);
		x->now = now;
		x->who = &e;
		sb_init(&x->answer, 0);
		rc = visits__bulk_store(r->db, x);
		if (rc == HERR_CONFLICT && !x->replayed)
			field_error_add(&r->fe, "Idempotency-Key",
			                "nyckeln har redan använts för en annan fil");
		if (rc == 0)
			r->audit_writes++;
		if (rc)
			sb_release(&x->answer);
	}
	/* The line report only for lines found wrong; a failure of the month, the key or the
	 * database is answered by the router as any other (review 2026-11, finding 1). */
	if ((rc == 0 || rc == HERR_INVALID) && b->error_count > 0) {
		bulk_report(r, b);
		rc = REQ_FAIL(r, HERR_RULE);
	} else if (rc) {
		rc = REQ_FAIL(r, rc);
	}
	free(orders);
	free(services);
	free(decisions);
	visits_bulk_release(b);
	free(b);
	return rc;
}

int
visits_api_bulk(struct req *r)
{
	const char *ct = r->content_type ? r->content_type : "";
	int format = strncmp(ct, "text/csv", 8) == 0            ? VISITS_BULK_CSV
	             : strncmp(ct, "application/json", 16) == 0 ? VISITS_BULK_JSON
	                                                        : 0;
	if (!format) {
		field_error_add(&r->fe, "Content-Type",
		                "skicka filen som text/csv eller application/json");
		return REQ_FAIL(r, HERR_MEDIA_TYPE);
	}
	struct visits_bulk_job x;
	int rc = visits__bulk_or_fail(r, req_query(r, "month"), format,
	                              r->body.buf ? r->body.buf : "", r->body.len, &x);
	if (rc && r->status != 0)
		return 0; /* the line report is the answer */
	if (rc)
		return rc;
	req_json(r, x.status, &x.answer);
	sb_release(&x.answer);
	if (x.replayed)
		req_header(r, "Idempotent-Replayed", "true");
	return 0;
}
