/*
 * JSON routes of orders (beställning) and implementation plans (genomförandeplan). An order is
 * made by the caseworker from a granted or partly granted decision and carries exactly what the
 * provider needs: the scope and period, the decision's goals, and the parts of the
 * investigation the caseworker marked, copied into the order (never the whole file). The
 * provider's users accept or decline; a change of provider ends one order and starts another in
 * one transaction. Every read and write is audited; others get 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/calendar.h"
#include "base/err.h"
#include "base/json.h"
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

/* ---- creating an order --------------------------------------------------------------- */

struct picked {
	const struct providers__order_in *in;
	struct order_section *sec; /* PROVIDERS_MAX_SECTIONS of them */
	int n;
	bool found[PROVIDERS_MAX_SECTIONS];
};

static void
pick_section(const struct inv_section *s, void *arg)
{
	struct picked *p = arg;
	for (int i = 0; i < p->in->nsections; i++) {
		if (p->in->section_ids[i] != s->id || p->found[i])
			continue;
		p->found[i] = true;
		struct order_section *o = &p->sec[p->n++];
		o->position = s->position;
		providers__copy(o->heading, sizeof o->heading, s->heading);
		providers__copy(o->body, sizeof o->body, s->body);
	}
}

/* Copies the marked sections of the case's investigation into p->sec; field errors for ids
 * that are not sections of it. */
static void
pick_sections(struct req *r, int64_t case_id, struct picked *p)
{
	if (p->in->nsections == 0)
		return;
	struct investigation *inv = xcalloc(1, sizeof *inv);
	struct db_conn *c = db_reader(r->db);
	int rc = cases_investigation_get(c, r->who.tenant_id, case_id, inv);
	if (rc == 0)
		rc = cases_investigation_sections(c, inv, pick_section, p);
	db_reader_done(r->db, c);
	free(inv);
	for (int i = 0; i < p->in->nsections; i++) {
		if (p->found[i])
			continue;
		char f[48];
		snprintf(f, sizeof f, "sections[%d].section_id", i);
		field_error_add(&r->fe, f, "ingen sådan del i ärendets utredning");
	}
}

static int32_t
day_of(const char *s)
{
	int32_t d = 0;
	cal_parse(s, &d);
	return d;
}

/* Sets the period of the new order from the input and the decision; field errors when it
 * lies outside the decision's period. */
static void
order_period(struct req *r, const struct decision *d, const struct providers__order_in *in,
             const char *end_date, struct order_ref *ref)
{
	if (in->from[0])
		providers__copy(ref->from, sizeof ref->from, in->from);
	else if (end_date)
		cal_format(day_of(end_date) + 1, ref->from);
	else if (d->start_date[0])
		providers__copy(ref->from, sizeof ref->from, d->start_date);
	else
		time_today(ref->from);
	providers__copy(ref->to, sizeof ref->to, in->to[0] ? in->to : d->end_date);
	if (d->start_date[0] && strcmp(ref->from, d->start_date) < 0)
		field_error_add(&r->fe, "from", "börjar före beslutets period");
	if (end_date && strcmp(ref->from, end_date) <= 0)
		field_error_add(&r->fe, "from",
		                "ska börja efter den förra beställningens sista dag");
	if (d->end_date[0] && ref->to[0] && strcmp(ref->to, d->end_date) > 0)
		field_error_add(&r->fe, "to", "slutar efter beslutets period");
	if (d->end_date[0] && !ref->to[0])
		providers__copy(ref->to, sizeof ref->to, d->end_date);
	if (ref->to[0] && strcmp(ref->to, ref->from) < 0)
		field_error_add(&r->fe, "to", "slutar före början");
}

/* Checks the provider for the service; field error on provider_id when it is unknown or not
 * approved. 0 or a code. */
static int
provider_for(struct req *r, int64_t provider_id, int64_t service_id, struct provider *p)
{
	struct db_conn *c = db_reader(r->db);
	int rc = providers_get(c, r->who.tenant_id, provider_id, p);
	if (rc == 0)
		rc = providers_approved_for(c, r->who.tenant_id, provider_id, service_id);
	db_reader_done(r->db, c);
	if (rc == HERR_NOT_FOUND) {
		field_error_add(&r->fe, "provider_id",
		                "okänd utförare eller inte godkänd för insatsen");
		return HERR_RULE;
	}
	return rc;
}

