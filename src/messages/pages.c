/*
 * Pages of secure messages (issue 4 item 5): the inbox (/meddelanden) with unread markers, a
 * thread with its messages, read receipts and a reply form, and the "Nytt meddelande" form of
 * a case (linked from the case view and from Mina sidor). Every change runs through the same
 * step as its JSON route (messages_private.h), so authorisation, checks and audit are the
 * route's own; pages that show a thread write the records the JSON reads write. Forms work
 * without JavaScript: a POST answers 303, or the page again with the errors (400).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cases/cases.h"
#include "db/db.h"
#include "http/http.h"
#include "messages.h"
#include "messages_api.h"
#include "messages_private.h"
#include "people/people.h"
#include "web/html.h"

#define INBOX_MAX 200            /* threads of the inbox page */
#define THREAD_MESSAGES_MAX 1000 /* messages of one thread page */
#define READS_MAX 200            /* read marks considered for the receipts */
#define PROVIDERS_MAX 64         /* providers the new-message form offers */

/* The fields of the forms, for the error summary (the controls are written below). */
static const struct form_field new_fields[] = {
    {"subject", "Ämne", FORM_TEXT, true, MSG_SUBJECT_MAX_BYTES, "off", NULL},
    {"body", "Meddelande", FORM_TEXT, true, MSG_BODY_MAX_BYTES, NULL, NULL},
    {"parties", "Mottagare", FORM_TEXT, false, 0, NULL, NULL},
};
#define NNEW (sizeof new_fields / sizeof new_fields[0])

/* ---- small helpers --------------------------------------------------------------------- */

/* "2026-03-14 09:30" in Europe/Stockholm. */
static void
when_html(struct strbuf *sb, int64_t at)
{
	time_t t = (time_t)at;
	struct tm tm;
	char buf[32];
	localtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
	html_text(sb, buf);
}

/* A posted text without the carriage returns browsers put before line breaks; borrowed until
 * the request ends (written into the form value itself). */
static const char *
posted(struct req *r, const char *name)
{
	const char *v = req_form(r, name);
	if (!v)
		return "";
	char *w = (char *)(uintptr_t)v;
	size_t j = 0;
	for (size_t i = 0; v[i]; i++)
		if (v[i] != '\r')
			w[j++] = v[i];
	w[j] = '\0';
	return w;
}

/* The text area of a message body with its label and error. */
static void
body_field(struct strbuf *sb, const struct req *r, const char *label, const char *value)
{
	const char *err = form_error_for(r, "body");
	HTML_RAW(sb, "<div class=\"field");
	if (err)
		HTML_RAW(sb, " has-error");
	HTML_RAW(sb, "\">\n<label for=\"f-body\">");
	html_text(sb, label);
	HTML_RAW(sb, "</label>\n<p class=\"hint\" id=\"f-body-hint\">Högst 10 000 tecken. "
	             "Meddelandet blir en del av akten och kan inte ändras efteråt.</p>\n");
	if (err) {
		HTML_RAW(sb, "<p class=\"field-error\" id=\"f-body-fel\"><span "
		             "class=\"visually-hidden\">Fel: </span>");
		html_text(sb, err);
		HTML_RAW(sb, "</p>\n");
	}
	HTML_RAW(sb, "<textarea rows=\"6\" id=\"f-body\" name=\"body\" required");
	if (err)
		HTML_RAW(sb, " aria-invalid=\"true\" aria-describedby=\"f-body-hint f-body-fel\"");
	else
		HTML_RAW(sb, " aria-describedby=\"f-body-hint\"");
	HTML_RAW(sb, ">\n");
	html_text(sb, value);
	HTML_RAW(sb, "</textarea>\n</div>\n");
}

/* "Anna Andersson" of a person, "" when unknown. */
static void
person_name(struct db_conn *c, int64_t tenant, int64_t id, char *out, size_t n)
{
	struct person p;
	if (people_get(c, tenant, id, &p) == 0)
		snprintf(out, n, "%s %s", p.given_name, p.family_name);
	else
		snprintf(out, n, "%s", "");
}

/* The title of a side, with the provider's name. */
static void
side_html(struct strbuf *sb, struct db_conn *c, int64_t tenant, const struct msg_actor *a)
{
	if (a->party == MSG_PROVIDER) {
		char name[128];
		messages__provider_name(c, tenant, a->provider_id, name, sizeof name);
		HTML_RAW(sb, "Utförare ");
		html_text(sb, name);
	} else {
		html_text(sb, messages_party_title(a->party));
	}
}

/* ---- the inbox --------------------------------------------------------------------------- */

