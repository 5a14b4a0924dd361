/*
 * Unit tests for src/cases/letter.c: decision letters as PDF. Each letter is rendered, written
 * to a temporary file and read back with pdftotext and pdfinfo (poppler-utils), and the text is
 * searched for what the law asks a letter to say (legal-duties.md section 7): the decision, the
 * reasons and, when it goes against the person, how to appeal, to which court and within three
 * weeks. Whitespace in the extracted text is collapsed to single spaces, so a phrase may wrap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/err.h"
#include "base/strbuf.h"
#include "cases/letter.h"

/* A refusal of home care in the shape the case module fills it in. */
static const char *const applied_one[] = {"Hemtjänst"};

static struct letter
refusal(void)
{
	struct letter l = {
	    .municipality = "Hannaby kommun (demo)",
	    .board = "Socialnämnden",
	    .unit = "Biståndsenheten",
	    .case_number = "2026-000123",
	    .letter_date = "2026-03-02",
	    .person_name = "Greta Lindqvist",
	    .pnr = "194203129876",
	    .street = "Storgatan 5 B",
	    .postal_code = "123 45",
	    .city = "Hannaby",
	    .service_name = "Hemtjänst",
	    .law_ref = "4 kap. 1 § socialtjänstlagen (2025:400)",
	    .outcome = "refused",
	    .applied = applied_one,
	    .napplied = 1,
	    .scope = "",
	    .start_date = "",
	    .end_date = "",
	    .goals = "",
	    .reasoning = "Du har berättat att du klarar din personliga omvårdnad själv och att din "
	                 "dotter hjälper dig med städning varannan vecka. Ditt behov av städning "
	                 "tillgodoses därmed på annat sätt.",
	    .followup_date = "",
	    .decided_by = "Anna Andersson",
	    .decided_title = "Biståndshandläggare",
	    .delegation_point = "3.1.1",
	    .court = "Förvaltningsrätten i Hannaby",
	    .contact = "Socialförvaltningen, Box 100, 123 80 Hannaby, telefon 0123-456 00",
	};
	return l;
}

static struct letter
grant(void)
{
	struct letter l = refusal();
	l.outcome = "granted";
	l.napplied = 0;
	l.scope = "40 timmar per månad (dag 30, kväll 10)";
	l.start_date = "2026-03-09";
	l.end_date = "";
	l.goals = "Att du kan bo kvar hemma med trygghet.";
	l.reasoning = "Du behöver hjälp med personlig omvårdnad morgon och kväll.";
	l.followup_date = "2026-09-09";
	return l;
}

/* Runs a shell command and returns its standard output. Caller frees with free(). */
static char *
capture(const char *cmd)
{
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	struct strbuf sb;
	sb_init(&sb, 0);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sb_add(&sb, chunk, n);
	/* Fails here when poppler-utils are missing. */
	assert_int_equal(pclose(f), 0);
	assert_int_equal(sb.err, 0);
	return sb_detach(&sb, NULL);
}

/*
 * Whitespace runs (spaces, no-break spaces, newlines, form feeds) become one space. Changes s
 * in place.
 */
static void
collapse(char *s)
{
	char *w = s;
	int space = 0;
	for (const char *r = s; *r; r++) {
		if (strncmp(r, "\u00a0", 2) == 0) {
			space = 1;
			r++;
			continue;
		}
		if (strchr(" \t\r\n\f\v", *r)) {
			space = 1;
			continue;
		}
		if (space && w != s)
			*w++ = ' ';
		space = 0;
		*w++ = *r;
	}
	*w = '\0';
}

struct rendered {
	char *text; /* pdftotext output, whitespace collapsed */
	char *info; /* pdfinfo output, whitespace collapsed */
	int pages;  /* form feeds in the pdftotext output: one per page */
};

/* Renders a letter, checks it is a PDF, and extracts its text and info. */
static struct rendered
render(const struct letter *l)
{
	struct strbuf pdf;
	sb_init(&pdf, 0);
	assert_int_equal(letter_pdf(l, &pdf), 0);
	assert_int_equal(pdf.err, 0);
	assert_true(pdf.len > 1000);
	assert_memory_equal(pdf.buf, "%PDF-", 5);

	char path[] = "/tmp/hanna-letter-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pdf.buf, pdf.len), (ssize_t)pdf.len);
	assert_int_equal(close(fd), 0);
	sb_release(&pdf);

	struct rendered r = {0};
	struct strbuf cmd;
	sb_init(&cmd, 0);
	sb_addf(&cmd, "pdftotext '%s' - 2>&1", path);
	r.text = capture(cmd.buf);
	for (const char *c = r.text; *c; c++)
		r.pages += *c == '\f';
	collapse(r.text);
	sb_reset(&cmd);
	sb_addf(&cmd, "pdfinfo '%s' 2>&1", path);
	r.info = capture(cmd.buf);
	collapse(r.info);
	sb_release(&cmd);
	unlink(path);
	return r;
}

static void
rendered_free(struct rendered *r)
{
	free(r->text);
	free(r->info);
}

