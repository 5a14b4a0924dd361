/*
 * GET /healthz (the process is up; answered on the network thread) and GET /readyz (the
 * database answers a query).
 */
#include "base/err.h"
#include "db/db.h"
#include "http.h"
#include "http_private.h"

static const char sql_ready[] = "SELECT 1";

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
	struct db_conn *c = db_reader(r->db);
	int64_t one = db_query_int(c, sql_ready, 0);
	db_reader_done(r->db, c);
	if (one != 1)
		return REQ_FAIL(r, HERR_UNAVAILABLE);
	struct strbuf sb;
	sb_init(&sb, 64);
	sb_adds(&sb, "{\"status\":\"ready\"}");
	req_json(r, 200, &sb);
	return 0;
}
