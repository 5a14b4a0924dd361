/*
 * The person register (shared/API.md, People): persons identified by personnummer or
 * samordningsnummer (stored as twelve digits), with names, address, phone, relatives, legal
 * representatives (god man, förvaltare, fullmakt) with scope and period, and protected identity
 * (skyddad identitet), which hides address data from everyone without explicit need.
 */
#ifndef HANNA_PEOPLE_H
#define HANNA_PEOPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "audit/audit.h"

struct db;
struct db_conn;
struct strbuf;

struct person {
	int64_t id;              /* persons.id */
	int64_t tenant_id;       /* owning municipality */
	int64_t version;         /* optimistic concurrency, starts at 1 */
	int64_t created_at;      /* epoch seconds */
	int64_t updated_at;      /* epoch seconds */
	char pnr[13];            /* twelve digits */
	char pnr_kind[24];       /* "personnummer" or "samordningsnummer" */
	char given_name[101];    /* förnamn */
	char family_name[101];   /* efternamn */
	char street[201];        /* gatuadress */
	char postal_code[11];    /* postnummer, "123 45" */
	char city[101];          /* postort */
	char phone[41];          /* telefon */
	bool protected_identity; /* skyddad identitet */
};

struct relative {
	int64_t id;
	char name[201];
	char relation[101];
	char phone[41];
};

enum rep_kind { REP_GOD_MAN = 1, REP_FORVALTARE, REP_FULLMAKT };

struct representative {
	int64_t id;
	int64_t rep_person_id; /* the representative as a person in the register, 0 if not */
	char rep_name[201];    /* name shown */
	char kind[16];         /* god_man, forvaltare, fullmakt */
	char scope[301];       /* e.g. "bevaka rätt, förvalta egendom, sörja för person" */
	char valid_from[11];   /* YYYY-MM-DD */
	char valid_to[11];     /* YYYY-MM-DD or "" for open-ended */
};

/* Lower-cases a name for search keys: ASCII and the Latin-1 letters of UTF-8 (Å, Ä, Ö, É...).
 * Pure. */
void people_fold(const char *in, struct strbuf *out);
/* Whether kind names a representative kind. */
bool people_rep_kind_valid(const char *kind);

/* Creates a person and its audit record in one transaction. HERR_CONFLICT for a number
 * already in the tenant. */
int people_create(struct db *db, struct person *p /* in: fields; out: id, version, times */,
                  const struct audit_entry *who);
/* Reads a person of a tenant; HERR_NOT_FOUND otherwise. */
int people_get(struct db_conn *c, int64_t tenant_id, int64_t id, struct person *out /* out */);
/* Applies a change if version still matches: HERR_STALE when it does not, HERR_NOT_FOUND,
 * HERR_CONFLICT when a changed number is taken. p->id and p->version name the row; all
 * fields are written. On success p->version is the new version. Audited. */
int people_update(struct db *db, struct person *p, const struct audit_entry *who);

/* Search by name prefix (family or given name first) or by number. Calls fn per hit, at most
 * limit, skipping offset hits; *more says whether further hits exist. */
int people_search(struct db_conn *c, int64_t tenant_id, const char *q, int offset, int limit,
                  void (*fn)(const struct person *p, void *arg), void *arg, bool *more /* out */);

int people_relatives(struct db_conn *c, int64_t tenant_id, int64_t person_id,
                     void (*fn)(const struct relative *r, void *arg), void *arg);
int people_representatives(struct db_conn *c, int64_t tenant_id, int64_t person_id,
                           void (*fn)(const struct representative *r, void *arg), void *arg);
/* Adds a relative or representative with its audit record. */
int people_relative_add(struct db *db, int64_t tenant_id, int64_t person_id, struct relative *r,
                        const struct audit_entry *who);
int people_representative_add(struct db *db, int64_t tenant_id, int64_t person_id,
                              struct representative *r, const struct audit_entry *who);

/* The number of persons in a tenant (for the demo and statistics). */
int64_t people_count(struct db_conn *c, int64_t tenant_id);

/* Inserts many persons in one transaction, without audit: the demo generator only. */
int people_bulk_insert(struct db *db, struct person *ps, int n);

/* JSON for a person; the address is left out for protected identity unless reveal. */
void people_json(struct strbuf *sb, const struct person *p, bool reveal_address);

#endif
