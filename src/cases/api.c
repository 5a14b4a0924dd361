/*
 * JSON routes of the authority process (issue 3): catalogue, delegation order, intake (by a
 * caseworker or online by the citizen or a representative), the case view, assignment, state,
 * journal, IBIC assessments, decisions within the delegation order, decision letters and the
 * execution date. Every route loads the case through case_or_fail, which applies
 * cases_access; every read of a case is audited before the answer, every write in the same
 * transaction (cases.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_private.h"
#include "auth/auth.h"
#include "base/calendar.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cases.h"
#include "cases_api.h"
#include "db/db.h"
#include "http/http.h"
#include "letter.h"
#include "people/people.h"

static void
opt_text(struct strbuf *sb, const char *key, const char *v)
{
	sb_addf(sb, ",\"%s\":", key);
	if (v && *v)
		json_str(sb, v);
	else
		sb_adds(sb, "null");
}

static void
opt_int(struct strbuf *sb, const char *key, int64_t v)
{
	if (v >= 0)
		sb_addf(sb, ",\"%s\":%lld", key, (long long)v);
	else
		sb_addf(sb, ",\"%s\":null", key);
}

static void
comma(struct strbuf *sb)
{
	if (sb->len && sb->buf[sb->len - 1] != '[' && sb->buf[sb->len - 1] != '{')
		sb_addc(sb, ',');
}

/* ---- loading with access ---------------------------------------------------------- */

int
cases__load_or_fail(struct req *r, int64_t id, struct case_row *cs)
{
	struct db_conn *c = db_reader(r->db);
	int rc = cases_get(c, r->who.tenant_id, id, cs);
	if (rc == 0)
		rc = cases_access(c, &r->who, cs);
	db_reader_done(r->db, c);
	return rc ? REQ_FAIL(r, rc) : 0;
}

bool
cases__is_staff(const struct req *r)
{
	return (r->who.roles & (ROLE_ADMIN | ROLE_CASEWORKER | ROLE_UNIT_MANAGER)) != 0;
}

int
cases__audit_read(struct req *r, const struct case_row *cs, const char *entity)
{
	int64_t person = cs->person_id;
	return req_audit_reads(r, "read", entity, cs->id, &person, 1);
}

int
cases__audit_list(struct req *r, const int64_t *persons, int n)
{
	if (n == 0)
		return 0;
	return req_audit_reads(r, "list", "case", 0, persons, n);
}

/* ---- JSON of the module's rows ----------------------------------------------------- */

static void
case_json(struct strbuf *sb, const struct case_row *cs)
{
	sb_addf(sb, "{\"id\":%lld,\"case_number\":", (long long)cs->id);
	json_str(sb, cs->case_number);
	sb_addf(sb, ",\"person_id\":%lld,\"kind\":", (long long)cs->person_id);
	json_str(sb, cs->kind);
	sb_adds(sb, ",\"channel\":");
	json_str(sb, cs->channel);
	sb_adds(sb, ",\"state\":");
	json_str(sb, cs->state);
	sb_adds(sb, ",\"state_title\":");
	json_str(sb, cases_state_title(cs->state));
	sb_adds(sb, ",\"next_step\":");
	json_str(sb, cases_next_step(cs->state));
	sb_adds(sb, ",\"law\":");
	json_str(sb, cs->law);
	opt_int(sb, "unit_id", cs->unit_id ? cs->unit_id : -1);
	opt_int(sb, "caseworker_id", cs->caseworker_id ? cs->caseworker_id : -1);
	sb_adds(sb, ",\"received_date\":");
	json_str(sb, cs->received_date);
	sb_adds(sb, ",\"due_date\":");
	json_str(sb, cs->due_date);
	if (cs->refer_level) {
		sb_adds(sb, ",\"referred_to\":");
		json_str(sb, cases_level_name(cs->refer_level));
	} else {
		sb_adds(sb, ",\"referred_to\":null");
	}
	sb_adds(sb, ",\"summary\":");
	json_str(sb, cs->summary);
	sb_addf(sb, ",\"version\":%lld}", (long long)cs->version);
}

static void
request_json(const struct case_request *q, void *arg)
{
	struct strbuf *sb = arg;
	comma(sb);
	sb_adds(sb, "{\"service\":");
	json_str(sb, q->service);
	opt_int(sb, "hours_per_month", q->hours > 0 ? q->hours : -1);
	sb_adds(sb, ",\"description\":");
	json_str(sb, q->description);
	sb_addc(sb, '}');
}

static void
event_json(const struct case_event *ev, void *arg)
{
	struct strbuf *sb = arg;
	comma(sb);
	sb_addf(sb, "{\"id\":%lld,\"at\":\"", (long long)ev->id);
	time_rfc3339(sb, ev->at);
	sb_adds(sb, "\",\"username\":");
	json_str(sb, ev->username);
	sb_adds(sb, ",\"kind\":");
	json_str(sb, ev->kind);
	opt_text(sb, "from_state", ev->from_state);
	opt_text(sb, "to_state", ev->to_state);
	sb_adds(sb, ",\"detail\":");
	json_str(sb, ev->detail);
	sb_addc(sb, '}');
}

static void
note_json_one(struct strbuf *sb, const struct note *n)
{
	sb_addf(sb,
	        "{\"id\":%lld,\"case_id\":%lld,\"author_id\":%lld,\"author\":", (long long)n->id,
	        (long long)n->case_id, (long long)n->author_id);
	json_str(sb, n->author_name);
	sb_adds(sb, ",\"body\":");
	json_str(sb, n->body);
	opt_int(sb, "corrects_id", n->corrects_id ? n->corrects_id : -1);
	sb_addf(sb, ",\"signed\":%s,\"signed_at\":", n->signed_at ? "true" : "false");
	if (n->signed_at) {
		sb_addc(sb, '"');
		time_rfc3339(sb, n->signed_at);
		sb_addc(sb, '"');
	} else {
		sb_adds(sb, "null");
	}
	sb_addf(sb, ",\"version\":%lld,\"created_at\":\"", (long long)n->version);
	time_rfc3339(sb, n->created_at);
	sb_adds(sb, "\"}");
}

static void
note_json(const struct note *n, void *arg)
{
	comma(arg);
	note_json_one(arg, n);
}

static void
assessment_json(const struct assessment *a, void *arg)
{
	struct strbuf *sb = arg;
	comma(sb);
	sb_addf(sb, "{\"id\":%lld,\"life_area\":", (long long)a->id);
	json_str(sb, a->life_area);
	sb_adds(sb, ",\"source\":");
	json_str(sb, a->source);
	sb_adds(sb, ",\"functioning\":");
	json_str(sb, a->functioning);
	sb_adds(sb, ",\"own_view\":");
	json_str(sb, a->own_view);
	sb_adds(sb, ",\"goal\":");
	json_str(sb, a->goal);
	sb_addc(sb, '}');
}

/* ---- interruptions ------------------------------------------------------------------ */

static void
interruptions_add(const struct interruption *i, void *arg)
{
	struct interruptions *l = arg;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
	}
	l->v[l->n++] = *i;
}

int
cases__interruptions_load(struct db_conn *c, int64_t tenant, int64_t case_id, int64_t decision_id,
                          struct interruptions *l)
{
	memset(l, 0, sizeof *l);
	if (decision_id)
		return cases_decision_interruptions(c, tenant, decision_id, interruptions_add, l);
	return cases_interruptions(c, tenant, case_id, interruptions_add, l);
}

const char *
cases__interruption_state(const struct interruption *i, const struct decision *d)
{
	if (i->resumed_date[0])
		return "resumed";
	return d->closed_date[0] ? "closed" : "open";
}

static void
interruption_json_one(struct strbuf *sb, const struct interruption *i, const struct decision *d)
{
	sb_addf(sb, "{\"id\":%lld,\"decision_id\":%lld,\"case_id\":%lld,\"from_date\":",
	        (long long)i->id, (long long)i->decision_id, (long long)i->case_id);
	json_str(sb, i->from_date);
	sb_adds(sb, ",\"reason\":");
	json_str(sb, i->reason);
	opt_text(sb, "resumed_date", i->resumed_date);
	opt_text(sb, "delay_reason", i->delay_reason);
	const char *state = cases__interruption_state(i, d);
	sb_adds(sb, ",\"state\":");
	json_str(sb, state);
	/* Ended by the decision's closing: that day ends its wait. */
	opt_text(sb, "closed_date", strcmp(state, "closed") == 0 ? d->closed_date : "");
	sb_addc(sb, '}');
}

static void
decision_json_one(struct strbuf *sb, const struct decision *d, const struct interruptions *l)
{
	sb_addf(sb,
	        "{\"id\":%lld,\"case_id\":%lld,\"person_id\":%lld,\"service\":", (long long)d->id,
	        (long long)d->case_id, (long long)d->person_id);
	json_str(sb, d->service);
	sb_adds(sb, ",\"outcome\":");
	json_str(sb, d->outcome);
	opt_int(sb, "hours_per_month", d->hours);
	opt_int(sb, "hours_day", d->hours_day);
	opt_int(sb, "hours_evening", d->hours_evening);
	opt_int(sb, "hours_night", d->hours_night);
	opt_int(sb, "hours_weekend", d->hours_weekend);
	opt_text(sb, "start_date", d->start_date);
	opt_text(sb, "end_date", d->end_date);
	sb_adds(sb, ",\"goals\":");
	json_str(sb, d->goals);
	sb_adds(sb, ",\"legal_basis\":");
	json_str(sb, d->legal_basis);
	sb_adds(sb, ",\"reasoning\":");
	json_str(sb, d->reasoning);
	sb_addf(sb, ",\"decided_by\":%lld,\"decided_by_name\":", (long long)d->decided_by);
	json_str(sb, d->decided_by_name);
	sb_adds(sb, ",\"decided_level\":");
	json_str(sb, cases_level_name(d->decided_level));
	opt_text(sb, "delegation_point", d->delegation_point);
	sb_adds(sb, ",\"decision_date\":");
	json_str(sb, d->decision_date);
	opt_text(sb, "followup_date", d->followup_date);
	opt_text(sb, "executed_date", d->executed_date);
	opt_text(sb, "closed_date", d->closed_date);
	opt_text(sb, "closed_reason", d->closed_reason);
	opt_text(sb, "closed_note", d->closed_note);
	opt_int(sb, "replaces_id", d->replaces_id ? d->replaces_id : -1);
	opt_int(sb, "replaced_by", d->replaced_by ? d->replaced_by : -1);
	sb_adds(sb, ",\"interruptions\":[");
	int k = 0;
	for (int i = 0; l && i < l->n; i++) {
		if (l->v[i].decision_id != d->id)
			continue;
		if (k++)
			sb_addc(sb, ',');
		interruption_json_one(sb, &l->v[i], d);
	}
	sb_addf(sb, "],\"letter\":\"/api/v1/decisions/%lld/letter\"}", (long long)d->id);
}

