/*
 * Reports of the authority process; report.h has each contract, shared/domain/legal-duties.md
 * sections 1 (ej verkställda beslut: what is reported, to whom, and how the person is named)
 * and 6 (anmälan av delegationsbeslut) the law behind them.
 *
 * The store selects candidates with plain indexed conditions; whether a decision belongs in a
 * quarter is decided here by cases_reportable (rules.c), so the rule lives in one place. Every
 * route that lists persons writes one audit record per person listed before it answers; the
 * one write (the reason for a delay) stores its row, a timeline event and its audit record in
 * one transaction. The PDF is drawn like the decision letters (letter.c): Pango on a Cairo PDF
 * surface writing into a string buffer, data always as plain text, never as markup, laid out
 * twice to count the pages for "Sida N av M".
 */
#include "report.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include "api_private.h"
#include "base/calendar.h"
#include "base/err.h"
#include "base/log.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cases.h"
#include "cases_private.h"
#include "db/db.h"
#include "http/http.h"
#include "providers/providers.h"

/* ---- pure parts ---------------------------------------------------------------------- */

int
cases_report_mask(const char *pnr, char birth[9], const char **sex)
{
	if (!pnr || strlen(pnr) != 12 || strspn(pnr, "0123456789") != 12)
		return HERR_INVALID;
	/* A samordningsnummer carries the day of birth plus 60. */
	int day = (pnr[6] - '0') * 10 + (pnr[7] - '0');
	if (day > 60)
		day -= 60;
	if (day < 1 || day > 31)
		return HERR_INVALID;
	memcpy(birth, pnr, 6);
	birth[6] = (char)('0' + day / 10);
	birth[7] = (char)('0' + day % 10);
	birth[8] = '\0';
	/* YYYYMMDDNNNC: the ninth digit of the ten-digit form YYMMDDNNNC is index 10 here. */
	*sex = (pnr[10] - '0') % 2 == 0 ? "kvinna" : "man";
	return 0;
}

void
cases_csv_field(struct strbuf *sb, const char *s)
{
	if (!s)
		s = "";
	bool formula = s[0] && strchr("=+-@\t", s[0]) != NULL;
	bool quote = strpbrk(s, ";\"\r\n") != NULL;
	if (quote)
		sb_addc(sb, '"');
	if (formula)
		sb_addc(sb, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			sb_addc(sb, '"');
		sb_addc(sb, *p);
	}
	if (quote)
		sb_addc(sb, '"');
}

static int
int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

void
cases_report_stat(int *v, int n, struct report_stat *out)
{
	assert(n >= 0 && (n == 0 || v));
	memset(out, 0, sizeof *out);
	out->n = n;
	if (n == 0)
		return;
	qsort(v, (size_t)n, sizeof *v, int_cmp);
	int64_t sum = 0;
	for (int i = 0; i < n; i++)
		sum += v[i];
	out->mean = (double)sum / n;
	out->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + (double)v[n / 2]) / 2.0;
}

int
cases_report_wait(int32_t decided, int32_t until)
{
	if (until >= cal_add_months(decided, 12))
		return REPORT_WAIT_OVER_12;
	if (until >= cal_add_months(decided, 6))
		return REPORT_WAIT_6_12;
	return REPORT_WAIT_3_6;
}

const char *
cases_report_wait_title(int wait)
{
	switch (wait) {
	case REPORT_WAIT_3_6:
		return "3–6 månader";
	case REPORT_WAIT_6_12:
		return "6–12 månader";
	default:
		return "mer än 12 månader";
	}
}

/* The key of an interval in JSON. */
static const char *
wait_key(int wait)
{
	static const char *const keys[REPORT_NWAIT] = {"3-6", "6-12", "over_12"};
	return keys[wait];
}

int
cases_report_quarter(int year, int quarter, int32_t *start, int32_t *end)
{
	if (year < REPORT_YEAR_MIN || year > REPORT_YEAR_MAX || quarter < 1 || quarter > 4)
		return HERR_INVALID;
	*start = cal_quarter_start(year, quarter);
	*end = cal_quarter_end(year, quarter);
	return 0;
}

int32_t
cases_report_latest_decision(int32_t quarter_end)
{
	/* The deadline never decreases with the decision date, so the latest decision whose
	 * deadline falls on or before the quarter's end lies a few days after the date three
	 * months back (month ends: 2026-03-31 + 3 months is 2026-06-30). */
	int32_t d = cal_add_months(quarter_end, -3);
	while (cases_execution_deadline(d + 1) <= quarter_end)
		d++;
	return d;
}

/* The person of a row as birth date and sex; both "" when the stored number is malformed. */
static void
masked(const struct report_row *d, char birth[9], const char **sex)
{
	if (cases_report_mask(d->pnr, birth, sex) != 0) {
		log_error("reports: cannot mask the number of person '%lld'",
		          (long long)d->person_id);
		birth[0] = '\0';
		*sex = "";
	}
}

/* The Swedish word of an outcome. */
static const char *
outcome_title(const char *outcome)
{
	if (strcmp(outcome, "granted") == 0)
		return "bifall";
	if (strcmp(outcome, "partly_granted") == 0)
		return "delvis bifall";
	if (strcmp(outcome, "refused") == 0)
		return "avslag";
	return outcome;
}

/* ---- the council's statistics -------------------------------------------------------- */

static int
count_cmp(const void *a, const void *b)
{
	const struct report_count *x = a, *y = b;
	int c = strcmp(x->law, y->law);
	return c ? c : strcmp(x->name, y->name);
}

int
cases_report_count(const struct report_unexecuted *rows, int n, int kind, struct report_count **out,
                   struct report_count *sum)
{
	struct report_count *v = xcalloc((size_t)(n ? n : 1), sizeof *v);
	int m = 0;
	memset(sum, 0, sizeof *sum);
	for (int i = 0; i < n; i++) {
		if (rows[i].kind != kind)
			continue;
		const struct report_row *d = &rows[i].d;
		int j = 0;
		while (j < m && strcmp(v[j].service, d->service) != 0)
			j++;
		if (j == m) {
			v[m].service = d->service;
			v[m].name = d->service_name;
			v[m].law = d->law;
			m++;
		}
		struct report_count *each[2] = {&v[j], sum};
		for (int k = 0; k < 2; k++) {
			if (rows[i].executed_in_quarter || rows[i].resumed_in_quarter) {
				each[k]->executed++;
			} else if (rows[i].closed_in_quarter) {
				each[k]->closed++;
			} else {
				each[k]->n[rows[i].wait]++;
				each[k]->total++;
			}
		}
	}
	qsort(v, (size_t)m, sizeof *v, count_cmp);
	*out = v;
	return m;
}

const char *
cases_report_kind_title(int kind)
{
	return kind == REPORT_INTERRUPTED ? "Avbrott i verkställighet" : "Ej verkställt beslut";
}

const char *
cases_report_state_title(const struct report_unexecuted *u)
{
	if (u->kind == REPORT_INTERRUPTED) {
		if (u->resumed_in_quarter)
			return "Återupptaget";
		return u->closed_in_quarter ? "Avslutat under avbrott" : "Ej återupptaget";
	}
	if (u->executed_in_quarter)
		return "Verkställt";
	return u->closed_in_quarter ? "Avslutat utan verkställighet" : "Ej verkställt";
}

const char *
cases_report_state_code(const struct report_unexecuted *u)
{
	if (u->closed_in_quarter)
		return "closed";
	if (u->kind == REPORT_INTERRUPTED)
		return u->resumed_in_quarter ? "resumed" : "interrupted";
	return u->executed_in_quarter ? "executed" : "waiting";
}

/* The Swedish reason of a row closed without execution; its code when unknown. */
static const char *
close_title(const struct report_row *d)
{
	const struct close_reason *why = cases_close_reason(d->closed_reason);
	return why ? why->title : d->closed_reason;
}

void
cases_report_end_text(const struct report_unexecuted *u, struct strbuf *sb)
{
	if (u->executed_in_quarter) {
		sb_adds(sb, u->d.executed_date);
	} else if (u->resumed_in_quarter) {
		sb_addf(sb, "Återupptaget %s", u->in.resumed_date);
	} else if (u->closed_in_quarter) {
		sb_addf(sb, "%s %s: %s",
		        u->kind == REPORT_INTERRUPTED ? "Avslutat under avbrott"
		                                      : "Avslutat utan verkställighet",
		        u->d.closed_date, close_title(&u->d));
		if (u->d.closed_note[0])
			sb_addf(sb, ". %s", u->d.closed_note);
	}
}

