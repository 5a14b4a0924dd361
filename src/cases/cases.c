/*
 * The authority process's logic (issue 3; the contract is cases.h): the IBIC life areas, the
 * demo catalogue and delegation order, who may see a case, and every change of a case as one
 * write job (src/db/db.h: one transaction per job, group commit) that checks what it needs on
 * the loaded row, stores the change, appends the timeline event and the audit record. SQL lives
 * in store.c, pure rules in rules.c, routes in api.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/calendar.h"
#include "base/err.h"
#include "base/json.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "cases.h"
#include "cases_private.h"
#include "db/db.h"
#include "people/people.h"

/* Longest detail text of a timeline event: what struct case_event holds. */
#define DETAIL_MAX (sizeof((struct case_event *)0)->detail - 1)

/* ---- IBIC life areas ----------------------------------------------------------------- */

/* The nine ICF chapters of activity and participation, then IBIC's own two areas
 * (shared/domain/standards.md section 6). The codes are stored in assessments.life_area. */
const struct life_area cases_life_areas[] = {
    {"larande", "Lärande och att tillämpa kunskap"},
    {"allmanna_uppgifter", "Allmänna uppgifter och krav"},
    {"kommunikation", "Kommunikation"},
    {"forflyttning", "Förflyttning"},
    {"personlig_vard", "Personlig vård"},
    {"hemliv", "Hemliv"},
    {"relationer", "Mellanmänskliga interaktioner och relationer"},
    {"utbildning_arbete_ekonomi", "Utbildning, arbete, sysselsättning och ekonomiskt liv"},
    {"samhallsgemenskap", "Samhällsgemenskap, socialt och medborgerligt liv"},
    {"kansla_av_trygghet", "Känsla av trygghet"},
    {"personligt_stod_fran_narstaende", "Personligt stöd från närstående"},
};
const int cases_nlife_areas = (int)(sizeof cases_life_areas / sizeof cases_life_areas[0]);

bool
cases_life_area_valid(const char *code)
{
	if (!code)
		return false;
	for (int i = 0; i < cases_nlife_areas; i++)
		if (strcmp(cases_life_areas[i].code, code) == 0)
			return true;
	return false;
}

void
cases_rules_free(struct delegation_rule *rules, int n)
{
	for (int i = 0; i < n; i++) {
		/* cases_delegation gave each rule its own copies (xstrdup). */
		free((char *)(uintptr_t)rules[i].point);
		free((char *)(uintptr_t)rules[i].service);
	}
	free(rules);
}

/* ---- helpers ------------------------------------------------------------------------- */

static bool
is_closed(const char *state)
{
	return strcmp(state, "closed") == 0 || strcmp(state, "withdrawn") == 0;
}

static bool
one_of(const char *s, const char *a, const char *b)
{
	return s && (strcmp(s, a) == 0 || strcmp(s, b) == 0);
}

/* Parses an optional date: "" or NULL gives dflt (which may be -1 for none). 0 or
 * HERR_INVALID. */
static int
opt_date(const char *s, int32_t dflt, int32_t *out)
{
	if (!s || !*s) {
		*out = dflt;
		return 0;
	}
	return cal_parse(s, out);
}

static int32_t
today_days(void)
{
	char t[11];
	int32_t d = 0;
	time_today(t);
	cal_parse(t, &d);
	return d;
}

/* The Swedish word of a decision's outcome, for the timeline. */
static const char *
outcome_word(const char *outcome)
{
	if (strcmp(outcome, "granted") == 0)
		return "bifall";
	if (strcmp(outcome, "partly_granted") == 0)
		return "delvis bifall";
	return "avslag";
}

static bool
is_grant(const char *outcome)
{
	return one_of(outcome, "granted", "partly_granted");
}

/* ---- the demo catalogue and delegation order ----------------------------------------- */

/*
 * A municipality's catalogue of insatser. SoL: bistånd under 11 kap. 1 § socialtjänstlagen
 * (2025:400) (old 4 kap. 1 §); LSS: the insatser of 9 § LSS, numbered by its points. Fees:
 * SoL home care, alarm, meals, day activities, short stays and special housing carry the
 * municipal fee (maxtaxa); LSS insatser are free (LSS 18 §: only rent and food may be charged,
 * outside this catalogue). Customer choice (LOV) covers home care.
 *
 * The stats_code values are the municipality's own codes for mapping decisions to
 * Socialstyrelsen's registers (SoL register HSLF-FS 2016:86, LSS register SOSFS 2005:21); they
 * must be checked against the registers' current code lists before any file is sent.
 *
 * Follow-up: six months for SoL home care (and most SoL insatser), twelve for alarm, special
 * housing and every LSS insats, three for a short stay.
 */
static const struct service demo_services[] = {
    {0, "hemtjanst_service", "Hemtjänst – serviceinsatser", "SoL", "11 kap. 1 §", "hours_per_month",
     "SOL_HEMTJANST", true, true, 6},
    {0, "hemtjanst_omsorg", "Hemtjänst – personlig omsorg", "SoL", "11 kap. 1 §", "hours_per_month",
     "SOL_HEMTJANST", true, true, 6},
    {0, "trygghetslarm", "Trygghetslarm", "SoL", "11 kap. 1 §", "yes_no", "SOL_TRYGGHETSLARM", true,
     false, 12},
    {0, "matdistribution", "Matdistribution", "SoL", "11 kap. 1 §", "yes_no", "SOL_MATDISTRIBUTION",
     true, false, 6},
    {0, "dagverksamhet", "Dagverksamhet", "SoL", "11 kap. 1 §", "days", "SOL_DAGVERKSAMHET", true,
     false, 6},
    {0, "korttidsvistelse_sol", "Korttidsvistelse", "SoL", "11 kap. 1 §", "days",
     "SOL_KORTTIDSBOENDE", true, false, 3},
    {0, "sarskilt_boende", "Särskilt boende", "SoL", "11 kap. 1 §", "yes_no", "SOL_SARSKILT_BOENDE",
     true, false, 12},
    {0, "ledsagning_sol", "Ledsagning", "SoL", "11 kap. 1 §", "hours_per_month", "SOL_LEDSAGNING",
     true, false, 6},
    {0, "personlig_assistans", "Personlig assistans", "LSS", "9 § 2", "hours_per_month", "LSS_9_2",
     false, false, 12},
    {0, "ledsagarservice", "Ledsagarservice", "LSS", "9 § 3", "hours_per_month", "LSS_9_3", false,
     false, 12},
    {0, "kontaktperson", "Biträde av kontaktperson", "LSS", "9 § 4", "yes_no", "LSS_9_4", false,
     false, 12},
    {0, "avlosarservice", "Avlösarservice i hemmet", "LSS", "9 § 5", "hours_per_month", "LSS_9_5",
     false, false, 12},
    {0, "korttidsvistelse_lss", "Korttidsvistelse utanför det egna hemmet", "LSS", "9 § 6", "days",
     "LSS_9_6", false, false, 12},
    {0, "bostad_sarskild_service", "Bostad med särskild service för vuxna", "LSS", "9 § 9",
     "yes_no", "LSS_9_9", false, false, 12},
    {0, "daglig_verksamhet", "Daglig verksamhet", "LSS", "9 § 10", "days", "LSS_9_10", false, false,
     12},
};

