/*
 * The routes of the attachments module, for the route table (src/http/routes.c).
 */
#ifndef HANNA_FILES_API_H
#define HANNA_FILES_API_H

#include <stdbool.h>
#include <stddef.h>

struct attachment;
struct case_row;
struct req;

/* A file to attach, from the API (raw body) or a page (a multipart form). */
struct files_upload {
	const char *filename;     /* the name, UTF-8; NULL when missing or undecodable */
	const char *content_type; /* the declared media type, or NULL */
	const char *data;         /* the bytes; borrowed */
	size_t len;               /* their length */
	bool sniff;               /* a page's form: an unknown declared type is judged by the
	                           * bytes, and every failure is a field error (400) */
	const char *name_field;   /* the field that names errors of the name */
	const char *type_field;   /* ... of the type */
	const char *data_field;   /* ... of the content */
	bool check_only;          /* check, store nothing (cs may then be NULL) */
};

/* Checks u and stores it as an attachment of case cs (loaded with access by the caller), with
 * its audit record in the same transaction; out (may be NULL) gets the stored row. On failure
 * the field errors are set and the code is returned, recorded with REQ_FAIL. */
int files_upload_or_fail(struct req *r, const struct case_row *cs, const struct files_upload *u,
                         struct attachment *out /* out */);

int files_api_upload(struct req *r);   /* POST /api/v1/cases/{id}/attachments */
int files_api_list(struct req *r);     /* GET /api/v1/cases/{id}/attachments */
int files_api_download(struct req *r); /* GET /api/v1/attachments/{id} */

#endif
