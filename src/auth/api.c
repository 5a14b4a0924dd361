/*
 * JSON routes for sessions (shared/API.md, HTTP: Login): log in, log out, who am I.
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "auth_api.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "http/http.h"

static const struct jfield login_fields[] = {
    {"tenant", JF_STRING, true, 60, NULL, 0},
    {"username", JF_STRING, true, 60, NULL, 0},
    {"password", JF_STRING, true, 200, NULL, 0},
};

void
auth_set_cookie(struct req *r, const char *token, long max_age)
{
	char v[256];
	snprintf(v, sizeof v, "hanna_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld%s",
	         token, max_age, http_cookie_secure() ? "; Secure" : "");
	req_header(r, "Set-Cookie", v);
}

static void
user_json(struct strbuf *sb, const struct principal *p)
{
	sb_addf(sb, "{\"id\":%lld,\"username\":", (long long)p->user_id);
	json_str(sb, p->username);
	sb_adds(sb, ",\"display_name\":");
	json_str(sb, p->display_name);
	sb_adds(sb, ",\"tenant\":");
	json_str(sb, p->tenant);
	sb_adds(sb, ",\"tenant_title\":");
	json_str(sb, p->tenant_title);
	sb_adds(sb, ",\"roles\":[");
	bool first = true;
	for (unsigned bit = 1; bit <= ROLE_REPRESENTATIVE; bit <<= 1) {
		if (!(p->roles & bit))
			continue;
		if (!first)
			sb_addc(sb, ',');
		json_str(sb, auth_role_name((enum role)bit));
		first = false;
	}
	sb_addc(sb, ']');
	if (p->unit_id)
		sb_addf(sb, ",\"unit_id\":%lld", (long long)p->unit_id);
	if (p->provider_id)
		sb_addf(sb, ",\"provider_id\":%lld", (long long)p->provider_id);
	if (p->person_id)
		sb_addf(sb, ",\"person_id\":%lld", (long long)p->person_id);
	sb_addc(sb, '}');
}

int
auth_api_login(struct req *r)
{
	json_t *obj;
	int rc = req_decode_json(r, login_fields, 3, &obj);
	if (rc)
		return rc;
	struct principal p;
	char token[65];
	int64_t expires;
	rc = auth_login(r->db, json_get_str(obj, "tenant"), json_get_str(obj, "username"),
	                json_get_str(obj, "password"), &p, token, &expires);
	json_decref(obj);
	if (rc)
		return REQ_FAIL(r, rc);
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_addf(&sb, "{\"token\":\"%s\",\"expires_at\":\"", token);
	time_rfc3339(&sb, expires);
	sb_adds(&sb, "\",\"csrf_token\":");
	json_str(&sb, p.csrf);
	sb_adds(&sb, ",\"user\":");
	user_json(&sb, &p);
	sb_addc(&sb, '}');
	auth_set_cookie(r, token, AUTH_SESSION_SECONDS);
	req_json(r, 201, &sb);
	return 0;
}

int
auth_api_logout(struct req *r)
{
	int rc = auth_logout(r->db, r->who.session_id);
	if (rc)
		return REQ_FAIL(r, rc);
	auth_set_cookie(r, "", 0);
	req_no_content(r);
	return 0;
}

int
auth_api_me(struct req *r)
{
	struct strbuf sb;
	sb_init(&sb, 0);
	user_json(&sb, &r->who);
	sb.len--;
	sb_adds(&sb, ",\"csrf_token\":");
	json_str(&sb, r->who.csrf);
	sb_addc(&sb, '}');
	req_json(r, 200, &sb);
	return 0;
}
