/*
 * The pages of the time-reporting module, for the route table (src/http/routes.c).
 */
#ifndef HANNA_VISITS_PAGES_H
#define HANNA_VISITS_PAGES_H

struct req;

int visits_page_day(struct req *r);      /* GET /besok */
int visits_page_followup(struct req *r); /* GET /besok/uppfoljning */
int visits_page_lock(struct req *r);     /* POST /besok/perioder */

#endif
