/*
 * Webhook delivery of order events (docs/architecture.md, Providers; docs/operations.md): one
 * thread, started by hanna serve, looks for undelivered events in the outbox (order_events)
 * whose provider has a webhook address, posts each with libcurl, signs it with HMAC-SHA256, and
 * records every attempt. A 2xx marks the event delivered and it is never sent again; anything
 * else is retried after a backoff that doubles per attempt (base seconds, at most an hour).
 *
 * Several processes on one database (docs/operations.md, Webhooks): each thread posts one event
 * at a time, and before each post claims the event in a write job for LEASE_SECONDS
 * (order_events.claimed_until, claimed_by = this process, 0018_webhook_claim.sql); an event
 * another process holds is skipped. The write job that records the attempt ends the claim and
 * applies the outcome only while claimed_by still names this process. So an event is in flight
 * in at most one process while leases hold (a post and its recording take far less than the
 * lease), and delivery is at least once: a process that dies mid-post leaves its claim to run
 * out, and the event is posted again. A receiver deduplicates by X-Hanna-Event-Id. Order is
 * not guaranteed, neither across processes nor after a failure (a later event of the same
 * provider may arrive before the retry of an earlier one); a receiver that needs order reads
 * the event ids or the feed.
 *
 * The request: POST with the event's JSON (providers_event_json) and the headers
 * X-Hanna-Event-Id (the event id), X-Hanna-Timestamp (epoch seconds) and
 * X-Hanna-Signature: sha256=HEX, the HMAC-SHA256 keyed with the provider's webhook secret (its
 * text as given when the address was set) over "TIMESTAMP.BODY".
 *
 * Server-side request forgery: an address is refused at registration and again at every
 * delivery when its host resolves to any loopback, private, link-local or unspecified address
 * (providers_addr_public, rules.c). At delivery the checked address is pinned for libcurl
 * (CURLOPT_RESOLVE), so a second DNS answer cannot move the request elsewhere, and the socket
 * callback refuses any other address libcurl would connect to; proxies from the environment
 * are not used. hanna serve --webhook-allow-private (HANNA_WEBHOOK_ALLOW_PRIVATE=1) lifts the
 * refusal for tests and closed networks (docs/operations.md).
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/err.h"
#include "base/log.h"
#include "base/rand.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "base/xalloc.h"
#include "db/db.h"
#include "providers.h"
#include "providers_private.h"
#include "rules.h"

/* ---- where a webhook may go ------------------------------------------------------------ */

static atomic_bool allow_private;

void
providers_webhook_allow_private(bool allow)
{
	atomic_store(&allow_private, allow);
}

/* Whether a socket address may be reached by a webhook. */
static bool
sockaddr_ok(const struct sockaddr *sa)
{
	if (atomic_load(&allow_private))
		return true;
	if (sa->sa_family == AF_INET)
		return providers_addr_public(
		    4, (const unsigned char *)&((const struct sockaddr_in *)(const void *)sa)
		           ->sin_addr);
	if (sa->sa_family == AF_INET6)
		return providers_addr_public(
		    6, (const unsigned char *)&((const struct sockaddr_in6 *)(const void *)sa)
		           ->sin6_addr);
	return false;
}

enum webhook_fault
providers__webhook_check(const char *url, struct webhook_target *t)
{
	memset(t, 0, sizeof *t);
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	enum webhook_fault f = WEBHOOK_BAD_URL;
	if (!u || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK)
		goto out;
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)
		goto out;
	size_t n = strlen(host);
	t->literal6 = n > 2 && host[0] == '[' && host[n - 1] == ']';
	if (t->literal6)
		snprintf(t->host, sizeof t->host, "%.*s", (int)(n - 2), host + 1);
	else
		snprintf(t->host, sizeof t->host, "%s", host);
	t->port = atoi(port);
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
	struct addrinfo *res = NULL;
	if (strlen(t->host) >= sizeof t->host - 1 ||
	    getaddrinfo(t->host, NULL, &hints, &res) != 0 || !res) {
		f = WEBHOOK_UNRESOLVED;
		goto out;
	}
	f = WEBHOOK_OK;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next)
		if (!sockaddr_ok(ai->ai_addr))
			f = WEBHOOK_PRIVATE;
	const void *a =
	    res->ai_family == AF_INET
	        ? (const void *)&((struct sockaddr_in *)(void *)res->ai_addr)->sin_addr
	        : (const void *)&((struct sockaddr_in6 *)(void *)res->ai_addr)->sin6_addr;
	t->v6 = res->ai_family == AF_INET6;
	if (!inet_ntop(res->ai_family, a, t->addr, sizeof t->addr))
		f = WEBHOOK_UNRESOLVED;
	freeaddrinfo(res);
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return f;
}

