// Health, routing, errors for unknown paths and methods, security headers, request ids and
// static files.
import { after, before, test } from 'node:test';

import { assert, assertProblem, shutdownTest, startServer } from './harness.mjs';

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

function assertSecurityHeaders(r, html) {
	const h = r.headers;
	assert.equal(h.get('x-content-type-options'), 'nosniff');
	assert.equal(h.get('x-frame-options'), 'DENY');
	const csp = h.get('content-security-policy');
	assert.ok(csp, 'Content-Security-Policy present');
	assert.match(csp, /frame-ancestors 'none'/);
	if (html)
		assert.match(csp, /default-src 'self'/);
	else
		assert.match(csp, /default-src 'none'/);
	assert.ok(h.get('referrer-policy'), 'Referrer-Policy present');
}

test('GET /healthz is 200 {"status":"ok"} without login', async () => {
	const r = await s.get('/healthz');
	assert.equal(r.status, 200);
	assert.match(r.ct, /^application\/json/);
	assert.deepEqual(r.json, { status: 'ok' });
});

test('GET /readyz is 200 {"status":"ready"} without login', async () => {
	const r = await s.get('/readyz');
	assert.equal(r.status, 200);
	assert.deepEqual(r.json, { status: 'ready' });
});

test('HEAD /healthz is 200 without a body', async () => {
	const r = await s.request('HEAD', '/healthz');
	assert.equal(r.status, 200);
	assert.equal(r.text, '');
});

test('an unknown API path is 404 problem+json', async () => {
	const r = await s.get('/api/v1/no-such-thing');
	assertProblem(r, 404);
	const r2 = await s.as('handlaggare', 'GET', '/api/v1/persons/1/no-such-thing');
	assertProblem(r2, 404);
});

test('an unknown page path is a 404 HTML page', async () => {
	const r = await s.get('/no-such-page');
	assert.equal(r.status, 404);
	assert.match(r.ct, /^text\/html/);
	assert.match(r.text, /<html/);
});

test('a non-numeric id does not match the route: 404', async () => {
	const r = await s.as('handlaggare', 'GET', '/api/v1/persons/abc');
	assertProblem(r, 404);
});

test('a wrong method on a known path is 405 problem+json', async () => {
	assertProblem(await s.request('PUT', '/api/v1/persons'), 405);
	assertProblem(await s.request('DELETE', '/healthz'), 405);
	assertProblem(await s.request('POST', '/api/v1/me'), 405);
	assertProblem(await s.request('DELETE', '/api/v1/persons/1'), 405);
	assertProblem(await s.request('GET', '/api/v1/sessions/current'), 405);
});

test('a 405 answer names the allowed methods in Allow (RFC 9110 15.5.6)', async () => {
	const r = await s.request('PUT', '/api/v1/persons');
	assert.equal(r.status, 405);
	const allow = r.headers.get('allow');
	assert.ok(allow, 'Allow header present on 405');
	const methods = allow.split(',').map((m) => m.trim()).sort();
	assert.ok(methods.includes('GET') && methods.includes('POST'), `Allow: ${allow}`);
});

test('security headers on API answers (200, 401, 404, 405)', async () => {
	for (const r of [
		await s.get('/healthz'),
		await s.get('/api/v1/me'),
		await s.get('/api/v1/nothing'),
		await s.request('PUT', '/api/v1/me'),
		await s.as('handlaggare', 'GET', '/api/v1/persons/1'),
	]) {
		assertSecurityHeaders(r, false);
		assert.equal(r.headers.get('cache-control'), 'no-store');
	}
});

test('security headers on page answers (login page, redirect, 404 page)', async () => {
	const login = await s.get('/logga-in');
	assert.equal(login.status, 200);
	assertSecurityHeaders(login, true);
	const redirect = await s.get('/');
	assert.equal(redirect.status, 303);
	assert.equal(redirect.headers.get('x-content-type-options'), 'nosniff');
	assert.ok(redirect.headers.get('content-security-policy'));
	assert.equal(redirect.headers.get('x-frame-options'), 'DENY');
	const missing = await s.get('/no-such-page');
	assertSecurityHeaders(missing, true);
});

test('X-Request-Id on every answer, distinct per request, echoed in problems', async () => {
	const answers = [
		await s.get('/healthz'),
		await s.get('/readyz'),
		await s.get('/api/v1/me'),
		await s.get('/api/v1/nothing'),
		await s.request('PUT', '/api/v1/me'),
		await s.get('/'),
		await s.get('/logga-in'),
		await s.get('/static/hanna.css'),
		await s.as('handlaggare', 'GET', '/api/v1/persons/2'),
		await s.as('handlaggare', 'POST', '/api/v1/persons', { body: '{', type: 'application/json' }),
		await s.as('handlaggare', 'POST', '/api/v1/persons', {
			body: 'x'.repeat(1100 * 1024), type: 'application/json',
		}),
	];
	const ids = new Set();
	for (const r of answers) {
		assert.match(r.requestId || '', /^[0-9a-f]{16}$/, `X-Request-Id on ${r.status}`);
		ids.add(r.requestId);
		if (r.json && r.ct.startsWith('application/problem+json'))
			assert.equal(r.json.request_id, r.requestId);
	}
	assert.equal(ids.size, answers.length, 'request ids are distinct');
});

test('GET /static/hanna.css is the style sheet, cacheable, without login', async () => {
	const r = await s.get('/static/hanna.css');
	assert.equal(r.status, 200);
	assert.match(r.ct, /^text\/css/);
	assert.ok(r.text.length > 100);
	assert.match(r.headers.get('cache-control') || '', /max-age=\d+/);
	assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
});

test('GET /static/ of an unknown file is 404', async () => {
	const r = await s.get('/static/nothing.js');
	assert.equal(r.status, 404);
	const r2 = await s.get('/static/..%2f..%2fetc%2fpasswd');
	assert.equal(r2.status, 404);
});

shutdownTest(test, () => s);
