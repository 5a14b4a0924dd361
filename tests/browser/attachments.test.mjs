// Browser test of attachments and templates (issue 3): the citizen applies with a file chosen
// in the form, then sends another from Mina sidor; the administrator makes a new investigation
// template from an existing one, first with a mistake. Every page passes axe-core and tidy.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { setup } from './harness.mjs';

const h = setup({ prefix: 'attach' });
const { checkPage, login } = h;
let base, browser;
before(async () => {
  await h.ready;
  ({ base, browser } = h);
});

const pdf = Buffer.from('%PDF-1.4\n% intyg\n%%EOF\n');

test('the citizen applies with a file and adds another from Mina sidor', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'medborgare');
  await page.goto(base + '/ansok');
  await checkPage(page, 'application form with a file field');
  await page.getByLabel('Trygghetslarm').check();
  await page.getByLabel(/^Bilaga/).setInputFiles({ name: 'Läkarintyg.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.getByRole('button', { name: 'Skicka ansökan' }).click();
  await page.getByRole('heading', { name: 'Ansökan är skickad' }).waitFor();
  assert.match(await page.locator('main').innerText(), /Läkarintyg\.pdf/);
  await checkPage(page, 'receipt with the attachment');

  await page.getByRole('link', { name: 'Till Mina sidor' }).click();
  const card = page.locator('section.case-card').filter({ hasText: 'Läkarintyg.pdf' });
  assert.equal(await card.count(), 1);
  await card.getByLabel('Välj fil').setInputFiles({ name: 'recept.txt', mimeType: 'text/plain', buffer: Buffer.from('Recept\n') });
  await card.getByRole('button', { name: /Skicka bilagan/ }).click();
  await page.waitForURL(/\/mina-sidor#arende-\d+$/);
  assert.match(await card.innerText(), /recept\.txt/);
  await checkPage(page, 'Mina sidor with attachments');

  // Sending without a file shows the error at that case's form.
  await card.getByRole('button', { name: /Skicka bilagan/ }).click();
  await page.locator('.error-summary').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /välj en fil/i);
  await checkPage(page, 'Mina sidor with an attachment error');
  await context.close();
});

test('the administrator makes a new template from an existing one', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'admin');
  await page.getByRole('link', { name: 'Utredningsmallar' }).first().click();
  await checkPage(page, 'templates page');
  await page.getByRole('link', { name: /Ny mall utifrån denna/ }).first().click();
  await page.getByLabel('Kod').fill('Ny mall!');
  await page.getByRole('button', { name: 'Spara mallen' }).click();
  await page.locator('.error-summary').waitFor();
  await checkPage(page, 'templates page with an error');
  await page.getByLabel('Kod').fill('ny_mall_2027');
  await page.getByLabel('Namn', { exact: true }).fill('Ny mall 2027');
  await page.getByRole('button', { name: 'Spara mallen' }).click();
  await page.getByRole('heading', { name: /Ny mall 2027/ }).waitFor();
  await context.close();
});
