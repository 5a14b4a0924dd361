/*
 * The HTML writer and the form helpers; see html.h (STYLE.md rules 12-13). Escaping happens
 * here and nowhere else: page code writes literal markup with HTML_RAW and every value
 * through html_text, html_attr, html_url_component or html_int.
 */
#include "html.h"

#include <string.h>

#include "base/err.h"
#include "base/json.h"
#include "http/http.h"

/* "\xEF\xBF\xBD", the replacement character U+FFFD. */
static const char replacement[] = "\xef\xbf\xbd";

/*
 * The length of the well-formed UTF-8 sequence at s (1-4), or 0 when the bytes there are not
 * one (overlong forms, surrogates and code points past U+10FFFF are refused). Pure.
 */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		unsigned char lo = c == 0xe0 ? 0xa0 : 0x80;
		unsigned char hi = c == 0xed ? 0x9f : 0xbf;
		if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned char lo = c == 0xf0 ? 0x90 : 0x80;
		unsigned char hi = c == 0xf4 ? 0x8f : 0xbf;
		if (s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

/* Whether the byte is a control character HTML must not carry (tab and newline pass). */
static bool
is_bad_control(unsigned char c)
{
	return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
}

void
html_text(struct strbuf *sb, const char *s)
{
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *run = p; /* start of the bytes not yet written */
	while (*p) {
		const char *esc = NULL;
		size_t skip = 1;
		switch (*p) {
		case '&':
			esc = "&amp;";
			break;
		case '<':
			esc = "&lt;";
			break;
		case '>':
			esc = "&gt;";
			break;
		case '"':
			esc = "&quot;";
			break;
		case '\'':
			esc = "&#39;";
			break;
		default:
			if (is_bad_control(*p)) {
				esc = replacement;
			} else if (*p >= 0x80) {
				skip = utf8_len(p);
				if (skip == 0) {
					esc = replacement;
					skip = 1;
				}
			}
		}
		if (esc) {
			sb_add(sb, run, (size_t)(p - run));
			sb_adds(sb, esc);
			p += skip;
			run = p;
		} else {
			p += skip;
		}
	}
	sb_add(sb, run, (size_t)(p - run));
}

void
html_attr(struct strbuf *sb, const char *s)
{
	html_text(sb, s);
}

void
html_url_component(struct strbuf *sb, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			sb_addc(sb, (char)c);
		} else {
			sb_addc(sb, '%');
			sb_addc(sb, hex[c >> 4]);
			sb_addc(sb, hex[c & 15]);
		}
	}
}

void
html_int(struct strbuf *sb, int64_t v)
{
	sb_addi(sb, v);
}

/* ---- forms -------------------------------------------------------------------------- */

const char *
form_error_for(const struct req *r, const char *name)
{
	for (int i = 0; i < r->fe.n; i++)
		if (strcmp(r->fe.items[i].field, name) == 0)
			return r->fe.items[i].message;
	return NULL;
}

void
form_field_id(struct strbuf *sb, const struct form_field *f)
{
	HTML_RAW(sb, "f-");
	for (const char *p = f->name; *p; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || c == '_' || c == '-';
		sb_addc(sb, ok ? c : '-');
	}
}

/* Whether s is only white space (or empty). */
static bool
blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* Checks one value against its field; adds a field error and returns false on failure. */
static bool
check_value(struct req *r, const struct form_field *f, const char *v)
{
	size_t max = f->maxlen ? f->maxlen : 200;
	size_t len = strlen(v);
	if (f->type == FORM_CHECKBOX) {
		if (f->required && strcmp(v, "1") != 0) {
			field_error_add(&r->fe, f->name, "måste kryssas i");
			return false;
		}
		return true;
	}
	if (blank(v)) {
		if (f->required) {
			field_error_add(&r->fe, f->name, "måste fyllas i");
			return false;
		}
		return true;
	}
	if (len > max) {
		field_error_add(&r->fe, f->name, "texten är för lång");
		return false;
	}
	for (const unsigned char *p = (const unsigned char *)v; *p;) {
		size_t k = utf8_len(p);
		if (k == 0 || (k == 1 && is_bad_control(*p)) || *p == '\n' || *p == '\t') {
			field_error_add(&r->fe, f->name, "innehåller otillåtna tecken");
			return false;
		}
		p += k;
	}
	if (f->type == FORM_NUMERIC) {
		for (const char *p = v; *p; p++) {
			if (*p < '0' || *p > '9') {
				field_error_add(&r->fe, f->name, "får bara innehålla siffror");
				return false;
			}
		}
	}
	return true;
}

