/*
 * The write jobs of customer choice and orders (contract in providers.h): each change checks
 * the state it needs on the row loaded inside the job, stores the change, appends the order
 * event to the outbox (order_events) and the audit record, in one transaction (src/db/db.h).
 * Also the JSON of an order and of an event, shared by the routes, the feed and the webhook.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "base/calendar.h"
#include "base/err.h"
#include "base/json.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "providers.h"
#include "providers_private.h"
#include "rules.h"

void
providers__cutoff_today(char out[11])
{
	char today[11];
	int32_t d = 0;
	time_today(today);
	cal_parse(today, &d);
	cal_format(providers_access_cutoff(d), out);
}

void
providers__copy(char *dst, size_t n, const char *s)
{
	size_t k = s ? strlen(s) : 0;
	if (k >= n)
		k = n - 1;
	if (k)
		memcpy(dst, s, k);
	dst[k] = '\0';
}

void
providers__comma(struct strbuf *sb)
{
	char last = sb->len ? sb->buf[sb->len - 1] : '\0';
	if (last != '[' && last != '{')
		sb_addc(sb, ',');
}

/* ---- JSON ---------------------------------------------------------------------------- */

static void
opt_str(struct strbuf *sb, const char *s)
{
	if (s && *s)
		json_str(sb, s);
	else
		sb_adds(sb, "null");
}

void
providers__order_json(struct strbuf *sb, const struct order *o, const char *today)
{
	const struct order_ref *r = &o->ref;
	int32_t due = 0, now = 0;
	cal_parse(o->answer_due, &due);
	cal_parse(today, &now);
	sb_addf(sb,
	        "{\"id\":%lld,\"decision_id\":%lld,\"case_id\":%lld,\"person_id\":%lld,"
	        "\"provider_id\":%lld,\"provider_name\":",
	        (long long)r->id, (long long)r->decision_id, (long long)r->case_id,
	        (long long)r->person_id, (long long)r->provider_id);
	json_str(sb, o->provider_name);
	sb_addf(sb, ",\"service_id\":%lld,\"service_code\":", (long long)r->service_id);
	json_str(sb, r->service_code);
	sb_adds(sb, ",\"service_name\":");
	json_str(sb, o->service_name);
	sb_adds(sb, ",\"state\":");
	json_str(sb, r->state);
	sb_adds(sb, ",\"from\":");
	json_str(sb, r->from);
	sb_adds(sb, ",\"to\":");
	opt_str(sb, r->to);
	sb_addf(sb,
	        ",\"granted_minutes_month\":%lld,\"scope\":", (long long)r->granted_minutes_month);
	json_str(sb, o->scope_text);
	/* The decision's goals as sent, one per line; the order's "goals" are the array of
	 * {id, position, goal} (review 2026-11 finding 16: one key each). */
	sb_adds(sb, ",\"goals_text\":");
	json_str(sb, o->goals);
	sb_adds(sb, ",\"message\":");
	json_str(sb, o->message);
	sb_addf(sb,
	        ",\"main_responsible\":%s,\"sent_date\":", r->main_responsible ? "true" : "false");
	json_str(sb, o->sent_date);
	sb_adds(sb, ",\"answer_due\":");
	json_str(sb, o->answer_due);
	sb_addf(sb, ",\"overdue\":%s,\"answered_by\":",
	        providers_overdue(r->state, due, now) ? "true" : "false");
	opt_str(sb, o->answered_by_name);
	sb_adds(sb, ",\"decline_reason\":");
	opt_str(sb, o->decline_reason);
	sb_adds(sb, ",\"ended_reason\":");
	opt_str(sb, o->ended_reason);
	if (o->previous_id)
		sb_addf(sb, ",\"previous_id\":%lld", (long long)o->previous_id);
	else
		sb_adds(sb, ",\"previous_id\":null");
	sb_addf(sb, ",\"version\":%lld,\"created_at\":\"", (long long)o->version);
	time_rfc3339(sb, o->created_at);
	sb_adds(sb, "\"}");
}

