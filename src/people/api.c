/*
 * JSON routes of the person register (shared/API.md, People): decode, validate, authorise the
 * person, call, audit, encode. The routes are declared in src/http/routes.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "base/pnr.h"
#include "db/db.h"
#include "http/http.h"
#include "people.h"
#include "people_api.h"

static const struct jfield address_fields[] = {
    {"street", JF_STRING, false, 200, NULL, 0},
    {"postal_code", JF_STRING, false, 10, NULL, 0},
    {"city", JF_STRING, false, 100, NULL, 0},
};

static const struct jfield create_fields[] = {
    {"personnummer", JF_STRING, true, 20, NULL, 0},
    {"given_name", JF_STRING, true, 100, NULL, 0},
    {"family_name", JF_STRING, true, 100, NULL, 0},
    {"address", JF_OBJECT, false, 0, address_fields, 3},
    {"phone", JF_STRING, false, 40, NULL, 0},
    {"protected_identity", JF_BOOL, false, 0, NULL, 0},
};

static const struct jfield patch_fields[] = {
    {"version", JF_INT, true, 0, NULL, 0},
    {"personnummer", JF_STRING, false, 20, NULL, 0},
    {"given_name", JF_STRING, false, 100, NULL, 0},
    {"family_name", JF_STRING, false, 100, NULL, 0},
    {"address", JF_OBJECT, false, 0, address_fields, 3},
    {"phone", JF_STRING, false, 40, NULL, 0},
    {"protected_identity", JF_BOOL, false, 0, NULL, 0},
};

static const struct jfield relative_fields[] = {
    {"name", JF_STRING, true, 200, NULL, 0},
    {"relation", JF_STRING, true, 100, NULL, 0},
    {"phone", JF_STRING, false, 40, NULL, 0},
};

static const struct jfield rep_fields[] = {
    {"kind", JF_STRING, true, 16, NULL, 0},       {"name", JF_STRING, true, 200, NULL, 0},
    {"rep_person_id", JF_INT, false, 0, NULL, 0}, {"scope", JF_STRING, true, 300, NULL, 0},
    {"valid_from", JF_DATE, true, 10, NULL, 0},   {"valid_to", JF_DATE, false, 10, NULL, 0},
};

/* Trims surrounding white space in place. */
static void
trim(char *s)
{
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	size_t i = 0;
	while (s[i] && isspace((unsigned char)s[i]))
		i++;
	if (i)
		memmove(s, s + i, n - i + 1);
}

int
people_check_fields(struct person *p, struct field_errors *fe)
{
	int before = fe->n;
	trim(p->given_name);
	trim(p->family_name);
	trim(p->street);
	trim(p->city);
	trim(p->phone);
	if (!p->given_name[0])
		field_error_add(fe, "given_name", "förnamn saknas");
	if (!p->family_name[0])
		field_error_add(fe, "family_name", "efternamn saknas");
	/* Postal code: five digits, stored as "NNN NN". */
	if (p->postal_code[0]) {
		char d[6];
		int n = 0;
		bool ok = true;
		for (const char *s = p->postal_code; *s; s++) {
			if (isdigit((unsigned char)*s) && n < 5)
				d[n++] = *s;
			else if (*s != ' ')
				ok = false;
		}
		if (!ok || n != 5 || d[0] == '0')
			field_error_add(fe, "address.postal_code",
			                "postnummer ska vara fem siffror");
		else
			snprintf(p->postal_code, sizeof p->postal_code, "%.3s %.2s", d, d + 3);
	}
	for (const char *s = p->phone; *s; s++) {
		if (!isdigit((unsigned char)*s) && !strchr("+- ()", *s)) {
			field_error_add(fe, "phone",
			                "telefonnummer får bara innehålla siffror,"
			                " mellanslag och + - ( )");
			break;
		}
	}
	return fe->n > before ? HERR_INVALID : 0;
}

