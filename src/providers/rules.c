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
		return "tredje siffran är under 2: det är ett personnummer, inte en juridisk person";
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
