/*
 * The bulk intake parser; bulk.h gives the contract and the columns. CSV follows RFC 4180
 * (quoted fields, "" for a quote inside one, line breaks inside quotes) with LF, CRLF or CR
 * line ends and an optional UTF-8 byte order mark; JSON is read with jansson. Both end up as
 * the same column texts, checked by one function, so the two formats cannot drift.
 */
#include "bulk.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/calendar.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "visits.h"

enum col {
	C_PERSON,
	C_SERVICE,
	C_STAFF,
	C_START,
	C_END,
	C_DEVIATION,
	C_PLANNED,
	C_EXTERNAL,
	C_NOTE,
	NCOLS
};

static const struct column {
	const char *name; /* English name: the JSON key and CSV header */
	const char *sv;   /* Swedish header also accepted */
	bool required;    /* must be present and non-empty */
	bool integer;     /* JSON: an integer */
	size_t max;       /* longest text in bytes */
} columns[NCOLS] = {
    [C_PERSON] = {"person_id", "kund_id", true, true, 20},
    [C_SERVICE] = {"service", "insats", true, false, 31},
    [C_STAFF] = {"staff", "personal", true, false, 63},
    [C_START] = {"start", "start", true, false, 25},
    [C_END] = {"end", "slut", true, false, 25},
    [C_DEVIATION] = {"deviation", "avvikelse", false, false, 31},
    [C_PLANNED] = {"planned_minutes", "planerade_minuter", false, true, 6},
    [C_EXTERNAL] = {"external_id", "externt_id", false, false, 63},
    [C_NOTE] = {"note", "anteckning", false, false, 399},
};

void
visits_bulk_error_add(struct visits_bulk *b, int line, const char *field, const char *message)
{
	b->error_count++;
	if (b->nerrors >= VISITS_BULK_MAX_ERRORS)
		return;
	if (!b->errors)
		b->errors = xcalloc(VISITS_BULK_MAX_ERRORS, sizeof *b->errors);
	struct visits_bulk_error *e = &b->errors[b->nerrors++];
	e->line = line;
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	snprintf(e->message, sizeof e->message, "%s", message);
}

/* The place of a field in the report: the line as a whole first, then the columns in the
 * order of the table above, then any other name. */
static int
field_rank(const char *field)
{
	if (!field[0])
		return -1;
	for (int c = 0; c < NCOLS; c++)
		if (strcmp(field, columns[c].name) == 0)
			return c;
	return NCOLS;
}

void
visits_bulk_sort_errors(struct visits_bulk *b)
{
	/* Insertion sort: at most VISITS_BULK_MAX_ERRORS items, and stable, so two problems of
	 * one cell keep the order they were found in. */
	for (int i = 1; i < b->nerrors; i++) {
		struct visits_bulk_error e = b->errors[i];
		int rank = field_rank(e.field);
		int j = i;
		while (j > 0) {
			const struct visits_bulk_error *p = &b->errors[j - 1];
			if (p->line < e.line || (p->line == e.line && field_rank(p->field) <= rank))
				break;
			b->errors[j] = *p;
			j--;
		}
		b->errors[j] = e;
	}
}

void
visits_bulk_release(struct visits_bulk *b)
{
	free(b->rows);
	free(b->errors);
	memset(b, 0, sizeof *b);
}

/* ---- checking one row ------------------------------------------------------------------- */

static bool
valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned c = p[i];
		size_t k;
		unsigned min;
		if (c < 0x80) {
			if (c == 0)
				return false;
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			k = 1, min = 0x80, c &= 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			k = 2, min = 0x800, c &= 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			k = 3, min = 0x10000, c &= 0x07;
		} else {
			return false;
		}
		if (i + k >= n)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((p[i + j] & 0xC0) != 0x80)
				return false;
			c = (c << 6) | (p[i + j] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return false;
		i += k + 1;
	}
	return true;
}

