/*
 * Unit tests for src/base/pnr.c: personnummer and samordningsnummer parsing
 * (shared/domain/standards.md section 1). Unless a test says otherwise the reference date is
 * TODAY (2026-11-22), so the century rules are checked against a fixed day.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "base/pnr.h"

#define TODAY_Y 2026
#define TODAY_M 11
#define TODAY_D 22

/* Parses text against TODAY; returns the fault and fills *p (zeroed first). */
static enum pnr_fault
parse(const char *text, struct pnr *p)
{
	memset(p, 0, sizeof *p);
	return pnr_parse(text, TODAY_Y, TODAY_M, TODAY_D, p);
}

/* Parses text against TODAY, expecting PNR_OK and the given twelve digits. */
static void
expect_ok(const char *text, const char *twelve)
{
	struct pnr p;
	enum pnr_fault f = parse(text, &p);
	if (f != PNR_OK)
		fail_msg("'%s': expected PNR_OK, got %d", text, (int)f);
	assert_string_equal(p.digits, twelve);
}

/* Parses text against TODAY, expecting the fault and an untouched output. */
static void
expect_fault(const char *text, enum pnr_fault want)
{
	struct pnr p, before;
	memset(&p, 0x5a, sizeof p);
	memcpy(&before, &p, sizeof p);
	enum pnr_fault f = pnr_parse(text, TODAY_Y, TODAY_M, TODAY_D, &p);
	if (f != want)
		fail_msg("'%s': expected fault %d, got %d", text, (int)want, (int)f);
	assert_memory_equal(&p, &before, sizeof p);
}

/*
 * Builds a ten-digit number YYMMDD NNN plus its correct check digit into out (11 bytes) using
 * the public luhn_check_digit.
 */
static void
with_check(const char *nine, char *out)
{
	assert_int_equal(strlen(nine), 9);
	int c = luhn_check_digit(nine, 9);
	assert_in_range(c, 0, 9);
	snprintf(out, 11, "%s%d", nine, c);
}

static void
test_luhn_worked_example(void **state)
{
	(void)state;
	/* The table in standards.md: 811218-987? has check digit 6. */
	assert_int_equal(luhn_check_digit("811218987", 9), 6);
	assert_int_equal(luhn_check_digit("640823323", 9), 4);
	assert_int_equal(luhn_check_digit("701063239", 9), 1);
	/* By hand: 000229123 with weights 2,1,2,... gives 0+0+0+2+4+9+2+2+6 = 25, so 5. */
	assert_int_equal(luhn_check_digit("000229123", 9), 5);
	/* A sum that is already a multiple of 10 (9*2 = 18 -> 9, plus 1) gives 0, not 10. */
	assert_int_equal(luhn_check_digit("91", 2), 0);
	assert_int_equal(luhn_check_digit("", 0), 0);
	assert_int_equal(luhn_check_digit("81121a987", 9), -1);
	assert_int_equal(luhn_check_digit("8112 8987", 9), -1);
	/* Only n characters are read. */
	assert_int_equal(luhn_check_digit("811218987xyz", 9), 6);
}

static void
test_worked_examples(void **state)
{
	(void)state;
	struct pnr p;
	assert_int_equal(parse("811218-9876", &p), PNR_OK);
	assert_string_equal(p.digits, "198112189876");
	assert_int_equal(p.kind, PNR_PERSONNUMMER);
	assert_int_equal(p.year, 1981);
	assert_int_equal(p.month, 12);
	assert_int_equal(p.day, 18);

	expect_ok("640823-3234", "196408233234");
	expect_ok("6408233234", "196408233234");
	expect_ok("196408233234", "196408233234");
	expect_ok("19640823-3234", "196408233234");

	/* Skatteverket test numbers quoted in standards.md. */
	expect_ok("194408139089", "194408139089");
	expect_ok("199006022397", "199006022397");
	expect_ok("195005050512", "195005050512");
	assert_int_equal(parse("195005050512", &p), PNR_OK);
	assert_int_equal(p.year, 1950);
	assert_int_equal(p.month, 5);
	assert_int_equal(p.day, 5);
}

