/*
 * The pages of customer choice and providers (Swedish): the provider's inbox (/utforare), the
 * order view with accept and decline and the implementation plan editor, vacancy marking, the
 * caseworker's choice-of-provider step from a decision, and the citizen's choice page. Each
 * POST runs the same checks as its JSON route (api_private.h) and answers with a redirect, or
 * with the page again and its errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cases/api_private.h"
#include "cases/cases.h"
#include "db/db.h"
#include "http/http.h"
#include "people/people.h"
#include "providers.h"
#include "providers_pages.h"
#include "providers_private.h"
#include "api_private.h"
#include "rules.h"
#include "web/html.h"

/* The errors of r->fe as a summary box, when there are any. */
static void
errors_html(struct strbuf *sb, const struct req *r)
{
	if (!r->fe.n)
		return;
	HTML_RAW(sb, "<div class=\"error-summary\" role=\"alert\">\n<h2>Något behöver rättas"
	             "</h2>\n<ul>\n");
	for (int i = 0; i < r->fe.n; i++) {
		HTML_RAW(sb, "<li>");
		html_text(sb, r->fe.items[i].message);
		HTML_RAW(sb, "</li>\n");
	}
	HTML_RAW(sb, "</ul>\n</div>\n");
}

void
providers__person_name(struct db_conn *c, int64_t tenant, int64_t id, char *out, size_t n)
{
	struct person *p = xcalloc(1, sizeof *p);
	if (people_get(c, tenant, id, p) == 0)
		snprintf(out, n, "%s %s", p->given_name, p->family_name);
	else
		snprintf(out, n, "Kund");
	free(p);
}

/* The value of form field name as a positive id, 0 when absent or malformed. */
static int64_t
form_id(const struct req *r, const char *name)
{
	const char *v = req_form(r, name);
	if (!v || !*v)
		return 0;
	char *end;
	long long n = strtoll(v, &end, 10);
	return *end || n < 1 ? 0 : n;
}

/* ---- the provider's inbox ------------------------------------------------------------ */

struct inbox {
	struct db_conn *c;
	struct strbuf *sb;
	int64_t persons[200];
	int n;
};

static void
inbox_row(const struct order *o, void *arg)
{
	struct inbox *in = arg;
	struct strbuf *sb = in->sb;
	char name[300];
	providers__person_name(in->c, o->ref.tenant_id, o->ref.person_id, name, sizeof name);
	HTML_RAW(sb, "<tr><td><a href=\"/utforare/uppdrag/");
	html_int(sb, o->ref.id);
	HTML_RAW(sb, "\">");
	html_text(sb, name);
	HTML_RAW(sb, "</a></td><td>");
	html_text(sb, o->service_name);
	HTML_RAW(sb, "</td><td>");
	html_text(sb, o->ref.from);
	HTML_RAW(sb, " – ");
	html_text(sb, o->ref.to[0] ? o->ref.to : "tills vidare");
	HTML_RAW(sb, "</td><td>");
	html_text(sb, providers__state_word(o->ref.state));
	if (strcmp(o->ref.state, "sent") == 0) {
		HTML_RAW(sb, ", svara senast ");
		html_text(sb, o->answer_due);
	}
	HTML_RAW(sb, "</td></tr>\n");
	if (in->n < 200)
		in->persons[in->n++] = o->ref.person_id;
}

int
providers_page_inbox(struct req *r)
{
	struct strbuf sb, rows;
	sb_init(&rows, 0);
	struct inbox *in = xcalloc(1, sizeof *in);
	in->sb = &rows;
	struct db_conn *c = db_reader(r->db);
	in->c = c;
	struct provider p;
	int rc = providers_get(c, r->who.tenant_id, r->who.provider_id, &p);
	if (rc == 0)
		rc = providers_orders(c, r->who.tenant_id, r->who.provider_id, 0, 0, "", 200,
		                      inbox_row, in);
	db_reader_done(r->db, c);
	if (rc == 0)
		rc = providers__audit_read(r, "order_list", r->who.provider_id, in->persons, in->n);
	else
		rc = REQ_FAIL(r, rc);
	free(in);
	if (rc) {
		sb_release(&rows);
		return rc;
	}
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Uppdrag", "/utforare");
	HTML_RAW(&sb, "<h1>Uppdrag till ");
	html_text(&sb, p.name);
	HTML_RAW(&sb, "</h1>\n");
	if (r->who.roles & ROLE_PROVIDER_ADMIN)
		HTML_RAW(&sb, "<p><a href=\"/utforare/lediga\">Markera lediga platser</a></p>\n");
	if (rows.len) {
		HTML_RAW(&sb,
		         "<div class=\"table-wrap\">\n<table>\n<caption>Beställningar</caption>\n"
		         "<thead><tr><th scope=\"col\">Kund</th><th scope=\"col\">Insats</th>"
		         "<th scope=\"col\">Period</th><th scope=\"col\">Status</th></tr>"
		         "</thead>\n<tbody>\n");
		sb_add(&sb, rows.buf, rows.len);
		HTML_RAW(&sb, "</tbody>\n</table>\n</div>\n");
	} else {
		HTML_RAW(&sb, "<p>Det finns inga uppdrag.</p>\n");
	}
	sb_release(&rows);
	return web_respond(r, 200, &sb);
}

