/*
 * Shared between the files of src/people only.
 */
#ifndef HANNA_PEOPLE_PRIVATE_H
#define HANNA_PEOPLE_PRIVATE_H

#include "people.h"

int people__insert(struct db_conn *c, struct person *p /* in/out: id */);
/* HERR_STALE when no row has the id, tenant and expected version. */
int people__update(struct db_conn *c, struct person *p, int64_t expect_version);
int people__search(struct db_conn *c, bool by_number, int64_t tenant_id, const char *lo,
                   const char *hi, int offset, int limit,
                   void (*fn)(const struct person *p, void *arg), void *arg, bool *more);
int people__relative_insert(struct db_conn *c, int64_t tenant_id, int64_t person_id,
                            struct relative *r);
int people__rep_insert(struct db_conn *c, int64_t tenant_id, int64_t person_id,
                       struct representative *r);

#endif
