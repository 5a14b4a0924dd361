/*
 * Pages of the authority process (issue 3; ARCHITECTURE.md, HTTP and pages): the citizen's and
 * the representative's Mina sidor, the application form with its receipt, the caseworker's work
 * queue with the new cases to take, and the case view with its parts: the application, the
 * investigation (IBIC assessments), the journal, the decisions and the timeline.
 *
 * Every change runs through the same function as its JSON route (api_private.h), so the
 * authorisation, the checks and the audit are the route's own; a page that shows a person's
 * data writes the audit records the matching JSON read writes (the case view: one read of
 * entity "case"; a list: one list record per case). Forms need no JavaScript: a POST answers
 * 303 back to its part of the case, or the page again with the errors next to the fields and a
 * summary on top (400, 403, 409, 422).
 *
 * html.h's field lists know single-line inputs and checkboxes; the forms here also need text
 * areas, selects, radio groups, dates and hidden ids, so this file has a small field list of
 * its own (struct cfield) that renders and checks those the same way, by the same rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_private.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "base/calendar.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cases.h"
#include "cases_pages.h"
#include "files/files.h"
#include "files/files_api.h"
#include "db/db.h"
#include "http/http.h"
#include "people/people.h"
#include "providers/providers_pages.h"
#include "report.h"
#include "visits/visits_pages.h"
#include "web/html.h"

#define LIST_LIMIT 100    /* cases in one list of a page */
#define PRINCIPALS_MAX 20 /* persons a representative's pages show */
#define CATALOGUE_MAX 64  /* services of the catalogue the forms offer */

/* ---- small helpers --------------------------------------------------------------------- */

/* Copies a posted text without the carriage returns browsers put before line breaks. The
 * field's check has made sure it fits. */
static void
copy_text(char *dst, size_t n, const char *s)
{
	size_t j = 0;
	for (; s && *s && j + 1 < n; s++)
		if (*s != '\r')
			dst[j++] = *s;
	dst[j] = '\0';
}

/* Appends an instant as local time in Europe/Stockholm (the process TZ), to the minute, in a
 * <time> element. */
static void
time_html(struct strbuf *sb, int64_t at)
{
	time_t t = (time_t)at;
	struct tm tm;
	char buf[32];
	HTML_RAW(sb, "<time datetime=\"");
	time_rfc3339(sb, at);
	HTML_RAW(sb, "\">");
	if (localtime_r(&t, &tm) && strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm) != 0)
		html_text(sb, buf);
	else
		html_int(sb, at);
	HTML_RAW(sb, "</time>");
}

/* Appends a message of the rules (lower case, as the API gives it) as a sentence: its first
 * letter in upper case, for a-z and å, ä, ö. */
static void
sentence_html(struct strbuf *sb, const char *msg)
{
	const unsigned char *m = (const unsigned char *)msg;
	char first[3] = {0};
	if (m[0] >= 'a' && m[0] <= 'z') {
		first[0] = (char)(m[0] - 'a' + 'A');
		msg += 1;
	} else if (m[0] == 0xc3 && (m[1] == 0xa4 || m[1] == 0xa5 || m[1] == 0xb6)) {
		first[0] = (char)0xc3;
		first[1] = (char)(m[1] - 0x20);
		msg += 2;
	}
	html_text(sb, first);
	html_text(sb, msg);
}

static const char *
outcome_title(const char *outcome)
{
	if (strcmp(outcome, "granted") == 0)
		return "Bifall";
	if (strcmp(outcome, "partly_granted") == 0)
		return "Delvis bifall";
	if (strcmp(outcome, "refused") == 0)
		return "Avslag";
	return outcome;
}

static const char *
life_area_title(const char *code)
{
	for (int i = 0; i < cases_nlife_areas; i++)
		if (strcmp(cases_life_areas[i].code, code) == 0)
			return cases_life_areas[i].title;
	return code;
}

/* Whether the investigation's due date still runs for a case in this state. */
static bool
due_runs(const char *state)
{
	return strcmp(state, "received") == 0 || strcmp(state, "investigation") == 0;
}

/* The due date, marked when it has passed while the investigation still runs. */
static void
due_html(struct strbuf *sb, const struct case_row *cs, const char *today)
{
	html_text(sb, cs->due_date);
	if (due_runs(cs->state) && strcmp(cs->due_date, today) < 0)
		HTML_RAW(sb, " <span class=\"badge badge-late\">Försenad</span>");
}

/* ---- the catalogue --------------------------------------------------------------------- */

struct catalogue {
	struct service s[CATALOGUE_MAX]; /* the active services, in catalogue order */
	int n;                           /* entries used */
};

static void
catalogue_add(const struct service *sv, void *arg)
{
	struct catalogue *cat = arg;
	if (cat->n < CATALOGUE_MAX)
		cat->s[cat->n++] = *sv;
}

/* Caller frees *out with free(). */
static int
catalogue_load(struct db_conn *c, int64_t tenant, struct catalogue **out)
{
	struct catalogue *cat = xcalloc(1, sizeof *cat);
	int rc = cases_services(c, tenant, catalogue_add, cat);
	if (rc) {
		free(cat);
		return rc;
	}
	*out = cat;
	return 0;
}

static const struct service *
catalogue_find(const struct catalogue *cat, const char *code)
{
	for (int i = 0; i < cat->n; i++)
		if (strcmp(cat->s[i].code, code) == 0)
			return &cat->s[i];
	return NULL;
}

/* The Swedish name of a service; its code when it has left the catalogue. */
static const char *
service_name(const struct catalogue *cat, const char *code)
{
	const struct service *sv = catalogue_find(cat, code);
	return sv ? sv->name : code;
}

static bool
hourly(const struct service *sv)
{
	return strcmp(sv->measure, "hours_per_month") == 0;
}

/* ---- form fields beyond html.h (STYLE.md rule 13) ---------------------------------------- */

enum cf_kind {
	CF_TEXT = 1,  /* one line of text */
	CF_NUMBER,    /* digits only: <input type="text" pattern="[0-9]*"> */
	CF_DATE,      /* <input type="date">, YYYY-MM-DD */
	CF_TEXTAREA,  /* several lines */
	CF_SELECT,    /* one of opts; without opts an id (digits) the caller checks */
	CF_RADIO,     /* one of opts, as a group of radio buttons */
	CF_CHECKBOX,  /* "" or "1" */
	CF_HIDDEN,    /* a hidden value of one line */
	CF_HIDDEN_ID, /* a hidden id: digits */
	CF_GROUP,     /* opens a <fieldset> with the label as legend; holds no value */
	CF_FILE,      /* <input type="file">: the request's one upload (R_UPLOAD routes); its
	               * value is the file's name, checked by the files module when stored */
};

struct cf_option {
	const char *value; /* the posted value */
	const char *label; /* Swedish text */
};

struct cfield {
	const char *name;             /* form field name; also the field-error key */
	const char *label;            /* Swedish label, or legend for radios and groups */
	enum cf_kind kind;            /* how it is rendered and checked */
	bool required;                /* empty (only white space) is an error */
	size_t maxlen;                /* longest accepted value in bytes (0: 200) */
	const char *hint;             /* help text under the label, NULL for none */
	const struct cf_option *opts; /* CF_SELECT, CF_RADIO: the choices */
	int nopts;                    /* entries in opts */
};

/* Whether s is only white space (or empty). */
static bool
blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* Whether s is well-formed UTF-8 without control characters; several lines may also hold line
 * breaks and tabs. Overlong forms, surrogates and code points past U+10FFFF are refused. */
static bool
text_ok(const char *s, bool lines)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned char c = *p;
		if (c < 0x80) {
			bool ctl = c < 0x20 || c == 0x7f;
			if (ctl && !(lines && (c == '\n' || c == '\r' || c == '\t')))
				return false;
			p++;
			continue;
		}
		size_t n;
		unsigned char lo = 0x80, hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf) {
			n = 2;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 3;
			lo = c == 0xe0 ? 0xa0 : 0x80;
			hi = c == 0xed ? 0x9f : 0xbf;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 4;
			lo = c == 0xf0 ? 0x90 : 0x80;
			hi = c == 0xf4 ? 0x8f : 0xbf;
		} else {
			return false;
		}
		if (p[1] < lo || p[1] > hi)
			return false;
		for (size_t i = 2; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return false;
		p += n;
	}
	return true;
}

/* The length of a posted text as stored: without carriage returns. */
static size_t
text_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s != '\r';
	return n;
}

static bool
digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Checks one value against its field: NULL when it passes, else the Swedish message. */
static const char *
cf_check(const struct cfield *f, const char *v)
{
	bool choice = f->kind == CF_SELECT || f->kind == CF_RADIO;
	if (!*v) {
		if (!f->required)
			return NULL;
		if (f->kind == CF_CHECKBOX)
			return "måste kryssas i";
		return choice ? "välj ett av alternativen" : "måste fyllas i";
	}
	if (f->kind == CF_CHECKBOX)
		return NULL;
	if (text_len(v) > (f->maxlen ? f->maxlen : 200))
		return "texten är för lång";
	if (!text_ok(v, f->kind == CF_TEXTAREA))
		return "innehåller otillåtna tecken";
	switch (f->kind) {
	case CF_NUMBER:
	case CF_HIDDEN_ID:
		return digits(v) ? NULL : "får bara innehålla siffror";
	case CF_DATE: {
		int32_t day;
		if (strlen(v) != 10 || cal_parse(v, &day) != 0)
			return "ange datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-01";
		return NULL;
	}
	case CF_SELECT:
	case CF_RADIO:
		if (!f->opts)
			return digits(v) ? NULL : "välj ett av alternativen";
		for (int i = 0; i < f->nopts; i++)
			if (strcmp(f->opts[i].value, v) == 0)
				return NULL;
		return "välj ett av alternativen";
	default:
		return NULL;
	}
}

/*
 * Reads the posted values of the n fields into v[0..n-1] and checks them. A missing field
 * reads as "", a checkbox as "" or "1", a value of only white space as "". Problems become
 * field errors in r->fe named by the field. Returns 0, or HERR_INVALID when some field failed.
 * The values are borrowed until the request ends.
 */
static int
cf_read_from(struct req *r, const struct cfield *f, int n, const char **v, bool query)
{
	bool ok = true;
	for (int i = 0; i < n; i++) {
		v[i] = "";
		if (f[i].kind == CF_GROUP)
			continue;
		if (f[i].kind == CF_FILE) {
			/* The browser sends an empty part with no name when nothing is chosen. */
			bool chosen = r->upload.present &&
			              strcmp(r->upload.field, f[i].name) == 0 &&
			              (r->upload.len || r->upload.filename[0]);
			v[i] = chosen ? r->upload.filename : "";
			if (!chosen && f[i].required) {
				field_error_add(&r->fe, f[i].name, "välj en fil");
				ok = false;
			}
			continue;
		}
		const char *s = query ? req_query(r, f[i].name) : req_form(r, f[i].name);
		if (!s || blank(s))
			s = "";
		if (f[i].kind == CF_CHECKBOX && *s)
			s = "1";
		v[i] = s;
		const char *err = cf_check(&f[i], s);
		if (err) {
			field_error_add(&r->fe, f[i].name, err);
			ok = false;
		}
	}
	return ok ? 0 : REQ_FAIL(r, HERR_INVALID);
}

static int
cf_read(struct req *r, const struct cfield *f, int n, const char **v)
{
	return cf_read_from(r, f, n, v, false);
}

/* The same for the arguments of a GET form (the query string). */
static int
cf_read_query(struct req *r, const struct cfield *f, int n, const char **v)
{
	return cf_read_from(r, f, n, v, true);
}

/* The id of a field's control: "f-", the scope (for a form shown more than once) and the name,
 * every character but letters, digits, '_' and '-' as '-'. */
static void
cf_id(struct strbuf *sb, const char *scope, const struct cfield *f)
{
	HTML_RAW(sb, "f-");
	const char *parts[2] = {scope ? scope : "", f->name};
	for (int k = 0; k < 2; k++) {
		for (const char *p = parts[k]; *p; p++) {
			char c = *p;
			bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			          (c >= '0' && c <= '9') || c == '_' || c == '-';
			sb_addc(sb, ok ? c : '-');
		}
	}
}

/* The target of a link to the field from the error summary. */
static void
cf_anchor(struct strbuf *sb, const char *scope, const struct cfield *f)
{
	cf_id(sb, scope, f);
	if (f->kind == CF_RADIO)
		HTML_RAW(sb, "-0");
}

static void
cf_described_by(struct strbuf *sb, const char *scope, const struct cfield *f, bool err)
{
	if (!f->hint && !err)
		return;
	HTML_RAW(sb, " aria-describedby=\"");
	if (f->hint) {
		cf_id(sb, scope, f);
		HTML_RAW(sb, "-hint");
	}
	if (f->hint && err)
		HTML_RAW(sb, " ");
	if (err) {
		cf_id(sb, scope, f);
		HTML_RAW(sb, "-fel");
	}
	HTML_RAW(sb, "\"");
}

static void
cf_hint_and_error(struct strbuf *sb, const char *scope, const struct cfield *f, const char *err)
{
	if (f->hint) {
		HTML_RAW(sb, "<p class=\"hint\" id=\"");
		cf_id(sb, scope, f);
		HTML_RAW(sb, "-hint\">");
		html_text(sb, f->hint);
		HTML_RAW(sb, "</p>\n");
	}
	if (err) {
		HTML_RAW(sb, "<p class=\"field-error\" id=\"");
		cf_id(sb, scope, f);
		HTML_RAW(sb, "-fel\"><span class=\"visually-hidden\">Fel: </span>");
		html_text(sb, err);
		HTML_RAW(sb, "</p>\n");
	}
}

/* The common attributes of a control: id, name, required, invalid, described by. */
static void
cf_attrs(struct strbuf *sb, const char *scope, const struct cfield *f, const char *err)
{
	HTML_RAW(sb, " id=\"");
	cf_id(sb, scope, f);
	HTML_RAW(sb, "\" name=\"");
	html_attr(sb, f->name);
	HTML_RAW(sb, "\"");
	if (f->required)
		HTML_RAW(sb, " required");
	if (err)
		HTML_RAW(sb, " aria-invalid=\"true\"");
	cf_described_by(sb, scope, f, err != NULL);
}

static void
cf_label(struct strbuf *sb, const char *scope, const struct cfield *f)
{
	HTML_RAW(sb, "<label for=\"");
	cf_id(sb, scope, f);
	HTML_RAW(sb, "\">");
	html_text(sb, f->label);
	if (!f->required && f->kind != CF_CHECKBOX)
		HTML_RAW(sb, " <span class=\"optional\">(frivilligt)</span>");
	HTML_RAW(sb, "</label>\n");
}

static void
cf_one(struct strbuf *sb, const struct req *r, const struct cfield *f, const char *v,
       const char *scope, bool errors)
{
	const char *err = errors ? form_error_for(r, f->name) : NULL;
	v = v ? v : "";
	switch (f->kind) {
	case CF_HIDDEN:
	case CF_HIDDEN_ID:
		HTML_RAW(sb, "<input type=\"hidden\" name=\"");
		html_attr(sb, f->name);
		HTML_RAW(sb, "\" value=\"");
		html_attr(sb, v);
		HTML_RAW(sb, "\">\n");
		return;
	case CF_GROUP:
		HTML_RAW(sb, "<fieldset class=\"group");
		if (err)
			HTML_RAW(sb, " has-error");
		HTML_RAW(sb, "\" id=\"");
		cf_id(sb, scope, f);
		HTML_RAW(sb, "\"");
		cf_described_by(sb, scope, f, err != NULL);
		HTML_RAW(sb, ">\n<legend>");
		html_text(sb, f->label);
		HTML_RAW(sb, "</legend>\n");
		cf_hint_and_error(sb, scope, f, err);
		return; /* the caller closes the fieldset */
	case CF_CHECKBOX:
		HTML_RAW(sb, "<div class=\"field checkbox");
		if (err)
			HTML_RAW(sb, " has-error");
		HTML_RAW(sb, "\">\n<input type=\"checkbox\" value=\"1\"");
		cf_attrs(sb, scope, f, err);
		if (strcmp(v, "1") == 0)
			HTML_RAW(sb, " checked");
		HTML_RAW(sb, ">\n");
		cf_label(sb, scope, f);
		cf_hint_and_error(sb, scope, f, err);
		HTML_RAW(sb, "</div>\n");
		return;
	case CF_RADIO:
		HTML_RAW(sb, "<fieldset class=\"field radios");
		if (err)
			HTML_RAW(sb, " has-error");
		HTML_RAW(sb, "\"");
		cf_described_by(sb, scope, f, err != NULL);
		HTML_RAW(sb, ">\n<legend>");
		html_text(sb, f->label);
		HTML_RAW(sb, "</legend>\n");
		cf_hint_and_error(sb, scope, f, err);
		for (int i = 0; i < f->nopts; i++) {
			HTML_RAW(sb, "<div class=\"radio\">\n<input type=\"radio\" id=\"");
			cf_id(sb, scope, f);
			HTML_RAW(sb, "-");
			html_int(sb, i);
			HTML_RAW(sb, "\" name=\"");
			html_attr(sb, f->name);
			HTML_RAW(sb, "\" value=\"");
			html_attr(sb, f->opts[i].value);
			HTML_RAW(sb, "\"");
			if (strcmp(v, f->opts[i].value) == 0)
				HTML_RAW(sb, " checked");
			if (f->required)
				HTML_RAW(sb, " required");
			HTML_RAW(sb, ">\n<label for=\"");
			cf_id(sb, scope, f);
			HTML_RAW(sb, "-");
			html_int(sb, i);
			HTML_RAW(sb, "\">");
			html_text(sb, f->opts[i].label);
			HTML_RAW(sb, "</label>\n</div>\n");
		}
		HTML_RAW(sb, "</fieldset>\n");
		return;
	default:
		break;
	}
	HTML_RAW(sb, "<div class=\"field");
	if (err)
		HTML_RAW(sb, " has-error");
	HTML_RAW(sb, "\">\n");
	cf_label(sb, scope, f);
	cf_hint_and_error(sb, scope, f, err);
	switch (f->kind) {
	case CF_TEXTAREA:
		HTML_RAW(sb, "<textarea rows=\"5\"");
		cf_attrs(sb, scope, f, err);
		HTML_RAW(sb, ">\n"); /* a first line break after the tag is not part of the text */
		html_text(sb, v);
		HTML_RAW(sb, "</textarea>\n");
		break;
	case CF_SELECT:
		HTML_RAW(sb, "<select");
		cf_attrs(sb, scope, f, err);
		HTML_RAW(sb, ">\n<option value=\"\">Välj</option>\n");
		for (int i = 0; i < f->nopts; i++) {
			HTML_RAW(sb, "<option value=\"");
			html_attr(sb, f->opts[i].value);
			HTML_RAW(sb, "\"");
			if (strcmp(v, f->opts[i].value) == 0)
				HTML_RAW(sb, " selected");
			HTML_RAW(sb, ">");
			html_text(sb, f->opts[i].label);
			HTML_RAW(sb, "</option>\n");
		}
		HTML_RAW(sb, "</select>\n");
		break;
	case CF_FILE:
		/* A browser never shows a chosen file again: no value. */
		HTML_RAW(sb, "<input type=\"file\" accept=\".pdf,.jpg,.jpeg,.png,.txt,"
		             "application/pdf,image/jpeg,image/png,text/plain\"");
		cf_attrs(sb, scope, f, err);
		HTML_RAW(sb, ">\n");
		break;
	case CF_DATE:
		HTML_RAW(sb, "<input type=\"date\" class=\"input-date\"");
		cf_attrs(sb, scope, f, err);
		if (*v) {
			HTML_RAW(sb, " value=\"");
			html_attr(sb, v);
			HTML_RAW(sb, "\"");
		}
		HTML_RAW(sb, ">\n");
		break;
	default: /* CF_TEXT, CF_NUMBER */
		HTML_RAW(sb, "<input type=\"text\"");
		if (f->kind == CF_NUMBER)
			HTML_RAW(sb, " class=\"input-number\" pattern=\"[0-9]*\"");
		cf_attrs(sb, scope, f, err);
		if (*v) {
			HTML_RAW(sb, " value=\"");
			html_attr(sb, v);
			HTML_RAW(sb, "\"");
		}
		HTML_RAW(sb, " maxlength=\"");
		html_int(sb, (int64_t)(f->maxlen ? f->maxlen : 200));
		HTML_RAW(sb, "\" spellcheck=\"false\" autocomplete=\"off\">\n");
		break;
	}
	HTML_RAW(sb, "</div>\n");
}

/*
 * Renders the n fields with values v (NULL: all empty). scope makes the ids unique when a form
 * is shown more than once on a page; errors says whether the field errors of r belong to this
 * form (then each is written next to its field and the control is marked invalid).
 */
static void
cf_html(struct strbuf *sb, const struct req *r, const struct cfield *f, int n, const char *const *v,
        const char *scope, bool errors)
{
	for (int i = 0; i < n; i++)
		cf_one(sb, r, &f[i], v ? v[i] : NULL, scope, errors);
}

/* When r holds field errors, the summary box: each error of a visible field linked to it, the
 * others as text. */
static void
cf_summary(struct strbuf *sb, const struct req *r, const struct cfield *f, int n, const char *scope)
{
	if (r->fe.n == 0)
		return;
	HTML_RAW(sb, "<div class=\"error-summary\" role=\"alert\" aria-labelledby=\"felrubrik\">\n"
	             "<h2 id=\"felrubrik\">Något behöver rättas</h2>\n<ul>\n");
	for (int i = 0; i < r->fe.n; i++) {
		bool shown = false;
		for (int j = 0; j < n && !shown; j++)
			shown = strcmp(f[j].name, r->fe.items[i].field) == 0 &&
			        f[j].kind != CF_HIDDEN && f[j].kind != CF_HIDDEN_ID;
		if (shown)
			continue;
		HTML_RAW(sb, "<li>");
		sentence_html(sb, r->fe.items[i].message);
		HTML_RAW(sb, "</li>\n");
	}
	for (int j = 0; j < n; j++) {
		if (f[j].kind == CF_HIDDEN || f[j].kind == CF_HIDDEN_ID)
			continue;
		const char *msg = form_error_for(r, f[j].name);
		if (!msg)
			continue;
		HTML_RAW(sb, "<li><a href=\"#");
		cf_anchor(sb, scope, &f[j]);
		HTML_RAW(sb, "\">");
		html_text(sb, f[j].label);
		HTML_RAW(sb, ": ");
		html_text(sb, msg);
		HTML_RAW(sb, "</a></li>\n");
	}
	HTML_RAW(sb, "</ul>\n</div>\n");
}

