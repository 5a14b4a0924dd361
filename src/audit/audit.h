/*
 * The audit log (ARCHITECTURE.md, Trust): one record per read or write of a person's data,
 * appended in the same transaction as the write (for reads: durable before the answer, through
 * the group commit). Append-only and hash-chained: each record's hash covers its own fields
 * and the previous record's hash, so a changed, removed or reordered record breaks the chain.
 */
#ifndef HANNA_AUDIT_H
#define HANNA_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct db_conn;
struct strbuf;

struct audit_entry {
	int64_t tenant_id;      /* the acting user's tenant */
	int64_t user_id;        /* 0 for the system */
	const char *username;   /* login name, "system" for the system */
	const char *role;       /* the roles the user acted in */
	const char *action;     /* read, create, update, search, login, ... */
	const char *entity;     /* person, representative, audit_log, ... */
	int64_t entity_id;      /* 0 for none */
	int64_t person_id;      /* the person whose data it is, 0 for none */
	const char *request_id; /* the HTTP request id, or a command's */
	int64_t at;             /* epoch seconds; 0 means now */
};

struct audit_row {
	int64_t id;
	int64_t at;
	int64_t user_id;
	const char *username;
	const char *role;
	const char *action;
	const char *entity;
	int64_t entity_id;
	int64_t person_id;
	const char *request_id;
};

/* The canonical text a record's hash covers (pure; also used by verify). */
void audit_canonical(struct strbuf *sb, int64_t id, int64_t tenant_id, int64_t at, int64_t user_id,
                     const char *username, const char *role, const char *action, const char *entity,
                     int64_t entity_id, int64_t person_id, const char *request_id,
                     const char *prev_hash);

/* Appends one record on the writer connection, inside a write job. */
int audit_append(struct db_conn *c, const struct audit_entry *e);
/* Appends the record of a change by who (user, role, request) to entity entity_id of person_id
 * (0: none), inside a write job: audit_append of who with action, entity and ids set. */
int audit_change(struct db_conn *c, const struct audit_entry *who, const char *action,
                 const char *entity, int64_t entity_id, int64_t person_id);

/*
 * Appends one read record per person (action and entity from base) in one write job and waits
 * until it is durable. n may be 0 (nothing happens).
 */
int audit_reads(struct db *db, const struct audit_entry *base, const int64_t *person_ids, int n);

struct audit_verify_result {
	int64_t checked; /* records checked */
	int64_t bad_id;  /* first broken record, 0 when intact */
	char why[160];   /* what is wrong with it */
};
/* Walks the whole chain. Returns 0 (see result.bad_id) or HERR_DB. */
int audit_verify(struct db *db, struct audit_verify_result *out /* out */);

/* Calls fn for the records about a person, newest first, with ids below before (0: from the
 * newest), at most limit. *next is the cursor for the next page, 0 when none. */
int audit_list_person(struct db *db, int64_t tenant_id, int64_t person_id, int64_t before,
                      int limit, void (*fn)(const struct audit_row *row, void *arg), void *arg,
                      int64_t *next /* out */);

#endif
