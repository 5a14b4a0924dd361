/*
 * The authority process's rules (src/cases/rules.c): delegation, follow-up, unexecuted
 * decisions at quarter boundaries and in leap years, also when closed without execution, the
 * checks of a closing, interruptions of execution not resumed in time (trigger B) and the
 * checks of an interruption and a resumption, the appeal deadline (issue 3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "base/calendar.h"
#include "base/json.h"
#include "cases/cases.h"
#include "cases/rules.h"
#include <string.h>

static int32_t
D(const char *s)
{
	int32_t d = 0;
	assert_int_equal(cal_parse(s, &d), 0);
	return d;
}

/* A delegation order in the shape municipalities write them. */
static const struct delegation_rule order[] = {
    {"3.1.1", "hemtjanst", LEVEL_CASEWORKER, true, true, 40, 12},
    {"3.1.2", "hemtjanst", LEVEL_UNIT_MANAGER, true, true, 120, -1},
    {"3.2.1", "sarskilt_boende", LEVEL_UNIT_MANAGER, true, true, -1, -1},
    {"3.3.1", "trygghetslarm", LEVEL_CASEWORKER, true, true, -1, -1},
    {"3.4.1", "*", LEVEL_UNIT_MANAGER, false, true, -1, -1},
};
#define NORDER ((int)(sizeof order / sizeof order[0]))

static void
delegation(void **state)
{
	(void)state;
	const struct delegation_rule *rule;
	int needed;
	struct decision_ask a = {"hemtjanst", OUTCOME_GRANTED, 30, 6};
	assert_true(cases_may_decide(order, NORDER, LEVEL_CASEWORKER, &a, &rule, &needed));
	assert_string_equal(rule->point, "3.1.1");
	assert_int_equal(needed, LEVEL_CASEWORKER);

	/* 40 hours is the caseworker's limit: inclusive. 41 needs the unit manager. */
	a.hours = 40;
	assert_true(cases_may_decide(order, NORDER, LEVEL_CASEWORKER, &a, &rule, &needed));
	a.hours = 41;
	assert_false(cases_may_decide(order, NORDER, LEVEL_CASEWORKER, &a, &rule, &needed));
	assert_null(rule);
	assert_int_equal(needed, LEVEL_UNIT_MANAGER);
	assert_true(cases_may_decide(order, NORDER, LEVEL_UNIT_MANAGER, &a, &rule, &needed));
	assert_string_equal(rule->point, "3.1.2");

	/* Above every delegated limit: only the committee. */
	a.hours = 150;
	assert_false(cases_may_decide(order, NORDER, LEVEL_UNIT_MANAGER, &a, &rule, &needed));
	assert_int_equal(needed, LEVEL_COMMITTEE);
	assert_true(cases_may_decide(order, NORDER, LEVEL_COMMITTEE, &a, &rule, &needed));
	assert_null(rule);

	/* Period: 12 months for the caseworker; open-ended is beyond it. */
	a.hours = 20;
	a.months = 13;
	assert_false(cases_may_decide(order, NORDER, LEVEL_CASEWORKER, &a, &rule, &needed));
	assert_int_equal(needed, LEVEL_UNIT_MANAGER);
	a.months = -1;
	assert_false(cases_may_decide(order, NORDER, LEVEL_CASEWORKER, &a, &rule, &needed));

	/* Refusals ignore scope; a refusal of särskilt boende needs the unit manager. */
	struct decision_ask r = {"sarskilt_boende", OUTCOME_REFUSED, 0, -1};
	assert_false(cases_may_decide(order, NORDER, LEVEL_CASEWORKER, &r, &rule, &needed));
	assert_int_equal(needed, LEVEL_UNIT_MANAGER);
	assert_string_equal(cases_level_name(needed), "enhetschef");
	r.service = "hemtjanst";
	r.hours = 500;
	assert_true(cases_may_decide(order, NORDER, LEVEL_CASEWORKER, &r, &rule, &needed));

	/* A wildcard point: any refusal at unit manager level, for a service with no point. */
	r.service = "ledsagning";
	assert_true(cases_may_decide(order, NORDER, LEVEL_UNIT_MANAGER, &r, &rule, &needed));
	assert_string_equal(rule->point, "3.4.1");
	struct decision_ask g = {"ledsagning", OUTCOME_GRANTED, 10, 6};
	assert_false(cases_may_decide(order, NORDER, LEVEL_UNIT_MANAGER, &g, &rule, &needed));
	assert_int_equal(needed, LEVEL_COMMITTEE);

	/* A partial grant needs a point that covers both granting and refusing. */
	struct decision_ask p = {"hemtjanst", OUTCOME_PARTLY_GRANTED, 30, 6};
	assert_true(cases_may_decide(order, NORDER, LEVEL_CASEWORKER, &p, &rule, &needed));
	assert_string_equal(rule->point, "3.1.1");
}

