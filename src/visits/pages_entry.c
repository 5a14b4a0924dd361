/*
 * The provider admin's page for home-care visits entered afterwards and corrected
 * (/besok/registrera, reached from /besok/uppfoljning): the visits of a day with a "Rätta"
 * link each, a form to enter a visit with the reason it comes afterwards, and the same form
 * filled in with a visit's values to correct it with a reason. The writes go through
 * visits__enter_or_fail, the code of POST /api/v1/visits and POST /api/v1/visits/{id}/corrections.
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
#include "assistance.h"
#include "visits.h"
#include "visits_pages.h"
#include "visits_private.h"
#include "web/html.h"

/* The posted (or loaded) values of the form. */
enum { F_DATE, F_CUSTOMER, F_STAFF, F_START, F_END, F_DEVIATION, F_NOTE, F_REASON, F_N };
static const char *const field_names[F_N] = {"date", "customer",  "staff", "start",
                                             "end",  "deviation", "note",  "reason"};

struct entry_ctx {
	struct req *r;
	struct db_conn *c;
	struct strbuf *sb;
	struct persons *persons;
	const char *selected; /* "person:service" */
	struct visit *visits; /* the day's visits */
	int nvisits;
	const char *day;
};

static void
customer_option(const struct order_ref *o, void *arg)
{
	struct entry_ctx *x = arg;
	if (strcmp(o->service_code, "personlig_assistans") == 0 || x->persons->n >= VISITS_LIST_MAX)
		return;
	struct person p;
	struct service s;
	if (people_get(x->c, x->r->who.tenant_id, o->person_id, &p) != 0 ||
	    cases_service_get(x->c, x->r->who.tenant_id, o->service_code, &s) != 0)
		return;
	visits__persons_add(x->persons, o->person_id);
	char name[160], value[64];
	visits__short_name(&p, name, sizeof name);
	snprintf(value, sizeof value, "%lld:%s", (long long)o->person_id, o->service_code);
	HTML_RAW(x->sb, "<option value=\"");
	html_attr(x->sb, value);
	HTML_RAW(x->sb, "\"");
	if (x->selected && strcmp(x->selected, value) == 0)
		HTML_RAW(x->sb, " selected");
	HTML_RAW(x->sb, ">");
	html_text(x->sb, name);
	HTML_RAW(x->sb, ", ");
	html_text(x->sb, s.name);
	HTML_RAW(x->sb, "</option>");
}

static void
day_visit(const struct visit *v, void *arg)
{
	struct entry_ctx *x = arg;
	if (strcmp(v->day, x->day) != 0 || x->nvisits >= VISITS_LIST_MAX)
		return;
	x->visits[x->nvisits++] = *v;
}

/* "HH:MM" Stockholm time of an instant. */
static void
clock_of(int64_t t, char out[6])
{
	char date[11];
	pa_local(t, date, out);
}

static void
text_input(struct strbuf *sb, const char *id, const char *name, const char *label, const char *type,
           const char *value, bool required)
{
	HTML_RAW(sb, "<p><label for=\"");
	html_attr(sb, id);
	HTML_RAW(sb, "\">");
	html_text(sb, label);
	HTML_RAW(sb, "</label> <input type=\"");
	html_attr(sb, type);
	HTML_RAW(sb, "\" id=\"");
	html_attr(sb, id);
	HTML_RAW(sb, "\" name=\"");
	html_attr(sb, name);
	HTML_RAW(sb, "\" value=\"");
	html_attr(sb, value ? value : "");
	if (required)
		HTML_RAW(sb, "\" required></p>\n");
	else
		HTML_RAW(sb, "\"></p>\n");
}