/* form_read over either the form fields or the query arguments. */
static int
read_fields(struct req *r, const struct form_field *fields, size_t n, const char **values,
            bool query)
{
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		const struct form_field *f = &fields[i];
		const char *v = query ? req_query(r, f->name) : req_form(r, f->name);
		if (!v)
			v = "";
		if (f->type == FORM_CHECKBOX && *v)
			v = "1";
		values[i] = v;
		if (!check_value(r, f, v))
			ok = false;
	}
	return ok ? 0 : REQ_FAIL(r, HERR_INVALID);
}

int
form_read(struct req *r, const struct form_field *fields, size_t n, const char **values)
{
	return read_fields(r, fields, n, values, false);
}

int
form_read_query(struct req *r, const struct form_field *fields, size_t n, const char **values)
{
	return read_fields(r, fields, n, values, true);
}

/* The ids referenced by aria-describedby: "<id>-hint" and "<id>-fel". */
static void
described_by(struct strbuf *sb, const struct form_field *f, bool err)
{
	if (!f->hint && !err)
		return;
	HTML_RAW(sb, " aria-describedby=\"");
	if (f->hint) {
		form_field_id(sb, f);
		HTML_RAW(sb, "-hint");
	}
	if (f->hint && err)
		HTML_RAW(sb, " ");
	if (err) {
		form_field_id(sb, f);
		HTML_RAW(sb, "-fel");
	}
	HTML_RAW(sb, "\"");
}

static void
input_type(struct strbuf *sb, enum form_type t)
{
	switch (t) {
	case FORM_PASSWORD:
		HTML_RAW(sb, "password");
		break;
	case FORM_SEARCH:
		HTML_RAW(sb, "search");
		break;
	case FORM_TEL:
		HTML_RAW(sb, "tel");
		break;
	case FORM_CHECKBOX:
		HTML_RAW(sb, "checkbox");
		break;
	case FORM_TEXT:
	case FORM_NUMERIC:
	default:
		HTML_RAW(sb, "text");
		break;
	}
}

/* The hint and error paragraphs of a field. */
static void
hint_and_error(struct strbuf *sb, const struct form_field *f, const char *err)
{
	if (f->hint) {
		HTML_RAW(sb, "<p class=\"hint\" id=\"");
		form_field_id(sb, f);
		HTML_RAW(sb, "-hint\">");
		html_text(sb, f->hint);
		HTML_RAW(sb, "</p>\n");
	}
	if (err) {
		HTML_RAW(sb, "<p class=\"field-error\" id=\"");
		form_field_id(sb, f);
		HTML_RAW(sb, "-fel\"><span class=\"visually-hidden\">Fel: </span>");
		html_text(sb, err);
		HTML_RAW(sb, "</p>\n");
	}
}

/* The <input> element of a field. */
static void
input_html(struct strbuf *sb, const struct form_field *f, const char *value, const char *err)
{
	HTML_RAW(sb, "<input id=\"");
	form_field_id(sb, f);
	HTML_RAW(sb, "\" name=\"");
	html_attr(sb, f->name);
	HTML_RAW(sb, "\" type=\"");
	input_type(sb, f->type);
	HTML_RAW(sb, "\"");
	if (f->type == FORM_CHECKBOX) {
		HTML_RAW(sb, " value=\"1\"");
		if (value && strcmp(value, "1") == 0)
			HTML_RAW(sb, " checked");
	} else {
		if (f->type != FORM_PASSWORD && value && *value) {
			HTML_RAW(sb, " value=\"");
			html_attr(sb, value);
			HTML_RAW(sb, "\"");
		}
		HTML_RAW(sb, " maxlength=\"");
		html_int(sb, (int64_t)(f->maxlen ? f->maxlen : 200));
		HTML_RAW(sb, "\"");
		if (f->type == FORM_NUMERIC)
			HTML_RAW(sb, " pattern=\"[0-9]*\"");
		if (f->autocomplete) {
			HTML_RAW(sb, " autocomplete=\"");
			html_attr(sb, f->autocomplete);
			HTML_RAW(sb, "\"");
		}
		if (f->type == FORM_TEXT || f->type == FORM_NUMERIC || f->type == FORM_SEARCH)
			HTML_RAW(sb, " spellcheck=\"false\"");
	}
	if (f->required)
		HTML_RAW(sb, " required");
	if (err)
		HTML_RAW(sb, " aria-invalid=\"true\"");
	described_by(sb, f, err != NULL);
	HTML_RAW(sb, ">\n");
}

