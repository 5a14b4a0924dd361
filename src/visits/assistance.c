/*
 * Personal assistance (assistance.h): loading and computing the month sheet, its canonical
 * rendering and digest, recording shifts and corrections, signing, the employer's month with
 * working-time warnings and its approval, and the JSON routes (assistance_api.h). Access: a
 * provider user sees a person only through an order of the provider (auth_person_access);
 * shifts need an accepted personlig_assistans order covering the day; the citizen and a
 * representative with a mandate see and sign the person's sheet. Everything else is 404.
 *
 * Signing goes through one adapter, sign_session(): the logged-in user's authenticated
 * confirmation of the digest they were shown (sign_method "session"). A BankID adapter would
 * take the same digest as the text to sign, and write method "bankid" with the same record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assistance.h"
#include "assistance_api.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/calendar.h"
#include "base/err.h"
#include "base/json.h"
#include "base/rand.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cases/cases.h"
#include "db/db.h"
#include "http/http.h"
#include "people/people.h"
#include "providers/providers.h"

#define SERVICE_CODE "personlig_assistans"
#define SIGN_METHOD "session"

/* ---- small helpers ----------------------------------------------------------------------- */

void
pa_local(int64_t t, char date[11], char clock[6])
{
	cal_format(visits_local_day(t), date);
	int m = visits_local_minute(t);
	clock[0] = (char)('0' + m / 600);
	clock[1] = (char)('0' + m / 60 % 10);
	clock[2] = ':';
	clock[3] = (char)('0' + m % 60 / 10);
	clock[4] = (char)('0' + m % 10);
	clock[5] = '\0';
}

const char *
pa_kind_label(const char *kind)
{
	return strcmp(kind, "oncall") == 0 ? "Beredskap" : "Aktiv assistans";
}

const char *
pa_role_label(const char *role)
{
	if (strcmp(role, "assisted") == 0)
		return "Assistansberättigad";
	if (strcmp(role, "representative") == 0)
		return "Företrädare";
	return "Assistent";
}

int
pa_audit_read(struct req *r, const char *entity, int64_t entity_id, int64_t person)
{
	int rc = req_audit_reads(r, "read", entity, entity_id, &person, 1);
	return rc ? REQ_FAIL(r, rc) : 0;
}

static int
this_month(void)
{
	return visits_month_of_day(visits_local_day(time_now()));
}

int
pa_month_arg_or_fail(struct req *r, const char *text, int *month)
{
	if (!text || !*text) {
		*month = this_month();
		return 0;
	}
	if (visits_month_parse(text, month) != 0) {
		field_error_add(&r->fe, "month", "månaden ska skrivas ÅÅÅÅ-MM");
		return REQ_FAIL(r, HERR_INVALID);
	}
	return 0;
}

/* Parses "HH:MM" (00:00-24:00) into minutes; -1 when malformed. */
static int
parse_clock(const char *s)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

/* ---- the order behind a sheet ---------------------------------------------------------- */

struct order_pick {
	int64_t provider;     /* wanted provider, 0 for any */
	int32_t first, last;  /* the month's days */
	struct order_ref ref; /* the chosen order */
	int32_t from, to;     /* its days within the month */
	bool found;
};

static void
order_pick_one(const struct order *o, void *arg)
{
	struct order_pick *p = arg;
	const struct order_ref *ref = &o->ref;
	if (p->found || strcmp(ref->service_code, SERVICE_CODE) != 0 ||
	    (strcmp(ref->state, "accepted") != 0 && strcmp(ref->state, "ended") != 0) ||
	    (p->provider && ref->provider_id != p->provider))
		return;
	int32_t from, to = p->last;
	if (cal_parse(ref->from, &from) != 0 || (ref->to[0] && cal_parse(ref->to, &to) != 0))
		return;
	if (from > p->last || to < p->first)
		return;
	p->ref = *ref;
	p->from = from > p->first ? from : p->first;
	p->to = to < p->last ? to : p->last;
	p->found = true;
}

/* The personlig_assistans order of person (at provider, 0 for any) running in month. */
static int
month_order(struct db_conn *c, int64_t tenant, int64_t provider, int64_t person, int month,
            struct order_pick *out)
{
	memset(out, 0, sizeof *out);
	out->provider = provider;
	out->first = visits_month_first_day(month);
	out->last = visits_month_first_day(month + 1) - 1;
	int rc = providers_orders(c, tenant, 0, 0, person, "", 200, order_pick_one, out);
	if (rc)
		return rc;
	return out->found ? 0 : HERR_NOT_FOUND;
}

int
pa_sheet_provider(struct db_conn *c, const struct req *r, int64_t person, int month, int64_t want,
                  int64_t *provider)
{
	if (r->who.roles & (ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF)) {
		if (!r->who.provider_id || (want && want != r->who.provider_id))
			return HERR_NOT_FOUND;
		*provider = r->who.provider_id;
		return 0;
	}
	struct order_pick p;
	int rc = month_order(c, r->who.tenant_id, want, person, month, &p);
	if (rc == 0)
		*provider = p.ref.provider_id;
	return rc;
}

/* ---- the sheet ------------------------------------------------------------------------- */

struct rows {
	struct pa_hour *v;
	int n, cap, max;
	bool over;
};

static void
rows_add(const struct pa_hour *h, void *arg)
{
	struct rows *rs = arg;
	if (rs->n >= rs->max) {
		rs->over = true;
		return;
	}
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 32;
		rs->v = xrealloc(rs->v, (size_t)rs->cap * sizeof *rs->v);
	}
	rs->v[rs->n++] = *h;
}

static void
sig_add(const struct pa_signature *s, void *arg)
{
	struct pa_doc *d = arg;
	if (d->nsigs < PA_MAX_SIGS)
		d->sigs[d->nsigs++] = *s;
}

/* The index of assistant id on the sheet, adding it; -1 when it cannot be loaded. */
static int
doc_assistant(struct db_conn *c, struct pa_doc *d, int64_t id, int *rc)
{
	for (int i = 0; i < d->nasst; i++)
		if (d->asst[i].id == id)
			return i;
	if (d->nasst >= VISITS_PA_MAX_ASSISTANTS) {
		*rc = HERR_LIMIT;
		return -1;
	}
	*rc = visits__pa_assistant_get(c, d->tenant_id, id, &d->asst[d->nasst]);
	return *rc ? -1 : d->nasst++;
}

int64_t
pa_hour_minutes(const struct pa_hour *h)
{
	return h->voids ? 0 : h->end_at / 60 - h->start_at / 60;
}

int
pa_doc_load(struct db_conn *c, int64_t tenant, int64_t provider, int64_t person, int month,
            struct pa_doc *d)
{
	memset(d, 0, sizeof *d);
	d->tenant_id = tenant;
	d->provider_id = provider;
	d->person_id = person;
	d->month = month;
	visits_month_format(month, d->month_text);
	struct order_pick pick;
	int rc = month_order(c, tenant, provider, person, month, &pick);
	if (rc)
		return rc;
	d->order_id = pick.ref.id;
	int ndays = pick.last - pick.first + 1;
	d->granted_minutes = pick.ref.granted_minutes_month * (pick.to - pick.from + 1) / ndays;

	struct provider *pv = xcalloc(1, sizeof *pv);
	struct person *ps = xcalloc(1, sizeof *ps);
	rc = providers_get(c, tenant, provider, pv);
	if (rc == 0)
		rc = people_get(c, tenant, person, ps);
	if (rc == 0) {
		snprintf(d->provider_name, sizeof d->provider_name, "%s", pv->name);
		snprintf(d->provider_org_nr, sizeof d->provider_org_nr, "%s", pv->org_nr);
		snprintf(d->person_name, sizeof d->person_name, "%s %s", ps->given_name,
		         ps->family_name);
		snprintf(d->person_pnr, sizeof d->person_pnr, "%s", ps->pnr);
	}
	free(pv);
	free(ps);
	if (rc)
		return rc;

