/*
 * Every SQL statement of the people module (STYLE.md rule 15), with the row mapping beside it.
 */
#include <string.h>

#include "base/err.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "people.h"
#include "people_private.h"

#define PERSON_COLS                                                                                \
	"id, tenant_id, version, created_at, updated_at, pnr, pnr_kind, given_name, family_name,"  \
	" street, postal_code, city, phone, protected_identity"

static const char sql_insert[] =
    "INSERT INTO persons (tenant_id, pnr, pnr_kind, given_name, family_name, name_key,"
    " given_key, street, postal_code, city, phone, protected_identity, version, created_at,"
    " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13)"
    " RETURNING id";
static const char sql_get[] =
    "SELECT " PERSON_COLS " FROM persons WHERE id = $1 AND tenant_id = $2";
static const char sql_update[] =
    "UPDATE persons SET pnr = $2, pnr_kind = $3, given_name = $4, family_name = $5,"
    " name_key = $6, given_key = $7, street = $8, postal_code = $9, city = $10, phone = $11,"
    " protected_identity = $12, version = version + 1, updated_at = $13"
    " WHERE tenant_id = $1 AND id = $14 AND version = $15 RETURNING version";
/* Two index range scans, one per key, so the plan does not depend on table statistics. */
static const char sql_search_name[] =
    "SELECT " PERSON_COLS ", name_key FROM persons WHERE tenant_id = $1"
    " AND name_key >= $2 AND name_key < $3"
    " UNION SELECT " PERSON_COLS ", name_key FROM persons WHERE tenant_id = $1"
    " AND given_key >= $2 AND given_key < $3"
    " ORDER BY name_key, id LIMIT $4 OFFSET $5";
static const char sql_search_pnr[] =
    "SELECT " PERSON_COLS " FROM persons WHERE tenant_id = $1 AND pnr >= $2 AND pnr < $3"
    " ORDER BY pnr, id LIMIT $4 OFFSET $5";
static const char sql_relatives[] =
    "SELECT id, name, relation, phone FROM relatives WHERE tenant_id = $1 AND person_id = $2"
    " ORDER BY id";
static const char sql_reps[] =
    "SELECT id, rep_person_id, rep_name, kind, scope, valid_from, valid_to FROM representatives"
    " WHERE tenant_id = $1 AND person_id = $2 ORDER BY valid_from, id";
static const char sql_relative_insert[] =
    "INSERT INTO relatives (tenant_id, person_id, name, relation, phone, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
static const char sql_rep_insert[] =
    "INSERT INTO representatives (tenant_id, person_id, rep_person_id, rep_name, kind, scope,"
    " valid_from, valid_to, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    " RETURNING id";
static const char sql_count[] = "SELECT COUNT(*) FROM persons WHERE tenant_id = $1";

/* Reads a person row into out, a struct person. */
static void
row_to_person(struct db_stmt *st, void *out)
{
	struct person *p = out;
	memset(p, 0, sizeof *p);
	p->id = db_col_int(st, 0);
	p->tenant_id = db_col_int(st, 1);
	p->version = db_col_int(st, 2);
	p->created_at = db_col_int(st, 3);
	p->updated_at = db_col_int(st, 4);
	db_col_copy(st, 5, p->pnr, sizeof p->pnr);
	db_col_copy(st, 6, p->pnr_kind, sizeof p->pnr_kind);
	db_col_copy(st, 7, p->given_name, sizeof p->given_name);
	db_col_copy(st, 8, p->family_name, sizeof p->family_name);
	db_col_copy(st, 9, p->street, sizeof p->street);
	db_col_copy(st, 10, p->postal_code, sizeof p->postal_code);
	db_col_copy(st, 11, p->city, sizeof p->city);
	db_col_copy(st, 12, p->phone, sizeof p->phone);
	p->protected_identity = db_col_int(st, 13) != 0;
}

/* Binds the search keys derived from the names at idx and idx+1. */
static void
bind_keys(struct db_stmt *st, int idx, const struct person *p)
{
	struct strbuf fam, giv, k1, k2;
	sb_init(&fam, 1024);
	sb_init(&giv, 1024);
	sb_init(&k1, 1024);
	sb_init(&k2, 1024);
	people_fold(p->family_name, &fam);
	people_fold(p->given_name, &giv);
	sb_addf(&k1, "%s %s", fam.buf, giv.buf);
	sb_addf(&k2, "%s %s", giv.buf, fam.buf);
	db_bind_text(st, idx, k1.buf);
	db_bind_text(st, idx + 1, k2.buf);
	sb_release(&fam);
	sb_release(&giv);
	sb_release(&k1);
	sb_release(&k2);
}

/* Binds $1 (tenant) to $12 (protected identity): the columns insert and update share. */
static void
bind_person(struct db_stmt *st, const struct person *p)
{
	db_bind_int(st, 1, p->tenant_id);
	db_bind_text(st, 2, p->pnr);
	db_bind_text(st, 3, p->pnr_kind);
	db_bind_text(st, 4, p->given_name);
	db_bind_text(st, 5, p->family_name);
	bind_keys(st, 6, p);
	db_bind_opt_text(st, 8, p->street);
	db_bind_opt_text(st, 9, p->postal_code);
	db_bind_opt_text(st, 10, p->city);
	db_bind_opt_text(st, 11, p->phone);
	db_bind_int(st, 12, p->protected_identity);
}

