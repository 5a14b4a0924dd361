// Interrupted execution (avbrott i verkställigheten; legal-duties.md section 1, trigger B:
// SoL 34 kap. 1 §, LSS 28 f §). The execution of an executed, granted decision is interrupted
// through POST /api/v1/decisions/{id}/interruptions (or the case view's form "Registrera
// avbrott") and resumed through POST /api/v1/interruptions/{id}/resumption (the form
// "Återuppta"); a decision closed while interrupted ends the interruption. Not resumed within
// three months from the interruption, it is listed in the quarterly report as kind interrupted
// every quarter until it ends, once more in the quarter it ends (resumed or closed, with the
// date) and never after; resumed by the deadline it is never listed. The council counts the
// interruptions apart. Wrong input is 400 naming the field, a wrong state 409 or 422 with a
// Swedish reason, only staff with case access may write, and every write is audited and on
// the case's timeline.
import { after, before, test } from 'node:test';

import { assert, assertProblem, startServer } from './harness.mjs';
import * as fx from './decisions_fixture.mjs';

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

const { daysBetween, interruptionItem, item } = fx;
const decision = (opts) => fx.decision(s, opts);
const executed = (decided, on, opts) => fx.executedDecision(s, decided, on, opts);
const quarter = (y, q, fmt, user) => fx.quarter(s, y, q, fmt, user);
const interrupt = (x, json, user) => fx.interrupt(s, x, json, user);
const resume = (id, json, user) => fx.resume(s, id, json, user);
const countOf = (decisionId) =>
	Number(s.sql(`SELECT count(*) FROM decision_interruptions WHERE decision_id = ${decisionId}`));
const stillOpen = (id) =>
	Number(s.sql(`SELECT count(*) FROM decision_interruptions WHERE id = ${id} AND resumed_date IS NULL`)) === 1;
const caseView = (x) => s.as('handlaggare', 'GET', `/api/v1/cases/${x.caseId}`);

const st = {};

test('set up: granted decisions of 2024, executed in time', async () => {
	st.a = await executed('2024-01-05', '2024-01-20');                  // interrupted 2024-02-10
	st.onDeadline = await executed('2024-01-10', '2024-01-25');         // resumed on the deadline
	st.dayBefore = await executed('2024-01-02', '2024-01-08');          // resumed 2024-06-30
	st.closed = await executed('2024-01-10', '2024-01-12', { service: 'matdistribution' });
	st.replaced = await executed('2024-01-03', '2024-01-09');           // reassessed while interrupted
});

test('an interruption of an executed decision: the row, the audit record, the timeline, the decision JSON', async () => {
	const before = await s.auditOf(st.a.person.id);
	const r = await interrupt(st.a, { from_date: '2024-02-10', reason: 'Vårdas på sjukhus efter fall.' });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.decision_id, st.a.d.id);
	assert.equal(r.json.case_id, st.a.caseId);
	assert.equal(r.json.from_date, '2024-02-10');
	assert.equal(r.json.reason, 'Vårdas på sjukhus efter fall.');
	assert.equal(r.json.resumed_date, null);
	assert.equal(r.json.state, 'open');
	st.aInt = r.json.id;

	const fresh = (await s.auditOf(st.a.person.id)).filter((x) => !before.some((b) => b.id === x.id));
	const mine = fresh.filter((x) => x.request_id === r.requestId);
	assert.equal(mine.length, 1, 'one audit record, by the same request');
	assert.equal(mine[0].action, 'create');
	assert.equal(mine[0].entity, 'decision_interruption');
	assert.equal(mine[0].entity_id, st.aInt);

	const v = await caseView(st.a);
	assert.equal(v.status, 200);
	const d = v.json.decisions.find((x) => x.id === st.a.d.id);
	assert.equal(d.interruptions.length, 1);
	assert.equal(d.interruptions[0].id, st.aInt);
	assert.equal(d.interruptions[0].state, 'open');
	const ev = v.json.timeline.find((e) => e.kind === 'interrupted');
	assert.ok(ev, 'on the timeline');
	assert.match(ev.detail, /Avbrott i verkställigheten: Trygghetslarm från 2024-02-10/);
});