/* The argument of decision_json: the answer and the case's interruptions. */
struct decisions_out {
	struct strbuf *sb;             /* the answer */
	const struct interruptions *l; /* the interruptions of the case */
};

static void
decision_json(const struct decision *d, void *arg)
{
	const struct decisions_out *o = arg;
	comma(o->sb);
	decision_json_one(o->sb, d, o->l);
}

/* Answers 200 with the decision as stored now and its interruptions. */
static int
answer_decision(struct req *r, int64_t tenant, int64_t id)
{
	struct decision d;
	struct interruptions l = {0};
	struct db_conn *c = db_reader(r->db);
	int rc = cases_decision_get(c, tenant, id, &d);
	if (rc == 0)
		rc = cases__interruptions_load(c, tenant, d.case_id, d.id, &l);
	db_reader_done(r->db, c);
	if (rc) {
		free(l.v);
		return REQ_FAIL(r, rc);
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	decision_json_one(&sb, &d, &l);
	free(l.v);
	req_json(r, 200, &sb);
	return 0;
}

static void
service_json(const struct service *sv, void *arg)
{
	struct strbuf *sb = arg;
	comma(sb);
	sb_adds(sb, "{\"code\":");
	json_str(sb, sv->code);
	sb_adds(sb, ",\"name\":");
	json_str(sb, sv->name);
	sb_adds(sb, ",\"law\":");
	json_str(sb, sv->law);
	sb_adds(sb, ",\"paragraph\":");
	json_str(sb, sv->paragraph);
	sb_adds(sb, ",\"measure\":");
	json_str(sb, sv->measure);
	sb_adds(sb, ",\"stats_code\":");
	json_str(sb, sv->stats_code);
	sb_addf(sb, ",\"fee_applies\":%s,\"customer_choice\":%s,\"followup_months\":%d}",
	        sv->fee_applies ? "true" : "false", sv->customer_choice ? "true" : "false",
	        sv->followup_months);
}

/* ---- catalogue and delegation ------------------------------------------------------ */

int
cases_api_services(struct req *r)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "{\"items\":[");
	struct db_conn *c = db_reader(r->db);
	int rc = cases_services(c, r->who.tenant_id, service_json, &sb);
	db_reader_done(r->db, c);
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	sb_adds(&sb, "],\"next_cursor\":null}");
	req_json(r, 200, &sb);
	return 0;
}

int
cases_api_delegation(struct req *r)
{
	struct delegation_rule *rules = NULL;
	int n = 0;
	struct db_conn *c = db_reader(r->db);
	int rc = cases_delegation(c, r->who.tenant_id, &rules, &n);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "{\"items\":[");
	for (int i = 0; i < n; i++) {
		comma(&sb);
		sb_adds(&sb, "{\"point\":");
		json_str(&sb, rules[i].point);
		sb_adds(&sb, ",\"service\":");
		json_str(&sb, rules[i].service);
		sb_adds(&sb, ",\"level\":");
		json_str(&sb, cases_level_name(rules[i].level));
		sb_addf(&sb, ",\"may_grant\":%s,\"may_refuse\":%s",
		        rules[i].may_grant ? "true" : "false",
		        rules[i].may_refuse ? "true" : "false");
		opt_int(&sb, "max_hours_per_month", rules[i].max_hours);
		opt_int(&sb, "max_months", rules[i].max_months);
		sb_addc(&sb, '}');
	}
	sb_adds(&sb, "],\"next_cursor\":null}");
	cases_rules_free(rules, n);
	req_json(r, 200, &sb);
	return 0;
}

/* ---- intake ----------------------------------------------------------------------- */

static const struct jfield request_fields[] = {
    {"service", JF_STRING, true, 40, NULL, 0},
    {"hours_per_month", JF_INT, false, 0, NULL, 0},
    {"description", JF_STRING, false, 1000, NULL, 0},
};

static const struct jfield self_fields[] = {
    {"life_area", JF_STRING, true, 60, NULL, 0},
    {"text", JF_STRING, true, 2000, NULL, 0},
    {"goal", JF_STRING, false, 1000, NULL, 0},
};

static const struct jfield create_fields[] = {
    {"person_id", JF_INT, true, 0, NULL, 0},
    {"kind", JF_STRING, false, 16, NULL, 0},
    {"summary", JF_STRING, false, 500, NULL, 0},
    {"requests", JF_ARRAY, false, 20, request_fields, 3},
    {"self_assessment", JF_ARRAY, false, 11, self_fields, 3},
    {"received_date", JF_DATE, false, 10, NULL, 0},
};

/* Whether the user may register a case for the person: staff with access to the person,
 * the citizen for themselves, a representative within a valid mandate. */
int
cases__may_apply_for(struct req *r, int64_t person_id)
{
	struct db_conn *c = db_reader(r->db);
	int rc = auth_person_access(c, &r->who, person_id);
	db_reader_done(r->db, c);
	return rc;
}

/* Hours per month as read, kept in range so that no value wraps: -1 below 0, 745 above 744
 * (both refused by the checks). */
static int
hours_in_range(long long h)
{
	return h < 0 ? -1 : h > 744 ? 745 : (int)h;
}

int
cases__apply(struct req *r, struct cases__application *a)
{
	struct case_row *cs = &a->cs;
	bool staff = cases__is_staff(r);
	cs->tenant_id = r->who.tenant_id;
	if (!cs->kind[0])
		str_copy(cs->kind, sizeof cs->kind, "application");
	str_copy(cs->channel, sizeof cs->channel, staff ? "caseworker" : "online");
	cs->submitted_by = r->who.user_id;
	if (staff)
		cs->unit_id = r->who.unit_id;
	if (strcmp(cs->kind, "application") != 0 && strcmp(cs->kind, "report") != 0)
		field_error_add(&r->fe, "kind",
		                "ska vara application (ansökan) eller report (anmälan)");
	if (!staff && strcmp(cs->kind, "application") != 0)
		field_error_add(&r->fe, "kind", "en invånare kan bara ansöka");
	if (!staff && cs->received_date[0])
		field_error_add(&r->fe, "received_date", "sätts av systemet vid e-ansökan");

	/* Requests: known, active services; hours only where the service counts hours. */
	struct db_conn *c = db_reader(r->db);
	for (int i = 0; i < a->nreqs; i++) {
		const struct case_request *q = &a->reqs[i];
		char field[64];
		struct service sv;
		if (cases_service_get(c, r->who.tenant_id, q->service, &sv) != 0) {
			snprintf(field, sizeof field, "requests[%d].service", i);
			field_error_add(&r->fe, field, "okänd insats; se /api/v1/services");
		} else if (q->hours && strcmp(sv.measure, "hours_per_month") != 0) {
			snprintf(field, sizeof field, "requests[%d].hours_per_month", i);
			field_error_add(&r->fe, field, "insatsen mäts inte i timmar");
		} else {
			/* Its name for the summary and the receipt, never the code. */
			str_copy(a->names[i], sizeof a->names[i], sv.name);
		}
		if (q->hours < 0 || q->hours > 744) {
			snprintf(field, sizeof field, "requests[%d].hours_per_month", i);
			field_error_add(&r->fe, field, "ska vara 0-744 timmar per månad");
		}
	}
	db_reader_done(r->db, c);
	for (int i = 0; i < a->nself; i++) {
		if (!cases_life_area_valid(a->self[i].life_area)) {
			char field[64];
			snprintf(field, sizeof field, "self_assessment[%d].life_area", i);
			field_error_add(&r->fe, field, "okänt livsområde (IBIC)");
		}
	}
	if (strcmp(cs->kind, "application") == 0 && a->nreqs == 0)
		field_error_add(&r->fe, "requests", "ange minst en insats som ansökan gäller");
	if (r->fe.n)
		return REQ_FAIL(r, HERR_INVALID);
	int rc = cases__may_apply_for(r, cs->person_id);
	if (rc)
		return REQ_FAIL(r, rc);
	if (!cs->summary[0]) {
		struct strbuf s;
		sb_init(&s, sizeof cs->summary - 1);
		sb_adds(&s, strcmp(cs->kind, "report") == 0 ? "Anmälan" : "Ansökan om ");
		for (int i = 0; i < a->nreqs; i++) {
			if (i)
				sb_adds(&s, ", ");
			sb_adds(&s, a->names[i]);
		}
		str_copy(cs->summary, sizeof cs->summary, s.buf);
		sb_release(&s);
	}
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = cases_create(r->db, cs, a->reqs, a->nreqs, &e);
	if (rc == 0)
		r->audit_writes++;
	/* The self-assessment per life area, the person's own words. */
	for (int i = 0; rc == 0 && i < a->nself; i++) {
		struct assessment *s = &a->self[i];
		s->case_id = cs->id;
		str_copy(s->source, sizeof s->source, "self");
		rc = cases_assessment_add(r->db, r->who.tenant_id, s, &e);
	}
	if (rc)
		return REQ_FAIL(r, rc == HERR_RULE ? HERR_INVALID : rc);
	return 0;
}

int
cases__missing(const struct cases__application *a,
               void (*fn)(const char *what, const struct case_request *q, void *arg), void *arg)
{
	int n = 0;
	for (int i = 0; i < a->nreqs; i++) {
		if (!a->reqs[i].description[0]) {
			struct strbuf s;
			sb_init(&s, 256);
			sb_addf(&s, "beskriv vad du behöver hjälp med (%s)",
			        a->names[i][0] ? a->names[i] : a->reqs[i].service);
			fn(s.buf, &a->reqs[i], arg);
			sb_release(&s);
			n++;
		}
	}
	if (a->nself == 0) {
		fn("självskattning: hur du klarar vardagen (IBIC-livsområden)", NULL, arg);
		n++;
	}
	return n;
}

void
cases__receipt(const struct cases__application *a, int nmissing, struct strbuf *sb)
{
	sb_addf(sb, "Vi har tagit emot ditt ärende %s den %s.%s", a->cs.case_number,
	        a->cs.received_date, nmissing ? " Komplettera gärna med det som saknas." : "");
}

static void
missing_json(const char *what, const struct case_request *q, void *arg)
{
	(void)q;
	struct strbuf *sb = arg;
	comma(sb);
	json_str(sb, what);
}

