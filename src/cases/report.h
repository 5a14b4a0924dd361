/*
 * Reports of the authority process (shared/domain/legal-duties.md sections 1 and 6): the
 * quarterly list of granted decisions not executed within three months (ej verkställda beslut,
 * for IVO and the municipal auditors) with the council's statistics, the list of delegated
 * decisions for the board (anmälan av delegationsbeslut), lead times for the manager, and the
 * caseworker's follow-ups. Which decision belongs in which quarter is decided by the pure rules
 * of rules.h (cases_reportable); SQL lives in store.c, section "reports".
 *
 * Persons appear in the reports only as birth date (YYYYMMDD) and sex, never with the full
 * personnummer (legal-duties.md section 1, "IVO practice").
 */
#ifndef HANNA_CASES_REPORT_H
#define HANNA_CASES_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "audit/audit.h"
#include "rules.h"

struct db;
struct db_conn;
struct req;
struct strbuf;

/* The largest number of decisions one report lists; more is HERR_LIMIT. */
#define REPORT_MAX_ROWS 20000
/* The years a quarter report may be asked for. */
#define REPORT_YEAR_MIN 2000
#define REPORT_YEAR_MAX 2100
/* Longest statement of reasons for a delay, in bytes. */
#define REPORT_REASON_MAX 1000

/* One decision as the reports see it: the decision, its case, its service and the person's
 * number, which leaves report.c only masked (cases_report_mask). */
struct report_row {
	int64_t id;                /* decisions.id */
	int64_t case_id;           /* the case */
	int64_t person_id;         /* the person, for the audit record */
	int64_t replaced_by;       /* the decision that replaced it, 0 when none */
	char case_number[24];      /* "2026-000042" */
	char case_state[16];       /* the case's state */
	char received_date[11];    /* the day the case came in */
	char service[41];          /* service code */
	char service_name[101];    /* "Trygghetslarm"; the code when the catalogue lacks it */
	char law[8];               /* SoL, LSS */
	char outcome[16];          /* granted, partly_granted, refused */
	char decision_date[11];    /* YYYY-MM-DD */
	char executed_date[11];    /* "" when not executed */
	char start_date[11];       /* "" for a refusal */
	char end_date[11];         /* "" until further notice */
	char followup_date[11];    /* "" when none */
	char decided_by_name[128]; /* who decided */
	int decided_level;         /* enum cases_level */
	char delegation_point[24]; /* "" when the committee decided */
	char delay_reason[REPORT_REASON_MAX + 1]; /* "" when none is recorded */
	char pnr[13];                             /* twelve digits; never printed */
	char closed_date[11];                     /* closed without execution on, "" when not */
	char closed_reason[16]; /* struct close_reason code (rules.h), "" when not closed */
	char closed_note[CASES_CLOSE_NOTE_MAX + 1]; /* the statement of the closing, "" for none */
};

/* The waiting intervals of the council's statistics (SoL 34 kap. 3 §, LSS 28 h §). */
enum report_wait {
	REPORT_WAIT_3_6 = 0,     /* three to six months since the decision */
	REPORT_WAIT_6_12 = 1,    /* six to twelve months */
	REPORT_WAIT_OVER_12 = 2, /* twelve months or more */
	REPORT_NWAIT = 3,
};

/* What a row of the quarter report is about (legal-duties.md section 1: the two triggers). */
enum report_kind {
	REPORT_NOT_EXECUTED = 0, /* trigger A: a granted decision not executed within three
	                          * months of the decision */
	REPORT_INTERRUPTED = 1,  /* trigger B: its execution interrupted and not resumed within
	                          * three months of the interruption */
	REPORT_NKIND = 2,
};

/* The interruption of a row of kind REPORT_INTERRUPTED. */
struct report_interruption {
	int64_t id;                                     /* decision_interruptions.id */
	char from_date[11];                             /* its first day */
	char reason[CASES_INTERRUPTION_REASON_MAX + 1]; /* why it was interrupted */
	char resumed_date[11];                          /* resumed on, "" while not */
};

/* A row of the quarter's report: a decision not executed in time, or an interruption not
 * resumed in time. At most one of the flags is set; with none, the wait goes on at the
 * quarter's end. For an interruption d.delay_reason is the interruption's statement of why it
 * is not resumed, and the days count from its first day. */
