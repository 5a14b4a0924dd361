/*
 * hanna demo --cases N: a history of the authority process for the demo municipality, made
 * through the module's own functions (cases_create, cases_transition, cases_decide,
 * cases_executed, cases_close, cases_interrupt, cases_resume), so every row, timeline event
 * and audit record is what the real paths write. Cases are spread over the two years before today;
 * most are decided, executed and closed, some are under investigation, some wait for intake, some
 * were withdrawn, and some granted decisions waited more than three months for execution, a few of
 * them ending without execution, and some executed ones were interrupted, resumed late, in time or
 * not yet (material for the quarterly report, both triggers). Sixteen threads submit the steps, so
 * the group commit batches them.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/timeutil.h"
#include "cases/cases.h"
#include "db/db.h"
#include "demo.h"

struct plan {
	struct db *db;
	int64_t tenant, first_person, unit_id;
	long npersons, ncases;
	const int64_t *workers; /* caseworker user ids; workers[0] is 'handlaggare' */
	int nworkers;
	int64_t manager;               /* the unit manager's user id, 0 when none */
	struct delegation_rule *rules; /* the tenant's delegation order, owned */
	int nrules;
	int32_t today;
	pthread_mutex_t mu;
	long next;  /* the next case to make */
	int failed; /* set by a thread that failed */
};

static const struct {
	const char *service;
	const char *what; /* for the case summary */
	int hours;        /* granted hours per month, 0 when not counted in hours */
	const char *reason;
} kinds[] = {
    {"hemtjanst_service", "hemtjänst (serviceinsatser)", 12,
     "Behov av hjälp med städning, tvätt och inköp är utrett."},
    {"hemtjanst_omsorg", "hemtjänst (personlig omsorg)", 30,
     "Behov av hjälp med personlig hygien och måltider är utrett."},
    {"trygghetslarm", "trygghetslarm", 0,
     "Risk för fall i hemmet; larmet ger trygghet dygnet runt."},
    {"matdistribution", "matdistribution", 0, "Klarar inte att laga mat själv."},
    {"dagverksamhet", "dagverksamhet", 0, "Behov av social samvaro och aktivering."},
    {"personlig_assistans", "personlig assistans", 120,
     "Omfattande behov av stöd med grundläggande behov."},
    {"daglig_verksamhet", "daglig verksamhet", 0,
     "Personen tillhör personkretsen och saknar sysselsättning."},
};
#define NKINDS ((int)(sizeof kinds / sizeof kinds[0]))

static uint64_t
mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

/* Who takes decision d (service, outcome, hours set) of a period of months (-1 for a refusal):
 * the lowest level of the delegation order that may, with the point that gives it the
 * authority (cases_may_decide); the committee, with no point, when no point covers it. */
static void
decided_at_level(const struct plan *pl, struct decision *d, int months, int64_t worker)
{
	int outcome = strcmp(d->outcome, "refused") == 0 ? OUTCOME_REFUSED : OUTCOME_GRANTED;
	struct decision_ask ask = {d->service, outcome, d->hours > 0 ? d->hours : 0, months};
	const struct delegation_rule *rule = NULL;
	int level = LEVEL_COMMITTEE;
	cases_may_decide(pl->rules, pl->nrules, LEVEL_CASEWORKER, &ask, &rule, &level);
	if (level == LEVEL_UNIT_MANAGER && !pl->manager)
		level = LEVEL_COMMITTEE;
	int needed;
	cases_may_decide(pl->rules, pl->nrules, level, &ask, &rule, &needed);
	d->decided_level = level;
	snprintf(d->delegation_point, sizeof d->delegation_point, "%s", rule ? rule->point : "");
	d->decided_by = level == LEVEL_UNIT_MANAGER ? pl->manager : worker;
	snprintf(d->decided_by_name, sizeof d->decided_by_name, "%s",
	         level == LEVEL_CASEWORKER     ? "Demo Handläggare"
	         : level == LEVEL_UNIT_MANAGER ? "Demo Enhetschef"
	                                       : "Individutskottet");
}

/*
 * Every sixth executed grant has its execution interrupted some weeks later (trigger B of the
 * quarterly report): half of them are resumed more than three months later (reported until
 * then and once more with the date), a quarter within three months (never reported), and a
 * quarter are not resumed yet, with a statement of why; one whose period ran out meanwhile is
 * closed as period_ended on its last day, which ends the interruption. g is the case's second
 * hash; *open says whether an interruption is still going on today.
 */
