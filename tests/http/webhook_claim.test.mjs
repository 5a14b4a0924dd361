// Webhook delivery by two `hanna serve` processes on one database, as behind a load balancer
// (docs/operations.md, Webhooks): before posting an event a process claims it for a lease
// (order_events.claimed_until, claimed_by, migration 0018), skips an event another process
// holds, and applies its outcome only while the claim is still its own. So an event id is never
// in flight in both processes and is delivered (2xx) once.
//
// Both servers look at the outbox every 20 ms, so they race for every event; the loopback
// receiver answers after 150 ms, so posts overlap. The events are made while their provider has
// no webhook address and the address is set afterwards: all of them become due at once and both
// processes see all of them in their first look. Without the claim nearly every event arrives
// twice. A second provider's receiver answers 503 to the first post of every other event, so
// retries (1 s backoff) go to whichever process looks first: still no event arrives twice as a
// success, and each failed event is posted exactly twice.
//
// On SQLite the two processes share the database file (WAL, a busy timeout, and BEGIN IMMEDIATE
// for each writer's group transaction serialise their writes), so the file runs on both engines.
import { after, before, test } from 'node:test';

import { assert, sleep, shutdownTest, startServer } from './harness.mjs';
import { decided, registerProvider, webhookReceiver } from './orders_fixture.mjs';

process.env.HANNA_WEBHOOK_BACKOFF = '1';
process.env.HANNA_WEBHOOK_POLL_MS = '20';
// The receiver is on loopback (SSRF guard: tests/http/webhook_ssrf.test.mjs).
process.env.HANNA_WEBHOOK_ALLOW_PRIVATE = '1';

const EVENTS = 30;
const ANSWER_MS = 150;

let a;
let b;
let receiver;
const inFlight = new Map(); // event id -> posts of it not yet answered
const overlaps = [];        // event ids posted while a post of the same id was unanswered
const failedOnce = new Set();

before(async () => {
	receiver = await webhookReceiver(async (hit) => {
		const n = inFlight.get(hit.id) || 0;
		if (n > 0)
			overlaps.push(hit.id);
		inFlight.set(hit.id, n + 1);
		await sleep(ANSWER_MS);
		inFlight.set(hit.id, inFlight.get(hit.id) - 1);
		if (hit.path === '/flaky' && Number(hit.id) % 2 === 0 && !failedOnce.has(hit.id)) {
			failedOnce.add(hit.id);
			return 503;
		}
		return 204;
	});
	a = await startServer();
	b = await a.startPeer();
});
after(async () => {
	receiver?.close();
	await b?.cleanup();
	await a?.cleanup();
});

// Makes EVENTS order events of a new provider that has no webhook address yet: one granted
// decision whose order is sent and withdrawn again and again (order.new, order.ended), the
// requests alternating between the two servers. Returns {provider, ids}.
async function eventsOfNewProvider(name, nine) {
	const provider = await registerProvider(a, name, nine);
	const d = await decided(a, 'granted');
	for (let i = 0; i < EVENTS / 2; i++) {
		const s = i % 2 ? b : a;
		const o = await s.as('handlaggare', 'POST', `/api/v1/decisions/${d.decision.id}/orders`, { json: { provider_id: provider.id } });
		assert.equal(o.status, 201, o.text);
		const e = await s.as('handlaggare', 'POST', `/api/v1/orders/${o.json.id}/end`, { json: { end_date: d.decision.start_date, reason: 'Kunden avböjde' } });
		assert.equal(e.status, 200, e.text);
		assert.equal(e.json.state, 'withdrawn');
	}
	const ids = a.sql(`SELECT id FROM order_events WHERE provider_id = ${provider.id} ORDER BY id`).split('\n');
	assert.equal(ids.length, EVENTS);
	return { provider, ids };
}

// Sets the provider's webhook address (all its events become due at once) and waits until every
// event is delivered and no post is left unanswered. Returns the posts of its events.
async function deliver({ provider, ids }, path) {
	const r = await a.as('admin', 'PATCH', `/api/v1/providers/${provider.id}`, { json: { version: provider.version, webhook_url: receiver.url(path) } });
	assert.equal(r.status, 200, r.text);
	const pending = () => Number(a.sql(`SELECT COUNT(*) FROM order_events WHERE provider_id = ${provider.id} AND delivered_at IS NULL`));
	const until = Date.now() + 60_000;
	while (Date.now() < until && pending() > 0)
		await sleep(100);
	assert.equal(pending(), 0, `all delivered; logs:\n${a.logTail()}\n${b.logTail()}`);
	// A duplicate post would be sent at most one look (20 ms) after the delivery was recorded.
	await sleep(ANSWER_MS + 500);
	assert.ok([...inFlight.values()].every((n) => n === 0), 'no post unanswered');
	const mine = new Set(ids);
	return receiver.hits.filter((h) => mine.has(h.id));
}

