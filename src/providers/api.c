/*
 * JSON routes of the provider register (LOV), vacancy marking, the customer's choice, the event
 * feed and API tokens of providers' systems; and the access and audit helpers shared with the
 * order routes (orders.c) and pages (pages.c). Who may change a provider: an admin any, a
 * provider_admin only their own (contact, profile, webhook, vacancies, tokens); the rest 404.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/calendar.h"
#include "base/err.h"
#include "base/json.h"
#include "base/rand.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cases/api_private.h"
#include "cases/cases.h"
#include "db/db.h"
#include "http/http.h"
#include "providers.h"
#include "providers_api.h"
#include "providers_private.h"
#include "api_private.h"
#include "rules.h"

/* ---- shared helpers ------------------------------------------------------------------ */

bool
providers__is_provider(const struct req *r)
{
	return (r->who.roles & (ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF)) != 0;
}

int
providers__audit_read(struct req *r, const char *entity, int64_t entity_id, const int64_t *persons,
                      int n)
{
	int64_t none = 0;
	if (n == 0) {
		persons = &none;
		n = 1;
	}
	int rc = req_audit_reads(r, "read", entity, entity_id, persons, n);
	return rc ? REQ_FAIL(r, rc) : 0;
}

int
providers__order_or_fail(struct req *r, int64_t id, struct order *o)
{
	struct db_conn *c = db_reader(r->db);
	int rc = providers_order_get(c, r->who.tenant_id, id, o);
	if (rc == 0 && providers__is_provider(r)) {
		if (o->ref.provider_id != r->who.provider_id ||
		    strcmp(o->ref.state, "declined") == 0 || strcmp(o->ref.state, "withdrawn") == 0)
			rc = HERR_NOT_FOUND;
		else
			rc = providers_customer_access(c, r->who.tenant_id, r->who.provider_id,
			                               o->ref.person_id);
	}
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	if (providers__is_provider(r))
		return 0;
	struct case_row cs;
	return cases__load_or_fail(r, o->ref.case_id, &cs);
}

int
providers__own_or_fail(struct req *r, int64_t id, struct provider *p)
{
	bool admin = (r->who.roles & ROLE_ADMIN) != 0;
	bool own = (r->who.roles & ROLE_PROVIDER_ADMIN) && r->who.provider_id == id;
	if (!admin && !own)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	struct db_conn *c = db_reader(r->db);
	int rc = providers_get(c, r->who.tenant_id, id, p);
	db_reader_done(r->db, c);
	return rc ? REQ_FAIL(r, rc) : 0;
}

const char *
providers__state_word(const char *state)
{
	static const struct {
		const char *state, *word;
	} words[] = {
	    {"sent", "Skickad"},   {"accepted", "Accepterad"},  {"declined", "Avböjd"},
	    {"ended", "Avslutad"}, {"withdrawn", "Återkallad"},
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(words[i].state, state) == 0)
			return words[i].word;
	return state;
}

/* ---- the register -------------------------------------------------------------------- */

struct profile {
	struct strbuf *sb;
	int64_t service_id;              /* the service the choice is about, 0 for all */
	const char *area;                /* the area asked for, NULL for all */
	bool vacant;                     /* some vacancy line matches with places > 0 */
	bool evenings, weekends, nights; /* the provider marks capacity at these times */
	bool in_area;                    /* the provider works in the area asked for */
};

static void
service_json(const struct provider_service *s, void *arg)
{
	struct strbuf *sb = arg;
	providers__comma(sb);
	json_str(sb, s->code);
}

static void
area_json(const char *area, void *arg)
{
	struct profile *pf = arg;
	providers__comma(pf->sb);
	json_str(pf->sb, area);
	if (pf->area && strcmp(area, pf->area) == 0)
		pf->in_area = true;
}

