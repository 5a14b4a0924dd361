/*
 * hanna serve: opens and migrates the database, then serves HTTP until a signal.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "cli.h"
#include "db/db.h"
#include "http/http.h"
#include "providers/providers.h"

int
cli_serve(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"listen", required_argument, NULL, 'l'},
	    {"workers", required_argument, NULL, 'w'},
	    {"readers", required_argument, NULL, 'r'},
	    {"secure-cookies", no_argument, NULL, 's'},
	    {"webhook-backoff", required_argument, NULL, 'b'},
	    {"webhook-allow-private", no_argument, NULL, 'p'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	const char *db_opt = NULL;
	struct server_opts so = {
	    .listen = "127.0.0.1:8080", .net_threads = 2, .workers = 64, .max_body = 11 << 20};
	int readers = 16, c;
	/* Webhook retries: HANNA_WEBHOOK_BACKOFF (seconds) unless --webhook-backoff is given. */
	const char *env_backoff = getenv("HANNA_WEBHOOK_BACKOFF");
	int backoff = env_backoff ? atoi(env_backoff) : 30;
	const char *env_poll = getenv("HANNA_WEBHOOK_POLL_MS");
	int poll_ms = env_poll ? atoi(env_poll) : 1000;
	/* Webhooks to internal addresses: only with --webhook-allow-private or
	 * HANNA_WEBHOOK_ALLOW_PRIVATE=1 (tests, closed networks). */
	const char *env_private = getenv("HANNA_WEBHOOK_ALLOW_PRIVATE");
	bool allow_private = env_private && strcmp(env_private, "1") == 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db_opt = optarg;
			break;
		case 'l':
			so.listen = optarg;
			break;
		case 'w':
			so.workers = atoi(optarg);
			if (so.workers < 1 || so.workers > 1024) {
				fprintf(stderr, "hanna serve: --workers must be 1-1024\n");
				return EXIT_USAGE;
			}
			break;
		case 'r':
			readers = atoi(optarg);
			if (readers < 1 || readers > 256) {
				fprintf(stderr, "hanna serve: --readers must be 1-256\n");
				return EXIT_USAGE;
			}
			break;
		case 's':
			so.cookie_secure = true;
			break;
		case 'b':
			backoff = atoi(optarg);
			if (backoff < 1 || backoff > 3600) {
				fprintf(stderr, "hanna serve: --webhook-backoff must be 1-3600\n");
				return EXIT_USAGE;
			}
			break;
		case 'p':
			allow_private = true;
			break;
		case 'h':
			cli_usage("serve", stdout);
			return EXIT_OK;
		default:
			cli_usage("serve", stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "hanna serve: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	http_block_stop_signals(); /* before the database and webhook threads start */
	struct db *db = cli_open(cli_db_url(db_opt), readers, 1);
	if (!db)
		return EXIT_FAIL;
	providers_webhook_allow_private(allow_private);
	if (allow_private)
		log_info("serve: webhooks may go to loopback, private and link-local addresses");
	struct providers_delivery *pd = providers_delivery_start(db, backoff, poll_ms);
	int rc = http_serve(db, &so);
	providers_delivery_stop(pd);
	db_close(db);
	return rc ? EXIT_FAIL : EXIT_OK;
}