/* Takes the fields present in obj into p; validates the number. */
static void
person_from_json(const json_t *obj, struct person *p, struct field_errors *fe)
{
	const char *pnr_text = json_get_str(obj, "personnummer");
	if (pnr_text) {
		struct pnr n;
		enum pnr_fault f = pnr_parse_now(pnr_text, &n);
		if (f != PNR_OK) {
			field_error_add(fe, "personnummer", pnr_fault_message(f));
		} else {
			str_copy(p->pnr, sizeof p->pnr, n.digits);
			str_copy(p->pnr_kind, sizeof p->pnr_kind,
			         n.kind == PNR_SAMORDNINGSNUMMER ? "samordningsnummer"
			                                         : "personnummer");
		}
	}
	if (json_has(obj, "given_name"))
		str_copy(p->given_name, sizeof p->given_name, json_get_str(obj, "given_name"));
	if (json_has(obj, "family_name"))
		str_copy(p->family_name, sizeof p->family_name, json_get_str(obj, "family_name"));
	if (json_object_get(obj, "phone"))
		str_copy(p->phone, sizeof p->phone, json_get_str(obj, "phone"));
	const json_t *addr = json_object_get(obj, "address");
	if (addr && json_is_null(addr)) {
		p->street[0] = p->postal_code[0] = p->city[0] = '\0';
	} else if (addr) {
		if (json_object_get(addr, "street"))
			str_copy(p->street, sizeof p->street, json_get_str(addr, "street"));
		if (json_object_get(addr, "postal_code"))
			str_copy(p->postal_code, sizeof p->postal_code,
			         json_get_str(addr, "postal_code"));
		if (json_object_get(addr, "city"))
			str_copy(p->city, sizeof p->city, json_get_str(addr, "city"));
	}
	if (json_object_get(obj, "protected_identity"))
		p->protected_identity = json_get_bool(obj, "protected_identity", false);
}

/* Whether the user may see a protected address on request (explicit need). */
static bool
may_reveal(const struct req *r)
{
	const char *inc = req_query(r, "include");
	return inc && strcmp(inc, "protected_address") == 0 &&
	       (r->who.roles & (ROLE_CASEWORKER | ROLE_ADMIN));
}

/* The relatives and representatives of one person as JSON array bodies. */
struct people_lists {
	struct strbuf rels; /* "[" then the relatives */
	struct strbuf reps; /* "[" then the representatives */
};

static void
rel_item(struct strbuf *sb, const struct relative *rel)
{
	if (sb->len && sb->buf[sb->len - 1] != '[')
		sb_addc(sb, ',');
	sb_addf(sb, "{\"id\":%lld,\"name\":", (long long)rel->id);
	json_str(sb, rel->name);
	sb_adds(sb, ",\"relation\":");
	json_str(sb, rel->relation);
	sb_adds(sb, ",\"phone\":");
	if (rel->phone[0])
		json_str(sb, rel->phone);
	else
		sb_adds(sb, "null");
	sb_addc(sb, '}');
}

static void
rel_json(const struct relative *rel, void *arg)
{
	rel_item(&((struct people_lists *)arg)->rels, rel);
}

void
people_rep_json(struct strbuf *sb, const struct representative *rep)
{
	sb_addf(sb, "{\"id\":%lld,\"kind\":", (long long)rep->id);
	json_str(sb, rep->kind);
	sb_adds(sb, ",\"name\":");
	json_str(sb, rep->rep_name);
	if (rep->rep_person_id)
		sb_addf(sb, ",\"rep_person_id\":%lld", (long long)rep->rep_person_id);
	else
		sb_adds(sb, ",\"rep_person_id\":null");
	sb_adds(sb, ",\"scope\":");
	json_str(sb, rep->scope);
	sb_adds(sb, ",\"valid_from\":");
	json_str(sb, rep->valid_from);
	sb_adds(sb, ",\"valid_to\":");
	if (rep->valid_to[0])
		json_str(sb, rep->valid_to);
	else
		sb_adds(sb, "null");
	sb_addc(sb, '}');
}

static void
rep_json_cb(const struct representative *rep, void *arg)
{
	struct strbuf *sb = &((struct people_lists *)arg)->reps;
	if (sb->buf[sb->len - 1] != '[')
		sb_addc(sb, ',');
	people_rep_json(sb, rep);
}

int
people_load_visible(struct req *r, int64_t id, struct person *p)
{
	struct db_conn *c = db_reader(r->db);
	int rc = auth_person_access(c, &r->who, id);
	if (rc == 0)
		rc = people_get(c, r->who.tenant_id, id, p);
	db_reader_done(r->db, c);
	return rc;
}

int
people_read_audited(struct req *r, int64_t id, bool reveal, struct person *p,
                    void (*rel_fn)(const struct relative *rel, void *arg),
                    void (*rep_fn)(const struct representative *rep, void *arg), void *arg)
{
	/* A provider's users see a customer only through the order, with the fields the order
	 * carries, never the record with relatives and representatives: 404 as for a stranger
	 * (review 2026-11 finding 9). */
	const unsigned record = ROLE_ADMIN | ROLE_CASEWORKER | ROLE_FEE_ADMIN | ROLE_UNIT_MANAGER |
	                        ROLE_CITIZEN | ROLE_REPRESENTATIVE;
	if (!(r->who.roles & record))
		return HERR_NOT_FOUND;
	struct db_conn *c = db_reader(r->db);
	int rc = auth_person_access(c, &r->who, id);
	if (rc == 0)
		rc = people_get(c, r->who.tenant_id, id, p);
	if (rc == 0 && rel_fn)
		rc = people_relatives(c, r->who.tenant_id, id, rel_fn, arg);
	if (rc == 0 && rep_fn)
		rc = people_representatives(c, r->who.tenant_id, id, rep_fn, arg);
	db_reader_done(r->db, c);
	if (rc)
		return rc;
	return req_audit_reads(r,
	                       reveal && p->protected_identity ? "read_protected_address" : "read",
	                       "person", id, &id, 1);
}

