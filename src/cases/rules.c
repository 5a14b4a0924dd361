/*
 * The authority process's rules; see rules.h for each contract and the law behind it.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/json.h"
#include "cases.h"

static bool
covers(const struct delegation_rule *r, const struct decision_ask *a)
{
	if (strcmp(r->service, "*") != 0 && strcmp(r->service, a->service) != 0)
		return false;
	bool refusal = a->outcome == OUTCOME_REFUSED;
	bool grant = a->outcome == OUTCOME_GRANTED;
	bool partly = a->outcome == OUTCOME_PARTLY_GRANTED;
	if ((grant && !r->may_grant) || (refusal && !r->may_refuse) ||
	    (partly && !(r->may_grant && r->may_refuse)))
		return false;
	if (!refusal) {
		if (r->max_hours >= 0 && a->hours > r->max_hours)
			return false;
		if (r->max_months >= 0 && (a->months < 0 || a->months > r->max_months))
			return false;
	}
	return true;
}

bool
cases_may_decide(const struct delegation_rule *rules, int n, int user_level,
                 const struct decision_ask *ask, const struct delegation_rule **rule, int *needed)
{
	const struct delegation_rule *best = NULL;
	int lowest = LEVEL_COMMITTEE;
	for (int i = 0; i < n; i++) {
		if (!covers(&rules[i], ask))
			continue;
		if (rules[i].level < lowest)
			lowest = rules[i].level;
		/* Of the points the user may use, name the one at the lowest level. */
		if (rules[i].level <= user_level && (!best || rules[i].level < best->level))
			best = &rules[i];
	}
	*needed = lowest;
	*rule = best;
	return best != NULL || user_level >= LEVEL_COMMITTEE;
}

const char *
cases_level_name(int level)
{
	switch (level) {
	case LEVEL_CASEWORKER:
		return "biståndshandläggare";
	case LEVEL_UNIT_MANAGER:
		return "enhetschef";
	default:
		return "individutskottet";
	}
}

int
cases_period_months(int32_t start, int32_t end)
{
	if (end < start)
		return 0;
	int months = 0;
	while (cal_add_months(start, months) <= end)
		months++;
	return months;
}

int32_t
cases_followup_date(int32_t start, int32_t end, int months)
{
	int32_t f = cal_add_months(start, months);
	if (end >= 0 && f > end)
		f = end;
	return f;
}

bool
cases_ends_soon(int32_t end, int32_t today, int days)
{
	return end >= 0 && end >= today && end - today <= days;
}

int32_t
cases_execution_deadline(int32_t decided)
{
	return cal_add_months(decided, 3);
}

int32_t
cases_wait_end(int32_t executed, int32_t closed, bool *by_closing)
{
	bool closing = closed >= 0 && (executed < 0 || closed < executed);
	if (by_closing)
		*by_closing = closing;
	return closing ? closed : executed >= 0 ? executed : -1;
}

bool
cases_reportable(int32_t decided, int32_t executed, int32_t closed, int32_t quarter_start,
                 int32_t quarter_end)
{
	int32_t deadline = cases_execution_deadline(decided);
	if (deadline > quarter_end)
		return false;
	int32_t end = cases_wait_end(executed, closed, NULL);
	if (end < 0)
		return true;
	/* Ended in time (never reportable), or in an earlier quarter (reported there). */
	return end > deadline && end >= quarter_start;
}

int
cases_days_waited(int32_t decided, int32_t executed, int32_t closed, int32_t as_of)
{
	int32_t end = cases_wait_end(executed, closed, NULL);
	int32_t until = end >= 0 && end < as_of ? end : as_of;
	return until > decided ? (int)(until - decided) : 0;
}

const struct close_reason cases_close_reasons[] = {
    {"declined", "Tackat nej", true},
    {"withdrawn", "Återtagen ansökan", true},
    {"deceased", "Avliden", true},
    {"moved", "Flyttat", true},
    {"period_ended", "Beslutsperioden har löpt ut", true},
    {"other", "Annat", true},
    {"replaced", "Ersatt av nytt beslut", false},
};
const int cases_nclose_reasons = (int)(sizeof cases_close_reasons / sizeof cases_close_reasons[0]);

const struct close_reason *
cases_close_reason(const char *code)
{
	for (int i = 0; code && i < cases_nclose_reasons; i++)
		if (strcmp(cases_close_reasons[i].code, code) == 0)
			return &cases_close_reasons[i];
	return NULL;
}

/* A statement that is given: not NULL and not only white space. */
static bool
stated(const char *s)
{
	return s && s[strspn(s, " \t\r\n")] != '\0';
}

