/*
 * Pages of the person register (shared/API.md, People; ARCHITECTURE.md, HTTP and pages):
 * search, the person page with relatives and legal representatives, and the form that
 * registers a person. Authorisation and audit are the JSON routes' own (people_read_audited,
 * people_search_audited in api.c): every person shown is checked with auth_person_access and
 * every person listed or read gets its audit record before the page is answered. Protected identity
 * (skyddad identitet) never shows an address here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "base/pnr.h"
#include "db/db.h"
#include "http/http.h"
#include "people.h"
#include "people_api.h"
#include "web/html.h"

#define SEARCH_LIMIT 20

/* Appends the address of p on one line, or the protected-identity marker. */
static void
address_html(struct strbuf *sb, const struct person *p)
{
	if (p->protected_identity) {
		HTML_RAW(sb, "<span class=\"protected\">Skyddad identitet</span>");
		return;
	}
	if (!p->street[0] && !p->postal_code[0] && !p->city[0]) {
		HTML_RAW(sb, "<span class=\"muted\">Saknas</span>");
		return;
	}
	html_text(sb, p->street);
	if (p->street[0] && (p->postal_code[0] || p->city[0]))
		HTML_RAW(sb, ", ");
	html_text(sb, p->postal_code);
	if (p->postal_code[0] && p->city[0])
		HTML_RAW(sb, " ");
	html_text(sb, p->city);
}

/* ---- search ----------------------------------------------------------------------------- */

static const struct form_field search_fields[] = {
    {"q", "Namn eller personnummer", FORM_SEARCH, true, 100, "off",
     "Skriv minst två tecken, till exempel Andersson eller 19121212-1212."},
};
#define NSEARCH (sizeof search_fields / sizeof search_fields[0])

struct search_page {
	struct strbuf *rows; /* table rows */
	int n;               /* rows written */
};

static void
search_row(const struct person *p, void *arg)
{
	struct search_page *sp = arg;
	if (sp->n >= SEARCH_LIMIT)
		return;
	struct strbuf *sb = sp->rows;
	HTML_RAW(sb, "<tr>\n<th scope=\"row\"><a href=\"/personer/");
	html_int(sb, p->id);
	HTML_RAW(sb, "\">");
	html_text(sb, p->family_name);
	HTML_RAW(sb, ", ");
	html_text(sb, p->given_name);
	HTML_RAW(sb, "</a></th>\n<td class=\"nowrap\">");
	html_pnr(sb, p->pnr);
	HTML_RAW(sb, "</td>\n<td>");
	address_html(sb, p);
	HTML_RAW(sb, "</td>\n</tr>\n");
	sp->n++;
}

/* A link to another page of the same search. */
static void
page_link(struct strbuf *sb, const char *q, int64_t offset, const char *text, const char *rel)
{
	HTML_RAW(sb, "<a rel=\"");
	html_attr(sb, rel);
	HTML_RAW(sb, "\" href=\"/personer?q=");
	html_url_component(sb, q);
	if (offset > 0) {
		HTML_RAW(sb, "&amp;cursor=");
		html_int(sb, offset);
	}
	HTML_RAW(sb, "\">");
	html_text(sb, text);
	HTML_RAW(sb, "</a>");
}

