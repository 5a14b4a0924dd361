/*
 * The router: matches a request to the route table, then authenticates, authorises and checks
 * the CSRF token before the handler runs (Redis processCommand, STYLE.md rule 14), and turns
 * a handler's error code into the answer. Also the response helpers of http.h.
 */
#include <ctype.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "base/multipart.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "http.h"
#include "http_private.h"
#include "web/web.h"

static bool cookie_secure;

void
http__set_options(const struct server_opts *opts)
{
	cookie_secure = opts->cookie_secure;
}

bool
http_cookie_secure(void)
{
	return cookie_secure;
}

/* ---- matching ------------------------------------------------------------------------ */

/* Matches one pattern against a path; fills params on success. */
static bool
match_one(const char *pat, const char *path, int64_t *params, int *nparams)
{
	int n = 0;
	while (*pat && *path) {
		if (*pat != '/' || *path != '/')
			return false;
		pat++;
		path++;
		const char *pe = strchr(pat, '/');
		size_t plen = pe ? (size_t)(pe - pat) : strlen(pat);
		const char *se = strchr(path, '/');
		size_t slen = se ? (size_t)(se - path) : strlen(path);
		if (plen > 2 && pat[0] == '{' && pat[plen - 1] == '}') {
			if (slen == 0)
				return false;
			if (plen == 4 && memcmp(pat, "{id}", 4) == 0) {
				if (slen > 15 || n >= REQ_MAX_PARAMS)
					return false;
				int64_t v = 0;
				for (size_t i = 0; i < slen; i++) {
					if (!isdigit((unsigned char)path[i]))
						return false;
					v = v * 10 + (path[i] - '0');
				}
				params[n++] = v;
			}
		} else if (plen != slen || memcmp(pat, path, plen) != 0) {
			return false;
		}
		pat += plen;
		path += slen;
	}
	if (*pat || *path)
		return false;
	*nparams = n;
	return true;
}

const struct route *
http_match(const char *method, const char *path, int64_t *params, int *nparams, bool *path_known)
{
	*path_known = false;
	for (int i = 0; i < http_nroutes; i++) {
		const struct route *rt = &http_routes[i];
		int64_t p[REQ_MAX_PARAMS];
		int np = 0;
		if (!match_one(rt->pattern, path, p, &np))
			continue;
		bool head_ok = strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0;
		if (strcmp(rt->method, method) != 0 && !head_ok) {
			*path_known = true;
			continue;
		}
		memcpy(params, p, sizeof p);
		*nparams = np;
		return rt;
	}
	return NULL;
}

static bool
wants_html(const struct req *r)
{
	return strncmp(r->path, "/api/", 5) != 0 && strcmp(r->path, "/healthz") != 0 &&
	       strcmp(r->path, "/readyz") != 0;
}

int
http__prepare(struct req *r)
{
	bool known;
	r->route = http_match(r->method, r->path, r->params, &r->nparams, &known);
	if (r->route)
		return 0;
	int code = known ? HERR_METHOD : HERR_NOT_FOUND;
	if (wants_html(r))
		web_error_page(r, code, NULL);
	else
		req_problem(r, code, NULL);
	if (known) {
		/* RFC 9110 15.5.6: a 405 lists the methods the resource supports. */
		struct strbuf allow;
		sb_init(&allow, 128);
		for (int i = 0; i < http_nroutes; i++) {
			int64_t p[REQ_MAX_PARAMS];
			int np = 0;
			if (!match_one(http_routes[i].pattern, r->path, p, &np))
				continue;
			if (allow.len)
				sb_adds(&allow, ", ");
			sb_adds(&allow, http_routes[i].method);
			if (strcmp(http_routes[i].method, "GET") == 0)
				sb_adds(&allow, ", HEAD");
		}
		req_header(r, "Allow", allow.buf);
		sb_release(&allow);
	}
	return code;
}

/* ---- authentication and authorisation ----------------------------------------------- */

static const char *
bearer_token(const struct req *r)
{
	if (!r->authorization)
		return NULL;
	if (strncasecmp(r->authorization, "Bearer ", 7) != 0)
		return NULL;
	return r->authorization + 7;
}

