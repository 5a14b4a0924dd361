/*
 * Unit tests for src/base/json.c: the JSON request decoder checked against a field list, and
 * json_str escaping (STYLE.md rule 12). The field list resembles the person create request.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/json.h"
#include "base/strbuf.h"

static const struct jfield address_fields[] = {
    {"street", JF_STRING, false, 100, NULL, 0},
    {"postal_code", JF_STRING, true, 6, NULL, 0},
    {"city", JF_STRING, true, 60, NULL, 0},
};

static const struct jfield person_fields[] = {
    {"personnummer", JF_STRING, true, 13, NULL, 0},
    {"given_name", JF_STRING, true, 0, NULL, 0}, /* default maximum, 200 */
    {"family_name", JF_STRING, false, 100, NULL, 0},
    {"address", JF_OBJECT, false, 0, address_fields, 3},
    {"phone", JF_STRING, false, 30, NULL, 0},
    {"protected_identity", JF_BOOL, false, 0, NULL, 0},
    {"household_size", JF_INT, false, 0, NULL, 0},
    {"moved_in", JF_DATE, false, 0, NULL, 0},
};

#define NPERSON (sizeof person_fields / sizeof person_fields[0])

/* Decodes a NUL-terminated body against person_fields. */
static int
decode(const char *body, struct field_errors *fe, json_t **out)
{
	return json_decode_object(body, strlen(body), person_fields, NPERSON, fe, out);
}

/* True when fe holds an error for field with message. */
static bool
has_error(const struct field_errors *fe, const char *field, const char *message)
{
	for (int i = 0; i < fe->n; i++)
		if (strcmp(fe->items[i].field, field) == 0 &&
		    strcmp(fe->items[i].message, message) == 0)
			return true;
	return false;
}

/* Fails with the errors listed unless fe holds exactly one error, for field with message. */
static void
expect_one_error(const struct field_errors *fe, const char *field, const char *message)
{
	if (fe->n != 1 || !has_error(fe, field, message)) {
		for (int i = 0; i < fe->n; i++)
			print_error("  error %d: '%s': %s\n", i, fe->items[i].field,
			            fe->items[i].message);
		fail_msg("expected exactly one error '%s': %s, got %d", field, message, fe->n);
	}
}

/* Decodes body expecting HERR_INVALID with exactly one error, and *out untouched. */
static void
expect_invalid(const char *body, const char *field, const char *message)
{
	struct field_errors fe;
	json_t *out = (json_t *)&fe; /* a sentinel that must not be overwritten */
	assert_int_equal(decode(body, &fe, &out), HERR_INVALID);
	assert_ptr_equal(out, (json_t *)&fe);
	expect_one_error(&fe, field, message);
}

/* Decodes body expecting HERR_MALFORMED, reported on the field "". */
static void
expect_malformed_len(const char *body, size_t len)
{
	struct field_errors fe;
	json_t *out = NULL;
	int rc = json_decode_object(body, len, person_fields, NPERSON, &fe, &out);
	if (rc != HERR_MALFORMED)
		fail_msg("'%.*s': expected HERR_MALFORMED, got %d", (int)len, body, rc);
	assert_null(out);
	assert_int_equal(fe.n, 1);
	assert_string_equal(fe.items[0].field, "");
	assert_true(strlen(fe.items[0].message) > 0);
}

static void
expect_malformed(const char *body)
{
	expect_malformed_len(body, strlen(body));
}

