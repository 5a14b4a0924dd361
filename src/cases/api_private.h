/*
 * Shared between the route and page files of src/cases only: the JSON routes (api.c) and the
 * pages (pages.c) run the same checks, authorisation and audit through these, so the two
 * cannot drift apart. Each `…_or_fail` has, when it fails, set up the error for the edge
 * (field errors in r->fe) and returns its code; the caller answers in its own format.
 */
#ifndef HANNA_CASES_API_PRIVATE_H
#define HANNA_CASES_API_PRIVATE_H

#include <stdbool.h>

#include "cases.h"

struct db_conn;
struct req;
struct strbuf;

/* Loads a case the request's user may see (cases_access); on failure the error is set up
 * for the edge and returned. Not audited. */
int cases__load_or_fail(struct req *r, int64_t id, struct case_row *cs /* out */);
/* Loads a decision and its case with access; not audited. */
int cases__decision_or_fail(struct req *r, int64_t id, struct decision *d /* out */,
                            struct case_row *cs /* out */);
/* Loads a journal note and its case with access. */
int cases__note_or_fail(struct req *r, int64_t id, struct note *n /* out */,
                        struct case_row *cs /* out */);

/* Whether the user works for the municipality (admin, caseworker, unit manager). */
bool cases__is_staff(const struct req *r);
/* The delegation level the user decides at. */
int cases__user_level(const struct req *r);
/* Whether the user may register a case for the person (auth_person_access). 0 or
 * HERR_NOT_FOUND; no error is set up. */
int cases__may_apply_for(struct req *r, int64_t person_id);
/* One read record of the case's person for entity (e.g. "case"). */
int cases__audit_read(struct req *r, const struct case_row *cs, const char *entity);
/* One list record per case listed, of the persons of the n cases (nothing when n is 0). */
int cases__audit_list(struct req *r, const int64_t *persons, int n);

/* Calls fn for the open cases referred upwards to the user's level that the user may see
 * (cases_access), at most limit, by due date: an admin every level, a unit manager
 * LEVEL_UNIT_MANAGER. HERR_FORBIDDEN (no error set up) for other users. Not audited. */
int cases__referred(struct req *r, int limit, void (*fn)(const struct case_row *, void *),
                    void *arg);

/* The query arguments of the reports (report.c), shared by their JSON routes and pages. */
/* Reads a required whole-number query argument in [lo, hi]; the field error message
 * otherwise. */
void cases__int_arg(struct req *r, const char *name, int lo, int hi, const char *message,
                    int *out /* out */);
/* Reads the required dates from and to (YYYY-MM-DD, to not before from) into from[11] and
 * to[11]; on failure the field errors are set up and HERR_INVALID returned. */
int cases__period_or_fail(struct req *r, char from[11], char to[11]);
/* One list record of entity per distinct person of ids (n of them; sorted and made distinct in
 * place), durable before the answer. */
int cases__audit_listed(struct req *r, const char *entity, int64_t *ids, int n);

/* The persons a representative (rep_person_id) has a mandate for on today (YYYY-MM-DD), at
 * most limit, by id (store.c). */
int cases__principals(struct db_conn *c, int64_t tenant, int64_t rep_person_id, const char *today,
                      int limit, void (*fn)(int64_t person_id, void *), void *arg);

#define CASES_MAX_REQUESTS 20
#define CASES_MAX_SELF 11

/* An application or report as the JSON route or the form of /ansok read it, not yet checked.
 * Field errors name the JSON paths (requests[0].service, self_assessment[0].life_area). */
struct cases__application {
	struct case_row cs;                           /* person_id, kind, summary, received_date */
	struct case_request reqs[CASES_MAX_REQUESTS]; /* hours -1 when below 0, 745 above 744 */
	int nreqs;                                    /* entries used in reqs */
	char names[CASES_MAX_REQUESTS][101];          /* reqs' service names, set by cases__apply */
	struct assessment self[CASES_MAX_SELF];       /* life_area, own_view (the text), goal */
	int nself;                                    /* entries used in self */
};

/*
 * The checks, the access check and the registration of an application (POST /api/v1/cases):
 * the case with its requests and the self-assessment, audited. On success a->cs is the case
 * as stored.
 */
int cases__apply(struct req *r, struct cases__application *a);
/* Calls fn with each thing a registered application still lacks (q: the request it concerns,
 * NULL for the self-assessment); returns how many. */
int cases__missing(const struct cases__application *a,
                   void (*fn)(const char *what, const struct case_request *q, void *arg),
                   void *arg);
/* Appends the receipt sentence of a registered application. */
void cases__receipt(const struct cases__application *a, int nmissing, struct strbuf *sb);

/* Appends the scope of a decision: "30 timmar per månad (dag 24, kväll 6)"; nothing when it
 * is not measured in hours. */
void cases__scope_text(struct strbuf *sb, const struct decision *d);

/* The changes of the investigation, each loaded with access, checked and audited exactly as
 * the JSON route of the same name does it. */
