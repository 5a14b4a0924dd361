/*
 * Personal assistance (issue 5 item 4): assistants of a provider, their hours per assisted
 * person and day (assistance, beredskap; double assistance where the decision grants it), the
 * monthly time sheet (tidsredovisning) of an assisted person in the content Försäkringskassan
 * asks for, its electronic signatures, the employer's approval that locks the month, and
 * working-time (arbetstidslagen) warnings. The pure rules are in visits.h (rules.c); the SQL
 * at the end of store.c ("personal assistance"); JSON routes and the shared loading in
 * assistance.c; pages in assistance_pages.c. Design: docs/architecture.md, "Personal
 * assistance"; domain: shared/domain/assistansersattning.md sections 5 and 8.
 *
 * A sheet is frozen by its first signature: the SHA-256 of its canonical rendering is stored,
 * every signature names it, and hours of a frozen month (or of a month the employer locked)
 * change only by a correction with a reason, booked as an adjustment in the next open month.
 */
#ifndef HANNA_VISITS_ASSISTANCE_H
#define HANNA_VISITS_ASSISTANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "visits.h"

struct db;
struct db_conn;
struct req;
struct strbuf;

/* One assistant (pa_assistants). */
struct pa_assistant {
	int64_t id, tenant_id, provider_id;
	int64_t user_id; /* the provider_staff login, 0 when none */
	int64_t created_at;
	char ref[41]; /* the employer's reference (anställningsnummer) */
	char name[129];
	char birth_date[11]; /* YYYY-MM-DD: under 18 is not payable (SFB 51:16) */
	bool relative;       /* närstående to an assisted person */
	bool same_household; /* lives with the assisted person */
	bool lives_in_eea;   /* inside the EEA */
};

/* One shift (pa_hours). */
struct pa_hour {
	int64_t id, tenant_id, provider_id, person_id, order_id, assistant_id;
	int64_t start_at, end_at; /* epoch seconds */
	int64_t corrects_id;      /* the row this one corrects, 0 when none */
	int64_t superseded_by;    /* the correction that replaced it, 0 when none */
	int64_t created_by, created_at;
	char kind[8];         /* active, oncall */
	char day[11];         /* the Stockholm day the shift starts */
	char month[8];        /* YYYY-MM of day */
	char booked_month[8]; /* where it counts: month, or the next open month */
	char source[12];      /* phone, api, manual, correction */
	char state[12];       /* done, superseded */
	char reason[501];     /* why it was corrected, "" when not */
	bool voids;           /* a void correction: cancels corrects_id, counts no minutes */
};

/* The minutes a row counts: end minus start in whole minutes, 0 for a void correction. */
int64_t pa_hour_minutes(const struct pa_hour *h);

/* A frozen sheet (pa_sheets). */
struct pa_sheet_row {
	int64_t id, tenant_id, provider_id, person_id, order_id, version, created_at, updated_at;
	int64_t active_minutes, oncall_minutes, double_minutes, unpaid_minutes, payable_minutes;
	int64_t granted_minutes;
	char month[8];
	char state[10]; /* signing (some signatures), signed (all of them) */
	char content_sha256[65];
};

/* One signature (pa_signatures). */
struct pa_signature {
	int64_t id, sheet_id, assistant_id, user_id, signed_at;
	char role[16]; /* assisted, representative, assistant */
	char signer_name[129];
	char content_sha256[65];
	char method[8]; /* session, bankid */
};

/* What the decision grants beyond hours (pa_grants). */
struct pa_grant_row {
	int64_t order_id;
	bool double_granted;
	int oncall_num, oncall_den;
};

#define PA_MAX_ROWS 2000 /* shifts on one sheet */
#define PA_MAX_ADJ 200   /* adjustments booked in one month */
#define PA_MAX_SIGS (VISITS_PA_MAX_ASSISTANTS + 4)