/*
 * The board's delegation order (shared/domain/legal-duties.md section 6), chapter 3 for SoL,
 * 4 for LSS, 9 for general points. A rule gives its level and every level above; what no rule
 * covers stays with the committee (individutskottet). Hours are per month, months the length
 * of the decision's period (an open-ended decision is beyond any month limit).
 */
static const struct delegation_rule demo_rules[] = {
    /* Home care: the caseworker up to 40 h of service, 60 h of personal care, a year; the
     * unit manager any scope up to two years. */
    {"3.1.1", "hemtjanst_service", LEVEL_CASEWORKER, true, true, 40, 12},
    {"3.1.2", "hemtjanst_omsorg", LEVEL_CASEWORKER, true, true, 60, 12},
    {"3.1.3", "hemtjanst_service", LEVEL_UNIT_MANAGER, true, true, -1, 24},
    {"3.1.3", "hemtjanst_omsorg", LEVEL_UNIT_MANAGER, true, true, -1, 24},
    /* Alarm and meals: the caseworker, without limits. */
    {"3.2.1", "trygghetslarm", LEVEL_CASEWORKER, true, true, -1, -1},
    {"3.2.1", "matdistribution", LEVEL_CASEWORKER, true, true, -1, -1},
    /* Day activities and escort: the caseworker for a year. */
    {"3.2.2", "dagverksamhet", LEVEL_CASEWORKER, true, true, -1, 12},
    {"3.2.3", "ledsagning_sol", LEVEL_CASEWORKER, true, true, -1, 12},
    /* Special housing: the unit manager. */
    {"3.3.1", "sarskilt_boende", LEVEL_UNIT_MANAGER, true, true, -1, -1},
    /* Short stays: the caseworker for up to three months (not measured in hours), the unit
     * manager up to a year. */
    {"3.4.1", "korttidsvistelse_sol", LEVEL_CASEWORKER, true, true, -1, 3},
    {"3.4.2", "korttidsvistelse_sol", LEVEL_UNIT_MANAGER, true, true, -1, 12},
    /* LSS: the unit manager; personal assistance up to 200 h a month, above that the
     * committee. */
    {"4.1.1", "personlig_assistans", LEVEL_UNIT_MANAGER, true, true, 200, 12},
    {"4.2.1", "ledsagarservice", LEVEL_UNIT_MANAGER, true, true, -1, 12},
    {"4.3.1", "kontaktperson", LEVEL_UNIT_MANAGER, true, true, -1, -1},
    {"4.4.1", "avlosarservice", LEVEL_UNIT_MANAGER, true, true, -1, 12},
    {"4.5.1", "korttidsvistelse_lss", LEVEL_UNIT_MANAGER, true, true, -1, 12},
    {"4.6.1", "bostad_sarskild_service", LEVEL_UNIT_MANAGER, true, true, -1, -1},
    {"4.7.1", "daglig_verksamhet", LEVEL_UNIT_MANAGER, true, true, -1, -1},
    /* Every refusal not covered above: the unit manager. */
    {"9.1", "*", LEVEL_UNIT_MANAGER, false, true, -1, -1},
};

/* The demo's investigation templates: every investigation of a law has the same structure
 * (sections in order; required ones must be written before a decision). */
struct demo_template {
	struct inv_template t;          /* code, name, law */
	struct inv_section sections[8]; /* heading, guidance, required; ends at an empty heading */
};

static const struct demo_template demo_templates[] = {
    {{0, "sol_aldre", "Utredning SoL äldreomsorg", "SoL"},
     {{0, 0, true, "Bakgrund",
       "Varför ärendet inleddes, tidigare insatser och nuvarande situation.", ""},
      {0, 0, true, "Den enskildes egen beskrivning",
       "Den enskildes egen berättelse om sin situation, sina behov och önskemål, med egna ord.",
       ""},
      {0, 0, true, "Behov per livsområde (IBIC)",
       "Funktionstillstånd, aktivitet och delaktighet per livsområde enligt IBIC, med mål.", ""},
      {0, 0, false, "Nätverk och anhöriga",
       "Anhöriga, gode män och andra kontakter och vad de bidrar med.", ""},
      {0, 0, true, "Bedömning",
       "Om behovet kan tillgodoses på annat sätt och vilken insats som ger skälig levnadsnivå.",
       ""},
      {0, 0, true, "Förslag till beslut", "Insats, omfattning, period och skäl.", ""}}},
    {{0, "lss", "Utredning LSS", "LSS"},
     {{0, 0, true, "Personkrets",
       "Vilken personkrets enligt 1 § LSS den enskilde tillhör och underlaget för det.", ""},
      {0, 0, true, "Den enskildes egen beskrivning",
       "Den enskildes egen berättelse om sin situation, sina behov och önskemål, med egna ord.",
       ""},
      {0, 0, true, "Behov per livsområde (IBIC)",
       "Funktionstillstånd, aktivitet och delaktighet per livsområde enligt IBIC, med mål.", ""},
      {0, 0, false, "Nätverk och anhöriga",
       "Anhöriga, gode män och andra kontakter och vad de bidrar med.", ""},
      {0, 0, true, "Bedömning",
       "Om behovet tillgodoses på annat sätt och om insatsen ger goda levnadsvillkor (7 § LSS).",
       ""},
      {0, 0, true, "Förslag till beslut", "Insats, omfattning, period och skäl.", ""}}},
};

/* Seeds the templates. No audit record: templates hold no person data. */
static int
seed_templates(struct db_conn *c, int64_t tenant)
{
	int rc;
	for (size_t i = 0; i < sizeof demo_templates / sizeof demo_templates[0]; i++) {
		struct inv_template t = demo_templates[i].t;
		if ((rc = cases__inv_template_insert(c, tenant, &t)) != 0)
			return rc;
		for (int j = 0; j < 8 && demo_templates[i].sections[j].heading[0]; j++) {
			struct inv_section sec = demo_templates[i].sections[j];
			sec.position = j + 1;
			if ((rc = cases__inv_section_insert(c, tenant, t.id, &sec)) != 0)
				return rc;
		}
	}
	return 0;
}

struct seed {
	int64_t tenant; /* the tenant to seed */
};