struct report_unexecuted {
	struct report_row d;           /* the decision */
	int kind;                      /* enum report_kind */
	struct report_interruption in; /* REPORT_INTERRUPTED: the interruption */
	int days_waited;          /* as of the quarter's end, or the end of the wait within it */
	int wait;                 /* enum report_wait of days_waited */
	bool executed_in_quarter; /* executed within the quarter: report the execution date */
	bool resumed_in_quarter;  /* an interruption resumed within the quarter: report the date */
	bool closed_in_quarter;   /* the decision closed (without execution, or while interrupted)
	                           * within the quarter: report the closing date and reason
	                           * (cases_wait_end) */
};

/* A decision of the caseworker's follow-up list. */
struct report_followup {
	struct report_row d; /* the decision */
	bool ends_soon;      /* ends within the horizon (cases_ends_soon) */
	bool overdue;        /* its follow-up date has passed */
};

/* Count, median and mean of a measure in days. */
struct report_stat {
	int n;         /* values */
	double median; /* 0 when n is 0 */
	double mean;   /* 0 when n is 0 */
};

/* The council's statistics of one service (or of all) for one kind of row: those still
 * waiting at the quarter's end (decisions unexecuted, or interruptions not resumed) per
 * waiting interval, and apart from them those whose wait ended within the quarter. */
struct report_count {
	const char *service; /* code, borrowed from the rows */
	const char *name;    /* name, borrowed from the rows */
	const char *law;     /* SoL, LSS */
	int n[REPORT_NWAIT]; /* still waiting per waiting interval */
	int total;           /* still waiting: the sum of n */
	int executed;        /* executed within the quarter (or, for interruptions, resumed) */
	int closed;          /* decisions closed within the quarter */
};

/* The lead times of one service, or of all (service, name and law ""). */
struct report_lead {
	char service[41]; /* code */
	char name[101];   /* name */
	char law[8];      /* SoL, LSS */
	struct report_stat
	    handling; /* days from application (received) to decision; n: decisions */
	struct report_stat execution; /* days from decision to execution, of those executed */
};

/* ---- pure parts ---------------------------------------------------------------------- */

/*
 * The person as the reports name them: birth date YYYYMMDD (a samordningsnummer's day less 60)
 * and "kvinna" or "man" from the ninth digit of the ten-digit form (even: woman, odd: man).
 * The last four digits are never part of the output. 0, or HERR_INVALID when pnr is not twelve
 * digits. *sex has static storage.
 */
int cases_report_mask(const char *pnr, char birth[9] /* out */, const char **sex /* out */);

/* Appends one CSV field for Swedish Excel (semicolon separated): quoted with inner quotes
 * doubled when it holds ';', '"', CR or LF; a text starting with '=', '+', '-', '@' or a tab
 * gets a leading apostrophe so that a spreadsheet never reads it as a formula. */
void cases_csv_field(struct strbuf *sb, const char *s);

/* Sorts v (n values) and sets out->n, the median (the mean of the two middle values for an even
 * count) and the mean. n may be 0. */
void cases_report_stat(int *v, int n, struct report_stat *out /* out */);

/* The waiting interval of a decision taken on decided and waiting until until (day numbers):
 * calendar months, so six months after 2026-01-31 is 2026-07-31. */
int cases_report_wait(int32_t decided, int32_t until);
/* Swedish label of an interval, e.g. "3–6 månader". Static storage. */
const char *cases_report_wait_title(int wait);

/* Counts the rows of one kind (enum report_kind) per service, by law and name: those still
 * waiting per waiting interval (n, total), those executed or resumed (executed) and closed
 * (closed) within the quarter apart; sum holds the totals. Rows of the other kind are not
 * counted. Returns the number of services. Caller frees *out with free(); its strings are
 * borrowed from rows. */
int cases_report_count(const struct report_unexecuted *rows, int n, int kind,
                       struct report_count **out /* out */, struct report_count *sum /* out */);

/* First and last day of a quarter; HERR_INVALID for a year outside REPORT_YEAR_MIN..MAX or a
 * quarter outside 1..4. */
int cases_report_quarter(int year, int quarter, int32_t *start /* out */, int32_t *end /* out */);
/* The latest decision date that can be reportable in a quarter ending on quarter_end (an upper
 * bound for the candidate query; cases_reportable decides). */
int32_t cases_report_latest_decision(int32_t quarter_end);

/* The kind of a row in Swedish: "Ej verkställt beslut" or "Avbrott i verkställighet". Static
 * storage. */
const char *cases_report_kind_title(int kind);
/* The state of a row at the quarter's end in Swedish: "Ej verkställt", "Verkställt" or
 * "Avslutat utan verkställighet"; for an interruption "Ej återupptaget", "Återupptaget" or
 * "Avslutat under avbrott". Static storage. */