/* The month sheet of one assisted person at one provider, loaded and computed. */
struct pa_doc {
	int64_t tenant_id, provider_id, person_id, order_id;
	int month;          /* year * 12 + month - 1 */
	char month_text[8]; /* YYYY-MM */
	char provider_name[201];
	char provider_org_nr[12];
	char person_name[203];
	char person_pnr[13];
	int64_t granted_minutes;   /* granted in the month (prorated to the order's days) */
	struct pa_grant_row grant; /* double assistance and the beredskap factor */
	struct pa_assistant asst[VISITS_PA_MAX_ASSISTANTS]; /* assistants with hours, by id */
	int nasst;
	struct pa_hour *rows; /* the month's shifts, by start */
	int nrows;
	struct pa_hour *adj;      /* corrections of earlier months booked in this month */
	struct pa_hour *adj_orig; /* the rows they correct (id 0: an added shift) */
	int nadj;
	int64_t adj_active, adj_oncall; /* net minutes the adjustments add */
	struct visits_pa_sheet sheet;   /* the rules' totals */
	char sha[65];                   /* SHA-256 of the canonical rendering */
	struct pa_sheet_row frozen;     /* id 0 when no signature yet */
	struct pa_signature sigs[PA_MAX_SIGS];
	int nsigs;
	bool locked;     /* the employer approved and locked the month */
	bool month_over; /* the month has ended (signing is open) */
};

/*
 * Loads and computes the sheet of person at provider for month on c (a reader, or the writer
 * inside a write job). HERR_NOT_FOUND when the provider has no order for personlig_assistans
 * for the person in the month. Caller frees with pa_doc_release.
 */
int pa_doc_load(struct db_conn *c, int64_t tenant, int64_t provider, int64_t person, int month,
                struct pa_doc *out /* out */);
void pa_doc_release(struct pa_doc *d);
/* Appends the canonical rendering the digest covers. Pure. */
void pa_doc_canonical(struct strbuf *sb, const struct pa_doc *d);
/* Appends the sheet as JSON. */
void pa_doc_json(struct strbuf *sb, const struct pa_doc *d);
/* Whether the sheet has every signature it needs: the assisted person or a representative, and
 * each assistant with hours on it. */
bool pa_doc_complete(const struct pa_doc *d);
/* Whether assistant (id) has signed the sheet. */
bool pa_doc_signed_by_assistant(const struct pa_doc *d, int64_t assistant_id);

/*
 * The provider whose sheet a user sees for person: a provider user's own provider; for
 * anyone else the provider of the person's personlig_assistans order in month (want > 0
 * chooses among several). 0 and *provider, or HERR_NOT_FOUND.
 */
int pa_sheet_provider(struct db_conn *c, const struct req *r, int64_t person, int month,
                      int64_t want, int64_t *provider /* out */);

/*
 * The sheet of person r->params[0] for the query arguments month and provider_id, loaded with
 * access checked (auth_person_access, then pa_sheet_provider). 0, or REQ_FAIL called (and d
 * released): return the code. Caller releases d on success.
 */
int pa_sheet_or_fail(struct req *r, struct pa_doc *d /* out */);
/* Appends the sheet as CSV for Swedish Excel (assistance_csv.c): UTF-8 with BOM, ';', CRLF. */
void pa_doc_csv(struct strbuf *sb, const struct pa_doc *d);

/* Input of one shift, from JSON or a form. */
struct pa_entry {
	int64_t person_id;
	int64_t assistant_id; /* 0: the logged-in assistant */
	int64_t corrects_id;  /* a correction of this row, 0 for a new shift */
	const char *date;     /* YYYY-MM-DD */
	const char *start;    /* HH:MM */
	const char *end;      /* HH:MM; not after start: the next day; 24:00 */
	const char *kind;     /* active, oncall */
	const char *reason;   /* required for a frozen or locked month */
	const char *source;   /* api, phone, manual */
};

/*
 * Records a shift (or a correction) for the logged-in provider user, with its audit record, in
 * one transaction. On failure the field errors are set and REQ_FAIL has been called: return
 * the code. out: the stored row.
 */
