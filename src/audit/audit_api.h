/*
 * The routes of the audit module, for the route table (src/http/routes.c).
 */
#ifndef HANNA_AUDIT_API_H
#define HANNA_AUDIT_API_H

#include <stdint.h>

struct req;

int audit_api_list(struct req *r);  /* GET /api/v1/audit?person_id= */
int audit_page_list(struct req *r); /* GET /granskning?person_id= (pages.c) */

/* Checks person_id and writes the auditor's own access record; shared by api and page.
 * Returns 0 and *person_id, or the error (field error set). */
int audit_access_or_fail(struct req *r, int64_t *person_id /* out */);

#endif
