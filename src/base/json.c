/*
 * The JSON request decoder and string escaping; see json.h.
 */
#include "json.h"

#include <stdio.h>
#include <string.h>

#include "err.h"
#include "strbuf.h"
#include "timeutil.h"

void
field_error_add(struct field_errors *fe, const char *field, const char *message)
{
	if (fe->n >= FIELD_ERRORS_MAX)
		return;
	struct field_error *e = &fe->items[fe->n++];
	snprintf(e->field, sizeof e->field, "%s", field);
	snprintf(e->message, sizeof e->message, "%s", message);
}

/* Writes prefix.name into out; a path that does not fit is cut on a UTF-8 character
 * boundary, so that the error stays valid UTF-8. */
static void
path_of(char *out, size_t n, const char *prefix, const char *name)
{
	int len;
	if (prefix && *prefix)
		len = snprintf(out, n, name[0] == '[' ? "%s%s" : "%s.%s", prefix, name);
	else
		len = snprintf(out, n, "%s", name);
	if (len >= 0 && (size_t)len >= n) {
		size_t end = n - 1;
		while (end > 0 && ((unsigned char)out[end] & 0xC0) == 0x80)
			end--;
		out[end] = '\0';
	}
}

static const struct jfield *
find_field(const struct jfield *fields, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(fields[i].name, key) == 0)
			return &fields[i];
	return NULL;
}

static void
check_object(json_t *obj, const struct jfield *fields, size_t n, const char *prefix,
             struct field_errors *fe)
{
	char path[64];
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val)
	{
		path_of(path, sizeof path, prefix, key);
		const struct jfield *f = find_field(fields, n, key);
		if (!f) {
			field_error_add(fe, path, "okänt fält");
			continue;
		}
		if (json_is_null(val)) {
			if (f->required)
				field_error_add(fe, path, "får inte vara tomt");
			continue;
		}
		switch (f->type) {
		case JF_STRING:
		case JF_DATE: {
			if (!json_is_string(val)) {
				field_error_add(fe, path, "ska vara en textsträng");
				break;
			}
			size_t max = f->max_len ? f->max_len : 200;
			const char *s = json_string_value(val);
			size_t len = json_string_length(val);
			if (len > max)
				field_error_add(fe, path, "är för långt");
			else if (strlen(s) != len)
				field_error_add(fe, path, "innehåller otillåtna tecken");
			else if (f->required && len == 0)
				field_error_add(fe, path, "får inte vara tomt");
			else if (f->type == JF_DATE && len) {
				int y, m, d;
				if (time_parse_date(s, &y, &m, &d) != 0)
					field_error_add(fe, path, "ska vara ett datum ÅÅÅÅ-MM-DD");
			}
			break;
		}
		case JF_INT:
			if (!json_is_integer(val))
				field_error_add(fe, path, "ska vara ett heltal");
			break;
		case JF_BOOL:
			if (!json_is_boolean(val))
				field_error_add(fe, path, "ska vara true eller false");
			break;
		case JF_OBJECT:
			if (!json_is_object(val))
				field_error_add(fe, path, "ska vara ett objekt");
			else
				check_object(val, f->sub, f->nsub, path, fe);
			break;
		case JF_ARRAY: {
			if (!json_is_array(val)) {
				field_error_add(fe, path, "ska vara en lista");
				break;
			}
			size_t max = f->max_len ? f->max_len : 50;
			if (json_array_size(val) > max) {
				field_error_add(fe, path, "har för många poster");
				break;
			}
			size_t i;
			json_t *item;
			json_array_foreach(val, i, item)
			{
				char idx[24], ipath[64];
				snprintf(idx, sizeof idx, "[%zu]", i);
				path_of(ipath, sizeof ipath, path, idx);
				if (!json_is_object(item))
					field_error_add(fe, ipath, "ska vara ett objekt");
				else
					check_object(item, f->sub, f->nsub, ipath, fe);
			}
			break;
		}
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (fields[i].required && !json_object_get(obj, fields[i].name)) {
			path_of(path, sizeof path, prefix, fields[i].name);
			field_error_add(fe, path, "saknas");
		}
	}
}

int
json_decode_object(const char *body, size_t len, const struct jfield *fields, size_t nfields,
                   struct field_errors *fe, json_t **out)
{
	json_error_t jerr;
	fe->n = 0;
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		char msg[160];
		snprintf(msg, sizeof msg, "ogiltig JSON på rad %d, kolumn %d", jerr.line,
		         jerr.column);
		field_error_add(fe, "", msg);
		return HERR_MALFORMED;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		field_error_add(fe, "", "kroppen ska vara ett JSON-objekt");
		return HERR_MALFORMED;
	}
	check_object(root, fields, nfields, "", fe);
	if (fe->n) {
		json_decref(root);
		return HERR_INVALID;
	}
	*out = root;
	return 0;
}

const char *
json_get_str(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

long long
json_get_int(const json_t *obj, const char *key, long long dflt)
{
	const json_t *v = json_object_get(obj, key);
	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

bool
json_get_bool(const json_t *obj, const char *key, bool dflt)
{
	const json_t *v = json_object_get(obj, key);
	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

bool
json_has(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	return v && !json_is_null(v);
}

void
json_str(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	sb_addc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		switch (c) {
		case '"':
			sb_adds(sb, "\\\"");
			break;
		case '\\':
			sb_adds(sb, "\\\\");
			break;
		case '\n':
			sb_adds(sb, "\\n");
			break;
		case '\r':
			sb_adds(sb, "\\r");
			break;
		case '\t':
			sb_adds(sb, "\\t");
			break;
		default:
			if (c < 0x20 || c == '<' || c == '>' || c == '&') {
				char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
				sb_add(sb, u, 6);
			} else {
				sb_addc(sb, (char)c);
			}
		}
	}
	sb_addc(sb, '"');
}