/* Loads the session named by the bearer token or cookie, if any. */
static int
authenticate(struct req *r)
{
	const char *tok = bearer_token(r);
	bool cookie = false;
	if (!tok && r->cookie_token) {
		tok = r->cookie_token;
		cookie = true;
	}
	int rc;
	if (tok && !cookie && auth_is_api_token(tok)) {
		rc = auth_api_token(r->db, tok, &r->who);
		if (rc == 0)
			r->logged_in = true;
	} else {
		if (!tok || strlen(tok) != 64)
			return 0;
		rc = auth_session(r->db, tok, &r->who);
		if (rc == 0) {
			r->logged_in = true;
			r->by_cookie = cookie;
		}
	}
	/* A session that could not be looked up is not a missing login: the database is away
	 * (for a moment, while a lost connection is replaced). */
	return rc == 0 || rc == HERR_UNAUTHENTICATED ? 0 : REQ_FAIL(r, HERR_UNAVAILABLE);
}

static bool
csrf_ok(const struct req *r)
{
	const char *t = r->csrf_header ? r->csrf_header : req_form(r, "csrf");
	if (!t || strlen(t) != 64 || strlen(r->who.csrf) != 64)
		return false;
	return sodium_memcmp(t, r->who.csrf, 64) == 0;
}

static bool
is_form(const struct req *r)
{
	return r->content_type &&
	       strncasecmp(r->content_type, "application/x-www-form-urlencoded", 33) == 0;
}

/* Collects one part of a multipart form: text fields into r->form, the one file into
 * r->upload. */
static int
form_part(const struct multipart_part *p, void *arg)
{
	struct req *r = arg;
	if (p->is_file) {
		if (r->upload.present)
			return HERR_LIMIT;
		struct upload *u = &r->upload;
		u->present = true;
		memcpy(u->field, p->name, sizeof u->field);
		memcpy(u->filename, p->filename, sizeof u->filename);
		memcpy(u->content_type, p->content_type, sizeof u->content_type);
		u->data = p->data;
		u->len = p->len;
		return 0;
	}
	if (r->nform >= REQ_MAX_FORM)
		return HERR_LIMIT;
	if (p->len > REQ_MAX_JSON)
		return HERR_TOO_LARGE;
	struct kv *kv = &r->form[r->nform++];
	kv->key = xstrdup(p->name);
	kv->value = xmalloc(p->len + 1);
	memcpy(kv->value, p->data, p->len);
	kv->value[p->len] = '\0';
	/* A NUL inside a text field would cut it short unseen: refuse it. */
	if (memchr(p->data, '\0', p->len))
		return HERR_MALFORMED;
	return 0;
}

/* Decodes the body of an R_FORM route into r->form (and r->upload for R_UPLOAD): urlencoded
 * up to REQ_MAX_JSON, or multipart/form-data up to the server's body limit when the route
 * takes a file. Returns 0 or a code already recorded with REQ_FAIL. */
static int
decode_form(struct req *r)
{
	if (r->body.len == 0)
		return 0;
	if ((r->route->flags & R_UPLOAD) && r->content_type &&
	    strncasecmp(r->content_type, "multipart/form-data", 19) == 0) {
		char boundary[MULTIPART_MAX_BOUNDARY + 1];
		int rc = multipart_boundary(r->content_type, boundary);
		if (rc == 0)
			rc = multipart_parse(r->body.buf, r->body.len, boundary, form_part, r);
		return rc ? REQ_FAIL(r, rc) : 0;
	}
	if (!is_form(r))
		return REQ_FAIL(r, HERR_MEDIA_TYPE);
	if (r->body.len > REQ_MAX_JSON)
		return REQ_FAIL(r, HERR_TOO_LARGE);
	int n = http_parse_urlencoded(r->body.buf, r->body.len, r->form, REQ_MAX_FORM);
	if (n < 0)
		return REQ_FAIL(r, HERR_LIMIT);
	r->nform = n;
	return 0;
}

static void
fail(struct req *r, int code)
{
	if (r->route && (r->route->flags & R_HTML))
		web_error_page(r, code, NULL);
	else
		req_problem(r, code, NULL);
}