static bool
digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int
num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int
visits_parse_instant(const char *s, int64_t *t, char *why, size_t whyn)
{
	size_t n = strlen(s);
	if (whyn)
		why[0] = '\0';
	if (n < 16 || (s[10] != 'T' && s[10] != ' ') || !digits(s + 11, 2) || s[13] != ':' ||
	    !digits(s + 14, 2))
		return HERR_INVALID;
	char date[11];
	memcpy(date, s, 10);
	date[10] = '\0';
	int y, mo, d;
	if (time_parse_date(date, &y, &mo, &d) != 0)
		return HERR_INVALID;
	int h = num(s + 11, 2), mi = num(s + 14, 2), sec = 0;
	size_t i = 16;
	if (i < n && s[i] == ':') {
		if (n < 19 || !digits(s + 17, 2))
			return HERR_INVALID;
		sec = num(s + 17, 2);
		i = 19;
		/* A fraction (JavaScript's toISOString writes milliseconds) is dropped. */
		if (i < n && s[i] == '.') {
			size_t f = ++i;
			while (i < n && s[i] >= '0' && s[i] <= '9')
				i++;
			if (i == f || i - f > 9)
				return HERR_INVALID;
		}
	}
	if (y < 1970 || h > 23 || mi > 59 || sec > 59)
		return HERR_INVALID;
	int32_t day = cal_days(y, mo, d);
	if (i == n) {
		int64_t base;
		int rc = visits_local_instant(day, h * 60 + mi, VISITS_AMBIGUOUS_REFUSE, &base);
		if (rc) {
			if (whyn)
				visits_local_time_message(day, h * 60 + mi, why, whyn);
			return rc;
		}
		*t = base + sec;
		return 0;
	}
	int offset;
	if (s[i] == 'Z' && i + 1 == n) {
		offset = 0;
	} else if ((s[i] == '+' || s[i] == '-') && n == i + 6 && digits(s + i + 1, 2) &&
	           s[i + 3] == ':' && digits(s + i + 4, 2)) {
		int oh = num(s + i + 1, 2), om = num(s + i + 4, 2);
		if (oh > 14 || om > 59)
			return HERR_INVALID;
		offset = (oh * 60 + om) * 60 * (s[i] == '-' ? -1 : 1);
	} else {
		return HERR_INVALID;
	}
	*t = (int64_t)day * 86400 + h * 3600 + mi * 60 + sec - offset;
	return 0;
}

static bool
parse_int(const char *s, int64_t max, int64_t *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > 18 || !digits(s, (int)n))
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	if (v > max)
		return false;
	*out = v;
	return true;
}

struct ctx {
	struct visits_bulk *b; /* the result */
	int kind;              /* enum visits_kind */
	int month;             /* required month, or -1 */
	int64_t now;           /* the clock */
	bool over_limit;       /* more rows than VISITS_BULK_MAX_ROWS */
};

static void
add_row(struct visits_bulk *b, const struct visits_bulk_row *r)
{
	if (b->nrows == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->rows = xrealloc(b->rows, (size_t)b->cap * sizeof *b->rows);
	}
	b->rows[b->nrows++] = *r;
}

/* Checks one row's column texts (NULL: absent) and adds it when valid. */
static void
check_row(struct ctx *x, int line, const char *v[NCOLS])
{
	struct visits_bulk *b = x->b;
	int before = b->error_count;
	struct visits_bulk_row r;
	memset(&r, 0, sizeof r);
	r.line = line;
	for (int c = 0; c < NCOLS; c++) {
		const char *s = v[c] ? v[c] : "";
		if (columns[c].required && !s[0]) {
			visits_bulk_error_add(b, line, columns[c].name, "uppgiften saknas");
			v[c] = NULL;
		} else if (strlen(s) > columns[c].max) {
			visits_bulk_error_add(b, line, columns[c].name, "texten är för lång");
			v[c] = NULL;
		} else if (!valid_utf8(s, strlen(s))) {
			visits_bulk_error_add(b, line, columns[c].name,
			                      "texten är inte giltig UTF-8");
			v[c] = NULL;
		}
	}
	if (v[C_PERSON] && !parse_int(v[C_PERSON], INT64_MAX / 2, &r.person_id))
		visits_bulk_error_add(b, line, "person_id", "ska vara ett heltal");
	if (v[C_SERVICE])
		snprintf(r.service, sizeof r.service, "%s", v[C_SERVICE]);
	if (v[C_STAFF])
		snprintf(r.staff, sizeof r.staff, "%s", v[C_STAFF]);
	bool times = true;
	for (int c = C_START; c <= C_END; c++) {
		if (!v[c]) {
			times = false;
			continue;
		}
		int64_t *t = c == C_START ? &r.start : &r.end;
		char why[120], m[160];
		int rc = visits_parse_instant(v[c], t, why, sizeof why);
		if (rc == HERR_CONFLICT) {
			snprintf(m, sizeof m, "%s: ange tidszon, t.ex. +02:00", why);
			visits_bulk_error_add(b, line, columns[c].name, m);
		} else if (rc && why[0])
			visits_bulk_error_add(b, line, columns[c].name, why);
		else if (rc)
			visits_bulk_error_add(b, line, columns[c].name,
			                      "ska vara en tid som 2026-03-14 08:30");
		if (rc)
			times = false;
	}
	if (times) {
		int p = visits_check_times(x->kind, r.start, r.end, x->now);
		if (p)
			visits_bulk_error_add(b, line, p == VISITS_TIME_IN_FUTURE ? "start" : "end",
			                      visits_time_message(p));
		else if (x->month >= 0 &&
		         visits_month_of_day(visits_local_day(r.start)) != x->month)
			visits_bulk_error_add(b, line, "start", "besöket ligger utanför månaden");
	}
	r.deviation = visits_deviation_parse(v[C_DEVIATION]);
	if (r.deviation < 0)
		visits_bulk_error_add(b, line, "deviation", "okänd avvikelsekod");
	if (v[C_PLANNED] && v[C_PLANNED][0]) {
		int64_t pm = 0;
		if (!parse_int(v[C_PLANNED], VISITS_MAX_SHIFT_MINUTES, &pm))
			visits_bulk_error_add(b, line, "planned_minutes",
			                      "ska vara ett heltal mellan 0 och 1440");
		r.planned_minutes = (int)pm;
	}
	if (v[C_EXTERNAL])
		snprintf(r.external_id, sizeof r.external_id, "%s", v[C_EXTERNAL]);
	if (v[C_NOTE])
		snprintf(r.note, sizeof r.note, "%s", v[C_NOTE]);
	if (b->error_count == before)
		add_row(b, &r);
}