test('the quarter report: not yet due in its first quarter, interrupted at the end of the next', async () => {
	const q1 = await quarter(2024, 1);
	assert.equal(q1.status, 200, q1.text);
	assert.equal(interruptionItem(q1, st.aInt), undefined, 'three months not yet run out');
	const q2 = await quarter(2024, 2);
	const row = interruptionItem(q2, st.aInt);
	assert.ok(row, 'listed when not resumed within three months');
	assert.equal(row.decision_id, st.a.d.id);
	assert.equal(row.kind_title, 'Avbrott i verkställighet');
	assert.equal(row.interrupted_date, '2024-02-10');
	assert.equal(row.interruption_reason, 'Vårdas på sjukhus efter fall.');
	assert.equal(row.decision_date, '2024-01-05');
	assert.equal(row.state, 'interrupted');
	assert.equal(row.state_title, 'Ej återupptaget');
	assert.equal(row.resumed_date, null);
	assert.equal(row.days_waited, daysBetween('2024-02-10', '2024-06-30'), 'days from the interruption');
	assert.equal(row.waiting_interval, '3-6');
	assert.equal(row.birth_date, fx.birthOf(st.a.pnr.twelve));
	assert.equal(item(q2, st.a), undefined, 'the decision itself was executed in time');
});

test('the statement of why it is not resumed: audited, on the timeline, in the report', async () => {
	const r = await s.as('handlaggare', 'POST', `/api/v1/interruptions/${st.aInt}/delay-reason`,
		{ json: { reason: 'Personen är kvar på sjukhus; utskrivning planeras.' } });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.delay_reason, 'Personen är kvar på sjukhus; utskrivning planeras.');
	const audit = (await s.auditOf(st.a.person.id)).filter((x) => x.request_id === r.requestId);
	assert.equal(audit.length, 1);
	assert.equal(audit[0].action, 'update');
	assert.equal(audit[0].entity, 'decision_interruption');
	const v = await caseView(st.a);
	assert.ok(v.json.timeline.some((e) => e.kind === 'interruption_delay'));
	const row = interruptionItem(await quarter(2024, 2), st.aInt);
	assert.equal(row.delay_reason, 'Personen är kvar på sjukhus; utskrivning planeras.');
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/interruptions/${st.aInt}/delay-reason`,
		{ json: { reason: '  ' } }), 400, 'reason');
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/interruptions/${st.aInt}/delay-reason`,
		{ json: {} }), 400, 'reason');
});

test('resumed in a later quarter: listed once as resumed with the date, then gone', async () => {
	const before = await s.auditOf(st.a.person.id);
	const r = await resume(st.aInt, { resumed_date: '2024-08-15' });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.state, 'resumed');
	assert.equal(r.json.resumed_date, '2024-08-15');
	const mine = (await s.auditOf(st.a.person.id))
		.filter((x) => !before.some((b) => b.id === x.id) && x.request_id === r.requestId);
	assert.equal(mine.length, 1);
	assert.equal(mine[0].action, 'update');
	assert.equal(mine[0].entity_id, st.aInt);
	const v = await caseView(st.a);
	const ev = v.json.timeline.find((e) => e.kind === 'resumed');
	assert.match(ev.detail, /Verkställigheten återupptagen: Trygghetslarm den 2024-08-15 efter avbrott från 2024-02-10/);

	const q2 = interruptionItem(await quarter(2024, 2), st.aInt);
	assert.equal(q2.state, 'interrupted', 'still interrupted at the end of the second quarter');
	assert.equal(q2.resumed_date, null);
	const q3 = await quarter(2024, 3);
	const row = interruptionItem(q3, st.aInt);
	assert.ok(row, 'listed in the quarter it was resumed');
	assert.equal(row.state, 'resumed');
	assert.equal(row.state_title, 'Återupptaget');
	assert.equal(row.resumed_date, '2024-08-15');
	assert.equal(row.days_waited, daysBetween('2024-02-10', '2024-08-15'), 'the wait stops at the resumption');
	assert.equal(row.waiting_interval, '6-12');
	assert.equal(q3.json.items.filter((i) => i.interruption_id === st.aInt).length, 1, 'once');
	assert.equal(interruptionItem(await quarter(2024, 4), st.aInt), undefined, 'never after');
	assert.equal(interruptionItem(await quarter(2025, 1), st.aInt), undefined);
	// Twice: 409 with the reason.
	const again = assertProblem(await resume(st.aInt, { resumed_date: '2024-08-20' }), 409);
	assert.match(again.detail, /återupptogs redan 2024-08-15/);
});

