/*
 * Calendar arithmetic and the Swedish holiday calendar; see calendar.h.
 */
#include "calendar.h"

#include <stdio.h>

#include "err.h"
#include "timeutil.h"

int32_t
cal_days(int y, int m, int d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const int yoe = y - era * 400;
	const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void
cal_civil(int32_t days, int *y, int *m, int *d)
{
	int32_t z = days + 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const int doe = (int)(z - era * 146097);
	const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int
cal_parse(const char *s, int32_t *days)
{
	int y, m, d;
	if (time_parse_date(s, &y, &m, &d) != 0)
		return HERR_INVALID;
	*days = cal_days(y, m, d);
	return 0;
}

void
cal_format(int32_t days, char out[11])
{
	int y, m, d;
	cal_civil(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(out, 11, "0000-00-00");
		return;
	}
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

int
cal_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (int)((days % 7 + 7) % 7);
	return (w + 3) % 7 + 1;
}

int32_t
cal_add_months(int32_t days, int n)
{
	int y, m, d;
	cal_civil(days, &y, &m, &d);
	int total = y * 12 + (m - 1) + n;
	int ny = total / 12, nm = total % 12 + 1;
	if (total < 0) {
		ny = (total - 11) / 12;
		nm = total - ny * 12 + 1;
	}
	int last = time_days_in_month(ny, nm);
	return cal_days(ny, nm, d < last ? d : last);
}

int32_t
cal_easter(int year)
{
	int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1;
	return cal_days(year, month, day);
}

/* The Saturday in [from, from + 6] (midsummer day, all saints' day). */
static int32_t
saturday_between(int y, int m, int d)
{
	int32_t from = cal_days(y, m, d);
	while (cal_weekday(from) != 6)
		from++;
	return from;
}

bool
cal_is_holiday(int32_t days)
{
	int y, m, d;
	cal_civil(days, &y, &m, &d);
	/* Fixed days: nyårsdagen, trettondedag jul, första maj, nationaldagen, juldagen,
	 * annandag jul. */
	if ((m == 1 && (d == 1 || d == 6)) || (m == 5 && d == 1) || (m == 6 && d == 6) ||
	    (m == 12 && (d == 25 || d == 26)))
		return true;
	/* Movable: långfredag, påskdagen, annandag påsk, Kristi himmelsfärdsdag, pingstdagen. */
	int32_t easter = cal_easter(y);
	if (days == easter - 2 || days == easter || days == easter + 1 || days == easter + 39 ||
	    days == easter + 49)
		return true;
	/* Midsommardagen: the Saturday 20-26 June; alla helgons dag: the Saturday 31 Oct-6 Nov. */
	if (days == saturday_between(y, 6, 20) || days == saturday_between(y, 10, 31))
		return true;
	return false;
}

bool
cal_is_closed(int32_t days)
{
	if (cal_weekday(days) >= 6 || cal_is_holiday(days))
		return true;
	int y, m, d;
	cal_civil(days, &y, &m, &d);
	/* Midsommarafton (the Friday before midsommardagen), julafton, nyårsafton. */
	if (days == saturday_between(y, 6, 20) - 1)
		return true;
	return m == 12 && (d == 24 || d == 31);
}

int32_t
cal_next_working_day(int32_t days)
{
	while (cal_is_closed(days))
		days++;
	return days;
}

int
cal_quarter(int32_t days)
{
	int y, m, d;
	cal_civil(days, &y, &m, &d);
	return (m - 1) / 3 + 1;
}

int32_t
cal_quarter_start(int year, int quarter)
{
	return cal_days(year, (quarter - 1) * 3 + 1, 1);
}

int32_t
cal_quarter_end(int year, int quarter)
{
	int m = quarter * 3;
	return cal_days(year, m, time_days_in_month(year, m));
}