static void
test_samordningsnummer(void **state)
{
	(void)state;
	struct pnr p;
	assert_int_equal(parse("701063-2391", &p), PNR_OK);
	assert_int_equal(p.kind, PNR_SAMORDNINGSNUMMER);
	/* The digits keep the +60; the date fields do not. */
	assert_string_equal(p.digits, "197010632391");
	assert_int_equal(p.year, 1970);
	assert_int_equal(p.month, 10);
	assert_int_equal(p.day, 3);
	expect_ok("197010632391", "197010632391");

	/* Day 61 is the 1st and day 91 the 31st. */
	char buf[16];
	with_check("701061239", buf);
	assert_int_equal(parse(buf, &p), PNR_OK);
	assert_int_equal(p.day, 1);
	with_check("701091239", buf);
	assert_int_equal(parse(buf, &p), PNR_OK);
	assert_int_equal(p.day, 31);
	assert_int_equal(p.kind, PNR_SAMORDNINGSNUMMER);

	/* Day 60 (day 0) and 92 (day 32) are not days; 91 in November is the 31st of November. */
	with_check("701060239", buf);
	expect_fault(buf, PNR_DATE);
	with_check("701092239", buf);
	expect_fault(buf, PNR_DATE);
	with_check("701191239", buf);
	expect_fault(buf, PNR_DATE);
	/* Samordningsnummer for 29 February: valid in 2000, not in 1900 (12-digit, explicit). */
	with_check("000289239", buf);
	char twelve[48];
	snprintf(twelve, sizeof twelve, "20%s", buf);
	assert_int_equal(parse(twelve, &p), PNR_OK);
	assert_int_equal(p.kind, PNR_SAMORDNINGSNUMMER);
	assert_int_equal(p.day, 29);
	snprintf(twelve, sizeof twelve, "19%s", buf);
	expect_fault(twelve, PNR_DATE);
}

static void
test_leap_days(void **state)
{
	(void)state;
	struct pnr p;
	/* Hand-verified (see test_luhn_worked_example): 2000-02-29, birth number 123, check 5. */
	assert_int_equal(parse("200002291235", &p), PNR_OK);
	assert_int_equal(p.year, 2000);
	assert_int_equal(p.month, 2);
	assert_int_equal(p.day, 29);
	expect_ok("000229-1235", "200002291235");
	expect_ok("0002291235", "200002291235");
	/* 1900 was not a leap year: the check digit is right, the date is not. */
	expect_fault("190002291235", PNR_DATE);
	/* With '+' the ten-digit form resolves to 1900, so it is no real date either. */
	expect_fault("000229+1235", PNR_DATE);

	/* Other leap days, check digits from luhn_check_digit. */
	char buf[16], twelve[48];
	with_check("240229456", buf);
	snprintf(twelve, sizeof twelve, "20%s", buf);
	expect_ok(twelve, twelve);
	snprintf(twelve, sizeof twelve, "19%s", buf); /* 1924 was a leap year too */
	expect_ok(twelve, twelve);
	with_check("230229456", buf);
	snprintf(twelve, sizeof twelve, "20%s", buf);
	expect_fault(twelve, PNR_DATE);
	expect_fault(buf, PNR_DATE);
	/* 1600 was a leap year but lies before the earliest accepted year 1800. */
	with_check("000229456", buf);
	snprintf(twelve, sizeof twelve, "16%s", buf);
	expect_fault(twelve, PNR_DATE);
}

static void
test_bad_dates(void **state)
{
	(void)state;
	char buf[16];
	const char *nines[] = {
	    "810018987", /* month 0 */
	    "811318987", /* month 13 */
	    "811200987", /* day 0 */
	    "811232987", /* day 32 */
	    "810431987", /* 31 April */
	    "810229987", /* 29 February 1981 */
	    "819918987", /* month 99 */
	};
	for (size_t i = 0; i < sizeof nines / sizeof nines[0]; i++) {
		with_check(nines[i], buf);
		expect_fault(buf, PNR_DATE);
	}
	/* The date is checked before the check digit. */
	expect_fault("811332-0000", PNR_DATE);
	/* Years before 1800 are refused. */
	expect_fault("179912318769", PNR_DATE);
	expect_fault("000101010000", PNR_DATE);
}