void
cases_report_interruption_text(const struct report_unexecuted *u, struct strbuf *sb)
{
	if (u->kind == REPORT_INTERRUPTED)
		sb_addf(sb, "%s: %s", u->in.from_date, u->in.reason);
}

/* The council's figures of one line: the three intervals, the total still unexecuted, the
 * executed and the closed, as text. */
static void
count_cells(const struct report_count *s, char t[REPORT_NWAIT + 3][16])
{
	for (int k = 0; k < REPORT_NWAIT; k++)
		snprintf(t[k], sizeof t[k], "%d", s->n[k]);
	snprintf(t[REPORT_NWAIT], sizeof t[REPORT_NWAIT], "%d", s->total);
	snprintf(t[REPORT_NWAIT + 1], sizeof t[REPORT_NWAIT + 1], "%d", s->executed);
	snprintf(t[REPORT_NWAIT + 2], sizeof t[REPORT_NWAIT + 2], "%d", s->closed);
}

/* The council's two tables: their titles and the headings of the three last columns, per
 * enum report_kind. */
static const struct {
	const char *title;   /* above the table */
	const char *rest[3]; /* still waiting in total, ended within the quarter, closed */
} stat_titles[REPORT_NKIND] = {
    [REPORT_NOT_EXECUTED] = {"Statistik till kommunfullmäktige",
                             {"Ej verkställda totalt", "Verkställda under kvartalet",
                              "Avslutade utan verkställighet"}},
    [REPORT_INTERRUPTED] = {"Statistik till kommunfullmäktige: avbrott i verkställigheten",
                            {"Ej återupptagna totalt", "Återupptagna under kvartalet",
                             "Avslutade under avbrott"}},
};

/* The columns of a council table: service, law, the three intervals, then the three last. */
#define NSTATCOL (2 + REPORT_NWAIT + 3)

static void
stat_head(int kind, const char *head[NSTATCOL])
{
	head[0] = "Insats";
	head[1] = "Lag";
	head[2] = "3–6 månader";
	head[3] = "6–12 månader";
	head[4] = "Mer än 12 månader";
	for (int k = 0; k < 3; k++)
		head[2 + REPORT_NWAIT + k] = stat_titles[kind].rest[k];
}

/* ---- CSV ----------------------------------------------------------------------------- */

/* The byte order mark that makes Excel read the file as UTF-8. */
static const char csv_bom[] = "\xEF\xBB\xBF";

/* Appends one CSV line of fields, CRLF-terminated. */
static void
csv_line(struct strbuf *sb, const char *const *fields, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			sb_addc(sb, ';');
		cases_csv_field(sb, fields[i]);
	}
	sb_adds(sb, "\r\n");
}

void
cases_report_unexecuted_csv(const struct report_unexecuted *rows, int n, struct strbuf *out)
{
	static const char *const head[] = {
	    "Typ",
	    "Beslutsdatum",
	    "Diarienummer",
	    "Insats",
	    "Insatskod",
	    "Lag",
	    "Födelsedatum",
	    "Kön",
	    "Avbrott från",
	    "Skäl till avbrott",
	    "Dagar i väntan",
	    "Väntetid",
	    "Verkställt datum",
	    "Återupptaget datum",
	    "Avslutat datum",
	    "Skäl till avslut",
	    "Redogörelse för avslut",
	    "Skäl till dröjsmål",
	};
	enum { NCOL = sizeof head / sizeof head[0] };
	sb_adds(out, csv_bom);
	csv_line(out, head, NCOL);
	for (int i = 0; i < n; i++) {
		const struct report_unexecuted *u = &rows[i];
		char birth[9], days[16];
		const char *sex;
		masked(&u->d, birth, &sex);
		snprintf(days, sizeof days, "%d", u->days_waited);
		bool in = u->kind == REPORT_INTERRUPTED;
		const char *f[NCOL] = {
		    cases_report_kind_title(u->kind),
		    u->d.decision_date,
		    u->d.case_number,
		    u->d.service_name,
		    u->d.service,
		    u->d.law,
		    birth,
		    sex,
		    in ? u->in.from_date : "",
		    in ? u->in.reason : "",
		    days,
		    cases_report_wait_title(u->wait),
		    u->executed_in_quarter ? u->d.executed_date : "",
		    u->resumed_in_quarter ? u->in.resumed_date : "",
		    u->closed_in_quarter ? u->d.closed_date : "",
		    u->closed_in_quarter ? close_title(&u->d) : "",
		    u->closed_in_quarter ? u->d.closed_note : "",
		    u->d.delay_reason,
		};
		csv_line(out, f, NCOL);
	}

	/* The council's part: numbers only (SoL 34 kap. 3 §, LSS 28 h §), the decisions not
	 * executed, then the interruptions not resumed. */
	for (int kind = 0; kind < REPORT_NKIND; kind++) {
		struct report_count *sv, sum;
		int m = cases_report_count(rows, n, kind, &sv, &sum);
		sb_adds(out, "\r\n");
		const char *title[] = {stat_titles[kind].title};
		csv_line(out, title, 1);
		const char *shead[NSTATCOL];
		stat_head(kind, shead);
		csv_line(out, shead, NSTATCOL);
		for (int j = 0; j <= m; j++) {
			const struct report_count *s = j < m ? &sv[j] : &sum;
			char c[REPORT_NWAIT + 3][16];
			count_cells(s, c);
			const char *f[NSTATCOL] = {j < m ? s->name : "Totalt",
			                           j < m ? s->law : "",
			                           c[0],
			                           c[1],
			                           c[2],
			                           c[3],
			                           c[4],
			                           c[5]};
			csv_line(out, f, NSTATCOL);
		}
		free(sv);
	}
}

/* ---- PDF ----------------------------------------------------------------------------- */

/* A4 landscape in PDF points, and the text area. */
#define PAGE_W 841.89
#define PAGE_H 595.28
#define MARGIN 36.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
/* Text stops here; the footer sits below it. */
#define BODY_BOTTOM (PAGE_H - MARGIN - 18.0)
/* Padding inside a table cell. */
#define PAD 3.0
#define FONT_FAMILY "DejaVu Sans"

enum font { F_BODY, F_BOLD, F_TITLE, F_HEADING, F_SMALL, F_COUNT };

static const struct {
	double size; /* points */
	bool bold;   /* weight bold, else normal */
} fonts[F_COUNT] = {
    [F_BODY] = {8.0, false},    /* table cells and text */
    [F_BOLD] = {8.0, true},     /* header rows */
    [F_TITLE] = {15.0, true},   /* the report's title */
    [F_HEADING] = {11.0, true}, /* the municipality, sections */
    [F_SMALL] = {7.0, false},   /* running header and footer */
};

struct column {
	const char *title;    /* Swedish heading */
	double width;         /* points; 0: what is left of the text width */
	PangoAlignment align; /* of the cells */
};

/* The drawing state of one pass over the report. */
struct sheet {
	cairo_t *cr;                         /* the PDF surface's context */
	PangoLayout *layout;                 /* for all text */
	PangoFontDescription *font[F_COUNT]; /* one per style */
	const char *municipality;            /* for the footer */
	const char *title;                   /* for the running header and footer */
	const struct column *cols;           /* the table being drawn, NULL between tables */
	int ncols;                           /* its columns */
	bool draw;                           /* false while counting pages */
	int page;                            /* the current page, from 1 */
	int pages;                           /* the total, known in the drawing pass */
	double y;                            /* top of the next line */
};

