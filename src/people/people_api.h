/*
 * The route handlers of the people module, for the route table (src/http/routes.c), and
 * helpers its pages share.
 */
#ifndef HANNA_PEOPLE_API_H
#define HANNA_PEOPLE_API_H

#include <stdbool.h>
#include <stdint.h>

#include "people.h"

struct req;
struct field_errors;
struct strbuf;

int people_api_get(struct req *r);
int people_api_create(struct req *r);
int people_api_patch(struct req *r);
int people_api_search(struct req *r);
int people_api_relative_add(struct req *r);
int people_api_rep_add(struct req *r);

/* Page handlers (pages.c). */
int people_page_search(struct req *r);
int people_page_person(struct req *r);
int people_page_new(struct req *r);
int people_page_create(struct req *r);

/* Checks and normalises names, postal code and phone; field errors into fe. */
int people_check_fields(struct person *p, struct field_errors *fe);
/* Loads a person the request's user may see (auth_person_access); not audited. */
int people_load_visible(struct req *r, int64_t id, struct person *p /* out */);
void people_rep_json(struct strbuf *sb, const struct representative *rep);

/* The most hits one search returns. */
#define PEOPLE_SEARCH_MAX 100

/*
 * Reads a person the request's user may see (auth_person_access), with relatives and
 * representatives through the callbacks when given, and audits the read durably before
 * returning (action read_protected_address when reveal applies). HERR_NOT_FOUND otherwise,
 * and always for provider users, who see a customer only through the order.
 */
int people_read_audited(struct req *r, int64_t id, bool reveal, struct person *p /* out */,
                        void (*rel_fn)(const struct relative *rel, void *arg),
                        void (*rep_fn)(const struct representative *rep, void *arg), void *arg);
/* Searches the user's tenant (people_search) and audits one record per hit. */
int people_search_audited(struct req *r, const char *q, int offset, int limit,
                          void (*fn)(const struct person *p, void *arg), void *arg,
                          bool *more /* out */);

#endif
