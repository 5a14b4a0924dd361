// Secure messages with providers (issue 4 item 5, now that providers reach customers through
// orders): a provider with an accepted order for the customer is a party of a thread that
// names it and reads and replies in it; a provider without an order gets 404; a provider that
// is a party of thread X is not a party of thread Y of the same case that does not name it;
// and the day and evening providers of one customer coordinate with the municipality in one
// thread that the citizen does not see.
import { after, before, test } from 'node:test';

import { assert, assertProblem, shutdownTest, startServer } from './harness.mjs';
import { addDays, decided, orgNr } from './orders_fixture.mjs';

const B_NAME = 'Utan Order AB';
const C_NAME = 'Kvällsomsorg AB';
const PW = { bstaff: 'bstaff-password-1', cstaff: 'cstaff-password-1' };
let s;
before(async () => {
	s = await startServer({
		users: [
			{ tenant: 'demo', username: 'bstaff', role: 'provider_staff', password: PW.bstaff, args: ['--provider', B_NAME] },
			{ tenant: 'demo', username: 'cstaff', role: 'provider_staff', password: PW.cstaff, args: ['--provider', C_NAME] },
		],
	});
});
after(async () => {
	await s?.cleanup();
});

const as = async (user, method, path, opts = {}) => {
	if (!PW[user])
		return s.as(user, method, path, opts);
	const { token } = await s.session(user, PW[user]);
	return s.request(method, path, { ...opts, token });
};
const state = {};

test('setup: the customer has an accepted order with the day provider A and the evening provider C', async () => {
	const list = await s.as('admin', 'GET', '/api/v1/providers');
	const byName = (n) => list.json.items.find((p) => p.name === n);
	state.a = byName('Omsorg i Hannaby AB').id;
	state.b = byName(B_NAME).id;
	state.c = byName(C_NAME).id;
	for (const [id, nine] of [[state.a, '556000111'], [state.b, '559911223'], [state.c, '559922334']]) {
		const full = await s.as('admin', 'GET', `/api/v1/providers/${id}`);
		const r = await s.as('admin', 'PATCH', `/api/v1/providers/${id}`, {
			json: { version: full.json.version, org_nr: orgNr(nine), approved_from: '2024-01-01', services: [{ service: 'hemtjanst_service' }], areas: [{ area: 'Hannaby' }] },
		});
		assert.equal(r.status, 200, r.text);
	}
	const d = await decided(s, 'granted');
	Object.assign(state, d);
	const oa = await s.as('handlaggare', 'POST', `/api/v1/decisions/${d.decision.id}/orders`, { json: { provider_id: state.a } });
	assert.equal(oa.status, 201, oa.text);
	assert.equal((await s.as('personal', 'POST', `/api/v1/orders/${oa.json.id}/accept`, { json: {} })).status, 200);
	// A second case of the same person: evening help from provider C.
	const c2 = await s.as('handlaggare', 'POST', '/api/v1/cases', { json: { person_id: d.person.id, requests: [{ service: 'hemtjanst_service', hours_per_month: 6 }] } });
	assert.equal(c2.status, 201, c2.text);
	await s.as('handlaggare', 'POST', `/api/v1/cases/${c2.json.id}/assign`, { json: {} });
	await s.as('handlaggare', 'POST', `/api/v1/cases/${c2.json.id}/state`, { json: { to: 'investigation' } });
	const d2 = await s.as('handlaggare', 'POST', `/api/v1/cases/${c2.json.id}/decisions`, {
		json: { service: 'hemtjanst_service', outcome: 'granted', hours_per_month: 6, start_date: c2.json.received_date, end_date: addDays(c2.json.received_date, 90), goals: 'Trygg kväll', reasoning: 'Utrett.' },
	});
	assert.equal(d2.status, 201, d2.text);
	const oc = await s.as('handlaggare', 'POST', `/api/v1/decisions/${d2.json.id}/orders`, { json: { provider_id: state.c } });
	assert.equal(oc.status, 201, oc.text);
	assert.equal((await as('cstaff', 'POST', `/api/v1/orders/${oc.json.id}/accept`, { json: {} })).status, 200);
});

