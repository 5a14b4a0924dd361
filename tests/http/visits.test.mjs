// Time reporting (issue 5): check-in and check-out, reports from a provider's system, manual
// entry and corrections, deviations, period locks, granted versus performed, bulk files, and
// the idempotency ledger; on a demo with a case history (accepted orders to the first
// provider, whose users are utforare and personal).
import { test, after, before } from 'node:test';

import { assert, assertProblem, shutdownTest, startServer } from './harness.mjs';

let s;
before(async () => {
	s = await startServer({ demoArgs: ['--cases', '150'] });
});
after(async () => {
	await s?.cleanup();
});

const iso = (t) => new Date(t * 1000).toISOString().replace('.000', '');
const DAY = 86400;
// UTC midnight of a date 'YYYY-MM-DD'.
const midnight = (d) => Date.parse(`${d}T00:00:00Z`) / 1000;
const today = () => new Date().toISOString().slice(0, 10);
const monthOf = (t) => new Date(t * 1000).toISOString().slice(0, 7);
// The first day of the month before this one, and that month.
const lastMonthFirst = () => {
	const d = new Date();
	d.setUTCDate(1);
	d.setUTCMonth(d.getUTCMonth() - 1);
	return d.toISOString().slice(0, 10);
};

let customers;
// A customer whose order covers the whole of last month and today, not yet used by a test.
const used = new Set();
function customer() {
	const c = customers.find((it) => it.from <= lastMonthFirst() && !used.has(it.person_id));
	assert.ok(c, 'a customer with an order since last month');
	used.add(c.person_id);
	return c;
}
const post = (user, path, json, key) =>
	s.as(user, 'POST', path, { json, headers: key ? { 'idempotency-key': key } : {} });

test('the day\'s customers: the provider\'s active orders with a short name; others 403', async () => {
	const r = await s.as('personal', 'GET', `/api/v1/visits/customers?date=${today()}`);
	assert.equal(r.status, 200, r.text);
	customers = r.json.items;
	assert.ok(customers.length >= 3, `customers: ${r.text}`);
	for (const c of customers) {
		assert.equal(typeof c.person_id, 'number');
		assert.match(c.name, /^\S.* .\.$/);
		assert.match(c.service, /^hemtjanst/);
		assert.ok(c.from <= today());
	}
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/visits/customers'), 403);
	assertProblem(await s.as('personal', 'GET', '/api/v1/visits/customers?date=2026-02-30'), 400, 'date');
});