/* Sets the layout to text in a font and width; returns its height in points. */
static double
set_text(struct sheet *s, enum font f, double width, PangoAlignment align, const char *text)
{
	pango_layout_set_font_description(s->layout, s->font[f]);
	pango_layout_set_width(s->layout, (int)(width * PANGO_SCALE));
	pango_layout_set_alignment(s->layout, align);
	pango_layout_set_text(s->layout, text, -1);
	int w, h;
	pango_layout_get_size(s->layout, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Draws the layout as set at (x, y). */
static void
show_at(struct sheet *s, double x, double y)
{
	if (!s->draw)
		return;
	cairo_move_to(s->cr, x, y);
	pango_cairo_show_layout(s->cr, s->layout);
}

static void
hline(struct sheet *s, double y, double x0, double x1, double gray)
{
	if (!s->draw)
		return;
	cairo_save(s->cr);
	cairo_set_source_rgb(s->cr, gray, gray, gray);
	cairo_set_line_width(s->cr, 0.5);
	cairo_move_to(s->cr, x0, y);
	cairo_line_to(s->cr, x1, y);
	cairo_stroke(s->cr);
	cairo_restore(s->cr);
}

/* The footer of the current page: the municipality and title, and "Sida N av M". */
static void
footer(struct sheet *s)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	double y = PAGE_H - MARGIN - 8.0;
	hline(s, y - 3.0, MARGIN, PAGE_W - MARGIN, 0.55);
	sb_addf(&sb, "%s · %s", s->municipality, s->title);
	set_text(s, F_SMALL, TEXT_W - 90.0, PANGO_ALIGN_LEFT, sb.buf);
	show_at(s, MARGIN, y);
	sb_reset(&sb);
	sb_addf(&sb, "Sida %d av %d", s->page, s->pages);
	set_text(s, F_SMALL, 90.0, PANGO_ALIGN_RIGHT, sb.buf);
	show_at(s, PAGE_W - MARGIN - 90.0, y);
	sb_release(&sb);
}

/* The kinds of table rows: the header (bold on grey, repeated on every page of the table),
 * a body row, and a totals row (bold). */
enum row_kind { ROW_HEAD, ROW_BODY, ROW_TOTAL };

static void row(struct sheet *s, const char *const *cells, enum row_kind kind);

/* Ends the current page and starts the next, with the running header and, inside a table,
 * the table's header row. */
static void
new_page(struct sheet *s)
{
	if (s->draw) {
		if (s->cols)
			cairo_tag_end(s->cr, "Table");
		footer(s);
		cairo_show_page(s->cr);
	}
	s->page++;
	s->y = MARGIN;
	set_text(s, F_SMALL, TEXT_W, PANGO_ALIGN_LEFT, s->title);
	show_at(s, MARGIN, s->y);
	hline(s, s->y + 12.0, MARGIN, PAGE_W - MARGIN, 0.55);
	s->y += 20.0;
	if (s->cols) {
		if (s->draw)
			cairo_tag_begin(s->cr, "Table", NULL);
		const char *titles[16];
		assert(s->ncols <= 16);
		for (int i = 0; i < s->ncols; i++)
			titles[i] = s->cols[i].title;
		row(s, titles, ROW_HEAD);
	}
}

/* A paragraph across the text width, on the next page when it does not fit. */
static void
para(struct sheet *s, enum font f, const char *tag, const char *text, double after)
{
	double h = set_text(s, f, TEXT_W, PANGO_ALIGN_LEFT, text);
	if (s->y + h > BODY_BOTTOM && s->y > MARGIN + 20.0) {
		new_page(s);
		set_text(s, f, TEXT_W, PANGO_ALIGN_LEFT, text);
	}
	if (s->draw)
		cairo_tag_begin(s->cr, tag, NULL);
	show_at(s, MARGIN, s->y);
	if (s->draw)
		cairo_tag_end(s->cr, tag);
	s->y += h + after;
}

static double
col_width(const struct sheet *s, int i)
{
	if (s->cols[i].width > 0)
		return s->cols[i].width;
	double used = 0;
	for (int j = 0; j < s->ncols; j++)
		used += s->cols[j].width;
	return TEXT_W - used;
}

/* One table row; a row that does not fit goes to the next page, below the header row. */
static void
row(struct sheet *s, const char *const *cells, enum row_kind kind)
{
	bool header = kind == ROW_HEAD;
	enum font f = kind == ROW_BODY ? F_BODY : F_BOLD;
	double h = 0;
	for (int i = 0; i < s->ncols; i++) {
		double ch = set_text(s, f, col_width(s, i) - 2 * PAD, s->cols[i].align, cells[i]);
		if (ch > h)
			h = ch;
	}
	h += 2 * PAD;
	/* The first row below a page's running header stays there however tall it is. */
	if (!header && s->y + h > BODY_BOTTOM && s->y > MARGIN + 40.0)
		new_page(s);
	if (header && s->draw) {
		cairo_save(s->cr);
		cairo_set_source_rgb(s->cr, 0.9, 0.9, 0.9);
		cairo_rectangle(s->cr, MARGIN, s->y, TEXT_W, h);
		cairo_fill(s->cr);
		cairo_restore(s->cr);
	}
	if (s->draw)
		cairo_tag_begin(s->cr, "TR", NULL);
	double x = MARGIN;
	for (int i = 0; i < s->ncols; i++) {
		double w = col_width(s, i);
		set_text(s, f, w - 2 * PAD, s->cols[i].align, cells[i]);
		if (s->draw)
			cairo_tag_begin(s->cr, header ? "TH" : "TD", NULL);
		show_at(s, x + PAD, s->y + PAD);
		if (s->draw)
			cairo_tag_end(s->cr, header ? "TH" : "TD");
		x += w;
	}
	if (s->draw)
		cairo_tag_end(s->cr, "TR");
	s->y += h;
	hline(s, s->y, MARGIN, PAGE_W - MARGIN, header ? 0.3 : 0.75);
}

/* Starts a table with its header row, on the next page unless the header and a row fit. */
static void
table_begin(struct sheet *s, const struct column *cols, int ncols)
{
	assert(ncols <= 16);
	if (s->y + 50.0 > BODY_BOTTOM)
		new_page(s);
	s->cols = cols;
	s->ncols = ncols;
	if (s->draw)
		cairo_tag_begin(s->cr, "Table", NULL);
	const char *titles[16];
	for (int i = 0; i < ncols; i++)
		titles[i] = cols[i].title;
	row(s, titles, ROW_HEAD);
}

static void
table_end(struct sheet *s, double after)
{
	if (s->draw)
		cairo_tag_end(s->cr, "Table");
	s->cols = NULL;
	s->ncols = 0;
	s->y += after;
}

struct report_doc {
	const char *municipality;             /* the municipality's name */
	int year, quarter;                    /* the quarter */
	const struct report_unexecuted *rows; /* the decisions */
	int n;                                /* how many */
};

/* The person's birth date and sex share a column to leave room for the interruption. */
static const struct column list_cols[] = {
    {"Typ", 72.0, PANGO_ALIGN_LEFT},
    {"Beslutsdatum", 70.0, PANGO_ALIGN_LEFT},
    {"Diarienummer", 72.0, PANGO_ALIGN_LEFT},
    {"Insats", 76.0, PANGO_ALIGN_LEFT},
    {"Lag", 24.0, PANGO_ALIGN_LEFT},
    {"Födelsedatum och kön", 70.0, PANGO_ALIGN_LEFT},
    {"Avbrott från", 86.0, PANGO_ALIGN_LEFT},
    {"Dagar i väntan", 42.0, PANGO_ALIGN_RIGHT},
    {"Väntetid", 52.0, PANGO_ALIGN_LEFT},
    {"Verkställt, återupptaget eller avslutat", 100.0, PANGO_ALIGN_LEFT},
    {"Skäl till dröjsmål", 0.0, PANGO_ALIGN_LEFT},
};
#define NLIST ((int)(sizeof list_cols / sizeof list_cols[0]))

/* The council's tables: the headings come from stat_head of the table's kind. */
static const struct column stat_cols[] = {
    {"", 200.0, PANGO_ALIGN_LEFT}, {"", 36.0, PANGO_ALIGN_LEFT},   {"", 70.0, PANGO_ALIGN_RIGHT},
    {"", 70.0, PANGO_ALIGN_RIGHT}, {"", 70.0, PANGO_ALIGN_RIGHT},  {"", 80.0, PANGO_ALIGN_RIGHT},
    {"", 90.0, PANGO_ALIGN_RIGHT}, {"", 100.0, PANGO_ALIGN_RIGHT}, {"", 0.0, PANGO_ALIGN_LEFT},
};
#define NSTAT ((int)(sizeof stat_cols / sizeof stat_cols[0]))

/* One pass over the whole report; s->page counts the pages. */
static void
compose(struct sheet *s, const struct report_doc *doc)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	s->page = 1;
	s->y = MARGIN;
	s->cols = NULL;
	para(s, F_HEADING, "P", doc->municipality, 2.0);
	para(s, F_TITLE, "H1", s->title, 4.0);
	char qs[11], qe[11];
	cal_format(cal_quarter_start(doc->year, doc->quarter), qs);
	cal_format(cal_quarter_end(doc->year, doc->quarter), qe);
	sb_addf(&sb,
	        "Period %s – %s. Beviljade beslut enligt SoL och LSS som inte har verkställts inom "
	        "tre månader från beslutsdagen, beslut vars verkställighet har avbrutits och inte "
	        "återupptagits inom tre månader från avbrottet, och de som under kvartalet har "
	        "verkställts, återupptagits eller avslutats efter att ha rapporterats (SoL 34 kap. "
	        "1–2 §§, LSS 28 f–g §§). Den enskilde anges med födelsedatum och kön, inte med "
	        "personnummer.",
	        qs, qe);
	para(s, F_BODY, "P", sb.buf, 10.0);

	if (doc->n == 0) {
		para(s, F_BODY, "P", "Inga beslut att rapportera för kvartalet.", 10.0);
	} else {
		struct strbuf in;
		sb_init(&in, 0);
		table_begin(s, list_cols, NLIST);
		for (int i = 0; i < doc->n; i++) {
			const struct report_unexecuted *u = &doc->rows[i];
			char birth[9], days[16], person[24];
			const char *sex;
			masked(&u->d, birth, &sex);
			snprintf(person, sizeof person, "%s %s", birth, sex);
			snprintf(days, sizeof days, "%d", u->days_waited);
			sb_reset(&sb);
			cases_report_end_text(u, &sb);
			sb_reset(&in);
			cases_report_interruption_text(u, &in);
			const char *cells[NLIST] = {
			    cases_report_kind_title(u->kind),
			    u->d.decision_date,
			    u->d.case_number,
			    u->d.service_name,
			    u->d.law,
			    person,
			    in.buf,
			    days,
			    cases_report_wait_title(u->wait),
			    sb.buf,
			    u->d.delay_reason,
			};
			row(s, cells, ROW_BODY);
		}
		table_end(s, 14.0);
		sb_release(&in);
	}

	/* The council's part: numbers per service and waiting interval, no personal data; the
	 * decisions not executed, then the interruptions not resumed. */
	static const char *const stat_text[REPORT_NKIND] = {
	    "Antal beslut som inte var verkställda vid kvartalets slut, per insats och tid sedan "
	    "beslutet, och för sig de som har verkställts eller avslutats utan verkställighet "
	    "under kvartalet (SoL 34 kap. 3 §, LSS 28 h §).",
	    "Antal avbrott i verkställigheten som inte var återupptagna vid kvartalets slut, per "
	    "insats och tid sedan avbrottet, och för sig de som har återupptagits eller vars "
	    "beslut har avslutats under kvartalet.",
	};
	for (int kind = 0; kind < REPORT_NKIND; kind++) {
		if (s->y + 80.0 > BODY_BOTTOM)
			new_page(s);
		para(s, F_HEADING, "H2", stat_titles[kind].title, 2.0);
		para(s, F_BODY, "P", stat_text[kind], 6.0);
		struct column cols[NSTAT];
		const char *head[NSTATCOL];
		stat_head(kind, head);
		memcpy(cols, stat_cols, sizeof cols);
		for (int k = 0; k < NSTATCOL; k++)
			cols[k].title = head[k];
		struct report_count *sv, sum;
		int m = cases_report_count(doc->rows, doc->n, kind, &sv, &sum);
		table_begin(s, cols, NSTAT);
		for (int j = 0; j <= m; j++) {
			const struct report_count *c = j < m ? &sv[j] : &sum;
			char t[REPORT_NWAIT + 3][16];
			count_cells(c, t);
			const char *cells[NSTAT] = {j < m ? c->name : "Totalt",
			                            j < m ? c->law : "",
			                            t[0],
			                            t[1],
			                            t[2],
			                            t[3],
			                            t[4],
			                            t[5],
			                            ""};
			row(s, cells, j < m ? ROW_BODY : ROW_TOTAL);
		}
		table_end(s, 14.0);
		free(sv);
	}
	if (s->draw)
		footer(s);
	sb_release(&sb);
}

