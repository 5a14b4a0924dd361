/*
 * The hash chain of the audit log: canonical record text, append, verify. SQL lives in
 * store.c. Design: ARCHITECTURE.md (Trust) and docs/architecture.md (Audit).
 */
#include <string.h>

#include "audit_private.h"
#include "base/err.h"
#include "base/rand.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "db/db.h"

/* Fields are separated by the ASCII unit separator, which no field may contain unescaped. */
static void
field(struct strbuf *sb, const char *s)
{
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '\x1f' || *p == '\\')
			sb_addc(sb, '\\');
		sb_addc(sb, *p);
	}
	sb_addc(sb, '\x1f');
}

void
audit_canonical(struct strbuf *sb, int64_t id, int64_t tenant_id, int64_t at, int64_t user_id,
                const char *username, const char *role, const char *action, const char *entity,
                int64_t entity_id, int64_t person_id, const char *request_id, const char *prev_hash)
{
	const int64_t head[] = {id, tenant_id, at, user_id};
	sb_adds(sb, "v1\x1f");
	for (size_t i = 0; i < sizeof head / sizeof head[0]; i++) {
		sb_addi(sb, head[i]);
		sb_addc(sb, '\x1f');
	}
	field(sb, username);
	field(sb, role);
	field(sb, action);
	field(sb, entity);
	sb_addi(sb, entity_id);
	sb_addc(sb, '\x1f');
	sb_addi(sb, person_id);
	sb_addc(sb, '\x1f');
	field(sb, request_id);
	field(sb, prev_hash);
}

/*
 * The chain head as the writer last left it. Only the writer thread appends, so a head read
 * or written in the current transaction stays the head until the transaction generation
 * changes (a new group, or a rolled-back job); then it is read again from the table. This
 * saves one query per record on the hot path (a list of 50 cases appends 50 records).
 */
static struct {
	const struct db_conn *conn; /* the writer connection it belongs to */
	uint64_t gen;               /* db_txn_gen when it was last known */
	int64_t id;                 /* the newest record's id */
	char hash[65];              /* and its hash */
} head;

/*
 * Appends n records that share the fields of base, one per person (entity_id per person when
 * there are several, as reads of a list do), chaining them in memory and storing them with
 * few statements. With persons NULL, stores base itself once.
 */
static int
append(struct db_conn *c, const struct audit_entry *base, const int64_t *persons, int n)
{
	enum { CHUNK = 64 };
	struct audit__row rows[CHUNK];
	int64_t last;
	char prev[65];
	if (head.conn == c && head.gen == db_txn_gen(c)) {
		last = head.id;
		memcpy(prev, head.hash, sizeof prev);
	} else {
		int rc = audit__head(c, &last, prev);
		if (rc)
			return rc;
	}
	int64_t at = base->at ? base->at : time_now();
	struct strbuf sb;
	sb_init(&sb, 8192);
	int rc = 0;
	for (int done = 0; done < n && rc == 0;) {
		int k = n - done < CHUNK ? n - done : CHUNK;
		for (int i = 0; i < k; i++) {
			struct audit__row *r = &rows[i];
			r->id = ++last;
			r->at = at;
			r->e = base;
			r->person_id = persons ? persons[done + i] : base->person_id;
			r->entity_id = persons && (!base->entity_id || n > 1) ? persons[done + i]
			                                                      : base->entity_id;
			memcpy(r->prev, prev, sizeof prev);
			sb_reset(&sb);
			audit_canonical(&sb, r->id, base->tenant_id, at, base->user_id,
			                base->username, base->role, base->action, base->entity,
			                r->entity_id, r->person_id, base->request_id, r->prev);
			if (sb.err) {
				rc = HERR_LIMIT;
				break;
			}
			sha256_hex(sb.buf, sb.len, r->hash);
			memcpy(prev, r->hash, sizeof prev);
		}
		if (rc == 0)
			rc = audit__insert_many(c, rows, k);
		done += k;
	}
	sb_release(&sb);
	if (rc == 0) {
		head.conn = c;
		head.gen = db_txn_gen(c);
		head.id = last;
		memcpy(head.hash, prev, sizeof head.hash);
	} else {
		head.conn = NULL;
	}
	return rc;
}