/* ---- the order view, answer and plan ------------------------------------------------- */

struct order_view {
	struct strbuf *sb;
	struct providers__plan_view pv;
};

static void
view_section(const struct order_section *s, void *arg)
{
	struct order_view *v = arg;
	HTML_RAW(v->sb, "<h3>");
	html_text(v->sb, s->heading);
	HTML_RAW(v->sb, "</h3>\n<p class=\"text\">");
	html_text(v->sb, s->body);
	HTML_RAW(v->sb, "</p>\n");
}

void
providers__add_goal(const struct order_goal *g, void *arg)
{
	struct providers__plan_view *v = arg;
	if (v->ngoals < PROVIDERS_MAX_GOALS)
		v->goals[v->ngoals++] = *g;
}

void
providers__add_item(const struct plan_item *it, void *arg)
{
	struct providers__plan_view *v = arg;
	if (v->nitems < PROVIDERS_MAX_ITEMS)
		v->items[v->nitems++] = *it;
}

/* The plan's item for goal id, or NULL. */
static const struct plan_item *
item_for(const struct providers__plan_view *v, int64_t goal_id)
{
	for (int i = 0; i < v->nitems; i++)
		if (v->items[i].goal_id == goal_id)
			return &v->items[i];
	return NULL;
}

/* One labelled text input of the plan editor. */
static void
plan_input(struct strbuf *sb, const char *kind, const char *label, int64_t goal_id,
           const char *value)
{
	HTML_RAW(sb, "<div class=\"field\"><label for=\"f-");
	html_text(sb, kind);
	HTML_RAW(sb, "-");
	html_int(sb, goal_id);
	HTML_RAW(sb, "\">");
	html_text(sb, label);
	HTML_RAW(sb, "</label>\n<input type=\"text\" id=\"f-");
	html_text(sb, kind);
	HTML_RAW(sb, "-");
	html_int(sb, goal_id);
	HTML_RAW(sb, "\" name=\"");
	html_text(sb, kind);
	HTML_RAW(sb, "-");
	html_int(sb, goal_id);
	HTML_RAW(sb, "\" maxlength=\"500\" value=\"");
	html_attr(sb, value ? value : "");
	HTML_RAW(sb, "\"></div>\n");
}