const char *cases_report_state_title(const struct report_unexecuted *u);
/* The state of a row as a JSON code: waiting, executed, closed; for an interruption
 * interrupted, resumed, closed. Static storage. */
const char *cases_report_state_code(const struct report_unexecuted *u);
/* Appends how a row's wait ended within the quarter: the execution date, "Återupptaget
 * 2026-05-04", or "Avslutat utan verkställighet 2026-05-04: Tackat nej" ("Avslutat under
 * avbrott …" for an interruption) with ". " and the statement when there is one; nothing for
 * a row still waiting. */
void cases_report_end_text(const struct report_unexecuted *u, struct strbuf *sb);
/* Appends an interruption row's interruption: "2026-03-02: Vårdas på sjukhus"; nothing for a
 * decision not executed. */
void cases_report_interruption_text(const struct report_unexecuted *u, struct strbuf *sb);

/* The quarter report as CSV (UTF-8 with BOM, semicolons, CRLF, Swedish headings): the list of
 * decisions and interruptions (column Typ), an empty line, then the council's statistics of
 * the decisions, an empty line and those of the interruptions. */
void cases_report_unexecuted_csv(const struct report_unexecuted *rows, int n, struct strbuf *out);
/*
 * The quarter report as PDF: A4 landscape, DejaVu Sans, titled "Ej verkställda beslut kvartal
 * N ÅÅÅÅ" with the municipality's name, the list with its header row repeated on every page,
 * then the council's statistics. 0 and *pages (may be NULL), HERR_INVALID for text that is not
 * UTF-8, HERR_INTERNAL when Cairo fails, HERR_LIMIT when out's limit is passed.
 */
int cases_report_unexecuted_pdf(const char *municipality, int year, int quarter,
                                const struct report_unexecuted *rows, int n, struct strbuf *out,
                                int *pages /* out */);

/* ---- reading and writing ------------------------------------------------------------- */

/* Calls fn for every granted or partly granted decision of the tenant that belongs in the
 * report of the quarter (cases_reportable), by decision date, then for every interruption that
 * belongs in it (cases_reportable from the interruption's first day), by first day.
 * HERR_INVALID for a bad quarter. */
int cases_report_unexecuted(struct db_conn *c, int64_t tenant, int year, int quarter,
                            void (*fn)(const struct report_unexecuted *, void *), void *arg);
/* Calls fn for every decision of the tenant taken from from to to (YYYY-MM-DD, inclusive), by
 * decision date; HERR_LIMIT beyond REPORT_MAX_ROWS (fn has then seen the first ones). */
int cases_report_period(struct db_conn *c, int64_t tenant, const char *from, const char *to,
                        void (*fn)(const struct report_row *, void *), void *arg);
/* The lead times of the decisions taken from from to to (as cases_report_period): (*out)[0]
 * for all of them, then one entry per service in the order first decided; *n entries in all.
 * Caller frees *out with free(). HERR_LIMIT beyond REPORT_MAX_ROWS. */
int cases_report_lead_times(struct db_conn *c, int64_t tenant, const char *from, const char *to,
                            struct report_lead **out /* out */, int *n /* out */);
/* Calls fn for the decisions in force in the open cases assigned to caseworker whose follow-up
 * date is on or before today + within, or that end within days (cases_ends_soon). */
int cases_report_followups(struct db_conn *c, int64_t tenant, int64_t caseworker, int32_t today,
                           int within, void (*fn)(const struct report_followup *, void *),
                           void *arg);
/* Records the reason why a granted decision is not executed yet (1..REPORT_REASON_MAX bytes),
 * with a timeline event and an audit record in one transaction. HERR_RULE for a refusal,
 * HERR_NOT_FOUND for no such decision. */
int cases_delay_reason(struct db *db, int64_t tenant, int64_t decision_id, const char *reason,
                       const struct audit_entry *who);

/* ---- routes (src/http/routes.c) ------------------------------------------------------ */

int cases_api_report_unexecuted(struct req *r); /* GET /api/v1/reports/unexecuted */
int cases_api_report_delegated(struct req *r);  /* GET /api/v1/reports/delegated */
int cases_api_report_lead_times(struct req *r); /* GET /api/v1/reports/lead-times */
int cases_api_followups(struct req *r);         /* GET /api/v1/followups */
int cases_api_delay_reason(struct req *r);      /* POST /api/v1/decisions/{id}/delay-reason */

#endif
