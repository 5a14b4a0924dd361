/*
 * The authority process's rules (src/cases/rules.c): delegation, follow-up, unexecuted
 * decisions at quarter boundaries and in leap years, the appeal deadline (issue 3).
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
	assert_int_equal(cases_followup_date(D("2026-01-01"), D("2026-03-31"), 6),
			 D("2026-03-31"));
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
	assert_false(cases_reportable(dec, -1, q1s, q1e));       /* deadline not yet passed */
	assert_true(cases_reportable(dec, -1, q2s, q2e));        /* still waiting */
	assert_false(cases_reportable(dec, D("2026-04-15"), q2s, q2e)); /* on the last day */
	assert_true(cases_reportable(dec, D("2026-04-16"), q2s, q2e));  /* one day late */
	assert_false(cases_reportable(dec, D("2026-05-02"), q3s, q3e)); /* done last quarter */
	assert_true(cases_reportable(dec, -1, q3s, q3e));        /* every quarter until done */
	assert_true(cases_reportable(dec, D("2026-08-01"), q3s, q3e));
	assert_true(cases_reportable(dec, D("2026-10-05"), q3s, q3e)); /* executed later on */

	/* Quarter boundaries: a deadline on the quarter's last day belongs to that quarter. */
	assert_true(cases_reportable(D("2026-03-31"), -1, q2s, q2e));
	assert_true(cases_reportable(D("2025-12-31"), -1, q1s, q1e));
	assert_false(cases_reportable(D("2026-01-01"), -1, q1s, q1e));
	/* Leap year: decided 2023-11-30, deadline 2024-02-29, reportable in Q1 2024. */
	assert_true(cases_reportable(D("2023-11-30"), -1, cal_quarter_start(2024, 1),
				     cal_quarter_end(2024, 1)));
	assert_false(cases_reportable(D("2023-11-30"), D("2024-02-29"), cal_quarter_start(2024, 1),
				      cal_quarter_end(2024, 1)));

	assert_int_equal(cases_days_waited(dec, -1, D("2026-06-30")), 166);
	assert_int_equal(cases_days_waited(dec, D("2026-04-16"), D("2026-06-30")), 91);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(delegation),
		cmocka_unit_test(periods_and_follow_up),
		cmocka_unit_test(unexecuted),
		cmocka_unit_test(appeal_deadline),
		cmocka_unit_test(template_check),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
