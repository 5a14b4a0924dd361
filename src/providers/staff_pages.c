/*
 * The caseworker's pages of an order (Swedish): the order view (/bestallningar/{id}) with the
 * provider's implementation plan and goal follow-ups, and the forms to record a follow-up, to
 * mark the provider with overall responsibility, to end the order, and the change of provider
 * (/bestallningar/{id}/byte). Also the list of orders not answered in time that the work queue
 * (/arenden) shows. Each POST runs the same checks as its JSON route (api_private.h) and
 * answers with a redirect, or with the page again and its field errors. docs/architecture.md,
 * "Customer choice and providers", describes the order states.
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
#include "providers.h"
#include "providers_pages.h"
#include "providers_private.h"
#include "api_private.h"
#include "web/html.h"

/* The fields of the forms on the order view, for the error summary and the inputs. */
static const struct form_field followup_fields[] = {
    {"goal_id", "Mål", FORM_TEXT, true, 20, NULL, NULL},
    {"status", "Bedömning", FORM_TEXT, true, 12, NULL, NULL},
    {"date", "Datum för uppföljningen", FORM_TEXT, false, 10, NULL, "ÅÅÅÅ-MM-DD, tomt för i dag"},
    {"comment", "Kommentar", FORM_TEXT, false, 1000, NULL, NULL},
};
static const struct form_field end_fields[] = {
    {"end_date", "Sista dag", FORM_TEXT, true, 10, NULL, "ÅÅÅÅ-MM-DD"},
    {"reason", "Skäl", FORM_TEXT, false, 500, NULL, NULL},
};
static const struct form_field change_fields[] = {
    {"provider_id", "Ny utförare", FORM_TEXT, true, 20, NULL, NULL},
    {"end_date", "Den nuvarande utförarens sista dag", FORM_TEXT, true, 10, NULL, "ÅÅÅÅ-MM-DD"},
    {"from", "Den nya utförarens första dag", FORM_TEXT, false, 10, NULL,
     "ÅÅÅÅ-MM-DD, tomt för dagen efter"},
    {"message", "Meddelande till den nya utföraren", FORM_TEXT, false, 2000, NULL, NULL},
};
#define N(a) (sizeof a / sizeof a[0])

static const struct {
	const char *code, *word;
} statuses[] = {
    {"met", "Uppfyllt"},
    {"partly", "Delvis uppfyllt"},
    {"not_met", "Inte uppfyllt"},
};

static const char *
status_word(const char *code)
{
	for (size_t i = 0; i < N(statuses); i++)
		if (strcmp(statuses[i].code, code) == 0)
			return statuses[i].word;
	return code;
}

/* Whether an unanswered order is past its answer day. */
static bool
late(const struct order *o, const char *today)
{
	return strcmp(o->ref.state, "sent") == 0 && strcmp(today, o->answer_due) > 0;
}

/* The error paragraph of a field written by hand (radios, selects), when it has one. */
static void
own_error(struct strbuf *sb, const struct req *r, const char *name)
{
	const char *err = form_error_for(r, name);
	if (!err)
		return;
	HTML_RAW(sb, "<p class=\"field-error\" id=\"f-");
	html_attr(sb, name);
	HTML_RAW(sb, "-fel\"><span class=\"visually-hidden\">Fel: </span>");
	html_text(sb, err);
	HTML_RAW(sb, "</p>\n");
}

static void
order_url(char *out, size_t n, int64_t id, const char *tail)
{
	snprintf(out, n, "/bestallningar/%lld%s", (long long)id, tail);
}

/* ---- the order view ------------------------------------------------------------------ */

struct view {
	struct providers__plan_view pv;
	struct followup fups[100];
	int nfups;
	bool has_plan;
	struct plan plan;
	char name[300];
};

static void
add_followup(const struct followup *f, void *arg)
{
	struct view *v = arg;
	if (v->nfups < (int)N(v->fups))
		v->fups[v->nfups++] = *f;
}

