/*
 * Decision letters (beslutsbrev) as PDF; see letter.h for the contract and
 * shared/domain/legal-duties.md sections 6 (delegation) and 7 (appeal) for what a letter must
 * say. The letter is drawn with Pango on a Cairo PDF surface that writes into a string buffer.
 *
 * Every data value reaches Pango as plain text (pango_layout_set_text), never as markup, so a
 * name such as "<b>&" is printed as written. Text is laid out line by line: a paragraph that
 * runs past the bottom margin continues on the next page. The layout runs twice, first without
 * drawing to count the pages for "Sida N av M", then drawing.
 */
#include "letter.h"

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include "base/calendar.h"
#include "base/err.h"
#include "base/strbuf.h"

/* A4 in PDF points, and the text area. */
#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 56.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
/* The right-hand column of the first page: letter type, date, case number and address. */
#define COL2_X 318.0
#define COL2_W (PAGE_W - MARGIN - COL2_X)
/* Where the address starts, inside the window of a C5 or E65 window envelope. */
#define ADDRESS_Y 136.0
/* Text stops here; the footer sits below it. */
#define BODY_BOTTOM (PAGE_H - MARGIN - 22.0)
/* The body starts here on the second and later pages, below the running header. */
#define CONT_TOP (MARGIN + 30.0)

#define FONT_FAMILY "DejaVu Sans"
/* Extra space between the lines of a paragraph, as a fraction of the line height. */
#define LEADING 0.15

enum style {
	ST_BODY,   /* running text */
	ST_H1,     /* "Beslut om hemtjänst" */
	ST_H2,     /* section headings */
	ST_SENDER, /* the municipality's name */
	ST_SMALL,  /* header and footer lines */
	ST_COUNT,
};

static const struct {
	double size;     /* points */
	bool bold;       /* weight bold, else normal */
	const char *tag; /* PDF structure tag for accessibility */
} styles[ST_COUNT] = {
    [ST_BODY] = {10.0, false, "P"},  /* 10 pt like most municipal letters */
    [ST_H1] = {15.0, true, "H1"},    /* the letter's one heading */
    [ST_H2] = {11.0, true, "H2"},    /* sections */
    [ST_SENDER] = {13.0, true, "P"}, /* the municipality */
    [ST_SMALL] = {8.0, false, "P"},  /* header and footer */
};

/* The drawing state of one pass over the letter. */
struct pen {
	cairo_t *cr;                           /* the PDF surface's context */
	PangoLayout *layout;                   /* for body text */
	PangoLayout *aux;                      /* for header and footer, drawn mid-paragraph */
	PangoFontDescription *fonts[ST_COUNT]; /* one per style */
	const struct letter *l;                /* the letter being drawn */
	const char *title;                     /* "Beslut om hemtjänst", for the running header */
	bool draw;                             /* false while counting pages */
	int page;                              /* the current page, from 1 */
	int pages;                             /* the total, known in the drawing pass */
	double y;                              /* top of the next line on the current page */
};

bool
letter_needs_appeal(const char *outcome)
{
	return outcome &&
	       (strcmp(outcome, "refused") == 0 || strcmp(outcome, "partly_granted") == 0);
}

static bool
empty(const char *s)
{
	return !s || !*s;
}

/* Optional fields may be NULL; they read as "". */
static const char *
opt(const char *s)
{
	return s ? s : "";
}

/*
 * Appends s with its first letter in lower case when it is a capitalised word ("Hemtjänst",
 * "Socialnämnden"), so a name can stand inside a sentence; "LSS-insats" stays as it is.
 */
static void
add_lowered(struct strbuf *sb, const char *s)
{
	if (!*s)
		return;
	gunichar c = g_utf8_get_char(s);
	const char *rest = s + g_utf8_skip[(unsigned char)*s];
	gunichar next = *rest ? g_utf8_get_char(rest) : 0;
	if (g_unichar_isupper(c) && (next == 0 || g_unichar_islower(next))) {
		char u[8];
		int n = g_unichar_to_utf8(g_unichar_tolower(c), u);
		sb_add(sb, u, (size_t)n);
		sb_adds(sb, rest);
	} else {
		sb_adds(sb, s);
	}
}

