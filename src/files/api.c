/*
 * JSON routes of attachments (bilagor) to cases: upload (the raw file as the body, its name in
 * X-Filename), the list of a case and the download. Every route loads the case through
 * cases__load_or_fail, which applies cases_access, so whoever may see the case (the citizen,
 * a representative with a mandate, staff) may add and read its attachments and nobody else;
 * others get 404. Reads are audited before the answer, the upload in its own transaction.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "base/err.h"
#include "base/json.h"
#include "base/strbuf.h"
#include "cases/api_private.h"
#include "db/db.h"
#include "files.h"
#include "files_api.h"
#include "http/http.h"

/* At most this many attachments are listed for one case. */
#define LIST_MAX 500

static void
attachment_json(struct strbuf *sb, const struct attachment *a)
{
	sb_addf(sb, "{\"id\":%lld,\"case_id\":%lld,\"filename\":", (long long)a->id,
	        (long long)a->case_id);
	json_str(sb, a->filename);
	sb_adds(sb, ",\"content_type\":");
	json_str(sb, a->content_type);
	sb_addf(sb, ",\"size_bytes\":%lld,\"sha256\":", (long long)a->size_bytes);
	json_str(sb, a->sha256);
	sb_addf(sb, ",\"created_at\":%lld,\"uploaded_by_name\":", (long long)a->created_at);
	json_str(sb, a->uploaded_by_name);
	sb_adds(sb, ",\"source\":");
	json_str(sb, a->source);
	sb_addc(sb, '}');
}

/* One read record of entity (entity_id) about person, durable before the answer. */
static int
audit_read(struct req *r, const char *entity, int64_t entity_id, int64_t person)
{
	int rc = req_audit_reads(r, "read", entity, entity_id, &person, 1);
	return rc ? REQ_FAIL(r, rc) : 0;
}

int
files_upload_or_fail(struct req *r, const struct case_row *cs, const struct files_upload *u,
                     struct attachment *out)
{
	const char *type = files_type(u->content_type);
	/* A browser names what it does not know application/octet-stream: judge by the bytes. */
	if (!type && u->sniff) {
		static const char *const known[] = {"application/pdf", "image/jpeg", "image/png",
		                                    "text/plain"};
		for (size_t i = 0; i < sizeof known / sizeof known[0] && !type; i++)
			if (u->len && files_matches(known[i], u->data, u->len))
				type = known[i];
	}
	if (!type) {
		field_error_add(&r->fe, u->type_field,
		                "filtypen ska vara PDF, JPEG, PNG eller vanlig text");
		return REQ_FAIL(r, u->sniff ? HERR_INVALID : HERR_MEDIA_TYPE);
	}
	if (u->len > FILES_MAX_SIZE) {
		field_error_add(&r->fe, u->data_field, "filen är större än 10 MB");
		return REQ_FAIL(r, u->sniff ? HERR_INVALID : HERR_TOO_LARGE);
	}
	if (!u->filename || !files_name_ok(u->filename))
		field_error_add(&r->fe, u->name_field,
		                "filnamnet ska vara 1-200 tecken utan / \\ och styrtecken");
	if (u->len == 0)
		field_error_add(&r->fe, u->data_field, "filen är tom");
	else if (!files_matches(type, u->data, u->len))
		field_error_add(&r->fe, u->type_field, "filens innehåll stämmer inte med filtypen");
	if (r->fe.n)
		return REQ_FAIL(r, HERR_INVALID);
	if (u->check_only)
		return 0;

	struct attachment a;
	memset(&a, 0, sizeof a);
	a.tenant_id = cs->tenant_id;
	a.case_id = cs->id;
	a.person_id = cs->person_id;
	a.uploaded_by = r->who.user_id;
	snprintf(a.filename, sizeof a.filename, "%s", u->filename);
	snprintf(a.content_type, sizeof a.content_type, "%s", type);
	snprintf(a.uploaded_by_name, sizeof a.uploaded_by_name, "%s",
	         r->who.display_name[0] ? r->who.display_name : r->who.username);
	snprintf(a.source, sizeof a.source, "%s", cases__is_staff(r) ? "staff" : "citizen");
	struct audit_entry e;
	req_audit_who(r, &e);
	int rc = files_add(r->db, &a, u->data, u->len, &e);
	if (rc)
		return REQ_FAIL(r, rc);
	r->audit_writes++;
	if (out)
		*out = a;
	return 0;
}

