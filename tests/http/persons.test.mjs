// The person register over HTTP: create with number validation, request parsing (malformed,
// unknown fields, size, content type), PATCH with versions, protected identity, relatives,
// representatives, search and pagination.
import { after, before, test } from 'node:test';

import {
	assert, assertProblem, badCheckDigit, errorFields, nextPnr, pnrOf, readResponse,
	shutdownTest, startServer, uniqueName,
} from './harness.mjs';

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

const create = (json, user = 'handlaggare') => s.as(user, 'POST', '/api/v1/persons', { json });
const person = (fields = {}) => ({
	personnummer: nextPnr().twelve, given_name: 'Greta', family_name: 'Provsson', ...fields,
});

// ---- create and numbers ---------------------------------------------------------------

test('create: 201 with the person, Location and version 1', async () => {
	const pn = nextPnr();
	const r = await create({
		personnummer: pn.twelve, given_name: 'Greta', family_name: 'Provsson',
		address: { street: 'Storgatan 1', postal_code: '73130', city: 'Hannaby' },
		phone: '070-123 45 67',
	});
	assert.equal(r.status, 201, r.text);
	const p = r.json;
	assert.ok(Number.isInteger(p.id));
	assert.equal(r.headers.get('location'), `/api/v1/persons/${p.id}`);
	assert.equal(p.personnummer, pn.twelve);
	assert.equal(p.kind, 'personnummer');
	assert.equal(p.given_name, 'Greta');
	assert.equal(p.family_name, 'Provsson');
	assert.deepEqual(p.address, { street: 'Storgatan 1', postal_code: '731 30', city: 'Hannaby' });
	assert.equal(p.phone, '070-123 45 67');
	assert.equal(p.protected_identity, false);
	assert.equal(p.address_hidden, false);
	assert.equal(p.version, 1);
	assert.match(p.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
	const g = await s.as('handlaggare', 'GET', `/api/v1/persons/${p.id}`);
	assert.equal(g.status, 200);
	assert.equal(g.json.personnummer, pn.twelve);
	assert.deepEqual(g.json.relatives, []);
	assert.deepEqual(g.json.representatives, []);
});

test('create: a bad check digit is 400 with errors[0].field "personnummer"', async () => {
	const r = await create(person({ personnummer: badCheckDigit(nextPnr().twelve) }));
	assertProblem(r, 400, 'personnummer');
	const ten = await create(person({ personnummer: badCheckDigit(nextPnr().twelve).slice(2) }));
	assertProblem(ten, 400, 'personnummer');
});

test('create: an impossible date, a future date or a bad format is 400 on personnummer',
	async () => {
		// 30 February, with a right check digit for its digits.
		const feb30 = pnrOf(1990, 2, 30, 123).twelve;
		assertProblem(await create(person({ personnummer: feb30 })), 400, 'personnummer');
		const future = pnrOf(new Date().getUTCFullYear() + 1, 1, 1, 123).twelve;
		assertProblem(await create(person({ personnummer: future })), 400, 'personnummer');
		for (const bad of ['19900101', '1990-01-01-1234', 'abcdefghijkl', '', '19900101_1234'])
			assertProblem(await create(person({ personnummer: bad })), 400, 'personnummer');
	});

test('create: the same number twice is 409, in any of its forms', async () => {
	const pn = nextPnr();
	const first = await create(person({ personnummer: pn.twelve }));
	assert.equal(first.status, 201, first.text);
	const again = await create(person({ personnummer: pn.twelve, given_name: 'Annan' }));
	assertProblem(again, 409);
	assertProblem(await create(person({ personnummer: pn.tenDash })), 409);
	assertProblem(await create(person({ personnummer: pn.twelveDash })), 409);
});

test('create: the same number in another tenant is no conflict', async () => {
	const pn = nextPnr();
	assert.equal((await create(person({ personnummer: pn.twelve }))).status, 201);
	const other = await create(person({ personnummer: pn.twelve }), 'h2');
	assert.equal(other.status, 201, other.text);
	assert.equal(other.json.personnummer, pn.twelve);
});

test('create: 10- and 12-digit forms with and without separator are stored as 12 digits',
	async () => {
		for (const form of ['twelve', 'twelveDash', 'ten', 'tenDash']) {
			const pn = nextPnr();
			const r = await create(person({ personnummer: pn[form] }));
			assert.equal(r.status, 201, `${form} ${pn[form]}: ${r.text}`);
			assert.equal(r.json.personnummer, pn.twelve, form);
			assert.equal(r.json.kind, 'personnummer');
			const g = await s.as('handlaggare', 'GET', `/api/v1/persons/${r.json.id}`);
			assert.equal(g.json.personnummer, pn.twelve, `${form} stored`);
		}
	});

test('create: surrounding white space around the number is accepted', async () => {
	const pn = nextPnr();
	const r = await create(person({ personnummer: ` ${pn.twelveDash} ` }));
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.personnummer, pn.twelve);
});

