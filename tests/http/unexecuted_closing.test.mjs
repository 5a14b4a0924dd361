// A granted decision that ends without being executed (legal-duties.md section 1, SoL 34 kap.
// 1–4 §§, LSS 28 f–h §§): POST /api/v1/decisions/{id}/closing and the case view's form
// POST /beslut/{id}/avsluta close it (declined, withdrawn, deceased, moved, period ended,
// other); a reassessment closes an unexecuted grant it replaces on the new decision's date.
// The quarterly report then lists it once more, in the quarter of the closing, with the date
// and the reason in Swedish (JSON, CSV, PDF and /chef/ej-verkstallda), and never after; closed
// by its deadline it is never listed. The council's statistics count it apart from the
// decisions still waiting. Wrong input is 400 naming the field, a wrong state 409 or 422, and
// only staff with case access may close; every closing is audited.
import { after, before, test } from 'node:test';

import { assert, assertProblem, shutdownTest, startServer } from './harness.mjs';
import * as fx from './decisions_fixture.mjs';

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

const { daysBetween, item } = fx;
const decision = (opts) => fx.decision(s, opts);
const backdate = (x, decided) => fx.backdate(s, x, decided);
const quarter = (y, q, fmt, user) => fx.quarter(s, y, q, fmt, user);

const closing = (x, json, user = 'handlaggare') =>
	s.as(user, 'POST', `/api/v1/decisions/${x.d.id}/closing`, { json });

// The quarter of a date YYYY-MM-DD, and the quarters next to it.
const quarterOf = (iso) => ({ y: Number(iso.slice(0, 4)), q: Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1 });
const nextQuarter = ({ y, q }) => (q === 4 ? { y: y + 1, q: 1 } : { y, q: q + 1 });
const prevQuarter = ({ y, q }) => (q === 1 ? { y: y - 1, q: 4 } : { y, q: q - 1 });

// A reassessment (omprövning) at follow-up: a new grant in the case replacing x's decision.
async function reassess(x) {
	const f = await s.as('handlaggare', 'POST', `/api/v1/cases/${x.caseId}/state`, { json: { to: 'follow_up' } });
	assert.equal(f.status, 200, f.text);
	return s.as('handlaggare', 'POST', `/api/v1/cases/${x.caseId}/decisions`, {
		json: { service: 'trygghetslarm', outcome: 'granted', start_date: x.d.start_date,
			reasoning: 'Omprövning: behovet har ändrats.', replaces_id: x.d.id },
	});
}

const st = {};

test('set up: granted decisions of 2024 that were never executed', async () => {
	st.declined = await decision();                 // 2024-01-15, due 2024-04-15
	st.onDeadline = await decision();               // 2024-01-10, due 2024-04-10
	st.period = await decision({ service: 'matdistribution' }); // 2024-01-20, period to 2024-06-30
	st.replaced = await decision();                 // 2024-02-01, due 2024-05-01
	st.executed = await decision();                 // 2024-02-01, executed 2024-06-10
	st.refused = await decision({ outcome: 'refused' });
	backdate(st.declined, '2024-01-15');
	backdate(st.onDeadline, '2024-01-10');
	backdate(st.period, '2024-01-20');
	s.sql(`UPDATE decisions SET start_date = '2024-01-20', end_date = '2024-06-30' WHERE id = ${st.period.d.id}`);
	backdate(st.replaced, '2024-02-01');
	backdate(st.executed, '2024-02-01');
	backdate(st.refused, '2024-01-15');
	await fx.execute(s, st.executed, '2024-06-10');
});