struct audited_search {
	void (*fn)(const struct person *p, void *arg); /* the caller's callback */
	void *arg;                                     /* its argument */
	int64_t ids[PEOPLE_SEARCH_MAX];                /* hits, for the audit */
	int n;                                         /* hits so far */
};

static void
audited_hit(const struct person *p, void *arg)
{
	struct audited_search *as = arg;
	if (as->n < PEOPLE_SEARCH_MAX)
		as->ids[as->n++] = p->id;
	as->fn(p, as->arg);
}

int
people_search_audited(struct req *r, const char *q, int offset, int limit,
                      void (*fn)(const struct person *p, void *arg), void *arg, bool *more)
{
	if (limit > PEOPLE_SEARCH_MAX)
		limit = PEOPLE_SEARCH_MAX;
	struct audited_search as = {.fn = fn, .arg = arg};
	struct db_conn *c = db_reader(r->db);
	int rc = people_search(c, r->who.tenant_id, q, offset, limit, audited_hit, &as, more);
	db_reader_done(r->db, c);
	if (rc)
		return rc;
	return req_audit_reads(r, "search", "person", 0, as.ids, as.n);
}

int
people_api_get(struct req *r)
{
	int64_t id = r->params[0];
	struct person p;
	struct people_lists lists;
	sb_init(&lists.rels, 0);
	sb_init(&lists.reps, 0);
	sb_adds(&lists.rels, "[");
	sb_adds(&lists.reps, "[");
	bool reveal = may_reveal(r);
	int rc = people_read_audited(r, id, reveal, &p, rel_json, rep_json_cb, &lists);
	if (rc == 0) {
		struct strbuf sb;
		sb_init(&sb, 0);
		people_json(&sb, &p, reveal || !p.protected_identity);
		sb.len--; /* reopen the object */
		sb_adds(&sb, ",\"relatives\":");
		sb_add(&sb, lists.rels.buf, lists.rels.len);
		sb_adds(&sb, "],\"representatives\":");
		sb_add(&sb, lists.reps.buf, lists.reps.len);
		sb_adds(&sb, "]}");
		req_json(r, 200, &sb);
	}
	sb_release(&lists.rels);
	sb_release(&lists.reps);
	return rc ? REQ_FAIL(r, rc) : 0;
}

int
people_api_create(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, create_fields, 6, &obj);
	if (rc)
		return rc;
	struct person p;
	memset(&p, 0, sizeof p);
	p.tenant_id = r->who.tenant_id;
	person_from_json(obj, &p, &r->fe);
	json_decref(obj);
	people_check_fields(&p, &r->fe);
	if (r->fe.n)
		return REQ_FAIL(r, HERR_INVALID);
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = people_create(r->db, &p, &e);
	if (rc == HERR_CONFLICT) {
		field_error_add(&r->fe, "personnummer", "en person med detta nummer finns redan");
		return REQ_FAIL(r, HERR_CONFLICT);
	}
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	struct strbuf sb, loc;
	sb_init(&sb, 0);
	sb_init(&loc, 128);
	people_json(&sb, &p, true);
	sb_addf(&loc, "/api/v1/persons/%lld", (long long)p.id);
	req_header(r, "Location", loc.buf);
	req_json(r, 201, &sb);
	sb_release(&loc);
	return 0;
}

int
people_api_patch(struct req *r)
{
	int64_t id = r->params[0];
	json_t *obj;
	int rc = req_decode_json(r, patch_fields, 7, &obj);
	if (rc)
		return rc;
	struct person p;
	rc = people_load_visible(r, id, &p);
	if (rc) {
		json_decref(obj);
		return REQ_FAIL(r, rc);
	}
	p.version = json_get_int(obj, "version", 0);
	person_from_json(obj, &p, &r->fe);
	json_decref(obj);
	people_check_fields(&p, &r->fe);
	if (r->fe.n)
		return REQ_FAIL(r, HERR_INVALID);
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = people_update(r->db, &p, &e);
	if (rc == HERR_CONFLICT)
		field_error_add(&r->fe, "personnummer", "en person med detta nummer finns redan");
	if (rc == HERR_STALE)
		field_error_add(&r->fe, "version", "personen har ändrats av någon annan; läs om");
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	struct strbuf sb;
	sb_init(&sb, 0);
	/* The answer to a change is no way round protected identity. */
	people_json(&sb, &p, !p.protected_identity);
	req_json(r, 200, &sb);
	return 0;
}

