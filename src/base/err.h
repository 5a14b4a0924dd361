/*
 * Error codes shared by every module. Functions return 0 on success and one of these negative
 * codes on failure; src/base/err.def is the single list of them.
 */
#ifndef HANNA_ERR_H
#define HANNA_ERR_H

enum herr {
	HERR_OK = 0,
#define HERR(name, value, status, message) HERR_##name = value,
#include "err.def"
#undef HERR
};

/* The HTTP status for an error code (500 for unknown codes). */
int herr_status(int code);
/* The short name of an error code, e.g. "NOT_FOUND". Static storage. */
const char *herr_name(int code);
/* The plain message for an error code. Static storage. */
const char *herr_message(int code);

#endif
