/*
 * Shared between the files of src/auth only.
 */
#ifndef HANNA_AUTH_PRIVATE_H
#define HANNA_AUTH_PRIVATE_H

#include "auth.h"

struct auth__user {
	int64_t id, tenant_id, unit_id, provider_id, person_id;
	int64_t failed_logins, locked_until;
	bool active;
	unsigned roles;
	char username[64];
	char display_name[128];
	char tenant[64];
	char tenant_title[128];
	char password_hash[128];
};

int auth__user_by_name(struct db *db, const char *tenant, const char *username,
                       struct auth__user *u /* out */);
int auth__record_failure(struct db *db, int64_t user_id, int failed, int64_t locked_until);
int auth__session_create(struct db *db, const struct auth__user *u, const char *token_hash,
                         const char *csrf, int64_t now, int64_t expires, int64_t *id /* out */);
int auth__session_lookup(struct db *db, const char *token_hash, int64_t now,
                         struct principal *p /* out */);
int auth__session_revoke(struct db *db, int64_t session_id);
int auth__user_insert(struct db *db, const struct user_new *u, const char *hash, const char *roles,
                      int64_t *id /* out */);
int auth__api_token_insert(struct db *db, int64_t tenant, int64_t provider_id, const char *name,
                           const char *hash, int64_t created_by, int64_t *id /* out */);
/* The principal of an API token by its hash; HERR_UNAUTHENTICATED when unknown or revoked. */
int auth__api_token_lookup(struct db *db, const char *hash, struct principal *p /* out */);
void auth__principal_from(const struct auth__user *u, struct principal *p /* out */);

#endif