static void
vacancy_json(const struct vacancy *v, void *arg)
{
	struct profile *pf = arg;
	if (pf->service_id && v->service_id != pf->service_id)
		return;
	if (pf->area && strcmp(v->area, pf->area) != 0)
		return;
	if (strcmp(v->time_of_day, "evening") == 0)
		pf->evenings = true;
	if (strcmp(v->time_of_day, "weekend") == 0)
		pf->weekends = true;
	if (strcmp(v->time_of_day, "night") == 0)
		pf->nights = true;
	if (v->places > 0)
		pf->vacant = true;
	providers__comma(pf->sb);
	sb_adds(pf->sb, "{\"service\":");
	json_str(pf->sb, v->service_code);
	sb_adds(pf->sb, ",\"area\":");
	json_str(pf->sb, v->area);
	sb_adds(pf->sb, ",\"time_of_day\":");
	json_str(pf->sb, v->time_of_day);
	sb_addf(pf->sb, ",\"places\":%d}", v->places);
}

/* Whether the approval period of p covers today. */
static bool
approved_now(const struct provider *p, const char *today)
{
	if (!p->approved_from[0] || strcmp(p->approved_from, today) > 0)
		return false;
	return !p->approved_to[0] || strcmp(p->approved_to, today) >= 0;
}

/* Appends the profile of p (register data, services, areas, vacancies); private data (account,
 * webhook) only when full. Sets pf's flags. */
static int
provider_json(struct db_conn *c, struct profile *pf, const struct provider *p, bool full)
{
	struct strbuf *sb = pf->sb;
	char today[11];
	time_today(today);
	sb_addf(sb, "{\"id\":%lld,\"name\":", (long long)p->id);
	json_str(sb, p->name);
	sb_adds(sb, ",\"org_nr\":");
	json_str(sb, p->org_nr);
	sb_adds(sb, ",\"kind\":");
	json_str(sb, p->kind);
	sb_adds(sb, ",\"approved_from\":");
	json_str(sb, p->approved_from);
	sb_adds(sb, ",\"approved_to\":");
	json_str(sb, p->approved_to);
	sb_addf(sb,
	        ",\"approved\":%s,\"contact_name\":", approved_now(p, today) ? "true" : "false");
	json_str(sb, p->contact_name);
	sb_adds(sb, ",\"contact_email\":");
	json_str(sb, p->contact_email);
	sb_adds(sb, ",\"contact_phone\":");
	json_str(sb, p->contact_phone);
	sb_adds(sb, ",\"description\":");
	json_str(sb, p->description);
	if (full) {
		sb_adds(sb, ",\"account\":");
		json_str(sb, p->account);
		sb_adds(sb, ",\"webhook_url\":");
		json_str(sb, p->webhook_url);
		sb_addf(sb, ",\"version\":%lld", (long long)p->version);
	}
	sb_adds(sb, ",\"services\":[");
	int rc = providers_services(c, p->tenant_id, p->id, service_json, sb);
	sb_adds(sb, "],\"areas\":[");
	if (rc == 0)
		rc = providers_areas(c, p->tenant_id, p->id, area_json, pf);
	sb_adds(sb, "],\"vacancies\":[");
	if (rc == 0)
		rc = providers_vacancies(c, p->tenant_id, p->id, 0, vacancy_json, pf);
	sb_addf(sb,
	        "],\"vacant\":%s,\"serves_evenings\":%s,\"serves_weekends\":%s,"
	        "\"serves_nights\":%s}",
	        pf->vacant ? "true" : "false", pf->evenings ? "true" : "false",
	        pf->weekends ? "true" : "false", pf->nights ? "true" : "false");
	return rc;
}

struct listing {
	struct db_conn *c;
	struct strbuf *sb;
	int64_t service_id;
	const char *area;
	bool only_vacant, full;
	char today[11];
	int rc;
};

static void
list_one(const struct provider *p, void *arg)
{
	struct listing *l = arg;
	if (l->rc)
		return;
	if (l->service_id && (providers_approved_for(l->c, p->tenant_id, p->id, l->service_id) ||
	                      !approved_now(p, l->today)))
		return;
	size_t mark = l->sb->len;
	providers__comma(l->sb);
	struct profile pf = {.sb = l->sb, .service_id = l->service_id, .area = l->area};
	l->rc = provider_json(l->c, &pf, p, l->full);
	bool keep = (!l->area || pf.in_area) && (!l->only_vacant || pf.vacant);
	if (!keep) {
		l->sb->len = mark;
		l->sb->buf[mark] = '\0';
	}
}