/* The payload of an event: what changed, not the content (the system reads the order). */
static void
event_payload(struct strbuf *sb, const struct order *o)
{
	const struct order_ref *r = &o->ref;
	sb_addf(sb,
	        "{\"id\":%lld,\"provider_id\":%lld,\"person_id\":%lld,\"state\":", (long long)r->id,
	        (long long)r->provider_id, (long long)r->person_id);
	json_str(sb, r->state);
	sb_adds(sb, ",\"service_code\":");
	json_str(sb, r->service_code);
	sb_adds(sb, ",\"from\":");
	json_str(sb, r->from);
	sb_adds(sb, ",\"to\":");
	opt_str(sb, r->to);
	sb_addf(sb, ",\"granted_minutes_month\":%lld,\"main_responsible\":%s,\"version\":%lld}",
	        (long long)r->granted_minutes_month, r->main_responsible ? "true" : "false",
	        (long long)o->version);
}

void
providers_event_json(struct strbuf *sb, const struct order_event *ev)
{
	sb_addf(sb, "{\"id\":%lld,\"type\":", (long long)ev->id);
	json_str(sb, ev->kind);
	sb_adds(sb, ",\"created_at\":");
	sb_addc(sb, '"');
	time_rfc3339(sb, ev->created_at);
	sb_addc(sb, '"');
	sb_addf(sb, ",\"order_id\":%lld,\"order\":%s}", (long long)ev->order_id, ev->payload);
}

/* Appends event kind of order id (as stored now, inside the job) to the outbox. */
static int
emit(struct db_conn *c, int64_t tenant, int64_t id, const char *kind)
{
	struct order *o = xmalloc(sizeof *o);
	int rc = providers_order_get(c, tenant, id, o);
	if (rc) {
		free(o);
		return rc;
	}
	struct order_event ev;
	memset(&ev, 0, sizeof ev);
	ev.tenant_id = tenant;
	ev.provider_id = o->ref.provider_id;
	ev.order_id = id;
	ev.person_id = o->ref.person_id;
	ev.created_at = time_now();
	snprintf(ev.kind, sizeof ev.kind, "%s", kind);
	struct strbuf sb;
	sb_init(&sb, sizeof ev.payload - 1);
	event_payload(&sb, o);
	free(o);
	rc = sb.err;
	if (rc == 0) {
		memcpy(ev.payload, sb.buf, sb.len + 1);
		rc = providers__event_insert(c, &ev);
	}
	sb_release(&sb);
	return rc;
}

/* ---- the register -------------------------------------------------------------------- */

struct register_job {
	struct provider *p;
	const struct provider_service *sv;
	int nsv;
	const char *const *areas;
	int nareas;
	bool insert, set_lists;
	const char *secret;
	const struct audit_entry *who;
};

static int
register_run(struct db_conn *c, void *arg)
{
	struct register_job *j = arg;
	int rc = providers__taken(c, j->p);
	if (rc)
		return rc;
	if (j->insert) {
		rc = providers__insert(c, j->p, time_now());
	} else {
		rc = providers__update(c, j->p);
		if (rc == HERR_NOT_FOUND)
			rc = HERR_STALE;
	}
	if (rc == 0 && (j->insert || j->set_lists))
		rc = providers__lists(c, j->p->tenant_id, j->p->id, j->sv, j->nsv, j->areas,
		                      j->nareas);
	if (rc == 0 && j->secret)
		rc = providers__secret(c, j->p->tenant_id, j->p->id, j->secret);
	if (rc == 0)
		rc = audit_change(c, j->who, j->insert ? "create" : "update", "provider", j->p->id,
		                  0);
	return rc;
}

int
providers_register(struct db *db, struct provider *p, const struct provider_service *sv, int nsv,
                   const char *const *areas, int nareas, const struct audit_entry *who)
{
	struct register_job j = {p, sv, nsv, areas, nareas, true, true, NULL, who};
	p->id = 0;
	int rc = db_write(db, register_run, &j);
	if (rc == 0)
		p->version = 1;
	return rc;
}

int
providers_update(struct db *db, struct provider *p, bool set_lists,
                 const struct provider_service *sv, int nsv, const char *const *areas, int nareas,
                 const char *webhook_secret, const struct audit_entry *who)
{
	struct register_job j = {p, sv, nsv, areas, nareas, false, set_lists, webhook_secret, who};
	int rc = db_write(db, register_run, &j);
	if (rc == 0)
		p->version++;
	return rc;
}