test('a provider with an order is a party of a thread that names it: reads and replies', async () => {
	const r = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/threads`, {
		json: { subject: 'Start av insatsen', body: 'Kunden vill ha besök efter klockan nio.', parties: [{ party: 'provider', provider_id: state.a }] },
	});
	assert.equal(r.status, 201, r.text);
	state.x = r.json.id;
	assert.deepEqual(await s.as('personal', 'GET', '/api/v1/messages/unread').then((x) => x.json), { unread: 1, threads: 1 });
	const read = await s.as('personal', 'GET', `/api/v1/threads/${state.x}`);
	assert.equal(read.status, 200, read.text);
	assert.equal(read.json.messages[0].body, 'Kunden vill ha besök efter klockan nio.');
	const reply = await s.as('personal', 'POST', `/api/v1/threads/${state.x}/messages`, { json: { body: 'Vi börjar på måndag kl. 9.30.' } });
	assert.equal(reply.status, 201, reply.text);
	const cw = await s.as('handlaggare', 'GET', `/api/v1/threads/${state.x}`);
	const last = cw.json.messages.at(-1);
	assert.equal(last.body, 'Vi börjar på måndag kl. 9.30.');
	assert.deepEqual(last.from, { party: 'provider', provider_id: state.a });
	assert.deepEqual(cw.json.messages[0].read_by, [{ party: 'provider', provider_id: state.a }]);
	// The provider admin of A sees it too; the page shows it.
	assert.equal((await s.as('utforare', 'GET', `/api/v1/threads/${state.x}`)).status, 200);
	const page = await s.as('personal', 'GET', `/meddelanden/${state.x}`);
	assert.equal(page.status, 200, page.text);
	assert.match(page.text, /Vi börjar på måndag kl\. 9\.30\./);
	const audit = await s.auditOf(state.person.id);
	assert.ok(audit.some((a) => a.username === 'personal' && a.entity === 'message' && a.action === 'create'));
	assert.ok(audit.some((a) => a.username === 'personal' && a.entity === 'message_thread' && a.action === 'read'));
});

test('provider B without an order gets 404 for the thread, even when the thread names it', async () => {
	const named = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/threads`, {
		json: { subject: 'Fel utförare', body: 'Skickad till B av misstag.', parties: [{ party: 'provider', provider_id: state.b }] },
	});
	assert.equal(named.status, 201, named.text);
	for (const id of [state.x, named.json.id]) {
		assertProblem(await as('bstaff', 'GET', `/api/v1/threads/${id}`), 404);
		assertProblem(await as('bstaff', 'POST', `/api/v1/threads/${id}/messages`, { json: { body: 'x' } }), 404);
		assertProblem(await as('bstaff', 'POST', `/api/v1/threads/${id}/read`), 404);
		assert.equal((await as('bstaff', 'GET', `/meddelanden/${id}`)).status, 404);
	}
	assertProblem(await as('bstaff', 'GET', `/api/v1/cases/${state.caseId}/threads`), 404);
	assertProblem(await as('bstaff', 'POST', `/api/v1/cases/${state.caseId}/threads`, { json: { subject: 'x', body: 'y' } }), 404);
	assert.deepEqual((await as('bstaff', 'GET', '/api/v1/threads')).json.items, []);
	assert.deepEqual((await as('bstaff', 'GET', '/api/v1/messages/unread')).json, { unread: 0, threads: 0 });
});

