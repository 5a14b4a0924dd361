/*
 * The JSON request decoder (ARCHITECTURE.md, HTTP and pages): a body is parsed with jansson
 * and checked against a field list, field by field; unknown fields, wrong types, missing
 * required fields and over-long strings become field errors that name the field.
 */
#ifndef HANNA_JSON_H
#define HANNA_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf;

enum jf_type { JF_STRING = 1, JF_INT, JF_BOOL, JF_OBJECT, JF_DATE, JF_ARRAY };

struct jfield {
	const char *name;         /* JSON key */
	enum jf_type type;        /* expected type */
	bool required;            /* missing is an error */
	size_t max_len;           /* strings: the longest accepted, in bytes (0: 200) */
	const struct jfield *sub; /* JF_OBJECT, JF_ARRAY: the (item) object's fields */
	size_t nsub;              /* number of entries in sub */
	/* JF_ARRAY: items are objects checked against sub; max_len is the most items (0: 50) */
};

#define FIELD_ERRORS_MAX 16

struct field_error {
	char field[64];    /* dotted path, e.g. "address.city" */
	char message[160]; /* Swedish, plain */
};

struct field_errors {
	struct field_error items[FIELD_ERRORS_MAX]; /* the first errors found */
	int n;                                      /* how many are set */
};

/* Records an error for a field; extra ones past FIELD_ERRORS_MAX are dropped. */
void field_error_add(struct field_errors *fe, const char *field, const char *message);

/*
 * Parses len bytes of body as one JSON object and checks it against fields. Returns 0 and
 * *out, HERR_MALFORMED when it is not valid JSON or not an object (fe says why, with field
 * ""), or HERR_INVALID with field errors. Caller frees *out with json_decref().
 */
int json_decode_object(const char *body, size_t len, const struct jfield *fields, size_t nfields,
                       struct field_errors *fe /* out */, json_t **out /* out */);

/* Accessors over a decoded object: NULL, 0 or dflt when absent or JSON null. */
const char *json_get_str(const json_t *obj, const char *key);
long long json_get_int(const json_t *obj, const char *key, long long dflt);
bool json_get_bool(const json_t *obj, const char *key, bool dflt);
bool json_has(const json_t *obj, const char *key);

/* Appends s as a JSON string literal, quotes included (json_str of STYLE.md rule 12). */
void json_str(struct strbuf *sb, const char *s);

#endif
