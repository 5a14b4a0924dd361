/*
 * The HTTP server: libmicrohttpd with an internal epoll thread pool does the network work; the
 * handlers run on a pool of worker threads, so that a handler waiting for a durable group
 * commit never holds up a network thread. A request is read on the network thread, its
 * connection suspended and handed to a worker; the worker runs the route and resumes the
 * connection, and the network thread queues the response on the next call (the two-call
 * pattern of ARCHITECTURE.md keeps keep-alive connections open). Design: docs/architecture.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "base/err.h"
#include "base/log.h"
#include "base/rand.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "http.h"
#include "http_private.h"

enum { ST_READING = 0, ST_RUNNING, ST_DONE, ST_SENT };

struct server {
	struct MHD_Daemon *daemon;
	struct db *db;
	const struct server_opts *opts;
	pthread_t *workers;
	int nworkers;
	pthread_mutex_t mu;
	pthread_cond_t cv;      /* workers wait for requests */
	pthread_cond_t idle_cv; /* shutdown waits for in-flight requests */
	struct wq {
		struct req *r;
		struct wq *next;
	} * head, *tail;
	int active; /* requests taken in (first call) and not yet completed or aborted */
	int fresh;  /* connections accepted that have not begun a request yet */
	/* Sockets handed to MHD at shutdown (drain_backlog) that MHD has not started yet: the
	 * network threads take them in later, and a shutdown must not overtake them. */
	int *adopting;
	int nadopting;
	bool stopping;
};

/* Per connection (MHD's socket context): whether it has begun a request. */
struct conn_state {
	bool begun;
};

/* ---- request life ------------------------------------------------------------------- */

static struct req *
req_new(struct server *s, const char *method, const char *url, struct MHD_Connection *conn)
{
	struct req *r = xcalloc(1, sizeof *r);
	snprintf(r->method, sizeof r->method, "%s", method);
	r->path = xstrdup(url);
	rand_hex(r->request_id, 8);
	sb_init(&r->body, s->opts->max_body + 1);
	sb_init(&r->out, 0);
	sb_init(&r->headers, 16384);
	r->db = s->db;
	r->conn = conn;
	r->start_us = time_mono_us();
	return r;
}

static void
req_free(struct req *r)
{
	sb_release(&r->body);
	sb_release(&r->out);
	sb_release(&r->headers);
	http_kv_release(r->query, r->nquery);
	http_kv_release(r->form, r->nform);
	free(r->path);
	free(r->authorization);
	free(r->cookie_token);
	free(r->content_type);
	free(r->csrf_header);
	free(r->idempotency_key);
	free(r->filename);
	free(r);
}

static char *
header_dup(struct MHD_Connection *c, const char *name)
{
	const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
	return v ? xstrdup(v) : NULL;
}

static enum MHD_Result
collect_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	struct req *r = cls;
	if (r->nquery >= REQ_MAX_QUERY)
		return MHD_NO;
	r->query[r->nquery].key = xstrdup(key);
	r->query[r->nquery].value = xstrdup(value ? value : "");
	r->nquery++;
	return MHD_YES;
}

/* Copies what the handler needs out of libmicrohttpd's connection, on the network thread. */
static void
req_collect(struct req *r, struct MHD_Connection *c)
{
	r->authorization = header_dup(c, MHD_HTTP_HEADER_AUTHORIZATION);
	r->content_type = header_dup(c, MHD_HTTP_HEADER_CONTENT_TYPE);
	r->csrf_header = header_dup(c, "X-CSRF-Token");
	r->idempotency_key = header_dup(c, "Idempotency-Key");
	r->filename = header_dup(c, "X-Filename");
	const char *tok = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, HTTP_SESSION_COOKIE);
	if (tok)
		r->cookie_token = xstrdup(tok);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_query, r);
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET,
			          &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
			          r->client_ip, sizeof r->client_ip);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
			          &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
			          r->client_ip, sizeof r->client_ip);
	}
}

/*
 * Security headers of every answer. A script's own Content-Security-Policy governs what it
 * may do when it runs as a worker (the phone page's service worker fetches and imports from
 * this origin), so scripts get 'self' where other non-HTML answers get 'none'.
 */
