// Browser walk of the manager's pages (issue 3 item 9): the unit manager `chef` logs in, finds
// the section "Chefens översikt" on the start page and opens each page: the cases referred to
// the unit manager, the quarter's unexecuted decisions (also with bad input, the quarter in
// which a decision closed without execution, and a quarter that lists both decisions not
// executed and interruptions of execution not resumed in time), lead times, the delegated
// decisions for the board and the delegation order. The demo history gives the reports their
// rows; one case is referred upwards through the API first. Every page must pass axe-core at WCAG 2.1 A/AA and
// tidy's check of the HTML as the server sent it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { addDays, PASSWORD as password, setup } from './harness.mjs';

const h = setup({ prefix: 'manager', cases: 150 });
const { checkPage, navigate, login } = h;
let base, browser;
before(async () => {
  await h.ready;
  ({ base, browser } = h);
});

// Refers one case to the unit manager through the API, as handlaggare.
async function referOne() {
  const login = await fetch(base + '/api/v1/sessions', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', username: 'handlaggare', password }),
  });
  assert.equal(login.status, 201);
  const { token } = await login.json();
  const call = async (method, path, json) => {
    const r = await fetch(base + path, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: json ? JSON.stringify(json) : undefined,
    });
    return { status: r.status, json: await r.json() };
  };
  // A new person with a valid number (Luhn over the ten-digit form).
  const nine = `450312${String(100 + Math.floor(Math.random() * 800))}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let v = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    sum += v > 9 ? v - 9 : v;
  }
  const personnummer = `19${nine}${(10 - (sum % 10)) % 10}`;
  const created = await call('POST', '/api/v1/persons', { personnummer, given_name: 'Chefa', family_name: 'Testsson' });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const person = created.json;
  const c = await call('POST', '/api/v1/cases', { person_id: person.id, requests: [{ service: 'hemtjanst_service' }] });
  assert.equal(c.status, 201, JSON.stringify(c.json));
  assert.equal((await call('POST', `/api/v1/cases/${c.json.id}/assign`, {})).status, 200);
  assert.equal((await call('POST', `/api/v1/cases/${c.json.id}/state`, { to: 'investigation' })).status, 200);
  const d = await call('POST', `/api/v1/cases/${c.json.id}/decisions`, {
    service: 'hemtjanst_service', outcome: 'granted', hours_per_month: 60,
    start_date: c.json.received_date, end_date: addDays(c.json.received_date, 180),
    reasoning: 'Stort behov.', refer: true,
  });
  assert.equal(d.status, 202);
  return c.json;
}

// The latest of the last ten quarters whose report (GET /api/v1/reports/unexecuted as chef)
// has a row for which pick answers something: {y, q, items, found}, or null.
async function latestQuarter(pick) {
  const login = await fetch(base + '/api/v1/sessions', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', username: 'chef', password }),
  });
  assert.equal(login.status, 201);
  const { token } = await login.json();
  const now = new Date();
  let y = now.getUTCFullYear(), q = Math.floor(now.getUTCMonth() / 3) + 1;
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${base}/api/v1/reports/unexecuted?year=${y}&quarter=${q}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(res.status, 200);
    const { items } = await res.json();
    const found = pick(items);
    if (found)
      return { y, q, items, found };
    if (--q === 0) { y--; q = 4; }
  }
  return null;
}

test('the unit manager opens each of the manager pages', async () => {
  const referred = await referOne();
  const ctx = await browser.newContext({ bypassCSP: true });
  const page = await ctx.newPage();
  await login(page, 'chef');
  await checkPage(page, 'unit manager start page');
  assert.ok(await page.getByRole('heading', { name: 'Chefens översikt' }).isVisible());

  let r = await navigate(page, () => page.getByRole('link', { name: 'Hänskjutna ärenden' }).first().click());
  assert.equal(r.status, 200);
  assert.match(page.url(), /\/chef\/hanskjutna$/);
  await checkPage(page, 'referred cases', r.html);
  assert.ok(await page.getByRole('link', { name: referred.case_number }).isVisible());

  r = await navigate(page, () => page.getByRole('link', { name: 'Ej verkställda beslut' }).first().click());
  assert.equal(r.status, 200);
  await checkPage(page, 'unexecuted decisions, last quarter', r.html);
  assert.ok(await page.getByRole('link', { name: /Ladda ner som PDF/ }).isVisible());
  await page.getByLabel('År').fill('1999');
  r = await navigate(page, () => page.getByRole('button', { name: 'Visa' }).click());
  assert.equal(r.status, 400);
  await checkPage(page, 'unexecuted decisions with an error', r.html);
  await page.getByLabel('År').fill(String(new Date().getFullYear() - 1));
  await page.getByLabel('Kvartal').selectOption('4');
  r = await navigate(page, () => page.getByRole('button', { name: 'Visa' }).click());
  assert.equal(r.status, 200);
  await checkPage(page, 'unexecuted decisions of a chosen quarter', r.html);

  // The quarter in which the demo's decision closed without execution is reported: the row
  // says so with the date and the reason.
  const closed = await latestQuarter((items) =>
    items.find((x) => x.kind === 'not_executed' && x.state === 'closed'));
  assert.ok(closed, 'the demo history has a decision closed without execution');
  r = await navigate(page, () => page.goto(`${base}/chef/ej-verkstallda?year=${closed.y}&quarter=${closed.q}`));
  assert.equal(r.status, 200);
  await checkPage(page, 'unexecuted decisions with one closed without execution', r.html);
  assert.match(await page.locator('#tabell-ej-verkstallda').locator('..').innerText(),
    new RegExp(`Avslutat utan verkställighet ${closed.found.closed_date}: ${closed.found.closed_reason_title}`));

  // A recent quarter with both kinds: decisions not executed in time and interruptions of
  // execution not resumed in time (the demo interrupts some executed decisions).
  const both = await latestQuarter((items) =>
    items.some((x) => x.kind === 'not_executed')
      && items.find((x) => x.kind === 'interrupted'));
  assert.ok(both, 'the demo history has a quarter with both kinds');
  r = await navigate(page, () => page.goto(`${base}/chef/ej-verkstallda?year=${both.y}&quarter=${both.q}`));
  assert.equal(r.status, 200);
  await checkPage(page, 'unexecuted decisions and interruptions of one quarter', r.html);
  const table = page.getByRole('table', { name: /avbrott som inte har återupptagits i tid/ });
  const row = table.getByRole('row')
    .filter({ hasText: both.found.case_number }).filter({ hasText: 'Avbrott i verkställighet' });
  const cells = await row.first().innerText();
  assert.ok(cells.includes(`${both.found.interrupted_date}: ${both.found.interruption_reason}`), cells);
  assert.ok(await table.getByRole('cell', { name: 'Ej verkställt beslut' }).first().isVisible());
  assert.ok(await page.getByRole('table', { name: /Antal avbrott som inte var återupptagna/ }).isVisible());

  r = await navigate(page, () => page.getByRole('link', { name: 'Ledtider' }).first().click());
  assert.equal(r.status, 200);
  await checkPage(page, 'lead times', r.html);
  assert.ok(await page.getByRole('table', { name: /Ledtider per insats/ }).isVisible());

  await page.goto(base + '/chef/delegationsbeslut');
  await checkPage(page, 'delegated decisions');
  await page.getByLabel('Till och med').fill('2000-01-01');
  r = await navigate(page, () => page.getByRole('button', { name: 'Visa' }).click());
  assert.equal(r.status, 400);
  await checkPage(page, 'delegated decisions with an error', r.html);

  await page.goto(base + '/chef/delegationsordning');
  await checkPage(page, 'delegation order');
  assert.ok(await page.getByRole('table', { name: /Delegationsordningens punkter/ }).isVisible());
  await ctx.close();
});

test('the auditor finds the report of unexecuted decisions', async () => {
  const ctx = await browser.newContext({ bypassCSP: true });
  const page = await ctx.newPage();
  await login(page, 'revisor');
  await checkPage(page, 'auditor start page');
  const r = await navigate(page, () => page.getByRole('link', { name: 'Ej verkställda beslut' }).first().click());
  assert.equal(r.status, 200);
  await checkPage(page, 'unexecuted decisions as the auditor', r.html);
  await ctx.close();
});