/* The order page with status (a failed POST shows its errors). */
static int
order_page(struct req *r, int64_t id, int status)
{
	struct order *o = xmalloc(sizeof *o);
	int rc = providers__order_or_fail(r, id, o);
	if (rc) {
		free(o);
		return rc;
	}
	struct strbuf secs;
	sb_init(&secs, 0);
	struct order_view *v = xcalloc(1, sizeof *v);
	v->sb = &secs;
	struct plan plan;
	char name[300];
	struct db_conn *c = db_reader(r->db);
	providers__person_name(c, o->ref.tenant_id, o->ref.person_id, name, sizeof name);
	rc = providers_order_sections(c, o->ref.tenant_id, o->ref.id, view_section, v);
	if (rc == 0)
		rc = providers_order_goals(c, o->ref.tenant_id, o->ref.id, providers__add_goal,
		                           &v->pv);
	int prc = rc ? rc : providers_plan_get(c, o->ref.tenant_id, o->ref.id, &plan);
	if (prc == 0)
		rc =
		    providers_plan_items(c, o->ref.tenant_id, plan.id, providers__add_item, &v->pv);
	else if (prc != HERR_NOT_FOUND)
		rc = prc;
	db_reader_done(r->db, c);
	if (rc == 0)
		rc = providers__audit_read(r, "order", o->ref.id, &o->ref.person_id, 1);
	else
		rc = REQ_FAIL(r, rc);
	if (rc) {
		free(v);
		free(o);
		sb_release(&secs);
		return rc;
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Uppdrag", "/utforare");
	HTML_RAW(&sb, "<h1>Uppdrag: ");
	html_text(&sb, o->service_name);
	HTML_RAW(&sb, " för ");
	html_text(&sb, name);
	HTML_RAW(&sb, "</h1>\n");
	errors_html(&sb, r);
	HTML_RAW(&sb, "<dl class=\"facts\">\n<dt>Status</dt><dd><strong>");
	html_text(&sb, providers__state_word(o->ref.state));
	HTML_RAW(&sb, "</strong></dd>\n<dt>Omfattning</dt><dd>");
	html_text(&sb, o->scope_text[0] ? o->scope_text : "Enligt beslut");
	HTML_RAW(&sb, "</dd>\n<dt>Period</dt><dd>");
	html_text(&sb, o->ref.from);
	HTML_RAW(&sb, " – ");
	html_text(&sb, o->ref.to[0] ? o->ref.to : "tills vidare");
	HTML_RAW(&sb, "</dd>\n<dt>Svara senast</dt><dd>");
	html_text(&sb, o->answer_due);
	HTML_RAW(&sb, "</dd>\n");
	if (o->message[0]) {
		HTML_RAW(&sb, "<dt>Meddelande från handläggaren</dt><dd class=\"text\">");
		html_text(&sb, o->message);
		HTML_RAW(&sb, "</dd>\n");
	}
	if (o->ref.main_responsible && strcmp(o->ref.state, "sent") == 0)
		HTML_RAW(&sb, "<dt>Samordning</dt><dd>Ni får huvudansvaret för kunden när ni "
		              "accepterar uppdraget</dd>\n");
	else if (o->ref.main_responsible)
		HTML_RAW(&sb, "<dt>Samordning</dt><dd>Ni har huvudansvaret för kunden</dd>\n");
	HTML_RAW(&sb, "</dl>\n<h2>Mål</h2>\n<ol>\n");
	for (int i = 0; i < v->pv.ngoals; i++) {
		HTML_RAW(&sb, "<li>");
		html_text(&sb, v->pv.goals[i].goal);
		HTML_RAW(&sb, "</li>\n");
	}
	HTML_RAW(&sb, "</ol>\n<h2>Ur utredningen</h2>\n");
	if (secs.len)
		sb_add(&sb, secs.buf, secs.len);
	else
		HTML_RAW(&sb, "<p>Handläggaren har inte bifogat några delar av utredningen.</p>\n");
	sb_release(&secs);
	if (strcmp(o->ref.state, "sent") == 0) {
		HTML_RAW(&sb,
		         "<h2>Svara på uppdraget</h2>\n<form method=\"post\" action=\"/utforare/"
		         "uppdrag/");
		html_int(&sb, o->ref.id);
		HTML_RAW(&sb, "/svar\">\n");
		form_csrf(&sb, r);
		HTML_RAW(&sb, "<input type=\"hidden\" name=\"svar\" value=\"accept\">\n<button "
		              "type=\"submit\">Acceptera uppdraget</button>\n</form>\n<form "
		              "method=\"post\" action=\"/utforare/uppdrag/");
		html_int(&sb, o->ref.id);
		HTML_RAW(&sb, "/svar\">\n");
		form_csrf(&sb, r);
		HTML_RAW(&sb,
		         "<input type=\"hidden\" name=\"svar\" value=\"decline\">\n<div "
		         "class=\"field\"><label for=\"f-reason\">Skäl att avböja</label>\n"
		         "<textarea id=\"f-reason\" name=\"reason\" rows=\"3\" maxlength=\"1000\">"
		         "</textarea></div>\n<button type=\"submit\">Avböj uppdraget</button>\n"
		         "</form>\n");
	}
	if (strcmp(o->ref.state, "accepted") == 0) {
		HTML_RAW(&sb,
		         "<h2>Genomförandeplan</h2>\n<p>Skriv planen tillsammans med kunden: "
		         "vad som görs, när och hur, för varje mål.</p>\n<form method=\"post\" "
		         "action=\"/utforare/uppdrag/");
		html_int(&sb, o->ref.id);
		HTML_RAW(&sb, "/plan\">\n");
		form_csrf(&sb, r);
		HTML_RAW(&sb, "<input type=\"hidden\" name=\"version\" value=\"");
		html_int(&sb, prc == 0 ? plan.version : 0);
		HTML_RAW(&sb,
		         "\">\n<div class=\"field\"><label for=\"f-participation\">Så deltog "
		         "kunden</label>\n<textarea id=\"f-participation\" name=\"participation\" "
		         "rows=\"3\" maxlength=\"2000\">");
		html_text(&sb, prc == 0 ? plan.participation : "");
		HTML_RAW(&sb, "</textarea></div>\n");
		for (int i = 0; i < v->pv.ngoals; i++) {
			const struct plan_item *it = item_for(&v->pv, v->pv.goals[i].id);
			HTML_RAW(&sb, "<fieldset>\n<legend>Mål: ");
			html_text(&sb, v->pv.goals[i].goal);
			HTML_RAW(&sb, "</legend>\n");
			plan_input(&sb, "what", "Vad görs", v->pv.goals[i].id,
			           it ? it->what : NULL);
			plan_input(&sb, "when", "När", v->pv.goals[i].id,
			           it ? it->when_text : NULL);
			plan_input(&sb, "how", "Hur", v->pv.goals[i].id, it ? it->how : NULL);
			HTML_RAW(&sb, "</fieldset>\n");
		}
		HTML_RAW(&sb,
		         "<button type=\"submit\">Spara genomförandeplanen</button>\n</form>\n");
	}
	free(v);
	free(o);
	return web_respond(r, status, &sb);
}

int
providers_page_order(struct req *r)
{
	return order_page(r, r->params[0], 200);
}

int
providers_page_answer(struct req *r)
{
	const char *answer = req_form(r, "svar");
	bool accept = answer && strcmp(answer, "accept") == 0;
	int rc = providers__answer_or_fail(r, r->params[0], accept, req_form(r, "reason"));
	if (rc == HERR_INVALID || rc == HERR_RULE)
		return order_page(r, r->params[0], herr_status(rc));
	if (rc)
		return rc;
	char loc[64];
	snprintf(loc, sizeof loc, "/utforare/uppdrag/%lld", (long long)r->params[0]);
	req_redirect(r, loc);
	return 0;
}

struct goal_ids {
	int64_t ids[PROVIDERS_MAX_GOALS];
	int n;
};

static void
goal_id(const struct order_goal *g, void *arg)
{
	struct goal_ids *l = arg;
	if (l->n < PROVIDERS_MAX_GOALS)
		l->ids[l->n++] = g->id;
}

int
providers_page_plan(struct req *r)
{
	struct goal_ids gl = {.n = 0};
	struct db_conn *c = db_reader(r->db);
	int rc = providers_order_goals(c, r->who.tenant_id, r->params[0], goal_id, &gl);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	struct plan *p = xcalloc(1, sizeof *p);
	struct plan_item *items = xcalloc(PROVIDERS_MAX_GOALS, sizeof *items);
	int n = 0;
	p->version = form_id(r, "version");
	providers__copy(p->participation, sizeof p->participation, req_form(r, "participation"));
	for (int i = 0; i < gl.n; i++) {
		char key[40];
		snprintf(key, sizeof key, "what-%lld", (long long)gl.ids[i]);
		const char *what = req_form(r, key);
		if (!what || !*what)
			continue;
		items[n].goal_id = gl.ids[i];
		providers__copy(items[n].what, sizeof items[n].what, what);
		snprintf(key, sizeof key, "when-%lld", (long long)gl.ids[i]);
		providers__copy(items[n].when_text, sizeof items[n].when_text, req_form(r, key));
		snprintf(key, sizeof key, "how-%lld", (long long)gl.ids[i]);
		providers__copy(items[n].how, sizeof items[n].how, req_form(r, key));
		n++;
	}
	rc = providers__plan_or_fail(r, r->params[0], p, items, n);
	free(items);
	free(p);
	if (rc == HERR_INVALID || rc == HERR_RULE || rc == HERR_STALE)
		return order_page(r, r->params[0], herr_status(rc));
	if (rc)
		return rc;
	char loc[64];
	snprintf(loc, sizeof loc, "/utforare/uppdrag/%lld", (long long)r->params[0]);
	req_redirect(r, loc);
	return 0;
}

/* ---- vacancy marking ----------------------------------------------------------------- */

static const char *const times[] = {"day", "evening", "night", "weekend"};
static const char *const time_words[] = {"dag", "kväll", "natt", "helg"};

struct marking {
	struct provider_service sv[PROVIDERS_MAX_SERVICES];
	char sv_name[PROVIDERS_MAX_SERVICES][101]; /* the catalogue's Swedish name of sv[i] */
	int nsv;
	char areas[PROVIDERS_MAX_AREAS][101];
	int nareas;
	struct vacancy cur[PROVIDERS_MAX_SERVICES * PROVIDERS_MAX_AREAS * 4];
	int ncur;
};

static void
mark_service(const struct provider_service *s, void *arg)
{
	struct marking *m = arg;
	if (m->nsv < PROVIDERS_MAX_SERVICES)
		m->sv[m->nsv++] = *s;
}

static void
mark_area(const char *area, void *arg)
{
	struct marking *m = arg;
	if (m->nareas < PROVIDERS_MAX_AREAS)
		providers__copy(m->areas[m->nareas++], sizeof m->areas[0], area);
}

static void
mark_vacancy(const struct vacancy *v, void *arg)
{
	struct marking *m = arg;
	if (m->ncur < (int)(sizeof m->cur / sizeof m->cur[0]))
		m->cur[m->ncur++] = *v;
}

static int
marking_load(struct req *r, struct marking *m)
{
	struct db_conn *c = db_reader(r->db);
	int64_t t = r->who.tenant_id, p = r->who.provider_id;
	int rc = providers_services(c, t, p, mark_service, m);
	if (rc == 0)
		rc = providers_areas(c, t, p, mark_area, m);
	if (rc == 0)
		rc = providers_vacancies(c, t, p, 0, mark_vacancy, m);
	/* review 2026-11 finding 15: the service by its name, never its code. */
	for (int i = 0; rc == 0 && i < m->nsv; i++) {
		struct service sv;
		rc = cases_service_get(c, t, m->sv[i].code, &sv);
		if (rc == 0)
			providers__copy(m->sv_name[i], sizeof m->sv_name[i], sv.name);
	}
	db_reader_done(r->db, c);
	return rc;
}

static int
marking_page(struct req *r, struct marking *m, int status)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Lediga platser", "/utforare");
	HTML_RAW(&sb, "<h1>Lediga platser</h1>\n<p class=\"lead\">Ange hur många nya kunder ni "
	              "kan ta emot per insats, område och tid på dygnet. Noll betyder att ni "
	              "arbetar då men är fulla.</p>\n");
	errors_html(&sb, r);
	HTML_RAW(&sb, "<form method=\"post\" action=\"/utforare/lediga\">\n");
	form_csrf(&sb, r);
	for (int s = 0; s < m->nsv; s++)
		for (int a = 0; a < m->nareas; a++) {
			HTML_RAW(&sb, "<fieldset>\n<legend>");
			html_text(&sb, m->sv_name[s]);
			HTML_RAW(&sb, ", ");
			html_text(&sb, m->areas[a]);
			HTML_RAW(&sb, "</legend>\n");
			for (int t = 0; t < 4; t++) {
				const char *val = "";
				char num[16] = "";
				for (int k = 0; k < m->ncur; k++)
					if (m->cur[k].service_id == m->sv[s].service_id &&
					    strcmp(m->cur[k].area, m->areas[a]) == 0 &&
					    strcmp(m->cur[k].time_of_day, times[t]) == 0) {
						snprintf(num, sizeof num, "%d", m->cur[k].places);
						val = num;
					}
				HTML_RAW(&sb, "<div class=\"field\"><label for=\"f-v-");
				html_int(&sb, s);
				HTML_RAW(&sb, "-");
				html_int(&sb, a);
				HTML_RAW(&sb, "-");
				html_int(&sb, t);
				HTML_RAW(&sb, "\">Platser ");
				html_text(&sb, time_words[t]);
				HTML_RAW(&sb,
				         "</label>\n<input type=\"text\" inputmode=\"numeric\" "
				         "pattern=\"[0-9]*\" id=\"f-v-");
				html_int(&sb, s);
				HTML_RAW(&sb, "-");
				html_int(&sb, a);
				HTML_RAW(&sb, "-");
				html_int(&sb, t);
				HTML_RAW(&sb, "\" name=\"v-");
				html_int(&sb, s);
				HTML_RAW(&sb, "-");
				html_int(&sb, a);
				HTML_RAW(&sb, "-");
				html_int(&sb, t);
				HTML_RAW(&sb, "\" value=\"");
				html_attr(&sb, val);
				HTML_RAW(&sb, "\"></div>\n");
			}
			HTML_RAW(&sb, "</fieldset>\n");
		}
	if (m->nsv == 0 || m->nareas == 0)
		HTML_RAW(&sb, "<p>Kommunen har inte godkänt er för några insatser eller områden "
		              "ännu.</p>\n");
	HTML_RAW(&sb, "<button type=\"submit\">Spara lediga platser</button>\n</form>\n");
	return web_respond(r, status, &sb);
}

