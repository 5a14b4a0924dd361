/*
 * Time reporting's pure rules (src/visits/rules.c, issue 5): Stockholm time across the 2026
 * clock changes (29 March, 25 October), visit times, overlaps, deviation codes and what they
 * count, granted versus performed, period locks, the personal-assistance month sheet of
 * March 2026 and the arbetstidslagen warnings, all from worked figures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/calendar.h"
#include "base/err.h"
#include "visits/visits.h"

static int32_t
D(const char *s)
{
	int32_t d = 0;
	assert_int_equal(cal_parse(s, &d), 0);
	return d;
}

/* A Stockholm wall-clock time "YYYY-MM-DD" and HH:MM as an instant (never ambiguous here). */
static int64_t
T(const char *day, int h, int m)
{
	int64_t t = 0;
	assert_int_equal(visits_local_instant(D(day), h * 60 + m, VISITS_AMBIGUOUS_REFUSE, &t), 0);
	return t;
}

/* UTC "YYYY-MM-DD" HH:MM as an instant. */
static int64_t
U(const char *day, int h, int m)
{
	return (int64_t)D(day) * 86400 + h * 3600 + m * 60;
}

/* review 2026-11, finding 21: a time that does not exist or occurs twice is named, with its
 * day, in the message (not "ska vara ÅÅÅÅ-MM-DD TT:MM"). */
static void
clock_change_message(void **state)
{
	(void)state;
	char m[120] = "unchanged";
	assert_int_equal(visits_local_time_message(D("2026-03-29"), 150, m, sizeof m), 0);
	assert_string_equal(m, "tiden 02:30 finns inte den 29 mars (sommartid)");
	assert_int_equal(visits_local_time_message(D("2026-03-29"), 120, m, sizeof m), 0);
	assert_string_equal(m, "tiden 02:00 finns inte den 29 mars (sommartid)");
	assert_int_equal(visits_local_time_message(D("2026-10-25"), 125, m, sizeof m), 0);
	assert_string_equal(m, "tiden 02:05 finns två gånger den 25 oktober (sommartiden slutar)");
	/* 01:59 and 03:00 on the spring day exist; an ordinary day has no message. */
	strcpy(m, "unchanged");
	assert_int_equal(visits_local_time_message(D("2026-03-29"), 119, m, sizeof m),
	                 HERR_INVALID);
	assert_int_equal(visits_local_time_message(D("2026-03-29"), 180, m, sizeof m),
	                 HERR_INVALID);
	assert_int_equal(visits_local_time_message(D("2026-10-25"), 180, m, sizeof m),
	                 HERR_INVALID);
	assert_int_equal(visits_local_time_message(D("2026-03-29"), 1440, m, sizeof m),
	                 HERR_INVALID);
	assert_string_equal(m, "unchanged");
	/* 2027: the last Sunday of March is the 28th. */
	assert_int_equal(visits_local_time_message(D("2027-03-28"), 150, m, sizeof m), 0);
	assert_string_equal(m, "tiden 02:30 finns inte den 28 mars (sommartid)");
}

/* review 2026-11, finding 20: a signature time is shown in Stockholm time, not raw UTC. */
static void
local_stamp(void **state)
{
	(void)state;
	char out[17];
	visits_local_stamp(U("2026-11-23", 0, 35) + 22, out);
	assert_string_equal(out, "2026-11-23 01:35");
	visits_local_stamp(U("2026-07-31", 22, 5), out);
	assert_string_equal(out, "2026-08-01 00:05");
	/* Across the autumn change: 00:30 and 01:30 UTC are both 02:30 in Stockholm. */
	visits_local_stamp(U("2026-10-25", 0, 30), out);
	assert_string_equal(out, "2026-10-25 02:30");
	visits_local_stamp(U("2026-10-25", 1, 30), out);
	assert_string_equal(out, "2026-10-25 02:30");
}

