/*
 * Access to threads, the user's inbox and the write jobs of secure messages (messages.h), and
 * the request-level steps the JSON routes (api.c) and the pages (pages.c) share, so that both
 * run the same checks, authorisation and audit. Each write job stores its rows and appends its
 * audit record in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "cases/cases.h"
#include "db/db.h"
#include "http/http.h"
#include "messages.h"
#include "messages_private.h"

#define INBOX_CASES 500     /* assigned cases whose threads a staff inbox looks at */
#define INBOX_PRINCIPALS 20 /* persons a representative's inbox looks at */
#define UNREAD_THREADS 200  /* threads the start page counts over */

/* ---- access ------------------------------------------------------------------------------ */

/* Whether p speaks for the person: the person themself, or a representative with a mandate
 * today (asked as a representative only, whatever other roles the user holds). */
static int
citizen_side(struct db_conn *c, const struct principal *p, int64_t person, bool *ok)
{
	*ok = false;
	if ((p->roles & ROLE_CITIZEN) && p->person_id != 0 && p->person_id == person) {
		*ok = true;
		return 0;
	}
	if ((p->roles & ROLE_REPRESENTATIVE) && p->person_id != 0) {
		struct principal rep = *p;
		rep.roles = ROLE_REPRESENTATIVE;
		int rc = auth_person_access(c, &rep, person);
		if (rc != 0 && rc != HERR_NOT_FOUND)
			return rc;
		*ok = rc == 0;
	}
	return 0;
}

int
messages_access(struct db_conn *c, const struct principal *p, const struct msg_thread *t,
                struct msg_actor *as)
{
	if (p->tenant_id != t->tenant_id)
		return HERR_NOT_FOUND;
	int rc = auth_person_access(c, p, t->person_id);
	if (rc)
		return rc;
	bool ok;
	if ((rc = citizen_side(c, p, t->person_id, &ok)) != 0)
		return rc;
	struct msg_actor a = messages_party_for(p->roles, p->provider_id, ok, t);
	if (a.party == MSG_NONE)
		return HERR_NOT_FOUND;
	*as = a;
	return 0;
}

/* ---- the inbox --------------------------------------------------------------------------- */

struct found {
	struct msg_thread *v; /* distinct threads */
	int n, cap;           /* used, allocated */
};

static void
found_add(const struct msg_thread *t, void *arg)
{
	struct found *f = arg;
	for (int i = 0; i < f->n; i++)
		if (f->v[i].id == t->id)
			return;
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 32;
		f->v = xrealloc(f->v, (size_t)f->cap * sizeof *f->v);
	}
	f->v[f->n++] = *t;
}

struct ids {
	int64_t *v; /* collected ids */
	int n, cap; /* used, allocated */
};

static void
id_add(int64_t id, void *arg)
{
	struct ids *l = arg;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
	}
	l->v[l->n++] = id;
}

static void
case_add(const struct case_row *cs, void *arg)
{
	id_add(cs->id, arg);
}

static int
by_activity(const void *a, const void *b)
{
	const struct msg_thread *x = a, *y = b;
	if (x->last_at != y->last_at)
		return x->last_at < y->last_at ? 1 : -1;
	return (x->id < y->id) - (x->id > y->id);
}

/* The candidate threads of p's inbox, not yet checked for access. */
static int
inbox_candidates(struct db_conn *c, const struct principal *p, int limit, struct found *f)
{
	const unsigned staff = ROLE_ADMIN | ROLE_CASEWORKER | ROLE_UNIT_MANAGER | ROLE_FEE_ADMIN;
	int64_t tenant = p->tenant_id, user = p->user_id;
	int rc = 0;
	if ((p->roles & ROLE_CITIZEN) && p->person_id)
		rc = messages__threads(c, MSG_LIST_PERSON, tenant, user, p->person_id, 0, limit,
		                       found_add, f);
	if (rc == 0 && (p->roles & ROLE_REPRESENTATIVE) && p->person_id) {
		struct ids l = {0};
		rc = cases_principals(c, tenant, p->person_id, INBOX_PRINCIPALS, id_add, &l);
		for (int i = 0; rc == 0 && i < l.n; i++)
			rc = messages__threads(c, MSG_LIST_PERSON, tenant, user, l.v[i], 0, limit,
			                       found_add, f);
		free(l.v);
	}
	if (rc == 0 && (p->roles & (ROLE_PROVIDER_ADMIN | ROLE_PROVIDER_STAFF)) && p->provider_id)
		rc = messages__threads(c, MSG_LIST_PROVIDER, tenant, user, p->provider_id, 0, limit,
		                       found_add, f);
	if (rc == 0 && (p->roles & staff)) {
		struct ids l = {0};
		rc = cases_list(c, tenant, user, 0, -1, INBOX_CASES, case_add, &l);
		for (int i = 0; rc == 0 && i < l.n; i++)
			rc = messages__threads(c, MSG_LIST_CASE, tenant, user, l.v[i], 0, limit,
			                       found_add, f);
		free(l.v);
		if (rc == 0)
			rc = messages__threads(c, MSG_LIST_READER, tenant, user, 1, 0, limit,
			                       found_add, f);
	}
	return rc;
}

