// Browser test of the phone page "Dagens besök" (issue 5) in Chromium against the real server:
// care staff checks in, the network goes (context.setOffline), checks out, the network comes
// back, and the visit is on the server exactly once, checked in and out. The page and the
// follow-up page pass axe-core and tidy; logout asks the service worker to clear what the day
// left on the phone.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { PASSWORD as password, setup } from './harness.mjs';

const h = setup({ prefix: 'visits-page', persons: 300, cases: 150 });
const { checkPage, login } = h;
let base, browser;

async function tokenOf(username) {
  const r = await fetch(base + '/api/v1/sessions', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', username, password }),
  });
  assert.equal(r.status, 201);
  return (await r.json()).token;
}

async function visitsOf(token, person) {
  const month = new Date().toISOString().slice(0, 7);
  const r = await fetch(`${base}/api/v1/visits?month=${month}&person_id=${person}`,
    { headers: { authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200);
  return (await r.json()).items;
}

async function until(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v)
      return v;
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  await h.ready;
  ({ base, browser } = h);
});

test('check in, lose the network, check out, network back: the visit is stored once', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'personal');
  await page.goto(base + '/besok');
  await checkPage(page, 'the phone page');
  const li = page.locator('li[data-person]').first();
  const person = Number(await li.getAttribute('data-person'));
  const token = await tokenOf('utforare');
  assert.deepEqual(await visitsOf(token, person), []);

  await li.getByRole('button', { name: 'Checka in' }).click();
  await li.locator('.visit-state').filter({ hasText: /^Incheckad \d\d:\d\d$/ }).waitFor();
  const open = await until('the check-in on the server', async () => {
    const v = await visitsOf(token, person);
    return v.length === 1 && v[0].state === 'open' && v[0];
  });
  assert.equal(open.staff, 'personal');
  await until('the status to settle', async () =>
    /^Ansluten\.$/.test(await page.locator('#visits-status').textContent()));

  // A visit lasts: the check-out comes at least a second after the check-in.
  await new Promise((r) => setTimeout(r, 1100));
  await context.setOffline(true);
  await li.getByRole('button', { name: 'Checka ut' }).click();
  await page.locator('#visits-status').filter({ hasText: '1 rapport väntar' }).waitFor();
  await li.getByRole('button', { name: 'Checka in' }).waitFor();
  // A reload without network: the page comes from the worker's cache or not at all, but the
  // queue is kept in IndexedDB either way; the server has not seen the check-out.
  assert.equal((await visitsOf(token, person))[0].state, 'open');

  await context.setOffline(false);
  const done = await until('the check-out on the server', async () => {
    const v = await visitsOf(token, person);
    return v.length === 1 && v[0].state === 'done' && v;
  });
  assert.equal(done.length, 1, 'exactly one visit');
  assert.equal(done[0].id, open.id);
  await page.locator('#visits-status').filter({ hasText: /^Ansluten\.$/ }).waitFor();
  // Nothing more arrives later (a second send of the queue would be a second report).
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await visitsOf(token, person)).length, 1);

  // A deviation without a visit needs a code first.
  const second = page.locator('li[data-person]').nth(1);
  await second.getByRole('button', { name: 'Rapportera avvikelse' }).click();
  await second.locator('.visit-state').filter({ hasText: 'Välj en avvikelse först.' }).waitFor();
  await second.getByLabel('Avvikelse').selectOption('hospital');
  await second.getByRole('button', { name: 'Rapportera avvikelse' }).click();
  await second.locator('.visit-state').filter({ hasText: 'Avvikelsen är registrerad.' }).waitFor();
  const p2 = Number(await second.getAttribute('data-person'));
  await until('the deviation on the server', async () =>
    (await visitsOf(token, p2)).some((v) => v.deviation === 'hospital'));

  // Logout clears the queue's database and the worker's cache.
  await page.getByRole('button', { name: /logga ut/i }).click();
  await page.waitForURL(/\/logga-in$/);
  const left = await page.evaluate(async () => {
    const names = await caches.keys();
    return names.filter((n) => n.startsWith('hanna-visits-')).length;
  });
  assert.equal(left, 0, 'no cache of the phone page after logout');
  await context.close();
});