void
http__dispatch(struct req *r)
{
	const struct route *rt = r->route;
	if (!(rt->flags & R_INLINE) && authenticate(r) != 0) {
		fail(r, HERR_UNAVAILABLE);
		return;
	}
	if (rt->perm != PERM_PUBLIC) {
		if (!r->logged_in) {
			if (rt->flags & R_HTML) {
				req_redirect(r, "/logga-in");
				return;
			}
			fail(r, REQ_FAIL(r, HERR_UNAUTHENTICATED));
			return;
		}
		if (!auth_permits(&r->who, rt->perm)) {
			fail(r, REQ_FAIL(r, HERR_FORBIDDEN));
			return;
		}
	}
	if (rt->flags & R_FORM) {
		int rc = decode_form(r);
		if (rc) {
			fail(r, rc);
			return;
		}
	}
	bool safe = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
	if (r->logged_in && r->by_cookie && !safe && !csrf_ok(r)) {
		fail(r, REQ_FAIL(r, HERR_CSRF));
		return;
	}
	int rc = rt->fn(r);
	if (rc < 0) {
		if (!r->err_file)
			REQ_FAIL(r, rc);
		fail(r, rc);
		return;
	}
	/* Security invariant kept in release builds: person data answered means audited. */
	if ((rt->flags & R_AUDIT) && r->status >= 200 && r->status < 300 && r->audit_writes == 0) {
		log_error("http: route '%s %s' answered %d without an audit record", rt->method,
		          rt->pattern, r->status);
		sb_reset(&r->out);
		sb_reset(&r->headers);
		r->status = 0;
		fail(r, REQ_FAIL(r, HERR_INTERNAL));
	}
}

/* ---- request helpers ----------------------------------------------------------------- */

void
req_audit_who(const struct req *r, struct audit_entry *e)
{
	memset(e, 0, sizeof *e);
	e->tenant_id = r->who.tenant_id;
	e->user_id = r->who.user_id;
	e->username = r->who.username;
	e->role = r->who.roles_text;
	e->request_id = r->request_id;
}

int
req_audit_reads(struct req *r, const char *action, const char *entity, int64_t entity_id,
                const int64_t *persons, int n)
{
	struct audit_entry e;
	req_audit_who(r, &e);
	e.action = action;
	e.entity = entity;
	e.entity_id = entity_id;
	int rc = audit_reads(r->db, &e, persons, n);
	if (rc == 0)
		r->audit_writes += n;
	return rc;
}

int
req_fail_at(struct req *r, int code, const char *file, int line, const char *func)
{
	if (!r->err_file) {
		r->err_code = code;
		r->err_file = file;
		r->err_line = line;
		r->err_func = func;
	}
	return code;
}

static const char *
kv_get(const struct kv *kv, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(kv[i].key, name) == 0)
			return kv[i].value;
	return NULL;
}

const char *
req_query(const struct req *r, const char *name)
{
	return kv_get(r->query, r->nquery, name);
}

const char *
req_form(const struct req *r, const char *name)
{
	return kv_get(r->form, r->nform, name);
}

int
req_query_int(struct req *r, const char *name, int64_t dflt, int64_t max, int64_t *out)
{
	const char *v = req_query(r, name);
	if (!v || !*v) {
		*out = dflt;
		return 0;
	}
	char *end;
	long long n = strtoll(v, &end, 10);
	if (*end || n < 1 || n > max) {
		field_error_add(&r->fe, name, "ska vara ett positivt heltal inom gränsen");
		return REQ_FAIL(r, HERR_INVALID);
	}
	*out = n;
	return 0;
}

void
req_json(struct req *r, int status, struct strbuf *sb)
{
	r->status = status;
	r->resp_type = "application/json; charset=utf-8";
	sb_release(&r->out);
	r->out = *sb;
	sb_init(sb, sb->limit);
}

void
req_html(struct req *r, int status, struct strbuf *sb)
{
	r->status = status;
	r->resp_type = "text/html; charset=utf-8";
	sb_release(&r->out);
	r->out = *sb;
	sb_init(sb, sb->limit);
}

void
req_header(struct req *r, const char *name, const char *value)
{
	if (strpbrk(value, "\r\n") || strpbrk(name, "\r\n: "))
		return;
	sb_adds(&r->headers, name);
	sb_adds(&r->headers, ": ");
	sb_adds(&r->headers, value);
	sb_addc(&r->headers, '\n');
}

