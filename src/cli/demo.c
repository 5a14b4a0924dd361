/*
 * hanna demo: the synthetic municipality 'demo' (shared/API.md): units, two providers, the ten
 * demo users and N synthetic persons with valid numbers, made-up names and addresses, some with
 * protected identity and some with a god man.
 *
 * The numbers are synthetic: every birth number lies in 980-999, the series Skatteverket's
 * published test numbers are drawn from, so that no generated number is meant to be a real
 * person's (docs/architecture.md, Demo data). Generation is deterministic: the same N gives
 * the same persons.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "base/err.h"
#include "base/pnr.h"
#include "base/rand.h"
#include "base/strbuf.h"
#include "base/timeutil.h"
#include "cases/cases.h"
#include "cli.h"
#include "demo.h"
#include "db/db.h"
#include "people/people.h"
#include "providers/providers.h"
#include "visits/assistance.h"
#include "visits/visits.h"

static const char *const female[] = {
    "Anna",      "Eva",    "Maria",  "Karin",  "Sara",  "Kristina", "Lena",    "Emma",
    "Kerstin",   "Ingrid", "Marie",  "Malin",  "Jenny", "Birgitta", "Inger",   "Sofia",
    "Linnéa",    "Elsa",   "Astrid", "Maja",   "Ebba",  "Signe",    "Gunilla", "Margareta",
    "Elisabeth", "Ulla",   "Britt",  "Agneta", "Märta", "Åsa",      "Ylva",    "Solveig",
    "Gunnel",    "Siv",    "Barbro", "Hanna",  "Alva",  "Wilma",    "Saga",    "Ines",
    "Leila",     "Amira",  "Nour",   "Fatima", "Aino",  "Tuula",    "Dragana", "Jelena",
};
static const char *const male[] = {
    "Lars",    "Mikael", "Anders", "Johan",   "Erik",   "Per",   "Karl",  "Peter",
    "Jan",     "Thomas", "Daniel", "Fredrik", "Hans",   "Bengt", "Bo",    "Gustav",
    "Nils",    "Olof",   "Sven",   "Åke",     "Göran",  "Björn", "Stig",  "Rune",
    "Lennart", "Gunnar", "Kjell",  "Ingvar",  "Arne",   "Leif",  "Oskar", "Elias",
    "Hugo",    "Liam",   "Noah",   "William", "Axel",   "Ali",   "Omar",  "Ahmed",
    "Matti",   "Juha",   "Milan",  "Dragan",  "Tomasz", "Rolf",  "Sören", "Jörgen",
};
static const char *const family[] = {
    "Andersson", "Johansson", "Karlsson",   "Nilsson",    "Eriksson",    "Larsson",    "Olsson",
    "Persson",   "Svensson",  "Gustafsson", "Pettersson", "Jonsson",     "Jansson",    "Hansson",
    "Bengtsson", "Jönsson",   "Lindberg",   "Jakobsson",  "Magnusson",   "Olofsson",   "Lindström",
    "Lindqvist", "Lindgren",  "Berg",       "Axelsson",   "Bergström",   "Lundberg",   "Lind",
    "Lundgren",  "Lundqvist", "Mattsson",   "Berglund",   "Fredriksson", "Sandberg",   "Henriksson",
    "Forsberg",  "Sjöberg",   "Wallin",     "Engström",   "Eklund",      "Danielsson", "Håkansson",
    "Lundin",    "Björk",     "Bergman",    "Gunnarsson", "Holm",        "Wikström",   "Samuelsson",
    "Isaksson",  "Fransson",  "Bergqvist",  "Nyström",    "Holmberg",    "Arvidsson",  "Löfgren",
    "Söderberg", "Nyberg",    "Blomqvist",  "Claesson",   "Nordström",   "Ali",        "Mohammed",
    "Hassan",    "Virtanen",  "Korhonen",   "Nowak",      "Jovanović",   "Petrović",   "Öberg",
    "Åberg",     "Ekström",   "Strand",     "Hedlund",
};
static const char *const streets[] = {
    "Storgatan",      "Kyrkogatan",      "Skolgatan",     "Drottninggatan",  "Kungsgatan",
    "Järnvägsgatan",  "Ängsvägen",       "Björkvägen",    "Granvägen",       "Tallvägen",
    "Lärkvägen",      "Rönnvägen",       "Parkvägen",     "Skogsvägen",      "Industrigatan",
    "Trädgårdsgatan", "Östra Långgatan", "Västra Vägen",  "Solvägen",        "Sjövägen",
    "Hagvägen",       "Mejerivägen",     "Smedjegatan",   "Prästgårdsvägen", "Backvägen",
    "Åkervägen",      "Lingonstigen",    "Blåbärsstigen",
};
static const struct {
	const char *city;
	int postal; /* first three digits; the last two vary */
} places[] = {
    {"Hannaby", 731},   {"Hannaby", 732},    {"Norrå", 733},   {"Sörbacka", 734},
    {"Västerlid", 735}, {"Österviken", 736}, {"Ekudden", 737}, {"Lillmora", 738},
};
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A small deterministic generator (xorshift64*), so the same N gives the same persons. */
static uint64_t
next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

