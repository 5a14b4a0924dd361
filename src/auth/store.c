/*
 * Every SQL statement of the auth module (STYLE.md rule 15): tenants, units, providers, users,
 * sessions, and the relation checks behind auth_person_access.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth_private.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "providers/providers.h"

static const char sql_user_by_name[] =
    "SELECT u.id, u.tenant_id, u.unit_id, u.provider_id, u.person_id, u.failed_logins,"
    " u.locked_until, u.active, u.roles, u.username, u.display_name, t.name, u.password_hash,"
    " t.title"
    " FROM users u JOIN tenants t ON t.id = u.tenant_id"
    " WHERE t.name = $1 AND u.username = $2";
static const char sql_failure[] =
    "UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1";
static const char sql_session_insert[] =
    "INSERT INTO sessions (tenant_id, user_id, token_hash, csrf_token, created_at, expires_at)"
    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
static const char sql_login_ok[] =
    "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = $1";
static const char sql_session_lookup[] =
    "SELECT s.id, s.csrf_token, u.id, u.tenant_id, u.unit_id, u.provider_id, u.person_id,"
    " u.roles, u.username, u.display_name, t.name, t.title"
    " FROM sessions s JOIN users u ON u.id = s.user_id JOIN tenants t ON t.id = u.tenant_id"
    " WHERE s.token_hash = $1 AND s.revoked = 0 AND s.expires_at > $2 AND u.active = 1";
static const char sql_session_revoke[] = "UPDATE sessions SET revoked = 1 WHERE id = $1";
static const char sql_user_insert[] =
    "INSERT INTO users (tenant_id, username, display_name, password_hash, roles, unit_id,"
    " provider_id, person_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    " RETURNING id";
static const char sql_tenant_insert[] =
    "INSERT INTO tenants (name, title, created_at) VALUES ($1, $2, $3) RETURNING id";
static const char sql_tenant_id[] = "SELECT id FROM tenants WHERE name = $1";
static const char sql_unit_insert[] =
    "INSERT INTO units (tenant_id, name, created_at) VALUES ($1, $2, $3) RETURNING id";
static const char sql_unit_id[] = "SELECT id FROM units WHERE tenant_id = $1 AND name = $2";
static const char sql_user_provider[] =
    "SELECT provider_id, roles FROM users WHERE tenant_id = $1 AND id = $2 AND active = 1";
static const char sql_unit_name[] = "SELECT name FROM units WHERE tenant_id = $1 AND id = $2";
static const char sql_user_name[] =
    "SELECT CASE WHEN display_name = '' THEN username ELSE display_name END FROM users"
    " WHERE tenant_id = $1 AND id = $2";
static const char sql_provider_insert[] =
    "INSERT INTO providers (tenant_id, name, created_at) VALUES ($1, $2, $3) RETURNING id";
static const char sql_provider_id[] = "SELECT id FROM providers WHERE tenant_id = $1 AND name = $2";
static const char sql_providers[] =
    "SELECT id, name FROM providers WHERE tenant_id = $1 ORDER BY name, id";
static const char sql_person_tenant[] = "SELECT 1 FROM persons WHERE id = $1 AND tenant_id = $2";
static const char sql_mandate[] =
    "SELECT 1 FROM representatives WHERE tenant_id = $1 AND rep_person_id = $2"
    " AND person_id = $3 AND valid_from <= $4 AND (valid_to IS NULL OR valid_to >= $4)";

static const char sql_token_insert[] =
    "INSERT INTO api_tokens (tenant_id, provider_id, name, token_hash, created_by, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
static const char sql_token_lookup[] =
    "SELECT k.id, k.tenant_id, k.provider_id, k.name, t.name, t.title, COALESCE(k.created_by, 0)"
    " FROM api_tokens k JOIN tenants t ON t.id = k.tenant_id"
    " WHERE k.token_hash = $1 AND k.revoked = 0";

static const char sql_token_revoke[] =
    "UPDATE api_tokens SET revoked = $3 WHERE id = $1 AND tenant_id = $2 AND provider_id = $4"
    " AND revoked = 0 RETURNING id";
static const char sql_token_provider[] =
    "SELECT provider_id FROM api_tokens WHERE id = $1 AND tenant_id = $2";
static const char sql_token_list[] =
    "SELECT id, name, created_at, revoked FROM api_tokens WHERE tenant_id = $1"
    " AND provider_id = $2 ORDER BY id";

/* Reads a user row (sql_user_by_name) into out, a struct auth__user. */
static void
user_row(struct db_stmt *st, void *out)
{
	struct auth__user *u = out;
	memset(u, 0, sizeof *u);
	u->id = db_col_int(st, 0);
	u->tenant_id = db_col_int(st, 1);
	u->unit_id = db_col_int(st, 2);
	u->provider_id = db_col_int(st, 3);
	u->person_id = db_col_int(st, 4);
	u->failed_logins = db_col_int(st, 5);
	u->locked_until = db_col_int(st, 6);
	u->active = db_col_int(st, 7) != 0;
	if (auth_roles_parse(db_col_text(st, 8), &u->roles) != 0)
		u->roles = 0;
	db_col_copy(st, 9, u->username, sizeof u->username);
	db_col_copy(st, 10, u->display_name, sizeof u->display_name);
	db_col_copy(st, 11, u->tenant, sizeof u->tenant);
	db_col_copy(st, 12, u->password_hash, sizeof u->password_hash);
	db_col_copy(st, 13, u->tenant_title, sizeof u->tenant_title);
}

