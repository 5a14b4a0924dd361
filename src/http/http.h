/*
 * The HTTP edge (ARCHITECTURE.md, HTTP and pages): a request as handlers see it, the route
 * table's entry type, and the helpers that write responses. The server (server.c) reads the
 * request with libmicrohttpd, matches a route (router.c), authenticates and authorises it in
 * one place, and runs the handler on a worker thread; the handler sets the response.
 */
#ifndef HANNA_HTTP_H
#define HANNA_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/auth.h"
#include "base/json.h"
#include "base/strbuf.h"

struct db;
struct req;

/* Route flags (STYLE.md rule 14). */
enum route_flags {
	R_HTML = 1 << 0,   /* a page: errors render as HTML, a missing login redirects */
	R_INLINE = 1 << 1, /* answered on the network thread: no database, no blocking */
	R_AUDIT = 1 << 2,  /* touches a person's data: a 2xx answer must have written audit */
	R_FORM = 1 << 3,   /* takes application/x-www-form-urlencoded */
	R_UPLOAD = 1 << 4, /* R_FORM that also takes multipart/form-data with one file */
};

/* A handler sets the response and returns 0, or returns a negative code (src/base/err.def)
 * and the edge answers with the matching problem, using r->fe for field errors. */
typedef int (*route_fn)(struct req *r);

struct route {
	const char *method;  /* "GET", "POST", "PATCH", "DELETE" */
	const char *pattern; /* e.g. "/api/v1/persons/{id}"; {id} matches digits */
	route_fn fn;         /* the handler */
	enum perm perm;      /* permission the route needs (PERM_PUBLIC: none) */
	unsigned flags;      /* enum route_flags */
	const char *summary; /* one line for docs and the route list */
};

/* The route table (routes.c): every route of the program, in one place. */
extern const struct route http_routes[];
extern const int http_nroutes;

#define REQ_MAX_PARAMS 4
#define REQ_MAX_QUERY 16
#define REQ_MAX_FORM 64
/* The largest JSON or form body; the server's own limit (server_opts.max_body) is higher for
 * file uploads (src/files). */
#define REQ_MAX_JSON ((size_t)1 << 20)

/* The file of a multipart/form-data form (R_UPLOAD routes). */
struct upload {
	bool present;           /* a file part was sent (it may still be empty) */
	char field[128];        /* the form field that carried it */
	char filename[256];     /* its name as the browser sent it */
	char content_type[128]; /* its declared type, "" when absent */
	const char *data;       /* its bytes, inside body; borrowed until the request ends */
	size_t len;             /* their length */
};

struct kv {
	char *key;   /* owned by the request */
	char *value; /* owned by the request */
};

struct req {
	/* --- the request --- */
	char method[8];                 /* upper case */
	char *path;                     /* without the query string */
	char request_id[17];            /* random, 16 hex characters */
	struct strbuf body;             /* the body as received */
	struct kv query[REQ_MAX_QUERY]; /* query arguments, decoded */
	int nquery;                     /* entries used in query */
	struct kv form[REQ_MAX_FORM];   /* urlencoded form fields, R_FORM routes */
	int nform;                      /* entries used in form */
	struct upload upload;           /* the file of an R_UPLOAD form */
	char *authorization;            /* Authorization header or NULL */
	char *cookie_token;             /* the session cookie's value or NULL */
	char *content_type;             /* Content-Type or NULL */
	char *csrf_header;              /* X-CSRF-Token or NULL */
	char *idempotency_key;          /* Idempotency-Key or NULL */
	char *filename;                 /* X-Filename (an uploaded file's name) or NULL */
	char client_ip[48];             /* peer address, for rate limiting only */
	int64_t params[REQ_MAX_PARAMS]; /* {id} path parameters in order */
	int nparams;                    /* entries used in params */
	const struct route *route;      /* the matched route */
	struct db *db;                  /* the database */
	struct principal who;           /* the logged-in user, valid when logged_in */
	bool logged_in;                 /* a valid session was presented */
	bool by_cookie;                 /* the session came by cookie (CSRF applies) */
	int audit_writes;               /* audit records this request wrote */
	struct field_errors fe;         /* field errors for the answer */
	/* --- the response --- */
	int status;            /* HTTP status, 0 until set */
	const char *resp_type; /* Content-Type of out */
	struct strbuf out;     /* response body */
	struct strbuf headers; /* extra headers, "Name: value\n" lines */
	/* --- the first error, for the log (STYLE.md rule 7) --- */
	int err_code; /* the code of the first error */
	const char *err_file;
	int err_line;
	const char *err_func;
	/* --- server bookkeeping --- */
	void *conn;       /* struct MHD_Connection */
	int state;        /* server.c's state machine */
	int64_t start_us; /* monotonic start time */
	bool too_large;   /* the body passed the limit */
};