static void
stockholm_time(void **state)
{
	(void)state;
	/* Summer time 2026 starts 01:00 UTC on Sunday 29 March, ends 01:00 UTC on 25 October. */
	assert_int_equal(visits_tz_offset(U("2026-03-29", 0, 59)), 3600);
	assert_int_equal(visits_tz_offset(U("2026-03-29", 1, 0)), 7200);
	assert_int_equal(visits_tz_offset(U("2026-10-25", 0, 59)), 7200);
	assert_int_equal(visits_tz_offset(U("2026-10-25", 1, 0)), 3600);
	/* 23:30 UTC on 14 March is 00:30 on the 15th in Stockholm. */
	assert_int_equal(visits_local_day(U("2026-03-14", 23, 30)), D("2026-03-15"));
	assert_int_equal(visits_local_minute(U("2026-03-14", 23, 30)), 30);
	assert_int_equal(visits_local_minute(U("2026-07-01", 6, 0)), 8 * 60);

	/* 02:30 does not exist on 29 March; it exists twice on 25 October. */
	int64_t t = 0;
	assert_int_equal(visits_local_instant(D("2026-03-29"), 150, 0, &t), HERR_INVALID);
	assert_int_equal(visits_local_instant(D("2026-10-25"), 150, 0, &t), HERR_CONFLICT);
	assert_int_equal(visits_local_instant(D("2026-10-25"), 150, VISITS_AMBIGUOUS_FIRST, &t), 0);
	assert_int_equal(t, U("2026-10-25", 0, 30));
	assert_int_equal(visits_local_instant(D("2026-10-25"), 150, VISITS_AMBIGUOUS_SECOND, &t),
	                 0);
	assert_int_equal(t, U("2026-10-25", 1, 30));
	assert_int_equal(visits_local_instant(D("2026-01-01"), 1440, 0, &t), HERR_INVALID);

	/* The spring day is 23 hours long, the autumn day 25. */
	assert_int_equal(visits_day_start(D("2026-03-30")) - visits_day_start(D("2026-03-29")),
	                 23 * 3600);
	assert_int_equal(visits_day_start(D("2026-10-26")) - visits_day_start(D("2026-10-25")),
	                 25 * 3600);

	int month = 0;
	char text[8];
	assert_int_equal(visits_month_parse("2026-03", &month), 0);
	assert_int_equal(month, 2026 * 12 + 2);
	assert_int_equal(visits_month_first_day(month), D("2026-03-01"));
	assert_int_equal(visits_month_of_day(D("2026-03-31")), month);
	visits_month_format(month + 10, text);
	assert_string_equal(text, "2027-01");
	assert_int_equal(visits_month_parse("2026-13", &month), HERR_INVALID);
	assert_int_equal(visits_month_parse("2026-3", &month), HERR_INVALID);
	assert_int_equal(visits_month_parse(NULL, &month), HERR_INVALID);
}

static void
visit_times(void **state)
{
	(void)state;
	int64_t now = T("2026-03-20", 12, 0);
	assert_int_equal(visits_check_times(VISITS_HOME_CARE, T("2026-03-14", 8, 0),
	                                    T("2026-03-14", 8, 45), now),
	                 VISITS_TIME_OK);
	/* An open visit (checked in) checks only its start. */
	assert_int_equal(visits_check_times(VISITS_HOME_CARE, T("2026-03-20", 11, 55), -1, now),
	                 VISITS_TIME_OK);
	assert_int_equal(
	    visits_check_times(VISITS_HOME_CARE, T("2026-03-14", 8, 0), T("2026-03-14", 8, 0), now),
	    VISITS_TIME_END_NOT_AFTER_START);
	assert_int_equal(
	    visits_check_times(VISITS_HOME_CARE, T("2026-03-14", 8, 0), T("2026-03-14", 7, 0), now),
	    VISITS_TIME_END_NOT_AFTER_START);
	/* 12 hours is the most for a visit; 12 h 1 min is too long. */
	assert_int_equal(visits_check_times(VISITS_HOME_CARE, T("2026-03-14", 8, 0),
	                                    T("2026-03-14", 20, 0), now),
	                 VISITS_TIME_OK);
	assert_int_equal(visits_check_times(VISITS_HOME_CARE, T("2026-03-14", 8, 0),
	                                    T("2026-03-14", 20, 1), now),
	                 VISITS_TIME_TOO_LONG);
	/* A visit ending at midnight stays on its day; past midnight it crosses. */
	assert_int_equal(visits_check_times(VISITS_HOME_CARE, T("2026-03-14", 23, 30),
	                                    T("2026-03-15", 0, 0), now),
	                 VISITS_TIME_OK);
	assert_int_equal(visits_check_times(VISITS_HOME_CARE, T("2026-03-14", 23, 30),
	                                    T("2026-03-15", 0, 30), now),
	                 VISITS_TIME_CROSSES_DAY);
	/* An assistance shift may cross midnight, up to 24 hours. */
	assert_int_equal(visits_check_times(VISITS_ASSISTANCE, T("2026-03-14", 22, 0),
	                                    T("2026-03-15", 7, 0), now),
	                 VISITS_TIME_OK);
	assert_int_equal(visits_check_times(VISITS_ASSISTANCE, T("2026-03-14", 8, 0),
	                                    T("2026-03-15", 8, 1), now),
	                 VISITS_TIME_TOO_LONG);
	/* Five minutes of clock skew are tolerated; six are the future. */
	assert_int_equal(visits_check_times(VISITS_HOME_CARE, T("2026-03-20", 11, 30),
	                                    T("2026-03-20", 12, 5), now),
	                 VISITS_TIME_OK);
	assert_int_equal(visits_check_times(VISITS_HOME_CARE, T("2026-03-20", 11, 30),
	                                    T("2026-03-20", 12, 6), now),
	                 VISITS_TIME_IN_FUTURE);
	assert_string_equal(visits_time_message(VISITS_TIME_CROSSES_DAY),
	                    "ett besök måste sluta samma dag som det börjar");
}

