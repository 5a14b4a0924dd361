/*
 * Shared between the route and page files of src/providers only: the checks, access and
 * audit that the JSON routes (api.c, orders.c) and the pages (pages.c) run alike. Each
 * `…_or_fail` has, when it fails, set up the error for the edge (field errors in r->fe) and
 * returns its code.
 */
#ifndef HANNA_PROVIDERS_API_PRIVATE_H
#define HANNA_PROVIDERS_API_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>

#include "providers.h"

struct db_conn;
struct req;
struct decision;
struct case_row;

/* Whether the user is a provider's (provider_admin, provider_staff or a provider token). */
bool providers__is_provider(const struct req *r);
/* Loads an order the user may see: a provider's user an order of their provider that gives
 * access to the customer (not declined or withdrawn), staff an order of a case they may see.
 * Everything else 404. Not audited. */
int providers__order_or_fail(struct req *r, int64_t id, struct order *o /* out */);
/* Loads a decision and its case when the user may see the case (cases_access); 404
 * otherwise. */
int providers__decision_or_fail(struct req *r, int64_t id, struct decision *d /* out */,
                                struct case_row *cs /* out */);
/* Loads provider id for a change by the user: an admin any provider of the tenant, a
 * provider_admin their own; others 404. */
int providers__own_or_fail(struct req *r, int64_t id, struct provider *p /* out */);
/* One read record of entity about each of n persons (n >= 1), durable before the answer. */
int providers__audit_read(struct req *r, const char *entity, int64_t entity_id,
                          const int64_t *persons, int n);

/* A new order from a decision as the JSON route and the form read it. */
struct providers__order_in {
	int64_t provider_id;
	int64_t section_ids[PROVIDERS_MAX_SECTIONS];
	int nsections;
	char message[2001];
	char from[11], to[11]; /* "" for the decision's period */
	bool main_responsible;
};
/* The checks and the creation of an order from decision decision_id (POST
 * /api/v1/decisions/{id}/orders), or, when old_id is set, the change of provider that ends
 * order old_id on end_date. On success *o is the stored order. */
int providers__order_create_or_fail(struct req *r, int64_t decision_id,
                                    const struct providers__order_in *in, int64_t old_id,
                                    const char *end_date, struct order *o /* out */);
/* Accept or decline (with reason) by the provider's user. */
int providers__answer_or_fail(struct req *r, int64_t id, bool accept, const char *reason);
/* Ends an accepted order on end_date ('YYYY-MM-DD') or withdraws a sent one, by the
 * caseworker. */
int providers__end_or_fail(struct req *r, int64_t id, const char *end_date, const char *reason);
/* Marks the order's provider as the one with overall responsibility for the customer. */
int providers__main_or_fail(struct req *r, int64_t id);
/* Writes the plan of an order (version 0 creates it). */
int providers__plan_or_fail(struct req *r, int64_t id, struct plan *p,
                            const struct plan_item *items, int n);
/* Records a goal follow-up. */
int providers__followup_or_fail(struct req *r, int64_t id, struct followup *f);
/* Replaces the vacancy marking of provider id. v[i].service_code in, service ids resolved. */
int providers__vacancies_or_fail(struct req *r, int64_t id, struct vacancy *v, int n);
/* Records the choice of provider_id for decision_id. */
int providers__choose_or_fail(struct req *r, int64_t decision_id, int64_t provider_id,
                              struct choice *ch /* out */);

/* The goals of an order and the items of its plan, as pages collect them. */
struct providers__plan_view {
	struct order_goal goals[PROVIDERS_MAX_GOALS];
	int ngoals;
	struct plan_item items[PROVIDERS_MAX_ITEMS];
	int nitems;
};
/* Callbacks of providers_order_goals and providers_plan_items that fill a plan view (arg);
 * entries beyond the arrays are dropped (pages.c). */
void providers__add_goal(const struct order_goal *g, void *arg);
void providers__add_item(const struct plan_item *it, void *arg);
/* The person's name for a page ("Förnamn Efternamn") into out, or "Kund" when it cannot be
 * read (pages.c). */
void providers__person_name(struct db_conn *c, int64_t tenant, int64_t id, char *out, size_t n);
/* The Swedish word of an order state, for pages. Static storage. */
const char *providers__state_word(const char *state);

#endif
