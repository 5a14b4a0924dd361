/*
 * The checks of an attachment (name, media type, content) and its write job, which stores the
 * file and appends the create record of the audit in the same transaction.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "audit/audit.h"
#include "base/err.h"
#include "base/strbuf.h"
#include "base/rand.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "files.h"
#include "files_private.h"

/* Length of the UTF-8 sequence at p (at most n bytes), 0 when it is not valid: no overlong
 * forms, no surrogates, nothing beyond U+10FFFF. */
static size_t
utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len;
	unsigned min;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	unsigned cp = c & (0x7F >> len);
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

int
files_utf8_ok(const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i = 0;
	while (i < len) {
		if (p[i] == 0)
			return 0;
		size_t k = utf8_seq(p + i, len - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

int
files_name_ok(const char *name)
{
	if (!name)
		return 0;
	size_t n = strlen(name);
	if (n < 1 || n > FILES_MAX_NAME || !files_utf8_ok(name, n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c < 0x20 || c == 0x7F || c == '/' || c == '\\')
			return 0;
		/* C1 control characters U+0080..U+009F are C2 80..C2 9F in UTF-8. */
		if (c == 0xC2 && i + 1 < n && (unsigned char)name[i + 1] <= 0x9F)
			return 0;
	}
	if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return 0;
	return 1;
}

int
files_header_name(const char *raw, char *out, size_t cap)
{
	size_t o = 0;
	if (strncasecmp(raw, "UTF-8''", 7) != 0) {
		size_t n = strlen(raw);
		if (n + 1 > cap)
			return HERR_INVALID;
		memcpy(out, raw, n + 1);
		return 0;
	}
	for (const char *p = raw + 7; *p; p++) {
		char c = *p;
		if (c == '%') {
			int hi = str_hexval(p[1]), lo = hi >= 0 ? str_hexval(p[2]) : -1;
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return HERR_INVALID;
			c = (char)(hi * 16 + lo);
			p += 2;
		}
		if (o + 1 >= cap)
			return HERR_INVALID;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

static const char *const types[] = {"application/pdf", "image/jpeg", "image/png", "text/plain"};

const char *
files_type(const char *content_type)
{
	if (!content_type)
		return NULL;
	const char *p = content_type;
	while (*p == ' ' || *p == '\t')
		p++;
	size_t n = strcspn(p, "; \t");
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strlen(types[i]) == n && strncasecmp(p, types[i], n) == 0)
			return types[i];
	return NULL;
}

static bool
starts(const void *data, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(data, magic, n) == 0;
}

int
files_matches(const char *type, const void *data, size_t len)
{
	if (strcmp(type, "application/pdf") == 0)
		return starts(data, len, "%PDF-", 5);
	if (strcmp(type, "image/jpeg") == 0)
		return starts(data, len, "\xFF\xD8\xFF", 3);
	if (strcmp(type, "image/png") == 0)
		return starts(data, len, "\x89PNG", 4);
	if (strcmp(type, "text/plain") == 0)
		return files_utf8_ok(data, len);
	return 0;
}

struct add_write {
	struct attachment a;           /* in and out */
	const void *data;              /* the bytes, borrowed */
	size_t len;                    /* their length */
	const struct audit_entry *who; /* audit fields */
};

static int
add_job(struct db_conn *c, void *arg)
{
	struct add_write *w = arg;
	int rc = files__insert(c, &w->a, w->data, w->len);
	if (rc)
		return rc;
	return audit_change(c, w->who, "create", "attachment", w->a.id, w->a.person_id);
}

int
files_add(struct db *db, struct attachment *a, const void *data, size_t len,
          const struct audit_entry *who)
{
	if (!files_name_ok(a->filename) || !files_type(a->content_type) || len > FILES_MAX_SIZE ||
	    !files_matches(a->content_type, data, len))
		return HERR_INVALID;
	struct add_write w = {.a = *a, .data = data, .len = len, .who = who};
	w.a.size_bytes = (int64_t)len;
	sha256_hex(data, len, w.a.sha256);
	w.a.created_at = time_now();
	int rc = db_write(db, add_job, &w);
	if (rc == 0)
		*a = w.a;
	return rc;
}
