/*
 * Time: instants are UTC epoch seconds; calendar rules are evaluated in Europe/Stockholm
 * (ARCHITECTURE.md, Storage). Dates are YYYY-MM-DD strings.
 */
#ifndef HANNA_TIMEUTIL_H
#define HANNA_TIMEUTIL_H

#include <stdbool.h>
#include <stdint.h>

struct strbuf;

/* Seconds since the epoch, UTC. */
int64_t time_now(void);
/* Microseconds from a monotonic clock. */
int64_t time_mono_us(void);
/* Appends an instant as RFC 3339 with offset in UTC, e.g. 2026-11-22T19:00:00Z. */
void time_rfc3339(struct strbuf *sb, int64_t epoch);
/* Today's date in Europe/Stockholm (the process runs with TZ set so) as YYYY-MM-DD. */
void time_today(char out[11]);
/* True for a leap year in the Gregorian calendar. */
bool time_is_leap(int year);
/* Days in a month (1-12) of a year; 0 for a month out of range. */
int time_days_in_month(int year, int month);
/* True when year-month-day names a real calendar day. */
bool time_valid_date(int year, int month, int day);
/* Parses YYYY-MM-DD strictly; 0 or HERR_INVALID. */
int time_parse_date(const char *s, int *year /* out */, int *month /* out */, int *day /* out */);

#endif