test('check-in, a retry with the same key stored once, another body under the key 409, check-out', async () => {
	const c = customer();
	const y = midnight(today()) - DAY;
	const body = { person_id: c.person_id, service: c.service, at: iso(y + 12 * 3600) };
	const a = await post('personal', '/api/v1/visits/check-in', body, 'phone-in-1');
	assert.equal(a.status, 201, a.text);
	assert.equal(a.json.state, 'open');
	assert.equal(a.json.end, null);
	assert.equal(a.json.staff, 'personal');
	assert.equal(a.json.source, 'phone');
	const again = await post('personal', '/api/v1/visits/check-in', body, 'phone-in-1');
	assert.equal(again.status, 201, again.text);
	assert.equal(again.json.id, a.json.id);
	assert.equal(again.headers.get('idempotent-replayed'), 'true');
	assert.equal(s.sql("SELECT count(*) FROM visit_reports WHERE idempotency_key = 'phone-in-1'").trim(), '1');
	assert.equal(s.sql(`SELECT count(*) FROM visits WHERE person_id = ${c.person_id}`).trim(), '1');
	const other = await post('personal', '/api/v1/visits/check-in', { ...body, at: iso(y + 13 * 3600) }, 'phone-in-1');
	assertProblem(other, 409, 'Idempotency-Key');
	assertProblem(await post('personal', '/api/v1/visits/check-in', body), 400, 'Idempotency-Key');

	const out = await post('personal', '/api/v1/visits/check-out',
		{ check_in_key: 'phone-in-1', at: iso(y + 12 * 3600 + 25 * 60), deviation: null }, 'phone-out-1');
	assert.equal(out.status, 200, out.text);
	assert.equal(out.json.id, a.json.id);
	assert.equal(out.json.state, 'done');
	assert.equal(out.json.performed_minutes, 25);
	assert.equal(out.json.billable_minutes, 25);
	// A check-out retried after a lost answer: the same answer, nothing changed.
	const out2 = await post('personal', '/api/v1/visits/check-out',
		{ check_in_key: 'phone-in-1', at: iso(y + 12 * 3600 + 25 * 60), deviation: null }, 'phone-out-1');
	assert.equal(out2.status, 200);
	assert.equal(out2.json.updated_at, out.json.updated_at);
	// A second check-out of the same visit with a new key is refused.
	const out3 = await post('personal', '/api/v1/visits/check-out',
		{ check_in_key: 'phone-in-1', at: iso(y + 12 * 3600 + 30 * 60) }, 'phone-out-2');
	assertProblem(out3, 422, 'check_in_key');
	assertProblem(await post('personal', '/api/v1/visits/check-out',
		{ check_in_key: 'never-sent', at: iso(y + 12 * 3600) }, 'phone-out-3'), 422, 'check_in_key');

	// A provider system sends the same report eight times at once under a new key: one is
	// stored and all eight get its answer (the race between the reader's look-up of the key
	// and the writer's unique ledger key).
	const burst = { person_id: c.person_id, service: c.service, staff: 'burst', start: iso(y + 6 * 3600),
		end: iso(y + 6.5 * 3600) };
	const answers = await Promise.all(Array.from({ length: 8 },
		() => post('utforare', '/api/v1/visits', burst, 'system-burst-1')));
	for (const r of answers)
		assert.equal(r.status, 201, r.text);
	assert.equal(new Set(answers.map((r) => r.json.id)).size, 1, 'one visit for all eight');
	assert.equal(s.sql("SELECT count(*) FROM visit_reports WHERE idempotency_key = 'system-burst-1'").trim(), '1');
	assert.equal(s.sql(`SELECT count(*) FROM visits WHERE person_id = ${c.person_id} AND staff_ref = 'burst'`).trim(), '1');

	const g = await s.as('personal', 'GET', `/api/v1/visits/${a.json.id}`);
	assert.equal(g.status, 200);
	assert.equal(g.json.end, iso(y + 12 * 3600 + 25 * 60));
	const audit = await s.auditOf(c.person_id);
	assert.ok(audit.some((e) => e.entity === 'visit' && e.action === 'create'), 'check-in audited');
	assert.ok(audit.some((e) => e.entity === 'visit' && e.action === 'update'), 'check-out audited');
});

test('review 2026-11, finding 4: a check-in while the staff member has an open visit is refused; the offline queue and replays still work', async () => {
	const c = customer();
	const c2 = customer();
	const y = midnight(today()) - DAY;
	const inn = (cust, h, key) => post('personal', '/api/v1/visits/check-in',
		{ person_id: cust.person_id, service: cust.service, at: iso(y + h * 3600) }, key);
	const a = await inn(c, 15, 'f4-in-a');
	assert.equal(a.status, 201, a.text);
	const before = s.sql('SELECT count(*) FROM visits').trim();
	// The same customer and another one, half an hour later, while A is open.
	for (const [cust, key] of [[c, 'f4-in-x'], [c2, 'f4-in-y']]) {
		const p = assertProblem(await inn(cust, 15.5, key), 422, 'staff');
		assert.match(p.errors[0].message, /pågående besök/);
	}
	assert.equal(s.sql('SELECT count(*) FROM visits').trim(), before, 'nothing stored');
	// A retry of A's check-in is still the stored answer, not a refusal.
	const again = await inn(c, 15, 'f4-in-a');
	assert.equal(again.status, 201, again.text);
	assert.equal(again.json.id, a.json.id);
	assert.equal(again.headers.get('idempotent-replayed'), 'true');
	// The phone's queue replayed in order: check-out A, then check-in B at the next customer.
	const out = await post('personal', '/api/v1/visits/check-out', { check_in_key: 'f4-in-a', at: iso(y + 16 * 3600) }, 'f4-out-a');
	assert.equal(out.status, 200, out.text);
	const b = await inn(c2, 16, 'f4-in-b');
	assert.equal(b.status, 201, b.text);
	// A check-in inside A's done time is an overlap too.
	assertProblem(await inn(c, 15.5, 'f4-in-z'), 422, 'staff');
	const outB = await post('personal', '/api/v1/visits/check-out', { check_in_key: 'f4-in-b', at: iso(y + 16.5 * 3600) }, 'f4-out-b');
	assert.equal(outB.status, 200, outB.text);
});

