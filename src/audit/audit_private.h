/*
 * Shared between the files of src/audit only.
 */
#ifndef HANNA_AUDIT_PRIVATE_H
#define HANNA_AUDIT_PRIVATE_H

#include <stdio.h>

#include "audit.h"

/* A stored record as verify reads it; strings borrowed until the next row. */
struct audit__stored {
	int64_t id, tenant_id, at, user_id, entity_id, person_id;
	const char *username, *role, *action, *entity, *request_id, *prev_hash, *hash;
};

/* The newest record's id and hash (0 and 64 zeros for an empty log). */
int audit__head(struct db_conn *c, int64_t *id /* out */, char hash[65] /* out */);
/* One record ready to store: its fields, its place in the chain and its hash. */
struct audit__row {
	int64_t id;                  /* consecutive */
	int64_t at;                  /* epoch seconds */
	const struct audit_entry *e; /* the fields */
	int64_t person_id;           /* overrides e->person_id */
	int64_t entity_id;           /* overrides e->entity_id */
	char prev[65];               /* the previous record's hash */
	char hash[65];               /* this record's hash */
};
/* Stores n records in order, several per INSERT statement. */
int audit__insert_many(struct db_conn *c, const struct audit__row *rows, int n);
/* Calls fn for up to 10,000 records with id > after, in id order. Returns 0 when it read some,
 * 2 when there were none, 1 when fn stopped it, or a negative code. */
int audit__scan(struct db_conn *c, int64_t after, int (*fn)(const struct audit__stored *r, void *),
                void *arg, int64_t *last /* out */);
int audit__list_person(struct db_conn *c, int64_t tenant_id, int64_t person_id, int64_t before,
                       int limit, void (*fn)(const struct audit_row *row, void *arg), void *arg,
                       int *count /* out */, int64_t *last_id /* out */);

#endif