/* ---- CSV ----------------------------------------------------------------------------------- */

#define CSV_MAX_FIELDS 32

struct csv {
	const char *p, *end;          /* the rest of the input */
	int line;                     /* the current physical line, from 1 */
	char delim;                   /* ';' or ',' */
	char *fields[CSV_MAX_FIELDS]; /* the record's fields (owned) */
	int nf;                       /* how many */
	bool too_many;                /* more than CSV_MAX_FIELDS */
	bool too_long;                /* a field over VISITS_BULK_MAX_FIELD bytes */
};

static void
csv_clear(struct csv *c)
{
	for (int i = 0; i < c->nf; i++)
		free(c->fields[i]);
	c->nf = 0;
	c->too_many = c->too_long = false;
}

static void
csv_push(struct csv *c, const char *s, size_t n)
{
	if (c->nf == CSV_MAX_FIELDS) {
		c->too_many = true;
		return;
	}
	if (n > VISITS_BULK_MAX_FIELD) {
		c->too_long = true;
		n = 0;
	}
	c->fields[c->nf++] = xstrndup(s, n);
}

/* Consumes a line end at c->p if there is one; true when it did. */
static bool
csv_eol(struct csv *c)
{
	if (c->p < c->end && *c->p == '\r') {
		c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		c->line++;
		return true;
	}
	if (c->p < c->end && *c->p == '\n') {
		c->p++;
		c->line++;
		return true;
	}
	return false;
}

/*
 * Reads one record. Returns 1 with the fields and *line, 0 at the end of the input, or -1
 * with *line and a message for a record that breaks the quoting rules (the reader then
 * skips to the next line end outside quotes, so that later lines are still checked).
 */
static int
csv_record(struct csv *c, int *line, const char **msg)
{
	csv_clear(c);
	if (c->p >= c->end)
		return 0;
	*line = c->line;
	char *buf = xmalloc(VISITS_BULK_MAX_FIELD + 1);
	for (;;) {
		size_t n = 0;
		bool over = false;
		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				if (c->p >= c->end) {
					free(buf);
					*msg = "citattecknet avslutas aldrig";
					return -1;
				}
				char ch = *c->p++;
				if (ch == '"') {
					if (c->p < c->end && *c->p == '"') {
						c->p++;
					} else {
						break;
					}
				} else if (ch == '\n' ||
				           (ch == '\r' && !(c->p < c->end && *c->p == '\n'))) {
					c->line++;
				}
				if (n < VISITS_BULK_MAX_FIELD)
					buf[n++] = ch;
				else
					over = true;
			}
			if (c->p < c->end && *c->p != c->delim && *c->p != '\r' && *c->p != '\n') {
				free(buf);
				*msg = "text efter ett avslutande citattecken";
				while (c->p < c->end && !csv_eol(c))
					c->p++;
				return -1;
			}
		} else {
			while (c->p < c->end && *c->p != c->delim && *c->p != '\r' &&
			       *c->p != '\n') {
				if (*c->p == '"') {
					free(buf);
					*msg = "citattecken mitt i ett fält utan citattecken";
					while (c->p < c->end && !csv_eol(c))
						c->p++;
					return -1;
				}
				if (n < VISITS_BULK_MAX_FIELD)
					buf[n++] = *c->p;
				else
					over = true;
				c->p++;
			}
		}
		csv_push(c, buf, over ? VISITS_BULK_MAX_FIELD + 1 : n);
		if (c->p < c->end && *c->p == c->delim) {
			c->p++;
			continue;
		}
		csv_eol(c);
		break;
	}
	free(buf);
	return 1;
}