const char *
providers__webhook_fault_message(enum webhook_fault f)
{
	switch (f) {
	case WEBHOOK_OK:
		return "";
	case WEBHOOK_BAD_URL:
		return "ska vara en http- eller https-adress";
	case WEBHOOK_UNRESOLVED:
		return "värdnamnet går inte att slå upp";
	case WEBHOOK_PRIVATE:
		break;
	}
	return "adressen leder till ett internt nät (loopback, privat, länklokal eller "
	       "ospecificerad adress) och tas inte emot";
}

/* libcurl's socket callback: refuses an address that is not allowed (a second line of defence
 * behind the pinned address). */
static curl_socket_t
open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	(void)arg;
	if (purpose != CURLSOCKTYPE_IPCXN || !sockaddr_ok(&a->addr))
		return CURL_SOCKET_BAD;
	return socket(a->family, a->socktype, a->protocol);
}

/* Events taken per look. */
#define BATCH 20

/* libcurl's limits on one post, in seconds: all of it, and the connection within that. */
#define POST_TIMEOUT 10L
#define CONNECT_TIMEOUT 5L

/* How long a claim on an event holds, in seconds. Between the claim and the write job that
 * records the outcome lie one getaddrinfo lookup (providers__webhook_check; with the
 * resolver's defaults at most 5 s per try, 2 tries per name server, 3 name servers: 30 s),
 * the post (at most POST_TIMEOUT) and the wait for the writer (milliseconds, a group commit):
 * about 40 s at worst. Three times that leaves room for a slow database and for clocks of two
 * hosts that differ by some seconds (the lease is compared with each process's clock). The
 * cost of a longer lease is the delay before another process retries the event of a process
 * that died mid-post. */
#define LEASE_SECONDS 120

struct providers_delivery {
	struct db *db;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;        /* set by providers_delivery_stop */
	int base_backoff; /* seconds */
	int poll_ms;      /* between looks */
	char me[128];     /* this process in claimed_by: "host/pid/16 random hex" */
};

/* One due event with its provider's address and secret. */
struct due {
	struct order_event ev;
	char url[501];
	char secret[65];
};

struct due_list {
	struct due items[BATCH];
	int n;
};

static void
collect(const struct order_event *ev, const char *url, const char *secret, void *arg)
{
	struct due_list *l = arg;
	if (l->n >= BATCH)
		return;
	struct due *d = &l->items[l->n++];
	d->ev = *ev;
	snprintf(d->url, sizeof d->url, "%s", url ? url : "");
	snprintf(d->secret, sizeof d->secret, "%s", secret ? secret : "");
}

