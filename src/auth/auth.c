/*
 * Roles, the permission table, passwords, login with lock-out, and sessions. SQL lives in
 * store.c. Design: ARCHITECTURE.md (Trust) and shared/API.md (Roles).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "auth_private.h"
#include "base/err.h"
#include "base/rand.h"
#include "base/strbuf.h"
#include "base/timeutil.h"

static const struct {
	enum role role;
	const char *name;
	const char *title;
} roles[] = {
    {ROLE_ADMIN, "admin", "Systemförvaltare"},
    {ROLE_CASEWORKER, "caseworker", "Biståndshandläggare"},
    {ROLE_FEE_ADMIN, "fee_admin", "Avgiftshandläggare"},
    {ROLE_UNIT_MANAGER, "unit_manager", "Enhetschef"},
    {ROLE_FINANCE, "finance", "Ekonom"},
    {ROLE_AUDITOR, "auditor", "Revisor"},
    {ROLE_PROVIDER_ADMIN, "provider_admin", "Utförare (administratör)"},
    {ROLE_PROVIDER_STAFF, "provider_staff", "Omsorgspersonal"},
    {ROLE_CITIZEN, "citizen", "Invånare"},
    {ROLE_REPRESENTATIVE, "representative", "Företrädare"},
};
#define NROLES (sizeof roles / sizeof roles[0])

const char *
auth_role_name(enum role r)
{
	for (size_t i = 0; i < NROLES; i++)
		if (roles[i].role == r)
			return roles[i].name;
	return "unknown";
}

const char *
auth_role_title(enum role r)
{
	for (size_t i = 0; i < NROLES; i++)
		if (roles[i].role == r)
			return roles[i].title;
	return "Okänd roll";
}

int
auth_role_parse(const char *name, enum role *out)
{
	for (size_t i = 0; i < NROLES; i++) {
		if (strcmp(roles[i].name, name) == 0) {
			*out = roles[i].role;
			return 0;
		}
	}
	return HERR_INVALID;
}

int
auth_roles_parse(const char *text, unsigned *out)
{
	unsigned bits = 0;
	char buf[256];
	if (!text || strlen(text) >= sizeof buf)
		return HERR_INVALID;
	snprintf(buf, sizeof buf, "%s", text);
	char *save = NULL;
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		enum role r;
		if (auth_role_parse(tok, &r) != 0)
			return HERR_INVALID;
		bits |= (unsigned)r;
	}
	if (!bits)
		return HERR_INVALID;
	*out = bits;
	return 0;
}

void
auth_roles_text(unsigned bits, struct strbuf *sb)
{
	bool first = true;
	for (size_t i = 0; i < NROLES; i++) {
		if (!(bits & (unsigned)roles[i].role))
			continue;
		if (!first)
			sb_addc(sb, ',');
		sb_adds(sb, roles[i].name);
		first = false;
	}
}

/*
 * The one permission table: which roles grant which permission. Need-to-know on a single
 * person is decided by auth_person_access on top of this.
 */