int
providers__order_create_or_fail(struct req *r, int64_t decision_id,
                                const struct providers__order_in *in, int64_t old_id,
                                const char *end_date, struct order *o)
{
	struct decision *d = xcalloc(1, sizeof *d);
	struct order_section *sec = xcalloc(PROVIDERS_MAX_SECTIONS, sizeof *sec);
	struct case_row cs;
	struct order old;
	int rc = 0;
	if (old_id) {
		rc = providers__order_or_fail(r, old_id, &old);
		decision_id = old.ref.decision_id;
	}
	if (rc == 0)
		rc = providers__decision_or_fail(r, decision_id, d, &cs);
	if (rc)
		goto out;
	if (old_id && (strcmp(end_date, old.ref.from) < 0 ||
	               (old.ref.to[0] && strcmp(end_date, old.ref.to) > 0))) {
		field_error_add(&r->fe, "end_date",
		                "ska ligga inom den förra beställningens period");
		rc = REQ_FAIL(r, HERR_RULE);
		goto out;
	}
	if (strcmp(d->outcome, "refused") == 0) {
		field_error_add(&r->fe, "outcome", "ett avslag kan inte beställas hos en utförare");
		rc = REQ_FAIL(r, HERR_RULE);
		goto out;
	}
	if (d->replaced_by) {
		field_error_add(&r->fe, "decision_id", "beslutet är ersatt av ett nyare beslut");
		rc = REQ_FAIL(r, HERR_RULE);
		goto out;
	}
	if (d->closed_date[0]) {
		field_error_add(&r->fe, "decision_id",
		                d->executed_date[0] ? "beslutet är avslutat"
		                                    : "beslutet är avslutat utan verkställighet");
		rc = REQ_FAIL(r, HERR_RULE);
		goto out;
	}
	struct service sv;
	struct db_conn *c = db_reader(r->db);
	rc = cases_service_get(c, r->who.tenant_id, d->service, &sv);
	db_reader_done(r->db, c);
	if (rc) {
		rc = REQ_FAIL(r, rc);
		goto out;
	}
	struct provider p;
	rc = provider_for(r, in->provider_id, sv.id, &p);
	if (rc == 0 && old_id && old.ref.provider_id == in->provider_id) {
		field_error_add(&r->fe, "provider_id", "det är samma utförare som förut");
		rc = HERR_RULE;
	}
	if (rc) {
		rc = REQ_FAIL(r, rc);
		goto out;
	}
	memset(o, 0, sizeof *o);
	struct order_ref *ref = &o->ref;
	ref->tenant_id = r->who.tenant_id;
	ref->decision_id = d->id;
	ref->case_id = d->case_id;
	ref->person_id = d->person_id;
	ref->provider_id = p.id;
	ref->service_id = sv.id;
	providers__copy(ref->service_code, sizeof ref->service_code, sv.code);
	ref->granted_minutes_month = d->hours > 0 ? (int64_t)d->hours * 60 : 0;
	ref->main_responsible = in->main_responsible;
	providers__copy(o->service_name, sizeof o->service_name, sv.name);
	providers__copy(o->goals, sizeof o->goals, d->goals);
	providers__copy(o->message, sizeof o->message, in->message);
	struct strbuf scope;
	sb_init(&scope, sizeof o->scope_text - 1);
	cases__scope_text(&scope, d);
	providers__copy(o->scope_text, sizeof o->scope_text, scope.buf);
	sb_release(&scope);
	order_period(r, d, in, end_date, ref);
	struct picked pk = {.in = in, .sec = sec};
	pick_sections(r, cs.id, &pk);
	if (r->fe.n) {
		rc = REQ_FAIL(r, HERR_INVALID);
		goto out;
	}
	struct audit_entry e;
	req_audit_who(r, &e);
	if (old_id)
		rc = providers_order_change(r->db, r->who.tenant_id, old_id, end_date, o, sec, pk.n,
		                            &e);
	else
		rc = providers_order_create(r->db, o, sec, pk.n, &e);
	if (rc == HERR_CONFLICT)
		field_error_add(&r->fe, "decision_id",
		                "beslutet har redan en skickad eller accepterad beställning");
	if (rc == HERR_RULE)
		field_error_add(&r->fe, "end_date",
		                "bara en skickad eller accepterad beställning kan avslutas, inom "
		                "sin period");
	if (rc)
		rc = REQ_FAIL(r, rc);
	else
		r->audit_writes++;
out:
	free(sec);
	free(d);
	return rc;
}

