/*
 * Pages of personal assistance (assistance.h): the assistant's day with the form for a shift
 * (made for a phone: one column, large targets), the month sheet with the sign button for the
 * assisted person, a representative and each assistant, the citizen's list on Mina sidor, and
 * the employer's month with working-time warnings, approval and lock. Every page that shows a
 * person's data writes its read records before answering.
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
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cases/cases.h"
#include "db/db.h"
#include "http/http.h"
#include "people/people.h"
#include "providers/providers.h"
#include "web/html.h"

/* ---- the assistant's day ---------------------------------------------------------------- */

struct customers {
	int64_t ids[64];
	char names[64][203];
	int n;
};

static void
customer_one(const struct order_ref *o, void *arg)
{
	struct customers *cu = arg;
	if (cu->n >= 64 || strcmp(o->service_code, "personlig_assistans") != 0)
		return;
	for (int i = 0; i < cu->n; i++)
		if (cu->ids[i] == o->person_id)
			return;
	cu->ids[cu->n++] = o->person_id;
}

struct day_rows {
	struct pa_hour v[32];
	int n;
};

static void
day_row(const struct pa_hour *h, void *arg)
{
	struct day_rows *d = arg;
	if (d->n < 32)
		d->v[d->n++] = *h;
}

/* Reads the records of the persons shown, before the answer. */
static int
audit_persons(struct req *r, const char *entity, const int64_t *ids, int n)
{
	int64_t none = 0;
	if (n == 0) {
		ids = &none;
		n = 1;
	}
	int rc = req_audit_reads(r, "read", entity, 0, ids, n);
	return rc ? REQ_FAIL(r, rc) : 0;
}

static void
month_link(struct strbuf *sb, int64_t person, int month, const char *label)
{
	char m[8];
	visits_month_format(month, m);
	HTML_RAW(sb, "<a href=\"/assistans/tidsredovisning/");
	html_int(sb, person);
	HTML_RAW(sb, "?month=");
	html_attr(sb, m);
	HTML_RAW(sb, "\">");
	html_text(sb, label);
	HTML_RAW(sb, " ");
	html_text(sb, m);
	HTML_RAW(sb, "</a>");
}