test('declined inside a quarter: the decision, the timeline and the audit record', async () => {
	const before = await s.auditOf(st.declined.person.id);
	const r = await closing(st.declined, {
		closed_date: '2024-08-10', reason: 'declined', note: 'Vill vänta; ansöker igen till hösten.',
	});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.id, st.declined.d.id);
	assert.equal(r.json.closed_date, '2024-08-10');
	assert.equal(r.json.closed_reason, 'declined');
	assert.equal(r.json.closed_note, 'Vill vänta; ansöker igen till hösten.');
	assert.equal(r.json.executed_date, null);

	const fresh = (await s.auditOf(st.declined.person.id)).filter((x) => !before.some((b) => b.id === x.id));
	const mine = fresh.filter((x) => x.request_id === r.requestId);
	assert.equal(mine.length, 1, 'one audit record, by the same request');
	assert.equal(mine[0].action, 'update');
	assert.equal(mine[0].entity, 'decision');
	assert.equal(mine[0].entity_id, st.declined.d.id);

	const v = await s.as('handlaggare', 'GET', `/api/v1/cases/${st.declined.caseId}`);
	assert.equal(v.status, 200);
	const d = v.json.decisions.find((x) => x.id === st.declined.d.id);
	assert.equal(d.closed_date, '2024-08-10');
	assert.equal(d.closed_reason, 'declined');
	const ev = v.json.timeline.find((e) => e.kind === 'closed_unexecuted');
	assert.ok(ev, 'on the timeline');
	assert.match(ev.detail, /Avslutat utan verkställighet: Trygghetslarm den 2024-08-10, Tackat nej/);
});

test('a decision closed without execution cannot be ordered from a provider (422 naming decision_id)', async () => {
	const o = await s.as('handlaggare', 'POST', `/api/v1/decisions/${st.declined.d.id}/orders`, { json: { provider_id: 1 } });
	assertProblem(o, 422, 'decision_id');
	assert.equal(Number(s.sql(`SELECT count(*) FROM orders WHERE decision_id = ${st.declined.d.id}`)), 0, 'no order stored');
});

test('the quarter report: waiting before the closing, closed in its quarter, absent after it', async () => {
	const q2 = await quarter(2024, 2);
	assert.equal(q2.status, 200, q2.text);
	const waiting = item(q2, st.declined);
	assert.ok(waiting, 'still waiting at the end of the second quarter');
	assert.equal(waiting.state, 'waiting');
	assert.equal(waiting.closed_date, null);
	assert.equal(waiting.days_waited, daysBetween('2024-01-15', '2024-06-30'));

	const q3 = await quarter(2024, 3);
	const closed = item(q3, st.declined);
	assert.ok(closed, 'listed once more in the quarter it was closed');
	assert.equal(closed.state, 'closed');
	assert.equal(closed.state_title, 'Avslutat utan verkställighet');
	assert.equal(closed.closed_date, '2024-08-10');
	assert.equal(closed.closed_reason, 'declined');
	assert.equal(closed.closed_reason_title, 'Tackat nej');
	assert.equal(closed.closed_note, 'Vill vänta; ansöker igen till hösten.');
	assert.equal(closed.executed_date, null);
	assert.equal(closed.days_waited, daysBetween('2024-01-15', '2024-08-10'), 'the wait stops at the closing');
	assert.equal(closed.waiting_interval, '6-12');

	const q4 = await quarter(2024, 4);
	assert.equal(item(q4, st.declined), undefined, 'never after the quarter of the closing');
	assert.equal(item(await quarter(2025, 1), st.declined), undefined);
});

test('the council counts only the decisions still waiting; the closed one apart', async () => {
	const q3 = await quarter(2024, 3);
	const stat = q3.json.statistics;
	const waiting = q3.json.items.filter((i) => i.state === 'waiting');
	assert.equal(stat.total, waiting.length);
	assert.equal(stat.closed_in_quarter, q3.json.items.filter((i) => i.state === 'closed').length);
	assert.ok(stat.closed_in_quarter >= 1);
	assert.equal(stat.by_interval['3-6'] + stat.by_interval['6-12'] + stat.by_interval.over_12, stat.total);
	const larm = stat.by_service.find((x) => x.service === 'trygghetslarm');
	assert.equal(larm.total, waiting.filter((i) => i.service === 'trygghetslarm').length);
	assert.equal(larm.closed_in_quarter,
		q3.json.items.filter((i) => i.service === 'trygghetslarm' && i.state === 'closed').length);
	// In the quarter before, the same decision was one of those waiting.
	const q2 = await quarter(2024, 2);
	assert.equal(q2.json.statistics.total, q2.json.items.filter((i) => i.state === 'waiting').length);
	assert.ok(q2.json.items.some((i) => i.decision_id === st.declined.d.id && i.state === 'waiting'));
});

