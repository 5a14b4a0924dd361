// Browser test of the web shell (issue 2): a caseworker logs in, searches a person and opens
// the person page; an auditor opens the audit view. Every page visited must pass axe-core at
// WCAG 2.1 A/AA and tidy's HTML check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const here = dirname(fileURLToPath(import.meta.url));
const bin = process.env.HANNA_BIN;
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
  dir = mkdtempSync(join(tmpdir(), 'hanna-browser-'));
  const db = 'sqlite:' + join(dir, 'b.db');
  execFileSync(bin, ['demo', '--db', db, '--persons', '300'],
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

/* tidy: the HTML as served must have no errors or warnings. */
async function checkValidHtml(page, what) {
  const html = await page.evaluate(async () => (await fetch(location.href, { credentials: 'same-origin' })).text());
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

async function checkPage(page, what) {
  await checkAccessible(page, what);
  await checkValidHtml(page, what);
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
