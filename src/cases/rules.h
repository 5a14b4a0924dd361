/*
 * The authority process's rules as pure functions (ARCHITECTURE.md, module rooms: rules.c):
 * delegation (shared/domain/legal-duties.md section 6), follow-up and end dates, unexecuted
 * decisions (section 1: three months from the decision), and the appeal deadline (section 7:
 * three weeks from receipt, moved to the next working day by lag (1930:173)). No I/O, no
 * globals; dates are day numbers (src/base/calendar.h).
 */
#ifndef HANNA_CASES_RULES_H
#define HANNA_CASES_RULES_H

#include <stdbool.h>
#include <stdint.h>

/* Who may decide: a rule at a level gives authority to that level and every level above. */
enum cases_level {
	LEVEL_CASEWORKER = 1,   /* biståndshandläggare */
	LEVEL_UNIT_MANAGER = 2, /* enhetschef */
	LEVEL_COMMITTEE = 3,    /* individutskottet / nämnden: not delegated */
};

enum cases_outcome {
	OUTCOME_GRANTED = 1,        /* bifall */
	OUTCOME_PARTLY_GRANTED = 2, /* delvis bifall */
	OUTCOME_REFUSED = 3,        /* avslag */
};

/* One point of the delegation order (delegationsordning). */
struct delegation_rule {
	const char *point;   /* the order's item number, e.g. "3.1.2" */
	const char *service; /* service code, or "*" for every service */
	int level;           /* enum cases_level the authority is given to */
	bool may_grant;      /* covers granted and partly granted decisions */
	bool may_refuse;     /* covers refusals (and the refused part of a partial grant) */
	int max_hours;       /* largest scope in hours per month; -1 for no limit */
	int max_months;      /* longest period in months; -1 for no limit */
};

/* What is to be decided. */
struct decision_ask {
	const char *service; /* service code */
	int outcome;         /* enum cases_outcome */
	int hours;           /* granted hours per month (0 when not measured in hours) */
	int months;          /* length of the period in whole months, rounded up; -1 open */
};

/*
 * The delegation check. Returns true when a user at user_level may take the decision, with
 * *rule the point that gives the authority (NULL when the user is the committee itself).
 * *needed is always set: the lowest level that may take it (LEVEL_COMMITTEE when no point of
 * the order covers it).
 */
bool cases_may_decide(const struct delegation_rule *rules, int n, int user_level,
                      const struct decision_ask *ask, const struct delegation_rule **rule /* out */,
                      int *needed /* out */);
/* Swedish name of a level, e.g. "enhetschef". Static storage. */
const char *cases_level_name(int level);

/* Whole months from start to end inclusive, rounded up (2026-01-01..2026-06-30 is 6). */
int cases_period_months(int32_t start, int32_t end);

/* The follow-up date of a granted decision: months after its start, but never after its end
 * (end < 0: open-ended). */
int32_t cases_followup_date(int32_t start, int32_t end, int months);
/* True when a decision ending on end (>= 0) ends within days of today (and not before). */
bool cases_ends_soon(int32_t end, int32_t today, int days);

/* The last day for executing a granted decision before it must be reported: the decision
 * date plus three months (SoL 34 kap 1 §, LSS 28 f §). */
int32_t cases_execution_deadline(int32_t decided);
/*
 * The day a granted decision stopped waiting for execution: the earlier of the day it was
 * executed and the day it was closed without execution (-1 each when not), -1 when neither.
 * An execution on the same day as a closing wins: the decision was executed. *by_closing (may
 * be NULL) is set to whether the closing ended the wait.
 */
int32_t cases_wait_end(int32_t executed, int32_t closed, bool *by_closing /* out */);
/*
 * Whether a granted decision belongs in the report for the quarter from quarter_start to
 * quarter_end (legal-duties.md section 1): its deadline falls on or before quarter_end, the
 * wait did not end (cases_wait_end) on or before the deadline, and it did not end before
 * quarter_start. It is then either still waiting at quarter_end, or its wait ended within the
 * quarter: executed (reported with the execution date, SoL 34 kap 2 §) or closed without
 * execution (reported with the closing date and reason). executed, closed < 0: not so.
 */
bool cases_reportable(int32_t decided, int32_t executed, int32_t closed, int32_t quarter_start,
                      int32_t quarter_end);
/* Days waited for execution as of a date: from the decision to the end of the wait
 * (cases_wait_end) or as_of, whichever comes first; 0 when that is not after the decision. */
int cases_days_waited(int32_t decided, int32_t executed, int32_t closed, int32_t as_of);

/*
 * Trigger B (legal-duties.md section 1; SoL 34 kap. 1 §, LSS 28 f §): an interruption of the
 * execution of a granted decision that is not resumed within three months from the
 * interruption is reported like a decision not executed in time, by the same three functions
 * with the interruption's first day in place of the decision date and its resumption in place
 * of the execution: cases_execution_deadline(from) is its deadline; cases_wait_end(resumed,
 * closed) ends the wait, where closed is the day the decision was closed while interrupted
 * (a resumption on the same day as a closing wins); cases_reportable(from, resumed, closed,
 * quarter_start, quarter_end) says whether it belongs in a quarter (still interrupted at the
 * quarter's end, or resumed or closed within the quarter: the last notice), and
 * cases_days_waited(from, resumed, closed, as_of) counts the days from the interruption.
 */

/* Longest statement of an interruption (why it was interrupted, why it is not resumed yet),
 * in bytes. */
