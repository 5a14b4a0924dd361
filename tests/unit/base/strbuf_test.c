/*
 * Unit tests for src/base/strbuf.c: the string builder of STYLE.md rule 11 (never NULL, always
 * terminated, geometric growth, hard limit with a sticky error).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/strbuf.h"

static void
test_init_empty(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 0);
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.alloc, 0);
	assert_int_equal(sb.limit, STRBUF_DEFAULT_LIMIT);
	assert_int_equal(sb.err, 0);
	/* Adding nothing allocates nothing. */
	sb_add(&sb, "x", 0);
	sb_adds(&sb, "");
	assert_int_equal(sb.alloc, 0);
	assert_string_equal(sb.buf, "");
	sb_release(&sb);
	assert_string_equal(sb.buf, "");
}

static void
test_growth(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 0);
	size_t reallocs = 0, last_alloc = 0;
	for (int i = 0; i < 10000; i++) {
		sb_addc(&sb, (char)('a' + i % 26));
		if (sb.alloc != last_alloc) {
			/* Geometric: each new capacity at least doubles the previous one. */
			if (last_alloc)
				assert_true(sb.alloc >= 2 * last_alloc);
			last_alloc = sb.alloc;
			reallocs++;
		}
		assert_true(sb.alloc > sb.len);
		assert_int_equal(sb.buf[sb.len], '\0');
	}
	assert_int_equal(sb.len, 10000);
	assert_int_equal(strlen(sb.buf), 10000);
	assert_true(reallocs <= 10);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(sb.buf[i], 'a' + i % 26);
	assert_int_equal(sb.err, 0);

	/* One large add grows straight to fit. */
	char big[100000];
	memset(big, 'z', sizeof big);
	sb_add(&sb, big, sizeof big);
	assert_int_equal(sb.len, 110000);
	assert_true(sb.alloc >= 110001);
	assert_int_equal(sb.buf[109999], 'z');
	assert_int_equal(sb.buf[110000], '\0');
	sb_release(&sb);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.alloc, 0);
	assert_string_equal(sb.buf, "");
}

static void
test_binary_data(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_add(&sb, "a\0b", 3);
	assert_int_equal(sb.len, 3);
	assert_memory_equal(sb.buf, "a\0b", 4);
	sb_release(&sb);
}

static void
test_limit_and_sticky_error(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 10);
	sb_adds(&sb, "12345678");
	assert_int_equal(sb.err, 0);
	/* Five more would make 13 > 10: refused, nothing added, error recorded. */
	sb_adds(&sb, "abcde");
	assert_int_equal(sb.err, HERR_LIMIT);
	assert_int_equal(sb.len, 8);
	assert_string_equal(sb.buf, "12345678");
	/* Sticky: even an add that would fit is refused now. */
	sb_addc(&sb, 'x');
	sb_addf(&sb, "%d", 1);
	sb_addi(&sb, 2);
	assert_int_equal(sb.len, 8);
	assert_string_equal(sb.buf, "12345678");
	assert_int_equal(sb.err, HERR_LIMIT);
	sb_release(&sb);
	assert_int_equal(sb.err, 0);
	assert_int_equal(sb.limit, 10);

	/* Exactly the limit fits; one more byte does not. */
	sb_adds(&sb, "1234567890");
	assert_int_equal(sb.err, 0);
	assert_int_equal(sb.len, 10);
	sb_addc(&sb, 'x');
	assert_int_equal(sb.err, HERR_LIMIT);
	assert_string_equal(sb.buf, "1234567890");
	sb_release(&sb);

	/* A formatted add past the limit is refused as a whole. */
	sb_addf(&sb, "%s-%s", "abcde", "fghij");
	assert_int_equal(sb.err, HERR_LIMIT);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	sb_release(&sb);
}

static void
test_overflow_sizes(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "abc");
	/* Sizes that would wrap len + n + 1 are refused as over the limit, not allocated. */
	sb_add(&sb, "x", SIZE_MAX);
	assert_int_equal(sb.err, HERR_LIMIT);
	assert_string_equal(sb.buf, "abc");
	sb_release(&sb);
	sb_add(&sb, "x", SIZE_MAX - 1);
	assert_int_equal(sb.err, HERR_LIMIT);
	sb_release(&sb);
	sb_add(&sb, "x", STRBUF_DEFAULT_LIMIT + 1);
	assert_int_equal(sb.err, HERR_LIMIT);
	assert_int_equal(sb.len, 0);
	sb_release(&sb);
}

