/*
 * Swedish personal identity numbers: personnummer and samordningsnummer (shared/domain/
 * standards.md section 1). Accepted input: 10 digits (YYMMDDNNNC) or 12 digits (YYYYMMDDNNNC),
 * with or without the separator '-' or '+' before the last four digits. '+' in the 10-digit
 * form means the person has turned 100. Stored and printed as twelve digits.
 */
#ifndef HANNA_PNR_H
#define HANNA_PNR_H

#include <stdbool.h>
#include <stddef.h>

enum pnr_kind { PNR_PERSONNUMMER = 1, PNR_SAMORDNINGSNUMMER = 2 };

enum pnr_fault {
	PNR_OK = 0,
	PNR_FORMAT, /* not 10 or 12 digits with an optional separator in the right place */
	PNR_DATE,   /* the date (after subtracting 60 for samordningsnummer) is not a real day */
	PNR_CHECK_DIGIT, /* the Luhn check digit does not match */
	PNR_FUTURE,      /* the birth date lies after today */
};

struct pnr {
	char digits[13];      /* twelve digits, NUL-terminated */
	enum pnr_kind kind;   /* personnummer or samordningsnummer */
	int year, month, day; /* birth date (day without the +60) */
};

/*
 * Luhn (modulus 10) check digit over n ASCII digits, weights 2,1,2,... from the left as the
 * personnummer rule states. Returns 0-9, or -1 if a character is not a digit.
 */
int luhn_check_digit(const char *digits, size_t n);

/*
 * Parses and validates text as a personnummer or samordningsnummer. today_* give the reference
 * date for resolving the century of 10-digit input and for refusing future birth dates.
 * Returns PNR_OK and fills *out, or the first fault found (out untouched).
 */
enum pnr_fault pnr_parse(const char *text, int today_year, int today_month, int today_day,
                         struct pnr *out /* out */);

/* Same as pnr_parse with today's date in Europe/Stockholm. */
enum pnr_fault pnr_parse_now(const char *text, struct pnr *out /* out */);

/* A Swedish message for a fault, for field errors. Static storage. */
const char *pnr_fault_message(enum pnr_fault fault);

#endif