	d->grant = (struct pa_grant_row){d->order_id, false, 1, 1};
	rc = visits__pa_grant_get(c, tenant, d->order_id, &d->grant);
	if (rc == HERR_NOT_FOUND)
		rc = 0;
	struct rows rs = {.max = PA_MAX_ROWS}, as = {.max = PA_MAX_ADJ};
	if (rc == 0)
		rc = visits__pa_hours_sheet(c, tenant, provider, person, d->month_text, rows_add,
		                            &rs);
	if (rc == 0)
		rc = visits__pa_hours_adjustments(c, tenant, provider, person, d->month_text,
		                                  rows_add, &as);
	d->rows = rs.v;
	d->nrows = rs.n;
	d->adj = as.v;
	d->nadj = as.n;
	if (rc == 0 && (rs.over || as.over))
		rc = HERR_LIMIT;
	if (rc)
		return rc;

	d->adj_orig = xcalloc((size_t)(d->nadj ? d->nadj : 1), sizeof *d->adj_orig);
	for (int i = 0; rc == 0 && i < d->nadj; i++) {
		const struct pa_hour *a = &d->adj[i];
		if (a->corrects_id)
			rc = visits__pa_hour_get(c, tenant, a->corrects_id, &d->adj_orig[i]);
		int64_t was_active = 0, was_oncall = 0;
		if (d->adj_orig[i].id && strcmp(d->adj_orig[i].kind, "active") == 0)
			was_active = pa_hour_minutes(&d->adj_orig[i]);
		else if (d->adj_orig[i].id)
			was_oncall = pa_hour_minutes(&d->adj_orig[i]);
		bool act = strcmp(a->kind, "active") == 0;
		d->adj_active += (act ? pa_hour_minutes(a) : 0) - was_active;
		d->adj_oncall += (act ? 0 : pa_hour_minutes(a)) - was_oncall;
	}

	struct visits_pa_shift *sh = xcalloc((size_t)(d->nrows ? d->nrows : 1), sizeof *sh);
	struct visits_pa_assistant pa[VISITS_PA_MAX_ASSISTANTS];
	for (int i = 0; rc == 0 && i < d->nrows; i++) {
		int k = doc_assistant(c, d, d->rows[i].assistant_id, &rc);
		if (k < 0)
			break;
		sh[i].assistant = k;
		sh[i].start = d->rows[i].start_at;
		sh[i].end = d->rows[i].end_at;
		sh[i].kind =
		    strcmp(d->rows[i].kind, "oncall") == 0 ? VISITS_PA_ONCALL : VISITS_PA_ACTIVE;
	}
	for (int i = 0; rc == 0 && i < d->nadj; i++)
		doc_assistant(c, d, d->adj[i].assistant_id, &rc);
	for (int i = 0; rc == 0 && i < d->nasst; i++)
		if (cal_parse(d->asst[i].birth_date, &pa[i].birth_day) != 0)
			rc = HERR_INTERNAL;
	if (rc == 0) {
		struct visits_pa_grant g = {d->granted_minutes, d->grant.double_granted,
		                            d->grant.oncall_num, d->grant.oncall_den};
		rc = visits_pa_sheet_build(month, pa, d->nasst, sh, d->nrows, &g, &d->sheet);
	}
	free(sh);
	if (rc)
		return rc;

	rc = visits__pa_sheet_get(c, tenant, provider, person, d->month_text, &d->frozen);
	if (rc == HERR_NOT_FOUND) {
		memset(&d->frozen, 0, sizeof d->frozen);
		rc = 0;
	} else if (rc == 0) {
		rc = visits__pa_signatures(c, tenant, d->frozen.id, sig_add, d);
	}
	if (rc == 0)
		rc = visits__pa_month_locked(c, tenant, provider, d->month_text, &d->locked);
	if (rc)
		return rc;
	d->month_over = this_month() > month;

	struct strbuf sb;
	sb_init(&sb, 0);
	pa_doc_canonical(&sb, d);
	rc = sb.err;
	if (rc == 0)
		sha256_hex(sb.buf, sb.len, d->sha);
	sb_release(&sb);
	return rc;
}

void
pa_doc_release(struct pa_doc *d)
{
	free(d->rows);
	free(d->adj);
	free(d->adj_orig);
	visits_pa_sheet_release(&d->sheet);
	d->rows = d->adj = d->adj_orig = NULL;
	d->nrows = d->nadj = 0;
}

/* "date HH:MM" of an instant into the canonical text. */
static void
canon_time(struct strbuf *sb, int64_t t)
{
	char date[11], clock[6];
	pa_local(t, date, clock);
	sb_addf(sb, " %s %s", date, clock);
}

void
pa_doc_canonical(struct strbuf *sb, const struct pa_doc *d)
{
	sb_adds(sb, "hanna tidsredovisning v1\n");
	sb_addf(sb, "tenant %lld\nprovider %lld %s %s\nperson %lld %s %s\nmonth %s\n",
	        (long long)d->tenant_id, (long long)d->provider_id, d->provider_org_nr,
	        d->provider_name, (long long)d->person_id, d->person_pnr, d->person_name,
	        d->month_text);
	for (int i = 0; i < d->nasst; i++)
		sb_addf(sb, "assistant %lld %s %s %s\n", (long long)d->asst[i].id, d->asst[i].ref,
		        d->asst[i].birth_date, d->asst[i].name);
	for (int i = 0; i < d->nrows; i++) {
		const struct pa_hour *h = &d->rows[i];
		sb_addf(sb, "shift %lld %lld %s", (long long)h->id, (long long)h->assistant_id,
		        h->kind);
		canon_time(sb, h->start_at);
		canon_time(sb, h->end_at);
		sb_addc(sb, '\n');
	}
	for (int i = 0; i < d->nadj; i++) {
		const struct pa_hour *h = &d->adj[i];
		sb_addf(sb, "adjustment %lld %lld %s %lld %s", (long long)h->id,
		        (long long)h->corrects_id, h->month, (long long)h->assistant_id, h->kind);
		canon_time(sb, h->start_at);
		canon_time(sb, h->end_at);
		sb_addf(sb, "%s %s\n", h->voids ? " void" : "", h->reason);
	}
	const struct visits_pa_sheet *s = &d->sheet;
	sb_addf(sb, "total %lld %lld %lld %lld %lld\n", (long long)s->active, (long long)s->oncall,
	        (long long)s->dbl, (long long)s->unpaid, (long long)s->payable);
}

bool
pa_doc_signed_by_assistant(const struct pa_doc *d, int64_t assistant_id)
{
	for (int i = 0; i < d->nsigs; i++)
		if (strcmp(d->sigs[i].role, "assistant") == 0 &&
		    d->sigs[i].assistant_id == assistant_id)
			return true;
	return false;
}

/* Whether assistant index k has shifts on the sheet (adjustment-only assistants do not sign). */
static bool
has_shifts(const struct pa_doc *d, int64_t assistant_id)
{
	for (int i = 0; i < d->nrows; i++)
		if (d->rows[i].assistant_id == assistant_id)
			return true;
	return false;
}

static bool
signed_by_person(const struct pa_doc *d)
{
	for (int i = 0; i < d->nsigs; i++)
		if (strcmp(d->sigs[i].role, "assistant") != 0)
			return true;
	return false;
}

bool
pa_doc_complete(const struct pa_doc *d)
{
	if (!signed_by_person(d))
		return false;
	for (int i = 0; i < d->nasst; i++)
		if (has_shifts(d, d->asst[i].id) && !pa_doc_signed_by_assistant(d, d->asst[i].id))
			return false;
	return true;
}

static const char *
doc_state(const struct pa_doc *d)
{
	return d->frozen.id ? d->frozen.state : "open";
}

static void
time_fields(struct strbuf *sb, const struct pa_hour *h)
{
	char sd[11], sc[6], ed[11], ec[6];
	pa_local(h->start_at, sd, sc);
	pa_local(h->end_at, ed, ec);
	sb_addf(sb, "\"date\":\"%s\",\"start\":\"%s\",\"end_date\":\"%s\",\"end\":\"%s\",", sd, sc,
	        ed, ec);
}

static void
hour_json(struct strbuf *sb, const struct pa_hour *h)
{
	sb_addf(sb, "{\"id\":%lld,\"person_id\":%lld,\"assistant_id\":%lld,\"order_id\":%lld,",
	        (long long)h->id, (long long)h->person_id, (long long)h->assistant_id,
	        (long long)h->order_id);
	time_fields(sb, h);
	sb_addf(sb,
	        "\"kind\":\"%s\",\"minutes\":%lld,\"month\":\"%s\",\"booked_month\":\"%s\","
	        "\"source\":\"%s\",\"state\":\"%s\",\"void\":%s,\"corrects_id\":",
	        h->kind, (long long)pa_hour_minutes(h), h->month, h->booked_month, h->source,
	        h->state, h->voids ? "true" : "false");
	if (h->corrects_id)
		sb_addf(sb, "%lld", (long long)h->corrects_id);
	else
		sb_adds(sb, "null");
	sb_adds(sb, ",\"reason\":");
	json_str(sb, h->reason);
	sb_addc(sb, '}');
}

