/*
 * The bulk intake parser (src/visits/bulk.c, issue 5 point 7): CSV as Swedish Excel writes it
 * and with commas, RFC 4180 quoting, JSON arrays, and the line-by-line error report: one bad
 * line makes the whole file fail and is named with its field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/calendar.h"
#include "base/err.h"
#include "visits/bulk.h"
#include "visits/visits.h"

static const int MARCH = 2026 * 12 + 2;

/* The clock: 1 April 2026 12:00 UTC. */
static int64_t
now(void)
{
	int32_t d = 0;
	assert_int_equal(cal_parse("2026-04-01", &d), 0);
	return (int64_t)d * 86400 + 12 * 3600;
}

static int
parse(const char *text, int format, struct visits_bulk *b)
{
	return visits_bulk_parse(text, strlen(text), format, VISITS_HOME_CARE, MARCH, now(), b);
}

/* True when some error is on line with field. */
static bool
has_error(const struct visits_bulk *b, int line, const char *field)
{
	for (int i = 0; i < b->nerrors; i++)
		if (b->errors[i].line == line && strcmp(b->errors[i].field, field) == 0)
			return true;
	return false;
}

static void
csv_excel(void **state)
{
	(void)state;
	/* Byte order mark, Swedish headers, ';', CRLF, a quoted note over two lines. */
	const char *text = "\xEF\xBB\xBF"
	                   "kund_id;insats;personal;start;slut;avvikelse;anteckning\r\n"
	                   "17;hemtjanst;anna.k;2026-03-14 08:00;2026-03-14 08:45;;\"Handlade; "
	                   "\"\"mjölk\"\"\r\noch bröd\"\r\n"
	                   "18;hemtjanst;anna.k;2026-03-14 09:00;2026-03-14 09:20;declined;\r\n"
	                   "\r\n";
	struct visits_bulk b;
	assert_int_equal(parse(text, VISITS_BULK_CSV, &b), 0);
	assert_int_equal(b.delimiter, ';');
	assert_int_equal(b.nrows, 2);
	assert_int_equal(b.error_count, 0);
	const struct visits_bulk_row *r = &b.rows[0];
	assert_int_equal(r->line, 2);
	assert_int_equal(r->person_id, 17);
	assert_string_equal(r->service, "hemtjanst");
	assert_string_equal(r->staff, "anna.k");
	/* 08:00 Stockholm in March is 07:00 UTC. */
	int32_t d = 0;
	cal_parse("2026-03-14", &d);
	assert_int_equal(r->start, (int64_t)d * 86400 + 7 * 3600);
	assert_int_equal(r->end - r->start, 45 * 60);
	assert_string_equal(r->note, "Handlade; \"mjölk\"\r\noch bröd");
	assert_int_equal(r->deviation, VISITS_DEV_NONE);
	/* The record after the two-line field starts on line 4. */
	assert_int_equal(b.rows[1].line, 4);
	assert_int_equal(b.rows[1].deviation, VISITS_DEV_DECLINED);
	visits_bulk_release(&b);
}

static void
csv_one_bad_line(void **state)
{
	(void)state;
	/* Commas, LF; line 4 ends before it starts: the whole file fails, naming line 4. */
	const char *text = "person_id,service,staff,start,end,external_id\n"
	                   "17,hemtjanst,s1,2026-03-02 08:00,2026-03-02 08:30,a1\n"
	                   "18,hemtjanst,s1,2026-03-02 09:00,2026-03-02 09:30,a2\n"
	                   "19,hemtjanst,s1,2026-03-02 10:00,2026-03-02 09:30,a3\n"
	                   "20,hemtjanst,s2,2026-03-02 10:00,2026-03-02 10:30,a4\n";
	struct visits_bulk b;
	assert_int_equal(parse(text, VISITS_BULK_CSV, &b), HERR_INVALID);
	assert_int_equal(b.delimiter, ',');
	assert_int_equal(b.error_count, 1);
	assert_int_equal(b.errors[0].line, 4);
	assert_string_equal(b.errors[0].field, "end");
	assert_string_equal(b.errors[0].message, "sluttiden måste vara efter starttiden");
	visits_bulk_release(&b);
}