int
messages_inbox(struct db_conn *c, const struct principal *p, int limit,
               void (*fn)(const struct msg_thread *t, void *arg), void *arg)
{
	struct found f = {0};
	int rc = inbox_candidates(c, p, limit, &f);
	int k = 0;
	for (int i = 0; rc == 0 && i < f.n; i++) {
		struct msg_actor as;
		int a = messages_access(c, p, &f.v[i], &as);
		if (a == 0)
			f.v[k++] = f.v[i];
		else if (a != HERR_NOT_FOUND)
			rc = a;
	}
	if (rc == 0) {
		qsort(f.v, (size_t)k, sizeof *f.v, by_activity);
		for (int i = 0; i < k && i < limit; i++)
			fn(&f.v[i], arg);
	}
	free(f.v);
	return rc;
}

struct counts {
	int64_t unread, threads; /* sums */
};

static void
count_one(const struct msg_thread *t, void *arg)
{
	struct counts *n = arg;
	if (t->unread > 0) {
		n->unread += t->unread;
		n->threads++;
	}
}

int
messages_unread_count(struct db *db, const struct principal *p, int64_t *unread, int64_t *threads)
{
	struct counts n = {0, 0};
	struct db_conn *c = db_reader(db);
	int rc = messages_inbox(c, p, UNREAD_THREADS, count_one, &n);
	db_reader_done(db, c);
	if (rc == 0) {
		*unread = n.unread;
		*threads = n.threads;
	}
	return rc;
}

/* ---- write jobs -------------------------------------------------------------------------- */

/* Stores message m of thread t (inside a job): the row, the thread's newest message, and the
 * author's read mark up to it. */
static int
store_message(struct db_conn *c, const struct msg_thread *t, struct msg *m)
{
	int rc = messages__insert_msg(c, m);
	if (rc == 0)
		rc = messages__touch(c, t->tenant_id, t->id, m->id, m->created_at);
	if (rc == 0)
		rc = messages__read_upsert(c, t->tenant_id, t->id, m->author_id, &m->as, m->id,
		                           m->created_at);
	return rc;
}

/* Appends the audit record of action on entity (entity_id) of thread t's person. */
static int
audit_thread(struct db_conn *c, const struct audit_entry *who, const char *action,
             const char *entity, int64_t entity_id, const struct msg_thread *t)
{
	return audit_change(c, who, action, entity, entity_id, t->person_id);
}

struct write {
	struct msg_thread *t;          /* in; out for a new thread */
	struct msg *m;                 /* in and out */
	const struct audit_entry *who; /* audit fields */
};

static int
start_job(struct db_conn *c, void *arg)
{
	struct write *w = arg;
	int rc = messages__insert_thread(c, w->t);
	if (rc)
		return rc;
	w->m->thread_id = w->t->id;
	if ((rc = store_message(c, w->t, w->m)) != 0)
		return rc;
	w->t->last_message_id = w->m->id;
	w->t->last_at = w->m->created_at;
	w->t->last_read_id = w->m->id;
	return audit_thread(c, w->who, "create", "message_thread", w->t->id, w->t);
}

int
messages_start(struct db *db, struct msg_thread *t, struct msg *m, const struct audit_entry *who)
{
	struct msg_thread tt = *t;
	struct msg *mm = xmalloc(sizeof *mm);
	*mm = *m;
	tt.created_at = time_now();
	mm->created_at = tt.created_at;
	mm->tenant_id = tt.tenant_id;
	struct write w = {.t = &tt, .m = mm, .who = who};
	int rc = db_write(db, start_job, &w);
	if (rc == 0) {
		*t = tt;
		*m = *mm;
	}
	free(mm);
	return rc;
}