static const char *
goal_text(const struct view *v, int64_t id)
{
	for (int i = 0; i < v->pv.ngoals; i++)
		if (v->pv.goals[i].id == id)
			return v->pv.goals[i].goal;
	return "";
}

static int
view_load(struct req *r, const struct order *o, struct view *v)
{
	int64_t t = o->ref.tenant_id;
	struct db_conn *c = db_reader(r->db);
	providers__person_name(c, t, o->ref.person_id, v->name, sizeof v->name);
	int rc = providers_order_goals(c, t, o->ref.id, providers__add_goal, &v->pv);
	int prc = rc ? rc : providers_plan_get(c, t, o->ref.id, &v->plan);
	if (prc == 0) {
		v->has_plan = true;
		rc = providers_plan_items(c, t, v->plan.id, providers__add_item, &v->pv);
		if (rc == 0)
			rc = providers_followups(c, t, v->plan.id, add_followup, v);
	} else if (prc != HERR_NOT_FOUND) {
		rc = prc;
	}
	db_reader_done(r->db, c);
	return rc;
}

static void
facts_html(struct strbuf *sb, const struct order *o, const char *today)
{
	HTML_RAW(sb, "<dl class=\"facts\">\n<dt>Utförare</dt><dd>");
	html_text(sb, o->provider_name);
	HTML_RAW(sb, "</dd>\n<dt>Status</dt><dd><strong>");
	html_text(sb, providers__state_word(o->ref.state));
	HTML_RAW(sb, "</strong>");
	if (late(o, today))
		HTML_RAW(sb, " <span class=\"badge badge-late\">Ej besvarad i tid</span>");
	HTML_RAW(sb, "</dd>\n<dt>Omfattning</dt><dd>");
	html_text(sb, o->scope_text[0] ? o->scope_text : "Enligt beslut");
	HTML_RAW(sb, "</dd>\n<dt>Period</dt><dd>");
	html_text(sb, o->ref.from);
	HTML_RAW(sb, " – ");
	html_text(sb, o->ref.to[0] ? o->ref.to : "tills vidare");
	HTML_RAW(sb, "</dd>\n<dt>Skickad</dt><dd>");
	html_text(sb, o->sent_date);
	HTML_RAW(sb, "</dd>\n<dt>Svara senast</dt><dd>");
	html_text(sb, o->answer_due);
	HTML_RAW(sb, "</dd>\n<dt>Huvudansvar</dt><dd>");
	if (o->ref.main_responsible && strcmp(o->ref.state, "sent") == 0)
		HTML_RAW(sb, "Utföraren får huvudansvaret för kunden när uppdraget accepteras");
	else if (o->ref.main_responsible)
		HTML_RAW(sb, "Ja, utföraren har huvudansvaret för kunden");
	else
		HTML_RAW(sb, "Nej");
	HTML_RAW(sb, "</dd>\n");
	if (o->decline_reason[0]) {
		HTML_RAW(sb, "<dt>Skäl att avböja</dt><dd>");
		html_text(sb, o->decline_reason);
		HTML_RAW(sb, "</dd>\n");
	}
	if (o->ended_reason[0]) {
		HTML_RAW(sb, "<dt>Skäl till avslut</dt><dd>");
		html_text(sb, o->ended_reason);
		HTML_RAW(sb, "</dd>\n");
	}
	if (o->previous_id) {
		HTML_RAW(sb, "<dt>Ersätter</dt><dd><a href=\"/bestallningar/");
		html_int(sb, o->previous_id);
		HTML_RAW(sb, "\">Den förra beställningen</a></dd>\n");
	}
	HTML_RAW(sb, "</dl>\n");
}