static void
periods_and_follow_up(void **state)
{
	(void)state;
	assert_int_equal(cases_period_months(D("2026-01-01"), D("2026-06-30")), 6);
	assert_int_equal(cases_period_months(D("2026-01-01"), D("2026-07-01")), 7);
	assert_int_equal(cases_period_months(D("2026-01-15"), D("2026-01-15")), 1);
	assert_int_equal(cases_period_months(D("2026-02-01"), D("2026-01-31")), 0);
	assert_int_equal(cases_followup_date(D("2026-01-31"), -1, 6), D("2026-07-31"));
	assert_int_equal(cases_followup_date(D("2025-08-31"), -1, 6), D("2026-02-28"));
	/* Never after the end of the decision. */
	assert_int_equal(cases_followup_date(D("2026-01-01"), D("2026-03-31"), 6), D("2026-03-31"));
	assert_true(cases_ends_soon(D("2026-12-01"), D("2026-11-22"), 30));
	assert_false(cases_ends_soon(D("2027-01-01"), D("2026-11-22"), 30));
	assert_false(cases_ends_soon(D("2026-11-21"), D("2026-11-22"), 30));
	assert_false(cases_ends_soon(-1, D("2026-11-22"), 30));
}

static void
unexecuted(void **state)
{
	(void)state;
	/* Three months from the decision; month ends clamp, leap years count. */
	assert_int_equal(cases_execution_deadline(D("2026-01-15")), D("2026-04-15"));
	assert_int_equal(cases_execution_deadline(D("2025-11-30")), D("2026-02-28"));
	assert_int_equal(cases_execution_deadline(D("2023-11-30")), D("2024-02-29"));
	assert_int_equal(cases_execution_deadline(D("2026-03-31")), D("2026-06-30"));

	int32_t q1s = cal_quarter_start(2026, 1), q1e = cal_quarter_end(2026, 1);
	int32_t q2s = cal_quarter_start(2026, 2), q2e = cal_quarter_end(2026, 2);
	int32_t q3s = cal_quarter_start(2026, 3), q3e = cal_quarter_end(2026, 3);
	int32_t dec = D("2026-01-15");
	assert_false(cases_reportable(dec, -1, -1, q1s, q1e)); /* deadline not yet passed */
	assert_true(cases_reportable(dec, -1, -1, q2s, q2e));  /* still waiting */
	assert_false(cases_reportable(dec, D("2026-04-15"), -1, q2s, q2e)); /* on the last day */
	assert_true(cases_reportable(dec, D("2026-04-16"), -1, q2s, q2e));  /* one day late */
	assert_false(cases_reportable(dec, D("2026-05-02"), -1, q3s, q3e)); /* done last quarter */
	assert_true(cases_reportable(dec, -1, -1, q3s, q3e)); /* every quarter until done */
	assert_true(cases_reportable(dec, D("2026-08-01"), -1, q3s, q3e));
	assert_true(cases_reportable(dec, D("2026-10-05"), -1, q3s, q3e)); /* executed later on */

	/* Quarter boundaries: a deadline on the quarter's last day belongs to that quarter. */
	assert_true(cases_reportable(D("2026-03-31"), -1, -1, q2s, q2e));
	assert_true(cases_reportable(D("2025-12-31"), -1, -1, q1s, q1e));
	assert_false(cases_reportable(D("2026-01-01"), -1, -1, q1s, q1e));
	/* Leap year: decided 2023-11-30, deadline 2024-02-29, reportable in Q1 2024. */
	assert_true(cases_reportable(D("2023-11-30"), -1, -1, cal_quarter_start(2024, 1),
	                             cal_quarter_end(2024, 1)));
	assert_false(cases_reportable(D("2023-11-30"), D("2024-02-29"), -1,
	                              cal_quarter_start(2024, 1), cal_quarter_end(2024, 1)));

	assert_int_equal(cases_days_waited(dec, -1, -1, D("2026-06-30")), 166);
	assert_int_equal(cases_days_waited(dec, D("2026-04-16"), -1, D("2026-06-30")), 91);
}

