/*
 * multipart/form-data over a buffered body (see multipart.h). The grammar kept here:
 *
 *   body      := preamble? "--" B CRLF part (CRLF "--" B CRLF part)* CRLF "--" B "--" epilogue?
 *   part      := header-line* CRLF content
 *   header    := name ":" value CRLF   (only Content-Disposition and Content-Type are read)
 *
 * A part's content runs to the next CRLF "--" B. Browsers percent-encode '"', CR and LF in
 * names and file names (HTML's multipart/form-data encoding algorithm); those three escapes are
 * decoded, everything else is taken as sent. Header lines are limited to 1,024 bytes, parts to
 * 64 headers.
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "multipart.h"

#define LINE_MAX_LEN 1024
#define HEADERS_MAX 64

/* The first occurrence of needle (n bytes) in hay (len bytes), or NULL. */
static const char *
find(const char *hay, size_t len, const char *needle, size_t n)
{
	if (n == 0 || len < n)
		return NULL;
	const char *end = hay + len - n;
	for (const char *p = hay; p <= end; p++) {
		p = memchr(p, needle[0], (size_t)(end - p) + 1);
		if (!p)
			return NULL;
		if (memcmp(p, needle, n) == 0)
			return p;
	}
	return NULL;
}

static bool
bchar_ok(char c)
{
	/* RFC 2046 bcharsnospace plus space. */
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return strchr("'()+_,-./:=? ", c) != NULL && c != '\0';
}

int
multipart_boundary(const char *content_type, char *out)
{
	static const char mt[] = "multipart/form-data";
	if (!content_type || strncasecmp(content_type, mt, sizeof mt - 1) != 0)
		return HERR_MEDIA_TYPE;
	const char *p = content_type + sizeof mt - 1;
	if (*p != ';' && *p != ' ' && *p != '\0')
		return HERR_MEDIA_TYPE;
	while (*p) {
		while (*p == ';' || *p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "boundary=", 9) == 0) {
			p += 9;
			bool quoted = *p == '"';
			if (quoted)
				p++;
			size_t n = 0;
			while (p[n] && (quoted ? p[n] != '"' : (p[n] != ';' && p[n] != ' ')))
				n++;
			if (quoted && p[n] != '"')
				return HERR_MALFORMED;
			if (n == 0 || n > MULTIPART_MAX_BOUNDARY || p[n - 1] == ' ')
				return HERR_MALFORMED;
			for (size_t i = 0; i < n; i++)
				if (!bchar_ok(p[i]))
					return HERR_MALFORMED;
			memcpy(out, p, n);
			out[n] = '\0';
			return 0;
		}
		while (*p && *p != ';')
			p++;
	}
	return HERR_MALFORMED;
}

/* Copies the value of parameter key (e.g. "name") of a Content-Disposition header value into
 * out (cap bytes), decoding %22, %0D and %0A. Returns 1 when found, 0 when absent, or
 * HERR_MALFORMED (unterminated quote, value too long). */
static int
disp_param(const char *v, size_t vlen, const char *key, char *out, size_t cap)
{
	size_t klen = strlen(key);
	size_t i = 0;
	/* Skip the disposition type. */
	while (i < vlen && v[i] != ';')
		i++;
	while (i < vlen) {
		i++; /* the ';' */
		while (i < vlen && (v[i] == ' ' || v[i] == '\t'))
			i++;
		size_t start = i;
		while (i < vlen && v[i] != '=' && v[i] != ';')
			i++;
		size_t nlen = i - start;
		while (nlen && (v[start + nlen - 1] == ' ' || v[start + nlen - 1] == '\t'))
			nlen--;
		bool match = nlen == klen && strncasecmp(v + start, key, klen) == 0;
		if (i >= vlen || v[i] == ';')
			continue;
		i++; /* the '=' */
		while (i < vlen && (v[i] == ' ' || v[i] == '\t'))
			i++;
		size_t o = 0;
		if (i < vlen && v[i] == '"') {
			i++;
			for (;;) {
				if (i >= vlen)
					return HERR_MALFORMED;
				char ch = v[i];
				if (ch == '"') {
					i++;
					break;
				}
				if (ch == '\\' && i + 1 < vlen) {
					ch = v[i + 1];
					i++;
				} else if (ch == '%' && i + 2 < vlen && v[i + 1] == '2' &&
				           v[i + 2] == '2') {
					ch = '"';
					i += 2;
				} else if (ch == '%' && i + 2 < vlen && v[i + 1] == '0' &&
				           (v[i + 2] == 'D' || v[i + 2] == 'A')) {
					ch = v[i + 2] == 'D' ? '\r' : '\n';
					i += 2;
				}
				i++;
				if (match) {
					if (o + 1 >= cap)
						return HERR_MALFORMED;
					out[o++] = ch;
				}
			}
			while (i < vlen && v[i] != ';')
				i++;
		} else {
			size_t s = i;
			while (i < vlen && v[i] != ';')
				i++;
			size_t n = i - s;
			while (n && (v[s + n - 1] == ' ' || v[s + n - 1] == '\t'))
				n--;
			if (match) {
				if (n + 1 > cap)
					return HERR_MALFORMED;
				memcpy(out, v + s, n);
				o = n;
			}
		}
		if (match) {
			out[o] = '\0';
			return 1;
		}
	}
	return 0;
}

