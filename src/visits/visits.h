/*
 * Time reporting (issue 5): performed visits for home care, ledsagning and avlösning, their
 * deviations, personal-assistance hours and monthly time sheets, period locks, granted versus
 * performed time, and working-time (arbetstidslagen) warnings for the employer. This header
 * holds the module's public types and its pure rules (rules.c: no I/O, no globals); the bulk
 * intake parser is in bulk.h. Terms: shared/domain/glossary.md; personal assistance:
 * shared/domain/assistansersattning.md. The design is written down in docs/architecture.md,
 * "Time reports".
 *
 * Instants are UTC epoch seconds; every rule about days, weeks and months is evaluated in
 * Europe/Stockholm time, computed here from the EU summer-time rule (directive 2000/84/EC:
 * from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October),
 * so that the rules stay pure and do not depend on the process's TZ.
 */
#ifndef HANNA_VISITS_H
#define HANNA_VISITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Stockholm time ------------------------------------------------------------------- */

/* The offset from UTC in seconds (3600 or 7200) in Europe/Stockholm at an instant. */
int visits_tz_offset(int64_t t);
/* The Stockholm calendar day (days since 1970-01-01, src/base/calendar.h) of an instant. */
int32_t visits_local_day(int64_t t);
/* Minutes since Stockholm midnight of an instant (0..1439). */
int visits_local_minute(int64_t t);
/* An instant as people read it: Stockholm time "YYYY-MM-DD HH:MM" and a NUL into out[17]
 * (machine formats, such as JSON, keep RFC 3339 in UTC). */
void visits_local_stamp(int64_t t, char out[17]);
/* The instant of Stockholm midnight at the start of a day. */
int64_t visits_day_start(int32_t day);
/*
 * The instant of a Stockholm wall-clock time on a day (minute 0..1439). Returns 0 and *out,
 * or HERR_INVALID when the time does not exist (the hour skipped in spring); an hour that
 * occurs twice in autumn is HERR_CONFLICT unless ambiguous_pick chooses one of the two.
 */
int visits_local_instant(int32_t day, int minute, int ambiguous_pick, int64_t *out /* out */);
#define VISITS_AMBIGUOUS_REFUSE 0 /* ambiguous_pick: refuse a time that occurs twice */
#define VISITS_AMBIGUOUS_FIRST 1  /* ... take the first (summer-time) occurrence */
#define VISITS_AMBIGUOUS_SECOND 2 /* ... take the second (winter-time) occurrence */
/*
 * The Swedish message for a Stockholm wall-clock time on a day that does not exist (spring:
 * "tiden 02:30 finns inte den 29 mars (sommartid)") or occurs twice (autumn: "tiden 02:30
 * finns två gånger den 25 oktober (sommartiden slutar)"), into out[n]. Returns 0, or
 * HERR_INVALID (out untouched) when the time exists once or minute is out of range.
 */
int visits_local_time_message(int32_t day, int minute, char *out, size_t n);
/* A month as one number: year * 12 + (month - 1); and back. */
int visits_month_of_day(int32_t day);
int32_t visits_month_first_day(int month);
/* Writes YYYY-MM and a NUL into out[8]. */
void visits_month_format(int month, char out[8]);
/* Parses YYYY-MM; 0 and *month, or HERR_INVALID. */
int visits_month_parse(const char *s, int *month /* out */);

/* ---- Visits ----------------------------------------------------------------------------- */

/* What kind of service a report is for: decides the length and day rules. */
enum visits_kind {
	VISITS_HOME_CARE = 1, /* hemtjänst, ledsagning, avlösning: visits within one day */
	VISITS_ASSISTANCE = 2 /* personlig assistans: shifts, may cross midnight */
};

/* The longest visit and the longest assistance shift we accept (our choice, not law). */
#define VISITS_MAX_VISIT_MINUTES (12 * 60)
#define VISITS_MAX_SHIFT_MINUTES (24 * 60)
/* How far a reported end may lie ahead of the server's clock (phone clocks drift). */
#define VISITS_CLOCK_SKEW_SECONDS (5 * 60)

/* Why a visit's times are refused. */
enum visits_time_problem {
	VISITS_TIME_OK = 0,
	VISITS_TIME_END_NOT_AFTER_START = 1, /* end <= start */
	VISITS_TIME_TOO_LONG = 2,            /* longer than the kind's maximum */
	VISITS_TIME_IN_FUTURE = 3,           /* start or end after now (+ clock skew) */
	VISITS_TIME_CROSSES_DAY = 4          /* a home-care visit ending on a later Stockholm day */
};