static bool
header_is(const char *h, const struct column *col)
{
	return strcasecmp(h, col->name) == 0 || strcasecmp(h, col->sv) == 0;
}

static void
parse_csv(struct ctx *x, const char *data, size_t len)
{
	struct visits_bulk *b = x->b;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	/* The separator: the one of ';' and ',' the header line uses (';' on a tie). */
	int semi = 0, comma = 0;
	bool quoted = false;
	for (size_t i = 0; i < len && (quoted || (data[i] != '\n' && data[i] != '\r')); i++) {
		if (data[i] == '"')
			quoted = !quoted;
		else if (!quoted && data[i] == ';')
			semi++;
		else if (!quoted && data[i] == ',')
			comma++;
	}
	struct csv c = {
	    .p = data, .end = data + len, .line = 1, .delim = semi >= comma ? ';' : ','};
	b->delimiter = c.delim;

	int line = 1;
	const char *msg = NULL;
	int rc = csv_record(&c, &line, &msg);
	if (rc <= 0) {
		visits_bulk_error_add(b, 1, "", rc == 0 ? "filen är tom" : msg);
		csv_clear(&c);
		return;
	}
	int map[CSV_MAX_FIELDS]; /* field index -> column */
	int ncols = c.nf;
	bool seen[NCOLS] = {false};
	for (int i = 0; i < c.nf; i++) {
		map[i] = -1;
		for (int k = 0; k < NCOLS; k++)
			if (header_is(c.fields[i], &columns[k]))
				map[i] = k;
		if (map[i] < 0) {
			visits_bulk_error_add(b, 1, "", "okänd kolumn i rubrikraden");
		} else if (seen[map[i]]) {
			visits_bulk_error_add(b, 1, columns[map[i]].name,
			                      "kolumnen finns två gånger");
			map[i] = -1;
		} else {
			seen[map[i]] = true;
		}
	}
	if (c.too_many)
		visits_bulk_error_add(b, 1, "", "för många kolumner");
	for (int k = 0; k < NCOLS; k++)
		if (columns[k].required && !seen[k])
			visits_bulk_error_add(b, 1, columns[k].name,
			                      "kolumnen saknas i rubrikraden");
	if (b->error_count > 0) {
		csv_clear(&c);
		return;
	}

	while ((rc = csv_record(&c, &line, &msg)) != 0) {
		if (rc < 0) {
			visits_bulk_error_add(b, line, "", msg);
			continue;
		}
		/* An empty line (often the last one) is no record. */
		if (c.nf == 1 && !c.fields[0][0])
			continue;
		if (b->nrows + b->error_count >= VISITS_BULK_MAX_ROWS) {
			visits_bulk_error_add(b, line, "", "för många rader");
			x->over_limit = true;
			break;
		}
		if (c.too_many || c.nf != ncols) {
			visits_bulk_error_add(b, line, "", "fel antal fält på raden");
			continue;
		}
		const char *v[NCOLS] = {NULL};
		for (int i = 0; i < c.nf; i++)
			if (map[i] >= 0)
				v[map[i]] = c.fields[i];
		if (c.too_long) {
			visits_bulk_error_add(b, line, "", "ett fält är för långt");
			continue;
		}
		check_row(x, line, v);
	}
	csv_clear(&c);
}

/* ---- JSON ---------------------------------------------------------------------------------- */

