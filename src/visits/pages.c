/*
 * Pages of time reporting (issue 5): the phone page "Dagens besök" for care staff (the one page
 * that needs JavaScript: src/web/static/visits*.js queue the reports offline), and the
 * follow-up of granted versus performed time per month with the provider admin's approval
 * (period lock). Swedish text, the layout of src/web.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
#include "visits.h"
#include "visits_pages.h"
#include "visits_private.h"
#include "web/html.h"

/* ---- the phone page ------------------------------------------------------------------------ */

struct day_ctx {
	struct db_conn *c;
	struct strbuf *sb;
	struct persons *persons;
	int64_t tenant;
	int n;
};

static void
deviation_select(struct strbuf *sb)
{
	HTML_RAW(sb, "<label>Avvikelse <select name=\"deviation\">"
	             "<option value=\"\">Ingen</option>");
	for (int d = 1; d < VISITS_DEV_COUNT; d++) {
		HTML_RAW(sb, "<option value=\"");
		html_attr(sb, visits_deviation_code(d));
		HTML_RAW(sb, "\">");
		html_text(sb, visits_deviation_label(d));
		HTML_RAW(sb, "</option>");
	}
	HTML_RAW(sb, "</select></label>\n");
}

static void
day_customer(const struct order_ref *o, void *arg)
{
	struct day_ctx *x = arg;
	if (strcmp(o->service_code, "personlig_assistans") == 0 || x->persons->n >= VISITS_LIST_MAX)
		return;
	struct person p;
	struct service s;
	if (people_get(x->c, x->tenant, o->person_id, &p) != 0 ||
	    cases_service_get(x->c, x->tenant, o->service_code, &s) != 0)
		return;
	char name[160];
	visits__short_name(&p, name, sizeof name);
	struct strbuf *sb = x->sb;
	HTML_RAW(sb, "<li data-person=\"");
	html_int(sb, o->person_id);
	HTML_RAW(sb, "\" data-service=\"");
	html_attr(sb, o->service_code);
	HTML_RAW(sb, "\">\n<h2>");
	html_text(sb, name);
	HTML_RAW(sb, " <span>");
	html_text(sb, s.name);
	HTML_RAW(sb,
	         "</span></h2>\n<p class=\"visit-state\" aria-live=\"polite\"></p>\n"
	         "<button type=\"button\" data-action=\"check-in\">Checka in</button>\n"
	         "<button type=\"button\" data-action=\"check-out\" hidden>Checka ut</button>\n");
	deviation_select(sb);
	HTML_RAW(sb, "<button type=\"button\" data-action=\"deviation\">Rapportera avvikelse"
	             "</button>\n</li>\n");
	visits__persons_add(x->persons, o->person_id);
	x->n++;
}

int
visits_page_day(struct req *r)
{
	if (r->who.provider_id <= 0)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	char today[11];
	time_today(today);
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Dagens besök", "/besok");
	HTML_RAW(&sb, "<h1>Dagens besök</h1>\n"
	              "<p id=\"visits-status\" role=\"status\" aria-live=\"polite\"></p>\n"
	              "<div id=\"visits-failed\" role=\"alert\"></div>\n"
	              "<noscript><p>Sidan behöver JavaScript för att spara rapporter utan "
	              "nätverk.</p></noscript>\n<ul class=\"visits\" data-visits data-csrf=\"");
	html_attr(&sb, r->who.csrf);
	HTML_RAW(&sb, "\">\n");
	struct persons *ps = xcalloc(1, sizeof *ps);
	struct db_conn *c = db_reader(r->db);
	struct day_ctx x = {c, &sb, ps, r->who.tenant_id, 0};
	int rc = providers_orders_active(c, r->who.tenant_id, r->who.provider_id, today,
	                                 day_customer, &x);
	db_reader_done(r->db, c);
	HTML_RAW(&sb, "</ul>\n");
	if (x.n == 0)
		HTML_RAW(&sb, "<p>Inga kunder med aktiva uppdrag i dag.</p>\n");
	HTML_RAW(&sb, "<script src=\"/static/visits-queue.js\" defer></script>\n"
	              "<script src=\"/static/visits.js\" defer></script>\n");
	if (rc == 0)
		rc = visits__audit_reads(r, "visit_customers", ps->ids, ps->n);
	else
		rc = REQ_FAIL(r, rc);
	free(ps);
	if (rc) {
		sb_release(&sb);
		return rc;
	}
	return web_respond(r, 200, &sb);
}