int
people_page_search(struct req *r)
{
	const char *v[NSEARCH];
	int status = 200;
	int64_t offset = 0;
	bool searched = false, more = false;
	struct strbuf rows;
	sb_init(&rows, 0);
	struct search_page sp = {.rows = &rows};
	/* Without q the page is only the form; with it, q is checked and searched for. */
	int rc = 0;
	if (req_query(r, "q"))
		rc = form_read_query(r, search_fields, NSEARCH, v);
	else
		v[0] = "";
	const char *q = v[0];
	const char *cur = req_query(r, "cursor");
	if (rc == 0 && cur && *cur) {
		char *end;
		offset = strtoll(cur, &end, 10);
		if (*end || offset < 0 || offset > 100000) {
			sb_release(&rows);
			return REQ_FAIL(r, HERR_INVALID);
		}
	}
	if (rc == 0 && *q && (strlen(q) < 2 || strlen(q) > 100)) {
		field_error_add(&r->fe, "q", "ange minst två tecken av namn eller personnummer");
		rc = REQ_FAIL(r, HERR_INVALID);
	}
	if (rc == 0 && *q) {
		rc = people_search_audited(r, q, (int)offset, SEARCH_LIMIT, search_row, &sp, &more);
		if (rc) {
			sb_release(&rows);
			return REQ_FAIL(r, rc);
		}
		searched = true;
	} else if (rc) {
		status = 400;
	}

	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Sök person", "/personer");
	HTML_RAW(&sb, "<h1>Sök person</h1>\n");
	form_error_summary(&sb, r, search_fields, NSEARCH);
	HTML_RAW(&sb, "<form method=\"get\" action=\"/personer\" role=\"search\" "
	              "class=\"search-form\" novalidate>\n");
	form_fields_html(&sb, r, search_fields, NSEARCH, v);
	HTML_RAW(&sb, "<button type=\"submit\">Sök</button>\n</form>\n");
	if (searched && sp.n == 0 && offset == 0) {
		HTML_RAW(&sb, "<p class=\"result-count\" role=\"status\">Inga personer hittades "
		              "för ”");
		html_text(&sb, q);
		HTML_RAW(&sb, "”.</p>\n");
	} else if (searched) {
		HTML_RAW(&sb, "<p class=\"result-count\" role=\"status\">Visar träff ");
		html_int(&sb, offset + (sp.n ? 1 : 0));
		HTML_RAW(&sb, "–");
		html_int(&sb, offset + sp.n);
		if (more)
			HTML_RAW(&sb, " (det finns fler)");
		HTML_RAW(&sb, ".</p>\n<div class=\"table-wrap\">\n<table>\n<caption>Personer som "
		              "matchar ”");
		html_text(&sb, q);
		HTML_RAW(&sb, "”</caption>\n<thead>\n<tr><th scope=\"col\">Namn</th>"
		              "<th scope=\"col\">Personnummer</th><th scope=\"col\">Adress</th>"
		              "</tr>\n</thead>\n<tbody>\n");
		sb_add(&sb, rows.buf, rows.len);
		HTML_RAW(&sb, "</tbody>\n</table>\n</div>\n");
		if (offset > 0 || more) {
			HTML_RAW(&sb, "<nav class=\"pager\" aria-label=\"Fler sökträffar\">\n");
			if (offset > 0) {
				int64_t prev = offset > SEARCH_LIMIT ? offset - SEARCH_LIMIT : 0;
				page_link(&sb, q, prev, "Föregående träffar", "prev");
				HTML_RAW(&sb, "\n");
			}
			if (more)
				page_link(&sb, q, offset + SEARCH_LIMIT, "Fler träffar", "next");
			HTML_RAW(&sb, "\n</nav>\n");
		}
	}
	if (rows.err) {
		sb_release(&rows);
		sb_release(&sb);
		return REQ_FAIL(r, HERR_INTERNAL);
	}
	sb_release(&rows);
	return web_respond(r, status, &sb);
}

/* ---- the person page -------------------------------------------------------------------- */

struct person_page {
	struct strbuf rels; /* relative rows */
	int nrels;          /* how many */
	struct strbuf reps; /* representative rows */
	int nreps;          /* how many */
};

static void
rel_row(const struct relative *rel, void *arg)
{
	struct person_page *pp = arg;
	struct strbuf *sb = &pp->rels;
	HTML_RAW(sb, "<tr><th scope=\"row\">");
	html_text(sb, rel->name);
	HTML_RAW(sb, "</th><td>");
	html_text(sb, rel->relation);
	HTML_RAW(sb, "</td><td>");
	html_text(sb, rel->phone);
	HTML_RAW(sb, "</td></tr>\n");
	pp->nrels++;
}

static const char *
rep_kind_title(const char *kind)
{
	if (strcmp(kind, "god_man") == 0)
		return "God man";
	if (strcmp(kind, "forvaltare") == 0)
		return "Förvaltare";
	if (strcmp(kind, "fullmakt") == 0)
		return "Fullmakt";
	return kind;
}

static void
rep_row(const struct representative *rep, void *arg)
{
	struct person_page *pp = arg;
	struct strbuf *sb = &pp->reps;
	HTML_RAW(sb, "<tr><td>");
	html_text(sb, rep_kind_title(rep->kind));
	HTML_RAW(sb, "</td><th scope=\"row\">");
	html_text(sb, rep->rep_name);
	HTML_RAW(sb, "</th><td>");
	html_text(sb, rep->scope);
	HTML_RAW(sb, "</td><td class=\"nowrap\">");
	html_text(sb, rep->valid_from);
	HTML_RAW(sb, "</td><td class=\"nowrap\">");
	if (rep->valid_to[0])
		html_text(sb, rep->valid_to);
	else
		HTML_RAW(sb, "Tills vidare");
	HTML_RAW(sb, "</td></tr>\n");
	pp->nreps++;
}

