/*
 * The routes of customer choice and providers, for the route table (src/http/routes.c).
 */
#ifndef HANNA_PROVIDERS_API_H
#define HANNA_PROVIDERS_API_H

struct req;

int providers_api_list(struct req *r);         /* GET /api/v1/providers */
int providers_api_create(struct req *r);       /* POST /api/v1/providers */
int providers_api_get(struct req *r);          /* GET /api/v1/providers/{id} */
int providers_api_patch(struct req *r);        /* PATCH /api/v1/providers/{id} */
int providers_api_vacancies(struct req *r);    /* PUT /api/v1/providers/{id}/vacancies */
int providers_api_token(struct req *r);        /* POST /api/v1/providers/{id}/tokens */
int providers_api_tokens(struct req *r);       /* GET /api/v1/providers/{id}/tokens */
int providers_api_token_revoke(struct req *r); /* DELETE /api/v1/api-tokens/{id} */
int providers_api_events(struct req *r);       /* GET /api/v1/providers/{id}/events */
int providers_api_choose(struct req *r);       /* POST /api/v1/decisions/{id}/choice */
int providers_api_order_create(struct req *r); /* POST /api/v1/decisions/{id}/orders */
int providers_api_case_orders(struct req *r);  /* GET /api/v1/cases/{id}/orders */
int providers_api_orders(struct req *r);       /* GET /api/v1/orders */
int providers_api_order_get(struct req *r);    /* GET /api/v1/orders/{id} */
int providers_api_accept(struct req *r);       /* POST /api/v1/orders/{id}/accept */
int providers_api_decline(struct req *r);      /* POST /api/v1/orders/{id}/decline */
int providers_api_change(struct req *r);       /* POST /api/v1/orders/{id}/change */
int providers_api_end(struct req *r);          /* POST /api/v1/orders/{id}/end */
int providers_api_main(struct req *r);         /* POST /api/v1/orders/{id}/main-responsible */
int providers_api_plan_get(struct req *r);     /* GET /api/v1/orders/{id}/plan */
int providers_api_plan_put(struct req *r);     /* PUT /api/v1/orders/{id}/plan */
int providers_api_followup(struct req *r);     /* POST /api/v1/orders/{id}/plan/followups */

#endif