static int
seed_job(struct db_conn *c, void *arg)
{
	struct seed *s = arg;
	int rc;
	for (size_t i = 0; i < sizeof demo_services / sizeof demo_services[0]; i++) {
		struct service sv = demo_services[i];
		if ((rc = cases__service_insert(c, s->tenant, &sv)) != 0)
			return rc;
	}
	for (size_t i = 0; i < sizeof demo_rules / sizeof demo_rules[0]; i++)
		if ((rc = cases__rule_insert(c, s->tenant, &demo_rules[i])) != 0)
			return rc;
	if ((rc = seed_templates(c, s->tenant)) != 0)
		return rc;
	/* The delegation order decides who may decide: its creation is on the record. */
	struct audit_entry who = {
	    .tenant_id = s->tenant, .username = "system", .role = "system", .request_id = "demo"};
	return audit_change(c, &who, "create", "delegation_order", 0, 0);
}

int
cases_seed_demo(struct db *db, int64_t tenant)
{
	struct seed s = {tenant};
	return db_write(db, seed_job, &s);
}

/* ---- who may see a case -------------------------------------------------------------- */

int
cases_access(struct db_conn *c, const struct principal *p, const struct case_row *cs)
{
	if (p->tenant_id != cs->tenant_id)
		return HERR_NOT_FOUND;
	if (p->roles & ROLE_ADMIN)
		return 0;
	if (p->roles & (ROLE_CASEWORKER | ROLE_UNIT_MANAGER)) {
		/* Their unit's cases, online applications waiting for intake (no unit yet), and
		 * cases assigned to them wherever they sit. */
		if (cs->unit_id == 0 || (p->unit_id != 0 && cs->unit_id == p->unit_id) ||
		    (p->user_id != 0 && cs->caseworker_id == p->user_id))
			return 0;
	}
	if ((p->roles & ROLE_CITIZEN) && p->person_id != 0 && cs->person_id == p->person_id)
		return 0;
	if ((p->roles & ROLE_REPRESENTATIVE) && p->person_id != 0) {
		/* Only the mandate counts: any staff role of the same user is not asked again. */
		struct principal rep = *p;
		rep.roles = ROLE_REPRESENTATIVE;
		return auth_person_access(c, &rep, cs->person_id);
	}
	/* Fee administrators, finance, auditors and provider users see no case here. */
	return HERR_NOT_FOUND;
}

/* ---- registering a case -------------------------------------------------------------- */

struct create {
	struct case_row cs;              /* the row; id, number, law filled by the job */
	const struct case_request *reqs; /* what is applied for */
	int nreqs;                       /* how many */
	int year;                        /* the registration year of the case number */
	const struct audit_entry *who;   /* audit fields */
};

static int
create_job(struct db_conn *c, void *arg)
{
	struct create *w = arg;
	struct case_row *cs = &w->cs;
	struct person p;
	int rc = people_get(c, cs->tenant_id, cs->person_id, &p);
	if (rc)
		return rc;
	/* The case is an LSS case when any insats applied for is. */
	bool lss = false;
	for (int i = 0; i < w->nreqs; i++) {
		struct service s;
		rc = cases_service_get(c, cs->tenant_id, w->reqs[i].service, &s);
		if (rc)
			return rc == HERR_NOT_FOUND ? HERR_RULE : rc;
		lss = lss || strcmp(s.law, "LSS") == 0;
	}
	snprintf(cs->law, sizeof cs->law, "%s", lss ? "LSS" : "SoL");

	/* The writer thread runs one job at a time, so the highest number cannot move under us;
	 * UNIQUE (tenant_id, case_number) guards it anyway. */
	int last;
	if ((rc = cases__last_number(c, cs->tenant_id, w->year, &last)) != 0)
		return rc;
	if (last >= 999999)
		return HERR_LIMIT;
	snprintf(cs->case_number, sizeof cs->case_number, "%04d-%06d", w->year, last + 1);
	if ((rc = cases__insert(c, cs)) != 0)
		return rc;
	for (int i = 0; i < w->nreqs; i++)
		if ((rc = cases__request_insert(c, cs->tenant_id, cs->id, &w->reqs[i])) != 0)
			return rc;

	const char *detail = strcmp(cs->kind, "report") == 0 ? "Anmälan mottagen"
	                     : strcmp(cs->channel, "online") == 0
	                         ? "Ansökan mottagen (e-tjänst)"
	                         : "Ansökan registrerad av handläggare";
	rc = cases__event_insert(c, cs->tenant_id, cs->id, w->who, "received", NULL, cs->state,
	                         detail);
	if (rc)
		return rc;
	return audit_change(c, w->who, "create", "case", cs->id, cs->person_id);
}

int
cases_create(struct db *db, struct case_row *cs, const struct case_request *reqs, int nreqs,
             const struct audit_entry *who)
{
	if (!one_of(cs->kind, "application", "report") ||
	    !one_of(cs->channel, "caseworker", "online") || nreqs < 0 || (nreqs > 0 && !reqs))
		return HERR_INVALID;
	for (int i = 0; i < nreqs; i++)
		if (reqs[i].hours < 0 || !reqs[i].service[0])
			return HERR_INVALID;
	/* A paper application keeps the day it arrived; none arrives tomorrow. */
	int32_t today = today_days(), received;
	if (opt_date(cs->received_date, today, &received) != 0 || received > today)
		return HERR_INVALID;

	struct create w = {.cs = *cs, .reqs = reqs, .nreqs = nreqs, .who = who};
	int month, day;
	cal_civil(today, &w.year, &month, &day);
	cal_format(received, w.cs.received_date);
	cal_format(cases_due_date(received), w.cs.due_date);
	snprintf(w.cs.state, sizeof w.cs.state, "received");
	w.cs.version = 1;
	w.cs.refer_level = 0;
	w.cs.created_at = w.cs.updated_at = time_now();
	int rc = db_write(db, create_job, &w);
	if (rc == 0)
		*cs = w.cs;
	return rc;
}

/* ---- assign, state, referral --------------------------------------------------------- */

enum case_change { CHANGE_ASSIGN, CHANGE_STATE, CHANGE_REFER };

struct change {
	enum case_change what;          /* which change */
	int64_t tenant, case_id;        /* the case */
	int64_t caseworker_id, unit_id; /* assign: 0 for none */
	const char *to;                 /* state: the new state */
	int level;                      /* refer: the level, 0 to withdraw the referral */
	const char *detail;             /* state, refer: the timeline text, NULL for the default */
	const struct audit_entry *who;  /* audit fields */
};