/* The status of a page answered after a failed change: the code's, 400 when it has none. */
static int
fail_status(int code)
{
	int st = herr_status(code);
	return st >= 400 && st < 500 ? st : 400;
}

/* Whether a failed change is shown as the form again with its errors (the rest are error
 * pages: not found, a database failure). */
static bool
shown_in_form(const struct req *r, int code)
{
	return r->fe.n > 0 && (code == HERR_INVALID || code == HERR_FORBIDDEN ||
	                       code == HERR_RULE || code == HERR_STALE || code == HERR_CONFLICT);
}

/* ---- lists of cases -------------------------------------------------------------------- */

struct row {
	struct case_row cs; /* the case */
	char person[205];   /* "Given Family" of its person */
	char services[501]; /* the services applied for, by name */
};

struct rows {
	struct row *v; /* the rows; caller frees with free() */
	int n;         /* rows used */
	int cap;       /* rows allocated */
};

static void
rows_add(const struct case_row *cs, void *arg)
{
	struct rows *l = arg;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
	}
	struct row *w = &l->v[l->n++];
	memset(w, 0, sizeof *w);
	w->cs = *cs;
}

struct joined {
	const struct catalogue *cat; /* for the names */
	struct strbuf sb;            /* names so far */
};

static void
join_request(const struct case_request *q, void *arg)
{
	struct joined *j = arg;
	if (j->sb.len)
		sb_adds(&j->sb, ", ");
	sb_adds(&j->sb, service_name(j->cat, q->service));
}

/* Fills the person's name and the services of rows from..l->n. */
static int
rows_fill(struct db_conn *c, int64_t tenant, const struct catalogue *cat, struct rows *l, int from)
{
	for (int i = from; i < l->n; i++) {
		struct row *w = &l->v[i];
		struct joined j = {.cat = cat};
		sb_init(&j.sb, 0);
		int rc = cases_requests(c, tenant, w->cs.id, join_request, &j);
		str_copy(w->services, sizeof w->services, j.sb.len ? j.sb.buf : w->cs.summary);
		sb_release(&j.sb);
		if (rc)
			return rc;
		struct person p;
		rc = people_get(c, tenant, w->cs.person_id, &p);
		if (rc)
			return rc;
		snprintf(w->person, sizeof w->person, "%s %s", p.given_name, p.family_name);
	}
	return 0;
}

/* The persons of the rows, for the list audit records. Caller frees with free(). */
static int64_t *
rows_persons(const struct rows *l)
{
	int64_t *ids = xcalloc((size_t)(l->n ? l->n : 1), sizeof *ids);
	for (int i = 0; i < l->n; i++)
		ids[i] = l->v[i].cs.person_id;
	return ids;
}

/* ---- the representative's principals ----------------------------------------------------- */

struct principals {
	int64_t id[PRINCIPALS_MAX];     /* persons.id */
	char name[PRINCIPALS_MAX][205]; /* "Given Family" */
	int n;                          /* entries used */
};

static void
principal_add(int64_t id, void *arg)
{
	struct principals *pl = arg;
	if (pl->n < PRINCIPALS_MAX)
		pl->id[pl->n++] = id;
}

/* The persons the user represents today, each checked with auth_person_access. */
static int
principals_load(struct db_conn *c, const struct req *r, struct principals *pl)
{
	pl->n = 0;
	if (!(r->who.roles & ROLE_REPRESENTATIVE) || !r->who.person_id)
		return 0;
	char today[11];
	time_today(today);
	struct principals all = {.n = 0};
	int rc = cases__principals(c, r->who.tenant_id, r->who.person_id, today, PRINCIPALS_MAX,
	                           principal_add, &all);
	for (int i = 0; rc == 0 && i < all.n; i++) {
		if (auth_person_access(c, &r->who, all.id[i]) != 0)
			continue;
		struct person p;
		rc = people_get(c, r->who.tenant_id, all.id[i], &p);
		if (rc == HERR_NOT_FOUND) {
			rc = 0;
			continue;
		}
		if (rc == 0) {
			pl->id[pl->n] = all.id[i];
			snprintf(pl->name[pl->n], sizeof pl->name[0], "%s %s", p.given_name,
			         p.family_name);
			pl->n++;
		}
	}
	return rc;
}

/* One list record per principal whose name a page shows (a representative's own pages). */
static int
principals_audit(struct req *r, const struct principals *pl)
{
	if (pl->n == 0)
		return 0;
	return req_audit_reads(r, "list", "person", 0, pl->id, pl->n);
}

/* ---- Mina sidor ------------------------------------------------------------------------ */

struct mine_decisions {
	struct db_conn *c;           /* for the provider of a granted decision */
	const struct catalogue *cat; /* for the names */
	const struct case_row *cs;   /* the case */
	struct strbuf *sb;           /* list items */
	int n;                       /* decisions written */
};

static void
mine_decision(const struct decision *d, void *arg)
{
	struct mine_decisions *md = arg;
	struct strbuf *sb = md->sb;
	HTML_RAW(sb, "<li>\n<p><strong>");
	html_text(sb, service_name(md->cat, d->service));
	HTML_RAW(sb, ": ");
	html_text(sb, outcome_title(d->outcome));
	HTML_RAW(sb, "</strong></p>\n<p>");
	struct strbuf scope;
	sb_init(&scope, 512);
	cases__scope_text(&scope, d);
	if (scope.len) {
		html_text(sb, scope.buf);
		HTML_RAW(sb, ". ");
	}
	sb_release(&scope);
	if (d->start_date[0]) {
		HTML_RAW(sb, "Från ");
		html_text(sb, d->start_date);
		if (d->end_date[0]) {
			HTML_RAW(sb, " till ");
			html_text(sb, d->end_date);
		} else {
			HTML_RAW(sb, " tills vidare");
		}
		HTML_RAW(sb, ". ");
	}
	HTML_RAW(sb, "Beslutat ");
	html_text(sb, d->decision_date);
	HTML_RAW(sb, ".</p>\n");
	if (d->replaced_by)
		HTML_RAW(sb, "<p>Beslutet har ersatts av ett senare beslut.</p>\n");
	else if (strcmp(d->outcome, "refused") != 0)
		providers_mine_html(md->c, md->cs->tenant_id, d->person_id, d->id, true, sb);
	HTML_RAW(sb, "<p><a href=\"/api/v1/decisions/");
	html_int(sb, d->id);
	HTML_RAW(sb, "/letter\">Läs beslutsbrevet (PDF)<span class=\"visually-hidden\">, ");
	html_text(sb, service_name(md->cat, d->service));
	HTML_RAW(sb, ", ärende ");
	html_text(sb, md->cs->case_number);
	HTML_RAW(sb, "</span></a></p>\n</li>\n");
	md->n++;
}

/* ---- attachments (bilagor) ------------------------------------------------------------- */

static const struct cfield file_field[] = {
    {"bilaga", "Välj fil", CF_FILE, true, 0, "PDF, JPEG, PNG eller text, högst 10 MB.", NULL, 0},
};

struct attach_list {
	struct strbuf *sb;
	int n;
};

static void
attach_item(const struct attachment *a, void *arg)
{
	struct attach_list *al = arg;
	struct strbuf *sb = al->sb;
	if (al->n++ == 0)
		HTML_RAW(sb, "<ul class=\"attachments\">\n");
	HTML_RAW(sb, "<li><a href=\"/api/v1/attachments/");
	html_int(sb, a->id);
	HTML_RAW(sb, "\">");
	html_text(sb, a->filename);
	HTML_RAW(sb, "</a> (");
	html_int(sb, (a->size_bytes + 1023) / 1024);
	HTML_RAW(sb, " kB, ");
	html_text(sb, a->uploaded_by_name);
	HTML_RAW(sb, ")</li>\n");
}

/* The attachments of a case as a list (under a heading of its own when heading), and the form
 * that adds one, its ids scoped by the case so that several fit on one page; err shows the
 * errors of r at this form. */
static int
attachments_html(struct strbuf *sb, struct db_conn *c, const struct req *r,
                 const struct case_row *cs, bool heading, bool err)
{
	struct attach_list al = {.sb = sb};
	if (heading)
		HTML_RAW(sb, "<h4>Bilagor</h4>\n");
	int rc = files_list(c, cs->tenant_id, cs->id, 500, attach_item, &al);
	if (rc)
		return rc;
	if (al.n)
		HTML_RAW(sb, "</ul>\n");
	else
		HTML_RAW(sb, "<p>Inga bilagor.</p>\n");
	char scope[32];
	snprintf(scope, sizeof scope, "c%lld-", (long long)cs->id);
	HTML_RAW(sb, "<form method=\"post\" action=\"/arenden/");
	html_int(sb, cs->id);
	HTML_RAW(sb, "/bilagor\" enctype=\"multipart/form-data\" class=\"attach-form\" "
	             "novalidate>\n");
	form_csrf(sb, r);
	cf_html(sb, r, file_field, 1, NULL, scope, err);
	HTML_RAW(sb, "<button type=\"submit\" class=\"button-secondary\">Skicka bilagan"
	             "<span class=\"visually-hidden\"> till ärende ");
	html_text(sb, cs->case_number);
	HTML_RAW(sb, "</span></button>\n</form>\n");
	return 0;
}

/* One case of Mina sidor: status, next step, decisions with letters, withdrawal. */
static int
mine_card(struct db_conn *c, const struct req *r, const struct catalogue *cat, const struct row *w,
          struct strbuf *sb)
{
	const struct case_row *cs = &w->cs;
	struct strbuf items;
	sb_init(&items, 0);
	struct mine_decisions md = {.c = c, .cat = cat, .cs = cs, .sb = &items};
	int rc = cases_decisions(c, cs->tenant_id, cs->id, mine_decision, &md);
	if (rc) {
		sb_release(&items);
		return rc;
	}
	HTML_RAW(sb, "<section class=\"case-card\" id=\"arende-");
	html_int(sb, cs->id);
	HTML_RAW(sb, "\" aria-labelledby=\"arende-");
	html_int(sb, cs->id);
	HTML_RAW(sb, "-rubrik\">\n<h3 id=\"arende-");
	html_int(sb, cs->id);
	HTML_RAW(sb, "-rubrik\">Ärende ");
	html_text(sb, cs->case_number);
	HTML_RAW(sb, "</h3>\n<dl class=\"facts\">\n<dt>Gäller</dt>\n<dd>");
	html_text(sb, w->services);
	HTML_RAW(sb, "</dd>\n<dt>Status</dt>\n<dd><strong>");
	html_text(sb, cases_state_title(cs->state));
	HTML_RAW(sb, "</strong></dd>\n<dt>Nästa steg</dt>\n<dd>");
	html_text(sb, cases_next_step(cs->state));
	HTML_RAW(sb, "</dd>\n<dt>Inkom</dt>\n<dd>");
	html_text(sb, cs->received_date);
	HTML_RAW(sb, "</dd>\n</dl>\n");
	if (md.n) {
		HTML_RAW(sb, "<h4>Beslut</h4>\n<ul class=\"decisions\">\n");
		sb_add(sb, items.buf, items.len);
		HTML_RAW(sb, "</ul>\n");
	}
	sb_release(&items);
	bool err = r->fe.n && r->nparams && r->params[0] == cs->id;
	rc = attachments_html(sb, c, r, cs, true, err);
	if (rc)
		return rc;
	HTML_RAW(sb, "<p><a href=\"/arenden/");
	html_int(sb, cs->id);
	HTML_RAW(sb, "/nytt-meddelande\">Skicka meddelande<span class=\"visually-hidden\"> i "
	             "ärende ");
	html_text(sb, cs->case_number);
	HTML_RAW(sb, "</span></a></p>\n");
	if (cases_transition_ok(cs->state, "withdrawn")) {
		HTML_RAW(sb, "<form method=\"post\" action=\"/arenden/");
		html_int(sb, cs->id);
		HTML_RAW(sb, "/aterta\" class=\"inline-form\">\n");
		form_csrf(sb, r);
		HTML_RAW(sb, "<button type=\"submit\" class=\"button-secondary\">Återta ansökan"
		             "<span class=\"visually-hidden\"> i ärende ");
		html_text(sb, cs->case_number);
		HTML_RAW(sb, "</span></button>\n</form>\n");
	}
	HTML_RAW(sb, "</section>\n");
	return 0;
}

/* The cases of one person under a heading; their persons go to *audited for the records. */
static int
mine_group(struct db_conn *c, const struct req *r, const struct catalogue *cat, int64_t person,
           const char *title, const char *id, struct strbuf *sb, struct rows *audited)
{
	struct rows l = {.n = 0};
	int rc = cases_list(c, r->who.tenant_id, 0, person, -1, LIST_LIMIT, rows_add, &l);
	if (rc == 0)
		rc = rows_fill(c, r->who.tenant_id, cat, &l, 0);
	HTML_RAW(sb, "<h2 id=\"");
	html_attr(sb, id);
	HTML_RAW(sb, "\">");
	html_text(sb, title);
	HTML_RAW(sb, "</h2>\n");
	int shown = 0;
	for (int i = 0; rc == 0 && i < l.n; i++) {
		if (cases_access(c, &r->who, &l.v[i].cs) != 0)
			continue;
		rc = mine_card(c, r, cat, &l.v[i], sb);
		if (rc == 0) {
			rows_add(&l.v[i].cs, audited);
			shown++;
		}
	}
	if (rc == 0 && shown == 0)
		HTML_RAW(sb, "<p>Det finns inga ärenden.</p>\n");
	free(l.v);
	return rc;
}

/* Mina sidor with status (a failed withdrawal shows its error on top). */
static int
mine_page(struct req *r, int status)
{
	unsigned roles = r->who.roles;
	if (!(roles & (ROLE_CITIZEN | ROLE_REPRESENTATIVE)))
		return REQ_FAIL(r, HERR_FORBIDDEN);
	struct catalogue *cat = NULL;
	struct principals *pl = xcalloc(1, sizeof *pl);
	struct rows audited = {.n = 0};
	struct strbuf body;
	sb_init(&body, 0);
	struct db_conn *c = db_reader(r->db);
	int rc = catalogue_load(c, r->who.tenant_id, &cat);
	if (rc == 0)
		rc = principals_load(c, r, pl);
	if (rc == 0 && (roles & ROLE_CITIZEN) && r->who.person_id)
		rc = mine_group(c, r, cat, r->who.person_id, "Mina ärenden", "mina-arenden", &body,
		                &audited);
	for (int i = 0; rc == 0 && i < pl->n; i++) {
		struct strbuf title, id;
		sb_init(&title, 512);
		sb_init(&id, 64);
		sb_addf(&title, "Ärenden för %s", pl->name[i]);
		sb_addf(&id, "person-%lld", (long long)pl->id[i]);
		rc = mine_group(c, r, cat, pl->id[i], title.buf, id.buf, &body, &audited);
		sb_release(&title);
		sb_release(&id);
	}
	db_reader_done(r->db, c);
	/* The records of the JSON list (one per case), and one per principal named. */
	if (rc == 0) {
		int64_t *ids = rows_persons(&audited);
		rc = cases__audit_list(r, ids, audited.n);
		free(ids);
	}
	if (rc == 0)
		rc = principals_audit(r, pl);
	free(audited.v);
	free(cat);
	free(pl);
	if (rc == 0 && body.err)
		rc = HERR_INTERNAL;
	if (rc) {
		sb_release(&body);
		return REQ_FAIL(r, rc);
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Mina sidor", "/mina-sidor");
	HTML_RAW(&sb, "<h1>Mina sidor</h1>\n");
	cf_summary(&sb, r, NULL, 0, "");
	if (roles & ROLE_REPRESENTATIVE)
		HTML_RAW(&sb,
		         "<p class=\"lead\">Här ser du ärenden hos socialtjänsten för de personer "
		         "du företräder, var de är och vilka beslut som har fattats.</p>\n");
	else
		HTML_RAW(&sb,
		         "<p class=\"lead\">Här ser du dina ärenden hos socialtjänsten, var de "
		         "är och vilka beslut som har fattats.</p>\n");
	HTML_RAW(&sb, "<p><a class=\"button-link\" href=\"/ansok\">Ansök om stöd</a></p>\n");
	sb_add(&sb, body.buf, body.len);
	sb_release(&body);
	return web_respond(r, status, &sb);
}

int
cases_page_mine(struct req *r)
{
	return mine_page(r, 200);
}

/* ---- the application form -------------------------------------------------------------- */

#define APPLY_MAX (2 * CATALOGUE_MAX + CASES_MAX_SELF + 6)

struct apply_form {
	struct cfield f[APPLY_MAX];                  /* the field list of this request */
	char names[APPLY_MAX][56];                   /* their names */
	char labels[APPLY_MAX][160];                 /* their labels, where made here */
	const char *v[APPLY_MAX];                    /* values */
	int n;                                       /* fields used */
	int person;                                  /* index of the person choice, -1 if none */
	int services;                                /* index of the services group */
	int service[CATALOGUE_MAX];                  /* index of each service's checkbox */
	int hours[CATALOGUE_MAX];                    /* index of its hours field, -1 if none */
	int description;                             /* index of the description */
	int self;                                    /* index of the self-assessment group */
	int area[CASES_MAX_SELF];                    /* index of each life area's text */
	int file;                                    /* index of the attachment */
	struct cf_option people[PRINCIPALS_MAX + 1]; /* the persons one may apply for */
	char person_ids[PRINCIPALS_MAX + 1][24];     /* their values */
	int npeople;                                 /* entries used */
	int64_t people_id[PRINCIPALS_MAX + 1];       /* their ids */
};

static int
apply_field(struct apply_form *af, const char *name, const char *label, enum cf_kind kind,
            bool required, size_t maxlen, const char *hint)
{
	int i = af->n++;
	str_copy(af->names[i], sizeof af->names[i], name);
	str_copy(af->labels[i], sizeof af->labels[i], label);
	af->f[i] =
	    (struct cfield){af->names[i], af->labels[i], kind, required, maxlen, hint, NULL, 0};
	return i;
}

/* Builds the form's field list: the person (when there is a choice), the services with hours
 * where they count hours, the description and a text per IBIC life area. */
static void
apply_build(struct apply_form *af, const struct req *r, const struct catalogue *cat,
            const struct principals *pl)
{
	af->n = 0;
	af->npeople = 0;
	if ((r->who.roles & ROLE_CITIZEN) && r->who.person_id) {
		int k = af->npeople++;
		af->people_id[k] = r->who.person_id;
		snprintf(af->person_ids[k], sizeof af->person_ids[k], "%lld",
		         (long long)r->who.person_id);
		af->people[k] = (struct cf_option){af->person_ids[k], "Mig själv"};
	}
	for (int i = 0; i < pl->n; i++) {
		int k = af->npeople++;
		af->people_id[k] = pl->id[i];
		snprintf(af->person_ids[k], sizeof af->person_ids[k], "%lld", (long long)pl->id[i]);
		af->people[k] = (struct cf_option){af->person_ids[k], pl->name[i]};
	}
	af->person = -1;
	if (af->npeople > 1) {
		af->person =
		    apply_field(af, "person_id", "Vem gäller ansökan?", CF_SELECT, true, 20, NULL);
		af->f[af->person].opts = af->people;
		af->f[af->person].nopts = af->npeople;
	}
	af->services = apply_field(af, "services", "Vilka insatser söker du?", CF_GROUP, false, 0,
	                           "Kryssa i en eller flera. Du kan ange ungefär hur många "
	                           "timmar i månaden du tror att du behöver.");
	for (int i = 0; i < cat->n; i++) {
		const struct service *sv = &cat->s[i];
		char name[56], label[160];
		snprintf(name, sizeof name, "service.%s", sv->code);
		af->service[i] = apply_field(af, name, sv->name, CF_CHECKBOX, false, 0, NULL);
		af->hours[i] = -1;
		if (hourly(sv)) {
			snprintf(name, sizeof name, "hours.%s", sv->code);
			snprintf(label, sizeof label, "Timmar per månad, %s", sv->name);
			af->hours[i] = apply_field(af, name, label, CF_NUMBER, false, 3, NULL);
		}
	}
	af->description =
	    apply_field(af, "description", "Beskriv vad du behöver hjälp med", CF_TEXTAREA, false,
	                1000, "Till exempel städning, tvätt, att duscha eller att handla.");
	af->self = apply_field(af, "self", "Hur klarar du vardagen?", CF_GROUP, false, 0,
	                       "Skriv med egna ord om de delar av livet där du behöver stöd. Du "
	                       "behöver inte fylla i alla.");
	for (int i = 0; i < cases_nlife_areas && i < CASES_MAX_SELF; i++) {
		char name[56];
		snprintf(name, sizeof name, "self.%s", cases_life_areas[i].code);
		af->area[i] = apply_field(af, name, cases_life_areas[i].title, CF_TEXTAREA, false,
		                          2000, NULL);
	}
	af->file = apply_field(af, "bilaga", "Bilaga", CF_FILE, false, 0,
	                       "Till exempel ett läkarintyg. PDF, JPEG, PNG eller text, högst "
	                       "10 MB. Fler bilagor kan du skicka från Mina sidor.");
}

/* Renders the form with the values and field errors of r. */
static int
apply_form_page(struct req *r, int status, const struct apply_form *af, const char *const *v)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Ansök om stöd", "/ansok");
	HTML_RAW(&sb, "<h1>Ansök om stöd</h1>\n");
	cf_summary(&sb, r, af->f, af->n, "");
	if (af->npeople == 0) {
		HTML_RAW(&sb, "<p>Det finns ingen person som du kan ansöka för här. Kontakta "
		              "kommunen om du behöver hjälp.</p>\n");
		return web_respond(r, status, &sb);
	}
	HTML_RAW(&sb, "<p class=\"lead\">Ansök om hemtjänst och annat stöd från socialtjänsten. "
	              "Du får ett ärendenummer direkt när du har skickat ansökan.</p>\n"
	              "<form method=\"post\" action=\"/ansok\" enctype=\"multipart/form-data\" "
	              "novalidate>\n");
	form_csrf(&sb, r);
	if (af->person >= 0) {
		cf_html(&sb, r, &af->f[af->person], 1, &v[af->person], "", true);
	} else if (!(r->who.roles & ROLE_CITIZEN)) {
		HTML_RAW(&sb, "<p>Ansökan gäller <strong>");
		html_text(&sb, af->people[0].label);
		HTML_RAW(&sb, "</strong>.</p>\n");
	}
	cf_html(&sb, r, &af->f[af->services], 1, &v[af->services], "", true);
	for (int i = af->services + 1; i < af->description; i++) {
		const struct cfield *f = &af->f[i];
		if (f->kind == CF_CHECKBOX) {
			cf_html(&sb, r, f, 1, &v[i], "", true);
		} else {
			HTML_RAW(&sb, "<div class=\"conditional\">\n");
			cf_html(&sb, r, f, 1, &v[i], "", true);
			HTML_RAW(&sb, "</div>\n");
		}
	}
	HTML_RAW(&sb, "</fieldset>\n");
	cf_html(&sb, r, &af->f[af->description], 1, &v[af->description], "", true);
	cf_html(&sb, r, &af->f[af->self], af->file - af->self, &v[af->self], "", true);
	HTML_RAW(&sb, "</fieldset>\n");
	cf_html(&sb, r, &af->f[af->file], 1, &v[af->file], "", true);
	HTML_RAW(&sb, "<button type=\"submit\">Skicka ansökan</button>\n</form>\n");
	return web_respond(r, status, &sb);
}