static void
visits_table(struct strbuf *sb, struct entry_ctx *x)
{
	if (x->nvisits == 0) {
		HTML_RAW(sb, "<p>Inga besök registrerade den dagen.</p>\n");
		return;
	}
	HTML_RAW(sb, "<table>\n<caption>Besök ");
	html_text(sb, x->day);
	HTML_RAW(sb, "</caption>\n<thead><tr><th scope=\"col\">Kund</th><th scope=\"col\">Insats"
	             "</th><th scope=\"col\">Personal</th><th scope=\"col\">Tid</th>"
	             "<th scope=\"col\">Avvikelse</th><th scope=\"col\">Status</th>"
	             "<th scope=\"col\">Åtgärd</th></tr></thead>\n<tbody>\n");
	for (int i = 0; i < x->nvisits; i++) {
		const struct visit *v = &x->visits[i];
		struct person p;
		char name[160] = "", a[6] = "", b[6] = "";
		if (people_get(x->c, x->r->who.tenant_id, v->person_id, &p) == 0)
			visits__short_name(&p, name, sizeof name);
		visits__persons_add(x->persons, v->person_id);
		clock_of(v->start_at, a);
		if (v->end_at >= 0)
			clock_of(v->end_at, b);
		HTML_RAW(sb, "<tr><td>");
		html_text(sb, name);
		HTML_RAW(sb, "</td><td>");
		html_text(sb, v->service);
		HTML_RAW(sb, "</td><td>");
		html_text(sb, v->staff_ref);
		HTML_RAW(sb, "</td><td>");
		html_text(sb, a);
		if (b[0]) {
			HTML_RAW(sb, "–");
			html_text(sb, b);
		}
		HTML_RAW(sb, "</td><td>");
		html_text(sb, v->deviation ? visits_deviation_label(v->deviation) : "–");
		HTML_RAW(sb, "</td><td>");
		html_text(sb, strcmp(v->state, "superseded") == 0 ? "Ersatt av rättelse"
		              : strcmp(v->state, "open") == 0     ? "Pågår"
		              : v->corrects_id                    ? "Rättelse"
		                                                  : "Utfört");
		HTML_RAW(sb, "</td><td>");
		if (strcmp(v->state, "done") == 0) {
			HTML_RAW(sb, "<a href=\"/besok/registrera?visit_id=");
			html_int(sb, v->id);
			HTML_RAW(sb, "\">Rätta<span class=\"visually-hidden\"> besöket hos ");
			html_text(sb, name);
			HTML_RAW(sb, " ");
			html_text(sb, a);
			HTML_RAW(sb, "</span></a>");
		}
		HTML_RAW(sb, "</td></tr>\n");
	}
	HTML_RAW(sb, "</tbody>\n</table>\n");
}

/*
 * The page for day (or for visit fix when fix->id > 0), with status and the values to show
 * (NULL: the defaults, or fix's values).
 */
