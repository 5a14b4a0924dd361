/*
 * Time reporting's pure rules; visits.h gives each contract. Sources: deviations and bomtid,
 * shared/domain/glossary.md; personal assistance, shared/domain/assistansersattning.md
 * sections 5 and 8; working time, arbetstidslag (1982:673): 5 § (ordinary time at most 40 h a
 * week), 7 § (allmän övertid at most 48 h in four weeks or 50 h in a calendar month, and 200
 * h in a calendar year), 13 § (dygnsvila: at least 11 consecutive hours off in every 24-hour
 * period), 14 § (veckovila: at least 36 consecutive hours off in every 7-day period), as
 * summarised by Arbetsmiljöverket and verksamt.se. A collective agreement may set other
 * figures (3 §): they are parameters (struct visits_atl_rules). Beredskap is not working time
 * under the act, so it is left out of the working-time checks.
 */
#include "visits.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "base/xalloc.h"

#define DAY_SECONDS 86400

/* ---- Stockholm time ------------------------------------------------------------------- */

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* The last Sunday of a month of a year, as a day number. */
static int32_t
last_sunday(int year, int month)
{
	int32_t d = cal_days(year, month, 31); /* March and October have 31 days */
	return d - (cal_weekday(d) % 7);
}

int
visits_tz_offset(int64_t t)
{
	int y, m, d;
	cal_civil((int32_t)floor_div(t, DAY_SECONDS), &y, &m, &d);
	/* Summer time from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
	 * Sunday of October. */
	int64_t on = (int64_t)last_sunday(y, 3) * DAY_SECONDS + 3600;
	int64_t off = (int64_t)last_sunday(y, 10) * DAY_SECONDS + 3600;
	return t >= on && t < off ? 7200 : 3600;
}

int32_t
visits_local_day(int64_t t)
{
	return (int32_t)floor_div(t + visits_tz_offset(t), DAY_SECONDS);
}

int
visits_local_minute(int64_t t)
{
	int64_t local = t + visits_tz_offset(t);
	return (int)((local - floor_div(local, DAY_SECONDS) * DAY_SECONDS) / 60);
}

int
visits_local_instant(int32_t day, int minute, int ambiguous_pick, int64_t *out)
{
	if (minute < 0 || minute >= 1440)
		return HERR_INVALID;
	int64_t wall = (int64_t)day * DAY_SECONDS + (int64_t)minute * 60;
	int64_t summer = wall - 7200, winter = wall - 3600;
	bool s_ok = visits_tz_offset(summer) == 7200;
	bool w_ok = visits_tz_offset(winter) == 3600;
	if (!s_ok && !w_ok)
		return HERR_INVALID;
	if (s_ok && w_ok) {
		if (ambiguous_pick == VISITS_AMBIGUOUS_FIRST)
			*out = summer;
		else if (ambiguous_pick == VISITS_AMBIGUOUS_SECOND)
			*out = winter;
		else
			return HERR_CONFLICT;
		return 0;
	}
	*out = s_ok ? summer : winter;
	return 0;
}

int
visits_local_time_message(int32_t day, int minute, char *out, size_t n)
{
	static const char *const months[12] = {
	    "januari", "februari", "mars",      "april",   "maj",      "juni",
	    "juli",    "augusti",  "september", "oktober", "november", "december",
	};
	int64_t t;
	int rc = visits_local_instant(day, minute, VISITS_AMBIGUOUS_REFUSE, &t);
	if (rc == 0 || minute < 0 || minute >= 1440)
		return HERR_INVALID;
	int y, m, d;
	cal_civil(day, &y, &m, &d);
	snprintf(out, n, "tiden %02d:%02d finns %s den %d %s (%s)", minute / 60, minute % 60,
	         rc == HERR_CONFLICT ? "två gånger" : "inte", d, months[m - 1],
	         rc == HERR_CONFLICT ? "sommartiden slutar" : "sommartid");
	return 0;
}

void
visits_local_stamp(int64_t t, char out[17])
{
	cal_format(visits_local_day(t), out);
	unsigned minute = (unsigned)visits_local_minute(t) % 1440;
	out[10] = ' ';
	out[11] = (char)('0' + minute / 600);
	out[12] = (char)('0' + minute / 60 % 10);
	out[13] = ':';
	out[14] = (char)('0' + minute % 60 / 10);
	out[15] = (char)('0' + minute % 10);
	out[16] = '\0';
}