/* Loads what the form needs: the catalogue and the persons one may apply for. */
static int
apply_prepare(struct req *r, struct catalogue **cat, struct principals *pl)
{
	if (!(r->who.roles & (ROLE_CITIZEN | ROLE_REPRESENTATIVE)))
		return REQ_FAIL(r, HERR_FORBIDDEN);
	struct db_conn *c = db_reader(r->db);
	int rc = catalogue_load(c, r->who.tenant_id, cat);
	if (rc == 0)
		rc = principals_load(c, r, pl);
	db_reader_done(r->db, c);
	if (rc == 0)
		rc = principals_audit(r, pl);
	if (rc && *cat) {
		free(*cat);
		*cat = NULL;
	}
	return rc ? REQ_FAIL(r, rc) : 0;
}

int
cases_page_apply(struct req *r)
{
	struct catalogue *cat = NULL;
	struct principals *pl = xcalloc(1, sizeof *pl);
	struct apply_form *af = xcalloc(1, sizeof *af);
	int rc = apply_prepare(r, &cat, pl);
	if (rc == 0) {
		apply_build(af, r, cat, pl);
		const char *v[APPLY_MAX] = {NULL};
		rc = apply_form_page(r, 200, af, v);
	}
	free(af);
	free(pl);
	free(cat);
	return rc;
}

struct receipt {
	bool description; /* some request lacks a description */
	bool self;        /* the self-assessment is missing */
	int n;            /* things missing */
};

static void
receipt_missing(const char *what, const struct case_request *q, void *arg)
{
	(void)what;
	struct receipt *rc = arg;
	if (q)
		rc->description = true;
	else
		rc->self = true;
	rc->n++;
}

/* The receipt after a registered application: the case number at once and what is missing. */
static int
receipt_page(struct req *r, const struct cases__application *a, const struct catalogue *cat,
             bool with_file, bool stored)
{
	struct receipt miss = {.n = 0};
	int nmissing = cases__missing(a, receipt_missing, &miss);
	struct strbuf sb, text;
	sb_init(&sb, 0);
	sb_init(&text, 1024);
	cases__receipt(a, nmissing, &text);
	web_layout_begin(&sb, r, "Ansökan är skickad", "/ansok");
	HTML_RAW(&sb, "<h1>Ansökan är skickad</h1>\n<div class=\"receipt\" role=\"status\">\n"
	              "<p class=\"lead\">");
	html_text(&sb, text.buf);
	sb_release(&text);
	HTML_RAW(&sb, "</p>\n<dl class=\"facts\">\n<dt>Ärendenummer</dt>\n<dd><strong>");
	html_text(&sb, a->cs.case_number);
	HTML_RAW(&sb, "</strong></dd>\n<dt>Inkom</dt>\n<dd>");
	html_text(&sb, a->cs.received_date);
	HTML_RAW(&sb, "</dd>\n<dt>Ansökan gäller</dt>\n<dd>");
	for (int i = 0; i < a->nreqs; i++) {
		if (i)
			HTML_RAW(&sb, ", ");
		html_text(&sb, service_name(cat, a->reqs[i].service));
	}
	HTML_RAW(&sb, "</dd>\n<dt>Nästa steg</dt>\n<dd>");
	html_text(&sb, cases_next_step(a->cs.state));
	HTML_RAW(&sb, "</dd>\n");
	if (with_file) {
		HTML_RAW(&sb, "<dt>Bilaga</dt>\n<dd>");
		if (stored)
			html_text(&sb, r->upload.filename);
		else
			HTML_RAW(&sb,
			         "Bilagan kunde inte sparas. Skicka den igen från Mina sidor.");
		HTML_RAW(&sb, "</dd>\n");
	}
	HTML_RAW(&sb, "</dl>\n</div>\n");
	if (nmissing) {
		HTML_RAW(&sb,
		         "<h2>Det här saknas</h2>\n<p>Ansökan är registrerad ändå. Handläggaren "
		         "frågar dig om det som saknas.</p>\n<ul>\n");
		if (miss.description)
			HTML_RAW(&sb, "<li>En beskrivning av vad du behöver hjälp med</li>\n");
		if (miss.self)
			HTML_RAW(&sb, "<li>Hur du klarar vardagen (självskattning per "
			              "livsområde)</li>\n");
		HTML_RAW(&sb, "</ul>\n");
	} else {
		HTML_RAW(&sb, "<p>Ansökan är komplett.</p>\n");
	}
	HTML_RAW(&sb, "<p><a href=\"/mina-sidor\">Till Mina sidor</a></p>\n");
	return web_respond(r, 201, &sb);
}

/* Gives the errors of cases__apply, which name JSON paths, the names of the form's fields. */
static void
apply_rename_errors(struct req *r, const struct apply_form *af, const int *req_service)
{
	for (int i = 0; i < r->fe.n; i++) {
		char *field = r->fe.items[i].field;
		int k;
		char rest[40];
		if (strcmp(field, "requests") == 0) {
			str_copy(field, sizeof r->fe.items[i].field, "services");
		} else if (sscanf(field, "requests[%d].%39s", &k, rest) == 2 && k >= 0 &&
		           k < CASES_MAX_REQUESTS) {
			int s = req_service[k];
			int idx = strcmp(rest, "hours_per_month") == 0 && af->hours[s] >= 0
			              ? af->hours[s]
			              : af->service[s];
			str_copy(field, sizeof r->fe.items[i].field, af->f[idx].name);
		}
	}
}

int
cases_page_apply_post(struct req *r)
{
	struct catalogue *cat = NULL;
	struct principals *pl = xcalloc(1, sizeof *pl);
	struct apply_form *af = xcalloc(1, sizeof *af);
	struct cases__application *a = xcalloc(1, sizeof *a);
	int req_service[CASES_MAX_REQUESTS];
	int rc = apply_prepare(r, &cat, pl);
	if (rc)
		goto out;
	apply_build(af, r, cat, pl);
	const char **v = af->v;
	cf_read(r, af->f, af->n, v);

	if (af->npeople == 0) {
		rc = REQ_FAIL(r, HERR_NOT_FOUND);
		goto out;
	}
	struct case_row *cs = &a->cs;
	cs->person_id = af->person >= 0 ? 0 : af->people_id[0];
	for (int k = 0; af->person >= 0 && k < af->npeople; k++)
		if (strcmp(v[af->person], af->person_ids[k]) == 0)
			cs->person_id = af->people_id[k];
	for (int i = 0; i < cat->n; i++) {
		int h = af->hours[i];
		bool ticked = strcmp(v[af->service[i]], "1") == 0;
		if (!ticked) {
			if (h >= 0 && *v[h] && !form_error_for(r, af->f[h].name))
				field_error_add(&r->fe, af->f[h].name,
				                "kryssa också i insatsen, eller lämna fältet tomt");
			continue;
		}
		if (a->nreqs == CASES_MAX_REQUESTS)
			continue;
		req_service[a->nreqs] = i;
		struct case_request *q = &a->reqs[a->nreqs++];
		str_copy(q->service, sizeof q->service, cat->s[i].code);
		copy_text(q->description, sizeof q->description, v[af->description]);
		q->hours = h >= 0 && digits(v[h]) ? atoi(v[h]) : 0;
	}
	for (int i = 0; i < cases_nlife_areas && i < CASES_MAX_SELF; i++) {
		const char *text = v[af->area[i]];
		if (!*text || form_error_for(r, af->f[af->area[i]].name))
			continue;
		struct assessment *s = &a->self[a->nself++];
		str_copy(s->life_area, sizeof s->life_area, cases_life_areas[i].code);
		copy_text(s->own_view, sizeof s->own_view, text);
	}
	/* What the case is about, in words the person and the letters understand. */
	struct strbuf summary;
	sb_init(&summary, sizeof cs->summary - 1);
	sb_adds(&summary, "Ansökan om ");
	for (int i = 0; i < a->nreqs; i++) {
		if (i)
			sb_adds(&summary, ", ");
		sb_adds(&summary, service_name(cat, a->reqs[i].service));
	}
	if (a->nreqs && !summary.err)
		str_copy(cs->summary, sizeof cs->summary, summary.buf);
	sb_release(&summary);
	/* The attachment is checked before the case is registered, so that a wrong file stops
	 * the whole application; it is stored right after, in a transaction of its own. */
	struct files_upload up = {
	    .filename = v[af->file],
	    .content_type = r->upload.content_type,
	    .data = r->upload.data,
	    .len = r->upload.len,
	    .sniff = true,
	    .name_field = "bilaga",
	    .type_field = "bilaga",
	    .data_field = "bilaga",
	    .check_only = true,
	};
	bool with_file = *v[af->file] != '\0';
	if (with_file && r->fe.n == 0 && files_upload_or_fail(r, NULL, &up, NULL) != 0)
		rc = REQ_FAIL(r, HERR_INVALID);
	/* The checks, access and registration of POST /api/v1/cases. */
	if (rc == 0)
		rc = cases__apply(r, a);
	if (rc == 0) {
		bool stored = true;
		if (with_file) {
			up.check_only = false;
			stored = files_upload_or_fail(r, &a->cs, &up, NULL) == 0;
		}
		rc = receipt_page(r, a, cat, with_file, stored);
	} else if (shown_in_form(r, rc)) {
		apply_rename_errors(r, af, req_service);
		rc = apply_form_page(r, fail_status(rc), af, v);
	}
out:
	free(a);
	free(af);
	free(pl);
	free(cat);
	return rc;
}

/* ---- the work queue -------------------------------------------------------------------- */

/* A table of cases; with take, a button that takes each case. */
static void
queue_table(struct strbuf *sb, const struct req *r, const struct rows *l, int from, int to,
            const char *id, const char *caption, bool take, const char *today)
{
	HTML_RAW(sb, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"");
	html_attr(sb, id);
	HTML_RAW(sb, "\">\n<table>\n<caption id=\"");
	html_attr(sb, id);
	HTML_RAW(sb, "\">");
	html_text(sb, caption);
	HTML_RAW(sb, "</caption>\n<thead>\n<tr><th scope=\"col\">Ärende</th>"
	             "<th scope=\"col\">Person</th><th scope=\"col\">Gäller</th>"
	             "<th scope=\"col\">Status</th><th scope=\"col\">Inkom</th>"
	             "<th scope=\"col\">Utredas senast</th>");
	if (take)
		HTML_RAW(sb, "<th scope=\"col\">Åtgärd</th>");
	HTML_RAW(sb, "</tr>\n</thead>\n<tbody>\n");
	for (int i = from; i < to; i++) {
		const struct row *w = &l->v[i];
		HTML_RAW(sb, "<tr>\n<th scope=\"row\"><a href=\"/arenden/");
		html_int(sb, w->cs.id);
		HTML_RAW(sb, "\">");
		html_text(sb, w->cs.case_number);
		HTML_RAW(sb, "</a></th>\n<td>");
		html_text(sb, w->person);
		HTML_RAW(sb, "</td>\n<td>");
		html_text(sb, w->services);
		HTML_RAW(sb, "</td>\n<td>");
		html_text(sb, cases_state_title(w->cs.state));
		HTML_RAW(sb, "</td>\n<td class=\"nowrap\">");
		html_text(sb, w->cs.received_date);
		HTML_RAW(sb, "</td>\n<td class=\"nowrap\">");
		due_html(sb, &w->cs, today);
		HTML_RAW(sb, "</td>\n");
		if (take) {
			HTML_RAW(sb, "<td><form method=\"post\" action=\"/arenden/");
			html_int(sb, w->cs.id);
			HTML_RAW(sb, "/tilldela\" class=\"inline-form\">\n");
			form_csrf(sb, r);
			HTML_RAW(
			    sb,
			    "<button type=\"submit\">Ta ärendet<span class=\"visually-hidden\"> ");
			html_text(sb, w->cs.case_number);
			HTML_RAW(sb, "</span></button>\n</form></td>\n");
		}
		HTML_RAW(sb, "</tr>\n");
	}
	HTML_RAW(sb, "</tbody>\n</table>\n</div>\n");
}

/* The decisions in the user's open cases that need attention, as GET /api/v1/followups lists
 * them (cases_report_followups): a follow-up due or overdue, or an end within the horizon. */
#define QUEUE_FLAG_DAYS 30

struct flags {
	struct report_followup *v; /* rows, owned */
	int64_t *persons;          /* their persons, for the audit record; owned */
	int n, cap;                /* used and allocated */
};

static void
flags_add(const struct report_followup *u, void *arg)
{
	struct flags *f = arg;
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 16;
		f->v = xrealloc(f->v, (size_t)f->cap * sizeof *f->v);
		f->persons = xrealloc(f->persons, (size_t)f->cap * sizeof *f->persons);
	}
	f->persons[f->n] = u->d.person_id;
	f->v[f->n++] = *u;
}

/* The follow-up flags of the queue page under their heading. */
static void
flags_html(struct strbuf *sb, const struct flags *f)
{
	HTML_RAW(sb, "<h2 id=\"folj-upp\">Att följa upp</h2>\n");
	if (f->n == 0) {
		HTML_RAW(sb, "<p>Inga beslut att följa upp eller som slutar inom 30 dagar.</p>\n");
		return;
	}
	HTML_RAW(sb, "<p>Beslut i dina ärenden där uppföljningen är inne eller har passerat, och "
	             "beslut som slutar inom 30 dagar.</p>\n"
	             "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
	             "aria-labelledby=\"tabell-folj-upp\">\n<table>\n<caption "
	             "id=\"tabell-folj-upp\">Beslut att följa upp</caption>\n<thead>\n<tr>"
	             "<th scope=\"col\">Ärende</th><th scope=\"col\">Insats</th>"
	             "<th scope=\"col\">Uppföljning</th><th scope=\"col\">Gäller till</th>"
	             "</tr>\n</thead>\n<tbody>\n");
	for (int i = 0; i < f->n; i++) {
		const struct report_followup *u = &f->v[i];
		HTML_RAW(sb, "<tr>\n<th scope=\"row\"><a href=\"/arenden/");
		html_int(sb, u->d.case_id);
		HTML_RAW(sb, "#beslut-");
		html_int(sb, u->d.id);
		HTML_RAW(sb, "\">");
		html_text(sb, u->d.case_number);
		HTML_RAW(sb, "</a></th>\n<td>");
		html_text(sb, u->d.service_name);
		HTML_RAW(sb, "</td>\n<td class=\"nowrap\">");
		if (u->d.followup_date[0])
			html_text(sb, u->d.followup_date);
		else
			HTML_RAW(sb, "<span class=\"muted\">Ingen</span>");
		if (u->overdue)
			HTML_RAW(sb, " <strong>Uppföljningen är försenad</strong>");
		HTML_RAW(sb, "</td>\n<td class=\"nowrap\">");
		if (u->d.end_date[0])
			html_text(sb, u->d.end_date);
		else
			HTML_RAW(sb, "Tills vidare");
		if (u->ends_soon)
			HTML_RAW(sb, " <strong>Slutar snart</strong>");
		HTML_RAW(sb, "</td>\n</tr>\n");
	}
	HTML_RAW(sb, "</tbody>\n</table>\n</div>\n");
}

int
cases_page_queue(struct req *r)
{
	struct catalogue *cat = NULL;
	struct rows l = {.n = 0};
	char today[11];
	time_today(today);
	struct db_conn *c = db_reader(r->db);
	int rc = catalogue_load(c, r->who.tenant_id, &cat);
	/* The two lists of GET /api/v1/cases: queue=me and unassigned=true. */
	if (rc == 0)
		rc = cases_list(c, r->who.tenant_id, r->who.user_id, 0, -1, LIST_LIMIT, rows_add,
		                &l);
	int mine = l.n;
	if (rc == 0)
		rc =
		    cases_list(c, r->who.tenant_id, 0, 0, r->who.unit_id, LIST_LIMIT, rows_add, &l);
	if (rc == 0)
		rc = rows_fill(c, r->who.tenant_id, cat, &l, 0);
	/* The follow-up flags of GET /api/v1/followups, with its horizon. */
	struct flags fl = {.n = 0};
	int32_t day = 0;
	if (rc == 0 && (rc = cal_parse(today, &day)) == 0)
		rc = cases_report_followups(c, r->who.tenant_id, r->who.user_id, day,
		                            QUEUE_FLAG_DAYS, flags_add, &fl);
	db_reader_done(r->db, c);
	free(cat);
	if (rc == 0) {
		int64_t *ids = rows_persons(&l);
		rc = cases__audit_list(r, ids, l.n);
		free(ids);
	}
	if (rc == 0)
		rc = cases__audit_listed(r, "followup", fl.persons, fl.n);
	free(fl.persons);
	/* Orders sent by the user that their providers have not answered in time. */
	struct strbuf orders;
	sb_init(&orders, 0);
	if (rc == 0)
		rc = providers_overdue_html(r, &orders);
	if (rc) {
		sb_release(&orders);
		free(l.v);
		free(fl.v);
		return REQ_FAIL(r, rc);
	}
	int late = 0;
	for (int i = 0; i < mine; i++)
		late += due_runs(l.v[i].cs.state) && strcmp(l.v[i].cs.due_date, today) < 0;
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Mina ärenden", "/arenden");
	HTML_RAW(&sb, "<h1>Mina ärenden</h1>\n<h2 id=\"tilldelade\">Tilldelade mig</h2>\n");
	if (mine == 0) {
		HTML_RAW(&sb, "<p>Du har inga öppna ärenden.</p>\n");
	} else {
		HTML_RAW(&sb, "<p>");
		html_int(&sb, mine);
		if (mine == 1)
			HTML_RAW(&sb, " öppet ärende");
		else
			HTML_RAW(&sb, " öppna ärenden");
		if (late) {
			HTML_RAW(&sb, ", varav <strong>");
			html_int(&sb, late);
			HTML_RAW(&sb, " försenade</strong> (utredningstiden har gått ut)");
		}
		HTML_RAW(&sb, ". Det som ska vara klart först står överst.</p>\n");
		queue_table(&sb, r, &l, 0, mine, "tabell-mina", "Mina öppna ärenden", false, today);
	}
	flags_html(&sb, &fl);
	free(fl.v);
	sb_add(&sb, orders.buf, orders.len);
	sb_release(&orders);
	HTML_RAW(&sb, "<h2 id=\"nya\">Nya ärenden att fördela</h2>\n");
	if (l.n == mine) {
		HTML_RAW(&sb, "<p>Det finns inga nya ärenden som väntar.</p>\n");
	} else {
		HTML_RAW(&sb,
		         "<p>Ärenden till din enhet och e-ansökningar som ingen handläggare har "
		         "tagit ännu.</p>\n");
		queue_table(&sb, r, &l, mine, l.n, "tabell-nya", "Nya ärenden", true, today);
	}
	free(l.v);
	return web_respond(r, 200, &sb);
}

/* ---- the case view: forms ------------------------------------------------------------- */

static const struct cf_option outcome_opts[] = {
    {"granted", "Bifall"},
    {"partly_granted", "Delvis bifall"},
    {"refused", "Avslag"},
};

enum {
	D_SERVICE,
	D_OUTCOME,
	D_HOURS,
	D_SPLIT,
	D_DAY,
	D_EVENING,
	D_NIGHT,
	D_WEEKEND,
	D_START,
	D_END,
	D_GOALS,
	D_REASONING,
	D_LEGAL,
	D_REPLACES,
	D_REFER,
	ND
};

/* The names are those of the JSON route, so its field errors land on the right field. */
static const struct cfield decide_fields[ND] = {
    [D_SERVICE] = {"service", "Insats", CF_SELECT, true, 40, NULL, NULL, 0},
    [D_OUTCOME] = {"outcome", "Beslut", CF_RADIO, true, 16, NULL, outcome_opts, 3},
    [D_HOURS] = {"hours_per_month", "Timmar per månad", CF_NUMBER, false, 3,
                 "Bara för insatser som mäts i timmar. Ett avslag har ingen omfattning.", NULL, 0},
    [D_SPLIT] = {"split", "Timmarnas fördelning", CF_GROUP, false, 0,
                 "Frivilligt. Dag, kväll, natt och helg ska tillsammans bli timmarna per månad.",
                 NULL, 0},
    [D_DAY] = {"hours_day", "Dag", CF_NUMBER, false, 3, NULL, NULL, 0},
    [D_EVENING] = {"hours_evening", "Kväll", CF_NUMBER, false, 3, NULL, NULL, 0},
    [D_NIGHT] = {"hours_night", "Natt", CF_NUMBER, false, 3, NULL, NULL, 0},
    [D_WEEKEND] = {"hours_weekend", "Helg", CF_NUMBER, false, 3, NULL, NULL, 0},
    [D_START] = {"start_date", "Gäller från", CF_DATE, false, 10, "Krävs när insatsen beviljas.",
                 NULL, 0},
    [D_END] = {"end_date", "Gäller till och med", CF_DATE, false, 10,
               "Lämna tomt om beslutet gäller tills vidare.", NULL, 0},
    [D_GOALS] = {"goals", "Mål med insatsen", CF_TEXTAREA, false, 2000, NULL, NULL, 0},
    [D_REASONING] = {"reasoning", "Motivering", CF_TEXTAREA, true, 8000,
                     "Skälen för beslutet (förvaltningslagen 32 §).", NULL, 0},
    [D_LEGAL] = {"legal_basis", "Lagrum", CF_TEXT, false, 300,
                 "Lämna tomt för insatsens lagrum enligt katalogen.", NULL, 0},
    [D_REPLACES] = {"replaces_id", "Ersätter beslut", CF_SELECT, false, 20,
                    "Vid omprövning: det beslut som det nya ersätter.", NULL, 0},
    [D_REFER] = {"refer", "Skicka till den som får fatta beslutet", CF_CHECKBOX, false, 0, NULL,
                 NULL, 0},
};