test('reports outside an active order, overlaps, future times and bad codes are refused with the field', async () => {
	const c = customer();
	const y = midnight(today()) - DAY;
	const stranger = await s.createPerson();
	assertProblem(await post('personal', '/api/v1/visits/check-in',
		{ person_id: stranger.id, service: c.service, at: iso(y + 8 * 3600) }, 'x-1'), 422, 'person_id');
	assertProblem(await post('utforare', '/api/v1/visits', {
		person_id: c.person_id, service: 'personlig_assistans', staff: 'anna', start: iso(y), end: iso(y + 600),
	}), 422, 'service');
	const v = { person_id: c.person_id, service: c.service, staff: 'anna', start: iso(y + 9 * 3600), end: iso(y + 10 * 3600) };
	const a = await post('utforare', '/api/v1/visits', v, 'sys-1');
	assert.equal(a.status, 201, a.text);
	assert.equal(a.json.source, 'api');
	assert.equal(a.json.performed_minutes, 60);
	// Same customer and service, overlapping, another staff member.
	assertProblem(await post('utforare', '/api/v1/visits',
		{ ...v, staff: 'bertil', start: iso(y + 9.5 * 3600), end: iso(y + 10.5 * 3600) }), 422, 'start');
	// The same staff member elsewhere at the same time.
	const c2 = customer();
	assertProblem(await post('utforare', '/api/v1/visits',
		{ ...v, person_id: c2.person_id, service: c2.service, start: iso(y + 9.75 * 3600), end: iso(y + 11 * 3600) }), 422, 'staff');
	// Back to back is fine.
	const b = await post('utforare', '/api/v1/visits', { ...v, start: iso(y + 10 * 3600), end: iso(y + 10.5 * 3600) });
	assert.equal(b.status, 201, b.text);
	const future = Math.floor(Date.now() / 1000) + 3600;
	assertProblem(await post('utforare', '/api/v1/visits',
		{ ...v, start: iso(future), end: iso(future + 600) }), 422, 'start');
	assertProblem(await post('utforare', '/api/v1/visits',
		{ ...v, start: iso(y + 15 * 3600), end: iso(y + 14 * 3600) }), 422, 'end');
	assertProblem(await post('utforare', '/api/v1/visits', { ...v, deviation: 'sick' }), 400, 'deviation');
	assertProblem(await post('utforare', '/api/v1/visits', { ...v, start: '2026-13-01 08:00' }), 400, 'start');
	assertProblem(await post('utforare', '/api/v1/visits', { ...v, colour: 'red' }), 400);
	assertProblem(await s.as('handlaggare', 'POST', '/api/v1/visits', { json: v }), 403);
});

test('deviations: not performed counts nothing; bomtid after a check-in is spent, not billable', async () => {
	const c = customer();
	const y = midnight(today()) - 2 * DAY;
	const d = await post('personal', '/api/v1/visits/deviations',
		{ person_id: c.person_id, service: c.service, at: iso(y + 8 * 3600), deviation: 'hospital', planned_minutes: 45 }, 'dev-1');
	assert.equal(d.status, 201, d.text);
	assert.equal(d.json.deviation, 'hospital');
	assert.equal(d.json.end, null);
	assert.equal(d.json.performed_minutes, 0);
	assert.equal(d.json.planned_minutes, 45);
	assertProblem(await post('personal', '/api/v1/visits/deviations',
		{ person_id: c.person_id, service: c.service, at: iso(y + 9 * 3600), deviation: '' }, 'dev-2'), 400, 'deviation');
	const inn = await post('personal', '/api/v1/visits/check-in',
		{ person_id: c.person_id, service: c.service, at: iso(y + 10 * 3600) }, 'dev-in');
	assert.equal(inn.status, 201, inn.text);
	const out = await post('personal', '/api/v1/visits/check-out',
		{ check_in_key: 'dev-in', at: iso(y + 10 * 3600 + 10 * 60), deviation: 'declined', note: 'Ville inte öppna.' }, 'dev-out');
	assert.equal(out.status, 200, out.text);
	assert.equal(out.json.deviation, 'declined');
	assert.equal(out.json.spent_minutes, 10);
	assert.equal(out.json.performed_minutes, 0);
	assert.equal(out.json.billable_minutes, 0);
	assert.equal(out.json.note, 'Ville inte öppna.');
});

