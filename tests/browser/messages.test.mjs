// Browser walk of secure messages (issue 4 item 5): the caseworker writes to the citizen from
// the case view; the citizen sees the notification on the start page, opens the thread from
// the inbox and replies; the caseworker sees the reply and that the first message was read.
// Every page visited, error states included, must pass axe-core at WCAG 2.1 A/AA and tidy.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { PASSWORD as password, setup } from './harness.mjs';

const h = setup({ prefix: 'messages' });
const { checkPage, navigate, login } = h;
let base, browser;
const walk = {};

before(async () => {
  await h.ready;
  ({ base, browser } = h);
  // The citizen's online application, through the API.
  const s = await fetch(base + '/api/v1/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'demo', username: 'medborgare', password }),
  });
  assert.equal(s.status, 201);
  const { token } = await s.json();
  const c = await fetch(base + '/api/v1/cases', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ person_id: 1, requests: [{ service: 'trygghetslarm', description: 'Larm' }] }),
  });
  assert.equal(c.status, 201);
  walk.caseId = (await c.json()).id;
});

test('the caseworker sends a message from the case view', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'handlaggare');
  let r = await navigate(page, () => page.goto(`${base}/arenden/${walk.caseId}`));
  assert.equal(r.status, 200);
  r = await navigate(page, () => page.getByRole('link', { name: 'Nytt meddelande' }).click());
  assert.equal(r.status, 200);
  await checkPage(page, 'new message form', r.html);

  // No text: the form again with the error.
  await page.getByLabel('Ämne').fill('Hembesök');
  r = await navigate(page, () => page.getByRole('button', { name: 'Skicka meddelandet' }).click());
  assert.equal(r.status, 400);
  assert.match(await page.locator('.error-summary').innerText(), /skriv ett meddelande/);
  await checkPage(page, 'new message form with errors', r.html);

  await page.getByLabel('Meddelande', { exact: true }).fill('Hej!\nKan vi ses på tisdag klockan 10?');
  assert.ok(await page.getByLabel('Den enskilde och företrädare').isChecked());
  r = await navigate(page, () => page.getByRole('button', { name: 'Skicka meddelandet' }).click());
  assert.equal(r.status, 200);
  assert.match(page.url(), /\/meddelanden\/\d+$/);
  walk.thread = page.url();
  await checkPage(page, 'thread after sending');
  assert.match(await page.locator('main').innerText(), /Inte läst ännu/);
  await context.close();
});

test('the citizen sees the notification, opens the thread and replies', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'medborgare');
  await checkPage(page, 'citizen start page with a notification');
  const notice = page.getByRole('status');
  assert.match(await notice.innerText(), /1 oläst meddelande/);

  let r = await navigate(page, () => notice.getByRole('link').click());
  assert.equal(r.status, 200);
  await checkPage(page, 'inbox', r.html);
  assert.match(await page.locator('table').innerText(), /1 oläst/);

  r = await navigate(page, () => page.getByRole('link', { name: 'Hembesök' }).click());
  assert.equal(r.status, 200);
  await checkPage(page, 'thread', r.html);
  assert.match(await page.locator('main').innerText(), /Kan vi ses på tisdag klockan 10\?/);

  r = await navigate(page, () => page.getByRole('button', { name: 'Skicka svaret' }).click());
  assert.equal(r.status, 400);
  await checkPage(page, 'thread with an empty reply', r.html);

  await page.getByLabel('Ditt svar').fill('Tisdag passar bra.');
  r = await navigate(page, () => page.getByRole('button', { name: 'Skicka svaret' }).click());
  assert.equal(r.status, 200);
  assert.match(await page.locator('main').innerText(), /Tisdag passar bra\./);

  r = await navigate(page, () => page.goto(base + '/'));
  assert.equal(await page.getByRole('status').count(), 0, 'no unread messages left');
  await context.close();
});

test('the caseworker sees the reply and the read receipt', async () => {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'handlaggare');
  assert.match(await page.getByRole('status').innerText(), /1 oläst meddelande/);
  const r = await navigate(page, () => page.goto(walk.thread));
  assert.equal(r.status, 200);
  await checkPage(page, 'thread with the reply', r.html);
  const text = await page.locator('main').innerText();
  assert.match(text, /Tisdag passar bra\./);
  assert.match(text, /Läst av Den enskilde/);
  await context.close();
});
