/*
 * Shared between the files of src/providers only: the statements of store.c that the write
 * jobs of providers.c and the delivery thread of webhook.c run on the writer connection.
 */
#ifndef HANNA_PROVIDERS_PRIVATE_H
#define HANNA_PROVIDERS_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "providers.h"

/* Copies s (NULL as "") into dst of n bytes, cut to fit. */
void providers__copy(char *dst, size_t n, const char *s);
/* Appends ',' unless sb ends with '[' or '{' (between JSON list items). */
struct strbuf;
void providers__comma(struct strbuf *sb);

/* The earliest order end that still gives a provider access today, as YYYY-MM-DD. */
void providers__cutoff_today(char out[11]);

/* HERR_CONFLICT when another provider of the tenant has p's name or organisation number. */
int providers__taken(struct db_conn *c, const struct provider *p);
int providers__insert(struct db_conn *c, struct provider *p, int64_t now);
/* HERR_NOT_FOUND when the version (or the row) does not match. */
int providers__update(struct db_conn *c, const struct provider *p);
int providers__secret(struct db_conn *c, int64_t tenant, int64_t id, const char *secret);
/* The webhook secret of a provider ("" when none). */
int providers__secret_get(struct db_conn *c, int64_t tenant, int64_t id, char out[65]);
/* Replaces the services and areas of a provider. */
int providers__lists(struct db_conn *c, int64_t tenant, int64_t id,
                     const struct provider_service *sv, int nsv, const char *const *areas,
                     int nareas);
int providers__vacancies_replace(struct db_conn *c, int64_t tenant, int64_t provider_id,
                                 const struct vacancy *v, int n, int64_t now);
int providers__choice_insert(struct db_conn *c, int64_t tenant, struct choice *ch, int64_t user_id);

int providers__order_insert(struct db_conn *c, struct order *o, int64_t user_id);
/* 0 when the decision has a sent or accepted order other than except, else HERR_NOT_FOUND. */
int providers__order_open(struct db_conn *c, int64_t tenant, int64_t decision_id, int64_t except);
/* HERR_NOT_FOUND when the order is not sent. */
int providers__order_answer(struct db_conn *c, int64_t tenant, int64_t id, bool accept,
                            const char *reason, const char *by_name, int64_t now);
/* Moves an order in from_state to to_state with its end date; HERR_NOT_FOUND otherwise. */
int providers__order_end(struct db_conn *c, int64_t tenant, int64_t id, const char *from_state,
                         const char *to_state, const char *to_date, const char *reason,
                         int64_t now);
/* Marks order id; when take, the person's other orders lose the mark (the order holds overall
 * responsibility), otherwise the mark is only asked for (a sent order: it takes effect when the
 * order is accepted). */
int providers__order_main(struct db_conn *c, int64_t tenant, int64_t id, int64_t person_id,
                          int64_t now, bool take);
/* Clears the mark of order id (declined or withdrawn: the mark stays with the order that holds
 * it). */
int providers__order_main_drop(struct db_conn *c, int64_t tenant, int64_t id, int64_t now);
int providers__section_insert(struct db_conn *c, int64_t tenant, int64_t order_id,
                              const struct order_section *s);
int providers__goal_insert(struct db_conn *c, int64_t tenant, int64_t order_id, int position,
                           const char *goal);
/* 0 when goal_id is a goal of the order, else HERR_NOT_FOUND. */
int providers__goal_of(struct db_conn *c, int64_t tenant, int64_t order_id, int64_t goal_id);

int providers__plan_insert(struct db_conn *c, int64_t tenant, struct plan *p, int64_t now);
/* HERR_NOT_FOUND when the version does not match. */
int providers__plan_update(struct db_conn *c, int64_t tenant, const struct plan *p, int64_t now);
int providers__items_replace(struct db_conn *c, int64_t tenant, int64_t plan_id,
                             const struct plan_item *items, int n);
int providers__followup_insert(struct db_conn *c, int64_t tenant, int64_t plan_id,
                               struct followup *f);

int providers__event_insert(struct db_conn *c, const struct order_event *ev);
/* Calls fn for undelivered events due at now whose provider has a webhook and that no process
 * holds a live claim on, oldest first. */
int providers__events_due(struct db_conn *c, int64_t now, int limit,
                          void (*fn)(const struct order_event *, const char *url,
                                     const char *secret, void *),
                          void *arg);
/* Claims an event for delivery by the process me until the epoch second until: only an
 * undelivered event due at now whose claim is absent or ended before now. 0 with *attempts
 * the event's failed attempts so far, or HERR_NOT_FOUND (delivered, not due, or another
 * process holds it). Write job. */
int providers__event_claim(struct db_conn *c, int64_t tenant, int64_t event_id, int64_t now,
                           int64_t until, const char *me, int64_t *attempts /* out */);
/* Records one delivery attempt made by the process me and its outcome. The webhook_attempts
 * row is always written (the post was made); the event's attempts, next attempt and delivery
 * time change, and its claim ends (claimed_until NULL), only when it is undelivered and
 * claimed_by is still me: *applied tells whether they did. A late outcome of a process whose
 * lease ran out and another took the event over therefore never overwrites the other's.
 * Write job. */
int providers__attempt(struct db_conn *c, int64_t tenant, int64_t event_id, const char *me,
                       int64_t now, int status, const char *error, int64_t next_at, bool delivered,
                       bool *applied /* out */);

/* Whether a webhook address may be used (webhook.c). */
enum webhook_fault {
	WEBHOOK_OK = 0,
	WEBHOOK_BAD_URL,    /* not an http or https URL with a host */
	WEBHOOK_UNRESOLVED, /* the host does not resolve */
	WEBHOOK_PRIVATE,    /* some address of the host is not public (and that is not allowed) */
};
/* The host, port and first checked address of a webhook URL. */
struct webhook_target {
	char host[256]; /* without the brackets of an IPv6 literal */
	long port;      /* the URL's port or the scheme's default */
	char addr[64];  /* the first address the host resolved to, as text */
	bool v6;        /* addr is IPv6 */
	bool literal6;  /* the host is an IPv6 literal */
};
/* Parses url and resolves its host with getaddrinfo; every address must be public unless
 * private addresses are allowed (providers_webhook_allow_private). Blocks on DNS. */
enum webhook_fault providers__webhook_check(const char *url, struct webhook_target *t /* out */);
/* A Swedish message for a fault, for the field error on webhook_url. Static storage. */
const char *providers__webhook_fault_message(enum webhook_fault f);

/* Appends the JSON of an order without its sections and goals (api.c). */
struct strbuf;
void providers__order_json(struct strbuf *sb, const struct order *o, const char *today);

#endif