test('manual entry with a reason and a correction that keeps the original, audited', async () => {
	const c = customer();
	const y = midnight(today()) - 3 * DAY;
	const m = await post('utforare', '/api/v1/visits', {
		person_id: c.person_id, service: c.service, staff: 'cecilia', start: iso(y + 8 * 3600), end: iso(y + 8.5 * 3600),
		reason: 'Telefonen var urladdad.',
	});
	assert.equal(m.status, 201, m.text);
	assert.equal(m.json.source, 'manual');
	assert.equal(m.json.reason, 'Telefonen var urladdad.');
	assertProblem(await post('utforare', `/api/v1/visits/${m.json.id}/corrections`,
		{ start: iso(y + 8 * 3600), end: iso(y + 9 * 3600) }), 400, 'reason');
	assertProblem(await post('personal', `/api/v1/visits/${m.json.id}/corrections`,
		{ start: iso(y + 8 * 3600), end: iso(y + 9 * 3600), reason: 'x' }), 403);
	const k = await post('utforare', `/api/v1/visits/${m.json.id}/corrections`,
		{ start: iso(y + 8 * 3600), end: iso(y + 9 * 3600), deviation: 'longer', reason: 'Fel sluttid.' });
	assert.equal(k.status, 201, k.text);
	assert.equal(k.json.corrects_id, m.json.id);
	assert.equal(k.json.source, 'correction');
	assert.equal(k.json.staff, 'cecilia');
	assert.equal(k.json.performed_minutes, 60);
	const orig = await s.as('utforare', 'GET', `/api/v1/visits/${m.json.id}`);
	assert.equal(orig.json.state, 'superseded');
	assert.equal(orig.json.superseded_by, k.json.id);
	assert.equal(orig.json.performed_minutes, 30, 'the original row is kept as it was');
	assertProblem(await post('utforare', `/api/v1/visits/${m.json.id}/corrections`,
		{ start: iso(y + 8 * 3600), end: iso(y + 9 * 3600), reason: 'Igen.' }), 409);
	const audit = await s.auditOf(c.person_id);
	assert.ok(audit.some((e) => e.entity === 'visit' && e.action === 'correct' && e.entity_id === k.json.id));
	// The caseworker reads the person's visits; another tenant's caseworker gets 404.
	const l = await s.as('handlaggare', 'GET', `/api/v1/visits?person_id=${c.person_id}&month=${monthOf(y)}`);
	assert.equal(l.status, 200, l.text);
	assert.deepEqual(l.json.items.map((v) => v.id).sort(), [m.json.id, k.json.id].sort());
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/visits'), 400, 'person_id');
	assertProblem(await s.as('h2', 'GET', `/api/v1/visits/${k.json.id}`), 404);
	assertProblem(await s.as('medborgare', 'GET', `/api/v1/visits/${k.json.id}`), 403);
});