int
people__insert(struct db_conn *c, struct person *p)
{
	struct db_stmt *st = db_prepare(c, sql_insert);
	if (!st)
		return HERR_DB;
	bind_person(st, p);
	db_bind_int(st, 13, p->created_at);
	return db_step_id(st, &p->id, HERR_DB);
}

int
people__update(struct db_conn *c, struct person *p, int64_t expect_version)
{
	struct db_stmt *st = db_prepare(c, sql_update);
	if (!st)
		return HERR_DB;
	bind_person(st, p);
	db_bind_int(st, 13, p->updated_at);
	db_bind_int(st, 14, p->id);
	db_bind_int(st, 15, expect_version);
	return db_step_id(st, &p->version, HERR_STALE);
}

int
people_get(struct db_conn *c, int64_t tenant_id, int64_t id, struct person *out)
{
	struct db_stmt *st = db_prepare(c, sql_get);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, tenant_id);
	return db_step_one(st, row_to_person, out);
}

/* people__search's callback, its argument and the page it fills. */
struct search_each {
	void (*fn)(const struct person *p, void *arg); /* the caller's callback */
	void *arg;                                     /* its argument */
	int n, limit;                                  /* rows passed on, and how many at most */
	bool *more;                                    /* out: a row beyond limit came */
};

static int
search_row(struct db_stmt *st, void *arg)
{
	struct search_each *e = arg;
	if (e->n == e->limit) {
		*e->more = true;
		return 1;
	}
	struct person p;
	row_to_person(st, &p);
	e->fn(&p, e->arg);
	e->n++;
	return 0;
}

int
people__search(struct db_conn *c, bool by_number, int64_t tenant_id, const char *lo, const char *hi,
               int offset, int limit, void (*fn)(const struct person *p, void *arg), void *arg,
               bool *more)
{
	struct db_stmt *st = db_prepare(c, by_number ? sql_search_pnr : sql_search_name);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant_id);
	db_bind_text(st, 2, lo);
	db_bind_text(st, 3, hi);
	db_bind_int(st, 4, limit + 1);
	db_bind_int(st, 5, offset);
	*more = false;
	struct search_each e = {.fn = fn, .arg = arg, .limit = limit, .more = more};
	return db_step_each(st, search_row, &e);
}

/* Reads a relative row into out, a struct relative. */
static void
relative_row(struct db_stmt *st, void *out)
{
	struct relative *r = out;
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, 0);
	db_col_copy(st, 1, r->name, sizeof r->name);
	db_col_copy(st, 2, r->relation, sizeof r->relation);
	db_col_copy(st, 3, r->phone, sizeof r->phone);
}

DB_EACH_ROW(relative_each, struct relative, relative_row)

int
people_relatives(struct db_conn *c, int64_t tenant_id, int64_t person_id,
                 void (*fn)(const struct relative *r, void *arg), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_relatives);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, person_id);
	return db_step_each(st, relative_each, &(struct relative_each){fn, arg});
}

/* Reads a representative row into out, a struct representative. */
static void
rep_row(struct db_stmt *st, void *out)
{
	struct representative *r = out;
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, 0);
	r->rep_person_id = db_col_int(st, 1);
	db_col_copy(st, 2, r->rep_name, sizeof r->rep_name);
	db_col_copy(st, 3, r->kind, sizeof r->kind);
	db_col_copy(st, 4, r->scope, sizeof r->scope);
	db_col_copy(st, 5, r->valid_from, sizeof r->valid_from);
	db_col_copy(st, 6, r->valid_to, sizeof r->valid_to);
}

DB_EACH_ROW(rep_each, struct representative, rep_row)

int
people_representatives(struct db_conn *c, int64_t tenant_id, int64_t person_id,
                       void (*fn)(const struct representative *r, void *arg), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_reps);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, person_id);
	return db_step_each(st, rep_each, &(struct rep_each){fn, arg});
}

int
people__relative_insert(struct db_conn *c, int64_t tenant_id, int64_t person_id, struct relative *r)
{
	struct db_stmt *st = db_prepare(c, sql_relative_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, person_id);
	db_bind_text(st, 3, r->name);
	db_bind_text(st, 4, r->relation);
	db_bind_opt_text(st, 5, r->phone);
	db_bind_int(st, 6, time_now());
	return db_step_id(st, &r->id, HERR_DB);
}

int
people__rep_insert(struct db_conn *c, int64_t tenant_id, int64_t person_id,
                   struct representative *r)
{
	struct db_stmt *st = db_prepare(c, sql_rep_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, person_id);
	db_bind_opt_int(st, 3, r->rep_person_id);
	db_bind_text(st, 4, r->rep_name);
	db_bind_text(st, 5, r->kind);
	db_bind_text(st, 6, r->scope);
	db_bind_text(st, 7, r->valid_from);
	db_bind_opt_text(st, 8, r->valid_to);
	db_bind_int(st, 9, time_now());
	return db_step_id(st, &r->id, HERR_DB);
}

int64_t
people_count(struct db_conn *c, int64_t tenant_id)
{
	struct db_stmt *st = db_prepare(c, sql_count);
	if (!st)
		return -1;
	db_bind_int(st, 1, tenant_id);
	int64_t n = db_step(st) == DB_ROW ? db_col_int(st, 0) : -1;
	db_reset(st);
	return n;
}