static int
change_job(struct db_conn *c, void *arg)
{
	struct change *w = arg;
	struct case_row cs;
	int rc = cases_get(c, w->tenant, w->case_id, &cs);
	if (rc)
		return rc;
	int64_t v; /* the new version */
	struct strbuf sb;
	sb_init(&sb, 4096);
	const char *kind = "", *from = NULL, *to = NULL;
	switch (w->what) {
	case CHANGE_ASSIGN:
		kind = "assigned";
		rc = cases__assign(c, w->tenant, cs.id, w->caseworker_id, w->unit_id, cs.version,
		                   &v);
		/* The timeline names the caseworker and unit as they were named then. */
		if (rc == 0 && w->caseworker_id) {
			char name[128];
			rc = auth_user_name(c, w->tenant, w->caseworker_id, name, sizeof name);
			if (rc == 0)
				sb_addf(&sb, "Ärendet tilldelat %s", name);
		} else if (rc == 0) {
			sb_adds(&sb, "Ärendet saknar handläggare");
		}
		if (rc == 0 && w->unit_id) {
			char name[128];
			rc = auth_unit_name(c, w->tenant, w->unit_id, name, sizeof name);
			if (rc == 0)
				sb_addf(&sb, ", %s", name);
		}
		if (rc == HERR_NOT_FOUND)
			rc = HERR_RULE;
		break;
	case CHANGE_STATE:
		kind = "state";
		if (!cases_transition_ok(cs.state, w->to)) {
			rc = HERR_RULE;
			break;
		}
		from = cs.state;
		to = w->to;
		/* A referral waits for a decision; a case closed without one no longer does. */
		rc = cases__set_state(c, w->tenant, cs.id, w->to,
		                      is_closed(w->to) ? 0 : cs.refer_level, cs.version, &v);
		if (w->detail && *w->detail)
			sb_adds(&sb, w->detail);
		else
			sb_addf(&sb, "%s → %s", cases_state_title(cs.state),
			        cases_state_title(w->to));
		break;
	case CHANGE_REFER:
		kind = "referred";
		if (is_closed(cs.state)) {
			rc = HERR_RULE;
			break;
		}
		rc = cases__set_state(c, w->tenant, cs.id, cs.state, w->level, cs.version, &v);
		if (w->detail && *w->detail)
			sb_adds(&sb, w->detail);
		else if (w->level)
			sb_addf(&sb, "Beslutet hänskjuts till %s", cases_level_name(w->level));
		else
			sb_adds(&sb, "Hänskjutandet återkallat");
		break;
	}
	if (rc == 0)
		rc = cases__event_insert(c, w->tenant, cs.id, w->who, kind, from, to, sb.buf);
	if (rc == 0)
		rc = audit_change(c, w->who, "update", "case", cs.id, cs.person_id);
	sb_release(&sb);
	return rc;
}

int
cases_assign(struct db *db, int64_t tenant, int64_t case_id, int64_t caseworker_id, int64_t unit_id,
             const struct audit_entry *who)
{
	if (caseworker_id < 0 || unit_id < 0)
		return HERR_INVALID;
	struct change w = {.what = CHANGE_ASSIGN,
	                   .tenant = tenant,
	                   .case_id = case_id,
	                   .caseworker_id = caseworker_id,
	                   .unit_id = unit_id,
	                   .who = who};
	return db_write(db, change_job, &w);
}

int
cases_transition(struct db *db, int64_t tenant, int64_t case_id, const char *to, const char *detail,
                 const struct audit_entry *who)
{
	if (!to || !cases_state_valid(to))
		return HERR_RULE;
	if (detail && strlen(detail) > DETAIL_MAX)
		return HERR_INVALID;
	struct change w = {.what = CHANGE_STATE,
	                   .tenant = tenant,
	                   .case_id = case_id,
	                   .to = to,
	                   .detail = detail,
	                   .who = who};
	return db_write(db, change_job, &w);
}

int
cases_refer(struct db *db, int64_t tenant, int64_t case_id, int level, const char *detail,
            const struct audit_entry *who)
{
	if (level < 0 || level > LEVEL_COMMITTEE || (detail && strlen(detail) > DETAIL_MAX))
		return HERR_INVALID;
	struct change w = {.what = CHANGE_REFER,
	                   .tenant = tenant,
	                   .case_id = case_id,
	                   .level = level,
	                   .detail = detail,
	                   .who = who};
	return db_write(db, change_job, &w);
}

/* ---- journal ------------------------------------------------------------------------- */

enum note_change { NOTE_ADD, NOTE_UPDATE, NOTE_SIGN };

struct note_write {
	enum note_change what;         /* which change */
	int64_t tenant;                /* the tenant */
	struct note n;                 /* add, update: the note; out: the stored row */
	int64_t signer;                /* sign: who signs */
	const struct audit_entry *who; /* audit fields */
};

/* Adds a draft; a correction must point at a signed note of the same case. */
static int
note_add(struct db_conn *c, struct note_write *w, struct case_row *cs)
{
	int rc = cases_get(c, w->tenant, w->n.case_id, cs);
	if (rc)
		return rc;
	if (w->n.corrects_id) {
		struct note old;
		rc = cases_note_get(c, w->tenant, w->n.corrects_id, &old);
		if (rc)
			return rc == HERR_NOT_FOUND ? HERR_RULE : rc;
		if (old.case_id != cs->id || !old.signed_at)
			return HERR_RULE;
	}
	return cases__note_insert(c, w->tenant, &w->n);
}

/* Checks that note id is a draft of user (HERR_CONFLICT, HERR_FORBIDDEN), loading it and its
 * case. */
static int
load_draft(struct db_conn *c, struct note_write *w, int64_t user, struct note *cur,
           struct case_row *cs)
{
	int rc = cases_note_get(c, w->tenant, w->n.id, cur);
	if (rc)
		return rc;
	if (cur->signed_at)
		return HERR_CONFLICT;
	if (cur->author_id != user)
		return HERR_FORBIDDEN;
	return cases_get(c, w->tenant, cur->case_id, cs);
}

static int
note_job(struct db_conn *c, void *arg)
{
	struct note_write *w = arg;
	struct case_row cs;
	struct note cur;
	int64_t version;
	int rc = HERR_INTERNAL;
	const char *action = "create";
	switch (w->what) {
	case NOTE_ADD:
		rc = note_add(c, w, &cs);
		break;
	case NOTE_UPDATE:
		action = "update";
		rc = load_draft(c, w, w->who->user_id, &cur, &cs);
		if (rc == 0 && cur.version != w->n.version)
			rc = HERR_STALE;
		if (rc == 0)
			rc = cases__note_update(c, w->tenant, cur.id, w->n.body, cur.version,
			                        &version);
		break;
	case NOTE_SIGN:
		action = "sign";
		rc = load_draft(c, w, w->signer, &cur, &cs);
		if (rc == 0)
			rc = cases__note_sign(c, w->tenant, cur.id, time_now());
		if (rc == 0) {
			struct strbuf sb;
			sb_init(&sb, 256);
			sb_addf(&sb, "Journalanteckning %lld signerad", (long long)cur.id);
			rc = cases__event_insert(c, w->tenant, cs.id, w->who, "note_signed", NULL,
			                         NULL, sb.buf);
			sb_release(&sb);
		}
		break;
	}
	if (rc)
		return rc;
	if ((rc = audit_change(c, w->who, action, "journal_note", w->n.id, cs.person_id)) != 0)
		return rc;
	/* Hand back the row as stored. */
	return cases_note_get(c, w->tenant, w->n.id, &w->n);
}

