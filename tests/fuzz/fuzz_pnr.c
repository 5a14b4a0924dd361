/*
 * libFuzzer target for pnr_parse (src/base/pnr.c): arbitrary bytes, as a NUL-terminated string,
 * against a fixed reference date and against one taken from the input. Checks the invariants
 * of a parsed number and that a failed parse leaves the output untouched. Built and run by
 * scripts/fuzz; seeds in tests/fuzz/corpus/pnr/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/pnr.h"
#include "base/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the run with a message: libFuzzer records the input as a crash. */
static void
violated(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_pnr: invariant violated: %s (input '%s')\n", what, text);
	abort();
}

static int
num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Parses text against the date y-m-d and checks every promise of pnr.h. */
static void
check(const char *text, int y, int m, int d)
{
	struct pnr p, sentinel;
	memset(&p, 0xa5, sizeof p);
	memcpy(&sentinel, &p, sizeof p);
	enum pnr_fault f = pnr_parse(text, y, m, d, &p);
	if (f < PNR_OK || f > PNR_FUTURE)
		violated("fault out of range", text);
	if (!pnr_fault_message(f) || !*pnr_fault_message(f))
		violated("empty fault message", text);
	if (f != PNR_OK) {
		if (memcmp(&p, &sentinel, sizeof p) != 0)
			violated("output written on failure", text);
		return;
	}

	if (p.digits[12] != '\0')
		violated("digits not terminated", text);
	for (int i = 0; i < 12; i++)
		if (p.digits[i] < '0' || p.digits[i] > '9')
			violated("digits not 12 ASCII digits", text);
	if (luhn_check_digit(p.digits + 2, 9) != p.digits[11] - '0')
		violated("luhn does not hold", text);
	if (p.kind != PNR_PERSONNUMMER && p.kind != PNR_SAMORDNINGSNUMMER)
		violated("kind out of range", text);
	if (!time_valid_date(p.year, p.month, p.day))
		violated("date not real", text);
	if (p.year < 1800)
		violated("year before 1800", text);
	int day = num(p.digits + 6, 2) - (p.kind == PNR_SAMORDNINGSNUMMER ? 60 : 0);
	if (num(p.digits, 4) != p.year || num(p.digits + 4, 2) != p.month || day != p.day)
		violated("fields disagree with digits", text);
	if (p.year > y || (p.year == y && (p.month > m || (p.month == m && p.day > d))))
		violated("birth date in the future", text);

	/* The twelve digits parse again to the same number. */
	struct pnr again;
	if (pnr_parse(p.digits, y, m, d, &again) != PNR_OK)
		violated("twelve digits do not parse again", text);
	if (strcmp(again.digits, p.digits) != 0 || again.kind != p.kind || again.year != p.year ||
	    again.month != p.month || again.day != p.day)
		violated("twelve digits parse to something else", text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	check(text, 2026, 11, 22);

	/* A reference date from the first three bytes, to move the century boundaries. */
	if (size >= 3) {
		int y = 1900 + data[0] % 200 * 2 + data[1] % 2; /* 1900-2299 */
		int m = 1 + data[1] % 12;
		int d = 1 + data[2] % time_days_in_month(y, m);
		check(text, y, m, d);
	}
	free(text);
	return 0;
}
