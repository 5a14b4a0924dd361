/*
 * Bulk intake of visits (issue 5, point 7): providers with their own planning systems upload a
 * month of visits as CSV (RFC 4180, header row, ';' or ',' as separator: Swedish Excel writes
 * ';') or JSON (an array of objects). The whole file is parsed and checked before anything is
 * stored; every problem is reported with its line (CSV: the line the record starts on; JSON:
 * the item's number in the array, from 1) and field. Pure: no I/O. The checks that need the
 * database (an active order, overlaps with stored visits, locked months) are the store's.
 *
 * Columns (CSV header names, JSON keys; the Swedish name is accepted too):
 *   person_id (kund_id)       integer, required: the customer
 *   service (insats)          text, required: the service code, e.g. "hemtjanst"
 *   staff (personal)          text, required: the staff member's reference
 *   start, end (slut)         required: "YYYY-MM-DD HH:MM" Stockholm time (or with "T", seconds,
 *                             and "Z" or "+01:00"); the planned time for a visit not made
 *   deviation (avvikelse)     text, optional: a code of visits_deviation_code()
 *   planned_minutes (planerade_minuter)  integer, optional
 *   external_id (externt_id)  text, optional: the provider's own id, unique within the file
 *   note (anteckning)         text, optional
 */
#ifndef HANNA_VISITS_BULK_H
#define HANNA_VISITS_BULK_H

#include <stddef.h>
#include <stdint.h>

enum visits_bulk_format { VISITS_BULK_CSV = 1, VISITS_BULK_JSON = 2 };

#define VISITS_BULK_MAX_ROWS 100000 /* more rows: HERR_LIMIT */
#define VISITS_BULK_MAX_ERRORS 200  /* errors kept; error_count counts them all */
#define VISITS_BULK_MAX_FIELD 1000  /* bytes in one CSV field */

/* One visit of the file, checked. */
struct visits_bulk_row {
	int line;             /* CSV line of the record, or JSON item number */
	int64_t person_id;    /* the customer */
	char service[32];     /* service code */
	char staff[64];       /* staff reference */
	int64_t start;        /* epoch seconds */
	int64_t end;          /* epoch seconds, > start */
	int deviation;        /* enum visits_deviation */
	int planned_minutes;  /* 0 when not given */
	char external_id[64]; /* "" when not given */
	char note[400];       /* "" when not given */
};

/* One problem, for the line-by-line report. */
struct visits_bulk_error {
	int line;          /* as in struct visits_bulk_row; 0 for the file as a whole */
	char field[32];    /* the column, or "" for the line as a whole */
	char message[160]; /* Swedish, plain; never echoes the file's data */
};

/* A parsed file. Caller frees with visits_bulk_release(). */
struct visits_bulk {
	struct visits_bulk_row *rows; /* the rows, in file order (all valid when it returns 0) */
	int nrows;                    /* how many */
	int cap;                      /* allocated */
	struct visits_bulk_error *errors; /* the first VISITS_BULK_MAX_ERRORS problems */
	int nerrors;                      /* how many are kept */
	int error_count;                  /* how many were found */
	char delimiter;                   /* CSV: the separator found in the header */
};

/*
 * Parses and checks a file of len bytes in a format. kind is the enum visits_kind of the
 * service (the length and day rules), month (year * 12 + month - 1, or -1 for any) the month
 * every visit must start in, now the clock for "not in the future". Returns 0 when every row
 * is valid, HERR_INVALID when b->errors says what is wrong (b->rows then holds the rows that
 * were valid on their own), or HERR_LIMIT for more than VISITS_BULK_MAX_ROWS rows. *b is
 * always initialised.
 */
int visits_bulk_parse(const char *data, size_t len, int format, int kind, int month, int64_t now,
                      struct visits_bulk *b /* out */);
/*
 * Parses "YYYY-MM-DD[T ]HH:MM[:SS[.fraction]][Z|+HH:MM|-HH:MM]"; without an offset the time is
 * Stockholm time; a fraction of a second is dropped. Returns 0 and *t, HERR_INVALID, or
 * HERR_CONFLICT for a Stockholm time that occurs twice (the autumn hour) without an offset.
 * For a Stockholm time that does not exist (the spring hour, HERR_INVALID) or occurs twice,
 * why[n] gets visits_local_time_message(); for any other failure why is "".
 */
int visits_parse_instant(const char *s, int64_t *t /* out */, char *why /* out */, size_t n);
/* Records a problem on a line (for the store's checks too). message: a Swedish string. */
void visits_bulk_error_add(struct visits_bulk *b, int line, const char *field, const char *message);
/* Orders the kept errors by line, then by column (the line as a whole first, then the columns
 * in the order listed above); problems of one cell keep the order they were found in. */
void visits_bulk_sort_errors(struct visits_bulk *b);
void visits_bulk_release(struct visits_bulk *b);

#endif