struct inbox_page {
	struct db_conn *c;   /* for names */
	const struct req *r; /* the request */
	struct strbuf *sb;   /* the rows */
	int64_t *persons;    /* the persons listed */
	int n;               /* rows written */
};

static void
inbox_row(const struct msg_thread *t, void *arg)
{
	struct inbox_page *ip = arg;
	struct strbuf *sb = ip->sb;
	char name[205];
	person_name(ip->c, t->tenant_id, t->person_id, name, sizeof name);
	HTML_RAW(sb, "<tr>\n<th scope=\"row\"><a href=\"/meddelanden/");
	html_int(sb, t->id);
	HTML_RAW(sb, "\">");
	html_text(sb, t->subject);
	HTML_RAW(sb, "</a></th>\n<td>");
	html_text(sb, name);
	HTML_RAW(sb, "</td>\n<td class=\"nowrap\">");
	when_html(sb, t->last_at);
	HTML_RAW(sb, "</td>\n<td>");
	if (t->unread > 0) {
		HTML_RAW(sb, "<strong class=\"badge\">");
		html_int(sb, t->unread);
		if (t->unread == 1)
			HTML_RAW(sb, " oläst");
		else
			HTML_RAW(sb, " olästa");
		HTML_RAW(sb, "</strong>");
	} else {
		HTML_RAW(sb, "Läst");
	}
	HTML_RAW(sb, "</td>\n</tr>\n");
	ip->persons[ip->n++] = t->person_id;
}

int
messages_page_inbox(struct req *r)
{
	struct strbuf rows;
	sb_init(&rows, 0);
	int64_t *persons = xcalloc(INBOX_MAX, sizeof *persons);
	struct db_conn *c = db_reader(r->db);
	struct inbox_page ip = {.c = c, .r = r, .sb = &rows, .persons = persons};
	int rc = messages_inbox(c, &r->who, INBOX_MAX, inbox_row, &ip);
	db_reader_done(r->db, c);
	if (rc == 0 && rows.err)
		rc = HERR_INTERNAL;
	if (rc)
		rc = REQ_FAIL(r, rc);
	else
		rc = messages__audit_persons(r, persons, ip.n);
	free(persons);
	if (rc) {
		sb_release(&rows);
		return rc;
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, "Meddelanden", "/meddelanden");
	HTML_RAW(&sb, "<h1>Meddelanden</h1>\n<p class=\"lead\">Säkra meddelanden i ärenden mellan "
	              "kommunen, den enskilde och utförare. Meddelandena sparas i akten.</p>\n");
	if (r->who.roles & (ROLE_CITIZEN | ROLE_REPRESENTATIVE))
		HTML_RAW(&sb, "<p>Vill du skriva till din handläggare? Välj ärendet på "
		              "<a href=\"/mina-sidor\">Mina sidor</a> och sedan Skicka "
		              "meddelande.</p>\n");
	if (ip.n == 0) {
		HTML_RAW(&sb, "<p>Du har inga meddelanden.</p>\n");
	} else {
		HTML_RAW(&sb, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" "
		              "aria-labelledby=\"tradar\">\n<table>\n<caption id=\"tradar\">Dina "
		              "meddelandetrådar, senast aktiva först</caption>\n<thead>\n<tr><th "
		              "scope=\"col\">Ämne</th><th scope=\"col\">Gäller</th><th "
		              "scope=\"col\">Senaste</th><th scope=\"col\">Status</th></tr>\n"
		              "</thead>\n<tbody>\n");
		sb_add(&sb, rows.buf, rows.len);
		HTML_RAW(&sb, "</tbody>\n</table>\n</div>\n");
	}
	sb_release(&rows);
	return web_respond(r, 200, &sb);
}

/* ---- one thread -------------------------------------------------------------------------- */

struct thread_page {
	struct db_conn *c;            /* for names */
	const struct msg_thread *t;   /* the thread */
	struct strbuf *sb;            /* the messages */
	const struct msg_read *reads; /* read marks */
	int nreads;                   /* how many */
	int64_t last;                 /* the newest message shown */
};

