// Browser walk of customer choice (issue 4): the caseworker opens the choice-of-provider step
// from the decision in the case view and sends the order with one marked part of the
// investigation; the provider's staff finds it in the inbox, accepts it and writes the
// implementation plan; the citizen sees the chosen provider under Mina sidor. Set-up (the
// provider's approval and a granted decision for the citizen) goes through the JSON API.
// Every page visited must pass axe-core at WCAG 2.1 A/AA and tidy.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { addDays, PASSWORD as password, setup } from './harness.mjs';

const h = setup({ prefix: 'providers' });
const { checkPage, navigate, login } = h;
let base, browser;
const walk = {};

async function api(token, method, path, json) {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text };
}

async function tokenOf(username) {
  const r = await fetch(base + '/api/v1/sessions', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', username, password }),
  });
  assert.equal(r.status, 201);
  return (await r.json()).token;
}

before(async () => {
  await h.ready;
  ({ base, browser } = h);
  const admin = await tokenOf('admin');
  const list = await api(admin, 'GET', '/api/v1/providers');
  const a = list.json.items.find((p) => p.name === 'Omsorg i Hannaby AB');
  const full = await api(admin, 'GET', `/api/v1/providers/${a.id}`);
  if (!full.json.services.includes('hemtjanst_service')) {
    const r = await api(admin, 'PATCH', `/api/v1/providers/${a.id}`, {
      version: full.json.version, org_nr: '556012-5790', approved_from: '2024-01-01',
      services: [{ service: 'hemtjanst_service' }], areas: [{ area: 'Hannaby' }],
    });
    assert.equal(r.status, 200, r.text);
  }
  const cw = await tokenOf('handlaggare');
  const c = await api(cw, 'POST', '/api/v1/cases', { person_id: 1, requests: [{ service: 'hemtjanst_service', hours_per_month: 12 }] });
  assert.equal(c.status, 201, c.text);
  walk.caseId = c.json.id;
  await api(cw, 'POST', `/api/v1/cases/${c.json.id}/assign`, {});
  await api(cw, 'POST', `/api/v1/cases/${c.json.id}/state`, { to: 'investigation' });
  const inv = await api(cw, 'POST', `/api/v1/cases/${c.json.id}/investigation`, { plan: 'Hembesök.' });
  assert.equal(inv.status, 201, inv.text);
  const sections = inv.json.sections.map((x) => ({ section_id: x.id, body: `Text om ${x.heading}.` }));
  assert.equal((await api(cw, 'PATCH', `/api/v1/cases/${c.json.id}/investigation`, { version: inv.json.version, sections })).status, 200);
  const d = await api(cw, 'POST', `/api/v1/cases/${c.json.id}/decisions`, {
    service: 'hemtjanst_service', outcome: 'granted', hours_per_month: 12, start_date: c.json.received_date,
    end_date: addDays(c.json.received_date, 120), goals: 'Ett rent hem\nHandla själv med stöd', reasoning: 'Utrett.',
  });
  assert.equal(d.status, 201, d.text);
  walk.decisionId = d.json.id;
});

test('the caseworker sends an order from the decision', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'handlaggare');
  await page.goto(`${base}/arenden/${walk.caseId}`);
  let r = await navigate(page, () => page.getByRole('link', { name: /Utförare och beställning/ }).first().click());
  assert.equal(r.status, 200);
  await checkPage(page, 'choice of provider', r.html);
  r = await navigate(page, () => page.getByRole('button', { name: 'Skicka beställningen' }).click());
  assert.equal(r.status, 400);
  await checkPage(page, 'choice of provider with errors', r.html);
  await page.getByLabel(/Omsorg i Hannaby AB/).check();
  await page.getByLabel('Bakgrund').check();
  await page.getByLabel('Meddelande till utföraren').fill('Kunden vill helst ha hjälp på förmiddagen.');
  r = await navigate(page, () => page.getByRole('button', { name: 'Skicka beställningen' }).click());
  assert.equal(r.status, 200);
  assert.match(await page.locator('main').innerText(), /Omsorg i Hannaby AB: Skickad/);
  await context.close();
});