/* Cairo's write callback: appends to the buffer, fails once its limit is hit. */
static cairo_status_t
write_out(void *closure, const unsigned char *data, unsigned int length)
{
	struct strbuf *sb = closure;
	sb_add(sb, data, length);
	return sb->err ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* Every text that reaches Pango must be UTF-8. */
static bool
utf8_ok(const struct report_unexecuted *rows, int n, const char *municipality)
{
	if (!g_utf8_validate(municipality, -1, NULL))
		return false;
	for (int i = 0; i < n; i++) {
		const struct report_row *d = &rows[i].d;
		const char *t[] = {d->decision_date,  d->case_number,
		                   d->service_name,   d->law,
		                   d->executed_date,  d->delay_reason,
		                   d->closed_date,    d->closed_note,
		                   close_title(d),    rows[i].in.from_date,
		                   rows[i].in.reason, rows[i].in.resumed_date};
		for (size_t k = 0; k < sizeof t / sizeof t[0]; k++)
			if (!g_utf8_validate(t[k], -1, NULL))
				return false;
	}
	return true;
}

int
cases_report_unexecuted_pdf(const char *municipality, int year, int quarter,
                            const struct report_unexecuted *rows, int n, struct strbuf *out,
                            int *pages)
{
	assert(out && (n == 0 || rows));
	int32_t qs, qe;
	if (!municipality || cases_report_quarter(year, quarter, &qs, &qe) != 0 ||
	    !utf8_ok(rows, n, municipality))
		return HERR_INVALID;

	struct strbuf pdf, title;
	sb_init(&pdf, out->limit);
	sb_init(&title, 0);
	sb_addf(&title, "Ej verkställda beslut kvartal %d %d", quarter, year);
	cairo_surface_t *surface =
	    cairo_pdf_surface_create_for_stream(write_out, &pdf, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.buf);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Hanna");
	if (*municipality)
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, municipality);
	cairo_t *cr = cairo_create(surface);

	struct sheet s = {.cr = cr, .municipality = municipality, .title = title.buf};
	s.layout = pango_cairo_create_layout(cr);
	PangoContext *ctx = pango_layout_get_context(s.layout);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_context_set_resolution(ctx, 72.0);
	pango_layout_context_changed(s.layout);
	pango_layout_set_wrap(s.layout, PANGO_WRAP_WORD_CHAR);
	for (int i = 0; i < F_COUNT; i++) {
		s.font[i] = pango_font_description_new();
		pango_font_description_set_family(s.font[i], FONT_FAMILY);
		pango_font_description_set_size(s.font[i], (int)(fonts[i].size * PANGO_SCALE));
		pango_font_description_set_weight(s.font[i], fonts[i].bold ? PANGO_WEIGHT_BOLD
		                                                           : PANGO_WEIGHT_NORMAL);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);

	struct report_doc doc = {municipality, year, quarter, rows, n};
	/* First count the pages, then draw them. */
	s.draw = false;
	compose(&s, &doc);
	s.pages = s.page;
	s.draw = true;
	compose(&s, &doc);
	assert(s.page == s.pages);

	for (int i = 0; i < F_COUNT; i++)
		pango_font_description_free(s.font[i]);
	g_object_unref(s.layout);
	bool cairo_ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	cairo_ok = cairo_ok && cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(surface);

	int rc = 0;
	if (pdf.err)
		rc = pdf.err;
	else if (!cairo_ok)
		rc = HERR_INTERNAL;
	else
		sb_add(out, pdf.buf, pdf.len);
	if (rc == 0 && out->err)
		rc = out->err;
	if (rc == 0 && pages)
		*pages = s.pages;
	sb_release(&title);
	sb_release(&pdf);
	return rc;
}

/* ---- reading ------------------------------------------------------------------------- */

/* Parses a stored date; -1 for "" (not set). Dates are written by this program only, so a bad
 * one is logged and read as not set. */
static int32_t
stored_date(const char *s, int64_t decision_id)
{
	int32_t d;
	if (!s[0])
		return -1;
	if (cal_parse(s, &d) != 0) {
		log_error("reports: decision '%lld' has a bad date", (long long)decision_id);
		return -1;
	}
	return d;
}

struct unexecuted_filter {
	int32_t qs, qe;                                       /* the quarter */
	void (*fn)(const struct report_unexecuted *, void *); /* the caller's */
	void *arg;                                            /* its argument */
};