static unsigned
roles_for(enum perm perm)
{
	const unsigned staff = ROLE_ADMIN | ROLE_CASEWORKER | ROLE_FEE_ADMIN | ROLE_UNIT_MANAGER;
	switch (perm) {
	case PERM_PUBLIC:
	case PERM_LOGIN:
		return ~0u;
	case PERM_PERSON_READ:
		return staff | ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF | ROLE_CITIZEN |
		       ROLE_REPRESENTATIVE;
	case PERM_PERSON_SEARCH:
		return staff;
	case PERM_PERSON_WRITE:
		return ROLE_ADMIN | ROLE_CASEWORKER;
	case PERM_AUDIT_READ:
		return ROLE_AUDITOR;
	case PERM_ADMIN:
		return ROLE_ADMIN;
	case PERM_CASE_READ:
		return ROLE_ADMIN | ROLE_CASEWORKER | ROLE_UNIT_MANAGER | ROLE_CITIZEN |
		       ROLE_REPRESENTATIVE;
	case PERM_CASE_APPLY:
		return ROLE_ADMIN | ROLE_CASEWORKER | ROLE_CITIZEN | ROLE_REPRESENTATIVE;
	case PERM_CASE_WRITE:
		return ROLE_ADMIN | ROLE_CASEWORKER | ROLE_UNIT_MANAGER;
	case PERM_DECIDE:
		return ROLE_CASEWORKER | ROLE_UNIT_MANAGER;
	case PERM_CASE_REPORT:
		/* The municipal auditors receive the quarterly list by law (KL 3 kap 10 §). */
		return ROLE_ADMIN | ROLE_CASEWORKER | ROLE_UNIT_MANAGER | ROLE_AUDITOR;
	case PERM_MESSAGE:
		return staff | ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF | ROLE_CITIZEN |
		       ROLE_REPRESENTATIVE;
	case PERM_PROVIDER_REGISTER:
		return ROLE_ADMIN;
	case PERM_PROVIDER_MANAGE:
		return ROLE_ADMIN | ROLE_PROVIDER_ADMIN;
	case PERM_PROVIDER_WORK:
		return ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF;
	case PERM_ORDER_READ:
		return ROLE_ADMIN | ROLE_CASEWORKER | ROLE_UNIT_MANAGER | ROLE_PROVIDER_ADMIN |
		       ROLE_PROVIDER_STAFF;
	case PERM_CHOOSE:
		return ROLE_ADMIN | ROLE_CASEWORKER | ROLE_CITIZEN | ROLE_REPRESENTATIVE;
	case PERM_PA_SHEET:
		return ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF | ROLE_CITIZEN |
		       ROLE_REPRESENTATIVE;
	case PERM_VISIT_REPORT:
		return ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF;
	case PERM_VISIT_MANAGE:
		return ROLE_PROVIDER_ADMIN;
	case PERM_VISIT_BULK:
		/* A provider's planning system sends a month of visits (issue 5 item 7). */
		return ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_SYSTEM;
	case PERM_VISIT_READ:
		return ROLE_ADMIN | ROLE_CASEWORKER | ROLE_UNIT_MANAGER | ROLE_FINANCE |
		       ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF;
	case PERM_VISIT_BILLING:
		return ROLE_FINANCE;
	}
	return 0;
}

bool
auth_permits(const struct principal *p, enum perm perm)
{
	return (p->roles & roles_for(perm)) != 0;
}