static void
signature_json(struct strbuf *sb, const struct pa_signature *s)
{
	sb_addf(sb,
	        "{\"id\":%lld,\"role\":\"%s\",\"user_id\":%lld,\"assistant_id\":", (long long)s->id,
	        s->role, (long long)s->user_id);
	if (s->assistant_id)
		sb_addf(sb, "%lld", (long long)s->assistant_id);
	else
		sb_adds(sb, "null");
	sb_adds(sb, ",\"name\":");
	json_str(sb, s->signer_name);
	sb_addf(sb, ",\"content_sha256\":\"%s\",\"sign_method\":\"%s\",\"signed_at\":\"",
	        s->content_sha256, s->method);
	time_rfc3339(sb, s->signed_at);
	sb_adds(sb, "\"}");
}

void
pa_doc_json(struct strbuf *sb, const struct pa_doc *d)
{
	const struct visits_pa_sheet *s = &d->sheet;
	sb_addf(sb, "{\"person_id\":%lld,\"provider_id\":%lld,\"order_id\":%lld,\"month\":\"%s\",",
	        (long long)d->person_id, (long long)d->provider_id, (long long)d->order_id,
	        d->month_text);
	sb_adds(sb, "\"assisted_person\":{\"name\":");
	json_str(sb, d->person_name);
	sb_adds(sb, ",\"personnummer\":");
	json_str(sb, d->person_pnr);
	sb_adds(sb, "},\"provider\":{\"name\":");
	json_str(sb, d->provider_name);
	sb_adds(sb, ",\"org_nr\":");
	json_str(sb, d->provider_org_nr);
	sb_addf(sb,
	        "},\"grant\":{\"granted_minutes\":%lld,\"double_granted\":%s,"
	        "\"oncall_num\":%d,\"oncall_den\":%d},",
	        (long long)d->granted_minutes, d->grant.double_granted ? "true" : "false",
	        d->grant.oncall_num, d->grant.oncall_den);
	sb_adds(sb, "\"assistants\":[");
	for (int i = 0; i < d->nasst; i++) {
		const struct pa_assistant *a = &d->asst[i];
		int64_t act = 0, onc = 0, dbl = 0, unp = 0;
		for (int k = 0; k < s->ndays && i < s->nassistants; k++) {
			const struct visits_pa_day *pd = &s->days[i * s->ndays + k];
			act += pd->active;
			onc += pd->oncall;
			dbl += pd->dbl;
			unp += pd->unpaid + pd->unpaid_oncall;
		}
		sb_addf(sb, "%s{\"id\":%lld,\"ref\":", i ? "," : "", (long long)a->id);
		json_str(sb, a->ref);
		sb_adds(sb, ",\"name\":");
		json_str(sb, a->name);
		sb_addf(sb,
		        ",\"birth_date\":\"%s\",\"relative\":%s,\"same_household\":%s,"
		        "\"lives_in_eea\":%s,\"active_minutes\":%lld,\"oncall_minutes\":%lld,"
		        "\"double_minutes\":%lld,\"unpaid_minutes\":%lld,\"signed\":%s}",
		        a->birth_date, a->relative ? "true" : "false",
		        a->same_household ? "true" : "false", a->lives_in_eea ? "true" : "false",
		        (long long)act, (long long)onc, (long long)dbl, (long long)unp,
		        pa_doc_signed_by_assistant(d, a->id) ? "true" : "false");
	}
	sb_adds(sb, "],\"shifts\":[");
	for (int i = 0; i < d->nrows; i++) {
		if (i)
			sb_addc(sb, ',');
		hour_json(sb, &d->rows[i]);
	}
	sb_adds(sb, "],\"days\":[");
	bool first = true;
	for (int k = 0; k < s->ndays; k++) {
		for (int i = 0; i < s->nassistants; i++) {
			const struct visits_pa_day *pd = &s->days[i * s->ndays + k];
			if (!pd->active && !pd->oncall)
				continue;
			char date[11];
			cal_format(visits_month_first_day(d->month) + k, date);
			sb_addf(
			    sb,
			    "%s{\"date\":\"%s\",\"assistant_id\":%lld,\"active_minutes\":%d,"
			    "\"oncall_minutes\":%d,\"double_minutes\":%d,\"unpaid_minutes\":%d}",
			    first ? "" : ",", date, (long long)d->asst[i].id, pd->active,
			    pd->oncall, pd->dbl, pd->unpaid + pd->unpaid_oncall);
			first = false;
		}
	}
	sb_addf(sb,
	        "],\"totals\":{\"active_minutes\":%lld,\"oncall_minutes\":%lld,"
	        "\"double_minutes\":%lld,\"unpaid_minutes\":%lld,\"payable_minutes\":%lld,"
	        "\"granted_minutes\":%lld,\"within_grant_minutes\":%lld,"
	        "\"over_grant_minutes\":%lld},",
	        (long long)s->active, (long long)s->oncall, (long long)s->dbl, (long long)s->unpaid,
	        (long long)s->payable, (long long)d->granted_minutes, (long long)s->within_grant,
	        (long long)s->over_grant);
	sb_adds(sb, "\"adjustments\":[");
	for (int i = 0; i < d->nadj; i++) {
		if (i)
			sb_addc(sb, ',');
		sb_adds(sb, "{\"row\":");
		hour_json(sb, &d->adj[i]);
		sb_adds(sb, ",\"original\":");
		if (d->adj_orig[i].id)
			hour_json(sb, &d->adj_orig[i]);
		else
			sb_adds(sb, "null");
		sb_addc(sb, '}');
	}
	sb_addf(sb, "],\"adjustment_totals\":{\"active_minutes\":%lld,\"oncall_minutes\":%lld},",
	        (long long)d->adj_active, (long long)d->adj_oncall);
	sb_addf(sb, "\"content_sha256\":\"%s\",\"state\":\"%s\",\"frozen_sha256\":", d->sha,
	        doc_state(d));
	if (d->frozen.id)
		sb_addf(sb, "\"%s\"", d->frozen.content_sha256);
	else
		sb_adds(sb, "null");
	sb_adds(sb, ",\"signatures\":[");
	for (int i = 0; i < d->nsigs; i++) {
		if (i)
			sb_addc(sb, ',');
		signature_json(sb, &d->sigs[i]);
	}
	sb_addf(sb, "],\"missing_signatures\":{\"assisted\":%s,\"assistant_ids\":[",
	        signed_by_person(d) ? "false" : "true");
	first = true;
	for (int i = 0; i < d->nasst; i++) {
		if (!has_shifts(d, d->asst[i].id) || pa_doc_signed_by_assistant(d, d->asst[i].id))
			continue;
		sb_addf(sb, "%s%lld", first ? "" : ",", (long long)d->asst[i].id);
		first = false;
	}
	sb_addf(sb, "]},\"complete\":%s,\"locked\":%s,\"month_over\":%s}",
	        pa_doc_complete(d) ? "true" : "false", d->locked ? "true" : "false",
	        d->month_over ? "true" : "false");
}

/* ---- shifts --------------------------------------------------------------------------- */

/* A write job's outcome beyond its code: the field and message of a refusal. */
struct verdict {
	const char *field;
	const char *message;
};

static int
refuse(struct verdict *v, int code, const char *field, const char *message)
{
	v->field = field;
	v->message = message;
	return code;
}

struct hours_job {
	const struct audit_entry *who;
	struct pa_hour h; /* the row to insert: all but id, booked_month */
	bool has_reason;
	bool double_granted;
	int64_t decision_id; /* the order's decision: a new shift executes it (0: a void) */
	struct verdict v;
};

struct spans {
	struct visits_span v[256];
	int n;
	bool over;
	bool active_only;
};

