/*
 * The routes of the time-reporting module, for the route table (src/http/routes.c).
 */
#ifndef HANNA_VISITS_API_H
#define HANNA_VISITS_API_H

struct req;

int visits_api_customers(struct req *r);    /* GET /api/v1/visits/customers */
int visits_api_check_in(struct req *r);     /* POST /api/v1/visits/check-in */
int visits_api_check_out(struct req *r);    /* POST /api/v1/visits/check-out */
int visits_api_deviation(struct req *r);    /* POST /api/v1/visits/deviations */
int visits_api_create(struct req *r);       /* POST /api/v1/visits */
int visits_api_correct(struct req *r);      /* POST /api/v1/visits/{id}/corrections */
int visits_api_list(struct req *r);         /* GET /api/v1/visits */
int visits_api_get(struct req *r);          /* GET /api/v1/visits/{id} */
int visits_api_summary(struct req *r);      /* GET /api/v1/visits/summary */
int visits_api_summary_csv(struct req *r);  /* GET /api/v1/visits/summary.csv */
int visits_api_bulk(struct req *r);         /* POST /api/v1/visits/bulk */
int visits_api_locks(struct req *r);        /* GET /api/v1/visits/periods */
int visits_api_lock(struct req *r);         /* POST /api/v1/visits/periods */
int visits_api_settings_get(struct req *r); /* GET /api/v1/settings/visits */
int visits_api_settings_put(struct req *r); /* PUT /api/v1/settings/visits */

#endif