/* The day page; values hold the posted form when re-shown with errors (NULL: defaults). */
static int
today_page(struct req *r, int status, const char *const *values)
{
	char today[11];
	time_today(today);
	const char *date = req_query(r, "date");
	int32_t dd;
	if (!date || cal_parse(date, &dd) != 0)
		date = today;
	else
		date = req_query(r, "date");
	struct customers *cu = xcalloc(1, sizeof *cu);
	struct day_rows *rows = xcalloc(1, sizeof *rows);
	struct pa_assistant me;
	bool is_assistant = false;
	struct db_conn *c = db_reader(r->db);
	int rc = providers_orders_active(c, r->who.tenant_id, r->who.provider_id, today,
	                                 customer_one, cu);
	for (int i = 0; rc == 0 && i < cu->n; i++) {
		struct person p;
		rc = people_get(c, r->who.tenant_id, cu->ids[i], &p);
		if (rc == 0)
			snprintf(cu->names[i], sizeof cu->names[i], "%s %s", p.given_name,
			         p.family_name);
	}
	if (rc == 0) {
		rc = visits__pa_assistant_by_user(c, r->who.tenant_id, r->who.provider_id,
		                                  r->who.user_id, &me);
		is_assistant = rc == 0;
		if (rc == HERR_NOT_FOUND)
			rc = 0;
	}
	int32_t day;
	if (rc == 0 && is_assistant && cal_parse(date, &day) == 0)
		rc = visits__pa_hours_assistant(c, r->who.tenant_id, me.id, visits_day_start(day),
		                                visits_day_start(day + 1), day_row, rows);
	db_reader_done(r->db, c);
	if (rc == 0)
		rc = audit_persons(r, "pa_day", cu->ids, cu->n);
	else
		rc = REQ_FAIL(r, rc);
	if (rc) {
		free(cu);
		free(rows);
		return rc;
	}

	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Personlig assistans", "/assistans");
	HTML_RAW(&sb, "<h1>Personlig assistans</h1>\n");
	if (r->fe.n) {
		HTML_RAW(&sb, "<div class=\"error-summary\" role=\"alert\"><h2>Passet sparades inte"
		              "</h2><ul>");
		for (int i = 0; i < r->fe.n; i++) {
			HTML_RAW(&sb, "<li>");
			html_text(&sb, r->fe.items[i].message);
			HTML_RAW(&sb, "</li>");
		}
		HTML_RAW(&sb, "</ul></div>\n");
	}
	if (cu->n == 0) {
		HTML_RAW(&sb, "<p>Det finns inga pågående uppdrag om personlig assistans.</p>\n");
	} else {
		HTML_RAW(
		    &sb,
		    "<h2>Rapportera ett pass</h2>\n<form method=\"post\" action=\"/assistans\" "
		    "class=\"form pa-form\">\n");
		form_csrf(&sb, r);
		HTML_RAW(&sb, "<p><label for=\"f-person\">Assistansberättigad</label>"
		              "<select id=\"f-person\" name=\"person_id\" required>");
		for (int i = 0; i < cu->n; i++) {
			HTML_RAW(&sb, "<option value=\"");
			html_int(&sb, cu->ids[i]);
			HTML_RAW(&sb, "\"");
			if (values && values[0] && strtoll(values[0], NULL, 10) == cu->ids[i])
				HTML_RAW(&sb, " selected");
			HTML_RAW(&sb, ">");
			html_text(&sb, cu->names[i]);
			HTML_RAW(&sb, "</option>");
		}
		HTML_RAW(&sb, "</select></p>\n<p><label for=\"f-date\">Datum</label>"
		              "<input type=\"date\" id=\"f-date\" name=\"date\" required value=\"");
		html_attr(&sb, values && values[1] ? values[1] : date);
		HTML_RAW(&sb,
		         "\"></p>\n<p><label for=\"f-start\">Start</label>"
		         "<input type=\"time\" id=\"f-start\" name=\"start\" required value=\"");
		html_attr(&sb, values && values[2] ? values[2] : "");
		HTML_RAW(&sb, "\"></p>\n<p><label for=\"f-end\">Slut</label>"
		              "<input type=\"time\" id=\"f-end\" name=\"end\" required "
		              "aria-describedby=\"f-end-hint\" value=\"");
		html_attr(&sb, values && values[3] ? values[3] : "");
		HTML_RAW(&sb,
		         "\"><span class=\"hint\" id=\"f-end-hint\">En sluttid före starttiden "
		         "betyder nästa dag.</span></p>\n"
		         "<fieldset><legend>Slag</legend>"
		         "<p><input type=\"radio\" id=\"f-kind-active\" name=\"kind\" "
		         "value=\"active\"");
		bool oncall = values && values[4] && strcmp(values[4], "oncall") == 0;
		if (!oncall)
			HTML_RAW(&sb, " checked");
		HTML_RAW(&sb, "> <label for=\"f-kind-active\">Aktiv assistans</label></p>"
		              "<p><input type=\"radio\" id=\"f-kind-oncall\" name=\"kind\" "
		              "value=\"oncall\"");
		if (oncall)
			HTML_RAW(&sb, " checked");
		HTML_RAW(&sb, "> <label for=\"f-kind-oncall\">Beredskap</label></p></fieldset>\n"
		              "<p><label for=\"f-reason\">Skäl (krävs för en signerad eller låst "
		              "månad)</label><input type=\"text\" id=\"f-reason\" name=\"reason\" "
		              "maxlength=\"500\" value=\"");
		html_attr(&sb, values && values[5] ? values[5] : "");
		HTML_RAW(&sb, "\"></p>\n<p><button type=\"submit\">Spara passet</button></p>\n"
		              "</form>\n");
	}
	HTML_RAW(&sb, "<h2>Mina pass ");
	html_text(&sb, date);
	HTML_RAW(&sb, "</h2>\n");
	if (!is_assistant) {
		HTML_RAW(&sb, "<p>Du är inte registrerad som assistent.</p>\n");
	} else if (rows->n == 0) {
		HTML_RAW(&sb, "<p>Inga pass.</p>\n");
	} else {
		HTML_RAW(&sb,
		         "<table class=\"table\"><caption>Pass</caption><thead><tr>"
		         "<th scope=\"col\">Start</th><th scope=\"col\">Slut</th>"
		         "<th scope=\"col\">Slag</th><th scope=\"col\">Minuter</th></tr></thead>"
		         "<tbody>\n");
		for (int i = 0; i < rows->n; i++) {
			char d1[11], c1[6], d2[11], c2[6];
			pa_local(rows->v[i].start_at, d1, c1);
			pa_local(rows->v[i].end_at, d2, c2);
			HTML_RAW(&sb, "<tr><td>");
			html_text(&sb, c1);
			HTML_RAW(&sb, "</td><td>");
			html_text(&sb, c2);
			if (strcmp(d1, d2) != 0) {
				HTML_RAW(&sb, " (");
				html_text(&sb, d2);
				HTML_RAW(&sb, ")");
			}
			HTML_RAW(&sb, "</td><td>");
			html_text(&sb, pa_kind_label(rows->v[i].kind));
			HTML_RAW(&sb, "</td><td>");
			html_int(&sb, pa_hour_minutes(&rows->v[i]));
			HTML_RAW(&sb, "</td></tr>\n");
		}
		HTML_RAW(&sb, "</tbody></table>\n");
	}
	if (cu->n) {
		int m = visits_month_of_day(visits_local_day(time_now()));
		HTML_RAW(&sb, "<h2>Tidsredovisningar</h2>\n<ul>\n");
		for (int i = 0; i < cu->n; i++) {
			HTML_RAW(&sb, "<li>");
			html_text(&sb, cu->names[i]);
			HTML_RAW(&sb, ": ");
			month_link(&sb, cu->ids[i], m - 1, "förra månaden");
			HTML_RAW(&sb, ", ");
			month_link(&sb, cu->ids[i], m, "denna månad");
			HTML_RAW(&sb, "</li>\n");
		}
		HTML_RAW(&sb, "</ul>\n");
	}
	free(cu);
	free(rows);
	return web_respond(r, status, &sb);
}

