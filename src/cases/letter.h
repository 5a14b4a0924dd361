/*
 * Decision letters (beslutsbrev) as PDF, drawn with Cairo and Pango in Swedish (issue 3, item
 * 5): who decided what, for which period and scope, the reasons (FL 32 §), and for a refusal or
 * partial grant the appeal instructions (besvärshänvisning, FL 33 § and 44 §). Pure apart from
 * writing the PDF bytes into a buffer.
 */
#ifndef HANNA_CASES_LETTER_H
#define HANNA_CASES_LETTER_H

#include <stdbool.h>

struct strbuf;

struct letter {
	const char *municipality; /* "Hannaby kommun (demo)" */
	const char *board;        /* "Socialnämnden" */
	const char *unit;         /* the deciding unit, may be "" */
	const char *case_number;  /* "2026-000123" */
	const char *letter_date;  /* YYYY-MM-DD */
	const char *person_name;  /* addressee */
	const char *pnr;          /* twelve digits, printed YYYYMMDD-NNNN */
	const char *street;       /* address lines; all "" for protected identity */
	const char *postal_code;
	const char *city;
	const char *service_name;     /* "Hemtjänst" */
	const char *law_ref;          /* "4 kap. 1 § socialtjänstlagen (2025:400)" */
	const char *outcome;          /* "granted", "partly_granted", "refused" */
	const char *const *applied;   /* service names of the insatser applied for ("Hemtjänst") */
	int napplied;                 /* entries in applied; 0 leaves the sentence out */
	const char *scope;            /* "40 timmar per månad (dag 30, kväll 10)", may be "" */
	const char *start_date;       /* YYYY-MM-DD */
	const char *end_date;         /* YYYY-MM-DD or "" for until further notice */
	const char *goals;            /* may be "" */
	const char *reasoning;        /* the reasons, required */
	const char *followup_date;    /* YYYY-MM-DD or "" */
	const char *decided_by;       /* name of the decision maker */
	const char *decided_title;    /* "Biståndshandläggare" */
	const char *delegation_point; /* "3.1.1" or "" (the committee itself) */
	const char *court;            /* "Förvaltningsrätten i Hannaby" */
	const char *contact;          /* how to reach the unit: phone, address */
};

/* Whether a letter for this outcome must carry appeal instructions. */
bool letter_needs_appeal(const char *outcome);

/*
 * Renders the letter as a PDF (A4, DejaVu Sans or Liberation Sans) into out. Returns 0, or
 * HERR_INVALID when a required field is missing, HERR_INTERNAL when Cairo fails.
 */
int letter_pdf(const struct letter *l, struct strbuf *out);

#endif
