/*
 * Secure messages (issue 4 item 5; ARCHITECTURE.md, messages/): threads per case between the
 * municipality (its staff), the citizen (the person and representatives with a valid mandate)
 * and zero or more providers, replacing fax. Messages never change once sent; read status is
 * kept per user. The schema is src/db/sql/0010_messages.sql; the design is written down in
 * docs/architecture.md, Secure messages.
 *
 * Who may read and write a thread: a user who passes auth_person_access() for the case's
 * person and is a party of the thread: staff (admin, caseworker, unit manager, fee admin) as
 * the municipality, the citizen and representatives as the citizen, provider users only where
 * their provider takes part. Anyone else gets HERR_NOT_FOUND.
 */
#ifndef HANNA_MESSAGES_H
#define HANNA_MESSAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct audit_entry;
struct db;
struct db_conn;
struct principal;

/* The sides of a thread. */
enum msg_party {
	MSG_NONE = 0,         /* not a party */
	MSG_MUNICIPALITY = 1, /* the municipality's staff */
	MSG_CITIZEN = 2,      /* the person and representatives with a mandate */
	MSG_PROVIDER = 3,     /* one provider's staff */
};

#define MSG_MAX_PROVIDERS 8       /* providers in one thread */
#define MSG_BODY_MAX_CHARS 10000  /* characters (code points) of a message */
#define MSG_SUBJECT_MAX_CHARS 200 /* characters of a subject */
#define MSG_BODY_MAX_BYTES (4 * MSG_BODY_MAX_CHARS)
#define MSG_SUBJECT_MAX_BYTES (4 * MSG_SUBJECT_MAX_CHARS)

/* A party as one user acts for it, or as it is listed in a thread. */
struct msg_actor {
	enum msg_party party; /* the side */
	int64_t provider_id;  /* the provider for MSG_PROVIDER, else 0 */
};

struct msg_thread {
	int64_t id;                              /* message_threads.id */
	int64_t tenant_id;                       /* the tenant */
	int64_t case_id;                         /* the case it belongs to */
	int64_t person_id;                       /* the case's person */
	int64_t created_by;                      /* users.id of the first author */
	int64_t created_at;                      /* epoch seconds */
	int64_t last_message_id;                 /* the newest message */
	int64_t last_at;                         /* when it was sent */
	bool municipality;                       /* the municipality takes part */
	bool citizen;                            /* the citizen side takes part */
	int64_t providers[MSG_MAX_PROVIDERS];    /* the providers taking part, ascending */
	int nproviders;                          /* entries used in providers */
	int64_t last_read_id;                    /* the loading user's read mark, 0 for none */
	int64_t unread;                          /* messages after it by others */
	char subject[MSG_SUBJECT_MAX_BYTES + 1]; /* checked by messages_text_check */
};

struct msg {
	int64_t id;                        /* messages.id */
	int64_t tenant_id;                 /* the tenant */
	int64_t thread_id;                 /* the thread */
	int64_t author_id;                 /* users.id */
	int64_t created_at;                /* epoch seconds */
	struct msg_actor as;               /* the side the author wrote for */
	char author_name[128];             /* the author's name when sent */
	char body[MSG_BODY_MAX_BYTES + 1]; /* checked by messages_text_check */
};

/* How far one user has read a thread. */
struct msg_read {
	int64_t user_id;      /* the reader */
	struct msg_actor as;  /* the side the reader reads for */
	int64_t last_read_id; /* the newest message read */
	int64_t read_at;      /* when the mark last moved */
};

/* ---- pure rules (rules.c) ---------------------------------------------------------------- */

/* "municipality", "citizen", "provider"; "" for MSG_NONE. Static storage. */
const char *messages_party_name(enum msg_party p);
/* The party of a name, MSG_NONE for anything else. */
enum msg_party messages_party_parse(const char *name);
/* The Swedish name of a side: "Kommunen", "Den enskilde", "Utförare". Static storage. */
const char *messages_party_title(enum msg_party p);

enum msg_text {
	MSG_TEXT_OK = 0, /* acceptable */
	MSG_TEXT_EMPTY,  /* missing or only white space */
	MSG_TEXT_LONG,   /* more than the maximum characters */
	MSG_TEXT_BAD,    /* invalid UTF-8 or a control character */
};
/* Checks a subject (multiline false: no line breaks) or a body (tab and line breaks allowed):
 * 1..max_chars characters, valid UTF-8, no other control characters. */