/* Reads the headers of one part from p (up to end) into part; *next is where the content
 * starts. 0 or HERR_MALFORMED. */
static int
part_headers(const char *p, const char *end, struct multipart_part *part, const char **next)
{
	bool disposition = false;
	for (int count = 0;; count++) {
		if (count > HEADERS_MAX)
			return HERR_MALFORMED;
		size_t avail = (size_t)(end - p);
		const char *eol =
		    find(p, avail < LINE_MAX_LEN + 2 ? avail : LINE_MAX_LEN + 2, "\r\n", 2);
		if (!eol)
			return HERR_MALFORMED;
		if (eol == p) {
			*next = p + 2;
			break;
		}
		const char *colon = memchr(p, ':', (size_t)(eol - p));
		if (!colon)
			return HERR_MALFORMED;
		size_t nlen = (size_t)(colon - p);
		const char *v = colon + 1;
		while (v < eol && (*v == ' ' || *v == '\t'))
			v++;
		size_t vlen = (size_t)(eol - v);
		if (nlen == 19 && strncasecmp(p, "Content-Disposition", 19) == 0) {
			if (vlen < 9 || strncasecmp(v, "form-data", 9) != 0)
				return HERR_MALFORMED;
			if (disp_param(v, vlen, "name", part->name, sizeof part->name) != 1)
				return HERR_MALFORMED;
			int f =
			    disp_param(v, vlen, "filename", part->filename, sizeof part->filename);
			if (f < 0)
				return HERR_MALFORMED;
			part->is_file = f == 1;
			disposition = true;
		} else if (nlen == 12 && strncasecmp(p, "Content-Type", 12) == 0) {
			if (vlen >= sizeof part->content_type)
				return HERR_MALFORMED;
			memcpy(part->content_type, v, vlen);
			part->content_type[vlen] = '\0';
		}
		p = eol + 2;
	}
	return disposition ? 0 : HERR_MALFORMED;
}

int
multipart_parse(const char *body, size_t len, const char *boundary,
                int (*fn)(const struct multipart_part *p, void *arg), void *arg)
{
	size_t blen = strlen(boundary);
	if (blen == 0 || blen > MULTIPART_MAX_BOUNDARY)
		return HERR_MALFORMED;
	/* The delimiter with its leading CRLF; the first one may stand at the very start. */
	char delim[MULTIPART_MAX_BOUNDARY + 5];
	delim[0] = '\r';
	delim[1] = '\n';
	delim[2] = '-';
	delim[3] = '-';
	memcpy(delim + 4, boundary, blen);
	size_t dlen = blen + 4;

	const char *end = body + len;
	const char *p;
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
		p = body + dlen - 2;
	} else {
		p = find(body, len, delim, dlen);
		if (!p)
			return HERR_MALFORMED;
		p += dlen;
	}
	for (;;) {
		/* p is just after a delimiter: "--" closes, CRLF opens a part. */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++; /* transport padding */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return HERR_MALFORMED;
		p += 2;
		struct multipart_part part;
		memset(&part, 0, sizeof part);
		const char *content;
		int rc = part_headers(p, end, &part, &content);
		if (rc)
			return rc;
		const char *close = find(content, (size_t)(end - content), delim, dlen);
		if (!close)
			return HERR_MALFORMED;
		part.data = content;
		part.len = (size_t)(close - content);
		rc = fn(&part, arg);
		if (rc)
			return rc;
		p = close + dlen;
	}
}