/* snprintf into a field; text that does not fit is cut (the demo's values always fit). */
static void __attribute__((format(printf, 3, 4))) put(char *dst, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dst, n, fmt, ap);
	va_end(ap);
}

static int
pick(uint64_t *s, int n)
{
	return (int)(next(s) % (uint64_t)n);
}

/* Days from 1925-01-01 for a date; the inverse below. Pure calendar arithmetic. */
static void
date_of(int index, int *y, int *m, int *d)
{
	int year = 1925, month = 1;
	while (index >= (time_is_leap(year) ? 366 : 365)) {
		index -= time_is_leap(year) ? 366 : 365;
		year++;
	}
	while (index >= time_days_in_month(year, month)) {
		index -= time_days_in_month(year, month);
		month++;
	}
	*y = year;
	*m = month;
	*d = index + 1;
}

/*
 * Person i of the demo: the i-th (date, birth number) pair in a fixed spread over 1925-2019,
 * birth numbers 980-999, check digit by Luhn.
 */
static void
make_person(int i, uint64_t *rng, struct person *p)
{
	const int ndays = 34698; /* 1925-01-01 .. 2019-12-31 */
	int day = (int)(((int64_t)i * 7919) % ndays);
	int slot = (i / ndays) % 20;
	int y, m, d;
	date_of(day, &y, &m, &d);
	int birth = 980 + slot;
	char ten[48], twelve[48];
	snprintf(ten, sizeof ten, "%02d%02d%02d%03d", y % 100, m, d, birth);
	int check = luhn_check_digit(ten, 9);
	memset(p, 0, sizeof *p);
	snprintf(twelve, sizeof twelve, "%04d%02d%02d%03d%d", y, m, d, birth, check);
	memcpy(p->pnr, twelve, 12);
	p->pnr[12] = '\0';
	snprintf(p->pnr_kind, sizeof p->pnr_kind, "personnummer");
	bool is_female = (birth % 2) == 0;
	snprintf(p->given_name, sizeof p->given_name, "%s",
	         is_female ? female[pick(rng, N(female))] : male[pick(rng, N(male))]);
	snprintf(p->family_name, sizeof p->family_name, "%s", family[pick(rng, N(family))]);
	int pl = pick(rng, N(places));
	put(p->street, sizeof p->street, "%s %d", streets[pick(rng, N(streets))],
	    1 + pick(rng, 60));
	put(p->postal_code, sizeof p->postal_code, "%03d %02d", places[pl].postal,
	    10 + pick(rng, 80));
	snprintf(p->city, sizeof p->city, "%s", places[pl].city);
	put(p->phone, sizeof p->phone, "070-%03d %02d %02d", pick(rng, 1000), pick(rng, 100),
	    pick(rng, 100));
	p->protected_identity = pick(rng, 100) == 0;
}