static void
csv_structure(void **state)
{
	(void)state;
	struct visits_bulk b;
	/* A required column missing, one unknown, one twice. */
	assert_int_equal(parse("person_id;service;staff;start;colour;start\n", VISITS_BULK_CSV, &b),
	                 HERR_INVALID);
	assert_true(has_error(&b, 1, "end"));
	assert_true(has_error(&b, 1, ""));
	assert_true(has_error(&b, 1, "start"));
	visits_bulk_release(&b);

	assert_int_equal(parse("", VISITS_BULK_CSV, &b), HERR_INVALID);
	assert_string_equal(b.errors[0].message, "filen är tom");
	visits_bulk_release(&b);

	/* Wrong field count (line 2), a quote inside a plain field (3), text after a closing
	 * quote (4); line 5 is good, line 6 opens a quote that never ends. */
	const char *text = "person_id;service;staff;start;end\n"
	                   "17;hemtjanst;s1;2026-03-02 08:00\n"
	                   "17;hemt\"janst;s1;2026-03-02 08:00;2026-03-02 08:30\n"
	                   "17;\"hemtjanst\"x;s1;2026-03-02 08:00;2026-03-02 08:30\n"
	                   "17;hemtjanst;s1;2026-03-02 09:00;2026-03-02 09:30\n"
	                   "17;\"hemtjanst;s1;2026-03-02 10:00;2026-03-02 10:30\n";
	assert_int_equal(parse(text, VISITS_BULK_CSV, &b), HERR_INVALID);
	assert_int_equal(b.error_count, 4);
	assert_true(has_error(&b, 2, ""));
	assert_true(has_error(&b, 3, ""));
	assert_true(has_error(&b, 4, ""));
	assert_true(has_error(&b, 6, ""));
	assert_int_equal(b.nrows, 1);
	assert_int_equal(b.rows[0].line, 5);
	visits_bulk_release(&b);

	/* Invalid UTF-8 (Windows-1252 "ö") and a missing required value. */
	text = "person_id;service;staff;start;end\n"
	       "17;hemtjanst;J\xf6rgen;2026-03-02 08:00;2026-03-02 08:30\n"
	       "x;;s1;2026-03-02 08:00;2026-03-02 08:30\n";
	assert_int_equal(parse(text, VISITS_BULK_CSV, &b), HERR_INVALID);
	assert_true(has_error(&b, 2, "staff"));
	assert_true(has_error(&b, 3, "person_id"));
	assert_true(has_error(&b, 3, "service"));
	visits_bulk_release(&b);
}

static void
csv_times(void **state)
{
	(void)state;
	struct visits_bulk b;
	/* With T, seconds and an offset; UTC with Z. */
	const char *text = "person_id;service;staff;start;end\n"
	                   "17;hemtjanst;s1;2026-03-02T08:00:30+01:00;2026-03-02T07:30:00Z\n";
	assert_int_equal(parse(text, VISITS_BULK_CSV, &b), 0);
	assert_int_equal(b.rows[0].end - b.rows[0].start, 30 * 60 - 30);
	visits_bulk_release(&b);

	/* 02:30 on 29 March does not exist; not a time at all; 31 February. */
	text = "person_id;service;staff;start;end\n"
	       "17;hemtjanst;s1;2026-03-29 02:30;2026-03-29 03:30\n"
	       "17;hemtjanst;s1;kl 8;2026-03-29 09:30\n"
	       "17;hemtjanst;s1;2026-02-31 08:00;2026-02-31 09:30\n";
	assert_int_equal(parse(text, VISITS_BULK_CSV, &b), HERR_INVALID);
	assert_true(has_error(&b, 2, "start"));
	assert_true(has_error(&b, 3, "start"));
	assert_true(has_error(&b, 4, "start"));
	assert_true(has_error(&b, 4, "end"));
	visits_bulk_release(&b);

	/* review 2026-11, finding 21: the spring hour is named with its day. */
	text = "person_id;service;staff;start;end\n"
	       "17;hemtjanst;s1;2026-03-29 02:30;2026-03-29 03:30\n";
	assert_int_equal(parse(text, VISITS_BULK_CSV, &b), HERR_INVALID);
	assert_int_equal(b.error_count, 1);
	assert_string_equal(b.errors[0].message, "tiden 02:30 finns inte den 29 mars (sommartid)");
	visits_bulk_release(&b);
	int64_t t = 0;
	char why[120];
	assert_int_equal(visits_parse_instant("2026-03-29T02:30", &t, why, sizeof why),
	                 HERR_INVALID);
	assert_string_equal(why, "tiden 02:30 finns inte den 29 mars (sommartid)");
	assert_int_equal(visits_parse_instant("2026-10-25 02:30", &t, why, sizeof why),
	                 HERR_CONFLICT);
	assert_string_equal(why,
	                    "tiden 02:30 finns två gånger den 25 oktober (sommartiden slutar)");
	assert_int_equal(visits_parse_instant("2026-03-29T02:30+01:00", &t, why, sizeof why), 0);
	assert_int_equal(visits_parse_instant("kl 8", &t, why, sizeof why), HERR_INVALID);
	assert_string_equal(why, "");

	/* In the autumn hour that occurs twice, a Stockholm time needs its offset. */
	struct visits_bulk o;
	text = "person_id;service;staff;start;end\n"
	       "17;hemtjanst;s1;2026-10-25 02:30;2026-10-25 03:30\n";
	assert_int_equal(visits_bulk_parse(text, strlen(text), VISITS_BULK_CSV, VISITS_HOME_CARE,
	                                   -1, now() + 300L * 86400, &o),
	                 HERR_INVALID);
	assert_true(has_error(&o, 2, "start"));
	assert_non_null(strstr(o.errors[0].message, "tidszon"));
	visits_bulk_release(&o);

	/* Outside the month, in the future, crossing midnight, an unknown deviation. */
	text = "person_id;service;staff;start;end;deviation\n"
	       "17;hemtjanst;s1;2026-02-27 08:00;2026-02-27 08:30;\n"
	       "17;hemtjanst;s2;2026-04-02 08:00;2026-04-02 08:30;\n"
	       "17;hemtjanst;s3;2026-03-02 23:30;2026-03-03 00:30;\n"
	       "17;hemtjanst;s4;2026-03-04 08:00;2026-03-04 08:30;bomtid\n";
	assert_int_equal(parse(text, VISITS_BULK_CSV, &b), HERR_INVALID);
	assert_int_equal(b.error_count, 4);
	assert_true(has_error(&b, 2, "start"));
	assert_true(has_error(&b, 3, "start"));
	assert_true(has_error(&b, 4, "end"));
	assert_true(has_error(&b, 5, "deviation"));
	visits_bulk_release(&b);
}