int
cases_closing_check(const struct closing_ask *a, struct field_errors *fe)
{
	int before = fe->n;
	const struct close_reason *why = cases_close_reason(a->reason);
	char day[11];
	if (a->closed < 0) {
		field_error_add(fe, "closed_date", "ange datumet som ÅÅÅÅ-MM-DD");
	} else if (a->closed < a->decided) {
		field_error_add(fe, "closed_date", "beslutet kan inte avslutas före beslutsdatum");
	} else if (a->closed < a->interrupted) {
		cal_format(a->interrupted, day);
		char msg[96];
		snprintf(msg, sizeof msg,
		         "avbrottet började %s; beslutet kan inte avslutas före det", day);
		field_error_add(fe, "closed_date", msg);
	} else if (a->closed > a->today) {
		field_error_add(fe, "closed_date", "datumet kan inte ligga i framtiden");
	} else if (why && strcmp(why->code, "period_ended") == 0 && a->end >= 0 &&
	           a->closed != a->end) {
		/* The day the period ran out is a fact of the decision, not a choice. */
		cal_format(a->end, day);
		char msg[96];
		snprintf(msg, sizeof msg, "beslutsperioden slutade %s; ange det datumet", day);
		field_error_add(fe, "closed_date", msg);
	}
	if (!a->reason || !a->reason[0])
		field_error_add(fe, "reason", "välj varför beslutet avslutas");
	else if (!why)
		field_error_add(fe, "reason",
		                "okänt skäl; ange declined, withdrawn, deceased, moved, "
		                "period_ended eller other");
	else if (!why->by_user)
		field_error_add(fe, "reason",
		                "ett beslut blir ersatt när ett nytt beslut fattas vid omprövning");
	else if (strcmp(why->code, "period_ended") == 0 && a->end < 0)
		field_error_add(
		    fe, "reason",
		    "beslutet gäller tills vidare och har ingen period som kan löpa ut");
	const char *note = a->note ? a->note : "";
	if (strlen(note) > CASES_CLOSE_NOTE_MAX)
		field_error_add(fe, "note", "redogörelsen får vara högst 1000 tecken");
	else if (why && strcmp(why->code, "other") == 0 && !stated(note))
		field_error_add(fe, "note", "beskriv kort varför beslutet avslutas");
	return fe->n - before;
}

int
cases_interruption_check(const struct interruption_ask *a, struct field_errors *fe)
{
	int before = fe->n;
	char day[11], msg[120];
	if (a->from < 0) {
		field_error_add(fe, "from_date", "ange datumet som ÅÅÅÅ-MM-DD");
	} else if (a->executed < 0) {
		field_error_add(fe, "from_date",
		                "ett beslut som inte har verkställts kan inte avbrytas");
	} else if (a->from < a->executed) {
		cal_format(a->executed, day);
		snprintf(msg, sizeof msg,
		         "beslutet verkställdes %s; avbrottet kan inte börja före det", day);
		field_error_add(fe, "from_date", msg);
	} else if (a->from < a->resumed) {
		cal_format(a->resumed, day);
		snprintf(msg, sizeof msg,
		         "verkställigheten återupptogs %s efter förra avbrottet; ange ett senare "
		         "datum",
		         day);
		field_error_add(fe, "from_date", msg);
	} else if (a->from > a->today) {
		field_error_add(fe, "from_date", "datumet kan inte ligga i framtiden");
	} else if (a->end >= 0 && a->from > a->end) {
		cal_format(a->end, day);
		snprintf(msg, sizeof msg,
		         "beslutsperioden slutade %s; avbrottet måste börja senast då", day);
		field_error_add(fe, "from_date", msg);
	}
	if (!stated(a->reason))
		field_error_add(fe, "reason", "beskriv kort varför verkställigheten avbröts");
	else if (strlen(a->reason) > CASES_INTERRUPTION_REASON_MAX)
		field_error_add(fe, "reason", "skälet får vara högst 1000 tecken");
	return fe->n - before;
}

int
cases_resumption_check(int32_t from, int32_t resumed, int32_t today, struct field_errors *fe)
{
	char day[11], msg[96];
	if (resumed < 0) {
		field_error_add(fe, "resumed_date", "ange datumet som ÅÅÅÅ-MM-DD");
	} else if (resumed < from) {
		cal_format(from, day);
		snprintf(msg, sizeof msg,
		         "avbrottet började %s; verkställigheten kan inte återupptas "
		         "före det",
		         day);
		field_error_add(fe, "resumed_date", msg);
	} else if (resumed > today) {
		field_error_add(fe, "resumed_date", "datumet kan inte ligga i framtiden");
	} else {
		return 0;
	}
	return 1;
}

int32_t
cases_appeal_deadline(int32_t received)
{
	return cal_next_working_day(received + 21);
}