int
providers_api_list(struct req *r)
{
	struct listing l = {.area = req_query(r, "area")};
	time_today(l.today);
	const char *code = req_query(r, "service");
	const char *vacant = req_query(r, "vacant");
	l.only_vacant = vacant && strcmp(vacant, "true") == 0;
	if (l.area && !*l.area)
		l.area = NULL;
	l.full = (r->who.roles & ROLE_ADMIN) != 0;
	struct db_conn *c = db_reader(r->db);
	l.c = c;
	int rc = 0;
	if (code && *code) {
		struct service sv;
		rc = cases_service_get(c, r->who.tenant_id, code, &sv);
		if (rc == HERR_NOT_FOUND) {
			field_error_add(&r->fe, "service", "okänd insats; se /api/v1/services");
			rc = HERR_INVALID;
		}
		if (rc == 0)
			l.service_id = sv.id;
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	l.sb = &sb;
	sb_adds(&sb, "{\"items\":[");
	if (rc == 0)
		rc = providers_list(c, r->who.tenant_id, list_one, &l);
	db_reader_done(r->db, c);
	sb_adds(&sb, "],\"next_cursor\":null}");
	if (rc == 0)
		rc = l.rc ? l.rc : sb.err;
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	req_json(r, 200, &sb);
	return 0;
}

int
providers_api_get(struct req *r)
{
	struct provider p;
	struct db_conn *c = db_reader(r->db);
	int rc = providers_get(c, r->who.tenant_id, r->params[0], &p);
	struct strbuf sb;
	sb_init(&sb, 0);
	bool full = (r->who.roles & ROLE_ADMIN) ||
	            ((r->who.roles & ROLE_PROVIDER_ADMIN) && r->who.provider_id == p.id);
	struct profile pf = {.sb = &sb};
	if (rc == 0)
		rc = provider_json(c, &pf, &p, full);
	db_reader_done(r->db, c);
	if (rc == 0 && sb.err)
		rc = sb.err;
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	req_json(r, 200, &sb);
	return 0;
}

static const struct jfield service_item[] = {{"service", JF_STRING, true, 40, NULL, 0}};
static const struct jfield area_item[] = {{"area", JF_STRING, true, 100, NULL, 0}};

static const struct jfield provider_fields[] = {
    {"name", JF_STRING, false, 200, NULL, 0},
    {"org_nr", JF_STRING, false, 20, NULL, 0},
    {"kind", JF_STRING, false, 12, NULL, 0},
    {"approved_from", JF_DATE, false, 10, NULL, 0},
    {"approved_to", JF_DATE, false, 10, NULL, 0},
    {"contact_name", JF_STRING, false, 128, NULL, 0},
    {"contact_email", JF_STRING, false, 128, NULL, 0},
    {"contact_phone", JF_STRING, false, 40, NULL, 0},
    {"account", JF_STRING, false, 100, NULL, 0},
    {"description", JF_STRING, false, 2000, NULL, 0},
    {"webhook_url", JF_STRING, false, 500, NULL, 0},
    {"services", JF_ARRAY, false, PROVIDERS_MAX_SERVICES, service_item, 1},
    {"areas", JF_ARRAY, false, PROVIDERS_MAX_AREAS, area_item, 1},
    {"version", JF_INT, false, 0, NULL, 0},
};
#define NPROVIDER_FIELDS (sizeof provider_fields / sizeof provider_fields[0])

/* The fields a provider_admin may change on their own provider. */
static bool
own_field(const char *key)
{
	static const char *const ok[] = {"contact_name", "contact_email", "contact_phone",
	                                 "description",  "webhook_url",   "version"};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(ok[i], key) == 0)
			return true;
	return false;
}

/* Overlays the fields present in obj on p and checks the whole; resolves services. Field
 * errors in r->fe. */