test('provider staff accepts the order and writes the implementation plan', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'personal');
  let r = await navigate(page, () => page.getByRole('link', { name: 'Uppdrag' }).first().click());
  assert.equal(r.status, 200);
  await checkPage(page, 'provider inbox', r.html);
  r = await navigate(page, () => page.locator('table a').first().click());
  assert.equal(r.status, 200);
  await checkPage(page, 'order view', r.html);
  const text = await page.locator('main').innerText();
  assert.match(text, /Text om Bakgrund/);
  assert.doesNotMatch(text, /Text om Bedömning/);
  r = await navigate(page, () => page.getByRole('button', { name: 'Acceptera uppdraget' }).click());
  assert.equal(r.status, 200);
  await checkPage(page, 'plan editor', r.html);
  await page.getByLabel('Så deltog kunden').fill('Vi skrev planen hemma hos kunden.');
  await page.getByLabel('Vad görs').first().fill('Städning');
  await page.getByLabel('När').first().fill('Tisdagar kl. 9');
  await page.getByLabel('Hur').first().fill('Kunden dammar själv');
  r = await navigate(page, () => page.getByRole('button', { name: 'Spara genomförandeplanen' }).click());
  assert.equal(r.status, 200);
  assert.equal(await page.getByLabel('Vad görs').first().inputValue(), 'Städning');
  await checkPage(page, 'plan saved', r.html);
  await context.close();
});

test('the caseworker reads the plan, follows up a goal, and sees the change and late-answer forms', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'handlaggare');
  await page.goto(`${base}/beslut/${walk.decisionId}/utforare`);
  let r = await navigate(page, () => page.getByRole('link', { name: 'Omsorg i Hannaby AB' }).first().click());
  assert.equal(r.status, 200);
  assert.match(await page.locator('main').innerText(), /Kunden dammar själv/);
  await checkPage(page, 'caseworker order view', r.html);
  r = await navigate(page, () => page.getByRole('button', { name: 'Spara uppföljningen' }).click());
  assert.equal(r.status, 400);
  await checkPage(page, 'follow-up with errors', r.html);
  await page.getByLabel('Delvis uppfyllt').check();
  await page.getByLabel('Kommentar').fill('Städningen fungerar, handlar ännu inte själv.');
  r = await navigate(page, () => page.getByRole('button', { name: 'Spara uppföljningen' }).click());
  assert.equal(r.status, 200);
  assert.match(await page.locator('main').innerText(), /Delvis uppfyllt/);
  await page.getByLabel('Sista dag').fill('i morgon');
  r = await navigate(page, () => page.getByRole('button', { name: 'Avsluta beställningen' }).click());
  assert.equal(r.status, 400);
  await checkPage(page, 'end with errors', r.html);
  r = await navigate(page, () => page.getByRole('link', { name: 'Byt utförare' }).click());
  assert.equal(r.status, 200);
  await checkPage(page, 'change of provider', r.html);
  await page.getByLabel('Den nuvarande utförarens sista dag').fill('snart');
  r = await navigate(page, () => page.getByRole('button', { name: 'Byt utförare' }).click());
  assert.equal(r.status, 400);
  await checkPage(page, 'change of provider with errors', r.html);
  // A second order, sent and left unanswered past its day, shows in the work queue.
  const cw = await tokenOf('handlaggare');
  const c = await api(cw, 'POST', '/api/v1/cases', { person_id: 2, requests: [{ service: 'hemtjanst_service', hours_per_month: 8 }] });
  await api(cw, 'POST', `/api/v1/cases/${c.json.id}/assign`, {});
  await api(cw, 'POST', `/api/v1/cases/${c.json.id}/state`, { to: 'investigation' });
  const d = await api(cw, 'POST', `/api/v1/cases/${c.json.id}/decisions`, {
    service: 'hemtjanst_service', outcome: 'granted', hours_per_month: 8, start_date: c.json.received_date,
    end_date: addDays(c.json.received_date, 60), goals: 'Trygghet hemma', reasoning: 'Utrett.',
  });
  assert.equal(d.status, 201, d.text);
  const admin = await tokenOf('admin');
  const a = (await api(admin, 'GET', '/api/v1/providers')).json.items.find((p) => p.name === 'Omsorg i Hannaby AB');
  const o = await api(cw, 'POST', `/api/v1/decisions/${d.json.id}/orders`, { provider_id: a.id });
  assert.equal(o.status, 201, o.text);
  execFileSync('sqlite3', [join(h.dir, 'b.db'), `UPDATE orders SET answer_due = '2020-01-02' WHERE id = ${o.json.id}`]);
  r = await navigate(page, () => page.goto(`${base}/arenden`));
  assert.equal(r.status, 200);
  assert.match(await page.locator('main').innerText(), /Beställningar som inte besvarats i tid/);
  await checkPage(page, 'work queue with a late order', r.html);
  await context.close();
});

test('the citizen sees the chosen provider under Mina sidor', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'medborgare');
  const r = await navigate(page, () => page.getByRole('link', { name: 'Mina sidor' }).first().click());
  assert.equal(r.status, 200);
  assert.match(await page.locator('main').innerText(), /Utförare: Omsorg i Hannaby AB \(Accepterad\)/);
  await checkPage(page, 'Mina sidor with provider', r.html);
  await context.close();
});