/* The implementation plan as the provider wrote it, and the follow-ups. */
static void
plan_html(struct strbuf *sb, const struct view *v)
{
	HTML_RAW(sb, "<h2 id=\"plan\">Genomförandeplan</h2>\n");
	if (!v->has_plan) {
		HTML_RAW(sb, "<p>Utföraren har inte skrivit någon genomförandeplan ännu.</p>\n");
	} else {
		HTML_RAW(sb, "<p>Skriven av ");
		html_text(sb, v->plan.written_by_name);
		HTML_RAW(sb, ", version ");
		html_int(sb, v->plan.version);
		HTML_RAW(sb, ".</p>\n<h3>Så deltog kunden</h3>\n<p class=\"text\">");
		html_text(sb, v->plan.participation);
		HTML_RAW(sb,
		         "</p>\n<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		         "aria-labelledby=\"tabell-plan\">\n<table>\n<caption id=\"tabell-plan\">"
		         "Vad görs, när och hur</caption>\n<thead><tr><th scope=\"col\">Mål</th>"
		         "<th scope=\"col\">Vad</th><th scope=\"col\">När</th>"
		         "<th scope=\"col\">Hur</th></tr></thead>\n<tbody>\n");
		for (int i = 0; i < v->pv.nitems; i++) {
			HTML_RAW(sb, "<tr><th scope=\"row\">");
			html_text(sb, goal_text(v, v->pv.items[i].goal_id));
			HTML_RAW(sb, "</th><td>");
			html_text(sb, v->pv.items[i].what);
			HTML_RAW(sb, "</td><td>");
			html_text(sb, v->pv.items[i].when_text);
			HTML_RAW(sb, "</td><td>");
			html_text(sb, v->pv.items[i].how);
			HTML_RAW(sb, "</td></tr>\n");
		}
		HTML_RAW(sb, "</tbody>\n</table>\n</div>\n");
	}
	HTML_RAW(sb, "<h2 id=\"uppfoljning\">Uppföljning av mål</h2>\n");
	if (v->nfups == 0) {
		HTML_RAW(sb, "<p>Inga mål är följda upp ännu.</p>\n");
		return;
	}
	HTML_RAW(sb, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
	             "aria-labelledby=\"tabell-uppfoljning\">\n<table>\n<caption "
	             "id=\"tabell-uppfoljning\">Uppföljningar</caption>\n<thead><tr>"
	             "<th scope=\"col\">Datum</th><th scope=\"col\">Mål</th>"
	             "<th scope=\"col\">Bedömning</th><th scope=\"col\">Kommentar</th>"
	             "<th scope=\"col\">Av</th></tr></thead>\n<tbody>\n");
	for (int i = 0; i < v->nfups; i++) {
		const struct followup *f = &v->fups[i];
		HTML_RAW(sb, "<tr><td class=\"nowrap\">");
		html_text(sb, f->date);
		HTML_RAW(sb, "</td><td>");
		html_text(sb, goal_text(v, f->goal_id));
		HTML_RAW(sb, "</td><td>");
		html_text(sb, status_word(f->status));
		HTML_RAW(sb, "</td><td>");
		html_text(sb, f->comment);
		HTML_RAW(sb, "</td><td>");
		html_text(sb, f->by_name);
		HTML_RAW(sb, "</td></tr>\n");
	}
	HTML_RAW(sb, "</tbody>\n</table>\n</div>\n");
}