static void
test_addf_and_addi(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_addf(&sb, "%s=%d;", "n", 42);
	sb_addf(&sb, "%05.1f|%-3s|", 3.14159, "ab");
	sb_addi(&sb, INT64_MIN);
	sb_addc(&sb, ' ');
	sb_addi(&sb, INT64_MAX);
	assert_string_equal(sb.buf, "n=42;003.1|ab |-9223372036854775808 9223372036854775807");
	assert_int_equal(sb.len, strlen(sb.buf));
	/* Empty format output adds nothing. */
	size_t len = sb.len;
	sb_addf(&sb, "%s", "");
	assert_int_equal(sb.len, len);
	/* A long formatted string that forces growth in the middle. */
	sb_reset(&sb);
	char word[3000];
	memset(word, 'w', sizeof word - 1);
	word[sizeof word - 1] = '\0';
	sb_addf(&sb, "<%s>", word);
	assert_int_equal(sb.len, 3001);
	assert_int_equal(sb.buf[0], '<');
	assert_int_equal(sb.buf[3000], '>');
	assert_int_equal(sb.buf[3001], '\0');
	sb_release(&sb);
}

static void
test_detach(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 100);
	sb_adds(&sb, "hello");
	size_t len = 0;
	char *s = sb_detach(&sb, &len);
	assert_string_equal(s, "hello");
	assert_int_equal(len, 5);
	/* The buffer is empty, usable, and keeps its limit. */
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.alloc, 0);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.limit, 100);
	sb_adds(&sb, "again");
	assert_string_equal(sb.buf, "again");
	assert_true(sb.buf != s);
	free(s);

	char *t = sb_detach(&sb, NULL);
	assert_string_equal(t, "again");
	free(t);

	/* Detaching an empty buffer gives a freeable "". */
	char *e = sb_detach(&sb, &len);
	assert_non_null(e);
	assert_string_equal(e, "");
	assert_int_equal(len, 0);
	free(e);
	sb_release(&sb);
}

static void
test_reset(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 8);
	/* Resetting a never-used buffer is fine. */
	sb_reset(&sb);
	assert_string_equal(sb.buf, "");
	sb_adds(&sb, "abcdef");
	char *mem = sb.buf;
	size_t alloc = sb.alloc;
	sb_adds(&sb, "too long");
	assert_int_equal(sb.err, HERR_LIMIT);
	/* Reset keeps the memory and clears the text and the error. */
	sb_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.err, 0);
	assert_ptr_equal(sb.buf, mem);
	assert_int_equal(sb.alloc, alloc);
	assert_string_equal(sb.buf, "");
	sb_adds(&sb, "xyz");
	assert_string_equal(sb.buf, "xyz");
	assert_ptr_equal(sb.buf, mem);
	sb_release(&sb);
	/* Release leaves the buffer reusable. */
	sb_adds(&sb, "more");
	assert_string_equal(sb.buf, "more");
	sb_release(&sb);
}

/* str_copy: fits, cut to fit with the NUL kept, NULL as "". */
static void
test_str_copy(void **state)
{
	(void)state;
	char f[6] = "xxxxx";
	str_copy(f, sizeof f, "Åsa");
	assert_string_equal(f, "Åsa");
	str_copy(f, sizeof f, "Göteborg");
	assert_int_equal(strlen(f), 5);
	assert_memory_equal(f, "G\xc3\xb6te", 5);
	str_copy(f, sizeof f, NULL);
	assert_string_equal(f, "");
	char one[1] = {'x'};
	str_copy(one, sizeof one, "abc");
	assert_int_equal(one[0], '\0');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_empty),     cmocka_unit_test(test_growth),
	    cmocka_unit_test(test_binary_data),    cmocka_unit_test(test_limit_and_sticky_error),
	    cmocka_unit_test(test_overflow_sizes), cmocka_unit_test(test_addf_and_addi),
	    cmocka_unit_test(test_detach),         cmocka_unit_test(test_reset),
	    cmocka_unit_test(test_str_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