int
cases_note_add(struct db *db, int64_t tenant, struct note *n, const char *author_name,
               const struct audit_entry *who)
{
	if (!n->body[0] || n->corrects_id < 0)
		return HERR_INVALID;
	struct note_write w = {.what = NOTE_ADD, .tenant = tenant, .n = *n, .who = who};
	if (!w.n.author_id)
		w.n.author_id = who->user_id;
	const char *name = author_name && *author_name ? author_name : who->username;
	snprintf(w.n.author_name, sizeof w.n.author_name, "%s", name ? name : "");
	w.n.created_at = time_now();
	int rc = db_write(db, note_job, &w);
	if (rc == 0)
		*n = w.n;
	return rc;
}

int
cases_note_update(struct db *db, int64_t tenant, struct note *n, const struct audit_entry *who)
{
	if (!n->body[0])
		return HERR_INVALID;
	struct note_write w = {.what = NOTE_UPDATE, .tenant = tenant, .n = *n, .who = who};
	int rc = db_write(db, note_job, &w);
	if (rc == 0)
		*n = w.n;
	return rc;
}

int
cases_note_sign(struct db *db, int64_t tenant, int64_t note_id, int64_t user_id, struct note *out,
                const struct audit_entry *who)
{
	struct note_write w = {.what = NOTE_SIGN, .tenant = tenant, .signer = user_id, .who = who};
	w.n.id = note_id;
	int rc = db_write(db, note_job, &w);
	if (rc == 0 && out)
		*out = w.n;
	return rc;
}

/* ---- assessments --------------------------------------------------------------------- */

struct assess {
	int64_t tenant;                /* the tenant */
	struct assessment a;           /* the row; out: id */
	const struct audit_entry *who; /* audit fields */
};

static int
assess_job(struct db_conn *c, void *arg)
{
	struct assess *w = arg;
	struct case_row cs;
	int rc = cases_get(c, w->tenant, w->a.case_id, &cs);
	if (rc)
		return rc;
	if ((rc = cases__assessment_insert(c, w->tenant, &w->a, w->who->user_id)) != 0)
		return rc;
	return audit_change(c, w->who, "create", "assessment", w->a.id, cs.person_id);
}

int
cases_assessment_add(struct db *db, int64_t tenant, struct assessment *a,
                     const struct audit_entry *who)
{
	if (!cases_life_area_valid(a->life_area) || !one_of(a->source, "self", "caseworker"))
		return HERR_INVALID;
	struct assess w = {.tenant = tenant, .a = *a, .who = who};
	int rc = db_write(db, assess_job, &w);
	if (rc == 0)
		*a = w.a;
	return rc;
}

/* ---- decisions ----------------------------------------------------------------------- */

/* The Swedish name of a service for a timeline text, its code when it has left the catalogue
 * (a timeline names no internal code when it can help it). */
static int
service_title(struct db_conn *c, int64_t tenant, const char *code, char *out, size_t size)
{
	struct service s;
	int rc = cases_service_get(c, tenant, code, &s);
	if (rc && rc != HERR_NOT_FOUND)
		return rc;
	str_copy(out, size, rc == 0 ? s.name : code);
	return 0;
}

struct decide {
	int64_t tenant;                /* the tenant */
	struct decision d;             /* the decision; out: id, person, follow-up */
	int32_t start, end;            /* the period as day numbers; end -1 until further notice */
	const struct audit_entry *who; /* audit fields */
};

static int
decide_job(struct db_conn *c, void *arg)
{
	struct decide *w = arg;
	struct decision *d = &w->d;
	struct case_row cs;
	int rc = cases_get(c, w->tenant, d->case_id, &cs);
	if (rc)
		return rc;
	if (is_closed(cs.state))
		return HERR_RULE;
	struct service s;
	if ((rc = cases_service_get(c, w->tenant, d->service, &s)) != 0)
		return rc == HERR_NOT_FOUND ? HERR_RULE : rc;
	d->person_id = cs.person_id;
	d->followup_date[0] = '\0';
	if (is_grant(d->outcome) && s.followup_months > 0)
		cal_format(cases_followup_date(w->start, w->end, s.followup_months),
		           d->followup_date);

	/* Reassessment (omprövning): the new decision replaces a grant in force of the same
	 * case and service (cases_replaceable). */
	struct decision old;
	if (d->replaces_id) {
		rc = cases_decision_get(c, w->tenant, d->replaces_id, &old);
		if (rc)
			return rc == HERR_NOT_FOUND ? HERR_RULE : rc;
		if (old.person_id != cs.person_id || !cases_replaceable(&old, cs.id, d->service))
			return HERR_RULE;
	}
	if ((rc = cases__decision_insert(c, w->tenant, d)) != 0)
		return rc;
	if (d->replaces_id &&
	    (rc = cases__decision_replaced(c, w->tenant, d->replaces_id, d->id)) != 0)
		return rc;
	/* A replaced grant that was never executed stops waiting for execution on the new
	 * decision's date (legal-duties.md section 1), and so does one whose execution is
	 * interrupted (its interruption ends there); an executed one was executed, and one
	 * closed already keeps its closing. The change is part of the new decision: its timeline
	 * event says so and its audit record covers it. */
	bool closes = d->replaces_id && is_grant(old.outcome) && !old.closed_date[0];
	bool interrupted = false;
	if (closes && old.executed_date[0]) {
		struct interruption open;
		rc = cases_interruption_open(c, w->tenant, old.id, &open);
		if (rc && rc != HERR_NOT_FOUND)
			return rc;
		interrupted = rc == 0;
		closes = interrupted;
	}
	if (closes && (rc = cases__decision_close(c, w->tenant, old.id, d->decision_date,
	                                          "replaced", "")) != 0)
		return rc;

	/* The case moves to decided from investigation or follow-up; a further decision in a
	 * decided or executing case leaves it where it is. The referral is answered. */
	const char *to = cases_transition_ok(cs.state, "decided") ? "decided" : cs.state;
	int64_t version;
	if ((rc = cases__set_state(c, w->tenant, cs.id, to, 0, cs.version, &version)) != 0)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 4096);
	sb_addf(&sb, "Beslut: %s %s", outcome_word(d->outcome), s.name);
	if (d->hours >= 0 && strcmp(s.measure, "hours_per_month") == 0)
		sb_addf(&sb, " %d h/mån", d->hours);
	if (d->replaces_id)
		sb_addf(&sb, " (ersätter beslut %lld%s)", (long long)d->replaces_id,
		        interrupted ? ", vars avbrott i verkställigheten därmed upphör"
		        : closes    ? ", som avslutas utan verkställighet"
		                    : "");
	bool moved = strcmp(to, cs.state) != 0;
	rc = cases__event_insert(c, w->tenant, cs.id, w->who, "decision", moved ? cs.state : NULL,
	                         moved ? to : NULL, sb.buf);
	sb_release(&sb);
	if (rc)
		return rc;
	return audit_change(c, w->who, "create", "decision", d->id, cs.person_id);
}