static void
test_valid_request(void **state)
{
	(void)state;
	struct field_errors fe;
	json_t *obj = NULL;
	const char *body = "{\"personnummer\": \"19811218-9876\", \"given_name\": \"Åsa\","
	                   " \"family_name\": \"Öberg\", \"protected_identity\": true,"
	                   " \"household_size\": 3, \"moved_in\": \"2024-02-29\","
	                   " \"address\": {\"street\": \"Storgatan 1\", \"postal_code\": \"11122\","
	                   " \"city\": \"Stockholm\"}, \"phone\": null}";
	assert_int_equal(decode(body, &fe, &obj), 0);
	assert_int_equal(fe.n, 0);
	assert_non_null(obj);
	assert_string_equal(json_get_str(obj, "personnummer"), "19811218-9876");
	assert_string_equal(json_get_str(obj, "given_name"), "Åsa");
	assert_true(json_get_bool(obj, "protected_identity", false));
	assert_int_equal(json_get_int(obj, "household_size", -1), 3);
	assert_true(json_has(obj, "address"));
	assert_string_equal(json_get_str(json_object_get(obj, "address"), "city"), "Stockholm");
	/* Absent and null read as absent. */
	assert_null(json_get_str(obj, "phone"));
	assert_false(json_has(obj, "phone"));
	assert_false(json_has(obj, "nonexistent"));
	assert_null(json_get_str(obj, "household_size")); /* wrong type reads as absent */
	assert_int_equal(json_get_int(obj, "phone", 7), 7);
	assert_int_equal(json_get_int(obj, "given_name", 7), 7);
	assert_true(json_get_bool(obj, "phone", true));
	assert_false(json_get_bool(obj, "nonexistent", false));
	json_decref(obj);

	/* Only the required fields. */
	obj = NULL;
	assert_int_equal(decode("{\"personnummer\":\"x\",\"given_name\":\"y\"}", &fe, &obj), 0);
	assert_non_null(obj);
	json_decref(obj);
}

static void
test_unknown_field(void **state)
{
	(void)state;
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\",\"shoe_size\":42}",
	               "shoe_size", "okänt fält");
	/* Keys are case sensitive. */
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\",\"Phone\":\"1\"}", "Phone",
	               "okänt fält");
	/* Unknown inside a nested object: the path names both. */
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\","
	               "\"address\":{\"postal_code\":\"11122\",\"city\":\"A\",\"zip\":\"1\"}}",
	               "address.zip", "okänt fält");
	/* A known name at the wrong level is unknown there. */
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\",\"city\":\"A\"}", "city",
	               "okänt fält");
}

static void
test_wrong_types(void **state)
{
	(void)state;
	expect_invalid("{\"personnummer\":19811218,\"given_name\":\"y\"}", "personnummer",
	               "ska vara en textsträng");
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":[\"y\"]}", "given_name",
	               "ska vara en textsträng");
	expect_invalid(
	    "{\"personnummer\":\"x\",\"given_name\":\"y\",\"protected_identity\":\"true\"}",
	    "protected_identity", "ska vara true eller false");
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\",\"protected_identity\":1}",
	               "protected_identity", "ska vara true eller false");
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\",\"household_size\":\"3\"}",
	               "household_size", "ska vara ett heltal");
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\",\"household_size\":3.5}",
	               "household_size", "ska vara ett heltal");
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\",\"household_size\":true}",
	               "household_size", "ska vara ett heltal");
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\",\"address\":\"Storgatan 1\"}",
	               "address", "ska vara ett objekt");
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\",\"address\":[]}", "address",
	               "ska vara ett objekt");
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\",\"moved_in\":20240101}",
	               "moved_in", "ska vara en textsträng");
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\",\"moved_in\":\"2023-02-29\"}",
	               "moved_in", "ska vara ett datum ÅÅÅÅ-MM-DD");
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\",\"moved_in\":\"24-01-01\"}",
	               "moved_in", "ska vara ett datum ÅÅÅÅ-MM-DD");
	/* A nested wrong type names the dotted path. */
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\","
	               "\"address\":{\"postal_code\":11122,\"city\":\"A\"}}",
	               "address.postal_code", "ska vara en textsträng");
}

static void
test_missing_required(void **state)
{
	(void)state;
	expect_invalid("{\"given_name\":\"y\"}", "personnummer", "saknas");
	expect_invalid("{\"personnummer\":\"x\"}", "given_name", "saknas");
	/* Both missing: two errors. */
	struct field_errors fe;
	json_t *out = NULL;
	assert_int_equal(decode("{}", &fe, &out), HERR_INVALID);
	assert_null(out);
	assert_int_equal(fe.n, 2);
	assert_true(has_error(&fe, "personnummer", "saknas"));
	assert_true(has_error(&fe, "given_name", "saknas"));
	/* Null or empty for a required field. */
	expect_invalid("{\"personnummer\":null,\"given_name\":\"y\"}", "personnummer",
	               "får inte vara tomt");
	expect_invalid("{\"personnummer\":\"\",\"given_name\":\"y\"}", "personnummer",
	               "får inte vara tomt");
	/* Null and empty are fine for optional fields. */
	assert_int_equal(decode("{\"personnummer\":\"x\",\"given_name\":\"y\",\"family_name\":\"\","
	                        "\"address\":null,\"moved_in\":\"\",\"protected_identity\":null}",
	                        &fe, &out),
	                 0);
	json_decref(out);
}