test('create: a samordningsnummer (day + 60) is accepted as kind samordningsnummer', async () => {
	for (const form of ['twelve', 'tenDash']) {
		const sn = nextPnr(true);
		const r = await create(person({ personnummer: sn[form] }));
		assert.equal(r.status, 201, `${sn[form]}: ${r.text}`);
		assert.equal(r.json.kind, 'samordningsnummer');
		assert.equal(r.json.personnummer, sn.twelve);
		assert.ok(Number(sn.twelve.slice(6, 8)) > 60);
	}
	const bad = badCheckDigit(nextPnr(true).twelve);
	assertProblem(await create(person({ personnummer: bad })), 400, 'personnummer');
});

test('create: the + century sign means 100 years or older', async () => {
	const year = new Date().getUTCFullYear() - 90; // dash: this century's yy; plus: 100 earlier
	const yy = year % 100;
	const plus = pnrOf(year - 100, 3, 15, 456);
	const dash = pnrOf(year, 3, 15, 457);
	assert.equal(plus.tenPlus.slice(0, 2), String(yy).padStart(2, '0'));
	const r = await create(person({ personnummer: plus.tenPlus }));
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.personnummer, plus.twelve);
	assert.equal(r.json.personnummer.slice(0, 4), String(year - 100));
	const d = await create(person({ personnummer: dash.tenDash }));
	assert.equal(d.status, 201, d.text);
	assert.equal(d.json.personnummer.slice(0, 4), String(year));
});

test('create: + is written from the year the person turns 100 (18 § FOL), birthday or not',
	async () => {
		// Skatteverket: "Det år en person fyller 100 år byts bindestrecket ... ut mot ett
		// plustecken". So 31 December of the year 100 years ago, with +, is that year, even
		// before the birthday; a dash would have meant this century.
		const year = new Date().getUTCFullYear() - 100;
		const expected = pnrOf(year, 12, 31, 458);
		const r = await create(person({ personnummer: expected.tenPlus }));
		assert.equal(r.status, 201, r.text);
		assert.equal(r.json.personnummer, expected.twelve, expected.tenPlus);
	});

test('create: missing or empty names are 400 naming the field', async () => {
	assertProblem(await create({ personnummer: nextPnr().twelve, family_name: 'X' }), 400,
		'given_name');
	const empty = await create(person({ family_name: '   ' }));
	assertProblem(empty, 400, 'family_name');
	const badPostal = await create(person({ address: { postal_code: '12' } }));
	assertProblem(badPostal, 400, 'address.postal_code');
	const badPhone = await create(person({ phone: 'ring mig' }));
	assertProblem(badPhone, 400, 'phone');
});

test('create: fields of the wrong JSON type are 400 naming the field', async () => {
	assertProblem(await create(person({ given_name: 42 })), 400, 'given_name');
	assertProblem(await create(person({ protected_identity: 'yes' })), 400, 'protected_identity');
	assertProblem(await create(person({ address: 'Storgatan 1' })), 400, 'address');
	assertProblem(await create(person({ given_name: 'x'.repeat(101) })), 400, 'given_name');
});

