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
int providers__choice_insert(struct db_conn *c, int64_t tenant, struct choice *ch,
			     int64_t user_id);

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
/* Marks order id and clears the mark on the person's other orders. */
int providers__order_main(struct db_conn *c, int64_t tenant, int64_t id, int64_t person_id,
			  int64_t now);
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
/* Calls fn for undelivered events due at now whose provider has a webhook, oldest first. */
int providers__events_due(struct db_conn *c, int64_t now, int limit,
			  void (*fn)(const struct order_event *, const char *url,
				     const char *secret, void *),
			  void *arg);
/* Records one delivery attempt and its outcome. */
int providers__attempt(struct db_conn *c, int64_t tenant, int64_t event_id, int64_t now,
		       int status, const char *error, int64_t next_at, bool delivered);

/* Appends the JSON of an order without its sections and goals (api.c). */
struct strbuf;
void providers__order_json(struct strbuf *sb, const struct order *o, const char *today);

#endif
