// Secure messages over HTTP (issue 4 item 5): the caseworker starts a thread with the citizen
// on a case, the citizen reads it (the caseworker sees it read), replies, and the unread
// counts follow; the god man sees person 3's threads and not person 1's; another tenant's
// user gets 404, and provider users get 404 for threads that do not name their provider
// (more in tests/http/messages_providers.test.mjs); bodies and subjects are checked with
// field errors; messages
// never change; every read and write of a thread is audited. The pages: the inbox, a thread
// with its reply form, and the new-message form of a case.
import { after, before, test } from 'node:test';

import { assert, assertProblem, DEMO_PASSWORD, shutdownTest, startServer } from './harness.mjs';

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

const state = {};

async function newCase(user, personId) {
	const r = await s.as(user, 'POST', '/api/v1/cases', {
		json: { person_id: personId, requests: [{ service: 'trygghetslarm', description: 'x' }] },
	});
	assert.equal(r.status, 201, r.text);
	return r.json.id;
}

const unread = async (user) => {
	const r = await s.as(user, 'GET', '/api/v1/messages/unread');
	assert.equal(r.status, 200, r.text);
	return r.json;
};

test('the caseworker starts a thread with the citizen on a case', async () => {
	state.case1 = await newCase('medborgare', 1);
	state.case3 = await newCase('handlaggare', 3);
	const r = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.case1}/threads`, {
		json: { subject: 'Om ditt trygghetslarm', body: 'Hej!\nNär passar ett hembesök?' },
	});
	assert.equal(r.status, 201, r.text);
	const t = r.json;
	assert.equal(t.case_id, state.case1);
	assert.equal(t.person_id, 1);
	assert.equal(t.subject, 'Om ditt trygghetslarm');
	assert.deepEqual(t.parties, [{ party: 'municipality' }, { party: 'citizen' }]);
	assert.equal(t.messages.length, 1);
	assert.equal(t.messages[0].body, 'Hej!\nNär passar ett hembesök?');
	assert.deepEqual(t.messages[0].from, { party: 'municipality' });
	assert.deepEqual(t.messages[0].read_by, []);
	assert.match(t.messages[0].created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	assert.equal(t.unread, 0, 'the author has read their own message');
	state.t1 = t.id;
	state.m1 = t.messages[0].id;
});

test('the citizen has one unread message, reads the thread, and the caseworker sees it read', async () => {
	assert.deepEqual(await unread('medborgare'), { unread: 1, threads: 1 });
	assert.deepEqual(await unread('handlaggare'), { unread: 0, threads: 0 });
	const inbox = await s.as('medborgare', 'GET', '/api/v1/threads');
	assert.equal(inbox.status, 200, inbox.text);
	assert.equal(inbox.json.next_cursor, null);
	const mine = inbox.json.items.find((t) => t.id === state.t1);
	assert.ok(mine, JSON.stringify(inbox.json));
	assert.equal(mine.unread, 1);

	const r = await s.as('medborgare', 'GET', `/api/v1/threads/${state.t1}`);
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.messages.length, 1);
	assert.deepEqual(await unread('medborgare'), { unread: 0, threads: 0 });

	const w = await s.as('handlaggare', 'GET', `/api/v1/threads/${state.t1}`);
	assert.equal(w.status, 200, w.text);
	assert.deepEqual(w.json.messages[0].read_by, [{ party: 'citizen' }]);
});

test('the citizen replies; the caseworker has it unread until read', async () => {
	const r = await s.as('medborgare', 'POST', `/api/v1/threads/${state.t1}/messages`, {
		json: { body: 'Tisdag förmiddag går bra.' },
	});
	assert.equal(r.status, 201, r.text);
	assert.deepEqual(r.json.from, { party: 'citizen' });
	assert.equal(r.json.thread_id, state.t1);
	state.m2 = r.json.id;
	assert.ok(state.m2 > state.m1);
	assert.deepEqual(await unread('handlaggare'), { unread: 1, threads: 1 });
	assert.deepEqual(await unread('medborgare'), { unread: 0, threads: 0 });
	const listed = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.case1}/threads`);
	assert.equal(listed.status, 200, listed.text);
	assert.equal(listed.json.items.length, 1);
	assert.equal(listed.json.items[0].unread, 1);
	assert.equal(listed.json.next_cursor, null);

	const m = await s.as('handlaggare', 'POST', `/api/v1/threads/${state.t1}/read`);
	assert.equal(m.status, 200, m.text);
	assert.deepEqual(m.json, { thread_id: state.t1, last_read_id: state.m2 });
	assert.deepEqual(await unread('handlaggare'), { unread: 0, threads: 0 });
	const c = await s.as('medborgare', 'GET', `/api/v1/threads/${state.t1}`);
	assert.deepEqual(c.json.messages.map((x) => x.read_by), [[{ party: 'citizen' }], [{ party: 'municipality' }]]);
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/threads/${state.t1}/read`,
		{ json: { up_to: state.m2 + 1000 } }), 400, 'up_to');
});

test('the god man sees person 3\'s threads and not person 1\'s', async () => {
	const r = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.case3}/threads`, {
		json: { subject: 'Till god man', body: 'Underlag behövs.', parties: [{ party: 'citizen' }] },
	});
	assert.equal(r.status, 201, r.text);
	state.t3 = r.json.id;
	assert.deepEqual(await unread('godman'), { unread: 1, threads: 1 });
	const g = await s.as('godman', 'GET', `/api/v1/threads/${state.t3}`);
	assert.equal(g.status, 200, g.text);
	const reply = await s.as('godman', 'POST', `/api/v1/threads/${state.t3}/messages`,
		{ json: { body: 'Skickar i veckan.' } });
	assert.equal(reply.status, 201, reply.text);
	assert.deepEqual(reply.json.from, { party: 'citizen' });
	const inbox = await s.as('godman', 'GET', '/api/v1/threads');
	assert.deepEqual(inbox.json.items.map((t) => t.id), [state.t3]);
	assertProblem(await s.as('godman', 'GET', `/api/v1/threads/${state.t1}`), 404);
	assertProblem(await s.as('godman', 'POST', `/api/v1/threads/${state.t1}/messages`,
		{ json: { body: 'x' } }), 404);
	assertProblem(await s.as('godman', 'GET', `/api/v1/cases/${state.case1}/threads`), 404);
	assertProblem(await s.as('godman', 'POST', `/api/v1/cases/${state.case1}/threads`,
		{ json: { subject: 'x', body: 'y' } }), 404);
	assertProblem(await s.as('medborgare', 'GET', `/api/v1/threads/${state.t3}`), 404);
	const mine = await s.as('medborgare', 'GET', '/api/v1/threads');
	assert.ok(!mine.json.items.some((t) => t.id === state.t3));
});