int64_t
visits_day_start(int32_t day)
{
	/* Midnight always exists once in Stockholm: the clocks change at 02:00 and 03:00. */
	int64_t t = 0;
	visits_local_instant(day, 0, VISITS_AMBIGUOUS_FIRST, &t);
	return t;
}

int
visits_month_of_day(int32_t day)
{
	int y, m, d;
	cal_civil(day, &y, &m, &d);
	return y * 12 + (m - 1);
}

int32_t
visits_month_first_day(int month)
{
	return cal_days(month / 12, month % 12 + 1, 1);
}

void
visits_month_format(int month, char out[8])
{
	char day[11];
	cal_format(visits_month_first_day(month), day);
	memcpy(out, day, 7);
	out[7] = '\0';
}

int
visits_month_parse(const char *s, int *month)
{
	if (!s || strlen(s) != 7)
		return HERR_INVALID;
	char day[11];
	memcpy(day, s, 7);
	memcpy(day + 7, "-01", 4);
	int y, m, d;
	if (time_parse_date(day, &y, &m, &d) != 0 || y < 1900)
		return HERR_INVALID;
	*month = y * 12 + (m - 1);
	return 0;
}

static int
days_in_month(int month)
{
	return visits_month_first_day(month + 1) - visits_month_first_day(month);
}

/* ---- Visits ----------------------------------------------------------------------------- */

int
visits_check_times(int kind, int64_t start, int64_t end, int64_t now)
{
	if (end >= 0 && end <= start)
		return VISITS_TIME_END_NOT_AFTER_START;
	if (start > now + VISITS_CLOCK_SKEW_SECONDS || end > now + VISITS_CLOCK_SKEW_SECONDS)
		return VISITS_TIME_IN_FUTURE;
	if (end < 0)
		return VISITS_TIME_OK;
	int max = kind == VISITS_ASSISTANCE ? VISITS_MAX_SHIFT_MINUTES : VISITS_MAX_VISIT_MINUTES;
	if (end - start > (int64_t)max * 60)
		return VISITS_TIME_TOO_LONG;
	/* Ending exactly at midnight still belongs to the day: look at the last second. */
	if (kind != VISITS_ASSISTANCE && visits_local_day(end - 1) != visits_local_day(start))
		return VISITS_TIME_CROSSES_DAY;
	return VISITS_TIME_OK;
}

const char *
visits_time_message(int problem)
{
	switch (problem) {
	case VISITS_TIME_OK:
		return "";
	case VISITS_TIME_END_NOT_AFTER_START:
		return "sluttiden måste vara efter starttiden";
	case VISITS_TIME_TOO_LONG:
		return "besöket är längre än tillåtet";
	case VISITS_TIME_IN_FUTURE:
		return "tiden ligger i framtiden";
	case VISITS_TIME_CROSSES_DAY:
		return "ett besök måste sluta samma dag som det börjar";
	default:
		return "ogiltig tid";
	}
}

static int64_t
span_end(int64_t start, int64_t end)
{
	return end < 0 ? start + 1 : end;
}

int
visits_find_overlap(const struct visits_span *spans, int n, int64_t exclude_id, int64_t start,
                    int64_t end, int allowed)
{
	int64_t e = span_end(start, end);
	/* The most intervals at once within [start, e) is reached at start or at the start of
	 * one of the spans inside it; count the spans covering each such point. */
	for (int i = -1; i < n; i++) {
		int64_t p = start;
		if (i >= 0) {
			if (exclude_id && spans[i].id == exclude_id)
				continue;
			p = spans[i].start;
			if (p < start || p >= e)
				continue;
		}
		int depth = 0, witness = -1;
		for (int j = 0; j < n; j++) {
			if (exclude_id && spans[j].id == exclude_id)
				continue;
			if (spans[j].start <= p && p < span_end(spans[j].start, spans[j].end)) {
				depth++;
				witness = j;
			}
		}
		if (depth + 1 > allowed)
			return witness;
	}
	return -1;
}

/* ---- Deviations --------------------------------------------------------------------------- */

enum count_as {
	AS_PERFORMED = 1, /* counts in full */
	AS_WASTED = 2,    /* bomtid: spent, payable per policy */
	AS_NOTHING = 3    /* nobody performed anything */
};