static void
test_plus_sign_century(void **state)
{
	(void)state;
	struct pnr p;
	/* With '+' the person has turned 100: 440813+9089 is 1844, not 1944. */
	assert_int_equal(parse("440813+9089", &p), PNR_OK);
	assert_string_equal(p.digits, "184408139089");
	assert_int_equal(p.year, 1844);
	/* The same digits with '-' are 1944. */
	assert_int_equal(parse("440813-9089", &p), PNR_OK);
	assert_int_equal(p.year, 1944);

	/* Born 1926: turns 100 in the reference year 2026. */
	char buf[16], sep[48];
	with_check("260101123", buf);
	snprintf(sep, sizeof sep, "%.6s+%s", buf, buf + 6);
	assert_int_equal(parse(sep, &p), PNR_OK);
	assert_int_equal(p.year, 1926);
	/*
	 * Born 1926-12-01, still 99 on 2026-11-22: Skatteverket already writes '+' in the year the
	 * person turns 100, so this is 1926 and not 1826.
	 */
	with_check("261201123", buf);
	snprintf(sep, sizeof sep, "%.6s+%s", buf, buf + 6);
	assert_int_equal(parse(sep, &p), PNR_OK);
	assert_int_equal(p.year, 1926);
	/* Year 27 with '+' can only be 1827. */
	with_check("270101123", buf);
	snprintf(sep, sizeof sep, "%.6s+%s", buf, buf + 6);
	assert_int_equal(parse(sep, &p), PNR_OK);
	assert_int_equal(p.year, 1827);
	/* Year 99 with '+' is 1899. */
	with_check("991231123", buf);
	snprintf(sep, sizeof sep, "%.6s+%s", buf, buf + 6);
	assert_int_equal(parse(sep, &p), PNR_OK);
	assert_int_equal(p.year, 1899);
	/* Year 00 with '+' is 1900; January 1st is a real day. */
	with_check("000101123", buf);
	snprintf(sep, sizeof sep, "%.6s+%s", buf, buf + 6);
	assert_int_equal(parse(sep, &p), PNR_OK);
	assert_int_equal(p.year, 1900);
}

static void
test_plus_sign_twelve_digits(void **state)
{
	(void)state;
	struct pnr p;
	/* '+' in the 12-digit form is accepted only when it agrees with the century. */
	/* Check digit computed by hand: 4+6+0+1+0+1+2+2+6 = 22, so 8. */
	assert_int_equal(parse("19260101+1238", &p), PNR_OK);
	assert_string_equal(p.digits, "192601011238");
	char buf[16], twelve[48];
	with_check("260101123", buf);
	snprintf(twelve, sizeof twelve, "19%.6s+%s", buf, buf + 6);
	assert_int_equal(parse(twelve, &p), PNR_OK);
	assert_int_equal(p.year, 1926);
	snprintf(twelve, sizeof twelve, "18%.6s+%s", buf, buf + 6);
	assert_int_equal(parse(twelve, &p), PNR_OK);
	assert_int_equal(p.year, 1826);
	/* 1927 is not 100 in 2026, so the sign contradicts the digits. */
	with_check("270101123", buf);
	snprintf(twelve, sizeof twelve, "19%.6s+%s", buf, buf + 6);
	expect_fault(twelve, PNR_FORMAT);
	expect_fault("19811218+9876", PNR_FORMAT);
	expect_fault("19440813+9089", PNR_FORMAT);
	/* '-' in the 12-digit form is always fine. */
	snprintf(twelve, sizeof twelve, "19%.6s-%s", buf, buf + 6);
	char want[48];
	snprintf(want, sizeof want, "19%s", buf);
	expect_ok(twelve, want);
}