#define assert_has(hay, needle)                                                                    \
	do {                                                                                       \
		if (!strstr((hay), (needle)))                                                      \
			fail_msg("missing \"%s\" in: %s", (needle), (hay));                        \
	} while (0)
#define assert_lacks(hay, needle)                                                                  \
	do {                                                                                       \
		if (strstr((hay), (needle)))                                                       \
			fail_msg("unexpected \"%s\" in: %s", (needle), (hay));                     \
	} while (0)

static void
refusal_has_appeal_instructions(void **state)
{
	(void)state;
	struct letter l = refusal();
	struct rendered r = render(&l);
	assert_int_equal(r.pages, 1);
	assert_has(r.text, "Hannaby kommun (demo)");
	assert_has(r.text, "BESLUT");
	assert_has(r.text, "Diarienummer: 2026-000123");
	assert_has(r.text, "Datum: 2026-03-02");
	assert_has(r.text, "Greta Lindqvist");
	assert_has(r.text, "19420312-9876");
	assert_has(r.text, "Storgatan 5 B");
	assert_has(r.text, "123 45 Hannaby");
	assert_has(r.text, "Beslut om hemtjänst");
	assert_has(r.text, "Du har ansökt om hemtjänst. Din ansökan om hemtjänst");
	assert_has(
	    r.text,
	    "Din ansökan om hemtjänst enligt 4 kap. 1 § socialtjänstlagen (2025:400) avslås.");
	assert_has(r.text, "Skäl för beslutet");
	assert_has(r.text, "tillgodoses därmed på annat sätt.");
	assert_has(r.text, "Beslutet har fattats av Anna Andersson, biståndshandläggare, med stöd "
	                   "av punkt 3.1.1 i nämndens delegationsordning.");
	/* A refusal has no period, scope or follow-up. */
	assert_lacks(r.text, "Period");
	assert_lacks(r.text, "beviljas");

	/* The besvärshänvisning (FL 33 §). */
	assert_has(r.text, "Hur man överklagar");
	assert_has(r.text, "överklaga det till Förvaltningsrätten i Hannaby.");
	assert_has(r.text, "Överklagandet ska vara skriftligt.");
	assert_has(r.text, "vilken ändring du vill ha");
	assert_has(r.text, "Skicka överklagandet till socialnämnden i Hannaby kommun (demo), inte "
	                   "till Förvaltningsrätten i Hannaby.");
	assert_has(r.text, "Box 100, 123 80 Hannaby");
	assert_has(r.text, "inom tre veckor från den dag då du fick del av beslutet");
	assert_has(r.text, "Annars kan överklagandet inte prövas.");
	assert_has(r.text, "skickas överklagandet vidare till Förvaltningsrätten i Hannaby.");
	assert_has(r.text, "Om du behöver hjälp med att överklaga kan du kontakta biståndsenheten");
	assert_has(r.text, "Sida 1 av 1");

	assert_has(r.info, "Title: Beslut 2026-000123");
	assert_has(r.info, "Pages: 1");
	assert_has(r.info, "Page size: 595.28 x 841.89 pts (A4)");
	rendered_free(&r);
}

static void
grant_has_no_appeal(void **state)
{
	(void)state;
	struct letter l = grant();
	struct rendered r = render(&l);
	assert_lacks(r.text, "Hur man överklagar");
	assert_lacks(r.text, "tre veckor");
	assert_lacks(r.text, "avslås");
	assert_has(r.text, "Du beviljas hemtjänst enligt 4 kap. 1 § socialtjänstlagen (2025:400).");
	assert_has(r.text, "Omfattning 40 timmar per månad (dag 30, kväll 10)");
	assert_has(r.text, "Period Från och med 2026-03-09 tills vidare.");
	assert_has(r.text, "Mål Att du kan bo kvar hemma med trygghet.");
	assert_has(r.text, "Lagrum 4 kap. 1 § socialtjänstlagen (2025:400)");
	assert_has(r.text, "Uppföljning Beslutet följs upp senast 2026-09-09.");
	assert_has(r.text, "Om du har frågor om beslutet, kontakta biståndsenheten: "
	                   "Socialförvaltningen, Box 100");
	rendered_free(&r);

	/* An end date replaces "tills vidare". */
	l.end_date = "2026-12-31";
	r = render(&l);
	assert_has(r.text, "Från och med 2026-03-09 till och med 2026-12-31.");
	assert_lacks(r.text, "tills vidare");
	rendered_free(&r);
}

static void
partial_grant_has_appeal(void **state)
{
	(void)state;
	struct letter l = grant();
	l.outcome = "partly_granted";
	static const char *const two[] = {"Hemtjänst", "Trygghetslarm", "Matdistribution"};
	l.applied = two;
	l.napplied = 3;
	l.delegation_point = "";
	struct rendered r = render(&l);
	/* review 2026-11: finding 13, the insatser applied for by their names, never free text. */
	assert_has(r.text, "Du har ansökt om hemtjänst, trygghetslarm och matdistribution. Du "
	                   "beviljas delvis hemtjänst");
	assert_has(r.text, "Det du i övrigt har ansökt om avslås.");
	assert_has(r.text, "Hur man överklagar");
	assert_has(r.text, "tre veckor");
	/* Without a delegation point the board itself decided. */
	assert_has(r.text, "Beslutet har fattats av Anna Andersson, biståndshandläggare, av "
	                   "Socialnämnden.");
	rendered_free(&r);
}