test('another tenant\'s user and provider users get 404, finance and auditors 403', async () => {
	for (const u of ['h2', 'utforare', 'personal']) {
		assertProblem(await s.as(u, 'GET', `/api/v1/threads/${state.t1}`), 404);
		assertProblem(await s.as(u, 'POST', `/api/v1/threads/${state.t1}/messages`,
			{ json: { body: 'x' } }), 404);
		assertProblem(await s.as(u, 'POST', `/api/v1/threads/${state.t1}/read`), 404);
		assert.deepEqual(await unread(u), { unread: 0, threads: 0 });
		const inbox = await s.as(u, 'GET', '/api/v1/threads');
		assert.deepEqual(inbox.json.items, []);
	}
	// The demo's first provider has an order for person 1 (personal assistance), so its users
	// may see the person, but no thread of the case names it: an empty list.
	for (const u of ['utforare', 'personal']) {
		const l = await s.as(u, 'GET', `/api/v1/cases/${state.case1}/threads`);
		assert.equal(l.status, 200, l.text);
		assert.deepEqual(l.json.items, []);
	}
	assertProblem(await s.as('h2', 'GET', `/api/v1/cases/${state.case1}/threads`), 404);
	assertProblem(await s.as('h2', 'POST', `/api/v1/cases/${state.case1}/threads`,
		{ json: { subject: 'x', body: 'y' } }), 404);
	assertProblem(await s.as('ekonom', 'GET', '/api/v1/messages/unread'), 403);
	assertProblem(await s.as('revisor', 'GET', `/api/v1/threads/${state.t1}`), 403);
});