int
cases_api_create(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, create_fields, 6, &obj);
	if (rc)
		return rc;
	struct cases__application *a = xcalloc(1, sizeof *a);
	struct case_row *cs = &a->cs;
	cs->person_id = json_get_int(obj, "person_id", 0);
	str_copy(cs->kind, sizeof cs->kind, json_get_str(obj, "kind"));
	str_copy(cs->summary, sizeof cs->summary, json_get_str(obj, "summary"));
	str_copy(cs->received_date, sizeof cs->received_date, json_get_str(obj, "received_date"));
	const json_t *arr = json_object_get(obj, "requests");
	for (size_t i = 0; arr && i < json_array_size(arr) && a->nreqs < CASES_MAX_REQUESTS; i++) {
		const json_t *it = json_array_get(arr, i);
		struct case_request *q = &a->reqs[a->nreqs++];
		str_copy(q->service, sizeof q->service, json_get_str(it, "service"));
		str_copy(q->description, sizeof q->description, json_get_str(it, "description"));
		q->hours = hours_in_range(json_get_int(it, "hours_per_month", 0));
	}
	const json_t *self = json_object_get(obj, "self_assessment");
	for (size_t i = 0; self && i < json_array_size(self) && a->nself < CASES_MAX_SELF; i++) {
		const json_t *it = json_array_get(self, i);
		struct assessment *s = &a->self[a->nself++];
		str_copy(s->life_area, sizeof s->life_area, json_get_str(it, "life_area"));
		str_copy(s->own_view, sizeof s->own_view, json_get_str(it, "text"));
		str_copy(s->goal, sizeof s->goal, json_get_str(it, "goal"));
	}
	json_decref(obj);
	rc = cases__apply(r, a);
	if (rc) {
		free(a);
		return rc;
	}
	/* The receipt: case number at once, and what is still missing. */
	struct strbuf sb;
	sb_init(&sb, 0);
	case_json(&sb, cs);
	sb.len--;
	sb_adds(&sb, ",\"missing\":[");
	int nmissing = cases__missing(a, missing_json, &sb);
	sb_adds(&sb, "],\"receipt\":");
	struct strbuf msg;
	sb_init(&msg, 1024);
	cases__receipt(a, nmissing, &msg);
	json_str(&sb, msg.buf);
	sb_release(&msg);
	sb_addc(&sb, '}');
	char loc[64];
	snprintf(loc, sizeof loc, "/api/v1/cases/%lld", (long long)cs->id);
	free(a);
	req_header(r, "Location", loc);
	req_json(r, 201, &sb);
	return 0;
}

/* ---- lists and the case view ------------------------------------------------------- */

struct listing {
	struct strbuf *sb;
	int64_t persons[200];
	int n;
};

static void
list_case(const struct case_row *cs, void *arg)
{
	struct listing *l = arg;
	comma(l->sb);
	case_json(l->sb, cs);
	if (l->n < 200)
		l->persons[l->n++] = cs->person_id;
}

struct referred {
	struct case_row *v; /* the cases, owned */
	int n, cap;         /* used and allocated */
};

static void
referred_add(const struct case_row *cs, void *arg)
{
	struct referred *l = arg;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
	}
	l->v[l->n++] = *cs;
}

int
cases__referred(struct req *r, int limit, void (*fn)(const struct case_row *, void *), void *arg)
{
	int level;
	if (r->who.roles & ROLE_ADMIN)
		level = 0;
	else if (r->who.roles & ROLE_UNIT_MANAGER)
		level = LEVEL_UNIT_MANAGER;
	else
		return HERR_FORBIDDEN;
	struct referred l = {0};
	struct db_conn *c = db_reader(r->db);
	int rc = cases_list_referred(c, r->who.tenant_id, level, limit, referred_add, &l);
	for (int i = 0; rc == 0 && i < l.n; i++)
		if (cases_access(c, &r->who, &l.v[i]) == 0)
			fn(&l.v[i], arg);
	db_reader_done(r->db, c);
	free(l.v);
	return rc;
}

/* The representative's principals, each to be checked with auth_person_access. */
struct principal_ids {
	int64_t id[50]; /* persons.id */
	int n;          /* entries used */
};

static void
principal_id(int64_t id, void *arg)
{
	struct principal_ids *p = arg;
	if (p->n < (int)(sizeof p->id / sizeof p->id[0]))
		p->id[p->n++] = id;
}

/* Adds to l the cases of every person a representative has a valid mandate for today (the
 * same check as Mina sidor: cases_principals, then auth_person_access), within limit rows in
 * all. Nothing for a user who represents nobody. */
static int
principal_cases(struct db_conn *c, const struct req *r, int limit, struct listing *l)
{
	if (!(r->who.roles & ROLE_REPRESENTATIVE) || !r->who.person_id)
		return 0;
	struct principal_ids p = {.n = 0};
	int rc = cases_principals(c, r->who.tenant_id, r->who.person_id,
	                          (int)(sizeof p.id / sizeof p.id[0]), principal_id, &p);
	for (int i = 0; rc == 0 && i < p.n && l->n < limit; i++) {
		if (p.id[i] == r->who.person_id || auth_person_access(c, &r->who, p.id[i]) != 0)
			continue;
		rc = cases_list(c, r->who.tenant_id, 0, p.id[i], -1, limit - l->n, list_case, l);
	}
	return rc;
}

int
cases_api_list(struct req *r)
{
	int64_t limit, person = 0, worker = 0, unassigned = -1;
	int rc = req_query_int(r, "limit", 50, 200, &limit);
	if (rc)
		return rc;
	const char *pq = req_query(r, "person_id");
	const char *queue = req_query(r, "queue");
	const char *un = req_query(r, "unassigned");
	const char *ref = req_query(r, "referred");
	bool referred = false, mine = false;
	if (pq && *pq) {
		rc = req_query_int(r, "person_id", 0, INT64_MAX, &person);
		if (rc)
			return rc;
		rc = cases__may_apply_for(r, person);
		if (rc)
			return REQ_FAIL(r, rc);
	} else if (!cases__is_staff(r)) {
		if (!r->who.person_id)
			return REQ_FAIL(r, HERR_NOT_FOUND);
		person = r->who.person_id;
		mine = true;
	} else if (ref && strcmp(ref, "true") == 0) {
		referred = true;
	} else if (ref && *ref) {
		field_error_add(&r->fe, "referred", "ska vara true");
		return REQ_FAIL(r, HERR_INVALID);
	} else if (un && strcmp(un, "true") == 0) {
		unassigned = r->who.unit_id;
	} else if (!queue || strcmp(queue, "me") == 0) {
		worker = r->who.user_id;
	} else {
		field_error_add(&r->fe, "queue", "ska vara me");
		return REQ_FAIL(r, HERR_INVALID);
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "{\"items\":[");
	struct listing l = {.sb = &sb};
	if (referred) {
		rc = cases__referred(r, (int)limit, list_case, &l);
	} else {
		struct db_conn *c = db_reader(r->db);
		rc = cases_list(c, r->who.tenant_id, worker, person, unassigned, (int)limit,
		                list_case, &l);
		if (rc == 0 && mine)
			rc = principal_cases(c, r, (int)limit, &l);
		db_reader_done(r->db, c);
	}
	if (rc == 0)
		rc = cases__audit_list(r, l.persons, l.n);
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	sb_adds(&sb, "],\"next_cursor\":null}");
	req_json(r, 200, &sb);
	return 0;
}

int
cases_api_get(struct req *r)
{
	struct case_row cs;
	int rc = cases__load_or_fail(r, r->params[0], &cs);
	if (rc)
		return rc;
	bool staff = cases__is_staff(r);
	struct strbuf sb;
	sb_init(&sb, 0);
	case_json(&sb, &cs);
	sb.len--;
	struct db_conn *c = db_reader(r->db);
	sb_adds(&sb, ",\"requests\":[");
	rc = cases_requests(c, cs.tenant_id, cs.id, request_json, &sb);
	sb_adds(&sb, "],\"timeline\":[");
	if (rc == 0)
		rc = cases_events(c, cs.tenant_id, cs.id, event_json, &sb);
	sb_adds(&sb, "],\"assessments\":[");
	if (rc == 0)
		rc = cases_assessments(c, cs.tenant_id, cs.id, assessment_json, &sb);
	sb_adds(&sb, "],\"decisions\":[");
	struct interruptions il = {0};
	if (rc == 0)
		rc = cases__interruptions_load(c, cs.tenant_id, cs.id, 0, &il);
	struct decisions_out out = {&sb, &il};
	if (rc == 0)
		rc = cases_decisions(c, cs.tenant_id, cs.id, decision_json, &out);
	free(il.v);
	sb_addc(&sb, ']');
	if (staff) {
		sb_adds(&sb, ",\"journal\":[");
		if (rc == 0)
			rc = cases_notes(c, cs.tenant_id, cs.id, note_json, &sb);
		sb_addc(&sb, ']');
	}
	sb_addc(&sb, '}');
	db_reader_done(r->db, c);
	if (rc == 0)
		rc = cases__audit_read(r, &cs, "case");
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	req_json(r, 200, &sb);
	return 0;
}

/* ---- investigation ---------------------------------------------------------------- */

/* Answers with the case as it is now. */
static int
answer_case(struct req *r, int64_t id, int status)
{
	struct case_row cs;
	struct db_conn *c = db_reader(r->db);
	int rc = cases_get(c, r->who.tenant_id, id, &cs);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	struct strbuf sb;
	sb_init(&sb, 0);
	case_json(&sb, &cs);
	req_json(r, status, &sb);
	return 0;
}

static const struct jfield assign_fields[] = {
    {"caseworker_id", JF_INT, false, 0, NULL, 0},
    {"unit_id", JF_INT, false, 0, NULL, 0},
};

int
cases__assign_or_fail(struct req *r, int64_t id, int64_t worker, int64_t unit)
{
	struct case_row cs;
	int rc = cases__load_or_fail(r, id, &cs);
	if (rc)
		return rc;
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = cases_assign(r->db, cs.tenant_id, cs.id, worker, unit, &e);
	if (rc == HERR_RULE)
		field_error_add(&r->fe, "caseworker_id", "ingen sådan handläggare i kommunen");
	if (rc)
		return REQ_FAIL(r, rc == HERR_RULE ? HERR_INVALID : rc);
	r->audit_writes++;
	return 0;
}

int
cases_api_assign(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, assign_fields, 2, &obj);
	if (rc)
		return rc;
	int64_t worker = json_get_int(obj, "caseworker_id", r->who.user_id);
	int64_t unit = json_get_int(obj, "unit_id", r->who.unit_id);
	json_decref(obj);
	rc = cases__assign_or_fail(r, r->params[0], worker, unit);
	if (rc)
		return rc;
	return answer_case(r, r->params[0], 200);
}

static const struct jfield state_fields[] = {
    {"to", JF_STRING, true, 16, NULL, 0},
    {"detail", JF_STRING, false, 500, NULL, 0},
};

