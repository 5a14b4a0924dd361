/*
 * The pure rules of customer choice and orders (contract in rules.h): organisation numbers,
 * answer deadlines, order states, access window, webhook backoff.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "base/calendar.h"
#include "base/pnr.h"
#include "rules.h"

enum org_fault
providers_org_nr_parse(const char *text, char out[12])
{
	if (!text)
		return ORG_FORMAT;
	char d[11];
	size_t n = strlen(text), k = 0;
	if (n != 10 && !(n == 11 && text[6] == '-'))
		return ORG_FORMAT;
	for (size_t i = 0; i < n; i++) {
		if (n == 11 && i == 6)
			continue;
		if (!isdigit((unsigned char)text[i]))
			return ORG_FORMAT;
		d[k++] = text[i];
	}
	d[10] = '\0';
	if (luhn_check_digit(d, 9) != d[9] - '0')
		return ORG_CHECK_DIGIT;
	if (d[2] < '2')
		return ORG_NOT_LEGAL;
	memcpy(out, d, 6);
	out[6] = '-';
	memcpy(out + 7, d + 6, 4);
	out[11] = '\0';
	return ORG_OK;
}

const char *
providers_org_fault_message(enum org_fault f)
{
	switch (f) {
	case ORG_OK:
		return "";
	case ORG_FORMAT:
		return "organisationsnumret ska vara tio siffror, NNNNNN-NNNN";
	case ORG_CHECK_DIGIT:
		return "organisationsnumrets kontrollsiffra stämmer inte";
	case ORG_NOT_LEGAL:
		return "tredje siffran är under 2: det är ett personnummer, inte en juridisk "
		       "person";
	}
	return "ogiltigt organisationsnummer";
}

int32_t
providers_answer_due(int32_t sent)
{
	int32_t d = sent;
	for (int i = 0; i < PROVIDERS_ANSWER_DAYS; i++)
		d = cal_next_working_day(d + 1);
	return d;
}

bool
providers_overdue(const char *state, int32_t due, int32_t today)
{
	return strcmp(state, "sent") == 0 && today > due;
}

bool
providers_transition_ok(const char *from, const char *to)
{
	static const struct {
		const char *from, *to;
	} ok[] = {
	    {"sent", "accepted"},
	    {"sent", "declined"},
	    {"sent", "withdrawn"},
	    {"accepted", "ended"},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(ok[i].from, from) == 0 && strcmp(ok[i].to, to) == 0)
			return true;
	return false;
}

const char *
providers_order_state_on(const char *stored, const char *to, const char *today)
{
	if (strcmp(stored, "ended") == 0 && to && to[0] && strcmp(today, to) <= 0)
		return "accepted";
	return stored;
}

int32_t
providers_access_cutoff(int32_t today)
{
	return today - PROVIDERS_ACCESS_DAYS;
}

int64_t
providers_backoff(int attempts, int base)
{
	if (base < 1)
		base = 1;
	int64_t s = base;
	for (int i = 1; i < attempts && s < 3600; i++)
		s *= 2;
	return s > 3600 ? 3600 : s;
}

bool
providers_time_of_day_ok(const char *s)
{
	return s && (strcmp(s, "day") == 0 || strcmp(s, "evening") == 0 ||
	             strcmp(s, "night") == 0 || strcmp(s, "weekend") == 0);
}

/* An IPv4 address (4 bytes) outside the ranges a webhook may not reach. */
static bool
v4_public(const unsigned char *a)
{
	static const struct {
		unsigned char net[4];
		int bits;
	} refused[] = {
	    {{0, 0, 0, 0}, 8},      /* "this network", 0.0.0.0 unspecified */
	    {{10, 0, 0, 0}, 8},     /* private */
	    {{100, 64, 0, 0}, 10},  /* shared address space (carrier NAT) */
	    {{127, 0, 0, 0}, 8},    /* loopback */
	    {{169, 254, 0, 0}, 16}, /* link-local, cloud metadata services */
	    {{172, 16, 0, 0}, 12},  /* private */
	    {{192, 0, 0, 0}, 24},   /* IETF protocol assignments */
	    {{192, 168, 0, 0}, 16}, /* private */
	    {{198, 18, 0, 0}, 15},  /* benchmarking */
	    {{224, 0, 0, 0}, 4},    /* multicast */
	    {{240, 0, 0, 0}, 4},    /* reserved, broadcast */
	};
	uint32_t v = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		const unsigned char *n = refused[i].net;
		uint32_t net =
		    (uint32_t)n[0] << 24 | (uint32_t)n[1] << 16 | (uint32_t)n[2] << 8 | n[3];
		uint32_t mask = 0xffffffffu << (32 - refused[i].bits);
		if ((v & mask) == net)
			return false;
	}
	return true;
}

bool
providers_addr_public(int family, const unsigned char *a)
{
	if (family == 4)
		return v4_public(a);
	if (family != 6)
		return false;
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
	if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
		return v4_public(a + 12);
	bool zero10 = true;
	for (int i = 0; i < 10; i++)
		zero10 = zero10 && a[i] == 0;
	if (zero10)
		return false; /* ::, ::1, IPv4-compatible and other ::/80 */
	if ((a[0] & 0xfe) == 0xfc)
		return false; /* fc00::/7 unique local */
	if (a[0] == 0xfe && (a[1] & 0x80) == 0x80)
		return false; /* fe80::/10 link-local, fec0::/10 site-local */
	if (a[0] == 0xff)
		return false; /* multicast */
	return true;
}