test('resumed on the deadline: never reported; resumed the day before a quarter: only in the quarter before', async () => {
	const a = await interrupt(st.onDeadline, { from_date: '2024-03-01', reason: 'Korttidsvistelse.' });
	assert.equal(a.status, 201, a.text);
	assert.equal((await resume(a.json.id, { resumed_date: '2024-06-01' })).status, 200);
	for (const [y, q] of [[2024, 1], [2024, 2], [2024, 3]])
		assert.equal(interruptionItem(await quarter(y, q), a.json.id), undefined, `${y} Q${q}`);

	const b = await interrupt(st.dayBefore, { from_date: '2024-01-15', reason: 'Utföraren har slutat.' });
	assert.equal(b.status, 201, b.text);
	assert.equal((await resume(b.json.id, { resumed_date: '2024-06-30' })).status, 200);
	const q2 = interruptionItem(await quarter(2024, 2), b.json.id);
	assert.equal(q2.state, 'resumed');
	assert.equal(q2.resumed_date, '2024-06-30');
	assert.equal(interruptionItem(await quarter(2024, 3), b.json.id), undefined);
});

test('the council counts the interruptions apart, per service and time since the interruption', async () => {
	const q2 = await quarter(2024, 2);
	const ints = q2.json.items.filter((i) => i.kind === 'interrupted');
	const stat = q2.json.interruption_statistics;
	assert.equal(stat.total, ints.filter((i) => i.state === 'interrupted').length);
	assert.ok(stat.total >= 1);
	assert.equal(stat.resumed_in_quarter, ints.filter((i) => i.state === 'resumed').length);
	assert.ok(stat.resumed_in_quarter >= 1);
	assert.equal(stat.by_interval['3-6'] + stat.by_interval['6-12'] + stat.by_interval.over_12, stat.total);
	const larm = stat.by_service.find((x) => x.service === 'trygghetslarm');
	assert.equal(larm.total, ints.filter((i) => i.service === 'trygghetslarm' && i.state === 'interrupted').length);
	// The decisions' own statistics do not count the interruptions.
	const waiting = q2.json.items.filter((i) => i.kind === 'not_executed' && i.state === 'waiting');
	assert.equal(q2.json.statistics.total, waiting.length);
	const q3 = await quarter(2024, 3);
	assert.equal(q3.json.interruption_statistics.resumed_in_quarter,
		q3.json.items.filter((i) => i.kind === 'interrupted' && i.state === 'resumed').length);
});

test('closed while interrupted: the closing ends the interruption, reported in its quarter', async () => {
	const r = await interrupt(st.closed, { from_date: '2024-02-01', reason: 'Vårdas på sjukhus.' });
	assert.equal(r.status, 201, r.text);
	const id = r.json.id;
	const closing = (json) => s.as('handlaggare', 'POST', `/api/v1/decisions/${st.closed.d.id}/closing`, { json });
	// Not before the interruption began.
	const early = assertProblem(await closing({ closed_date: '2024-01-31', reason: 'deceased' }), 400, 'closed_date');
	assert.match(JSON.stringify(early.errors), /2024-02-01/);
	const c = await closing({ closed_date: '2024-07-20', reason: 'deceased' });
	assert.equal(c.status, 200, c.text);
	assert.equal(c.json.executed_date, '2024-01-12');
	assert.equal(c.json.closed_date, '2024-07-20');
	assert.equal(c.json.interruptions[0].state, 'closed');
	assert.equal(c.json.interruptions[0].closed_date, '2024-07-20');
	const v = await caseView(st.closed);
	assert.match(v.json.timeline.find((e) => e.kind === 'closed_interrupted').detail,
		/Avslutat under avbrott i verkställigheten: Matdistribution den 2024-07-20, Avliden/);

	assert.equal(interruptionItem(await quarter(2024, 2), id).state, 'interrupted');
	const q3 = await quarter(2024, 3);
	const row = interruptionItem(q3, id);
	assert.equal(row.state, 'closed');
	assert.equal(row.state_title, 'Avslutat under avbrott');
	assert.equal(row.closed_date, '2024-07-20');
	assert.equal(row.closed_reason_title, 'Avliden');
	assert.equal(row.days_waited, daysBetween('2024-02-01', '2024-07-20'));
	assert.ok(q3.json.interruption_statistics.closed_in_quarter >= 1);
	assert.equal(interruptionItem(await quarter(2024, 4), id), undefined);
	assert.equal(item(q3, st.closed), undefined, 'the decision itself was executed in time');

	// Ended: it cannot be resumed, the decision not closed again nor interrupted again.
	const res = assertProblem(await resume(id, { resumed_date: '2024-08-01' }), 409);
	assert.match(res.detail, /avslutades 2024-07-20 under avbrottet/);
	assertProblem(await closing({ closed_date: '2024-08-01', reason: 'moved' }), 409);
	const again = assertProblem(await interrupt(st.closed, { from_date: '2024-08-01', reason: 'x' }), 409);
	assert.match(again.detail, /avslutat 2024-07-20/);
	assert.equal(countOf(st.closed.d.id), 1);
});