enum { A_AREA, A_FUNCTIONING, A_OWN, A_GOAL, NA };

static const struct cfield assess_fields[NA] = {
    [A_AREA] = {"life_area", "Livsområde", CF_SELECT, true, 60,
                "Livsområdena i IBIC (Individens behov i centrum).", NULL, 0},
    [A_FUNCTIONING] = {"functioning", "Funktionsförmåga och behov", CF_TEXTAREA, true, 2000,
                       "Vad personen klarar själv och vad hen behöver stöd med, enligt din "
                       "bedömning.",
                       NULL, 0},
    [A_OWN] = {"own_view", "Personens egen uppfattning", CF_TEXTAREA, false, 2000, NULL, NULL, 0},
    [A_GOAL] = {"goal", "Mål", CF_TEXTAREA, false, 1000, NULL, NULL, 0},
};

enum { N_BODY, N_CORRECTS, NN };

static const struct cfield note_fields[NN] = {
    [N_BODY] = {"body", "Ny journalanteckning", CF_TEXTAREA, true, 8000,
                "Sparas som utkast. Ett utkast kan ändras tills det är signerat.", NULL, 0},
    [N_CORRECTS] = {"corrects_id", "Rättar anteckning", CF_HIDDEN_ID, false, 15, NULL, NULL, 0},
};

enum { E_BODY, E_VERSION, NE };

static const struct cfield edit_fields[NE] = {
    [E_BODY] = {"body", "Text", CF_TEXTAREA, true, 8000, NULL, NULL, 0},
    [E_VERSION] = {"version", "Version", CF_HIDDEN_ID, true, 15, NULL, NULL, 0},
};

static const struct cfield state_fields[] = {
    {"to", "Ny status", CF_HIDDEN, true, 16, NULL, NULL, 0},
};

/* Closing a granted decision without execution; the reasons are filled in from
 * cases_close_reasons (those a caseworker may give). The names are the JSON route's. */
enum { C_DATE, C_REASON, C_NOTE, NC };

static const struct cfield close_fields[NC] = {
    [C_DATE] = {"closed_date", "Datum då beslutet upphörde", CF_DATE, true, 10,
                "Inte före beslutsdatum och inte i framtiden. När beslutsperioden har löpt ut: "
                "periodens sista dag.",
                NULL, 0},
    [C_REASON] = {"reason", "Skäl", CF_SELECT, true, 16, NULL, NULL, 0},
    [C_NOTE] = {"note", "Kort redogörelse", CF_TEXTAREA, false, CASES_CLOSE_NOTE_MAX,
                "Lämnas till IVO och revisorerna med kvartalets rapport. Krävs när skälet är "
                "Annat.",
                NULL, 0},
};

/* An interruption of a decision's execution, and its resumption (trigger B of the
 * unexecuted-decision duty). The names are the JSON routes'. */
enum { B_FROM, B_REASON, NB };

static const struct cfield interrupt_fields[NB] = {
    [B_FROM] = {"from_date", "Avbrottet började", CF_DATE, true, 10,
                "Inte före verkställigheten och inte i framtiden.", NULL, 0},
    [B_REASON] = {"reason", "Skäl till avbrottet", CF_TEXTAREA, true, CASES_INTERRUPTION_REASON_MAX,
                  "Kort redogörelse, till exempel sjukhusvistelse eller att utföraren har "
                  "slutat. Lämnas till IVO och revisorerna om verkställigheten inte har "
                  "återupptagits inom tre månader.",
                  NULL, 0},
};

enum { U_DATE, NU };

static const struct cfield resume_fields[NU] = {
    [U_DATE] = {"resumed_date", "Återupptaget den", CF_DATE, true, 10,
                "Inte före avbrottet och inte i framtiden.", NULL, 0},
};

#define CLOSE_OPTS 8 /* room for the reasons of cases_close_reasons */

/* The closing form's fields into f, its reasons (those a caseworker may give) into opts. */
static void
close_form_fields(struct cfield f[NC], struct cf_option opts[CLOSE_OPTS])
{
	memcpy(f, close_fields, NC * sizeof *f);
	int n = 0;
	for (int i = 0; i < cases_nclose_reasons && n < CLOSE_OPTS; i++)
		if (cases_close_reasons[i].by_user)
			opts[n++] = (struct cf_option){cases_close_reasons[i].code,
			                               cases_close_reasons[i].title};
	f[C_REASON].opts = opts;
	f[C_REASON].nopts = n;
}

/* Which form of the case view failed, with its posted values. */
enum view_form {
	VF_NONE = 0,
	VF_ASSIGN,    /* take the case */
	VF_STATE,     /* a state button or the withdrawal */
	VF_ASSESS,    /* a new assessment */
	VF_NOTE,      /* a new note or a correction (note_id: the corrected note, 0 for new) */
	VF_EDIT,      /* a draft changed (note_id) */
	VF_SIGN,      /* a draft signed (note_id) */
	VF_DECIDE,    /* the decision */
	VF_INV,       /* the investigation: started or changed */
	VF_FILE,      /* an attachment */
	VF_CLOSE,     /* a decision closed without execution (note_id: the decision) */
	VF_INTERRUPT, /* an interruption registered (note_id: the decision) */
	VF_RESUME,    /* an interruption resumed (note_id: the interruption) */
};

struct form_state {
	enum view_form form;  /* the form that failed */
	int64_t note_id;      /* VF_NOTE, VF_EDIT, VF_SIGN: the note; VF_CLOSE, VF_INTERRUPT: the
	                       * decision; VF_RESUME: the interruption */
	const char *const *v; /* the posted values, in the order of the form's fields */
	int level;            /* VF_DECIDE: the level that decides, when beyond the delegation */
};

/* ---- the case view: collecting ----------------------------------------------------------- */

/* A decision in force that a new one may replace. */
struct current {
	int64_t id;      /* decisions.id */
	char value[24];  /* the id as text */
	char label[200]; /* what it is */
};

/* ---- the investigation form ---------------------------------------------------------------- */

#define INV_MAX_SECTIONS 20
#define INV_MAX_TEMPLATES 8

/* The form of the investigation, generated from the case's investigation or, before it is
 * started, from the templates: starting has template, plan and visit; changing has plan,
 * visit, version and one text per section of the template. */
enum { I_TEMPLATE, I_PLAN, I_VISIT };
enum { I_CPLAN, I_CVISIT, I_CVERSION, I_CFIXED };

struct inv_form {
	bool started;                                 /* the case has an investigation */
	struct investigation inv;                     /* when started */
	struct inv_section sec[INV_MAX_SECTIONS];     /* its sections in order */
	int nsec;                                     /* entries used in sec */
	struct cfield f[I_CFIXED + INV_MAX_SECTIONS]; /* the form's fields */
	int n;                                        /* entries used in f */
	char names[INV_MAX_SECTIONS][24];             /* "avsnitt-ID" per section */
	char version[24];                             /* inv.version as text */
	struct cf_option opts[INV_MAX_TEMPLATES];     /* the templates to start from */
	struct inv_template tpl[INV_MAX_TEMPLATES];   /* their rows */
	int ntpl;                                     /* entries used */
};

static const struct cfield inv_plan_field = {
    "plan",      "Utredningsplan",
    CF_TEXTAREA, false,
    4000,        "Vad som ska utredas, hur, vilka kontakter som tas.",
    NULL,        0};
static const struct cfield inv_visit_field = {
    "planned_visit", "Planerat hembesök", CF_DATE, false, 10, NULL, NULL, 0};

static void
inv_form_section(const struct inv_section *sec, void *arg)
{
	struct inv_form *fm = arg;
	if (fm->nsec < INV_MAX_SECTIONS)
		fm->sec[fm->nsec++] = *sec;
}

static void
inv_form_template(const struct inv_template *t, const struct inv_section *sec, void *arg)
{
	(void)sec;
	struct inv_form *fm = arg;
	if (fm->ntpl && fm->tpl[fm->ntpl - 1].id == t->id)
		return;
	if (fm->ntpl < INV_MAX_TEMPLATES)
		fm->tpl[fm->ntpl++] = *t;
}

/* Loads the investigation of the case (or the templates) and builds the form. Caller frees
 * *out with free(). */
static int
inv_form_load(struct db_conn *c, const struct case_row *cs, struct inv_form **out /* out */)
{
	struct inv_form *fm = xcalloc(1, sizeof *fm);
	int rc = cases_investigation_get(c, cs->tenant_id, cs->id, &fm->inv);
	if (rc == 0) {
		fm->started = true;
		rc = cases_investigation_sections(c, &fm->inv, inv_form_section, fm);
		fm->f[I_CPLAN] = inv_plan_field;
		fm->f[I_CVISIT] = inv_visit_field;
		fm->f[I_CVERSION] =
		    (struct cfield){"version", "Version", CF_HIDDEN_ID, true, 15, NULL, NULL, 0};
		fm->n = I_CFIXED;
		snprintf(fm->version, sizeof fm->version, "%lld", (long long)fm->inv.version);
		for (int i = 0; i < fm->nsec; i++) {
			snprintf(fm->names[i], sizeof fm->names[i], "avsnitt-%lld",
			         (long long)fm->sec[i].id);
			fm->f[fm->n++] =
			    (struct cfield){fm->names[i], fm->sec[i].heading,  CF_TEXTAREA, false,
			                    8000,         fm->sec[i].guidance, NULL,        0};
		}
	} else if (rc == HERR_NOT_FOUND) {
		rc = cases_inv_templates(c, cs->tenant_id, inv_form_template, fm);
		int dflt = 0;
		for (int i = 0; i < fm->ntpl; i++) {
			fm->opts[i] = (struct cf_option){fm->tpl[i].code, fm->tpl[i].name};
			if (strcmp(fm->tpl[i].law, cs->law) == 0 &&
			    strcmp(fm->tpl[dflt].law, cs->law))
				dflt = i;
		}
		/* The template of the case's law first: it is the default. */
		if (dflt) {
			struct cf_option o = fm->opts[dflt];
			memmove(&fm->opts[1], &fm->opts[0], (size_t)dflt * sizeof o);
			fm->opts[0] = o;
		}
		fm->f[I_TEMPLATE] =
		    (struct cfield){"template", "Mall",  CF_SELECT,
		                    true,       40,      "Mallen ger utredningen dess avsnitt.",
		                    fm->opts,   fm->ntpl};
		fm->f[I_PLAN] = inv_plan_field;
		fm->f[I_VISIT] = inv_visit_field;
		fm->n = 3;
	}
	if (rc) {
		free(fm);
		return rc;
	}
	*out = fm;
	return 0;
}

struct view {
	struct req *r;               /* the request */
	const struct form_state *fs; /* the failed form, or NULL */
	struct case_row cs;          /* the case */
	struct person p;             /* its person */
	struct catalogue *cat;       /* the catalogue; freed with the view */
	char today[11];              /* YYYY-MM-DD */
	char first_service[41];      /* the first service applied for */
	char undecided[8][41];       /* services applied for, "" once a decision names one */
	int nundecided;              /* entries used */
	struct strbuf reqs, self, assess, notes, decisions, events; /* parts rendered */
	int nreqs, nself, nassess, nnotes, ndecisions, nevents;     /* their counts */
	struct current current[16];                                 /* decisions in force */
	int ncurrent;                                               /* entries used */
	struct inv_form *inv;                                       /* the investigation form */
	struct interruptions ints; /* the case's interruptions of execution */
};

static void
view_request(const struct case_request *q, void *arg)
{
	struct view *v = arg;
	struct strbuf *sb = &v->reqs;
	if (!v->first_service[0])
		str_copy(v->first_service, sizeof v->first_service, q->service);
	if (v->nundecided < (int)(sizeof v->undecided / sizeof v->undecided[0]))
		str_copy(v->undecided[v->nundecided++], sizeof v->undecided[0], q->service);
	HTML_RAW(sb, "<tr>\n<th scope=\"row\">");
	html_text(sb, service_name(v->cat, q->service));
	HTML_RAW(sb, "</th>\n<td>");
	if (q->hours > 0) {
		html_int(sb, q->hours);
		HTML_RAW(sb, " timmar per månad");
	} else {
		HTML_RAW(sb, "<span class=\"muted\">Inte angivet</span>");
	}
	HTML_RAW(sb, "</td>\n<td class=\"text\">");
	if (q->description[0])
		html_text(sb, q->description);
	else
		HTML_RAW(sb, "<span class=\"muted\">Saknas</span>");
	HTML_RAW(sb, "</td>\n</tr>\n");
	v->nreqs++;
}

/* One assessment as a definition list under the life area's heading. */
static void
assessment_html(struct strbuf *sb, const struct assessment *a, const char *level)
{
	HTML_RAW(sb, "<div class=\"assessment\">\n<");
	html_text(sb, level);
	HTML_RAW(sb, ">");
	html_text(sb, life_area_title(a->life_area));
	HTML_RAW(sb, "</");
	html_text(sb, level);
	HTML_RAW(sb, ">\n<dl class=\"facts\">\n");
	if (a->functioning[0]) {
		HTML_RAW(sb, "<dt>Funktionsförmåga och behov</dt>\n<dd class=\"text\">");
		html_text(sb, a->functioning);
		HTML_RAW(sb, "</dd>\n");
	}
	if (a->own_view[0]) {
		if (strcmp(a->source, "self") == 0)
			HTML_RAW(sb, "<dt>Med egna ord</dt>\n");
		else
			HTML_RAW(sb, "<dt>Egen uppfattning</dt>\n");
		HTML_RAW(sb, "<dd class=\"text\">");
		html_text(sb, a->own_view);
		HTML_RAW(sb, "</dd>\n");
	}
	if (a->goal[0]) {
		HTML_RAW(sb, "<dt>Mål</dt>\n<dd class=\"text\">");
		html_text(sb, a->goal);
		HTML_RAW(sb, "</dd>\n");
	}
	HTML_RAW(sb, "</dl>\n</div>\n");
}

static void
view_assessment(const struct assessment *a, void *arg)
{
	struct view *v = arg;
	if (strcmp(a->source, "self") == 0) {
		assessment_html(&v->self, a, "h4");
		v->nself++;
	} else {
		assessment_html(&v->assess, a, "h3");
		v->nassess++;
	}
}

/* Whether the failed form is this one (for the note forms: of this note; for the closing: of
 * this decision). */
static bool
failed(const struct view *v, enum view_form form, int64_t note_id)
{
	return v->fs && v->fs->form == form && v->fs->note_id == note_id;
}

static void
view_note(const struct note *n, void *arg)
{
	struct view *v = arg;
	struct req *r = v->r;
	struct strbuf *sb = &v->notes;
	bool draft = n->signed_at == 0;
	bool mine = n->author_id == r->who.user_id;
	HTML_RAW(sb, "<article class=\"note");
	if (draft)
		HTML_RAW(sb, " note-draft");
	HTML_RAW(sb, "\" id=\"anteckning-");
	html_int(sb, n->id);
	HTML_RAW(sb, "\" aria-labelledby=\"anteckning-");
	html_int(sb, n->id);
	HTML_RAW(sb, "-rubrik\">\n<h3 id=\"anteckning-");
	html_int(sb, n->id);
	HTML_RAW(sb, "-rubrik\">");
	if (draft)
		HTML_RAW(sb, "Utkast ");
	else
		HTML_RAW(sb, "Anteckning ");
	html_int(sb, n->id);
	if (n->corrects_id) {
		HTML_RAW(sb, ", rättelse av anteckning ");
		html_int(sb, n->corrects_id);
	}
	HTML_RAW(sb, "</h3>\n<p class=\"note-meta\">");
	html_text(sb, n->author_name);
	HTML_RAW(sb, ", skriven ");
	time_html(sb, n->created_at);
	if (draft) {
		HTML_RAW(sb, ". <strong>Inte signerad.</strong>");
	} else {
		HTML_RAW(sb, ", signerad ");
		time_html(sb, n->signed_at);
		HTML_RAW(sb, ".");
	}
	HTML_RAW(sb, "</p>\n<p class=\"text note-body\">");
	html_text(sb, n->body);
	HTML_RAW(sb, "</p>\n");
	char scope[40], label[120];
	if (draft && mine) {
		/* The author changes the draft, then signs it. */
		bool err = failed(v, VF_EDIT, n->id);
		struct cfield f[NE];
		memcpy(f, edit_fields, sizeof f);
		snprintf(label, sizeof label, "Ändra utkast %lld", (long long)n->id);
		f[E_BODY].label = label;
		char version[24];
		snprintf(version, sizeof version, "%lld", (long long)n->version);
		const char *vals[NE] = {n->body, version};
		snprintf(scope, sizeof scope, "e%lld-", (long long)n->id);
		HTML_RAW(sb, "<details class=\"note-edit\"");
		if (err)
			HTML_RAW(sb, " open");
		HTML_RAW(sb, ">\n<summary>Ändra utkastet</summary>\n<form method=\"post\" "
		             "action=\"/anteckningar/");
		html_int(sb, n->id);
		HTML_RAW(sb, "\" novalidate>\n");
		form_csrf(sb, r);
		cf_html(sb, r, f, NE, err ? v->fs->v : vals, scope, err);
		HTML_RAW(sb, "<button type=\"submit\">Spara ändringen</button>\n</form>\n"
		             "</details>\n<form method=\"post\" action=\"/anteckningar/");
		html_int(sb, n->id);
		HTML_RAW(sb, "/signera\" class=\"inline-form\">\n");
		form_csrf(sb, r);
		HTML_RAW(sb,
		         "<button type=\"submit\">Signera<span class=\"visually-hidden\"> utkast ");
		html_int(sb, n->id);
		HTML_RAW(sb, "</span></button>\n</form>\n");
	} else if (!draft) {
		/* A signed note never changes; a correction is a new note pointing back. */
		bool err = failed(v, VF_NOTE, n->id);
		struct cfield f[NN];
		memcpy(f, note_fields, sizeof f);
		snprintf(label, sizeof label, "Rättelse av anteckning %lld", (long long)n->id);
		f[N_BODY].label = label;
		f[N_BODY].hint = "Den signerade anteckningen ändras inte. Rättelsen sparas som ett "
		                 "utkast som du signerar.";
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)n->id);
		const char *vals[NN] = {"", id};
		snprintf(scope, sizeof scope, "r%lld-", (long long)n->id);
		HTML_RAW(sb, "<details class=\"note-edit\"");
		if (err)
			HTML_RAW(sb, " open");
		HTML_RAW(sb, ">\n<summary>Skriv en rättelse<span class=\"visually-hidden\"> av "
		             "anteckning ");
		html_int(sb, n->id);
		HTML_RAW(sb, "</span></summary>\n<form method=\"post\" action=\"/arenden/");
		html_int(sb, n->case_id);
		HTML_RAW(sb, "/journal\" novalidate>\n");
		form_csrf(sb, r);
		cf_html(sb, r, f, NN, err ? v->fs->v : vals, scope, err);
		HTML_RAW(sb, "<button type=\"submit\">Spara rättelsen</button>\n</form>\n"
		             "</details>\n");
	}
	HTML_RAW(sb, "</article>\n");
	v->nnotes++;
}

/* A form folded into <details>, open when it is the one that failed: the summary (its visible
 * text and a rest for screen readers only), a paragraph before the form (NULL for none), the
 * form's action, its fields with their id scope and the button. Texts are escaped here. */
struct folded {
	const char *summary; /* the summary's visible text */
	const char *hidden;  /* read after it by screen readers only */
	const char *lead;    /* a paragraph before the form, NULL for none */
	const char *action;  /* the form's action */
	const char *scope;   /* the id scope of its fields */
	const char *button;  /* the submit button's text */
};

static void
folded_form(struct strbuf *sb, const struct view *v, const struct folded *fo,
            const struct cfield *f, int n, bool err)
{
	HTML_RAW(sb, "<details class=\"note-edit\"");
	if (err)
		HTML_RAW(sb, " open");
	HTML_RAW(sb, ">\n<summary>");
	html_text(sb, fo->summary);
	HTML_RAW(sb, "<span class=\"visually-hidden\">");
	html_text(sb, fo->hidden);
	HTML_RAW(sb, "</span></summary>\n");
	if (fo->lead) {
		HTML_RAW(sb, "<p>");
		html_text(sb, fo->lead);
		HTML_RAW(sb, "</p>\n");
	}
	HTML_RAW(sb, "<form method=\"post\" action=\"");
	html_attr(sb, fo->action);
	HTML_RAW(sb, "\" novalidate>\n");
	form_csrf(sb, v->r);
	cf_html(sb, v->r, f, n, err ? v->fs->v : NULL, fo->scope, err);
	HTML_RAW(sb, "<button type=\"submit\">");
	html_text(sb, fo->button);
	HTML_RAW(sb, "</button>\n</form>\n</details>\n");
}

/* The form that closes a granted decision without execution, folded away until needed; for an
 * executed decision whose execution is interrupted, the form that closes it during the
 * interruption (which ends it). */
static void
close_form(struct strbuf *sb, const struct view *v, const struct decision *d)
{
	struct cf_option reasons[CLOSE_OPTS];
	struct cfield f[NC];
	close_form_fields(f, reasons);
	char scope[40], hidden[40], action[48];
	snprintf(scope, sizeof scope, "a%lld-", (long long)d->id);
	snprintf(hidden, sizeof hidden, ", beslut %lld", (long long)d->id);
	snprintf(action, sizeof action, "/beslut/%lld/avsluta", (long long)d->id);
	struct folded fo = {"Avsluta utan verkställighet",
	                    hidden,
	                    "För ett beviljat beslut som upphör utan att ha verkställts: personen "
	                    "tackar nej eller återtar ansökan, avlider eller flyttar, eller "
	                    "beslutsperioden löper ut. Har mer än tre månader gått sedan beslutet "
	                    "rapporteras det en sista gång till IVO, för det kvartal då det "
	                    "avslutades.",
	                    action,
	                    scope,
	                    "Avsluta utan verkställighet"};
	if (d->executed_date[0]) {
		fo.summary = "Avsluta beslutet under avbrottet";
		fo.lead =
		    "För ett beslut vars verkställighet är avbruten och inte kommer att "
		    "återupptas: personen tackar nej eller avlider, flyttar, eller "
		    "beslutsperioden löper ut. Avbrottet upphör den dagen. Har mer än tre "
		    "månader gått sedan avbrottet rapporteras det en sista gång till IVO, för "
		    "det kvartal då beslutet avslutades.";
		fo.button = "Avsluta beslutet";
	}
	folded_form(sb, v, &fo, f, NC, failed(v, VF_CLOSE, d->id));
}