static void
read_provider(struct req *r, const json_t *obj, struct provider *p, struct provider_service *sv,
              int *nsv, const char **areas, int *nareas)
{
	static const struct {
		const char *key;
		size_t off, size;
	} texts[] = {
#define T(f) {#f, offsetof(struct provider, f), sizeof(((struct provider *)0)->f)}
	    T(name),          T(kind),          T(approved_from), T(approved_to), T(contact_name),
	    T(contact_email), T(contact_phone), T(account),       T(description), T(webhook_url),
#undef T
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (json_has(obj, texts[i].key))
			providers__copy((char *)p + texts[i].off, texts[i].size,
			                json_get_str(obj, texts[i].key));
	if (json_has(obj, "org_nr")) {
		enum org_fault f = providers_org_nr_parse(json_get_str(obj, "org_nr"), p->org_nr);
		if (f != ORG_OK)
			field_error_add(&r->fe, "org_nr", providers_org_fault_message(f));
	}
	if (!p->name[0])
		field_error_add(&r->fe, "name", "namn krävs");
	if (!p->org_nr[0] && !r->fe.n)
		field_error_add(&r->fe, "org_nr", "organisationsnummer krävs");
	if (strcmp(p->kind, "private") != 0 && strcmp(p->kind, "municipal") != 0)
		field_error_add(&r->fe, "kind", "ska vara private eller municipal");
	if (strcmp(p->kind, "municipal") == 0 && !p->account[0])
		field_error_add(&r->fe, "account", "en kommunal enhet behöver en konteringssträng");
	if (p->approved_from[0] && p->approved_to[0] &&
	    strcmp(p->approved_to, p->approved_from) < 0)
		field_error_add(&r->fe, "approved_to", "slutar före godkännandets början");
	if (p->webhook_url[0] && strncmp(p->webhook_url, "https://", 8) != 0 &&
	    strncmp(p->webhook_url, "http://", 7) != 0) {
		field_error_add(&r->fe, "webhook_url", "ska börja med https:// eller http://");
	} else if (json_has(obj, "webhook_url") && p->webhook_url[0]) {
		/* Server-side request forgery: no address of the host may be internal. */
		struct webhook_target t;
		enum webhook_fault f = providers__webhook_check(p->webhook_url, &t);
		if (f != WEBHOOK_OK)
			field_error_add(&r->fe, "webhook_url", providers__webhook_fault_message(f));
	}
	json_t *list = json_object_get(obj, "services");
	*nsv = 0;
	if (json_is_array(list)) {
		struct db_conn *c = db_reader(r->db);
		for (size_t i = 0; i < json_array_size(list); i++) {
			const char *code = json_get_str(json_array_get(list, i), "service");
			struct service s;
			if (cases_service_get(c, r->who.tenant_id, code, &s) != 0) {
				char f[40];
				snprintf(f, sizeof f, "services[%zu].service", i);
				field_error_add(&r->fe, f, "okänd insats; se /api/v1/services");
				continue;
			}
			sv[*nsv].service_id = s.id;
			providers__copy(sv[*nsv].code, sizeof sv[*nsv].code, s.code);
			(*nsv)++;
		}
		db_reader_done(r->db, c);
	}
	list = json_object_get(obj, "areas");
	*nareas = 0;
	if (json_is_array(list))
		for (size_t i = 0; i < json_array_size(list); i++)
			areas[(*nareas)++] = json_get_str(json_array_get(list, i), "area");
}

static int
answer_provider(struct req *r, int64_t id, int status, const char *secret)
{
	struct provider p;
	struct db_conn *c = db_reader(r->db);
	int rc = providers_get(c, r->who.tenant_id, id, &p);
	struct strbuf sb;
	sb_init(&sb, 0);
	struct profile pf = {.sb = &sb};
	if (rc == 0)
		rc = provider_json(c, &pf, &p, true);
	db_reader_done(r->db, c);
	if (rc == 0 && secret) {
		sb.len--;
		sb_adds(&sb, ",\"webhook_secret\":");
		json_str(&sb, secret);
		sb_addc(&sb, '}');
	}
	if (rc == 0 && sb.err)
		rc = sb.err;
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	req_json(r, status, &sb);
	return 0;
}

int
providers_api_create(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, provider_fields, NPROVIDER_FIELDS, &obj);
	if (rc)
		return rc;
	struct provider *p = xcalloc(1, sizeof *p);
	p->tenant_id = r->who.tenant_id;
	providers__copy(p->kind, sizeof p->kind, "private");
	struct provider_service sv[PROVIDERS_MAX_SERVICES];
	const char *areas[PROVIDERS_MAX_AREAS];
	int nsv, nareas;
	read_provider(r, obj, p, sv, &nsv, areas, &nareas);
	if (r->fe.n) {
		json_decref(obj);
		free(p);
		return REQ_FAIL(r, HERR_INVALID);
	}
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = providers_register(r->db, p, sv, nsv, areas, nareas, &e);
	json_decref(obj);
	int64_t id = p->id;
	free(p);
	if (rc == HERR_CONFLICT)
		field_error_add(&r->fe, "org_nr", "en utförare med samma namn eller nummer finns");
	if (rc)
		return REQ_FAIL(r, rc);
	char loc[64];
	snprintf(loc, sizeof loc, "/api/v1/providers/%lld", (long long)id);
	req_header(r, "Location", loc);
	return answer_provider(r, id, 201, NULL);
}

