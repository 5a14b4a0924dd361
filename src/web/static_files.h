/*
 * The static files embedded at build time by scripts/embed_static.py (src/web/meson.build).
 */
#ifndef HANNA_STATIC_FILES_H
#define HANNA_STATIC_FILES_H

#include <stddef.h>

struct web_static_file {
	const char *name; /* file name, e.g. "hanna.css" */
	const char *type; /* Content-Type */
	const char *data; /* the bytes */
	size_t len;       /* number of bytes */
};

extern const struct web_static_file web_static_files[];
extern const size_t web_static_files_count;

#endif