static void
unexecuted_row(const struct report_row *d, void *arg)
{
	struct unexecuted_filter *f = arg;
	int32_t decided = stored_date(d->decision_date, d->id);
	int32_t executed = stored_date(d->executed_date, d->id);
	int32_t closed = stored_date(d->closed_date, d->id);
	if (decided < 0 || !cases_reportable(decided, executed, closed, f->qs, f->qe))
		return;
	struct report_unexecuted u;
	memset(&u, 0, sizeof u);
	u.d = *d;
	u.kind = REPORT_NOT_EXECUTED;
	bool by_closing;
	int32_t end = cases_wait_end(executed, closed, &by_closing);
	bool within = end >= f->qs && end <= f->qe;
	u.executed_in_quarter = within && !by_closing;
	u.closed_in_quarter = within && by_closing;
	u.days_waited = cases_days_waited(decided, executed, closed, f->qe);
	u.wait = cases_report_wait(decided, decided + u.days_waited);
	f->fn(&u, f->arg);
}

/* Trigger B: the rule of trigger A from the interruption's first day, with its resumption for
 * the execution (rules.h). */
static void
interrupted_row(const struct report_unexecuted *in, void *arg)
{
	struct unexecuted_filter *f = arg;
	int32_t from = stored_date(in->in.from_date, in->d.id);
	int32_t resumed = stored_date(in->in.resumed_date, in->d.id);
	int32_t closed = stored_date(in->d.closed_date, in->d.id);
	if (from < 0 || !cases_reportable(from, resumed, closed, f->qs, f->qe))
		return;
	struct report_unexecuted u = *in;
	bool by_closing;
	int32_t end = cases_wait_end(resumed, closed, &by_closing);
	bool within = end >= f->qs && end <= f->qe;
	u.resumed_in_quarter = within && !by_closing;
	u.closed_in_quarter = within && by_closing;
	u.days_waited = cases_days_waited(from, resumed, closed, f->qe);
	u.wait = cases_report_wait(from, from + u.days_waited);
	f->fn(&u, f->arg);
}

int
cases_report_unexecuted(struct db_conn *c, int64_t tenant, int year, int quarter,
                        void (*fn)(const struct report_unexecuted *, void *), void *arg)
{
	struct unexecuted_filter f = {.fn = fn, .arg = arg};
	if (cases_report_quarter(year, quarter, &f.qs, &f.qe) != 0)
		return HERR_INVALID;
	char latest[11], since[11];
	/* The same bound serves both triggers: three months from the decision, or from the
	 * interruption. */
	cal_format(cases_report_latest_decision(f.qe), latest);
	cal_format(f.qs, since);
	int rc = cases__report_unexecuted(c, tenant, latest, since, unexecuted_row, &f);
	if (rc == 0)
		rc = cases__report_interrupted(c, tenant, latest, since, interrupted_row, &f);
	return rc;
}

struct period_filter {
	int n;                                         /* rows seen */
	void (*fn)(const struct report_row *, void *); /* the caller's */
	void *arg;                                     /* its argument */
};

static void
period_row(const struct report_row *d, void *arg)
{
	struct period_filter *f = arg;
	if (++f->n <= REPORT_MAX_ROWS)
		f->fn(d, f->arg);
}

int
cases_report_period(struct db_conn *c, int64_t tenant, const char *from, const char *to,
                    void (*fn)(const struct report_row *, void *), void *arg)
{
	int32_t a, b;
	if (cal_parse(from, &a) != 0 || cal_parse(to, &b) != 0 || b < a)
		return HERR_INVALID;
	struct period_filter f = {0, fn, arg};
	int rc = cases__report_period(c, tenant, from, to, REPORT_MAX_ROWS + 1, period_row, &f);
	if (rc == 0 && f.n > REPORT_MAX_ROWS)
		rc = HERR_LIMIT;
	return rc;
}

struct followup_filter {
	int32_t today;                                      /* the day of the list */
	int within;                                         /* days ahead */
	void (*fn)(const struct report_followup *, void *); /* the caller's */
	void *arg;                                          /* its argument */
};

static void
followup_row(const struct report_row *d, void *arg)
{
	struct followup_filter *f = arg;
	int32_t follow = stored_date(d->followup_date, d->id);
	int32_t end = stored_date(d->end_date, d->id);
	bool due = follow >= 0 && follow <= f->today + f->within;
	bool soon = cases_ends_soon(end, f->today, f->within);
	if (!due && !soon)
		return;
	struct report_followup u;
	u.d = *d;
	u.ends_soon = soon;
	u.overdue = follow >= 0 && follow < f->today;
	f->fn(&u, f->arg);
}

int
cases_report_followups(struct db_conn *c, int64_t tenant, int64_t caseworker, int32_t today,
                       int within, void (*fn)(const struct report_followup *, void *), void *arg)
{
	if (caseworker <= 0 || within < 0)
		return HERR_INVALID;
	struct followup_filter f = {today, within, fn, arg};
	char t[11], horizon[11];
	cal_format(today, t);
	cal_format(today + within, horizon);
	return cases__report_followups(c, tenant, caseworker, t, horizon, REPORT_MAX_ROWS,
	                               followup_row, &f);
}

/* ---- the reason for a delay ---------------------------------------------------------- */

struct delay {
	int64_t tenant, decision_id;   /* the decision */
	const char *reason;            /* the statement of reasons */
	const struct audit_entry *who; /* audit fields */
};

static int
delay_job(struct db_conn *c, void *arg)
{
	struct delay *w = arg;
	struct decision d;
	int rc = cases_decision_get(c, w->tenant, w->decision_id, &d);
	if (rc)
		return rc;
	if (strcmp(d.outcome, "refused") == 0)
		return HERR_RULE;
	if ((rc = cases__decision_delay_reason(c, w->tenant, d.id, w->reason)) != 0)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 500);
	sb_addf(&sb, "Skäl till dröjsmål med verkställigheten angivet (beslut %lld)",
	        (long long)d.id);
	rc = cases__event_insert(c, w->tenant, d.case_id, w->who, "delay_reason", NULL, NULL,
	                         sb.buf);
	sb_release(&sb);
	if (rc)
		return rc;
	struct audit_entry e = *w->who;
	e.action = "update";
	e.entity = "decision";
	e.entity_id = d.id;
	e.person_id = d.person_id;
	return audit_append(c, &e);
}

int
cases_delay_reason(struct db *db, int64_t tenant, int64_t decision_id, const char *reason,
                   const struct audit_entry *who)
{
	if (!reason || strlen(reason) > REPORT_REASON_MAX || !g_utf8_validate(reason, -1, NULL) ||
	    reason[strspn(reason, " \t\r\n")] == '\0')
		return HERR_INVALID;
	struct delay w = {tenant, decision_id, reason, who};
	return db_write(db, delay_job, &w);
}

/* ---- route helpers ------------------------------------------------------------------- */

enum report_format { FORMAT_JSON = 1 << 0, FORMAT_CSV = 1 << 1, FORMAT_PDF = 1 << 2 };

void
cases__int_arg(struct req *r, const char *name, int lo, int hi, const char *message, int *out)
{
	const char *v = req_query(r, name);
	char *end = NULL;
	long n = v && *v >= '0' && *v <= '9' ? strtol(v, &end, 10) : -1;
	if (!end || *end || n < lo || n > hi) {
		field_error_add(&r->fe, name, message);
		return;
	}
	*out = (int)n;
}

/* Reads format (default json) among the allowed ones; a field error otherwise. */
static void
format_arg(struct req *r, unsigned allowed, enum report_format *out)
{
	const char *v = req_query(r, "format");
	if (!v || !*v || strcmp(v, "json") == 0)
		*out = FORMAT_JSON;
	else if (strcmp(v, "csv") == 0)
		*out = FORMAT_CSV;
	else if (strcmp(v, "pdf") == 0)
		*out = FORMAT_PDF;
	else
		*out = 0;
	if (!(*out & allowed))
		field_error_add(&r->fe, "format",
		                allowed & FORMAT_PDF ? "ska vara json, csv eller pdf"
		                                     : "ska vara json eller csv");
}

