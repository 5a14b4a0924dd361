/*
 * The small subcommands: migrate, tenant add, audit verify, backup, version, help.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/err.h"
#include "cli.h"
#include "db/db.h"

#ifndef HANNA_VERSION
#define HANNA_VERSION "0.1.0"
#endif

/* Parses the options every simple command shares: --db, --help, and up to two more with
 * arguments named in extra (e.g. "to"). Returns -1 on success, else the exit code. */
static int
parse(const char *name, int argc, char **argv, const char **db, const char *extra1,
      const char **val1, const char *extra2, const char **val2)
{
	struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {extra1 ? extra1 : "-unused1", required_argument, NULL, '1'},
	    {extra2 ? extra2 : "-unused2", required_argument, NULL, '2'},
	    {0},
	};
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			*db = optarg;
			break;
		case '1':
			*val1 = optarg;
			break;
		case '2':
			*val2 = optarg;
			break;
		case 'h':
			cli_usage(name, stdout);
			return EXIT_OK;
		default:
			cli_usage(name, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "hanna %s: unexpected argument '%s'\n", name, argv[optind]);
		return EXIT_USAGE;
	}
	return -1;
}

int
cli_migrate(int argc, char **argv)
{
	const char *db_opt = NULL;
	int rc = parse("migrate", argc, argv, &db_opt, NULL, NULL, NULL, NULL);
	if (rc >= 0)
		return rc;
	struct db *db = cli_open(cli_db_url(db_opt), 1, 1);
	if (!db)
		return EXIT_FAIL;
	printf("schema version %d\n", db_schema_version(db));
	db_close(db);
	return EXIT_OK;
}

int
cli_tenant_add(int argc, char **argv)
{
	const char *db_opt = NULL, *name = NULL, *title = NULL;
	int rc = parse("tenant add", argc, argv, &db_opt, "name", &name, "title", &title);
	if (rc >= 0)
		return rc;
	if (!name || !*name) {
		fprintf(stderr, "hanna tenant add: --name is required\n");
		return EXIT_USAGE;
	}
	struct db *db = cli_open(cli_db_url(db_opt), 1, 1);
	if (!db)
		return EXIT_FAIL;
	int64_t id;
	rc = auth_tenant_add(db, name, title && *title ? title : name, &id);
	db_close(db);
	if (rc == HERR_CONFLICT) {
		fprintf(stderr, "hanna tenant add: tenant '%s' exists\n", name);
		return EXIT_FAIL;
	}
	if (rc) {
		fprintf(stderr, "hanna tenant add: cannot add tenant '%s'\n", name);
		return EXIT_FAIL;
	}
	printf("tenant %s added (id %lld)\n", name, (long long)id);
	return EXIT_OK;
}

int
cli_audit_verify(int argc, char **argv)
{
	const char *db_opt = NULL;
	int rc = parse("audit verify", argc, argv, &db_opt, NULL, NULL, NULL, NULL);
	if (rc >= 0)
		return rc;
	struct db *db = cli_open(cli_db_url(db_opt), 1, 0);
	if (!db)
		return EXIT_FAIL;
	struct audit_verify_result res;
	rc = audit_verify(db, &res);
	db_close(db);
	if (rc) {
		fprintf(stderr, "hanna audit verify: cannot read the audit log\n");
		return EXIT_FAIL;
	}
	if (res.bad_id) {
		printf("audit log broken at record %lld: %s (%lld records before it intact)\n",
		       (long long)res.bad_id, res.why, (long long)res.checked);
		return EXIT_FAIL;
	}
	printf("audit log intact: %lld records\n", (long long)res.checked);
	return EXIT_OK;
}

int
cli_backup(int argc, char **argv)
{
	const char *db_opt = NULL, *to = NULL;
	int rc = parse("backup", argc, argv, &db_opt, "to", &to, NULL, NULL);
	if (rc >= 0)
		return rc;
	if (!to || !*to) {
		fprintf(stderr, "hanna backup: --to FILE is required\n");
		return EXIT_USAGE;
	}
	struct db *db = cli_open(cli_db_url(db_opt), 1, 0);
	if (!db)
		return EXIT_FAIL;
	rc = db_backup(db, to);
	db_close(db);
	if (rc) {
		fprintf(stderr, "hanna backup: backup to '%s' failed\n", to);
		return EXIT_FAIL;
	}
	printf("backup written to %s\n", to);
	return EXIT_OK;
}

int
cli_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("hanna %s\n", HANNA_VERSION);
	return EXIT_OK;
}

int
cli_help(int argc, char **argv)
{
	if (argc >= 2) {
		char name[64];
		snprintf(name, sizeof name, "%s%s%s", argv[1], argc >= 3 ? " " : "",
		         argc >= 3 ? argv[2] : "");
		for (int i = 0; i < cli_ncommands; i++) {
			if (strcmp(cli_commands[i].name, name) == 0 ||
			    strcmp(cli_commands[i].name, argv[1]) == 0) {
				cli_usage(cli_commands[i].name, stdout);
				return EXIT_OK;
			}
		}
		fprintf(stderr, "hanna help: no command '%s'\n", name);
		return EXIT_USAGE;
	}
	printf("Hanna: social-care administration for Swedish municipalities.\n\nCommands:\n");
	for (int i = 0; i < cli_ncommands; i++)
		printf("  %s\n", cli_commands[i].usage);
	printf("\nRun 'hanna help COMMAND' for more.\n");
	return EXIT_OK;
}