test('closed on the three-month deadline: never reported, as an execution in time', async () => {
	const r = await closing(st.onDeadline, { closed_date: '2024-04-10', reason: 'moved' });
	assert.equal(r.status, 200, r.text);
	for (const [y, q] of [[2024, 1], [2024, 2], [2024, 3]])
		assert.equal(item(await quarter(y, q), st.onDeadline), undefined, `${y} Q${q}`);
});

test('the period ran out: on the period\'s last day only, then reported in that quarter', async () => {
	assertProblem(await closing(st.period, { closed_date: '2024-07-01', reason: 'period_ended' }), 400, 'closed_date');
	const r = await closing(st.period, { closed_date: '2024-06-30', reason: 'period_ended' });
	assert.equal(r.status, 200, r.text);
	const q2 = await quarter(2024, 2);
	const row = item(q2, st.period);
	assert.equal(row.state, 'closed');
	assert.equal(row.closed_reason_title, 'Beslutsperioden har löpt ut');
	assert.equal(row.closed_note, null);
	assert.equal(item(await quarter(2024, 3), st.period), undefined);
});

test('a reassessment closes the unexecuted decision it replaces on its own date; it drops out after that quarter', async () => {
	const r = await reassess(st.replaced);
	assert.equal(r.status, 201, r.text);
	const today = r.json.decision_date;
	const v = await s.as('handlaggare', 'GET', `/api/v1/cases/${st.replaced.caseId}`);
	const old = v.json.decisions.find((x) => x.id === st.replaced.d.id);
	assert.equal(old.replaced_by, r.json.id);
	assert.equal(old.closed_date, today, "closed on the new decision's date");
	assert.equal(old.closed_reason, 'replaced');
	assert.equal(v.json.decisions.find((x) => x.id === r.json.id).closed_date, null);
	assert.ok(v.json.timeline.some((e) => e.kind === 'decision' && /som avslutas utan verkställighet/.test(e.detail)));

	const now = quarterOf(today);
	const inQ = item(await quarter(now.y, now.q), st.replaced);
	assert.ok(inQ, 'listed in the quarter of the new decision');
	assert.equal(inQ.state, 'closed');
	assert.equal(inQ.closed_date, today);
	assert.equal(inQ.closed_reason, 'replaced');
	assert.equal(inQ.closed_reason_title, 'Ersatt av nytt beslut');
	const prev = prevQuarter(now);
	assert.equal(item(await quarter(prev.y, prev.q), st.replaced).state, 'waiting');
	const next = nextQuarter(now);
	assert.equal(item(await quarter(next.y, next.q), st.replaced), undefined, 'gone after that quarter');
	// Replaced and closed: it cannot be closed again.
	assertProblem(await closing(st.replaced, { closed_date: today, reason: 'declined' }), 409);
});

test('an executed decision that is replaced gets no closing: it was executed', async () => {
	const r = await reassess(st.executed);
	assert.equal(r.status, 201, r.text);
	const v = await s.as('handlaggare', 'GET', `/api/v1/cases/${st.executed.caseId}`);
	const old = v.json.decisions.find((x) => x.id === st.executed.d.id);
	assert.equal(old.replaced_by, r.json.id);
	assert.equal(old.executed_date, '2024-06-10');
	assert.equal(old.closed_date, null);
	assert.equal(old.closed_reason, null);
	assert.equal(item(await quarter(2024, 2), st.executed).state, 'executed');
	assert.equal(item(await quarter(2024, 3), st.executed), undefined);
});

