/*
 * Lookup functions over src/base/err.def.
 */
#include "err.h"

int
herr_status(int code)
{
	switch (code) {
	case HERR_OK:
		return 200;
#define HERR(name, value, status, message)                                                         \
	case value:                                                                                \
		return status;
#include "err.def"
#undef HERR
	}
	return 500;
}

const char *
herr_name(int code)
{
	switch (code) {
	case HERR_OK:
		return "OK";
#define HERR(name, value, status, message)                                                         \
	case value:                                                                                \
		return #name;
#include "err.def"
#undef HERR
	}
	return "UNKNOWN";
}

const char *
herr_message(int code)
{
	switch (code) {
	case HERR_OK:
		return "ok";
#define HERR(name, value, status, message)                                                         \
	case value:                                                                                \
		return message;
#include "err.def"
#undef HERR
	}
	return "unknown error";
}