/*
 * Checks the times of one visit of a kind against the clock now. end < 0: an open visit
 * (checked in, not yet out), only the start is checked. A home-care visit must end on the
 * Stockholm day it started (ending exactly at midnight is allowed); an assistance shift may
 * cross midnight (the sheet splits it). Returns enum visits_time_problem.
 */
int visits_check_times(int kind, int64_t start, int64_t end, int64_t now);
/* Swedish message for a time problem. Static storage. */
const char *visits_time_message(int problem);

/* One interval [start, end) that a new one may not overlap. */
struct visits_span {
	int64_t id;    /* the stored visit's id (0 for one not stored yet) */
	int64_t start; /* epoch seconds, inclusive */
	int64_t end;   /* epoch seconds, exclusive; < 0 while open (counts as start + 1 s) */
};

/*
 * Overlap check. Among spans (in any order), excluding the one with id exclude_id (a
 * correction replacing its original; 0 excludes nothing), finds whether a candidate
 * [start, end) would make more than allowed intervals run at the same moment: allowed is 1
 * for a staff member's own visits and for one customer's visits of one service, 2 where
 * double assistance (dubbelbemanning) is granted. An open candidate (end < 0) counts as
 * [start, start + 1). Returns the index of an overlapping span that breaks the limit, or -1.
 */
int visits_find_overlap(const struct visits_span *spans, int n, int64_t exclude_id, int64_t start,
                        int64_t end, int allowed);

/* ---- Deviations --------------------------------------------------------------------------- */

/*
 * Reason codes (avvikelsekoder) for a difference between planned or granted time and
 * performed time, entered by the staff member at the source. The codes and their effects are
 * the table in rules.c; the stored text is visits_deviation_code().
 */
enum visits_deviation {
	VISITS_DEV_NONE = 0,
	VISITS_DEV_DECLINED = 1,       /* bomtid: declined at the door, or not at home */
	VISITS_DEV_CANCELLED_LATE = 2, /* cancelled too late to replan: bomtid */
	VISITS_DEV_CANCELLED = 3,      /* cancelled in advance by the customer */
	VISITS_DEV_HOSPITAL = 4,       /* in hospital (inlagd) */
	VISITS_DEV_ABSENT = 5,         /* other planned absence: short-term stay, travel */
	VISITS_DEV_STAFF_LATE = 6,     /* staff late: visit performed, shorter or later */
	VISITS_DEV_SHORTER = 7,        /* the customer wanted a shorter visit */
	VISITS_DEV_LONGER = 8,         /* a greater need that day: longer than planned */
	VISITS_DEV_MISSED = 9,         /* the provider missed the visit (avvikelse) */
	VISITS_DEV_COUNT = 10
};

/* Whether time spent at the door (bomtid) is paid to the provider: the municipality's
 * compensation rules decide (glossary.md, bomtid), stored as its settings (src/settings,
 * keys "visits.bomtid_paid" and "visits.bomtid_max_minutes"). The customer is never charged
 * for it. */
struct visits_policy {
	bool pay_wasted;        /* providers are paid for bomtid */
	int wasted_max_minutes; /* at most this many minutes of bomtid per visit (0-240) */
};

/* The rule where the municipality has set none: paid, at most 60 minutes a visit. */
#define VISITS_POLICY_DEFAULT ((struct visits_policy){.pay_wasted = true, .wasted_max_minutes = 60})
/* The highest cap a municipality may set, in minutes. */
#define VISITS_WASTED_MAX_MINUTES 240
/* The prefix of the settings keys of the rule. */
#define VISITS_SETTINGS_PREFIX "visits."

/*
 * Applies one stored setting to p: key without the prefix, "bomtid_paid" ("true" or "false")
 * or "bomtid_max_minutes" (decimal 0-240). 0, or HERR_INVALID for an unknown key or a bad
 * value (p unchanged).
 */
int visits_policy_set(struct visits_policy *p, const char *key, const char *value);
/* Whether a deviation is bomtid (counted per the policy). */
bool visits_deviation_wasted(int deviation);

struct audit_entry;
struct db;
/* Stores a tenant's bomtid rule (p checked by the caller: cap 0-240) as its settings, by who
 * (user_id 0 for the system) at now, with one audit record of the change naming no person
 * (action "update", entity "setting"), in one write job. Reports counted from the next write
 * job on use it. 0 or a code. */
int visits_policy_store(struct db *db, int64_t tenant, const struct visits_policy *p,
                        const struct audit_entry *who, int64_t now);