int
visits_pa_page_today(struct req *r)
{
	if (!r->who.provider_id)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	return today_page(r, 200, NULL);
}

int
visits_pa_page_today_post(struct req *r)
{
	if (!r->who.provider_id)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	const char *v[6] = {req_form(r, "person_id"), req_form(r, "date"), req_form(r, "start"),
	                    req_form(r, "end"),       req_form(r, "kind"), req_form(r, "reason")};
	struct pa_entry in = {
	    .person_id = v[0] ? strtoll(v[0], NULL, 10) : 0,
	    .date = v[1],
	    .start = v[2],
	    .end = v[3],
	    .kind = v[4],
	    .reason = v[5],
	    .source = "phone",
	};
	struct pa_hour h;
	int rc = pa_hours_or_fail(r, &in, &h);
	if (rc == HERR_INVALID || rc == HERR_RULE)
		return today_page(r, herr_status(rc), v);
	if (rc)
		return rc;
	struct strbuf loc;
	sb_init(&loc, 0);
	sb_adds(&loc, "/assistans?date=");
	sb_adds(&loc, h.day);
	req_redirect(r, loc.buf);
	sb_release(&loc);
	return 0;
}

/* ---- the month sheet --------------------------------------------------------------------- */

static void
minutes_html(struct strbuf *sb, int64_t minutes)
{
	char t[32];
	snprintf(t, sizeof t, "%lld:%02lld", (long long)(minutes / 60),
	         (long long)((minutes < 0 ? -minutes : minutes) % 60));
	html_text(sb, t);
}