static void
in_file_checks(void **state)
{
	(void)state;
	struct visits_bulk b;
	/* s1 overlaps itself on line 4 (with line 2); a cancelled visit at the same time is no
	 * visit; s2 at the same time is another person; line 6 repeats line 2's external id. */
	const char *text = "person_id;service;staff;start;end;deviation;external_id\n"
	                   "17;hemtjanst;s1;2026-03-02 08:00;2026-03-02 09:00;;x1\n"
	                   "18;hemtjanst;s1;2026-03-02 10:00;2026-03-02 10:30;;x2\n"
	                   "19;hemtjanst;s1;2026-03-02 08:30;2026-03-02 08:45;;x3\n"
	                   "20;hemtjanst;s1;2026-03-02 08:10;2026-03-02 08:40;cancelled;x4\n"
	                   "21;hemtjanst;s2;2026-03-02 08:00;2026-03-02 09:00;;x1\n";
	assert_int_equal(parse(text, VISITS_BULK_CSV, &b), HERR_INVALID);
	assert_int_equal(b.error_count, 2);
	assert_true(has_error(&b, 4, "start"));
	assert_non_null(strstr(b.errors[0].message, "rad 2"));
	assert_true(has_error(&b, 6, "external_id"));
	visits_bulk_release(&b);
}

/* review 2026-11, finding 22: the report lists problems by line, then by column, whichever
 * check found them first (the file's own checks, then the store's). */
static void
errors_sorted(void **state)
{
	(void)state;
	struct visits_bulk b;
	const char *text = "person_id;service;staff;start;end;deviation\n"
	                   "17;hemtjanst;s1;2026-03-02 08:00;2026-03-02 08:30;\n"
	                   "17;hemtjanst;s1;2026-03-03 08:00;2026-03-03 08:30;bomtid\n"
	                   "17;hemtjanst;s1;2026-03-04 08:00;2026-03-04 08:30;\n"
	                   "x;hemtjanst;s1;2026-03-05 08:00;2026-03-05 07:30;\n";
	assert_int_equal(parse(text, VISITS_BULK_CSV, &b), HERR_INVALID);
	/* What the database checks find later: line 4, then line 2 and the file as a whole. */
	visits_bulk_error_add(&b, 4, "person_id", "utföraren har inget aktivt uppdrag");
	visits_bulk_error_add(&b, 2, "", "raden finns redan");
	visits_bulk_error_add(&b, 0, "month", "månaden är låst");
	visits_bulk_sort_errors(&b);
	static const struct {
		int line;
		const char *field;
	} want[] = {{0, "month"},     {2, ""},          {3, "deviation"},
	            {4, "person_id"}, {5, "person_id"}, {5, "end"}};
	assert_int_equal(b.nerrors, 6);
	for (int i = 0; i < 6; i++) {
		assert_int_equal(b.errors[i].line, want[i].line);
		assert_string_equal(b.errors[i].field, want[i].field);
	}
	visits_bulk_release(&b);
}