int
providers_api_patch(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, provider_fields, NPROVIDER_FIELDS, &obj);
	if (rc)
		return rc;
	struct provider *p = xcalloc(1, sizeof *p);
	rc = providers__own_or_fail(r, r->params[0], p);
	if (rc == 0 && !(r->who.roles & ROLE_ADMIN)) {
		const char *key;
		json_t *val;
		json_object_foreach(obj, key, val)
		{
			if (!own_field(key))
				field_error_add(&r->fe, key, "ändras av kommunens administratör");
		}
		if (r->fe.n)
			rc = REQ_FAIL(r, HERR_FORBIDDEN);
	}
	if (rc == 0 && !json_has(obj, "version")) {
		field_error_add(&r->fe, "version", "version krävs");
		rc = REQ_FAIL(r, HERR_INVALID);
	}
	char old_url[sizeof p->webhook_url];
	providers__copy(old_url, sizeof old_url, p->webhook_url);
	struct provider_service sv[PROVIDERS_MAX_SERVICES];
	const char *areas[PROVIDERS_MAX_AREAS];
	int nsv = 0, nareas = 0;
	if (rc == 0) {
		p->version = json_get_int(obj, "version", 0);
		read_provider(r, obj, p, sv, &nsv, areas, &nareas);
		if (r->fe.n)
			rc = REQ_FAIL(r, HERR_INVALID);
	}
	bool lists = json_has(obj, "services") || json_has(obj, "areas");
	if (rc == 0 && lists && (!json_has(obj, "services") || !json_has(obj, "areas"))) {
		field_error_add(&r->fe, json_has(obj, "services") ? "areas" : "services",
		                "tjänster och områden ändras tillsammans");
		rc = REQ_FAIL(r, HERR_INVALID);
	}
	/* A new webhook address gets a new secret, shown once. */
	char secret[65] = "";
	bool new_secret = rc == 0 && p->webhook_url[0] && strcmp(old_url, p->webhook_url) != 0;
	if (new_secret)
		rand_hex(secret, 32);
	if (rc == 0) {
		struct audit_entry e;
		req_audit_who(r, &e);
		rc = providers_update(r->db, p, lists, sv, nsv, areas, nareas,
		                      new_secret ? secret : NULL, &e);
		if (rc == HERR_CONFLICT)
			field_error_add(&r->fe, "org_nr",
			                "en utförare med samma namn eller nummer finns");
		if (rc)
			rc = REQ_FAIL(r, rc);
	}
	json_decref(obj);
	int64_t id = p->id;
	free(p);
	if (rc)
		return rc;
	return answer_provider(r, id, 200, new_secret ? secret : NULL);
}

/* ---- vacancies ----------------------------------------------------------------------- */

struct area_check {
	const char *area;
	bool found;
};