/* The form of a goal follow-up, with the posted values after a failed POST. */
static void
followup_form(struct strbuf *sb, const struct req *r, const struct order *o, const struct view *v)
{
	char url[64];
	order_url(url, sizeof url, o->ref.id, "/uppfoljning");
	HTML_RAW(sb, "<h3>Följ upp ett mål</h3>\n<form method=\"post\" action=\"");
	html_attr(sb, url);
	HTML_RAW(sb, "\">\n");
	form_csrf(sb, r);
	const char *goal = req_form(r, "goal_id");
	HTML_RAW(sb, "<div class=\"field");
	if (form_error_for(r, "goal_id"))
		HTML_RAW(sb, " has-error");
	HTML_RAW(sb, "\">\n<label for=\"f-goal_id\">Mål</label>\n");
	own_error(sb, r, "goal_id");
	HTML_RAW(sb, "<select id=\"f-goal_id\" name=\"goal_id\">\n");
	for (int i = 0; i < v->pv.ngoals; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)v->pv.goals[i].id);
		HTML_RAW(sb, "<option value=\"");
		html_attr(sb, id);
		HTML_RAW(sb, "\"");
		if (goal && strcmp(goal, id) == 0)
			HTML_RAW(sb, " selected");
		HTML_RAW(sb, ">");
		html_text(sb, v->pv.goals[i].goal);
		HTML_RAW(sb, "</option>\n");
	}
	HTML_RAW(sb, "</select>\n</div>\n<fieldset id=\"f-status\" class=\"group radios");
	if (form_error_for(r, "status"))
		HTML_RAW(sb, " has-error");
	HTML_RAW(sb, "\">\n<legend>Bedömning</legend>\n");
	own_error(sb, r, "status");
	const char *status = req_form(r, "status");
	for (size_t i = 0; i < N(statuses); i++) {
		HTML_RAW(sb,
		         "<div class=\"radio\"><input type=\"radio\" name=\"status\" id=\"f-st-");
		html_attr(sb, statuses[i].code);
		HTML_RAW(sb, "\" value=\"");
		html_attr(sb, statuses[i].code);
		HTML_RAW(sb, "\"");
		if (status && strcmp(status, statuses[i].code) == 0)
			HTML_RAW(sb, " checked");
		HTML_RAW(sb, "><label for=\"f-st-");
		html_attr(sb, statuses[i].code);
		HTML_RAW(sb, "\">");
		html_text(sb, statuses[i].word);
		HTML_RAW(sb, "</label></div>\n");
	}
	HTML_RAW(sb, "</fieldset>\n");
	const char *vals[] = {req_form(r, "date"), req_form(r, "comment")};
	form_fields_html(sb, r, followup_fields + 2, 2, vals);
	HTML_RAW(sb, "<button type=\"submit\">Spara uppföljningen</button>\n</form>\n");
}

/* The forms of overall responsibility, ending and change of provider (sent or accepted). */
static void
actions_html(struct strbuf *sb, const struct req *r, const struct order *o)
{
	char url[64];
	HTML_RAW(sb, "<h2 id=\"andra\">Ändra beställningen</h2>\n");
	if (!o->ref.main_responsible) {
		order_url(url, sizeof url, o->ref.id, "/huvudansvar");
		HTML_RAW(sb, "<form method=\"post\" action=\"");
		html_attr(sb, url);
		HTML_RAW(sb, "\">\n");
		form_csrf(sb, r);
		HTML_RAW(sb, "<p>Den utförare som har huvudansvaret samordnar kundens insatser. "
		             "Kundens andra beställningar förlorar markeringen.</p>\n<button "
		             "type=\"submit\">Ge utföraren huvudansvaret</button>\n</form>\n");
	}
	bool sent = strcmp(o->ref.state, "sent") == 0;
	order_url(url, sizeof url, o->ref.id, "/avsluta");
	if (sent)
		HTML_RAW(sb, "<h3>Återkalla beställningen</h3>\n");
	else
		HTML_RAW(sb, "<h3>Avsluta beställningen</h3>\n");
	HTML_RAW(sb, "<form method=\"post\" action=\"");
	html_attr(sb, url);
	HTML_RAW(sb, "\">\n");
	form_csrf(sb, r);
	const char *vals[] = {req_form(r, "end_date"), req_form(r, "reason")};
	form_fields_html(sb, r, end_fields, N(end_fields), vals);
	if (sent)
		HTML_RAW(sb, "<button type=\"submit\">Återkalla beställningen</button>\n");
	else
		HTML_RAW(sb, "<button type=\"submit\">Avsluta beställningen</button>\n");
	HTML_RAW(sb, "</form>\n<h3>Byte av utförare</h3>\n<p><a href=\"");
	order_url(url, sizeof url, o->ref.id, "/byte");
	html_attr(sb, url);
	HTML_RAW(sb, "\">Byt utförare</a>: avslutar den här beställningen och skickar en ny "
	             "till en annan utförare.</p>\n");
}