/* The form that registers an interruption of an executed decision's execution. */
static void
interrupt_form(struct strbuf *sb, const struct view *v, const struct decision *d)
{
	char scope[40], hidden[64], action[48];
	snprintf(scope, sizeof scope, "b%lld-", (long long)d->id);
	snprintf(hidden, sizeof hidden, " i verkställigheten, beslut %lld", (long long)d->id);
	snprintf(action, sizeof action, "/beslut/%lld/avbrott", (long long)d->id);
	struct folded fo = {"Registrera avbrott",
	                    hidden,
	                    "När insatsen har slutat ges utan att beslutet har upphört. Återupptas "
	                    "den inte inom tre månader från avbrottet rapporteras avbrottet till "
	                    "IVO och revisorerna varje kvartal tills den återupptas.",
	                    action,
	                    scope,
	                    "Registrera avbrott"};
	folded_form(sb, v, &fo, interrupt_fields, NB, failed(v, VF_INTERRUPT, d->id));
}

/* The form that records the resumption of an open interruption. */
static void
resume_form(struct strbuf *sb, const struct view *v, const struct interruption *i)
{
	char scope[40], hidden[80], action[48];
	snprintf(scope, sizeof scope, "u%lld-", (long long)i->id);
	snprintf(hidden, sizeof hidden, " verkställigheten efter avbrottet från %s", i->from_date);
	snprintf(action, sizeof action, "/avbrott/%lld/ateruppta", (long long)i->id);
	struct folded fo = {"Återuppta", hidden, NULL, action, scope, "Återuppta"};
	folded_form(sb, v, &fo, resume_fields, NU, failed(v, VF_RESUME, i->id));
}

/* The interruptions of a decision, each with how it ended, and the resumption form of the
 * open one; sets *open to whether one is open. */
static void
interruptions_html(struct strbuf *sb, const struct view *v, const struct decision *d, bool *open)
{
	*open = false;
	int n = 0;
	for (int k = 0; k < v->ints.n; k++) {
		const struct interruption *i = &v->ints.v[k];
		if (i->decision_id != d->id)
			continue;
		if (n++ == 0)
			HTML_RAW(
			    sb,
			    "<h4>Avbrott i verkställigheten</h4>\n<ul class=\"interruptions\">\n");
		const char *state = cases__interruption_state(i, d);
		HTML_RAW(sb, "<li>\n<p class=\"text\">Från ");
		html_text(sb, i->from_date);
		HTML_RAW(sb, ": ");
		html_text(sb, i->reason);
		HTML_RAW(sb, "</p>\n<p>");
		if (strcmp(state, "resumed") == 0) {
			HTML_RAW(sb, "Återupptaget ");
			html_text(sb, i->resumed_date);
			HTML_RAW(sb, ".");
		} else if (strcmp(state, "closed") == 0) {
			HTML_RAW(sb, "Upphörde ");
			html_text(sb, d->closed_date);
			HTML_RAW(sb, " när beslutet avslutades.");
		} else {
			HTML_RAW(sb, "<strong>Pågår.</strong>");
		}
		HTML_RAW(sb, "</p>\n");
		if (i->delay_reason[0]) {
			HTML_RAW(sb, "<p class=\"text\">Skäl till dröjsmål: ");
			html_text(sb, i->delay_reason);
			HTML_RAW(sb, "</p>\n");
		}
		if (strcmp(state, "open") == 0) {
			*open = true;
			resume_form(sb, v, i);
		}
		HTML_RAW(sb, "</li>\n");
	}
	if (n)
		HTML_RAW(sb, "</ul>\n");
}

static void
view_decision(const struct decision *d, void *arg)
{
	struct view *v = arg;
	struct strbuf *sb = &v->decisions;
	const char *name = service_name(v->cat, d->service);
	for (int i = 0; i < v->nundecided; i++)
		if (strcmp(v->undecided[i], d->service) == 0)
			v->undecided[i][0] = '\0';
	if (cases_replaceable(d, v->cs.id, NULL) &&
	    v->ncurrent < (int)(sizeof v->current / sizeof v->current[0])) {
		struct current *cur = &v->current[v->ncurrent++];
		cur->id = d->id;
		snprintf(cur->value, sizeof cur->value, "%lld", (long long)d->id);
		snprintf(cur->label, sizeof cur->label, "Beslut %lld: %s, %s, %s", (long long)d->id,
		         name, outcome_title(d->outcome), d->decision_date);
	}
	HTML_RAW(sb, "<article class=\"decision\" id=\"beslut-");
	html_int(sb, d->id);
	HTML_RAW(sb, "\" aria-labelledby=\"beslut-");
	html_int(sb, d->id);
	HTML_RAW(sb, "-rubrik\">\n<h3 id=\"beslut-");
	html_int(sb, d->id);
	HTML_RAW(sb, "-rubrik\">");
	html_text(sb, name);
	HTML_RAW(sb, ": ");
	html_text(sb, outcome_title(d->outcome));
	HTML_RAW(sb, "</h3>\n");
	if (d->replaced_by) {
		HTML_RAW(sb, "<p class=\"badge\">Ersatt av beslut ");
		html_int(sb, d->replaced_by);
		HTML_RAW(sb, "</p>\n");
	}
	HTML_RAW(sb, "<dl class=\"facts\">\n");
	struct strbuf scope;
	sb_init(&scope, 512);
	cases__scope_text(&scope, d);
	if (scope.len) {
		HTML_RAW(sb, "<dt>Omfattning</dt>\n<dd>");
		html_text(sb, scope.buf);
		HTML_RAW(sb, "</dd>\n");
	}
	sb_release(&scope);
	if (d->start_date[0]) {
		HTML_RAW(sb, "<dt>Period</dt>\n<dd>");
		html_text(sb, d->start_date);
		HTML_RAW(sb, " – ");
		if (d->end_date[0])
			html_text(sb, d->end_date);
		else
			HTML_RAW(sb, "tills vidare");
		HTML_RAW(sb, "</dd>\n");
	}
	HTML_RAW(sb, "<dt>Beslutat</dt>\n<dd>");
	html_text(sb, d->decision_date);
	HTML_RAW(sb, " av ");
	html_text(sb, d->decided_by_name);
	HTML_RAW(sb, " (");
	html_text(sb, cases_level_name(d->decided_level));
	if (d->delegation_point[0]) {
		HTML_RAW(sb, ", delegationspunkt ");
		html_text(sb, d->delegation_point);
	}
	HTML_RAW(sb, ")</dd>\n<dt>Lagrum</dt>\n<dd>");
	html_text(sb, d->legal_basis);
	HTML_RAW(sb, "</dd>\n");
	if (d->followup_date[0]) {
		HTML_RAW(sb, "<dt>Följs upp</dt>\n<dd>");
		html_text(sb, d->followup_date);
		HTML_RAW(sb, "</dd>\n");
	}
	if (d->executed_date[0]) {
		HTML_RAW(sb, "<dt>Verkställt</dt>\n<dd>");
		html_text(sb, d->executed_date);
		HTML_RAW(sb, "</dd>\n");
	}
	if (d->closed_date[0]) {
		const struct close_reason *why = cases_close_reason(d->closed_reason);
		if (d->executed_date[0])
			HTML_RAW(sb, "<dt>Avslutat under avbrott</dt>\n<dd class=\"text\">");
		else
			HTML_RAW(sb, "<dt>Avslutat utan verkställighet</dt>\n<dd class=\"text\">");
		html_text(sb, d->closed_date);
		HTML_RAW(sb, ", ");
		html_text(sb, why ? why->title : d->closed_reason);
		if (d->closed_note[0]) {
			HTML_RAW(sb, ". ");
			html_text(sb, d->closed_note);
		}
		HTML_RAW(sb, "</dd>\n");
	}
	if (d->goals[0]) {
		HTML_RAW(sb, "<dt>Mål</dt>\n<dd class=\"text\">");
		html_text(sb, d->goals);
		HTML_RAW(sb, "</dd>\n");
	}
	HTML_RAW(sb, "<dt>Motivering</dt>\n<dd class=\"text\">");
	html_text(sb, d->reasoning);
	HTML_RAW(sb, "</dd>\n</dl>\n<p><a href=\"/api/v1/decisions/");
	html_int(sb, d->id);
	HTML_RAW(sb, "/letter\">Beslutsbrev (PDF)<span class=\"visually-hidden\">, beslut ");
	html_int(sb, d->id);
	HTML_RAW(sb, "</span></a></p>\n");
	if (strcmp(d->outcome, "refused") != 0 && !d->replaced_by) {
		HTML_RAW(sb, "<p><a href=\"/beslut/");
		html_int(sb, d->id);
		HTML_RAW(sb,
		         "/utforare\">Utförare och beställning<span class=\"visually-hidden\">, "
		         "beslut ");
		html_int(sb, d->id);
		HTML_RAW(sb, "</span></a></p>\n");
	}
	bool open = false;
	interruptions_html(sb, v, d, &open);
	bool in_force = strcmp(d->outcome, "refused") != 0 && !d->replaced_by && !d->closed_date[0];
	/* Executed: it may be interrupted, and closed while interrupted; not executed: closed. */
	if (in_force && d->executed_date[0] && !open)
		interrupt_form(sb, v, d);
	if (in_force && (!d->executed_date[0] || open))
		close_form(sb, v, d);
	HTML_RAW(sb, "</article>\n");
	v->ndecisions++;
}

static void
view_event(const struct case_event *ev, void *arg)
{
	struct view *v = arg;
	struct strbuf *sb = &v->events;
	HTML_RAW(sb, "<li>\n<p class=\"timeline-when\">");
	time_html(sb, ev->at);
	HTML_RAW(sb, " · ");
	html_text(sb, ev->username);
	HTML_RAW(sb, "</p>\n<p>");
	html_text(sb, ev->detail);
	if (ev->from_state[0] && ev->to_state[0] && strcmp(ev->kind, "state") != 0) {
		HTML_RAW(sb, " (");
		html_text(sb, cases_state_title(ev->from_state));
		HTML_RAW(sb, " → ");
		html_text(sb, cases_state_title(ev->to_state));
		HTML_RAW(sb, ")");
	}
	HTML_RAW(sb, "</p>\n</li>\n");
	v->nevents++;
}

static void
view_release(struct view *v)
{
	sb_release(&v->reqs);
	sb_release(&v->self);
	sb_release(&v->assess);
	sb_release(&v->notes);
	sb_release(&v->decisions);
	sb_release(&v->events);
	free(v->cat);
	free(v->inv);
	free(v->ints.v);
}

/* Loads the case with access and everything the view shows. */
static int
view_load(struct view *v, int64_t id)
{
	struct req *r = v->r;
	int rc = cases__load_or_fail(r, id, &v->cs);
	if (rc)
		return rc;
	time_today(v->today);
	int64_t tenant = v->cs.tenant_id;
	struct db_conn *c = db_reader(r->db);
	rc = catalogue_load(c, tenant, &v->cat);
	if (rc == 0)
		rc = people_get(c, tenant, v->cs.person_id, &v->p);
	if (rc == 0)
		rc = cases_requests(c, tenant, v->cs.id, view_request, v);
	if (rc == 0)
		rc = cases_assessments(c, tenant, v->cs.id, view_assessment, v);
	if (rc == 0)
		rc = cases_notes(c, tenant, v->cs.id, view_note, v);
	if (rc == 0)
		rc = cases__interruptions_load(c, tenant, v->cs.id, 0, &v->ints);
	if (rc == 0)
		rc = cases_decisions(c, tenant, v->cs.id, view_decision, v);
	if (rc == 0)
		rc = cases_events(c, tenant, v->cs.id, view_event, v);
	if (rc == 0)
		rc = inv_form_load(c, &v->cs, &v->inv);
	db_reader_done(r->db, c);
	return rc ? REQ_FAIL(r, rc) : 0;
}

/* ---- the case view: rendering ------------------------------------------------------------- */

static void
section_open(struct strbuf *sb, const char *id, const char *title)
{
	HTML_RAW(sb, "<section class=\"case-part\" id=\"");
	html_attr(sb, id);
	HTML_RAW(sb, "\" aria-labelledby=\"");
	html_attr(sb, id);
	HTML_RAW(sb, "-rubrik\">\n<h2 id=\"");
	html_attr(sb, id);
	HTML_RAW(sb, "-rubrik\">");
	html_text(sb, title);
	HTML_RAW(sb, "</h2>\n");
}

/* The state buttons: every transition the table allows from here, but the decision, which
 * the decision form makes. The withdrawal goes through its own route, as in the JSON API. */
static void
state_forms(struct strbuf *sb, const struct view *v)
{
	static const struct {
		const char *to, *label;
	} moves[] = {
	    {"investigation", "Starta utredning"},
	    {"executing", "Markera att insatsen har börjat"},
	    {"follow_up", "Påbörja uppföljning"},
	    {"closed", "Avsluta ärendet"},
	    {"withdrawn", "Registrera att ansökan återtas"},
	};
	bool any = false;
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) {
		if (!cases_transition_ok(v->cs.state, moves[i].to))
			continue;
		if (!any)
			HTML_RAW(sb, "<div class=\"actions\">\n");
		any = true;
		bool withdraw = strcmp(moves[i].to, "withdrawn") == 0;
		HTML_RAW(sb, "<form method=\"post\" action=\"/arenden/");
		html_int(sb, v->cs.id);
		if (withdraw)
			HTML_RAW(sb, "/aterta\" class=\"inline-form\">\n");
		else
			HTML_RAW(sb, "/tillstand\" class=\"inline-form\">\n");
		form_csrf(sb, v->r);
		if (!withdraw) {
			const char *to = moves[i].to;
			cf_html(sb, v->r, state_fields, 1, &to, "", false);
		}
		HTML_RAW(sb, "<button type=\"submit\"");
		if (strcmp(moves[i].to, "closed") == 0 || withdraw)
			HTML_RAW(sb, " class=\"button-secondary\"");
		HTML_RAW(sb, ">");
		html_text(sb, moves[i].label);
		HTML_RAW(sb, "</button>\n</form>\n");
	}
	if (any)
		HTML_RAW(sb, "</div>\n");
}

static void
view_facts(struct strbuf *sb, const struct view *v)
{
	const struct case_row *cs = &v->cs;
	struct req *r = v->r;
	HTML_RAW(sb, "<div id=\"status\">\n<dl class=\"facts\">\n<dt>Status</dt>\n<dd><strong>");
	html_text(sb, cases_state_title(cs->state));
	HTML_RAW(sb, "</strong></dd>\n<dt>Ärendetyp</dt>\n<dd>");
	html_text(sb, strcmp(cs->kind, "report") == 0 ? "Anmälan" : "Ansökan");
	HTML_RAW(sb, ", ");
	html_text(sb, cs->law);
	if (strcmp(cs->channel, "online") == 0)
		HTML_RAW(sb, ", via e-tjänsten");
	else
		HTML_RAW(sb, ", registrerad av handläggare");
	HTML_RAW(sb, "</dd>\n<dt>Inkom</dt>\n<dd>");
	html_text(sb, cs->received_date);
	HTML_RAW(sb, "</dd>\n<dt>Utredas senast</dt>\n<dd>");
	due_html(sb, cs, v->today);
	HTML_RAW(sb, "</dd>\n<dt>Handläggare</dt>\n<dd>");
	if (cs->caseworker_id == r->who.user_id)
		HTML_RAW(sb, "Du");
	else if (cs->caseworker_id)
		HTML_RAW(sb, "En annan handläggare");
	else
		HTML_RAW(sb, "Ingen ännu");
	HTML_RAW(sb, "</dd>\n");
	if (cs->refer_level) {
		HTML_RAW(sb, "<dt>Beslut väntar hos</dt>\n<dd><strong>");
		html_text(sb, cases_level_name(cs->refer_level));
		HTML_RAW(sb, "</strong></dd>\n");
	}
	HTML_RAW(sb, "</dl>\n");
	if (cs->caseworker_id != r->who.user_id && cases_transition_ok(cs->state, "closed")) {
		HTML_RAW(sb, "<form method=\"post\" action=\"/arenden/");
		html_int(sb, cs->id);
		HTML_RAW(sb, "/tilldela\" class=\"inline-form\">\n");
		form_csrf(sb, r);
		if (cs->caseworker_id)
			HTML_RAW(sb, "<button type=\"submit\">Ta över ärendet</button>\n");
		else
			HTML_RAW(sb, "<button type=\"submit\">Ta ärendet</button>\n");
		HTML_RAW(sb, "</form>\n");
	}
	state_forms(sb, v);
	HTML_RAW(sb, "</div>\n");
}

static void
part_ansokan(struct strbuf *sb, const struct view *v)
{
	section_open(sb, "ansokan", "Ansökan");
	if (v->cs.summary[0]) {
		HTML_RAW(sb, "<p>");
		html_text(sb, v->cs.summary);
		HTML_RAW(sb, "</p>\n");
	}
	if (v->nreqs) {
		HTML_RAW(sb,
		         "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		         "aria-labelledby=\"insatser-rubrik\">\n<table>\n"
		         "<caption id=\"insatser-rubrik\">Insatser som ansökan gäller</caption>\n"
		         "<thead>\n<tr><th scope=\"col\">Insats</th><th scope=\"col\">Omfattning"
		         "</th><th scope=\"col\">Beskrivning</th></tr>\n</thead>\n<tbody>\n");
		sb_add(sb, v->reqs.buf, v->reqs.len);
		HTML_RAW(sb, "</tbody>\n</table>\n</div>\n");
	}
	HTML_RAW(sb, "<h3>Självskattning</h3>\n");
	if (v->nself)
		sb_add(sb, v->self.buf, v->self.len);
	else
		HTML_RAW(sb, "<p>Personen har inte gjort någon självskattning.</p>\n");
	HTML_RAW(sb, "</section>\n");
}

/* The investigation: its plan and sections with the form to change them, or the form to start
 * it from a template. */
static void
part_investigation(struct strbuf *sb, const struct view *v)
{
	struct req *r = v->r;
	const struct inv_form *fm = v->inv;
	bool err = failed(v, VF_INV, 0);
	const char *cur[I_CFIXED + INV_MAX_SECTIONS];
	if (fm->started) {
		HTML_RAW(sb, "<h3 id=\"utredningsplan\">");
		html_text(sb, fm->inv.template_name);
		HTML_RAW(sb, "</h3>\n");
		int missing = 0;
		for (int i = 0; i < fm->nsec; i++)
			missing += fm->sec[i].required && blank(fm->sec[i].body);
		if (missing) {
			HTML_RAW(sb,
			         "<p class=\"notice\">Avsnitt som krävs före beslut saknar text: ");
			for (int i = 0, k = 0; i < fm->nsec; i++) {
				if (!fm->sec[i].required || !blank(fm->sec[i].body))
					continue;
				if (k++)
					HTML_RAW(sb, ", ");
				html_text(sb, fm->sec[i].heading);
			}
			HTML_RAW(sb, ".</p>\n");
		}
		cur[I_CPLAN] = fm->inv.plan;
		cur[I_CVISIT] = fm->inv.planned_visit;
		cur[I_CVERSION] = fm->version;
		for (int i = 0; i < fm->nsec; i++)
			cur[I_CFIXED + i] = fm->sec[i].body;
	} else {
		HTML_RAW(sb, "<h3 id=\"utredningsplan\">Ny utredning från mall</h3>\n");
		cur[I_TEMPLATE] = fm->ntpl ? fm->opts[0].value : "";
		cur[I_PLAN] = "";
		cur[I_VISIT] = "";
	}
	HTML_RAW(sb, "<form method=\"post\" action=\"/arenden/");
	html_int(sb, v->cs.id);
	HTML_RAW(sb, "/utredning\" aria-labelledby=\"utredningsplan\" novalidate>\n");
	form_csrf(sb, r);
	cf_html(sb, r, fm->f, fm->n, err ? v->fs->v : cur, "", err);
	if (fm->started)
		HTML_RAW(sb, "<button type=\"submit\">Spara utredningen</button>\n</form>\n");
	else
		HTML_RAW(sb, "<button type=\"submit\">Skapa utredningen</button>\n</form>\n");
}

static void
part_utredning(struct strbuf *sb, const struct view *v)
{
	struct req *r = v->r;
	section_open(sb, "utredning", "Utredning");
	if (v->nassess)
		sb_add(sb, v->assess.buf, v->assess.len);
	else
		HTML_RAW(sb, "<p>Ingen bedömning är gjord ännu.</p>\n");
	struct cf_option areas[CASES_MAX_SELF];
	int n = 0;
	for (int i = 0; i < cases_nlife_areas && n < CASES_MAX_SELF; i++)
		areas[n++] =
		    (struct cf_option){cases_life_areas[i].code, cases_life_areas[i].title};
	struct cfield f[NA];
	memcpy(f, assess_fields, sizeof f);
	f[A_AREA].opts = areas;
	f[A_AREA].nopts = n;
	bool err = failed(v, VF_ASSESS, 0);
	part_investigation(sb, v);
	HTML_RAW(sb, "<h3 id=\"ny-bedomning\">Ny bedömning</h3>\n<form method=\"post\" "
	             "action=\"/arenden/");
	html_int(sb, v->cs.id);
	HTML_RAW(sb, "/bedomning\" aria-labelledby=\"ny-bedomning\" novalidate>\n");
	form_csrf(sb, r);
	cf_html(sb, r, f, NA, err ? v->fs->v : NULL, "", err);
	HTML_RAW(sb, "<button type=\"submit\">Spara bedömningen</button>\n</form>\n</section>\n");
}

static void
part_journal(struct strbuf *sb, const struct view *v)
{
	struct req *r = v->r;
	section_open(sb, "journal", "Journal");
	if (v->nnotes)
		sb_add(sb, v->notes.buf, v->notes.len);
	else
		HTML_RAW(sb, "<p>Journalen är tom.</p>\n");
	bool err = failed(v, VF_NOTE, 0);
	HTML_RAW(sb, "<h3 id=\"ny-anteckning\">Ny anteckning</h3>\n<form method=\"post\" "
	             "action=\"/arenden/");
	html_int(sb, v->cs.id);
	HTML_RAW(sb, "/journal\" aria-labelledby=\"ny-anteckning\" novalidate>\n");
	form_csrf(sb, r);
	cf_html(sb, r, note_fields, NN, err ? v->fs->v : NULL, "", err);
	HTML_RAW(sb, "<button type=\"submit\">Spara utkast</button>\n</form>\n</section>\n");
}

