/*
 * Shared between the files of src/messages only: the statements of store.c and the pieces the
 * routes (api.c) and the pages (pages.c) have in common.
 */
#ifndef HANNA_MESSAGES_PRIVATE_H
#define HANNA_MESSAGES_PRIVATE_H

#include <stdint.h>

#include "messages.h"

struct req;
struct strbuf;

/* Which threads messages__threads lists. */
enum msg_list {
	MSG_LIST_CASE = 1, /* of case key, id below before, newest first */
	MSG_LIST_PERSON,   /* with the citizen side, of person key, by last activity */
	MSG_LIST_PROVIDER, /* with provider key, by last activity */
	MSG_LIST_READER,   /* read or written by the user, with the municipality when key is 1 */
};

/* Calls fn for the threads of a list (each with its providers and user's read state). before
 * is used by MSG_LIST_CASE only (0: from the newest). */
int messages__threads(struct db_conn *c, enum msg_list kind, int64_t tenant, int64_t user,
                      int64_t key, int64_t before, int limit,
                      void (*fn)(const struct msg_thread *t, void *arg), void *arg);

/* On the writer connection, inside a job. */
int messages__insert_thread(struct db_conn *c, struct msg_thread *t);
int messages__insert_msg(struct db_conn *c, struct msg *m);
/* Sets the thread's newest message. */
int messages__touch(struct db_conn *c, int64_t tenant, int64_t thread, int64_t msg, int64_t at);
/* Moves a read mark forward (never back). */
int messages__read_upsert(struct db_conn *c, int64_t tenant, int64_t thread, int64_t user,
                          const struct msg_actor *as, int64_t upto, int64_t at);

/* ---- shared by api.c and pages.c (messages.c) ------------------------------------------ */

/* Loads a thread the request's user takes part in; HERR_NOT_FOUND (error set up) otherwise. */
int messages__thread_or_fail(struct req *r, int64_t id, struct msg_thread *t /* out */,
                             struct msg_actor *as /* out */);
/* Loads case case_id and the side the request's user would start a thread on it as (access
 * to the case's person and a side); HERR_NOT_FOUND (error set up) otherwise. */
struct case_row;
int messages__case_or_fail(struct req *r, int64_t case_id, struct case_row *cs /* out */,
                           struct msg_actor *as /* out */);
/* Checks body; on failure adds the field error for field and returns HERR_INVALID. */
int messages__body_or_fail(struct req *r, const char *field, const char *body);
/* Checks subject likewise. */
int messages__subject_or_fail(struct req *r, const char *field, const char *subject);
/*
 * Starts a thread on case case_id as the request's user: t holds subject and the parties
 * asked for (municipality, citizen, providers), body the first message. Checks the access to
 * the case's person, the parties (field errors on "parties") and that each provider exists in
 * the tenant. On success t and m are as stored.
 */
int messages__start_or_fail(struct req *r, int64_t case_id, struct msg_thread *t, const char *body,
                            struct msg *m /* out */);
/* Posts body to thread id as the request's user; m as stored. */
int messages__post_or_fail(struct req *r, int64_t id, const char *body, struct msg *m /* out */);
/* One read record of entity (entity_id) about person, durable before the answer. */
int messages__audit_read(struct req *r, const char *action, const char *entity, int64_t entity_id,
                         int64_t person);
/* One list record of entity message_thread per distinct person of persons (n; sorted and made
 * distinct in place), durable before the answer. */
int messages__audit_persons(struct req *r, int64_t *persons, int n);
/* The name of provider id of the tenant into name (n bytes); "Utförare <id>" when unknown. */
void messages__provider_name(struct db_conn *c, int64_t tenant, int64_t id, char *name, size_t n);

#endif
