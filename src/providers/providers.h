/*
 * Customer choice and providers (issue 4; ARCHITECTURE.md, providers/): the provider register
 * under LOV, vacancies (ledigmarkering), the customer's choice, orders (beställning) sent to a
 * provider with only what the provider needs, implementation plans (genomförandeplan) with goal
 * follow-up, and the outbox of order events that providers' systems read as a feed or receive
 * by webhook. The schema is src/db/sql/0008_providers.sql; rules are in rules.h, SQL in
 * store.c, write jobs in providers.c, routes in api.c, pages in pages.c, delivery in webhook.c.
 *
 * Order states: sent (waiting for the provider's answer), accepted, declined (back to the
 * caseworker for a new choice), ended (an accepted order past the end date it was given: it
 * stays accepted up to and including that day, rules.h providers_order_state_on, and every
 * order read from the store carries that state of today), withdrawn (a sent order taken back
 * before an answer).
 */
#ifndef HANNA_PROVIDERS_H
#define HANNA_PROVIDERS_H

#include <stdbool.h>
#include <stdint.h>

struct audit_entry;
struct db;
struct db_conn;
struct order;

struct order_ref {
	int64_t id, tenant_id, decision_id, case_id, person_id, provider_id, service_id;
	char service_code[32];
	char state[16]; /* "sent", "accepted", "declined", "ended", "withdrawn", as of today */
	char from[11], to[11];         /* the period the order covers; to "" when open-ended */
	int64_t granted_minutes_month; /* 0 when the service is not measured in hours */
	bool main_responsible;
	bool ending; /* accepted, given the end date to: no further end or change */
};

/* 0 when a provider user of provider_id may see person (an accepted or sent order active today
 * or ended within 90 days), HERR_NOT_FOUND otherwise. */
int providers_customer_access(struct db_conn *c, int64_t tenant, int64_t provider_id,
                              int64_t person_id);
/* The accepted order of provider for person and service covering date ('YYYY-MM-DD'). An order
 * that was accepted and has since been ended still covers the dates up to its end.
 * 0 or HERR_NOT_FOUND. */
int providers_order_covering(struct db_conn *c, int64_t tenant, int64_t provider_id,
                             int64_t person_id, int64_t service_id, const char *date,
                             struct order_ref *out /* out */);
/* Calls fn for each accepted order of provider active on date (accepted, or accepted and ended
 * on or after date). 0 or a code. */
int providers_orders_active(struct db_conn *c, int64_t tenant, int64_t provider_id,
                            const char *date, void (*fn)(const struct order_ref *, void *),
                            void *arg);
/* Calls fn for each accepted order of the tenant (accepted, or accepted and ended) whose
 * period overlaps first..last ('YYYY-MM-DD'), of every provider, with ids above after, by id,
 * at most limit: the billing run's orders of a month. 0 or a code. */
int providers_orders_period(struct db_conn *c, int64_t tenant, const char *first, const char *last,
                            int64_t after, int limit, void (*fn)(const struct order *, void *),
                            void *arg);
/* Calls fn for each order sent by user created_by that its provider has not answered by its
 * answer day (state sent, answer_due before today 'YYYY-MM-DD'), by answer day, at most limit.
 * 0 or a code. */
int providers_orders_overdue(struct db_conn *c, int64_t tenant, int64_t created_by,
                             const char *today, int limit, void (*fn)(const struct order *, void *),
                             void *arg);
/* One order by id within tenant. 0 or HERR_NOT_FOUND. */
int providers_order_ref(struct db_conn *c, int64_t tenant, int64_t id,
                        struct order_ref *out /* out */);

/* ---- the register -------------------------------------------------------------------- */

#define PROVIDERS_MAX_SERVICES 20
#define PROVIDERS_MAX_AREAS 20

struct provider {
	int64_t id, tenant_id, version;
	char name[201];         /* "Omsorg i Hannaby AB" */
	char org_nr[12];        /* "556677-8899", "" when not registered yet */
	char kind[12];          /* "private" or "municipal" */
	char approved_from[11]; /* LOV approval period; "" when none */
	char approved_to[11];   /* "" for until further notice */
	char contact_name[129];
	char contact_email[129];
	char contact_phone[41];
	char account[101];      /* account string (kontering) of a municipal unit */
	char description[2001]; /* the profile the customer reads */
	char webhook_url[501];  /* where order events are posted, "" when none */
	bool has_secret;        /* a webhook secret is set */
};

/* A provider's approved service (by the catalogue of src/cases). */
struct provider_service {
	int64_t service_id;
	char code[41];
};

/* One line of vacancy marking: free places for a service in an area at a time of day. */
struct vacancy {
	int64_t provider_id, service_id, updated_at;
	char service_code[41];
	char area[101];
	char time_of_day[12]; /* day, evening, night, weekend */
	int places;
};

