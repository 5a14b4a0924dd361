// Browser walk of the authority process (issue 3) through its pages, without JavaScript of
// our own: the citizen applies for home care with a self-assessment, gets the receipt and sees
// the case under Mina sidor; the caseworker takes the case from the intake list, starts the
// investigation, writes and signs a journal note, adds an IBIC assessment, meets the
// delegation limit and then decides within it; the citizen sees the decision and its letter;
// the caseworker closes the decision without execution (the form, its error, the result),
// then grants an alarm at follow-up, and once it is executed interrupts its execution and
// resumes it ("Registrera avbrott", its error, "Återuppta").
// Every page visited, error states included, must pass axe-core at WCAG 2.1 A/AA and tidy's
// check of the HTML as the server sent it. With HANNA_SCREENSHOTS set to a directory, the
// application form and the case view are saved there as PNG.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { addDays, PASSWORD as password, setup } from './harness.mjs';

const h = setup({ prefix: 'cases' });
const { checkPage, navigate, login } = h;
const shots = process.env.HANNA_SCREENSHOTS || '';
let base, browser;
before(async () => {
  await h.ready;
  ({ base, browser } = h);
  if (shots) mkdirSync(shots, { recursive: true });
});

const walk = {};

test('the citizen applies for home care with a self-assessment and sees the case', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'medborgare');
  await checkPage(page, 'citizen start page');

  let r = await navigate(page, () => page.getByRole('link', { name: 'Ansök om stöd' }).first().click());
  assert.equal(r.status, 200);
  assert.match(page.url(), /\/ansok$/);
  await checkPage(page, 'application form', r.html);

  // Nothing ticked: the form again with the error next to the services.
  r = await navigate(page, () => page.getByRole('button', { name: 'Skicka ansökan' }).click());
  assert.equal(r.status, 400);
  assert.match(await page.locator('.error-summary').innerText(), /minst en insats/);
  await checkPage(page, 'application form with errors', r.html);

  await page.getByLabel('Hemtjänst – serviceinsatser', { exact: true }).check();
  await page.getByLabel('Timmar per månad, Hemtjänst – serviceinsatser').fill('20');
  await page.getByLabel('Beskriv vad du behöver hjälp med').fill('Hjälp med städning och tvätt.');
  await page.getByLabel(/^Hemliv \(/).fill('Jag orkar inte städa längre.');
  await page.getByLabel(/^Förflyttning \(/).fill('Jag går med rollator.');
  if (shots) await page.screenshot({ path: join(shots, 'ansok.png'), fullPage: true });

  r = await navigate(page, () => page.getByRole('button', { name: 'Skicka ansökan' }).click());
  assert.equal(r.status, 201);
  await checkPage(page, 'receipt', r.html);
  const receipt = await page.locator('main').innerText();
  const number = receipt.match(/\d{4}-\d{6}/);
  assert.ok(number, 'the case number on the receipt');
  walk.number = number[0];
  walk.received = r.html.match(/<dt>Inkom<\/dt>\n<dd>(\d{4}-\d{2}-\d{2})<\/dd>/)[1];
  assert.match(receipt, /Ansökan är komplett/);

  r = await navigate(page, () => page.getByRole('link', { name: 'Till Mina sidor' }).click());
  assert.equal(r.status, 200);
  await checkPage(page, 'Mina sidor', r.html);
  const card = page.locator('section.case-card', { hasText: walk.number });
  assert.match(await card.innerText(), /Mottagen/);
  assert.equal(await card.getByRole('button', { name: /Återta ansökan/ }).count(), 1);
  await context.close();
});

