/*
 * The JSON routes of the auth module, for the route table (src/http/routes.c).
 */
#ifndef HANNA_AUTH_API_H
#define HANNA_AUTH_API_H

struct req;

int auth_api_login(struct req *r);  /* POST /api/v1/sessions */
int auth_api_logout(struct req *r); /* DELETE /api/v1/sessions/current */
int auth_api_me(struct req *r);     /* GET /api/v1/me */
/* Sets the session cookie (empty token and max_age 0 clear it). */
void auth_set_cookie(struct req *r, const char *token, long max_age);

#endif