static void
area_match(const char *area, void *arg)
{
	struct area_check *a = arg;
	if (strcmp(a->area, area) == 0)
		a->found = true;
}

int
providers__vacancies_or_fail(struct req *r, int64_t id, struct vacancy *v, int n)
{
	struct provider p;
	int rc = providers__own_or_fail(r, id, &p);
	if (rc)
		return rc;
	struct db_conn *c = db_reader(r->db);
	for (int i = 0; i < n; i++) {
		char f[48];
		struct service s;
		if (cases_service_get(c, r->who.tenant_id, v[i].service_code, &s) != 0 ||
		    providers_approved_for(c, r->who.tenant_id, id, s.id) != 0) {
			snprintf(f, sizeof f, "items[%d].service", i);
			field_error_add(&r->fe, f, "utföraren är inte godkänd för insatsen");
			continue;
		}
		v[i].service_id = s.id;
		struct area_check a = {v[i].area, false};
		providers_areas(c, r->who.tenant_id, id, area_match, &a);
		if (!a.found) {
			snprintf(f, sizeof f, "items[%d].area", i);
			field_error_add(&r->fe, f, "utföraren är inte godkänd för området");
		}
		if (!providers_time_of_day_ok(v[i].time_of_day)) {
			snprintf(f, sizeof f, "items[%d].time_of_day", i);
			field_error_add(&r->fe, f, "ska vara day, evening, night eller weekend");
		}
		if (v[i].places < 0 || v[i].places > 10000) {
			snprintf(f, sizeof f, "items[%d].places", i);
			field_error_add(&r->fe, f, "ska vara 0-10000");
		}
		for (int k = 0; k < i; k++)
			if (strcmp(v[k].service_code, v[i].service_code) == 0 &&
			    strcmp(v[k].area, v[i].area) == 0 &&
			    strcmp(v[k].time_of_day, v[i].time_of_day) == 0) {
				snprintf(f, sizeof f, "items[%d]", i);
				field_error_add(&r->fe, f, "samma rad finns två gånger");
			}
	}
	db_reader_done(r->db, c);
	if (r->fe.n)
		return REQ_FAIL(r, HERR_RULE);
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = providers_vacancies_set(r->db, r->who.tenant_id, id, v, n, &e);
	return rc ? REQ_FAIL(r, rc) : 0;
}

static const struct jfield vacancy_item[] = {
    {"service", JF_STRING, true, 40, NULL, 0},
    {"area", JF_STRING, true, 100, NULL, 0},
    {"time_of_day", JF_STRING, true, 10, NULL, 0},
    {"places", JF_INT, true, 0, NULL, 0},
};
static const struct jfield vacancy_fields[] = {
    {"items", JF_ARRAY, true, 100, vacancy_item, 4},
};

int
providers_api_vacancies(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, vacancy_fields, 1, &obj);
	if (rc)
		return rc;
	json_t *items = json_object_get(obj, "items");
	int n = (int)json_array_size(items);
	struct vacancy *v = xcalloc((size_t)n + 1, sizeof *v);
	for (int i = 0; i < n; i++) {
		json_t *it = json_array_get(items, (size_t)i);
		providers__copy(v[i].service_code, sizeof v[i].service_code,
		                json_get_str(it, "service"));
		providers__copy(v[i].area, sizeof v[i].area, json_get_str(it, "area"));
		providers__copy(v[i].time_of_day, sizeof v[i].time_of_day,
		                json_get_str(it, "time_of_day"));
		long long places = json_get_int(it, "places", -1);
		v[i].places = places < -1 || places > 100000 ? -1 : (int)places;
	}
	json_decref(obj);
	rc = providers__vacancies_or_fail(r, r->params[0], v, n);
	free(v);
	if (rc)
		return rc;
	return answer_provider(r, r->params[0], 200, NULL);
}

/* ---- the customer's choice ----------------------------------------------------------- */

int
providers__decision_or_fail(struct req *r, int64_t id, struct decision *d, struct case_row *cs)
{
	struct db_conn *c = db_reader(r->db);
	int rc = cases_decision_get(c, r->who.tenant_id, id, d);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	return cases__load_or_fail(r, d->case_id, cs);
}