int
auth_password_hash(const char *password, char *hash_out)
{
	char h[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str(h, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return HERR_INTERNAL;
	snprintf(hash_out, 128, "%s", h);
	return 0;
}

bool
auth_password_verify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* A valid argon2id hash of a random password, verified against when the user does not exist,
 * so that a wrong user name costs the same time as a wrong password. */
static char dummy_hash[128];

static void
ensure_dummy(void)
{
	if (!dummy_hash[0]) {
		char pw[33];
		rand_hex(pw, 16);
		auth_password_hash(pw, dummy_hash);
	}
}

int
auth_login(struct db *db, const char *tenant, const char *username, const char *password,
           struct principal *p, char token_out[65], int64_t *expires)
{
	struct auth__user u;
	int64_t now = time_now();
	int rc = auth__user_by_name(db, tenant, username, &u);
	if (rc == HERR_NOT_FOUND) {
		ensure_dummy();
		auth_password_verify(dummy_hash, password);
		usleep(200000);
		return HERR_UNAUTHENTICATED;
	}
	if (rc)
		return rc;
	if (!u.active)
		return HERR_UNAUTHENTICATED;
	if (u.locked_until > now)
		return HERR_LOCKED;
	if (!auth_password_verify(u.password_hash, password)) {
		/* A growing delay, then a lock-out after AUTH_MAX_FAILED failures in a row. */
		int failed = (int)u.failed_logins + 1;
		int64_t lock = failed >= AUTH_MAX_FAILED ? now + AUTH_LOCK_SECONDS : 0;
		auth__record_failure(db, u.id, failed >= AUTH_MAX_FAILED ? 0 : failed, lock);
		usleep((useconds_t)(200000 * (failed < 5 ? failed : 5)));
		return lock ? HERR_LOCKED : HERR_UNAUTHENTICATED;
	}
	char token[65], token_hash[65], csrf[65];
	rand_hex(token, 32);
	rand_hex(csrf, 32);
	sha256_hex(token, 64, token_hash);
	*expires = now + AUTH_SESSION_SECONDS;
	int64_t sid;
	rc = auth__session_create(db, &u, token_hash, csrf, now, *expires, &sid);
	if (rc)
		return rc;
	auth__principal_from(&u, p);
	p->session_id = sid;
	snprintf(p->csrf, sizeof p->csrf, "%s", csrf);
	memcpy(token_out, token, 65);
	return 0;
}

int
auth_session(struct db *db, const char *token, struct principal *p)
{
	char token_hash[65];
	sha256_hex(token, strlen(token), token_hash);
	return auth__session_lookup(db, token_hash, time_now(), p);
}

bool
auth_is_api_token(const char *text)
{
	if (!text || strlen(text) != AUTH_API_TOKEN_LEN || strncmp(text, "hpt_", 4) != 0)
		return false;
	for (const char *c = text + 4; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
			return false;
	return true;
}

int
auth_api_token_create(struct db *db, int64_t tenant, int64_t provider_id, const char *name,
                      int64_t created_by, char token_out[AUTH_API_TOKEN_LEN + 1], int64_t *id)
{
	char token[AUTH_API_TOKEN_LEN + 1], hash[65];
	memcpy(token, "hpt_", 4);
	rand_hex(token + 4, 32);
	sha256_hex(token, AUTH_API_TOKEN_LEN, hash);
	int rc = auth__api_token_insert(db, tenant, provider_id, name, hash, created_by, id);
	if (rc == 0)
		memcpy(token_out, token, sizeof token);
	return rc;
}

int
auth_api_token(struct db *db, const char *token, struct principal *p)
{
	if (!auth_is_api_token(token))
		return HERR_UNAUTHENTICATED;
	char hash[65];
	sha256_hex(token, strlen(token), hash);
	return auth__api_token_lookup(db, hash, p);
}

int
auth_logout(struct db *db, int64_t session_id)
{
	return auth__session_revoke(db, session_id);
}

static bool
valid_username(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 60)
		return false;
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' ||
		      *c == '_' || *c == '-'))
			return false;
	return true;
}

int
auth_user_add(struct db *db, const struct user_new *u, int64_t *id, const char **msg)
{
	if (!u->username || !valid_username(u->username)) {
		*msg = "username must be 1-60 characters of a-z, 0-9, '.', '_' or '-'";
		return HERR_INVALID;
	}
	if (!u->password || strlen(u->password) < 10) {
		*msg = "password must be at least 10 characters";
		return HERR_INVALID;
	}
	if (!u->roles) {
		*msg = "at least one role is needed";
		return HERR_INVALID;
	}
	if ((u->roles & (ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF)) && !u->provider_id) {
		*msg = "provider roles need --provider";
		return HERR_INVALID;
	}
	char hash[128];
	if (auth_password_hash(u->password, hash) != 0) {
		*msg = "cannot hash the password";
		return HERR_INTERNAL;
	}
	struct strbuf rt;
	sb_init(&rt, 256);
	auth_roles_text(u->roles, &rt);
	int rc = auth__user_insert(db, u, hash, rt.buf, id);
	sb_release(&rt);
	if (rc == HERR_CONFLICT)
		*msg = "a user with that name exists in the tenant";
	return rc;
}
