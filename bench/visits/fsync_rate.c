/*
 * bench/visits/fsync_rate: the machine's single-commit rate, the baseline bench/visits/run
 * compares acknowledged visit reports with (docs/perf.md, "Visits"). It times N transactions
 * of one small INSERT each, committed one at a time into a SQLite database in DIR opened the
 * way hanna opens its own (WAL, synchronous=FULL: every commit is an fsync of the WAL), and
 * prints one line: "FSYNC_RESULT commits=N seconds=S rate=R us_per_commit=U". The database is
 * removed afterwards. Usage: fsync_rate DIR [N] (N defaults to 2000; exit 2 on bad usage).
 */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "fsync_rate: '%s' failed: %s\n", sql, err ? err : "?");
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: fsync_rate DIR [N]\n");
		return 2;
	}
	long n = argc == 3 ? strtol(argv[2], NULL, 10) : 2000;
	if (n < 1 || n > 1000000) {
		fprintf(stderr, "fsync_rate: N must be between 1 and 1000000\n");
		return 2;
	}
	char path[4096], wal[4200], shm[4200];
	if (snprintf(path, sizeof path, "%s/fsync-rate-%ld.db", argv[1], (long)getpid()) >=
	    (int)sizeof path) {
		fprintf(stderr, "fsync_rate: directory name too long\n");
		return 2;
	}
	snprintf(wal, sizeof wal, "%s-wal", path);
	snprintf(shm, sizeof shm, "%s-shm", path);

	sqlite3 *db = NULL;
	int rc = 1;
	sqlite3_stmt *ins = NULL;
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		fprintf(stderr, "fsync_rate: cannot open '%s': %s\n", path, sqlite3_errmsg(db));
		goto out;
	}
	if (exec(db, "PRAGMA journal_mode=WAL") || exec(db, "PRAGMA synchronous=FULL") ||
	    exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)"))
		goto out;
	if (sqlite3_prepare_v2(db, "INSERT INTO t (v) VALUES (randomblob(200))", -1, &ins, NULL) !=
	    SQLITE_OK) {
		fprintf(stderr, "fsync_rate: prepare failed: %s\n", sqlite3_errmsg(db));
		goto out;
	}
	/* Each statement outside BEGIN is its own transaction: one commit, one fsync. */
	double t0 = 0;
	for (long i = -20; i < n; i++) {
		if (i == 0)
			t0 = now();
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fprintf(stderr, "fsync_rate: insert failed: %s\n", sqlite3_errmsg(db));
			goto out;
		}
		sqlite3_reset(ins);
	}
	double secs = now() - t0;
	printf("FSYNC_RESULT commits=%ld seconds=%.3f rate=%.0f us_per_commit=%.0f\n", n, secs,
	       (double)n / secs, secs / (double)n * 1e6);
	rc = 0;
out:
	sqlite3_finalize(ins);
	sqlite3_close(db);
	unlink(path);
	unlink(wal);
	unlink(shm);
	return rc;
}
