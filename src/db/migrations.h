/*
 * The embedded migrations, generated from src/db/sql by scripts/embed_sql.py. Private to
 * src/db.
 */
#ifndef HANNA_DB_MIGRATIONS_H
#define HANNA_DB_MIGRATIONS_H

#include <stddef.h>

struct db_migration {
	int version;      /* NNNN of the file name */
	const char *name; /* the rest of the file name */
	const char *sql;  /* its text */
};

extern const struct db_migration db_migrations[];
extern const size_t db_migrations_count;

#endif