static int
interrupt(struct plan *pl, const struct decision *d, int32_t executed, uint64_t g,
          const struct audit_entry *who, bool *open)
{
	static const char *const why[] = {
	    "Vårdas på sjukhus efter ett fall.",
	    "Utföraren har slutat; en ny utförare söks.",
	    "Personen har bett om uppehåll under sommaren.",
	    "Korttidsvistelse i väntan på bostadsanpassning.",
	};
	*open = false;
	int32_t from = executed + 14 + (int32_t)(g % 120), end;
	if (g % 6 != 0 || from >= pl->today || cal_parse(d->end_date, &end) != 0 || from > end)
		return 0;
	char date[11];
	cal_format(from, date);
	struct interruption in;
	int rc = cases_interrupt(pl->db, pl->tenant, d->id, date, why[(g >> 8) % 4], who, &in);
	int kind = (int)((g >> 12) % 4);
	int32_t resumed = kind < 2    ? cal_add_months(from, 3) + 5 + (int32_t)((g >> 16) % 60)
	                  : kind == 2 ? from + 10 + (int32_t)((g >> 16) % 60)
	                              : -1;
	if (rc == 0 && resumed >= 0 && resumed <= end && resumed <= pl->today) {
		cal_format(resumed, date);
		return cases_resume(pl->db, pl->tenant, in.id, date, who);
	}
	if (rc == 0 && end < pl->today) {
		cal_format(end, date);
		return cases_close(pl->db, pl->tenant, d->id, date, "period_ended", "", who);
	}
	*open = rc == 0;
	if (rc == 0 && cases_execution_deadline(from) < pl->today)
		rc = cases_interruption_delay_reason(pl->db, pl->tenant, in.id,
		                                     "Insatsen kan inte ges förrän personen är "
		                                     "hemma igen; kontakt tas varje vecka.",
		                                     who);
	return rc;
}

/* Makes case i: its fate is a function of i alone, so the demo is the same every time. */
static int
make_case(struct plan *pl, long i)
{
	uint64_t h = mix((uint64_t)i + 1);
	int kind = (int)(h % NKINDS);
	int fate = (int)((h >> 8) % 100);
	int32_t received = pl->today - 3 - (int32_t)((h >> 16) % 720);
	/* Recent cases are the open ones. */
	if (fate >= 70)
		received = pl->today - 1 - (int32_t)((h >> 16) % 60);
	int64_t worker = pl->workers[(h >> 32) % (uint64_t)pl->nworkers];
	struct audit_entry who = {.tenant_id = pl->tenant,
	                          .user_id = worker,
	                          .username = "demo",
	                          .role = "caseworker",
	                          .request_id = "demo"};
	struct case_row cs;
	memset(&cs, 0, sizeof cs);
	cs.tenant_id = pl->tenant;
	cs.person_id =
	    pl->first_person + 3 + (int64_t)((uint64_t)i * 7919 % (uint64_t)(pl->npersons - 3));
	snprintf(cs.kind, sizeof cs.kind, "application");
	snprintf(cs.channel, sizeof cs.channel, fate % 3 ? "online" : "caseworker");
	snprintf(cs.summary, sizeof cs.summary, "Ansökan om %s", kinds[kind].what);
	cal_format(received, cs.received_date);
	struct case_request rq = {.hours = kinds[kind].hours};
	snprintf(rq.service, sizeof rq.service, "%s", kinds[kind].service);
	snprintf(rq.description, sizeof rq.description, "Behöver stöd i vardagen.");
	int rc = cases_create(pl->db, &cs, &rq, 1, &who);
	if (rc || fate >= 96) /* 4 %: waiting for intake */
		return rc;
	rc = cases_assign(pl->db, pl->tenant, cs.id, worker, pl->unit_id, &who);
	if (rc == 0 && fate >= 93) /* 3 %: withdrawn */
		return cases_transition(pl->db, pl->tenant, cs.id, "withdrawn", "Återtagen", &who);
	if (rc == 0)
		rc = cases_transition(pl->db, pl->tenant, cs.id, "investigation", "", &who);
	if (rc || fate >= 85) /* 8 %: under investigation */
		return rc;
	struct decision d;
	memset(&d, 0, sizeof d);
	d.case_id = cs.id;
	d.person_id = cs.person_id;
	snprintf(d.service, sizeof d.service, "%s", kinds[kind].service);
	bool refused = (h >> 40) % 10 == 0;
	snprintf(d.outcome, sizeof d.outcome, refused ? "refused" : "granted");
	d.hours = refused || !kinds[kind].hours ? -1 : kinds[kind].hours;
	d.hours_day = d.hours_evening = d.hours_night = d.hours_weekend = -1;
	int32_t decided = received + 10 + (int32_t)((h >> 44) % 30);
	if (decided > pl->today)
		decided = pl->today;
	cal_format(decided, d.decision_date);
	int32_t from = decided + 7, until = cal_add_months(decided + 7, 12) - 1;
	if (!refused) {
		cal_format(from, d.start_date);
		cal_format(until, d.end_date);
	}
	decided_at_level(pl, &d, refused ? -1 : cases_period_months(from, until), worker);
	snprintf(d.legal_basis, sizeof d.legal_basis, "enligt katalogen");
	snprintf(d.reasoning, sizeof d.reasoning, "%s",
	         refused ? "Behovet tillgodoses på annat sätt." : kinds[kind].reason);
	rc = cases_decide(pl->db, pl->tenant, &d, &who);
	if (rc == 0 && refused && fate < 85)
		rc = cases_transition(pl->db, pl->tenant, cs.id, "closed",
		                      "Avslag; ärendet avslutat", &who);
	if (rc || refused)
		return rc;
	/* Most are executed within a month; every 12th waits four to seven months. */
	int32_t executed = decided + 7 + (int32_t)((h >> 48) % 21);
	if ((h >> 52) % 12 == 0)
		executed = cal_add_months(decided, 4) + (int32_t)((h >> 56) % 90);
	if (executed > pl->today)
		return 0; /* not executed yet */
	char date[11];
	cal_format(executed, date);
	/* A third of the late ones whose period is over ended without execution instead: the
	 * person declined, died or moved (the last notice of them in the quarterly report). */
	int32_t end;
	bool late = (h >> 52) % 12 == 0;
	if (late && cal_parse(d.end_date, &end) == 0 && end < pl->today && (h >> 60) % 3 == 0) {
		static const char *const why[][2] = {
		    {"declined", "Tackade nej till erbjuden insats."},
		    {"deceased", ""},
		    {"moved", "Flyttade till annan kommun."},
		};
		int k = (int)((h >> 62) % 3);
		rc = cases_close(pl->db, pl->tenant, d.id, date, why[k][0], why[k][1], &who);
		if (rc == 0 && fate < 70)
			rc = cases_transition(pl->db, pl->tenant, cs.id, "closed",
			                      "Beslutet avslutat utan verkställighet", &who);
		return rc;
	}
	rc = cases_executed(pl->db, pl->tenant, d.id, date, &who);
	bool open = false;
	if (rc == 0)
		rc = interrupt(pl, &d, executed, mix(h ^ 0x9e3779b97f4a7c15ull), &who, &open);
	if (rc == 0 && fate < 70 && !open)
		rc = cases_transition(pl->db, pl->tenant, cs.id, "closed", "Insatsen avslutad",
		                      &who);
	return rc;
}

