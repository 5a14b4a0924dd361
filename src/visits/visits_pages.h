/*
 * The pages of the time-reporting module, for the route table (src/http/routes.c).
 */
#ifndef HANNA_VISITS_PAGES_H
#define HANNA_VISITS_PAGES_H

struct req;

int visits_page_day(struct req *r);      /* GET /besok */
int visits_page_followup(struct req *r); /* GET /besok/uppfoljning */
int visits_page_lock(struct req *r);     /* POST /besok/perioder */
int visits_page_entry(struct req *r);      /* GET /besok/registrera */
int visits_page_entry_post(struct req *r); /* POST /besok/registrera */

#endif
