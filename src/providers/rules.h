/*
 * The rules of customer choice and orders as pure functions (ARCHITECTURE.md, module rooms:
 * rules.c): the organisation number of a legal person, the provider's answer deadline, the
 * order state table, the access window of provider users, and the webhook retry backoff. No
 * I/O, no globals; dates are day numbers (src/base/calendar.h).
 */
#ifndef HANNA_PROVIDERS_RULES_H
#define HANNA_PROVIDERS_RULES_H

#include <stdbool.h>
#include <stdint.h>

enum org_fault {
	ORG_OK = 0,
	ORG_FORMAT,      /* not ten digits, optionally NNNNNN-NNNN */
	ORG_CHECK_DIGIT, /* the Luhn check digit does not match */
	ORG_NOT_LEGAL,   /* third digit below 2: a personal identity number, not a legal person */
};

/* Parses an organisation number (NNNNNNNNNN or NNNNNN-NNNN) of a legal person and writes its
 * printed form NNNNNN-NNNN into out[12]. out untouched on a fault. */
enum org_fault providers_org_nr_parse(const char *text, char out[12] /* out */);
/* A Swedish message for a fault. Static storage. */
const char *providers_org_fault_message(enum org_fault f);

/* Working days the provider has to answer an order. */
#define PROVIDERS_ANSWER_DAYS 2
/* The last day of the provider's answer to an order sent on day sent: the second working day
 * after it (Saturdays, Sundays and holidays of src/base/calendar.c do not count). */
int32_t providers_answer_due(int32_t sent);
/* Whether an unanswered order sent with due day due is overdue on today. */
bool providers_overdue(const char *state, int32_t due, int32_t today);

/* Whether an order may move from state from to state to. */
bool providers_transition_ok(const char *from, const char *to);

/* The state an order is in on today ('YYYY-MM-DD') given its stored state and last day to
 * ("" when open-ended): an order given an end date (stored "ended", review 2026-11 finding 7)
 * stays "accepted" up to and including that day and is "ended" from the day after; every other
 * state is as stored. Static storage or stored. */
const char *providers_order_state_on(const char *stored, const char *to, const char *today);

/* Days after its end an order still lets the provider's users see the customer. */
#define PROVIDERS_ACCESS_DAYS 90
/* The earliest end day that still gives access on today. */
int32_t providers_access_cutoff(int32_t today);

/* Seconds before attempt number attempts + 1 of a webhook delivery after attempts failures:
 * base, 2 base, 4 base, ... at most 3600. */
int64_t providers_backoff(int attempts, int base);

/* Whether a webhook may be posted to an IP address (family 4: 4 bytes, 6: 16 bytes, network
 * order): false for unspecified, loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7),
 * link-local (169.254/16, fe80::/10), shared (100.64/10), multicast and reserved ranges; an
 * IPv4-mapped or NAT64 IPv6 address is judged by its IPv4 part. */
bool providers_addr_public(int family, const unsigned char *addr);

/* Times of day a vacancy is marked for. */
bool providers_time_of_day_ok(const char *s);

#endif