static void
test_nested_path(void **state)
{
	(void)state;
	/* The optional object, when present, must have its required fields. */
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\","
	               "\"address\":{\"postal_code\":\"11122\"}}",
	               "address.city", "saknas");
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\","
	               "\"address\":{\"postal_code\":\"11122\",\"city\":\"\"}}",
	               "address.city", "får inte vara tomt");
	struct field_errors fe;
	json_t *out = NULL;
	assert_int_equal(
	    decode("{\"personnummer\":\"x\",\"given_name\":\"y\",\"address\":{}}", &fe, &out),
	    HERR_INVALID);
	assert_int_equal(fe.n, 2);
	assert_true(has_error(&fe, "address.postal_code", "saknas"));
	assert_true(has_error(&fe, "address.city", "saknas"));
}

static void
test_string_lengths(void **state)
{
	(void)state;
	struct field_errors fe;
	json_t *out = NULL;
	/* personnummer allows 13 bytes. */
	assert_int_equal(
	    decode("{\"personnummer\":\"1234567890123\",\"given_name\":\"y\"}", &fe, &out), 0);
	json_decref(out);
	expect_invalid("{\"personnummer\":\"12345678901234\",\"given_name\":\"y\"}", "personnummer",
	               "är för långt");
	/* The limit counts bytes: 7 x "å" is 14 bytes. */
	expect_invalid("{\"personnummer\":\"ååååååå\",\"given_name\":\"y\"}", "personnummer",
	               "är för långt");
	/* max_len 0 means 200. */
	char body[512];
	char name[202];
	memset(name, 'n', 200);
	name[200] = '\0';
	snprintf(body, sizeof body, "{\"personnummer\":\"x\",\"given_name\":\"%s\"}", name);
	out = NULL;
	assert_int_equal(decode(body, &fe, &out), 0);
	json_decref(out);
	name[200] = 'n';
	name[201] = '\0';
	snprintf(body, sizeof body, "{\"personnummer\":\"x\",\"given_name\":\"%s\"}", name);
	expect_invalid(body, "given_name", "är för långt");
	/* Nested too. */
	expect_invalid("{\"personnummer\":\"x\",\"given_name\":\"y\","
	               "\"address\":{\"postal_code\":\"1112233\",\"city\":\"A\"}}",
	               "address.postal_code", "är för långt");
}

static void
test_malformed(void **state)
{
	(void)state;
	expect_malformed("");
	expect_malformed(" ");
	expect_malformed("{");
	expect_malformed("}");
	expect_malformed("{\"personnummer\":\"x\",}");
	expect_malformed("{\"personnummer\":'x'}");
	expect_malformed("{personnummer:\"x\"}");
	expect_malformed("{\"personnummer\":\"x\"} {}");
	expect_malformed("{\"personnummer\":\"x\" \"given_name\":\"y\"}");
	expect_malformed("{\"personnummer\":\"unterminated}");
	expect_malformed("{\"personnummer\":\"\\x41\"}");    /* bad escape */
	expect_malformed("{\"personnummer\":\"a\x01z\"}");   /* raw control character */
	expect_malformed("{\"personnummer\":\"\xff\xfe\"}"); /* invalid UTF-8 */
	expect_malformed("{\"personnummer\":\"\xc3\"}");     /* truncated UTF-8 */
	expect_malformed("{\"personnummer\":\"\\u0000\"}");  /* NUL inside a string */
	expect_malformed("{\"household_size\":99999999999999999999999}");
	expect_malformed("{\"a\":NaN}");
	/* Valid JSON that is not an object. */
	expect_malformed("[]");
	expect_malformed("[{\"personnummer\":\"x\"}]");
	expect_malformed("\"text\"");
	expect_malformed("42");
	expect_malformed("null");
	expect_malformed("true");
	/* The length is honoured: the object is cut short. */
	const char *full = "{\"personnummer\":\"x\",\"given_name\":\"y\"}";
	expect_malformed_len(full, strlen(full) - 1);
	/* A NUL byte inside the body. */
	expect_malformed_len("{\"personnummer\":\"x\"\0}", 21);
	/* Deep nesting is refused by the parser instead of exhausting the stack. */
	size_t depth = 100000;
	char *deep = malloc(2 * depth + 1);
	assert_non_null(deep);
	memset(deep, '[', depth);
	memset(deep + depth, ']', depth);
	deep[2 * depth] = '\0';
	expect_malformed(deep);
	free(deep);
}

