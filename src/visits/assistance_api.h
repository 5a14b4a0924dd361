/*
 * The routes of personal assistance, for the route table (src/http/routes.c).
 */
#ifndef HANNA_VISITS_ASSISTANCE_API_H
#define HANNA_VISITS_ASSISTANCE_API_H

struct req;

int visits_pa_api_assistants(struct req *r);    /* GET /api/v1/assistance/assistants */
int visits_pa_api_assistant_add(struct req *r); /* POST /api/v1/assistance/assistants */
int visits_pa_api_hours(struct req *r);         /* POST /api/v1/assistance/hours */
int visits_pa_api_correction(struct req *r);    /* POST /api/v1/assistance/hours/{id}/correction */
int visits_pa_api_void(struct req *r);          /* POST /api/v1/assistance/hours/{id}/void */
int visits_pa_api_sheet(struct req *r);         /* GET /api/v1/assistance/persons/{id}/sheet */
int visits_pa_api_sheet_pdf(struct req *r);     /* GET /api/v1/assistance/persons/{id}/sheet.pdf */
int visits_pa_api_sheet_csv(struct req *r);     /* GET /api/v1/assistance/persons/{id}/sheet.csv */
int visits_pa_api_sign(struct req *r);  /* POST /api/v1/assistance/persons/{id}/sheet/signatures */
int visits_pa_api_month(struct req *r); /* GET /api/v1/assistance/month */
int visits_pa_api_approve(struct req *r); /* POST /api/v1/assistance/month/approval */
int visits_pa_api_grant(struct req *r);   /* PUT /api/v1/assistance/orders/{id}/grant */

/* Pages (assistance_pages.c). */
int visits_pa_page_today(struct req *r);      /* GET /assistans */
int visits_pa_page_today_post(struct req *r); /* POST /assistans */
int visits_pa_page_sheet(struct req *r);      /* GET /assistans/tidsredovisning/{id} */
int visits_pa_page_sign(struct req *r);       /* POST /assistans/tidsredovisning/{id}/signera */
int visits_pa_page_month(struct req *r);      /* GET /assistans/manad */
int visits_pa_page_approve(struct req *r);    /* POST /assistans/manad */
int visits_pa_page_mine(struct req *r);       /* GET /mina-sidor/assistans */

#endif
