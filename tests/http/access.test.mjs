// Who may see whom: tenant isolation (404, never 403), provider staff, the citizen's own
// record, the representative's ward, and requests without a valid login.
import { after, before, test } from 'node:test';

import { assert, assertProblem, nextPnr, shutdownTest, startServer } from './harness.mjs';

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

// The problem members that must not tell "exists elsewhere" from "does not exist".
const shape = (r) => ({ status: r.status, type: r.json?.type, title: r.json?.title,
	detail: r.json?.detail, errors: r.json?.errors });

test('a user of tenant other gets 404 (not 403) for a demo person', async () => {
	const r = await s.as('h2', 'GET', '/api/v1/persons/5');
	assertProblem(r, 404);
	const none = await s.as('h2', 'GET', '/api/v1/persons/999999');
	assert.deepEqual(shape(r), shape(none), 'the same answer as for no person at all');
});

test('a user of tenant other cannot change a demo person: 404 for PATCH, relatives, '
	+ 'representatives', async () => {
	const before = await s.as('handlaggare', 'GET', '/api/v1/persons/6');
	const patch = await s.as('h2', 'PATCH', '/api/v1/persons/6', {
		json: { version: before.json.version, given_name: 'Inkräktare' },
	});
	assertProblem(patch, 404);
	assertProblem(await s.as('h2', 'POST', '/api/v1/persons/6/relatives', {
		json: { name: 'X', relation: 'granne' },
	}), 404);
	assertProblem(await s.as('h2', 'POST', '/api/v1/persons/6/representatives', {
		json: { kind: 'fullmakt', name: 'X', scope: 'allt', valid_from: '2024-01-01' },
	}), 404);
	const after = await s.as('handlaggare', 'GET', '/api/v1/persons/6');
	assert.equal(after.json.given_name, before.json.given_name);
	assert.equal(after.json.version, before.json.version);
	assert.deepEqual(after.json.relatives, before.json.relatives);
	assert.deepEqual(after.json.representatives, before.json.representatives);
});

test('a user of tenant other does not find demo persons by search', async () => {
	const demo = await s.as('handlaggare', 'GET', '/api/v1/persons/7');
	const r = await s.as('h2', 'GET', `/api/v1/persons?q=${demo.json.personnummer}`);
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.items, []);
	const byName = await s.as('h2', 'GET', `/api/v1/persons?q=${encodeURIComponent(demo.json.family_name)}`);
	assert.equal(byName.status, 200);
	assert.deepEqual(byName.json.items, []);
});

test('a demo user gets 404 for a person of tenant other', async () => {
	const r = await s.as('h2', 'POST', '/api/v1/persons', {
		json: { personnummer: nextPnr().twelve, given_name: 'Annan', family_name: 'Kommunsson' },
	});
	assert.equal(r.status, 201, r.text);
	assert.equal((await s.as('h2', 'GET', `/api/v1/persons/${r.json.id}`)).status, 200);
	assertProblem(await s.as('handlaggare', 'GET', `/api/v1/persons/${r.json.id}`), 404);
	assertProblem(await s.as('admin', 'GET', `/api/v1/persons/${r.json.id}`), 404);
});

test('provider staff: 403 on search, 404 on a person without an order', async () => {
	const search = await s.as('personal', 'GET', '/api/v1/persons?q=an');
	assertProblem(search, 403);
	const get = await s.as('personal', 'GET', '/api/v1/persons/5');
	assertProblem(get, 404);
	const none = await s.as('personal', 'GET', '/api/v1/persons/999999');
	assert.deepEqual(shape(get), shape(none));
	assertProblem(await s.as('utforare', 'GET', '/api/v1/persons?q=an'), 403);
	assertProblem(await s.as('utforare', 'GET', '/api/v1/persons/5'), 404);
	assertProblem(await s.as('personal', 'PATCH', '/api/v1/persons/5', {
		json: { version: 1, given_name: 'X' },
	}), 403);
});

test('citizen: reads person 1 (themself), 404 for person 2', async () => {
	const own = await s.as('medborgare', 'GET', '/api/v1/persons/1');
	assert.equal(own.status, 200, own.text);
	assert.equal(own.json.id, 1);
	const other = await s.as('medborgare', 'GET', '/api/v1/persons/2');
	assertProblem(other, 404);
	assertProblem(await s.as('medborgare', 'GET', '/api/v1/persons/3'), 404);
});

test('citizen: cannot search and cannot write, not even their own record', async () => {
	assertProblem(await s.as('medborgare', 'GET', '/api/v1/persons?q=an'), 403);
	assertProblem(await s.as('medborgare', 'PATCH', '/api/v1/persons/1', {
		json: { version: 1, phone: '070-000 00 00' },
	}), 403);
	assertProblem(await s.as('medborgare', 'POST', '/api/v1/persons/1/relatives', {
		json: { name: 'X', relation: 'syster' },
	}), 403);
});

test('representative: reads person 3 (the ward), 404 for person 4', async () => {
	const ward = await s.as('godman', 'GET', '/api/v1/persons/3');
	assert.equal(ward.status, 200, ward.text);
	assert.equal(ward.json.id, 3);
	assert.ok(ward.json.representatives.some((r) => r.rep_person_id === 2 && r.kind === 'god_man'),
		'the mandate shows on the ward');
	assertProblem(await s.as('godman', 'GET', '/api/v1/persons/4'), 404);
	assertProblem(await s.as('godman', 'GET', '/api/v1/persons/1'), 404);
	assertProblem(await s.as('godman', 'GET', '/api/v1/persons?q=an'), 403);
});

test('staff roles read any person of their tenant', async () => {
	for (const u of ['handlaggare', 'admin', 'chef', 'avgift']) {
		const r = await s.as(u, 'GET', '/api/v1/persons/10');
		assert.equal(r.status, 200, `${u}: ${r.text}`);
	}
	for (const u of ['ekonom', 'revisor']) {
		assertProblem(await s.as(u, 'GET', '/api/v1/persons/10'), 403);
		assertProblem(await s.as(u, 'GET', '/api/v1/persons?q=an'), 403);
	}
});

test('no token: 401 with WWW-Authenticate on every API route that needs a login', async () => {
	const routes = [
		['GET', '/api/v1/me'],
		['DELETE', '/api/v1/sessions/current'],
		['GET', '/api/v1/persons?q=an'],
		['GET', '/api/v1/persons/1'],
		['PATCH', '/api/v1/persons/1'],
		['POST', '/api/v1/persons'],
		['POST', '/api/v1/persons/1/relatives'],
		['POST', '/api/v1/persons/1/representatives'],
		['GET', '/api/v1/audit?person_id=1'],
	];
	for (const [m, p] of routes) {
		const r = await s.request(m, p, m === 'GET' || m === 'DELETE' ? {} : { json: {} });
		assertProblem(r, 401);
		assert.match(r.headers.get('www-authenticate') || '', /^Bearer\b/, `${m} ${p}`);
	}
});

test('a garbage token is 401 on person routes', async () => {
	const token = 'deadbeef'.repeat(8);
	assertProblem(await s.get('/api/v1/persons/1', { token }), 401);
	assertProblem(await s.get('/api/v1/persons?q=an', { token }), 401);
	assertProblem(await s.request('PATCH', '/api/v1/persons/1', { token, json: { version: 1 } }),
		401);
});

shutdownTest(test, () => s);
