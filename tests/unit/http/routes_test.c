/*
 * Every route of the route table is documented in docs/openapi.yaml (issue 2, item 12), and
 * the table itself is sound: unique method and pattern, a permission on every non-public
 * route that touches person data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "base/strbuf.h"
#include "http/http.h"

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct strbuf sb;
	sb_init(&sb, 0);
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&sb, buf, n);
	fclose(f);
	return sb_detach(&sb, NULL);
}

/* Finds "  PATH:" at the start of a line, then "    method:" before the next path. */
static int
documented(const char *yaml, const char *path, const char *method)
{
	char key[300], m[32];
	snprintf(key, sizeof key, "\n  %s:\n", path);
	const char *p = strstr(yaml, key);
	if (!p)
		return 0;
	p += strlen(key);
	snprintf(m, sizeof m, "\n    %s:", method);
	for (char *c = m; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	/* The block of this path ends where the next two-space key begins. */
	const char *end = p;
	while ((end = strstr(end, "\n  ")) && end[3] == ' ')
		end++;
	const char *hit = strstr(p - 1, m);
	return hit && (!end || hit < end);
}

static void
every_route_documented(void **state)
{
	(void)state;
	const char *src = getenv("HANNA_SOURCE_ROOT");
	char path[4096];
	snprintf(path, sizeof path, "%s/docs/openapi.yaml", src ? src : ".");
	char *yaml = read_file(path);
	assert_non_null(yaml);
	int missing = 0;
	for (int i = 0; i < http_nroutes; i++) {
		const struct route *r = &http_routes[i];
		if (!documented(yaml, r->pattern, r->method)) {
			fprintf(stderr, "missing from docs/openapi.yaml: %s %s\n", r->method,
			        r->pattern);
			missing++;
		}
	}
	free(yaml);
	assert_int_equal(missing, 0);
}

static void
table_is_sound(void **state)
{
	(void)state;
	for (int i = 0; i < http_nroutes; i++) {
		const struct route *a = &http_routes[i];
		assert_non_null(a->fn);
		assert_true(a->pattern[0] == '/');
		/* Routes that answer with person data must not be public. */
		if (a->flags & R_AUDIT)
			assert_int_not_equal(a->perm, PERM_PUBLIC);
		for (int j = i + 1; j < http_nroutes; j++) {
			const struct route *b = &http_routes[j];
			assert_false(strcmp(a->method, b->method) == 0 &&
			             strcmp(a->pattern, b->pattern) == 0);
		}
	}
}

static void
matcher(void **state)
{
	(void)state;
	int64_t params[REQ_MAX_PARAMS];
	int n = 0;
	bool known;
	const struct route *r = http_match("GET", "/api/v1/persons/42", params, &n, &known);
	assert_non_null(r);
	assert_string_equal(r->pattern, "/api/v1/persons/{id}");
	assert_int_equal(n, 1);
	assert_int_equal(params[0], 42);
	assert_null(http_match("GET", "/api/v1/persons/4x2", params, &n, &known));
	assert_null(http_match("PUT", "/api/v1/persons/42", params, &n, &known));
	assert_true(known);
	assert_null(http_match("GET", "/api/v1/persons/42/", params, &n, &known));
	assert_null(http_match("GET", "/api/v1/persons/1234567890123456", params, &n, &known));
	r = http_match("GET", "/personer/ny", params, &n, &known);
	assert_non_null(r);
	assert_string_equal(r->pattern, "/personer/ny");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_route_documented),
	    cmocka_unit_test(table_is_sound),
	    cmocka_unit_test(matcher),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