static void
span_add(const struct pa_hour *h, void *arg)
{
	struct spans *s = arg;
	if (s->active_only && strcmp(h->kind, "active") != 0)
		return;
	if (s->n >= (int)(sizeof s->v / sizeof s->v[0])) {
		s->over = true;
		return;
	}
	s->v[s->n].id = h->id;
	s->v[s->n].start = h->start_at;
	s->v[s->n].end = h->end_at;
	s->n++;
}

/* The overlap rules of a new or corrected shift: the assistant's own shifts for anyone, and
 * the assistants at once for the person. 0 or a refusal in j->v. */
static int
hours_overlaps(struct db_conn *c, struct hours_job *j)
{
	const struct pa_hour *h = &j->h;
	/* The assistant works one shift at a time, for anyone. */
	struct spans own = {.n = 0};
	int rc = visits__pa_hours_assistant(c, h->tenant_id, h->assistant_id, h->start_at,
	                                    h->end_at, span_add, &own);
	if (rc)
		return rc;
	if (visits_find_overlap(own.v, own.n, h->corrects_id, h->start_at, h->end_at, 1) >= 0)
		return refuse(&j->v, HERR_RULE, "start",
		              "assistenten har redan ett pass som överlappar den här tiden");
	/* Two assistants at once only where the decision grants double assistance. */
	if (strcmp(h->kind, "active") == 0) {
		struct spans per = {.n = 0, .active_only = true};
		rc = visits__pa_hours_person(c, h->tenant_id, h->provider_id, h->person_id,
		                             h->start_at, h->end_at, span_add, &per);
		if (rc)
			return rc;
		if (visits_find_overlap(per.v, per.n, h->corrects_id, h->start_at, h->end_at,
		                        j->double_granted ? 2 : 1) >= 0)
			return refuse(
			    &j->v, HERR_RULE, "start",
			    j->double_granted
			        ? "fler än två assistenter samtidigt betalas inte"
			        : "två assistenter samtidigt kräver beviljad dubbel assistans");
	}
	return 0;
}

static int
hours_run(struct db_conn *c, void *arg)
{
	struct hours_job *j = arg;
	struct pa_hour *h = &j->h;
	int rc;
	if (h->corrects_id) {
		struct pa_hour orig;
		rc = visits__pa_hour_get(c, h->tenant_id, h->corrects_id, &orig);
		if (rc == 0 &&
		    (orig.provider_id != h->provider_id || orig.person_id != h->person_id))
			rc = HERR_NOT_FOUND;
		if (rc)
			return rc;
		if (strcmp(orig.state, "done") != 0)
			return refuse(&j->v, HERR_CONFLICT, "id", "raden är redan rättad");
		if (orig.voids)
			return refuse(
			    &j->v, HERR_CONFLICT, "id",
			    "raden är en makulering: registrera passet på nytt i stället");
		if (strcmp(orig.month, h->month) != 0)
			return refuse(&j->v, HERR_RULE, "date",
			              "en rättelse ska gälla samma månad som raden den rättar");
		if (orig.assistant_id != h->assistant_id)
			return refuse(&j->v, HERR_RULE, "assistant_id",
			              "en rättelse ska gälla samma assistent");
	}
	if (!h->voids) {
		rc = hours_overlaps(c, j);
		if (rc)
			return rc;
	}
	/* A signed or locked month takes only corrections with a reason, in the next open one. */
	int closed[64], n = 0, month = 0, book = 0;
	rc = visits__pa_closed_months(c, h->tenant_id, h->provider_id, h->person_id, h->month,
	                              closed, 64, &n);
	if (rc)
		return rc;
	visits_month_parse(h->month, &month);
	if (visits_booking_month(month, closed, n, j->has_reason, &book) != 0)
		return refuse(
		    &j->v, HERR_RULE, "reason",
		    "månaden är signerad eller låst: ändringar görs som rättelse med skäl");
	visits_month_format(book, h->booked_month);
	if (book != month)
		snprintf(h->source, sizeof h->source, "correction");
	rc = visits__pa_hour_insert(c, h);
	if (rc == 0 && h->corrects_id)
		rc = visits__pa_hour_supersede(c, h->tenant_id, h->corrects_id, h->id);
	/* A shift, active or on call, is a delivery: the first executes the decision (review
	 * 11b); a correction follows a shift that did. */
	if (rc == 0 && !h->corrects_id && j->decision_id)
		rc = cases_executed_by_delivery(c, h->tenant_id, j->decision_id, h->day, j->who);
	if (rc)
		return rc;
	struct audit_entry e = *j->who;
	e.action = h->voids ? "void" : h->corrects_id ? "correct" : "create";
	e.entity = "pa_hours";
	e.entity_id = h->id;
	e.person_id = h->person_id;
	return audit_append(c, &e);
}

/* The assistant a provider user reports for: the given one (provider_admin, or oneself), or
 * the user's own assistant record. */
static int
entry_assistant_or_fail(struct req *r, struct db_conn *c, int64_t given, struct pa_assistant *a)
{
	int rc;
	if (given) {
		rc = visits__pa_assistant_get(c, r->who.tenant_id, given, a);
		if (rc == 0 &&
		    (a->provider_id != r->who.provider_id ||
		     (!(r->who.roles & ROLE_PROVIDER_ADMIN) && a->user_id != r->who.user_id)))
			rc = HERR_NOT_FOUND;
		if (rc == HERR_NOT_FOUND) {
			field_error_add(&r->fe, "assistant_id", "okänd assistent");
			return REQ_FAIL(r, HERR_RULE);
		}
		return rc ? REQ_FAIL(r, rc) : 0;
	}
	rc = visits__pa_assistant_by_user(c, r->who.tenant_id, r->who.provider_id, r->who.user_id,
	                                  a);
	if (rc == HERR_NOT_FOUND) {
		field_error_add(&r->fe, "assistant_id",
		                "ange assistent: du är inte registrerad som assistent");
		return REQ_FAIL(r, HERR_RULE);
	}
	return rc ? REQ_FAIL(r, rc) : 0;
}