static void *
worker(void *arg)
{
	struct plan *pl = arg;
	for (;;) {
		pthread_mutex_lock(&pl->mu);
		long i = pl->failed ? pl->ncases : pl->next++;
		pthread_mutex_unlock(&pl->mu);
		if (i >= pl->ncases)
			return NULL;
		if (make_case(pl, i) != 0) {
			pthread_mutex_lock(&pl->mu);
			pl->failed = 1;
			pthread_mutex_unlock(&pl->mu);
			fprintf(stderr, "hanna demo: cannot make demo case %ld\n", i);
			return NULL;
		}
		if (pl->ncases >= 5000 && i % 5000 == 0)
			fprintf(stderr, "\rcases: %ld/%ld", i, pl->ncases);
	}
}

int
demo_cases(struct db *db, int64_t tenant, int64_t first_person, long npersons, long ncases,
           int64_t unit_id, const int64_t *workers, int nworkers, int64_t manager)
{
	if (ncases <= 0)
		return 0;
	struct delegation_rule *rules = NULL;
	int nrules = 0;
	struct db_conn *c = db_reader(db);
	int rc = cases_delegation(c, tenant, &rules, &nrules);
	db_reader_done(db, c);
	if (rc)
		return -1;
	struct plan pl = {.db = db,
	                  .tenant = tenant,
	                  .first_person = first_person,
	                  .unit_id = unit_id,
	                  .npersons = npersons,
	                  .ncases = ncases,
	                  .workers = workers,
	                  .nworkers = nworkers,
	                  .manager = manager,
	                  .rules = rules,
	                  .nrules = nrules};
	char today[11];
	time_today(today);
	cal_parse(today, &pl.today);
	pthread_mutex_init(&pl.mu, NULL);
	enum { THREADS = 16 };
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, &pl);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_mutex_destroy(&pl.mu);
	cases_rules_free(rules, nrules);
	if (ncases >= 5000)
		fprintf(stderr, "\rcases: %ld/%ld\n", ncases, ncases);
	return pl.failed ? -1 : 0;
}
