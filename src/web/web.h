/*
 * The web shell (ARCHITECTURE.md, HTTP and pages): server-rendered HTML in Swedish through an
 * escaping writer (html.h), one layout, our own accessible CSS, and the pages that belong to
 * no domain module: login, logout, start page per role, error pages, static files.
 */
#ifndef HANNA_WEB_H
#define HANNA_WEB_H

struct req;

/* Renders the HTML error page for code (404, 403, ...) into the response. */
void web_error_page(struct req *r, int code, const char *detail);

/* Page handlers, declared in src/http/routes.c. */
int web_page_login(struct req *r);  /* GET /logga-in */
int web_login_post(struct req *r);  /* POST /logga-in */
int web_logout_post(struct req *r); /* POST /logga-ut */
int web_page_start(struct req *r);  /* GET / */
int web_static(struct req *r);      /* GET /static/{file} (inline) */

#endif