int
auth__user_by_name(struct db *db, const char *tenant, const char *username, struct auth__user *u)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *st = db_prepare(c, sql_user_by_name);
	int rc = HERR_DB;
	if (!st)
		goto out;
	db_bind_text(st, 1, tenant);
	db_bind_text(st, 2, username);
	rc = db_step_one(st, user_row, u);
out:
	db_reader_done(db, c);
	return rc;
}

struct failure {
	int64_t user_id, locked_until;
	int failed;
};

static int
failure_job(struct db_conn *c, void *arg)
{
	struct failure *f = arg;
	struct db_stmt *st = db_prepare(c, sql_failure);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, f->user_id);
	db_bind_int(st, 2, f->failed);
	db_bind_int(st, 3, f->locked_until);
	return db_step_done(st);
}

int
auth__record_failure(struct db *db, int64_t user_id, int failed, int64_t locked_until)
{
	struct failure f = {user_id, locked_until, failed};
	return db_write(db, failure_job, &f);
}

struct session_new {
	const struct auth__user *u;
	const char *token_hash, *csrf;
	int64_t now, expires, id;
};

static int
session_job(struct db_conn *c, void *arg)
{
	struct session_new *s = arg;
	struct db_stmt *st = db_prepare(c, sql_session_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, s->u->tenant_id);
	db_bind_int(st, 2, s->u->id);
	db_bind_text(st, 3, s->token_hash);
	db_bind_text(st, 4, s->csrf);
	db_bind_int(st, 5, s->now);
	db_bind_int(st, 6, s->expires);
	int rc = db_step_id(st, &s->id, HERR_DB);
	if (rc)
		return rc;
	st = db_prepare(c, sql_login_ok);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, s->u->id);
	return db_step_done(st);
}

int
auth__session_create(struct db *db, const struct auth__user *u, const char *token_hash,
                     const char *csrf, int64_t now, int64_t expires, int64_t *id)
{
	struct session_new s = {u, token_hash, csrf, now, expires, 0};
	int rc = db_write(db, session_job, &s);
	if (rc == 0)
		*id = s.id;
	return rc;
}

/* Reads a session row (sql_session_lookup) into out, a struct principal. */
static void
session_row(struct db_stmt *st, void *out)
{
	struct principal *p = out;
	memset(p, 0, sizeof *p);
	p->session_id = db_col_int(st, 0);
	db_col_copy(st, 1, p->csrf, sizeof p->csrf);
	p->user_id = db_col_int(st, 2);
	p->tenant_id = db_col_int(st, 3);
	p->unit_id = db_col_int(st, 4);
	p->provider_id = db_col_int(st, 5);
	p->person_id = db_col_int(st, 6);
	const char *roles = db_col_text(st, 7);
	if (auth_roles_parse(roles, &p->roles) != 0)
		p->roles = 0;
	str_copy(p->roles_text, sizeof p->roles_text, roles);
	db_col_copy(st, 8, p->username, sizeof p->username);
	db_col_copy(st, 9, p->display_name, sizeof p->display_name);
	db_col_copy(st, 10, p->tenant, sizeof p->tenant);
	db_col_copy(st, 11, p->tenant_title, sizeof p->tenant_title);
}