int
pa_hours_or_fail(struct req *r, const struct pa_entry *in, struct pa_hour *out)
{
	if (!r->who.provider_id)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	int32_t day = 0;
	int sm = parse_clock(in->start), em = parse_clock(in->end);
	bool oncall = in->kind && strcmp(in->kind, "oncall") == 0;
	if (!in->date || cal_parse(in->date, &day) != 0)
		field_error_add(&r->fe, "date", "datum ska skrivas ÅÅÅÅ-MM-DD");
	if (sm < 0 || sm >= 1440)
		field_error_add(&r->fe, "start", "starttiden ska skrivas TT:MM");
	if (em < 0)
		field_error_add(&r->fe, "end", "sluttiden ska skrivas TT:MM");
	if (in->kind && !oncall && strcmp(in->kind, "active") != 0)
		field_error_add(&r->fe, "kind", "slaget ska vara active eller oncall");
	if (in->reason && strlen(in->reason) > 500)
		field_error_add(&r->fe, "reason", "skälet får vara högst 500 tecken");
	if (r->fe.n)
		return REQ_FAIL(r, HERR_INVALID);
	/* An end not after the start is on the next day; 24:00 is the next midnight. */
	int32_t eday = em <= sm || em == 1440 ? day + 1 : day;
	int64_t start, end;
	char why[120];
	if (visits_local_time_message(day, sm, why, sizeof why) == 0)
		field_error_add(&r->fe, "start", why);
	if (visits_local_time_message(eday, em % 1440, why, sizeof why) == 0)
		field_error_add(&r->fe, "end", why);
	if (r->fe.n)
		return REQ_FAIL(r, HERR_RULE);
	visits_local_instant(day, sm, VISITS_AMBIGUOUS_REFUSE, &start);
	visits_local_instant(eday, em % 1440, VISITS_AMBIGUOUS_REFUSE, &end);
	int problem = visits_check_times(VISITS_ASSISTANCE, start, end, time_now());
	if (problem != VISITS_TIME_OK) {
		field_error_add(&r->fe, problem == VISITS_TIME_IN_FUTURE ? "date" : "end",
		                visits_time_message(problem));
		return REQ_FAIL(r, HERR_RULE);
	}

	struct hours_job j;
	memset(&j, 0, sizeof j);
	struct pa_hour *h = &j.h;
	struct pa_assistant a;
	struct db_conn *c = db_reader(r->db);
	int rc = auth_person_access(c, &r->who, in->person_id);
	if (rc) {
		db_reader_done(r->db, c);
		return REQ_FAIL(r, rc);
	}
	rc = entry_assistant_or_fail(r, c, in->assistant_id, &a);
	if (rc) {
		db_reader_done(r->db, c);
		return rc;
	}
	struct service sv;
	struct order_ref ord;
	rc = cases_service_get(c, r->who.tenant_id, SERVICE_CODE, &sv);
	if (rc == 0)
		rc = providers_order_covering(c, r->who.tenant_id, r->who.provider_id,
		                              in->person_id, sv.id, in->date, &ord);
	struct pa_grant_row g = {0, false, 1, 1};
	if (rc == 0) {
		rc = visits__pa_grant_get(c, r->who.tenant_id, ord.id, &g);
		if (rc == HERR_NOT_FOUND)
			rc = 0;
	}
	db_reader_done(r->db, c);
	if (rc == HERR_NOT_FOUND) {
		field_error_add(&r->fe, "date",
		                "ingen gällande beställning av personlig assistans för dagen");
		return REQ_FAIL(r, HERR_RULE);
	}
	if (rc)
		return REQ_FAIL(r, rc);

	h->tenant_id = r->who.tenant_id;
	h->provider_id = r->who.provider_id;
	h->person_id = in->person_id;
	h->order_id = ord.id;
	h->assistant_id = a.id;
	h->start_at = start;
	h->end_at = end;
	h->corrects_id = in->corrects_id;
	h->created_by = r->who.user_id;
	h->created_at = time_now();
	snprintf(h->kind, sizeof h->kind, "%s", oncall ? "oncall" : "active");
	cal_format(day, h->day);
	visits_month_format(visits_month_of_day(day), h->month);
	snprintf(h->source, sizeof h->source, "%s",
	         in->corrects_id ? "correction" : (in->source ? in->source : "api"));
	snprintf(h->reason, sizeof h->reason, "%s", in->reason ? in->reason : "");
	j.has_reason = in->reason && in->reason[0];
	j.double_granted = g.double_granted;
	j.decision_id = ord.decision_id;
	struct audit_entry e;
	req_audit_who(r, &e);
	j.who = &e;
	rc = db_write(r->db, hours_run, &j);
	if (rc) {
		if (j.v.field)
			field_error_add(&r->fe, j.v.field, j.v.message);
		return REQ_FAIL(r, rc);
	}
	r->audit_writes++;
	*out = *h;
	return 0;
}

int
pa_void_or_fail(struct req *r, int64_t id, const char *reason, struct pa_hour *out)
{
	if (!r->who.provider_id)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	struct hours_job j;
	memset(&j, 0, sizeof j);
	struct pa_hour *h = &j.h;
	struct pa_assistant a;
	struct db_conn *c = db_reader(r->db);
	int rc = visits__pa_hour_get(c, r->who.tenant_id, id, h);
	if (rc == 0 && h->provider_id != r->who.provider_id)
		rc = HERR_NOT_FOUND;
	if (rc == 0)
		rc = auth_person_access(c, &r->who, h->person_id);
	/* Staff void only their own shifts; the employer any of the provider's. */
	if (rc == 0)
		rc = visits__pa_assistant_get(c, r->who.tenant_id, h->assistant_id, &a);
	if (rc == 0 && !(r->who.roles & ROLE_PROVIDER_ADMIN) && a.user_id != r->who.user_id)
		rc = HERR_NOT_FOUND;
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	if (!reason || !reason[0]) {
		field_error_add(&r->fe, "reason", "ange skälet till att passet tas bort");
		return REQ_FAIL(r, HERR_RULE);
	}
	h->corrects_id = h->id;
	h->id = 0;
	h->superseded_by = 0;
	h->voids = true;
	h->created_by = r->who.user_id;
	h->created_at = time_now();
	snprintf(h->source, sizeof h->source, "correction");
	snprintf(h->state, sizeof h->state, "done");
	snprintf(h->reason, sizeof h->reason, "%s", reason);
	j.has_reason = true;
	struct audit_entry e;
	req_audit_who(r, &e);
	j.who = &e;
	rc = db_write(r->db, hours_run, &j);
	if (rc) {
		if (j.v.field)
			field_error_add(&r->fe, j.v.field, j.v.message);
		return REQ_FAIL(r, rc);
	}
	r->audit_writes++;
	*out = *h;
	return 0;
}

/* ---- signing ----------------------------------------------------------------------------- */

struct sign_job {
	const struct audit_entry *who;
	int64_t tenant, provider, person;
	int month;
	const char *sha;         /* what the signer saw */
	struct pa_signature sig; /* role, assistant_id, user_id, signer_name in */
	struct verdict v;
};

/*
 * The session adapter: the signature is the logged-in user's confirmation of the digest,
 * recorded with method "session". A BankID adapter signs the same digest as its user visible
 * data and records method "bankid"; nothing else changes.
 */
static void
sign_session(struct pa_signature *s, const char *sha, int64_t now)
{
	snprintf(s->content_sha256, sizeof s->content_sha256, "%s", sha);
	snprintf(s->method, sizeof s->method, SIGN_METHOD);
	s->signed_at = now;
}

static int
sign_run(struct db_conn *c, void *arg)
{
	struct sign_job *j = arg;
	struct pa_doc d;
	int rc = pa_doc_load(c, j->tenant, j->provider, j->person, j->month, &d);
	if (rc) {
		pa_doc_release(&d);
		return rc;
	}
	if (!d.month_over)
		rc =
		    refuse(&j->v, HERR_RULE, "month", "månaden kan signeras först när den är slut");
	else if (d.nrows == 0 && d.nadj == 0)
		rc = refuse(&j->v, HERR_RULE, "month", "det finns inga pass att signera");
	else if (strcmp(j->sig.role, "assistant") == 0 && !has_shifts(&d, j->sig.assistant_id))
		rc = refuse(&j->v, HERR_RULE, "month", "du har inga pass på tidsredovisningen");
	else if (strcmp(d.sha, j->sha) != 0 ||
	         (d.frozen.id && strcmp(d.frozen.content_sha256, d.sha) != 0))
		rc = refuse(&j->v, HERR_CONFLICT, "content_sha256",
		            "tidsredovisningen har ändrats: läs in den igen innan du signerar");
	int64_t now = time_now();
	if (rc == 0 && !d.frozen.id) {
		struct pa_sheet_row *s = &d.frozen;
		s->tenant_id = j->tenant;
		s->provider_id = j->provider;
		s->person_id = j->person;
		s->order_id = d.order_id;
		snprintf(s->month, sizeof s->month, "%s", d.month_text);
		snprintf(s->state, sizeof s->state, "signing");
		s->active_minutes = d.sheet.active;
		s->oncall_minutes = d.sheet.oncall;
		s->double_minutes = d.sheet.dbl;
		s->unpaid_minutes = d.sheet.unpaid;
		s->payable_minutes = d.sheet.payable;
		s->granted_minutes = d.granted_minutes;
		snprintf(s->content_sha256, sizeof s->content_sha256, "%s", d.sha);
		s->created_at = now;
		rc = visits__pa_sheet_insert(c, s);
	}
	if (rc == 0) {
		j->sig.sheet_id = d.frozen.id;
		sign_session(&j->sig, d.sha, now);
		rc = visits__pa_signature_insert(c, j->tenant, &j->sig);
		if (rc == HERR_CONFLICT)
			refuse(&j->v, rc, "month", "du har redan signerat tidsredovisningen");
	}
	if (rc == 0) {
		sig_add(&j->sig, &d);
		if (pa_doc_complete(&d))
			rc = visits__pa_sheet_state(c, j->tenant, d.frozen.id, "signed", now);
	}
	if (rc == 0) {
		struct audit_entry e = *j->who;
		e.action = "sign";
		e.entity = "pa_sheet";
		e.entity_id = d.frozen.id;
		e.person_id = j->person;
		rc = audit_append(c, &e);
	}
	pa_doc_release(&d);
	return rc;
}