static void
add_security_headers(struct MHD_Response *resp, bool html, bool script)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy",
	                        "camera=(), microphone=(), geolocation=(), payment=()");
	MHD_add_response_header(
	    resp, "Content-Security-Policy",
	    html     ? "default-src 'self'; img-src 'self' data:; style-src 'self';"
	               " script-src 'self'; object-src 'none'; base-uri 'none';"
	               " form-action 'self'; frame-ancestors 'none'"
	    : script ? "default-src 'self'; object-src 'none'; frame-ancestors 'none'"
	             : "default-src 'none'; frame-ancestors 'none'");
}

static enum MHD_Result
send_response(struct req *r, struct MHD_Connection *c)
{
	size_t len;
	char *body = sb_detach(&r->out, &len);
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	bool html = r->resp_type && strncmp(r->resp_type, "text/html", 9) == 0;
	if (r->resp_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->resp_type);
	MHD_add_response_header(resp, "X-Request-Id", r->request_id);
	bool script = r->resp_type && strncmp(r->resp_type, "text/javascript", 15) == 0;
	add_security_headers(resp, html, script);
	if (!strstr(r->headers.buf, "Cache-Control:"))
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	/* Extra headers: "Name: value\n" lines, values checked when added. */
	char *line = r->headers.buf;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		char *colon = strchr(line, ':');
		if (colon) {
			*colon = '\0';
			MHD_add_response_header(resp, line, colon + 2);
		}
		line = nl + 1;
	}
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* ---- workers ------------------------------------------------------------------------ */

static void *
worker_main(void *arg)
{
	struct server *s = arg;
	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (!s->head && !s->stopping)
			pthread_cond_wait(&s->cv, &s->mu);
		if (!s->head)
			break;
		struct wq *w = s->head;
		s->head = w->next;
		if (!s->head)
			s->tail = NULL;
		pthread_mutex_unlock(&s->mu);

		struct req *r = w->r;
		free(w);
		http__dispatch(r);
		r->state = ST_DONE;
		MHD_resume_connection(r->conn);

		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static void
submit(struct server *s, struct req *r)
{
	struct wq *w = xmalloc(sizeof *w);
	w->r = r;
	w->next = NULL;
	pthread_mutex_lock(&s->mu);
	if (s->tail)
		s->tail->next = w;
	else
		s->head = w;
	s->tail = w;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/* ---- libmicrohttpd callbacks -------------------------------------------------------- */

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_size, void **ctx)
{
	(void)version;
	struct server *s = cls;
	struct req *r = *ctx;
	if (!r) {
		/* First call: only set up, answer on a later call (keeps keep-alive working). */
		*ctx = req_new(s, method, url, c);
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
		struct conn_state *cs = ci ? ci->socket_context : NULL;
		pthread_mutex_lock(&s->mu);
		s->active++;
		if (cs && !cs->begun) {
			cs->begun = true;
			s->fresh--;
		}
		pthread_mutex_unlock(&s->mu);
		return MHD_YES;
	}
	if (r->state == ST_READING) {
		if (*upload_size) {
			if (r->body.len + *upload_size > s->opts->max_body)
				r->too_large = true;
			else
				sb_add(&r->body, upload_data, *upload_size);
			*upload_size = 0;
			return MHD_YES;
		}
		req_collect(r, c);
		if (r->too_large) {
			req_problem(r, HERR_TOO_LARGE, "the body is larger than the limit");
			r->state = ST_SENT;
			return send_response(r, c);
		}
		if (http__prepare(r) == 0 && r->route && (r->route->flags & R_INLINE) &&
		    r->status == 0) {
			http__dispatch(r);
		}
		if (r->status != 0) {
			r->state = ST_SENT;
			return send_response(r, c);
		}
		r->state = ST_RUNNING;
		MHD_suspend_connection(c);
		submit(s, r);
		return MHD_YES;
	}
	if (r->state == ST_DONE) {
		r->state = ST_SENT;
		return send_response(r, c);
	}
	return MHD_NO;
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **ctx, enum MHD_RequestTerminationCode toe)
{
	(void)c;
	struct server *s = cls;
	struct req *r = *ctx;
	if (!r)
		return;
	int64_t us = time_mono_us() - r->start_us;
	/* No personal data: the route pattern, never the path or the query. */
	if (r->err_file)
		log_info("http: %s %s %s %d %lldus%s err=%s at %s:%d %s", r->request_id, r->method,
		         r->route ? r->route->pattern : "-", r->status, (long long)us,
		         toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted",
		         herr_name(r->err_code), r->err_file, r->err_line, r->err_func);
	else
		log_info("http: %s %s %s %d %lldus%s", r->request_id, r->method,
		         r->route ? r->route->pattern : "-", r->status, (long long)us,
		         toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
	req_free(r);
	*ctx = NULL;
	pthread_mutex_lock(&s->mu);
	if (--s->active == 0)
		pthread_cond_broadcast(&s->idle_cv);
	pthread_mutex_unlock(&s->mu);
}

/* Forgets fd among the sockets handed to MHD at shutdown; s->mu is held. */
static void
adopting_remove(struct server *s, int fd)
{
	for (int i = 0; i < s->nadopting; i++)
		if (s->adopting[i] == fd) {
			s->adopting[i] = s->adopting[--s->nadopting];
			return;
		}
}

/* Counts the connections that have not begun a request, so that a shutdown waits for them. */
static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
              enum MHD_ConnectionNotificationCode code)
{
	struct server *s = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		*socket_ctx = xcalloc(1, sizeof(struct conn_state));
		pthread_mutex_lock(&s->mu);
		s->fresh++;
		if (s->nadopting > 0) {
			const union MHD_ConnectionInfo *ci =
			    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
			if (ci)
				adopting_remove(s, ci->connect_fd);
		}
		pthread_mutex_unlock(&s->mu);
		return;
	}
	struct conn_state *cs = *socket_ctx;
	if (!cs)
		return;
	pthread_mutex_lock(&s->mu);
	if (!cs->begun && --s->fresh == 0)
		pthread_cond_broadcast(&s->idle_cv);
	pthread_mutex_unlock(&s->mu);
	free(cs);
	*socket_ctx = NULL;
}