int
providers_page_vacancies(struct req *r)
{
	if (!r->who.provider_id)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	struct marking *m = xcalloc(1, sizeof *m);
	int rc = marking_load(r, m);
	rc = rc ? REQ_FAIL(r, rc) : marking_page(r, m, 200);
	free(m);
	return rc;
}

int
providers_page_vacancies_post(struct req *r)
{
	if (!r->who.provider_id)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	struct marking *m = xcalloc(1, sizeof *m);
	int rc = marking_load(r, m);
	struct vacancy *v = xcalloc((size_t)m->nsv * (size_t)m->nareas * 4 + 1, sizeof *v);
	int n = 0;
	for (int s = 0; rc == 0 && s < m->nsv; s++)
		for (int a = 0; a < m->nareas; a++)
			for (int t = 0; t < 4; t++) {
				char key[48];
				snprintf(key, sizeof key, "v-%d-%d-%d", s, a, t);
				const char *val = req_form(r, key);
				if (!val || !*val)
					continue;
				char *end;
				long places = strtol(val, &end, 10);
				providers__copy(v[n].service_code, sizeof v[n].service_code,
				                m->sv[s].code);
				providers__copy(v[n].area, sizeof v[n].area, m->areas[a]);
				providers__copy(v[n].time_of_day, sizeof v[n].time_of_day,
				                times[t]);
				v[n].places =
				    *end || places < 0 || places > 10000 ? -1 : (int)places;
				n++;
			}
	if (rc == 0)
		rc = providers__vacancies_or_fail(r, r->who.provider_id, v, n);
	else
		rc = REQ_FAIL(r, rc);
	free(v);
	if (rc == HERR_RULE || rc == HERR_INVALID) {
		rc = marking_page(r, m, herr_status(rc));
		free(m);
		return rc;
	}
	free(m);
	if (rc)
		return rc;
	req_redirect(r, "/utforare/lediga");
	return 0;
}

