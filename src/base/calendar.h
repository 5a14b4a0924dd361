/*
 * Calendar dates as day numbers (days since 1970-01-01, proleptic Gregorian), conversions to
 * and from YYYY-MM-DD, month arithmetic, and the Swedish calendar of public holidays used to
 * compute statutory time limits (lag (1930:173) om beräkning av lagstadgad tid). Pure.
 */
#ifndef HANNA_CALENDAR_H
#define HANNA_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

/* Day number of a valid civil date (Howard Hinnant's days_from_civil). */
int32_t cal_days(int y, int m, int d);
/* The civil date of a day number. */
void cal_civil(int32_t days, int *y /* out */, int *m /* out */, int *d /* out */);
/* Parses YYYY-MM-DD; 0 and *days, or HERR_INVALID. */
int cal_parse(const char *s, int32_t *days /* out */);
/* Writes YYYY-MM-DD and a NUL into out[11]. */
void cal_format(int32_t days, char out[11]);
/* ISO weekday: 1 Monday ... 7 Sunday. */
int cal_weekday(int32_t days);
/*
 * Adds calendar months: the same day of the month n months later, or the month's last day
 * when it has no such day (2026-01-31 + 1 month = 2026-02-28). n may be negative.
 */
int32_t cal_add_months(int32_t days, int n);
/* Easter Sunday of a year (anonymous Gregorian algorithm). */
int32_t cal_easter(int year);
/* True for Swedish public holidays (allmänna helgdagar) and the days the time-limit law
 * treats like them: Saturdays, Sundays, midsummer eve, Christmas eve, New Year's eve. */
bool cal_is_holiday(int32_t days);
bool cal_is_closed(int32_t days);
/* The day itself if it is a working day, else the next working day (time-limit law 2 §). */
int32_t cal_next_working_day(int32_t days);
/* Quarter 1-4 of a day, and the first and last day of a quarter. */
int cal_quarter(int32_t days);
int32_t cal_quarter_start(int year, int quarter);
int32_t cal_quarter_end(int year, int quarter);

#endif
