// Browser walk of the manager's pages (issue 3 item 9): the unit manager `chef` logs in, finds
// the section "Chefens översikt" on the start page and opens each page: the cases referred to
// the unit manager, the quarter's unexecuted decisions (also with bad input), lead times, the
// delegated decisions for the board and the delegation order. The demo history gives the
// reports their rows; one case is referred upwards through the API first. Every page must pass
// axe-core at WCAG 2.1 A/AA and tidy's check of the HTML as the server sent it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const bin = process.env.HANNA_BIN;
const shots = process.env.HANNA_SCREENSHOTS || '';
const password = 'browser-password-1';
let dir, server, base, browser;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

async function waitHealthy(url) {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url + '/healthz')).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy');
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hanna-browser-manager-'));
  const db = 'sqlite:' + join(dir, 'b.db');
  execFileSync(bin, ['demo', '--db', db, '--persons', '300', '--cases', '150'],
    { env: { ...process.env, HANNA_DEMO_PASSWORD: password }, stdio: 'ignore' });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'ignore'] });
  await waitHealthy(base);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  if (shots) mkdirSync(shots, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    const done = new Promise((r) => server.on('exit', r));
    server.kill('SIGTERM');
    await done;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/* axe-core at WCAG 2.1 A and AA; fails with the list of violations. */
async function checkAccessible(page, what) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const v = result.violations.map((x) => `${x.id}: ${x.help} (${x.nodes.length}) ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(v, [], `${what}: accessibility violations`);
}

/* tidy: the HTML as served must have no errors or warnings. html is the body of the response
 * that showed the page (an answer to a POST cannot be fetched again); without it the page is
 * fetched again by GET. */
async function checkValidHtml(page, what, html) {
  if (html === undefined)
    html = await page.evaluate(async () => (await fetch(location.href, { credentials: 'same-origin' })).text());
  const f = join(dir, 'page.html');
  writeFileSync(f, html);
  let out = '';
  try {
    execFileSync('tidy', ['-q', '-e', '--drop-empty-elements', 'no', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    out = (e.stderr || '') + (e.stdout || '');
  }
  assert.equal(out.trim(), '', `${what}: tidy reports problems`);
}

async function checkPage(page, what, html) {
  await checkAccessible(page, what);
  await checkValidHtml(page, what, html);
}

/* Runs action (a click that submits or follows a link) and returns the final response of the
 * navigation it causes: its status, and its body for tidy. */
async function navigate(page, action) {
  const [resp] = await Promise.all([page.waitForNavigation(), action()]);
  assert.ok(resp, 'a navigation');
  return { status: resp.status(), html: await resp.text() };
}

async function login(page, username) {
  await page.goto(base + '/');
  assert.match(page.url(), /\/logga-in$/);
  await checkPage(page, 'login page');
  await page.getByLabel('Användarnamn').fill(username);
  await page.getByLabel('Lösenord').fill(password);
  await page.getByRole('button', { name: /logga in/i }).click();
  await page.waitForURL(base + '/');
}


const addDays = (iso, n) => {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

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