test('a locked month refuses changes without a reason; a correction is booked in the next open month', async () => {
	const c = customer();
	const first = midnight(lastMonthFirst());
	const month = lastMonthFirst().slice(0, 7);
	const v = { person_id: c.person_id, service: c.service, staff: 'david', start: iso(first + 3 * DAY + 9 * 3600), end: iso(first + 3 * DAY + 10 * 3600) };
	const a = await post('utforare', '/api/v1/visits', v);
	assert.equal(a.status, 201, a.text);
	assert.equal(a.json.booked_month, month);
	assertProblem(await post('personal', '/api/v1/visits/periods', { month }), 403);
	assertProblem(await post('utforare', '/api/v1/visits/periods', { month: today().slice(0, 7) }), 422, 'month');
	const lock = await post('utforare', '/api/v1/visits/periods', { month });
	assert.equal(lock.status, 201, lock.text);
	assertProblem(await post('utforare', '/api/v1/visits/periods', { month }), 409, 'month');
	const locks = await s.as('utforare', 'GET', '/api/v1/visits/periods');
	assert.equal(locks.status, 200);
	assert.equal(locks.json.items[0].month, month);

	// A new report in the locked month without a reason: refused, nothing stored.
	const before = s.sql('SELECT count(*) FROM visits').trim();
	assertProblem(await post('utforare', '/api/v1/visits',
		{ ...v, start: iso(first + 4 * DAY + 9 * 3600), end: iso(first + 4 * DAY + 10 * 3600) }), 422, 'start');
	assert.equal(s.sql('SELECT count(*) FROM visits').trim(), before);
	// With a reason it is an adjustment in the next open month.
	const late = await post('utforare', '/api/v1/visits',
		{ ...v, start: iso(first + 4 * DAY + 9 * 3600), end: iso(first + 4 * DAY + 10 * 3600), reason: 'Glömd.' });
	assert.equal(late.status, 201, late.text);
	assert.equal(late.json.month, month);
	assert.equal(late.json.booked_month, today().slice(0, 7));
	const k = await post('utforare', `/api/v1/visits/${a.json.id}/corrections`,
		{ start: v.start, end: iso(first + 3 * DAY + 9.5 * 3600), deviation: 'shorter', planned_minutes: 60, reason: 'Kortare besök.' });
	assert.equal(k.status, 201, k.text);
	assert.equal(k.json.booked_month, today().slice(0, 7));
	const adj = await s.as('utforare', 'GET', `/api/v1/visits?month=${today().slice(0, 7)}&booked=true`);
	assert.ok(adj.json.items.some((x) => x.id === k.json.id));

	// Granted versus performed of the locked month: the corrected row counts, with its reason.
	const sum = await s.as('utforare', 'GET', `/api/v1/visits/summary?month=${month}`);
	assert.equal(sum.status, 200, sum.text);
	const row = sum.json.items.find((x) => x.person_id === c.person_id);
	assert.ok(row, sum.text);
	assert.equal(row.performed_minutes, 30 + 60);
	assert.equal(row.granted_minutes - row.performed_minutes, row.difference_minutes);
	assert.equal(row.reasons.shorter, 30);
	// This month's summary shows the adjustments booked into it.
	const now = await s.as('utforare', 'GET', `/api/v1/visits/summary?month=${today().slice(0, 7)}`);
	const nrow = now.json.items.find((x) => x.person_id === c.person_id);
	assert.equal(nrow.adjustment_minutes, 60 + (30 - 60));
	// The caseworker's follow-up of the person.
	const cw = await s.as('handlaggare', 'GET', `/api/v1/visits/summary?month=${month}&person_id=${c.person_id}`);
	assert.equal(cw.status, 200, cw.text);
	assert.equal(cw.json.items[0].performed_minutes, 90);
	assertProblem(await s.as('handlaggare', 'GET', `/api/v1/visits/summary?month=${month}`), 400, 'person_id');
});

test('bulk: a CSV with one bad line is rejected whole with the line named; a good one is stored whole', async () => {
	const c = customer();
	const y = new Date((midnight(today()) - 4 * DAY) * 1000).toISOString().slice(0, 10);
	const month = y.slice(0, 7);
	const csv = (rows) => `kund_id;insats;personal;start;slut;avvikelse\n${rows.join('\n')}\n`;
	const good = [
		`${c.person_id};${c.service};erik;${y} 08:00;${y} 08:30;`,
		`${c.person_id};${c.service};erik;${y} 09:00;${y} 09:45;staff_late`,
		`${c.person_id};${c.service};erik;${y} 11:00;${y} 11:30;`,
	];
	const before = s.sql('SELECT count(*) FROM visits').trim();
	const bad = [...good];
	bad[1] = `${c.person_id};${c.service};erik;${y} 09:00;${y} 08:45;`;
	const r = await s.as('utforare', 'POST', `/api/v1/visits/bulk?month=${month}`,
		{ body: csv(bad), headers: { 'content-type': 'text/csv' } });
	assertProblem(r, 422);
	assert.equal(r.json.error_count, 1);
	assert.equal(r.json.lines[0].line, 3);
	assert.match(r.json.errors[0].field, /^rad 3/);
	assert.equal(s.sql('SELECT count(*) FROM visits').trim(), before, 'nothing stored');
	// A line outside any order is found by the store's checks, also before anything is stored.
	const stranger = await s.createPerson();
	const r2 = await s.as('utforare', 'POST', `/api/v1/visits/bulk?month=${month}`,
		{ body: csv([...good, `${stranger.id};${c.service};fia;${y} 08:00;${y} 08:30;`]), headers: { 'content-type': 'text/csv' } });
	assertProblem(r2, 422);
	assert.equal(r2.json.lines[0].line, 5);
	assert.equal(r2.json.lines[0].field, 'person_id');
	assert.equal(s.sql('SELECT count(*) FROM visits').trim(), before, 'nothing stored');
	const ok = await s.as('utforare', 'POST', `/api/v1/visits/bulk?month=${month}`,
		{ body: csv(good), headers: { 'content-type': 'text/csv', 'idempotency-key': 'bulk-1' } });
	assert.equal(ok.status, 201, ok.text);
	assert.equal(ok.json.rows, 3);
	assert.equal(Number(s.sql('SELECT count(*) FROM visits')), Number(before) + 3);
	const again = await s.as('utforare', 'POST', `/api/v1/visits/bulk?month=${month}`,
		{ body: csv(good), headers: { 'content-type': 'text/csv', 'idempotency-key': 'bulk-1' } });
	assert.equal(again.status, 201);
	assert.equal(again.json.id, ok.json.id);
	assert.equal(Number(s.sql('SELECT count(*) FROM visits')), Number(before) + 3, 'stored once');
	// The same rows again under a new key overlap the stored ones: refused whole.
	const dup = await s.as('utforare', 'POST', `/api/v1/visits/bulk?month=${month}`,
		{ body: JSON.stringify(good.map((l) => { const f = l.split(';'); return { person_id: Number(f[0]), service: f[1], staff: f[2], start: f[3], end: f[4] }; })),
			headers: { 'content-type': 'application/json' } });
	assertProblem(dup, 422);
	assert.equal(dup.json.error_count, 3);
	assert.equal(dup.json.lines[0].line, 1);
	assertProblem(await s.as('utforare', 'POST', `/api/v1/visits/bulk?month=${month}`,
		{ body: 'x', headers: { 'content-type': 'text/plain' } }), 415);
	assertProblem(await s.as('personal', 'POST', `/api/v1/visits/bulk?month=${month}`,
		{ body: csv(good), headers: { 'content-type': 'text/csv' } }), 403);
});