/* Which of an execution and a closing ended the wait (closing = closed without execution). */
static void
wait_end(void **state)
{
	(void)state;
	bool by_closing = true;
	assert_int_equal(cases_wait_end(-1, -1, &by_closing), -1);
	assert_false(by_closing);
	assert_int_equal(cases_wait_end(D("2026-05-02"), -1, &by_closing), D("2026-05-02"));
	assert_false(by_closing);
	assert_int_equal(cases_wait_end(-1, D("2026-05-02"), &by_closing), D("2026-05-02"));
	assert_true(by_closing);
	/* The earlier wins; on the same day the execution does (it was executed). */
	assert_int_equal(cases_wait_end(D("2026-05-02"), D("2026-08-10"), &by_closing),
	                 D("2026-05-02"));
	assert_false(by_closing);
	assert_int_equal(cases_wait_end(D("2026-08-01"), D("2026-05-01"), &by_closing),
	                 D("2026-05-01"));
	assert_true(by_closing);
	assert_int_equal(cases_wait_end(D("2026-05-02"), D("2026-05-02"), &by_closing),
	                 D("2026-05-02"));
	assert_false(by_closing);
	assert_int_equal(cases_wait_end(D("2026-05-02"), D("2026-05-02"), NULL), D("2026-05-02"));
}

/* A granted decision closed without execution (declined, deceased, replaced, ...): listed in
 * the quarter of the closing, never after, and never when closed by the deadline. */
static void
unexecuted_closed(void **state)
{
	(void)state;
	int32_t q1s = cal_quarter_start(2026, 1), q1e = cal_quarter_end(2026, 1);
	int32_t q2s = cal_quarter_start(2026, 2), q2e = cal_quarter_end(2026, 2);
	int32_t q3s = cal_quarter_start(2026, 3), q3e = cal_quarter_end(2026, 3);
	int32_t q4s = cal_quarter_start(2026, 4), q4e = cal_quarter_end(2026, 4);
	int32_t dec = D("2026-01-15"); /* deadline 2026-04-15 */

	/* Closed within a quarter after the deadline: in that quarter, not the next. */
	assert_true(cases_reportable(dec, -1, D("2026-05-01"), q2s, q2e));
	assert_false(cases_reportable(dec, -1, D("2026-05-01"), q3s, q3e));
	/* Closed on the deadline or the day after it. */
	assert_false(cases_reportable(dec, -1, D("2026-04-15"), q2s, q2e));
	assert_false(cases_reportable(dec, -1, D("2026-04-15"), q3s, q3e));
	assert_true(cases_reportable(dec, -1, D("2026-04-16"), q2s, q2e));
	/* Closed before the deadline: never, as an execution in time. */
	assert_false(cases_reportable(dec, -1, D("2026-02-01"), q2s, q2e));
	/* Not yet due in the first quarter, closed or not. */
	assert_false(cases_reportable(dec, -1, D("2026-03-01"), q1s, q1e));

	/* Closed the day before the quarter: in the quarter before, not in this one. */
	int32_t dec2 = D("2025-12-10"); /* deadline 2026-03-10 */
	assert_true(cases_reportable(dec2, -1, D("2026-03-31"), q1s, q1e));
	assert_false(cases_reportable(dec2, -1, D("2026-03-31"), q2s, q2e));
	/* Closed on the quarter's first day: still waiting at the end of the quarter before,
	 * closed in this one, gone from the next. */
	assert_true(cases_reportable(dec, -1, D("2026-07-01"), q2s, q2e));
	assert_true(cases_reportable(dec, -1, D("2026-07-01"), q3s, q3e));
	assert_false(cases_reportable(dec, -1, D("2026-07-01"), q4s, q4e));
	/* Quarter boundary and deadline together: decided 2026-03-31, due 2026-06-30. */
	assert_false(cases_reportable(D("2026-03-31"), -1, D("2026-06-30"), q2s, q2e));
	assert_true(cases_reportable(D("2026-03-31"), -1, D("2026-07-01"), q2s, q2e));
	assert_true(cases_reportable(D("2026-03-31"), -1, D("2026-07-01"), q3s, q3e));
	assert_false(cases_reportable(D("2026-03-31"), -1, D("2026-07-01"), q4s, q4e));

	/* Leap year: decided 2023-11-30, due 2024-02-29. */
	int32_t l1s = cal_quarter_start(2024, 1), l1e = cal_quarter_end(2024, 1);
	int32_t l2s = cal_quarter_start(2024, 2), l2e = cal_quarter_end(2024, 2);
	assert_false(cases_reportable(D("2023-11-30"), -1, D("2024-02-29"), l1s, l1e));
	assert_true(cases_reportable(D("2023-11-30"), -1, D("2024-03-01"), l1s, l1e));
	assert_false(cases_reportable(D("2023-11-30"), -1, D("2024-03-01"), l2s, l2e));

	/* Closed after an execution (the routes refuse it; the rule is total): the execution
	 * counts. Executed late in the second quarter, closed in the third. */
	assert_true(cases_reportable(dec, D("2026-05-02"), D("2026-08-10"), q2s, q2e));
	assert_false(cases_reportable(dec, D("2026-05-02"), D("2026-08-10"), q3s, q3e));
	/* Executed in time, closed after the deadline: never. */
	assert_false(cases_reportable(dec, D("2026-04-10"), D("2026-05-01"), q2s, q2e));
	/* Closed before an execution: the closing counts. */
	assert_true(cases_reportable(dec, D("2026-08-01"), D("2026-05-01"), q2s, q2e));
	assert_false(cases_reportable(dec, D("2026-08-01"), D("2026-05-01"), q3s, q3e));
	/* Closed on the deadline, executed later: never. */
	assert_false(cases_reportable(dec, D("2026-08-01"), D("2026-04-15"), q3s, q3e));

	/* The wait stops at the closing. */
	assert_int_equal(cases_days_waited(dec, -1, D("2026-05-01"), q2e), 106);
	assert_int_equal(cases_days_waited(dec, -1, D("2026-07-01"), q2e), 166);
	assert_int_equal(cases_days_waited(dec, D("2026-04-16"), D("2026-05-01"), q2e), 91);
	assert_int_equal(cases_days_waited(dec, D("2026-08-01"), D("2026-05-01"), q3e), 106);
	assert_int_equal(cases_days_waited(D("2023-11-30"), -1, D("2024-03-01"), l1e), 92);
	assert_int_equal(cases_days_waited(dec2, -1, D("2026-03-31"), q1e), 111);
	/* A closing dated before the decision waits nothing. */
	assert_int_equal(cases_days_waited(dec, -1, dec - 5, q2e), 0);
}