int
cases_decide(struct db *db, int64_t tenant, struct decision *d, const struct audit_entry *who)
{
	if (!one_of(d->outcome, "granted", "refused") && strcmp(d->outcome, "partly_granted") != 0)
		return HERR_INVALID;
	if (d->decided_level < LEVEL_CASEWORKER || d->decided_level > LEVEL_COMMITTEE ||
	    d->replaces_id < 0)
		return HERR_INVALID;
	struct decide w = {.tenant = tenant, .d = *d, .who = who};
	if (!w.d.decided_by)
		w.d.decided_by = who->user_id;
	if (w.d.decided_by <= 0) /* a decision names the officer who took it (FL 31 §) */
		return HERR_INVALID;
	int32_t decided;
	if (opt_date(w.d.decision_date, today_days(), &decided) != 0)
		return HERR_INVALID;
	cal_format(decided, w.d.decision_date);
	/* A grant needs its period's start; the end is open for until further notice. */
	if (opt_date(w.d.start_date, -1, &w.start) != 0 || opt_date(w.d.end_date, -1, &w.end) != 0)
		return HERR_INVALID;
	if ((is_grant(w.d.outcome) && w.start < 0) || (w.end >= 0 && w.end < w.start))
		return HERR_INVALID;
	w.d.replaced_by = 0;
	w.d.executed_date[0] = '\0';
	w.d.created_at = time_now();
	int rc = db_write(db, decide_job, &w);
	if (rc == 0)
		*d = w.d;
	return rc;
}

struct executed {
	int64_t tenant, decision_id;   /* the decision */
	char date[11];                 /* the execution date */
	const struct audit_entry *who; /* audit fields */
};

/*
 * What follows the mark of an execution on date: the case moves to executing where its state
 * allows, a timeline event names the service, date and how it was learnt (how: "" for a
 * caseworker's entry, or a phrase such as "första rapporterade besöket"), and the change is
 * audited.
 */
static int
executed_tail(struct db_conn *c, int64_t tenant, const struct executed_row *d, const char *date,
              const char *how, const struct audit_entry *who)
{
	struct case_row cs;
	int rc = cases_get(c, tenant, d->case_id, &cs);
	if (rc)
		return rc;
	const char *to = cases_transition_ok(cs.state, "executing") ? "executing" : cs.state;
	bool moved = strcmp(to, cs.state) != 0;
	int64_t version;
	if (moved && (rc = cases__set_state(c, tenant, cs.id, to, cs.refer_level, cs.version,
	                                    &version)) != 0)
		return rc;
	char name[101];
	if ((rc = service_title(c, tenant, d->service, name, sizeof name)) != 0)
		return rc;
	struct strbuf sb;
	sb_init(&sb, 4096);
	sb_addf(&sb, "Verkställt: %s från %s (%s%sbeslut %lld)", name, date, how,
	        how[0] ? ", " : "", (long long)d->id);
	rc = sb.err ? sb.err
	            : cases__event_insert(c, tenant, cs.id, who, "executed",
	                                  moved ? cs.state : NULL, moved ? to : NULL, sb.buf);
	sb_release(&sb);
	if (rc)
		return rc;
	return audit_change(c, who, "update", "decision", d->id, d->person_id);
}

static int
executed_job(struct db_conn *c, void *arg)
{
	struct executed *w = arg;
	struct decision d;
	int rc = cases_decision_get(c, w->tenant, w->decision_id, &d);
	if (rc)
		return rc;
	/* Only a grant is executed, once, not before it was decided, and not after it was
	 * closed without execution. */
	if (!is_grant(d.outcome) || d.executed_date[0] || d.closed_date[0] ||
	    strcmp(w->date, d.decision_date) < 0)
		return HERR_RULE;
	if ((rc = cases__decision_executed(c, w->tenant, d.id, w->date)) != 0)
		return rc;
	struct executed_row e = {d.id, d.case_id, d.person_id, ""};
	str_copy(e.service, sizeof e.service, d.service);
	return executed_tail(c, w->tenant, &e, w->date, "", w->who);
}

int
cases_executed_by_delivery(struct db_conn *c, int64_t tenant, int64_t decision_id, const char *date,
                           const struct audit_entry *who)
{
	struct executed_row e;
	int rc = cases__decision_executed_if_open(c, tenant, decision_id, date, &e);
	if (rc == HERR_NOT_FOUND)
		return 0;
	return rc ? rc
	          : executed_tail(c, tenant, &e, date, "första rapporterade besöket eller passet",
	                          who);
}

int
cases_executed(struct db *db, int64_t tenant, int64_t decision_id, const char *date,
               const struct audit_entry *who)
{
	int32_t day;
	if (opt_date(date, today_days(), &day) != 0)
		return HERR_INVALID;
	struct executed w = {.tenant = tenant, .decision_id = decision_id, .who = who};
	cal_format(day, w.date);
	return db_write(db, executed_job, &w);
}

/* The tail of a change of a decision or its interruption: the timeline event kind on the case
 * with the detail built in sb (released here), then the audit record of who's action on entity
 * id of person. */
static int
event_and_audit(struct db_conn *c, int64_t tenant, int64_t case_id, const struct audit_entry *who,
                const char *kind, struct strbuf *sb, const char *action, const char *entity,
                int64_t id, int64_t person)
{
	int rc = sb->err ? sb->err
	                 : cases__event_insert(c, tenant, case_id, who, kind, NULL, NULL, sb->buf);
	sb_release(sb);
	return rc ? rc : audit_change(c, who, action, entity, id, person);
}

struct close {
	int64_t tenant, decision_id;   /* the decision */
	char date[11];                 /* the closing date */
	int32_t day, today;            /* the same, and today, as day numbers */
	const char *reason, *note;     /* the reason's code and the statement ("" for none) */
	const struct audit_entry *who; /* audit fields */
};