/* Appends s as a sentence: with a full stop unless it already ends in one. */
static void
add_sentence(struct strbuf *sb, const char *s)
{
	sb_adds(sb, s);
	size_t n = strlen(s);
	if (n && !strchr(".!?", s[n - 1]))
		sb_addc(sb, '.');
}

/*
 * Appends a law reference with no-break spaces in "4 kap." and "1 §", so a line never starts
 * with "§" or "kap." (Swedish typography).
 */
static void
add_law(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' &&
		    (strncmp(s + 1, "§", strlen("§")) == 0 || strncmp(s + 1, "kap.", 4) == 0))
			sb_adds(sb, "\u00a0");
		else
			sb_addc(sb, *s);
	}
}

/* A personnummer as stored: twelve digits. */
static bool
pnr_ok(const char *pnr)
{
	return strlen(pnr) == 12 && strspn(pnr, "0123456789") == 12;
}

/* Appends twelve digits YYYYMMDDNNNN as YYYYMMDD-NNNN. */
static void
add_pnr(struct strbuf *sb, const char *pnr)
{
	assert(pnr_ok(pnr));
	sb_add(sb, pnr, 8);
	sb_addc(sb, '-');
	sb_add(sb, pnr + 8, 4);
}

static bool
valid_date(const char *s)
{
	int32_t days;
	return cal_parse(s, &days) == 0;
}

/*
 * Checks the letter before anything is drawn: the required fields are there, the outcome is
 * known, dates and personnummer have their formats, and every field is UTF-8 (Pango would
 * otherwise warn and replace). Returns 0 or HERR_INVALID.
 */
static int
check(const struct letter *l)
{
	const char *fields[] = {
	    l->municipality,  l->board,
	    l->unit,          l->case_number,
	    l->letter_date,   l->person_name,
	    l->pnr,           l->street,
	    l->postal_code,   l->city,
	    l->service_name,  l->law_ref,
	    l->outcome,       l->scope,
	    l->start_date,    l->end_date,
	    l->goals,         l->reasoning,
	    l->followup_date, l->decided_by,
	    l->decided_title, l->delegation_point,
	    l->court,         l->contact,
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (fields[i] && !g_utf8_validate(fields[i], -1, NULL))
			return HERR_INVALID;
	if (l->napplied < 0 || (l->napplied > 0 && !l->applied))
		return HERR_INVALID;
	for (int i = 0; i < l->napplied; i++)
		if (!l->applied[i] || !g_utf8_validate(l->applied[i], -1, NULL))
			return HERR_INVALID;
	if (empty(l->case_number) || empty(l->person_name) || empty(l->service_name) ||
	    empty(l->reasoning) || empty(l->decided_by) || empty(l->outcome))
		return HERR_INVALID;
	bool refused = strcmp(l->outcome, "refused") == 0;
	if (!refused && strcmp(l->outcome, "granted") != 0 &&
	    strcmp(l->outcome, "partly_granted") != 0)
		return HERR_INVALID;
	if (!refused && empty(l->start_date))
		return HERR_INVALID;
	/* An appeal instruction without a court to appeal to would mislead. */
	if (letter_needs_appeal(l->outcome) && empty(l->court))
		return HERR_INVALID;
	const char *dates[] = {l->letter_date, l->start_date, l->end_date, l->followup_date};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
		if (!empty(dates[i]) && !valid_date(dates[i]))
			return HERR_INVALID;
	if (!empty(l->pnr) && !pnr_ok(l->pnr))
		return HERR_INVALID;
	return 0;
}

static double
page_top(const struct pen *p)
{
	return p->page == 1 ? MARGIN : CONT_TOP;
}

/* Draws one line of small text at (x, y) in the aux layout, aligned within width. */
static void
small_line(struct pen *p, double x, double y, double width, PangoAlignment align, const char *text)
{
	pango_layout_set_font_description(p->aux, p->fonts[ST_SMALL]);
	pango_layout_set_width(p->aux, (int)(width * PANGO_SCALE));
	pango_layout_set_alignment(p->aux, align);
	pango_layout_set_text(p->aux, text, -1);
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, p->aux);
}