static void
person_html(struct strbuf *sb, const struct person *p, const struct person_page *pp)
{
	HTML_RAW(sb, "<h1>");
	html_text(sb, p->given_name);
	HTML_RAW(sb, " ");
	html_text(sb, p->family_name);
	HTML_RAW(sb, "</h1>\n");
	if (p->protected_identity)
		HTML_RAW(sb, "<div class=\"notice\">\n<h2>Skyddad identitet</h2>\n"
		             "<p>Personen har skyddade personuppgifter. Adressen visas inte. Lämna "
		             "inte ut några uppgifter om personen.</p>\n</div>\n");
	HTML_RAW(sb, "<h2>Personuppgifter</h2>\n<dl class=\"facts\">\n<dt>");
	if (strcmp(p->pnr_kind, "samordningsnummer") == 0)
		HTML_RAW(sb, "Samordningsnummer");
	else
		HTML_RAW(sb, "Personnummer");
	HTML_RAW(sb, "</dt>\n<dd>");
	html_pnr(sb, p->pnr);
	HTML_RAW(sb, "</dd>\n<dt>Adress</dt>\n<dd>");
	address_html(sb, p);
	HTML_RAW(sb, "</dd>\n<dt>Telefon</dt>\n<dd>");
	if (p->protected_identity)
		HTML_RAW(sb, "<span class=\"protected\">Skyddad identitet</span>");
	else if (p->phone[0])
		html_text(sb, p->phone);
	else
		HTML_RAW(sb, "<span class=\"muted\">Saknas</span>");
	HTML_RAW(sb, "</dd>\n</dl>\n");

	HTML_RAW(sb, "<h2 id=\"anhoriga\">Anhöriga</h2>\n");
	if (pp->nrels == 0) {
		HTML_RAW(sb, "<p>Inga anhöriga är registrerade.</p>\n");
	} else {
		HTML_RAW(sb, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		             "aria-labelledby=\"anhoriga\">\n<table aria-labelledby=\"anhoriga\">\n"
		             "<thead>\n<tr><th scope=\"col\">Namn</th><th scope=\"col\">Relation"
		             "</th><th scope=\"col\">Telefon</th></tr>\n</thead>\n<tbody>\n");
		sb_add(sb, pp->rels.buf, pp->rels.len);
		HTML_RAW(sb, "</tbody>\n</table>\n</div>\n");
	}
	HTML_RAW(sb, "<h2 id=\"foretradare\">Ställföreträdare</h2>\n");
	if (pp->nreps == 0) {
		HTML_RAW(sb, "<p>Ingen god man, förvaltare eller fullmakt är registrerad.</p>\n");
	} else {
		HTML_RAW(
		    sb,
		    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		    "aria-labelledby=\"foretradare\">\n<table aria-labelledby=\"foretradare\">\n"
		    "<thead>\n<tr><th scope=\"col\">Typ</th><th scope=\"col\">Namn</th>"
		    "<th scope=\"col\">Omfattning</th><th scope=\"col\">Från</th>"
		    "<th scope=\"col\">Till</th></tr>\n</thead>\n<tbody>\n");
		sb_add(sb, pp->reps.buf, pp->reps.len);
		HTML_RAW(sb, "</tbody>\n</table>\n</div>\n");
	}
}

int
people_page_person(struct req *r)
{
	int64_t id = r->params[0];
	struct person p;
	struct person_page pp = {.nrels = 0, .nreps = 0};
	sb_init(&pp.rels, 0);
	sb_init(&pp.reps, 0);
	/* The same read as people_api_get: access, row, relatives, representatives, audit. */
	int rc = people_read_audited(r, id, false, &p, rel_row, rep_row, &pp);
	if (rc == 0 && (pp.rels.err || pp.reps.err))
		rc = HERR_INTERNAL;
	if (rc) {
		sb_release(&pp.rels);
		sb_release(&pp.reps);
		return REQ_FAIL(r, rc);
	}
	struct strbuf title, sb;
	sb_init(&title, 512);
	sb_adds(&title, p.given_name);
	sb_addc(&title, ' ');
	sb_adds(&title, p.family_name);
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, title.buf, NULL);
	person_html(&sb, &p, &pp);
	sb_release(&title);
	sb_release(&pp.rels);
	sb_release(&pp.reps);
	return web_respond(r, 200, &sb);
}