/* ---- granted versus performed, and the approval of a month ------------------------------------
 */

/* Minutes as "12:05" (hours and minutes), with a sign when negative. */
static void
hours(struct strbuf *sb, int64_t minutes)
{
	if (minutes < 0) {
		HTML_RAW(sb, "−");
		minutes = -minutes;
	}
	sb_addf(sb, "%lld:%02lld", (long long)(minutes / 60), (long long)(minutes % 60));
}

static void
lock_item(const char *month, int64_t at, const char *by, void *arg)
{
	struct strbuf *sb = arg;
	(void)at;
	HTML_RAW(sb, "<li>");
	html_text(sb, month);
	HTML_RAW(sb, ", godkänd av ");
	html_text(sb, by);
	HTML_RAW(sb, "</li>\n");
}

/* The columns of gap_table besides the figures. */
enum gap_cols {
	GT_CUSTOMER = 1 << 0, /* the customer's short name */
	GT_PROVIDER = 1 << 1, /* the provider's name */
};

/* A table of granted versus performed rows under caption, in hours and minutes: the
 * difference, the part each deviation explains, the unexplained rest and the adjustments. */
static void
gap_table(struct strbuf *sb, struct db_conn *c, int64_t tenant, const struct visits_row_gap *rows,
          int n, unsigned cols, const char *caption)
{
	HTML_RAW(sb, "<table>\n<caption>");
	html_text(sb, caption);
	HTML_RAW(sb, "</caption>\n<thead><tr>");
	if (cols & GT_CUSTOMER)
		HTML_RAW(sb, "<th scope=\"col\">Kund</th>");
	if (cols & GT_PROVIDER)
		HTML_RAW(sb, "<th scope=\"col\">Utförare</th>");
	HTML_RAW(sb, "<th scope=\"col\">Insats</th><th scope=\"col\">Beviljat</th>"
	             "<th scope=\"col\">Utfört</th><th scope=\"col\">Skillnad</th>"
	             "<th scope=\"col\">Förklarat av avvikelser</th>"
	             "<th scope=\"col\">Oförklarat</th><th scope=\"col\">Justeringar från "
	             "låsta månader</th></tr></thead>\n<tbody>\n");
	for (int i = 0; i < n; i++) {
		const struct visits_row_gap *g = &rows[i];
		HTML_RAW(sb, "<tr>");
		if (cols & GT_CUSTOMER) {
			struct person p;
			char name[160] = "";
			if (people_get(c, tenant, g->person_id, &p) == 0)
				visits__short_name(&p, name, sizeof name);
			HTML_RAW(sb, "<td>");
			html_text(sb, name);
			HTML_RAW(sb, "</td>");
		}
		if (cols & GT_PROVIDER) {
			HTML_RAW(sb, "<td>");
			html_text(sb, g->provider_name);
			HTML_RAW(sb, "</td>");
		}
		HTML_RAW(sb, "<td>");
		html_text(sb, g->service_name[0] ? g->service_name : g->service);
		HTML_RAW(sb, "</td><td>");
		hours(sb, g->gap.granted);
		HTML_RAW(sb, "</td><td>");
		hours(sb, g->gap.performed);
		HTML_RAW(sb, "</td><td>");
		hours(sb, g->gap.difference);
		HTML_RAW(sb, "</td><td>");
		int k = 0;
		for (int d = 1; d < VISITS_DEV_COUNT; d++) {
			if (!g->gap.by_reason[d])
				continue;
			if (k++)
				HTML_RAW(sb, ", ");
			html_text(sb, visits_deviation_label(d));
			HTML_RAW(sb, " ");
			hours(sb, g->gap.by_reason[d]);
		}
		if (!k)
			HTML_RAW(sb, "–");
		HTML_RAW(sb, "</td><td>");
		hours(sb, g->gap.unexplained);
		HTML_RAW(sb, "</td><td>");
		hours(sb, g->adjustment_minutes);
		HTML_RAW(sb, "</td></tr>\n");
	}
	HTML_RAW(sb, "</tbody>\n</table>\n");
}

