/*
 * The person register's logic: search keys, audited create and update, search dispatch and
 * the JSON form of a person. SQL lives in store.c, routes in api.c, pages in pages.c.
 */
#include <ctype.h>
#include <string.h>

#include "base/err.h"
#include "base/json.h"
#include "base/pnr.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "people.h"
#include "people_private.h"

void
people_fold(const char *in, struct strbuf *out)
{
	const unsigned char *p = (const unsigned char *)in;
	while (*p) {
		if (*p < 0x80) {
			sb_addc(out, (char)tolower(*p));
			p++;
		} else if (p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
			/* Latin-1 capitals À..Þ (not ×) map to à..þ by adding 0x20. */
			char two[2] = {(char)0xC3, (char)(p[1] + 0x20)};
			sb_add(out, two, 2);
			p += 2;
		} else {
			sb_addc(out, (char)*p);
			p++;
		}
	}
}

bool
people_rep_kind_valid(const char *kind)
{
	return kind && (strcmp(kind, "god_man") == 0 || strcmp(kind, "forvaltare") == 0 ||
	                strcmp(kind, "fullmakt") == 0);
}

struct write {
	struct person *p;              /* the row */
	const struct audit_entry *who; /* audit fields */
	int64_t expect_version;        /* update only */
};

static int
create_job(struct db_conn *c, void *arg)
{
	struct write *w = arg;
	int rc = people__insert(c, w->p);
	if (rc)
		return rc;
	return audit_change(c, w->who, "create", "person", w->p->id, w->p->id);
}

int
people_create(struct db *db, struct person *p, const struct audit_entry *who)
{
	p->created_at = p->updated_at = time_now();
	p->version = 1;
	struct write w = {p, who, 0};
	return db_write(db, create_job, &w);
}

static int
update_job(struct db_conn *c, void *arg)
{
	struct write *w = arg;
	struct person cur;
	int rc = people_get(c, w->p->tenant_id, w->p->id, &cur);
	if (rc)
		return rc;
	if (cur.version != w->expect_version)
		return HERR_STALE;
	rc = people__update(c, w->p, w->expect_version);
	if (rc)
		return rc;
	w->p->created_at = cur.created_at;
	return audit_change(c, w->who, "update", "person", w->p->id, w->p->id);
}

int
people_update(struct db *db, struct person *p, const struct audit_entry *who)
{
	p->updated_at = time_now();
	struct write w = {p, who, p->version};
	return db_write(db, update_job, &w);
}

/* Appends the bytes of U+10FFFF: above every UTF-8 continuation, so [q, q+max) is a prefix
 * range under bytewise collation. */
static void
add_max(struct strbuf *sb)
{
	sb_add(sb, "\xF4\x8F\xBF\xBF", 4);
}

int
people_search(struct db_conn *c, int64_t tenant_id, const char *q, int offset, int limit,
              void (*fn)(const struct person *p, void *arg), void *arg, bool *more)
{
	struct strbuf lo, hi, digits;
	sb_init(&lo, 512);
	sb_init(&hi, 520);
	sb_init(&digits, 64);
	bool numeric = true;
	for (const char *s = q; *s; s++) {
		if (isdigit((unsigned char)*s))
			sb_addc(&digits, *s);
		else if (*s != '-' && *s != '+' && *s != ' ')
			numeric = false;
	}
	bool by_number = numeric && digits.len > 0;
	if (by_number) {
		struct pnr p;
		if ((digits.len == 10 || digits.len == 12) && pnr_parse_now(q, &p) == PNR_OK)
			sb_adds(&lo, p.digits);
		else
			sb_adds(&lo, digits.buf);
	} else {
		/* Trim and fold the name; collapse inner spaces. */
		struct strbuf folded;
		sb_init(&folded, 512);
		people_fold(q, &folded);
		bool space = false;
		for (const char *s = folded.buf; *s; s++) {
			if (*s == ' ' || *s == '\t') {
				space = lo.len > 0;
				continue;
			}
			if (space)
				sb_addc(&lo, ' ');
			space = false;
			sb_addc(&lo, *s);
		}
		sb_release(&folded);
	}
	sb_adds(&hi, lo.buf);
	add_max(&hi);
	int rc;
	if (lo.err || hi.err)
		rc = HERR_LIMIT;
	else
		rc = people__search(c, by_number, tenant_id, lo.buf, hi.buf, offset, limit, fn, arg,
		                    more);
	sb_release(&lo);
	sb_release(&hi);
	sb_release(&digits);
	return rc;
}

