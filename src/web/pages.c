/*
 * The pages that belong to no domain module (ARCHITECTURE.md, HTTP and pages): login and
 * logout, the start page per role, the error pages and the embedded static files. The routes
 * are declared in src/http/routes.c; the router has checked login, permission and CSRF
 * before any of these runs.
 */
#include <string.h>

#include "auth/auth.h"
#include "auth/auth_api.h"
#include "base/err.h"
#include "html.h"
#include "http/http.h"
#include "messages/messages.h"
#include "static_files.h"
#include "web.h"

/* ---- error pages ------------------------------------------------------------------------ */

/* The heading and explanation shown for an HTTP status. */
static void
error_text(int code, int status, const char **title, const char **text)
{
	switch (status) {
	case 400:
		*title = "Felaktig begäran";
		*text = "Begäran kunde inte behandlas eftersom den innehöll fel. Gå tillbaka och "
		        "försök igen.";
		break;
	case 401:
		*title = "Du är inte inloggad";
		*text = "Logga in för att se den här sidan.";
		break;
	case 403:
		*title = "Åtkomst nekad";
		*text = code == HERR_CSRF ? "Formuläret har gått ut eller kom inte från Hanna. "
		                            "Ladda om sidan och försök igen."
		                          : "Du har inte behörighet att se den här sidan.";
		break;
	case 404:
		*title = "Sidan finns inte";
		*text = "Sidan eller uppgiften du sökte finns inte, eller så saknar du behörighet "
		        "till den.";
		break;
	case 405:
		*title = "Metoden stöds inte";
		*text = "Sidan finns, men kan inte användas på det här sättet.";
		break;
	case 409:
		*title = "Konflikt";
		*text =
		    "Uppgifterna har ändrats eller finns redan. Ladda om sidan och försök igen.";
		break;
	case 413:
		*title = "För mycket data";
		*text = "Det som skickades var för stort.";
		break;
	case 415:
		*title = "Formatet stöds inte";
		*text = "Det som skickades hade ett format som inte stöds.";
		break;
	case 422:
		*title = "Begäran bryter mot en regel";
		*text = "Uppgifterna är giltiga men kan inte godtas i det här läget.";
		break;
	case 429:
		*title = "För många försök";
		*text = "För många misslyckade försök. Försök igen om 15 minuter.";
		break;
	case 503:
		*title = "Tjänsten är inte tillgänglig";
		*text = "Hanna kan inte svara just nu. Försök igen om en stund.";
		break;
	default:
		*title = "Något gick fel";
		*text = "Ett tekniskt fel inträffade. Försök igen om en stund.";
		break;
	}
}

/*
 * code is an error code of src/base/err.def (or, when positive, an HTTP status). detail is
 * for the log only: the page shows the plain Swedish text of the status and the request id,
 * never anything taken from the request (STYLE.md rule 7).
 */
void
web_error_page(struct req *r, int code, const char *detail)
{
	(void)detail;
	int status = code > 0 ? code : herr_status(code);
	if (status < 400 || status > 599)
		status = 500;
	const char *title, *text;
	error_text(code, status, &title, &text);
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, title, NULL);
	HTML_RAW(&sb, "<h1>");
	html_text(&sb, title);
	HTML_RAW(&sb, "</h1>\n<p>");
	html_text(&sb, text);
	HTML_RAW(&sb, "</p>\n");
	if (status == 401)
		HTML_RAW(&sb, "<p><a href=\"/logga-in\">Till inloggningen</a></p>\n");
	else
		HTML_RAW(&sb, "<p><a href=\"/\">Till startsidan</a></p>\n");
	HTML_RAW(&sb, "<p class=\"request-id\">Felkod ");
	html_int(&sb, status);
	HTML_RAW(&sb, ". Begärande-id: <code>");
	html_text(&sb, r->request_id);
	HTML_RAW(&sb, "</code>. Uppge det om du kontaktar support.</p>\n");
	web_layout_end(&sb, r);
	req_html(r, status, &sb);
	sb_release(&sb);
	if (status == 429)
		req_header(r, "Retry-After", "900");
}

/* ---- login and logout ------------------------------------------------------------------- */

static const struct form_field login_fields[] = {
    {"tenant", "Kommun", FORM_TEXT, true, 60, "organization",
     "Kommunens kortnamn, till exempel demo."},
    {"username", "Användarnamn", FORM_TEXT, true, 60, "username", NULL},
    {"password", "Lösenord", FORM_PASSWORD, true, 200, "current-password", NULL},
};
#define NLOGIN (sizeof login_fields / sizeof login_fields[0])

/* Renders the login form with values (NULL: defaults) and the field errors of r. */
static int
login_form(struct req *r, int status, const char *const *values)
{
	const char *dflt[NLOGIN] = {"demo", "", ""};
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Logga in", NULL);
	HTML_RAW(&sb, "<div class=\"narrow\">\n<h1>Logga in</h1>\n");
	form_error_summary(&sb, r, login_fields, NLOGIN);
	HTML_RAW(&sb, "<form method=\"post\" action=\"/logga-in\" novalidate>\n");
	form_csrf(&sb, r);
	form_fields_html(&sb, r, login_fields, NLOGIN, values ? values : dflt);
	HTML_RAW(&sb, "<button type=\"submit\">Logga in</button>\n</form>\n</div>\n");
	return web_respond(r, status, &sb);
}