/* How one report counts. */
struct visits_minutes {
	int performed; /* performed for the customer: the basis of granted vs performed */
	int spent;     /* staff time spent, performed or not (bomtid included) */
	int billable;  /* counts toward the customer's fee basis */
	int payable;   /* paid to the provider */
};

/*
 * How a report counts, given its actual minutes (the checked-in time, or 0 when nobody went)
 * and its deviation. Deviations with no visit (cancelled, hospital, absent, missed) count
 * nothing whatever minutes says; bomtid is spent but not performed nor billable, and payable
 * per policy; the others count the actual minutes in full. Returns 0 or HERR_INVALID for an
 * unknown code or negative minutes.
 */
int visits_count(int deviation, int minutes, const struct visits_policy *policy,
                 struct visits_minutes *out /* out */);
/* The stored code ("declined", ...) and the Swedish label. Static storage; NULL if unknown. */
const char *visits_deviation_code(int deviation);
const char *visits_deviation_label(int deviation);
/* Parses a stored code; VISITS_DEV_NONE for "" or NULL; -1 when unknown. */
int visits_deviation_parse(const char *code);
/* True when the code means nobody performed the visit (no check-in/out needed). */
bool visits_deviation_without_visit(int deviation);
/* True when a report with the deviation shows the insats was delivered (counted as performed:
 * none, staff late, shorter, longer), so that it executes the decision behind its order
 * (cases_executed_by_delivery); bomtid and the reports without a visit do not. */
bool visits_deviation_delivers(int deviation);

/* ---- Granted versus performed ------------------------------------------------------------ */

/* One report of a month, for the comparison. */
struct visits_month_item {
	int deviation;         /* enum visits_deviation */
	int planned_minutes;   /* the planned length; 0 when not planned */
	int performed_minutes; /* from visits_count */
};

/* Granted versus performed for one customer, provider, service and month. */
struct visits_gap {
	int64_t granted;                     /* granted minutes of the month */
	int64_t performed;                   /* performed minutes */
	int64_t difference;                  /* granted - performed (negative: more performed) */
	int64_t by_reason[VISITS_DEV_COUNT]; /* minutes of the difference each reason explains */
	int64_t unexplained;                 /* difference - the sum of by_reason */
};

/*
 * Sums a month. Each item with a deviation explains the planned minutes it did not perform
 * (planned - performed when positive, for longer: performed - planned as a negative amount);
 * what the reasons do not explain is unexplained. Pure; writes *out.
 */
void visits_granted_vs_performed(int64_t granted_minutes, const struct visits_month_item *items,
                                 int n, struct visits_gap *out /* out */);

/* ---- Period locks ------------------------------------------------------------------------- */

/*
 * Where a change to a visit in month goes, given a provider's locked months (in any order).
 * An open month: the change is booked in that month (*book = month). A locked month: the
 * change needs a reason (has_reason) and is booked as an adjustment in the first open month
 * after it (the next billing run). Returns 0 and *book, or HERR_RULE (locked, no reason).
 */
int visits_booking_month(int month, const int *locked, int nlocked, bool has_reason,
                         int *book /* out */);

/* ---- Personal assistance -------------------------------------------------------------------- */

enum visits_pa_kind {
	VISITS_PA_ACTIVE = 1, /* assistance (including jour: present and available) */
	VISITS_PA_ONCALL = 2  /* beredskap: reachable, not at the workplace */
};

/* One shift of one assistant for one assisted person. */
struct visits_pa_shift {
	int assistant; /* index into the sheet's assistants */
	int64_t start; /* epoch seconds */
	int64_t end;   /* epoch seconds, > start */
	int kind;      /* enum visits_pa_kind */
};

/* One assistant on a sheet. */
struct visits_pa_assistant {
	int32_t birth_day; /* day number of the birth date: under 18 is not payable (SFB 51:16) */
};

/* What the grant says, for the month. */
struct visits_pa_grant {
	int64_t granted_minutes; /* granted assistance minutes in the month */
	bool double_granted;     /* dubbel assistans: two assistants at once are payable */
	int oncall_num;          /* one beredskap minute counts as oncall_num / oncall_den */
	int oncall_den;          /*   assistance minutes, as the decision states (den > 0) */
};

#define VISITS_PA_MAX_ASSISTANTS 32

