/*
 * libFuzzer target for json_decode_object (src/base/json.c) with a field list resembling the
 * person create request. Checks the result codes and field errors json.h promises, that string
 * values survive json_str unchanged, and frees what it decoded. Built and run by scripts/fuzz;
 * seeds in tests/fuzz/corpus/json/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/json.h"
#include "base/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct jfield address_fields[] = {
    {"street", JF_STRING, false, 100, NULL, 0},
    {"postal_code", JF_STRING, false, 6, NULL, 0},
    {"city", JF_STRING, false, 60, NULL, 0},
};

static const struct jfield person_fields[] = {
    {"personnummer", JF_STRING, true, 13, NULL, 0},
    {"given_name", JF_STRING, false, 100, NULL, 0},
    {"family_name", JF_STRING, false, 100, NULL, 0},
    {"address", JF_OBJECT, false, 0, address_fields, 3},
    {"phone", JF_STRING, false, 30, NULL, 0},
    {"protected_identity", JF_BOOL, false, 0, NULL, 0},
};

static void
violated(const char *what)
{
	fprintf(stderr, "fuzz_json: invariant violated: %s\n", what);
	abort();
}

/* A string value written with json_str must read back as the same string. */
static void
round_trip(const char *s)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	json_str(&sb, s);
	if (sb.err)
		violated("json_str hit the limit");
	json_error_t jerr;
	json_t *v = json_loads(sb.buf, JSON_DECODE_ANY, &jerr);
	if (!v || !json_is_string(v) || strcmp(json_string_value(v), s) != 0)
		violated("json_str output does not read back as the input");
	/* The HTML-significant characters never appear raw. */
	if (strpbrk(sb.buf, "<>&"))
		violated("json_str left < > or & raw");
	json_decref(v);
	sb_release(&sb);
}

/* Round-trips every string value of obj, one level into objects. */
static void
round_trip_values(json_t *obj, int depth)
{
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val)
	{
		round_trip(key);
		if (json_is_string(val))
			round_trip(json_string_value(val));
		else if (json_is_object(val) && depth < 2)
			round_trip_values(val, depth + 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct field_errors fe;
	json_t *out = NULL;
	int rc = json_decode_object((const char *)data, size, person_fields,
	                            sizeof person_fields / sizeof person_fields[0], &fe, &out);
	if (rc == 0) {
		if (!out || !json_is_object(out) || fe.n != 0)
			violated("success without an object or with errors");
		if (!json_is_string(json_object_get(out, "personnummer")))
			violated("required personnummer missing on success");
		round_trip_values(out, 0);
		json_decref(out);
		return 0;
	}
	if (rc != HERR_MALFORMED && rc != HERR_INVALID)
		violated("unexpected return code");
	if (out)
		violated("output written on failure");
	if (fe.n < 1 || fe.n > FIELD_ERRORS_MAX)
		violated("failure without a field error");
	if (rc == HERR_MALFORMED && (fe.n != 1 || fe.items[0].field[0] != '\0'))
		violated("malformed body not reported on the field \"\"");
	for (int i = 0; i < fe.n; i++) {
		if (!memchr(fe.items[i].field, '\0', sizeof fe.items[i].field) ||
		    !memchr(fe.items[i].message, '\0', sizeof fe.items[i].message))
			violated("field error not terminated");
		if (!fe.items[i].message[0])
			violated("empty field error message");
		/* An unknown key "" is reported on the field "" (the body's own slot). */
		if (rc == HERR_INVALID && !fe.items[i].field[0] &&
		    strcmp(fe.items[i].message, "okänt fält") != 0)
			violated("field error without a field");
		/*
		 * Not checked yet: that json_str(field) reads back. json.c truncates a long
		 * dotted path to 63 bytes, which can split a UTF-8 character.
		 */
	}
	return 0;
}
