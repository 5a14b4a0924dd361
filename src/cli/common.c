/*
 * What the subcommands share: the command table, database URL and opening, usage text.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "cli.h"
#include "db/db.h"

const struct command cli_commands[] = {
    {"serve", cli_serve,
     "hanna serve [--db URL] [--listen ADDR:PORT] [--workers N] [--secure-cookies]"
     " [--webhook-backoff S] [--webhook-allow-private]",
     "Serves the JSON API and the pages until SIGTERM or SIGINT, then finishes the requests\n"
     "in flight and closes the database cleanly.\n"
     "  --db URL          sqlite:PATH or postgresql://... (default $HANNA_DB, then "
     "sqlite:hanna.db)\n"
     "  --listen A:P      address and port (default 127.0.0.1:8080)\n"
     "  --workers N       handler threads (default 64)\n"
     "  --readers N       reader connections (default 16)\n"
     "  --secure-cookies  mark session cookies Secure (when served behind TLS)\n"
     "  --webhook-backoff S  seconds before the first retry of a failed webhook delivery,\n"
     "                    doubled per attempt (default $HANNA_WEBHOOK_BACKOFF, then 30)\n"
     "  --webhook-allow-private  let webhooks go to loopback, private and link-local\n"
     "                    addresses (also HANNA_WEBHOOK_ALLOW_PRIVATE=1; tests only)\n"},
    {"migrate", cli_migrate, "hanna migrate [--db URL]",
     "Creates or upgrades the schema: applies every numbered migration not yet applied,\n"
     "each in one transaction.\n"},
    {"demo", cli_demo, "hanna demo [--db URL] [--persons N] [--cases N]",
     "Migrates and seeds the synthetic municipality 'demo': units, two providers, the\n"
     "service catalogue and delegation order, the demo users of shared/API.md and N\n"
     "synthetic persons (default 2000). --cases N adds N cases with their history\n"
     "(default 0; make run uses 150). Passwords come from $HANNA_DEMO_PASSWORD when set,\n"
     "else are generated and printed once.\n"},
    {"tenant add", cli_tenant_add,
     "hanna tenant add --name T [--title \"Nacka kommun\"] [--db URL]",
     "Adds a municipality (tenant).\n"},
    {"user add", cli_user_add,
     "hanna user add --tenant T --username U --role R[,R...] [--unit UNIT] [--provider P]"
     " [--person-id ID] [--name \"Full Name\"] [--password-stdin] [--db URL]",
     "Adds a user. Roles: admin, caseworker, fee_admin, unit_manager, finance, auditor,\n"
     "provider_admin, provider_staff, citizen, representative. With --password-stdin the\n"
     "password is read from standard input; otherwise one is generated and printed once.\n"
     "--unit and --provider name an existing unit or provider (created when missing).\n"},
    {"audit verify", cli_audit_verify, "hanna audit verify [--db URL]",
     "Checks the hash chain of the audit log. Exit 0 when intact, 1 with the first broken\n"
     "record named.\n"},
    {"backup", cli_backup, "hanna backup --db URL --to FILE",
     "Consistent online backup: SQLite's backup API into FILE (a SQLite database), or\n"
     "pg_dump --format=custom for PostgreSQL (restore with pg_restore).\n"},
    {"version", cli_version, "hanna version", "Prints the version.\n"},
    {"help", cli_help, "hanna help [COMMAND]", "Lists the commands, or explains one.\n"},
};
const int cli_ncommands = (int)(sizeof cli_commands / sizeof cli_commands[0]);

const char *
cli_db_url(const char *opt)
{
	if (opt && *opt)
		return opt;
	const char *env = getenv("HANNA_DB");
	if (env && *env)
		return env;
	return "sqlite:hanna.db";
}

struct db *
cli_open(const char *url, int readers, int migrate)
{
	struct db *db;
	int rc = db_open(url, readers, &db);
	if (rc == HERR_INVALID) {
		fprintf(stderr,
		        "hanna: cannot use database URL '%s': expected sqlite:PATH or"
		        " postgresql://...\n",
		        url);
		return NULL;
	}
	if (rc) {
		fprintf(stderr, "hanna: cannot open database '%s'\n", url);
		return NULL;
	}
	if (migrate && db_migrate(db) != 0) {
		fprintf(stderr, "hanna: cannot migrate database '%s'\n", url);
		db_close(db);
		return NULL;
	}
	return db;
}

void
cli_usage(const char *name, FILE *f)
{
	for (int i = 0; i < cli_ncommands; i++) {
		if (strcmp(cli_commands[i].name, name) == 0) {
			fprintf(f, "usage: %s\n\n%s", cli_commands[i].usage, cli_commands[i].help);
			return;
		}
	}
}

int
cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	return 0;
}