static void
message_html(const struct msg *m, void *arg)
{
	struct thread_page *tp = arg;
	struct strbuf *sb = tp->sb;
	HTML_RAW(sb, "<li>\n<article class=\"case-card\" id=\"meddelande-");
	html_int(sb, m->id);
	HTML_RAW(sb, "\" aria-labelledby=\"meddelande-");
	html_int(sb, m->id);
	HTML_RAW(sb, "-rubrik\">\n<h3 id=\"meddelande-");
	html_int(sb, m->id);
	HTML_RAW(sb, "-rubrik\">");
	html_text(sb, m->author_name);
	HTML_RAW(sb, " <span class=\"muted\">(");
	side_html(sb, tp->c, tp->t->tenant_id, &m->as);
	HTML_RAW(sb, ")</span></h3>\n<p class=\"note-meta\">Skickat ");
	when_html(sb, m->created_at);
	HTML_RAW(sb, "</p>\n<p class=\"text\">");
	html_text(sb, m->body);
	HTML_RAW(sb, "</p>\n<p class=\"muted\">");
	struct msg_actor by[MSG_MAX_PROVIDERS + 2];
	int n = messages_read_by(m, tp->reads, tp->nreads, by, (int)(sizeof by / sizeof by[0]));
	if (n == 0)
		HTML_RAW(sb, "Inte läst ännu");
	else
		HTML_RAW(sb, "Läst av ");
	for (int i = 0; i < n; i++) {
		if (i)
			HTML_RAW(sb, ", ");
		side_html(sb, tp->c, tp->t->tenant_id, &by[i]);
	}
	HTML_RAW(sb, "</p>\n</article>\n</li>\n");
	tp->last = m->id;
}

/* The thread page with status and the reply value (after a failed reply); marks what it
 * shows as read, with the read record. */
static int
thread_page(struct req *r, int64_t id, int status, const char *reply)
{
	struct msg_thread t;
	struct msg_actor as;
	/* A failed reply keeps its field errors: load without touching them. */
	struct field_errors saved = r->fe;
	r->fe.n = 0;
	int rc = messages__thread_or_fail(r, id, &t, &as);
	r->fe = saved;
	if (rc)
		return rc;
	struct msg_read *reads = xcalloc(READS_MAX, sizeof *reads);
	struct strbuf list;
	sb_init(&list, 0);
	struct case_row cs;
	char name[205];
	struct db_conn *c = db_reader(r->db);
	int n = messages_reads(c, t.tenant_id, t.id, reads, READS_MAX);
	rc = n < 0 ? n : 0;
	struct thread_page tp = {
	    .c = c, .t = &t, .sb = &list, .reads = reads, .nreads = n < 0 ? 0 : n};
	if (rc == 0)
		rc = messages_list(c, t.tenant_id, t.id, THREAD_MESSAGES_MAX, message_html, &tp);
	if (rc == 0)
		rc = cases_get(c, t.tenant_id, t.case_id, &cs);
	person_name(c, t.tenant_id, t.person_id, name, sizeof name);
	struct strbuf parties;
	sb_init(&parties, 0);
	struct msg_actor all[MSG_MAX_PROVIDERS + 2];
	int np = 0;
	if (t.municipality)
		all[np++] = (struct msg_actor){MSG_MUNICIPALITY, 0};
	if (t.citizen)
		all[np++] = (struct msg_actor){MSG_CITIZEN, 0};
	for (int i = 0; i < t.nproviders; i++)
		all[np++] = (struct msg_actor){MSG_PROVIDER, t.providers[i]};
	for (int i = 0; i < np; i++) {
		if (i)
			HTML_RAW(&parties, ", ");
		side_html(&parties, c, t.tenant_id, &all[i]);
	}
	db_reader_done(r->db, c);
	free(reads);
	if (rc == 0) {
		struct audit_entry e;
		req_audit_who(r, &e);
		rc = messages_mark_read(r->db, &t, r->who.user_id, &as, tp.last, &e);
		if (rc == 0)
			r->audit_writes++;
	}
	if (rc == 0 && (list.err || parties.err))
		rc = HERR_INTERNAL;
	if (rc) {
		sb_release(&list);
		sb_release(&parties);
		return REQ_FAIL(r, rc);
	}
	struct strbuf sb;
	sb_init(&sb, 0);
	web_layout_begin(&sb, r, t.subject, NULL);
	HTML_RAW(&sb, "<p class=\"breadcrumb\"><a href=\"/meddelanden\">Meddelanden</a></p>\n");
	if (r->fe.n)
		form_error_summary(&sb, r, new_fields, NNEW);
	HTML_RAW(&sb, "<h1>");
	html_text(&sb, t.subject);
	HTML_RAW(&sb, "</h1>\n<dl class=\"facts\">\n<dt>Ärende</dt>\n<dd>");
	html_text(&sb, cs.case_number);
	HTML_RAW(&sb, "</dd>\n<dt>Gäller</dt>\n<dd>");
	html_text(&sb, name);
	HTML_RAW(&sb, "</dd>\n<dt>Deltar</dt>\n<dd>");
	sb_add(&sb, parties.buf, parties.len);
	HTML_RAW(&sb, "</dd>\n<dt>Du skriver som</dt>\n<dd>");
	html_text(&sb, messages_party_title(as.party));
	HTML_RAW(&sb, "</dd>\n</dl>\n<h2>Meddelanden</h2>\n<ol class=\"timeline\">\n");
	sb_add(&sb, list.buf, list.len);
	HTML_RAW(
	    &sb,
	    "</ol>\n<h2 id=\"svara\">Svara</h2>\n<form method=\"post\" action=\"/meddelanden/");
	html_int(&sb, t.id);
	HTML_RAW(&sb, "\" novalidate>\n");
	form_csrf(&sb, r);
	body_field(&sb, r, "Ditt svar", reply ? reply : "");
	HTML_RAW(&sb, "<button type=\"submit\">Skicka svaret</button>\n</form>\n");
	sb_release(&list);
	sb_release(&parties);
	return web_respond(r, status, &sb);
}