/* Registers a provider with its services and areas (p: all but id and version in; out: id,
 * version 1). HERR_CONFLICT for a name or organisation number the tenant has. */
int providers_register(struct db *db, struct provider *p, const struct provider_service *sv,
                       int nsv, const char *const *areas, int nareas,
                       const struct audit_entry *who);
/* Changes a provider with the version; the services and areas are replaced when set_lists.
 * webhook_secret, when not NULL, becomes the new secret. HERR_STALE for another version. */
int providers_update(struct db *db, struct provider *p, bool set_lists,
                     const struct provider_service *sv, int nsv, const char *const *areas,
                     int nareas, const char *webhook_secret, const struct audit_entry *who);
int providers_get(struct db_conn *c, int64_t tenant, int64_t id, struct provider *out /* out */);
/* Calls fn for every provider of the tenant, by name. */
int providers_list(struct db_conn *c, int64_t tenant, void (*fn)(const struct provider *, void *),
                   void *arg);
int providers_services(struct db_conn *c, int64_t tenant, int64_t provider_id,
                       void (*fn)(const struct provider_service *, void *), void *arg);
int providers_areas(struct db_conn *c, int64_t tenant, int64_t provider_id,
                    void (*fn)(const char *area, void *), void *arg);
/* Whether the provider is approved for the service (0) or not (HERR_NOT_FOUND). */
int providers_approved_for(struct db_conn *c, int64_t tenant, int64_t provider_id,
                           int64_t service_id);

/* Replaces the vacancy marking of a provider. */
int providers_vacancies_set(struct db *db, int64_t tenant, int64_t provider_id,
                            const struct vacancy *v, int n, const struct audit_entry *who);
/* Calls fn for the vacancy lines of a provider (provider_id > 0) or of every provider for a
 * service (service_id > 0, provider_id 0), by provider and area. */
int providers_vacancies(struct db_conn *c, int64_t tenant, int64_t provider_id, int64_t service_id,
                        void (*fn)(const struct vacancy *, void *), void *arg);

/* ---- choice and orders ----------------------------------------------------------------- */

struct choice {
	int64_t id, decision_id, person_id, provider_id, created_at;
	char provider_name[201];
	char chosen_by_role[160];
};

/* Records the customer's choice of provider for a decision, audited. */
int providers_choose(struct db *db, int64_t tenant, struct choice *ch,
                     const struct audit_entry *who);
/* The latest choice for a decision; HERR_NOT_FOUND when none. */
int providers_choice_get(struct db_conn *c, int64_t tenant, int64_t decision_id,
                         struct choice *out /* out */);

#define PROVIDERS_MAX_SECTIONS 20
#define PROVIDERS_MAX_GOALS 20

struct order {
	struct order_ref ref; /* identity, state, period, scope */
	int64_t previous_id;  /* the order this one replaced at a change of provider */
	int64_t answered_at, accepted_at, created_at, updated_at, version;
	char provider_name[201];
	char service_name[101];
	char scope_text[201]; /* "30 timmar per månad (dag 24, kväll 6)" */
	char goals[2001];     /* the decision's goals as sent */
	char message[2001];   /* the caseworker's message to the provider */
	char sent_date[11];
	char answer_due[11]; /* the provider answers by this day */
	char answered_by_name[129];
	char decline_reason[1001];
	char ended_reason[501];
};

/* A part of the investigation copied into an order. */
struct order_section {
	int64_t id;
	int position;
	char heading[101];
	char body[8001];
};

struct order_goal {
	int64_t id;
	int position;
	char goal[1001];
};

/*
 * Creates an order in state sent with its sections and goals (split from o->goals, one per
 * line), the event order.new and the audit record, in one transaction. When
 * o->ref.main_responsible is set, the order asks for overall responsibility: the customer's
 * other orders lose that mark when this order is accepted, and it loses it when declined or
 * withdrawn, so that it never sits only on an unanswered order. HERR_CONFLICT when
 * the decision has a sent or accepted order. o: out id, version, times.
 */
int providers_order_create(struct db *db, struct order *o, const struct order_section *sec,
                           int nsec, const struct audit_entry *who);
/* The provider's answer to a sent order: accept, or decline with a reason. HERR_RULE when the
 * order is not sent. Event order.changed. */
int providers_order_answer(struct db *db, int64_t tenant, int64_t id, bool accept,
                           const char *reason, const char *by_name, const struct audit_entry *who);
/* Ends an accepted order on end_date (state ended) or withdraws a sent one; event order.ended.
 * HERR_RULE for another state or an end before the start. */
int providers_order_end(struct db *db, int64_t tenant, int64_t id, const char *end_date,
                        const char *reason, const struct audit_entry *who);
/* Change of provider: ends (or withdraws) order old_id on end_date and creates order o in the
 * same transaction. */
