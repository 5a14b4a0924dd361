/*
 * The routes of the cases module, for the route table (src/http/routes.c).
 */
#ifndef HANNA_CASES_API_H
#define HANNA_CASES_API_H

struct req;

int cases_api_services(struct req *r);           /* GET /api/v1/services */
int cases_api_delegation(struct req *r);         /* GET /api/v1/delegation */
int cases_api_create(struct req *r);             /* POST /api/v1/cases */
int cases_api_list(struct req *r);               /* GET /api/v1/cases */
int cases_api_get(struct req *r);                /* GET /api/v1/cases/{id} */
int cases_api_assign(struct req *r);             /* POST /api/v1/cases/{id}/assign */
int cases_api_state(struct req *r);              /* POST /api/v1/cases/{id}/state */
int cases_api_withdraw(struct req *r);           /* POST /api/v1/cases/{id}/withdraw */
int cases_api_note_add(struct req *r);           /* POST /api/v1/cases/{id}/notes */
int cases_api_note_patch(struct req *r);         /* PATCH /api/v1/notes/{id} */
int cases_api_note_sign(struct req *r);          /* POST /api/v1/notes/{id}/sign */
int cases_api_assessment_add(struct req *r);     /* POST /api/v1/cases/{id}/assessments */
int cases_api_decide(struct req *r);             /* POST /api/v1/cases/{id}/decisions */
int cases_api_letter(struct req *r);             /* GET /api/v1/decisions/{id}/letter */
int cases_api_executed(struct req *r);           /* POST /api/v1/decisions/{id}/execution */
int cases_api_closing(struct req *r);            /* POST /api/v1/decisions/{id}/closing */
int cases_api_interrupt(struct req *r);          /* POST /api/v1/decisions/{id}/interruptions */
int cases_api_resume(struct req *r);             /* POST /api/v1/interruptions/{id}/resumption */
int cases_api_interruption_delay(struct req *r); /* POST /api/v1/interruptions/{id}/delay-reason */
int cases_api_inv_templates(struct req *r);      /* GET /api/v1/investigation-templates */
int cases_api_template_add(struct req *r);       /* POST /api/v1/investigation-templates */
int cases_api_inv_create(struct req *r);         /* POST /api/v1/cases/{id}/investigation */
int cases_api_inv_get(struct req *r);            /* GET /api/v1/cases/{id}/investigation */
int cases_api_inv_patch(struct req *r);          /* PATCH /api/v1/cases/{id}/investigation */

#endif
