/*
 * The pure parts of the reports (src/cases/report.c): naming a person by birth date and sex
 * without the last four digits, CSV fields for Swedish Excel, median and mean, the waiting
 * intervals of the council's statistics, the quarters and the candidate bound of the quarter
 * report (checked day by day against cases_reportable), and the CSV and PDF of a quarter with
 * decisions still waiting, executed and closed without execution within it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "cases/report.h"
#include "cases/rules.h"

static int32_t
D(const char *s)
{
	int32_t d = 0;
	assert_int_equal(cal_parse(s, &d), 0);
	return d;
}

static void
mask(void **state)
{
	(void)state;
	char birth[9] = "x";
	const char *sex = NULL;
	/* 194001019876: the ten-digit form 4001019876 has 7 as its ninth digit: a man. */
	assert_int_equal(cases_report_mask("194001019876", birth, &sex), 0);
	assert_string_equal(birth, "19400101");
	assert_string_equal(sex, "man");
	assert_int_equal(cases_report_mask("195212314882", birth, &sex), 0);
	assert_string_equal(birth, "19521231");
	assert_string_equal(sex, "kvinna");
	/* A samordningsnummer: the day less 60. */
	assert_int_equal(cases_report_mask("198505629024", birth, &sex), 0);
	assert_string_equal(birth, "19850502");
	assert_string_equal(sex, "kvinna");
	/* Only the birth date is written: nothing of the last four digits. */
	assert_int_equal(strlen(birth), 8);

	/* Malformed numbers change nothing. */
	strcpy(birth, "keep");
	sex = "same";
	assert_int_equal(cases_report_mask("19400101987", birth, &sex), HERR_INVALID);
	assert_int_equal(cases_report_mask("1940010198765", birth, &sex), HERR_INVALID);
	assert_int_equal(cases_report_mask("19400101-987", birth, &sex), HERR_INVALID);
	assert_int_equal(cases_report_mask("194001009876", birth, &sex), HERR_INVALID);
	assert_int_equal(cases_report_mask("194001929876", birth, &sex), HERR_INVALID);
	assert_int_equal(cases_report_mask(NULL, birth, &sex), HERR_INVALID);
	assert_string_equal(birth, "keep");
	assert_string_equal(sex, "same");
}

/* The CSV field of s. */
static char *
csv(const char *s)
{
	static char out[256];
	struct strbuf sb;
	sb_init(&sb, 0);
	cases_csv_field(&sb, s);
	snprintf(out, sizeof out, "%s", sb.buf);
	sb_release(&sb);
	return out;
}

static void
csv_escaping(void **state)
{
	(void)state;
	assert_string_equal(csv("Hemtjänst"), "Hemtjänst");
	assert_string_equal(csv(""), "");
	assert_string_equal(csv(NULL), "");
	assert_string_equal(csv("a;b"), "\"a;b\"");
	assert_string_equal(csv("säger \"nej\""), "\"säger \"\"nej\"\"\"");
	assert_string_equal(csv("rad ett\nrad två"), "\"rad ett\nrad två\"");
	assert_string_equal(csv("rad\r\n"), "\"rad\r\n\"");
	assert_string_equal(csv("\""), "\"\"\"\"");
	/* Commas are no separators in Swedish Excel. */
	assert_string_equal(csv("a, b"), "a, b");
	/* Never a formula. */
	assert_string_equal(csv("=SUMMA(A1:A9)"), "'=SUMMA(A1:A9)");
	assert_string_equal(csv("+46 8 123"), "'+46 8 123");
	assert_string_equal(csv("-1"), "'-1");
	assert_string_equal(csv("@x"), "'@x");
	assert_string_equal(csv("=a;b"), "\"'=a;b\"");
	assert_string_equal(csv("2026-04-01"), "2026-04-01");
}