static void
long_reasoning_flows_onto_more_pages(void **state)
{
	(void)state;
	struct strbuf reasons;
	sb_init(&reasons, 0);
	for (int i = 1; i <= 400; i++)
		sb_addf(&reasons, "Detta är mening nummer %d i skälen för beslutet.%s", i,
		        i % 20 == 0 ? "\n\n" : " ");
	sb_adds(&reasons, "Slutmeningen står sist.");
	struct letter l = refusal();
	l.reasoning = reasons.buf;
	struct rendered r = render(&l);
	assert_true(r.pages > 1);
	assert_has(r.text, "Detta är mening nummer 1 i skälen för beslutet.");
	assert_has(r.text,
	           "Detta är mening nummer 400 i skälen för beslutet. Slutmeningen står sist.");
	/* The appeal instructions come after the reasons, complete. */
	assert_has(r.text, "Hur man överklagar");
	assert_has(r.text, "tre veckor");
	assert_true(strstr(r.text, "Slutmeningen") < strstr(r.text, "Hur man överklagar"));

	/* Page numbers count the pages, and pdfinfo agrees. */
	char want[64];
	snprintf(want, sizeof want, "Sida 1 av %d", r.pages);
	assert_has(r.text, want);
	snprintf(want, sizeof want, "Sida %d av %d", r.pages, r.pages);
	assert_has(r.text, want);
	snprintf(want, sizeof want, "Pages: %d", r.pages);
	assert_has(r.info, want);
	rendered_free(&r);
	sb_release(&reasons);
}

static void
data_is_never_markup(void **state)
{
	(void)state;
	struct letter l = refusal();
	l.person_name = "Kalle <b>&</b> &amp; Anka";
	l.reasoning = "Skälen <i>kursiv</i> & <span foreground=\"red\">röd</span>.";
	struct rendered r = render(&l);
	assert_has(r.text, "Kalle <b>&</b> &amp; Anka");
	assert_has(r.text, "Skälen <i>kursiv</i> & <span foreground=\"red\">röd</span>.");
	rendered_free(&r);
}

static void
protected_address_is_left_out(void **state)
{
	(void)state;
	struct letter l = refusal();
	l.street = "";
	l.postal_code = "";
	l.city = "";
	l.pnr = "";
	struct rendered r = render(&l);
	assert_lacks(r.text, "Storgatan");
	assert_lacks(r.text, "personnummer 1942");
	assert_has(r.text, "Greta Lindqvist");
	rendered_free(&r);
}

/* Renders and expects HERR_INVALID with nothing written. */
static void
expect_invalid(const struct letter *l)
{
	struct strbuf pdf;
	sb_init(&pdf, 0);
	assert_int_equal(letter_pdf(l, &pdf), HERR_INVALID);
	assert_int_equal(pdf.len, 0);
	sb_release(&pdf);
}

static void
missing_fields_are_invalid(void **state)
{
	(void)state;
	struct letter l;
	l = refusal();
	l.reasoning = "";
	expect_invalid(&l);
	l.reasoning = NULL;
	expect_invalid(&l);
	l = refusal();
	l.case_number = "";
	expect_invalid(&l);
	l = refusal();
	l.person_name = NULL;
	expect_invalid(&l);
	l = refusal();
	l.service_name = "";
	expect_invalid(&l);
	l = refusal();
	l.decided_by = "";
	expect_invalid(&l);
	l = refusal();
	l.outcome = "maybe";
	expect_invalid(&l);
	l = refusal();
	l.outcome = NULL;
	expect_invalid(&l);
	/* A grant needs its start date; a refusal does not. */
	l = grant();
	l.start_date = "";
	expect_invalid(&l);
	l = grant();
	l.start_date = "2026-02-30";
	expect_invalid(&l);
	/* A refusal without a court cannot tell where to appeal. */
	l = refusal();
	l.court = "";
	expect_invalid(&l);
	/* A personnummer is printed from twelve digits only. */
	l = refusal();
	l.pnr = "4203129876";
	expect_invalid(&l);
	l = refusal();
	l.person_name = "Greta \xff Lindqvist";
	expect_invalid(&l);
}

static void
needs_appeal(void **state)
{
	(void)state;
	assert_true(letter_needs_appeal("refused"));
	assert_true(letter_needs_appeal("partly_granted"));
	assert_false(letter_needs_appeal("granted"));
	assert_false(letter_needs_appeal(""));
	assert_false(letter_needs_appeal(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(refusal_has_appeal_instructions),
	    cmocka_unit_test(grant_has_no_appeal),
	    cmocka_unit_test(partial_grant_has_appeal),
	    cmocka_unit_test(long_reasoning_flows_onto_more_pages),
	    cmocka_unit_test(data_is_never_markup),
	    cmocka_unit_test(protected_address_is_left_out),
	    cmocka_unit_test(missing_fields_are_invalid),
	    cmocka_unit_test(needs_appeal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
