// Browser test of the web shell (issue 2): a caseworker logs in, searches a person and opens
// the person page; an auditor opens the audit view. Every page visited must pass axe-core at
// WCAG 2.1 A/AA and tidy's HTML check.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { setup } from './harness.mjs';

const h = setup({ prefix: 'shell' });
const { checkPage, login } = h;
let base, browser;
before(async () => {
  await h.ready;
  ({ base, browser } = h);
});

test('caseworker logs in, searches a person and opens the person page', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'handlaggare');
  await checkPage(page, 'start page');
  assert.match(await page.locator('h1').innerText(), /.+/);

  await page.getByRole('link', { name: /sök person/i }).first().click();
  await checkPage(page, 'search page');
  const box = page.getByLabel(/namn eller personnummer/i);
  await box.fill('an');
  await box.press('Enter');
  await page.waitForURL(/\/personer\?q=an/);
  const rows = page.locator('table tbody tr');
  assert.ok(await rows.count() > 0, 'search gives hits');
  await checkPage(page, 'search results');

  const link = rows.first().locator('a').first();
  const name = (await link.innerText()).trim();
  await link.click();
  await page.waitForURL(/\/personer\/\d+$/);
  assert.equal((await page.locator('h1').innerText()).trim().includes(name.split(',')[0].trim().split(' ')[0]), true,
    'the person page is about the person clicked');
  await checkPage(page, 'person page');
  await context.close();
});

test('a person with a god man shows the representative', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'handlaggare');
  await page.goto(base + '/personer/3');
  const text = await page.locator('main').innerText();
  assert.match(text, /God man/);
  await context.close();
});

test('auditor sees who read the person', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'revisor');
  await page.goto(base + '/granskning?person_id=3');
  await checkPage(page, 'audit view');
  const text = await page.locator('main').innerText();
  assert.match(text, /handlaggare/);
  await context.close();
});

test('provider staff cannot reach person search', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'personal');
  const resp = await page.goto(base + '/personer?q=an');
  assert.equal(resp.status(), 403);
  await checkPage(page, 'forbidden page');
  await context.close();
});
