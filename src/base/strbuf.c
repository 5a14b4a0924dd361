/*
 * The string builder; see strbuf.h.
 */
#include "strbuf.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xalloc.h"

static char empty[1];

void
sb_init(struct strbuf *sb, size_t limit)
{
	sb->buf = empty;
	sb->len = 0;
	sb->alloc = 0;
	sb->limit = limit ? limit : STRBUF_DEFAULT_LIMIT;
	/* Keeps len + n + 1 from wrapping in grow(). */
	if (sb->limit > SIZE_MAX / 2)
		sb->limit = SIZE_MAX / 2;
	sb->err = 0;
}

void
sb_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	sb_init(sb, sb->limit);
}

void
sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->err = 0;
	sb->buf[0] = '\0';
	if (!sb->alloc)
		sb->buf = empty;
}

/* Makes room for n more bytes plus the terminator; 0 or HERR_LIMIT (sticky). */
static int
grow(struct strbuf *sb, size_t n)
{
	if (sb->err)
		return sb->err;
	if (n > sb->limit || sb->len > sb->limit - n) {
		sb->err = HERR_LIMIT;
		return sb->err;
	}
	size_t need = sb->len + n + 1;
	if (need <= sb->alloc)
		return 0;
	size_t cap = sb->alloc ? sb->alloc : 64;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	if (sb->alloc) {
		sb->buf = xrealloc(sb->buf, cap);
	} else {
		sb->buf = xmalloc(cap);
		sb->buf[0] = '\0';
	}
	sb->alloc = cap;
	return 0;
}

void
sb_add(struct strbuf *sb, const void *data, size_t n)
{
	if (n == 0 || grow(sb, n))
		return;
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
sb_adds(struct strbuf *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void
sb_addc(struct strbuf *sb, char c)
{
	sb_add(sb, &c, 1);
}

void
sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || grow(sb, (size_t)n))
		return;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void
sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

void
sb_addi(struct strbuf *sb, int64_t v)
{
	/* By hand: it runs for every number of every JSON answer and audit record, where
	 * vsnprintf's format parsing showed in profiles. */
	char buf[24];
	char *p = buf + sizeof buf;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	sb_add(sb, p, (size_t)(buf + sizeof buf - p));
}

char *
sb_detach(struct strbuf *sb, size_t *len)
{
	char *r;
	if (len)
		*len = sb->len;
	if (sb->alloc)
		r = sb->buf;
	else
		r = xstrdup("");
	sb_init(sb, sb->limit);
	return r;
}

void
str_copy(char *dst, size_t n, const char *s)
{
	assert(dst && n > 0);
	snprintf(dst, n, "%s", s ? s : "");
}

int
str_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