int
messages_page_thread(struct req *r)
{
	return thread_page(r, r->params[0], 200, NULL);
}

int
messages_page_reply(struct req *r)
{
	const char *body = posted(r, "body");
	struct msg *m = xmalloc(sizeof *m);
	int rc = messages__post_or_fail(r, r->params[0], body, m);
	if (rc == 0) {
		char loc[96];
		snprintf(loc, sizeof loc, "/meddelanden/%lld#meddelande-%lld",
		         (long long)r->params[0], (long long)m->id);
		free(m);
		req_redirect(r, loc);
		return 0;
	}
	free(m);
	if (rc != HERR_INVALID)
		return rc;
	return thread_page(r, r->params[0], 400, body);
}

/* ---- a new thread on a case --------------------------------------------------------------- */

struct provider_opts {
	int64_t id[PROVIDERS_MAX];     /* provider ids */
	char name[PROVIDERS_MAX][128]; /* their names */
	int n;                         /* entries used */
};

static void
provider_opt(int64_t id, const char *name, void *arg)
{
	struct provider_opts *po = arg;
	if (po->n < PROVIDERS_MAX) {
		po->id[po->n] = id;
		snprintf(po->name[po->n], sizeof po->name[0], "%s", name ? name : "");
		po->n++;
	}
}

/* One recipient checkbox. */
static void
recipient(struct strbuf *sb, const char *name, const char *id, const char *label, bool checked)
{
	HTML_RAW(sb, "<div class=\"field checkbox\">\n<input type=\"checkbox\" value=\"1\" id=\"");
	html_attr(sb, id);
	HTML_RAW(sb, "\" name=\"");
	html_attr(sb, name);
	HTML_RAW(sb, "\"");
	if (checked)
		HTML_RAW(sb, " checked");
	HTML_RAW(sb, ">\n<label for=\"");
	html_attr(sb, id);
	HTML_RAW(sb, "\">");
	html_text(sb, label);
	HTML_RAW(sb, "</label>\n</div>\n");
}

/* Whether the posted form asks for provider id. */
static bool
provider_asked(const struct req *r, int64_t id)
{
	char key[40];
	snprintf(key, sizeof key, "provider_%lld", (long long)id);
	const char *v = req_form(r, key);
	return v && strcmp(v, "1") == 0;
}

/*
 * The form of a new thread on case cs as side as, with status; posted says whether the values
 * come from a failed post (else the defaults: every side but the writer's own checked except
 * the providers).
 */
