/*
 * multipart/form-data (RFC 7578, RFC 2046 section 5.1) over a body already held in memory: the
 * form of a page that sends a file. libmicrohttpd's MHD_PostProcessor parses this too, but only
 * while it streams from a live connection; this parser works on the buffered body, so the
 * router keeps one decoding path and the parser can be fuzzed on its own
 * (tests/fuzz/fuzz_multipart.c).
 */
#ifndef HANNA_MULTIPART_H
#define HANNA_MULTIPART_H

#include <stddef.h>

/* The longest boundary RFC 2046 allows. */
#define MULTIPART_MAX_BOUNDARY 70

/* One part. Borrowed from the parser for the duration of the callback only: data points into
 * the body, the strings into the parser's own buffers. */
struct multipart_part {
	char name[128];         /* the form field's name */
	char filename[256];     /* the file's name, UTF-8 as the browser sent it; "" for fields */
	char content_type[128]; /* the part's Content-Type, "" when absent */
	int is_file;            /* 1 when Content-Disposition carried filename */
	const char *data;       /* the part's content */
	size_t len;             /* its length in bytes */
};

/* The boundary parameter of a multipart/form-data Content-Type, copied into out (at least
 * MULTIPART_MAX_BOUNDARY + 1 bytes). 0, or HERR_MEDIA_TYPE when content_type is not
 * multipart/form-data, HERR_MALFORMED when the boundary is missing or invalid. */
int multipart_boundary(const char *content_type, char *out /* out */);

/* Calls fn for every part of body in order; fn returns 0 to go on or a code that stops the
 * parse and is returned. 0, or HERR_MALFORMED for a body that is not well formed (nothing
 * after the last part is required beyond the closing delimiter). */
int multipart_parse(const char *body, size_t len, const char *boundary,
                    int (*fn)(const struct multipart_part *p, void *arg), void *arg);

#endif