test('review 2026-11: bulk answers 400 naming month or Idempotency-Key (finding 1); errors by line, then column (finding 22)', async () => {
	const c = customer();
	const y = new Date((midnight(today()) - 4 * DAY) * 1000).toISOString().slice(0, 10);
	const month = y.slice(0, 7);
	const good = `kund_id;insats;personal;start;slut\n${c.person_id};${c.service};gun;${y} 06:00;${y} 06:20\n`;
	const send = (query, headers = {}, body = good) => s.as('utforare', 'POST', `/api/v1/visits/bulk${query}`,
		{ body, headers: { 'content-type': 'text/csv', ...headers } });
	const before = s.sql('SELECT count(*) FROM visits').trim();
	for (const q of ['', '?month=2026-13', '?month=abc'])
		assertProblem(await send(q), 400, 'month');
	assertProblem(await send(`?month=${month}`, { 'idempotency-key': 'k'.repeat(150) }), 400, 'Idempotency-Key');
	// A wrong month with wrong lines: the month is named, not the lines.
	assertProblem(await send('?month=abc', {}, `${good}x;;;;\n`), 400, 'month');
	assert.equal(s.sql('SELECT count(*) FROM visits').trim(), before, 'nothing stored');

	// Lines 3 and 5 are wrong in the file; line 4 names a person without an order, which
	// the store's checks find after the file's own.
	const stranger = await s.createPerson();
	const rows = [
		`${c.person_id};${c.service};gun;${y} 07:00;${y} 07:20`,
		`${c.person_id};${c.service};gun;${y} 08:00;${y} 07:20`,
		`${stranger.id};${c.service};gun;${y} 09:00;${y} 09:20`,
		`x;${c.service};gun;${y} 10:00;${y} 09:20`,
	];
	const r = await send(`?month=${month}`, {}, `kund_id;insats;personal;start;slut\n${rows.join('\n')}\n`);
	assertProblem(r, 422);
	assert.deepEqual(r.json.lines.map((e) => `${e.line}:${e.field}`),
		['3:end', '4:person_id', '5:person_id', '5:end'], r.text);
	assert.deepEqual(r.json.errors.map((e) => e.field), ['rad 3: end', 'rad 4: person_id', 'rad 5: person_id', 'rad 5: end']);
	assert.equal(s.sql('SELECT count(*) FROM visits').trim(), before, 'nothing stored');
});

