/*
 * GET /healthz (the process is up; answered on the network thread) and GET /readyz (the
 * database answers a query).
 */
#include "base/err.h"
#include "db/db.h"
#include "http.h"
#include "http_private.h"

int
http_healthz(struct req *r)
{
	struct strbuf sb;
	sb_init(&sb, 64);
	sb_adds(&sb, "{\"status\":\"ok\"}");
	req_json(r, 200, &sb);
	return 0;
}

int
http_readyz(struct req *r)
{
	if (db_ping(r->db) != 0)
		return REQ_FAIL(r, HERR_UNAVAILABLE);
	struct strbuf sb;
	sb_init(&sb, 64);
	sb_adds(&sb, "{\"status\":\"ready\"}");
	req_json(r, 200, &sb);
	return 0;
}