/* The order view with status (a failed POST shows its errors). */
static int
staff_order_page(struct req *r, int64_t id, int status)
{
	struct order *o = xmalloc(sizeof *o);
	struct view *v = xcalloc(1, sizeof *v);
	int rc = providers__order_or_fail(r, id, o);
	if (rc == 0) {
		rc = view_load(r, o, v);
		if (rc == 0)
			rc = providers__audit_read(r, "order", o->ref.id, &o->ref.person_id, 1);
		else
			rc = REQ_FAIL(r, rc);
	}
	if (rc) {
		free(v);
		free(o);
		return rc;
	}
	char today[11];
	time_today(today);
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Beställning", "/arenden");
	HTML_RAW(&sb, "<h1>Beställning: ");
	html_text(&sb, o->service_name);
	HTML_RAW(&sb, " för ");
	html_text(&sb, v->name);
	HTML_RAW(&sb, "</h1>\n<p><a href=\"/beslut/");
	html_int(&sb, o->ref.decision_id);
	HTML_RAW(&sb, "/utforare\">Beslutets utförare och beställningar</a></p>\n");
	struct form_field all[N(followup_fields) + N(end_fields)];
	memcpy(all, followup_fields, sizeof followup_fields);
	memcpy(all + N(followup_fields), end_fields, sizeof end_fields);
	form_error_summary(&sb, r, all, N(all));
	facts_html(&sb, o, today);
	HTML_RAW(&sb, "<h2>Mål</h2>\n<ol>\n");
	for (int i = 0; i < v->pv.ngoals; i++) {
		HTML_RAW(&sb, "<li>");
		html_text(&sb, v->pv.goals[i].goal);
		HTML_RAW(&sb, "</li>\n");
	}
	HTML_RAW(&sb, "</ol>\n");
	plan_html(&sb, v);
	if (v->has_plan && v->pv.ngoals)
		followup_form(&sb, r, o, v);
	if (strcmp(o->ref.state, "sent") == 0 ||
	    (strcmp(o->ref.state, "accepted") == 0 && !o->ref.ending))
		actions_html(&sb, r, o);
	free(v);
	free(o);
	return web_respond(r, status, &sb);
}

int
providers_page_staff_order(struct req *r)
{
	return staff_order_page(r, r->params[0], 200);
}

/* After a POST: the order view again with the errors, or a redirect to url. */
static int
after_post(struct req *r, int rc, int64_t show, const char *url)
{
	if (rc == HERR_INVALID || rc == HERR_RULE || rc == HERR_CONFLICT || rc == HERR_STALE)
		return staff_order_page(r, show, herr_status(rc));
	if (rc)
		return rc;
	req_redirect(r, url);
	return 0;
}

int
providers_page_followup_post(struct req *r)
{
	struct followup f;
	memset(&f, 0, sizeof f);
	const char *goal = req_form(r, "goal_id");
	char *end = NULL;
	long long g = goal ? strtoll(goal, &end, 10) : 0;
	if (!goal || !*goal || *end || g < 1)
		field_error_add(&r->fe, "goal_id", "välj ett av beställningens mål");
	f.goal_id = g;
	providers__copy(f.status, sizeof f.status, req_form(r, "status"));
	if (!f.status[0])
		field_error_add(&r->fe, "status", "välj en bedömning");
	const char *date = req_form(r, "date");
	int32_t day;
	if (date && *date && cal_parse(date, &day) != 0)
		field_error_add(&r->fe, "date", "ange datum som ÅÅÅÅ-MM-DD");
	providers__copy(f.date, sizeof f.date, date);
	providers__copy(f.comment, sizeof f.comment, req_form(r, "comment"));
	int rc;
	if (r->fe.n) {
		struct order o;
		rc = providers__order_or_fail(r, r->params[0], &o);
		if (rc == 0)
			rc = REQ_FAIL(r, HERR_INVALID);
	} else {
		rc = providers__followup_or_fail(r, r->params[0], &f);
	}
	char url[64];
	order_url(url, sizeof url, r->params[0], "#uppfoljning");
	return after_post(r, rc, r->params[0], url);
}