/* Whether the logged-in user may still sign d, and in which role (label). */
static bool
can_sign(const struct req *r, const struct pa_doc *d, struct db_conn *c)
{
	if (!d->month_over || (d->nrows == 0 && d->nadj == 0))
		return false;
	for (int i = 0; i < d->nsigs; i++)
		if (d->sigs[i].user_id == r->who.user_id)
			return false;
	if (r->who.roles & (ROLE_CITIZEN | ROLE_REPRESENTATIVE))
		return true;
	if (!(r->who.roles & ROLE_PROVIDER_STAFF))
		return false;
	struct pa_assistant a;
	if (visits__pa_assistant_by_user(c, r->who.tenant_id, d->provider_id, r->who.user_id, &a))
		return false;
	for (int i = 0; i < d->nrows; i++)
		if (d->rows[i].assistant_id == a.id)
			return true;
	return false;
}

static const char *
assistant_name(const struct pa_doc *d, int64_t id)
{
	for (int i = 0; i < d->nasst; i++)
		if (d->asst[i].id == id)
			return d->asst[i].name;
	return "";
}

static void
shift_cells(struct strbuf *sb, const struct pa_doc *d, const struct pa_hour *h)
{
	char d1[11], c1[6], d2[11], c2[6];
	pa_local(h->start_at, d1, c1);
	pa_local(h->end_at, d2, c2);
	HTML_RAW(sb, "<td>");
	html_text(sb, d1);
	HTML_RAW(sb, "</td><td>");
	html_text(sb, assistant_name(d, h->assistant_id));
	HTML_RAW(sb, "</td><td>");
	html_text(sb, c1);
	HTML_RAW(sb, "</td><td>");
	html_text(sb, c2);
	if (strcmp(d1, d2) != 0) {
		HTML_RAW(sb, " (");
		html_text(sb, d2);
		HTML_RAW(sb, ")");
	}
	HTML_RAW(sb, "</td><td>");
	html_text(sb, pa_kind_label(h->kind));
	HTML_RAW(sb, "</td><td>");
	minutes_html(sb, pa_hour_minutes(h));
	HTML_RAW(sb, "</td>");
}

static void
total_row(struct strbuf *sb, const char *label, int64_t minutes)
{
	HTML_RAW(sb, "<tr><th scope=\"row\">");
	html_text(sb, label);
	HTML_RAW(sb, "</th><td>");
	minutes_html(sb, minutes);
	HTML_RAW(sb, "</td></tr>\n");
}

