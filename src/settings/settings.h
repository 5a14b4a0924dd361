/*
 * Per-tenant settings of the municipality (the schema is src/db/sql/0016_settings.sql): text
 * values under dotted keys ("visits.bomtid_paid"), each read and checked by the module that
 * owns its prefix, which also holds the defaults (an absent key means the default). There is
 * no cache: a reader looks the keys up in its own transaction, so a change applies from the
 * next transaction on, on every server.
 */
#ifndef HANNA_SETTINGS_H
#define HANNA_SETTINGS_H

#include <stdint.h>

struct db_conn;

/* The longest key and value, in bytes. */
#define SETTINGS_KEY_MAX 64
#define SETTINGS_VALUE_MAX 200

/*
 * Calls fn with each stored setting of tenant whose key starts with prefix (one lookup of the
 * tenant's rows through the unique index). 0 or a code.
 */
int settings_read(struct db_conn *c, int64_t tenant, const char *prefix,
                  void (*fn)(const char *key, const char *value, void *arg), void *arg);
/* Stores value under key for tenant (inserted or replaced), by user_id at now, inside a write
 * job; the caller writes the audit record. 0 or a code. */
int settings_put(struct db_conn *c, int64_t tenant, const char *key, const char *value,
                 int64_t user_id, int64_t now);

#endif