static void
rule(struct pen *p, double y)
{
	cairo_save(p->cr);
	cairo_set_source_rgb(p->cr, 0.55, 0.55, 0.55);
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, MARGIN, y);
	cairo_line_to(p->cr, PAGE_W - MARGIN, y);
	cairo_stroke(p->cr);
	cairo_restore(p->cr);
}

/* The footer of the current page: sender and case number, and "Sida N av M". */
static void
footer(struct pen *p)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	double y = PAGE_H - MARGIN - 8.0;
	rule(p, y - 4.0);
	sb_addf(&sb, "%s · %s · Diarienummer %s", opt(p->l->municipality), opt(p->l->board),
	        p->l->case_number);
	small_line(p, MARGIN, y, TEXT_W - 80.0, PANGO_ALIGN_LEFT, sb.buf);
	sb_reset(&sb);
	sb_addf(&sb, "Sida %d av %d", p->page, p->pages);
	small_line(p, PAGE_W - MARGIN - 80.0, y, 80.0, PANGO_ALIGN_RIGHT, sb.buf);
	sb_release(&sb);
}

/* The running header of the second and later pages. */
static void
header(struct pen *p)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_addf(&sb, "%s · %s · Diarienummer %s · %s", opt(p->l->municipality), p->title,
	        p->l->case_number, opt(p->l->letter_date));
	small_line(p, MARGIN, MARGIN, TEXT_W, PANGO_ALIGN_LEFT, sb.buf);
	rule(p, MARGIN + 16.0);
	sb_release(&sb);
}

/* Ends the current page and starts the next. */
static void
new_page(struct pen *p)
{
	if (p->draw) {
		footer(p);
		cairo_show_page(p->cr);
	}
	p->page++;
	p->y = page_top(p);
	if (p->draw)
		header(p);
}

/*
 * Lays out text in a style at x with the given width, starting at p->y, one line at a time:
 * a line that would cross the bottom margin goes to the next page. Leaves p->y after the last
 * line plus after. The text is plain text, never markup.
 */