struct search_out {
	struct strbuf *sb; /* the items array */
	int n;             /* items written */
};

static void
search_hit(const struct person *p, void *arg)
{
	struct search_out *so = arg;
	if (so->n++)
		sb_addc(so->sb, ',');
	people_json(so->sb, p, !p->protected_identity);
}

int
people_api_search(struct req *r)
{
	const char *q = req_query(r, "q");
	int64_t limit, offset;
	int rc = req_query_int(r, "limit", 20, 100, &limit);
	if (rc)
		return rc;
	const char *cur = req_query(r, "cursor");
	offset = 0;
	if (cur && *cur) {
		char *end;
		offset = strtoll(cur, &end, 10);
		if (*end || offset < 0 || offset > 100000) {
			field_error_add(&r->fe, "cursor", "ogiltig markör");
			return REQ_FAIL(r, HERR_INVALID);
		}
	}
	if (!q || strlen(q) < 2 || strlen(q) > 100) {
		field_error_add(&r->fe, "q", "ange minst två tecken av namn eller personnummer");
		return REQ_FAIL(r, HERR_INVALID);
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "{\"items\":[");
	struct search_out so = {.sb = &sb};
	bool more = false;
	rc = people_search_audited(r, q, (int)offset, (int)limit, search_hit, &so, &more);
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	sb_adds(&sb, "],\"next_cursor\":");
	if (more)
		sb_addf(&sb, "\"%lld\"", (long long)(offset + limit));
	else
		sb_adds(&sb, "null");
	sb_addc(&sb, '}');
	req_json(r, 200, &sb);
	return 0;
}

int
people_api_relative_add(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, relative_fields, 3, &obj);
	if (rc)
		return rc;
	struct relative rel = {0};
	str_copy(rel.name, sizeof rel.name, json_get_str(obj, "name"));
	str_copy(rel.relation, sizeof rel.relation, json_get_str(obj, "relation"));
	str_copy(rel.phone, sizeof rel.phone, json_get_str(obj, "phone"));
	json_decref(obj);
	struct person p;
	rc = people_load_visible(r, r->params[0], &p);
	if (rc)
		return REQ_FAIL(r, rc);
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = people_relative_add(r->db, r->who.tenant_id, p.id, &rel, &e);
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	struct strbuf sb;
	sb_init(&sb, 0);
	rel_item(&sb, &rel);
	req_json(r, 201, &sb);
	return 0;
}

int
people_api_rep_add(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, rep_fields, 6, &obj);
	if (rc)
		return rc;
	struct representative rep = {0};
	str_copy(rep.kind, sizeof rep.kind, json_get_str(obj, "kind"));
	str_copy(rep.rep_name, sizeof rep.rep_name, json_get_str(obj, "name"));
	str_copy(rep.scope, sizeof rep.scope, json_get_str(obj, "scope"));
	str_copy(rep.valid_from, sizeof rep.valid_from, json_get_str(obj, "valid_from"));
	str_copy(rep.valid_to, sizeof rep.valid_to, json_get_str(obj, "valid_to"));
	rep.rep_person_id = json_get_int(obj, "rep_person_id", 0);
	json_decref(obj);
	if (!people_rep_kind_valid(rep.kind))
		field_error_add(&r->fe, "kind", "ska vara god_man, forvaltare eller fullmakt");
	if (rep.valid_to[0] && strcmp(rep.valid_to, rep.valid_from) < 0)
		field_error_add(&r->fe, "valid_to", "slutdatum före startdatum");
	if (r->fe.n)
		return REQ_FAIL(r, HERR_INVALID);
	struct person p;
	rc = people_load_visible(r, r->params[0], &p);
	if (rc)
		return REQ_FAIL(r, rc);
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = people_representative_add(r->db, r->who.tenant_id, p.id, &rep, &e);
	if (rc == HERR_RULE)
		field_error_add(&r->fe, "rep_person_id", "ingen sådan person i registret");
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	struct strbuf sb;
	sb_init(&sb, 0);
	people_rep_json(&sb, &rep);
	req_json(r, 201, &sb);
	return 0;
}
