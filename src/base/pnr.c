/*
 * Personnummer and samordningsnummer parsing and validation; see pnr.h and
 * shared/domain/standards.md section 1.
 *
 * Century rules. Ten-digit input carries no century, so it is resolved against the reference
 * date ("today"):
 *   - with '-' or no separator: the latest century that does not put the birth date after today;
 *   - with '+': the latest century whose year is at most today's year minus 100. Skatteverket
 *     changes the separator to '+' in the calendar year the person turns 100 (18 § second
 *     paragraph folkbokföringslagen, Skatteverket's rättslig vägledning), not on the birthday,
 *     so a rule based on the full date would move someone born later in that year back a whole
 *     century.
 * Twelve-digit input names its century. A '+' separator there is accepted only when it agrees
 * with the century (the birth year is at most today's year minus 100); otherwise the input is
 * PNR_FORMAT, since the sign contradicts the digits. A '-' separator is always accepted.
 *
 * Years before 1800 are refused as PNR_DATE: Skatteverket's twelve-digit numbers use the century
 * digits 18, 19 or 20, so an earlier year can only be a typing error.
 *
 * Faults are reported in the order PNR_FORMAT, PNR_DATE, PNR_CHECK_DIGIT, PNR_FUTURE, and last
 * the PNR_FORMAT of a '+' that contradicts a twelve-digit number.
 */
#include "pnr.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "timeutil.h"

/* The earliest birth year accepted (see the file comment). */
#define PNR_MIN_YEAR 1800

int
luhn_check_digit(const char *digits, size_t n)
{
	assert(digits || n == 0);
	int sum = 0;
	for (size_t i = 0; i < n; i++) {
		if (digits[i] < '0' || digits[i] > '9')
			return -1;
		int p = (digits[i] - '0') * (i % 2 == 0 ? 2 : 1);
		sum += p / 10 + p % 10;
	}
	return (10 - sum % 10) % 10;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* The value of n ASCII digits, already checked to be digits. */
static int
num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Negative, zero or positive as date a is before, equal to or after date b. */
static int
date_cmp(int ya, int ma, int da, int yb, int mb, int db)
{
	if (ya != yb)
		return ya < yb ? -1 : 1;
	if (ma != mb)
		return ma < mb ? -1 : 1;
	if (da != db)
		return da < db ? -1 : 1;
	return 0;
}

/* The latest year not after max_year whose last two digits are yy (0-99). */
static int
latest_year(int yy, int max_year)
{
	return max_year - ((max_year % 100 - yy + 100) % 100);
}

enum pnr_fault
pnr_parse(const char *text, int today_year, int today_month, int today_day,
          struct pnr *out /* out */)
{
	assert(text && out);
	assert(time_valid_date(today_year, today_month, today_day));

	/* Trim surrounding whitespace. */
	const char *s = text;
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		n--;

	/* Collect the digits and the separator: "DDDDDD[-+]DDDD" or "DDDDDDDD[-+]DDDD". */
	char d[12];   /* the ten or twelve digits */
	size_t nd;    /* how many of d are used */
	char sep = 0; /* '-', '+' or 0 */
	if (n == 10 || n == 12) {
		if (!all_digits(s, n))
			return PNR_FORMAT;
		nd = n;
		memcpy(d, s, nd);
	} else if (n == 11 || n == 13) {
		size_t head = n - 5;
		if (!all_digits(s, head) || (s[head] != '-' && s[head] != '+') ||
		    !all_digits(s + head + 1, 4))
			return PNR_FORMAT;
		sep = s[head];
		nd = n - 1;
		memcpy(d, s, head);
		memcpy(d + head, s + head + 1, 4);
	} else {
		return PNR_FORMAT;
	}

	/* d10 is the ten-digit form YYMMDDNNNC. */
	const char *d10 = nd == 12 ? d + 2 : d;
	int yy = num(d10, 2), month = num(d10 + 2, 2), day = num(d10 + 4, 2);
	enum pnr_kind kind = PNR_PERSONNUMMER;
	if (day >= 61 && day <= 91) {
		kind = PNR_SAMORDNINGSNUMMER;
		day -= 60;
	}

	int year;
	if (nd == 12) {
		year = num(d, 4);
	} else if (sep == '+') {
		year = latest_year(yy, today_year - 100);
	} else {
		year = latest_year(yy, today_year);
		if (date_cmp(year, month, day, today_year, today_month, today_day) > 0)
			year -= 100;
	}

	if (year < PNR_MIN_YEAR || !time_valid_date(year, month, day))
		return PNR_DATE;
	if (luhn_check_digit(d10, 9) != d10[9] - '0')
		return PNR_CHECK_DIGIT;
	if (date_cmp(year, month, day, today_year, today_month, today_day) > 0)
		return PNR_FUTURE;
	if (nd == 12 && sep == '+' && year > today_year - 100)
		return PNR_FORMAT;

	/* Write the twelve-digit form: the century, then the ten digits as given. */
	out->digits[0] = (char)('0' + year / 1000);
	out->digits[1] = (char)('0' + year / 100 % 10);
	memcpy(out->digits + 2, d10, 10);
	out->digits[12] = '\0';
	out->kind = kind;
	out->year = year;
	out->month = month;
	out->day = day;
	return PNR_OK;
}

/* Days since 1970-01-01 of a Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t
days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Epoch seconds of 01:00 UTC on the last Sunday of a month: the EU summer-time switch. */
static int64_t
last_sunday_0100_utc(int year, int month)
{
	int64_t last = days_from_civil(year, month, time_days_in_month(year, month));
	int weekday = (int)(((last + 4) % 7 + 7) % 7); /* 0 is Sunday; 1970-01-01 was a Thursday */
	return (last - weekday) * 86400 + 3600;
}

/*
 * The calendar date in Europe/Stockholm at an instant: UTC+2 from 01:00 UTC on the last Sunday
 * of March to 01:00 UTC on the last Sunday of October (the EU rule, followed by Sweden since
 * 1996), UTC+1 otherwise. Computed without the process's TZ setting so that no global state is
 * read or changed.
 */
static void
stockholm_date(int64_t epoch, int *year /* out */, int *month /* out */, int *day /* out */)
{
	struct tm tm;
	time_t t = (time_t)epoch;
	gmtime_r(&t, &tm);
	int y = tm.tm_year + 1900;
	bool summer = epoch >= last_sunday_0100_utc(y, 3) && epoch < last_sunday_0100_utc(y, 10);
	t = (time_t)(epoch + (summer ? 7200 : 3600));
	gmtime_r(&t, &tm);
	*year = tm.tm_year + 1900;
	*month = tm.tm_mon + 1;
	*day = tm.tm_mday;
}

enum pnr_fault
pnr_parse_now(const char *text, struct pnr *out /* out */)
{
	int y, m, d;
	stockholm_date(time_now(), &y, &m, &d);
	return pnr_parse(text, y, m, d, out);
}

const char *
pnr_fault_message(enum pnr_fault fault)
{
	switch (fault) {
	case PNR_OK:
		return "giltigt";
	case PNR_FORMAT:
		return "ska vara 10 eller 12 siffror (ÅÅMMDD-NNNN eller ÅÅÅÅMMDDNNNN)";
	case PNR_DATE:
		return "ogiltigt datum";
	case PNR_CHECK_DIGIT:
		return "ogiltig kontrollsiffra";
	case PNR_FUTURE:
		return "födelsedatumet ligger i framtiden";
	}
	return "ogiltigt personnummer";
}