int
pa_sign_or_fail(struct req *r, int64_t provider, int64_t person, int month, const char *sha,
                struct pa_signature *out)
{
	struct sign_job j;
	memset(&j, 0, sizeof j);
	struct pa_signature *s = &j.sig;
	s->user_id = r->who.user_id;
	snprintf(s->signer_name, sizeof s->signer_name, "%s",
	         r->who.display_name[0] ? r->who.display_name : r->who.username);
	int rc = 0;
	if ((r->who.roles & ROLE_CITIZEN) && r->who.person_id == person) {
		snprintf(s->role, sizeof s->role, "assisted");
	} else if (r->who.roles & ROLE_REPRESENTATIVE) {
		snprintf(s->role, sizeof s->role, "representative");
	} else if ((r->who.roles & ROLE_PROVIDER_STAFF) && r->who.provider_id == provider) {
		struct pa_assistant a;
		struct db_conn *c = db_reader(r->db);
		rc =
		    visits__pa_assistant_by_user(c, r->who.tenant_id, provider, r->who.user_id, &a);
		db_reader_done(r->db, c);
		if (rc == 0) {
			snprintf(s->role, sizeof s->role, "assistant");
			s->assistant_id = a.id;
		}
	} else {
		rc = HERR_NOT_FOUND;
	}
	if (rc == HERR_NOT_FOUND) {
		field_error_add(
		    &r->fe, "month",
		    "tidsredovisningen signeras av den assisterade, en företrädare eller "
		    "en assistent med pass");
		return REQ_FAIL(r, HERR_RULE);
	}
	if (rc)
		return REQ_FAIL(r, rc);
	struct audit_entry e;
	req_audit_who(r, &e);
	j.who = &e;
	j.tenant = r->who.tenant_id;
	j.provider = provider;
	j.person = person;
	j.month = month;
	j.sha = sha ? sha : "";
	rc = db_write(r->db, sign_run, &j);
	if (rc) {
		if (j.v.field)
			field_error_add(&r->fe, j.v.field, j.v.message);
		return REQ_FAIL(r, rc);
	}
	r->audit_writes++;
	*out = j.sig;
	return 0;
}

/* ---- the employer's month ------------------------------------------------------------------ */

struct idlist {
	int64_t v[PA_MAX_PERSONS];
	int n;
};

static void
id_add(int64_t id, void *arg)
{
	struct idlist *l = arg;
	if (l->n < PA_MAX_PERSONS)
		l->v[l->n++] = id;
}

/* Working-time warnings of one assistant for month into m. */
static int
month_warnings(struct db_conn *c, int64_t tenant, int64_t assistant, int month, struct pa_month *m)
{
	struct pa_assistant a;
	int rc = visits__pa_assistant_get(c, tenant, assistant, &a);
	if (rc)
		return rc;
	int32_t first = visits_month_first_day(month), last = visits_month_first_day(month + 1) - 1;
	int32_t jan1 = visits_month_first_day(month - month % 12);
	int32_t monday = first - (cal_weekday(first) - 1);
	struct spans *w = xcalloc(1, sizeof *w);
	w->active_only = true;
	rc = visits__pa_hours_assistant(c, tenant, assistant, visits_day_start(jan1 - 7),
	                                visits_day_start(last + 8), span_add, w);
	struct visits_atl_item items[64];
	int64_t before = 0;
	if (rc == 0 && monday > jan1) {
		/* Overtime earlier in the year: the weeks before this month's first week. */
		int k =
		    visits_atl_check(w->v, w->n, jan1, monday - 1, 0, &visits_atl_law, items, 64);
		for (int i = 0; i < k && i < 64; i++)
			if (items[i].code == VISITS_ATL_OVERTIME)
				before += items[i].minutes;
	}
	int k =
	    rc ? 0 : visits_atl_check(w->v, w->n, first, last, before, &visits_atl_law, items, 64);
	if (k < 0)
		rc = k;
	for (int i = 0; rc == 0 && i < k && i < 64 && m->nwarnings < PA_MAX_WARNINGS; i++) {
		struct pa_month_warning *pw = &m->warnings[m->nwarnings++];
		pw->assistant_id = a.id;
		snprintf(pw->assistant_name, sizeof pw->assistant_name, "%s", a.name);
		pw->item = items[i];
	}
	free(w);
	return rc;
}

int
pa_month_load(struct db_conn *c, int64_t tenant, int64_t provider, int month, struct pa_month *m)
{
	memset(m, 0, sizeof *m);
	m->month = month;
	visits_month_format(month, m->month_text);
	m->month_over = this_month() > month;
	int rc = visits__pa_month_locked(c, tenant, provider, m->month_text, &m->locked);
	struct idlist persons = {.n = 0}, assistants = {.n = 0};
	if (rc == 0)
		rc = visits__pa_month_persons(c, tenant, provider, m->month_text, id_add, &persons);
	for (int i = 0; rc == 0 && i < persons.n; i++) {
		struct pa_doc d;
		rc = pa_doc_load(c, tenant, provider, persons.v[i], month, &d);
		if (rc == 0) {
			struct pa_month_sheet *s = &m->sheets[m->nsheets++];
			s->person_id = persons.v[i];
			snprintf(s->person_name, sizeof s->person_name, "%s", d.person_name);
			snprintf(s->state, sizeof s->state, "%s", doc_state(&d));
			s->nsigs = d.nsigs;
			s->payable_minutes = d.sheet.payable;
		}
		pa_doc_release(&d);
	}
	if (rc == 0)
		rc = visits__pa_month_assistants(c, tenant, provider, m->month_text, id_add,
		                                 &assistants);
	for (int i = 0; rc == 0 && i < assistants.n; i++)
		rc = month_warnings(c, tenant, assistants.v[i], month, m);
	return rc;
}

void
pa_month_json(struct strbuf *sb, const struct pa_month *m)
{
	sb_addf(sb, "{\"month\":\"%s\",\"locked\":%s,\"month_over\":%s,\"sheets\":[", m->month_text,
	        m->locked ? "true" : "false", m->month_over ? "true" : "false");
	for (int i = 0; i < m->nsheets; i++) {
		const struct pa_month_sheet *s = &m->sheets[i];
		sb_addf(sb, "%s{\"person_id\":%lld,\"name\":", i ? "," : "",
		        (long long)s->person_id);
		json_str(sb, s->person_name);
		sb_addf(sb, ",\"state\":\"%s\",\"signatures\":%d,\"payable_minutes\":%lld}",
		        s->state, s->nsigs, (long long)s->payable_minutes);
	}
	sb_adds(sb, "],\"warnings\":[");
	for (int i = 0; i < m->nwarnings; i++) {
		const struct pa_month_warning *w = &m->warnings[i];
		char day[11];
		cal_format(w->item.day, day);
		sb_addf(sb, "%s{\"assistant_id\":%lld,\"assistant\":", i ? "," : "",
		        (long long)w->assistant_id);
		json_str(sb, w->assistant_name);
		static const char *const codes[] = {
		    "",         "daily_rest",       "weekly_rest",
		    "overtime", "overtime_4_weeks", "overtime_year"};
		int code = w->item.code >= 1 && w->item.code <= 5 ? w->item.code : 0;
		sb_addf(sb, ",\"code\":\"%s\",\"from\":\"%s\",\"minutes\":%lld,\"message\":",
		        codes[code], day, (long long)w->item.minutes);
		json_str(sb, visits_atl_message(w->item.code));
		sb_addc(sb, '}');
	}
	sb_adds(sb, "]}");
}

struct approve_job {
	const struct audit_entry *who;
	int64_t tenant, provider, user_id;
	int month;
	struct verdict v;
};

static int
approve_run(struct db_conn *c, void *arg)
{
	struct approve_job *j = arg;
	struct pa_month *m = xcalloc(1, sizeof *m);
	int rc = pa_month_load(c, j->tenant, j->provider, j->month, m);
	if (rc == 0 && m->locked)
		rc = refuse(&j->v, HERR_CONFLICT, "month", "månaden är redan godkänd och låst");
	else if (rc == 0 && !m->month_over)
		rc = refuse(&j->v, HERR_RULE, "month",
		            "månaden kan godkännas först när den är slut");
	for (int i = 0; rc == 0 && i < m->nsheets; i++)
		if (strcmp(m->sheets[i].state, "signed") != 0)
			rc = refuse(&j->v, HERR_RULE, "month",
			            "alla tidsredovisningar måste vara signerade av alla parter");
	if (rc == 0)
		rc = visits__pa_lock_insert(c, j->tenant, j->provider, m->month_text, j->user_id,
		                            time_now());
	for (int i = 0; rc == 0 && i < m->nsheets; i++) {
		struct audit_entry e = *j->who;
		e.action = "approve";
		e.entity = "pa_month";
		e.entity_id = j->provider;
		e.person_id = m->sheets[i].person_id;
		rc = audit_append(c, &e);
	}
	if (rc == 0 && m->nsheets == 0) {
		struct audit_entry e = *j->who;
		e.action = "approve";
		e.entity = "pa_month";
		e.entity_id = j->provider;
		rc = audit_append(c, &e);
	}
	free(m);
	return rc;
}