struct rel_add {
	int64_t tenant_id, person_id;
	struct relative *rel;
	struct representative *rep;
	const struct audit_entry *who;
};

static int
rel_add_job(struct db_conn *c, void *arg)
{
	struct rel_add *a = arg;
	struct person p;
	int rc = people_get(c, a->tenant_id, a->person_id, &p);
	if (rc)
		return rc;
	if (a->rel) {
		rc = people__relative_insert(c, a->tenant_id, a->person_id, a->rel);
		if (rc)
			return rc;
		return audit_change(c, a->who, "create", "relative", a->rel->id, a->person_id);
	}
	if (a->rep->rep_person_id) {
		struct person rp;
		rc = people_get(c, a->tenant_id, a->rep->rep_person_id, &rp);
		if (rc)
			return HERR_RULE;
	}
	rc = people__rep_insert(c, a->tenant_id, a->person_id, a->rep);
	if (rc)
		return rc;
	return audit_change(c, a->who, "create", "representative", a->rep->id, a->person_id);
}

int
people_relative_add(struct db *db, int64_t tenant_id, int64_t person_id, struct relative *r,
                    const struct audit_entry *who)
{
	struct rel_add a = {tenant_id, person_id, r, NULL, who};
	return db_write(db, rel_add_job, &a);
}

int
people_representative_add(struct db *db, int64_t tenant_id, int64_t person_id,
                          struct representative *r, const struct audit_entry *who)
{
	struct rel_add a = {tenant_id, person_id, NULL, r, who};
	return db_write(db, rel_add_job, &a);
}

struct bulk {
	struct person *ps;
	int n;
};

static int
bulk_job(struct db_conn *c, void *arg)
{
	struct bulk *b = arg;
	for (int i = 0; i < b->n; i++) {
		int rc = people__insert(c, &b->ps[i]);
		if (rc)
			return rc;
	}
	return 0;
}

int
people_bulk_insert(struct db *db, struct person *ps, int n)
{
	int64_t now = time_now();
	for (int i = 0; i < n; i++) {
		ps[i].created_at = ps[i].updated_at = now;
		ps[i].version = 1;
	}
	struct bulk b = {ps, n};
	return db_write(db, bulk_job, &b);
}

/* Appends ,"key":value or ,"key":null; the comma is left out right after an opening brace. */
static void
opt_str(struct strbuf *sb, const char *key, const char *v)
{
	if (sb->len && sb->buf[sb->len - 1] != '{')
		sb_addc(sb, ',');
	sb_addf(sb, "\"%s\":", key);
	if (v && *v)
		json_str(sb, v);
	else
		sb_adds(sb, "null");
}

void
people_json(struct strbuf *sb, const struct person *p, bool reveal_address)
{
	sb_addf(sb, "{\"id\":%lld,\"personnummer\":\"%s\",\"kind\":", (long long)p->id, p->pnr);
	json_str(sb, p->pnr_kind);
	sb_adds(sb, ",\"given_name\":");
	json_str(sb, p->given_name);
	sb_adds(sb, ",\"family_name\":");
	json_str(sb, p->family_name);
	bool hide = p->protected_identity && !reveal_address;
	if (hide) {
		sb_adds(sb, ",\"address\":null,\"phone\":null");
	} else {
		sb_adds(sb, ",\"address\":{");
		opt_str(sb, "street", p->street);
		opt_str(sb, "postal_code", p->postal_code);
		opt_str(sb, "city", p->city);
		sb_addc(sb, '}');
		opt_str(sb, "phone", p->phone);
	}
	sb_addf(sb, ",\"protected_identity\":%s,\"address_hidden\":%s,\"version\":%lld",
	        p->protected_identity ? "true" : "false", hide ? "true" : "false",
	        (long long)p->version);
	sb_adds(sb, ",\"created_at\":\"");
	time_rfc3339(sb, p->created_at);
	sb_adds(sb, "\",\"updated_at\":\"");
	time_rfc3339(sb, p->updated_at);
	sb_adds(sb, "\"}");
}