static int
post_job(struct db_conn *c, void *arg)
{
	struct write *w = arg;
	int rc = store_message(c, w->t, w->m);
	return rc ? rc : audit_thread(c, w->who, "create", "message", w->m->id, w->t);
}

int
messages_post(struct db *db, const struct msg_thread *t, struct msg *m,
              const struct audit_entry *who)
{
	struct msg *mm = xmalloc(sizeof *mm);
	*mm = *m;
	mm->tenant_id = t->tenant_id;
	mm->thread_id = t->id;
	mm->created_at = time_now();
	struct msg_thread tt = *t;
	struct write w = {.t = &tt, .m = mm, .who = who};
	int rc = db_write(db, post_job, &w);
	if (rc == 0)
		*m = *mm;
	free(mm);
	return rc;
}

struct read_write {
	const struct msg_thread *t;    /* the thread */
	int64_t user;                  /* the reader */
	const struct msg_actor *as;    /* as which side */
	int64_t upto;                  /* the newest message read */
	const struct audit_entry *who; /* audit fields */
};

static int
read_job(struct db_conn *c, void *arg)
{
	struct read_write *w = arg;
	int rc = 0;
	if (w->upto > 0)
		rc = messages__read_upsert(c, w->t->tenant_id, w->t->id, w->user, w->as, w->upto,
		                           time_now());
	return rc ? rc : audit_thread(c, w->who, "read", "message_thread", w->t->id, w->t);
}

int
messages_mark_read(struct db *db, const struct msg_thread *t, int64_t user,
                   const struct msg_actor *as, int64_t upto, const struct audit_entry *who)
{
	struct read_write w = {.t = t, .user = user, .as = as, .upto = upto, .who = who};
	return db_write(db, read_job, &w);
}

/* ---- request-level steps shared by api.c and pages.c ------------------------------------- */

int
messages__thread_or_fail(struct req *r, int64_t id, struct msg_thread *t, struct msg_actor *as)
{
	struct db_conn *c = db_reader(r->db);
	int rc = messages_thread_get(c, r->who.tenant_id, id, r->who.user_id, t);
	if (rc == 0)
		rc = messages_access(c, &r->who, t, as);
	db_reader_done(r->db, c);
	return rc ? REQ_FAIL(r, rc) : 0;
}

/* Adds the field error of a text check; HERR_INVALID, or 0 when it passed. */
static int
text_or_fail(struct req *r, const char *field, enum msg_text k, const char *empty,
             const char *longer)
{
	switch (k) {
	case MSG_TEXT_OK:
		return 0;
	case MSG_TEXT_EMPTY:
		field_error_add(&r->fe, field, empty);
		break;
	case MSG_TEXT_LONG:
		field_error_add(&r->fe, field, longer);
		break;
	case MSG_TEXT_BAD:
		field_error_add(&r->fe, field, "texten innehåller otillåtna tecken");
		break;
	}
	return HERR_INVALID;
}

int
messages__body_or_fail(struct req *r, const char *field, const char *body)
{
	enum msg_text k = messages_text_check(body, MSG_BODY_MAX_CHARS, true);
	return text_or_fail(r, field, k, "skriv ett meddelande",
	                    "meddelandet får vara högst 10 000 tecken");
}

int
messages__subject_or_fail(struct req *r, const char *field, const char *subject)
{
	enum msg_text k = messages_text_check(subject, MSG_SUBJECT_MAX_CHARS, false);
	return text_or_fail(r, field, k, "skriv ett ämne", "ämnet får vara högst 200 tecken");
}

static const char *
author_name(const struct req *r)
{
	return r->who.display_name[0] ? r->who.display_name : r->who.username;
}

/* A new message m by the request's user as side as. */
static void
message_of(const struct req *r, const struct msg_actor *as, const char *body, struct msg *m)
{
	memset(m, 0, sizeof *m);
	m->author_id = r->who.user_id;
	m->as = *as;
	snprintf(m->author_name, sizeof m->author_name, "%s", author_name(r));
	snprintf(m->body, sizeof m->body, "%s", body);
}

static void
provider_id_add(int64_t id, const char *name, void *arg)
{
	(void)name;
	id_add(id, arg);
}

/* Whether every provider of t is one of the tenant's. */
static int
providers_known(struct db_conn *c, const struct msg_thread *t, bool *ok)
{
	struct ids l = {0};
	int rc = auth_providers(c, t->tenant_id, provider_id_add, &l);
	*ok = true;
	for (int i = 0; rc == 0 && i < t->nproviders; i++) {
		bool found = false;
		for (int j = 0; j < l.n; j++)
			found = found || l.v[j] == t->providers[i];
		*ok = *ok && found;
	}
	free(l.v);
	return rc;
}