int pa_hours_or_fail(struct req *r, const struct pa_entry *in, struct pa_hour *out /* out */);

/*
 * Voids shift id for the logged-in provider user (the provider's admin, or the assistant whose
 * shift it is): a correction row with the reason that cancels the shift, booked in the shift's
 * month or, when that month is signed or locked, in the next open one. Audited ("void") in the
 * same transaction. Field errors and REQ_FAIL on failure (404 not the provider's, 409 already
 * corrected or voided, 422 without a reason). out: the void row.
 */
int pa_void_or_fail(struct req *r, int64_t id, const char *reason, struct pa_hour *out /* out */);

/*
 * Signs the sheet of person at provider for month as the logged-in user, by the session
 * adapter (sign_method "session"): the assisted person (citizen), a representative within
 * mandate, or an assistant with hours on the sheet. sha must be the digest the signer saw.
 * The first signature freezes the sheet. Sets field errors and REQ_FAIL on failure.
 */
int pa_sign_or_fail(struct req *r, int64_t provider, int64_t person, int month, const char *sha,
                    struct pa_signature *out /* out */);

/* The employer's month: persons with hours, their sheets, warnings per assistant. */
struct pa_month_sheet {
	int64_t person_id;
	char person_name[203];
	char state[10]; /* open, signing, signed */
	int nsigs;
	int64_t payable_minutes;
};
struct pa_month_warning {
	int64_t assistant_id;
	char assistant_name[129];
	struct visits_atl_item item;
};
#define PA_MAX_PERSONS 200
#define PA_MAX_WARNINGS 200
struct pa_month {
	int month;
	char month_text[8];
	bool locked, month_over;
	struct pa_month_sheet sheets[PA_MAX_PERSONS];
	int nsheets;
	struct pa_month_warning warnings[PA_MAX_WARNINGS];
	int nwarnings;
};
/* Loads the employer's view of a month of provider. */
int pa_month_load(struct db_conn *c, int64_t tenant, int64_t provider, int month,
                  struct pa_month *out /* out */);
void pa_month_json(struct strbuf *sb, const struct pa_month *m);
/* Approves and locks the month for the provider: every sheet signed, the month over.
 * Field errors and REQ_FAIL on failure. */
int pa_approve_or_fail(struct req *r, int month);

/* The month of a "month" query argument or form field; the current month when absent. Sets a
 * field error and REQ_FAIL on a bad one. */
int pa_month_arg_or_fail(struct req *r, const char *text, int *month /* out */);
/* Stockholm local date and clock time of an instant: "YYYY-MM-DD", "HH:MM". */
void pa_local(int64_t t, char date[11], char clock[6]);
/* Swedish label of a kind and of a signer role. */
const char *pa_kind_label(const char *kind);
const char *pa_role_label(const char *role);
/* Audit read of a person's sheet; counts the record. */
int pa_audit_read(struct req *r, const char *entity, int64_t entity_id, int64_t person);

/* ---- store.c, section "personal assistance" ---------------------------------------------- */

/* Whether the employer approved and locked the provider's personal-assistance month
 * ("YYYY-MM", pa_month_locks); the home-care lock (period_locks) does not count here. */
int visits__pa_month_locked(struct db_conn *c, int64_t tenant, int64_t provider, const char *month,
                            bool *locked /* out */);

int visits__pa_assistant_insert(struct db_conn *c, struct pa_assistant *a);
int visits__pa_assistant_get(struct db_conn *c, int64_t tenant, int64_t id,
                             struct pa_assistant *out /* out */);
int visits__pa_assistant_by_user(struct db_conn *c, int64_t tenant, int64_t provider,
                                 int64_t user_id, struct pa_assistant *out /* out */);
int visits__pa_assistants(struct db_conn *c, int64_t tenant, int64_t provider,
                          void (*fn)(const struct pa_assistant *, void *), void *arg);