static const struct deviation_rule {
	const char *code;  /* stored text */
	const char *label; /* Swedish, for pages and reports */
	int as;            /* enum count_as */
} deviations[VISITS_DEV_COUNT] = {
    [VISITS_DEV_NONE] = {"", "Ingen avvikelse", AS_PERFORMED},
    [VISITS_DEV_DECLINED] = {"declined", "Kunden avböjde vid dörren (bomtid)", AS_WASTED},
    [VISITS_DEV_CANCELLED_LATE] = {"cancelled_late", "Sent avbokat (bomtid)", AS_WASTED},
    [VISITS_DEV_CANCELLED] = {"cancelled", "Avbokat i förväg", AS_NOTHING},
    [VISITS_DEV_HOSPITAL] = {"hospital", "Inlagd på sjukhus", AS_NOTHING},
    [VISITS_DEV_ABSENT] = {"absent", "Annan frånvaro (korttidsvistelse, resa)", AS_NOTHING},
    [VISITS_DEV_STAFF_LATE] = {"staff_late", "Personalen var försenad", AS_PERFORMED},
    [VISITS_DEV_SHORTER] = {"shorter", "Kunden önskade kortare besök", AS_PERFORMED},
    [VISITS_DEV_LONGER] = {"longer", "Större behov än planerat", AS_PERFORMED},
    [VISITS_DEV_MISSED] = {"missed", "Missat besök (utföraren)", AS_NOTHING},
};

int
visits_count(int deviation, int minutes, const struct visits_policy *policy,
             struct visits_minutes *out)
{
	if (deviation < 0 || deviation >= VISITS_DEV_COUNT || minutes < 0)
		return HERR_INVALID;
	struct visits_minutes m = {0, 0, 0, 0};
	switch (deviations[deviation].as) {
	case AS_PERFORMED:
		m.performed = m.spent = m.billable = m.payable = minutes;
		break;
	case AS_WASTED:
		m.spent = minutes;
		if (policy && policy->pay_wasted) {
			m.payable = minutes;
			if (m.payable > policy->wasted_max_minutes)
				m.payable =
				    policy->wasted_max_minutes < 0 ? 0 : policy->wasted_max_minutes;
		}
		break;
	default:
		break;
	}
	*out = m;
	return 0;
}

bool
visits_deviation_wasted(int deviation)
{
	return deviation >= 0 && deviation < VISITS_DEV_COUNT &&
	       deviations[deviation].as == AS_WASTED;
}

int
visits_policy_set(struct visits_policy *p, const char *key, const char *value)
{
	if (!key || !value)
		return HERR_INVALID;
	if (strcmp(key, "bomtid_paid") == 0) {
		if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
			return HERR_INVALID;
		p->pay_wasted = value[0] == 't';
		return 0;
	}
	if (strcmp(key, "bomtid_max_minutes") != 0)
		return HERR_INVALID;
	/* Decimal digits only, no sign or spaces, at most three. */
	size_t n = strlen(value);
	if (n < 1 || n > 3)
		return HERR_INVALID;
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (value[i] < '0' || value[i] > '9')
			return HERR_INVALID;
		v = v * 10 + (value[i] - '0');
	}
	if (v > VISITS_WASTED_MAX_MINUTES)
		return HERR_INVALID;
	p->wasted_max_minutes = v;
	return 0;
}

const char *
visits_deviation_code(int deviation)
{
	if (deviation < 0 || deviation >= VISITS_DEV_COUNT)
		return NULL;
	return deviations[deviation].code;
}

const char *
visits_deviation_label(int deviation)
{
	if (deviation < 0 || deviation >= VISITS_DEV_COUNT)
		return NULL;
	return deviations[deviation].label;
}

int
visits_deviation_parse(const char *code)
{
	if (!code || !code[0])
		return VISITS_DEV_NONE;
	for (int i = 1; i < VISITS_DEV_COUNT; i++)
		if (strcmp(deviations[i].code, code) == 0)
			return i;
	return -1;
}

bool
visits_deviation_without_visit(int deviation)
{
	return deviation > 0 && deviation < VISITS_DEV_COUNT &&
	       deviations[deviation].as == AS_NOTHING;
}

bool
visits_deviation_delivers(int deviation)
{
	return deviation >= 0 && deviation < VISITS_DEV_COUNT &&
	       deviations[deviation].as == AS_PERFORMED;
}

/* ---- Granted versus performed ------------------------------------------------------------ */