static void
overlaps(void **state)
{
	(void)state;
	/* One staff member's day: 08:00-08:30 and 09:00-09:45. */
	const struct visits_span staff[] = {
	    {11, T("2026-03-14", 8, 0), T("2026-03-14", 8, 30)},
	    {12, T("2026-03-14", 9, 0), T("2026-03-14", 9, 45)},
	};
	assert_int_equal(
	    visits_find_overlap(staff, 2, 0, T("2026-03-14", 8, 15), T("2026-03-14", 8, 40), 1), 0);
	/* Touching is not overlapping: intervals are half-open. */
	assert_int_equal(
	    visits_find_overlap(staff, 2, 0, T("2026-03-14", 8, 30), T("2026-03-14", 9, 0), 1), -1);
	/* Around both: the first one found is reported. */
	assert_true(visits_find_overlap(staff, 2, 0, T("2026-03-14", 7, 0), T("2026-03-14", 10, 0),
	                                1) >= 0);
	/* A correction of visit 11 may take its place. */
	assert_int_equal(
	    visits_find_overlap(staff, 2, 11, T("2026-03-14", 8, 10), T("2026-03-14", 8, 50), 1),
	    -1);
	/* A check-in (open) inside a visit overlaps it; after it does not. */
	assert_int_equal(visits_find_overlap(staff, 2, 0, T("2026-03-14", 9, 10), -1, 1), 1);
	assert_int_equal(visits_find_overlap(staff, 2, 0, T("2026-03-14", 9, 45), -1, 1), -1);
	/* An open stored visit blocks a check-in at its start minute only. */
	const struct visits_span open[] = {{13, T("2026-03-14", 10, 0), -1}};
	assert_int_equal(
	    visits_find_overlap(open, 1, 0, T("2026-03-14", 9, 50), T("2026-03-14", 10, 5), 1), 0);

	/* One customer with double staffing: two at once are allowed, three are not. */
	const struct visits_span cust[] = {
	    {21, T("2026-03-14", 10, 0), T("2026-03-14", 12, 0)},
	    {22, T("2026-03-14", 11, 0), T("2026-03-14", 13, 0)},
	};
	assert_int_equal(
	    visits_find_overlap(cust, 2, 0, T("2026-03-14", 12, 15), T("2026-03-14", 12, 30), 2),
	    -1);
	assert_true(visits_find_overlap(cust, 2, 0, T("2026-03-14", 11, 30),
	                                T("2026-03-14", 11, 45), 2) >= 0);
	/* Starting before both, reaching the minute where both run: refused. */
	assert_true(
	    visits_find_overlap(cust, 2, 0, T("2026-03-14", 9, 0), T("2026-03-14", 11, 1), 2) >= 0);
	assert_int_equal(
	    visits_find_overlap(cust, 2, 0, T("2026-03-14", 9, 0), T("2026-03-14", 11, 0), 2), -1);
	assert_int_equal(
	    visits_find_overlap(cust, 0, 0, T("2026-03-14", 9, 0), T("2026-03-14", 11, 0), 1), -1);
}