static void
part_beslut(struct strbuf *sb, const struct view *v)
{
	struct req *r = v->r;
	section_open(sb, "beslut", "Beslut");
	if (v->ndecisions)
		sb_add(sb, v->decisions.buf, v->decisions.len);
	else
		HTML_RAW(sb, "<p>Inget beslut är fattat ännu.</p>\n");
	if (v->cs.refer_level) {
		HTML_RAW(sb, "<div class=\"notice\">\n<p>Beslutet ligger utanför delegationen och "
		             "väntar hos <strong>");
		html_text(sb, cases_level_name(v->cs.refer_level));
		HTML_RAW(sb, "</strong>.</p>\n</div>\n");
	}
	/* The first insats applied for that has no decision yet is the form's choice. */
	const char *pending = NULL;
	for (int i = 0; i < v->nundecided && !pending; i++)
		if (v->undecided[i][0])
			pending = v->undecided[i];
	bool open = cases_decision_state_ok(v->cs.state, pending != NULL);
	if (!auth_permits(&r->who, PERM_DECIDE)) {
		HTML_RAW(sb, "</section>\n");
		return;
	}
	if (!open) {
		HTML_RAW(sb, "<p>Beslut fattas när ärendet utreds eller följs upp.</p>\n"
		             "</section>\n");
		return;
	}
	struct cf_option *services = xcalloc((size_t)v->cat->n + 1, sizeof *services);
	for (int i = 0; i < v->cat->n; i++)
		services[i] = (struct cf_option){v->cat->s[i].code, v->cat->s[i].name};
	struct cf_option replaces[16];
	for (int i = 0; i < v->ncurrent; i++)
		replaces[i] = (struct cf_option){v->current[i].value, v->current[i].label};
	struct cfield f[ND];
	memcpy(f, decide_fields, sizeof f);
	f[D_SERVICE].opts = services;
	f[D_SERVICE].nopts = v->cat->n;
	f[D_REPLACES].opts = replaces;
	f[D_REPLACES].nopts = v->ncurrent;
	bool err = failed(v, VF_DECIDE, 0);
	const char *dflt[ND] = {[D_SERVICE] = pending ? pending : v->first_service};
	const char *const *vals = err ? v->fs->v : dflt;
	char refer[120] = "";
	HTML_RAW(sb, "<h3 id=\"nytt-beslut\">Fatta beslut</h3>\n<form method=\"post\" "
	             "action=\"/arenden/");
	html_int(sb, v->cs.id);
	HTML_RAW(sb, "/beslut\" aria-labelledby=\"nytt-beslut\" novalidate>\n");
	form_csrf(sb, r);
	if (err && v->fs->level) {
		/* Beyond the delegation: say who decides, and offer to send it there. */
		const char *msg = form_error_for(r, "delegation");
		HTML_RAW(sb, "<div class=\"notice\" id=\"delegation\">\n<h4>Utanför din "
		             "delegation</h4>\n<p>");
		sentence_html(sb, msg ? msg : "beslutet ligger utanför din delegation");
		HTML_RAW(sb, ".</p>\n");
		snprintf(refer, sizeof refer, "Skicka till %s för beslut",
		         cases_level_name(v->fs->level));
		f[D_REFER].label = refer;
		cf_html(sb, r, &f[D_REFER], 1, &vals[D_REFER], "", err);
		HTML_RAW(sb, "</div>\n");
	}
	cf_html(sb, r, f, D_SPLIT, vals, "", err);
	cf_html(sb, r, &f[D_SPLIT], 1, &vals[D_SPLIT], "", err);
	HTML_RAW(sb, "<div class=\"split\">\n");
	cf_html(sb, r, &f[D_DAY], D_WEEKEND - D_DAY + 1, &vals[D_DAY], "", err);
	HTML_RAW(sb, "</div>\n</fieldset>\n");
	int last = v->ncurrent ? D_REPLACES + 1 : D_REPLACES;
	cf_html(sb, r, &f[D_START], last - D_START, &vals[D_START], "", err);
	HTML_RAW(sb, "<button type=\"submit\">Fatta beslut</button>\n</form>\n</section>\n");
	free(services);
}

static void
part_tidslinje(struct strbuf *sb, const struct view *v)
{
	section_open(sb, "tidslinje", "Tidslinje");
	if (v->nevents) {
		HTML_RAW(sb, "<ol class=\"timeline\">\n");
		sb_add(sb, v->events.buf, v->events.len);
		HTML_RAW(sb, "</ol>\n");
	} else {
		HTML_RAW(sb, "<p>Inga händelser.</p>\n");
	}
	HTML_RAW(sb, "</section>\n");
}

/* The error summary of the failed form, its links pointing at that form's fields. */
static void
view_summary(struct strbuf *sb, const struct view *v)
{
	struct req *r = v->r;
	char scope[40] = "";
	if (!v->fs || r->fe.n == 0)
		return;
	switch (v->fs->form) {
	case VF_ASSESS:
		cf_summary(sb, r, assess_fields, NA, "");
		break;
	case VF_NOTE:
		if (v->fs->note_id)
			snprintf(scope, sizeof scope, "r%lld-", (long long)v->fs->note_id);
		cf_summary(sb, r, note_fields, NN, scope);
		break;
	case VF_EDIT:
		snprintf(scope, sizeof scope, "e%lld-", (long long)v->fs->note_id);
		cf_summary(sb, r, edit_fields, NE, scope);
		break;
	case VF_DECIDE:
		cf_summary(sb, r, decide_fields, ND, "");
		break;
	case VF_INV:
		cf_summary(sb, r, v->inv->f, v->inv->n, "");
		break;
	case VF_FILE:
		snprintf(scope, sizeof scope, "c%lld-", (long long)v->cs.id);
		cf_summary(sb, r, file_field, 1, scope);
		break;
	case VF_CLOSE:
		snprintf(scope, sizeof scope, "a%lld-", (long long)v->fs->note_id);
		cf_summary(sb, r, close_fields, NC, scope);
		break;
	case VF_INTERRUPT:
		snprintf(scope, sizeof scope, "b%lld-", (long long)v->fs->note_id);
		cf_summary(sb, r, interrupt_fields, NB, scope);
		break;
	case VF_RESUME:
		snprintf(scope, sizeof scope, "u%lld-", (long long)v->fs->note_id);
		cf_summary(sb, r, resume_fields, NU, scope);
		break;
	default:
		cf_summary(sb, r, NULL, 0, "");
		break;
	}
}

/*
 * The case view, with status: the case, its person and every part, audited as one read of the
 * case (GET /api/v1/cases/{id}). fs names the form that failed, NULL for none.
 */
static int
case_view(struct req *r, int64_t id, int status, const struct form_state *fs)
{
	struct view *v = xcalloc(1, sizeof *v);
	v->r = r;
	v->fs = fs;
	sb_init(&v->reqs, 0);
	sb_init(&v->self, 0);
	sb_init(&v->assess, 0);
	sb_init(&v->notes, 0);
	sb_init(&v->decisions, 0);
	sb_init(&v->events, 0);
	int rc = view_load(v, id);
	if (rc == 0) {
		rc = cases__audit_read(r, &v->cs, "case");
		if (rc)
			rc = REQ_FAIL(r, rc);
	}
	if (rc) {
		view_release(v);
		free(v);
		return rc;
	}
	struct strbuf title, sb;
	sb_init(&title, 128);
	sb_addf(&title, "Ärende %s", v->cs.case_number);
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, title.buf, NULL);
	HTML_RAW(&sb, "<p class=\"breadcrumb\"><a href=\"/arenden\">Mina ärenden</a></p>\n<h1>");
	html_text(&sb, title.buf);
	sb_release(&title);
	HTML_RAW(&sb, "</h1>\n<p class=\"lead\"><a href=\"/personer/");
	html_int(&sb, v->p.id);
	HTML_RAW(&sb, "\">");
	html_text(&sb, v->p.given_name);
	HTML_RAW(&sb, " ");
	html_text(&sb, v->p.family_name);
	HTML_RAW(&sb, "</a>, ");
	html_pnr(&sb, v->p.pnr);
	if (v->p.protected_identity)
		HTML_RAW(&sb, " <span class=\"protected\">Skyddad identitet</span>");
	HTML_RAW(&sb, "</p>\n");
	view_summary(&sb, v);
	view_facts(&sb, v);
	HTML_RAW(&sb, "<nav class=\"case-nav\" aria-label=\"Ärendets delar\">\n<ul>\n"
	              "<li><a href=\"#ansokan\">Ansökan</a></li>\n"
	              "<li><a href=\"#utredning\">Utredning</a></li>\n"
	              "<li><a href=\"#journal\">Journal</a></li>\n"
	              "<li><a href=\"#bilagor\">Bilagor</a></li>\n"
	              "<li><a href=\"#beslut\">Beslut</a></li>\n"
	              "<li><a href=\"#tidslinje\">Tidslinje</a></li>\n");
	if (auth_permits(&r->who, PERM_VISIT_READ))
		HTML_RAW(&sb, "<li><a href=\"#utford-tid\">Utförd tid</a></li>\n");
	HTML_RAW(&sb, "</ul>\n</nav>\n<p><a class=\"button-link\" href=\"/arenden/");
	html_int(&sb, v->cs.id);
	HTML_RAW(&sb, "/nytt-meddelande\">Nytt meddelande</a></p>\n");
	part_ansokan(&sb, v);
	part_utredning(&sb, v);
	part_journal(&sb, v);
	section_open(&sb, "bilagor", "Bilagor");
	struct db_conn *c = db_reader(r->db);
	int arc = attachments_html(&sb, c, r, &v->cs, false, failed(v, VF_FILE, 0));
	db_reader_done(r->db, c);
	HTML_RAW(&sb, "</section>\n");
	part_beslut(&sb, v);
	part_tidslinje(&sb, v);
	int vrc = visits_case_section_html(r, &sb, v->p.id);
	bool parts_err = v->reqs.err || v->self.err || v->assess.err || v->notes.err ||
	                 v->decisions.err || v->events.err || arc != 0;
	view_release(v);
	free(v);
	if (vrc || parts_err) {
		sb_release(&sb);
		return vrc ? vrc : REQ_FAIL(r, HERR_INTERNAL);
	}
	return web_respond(r, status, &sb);
}

int
cases_page_case(struct req *r)
{
	return case_view(r, r->params[0], 200, NULL);
}

/* ---- the case view: changes -------------------------------------------------------------- */

/* Sends the browser back to a part of the case after a change. */
static int
back_to(struct req *r, int64_t case_id, const char *part)
{
	char loc[96];
	snprintf(loc, sizeof loc, "/arenden/%lld#%s", (long long)case_id, part);
	req_redirect(r, loc);
	return 0;
}

/* After a failed change: the case view with the form's errors, or the error page. */
static int
failed_change(struct req *r, int code, int64_t case_id, const struct form_state *fs)
{
	if (!shown_in_form(r, code))
		return code;
	return case_view(r, case_id, fail_status(code), fs);
}

int
cases_page_assign(struct req *r)
{
	int64_t id = r->params[0];
	/* As POST /api/v1/cases/{id}/assign with {}: to me, in my unit. */
	int rc = cases__assign_or_fail(r, id, r->who.user_id, r->who.unit_id);
	if (rc == 0)
		return back_to(r, id, "status");
	struct form_state fs = {.form = VF_ASSIGN};
	return failed_change(r, rc, id, &fs);
}

int
cases_page_state(struct req *r)
{
	int64_t id = r->params[0];
	const char *v[1];
	int rc = cf_read(r, state_fields, 1, v);
	if (rc == 0)
		rc = cases__move_or_fail(r, id, v[0], "");
	if (rc == 0)
		return back_to(r, id, "status");
	struct form_state fs = {.form = VF_STATE};
	return failed_change(r, rc, id, &fs);
}

int
cases_page_withdraw(struct req *r)
{
	int64_t id = r->params[0];
	int rc = cases__move_or_fail(r, id, "withdrawn", cases__withdraw_detail(r));
	bool staff = cases__is_staff(r);
	if (rc == 0) {
		if (staff)
			return back_to(r, id, "status");
		req_redirect(r, "/mina-sidor");
		return 0;
	}
	if (!staff && shown_in_form(r, rc))
		return mine_page(r, fail_status(rc));
	struct form_state fs = {.form = VF_STATE};
	return failed_change(r, rc, id, &fs);
}

int
cases_page_note_add(struct req *r)
{
	int64_t id = r->params[0];
	const char *v[NN];
	int rc = cf_read(r, note_fields, NN, v);
	struct note *n = xcalloc(1, sizeof *n);
	copy_text(n->body, sizeof n->body, v[N_BODY]);
	n->corrects_id = *v[N_CORRECTS] && !form_error_for(r, "corrects_id")
	                     ? strtoll(v[N_CORRECTS], NULL, 10)
	                     : 0;
	if (rc == 0)
		rc = cases__note_add_or_fail(r, id, n);
	int64_t corrects = n->corrects_id;
	free(n);
	if (rc == 0)
		return back_to(r, id, "journal");
	struct form_state fs = {.form = VF_NOTE, .note_id = corrects, .v = v};
	return failed_change(r, rc, id, &fs);
}

int
cases_page_note_edit(struct req *r)
{
	int64_t note_id = r->params[0];
	const char *v[NE];
	int rc = cf_read(r, edit_fields, NE, v);
	struct note *n = xcalloc(1, sizeof *n);
	struct case_row cs;
	/* The case to answer with: the note's, seen with access. */
	int lrc = cases__note_or_fail(r, note_id, n, &cs);
	if (lrc) {
		free(n);
		return lrc;
	}
	if (rc == 0) {
		char *body = xcalloc(1, sizeof n->body);
		copy_text(body, sizeof n->body, v[E_BODY]);
		rc = cases__note_update_or_fail(r, note_id, body, strtoll(v[E_VERSION], NULL, 10),
		                                n);
		free(body);
	}
	free(n);
	if (rc == 0)
		return back_to(r, cs.id, "journal");
	struct form_state fs = {.form = VF_EDIT, .note_id = note_id, .v = v};
	return failed_change(r, rc, cs.id, &fs);
}

int
cases_page_note_sign(struct req *r)
{
	int64_t note_id = r->params[0];
	struct note *n = xcalloc(1, sizeof *n);
	struct case_row cs;
	/* The case to answer with: the note's, seen with access. */
	int rc = cases__note_or_fail(r, note_id, n, &cs);
	if (rc) {
		free(n);
		return rc;
	}
	rc = cases__note_sign_or_fail(r, note_id, n);
	free(n);
	if (rc == 0)
		return back_to(r, cs.id, "journal");
	struct form_state fs = {.form = VF_SIGN, .note_id = note_id};
	return failed_change(r, rc, cs.id, &fs);
}

int
cases_page_assessment_add(struct req *r)
{
	int64_t id = r->params[0];
	struct cf_option areas[CASES_MAX_SELF];
	int n = 0;
	for (int i = 0; i < cases_nlife_areas && n < CASES_MAX_SELF; i++)
		areas[n++] =
		    (struct cf_option){cases_life_areas[i].code, cases_life_areas[i].title};
	struct cfield f[NA];
	memcpy(f, assess_fields, sizeof f);
	f[A_AREA].opts = areas;
	f[A_AREA].nopts = n;
	const char *v[NA];
	int rc = cf_read(r, f, NA, v);
	if (rc == 0) {
		struct assessment *a = xcalloc(1, sizeof *a);
		str_copy(a->life_area, sizeof a->life_area, v[A_AREA]);
		copy_text(a->functioning, sizeof a->functioning, v[A_FUNCTIONING]);
		copy_text(a->own_view, sizeof a->own_view, v[A_OWN]);
		copy_text(a->goal, sizeof a->goal, v[A_GOAL]);
		rc = cases__assessment_add_or_fail(r, id, a);
		free(a);
	}
	if (rc == 0)
		return back_to(r, id, "utredning");
	struct form_state fs = {.form = VF_ASSESS, .v = v};
	return failed_change(r, rc, id, &fs);
}

int
cases_page_investigation(struct req *r)
{
	int64_t id = r->params[0];
	struct case_row cs;
	int rc = cases__load_or_fail(r, id, &cs);
	if (rc)
		return rc;
	struct inv_form *fm = NULL;
	struct db_conn *c = db_reader(r->db);
	rc = inv_form_load(c, &cs, &fm);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	const char *v[I_CFIXED + INV_MAX_SECTIONS];
	rc = cf_read(r, fm->f, fm->n, v);
	struct investigation *inv = xcalloc(1, sizeof *inv);
	if (rc == 0 && fm->started) {
		struct inv_text texts[INV_MAX_SECTIONS];
		for (int i = 0; i < fm->nsec; i++)
			texts[i] = (struct inv_text){fm->sec[i].id, v[I_CFIXED + i]};
		rc = cases__inv_update_or_fail(r, id, strtoll(v[I_CVERSION], NULL, 10), true,
		                               v[I_CPLAN], v[I_CVISIT], texts, fm->nsec, inv);
	} else if (rc == 0) {
		rc = cases__inv_create_or_fail(r, id, v[I_TEMPLATE], v[I_PLAN], v[I_VISIT], inv);
	}
	free(inv);
	free(fm);
	if (rc == 0)
		return back_to(r, id, "utredning");
	/* The values stay borrowed from the request; the view rebuilds the same form. */
	struct form_state fs = {.form = VF_INV, .v = v};
	return failed_change(r, rc, id, &fs);
}

/* An hours field as the decision reads it: -1 when empty or refused by the form. */
static int
form_hours(const struct req *r, const struct cfield *f, const char *v)
{
	if (!*v || form_error_for(r, f->name))
		return -1;
	long h = strtol(v, NULL, 10);
	return h > 744 ? 745 : (int)h;
}

int
cases_page_decide(struct req *r)
{
	int64_t id = r->params[0];
	struct catalogue *cat = NULL;
	struct db_conn *c = db_reader(r->db);
	int rc = catalogue_load(c, r->who.tenant_id, &cat);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	struct cf_option *services = xcalloc((size_t)cat->n + 1, sizeof *services);
	for (int i = 0; i < cat->n; i++)
		services[i] = (struct cf_option){cat->s[i].code, cat->s[i].name};
	struct cfield f[ND];
	memcpy(f, decide_fields, sizeof f);
	f[D_SERVICE].opts = services;
	f[D_SERVICE].nopts = cat->n;
	const char *v[ND];
	cf_read(r, f, ND, v);
	struct decision *d = xcalloc(1, sizeof *d);
	/* What the form gave, as POST /api/v1/cases/{id}/decisions reads it; a value the form
	 * refused counts as not given, so the route's own checks still speak. */
	str_copy(d->service, sizeof d->service, form_error_for(r, "service") ? "" : v[D_SERVICE]);
	str_copy(d->outcome, sizeof d->outcome, v[D_OUTCOME]);
	d->hours = form_hours(r, &f[D_HOURS], v[D_HOURS]);
	d->hours_day = form_hours(r, &f[D_DAY], v[D_DAY]);
	d->hours_evening = form_hours(r, &f[D_EVENING], v[D_EVENING]);
	d->hours_night = form_hours(r, &f[D_NIGHT], v[D_NIGHT]);
	d->hours_weekend = form_hours(r, &f[D_WEEKEND], v[D_WEEKEND]);
	str_copy(d->start_date, sizeof d->start_date,
	         form_error_for(r, "start_date") ? "" : v[D_START]);
	str_copy(d->end_date, sizeof d->end_date, form_error_for(r, "end_date") ? "" : v[D_END]);
	copy_text(d->goals, sizeof d->goals, v[D_GOALS]);
	copy_text(d->reasoning, sizeof d->reasoning, v[D_REASONING]);
	str_copy(d->legal_basis, sizeof d->legal_basis, v[D_LEGAL]);
	d->replaces_id = *v[D_REPLACES] && !form_error_for(r, "replaces_id")
	                     ? strtoll(v[D_REPLACES], NULL, 10)
	                     : 0;
	bool refer = strcmp(v[D_REFER], "1") == 0;
	int level = 0;
	rc = cases__decide_or_fail(r, id, d, refer, &level);
	free(d);
	free(services);
	free(cat);
	if (rc == 0)
		return back_to(r, id, "beslut");
	struct form_state fs = {
	    .form = VF_DECIDE, .v = v, .level = rc == HERR_FORBIDDEN ? level : 0};
	return failed_change(r, rc, id, &fs);
}

/* After a change of a decision from the case view (rc its outcome): back to the decision, or
 * the case view with the form's errors. */
static int
decision_changed(struct req *r, int rc, int64_t case_id, int64_t decision_id,
                 const struct form_state *fs)
{
	if (rc)
		return failed_change(r, rc, case_id, fs);
	char part[40];
	snprintf(part, sizeof part, "beslut-%lld", (long long)decision_id);
	return back_to(r, case_id, part);
}

int
cases_page_close(struct req *r)
{
	int64_t id = r->params[0];
	/* The case to answer with: the decision's, seen with access (404 otherwise). */
	struct decision *d = xcalloc(1, sizeof *d);
	struct case_row cs;
	int rc = cases__decision_or_fail(r, id, d, &cs);
	if (rc) {
		free(d);
		return rc;
	}
	struct cf_option reasons[CLOSE_OPTS];
	struct cfield f[NC];
	close_form_fields(f, reasons);
	const char *v[NC];
	rc = cf_read(r, f, NC, v);
	if (rc == 0) {
		char *note = xcalloc(1, CASES_CLOSE_NOTE_MAX + 1);
		copy_text(note, CASES_CLOSE_NOTE_MAX + 1, v[C_NOTE]);
		rc = cases__close_or_fail(r, id, v[C_DATE], v[C_REASON], note, d);
		free(note);
	}
	free(d);
	struct form_state fs = {.form = VF_CLOSE, .note_id = id, .v = v};
	return decision_changed(r, rc, cs.id, id, &fs);
}