test('a party of thread X is not a party of thread Y of the same case that does not name it', async () => {
	const y = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/threads`, {
		json: { subject: 'Om din avgift', body: 'Vi behöver dina inkomstuppgifter.', parties: [{ party: 'citizen' }] },
	});
	assert.equal(y.status, 201, y.text);
	state.y = y.json.id;
	assertProblem(await s.as('personal', 'GET', `/api/v1/threads/${state.y}`), 404);
	assertProblem(await s.as('personal', 'POST', `/api/v1/threads/${state.y}/messages`, { json: { body: 'x' } }), 404);
	assertProblem(await s.as('personal', 'POST', `/api/v1/threads/${state.y}/read`), 404);
	assert.equal((await s.as('personal', 'GET', `/meddelanden/${state.y}`)).status, 404);
	const list = await s.as('personal', 'GET', `/api/v1/cases/${state.caseId}/threads`);
	assert.equal(list.status, 200, list.text);
	const ids = list.json.items.map((t) => t.id);
	assert.ok(ids.includes(state.x) && !ids.includes(state.y), JSON.stringify(ids));
	const inbox = await s.as('personal', 'GET', '/api/v1/threads');
	assert.ok(!inbox.json.items.some((t) => t.id === state.y));
	// C has an order for the same person but X does not name C.
	assertProblem(await as('cstaff', 'GET', `/api/v1/threads/${state.x}`), 404);
});

test('the day and evening providers coordinate in one thread with the municipality, without the citizen', async () => {
	const z = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/threads`, {
		json: {
			subject: 'Samordning dag och kväll', body: 'Ni båda hjälper kunden. Skriv här om förändringar.',
			parties: [{ party: 'provider', provider_id: state.a }, { party: 'provider', provider_id: state.c }],
		},
	});
	assert.equal(z.status, 201, z.text);
	state.z = z.json.id;
	assert.deepEqual(z.json.parties, [{ party: 'municipality' }, { party: 'provider', provider_id: state.a }, { party: 'provider', provider_id: state.c }]);
	const day = await s.as('personal', 'POST', `/api/v1/threads/${state.z}/messages`, { json: { body: 'Dagpersonalen noterade yrsel vid lunch.' } });
	assert.equal(day.status, 201, day.text);
	assert.deepEqual((await as('cstaff', 'GET', '/api/v1/messages/unread')).json, { unread: 2, threads: 1 });
	const eve = await as('cstaff', 'GET', `/api/v1/threads/${state.z}`);
	assert.equal(eve.status, 200, eve.text);
	assert.deepEqual(eve.json.messages.map((m) => m.from), [{ party: 'municipality' }, { party: 'provider', provider_id: state.a }]);
	const r = await as('cstaff', 'POST', `/api/v1/threads/${state.z}/messages`, { json: { body: 'Kvällspersonalen följer upp och hör av sig.' } });
	assert.equal(r.status, 201, r.text);
	const seen = await s.as('personal', 'GET', `/api/v1/threads/${state.z}`);
	const mine = seen.json.messages.find((m) => m.body.startsWith('Dagpersonalen'));
	assert.deepEqual(mine.read_by.map((x) => x.provider_id).filter(Boolean), [state.c], 'read by the evening provider');
	assert.deepEqual(seen.json.messages.at(-1).from, { party: 'provider', provider_id: state.c });
	// Not the citizen's thread, not B's.
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/threads/999999'), 404);
	const citizenView = await s.as('handlaggare', 'GET', `/api/v1/threads/${state.z}`);
	assert.ok(!citizenView.json.parties.some((p) => p.party === 'citizen'));
	assertProblem(await as('bstaff', 'GET', `/api/v1/threads/${state.z}`), 404);
	const audit = await s.auditOf(state.person.id);
	assert.ok(audit.some((a) => a.username === 'cstaff' && a.entity === 'message' && a.action === 'create'));
});

test('when the order is declined or long ended, the provider loses the thread', async () => {
	s.sql(`UPDATE orders SET state = 'ended', to_date = '${addDays(new Date().toISOString().slice(0, 10), -120)}' WHERE provider_id = ${state.c} AND person_id = ${state.person.id}`);
	assertProblem(await as('cstaff', 'GET', `/api/v1/threads/${state.z}`), 404);
	assertProblem(await as('cstaff', 'POST', `/api/v1/threads/${state.z}/messages`, { json: { body: 'x' } }), 404);
	assert.equal((await s.as('personal', 'GET', `/api/v1/threads/${state.z}`)).status, 200);
});

shutdownTest(test, () => s);