/* After MHD_quiesce_daemon: takes in every connection whose handshake the kernel completed
 * before the listening socket closes, so that a client that sent its request before the
 * signal is answered rather than reset. Closes the listening socket. Returns how many. */
static int
drain_backlog(struct server *s, MHD_socket ls)
{
	int n = 0;
	int fl = fcntl(ls, F_GETFL);
	if (fl >= 0)
		fcntl(ls, F_SETFL, fl | O_NONBLOCK);
	for (;;) {
		struct sockaddr_storage addr;
		socklen_t len = sizeof addr;
		int fd = accept4(ls, (struct sockaddr *)&addr, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			break;
		}
		pthread_mutex_lock(&s->mu);
		s->adopting = xrealloc(s->adopting, (size_t)(s->nadopting + 1) * sizeof(int));
		s->adopting[s->nadopting++] = fd;
		pthread_mutex_unlock(&s->mu);
		if (MHD_add_connection(s->daemon, fd, (struct sockaddr *)&addr, len) != MHD_YES) {
			log_warn("serve: a connection waiting at shutdown could not be taken in");
			pthread_mutex_lock(&s->mu); /* MHD closed it: nothing to wait for */
			adopting_remove(s, fd);
			pthread_mutex_unlock(&s->mu);
			continue;
		}
		n++;
	}
	close(ls);
	return n;
}

/* Waits until no request is in progress and no taken-in connection is still to begin one
 * (or to be started by MHD); a connection that sends nothing is waited for at most
 * FRESH_WAIT_S, everything at most DRAIN_WAIT_S. */
enum { FRESH_WAIT_S = 2, DRAIN_WAIT_S = 10 };