/* The municipality's rule from its stored settings (src/settings, keys without the prefix). */
static void
policy_settings(void **state)
{
	(void)state;
	struct visits_policy p = VISITS_POLICY_DEFAULT;
	struct visits_minutes m;
	assert_true(p.pay_wasted);
	assert_int_equal(p.wasted_max_minutes, 60);
	/* 90 minutes at the door under the default: 60 paid. */
	assert_int_equal(visits_count(VISITS_DEV_DECLINED, 90, &p, &m), 0);
	assert_int_equal(m.payable, 60);
	assert_int_equal(visits_policy_set(&p, "bomtid_max_minutes", "240"), 0);
	assert_int_equal(visits_count(VISITS_DEV_DECLINED, 90, &p, &m), 0);
	assert_int_equal(m.payable, 90);
	/* A cap of 0 pays nothing even when bomtid is paid. */
	assert_int_equal(visits_policy_set(&p, "bomtid_max_minutes", "0"), 0);
	assert_int_equal(visits_count(VISITS_DEV_CANCELLED_LATE, 25, &p, &m), 0);
	assert_int_equal(m.payable, 0);
	assert_int_equal(m.spent, 25);
	assert_int_equal(visits_policy_set(&p, "bomtid_max_minutes", "30"), 0);
	assert_int_equal(visits_policy_set(&p, "bomtid_paid", "false"), 0);
	assert_false(p.pay_wasted);
	assert_int_equal(visits_count(VISITS_DEV_DECLINED, 25, &p, &m), 0);
	assert_int_equal(m.payable, 0);
	assert_int_equal(visits_policy_set(&p, "bomtid_paid", "true"), 0);
	assert_int_equal(visits_count(VISITS_DEV_DECLINED, 25, &p, &m), 0);
	assert_int_equal(m.payable, 25);
	/* Bad values and unknown keys change nothing. */
	static const char *const bad_max[] = {"241", "-1", "", "1000", "3x", " 5", "+5"};
	for (size_t i = 0; i < sizeof bad_max / sizeof bad_max[0]; i++)
		assert_int_equal(visits_policy_set(&p, "bomtid_max_minutes", bad_max[i]),
		                 HERR_INVALID);
	assert_int_equal(visits_policy_set(&p, "bomtid_paid", "yes"), HERR_INVALID);
	assert_int_equal(visits_policy_set(&p, "bomtid_paid", "TRUE"), HERR_INVALID);
	assert_int_equal(visits_policy_set(&p, "other", "1"), HERR_INVALID);
	assert_int_equal(visits_policy_set(&p, "bomtid_paid", NULL), HERR_INVALID);
	assert_true(p.pay_wasted);
	assert_int_equal(p.wasted_max_minutes, 30);
	/* Which deviations are bomtid. */
	assert_true(visits_deviation_wasted(VISITS_DEV_DECLINED));
	assert_true(visits_deviation_wasted(VISITS_DEV_CANCELLED_LATE));
	assert_false(visits_deviation_wasted(VISITS_DEV_NONE));
	assert_false(visits_deviation_wasted(VISITS_DEV_HOSPITAL));
	assert_false(visits_deviation_wasted(VISITS_DEV_COUNT));
	assert_false(visits_deviation_wasted(-1));
}

static void
deviations(void **state)
{
	(void)state;
	struct visits_policy pay = {true, 15}, nopay = {false, 0};
	struct visits_minutes m;
	/* Bomtid: 20 minutes at the door; paid up to 15 where the municipality pays it. */
	assert_int_equal(visits_count(VISITS_DEV_DECLINED, 20, &pay, &m), 0);
	assert_int_equal(m.spent, 20);
	assert_int_equal(m.performed, 0);
	assert_int_equal(m.billable, 0);
	assert_int_equal(m.payable, 15);
	assert_int_equal(visits_count(VISITS_DEV_CANCELLED_LATE, 20, &nopay, &m), 0);
	assert_int_equal(m.spent, 20);
	assert_int_equal(m.payable, 0);
	/* Hospital: nothing counts, whatever minutes are given. */
	assert_int_equal(visits_count(VISITS_DEV_HOSPITAL, 30, &pay, &m), 0);
	assert_int_equal(m.spent + m.performed + m.billable + m.payable, 0);
	/* Staff late: the visit happened and counts in full. */
	assert_int_equal(visits_count(VISITS_DEV_STAFF_LATE, 25, &pay, &m), 0);
	assert_int_equal(m.performed, 25);
	assert_int_equal(m.billable, 25);
	assert_int_equal(m.payable, 25);
	assert_int_equal(visits_count(VISITS_DEV_NONE, 45, NULL, &m), 0);
	assert_int_equal(m.payable, 45);
	assert_int_equal(visits_count(VISITS_DEV_COUNT, 45, NULL, &m), HERR_INVALID);
	assert_int_equal(visits_count(VISITS_DEV_NONE, -1, NULL, &m), HERR_INVALID);

	/* Codes round-trip; every code has a label. */
	for (int i = 1; i < VISITS_DEV_COUNT; i++) {
		assert_int_equal(visits_deviation_parse(visits_deviation_code(i)), i);
		assert_non_null(visits_deviation_label(i));
	}
	assert_int_equal(visits_deviation_parse("declined"), VISITS_DEV_DECLINED);
	assert_int_equal(visits_deviation_parse(""), VISITS_DEV_NONE);
	assert_int_equal(visits_deviation_parse("bomtid"), -1);
	assert_true(visits_deviation_without_visit(VISITS_DEV_CANCELLED));
	assert_true(visits_deviation_without_visit(VISITS_DEV_MISSED));
	assert_false(visits_deviation_without_visit(VISITS_DEV_DECLINED));
	assert_false(visits_deviation_without_visit(VISITS_DEV_NONE));
}

/* Which reports execute a decision (review 11b): the four that count as performed, every
 * other code and anything out of range not. */