test('create: needs the write permission (caseworker or admin)', async () => {
	assert.equal((await create(person(), 'admin')).status, 201);
	for (const u of ['chef', 'avgift', 'revisor', 'medborgare', 'personal'])
		assertProblem(await create(person(), u), 403);
	assertProblem(await s.post('/api/v1/persons', person()), 401);
});

// ---- request parsing ------------------------------------------------------------------

test('malformed JSON is 400 problem+json', async () => {
	for (const body of ['{"personnummer":', '{', 'not json', '{"a":1,}', '']) {
		const r = await s.as('handlaggare', 'POST', '/api/v1/persons', {
			body, type: 'application/json',
		});
		assertProblem(r, 400);
	}
	const arr = await s.as('handlaggare', 'POST', '/api/v1/persons', {
		body: '[]', type: 'application/json',
	});
	assertProblem(arr, 400);
});

test('an unknown field is 400 naming the field', async () => {
	const r = await create(person({ shoe_size: 42 }));
	assertProblem(r, 400, 'shoe_size');
	const nested = await create(person({ address: { street: 'Storgatan 1', zip: '73130' } }));
	assertProblem(nested, 400, 'address.zip');
	const pn = (await s.createPerson()).id;
	const patch = await s.as('handlaggare', 'PATCH', `/api/v1/persons/${pn}`, {
		json: { version: 1, nickname: 'Gurra' },
	});
	assertProblem(patch, 400, 'nickname');
});

test('a body over 1 MiB is 413', async () => {
	const big = JSON.stringify(person({ given_name: 'x'.repeat(1024 * 1024 + 10) }));
	const r = await s.as('handlaggare', 'POST', '/api/v1/persons', {
		body: big, type: 'application/json',
	});
	assertProblem(r, 413);
	// Just under the limit is read and judged on its content (too long a name: 400).
	const near = JSON.stringify(person({ given_name: 'x'.repeat(1000 * 1000) }));
	const n = await s.as('handlaggare', 'POST', '/api/v1/persons', {
		body: near, type: 'application/json',
	});
	assertProblem(n, 400, 'given_name');
});