test('review 2026-11, finding 21: a Stockholm time skipped in spring or met twice in autumn is named', async () => {
	const c = customer();
	const v = { person_id: c.person_id, service: c.service, staff: 'hans', start: '2026-03-29 02:30', end: '2026-03-29 03:30' };
	const gap = assertProblem(await post('utforare', '/api/v1/visits', v), 400, 'start');
	assert.equal(gap.errors[0].message, 'tiden 02:30 finns inte den 29 mars (sommartid)');
	const twice = assertProblem(await post('utforare', '/api/v1/visits',
		{ ...v, start: '2026-10-25 01:30', end: '2026-10-25 02:15' }), 400, 'end');
	assert.equal(twice.errors[0].message, 'tiden 02:15 finns två gånger den 25 oktober (sommartiden slutar): ange tidszon');
	assertProblem(await post('utforare', '/api/v1/visits', { ...v, start: 'kl 8' }), 400, 'start');
});

test('a provider system with an API token reports visits', async () => {
	const c = customer();
	const me = await s.as('utforare', 'GET', '/api/v1/me');
	const pid = me.json.provider_id ?? me.json.user?.provider_id;
	const t = await s.as('utforare', 'POST', `/api/v1/providers/${pid}/tokens`, { json: { name: 'planering' } });
	assert.equal(t.status, 201, t.text);
	const y = midnight(today()) - 5 * DAY;
	const r = await s.request('POST', '/api/v1/visits', {
		token: t.json.token, headers: { 'idempotency-key': 'tok-1' },
		json: { person_id: c.person_id, service: c.service, staff: 'extern-7', start: iso(y + 8 * 3600), end: iso(y + 8.25 * 3600), external_id: 'P-123' },
	});
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.external_id, 'P-123');
	assert.equal(s.sql(`SELECT count(*) FROM visits WHERE id = ${r.json.id} AND created_by IS NULL`).trim(), '1');

	// The planning system sends a month of visits with the same token: stored whole, with
	// the token and the user who made it on record; a token may not approve a month.
	const d = new Date((y - DAY) * 1000).toISOString().slice(0, 10);
	const csv = `kund_id;insats;personal;start;slut\n${c.person_id};${c.service};extern-8;${d} 07:00;${d} 07:20\n`
		+ `${c.person_id};${c.service};extern-8;${d} 07:30;${d} 07:50\n`;
	const b = await s.request('POST', `/api/v1/visits/bulk?month=${d.slice(0, 7)}`, {
		token: t.json.token, body: csv, headers: { 'content-type': 'text/csv', 'idempotency-key': 'tok-bulk-1' },
	});
	assert.equal(b.status, 201, b.text);
	assert.equal(b.json.rows, 2);
	assert.equal(s.sql(`SELECT uploaded_by_token || ':' || uploaded_by FROM visit_bulk_uploads WHERE id = ${b.json.id}`).trim(),
		`${t.json.id}:${me.json.user?.id ?? me.json.id}`);
	assertProblem(await s.request('POST', '/api/v1/visits/periods', {
		token: t.json.token, json: { month: d.slice(0, 7) },
	}), 403);
});