int
auth__session_lookup(struct db *db, const char *token_hash, int64_t now, struct principal *p)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *st = db_prepare(c, sql_session_lookup);
	int rc = HERR_DB;
	if (!st)
		goto out;
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, now);
	rc = db_step_one(st, session_row, p);
	if (rc == HERR_NOT_FOUND)
		rc = HERR_UNAUTHENTICATED;
out:
	db_reader_done(db, c);
	return rc;
}

static int
revoke_job(struct db_conn *c, void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_session_revoke);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, *(int64_t *)arg);
	return db_step_done(st);
}

int
auth__session_revoke(struct db *db, int64_t session_id)
{
	return db_write(db, revoke_job, &session_id);
}

void
auth__principal_from(const struct auth__user *u, struct principal *p)
{
	memset(p, 0, sizeof *p);
	p->tenant_id = u->tenant_id;
	p->user_id = u->id;
	p->unit_id = u->unit_id;
	p->provider_id = u->provider_id;
	p->person_id = u->person_id;
	p->roles = u->roles;
	str_copy(p->username, sizeof p->username, u->username);
	str_copy(p->display_name, sizeof p->display_name, u->display_name);
	str_copy(p->tenant, sizeof p->tenant, u->tenant);
	str_copy(p->tenant_title, sizeof p->tenant_title, u->tenant_title);
	struct strbuf sb;
	sb_init(&sb, sizeof p->roles_text - 1);
	auth_roles_text(u->roles, &sb);
	str_copy(p->roles_text, sizeof p->roles_text, sb.buf);
	sb_release(&sb);
}

/* ---- inserts and lookups by name --------------------------------------------------- */

struct insert {
	const char *sql;   /* statement */
	int64_t tenant_id; /* $1 when set, else the first text */
	const char *a, *b; /* texts */
	int64_t id;        /* returned */
};

static int
insert_named_job(struct db_conn *c, void *arg)
{
	struct insert *in = arg;
	struct db_stmt *st = db_prepare(c, in->sql);
	if (!st)
		return HERR_DB;
	if (in->tenant_id) {
		db_bind_int(st, 1, in->tenant_id);
		db_bind_text(st, 2, in->a);
	} else {
		db_bind_text(st, 1, in->a);
		db_bind_text(st, 2, in->b);
	}
	db_bind_int(st, 3, time_now());
	return db_step_id(st, &in->id, HERR_DB);
}

static int
insert_named(struct db *db, const char *sql, int64_t tenant_id, const char *a, const char *b,
             int64_t *id)
{
	struct insert in = {sql, tenant_id, a, b, 0};
	int rc = db_write(db, insert_named_job, &in);
	if (rc == 0)
		*id = in.id;
	return rc;
}

static int
lookup_named(struct db *db, const char *sql, int64_t tenant_id, const char *name, int64_t *id)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *st = db_prepare(c, sql);
	int rc = HERR_DB;
	if (st) {
		if (tenant_id) {
			db_bind_int(st, 1, tenant_id);
			db_bind_text(st, 2, name);
		} else {
			db_bind_text(st, 1, name);
		}
		rc = db_step_id(st, id, HERR_NOT_FOUND);
	}
	db_reader_done(db, c);
	return rc;
}

int
auth_tenant_add(struct db *db, const char *name, const char *title, int64_t *id)
{
	return insert_named(db, sql_tenant_insert, 0, name, title, id);
}

int
auth_tenant_id(struct db *db, const char *name, int64_t *id)
{
	return lookup_named(db, sql_tenant_id, 0, name, id);
}

int
auth_unit_add(struct db *db, int64_t tenant_id, const char *name, int64_t *id)
{
	return insert_named(db, sql_unit_insert, tenant_id, name, NULL, id);
}

int
auth_unit_id(struct db *db, int64_t tenant_id, const char *name, int64_t *id)
{
	return lookup_named(db, sql_unit_id, tenant_id, name, id);
}

/* The one text column of sql for (tenant_id, id) into out (cap bytes). */
static int
name_of(struct db_conn *c, const char *sql, int64_t tenant_id, int64_t id, char *out, size_t cap)
{
	struct db_stmt *st = db_prepare(c, sql);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, id);
	int rc = db_step(st);
	if (rc == DB_ROW)
		db_col_copy(st, 0, out, cap);
	db_reset(st);
	if (rc == DB_ROW)
		return 0;
	return rc < 0 ? rc : HERR_NOT_FOUND;
}