int
cases__move_or_fail(struct req *r, int64_t id, const char *to, const char *detail)
{
	struct case_row cs;
	int rc = cases__load_or_fail(r, id, &cs);
	if (rc)
		return rc;
	if (!cases_state_valid(to)) {
		field_error_add(&r->fe, "to", "okänt tillstånd");
		return REQ_FAIL(r, HERR_INVALID);
	}
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = cases_transition(r->db, cs.tenant_id, cs.id, to, detail ? detail : "", &e);
	if (rc == HERR_RULE) {
		char msg[160];
		snprintf(msg, sizeof msg, "ärendet kan inte gå från %s till %s",
		         cases_state_title(cs.state), cases_state_title(to));
		field_error_add(&r->fe, "to", msg);
	}
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	return 0;
}

const char *
cases__withdraw_detail(const struct req *r)
{
	return cases__is_staff(r) ? "Ansökan återtagen (registrerat av handläggare)"
	                          : "Ansökan återtagen av den enskilde";
}

int
cases_api_state(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, state_fields, 2, &obj);
	if (rc)
		return rc;
	char to[17], detail[501];
	str_copy(to, sizeof to, json_get_str(obj, "to"));
	str_copy(detail, sizeof detail, json_get_str(obj, "detail"));
	json_decref(obj);
	rc = cases__move_or_fail(r, r->params[0], to, detail);
	return rc ? rc : answer_case(r, r->params[0], 200);
}

int
cases_api_withdraw(struct req *r)
{
	int rc = cases__move_or_fail(r, r->params[0], "withdrawn", cases__withdraw_detail(r));
	return rc ? rc : answer_case(r, r->params[0], 200);
}

static const struct jfield note_fields[] = {
    {"body", JF_STRING, true, 8000, NULL, 0},
    {"corrects_id", JF_INT, false, 0, NULL, 0},
};

static const struct jfield note_patch_fields[] = {
    {"body", JF_STRING, true, 8000, NULL, 0},
    {"version", JF_INT, true, 0, NULL, 0},
};

static int
answer_note(struct req *r, const struct note *n, int status)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	note_json_one(&sb, n);
	req_json(r, status, &sb);
	return 0;
}

int
cases__note_add_or_fail(struct req *r, int64_t case_id, struct note *n)
{
	struct case_row cs;
	int rc = cases__load_or_fail(r, case_id, &cs);
	if (rc)
		return rc;
	n->case_id = cs.id;
	n->author_id = r->who.user_id;
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = cases_note_add(r->db, cs.tenant_id, n, r->who.display_name, &e);
	if (rc == HERR_RULE)
		field_error_add(&r->fe, "corrects_id",
		                "kan bara rätta en signerad anteckning i samma ärende");
	if (rc)
		return REQ_FAIL(r, rc == HERR_RULE ? HERR_INVALID : rc);
	r->audit_writes++;
	return 0;
}

int
cases_api_note_add(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, note_fields, 2, &obj);
	if (rc)
		return rc;
	struct note n;
	memset(&n, 0, sizeof n);
	str_copy(n.body, sizeof n.body, json_get_str(obj, "body"));
	n.corrects_id = json_get_int(obj, "corrects_id", 0);
	json_decref(obj);
	rc = cases__note_add_or_fail(r, r->params[0], &n);
	return rc ? rc : answer_note(r, &n, 201);
}

int
cases__note_or_fail(struct req *r, int64_t id, struct note *n, struct case_row *cs)
{
	struct db_conn *c = db_reader(r->db);
	int rc = cases_note_get(c, r->who.tenant_id, id, n);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	return cases__load_or_fail(r, n->case_id, cs);
}

int
cases__note_update_or_fail(struct req *r, int64_t id, const char *body, int64_t version,
                           struct note *n)
{
	struct case_row cs;
	int rc = cases__note_or_fail(r, id, n, &cs);
	if (rc)
		return rc;
	str_copy(n->body, sizeof n->body, body);
	n->version = version;
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = cases_note_update(r->db, cs.tenant_id, n, &e);
	if (rc == HERR_CONFLICT)
		field_error_add(&r->fe, "body",
		                "anteckningen är signerad och kan inte ändras; skriv en rättelse");
	if (rc == HERR_STALE)
		field_error_add(&r->fe, "version", "anteckningen har ändrats; läs om");
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	return 0;
}

int
cases_api_note_patch(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, note_patch_fields, 2, &obj);
	if (rc)
		return rc;
	char *body = xstrdup(json_get_str(obj, "body"));
	int64_t version = json_get_int(obj, "version", 0);
	json_decref(obj);
	struct note n;
	rc = cases__note_update_or_fail(r, r->params[0], body, version, &n);
	free(body);
	return rc ? rc : answer_note(r, &n, 200);
}

int
cases__note_sign_or_fail(struct req *r, int64_t id, struct note *n)
{
	struct case_row cs;
	int rc = cases__note_or_fail(r, id, n, &cs);
	if (rc)
		return rc;
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = cases_note_sign(r->db, cs.tenant_id, n->id, r->who.user_id, n, &e);
	if (rc == HERR_CONFLICT)
		field_error_add(&r->fe, "id", "anteckningen är redan signerad");
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	return 0;
}

int
cases_api_note_sign(struct req *r)
{
	struct note n;
	int rc = cases__note_sign_or_fail(r, r->params[0], &n);
	return rc ? rc : answer_note(r, &n, 200);
}

static const struct jfield assessment_fields[] = {
    {"life_area", JF_STRING, true, 60, NULL, 0},
    {"functioning", JF_STRING, true, 2000, NULL, 0},
    {"own_view", JF_STRING, false, 2000, NULL, 0},
    {"goal", JF_STRING, false, 1000, NULL, 0},
};

int
cases__assessment_add_or_fail(struct req *r, int64_t case_id, struct assessment *a)
{
	str_copy(a->source, sizeof a->source, "caseworker");
	if (!cases_life_area_valid(a->life_area)) {
		field_error_add(&r->fe, "life_area", "okänt livsområde (IBIC)");
		return REQ_FAIL(r, HERR_INVALID);
	}
	struct case_row cs;
	int rc = cases__load_or_fail(r, case_id, &cs);
	if (rc)
		return rc;
	a->case_id = cs.id;
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = cases_assessment_add(r->db, cs.tenant_id, a, &e);
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	return 0;
}

int
cases_api_assessment_add(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, assessment_fields, 4, &obj);
	if (rc)
		return rc;
	struct assessment *a = xcalloc(1, sizeof *a);
	str_copy(a->life_area, sizeof a->life_area, json_get_str(obj, "life_area"));
	str_copy(a->functioning, sizeof a->functioning, json_get_str(obj, "functioning"));
	str_copy(a->own_view, sizeof a->own_view, json_get_str(obj, "own_view"));
	str_copy(a->goal, sizeof a->goal, json_get_str(obj, "goal"));
	json_decref(obj);
	rc = cases__assessment_add_or_fail(r, r->params[0], a);
	if (rc == 0) {
		struct strbuf sb;
		sb_init(&sb, 0);
		assessment_json(a, &sb);
		req_json(r, 201, &sb);
	}
	free(a);
	return rc;
}

/* ---- decisions --------------------------------------------------------------------- */

static const struct jfield decide_fields[] = {
    {"service", JF_STRING, true, 40, NULL, 0},       {"outcome", JF_STRING, true, 16, NULL, 0},
    {"hours_per_month", JF_INT, false, 0, NULL, 0},  {"hours_day", JF_INT, false, 0, NULL, 0},
    {"hours_evening", JF_INT, false, 0, NULL, 0},    {"hours_night", JF_INT, false, 0, NULL, 0},
    {"hours_weekend", JF_INT, false, 0, NULL, 0},    {"start_date", JF_DATE, false, 10, NULL, 0},
    {"end_date", JF_DATE, false, 10, NULL, 0},       {"goals", JF_STRING, false, 2000, NULL, 0},
    {"legal_basis", JF_STRING, false, 300, NULL, 0}, {"reasoning", JF_STRING, true, 8000, NULL, 0},
    {"replaces_id", JF_INT, false, 0, NULL, 0},      {"refer", JF_BOOL, false, 0, NULL, 0},
};

static int
outcome_code(const char *s)
{
	if (strcmp(s, "granted") == 0)
		return OUTCOME_GRANTED;
	if (strcmp(s, "partly_granted") == 0)
		return OUTCOME_PARTLY_GRANTED;
	if (strcmp(s, "refused") == 0)
		return OUTCOME_REFUSED;
	return 0;
}

int
cases__user_level(const struct req *r)
{
	if (r->who.roles & ROLE_UNIT_MANAGER)
		return LEVEL_UNIT_MANAGER;
	return LEVEL_CASEWORKER;
}

/* Hours per month of a decision as read: -1 when not given, -2 below that and 745 above 744
 * (both refused by the checks), so that no value wraps. */
static int
decision_hours(long long h)
{
	return h < -1 ? -2 : h > 744 ? 745 : (int)h;
}

/* Checks the decision's fields against its service; field errors into r->fe. */
static void
decision_check(struct req *r, const struct service *sv, struct decision *d)
{
	static const char *const split[] = {"hours_day", "hours_evening", "hours_night",
	                                    "hours_weekend"};
	const int parts[] = {d->hours_day, d->hours_evening, d->hours_night, d->hours_weekend};
	int sum = 0;
	bool any = false;
	for (int i = 0; i < 4; i++) {
		if (parts[i] >= 0) {
			any = true;
			sum += parts[i];
		}
		if (parts[i] < -1 || parts[i] > 744)
			field_error_add(&r->fe, split[i], "ska vara 0-744 timmar per månad");
	}
	if (!d->legal_basis[0])
		snprintf(d->legal_basis, sizeof d->legal_basis, "%s %s", sv->paragraph,
		         strcmp(sv->law, "LSS") == 0 ? "LSS" : "socialtjänstlagen (2025:400)");
	bool refused = strcmp(d->outcome, "refused") == 0;
	bool hourly = strcmp(sv->measure, "hours_per_month") == 0;
	if (!refused) {
		if (!d->start_date[0])
			field_error_add(&r->fe, "start_date",
			                "ange från vilket datum insatsen gäller");
		if (d->end_date[0] && strcmp(d->end_date, d->start_date) < 0)
			field_error_add(&r->fe, "end_date", "slutdatum före startdatum");
		if (hourly && (d->hours < 1 || d->hours > 744))
			field_error_add(&r->fe, "hours_per_month",
			                "ange beviljade timmar per månad (1-744)");
		if (!hourly && d->hours >= 0)
			field_error_add(&r->fe, "hours_per_month", "insatsen mäts inte i timmar");
		if (any && hourly && sum != d->hours)
			field_error_add(&r->fe, "hours_day",
			                "dag, kväll, natt och helg ska tillsammans bli timmarna per"
			                " månad");
	} else if (d->hours >= 0 || any) {
		field_error_add(&r->fe, "hours_per_month", "ett avslag har ingen omfattning");
	}
	if (!d->reasoning[0])
		field_error_add(&r->fe, "reasoning", "skälen för beslutet ska anges (FL 32 §)");
}