static const struct {
	const char *username, *name, *roles, *unit;
	bool provider;
} demo_users[] = {
    {"admin", "Alma Systemsson", "admin", NULL, false},
    {"handlaggare", "Helena Handläggare", "caseworker", "Myndighetsenheten äldreomsorg", false},
    {"avgift", "Agnes Avgiftsson", "fee_admin", "Avgiftsenheten", false},
    {"chef", "Carl Chefsson", "unit_manager", "Myndighetsenheten äldreomsorg", false},
    {"ekonom", "Edvin Ekonomsson", "finance", "Ekonomienheten", false},
    {"revisor", "Rut Revisorsson", "auditor", NULL, false},
    {"utforare", "Ulf Utförarsson", "provider_admin", NULL, true},
    {"personal", "Petra Personalsson", "provider_staff", NULL, true},
    {"assistent", "Adam Assistentsson", "provider_staff", NULL, true},
    {"medborgare", NULL, "citizen", NULL, false},
    {"godman", NULL, "representative", NULL, false},
};

int
cli_demo(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"persons", required_argument, NULL, 'n'},
	    {"cases", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	const char *db_opt = NULL;
	long npersons = 2000, ncases = 0;
	int c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db_opt = optarg;
			break;
		case 'n': {
			char *end;
			npersons = strtol(optarg, &end, 10);
			if (*end || npersons < 10 || npersons > 600000) {
				fprintf(stderr, "hanna demo: --persons must be 10-600000\n");
				return EXIT_USAGE;
			}
			break;
		}
		case 'c': {
			char *end;
			ncases = strtol(optarg, &end, 10);
			if (*end || ncases < 0 || ncases > 1000000) {
				fprintf(stderr, "hanna demo: --cases must be 0-1000000\n");
				return EXIT_USAGE;
			}
			break;
		}
		case 'h':
			cli_usage("demo", stdout);
			return EXIT_OK;
		default:
			cli_usage("demo", stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "hanna demo: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	const char *pw_env = getenv("HANNA_DEMO_PASSWORD");
	if (pw_env && strlen(pw_env) < 10) {
		fprintf(stderr, "hanna demo: HANNA_DEMO_PASSWORD must be at least 10 characters\n");
		return EXIT_USAGE;
	}
	struct db *db = cli_open(cli_db_url(db_opt), 1, 1);
	if (!db)
		return EXIT_FAIL;
	int rc = EXIT_FAIL;
	int64_t tenant, id, provider, provider2, caseworker = 0, caseworker_unit = 0, manager = 0;
	int64_t staff[2] = {0, 0};
	if (auth_tenant_id(db, "demo", &tenant) == 0) {
		printf("the demo municipality exists already; nothing changed\n");
		rc = EXIT_OK;
		goto out;
	}
	if (auth_tenant_add(db, "demo", "Hannaby kommun (demo)", &tenant) != 0)
		goto fail;
	const char *units[] = {"Myndighetsenheten äldreomsorg", "Myndighetsenheten LSS",
	                       "Avgiftsenheten", "Ekonomienheten", "Hemtjänst Norr (kommunal)"};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (auth_unit_add(db, tenant, units[i], &id) != 0)
			goto fail;
	if (cases_seed_demo(db, tenant) != 0)
		goto fail;
	if (auth_provider_add(db, tenant, "Omsorg i Hannaby AB", &provider) != 0 ||
	    auth_provider_add(db, tenant, "Hemtjänst Norr (kommunal)", &provider2) != 0)
		goto fail;

	/* Persons, in chunks of one transaction each. */
	uint64_t rng = 0x48616e6e61ull; /* "Hanna" */
	enum { CHUNK = 5000 };
	struct person *chunk = calloc(CHUNK, sizeof *chunk);
	int64_t first_id = 0;
	for (long done = 0; done < npersons;) {
		int n = (int)(npersons - done < CHUNK ? npersons - done : CHUNK);
		for (int i = 0; i < n; i++) {
			make_person((int)(done + i), &rng, &chunk[i]);
			chunk[i].tenant_id = tenant;
		}
		if (done == 0) {
			/* The citizen and the god man are ordinary adults without protection. */
			chunk[0].protected_identity = false;
			chunk[1].protected_identity = false;
			chunk[2].protected_identity = false;
		}
		if (people_bulk_insert(db, chunk, n) != 0) {
			free(chunk);
			goto fail;
		}
		if (done == 0)
			first_id = chunk[0].id;
		done += n;
		if (npersons >= 20000)
			fprintf(stderr, "\rpersons: %ld/%ld", done, npersons);
	}
	if (npersons >= 20000)
		fprintf(stderr, "\n");
	free(chunk);

	/* Legal representatives: a god man for every 30th person, a förvaltare for every 97th;
	 * the demo 'godman' user (person 2) is god man for person 3. */
	struct audit_entry sys = {
	    .tenant_id = tenant, .username = "system", .role = "system", .request_id = "demo"};
	int64_t citizen_person = first_id, godman_person = first_id + 1, ward = first_id + 2;
	struct representative rep = {.rep_person_id = godman_person};
	snprintf(rep.kind, sizeof rep.kind, "god_man");
	snprintf(rep.scope, sizeof rep.scope, "bevaka rätt, förvalta egendom, sörja för person");
	snprintf(rep.valid_from, sizeof rep.valid_from, "2024-01-01");
	struct db_conn *rc_conn = db_reader(db);
	struct person gp;
	int grc = people_get(rc_conn, tenant, godman_person, &gp);
	db_reader_done(db, rc_conn);
	if (grc)
		goto fail;
	struct strbuf nm;
	sb_init(&nm, sizeof rep.rep_name - 1);
	sb_addf(&nm, "%s %s", gp.given_name, gp.family_name);
	memcpy(rep.rep_name, nm.buf, nm.len + 1);
	sb_release(&nm);
	if (people_representative_add(db, tenant, ward, &rep, &sys) != 0)
		goto fail;
	for (long i = 30; i < npersons; i += 30) {
		struct representative r = {0};
		bool forv = (i % 97) == 0;
		snprintf(r.kind, sizeof r.kind, forv ? "forvaltare" : "god_man");
		snprintf(r.rep_name, sizeof r.rep_name, "%s %s", female[i % N(female)],
		         family[(i / 7) % N(family)]);
		snprintf(r.scope, sizeof r.scope, "%s",
		         forv ? "förvalta egendom" : "bevaka rätt, förvalta egendom");
		char from[48];
		snprintf(from, sizeof from, "20%02ld-%02ld-01", 15 + i % 10, 1 + i % 12);
		memcpy(r.valid_from, from, 10);
		r.valid_from[10] = '\0';
		if (people_representative_add(db, tenant, first_id + i, &r, &sys) != 0)
			goto fail;
	}

	/* The demo users. */
	printf("Demo municipality 'demo' (Hannaby kommun) with %ld synthetic persons.\n\n",
	       npersons);
	printf("%-12s %-16s %s\n", "username", "role", "password");
	for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
		struct user_new u = {.tenant_id = tenant,
		                     .username = demo_users[i].username,
		                     .display_name = demo_users[i].name};
		char pw[64];
		if (pw_env)
			snprintf(pw, sizeof pw, "%s", pw_env);
		else
			rand_hex(pw, 8);
		u.password = pw;
		if (auth_roles_parse(demo_users[i].roles, &u.roles) != 0)
			goto fail;
		if (demo_users[i].unit && auth_unit_id(db, tenant, demo_users[i].unit, &u.unit_id))
			goto fail;
		if (demo_users[i].provider)
			u.provider_id = provider;
		char name[220];
		if (u.roles & ROLE_CITIZEN) {
			u.person_id = citizen_person;
		} else if (u.roles & ROLE_REPRESENTATIVE) {
			u.person_id = godman_person;
			u.display_name = rep.rep_name;
		}
		if (u.person_id && !u.display_name) {
			struct db_conn *pc = db_reader(db);
			struct person pp;
			people_get(pc, tenant, u.person_id, &pp);
			db_reader_done(db, pc);
			snprintf(name, sizeof name, "%s %s", pp.given_name, pp.family_name);
			u.display_name = name;
		}
		const char *msg = "";
		if (auth_user_add(db, &u, &id, &msg) != 0) {
			fprintf(stderr, "hanna demo: cannot add user '%s': %s\n", u.username, msg);
			goto fail;
		}
		printf("%-12s %-16s %s\n", u.username, demo_users[i].roles,
		       pw_env ? "(HANNA_DEMO_PASSWORD)" : pw);
		if (strcmp(u.username, "personal") == 0)
			staff[0] = id;
		else if (strcmp(u.username, "assistent") == 0)
			staff[1] = id;
		if (u.roles & ROLE_CASEWORKER) {
			caseworker = id;
			caseworker_unit = u.unit_id;
		}
		if (u.roles & ROLE_UNIT_MANAGER)
			manager = id;
	}
	if (ncases > 0) {
		/* Colleagues share the cases: one per thousand cases, at most 49. Their passwords
		 * are random and never shown: they exist to own cases. */
		int ncolleagues = (int)(ncases / 1000 < 49 ? ncases / 1000 : 49);
		int64_t workers[50] = {caseworker};
		for (int i = 0; i < ncolleagues; i++) {
			char uname[32], pw[33], name[64];
			snprintf(uname, sizeof uname, "handlaggare%d", i + 2);
			snprintf(name, sizeof name, "Kollega %d (demo)", i + 2);
			rand_hex(pw, 16);
			struct user_new u = {.tenant_id = tenant,
			                     .username = uname,
			                     .display_name = name,
			                     .password = pw,
			                     .roles = ROLE_CASEWORKER,
			                     .unit_id = caseworker_unit};
			const char *msg = "";
			if (auth_user_add(db, &u, &workers[i + 1], &msg) != 0)
				goto fail;
		}
		if (demo_cases(db, tenant, first_id, npersons, ncases, caseworker_unit, workers,
		               ncolleagues + 1, manager) != 0)
			goto fail;
		printf("\n%ld demo cases, shared by handlaggare and %d colleagues.\n", ncases,
		       ncolleagues);
	}
	if (providers_seed_demo(db, tenant, provider, provider2) != 0)
		goto fail;
	/* Personal assistance for the citizen and the god man's ward (src/visits). */
	if (visits_pa_seed_demo(db, tenant, provider, caseworker, caseworker_unit, citizen_person,
	                        ward, staff[0], staff[1]) != 0)
		goto fail;
	/* The demo municipality's compensation rule for bomtid, written out (the defaults). */
	struct visits_policy bomtid = VISITS_POLICY_DEFAULT;
	struct audit_entry system = {
	    .tenant_id = tenant, .username = "system", .role = "system", .request_id = "demo"};
	if (visits_policy_store(db, tenant, &bomtid, &system, time_now()) != 0)
		goto fail;
	if (db_analyze(db) != 0)
		goto fail;
	printf("\nmedborgare is person %lld; godman is god man for person %lld.\n",
	       (long long)citizen_person, (long long)ward);
	rc = EXIT_OK;
	goto out;
fail:
	fprintf(stderr, "hanna demo: seeding failed\n");
out:
	db_close(db);
	return rc;
}