test('the follow-up of granted versus performed time and the approval button', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'utforare');
  await page.goto(base + '/besok/uppfoljning');
  await checkPage(page, 'granted versus performed');
  assert.ok(await page.getByRole('table').count() >= 1);
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 2);
  const month = d.toISOString().slice(0, 7);
  await page.getByLabel('Månad (ÅÅÅÅ-MM)').fill(month);
  await page.getByRole('button', { name: 'Visa' }).click();
  await page.waitForURL(new RegExp(`month=${month}`));
  await page.getByRole('button', { name: `Godkänn och lås ${month}` }).click();
  await page.waitForURL(new RegExp(`month=${month}`));
  await page.getByText(`${month}, godkänd av`).waitFor();
  await checkPage(page, 'after the approval');
  await context.close();
});

test('the provider admin enters a visit afterwards and corrects it', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'utforare');
  await page.goto(base + '/besok/uppfoljning');
  await page.getByRole('link', { name: 'Registrera besök i efterhand eller rätta ett besök' }).click();
  await page.waitForURL(/\/besok\/registrera$/);
  await checkPage(page, 'the entry page');
  const y = new Date(Date.now() - 86400000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
  await page.getByLabel('Dag').fill(y);
  await page.getByRole('button', { name: 'Visa dagen' }).click();
  await page.waitForURL(new RegExp(`date=${y}`));
  const value = await page.locator('#f-customer option').nth(1).getAttribute('value');
  const person = Number(value.split(':')[0]);
  await page.getByLabel('Kund och insats').selectOption(value);
  await page.getByLabel('Personal').fill('Bo B');
  await page.getByLabel('Start (TT:MM)').fill('10:00');
  await page.getByLabel('Slut (TT:MM)').fill('09:00');
  await page.getByLabel('Skäl till att besöket registreras i efterhand').fill('Telefonen var trasig');
  await page.getByRole('button', { name: 'Spara besöket' }).click();
  // The end before the start: the server refuses and the form comes back with its values.
  await page.getByRole('alert').filter({ hasText: 'Besöket sparades inte' }).waitFor();
  await checkPage(page, 'the entry page with an error');
  assert.equal(await page.getByLabel('Personal').inputValue(), 'Bo B');
  await page.getByLabel('Slut (TT:MM)').fill('10:45');
  await page.getByRole('button', { name: 'Spara besöket' }).click();
  await page.getByText('Besöket är sparat.').waitFor();
  await checkPage(page, 'the day with the saved visit');

  await page.getByRole('link', { name: /^Rätta besöket hos .* 10:00$/ }).click();
  await page.waitForURL(/visit_id=\d+/);
  await checkPage(page, 'the correction form');
  assert.equal(await page.getByLabel('Slut (TT:MM)').inputValue(), '10:45');
  await page.getByLabel('Slut (TT:MM)').fill('11:00');
  await page.getByLabel('Skäl till rättelsen').fill('Besöket blev längre');
  await page.getByRole('button', { name: 'Spara rättelsen' }).click();
  await page.getByText('Besöket är sparat.').waitFor();
  await page.getByText('Ersatt av rättelse').waitFor();

  const token = await tokenOf('utforare');
  const r = await fetch(`${base}/api/v1/visits?month=${y.slice(0, 7)}&person_id=${person}`,
    { headers: { authorization: `Bearer ${token}` } });
  const items = (await r.json()).items.filter((v) => v.day === y);
  const orig = items.find((v) => v.source === 'manual');
  const corr = items.find((v) => v.source === 'correction');
  assert.equal(orig.state, 'superseded');
  assert.equal(orig.reason, 'Telefonen var trasig');
  assert.equal(corr.state, 'done');
  assert.equal(corr.performed_minutes, 60);
  assert.equal(corr.reason, 'Besöket blev längre');
  await context.close();
});