/* ---- answers with an order ----------------------------------------------------------- */

static void
section_json(const struct order_section *s, void *arg)
{
	struct strbuf *sb = arg;
	providers__comma(sb);
	sb_addf(sb, "{\"position\":%d,\"heading\":", s->position);
	json_str(sb, s->heading);
	sb_adds(sb, ",\"body\":");
	json_str(sb, s->body);
	sb_addc(sb, '}');
}

static void
goal_json(const struct order_goal *g, void *arg)
{
	struct strbuf *sb = arg;
	providers__comma(sb);
	sb_addf(sb, "{\"id\":%lld,\"position\":%d,\"goal\":", (long long)g->id, g->position);
	json_str(sb, g->goal);
	sb_addc(sb, '}');
}

/* Appends the order with its sections and goals. */
static int
order_full_json(struct db_conn *c, struct strbuf *sb, const struct order *o)
{
	char today[11];
	time_today(today);
	providers__order_json(sb, o, today);
	sb->len--;
	sb_adds(sb, ",\"sections\":[");
	int rc = providers_order_sections(c, o->ref.tenant_id, o->ref.id, section_json, sb);
	sb_adds(sb, "],\"goals\":[");
	if (rc == 0)
		rc = providers_order_goals(c, o->ref.tenant_id, o->ref.id, goal_json, sb);
	sb_adds(sb, "]}");
	return rc ? rc : sb->err;
}

/* Answers with order id as stored now (after a write that was audited). */
static int
answer_order(struct req *r, int64_t id, int status)
{
	struct order *o = xmalloc(sizeof *o);
	struct strbuf sb;
	sb_init(&sb, 0);
	struct db_conn *c = db_reader(r->db);
	int rc = providers_order_get(c, r->who.tenant_id, id, o);
	if (rc == 0)
		rc = order_full_json(c, &sb, o);
	db_reader_done(r->db, c);
	free(o);
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	if (status == 201) {
		char loc[64];
		snprintf(loc, sizeof loc, "/api/v1/orders/%lld", (long long)id);
		req_header(r, "Location", loc);
	}
	req_json(r, status, &sb);
	return 0;
}

static const struct jfield section_item[] = {{"section_id", JF_INT, true, 0, NULL, 0}};

static const struct jfield order_fields[] = {
    {"provider_id", JF_INT, true, 0, NULL, 0},
    {"sections", JF_ARRAY, false, PROVIDERS_MAX_SECTIONS, section_item, 1},
    {"message", JF_STRING, false, 2000, NULL, 0},
    {"from", JF_DATE, false, 10, NULL, 0},
    {"to", JF_DATE, false, 10, NULL, 0},
    {"main_responsible", JF_BOOL, false, 0, NULL, 0},
    {"end_date", JF_DATE, false, 10, NULL, 0},
};

/* Reads an order's fields from obj into in. */
static void
read_order(const json_t *obj, struct providers__order_in *in)
{
	memset(in, 0, sizeof *in);
	in->provider_id = json_get_int(obj, "provider_id", 0);
	json_t *list = json_object_get(obj, "sections");
	for (size_t i = 0; json_is_array(list) && i < json_array_size(list); i++)
		in->section_ids[in->nsections++] =
		    json_get_int(json_array_get(list, i), "section_id", 0);
	providers__copy(in->message, sizeof in->message, json_get_str(obj, "message"));
	providers__copy(in->from, sizeof in->from, json_get_str(obj, "from"));
	providers__copy(in->to, sizeof in->to, json_get_str(obj, "to"));
	in->main_responsible = json_get_bool(obj, "main_responsible", false);
}

int
providers_api_order_create(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, order_fields, 6, &obj);
	if (rc)
		return rc;
	struct providers__order_in in;
	read_order(obj, &in);
	json_decref(obj);
	struct order *o = xmalloc(sizeof *o);
	rc = providers__order_create_or_fail(r, r->params[0], &in, 0, NULL, o);
	int64_t id = o->ref.id;
	free(o);
	return rc ? rc : answer_order(r, id, 201);
}