int cases__assign_or_fail(struct req *r, int64_t id, int64_t worker, int64_t unit);
int cases__move_or_fail(struct req *r, int64_t id, const char *to, const char *detail);
/* The timeline text of a withdrawal by this user. Static storage. */
const char *cases__withdraw_detail(const struct req *r);
/* n: body and corrects_id in; the stored note out. */
int cases__note_add_or_fail(struct req *r, int64_t case_id, struct note *n);
int cases__note_update_or_fail(struct req *r, int64_t id, const char *body, int64_t version,
                               struct note *n /* out */);
int cases__note_sign_or_fail(struct req *r, int64_t id, struct note *n /* out */);
/* a: life_area, functioning, own_view, goal in; the stored row out. */
int cases__assessment_add_or_fail(struct req *r, int64_t case_id, struct assessment *a);
/*
 * A decision within the delegation order (POST /api/v1/cases/{id}/decisions). d holds the
 * fields as read, hours -1 when not given. On success *level is 0 and d the stored decision,
 * or, when the decision lies beyond the user's delegation and refer is set, the level it was
 * referred to. HERR_FORBIDDEN (with the field error "delegation") sets *level to the level
 * that decides.
 */
int cases__decide_or_fail(struct req *r, int64_t case_id, struct decision *d, bool refer,
                          int *level /* out */);

/*
 * Closes a granted decision without execution (POST /api/v1/decisions/{id}/closing): loaded
 * with access (404), the input checked by cases_closing_check (400 with field errors on
 * closed_date, reason, note), the state (422 for a refusal, 409 for a decision executed or
 * closed already, the reason as the problem's detail), then cases_close, audited. date is
 * YYYY-MM-DD as given ("" when missing), note "" for none. On success *d is the decision as
 * stored.
 */
int cases__close_or_fail(struct req *r, int64_t id, const char *date, const char *reason,
                         const char *note, struct decision *d /* out */);

/* The interruptions of a case or a decision, loaded whole (a decision has few). */
struct interruptions {
	struct interruption *v; /* the rows, owned */
	int n, cap;             /* used and allocated */
};
/* Loads the interruptions of one decision (decision_id), or of the case when decision_id is
 * 0, into *l (set up here). Caller frees l->v with free(), also on failure. */
int cases__interruptions_load(struct db_conn *c, int64_t tenant, int64_t case_id,
                              int64_t decision_id, struct interruptions *l /* out */);
/* The state of an interruption of decision d: "resumed", "closed" (ended by the decision's
 * closing) or "open". Static storage. */
const char *cases__interruption_state(const struct interruption *i, const struct decision *d);
/* Loads an interruption, its decision and case with access; not audited. */
int cases__interruption_or_fail(struct req *r, int64_t id, struct interruption *i /* out */,
                                struct decision *d /* out */, struct case_row *cs /* out */);
/*
 * Registers an interruption of a decision's execution (POST /api/v1/decisions/{id}/
 * interruptions): the decision loaded with access (404), its state (422 for a refusal, a
 * decision not executed or replaced; 409 for one closed or interrupted already: the reason as
 * the problem's detail), then the input by cases_interruption_check (400 with field errors on
 * from_date, reason), then cases_interrupt, audited. from is YYYY-MM-DD as given ("" when
 * missing). On success *out is the row stored.
 */
int cases__interrupt_or_fail(struct req *r, int64_t decision_id, const char *from,
                             const char *reason, struct interruption *out /* out */);
/* Records the resumption of an interruption (POST /api/v1/interruptions/{id}/resumption):
 * loaded with access (404), 409 when resumed already or ended by the decision's closing, 400
 * on resumed_date (cases_resumption_check), then cases_resume, audited. On success *i is the
 * interruption as stored. */
int cases__resume_or_fail(struct req *r, int64_t id, const char *date,
                          struct interruption *i /* out */);

/* The investigation of a case (POST, PATCH /api/v1/cases/{id}/investigation). Create: the
 * template by code, or by the case's law when code is ""; HERR_CONFLICT when the case has one.
 * Update: plan and planned_visit when set_plan, and the texts, with the version; HERR_STALE
 * for another version. On success *inv is the investigation as stored. */
int cases__inv_create_or_fail(struct req *r, int64_t case_id, const char *code, const char *plan,
                              const char *visit, struct investigation *inv /* out */);
int cases__inv_update_or_fail(struct req *r, int64_t case_id, int64_t version, bool set_plan,
                              const char *plan, const char *visit, const struct inv_text *texts,
                              int n, struct investigation *inv /* out */);
/* Appends the headings of the required sections still empty, ", " between; returns how many. */
/* Checks a new investigation template (cases_template_check) and stores it; field errors and
 * the code recorded on failure (409 with a field error on code when the code is taken). */
struct inv_template;
struct inv_section;
int cases__template_add_or_fail(struct req *r, struct inv_template *t, struct inv_section *secs,
                                int n);
int cases__inv_missing(struct db_conn *c, const struct investigation *inv, struct strbuf *sb);

#endif
