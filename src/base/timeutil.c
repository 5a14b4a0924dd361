/*
 * Calendar and clock helpers; see timeutil.h.
 */
#include "timeutil.h"

#include <string.h>
#include <time.h>

#include "err.h"
#include "strbuf.h"

int64_t
time_now(void)
{
	return (int64_t)time(NULL);
}

int64_t
time_mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void
time_rfc3339(struct strbuf *sb, int64_t epoch)
{
	time_t t = (time_t)epoch;
	struct tm tm;
	gmtime_r(&t, &tm);
	sb_addf(sb, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	        tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void
time_today(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	int y = tm.tm_year + 1900;
	if (y < 1 || y > 9999)
		y = 1970;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + (tm.tm_mon + 1) / 10);
	out[6] = (char)('0' + (tm.tm_mon + 1) % 10);
	out[7] = '-';
	out[8] = (char)('0' + tm.tm_mday / 10);
	out[9] = (char)('0' + tm.tm_mday % 10);
	out[10] = '\0';
}

bool
time_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
time_days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && time_is_leap(year))
		return 29;
	return days[month - 1];
}

bool
time_valid_date(int year, int month, int day)
{
	return year >= 1 && year <= 9999 && day >= 1 && day <= time_days_in_month(year, month);
}

static int
digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
time_parse_date(const char *s, int *year, int *month, int *day)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return HERR_INVALID;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0 || !time_valid_date(y, m, d))
		return HERR_INVALID;
	*year = y;
	*month = m;
	*day = d;
	return 0;
}
