/*
 * libFuzzer target for src/base/multipart.c. The first line of the input is the Content-Type
 * (so boundaries are fuzzed too), the rest the body. Checks what multipart.h promises: result
 * codes from the list, every part's data inside the body, names NUL-terminated within their
 * buffers. Built and run by scripts/fuzz; seeds in tests/fuzz/corpus/multipart/.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/err.h"
#include "base/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct span {
	const char *body;
	size_t len;
};

static int
check(const struct multipart_part *p, void *arg)
{
	const struct span *s = arg;
	if (p->data < s->body || p->data + p->len > s->body + s->len)
		abort();
	if (!memchr(p->name, '\0', sizeof p->name) ||
	    !memchr(p->filename, '\0', sizeof p->filename) ||
	    !memchr(p->content_type, '\0', sizeof p->content_type))
		abort();
	if (p->is_file != 0 && p->is_file != 1)
		abort();
	/* Touch every byte so ASan sees any overrun. */
	volatile unsigned sum = 0;
	for (size_t i = 0; i < p->len; i++)
		sum += (unsigned char)p->data[i];
	(void)sum;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	if (!nl)
		return 0;
	size_t tlen = (size_t)(nl - (const char *)data);
	char *type = malloc(tlen + 1);
	memcpy(type, data, tlen);
	type[tlen] = '\0';
	char boundary[MULTIPART_MAX_BOUNDARY + 1];
	int rc = multipart_boundary(type, boundary);
	free(type);
	if (rc != 0) {
		if (rc != HERR_MEDIA_TYPE && rc != HERR_MALFORMED)
			abort();
		return 0;
	}
	if (strlen(boundary) == 0 || strlen(boundary) > MULTIPART_MAX_BOUNDARY)
		abort();
	/* A copy of exactly the body's length, so reading past it is caught. */
	size_t blen = size - tlen - 1;
	char *body = malloc(blen ? blen : 1);
	memcpy(body, nl + 1, blen);
	struct span s = {body, blen};
	rc = multipart_parse(body, blen, boundary, check, &s);
	if (rc != 0 && rc != HERR_MALFORMED)
		abort();
	free(body);
	return 0;
}