static int
close_job(struct db_conn *c, void *arg)
{
	struct close *w = arg;
	struct decision d;
	int rc = cases_decision_get(c, w->tenant, w->decision_id, &d);
	if (rc)
		return rc;
	if (!is_grant(d.outcome))
		return HERR_RULE;
	if (d.closed_date[0])
		return HERR_CONFLICT;
	/* An executed decision is closed only while its execution is interrupted: the closing
	 * ends the interruption (legal-duties.md section 1, trigger B). */
	struct closing_ask a = {.closed = w->day,
	                        .today = w->today,
	                        .reason = w->reason,
	                        .note = w->note,
	                        .interrupted = -1};
	struct interruption open;
	if (d.executed_date[0]) {
		rc = cases_interruption_open(c, w->tenant, d.id, &open);
		if (rc)
			return rc == HERR_NOT_FOUND ? HERR_CONFLICT : rc;
		if (cal_parse(open.from_date, &a.interrupted) != 0)
			return HERR_INTERNAL;
	}
	if (cal_parse(d.decision_date, &a.decided) != 0 || opt_date(d.end_date, -1, &a.end) != 0)
		return HERR_INTERNAL;
	struct field_errors fe = {.n = 0};
	if (cases_closing_check(&a, &fe))
		return HERR_INVALID;
	if ((rc = cases__decision_close(c, w->tenant, d.id, w->date, w->reason, w->note)) != 0)
		return rc;
	char name[101];
	if ((rc = service_title(c, w->tenant, d.service, name, sizeof name)) != 0)
		return rc;
	bool interrupted = d.executed_date[0] != '\0';
	struct strbuf sb;
	sb_init(&sb, DETAIL_MAX);
	sb_addf(&sb, "%s: %s den %s, %s (beslut %lld)",
	        interrupted ? "Avslutat under avbrott i verkställigheten"
	                    : "Avslutat utan verkställighet",
	        name, w->date, cases_close_reason(w->reason)->title, (long long)d.id);
	return event_and_audit(c, w->tenant, d.case_id, w->who,
	                       interrupted ? "closed_interrupted" : "closed_unexecuted", &sb,
	                       "update", "decision", d.id, d.person_id);
}

int
cases_close(struct db *db, int64_t tenant, int64_t decision_id, const char *date,
            const char *reason, const char *note, const struct audit_entry *who)
{
	struct close w = {.tenant = tenant,
	                  .decision_id = decision_id,
	                  .today = today_days(),
	                  .reason = reason ? reason : "",
	                  .note = note ? note : "",
	                  .who = who};
	if (!date || strlen(date) != 10 || cal_parse(date, &w.day) != 0)
		return HERR_INVALID;
	cal_format(w.day, w.date);
	return db_write(db, close_job, &w);
}

/* ---- interruptions of execution (trigger B) ------------------------------------------ */

struct interrupt {
	int64_t tenant, decision_id;   /* the decision */
	char date[11];                 /* the first day of the interruption */
	int32_t day, today;            /* the same, and today, as day numbers */
	const char *reason;            /* why it was interrupted */
	const struct audit_entry *who; /* audit fields */
	struct interruption row;       /* out: the row stored */
};

/* Keeps the latest resumption of a decision's interruptions in *arg (a day number). */
static void
latest_resumed(const struct interruption *i, void *arg)
{
	int32_t *latest = arg, day;
	if (i->resumed_date[0] && cal_parse(i->resumed_date, &day) == 0 && day > *latest)
		*latest = day;
}

static int
interrupt_job(struct db_conn *c, void *arg)
{
	struct interrupt *w = arg;
	struct decision d;
	int rc = cases_decision_get(c, w->tenant, w->decision_id, &d);
	if (rc)
		return rc;
	/* Only the execution of a grant in force can be interrupted: executed, not replaced by
	 * a newer decision, not closed, and not interrupted already. */
	if (!is_grant(d.outcome) || !d.executed_date[0] || d.replaced_by)
		return HERR_RULE;
	if (d.closed_date[0])
		return HERR_CONFLICT;
	struct interruption open;
	rc = cases_interruption_open(c, w->tenant, d.id, &open);
	if (rc == 0)
		return HERR_CONFLICT;
	if (rc != HERR_NOT_FOUND)
		return rc;
	struct interruption_ask a = {
	    .resumed = -1, .from = w->day, .today = w->today, .reason = w->reason};
	if (cal_parse(d.executed_date, &a.executed) != 0 || opt_date(d.end_date, -1, &a.end) != 0)
		return HERR_INTERNAL;
	if ((rc = cases_decision_interruptions(c, w->tenant, d.id, latest_resumed, &a.resumed)))
		return rc;
	struct field_errors fe = {.n = 0};
	if (cases_interruption_check(&a, &fe))
		return HERR_INVALID;
	struct interruption *i = &w->row;
	memset(i, 0, sizeof *i);
	i->decision_id = d.id;
	i->case_id = d.case_id;
	i->person_id = d.person_id;
	i->created_by = w->who->user_id;
	i->created_at = time_now();
	memcpy(i->from_date, w->date, sizeof i->from_date);
	snprintf(i->reason, sizeof i->reason, "%s", w->reason);
	if ((rc = cases__interruption_insert(c, w->tenant, i)) != 0)
		return rc;
	char name[101];
	if ((rc = service_title(c, w->tenant, d.service, name, sizeof name)) != 0)
		return rc;
	struct strbuf sb;
	sb_init(&sb, DETAIL_MAX);
	sb_addf(&sb, "Avbrott i verkställigheten: %s från %s (beslut %lld)", name, w->date,
	        (long long)d.id);
	return event_and_audit(c, w->tenant, d.case_id, w->who, "interrupted", &sb, "create",
	                       "decision_interruption", i->id, d.person_id);
}

/* Parses a date given as YYYY-MM-DD exactly into *day and the canonical text out[11]. */
static int
exact_date(const char *s, int32_t *day, char out[11])
{
	if (!s || strlen(s) != 10 || cal_parse(s, day) != 0)
		return HERR_INVALID;
	cal_format(*day, out);
	return 0;
}

int
cases_interrupt(struct db *db, int64_t tenant, int64_t decision_id, const char *from,
                const char *reason, const struct audit_entry *who, struct interruption *out)
{
	struct interrupt w = {.tenant = tenant,
	                      .decision_id = decision_id,
	                      .today = today_days(),
	                      .reason = reason ? reason : "",
	                      .who = who};
	if (exact_date(from, &w.day, w.date) != 0)
		return HERR_INVALID;
	int rc = db_write(db, interrupt_job, &w);
	if (rc == 0 && out)
		*out = w.row;
	return rc;
}

struct resume {
	int64_t tenant, id;            /* the interruption */
	char date[11];                 /* the day execution resumed */
	int32_t day, today;            /* the same, and today, as day numbers */
	const struct audit_entry *who; /* audit fields */
};