static int
entry_page(struct req *r, const char *day, const struct visit *fix, int status,
           const char *const *values, int64_t saved)
{
	char start[6] = "", end[6] = "", dev[32] = "";
	const char *v[F_N] = {0};
	if (values)
		memcpy(v, values, sizeof v);
	if (!values && fix) {
		clock_of(fix->start_at, start);
		if (fix->end_at >= 0)
			clock_of(fix->end_at, end);
		snprintf(dev, sizeof dev, "%s",
		         fix->deviation ? visits_deviation_code(fix->deviation) : "");
		v[F_STAFF] = fix->staff_ref;
		v[F_START] = start;
		v[F_END] = end;
		v[F_DEVIATION] = dev;
		v[F_NOTE] = fix->note;
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	const char *title = fix ? "Rätta ett besök" : "Registrera besök i efterhand";
	web_layout_begin(&sb, r, title, "/besok/uppfoljning");
	HTML_RAW(&sb, "<h1>");
	html_text(&sb, title);
	HTML_RAW(&sb, "</h1>\n<p><a href=\"/besok/uppfoljning\">Tillbaka till beviljad och utförd "
	              "tid</a></p>\n");
	if (saved > 0)
		HTML_RAW(&sb, "<p class=\"notice\" role=\"status\">Besöket är sparat.</p>\n");
	if (r->fe.n) {
		HTML_RAW(&sb,
		         "<div class=\"error-summary\" role=\"alert\"><h2>Besöket sparades inte"
		         "</h2><ul>");
		for (int i = 0; i < r->fe.n; i++) {
			HTML_RAW(&sb, "<li>");
			html_text(&sb, r->fe.items[i].message);
			HTML_RAW(&sb, "</li>");
		}
		HTML_RAW(&sb, "</ul></div>\n");
	}
	struct persons *ps = xcalloc(1, sizeof *ps);
	struct entry_ctx x = {
	    .r = r, .sb = &sb, .persons = ps, .selected = v[F_CUSTOMER], .day = day};
	x.c = db_reader(r->db);
	int rc = 0;
	if (!fix) {
		HTML_RAW(&sb, "<form method=\"get\" action=\"/besok/registrera\">\n");
		text_input(&sb, "f-day", "date", "Dag", "date", day, true);
		HTML_RAW(&sb, "<button type=\"submit\">Visa dagen</button>\n</form>\n");
		x.visits = xcalloc(VISITS_LIST_MAX, sizeof *x.visits);
		char month[8];
		int32_t d;
		cal_parse(day, &d);
		visits_month_format(visits_month_of_day(d), month);
		rc = visits__list(x.c, r->who.tenant_id, r->who.provider_id, 0, month, false, 0,
		                  VISITS_LIST_MAX, day_visit, &x);
		if (rc == 0) {
			HTML_RAW(&sb, "<h2>Besök ");
			html_text(&sb, day);
			HTML_RAW(&sb, "</h2>\n");
			visits_table(&sb, &x);
		}
	}
	if (rc == 0) {
		if (fix)
			HTML_RAW(&sb, "<h2>Nya uppgifter</h2>\n");
		else
			HTML_RAW(&sb, "<h2>Nytt besök</h2>\n");
		HTML_RAW(&sb,
		         "<form method=\"post\" action=\"/besok/registrera\" class=\"form\">\n");
		form_csrf(&sb, r);
		HTML_RAW(&sb, "<input type=\"hidden\" name=\"date\" value=\"");
		html_attr(&sb, day);
		HTML_RAW(&sb, "\">\n");
		if (fix) {
			struct person p;
			char name[160] = "";
			if (people_get(x.c, r->who.tenant_id, fix->person_id, &p) == 0)
				visits__short_name(&p, name, sizeof name);
			visits__persons_add(ps, fix->person_id);
			HTML_RAW(&sb, "<input type=\"hidden\" name=\"visit_id\" value=\"");
			html_int(&sb, fix->id);
			HTML_RAW(&sb, "\">\n<p>Besöket hos ");
			html_text(&sb, name);
			HTML_RAW(&sb, " (");
			html_text(&sb, fix->service);
			HTML_RAW(&sb, ") ");
			html_text(&sb, day);
			HTML_RAW(
			    &sb,
			    ". Det ursprungliga besöket sparas och ersätts av rättelsen.</p>\n");
		} else {
			HTML_RAW(&sb, "<p><label for=\"f-customer\">Kund och insats</label> "
			              "<select id=\"f-customer\" name=\"customer\" required>"
			              "<option value=\"\">Välj kund</option>");
			rc = providers_orders_active(x.c, r->who.tenant_id, r->who.provider_id, day,
			                             customer_option, &x);
			HTML_RAW(&sb, "</select></p>\n");
		}
		text_input(&sb, "f-staff", "staff", "Personal", "text", v[F_STAFF], true);
		text_input(&sb, "f-start", "start", "Start (TT:MM)", "time", v[F_START], true);
		text_input(&sb, "f-end", "end", "Slut (TT:MM)", "time", v[F_END], false);
		HTML_RAW(&sb,
		         "<p><label for=\"f-deviation\">Avvikelse</label> <select "
		         "id=\"f-deviation\" name=\"deviation\"><option value=\"\">Ingen</option>");
		for (int d = 1; d < VISITS_DEV_COUNT; d++) {
			HTML_RAW(&sb, "<option value=\"");
			html_attr(&sb, visits_deviation_code(d));
			HTML_RAW(&sb, "\"");
			if (v[F_DEVIATION] && strcmp(v[F_DEVIATION], visits_deviation_code(d)) == 0)
				HTML_RAW(&sb, " selected");
			HTML_RAW(&sb, ">");
			html_text(&sb, visits_deviation_label(d));
			HTML_RAW(&sb, "</option>");
		}
		HTML_RAW(&sb, "</select></p>\n");
		text_input(&sb, "f-note", "note", "Anteckning", "text", v[F_NOTE], false);
		text_input(&sb, "f-reason", "reason",
		           fix ? "Skäl till rättelsen"
		               : "Skäl till att besöket registreras i efterhand",
		           "text", v[F_REASON], true);
		if (fix)
			HTML_RAW(&sb,
			         "<button type=\"submit\">Spara rättelsen</button>\n</form>\n");
		else
			HTML_RAW(&sb, "<button type=\"submit\">Spara besöket</button>\n</form>\n");
	}
	db_reader_done(r->db, x.c);
	free(x.visits);
	if (rc == 0)
		rc = visits__audit_reads(r, "visit", ps->ids, ps->n);
	else
		rc = REQ_FAIL(r, rc);
	free(ps);
	if (rc) {
		sb_release(&sb);
		return rc;
	}
	return web_respond(r, status, &sb);
}

/* The day of ?date= or a form value, or today; false for a malformed one. */
static bool
day_of(const char *text, char out[11])
{
	int32_t d;
	if (text && *text) {
		if (cal_parse(text, &d) != 0)
			return false;
		cal_format(d, out);
		return true;
	}
	time_today(out);
	return true;
}

int
visits_page_entry(struct req *r)
{
	if (r->who.provider_id <= 0)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	const char *vid = req_query(r, "visit_id");
	if (vid && *vid) {
		int64_t id = 0;
		if (req_query_int(r, "visit_id", 0, INT64_MAX, &id) != 0 || id <= 0)
			return REQ_FAIL(r, HERR_INVALID);
		struct visit v;
		int rc = visits__load_or_fail(r, id, &v);
		if (rc)
			return rc;
		if (strcmp(v.state, "done") != 0)
			return REQ_FAIL(r, HERR_CONFLICT);
		return entry_page(r, v.day, &v, 200, NULL, 0);
	}
	char day[11];
	if (!day_of(req_query(r, "date"), day)) {
		field_error_add(&r->fe, "date", "dagen ska skrivas ÅÅÅÅ-MM-DD");
		time_today(day);
		return entry_page(r, day, NULL, 400, NULL, 0);
	}
	int64_t saved = 0;
	if (req_query(r, "saved") && req_query_int(r, "saved", 0, INT64_MAX, &saved) != 0)
		saved = 0;
	return entry_page(r, day, NULL, 200, NULL, saved);
}

/* "YYYY-MM-DD HH:MM" of day and a clock time into o under key, when the time is given. */
static void
set_time(json_t *o, const char *key, const char *day, const char *clock)
{
	if (!clock || !*clock)
		return;
	char t[40];
	snprintf(t, sizeof t, "%s %.5s", day, clock);
	json_object_set_new(o, key, json_string(t));
}

static void
set_text(json_t *o, const char *key, const char *text)
{
	json_t *s = text && *text ? json_string(text) : NULL;
	if (s)
		json_object_set_new(o, key, s);
}

int
visits_page_entry_post(struct req *r)
{
	if (r->who.provider_id <= 0)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	const char *v[F_N];
	for (int i = 0; i < F_N; i++)
		v[i] = req_form(r, field_names[i]);
	int64_t fix_id = 0;
	const char *vid = req_form(r, "visit_id");
	if (vid && *vid) {
		char *e;
		long long n = strtoll(vid, &e, 10);
		if (*e || n <= 0)
			return REQ_FAIL(r, HERR_INVALID);
		fix_id = n;
	}
	struct visit fix;
	memset(&fix, 0, sizeof fix);
	char day[11];
	if (fix_id) {
		int rc = visits__load_or_fail(r, fix_id, &fix);
		if (rc)
			return rc;
		snprintf(day, sizeof day, "%s", fix.day);
	} else if (!day_of(v[F_DATE], day) || !v[F_DATE] || !*v[F_DATE]) {
		field_error_add(&r->fe, "date", "dagen ska skrivas ÅÅÅÅ-MM-DD");
		time_today(day);
		return entry_page(r, day, NULL, 400, v, 0);
	}
	json_t *o = json_object();
	if (!fix_id) {
		const char *cu = v[F_CUSTOMER] ? v[F_CUSTOMER] : "";
		const char *colon = strchr(cu, ':');
		long long pid = colon ? strtoll(cu, NULL, 10) : 0;
		if (pid <= 0) {
			field_error_add(&r->fe, "customer", "välj kund och insats");
			json_decref(o);
			return entry_page(r, day, NULL, 400, v, 0);
		}
		json_object_set_new(o, "person_id", json_integer(pid));
		set_text(o, "service", colon + 1);
	}
	set_time(o, "start", day, v[F_START]);
	/* An end before the start is an error of the form, not the next day: home care ends on
	 * the day it starts (rules.c). */
	set_time(o, "end", day, v[F_END]);
	set_text(o, "staff", v[F_STAFF]);
	set_text(o, "deviation", v[F_DEVIATION]);
	set_text(o, "note", v[F_NOTE]);
	set_text(o, "reason", v[F_REASON]);
	struct visit out;
	int rc = visits__enter_or_fail(r, fix_id, o, &out);
	json_decref(o);
	if (rc == HERR_INVALID || rc == HERR_RULE || rc == HERR_CONFLICT)
		return entry_page(r, day, fix_id ? &fix : NULL, herr_status(rc), v, 0);
	if (rc)
		return rc;
	struct strbuf loc;
	sb_init(&loc, 0);
	sb_addf(&loc, "/besok/registrera?date=%s&saved=%lld", out.day, (long long)out.id);
	req_redirect(r, loc.buf);
	sb_release(&loc);
	return 0;
}
