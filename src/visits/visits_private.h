/*
 * Inside the time-reporting module: the stored visit, the write jobs of store.c (a report with
 * its idempotency ledger row and audit record in one savepoint), and the reads the routes and
 * pages share. The schema is src/db/sql/0011_visits.sql; the design is docs/architecture.md,
 * "Time reports".
 */
#ifndef HANNA_VISITS_PRIVATE_H
#define HANNA_VISITS_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/json.h"
#include "base/strbuf.h"
#include "visits.h"

struct audit_entry;
struct db;
struct db_conn;
struct visits_bulk;

struct person;
struct req;

/* The tenant's bomtid rule: VISITS_POLICY_DEFAULT with its stored settings applied (one
 * lookup, no cache: a write job reads it in its own transaction). A stored value that does not
 * parse keeps the default. 0 or a code. */
int visits__policy_read(struct db_conn *c, int64_t tenant, struct visits_policy *out /* out */);

#define VISITS_LIST_MAX 1000

/* One stored visit (a row of visits). */
struct visit {
	int64_t id, tenant_id, provider_id, person_id, service_id, order_id;
	int64_t staff_user_id; /* 0 for a provider system's report */
	int64_t start_at;      /* epoch seconds */
	int64_t end_at;        /* -1 while open, and for a report without a visit */
	int64_t corrects_id, superseded_by, bulk_id, created_by, created_at, updated_at;
	int deviation; /* enum visits_deviation */
	int planned_minutes;
	struct visits_minutes m; /* how it counts */
	char service[41];        /* the service code */
	char staff_ref[65];      /* the staff member (user name, or the provider's ref) */
	char day[11], month[8], booked_month[8];
	char source[12];      /* phone, api, manual, bulk, correction */
	char state[12];       /* open, done, superseded */
	char reason[401];     /* why it was entered afterwards or corrected */
	char note[401];       /* the staff member's note on a deviation */
	char external_id[65]; /* the provider's own id, "" when none */
	int64_t decision_id;  /* the order's decision, set by the reader for a new report so that
	                       * a delivery executes it (not stored; 0 when not known) */
};

/* What a report does (enum of struct visits_job.mode). */
enum visits_mode {
	VISITS_NEW = 1,   /* a visit or a deviation: insert */
	VISITS_CHECK_OUT, /* close the open visit named by check_in_key */
	VISITS_CORRECT    /* replace visit correct_id with a new row */
};

/*
 * One report as a write job. In: the fields marked in; out: status and answer (the stored one
 * when the key was seen before: replayed), or the code with field and message.
 */
struct visits_job {
	int mode;                 /* in: enum visits_mode */
	int64_t tenant, provider; /* in */
	const char *key;          /* in: Idempotency-Key or NULL */
	char request_sha[65];     /* in: SHA-256 over the route and body */
	const char *check_in_key; /* in: VISITS_CHECK_OUT */
	int64_t correct_id;       /* in: VISITS_CORRECT */
	int64_t now;              /* in: the clock */
	struct visit v;           /* in: the new row's fields (mode NEW, CORRECT); out: stored */
	const struct audit_entry *who; /* in */
	int status;                    /* out: 201 or 200 */
	bool replayed;                 /* out: the stored answer of an earlier report */
	bool key_new;                  /* set by visits__report: a reader found no report under
	                                * the key, so the writer skips its look-up and relies on
	                                * the ledger's unique key for the rare race */
	struct strbuf answer;          /* out: the JSON answer (caller releases) */
	const char *field, *message;   /* out: what was refused (static Swedish text) */
};

/* Runs a report job through db_write. 0 (see status, answer) or a code (field, message). */
int visits__report(struct db *db, struct visits_job *x);

/* Appends the JSON of a visit. */
void visits__json(struct strbuf *sb, const struct visit *v);

/* A bulk upload: every row of b (checked by the parser) with its order, service and decision
 * resolved in order_ids, service_ids and decision_ids, stored in one transaction or none (with
 * the executions of decisions the rows deliver); problems go to b's errors. */
struct visits_bulk_job {
	int64_t tenant, provider, user_id;
	int64_t token_id;   /* the provider system's API token that sent it, 0 for a person */
	const char *month;  /* YYYY-MM */
	const char *format; /* csv or json */
	const char *sha;    /* of the file */
	const struct visits_bulk *b;
	struct visits_bulk *errors; /* where the store's own problems go (== b) */
	const int64_t *order_ids, *service_ids;
	const int64_t *decision_ids; /* the decision a row executes (its earliest delivery), or 0 */
	const char *key;             /* Idempotency-Key or NULL */
	char request_sha[65];
	int64_t now;
	const struct audit_entry *who;
	int64_t bulk_id;      /* out */
	int status;           /* out */
	bool replayed;        /* out */
	struct strbuf answer; /* out */
};
int visits__bulk_store(struct db *db, struct visits_bulk_job *x);