test('a reassessment of an interrupted decision closes it as replaced and ends the interruption', async () => {
	const r = await interrupt(st.replaced, { from_date: '2024-03-01', reason: 'Pausad på egen begäran.' });
	assert.equal(r.status, 201, r.text);
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${st.replaced.caseId}/state`,
		{ json: { to: 'follow_up' } })).status, 200);
	const n = await s.as('handlaggare', 'POST', `/api/v1/cases/${st.replaced.caseId}/decisions`, {
		json: { service: 'trygghetslarm', outcome: 'granted', start_date: st.replaced.d.start_date,
			reasoning: 'Omprövning.', replaces_id: st.replaced.d.id },
	});
	assert.equal(n.status, 201, n.text);
	const v = await caseView(st.replaced);
	const old = v.json.decisions.find((x) => x.id === st.replaced.d.id);
	assert.equal(old.closed_reason, 'replaced');
	assert.equal(old.closed_date, n.json.decision_date);
	assert.equal(old.interruptions[0].state, 'closed');
	assert.ok(v.json.timeline.some((e) => /vars avbrott i verkställigheten därmed upphör/.test(e.detail)));
	// A replaced decision cannot be interrupted.
	assertProblem(await interrupt(st.replaced, { from_date: '2024-09-01', reason: 'x' }), 409);
});

test('bad input: 400 naming the field; nothing stored', async () => {
	const x = await executed('2024-03-01', '2024-03-10');
	assertProblem(await interrupt(x, { reason: 'Sjukhus.' }), 400, 'from_date');
	assertProblem(await interrupt(x, { from_date: '2024-02-30', reason: 'Sjukhus.' }), 400, 'from_date');
	assertProblem(await interrupt(x, { from_date: '2024-3-20', reason: 'Sjukhus.' }), 400, 'from_date');
	assertProblem(await interrupt(x, { from_date: '2024-03-09', reason: 'Sjukhus.' }), 400, 'from_date');
	assertProblem(await interrupt(x, { from_date: '2099-01-01', reason: 'Sjukhus.' }), 400, 'from_date');
	assertProblem(await interrupt(x, { from_date: '2024-04-01' }), 400, 'reason');
	assertProblem(await interrupt(x, { from_date: '2024-04-01', reason: ' \n ' }), 400, 'reason');
	assertProblem(await interrupt(x, { from_date: '2024-04-01', reason: 'x'.repeat(1001) }), 400, 'reason');
	assertProblem(await interrupt(x, { from_date: '2024-04-01', reason: 'Sjukhus.', until: '2024-05-01' }), 400, 'until');
	assertProblem(await interrupt(x, { from_date: 20240401, reason: 'Sjukhus.' }), 400, 'from_date');
	assert.equal(countOf(x.d.id), 0);
	const v = await caseView(x);
	assert.ok(!v.json.timeline.some((e) => e.kind === 'interrupted'));

	// On the execution day: accepted. Then the resumption's input.
	const ok = await interrupt(x, { from_date: '2024-03-10', reason: 'Sjukhus.' });
	assert.equal(ok.status, 201, ok.text);
	assertProblem(await resume(ok.json.id, {}), 400, 'resumed_date');
	assertProblem(await resume(ok.json.id, { resumed_date: '2024-03-09' }), 400, 'resumed_date');
	assertProblem(await resume(ok.json.id, { resumed_date: '2099-01-01' }), 400, 'resumed_date');
	assertProblem(await resume(ok.json.id, { resumed_date: '2024-13-01' }), 400, 'resumed_date');
	assertProblem(await resume(ok.json.id, { resumed_date: '2024-04-01', note: 'x' }), 400, 'note');
	assert.ok(stillOpen(ok.json.id), 'not resumed');
	// The next interruption begins on or after the resumption of this one.
	assert.equal((await resume(ok.json.id, { resumed_date: '2024-04-01' })).status, 200);
	const early = assertProblem(await interrupt(x, { from_date: '2024-03-31', reason: 'Igen.' }), 400, 'from_date');
	assert.match(JSON.stringify(early.errors), /2024-04-01/);
	const next = await interrupt(x, { from_date: '2024-04-01', reason: 'Igen.' });
	assert.equal(next.status, 201, next.text);
	assert.equal((await caseView(x)).json.decisions[0].interruptions.length, 2);
});

test('the wrong state: not executed or refused 422, closed or interrupted already 409, each with a Swedish reason', async () => {
	const unexecuted = await decision();
	fx.backdate(s, unexecuted, '2024-03-01');
	const u = assertProblem(await interrupt(unexecuted, { from_date: '2024-04-01', reason: 'Sjukhus.' }), 422);
	assert.match(u.detail, /inte verkställt och kan inte avbrytas/);

	const refused = await decision({ outcome: 'refused' });
	const rf = assertProblem(await interrupt(refused, { from_date: refused.d.decision_date, reason: 'x' }), 422);
	assert.match(rf.detail, /avslag/i);

	const closedUnexecuted = await decision();
	fx.backdate(s, closedUnexecuted, '2024-03-01');
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/decisions/${closedUnexecuted.d.id}/closing`,
		{ json: { closed_date: '2024-04-01', reason: 'declined' } })).status, 200);
	const cl = assertProblem(await interrupt(closedUnexecuted, { from_date: '2024-04-02', reason: 'x' }), 409);
	assert.match(cl.detail, /avslutat 2024-04-01 \(Tackat nej\) och kan inte avbrytas/);

	const x = await executed('2024-03-01', '2024-03-05');
	assert.equal((await interrupt(x, { from_date: '2024-04-01', reason: 'Sjukhus.' })).status, 201);
	const twice = assertProblem(await interrupt(x, { from_date: '2024-05-01', reason: 'Igen.' }), 409);
	assert.match(twice.detail, /redan avbruten sedan 2024-04-01/);
	assert.equal(countOf(x.d.id), 1);
	// An executed decision that is not interrupted cannot be closed (as before).
	const y = await executed('2024-03-01', '2024-03-05');
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/decisions/${y.d.id}/closing`,
		{ json: { closed_date: '2024-04-01', reason: 'deceased' } }), 409);
});

test('providers, citizens, representatives and auditors may not write (403); another tenant or an unknown id is 404', async () => {
	const x = await executed('2024-03-01', '2024-03-05');
	const body = { from_date: '2024-04-01', reason: 'Sjukhus.' };
	for (const u of ['utforare', 'personal', 'medborgare', 'godman', 'revisor'])
		assertProblem(await interrupt(x, body, u), 403);
	assertProblem(await interrupt(x, body, 'h2'), 404);
	assertProblem(await s.as('handlaggare', 'POST', '/api/v1/decisions/999999/interruptions', { json: body }), 404);
	assertProblem(await s.post(`/api/v1/decisions/${x.d.id}/interruptions`, body), 401);
	assert.equal(countOf(x.d.id), 0);
	const ok = await interrupt(x, body);
	assert.equal(ok.status, 201);
	const id = ok.json.id;
	for (const u of ['utforare', 'personal', 'medborgare', 'godman', 'revisor']) {
		assertProblem(await resume(id, { resumed_date: '2024-05-01' }, u), 403);
		assertProblem(await s.as(u, 'POST', `/api/v1/interruptions/${id}/delay-reason`, { json: { reason: 'x' } }), 403);
	}
	assertProblem(await s.as('h2', 'POST', `/api/v1/interruptions/${id}/resumption`,
		{ json: { resumed_date: '2024-05-01' } }), 404);
	assertProblem(await s.as('h2', 'POST', `/api/v1/interruptions/${id}/delay-reason`, { json: { reason: 'x' } }), 404);
	assertProblem(await resume(999999, { resumed_date: '2024-05-01' }), 404);
	assert.ok(stillOpen(id), 'not resumed');
});

test('CSV and PDF: the column Typ, the interruption date, the council\'s table of interruptions', async () => {
	const c = await fx.raw(s, 'chef', '/api/v1/reports/unexecuted?year=2024&quarter=2&format=csv');
	assert.equal(c.status, 200);
	const lines = c.buf.subarray(3).toString('utf8').split('\r\n');
	assert.ok(lines[0].startsWith('Typ;Beslutsdatum;'), lines[0]);
	const row = lines.find((l) => l.includes(st.a.caseNumber));
	assert.ok(row, 'the interruption is a line');
	assert.equal(row, `Avbrott i verkställighet;2024-01-05;${st.a.caseNumber};Trygghetslarm;trygghetslarm;SoL;`
		+ `${fx.birthOf(st.a.pnr.twelve)};${fx.sexOf(st.a.pnr.twelve)};2024-02-10;Vårdas på sjukhus efter fall.;`
		+ `${daysBetween('2024-02-10', '2024-06-30')};3–6 månader;;;;;;`
		+ '"Personen är kvar på sjukhus; utskrivning planeras."');
	assert.ok(lines.includes('Statistik till kommunfullmäktige: avbrott i verkställigheten'));
	assert.ok(lines.includes('Insats;Lag;3–6 månader;6–12 månader;Mer än 12 månader;'
		+ 'Ej återupptagna totalt;Återupptagna under kvartalet;Avslutade under avbrott'));
	const totals = lines.filter((l) => l.startsWith('Totalt;;'));
	assert.equal(totals.length, 2, 'one total per table');
	assert.match(totals[1], /^Totalt;;[1-9]\d*;\d+;\d+;[1-9]\d*;[1-9]\d*;\d+$/);
	const q3 = (await fx.raw(s, 'chef', '/api/v1/reports/unexecuted?year=2024&quarter=3&format=csv'))
		.buf.subarray(3).toString('utf8').split('\r\n');
	assert.ok(q3.find((l) => l.includes(st.a.caseNumber)).includes(';;2024-08-15;;;;'), 'the resumption date');

	const p = await fx.raw(s, 'chef', '/api/v1/reports/unexecuted?year=2024&quarter=2&format=pdf');
	assert.equal(p.status, 200);
	const text = fx.pdfText(p.buf);
	assert.match(text, /Avbrott i/);
	assert.match(text, /2024-02-10:/);
	assert.match(text, /avbrott i verkställigheten/);
	assert.equal(text.includes(st.a.pnr.twelve), false);
});

test('the manager\'s page lists the interruption with its kind and the council\'s table of interruptions', async () => {
	const { cookie } = await fx.formSession(s, 'chef');
	const r = await s.get('/chef/ej-verkstallda?year=2024&quarter=2', { cookie });
	assert.equal(r.status, 200);
	const i = r.text.indexOf(`<th scope="row">${st.a.caseNumber}</th>`);
	assert.ok(i > 0, 'the row');
	const tr = r.text.slice(i, r.text.indexOf('</tr>', i));
	assert.match(tr, /<td>Avbrott i verkställighet<\/td>/);
	assert.match(tr, /<td>2024-02-10: Vårdas på sjukhus efter fall\.<\/td>/);
	assert.match(tr, /<td class="nowrap">Nej<\/td>/);
	assert.match(r.text, /<table>\n<caption id="tabell-statistik-avbrott">/);
	assert.match(r.text, /avbrott i verkställigheten att rapportera/);
	const q3 = await s.get('/chef/ej-verkstallda?year=2024&quarter=3', { cookie });
	assert.ok(q3.text.includes('Återupptaget 2024-08-15'));
	assert.ok(q3.text.includes('Avslutat under avbrott 2024-07-20: Avliden'));
});

test('the case view: "Registrera avbrott" and "Återuppta" forms, their errors, and the list', async () => {
	const x = await executed('2024-03-01', '2024-03-05');
	const { cookie, csrf } = await fx.formSession(s, 'handlaggare');
	const view = await s.get(`/arenden/${x.caseId}`, { cookie });
	assert.equal(view.status, 200);
	assert.match(view.text, new RegExp(`<form method="post" action="/beslut/${x.d.id}/avbrott"`));
	assert.match(view.text, /<summary>Registrera avbrott/);
	assert.ok(!view.text.includes(`action="/beslut/${x.d.id}/avsluta"`), 'executed and running: no closing');

	const noCsrf = await s.request('POST', `/beslut/${x.d.id}/avbrott`, {
		cookie, form: { from_date: '2024-04-01', reason: 'Sjukhus.' },
	});
	assert.equal(noCsrf.status, 403);
	const bad = await s.request('POST', `/beslut/${x.d.id}/avbrott`, {
		cookie, form: { csrf, from_date: '2024-04-01', reason: '' },
	});
	assert.equal(bad.status, 400, bad.text.slice(0, 400));
	assert.match(bad.text, /class="error-summary"/);
	assert.match(bad.text, new RegExp(`<p class="field-error" id="f-b${x.d.id}-reason-fel">`));
	const before = await s.request('POST', `/beslut/${x.d.id}/avbrott`, {
		cookie, form: { csrf, from_date: '2024-03-04', reason: 'Sjukhus.' },
	});
	assert.equal(before.status, 400);
	assert.match(before.text, new RegExp(`id="f-b${x.d.id}-from_date-fel"`));
	assert.equal(countOf(x.d.id), 0);

	const ok = await s.request('POST', `/beslut/${x.d.id}/avbrott`, {
		cookie, form: { csrf, from_date: '2024-04-01', reason: 'Vårdas på sjukhus.' },
	});
	assert.equal(ok.status, 303, ok.text.slice(0, 400));
	assert.equal(ok.headers.get('location'), `/arenden/${x.caseId}#beslut-${x.d.id}`);
	const id = Number(s.sql(`SELECT id FROM decision_interruptions WHERE decision_id = ${x.d.id}`));
	const after = await s.get(`/arenden/${x.caseId}`, { cookie });
	assert.match(after.text, /<h4>Avbrott i verkställigheten<\/h4>/);
	assert.match(after.text, /<p class="text">Från 2024-04-01: Vårdas på sjukhus\.<\/p>\n<p><strong>Pågår\.<\/strong><\/p>/);
	assert.match(after.text, new RegExp(`<form method="post" action="/avbrott/${id}/ateruppta"`));
	assert.ok(!after.text.includes(`action="/beslut/${x.d.id}/avbrott"`), 'one open interruption at a time');
	assert.match(after.text, /<summary>Avsluta beslutet under avbrottet/);

	const badDate = await s.request('POST', `/avbrott/${id}/ateruppta`, {
		cookie, form: { csrf, resumed_date: '2024-03-31' },
	});
	assert.equal(badDate.status, 400);
	assert.match(badDate.text, new RegExp(`<p class="field-error" id="f-u${id}-resumed_date-fel">`));
	const other = await fx.formSession(s, 'utforare');
	const denied = await s.request('POST', `/avbrott/${id}/ateruppta`, {
		cookie: other.cookie, form: { csrf: other.csrf, resumed_date: '2024-05-01' },
	});
	assert.equal(denied.status, 403);
	const done = await s.request('POST', `/avbrott/${id}/ateruppta`, {
		cookie, form: { csrf, resumed_date: '2024-05-01' },
	});
	assert.equal(done.status, 303, done.text.slice(0, 400));
	assert.equal(done.headers.get('location'), `/arenden/${x.caseId}#beslut-${x.d.id}`);
	const resumed = await s.get(`/arenden/${x.caseId}`, { cookie });
	assert.match(resumed.text, /<p>Återupptaget 2024-05-01\.<\/p>/);
	assert.ok(!resumed.text.includes(`action="/avbrott/${id}/ateruppta"`));
	assert.match(resumed.text, new RegExp(`action="/beslut/${x.d.id}/avbrott"`), 'a new one may be registered');
	// Twice: the page again with the reason (409).
	const again = await s.request('POST', `/avbrott/${id}/ateruppta`, {
		cookie, form: { csrf, resumed_date: '2024-05-02' },
	});
	assert.equal(again.status, 409);
	assert.match(again.text, /återupptogs redan 2024-05-01/);
	const missing = await s.request('POST', '/avbrott/999999/ateruppta', {
		cookie, form: { csrf, resumed_date: '2024-05-02' },
	});
	assert.equal(missing.status, 404);
});
