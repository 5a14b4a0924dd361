/*
 * hanna: subcommand dispatch only (ARCHITECTURE.md, Layout). The commands live in src/cli.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/rand.h"
#include "cli/cli.h"

int
main(int argc, char **argv)
{
	/* Calendar rules run in Swedish time (ARCHITECTURE.md, Storage). */
	setenv("TZ", "Europe/Stockholm", 1);
	tzset();
	if (rand_init() != 0) {
		fprintf(stderr, "hanna: cannot initialise libsodium\n");
		return EXIT_FAIL;
	}
	if (argc < 2) {
		cli_help(1, argv);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cli_help(1, argv);
	if (strcmp(argv[1], "--version") == 0)
		return cli_version(1, argv);
	/* Two-word commands first ("user add"), then one-word ones. */
	for (int i = 0; i < cli_ncommands; i++) {
		const char *name = cli_commands[i].name;
		const char *sp = strchr(name, ' ');
		if (sp) {
			size_t n = (size_t)(sp - name);
			if (argc >= 3 && strlen(argv[1]) == n && strncmp(argv[1], name, n) == 0 &&
			    strcmp(argv[2], sp + 1) == 0)
				return cli_commands[i].run(argc - 2, argv + 2);
		} else if (strcmp(argv[1], name) == 0) {
			return cli_commands[i].run(argc - 1, argv + 1);
		}
	}
	for (int i = 0; i < cli_ncommands; i++) {
		const char *name = cli_commands[i].name;
		const char *sp = strchr(name, ' ');
		if (sp && strncmp(argv[1], name, (size_t)(sp - name)) == 0 &&
		    strlen(argv[1]) == (size_t)(sp - name)) {
			fprintf(stderr, "hanna %s: expected a subcommand\n\n", argv[1]);
			cli_usage(name, stderr);
			return EXIT_USAGE;
		}
	}
	fprintf(stderr, "hanna: unknown command '%s'; see 'hanna help'\n", argv[1]);
	return EXIT_USAGE;
}