static void
deviation_delivers(void **state)
{
	(void)state;
	static const bool want[VISITS_DEV_COUNT] = {
	    [VISITS_DEV_NONE] = true,
	    [VISITS_DEV_DECLINED] = false,
	    [VISITS_DEV_CANCELLED_LATE] = false,
	    [VISITS_DEV_CANCELLED] = false,
	    [VISITS_DEV_HOSPITAL] = false,
	    [VISITS_DEV_ABSENT] = false,
	    [VISITS_DEV_STAFF_LATE] = true,
	    [VISITS_DEV_SHORTER] = true,
	    [VISITS_DEV_LONGER] = true,
	    [VISITS_DEV_MISSED] = false,
	};
	for (int i = 0; i < VISITS_DEV_COUNT; i++)
		assert_int_equal(visits_deviation_delivers(i), want[i]);
	/* A delivering code is never bomtid nor a report without a visit. */
	for (int i = 0; i < VISITS_DEV_COUNT; i++)
		if (visits_deviation_delivers(i))
			assert_false(visits_deviation_wasted(i) ||
			             visits_deviation_without_visit(i));
	assert_false(visits_deviation_delivers(-1));
	assert_false(visits_deviation_delivers(VISITS_DEV_COUNT));
}

static void
granted_vs_performed(void **state)
{
	(void)state;
	/* 20 h granted in March. Ten hour-long visits as planned, two in hospital, one
	 * declined at the door, one 40 of 60 minutes by the customer's wish, one 90 of 60. */
	struct visits_month_item items[15];
	for (int i = 0; i < 10; i++)
		items[i] = (struct visits_month_item){VISITS_DEV_NONE, 60, 60};
	items[10] = (struct visits_month_item){VISITS_DEV_HOSPITAL, 60, 0};
	items[11] = (struct visits_month_item){VISITS_DEV_HOSPITAL, 60, 0};
	items[12] = (struct visits_month_item){VISITS_DEV_DECLINED, 60, 0};
	items[13] = (struct visits_month_item){VISITS_DEV_SHORTER, 60, 40};
	items[14] = (struct visits_month_item){VISITS_DEV_LONGER, 60, 90};
	struct visits_gap g;
	visits_granted_vs_performed(1200, items, 15, &g);
	assert_int_equal(g.granted, 1200);
	assert_int_equal(g.performed, 730);
	assert_int_equal(g.difference, 470);
	assert_int_equal(g.by_reason[VISITS_DEV_HOSPITAL], 120);
	assert_int_equal(g.by_reason[VISITS_DEV_DECLINED], 60);
	assert_int_equal(g.by_reason[VISITS_DEV_SHORTER], 20);
	assert_int_equal(g.by_reason[VISITS_DEV_LONGER], -30);
	assert_int_equal(g.by_reason[VISITS_DEV_NONE], 0);
	/* 470 - (120 + 60 + 20 - 30): granted but never planned. */
	assert_int_equal(g.unexplained, 300);

	visits_granted_vs_performed(0, NULL, 0, &g);
	assert_int_equal(g.difference, 0);
	assert_int_equal(g.unexplained, 0);
}

static void
period_locks(void **state)
{
	(void)state;
	int jan = 2026 * 12, feb = jan + 1, mar = jan + 2, book = -1;
	const int locked[] = {feb, jan};
	/* An open month: booked where it happened. */
	assert_int_equal(visits_booking_month(mar, locked, 2, false, &book), 0);
	assert_int_equal(book, mar);
	/* A locked month needs a reason, and goes to the first open month after it. */
	book = -1;
	assert_int_equal(visits_booking_month(jan, locked, 2, false, &book), HERR_RULE);
	assert_int_equal(book, -1);
	assert_int_equal(visits_booking_month(jan, locked, 2, true, &book), 0);
	assert_int_equal(book, mar);
	assert_int_equal(visits_booking_month(feb, locked, 2, true, &book), 0);
	assert_int_equal(book, mar);
	/* Only later months count: a change in an open month before a locked one stays. */
	const int only_mar[] = {mar};
	assert_int_equal(visits_booking_month(feb, only_mar, 1, false, &book), 0);
	assert_int_equal(book, feb);
	assert_int_equal(visits_booking_month(mar, only_mar, 1, true, &book), 0);
	assert_int_equal(book, mar + 1);
}

