/*
 * The municipality's compensation rule for bomtid (glossary.md): whether time lost at the door
 * is paid to the provider and at most how many minutes a visit. The administrator reads and
 * changes it through GET and PUT /api/v1/settings/visits and on the page /admin/installningar;
 * it is stored as settings (src/settings) and read by the write jobs that count minutes
 * (store.c, count_visit), so a change applies to reports from then on and never to stored ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/err.h"
#include "base/json.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "http/http.h"
#include "visits.h"
#include "visits_api.h"
#include "visits_pages.h"
#include "visits_private.h"
#include "web/html.h"

#define MAX_MESSAGE "ange ett heltal 0-240 minuter"

static int
policy_load(struct req *r, struct visits_policy *p)
{
	struct db_conn *c = db_reader(r->db);
	int rc = visits__policy_read(c, r->who.tenant_id, p);
	db_reader_done(r->db, c);
	return rc ? REQ_FAIL(r, rc) : 0;
}

static int
policy_save(struct req *r, const struct visits_policy *p)
{
	struct audit_entry who;
	req_audit_who(r, &who);
	int rc = visits_policy_store(r->db, r->who.tenant_id, p, &who, time_now());
	return rc ? REQ_FAIL(r, rc) : 0;
}

static void
policy_json(struct strbuf *sb, const struct visits_policy *p)
{
	sb_addf(sb, "{\"bomtid_paid\":%s,\"bomtid_max_minutes\":%d}",
	        p->pay_wasted ? "true" : "false", p->wasted_max_minutes);
}

static int
answer(struct req *r, const struct visits_policy *p)
{
	struct strbuf sb;
	sb_init(&sb, 128);
	policy_json(&sb, p);
	req_json(r, 200, &sb);
	return 0;
}

int
visits_api_settings_get(struct req *r)
{
	struct visits_policy p;
	int rc = policy_load(r, &p);
	return rc ? rc : answer(r, &p);
}

static const struct jfield settings_fields[] = {
    {"bomtid_paid", JF_BOOL, true, 0, NULL, 0},
    {"bomtid_max_minutes", JF_INT, true, 0, NULL, 0},
};

int
visits_api_settings_put(struct req *r)
{
	json_t *o;
	int rc = req_decode_json(r, settings_fields,
	                         sizeof settings_fields / sizeof settings_fields[0], &o);
	if (rc)
		return rc;
	long long max = json_get_int(o, "bomtid_max_minutes", -1);
	struct visits_policy p = {.pay_wasted = json_get_bool(o, "bomtid_paid", true),
	                          .wasted_max_minutes = (int)max};
	json_decref(o);
	if (max < 0 || max > VISITS_WASTED_MAX_MINUTES) {
		field_error_add(&r->fe, "bomtid_max_minutes", MAX_MESSAGE);
		return REQ_FAIL(r, HERR_INVALID);
	}
	rc = policy_save(r, &p);
	return rc ? rc : answer(r, &p);
}

/* ---- the page --------------------------------------------------------------------------- */

static const struct form_field page_fields[] = {
    {"bomtid_paid", "Utföraren får ersättning för bomtid", FORM_CHECKBOX, false, 1, NULL,
     "Bomtid är tid då personalen kom till ett planerat besök men kunden avböjde vid dörren "
     "eller avbokade för sent. Kunden debiteras aldrig för den."},
    {"bomtid_max_minutes", "Högsta ersättning per besök (minuter)", FORM_NUMERIC, true, 3, NULL,
     "Ett heltal 0-240. Gäller när utföraren får ersättning för bomtid."},
};
#define NFIELDS (sizeof page_fields / sizeof page_fields[0])

static int
settings_page(struct req *r, int status, const char *const *values)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Inställningar", "/admin/installningar");
	HTML_RAW(&sb, "<h1>Inställningar</h1>\n");
	form_error_summary(&sb, r, page_fields, NFIELDS);
	if (status == 200 && req_query(r, "sparat"))
		HTML_RAW(&sb, "<p role=\"status\" class=\"notice\">Inställningarna är sparade. De "
		              "gäller rapporter från och med nu; redan rapporterade besök räknas "
		              "inte om.</p>\n");
	HTML_RAW(&sb, "<h2 id=\"bomtid\">Ersättning för bomtid</h2>\n"
	              "<form method=\"post\" action=\"/admin/installningar\" "
	              "aria-labelledby=\"bomtid\">\n");
	form_csrf(&sb, r);
	form_fields_html(&sb, r, page_fields, NFIELDS, values);
	HTML_RAW(&sb, "<button type=\"submit\">Spara</button>\n</form>\n");
	return web_respond(r, status, &sb);
}

int
visits_page_settings(struct req *r)
{
	struct visits_policy p;
	int rc = policy_load(r, &p);
	if (rc)
		return rc;
	char max[16];
	snprintf(max, sizeof max, "%d", p.wasted_max_minutes);
	const char *values[NFIELDS] = {p.pay_wasted ? "1" : "", max};
	return settings_page(r, 200, values);
}

int
visits_page_settings_post(struct req *r)
{
	const char *values[NFIELDS];
	int rc = form_read(r, page_fields, NFIELDS, values);
	struct visits_policy p = {.pay_wasted = strcmp(values[0], "1") == 0};
	if (rc == 0 && visits_policy_set(&p, "bomtid_max_minutes", values[1]) != 0) {
		field_error_add(&r->fe, "bomtid_max_minutes", MAX_MESSAGE);
		rc = HERR_INVALID;
	}
	if (rc == HERR_INVALID)
		return settings_page(r, 400, values);
	if (rc == 0)
		rc = policy_save(r, &p);
	if (rc)
		return rc;
	req_redirect(r, "/admin/installningar?sparat=1");
	return 0;
}