/* Reads a required date YYYY-MM-DD into out[11] and *days; a field error otherwise. */
static void
date_arg(struct req *r, const char *name, char out[11], int32_t *days)
{
	const char *v = req_query(r, name);
	if (!v || strlen(v) != 10 || cal_parse(v, days) != 0) {
		field_error_add(&r->fe, name, "ange ett datum ÅÅÅÅ-MM-DD");
		*days = -1;
		return;
	}
	memcpy(out, v, 11);
}

int
cases__period_or_fail(struct req *r, char from[11], char to[11])
{
	int32_t a, b;
	date_arg(r, "from", from, &a);
	date_arg(r, "to", to, &b);
	if (!r->fe.n && b < a)
		field_error_add(&r->fe, "to", "slutdatum före startdatum");
	return r->fe.n ? REQ_FAIL(r, HERR_INVALID) : 0;
}

/* A growing list of person ids, for the audit records of a report. */
struct persons {
	int64_t *v; /* ids, owned */
	int n, cap; /* used and allocated */
};

static void
persons_add(struct persons *p, int64_t id)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->v = xrealloc(p->v, (size_t)p->cap * sizeof *p->v);
	}
	p->v[p->n++] = id;
}

static int
id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int
cases__audit_listed(struct req *r, const char *entity, int64_t *ids, int n)
{
	if (n == 0)
		return 0;
	qsort(ids, (size_t)n, sizeof *ids, id_cmp);
	int m = 0;
	for (int i = 0; i < n; i++)
		if (m == 0 || ids[m - 1] != ids[i])
			ids[m++] = ids[i];
	return req_audit_reads(r, "list", entity, 0, ids, m);
}

/* The municipality's name for titles. Borrowed until the request ends. */
static const char *
municipality(const struct req *r)
{
	return r->who.tenant_title[0] ? r->who.tenant_title : r->who.tenant;
}

/* Sets a download answer: the body of sb (taken), its type and file name. */
static void
answer_file(struct req *r, struct strbuf *sb, const char *type, const char *filename)
{
	req_json(r, 200, sb);
	r->resp_type = type;
	char disp[160];
	snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", filename);
	req_header(r, "Content-Disposition", disp);
}

static void
opt_str(struct strbuf *sb, const char *key, const char *v)
{
	sb_addf(sb, ",\"%s\":", key);
	if (v && *v)
		json_str(sb, v);
	else
		sb_adds(sb, "null");
}

static void
stat_json(struct strbuf *sb, const char *key, const struct report_stat *st)
{
	sb_addf(sb, ",\"%s\":{\"n\":%d,", key, st->n);
	if (st->n)
		sb_addf(sb, "\"median\":%.1f,\"mean\":%.1f}", st->median, st->mean);
	else
		sb_adds(sb, "\"median\":null,\"mean\":null}");
}

/* ---- GET /api/v1/reports/unexecuted -------------------------------------------------- */

struct unexecuted_list {
	struct report_unexecuted *v; /* rows, owned */
	int n, cap;                  /* used and allocated */
	bool over;                   /* more than REPORT_MAX_ROWS */
};

