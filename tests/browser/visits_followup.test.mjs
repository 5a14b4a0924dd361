// Browser test of granted versus performed for the caseworker and for finance (issue 5, item
// 6): the case view with its section "Utförd tid" and the follow-up it links to, and finance's
// page /ekonomi/utford-tid with its month picker. Every page passes axe-core and tidy.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { PASSWORD as password, setup } from './harness.mjs';

const h = setup({ prefix: 'visits-followup', persons: 300, cases: 150 });
const { checkPage, login } = h;
let base, browser;

async function api(username, path) {
  const s = await fetch(base + '/api/v1/sessions', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', username, password }),
  });
  assert.equal(s.status, 201);
  const { token } = await s.json();
  const r = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200, path);
  return r.json();
}

before(async () => {
  await h.ready;
  ({ base, browser } = h);
});

test('the case view shows "Utförd tid" and links to the month\'s follow-up', async () => {
  const customers = (await api('personal', '/api/v1/visits/customers')).items;
  assert.ok(customers.length > 0);
  const order = await api('utforare', `/api/v1/orders/${customers[0].order_id}`);
  const caseId = order.case_id ?? order.order?.case_id;
  assert.ok(caseId, JSON.stringify(order).slice(0, 200));
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'handlaggare');
  await page.goto(`${base}/arenden/${caseId}`);
  const section = page.locator('#utford-tid');
  await section.getByRole('heading', { name: 'Utförd tid' }).waitFor();
  assert.equal(await section.locator('h3').count(), 2);
  await checkPage(page, 'the case view with Utförd tid');
  await section.getByRole('link', { name: /^Uppföljningen för / }).first().click();
  await page.waitForURL(/\/besok\/uppfoljning\?month=\d{4}-\d{2}&person_id=\d+/);
  await checkPage(page, 'the follow-up of one person');
  await context.close();
});

test('finance picks a month on /ekonomi/utford-tid and sees every provider\'s orders', async () => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  const month = d.toISOString().slice(0, 7);
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'ekonom');
  await page.getByRole('link', { name: 'Utförd tid' }).click();
  await page.waitForURL(/\/ekonomi\/utford-tid/);
  await checkPage(page, 'the billing view');
  await page.getByLabel('Månad (ÅÅÅÅ-MM)').fill(month);
  await page.getByRole('button', { name: 'Visa' }).click();
  await page.waitForURL(new RegExp(`month=${month}`));
  await page.getByRole('table').waitFor();
  await page.getByRole('link', { name: `Hämta ${month} som CSV-fil (alla utförare)` }).waitFor();
  await checkPage(page, 'the billing view of last month');
  await context.close();
});