struct vacancy_job {
	int64_t tenant, provider_id;
	const struct vacancy *v;
	int n;
	const struct audit_entry *who;
};

static int
vacancy_run(struct db_conn *c, void *arg)
{
	struct vacancy_job *j = arg;
	int rc = providers__vacancies_replace(c, j->tenant, j->provider_id, j->v, j->n, time_now());
	if (rc == 0)
		rc = audit_change(c, j->who, "update", "vacancies", j->provider_id, 0);
	return rc;
}

int
providers_vacancies_set(struct db *db, int64_t tenant, int64_t provider_id, const struct vacancy *v,
                        int n, const struct audit_entry *who)
{
	struct vacancy_job j = {tenant, provider_id, v, n, who};
	return db_write(db, vacancy_run, &j);
}

struct choice_job {
	int64_t tenant;
	struct choice *ch;
	const struct audit_entry *who;
};

static int
choice_run(struct db_conn *c, void *arg)
{
	struct choice_job *j = arg;
	int rc = providers__choice_insert(c, j->tenant, j->ch, j->who->user_id);
	if (rc == 0)
		rc = audit_change(c, j->who, "create", "provider_choice", j->ch->id,
		                  j->ch->person_id);
	return rc;
}

int
providers_choose(struct db *db, int64_t tenant, struct choice *ch, const struct audit_entry *who)
{
	ch->created_at = time_now();
	struct choice_job j = {tenant, ch, who};
	return db_write(db, choice_run, &j);
}

/* ---- orders -------------------------------------------------------------------------- */

/* Inserts order o with its sections and goals (one per non-empty line of o->goals), marks it
 * main responsible when asked, emits order.new and audits. */
