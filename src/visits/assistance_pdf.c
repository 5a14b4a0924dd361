/*
 * The month sheet (tidsredovisning) as PDF, drawn with Cairo and Pango (A4 portrait): who
 * and which month, one line per shift with date, assistant, clock times and kind (what
 * Försäkringskassan reads), the totals, the adjustments, the signatures and the digest they
 * name. Route GET /api/v1/assistance/persons/{id}/sheet.pdf.
 */
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "assistance.h"
#include "assistance_api.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "http/http.h"

#define PW 595.28
#define PH 841.89
#define M 40.0
#define LINE 12.5

struct pen {
	cairo_t *cr;
	PangoLayout *lay;
	PangoFontDescription *font, *bold;
	double y;
};

/* Writes text at x on the current line in the font; a new page when the line does not fit. */
static void
put(struct pen *p, double x, const char *text, bool bold)
{
	pango_layout_set_font_description(p->lay, bold ? p->bold : p->font);
	pango_layout_set_text(p->lay, text, -1);
	cairo_move_to(p->cr, x, p->y);
	pango_cairo_show_layout(p->cr, p->lay);
}

static void
next(struct pen *p, double lines)
{
	p->y += LINE * lines;
	if (p->y > PH - M) {
		cairo_show_page(p->cr);
		p->y = M;
	}
}

static void
fmt_minutes(char *out, size_t n, int64_t m)
{
	snprintf(out, n, "%s%lld:%02lld", m < 0 ? "-" : "", (long long)((m < 0 ? -m : m) / 60),
	         (long long)((m < 0 ? -m : m) % 60));
}

static void
shift_line(struct pen *p, const struct pa_doc *d, const struct pa_hour *h)
{
	char d1[11], c1[6], d2[11], c2[6], t[24];
	pa_local(h->start_at, d1, c1);
	pa_local(h->end_at, d2, c2);
	const char *name = "";
	for (int i = 0; i < d->nasst; i++)
		if (d->asst[i].id == h->assistant_id)
			name = d->asst[i].name;
	put(p, M, d1, false);
	put(p, M + 70, name, false);
	put(p, M + 230, c1, false);
	char end[24];
	snprintf(end, sizeof end, "%s%s%s", c2, strcmp(d1, d2) ? " +1" : "", "");
	put(p, M + 280, end, false);
	put(p, M + 340, pa_kind_label(h->kind), false);
	fmt_minutes(t, sizeof t, pa_hour_minutes(h));
	put(p, M + 450, t, false);
	next(p, 1);
}

static void
total_line(struct pen *p, const char *label, int64_t minutes)
{
	char t[24];
	fmt_minutes(t, sizeof t, minutes);
	put(p, M, label, false);
	put(p, M + 230, t, false);
	next(p, 1);
}

