// Browser test of the offline queue of time reports (issue 5, src/web/static/visits-queue.js)
// in Chromium: reports made without network stay queued in IndexedDB, go out in the order
// they were made once the network returns, keep their Idempotency-Key on every retry (a lost
// answer included), wait after a 5xx, and a refusal leaves the queue for "failed". The
// network is played by Playwright's request routing; the end-to-end test with the phone page
// and the server's visits API follows when those exist.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { setup } from './harness.mjs';

const h = setup({ prefix: 'visits', persons: 20 });
let base, browser;
before(async () => {
  await h.ready;
  ({ base, browser } = h);
});

test('queued reports survive no network, go out in order once, with stable keys', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Any page of the origin will do: the queue is plain script, loaded as the page loads it.
  await page.goto(base + '/login');
  await page.addScriptTag({ url: '/static/visits-queue.js' });

  let mode = 'down';
  const seen = [];     // every attempt: [mode, path, key]
  const stored = [];   // what a server would have stored: one per key
  await page.route('**/api/v1/visits/**', async (route) => {
    const req = route.request();
    const key = req.headers()['idempotency-key'];
    const path = new URL(req.url()).pathname;
    seen.push([mode, path, key, req.headers()['x-csrf-token']]);
    if (mode === 'down') return route.abort('internetdisconnected');
    if (mode === '500') return route.fulfill({ status: 500, body: '{}' });
    if (!stored.some((s) => s.key === key)) stored.push({ key, path, body: JSON.parse(req.postData()) });
    if (mode === 'lost') return route.abort('connectionreset');
    if (mode === 'reject') {
      return route.fulfill({ status: 422, contentType: 'application/problem+json',
        body: JSON.stringify({ title: 'request breaks a rule', detail: 'besöket överlappar' }) });
    }
    return route.fulfill({ status: 201, contentType: 'application/json', body: '{"id": 1}' });
  });

  const left = (fn) => page.evaluate(fn);
  await left(() => HannaQueue.setMeta('csrf', 'token-1'));
  const keys = await left(async () => {
    const a = await HannaQueue.add('/api/v1/visits/check-in', { person_id: 7, service: 'hemtjanst', at: '2026-03-02T07:00:00Z' });
    const b = await HannaQueue.add('/api/v1/visits/check-out', { check_in_key: a, at: '2026-03-02T07:40:00Z' });
    return [a, b];
  });
  assert.match(keys[0], /^[0-9a-f-]{36}$/);
  assert.notEqual(keys[0], keys[1]);

  // No network: nothing leaves the queue, and the check-out is not tried before the check-in.
  assert.equal(await left(() => HannaQueue.flush()), 2);
  assert.deepEqual(seen.map((s) => s[1]), ['/api/v1/visits/check-in']);
  // The page is reloaded while offline: the reports are still there.
  await page.reload();
  await page.addScriptTag({ url: '/static/visits-queue.js' });
  assert.equal((await left(() => HannaQueue.queued())).length, 2);

  // A server error: still queued, tried again later with the same key.
  mode = '500';
  assert.equal(await left(() => HannaQueue.flush()), 2);
  // The answer is lost after the server stored the check-in: the retry carries the same key.
  mode = 'lost';
  assert.equal(await left(() => HannaQueue.flush()), 2);
  mode = 'up';
  assert.equal(await left(() => HannaQueue.flush()), 0);
  assert.equal((await left(() => HannaQueue.queued())).length, 0);

  const upPaths = seen.filter((s) => s[0] === 'up').map((s) => s[1]);
  assert.deepEqual(upPaths, ['/api/v1/visits/check-in', '/api/v1/visits/check-out']);
  for (const s of seen.filter((x) => x[1].endsWith('check-in'))) assert.equal(s[2], keys[0]);
  for (const s of seen.filter((x) => x[1].endsWith('check-out'))) assert.equal(s[2], keys[1]);
  assert.ok(seen.every((s) => s[3] === 'token-1'), 'every attempt carries the CSRF token');
  assert.equal(stored.length, 2, 'one stored report per key');
  assert.equal(stored[1].body.check_in_key, keys[0]);

  // A refusal is final: off the queue, kept in "failed" with the answer, and can be dismissed.
  mode = 'reject';
  await left(() => HannaQueue.add('/api/v1/visits/check-in', { person_id: 8, service: 'hemtjanst', at: '2026-03-02T08:00:00Z' }));
  assert.equal(await left(() => HannaQueue.flush()), 0);
  const failed = await left(() => HannaQueue.failed());
  assert.equal(failed.length, 1);
  assert.equal(failed[0].status, 422);
  assert.match(failed[0].answer, /överlappar/);
  await page.evaluate((seq) => HannaQueue.forget('failed', seq), failed[0].seq);
  assert.equal((await left(() => HannaQueue.failed())).length, 0);

  // Logout: nothing stays on the phone.
  await left(() => HannaQueue.setMeta('open:7:hemtjanst', { key: 'k', at: 'x' }));
  await left(() => HannaQueue.clear());
  assert.equal(await left(() => HannaQueue.getMeta('open:7:hemtjanst')), undefined);
  await context.close();
});

test('the service worker and page scripts are served for the phone page', async () => {
  const sw = await fetch(base + '/static/visits-sw.js');
  assert.equal(sw.status, 200);
  assert.match(sw.headers.get('content-type'), /^text\/javascript/);
  assert.equal(sw.headers.get('service-worker-allowed'), '/');
  assert.equal(sw.headers.get('cache-control'), 'no-cache');
  // A worker runs under its own script's policy: it must be allowed to fetch and import.
  assert.match(sw.headers.get('content-security-policy'), /default-src 'self'/);
  const page = await fetch(base + '/static/visits.js');
  assert.equal(page.status, 200);
  assert.match(page.headers.get('cache-control'), /max-age/);
  assert.equal(page.headers.get('service-worker-allowed'), null);
});