/* ---- choosing a provider: the caseworker's step and the citizen's page --------------- */

struct choosing {
	struct req *r;
	struct db_conn *c;
	struct strbuf *sb;
	int64_t service_id;
	int64_t chosen; /* the customer's choice, 0 when none */
	int shown;
};

static void
vac_flags(const struct vacancy *v, void *arg)
{
	int *flags = arg;
	if (v->places > 0 && strcmp(v->time_of_day, "day") == 0)
		*flags |= 1;
	if (strcmp(v->time_of_day, "evening") == 0)
		*flags |= 2;
	if (strcmp(v->time_of_day, "weekend") == 0)
		*flags |= 4;
}

/* One provider as a radio choice with its profile, when approved for the service today. */
static void
choice_row(const struct provider *p, void *arg)
{
	struct choosing *ch = arg;
	char today[11];
	time_today(today);
	if (providers_approved_for(ch->c, p->tenant_id, p->id, ch->service_id) != 0 ||
	    !p->approved_from[0] || strcmp(p->approved_from, today) > 0 ||
	    (p->approved_to[0] && strcmp(p->approved_to, today) < 0))
		return;
	int flags = 0;
	providers_vacancies(ch->c, p->tenant_id, p->id, 0, vac_flags, &flags);
	struct strbuf *sb = ch->sb;
	HTML_RAW(sb, "<div class=\"radio\"><input type=\"radio\" name=\"provider_id\" id=\"p-");
	html_int(sb, p->id);
	HTML_RAW(sb, "\" value=\"");
	html_int(sb, p->id);
	HTML_RAW(sb, "\"");
	if (ch->chosen == p->id)
		HTML_RAW(sb, " checked");
	HTML_RAW(sb, "><label for=\"p-");
	html_int(sb, p->id);
	HTML_RAW(sb, "\"><strong>");
	html_text(sb, p->name);
	HTML_RAW(sb, "</strong> – ");
	html_text(sb, flags & 1 ? "har lediga platser" : "inga lediga platser just nu");
	if (flags & 2)
		HTML_RAW(sb, ", kvällar");
	if (flags & 4)
		HTML_RAW(sb, ", helger");
	if (p->description[0]) {
		HTML_RAW(sb, ". ");
		html_text(sb, p->description);
	}
	HTML_RAW(sb, "</label></div>\n");
	ch->shown++;
}

