/*
 * The pages of the authority process (pages.c), for the route table (src/http/routes.c).
 */
#ifndef HANNA_CASES_PAGES_H
#define HANNA_CASES_PAGES_H

struct req;

int cases_page_mine(struct req *r);           /* GET /mina-sidor */
int cases_page_apply(struct req *r);          /* GET /ansok */
int cases_page_apply_post(struct req *r);     /* POST /ansok */
int cases_page_queue(struct req *r);          /* GET /arenden */
int cases_page_case(struct req *r);           /* GET /arenden/{id} */
int cases_page_assign(struct req *r);         /* POST /arenden/{id}/tilldela */
int cases_page_state(struct req *r);          /* POST /arenden/{id}/tillstand */
int cases_page_withdraw(struct req *r);       /* POST /arenden/{id}/aterta */
int cases_page_note_add(struct req *r);       /* POST /arenden/{id}/journal */
int cases_page_assessment_add(struct req *r); /* POST /arenden/{id}/bedomning */
int cases_page_decide(struct req *r);         /* POST /arenden/{id}/beslut */
int cases_page_investigation(struct req *r);  /* POST /arenden/{id}/utredning */
int cases_page_note_edit(struct req *r);      /* POST /anteckningar/{id} */
int cases_page_note_sign(struct req *r);      /* POST /anteckningar/{id}/signera */
int cases_page_close(struct req *r);          /* POST /beslut/{id}/avsluta */
int cases_page_interrupt(struct req *r);      /* POST /beslut/{id}/avbrott */
int cases_page_resume(struct req *r);         /* POST /avbrott/{id}/ateruppta */

/* The manager's pages (issue 3 item 9). */
int cases_page_delegation(struct req *r); /* GET /chef/delegationsordning */
int cases_page_unexecuted(struct req *r); /* GET /chef/ej-verkstallda */
int cases_page_lead_times(struct req *r); /* GET /chef/ledtider */
int cases_page_delegated(struct req *r);  /* GET /chef/delegationsbeslut */
int cases_page_referred(struct req *r);   /* GET /chef/hanskjutna */

int cases_page_attach(struct req *r); /* POST /arenden/{id}/bilagor */

int cases_page_templates(struct req *r);    /* GET /admin/utredningsmallar */
int cases_page_template_add(struct req *r); /* POST /admin/utredningsmallar */

#endif