static void
collect_unexecuted(const struct report_unexecuted *u, void *arg)
{
	struct unexecuted_list *l = arg;
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
waits_json(struct strbuf *sb, const int *n)
{
	sb_adds(sb, ",\"by_interval\":{");
	for (int k = 0; k < REPORT_NWAIT; k++)
		sb_addf(sb, "%s\"%s\":%d", k ? "," : "", wait_key(k), n[k]);
	sb_addc(sb, '}');
}

static void
unexecuted_json(struct strbuf *sb, const struct req *r, int year, int quarter,
                const struct unexecuted_list *l)
{
	char qs[11], qe[11];
	cal_format(cal_quarter_start(year, quarter), qs);
	cal_format(cal_quarter_end(year, quarter), qe);
	sb_addf(sb, "{\"year\":%d,\"quarter\":%d,\"quarter_start\":\"%s\",\"quarter_end\":\"%s\"",
	        year, quarter, qs, qe);
	sb_adds(sb, ",\"municipality\":");
	json_str(sb, municipality(r));
	sb_adds(sb, ",\"items\":[");
	for (int i = 0; i < l->n; i++) {
		const struct report_unexecuted *u = &l->v[i];
		char birth[9];
		const char *sex;
		masked(&u->d, birth, &sex);
		sb_addf(sb,
		        "%s{\"decision_id\":%lld,\"case_id\":%lld,\"case_number\":", i ? "," : "",
		        (long long)u->d.id, (long long)u->d.case_id);
		json_str(sb, u->d.case_number);
		sb_adds(sb, ",\"decision_date\":");
		json_str(sb, u->d.decision_date);
		sb_adds(sb, ",\"service\":");
		json_str(sb, u->d.service);
		sb_adds(sb, ",\"service_name\":");
		json_str(sb, u->d.service_name);
		sb_adds(sb, ",\"law\":");
		json_str(sb, u->d.law);
		sb_adds(sb, ",\"outcome\":");
		json_str(sb, u->d.outcome);
		opt_str(sb, "birth_date", birth);
		opt_str(sb, "sex", sex);
		sb_addf(sb, ",\"days_waited\":%d,\"waiting_interval\":\"%s\"", u->days_waited,
		        wait_key(u->wait));
		bool in = u->kind == REPORT_INTERRUPTED;
		sb_adds(sb, ",\"kind\":");
		json_str(sb, in ? "interrupted" : "not_executed");
		sb_adds(sb, ",\"kind_title\":");
		json_str(sb, cases_report_kind_title(u->kind));
		if (in)
			sb_addf(sb, ",\"interruption_id\":%lld", (long long)u->in.id);
		else
			sb_adds(sb, ",\"interruption_id\":null");
		opt_str(sb, "interrupted_date", in ? u->in.from_date : "");
		opt_str(sb, "interruption_reason", in ? u->in.reason : "");
		sb_adds(sb, ",\"state\":");
		json_str(sb, cases_report_state_code(u));
		sb_adds(sb, ",\"state_title\":");
		json_str(sb, cases_report_state_title(u));
		opt_str(sb, "executed_date", u->executed_in_quarter ? u->d.executed_date : "");
		opt_str(sb, "resumed_date", u->resumed_in_quarter ? u->in.resumed_date : "");
		opt_str(sb, "closed_date", u->closed_in_quarter ? u->d.closed_date : "");
		opt_str(sb, "closed_reason", u->closed_in_quarter ? u->d.closed_reason : "");
		opt_str(sb, "closed_reason_title", u->closed_in_quarter ? close_title(&u->d) : "");
		opt_str(sb, "closed_note", u->closed_in_quarter ? u->d.closed_note : "");
		opt_str(sb, "delay_reason", u->d.delay_reason);
		sb_addc(sb, '}');
	}
	sb_adds(sb, "]");
	/* The council's statistics of each kind: "statistics" of the decisions not executed,
	 * "interruption_statistics" of the interruptions not resumed. */
	static const char *const key[REPORT_NKIND] = {"statistics", "interruption_statistics"};
	static const char *const ended[REPORT_NKIND] = {"executed_in_quarter",
	                                                "resumed_in_quarter"};
	for (int kind = 0; kind < REPORT_NKIND; kind++) {
		struct report_count *sv, sum;
		int m = cases_report_count(l->v, l->n, kind, &sv, &sum);
		for (int j = -1; j < m; j++) {
			const struct report_count *c = j < 0 ? &sum : &sv[j];
			if (j < 0) {
				sb_addf(sb, ",\"%s\":{", key[kind]);
			} else {
				sb_adds(sb, j ? ",{\"service\":" : "{\"service\":");
				json_str(sb, c->service);
				sb_adds(sb, ",\"name\":");
				json_str(sb, c->name);
				sb_adds(sb, ",\"law\":");
				json_str(sb, c->law);
				sb_addc(sb, ',');
			}
			sb_addf(sb, "\"total\":%d", c->total);
			waits_json(sb, c->n);
			sb_addf(sb, ",\"%s\":%d,\"closed_in_quarter\":%d", ended[kind], c->executed,
			        c->closed);
			sb_adds(sb, j < 0 ? ",\"by_service\":[" : "}");
		}
		sb_adds(sb, "]}");
		free(sv);
	}
	sb_addc(sb, '}');
}

int
cases_api_report_unexecuted(struct req *r)
{
	int year = 0, quarter = 0;
	enum report_format fmt;
	cases__int_arg(r, "year", REPORT_YEAR_MIN, REPORT_YEAR_MAX, "ange ett år 2000–2100", &year);
	cases__int_arg(r, "quarter", 1, 4, "ange kvartal 1–4", &quarter);
	format_arg(r, FORMAT_JSON | FORMAT_CSV | FORMAT_PDF, &fmt);
	if (r->fe.n)
		return REQ_FAIL(r, HERR_INVALID);

	struct unexecuted_list l = {0};
	struct db_conn *c = db_reader(r->db);
	int rc =
	    cases_report_unexecuted(c, r->who.tenant_id, year, quarter, collect_unexecuted, &l);
	db_reader_done(r->db, c);
	if (rc == 0 && l.over) {
		field_error_add(&r->fe, "quarter", "för många beslut för en rapport");
		rc = HERR_LIMIT;
	}
	struct strbuf sb;
	sb_init(&sb, fmt == FORMAT_PDF ? (size_t)64 << 20 : 0);
	if (rc == 0) {
		if (fmt == FORMAT_JSON)
			unexecuted_json(&sb, r, year, quarter, &l);
		else if (fmt == FORMAT_CSV)
			cases_report_unexecuted_csv(l.v, l.n, &sb);
		else
			rc = cases_report_unexecuted_pdf(municipality(r), year, quarter, l.v, l.n,
			                                 &sb, NULL);
		if (rc == 0 && sb.err)
			rc = sb.err;
	}
	if (rc == 0) {
		struct persons p = {0};
		for (int i = 0; i < l.n; i++)
			persons_add(&p, l.v[i].d.person_id);
		rc = cases__audit_listed(r, "report_unexecuted", p.v, p.n);
		free(p.v);
	}
	free(l.v);
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	char name[64];
	if (fmt == FORMAT_JSON) {
		req_json(r, 200, &sb);
	} else {
		snprintf(name, sizeof name, "ej-verkstallda-beslut-%d-K%d.%s", year, quarter,
		         fmt == FORMAT_CSV ? "csv" : "pdf");
		answer_file(r, &sb,
		            fmt == FORMAT_CSV ? "text/csv; charset=utf-8" : "application/pdf",
		            name);
	}
	return 0;
}

/* ---- GET /api/v1/reports/delegated --------------------------------------------------- */

struct delegated {
	struct strbuf *sb;      /* the answer */
	enum report_format fmt; /* JSON or CSV */
	struct persons persons; /* listed */
};

static void
delegated_row(const struct report_row *d, void *arg)
{
	struct delegated *w = arg;
	char birth[9];
	const char *sex;
	masked(d, birth, &sex);
	bool delegated = d->decided_level < LEVEL_COMMITTEE;
	if (w->fmt == FORMAT_CSV) {
		const char *f[] = {
		    d->decision_date,
		    d->case_number,
		    d->service_name,
		    d->law,
		    outcome_title(d->outcome),
		    d->decided_by_name,
		    cases_level_name(d->decided_level),
		    d->delegation_point,
		    birth,
		    sex,
		};
		csv_line(w->sb, f, (int)(sizeof f / sizeof f[0]));
	} else {
		struct strbuf *sb = w->sb;
		sb_addf(sb, "%s{\"decision_id\":%lld,\"decision_date\":", w->persons.n ? "," : "",
		        (long long)d->id);
		json_str(sb, d->decision_date);
		sb_adds(sb, ",\"case_number\":");
		json_str(sb, d->case_number);
		sb_adds(sb, ",\"service\":");
		json_str(sb, d->service);
		sb_adds(sb, ",\"service_name\":");
		json_str(sb, d->service_name);
		sb_adds(sb, ",\"law\":");
		json_str(sb, d->law);
		sb_adds(sb, ",\"outcome\":");
		json_str(sb, d->outcome);
		sb_adds(sb, ",\"outcome_title\":");
		json_str(sb, outcome_title(d->outcome));
		sb_adds(sb, ",\"decided_by_name\":");
		json_str(sb, d->decided_by_name);
		sb_adds(sb, ",\"level\":");
		json_str(sb, cases_level_name(d->decided_level));
		sb_addf(sb, ",\"delegated\":%s", delegated ? "true" : "false");
		opt_str(sb, "delegation_point", d->delegation_point);
		opt_str(sb, "birth_date", birth);
		opt_str(sb, "sex", sex);
		sb_addc(sb, '}');
	}
	persons_add(&w->persons, d->person_id);
}

int
cases_api_report_delegated(struct req *r)
{
	char from[11], to[11];
	enum report_format fmt;
	format_arg(r, FORMAT_JSON | FORMAT_CSV, &fmt);
	int rc = cases__period_or_fail(r, from, to);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	struct delegated w = {.sb = &sb, .fmt = fmt};
	if (fmt == FORMAT_CSV) {
		static const char *const head[] = {
		    "Beslutsdatum",   "Diarienummer", "Insats",           "Lag",          "Beslut",
		    "Beslutsfattare", "Nivå",         "Delegationspunkt", "Födelsedatum", "Kön",
		};
		sb_adds(&sb, csv_bom);
		csv_line(&sb, head, (int)(sizeof head / sizeof head[0]));
	} else {
		sb_addf(&sb, "{\"from\":\"%s\",\"to\":\"%s\",\"municipality\":", from, to);
		json_str(&sb, municipality(r));
		sb_adds(&sb, ",\"items\":[");
	}
	struct db_conn *c = db_reader(r->db);
	rc = cases_report_period(c, r->who.tenant_id, from, to, delegated_row, &w);
	db_reader_done(r->db, c);
	if (rc == HERR_LIMIT)
		field_error_add(&r->fe, "to", "för många beslut; välj en kortare period");
	if (fmt == FORMAT_JSON)
		sb_addf(&sb, "],\"count\":%d}", w.persons.n);
	if (rc == 0 && sb.err)
		rc = sb.err;
	if (rc == 0)
		rc = cases__audit_listed(r, "report_delegated", w.persons.v, w.persons.n);
	free(w.persons.v);
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	if (fmt == FORMAT_JSON) {
		req_json(r, 200, &sb);
	} else {
		char name[64];
		snprintf(name, sizeof name, "delegationsbeslut-%s-%s.csv", from, to);
		answer_file(r, &sb, "text/csv; charset=utf-8", name);
	}
	return 0;
}

/* ---- GET /api/v1/reports/lead-times -------------------------------------------------- */

struct lead_row {
	int service;   /* index into lead.services */
	int handling;  /* days from received to decision */
	int execution; /* days from decision to execution, -1 when not executed */
};

struct lead_service {
	char service[41]; /* code */
	char name[101];   /* name */
	char law[8];      /* SoL, LSS */
};

struct lead {
	struct lead_row *rows;         /* one per decision, owned */
	int n, cap;                    /* used and allocated */
	struct lead_service *services; /* distinct services, owned */
	int nservices, capservices;    /* used and allocated */
};

static void
lead_add(const struct report_row *d, void *arg)
{
	struct lead *l = arg;
	int32_t received = stored_date(d->received_date, d->id);
	int32_t decided = stored_date(d->decision_date, d->id);
	int32_t executed = stored_date(d->executed_date, d->id);
	if (received < 0 || decided < 0)
		return;
	int s = 0;
	while (s < l->nservices && strcmp(l->services[s].service, d->service) != 0)
		s++;
	if (s == l->nservices) {
		if (l->nservices == l->capservices) {
			l->capservices = l->capservices ? 2 * l->capservices : 16;
			l->services =
			    xrealloc(l->services, (size_t)l->capservices * sizeof *l->services);
		}
		struct lead_service *ls = &l->services[l->nservices++];
		snprintf(ls->service, sizeof ls->service, "%s", d->service);
		snprintf(ls->name, sizeof ls->name, "%s", d->service_name);
		snprintf(ls->law, sizeof ls->law, "%s", d->law);
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->rows = xrealloc(l->rows, (size_t)l->cap * sizeof *l->rows);
	}
	l->rows[l->n++] = (struct lead_row){s, (int)(decided - received),
	                                    executed >= 0 ? (int)(executed - decided) : -1};
}

/* The measures of the rows of one service (service >= 0) or of all (-1). */
static void
lead_measure(const struct lead *l, int service, int *scratch, struct report_lead *out)
{
	int n = 0, ne = 0;
	for (int i = 0; i < l->n; i++)
		if (service < 0 || l->rows[i].service == service)
			scratch[n++] = l->rows[i].handling;
	cases_report_stat(scratch, n, &out->handling);
	for (int i = 0; i < l->n; i++)
		if ((service < 0 || l->rows[i].service == service) && l->rows[i].execution >= 0)
			scratch[ne++] = l->rows[i].execution;
	cases_report_stat(scratch, ne, &out->execution);
}

int
cases_report_lead_times(struct db_conn *c, int64_t tenant, const char *from, const char *to,
                        struct report_lead **out, int *n)
{
	struct lead l = {0};
	int rc = cases_report_period(c, tenant, from, to, lead_add, &l);
	if (rc) {
		free(l.rows);
		free(l.services);
		return rc;
	}
	int *scratch = xmalloc((size_t)(l.n ? l.n : 1) * sizeof *scratch);
	struct report_lead *v = xcalloc((size_t)l.nservices + 1, sizeof *v);
	lead_measure(&l, -1, scratch, &v[0]);
	for (int s = 0; s < l.nservices; s++) {
		struct report_lead *w = &v[s + 1];
		snprintf(w->service, sizeof w->service, "%s", l.services[s].service);
		snprintf(w->name, sizeof w->name, "%s", l.services[s].name);
		snprintf(w->law, sizeof w->law, "%s", l.services[s].law);
		lead_measure(&l, s, scratch, w);
	}
	*out = v;
	*n = l.nservices + 1;
	free(scratch);
	free(l.rows);
	free(l.services);
	return 0;
}

static void
lead_json(struct strbuf *sb, const struct report_lead *w)
{
	sb_addf(sb, "\"decisions\":%d", w->handling.n);
	stat_json(sb, "handling_days", &w->handling);
	stat_json(sb, "execution_days", &w->execution);
}

int
cases_api_report_lead_times(struct req *r)
{
	char from[11], to[11];
	int rc = cases__period_or_fail(r, from, to);
	if (rc)
		return rc;
	struct report_lead *v = NULL;
	int n = 0;
	struct db_conn *c = db_reader(r->db);
	rc = cases_report_lead_times(c, r->who.tenant_id, from, to, &v, &n);
	db_reader_done(r->db, c);
	if (rc == HERR_LIMIT)
		field_error_add(&r->fe, "to", "för många beslut; välj en kortare period");
	if (rc)
		return REQ_FAIL(r, rc);
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_addf(&sb, "{\"from\":\"%s\",\"to\":\"%s\",\"total\":{", from, to);
	lead_json(&sb, &v[0]);
	sb_adds(&sb, "},\"by_service\":[");
	for (int s = 1; s < n; s++) {
		sb_adds(&sb, s > 1 ? ",{\"service\":" : "{\"service\":");
		json_str(&sb, v[s].service);
		sb_adds(&sb, ",\"name\":");
		json_str(&sb, v[s].name);
		sb_adds(&sb, ",\"law\":");
		json_str(&sb, v[s].law);
		sb_addc(&sb, ',');
		lead_json(&sb, &v[s]);
		sb_addc(&sb, '}');
	}
	sb_adds(&sb, "]}");
	free(v);
	if (sb.err) {
		rc = sb.err;
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	req_json(r, 200, &sb);
	return 0;
}

/* ---- GET /api/v1/followups ----------------------------------------------------------- */

struct followups {
	struct strbuf *sb;      /* the answer */
	struct persons persons; /* listed */
};

static void
followup_json(const struct report_followup *u, void *arg)
{
	struct followups *w = arg;
	struct strbuf *sb = w->sb;
	sb_addf(sb, "%s{\"decision_id\":%lld,\"case_id\":%lld,\"case_number\":",
	        w->persons.n ? "," : "", (long long)u->d.id, (long long)u->d.case_id);
	json_str(sb, u->d.case_number);
	sb_addf(sb, ",\"person_id\":%lld,\"service\":", (long long)u->d.person_id);
	json_str(sb, u->d.service);
	sb_adds(sb, ",\"service_name\":");
	json_str(sb, u->d.service_name);
	opt_str(sb, "followup_date", u->d.followup_date);
	opt_str(sb, "end_date", u->d.end_date);
	sb_addf(sb, ",\"ends_soon\":%s,\"overdue\":%s}", u->ends_soon ? "true" : "false",
	        u->overdue ? "true" : "false");
	persons_add(&w->persons, u->d.person_id);
}

/* One order the user sent that its provider has not answered by its answer day. */
static void
overdue_order_json(const struct order *o, void *arg)
{
	struct followups *w = arg;
	struct strbuf *sb = w->sb;
	if (sb->buf[sb->len - 1] != '[')
		sb_addc(sb, ',');
	sb_addf(sb,
	        "{\"order_id\":%lld,\"decision_id\":%lld,\"case_id\":%lld,\"person_id\":%lld,"
	        "\"provider_id\":%lld,\"provider_name\":",
	        (long long)o->ref.id, (long long)o->ref.decision_id, (long long)o->ref.case_id,
	        (long long)o->ref.person_id, (long long)o->ref.provider_id);
	json_str(sb, o->provider_name);
	sb_adds(sb, ",\"service\":");
	json_str(sb, o->ref.service_code);
	sb_adds(sb, ",\"sent_date\":");
	json_str(sb, o->sent_date);
	sb_adds(sb, ",\"answer_due\":");
	json_str(sb, o->answer_due);
	sb_addc(sb, '}');
	persons_add(&w->persons, o->ref.person_id);
}

int
cases_api_followups(struct req *r)
{
	int within = 30;
	if (req_query(r, "within"))
		cases__int_arg(r, "within", 0, 366, "ange antal dagar 0–366", &within);
	if (r->fe.n)
		return REQ_FAIL(r, HERR_INVALID);
	char t[11];
	int32_t today;
	time_today(t);
	if (cal_parse(t, &today) != 0)
		return REQ_FAIL(r, HERR_INTERNAL);
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_addf(&sb, "{\"today\":\"%s\",\"within\":%d,\"items\":[", t, within);
	struct followups w = {.sb = &sb};
	struct db_conn *c = db_reader(r->db);
	int rc = cases_report_followups(c, r->who.tenant_id, r->who.user_id, today, within,
	                                followup_json, &w);
	/* The orders the user sent that their providers have not answered in time (issue 4). */
	sb_adds(&sb, "],\"overdue_orders\":[");
	if (rc == 0)
		rc = providers_orders_overdue(c, r->who.tenant_id, r->who.user_id, t, 100,
		                              overdue_order_json, &w);
	db_reader_done(r->db, c);
	sb_adds(&sb, "],\"next_cursor\":null}");
	if (rc == 0 && sb.err)
		rc = sb.err;
	if (rc == 0)
		rc = cases__audit_listed(r, "followup", w.persons.v, w.persons.n);
	free(w.persons.v);
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	req_json(r, 200, &sb);
	return 0;
}

/* ---- POST /api/v1/decisions/{id}/delay-reason ---------------------------------------- */

static const struct jfield delay_fields[] = {
    {"reason", JF_STRING, true, REPORT_REASON_MAX, NULL, 0},
};

int
cases_api_delay_reason(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, delay_fields, 1, &obj);
	if (rc)
		return rc;
	char reason[REPORT_REASON_MAX + 1];
	const char *given = json_get_str(obj, "reason");
	snprintf(reason, sizeof reason, "%s", given ? given : "");
	json_decref(obj);
	if (reason[strspn(reason, " \t\r\n")] == '\0') {
		field_error_add(&r->fe, "reason", "ange skälet till dröjsmålet");
		return REQ_FAIL(r, HERR_INVALID);
	}
	struct decision d;
	struct db_conn *c = db_reader(r->db);
	rc = cases_decision_get(c, r->who.tenant_id, r->params[0], &d);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	struct case_row cs;
	if ((rc = cases__load_or_fail(r, d.case_id, &cs)) != 0)
		return rc;
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = cases_delay_reason(r->db, cs.tenant_id, d.id, reason, &e);
	if (rc == HERR_RULE)
		field_error_add(
		    &r->fe, "reason",
		    "bara ett beviljat beslut kan ha skäl till dröjsmål med verkställigheten");
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_addf(&sb, "{\"decision_id\":%lld,\"case_id\":%lld,\"delay_reason\":", (long long)d.id,
	        (long long)d.case_id);
	json_str(&sb, reason);
	sb_addc(&sb, '}');
	req_json(r, 200, &sb);
	return 0;
}