int
cases_page_interrupt(struct req *r)
{
	int64_t id = r->params[0];
	/* The case to answer with: the decision's, seen with access (404 otherwise). */
	struct decision *d = xcalloc(1, sizeof *d);
	struct case_row cs;
	int rc = cases__decision_or_fail(r, id, d, &cs);
	free(d);
	if (rc)
		return rc;
	const char *v[NB];
	rc = cf_read(r, interrupt_fields, NB, v);
	if (rc == 0) {
		char *reason = xcalloc(1, CASES_INTERRUPTION_REASON_MAX + 1);
		struct interruption *i = xcalloc(1, sizeof *i);
		copy_text(reason, CASES_INTERRUPTION_REASON_MAX + 1, v[B_REASON]);
		rc = cases__interrupt_or_fail(r, id, v[B_FROM], reason, i);
		free(i);
		free(reason);
	}
	struct form_state fs = {.form = VF_INTERRUPT, .note_id = id, .v = v};
	return decision_changed(r, rc, cs.id, id, &fs);
}

int
cases_page_resume(struct req *r)
{
	int64_t id = r->params[0];
	struct interruption *i = xcalloc(1, sizeof *i);
	struct decision *d = xcalloc(1, sizeof *d);
	struct case_row cs;
	int rc = cases__interruption_or_fail(r, id, i, d, &cs);
	int64_t decision_id = i->decision_id;
	free(d);
	if (rc) {
		free(i);
		return rc;
	}
	const char *v[NU];
	if ((rc = cf_read(r, resume_fields, NU, v)) == 0)
		rc = cases__resume_or_fail(r, id, v[U_DATE], i);
	free(i);
	struct form_state fs = {.form = VF_RESUME, .note_id = id, .v = v};
	return decision_changed(r, rc, cs.id, decision_id, &fs);
}

/* ---- the manager's pages (issue 3 item 9) -------------------------------------------------
 *
 * The delegation order, the quarter's unexecuted decisions, lead times, the delegated decisions
 * for the board and the cases referred upwards. Each reads through the report functions of
 * report.c and the argument parsers of its JSON route (api_private.h), and writes the audit
 * records that route writes: one list record per person listed, none for numbers only. */

#define DAY_TEXT 11 /* YYYY-MM-DD and its NUL */

/* Appends a number of days with one decimal and a decimal comma; "–" when there are none. */
static void
days_html(struct strbuf *sb, int n, double v)
{
	if (n == 0) {
		HTML_RAW(sb, "–");
		return;
	}
	char buf[32];
	snprintf(buf, sizeof buf, "%.1f", v);
	char *dot = strchr(buf, '.');
	if (dot)
		*dot = ',';
	html_text(sb, buf);
}

/* Appends a report's name of a person: birth date YYYYMMDD and sex, never the number. */
static void
masked_html(struct strbuf *sb, const struct report_row *d)
{
	char birth[9];
	const char *sex;
	if (cases_report_mask(d->pnr, birth, &sex) != 0) {
		HTML_RAW(sb, "</td>\n<td>");
		return;
	}
	html_text(sb, birth);
	HTML_RAW(sb, "</td>\n<td>");
	html_text(sb, sex);
}

/* Opens a table in its focusable, scrollable wrapper, with the caption. */
static void
table_begin_html(struct strbuf *sb, const char *id, const char *caption)
{
	HTML_RAW(sb, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"");
	html_attr(sb, id);
	HTML_RAW(sb, "\">\n<table>\n<caption id=\"");
	html_attr(sb, id);
	HTML_RAW(sb, "\">");
	html_text(sb, caption);
	HTML_RAW(sb, "</caption>\n");
}

/* The period form of a page (from, to), with the errors of r. */
enum { P_FROM, P_TO, NP };

static const struct cfield period_fields[NP] = {
    [P_FROM] = {"from", "Från och med", CF_DATE, true, 10, NULL, NULL, 0},
    [P_TO] = {"to", "Till och med", CF_DATE, true, 10, NULL, NULL, 0},
};

/* Reads the period of a page: the query's from and to when given (checked by the field list,
 * then by the JSON route's parser), else [dfrom, dto]. On failure the field errors are set
 * up; v holds the values to show again. */
static int
period_read(struct req *r, const char *dfrom, const char *dto, char from[DAY_TEXT],
            char to[DAY_TEXT], const char **v)
{
	if (!req_query(r, "from") && !req_query(r, "to")) {
		str_copy(from, DAY_TEXT, dfrom);
		str_copy(to, DAY_TEXT, dto);
		v[P_FROM] = from;
		v[P_TO] = to;
		return 0;
	}
	int rc = cf_read_query(r, period_fields, NP, v);
	if (rc == 0)
		rc = cases__period_or_fail(r, from, to);
	return rc;
}

static void
period_form(struct strbuf *sb, const struct req *r, const char *action, const char *const *v)
{
	cf_summary(sb, r, period_fields, NP, NULL);
	HTML_RAW(sb, "<form method=\"get\" action=\"");
	html_attr(sb, action);
	HTML_RAW(sb, "\" class=\"search-form\" novalidate>\n");
	cf_html(sb, r, period_fields, NP, v, NULL, true);
	HTML_RAW(sb, "<button type=\"submit\">Visa</button>\n</form>\n");
}

/* ---- GET /chef/delegationsordning ---- */