int
providers_api_change(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, order_fields, 7, &obj);
	if (rc)
		return rc;
	struct providers__order_in in;
	read_order(obj, &in);
	char end[11];
	providers__copy(end, sizeof end, json_get_str(obj, "end_date"));
	json_decref(obj);
	if (!end[0]) {
		field_error_add(&r->fe, "end_date", "den förra utförarens sista dag krävs");
		return REQ_FAIL(r, HERR_INVALID);
	}
	struct order *o = xmalloc(sizeof *o);
	rc = providers__order_create_or_fail(r, 0, &in, r->params[0], end, o);
	int64_t id = o->ref.id;
	free(o);
	return rc ? rc : answer_order(r, id, 201);
}

int
providers_api_order_get(struct req *r)
{
	struct order *o = xmalloc(sizeof *o);
	int rc = providers__order_or_fail(r, r->params[0], o);
	struct strbuf sb;
	sb_init(&sb, 0);
	if (rc == 0) {
		struct db_conn *c = db_reader(r->db);
		rc = order_full_json(c, &sb, o);
		db_reader_done(r->db, c);
		if (rc == 0)
			rc = providers__audit_read(r, "order", o->ref.id, &o->ref.person_id, 1);
		else
			rc = REQ_FAIL(r, rc);
	}
	free(o);
	if (rc) {
		sb_release(&sb);
		return rc;
	}
	req_json(r, 200, &sb);
	return 0;
}

struct order_list {
	struct strbuf *sb;
	char today[11];
	int64_t persons[200];
	int n;
};

static void
list_order(const struct order *o, void *arg)
{
	struct order_list *l = arg;
	providers__comma(l->sb);
	providers__order_json(l->sb, o, l->today);
	for (int i = 0; i < l->n; i++)
		if (l->persons[i] == o->ref.person_id)
			return;
	l->persons[l->n++] = o->ref.person_id;
}

/* Answers with a list of orders, one list record per distinct person. */
static int
answer_list(struct req *r, int64_t provider_id, int64_t case_id, const char *state)
{
	struct order_list *l = xcalloc(1, sizeof *l);
	time_today(l->today);
	struct strbuf sb;
	sb_init(&sb, 0);
	l->sb = &sb;
	sb_adds(&sb, "{\"items\":[");
	struct db_conn *c = db_reader(r->db);
	int rc = providers_orders(c, r->who.tenant_id, provider_id, case_id, 0, state, 200,
	                          list_order, l);
	db_reader_done(r->db, c);
	sb_adds(&sb, "],\"next_cursor\":null}");
	if (rc == 0)
		rc = sb.err;
	if (rc == 0)
		rc = providers__audit_read(r, "order_list", case_id ? case_id : provider_id,
		                           l->persons, l->n);
	else
		rc = REQ_FAIL(r, rc);
	free(l);
	if (rc) {
		sb_release(&sb);
		return rc;
	}
	req_json(r, 200, &sb);
	return 0;
}

int
providers_api_orders(struct req *r)
{
	const char *state = req_query(r, "state");
	if (state && *state && strcmp(state, "sent") != 0 && strcmp(state, "accepted") != 0 &&
	    strcmp(state, "ended") != 0) {
		field_error_add(&r->fe, "state", "ska vara sent, accepted eller ended");
		return REQ_FAIL(r, HERR_INVALID);
	}
	if (!providers__is_provider(r)) {
		field_error_add(&r->fe, "",
		                "kommunens personal listar beställningar per ärende: "
		                "/api/v1/cases/{id}/orders");
		return REQ_FAIL(r, HERR_INVALID);
	}
	return answer_list(r, r->who.provider_id, 0, state);
}

int
providers_api_case_orders(struct req *r)
{
	struct case_row cs;
	int rc = cases__load_or_fail(r, r->params[0], &cs);
	if (rc)
		return rc;
	return answer_list(r, 0, cs.id, NULL);
}

/* ---- the provider's answer and the caseworker's changes ------------------------------ */

int
providers__answer_or_fail(struct req *r, int64_t id, bool accept, const char *reason)
{
	struct order o;
	int rc = providers__order_or_fail(r, id, &o);
	if (rc)
		return rc;
	if (!accept && (!reason || !*reason)) {
		field_error_add(&r->fe, "reason", "skälet till att uppdraget avböjs krävs");
		return REQ_FAIL(r, HERR_INVALID);
	}
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = providers_order_answer(r->db, r->who.tenant_id, id, accept, reason,
	                            r->who.display_name[0] ? r->who.display_name : r->who.username,
	                            &e);
	if (rc == HERR_RULE)
		field_error_add(&r->fe, "state", "uppdraget är redan besvarat");
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	return 0;
}

