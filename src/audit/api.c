/*
 * JSON route of the audit log for the auditor role: who read or changed a person's data,
 * when, in which role, with which request id (shared/API.md). The auditor's own look at the
 * log is itself recorded (entity audit_log), so that watching the watchers is possible too.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "audit_api.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "http/http.h"

int
audit_access_or_fail(struct req *r, int64_t *person_id)
{
	const char *v = req_query(r, "person_id");
	char *end = NULL;
	long long id = v ? strtoll(v, &end, 10) : 0;
	if (!v || !*v || *end || id <= 0) {
		field_error_add(&r->fe, "person_id", "ange personens id (ett positivt heltal)");
		return REQ_FAIL(r, HERR_INVALID);
	}
	struct audit_entry e;
	req_audit_who(r, &e);
	e.action = "read";
	e.entity = "audit_log";
	e.entity_id = id;
	int64_t none = 0;
	/* person_id 0 keeps the auditor's reads out of the person's own list. */
	struct audit_entry copy = e;
	int rc = audit_reads(r->db, &copy, &none, 1);
	if (rc)
		return REQ_FAIL(r, rc);
	*person_id = id;
	return 0;
}

static void
row_json(const struct audit_row *row, void *arg)
{
	struct strbuf *sb = arg;
	if (sb->buf[sb->len - 1] != '[')
		sb_addc(sb, ',');
	sb_addf(sb, "{\"id\":%lld,\"at\":\"", (long long)row->id);
	time_rfc3339(sb, row->at);
	sb_addf(sb, "\",\"user_id\":%lld,\"username\":", (long long)row->user_id);
	json_str(sb, row->username);
	sb_adds(sb, ",\"role\":");
	json_str(sb, row->role);
	sb_adds(sb, ",\"action\":");
	json_str(sb, row->action);
	sb_adds(sb, ",\"entity\":");
	json_str(sb, row->entity);
	sb_addf(sb,
	        ",\"entity_id\":%lld,\"person_id\":%lld,\"request_id\":", (long long)row->entity_id,
	        (long long)row->person_id);
	json_str(sb, row->request_id);
	sb_addc(sb, '}');
}

int
audit_api_list(struct req *r)
{
	int64_t person_id, limit, cursor;
	int rc = req_query_int(r, "limit", 50, 500, &limit);
	if (rc == 0)
		rc = req_query_int(r, "cursor", 0, INT64_MAX, &cursor);
	if (rc)
		return rc;
	rc = audit_access_or_fail(r, &person_id);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "{\"items\":[");
	int64_t next = 0;
	rc = audit_list_person(r->db, r->who.tenant_id, person_id, cursor, (int)limit, row_json,
	                       &sb, &next);
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	sb_adds(&sb, "],\"next_cursor\":");
	if (next)
		sb_addf(&sb, "\"%lld\"", (long long)next);
	else
		sb_adds(&sb, "null");
	sb_addc(&sb, '}');
	req_json(r, 200, &sb);
	return 0;
}