test('a thread with a provider as party: the provider is listed and its users with an order read it', async () => {
	const r = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.case1}/threads`, {
		json: {
			subject: 'Samordning kväll',
			body: 'Dagpersonalen noterade yrsel.',
			parties: [{ party: 'provider', provider_id: 1 }],
		},
	});
	assert.equal(r.status, 201, r.text);
	assert.deepEqual(r.json.parties, [{ party: 'municipality' }, { party: 'provider', provider_id: 1 }]);
	// Not a party: the citizen does not see the staff's coordination with the provider.
	assertProblem(await s.as('medborgare', 'GET', `/api/v1/threads/${r.json.id}`), 404);
	// Provider 1 has an order for person 1 (the demo's personal assistance), so its users
	// read the thread that names it; tests/http/messages_providers.test.mjs has the rest.
	const p = await s.as('utforare', 'GET', `/api/v1/threads/${r.json.id}`);
	assert.equal(p.status, 200, p.text);
	assert.equal(p.json.messages.length, 1);
});

test('bodies, subjects and parties are checked with field errors', async () => {
	const start = (json) => s.as('handlaggare', 'POST', `/api/v1/cases/${state.case1}/threads`, { json });
	const post = (body) => s.as('medborgare', 'POST', `/api/v1/threads/${state.t1}/messages`, { json: { body } });
	assertProblem(await post(''), 400, 'body');
	assertProblem(await post('  \n\t '), 400, 'body');
	assertProblem(await post('å'.repeat(10001)), 400, 'body');
	assertProblem(await post('a\u0007b'), 400, 'body');
	assertProblem(await s.as('medborgare', 'POST', `/api/v1/threads/${state.t1}/messages`, { json: {} }), 400, 'body');
	const max = await post('å'.repeat(10000));
	assert.equal(max.status, 201, max.text.slice(0, 300));
	assertProblem(await start({ subject: '', body: 'x' }), 400, 'subject');
	assertProblem(await start({ subject: 'a\nb', body: 'x' }), 400, 'subject');
	assertProblem(await start({ subject: 'x'.repeat(201), body: 'x' }), 400, 'subject');
	assertProblem(await start({ subject: 'x', body: '' }), 400, 'body');
	assertProblem(await start({ subject: 'x', body: 'y', parties: [{ party: 'nobody' }] }), 400, 'parties[0]');
	assertProblem(await start({ subject: 'x', body: 'y', parties: [{ party: 'municipality' }] }), 400, 'parties');
	assertProblem(await start({ subject: 'x', body: 'y', parties: [{ party: 'provider', provider_id: 99999 }] }), 400, 'parties');
	assertProblem(await start({ subject: 'x', body: 'y', parties: [{ party: 'provider', provider_id: 1 }, { party: 'provider', provider_id: 1 }] }), 400, 'parties');
	assertProblem(await start({ subject: 'x', body: 'y', extra: 1 }), 400);
	// A nonexistent case or thread is 404 as well.
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/threads/999999'), 404);
	assertProblem(await s.as('handlaggare', 'POST', '/api/v1/cases/999999/threads', { json: { subject: 'x', body: 'y' } }), 404);
});

test('messages never change: there is no route to edit or delete one', async () => {
	for (const method of ['PATCH', 'DELETE', 'PUT']) {
		const r = await s.as('handlaggare', method, `/api/v1/threads/${state.t1}/messages`, { json: {} });
		assert.ok([404, 405].includes(r.status), `${method}: ${r.status}`);
	}
	const r = await s.as('handlaggare', 'GET', `/api/v1/threads/${state.t1}`);
	assert.equal(r.json.messages[0].body, 'Hej!\nNär passar ett hembesök?');
});

test('every read and write of a thread is audited for the case\'s person', async () => {
	const before = (await s.auditOf(1)).filter((e) => e.entity === 'message_thread' && e.entity_id === state.t1 && e.action === 'read').length;
	assert.equal((await s.as('medborgare', 'GET', `/api/v1/threads/${state.t1}`)).status, 200);
	const items = await s.auditOf(1);
	const reads = items.filter((e) => e.entity === 'message_thread' && e.entity_id === state.t1 && e.action === 'read');
	assert.equal(reads.length, before + 1);
	assert.equal(reads[0].username, 'medborgare');
	assert.ok(items.some((e) => e.entity === 'message_thread' && e.entity_id === state.t1 && e.action === 'create' && e.username === 'handlaggare'));
	assert.ok(items.some((e) => e.entity === 'message' && e.entity_id === state.m2 && e.action === 'create' && e.username === 'medborgare'));
	assert.ok(items.some((e) => e.entity === 'message_thread' && e.action === 'list' && e.username === 'handlaggare'));
	assert.ok(items.some((e) => e.entity === 'message_thread' && e.action === 'list' && e.username === 'medborgare'));
	const p3 = await s.auditOf(3);
	assert.ok(p3.some((e) => e.entity === 'message_thread' && e.entity_id === state.t3 && e.action === 'read' && e.username === 'godman'));
	assert.ok(!items.some((e) => e.username === 'godman' && e.entity === 'message_thread'));
});

// ---- pages --------------------------------------------------------------------------------

const cookies = new Map();
async function cookieOf(username) {
	if (!cookies.has(username)) {
		const res = await s.request('POST', '/logga-in', {
			form: { tenant: 'demo', username, password: DEMO_PASSWORD },
		});
		assert.equal(res.status, 303);
		cookies.set(username, res.cookies.find((c) => c.startsWith('hanna_session=')).split(';')[0]);
	}
	return cookies.get(username);
}

async function page(username, path, status = 200) {
	const r = await s.get(path, { cookie: await cookieOf(username) });
	assert.equal(r.status, status, `${path}: ${r.status} ${r.text.slice(0, 400)}`);
	assert.match(r.ct, /^text\/html/);
	return r;
}

async function post(username, path, form) {
	const cookie = await cookieOf(username);
	const csrf = (await s.get('/', { cookie })).text.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
	return s.request('POST', path, { cookie, form: { csrf, ...form } });
}

test('the new-message form of a case starts a thread; the inbox and the start page show it unread', async () => {
	const f = await page('handlaggare', `/arenden/${state.case1}/nytt-meddelande`);
	assert.match(f.text, /<form method="post" action="\/arenden\/\d+\/nytt-meddelande"/);
	assert.match(f.text, /name="to_citizen"/);
	const bad = await post('handlaggare', `/arenden/${state.case1}/nytt-meddelande`,
		{ subject: 'Tid', body: '', to_citizen: '1' });
	assert.equal(bad.status, 400);
	assert.match(bad.text, /skriv ett meddelande/);
	const ok = await post('handlaggare', `/arenden/${state.case1}/nytt-meddelande`,
		{ subject: 'Ny tid för besök', body: 'Passar torsdag?\r\nMvh', to_citizen: '1' });
	assert.equal(ok.status, 303, ok.text.slice(0, 400));
	const loc = ok.headers.get('location');
	assert.match(loc, /^\/meddelanden\/\d+$/);
	state.t4 = Number(loc.split('/').pop());
	const start = await page('medborgare', '/');
	assert.match(start.text, /1 oläst meddelande/);
	const inbox = await page('medborgare', '/meddelanden');
	assert.match(inbox.text, /Ny tid för besök/);
	assert.match(inbox.text, /1 oläst/);
	assert.match((await page('handlaggare', `/arenden/${state.case1}`)).text, /nytt-meddelande/);
	assert.match((await page('medborgare', '/mina-sidor')).text, /Skicka meddelande/);
	await page('godman', `/arenden/${state.case1}/nytt-meddelande`, 404);
});

test('the thread page shows the messages, marks them read and takes a reply', async () => {
	const t = await page('medborgare', `/meddelanden/${state.t4}`);
	assert.match(t.text, /Passar torsdag\?\nMvh/);
	assert.match(t.text, /<textarea/);
	assert.doesNotMatch((await page('medborgare', '/')).text, /oläst/);
	const empty = await post('medborgare', `/meddelanden/${state.t4}`, { body: ' ' });
	assert.equal(empty.status, 400);
	assert.match(empty.text, /skriv ett meddelande/);
	const ok = await post('medborgare', `/meddelanden/${state.t4}`, { body: 'Torsdag passar.' });
	assert.equal(ok.status, 303);
	assert.match(ok.headers.get('location'), new RegExp(`^/meddelanden/${state.t4}#meddelande-\\d+$`));
	const w = await page('handlaggare', `/meddelanden/${state.t4}`);
	assert.match(w.text, /Torsdag passar\./);
	assert.match(w.text, /Läst av Den enskilde/);
	await page('godman', `/meddelanden/${state.t4}`, 404);
});

shutdownTest(test, () => s);
