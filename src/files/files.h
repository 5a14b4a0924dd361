/*
 * Attachments (bilagor) to cases: files the citizen, a representative or staff add to a case
 * (the schema is src/db/sql/0006_attachments.sql). The bytes live in the database beside the
 * case; every write appends its audit record in the same transaction.
 */
#ifndef HANNA_FILES_H
#define HANNA_FILES_H

#include <stddef.h>
#include <stdint.h>

struct audit_entry;
struct db;
struct db_conn;

/* The largest attachment, in bytes. */
#define FILES_MAX_SIZE ((size_t)10 << 20)
/* The longest file name, in bytes of UTF-8. */
#define FILES_MAX_NAME 200

/* One attachment without its bytes. */
struct attachment {
	int64_t id;                        /* attachments.id */
	int64_t tenant_id;                 /* the tenant */
	int64_t case_id;                   /* the case it belongs to */
	int64_t person_id;                 /* the case's person */
	int64_t size_bytes;                /* length of the data */
	int64_t uploaded_by;               /* users.id of the uploader */
	int64_t created_at;                /* epoch seconds */
	char filename[FILES_MAX_NAME + 1]; /* as given, checked by files_name_ok */
	char content_type[32];             /* one of files_types */
	char sha256[65];                   /* hex digest of the data */
	char uploaded_by_name[128];        /* the uploader's name when uploaded */
	char source[8];                    /* "citizen" or "staff" */
};

/* Whether name is 1-200 bytes of valid UTF-8 without '/', '\\' or control characters. */
int files_name_ok(const char *name);
/* The file name of an X-Filename header: either the name as it stands (bytes up to U+00FF
 * that fetch can send) or, for any name, RFC 8187's ext-value "UTF-8''" followed by the
 * percent-encoded UTF-8 bytes. Writes the decoded name to out (cap bytes). 0, or HERR_INVALID
 * for a bad escape, a NUL or a name longer than cap - 1. */
int files_header_name(const char *raw, char *out /* out */, size_t cap);
/* Whether data is valid UTF-8 (NUL bytes refused). */
int files_utf8_ok(const void *data, size_t len);
/* The stored spelling of an accepted media type (parameters and case ignored), or NULL when
 * the type is not accepted. Static storage. */
const char *files_type(const char *content_type);
/* Whether data begins as files of type (from files_type) do: %PDF-, FF D8 FF, 89 50 4E 47,
 * valid UTF-8 for text/plain. */
int files_matches(const char *type, const void *data, size_t len);

/*
 * Stores an attachment of case a->case_id with the create record of the audit, in one write
 * job. a: tenant_id, case_id, person_id, filename, content_type, uploaded_by,
 * uploaded_by_name, source in; the stored row out (id, size, digest, created_at).
 */
int files_add(struct db *db, struct attachment *a, const void *data, size_t len,
              const struct audit_entry *who);
/* Loads attachment id of tenant without its bytes; HERR_NOT_FOUND when there is none. */
int files_get(struct db_conn *c, int64_t tenant, int64_t id, struct attachment *a /* out */);
/* Calls fn for the attachments of a case, oldest first, at most limit. */
int files_list(struct db_conn *c, int64_t tenant, int64_t case_id, int limit,
               void (*fn)(const struct attachment *a, void *arg), void *arg);
/* Appends the bytes of attachment id to out (an strbuf). */
struct strbuf;
int files_data(struct db_conn *c, int64_t tenant, int64_t id, struct strbuf *out);

#endif
