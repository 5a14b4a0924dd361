/*
 * The page frame every page shares (ARCHITECTURE.md, HTTP and pages): the document head, a
 * skip link, the header with the municipality, the logged-in user with role titles and a
 * logout form, the navigation the user's roles allow, <main id="innehall"> and the footer.
 * Swedish throughout; the look is src/web/static/hanna.css.
 */
#include <string.h>

#include "auth/auth.h"
#include "base/err.h"
#include "html.h"
#include "http/http.h"

/* One entry of the main navigation; shown when the user holds perm (and, when roles is not
 * 0, one of those roles). */
static const struct {
	const char *path;  /* link target, also compared with the current page */
	const char *label; /* Swedish link text */
	enum perm perm;    /* permission that makes the entry useful */
	unsigned roles;    /* enum role bits the entry is for, 0 for every role */
} nav[] = {
    {"/", "Start", PERM_LOGIN, 0},
    {"/arenden", "Mina ärenden", PERM_CASE_WRITE, 0},
    {"/mina-sidor", "Mina sidor", PERM_CASE_READ, ROLE_CITIZEN | ROLE_REPRESENTATIVE},
    {"/ansok", "Ansök om stöd", PERM_CASE_APPLY, ROLE_CITIZEN | ROLE_REPRESENTATIVE},
    {"/meddelanden", "Meddelanden", PERM_MESSAGE, 0},
    {"/personer", "Sök person", PERM_PERSON_SEARCH, 0},
    {"/personer/ny", "Registrera person", PERM_PERSON_WRITE, 0},
    {"/granskning", "Granskning", PERM_AUDIT_READ, 0},
    {"/chef/hanskjutna", "Hänskjutna ärenden", PERM_CASE_WRITE, ROLE_UNIT_MANAGER},
    {"/chef/ej-verkstallda", "Ej verkställda beslut", PERM_CASE_REPORT,
     ROLE_UNIT_MANAGER | ROLE_AUDITOR},
    {"/chef/ledtider", "Ledtider", PERM_CASE_REPORT, ROLE_UNIT_MANAGER},
    {"/admin/utredningsmallar", "Utredningsmallar", PERM_ADMIN, 0},
    {"/admin/installningar", "Inställningar", PERM_ADMIN, 0},
    {"/utforare", "Uppdrag", PERM_PROVIDER_WORK, 0},
    {"/utforare/lediga", "Lediga platser", PERM_PROVIDER_MANAGE, ROLE_PROVIDER_ADMIN},
    {"/assistans", "Personlig assistans", PERM_PROVIDER_WORK, 0},
    {"/assistans/manad", "Assistansmånad", PERM_PROVIDER_MANAGE, ROLE_PROVIDER_ADMIN},
    {"/mina-sidor/assistans", "Tidsredovisning", PERM_PA_SHEET, ROLE_CITIZEN | ROLE_REPRESENTATIVE},
    {"/besok", "Dagens besök", PERM_VISIT_REPORT, ROLE_PROVIDER_STAFF},
    {"/besok/uppfoljning", "Utförd tid", PERM_VISIT_READ,
     ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF},
    {"/ekonomi/utford-tid", "Utförd tid", PERM_VISIT_BILLING, ROLE_FINANCE},
};

/* The Swedish titles of the user's roles, comma-separated. */
static void
role_titles(struct strbuf *sb, unsigned roles)
{
	bool first = true;
	for (unsigned bit = ROLE_ADMIN; bit <= ROLE_REPRESENTATIVE; bit <<= 1) {
		if (!(roles & bit))
			continue;
		if (!first)
			HTML_RAW(sb, ", ");
		html_text(sb, auth_role_title((enum role)bit));
		first = false;
	}
}

static void
user_box(struct strbuf *sb, const struct req *r)
{
	HTML_RAW(sb, "<div class=\"user\">\n<p><span class=\"user-name\">");
	html_text(sb, r->who.display_name[0] ? r->who.display_name : r->who.username);
	HTML_RAW(sb, "</span> <span class=\"user-role\">");
	role_titles(sb, r->who.roles);
	HTML_RAW(sb, "</span></p>\n<form method=\"post\" action=\"/logga-ut\">\n");
	form_csrf(sb, r);
	HTML_RAW(sb, "<button type=\"submit\" class=\"button-secondary\">Logga ut</button>\n"
	             "</form>\n</div>\n");
}

static void
nav_html(struct strbuf *sb, const struct req *r, const char *current)
{
	HTML_RAW(sb, "<nav class=\"main-nav\" aria-label=\"Huvudmeny\">\n<ul>\n");
	for (size_t i = 0; i < sizeof nav / sizeof nav[0]; i++) {
		if (!auth_permits(&r->who, nav[i].perm) ||
		    (nav[i].roles && !(r->who.roles & nav[i].roles)))
			continue;
		/* The current entry is marked by a class and hidden text, not aria-current,
		 * which the tidy of the validity check (5.6) does not know. */
		bool here = current && strcmp(current, nav[i].path) == 0;
		HTML_RAW(sb, "<li><a href=\"");
		html_attr(sb, nav[i].path);
		HTML_RAW(sb, "\"");
		if (here)
			HTML_RAW(sb, " class=\"current\"");
		HTML_RAW(sb, ">");
		html_text(sb, nav[i].label);
		if (here)
			HTML_RAW(sb, "<span class=\"visually-hidden\"> (aktuell sida)</span>");
		HTML_RAW(sb, "</a></li>\n");
	}
	HTML_RAW(sb, "</ul>\n</nav>\n");
}

void
web_layout_begin(struct strbuf *sb, const struct req *r, const char *title, const char *current)
{
	HTML_RAW(sb, "<!doctype html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n"
	             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	             "<title>");
	html_text(sb, title);
	HTML_RAW(sb, " – Hanna</title>\n"
	             "<link rel=\"stylesheet\" href=\"/static/hanna.css\">\n</head>\n<body>\n"
	             "<a class=\"skip-link\" href=\"#innehall\">Hoppa till innehållet</a>\n"
	             "<header class=\"site-header\">\n<div class=\"header-bar\">\n"
	             "<p class=\"brand\"><a href=\"/\">Hanna</a>");
	if (r->logged_in) {
		HTML_RAW(sb, " <span class=\"tenant\"><span class=\"visually-hidden\">Kommun: "
		             "</span>");
		html_text(sb, r->who.tenant_title[0] ? r->who.tenant_title : r->who.tenant);
		HTML_RAW(sb, "</span>");
	}
	HTML_RAW(sb, "</p>\n");
	if (r->logged_in)
		user_box(sb, r);
	HTML_RAW(sb, "</div>\n");
	if (r->logged_in)
		nav_html(sb, r, current);
	HTML_RAW(sb, "</header>\n<main id=\"innehall\" tabindex=\"-1\">\n");
}

void
web_layout_end(struct strbuf *sb, const struct req *r)
{
	(void)r;
	HTML_RAW(sb, "</main>\n<footer class=\"site-footer\">\n"
	             "<p>Hanna – ett öppet system för kommunernas socialtjänst</p>\n"
	             "</footer>\n</body>\n</html>\n");
}

int
web_respond(struct req *r, int status, struct strbuf *sb)
{
	web_layout_end(sb, r);
	if (sb->err) {
		sb_release(sb);
		return REQ_FAIL(r, HERR_INTERNAL);
	}
	req_html(r, status, sb);
	return 0;
}