static const struct jfield accept_fields[] = {{"note", JF_STRING, false, 500, NULL, 0}};
static const struct jfield decline_fields[] = {{"reason", JF_STRING, true, 1000, NULL, 0}};

int
providers_api_accept(struct req *r)
{
	if (r->body.len) {
		json_t *obj;
		int rc = req_decode_json(r, accept_fields, 1, &obj);
		if (rc)
			return rc;
		json_decref(obj);
	}
	int rc = providers__answer_or_fail(r, r->params[0], true, NULL);
	return rc ? rc : answer_order(r, r->params[0], 200);
}

int
providers_api_decline(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, decline_fields, 1, &obj);
	if (rc)
		return rc;
	char reason[1001];
	providers__copy(reason, sizeof reason, json_get_str(obj, "reason"));
	json_decref(obj);
	rc = providers__answer_or_fail(r, r->params[0], false, reason);
	return rc ? rc : answer_order(r, r->params[0], 200);
}

static const struct jfield end_fields[] = {
    {"end_date", JF_DATE, true, 10, NULL, 0},
    {"reason", JF_STRING, false, 500, NULL, 0},
};

int
providers__end_or_fail(struct req *r, int64_t id, const char *end_date, const char *reason)
{
	struct order o;
	int rc = providers__order_or_fail(r, id, &o);
	if (rc)
		return rc;
	int32_t day;
	if (!end_date || cal_parse(end_date, &day) != 0) {
		field_error_add(&r->fe, "end_date", "ange sista dagen som ÅÅÅÅ-MM-DD");
		return REQ_FAIL(r, HERR_INVALID);
	}
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = providers_order_end(r->db, r->who.tenant_id, o.ref.id, end_date, reason, &e);
	if (rc == HERR_RULE)
		field_error_add(&r->fe, "end_date",
		                "bara en skickad eller accepterad beställning kan avslutas, inom "
		                "sin period");
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	return 0;
}

int
providers_api_end(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, end_fields, 2, &obj);
	if (rc)
		return rc;
	char end[11], reason[501];
	providers__copy(end, sizeof end, json_get_str(obj, "end_date"));
	providers__copy(reason, sizeof reason, json_get_str(obj, "reason"));
	json_decref(obj);
	rc = providers__end_or_fail(r, r->params[0], end, reason);
	return rc ? rc : answer_order(r, r->params[0], 200);
}

int
providers__main_or_fail(struct req *r, int64_t id)
{
	struct order o;
	int rc = providers__order_or_fail(r, id, &o);
	if (rc)
		return rc;
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = providers_order_main(r->db, r->who.tenant_id, o.ref.id, &e);
	if (rc == HERR_RULE)
		field_error_add(&r->fe, "state", "bara en skickad eller accepterad beställning");
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	return 0;
}

int
providers_api_main(struct req *r)
{
	int rc = providers__main_or_fail(r, r->params[0]);
	return rc ? rc : answer_order(r, r->params[0], 200);
}

/* ---- implementation plans ------------------------------------------------------------ */

static void
item_json(const struct plan_item *it, void *arg)
{
	struct strbuf *sb = arg;
	providers__comma(sb);
	sb_addf(sb, "{\"id\":%lld,\"goal_id\":%lld,\"what\":", (long long)it->id,
	        (long long)it->goal_id);
	json_str(sb, it->what);
	sb_adds(sb, ",\"when\":");
	json_str(sb, it->when_text);
	sb_adds(sb, ",\"how\":");
	json_str(sb, it->how);
	sb_addc(sb, '}');
}

static void
followup_json(const struct followup *f, void *arg)
{
	struct strbuf *sb = arg;
	providers__comma(sb);
	sb_addf(sb, "{\"id\":%lld,\"goal_id\":%lld,\"date\":", (long long)f->id,
	        (long long)f->goal_id);
	json_str(sb, f->date);
	sb_adds(sb, ",\"status\":");
	json_str(sb, f->status);
	sb_adds(sb, ",\"comment\":");
	json_str(sb, f->comment);
	sb_adds(sb, ",\"by\":");
	json_str(sb, f->by_name);
	sb_addc(sb, '}');
}