/* Whether a service is applied for in a case and has no decision there yet. */
struct undecided {
	const char *service; /* the service code asked about */
	bool applied;        /* a request of the case names it */
	bool decided;        /* a decision of the case names it */
};

static void
undecided_req(const struct case_request *q, void *arg)
{
	struct undecided *u = arg;
	u->applied |= strcmp(q->service, u->service) == 0;
}

static void
undecided_dec(const struct decision *d, void *arg)
{
	struct undecided *u = arg;
	u->decided |= strcmp(d->service, u->service) == 0;
}

static int
undecided_request(struct db_conn *c, const struct case_row *cs, const char *service,
                  bool *undecided /* out */)
{
	struct undecided u = {service, false, false};
	int rc = cases_requests(c, cs->tenant_id, cs->id, undecided_req, &u);
	if (rc == 0)
		rc = cases_decisions(c, cs->tenant_id, cs->id, undecided_dec, &u);
	if (rc == 0)
		*undecided = u.applied && !u.decided;
	return rc;
}

int
cases__decide_or_fail(struct req *r, int64_t case_id, struct decision *d, bool refer, int *level)
{
	int outcome = outcome_code(d->outcome);
	if (!outcome)
		field_error_add(&r->fe, "outcome",
		                "ska vara granted, partly_granted eller refused");
	struct case_row cs;
	int rc = cases__load_or_fail(r, case_id, &cs);
	if (rc)
		return rc;
	struct service sv;
	struct delegation_rule *rules = NULL;
	int nrules = 0;
	struct db_conn *c = db_reader(r->db);
	int src = cases_service_get(c, cs.tenant_id, d->service, &sv);
	if (src == 0)
		rc = cases_delegation(c, cs.tenant_id, &rules, &nrules);
	db_reader_done(r->db, c);
	if (src)
		field_error_add(&r->fe, "service", "okänd insats; se /api/v1/services");
	else if (outcome)
		decision_check(r, &sv, d);
	if (rc == 0 && r->fe.n)
		rc = HERR_INVALID;
	if (rc) {
		cases_rules_free(rules, nrules);
		return REQ_FAIL(r, rc);
	}
	bool undecided = false;
	c = db_reader(r->db);
	rc = undecided_request(c, &cs, d->service, &undecided);
	db_reader_done(r->db, c);
	if (rc == 0 && !cases_decision_state_ok(cs.state, undecided)) {
		field_error_add(
		    &r->fe, "state",
		    "beslut fattas i ett ärende under utredning eller uppföljning, eller "
		    "om en sökt insats som ännu inte har prövats");
		rc = HERR_RULE;
	}
	if (rc) {
		cases_rules_free(rules, nrules);
		return REQ_FAIL(r, rc);
	}

	/* An investigation, when there is one, must have its required sections written. */
	struct investigation *inv = xcalloc(1, sizeof *inv);
	c = db_reader(r->db);
	rc = cases_investigation_get(c, cs.tenant_id, cs.id, inv);
	struct strbuf miss;
	sb_init(&miss, 0);
	if (rc == 0) {
		sb_adds(&miss, "utredningen saknar: ");
		rc = cases__inv_missing(c, inv, &miss);
	} else if (rc == HERR_NOT_FOUND) {
		rc = 0;
	}
	db_reader_done(r->db, c);
	free(inv);
	if (rc > 0)
		field_error_add(&r->fe, "investigation", miss.buf);
	sb_release(&miss);
	if (rc) {
		cases_rules_free(rules, nrules);
		return REQ_FAIL(r, rc > 0 ? HERR_RULE : rc);
	}

	/* The delegation order decides who may decide. */
	int32_t start = 0, end = -1;
	if (d->start_date[0])
		cal_parse(d->start_date, &start);
	if (d->end_date[0])
		cal_parse(d->end_date, &end);
	struct decision_ask ask = {d->service, outcome, d->hours > 0 ? d->hours : 0,
	                           end >= 0 ? cases_period_months(start, end) : -1};
	const struct delegation_rule *rule = NULL;
	int needed = LEVEL_COMMITTEE;
	bool ok = cases_may_decide(rules, nrules, cases__user_level(r), &ask, &rule, &needed);
	if (rule)
		str_copy(d->delegation_point, sizeof d->delegation_point, rule->point);
	cases_rules_free(rules, nrules);
	struct audit_entry e;
	req_audit_who(r, &e);
	if (!ok) {
		char msg[200];
		snprintf(msg, sizeof msg,
		         "beslutet ligger utanför din delegation; det fattas av %s",
		         cases_level_name(needed));
		*level = needed;
		if (refer) {
			rc = cases_refer(r->db, cs.tenant_id, cs.id, needed, msg, &e);
			if (rc)
				return REQ_FAIL(r, rc);
			r->audit_writes++;
			return 0;
		}
		field_error_add(&r->fe, "delegation", msg);
		return REQ_FAIL(r, HERR_FORBIDDEN);
	}
	d->case_id = cs.id;
	d->person_id = cs.person_id;
	d->decided_by = r->who.user_id;
	str_copy(d->decided_by_name, sizeof d->decided_by_name, r->who.display_name);
	d->decided_level = cases__user_level(r);
	rc = cases_decide(r->db, cs.tenant_id, d, &e);
	if (rc == HERR_RULE)
		field_error_add(&r->fe, "replaces_id",
		                "kan bara ersätta ett gällande beviljat beslut om samma insats i "
		                "ärendet");
	if (rc)
		return REQ_FAIL(r, rc == HERR_RULE ? HERR_INVALID : rc);
	r->audit_writes++;
	*level = 0;
	return 0;
}

int
cases_api_decide(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, decide_fields, 14, &obj);
	if (rc)
		return rc;
	struct decision *d = xcalloc(1, sizeof *d);
	str_copy(d->service, sizeof d->service, json_get_str(obj, "service"));
	str_copy(d->outcome, sizeof d->outcome, json_get_str(obj, "outcome"));
	bool refer = json_get_bool(obj, "refer", false);
	d->hours = decision_hours(json_get_int(obj, "hours_per_month", -1));
	d->hours_day = decision_hours(json_get_int(obj, "hours_day", -1));
	d->hours_evening = decision_hours(json_get_int(obj, "hours_evening", -1));
	d->hours_night = decision_hours(json_get_int(obj, "hours_night", -1));
	d->hours_weekend = decision_hours(json_get_int(obj, "hours_weekend", -1));
	str_copy(d->start_date, sizeof d->start_date, json_get_str(obj, "start_date"));
	str_copy(d->end_date, sizeof d->end_date, json_get_str(obj, "end_date"));
	str_copy(d->goals, sizeof d->goals, json_get_str(obj, "goals"));
	str_copy(d->legal_basis, sizeof d->legal_basis, json_get_str(obj, "legal_basis"));
	str_copy(d->reasoning, sizeof d->reasoning, json_get_str(obj, "reasoning"));
	d->replaces_id = json_get_int(obj, "replaces_id", 0);
	json_decref(obj);
	int level = 0;
	rc = cases__decide_or_fail(r, r->params[0], d, refer, &level);
	if (rc == 0 && level) {
		rc = answer_case(r, r->params[0], 202);
	} else if (rc == 0) {
		struct strbuf sb;
		sb_init(&sb, 0);
		decision_json_one(&sb, d, NULL);
		char loc[64];
		snprintf(loc, sizeof loc, "/api/v1/decisions/%lld", (long long)d->id);
		req_header(r, "Location", loc);
		req_json(r, 201, &sb);
	}
	free(d);
	return rc;
}

/* Loads a decision and its case with access. */
int
cases__decision_or_fail(struct req *r, int64_t id, struct decision *d, struct case_row *cs)
{
	struct db_conn *c = db_reader(r->db);
	int rc = cases_decision_get(c, r->who.tenant_id, id, d);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	return cases__load_or_fail(r, d->case_id, cs);
}

void
cases__scope_text(struct strbuf *sb, const struct decision *d)
{
	if (d->hours < 0)
		return;
	sb_addf(sb, "%d timmar per månad", d->hours);
	static const char *const names[] = {"dag", "kväll", "natt", "helg"};
	const int parts[] = {d->hours_day, d->hours_evening, d->hours_night, d->hours_weekend};
	bool open = false;
	for (int i = 0; i < 4; i++) {
		if (parts[i] < 0)
			continue;
		sb_adds(sb, open ? ", " : " (");
		sb_addf(sb, "%s %d", names[i], parts[i]);
		open = true;
	}
	if (open)
		sb_addc(sb, ')');
}

/* The insatser applied for in a case, by their catalogue names, each once (the letter). */
struct applied {
	struct db_conn *c;                   /* the reader */
	int64_t tenant;                      /* the case's tenant */
	char names[CASES_MAX_REQUESTS][101]; /* the names */
	const char *p[CASES_MAX_REQUESTS];   /* pointers into names, for the letter */
	char codes[CASES_MAX_REQUESTS][41];  /* their codes, to skip repeats */
	int n;                               /* entries used */
	int rc;                              /* the first error */
};

static void
applied_add(const struct case_request *q, void *arg)
{
	struct applied *a = arg;
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->codes[i], q->service) == 0)
			return;
	if (a->rc || a->n >= CASES_MAX_REQUESTS)
		return;
	struct service sv;
	int rc = cases_service_get(a->c, a->tenant, q->service, &sv);
	if (rc && rc != HERR_NOT_FOUND) {
		a->rc = rc;
		return;
	}
	str_copy(a->codes[a->n], sizeof a->codes[0], q->service);
	str_copy(a->names[a->n], sizeof a->names[0], rc == 0 ? sv.name : q->service);
	a->p[a->n] = a->names[a->n];
	a->n++;
}