static int
sheet_page(struct req *r, int status, int month)
{
	int64_t person = r->params[0], provider = 0;
	struct pa_doc d;
	memset(&d, 0, sizeof d);
	struct db_conn *c = db_reader(r->db);
	int rc = auth_person_access(c, &r->who, person);
	if (rc == 0)
		rc = pa_sheet_provider(c, r, person, month, 0, &provider);
	if (rc == 0)
		rc = pa_doc_load(c, r->who.tenant_id, provider, person, month, &d);
	bool sign = rc == 0 && can_sign(r, &d, c);
	db_reader_done(r->db, c);
	if (rc == 0)
		rc = pa_audit_read(r, "pa_sheet", d.order_id, person);
	else
		rc = REQ_FAIL(r, rc);
	if (rc) {
		pa_doc_release(&d);
		return rc;
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Tidsredovisning", NULL);
	HTML_RAW(&sb, "<h1>Tidsredovisning ");
	html_text(&sb, d.month_text);
	HTML_RAW(&sb, "</h1>\n<dl class=\"facts\"><dt>Assistansberättigad</dt><dd>");
	html_text(&sb, d.person_name);
	HTML_RAW(&sb, "</dd><dt>Anordnare</dt><dd>");
	html_text(&sb, d.provider_name);
	HTML_RAW(&sb, "</dd><dt>Status</dt><dd>");
	html_text(&sb, d.locked ? "Godkänd och låst"
	               : strcmp(d.frozen.id ? d.frozen.state : "open", "signed") == 0
	                   ? "Signerad av alla"
	               : d.frozen.id ? "Signeras"
	                             : "Öppen");
	HTML_RAW(&sb, "</dd><dt>Kontrollsumma (SHA-256)</dt><dd><code>");
	html_text(&sb, d.sha);
	HTML_RAW(&sb, "</code></dd></dl>\n<p>");
	month_link(&sb, person, month - 1, "Föregående:");
	HTML_RAW(&sb, " · ");
	month_link(&sb, person, month + 1, "Nästa:");
	HTML_RAW(&sb, " · <a href=\"/api/v1/assistance/persons/");
	html_int(&sb, person);
	HTML_RAW(&sb, "/sheet.pdf?month=");
	html_attr(&sb, d.month_text);
	HTML_RAW(&sb, "\">Ladda ner som PDF</a> · <a href=\"/api/v1/assistance/persons/");
	html_int(&sb, person);
	HTML_RAW(&sb, "/sheet.csv?month=");
	html_attr(&sb, d.month_text);
	HTML_RAW(&sb, "\">Ladda ner som CSV (Excel)</a></p>\n");
	if (r->fe.n) {
		HTML_RAW(&sb,
		         "<div class=\"error-summary\" role=\"alert\"><h2>Signeringen gick inte"
		         "</h2><ul>");
		for (int i = 0; i < r->fe.n; i++) {
			HTML_RAW(&sb, "<li>");
			html_text(&sb, r->fe.items[i].message);
			HTML_RAW(&sb, "</li>");
		}
		HTML_RAW(&sb, "</ul></div>\n");
	}
	HTML_RAW(&sb, "<h2>Pass</h2>\n");
	if (d.nrows == 0) {
		HTML_RAW(&sb, "<p>Inga pass under månaden.</p>\n");
	} else {
		HTML_RAW(&sb, "<table class=\"table\"><caption>Arbetade pass</caption><thead><tr>"
		              "<th scope=\"col\">Datum</th><th scope=\"col\">Assistent</th>"
		              "<th scope=\"col\">Start</th><th scope=\"col\">Slut</th>"
		              "<th scope=\"col\">Slag</th><th scope=\"col\">Tid</th></tr></thead>"
		              "<tbody>\n");
		for (int i = 0; i < d.nrows; i++) {
			HTML_RAW(&sb, "<tr>");
			shift_cells(&sb, &d, &d.rows[i]);
			HTML_RAW(&sb, "</tr>\n");
		}
		HTML_RAW(&sb, "</tbody></table>\n");
	}
	if (d.nadj) {
		HTML_RAW(&sb, "<h2>Rättelser av tidigare månader</h2>\n<table class=\"table\">"
		              "<caption>Justeringar bokförda denna månad</caption><thead><tr>"
		              "<th scope=\"col\">Datum</th><th scope=\"col\">Assistent</th>"
		              "<th scope=\"col\">Start</th><th scope=\"col\">Slut</th>"
		              "<th scope=\"col\">Slag</th><th scope=\"col\">Tid</th>"
		              "<th scope=\"col\">Skäl</th></tr></thead><tbody>\n");
		for (int i = 0; i < d.nadj; i++) {
			HTML_RAW(&sb, "<tr>");
			shift_cells(&sb, &d, &d.adj[i]);
			HTML_RAW(&sb, "<td>");
			html_text(&sb, d.adj[i].reason);
			HTML_RAW(&sb, "</td></tr>\n");
		}
		HTML_RAW(&sb, "</tbody></table>\n");
	}
	HTML_RAW(&sb, "<h2>Summering</h2>\n<table class=\"table\"><caption>Timmar (tt:mm)"
	              "</caption><tbody>\n");
	total_row(&sb, "Aktiv assistans", d.sheet.active);
	total_row(&sb, "Beredskap", d.sheet.oncall);
	total_row(&sb, "Dubbel assistans", d.sheet.dbl);
	total_row(&sb, "Ej ersättningsbar tid", d.sheet.unpaid);
	total_row(&sb, "Ersättningsbar tid", d.sheet.payable);
	total_row(&sb, "Beviljad tid", d.granted_minutes);
	total_row(&sb, "Justeringar (aktiv)", d.adj_active);
	HTML_RAW(&sb, "</tbody></table>\n<h2>Signaturer</h2>\n");
	if (d.nsigs == 0) {
		HTML_RAW(&sb, "<p>Ingen har signerat ännu.</p>\n");
	} else {
		HTML_RAW(&sb, "<ul>\n");
		for (int i = 0; i < d.nsigs; i++) {
			HTML_RAW(&sb, "<li>");
			html_text(&sb, d.sigs[i].signer_name);
			HTML_RAW(&sb, " (");
			html_text(&sb, pa_role_label(d.sigs[i].role));
			HTML_RAW(&sb, ")</li>\n");
		}
		HTML_RAW(&sb, "</ul>\n");
	}
	if (sign) {
		HTML_RAW(&sb, "<form method=\"post\" action=\"/assistans/tidsredovisning/");
		html_int(&sb, person);
		HTML_RAW(&sb, "/signera\" class=\"form\">\n");
		form_csrf(&sb, r);
		HTML_RAW(&sb, "<input type=\"hidden\" name=\"month\" value=\"");
		html_attr(&sb, d.month_text);
		HTML_RAW(&sb, "\"><input type=\"hidden\" name=\"content_sha256\" value=\"");
		html_attr(&sb, d.sha);
		HTML_RAW(&sb, "\"><p>Jag intygar på heder och samvete att uppgifterna i "
		              "tidsredovisningen är riktiga.</p>\n<p><button type=\"submit\">"
		              "Signera tidsredovisningen</button></p>\n</form>\n");
	} else if (!d.month_over) {
		HTML_RAW(&sb, "<p>Tidsredovisningen kan signeras när månaden är slut.</p>\n");
	}
	pa_doc_release(&d);
	return web_respond(r, status, &sb);
}

int
visits_pa_page_sheet(struct req *r)
{
	int month;
	int rc = pa_month_arg_or_fail(r, req_query(r, "month"), &month);
	return rc ? rc : sheet_page(r, 200, month);
}

int
visits_pa_page_sign(struct req *r)
{
	int month;
	int rc = pa_month_arg_or_fail(r, req_form(r, "month"), &month);
	if (rc)
		return rc;
	int64_t person = r->params[0], provider = 0;
	struct db_conn *c = db_reader(r->db);
	rc = auth_person_access(c, &r->who, person);
	if (rc == 0)
		rc = pa_sheet_provider(c, r, person, month, 0, &provider);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	struct pa_signature s;
	rc = pa_sign_or_fail(r, provider, person, month, req_form(r, "content_sha256"), &s);
	if (rc == HERR_RULE || rc == HERR_CONFLICT)
		return sheet_page(r, herr_status(rc), month);
	if (rc)
		return rc;
	struct strbuf loc;
	sb_init(&loc, 0);
	sb_addf(&loc, "/assistans/tidsredovisning/%lld?month=", (long long)person);
	char m[8];
	visits_month_format(month, m);
	sb_adds(&loc, m);
	req_redirect(r, loc.buf);
	sb_release(&loc);
	return 0;
}

/* ---- the employer's month ------------------------------------------------------------------ */

static const char *
state_label(const char *state)
{
	if (strcmp(state, "signed") == 0)
		return "Signerad av alla";
	if (strcmp(state, "signing") == 0)
		return "Signeras";
	return "Ej signerad";
}

static int
month_page(struct req *r, int status, int month)
{
	if (!(r->who.roles & ROLE_PROVIDER_ADMIN) || !r->who.provider_id)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	struct pa_month *m = xcalloc(1, sizeof *m);
	struct db_conn *c = db_reader(r->db);
	int rc = pa_month_load(c, r->who.tenant_id, r->who.provider_id, month, m);
	db_reader_done(r->db, c);
	int64_t ids[PA_MAX_PERSONS];
	for (int i = 0; i < m->nsheets; i++)
		ids[i] = m->sheets[i].person_id;
	if (rc == 0)
		rc = audit_persons(r, "pa_month", ids, m->nsheets);
	else
		rc = REQ_FAIL(r, rc);
	if (rc) {
		free(m);
		return rc;
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Assistansmånad", "/assistans/manad");
	HTML_RAW(&sb, "<h1>Assistansmånad ");
	html_text(&sb, m->month_text);
	HTML_RAW(&sb, "</h1>\n<form method=\"get\" action=\"/assistans/manad\" class=\"form\">"
	              "<p><label for=\"f-month\">Månad (ÅÅÅÅ-MM)</label><input type=\"text\" "
	              "id=\"f-month\" name=\"month\" value=\"");
	html_attr(&sb, m->month_text);
	HTML_RAW(&sb, "\"> <button type=\"submit\">Visa</button></p></form>\n");
	if (r->fe.n) {
		HTML_RAW(&sb, "<div class=\"error-summary\" role=\"alert\"><h2>Månaden godkändes "
		              "inte</h2><ul>");
		for (int i = 0; i < r->fe.n; i++) {
			HTML_RAW(&sb, "<li>");
			html_text(&sb, r->fe.items[i].message);
			HTML_RAW(&sb, "</li>");
		}
		HTML_RAW(&sb, "</ul></div>\n");
	}
	HTML_RAW(&sb, "<h2>Tidsredovisningar</h2>\n");
	if (m->nsheets == 0) {
		HTML_RAW(&sb, "<p>Inga pass under månaden.</p>\n");
	} else {
		HTML_RAW(&sb,
		         "<table class=\"table\"><caption>Per assistansberättigad</caption><thead>"
		         "<tr><th scope=\"col\">Namn</th><th scope=\"col\">Status</th>"
		         "<th scope=\"col\">Signaturer</th><th scope=\"col\">Ersättningsbar tid"
		         "</th></tr></thead><tbody>\n");
		for (int i = 0; i < m->nsheets; i++) {
			HTML_RAW(&sb, "<tr><td>");
			month_link(&sb, m->sheets[i].person_id, month, m->sheets[i].person_name);
			HTML_RAW(&sb, "</td><td>");
			html_text(&sb, state_label(m->sheets[i].state));
			HTML_RAW(&sb, "</td><td>");
			html_int(&sb, m->sheets[i].nsigs);
			HTML_RAW(&sb, "</td><td>");
			minutes_html(&sb, m->sheets[i].payable_minutes);
			HTML_RAW(&sb, "</td></tr>\n");
		}
		HTML_RAW(&sb, "</tbody></table>\n");
	}
	HTML_RAW(&sb, "<h2>Varningar enligt arbetstidslagen</h2>\n");
	if (m->nwarnings == 0) {
		HTML_RAW(&sb, "<p>Inga varningar.</p>\n");
	} else {
		HTML_RAW(&sb, "<ul class=\"warnings\">\n");
		for (int i = 0; i < m->nwarnings; i++) {
			char day[11];
			cal_format(m->warnings[i].item.day, day);
			HTML_RAW(&sb, "<li>");
			html_text(&sb, m->warnings[i].assistant_name);
			HTML_RAW(&sb, ", från ");
			html_text(&sb, day);
			HTML_RAW(&sb, ": ");
			html_text(&sb, visits_atl_message(m->warnings[i].item.code));
			HTML_RAW(&sb, "</li>\n");
		}
		HTML_RAW(&sb, "</ul>\n");
	}
	if (m->locked) {
		HTML_RAW(&sb,
		         "<p>Månaden är godkänd och låst. Ändringar görs som rättelser med skäl "
		         "och bokförs nästa öppna månad.</p>\n");
	} else {
		HTML_RAW(&sb,
		         "<form method=\"post\" action=\"/assistans/manad\" class=\"form\">\n");
		form_csrf(&sb, r);
		HTML_RAW(&sb, "<input type=\"hidden\" name=\"month\" value=\"");
		html_attr(&sb, m->month_text);
		HTML_RAW(&sb, "\"><p><button type=\"submit\">Godkänn och lås månaden</button></p>\n"
		              "</form>\n");
	}
	free(m);
	return web_respond(r, status, &sb);
}

int
visits_pa_page_month(struct req *r)
{
	int month;
	int rc = pa_month_arg_or_fail(r, req_query(r, "month"), &month);
	return rc ? rc : month_page(r, 200, month);
}

int
visits_pa_page_approve(struct req *r)
{
	int month;
	int rc = pa_month_arg_or_fail(r, req_form(r, "month"), &month);
	if (rc)
		return rc;
	rc = pa_approve_or_fail(r, month);
	if (rc == HERR_RULE || rc == HERR_CONFLICT)
		return month_page(r, herr_status(rc), month);
	if (rc)
		return rc;
	struct strbuf loc;
	sb_init(&loc, 0);
	char mt[8];
	visits_month_format(month, mt);
	sb_adds(&loc, "/assistans/manad?month=");
	sb_adds(&loc, mt);
	req_redirect(r, loc.buf);
	sb_release(&loc);
	return 0;
}

/* ---- Mina sidor ---------------------------------------------------------------------------- */

static void
principal_one(int64_t person, void *arg)
{
	struct customers *cu = arg;
	if (cu->n < 64)
		cu->ids[cu->n++] = person;
}

int
visits_pa_page_mine(struct req *r)
{
	struct customers *cu = xcalloc(1, sizeof *cu);
	struct db_conn *c = db_reader(r->db);
	int rc = 0;
	if ((r->who.roles & ROLE_CITIZEN) && r->who.person_id)
		principal_one(r->who.person_id, cu);
	if ((r->who.roles & ROLE_REPRESENTATIVE) && r->who.person_id)
		rc = cases_principals(c, r->who.tenant_id, r->who.person_id, 64, principal_one, cu);
	int month = visits_month_of_day(visits_local_day(time_now()));
	int kept = 0;
	for (int i = 0; rc == 0 && i < cu->n; i++) {
		int64_t provider;
		struct person p;
		if (auth_person_access(c, &r->who, cu->ids[i]) != 0 ||
		    (pa_sheet_provider(c, r, cu->ids[i], month - 1, 0, &provider) != 0 &&
		     pa_sheet_provider(c, r, cu->ids[i], month, 0, &provider) != 0))
			continue;
		rc = people_get(c, r->who.tenant_id, cu->ids[i], &p);
		if (rc == 0) {
			cu->ids[kept] = cu->ids[i];
			snprintf(cu->names[kept], sizeof cu->names[0], "%s %s", p.given_name,
			         p.family_name);
			kept++;
		}
	}
	db_reader_done(r->db, c);
	cu->n = kept;
	if (rc == 0)
		rc = audit_persons(r, "pa_sheet_list", cu->ids, cu->n);
	else
		rc = REQ_FAIL(r, rc);
	if (rc) {
		free(cu);
		return rc;
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Tidsredovisning för personlig assistans",
	                 "/mina-sidor/assistans");
	HTML_RAW(&sb, "<h1>Tidsredovisning för personlig assistans</h1>\n");
	if (cu->n == 0) {
		HTML_RAW(&sb, "<p>Det finns ingen personlig assistans att redovisa.</p>\n");
	} else {
		HTML_RAW(&sb, "<p>Granska och signera månadens tidsredovisning när månaden är slut."
		              "</p>\n<ul>\n");
		for (int i = 0; i < cu->n; i++) {
			HTML_RAW(&sb, "<li>");
			html_text(&sb, cu->names[i]);
			HTML_RAW(&sb, ": ");
			month_link(&sb, cu->ids[i], month - 1, "förra månaden");
			HTML_RAW(&sb, ", ");
			month_link(&sb, cu->ids[i], month, "denna månad");
			HTML_RAW(&sb, "</li>\n");
		}
		HTML_RAW(&sb, "</ul>\n");
	}
	free(cu);
	return web_respond(r, 200, &sb);
}
