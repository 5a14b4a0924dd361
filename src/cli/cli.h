/*
 * The subcommands of the hanna program (shared/API.md, Command line), one file each. Every
 * command returns its exit code: 0 success, 1 failure, 2 usage.
 */
#ifndef HANNA_CLI_H
#define HANNA_CLI_H

#include <stdio.h>

struct db;

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct command {
	const char *name; /* "serve", "user add", ... */
	int (*run)(int argc, char **argv);
	const char *usage; /* one line of synopsis */
	const char *help;  /* what it does, options */
};

extern const struct command cli_commands[];
extern const int cli_ncommands;

int cli_serve(int argc, char **argv);
int cli_migrate(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_tenant_add(int argc, char **argv);
int cli_user_add(int argc, char **argv);
int cli_audit_verify(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_version(int argc, char **argv);
int cli_help(int argc, char **argv);

/* The database URL: --db, else $HANNA_DB, else sqlite:hanna.db. */
const char *cli_db_url(const char *opt);
/* Opens and migrates the database; prints the error and returns NULL on failure. */
struct db *cli_open(const char *url, int readers, int migrate);
/* Prints the usage of a command to f. */
void cli_usage(const char *name, FILE *f);
/* True when argv holds -h or --help. */
int cli_wants_help(int argc, char **argv);

#endif
