/*
 * The authority process (issue 3; ARCHITECTURE.md, cases/): the service catalogue, the
 * delegation order, cases from application to decision, follow-up and reassessment, with a
 * timeline, IBIC assessments and a journal whose signed notes never change. Rules live in
 * rules.h, SQL in store.c, routes in api.c.
 */
#ifndef HANNA_CASES_H
#define HANNA_CASES_H

#include <stdbool.h>
#include <stdint.h>

#include "audit/audit.h"
#include "rules.h"

struct db;
struct db_conn;
struct principal;

struct service {
	int64_t id;
	char code[41];        /* "hemtjanst" */
	char name[101];       /* "Hemtjänst" */
	char law[8];          /* "SoL" or "LSS" */
	char paragraph[101];  /* "4 kap. 1 §" */
	char measure[24];     /* hours_per_month, days, yes_no */
	char stats_code[41];  /* Socialstyrelsen's code */
	bool fee_applies;     /* an avgift is charged */
	bool customer_choice; /* under LOV */
	int followup_months;  /* default follow-up after the start */
};

struct case_row {
	int64_t id, tenant_id, person_id, unit_id, caseworker_id, submitted_by, version;
	int64_t created_at, updated_at;
	int refer_level;      /* a decision is waiting for this level, 0 when none */
	char case_number[24]; /* "2026-000042" */
	char kind[16];        /* application, report */
	char channel[16];     /* caseworker, online */
	char state[16];       /* see rules.h */
	char law[8];          /* SoL, LSS */
	char received_date[11];
	char due_date[11];
	char summary[501]; /* what the case is about, short */
};

struct case_request {
	char service[41]; /* service code */
	int hours;        /* hours per month applied for, 0 when not given */
	char description[1001];
};

struct note {
	int64_t id, case_id, author_id, corrects_id, signed_at, version, created_at;
	char author_name[128];
	char body[8001];
};

struct assessment {
	int64_t id, case_id;
	char life_area[64]; /* IBIC life area code, e.g. "personlig_vard" */
	char source[16];    /* self, caseworker */
	char functioning[2001];
	char own_view[2001];
	char goal[1001];
};

struct decision {
	int64_t id, case_id, person_id, decided_by, replaces_id, replaced_by, created_at;
	char service[41];
	char outcome[16]; /* granted, partly_granted, refused */
	int hours;        /* hours per month, -1 when not measured so */
	int hours_day, hours_evening, hours_night, hours_weekend; /* -1 when not split */
	char start_date[11], end_date[11]; /* end "" for until further notice */
	char goals[2001];
	char legal_basis[301];
	char reasoning[8001];
	char decided_by_name[128];
	int decided_level;
	char delegation_point[24];
	char decision_date[11];
	char followup_date[11];
	char executed_date[11];
	char closed_date[11];   /* closed without execution on, "" when open or executed */
	char closed_reason[16]; /* struct close_reason code (rules.h), "" when not closed */
	char closed_note[1001]; /* the short statement for IVO, "" when none */
};

/* An interruption of the execution of a granted decision (avbrott i verkställigheten,
 * legal-duties.md section 1, trigger B; schema 0019). */
struct interruption {
	int64_t id, decision_id, case_id, person_id; /* the row, its decision, case and person */
	int64_t created_by, created_at;              /* who registered it, when (epoch seconds) */
	char from_date[11];                          /* the first day of the interruption */
	char reason[CASES_INTERRUPTION_REASON_MAX + 1];       /* why it was interrupted */
	char resumed_date[11];                                /* resumed on, "" while not */
	char delay_reason[CASES_INTERRUPTION_REASON_MAX + 1]; /* why it is not resumed yet, for
	                                                       * IVO; "" when none is given */
};

struct case_event {
	int64_t id, at, user_id;
	char username[64];
	char kind[24];
	char from_state[16], to_state[16];
	char detail[501];
};

/* IBIC life areas (shared/domain/standards.md section 6): code and Swedish title. */
struct life_area {
	const char *code;
	const char *title;
};
extern const struct life_area cases_life_areas[];
extern const int cases_nlife_areas;
bool cases_life_area_valid(const char *code);