int
cases_api_letter(struct req *r)
{
	struct decision d;
	struct case_row cs;
	int rc = cases__decision_or_fail(r, r->params[0], &d, &cs);
	if (rc)
		return rc;
	struct person p;
	struct service sv;
	struct db_conn *c = db_reader(r->db);
	struct applied *ap = xcalloc(1, sizeof *ap);
	ap->c = c;
	ap->tenant = cs.tenant_id;
	rc = people_get(c, cs.tenant_id, cs.person_id, &p);
	if (rc == 0)
		rc = cases_service_get(c, cs.tenant_id, d.service, &sv);
	if (rc == 0 && (rc = cases_requests(c, cs.tenant_id, cs.id, applied_add, ap)) == 0)
		rc = ap->rc;
	db_reader_done(r->db, c);
	if (rc) {
		free(ap);
		return REQ_FAIL(r, rc);
	}
	struct strbuf name, scope, law, today;
	sb_init(&name, 256);
	sb_init(&scope, 256);
	sb_init(&law, 400);
	sb_init(&today, 16);
	sb_addf(&name, "%s %s", p.given_name, p.family_name);
	cases__scope_text(&scope, &d);
	sb_adds(&law, d.legal_basis);
	char t[11];
	time_today(t);
	bool hide = p.protected_identity;
	struct letter l = {
	    .municipality = r->who.tenant_title[0] ? r->who.tenant_title : r->who.tenant,
	    .board = "Socialnämnden",
	    .unit = "",
	    .case_number = cs.case_number,
	    .letter_date = d.decision_date[0] ? d.decision_date : t,
	    .person_name = name.buf,
	    .pnr = p.pnr,
	    .street = hide ? "" : p.street,
	    .postal_code = hide ? "" : p.postal_code,
	    .city = hide ? "" : p.city,
	    .service_name = sv.name,
	    .law_ref = law.buf,
	    .outcome = d.outcome,
	    .applied = ap->p,
	    .napplied = ap->n,
	    .scope = scope.buf,
	    .start_date = d.start_date,
	    .end_date = d.end_date,
	    .goals = d.goals,
	    .reasoning = d.reasoning,
	    .followup_date = d.followup_date,
	    .decided_by = d.decided_by_name,
	    .decided_title =
	        d.decided_level == LEVEL_UNIT_MANAGER ? "Enhetschef" : "Biståndshandläggare",
	    .delegation_point = d.delegation_point,
	    .court = "Förvaltningsrätten",
	    .contact = "Socialnämnden, kommunens kontaktcenter",
	};
	struct strbuf pdf;
	sb_init(&pdf, 32 << 20);
	rc = letter_pdf(&l, &pdf);
	free(ap);
	sb_release(&name);
	sb_release(&scope);
	sb_release(&law);
	sb_release(&today);
	if (rc == 0) {
		int64_t person = cs.person_id;
		rc = req_audit_reads(r, "read", "decision_letter", d.id, &person, 1);
	}
	if (rc) {
		sb_release(&pdf);
		return REQ_FAIL(r, rc);
	}
	req_json(r, 200, &pdf);
	r->resp_type = "application/pdf";
	char disp[96];
	snprintf(disp, sizeof disp, "inline; filename=\"beslut-%s.pdf\"", cs.case_number);
	req_header(r, "Content-Disposition", disp);
	return 0;
}

/* Decodes a body of the one required date field f into out[11]. */
static int
date_body(struct req *r, const struct jfield *f, char out[11])
{
	json_t *obj;
	int rc = req_decode_json(r, f, 1, &obj);
	if (rc)
		return rc;
	str_copy(out, 11, json_get_str(obj, f->name));
	json_decref(obj);
	return 0;
}

static const struct jfield executed_fields[] = {
    {"date", JF_DATE, true, 10, NULL, 0},
};

int
cases_api_executed(struct req *r)
{
	char date[11];
	int rc = date_body(r, executed_fields, date);
	if (rc)
		return rc;
	struct decision d;
	struct case_row cs;
	rc = cases__decision_or_fail(r, r->params[0], &d, &cs);
	if (rc)
		return rc;
	char today[11];
	time_today(today);
	if (strcmp(date, d.decision_date) < 0) {
		field_error_add(&r->fe, "date", "verkställt före beslutsdatum");
		return REQ_FAIL(r, HERR_INVALID);
	}
	if (strcmp(date, today) > 0) {
		/* Execution is a fact that has happened, as a closing is (cases_closing_check). */
		field_error_add(&r->fe, "date", "datumet kan inte ligga i framtiden");
		return REQ_FAIL(r, HERR_INVALID);
	}
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = cases_executed(r->db, cs.tenant_id, d.id, date, &e);
	if (rc == HERR_RULE)
		field_error_add(&r->fe, "date",
		                "bara ett beviljat beslut som varken är verkställt eller avslutat "
		                "kan verkställas");
	if (rc)
		return REQ_FAIL(r, rc == HERR_RULE ? HERR_INVALID : rc);
	r->audit_writes++;
	return answer_decision(r, cs.tenant_id, d.id);
}

/* Why a decision in this state cannot be closed without execution, for the edge: 0 when it
 * can, else the code with the reason as the problem's detail (field ""). interrupted: the
 * decision's execution is interrupted (an open interruption), when closing ends it. */
static int
closing_state_or_fail(struct req *r, const struct decision *d, bool interrupted)
{
	char msg[160];
	int rc = 0;
	if (strcmp(d->outcome, "refused") == 0) {
		snprintf(msg, sizeof msg,
		         "Ett avslag verkställs inte och kan inte avslutas utan "
		         "verkställighet.");
		rc = HERR_RULE;
	} else if (d->executed_date[0] && !d->closed_date[0] && !interrupted) {
		snprintf(msg, sizeof msg,
		         "Beslutet verkställdes %s och kan inte avslutas utan "
		         "verkställighet.",
		         d->executed_date);
		rc = HERR_CONFLICT;
	} else if (d->closed_date[0]) {
		const struct close_reason *why = cases_close_reason(d->closed_reason);
		snprintf(msg, sizeof msg, "Beslutet är redan avslutat %s %s (%s).",
		         d->executed_date[0] ? "under avbrott" : "utan verkställighet",
		         d->closed_date, why ? why->title : d->closed_reason);
		rc = HERR_CONFLICT;
	}
	if (rc == 0)
		return 0;
	field_error_add(&r->fe, "", msg);
	return REQ_FAIL(r, rc);
}

int
cases__close_or_fail(struct req *r, int64_t id, const char *date, const char *reason,
                     const char *note, struct decision *d)
{
	struct case_row cs;
	int rc = cases__decision_or_fail(r, id, d, &cs);
	if (rc)
		return rc;
	char t[11];
	time_today(t);
	struct closing_ask a = {
	    .end = -1, .closed = -1, .reason = reason, .note = note, .interrupted = -1};
	struct interruption open;
	struct db_conn *c = db_reader(r->db);
	rc = cases_interruption_open(c, cs.tenant_id, d->id, &open);
	db_reader_done(r->db, c);
	if (rc && rc != HERR_NOT_FOUND)
		return REQ_FAIL(r, rc);
	bool interrupted = rc == 0;
	if (cal_parse(d->decision_date, &a.decided) != 0 || cal_parse(t, &a.today) != 0 ||
	    (d->end_date[0] && cal_parse(d->end_date, &a.end) != 0) ||
	    (interrupted && cal_parse(open.from_date, &a.interrupted) != 0))
		return REQ_FAIL(r, HERR_INTERNAL);
	if (date && strlen(date) == 10 && cal_parse(date, &a.closed) != 0)
		a.closed = -1;
	if (cases_closing_check(&a, &r->fe))
		return REQ_FAIL(r, HERR_INVALID);
	if ((rc = closing_state_or_fail(r, d, interrupted)) != 0)
		return rc;
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = cases_close(r->db, cs.tenant_id, d->id, date, reason, note, &e);
	c = db_reader(r->db);
	int lrc = cases_decision_get(c, cs.tenant_id, d->id, d);
	int orc = lrc ? lrc : cases_interruption_open(c, cs.tenant_id, d->id, &open);
	db_reader_done(r->db, c);
	/* Executed, resumed or closed by someone else meanwhile: say which, from the rows as they
	 * are now. */
	if ((rc == HERR_CONFLICT || rc == HERR_RULE) && lrc == 0 &&
	    (orc == 0 || orc == HERR_NOT_FOUND) && closing_state_or_fail(r, d, orc == 0))
		return rc;
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	return lrc ? REQ_FAIL(r, lrc) : 0;
}

static const struct jfield closing_fields[] = {
    {"closed_date", JF_DATE, true, 10, NULL, 0},
    {"reason", JF_STRING, true, 16, NULL, 0},
    {"note", JF_STRING, false, CASES_CLOSE_NOTE_MAX, NULL, 0},
};

int
cases_api_closing(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, closing_fields, 3, &obj);
	if (rc)
		return rc;
	char date[11], reason[17], note[CASES_CLOSE_NOTE_MAX + 1];
	str_copy(date, sizeof date, json_get_str(obj, "closed_date"));
	str_copy(reason, sizeof reason, json_get_str(obj, "reason"));
	const char *given = json_get_str(obj, "note");
	/* A statement of only white space is no statement. */
	str_copy(note, sizeof note, given && given[strspn(given, " \t\r\n")] ? given : "");
	json_decref(obj);
	struct decision d;
	if ((rc = cases__close_or_fail(r, r->params[0], date, reason, note, &d)) != 0)
		return rc;
	return answer_decision(r, r->who.tenant_id, d.id);
}

/* ---- interruptions of execution (trigger B) --------------------------------------- */

/* Why the execution of a decision in this state cannot be interrupted, for the edge: 0 when it
 * can, else the code with the reason as the problem's detail (field ""). open: its open
 * interruption, NULL when none. */
static int
interrupt_state_or_fail(struct req *r, const struct decision *d, const struct interruption *open)
{
	char msg[200];
	int rc = HERR_RULE;
	if (strcmp(d->outcome, "refused") == 0) {
		snprintf(msg, sizeof msg, "Ett avslag verkställs inte och kan inte avbrytas.");
	} else if (d->closed_date[0]) {
		const struct close_reason *why = cases_close_reason(d->closed_reason);
		snprintf(msg, sizeof msg, "Beslutet är avslutat %s (%s) och kan inte avbrytas.",
		         d->closed_date, why ? why->title : d->closed_reason);
		rc = HERR_CONFLICT;
	} else if (!d->executed_date[0]) {
		snprintf(
		    msg, sizeof msg,
		    "Beslutet är inte verkställt och kan inte avbrytas; det rapporteras som ej "
		    "verkställt tre månader efter beslutet.");
	} else if (d->replaced_by) {
		snprintf(
		    msg, sizeof msg,
		    "Beslutet är ersatt av beslut %lld; registrera avbrottet på det beslut som "
		    "gäller.",
		    (long long)d->replaced_by);
	} else if (open) {
		snprintf(
		    msg, sizeof msg,
		    "Verkställigheten är redan avbruten sedan %s; återuppta den innan ett nytt "
		    "avbrott registreras.",
		    open->from_date);
		rc = HERR_CONFLICT;
	} else {
		return 0;
	}
	field_error_add(&r->fe, "", msg);
	return REQ_FAIL(r, rc);
}