int
audit_append(struct db_conn *c, const struct audit_entry *e)
{
	return append(c, e, NULL, 1);
}

int
audit_change(struct db_conn *c, const struct audit_entry *who, const char *action,
             const char *entity, int64_t entity_id, int64_t person_id)
{
	struct audit_entry e = *who;
	e.action = action;
	e.entity = entity;
	e.entity_id = entity_id;
	e.person_id = person_id;
	return audit_append(c, &e);
}

struct reads {
	const struct audit_entry *base; /* shared fields */
	const int64_t *ids;             /* persons */
	int n;                          /* count */
};

static int
reads_job(struct db_conn *c, void *arg)
{
	struct reads *r = arg;
	return append(c, r->base, r->ids, r->n);
}

int
audit_reads(struct db *db, const struct audit_entry *base, const int64_t *person_ids, int n)
{
	if (n <= 0)
		return 0;
	struct reads r = {base, person_ids, n};
	return db_write(db, reads_job, &r);
}

struct verify {
	struct audit_verify_result *out; /* result */
	int64_t expect_id;               /* the id the next record must have */
	char prev[65];                   /* the previous record's hash */
	struct strbuf sb;                /* scratch */
};

static int
verify_one(const struct audit__stored *r, void *arg)
{
	struct verify *v = arg;
	struct audit_verify_result *out = v->out;
	if (r->id != v->expect_id) {
		out->bad_id = r->id;
		snprintf(out->why, sizeof out->why,
		         "expected record %lld here: a record is missing", (long long)v->expect_id);
		return 1;
	}
	if (strcmp(r->prev_hash, v->prev) != 0) {
		out->bad_id = r->id;
		snprintf(out->why, sizeof out->why,
		         "prev_hash does not match the hash of the record before");
		return 1;
	}
	sb_reset(&v->sb);
	audit_canonical(&v->sb, r->id, r->tenant_id, r->at, r->user_id, r->username, r->role,
	                r->action, r->entity, r->entity_id, r->person_id, r->request_id,
	                r->prev_hash);
	char hash[65];
	sha256_hex(v->sb.buf, v->sb.len, hash);
	if (strcmp(hash, r->hash) != 0) {
		out->bad_id = r->id;
		snprintf(out->why, sizeof out->why, "contents do not match the stored hash");
		return 1;
	}
	snprintf(v->prev, sizeof v->prev, "%s", r->hash);
	v->expect_id++;
	out->checked++;
	return 0;
}

int
audit_verify(struct db *db, struct audit_verify_result *out)
{
	memset(out, 0, sizeof *out);
	struct verify v = {.out = out, .expect_id = 1};
	memset(v.prev, '0', 64);
	v.prev[64] = '\0';
	sb_init(&v.sb, 65536);
	struct db_conn *c = db_reader(db);
	int64_t after = 0;
	int rc;
	for (;;) {
		int64_t last;
		rc = audit__scan(c, after, verify_one, &v, &last);
		if (rc != 0)
			break;
		after = last;
	}
	db_reader_done(db, c);
	sb_release(&v.sb);
	return rc < 0 ? rc : 0;
}

int
audit_list_person(struct db *db, int64_t tenant_id, int64_t person_id, int64_t before, int limit,
                  void (*fn)(const struct audit_row *row, void *arg), void *arg, int64_t *next)
{
	struct db_conn *c = db_reader(db);
	int count = 0;
	int64_t last = 0;
	int rc = audit__list_person(c, tenant_id, person_id, before, limit, fn, arg, &count, &last);
	db_reader_done(db, c);
	*next = (rc == 0 && count == limit) ? last : 0;
	return rc;
}