int
providers__choose_or_fail(struct req *r, int64_t decision_id, int64_t provider_id,
                          struct choice *ch)
{
	struct decision *d = xcalloc(1, sizeof *d);
	struct case_row cs;
	int rc = providers__decision_or_fail(r, decision_id, d, &cs);
	if (rc == 0 && strcmp(d->outcome, "refused") == 0) {
		field_error_add(&r->fe, "outcome", "ett avslag kan inte få en utförare");
		rc = REQ_FAIL(r, HERR_RULE);
	}
	struct service sv;
	struct provider p;
	if (rc == 0) {
		struct db_conn *c = db_reader(r->db);
		int k = cases_service_get(c, r->who.tenant_id, d->service, &sv);
		/* review 2026-11 finding 14: a choice only where the catalogue has customer
		 * choice (LOV); otherwise the municipality orders from its provider. */
		if (k == 0 && !sv.customer_choice) {
			field_error_add(&r->fe, "decision_id",
			                "insatsen har inget kundval: kommunen bestämmer utföraren");
			k = HERR_RULE;
		}
		if (k == 0)
			k = providers_get(c, r->who.tenant_id, provider_id, &p);
		if (k == 0)
			k = providers_approved_for(c, r->who.tenant_id, provider_id, sv.id);
		db_reader_done(r->db, c);
		if (k == HERR_RULE) {
			rc = REQ_FAIL(r, HERR_RULE);
		} else if (k == HERR_NOT_FOUND) {
			field_error_add(&r->fe, "provider_id",
			                "okänd utförare eller inte godkänd för insatsen");
			rc = REQ_FAIL(r, HERR_RULE);
		} else if (k) {
			rc = REQ_FAIL(r, k);
		}
	}
	if (rc == 0) {
		memset(ch, 0, sizeof *ch);
		ch->decision_id = d->id;
		ch->person_id = d->person_id;
		ch->provider_id = provider_id;
		providers__copy(ch->provider_name, sizeof ch->provider_name, p.name);
		providers__copy(ch->chosen_by_role, sizeof ch->chosen_by_role, r->who.roles_text);
		struct audit_entry e;
		req_audit_who(r, &e);
		rc = providers_choose(r->db, r->who.tenant_id, ch, &e);
		if (rc)
			rc = REQ_FAIL(r, rc);
		else
			r->audit_writes++;
	}
	free(d);
	return rc;
}

static const struct jfield choice_fields[] = {{"provider_id", JF_INT, true, 0, NULL, 0}};

int
providers_api_choose(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, choice_fields, 1, &obj);
	if (rc)
		return rc;
	int64_t provider_id = json_get_int(obj, "provider_id", 0);
	json_decref(obj);
	struct choice ch;
	rc = providers__choose_or_fail(r, r->params[0], provider_id, &ch);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_addf(&sb, "{\"id\":%lld,\"decision_id\":%lld,\"provider_id\":%lld,\"provider_name\":",
	        (long long)ch.id, (long long)ch.decision_id, (long long)ch.provider_id);
	json_str(&sb, ch.provider_name);
	sb_adds(&sb, ",\"chosen_by_role\":");
	json_str(&sb, ch.chosen_by_role);
	sb_addc(&sb, '}');
	req_json(r, 201, &sb);
	return 0;
}

/* ---- the event feed ------------------------------------------------------------------ */

struct feed {
	struct strbuf *sb;
	int64_t persons[500];
	int n;
};

static void
feed_one(const struct order_event *ev, void *arg)
{
	struct feed *f = arg;
	providers__comma(f->sb);
	providers_event_json(f->sb, ev);
	bool seen = false;
	for (int i = 0; i < f->n; i++)
		if (f->persons[i] == ev->person_id)
			seen = true;
	if (!seen && f->n < (int)(sizeof f->persons / sizeof f->persons[0]))
		f->persons[f->n++] = ev->person_id;
}

