/*
 * Allocation that aborts on out-of-memory (STYLE.md rule 6): call sites never check for NULL.
 */
#ifndef HANNA_XALLOC_H
#define HANNA_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Caller frees with free(). */
char *xstrdup(const char *s);
/* Caller frees with free(). Copies at most n bytes and terminates. */
char *xstrndup(const char *s, size_t n);

#endif