int visits__pa_hour_insert(struct db_conn *c, struct pa_hour *h);
int visits__pa_hour_get(struct db_conn *c, int64_t tenant, int64_t id, struct pa_hour *out);
int visits__pa_hour_supersede(struct db_conn *c, int64_t tenant, int64_t id, int64_t by);
/* Current (done) shifts of an assistant overlapping [from, to), by start. */
int visits__pa_hours_assistant(struct db_conn *c, int64_t tenant, int64_t assistant, int64_t from,
                               int64_t to, void (*fn)(const struct pa_hour *, void *), void *arg);
/* Current (done) shifts for a person at a provider overlapping [from, to), by start. */
int visits__pa_hours_person(struct db_conn *c, int64_t tenant, int64_t provider, int64_t person,
                            int64_t from, int64_t to, void (*fn)(const struct pa_hour *, void *),
                            void *arg);
/* The shifts of a month's sheet: of the month, booked in it, and not replaced by a row booked
 * in it. */
int visits__pa_hours_sheet(struct db_conn *c, int64_t tenant, int64_t provider, int64_t person,
                           const char *month, void (*fn)(const struct pa_hour *, void *),
                           void *arg);
/* Rows of earlier months booked in month (corrections: adjustments). */
int visits__pa_hours_adjustments(struct db_conn *c, int64_t tenant, int64_t provider,
                                 int64_t person, const char *month,
                                 void (*fn)(const struct pa_hour *, void *), void *arg);
/* Persons with shifts in month at a provider. */
int visits__pa_month_persons(struct db_conn *c, int64_t tenant, int64_t provider, const char *month,
                             void (*fn)(int64_t person, void *), void *arg);
/* Assistants with active shifts in month at a provider. */
int visits__pa_month_assistants(struct db_conn *c, int64_t tenant, int64_t provider,
                                const char *month, void (*fn)(int64_t assistant, void *),
                                void *arg);
/* Months from month on that changes cannot go into for person: locked for the provider, or with
 * a frozen sheet of the person. Writes at most max months (year * 12 + month - 1). */
int visits__pa_closed_months(struct db_conn *c, int64_t tenant, int64_t provider, int64_t person,
                             const char *month, int *out, int max, int *n /* out */);
int visits__pa_sheet_get(struct db_conn *c, int64_t tenant, int64_t provider, int64_t person,
                         const char *month, struct pa_sheet_row *out /* out */);
int visits__pa_sheet_insert(struct db_conn *c, struct pa_sheet_row *s);
int visits__pa_sheet_state(struct db_conn *c, int64_t tenant, int64_t id, const char *state,
                           int64_t at);
int visits__pa_signature_insert(struct db_conn *c, int64_t tenant, struct pa_signature *s);
int visits__pa_signatures(struct db_conn *c, int64_t tenant, int64_t sheet_id,
                          void (*fn)(const struct pa_signature *, void *), void *arg);
/* HERR_NOT_FOUND when the order has no row (defaults apply). */
int visits__pa_grant_get(struct db_conn *c, int64_t tenant, int64_t order_id,
                         struct pa_grant_row *out /* out */);
int visits__pa_grant_put(struct db_conn *c, int64_t tenant, const struct pa_grant_row *g,
                         int64_t user_id, int64_t at);
/* Locks the provider's personal-assistance month (pa_month_locks); the caller has checked
 * that every sheet is signed. */
int visits__pa_lock_insert(struct db_conn *c, int64_t tenant, int64_t provider, const char *month,
                           int64_t user_id, int64_t at);

/* Seeds the demo: personlig_assistans approved for provider, LSS cases decided by caseworker
 * (in unit) with accepted orders for persons citizen and ward, two assistants (users staff1,
 * staff2) and some hours of last month. 0 or a code. */
int visits_pa_seed_demo(struct db *db, int64_t tenant, int64_t provider, int64_t caseworker,
                        int64_t unit, int64_t citizen, int64_t ward, int64_t staff1,
                        int64_t staff2);

#endif