test('the caseworker takes the case, investigates and decides within the delegation', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'handlaggare');
  await checkPage(page, 'caseworker start page');

  let r = await navigate(page, () => page.getByRole('navigation', { name: 'Huvudmeny' })
    .getByRole('link', { name: 'Mina ärenden' }).click());
  assert.equal(r.status, 200);
  await checkPage(page, 'work queue', r.html);
  assert.equal(await page.getByRole('heading', { name: 'Att följa upp' }).count(), 1);
  const row = page.locator('#tabell-nya').locator('xpath=ancestor::table').locator('tr', { hasText: walk.number });
  r = await navigate(page, () => row.getByRole('button', { name: /Ta ärendet/ }).click());
  assert.equal(r.status, 200);
  assert.match(page.url(), /\/arenden\/\d+#status$/);
  walk.caseUrl = page.url().replace(/#.*$/, '');
  await checkPage(page, 'case view, taken', r.html);
  assert.match(await page.locator('#status').innerText(), /Du/);

  r = await navigate(page, () => page.getByRole('button', { name: 'Starta utredning' }).click());
  assert.equal(r.status, 200);
  assert.match(await page.locator('#status').innerText(), /Utreds/);

  // Journal: a draft, then signed.
  await page.getByLabel('Ny journalanteckning').fill('Hembesök gjort. Behöver hjälp med städning.');
  r = await navigate(page, () => page.getByRole('button', { name: 'Spara utkast' }).click());
  assert.match(page.url(), /#journal$/);
  await checkPage(page, 'case view with a draft note', r.html);
  r = await navigate(page, () => page.getByRole('button', { name: /^Signera/ }).click());
  assert.equal(r.status, 200);
  const note = page.locator('#journal article.note').first();
  assert.match(await note.innerText(), /signerad/);
  assert.equal(await page.getByRole('button', { name: /^Signera/ }).count(), 0);

  // An IBIC assessment.
  await page.getByLabel('Livsområde').selectOption('hemliv');
  await page.getByLabel('Funktionsförmåga och behov').fill('Klarar inte tyngre städning.');
  await page.getByLabel(/^Mål \(/).fill('Bo kvar hemma med ett rent hem.');
  r = await navigate(page, () => page.getByRole('button', { name: 'Spara bedömningen' }).click());
  assert.match(page.url(), /#utredning$/);
  assert.match(await page.locator('#utredning').innerText(), /Klarar inte tyngre städning/);

  // Beyond the delegation (60 h): the form again naming the level, with the referral box.
  const start = addDays(walk.received, 7);
  await page.getByLabel('Insats', { exact: true }).selectOption('hemtjanst_service');
  await page.getByLabel('Bifall', { exact: true }).check();
  await page.getByLabel(/^Timmar per månad \(/).fill('60');
  await page.getByLabel('Gäller från').fill(start);
  await page.getByLabel('Gäller till och med').fill(addDays(start, 180));
  await page.getByLabel('Motivering').fill('Behovet av hjälp med städning och tvätt är utrett.');
  r = await navigate(page, () => page.getByRole('button', { name: 'Fatta beslut' }).click());
  assert.equal(r.status, 403);
  assert.match(await page.locator('#delegation').innerText(), /enhetschef/);
  assert.equal(await page.getByLabel('Skicka till enhetschef för beslut').count(), 1);
  await checkPage(page, 'decision beyond the delegation', r.html);

  // Within it: 30 h split over day and evening.
  await page.getByLabel(/^Timmar per månad \(/).fill('30');
  await page.getByLabel(/^Dag \(/).fill('24');
  await page.getByLabel(/^Kväll \(/).fill('6');
  await page.getByLabel('Mål med insatsen').fill('Ett rent hem.');
  r = await navigate(page, () => page.getByRole('button', { name: 'Fatta beslut' }).click());
  assert.equal(r.status, 200);
  assert.match(page.url(), /#beslut$/);
  await checkPage(page, 'case view after the decision', r.html);
  const decision = await page.locator('#beslut article.decision').innerText();
  assert.match(decision, /Hemtjänst – serviceinsatser: Bifall/);
  assert.match(decision, /30 timmar per månad \(dag 24, kväll 6\)/);
  assert.match(await page.locator('#status').innerText(), /Beslut fattat/);
  assert.match(await page.locator('#tidslinje').innerText(), /Beslut/);
  if (shots) {
    await page.goto(walk.caseUrl);
    await page.screenshot({ path: join(shots, 'arende.png'), fullPage: true });
  }

  // review 2026-11: finding 10, the decision ends within 30 days and its follow-up is past:
  // both flags show in the work queue, which passes its checks with the table.
  const id = (await page.locator('#beslut article.decision').first().getAttribute('id')).replace('beslut-', '');
  execFileSync('sqlite3', [join(h.dir, 'b.db'), `UPDATE decisions SET end_date = '${addDays(walk.received, 10)}', `
    + `followup_date = '${addDays(walk.received, -1)}' WHERE id = ${Number(id)}`]);
  r = await navigate(page, () => page.goto(`${base}/arenden`));
  assert.equal(r.status, 200);
  await checkPage(page, 'work queue with follow-up flags', r.html);
  const flag = page.locator('#tabell-folj-upp').locator('xpath=ancestor::table').locator('tbody tr', { hasText: walk.number });
  assert.match(await flag.innerText(), /Uppföljningen är försenad/);
  assert.match(await flag.innerText(), /Slutar snart/);
  await context.close();
});

test('the citizen sees the decision and reads its letter', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'medborgare');
  await page.goto(base + '/mina-sidor');
  await checkPage(page, 'Mina sidor with a decision');
  const card = page.locator('section.case-card', { hasText: walk.number });
  const text = await card.innerText();
  assert.match(text, /Beslut fattat/);
  assert.match(text, /Hemtjänst – serviceinsatser: Bifall/);
  assert.equal(await card.getByRole('button', { name: /Återta ansökan/ }).count(), 0);
  const link = card.getByRole('link', { name: /Läs beslutsbrevet/ });
  const href = await link.getAttribute('href');
  assert.match(href, /^\/api\/v1\/decisions\/\d+\/letter$/);
  const pdf = await page.request.get(base + href);
  assert.equal(pdf.status(), 200);
  assert.match(pdf.headers()['content-type'], /application\/pdf/);
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
  await context.close();
});

test('a representative sees the pages of the person they represent', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'godman');
  await page.goto(base + '/mina-sidor');
  await checkPage(page, 'Mina sidor of a representative');
  assert.match(await page.locator('main h2').first().innerText(), /^Ärenden för /);
  await page.goto(base + '/ansok');
  await checkPage(page, 'application form of a representative');
  assert.match(await page.locator('main').innerText(), /Ansökan gäller/);
  await context.close();
});

test('the caseworker closes the granted decision without execution from the case view', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'handlaggare');
  await page.goto(walk.caseUrl);
  const decided = (await page.content()).match(/<dt>Beslutat<\/dt>\n<dd>(\d{4}-\d{2}-\d{2})/)[1];
  await page.locator('#beslut summary', { hasText: 'Avsluta utan verkställighet' }).click();
  await checkPage(page, 'case view with the closing form open');

  // "Annat" needs a statement: the form again, open, with the error next to the field.
  await page.getByLabel('Datum då beslutet upphörde').fill(decided);
  await page.getByLabel('Skäl', { exact: true }).selectOption('other');
  let r = await navigate(page, () => page.getByRole('button', { name: 'Avsluta utan verkställighet' }).click());
  assert.equal(r.status, 400);
  assert.match(await page.locator('.error-summary').innerText(), /Kort redogörelse/);
  await checkPage(page, 'closing form with an error', r.html);

  await page.getByLabel(/^Kort redogörelse/).fill('Insatsen ges av regionen i stället.');
  r = await navigate(page, () => page.getByRole('button', { name: 'Avsluta utan verkställighet' }).click());
  assert.equal(r.status, 200);
  assert.match(page.url(), /#beslut-\d+$/);
  await checkPage(page, 'case view with the decision closed', r.html);
  const decision = await page.locator('#beslut article.decision').innerText();
  assert.match(decision, /Avslutat utan verkställighet/);
  assert.match(decision, /Annat\. Insatsen ges av regionen i stället\./);
  assert.equal(await page.getByRole('button', { name: 'Avsluta utan verkställighet' }).count(), 0);
  assert.match(await page.locator('#tidslinje').innerText(), /Avslutat utan verkställighet/);
  await context.close();
});

// Executes a decision through the API as handlaggare (the case view has no execution form).
async function executeByApi(decisionId, date) {
  const login = await fetch(base + '/api/v1/sessions', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', username: 'handlaggare', password }),
  });
  assert.equal(login.status, 201);
  const { token } = await login.json();
  const r = await fetch(`${base}/api/v1/decisions/${decisionId}/execution`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ date }),
  });
  assert.equal(r.status, 200, await r.text());
}