/* Writes the lower-case hex HMAC-SHA256 of "ts.body" keyed with secret into out[65]. */
static void
sign(const char *secret, const char *ts, const char *body, size_t len, char out[65])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* Posts one event; returns the HTTP status, 0 when no answer came, with error set. */
static long
post(const struct due *d, char *error, size_t errlen)
{
	struct strbuf body;
	sb_init(&body, 0);
	providers_event_json(&body, &d->ev);
	char ts[24], sig[65];
	snprintf(ts, sizeof ts, "%lld", (long long)time_now());
	sign(d->secret, ts, body.buf, body.len, sig);
	struct strbuf h;
	sb_init(&h, 0);
	struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
	sb_addf(&h, "X-Hanna-Event-Id: %lld", (long long)d->ev.id);
	headers = curl_slist_append(headers, h.buf);
	sb_reset(&h);
	sb_addf(&h, "X-Hanna-Timestamp: %s", ts);
	headers = curl_slist_append(headers, h.buf);
	sb_reset(&h);
	sb_addf(&h, "X-Hanna-Signature: sha256=%s", sig);
	headers = curl_slist_append(headers, h.buf);
	long status = 0;
	char cerr[CURL_ERROR_SIZE] = "";
	struct webhook_target t;
	enum webhook_fault f = providers__webhook_check(d->url, &t);
	struct curl_slist *pin = NULL;
	if (f == WEBHOOK_OK && !t.literal6) {
		sb_reset(&h);
		if (t.v6)
			sb_addf(&h, "%s:%ld:[%s]", t.host, t.port, t.addr);
		else
			sb_addf(&h, "%s:%ld:%s", t.host, t.port, t.addr);
		pin = curl_slist_append(NULL, h.buf);
	}
	CURL *curl = f == WEBHOOK_OK ? curl_easy_init() : NULL;
	if (f == WEBHOOK_PRIVATE) {
		snprintf(error, errlen, "refused: the address is not public");
	} else if (f != WEBHOOK_OK) {
		snprintf(error, errlen, "cannot resolve the address");
	} else if (!curl) {
		snprintf(error, errlen, "cannot start libcurl");
	} else {
		curl_easy_setopt(curl, CURLOPT_RESOLVE, pin);
		curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_socket);
		curl_easy_setopt(curl, CURLOPT_PROXY, "");
		curl_easy_setopt(curl, CURLOPT_URL, d->url);
		curl_easy_setopt(curl, CURLOPT_POST, 1L);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.buf);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)body.len);
		curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(curl, CURLOPT_TIMEOUT, POST_TIMEOUT);
		curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT);
		curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
		curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, cerr);
		curl_easy_setopt(curl, CURLOPT_USERAGENT, "hanna-webhook/1");
		CURLcode cc = curl_easy_perform(curl);
		if (cc == CURLE_OK) {
			curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
			if (status < 200 || status > 299)
				snprintf(error, errlen, "answered %ld", status);
		} else {
			snprintf(error, errlen, "%s", cerr[0] ? cerr : curl_easy_strerror(cc));
		}
		curl_easy_cleanup(curl);
	}
	curl_slist_free_all(headers);
	curl_slist_free_all(pin);
	sb_release(&h);
	sb_release(&body);
	return status;
}

struct claim_job {
	const struct due *d; /* the event */
	const char *me;      /* this process */
	int64_t now;         /* the time of the claim */
	int64_t attempts;    /* out: the event's failed attempts so far */
};

static int
claim_run(struct db_conn *c, void *arg)
{
	struct claim_job *j = arg;
	return providers__event_claim(c, j->d->ev.tenant_id, j->d->ev.id, j->now,
	                              j->now + LEASE_SECONDS, j->me, &j->attempts);
}

struct attempt_job {
	const struct due *d;  /* the event */
	const char *me;       /* this process, which claimed it */
	int64_t now, next_at; /* the time of the outcome; the retry time if it failed */
	int status;           /* the HTTP status, 0 when no answer came */
	const char *error;    /* "" or what went wrong */
	bool delivered;       /* a 2xx came */
	bool applied;         /* out: the claim still held and the outcome was applied */
};

static int
attempt_run(struct db_conn *c, void *arg)
{
	struct attempt_job *j = arg;
	return providers__attempt(c, j->d->ev.tenant_id, j->d->ev.id, j->me, j->now, j->status,
	                          j->error, j->next_at, j->delivered, &j->applied);
}