static void
test_dash_century_boundary(void **state)
{
	(void)state;
	struct pnr p;
	char buf[16], sep[48];
	/* Born today: this century. */
	with_check("261122123", buf);
	snprintf(sep, sizeof sep, "%.6s-%s", buf, buf + 6);
	assert_int_equal(parse(sep, &p), PNR_OK);
	assert_int_equal(p.year, 2026);
	assert_int_equal(parse(buf, &p), PNR_OK); /* no separator: same rule */
	assert_int_equal(p.year, 2026);
	/* Tomorrow would be in the future: the century before. */
	with_check("261123123", buf);
	snprintf(sep, sizeof sep, "%.6s-%s", buf, buf + 6);
	assert_int_equal(parse(sep, &p), PNR_OK);
	assert_int_equal(p.year, 1926);
	assert_int_equal(parse(buf, &p), PNR_OK);
	assert_int_equal(p.year, 1926);
	/* Yesterday and a year ago: this century. */
	with_check("261121123", buf);
	assert_int_equal(parse(buf, &p), PNR_OK);
	assert_int_equal(p.year, 2026);
	with_check("251231123", buf);
	assert_int_equal(parse(buf, &p), PNR_OK);
	assert_int_equal(p.year, 2025);
	/* Year 27 is in the future this century: 1927. */
	with_check("270101123", buf);
	assert_int_equal(parse(buf, &p), PNR_OK);
	assert_int_equal(p.year, 1927);
	/* Year 00 is 2000. */
	with_check("000101123", buf);
	assert_int_equal(parse(buf, &p), PNR_OK);
	assert_int_equal(p.year, 2000);

	/* Across a century boundary of the reference date itself: on 2000-01-01, 991231 is 1999. */
	with_check("991231123", buf);
	assert_int_equal(pnr_parse(buf, 2000, 1, 1, &p), PNR_OK);
	assert_int_equal(p.year, 1999);
	with_check("000101123", buf);
	assert_int_equal(pnr_parse(buf, 2000, 1, 1, &p), PNR_OK);
	assert_int_equal(p.year, 2000);
	with_check("000102123", buf);
	assert_int_equal(pnr_parse(buf, 2000, 1, 1, &p), PNR_OK);
	assert_int_equal(p.year, 1900);
}

static void
test_wrong_check_digit(void **state)
{
	(void)state;
	expect_fault("811218-9877", PNR_CHECK_DIGIT);
	expect_fault("811218-9870", PNR_CHECK_DIGIT);
	expect_fault("8112189875", PNR_CHECK_DIGIT);
	expect_fault("198112189871", PNR_CHECK_DIGIT);
	expect_fault("701063-2392", PNR_CHECK_DIGIT);
	expect_fault("194408139088", PNR_CHECK_DIGIT);
	/* The century digits are not part of the Luhn sum: changing them keeps the check digit. */
	expect_ok("188112189876", "188112189876");
	/* Swapped digits (a typical typing error) are caught. */
	expect_fault("811218-9786", PNR_CHECK_DIGIT);
}

