// Crash test of durable visit reports (issue 5): 32 clients send visit reports
// (POST /api/v1/visits, each with its own Idempotency-Key, retried with the same key after a
// lost answer, as the phone queue does) while the server is SIGKILLed at random moments and
// restarted, CRASH_KILLS times (default 5). Afterwards every report that got a 201 is stored
// exactly once, every stored visit has its ledger row and every ledger row its visit (nothing
// half-written), and the audit chain verifies. Bounded: CRASH_SECONDS (default 30) of load.
//
// The demo is seeded with a case history (--cases 150) for accepted provider orders. Run by
// `make crash` (part of `make test`), or
//   HANNA_BIN=build/hanna node --test tests/crash/
// (HANNA_TEST_ENGINE=pg HANNA_TEST_PG_URL=... for PostgreSQL, as tests/http/run sets them).
import { test, after } from 'node:test';

import { assert, sleep, startServer } from '../http/harness.mjs';

const CLIENTS = 32;
const KILLS = Number(process.env.CRASH_KILLS || 5);
const SECONDS = Number(process.env.CRASH_SECONDS || 30);

let s;
after(async () => {
	await s?.cleanup();
});

test('every acknowledged visit report survives SIGKILL exactly once', { timeout: (SECONDS + 120) * 1000 }, async () => {
	s = await startServer({ demoArgs: ['--cases', '150'] });
	const token = await s.token('utforare');
	const today = new Date().toISOString().slice(0, 10);
	const c = await s.request('GET', `/api/v1/visits/customers?date=${today}`, { token });
	assert.equal(c.status, 200, `customers: ${c.status} ${c.text}`);
	// Orders active for the last 30 days at least, so that the reports below fall under them.
	const first = new Date(Date.now() - 30 * 86400e3).toISOString().slice(0, 10);
	const customers = c.json.items.filter((it) => (it.from || '9999') <= first);
	assert.ok(customers.length > 0, 'the demo provider has customers with older orders');

	const acked = new Set();
	const tried = new Set();
	let stop = false;
	let answers5xx = 0;
	// Yesterday's UTC midnight. Clients share customers (the demo has about 15 with older
	// orders): the clients of one customer take turns in its 4-minute slots between 01:00 and
	// 20:00 UTC (285 a day), each visit 3 minutes long, a day further back once the slots of
	// a day are used; staff per client. So no two reports overlap for a customer or a staff
	// member, and none is in the future.
	const base = Math.floor(Date.now() / 86400e3 - 1) * 86400;
	const SLOTS = 285;
	const n = Math.min(CLIENTS, customers.length);
	const share = Math.ceil(CLIENTS / n);
	const client = async (i) => {
		const cu = customers[i % n];
		for (let k = 0; !stop; k++) {
			const g = k * share + Math.floor(i / n);
			if (Math.floor(g / SLOTS) > 27)
				break;
			const start = base - Math.floor(g / SLOTS) * 86400 + 3600 + (g % SLOTS) * 240;
			const body = {
				person_id: cu.person_id, service: cu.service, staff: `crash-${i}`,
				start: new Date(start * 1000).toISOString().replace('.000', ''),
				end: new Date((start + 180) * 1000).toISOString().replace('.000', ''),
			};
			const key = `crash-${i}-${k}`;
			tried.add(key);
			// The same key and body until an answer comes (or the test ends).
			while (!stop) {
				try {
					const r = await s.request('POST', '/api/v1/visits', {
						token, json: body, headers: { 'idempotency-key': key } });
					if (r.status === 201) {
						acked.add(key);
						break;
					}
					if (r.status >= 500) {
						answers5xx++;
						await sleep(20);
						continue;
					}
					assert.fail(`report ${key}: ${r.status} ${r.text}`);
				} catch (e) {
					if (e.code === 'ERR_ASSERTION')
						throw e;
					await sleep(20); // the server is down: try again
				}
			}
		}
	};
	assert.ok(n >= Math.min(CLIENTS, 8), `at least 8 customers with orders (have ${customers.length})`);
	const running = Array.from({ length: CLIENTS }, (_, i) => client(i));

	const until = Date.now() + SECONDS * 1000;
	for (let kill = 0; kill < KILLS && Date.now() < until; kill++) {
		await sleep(300 + Math.random() * 1500);
		s.proc.kill('SIGKILL');
		await s.exit;
		await s.start();
	}
	await sleep(Math.max(0, Math.min(2000, until - Date.now())));
	stop = true;
	await Promise.all(running);
	assert.ok(acked.size > 0, 'some reports were acknowledged');

	// The ledger and the visits: one row per acknowledged key, nothing half-written.
	const rows = s.sql("SELECT idempotency_key, visit_id FROM visit_reports WHERE idempotency_key LIKE 'crash-%'")
		.split('\n').filter(Boolean).map((l) => l.split('|'));
	const stored = new Map();
	for (const [key, visit] of rows) {
		assert.ok(!stored.has(key), `key ${key} stored twice`);
		stored.set(key, visit);
	}
	for (const key of acked)
		assert.ok(stored.has(key), `acknowledged report ${key} is missing`);
	for (const key of stored.keys())
		assert.ok(tried.has(key), `stored key ${key} was never sent`);
	const orphans = s.sql("SELECT count(*) FROM visits v WHERE v.staff_ref LIKE 'crash-%' AND NOT EXISTS "
		+ '(SELECT 1 FROM visit_reports r WHERE r.visit_id = v.id)');
	assert.equal(orphans.trim(), '0', 'every visit has its ledger row');
	const dangling = s.sql("SELECT count(*) FROM visit_reports r WHERE r.idempotency_key LIKE 'crash-%' AND "
		+ 'NOT EXISTS (SELECT 1 FROM visits v WHERE v.id = r.visit_id)');
	assert.equal(dangling.trim(), '0', 'every ledger row has its visit');
	const visits = s.sql("SELECT count(*) FROM visits WHERE staff_ref LIKE 'crash-%'");
	assert.equal(Number(visits), stored.size, 'one visit per stored report');

	const { code } = await s.stop();
	assert.equal(code, 0, s.logTail());
	const v = s.verify();
	assert.equal(v.status, 0, `audit verify: ${v.stdout}${v.stderr}`);
	console.log(`# crash: ${KILLS} kills, ${acked.size} acknowledged, ${stored.size} stored, `
		+ `${tried.size} sent, ${answers5xx} answers 5xx`);
});