test('bad input: 400 naming the field; nothing stored', async () => {
	const x = await decision();
	backdate(x, '2024-03-01');
	assertProblem(await closing(x, { closed_date: '2024-05-01', reason: 'tired' }), 400, 'reason');
	assertProblem(await closing(x, { closed_date: '2024-05-01', reason: 'x'.repeat(40) }), 400, 'reason');
	assertProblem(await closing(x, { closed_date: '2024-05-01', reason: 'replaced' }), 400, 'reason');
	assertProblem(await closing(x, { closed_date: '2024-05-01', reason: 'period_ended' }), 400, 'reason');
	assertProblem(await closing(x, { closed_date: '2024-05-01' }), 400, 'reason');
	assertProblem(await closing(x, { reason: 'declined' }), 400, 'closed_date');
	assertProblem(await closing(x, { closed_date: '2024-02-30', reason: 'declined' }), 400, 'closed_date');
	assertProblem(await closing(x, { closed_date: '2024-02-29', reason: 'declined' }), 400, 'closed_date');
	assertProblem(await closing(x, { closed_date: '2099-01-01', reason: 'declined' }), 400, 'closed_date');
	assertProblem(await closing(x, { closed_date: '2024-05-01', reason: 'other' }), 400, 'note');
	assertProblem(await closing(x, { closed_date: '2024-05-01', reason: 'other', note: '  ' }), 400, 'note');
	assertProblem(await closing(x, { closed_date: '2024-05-01', reason: 'declined', note: 'x'.repeat(1001) }), 400, 'note');
	assertProblem(await closing(x, { closed_date: '2024-05-01', reason: 'declined', executed: true }), 400, 'executed');
	const v = await s.as('handlaggare', 'GET', `/api/v1/cases/${x.caseId}`);
	assert.equal(v.json.decisions[0].closed_date, null);
	assert.ok(!v.json.timeline.some((e) => e.kind === 'closed_unexecuted'));
	// On the decision day, for another reason with a statement: accepted.
	const ok = await closing(x, { closed_date: '2024-03-01', reason: 'other', note: 'Insatsen ges av regionen.' });
	assert.equal(ok.status, 200, ok.text);
	assert.equal(ok.json.closed_reason, 'other');
});