int
providers_api_events(struct req *r)
{
	if (r->who.provider_id != r->params[0])
		return REQ_FAIL(r, HERR_NOT_FOUND);
	int64_t limit, after = 0;
	int rc = req_query_int(r, "limit", 100, 500, &limit);
	if (rc)
		return rc;
	const char *a = req_query(r, "after");
	if (a && *a) {
		char *end;
		long long v = strtoll(a, &end, 10);
		if (*end || v < 0) {
			field_error_add(&r->fe, "after", "ska vara ett händelse-id (heltal)");
			return REQ_FAIL(r, HERR_INVALID);
		}
		after = v;
	}
	struct feed *f = xcalloc(1, sizeof *f);
	struct strbuf sb;
	sb_init(&sb, 0);
	f->sb = &sb;
	sb_adds(&sb, "{\"items\":[");
	struct db_conn *c = db_reader(r->db);
	rc = providers_events(c, r->who.tenant_id, r->params[0], after, (int)limit, feed_one, f);
	db_reader_done(r->db, c);
	sb_adds(&sb, "]}");
	if (rc == 0)
		rc = sb.err;
	if (rc == 0)
		rc = providers__audit_read(r, "order_events", r->params[0], f->persons, f->n);
	else
		rc = REQ_FAIL(r, rc);
	free(f);
	if (rc) {
		sb_release(&sb);
		return rc;
	}
	req_json(r, 200, &sb);
	return 0;
}

/* ---- API tokens ---------------------------------------------------------------------- */

static const struct jfield token_fields[] = {{"name", JF_STRING, true, 60, NULL, 0}};

int
providers_api_token(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, token_fields, 1, &obj);
	if (rc)
		return rc;
	char name[61];
	providers__copy(name, sizeof name, json_get_str(obj, "name"));
	json_decref(obj);
	struct provider p;
	rc = providers__own_or_fail(r, r->params[0], &p);
	if (rc)
		return rc;
	char token[AUTH_API_TOKEN_LEN + 1];
	int64_t id;
	rc = auth_api_token_create(r->db, r->who.tenant_id, p.id, name, r->who.user_id, token, &id);
	if (rc)
		return REQ_FAIL(r, rc);
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_addf(&sb, "{\"id\":%lld,\"provider_id\":%lld,\"name\":", (long long)id, (long long)p.id);
	json_str(&sb, name);
	sb_adds(&sb, ",\"token\":");
	json_str(&sb, token);
	sb_addc(&sb, '}');
	req_json(r, 201, &sb);
	return 0;
}

static void
token_json(const struct api_token_info *t, void *arg)
{
	struct strbuf *sb = arg;
	providers__comma(sb);
	sb_addf(sb, "{\"id\":%lld,\"name\":", (long long)t->id);
	json_str(sb, t->name);
	sb_adds(sb, ",\"created_at\":\"");
	time_rfc3339(sb, t->created_at);
	sb_adds(sb, "\",\"revoked_at\":");
	if (t->revoked_at) {
		sb_addc(sb, '"');
		time_rfc3339(sb, t->revoked_at);
		sb_addc(sb, '"');
	} else {
		sb_adds(sb, "null");
	}
	sb_addc(sb, '}');
}

int
providers_api_tokens(struct req *r)
{
	struct provider p;
	int rc = providers__own_or_fail(r, r->params[0], &p);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "{\"items\":[");
	rc = auth_api_tokens(r->db, r->who.tenant_id, p.id, token_json, &sb);
	sb_adds(&sb, "],\"next_cursor\":null}");
	if (rc == 0)
		rc = sb.err;
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	req_json(r, 200, &sb);
	return 0;
}

int
providers_api_token_revoke(struct req *r)
{
	int64_t provider_id = 0;
	int rc = auth_api_token_provider(r->db, r->who.tenant_id, r->params[0], &provider_id);
	if (rc)
		return REQ_FAIL(r, rc);
	struct provider p;
	rc = providers__own_or_fail(r, provider_id, &p);
	if (rc)
		return rc;
	rc = auth_api_token_revoke(r->db, r->who.tenant_id, p.id, r->params[0]);
	if (rc)
		return REQ_FAIL(r, rc);
	req_no_content(r);
	return 0;
}