/* The catalogue. */
int cases_services(struct db_conn *c, int64_t tenant, void (*fn)(const struct service *, void *),
                   void *arg);
int cases_service_get(struct db_conn *c, int64_t tenant, const char *code,
                      struct service *out /* out */);
/* The delegation order of a tenant. Caller frees *rules with cases_rules_free. */
int cases_delegation(struct db_conn *c, int64_t tenant, struct delegation_rule **rules /* out */,
                     int *n /* out */);
void cases_rules_free(struct delegation_rule *rules, int n);
/* Seeds the demo catalogue and delegation order (hanna demo). */
int cases_seed_demo(struct db *db, int64_t tenant);

/* Whether the principal may see the case (its unit, assigned to them, the citizen's own, the
 * representative's principal). 0 or HERR_NOT_FOUND. */
int cases_access(struct db_conn *c, const struct principal *p, const struct case_row *cs);

/* The persons a representative (the person rep_person_id) has a mandate for today (Europe/
 * Stockholm), at most limit, by id. Each still needs auth_person_access before use. */
int cases_principals(struct db_conn *c, int64_t tenant, int64_t rep_person_id, int limit,
                     void (*fn)(int64_t person_id, void *), void *arg);

/* Registers a case with its requests and the first timeline event, audited. Sets id,
 * case_number, due_date, state. */
int cases_create(struct db *db, struct case_row *cs, const struct case_request *reqs, int nreqs,
                 const struct audit_entry *who);
int cases_get(struct db_conn *c, int64_t tenant, int64_t id, struct case_row *out /* out */);
int cases_requests(struct db_conn *c, int64_t tenant, int64_t case_id,
                   void (*fn)(const struct case_request *, void *), void *arg);
int cases_events(struct db_conn *c, int64_t tenant, int64_t case_id,
                 void (*fn)(const struct case_event *, void *), void *arg);
/* Lists cases: a caseworker's queue (caseworker_id > 0: open cases assigned to them, by due
 * date), a person's cases (person_id > 0), or the open cases nobody has taken yet in a unit
 * together with those that have no unit (online applications waiting for intake)
 * (unassigned_unit > 0), or only those with no unit (unassigned_unit == 0). */
int cases_list(struct db_conn *c, int64_t tenant, int64_t caseworker_id, int64_t person_id,
               int64_t unassigned_unit, int limit, void (*fn)(const struct case_row *, void *),
               void *arg);
/* Lists the open cases whose decision was referred to level (enum cases_level), or to any
 * level when level is 0, by due date (the manager's list). */
int cases_list_referred(struct db_conn *c, int64_t tenant, int level, int limit,
                        void (*fn)(const struct case_row *, void *), void *arg);

/* Changes: each checks the version or state it needs and appends a timeline event and an
 * audit record in one transaction. */
int cases_assign(struct db *db, int64_t tenant, int64_t case_id, int64_t caseworker_id,
                 int64_t unit_id, const struct audit_entry *who);
/* HERR_RULE when the transition is not allowed from the current state. */
int cases_transition(struct db *db, int64_t tenant, int64_t case_id, const char *to,
                     const char *detail, const struct audit_entry *who);
/* Records that a decision was sent to a higher level (refer_level). */
int cases_refer(struct db *db, int64_t tenant, int64_t case_id, int level, const char *detail,
                const struct audit_entry *who);

/* Journal: drafts may change (version), signed notes never; a correction is a new note
 * pointing at the one it corrects. HERR_CONFLICT for a change to a signed note. */
int cases_note_add(struct db *db, int64_t tenant, struct note *n, const char *author_name,
                   const struct audit_entry *who);
int cases_note_update(struct db *db, int64_t tenant, struct note *n, const struct audit_entry *who);
int cases_note_sign(struct db *db, int64_t tenant, int64_t note_id, int64_t user_id,
                    struct note *out /* out */, const struct audit_entry *who);
int cases_note_get(struct db_conn *c, int64_t tenant, int64_t note_id, struct note *out);
int cases_notes(struct db_conn *c, int64_t tenant, int64_t case_id,
                void (*fn)(const struct note *, void *), void *arg);