int
auth_user_name(struct db_conn *c, int64_t tenant_id, int64_t user_id, char *out, size_t cap)
{
	return name_of(c, sql_user_name, tenant_id, user_id, out, cap);
}

int
auth_user_provider(struct db_conn *c, int64_t tenant_id, int64_t user_id, int64_t *provider_id,
                   unsigned *roles)
{
	struct db_stmt *st = db_prepare(c, sql_user_provider);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant_id);
	db_bind_int(st, 2, user_id);
	int rc = db_step(st);
	if (rc == DB_ROW) {
		*provider_id = db_col_int(st, 0);
		if (auth_roles_parse(db_col_text(st, 1), roles) != 0)
			*roles = 0;
	}
	db_reset(st);
	if (rc == DB_ROW)
		return 0;
	return rc < 0 ? rc : HERR_NOT_FOUND;
}

int
auth_unit_name(struct db_conn *c, int64_t tenant_id, int64_t unit_id, char *out, size_t cap)
{
	return name_of(c, sql_unit_name, tenant_id, unit_id, out, cap);
}

int
auth_provider_add(struct db *db, int64_t tenant_id, const char *name, int64_t *id)
{
	return insert_named(db, sql_provider_insert, tenant_id, name, NULL, id);
}

int
auth_provider_id(struct db *db, int64_t tenant_id, const char *name, int64_t *id)
{
	return lookup_named(db, sql_provider_id, tenant_id, name, id);
}

int
auth_providers(struct db_conn *c, int64_t tenant_id,
               void (*fn)(int64_t id, const char *name, void *arg), void *arg)
{
	struct db_stmt *st = db_prepare(c, sql_providers);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, tenant_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		fn(db_col_int(st, 0), db_col_text(st, 1), arg);
	db_reset(st);
	return rc < 0 ? rc : 0;
}

struct user_ins {
	const struct user_new *u;
	const char *hash, *roles;
	int64_t id;
};

static int
user_insert_job(struct db_conn *c, void *arg)
{
	struct user_ins *ui = arg;
	const struct user_new *u = ui->u;
	struct db_stmt *st = db_prepare(c, sql_user_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, u->tenant_id);
	db_bind_text(st, 2, u->username);
	db_bind_text(st, 3, u->display_name ? u->display_name : u->username);
	db_bind_text(st, 4, ui->hash);
	db_bind_text(st, 5, ui->roles);
	db_bind_opt_int(st, 6, u->unit_id);
	db_bind_opt_int(st, 7, u->provider_id);
	db_bind_opt_int(st, 8, u->person_id);
	db_bind_int(st, 9, time_now());
	return db_step_id(st, &ui->id, HERR_DB);
}

int
auth__user_insert(struct db *db, const struct user_new *u, const char *hash, const char *roles,
                  int64_t *id)
{
	struct user_ins ui = {u, hash, roles, 0};
	int rc = db_write(db, user_insert_job, &ui);
	if (rc == 0)
		*id = ui.id;
	return rc;
}

/* ---- API tokens of providers' systems ---------------------------------------------- */

struct token_ins {
	int64_t tenant, provider_id, created_by, id;
	const char *name, *hash;
};

static int
token_insert_job(struct db_conn *c, void *arg)
{
	struct token_ins *t = arg;
	struct db_stmt *st = db_prepare(c, sql_token_insert);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, t->tenant);
	db_bind_int(st, 2, t->provider_id);
	db_bind_text(st, 3, t->name);
	db_bind_text(st, 4, t->hash);
	db_bind_opt_int(st, 5, t->created_by);
	db_bind_int(st, 6, time_now());
	return db_step_id(st, &t->id, HERR_DB);
}

int
auth__api_token_insert(struct db *db, int64_t tenant, int64_t provider_id, const char *name,
                       const char *hash, int64_t created_by, int64_t *id)
{
	struct token_ins t = {tenant, provider_id, created_by, 0, name, hash};
	int rc = db_write(db, token_insert_job, &t);
	if (rc == 0)
		*id = t.id;
	return rc;
}

int
auth_api_token_provider(struct db *db, int64_t tenant, int64_t id, int64_t *provider_id)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *st = db_prepare(c, sql_token_provider);
	int rc = HERR_DB;
	if (st) {
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, tenant);
		rc = db_step_id(st, provider_id, HERR_NOT_FOUND);
	}
	db_reader_done(db, c);
	return rc;
}