static void
put(struct pen *p, enum style st, double x, double width, const char *text, double after)
{
	PangoLayout *lay = p->layout;
	pango_layout_set_font_description(lay, p->fonts[st]);
	pango_layout_set_width(lay, (int)(width * PANGO_SCALE));
	pango_layout_set_text(lay, text, -1);
	if (p->draw)
		cairo_tag_begin(p->cr, styles[st].tag, NULL);
	PangoLayoutIter *it = pango_layout_get_iter(lay);
	do {
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		double h = (double)r.height / PANGO_SCALE;
		double above = (double)(pango_layout_iter_get_baseline(it) - r.y) / PANGO_SCALE;
		if (p->y + h > BODY_BOTTOM && p->y > page_top(p)) {
			/* The page's header and footer stay outside the paragraph's tag. */
			if (p->draw)
				cairo_tag_end(p->cr, styles[st].tag);
			new_page(p);
			if (p->draw)
				cairo_tag_begin(p->cr, styles[st].tag, NULL);
		}
		if (p->draw) {
			cairo_move_to(p->cr, x + (double)r.x / PANGO_SCALE, p->y + above);
			pango_cairo_show_layout_line(p->cr,
			                             pango_layout_iter_get_line_readonly(it));
		}
		p->y += h;
		if (!pango_layout_iter_at_last_line(it))
			p->y += h * LEADING;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	if (p->draw)
		cairo_tag_end(p->cr, styles[st].tag);
	p->y += after;
}

/* A body paragraph across the text width. */
static void
para(struct pen *p, const char *text)
{
	put(p, ST_BODY, MARGIN, TEXT_W, text, 6.0);
}

/* A section heading, moved to the next page unless a few lines of its text fit below it. */
static void
heading(struct pen *p, const char *text)
{
	if (p->y + 20.0 + 3 * 14.0 > BODY_BOTTOM)
		new_page(p);
	p->y += 6.0;
	put(p, ST_H2, MARGIN, TEXT_W, text, 3.0);
}

/* A heading and its paragraph. */
static void
section(struct pen *p, const char *title, const char *text)
{
	heading(p, title);
	para(p, text);
}

/* Page 1 above the heading: sender, letter type, date, case number, address. */
static void
letterhead(struct pen *p)
{
	const struct letter *l = p->l;
	struct strbuf sb;
	sb_init(&sb, 0);

	/* Left: who sends the letter. */
	double top = p->y;
	if (!empty(l->municipality))
		put(p, ST_SENDER, MARGIN, COL2_X - MARGIN - 12.0, l->municipality, 2.0);
	if (!empty(l->board))
		put(p, ST_BODY, MARGIN, COL2_X - MARGIN - 12.0, l->board, 0.0);
	if (!empty(l->unit))
		put(p, ST_BODY, MARGIN, COL2_X - MARGIN - 12.0, l->unit, 0.0);
	double left_end = p->y;

	/* Right: what it is and its references. */
	p->y = top;
	put(p, ST_H2, COL2_X, COL2_W, "BESLUT", 2.0);
	if (!empty(l->letter_date)) {
		sb_addf(&sb, "Datum: %s", l->letter_date);
		put(p, ST_BODY, COL2_X, COL2_W, sb.buf, 0.0);
	}
	sb_reset(&sb);
	sb_addf(&sb, "Diarienummer: %s", l->case_number);
	put(p, ST_BODY, COL2_X, COL2_W, sb.buf, 0.0);

	/* The address, where a window envelope shows it; no personnummer here. */
	p->y = MAX(p->y + 12.0, ADDRESS_Y);
	put(p, ST_BODY, COL2_X, COL2_W, l->person_name, 0.0);
	if (!empty(l->street))
		put(p, ST_BODY, COL2_X, COL2_W, l->street, 0.0);
	if (!empty(l->postal_code) || !empty(l->city)) {
		sb_reset(&sb);
		sb_adds(&sb, opt(l->postal_code));
		if (!empty(l->postal_code) && !empty(l->city))
			sb_adds(&sb, "  ");
		sb_adds(&sb, opt(l->city));
		put(p, ST_BODY, COL2_X, COL2_W, sb.buf, 0.0);
	}
	p->y = MAX(MAX(p->y, left_end) + 24.0, 206.0);

	/* Who the decision concerns, below the envelope window. */
	sb_reset(&sb);
	sb_addf(&sb, "Beslutet gäller: %s", l->person_name);
	if (!empty(l->pnr)) {
		sb_adds(&sb, ", personnummer ");
		add_pnr(&sb, l->pnr);
	}
	put(p, ST_BODY, MARGIN, TEXT_W, sb.buf, 14.0);
	sb_release(&sb);
}

/* The decision itself, by outcome: granted, partly granted or refused. */
static void
decision_text(const struct letter *l, struct strbuf *sb)
{
	/* What was applied for, by the catalogue's names: "hemtjänst och trygghetslarm". */
	if (l->napplied > 0) {
		sb_adds(sb, "Du har ansökt om ");
		for (int i = 0; i < l->napplied; i++) {
			if (i)
				sb_adds(sb, i == l->napplied - 1 ? " och " : ", ");
			add_lowered(sb, l->applied[i]);
		}
		sb_adds(sb, ". ");
	}
	if (strcmp(l->outcome, "refused") == 0) {
		sb_adds(sb, "Din ansökan om ");
		add_lowered(sb, l->service_name);
		if (!empty(l->law_ref)) {
			sb_adds(sb, " enligt ");
			add_law(sb, l->law_ref);
		}
		sb_adds(sb, " avslås.");
		return;
	}
	sb_adds(sb,
	        strcmp(l->outcome, "partly_granted") == 0 ? "Du beviljas delvis " : "Du beviljas ");
	add_lowered(sb, l->service_name);
	if (!empty(l->law_ref)) {
		sb_adds(sb, " enligt ");
		add_law(sb, l->law_ref);
	}
	sb_addc(sb, '.');
	if (strcmp(l->outcome, "partly_granted") == 0)
		sb_adds(sb, " Det du i övrigt har ansökt om avslås.");
}

/* Who decided, under which delegation (legal-duties.md section 6), and the signature lines. */
static void
decided_by(struct pen *p)
{
	const struct letter *l = p->l;
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_addf(&sb, "Beslutet har fattats av %s", l->decided_by);
	if (!empty(l->decided_title)) {
		sb_adds(&sb, ", ");
		add_lowered(&sb, l->decided_title);
		sb_addc(&sb, ',');
	}
	if (!empty(l->delegation_point))
		sb_addf(&sb, " med stöd av punkt %s i nämndens delegationsordning.",
		        l->delegation_point);
	else if (!empty(l->board))
		sb_addf(&sb, " av %s.", l->board);
	else
		sb_adds(&sb, " av nämnden.");
	p->y += 6.0;
	para(p, sb.buf);

	/* The signature block stays together. */
	if (p->y + 3 * 14.0 > BODY_BOTTOM)
		new_page(p);
	p->y += 4.0;
	put(p, ST_BODY, MARGIN, TEXT_W, l->decided_by, 0.0);
	if (!empty(l->decided_title))
		put(p, ST_BODY, MARGIN, TEXT_W, l->decided_title, 0.0);
	p->y += 6.0;
	sb_release(&sb);
}

/*
 * The besvärshänvisning (FL 33 §, 44–46 §§; legal-duties.md section 7): to which court, in
 * writing with what, sent to the board and not to the court, the three weeks from receipt,
 * the board's check and forwarding, and where to get help.
 */
static void
appeal(struct pen *p)
{
	const struct letter *l = p->l;
	struct strbuf sb, board;
	sb_init(&sb, 0);
	sb_init(&board, 0);
	if (!empty(l->board))
		add_lowered(&board, l->board);
	else
		sb_adds(&board, "nämnden");

	heading(p, "Hur man överklagar");
	sb_addf(&sb, "Om du inte är nöjd med beslutet kan du överklaga det till %s.", l->court);
	para(p, sb.buf);

	sb_reset(&sb);
	sb_addf(&sb,
	        "Överklagandet ska vara skriftligt. Skriv vilket beslut du överklagar (ange gärna "
	        "diarienummer %s), vilken ändring du vill ha och varför du anser att beslutet ska "
	        "ändras. Skriv under överklagandet och ange ditt namn, personnummer, adress och "
	        "telefonnummer.",
	        l->case_number);
	para(p, sb.buf);

	sb_reset(&sb);
	sb_addf(&sb, "Skicka överklagandet till %s", board.buf);
	if (!empty(l->municipality))
		sb_addf(&sb, " i %s", l->municipality);
	sb_addf(&sb, ", inte till %s.", l->court);
	if (!empty(l->contact)) {
		sb_adds(&sb, " Adress: ");
		add_sentence(&sb, l->contact);
	}
	para(p, sb.buf);

	sb_reset(&sb);
	sb_addf(&sb,
	        "Överklagandet måste ha kommit in till %s inom tre veckor från den dag då du fick "
	        "del av beslutet. Annars kan överklagandet inte prövas.",
	        board.buf);
	para(p, sb.buf);

	sb_reset(&sb);
	sb_addf(&sb,
	        "När överklagandet har kommit in kontrollerar %s att det har kommit in i rätt tid. "
	        "Om %s inte själv ändrar beslutet på det sätt du begär, skickas överklagandet "
	        "vidare till %s.",
	        board.buf, board.buf, l->court);
	para(p, sb.buf);

	sb_reset(&sb);
	sb_adds(&sb, "Om du behöver hjälp med att överklaga kan du kontakta ");
	if (!empty(l->unit))
		add_lowered(&sb, l->unit);
	else
		sb_adds(&sb, board.buf);
	if (!empty(l->contact)) {
		sb_adds(&sb, ": ");
		add_sentence(&sb, l->contact);
	} else {
		sb_addc(&sb, '.');
	}
	para(p, sb.buf);
	sb_release(&board);
	sb_release(&sb);
}

/* One pass over the whole letter; p->page counts the pages. */
static void
compose(struct pen *p)
{
	const struct letter *l = p->l;
	bool refused = strcmp(l->outcome, "refused") == 0;
	struct strbuf sb;
	sb_init(&sb, 0);

	p->page = 1;
	p->y = MARGIN;
	letterhead(p);
	put(p, ST_H1, MARGIN, TEXT_W, p->title, 8.0);

	decision_text(l, &sb);
	section(p, "Beslut", sb.buf);

	if (!refused) {
		if (!empty(l->scope))
			section(p, "Omfattning", l->scope);
		sb_reset(&sb);
		sb_addf(&sb, "Från och med %s ", l->start_date);
		if (empty(l->end_date))
			sb_adds(&sb, "tills vidare.");
		else
			sb_addf(&sb, "till och med %s.", l->end_date);
		section(p, "Period", sb.buf);
		if (!empty(l->goals))
			section(p, "Mål", l->goals);
	}
	if (!empty(l->law_ref)) {
		sb_reset(&sb);
		add_law(&sb, l->law_ref);
		section(p, "Lagrum", sb.buf);
	}
	section(p, "Skäl för beslutet", l->reasoning);
	if (!refused && !empty(l->followup_date)) {
		sb_reset(&sb);
		sb_addf(&sb, "Beslutet följs upp senast %s.", l->followup_date);
		section(p, "Uppföljning", sb.buf);
	}
	decided_by(p);

	if (letter_needs_appeal(l->outcome)) {
		/* The appeal instructions stay on one page when they fit on one. */
		struct pen trial = *p;
		trial.draw = false;
		appeal(&trial);
		if (trial.page != p->page)
			new_page(p);
		appeal(p);
	} else {
		sb_reset(&sb);
		sb_adds(&sb, "Om du har frågor om beslutet, kontakta ");
		if (!empty(l->unit))
			add_lowered(&sb, l->unit);
		else if (!empty(l->board))
			add_lowered(&sb, l->board);
		else
			sb_adds(&sb, "oss");
		if (!empty(l->contact)) {
			sb_adds(&sb, ": ");
			add_sentence(&sb, l->contact);
		} else {
			sb_addc(&sb, '.');
		}
		p->y += 6.0;
		para(p, sb.buf);
	}
	if (p->draw)
		footer(p);
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

/* A layout on cr that measures in PDF points (72 dpi) with unhinted metrics. */
static PangoLayout *
new_layout(cairo_t *cr)
{
	PangoLayout *lay = pango_cairo_create_layout(cr);
	PangoContext *ctx = pango_layout_get_context(lay);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_context_set_resolution(ctx, 72.0);
	pango_layout_context_changed(lay);
	pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
	return lay;
}

int
letter_pdf(const struct letter *l, struct strbuf *out)
{
	assert(l && out);
	int rc = check(l);
	if (rc)
		return rc;

	struct strbuf pdf, title, heading_text;
	sb_init(&pdf, out->limit);
	sb_init(&title, 0);
	sb_init(&heading_text, 0);
	sb_addf(&title, "Beslut %s", l->case_number);
	sb_adds(&heading_text, "Beslut om ");
	add_lowered(&heading_text, l->service_name);

	cairo_surface_t *surface =
	    cairo_pdf_surface_create_for_stream(write_out, &pdf, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.buf);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Hanna");
	if (!empty(l->municipality))
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, l->municipality);
	cairo_t *cr = cairo_create(surface);

	struct pen p = {.cr = cr, .l = l, .title = heading_text.buf};
	p.layout = new_layout(cr);
	p.aux = new_layout(cr);
	for (int i = 0; i < ST_COUNT; i++) {
		p.fonts[i] = pango_font_description_new();
		pango_font_description_set_family(p.fonts[i], FONT_FAMILY);
		pango_font_description_set_size(p.fonts[i], (int)(styles[i].size * PANGO_SCALE));
		pango_font_description_set_weight(p.fonts[i], styles[i].bold ? PANGO_WEIGHT_BOLD
		                                                             : PANGO_WEIGHT_NORMAL);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);

	/* First count the pages, then draw them. */
	p.draw = false;
	compose(&p);
	p.pages = p.page;
	p.draw = true;
	compose(&p);
	assert(p.page == p.pages);

	for (int i = 0; i < ST_COUNT; i++)
		pango_font_description_free(p.fonts[i]);
	g_object_unref(p.aux);
	g_object_unref(p.layout);
	bool cairo_ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	cairo_ok = cairo_ok && cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(surface);

	if (pdf.err)
		rc = pdf.err;
	else if (!cairo_ok)
		rc = HERR_INTERNAL;
	else
		sb_add(out, pdf.buf, pdf.len);
	sb_release(&heading_text);
	sb_release(&title);
	sb_release(&pdf);
	return rc;
}