static int
create_in(struct db_conn *c, struct order *o, const struct order_section *sec, int nsec,
          const struct audit_entry *who)
{
	const struct order_ref *r = &o->ref;
	int rc = providers__order_open(c, r->tenant_id, r->decision_id, 0);
	if (rc == 0)
		return HERR_CONFLICT;
	if (rc != HERR_NOT_FOUND)
		return rc;
	rc = providers__order_insert(c, o, who->user_id);
	for (int i = 0; rc == 0 && i < nsec; i++)
		rc = providers__section_insert(c, r->tenant_id, r->id, &sec[i]);
	const char *p = o->goals;
	int pos = 0;
	while (rc == 0 && *p && pos < PROVIDERS_MAX_GOALS) {
		size_t n = strcspn(p, "\n");
		const char *s = p, *e = p + n;
		while (s < e && (*s == ' ' || *s == '\t' || *s == '-' || *s == '*'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\r' || e[-1] == '\t'))
			e--;
		if (e > s) {
			char goal[1001];
			snprintf(goal, sizeof goal, "%.*s", (int)(e - s), s);
			rc = providers__goal_insert(c, r->tenant_id, r->id, ++pos, goal);
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	/* A sent order only asks for overall responsibility (stored with the order): the order
	 * that holds it keeps it until this one is accepted (review 2026-11 finding 8). */
	if (rc == 0)
		rc = emit(c, r->tenant_id, r->id, "order.new");
	if (rc == 0)
		rc = audit_change(c, who, "create", "order", r->id, r->person_id);
	return rc;
}

static void
prepare_new(struct order *o)
{
	o->created_at = time_now();
	int32_t today = 0;
	time_today(o->sent_date);
	cal_parse(o->sent_date, &today);
	cal_format(providers_answer_due(today), o->answer_due);
	o->version = 1;
	snprintf(o->ref.state, sizeof o->ref.state, "sent");
}

struct create_job {
	struct order *o;
	const struct order_section *sec;
	int nsec;
	int64_t old_id;       /* change of provider: the order to end, 0 otherwise */
	const char *end_date; /* its last day */
	const struct audit_entry *who;
};

/* Ends (accepted) or withdraws (sent) order id on end_date inside a job; HERR_RULE for another
 * state or an end before the order's start. */
static int
end_in(struct db_conn *c, int64_t tenant, int64_t id, const char *end_date, const char *reason,
       const struct audit_entry *who, int64_t *person /* out */)
{
	struct order *o = xmalloc(sizeof *o);
	int rc = providers_order_get(c, tenant, id, o);
	if (rc == 0) {
		const char *from = o->ref.state;
		const char *to = strcmp(from, "sent") == 0 ? "withdrawn" : "ended";
		*person = o->ref.person_id;
		if (!providers_transition_ok(from, to) || strcmp(end_date, o->ref.from) < 0 ||
		    (o->ref.to[0] && strcmp(end_date, o->ref.to) > 0))
			rc = HERR_RULE;
		else
			rc = providers__order_end(c, tenant, id, from, to, end_date, reason,
			                          time_now());
		if (rc == HERR_NOT_FOUND)
			rc = HERR_RULE; /* already given an end date, still running to it */
		if (rc == 0 && strcmp(to, "withdrawn") == 0)
			rc = providers__order_main_drop(c, tenant, id, time_now());
	}
	free(o);
	if (rc == 0)
		rc = emit(c, tenant, id, "order.ended");
	if (rc == 0)
		rc = audit_change(c, who, "update", "order", id, *person);
	return rc;
}

static int
create_run(struct db_conn *c, void *arg)
{
	struct create_job *j = arg;
	if (j->old_id) {
		int64_t person = 0;
		int rc = end_in(c, j->o->ref.tenant_id, j->old_id, j->end_date, "byte av utförare",
		                j->who, &person);
		if (rc)
			return rc;
	}
	return create_in(c, j->o, j->sec, j->nsec, j->who);
}

int
providers_order_create(struct db *db, struct order *o, const struct order_section *sec, int nsec,
                       const struct audit_entry *who)
{
	prepare_new(o);
	struct create_job j = {o, sec, nsec, 0, NULL, who};
	return db_write(db, create_run, &j);
}

int
providers_order_change(struct db *db, int64_t tenant, int64_t old_id, const char *end_date,
                       struct order *o, const struct order_section *sec, int nsec,
                       const struct audit_entry *who)
{
	prepare_new(o);
	o->ref.tenant_id = tenant;
	o->previous_id = old_id;
	struct create_job j = {o, sec, nsec, old_id, end_date, who};
	return db_write(db, create_run, &j);
}

struct answer_job {
	int64_t tenant, id;
	bool accept;
	const char *reason, *by_name;
	const struct audit_entry *who;
};

static int
answer_run(struct db_conn *c, void *arg)
{
	struct answer_job *j = arg;
	struct order_ref r;
	int rc = providers_order_ref(c, j->tenant, j->id, &r);
	if (rc)
		return rc;
	if (!providers_transition_ok(r.state, j->accept ? "accepted" : "declined"))
		return HERR_RULE;
	rc = providers__order_answer(c, j->tenant, j->id, j->accept, j->reason, j->by_name,
	                             time_now());
	if (rc == HERR_NOT_FOUND)
		rc = HERR_RULE;
	/* Overall responsibility asked for by the order moves to it when it is accepted and stays
	 * where it is when it is declined (review 2026-11 finding 8). */
	if (rc == 0 && r.main_responsible && j->accept)
		rc = providers__order_main(c, j->tenant, j->id, r.person_id, time_now(), true);
	else if (rc == 0 && r.main_responsible)
		rc = providers__order_main_drop(c, j->tenant, j->id, time_now());
	if (rc == 0)
		rc = emit(c, j->tenant, j->id, "order.changed");
	if (rc == 0)
		rc = audit_change(c, j->who, j->accept ? "accept" : "decline", "order", j->id,
		                  r.person_id);
	return rc;
}

int
providers_order_answer(struct db *db, int64_t tenant, int64_t id, bool accept, const char *reason,
                       const char *by_name, const struct audit_entry *who)
{
	struct answer_job j = {tenant, id, accept, reason, by_name, who};
	return db_write(db, answer_run, &j);
}

struct end_job {
	int64_t tenant, id;
	const char *end_date, *reason;
	const struct audit_entry *who;
};

static int
end_run(struct db_conn *c, void *arg)
{
	struct end_job *j = arg;
	int64_t person = 0;
	return end_in(c, j->tenant, j->id, j->end_date, j->reason, j->who, &person);
}

int
providers_order_end(struct db *db, int64_t tenant, int64_t id, const char *end_date,
                    const char *reason, const struct audit_entry *who)
{
	struct end_job j = {tenant, id, end_date, reason, who};
	return db_write(db, end_run, &j);
}

static int
main_run(struct db_conn *c, void *arg)
{
	struct end_job *j = arg;
	struct order_ref r;
	int rc = providers_order_ref(c, j->tenant, j->id, &r);
	if (rc)
		return rc;
	if (strcmp(r.state, "sent") != 0 && strcmp(r.state, "accepted") != 0)
		return HERR_RULE;
	rc = providers__order_main(c, j->tenant, j->id, r.person_id, time_now(),
	                           strcmp(r.state, "accepted") == 0);
	if (rc == 0)
		rc = emit(c, j->tenant, j->id, "order.changed");
	if (rc == 0)
		rc = audit_change(c, j->who, "update", "order", j->id, r.person_id);
	return rc;
}

int
providers_order_main(struct db *db, int64_t tenant, int64_t id, const struct audit_entry *who)
{
	struct end_job j = {tenant, id, NULL, NULL, who};
	return db_write(db, main_run, &j);
}

/* ---- plans --------------------------------------------------------------------------- */

struct plan_job {
	int64_t tenant, person_id;
	struct plan *p;
	const struct plan_item *items;
	int n;
	struct followup *f;
	const struct audit_entry *who;
};

static int
plan_run(struct db_conn *c, void *arg)
{
	struct plan_job *j = arg;
	struct order_ref r;
	int rc = providers_order_ref(c, j->tenant, j->p->order_id, &r);
	if (rc)
		return rc;
	if (strcmp(r.state, "accepted") != 0)
		return HERR_RULE;
	for (int i = 0; i < j->n; i++) {
		rc = providers__goal_of(c, j->tenant, r.id, j->items[i].goal_id);
		if (rc)
			return rc == HERR_NOT_FOUND ? HERR_RULE : rc;
	}
	struct plan cur;
	rc = providers_plan_get(c, j->tenant, r.id, &cur);
	int64_t now = time_now();
	if (rc == HERR_NOT_FOUND) {
		if (j->p->version != 0)
			return HERR_STALE;
		rc = providers__plan_insert(c, j->tenant, j->p, now);
		j->p->version = 1;
	} else if (rc == 0) {
		j->p->id = cur.id;
		rc = providers__plan_update(c, j->tenant, j->p, now);
		if (rc == HERR_NOT_FOUND)
			rc = HERR_STALE;
		j->p->version++;
	}
	if (rc == 0)
		rc = providers__items_replace(c, j->tenant, j->p->id, j->items, j->n);
	if (rc == 0)
		rc = audit_change(c, j->who, "update", "plan", j->p->id, r.person_id);
	return rc;
}

int
providers_plan_save(struct db *db, int64_t tenant, int64_t person_id, struct plan *p,
                    const struct plan_item *items, int n, const struct audit_entry *who)
{
	struct plan copy = *p;
	struct plan_job j = {tenant, person_id, &copy, items, n, NULL, who};
	int rc = db_write(db, plan_run, &j);
	if (rc == 0)
		*p = copy;
	return rc;
}

static int
followup_run(struct db_conn *c, void *arg)
{
	struct plan_job *j = arg;
	struct plan p;
	int rc = providers_plan_get(c, j->tenant, j->p->order_id, &p);
	if (rc)
		return rc;
	rc = providers__goal_of(c, j->tenant, p.order_id, j->f->goal_id);
	if (rc)
		return rc == HERR_NOT_FOUND ? HERR_RULE : rc;
	j->f->created_at = time_now();
	rc = providers__followup_insert(c, j->tenant, p.id, j->f);
	if (rc == 0)
		rc = audit_change(c, j->who, "create", "goal_followup", j->f->id, j->person_id);
	return rc;
}

int
providers_followup_add(struct db *db, int64_t tenant, int64_t person_id, int64_t order_id,
                       struct followup *f, const struct audit_entry *who)
{
	struct plan p;
	memset(&p, 0, sizeof p);
	p.order_id = order_id;
	struct followup copy = *f;
	struct plan_job j = {tenant, person_id, &p, NULL, 0, &copy, who};
	int rc = db_write(db, followup_run, &j);
	if (rc == 0)
		*f = copy;
	return rc;
}
