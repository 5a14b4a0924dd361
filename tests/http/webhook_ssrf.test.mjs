// Webhook addresses and server-side request forgery (issue 4 gap): without
// HANNA_WEBHOOK_ALLOW_PRIVATE a webhook address whose host resolves to a loopback, private,
// link-local or unspecified address is refused at registration with a field error on
// webhook_url, and an internal address that reached the register anyway (here written straight
// into the database) is refused again at delivery: nothing arrives at the loopback receiver and
// the attempt is recorded as refused. Public addresses are accepted; the ones used here are
// documentation addresses (TEST-NET, 2001:db8::/32) and no event is ever sent to them.
import { after, before, test } from 'node:test';

import { assert, assertProblem, sleep, shutdownTest, startServer } from './harness.mjs';
import { decided, orgNr, registerProvider, webhookReceiver } from './orders_fixture.mjs';

delete process.env.HANNA_WEBHOOK_ALLOW_PRIVATE;
process.env.HANNA_WEBHOOK_BACKOFF = '1';
process.env.HANNA_WEBHOOK_POLL_MS = '100';

let s;
let receiver;
before(async () => {
	receiver = await webhookReceiver(() => 204);
	s = await startServer();
});
after(async () => {
	receiver?.close();
	await s?.cleanup();
});

const state = {};

test('internal webhook addresses are refused at registration with a field error', async () => {
	const p = await registerProvider(s, 'Intern Omsorg AB', '556700112');
	state.p = p.id;
	const internal = [
		receiver.url('/hook'), 'http://127.1.2.3/hook', receiver.url('/hook').replace('127.0.0.1', 'localhost'),
		'http://[::1]/hook', 'http://0.0.0.0/hook', 'http://10.1.2.3/hook', 'https://172.20.0.5/hook',
		'http://192.168.10.10/hook', 'http://169.254.169.254/latest/meta-data', 'http://[fe80::1]/hook',
		'http://[fd00::5]/hook', 'http://[::ffff:127.0.0.1]/hook', 'http://2130706433/hook',
	];
	let version = p.version;
	for (const url of internal) {
		const r = await s.as('admin', 'PATCH', `/api/v1/providers/${p.id}`, { json: { version, webhook_url: url } });
		const body = assertProblem(r, 400, 'webhook_url');
		assert.match(body.errors[0].message, /internt nät/, url);
	}
	assertProblem(await s.as('admin', 'PATCH', `/api/v1/providers/${p.id}`, { json: { version, webhook_url: 'ftp://192.0.2.1/x' } }), 400, 'webhook_url');
	assertProblem(await s.as('admin', 'PATCH', `/api/v1/providers/${p.id}`, { json: { version, webhook_url: 'http:///nohost' } }), 400, 'webhook_url');
	assert.equal(s.sql(`SELECT webhook_url FROM providers WHERE id = ${p.id}`), '');
	// Also on registration.
	const reg = await s.as('admin', 'POST', '/api/v1/providers', {
		json: { name: 'Intern Två AB', org_nr: orgNr('556700113'), webhook_url: 'http://127.0.0.1/x' },
	});
	assertProblem(reg, 400, 'webhook_url');
	// Public addresses pass (documentation ranges: never contacted, this provider gets no order).
	for (const url of ['https://192.0.2.10/hanna', 'https://[2001:db8::10]:8443/hanna']) {
		const r = await s.as('admin', 'PATCH', `/api/v1/providers/${p.id}`, { json: { version, webhook_url: url } });
		assert.equal(r.status, 200, r.text);
		assert.equal(r.json.webhook_url, url);
		version = r.json.version;
	}
});

test('an internal address is refused again at delivery: nothing reaches it', async () => {
	const p = await registerProvider(s, 'Levererad Omsorg AB', '556700121');
	s.sql(`UPDATE providers SET webhook_url = '${receiver.url('/hook')}', webhook_secret = 'x' WHERE id = ${p.id}`);
	const d = await decided(s, 'granted');
	const o = await s.as('handlaggare', 'POST', `/api/v1/decisions/${d.decision.id}/orders`, { json: { provider_id: p.id } });
	assert.equal(o.status, 201, o.text);
	const ev = s.sql(`SELECT id FROM order_events WHERE order_id = ${o.json.id}`);
	const until = Date.now() + 15_000;
	let n = 0;
	while (Date.now() < until && (n = Number(s.sql(`SELECT COUNT(*) FROM webhook_attempts WHERE event_id = ${ev}`))) < 2)
		await sleep(100);
	assert.ok(n >= 2, `two attempts recorded; log:\n${s.logTail()}`);
	assert.match(s.sql(`SELECT error FROM webhook_attempts WHERE event_id = ${ev} ORDER BY id LIMIT 1`), /refused/);
	assert.equal(s.sql(`SELECT delivered_at IS NULL FROM order_events WHERE id = ${ev}`).replace('t', '1'), '1');
	assert.deepEqual(receiver.hits, [], 'the loopback receiver got nothing');
});

shutdownTest(test, () => s);
