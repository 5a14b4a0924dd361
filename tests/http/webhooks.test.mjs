// Order events to providers' systems (issue 4 item 6): every order event is written to the
// outbox in the same transaction and posted to the provider's webhook, signed with HMAC-SHA256
// over "timestamp.body" and the secret shown once when the address was set. A receiver on
// loopback fails the first attempts; the server retries with its (short, for the test) backoff,
// and each event id arrives exactly once as a success, never again after.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { after, before, test } from 'node:test';

import { assert, sleep, shutdownTest, startServer } from './harness.mjs';
import { decided, orgNr, webhookReceiver } from './orders_fixture.mjs';

process.env.HANNA_WEBHOOK_BACKOFF = '1';
process.env.HANNA_WEBHOOK_POLL_MS = '100';
// The receiver listens on loopback, which webhooks may reach only with this option (SSRF guard;
// tests/http/webhook_ssrf.test.mjs checks the refusal without it).
process.env.HANNA_WEBHOOK_ALLOW_PRIVATE = '1';

const B_NAME = 'Webbomsorg AB';
const PW = 'wadmin-password-1';
let s;
let receiver;
const got = { ok: new Map(), failuresLeft: 2 };

before(async () => {
	receiver = await webhookReceiver((hit) => {
		if (got.failuresLeft > 0) {
			got.failuresLeft--;
			return 503;
		}
		got.ok.set(hit.id, [...(got.ok.get(hit.id) || []), hit]);
		return 204;
	});
	s = await startServer({
		users: [{ tenant: 'demo', username: 'wadmin', role: 'provider_admin', password: PW, args: ['--provider', B_NAME] }],
	});
});
after(async () => {
	receiver?.close();
	await s?.cleanup();
});

const state = {};

test('a provider admin sets the webhook address and gets its secret once', async () => {
	const list = await s.as('admin', 'GET', '/api/v1/providers');
	const p = list.json.items.find((x) => x.name === B_NAME);
	state.provider = p.id;
	const full = await s.as('admin', 'GET', `/api/v1/providers/${p.id}`);
	const r = await s.as('admin', 'PATCH', `/api/v1/providers/${p.id}`, {
		json: { version: full.json.version, org_nr: orgNr('559988776'), approved_from: '2024-01-01', services: [{ service: 'hemtjanst_service' }], areas: [{ area: 'Hannaby' }] },
	});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.webhook_secret, undefined);
	const { token } = await s.session('wadmin', PW);
	const w = await s.request('PATCH', `/api/v1/providers/${p.id}`, {
		token, json: { version: r.json.version, webhook_url: receiver.url('/hanna') },
	});
	assert.equal(w.status, 200, w.text);
	assert.match(w.json.webhook_secret, /^[0-9a-f]{64}$/);
	state.secret = w.json.webhook_secret;
	const again = await s.request('GET', `/api/v1/providers/${p.id}`, { token });
	assert.equal(again.json.webhook_secret, undefined, 'shown once');
	assert.doesNotMatch(again.text, new RegExp(state.secret));
});

test('order events are delivered after failures, signed, once per event id', async () => {
	const d = await decided(s, 'granted');
	const o = await s.as('handlaggare', 'POST', `/api/v1/decisions/${d.decision.id}/orders`, { json: { provider_id: state.provider } });
	assert.equal(o.status, 201, o.text);
	const e = await s.as('handlaggare', 'POST', `/api/v1/orders/${o.json.id}/end`, { json: { end_date: d.decision.start_date, reason: 'Kunden avböjde' } });
	assert.equal(e.status, 200, e.text);
	assert.equal(e.json.state, 'withdrawn');
	const events = s.sql(`SELECT id, kind FROM order_events WHERE order_id = ${o.json.id} ORDER BY id`).split('\n').map((l) => l.split('|'));
	assert.deepEqual(events.map((x) => x[1]), ['order.new', 'order.ended']);
	const until = Date.now() + 30_000;
	while (Date.now() < until && events.some(([id]) => !got.ok.has(id)))
		await sleep(100);
	for (const [id, kind] of events) {
		const hits = got.ok.get(id);
		assert.ok(hits, `event ${id} delivered; log:\n${s.logTail()}`);
		assert.equal(hits.length, 1, `event ${id} arrived once as a success`);
		const [h] = hits;
		const want = createHmac('sha256', state.secret).update(`${h.ts}.${h.body}`).digest('hex');
		assert.match(h.sig, /^sha256=[0-9a-f]{64}$/);
		assert.ok(timingSafeEqual(Buffer.from(h.sig.slice(7)), Buffer.from(want)), 'signature');
		const body = JSON.parse(h.body);
		assert.equal(String(body.id), id);
		assert.equal(body.type, kind);
		assert.equal(body.order_id, o.json.id);
		assert.equal(body.order.provider_id, state.provider);
		assert.equal(body.order.goals, undefined, 'the event says what changed, not the content');
	}
	// Two attempts were refused and retried; every attempt is recorded.
	const first = events[0][0];
	assert.equal(receiver.hits.length, events.length + 2);
	for (const [id] of events) {
		const n = receiver.hits.filter((x) => x.id === id).length;
		assert.equal(s.sql(`SELECT COUNT(*) FROM webhook_attempts WHERE event_id = ${id}`), String(n));
		assert.equal(s.sql(`SELECT attempts FROM order_events WHERE id = ${id}`), String(n));
		assert.notEqual(s.sql(`SELECT delivered_at FROM order_events WHERE id = ${id}`), 'None');
	}
	// Never again after success.
	const before = receiver.hits.length;
	await sleep(2500);
	assert.equal(receiver.hits.length, before, 'no delivery after success');
	// A bad signature would not verify.
	const [h] = got.ok.get(first);
	const forged = createHmac('sha256', 'wrong').update(`${h.ts}.${h.body}`).digest('hex');
	assert.notEqual(`sha256=${forged}`, h.sig);
});

test('the same events are readable as a feed after an id', async () => {
	const { token } = await s.session('wadmin', PW);
	const r = await s.request('GET', `/api/v1/providers/${state.provider}/events?after=0&limit=10`, { token });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json.items.map((x) => x.type), ['order.new', 'order.ended']);
	assert.equal(r.json.items[1].order.state, 'withdrawn');
	const bad = await s.request('GET', `/api/v1/providers/${state.provider}/events?after=x`, { token });
	assert.equal(bad.status, 400);
});

shutdownTest(test, () => s);