static void
wait_idle(struct server *s)
{
	struct timespec fresh_until, until;
	clock_gettime(CLOCK_REALTIME, &until);
	fresh_until = until;
	fresh_until.tv_sec += FRESH_WAIT_S;
	until.tv_sec += DRAIN_WAIT_S;
	pthread_mutex_lock(&s->mu);
	while (s->active > 0 || s->fresh > 0 || s->nadopting > 0) {
		bool for_requests = s->active > 0;
		if (pthread_cond_timedwait(&s->idle_cv, &s->mu,
		                           for_requests ? &until : &fresh_until) == 0)
			continue;
		/* Timed out: give up on the silent connections, or on everything. */
		if (for_requests || s->active == 0)
			break;
	}
	if (s->active > 0 || s->fresh > 0 || s->nadopting > 0)
		log_warn("serve: stopping with %d requests unfinished and %d silent connections",
		         s->active, s->fresh + s->nadopting);
	pthread_mutex_unlock(&s->mu);
}

static void
on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char buf[512];
	vsnprintf(buf, sizeof buf, fmt, ap);
	size_t n = strlen(buf);
	while (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	log_warn("http: libmicrohttpd: %s", buf);
}

/* ---- serve --------------------------------------------------------------------------- */

static int
parse_listen(const char *listen, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof host)
		return HERR_INVALID;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return HERR_INVALID;
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return HERR_INVALID;
	return 0;
}

static void
stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
}

void
http_block_stop_signals(void)
{
	sigset_t set;
	stop_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int
http_serve(struct db *db, const struct server_opts *opts)
{
	struct sockaddr_in sa;
	if (parse_listen(opts->listen, &sa) != 0) {
		log_error("serve: cannot use listen address '%s': expected ADDR:PORT",
		          opts->listen);
		return HERR_INVALID;
	}
	struct server s = {.db = db, .opts = opts};
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.cv, NULL);
	pthread_cond_init(&s.idle_cv, NULL);
	http__set_options(opts);

	/* SIGTERM and SIGINT are blocked in every thread and taken by sigwait() below, so no
	 * worker or network thread can swallow them (threads started before this call are
	 * covered by http_block_stop_signals in the caller). */
	sigset_t stop_set;
	stop_signals(&stop_set);
	pthread_sigmask(SIG_BLOCK, &stop_set, NULL);
	signal(SIGPIPE, SIG_IGN);

	s.nworkers = opts->workers > 0 ? opts->workers : 64;
	s.workers = xcalloc((size_t)s.nworkers, sizeof *s.workers);
	for (int i = 0; i < s.nworkers; i++)
		pthread_create(&s.workers[i], NULL, worker_main, &s);

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG | MHD_USE_TURBO;
	s.daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, &s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
	    (unsigned)(opts->net_threads > 0 ? opts->net_threads : 2), MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned)4096, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024, MHD_OPTION_NOTIFY_COMPLETED,
	    on_completed, &s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, &s, MHD_OPTION_END);
	int rc = 0;
	if (!s.daemon) {
		log_error("serve: cannot listen on '%s'", opts->listen);
		rc = HERR_IO;
	} else {
		log_info("serve: listening on http://%s (%s, %d workers)", opts->listen,
		         db_kind(db) == DB_SQLITE ? "sqlite" : "postgresql", s.nworkers);
		int sig = 0;
		sigwait(&stop_set, &sig);
		log_info("serve: signal %d, finishing in-flight requests", sig);
		/* Stop accepting, take in what already waits, let it finish (bounded), then stop.
		 */
		MHD_socket ls = MHD_quiesce_daemon(s.daemon);
		if (ls != MHD_INVALID_SOCKET) {
			int n = drain_backlog(&s, ls);
			if (n)
				log_info("serve: took in %d waiting connections", n);
		}
		wait_idle(&s);
		MHD_stop_daemon(s.daemon);
	}
	pthread_mutex_lock(&s.mu);
	s.stopping = true;
	pthread_cond_broadcast(&s.cv);
	pthread_mutex_unlock(&s.mu);
	for (int i = 0; i < s.nworkers; i++)
		pthread_join(s.workers[i], NULL);
	free(s.workers);
	free(s.adopting);
	log_info("serve: stopped");
	return rc;
}
