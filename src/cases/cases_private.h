/*
 * Shared between the files of src/cases only: the writes of store.c that cases.c runs inside
 * its write jobs (one job per change: the rows, the timeline event and the audit record).
 */
#ifndef HANNA_CASES_PRIVATE_H
#define HANNA_CASES_PRIVATE_H

#include "cases.h"

/* Catalogue and delegation order (the demo seed). */
int cases__service_insert(struct db_conn *c, int64_t tenant, struct service *s /* in/out: id */);
int cases__rule_insert(struct db_conn *c, int64_t tenant, const struct delegation_rule *r);

/* The highest sequence number of the case numbers "YYYY-NNNNNN" of a tenant and year, 0 when
 * the year has none. */
int cases__last_number(struct db_conn *c, int64_t tenant, int year, int *seq /* out */);
/* Inserts a case row as given (state, law, case_number, dates set by the caller). */
int cases__insert(struct db_conn *c, struct case_row *cs /* in/out: id */);
int cases__request_insert(struct db_conn *c, int64_t tenant, int64_t case_id,
                          const struct case_request *r);
/* Appends a timeline event by who (user and name); from and to may be NULL. */
int cases__event_insert(struct db_conn *c, int64_t tenant, int64_t case_id,
                        const struct audit_entry *who, const char *kind, const char *from,
                        const char *to, const char *detail);
/* The case changes. Each needs the version the caller loaded and returns HERR_STALE when the
 * row has another one; *version is the new version. 0 for caseworker or unit stores NULL. */
int cases__assign(struct db_conn *c, int64_t tenant, int64_t id, int64_t caseworker_id,
                  int64_t unit_id, int64_t expect_version, int64_t *version /* out */);
int cases__set_state(struct db_conn *c, int64_t tenant, int64_t id, const char *state,
                     int refer_level, int64_t expect_version, int64_t *version /* out */);

/* Journal. The update and the signature touch drafts only: HERR_STALE when no draft with the
 * id (and, for update, the expected version) is there. */
int cases__note_insert(struct db_conn *c, int64_t tenant, struct note *n /* in/out: id */);
int cases__note_update(struct db_conn *c, int64_t tenant, int64_t id, const char *body,
                       int64_t expect_version, int64_t *version /* out */);
int cases__note_sign(struct db_conn *c, int64_t tenant, int64_t id, int64_t at);

int cases__assessment_insert(struct db_conn *c, int64_t tenant, struct assessment *a,
                             int64_t user_id);

/* Decisions. replaced and executed change only a row that has no such mark yet: HERR_RULE
 * otherwise; executed also not a row closed without execution. close sets the closing of a
 * grant neither executed nor closed (note "" stores NULL): HERR_CONFLICT otherwise. */
int cases__decision_insert(struct db_conn *c, int64_t tenant, struct decision *d /* in/out */);
int cases__decision_replaced(struct db_conn *c, int64_t tenant, int64_t id, int64_t by);
int cases__decision_executed(struct db_conn *c, int64_t tenant, int64_t id, const char *date);
/* What an execution changes besides the decision: its case, person and service. */
struct executed_row {
	int64_t id, case_id, person_id; /* the decision, its case and person */
	char service[41];               /* the service code */
};
/* Sets executed_date of a grant neither executed nor closed, decided on or before date, and
 * reads back *out: 0, or HERR_NOT_FOUND when no row qualifies (out untouched). */
int cases__decision_executed_if_open(struct db_conn *c, int64_t tenant, int64_t id,
                                     const char *date, struct executed_row *out /* out */);
int cases__decision_close(struct db_conn *c, int64_t tenant, int64_t id, const char *date,
                          const char *reason, const char *note);

/* Interruptions (schema 0019). insert stores i as given (id out; resumed and delay_reason
 * empty); HERR_CONFLICT when the decision has an open interruption already (the partial
 * unique index). resume sets resumed_date of an interruption not resumed yet: HERR_CONFLICT
 * otherwise. delay_reason sets the statement: HERR_NOT_FOUND for no such row. */
int cases__interruption_insert(struct db_conn *c, int64_t tenant,
                               struct interruption *i /* in/out: id */);
int cases__interruption_resume(struct db_conn *c, int64_t tenant, int64_t id, const char *date);
int cases__interruption_delay_reason(struct db_conn *c, int64_t tenant, int64_t id,
                                     const char *reason);

/* Reports (report.c; SQL in store.c, section "reports"). Each calls fn per row in decision
 * order. unexecuted: the granted decisions decided on or before latest that were neither
 * executed nor closed before since (YYYY-MM-DD), the candidates cases_reportable filters; period:
 * every decision from from to to, at most limit rows; followups: the decisions in force in the open
 * cases of caseworker with a follow-up on or before horizon or an end from today to horizon, at
 * most limit rows. */
#include "report.h"

int cases__report_unexecuted(struct db_conn *c, int64_t tenant, const char *latest,
                             const char *since, void (*fn)(const struct report_row *, void *),
                             void *arg);
int cases__report_period(struct db_conn *c, int64_t tenant, const char *from, const char *to,
                         int limit, void (*fn)(const struct report_row *, void *), void *arg);
int cases__report_followups(struct db_conn *c, int64_t tenant, int64_t caseworker,
                            const char *today, const char *horizon, int limit,
                            void (*fn)(const struct report_row *, void *), void *arg);
/* The candidates of trigger B: the interruptions that began on or before latest, neither
 * resumed nor ended by their decision's closing before since, by first day. Each comes as a
 * row of kind REPORT_INTERRUPTED with d (its delay_reason the interruption's) and in set; the
 * rule's fields are left for the caller. */
int cases__report_interrupted(struct db_conn *c, int64_t tenant, const char *latest,
                              const char *since,
                              void (*fn)(const struct report_unexecuted *, void *), void *arg);
/* Sets the reason for a delay of a granted decision; HERR_RULE for a refusal or no row. */
int cases__decision_delay_reason(struct db_conn *c, int64_t tenant, int64_t id, const char *reason);

/* Investigations (templates seeded by the demo; the rest store.c, section "investigations"). */
int cases__inv_template_insert(struct db_conn *c, int64_t tenant,
                               struct inv_template *t /* in/out: id */);
int cases__inv_section_insert(struct db_conn *c, int64_t tenant, int64_t template_id,
                              const struct inv_section *s);
int cases__investigation_insert(struct db_conn *c, struct investigation *inv /* in/out: id */);
/* HERR_STALE when the row has another version than inv->version; the new one into it. */
int cases__investigation_touch(struct db_conn *c, struct investigation *inv, bool set_plan);
/* HERR_RULE when the section is not of the template. */
int cases__investigation_text(struct db_conn *c, const struct investigation *inv,
                              int64_t section_id, const char *body);

#endif
