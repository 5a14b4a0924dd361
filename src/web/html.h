/*
 * The HTML writer (STYLE.md rules 12-13, ARCHITECTURE.md "HTTP and pages"). Every value is
 * escaped at the moment it is written, by context: html_text for element content and
 * attribute values, html_url_component for a piece of a URL. Raw markup goes only through
 * HTML_RAW, which accepts nothing but a string literal, so request data cannot slip through
 * unescaped (cgit html.c). Forms are generated from a field list that also reads and
 * validates the posted values, so a form and its validation cannot drift apart.
 *
 * The page frame (head, header with user and navigation, main, footer) is in layout.c.
 */
#ifndef HANNA_HTML_H
#define HANNA_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"

struct req;

/* Appends literal markup. The "" lit concatenation refuses anything but a string literal. */
#define HTML_RAW(sb, lit) sb_add((sb), "" lit, sizeof(lit) - 1)

/* Appends s as element text with & < > " ' escaped; invalid UTF-8 and control characters
 * (other than tab and newline) become U+FFFD. NULL writes nothing. */
void html_text(struct strbuf *sb, const char *s);
/* Appends a personal identity number stored as twelve digits as YYYYMMDD-NNNN, escaped; other
 * text (a number in the making, a coordination number written otherwise) escaped as it is. */
void html_pnr(struct strbuf *sb, const char *digits);
/* The same escaping, for a value inside a double-quoted attribute. */
void html_attr(struct strbuf *sb, const char *s);
/* Appends s percent-encoded for a path segment or query value (RFC 3986 unreserved kept). */
void html_url_component(struct strbuf *sb, const char *s);
/* Appends a decimal integer (never needs escaping). */
void html_int(struct strbuf *sb, int64_t v);

/* ---- forms generated from a field list (STYLE.md rule 13) ------------------------------- */

enum form_type {
	FORM_TEXT = 1, /* <input type="text"> */
	FORM_PASSWORD, /* <input type="password">; the value is never written back */
	FORM_SEARCH,   /* <input type="search"> */
	FORM_TEL,      /* <input type="tel"> */
	FORM_NUMERIC,  /* <input type="text" pattern="[0-9]*"> (a digit keypad), digits only */
	FORM_CHECKBOX, /* <input type="checkbox" value="1">; required means it must be ticked */
};

struct form_field {
	const char *name;         /* form field name; also the field-error key (may hold dots) */
	const char *label;        /* Swedish label text */
	enum form_type type;      /* how it is rendered and checked */
	bool required;            /* empty (only white space) is an error */
	size_t maxlen;            /* longest accepted value in bytes (0: 200) */
	const char *autocomplete; /* autocomplete token, NULL for none */
	const char *hint;         /* help text shown under the label, NULL for none */
};

#define FORM_MAX_FIELDS 16

/*
 * Reads the posted values of the n fields from r->form into values[0..n-1] and checks them:
 * required, maximum length, valid UTF-8 without control characters, digits for FORM_NUMERIC.
 * A missing text field reads as "", a checkbox as "" or "1". Problems become field errors in
 * r->fe named by the field. Returns 0, or HERR_INVALID when some field failed.
 * The values are borrowed until the request ends.
 */
int form_read(struct req *r, const struct form_field *fields, size_t n,
              const char **values /* out: n entries */);
/* The same checks over query arguments (GET forms). */
int form_read_query(struct req *r, const struct form_field *fields, size_t n,
                    const char **values /* out: n entries */);

/* The id of a field's input: "f-" and the name with '.' as '-'. */
void form_field_id(struct strbuf *sb, const struct form_field *f);

/*
 * Renders the labelled inputs for the fields with values (NULL: empty); when r->fe holds an
 * error for a field, its text is written next to the field, tied to it by aria-describedby,
 * and the input is marked aria-invalid.
 */
void form_fields_html(struct strbuf *sb, const struct req *r, const struct form_field *fields,
                      size_t n, const char *const *values);
/*
 * When r->fe holds errors, renders a summary box listing them, each linked to its field (or as
 * plain text for errors that name no field of the list).
 */
void form_error_summary(struct strbuf *sb, const struct req *r, const struct form_field *fields,
                        size_t n);
/* The hidden CSRF field of the logged-in user's session; nothing when not logged in. */
void form_csrf(struct strbuf *sb, const struct req *r);
/* The first field error recorded for name, or NULL. */
const char *form_error_for(const struct req *r, const char *name);

/* ---- the page frame (layout.c) ----------------------------------------------------------- */

/*
 * Starts a page: doctype, head with title ("title – Hanna"), skip link, header with the
 * municipality and, when logged in, the user, role titles, logout form and the navigation
 * that the user's roles allow; then opens <main id="innehall">. current is the path of the
 * nav entry to mark as the current page, NULL for none.
 */
void web_layout_begin(struct strbuf *sb, const struct req *r, const char *title,
                      const char *current);
/* Closes main, writes the footer and closes the document. */
void web_layout_end(struct strbuf *sb, const struct req *r);
/*
 * Ends the page (web_layout_end) and sets it as the HTML response with status; takes the text
 * of sb. When the buffer hit its limit, answers with HERR_INTERNAL instead: return the result.
 */
int web_respond(struct req *r, int status, struct strbuf *sb);

#endif