void
form_fields_html(struct strbuf *sb, const struct req *r, const struct form_field *fields, size_t n,
                 const char *const *values)
{
	for (size_t i = 0; i < n; i++) {
		const struct form_field *f = &fields[i];
		const char *v = values ? values[i] : NULL;
		const char *err = form_error_for(r, f->name);
		if (f->type == FORM_CHECKBOX) {
			HTML_RAW(sb, "<div class=\"field checkbox");
			if (err)
				HTML_RAW(sb, " has-error");
			HTML_RAW(sb, "\">\n");
			input_html(sb, f, v, err);
			HTML_RAW(sb, "<label for=\"");
			form_field_id(sb, f);
			HTML_RAW(sb, "\">");
			html_text(sb, f->label);
			HTML_RAW(sb, "</label>\n");
			hint_and_error(sb, f, err);
			HTML_RAW(sb, "</div>\n");
			continue;
		}
		HTML_RAW(sb, "<div class=\"field");
		if (err)
			HTML_RAW(sb, " has-error");
		HTML_RAW(sb, "\">\n<label for=\"");
		form_field_id(sb, f);
		HTML_RAW(sb, "\">");
		html_text(sb, f->label);
		if (!f->required)
			HTML_RAW(sb, " <span class=\"optional\">(frivilligt)</span>");
		HTML_RAW(sb, "</label>\n");
		hint_and_error(sb, f, err);
		input_html(sb, f, v, err);
		HTML_RAW(sb, "</div>\n");
	}
}

/* One entry of the error summary: linked to its field when it has one. */
static void
summary_item(struct strbuf *sb, const struct form_field *f, const char *message)
{
	HTML_RAW(sb, "<li>");
	if (f) {
		HTML_RAW(sb, "<a href=\"#");
		form_field_id(sb, f);
		HTML_RAW(sb, "\">");
		html_text(sb, f->label);
		HTML_RAW(sb, ": ");
		html_text(sb, message);
		HTML_RAW(sb, "</a>");
	} else {
		html_text(sb, message);
	}
	HTML_RAW(sb, "</li>\n");
}

void
form_error_summary(struct strbuf *sb, const struct req *r, const struct form_field *fields,
                   size_t n)
{
	if (r->fe.n == 0)
		return;
	HTML_RAW(sb, "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"felrubrik\">\n"
	             "<h2 id=\"felrubrik\">Något behöver rättas</h2>\n<ul>\n");
	/* Errors that name no field of the list first, then the fields in form order. */
	for (int i = 0; i < r->fe.n; i++) {
		bool known = false;
		for (size_t j = 0; j < n && !known; j++)
			known = strcmp(fields[j].name, r->fe.items[i].field) == 0;
		if (!known)
			summary_item(sb, NULL, r->fe.items[i].message);
	}
	for (size_t j = 0; j < n; j++) {
		const char *msg = form_error_for(r, fields[j].name);
		if (msg)
			summary_item(sb, &fields[j], msg);
	}
	HTML_RAW(sb, "</ul>\n</div>\n");
}

void
form_csrf(struct strbuf *sb, const struct req *r)
{
	if (!r->logged_in || !r->who.csrf[0])
		return;
	HTML_RAW(sb, "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_attr(sb, r->who.csrf);
	HTML_RAW(sb, "\">\n");
}

void
html_pnr(struct strbuf *sb, const char *digits)
{
	if (strlen(digits) != 12) {
		html_text(sb, digits);
		return;
	}
	char out[14];
	memcpy(out, digits, 8);
	out[8] = '-';
	memcpy(out + 9, digits + 8, 4);
	out[13] = '\0';
	html_text(sb, out);
}