void
visits_granted_vs_performed(int64_t granted_minutes, const struct visits_month_item *items, int n,
                            struct visits_gap *out)
{
	struct visits_gap g;
	memset(&g, 0, sizeof g);
	g.granted = granted_minutes;
	int64_t explained = 0;
	for (int i = 0; i < n; i++) {
		g.performed += items[i].performed_minutes;
		int dev = items[i].deviation;
		if (dev <= VISITS_DEV_NONE || dev >= VISITS_DEV_COUNT)
			continue;
		int64_t lost = (int64_t)items[i].planned_minutes - items[i].performed_minutes;
		g.by_reason[dev] += lost;
		explained += lost;
	}
	g.difference = g.granted - g.performed;
	g.unexplained = g.difference - explained;
	*out = g;
}

/* ---- Period locks ------------------------------------------------------------------------- */

static bool
is_locked(int month, const int *locked, int nlocked)
{
	for (int i = 0; i < nlocked; i++)
		if (locked[i] == month)
			return true;
	return false;
}

int
visits_booking_month(int month, const int *locked, int nlocked, bool has_reason, int *book)
{
	if (!is_locked(month, locked, nlocked)) {
		*book = month;
		return 0;
	}
	if (!has_reason)
		return HERR_RULE;
	int m = month + 1;
	/* Terminates: there are at most nlocked locked months. */
	while (is_locked(m, locked, nlocked))
		m++;
	*book = m;
	return 0;
}

/* ---- Personal assistance -------------------------------------------------------------------- */

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The assistants active in one segment, ordered by when their shift started (then index). */
struct cover {
	int assistant;
	int64_t since;
};

static int
cmp_cover(const void *a, const void *b)
{
	const struct cover *x = a, *y = b;
	if (x->since != y->since)
		return x->since < y->since ? -1 : 1;
	return x->assistant - y->assistant;
}

int
visits_pa_sheet_build(int month, const struct visits_pa_assistant *assistants, int nassistants,
                      const struct visits_pa_shift *shifts, int nshifts,
                      const struct visits_pa_grant *grant, struct visits_pa_sheet *out)
{
	if (nassistants < 0 || nassistants > VISITS_PA_MAX_ASSISTANTS || nshifts < 0 ||
	    grant->oncall_den <= 0 || grant->oncall_num < 0)
		return HERR_INVALID;
	int32_t first = visits_month_first_day(month);
	int ndays = days_in_month(month);
	/* Counted to the minute: the sheet shows clock times (seconds dropped). */
	int64_t m0 = visits_day_start(first), m1 = visits_day_start(first + ndays);
	for (int i = 0; i < nshifts; i++) {
		const struct visits_pa_shift *s = &shifts[i];
		if (s->assistant < 0 || s->assistant >= nassistants ||
		    s->end / 60 <= s->start / 60 ||
		    (s->kind != VISITS_PA_ACTIVE && s->kind != VISITS_PA_ONCALL))
			return HERR_INVALID;
		/* One assistant cannot work two shifts at once. */
		for (int j = 0; j < i; j++)
			if (shifts[j].assistant == s->assistant &&
			    shifts[j].start / 60 < s->end / 60 &&
			    s->start / 60 < shifts[j].end / 60)
				return HERR_INVALID;
	}

	/* Every boundary: shift edges within the month and every Stockholm midnight. */
	size_t nb = 0, cap = (size_t)nshifts * 2 + (size_t)ndays + 1;
	int64_t *b = xcalloc(cap, sizeof *b);
	for (int d = 0; d <= ndays; d++)
		b[nb++] = visits_day_start(first + d);
	for (int i = 0; i < nshifts; i++) {
		int64_t s = shifts[i].start / 60 * 60, e = shifts[i].end / 60 * 60;
		if (s > m0 && s < m1)
			b[nb++] = s;
		if (e > m0 && e < m1)
			b[nb++] = e;
	}
	qsort(b, nb, sizeof *b, cmp_i64);

	struct visits_pa_sheet sh;
	memset(&sh, 0, sizeof sh);
	sh.month = month;
	sh.ndays = ndays;
	sh.nassistants = nassistants;
	sh.days =
	    xcalloc((size_t)(nassistants > 0 ? nassistants : 1) * (size_t)ndays, sizeof *sh.days);
	struct cover cov[VISITS_PA_MAX_ASSISTANTS];
	int allowed = grant->double_granted ? 2 : 1;
	int64_t unpaid_oncall = 0;

	for (size_t k = 0; k + 1 < nb; k++) {
		int64_t a = b[k], z = b[k + 1];
		if (a == z)
			continue;
		int minutes = (int)((z - a) / 60);
		int day = visits_local_day(a) - first; /* 0-based */
		int nc = 0;
		for (int i = 0; i < nshifts; i++) {
			const struct visits_pa_shift *s = &shifts[i];
			if (s->start / 60 * 60 > a || s->end / 60 * 60 < z)
				continue;
			struct visits_pa_day *pd = &sh.days[s->assistant * ndays + day];
			bool minor = cal_add_months(assistants[s->assistant].birth_day, 18 * 12) >
			             first + day;
			if (s->kind == VISITS_PA_ONCALL) {
				pd->oncall += minutes;
				if (minor) {
					pd->unpaid_oncall += minutes;
					unpaid_oncall += minutes;
				}
				continue;
			}
			pd->active += minutes;
			if (minor)
				pd->unpaid += minutes;
			cov[nc].assistant = s->assistant;
			cov[nc].since = s->start;
			nc++;
		}
		if (nc < 2)
			continue;
		qsort(cov, (size_t)nc, sizeof cov[0], cmp_cover);
		int paid = 0;
		for (int r = 0; r < nc; r++) {
			struct visits_pa_day *pd = &sh.days[cov[r].assistant * ndays + day];
			bool minor = cal_add_months(assistants[cov[r].assistant].birth_day,
			                            18 * 12) > first + day;
			pd->dbl += minutes;
			/* A minor's minutes are unpaid already; of the others, those beyond what
			 * the grant allows at once (the later shifts) are not payable. */
			if (minor)
				continue;
			if (paid >= allowed)
				pd->unpaid += minutes;
			paid++;
		}
	}
	free(b);

	for (int i = 0; i < nassistants * ndays; i++) {
		sh.active += sh.days[i].active;
		sh.oncall += sh.days[i].oncall;
		sh.dbl += sh.days[i].dbl;
		sh.unpaid += sh.days[i].unpaid;
	}
	sh.payable = sh.active - sh.unpaid +
	             (sh.oncall - unpaid_oncall) * grant->oncall_num / grant->oncall_den;
	sh.within_grant = sh.payable < grant->granted_minutes ? sh.payable : grant->granted_minutes;
	sh.over_grant = sh.payable - sh.within_grant;
	*out = sh;
	return 0;
}

