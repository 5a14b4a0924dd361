/*
 * Shared between the files of src/http, not outside it (STYLE.md rule 1).
 */
#ifndef HANNA_HTTP_PRIVATE_H
#define HANNA_HTTP_PRIVATE_H

#include "http.h"

#define HTTP_SESSION_COOKIE "hanna_session"

/* Matches the route, authenticates, checks permission and CSRF (router.c). Returns 0 when the
 * handler may run; otherwise the error response is already set. */
int http__prepare(struct req *r);
/* Runs the matched handler and turns a failure into the error response (router.c). */
void http__dispatch(struct req *r);
/* Keeps the options the router needs (cookie flags). */
void http__set_options(const struct server_opts *opts);

/* Handlers of health.c. */
int http_healthz(struct req *r);
int http_readyz(struct req *r);

#endif