int
cases_page_delegation(struct req *r)
{
	struct delegation_rule *rules = NULL;
	int n = 0;
	struct catalogue *cat = NULL;
	struct db_conn *c = db_reader(r->db);
	int rc = catalogue_load(c, r->who.tenant_id, &cat);
	if (rc == 0)
		rc = cases_delegation(c, r->who.tenant_id, &rules, &n);
	db_reader_done(r->db, c);
	if (rc) {
		free(cat);
		return REQ_FAIL(r, rc);
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Delegationsordning", "/chef/delegationsordning");
	HTML_RAW(&sb, "<h1>Delegationsordning</h1>\n<p>Vem som får fatta vilka beslut på "
	              "nämndens vägnar. Beslut som ligger utanför delegationen fattas av "
	              "nämnden.</p>\n");
	if (n == 0) {
		HTML_RAW(&sb, "<p>Delegationsordningen har inga punkter.</p>\n");
	} else {
		table_begin_html(&sb, "tabell-delegation", "Delegationsordningens punkter");
		HTML_RAW(&sb,
		         "<thead>\n<tr><th scope=\"col\">Punkt</th><th scope=\"col\">Insats</th>"
		         "<th scope=\"col\">Nivå</th><th scope=\"col\">Bifall</th>"
		         "<th scope=\"col\">Avslag</th>"
		         "<th scope=\"col\">Högst timmar per månad</th>"
		         "<th scope=\"col\">Högst antal månader</th></tr>\n</thead>\n<tbody>\n");
		for (int i = 0; i < n; i++) {
			const struct delegation_rule *d = &rules[i];
			HTML_RAW(&sb, "<tr>\n<th scope=\"row\">");
			html_text(&sb, d->point);
			HTML_RAW(&sb, "</th>\n<td>");
			if (strcmp(d->service, "*") == 0)
				HTML_RAW(&sb, "Alla insatser");
			else
				html_text(&sb, service_name(cat, d->service));
			HTML_RAW(&sb, "</td>\n<td>");
			sentence_html(&sb, cases_level_name(d->level));
			HTML_RAW(&sb, "</td>\n<td>");
			if (d->may_grant)
				HTML_RAW(&sb, "Får bevilja");
			else
				HTML_RAW(&sb, "Nej");
			HTML_RAW(&sb, "</td>\n<td>");
			if (d->may_refuse)
				HTML_RAW(&sb, "Får avslå");
			else
				HTML_RAW(&sb, "Nej");
			HTML_RAW(&sb, "</td>\n<td class=\"number\">");
			if (d->max_hours < 0)
				HTML_RAW(&sb, "Ingen gräns");
			else
				html_int(&sb, d->max_hours);
			HTML_RAW(&sb, "</td>\n<td class=\"number\">");
			if (d->max_months < 0)
				HTML_RAW(&sb, "Ingen gräns");
			else
				html_int(&sb, d->max_months);
			HTML_RAW(&sb, "</td>\n</tr>\n");
		}
		HTML_RAW(&sb, "</tbody>\n</table>\n</div>\n");
	}
	cases_rules_free(rules, n);
	free(cat);
	return web_respond(r, 200, &sb);
}

/* ---- GET /chef/ej-verkstallda ---- */

static const struct cf_option quarter_opts[] = {
    {"1", "Kvartal 1 (januari–mars)"},
    {"2", "Kvartal 2 (april–juni)"},
    {"3", "Kvartal 3 (juli–september)"},
    {"4", "Kvartal 4 (oktober–december)"},
};

enum { Q_YEAR, Q_QUARTER, NQ };

static const struct cfield quarter_fields[NQ] = {
    [Q_YEAR] = {"year", "År", CF_NUMBER, true, 4, NULL, NULL, 0},
    [Q_QUARTER] = {"quarter", "Kvartal", CF_SELECT, true, 1, NULL, quarter_opts, 4},
};

struct unexecuted_rows {
	struct report_unexecuted *v; /* rows, owned */
	int n, cap;                  /* used and allocated */
	bool over;                   /* more than REPORT_MAX_ROWS */
};

static void
unexecuted_add(const struct report_unexecuted *u, void *arg)
{
	struct unexecuted_rows *l = arg;
	if (l->n >= REPORT_MAX_ROWS) {
		l->over = true;
		return;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
	}
	l->v[l->n++] = *u;
}

static void
unexecuted_table(struct strbuf *sb, const struct unexecuted_rows *l)
{
	table_begin_html(sb, "tabell-ej-verkstallda",
	                 "Beslut som inte har verkställts i tid och avbrott som inte har "
	                 "återupptagits i tid");
	HTML_RAW(sb, "<thead>\n<tr><th scope=\"col\">Diarienummer</th><th scope=\"col\">Typ</th>"
	             "<th scope=\"col\">Beslutsdatum</th><th scope=\"col\">Avbrott från</th>"
	             "<th scope=\"col\">Insats</th>"
	             "<th scope=\"col\">Lag</th><th scope=\"col\">Födelsedatum</th>"
	             "<th scope=\"col\">Kön</th><th scope=\"col\">Dagar i väntan</th>"
	             "<th scope=\"col\">Väntetid</th>"
	             "<th scope=\"col\">Verkställt, återupptaget eller avslutat</th>"
	             "<th scope=\"col\">Skäl till dröjsmål</th></tr>\n</thead>\n<tbody>\n");
	struct strbuf end;
	sb_init(&end, 0);
	for (int i = 0; i < l->n; i++) {
		const struct report_unexecuted *u = &l->v[i];
		HTML_RAW(sb, "<tr>\n<th scope=\"row\">");
		html_text(sb, u->d.case_number);
		HTML_RAW(sb, "</th>\n<td>");
		html_text(sb, cases_report_kind_title(u->kind));
		HTML_RAW(sb, "</td>\n<td class=\"nowrap\">");
		html_text(sb, u->d.decision_date);
		HTML_RAW(sb, "</td>\n<td>");
		sb_reset(&end);
		cases_report_interruption_text(u, &end);
		html_text(sb, end.buf);
		HTML_RAW(sb, "</td>\n<td>");
		html_text(sb, u->d.service_name);
		HTML_RAW(sb, "</td>\n<td>");
		html_text(sb, u->d.law);
		HTML_RAW(sb, "</td>\n<td>");
		masked_html(sb, &u->d);
		HTML_RAW(sb, "</td>\n<td class=\"number\">");
		html_int(sb, u->days_waited);
		HTML_RAW(sb, "</td>\n<td>");
		html_text(sb, cases_report_wait_title(u->wait));
		sb_reset(&end);
		cases_report_end_text(u, &end);
		HTML_RAW(sb, "</td>\n<td");
		if (!u->closed_in_quarter)
			HTML_RAW(sb, " class=\"nowrap\"");
		HTML_RAW(sb, ">");
		if (end.len)
			html_text(sb, end.buf);
		else
			HTML_RAW(sb, "Nej");
		HTML_RAW(sb, "</td>\n<td>");
		html_text(sb, u->d.delay_reason);
		HTML_RAW(sb, "</td>\n</tr>\n");
	}
	sb_release(&end);
	HTML_RAW(sb, "</tbody>\n</table>\n</div>\n");
}

/* The council's statistics of one kind of row (enum report_kind): decisions still unexecuted,
 * or interruptions still not resumed, at the quarter's end per service and waiting interval,
 * and those whose wait ended within the quarter. */
static void
council_table(struct strbuf *sb, const struct unexecuted_rows *l, int kind)
{
	static const struct {
		const char *id, *caption, *rest[3];
	} t[REPORT_NKIND] = {
	    [REPORT_NOT_EXECUTED] = {"tabell-statistik",
	                             "Antal ej verkställda beslut vid kvartalets slut per insats "
	                             "och väntetid",
	                             {"Ej verkställda totalt", "Verkställda under kvartalet",
	                              "Avslutade utan verkställighet"}},
	    [REPORT_INTERRUPTED] = {"tabell-statistik-avbrott",
	                            "Antal avbrott som inte var återupptagna vid kvartalets slut "
	                            "per insats och tid sedan avbrottet",
	                            {"Ej återupptagna totalt", "Återupptagna under kvartalet",
	                             "Avslutade under avbrott"}},
	};
	struct report_count *sv, sum;
	int m = cases_report_count(l->v, l->n, kind, &sv, &sum);
	table_begin_html(sb, t[kind].id, t[kind].caption);
	HTML_RAW(sb, "<thead>\n<tr><th scope=\"col\">Insats</th><th scope=\"col\">Lag</th>");
	for (int k = 0; k < REPORT_NWAIT; k++) {
		HTML_RAW(sb, "<th scope=\"col\">");
		sentence_html(sb, cases_report_wait_title(k));
		HTML_RAW(sb, "</th>");
	}
	for (int k = 0; k < 3; k++) {
		HTML_RAW(sb, "<th scope=\"col\">");
		html_text(sb, t[kind].rest[k]);
		HTML_RAW(sb, "</th>");
	}
	HTML_RAW(sb, "</tr>\n</thead>\n<tbody>\n");
	for (int j = 0; j <= m; j++) {
		const struct report_count *s = j < m ? &sv[j] : &sum;
		if (j == m)
			HTML_RAW(sb, "</tbody>\n<tfoot>\n");
		HTML_RAW(sb, "<tr>\n<th scope=\"row\">");
		if (j < m)
			html_text(sb, s->name);
		else
			HTML_RAW(sb, "Totalt");
		HTML_RAW(sb, "</th>\n<td>");
		if (j < m)
			html_text(sb, s->law);
		HTML_RAW(sb, "</td>\n");
		for (int k = 0; k < REPORT_NWAIT; k++) {
			HTML_RAW(sb, "<td class=\"number\">");
			html_int(sb, s->n[k]);
			HTML_RAW(sb, "</td>\n");
		}
		const int rest[] = {s->total, s->executed, s->closed};
		for (int k = 0; k < 3; k++) {
			HTML_RAW(sb, "<td class=\"number\">");
			html_int(sb, rest[k]);
			HTML_RAW(sb, "</td>\n");
		}
		HTML_RAW(sb, "</tr>\n");
	}
	HTML_RAW(sb, "</tfoot>\n</table>\n</div>\n");
	free(sv);
}

/* A link to the JSON route of the quarter report in a format. */
static void
unexecuted_link(struct strbuf *sb, int year, int quarter, const char *format, const char *text)
{
	HTML_RAW(sb, "<li><a href=\"/api/v1/reports/unexecuted?year=");
	html_int(sb, year);
	HTML_RAW(sb, "&amp;quarter=");
	html_int(sb, quarter);
	HTML_RAW(sb, "&amp;format=");
	html_url_component(sb, format);
	HTML_RAW(sb, "\" download>");
	html_text(sb, text);
	HTML_RAW(sb, "</a></li>\n");
}

int
cases_page_unexecuted(struct req *r)
{
	char today[DAY_TEXT], ybuf[8], qbuf[4];
	time_today(today);
	int32_t t;
	if (cal_parse(today, &t) != 0)
		return REQ_FAIL(r, HERR_INTERNAL);
	/* The last completed quarter. */
	int y, m, d;
	cal_civil(t, &y, &m, &d);
	int year = y, quarter = (m - 1) / 3;
	if (quarter == 0) {
		year--;
		quarter = 4;
	}
	const char *v[NQ];
	int rc = 0;
	if (req_query(r, "year") || req_query(r, "quarter")) {
		rc = cf_read_query(r, quarter_fields, NQ, v);
		if (rc == 0) {
			/* The parser of GET /api/v1/reports/unexecuted. */
			cases__int_arg(r, "year", REPORT_YEAR_MIN, REPORT_YEAR_MAX,
			               "ange ett år 2000–2100", &year);
			cases__int_arg(r, "quarter", 1, 4, "ange kvartal 1–4", &quarter);
			if (r->fe.n)
				rc = REQ_FAIL(r, HERR_INVALID);
		}
	} else {
		snprintf(ybuf, sizeof ybuf, "%d", year);
		snprintf(qbuf, sizeof qbuf, "%d", quarter);
		v[Q_YEAR] = ybuf;
		v[Q_QUARTER] = qbuf;
	}
	struct unexecuted_rows l = {0};
	if (rc == 0) {
		struct db_conn *c = db_reader(r->db);
		rc =
		    cases_report_unexecuted(c, r->who.tenant_id, year, quarter, unexecuted_add, &l);
		db_reader_done(r->db, c);
		if (rc == 0 && l.over) {
			field_error_add(&r->fe, "quarter", "för många beslut för en rapport");
			rc = HERR_LIMIT;
		}
		if (rc == 0) {
			int64_t *ids = xcalloc((size_t)(l.n ? l.n : 1), sizeof *ids);
			for (int i = 0; i < l.n; i++)
				ids[i] = l.v[i].d.person_id;
			rc = cases__audit_listed(r, "report_unexecuted", ids, l.n);
			free(ids);
		}
		if (rc)
			rc = REQ_FAIL(r, rc);
	}
	if (rc && !(r->fe.n && (rc == HERR_INVALID || rc == HERR_LIMIT))) {
		free(l.v);
		return rc;
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Ej verkställda beslut", "/chef/ej-verkstallda");
	HTML_RAW(&sb,
	         "<h1>Ej verkställda beslut</h1>\n<p>Beviljade beslut enligt SoL och LSS "
	         "som inte har verkställts inom tre månader, och beslut vars verkställighet har "
	         "avbrutits och inte återupptagits inom tre månader från avbrottet, per kvartal. "
	         "Ett beslut som verkställs, återupptas eller avslutas under kvartalet står med "
	         "en sista gång med datum och skäl. Rapporten lämnas till IVO och revisorerna, och "
	         "statistiken till kommunfullmäktige. Personen anges med födelsedatum och kön. "
	         "Att du tittar här loggas.</p>\n");
	cf_summary(&sb, r, quarter_fields, NQ, NULL);
	HTML_RAW(&sb, "<form method=\"get\" action=\"/chef/ej-verkstallda\" class=\"search-form\" "
	              "novalidate>\n");
	cf_html(&sb, r, quarter_fields, NQ, v, NULL, true);
	HTML_RAW(&sb, "<button type=\"submit\">Visa</button>\n</form>\n");
	if (rc == 0) {
		char qs[DAY_TEXT], qe[DAY_TEXT];
		cal_format(cal_quarter_start(year, quarter), qs);
		cal_format(cal_quarter_end(year, quarter), qe);
		HTML_RAW(&sb, "<h2>Kvartal ");
		html_int(&sb, quarter);
		HTML_RAW(&sb, " ");
		html_int(&sb, year);
		HTML_RAW(&sb, "</h2>\n<p>Perioden ");
		html_text(&sb, qs);
		HTML_RAW(&sb, " – ");
		html_text(&sb, qe);
		HTML_RAW(&sb, ".</p>\n<ul class=\"downloads\">\n");
		unexecuted_link(&sb, year, quarter, "csv", "Ladda ner som CSV (Excel)");
		unexecuted_link(&sb, year, quarter, "pdf", "Ladda ner som PDF");
		HTML_RAW(&sb, "</ul>\n");
		if (l.n == 0) {
			HTML_RAW(&sb, "<p role=\"status\">Inga beslut att rapportera för "
			              "kvartalet.</p>\n");
		} else {
			int ni = 0;
			for (int i = 0; i < l.n; i++)
				ni += l.v[i].kind == REPORT_INTERRUPTED;
			HTML_RAW(&sb, "<p role=\"status\">");
			html_int(&sb, l.n - ni);
			HTML_RAW(&sb, " ej verkställda beslut och ");
			html_int(&sb, ni);
			HTML_RAW(&sb, " avbrott i verkställigheten att rapportera.</p>\n");
			unexecuted_table(&sb, &l);
		}
		HTML_RAW(&sb, "<h2>Statistik till kommunfullmäktige</h2>\n");
		council_table(&sb, &l, REPORT_NOT_EXECUTED);
		HTML_RAW(&sb, "<h3>Avbrott i verkställigheten</h3>\n");
		council_table(&sb, &l, REPORT_INTERRUPTED);
	}
	free(l.v);
	return web_respond(r, rc ? fail_status(rc) : 200, &sb);
}

/* ---- GET /chef/ledtider ---- */

int
cases_page_lead_times(struct req *r)
{
	char today[DAY_TEXT], dfrom[DAY_TEXT], from[DAY_TEXT], to[DAY_TEXT];
	time_today(today);
	int32_t t;
	if (cal_parse(today, &t) != 0)
		return REQ_FAIL(r, HERR_INTERNAL);
	cal_format(cal_add_months(t, -12) + 1, dfrom); /* the last twelve months */
	const char *v[NP];
	int rc = period_read(r, dfrom, today, from, to, v);
	struct report_lead *lv = NULL;
	int n = 0;
	if (rc == 0) {
		struct db_conn *c = db_reader(r->db);
		rc = cases_report_lead_times(c, r->who.tenant_id, from, to, &lv, &n);
		db_reader_done(r->db, c);
		if (rc == HERR_LIMIT)
			field_error_add(&r->fe, "to", "för många beslut; välj en kortare period");
		if (rc)
			rc = REQ_FAIL(r, rc);
	}
	if (rc && !(r->fe.n && (rc == HERR_INVALID || rc == HERR_LIMIT))) {
		free(lv);
		return rc;
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Ledtider", "/chef/ledtider");
	HTML_RAW(&sb, "<h1>Ledtider</h1>\n<p>Hur lång tid det tar från ansökan till beslut och "
	              "från beslut till verkställighet, för de beslut som fattades under "
	              "perioden. Tiderna anges i dagar.</p>\n");
	period_form(&sb, r, "/chef/ledtider", v);
	if (rc == 0) {
		HTML_RAW(&sb, "<h2>Beslut ");
		html_text(&sb, from);
		HTML_RAW(&sb, " – ");
		html_text(&sb, to);
		HTML_RAW(&sb, "</h2>\n");
		if (lv[0].handling.n == 0)
			HTML_RAW(&sb,
			         "<p role=\"status\">Inga beslut fattades under perioden.</p>\n");
		table_begin_html(&sb, "tabell-ledtider", "Ledtider per insats, i dagar");
		HTML_RAW(&sb,
		         "<thead>\n<tr><th scope=\"col\" rowspan=\"2\">Insats</th>"
		         "<th scope=\"col\" rowspan=\"2\">Lag</th>"
		         "<th scope=\"colgroup\" colspan=\"3\">Ansökan till beslut</th>"
		         "<th scope=\"colgroup\" colspan=\"3\">Beslut till verkställighet</th>"
		         "</tr>\n<tr><th scope=\"col\">Beslut</th><th scope=\"col\">Median</th>"
		         "<th scope=\"col\">Medel</th><th scope=\"col\">Verkställda</th>"
		         "<th scope=\"col\">Median</th><th scope=\"col\">Medel</th></tr>\n"
		         "</thead>\n<tbody>\n");
		for (int i = 1; i <= n; i++) {
			const struct report_lead *w = &lv[i < n ? i : 0];
			if (i == n)
				HTML_RAW(&sb, "</tbody>\n<tfoot>\n");
			HTML_RAW(&sb, "<tr>\n<th scope=\"row\">");
			if (i < n)
				html_text(&sb, w->name);
			else
				HTML_RAW(&sb, "Alla insatser");
			HTML_RAW(&sb, "</th>\n<td>");
			html_text(&sb, w->law);
			HTML_RAW(&sb, "</td>\n<td class=\"number\">");
			html_int(&sb, w->handling.n);
			HTML_RAW(&sb, "</td>\n<td class=\"number\">");
			days_html(&sb, w->handling.n, w->handling.median);
			HTML_RAW(&sb, "</td>\n<td class=\"number\">");
			days_html(&sb, w->handling.n, w->handling.mean);
			HTML_RAW(&sb, "</td>\n<td class=\"number\">");
			html_int(&sb, w->execution.n);
			HTML_RAW(&sb, "</td>\n<td class=\"number\">");
			days_html(&sb, w->execution.n, w->execution.median);
			HTML_RAW(&sb, "</td>\n<td class=\"number\">");
			days_html(&sb, w->execution.n, w->execution.mean);
			HTML_RAW(&sb, "</td>\n</tr>\n");
		}
		HTML_RAW(&sb, "</tfoot>\n</table>\n</div>\n");
	}
	free(lv);
	return web_respond(r, rc ? fail_status(rc) : 200, &sb);
}

/* ---- GET /chef/delegationsbeslut ---- */

struct delegated_rows {
	struct report_row *v; /* rows, owned */
	int n, cap;           /* used and allocated */
};

static void
delegated_add(const struct report_row *d, void *arg)
{
	struct delegated_rows *l = arg;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
	}
	l->v[l->n++] = *d;
}

static void
delegated_table(struct strbuf *sb, const struct delegated_rows *l)
{
	table_begin_html(sb, "tabell-delegationsbeslut", "Beslut fattade under perioden");
	HTML_RAW(sb, "<thead>\n<tr><th scope=\"col\">Diarienummer</th>"
	             "<th scope=\"col\">Beslutsdatum</th><th scope=\"col\">Insats</th>"
	             "<th scope=\"col\">Lag</th><th scope=\"col\">Beslut</th>"
	             "<th scope=\"col\">Beslutsfattare</th><th scope=\"col\">Nivå</th>"
	             "<th scope=\"col\">Delegationspunkt</th><th scope=\"col\">Födelsedatum</th>"
	             "<th scope=\"col\">Kön</th></tr>\n</thead>\n<tbody>\n");
	for (int i = 0; i < l->n; i++) {
		const struct report_row *d = &l->v[i];
		HTML_RAW(sb, "<tr>\n<th scope=\"row\">");
		html_text(sb, d->case_number);
		HTML_RAW(sb, "</th>\n<td class=\"nowrap\">");
		html_text(sb, d->decision_date);
		HTML_RAW(sb, "</td>\n<td>");
		html_text(sb, d->service_name);
		HTML_RAW(sb, "</td>\n<td>");
		html_text(sb, d->law);
		HTML_RAW(sb, "</td>\n<td>");
		html_text(sb, outcome_title(d->outcome));
		HTML_RAW(sb, "</td>\n<td>");
		html_text(sb, d->decided_by_name);
		HTML_RAW(sb, "</td>\n<td>");
		sentence_html(sb, cases_level_name(d->decided_level));
		HTML_RAW(sb, "</td>\n<td>");
		if (d->delegation_point[0])
			html_text(sb, d->delegation_point);
		else
			HTML_RAW(sb, "Ej delegerat");
		HTML_RAW(sb, "</td>\n<td>");
		masked_html(sb, d);
		HTML_RAW(sb, "</td>\n</tr>\n");
	}
	HTML_RAW(sb, "</tbody>\n</table>\n</div>\n");
}

int
cases_page_delegated(struct req *r)
{
	char today[DAY_TEXT], dfrom[DAY_TEXT], dto[DAY_TEXT], from[DAY_TEXT], to[DAY_TEXT];
	time_today(today);
	int32_t t;
	if (cal_parse(today, &t) != 0)
		return REQ_FAIL(r, HERR_INTERNAL);
	/* The last completed month, as the board is told. */
	int y, m, d;
	cal_civil(t, &y, &m, &d);
	int32_t first = cal_days(y, m, 1);
	cal_format(cal_add_months(first, -1), dfrom);
	cal_format(first - 1, dto);
	const char *v[NP];
	int rc = period_read(r, dfrom, dto, from, to, v);
	struct delegated_rows l = {0};
	if (rc == 0) {
		struct db_conn *c = db_reader(r->db);
		rc = cases_report_period(c, r->who.tenant_id, from, to, delegated_add, &l);
		db_reader_done(r->db, c);
		if (rc == HERR_LIMIT)
			field_error_add(&r->fe, "to", "för många beslut; välj en kortare period");
		if (rc == 0) {
			int64_t *ids = xcalloc((size_t)(l.n ? l.n : 1), sizeof *ids);
			for (int i = 0; i < l.n; i++)
				ids[i] = l.v[i].person_id;
			rc = cases__audit_listed(r, "report_delegated", ids, l.n);
			free(ids);
		}
		if (rc)
			rc = REQ_FAIL(r, rc);
	}
	if (rc && !(r->fe.n && (rc == HERR_INVALID || rc == HERR_LIMIT))) {
		free(l.v);
		return rc;
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Delegationsbeslut", "/chef/delegationsbeslut");
	HTML_RAW(&sb, "<h1>Delegationsbeslut</h1>\n<p>Beslut som har fattats under en period, "
	              "för anmälan av delegationsbeslut till nämnden. Personen anges med "
	              "födelsedatum och kön. Att du tittar här loggas.</p>\n");
	period_form(&sb, r, "/chef/delegationsbeslut", v);
	if (rc == 0) {
		HTML_RAW(&sb, "<h2>Beslut ");
		html_text(&sb, from);
		HTML_RAW(&sb, " – ");
		html_text(&sb, to);
		HTML_RAW(&sb, "</h2>\n<ul class=\"downloads\">\n<li><a href=\"/api/v1/reports/"
		              "delegated?from=");
		html_url_component(&sb, from);
		HTML_RAW(&sb, "&amp;to=");
		html_url_component(&sb, to);
		HTML_RAW(&sb, "&amp;format=csv\" download>Ladda ner som CSV (Excel)</a></li>\n"
		              "</ul>\n");
		if (l.n == 0) {
			HTML_RAW(&sb,
			         "<p role=\"status\">Inga beslut fattades under perioden.</p>\n");
		} else {
			HTML_RAW(&sb, "<p role=\"status\">");
			html_int(&sb, l.n);
			HTML_RAW(&sb, " beslut.</p>\n");
			delegated_table(&sb, &l);
		}
	}
	free(l.v);
	return web_respond(r, rc ? fail_status(rc) : 200, &sb);
}

/* ---- GET /chef/hanskjutna ---- */

int
cases_page_referred(struct req *r)
{
	struct catalogue *cat = NULL;
	struct rows l = {.n = 0};
	char today[DAY_TEXT];
	time_today(today);
	/* The list of GET /api/v1/cases?referred=true. */
	int rc = cases__referred(r, LIST_LIMIT, rows_add, &l);
	struct db_conn *c = db_reader(r->db);
	if (rc == 0)
		rc = catalogue_load(c, r->who.tenant_id, &cat);
	if (rc == 0)
		rc = rows_fill(c, r->who.tenant_id, cat, &l, 0);
	db_reader_done(r->db, c);
	free(cat);
	if (rc == 0) {
		int64_t *ids = rows_persons(&l);
		rc = cases__audit_list(r, ids, l.n);
		free(ids);
	}
	if (rc) {
		free(l.v);
		return REQ_FAIL(r, rc);
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Hänskjutna ärenden", "/chef/hanskjutna");
	HTML_RAW(&sb, "<h1>Hänskjutna ärenden</h1>\n<p>Ärenden där beslutet ligger utanför "
	              "handläggarens delegation och väntar på ");
	if (r->who.roles & ROLE_ADMIN)
		HTML_RAW(&sb, "en högre nivå");
	else
		HTML_RAW(&sb, "ditt beslut");
	HTML_RAW(&sb, ". Det som ska vara klart först står överst.</p>\n");
	if (l.n == 0)
		HTML_RAW(&sb, "<p role=\"status\">Inga ärenden väntar på beslut.</p>\n");
	else
		queue_table(&sb, r, &l, 0, l.n, "tabell-hanskjutna", "Ärenden som väntar på beslut",
		            false, today);
	free(l.v);
	return web_respond(r, 200, &sb);
}

/* ---- attachments from the pages ------------------------------------------------------------ */

int
cases_page_attach(struct req *r)
{
	int64_t id = r->params[0];
	struct case_row cs;
	int rc = cases__load_or_fail(r, id, &cs);
	if (rc)
		return rc;
	const char *v[1];
	rc = cf_read(r, file_field, 1, v);
	if (rc == 0) {
		struct files_upload up = {
		    .filename = v[0],
		    .content_type = r->upload.content_type,
		    .data = r->upload.data,
		    .len = r->upload.len,
		    .sniff = true,
		    .name_field = "bilaga",
		    .type_field = "bilaga",
		    .data_field = "bilaga",
		};
		rc = files_upload_or_fail(r, &cs, &up, NULL);
	}
	bool staff = cases__is_staff(r);
	if (rc == 0) {
		if (staff)
			return back_to(r, id, "bilagor");
		char loc[64];
		snprintf(loc, sizeof loc, "/mina-sidor#arende-%lld", (long long)id);
		req_redirect(r, loc);
		return 0;
	}
	if (!shown_in_form(r, rc))
		return rc;
	if (!staff)
		return mine_page(r, fail_status(rc));
	struct form_state fs = {.form = VF_FILE};
	return case_view(r, id, fail_status(rc), &fs);
}

/* ---- investigation templates (the administrator) -------------------------------------------- */

#define TPL_ROWS 12
#define TPL_FIXED 4 /* code, name, law, the sections group */

struct tpl_form {
	struct cfield f[TPL_FIXED + 3 * TPL_ROWS];      /* the field list */
	char names[3 * TPL_ROWS][24];                   /* the section fields' names */
	char labels[3 * TPL_ROWS][48];                  /* and labels */
	const char *v[TPL_FIXED + 3 * TPL_ROWS];        /* values */
	int n;                                          /* fields used */
	struct inv_template tpl[INV_MAX_TEMPLATES * 4]; /* the templates shown */
	struct inv_section *sec;                        /* their sections, TPL_ROWS per template */
	int nsec[INV_MAX_TEMPLATES * 4];                /* sections of each */
	int ntpl;                                       /* templates loaded */
};

static const struct cf_option law_opts[] = {{"SoL", "SoL"}, {"LSS", "LSS"}};

static void
tpl_form_build(struct tpl_form *tf)
{
	tf->f[0] = (struct cfield){
	    "code", "Kod", CF_TEXT,
	    true,   40,    "Små bokstäver, siffror, _ och -, till exempel sol_aldre_2027.",
	    NULL,   0};
	tf->f[1] = (struct cfield){"name", "Namn", CF_TEXT, true, 100, NULL, NULL, 0};
	tf->f[2] = (struct cfield){"law", "Lag", CF_RADIO, true, 3, NULL, law_opts, 2};
	tf->f[3] = (struct cfield){"sections",
	                           "Avsnitt",
	                           CF_GROUP,
	                           false,
	                           0,
	                           "Avsnitten i den ordning utredningen ska ha dem. Tomma rader "
	                           "hoppas över.",
	                           NULL,
	                           0};
	tf->n = TPL_FIXED;
	for (int i = 0; i < TPL_ROWS; i++) {
		int k = 3 * i;
		snprintf(tf->names[k], sizeof tf->names[k], "heading.%d", i + 1);
		snprintf(tf->labels[k], sizeof tf->labels[k], "Rubrik %d", i + 1);
		snprintf(tf->names[k + 1], sizeof tf->names[k + 1], "guidance.%d", i + 1);
		snprintf(tf->labels[k + 1], sizeof tf->labels[k + 1], "Vägledning %d", i + 1);
		snprintf(tf->names[k + 2], sizeof tf->names[k + 2], "required.%d", i + 1);
		snprintf(tf->labels[k + 2], sizeof tf->labels[k + 2], "Avsnitt %d måste fyllas i",
		         i + 1);
		tf->f[tf->n++] = (struct cfield){tf->names[k], tf->labels[k], CF_TEXT, false,
		                                 100,          NULL,          NULL,    0};
		tf->f[tf->n++] = (struct cfield){
		    tf->names[k + 1], tf->labels[k + 1], CF_TEXTAREA, false, 1000, NULL, NULL, 0};
		tf->f[tf->n++] = (struct cfield){
		    tf->names[k + 2], tf->labels[k + 2], CF_CHECKBOX, false, 0, NULL, NULL, 0};
	}
}

static void
tpl_collect(const struct inv_template *t, const struct inv_section *s, void *arg)
{
	struct tpl_form *tf = arg;
	if (tf->ntpl == 0 || tf->tpl[tf->ntpl - 1].id != t->id) {
		if (tf->ntpl == INV_MAX_TEMPLATES * 4)
			return;
		tf->tpl[tf->ntpl] = *t;
		tf->nsec[tf->ntpl] = 0;
		tf->ntpl++;
	}
	int i = tf->ntpl - 1;
	if (tf->tpl[i].id == t->id && tf->nsec[i] < TPL_ROWS)
		tf->sec[i * TPL_ROWS + tf->nsec[i]++] = *s;
}

/* The page: the form (values v, or a copy of template from, or empty) and the templates. */
static int
templates_page(struct req *r, int status, struct tpl_form *tf, const char *const *v)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Utredningsmallar", "/admin/utredningsmallar");
	HTML_RAW(&sb, "<h1>Utredningsmallar</h1>\n");
	cf_summary(&sb, r, tf->f, tf->n, "");
	HTML_RAW(&sb,
	         "<p class=\"lead\">Varje utredning följer en mall, så att alla utredningar har "
	         "samma struktur. En mall ändras aldrig när den väl finns: utredningar behåller "
	         "sin mall, och nya utredningar får den nyaste mallen för sin lag. Gör en ny "
	         "mall utifrån en befintlig när något ska ändras.</p>\n");
	for (int i = 0; i < tf->ntpl; i++) {
		const struct inv_template *t = &tf->tpl[i];
		HTML_RAW(&sb, "<section class=\"template\" aria-labelledby=\"mall-");
		html_int(&sb, t->id);
		HTML_RAW(&sb, "\">\n<h2 id=\"mall-");
		html_int(&sb, t->id);
		HTML_RAW(&sb, "\">");
		html_text(&sb, t->name);
		HTML_RAW(&sb, " <span class=\"muted\">(");
		html_text(&sb, t->law);
		HTML_RAW(&sb, ", ");
		html_text(&sb, t->code);
		HTML_RAW(&sb, ")</span></h2>\n<ol>\n");
		for (int j = 0; j < tf->nsec[i]; j++) {
			const struct inv_section *s = &tf->sec[i * TPL_ROWS + j];
			HTML_RAW(&sb, "<li><strong>");
			html_text(&sb, s->heading);
			HTML_RAW(&sb, "</strong>");
			if (s->required)
				HTML_RAW(&sb, " (måste fyllas i)");
			if (s->guidance[0]) {
				HTML_RAW(&sb, ": ");
				html_text(&sb, s->guidance);
			}
			HTML_RAW(&sb, "</li>\n");
		}
		HTML_RAW(&sb, "</ol>\n<p><a href=\"/admin/utredningsmallar?fran=");
		html_url_component(&sb, t->code);
		HTML_RAW(&sb, "#ny-mall\">Ny mall utifrån denna<span class=\"visually-hidden\">: ");
		html_text(&sb, t->name);
		HTML_RAW(&sb, "</span></a></p>\n</section>\n");
	}
	HTML_RAW(&sb, "<h2 id=\"ny-mall\">Ny mall</h2>\n<form method=\"post\" "
	              "action=\"/admin/utredningsmallar\" aria-labelledby=\"ny-mall\" "
	              "novalidate>\n");
	form_csrf(&sb, r);
	cf_html(&sb, r, tf->f, TPL_FIXED, v, "", true);
	for (int i = 0; i < TPL_ROWS; i++) {
		HTML_RAW(&sb, "<div class=\"template-row\">\n");
		cf_html(&sb, r, &tf->f[TPL_FIXED + 3 * i], 3, v ? &v[TPL_FIXED + 3 * i] : NULL, "",
		        true);
		HTML_RAW(&sb, "</div>\n");
	}
	HTML_RAW(&sb, "</fieldset>\n<button type=\"submit\">Spara mallen</button>\n</form>\n");
	return web_respond(r, status, &sb);
}

/* Loads the templates into tf. Caller frees tf->sec with free(). */
static int
tpl_load(struct req *r, struct tpl_form *tf)
{
	tf->sec = xcalloc((size_t)INV_MAX_TEMPLATES * 4 * TPL_ROWS, sizeof *tf->sec);
	struct db_conn *c = db_reader(r->db);
	int rc = cases_inv_templates(c, r->who.tenant_id, tpl_collect, tf);
	db_reader_done(r->db, c);
	return rc ? REQ_FAIL(r, rc) : 0;
}

int
cases_page_templates(struct req *r)
{
	struct tpl_form *tf = xcalloc(1, sizeof *tf);
	tpl_form_build(tf);
	int rc = tpl_load(r, tf);
	const char *from = req_query(r, "fran");
	const char **v = NULL;
	for (int i = 0; rc == 0 && from && i < tf->ntpl; i++) {
		if (strcmp(tf->tpl[i].code, from) != 0)
			continue;
		/* A copy of the template to start from; the code is the user's to choose. */
		v = tf->v;
		for (int k = 0; k < tf->n; k++)
			v[k] = "";
		v[1] = tf->tpl[i].name;
		v[2] = tf->tpl[i].law;
		for (int j = 0; j < tf->nsec[i]; j++) {
			const struct inv_section *s = &tf->sec[i * TPL_ROWS + j];
			v[TPL_FIXED + 3 * j] = s->heading;
			v[TPL_FIXED + 3 * j + 1] = s->guidance;
			v[TPL_FIXED + 3 * j + 2] = s->required ? "1" : "";
		}
	}
	if (rc == 0)
		rc = templates_page(r, 200, tf, v);
	free(tf->sec);
	free(tf);
	return rc;
}

int
cases_page_template_add(struct req *r)
{
	struct tpl_form *tf = xcalloc(1, sizeof *tf);
	struct inv_section *secs = xcalloc(TPL_ROWS, sizeof *secs);
	int rowof[TPL_ROWS];
	tpl_form_build(tf);
	const char **v = tf->v;
	int rc = cf_read(r, tf->f, tf->n, v);
	struct inv_template t;
	memset(&t, 0, sizeof t);
	str_copy(t.code, sizeof t.code, v[0]);
	str_copy(t.name, sizeof t.name, v[1]);
	str_copy(t.law, sizeof t.law, v[2]);
	int n = 0;
	for (int i = 0; i < TPL_ROWS; i++) {
		const char *h = v[TPL_FIXED + 3 * i], *g = v[TPL_FIXED + 3 * i + 1];
		if (!*h && !*g)
			continue;
		if (!*h) {
			field_error_add(&r->fe, tf->f[TPL_FIXED + 3 * i].name,
			                "skriv en rubrik, eller töm vägledningen");
			rc = REQ_FAIL(r, HERR_INVALID);
			continue;
		}
		str_copy(secs[n].heading, sizeof secs[n].heading, h);
		copy_text(secs[n].guidance, sizeof secs[n].guidance, g);
		secs[n].required = strcmp(v[TPL_FIXED + 3 * i + 2], "1") == 0;
		rowof[n++] = i;
	}
	if (rc == 0) {
		rc = cases__template_add_or_fail(r, &t, secs, n);
		/* The rule names sections as the JSON request does: give them the form's names. */
		for (int e = 0; rc && e < r->fe.n; e++) {
			struct field_error *fe = &r->fe.items[e];
			int idx;
			char part[16];
			if (sscanf(fe->field, "sections[%d].%15s", &idx, part) == 2 && idx >= 0 &&
			    idx < n)
				snprintf(fe->field, sizeof fe->field, "%s.%d",
				         strncmp(part, "heading", 7) == 0 ? "heading" : "guidance",
				         rowof[idx] + 1);
			else if (strcmp(fe->field, "sections") == 0)
				snprintf(fe->field, sizeof fe->field, "heading.1");
		}
	}
	free(secs);
	if (rc == 0) {
		free(tf);
		req_redirect(r, "/admin/utredningsmallar");
		return 0;
	}
	if (!shown_in_form(r, rc)) {
		free(tf);
		return rc;
	}
	int lrc = tpl_load(r, tf);
	if (lrc == 0)
		lrc = templates_page(r, fail_status(rc), tf, v);
	free(tf->sec);
	free(tf);
	return lrc;
}