/* Loads the decision's open interruption into *open; *has whether there is one. */
static int
open_interruption(struct req *r, const struct decision *d, struct interruption *open, bool *has)
{
	struct db_conn *c = db_reader(r->db);
	int rc = cases_interruption_open(c, r->who.tenant_id, d->id, open);
	db_reader_done(r->db, c);
	*has = rc == 0;
	return rc == 0 || rc == HERR_NOT_FOUND ? 0 : REQ_FAIL(r, rc);
}

/* Keeps the latest resumption of the interruptions seen in *arg (a day number). */
static void
latest_resumption(const struct interruption *i, void *arg)
{
	int32_t *latest = arg, day;
	if (i->resumed_date[0] && cal_parse(i->resumed_date, &day) == 0 && day > *latest)
		*latest = day;
}

int
cases__interrupt_or_fail(struct req *r, int64_t decision_id, const char *from, const char *reason,
                         struct interruption *out)
{
	struct decision d;
	struct case_row cs;
	int rc = cases__decision_or_fail(r, decision_id, &d, &cs);
	if (rc)
		return rc;
	struct interruption open;
	bool has;
	if ((rc = open_interruption(r, &d, &open, &has)) != 0)
		return rc;
	if ((rc = interrupt_state_or_fail(r, &d, has ? &open : NULL)) != 0)
		return rc;
	char t[11];
	time_today(t);
	struct interruption_ask a = {.end = -1, .resumed = -1, .from = -1, .reason = reason};
	if (cal_parse(d.executed_date, &a.executed) != 0 || cal_parse(t, &a.today) != 0 ||
	    (d.end_date[0] && cal_parse(d.end_date, &a.end) != 0))
		return REQ_FAIL(r, HERR_INTERNAL);
	if (from && strlen(from) == 10 && cal_parse(from, &a.from) != 0)
		a.from = -1;
	struct db_conn *c = db_reader(r->db);
	rc = cases_decision_interruptions(c, cs.tenant_id, d.id, latest_resumption, &a.resumed);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	if (cases_interruption_check(&a, &r->fe))
		return REQ_FAIL(r, HERR_INVALID);
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = cases_interrupt(r->db, cs.tenant_id, d.id, from, reason, &e, out);
	if (rc == HERR_CONFLICT || rc == HERR_RULE) {
		/* Closed or interrupted by someone else meanwhile: say which, from the rows as
		 * they are now. */
		c = db_reader(r->db);
		int lrc = cases_decision_get(c, cs.tenant_id, d.id, &d);
		db_reader_done(r->db, c);
		if (lrc == 0 && open_interruption(r, &d, &open, &has) == 0 &&
		    interrupt_state_or_fail(r, &d, has ? &open : NULL))
			return rc;
	}
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	return 0;
}

int
cases__interruption_or_fail(struct req *r, int64_t id, struct interruption *i, struct decision *d,
                            struct case_row *cs)
{
	struct db_conn *c = db_reader(r->db);
	int rc = cases_interruption_get(c, r->who.tenant_id, id, i);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	return cases__decision_or_fail(r, i->decision_id, d, cs);
}

/* Why an interruption in this state cannot be resumed: 0 when it can, else 409 with the reason
 * as the problem's detail. */
static int
resume_state_or_fail(struct req *r, const struct interruption *i, const struct decision *d)
{
	char msg[200];
	if (i->resumed_date[0])
		snprintf(msg, sizeof msg, "Verkställigheten återupptogs redan %s.",
		         i->resumed_date);
	else if (d->closed_date[0])
		snprintf(
		    msg, sizeof msg,
		    "Beslutet avslutades %s under avbrottet; avbrottet upphörde då och kan inte "
		    "återupptas.",
		    d->closed_date);
	else
		return 0;
	field_error_add(&r->fe, "", msg);
	return REQ_FAIL(r, HERR_CONFLICT);
}

int
cases__resume_or_fail(struct req *r, int64_t id, const char *date, struct interruption *i)
{
	struct decision d;
	struct case_row cs;
	int rc = cases__interruption_or_fail(r, id, i, &d, &cs);
	if (rc)
		return rc;
	if ((rc = resume_state_or_fail(r, i, &d)) != 0)
		return rc;
	char t[11];
	time_today(t);
	int32_t from, today, day = -1;
	if (cal_parse(i->from_date, &from) != 0 || cal_parse(t, &today) != 0)
		return REQ_FAIL(r, HERR_INTERNAL);
	if (date && strlen(date) == 10 && cal_parse(date, &day) != 0)
		day = -1;
	if (cases_resumption_check(from, day, today, &r->fe))
		return REQ_FAIL(r, HERR_INVALID);
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = cases_resume(r->db, cs.tenant_id, i->id, date, &e);
	struct db_conn *c = db_reader(r->db);
	int lrc = cases_interruption_get(c, cs.tenant_id, i->id, i);
	if (lrc == 0)
		lrc = cases_decision_get(c, cs.tenant_id, i->decision_id, &d);
	db_reader_done(r->db, c);
	/* Resumed or closed by someone else meanwhile. */
	if (rc == HERR_CONFLICT && lrc == 0 && resume_state_or_fail(r, i, &d))
		return rc;
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	return lrc ? REQ_FAIL(r, lrc) : 0;
}

/* Answers status with the interruption as stored now. */
static int
answer_interruption(struct req *r, int64_t id, int status)
{
	struct interruption i;
	struct decision d;
	struct db_conn *c = db_reader(r->db);
	int rc = cases_interruption_get(c, r->who.tenant_id, id, &i);
	if (rc == 0)
		rc = cases_decision_get(c, r->who.tenant_id, i.decision_id, &d);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	struct strbuf sb;
	sb_init(&sb, 0);
	interruption_json_one(&sb, &i, &d);
	req_json(r, status, &sb);
	return 0;
}

static const struct jfield interruption_fields[] = {
    {"from_date", JF_DATE, true, 10, NULL, 0},
    {"reason", JF_STRING, true, CASES_INTERRUPTION_REASON_MAX, NULL, 0},
};

int
cases_api_interrupt(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, interruption_fields, 2, &obj);
	if (rc)
		return rc;
	char from[11], *reason = xcalloc(1, CASES_INTERRUPTION_REASON_MAX + 1);
	str_copy(from, sizeof from, json_get_str(obj, "from_date"));
	str_copy(reason, CASES_INTERRUPTION_REASON_MAX + 1, json_get_str(obj, "reason"));
	json_decref(obj);
	struct interruption *i = xcalloc(1, sizeof *i);
	rc = cases__interrupt_or_fail(r, r->params[0], from, reason, i);
	int64_t id = i->id;
	free(i);
	free(reason);
	return rc ? rc : answer_interruption(r, id, 201);
}

static const struct jfield resumption_fields[] = {
    {"resumed_date", JF_DATE, true, 10, NULL, 0},
};

int
cases_api_resume(struct req *r)
{
	char date[11];
	int rc = date_body(r, resumption_fields, date);
	if (rc)
		return rc;
	struct interruption *i = xcalloc(1, sizeof *i);
	rc = cases__resume_or_fail(r, r->params[0], date, i);
	free(i);
	return rc ? rc : answer_interruption(r, r->params[0], 200);
}

static const struct jfield interruption_delay_fields[] = {
    {"reason", JF_STRING, true, CASES_INTERRUPTION_REASON_MAX, NULL, 0},
};

int
cases_api_interruption_delay(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, interruption_delay_fields, 1, &obj);
	if (rc)
		return rc;
	char *reason = xcalloc(1, CASES_INTERRUPTION_REASON_MAX + 1);
	str_copy(reason, CASES_INTERRUPTION_REASON_MAX + 1, json_get_str(obj, "reason"));
	json_decref(obj);
	struct interruption *i = xcalloc(1, sizeof *i);
	struct decision d;
	struct case_row cs;
	rc = cases__interruption_or_fail(r, r->params[0], i, &d, &cs);
	if (rc == 0 && reason[strspn(reason, " \t\r\n")] == '\0') {
		field_error_add(&r->fe, "reason",
		                "ange varför verkställigheten inte har återupptagits");
		rc = REQ_FAIL(r, HERR_INVALID);
	}
	if (rc == 0) {
		struct audit_entry e;
		req_audit_who(r, &e);
		rc = cases_interruption_delay_reason(r->db, cs.tenant_id, i->id, reason, &e);
		if (rc)
			rc = REQ_FAIL(r, rc);
		else
			r->audit_writes++;
	}
	int64_t id = i->id;
	free(i);
	free(reason);
	return rc ? rc : answer_interruption(r, id, 200);
}

/* ---- the investigation (utredning) ------------------------------------------------- */

struct tpl_list {
	struct strbuf *sb; /* the answer */
	int64_t last;      /* the template of the previous row, 0 before the first */
	int64_t only;      /* list only this template, 0 for all */
};

static void
section_json(struct strbuf *sb, const struct inv_section *s, bool body)
{
	sb_addf(sb, "{\"id\":%lld,\"position\":%d,\"heading\":", (long long)s->id, s->position);
	json_str(sb, s->heading);
	sb_adds(sb, ",\"guidance\":");
	json_str(sb, s->guidance);
	sb_addf(sb, ",\"required\":%s", s->required ? "true" : "false");
	if (body) {
		sb_adds(sb, ",\"body\":");
		json_str(sb, s->body);
	}
	sb_addc(sb, '}');
}

static void
tpl_row(const struct inv_template *t, const struct inv_section *s, void *arg)
{
	struct tpl_list *l = arg;
	if (l->only && t->id != l->only)
		return;
	if (t->id != l->last) {
		if (l->last)
			sb_adds(l->sb, "]}");
		comma(l->sb);
		sb_adds(l->sb, "{\"code\":");
		json_str(l->sb, t->code);
		sb_adds(l->sb, ",\"name\":");
		json_str(l->sb, t->name);
		sb_adds(l->sb, ",\"law\":");
		json_str(l->sb, t->law);
		sb_adds(l->sb, ",\"sections\":[");
		l->last = t->id;
	}
	comma(l->sb);
	section_json(l->sb, s, false);
}

int
cases_api_inv_templates(struct req *r)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "{\"items\":[");
	struct tpl_list l = {&sb, 0, 0};
	struct db_conn *c = db_reader(r->db);
	int rc = cases_inv_templates(c, r->who.tenant_id, tpl_row, &l);
	db_reader_done(r->db, c);
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	if (l.last)
		sb_adds(&sb, "]}");
	sb_adds(&sb, "],\"next_cursor\":null}");
	req_json(r, 200, &sb);
	return 0;
}

struct missing {
	struct strbuf *sb; /* the headings */
	int n;             /* how many */
};

static void
missing_row(const struct inv_section *s, void *arg)
{
	struct missing *m = arg;
	if (!s->required || s->body[strspn(s->body, " \t\r\n")])
		return;
	if (m->n++)
		sb_adds(m->sb, ", ");
	sb_adds(m->sb, s->heading);
}