static const struct {
	const char *from; /* state */
	const char *to;   /* the states it may move to, space-separated */
} transitions[] = {
    {"received", "investigation withdrawn closed"},
    {"investigation", "decided withdrawn closed"},
    {"decided", "executing follow_up closed"},
    {"executing", "follow_up closed"},
    {"follow_up", "investigation decided executing closed"},
    {"closed", ""},
    {"withdrawn", ""},
};

bool
cases_state_valid(const char *state)
{
	for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++)
		if (strcmp(transitions[i].from, state) == 0)
			return true;
	return false;
}

bool
cases_transition_ok(const char *from, const char *to)
{
	size_t n = strlen(to);
	if (n == 0 || !cases_state_valid(to))
		return false;
	for (size_t i = 0; i < sizeof transitions / sizeof transitions[0]; i++) {
		if (strcmp(transitions[i].from, from) != 0)
			continue;
		const char *p = transitions[i].to;
		while ((p = strstr(p, to)) != NULL) {
			bool start = p == transitions[i].to || p[-1] == ' ';
			bool end = p[n] == '\0' || p[n] == ' ';
			if (start && end)
				return true;
			p += n;
		}
	}
	return false;
}

bool
cases_decision_state_ok(const char *state, bool undecided)
{
	if (strcmp(state, "investigation") == 0 || strcmp(state, "follow_up") == 0)
		return true;
	return undecided && (strcmp(state, "decided") == 0 || strcmp(state, "executing") == 0);
}

bool
cases_replaceable(const struct decision *old, int64_t case_id, const char *service)
{
	bool grant =
	    strcmp(old->outcome, "granted") == 0 || strcmp(old->outcome, "partly_granted") == 0;
	return old->case_id == case_id && grant && !old->replaced_by && !old->closed_date[0] &&
	       (!service || strcmp(old->service, service) == 0);
}

const char *
cases_state_title(const char *state)
{
	static const char *const t[][2] = {
	    {"received", "Mottagen"},     {"investigation", "Utreds"},
	    {"decided", "Beslut fattat"}, {"executing", "Insatsen pågår"},
	    {"follow_up", "Uppföljning"}, {"closed", "Avslutad"},
	    {"withdrawn", "Återtagen"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(t[i][0], state) == 0)
			return t[i][1];
	return "Okänt";
}

const char *
cases_next_step(const char *state)
{
	static const char *const t[][2] = {
	    {"received", "En handläggare tar kontakt med dig och utreder ditt behov."},
	    {"investigation", "Handläggaren utreder ditt behov och fattar sedan beslut."},
	    {"decided", "Beslutet skickas till dig. Beviljade insatser planeras med utföraren."},
	    {"executing", "Insatsen ges. Handläggaren följer upp den på uppföljningsdatumet."},
	    {"follow_up", "Handläggaren följer upp om insatsen motsvarar ditt behov."},
	    {"closed", "Ärendet är avslutat."},
	    {"withdrawn", "Du har återtagit ansökan. Ärendet är avslutat."},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(t[i][0], state) == 0)
			return t[i][1];
	return "";
}

int32_t
cases_due_date(int32_t received)
{
	return cal_next_working_day(received + 28);
}

int
cases_template_check(const struct inv_template *t, const struct inv_section *s, int n,
                     struct field_errors *fe)
{
	int before = fe->n;
	size_t len = strlen(t->code);
	bool code_ok = len >= 1 && len <= 40;
	for (size_t i = 0; code_ok && i < len; i++) {
		char c = t->code[i];
		code_ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
	}
	if (!code_ok)
		field_error_add(fe, "code", "koden ska vara 1-40 tecken a-z, 0-9, _ eller -");
	if (t->name[0] == '\0' || strlen(t->name) > 100)
		field_error_add(fe, "name", "namnet ska vara 1-100 tecken");
	if (strcmp(t->law, "SoL") != 0 && strcmp(t->law, "LSS") != 0)
		field_error_add(fe, "law", "lagen ska vara SoL eller LSS");
	if (n < 1 || n > 20)
		field_error_add(fe, "sections", "en mall har 1-20 avsnitt");
	for (int i = 0; i < n && i < 20; i++) {
		char field[48];
		bool dup = false;
		for (int j = 0; j < i && !dup; j++)
			dup = strcmp(s[i].heading, s[j].heading) == 0;
		if (s[i].heading[0] == '\0' || strlen(s[i].heading) > 100 || dup) {
			snprintf(field, sizeof field, "sections[%d].heading", i);
			field_error_add(fe, field,
			                dup ? "rubriken finns redan i mallen"
			                    : "rubriken ska vara 1-100 tecken");
		}
		if (strlen(s[i].guidance) > 1000) {
			snprintf(field, sizeof field, "sections[%d].guidance", i);
			field_error_add(fe, field, "vägledningen får vara högst 1000 tecken");
		}
	}
	return fe->n - before;
}
