/*
 * Tenants, users, roles, sessions and permissions (ARCHITECTURE.md, Trust; shared/API.md,
 * Roles). Authorisation is decided in one place: auth_permits() for what a role may do, and
 * auth_person_access() for whether a user may see a given person at all.
 */
#ifndef HANNA_AUTH_H
#define HANNA_AUTH_H

#include <stdbool.h>
#include <stdint.h>

struct db;
struct db_conn;
struct strbuf;

enum role {
	ROLE_ADMIN = 1 << 0,
	ROLE_CASEWORKER = 1 << 1,
	ROLE_FEE_ADMIN = 1 << 2,
	ROLE_UNIT_MANAGER = 1 << 3,
	ROLE_FINANCE = 1 << 4,
	ROLE_AUDITOR = 1 << 5,
	ROLE_PROVIDER_ADMIN = 1 << 6,
	ROLE_PROVIDER_STAFF = 1 << 7,
	ROLE_CITIZEN = 1 << 8,
	ROLE_REPRESENTATIVE = 1 << 9,
	/* Not a user's role: a provider's system acting through its API token, which holds it
	 * beside ROLE_PROVIDER_STAFF. No name, so no user can be given it. */
	ROLE_PROVIDER_SYSTEM = 1 << 10,
};

/* Permissions a route can require; auth.c maps roles to them. */
enum perm {
	PERM_PUBLIC = 0,    /* no login */
	PERM_LOGIN,         /* any logged-in user */
	PERM_PERSON_READ,   /* read a person (further limited by auth_person_access) */
	PERM_PERSON_SEARCH, /* search the person register */
	PERM_PERSON_WRITE,  /* create and change persons */
	PERM_AUDIT_READ,    /* read the audit log */
	PERM_ADMIN,         /* tenant administration */
	PERM_CASE_READ,     /* see cases (further limited by cases_access) */
	PERM_CASE_APPLY,    /* register an application (staff) or apply online (citizen, rep) */
	PERM_CASE_WRITE,    /* investigate: assign, journal, assessments, state */
	PERM_DECIDE,        /* take decisions within the delegation order */
	PERM_CASE_REPORT,   /* the statutory reports: unexecuted decisions, delegated decisions */
	PERM_MESSAGE,       /* secure messages (further limited to the parties of a thread) */
	PERM_PROVIDER_REGISTER, /* add and change providers in the LOV register */
	PERM_PROVIDER_MANAGE,   /* a provider's own profile, vacancies, webhook and API tokens */
	PERM_PROVIDER_WORK,     /* answer orders, write implementation plans, read the event feed */
	PERM_ORDER_READ,        /* read orders (further limited to the case or the provider) */
	PERM_CHOOSE,            /* record the customer's choice of provider */
	PERM_PA_SHEET,          /* read and sign a personal-assistance time sheet (further limited
	                         * by auth_person_access and the sheet's signers) */
	PERM_VISIT_REPORT,      /* report visits: check-in/out, deviations, a provider system */
	PERM_VISIT_MANAGE,      /* a provider's manual entries, corrections, bulk files, locks */
	PERM_VISIT_BULK,        /* upload a month of visits: the provider admin, and the
	                         * provider's planning system through its API token */
	PERM_VISIT_READ,        /* read visits and granted versus performed (further limited) */
	PERM_VISIT_BILLING,     /* granted versus performed of every provider, for the billing */
};

struct principal {
	int64_t tenant_id;      /* the user's municipality */
	int64_t user_id;        /* users.id */
	int64_t session_id;     /* sessions.id */
	int64_t unit_id;        /* organisational unit, 0 if none */
	int64_t provider_id;    /* provider for provider users, 0 if none */
	int64_t person_id;      /* the person a citizen or representative is, 0 if none */
	unsigned roles;         /* enum role bits */
	char username[64];      /* login name */
	char display_name[128]; /* name shown in pages */
	char roles_text[160];   /* roles as "caseworker,admin", for the audit log */
	char tenant[64];        /* tenant name */
	char tenant_title[128]; /* the municipality's name, e.g. "Nacka kommun" */
	char csrf[65];          /* the session's CSRF token */
	int64_t api_token_id;   /* a provider system's API token (api_tokens.id), 0 for a session */
	int64_t token_creator;  /* the user who made that token, who answers for its uploads */
};

/* Role name <-> bit. Names are those of shared/API.md. */
const char *auth_role_name(enum role r);
/* 0 and *out, or HERR_INVALID for an unknown name. */
int auth_role_parse(const char *name, enum role *out /* out */);
/* Parses a comma-separated role list; HERR_INVALID names nothing that is not a role. */
int auth_roles_parse(const char *text, unsigned *out /* out */);
/* Appends the role names of a bit set, comma-separated. */
void auth_roles_text(unsigned roles, struct strbuf *sb);
/* Swedish title of a role, for pages. */
const char *auth_role_title(enum role r);

/* True when some role of the principal grants perm. Pure; the one role table. */
bool auth_permits(const struct principal *p, enum perm perm);

/* Password hashing with argon2id (libsodium). hash_out must hold 128 bytes. */
int auth_password_hash(const char *password, char *hash_out /* out */);
bool auth_password_verify(const char *hash, const char *password);