static int
new_form(struct req *r, const struct case_row *cs, const struct msg_actor *as, int status,
         bool posted_values)
{
	struct provider_opts *po = xcalloc(1, sizeof *po);
	char name[205];
	struct db_conn *c = db_reader(r->db);
	int rc = 0;
	if (as->party != MSG_CITIZEN)
		rc = auth_providers(c, cs->tenant_id, provider_opt, po);
	person_name(c, cs->tenant_id, cs->person_id, name, sizeof name);
	db_reader_done(r->db, c);
	if (rc) {
		free(po);
		return REQ_FAIL(r, rc);
	}
	struct strbuf sb, title;
	sb_init(&sb, 0);
	sb_init(&title, 128);
	sb_addf(&title, "Nytt meddelande i ärende %s", cs->case_number);
	web_layout_begin(&sb, r, title.buf, "/meddelanden");
	HTML_RAW(&sb, "<p class=\"breadcrumb\"><a href=\"/meddelanden\">Meddelanden</a></p>\n<h1>");
	html_text(&sb, title.buf);
	sb_release(&title);
	HTML_RAW(&sb, "</h1>\n<p class=\"lead\">Gäller ");
	html_text(&sb, name);
	HTML_RAW(&sb, ".</p>\n");
	form_error_summary(&sb, r, new_fields, NNEW);
	HTML_RAW(&sb, "<form method=\"post\" action=\"/arenden/");
	html_int(&sb, cs->id);
	HTML_RAW(&sb, "/nytt-meddelande\" novalidate>\n");
	form_csrf(&sb, r);
	const char *subject = posted_values ? req_form(r, "subject") : "";
	const char *vals[1] = {subject ? subject : ""};
	form_fields_html(&sb, r, new_fields, 1, vals);
	const char *perr = form_error_for(r, "parties");
	HTML_RAW(&sb, "<fieldset class=\"group");
	if (perr)
		HTML_RAW(&sb, " has-error");
	HTML_RAW(&sb, "\" id=\"f-parties\">\n<legend>Mottagare</legend>\n");
	if (perr) {
		HTML_RAW(&sb, "<p class=\"field-error\"><span class=\"visually-hidden\">Fel: "
		              "</span>");
		html_text(&sb, perr);
		HTML_RAW(&sb, "</p>\n");
	}
	if (as->party != MSG_MUNICIPALITY)
		recipient(&sb, "to_municipality", "f-to-municipality", "Kommunen (handläggaren)",
		          posted_values ? req_form(r, "to_municipality") != NULL : true);
	if (as->party != MSG_CITIZEN)
		recipient(&sb, "to_citizen", "f-to-citizen", "Den enskilde och företrädare",
		          posted_values ? req_form(r, "to_citizen") != NULL : true);
	for (int i = 0; i < po->n; i++) {
		if (as->party == MSG_PROVIDER && po->id[i] == as->provider_id)
			continue;
		char fname[40], fid[48], label[160];
		snprintf(fname, sizeof fname, "provider_%lld", (long long)po->id[i]);
		snprintf(fid, sizeof fid, "f-provider-%lld", (long long)po->id[i]);
		snprintf(label, sizeof label, "Utförare %s", po->name[i]);
		recipient(&sb, fname, fid, label, posted_values && provider_asked(r, po->id[i]));
	}
	HTML_RAW(&sb, "</fieldset>\n");
	free(po);
	const char *body = posted_values ? req_form(r, "body") : "";
	body_field(&sb, r, "Meddelande", body ? body : "");
	HTML_RAW(&sb, "<button type=\"submit\">Skicka meddelandet</button>\n</form>\n");
	return web_respond(r, status, &sb);
}

int
messages_page_new(struct req *r)
{
	struct case_row cs;
	struct msg_actor as;
	int rc = messages__case_or_fail(r, r->params[0], &cs, &as);
	if (rc)
		return rc;
	rc = messages__audit_read(r, "read", "case", cs.id, cs.person_id);
	if (rc)
		return rc;
	return new_form(r, &cs, &as, 200, false);
}

int
messages_page_new_post(struct req *r)
{
	struct case_row cs;
	struct msg_actor as;
	int rc = messages__case_or_fail(r, r->params[0], &cs, &as);
	if (rc)
		return rc;
	struct msg_thread *t = xcalloc(1, sizeof *t);
	struct msg *m = xmalloc(sizeof *m);
	snprintf(t->subject, sizeof t->subject, "%s", posted(r, "subject"));
	t->municipality = req_form(r, "to_municipality") != NULL;
	t->citizen = req_form(r, "to_citizen") != NULL;
	bool too_many = false;
	for (int i = 0; i < r->nform; i++) {
		const char *k = r->form[i].key;
		if (strncmp(k, "provider_", 9) != 0 || strcmp(r->form[i].value, "1") != 0)
			continue;
		char *end;
		long long id = strtoll(k + 9, &end, 10);
		if (*end || id <= 0)
			continue;
		if (t->nproviders < MSG_MAX_PROVIDERS)
			t->providers[t->nproviders++] = id;
		else
			too_many = true;
	}
	if (too_many)
		field_error_add(&r->fe, "parties", "högst 8 utförare kan delta i en tråd");
	rc = messages__start_or_fail(r, cs.id, t, posted(r, "body"), m);
	int64_t tid = t->id;
	free(t);
	free(m);
	if (rc == 0) {
		char loc[64];
		snprintf(loc, sizeof loc, "/meddelanden/%lld", (long long)tid);
		req_redirect(r, loc);
		return 0;
	}
	if (rc != HERR_INVALID)
		return rc;
	/* The case was read for the form again. */
	rc = messages__audit_read(r, "read", "case", cs.id, cs.person_id);
	if (rc)
		return rc;
	return new_form(r, &cs, &as, 400, true);
}
