// Review 11b: the first delivery under an order records its decision as executed (verkställt).
// A performed home-care visit (a check-in counts) or a personal-assistance shift under an
// accepted order sets the decision's executed_date to the delivery's day, moves the case to
// executing, writes a timeline event and an audit record by the reporting user, once; a report
// without a visit does not, nor does a visit after the decision was closed without execution;
// the quarter's report of unexecuted decisions then shows the decision executed.
import { after, before, test } from 'node:test';

import { assert, shutdownTest, startServer } from './harness.mjs';
import { addDays, backdate, decision, item, quarter } from './decisions_fixture.mjs';

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});
const stockholmDay = (t) => new Date(t).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
// Yesterday in Stockholm (a report may not lie in the future), and noon of it as RFC 3339.
const D = stockholmDay(Date.now() - 86400000);
const noon = (day, h = 12) => `${day}T${String(h).padStart(2, '0')}:00:00+01:00`;
const q = { year: Number(D.slice(0, 4)), quarter: Math.floor((Number(D.slice(5, 7)) - 1) / 3) + 1 };

let provider;
// A granted decision of service taken 120 days before D (so the quarter of D reports it while
// unexecuted) with an accepted order from that day to the first demo provider (whose users are
// utforare and personal): the fixture's {pnr, person, caseId, d} and order.
async function ordered(service) {
	provider ??= Number(s.sql("SELECT provider_id FROM users WHERE username = 'utforare'").trim());
	const start = addDays(D, -120);
	const by = service === 'personlig_assistans' ? 'chef' : 'handlaggare'; /* the delegation order */
	const x = await decision(s, { service, start, end: addDays(start, 180), hours: 20, by });
	backdate(s, x, start, addDays(start, -10));
	const o = await s.as('handlaggare', 'POST', `/api/v1/decisions/${x.d.id}/orders`, { json: { provider_id: provider } });
	assert.equal(o.status, 201, o.text);
	const a = await s.as('utforare', 'POST', `/api/v1/orders/${o.json.id}/accept`, { json: {} });
	assert.equal(a.status, 200, a.text);
	x.order = o.json;
	return x;
}

const executedDate = (x) => s.sql(`SELECT COALESCE(executed_date, '') FROM decisions WHERE id = ${x.d.id}`).trim();
const caseState = (x) => s.sql(`SELECT state FROM cases WHERE id = ${x.caseId}`).trim();
const events = (x) => s.sql(`SELECT count(*) FROM case_events WHERE case_id = ${x.caseId} AND kind = 'executed'`).trim();
const audits = (x, user) => s.sql(`SELECT count(*) FROM audit_log WHERE entity = 'decision' AND entity_id = ${x.d.id}` +
	` AND action = 'update' AND user_id = (SELECT id FROM users WHERE username = '${user}')`).trim();
const post = (user, path, json, key) =>
	s.as(user, 'POST', path, { json, headers: key ? { 'idempotency-key': key } : {} });

const st = {};

test('before any delivery the decision waits for execution in the quarter report', async () => {
	st.home = await ordered('hemtjanst_service');
	assert.equal(executedDate(st.home), '');
	assert.equal(events(st.home), '0');
	const r = await quarter(s, q.year, q.quarter);
	assert.equal(r.status, 200, r.text);
	assert.equal(item(r, st.home)?.state, 'waiting', r.text);
});

test('a check-in executes the decision on its day, once, audited as the staff member', async () => {
	const x = st.home;
	const stateBefore = caseState(x);
	const a = await post('personal', '/api/v1/visits/check-in',
		{ person_id: x.person.id, service: 'hemtjanst_service', at: noon(D) }, 'exec-in-1');
	assert.equal(a.status, 201, a.text);
	assert.equal(executedDate(x), D);
	assert.notEqual(stateBefore, 'executing');
	assert.equal(caseState(x), 'executing');
	assert.equal(events(x), '1');
	const detail = s.sql(`SELECT detail FROM case_events WHERE case_id = ${x.caseId} AND kind = 'executed'`).trim();
	assert.equal(detail, `Verkställt: Hemtjänst – serviceinsatser från ${D} (första rapporterade besöket eller passet, beslut ${x.d.id})`);
	assert.equal(audits(x, 'personal'), '1');

	// The check-out, and a second visit on the same day, change nothing more.
	const out = await post('personal', '/api/v1/visits/check-out', { check_in_key: 'exec-in-1', at: noon(D, 13) }, 'exec-out-1');
	assert.equal(out.status, 200, out.text);
	const b = await post('personal', '/api/v1/visits/check-in',
		{ person_id: x.person.id, service: 'hemtjanst_service', at: noon(D, 15) }, 'exec-in-2');
	assert.equal(b.status, 201, b.text);
	assert.equal(executedDate(x), D);
	assert.equal(events(x), '1');
	assert.equal(audits(x, 'personal'), '1');
});

test('a visit cancelled in advance does not execute its decision; a performed one from a system does', async () => {
	const x = await ordered('hemtjanst_service');
	const c = await post('personal', '/api/v1/visits/deviations',
		{ person_id: x.person.id, service: 'hemtjanst_service', at: noon(D), deviation: 'cancelled', planned_minutes: 30 }, 'exec-dev-1');
	assert.equal(c.status, 201, c.text);
	assert.equal(executedDate(x), '');
	assert.equal(events(x), '0');
	const v = await post('utforare', '/api/v1/visits',
		{ person_id: x.person.id, service: 'hemtjanst_service', staff: 'Sara', start: noon(D, 14), end: noon(D, 15), deviation: 'shorter' });
	assert.equal(v.status, 201, v.text);
	assert.equal(executedDate(x), D);
	assert.equal(audits(x, 'utforare'), '1');
});

test('a decision closed without execution is not executed by a later visit', async () => {
	const x = await ordered('hemtjanst_service');
	const cl = await s.as('handlaggare', 'POST', `/api/v1/decisions/${x.d.id}/closing`,
		{ json: { closed_date: addDays(D, -1), reason: 'declined', note: 'Tackade nej.' } });
	assert.equal(cl.status, 200, cl.text);
	const v = await post('utforare', '/api/v1/visits',
		{ person_id: x.person.id, service: 'hemtjanst_service', staff: 'Olle', start: noon(D, 9), end: noon(D, 10) });
	/* The order stays accepted: the visit is stored, the decision stays closed. */
	assert.equal(v.status, 201, v.text);
	assert.equal(executedDate(x), '');
	assert.equal(events(x), '0');
	assert.equal(s.sql(`SELECT closed_date FROM decisions WHERE id = ${x.d.id}`).trim(), addDays(D, -1));
});

test('a personal-assistance shift executes its decision; the quarter report shows it executed', async () => {
	const x = await ordered('personlig_assistans');
	st.pa = x;
	const r = await s.as('personal', 'POST', '/api/v1/assistance/hours',
		{ json: { person_id: x.person.id, date: D, start: '08:00', end: '12:00' } });
	assert.equal(r.status, 201, r.text);
	assert.equal(executedDate(x), D);
	assert.equal(caseState(x), 'executing');
	assert.equal(events(x), '1');
	assert.equal(audits(x, 'personal'), '1');

	const rep = await quarter(s, q.year, q.quarter);
	assert.equal(rep.status, 200, rep.text);
	for (const y of [st.home, st.pa]) {
		const it = item(rep, y);
		assert.ok(it, `decision ${y.d.id} in the quarter`);
		assert.equal(it.state, 'executed');
		assert.equal(it.executed_date, D);
	}
});

shutdownTest(test, () => s);