void
req_redirect(struct req *r, const char *location)
{
	/* Only local paths: never an open redirect. */
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\')
		location = "/";
	r->status = 303;
	r->resp_type = "text/plain; charset=utf-8";
	sb_reset(&r->out);
	req_header(r, "Location", location);
}

void
req_no_content(struct req *r)
{
	r->status = 204;
	r->resp_type = NULL;
	sb_reset(&r->out);
}

static void
problem_type(struct strbuf *sb, int code)
{
	sb_adds(sb, "urn:hanna:problem:");
	for (const char *p = herr_name(code); *p; p++)
		sb_addc(sb, *p == '_' ? '-' : (char)tolower((unsigned char)*p));
}

void
req_problem(struct req *r, int code, const char *detail)
{
	struct strbuf sb, type;
	sb_init(&sb, 0);
	sb_init(&type, 256);
	problem_type(&type, code);
	int status = herr_status(code);
	sb_adds(&sb, "{\"type\":");
	json_str(&sb, type.buf);
	sb_adds(&sb, ",\"title\":");
	json_str(&sb, herr_message(code));
	sb_addf(&sb, ",\"status\":%d,\"detail\":", status);
	if (detail)
		json_str(&sb, detail);
	else if (r->fe.n && r->fe.items[0].field[0] == '\0')
		json_str(&sb, r->fe.items[0].message);
	else if (r->fe.n)
		json_str(&sb, "see errors");
	else
		json_str(&sb, herr_message(code));
	sb_adds(&sb, ",\"request_id\":");
	json_str(&sb, r->request_id);
	if (r->fe.n) {
		sb_adds(&sb, ",\"errors\":[");
		for (int i = 0; i < r->fe.n; i++) {
			if (i)
				sb_addc(&sb, ',');
			sb_adds(&sb, "{\"field\":");
			json_str(&sb, r->fe.items[i].field);
			sb_adds(&sb, ",\"message\":");
			json_str(&sb, r->fe.items[i].message);
			sb_addc(&sb, '}');
		}
		sb_addc(&sb, ']');
	}
	sb_addc(&sb, '}');
	req_json(r, status, &sb);
	r->resp_type = "application/problem+json";
	if (code == HERR_UNAUTHENTICATED)
		req_header(r, "WWW-Authenticate", "Bearer realm=\"hanna\"");
	if (code == HERR_LOCKED)
		req_header(r, "Retry-After", "900");
	sb_release(&type);
}

int
req_decode_json(struct req *r, const struct jfield *fields, size_t n, json_t **out)
{
	if (!r->content_type || strncasecmp(r->content_type, "application/json", 16) != 0)
		return REQ_FAIL(r, HERR_MEDIA_TYPE);
	if (r->body.len > REQ_MAX_JSON)
		return REQ_FAIL(r, HERR_TOO_LARGE);
	int rc = json_decode_object(r->body.buf, r->body.len, fields, n, &r->fe, out);
	if (rc)
		return REQ_FAIL(r, rc);
	return 0;
}

/* ---- urlencoded ---------------------------------------------------------------------- */

void
http_kv_release(struct kv *kv, int n)
{
	for (int i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
}

/* Decodes %XX and '+' of one component. Caller frees with free(). */
static char *
url_decode(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			out[j++] = ' ';
		} else if (s[i] == '%' && i + 2 < n && str_hexval(s[i + 1]) >= 0 &&
		           str_hexval(s[i + 2]) >= 0) {
			int v = str_hexval(s[i + 1]) * 16 + str_hexval(s[i + 2]);
			out[j++] = v ? (char)v : ' ';
			i += 2;
		} else {
			out[j++] = s[i];
		}
	}
	out[j] = '\0';
	return out;
}

int
http_parse_urlencoded(const char *text, size_t len, struct kv *out, int max)
{
	int n = 0;
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && text[j] != '&')
			j++;
		if (j > i) {
			if (n >= max) {
				http_kv_release(out, n);
				return HERR_LIMIT;
			}
			const char *eq = memchr(text + i, '=', j - i);
			size_t klen = eq ? (size_t)(eq - (text + i)) : j - i;
			out[n].key = url_decode(text + i, klen);
			out[n].value =
			    eq ? url_decode(eq + 1, (size_t)(text + j - eq - 1)) : xstrdup("");
			n++;
		}
		i = j + 1;
	}
	return n;
}
