/*
 * hanna user add: adds a user to a tenant. The password comes from standard input with
 * --password-stdin, else a random one is generated and printed once.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/err.h"
#include "base/rand.h"
#include "cli.h"
#include "db/db.h"

int
cli_user_add(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"tenant", required_argument, NULL, 't'},
	    {"username", required_argument, NULL, 'u'},
	    {"role", required_argument, NULL, 'r'},
	    {"unit", required_argument, NULL, 'U'},
	    {"provider", required_argument, NULL, 'p'},
	    {"person-id", required_argument, NULL, 'P'},
	    {"name", required_argument, NULL, 'n'},
	    {"password-stdin", no_argument, NULL, 's'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	const char *db_opt = NULL, *tenant = NULL, *unit = NULL, *provider = NULL;
	struct user_new u = {0};
	const char *role_text = NULL;
	bool from_stdin = false;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db_opt = optarg;
			break;
		case 't':
			tenant = optarg;
			break;
		case 'u':
			u.username = optarg;
			break;
		case 'r':
			role_text = optarg;
			break;
		case 'U':
			unit = optarg;
			break;
		case 'p':
			provider = optarg;
			break;
		case 'P':
			u.person_id = atoll(optarg);
			break;
		case 'n':
			u.display_name = optarg;
			break;
		case 's':
			from_stdin = true;
			break;
		case 'h':
			cli_usage("user add", stdout);
			return EXIT_OK;
		default:
			cli_usage("user add", stderr);
			return EXIT_USAGE;
		}
	}
	if (!tenant || !u.username || !role_text) {
		fprintf(stderr, "hanna user add: --tenant, --username and --role are required\n");
		return EXIT_USAGE;
	}
	if (auth_roles_parse(role_text, &u.roles) != 0) {
		fprintf(stderr, "hanna user add: unknown role in '%s'\n", role_text);
		return EXIT_USAGE;
	}
	char password[256];
	if (from_stdin) {
		if (!fgets(password, sizeof password, stdin)) {
			fprintf(stderr, "hanna user add: no password on standard input\n");
			return EXIT_FAIL;
		}
		password[strcspn(password, "\r\n")] = '\0';
	} else {
		rand_hex(password, 12);
	}
	u.password = password;
	struct db *db = cli_open(cli_db_url(db_opt), 1, 1);
	if (!db)
		return EXIT_FAIL;
	int rc = EXIT_FAIL;
	if (auth_tenant_id(db, tenant, &u.tenant_id) != 0) {
		fprintf(stderr, "hanna user add: no tenant '%s'\n", tenant);
		goto out;
	}
	if (unit && auth_unit_id(db, u.tenant_id, unit, &u.unit_id) != 0 &&
	    auth_unit_add(db, u.tenant_id, unit, &u.unit_id) != 0) {
		fprintf(stderr, "hanna user add: cannot add unit '%s'\n", unit);
		goto out;
	}
	if (provider && auth_provider_id(db, u.tenant_id, provider, &u.provider_id) != 0 &&
	    auth_provider_add(db, u.tenant_id, provider, &u.provider_id) != 0) {
		fprintf(stderr, "hanna user add: cannot add provider '%s'\n", provider);
		goto out;
	}
	const char *msg = "cannot add the user";
	int64_t id;
	int e = auth_user_add(db, &u, &id, &msg);
	if (e) {
		fprintf(stderr, "hanna user add: %s\n", msg);
		goto out;
	}
	printf("user %s added to %s (id %lld)\n", u.username, tenant, (long long)id);
	if (!from_stdin)
		printf("password: %s\n", password);
	rc = EXIT_OK;
out:
	db_close(db);
	return rc;
}