/* Whether provider's month (YYYY-MM) is locked. 0 and *locked, or a code. */
int visits__month_locked(struct db_conn *c, int64_t tenant, int64_t provider_id,
                         const char *month /* YYYY-MM */, bool *locked /* out */);
/* Locks a month of a provider (approval), audited. HERR_CONFLICT when locked already,
 * HERR_RULE with *message when the month has not ended or has open visits. */
int visits__lock_month(struct db *db, int64_t tenant, int64_t provider_id, const char *month,
                       int64_t user_id, const struct audit_entry *who, const char **message);
/* Calls fn with each locked month of a provider, newest first, and who approved it when. */
int visits__locks(struct db_conn *c, int64_t tenant, int64_t provider_id,
                  void (*fn)(const char *month, int64_t at, const char *by, void *), void *arg);

/* One visit by id within tenant. 0 or HERR_NOT_FOUND. */
int visits__get(struct db_conn *c, int64_t tenant, int64_t id, struct visit *out /* out */);
/* Visits of a month (performed in it, or booked in it when booked), of a provider (> 0) and/or
 * a person (> 0), with ids above after, by id, at most limit. */
int visits__list(struct db_conn *c, int64_t tenant, int64_t provider_id, int64_t person_id,
                 const char *month, bool booked, int64_t after, int limit,
                 void (*fn)(const struct visit *, void *), void *arg);

/* Granted versus performed of one order in a month. */
struct visits_row_gap {
	int64_t order_id, person_id, provider_id, service_id;
	char service[41];        /* the service code */
	char service_name[101];  /* "Hemtjänst" */
	char provider_name[201]; /* the provider's name */
	int64_t granted;         /* the order's minutes per month */
	struct visits_gap gap;
	int64_t adjustment_minutes; /* performed minutes booked here from locked months */
	int visits, deviations;     /* reports counted, of them with a deviation */
};
/* Fills g (order_id, person_id, provider_id, granted in) for month. */
int visits__gap(struct db_conn *c, int64_t tenant, const char *month,
                struct visits_row_gap *g /* in/out */);

/* ---- shared by the routes (api.c) and the pages (pages.c) ---------------------------------- */

/* The persons of an answer, for its read records (at most VISITS_LIST_MAX distinct). */
struct persons {
	int64_t ids[VISITS_LIST_MAX];
	int n;
};
/* Adds a person to the list once (the last few are checked: callers add in runs). */
void visits__persons_add(struct persons *p, int64_t id);
/* One read record per person (a record naming nobody when n is 0); counts r->audit_writes. */
int visits__audit_reads(struct req *r, const char *entity, const int64_t *ids, int n);
/* "Förnamn E." of a person. */
void visits__short_name(const struct person *p, char *out, size_t n);
/* Appends the JSON items of a provider user's customers on date (orders active then), audited;
 * *out (may be NULL) gets the persons (caller frees). */
int visits__customers(struct req *r, const char *date, struct strbuf *sb, struct persons **out);
/* A visit the user may read (its provider's users; staff with access to the person). */
int visits__load_or_fail(struct req *r, int64_t id, struct visit *v /* out */);
/* Granted versus performed of month for a provider (> 0) and/or person (> 0), or, both 0, of
 * every order of the tenant active in month (the billing view: orders with ids above after, at
 * most limit, *next the cursor of the next page or 0). One read record per person listed.
 * *rows (caller frees, also on failure) holds *n rows. */
int visits__summary(struct req *r, const char *month, int64_t provider, int64_t person,
                    int64_t after, int limit, struct visits_row_gap **rows /* out */,
                    int *n /* out */, int64_t *next /* out */);
/* visits__summary without the read records: the caller writes them before answering. */
int visits__summary_rows(struct req *r, const char *month, int64_t provider, int64_t person,
                         int64_t after, int limit, struct visits_row_gap **rows /* out */,
                         int *n /* out */, int64_t *next /* out */);
/* Enters a visit afterwards (correct_id 0: the fields of POST /api/v1/visits, reason and
 * staff required, source "manual") or corrects visit correct_id (person_id and service are the
 * original's), from o, without an Idempotency-Key (a page's form). 0 and *out, the stored row;
 * or field errors and REQ_FAIL called: return the code. */
int visits__enter_or_fail(struct req *r, int64_t correct_id, const json_t *o,
                          struct visit *out /* out */);
/* Locks a month of the user's provider; field errors on "month". */
int visits__lock_or_fail(struct req *r, const char *month);
/* Checks and stores a bulk file. On success out->answer holds the answer (caller releases).
 * When lines are wrong the 422 line report is the response already (r->status is set) and
 * HERR_RULE is returned; any other failure (month, key, database) has only called REQ_FAIL and
 * field errors, and the caller answers it. */
int visits__bulk_or_fail(struct req *r, const char *month, int format, const char *data, size_t len,
                         struct visits_bulk_job *out /* out */);

#endif
