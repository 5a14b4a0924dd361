// The audit log: every read and write of a person's data leaves exactly one record, carrying
// who, in which role, what, and the request id; the auditor's own route and its limits.
import { after, before, test } from 'node:test';

import {
	assert, assertProblem, badCheckDigit, nextPnr, shutdownTest, startServer, uniqueName,
} from './harness.mjs';

const R2_PASSWORD = 'other-auditor-1';

let s;
before(async () => {
	s = await startServer({
		users: [{ tenant: 'other', username: 'r2', role: 'auditor', password: R2_PASSWORD }],
	});
});
after(async () => {
	await s?.cleanup();
});

// Runs fn and returns [its answer, the audit records about personId it added].
async function audited(personId, fn) {
	const before = await s.auditOf(personId);
	const r = await fn();
	const after = await s.auditOf(personId);
	const old = new Set(before.map((a) => a.id));
	return [r, after.filter((a) => !old.has(a.id)), before.length, after.length];
}

function assertRecord(rec, r, { username, role, action, entity, personId }) {
	assert.ok(rec, 'an audit record');
	assert.equal(rec.username, username);
	assert.equal(rec.role, role);
	assert.equal(rec.action, action);
	assert.equal(rec.entity, entity);
	assert.equal(rec.person_id, personId);
	assert.ok(r.requestId, 'the answer has X-Request-Id');
	assert.equal(rec.request_id, r.requestId, 'request_id equals the X-Request-Id header');
	assert.ok(Number.isInteger(rec.id));
	assert.ok(Number.isInteger(rec.user_id));
	assert.match(rec.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
	assert.ok(Math.abs(Date.parse(rec.at) - Date.now()) < 5 * 60_000, 'recorded just now');
}

test('create leaves exactly one audit record (action create)', async () => {
	const pn = nextPnr();
	const r = await s.as('handlaggare', 'POST', '/api/v1/persons', {
		json: { personnummer: badCheckDigit(pn.twelve), given_name: 'A', family_name: 'B' },
	});
	assert.equal(r.status, 400);
	const p = await s.createPerson({ personnummer: pn.twelve });
	const recs = await s.auditOf(p.id);
	assert.equal(recs.length, 1);
	assert.equal(recs[0].action, 'create');
	assert.equal(recs[0].entity, 'person');
	assert.equal(recs[0].entity_id, p.id);
	assert.equal(recs[0].username, 'handlaggare');
	assert.equal(recs[0].role, 'caseworker');
});

test('GET of a person leaves exactly one audit record with username, role, action, '
	+ 'request_id', async () => {
	const p = await s.createPerson();
	const [r, added, n0, n1] = await audited(p.id,
		() => s.as('handlaggare', 'GET', `/api/v1/persons/${p.id}`));
	assert.equal(r.status, 200);
	assert.equal(n1, n0 + 1);
	assert.equal(added.length, 1);
	assertRecord(added[0], r, {
		username: 'handlaggare', role: 'caseworker', action: 'read', entity: 'person',
		personId: p.id,
	});
	assert.equal(added[0].entity_id, p.id);
	assert.equal(added[0].user_id, (await s.session('handlaggare')).user.id);
});

test('GET of a demo person by another role records that role', async () => {
	const [r, added] = await audited(8, () => s.as('chef', 'GET', '/api/v1/persons/8'));
	assert.equal(r.status, 200);
	assert.equal(added.length, 1);
	assertRecord(added[0], r, {
		username: 'chef', role: 'unit_manager', action: 'read', entity: 'person', personId: 8,
	});
	const [c, byCitizen] = await audited(1, () => s.as('medborgare', 'GET', '/api/v1/persons/1'));
	assert.equal(c.status, 200);
	assert.equal(byCitizen.length, 1);
	assertRecord(byCitizen[0], c, {
		username: 'medborgare', role: 'citizen', action: 'read', entity: 'person', personId: 1,
	});
});

test('PATCH leaves exactly one audit record (action update)', async () => {
	const p = await s.createPerson();
	const [r, added, n0, n1] = await audited(p.id, () => s.as('handlaggare', 'PATCH',
		`/api/v1/persons/${p.id}`, { json: { version: p.version, phone: '070-765 43 21' } }));
	assert.equal(r.status, 200, r.text);
	assert.equal(n1, n0 + 1);
	assert.equal(added.length, 1);
	assertRecord(added[0], r, {
		username: 'handlaggare', role: 'caseworker', action: 'update', entity: 'person',
		personId: p.id,
	});
});

test('POST relatives leaves exactly one audit record', async () => {
	const p = await s.createPerson();
	const [r, added, n0, n1] = await audited(p.id, () => s.as('admin', 'POST',
		`/api/v1/persons/${p.id}/relatives`, { json: { name: 'Rut Relativ', relation: 'syster' } }));
	assert.equal(r.status, 201, r.text);
	assert.equal(n1, n0 + 1);
	assert.equal(added.length, 1);
	assertRecord(added[0], r, {
		username: 'admin', role: 'admin', action: 'create', entity: 'relative', personId: p.id,
	});
	assert.equal(added[0].entity_id, r.json.id);
});

test('POST representatives leaves exactly one audit record', async () => {
	const p = await s.createPerson();
	const [r, added, n0, n1] = await audited(p.id, () => s.as('handlaggare', 'POST',
		`/api/v1/persons/${p.id}/representatives`, {
			json: { kind: 'fullmakt', name: 'Olle Ombud', scope: 'kontakter', valid_from: '2025-01-01' },
		}));
	assert.equal(r.status, 201, r.text);
	assert.equal(n1, n0 + 1);
	assert.equal(added.length, 1);
	assertRecord(added[0], r, {
		username: 'handlaggare', role: 'caseworker', action: 'create', entity: 'representative',
		personId: p.id,
	});
	assert.equal(added[0].entity_id, r.json.id);
});

test('refused requests leave no record about the person', async () => {
	const p = await s.createPerson();
	const [, added] = await audited(p.id, async () => {
		await s.as('h2', 'GET', `/api/v1/persons/${p.id}`); // other tenant: 404
		await s.as('medborgare', 'GET', `/api/v1/persons/${p.id}`); // not theirs: 404
		await s.as('handlaggare', 'PATCH', `/api/v1/persons/${p.id}`, {
			json: { version: 99, given_name: 'Stale' },
		}); // 409
		await s.as('handlaggare', 'PATCH', `/api/v1/persons/${p.id}`, {
			json: { version: 1, given_name: '' },
		}); // 400
	});
	assert.deepEqual(added, []);
});

test('search leaves one record per listed person, and none for others', async () => {
	const family = uniqueName('Audit');
	const listed = [];
	for (let i = 0; i < 3; i++)
		listed.push(await s.createPerson({ family_name: family, given_name: `Sök${i}` }));
	const outsider = await s.createPerson({ family_name: uniqueName('Utanför') });
	const before = new Map();
	for (const p of [...listed, outsider])
		before.set(p.id, (await s.auditOf(p.id)).length);
	const r = await s.as('handlaggare', 'GET', `/api/v1/persons?q=${family}`);
	assert.equal(r.status, 200);
	assert.deepEqual(r.json.items.map((x) => x.id).sort((a, b) => a - b), listed.map((p) => p.id));
	for (const p of listed) {
		const recs = await s.auditOf(p.id);
		assert.equal(recs.length, before.get(p.id) + 1, `person ${p.id}`);
		assertRecord(recs[0], r, {
			username: 'handlaggare', role: 'caseworker', action: 'search', entity: 'person',
			personId: p.id,
		});
	}
	assert.equal((await s.auditOf(outsider.id)).length, before.get(outsider.id));
});

test('search of a page of 5 leaves 5 records with the same request id', async () => {
	const r = await s.as('handlaggare', 'GET', '/api/v1/persons?q=an&limit=5');
	assert.equal(r.json.items.length, 5);
	for (const p of r.json.items) {
		const recs = await s.auditOf(p.id);
		const mine = recs.filter((a) => a.request_id === r.requestId);
		assert.equal(mine.length, 1, `person ${p.id}`);
		assert.equal(mine[0].action, 'search');
	}
});

test('the auditor\'s own reads do not show in the person\'s list', async () => {
	const p = await s.createPerson();
	const a = await s.auditOf(p.id);
	const b = await s.auditOf(p.id);
	const c = await s.auditOf(p.id);
	assert.equal(a.length, 1);
	assert.deepEqual(b, a);
	assert.deepEqual(c, a);
});

test('audit list: newest first, paginated with limit and cursor', async () => {
	const p = await s.createPerson();
	for (let i = 0; i < 4; i++)
		assert.equal((await s.as('handlaggare', 'GET', `/api/v1/persons/${p.id}`)).status, 200);
	const token = await s.token('revisor');
	const all = await s.get(`/api/v1/audit?person_id=${p.id}`, { token });
	assert.equal(all.status, 200);
	assert.equal(all.json.items.length, 5);
	assert.equal(all.json.next_cursor, null);
	const ids = all.json.items.map((x) => x.id);
	assert.deepEqual(ids, [...ids].sort((x, y) => y - x), 'newest first');
	assert.equal(all.json.items[4].action, 'create');
	const first = await s.get(`/api/v1/audit?person_id=${p.id}&limit=2`, { token });
	assert.equal(first.json.items.length, 2);
	assert.equal(typeof first.json.next_cursor, 'string');
	const second = await s.get(
		`/api/v1/audit?person_id=${p.id}&limit=2&cursor=${first.json.next_cursor}`, { token });
	assert.equal(second.status, 200, second.text);
	assert.deepEqual(second.json.items.map((x) => x.id), ids.slice(2, 4));
});

test('audit list of a person without records is empty', async () => {
	const r = await s.as('revisor', 'GET', '/api/v1/audit?person_id=987654');
	assert.equal(r.status, 200);
	assert.deepEqual(r.json, { items: [], next_cursor: null });
});

test('GET /api/v1/audit without person_id is 400 naming person_id', async () => {
	const token = await s.token('revisor');
	assertProblem(await s.get('/api/v1/audit', { token }), 400, 'person_id');
	for (const v of ['', 'abc', '0', '-3', '1.5'])
		assertProblem(await s.get(`/api/v1/audit?person_id=${v}`, { token }), 400, 'person_id');
	assertProblem(await s.get('/api/v1/audit?person_id=1&limit=0', { token }), 400, 'limit');
	assertProblem(await s.get('/api/v1/audit?person_id=1&limit=501', { token }), 400, 'limit');
});

test('GET /api/v1/audit as caseworker (or any non-auditor) is 403', async () => {
	for (const u of ['handlaggare', 'admin', 'chef', 'medborgare', 'personal'])
		assertProblem(await s.as(u, 'GET', '/api/v1/audit?person_id=1'), 403);
});

test('an auditor of tenant other sees nothing of demo\'s log', async () => {
	assert.equal((await s.as('handlaggare', 'GET', '/api/v1/persons/9')).status, 200);
	assert.ok((await s.auditOf(9)).length >= 1);
	const { token } = await s.session('r2', R2_PASSWORD, 'other');
	const r = await s.get('/api/v1/audit?person_id=9', { token });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.items, []);
});

shutdownTest(test, () => s);