int
pa_approve_or_fail(struct req *r, int month)
{
	if (!(r->who.roles & ROLE_PROVIDER_ADMIN) || !r->who.provider_id)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	struct audit_entry e;
	req_audit_who(r, &e);
	struct approve_job j = {&e,    r->who.tenant_id, r->who.provider_id, r->who.user_id,
	                        month, {NULL, NULL}};
	int rc = db_write(r->db, approve_run, &j);
	if (rc) {
		if (j.v.field)
			field_error_add(&r->fe, j.v.field, j.v.message);
		return REQ_FAIL(r, rc);
	}
	r->audit_writes++;
	return 0;
}

/* ---- JSON routes --------------------------------------------------------------------------- */

static void
assistant_json(const struct pa_assistant *a, void *arg)
{
	struct strbuf *sb = arg;
	if (sb->buf[sb->len - 1] != '[')
		sb_addc(sb, ',');
	sb_addf(sb, "{\"id\":%lld,\"ref\":", (long long)a->id);
	json_str(sb, a->ref);
	sb_adds(sb, ",\"name\":");
	json_str(sb, a->name);
	sb_addf(sb, ",\"user_id\":");
	if (a->user_id)
		sb_addf(sb, "%lld", (long long)a->user_id);
	else
		sb_adds(sb, "null");
	sb_addf(sb,
	        ",\"birth_date\":\"%s\",\"relative\":%s,\"same_household\":%s,"
	        "\"lives_in_eea\":%s}",
	        a->birth_date, a->relative ? "true" : "false", a->same_household ? "true" : "false",
	        a->lives_in_eea ? "true" : "false");
}

int
visits_pa_api_assistants(struct req *r)
{
	if (!r->who.provider_id)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "{\"items\":[");
	struct db_conn *c = db_reader(r->db);
	int rc =
	    visits__pa_assistants(c, r->who.tenant_id, r->who.provider_id, assistant_json, &sb);
	db_reader_done(r->db, c);
	sb_adds(&sb, "]}");
	if (rc == 0 && sb.err)
		rc = sb.err;
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	req_json(r, 200, &sb);
	return 0;
}

struct asst_job {
	struct pa_assistant *a;
};

static int
asst_run(struct db_conn *c, void *arg)
{
	struct asst_job *j = arg;
	return visits__pa_assistant_insert(c, j->a);
}

int
visits_pa_api_assistant_add(struct req *r)
{
	static const struct jfield fields[] = {
	    {"name", JF_STRING, true, 128, NULL, 0},
	    {"ref", JF_STRING, true, 40, NULL, 0},
	    {"birth_date", JF_DATE, true, 0, NULL, 0},
	    {"user_id", JF_INT, false, 0, NULL, 0},
	    {"relative", JF_BOOL, false, 0, NULL, 0},
	    {"same_household", JF_BOOL, false, 0, NULL, 0},
	    {"lives_in_eea", JF_BOOL, false, 0, NULL, 0},
	};
	if (!(r->who.roles & ROLE_PROVIDER_ADMIN) || !r->who.provider_id)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	json_t *obj;
	int rc = req_decode_json(r, fields, sizeof fields / sizeof fields[0], &obj);
	if (rc)
		return rc;
	struct pa_assistant a;
	memset(&a, 0, sizeof a);
	a.tenant_id = r->who.tenant_id;
	a.provider_id = r->who.provider_id;
	a.user_id = json_get_int(obj, "user_id", 0);
	snprintf(a.name, sizeof a.name, "%s", json_get_str(obj, "name"));
	snprintf(a.ref, sizeof a.ref, "%s", json_get_str(obj, "ref"));
	snprintf(a.birth_date, sizeof a.birth_date, "%s", json_get_str(obj, "birth_date"));
	a.relative = json_get_bool(obj, "relative", false);
	a.same_household = json_get_bool(obj, "same_household", false);
	a.lives_in_eea = json_get_bool(obj, "lives_in_eea", true);
	a.created_at = time_now();
	json_decref(obj);
	if (!a.name[0])
		field_error_add(&r->fe, "name", "namn saknas");
	if (!a.ref[0])
		field_error_add(&r->fe, "ref", "referens saknas");
	if (r->fe.n)
		return REQ_FAIL(r, HERR_INVALID);
	if (a.user_id) {
		/* The login must be an active provider_staff user of this provider: someone
		 * else's login would report shifts as this provider's assistant. */
		int64_t provider = 0;
		unsigned roles = 0;
		struct db_conn *c = db_reader(r->db);
		rc = auth_user_provider(c, r->who.tenant_id, a.user_id, &provider, &roles);
		db_reader_done(r->db, c);
		if (rc && rc != HERR_NOT_FOUND)
			return REQ_FAIL(r, rc);
		if (rc || provider != a.provider_id)
			field_error_add(&r->fe, "user_id", "användaren hör inte till anordnaren");
		else if (!(roles & ROLE_PROVIDER_STAFF))
			field_error_add(&r->fe, "user_id",
			                "användaren ska ha rollen personal hos anordnaren");
		if (r->fe.n)
			return REQ_FAIL(r, HERR_RULE);
	}
	struct asst_job j = {&a};
	rc = db_write(r->db, asst_run, &j);
	if (rc == HERR_CONFLICT)
		field_error_add(&r->fe, "ref", "referensen finns redan");
	if (rc)
		return REQ_FAIL(r, rc);
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_addc(&sb, '[');
	assistant_json(&a, &sb);
	struct strbuf one;
	sb_init(&one, 0);
	sb_adds(&one, sb.buf + 1);
	sb_release(&sb);
	req_json(r, 201, &one);
	return 0;
}

static const struct jfield hour_fields[] = {
    {"person_id", JF_INT, true, 0, NULL, 0},    {"assistant_id", JF_INT, false, 0, NULL, 0},
    {"date", JF_DATE, true, 0, NULL, 0},        {"start", JF_STRING, true, 5, NULL, 0},
    {"end", JF_STRING, true, 5, NULL, 0},       {"kind", JF_STRING, false, 8, NULL, 0},
    {"reason", JF_STRING, false, 500, NULL, 0},
};

/* Decodes a shift body and records it (corrects: the row it corrects, 0 for none). */
static int
hours_route(struct req *r, int64_t corrects)
{
	json_t *obj;
	int rc = req_decode_json(r, hour_fields, sizeof hour_fields / sizeof hour_fields[0], &obj);
	if (rc)
		return rc;
	struct pa_entry in = {
	    .person_id = json_get_int(obj, "person_id", 0),
	    .assistant_id = json_get_int(obj, "assistant_id", 0),
	    .corrects_id = corrects,
	    .date = json_get_str(obj, "date"),
	    .start = json_get_str(obj, "start"),
	    .end = json_get_str(obj, "end"),
	    .kind = json_get_str(obj, "kind"),
	    .reason = json_get_str(obj, "reason"),
	    .source = "api",
	};
	struct pa_hour h;
	rc = pa_hours_or_fail(r, &in, &h);
	json_decref(obj);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	hour_json(&sb, &h);
	req_json(r, 201, &sb);
	return 0;
}

int
visits_pa_api_hours(struct req *r)
{
	return hours_route(r, 0);
}

int
visits_pa_api_correction(struct req *r)
{
	struct pa_hour orig;
	struct db_conn *c = db_reader(r->db);
	int rc = visits__pa_hour_get(c, r->who.tenant_id, r->params[0], &orig);
	if (rc == 0 && orig.provider_id != r->who.provider_id)
		rc = HERR_NOT_FOUND;
	if (rc == 0)
		rc = auth_person_access(c, &r->who, orig.person_id);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	return hours_route(r, orig.id);
}