int
providers_page_main_post(struct req *r)
{
	char url[64];
	order_url(url, sizeof url, r->params[0], "");
	return after_post(r, providers__main_or_fail(r, r->params[0]), r->params[0], url);
}

int
providers_page_end_post(struct req *r)
{
	const char *end = req_form(r, "end_date");
	int rc;
	if (!end || !*end) {
		field_error_add(&r->fe, "end_date", "ange sista dagen som ÅÅÅÅ-MM-DD");
		struct order o;
		rc = providers__order_or_fail(r, r->params[0], &o);
		if (rc == 0)
			rc = REQ_FAIL(r, HERR_INVALID);
	} else {
		rc = providers__end_or_fail(r, r->params[0], end, req_form(r, "reason"));
	}
	char url[64];
	order_url(url, sizeof url, r->params[0], "");
	return after_post(r, rc, r->params[0], url);
}

/* ---- change of provider ---------------------------------------------------------------- */

struct change_choices {
	struct db_conn *c;
	struct strbuf *sb;
	const struct order *o;
	const char *picked; /* the posted provider_id, NULL when none */
	char today[11];
	int shown;
};

/* One provider approved today for the order's service, other than its own, as a radio. */
static void
change_row(const struct provider *p, void *arg)
{
	struct change_choices *ch = arg;
	if (p->id == ch->o->ref.provider_id ||
	    providers_approved_for(ch->c, p->tenant_id, p->id, ch->o->ref.service_id) != 0 ||
	    !p->approved_from[0] || strcmp(p->approved_from, ch->today) > 0 ||
	    (p->approved_to[0] && strcmp(p->approved_to, ch->today) < 0))
		return;
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)p->id);
	struct strbuf *sb = ch->sb;
	HTML_RAW(sb, "<div class=\"radio\"><input type=\"radio\" name=\"provider_id\" id=\"f-p-");
	html_attr(sb, id);
	HTML_RAW(sb, "\" value=\"");
	html_attr(sb, id);
	HTML_RAW(sb, "\"");
	if (ch->picked && strcmp(ch->picked, id) == 0)
		HTML_RAW(sb, " checked");
	HTML_RAW(sb, "><label for=\"f-p-");
	html_attr(sb, id);
	HTML_RAW(sb, "\">");
	html_text(sb, p->name);
	HTML_RAW(sb, "</label></div>\n");
	ch->shown++;
}