int
web_page_login(struct req *r)
{
	if (r->logged_in) {
		req_redirect(r, "/");
		return 0;
	}
	return login_form(r, 200, NULL);
}

int
web_login_post(struct req *r)
{
	const char *v[NLOGIN];
	if (form_read(r, login_fields, NLOGIN, v) != 0)
		return login_form(r, 400, v);
	struct principal p;
	char token[65];
	int64_t expires;
	int rc = auth_login(r->db, v[0], v[1], v[2], &p, token, &expires);
	if (rc == HERR_UNAUTHENTICATED) {
		field_error_add(&r->fe, "", "Fel användarnamn eller lösenord.");
		REQ_FAIL(r, rc);
		return login_form(r, 401, v);
	}
	if (rc == HERR_LOCKED) {
		field_error_add(&r->fe, "",
		                "För många misslyckade försök. Försök igen om 15 minuter.");
		REQ_FAIL(r, rc);
		req_header(r, "Retry-After", "900");
		return login_form(r, 429, v);
	}
	if (rc)
		return REQ_FAIL(r, rc);
	auth_set_cookie(r, token, AUTH_SESSION_SECONDS);
	req_redirect(r, "/");
	return 0;
}

int
web_logout_post(struct req *r)
{
	int rc = auth_logout(r->db, r->who.session_id);
	if (rc)
		return REQ_FAIL(r, rc);
	auth_set_cookie(r, "", 0);
	req_redirect(r, "/logga-in");
	return 0;
}

/* ---- start page ------------------------------------------------------------------------- */

/* The notice of unread secure messages (messages_unread_count), nothing when there are none
 * or the count cannot be had: the start page never fails for it. */
static void
unread_notice(struct strbuf *sb, const struct req *r)
{
	int64_t unread = 0, threads = 0;
	if (messages_unread_count(r->db, &r->who, &unread, &threads) != 0 || unread == 0)
		return;
	HTML_RAW(sb, "<div class=\"notice\" role=\"status\">\n<p><a href=\"/meddelanden\">");
	html_int(sb, unread);
	if (unread == 1)
		HTML_RAW(sb, " oläst meddelande");
	else
		HTML_RAW(sb, " olästa meddelanden");
	HTML_RAW(sb, "</a></p>\n</div>\n");
}

/* One task card: a linked heading and a sentence. */
static void
task(struct strbuf *sb, const char *href, const char *title, const char *text)
{
	HTML_RAW(sb, "<li class=\"task\"><h3><a href=\"");
	html_attr(sb, href);
	HTML_RAW(sb, "\">");
	html_text(sb, title);
	HTML_RAW(sb, "</a></h3>\n<p>");
	html_text(sb, text);
	HTML_RAW(sb, "</p></li>\n");
}

/* One information card without a link. */
static void
note(struct strbuf *sb, const char *title, const char *text)
{
	HTML_RAW(sb, "<li class=\"task\"><h3>");
	html_text(sb, title);
	HTML_RAW(sb, "</h3>\n<p>");
	html_text(sb, text);
	HTML_RAW(sb, "</p></li>\n");
}