int cases_assessment_add(struct db *db, int64_t tenant, struct assessment *a,
                         const struct audit_entry *who);
int cases_assessments(struct db_conn *c, int64_t tenant, int64_t case_id,
                      void (*fn)(const struct assessment *, void *), void *arg);

/* Stores a decision (the delegation check is the caller's, with the rules), moves the case to
 * decided, marks a replaced decision, all in one transaction. */
int cases_decide(struct db *db, int64_t tenant, struct decision *d, const struct audit_entry *who);
int cases_decision_get(struct db_conn *c, int64_t tenant, int64_t id, struct decision *out);
int cases_decisions(struct db_conn *c, int64_t tenant, int64_t case_id,
                    void (*fn)(const struct decision *, void *), void *arg);
/* Records the date a granted decision was executed (verkställt). HERR_RULE for a refusal, a
 * decision executed or closed already, or a date before the decision. */
int cases_executed(struct db *db, int64_t tenant, int64_t decision_id, const char *date,
                   const struct audit_entry *who);
/*
 * Records inside a caller's write job that a delivery under an order of decision_id was
 * performed on date (YYYY-MM-DD): the first reported home-care visit or personal-assistance
 * shift is the day the insats started (legal-duties.md section 1). A grant neither executed nor
 * closed, decided on or before date, gets executed_date = date, its case moves to executing
 * where allowed, with a timeline event and an audit record by who, as cases_executed does.
 * Anything else (executed already, closed, refused, decided later, no such decision) changes
 * nothing and gives 0 after one indexed UPDATE, so it may run for every report. 0 or a
 * database code (the caller's transaction then rolls back).
 */
int cases_executed_by_delivery(struct db_conn *c, int64_t tenant, int64_t decision_id,
                               const char *date, const struct audit_entry *who);
/*
 * Closes a granted decision without execution on date (YYYY-MM-DD) for reason (a code of
 * cases_close_reasons that a caseworker may give) with an optional note, with a timeline event
 * and an audit record in one transaction (legal-duties.md section 1). An executed decision
 * whose execution is interrupted (an open interruption) may be closed too, not before the
 * interruption began: the closing ends the interruption's wait (the person died, moved, the
 * period ran out). The input is checked by cases_closing_check: HERR_INVALID when it fails.
 * HERR_RULE for a refusal; HERR_CONFLICT for a decision closed already or executed and not
 * interrupted (a replaced decision that was not executed or was interrupted is closed);
 * HERR_NOT_FOUND for no such decision.
 */
int cases_close(struct db *db, int64_t tenant, int64_t decision_id, const char *date,
                const char *reason, const char *note, const struct audit_entry *who);

/*
 * Interruptions (trigger B of the unexecuted-decision duty). cases_interrupt records that the
 * execution of an executed, granted decision stopped on from (YYYY-MM-DD) with a statement of
 * why; the input is checked by cases_interruption_check (HERR_INVALID). HERR_RULE for a
 * refusal, a decision not executed, or one replaced by a newer decision; HERR_CONFLICT for a
 * decision closed, or one with an interruption that is still open; HERR_NOT_FOUND for no such
 * decision. On success *out (may be NULL) is the row. cases_resume records the day execution
 * resumed (cases_resumption_check: HERR_INVALID); HERR_CONFLICT when the interruption was
 * resumed already or its decision was closed while interrupted (that ended it). Both write
 * the row, a timeline event on the case and an audit record in one transaction.
 */
int cases_interrupt(struct db *db, int64_t tenant, int64_t decision_id, const char *from,
                    const char *reason, const struct audit_entry *who,
                    struct interruption *out /* out */);
int cases_resume(struct db *db, int64_t tenant, int64_t interruption_id, const char *date,
                 const struct audit_entry *who);
/* Records why an interruption is not resumed yet (1..CASES_INTERRUPTION_REASON_MAX bytes, not
 * only white space: HERR_INVALID), with a timeline event and an audit record in one
 * transaction. HERR_NOT_FOUND for no such interruption. */