static int
change_page(struct req *r, int64_t id, int status)
{
	struct order *o = xmalloc(sizeof *o);
	int rc = providers__order_or_fail(r, id, o);
	char name[300];
	struct strbuf radios;
	sb_init(&radios, 0);
	struct change_choices ch = {.sb = &radios, .o = o, .picked = req_form(r, "provider_id")};
	time_today(ch.today);
	if (rc == 0) {
		struct db_conn *c = db_reader(r->db);
		ch.c = c;
		providers__person_name(c, o->ref.tenant_id, o->ref.person_id, name, sizeof name);
		rc = providers_list(c, r->who.tenant_id, change_row, &ch);
		db_reader_done(r->db, c);
		if (rc == 0)
			rc = providers__audit_read(r, "order", o->ref.id, &o->ref.person_id, 1);
		else
			rc = REQ_FAIL(r, rc);
	}
	if (rc) {
		sb_release(&radios);
		free(o);
		return rc;
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Byt utförare", "/arenden");
	HTML_RAW(&sb, "<h1>Byt utförare: ");
	html_text(&sb, o->service_name);
	HTML_RAW(&sb, " för ");
	html_text(&sb, name);
	HTML_RAW(&sb, "</h1>\n");
	form_error_summary(&sb, r, change_fields, N(change_fields));
	HTML_RAW(&sb, "<p>Nu: <strong>");
	html_text(&sb, o->provider_name);
	HTML_RAW(&sb, "</strong> (");
	html_text(&sb, providers__state_word(o->ref.state));
	HTML_RAW(&sb, ", ");
	html_text(&sb, o->ref.from);
	HTML_RAW(&sb, " – ");
	html_text(&sb, o->ref.to[0] ? o->ref.to : "tills vidare");
	HTML_RAW(&sb, "). Den nuvarande beställningen avslutas på sista dagen och den nya skickas "
	              "i samma steg, med samma mål och omfattning.</p>\n");
	if ((strcmp(o->ref.state, "sent") != 0 && strcmp(o->ref.state, "accepted") != 0) ||
	    o->ref.ending) {
		HTML_RAW(&sb, "<p>Beställningen är inte längre pågående och kan inte bytas.</p>\n"
		              "<p><a href=\"/bestallningar/");
		html_int(&sb, o->ref.id);
		HTML_RAW(&sb, "\">Tillbaka till beställningen</a></p>\n");
	} else {
		char url[64];
		order_url(url, sizeof url, o->ref.id, "/byte");
		HTML_RAW(&sb, "<form method=\"post\" action=\"");
		html_attr(&sb, url);
		HTML_RAW(&sb, "\">\n");
		form_csrf(&sb, r);
		HTML_RAW(&sb, "<fieldset id=\"f-provider_id\" class=\"group radios");
		if (form_error_for(r, "provider_id"))
			HTML_RAW(&sb, " has-error");
		HTML_RAW(&sb, "\">\n<legend>Ny utförare</legend>\n");
		own_error(&sb, r, "provider_id");
		if (ch.shown)
			sb_add(&sb, radios.buf, radios.len);
		else
			HTML_RAW(&sb, "<p>Ingen annan utförare är godkänd för insatsen.</p>\n");
		HTML_RAW(&sb, "</fieldset>\n");
		const char *vals[] = {req_form(r, "end_date"), req_form(r, "from"),
		                      req_form(r, "message")};
		form_fields_html(&sb, r, change_fields + 1, N(change_fields) - 1, vals);
		HTML_RAW(&sb, "<button type=\"submit\">Byt utförare</button>\n</form>\n");
	}
	sb_release(&radios);
	free(o);
	return web_respond(r, status, &sb);
}

int
providers_page_change(struct req *r)
{
	return change_page(r, r->params[0], 200);
}

int
providers_page_change_post(struct req *r)
{
	struct providers__order_in in;
	memset(&in, 0, sizeof in);
	const char *p = req_form(r, "provider_id");
	char *endp = NULL;
	long long pid = p ? strtoll(p, &endp, 10) : 0;
	if (!p || !*p || *endp || pid < 1)
		field_error_add(&r->fe, "provider_id", "välj en utförare");
	in.provider_id = pid;
	const char *end = req_form(r, "end_date");
	const char *from = req_form(r, "from");
	int32_t day;
	if (!end || cal_parse(end, &day) != 0)
		field_error_add(&r->fe, "end_date", "ange sista dagen som ÅÅÅÅ-MM-DD");
	if (from && *from && cal_parse(from, &day) != 0)
		field_error_add(&r->fe, "from", "ange första dagen som ÅÅÅÅ-MM-DD");
	providers__copy(in.from, sizeof in.from, from);
	providers__copy(in.message, sizeof in.message, req_form(r, "message"));
	int rc;
	struct order *o = xmalloc(sizeof *o);
	if (r->fe.n) {
		rc = providers__order_or_fail(r, r->params[0], o);
		if (rc == 0)
			rc = REQ_FAIL(r, HERR_INVALID);
	} else {
		rc = providers__order_create_or_fail(r, 0, &in, r->params[0], end, o);
	}
	int64_t new_id = rc ? 0 : o->ref.id;
	free(o);
	if (rc == HERR_INVALID || rc == HERR_RULE || rc == HERR_CONFLICT)
		return change_page(r, r->params[0], herr_status(rc));
	if (rc)
		return rc;
	char url[64];
	order_url(url, sizeof url, new_id, "");
	req_redirect(r, url);
	return 0;
}

/* ---- orders not answered in time, for the work queue --------------------------------- */

struct overdue {
	struct db_conn *c;
	struct strbuf *sb;
	int64_t persons[100];
	int n;
};

static void
overdue_row(const struct order *o, void *arg)
{
	struct overdue *l = arg;
	char name[300];
	providers__person_name(l->c, o->ref.tenant_id, o->ref.person_id, name, sizeof name);
	struct strbuf *sb = l->sb;
	HTML_RAW(sb, "<tr><th scope=\"row\"><a href=\"/bestallningar/");
	html_int(sb, o->ref.id);
	HTML_RAW(sb, "\">");
	html_text(sb, name);
	HTML_RAW(sb, "</a></th><td>");
	html_text(sb, o->service_name);
	HTML_RAW(sb, "</td><td>");
	html_text(sb, o->provider_name);
	HTML_RAW(sb, "</td><td class=\"nowrap\">");
	html_text(sb, o->sent_date);
	HTML_RAW(sb, "</td><td class=\"nowrap\"><span class=\"badge badge-late\">");
	html_text(sb, o->answer_due);
	HTML_RAW(sb, "</span></td></tr>\n");
	for (int i = 0; i < l->n; i++)
		if (l->persons[i] == o->ref.person_id)
			return;
	if (l->n < (int)N(l->persons))
		l->persons[l->n++] = o->ref.person_id;
}

int
providers_overdue_html(struct req *r, struct strbuf *sb)
{
	struct overdue *l = xcalloc(1, sizeof *l);
	struct strbuf rows;
	sb_init(&rows, 0);
	l->sb = &rows;
	char today[11];
	time_today(today);
	struct db_conn *c = db_reader(r->db);
	l->c = c;
	int rc = providers_orders_overdue(c, r->who.tenant_id, r->who.user_id, today, 100,
	                                  overdue_row, l);
	db_reader_done(r->db, c);
	if (rc == 0 && l->n)
		rc = providers__audit_read(r, "order_list", r->who.user_id, l->persons, l->n);
	else if (rc)
		rc = REQ_FAIL(r, rc);
	if (rc == 0 && rows.len) {
		HTML_RAW(sb,
		         "<h2 id=\"obesvarade\">Beställningar som inte besvarats i tid</h2>\n"
		         "<p>Utföraren ska svara inom två arbetsdagar. Påminn utföraren eller "
		         "byt utförare.</p>\n<div class=\"table-wrap\" tabindex=\"0\" "
		         "role=\"region\" aria-labelledby=\"tabell-obesvarade\">\n<table>\n"
		         "<caption id=\"tabell-obesvarade\">Obesvarade beställningar</caption>\n"
		         "<thead><tr><th scope=\"col\">Kund</th><th scope=\"col\">Insats</th>"
		         "<th scope=\"col\">Utförare</th><th scope=\"col\">Skickad</th>"
		         "<th scope=\"col\">Svara senast</th></tr></thead>\n<tbody>\n");
		sb_add(sb, rows.buf, rows.len);
		HTML_RAW(sb, "</tbody>\n</table>\n</div>\n");
	}
	sb_release(&rows);
	free(l);
	return rc;
}