static void
test_duplicate_keys(void **state)
{
	(void)state;
	expect_malformed("{\"personnummer\":\"x\",\"given_name\":\"y\",\"personnummer\":\"z\"}");
	expect_malformed("{\"personnummer\":\"x\",\"given_name\":\"y\","
	                 "\"address\":{\"city\":\"A\",\"city\":\"B\",\"postal_code\":\"1\"}}");
}

static void
test_error_cap(void **state)
{
	(void)state;
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "{");
	for (int i = 0; i < 40; i++)
		sb_addf(&sb, "%s\"unknown%d\":%d", i ? "," : "", i, i);
	sb_adds(&sb, "}");
	assert_int_equal(sb.err, 0);
	struct field_errors fe;
	json_t *out = NULL;
	assert_int_equal(decode(sb.buf, &fe, &out), HERR_INVALID);
	assert_null(out);
	assert_int_equal(fe.n, FIELD_ERRORS_MAX);
	sb_release(&sb);

	/* field_error_add itself drops extras and truncates long text safely. */
	struct field_errors fe2 = {.n = 0};
	char longname[300];
	memset(longname, 'k', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	field_error_add(&fe2, longname, "m");
	assert_int_equal(fe2.n, 1);
	assert_int_equal(strlen(fe2.items[0].field), sizeof fe2.items[0].field - 1);
	for (int i = 0; i < 2 * FIELD_ERRORS_MAX; i++)
		field_error_add(&fe2, "f", "m");
	assert_int_equal(fe2.n, FIELD_ERRORS_MAX);
}

/* json_str of s, compared with want; also checks that jansson reads it back as s. */
static void
expect_json_str(const char *s, const char *want)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	json_str(&sb, s);
	assert_int_equal(sb.err, 0);
	assert_string_equal(sb.buf, want);
	json_error_t jerr;
	json_t *v = json_loads(sb.buf, JSON_DECODE_ANY, &jerr);
	if (!v)
		fail_msg("json_str output '%s' does not parse: %s", sb.buf, jerr.text);
	assert_true(json_is_string(v));
	assert_string_equal(json_string_value(v), s);
	json_decref(v);
	sb_release(&sb);
}

static void
test_json_str_escaping(void **state)
{
	(void)state;
	expect_json_str("", "\"\"");
	expect_json_str("plain", "\"plain\"");
	expect_json_str("say \"hi\"", "\"say \\\"hi\\\"\"");
	expect_json_str("back\\slash", "\"back\\\\slash\"");
	expect_json_str("a\nb\rc\td", "\"a\\nb\\rc\\td\"");
	expect_json_str("\x01\x08\x0b\x0c\x1f", "\"\\u0001\\u0008\\u000b\\u000c\\u001f\"");
	/* HTML-significant characters never appear raw, so the output is safe inside <script>. */
	expect_json_str("</script><b>&amp;", "\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026amp;\"");
	expect_json_str("Åsa Öberg", "\"Åsa Öberg\"");
	expect_json_str("it's / fine\x7f", "\"it's / fine\x7f\"");

	/* Appends to what is already there. */
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "{\"k\":");
	json_str(&sb, "<v>");
	sb_addc(&sb, '}');
	assert_string_equal(sb.buf, "{\"k\":\"\\u003cv\\u003e\"}");
	sb_release(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_request), cmocka_unit_test(test_unknown_field),
	    cmocka_unit_test(test_wrong_types),   cmocka_unit_test(test_missing_required),
	    cmocka_unit_test(test_nested_path),   cmocka_unit_test(test_string_lengths),
	    cmocka_unit_test(test_malformed),     cmocka_unit_test(test_duplicate_keys),
	    cmocka_unit_test(test_error_cap),     cmocka_unit_test(test_json_str_escaping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