struct section_boxes {
	struct strbuf *sb;
};

static void
section_box(const struct inv_section *s, void *arg)
{
	struct section_boxes *b = arg;
	HTML_RAW(b->sb, "<div class=\"radio\"><input type=\"checkbox\" name=\"section\" id=\"s-");
	html_int(b->sb, s->id);
	HTML_RAW(b->sb, "\" value=\"");
	html_int(b->sb, s->id);
	HTML_RAW(b->sb, "\"><label for=\"s-");
	html_int(b->sb, s->id);
	HTML_RAW(b->sb, "\">");
	html_text(b->sb, s->heading);
	HTML_RAW(b->sb, "</label></div>\n");
}

static void
order_line(const struct order *o, void *arg)
{
	struct choosing *ch = arg;
	struct strbuf *sb = ch->sb;
	char today[11];
	time_today(today);
	HTML_RAW(sb, "<li><a href=\"/bestallningar/");
	html_int(sb, o->ref.id);
	HTML_RAW(sb, "\">");
	html_text(sb, o->provider_name);
	HTML_RAW(sb, "</a>: ");
	html_text(sb, providers__state_word(o->ref.state));
	if (o->decline_reason[0]) {
		HTML_RAW(sb, " (");
		html_text(sb, o->decline_reason);
		HTML_RAW(sb, ")");
	}
	if (strcmp(o->ref.state, "sent") == 0 && strcmp(today, o->answer_due) > 0)
		HTML_RAW(sb, " <span class=\"badge badge-late\">Ej besvarad i tid</span>");
	HTML_RAW(sb, "</li>\n");
}

