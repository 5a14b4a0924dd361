/*
 * libFuzzer target for the bulk intake parser (src/visits/bulk.c, issue 5 point 7). The first
 * byte picks CSV or JSON, the rest is the file. Checks what bulk.h promises: the result codes,
 * that success means no errors and only rows whose end is after their start within the month,
 * that every error is terminated, has a message and a line, and that the kept errors are the
 * first ones of the count. Built and run by scripts/fuzz; seeds in tests/fuzz/corpus/visits_bulk/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "visits/bulk.h"
#include "visits/visits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
violated(const char *what)
{
	fprintf(stderr, "fuzz_visits_bulk: invariant violated: %s\n", what);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int format = data[0] & 1 ? VISITS_BULK_JSON : VISITS_BULK_CSV;
	int month = 2026 * 12 + 2; /* March 2026 */
	int64_t now = 1775044800;  /* 2026-04-01 12:00 UTC */
	struct visits_bulk b;
	int rc = visits_bulk_parse((const char *)data + 1, size - 1, format, VISITS_HOME_CARE,
	                           data[0] & 2 ? -1 : month, now, &b);
	if (rc != 0 && rc != HERR_INVALID && rc != HERR_LIMIT)
		violated("unexpected return code");
	if (rc == 0 && b.error_count != 0)
		violated("success with errors");
	if (rc != 0 && b.error_count == 0)
		violated("failure without an error");
	int kept = b.error_count < VISITS_BULK_MAX_ERRORS ? b.error_count : VISITS_BULK_MAX_ERRORS;
	if (b.nerrors != kept)
		violated("kept errors are not the first of the count");
	for (int i = 0; i < b.nerrors; i++) {
		const struct visits_bulk_error *e = &b.errors[i];
		if (!memchr(e->field, '\0', sizeof e->field) ||
		    !memchr(e->message, '\0', sizeof e->message))
			violated("error not terminated");
		if (!e->message[0] || e->line < 0)
			violated("error without a message or with a negative line");
	}
	for (int i = 0; i < b.nrows; i++) {
		const struct visits_bulk_row *r = &b.rows[i];
		if (r->end <= r->start || r->line < 1)
			violated("a row with end not after start, or no line");
		if (r->end - r->start > (int64_t)VISITS_MAX_VISIT_MINUTES * 60)
			violated("a row longer than a visit may be");
		if (!(data[0] & 2) && visits_month_of_day(visits_local_day(r->start)) != month)
			violated("a row outside the month");
		if (r->start > now + VISITS_CLOCK_SKEW_SECONDS)
			violated("a row in the future");
		if (r->deviation < 0 || r->deviation >= VISITS_DEV_COUNT)
			violated("a row with an unknown deviation");
		if (!memchr(r->note, '\0', sizeof r->note) ||
		    !memchr(r->staff, '\0', sizeof r->staff))
			violated("a row's text not terminated");
		if (!r->service[0] || !r->staff[0])
			violated("a row without service or staff");
		if (i > 0 && format == VISITS_BULK_CSV && r->line <= b.rows[i - 1].line)
			violated("CSV rows not in line order");
	}
	visits_bulk_release(&b);
	return 0;
}