test('the caseworker interrupts an executed decision\'s execution and resumes it from the case view', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'handlaggare');
  await page.goto(walk.caseUrl);

  // At follow-up, a new grant of an alarm, executed on the day it was decided.
  let r = await navigate(page, () => page.getByRole('button', { name: 'Påbörja uppföljning' }).click());
  assert.equal(r.status, 200);
  await page.getByLabel('Insats', { exact: true }).selectOption('trygghetslarm');
  await page.getByLabel('Bifall', { exact: true }).check();
  await page.getByLabel('Gäller från').fill(walk.received);
  await page.getByLabel('Motivering').fill('Risk för fall i hemmet.');
  r = await navigate(page, () => page.getByRole('button', { name: 'Fatta beslut' }).click());
  assert.equal(r.status, 200);
  const article = page.locator('#beslut article.decision').last();
  const id = Number((await article.getAttribute('id')).replace('beslut-', ''));
  const decided = (await article.innerText()).match(/Beslutat\s+(\d{4}-\d{2}-\d{2})/)[1];
  await executeByApi(id, decided);
  await page.goto(walk.caseUrl);

  // "Registrera avbrott": its form open, then its error for a missing reason.
  await page.locator(`#beslut-${id} summary`, { hasText: 'Registrera avbrott' }).click();
  await checkPage(page, 'case view with the interruption form open');
  await page.getByLabel('Avbrottet började').fill(decided);
  r = await navigate(page, () => page.getByRole('button', { name: 'Registrera avbrott' }).click());
  assert.equal(r.status, 400);
  assert.match(await page.locator('.error-summary').innerText(), /Skäl till avbrottet/);
  await checkPage(page, 'interruption form with an error', r.html);
  await page.getByLabel('Skäl till avbrottet').fill('Vårdas på sjukhus efter ett fall.');
  r = await navigate(page, () => page.getByRole('button', { name: 'Registrera avbrott' }).click());
  assert.equal(r.status, 200);
  assert.match(page.url(), new RegExp(`#beslut-${id}$`));
  await checkPage(page, 'case view with an open interruption', r.html);
  let text = await page.locator(`#beslut-${id}`).innerText();
  assert.match(text, /Avbrott i verkställigheten/);
  assert.match(text, /Vårdas på sjukhus efter ett fall\./);
  assert.match(text, /Pågår\./);
  assert.equal(await page.getByRole('button', { name: 'Registrera avbrott' }).count(), 0);

  // "Återuppta": open, then resumed on the same day.
  await page.locator(`#beslut-${id} summary`, { hasText: 'Återuppta' }).click();
  await checkPage(page, 'case view with the resumption form open');
  await page.getByLabel('Återupptaget den').fill(decided);
  r = await navigate(page, () => page.getByRole('button', { name: 'Återuppta', exact: true }).click());
  assert.equal(r.status, 200);
  await checkPage(page, 'case view with the interruption resumed', r.html);
  text = await page.locator(`#beslut-${id}`).innerText();
  assert.match(text, new RegExp(`Återupptaget ${decided}\\.`));
  assert.match(await page.locator('#tidslinje').innerText(), /Verkställigheten återupptagen/);
  await context.close();
});