/* ---- registering a person --------------------------------------------------------------- */

/* The form's names are the JSON paths of the API, so people_check_fields' errors land on the
 * right field. */
static const struct form_field person_fields[] = {
    {"personnummer", "Personnummer", FORM_TEXT, true, 20, "off",
     "ÅÅÅÅMMDD-NNNN. Samordningsnummer går också bra."},
    {"given_name", "Förnamn", FORM_TEXT, true, 100, "off", NULL},
    {"family_name", "Efternamn", FORM_TEXT, true, 100, "off", NULL},
    {"address.street", "Gatuadress", FORM_TEXT, false, 200, "off", NULL},
    {"address.postal_code", "Postnummer", FORM_TEXT, false, 10, "off",
     "Fem siffror, till exempel 123 45."},
    {"address.city", "Postort", FORM_TEXT, false, 100, "off", NULL},
    {"phone", "Telefon", FORM_TEL, false, 40, "off", NULL},
    {"protected_identity", "Skyddad identitet", FORM_CHECKBOX, false, 0, NULL,
     "Kryssa i om personen har skyddade personuppgifter. Adressen visas då inte."},
};
#define NPERSON (sizeof person_fields / sizeof person_fields[0])
enum { F_PNR, F_GIVEN, F_FAMILY, F_STREET, F_POSTAL, F_CITY, F_PHONE, F_PROTECTED };

/* Renders the registration form with values (NULL: empty) and the field errors of r. */
static int
person_form(struct req *r, int status, const char *const *values)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Registrera person", "/personer/ny");
	HTML_RAW(&sb, "<h1>Registrera person</h1>\n");
	form_error_summary(&sb, r, person_fields, NPERSON);
	HTML_RAW(&sb, "<form method=\"post\" action=\"/personer\" novalidate>\n");
	form_csrf(&sb, r);
	form_fields_html(&sb, r, person_fields, NPERSON, values);
	HTML_RAW(&sb, "<button type=\"submit\">Registrera</button>\n</form>\n");
	return web_respond(r, status, &sb);
}

int
people_page_new(struct req *r)
{
	return person_form(r, 200, NULL);
}

int
people_page_create(struct req *r)
{
	const char *v[NPERSON];
	form_read(r, person_fields, NPERSON, v);
	struct person p;
	memset(&p, 0, sizeof p);
	p.tenant_id = r->who.tenant_id;
	if (!form_error_for(r, "personnummer")) {
		struct pnr n;
		enum pnr_fault f = pnr_parse_now(v[F_PNR], &n);
		if (f != PNR_OK) {
			field_error_add(&r->fe, "personnummer", pnr_fault_message(f));
		} else {
			str_copy(p.pnr, sizeof p.pnr, n.digits);
			str_copy(p.pnr_kind, sizeof p.pnr_kind,
			         n.kind == PNR_SAMORDNINGSNUMMER ? "samordningsnummer"
			                                         : "personnummer");
		}
	}
	str_copy(p.given_name, sizeof p.given_name, v[F_GIVEN]);
	str_copy(p.family_name, sizeof p.family_name, v[F_FAMILY]);
	str_copy(p.street, sizeof p.street, v[F_STREET]);
	str_copy(p.postal_code, sizeof p.postal_code, v[F_POSTAL]);
	str_copy(p.city, sizeof p.city, v[F_CITY]);
	str_copy(p.phone, sizeof p.phone, v[F_PHONE]);
	p.protected_identity = strcmp(v[F_PROTECTED], "1") == 0;
	/* The rules of the API; an error is kept only for a field that has none yet. */
	struct field_errors more = {.n = 0};
	people_check_fields(&p, &more);
	for (int i = 0; i < more.n; i++)
		if (!form_error_for(r, more.items[i].field))
			field_error_add(&r->fe, more.items[i].field, more.items[i].message);
	if (r->fe.n) {
		REQ_FAIL(r, HERR_INVALID);
		return person_form(r, 400, v);
	}
	struct audit_entry e;
	req_audit_who(r, &e);
	int rc = people_create(r->db, &p, &e);
	if (rc == HERR_CONFLICT) {
		field_error_add(&r->fe, "personnummer",
		                "En person med detta personnummer finns redan");
		REQ_FAIL(r, rc);
		return person_form(r, 409, v);
	}
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	char loc[48];
	snprintf(loc, sizeof loc, "/personer/%lld", (long long)p.id);
	req_redirect(r, loc);
	return 0;
}