#define CASES_INTERRUPTION_REASON_MAX 1000

/* An interruption as asked (POST /api/v1/decisions/{id}/interruptions), checked by
 * cases_interruption_check. Dates are day numbers. */
struct interruption_ask {
	int32_t executed;   /* the decision's execution date, -1 when it is not executed */
	int32_t end;        /* the last day of its period, -1 until further notice */
	int32_t resumed;    /* the latest resumption of an earlier interruption, -1 none */
	int32_t from;       /* the first day asked for, -1 when missing or not a date */
	int32_t today;      /* today in Europe/Stockholm */
	const char *reason; /* the statement of why, "" when missing */
};
/*
 * The checks of an interruption's input (not of the decision's state, apart from its dates):
 * from_date a date on or after the execution (an unexecuted decision cannot be interrupted),
 * not after today, not after the last day of the decision's period, and not before the
 * resumption of the one before; reason not only white space and at most
 * CASES_INTERRUPTION_REASON_MAX bytes. Adds a field error per problem ("from_date", "reason");
 * returns the number added.
 */
struct field_errors;
int cases_interruption_check(const struct interruption_ask *a, struct field_errors *fe);
/* The check of a resumption: resumed a date (-1 when missing or not a date) neither before
 * the interruption's first day from nor after today. Adds a field error "resumed_date";
 * returns the number added (0 or 1). */
int cases_resumption_check(int32_t from, int32_t resumed, int32_t today, struct field_errors *fe);

/* Why a granted decision ended without being executed (decisions.closed_reason). */
struct close_reason {
	const char *code;  /* "declined" */
	const char *title; /* Swedish, for reports and pages: "Tackat nej" */
	bool by_user;      /* may be given by a caseworker; "replaced" comes only from a
	                    * reassessment that replaces the decision */
};
extern const struct close_reason cases_close_reasons[];
extern const int cases_nclose_reasons;
/* The reason with that code, NULL when none. */
const struct close_reason *cases_close_reason(const char *code);

/* Longest statement (kort redogörelse) of a closing, in bytes. */
#define CASES_CLOSE_NOTE_MAX 1000

/* A closing without execution as asked (POST /api/v1/decisions/{id}/closing), checked by
 * cases_closing_check. Dates are day numbers. */
struct closing_ask {
	int32_t decided;     /* the decision date */
	int32_t end;         /* the last day of its period, -1 until further notice */
	int32_t closed;      /* the closing date asked for, -1 when missing or not a date */
	int32_t today;       /* today in Europe/Stockholm */
	const char *reason;  /* the reason's code as given, "" when missing */
	const char *note;    /* the statement, "" when none */
	int32_t interrupted; /* an executed decision: the first day of its open interruption (the
	                      * only state in which it may be closed), -1 otherwise */
};
/*
 * The checks of a closing's input (not of the decision's state): closed_date a date neither
 * before the decision date (nor, for an interrupted decision, before the interruption's
 * first day) nor after today, and for period_ended the last day of the period
 * (a decision until further notice has no period that runs out); reason a code a caseworker
 * may give (cases_close_reason, by_user); note at most CASES_CLOSE_NOTE_MAX bytes and given
 * for "other". Adds a field error per problem ("closed_date", "reason", "note"); returns the
 * number added.
 */
struct field_errors;
int cases_closing_check(const struct closing_ask *a, struct field_errors *fe);

/* The appeal deadline: three weeks after the day the decision was received, moved to the next
 * working day when it falls on a Saturday, Sunday, public holiday, midsummer, Christmas or
 * New Year's eve (FL 44 §; lag (1930:173) 2 §). */
int32_t cases_appeal_deadline(int32_t received);

/* Whether a case may move from one state to another (pure; the one transition table). */
bool cases_transition_ok(const char *from, const char *to);
/*
 * Whether a decision may be made in a case in state: always under investigation or in
 * follow-up; in a decided or executing case only on an insats applied for in the case that
 * has no decision there yet (undecided), so that each insats of an application with several
 * is decided; never in a received, closed or withdrawn case.
 */
bool cases_decision_state_ok(const char *state, bool undecided);
struct decision;
/*
 * Whether a new decision on service in the case case_id may replace old (omprövning): old is
 * a decision of the same case on the same service, granted or partly granted, and still in
 * force (neither replaced nor closed without execution). A refusal is never replaced: asking
 * again after one is a new application with a decision of its own. service NULL: any service
 * (the choices of a form before its service is picked).
 */
bool cases_replaceable(const struct decision *old, int64_t case_id, const char *service);
/* Whether a state name is known. */
bool cases_state_valid(const char *state);
/* Swedish name of a state, and the next step the person can expect. Static storage. */
const char *cases_state_title(const char *state);
const char *cases_next_step(const char *state);
/* The investigation due date of a case received on a day: 28 days later, the next working
 * day when that is closed. */
int32_t cases_due_date(int32_t received);

/* The checks of a new investigation template: code 1-40 of a-z, 0-9, '_' and '-'; name 1-100
 * bytes; law "SoL" or "LSS"; 1-20 sections, each with a heading of 1-100 bytes unique within
 * the template and guidance of at most 1,000. Adds a field error per problem, named as the
 * JSON request names it ("sections[2].heading"). Returns the number of errors added. */
struct field_errors;
struct inv_template;
struct inv_section;
int cases_template_check(const struct inv_template *t, const struct inv_section *s, int n,
                         struct field_errors *fe);

#endif