/* Claims, posts and records one event. */
static void
deliver_one(struct providers_delivery *pd, struct due *d)
{
	struct claim_job cj = {.d = d, .me = pd->me, .now = time_now()};
	int rc = db_write(pd->db, claim_run, &cj);
	if (rc == HERR_NOT_FOUND)
		return; /* delivered meanwhile, or another process holds it */
	if (rc) {
		log_error("webhook: cannot claim event '%lld': %s", (long long)d->ev.id,
		          herr_message(rc));
		return;
	}
	d->ev.attempts = cj.attempts;
	char error[256] = "";
	long status = post(d, error, sizeof error);
	struct attempt_job j = {
	    .d = d, .me = pd->me, .now = time_now(), .status = (int)status, .error = error};
	j.delivered = status >= 200 && status <= 299;
	j.next_at = j.now + providers_backoff((int)d->ev.attempts + 1, pd->base_backoff);
	if (!j.delivered)
		log_info("webhook: event '%lld' to provider '%lld' failed (attempt %lld): %s",
		         (long long)d->ev.id, (long long)d->ev.provider_id,
		         (long long)d->ev.attempts + 1, error);
	rc = db_write(pd->db, attempt_run, &j);
	if (rc)
		log_error("webhook: cannot record attempt of event '%lld': %s", (long long)d->ev.id,
		          herr_message(rc));
	else if (!j.applied)
		log_warn("webhook: claim on event '%lld' ran out before its attempt was recorded "
		         "(%lld s); the outcome is not applied",
		         (long long)d->ev.id, (long long)(j.now - cj.now));
}

/* Delivers what is due now; returns how many events were tried. */
static int
deliver_due(struct providers_delivery *pd)
{
	struct due_list *l = xcalloc(1, sizeof *l);
	struct db_conn *c = db_reader(pd->db);
	int rc = providers__events_due(c, time_now(), BATCH, collect, l);
	db_reader_done(pd->db, c);
	if (rc)
		log_error("webhook: cannot read the outbox: %s", herr_message(rc));
	int n = l->n;
	for (int i = 0; i < l->n; i++) {
		deliver_one(pd, &l->items[i]);
		pthread_mutex_lock(&pd->mu);
		bool stop = pd->stop;
		pthread_mutex_unlock(&pd->mu);
		if (stop)
			break;
	}
	free(l);
	return n;
}

static void *
delivery_main(void *arg)
{
	struct providers_delivery *pd = arg;
	for (;;) {
		int tried = deliver_due(pd);
		pthread_mutex_lock(&pd->mu);
		if (!pd->stop && tried < BATCH) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += pd->poll_ms / 1000;
			until.tv_nsec += (long)(pd->poll_ms % 1000) * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			while (!pd->stop &&
			       pthread_cond_timedwait(&pd->cv, &pd->mu, &until) != ETIMEDOUT)
				;
		}
		bool stop = pd->stop;
		pthread_mutex_unlock(&pd->mu);
		if (stop)
			break;
	}
	return NULL;
}

struct providers_delivery *
providers_delivery_start(struct db *db, int base_backoff, int poll_ms)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
	struct providers_delivery *pd = xcalloc(1, sizeof *pd);
	pd->db = db;
	pd->base_backoff = base_backoff > 0 ? base_backoff : 30;
	pd->poll_ms = poll_ms > 0 ? poll_ms : 1000;
	char host[64] = "", rnd[17];
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "unknown");
	host[sizeof host - 1] = '\0';
	rand_hex(rnd, 8);
	snprintf(pd->me, sizeof pd->me, "%s/%ld/%s", host, (long)getpid(), rnd);
	pthread_mutex_init(&pd->mu, NULL);
	pthread_cond_init(&pd->cv, NULL);
	if (pthread_create(&pd->thread, NULL, delivery_main, pd) != 0) {
		log_error("webhook: cannot start the delivery thread");
		pthread_cond_destroy(&pd->cv);
		pthread_mutex_destroy(&pd->mu);
		free(pd);
		return NULL;
	}
	log_info("webhook: delivery started as '%s' (backoff %d s, poll %d ms, lease %d s)", pd->me,
	         pd->base_backoff, pd->poll_ms, LEASE_SECONDS);
	return pd;
}

void
providers_delivery_stop(struct providers_delivery *pd)
{
	if (!pd)
		return;
	pthread_mutex_lock(&pd->mu);
	pd->stop = true;
	pthread_cond_broadcast(&pd->cv);
	pthread_mutex_unlock(&pd->mu);
	pthread_join(pd->thread, NULL);
	pthread_cond_destroy(&pd->cv);
	pthread_mutex_destroy(&pd->mu);
	free(pd);
	curl_global_cleanup();
}