test('pages: the phone page lists the day\'s customers; the follow-up and the approval of a month', async () => {
	const day = await s.as('personal', 'GET', '/besok');
	assert.equal(day.status, 200, day.text);
	assert.match(day.text, /<ul class="visits" data-visits data-csrf="[0-9a-f]+">/);
	assert.match(day.text, /<li data-person="\d+" data-service="hemtjanst_/);
	assert.match(day.text, /<script src="\/static\/visits\.js" defer><\/script>/);
	assert.equal((await s.as('handlaggare', 'GET', '/besok')).status, 403);
	const month = lastMonthFirst().slice(0, 7);
	const f = await s.as('utforare', 'GET', `/besok/uppfoljning?month=${month}`);
	assert.equal(f.status, 200, f.text);
	assert.match(f.text, /<table>/);
	assert.match(f.text, /Godkänn och lås/);
	assert.equal((await s.as('utforare', 'GET', '/besok/uppfoljning?month=2026-13')).status, 400);
	const c = customers[0];
	const cw = await s.as('handlaggare', 'GET', `/besok/uppfoljning?month=${month}&person_id=${c.person_id}`);
	assert.equal(cw.status, 200, cw.text);
	assert.doesNotMatch(cw.text, /Godkänn och lås/);
	const d = new Date();
	d.setUTCDate(1);
	d.setUTCMonth(d.getUTCMonth() - 3);
	const older = d.toISOString().slice(0, 7);
	const form = (f2) => s.as('utforare', 'POST', '/besok/perioder', { form: f2 });
	assert.equal((await form({ month: 'maj' })).status, 400);
	const ok = await form({ month: older });
	assert.equal(ok.status, 303, ok.text);
	assert.equal(ok.headers.get('location'), `/besok/uppfoljning?month=${older}`);
	assert.equal((await form({ month: older })).status, 409);
	assert.equal((await s.as('personal', 'POST', '/besok/perioder', { form: { month: older } })).status, 403);
});

test('the entry page: a visit entered afterwards with a reason, then corrected, from /besok/uppfoljning', async () => {
	const f = await s.as('utforare', 'GET', '/besok/uppfoljning');
	assert.match(f.text, /href="\/besok\/registrera"/);
	const c = customer();
	const yday = new Date((midnight(today()) - DAY) * 1000).toISOString().slice(0, 10);
	const page = await s.as('utforare', 'GET', `/besok/registrera?date=${yday}`);
	assert.equal(page.status, 200, page.text);
	assert.ok(page.text.includes(`<option value="${c.person_id}:${c.service}">`), 'the customer in the list');
	assert.equal((await s.as('personal', 'GET', '/besok/registrera')).status, 403);
	assert.equal((await s.as('utforare', 'GET', '/besok/registrera?date=2026-02-30')).status, 400);
	const form = (x) => s.as('utforare', 'POST', '/besok/registrera', { form: x });
	const base = { date: yday, customer: `${c.person_id}:${c.service}`, staff: 'Anna A', start: '09:00', end: '09:40' };
	// No reason: refused, the form shown again with the values; nothing stored.
	let r = await form(base);
	assert.equal(r.status, 400);
	assert.match(r.text, /Besöket sparades inte/);
	assert.match(r.text, /value="Anna A"/);
	r = await form({ ...base, end: '08:00', reason: 'Glömd i telefonen' });
	assert.equal(r.status, 422, r.text.slice(0, 300));
	assert.equal(s.sql(`SELECT count(*) FROM visits WHERE person_id = ${c.person_id}`).trim(), '0');
	r = await form({ ...base, reason: 'Glömd i telefonen' });
	assert.equal(r.status, 303, r.text.slice(0, 300));
	const id = Number(r.headers.get('location').match(/^\/besok\/registrera\?date=\d{4}-\d\d-\d\d&saved=(\d+)$/)[1]);
	let v = await s.as('utforare', 'GET', `/api/v1/visits/${id}`);
	assert.equal(v.json.source, 'manual');
	assert.equal(v.json.reason, 'Glömd i telefonen');
	assert.equal(v.json.staff, 'Anna A');
	const shown = await s.as('utforare', 'GET', r.headers.get('location'));
	assert.match(shown.text, /Besöket är sparat/);
	assert.ok(shown.text.includes(`href="/besok/registrera?visit_id=${id}"`));
	// The correction form is filled in with the visit's values.
	const fix = await s.as('utforare', 'GET', `/besok/registrera?visit_id=${id}`);
	assert.equal(fix.status, 200, fix.text);
	assert.match(fix.text, /Rätta ett besök/);
	assert.match(fix.text, /name="start" value="09:00"/);
	r = await form({ visit_id: id, staff: 'Anna A', start: '09:00', end: '09:55' });
	assert.equal(r.status, 400);
	r = await form({ visit_id: id, staff: 'Anna A', start: '09:00', end: '09:55', reason: 'Slutade senare' });
	assert.equal(r.status, 303, r.text.slice(0, 300));
	v = await s.as('utforare', 'GET', `/api/v1/visits/${id}`);
	assert.equal(v.json.state, 'superseded');
	const items = (await s.as('utforare', 'GET', `/api/v1/visits?month=${yday.slice(0, 7)}&person_id=${c.person_id}`)).json.items;
	const corr = items.find((x) => x.corrects_id === id);
	assert.ok(corr, JSON.stringify(items));
	assert.equal(corr.performed_minutes, 55);
	assert.equal(corr.reason, 'Slutade senare');
	// The original cannot be corrected twice.
	r = await form({ visit_id: id, staff: 'Anna A', start: '09:00', end: '09:50', reason: 'igen' });
	assert.equal(r.status, 409);
	assert.equal((await s.as('utforare', 'GET', `/besok/registrera?visit_id=${id}`)).status, 409);
	const recs = await s.auditOf(c.person_id);
	assert.ok(recs.some((e) => e.action === 'correct' && e.username === 'utforare'));
});

shutdownTest(test, () => s);