/* Appends the plan of an order: goals, the plan (null when none) with items, follow-ups. */
static int
plan_json(struct db_conn *c, struct strbuf *sb, const struct order *o)
{
	int64_t t = o->ref.tenant_id;
	sb_addf(sb, "{\"order_id\":%lld,\"order_state\":", (long long)o->ref.id);
	json_str(sb, o->ref.state);
	sb_adds(sb, ",\"goals\":[");
	int rc = providers_order_goals(c, t, o->ref.id, goal_json, sb);
	sb_adds(sb, "],\"plan\":");
	struct plan *p = xmalloc(sizeof *p);
	int prc = rc ? rc : providers_plan_get(c, t, o->ref.id, p);
	if (prc == HERR_NOT_FOUND) {
		sb_adds(sb, "null,\"followups\":[]}");
	} else if (prc == 0) {
		sb_addf(sb, "{\"id\":%lld,\"version\":%lld,\"participation\":", (long long)p->id,
		        (long long)p->version);
		json_str(sb, p->participation);
		sb_adds(sb, ",\"written_by\":");
		json_str(sb, p->written_by_name);
		sb_adds(sb, ",\"updated_at\":\"");
		time_rfc3339(sb, p->updated_at);
		sb_adds(sb, "\",\"items\":[");
		rc = providers_plan_items(c, t, p->id, item_json, sb);
		sb_adds(sb, "]},\"followups\":[");
		if (rc == 0)
			rc = providers_followups(c, t, p->id, followup_json, sb);
		sb_adds(sb, "]}");
	} else {
		rc = prc;
	}
	free(p);
	return rc ? rc : sb->err;
}

static int
answer_plan(struct req *r, const struct order *o, int status, bool audit_read)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	struct db_conn *c = db_reader(r->db);
	int rc = plan_json(c, &sb, o);
	db_reader_done(r->db, c);
	if (rc)
		rc = REQ_FAIL(r, rc);
	else if (audit_read)
		rc = providers__audit_read(r, "plan", o->ref.id, &o->ref.person_id, 1);
	if (rc) {
		sb_release(&sb);
		return rc;
	}
	req_json(r, status, &sb);
	return 0;
}

int
providers_api_plan_get(struct req *r)
{
	struct order o;
	int rc = providers__order_or_fail(r, r->params[0], &o);
	return rc ? rc : answer_plan(r, &o, 200, true);
}

int
providers__plan_or_fail(struct req *r, int64_t id, struct plan *p, const struct plan_item *items,
                        int n)
{
	struct order o;
	int rc = providers__order_or_fail(r, id, &o);
	if (rc)
		return rc;
	if (!providers__is_provider(r))
		return REQ_FAIL(r, HERR_NOT_FOUND);
	if (!p->participation[0])
		field_error_add(&r->fe, "participation", "hur den enskilde har deltagit krävs");
	if (n == 0)
		field_error_add(&r->fe, "items", "minst en rad: vad, när och hur");
	for (int i = 0; i < n; i++) {
		char f[32];
		if (!items[i].what[0]) {
			snprintf(f, sizeof f, "items[%d].what", i);
			field_error_add(&r->fe, f, "vad som ska göras krävs");
		}
	}
	if (r->fe.n)
		return REQ_FAIL(r, HERR_INVALID);
	p->order_id = o.ref.id;
	providers__copy(p->written_by_name, sizeof p->written_by_name,
	                r->who.display_name[0] ? r->who.display_name : r->who.username);
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = providers_plan_save(r->db, r->who.tenant_id, o.ref.person_id, p, items, n, &e);
	if (rc == HERR_RULE)
		field_error_add(&r->fe, strcmp(o.ref.state, "accepted") == 0 ? "items" : "state",
		                strcmp(o.ref.state, "accepted") == 0
		                    ? "ett mål hör inte till beställningen"
		                    : "en plan skrivs bara för ett accepterat, pågående uppdrag");
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	return 0;
}

static const struct jfield item_fields[] = {
    {"goal_id", JF_INT, true, 0, NULL, 0},
    {"what", JF_STRING, true, 1000, NULL, 0},
    {"when", JF_STRING, false, 500, NULL, 0},
    {"how", JF_STRING, false, 1000, NULL, 0},
};
static const struct jfield plan_fields[] = {
    {"version", JF_INT, true, 0, NULL, 0},
    {"participation", JF_STRING, true, 2000, NULL, 0},
    {"items", JF_ARRAY, true, PROVIDERS_MAX_ITEMS, item_fields, 4},
};