/* The side the request's user starts a thread on the case's person as, or MSG_NONE. */
static int
creator_side(struct db_conn *c, const struct req *r, const struct case_row *cs,
             struct msg_actor *as)
{
	int rc = auth_person_access(c, &r->who, cs->person_id);
	if (rc)
		return rc;
	bool ok;
	if ((rc = citizen_side(c, &r->who, cs->person_id, &ok)) != 0)
		return rc;
	struct msg_thread every = {.municipality = true, .citizen = true};
	if (r->who.provider_id) {
		every.providers[0] = r->who.provider_id;
		every.nproviders = 1;
	}
	*as = messages_party_for(r->who.roles, r->who.provider_id, ok, &every);
	return as->party == MSG_NONE ? HERR_NOT_FOUND : 0;
}

int
messages__case_or_fail(struct req *r, int64_t case_id, struct case_row *cs, struct msg_actor *as)
{
	struct db_conn *c = db_reader(r->db);
	int rc = cases_get(c, r->who.tenant_id, case_id, cs);
	if (rc == 0)
		rc = creator_side(c, r, cs, as);
	db_reader_done(r->db, c);
	return rc ? REQ_FAIL(r, rc) : 0;
}

int
messages__start_or_fail(struct req *r, int64_t case_id, struct msg_thread *t, const char *body,
                        struct msg *m)
{
	struct case_row cs;
	struct msg_actor as;
	bool known = true;
	int rc = messages__case_or_fail(r, case_id, &cs, &as);
	if (rc)
		return rc;
	t->tenant_id = cs.tenant_id;
	struct db_conn *c = db_reader(r->db);
	rc = providers_known(c, t, &known);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	messages__subject_or_fail(r, "subject", t->subject);
	messages__body_or_fail(r, "body", body);
	if (!known)
		field_error_add(&r->fe, "parties", "en utförare finns inte i kommunen");
	switch (messages_parties_settle(t, &as)) {
	case MSG_PARTIES_OK:
		break;
	case MSG_PARTIES_ALONE:
		field_error_add(&r->fe, "parties", "välj minst en mottagare utöver dig själv");
		break;
	case MSG_PARTIES_DUPLICATE:
		field_error_add(&r->fe, "parties", "en utförare är vald två gånger");
		break;
	case MSG_PARTIES_TOO_MANY:
		field_error_add(&r->fe, "parties", "högst 8 utförare kan delta i en tråd");
		break;
	}
	if (r->fe.n)
		return REQ_FAIL(r, HERR_INVALID);
	t->tenant_id = cs.tenant_id;
	t->case_id = cs.id;
	t->person_id = cs.person_id;
	t->created_by = r->who.user_id;
	message_of(r, &as, body, m);
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = messages_start(r->db, t, m, &e);
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	return 0;
}

int
messages__post_or_fail(struct req *r, int64_t id, const char *body, struct msg *m)
{
	struct msg_thread t;
	struct msg_actor as;
	int rc = messages__thread_or_fail(r, id, &t, &as);
	if (rc)
		return rc;
	if (messages__body_or_fail(r, "body", body))
		return REQ_FAIL(r, HERR_INVALID);
	message_of(r, &as, body, m);
	struct audit_entry e;
	req_audit_who(r, &e);
	rc = messages_post(r->db, &t, m, &e);
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	return 0;
}

int
messages__audit_read(struct req *r, const char *action, const char *entity, int64_t entity_id,
                     int64_t person)
{
	int rc = req_audit_reads(r, action, entity, entity_id, &person, 1);
	return rc ? REQ_FAIL(r, rc) : 0;
}

struct pname {
	int64_t id; /* the provider looked for */
	char *name; /* its name, out */
	size_t n;   /* bytes of name */
	bool found; /* set when seen */
};

static void
pname_one(int64_t id, const char *name, void *arg)
{
	struct pname *p = arg;
	if (id == p->id) {
		snprintf(p->name, p->n, "%s", name ? name : "");
		p->found = true;
	}
}

void
messages__provider_name(struct db_conn *c, int64_t tenant, int64_t id, char *name, size_t n)
{
	struct pname p = {.id = id, .name = name, .n = n, .found = false};
	if (auth_providers(c, tenant, pname_one, &p) != 0 || !p.found)
		snprintf(name, n, "Utförare %lld", (long long)id);
}