/* The caseworker's choice-of-provider step (staff) or the citizen's choice page. */
static int
choice_page(struct req *r, int64_t decision_id, bool staff, int status)
{
	struct decision *d = xcalloc(1, sizeof *d);
	struct case_row cs;
	int rc = providers__decision_or_fail(r, decision_id, d, &cs);
	struct service sv;
	struct choice chosen;
	struct strbuf list, extra;
	sb_init(&list, 0);
	sb_init(&extra, 0);
	if (rc == 0) {
		struct db_conn *c = db_reader(r->db);
		rc = cases_service_get(c, r->who.tenant_id, d->service, &sv);
		bool has_choice =
		    rc == 0 && providers_choice_get(c, r->who.tenant_id, d->id, &chosen) == 0;
		struct choosing ch = {r, c, &list, sv.id, has_choice ? chosen.provider_id : 0, 0};
		if (rc == 0)
			rc = providers_list(c, r->who.tenant_id, choice_row, &ch);
		if (rc == 0 && staff) {
			struct choosing ol = {r, c, &extra, 0, 0, 0};
			HTML_RAW(&extra, "<h2>Beställningar</h2>\n<ul>\n");
			rc = providers_orders(c, r->who.tenant_id, 0, cs.id, 0, NULL, 50,
			                      order_line, &ol);
			HTML_RAW(&extra, "</ul>\n<fieldset>\n<legend>Delar av utredningen som "
			                 "utföraren behöver</legend>\n");
			struct investigation *inv = xcalloc(1, sizeof *inv);
			struct section_boxes b = {&extra};
			if (rc == 0 &&
			    cases_investigation_get(c, r->who.tenant_id, cs.id, inv) == 0)
				rc = cases_investigation_sections(c, inv, section_box, &b);
			free(inv);
			HTML_RAW(&extra,
			         "</fieldset>\n<div class=\"field\"><label for=\"f-message\">"
			         "Meddelande till utföraren</label>\n<textarea "
			         "id=\"f-message\" name=\"message\" rows=\"3\" "
			         "maxlength=\"2000\"></textarea></div>\n<div class=\"radio\">"
			         "<input type=\"checkbox\" name=\"main\" id=\"f-main\" "
			         "value=\"1\"><label for=\"f-main\">Utföraren har huvudansvaret"
			         "</label></div>\n");
		}
		db_reader_done(r->db, c);
		if (rc == 0 && strcmp(d->outcome, "refused") == 0) {
			field_error_add(&r->fe, "outcome", "ett avslag kan inte få en utförare");
			rc = HERR_RULE;
		}
		if (rc == 0)
			rc = providers__audit_read(r, "provider_choice", d->id, &d->person_id, 1);
		else
			rc = REQ_FAIL(r, rc);
		if (rc == 0) {
			struct strbuf sb;
			sb_init(&sb, 0);
			web_layout_begin(&sb, r, "Välj utförare",
			                 staff ? "/arenden" : "/mina-sidor");
			HTML_RAW(&sb, "<h1>Välj utförare: ");
			html_text(&sb, sv.name);
			HTML_RAW(&sb, "</h1>\n");
			errors_html(&sb, r);
			HTML_RAW(&sb, "<p>Beviljat från ");
			html_text(&sb, d->start_date);
			if (d->end_date[0]) {
				HTML_RAW(&sb, " till ");
				html_text(&sb, d->end_date);
			}
			HTML_RAW(&sb, ".</p>\n");
			if (has_choice) {
				HTML_RAW(&sb, "<p>Valt: <strong>");
				html_text(&sb, chosen.provider_name);
				HTML_RAW(&sb, "</strong></p>\n");
			}
			if (!staff && !sv.customer_choice) {
				/* review 2026-11 finding 14: nothing to choose. */
				HTML_RAW(&sb,
				         "<p>Insatsen har inget kundval. Kommunen bestämmer vem "
				         "som utför den och berättar det för dig.</p>\n");
				sb_release(&list);
				sb_release(&extra);
				free(d);
				return web_respond(r, status, &sb);
			}
			HTML_RAW(&sb, "<form method=\"post\" action=\"");
			HTML_RAW(&sb, "/");
			if (staff)
				HTML_RAW(&sb, "beslut/");
			else
				HTML_RAW(&sb, "mina-sidor/val/");
			html_int(&sb, d->id);
			if (staff)
				HTML_RAW(&sb, "/bestallning");
			HTML_RAW(&sb, "\">\n");
			form_csrf(&sb, r);
			HTML_RAW(&sb, "<fieldset>\n<legend>Godkända utförare</legend>\n");
			if (ch.shown)
				sb_add(&sb, list.buf, list.len);
			else
				HTML_RAW(&sb, "<p>Ingen utförare är godkänd för insatsen.</p>\n");
			HTML_RAW(&sb, "</fieldset>\n");
			sb_add(&sb, extra.buf, extra.len);
			if (staff)
				HTML_RAW(&sb,
				         "<button type=\"submit\">Skicka beställningen</button>\n");
			else
				HTML_RAW(&sb, "<button type=\"submit\">Välj utföraren</button>\n");
			HTML_RAW(&sb, "</form>\n");
			sb_release(&list);
			sb_release(&extra);
			free(d);
			return web_respond(r, status, &sb);
		}
	}
	sb_release(&list);
	sb_release(&extra);
	free(d);
	return rc;
}