int
providers_api_plan_put(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, plan_fields, 3, &obj);
	if (rc)
		return rc;
	struct plan *p = xcalloc(1, sizeof *p);
	p->version = json_get_int(obj, "version", 0);
	providers__copy(p->participation, sizeof p->participation,
	                json_get_str(obj, "participation"));
	json_t *list = json_object_get(obj, "items");
	int n = (int)json_array_size(list);
	struct plan_item *items = xcalloc((size_t)n + 1, sizeof *items);
	for (int i = 0; i < n; i++) {
		json_t *it = json_array_get(list, (size_t)i);
		items[i].goal_id = json_get_int(it, "goal_id", 0);
		providers__copy(items[i].what, sizeof items[i].what, json_get_str(it, "what"));
		providers__copy(items[i].when_text, sizeof items[i].when_text,
		                json_get_str(it, "when"));
		providers__copy(items[i].how, sizeof items[i].how, json_get_str(it, "how"));
	}
	json_decref(obj);
	rc = providers__plan_or_fail(r, r->params[0], p, items, n);
	free(items);
	free(p);
	if (rc)
		return rc;
	struct order o;
	struct db_conn *c = db_reader(r->db);
	rc = providers_order_get(c, r->who.tenant_id, r->params[0], &o);
	db_reader_done(r->db, c);
	return rc ? REQ_FAIL(r, rc) : answer_plan(r, &o, 200, false);
}

int
providers__followup_or_fail(struct req *r, int64_t id, struct followup *f)
{
	struct order o;
	int rc = providers__order_or_fail(r, id, &o);
	if (rc)
		return rc;
	if (strcmp(f->status, "met") != 0 && strcmp(f->status, "partly") != 0 &&
	    strcmp(f->status, "not_met") != 0)
		field_error_add(&r->fe, "status", "ska vara met, partly eller not_met");
	char today[11];
	time_today(today);
	if (!f->date[0])
		providers__copy(f->date, sizeof f->date, today);
	/* review 2026-11 finding 12: a follow-up is of what has happened, during the order. */
	if (strcmp(f->date, today) > 0)
		field_error_add(&r->fe, "date", "datumet kan inte ligga i framtiden");
	else if (strcmp(f->date, o.ref.from) < 0)
		field_error_add(&r->fe, "date", "datumet ligger före uppdragets början");
	if (r->fe.n)
		return REQ_FAIL(r, HERR_INVALID);
	providers__copy(f->by_name, sizeof f->by_name,
	                r->who.display_name[0] ? r->who.display_name : r->who.username);
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = providers_followup_add(r->db, r->who.tenant_id, o.ref.person_id, o.ref.id, f, &e);
	if (rc == HERR_NOT_FOUND) {
		field_error_add(&r->fe, "plan", "uppdraget har ingen genomförandeplan ännu");
		rc = HERR_RULE;
	} else if (rc == HERR_RULE) {
		field_error_add(&r->fe, "goal_id", "målet hör inte till beställningen");
	}
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	return 0;
}

static const struct jfield followup_fields[] = {
    {"goal_id", JF_INT, true, 0, NULL, 0},
    {"status", JF_STRING, true, 12, NULL, 0},
    {"comment", JF_STRING, false, 1000, NULL, 0},
    {"date", JF_DATE, false, 10, NULL, 0},
};

int
providers_api_followup(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, followup_fields, 4, &obj);
	if (rc)
		return rc;
	struct followup f;
	memset(&f, 0, sizeof f);
	f.goal_id = json_get_int(obj, "goal_id", 0);
	providers__copy(f.status, sizeof f.status, json_get_str(obj, "status"));
	providers__copy(f.comment, sizeof f.comment, json_get_str(obj, "comment"));
	providers__copy(f.date, sizeof f.date, json_get_str(obj, "date"));
	json_decref(obj);
	rc = providers__followup_or_fail(r, r->params[0], &f);
	if (rc)
		return rc;
	struct order o;
	struct db_conn *c = db_reader(r->db);
	rc = providers_order_get(c, r->who.tenant_id, r->params[0], &o);
	db_reader_done(r->db, c);
	return rc ? REQ_FAIL(r, rc) : answer_plan(r, &o, 201, false);
}
