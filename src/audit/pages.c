/*
 * The audit view for the auditor role (shared/API.md; ARCHITECTURE.md, Trust): who read or
 * changed a person's data, when (Europe/Stockholm time), in which role and with which request
 * id. The auditor's own look is recorded by audit_access_or_fail, exactly as for the JSON
 * route in api.c.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "audit_api.h"
#include "auth/auth.h"
#include "base/err.h"
#include "http/http.h"
#include "web/html.h"

#define AUDIT_PAGE_LIMIT 50

static const struct form_field audit_fields[] = {
    {"person_id", "Personens id", FORM_NUMERIC, true, 15, "off",
     "Talet sist i adressen till personens sida, till exempel 42 i /personer/42."},
};
#define NAUDIT (sizeof audit_fields / sizeof audit_fields[0])

/* The Swedish word for an audit action; unknown actions are shown as stored. */
static const char *
action_title(const char *action)
{
	static const struct {
		const char *action, *title;
	} t[] = {
	    {"read", "Läsning"},
	    {"create", "Registrering"},
	    {"update", "Ändring"},
	    {"search", "Sökträff"},
	    {"read_protected_address", "Läsning av skyddad adress"},
	    {"login", "Inloggning"},
	    {"logout", "Utloggning"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(t[i].action, action) == 0)
			return t[i].title;
	return action;
}

static const char *
entity_title(const char *entity)
{
	static const struct {
		const char *entity, *title;
	} t[] = {
	    {"person", "Person"},
	    {"relative", "Anhörig"},
	    {"representative", "Ställföreträdare"},
	    {"audit_log", "Granskningslogg"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(t[i].entity, entity) == 0)
			return t[i].title;
	return entity;
}

/* Appends the Swedish titles of a stored role list ("caseworker,admin"). */
static void
roles_html(struct strbuf *sb, const char *roles)
{
	const char *s = roles ? roles : "";
	bool first = true;
	while (*s) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char name[64];
		if (n < sizeof name) {
			memcpy(name, s, n);
			name[n] = '\0';
		} else {
			name[0] = '\0';
		}
		if (!first)
			HTML_RAW(sb, ", ");
		enum role role;
		if (auth_role_parse(name, &role) == 0)
			html_text(sb, auth_role_title(role));
		else
			html_text(sb, name);
		first = false;
		s += n;
		if (*s == ',')
			s++;
	}
}

/* Appends an instant as local time in Europe/Stockholm (the process TZ), to the second. */
static void
local_time_html(struct strbuf *sb, int64_t at)
{
	time_t t = (time_t)at;
	struct tm tm;
	char buf[32];
	if (!localtime_r(&t, &tm) || strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm) == 0) {
		html_int(sb, at);
		return;
	}
	html_text(sb, buf);
}

static void
row_html(const struct audit_row *row, void *arg)
{
	struct strbuf *sb = arg;
	HTML_RAW(sb, "<tr>\n<td class=\"nowrap\">");
	local_time_html(sb, row->at);
	HTML_RAW(sb, "</td>\n<td>");
	html_text(sb, row->username);
	HTML_RAW(sb, "</td>\n<td>");
	roles_html(sb, row->role);
	HTML_RAW(sb, "</td>\n<td>");
	html_text(sb, action_title(row->action ? row->action : ""));
	HTML_RAW(sb, "</td>\n<td>");
	html_text(sb, entity_title(row->entity ? row->entity : ""));
	if (row->entity_id) {
		HTML_RAW(sb, " ");
		html_int(sb, row->entity_id);
	}
	HTML_RAW(sb, "</td>\n<td><code>");
	html_text(sb, row->request_id);
	HTML_RAW(sb, "</code></td>\n</tr>\n");
}

int
audit_page_list(struct req *r)
{
	const char *v[NAUDIT] = {""};
	int status = 200;
	int64_t person_id = 0, cursor = 0, next = 0;
	bool listed = false;
	struct strbuf rows;
	sb_init(&rows, 0);
	const char *given = req_query(r, "person_id");
	if (given) {
		int rc = form_read_query(r, audit_fields, NAUDIT, v);
		if (rc == 0)
			rc = req_query_int(r, "cursor", 0, INT64_MAX, &cursor);
		if (rc == 0)
			rc = audit_access_or_fail(r, &person_id);
		if (rc == 0) {
			rc = audit_list_person(r->db, r->who.tenant_id, person_id, cursor,
			                       AUDIT_PAGE_LIMIT, row_html, &rows, &next);
			if (rc)
				rc = REQ_FAIL(r, rc);
			else
				listed = true;
		}
		if (rc == HERR_INVALID && r->fe.n) {
			status = 400;
		} else if (rc || rows.err) {
			sb_release(&rows);
			return rc ? rc : REQ_FAIL(r, HERR_INTERNAL);
		}
	}

	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Granskning", "/granskning");
	HTML_RAW(&sb, "<h1>Granskning</h1>\n<p>Se vem som har läst eller ändrat uppgifter om "
	              "en person. Att du tittar här loggas också.</p>\n");
	form_error_summary(&sb, r, audit_fields, NAUDIT);
	HTML_RAW(&sb, "<form method=\"get\" action=\"/granskning\" class=\"search-form\" "
	              "novalidate>\n");
	form_fields_html(&sb, r, audit_fields, NAUDIT, v);
	HTML_RAW(&sb, "<button type=\"submit\">Visa händelser</button>\n</form>\n");
	if (listed && rows.len == 0) {
		HTML_RAW(&sb, "<p role=\"status\">Inga händelser finns för person ");
		html_int(&sb, person_id);
		if (cursor)
			HTML_RAW(&sb, " efter den här punkten.</p>\n");
		else
			HTML_RAW(&sb, ".</p>\n");
	} else if (listed) {
		/* Focusable, so the table can be scrolled sideways by keyboard on a phone. */
		HTML_RAW(&sb, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		              "aria-label=\"Händelser\">\n<table>\n<caption>Händelser för person ");
		html_int(&sb, person_id);
		HTML_RAW(&sb, ", nyast först</caption>\n<thead>\n<tr><th scope=\"col\">Tid</th>"
		              "<th scope=\"col\">Användare</th><th scope=\"col\">Roll</th>"
		              "<th scope=\"col\">Händelse</th><th scope=\"col\">Objekt</th>"
		              "<th scope=\"col\">Begärande-id</th></tr>\n</thead>\n<tbody>\n");
		sb_add(&sb, rows.buf, rows.len);
		HTML_RAW(&sb, "</tbody>\n</table>\n</div>\n");
		if (next || cursor) {
			HTML_RAW(&sb, "<nav class=\"pager\" aria-label=\"Fler händelser\">\n");
			if (cursor) {
				HTML_RAW(&sb, "<a href=\"/granskning?person_id=");
				html_int(&sb, person_id);
				HTML_RAW(&sb, "\">Till de nyaste</a>\n");
			}
			if (next) {
				HTML_RAW(&sb, "<a rel=\"next\" href=\"/granskning?person_id=");
				html_int(&sb, person_id);
				HTML_RAW(&sb, "&amp;cursor=");
				html_int(&sb, next);
				HTML_RAW(&sb, "\">Äldre händelser</a>\n");
			}
			HTML_RAW(&sb, "</nav>\n");
		}
	}
	sb_release(&rows);
	return web_respond(r, status, &sb);
}
