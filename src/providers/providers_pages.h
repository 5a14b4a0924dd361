/*
 * The pages of customer choice and providers, for the route table (src/http/routes.c), and
 * the line Mina sidor (src/cases/pages.c) shows under a granted decision.
 */
#ifndef HANNA_PROVIDERS_PAGES_H
#define HANNA_PROVIDERS_PAGES_H

#include <stdbool.h>
#include <stdint.h>

struct db_conn;
struct req;
struct strbuf;

int providers_page_inbox(struct req *r);          /* GET /utforare */
int providers_page_order(struct req *r);          /* GET /utforare/uppdrag/{id} */
int providers_page_answer(struct req *r);         /* POST /utforare/uppdrag/{id}/svar */
int providers_page_plan(struct req *r);           /* POST /utforare/uppdrag/{id}/plan */
int providers_page_vacancies(struct req *r);      /* GET /utforare/lediga */
int providers_page_vacancies_post(struct req *r); /* POST /utforare/lediga */
int providers_page_choose_staff(struct req *r);   /* GET /beslut/{id}/utforare */
int providers_page_order_post(struct req *r);     /* POST /beslut/{id}/bestallning */
int providers_page_staff_order(struct req *r);    /* GET /bestallningar/{id} */
int providers_page_followup_post(struct req *r);  /* POST /bestallningar/{id}/uppfoljning */
int providers_page_main_post(struct req *r);      /* POST /bestallningar/{id}/huvudansvar */
int providers_page_end_post(struct req *r);       /* POST /bestallningar/{id}/avsluta */
int providers_page_change(struct req *r);         /* GET /bestallningar/{id}/byte */
int providers_page_change_post(struct req *r);    /* POST /bestallningar/{id}/byte */
int providers_page_choose(struct req *r);         /* GET /mina-sidor/val/{id} */
int providers_page_choose_post(struct req *r);    /* POST /mina-sidor/val/{id} */

/* Appends the provider of a granted decision for Mina sidor: the order's provider and state,
 * else the customer's choice, else (when may_choose and the catalogue gives the service
 * customer choice) a link to the choice page. Not audited:
 * the page's own list record covers the case. */
void providers_mine_html(struct db_conn *c, int64_t tenant, int64_t person_id, int64_t decision_id,
                         bool may_choose, struct strbuf *sb);

/* Appends, when there are any, the orders the user sent that their providers have not
 * answered in time, as a section of the work queue (/arenden), each linked to its order;
 * audits one list record per customer shown. 0, or a code already set on r. */
int providers_overdue_html(struct req *r, struct strbuf *sb);

#endif