/* Trigger B: an interruption of execution not resumed within three months from the
 * interruption is reported by the rule of trigger A from the interruption's first day, its
 * resumption in place of the execution and the decision's closing as the closing. */
static void
interrupted(void **state)
{
	(void)state;
	int32_t q1s = cal_quarter_start(2026, 1), q1e = cal_quarter_end(2026, 1);
	int32_t q2s = cal_quarter_start(2026, 2), q2e = cal_quarter_end(2026, 2);
	int32_t q3s = cal_quarter_start(2026, 3), q3e = cal_quarter_end(2026, 3);
	int32_t q4s = cal_quarter_start(2026, 4), q4e = cal_quarter_end(2026, 4);
	int32_t from = D("2026-02-10"); /* interrupted; three months run out on 2026-05-10 */
	assert_int_equal(cases_execution_deadline(from), D("2026-05-10"));

	/* Not yet due in the quarter it began; not resumed: every quarter after. */
	assert_false(cases_reportable(from, -1, -1, q1s, q1e));
	assert_true(cases_reportable(from, -1, -1, q2s, q2e));
	assert_true(cases_reportable(from, -1, -1, q3s, q3e));
	/* Resumed on the deadline: in time, never reported. The day after: late, reported in
	 * the quarter of the resumption (the notice to IVO) and never after. */
	assert_false(cases_reportable(from, D("2026-05-10"), -1, q2s, q2e));
	assert_false(cases_reportable(from, D("2026-05-10"), -1, q3s, q3e));
	assert_true(cases_reportable(from, D("2026-05-11"), -1, q2s, q2e));
	assert_false(cases_reportable(from, D("2026-05-11"), -1, q3s, q3e));
	/* Resumed before the deadline: never. */
	assert_false(cases_reportable(from, D("2026-03-01"), -1, q2s, q2e));
	/* Resumed on the quarter's last day, or on the next quarter's first. */
	assert_true(cases_reportable(from, D("2026-06-30"), -1, q2s, q2e));
	assert_false(cases_reportable(from, D("2026-06-30"), -1, q3s, q3e));
	assert_true(cases_reportable(from, D("2026-07-01"), -1, q2s, q2e));
	assert_true(cases_reportable(from, D("2026-07-01"), -1, q3s, q3e));
	assert_false(cases_reportable(from, D("2026-07-01"), -1, q4s, q4e));

	/* Resumed the day before the quarter: in the quarter before only. Interrupted
	 * 2025-12-20, due 2026-03-20, resumed 2026-03-31. */
	int32_t dec = D("2025-12-20");
	assert_true(cases_reportable(dec, D("2026-03-31"), -1, q1s, q1e));
	assert_false(cases_reportable(dec, D("2026-03-31"), -1, q2s, q2e));
	/* Interrupted on a quarter's last day: due on the next quarter's last day. */
	assert_int_equal(cases_execution_deadline(D("2026-03-31")), D("2026-06-30"));
	assert_true(cases_reportable(D("2026-03-31"), -1, -1, q2s, q2e));
	assert_false(cases_reportable(D("2026-03-31"), D("2026-06-30"), -1, q2s, q2e));
	/* Interrupted on a quarter's first day: due within that quarter. */
	assert_true(cases_reportable(D("2026-04-01"), -1, -1, q3s, q3e));
	assert_false(cases_reportable(D("2026-04-01"), -1, -1, q2s, q2e));

	/* The decision closed while interrupted (the person died): the closing ends the wait,
	 * reported in its quarter and never after; closed by the deadline, never. */
	assert_true(cases_reportable(from, -1, D("2026-06-01"), q2s, q2e));
	assert_false(cases_reportable(from, -1, D("2026-06-01"), q3s, q3e));
	assert_false(cases_reportable(from, -1, D("2026-05-01"), q2s, q2e));
	bool by_closing = true;
	assert_int_equal(cases_wait_end(D("2026-06-01"), D("2026-06-01"), &by_closing),
	                 D("2026-06-01"));
	assert_false(by_closing); /* resumed and closed on one day: it was resumed */

	/* Leap year: interrupted 2023-11-30, due 2024-02-29. */
	int32_t l1s = cal_quarter_start(2024, 1), l1e = cal_quarter_end(2024, 1);
	int32_t l2s = cal_quarter_start(2024, 2), l2e = cal_quarter_end(2024, 2);
	int32_t leap = D("2023-11-30");
	assert_int_equal(cases_execution_deadline(leap), D("2024-02-29"));
	assert_true(cases_reportable(leap, -1, -1, l1s, l1e));
	assert_true(cases_reportable(leap, -1, -1, l2s, l2e));
	assert_false(cases_reportable(leap, D("2024-02-29"), -1, l1s, l1e));
	assert_true(cases_reportable(leap, D("2024-03-01"), -1, l1s, l1e));
	assert_false(cases_reportable(leap, D("2024-03-01"), -1, l2s, l2e));

	/* Days waited count from the interruption to its end or the quarter's end. */
	assert_int_equal(cases_days_waited(from, -1, -1, q2e), 140);
	assert_int_equal(cases_days_waited(from, D("2026-05-11"), -1, q2e), 90);
	assert_int_equal(cases_days_waited(from, -1, D("2026-06-01"), q2e), 111);
	assert_int_equal(cases_days_waited(leap, D("2024-03-01"), -1, l1e), 92);
	assert_int_equal(cases_days_waited(leap, -1, -1, l2e), 213);
}