/* The follow-up page of month for provider and/or person, with status (200, or 4xx with the
 * field errors shown). */
static int
followup_page(struct req *r, const char *month, int status)
{
	bool provider_user = (r->who.roles & (ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF)) != 0;
	int64_t provider = provider_user ? r->who.provider_id : 0, person = 0;
	const char *pq = req_query(r, "person_id");
	if (pq && *pq) {
		char *end;
		long long v = strtoll(pq, &end, 10);
		person = *end || v <= 0 ? -1 : v;
	}
	if (provider_user && provider <= 0)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	struct visits_row_gap *rows = NULL;
	int n = 0, rc = 0;
	if (!provider_user && person > 0) {
		struct db_conn *c = db_reader(r->db);
		rc = auth_person_access(c, &r->who, person);
		db_reader_done(r->db, c);
		if (rc)
			return REQ_FAIL(r, rc);
	}
	bool show = person >= 0 && (provider_user || person > 0);
	if (show) {
		int64_t next;
		rc = visits__summary(r, month, provider, person, 0, 0, &rows, &n, &next);
		if (rc) {
			free(rows);
			return rc;
		}
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Beviljad och utförd tid", "/besok/uppfoljning");
	HTML_RAW(&sb, "<h1>Beviljad och utförd tid</h1>\n");
	for (int i = 0; i < r->fe.n; i++) {
		HTML_RAW(&sb, "<p class=\"error\" role=\"alert\">");
		html_text(&sb, r->fe.items[i].message);
		HTML_RAW(&sb, "</p>\n");
	}
	HTML_RAW(&sb, "<form method=\"get\" action=\"/besok/uppfoljning\">\n"
	              "<label for=\"f-month\">Månad (ÅÅÅÅ-MM)</label>\n"
	              "<input id=\"f-month\" name=\"month\" type=\"text\" value=\"");
	html_attr(&sb, month);
	HTML_RAW(&sb, "\">\n");
	if (!provider_user) {
		HTML_RAW(&sb, "<label for=\"f-person\">Person (id)</label>\n"
		              "<input id=\"f-person\" name=\"person_id\" type=\"text\" value=\"");
		if (person > 0)
			html_int(&sb, person);
		HTML_RAW(&sb, "\">\n");
	}
	HTML_RAW(&sb, "<button type=\"submit\">Visa</button>\n</form>\n");
	if (show && n == 0)
		HTML_RAW(&sb, "<p>Inga uppdrag under månaden.</p>\n");
	if (n > 0) {
		struct db_conn *c = db_reader(r->db);
		gap_table(&sb, c, r->who.tenant_id, rows, n, GT_CUSTOMER,
		          "Timmar och minuter per kund och insats");
		db_reader_done(r->db, c);
	}
	free(rows);
	if (provider_user) {
		HTML_RAW(&sb, "<h2>Godkända månader</h2>\n<ul>\n");
		struct db_conn *c = db_reader(r->db);
		rc = visits__locks(c, r->who.tenant_id, provider, lock_item, &sb);
		db_reader_done(r->db, c);
		HTML_RAW(&sb, "</ul>\n");
		if (rc) {
			sb_release(&sb);
			return REQ_FAIL(r, rc);
		}
	}
	if (r->who.roles & ROLE_PROVIDER_ADMIN) {
		HTML_RAW(&sb, "<p><a href=\"/besok/registrera\">Registrera besök i efterhand eller "
		              "rätta ett besök</a></p>\n");
		HTML_RAW(&sb, "<form method=\"post\" action=\"/besok/perioder\">\n");
		form_csrf(&sb, r);
		HTML_RAW(&sb, "<input type=\"hidden\" name=\"month\" value=\"");
		html_attr(&sb, month);
		HTML_RAW(&sb, "\">\n<p>När månaden är godkänd kan besöken bara ändras med en "
		              "rättelse, som räknas i nästa öppna månad.</p>\n"
		              "<button type=\"submit\">Godkänn och lås ");
		html_text(&sb, month);
		HTML_RAW(&sb, "</button>\n</form>\n");
	}
	if (!show) {
		/* Nothing was read: a record still says the page was seen. */
		rc = visits__audit_reads(r, "visit_summary", NULL, 0);
		if (rc) {
			sb_release(&sb);
			return rc;
		}
	}
	return web_respond(r, status, &sb);
}

/* The month of ?month= or a form, or this month. */
static bool
month_of(const char *text, char out[8])
{
	int m;
	if (text && *text) {
		if (visits_month_parse(text, &m) != 0)
			return false;
	} else {
		char today[11];
		int32_t d;
		time_today(today);
		cal_parse(today, &d);
		m = visits_month_of_day(d);
	}
	visits_month_format(m, out);
	return true;
}

int
visits_page_followup(struct req *r)
{
	char month[8];
	if (!month_of(req_query(r, "month"), month)) {
		field_error_add(&r->fe, "month", "månaden ska skrivas ÅÅÅÅ-MM");
		month_of(NULL, month);
		return followup_page(r, month, 400);
	}
	return followup_page(r, month, 200);
}

int
visits_page_lock(struct req *r)
{
	char month[8];
	const char *m = req_form(r, "month");
	if (!month_of(m, month) || !m || !*m) {
		field_error_add(&r->fe, "month", "månaden ska skrivas ÅÅÅÅ-MM");
		month_of(NULL, month);
		return followup_page(r, month, 400);
	}
	int rc = visits__lock_or_fail(r, month);
	if (rc == HERR_RULE || rc == HERR_CONFLICT)
		return followup_page(r, month, herr_status(rc));
	if (rc)
		return rc;
	r->audit_writes++;
	struct strbuf loc;
	sb_init(&loc, 256);
	sb_addf(&loc, "/besok/uppfoljning?month=%s", month);
	req_redirect(r, loc.buf);
	sb_release(&loc);
	return 0;
}

/* ---- the caseworker's follow-up on the case view ---------------------------------------- */

int
visits_case_section_html(struct req *r, struct strbuf *sb, int64_t person)
{
	if (!auth_permits(&r->who, PERM_VISIT_READ) ||
	    (r->who.roles & (ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF)))
		return 0;
	char today[11], month[8];
	int32_t d;
	time_today(today);
	cal_parse(today, &d);
	int m = visits_month_of_day(d);
	HTML_RAW(sb, "<section class=\"case-part\" id=\"utford-tid\" "
	             "aria-labelledby=\"utford-tid-rubrik\">\n"
	             "<h2 id=\"utford-tid-rubrik\">Utförd tid</h2>\n"
	             "<p>Beviljad och utförd tid per utförare och insats, i timmar och minuter, "
	             "med avvikelserna som förklarar skillnaden.</p>\n");
	int rc = 0, shown = 0;
	for (int k = 0; rc == 0 && k < 2; k++) {
		visits_month_format(m - k, month);
		struct visits_row_gap *rows = NULL;
		int n = 0;
		int64_t next;
		rc = visits__summary_rows(r, month, 0, person, 0, 0, &rows, &n, &next);
		if (rc == 0) {
			shown += n;
			HTML_RAW(sb, "<h3>");
			html_text(sb, month);
			HTML_RAW(sb, "</h3>\n");
			if (n == 0) {
				HTML_RAW(sb, "<p>Inga uppdrag med besök under månaden.</p>\n");
			} else {
				struct strbuf cap;
				sb_init(&cap, 128);
				sb_addf(&cap, "Utförd tid %s per utförare och insats", month);
				struct db_conn *c = db_reader(r->db);
				gap_table(sb, c, r->who.tenant_id, rows, n, GT_PROVIDER, cap.buf);
				db_reader_done(r->db, c);
				sb_release(&cap);
			}
			HTML_RAW(sb, "<p><a href=\"/besok/uppfoljning?month=");
			html_attr(sb, month);
			HTML_RAW(sb, "&amp;person_id=");
			html_int(sb, person);
			HTML_RAW(sb, "\">Uppföljningen för ");
			html_text(sb, month);
			HTML_RAW(sb, "</a></p>\n");
		}
		free(rows);
	}
	/* The person's orders and visits were read: one record, besides the case's own. With no
	 * order in the two months nothing beyond the case was shown, and the case's record says
	 * the person was read. */
	if (rc == 0 && shown > 0)
		rc = visits__audit_reads(r, "visit_summary", &person, 1);
	HTML_RAW(sb, "</section>\n");
	return rc;
}

/* ---- finance: every provider's orders of a month, for the billing ------------------------ */

int
visits_page_billing(struct req *r)
{
	char month[8];
	int status = 200;
	if (!month_of(req_query(r, "month"), month)) {
		field_error_add(&r->fe, "month", "månaden ska skrivas ÅÅÅÅ-MM");
		month_of(NULL, month);
		status = 400;
	}
	int64_t after = 0;
	const char *cq = req_query(r, "cursor");
	if (cq && *cq) {
		char *end;
		long long v = strtoll(cq, &end, 10);
		after = *end || v < 0 ? 0 : v;
	}
	struct visits_row_gap *rows = NULL;
	int n = 0;
	int64_t next = 0;
	int rc = visits__summary(r, month, 0, 0, after, 0, &rows, &n, &next);
	if (rc) {
		free(rows);
		return rc;
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Utförd tid för fakturering", "/ekonomi/utford-tid");
	HTML_RAW(&sb, "<h1>Utförd tid för fakturering</h1>\n");
	for (int i = 0; i < r->fe.n; i++) {
		HTML_RAW(&sb, "<p class=\"error\" role=\"alert\">");
		html_text(&sb, r->fe.items[i].message);
		HTML_RAW(&sb, "</p>\n");
	}
	HTML_RAW(&sb, "<form method=\"get\" action=\"/ekonomi/utford-tid\">\n"
	              "<label for=\"f-month\">Månad (ÅÅÅÅ-MM)</label>\n"
	              "<input id=\"f-month\" name=\"month\" type=\"month\" value=\"");
	html_attr(&sb, month);
	HTML_RAW(&sb, "\">\n<button type=\"submit\">Visa</button>\n</form>\n"
	              "<p><a href=\"/api/v1/visits/summary.csv?month=");
	html_attr(&sb, month);
	HTML_RAW(&sb, "\">Hämta ");
	html_text(&sb, month);
	HTML_RAW(&sb, " som CSV-fil (alla utförare)</a></p>\n");
	if (n == 0) {
		HTML_RAW(&sb, "<p>Inga uppdrag under månaden.</p>\n");
	} else {
		struct db_conn *c = db_reader(r->db);
		gap_table(&sb, c, r->who.tenant_id, rows, n, GT_CUSTOMER | GT_PROVIDER,
		          "Timmar och minuter per kund, utförare och insats");
		db_reader_done(r->db, c);
	}
	free(rows);
	if (next) {
		HTML_RAW(&sb, "<p><a href=\"/ekonomi/utford-tid?month=");
		html_attr(&sb, month);
		HTML_RAW(&sb, "&amp;cursor=");
		html_int(&sb, next);
		HTML_RAW(&sb, "\">Nästa sida</a></p>\n");
	}
	return web_respond(r, status, &sb);
}
