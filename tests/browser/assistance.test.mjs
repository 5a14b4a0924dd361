// Browser walk of personal assistance (issue 5 item 4): the assistant reports a shift on the
// phone page, the citizen opens last month's time sheet from Mina sidor and signs it, and the
// employer sees the month with its sheets and warnings. The demo seeds the orders, assistants
// and some shifts of last month (src/visits/assistance_demo.c). Every page visited must pass
// axe-core at WCAG 2.1 A/AA and tidy.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { setup } from './harness.mjs';

const h = setup({ prefix: 'assistance' });
const { checkPage, navigate, login } = h;
let base, browser;

function lastMonth() {
  const [y, m] = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' }).split('-').map(Number);
  const t = y * 12 + (m - 1) - 1;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}
const LAST = lastMonth();

before(async () => {
  await h.ready;
  ({ base, browser } = h);
});

test('the assistant reports a shift on the phone page', async () => {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await login(page, 'personal');
  let r = await navigate(page, () => page.getByRole('link', { name: 'Personlig assistans' }).first().click());
  assert.equal(r.status, 200);
  await checkPage(page, 'assistant day', r.html);
  await page.getByLabel('Datum').fill(`${LAST}-20`);
  await page.getByLabel('Start').fill('09:00');
  await page.getByLabel('Slut').fill('12:30');
  r = await navigate(page, () => page.getByRole('button', { name: 'Spara passet' }).click());
  assert.equal(r.status, 200);
  await checkPage(page, 'assistant day after saving', r.html);
  assert.match(await page.locator('main').innerText(), /09:00[\s\S]*12:30/);
  // The same time again overlaps: the form comes back with the error.
  await page.getByLabel('Start').fill('10:00');
  await page.getByLabel('Slut').fill('11:00');
  r = await navigate(page, () => page.getByRole('button', { name: 'Spara passet' }).click());
  assert.equal(r.status, 422);
  await checkPage(page, 'assistant day with an error', r.html);
  assert.match(await page.locator('main').innerText(), /överlappar/);
  await context.close();
});

test('the citizen opens last month\'s sheet from Mina sidor and signs it', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'medborgare');
  let r = await navigate(page, () => page.getByRole('link', { name: 'Tidsredovisning' }).first().click());
  assert.equal(r.status, 200);
  await checkPage(page, 'time sheets on Mina sidor', r.html);
  r = await navigate(page, () => page.getByRole('link', { name: /förra månaden/ }).first().click());
  assert.equal(r.status, 200);
  await checkPage(page, 'month sheet', r.html);
  const text = await page.locator('main').innerText();
  assert.match(text, /Petra Personalsson/);
  assert.match(text, /12:30/);
  r = await navigate(page, () => page.getByRole('button', { name: 'Signera tidsredovisningen' }).click());
  assert.equal(r.status, 200);
  await checkPage(page, 'month sheet signed', r.html);
  const after = await page.locator('main').innerText();
  assert.match(after, /Assistansberättigad\)/);
  assert.match(after, /Signeras/);
  assert.equal(await page.getByRole('button', { name: 'Signera tidsredovisningen' }).count(), 0);
  await context.close();
});

test('the employer sees the month with sheets and cannot approve before all have signed', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'utforare');
  await page.goto(`${base}/assistans/manad?month=${LAST}`);
  await checkPage(page, 'employer month');
  assert.match(await page.locator('main').innerText(), /Signeras/);
  const r = await navigate(page, () => page.getByRole('button', { name: 'Godkänn och lås månaden' }).click());
  assert.equal(r.status, 422);
  await checkPage(page, 'employer month with an error', r.html);
  await context.close();
});
