/*
 * The month sheet of personal assistance as CSV for Swedish Excel: UTF-8 with a byte order
 * mark, ';' between fields, CRLF line ends, decimal comma. A heading section (person,
 * provider, month), one row per shift of the sheet, the adjustments booked in the month and a
 * totals section with the same figures as the JSON (pa_doc_json). Fields are escaped by
 * cases_csv_field (quoting, and no text a spreadsheet would read as a formula).
 */
#include <stdio.h>
#include <string.h>

#include "assistance.h"
#include "assistance_api.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "cases/report.h"
#include "http/http.h"

/* Appends one CSV line of n fields. */
static void
line(struct strbuf *sb, const char *const *f, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			sb_addc(sb, ';');
		cases_csv_field(sb, f[i]);
	}
	sb_adds(sb, "\r\n");
}

/* Minutes as hours with a decimal comma and two decimals ("7,50"); a sign when negative. */
static void
hours_text(char *out, size_t n, int64_t minutes)
{
	int64_t a = minutes < 0 ? -minutes : minutes;
	int64_t hundredths = (a * 100 + 30) / 60;
	snprintf(out, n, "%s%lld,%02lld", minutes < 0 ? "-" : "", (long long)(hundredths / 100),
	         (long long)(hundredths % 100));
}

static const struct pa_assistant *
assistant_of(const struct pa_doc *d, int64_t id)
{
	for (int i = 0; i < d->nasst; i++)
		if (d->asst[i].id == id)
			return &d->asst[i];
	return NULL;
}

/* One shift row; what names the row's part (Pass, Ersatt pass, Justering). */
static void
shift_row(struct strbuf *sb, const struct pa_doc *d, const struct pa_hour *h, const char *what)
{
	char d1[11], c1[6], d2[11], c2[6], id[24], min[24], hrs[24], corr[24];
	pa_local(h->start_at, d1, c1);
	pa_local(h->end_at, d2, c2);
	int64_t m = pa_hour_minutes(h);
	snprintf(id, sizeof id, "%lld", (long long)h->id);
	snprintf(min, sizeof min, "%lld", (long long)m);
	hours_text(hrs, sizeof hrs, m);
	corr[0] = '\0';
	if (h->corrects_id)
		snprintf(corr, sizeof corr, "%lld", (long long)h->corrects_id);
	const struct pa_assistant *a = assistant_of(d, h->assistant_id);
	const char *f[] = {what,
	                   id,
	                   d1,
	                   c1,
	                   d2,
	                   c2,
	                   a ? a->ref : "",
	                   a ? a->name : "",
	                   pa_kind_label(h->kind),
	                   min,
	                   hrs,
	                   h->month,
	                   h->booked_month,
	                   corr,
	                   h->reason};
	line(sb, f, (int)(sizeof f / sizeof f[0]));
}

static void
total_row(struct strbuf *sb, const char *label, int64_t minutes)
{
	char min[24], hrs[24];
	snprintf(min, sizeof min, "%lld", (long long)minutes);
	hours_text(hrs, sizeof hrs, minutes);
	/* The figures are written as they are: a negative adjustment is a number, not a text
	 * the formula guard would prefix. */
	cases_csv_field(sb, label);
	sb_addf(sb, ";%s;%s\r\n", min, hrs);
}

void
pa_doc_csv(struct strbuf *sb, const struct pa_doc *d)
{
	sb_adds(sb, "\xEF\xBB\xBF");
	const char *title[] = {"Tidsredovisning personlig assistans", d->month_text};
	line(sb, title, 2);
	const char *person[] = {"Assistansberättigad", d->person_name, d->person_pnr};
	line(sb, person, 3);
	const char *prov[] = {"Anordnare", d->provider_name, d->provider_org_nr};
	line(sb, prov, 3);
	sb_adds(sb, "\r\n");
	static const char *const head[] = {"Rad",           "Id",        "Datum",    "Start",
	                                   "Slutdatum",     "Slut",      "Referens", "Assistent",
	                                   "Slag",          "Minuter",   "Timmar",   "Månad",
	                                   "Bokförd månad", "Rättar id", "Orsak"};
	line(sb, head, (int)(sizeof head / sizeof head[0]));
	for (int i = 0; i < d->nrows; i++)
		shift_row(sb, d, &d->rows[i], "Pass");
	for (int i = 0; i < d->nadj; i++) {
		if (d->adj_orig[i].id)
			shift_row(sb, d, &d->adj_orig[i], "Ersatt pass");
		shift_row(sb, d, &d->adj[i], "Justering");
	}
	sb_adds(sb, "\r\n");
	const char *sum[] = {"Summering", "Minuter", "Timmar"};
	line(sb, sum, 3);
	total_row(sb, "Aktiv assistans", d->sheet.active);
	total_row(sb, "Beredskap", d->sheet.oncall);
	total_row(sb, "Dubbel assistans", d->sheet.dbl);
	total_row(sb, "Ej ersättningsbar tid", d->sheet.unpaid);
	total_row(sb, "Ersättningsbar tid", d->sheet.payable);
	total_row(sb, "Beviljad tid", d->granted_minutes);
	total_row(sb, "Inom beviljad tid", d->sheet.within_grant);
	total_row(sb, "Över beviljad tid", d->sheet.over_grant);
	total_row(sb, "Justering aktiv assistans", d->adj_active);
	total_row(sb, "Justering beredskap", d->adj_oncall);
	const char *sha[] = {"SHA-256", d->sha};
	line(sb, sha, 2);
}

int
visits_pa_api_sheet_csv(struct req *r)
{
	struct pa_doc d;
	int rc = pa_sheet_or_fail(r, &d);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	pa_doc_csv(&sb, &d);
	rc = sb.err ? REQ_FAIL(r, sb.err) : pa_audit_read(r, "pa_sheet", d.order_id, d.person_id);
	char name[64];
	snprintf(name, sizeof name, "attachment; filename=\"tidsredovisning-%s.csv\"",
	         d.month_text);
	pa_doc_release(&d);
	if (rc) {
		sb_release(&sb);
		return rc;
	}
	req_json(r, 200, &sb);
	r->resp_type = "text/csv; charset=utf-8";
	req_header(r, "Content-Disposition", name);
	return 0;
}