struct audit_entry;
/* Fills the audit fields of the acting user and request; action and entity left NULL. */
void req_audit_who(const struct req *r, struct audit_entry *e /* out */);

/* Appends one record of action on entity (entity_id) per person of persons (n may be 0) for the
 * acting user and request, durable before it returns, and counts them for the router's audit
 * invariant. 0 or the code (not yet recorded with REQ_FAIL). */
int req_audit_reads(struct req *r, const char *action, const char *entity, int64_t entity_id,
                    const int64_t *persons, int n);

/* Records where the first error of a request started and returns code (SQLite *_BKPT). */
int req_fail_at(struct req *r, int code, const char *file, int line, const char *func);
#define REQ_FAIL(r, code) req_fail_at((r), (code), __FILE__, __LINE__, __func__)

/* Query argument or form field by name; NULL when absent. Borrowed until the request ends. */
const char *req_query(const struct req *r, const char *name);
const char *req_form(const struct req *r, const char *name);
/* Query argument as a positive integer in [1, max]; dflt when absent; HERR_INVALID (and a field
 * error) when malformed. */
int req_query_int(struct req *r, const char *name, int64_t dflt, int64_t max, int64_t *out);

/* Sets a JSON response; takes the text of sb (sb is left empty). */
void req_json(struct req *r, int status, struct strbuf *sb);
/* Sets an HTML response; takes the text of sb. */
void req_html(struct req *r, int status, struct strbuf *sb);
/* Sets a 303 redirect to a local path. */
void req_redirect(struct req *r, const char *location);
/* Sets a 204 No Content. */
void req_no_content(struct req *r);
/* Adds a response header; refuses values with CR, LF or NUL (header_value of STYLE.md). */
void req_header(struct req *r, const char *name, const char *value);
/* Writes the problem+json (or the HTML error page) for code into the response. */
void req_problem(struct req *r, int code, const char *detail);

/* Decodes the JSON body against fields; on failure the error is set up for the edge:
 * return the code. Caller frees *out with json_decref(). */
int req_decode_json(struct req *r, const struct jfield *fields, size_t n, json_t **out);

/* Parses application/x-www-form-urlencoded text into kv pairs; used for forms and queries.
 * Returns the count or HERR_LIMIT. Keys and values are newly allocated. */
int http_parse_urlencoded(const char *text, size_t len, struct kv *out, int max);
/* Frees the keys and values of n pairs. */
void http_kv_release(struct kv *kv, int n);
/* Whether session cookies carry Secure (the server runs behind TLS). */
bool http_cookie_secure(void);

/* Server options and lifecycle. */
struct server_opts {
	const char *listen; /* "ADDR:PORT" */
	int net_threads;    /* libmicrohttpd thread pool size */
	int workers;        /* handler threads */
	size_t max_body;    /* bytes */
	bool cookie_secure; /* set Secure on cookies (behind TLS) */
};
/* Blocks SIGTERM and SIGINT in the calling thread and every thread it creates later, so that
 * only http_serve's sigwait() takes them. Call before any thread is started (the database
 * writer, the webhook delivery): a thread that does not block them would let the default
 * action end the process without a graceful stop. */
void http_block_stop_signals(void);
/* Serves until SIGTERM or SIGINT, then drains in-flight requests. Returns 0 or a code. */
int http_serve(struct db *db, const struct server_opts *opts);

/* Matches method and path; fills params. Returns the route, or NULL with *path_known set
 * when the path exists for other methods (405). */
const struct route *http_match(const char *method, const char *path, int64_t *params,
                               int *nparams /* out */, bool *path_known /* out */);

#endif
