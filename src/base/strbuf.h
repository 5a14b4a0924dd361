/*
 * The one string builder (git strbuf + SQLite StrAccum, STYLE.md rule 11). The buffer is never
 * NULL and always NUL-terminated; growth is geometric with overflow checks; past the hard limit
 * the buffer stops growing and records a sticky error that the owner checks once at the end.
 */
#ifndef HANNA_STRBUF_H
#define HANNA_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf {
	char *buf;    /* the text, NUL-terminated; points at a static "" until the first add */
	size_t len;   /* bytes used, without the terminator */
	size_t alloc; /* bytes allocated, 0 while buf is the static "" */
	size_t limit; /* hard upper bound on len */
	int err;      /* sticky: HERR_LIMIT once an add did not fit */
};

#define STRBUF_DEFAULT_LIMIT ((size_t)64 << 20)

void sb_init(struct strbuf *sb, size_t limit);
/* Frees the contents; the buffer is empty and usable again. */
void sb_release(struct strbuf *sb);
/* Empties the buffer but keeps its memory. */
void sb_reset(struct strbuf *sb);
void sb_add(struct strbuf *sb, const void *data, size_t n);
void sb_adds(struct strbuf *sb, const char *s);
void sb_addc(struct strbuf *sb, char c);
void sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void sb_addi(struct strbuf *sb, int64_t v);
/* Returns the text and leaves the buffer empty. Caller frees with free(). */
char *sb_detach(struct strbuf *sb, size_t *len /* out, may be NULL */);

/* Copies s into the fixed field dst of n bytes (n > 0), cut to fit and NUL-terminated; NULL
 * copies "". For struct fields filled from stored or posted text. */
void str_copy(char *dst, size_t n, const char *s);

/* The value 0-15 of a hexadecimal digit (either case), or -1. For %XX escapes. */
int str_hexval(int c);

#endif