static int
resume_job(struct db_conn *c, void *arg)
{
	struct resume *w = arg;
	struct interruption i;
	struct decision d;
	int rc = cases_interruption_get(c, w->tenant, w->id, &i);
	if (rc == 0)
		rc = cases_decision_get(c, w->tenant, i.decision_id, &d);
	if (rc)
		return rc;
	/* Resumed already, or ended by the decision's closing. */
	if (i.resumed_date[0] || d.closed_date[0])
		return HERR_CONFLICT;
	int32_t from;
	if (cal_parse(i.from_date, &from) != 0)
		return HERR_INTERNAL;
	struct field_errors fe = {.n = 0};
	if (cases_resumption_check(from, w->day, w->today, &fe))
		return HERR_INVALID;
	if ((rc = cases__interruption_resume(c, w->tenant, i.id, w->date)) != 0)
		return rc;
	char name[101];
	if ((rc = service_title(c, w->tenant, d.service, name, sizeof name)) != 0)
		return rc;
	struct strbuf sb;
	sb_init(&sb, DETAIL_MAX);
	sb_addf(&sb, "Verkställigheten återupptagen: %s den %s efter avbrott från %s (beslut %lld)",
	        name, w->date, i.from_date, (long long)d.id);
	return event_and_audit(c, w->tenant, i.case_id, w->who, "resumed", &sb, "update",
	                       "decision_interruption", i.id, i.person_id);
}

int
cases_resume(struct db *db, int64_t tenant, int64_t interruption_id, const char *date,
             const struct audit_entry *who)
{
	struct resume w = {
	    .tenant = tenant, .id = interruption_id, .today = today_days(), .who = who};
	if (exact_date(date, &w.day, w.date) != 0)
		return HERR_INVALID;
	return db_write(db, resume_job, &w);
}

struct interruption_delay {
	int64_t tenant, id;            /* the interruption */
	const char *reason;            /* why it is not resumed yet */
	const struct audit_entry *who; /* audit fields */
};

static int
interruption_delay_job(struct db_conn *c, void *arg)
{
	struct interruption_delay *w = arg;
	struct interruption i;
	int rc = cases_interruption_get(c, w->tenant, w->id, &i);
	if (rc)
		return rc;
	if ((rc = cases__interruption_delay_reason(c, w->tenant, i.id, w->reason)) != 0)
		return rc;
	struct strbuf sb;
	sb_init(&sb, DETAIL_MAX);
	sb_addf(&sb,
	        "Skäl till att verkställigheten inte har återupptagits angivet (avbrott från "
	        "%s, beslut %lld)",
	        i.from_date, (long long)i.decision_id);
	return event_and_audit(c, w->tenant, i.case_id, w->who, "interruption_delay", &sb, "update",
	                       "decision_interruption", i.id, i.person_id);
}

int
cases_interruption_delay_reason(struct db *db, int64_t tenant, int64_t interruption_id,
                                const char *reason, const struct audit_entry *who)
{
	if (!reason || strlen(reason) > CASES_INTERRUPTION_REASON_MAX ||
	    reason[strspn(reason, " \t\r\n")] == '\0')
		return HERR_INVALID;
	struct interruption_delay w = {tenant, interruption_id, reason, who};
	return db_write(db, interruption_delay_job, &w);
}

/* ---- investigations ------------------------------------------------------------------ */

struct inv_write {
	struct investigation inv;      /* the row; out: id, version */
	bool create;                   /* insert, else change */
	bool set_plan;                 /* change: plan and planned visit too */
	const struct inv_text *texts;  /* change: section texts */
	int n;                         /* how many */
	const struct audit_entry *who; /* audit fields */
};

static int
inv_job(struct db_conn *c, void *arg)
{
	struct inv_write *w = arg;
	struct case_row cs;
	int rc = cases_get(c, w->inv.tenant_id, w->inv.case_id, &cs);
	if (rc)
		return rc;
	struct investigation cur;
	rc = cases_investigation_get(c, w->inv.tenant_id, w->inv.case_id, &cur);
	if (w->create) {
		if (rc == 0)
			return HERR_CONFLICT;
		if (rc != HERR_NOT_FOUND)
			return rc;
		if ((rc = cases__investigation_insert(c, &w->inv)) != 0)
			return rc;
		return audit_change(c, w->who, "create", "investigation", w->inv.id, cs.person_id);
	}
	if (rc)
		return rc;
	w->inv.id = cur.id;
	w->inv.template_id = cur.template_id;
	if ((rc = cases__investigation_touch(c, &w->inv, w->set_plan)) != 0)
		return rc;
	for (int i = 0; i < w->n; i++)
		if ((rc = cases__investigation_text(c, &w->inv, w->texts[i].section_id,
		                                    w->texts[i].body)) != 0)
			return rc;
	return audit_change(c, w->who, "update", "investigation", w->inv.id, cs.person_id);
}

int
cases_investigation_create(struct db *db, struct investigation *inv, const struct audit_entry *who)
{
	struct inv_write w = {.inv = *inv, .create = true, .who = who};
	int rc = db_write(db, inv_job, &w);
	if (rc == 0)
		*inv = w.inv;
	return rc;
}

int
cases_investigation_update(struct db *db, struct investigation *inv, bool set_plan,
                           const struct inv_text *texts, int n, const struct audit_entry *who)
{
	struct inv_write w = {
	    .inv = *inv, .set_plan = set_plan, .texts = texts, .n = n, .who = who};
	int rc = db_write(db, inv_job, &w);
	if (rc == 0)
		*inv = w.inv;
	return rc;
}

/* ---- investigation templates ---------------------------------------------------------------- */

struct template_add {
	int64_t tenant;
	struct inv_template *t;
	const struct inv_section *s;
	int n;
};

static int
template_add_job(struct db_conn *c, void *arg)
{
	struct template_add *w = arg;
	struct inv_template old;
	int rc = cases_inv_template_get(c, w->tenant, w->t->code, w->t->law, &old);
	if (rc == 0)
		return HERR_CONFLICT;
	if (rc != HERR_NOT_FOUND)
		return rc;
	if ((rc = cases__inv_template_insert(c, w->tenant, w->t)) != 0)
		return rc;
	for (int i = 0; i < w->n; i++) {
		struct inv_section sec = w->s[i];
		sec.position = i + 1;
		if ((rc = cases__inv_section_insert(c, w->tenant, w->t->id, &sec)) != 0)
			return rc;
	}
	return 0;
}

int
cases_inv_template_add(struct db *db, int64_t tenant, struct inv_template *t,
                       const struct inv_section *s, int n)
{
	struct template_add w = {tenant, t, s, n};
	return db_write(db, template_add_job, &w);
}
