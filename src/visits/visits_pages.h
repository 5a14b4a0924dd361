/*
 * The pages of the time-reporting module, for the route table (src/http/routes.c).
 */
#ifndef HANNA_VISITS_PAGES_H
#define HANNA_VISITS_PAGES_H

struct req;
struct strbuf;

int visits_page_day(struct req *r);           /* GET /besok */
int visits_page_followup(struct req *r);      /* GET /besok/uppfoljning */
int visits_page_lock(struct req *r);          /* POST /besok/perioder */
int visits_page_entry(struct req *r);         /* GET /besok/registrera */
int visits_page_entry_post(struct req *r);    /* POST /besok/registrera */
int visits_page_billing(struct req *r);       /* GET /ekonomi/utford-tid */
int visits_page_settings(struct req *r);      /* GET /admin/installningar */
int visits_page_settings_post(struct req *r); /* POST /admin/installningar */

/*
 * The section "Utförd tid" of a person's case view (src/cases/pages.c): granted versus
 * performed of this and the previous month per provider and service, with the deviations and
 * the unexplained minutes and a link to each month's follow-up. Writes nothing for a user
 * without PERM_VISIT_READ or a provider user. The caller has checked the user's access to
 * person; the section writes one read record of person (entity visit_summary) when it shows
 * an order, none when the person has none in the two months (the case's record names the
 * person). 0, or a code (REQ_FAIL called).
 */
int visits_case_section_html(struct req *r, struct strbuf *sb, int64_t person);

#endif