/* Session lifetime and lock-out policy. */
#define AUTH_SESSION_SECONDS (8 * 3600)
#define AUTH_MAX_FAILED 5
#define AUTH_LOCK_SECONDS (15 * 60)

/*
 * Logs in: checks the password, applies lock-out, creates a session. On success fills *p and
 * token_out (64 hex characters and NUL) and *expires. HERR_UNAUTHENTICATED for a wrong tenant,
 * user or password (the same answer for each), HERR_LOCKED while locked out.
 */
int auth_login(struct db *db, const char *tenant, const char *username, const char *password,
               struct principal *p /* out */, char token_out[65] /* out */,
               int64_t *expires /* out */);
/* Looks up a session by its token; 0 and *p, or HERR_UNAUTHENTICATED. */
int auth_session(struct db *db, const char *token, struct principal *p /* out */);
/* API tokens of providers' systems: "hpt_" and 64 hex characters; only the hash is stored. */
#define AUTH_API_TOKEN_LEN 68
/* Creates a token for provider_id named name; token_out gets the token (shown once). */
int auth_api_token_create(struct db *db, int64_t tenant, int64_t provider_id, const char *name,
                          int64_t created_by, char token_out[AUTH_API_TOKEN_LEN + 1] /* out */,
                          int64_t *id /* out */);
/* Looks up an API token: the principal of a provider's system (role provider_staff of the
 * provider, user_id 0, username "token:NAME"), or HERR_UNAUTHENTICATED. */
int auth_api_token(struct db *db, const char *token, struct principal *p /* out */);
/* The provider of API token id in tenant; HERR_NOT_FOUND when none. */
int auth_api_token_provider(struct db *db, int64_t tenant, int64_t id,
                            int64_t *provider_id /* out */);
/* Revokes API token id of provider_id (the revoked column gets the time); from then on the
 * token gives 401. Revoking a revoked token changes nothing and succeeds. */
int auth_api_token_revoke(struct db *db, int64_t tenant, int64_t provider_id, int64_t id);
struct api_token_info {
	int64_t id, created_at;
	int64_t revoked_at; /* 0 while the token is valid */
	char name[61];
};
/* Calls fn for every API token of a provider, oldest first (never the token itself). */
int auth_api_tokens(struct db *db, int64_t tenant, int64_t provider_id,
                    void (*fn)(const struct api_token_info *, void *), void *arg);
/* Whether text has the form of an API token. */
bool auth_is_api_token(const char *text);

/* Revokes a session. */
int auth_logout(struct db *db, int64_t session_id);

/*
 * Whether the principal may see the person: same tenant and a relation that gives need to
 * know (staff roles of the tenant; a citizen's own record; a representative's principal within
 * a valid mandate; provider users only through an order of their provider, see
 * providers_customer_access in src/providers). Returns 0,
 * or HERR_NOT_FOUND (never revealing whether the person exists). Runs on a reader conn.
 */
int auth_person_access(struct db_conn *c, const struct principal *p, int64_t person_id);

/* Tenant and user administration for the command line and the demo. */
int auth_tenant_add(struct db *db, const char *name, const char *title, int64_t *id /* out */);
int auth_tenant_id(struct db *db, const char *name, int64_t *id /* out */);
int auth_unit_add(struct db *db, int64_t tenant_id, const char *name, int64_t *id /* out */);
int auth_unit_id(struct db *db, int64_t tenant_id, const char *name, int64_t *id /* out */);
/* The display name (else the username) of a user, and the name of a unit, of the tenant, into
 * out (cap bytes). 0, HERR_NOT_FOUND or HERR_DB. */
int auth_user_name(struct db_conn *c, int64_t tenant_id, int64_t user_id, char *out /* out */,
                   size_t cap);
int auth_unit_name(struct db_conn *c, int64_t tenant_id, int64_t unit_id, char *out /* out */,
                   size_t cap);
/* The provider (0 when none) and roles (enum role bits) of an active user of the tenant. 0,
 * HERR_NOT_FOUND (no such user in the tenant, or deactivated) or HERR_DB. */
int auth_user_provider(struct db_conn *c, int64_t tenant_id, int64_t user_id,
                       int64_t *provider_id /* out */, unsigned *roles /* out */);
int auth_provider_add(struct db *db, int64_t tenant_id, const char *name, int64_t *id /* out */);
int auth_provider_id(struct db *db, int64_t tenant_id, const char *name, int64_t *id /* out */);
/* Calls fn for each provider of a tenant, by name. The name is borrowed for the call. */
int auth_providers(struct db_conn *c, int64_t tenant_id,
                   void (*fn)(int64_t id, const char *name, void *arg), void *arg);

struct user_new {
	int64_t tenant_id;        /* required */
	const char *username;     /* required, [a-z0-9._-], 1-60 */
	const char *display_name; /* defaults to username */
	const char *password;     /* required, 10+ characters */
	unsigned roles;           /* at least one */
	int64_t unit_id;          /* 0 for none */
	int64_t provider_id;      /* 0 for none; required for provider roles */
	int64_t person_id;        /* 0 for none; required for citizen and representative */
};
/* Adds a user; HERR_CONFLICT when the name is taken, HERR_INVALID with msg for bad input. */
int auth_user_add(struct db *db, const struct user_new *u, int64_t *id /* out */,
                  const char **msg /* out: reason for HERR_INVALID */);

#endif
