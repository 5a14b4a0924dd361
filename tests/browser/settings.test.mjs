// Browser test of the administrator's settings page /admin/installningar (issue 5): the
// compensation rule for bomtid, reached from the navigation, changed by the form, with a field
// error for a cap out of range; every page state passes axe-core (WCAG 2.1 A/AA) and tidy.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { setup } from './harness.mjs';

const h = setup({ prefix: 'settings', persons: 20 });
let base, browser;
before(async () => {
  await h.ready;
  ({ base, browser } = h);
});

test('the administrator changes the bomtid rule on /admin/installningar', async () => {
  const ctx = await browser.newContext({ bypassCSP: true });
  const page = await ctx.newPage();
  await h.login(page, 'admin');
  let r = await h.navigate(page, () => page.getByRole('link', { name: 'Inställningar' }).first().click());
  assert.equal(r.status, 200);
  assert.match(page.url(), /\/admin\/installningar$/);
  await h.checkPage(page, 'settings', r.html);
  const paid = page.getByLabel('Utföraren får ersättning för bomtid');
  const max = page.getByLabel(/Högsta ersättning per besök/);
  assert.equal(await paid.isChecked(), true);
  assert.equal(await max.inputValue(), '60');

  await max.fill('500');
  r = await h.navigate(page, () => page.getByRole('button', { name: 'Spara' }).click());
  assert.equal(r.status, 400);
  await h.checkPage(page, 'settings with an error', r.html);
  assert.ok(await page.getByRole('alert').isVisible());
  assert.equal(await page.getByLabel(/Högsta ersättning per besök/).getAttribute('aria-invalid'), 'true');

  await page.getByLabel('Utföraren får ersättning för bomtid').uncheck();
  await page.getByLabel(/Högsta ersättning per besök/).fill('20');
  r = await h.navigate(page, () => page.getByRole('button', { name: 'Spara' }).click());
  assert.equal(r.status, 200);
  assert.match(page.url(), /\/admin\/installningar\?sparat=1$/);
  await h.checkPage(page, 'settings saved', r.html);
  assert.ok(await page.getByRole('status').isVisible());
  assert.equal(await page.getByLabel('Utföraren får ersättning för bomtid').isChecked(), false);
  assert.equal(await page.getByLabel(/Högsta ersättning per besök/).inputValue(), '20');
  await ctx.close();
});