static void
json_files(void **state)
{
	(void)state;
	struct visits_bulk b;
	const char *text = "[{\"person_id\": 17, \"service\": \"hemtjanst\", \"staff\": \"s1\","
	                   " \"start\": \"2026-03-02 08:00\", \"end\": \"2026-03-02 08:30\","
	                   " \"deviation\": null, \"planned_minutes\": 30},"
	                   " {\"person_id\": 18, \"service\": \"hemtjanst\", \"staff\": \"s1\","
	                   " \"start\": \"2026-03-02 09:00\", \"end\": \"2026-03-02 09:30\","
	                   " \"deviation\": \"staff_late\", \"external_id\": \"p-9\"}]";
	assert_int_equal(parse(text, VISITS_BULK_JSON, &b), 0);
	assert_int_equal(b.nrows, 2);
	assert_int_equal(b.rows[0].planned_minutes, 30);
	assert_int_equal(b.rows[1].line, 2);
	assert_int_equal(b.rows[1].deviation, VISITS_DEV_STAFF_LATE);
	assert_string_equal(b.rows[1].external_id, "p-9");
	visits_bulk_release(&b);

	/* Item 2: person_id as text; item 3: an unknown field; item 4 not an object. */
	text = "[{\"person_id\": 17, \"service\": \"hemtjanst\", \"staff\": \"s1\","
	       " \"start\": \"2026-03-02 08:00\", \"end\": \"2026-03-02 08:30\"},"
	       " {\"person_id\": \"18\", \"service\": \"hemtjanst\", \"staff\": \"s1\","
	       " \"start\": \"2026-03-02 09:00\", \"end\": \"2026-03-02 09:30\"},"
	       " {\"person_id\": 19, \"service\": \"hemtjanst\", \"staff\": \"s1\","
	       " \"start\": \"2026-03-02 10:00\", \"end\": \"2026-03-02 10:30\", \"colour\": 1},"
	       " 7]";
	assert_int_equal(parse(text, VISITS_BULK_JSON, &b), HERR_INVALID);
	assert_int_equal(b.error_count, 3);
	assert_true(has_error(&b, 2, "person_id"));
	assert_true(has_error(&b, 3, ""));
	assert_true(has_error(&b, 4, ""));
	visits_bulk_release(&b);

	assert_int_equal(parse("{\"person_id\": 1}", VISITS_BULK_JSON, &b), HERR_INVALID);
	assert_string_equal(b.errors[0].message, "filen ska vara en lista av besök");
	visits_bulk_release(&b);
	assert_int_equal(parse("[\n{\"person_id\": 1,,}]", VISITS_BULK_JSON, &b), HERR_INVALID);
	assert_int_equal(b.errors[0].line, 2);
	visits_bulk_release(&b);
	/* A NUL inside a JSON string is refused (jansson refuses it unless asked), not cut
	 * short. */
	const char nul[] =
	    "[{\"person_id\": 17, \"service\": \"hemt\\u0000janst\", \"staff\": "
	    "\"s1\", \"start\": \"2026-03-02 08:00\", \"end\": \"2026-03-02 08:30\"}]";
	assert_int_equal(parse(nul, VISITS_BULK_JSON, &b), HERR_INVALID);
	assert_int_equal(b.error_count, 1);
	assert_int_equal(b.nrows, 0);
	visits_bulk_release(&b);
	assert_int_equal(parse("[]", VISITS_BULK_JSON, &b), 0);
	assert_int_equal(b.nrows, 0);
	visits_bulk_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(csv_excel),      cmocka_unit_test(csv_one_bad_line),
	    cmocka_unit_test(csv_structure),  cmocka_unit_test(csv_times),
	    cmocka_unit_test(in_file_checks), cmocka_unit_test(json_files),
	    cmocka_unit_test(errors_sorted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