/* March 2026 for one assisted person: assistants A and B (adults) and C (17). */
static void
pa_sheet(void **state)
{
	(void)state;
	struct visits_pa_assistant as[3];
	as[0].birth_day = D("1992-04-10");
	as[1].birth_day = D("1981-11-02");
	as[2].birth_day = D("2008-06-01"); /* 17 in March 2026: not payable */
	const struct visits_pa_shift shifts[] = {
	    /* 2 March: A 08-16, B 15-23: one hour of both at once. */
	    {0, T("2026-03-02", 8, 0), T("2026-03-02", 16, 0), VISITS_PA_ACTIVE},
	    {1, T("2026-03-02", 15, 0), T("2026-03-02", 23, 0), VISITS_PA_ACTIVE},
	    /* The spring-forward night: 22-24 on the 28th, 00-06 on the 29th is 5 hours. */
	    {0, T("2026-03-28", 22, 0), T("2026-03-29", 6, 0), VISITS_PA_ACTIVE},
	    /* C, under 18. */
	    {2, T("2026-03-10", 10, 0), T("2026-03-10", 14, 0), VISITS_PA_ACTIVE},
	    /* Into April: only 20-24 on 31 March belongs to the sheet. */
	    {1, T("2026-03-31", 20, 0), T("2026-04-01", 8, 0), VISITS_PA_ACTIVE},
	    /* Beredskap 22:00 on the 5th to 07:00 on the 6th (seconds are dropped). */
	    {0, T("2026-03-05", 22, 0) + 59, T("2026-03-06", 7, 0) + 30, VISITS_PA_ONCALL},
	};
	/* 25 h granted; a beredskap hour counting as a quarter hour in this example decision. */
	struct visits_pa_grant grant = {1500, false, 1, 4};
	struct visits_pa_sheet s;
	int month = 2026 * 12 + 2;
	assert_int_equal(visits_pa_sheet_build(month, as, 3, shifts, 6, &grant, &s), 0);
	assert_int_equal(s.ndays, 31);
	const struct visits_pa_day *a = &s.days[0 * 31], *b = &s.days[1 * 31], *c = &s.days[2 * 31];
	assert_int_equal(a[1].active, 480);
	assert_int_equal(a[1].dbl, 60);
	assert_int_equal(a[1].unpaid, 0);
	assert_int_equal(b[1].active, 480);
	assert_int_equal(b[1].dbl, 60);
	assert_int_equal(b[1].unpaid, 60); /* the later shift: double assistance not granted */
	assert_int_equal(a[27].active, 120);
	assert_int_equal(a[28].active, 300);
	assert_int_equal(c[9].active, 240);
	assert_int_equal(c[9].unpaid, 240);
	assert_int_equal(b[30].active, 240);
	assert_int_equal(a[4].oncall, 120);
	assert_int_equal(a[5].oncall, 420);
	assert_int_equal(s.active, 1860);
	assert_int_equal(s.oncall, 540);
	assert_int_equal(s.dbl, 120);
	assert_int_equal(s.unpaid, 300);
	/* 1860 - 300 + 540 / 4 */
	assert_int_equal(s.payable, 1695);
	assert_int_equal(s.within_grant, 1500);
	assert_int_equal(s.over_grant, 195);
	visits_pa_sheet_release(&s);

	/* With double assistance granted, B's hour is paid. */
	grant.double_granted = true;
	assert_int_equal(visits_pa_sheet_build(month, as, 3, shifts, 6, &grant, &s), 0);
	assert_int_equal(s.unpaid, 240);
	assert_int_equal(s.payable, 1755);
	visits_pa_sheet_release(&s);

	/* Three adults at once with double granted: the third is not paid. */
	struct visits_pa_assistant adults[3] = {
	    {D("1990-01-01")}, {D("1990-01-01")}, {D("1990-01-01")}};
	const struct visits_pa_shift three[] = {
	    {0, T("2026-03-03", 8, 0), T("2026-03-03", 12, 0), VISITS_PA_ACTIVE},
	    {1, T("2026-03-03", 9, 0), T("2026-03-03", 12, 0), VISITS_PA_ACTIVE},
	    {2, T("2026-03-03", 10, 0), T("2026-03-03", 11, 0), VISITS_PA_ACTIVE},
	};
	assert_int_equal(visits_pa_sheet_build(month, adults, 3, three, 3, &grant, &s), 0);
	assert_int_equal(s.active, 480);
	assert_int_equal(s.unpaid, 60);
	assert_int_equal(s.days[2 * 31 + 2].unpaid, 60);
	/* 9-12 two at once (A and B, 180 each) and 10-11 the third (60). */
	assert_int_equal(s.dbl, 180 + 180 + 60);
	visits_pa_sheet_release(&s);

	/* A minor at once with an adult: the adult is paid though double is not granted. */
	grant.double_granted = false;
	struct visits_pa_assistant mixed[2] = {{D("2009-01-01")}, {D("1990-01-01")}};
	const struct visits_pa_shift two[] = {
	    {0, T("2026-03-03", 8, 0), T("2026-03-03", 12, 0), VISITS_PA_ACTIVE},
	    {1, T("2026-03-03", 9, 0), T("2026-03-03", 12, 0), VISITS_PA_ACTIVE},
	};
	assert_int_equal(visits_pa_sheet_build(month, mixed, 2, two, 2, &grant, &s), 0);
	assert_int_equal(s.unpaid, 240);
	assert_int_equal(s.payable, 180);
	visits_pa_sheet_release(&s);

	/* Refused: an assistant's own shifts overlapping, an end before the start, den 0. */
	const struct visits_pa_shift own[] = {
	    {0, T("2026-03-03", 8, 0), T("2026-03-03", 12, 0), VISITS_PA_ACTIVE},
	    {0, T("2026-03-03", 11, 0), T("2026-03-03", 13, 0), VISITS_PA_ONCALL},
	};
	assert_int_equal(visits_pa_sheet_build(month, adults, 3, own, 2, &grant, &s), HERR_INVALID);
	const struct visits_pa_shift back[] = {
	    {0, T("2026-03-03", 8, 0), T("2026-03-03", 8, 0), VISITS_PA_ACTIVE},
	};
	assert_int_equal(visits_pa_sheet_build(month, adults, 3, back, 1, &grant, &s),
	                 HERR_INVALID);
	const struct visits_pa_shift who[] = {
	    {3, T("2026-03-03", 8, 0), T("2026-03-03", 9, 0), VISITS_PA_ACTIVE},
	};
	assert_int_equal(visits_pa_sheet_build(month, adults, 3, who, 1, &grant, &s), HERR_INVALID);
	grant.oncall_den = 0;
	assert_int_equal(visits_pa_sheet_build(month, adults, 3, three, 3, &grant, &s),
	                 HERR_INVALID);
}

