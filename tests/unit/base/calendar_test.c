/*
 * Calendar arithmetic and the Swedish holiday calendar (src/base/calendar.c). Easter dates and
 * holidays checked against an independent computation; month ends and leap years.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/calendar.h"

static int32_t
D(const char *s)
{
	int32_t d = 0;
	assert_int_equal(cal_parse(s, &d), 0);
	return d;
}

static void
round_trip(void **state)
{
	(void)state;
	char out[11];
	const char *dates[] = {"1970-01-01", "2000-02-29", "1900-02-28", "2026-11-22",
	                       "1925-01-01", "2099-12-31", "1969-12-31"};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		cal_format(D(dates[i]), out);
		assert_string_equal(out, dates[i]);
	}
	assert_int_equal(D("1970-01-01"), 0);
	assert_int_equal(D("1969-12-31"), -1);
	int32_t x;
	assert_int_not_equal(cal_parse("2026-02-29", &x), 0);
	assert_int_not_equal(cal_parse("2026-13-01", &x), 0);
	assert_int_not_equal(cal_parse("26-01-01", &x), 0);
}

static void
weekdays(void **state)
{
	(void)state;
	assert_int_equal(cal_weekday(D("1970-01-01")), 4); /* Thursday */
	assert_int_equal(cal_weekday(D("2026-11-22")), 7); /* Sunday */
	assert_int_equal(cal_weekday(D("2024-02-29")), 4);
	assert_int_equal(cal_weekday(D("1969-12-29")), 1);
}

static void
months(void **state)
{
	(void)state;
	char out[11];
	cal_format(cal_add_months(D("2026-01-31"), 1), out);
	assert_string_equal(out, "2026-02-28");
	cal_format(cal_add_months(D("2024-01-31"), 1), out);
	assert_string_equal(out, "2024-02-29");
	cal_format(cal_add_months(D("2025-11-30"), 3), out);
	assert_string_equal(out, "2026-02-28");
	cal_format(cal_add_months(D("2023-11-30"), 3), out);
	assert_string_equal(out, "2024-02-29");
	cal_format(cal_add_months(D("2026-03-31"), -1), out);
	assert_string_equal(out, "2026-02-28");
	cal_format(cal_add_months(D("2026-12-15"), 1), out);
	assert_string_equal(out, "2027-01-15");
	cal_format(cal_add_months(D("2026-01-15"), -13), out);
	assert_string_equal(out, "2024-12-15");
}

static void
easter_and_holidays(void **state)
{
	(void)state;
	assert_int_equal(cal_easter(2024), D("2024-03-31"));
	assert_int_equal(cal_easter(2025), D("2025-04-20"));
	assert_int_equal(cal_easter(2026), D("2026-04-05"));
	assert_int_equal(cal_easter(2027), D("2027-03-28"));
	const char *holidays[] = {"2026-01-01", "2026-01-06", "2026-04-03", "2026-04-05",
	                          "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-24",
	                          "2026-06-06", "2026-06-20", "2026-10-31", "2026-12-25",
	                          "2026-12-26", "2025-06-21", "2025-11-01"};
	for (size_t i = 0; i < sizeof holidays / sizeof holidays[0]; i++)
		assert_true(cal_is_holiday(D(holidays[i])));
	const char *ordinary[] = {"2026-04-02", "2026-04-07", "2026-06-19",
	                          "2026-12-24", "2026-11-23", "2026-05-13"};
	for (size_t i = 0; i < sizeof ordinary / sizeof ordinary[0]; i++)
		assert_false(cal_is_holiday(D(ordinary[i])));
	/* Eves and weekends are closed days for time limits, though not holidays. */
	assert_true(cal_is_closed(D("2026-06-19")));
	assert_true(cal_is_closed(D("2026-12-24")));
	assert_true(cal_is_closed(D("2026-12-31")));
	assert_true(cal_is_closed(D("2026-11-22")));
	assert_false(cal_is_closed(D("2026-11-23")));
	assert_int_equal(cal_next_working_day(D("2026-12-24")), D("2026-12-28"));
}

static void
quarters(void **state)
{
	(void)state;
	assert_int_equal(cal_quarter(D("2026-03-31")), 1);
	assert_int_equal(cal_quarter(D("2026-04-01")), 2);
	assert_int_equal(cal_quarter(D("2026-12-31")), 4);
	assert_int_equal(cal_quarter_start(2026, 3), D("2026-07-01"));
	assert_int_equal(cal_quarter_end(2026, 1), D("2026-03-31"));
	assert_int_equal(cal_quarter_end(2024, 1), D("2024-03-31"));
	assert_int_equal(cal_quarter_end(2026, 2), D("2026-06-30"));
	assert_int_equal(cal_quarter_end(2026, 4), D("2026-12-31"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(round_trip), cmocka_unit_test(weekdays),
	    cmocka_unit_test(months),     cmocka_unit_test(easter_and_holidays),
	    cmocka_unit_test(quarters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
