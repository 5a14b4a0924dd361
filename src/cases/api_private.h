/*
 * Shared between the route and page files of src/cases only.
 */
#ifndef HANNA_CASES_API_PRIVATE_H
#define HANNA_CASES_API_PRIVATE_H

#include "cases.h"

struct req;

/* Loads a case the request's user may see (cases_access); on failure the error is set up
 * for the edge and returned. Not audited. */
int cases__load_or_fail(struct req *r, int64_t id, struct case_row *cs /* out */);

#endif