static void
parse_json(struct ctx *x, const char *data, size_t len)
{
	struct visits_bulk *b = x->b;
	json_error_t jerr;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root || !json_is_array(root)) {
		visits_bulk_error_add(b, root ? 0 : jerr.line, "",
		                      root ? "filen ska vara en lista av besök"
		                           : "filen är inte giltig JSON");
		json_decref(root);
		return;
	}
	size_t i;
	json_t *item;
	json_array_foreach(root, i, item)
	{
		int line = (int)i + 1;
		if (i >= VISITS_BULK_MAX_ROWS) {
			visits_bulk_error_add(b, line, "", "för många rader");
			x->over_limit = true;
			break;
		}
		if (!json_is_object(item)) {
			visits_bulk_error_add(b, line, "", "ska vara ett objekt");
			continue;
		}
		const char *v[NCOLS] = {NULL};
		char ints[NCOLS][24];
		bool bad = false;
		const char *key;
		json_t *val;
		json_object_foreach(item, key, val)
		{
			int k = 0;
			while (k < NCOLS && strcmp(key, columns[k].name) != 0)
				k++;
			if (k == NCOLS) {
				visits_bulk_error_add(b, line, "", "okänt fält");
				bad = true;
			} else if (json_is_null(val)) {
				continue;
			} else if (columns[k].integer && json_is_integer(val) &&
			           json_integer_value(val) >= 0) {
				snprintf(ints[k], sizeof ints[k], "%lld",
				         (long long)json_integer_value(val));
				v[k] = ints[k];
			} else if (!columns[k].integer && json_is_string(val) &&
			           strlen(json_string_value(val)) == json_string_length(val)) {
				v[k] = json_string_value(val);
			} else {
				visits_bulk_error_add(b, line, columns[k].name,
				                      columns[k].integer ? "ska vara ett heltal"
				                                         : "ska vara en text");
				bad = true;
			}
		}
		if (!bad)
			check_row(x, line, v);
	}
	json_decref(root);
}

/* ---- the whole file ------------------------------------------------------------------------ */

typedef const struct visits_bulk_row *row_ptr;

static int
cmp_staff_start(const void *a, const void *b)
{
	row_ptr x = *(const row_ptr *)a, y = *(const row_ptr *)b;
	int c = strcmp(x->staff, y->staff);
	if (c)
		return c;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->line - y->line;
}

static int
cmp_external(const void *a, const void *b)
{
	row_ptr x = *(const row_ptr *)a, y = *(const row_ptr *)b;
	int c = strcmp(x->external_id, y->external_id);
	return c ? c : x->line - y->line;
}

/* Within the file: one staff member's visits may not overlap (a visit made by nobody does
 * not count), and an external id is used once. */
static void
check_file(struct visits_bulk *b)
{
	if (b->nrows < 2)
		return;
	row_ptr *ix = xcalloc((size_t)b->nrows, sizeof *ix);
	for (int i = 0; i < b->nrows; i++)
		ix[i] = &b->rows[i];
	qsort(ix, (size_t)b->nrows, sizeof *ix, cmp_staff_start);
	row_ptr prev = NULL; /* of this staff member, the visit that ends last so far */
	for (int i = 0; i < b->nrows; i++) {
		row_ptr r = ix[i];
		if (visits_deviation_without_visit(r->deviation))
			continue;
		bool same = prev && strcmp(prev->staff, r->staff) == 0;
		if (same && r->start < prev->end) {
			char m[160];
			snprintf(m, sizeof m, "personalen har ett annat besök samtidigt (rad %d)",
			         prev->line);
			visits_bulk_error_add(b, r->line, "start", m);
		}
		if (!same || r->end > prev->end)
			prev = r;
	}
	qsort(ix, (size_t)b->nrows, sizeof *ix, cmp_external);
	for (int i = 1; i < b->nrows; i++) {
		if (ix[i]->external_id[0] &&
		    strcmp(ix[i - 1]->external_id, ix[i]->external_id) == 0) {
			char m[160];
			snprintf(m, sizeof m, "samma externa id som rad %d", ix[i - 1]->line);
			visits_bulk_error_add(b, ix[i]->line, "external_id", m);
		}
	}
	free(ix);
}

int
visits_bulk_parse(const char *data, size_t len, int format, int kind, int month, int64_t now,
                  struct visits_bulk *b)
{
	memset(b, 0, sizeof *b);
	struct ctx x = {b, kind, month, now, false};
	if (format == VISITS_BULK_JSON)
		parse_json(&x, data, len);
	else
		parse_csv(&x, data, len);
	if (b->error_count == 0)
		check_file(b);
	if (x.over_limit)
		return HERR_LIMIT;
	return b->error_count ? HERR_INVALID : 0;
}