static void
median_and_mean(void **state)
{
	(void)state;
	struct report_stat st;
	cases_report_stat(NULL, 0, &st);
	assert_int_equal(st.n, 0);
	assert_true(st.median == 0.0 && st.mean == 0.0);

	int one[] = {7};
	cases_report_stat(one, 1, &st);
	assert_true(st.median == 7.0 && st.mean == 7.0);

	int odd[] = {30, 1, 5};
	cases_report_stat(odd, 3, &st);
	assert_int_equal(st.n, 3);
	assert_true(st.median == 5.0);
	assert_true(st.mean == 12.0);
	/* Sorted in place. */
	assert_int_equal(odd[0], 1);
	assert_int_equal(odd[2], 30);

	int even[] = {4, 1, 3, 2};
	cases_report_stat(even, 4, &st);
	assert_true(st.median == 2.5);
	assert_true(st.mean == 2.5);

	int two[] = {10, 0};
	cases_report_stat(two, 2, &st);
	assert_true(st.median == 5.0);

	/* Large values do not overflow the sum. */
	int big[] = {2000000000, 2000000000, 2000000000};
	cases_report_stat(big, 3, &st);
	assert_true(st.mean == 2000000000.0);
}

static void
waiting_intervals(void **state)
{
	(void)state;
	int32_t d = D("2026-01-31");
	assert_int_equal(cases_report_wait(d, D("2026-04-30")), REPORT_WAIT_3_6);
	assert_int_equal(cases_report_wait(d, D("2026-07-30")), REPORT_WAIT_3_6);
	assert_int_equal(cases_report_wait(d, D("2026-07-31")), REPORT_WAIT_6_12);
	assert_int_equal(cases_report_wait(d, D("2027-01-30")), REPORT_WAIT_6_12);
	assert_int_equal(cases_report_wait(d, D("2027-01-31")), REPORT_WAIT_OVER_12);
	assert_int_equal(cases_report_wait(d, D("2030-01-01")), REPORT_WAIT_OVER_12);
	assert_string_equal(cases_report_wait_title(REPORT_WAIT_6_12), "6–12 månader");
}

static void
quarters(void **state)
{
	(void)state;
	int32_t a, b;
	assert_int_equal(cases_report_quarter(2026, 2, &a, &b), 0);
	assert_int_equal(a, D("2026-04-01"));
	assert_int_equal(b, D("2026-06-30"));
	assert_int_equal(cases_report_quarter(2024, 1, &a, &b), 0);
	assert_int_equal(b, D("2024-03-31"));
	assert_int_equal(cases_report_quarter(1999, 1, &a, &b), HERR_INVALID);
	assert_int_equal(cases_report_quarter(2101, 1, &a, &b), HERR_INVALID);
	assert_int_equal(cases_report_quarter(2026, 0, &a, &b), HERR_INVALID);
	assert_int_equal(cases_report_quarter(2026, 5, &a, &b), HERR_INVALID);
}

/* The candidate bound is exact: an unexecuted decision is reportable in a quarter exactly when
 * it was taken on or before the bound, for every day of five years of quarters, leap years
 * and month ends included. */
static void
candidate_bound(void **state)
{
	(void)state;
	for (int year = 2023; year <= 2028; year++) {
		for (int q = 1; q <= 4; q++) {
			int32_t qs, qe;
			assert_int_equal(cases_report_quarter(year, q, &qs, &qe), 0);
			int32_t latest = cases_report_latest_decision(qe);
			for (int32_t d = qe - 400; d <= qe; d++)
				assert_int_equal(cases_reportable(d, -1, -1, qs, qe), d <= latest);
		}
	}
	/* 2026-03-31 + 3 months is 2026-06-30: the last day of the quarter still counts. */
	assert_int_equal(cases_report_latest_decision(D("2026-06-30")), D("2026-03-31"));
	/* 2025-12-31 + 3 months is 2026-03-31; 2026-01-01 would be due in April. */
	assert_int_equal(cases_report_latest_decision(D("2026-03-31")), D("2025-12-31"));
}

/* A row of the quarter report. */
static struct report_unexecuted
row(const char *decided, const char *service, const char *name, const char *law, const char *pnr,
    int days, int wait, const char *reason)
{
	struct report_unexecuted u;
	memset(&u, 0, sizeof u);
	u.d.id = 1;
	u.d.person_id = 1;
	snprintf(u.d.decision_date, sizeof u.d.decision_date, "%s", decided);
	snprintf(u.d.case_number, sizeof u.d.case_number, "2026-000001");
	snprintf(u.d.service, sizeof u.d.service, "%s", service);
	snprintf(u.d.service_name, sizeof u.d.service_name, "%s", name);
	snprintf(u.d.law, sizeof u.d.law, "%s", law);
	snprintf(u.d.outcome, sizeof u.d.outcome, "granted");
	snprintf(u.d.pnr, sizeof u.d.pnr, "%s", pnr);
	snprintf(u.d.delay_reason, sizeof u.d.delay_reason, "%s", reason);
	u.days_waited = days;
	u.wait = wait;
	return u;
}