/* One assistant's minutes on one day of the month. */
struct visits_pa_day {
	int active;        /* assistance minutes */
	int oncall;        /* beredskap minutes */
	int dbl;           /* of active, minutes while another assistant was also active */
	int unpaid;        /* of active, minutes not payable (under 18, or double not granted) */
	int unpaid_oncall; /* of oncall, minutes not payable (under 18) */
};

/* The monthly time sheet (tidsredovisning) of one assisted person. Caller frees with
 * visits_pa_sheet_release(). */
struct visits_pa_sheet {
	int month;                  /* year * 12 + month - 1 */
	int ndays;                  /* days in the month */
	int nassistants;            /* assistants on the sheet */
	struct visits_pa_day *days; /* [assistant * ndays + day - 1] */
	int64_t active;             /* all assistants' assistance minutes */
	int64_t oncall;             /* all beredskap minutes */
	int64_t dbl;                /* minutes of double assistance (counted per assistant) */
	int64_t unpaid;             /* minutes not payable */
	int64_t payable;            /* active - unpaid + beredskap converted */
	int64_t within_grant;       /* min(payable, granted) */
	int64_t over_grant;         /* payable - within_grant */
};

/*
 * Builds the sheet of a month from shifts (in any order): each shift is clipped to the month
 * and split at Stockholm midnights into days, counted in elapsed minutes (a shift over the
 * spring-forward night is an hour shorter, as FK counts it: assistansersattning.md section
 * 5). Minutes of an assistant under 18 on the day are unpaid (SFB 51:16, LSS 9 d §); when
 * two or more assistants are active at once, the extra ones are double assistance, unpaid
 * unless double assistance is granted (and a third at once is unpaid in any case). Returns 0
 * or HERR_INVALID (a shift with end <= start, an unknown assistant or kind, den <= 0).
 */
int visits_pa_sheet_build(int month, const struct visits_pa_assistant *assistants, int nassistants,
                          const struct visits_pa_shift *shifts, int nshifts,
                          const struct visits_pa_grant *grant,
                          struct visits_pa_sheet *out /* out */);
void visits_pa_sheet_release(struct visits_pa_sheet *s);

/* ---- Arbetstidslagen ---------------------------------------------------------------------- */

enum visits_atl_warning {
	VISITS_ATL_DAILY_REST = 1,   /* under 11 h consecutive rest in a 24-hour period (13 §) */
	VISITS_ATL_WEEKLY_REST = 2,  /* under 36 h consecutive rest in a 7-day period (14 §) */
	VISITS_ATL_OVERTIME = 3,     /* more than ordinary time in a week: overtime (5 §, 7 §) */
	VISITS_ATL_OVERTIME_4W = 4,  /* overtime over 48 h in four weeks (7 § 2 st) */
	VISITS_ATL_OVERTIME_YEAR = 5 /* overtime over 200 h in the calendar year (7 § 2 st) */
};

struct visits_atl_item {
	int code;        /* enum visits_atl_warning */
	int32_t day;     /* the first day of the period it concerns (day number) */
	int64_t minutes; /* rest found (rest warnings), or overtime minutes */
};

/* The rules' parameters: arbetstidslagen's figures unless a collective agreement says other. */
struct visits_atl_rules {
	int daily_rest_minutes;    /* 11 h */
	int weekly_rest_minutes;   /* 36 h */
	int ordinary_week_minutes; /* 40 h, or the employee's full-time ordinary hours */
	int overtime_4w_minutes;   /* 48 h */
	int overtime_year_minutes; /* 200 h */
};
extern const struct visits_atl_rules visits_atl_law;

/*
 * Working-time warnings for one employee's work intervals (active assistance or visits; not
 * beredskap, which is not working time under arbetstidslagen), in any order, for the days
 * first..last (day numbers). Daily rest: within 24 hours from the start of each work period
 * that starts on one of the days, a rest of at least 11 h must begin. Weekly rest: each ISO
 * week overlapping the days must overlap a rest of at least 36 h. Rest is measured whole and
 * is unbounded before the first and after the last interval, so pass the work of the week
 * before first and the week after last too. Overtime: minutes over the ordinary week per ISO
 * week; four consecutive weeks; the calendar year, counting overtime_before (the employee's
 * overtime earlier in the year). Writes at most max warnings to out and returns how many were
 * found (may exceed max), or HERR_INVALID for an interval with end <= start.
 */
int visits_atl_check(const struct visits_span *work, int n, int32_t first, int32_t last,
                     int64_t overtime_before, const struct visits_atl_rules *rules,
                     struct visits_atl_item *out /* out */, int max);
/* Swedish message for a warning code. Static storage. */
const char *visits_atl_message(int code);

#endif