// Per event id: [all posts, 2xx posts].
function postsPerId(ids, hits) {
	return new Map(ids.map((id) => {
		const of = hits.filter((h) => h.id === id);
		return [id, [of.length, of.filter((h) => h.status >= 200 && h.status < 300).length]];
	}));
}

// The pid of the process that made the last attempt of each event (claimed_by: host/pid/hex).
function lastProcess(provider) {
	const rows = a.sql(`SELECT id, claimed_by FROM order_events WHERE provider_id = ${provider.id} ORDER BY id`).split('\n');
	return new Map(rows.map((l) => {
		const [id, by] = l.split('|');
		assert.match(by, /^[^/]+\/\d+\/[0-9a-f]{16}$/, `claimed_by of event ${id}`);
		return [id, Number(by.split('/')[1])];
	}));
}

// The attempt counters agree with what the receiver got, and no claim is left.
function assertRecorded(provider, ids, perId) {
	const rows = a.sql(`SELECT e.id, e.attempts, (SELECT COUNT(*) FROM webhook_attempts w WHERE w.event_id = e.id), e.claimed_until FROM order_events e WHERE e.provider_id = ${provider.id} ORDER BY e.id`).split('\n');
	assert.equal(rows.length, ids.length);
	for (const l of rows) {
		const [id, attempts, recorded, until] = l.split('|');
		const [posts] = perId.get(id);
		assert.equal(Number(attempts), posts, `attempts of event ${id}`);
		assert.equal(Number(recorded), posts, `webhook_attempts of event ${id}`);
		assert.ok(until === '' || until === 'None', `claim of event ${id} ended: '${until}'`);
	}
}

test('two processes on one database post every event exactly once, and both take part', async (t) => {
	const ev = await eventsOfNewProvider('Tvåprocess Omsorg AB', '556700131');
	const hits = await deliver(ev, '/ok');
	const perId = postsPerId(ev.ids, hits);
	const twice = [...perId].filter(([, [posts]]) => posts !== 1);
	t.diagnostic(`${hits.length} posts of ${EVENTS} events, ${twice.length} events posted more than once`);
	assert.deepEqual(twice, [], `events posted other than once (id, [posts, 2xx]) of ${EVENTS}; ${hits.length} posts`);
	assert.deepEqual(overlaps, [], 'no event id in flight twice');
	assertRecorded(ev.provider, ev.ids, perId);
	const by = lastProcess(ev.provider);
	const counts = [a, b].map((s) => [...by.values()].filter((pid) => pid === s.proc.pid).length);
	t.diagnostic(`delivered by the first process: ${counts[0]}, by the second: ${counts[1]}`);
	assert.equal(counts[0] + counts[1], EVENTS, `every event delivered by one of the two: ${[...by.values()]}`);
	assert.ok(counts[0] > 0 && counts[1] > 0, `both processes delivered some: ${counts}`);
});

test('retries after failures move between processes and still deliver each event once', async (t) => {
	const ev = await eventsOfNewProvider('Ombytlig Omsorg AB', '556700149');
	const hits = await deliver(ev, '/flaky');
	const perId = postsPerId(ev.ids, hits);
	const dup = [...perId].filter(([, [, ok]]) => ok > 1).length;
	t.diagnostic(`${hits.length} posts of ${EVENTS} events, ${dup} events delivered (2xx) more than once`);
	for (const [id, [posts, ok]] of perId) {
		assert.equal(ok, 1, `event ${id} delivered once as a success`);
		assert.equal(posts, Number(id) % 2 === 0 ? 2 : 1, `posts of event ${id}`);
	}
	assert.deepEqual(overlaps, [], 'no event id in flight twice');
	assertRecorded(ev.provider, ev.ids, perId);
	// The process that failed an event logged it; the one that delivered it is in claimed_by.
	const by = lastProcess(ev.provider);
	const failedBy = new Map();
	for (const s of [a, b]) {
		for (const m of s.log().matchAll(/webhook: event '(\d+)' to provider '\d+' failed \(attempt 1\)/g))
			failedBy.set(m[1], s.proc.pid);
	}
	const failing = ev.ids.filter((id) => Number(id) % 2 === 0);
	assert.deepEqual([...failedBy.keys()].filter((id) => failing.includes(id)).sort(), [...failing].sort(), 'each failure logged by one process');
	const crossed = failing.filter((id) => failedBy.get(id) !== by.get(id));
	t.diagnostic(`retries made by the other process: ${crossed.length} of ${failing.length}`);
	assert.ok(crossed.length > 0, `some retry was made by the other process (${crossed.length} of ${failing.length})`);
});

test('no claim ran out, and the second server stops gracefully on SIGTERM', async () => {
	for (const s of [a, b])
		assert.doesNotMatch(s.log(), /ran out before its attempt was recorded/);
	const { code, signal } = await b.stop();
	assert.equal(signal, null, `second hanna serve ended by ${signal}\n${b.logTail()}`);
	assert.equal(code, 0, `second hanna serve exited ${code}\n${b.logTail()}`);
});

shutdownTest(test, () => a);