void
visits_pa_sheet_release(struct visits_pa_sheet *s)
{
	free(s->days);
	s->days = NULL;
	s->nassistants = 0;
	s->ndays = 0;
}

/* ---- Arbetstidslagen ---------------------------------------------------------------------- */

const struct visits_atl_rules visits_atl_law = {
    .daily_rest_minutes = 11 * 60,
    .weekly_rest_minutes = 36 * 60,
    .ordinary_week_minutes = 40 * 60,
    .overtime_4w_minutes = 48 * 60,
    .overtime_year_minutes = 200 * 60,
};

static int
cmp_span(const void *a, const void *b)
{
	const struct visits_span *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

/*
 * The longest rest (gap between merged, sorted work intervals; before the first and after the
 * last the rest is unbounded) that begins within [w0, w1) when begins is set, or that overlaps
 * [w0, w1) at all otherwise. Rest is measured whole, also past the window's ends.
 */
static int64_t
longest_rest(const struct visits_span *w, int n, int64_t w0, int64_t w1, bool begins)
{
	int64_t best = 0;
	for (int i = 0; i <= n; i++) {
		int64_t a = i == 0 ? INT64_MIN : w[i - 1].end;
		int64_t z = i == n ? INT64_MAX : w[i].start;
		bool in = begins ? (a >= w0 && a < w1) : (a < w1 && z > w0);
		if (!in)
			continue;
		if (i == 0 || i == n)
			return INT64_MAX;
		if (z - a > best)
			best = z - a;
	}
	return best;
}

/* Seconds worked within [w0, w1). */
static int64_t
worked(const struct visits_span *w, int n, int64_t w0, int64_t w1)
{
	int64_t sum = 0;
	for (int i = 0; i < n && w[i].start < w1; i++) {
		int64_t a = w[i].start > w0 ? w[i].start : w0;
		int64_t z = w[i].end < w1 ? w[i].end : w1;
		if (z > a)
			sum += z - a;
	}
	return sum;
}

static void
warn(struct visits_atl_item *out, int max, int *found, int code, int32_t day, int64_t minutes)
{
	if (*found < max) {
		out[*found].code = code;
		out[*found].day = day;
		out[*found].minutes = minutes;
	}
	(*found)++;
}

int
visits_atl_check(const struct visits_span *work, int n, int32_t first, int32_t last,
                 int64_t overtime_before, const struct visits_atl_rules *rules,
                 struct visits_atl_item *out, int max)
{
	for (int i = 0; i < n; i++)
		if (work[i].end <= work[i].start)
			return HERR_INVALID;
	/* Sorted and merged, so that rest is the gaps between intervals. */
	struct visits_span *w = xcalloc((size_t)(n > 0 ? n : 1), sizeof *w);
	memcpy(w, work, (size_t)n * sizeof *w);
	qsort(w, (size_t)n, sizeof *w, cmp_span);
	int m = 0;
	for (int i = 0; i < n; i++) {
		if (m > 0 && w[i].start <= w[m - 1].end) {
			if (w[i].end > w[m - 1].end)
				w[m - 1].end = w[i].end;
		} else {
			w[m++] = w[i];
		}
	}

	int found = 0;
	/*
	 * Daily rest: the 24-hour period is counted from the start of each work period (no
	 * fixed dygnsbrytning is configured), and a rest of 11 h must begin within it. This
	 * passes an ordinary 08-17 day (rest 17-08 begins within the period) and flags a
	 * 24-hour shift or a split day with short rests between.
	 */
	for (int i = 0; i < m; i++) {
		int32_t d = visits_local_day(w[i].start);
		if (d < first || d > last)
			continue;
		int64_t rest = longest_rest(w, m, w[i].start, w[i].start + DAY_SECONDS, true);
		if (rest < (int64_t)rules->daily_rest_minutes * 60)
			warn(out, max, &found, VISITS_ATL_DAILY_REST, d, rest / 60);
	}

	/* The ISO weeks overlapping first..last: weekly rest, then overtime. */
	int32_t monday = first - (cal_weekday(first) - 1);
	int nweeks = (last - monday) / 7 + 1;
	int64_t *over = xcalloc((size_t)nweeks, sizeof *over);
	int64_t year_total = overtime_before;
	bool year_warned = false;
	for (int k = 0; k < nweeks; k++) {
		int32_t wd = monday + 7 * k;
		int64_t w0 = visits_day_start(wd), w1 = visits_day_start(wd + 7);
		/* Weekly rest: a rest of 36 h overlapping the ISO week (measured whole). */
		int64_t rest = longest_rest(w, m, w0, w1, false);
		if (rest < (int64_t)rules->weekly_rest_minutes * 60)
			warn(out, max, &found, VISITS_ATL_WEEKLY_REST, wd, rest / 60);
		int64_t minutes = worked(w, m, w0, w1) / 60;
		if (minutes > rules->ordinary_week_minutes) {
			over[k] = minutes - rules->ordinary_week_minutes;
			warn(out, max, &found, VISITS_ATL_OVERTIME, wd, over[k]);
		}
		year_total += over[k];
		if (!year_warned && year_total > rules->overtime_year_minutes) {
			warn(out, max, &found, VISITS_ATL_OVERTIME_YEAR, wd, year_total);
			year_warned = true;
		}
		if (k >= 3) {
			int64_t four = over[k - 3] + over[k - 2] + over[k - 1] + over[k];
			if (four > rules->overtime_4w_minutes)
				warn(out, max, &found, VISITS_ATL_OVERTIME_4W, monday + 7 * (k - 3),
				     four);
		}
	}
	free(over);
	free(w);
	return found;
}

const char *
visits_atl_message(int code)
{
	switch (code) {
	case VISITS_ATL_DAILY_REST:
		return "dygnsvilan är kortare än 11 timmar (arbetstidslagen 13 §)";
	case VISITS_ATL_WEEKLY_REST:
		return "veckovilan är kortare än 36 timmar (arbetstidslagen 14 §)";
	case VISITS_ATL_OVERTIME:
		return "arbetstiden överstiger den ordinarie veckoarbetstiden: övertid";
	case VISITS_ATL_OVERTIME_4W:
		return "övertiden överstiger 48 timmar på fyra veckor (arbetstidslagen 7 §)";
	case VISITS_ATL_OVERTIME_YEAR:
		return "övertiden överstiger 200 timmar under kalenderåret (arbetstidslagen 7 §)";
	default:
		return "okänd varning";
	}
}