/* Makes u a row of an interruption from from, with its statement. */
static void
interruption(struct report_unexecuted *u, const char *from, const char *reason)
{
	u->kind = REPORT_INTERRUPTED;
	u->in.id = 7;
	snprintf(u->in.from_date, sizeof u->in.from_date, "%s", from);
	snprintf(u->in.reason, sizeof u->in.reason, "%s", reason);
	snprintf(u->d.executed_date, sizeof u->d.executed_date, "2025-10-20");
}

static void
quarter_csv(void **state)
{
	(void)state;
	struct report_unexecuted rows[6] = {
	    row("2026-01-10", "trygghetslarm", "Trygghetslarm", "SoL", "194001019876", 171,
	        REPORT_WAIT_3_6, "Larmet; väntar på \"montör\""),
	    row("2025-05-02", "daglig_verksamhet", "Daglig verksamhet", "LSS", "195212314882", 424,
	        REPORT_WAIT_OVER_12, ""),
	    row("2026-02-01", "trygghetslarm", "Trygghetslarm", "SoL", "198505629024", 149,
	        REPORT_WAIT_3_6, "=HYPERLINK(\"x\")"),
	    row("2025-11-20", "daglig_verksamhet", "Daglig verksamhet", "LSS", "196003034567", 165,
	        REPORT_WAIT_3_6, "Ingen plats"),
	    row("2025-10-01", "trygghetslarm", "Trygghetslarm", "SoL", "193012245678", 161,
	        REPORT_WAIT_3_6, "Väntar på utskrivning"),
	    row("2025-09-15", "daglig_verksamhet", "Daglig verksamhet", "LSS", "197706062345", 108,
	        REPORT_WAIT_3_6, ""),
	};
	/* Interrupted 2026-01-20 and not resumed at the quarter's end; interrupted 2026-02-01
	 * and resumed 2026-05-20, within the quarter. */
	interruption(&rows[4], "2026-01-20", "Vårdas på sjukhus");
	interruption(&rows[5], "2026-02-01", "Utföraren har slutat; ny utförare söks");
	rows[5].resumed_in_quarter = true;
	snprintf(rows[5].in.resumed_date, sizeof rows[5].in.resumed_date, "2026-05-20");
	rows[0].executed_in_quarter = true;
	snprintf(rows[0].d.executed_date, sizeof rows[0].d.executed_date, "2026-06-30");
	/* Declined on 2026-05-04, 165 days after the decision: in the list, not in the count of
	 * decisions still waiting. */
	rows[3].closed_in_quarter = true;
	snprintf(rows[3].d.closed_date, sizeof rows[3].d.closed_date, "2026-05-04");
	snprintf(rows[3].d.closed_reason, sizeof rows[3].d.closed_reason, "declined");
	snprintf(rows[3].d.closed_note, sizeof rows[3].d.closed_note, "Vill vänta; ny ansökan");
	struct strbuf sb;
	sb_init(&sb, 0);
	cases_report_unexecuted_csv(rows, 6, &sb);
	assert_int_equal(sb.err, 0);
	assert_memory_equal(sb.buf, "\xEF\xBB\xBF", 3);
	assert_non_null(strstr(sb.buf, "\xEF\xBB\xBFTyp;Beslutsdatum;Diarienummer;Insats;Insatskod;"
	                               "Lag;Födelsedatum;Kön;Avbrott från;Skäl till avbrott;"
	                               "Dagar i väntan;Väntetid;Verkställt datum;"
	                               "Återupptaget datum;Avslutat datum;Skäl till avslut;"
	                               "Redogörelse för avslut;Skäl till dröjsmål\r\n"));
	assert_non_null(strstr(sb.buf,
	                       "\nEj verkställt beslut;2026-01-10;2026-000001;Trygghetslarm;"
	                       "trygghetslarm;SoL;19400101;man;;;171;3–6 månader;"
	                       "2026-06-30;;;;;"
	                       "\"Larmet; väntar på \"\"montör\"\"\"\r\n"));
	assert_non_null(strstr(sb.buf, ";19521231;kvinna;;;424;mer än 12 månader;;;;;;\r\n"));
	assert_non_null(strstr(sb.buf, "\nEj verkställt beslut;2025-11-20;2026-000001;"
	                               "Daglig verksamhet;daglig_verksamhet;LSS;19600303;kvinna;;;"
	                               "165;3–6 månader;;;2026-05-04;Tackat nej;"
	                               "\"Vill vänta; ny ansökan\";Ingen plats\r\n"));
	/* The interruptions: their first day and statement, days from the interruption, the
	 * resumption in its own column, the statement of the delay last. */
	assert_non_null(strstr(sb.buf, "\nAvbrott i verkställighet;2025-10-01;2026-000001;"
	                               "Trygghetslarm;trygghetslarm;SoL;19301224;man;2026-01-20;"
	                               "Vårdas på sjukhus;161;3–6 månader;;;;;;"
	                               "Väntar på utskrivning\r\n"));
	assert_non_null(strstr(sb.buf, "\nAvbrott i verkställighet;2025-09-15;2026-000001;"
	                               "Daglig verksamhet;daglig_verksamhet;LSS;19770606;kvinna;"
	                               "2026-02-01;\"Utföraren har slutat; ny utförare söks\";108;"
	                               "3–6 månader;;2026-05-20;;;;\r\n"));
	assert_null(strstr(sb.buf, "5678"));
	assert_null(strstr(sb.buf, "2345"));
	assert_non_null(strstr(sb.buf, "\"'=HYPERLINK(\"\"x\"\")\""));
	/* No full number, in any form. */
	assert_null(strstr(sb.buf, "9876"));
	assert_null(strstr(sb.buf, "4882"));
	assert_null(strstr(sb.buf, "9024"));
	/* The council's part: per service and interval, totals last. */
	assert_null(strstr(sb.buf, "4567"));
	/* The council's part: per service the decisions still waiting per interval, then those
	 * executed and closed within the quarter apart; totals last. */
	assert_non_null(strstr(sb.buf, "\r\n\r\nStatistik till kommunfullmäktige\r\n"
	                               "Insats;Lag;3–6 månader;6–12 månader;Mer än 12 månader;"
	                               "Ej verkställda totalt;Verkställda under kvartalet;"
	                               "Avslutade utan verkställighet\r\n"));
	assert_non_null(strstr(sb.buf, "Daglig verksamhet;LSS;0;0;1;1;0;1\r\n"
	                               "Trygghetslarm;SoL;1;0;0;1;1;0\r\n"
	                               "Totalt;;1;0;1;2;1;1\r\n"));
	/* Then the interruptions, counted apart: still not resumed per interval, and those
	 * resumed within the quarter. */
	assert_non_null(strstr(sb.buf, "Totalt;;1;0;1;2;1;1\r\n\r\n"
	                               "Statistik till kommunfullmäktige: avbrott i "
	                               "verkställigheten\r\n"
	                               "Insats;Lag;3–6 månader;6–12 månader;Mer än 12 månader;"
	                               "Ej återupptagna totalt;Återupptagna under kvartalet;"
	                               "Avslutade under avbrott\r\n"
	                               "Daglig verksamhet;LSS;0;0;0;0;1;0\r\n"
	                               "Trygghetslarm;SoL;1;0;0;1;0;0\r\n"
	                               "Totalt;;1;0;0;1;1;0\r\n"));
	struct report_count *sv, sum;
	assert_int_equal(cases_report_count(rows, 6, REPORT_NOT_EXECUTED, &sv, &sum), 2);
	assert_int_equal(sum.total, 2);
	free(sv);
	assert_int_equal(cases_report_count(rows, 6, REPORT_INTERRUPTED, &sv, &sum), 2);
	assert_int_equal(sum.total, 1);
	assert_int_equal(sum.n[REPORT_WAIT_3_6], 1);
	assert_int_equal(sum.executed, 1);
	free(sv);
	/* The same rows in words. */
	assert_string_equal(cases_report_state_title(&rows[0]), "Verkställt");
	assert_string_equal(cases_report_state_title(&rows[1]), "Ej verkställt");
	assert_string_equal(cases_report_state_title(&rows[3]), "Avslutat utan verkställighet");
	assert_string_equal(cases_report_state_title(&rows[4]), "Ej återupptaget");
	assert_string_equal(cases_report_state_title(&rows[5]), "Återupptaget");
	assert_string_equal(cases_report_state_code(&rows[0]), "executed");
	assert_string_equal(cases_report_state_code(&rows[1]), "waiting");
	assert_string_equal(cases_report_state_code(&rows[3]), "closed");
	assert_string_equal(cases_report_state_code(&rows[4]), "interrupted");
	assert_string_equal(cases_report_state_code(&rows[5]), "resumed");
	assert_string_equal(cases_report_kind_title(rows[0].kind), "Ej verkställt beslut");
	assert_string_equal(cases_report_kind_title(rows[4].kind), "Avbrott i verkställighet");
	struct strbuf end;
	sb_init(&end, 0);
	cases_report_end_text(&rows[1], &end);
	assert_int_equal(end.len, 0);
	cases_report_end_text(&rows[0], &end);
	assert_string_equal(end.buf, "2026-06-30");
	sb_reset(&end);
	cases_report_end_text(&rows[3], &end);
	assert_string_equal(end.buf, "Avslutat utan verkställighet 2026-05-04: Tackat nej. "
	                             "Vill vänta; ny ansökan");
	sb_reset(&end);
	rows[3].d.closed_note[0] = '\0';
	cases_report_end_text(&rows[3], &end);
	assert_string_equal(end.buf, "Avslutat utan verkställighet 2026-05-04: Tackat nej");
	/* An interruption: still going on, resumed, or ended by the decision's closing. */
	sb_reset(&end);
	cases_report_end_text(&rows[4], &end);
	assert_int_equal(end.len, 0);
	cases_report_interruption_text(&rows[4], &end);
	assert_string_equal(end.buf, "2026-01-20: Vårdas på sjukhus");
	sb_reset(&end);
	cases_report_interruption_text(&rows[0], &end);
	assert_int_equal(end.len, 0);
	cases_report_end_text(&rows[5], &end);
	assert_string_equal(end.buf, "Återupptaget 2026-05-20");
	sb_reset(&end);
	rows[4].closed_in_quarter = true;
	snprintf(rows[4].d.closed_date, sizeof rows[4].d.closed_date, "2026-06-01");
	snprintf(rows[4].d.closed_reason, sizeof rows[4].d.closed_reason, "deceased");
	cases_report_end_text(&rows[4], &end);
	assert_string_equal(end.buf, "Avslutat under avbrott 2026-06-01: Avliden");
	assert_string_equal(cases_report_state_title(&rows[4]), "Avslutat under avbrott");
	assert_string_equal(cases_report_state_code(&rows[4]), "closed");
	sb_release(&end);
	sb_release(&sb);
}