int
cases__inv_missing(struct db_conn *c, const struct investigation *inv, struct strbuf *sb)
{
	struct missing m = {sb, 0};
	int rc = cases_investigation_sections(c, inv, missing_row, &m);
	return rc ? rc : m.n;
}

static void
inv_section_json(const struct inv_section *s, void *arg)
{
	comma(arg);
	section_json(arg, s, true);
}

/* Answers with the investigation of the case and its sections in template order. */
static int
answer_inv(struct req *r, const struct investigation *inv, int status)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_addf(&sb, "{\"id\":%lld,\"case_id\":%lld,\"template\":", (long long)inv->id,
	        (long long)inv->case_id);
	json_str(&sb, inv->template_code);
	sb_adds(&sb, ",\"template_name\":");
	json_str(&sb, inv->template_name);
	sb_adds(&sb, ",\"plan\":");
	json_str(&sb, inv->plan);
	opt_text(&sb, "planned_visit", inv->planned_visit);
	sb_addf(&sb, ",\"version\":%lld,\"sections\":[", (long long)inv->version);
	struct db_conn *c = db_reader(r->db);
	int rc = cases_investigation_sections(c, inv, inv_section_json, &sb);
	sb_adds(&sb, "],\"missing\":");
	struct strbuf miss;
	sb_init(&miss, 0);
	if (rc == 0)
		rc = cases__inv_missing(c, inv, &miss);
	db_reader_done(r->db, c);
	if (rc < 0) {
		sb_release(&miss);
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	json_str(&sb, miss.buf);
	sb_release(&miss);
	sb_addc(&sb, '}');
	req_json(r, status, &sb);
	return 0;
}

int
cases__inv_create_or_fail(struct req *r, int64_t case_id, const char *code, const char *plan,
                          const char *visit, struct investigation *inv)
{
	struct case_row cs;
	int rc = cases__load_or_fail(r, case_id, &cs);
	if (rc)
		return rc;
	struct inv_template t;
	struct db_conn *c = db_reader(r->db);
	rc = cases_inv_template_get(c, cs.tenant_id, code, cs.law, &t);
	db_reader_done(r->db, c);
	if (rc == HERR_NOT_FOUND) {
		field_error_add(&r->fe, "template",
		                "okänd mall; se /api/v1/investigation-templates");
		return REQ_FAIL(r, HERR_INVALID);
	}
	if (rc)
		return REQ_FAIL(r, rc);
	memset(inv, 0, sizeof *inv);
	inv->tenant_id = cs.tenant_id;
	inv->case_id = cs.id;
	inv->template_id = t.id;
	str_copy(inv->plan, sizeof inv->plan, plan);
	str_copy(inv->planned_visit, sizeof inv->planned_visit, visit);
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = cases_investigation_create(r->db, inv, &e);
	if (rc == HERR_CONFLICT)
		field_error_add(&r->fe, "template", "ärendet har redan en utredning");
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	str_copy(inv->template_code, sizeof inv->template_code, t.code);
	str_copy(inv->template_name, sizeof inv->template_name, t.name);
	return 0;
}

int
cases__inv_update_or_fail(struct req *r, int64_t case_id, int64_t version, bool set_plan,
                          const char *plan, const char *visit, const struct inv_text *texts, int n,
                          struct investigation *inv)
{
	struct case_row cs;
	int rc = cases__load_or_fail(r, case_id, &cs);
	if (rc)
		return rc;
	struct db_conn *c = db_reader(r->db);
	rc = cases_investigation_get(c, cs.tenant_id, cs.id, inv);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	inv->version = version;
	if (set_plan) {
		str_copy(inv->plan, sizeof inv->plan, plan);
		str_copy(inv->planned_visit, sizeof inv->planned_visit, visit);
	}
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = cases_investigation_update(r->db, inv, set_plan, texts, n, &e);
	if (rc == HERR_STALE)
		field_error_add(&r->fe, "version", "utredningen har ändrats; läs om");
	if (rc == HERR_RULE)
		field_error_add(&r->fe, "sections", "avsnittet hör inte till utredningens mall");
	if (rc)
		return REQ_FAIL(r, rc == HERR_RULE ? HERR_INVALID : rc);
	r->audit_writes++;
	return 0;
}

static const struct jfield inv_create_fields[] = {
    {"template", JF_STRING, false, 40, NULL, 0},
    {"plan", JF_STRING, false, 4000, NULL, 0},
    {"planned_visit", JF_DATE, false, 10, NULL, 0},
};

int
cases_api_inv_create(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, inv_create_fields, 3, &obj);
	if (rc)
		return rc;
	struct investigation *inv = xcalloc(1, sizeof *inv);
	char code[41];
	str_copy(code, sizeof code, json_get_str(obj, "template"));
	rc = cases__inv_create_or_fail(r, r->params[0], code, json_get_str(obj, "plan"),
	                               json_get_str(obj, "planned_visit"), inv);
	json_decref(obj);
	if (rc == 0)
		rc = answer_inv(r, inv, 201);
	free(inv);
	return rc;
}

int
cases_api_inv_get(struct req *r)
{
	struct case_row cs;
	int rc = cases__load_or_fail(r, r->params[0], &cs);
	if (rc)
		return rc;
	struct investigation *inv = xcalloc(1, sizeof *inv);
	struct db_conn *c = db_reader(r->db);
	rc = cases_investigation_get(c, cs.tenant_id, cs.id, inv);
	db_reader_done(r->db, c);
	if (rc == 0)
		rc = cases__audit_read(r, &cs, "investigation");
	if (rc)
		rc = REQ_FAIL(r, rc);
	else
		rc = answer_inv(r, inv, 200);
	free(inv);
	return rc;
}

static const struct jfield inv_text_fields[] = {
    {"section_id", JF_INT, true, 0, NULL, 0},
    {"body", JF_STRING, true, 8000, NULL, 0},
};

static const struct jfield inv_patch_fields[] = {
    {"version", JF_INT, true, 0, NULL, 0},
    {"plan", JF_STRING, false, 4000, NULL, 0},
    {"planned_visit", JF_DATE, false, 10, NULL, 0},
    {"sections", JF_ARRAY, false, 20, inv_text_fields, 2},
};

int
cases_api_inv_patch(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, inv_patch_fields, 4, &obj);
	if (rc)
		return rc;
	struct inv_text texts[20];
	int n = 0;
	const json_t *arr = json_object_get(obj, "sections");
	for (size_t i = 0; arr && i < json_array_size(arr) && n < 20; i++) {
		const json_t *it = json_array_get(arr, i);
		texts[n].section_id = json_get_int(it, "section_id", 0);
		texts[n].body = json_get_str(it, "body");
		if (!texts[n].body)
			texts[n].body = "";
		n++;
	}
	bool set_plan = json_has(obj, "plan") || json_has(obj, "planned_visit");
	struct investigation *inv = xcalloc(1, sizeof *inv);
	/* Plan and visit keep their stored values unless given. */
	struct case_row cs;
	rc = cases__load_or_fail(r, r->params[0], &cs);
	if (rc == 0) {
		struct db_conn *c = db_reader(r->db);
		rc = cases_investigation_get(c, cs.tenant_id, cs.id, inv);
		db_reader_done(r->db, c);
		if (rc)
			rc = REQ_FAIL(r, rc);
	}
	if (rc == 0) {
		const char *given = json_has(obj, "plan") ? json_get_str(obj, "plan") : inv->plan;
		char *plan = xstrdup(given ? given : "");
		char visit[11];
		str_copy(visit, sizeof visit,
		         json_has(obj, "planned_visit") ? json_get_str(obj, "planned_visit")
		                                        : inv->planned_visit);
		rc = cases__inv_update_or_fail(r, r->params[0], json_get_int(obj, "version", 0),
		                               set_plan, plan, visit, texts, n, inv);
		free(plan);
	}
	json_decref(obj);
	if (rc == 0)
		rc = answer_inv(r, inv, 200);
	free(inv);
	return rc;
}

static const struct jfield tpl_section_fields[] = {
    {"heading", JF_STRING, true, 100, NULL, 0},
    {"guidance", JF_STRING, false, 1000, NULL, 0},
    {"required", JF_BOOL, false, 0, NULL, 0},
};

static const struct jfield tpl_fields[] = {
    {"code", JF_STRING, true, 40, NULL, 0},
    {"name", JF_STRING, true, 100, NULL, 0},
    {"law", JF_STRING, true, 3, NULL, 0},
    {"sections", JF_ARRAY, true, 20, tpl_section_fields, 3},
};

int
cases__template_add_or_fail(struct req *r, struct inv_template *t, struct inv_section *secs, int n)
{
	if (cases_template_check(t, secs, n, &r->fe))
		return REQ_FAIL(r, HERR_INVALID);
	int rc = cases_inv_template_add(r->db, r->who.tenant_id, t, secs, n);
	if (rc == HERR_CONFLICT)
		field_error_add(&r->fe, "code", "det finns redan en mall med den koden");
	return rc ? REQ_FAIL(r, rc) : 0;
}

int
cases_api_template_add(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, tpl_fields, 4, &obj);
	if (rc)
		return rc;
	struct inv_template t;
	memset(&t, 0, sizeof t);
	str_copy(t.code, sizeof t.code, json_get_str(obj, "code"));
	str_copy(t.name, sizeof t.name, json_get_str(obj, "name"));
	str_copy(t.law, sizeof t.law, json_get_str(obj, "law"));
	struct inv_section *secs = xcalloc(20, sizeof *secs);
	const json_t *arr = json_object_get(obj, "sections");
	int n = 0;
	for (size_t i = 0; arr && i < json_array_size(arr) && n < 20; i++, n++) {
		const json_t *it = json_array_get(arr, i);
		str_copy(secs[n].heading, sizeof secs[n].heading, json_get_str(it, "heading"));
		str_copy(secs[n].guidance, sizeof secs[n].guidance, json_get_str(it, "guidance"));
		secs[n].required = json_get_bool(it, "required", false);
	}
	json_decref(obj);
	rc = cases__template_add_or_fail(r, &t, secs, n);
	free(secs);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	struct tpl_list l = {&sb, 0, t.id};
	struct db_conn *c = db_reader(r->db);
	rc = cases_inv_templates(c, r->who.tenant_id, tpl_row, &l);
	db_reader_done(r->db, c);
	if (rc == 0 && l.last)
		sb_adds(&sb, "]}");
	if (rc || !l.last || sb.err) {
		sb_release(&sb);
		return REQ_FAIL(r, rc ? rc : HERR_INTERNAL);
	}
	req_json(r, 201, &sb);
	return 0;
}