int cases_interruption_delay_reason(struct db *db, int64_t tenant, int64_t interruption_id,
                                    const char *reason, const struct audit_entry *who);
int cases_interruption_get(struct db_conn *c, int64_t tenant, int64_t id,
                           struct interruption *out /* out */);
/* Calls fn for the interruptions of a case, by decision and first day. */
int cases_interruptions(struct db_conn *c, int64_t tenant, int64_t case_id,
                        void (*fn)(const struct interruption *, void *), void *arg);
/* Calls fn for the interruptions of one decision, by first day. */
int cases_decision_interruptions(struct db_conn *c, int64_t tenant, int64_t decision_id,
                                 void (*fn)(const struct interruption *, void *), void *arg);
/* The decision's interruption that is not resumed (it may have ended by the decision's
 * closing: look at the decision); HERR_NOT_FOUND when there is none. */
int cases_interruption_open(struct db_conn *c, int64_t tenant, int64_t decision_id,
                            struct interruption *out /* out */);

/* Investigations (utredning): a template per tenant is an ordered list of sections; each case
 * has at most one investigation with its plan and a text per section. */
struct inv_template {
	int64_t id;
	char code[41];  /* "sol_aldre" */
	char name[101]; /* "Utredning SoL äldreomsorg" */
	char law[8];    /* "SoL" or "LSS" */
};

struct inv_section {
	int64_t id;          /* the template section's id */
	int position;        /* order in the template, from 1 */
	bool required;       /* must have text before a decision */
	char heading[101];   /* "Bakgrund" */
	char guidance[1001]; /* what to write */
	char body[8001];     /* the investigation's text, "" when none */
};

struct investigation {
	int64_t id, tenant_id, case_id, template_id, version, created_at, updated_at;
	char template_code[41];  /* the template's code */
	char template_name[101]; /* the template's name */
	char plan[4001];         /* what will be investigated, how, contacts */
	char planned_visit[11];  /* planned home visit, "" when none */
};

/* One change of a section's text. */
struct inv_text {
	int64_t section_id; /* a section of the investigation's template */
	const char *body;   /* the new text; borrowed */
};

/* Calls fn per section of every template of the tenant, the newest template first, each in
 * position order; the section's body is "". */
int cases_inv_templates(struct db_conn *c, int64_t tenant,
                        void (*fn)(const struct inv_template *, const struct inv_section *, void *),
                        void *arg);
/* Adds a template with its sections in the order given (t->id out). Templates are never
 * changed once made: investigations keep the template they were started with, and the newest
 * template of a law is the one new investigations get by default. HERR_CONFLICT when the code
 * is taken. No audit record: templates hold no person data. */
int cases_inv_template_add(struct db *db, int64_t tenant, struct inv_template *t /* in, out */,
                           const struct inv_section *s, int n);
/* The template by code, or, when code is "", the newest of the law. HERR_NOT_FOUND. */
int cases_inv_template_get(struct db_conn *c, int64_t tenant, const char *code, const char *law,
                           struct inv_template *out /* out */);
/* The investigation of a case; HERR_NOT_FOUND when there is none. */
int cases_investigation_get(struct db_conn *c, int64_t tenant, int64_t case_id,
                            struct investigation *out /* out */);
/* Calls fn per section of the investigation's template in order, with its current text. */
int cases_investigation_sections(struct db_conn *c, const struct investigation *inv,
                                 void (*fn)(const struct inv_section *, void *), void *arg);
/* Creates the investigation of a case (template_id, plan, planned_visit in; id, version out),
 * audited. HERR_CONFLICT when the case has one. */
int cases_investigation_create(struct db *db, struct investigation *inv,
                               const struct audit_entry *who);
/* Changes plan and planned visit (when set_plan) and the texts of n sections, with the version
 * inv->version; HERR_STALE for another version, HERR_RULE for a section of another template.
 * inv->version is the new version. */
int cases_investigation_update(struct db *db, struct investigation *inv, bool set_plan,
                               const struct inv_text *texts, int n, const struct audit_entry *who);

#endif
