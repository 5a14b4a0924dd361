/*
 * Webhook delivery of order events (docs/architecture.md, Providers; docs/operations.md): one
 * thread, started by hanna serve, looks for undelivered events in the outbox (order_events)
 * whose provider has a webhook address, posts each with libcurl, signs it with HMAC-SHA256, and
 * records every attempt. A 2xx marks the event delivered and it is never sent again; anything
 * else is retried after a backoff that doubles per attempt (base seconds, at most an hour).
 * Events are sent one at a time in id order, so an event id is never in flight twice.
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

#include "base/err.h"
#include "base/log.h"
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
		    4, (const unsigned char *)&((const struct sockaddr_in *)(const void *)sa)->sin_addr);
	if (sa->sa_family == AF_INET6)
		return providers_addr_public(
		    6,
		    (const unsigned char *)&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr);
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
	if (strlen(t->host) >= sizeof t->host - 1 || getaddrinfo(t->host, NULL, &hints, &res) != 0 ||
	    !res) {
		f = WEBHOOK_UNRESOLVED;
		goto out;
	}
	f = WEBHOOK_OK;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next)
		if (!sockaddr_ok(ai->ai_addr))
			f = WEBHOOK_PRIVATE;
	const void *a = res->ai_family == AF_INET
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

struct providers_delivery {
	struct db *db;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;        /* set by providers_delivery_stop */
	int base_backoff; /* seconds */
	int poll_ms;      /* between looks */
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
		curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
		curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 5L);
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

struct attempt_job {
	const struct due *d;
	int64_t now, next_at;
	int status;
	const char *error;
	bool delivered;
};

static int
attempt_run(struct db_conn *c, void *arg)
{
	struct attempt_job *j = arg;
	return providers__attempt(c, j->d->ev.tenant_id, j->d->ev.id, j->now, j->status, j->error,
				  j->next_at, j->delivered);
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
		struct due *d = &l->items[i];
		char error[256] = "";
		long status = post(d, error, sizeof error);
		struct attempt_job j = {.d = d, .now = time_now(), .status = (int)status,
					.error = error};
		j.delivered = status >= 200 && status <= 299;
		j.next_at = j.now + providers_backoff((int)d->ev.attempts + 1, pd->base_backoff);
		if (!j.delivered)
			log_info("webhook: event '%lld' to provider '%lld' failed (attempt %lld): %s",
				 (long long)d->ev.id, (long long)d->ev.provider_id,
				 (long long)d->ev.attempts + 1, error);
		rc = db_write(pd->db, attempt_run, &j);
		if (rc)
			log_error("webhook: cannot record attempt of event '%lld': %s",
				  (long long)d->ev.id, herr_message(rc));
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
	pthread_mutex_init(&pd->mu, NULL);
	pthread_cond_init(&pd->cv, NULL);
	if (pthread_create(&pd->thread, NULL, delivery_main, pd) != 0) {
		log_error("webhook: cannot start the delivery thread");
		pthread_cond_destroy(&pd->cv);
		pthread_mutex_destroy(&pd->mu);
		free(pd);
		return NULL;
	}
	log_info("webhook: delivery started (backoff %d s, poll %d ms)", pd->base_backoff,
		 pd->poll_ms);
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