int providers_order_change(struct db *db, int64_t tenant, int64_t old_id, const char *end_date,
                           struct order *o, const struct order_section *sec, int nsec,
                           const struct audit_entry *who);
/* Marks an order as the one with overall responsibility for its customer; the customer's other
 * orders lose the mark, at once for an accepted order, when it is accepted for a sent one.
 * Event order.changed. HERR_RULE for a declined, withdrawn or ended
 * order. */
int providers_order_main(struct db *db, int64_t tenant, int64_t id, const struct audit_entry *who);
int providers_order_get(struct db_conn *c, int64_t tenant, int64_t id, struct order *out /* out */);
/* Orders of a provider (provider_id > 0; state "" for all but declined and withdrawn), of a
 * case (case_id > 0), or of a person (person_id > 0), newest first, at most limit. */
int providers_orders(struct db_conn *c, int64_t tenant, int64_t provider_id, int64_t case_id,
                     int64_t person_id, const char *state, int limit,
                     void (*fn)(const struct order *, void *), void *arg);
int providers_order_sections(struct db_conn *c, int64_t tenant, int64_t order_id,
                             void (*fn)(const struct order_section *, void *), void *arg);
int providers_order_goals(struct db_conn *c, int64_t tenant, int64_t order_id,
                          void (*fn)(const struct order_goal *, void *), void *arg);

/* ---- implementation plans ---------------------------------------------------------------- */

#define PROVIDERS_MAX_ITEMS 30

struct plan {
	int64_t id, order_id, version, created_at, updated_at;
	char participation[2001]; /* how the customer took part */
	char written_by_name[129];
};

struct plan_item {
	int64_t id, goal_id;
	int position;
	char what[1001];
	char when_text[501];
	char how[1001];
};

struct followup {
	int64_t id, goal_id, created_at;
	char date[11];
	char status[12]; /* met, partly, not_met */
	char comment[1001];
	char by_name[129];
};

/* Writes the plan of an accepted order (creates it at version 0, else needs p->version),
 * replacing its items; audited. HERR_RULE when the order is not accepted or has ended, or an
 * item names a goal of another order; HERR_STALE for another version. p: out id, version. */
int providers_plan_save(struct db *db, int64_t tenant, int64_t person_id, struct plan *p,
                        const struct plan_item *items, int n, const struct audit_entry *who);
int providers_plan_get(struct db_conn *c, int64_t tenant, int64_t order_id,
                       struct plan *out /* out */);
int providers_plan_items(struct db_conn *c, int64_t tenant, int64_t plan_id,
                         void (*fn)(const struct plan_item *, void *), void *arg);
/* Records a goal follow-up on the plan of an order; HERR_NOT_FOUND when the order has no plan,
 * HERR_RULE for a goal not of the order. f: out id. */
int providers_followup_add(struct db *db, int64_t tenant, int64_t person_id, int64_t order_id,
                           struct followup *f, const struct audit_entry *who);
int providers_followups(struct db_conn *c, int64_t tenant, int64_t plan_id,
                        void (*fn)(const struct followup *, void *), void *arg);

/* ---- events ------------------------------------------------------------------------------- */

struct order_event {
	int64_t id, tenant_id, provider_id, order_id, person_id, created_at, attempts;
	int64_t delivered_at; /* 0 while undelivered */
	char kind[24];        /* order.new, order.changed, order.ended */
	char payload[2001];   /* the order's JSON as of the event */
};

/* Appends the JSON a provider's system receives for an event. */
struct strbuf;
void providers_event_json(struct strbuf *sb, const struct order_event *ev);
/* Events of a provider with ids above after, oldest first, at most limit. */
int providers_events(struct db_conn *c, int64_t tenant, int64_t provider_id, int64_t after,
                     int limit, void (*fn)(const struct order_event *, void *), void *arg);

/* The webhook delivery thread (webhook.c), started by hanna serve. */
struct providers_delivery;
/* Starts delivery: base_backoff seconds before the first retry (doubled per attempt, at most an
 * hour), poll_ms between looks for due events. Caller stops with providers_delivery_stop. */
/* Lets webhooks go to loopback, private and link-local addresses (hanna serve
 * --webhook-allow-private, HANNA_WEBHOOK_ALLOW_PRIVATE=1: tests and closed networks). Off by
 * default; set before serving. */
void providers_webhook_allow_private(bool allow);
struct providers_delivery *providers_delivery_start(struct db *db, int base_backoff, int poll_ms);
void providers_delivery_stop(struct providers_delivery *d);

/* Seeds the two demo providers' register data, vacancies and some accepted orders from granted
 * hemtjänst decisions (hanna demo). */
int providers_seed_demo(struct db *db, int64_t tenant, int64_t provider, int64_t provider2);

#endif