static int
count_code(const struct visits_atl_item *w, int n, int code)
{
	int c = 0;
	for (int i = 0; i < n; i++)
		c += w[i].code == code;
	return c;
}

static void
atl_rest(void **state)
{
	(void)state;
	struct visits_span w[16];
	int n = 0;
	/* Monday and Tuesday 08-16: rest 16-08 is 16 h. */
	w[n++] = (struct visits_span){0, T("2026-03-02", 8, 0), T("2026-03-02", 16, 0)};
	w[n++] = (struct visits_span){0, T("2026-03-03", 8, 0), T("2026-03-03", 16, 0)};
	/* Wednesday split 06-12 and 20-23, Thursday 06-13: the rests that begin within 24
	 * hours of Wednesday 06:00 are 12-20 and 23-06, 8 and 7 hours. */
	w[n++] = (struct visits_span){0, T("2026-03-04", 6, 0), T("2026-03-04", 12, 0)};
	w[n++] = (struct visits_span){0, T("2026-03-04", 20, 0), T("2026-03-04", 23, 0)};
	w[n++] = (struct visits_span){0, T("2026-03-05", 6, 0), T("2026-03-05", 13, 0)};
	/* Friday 08-16 (40 hours in the week: no overtime), then the weekend off. */
	w[n++] = (struct visits_span){0, T("2026-03-06", 8, 0), T("2026-03-06", 16, 0)};
	w[n++] = (struct visits_span){0, T("2026-03-09", 8, 0), T("2026-03-09", 16, 0)};
	struct visits_atl_item out[16];
	int found =
	    visits_atl_check(w, n, D("2026-03-02"), D("2026-03-08"), 0, &visits_atl_law, out, 16);
	assert_int_equal(found, 1);
	assert_int_equal(out[0].code, VISITS_ATL_DAILY_REST);
	assert_int_equal(out[0].day, D("2026-03-04"));
	assert_int_equal(out[0].minutes, 8 * 60);
	assert_string_equal(visits_atl_message(out[0].code),
	                    "dygnsvilan är kortare än 11 timmar (arbetstidslagen 13 §)");

	/* A 24-hour shift leaves no rest within its 24 hours. */
	struct visits_span day[] = {
	    {0, T("2026-03-10", 8, 0), T("2026-03-11", 8, 0)},
	    {0, T("2026-03-12", 8, 0), T("2026-03-12", 9, 0)},
	};
	found =
	    visits_atl_check(day, 2, D("2026-03-10"), D("2026-03-10"), 0, &visits_atl_law, out, 16);
	assert_int_equal(count_code(out, found < 16 ? found : 16, VISITS_ATL_DAILY_REST), 1);
	assert_int_equal(out[0].minutes, 0);

	/* Every day 08-17 from Sunday 1 March to Monday 9 March: the week of 2 March has
	 * only 15-hour rests, and 63 hours of work: 23 hours of overtime. */
	n = 0;
	for (int32_t d = D("2026-03-01"); d <= D("2026-03-09"); d++) {
		char s[11];
		cal_format(d, s);
		w[n++] = (struct visits_span){0, T(s, 8, 0), T(s, 17, 0)};
	}
	found =
	    visits_atl_check(w, n, D("2026-03-02"), D("2026-03-08"), 0, &visits_atl_law, out, 16);
	assert_int_equal(found, 2);
	assert_int_equal(out[0].code, VISITS_ATL_WEEKLY_REST);
	assert_int_equal(out[0].day, D("2026-03-02"));
	assert_int_equal(out[0].minutes, 15 * 60);
	assert_int_equal(out[1].code, VISITS_ATL_OVERTIME);
	assert_int_equal(out[1].minutes, 23 * 60);

	/* Out is bounded; the count is not. */
	found =
	    visits_atl_check(w, n, D("2026-03-02"), D("2026-03-08"), 0, &visits_atl_law, out, 1);
	assert_int_equal(found, 2);

	struct visits_span bad[] = {{0, T("2026-03-02", 8, 0), T("2026-03-02", 8, 0)}};
	assert_int_equal(
	    visits_atl_check(bad, 1, D("2026-03-02"), D("2026-03-02"), 0, &visits_atl_law, out, 16),
	    HERR_INVALID);
}