int
providers_page_choose_staff(struct req *r)
{
	return choice_page(r, r->params[0], true, 200);
}

int
providers_page_order_post(struct req *r)
{
	struct providers__order_in in;
	memset(&in, 0, sizeof in);
	in.provider_id = form_id(r, "provider_id");
	for (int i = 0; i < r->nform && in.nsections < PROVIDERS_MAX_SECTIONS; i++)
		if (strcmp(r->form[i].key, "section") == 0)
			in.section_ids[in.nsections++] = atoll(r->form[i].value);
	providers__copy(in.message, sizeof in.message, req_form(r, "message"));
	in.main_responsible = req_form(r, "main") != NULL;
	if (!in.provider_id) {
		field_error_add(&r->fe, "provider_id", "välj en utförare");
		return choice_page(r, r->params[0], true, 400);
	}
	struct order *o = xmalloc(sizeof *o);
	int rc = providers__order_create_or_fail(r, r->params[0], &in, 0, NULL, o);
	free(o);
	if (rc == HERR_INVALID || rc == HERR_RULE || rc == HERR_CONFLICT)
		return choice_page(r, r->params[0], true, herr_status(rc));
	if (rc)
		return rc;
	char loc[64];
	snprintf(loc, sizeof loc, "/beslut/%lld/utforare", (long long)r->params[0]);
	req_redirect(r, loc);
	return 0;
}

int
providers_page_choose(struct req *r)
{
	return choice_page(r, r->params[0], false, 200);
}

int
providers_page_choose_post(struct req *r)
{
	int64_t provider_id = form_id(r, "provider_id");
	if (!provider_id) {
		field_error_add(&r->fe, "provider_id", "välj en utförare");
		return choice_page(r, r->params[0], false, 400);
	}
	struct choice ch;
	int rc = providers__choose_or_fail(r, r->params[0], provider_id, &ch);
	if (rc == HERR_RULE || rc == HERR_INVALID)
		return choice_page(r, r->params[0], false, herr_status(rc));
	if (rc)
		return rc;
	req_redirect(r, "/mina-sidor");
	return 0;
}

/* ---- Mina sidor ---------------------------------------------------------------------- */

struct mine {
	struct strbuf *sb;
	int64_t decision_id;
	bool shown;
};

static void
mine_order(const struct order *o, void *arg)
{
	struct mine *m = arg;
	if (m->shown || o->ref.decision_id != m->decision_id ||
	    strcmp(o->ref.state, "declined") == 0 || strcmp(o->ref.state, "withdrawn") == 0)
		return;
	HTML_RAW(m->sb, "<p>Utförare: <strong>");
	html_text(m->sb, o->provider_name);
	HTML_RAW(m->sb, "</strong> (");
	html_text(m->sb, providers__state_word(o->ref.state));
	HTML_RAW(m->sb, ")</p>\n");
	m->shown = true;
}

/* Whether the service of decision id has customer choice (the catalogue's flag, LOV). */
static bool
customer_choice(struct db_conn *c, int64_t tenant, int64_t id)
{
	struct decision *d = xcalloc(1, sizeof *d);
	struct service sv;
	int rc = cases_decision_get(c, tenant, id, d);
	if (rc == 0)
		rc = cases_service_get(c, tenant, d->service, &sv);
	free(d);
	return rc == 0 && sv.customer_choice;
}

void
providers_mine_html(struct db_conn *c, int64_t tenant, int64_t person_id, int64_t decision_id,
                    bool may_choose, struct strbuf *sb)
{
	struct mine m = {sb, decision_id, false};
	providers_orders(c, tenant, 0, 0, person_id, NULL, 50, mine_order, &m);
	if (m.shown)
		return;
	struct choice ch;
	if (providers_choice_get(c, tenant, decision_id, &ch) == 0) {
		HTML_RAW(sb, "<p>Vald utförare: <strong>");
		html_text(sb, ch.provider_name);
		HTML_RAW(sb, "</strong></p>\n");
	} else if (may_choose && customer_choice(c, tenant, decision_id)) {
		HTML_RAW(sb, "<p><a href=\"/mina-sidor/val/");
		html_int(sb, decision_id);
		HTML_RAW(sb, "\">Välj utförare</a></p>\n");
	}
}