static void
test_format(void **state)
{
	(void)state;
	const char *bad[] = {
	    "",
	    " ",
	    "\t\n",
	    "811218987",      /* 9 digits */
	    "81121898760",    /* 11 digits */
	    "1981121898760",  /* 13 digits */
	    "19811218987600", /* 14 digits */
	    "811218-987",     /* 3 after the separator */
	    "811218-98765",   /* 5 after the separator */
	    "81121-89876",    /* separator one place early */
	    "8112189-876",    /* separator one place late */
	    "811218--9876",   /* two separators */
	    "811218-+9876",
	    "-8112189876",
	    "8112189876-",
	    "+811218-9876",
	    "198112-189876", /* 12 digits with the separator of the 10-digit form */
	    "1981121-89876",
	    "19811218-98-76",
	    "811218 9876", /* space is not a separator */
	    "811218/9876",
	    "811218_9876",
	    "811218.9876",
	    "811218\xe2\x80\x93"
	    "9876", /* en dash */
	    "81 12 18-9876",
	    "81121A-9876",
	    "abcdefghij",
	    "811218-987X",
	    "O11218-9876", /* letter O */
	    "\xef\xbc\x98"
	    "11218-9876", /* full-width 8 */
	    "811218-9876x",
	    "x811218-9876",
	    "0x8112189876",
	    "-811218987",
	    "+8112189876",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_fault(bad[i], PNR_FORMAT);
}

static void
test_whitespace_trimmed(void **state)
{
	(void)state;
	expect_ok("  811218-9876", "198112189876");
	expect_ok("811218-9876  ", "198112189876");
	expect_ok("\t811218-9876\r\n", "198112189876");
	expect_ok(" 198112189876 ", "198112189876");
	expect_ok("\v\f8112189876\n", "198112189876");
	/* A NUL ends the text. */
	expect_ok("811218-9876\0garbage", "198112189876");
}

static void
test_future(void **state)
{
	(void)state;
	char buf[16], twelve[48];
	with_check("261123123", buf); /* tomorrow, 12-digit */
	snprintf(twelve, sizeof twelve, "20%s", buf);
	expect_fault(twelve, PNR_FUTURE);
	with_check("261122123", buf); /* today is fine */
	snprintf(twelve, sizeof twelve, "20%s", buf);
	expect_ok(twelve, twelve);
	with_check("300101123", buf);
	snprintf(twelve, sizeof twelve, "20%s", buf);
	expect_fault(twelve, PNR_FUTURE);
	snprintf(twelve, sizeof twelve, "20%.6s-%s", buf, buf + 6);
	expect_fault(twelve, PNR_FUTURE);
	/* A future samordningsnummer. */
	with_check("261183123", buf); /* 2026-11-23 */
	snprintf(twelve, sizeof twelve, "20%s", buf);
	expect_fault(twelve, PNR_FUTURE);
	/* The check digit is reported before the future date. */
	with_check("990101123", buf);
	snprintf(twelve, sizeof twelve, "20%.9s%d", buf, (buf[9] - '0' + 1) % 10);
	expect_fault(twelve, PNR_CHECK_DIGIT);
}

static void
test_fault_messages(void **state)
{
	(void)state;
	assert_string_equal(pnr_fault_message(PNR_CHECK_DIGIT), "ogiltig kontrollsiffra");
	assert_string_equal(pnr_fault_message(PNR_DATE), "ogiltigt datum");
	assert_string_equal(pnr_fault_message(PNR_FORMAT),
	                    "ska vara 10 eller 12 siffror (ÅÅMMDD-NNNN eller ÅÅÅÅMMDDNNNN)");
	assert_string_equal(pnr_fault_message(PNR_FUTURE), "födelsedatumet ligger i framtiden");
	assert_non_null(pnr_fault_message(PNR_OK));
	assert_non_null(pnr_fault_message((enum pnr_fault)99));
}

/* The Stockholm date at this moment, from the tz database (the test may set TZ). */
static void
stockholm_today(int *y, int *m, int *d)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

static void
test_parse_now(void **state)
{
	(void)state;
	struct pnr p;
	assert_int_equal(pnr_parse_now("811218-9876", &p), PNR_OK);
	assert_string_equal(p.digits, "198112189876");

	/* Today in Stockholm is accepted, tomorrow is in the future. */
	setenv("TZ", "Europe/Stockholm", 1);
	tzset();
	for (int attempt = 0; attempt < 3; attempt++) {
		int y, m, d, y2, m2, d2;
		stockholm_today(&y, &m, &d);
		char nine[48], ten[16], twelve[48];
		snprintf(nine, sizeof nine, "%02d%02d%02d123", y % 100, m, d);
		with_check(nine, ten);
		snprintf(twelve, sizeof twelve, "%02d%s", y / 100, ten);
		enum pnr_fault today = pnr_parse_now(twelve, &p);

		/* The day after, with the month and year carried. */
		struct tm tm = {
		    .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d + 1, .tm_hour = 12};
		mktime(&tm);
		snprintf(nine, sizeof nine, "%02d%02d%02d123", (tm.tm_year + 1900) % 100,
		         tm.tm_mon + 1, tm.tm_mday);
		with_check(nine, ten);
		char next[48];
		snprintf(next, sizeof next, "%02d%s", (tm.tm_year + 1900) / 100, ten);
		enum pnr_fault tomorrow = pnr_parse_now(next, &p);

		stockholm_today(&y2, &m2, &d2);
		if (y2 != y || m2 != m || d2 != d)
			continue; /* midnight passed during the test: try again */
		assert_int_equal(today, PNR_OK);
		assert_int_equal(tomorrow, PNR_FUTURE);
		return;
	}
	fail_msg("the date kept changing");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_luhn_worked_example),
	    cmocka_unit_test(test_worked_examples),
	    cmocka_unit_test(test_samordningsnummer),
	    cmocka_unit_test(test_leap_days),
	    cmocka_unit_test(test_bad_dates),
	    cmocka_unit_test(test_plus_sign_century),
	    cmocka_unit_test(test_plus_sign_twelve_digits),
	    cmocka_unit_test(test_dash_century_boundary),
	    cmocka_unit_test(test_wrong_check_digit),
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_whitespace_trimmed),
	    cmocka_unit_test(test_future),
	    cmocka_unit_test(test_fault_messages),
	    cmocka_unit_test(test_parse_now),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