struct token_rev {
	int64_t tenant, provider_id, id;
};

static int
token_revoke_job(struct db_conn *c, void *arg)
{
	struct token_rev *t = arg;
	struct db_stmt *st = db_prepare(c, sql_token_revoke);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, t->id);
	db_bind_int(st, 2, t->tenant);
	db_bind_int(st, 3, time_now());
	db_bind_int(st, 4, t->provider_id);
	return db_step_done(st);
}

int
auth_api_token_revoke(struct db *db, int64_t tenant, int64_t provider_id, int64_t id)
{
	struct token_rev t = {tenant, provider_id, id};
	return db_write(db, token_revoke_job, &t);
}

int
auth_api_tokens(struct db *db, int64_t tenant, int64_t provider_id,
                void (*fn)(const struct api_token_info *, void *), void *arg)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *st = db_prepare(c, sql_token_list);
	int rc = HERR_DB;
	if (st) {
		db_bind_int(st, 1, tenant);
		db_bind_int(st, 2, provider_id);
		struct api_token_info t;
		while ((rc = db_step(st)) == DB_ROW) {
			t.id = db_col_int(st, 0);
			db_col_copy(st, 1, t.name, sizeof t.name);
			t.created_at = db_col_int(st, 2);
			t.revoked_at = db_col_int(st, 3);
			fn(&t, arg);
		}
		db_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	db_reader_done(db, c);
	return rc;
}

/* Reads an API token row (sql_token_lookup) into out, a struct principal. */
static void
token_row(struct db_stmt *st, void *out)
{
	struct principal *p = out;
	memset(p, 0, sizeof *p);
	p->tenant_id = db_col_int(st, 1);
	p->provider_id = db_col_int(st, 2);
	p->roles = ROLE_PROVIDER_STAFF | ROLE_PROVIDER_SYSTEM;
	snprintf(p->username, sizeof p->username, "token:%.50s", db_col_text(st, 3));
	db_col_copy(st, 3, p->display_name, sizeof p->display_name);
	str_copy(p->roles_text, sizeof p->roles_text, "provider_staff");
	db_col_copy(st, 4, p->tenant, sizeof p->tenant);
	db_col_copy(st, 5, p->tenant_title, sizeof p->tenant_title);
	p->api_token_id = db_col_int(st, 0);
	p->token_creator = db_col_int(st, 6);
}

int
auth__api_token_lookup(struct db *db, const char *hash, struct principal *p)
{
	struct db_conn *c = db_reader(db);
	struct db_stmt *st = db_prepare(c, sql_token_lookup);
	int rc = HERR_DB;
	if (!st)
		goto out;
	db_bind_text(st, 1, hash);
	rc = db_step_one(st, token_row, p);
	if (rc == HERR_NOT_FOUND)
		rc = HERR_UNAUTHENTICATED;
out:
	db_reader_done(db, c);
	return rc;
}

/* ---- need to know ------------------------------------------------------------------ */

static int
exists(struct db_conn *c, const char *sql, int64_t a, int64_t b, int64_t d, const char *date)
{
	struct db_stmt *st = db_prepare(c, sql);
	if (!st)
		return HERR_DB;
	db_bind_int(st, 1, a);
	db_bind_int(st, 2, b);
	if (d)
		db_bind_int(st, 3, d);
	if (date)
		db_bind_text(st, 4, date);
	return db_step_one(st, NULL, NULL);
}

int
auth_person_access(struct db_conn *c, const struct principal *p, int64_t person_id)
{
	const unsigned staff = ROLE_ADMIN | ROLE_CASEWORKER | ROLE_FEE_ADMIN | ROLE_UNIT_MANAGER;
	if (p->roles & staff)
		return exists(c, sql_person_tenant, person_id, p->tenant_id, 0, NULL);
	if ((p->roles & ROLE_CITIZEN) && p->person_id == person_id)
		return exists(c, sql_person_tenant, person_id, p->tenant_id, 0, NULL);
	if ((p->roles & ROLE_REPRESENTATIVE) && p->person_id) {
		char today[11];
		time_today(today);
		return exists(c, sql_mandate, p->tenant_id, p->person_id, person_id, today);
	}
	/* Provider users see a customer only through an order of their provider. */
	if ((p->roles & (ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF)) && p->provider_id)
		return providers_customer_access(c, p->tenant_id, p->provider_id, person_id);
	return HERR_NOT_FOUND;
}