test('a body over 1 MiB sent in chunks (no Content-Length) is 413 too', async () => {
	const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
	let sent = 0;
	const body = new ReadableStream({
		pull(ctrl) {
			if (sent++ < 18)
				ctrl.enqueue(chunk);
			else
				ctrl.close();
		},
	});
	const res = await fetch(s.url('/api/v1/persons'), {
		method: 'POST', body, duplex: 'half',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${await s.token('handlaggare')}` },
	});
	const r = await readResponse(res);
	assertProblem(r, 413);
});

test('duplicate keys and NUL characters in JSON are refused with 400', async () => {
	const pn = nextPnr().twelve;
	const dup = await s.as('handlaggare', 'POST', '/api/v1/persons', {
		type: 'application/json',
		body: `{"personnummer":"${pn}","given_name":"A","given_name":"B","family_name":"C"}`,
	});
	assertProblem(dup, 400);
	const nul = await s.as('handlaggare', 'POST', '/api/v1/persons', {
		type: 'application/json',
		body: `{"personnummer":"${pn}","given_name":"A\\u0000B","family_name":"C"}`,
	});
	assertProblem(nul, 400);
	const search = await s.as('handlaggare', 'GET', `/api/v1/persons?q=${pn}`);
	assert.deepEqual(search.json.items, [], 'nothing was created');
});

test('a wrong or missing content type is 415', async () => {
	const body = JSON.stringify(person());
	for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
		const r = await s.as('handlaggare', 'POST', '/api/v1/persons', { body, type });
		assertProblem(r, 415);
	}
	const none = await s.as('handlaggare', 'POST', '/api/v1/persons', {
		body: new Uint8Array(Buffer.from(body)),
	});
	assertProblem(none, 415);
	const ok = await s.as('handlaggare', 'POST', '/api/v1/persons', {
		body, type: 'application/json; charset=utf-8',
	});
	assert.equal(ok.status, 201, ok.text);
});

// ---- reading and changing -------------------------------------------------------------

test('GET of a person that does not exist is 404', async () => {
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/persons/999999'), 404);
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/persons/0'), 404);
});

test('PATCH with the right version is 200 and version + 1; changes show on GET', async () => {
	const p = await s.createPerson({ address: { street: 'Gamla vägen 1', city: 'Norrå' } });
	const r = await s.as('handlaggare', 'PATCH', `/api/v1/persons/${p.id}`, {
		json: {
			version: p.version, given_name: 'Berit', phone: '08-123 456',
			address: { street: 'Nya vägen 2', postal_code: '733 10' },
		},
	});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.version, p.version + 1);
	assert.equal(r.json.given_name, 'Berit');
	const g = await s.as('handlaggare', 'GET', `/api/v1/persons/${p.id}`);
	assert.equal(g.json.version, p.version + 1);
	assert.equal(g.json.given_name, 'Berit');
	assert.equal(g.json.family_name, p.family_name, 'absent fields unchanged');
	assert.equal(g.json.phone, '08-123 456');
	assert.deepEqual(g.json.address, { street: 'Nya vägen 2', postal_code: '733 10', city: 'Norrå' });
	assert.equal(g.json.personnummer, p.personnummer);
	const again = await s.as('handlaggare', 'PATCH', `/api/v1/persons/${p.id}`, {
		json: { version: p.version + 1, family_name: 'Bergsson' },
	});
	assert.equal(again.status, 200, again.text);
	assert.equal(again.json.version, p.version + 2);
});

test('PATCH with a stale version is 409 and changes nothing', async () => {
	const p = await s.createPerson();
	const ok = await s.as('handlaggare', 'PATCH', `/api/v1/persons/${p.id}`, {
		json: { version: 1, given_name: 'Först' },
	});
	assert.equal(ok.status, 200);
	const stale = await s.as('handlaggare', 'PATCH', `/api/v1/persons/${p.id}`, {
		json: { version: 1, given_name: 'Sist' },
	});
	assertProblem(stale, 409);
	assert.ok(errorFields(stale).includes('version'), stale.text);
	const g = await s.as('handlaggare', 'GET', `/api/v1/persons/${p.id}`);
	assert.equal(g.json.given_name, 'Först');
	assert.equal(g.json.version, 2);
	const future = await s.as('handlaggare', 'PATCH', `/api/v1/persons/${p.id}`, {
		json: { version: 99, given_name: 'Framtid' },
	});
	assertProblem(future, 409);
});

test('PATCH: version is required; bad values are 400; the number can change', async () => {
	const p = await s.createPerson();
	const path = `/api/v1/persons/${p.id}`;
	assertProblem(await s.as('handlaggare', 'PATCH', path, { json: { given_name: 'X' } }), 400,
		'version');
	assertProblem(await s.as('handlaggare', 'PATCH', path, {
		json: { version: 1, personnummer: badCheckDigit(nextPnr().twelve) },
	}), 400, 'personnummer');
	assertProblem(await s.as('handlaggare', 'PATCH', path, {
		json: { version: 1, given_name: ' ' },
	}), 400, 'given_name');
	const pn = nextPnr();
	const r = await s.as('handlaggare', 'PATCH', path, {
		json: { version: 1, personnummer: pn.tenDash },
	});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.personnummer, pn.twelve);
});

test('PATCH to a number another person has is 409', async () => {
	const a = await s.createPerson();
	const b = await s.createPerson();
	const r = await s.as('handlaggare', 'PATCH', `/api/v1/persons/${b.id}`, {
		json: { version: b.version, personnummer: a.personnummer },
	});
	assertProblem(r, 409);
});

test('PATCH of a person that does not exist is 404; without write permission 403',
	async () => {
		assertProblem(await s.as('handlaggare', 'PATCH', '/api/v1/persons/999999', {
			json: { version: 1, given_name: 'X' },
		}), 404);
		assertProblem(await s.as('chef', 'PATCH', '/api/v1/persons/5', {
			json: { version: 1, given_name: 'X' },
		}), 403);
	});

// ---- protected identity ---------------------------------------------------------------

test('protected identity: GET hides address and phone (address_hidden true)', async () => {
	const p = await s.createPerson({
		protected_identity: true, phone: '070-000 00 00',
		address: { street: 'Hemliga gatan 3', postal_code: '73210', city: 'Hannaby' },
	});
	for (const u of ['handlaggare', 'admin', 'chef', 'avgift']) {
		const g = await s.as(u, 'GET', `/api/v1/persons/${p.id}`);
		assert.equal(g.status, 200, `${u}: ${g.text}`);
		assert.equal(g.json.protected_identity, true);
		assert.equal(g.json.address, null, u);
		assert.equal(g.json.address_hidden, true, u);
		assert.equal(g.json.phone, null, u);
		assert.ok(!g.text.includes('Hemliga'), `${u}: the street is nowhere in the answer`);
	}
});

test('protected identity: ?include=protected_address reveals it to a caseworker, audited as '
	+ 'read_protected_address', async () => {
	const p = await s.createPerson({
		protected_identity: true,
		address: { street: 'Dolda stigen 9', postal_code: '73211', city: 'Hannaby' },
	});
	const g = await s.as('handlaggare', 'GET', `/api/v1/persons/${p.id}?include=protected_address`);
	assert.equal(g.status, 200, g.text);
	assert.equal(g.json.address_hidden, false);
	assert.deepEqual(g.json.address, { street: 'Dolda stigen 9', postal_code: '732 11', city: 'Hannaby' });
	const records = await s.auditOf(p.id);
	const rec = records.find((a) => a.request_id === g.requestId);
	assert.ok(rec, 'an audit record carries the request id');
	assert.equal(rec.action, 'read_protected_address');
	assert.equal(rec.username, 'handlaggare');
	// A plain read is audited as a plain read.
	const plain = await s.as('handlaggare', 'GET', `/api/v1/persons/${p.id}`);
	const rec2 = (await s.auditOf(p.id)).find((a) => a.request_id === plain.requestId);
	assert.equal(rec2.action, 'read');
});

test('protected identity: include=protected_address does not reveal to other roles', async () => {
	const p = await s.createPerson({
		protected_identity: true, address: { street: 'Skyddade vägen 1', city: 'Norrå' },
	});
	for (const u of ['chef', 'avgift']) {
		const g = await s.as(u, 'GET', `/api/v1/persons/${p.id}?include=protected_address`);
		assert.equal(g.status, 200);
		assert.equal(g.json.address, null, u);
		assert.equal(g.json.address_hidden, true, u);
	}
});

test('protected identity: the PATCH answer does not reveal the address either', async () => {
	// The address is revealed only on explicit need (?include=protected_address), audited as
	// read_protected_address; a change of the phone number is no such need.
	const p = await s.createPerson({
		protected_identity: true, address: { street: 'Skyddsvägen 7', city: 'Norrå' },
	});
	const r = await s.as('handlaggare', 'PATCH', `/api/v1/persons/${p.id}`, {
		json: { version: p.version, given_name: 'Ändrad' },
	});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.given_name, 'Ändrad');
	assert.equal(r.json.address_hidden, true, `PATCH answer: ${r.text}`);
	assert.equal(r.json.address, null);
	assert.ok(!r.text.includes('Skyddsvägen'), 'the street is nowhere in the PATCH answer');
});

test('protected identity: search results hide the address too', async () => {
	const family = uniqueName('Skydd');
	await s.createPerson({
		family_name: family, protected_identity: true, address: { street: 'Gömda gatan 5' },
	});
	const r = await s.as('handlaggare', 'GET', `/api/v1/persons?q=${family}`);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.items.length, 1);
	assert.equal(r.json.items[0].address, null);
	assert.equal(r.json.items[0].address_hidden, true);
	assert.ok(!r.text.includes('Gömda'));
});

// ---- relatives and representatives ----------------------------------------------------

test('POST relatives: 201, and the relative shows on GET', async () => {
	const p = await s.createPerson();
	const r = await s.as('handlaggare', 'POST', `/api/v1/persons/${p.id}/relatives`, {
		json: { name: 'Kalle Provsson', relation: 'son', phone: '070-111 22 33' },
	});
	assert.equal(r.status, 201, r.text);
	assert.ok(Number.isInteger(r.json.id));
	assert.equal(r.json.name, 'Kalle Provsson');
	assert.equal(r.json.relation, 'son');
	const g = await s.as('handlaggare', 'GET', `/api/v1/persons/${p.id}`);
	assert.equal(g.json.relatives.length, 1);
	assert.deepEqual(g.json.relatives[0], r.json);
});

test('POST relatives: validation 400, unknown person 404, no write permission 403', async () => {
	const p = await s.createPerson();
	const path = `/api/v1/persons/${p.id}/relatives`;
	assertProblem(await s.as('handlaggare', 'POST', path, { json: { name: 'Utan relation' } }),
		400, 'relation');
	assertProblem(await s.as('handlaggare', 'POST', path, {
		json: { name: 'X', relation: 'dotter', age: 3 },
	}), 400, 'age');
	assertProblem(await s.as('handlaggare', 'POST', '/api/v1/persons/999999/relatives', {
		json: { name: 'X', relation: 'dotter' },
	}), 404);
	assertProblem(await s.as('chef', 'POST', path, { json: { name: 'X', relation: 'dotter' } }),
		403);
});

test('POST representatives: 201, and the representative shows on GET', async () => {
	const p = await s.createPerson();
	const rep = await s.createPerson({ given_name: 'Gode', family_name: 'Mannen' });
	const r = await s.as('handlaggare', 'POST', `/api/v1/persons/${p.id}/representatives`, {
		json: {
			kind: 'god_man', name: 'Gode Mannen', rep_person_id: rep.id,
			scope: 'bevaka rätt', valid_from: '2024-01-01', valid_to: '2030-12-31',
		},
	});
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.kind, 'god_man');
	assert.equal(r.json.rep_person_id, rep.id);
	assert.equal(r.json.valid_from, '2024-01-01');
	assert.equal(r.json.valid_to, '2030-12-31');
	const g = await s.as('handlaggare', 'GET', `/api/v1/persons/${p.id}`);
	assert.equal(g.json.representatives.length, 1);
	assert.deepEqual(g.json.representatives[0], r.json);
});

test('POST representatives: bad kind, dates and unknown rep person are refused', async () => {
	const p = await s.createPerson();
	const path = `/api/v1/persons/${p.id}/representatives`;
	const base = { kind: 'forvaltare', name: 'F', scope: 'förvalta egendom', valid_from: '2024-01-01' };
	assert.equal((await s.as('handlaggare', 'POST', path, { json: base })).status, 201);
	assertProblem(await s.as('handlaggare', 'POST', path, { json: { ...base, kind: 'kung' } }),
		400, 'kind');
	assertProblem(await s.as('handlaggare', 'POST', path, {
		json: { ...base, valid_to: '2023-12-31' },
	}), 400, 'valid_to');
	assertProblem(await s.as('handlaggare', 'POST', path, {
		json: { ...base, valid_from: '2024-02-30' },
	}), 400, 'valid_from');
	const noPerson = await s.as('handlaggare', 'POST', path, {
		json: { ...base, rep_person_id: 999999 },
	});
	assert.equal(noPerson.status, 422, noPerson.text);
	assertProblem(noPerson, 422, 'rep_person_id');
	assertProblem(await s.as('handlaggare', 'POST', '/api/v1/persons/999999/representatives', {
		json: base,
	}), 404);
});

// ---- search and pagination ------------------------------------------------------------

test('search: q=an&limit=5 gives 5 items and next_cursor; following it gives others', async () => {
	const token = await s.token('handlaggare');
	const first = await s.get('/api/v1/persons?q=an&limit=5', { token });
	assert.equal(first.status, 200, first.text);
	assert.equal(first.json.items.length, 5);
	assert.equal(typeof first.json.next_cursor, 'string');
	assert.ok(first.json.next_cursor.length > 0);
	const next = await s.get(
		`/api/v1/persons?q=an&limit=5&cursor=${encodeURIComponent(first.json.next_cursor)}`,
		{ token });
	assert.equal(next.status, 200, next.text);
	assert.equal(next.json.items.length, 5);
	const a = new Set(first.json.items.map((p) => p.id));
	for (const p of next.json.items)
		assert.ok(!a.has(p.id), `person ${p.id} on both pages`);
	for (const p of [...first.json.items, ...next.json.items]) {
		const name = `${p.given_name} ${p.family_name}`.toLowerCase();
		assert.ok(/(^|\s)an/.test(name), `${name} matches "an"`);
	}
});

test('search: walking all pages visits each match once and ends with next_cursor null',
	async () => {
		const family = uniqueName('Sida');
		const ids = [];
		for (let i = 0; i < 7; i++)
			ids.push((await s.createPerson({ family_name: family, given_name: `Nr${i}` })).id);
		const token = await s.token('handlaggare');
		const seen = [];
		let cursor = null;
		for (let page = 0; page < 10; page++) {
			const q = `/api/v1/persons?q=${family}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
			const r = await s.get(q, { token });
			assert.equal(r.status, 200, r.text);
			seen.push(...r.json.items.map((p) => p.id));
			cursor = r.json.next_cursor;
			if (cursor === null)
				break;
		}
		assert.equal(cursor, null);
		assert.deepEqual([...seen].sort((x, y) => x - y), ids);
	});

test('search: limit=0, limit=101 and limit=abc are 400 naming limit', async () => {
	const token = await s.token('handlaggare');
	for (const l of ['0', '101', 'abc', '-1'])
		assertProblem(await s.get(`/api/v1/persons?q=an&limit=${l}`, { token }), 400, 'limit');
	const max = await s.get('/api/v1/persons?q=an&limit=100', { token });
	assert.equal(max.status, 200);
	assert.ok(max.json.items.length > 20 && max.json.items.length <= 100);
	if (max.json.items.length < 100)
		assert.equal(max.json.next_cursor, null, 'a short page is the last');
	const dflt = await s.get('/api/v1/persons?q=an', { token });
	assert.equal(dflt.json.items.length, 20, 'the default limit is 20');
	assert.equal(typeof dflt.json.next_cursor, 'string');
});

test('search: q missing or shorter than two characters is 400 naming q', async () => {
	const token = await s.token('handlaggare');
	assertProblem(await s.get('/api/v1/persons', { token }), 400, 'q');
	assertProblem(await s.get('/api/v1/persons?q=a', { token }), 400, 'q');
	assertProblem(await s.get('/api/v1/persons?q=an&cursor=xyz', { token }), 400, 'cursor');
});

test('search: by personnummer in any form finds the person', async () => {
	const p = await s.createPerson();
	const token = await s.token('handlaggare');
	const dash = `${p.personnummer.slice(0, 8)}-${p.personnummer.slice(8)}`;
	const ten = `${p.personnummer.slice(2, 8)}-${p.personnummer.slice(8)}`;
	for (const q of [p.personnummer, dash, ten]) {
		const r = await s.get(`/api/v1/persons?q=${encodeURIComponent(q)}`, { token });
		assert.equal(r.status, 200, r.text);
		assert.deepEqual(r.json.items.map((x) => x.id), [p.id], q);
	}
});

test('search: by name with Swedish letters, folded for case', async () => {
	const family = uniqueName('Öström');
	const p = await s.createPerson({ family_name: family, given_name: 'Åsa' });
	const token = await s.token('handlaggare');
	for (const q of [family, family.toLowerCase(), `${family.slice(0, 6).toUpperCase()}`]) {
		const r = await s.get(`/api/v1/persons?q=${encodeURIComponent(q)}&limit=100`, { token });
		assert.equal(r.status, 200, r.text);
		assert.ok(r.json.items.some((x) => x.id === p.id), `q=${q}`);
	}
});

shutdownTest(test, () => s);
