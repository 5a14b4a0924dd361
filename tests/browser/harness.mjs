// What every browser test file shares: a seeded demo database and `hanna serve` on a free
// loopback port, Debian's Chromium through playwright-core, and the page checks every page
// must pass — axe-core at WCAG 2.1 A/AA and tidy on the HTML as the server sent it.
//
//   const h = setup({ prefix: 'cases', cases: 150 });   // registers before/after hooks
//   ... h.base, h.browser, h.dir (set before the first test), h.checkPage(page, what, html),
//   h.login(page, username), h.navigate(page, action), addDays(iso, n), PASSWORD
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const PASSWORD = 'browser-password-1';

export const addDays = (iso, n) => {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

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

// Registers the hooks that start and stop the server and the browser for one test file.
// opts: prefix (temp dir name), persons (default 300), cases (default 0).
export function setup(opts = {}) {
  const h = { base: '', browser: null, dir: '', server: null };
  const bin = process.env.HANNA_BIN;
  let ready;
  // Resolved once the server and the browser are up; a file's own hooks await it.
  h.ready = new Promise((resolve, reject) => { ready = { resolve, reject }; });
  h.ready.catch(() => {});

  before(async () => {
    try {
      h.dir = mkdtempSync(join(tmpdir(), `hanna-browser-${opts.prefix || 'x'}-`));
      const db = 'sqlite:' + join(h.dir, 'b.db');
      execFileSync(bin, ['demo', '--db', db, '--persons', String(opts.persons || 300),
        '--cases', String(opts.cases || 0)],
      { env: { ...process.env, HANNA_DEMO_PASSWORD: PASSWORD }, stdio: 'ignore' });
      const port = await freePort();
      h.base = `http://127.0.0.1:${port}`;
      h.server = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`],
        { stdio: ['ignore', 'ignore', 'ignore'] });
      await waitHealthy(h.base);
      h.browser = await chromium.launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      ready.resolve();
    } catch (e) {
      ready.reject(e);
      throw e;
    }
  });

  after(async () => {
    if (h.browser) await h.browser.close();
    if (h.server) {
      const done = new Promise((r) => h.server.on('exit', r));
      h.server.kill('SIGTERM');
      await done;
    }
    if (h.dir) rmSync(h.dir, { recursive: true, force: true });
  });

  /* axe-core at WCAG 2.1 A and AA; fails with the list of violations. */
  h.checkAccessible = async (page, what) => {
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () =>
      // eslint-disable-next-line no-undef
      await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    const v = result.violations.map((x) => `${x.id}: ${x.help} (${x.nodes.length}) ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    assert.deepEqual(v, [], `${what}: accessibility violations`);
  };

  /* tidy: the HTML as served must have no errors or warnings. html is the body of the
   * response that showed the page (an answer to a POST cannot be fetched again); without it
   * the page is fetched again by GET. */
  h.checkValidHtml = async (page, what, html) => {
    if (html === undefined)
      html = await page.evaluate(async () => (await fetch(location.href, { credentials: 'same-origin' })).text());
    const f = join(h.dir, 'page.html');
    writeFileSync(f, html);
    let out = '';
    try {
      execFileSync('tidy', ['-q', '-e', '--drop-empty-elements', 'no', f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      out = (e.stderr || '') + (e.stdout || '');
    }
    assert.equal(out.trim(), '', `${what}: tidy reports problems`);
  };

  h.checkPage = async (page, what, html) => {
    await h.checkAccessible(page, what);
    await h.checkValidHtml(page, what, html);
  };

  /* Runs action (a click that submits or follows a link) and returns the final response of
   * the navigation it causes: its status, and its body for tidy. */
  h.navigate = async (page, action) => {
    const [resp] = await Promise.all([page.waitForNavigation(), action()]);
    assert.ok(resp, 'a navigation');
    return { status: resp.status(), html: await resp.text() };
  };

  h.login = async (page, username) => {
    await page.goto(h.base + '/');
    assert.match(page.url(), /\/logga-in$/);
    await h.checkPage(page, 'login page');
    await page.getByLabel('Användarnamn').fill(username);
    await page.getByLabel('Lösenord').fill(PASSWORD);
    await page.getByRole('button', { name: /logga in/i }).click();
    await page.waitForURL(h.base + '/');
  };

  return h;
}