int
files_api_upload(struct req *r)
{
	struct case_row cs;
	int rc = cases__load_or_fail(r, r->params[0], &cs);
	if (rc)
		return rc;
	char name[FILES_MAX_NAME * 3 + 1];
	bool named = r->filename && files_header_name(r->filename, name, sizeof name) == 0;
	struct files_upload u = {
	    .filename = named ? name : NULL,
	    .content_type = r->content_type,
	    .data = r->body.buf,
	    .len = r->body.len,
	    .name_field = "filename",
	    .type_field = "content_type",
	    .data_field = "file",
	};
	struct attachment a;
	rc = files_upload_or_fail(r, &cs, &u, &a);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	attachment_json(&sb, &a);
	req_json(r, 201, &sb);
	return 0;
}

static void
list_one(const struct attachment *a, void *arg)
{
	struct strbuf *sb = arg;
	if (sb->buf[sb->len - 1] != '[')
		sb_addc(sb, ',');
	attachment_json(sb, a);
}

int
files_api_list(struct req *r)
{
	struct case_row cs;
	int rc = cases__load_or_fail(r, r->params[0], &cs);
	if (rc)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 0);
	sb_adds(&sb, "{\"items\":[");
	struct db_conn *c = db_reader(r->db);
	rc = files_list(c, cs.tenant_id, cs.id, LIST_MAX, list_one, &sb);
	db_reader_done(r->db, c);
	sb_adds(&sb, "]}");
	if (rc == 0 && sb.err)
		rc = sb.err;
	if (rc == 0)
		rc = audit_read(r, "attachment_list", cs.id, cs.person_id);
	else
		rc = REQ_FAIL(r, rc);
	if (rc == 0)
		req_json(r, 200, &sb);
	sb_release(&sb);
	return rc;
}

/* Appends a Content-Disposition value for name: an ASCII fallback (every byte outside
 * [A-Za-z0-9.-_ ] becomes '_') and the exact name as filename* (RFC 6266, RFC 5987). */
static void
disposition(struct strbuf *sb, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	sb_adds(sb, "attachment; filename=\"");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		unsigned char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == ' ';
		sb_addc(sb, ok ? (char)c : '_');
	}
	sb_adds(sb, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		unsigned char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '~';
		if (ok) {
			sb_addc(sb, (char)c);
		} else {
			sb_addc(sb, '%');
			sb_addc(sb, hex[c >> 4]);
			sb_addc(sb, hex[c & 15]);
		}
	}
}

int
files_api_download(struct req *r)
{
	struct attachment a;
	struct db_conn *c = db_reader(r->db);
	int rc = files_get(c, r->who.tenant_id, r->params[0], &a);
	db_reader_done(r->db, c);
	if (rc)
		return REQ_FAIL(r, rc);
	struct case_row cs;
	rc = cases__load_or_fail(r, a.case_id, &cs);
	if (rc)
		return rc;
	const char *type = files_type(a.content_type);
	if (!type)
		return REQ_FAIL(r, HERR_INTERNAL);
	struct strbuf sb;
	sb_init(&sb, 0);
	c = db_reader(r->db);
	rc = files_data(c, a.tenant_id, a.id, &sb);
	db_reader_done(r->db, c);
	if (rc) {
		sb_release(&sb);
		return REQ_FAIL(r, rc);
	}
	rc = audit_read(r, "attachment", a.id, a.person_id);
	if (rc) {
		sb_release(&sb);
		return rc;
	}
	struct strbuf cd;
	sb_init(&cd, 4096);
	disposition(&cd, a.filename);
	req_json(r, 200, &sb);
	r->resp_type = type;
	req_header(r, "Content-Disposition", cd.buf);
	req_header(r, "Cache-Control", "no-store");
	sb_release(&cd);
	return 0;
}
