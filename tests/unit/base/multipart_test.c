/*
 * Unit tests for src/base/multipart.c: the boundary of a Content-Type, a browser's form with a
 * text field and a file (binary bytes, CRLF inside the content), the escapes browsers use in
 * names, and bodies that are not well formed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/multipart.h"

struct seen {
	int n;
	struct multipart_part p[4];
	char data[4][64];
};

static int
collect(const struct multipart_part *p, void *arg)
{
	struct seen *s = arg;
	if (s->n == 4)
		return HERR_LIMIT;
	s->p[s->n] = *p;
	memcpy(s->data[s->n], p->data, p->len < 63 ? p->len : 63);
	s->n++;
	return 0;
}

static void
test_boundary(void **state)
{
	(void)state;
	char b[MULTIPART_MAX_BOUNDARY + 1];
	assert_int_equal(
	    multipart_boundary("multipart/form-data; boundary=----WebKitFormBoundaryx7", b), 0);
	assert_string_equal(b, "----WebKitFormBoundaryx7");
	assert_int_equal(
	    multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"", b), 0);
	assert_string_equal(b, "a b");
	assert_int_equal(multipart_boundary("application/x-www-form-urlencoded", b),
	                 HERR_MEDIA_TYPE);
	assert_int_equal(multipart_boundary("multipart/form-dataX; boundary=a", b),
	                 HERR_MEDIA_TYPE);
	assert_int_equal(multipart_boundary("multipart/form-data", b), HERR_MALFORMED);
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=", b), HERR_MALFORMED);
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=\"abc", b),
	                 HERR_MALFORMED);
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=a<b", b),
	                 HERR_MALFORMED);
	char longb[128] = "multipart/form-data; boundary=";
	memset(longb + strlen(longb), 'x', 71);
	assert_int_equal(multipart_boundary(longb, b), HERR_MALFORMED);
}

static const char form[] = "preamble\r\n"
                           "--XyZ\r\n"
                           "Content-Disposition: form-data; name=\"csrf\"\r\n"
                           "\r\n"
                           "abc\r\n"
                           "--XyZ\r\n"
                           "Content-Disposition: form-data; name=\"bilaga\"; "
                           "filename=\"L\xc3\xa4kar %22intyg%22.pdf\"\r\n"
                           "Content-Type: application/pdf\r\n"
                           "\r\n"
                           "%PDF\r\n\x00\xff--Xy\r\n"
                           "--XyZ--\r\n"
                           "epilogue";

static void
test_form_with_file(void **state)
{
	(void)state;
	struct seen s = {.n = 0};
	assert_int_equal(multipart_parse(form, sizeof form - 1, "XyZ", collect, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.p[0].name, "csrf");
	assert_int_equal(s.p[0].is_file, 0);
	assert_int_equal(s.p[0].len, 3);
	assert_memory_equal(s.data[0], "abc", 3);
	assert_string_equal(s.p[1].name, "bilaga");
	assert_int_equal(s.p[1].is_file, 1);
	assert_string_equal(s.p[1].filename, "L\xc3\xa4kar \"intyg\".pdf");
	assert_string_equal(s.p[1].content_type, "application/pdf");
	/* The content keeps its CRLF, NUL and a near-delimiter. */
	assert_int_equal(s.p[1].len, 12);
	assert_memory_equal(s.data[1], "%PDF\r\n\x00\xff--Xy", 12);
}

static void
test_empty_file_and_start_without_preamble(void **state)
{
	(void)state;
	static const char body[] = "--b\r\n"
	                           "content-disposition: form-data; name=\"f\"; filename=\"\"\r\n"
	                           "Content-Type: application/octet-stream\r\n\r\n"
	                           "\r\n--b--";
	struct seen s = {.n = 0};
	assert_int_equal(multipart_parse(body, sizeof body - 1, "b", collect, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.p[0].is_file, 1);
	assert_string_equal(s.p[0].filename, "");
	assert_int_equal(s.p[0].len, 0);
}

static void
test_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "",                                                           /* empty */
	    "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx", /* no closing */
	    "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--",          /* no disposition */
	    "--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--b--", /* not form-data
	                                                                             */
	    "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--",              /* no name */
	    "--b\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--b--",    /* open quote */
	    "--b\r\nNoColon\r\n\r\nx\r\n--b--",                                     /* bad header */
	    "--bX\r\n", /* garbage after */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct seen s = {.n = 0};
		assert_int_equal(multipart_parse(bad[i], strlen(bad[i]), "b", collect, &s),
		                 HERR_MALFORMED);
	}
}

static void
test_callback_stops(void **state)
{
	(void)state;
	static const char body[] = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	                           "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n2\r\n"
	                           "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n3\r\n"
	                           "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n4\r\n"
	                           "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n5\r\n"
	                           "--b--\r\n";
	struct seen s = {.n = 0};
	assert_int_equal(multipart_parse(body, sizeof body - 1, "b", collect, &s), HERR_LIMIT);
	assert_int_equal(s.n, 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_boundary),
	    cmocka_unit_test(test_form_with_file),
	    cmocka_unit_test(test_empty_file_and_start_without_preamble),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_callback_stops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