static void
compose(struct pen *p, const struct pa_doc *d)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	p->y = M;
	sb_addf(&sb, "Tidsredovisning personlig assistans %s", d->month_text);
	put(p, M, sb.buf, true);
	next(p, 2);
	sb_reset(&sb);
	sb_addf(&sb, "Assistansberättigad: %s, %.8s-%s", d->person_name, d->person_pnr,
	        d->person_pnr[0] ? d->person_pnr + 8 : "");
	put(p, M, sb.buf, false);
	next(p, 1);
	sb_reset(&sb);
	sb_addf(&sb, "Anordnare: %s %s", d->provider_name, d->provider_org_nr);
	put(p, M, sb.buf, false);
	next(p, 2);
	static const char *const heads[] = {"Datum", "Assistent", "Start", "Slut", "Slag", "Tid"};
	static const double xs[] = {0, 70, 230, 280, 340, 450};
	for (int i = 0; i < 6; i++)
		put(p, M + xs[i], heads[i], true);
	next(p, 1);
	for (int i = 0; i < d->nrows; i++)
		shift_line(p, d, &d->rows[i]);
	next(p, 1);
	put(p, M, "Summering", true);
	next(p, 1);
	total_line(p, "Aktiv assistans", d->sheet.active);
	total_line(p, "Beredskap", d->sheet.oncall);
	total_line(p, "Dubbel assistans", d->sheet.dbl);
	total_line(p, "Ej ersättningsbar tid", d->sheet.unpaid);
	total_line(p, "Ersättningsbar tid", d->sheet.payable);
	total_line(p, "Beviljad tid", d->granted_minutes);
	if (d->nadj) {
		next(p, 1);
		put(p, M, "Rättelser av tidigare månader", true);
		next(p, 1);
		for (int i = 0; i < d->nadj; i++)
			shift_line(p, d, &d->adj[i]);
		total_line(p, "Justering aktiv assistans", d->adj_active);
		total_line(p, "Justering beredskap", d->adj_oncall);
	}
	next(p, 1);
	put(p, M, "Signaturer (på heder och samvete)", true);
	next(p, 1);
	for (int i = 0; i < d->nsigs; i++) {
		sb_reset(&sb);
		/* Stockholm time for the reader (review 2026-11, finding 20); the JSON keeps UTC.
		 */
		char at[17];
		visits_local_stamp(d->sigs[i].signed_at, at);
		sb_addf(&sb, "%s, %s, %s (%s)", d->sigs[i].signer_name,
		        pa_role_label(d->sigs[i].role), at,
		        strcmp(d->sigs[i].method, "session") == 0 ? "inloggad i Hanna"
		                                                  : d->sigs[i].method);
		put(p, M, sb.buf, false);
		next(p, 1);
	}
	if (d->nsigs == 0) {
		put(p, M, "Inga signaturer ännu.", false);
		next(p, 1);
	}
	next(p, 1);
	sb_reset(&sb);
	sb_addf(&sb, "SHA-256: %s", d->sha);
	put(p, M, sb.buf, false);
	sb_release(&sb);
}

static cairo_status_t
write_out(void *closure, const unsigned char *data, unsigned int length)
{
	struct strbuf *sb = closure;
	sb_add(sb, data, length);
	return sb->err ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* Renders d as PDF into out. 0, or HERR_INTERNAL when Cairo fails. */
static int
sheet_pdf(const struct pa_doc *d, struct strbuf *out)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_out, out, PW, PH);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Tidsredovisning");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Hanna");
	struct pen p = {.cr = cairo_create(s)};
	p.lay = pango_cairo_create_layout(p.cr);
	p.font = pango_font_description_from_string("DejaVu Sans 8");
	p.bold = pango_font_description_from_string("DejaVu Sans Bold 8");
	cairo_set_source_rgb(p.cr, 0, 0, 0);
	compose(&p, d);
	pango_font_description_free(p.font);
	pango_font_description_free(p.bold);
	g_object_unref(p.lay);
	bool ok = cairo_status(p.cr) == CAIRO_STATUS_SUCCESS;
	cairo_destroy(p.cr);
	cairo_surface_finish(s);
	ok = ok && cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(s);
	if (out->err)
		return out->err;
	return ok ? 0 : HERR_INTERNAL;
}

int
visits_pa_api_sheet_pdf(struct req *r)
{
	struct pa_doc d;
	int rc = pa_sheet_or_fail(r, &d);
	if (rc)
		return rc;
	struct strbuf pdf;
	sb_init(&pdf, 0);
	rc = sheet_pdf(&d, &pdf);
	if (rc == 0)
		rc = pa_audit_read(r, "pa_sheet", d.order_id, d.person_id);
	else
		rc = REQ_FAIL(r, rc);
	pa_doc_release(&d);
	if (rc) {
		sb_release(&pdf);
		return rc;
	}
	req_json(r, 200, &pdf);
	r->resp_type = "application/pdf";
	req_header(r, "Content-Disposition", "attachment; filename=\"tidsredovisning.pdf\"");
	return 0;
}