static void
quarter_pdf(void **state)
{
	(void)state;
	struct strbuf sb;
	int pages = 0;

	/* An empty quarter is a report too. */
	sb_init(&sb, 32 << 20);
	assert_int_equal(
	    cases_report_unexecuted_pdf("Hannaby kommun", 2026, 2, NULL, 0, &sb, &pages), 0);
	assert_memory_equal(sb.buf, "%PDF-", 5);
	assert_int_equal(pages, 1);
	sb_release(&sb);

	/* Four hundred rows, some with long reasons: many pages, header row on each. */
	enum { N = 400 };
	struct report_unexecuted *rows = calloc(N, sizeof *rows);
	assert_non_null(rows);
	for (int i = 0; i < N; i++) {
		rows[i] = row("2025-12-01", i % 3 ? "trygghetslarm" : "daglig_verksamhet",
		              i % 3 ? "Trygghetslarm" : "Daglig verksamhet", i % 3 ? "SoL" : "LSS",
		              "194001019876", 211, REPORT_WAIT_6_12,
		              i % 7 ? "Väntar på ledig plats"
		                    : "Den enskilde har tackat nej till erbjuden plats och önskar "
		                      "vänta på en plats i det boende hen har valt enligt LOV; "
		                      "nytt erbjudande lämnas så snart en plats blir ledig. "
		                      "<b>&amp;</b> skrivs som text.");
	}
	sb_init(&sb, 32 << 20);
	assert_int_equal(
	    cases_report_unexecuted_pdf("Hannaby kommun", 2026, 1, rows, N, &sb, &pages), 0);
	assert_memory_equal(sb.buf, "%PDF-", 5);
	assert_true(pages > 5);
	sb_release(&sb);

	/* Some closed without execution, with statements: drawn as well. */
	for (int i = 0; i < N; i += 5) {
		rows[i].closed_in_quarter = true;
		snprintf(rows[i].d.closed_date, sizeof rows[i].d.closed_date, "2026-02-1%d",
		         i % 10);
		snprintf(rows[i].d.closed_reason, sizeof rows[i].d.closed_reason,
		         i % 2 ? "deceased" : "moved");
		snprintf(rows[i].d.closed_note, sizeof rows[i].d.closed_note,
		         "Flyttade till en annan kommun; akten överlämnad.");
	}
	sb_init(&sb, 32 << 20);
	assert_int_equal(
	    cases_report_unexecuted_pdf("Hannaby kommun", 2026, 1, rows, N, &sb, &pages), 0);
	assert_memory_equal(sb.buf, "%PDF-", 5);
	sb_release(&sb);
	rows[10].d.closed_note[0] = (char)0xff;
	sb_init(&sb, 32 << 20);
	assert_int_equal(cases_report_unexecuted_pdf("Hannaby kommun", 2026, 1, rows, N, &sb, NULL),
	                 HERR_INVALID);
	sb_release(&sb);
	rows[10].d.closed_note[0] = 'F';

	/* Some are interruptions, resumed or not: drawn as well. */
	for (int i = 1; i < N; i += 4) {
		interruption(&rows[i], "2025-12-01", "Vistelse på korttidsboende efter fall");
		rows[i].resumed_in_quarter = i % 8 == 1;
		snprintf(rows[i].in.resumed_date, sizeof rows[i].in.resumed_date, "2026-03-2%d",
		         i % 10);
	}
	sb_init(&sb, 32 << 20);
	assert_int_equal(
	    cases_report_unexecuted_pdf("Hannaby kommun", 2026, 1, rows, N, &sb, &pages), 0);
	assert_memory_equal(sb.buf, "%PDF-", 5);
	sb_release(&sb);
	rows[1].in.reason[0] = (char)0xff;
	sb_init(&sb, 32 << 20);
	assert_int_equal(cases_report_unexecuted_pdf("Hannaby kommun", 2026, 1, rows, N, &sb, NULL),
	                 HERR_INVALID);
	sb_release(&sb);
	rows[1].in.reason[0] = 'V';

	/* Text that is not UTF-8 never reaches Pango; a bad quarter is refused. */
	rows[5].d.delay_reason[0] = (char)0xff;
	sb_init(&sb, 32 << 20);
	assert_int_equal(cases_report_unexecuted_pdf("Hannaby kommun", 2026, 1, rows, N, &sb, NULL),
	                 HERR_INVALID);
	assert_int_equal(cases_report_unexecuted_pdf("Hannaby kommun", 2026, 5, rows, 0, &sb, NULL),
	                 HERR_INVALID);
	assert_int_equal(sb.len, 0);
	sb_release(&sb);

	/* A buffer too small for the document: the limit, not a truncated PDF. */
	rows[5].d.delay_reason[0] = 'V';
	sb_init(&sb, 4096);
	assert_int_equal(
	    cases_report_unexecuted_pdf("Hannaby kommun", 2026, 1, rows, 10, &sb, NULL),
	    HERR_LIMIT);
	assert_int_equal(sb.len, 0);
	sb_release(&sb);
	free(rows);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(mask),
	    cmocka_unit_test(csv_escaping),
	    cmocka_unit_test(median_and_mean),
	    cmocka_unit_test(waiting_intervals),
	    cmocka_unit_test(quarters),
	    cmocka_unit_test(candidate_bound),
	    cmocka_unit_test(quarter_csv),
	    cmocka_unit_test(quarter_pdf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