enum msg_text messages_text_check(const char *s, size_t max_chars, bool multiline);

/*
 * The side a user acts for in thread t, or MSG_NONE: the municipality for staff roles (admin,
 * caseworker, unit manager, fee admin) when it takes part; else the citizen side when
 * citizen_ok (the user is the person, or a representative with a mandate) and it takes part;
 * else the user's provider (provider roles, provider_id) when it takes part. The caller has
 * already checked auth_person_access.
 */
struct msg_actor messages_party_for(unsigned roles, int64_t provider_id, bool citizen_ok,
                                    const struct msg_thread *t);
/* Whether the actor takes part in thread t. */
bool messages_takes_part(const struct msg_thread *t, const struct msg_actor *a);

enum msg_parties {
	MSG_PARTIES_OK = 0,    /* acceptable */
	MSG_PARTIES_ALONE,     /* nobody besides the creator's side */
	MSG_PARTIES_DUPLICATE, /* a provider named twice */
	MSG_PARTIES_TOO_MANY,  /* more than MSG_MAX_PROVIDERS providers */
};
/* Adds the creator's side to the parties of t (municipality, citizen, providers as asked) and
 * checks them: another side besides the creator's, no provider twice, at most
 * MSG_MAX_PROVIDERS. Sorts t->providers. */
enum msg_parties messages_parties_settle(struct msg_thread *t, const struct msg_actor *creator);

/* The sides other than the author's own that have read message m, from the read marks of its
 * thread (n of them), each once, in the order municipality, citizen, providers by id; at most
 * max written to out. Returns how many. */
int messages_read_by(const struct msg *m, const struct msg_read *reads, int n,
                     struct msg_actor *out /* out */, int max);

/* ---- access, reads and writes (messages.c, store.c) ------------------------------------- */

/*
 * The side principal p acts for in thread t: auth_person_access for t's person, then
 * messages_party_for. 0 and *as, or HERR_NOT_FOUND (never revealing the thread).
 */
int messages_access(struct db_conn *c, const struct principal *p, const struct msg_thread *t,
                    struct msg_actor *as /* out */);

/* Loads thread id of tenant with its providers, and the read state of user (0: none);
 * HERR_NOT_FOUND. No access check. */
int messages_thread_get(struct db_conn *c, int64_t tenant, int64_t id, int64_t user,
                        struct msg_thread *out /* out */);

/*
 * Calls fn for the threads principal p takes part in and may see, newest activity first, at
 * most limit: a citizen's own, a representative's principals' (a mandate today), a provider
 * user's provider's, and for staff those of the open cases assigned to them and those they
 * have written in or read. Each carries the user's read mark and unread count.
 */
int messages_inbox(struct db_conn *c, const struct principal *p, int limit,
                   void (*fn)(const struct msg_thread *t, void *arg), void *arg);

/* The unread messages of the user's inbox and the threads holding them (the start page). Not
 * audited: only counts. */
int messages_unread_count(struct db *db, const struct principal *p, int64_t *unread /* out */,
                          int64_t *threads /* out */);

/*
 * Starts thread t (tenant_id, case_id, person_id, subject, parties settled, created_by in) with
 * its first message m (author_id, author_name, as, body in) and marks it read for the author,
 * with the create record of the audit, in one transaction. Sets the ids and times.
 */
int messages_start(struct db *db, struct msg_thread *t, struct msg *m,
                   const struct audit_entry *who);
/* Adds message m (thread_id, author_id, author_name, as, body in) to thread t and marks it read
 * for the author, audited (create), in one transaction. Sets m's id and time. */
int messages_post(struct db *db, const struct msg_thread *t, struct msg *m,
                  const struct audit_entry *who);
/* Moves user's read mark of thread t to upto (never backwards) as actor as, with one audit
 * record (action read, entity message_thread), in one transaction. */
int messages_mark_read(struct db *db, const struct msg_thread *t, int64_t user,
                       const struct msg_actor *as, int64_t upto, const struct audit_entry *who);

/* Calls fn for the messages of a thread, oldest first, at most limit. */
int messages_list(struct db_conn *c, int64_t tenant, int64_t thread_id, int limit,
                  void (*fn)(const struct msg *m, void *arg), void *arg);
/* The read marks of a thread, at most max into out; returns how many (or a negative code). */
int messages_reads(struct db_conn *c, int64_t tenant, int64_t thread_id,
                   struct msg_read *out /* out */, int max);

#endif