test('the wrong state: executed or closed already 409, a refusal 422, each with a Swedish reason', async () => {
	const ex = await decision();
	backdate(ex, '2024-03-01');
	await fx.execute(s, ex, '2024-03-20');
	const r1 = assertProblem(await closing(ex, { closed_date: '2024-04-01', reason: 'declined' }), 409);
	assert.match(r1.detail, /verkställdes 2024-03-20 och kan inte avslutas utan verkställighet/);

	const twice = assertProblem(await closing(st.declined, { closed_date: '2024-09-01', reason: 'moved' }), 409);
	assert.match(twice.detail, /redan avslutat utan verkställighet 2024-08-10 \(Tackat nej\)/);

	const ref = assertProblem(await closing(st.refused, { closed_date: '2024-03-01', reason: 'declined' }), 422);
	assert.match(ref.detail, /avslag/i);

	// Closed, it is never executed.
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/decisions/${st.declined.d.id}/execution`,
		{ json: { date: '2024-09-01' } }), 400, 'date');
	const v = await s.as('handlaggare', 'GET', `/api/v1/cases/${st.declined.caseId}`);
	assert.equal(v.json.decisions[0].executed_date, null);
	assert.equal(v.json.decisions[0].closed_date, '2024-08-10');
});

test('providers, citizens and representatives cannot close (403); another tenant or an unknown decision is 404', async () => {
	const x = await decision();
	backdate(x, '2024-03-01');
	const body = { closed_date: '2024-05-01', reason: 'declined' };
	for (const u of ['utforare', 'personal', 'medborgare', 'godman', 'revisor'])
		assertProblem(await closing(x, body, u), 403);
	assertProblem(await closing(x, body, 'h2'), 404);
	assertProblem(await s.as('handlaggare', 'POST', '/api/v1/decisions/999999/closing', { json: body }), 404);
	assertProblem(await s.post(`/api/v1/decisions/${x.d.id}/closing`, body), 401);
	const v = await s.as('handlaggare', 'GET', `/api/v1/cases/${x.caseId}`);
	assert.equal(v.json.decisions[0].closed_date, null);
});

test('CSV and PDF: the closing date and the reason in Swedish', async () => {
	const c = await fx.raw(s, 'chef', '/api/v1/reports/unexecuted?year=2024&quarter=3&format=csv');
	assert.equal(c.status, 200);
	const lines = c.buf.subarray(3).toString('utf8').split('\r\n');
	const row = lines.find((l) => l.includes(st.declined.caseNumber));
	assert.ok(row, 'the declined decision is a line');
	assert.ok(row.startsWith('Ej verkställt beslut;2024-01-15;'), row);
	assert.ok(row.includes(`;${daysBetween('2024-01-15', '2024-08-10')};6–12 månader;;;2024-08-10;Tackat nej;`
		+ '"Vill vänta; ansöker igen till hösten.";'), row);
	assert.ok(lines.some((l) => /^Totalt;;\d+;\d+;\d+;\d+;\d+;[1-9]\d*$/.test(l)), 'closed counted apart');

	const p = await fx.raw(s, 'chef', '/api/v1/reports/unexecuted?year=2024&quarter=3&format=pdf');
	assert.equal(p.status, 200);
	const text = fx.pdfText(p.buf);
	assert.match(text, /Avslutat/);
	assert.match(text, /2024-08-10/);
	assert.match(text, /Tackat/);
	assert.match(text, /Verkställt,/);
	assert.match(text, /återupptaget eller/);
});

test('the manager\'s page shows the closing in its quarter', async () => {
	const { cookie } = await fx.formSession(s, 'chef');
	const r = await s.get('/chef/ej-verkstallda?year=2024&quarter=3', { cookie });
	assert.equal(r.status, 200);
	assert.ok(r.text.includes(st.declined.caseNumber));
	assert.ok(r.text.includes('Avslutat utan verkställighet 2024-08-10: Tackat nej. Vill vänta; ansöker igen till hösten.'));
	assert.match(r.text, /<th scope="col">Avslutade utan verkställighet<\/th>/);
	const q4 = await s.get('/chef/ej-verkstallda?year=2024&quarter=4', { cookie });
	assert.equal(q4.status, 200);
	assert.ok(!q4.text.includes(st.declined.caseNumber));
});

test('the case view\'s form closes a decision; bad input answers the form with the error', async () => {
	const x = await decision();
	backdate(x, '2024-03-01');
	const { cookie, csrf } = await fx.formSession(s, 'handlaggare');
	const view = await s.get(`/arenden/${x.caseId}`, { cookie });
	assert.equal(view.status, 200);
	assert.match(view.text, new RegExp(`<form method="post" action="/beslut/${x.d.id}/avsluta"`));
	assert.match(view.text, /<summary>Avsluta utan verkställighet/);
	assert.match(view.text, /<option value="deceased">Avliden<\/option>/);
	assert.ok(!view.text.includes('<option value="replaced">'), 'replaced only by a reassessment');

	const noCsrf = await s.request('POST', `/beslut/${x.d.id}/avsluta`, {
		cookie, form: { closed_date: '2024-05-01', reason: 'deceased' },
	});
	assert.equal(noCsrf.status, 403);

	const bad = await s.request('POST', `/beslut/${x.d.id}/avsluta`, {
		cookie, form: { csrf, closed_date: '2024-05-01', reason: 'other' },
	});
	assert.equal(bad.status, 400, bad.text.slice(0, 400));
	assert.match(bad.text, /class="error-summary"/);
	assert.match(bad.text, new RegExp(`<p class="field-error" id="f-a${x.d.id}-note-fel">`));
	assert.match(bad.text, /<details class="note-edit" open>/);

	const ok = await s.request('POST', `/beslut/${x.d.id}/avsluta`, {
		cookie, form: { csrf, closed_date: '2024-05-01', reason: 'deceased', note: '' },
	});
	assert.equal(ok.status, 303, ok.text.slice(0, 400));
	assert.equal(ok.headers.get('location'), `/arenden/${x.caseId}#beslut-${x.d.id}`);
	const after = await s.get(`/arenden/${x.caseId}`, { cookie });
	assert.match(after.text, /<dt>Avslutat utan verkställighet<\/dt>\n<dd class="text">2024-05-01, Avliden<\/dd>/);
	assert.ok(!after.text.includes(`action="/beslut/${x.d.id}/avsluta"`), 'no form once closed');

	// Twice: the form again with the reason as a whole-form error (409).
	const again = await s.request('POST', `/beslut/${x.d.id}/avsluta`, {
		cookie, form: { csrf, closed_date: '2024-05-02', reason: 'moved' },
	});
	assert.equal(again.status, 409);
	assert.match(again.text, /redan avslutat utan verkställighet 2024-05-01/);
	// A provider may not close a decision: 403.
	const other = await fx.formSession(s, 'utforare');
	const denied = await s.request('POST', `/beslut/${x.d.id}/avsluta`, {
		cookie: other.cookie, form: { csrf: other.csrf, closed_date: '2024-05-01', reason: 'moved' },
	});
	assert.equal(denied.status, 403);
});

shutdownTest(test, () => s);