static int
fields_of(const struct field_errors *fe, const char *field)
{
	int n = 0;
	for (int i = 0; i < fe->n; i++)
		n += strcmp(fe->items[i].field, field) == 0;
	return n;
}

/* The check of an interruption's input: one error on field, or none (field NULL). */
static void
interruption_errors(const struct interruption_ask *a, const char *field)
{
	struct field_errors fe = {.n = 0};
	int n = cases_interruption_check(a, &fe);
	assert_int_equal(n, field ? 1 : 0);
	if (field)
		assert_int_equal(fields_of(&fe, field), 1);
}

static void
interruption_check(void **state)
{
	(void)state;
	struct interruption_ask a = {.executed = D("2026-01-10"),
	                             .end = -1,
	                             .resumed = -1,
	                             .from = D("2026-02-10"),
	                             .today = D("2026-06-01"),
	                             .reason = "Vårdas på sjukhus"};
	interruption_errors(&a, NULL);
	/* From the execution day to today, inclusive. */
	a.from = a.executed;
	interruption_errors(&a, NULL);
	a.from = a.today;
	interruption_errors(&a, NULL);
	a.from = a.executed - 1;
	interruption_errors(&a, "from_date");
	a.from = a.today + 1;
	interruption_errors(&a, "from_date");
	a.from = -1;
	interruption_errors(&a, "from_date");
	/* Not executed: nothing to interrupt. */
	a.from = D("2026-02-10");
	a.executed = -1;
	interruption_errors(&a, "from_date");
	a.executed = D("2026-01-10");
	/* Not before the resumption of the one before; on that day is allowed. */
	a.resumed = D("2026-03-01");
	a.from = D("2026-02-28");
	struct field_errors fe = {.n = 0};
	assert_int_equal(cases_interruption_check(&a, &fe), 1);
	assert_string_equal(fe.items[0].field, "from_date");
	assert_non_null(strstr(fe.items[0].message, "2026-03-01"));
	a.from = D("2026-03-01");
	interruption_errors(&a, NULL);
	/* Not after the period ran out. */
	a.end = D("2026-03-31");
	a.from = D("2026-04-01");
	interruption_errors(&a, "from_date");
	a.from = a.end;
	interruption_errors(&a, NULL);

	/* The statement is required and short. */
	a.reason = "";
	interruption_errors(&a, "reason");
	a.reason = " \r\n\t";
	interruption_errors(&a, "reason");
	a.reason = NULL;
	interruption_errors(&a, "reason");
	char longer[CASES_INTERRUPTION_REASON_MAX + 2];
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	a.reason = longer;
	interruption_errors(&a, "reason");
	longer[CASES_INTERRUPTION_REASON_MAX] = '\0';
	interruption_errors(&a, NULL);
	/* Both at once. */
	a.from = -1;
	a.reason = "";
	struct field_errors both = {.n = 0};
	assert_int_equal(cases_interruption_check(&a, &both), 2);
	assert_int_equal(fields_of(&both, "from_date"), 1);
	assert_int_equal(fields_of(&both, "reason"), 1);

	/* The resumption: from the interruption's first day to today. */
	int32_t from = D("2026-02-10"), today = D("2026-06-01");
	struct field_errors r = {.n = 0};
	assert_int_equal(cases_resumption_check(from, from, today, &r), 0);
	assert_int_equal(cases_resumption_check(from, today, today, &r), 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(cases_resumption_check(from, from - 1, today, &r), 1);
	assert_int_equal(cases_resumption_check(from, today + 1, today, &r), 1);
	assert_int_equal(cases_resumption_check(from, -1, today, &r), 1);
	assert_int_equal(r.n, 3);
	assert_int_equal(fields_of(&r, "resumed_date"), 3);
	assert_non_null(strstr(r.items[0].message, "2026-02-10"));

	/* Closing an executed decision during its interruption: not before the interruption. */
	struct closing_ask c = {.decided = D("2026-01-05"),
	                        .end = -1,
	                        .closed = D("2026-02-09"),
	                        .today = today,
	                        .reason = "deceased",
	                        .note = "",
	                        .interrupted = from};
	struct field_errors cf = {.n = 0};
	assert_int_equal(cases_closing_check(&c, &cf), 1);
	assert_string_equal(cf.items[0].field, "closed_date");
	assert_non_null(strstr(cf.items[0].message, "2026-02-10"));
	c.closed = from;
	struct field_errors cf2 = {.n = 0};
	assert_int_equal(cases_closing_check(&c, &cf2), 0);
	c.interrupted = -1;
	c.closed = D("2026-02-09");
	assert_int_equal(cases_closing_check(&c, &cf2), 0);
}

static int
closing_errors(const struct closing_ask *a, const char *field)
{
	struct field_errors fe = {.n = 0};
	int n = cases_closing_check(a, &fe);
	if (field) {
		assert_int_equal(n, 1);
		assert_string_equal(fe.items[0].field, field);
	}
	return n;
}

/* The checks of a closing's input, and the reasons. */
static void
closing_check(void **state)
{
	(void)state;
	struct closing_ask a = {.decided = D("2026-01-15"),
	                        .end = -1,
	                        .closed = D("2026-05-04"),
	                        .today = D("2026-06-01"),
	                        .reason = "declined",
	                        .note = ""};
	assert_int_equal(closing_errors(&a, NULL), 0);
	a.closed = a.decided; /* on the decision day */
	assert_int_equal(closing_errors(&a, NULL), 0);
	a.closed = a.today;
	assert_int_equal(closing_errors(&a, NULL), 0);
	a.closed = a.decided - 1;
	closing_errors(&a, "closed_date");
	a.closed = a.today + 1;
	closing_errors(&a, "closed_date");
	a.closed = -1;
	closing_errors(&a, "closed_date");
	a.closed = D("2026-05-04");

	a.reason = "";
	closing_errors(&a, "reason");
	a.reason = "executed";
	closing_errors(&a, "reason");
	a.reason = "replaced"; /* only by a reassessment */
	closing_errors(&a, "reason");
	const char *user[] = {"declined", "withdrawn", "deceased", "moved", "other"};
	a.note = "Har flyttat till Norrå kommun.";
	for (size_t i = 0; i < sizeof user / sizeof user[0]; i++) {
		a.reason = user[i];
		assert_int_equal(closing_errors(&a, NULL), 0);
	}

	/* The period runs out: only for a decision with an end, and on its last day. */
	a.reason = "period_ended";
	closing_errors(&a, "reason");
	a.end = D("2026-04-30");
	a.closed = D("2026-05-01");
	struct field_errors fe = {.n = 0};
	assert_int_equal(cases_closing_check(&a, &fe), 1);
	assert_string_equal(fe.items[0].field, "closed_date");
	assert_non_null(strstr(fe.items[0].message, "2026-04-30"));
	a.closed = D("2026-04-30");
	assert_int_equal(closing_errors(&a, NULL), 0);
	a.end = D("2026-06-30"); /* not yet run out: the date would lie in the future */
	a.closed = a.end;
	closing_errors(&a, "closed_date");

	/* "other" needs the statement; no statement is longer than 1,000 bytes. */
	a.end = -1;
	a.closed = D("2026-05-04");
	a.reason = "other";
	a.note = "";
	closing_errors(&a, "note");
	a.note = " \t\n";
	closing_errors(&a, "note");
	char longer[CASES_CLOSE_NOTE_MAX + 2];
	memset(longer, 'x', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	a.reason = "declined";
	a.note = longer;
	closing_errors(&a, "note");
	longer[CASES_CLOSE_NOTE_MAX] = '\0';
	assert_int_equal(closing_errors(&a, NULL), 0);
	/* Every problem at once. */
	a = (struct closing_ask){.decided = D("2026-01-15"),
	                         .end = -1,
	                         .closed = -1,
	                         .today = D("2026-06-01"),
	                         .reason = "nej",
	                         .note = ""};
	assert_int_equal(closing_errors(&a, NULL), 2);

	/* The reasons and their Swedish names. */
	static const char *const names[][2] = {
	    {"replaced", "Ersatt av nytt beslut"},
	    {"declined", "Tackat nej"},
	    {"withdrawn", "Återtagen ansökan"},
	    {"deceased", "Avliden"},
	    {"moved", "Flyttat"},
	    {"period_ended", "Beslutsperioden har löpt ut"},
	    {"other", "Annat"},
	};
	assert_int_equal(cases_nclose_reasons, 7);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const struct close_reason *why = cases_close_reason(names[i][0]);
		assert_non_null(why);
		assert_string_equal(why->title, names[i][1]);
		assert_int_equal(why->by_user, strcmp(names[i][0], "replaced") != 0);
	}
	assert_null(cases_close_reason("Tackat nej"));
	assert_null(cases_close_reason(""));
	assert_null(cases_close_reason(NULL));
}

static void
appeal_deadline(void **state)
{
	(void)state;
	/* An ordinary Monday three weeks on. */
	assert_int_equal(cases_appeal_deadline(D("2026-06-01")), D("2026-06-22"));
	/* Annandag påsk 2026 (6 April) moves it to Tuesday. */
	assert_int_equal(cases_appeal_deadline(D("2026-03-16")), D("2026-04-07"));
	/* Midsommarafton 2026 (19 June): Saturday, Sunday, so Monday 22 June. */
	assert_int_equal(cases_appeal_deadline(D("2026-05-29")), D("2026-06-22"));
	/* Julafton 2026: over Christmas to Monday 28 December. */
	assert_int_equal(cases_appeal_deadline(D("2026-12-03")), D("2026-12-28"));
	/* Received on a Saturday: three weeks on is a Saturday, so Monday. */
	assert_int_equal(cases_appeal_deadline(D("2026-11-21")), D("2026-12-14"));
}

static void
template_check(void **state)
{
	(void)state;
	struct inv_template t = {.id = 0, .code = "sol_2027", .name = "SoL 2027", .law = "SoL"};
	struct inv_section s[21];
	memset(s, 0, sizeof s);
	strcpy(s[0].heading, "Bakgrund");
	strcpy(s[1].heading, "Behov");
	struct field_errors fe = {.n = 0};
	assert_int_equal(cases_template_check(&t, s, 2, &fe), 0);
	/* Code characters, law, a repeated heading, an empty one. */
	strcpy(t.code, "Sol 2027");
	strcpy(t.law, "HSL");
	strcpy(s[1].heading, "Bakgrund");
	strcpy(s[2].heading, "");
	assert_int_equal(cases_template_check(&t, s, 3, &fe), 4);
	assert_string_equal(fe.items[0].field, "code");
	assert_string_equal(fe.items[1].field, "law");
	assert_string_equal(fe.items[2].field, "sections[1].heading");
	assert_string_equal(fe.items[3].field, "sections[2].heading");
	/* No sections, and too many. */
	struct field_errors fe2 = {.n = 0};
	strcpy(t.code, "a");
	strcpy(t.law, "LSS");
	assert_int_equal(cases_template_check(&t, s, 0, &fe2), 1);
	assert_string_equal(fe2.items[0].field, "sections");
	for (int i = 0; i < 21; i++)
		snprintf(s[i].heading, sizeof s[i].heading, "Avsnitt %d", i);
	struct field_errors fe3 = {.n = 0};
	assert_int_equal(cases_template_check(&t, s, 21, &fe3), 1);
	/* 40 characters of code is the most. */
	memset(t.code, 'a', 40);
	t.code[40] = '\0';
	struct field_errors fe4 = {.n = 0};
	assert_int_equal(cases_template_check(&t, s, 20, &fe4), 0);
}

/* review 2026-11: finding 5, each insats of an application with several can be decided. */
static void
decision_state(void **state)
{
	(void)state;
	/* Under investigation and in follow-up, whatever the insats. */
	assert_true(cases_decision_state_ok("investigation", false));
	assert_true(cases_decision_state_ok("follow_up", false));
	/* Decided (or already executing) with an applied insats still undecided: decide it. */
	assert_true(cases_decision_state_ok("decided", true));
	assert_true(cases_decision_state_ok("executing", true));
	/* Decided with every applied insats decided: a further decision is a reassessment. */
	assert_false(cases_decision_state_ok("decided", false));
	assert_false(cases_decision_state_ok("executing", false));
	/* Never before the investigation or after the end. */
	for (int undecided = 0; undecided < 2; undecided++) {
		assert_false(cases_decision_state_ok("received", undecided));
		assert_false(cases_decision_state_ok("closed", undecided));
		assert_false(cases_decision_state_ok("withdrawn", undecided));
		assert_false(cases_decision_state_ok("nonsense", undecided));
	}
	/* The transitions around a decision: a decided case moves on or is followed up. */
	assert_true(cases_transition_ok("investigation", "decided"));
	assert_true(cases_transition_ok("follow_up", "decided"));
	assert_false(cases_transition_ok("decided", "decided"));
	assert_true(cases_transition_ok("decided", "follow_up"));
	assert_false(cases_transition_ok("closed", "investigation"));
	assert_false(cases_transition_ok("decided", "execut"));
}

/* review 2026-11: finding 6, only a grant in force of the same case and insats is replaced. */
static void
replaceable(void **state)
{
	(void)state;
	struct decision d;
	memset(&d, 0, sizeof d);
	d.id = 127;
	d.case_id = 155;
	strcpy(d.service, "trygghetslarm");
	strcpy(d.outcome, "granted");
	assert_true(cases_replaceable(&d, 155, "trygghetslarm"));
	assert_true(cases_replaceable(&d, 155, NULL));
	strcpy(d.outcome, "partly_granted");
	assert_true(cases_replaceable(&d, 155, "trygghetslarm"));
	/* Another insats, another case. */
	assert_false(cases_replaceable(&d, 155, "matdistribution"));
	assert_false(cases_replaceable(&d, 156, "trygghetslarm"));
	/* A refusal: asking again is a new application. */
	strcpy(d.outcome, "refused");
	assert_false(cases_replaceable(&d, 155, "trygghetslarm"));
	assert_false(cases_replaceable(&d, 155, NULL));
	/* Replaced already, or closed without execution: no longer in force. */
	strcpy(d.outcome, "granted");
	d.replaced_by = 130;
	assert_false(cases_replaceable(&d, 155, "trygghetslarm"));
	d.replaced_by = 0;
	strcpy(d.closed_date, "2026-11-01");
	assert_false(cases_replaceable(&d, 155, "trygghetslarm"));
	/* Executed is in force. */
	d.closed_date[0] = '\0';
	strcpy(d.executed_date, "2026-11-01");
	assert_true(cases_replaceable(&d, 155, "trygghetslarm"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(delegation),        cmocka_unit_test(periods_and_follow_up),
	    cmocka_unit_test(unexecuted),        cmocka_unit_test(wait_end),
	    cmocka_unit_test(unexecuted_closed), cmocka_unit_test(closing_check),
	    cmocka_unit_test(interrupted),       cmocka_unit_test(interruption_check),
	    cmocka_unit_test(appeal_deadline),   cmocka_unit_test(template_check),
	    cmocka_unit_test(decision_state),    cmocka_unit_test(replaceable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