static void
atl_overtime(void **state)
{
	(void)state;
	/* Four weeks from 2 March, Monday to Friday 07-18 (11 h): 55 h a week, 15 h overtime
	 * each week, 60 h in four weeks (over 48). The year had 191 h 40 min of overtime
	 * before: the year's 200 h are passed in the first week. */
	struct visits_span w[20];
	int n = 0;
	for (int k = 0; k < 4; k++)
		for (int d = 0; d < 5; d++) {
			char s[11];
			cal_format(D("2026-03-02") + 7 * k + d, s);
			w[n++] = (struct visits_span){0, T(s, 7, 0), T(s, 18, 0)};
		}
	struct visits_atl_item out[16];
	int found = visits_atl_check(w, n, D("2026-03-02"), D("2026-03-29"), 11500, &visits_atl_law,
	                             out, 16);
	assert_int_equal(count_code(out, found, VISITS_ATL_OVERTIME), 4);
	assert_int_equal(count_code(out, found, VISITS_ATL_OVERTIME_4W), 1);
	assert_int_equal(count_code(out, found, VISITS_ATL_OVERTIME_YEAR), 1);
	assert_int_equal(count_code(out, found, VISITS_ATL_DAILY_REST), 0);
	assert_int_equal(count_code(out, found, VISITS_ATL_WEEKLY_REST), 0);
	assert_int_equal(found, 6);
	for (int i = 0; i < found; i++) {
		if (out[i].code == VISITS_ATL_OVERTIME_4W) {
			assert_int_equal(out[i].minutes, 60 * 60);
			assert_int_equal(out[i].day, D("2026-03-02"));
		}
		if (out[i].code == VISITS_ATL_OVERTIME_YEAR) {
			assert_int_equal(out[i].minutes, 11500 + 900);
			assert_int_equal(out[i].day, D("2026-03-02"));
		}
	}
	/* 52 h a week: 12 h overtime, 48 h in four weeks: at the limit, no warning. */
	n = 0;
	for (int k = 0; k < 4; k++)
		for (int d = 0; d < 4; d++) {
			char s[11];
			cal_format(D("2026-03-02") + 7 * k + d, s);
			w[n++] = (struct visits_span){0, T(s, 6, 0), T(s, 19, 0)};
		}
	found =
	    visits_atl_check(w, n, D("2026-03-02"), D("2026-03-29"), 0, &visits_atl_law, out, 16);
	assert_int_equal(count_code(out, found, VISITS_ATL_OVERTIME), 4);
	assert_int_equal(count_code(out, found, VISITS_ATL_OVERTIME_4W), 0);
	assert_int_equal(count_code(out, found, VISITS_ATL_OVERTIME_YEAR), 0);
	/* A collective agreement with 37 h ordinary time sees more overtime. */
	struct visits_atl_rules agreement = visits_atl_law;
	agreement.ordinary_week_minutes = 37 * 60;
	found = visits_atl_check(w, n, D("2026-03-02"), D("2026-03-29"), 0, &agreement, out, 16);
	assert_int_equal(count_code(out, found, VISITS_ATL_OVERTIME_4W), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(stockholm_time),
	    cmocka_unit_test(clock_change_message),
	    cmocka_unit_test(local_stamp),
	    cmocka_unit_test(visit_times),
	    cmocka_unit_test(overlaps),
	    cmocka_unit_test(deviations),
	    cmocka_unit_test(deviation_delivers),
	    cmocka_unit_test(policy_settings),
	    cmocka_unit_test(granted_vs_performed),
	    cmocka_unit_test(period_locks),
	    cmocka_unit_test(pa_sheet),
	    cmocka_unit_test(atl_rest),
	    cmocka_unit_test(atl_overtime),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