int
web_page_start(struct req *r)
{
	const struct principal *w = &r->who;
	unsigned roles = w->roles;
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Start", "/");
	HTML_RAW(&sb, "<h1>Hej ");
	html_text(&sb, w->display_name[0] ? w->display_name : w->username);
	HTML_RAW(&sb, "!</h1>\n<p class=\"lead\">Du är inloggad som ");
	bool first = true;
	for (unsigned bit = ROLE_ADMIN; bit <= ROLE_REPRESENTATIVE; bit <<= 1) {
		if (!(roles & bit))
			continue;
		if (!first)
			HTML_RAW(&sb, " och ");
		html_text(&sb, auth_role_title((enum role)bit));
		first = false;
	}
	HTML_RAW(&sb, " i ");
	html_text(&sb, w->tenant);
	HTML_RAW(&sb, ".</p>\n");
	if (auth_permits(w, PERM_MESSAGE))
		unread_notice(&sb, r);
	HTML_RAW(&sb, "<h2>Det här kan du göra i dag</h2>\n<ul class=\"tasks\">\n");
	if (auth_permits(w, PERM_CASE_WRITE))
		task(&sb, "/arenden", "Mina ärenden",
		     "Dina ärenden med utredningstider, och nya ärenden att fördela.");
	if (roles & (ROLE_CITIZEN | ROLE_REPRESENTATIVE)) {
		task(&sb, "/mina-sidor", "Mina sidor",
		     roles & ROLE_REPRESENTATIVE
		         ? "Ärenden och beslut för dig och för de personer du är god man, "
		           "förvaltare eller ombud för."
		         : "Dina ärenden hos socialtjänsten, var de är och vilka beslut som har "
		           "fattats.");
		task(&sb, "/ansok", "Ansök om stöd",
		     "Ansök om hemtjänst och annat stöd. Du får ett ärendenummer direkt.");
	}
	if (auth_permits(w, PERM_MESSAGE))
		task(&sb, "/meddelanden", "Meddelanden",
		     "Säkra meddelanden i ärenden mellan kommunen, den enskilde och utförare.");
	if (auth_permits(w, PERM_PERSON_SEARCH))
		task(&sb, "/personer", "Sök person",
		     "Hitta en person i personregistret på namn eller personnummer.");
	if (auth_permits(w, PERM_PERSON_WRITE))
		task(&sb, "/personer/ny", "Registrera person",
		     "Lägg upp en ny person med personnummer, namn och adress.");
	if (auth_permits(w, PERM_AUDIT_READ))
		task(&sb, "/granskning", "Granskning",
		     "Se vem som har läst eller ändrat uppgifter om en person, när och i vilken "
		     "roll.");
	if ((roles & ROLE_CITIZEN) && w->person_id) {
		struct strbuf href;
		sb_init(&href, 64);
		sb_adds(&href, "/personer/");
		sb_addi(&href, w->person_id);
		task(&sb, href.buf, "Mina uppgifter",
		     "Se de uppgifter om dig som kommunen har registrerat.");
		sb_release(&href);
	}
	if (roles & (ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF))
		note(&sb, "Uppdrag",
		     "Här kommer beställningar från kommunen att visas när en "
		     "biståndshandläggare har fattat beslut och skickat uppdraget till er.");
	if (roles & ROLE_ADMIN)
		note(&sb, "Administration",
		     "Användare, enheter och utförare läggs i dag upp med kommandoraden "
		     "(hanna user add). Sidor för detta kommer.");
	if (roles & ROLE_FEE_ADMIN)
		note(&sb, "Avgifter",
		     "Beräkning av avgifter och förbehållsbelopp kommer i en senare version.");
	if ((roles & ROLE_AUDITOR) && auth_permits(w, PERM_CASE_REPORT))
		task(&sb, "/chef/ej-verkstallda", "Ej verkställda beslut",
		     "Kvartalets beslut som inte har verkställts inom tre månader, med "
		     "statistiken till kommunfullmäktige.");
	if (roles & ROLE_FINANCE)
		note(&sb, "Ekonomi",
		     "Ekonomisk uppföljning och underlag för fakturering kommer i en senare "
		     "version.");
	HTML_RAW(&sb, "</ul>\n");
	if ((roles & ROLE_UNIT_MANAGER) && auth_permits(w, PERM_CASE_REPORT)) {
		HTML_RAW(&sb, "<h2>Chefens översikt</h2>\n<ul class=\"tasks\">\n");
		task(&sb, "/chef/hanskjutna", "Hänskjutna ärenden",
		     "Ärenden där beslutet ligger utanför handläggarens delegation och väntar på "
		     "ditt beslut.");
		task(&sb, "/chef/ej-verkstallda", "Ej verkställda beslut",
		     "Kvartalets rapport till IVO och revisorerna, och statistiken till "
		     "kommunfullmäktige.");
		task(&sb, "/chef/ledtider", "Ledtider",
		     "Tiden från ansökan till beslut och från beslut till verkställighet, per "
		     "insats.");
		task(&sb, "/chef/delegationsbeslut", "Delegationsbeslut",
		     "Beslut fattade på delegation under en period, för anmälan till nämnden.");
		task(&sb, "/chef/delegationsordning", "Delegationsordning",
		     "Vem som får fatta vilka beslut, och gränserna för timmar och tid.");
		HTML_RAW(&sb, "</ul>\n");
	}
	return web_respond(r, 200, &sb);
}

/* ---- static files ----------------------------------------------------------------------- */

/* Runs on the network thread (R_INLINE): no database, nothing that blocks. */
int
web_static(struct req *r)
{
	static const char prefix[] = "/static/";
	if (strncmp(r->path, prefix, sizeof prefix - 1) != 0)
		return REQ_FAIL(r, HERR_NOT_FOUND);
	const char *name = r->path + sizeof prefix - 1;
	for (size_t i = 0; i < web_static_files_count; i++) {
		const struct web_static_file *f = &web_static_files[i];
		if (strcmp(f->name, name) != 0)
			continue;
		r->status = 200;
		r->resp_type = f->type;
		sb_reset(&r->out);
		sb_add(&r->out, f->data, f->len);
		/* A service worker ("-sw.js") controls the page it belongs to, outside /static/,
		 * and is checked for updates at every load. */
		size_t n = strlen(f->name);
		if (n > 6 && strcmp(f->name + n - 6, "-sw.js") == 0) {
			req_header(r, "Service-Worker-Allowed", "/");
			req_header(r, "Cache-Control", "no-cache");
		} else {
			req_header(r, "Cache-Control", "public, max-age=3600");
		}
		return 0;
	}
	web_error_page(r, HERR_NOT_FOUND, NULL);
	return 0;
}
