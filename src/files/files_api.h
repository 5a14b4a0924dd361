/*
 * The routes of the attachments module, for the route table (src/http/routes.c).
 */
#ifndef HANNA_FILES_API_H
#define HANNA_FILES_API_H

struct req;

int files_api_upload(struct req *r);   /* POST /api/v1/cases/{id}/attachments */
int files_api_list(struct req *r);     /* GET /api/v1/cases/{id}/attachments */
int files_api_download(struct req *r); /* GET /api/v1/attachments/{id} */

#endif