int
visits_pa_api_void(struct req *r)
{
	static const struct jfield fields[] = {
	    {"reason", JF_STRING, true, 500, NULL, 0},
	};
	json_t *obj;
	int rc = req_decode_json(r, fields, sizeof fields / sizeof fields[0], &obj);
	if (rc)
		return rc;
	struct pa_hour h;
	rc = pa_void_or_fail(r, r->params[0], json_get_str(obj, "reason"), &h);
	json_decref(obj);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	hour_json(&sb, &h);
	req_json(r, 201, &sb);
	return 0;
}

int
pa_sheet_or_fail(struct req *r, struct pa_doc *d)
{
	int month;
	int rc = pa_month_arg_or_fail(r, req_query(r, "month"), &month);
	if (rc)
		return rc;
	int64_t want = 0;
	if (req_query(r, "provider_id") &&
	    req_query_int(r, "provider_id", 0, INT64_MAX, &want) != 0)
		return REQ_FAIL(r, HERR_INVALID);
	int64_t person = r->params[0], provider = 0;
	struct db_conn *c = db_reader(r->db);
	rc = auth_person_access(c, &r->who, person);
	if (rc == 0)
		rc = pa_sheet_provider(c, r, person, month, want, &provider);
	if (rc == 0)
		rc = pa_doc_load(c, r->who.tenant_id, provider, person, month, d);
	db_reader_done(r->db, c);
	if (rc) {
		pa_doc_release(d);
		return REQ_FAIL(r, rc);
	}
	return 0;
}

int
visits_pa_api_sheet(struct req *r)
{
	struct pa_doc d;
	int rc = pa_sheet_or_fail(r, &d);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	pa_doc_json(&sb, &d);
	rc = sb.err ? REQ_FAIL(r, sb.err) : pa_audit_read(r, "pa_sheet", d.order_id, d.person_id);
	pa_doc_release(&d);
	if (rc) {
		sb_release(&sb);
		return rc;
	}
	req_json(r, 200, &sb);
	return 0;
}

int
visits_pa_api_sign(struct req *r)
{
	static const struct jfield fields[] = {
	    {"month", JF_STRING, true, 7, NULL, 0},
	    {"content_sha256", JF_STRING, true, 64, NULL, 0},
	    {"provider_id", JF_INT, false, 0, NULL, 0},
	};
	json_t *obj;
	int rc = req_decode_json(r, fields, sizeof fields / sizeof fields[0], &obj);
	if (rc)
		return rc;
	int month;
	rc = pa_month_arg_or_fail(r, json_get_str(obj, "month"), &month);
	int64_t want = json_get_int(obj, "provider_id", 0), person = r->params[0], provider = 0;
	char sha[65];
	snprintf(sha, sizeof sha, "%s", json_get_str(obj, "content_sha256"));
	json_decref(obj);
	if (rc)
		return rc;
	struct db_conn *c = db_reader(r->db);
	rc = auth_person_access(c, &r->who, person);
	if (rc == 0)
		rc = pa_sheet_provider(c, r, person, month, want, &provider);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	struct pa_signature s;
	rc = pa_sign_or_fail(r, provider, person, month, sha, &s);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	signature_json(&sb, &s);
	req_json(r, 201, &sb);
	return 0;
}

int
visits_pa_api_month(struct req *r)
{
	if (!(r->who.roles & ROLE_PROVIDER_ADMIN) || !r->who.provider_id)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	int month;
	int rc = pa_month_arg_or_fail(r, req_query(r, "month"), &month);
	if (rc)
		return rc;
	struct pa_month *m = xcalloc(1, sizeof *m);
	struct db_conn *c = db_reader(r->db);
	rc = pa_month_load(c, r->who.tenant_id, r->who.provider_id, month, m);
	db_reader_done(r->db, c);
	struct strbuf sb;
	sb_init(&sb, 0);
	if (rc == 0)
		pa_month_json(&sb, m);
	if (rc == 0 && sb.err)
		rc = sb.err;
	if (rc)
		rc = REQ_FAIL(r, rc);
	/* One read record per assisted person on the month. */
	int64_t persons[PA_MAX_PERSONS + 1];
	int n = 0;
	for (int i = 0; i < m->nsheets; i++)
		persons[n++] = m->sheets[i].person_id;
	if (n == 0)
		persons[n++] = 0;
	free(m);
	if (rc == 0) {
		rc = req_audit_reads(r, "read", "pa_month", r->who.provider_id, persons, n);
		if (rc)
			rc = REQ_FAIL(r, rc);
	}
	if (rc) {
		sb_release(&sb);
		return rc;
	}
	req_json(r, 200, &sb);
	return 0;
}

int
visits_pa_api_approve(struct req *r)
{
	static const struct jfield fields[] = {{"month", JF_STRING, true, 7, NULL, 0}};
	json_t *obj;
	int rc = req_decode_json(r, fields, 1, &obj);
	if (rc)
		return rc;
	int month;
	rc = pa_month_arg_or_fail(r, json_get_str(obj, "month"), &month);
	json_decref(obj);
	if (rc)
		return rc;
	rc = pa_approve_or_fail(r, month);
	if (rc)
		return rc;
	struct pa_month *m = xcalloc(1, sizeof *m);
	struct db_conn *c = db_reader(r->db);
	rc = pa_month_load(c, r->who.tenant_id, r->who.provider_id, month, m);
	db_reader_done(r->db, c);
	struct strbuf sb;
	sb_init(&sb, 0);
	if (rc == 0)
		pa_month_json(&sb, m);
	free(m);
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	req_json(r, 200, &sb);
	return 0;
}

struct grant_job {
	const struct audit_entry *who;
	int64_t tenant, person;
	struct pa_grant_row g;
};

static int
grant_run(struct db_conn *c, void *arg)
{
	struct grant_job *j = arg;
	int rc = visits__pa_grant_put(c, j->tenant, &j->g, j->who->user_id, time_now());
	if (rc)
		return rc;
	struct audit_entry e = *j->who;
	e.action = "update";
	e.entity = "pa_grant";
	e.entity_id = j->g.order_id;
	e.person_id = j->person;
	return audit_append(c, &e);
}

int
visits_pa_api_grant(struct req *r)
{
	static const struct jfield fields[] = {
	    {"double_granted", JF_BOOL, true, 0, NULL, 0},
	    {"oncall_num", JF_INT, true, 0, NULL, 0},
	    {"oncall_den", JF_INT, true, 0, NULL, 0},
	};
	json_t *obj;
	int rc = req_decode_json(r, fields, sizeof fields / sizeof fields[0], &obj);
	if (rc)
		return rc;
	struct grant_job j;
	memset(&j, 0, sizeof j);
	j.g.order_id = r->params[0];
	j.g.double_granted = json_get_bool(obj, "double_granted", false);
	long long num = json_get_int(obj, "oncall_num", 1),
	          den = json_get_int(obj, "oncall_den", 1);
	json_decref(obj);
	if (num < 0 || num > 100)
		field_error_add(&r->fe, "oncall_num", "täljaren ska vara 0-100");
	if (den < 1 || den > 100)
		field_error_add(&r->fe, "oncall_den", "nämnaren ska vara 1-100");
	if (r->fe.n)
		return REQ_FAIL(r, HERR_INVALID);
	j.g.oncall_num = (int)num;
	j.g.oncall_den = (int)den;
	struct order_ref ref;
	struct db_conn *c = db_reader(r->db);
	rc = providers_order_ref(c, r->who.tenant_id, j.g.order_id, &ref);
	if (rc == 0)
		rc = auth_person_access(c, &r->who, ref.person_id);
	db_reader_done(r->db, c);
	if (rc == 0 && strcmp(ref.service_code, SERVICE_CODE) != 0)
		rc = HERR_NOT_FOUND;
	if (rc)
		return REQ_FAIL(r, rc);
	struct audit_entry e;
	req_audit_who(r, &e);
	j.who = &e;
	j.tenant = r->who.tenant_id;
	j.person = ref.person_id;
	rc = db_write(r->db, grant_run, &j);
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_addf(&sb,
	        "{\"order_id\":%lld,\"double_granted\":%s,\"oncall_num\":%d,\"oncall_den\":%d}",
	        (long long)j.g.order_id, j.g.double_granted ? "true" : "false", j.g.oncall_num,
	        j.g.oncall_den);
	req_json(r, 200, &sb);
	return 0;
}
