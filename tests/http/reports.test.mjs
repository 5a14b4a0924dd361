// Reports of the authority process over HTTP (legal-duties.md sections 1 and 6): the quarter's
// unexecuted decisions as JSON, CSV and PDF with the council's statistics, the reason for a
// delay, the delegated decisions for the board, lead times, and the caseworker's follow-ups.
// Decisions are made through the API; their dates are moved into the past with SQL, since the
// server sets the decision date to today. Persons appear only as birth date and sex, and each
// person listed is audited.
import { after, before, test } from 'node:test';
import { execFileSync } from 'node:child_process';

import { assert, assertProblem, shutdownTest, startServer } from './harness.mjs';
import * as fx from './decisions_fixture.mjs';

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

const { addDays, birthOf, daysBetween, item, pdfText, sexOf } = fx;
const raw = (username, path) => fx.raw(s, username, path);
const decision = (opts) => fx.decision(s, opts);
const backdate = (x, decided, received) => fx.backdate(s, x, decided, received);
const execute = (x, date) => fx.execute(s, x, date);
const quarter = (y, q, fmt, user) => fx.quarter(s, y, q, fmt, user);

const st = {};

test('set up: decisions taken in 2025, some executed late, one in time, one refused', async () => {
	st.a = await decision();                  // 2025-01-15, never executed
	st.edge = await decision();               // 2025-03-31: its three months end on 2025-06-30
	st.later = await decision();              // 2025-04-01: due only in the third quarter
	st.lateExec = await decision({ service: 'matdistribution' }); // 2025-02-10, executed 2025-06-01
	st.inTime = await decision();             // 2025-03-01, executed 2025-05-20, in time
	st.afterQ = await decision();             // 2025-04-10, executed 2025-08-01
	st.refused = await decision({ outcome: 'refused' }); // 2025-01-20
	st.today = st.a.d.decision_date;
	backdate(st.a, '2025-01-15');
	backdate(st.edge, '2025-03-31');
	backdate(st.later, '2025-04-01');
	backdate(st.lateExec, '2025-02-10');
	backdate(st.inTime, '2025-03-01');
	backdate(st.afterQ, '2025-04-10');
	backdate(st.refused, '2025-01-20');
	await execute(st.lateExec, '2025-06-01');
	await execute(st.inTime, '2025-05-20');
	await execute(st.afterQ, '2025-08-01');
});

test('an unexecuted decision older than three months is in the right quarter, not the one before', async () => {
	const q2 = await quarter(2025, 2);
	assert.equal(q2.status, 200, q2.text);
	assert.equal(q2.json.quarter_start, '2025-04-01');
	assert.equal(q2.json.quarter_end, '2025-06-30');
	const a = item(q2, st.a);
	assert.ok(a, 'the decision of 2025-01-15 is in the second quarter');
	assert.equal(a.decision_date, '2025-01-15');
	assert.equal(a.service, 'trygghetslarm');
	assert.equal(a.service_name, 'Trygghetslarm');
	assert.equal(a.law, 'SoL');
	assert.equal(a.case_number, st.a.caseNumber);
	assert.equal(a.days_waited, daysBetween('2025-01-15', '2025-06-30'));
	assert.equal(a.waiting_interval, '3-6');
	assert.equal(a.executed_date, null);
	assert.equal(a.state, 'waiting');
	assert.equal(a.state_title, 'Ej verkställt');
	assert.equal(a.closed_date, null);
	assert.equal(a.closed_reason, null);
	assert.equal(a.delay_reason, null);
	assert.equal(a.birth_date, birthOf(st.a.pnr.twelve));
	assert.equal(a.sex, sexOf(st.a.pnr.twelve));
	assert.equal(JSON.stringify(a).includes(st.a.pnr.twelve.slice(8)), false, 'no last four digits');
	assert.equal(a.person_id, undefined, 'no person id in the register');

	// The last day of the quarter still counts; a day later belongs to the next quarter.
	assert.ok(item(q2, st.edge), 'decided 2025-03-31: due 2025-06-30');
	assert.equal(item(q2, st.later), undefined, 'decided 2025-04-01: due 2025-07-01');
	// Executed within the quarter after its deadline: reported with the execution date.
	const late = item(q2, st.lateExec);
	assert.ok(late);
	assert.equal(late.executed_date, '2025-06-01');
	assert.equal(late.state, 'executed');
	assert.equal(late.state_title, 'Verkställt');
	assert.equal(late.closed_date, null);
	assert.equal(late.days_waited, daysBetween('2025-02-10', '2025-06-01'));
	// Executed in time, refused, or executed after the quarter's end while not yet due: absent.
	assert.equal(item(q2, st.inTime), undefined);
	assert.equal(item(q2, st.refused), undefined);
	assert.equal(item(q2, st.afterQ), undefined);

	const q1 = await quarter(2025, 1);
	assert.equal(q1.status, 200);
	for (const x of [st.a, st.edge, st.later, st.lateExec, st.inTime, st.afterQ, st.refused])
		assert.equal(item(q1, x), undefined, 'nothing was three months old in the first quarter');

	const q3 = await quarter(2025, 3);
	assert.ok(item(q3, st.a), 'still unexecuted: reported again');
	assert.equal(item(q3, st.a).days_waited, daysBetween('2025-01-15', '2025-09-30'));
	assert.equal(item(q3, st.a).waiting_interval, '6-12');
	assert.ok(item(q3, st.later));
	assert.equal(item(q3, st.lateExec), undefined, 'executed in the quarter before');
	assert.equal(item(q3, st.afterQ).executed_date, '2025-08-01');
	const q1next = await quarter(2026, 1);
	assert.equal(item(q1next, st.a).waiting_interval, 'over_12');
});

test('the council statistics count per service and waiting interval, without personal data', async () => {
	const q2 = await quarter(2025, 2);
	const stat = q2.json.statistics;
	// Waiting: the decisions still unexecuted at the quarter's end; the one executed within
	// the quarter is counted apart.
	const waiting = q2.json.items.filter((i) => i.state === 'waiting');
	assert.equal(stat.total, waiting.length);
	assert.equal(stat.executed_in_quarter, q2.json.items.filter((i) => i.state === 'executed').length);
	assert.ok(stat.executed_in_quarter >= 1);
	assert.equal(stat.total + stat.executed_in_quarter + stat.closed_in_quarter, q2.json.items.length);
	assert.equal(stat.by_interval['3-6'] + stat.by_interval['6-12'] + stat.by_interval.over_12, stat.total);
	const larm = stat.by_service.find((x) => x.service === 'trygghetslarm');
	assert.equal(larm.total, waiting.filter((i) => i.service === 'trygghetslarm').length);
	assert.equal(larm.name, 'Trygghetslarm');
	// Matdistribution's only decision was executed in the quarter: listed, not waiting.
	const mat = stat.by_service.find((x) => x.service === 'matdistribution');
	assert.equal(mat.total, waiting.filter((i) => i.service === 'matdistribution').length);
	assert.ok(mat.executed_in_quarter >= 1);
	assert.doesNotMatch(JSON.stringify(stat), /birth|sex|person|case/);
});

test('the reason for a delay is recorded, audited, on the timeline, and in the report', async () => {
	const before = await s.auditOf(st.a.person.id);
	const r = await s.as('handlaggare', 'POST', `/api/v1/decisions/${st.a.d.id}/delay-reason`, {
		json: { reason: 'Ingen ledig montör; larmet installeras i juli' },
	});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.delay_reason, 'Ingen ledig montör; larmet installeras i juli');
	const fresh = (await s.auditOf(st.a.person.id)).filter((x) => !before.some((b) => b.id === x.id));
	const upd = fresh.find((x) => x.request_id === r.requestId);
	assert.ok(upd, 'audited by the same request');
	assert.equal(upd.action, 'update');
	assert.equal(upd.entity, 'decision');
	assert.equal(upd.entity_id, st.a.d.id);
	const v = await s.as('handlaggare', 'GET', `/api/v1/cases/${st.a.caseId}`);
	assert.ok(v.json.timeline.some((e) => e.kind === 'delay_reason'));
	const q2 = await quarter(2025, 2);
	assert.equal(item(q2, st.a).delay_reason, 'Ingen ledig montör; larmet installeras i juli');

	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/decisions/${st.refused.d.id}/delay-reason`,
		{ json: { reason: 'x' } }), 422, 'reason');
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/decisions/${st.a.d.id}/delay-reason`,
		{ json: { reason: '   ' } }), 400, 'reason');
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/decisions/${st.a.d.id}/delay-reason`,
		{ json: {} }), 400, 'reason');
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/decisions/${st.a.d.id}/delay-reason`,
		{ json: { reason: 'x'.repeat(1001) } }), 400, 'reason');
	assertProblem(await s.as('handlaggare', 'POST', '/api/v1/decisions/999999/delay-reason',
		{ json: { reason: 'x' } }), 404);
	assertProblem(await s.as('h2', 'POST', `/api/v1/decisions/${st.a.d.id}/delay-reason`,
		{ json: { reason: 'x' } }), 404);
	assert.equal((await s.as('medborgare', 'POST', `/api/v1/decisions/${st.a.d.id}/delay-reason`,
		{ json: { reason: 'x' } })).status, 403);
});

test('the CSV: BOM, semicolons, Swedish headings, birth date and sex, no personnummer', async () => {
	const r = await raw('handlaggare', '/api/v1/reports/unexecuted?year=2025&quarter=2&format=csv');
	assert.equal(r.status, 200);
	assert.match(r.type, /^text\/csv/);
	assert.match(r.disposition, /attachment; filename="ej-verkstallda-beslut-2025-K2\.csv"/);
	assert.deepEqual([...r.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
	const text = r.buf.subarray(3).toString('utf8');
	const lines = text.split('\r\n');
	assert.equal(lines[0], 'Typ;Beslutsdatum;Diarienummer;Insats;Insatskod;Lag;Födelsedatum;Kön;'
		+ 'Avbrott från;Skäl till avbrott;Dagar i väntan;Väntetid;Verkställt datum;'
		+ 'Återupptaget datum;Avslutat datum;Skäl till avslut;Redogörelse för avslut;'
		+ 'Skäl till dröjsmål');
	const a = lines.find((l) => l.includes(st.a.caseNumber));
	assert.equal(a, `Ej verkställt beslut;2025-01-15;${st.a.caseNumber};Trygghetslarm;trygghetslarm;SoL;`
		+ `${birthOf(st.a.pnr.twelve)};${sexOf(st.a.pnr.twelve)};;;`
		+ `${daysBetween('2025-01-15', '2025-06-30')};3–6 månader;;;;;;`
		+ '"Ingen ledig montör; larmet installeras i juli"');
	assert.ok(lines.some((l) => l.startsWith('Ej verkställt beslut;2025-02-10;') && l.includes(';2025-06-01;')));
	for (const x of [st.a, st.edge, st.lateExec]) {
		assert.equal(text.includes(x.pnr.twelve), false);
		assert.equal(text.includes(x.pnr.ten), false);
		assert.equal(text.includes(x.pnr.tenDash), false);
		assert.equal(text.includes(x.pnr.twelveDash), false);
	}
	assert.ok(lines.includes('Statistik till kommunfullmäktige'));
	assert.ok(lines.includes('Insats;Lag;3–6 månader;6–12 månader;Mer än 12 månader;'
		+ 'Ej verkställda totalt;Verkställda under kvartalet;Avslutade utan verkställighet'));
	assert.ok(lines.some((l) => /^Totalt;;\d+;\d+;\d+;\d+;[1-9]\d*;\d+$/.test(l)));
});

test('the PDF: A4 landscape, the title with quarter and year, the municipality, no personnummer', async () => {
	const r = await raw('chef', '/api/v1/reports/unexecuted?year=2025&quarter=2&format=pdf');
	assert.equal(r.status, 200);
	assert.match(r.type, /^application\/pdf/);
	assert.equal(r.buf.subarray(0, 5).toString(), '%PDF-');
	const text = pdfText(r.buf);
	assert.match(text, /Ej verkställda beslut kvartal 2 2025/);
	const me = (await s.session('chef')).user;
	assert.ok(text.includes(me.tenant_title || me.tenant), 'the municipality is named');
	assert.match(text, /Statistik till kommunfullmäktige/);
	assert.ok(text.includes(birthOf(st.a.pnr.twelve)));
	assert.equal(text.includes(st.a.pnr.twelve), false);
	assert.equal(text.includes(st.a.pnr.twelveDash), false);
	assert.match(text, /Sida 1 av \d+/);
	const size = execFileSync('pdfinfo', ['-'], { input: r.buf }).toString('utf8');
	assert.match(size, /Page size:\s+841\.89 x 595\.28 pts/);
});

test('every person listed in the report is audited, once per request', async () => {
	const before = await s.auditOf(st.edge.person.id);
	const r = await quarter(2025, 2);
	assert.equal(r.status, 200);
	const fresh = (await s.auditOf(st.edge.person.id)).filter((x) => !before.some((b) => b.id === x.id));
	const mine = fresh.filter((x) => x.request_id === r.requestId);
	assert.equal(mine.length, 1);
	assert.equal(mine[0].action, 'list');
	assert.equal(mine[0].entity, 'report_unexecuted');
	// A person not in the report is not audited by it.
	const laterBefore = await s.auditOf(st.later.person.id);
	const q2 = await quarter(2025, 2);
	const laterAfter = await s.auditOf(st.later.person.id);
	assert.equal(laterAfter.filter((x) => x.request_id === q2.requestId).length, 0);
	assert.ok(laterAfter.length >= laterBefore.length);
});

test('bad year, quarter or format: 400 naming the field', async () => {
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/reports/unexecuted?year=1999&quarter=2'), 400, 'year');
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/reports/unexecuted?year=20x5&quarter=2'), 400, 'year');
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/reports/unexecuted?quarter=2'), 400, 'year');
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/reports/unexecuted?year=2025&quarter=5'), 400, 'quarter');
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/reports/unexecuted?year=2025&quarter=0'), 400, 'quarter');
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/reports/unexecuted?year=2025'), 400, 'quarter');
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/reports/unexecuted?year=2025&quarter=-1'), 400, 'quarter');
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/reports/unexecuted?year=2025&quarter=2&format=xlsx'), 400, 'format');
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/reports/delegated?from=2025-01-01&to=2025-01-31&format=pdf'), 400, 'format');
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/reports/delegated?to=2025-01-31'), 400, 'from');
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/reports/delegated?from=2025-02-30&to=2025-03-01'), 400, 'from');
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/reports/delegated?from=2025-02-01&to=2025-01-31'), 400, 'to');
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/reports/lead-times?from=2025-02-01'), 400, 'to');
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/followups?within=x'), 400, 'within');
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/followups?within=400'), 400, 'within');
});

test('provider staff, citizens and representatives get 403; the auditor reads the reports, not the follow-ups; another tenant sees nothing', async () => {
	const paths = [
		'/api/v1/reports/unexecuted?year=2025&quarter=2',
		'/api/v1/reports/unexecuted?year=2025&quarter=2&format=csv',
		'/api/v1/reports/delegated?from=2025-01-01&to=2025-12-31',
		'/api/v1/reports/lead-times?from=2025-01-01&to=2025-12-31',
		'/api/v1/followups',
	];
	for (const p of paths) {
		for (const u of ['personal', 'utforare', 'medborgare', 'godman'])
			assertProblem(await s.as(u, 'GET', p), 403);
		const auditor = await s.as('revisor', 'GET', p);
		if (p.startsWith('/api/v1/followups'))
			assertProblem(auditor, 403);
		else
			assert.equal(auditor.status, 200, `${p} as revisor: ${auditor.text.slice(0, 200)}`);
		assertProblem(await s.get(p), 401);
	}
	const other = await quarter(2025, 2, 'json', 'h2');
	assert.equal(other.status, 200);
	assert.deepEqual(other.json.items, []);
	assert.equal(other.json.statistics.total, 0);
});

test('delegated decisions for the board: who decided, level and point; persons masked', async () => {
	const r = await s.as('chef', 'GET', '/api/v1/reports/delegated?from=2025-01-01&to=2025-01-31');
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.from, '2025-01-01');
	assert.equal(r.json.count, r.json.items.length);
	const ids = r.json.items.map((i) => i.decision_id);
	assert.ok(ids.includes(st.a.d.id) && ids.includes(st.refused.d.id));
	assert.equal(ids.includes(st.lateExec.d.id), false, 'decided in February');
	const me = (await s.session('handlaggare')).user;
	const a = r.json.items.find((i) => i.decision_id === st.a.d.id);
	assert.equal(a.decision_date, '2025-01-15');
	assert.equal(a.case_number, st.a.caseNumber);
	assert.equal(a.service, 'trygghetslarm');
	assert.equal(a.outcome, 'granted');
	assert.equal(a.outcome_title, 'bifall');
	assert.equal(a.decided_by_name, me.display_name);
	assert.equal(a.level, 'biståndshandläggare');
	assert.equal(a.delegated, true);
	assert.equal(a.delegation_point, '3.2.1');
	assert.equal(a.birth_date, birthOf(st.a.pnr.twelve));
	assert.equal(a.sex, sexOf(st.a.pnr.twelve));
	const ref = r.json.items.find((i) => i.decision_id === st.refused.d.id);
	assert.equal(ref.outcome_title, 'avslag');
	assert.equal(JSON.stringify(r.json).includes(st.a.pnr.twelve), false);

	const c = await raw('chef', '/api/v1/reports/delegated?from=2025-01-01&to=2025-01-31&format=csv');
	assert.equal(c.status, 200);
	assert.deepEqual([...c.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
	const lines = c.buf.subarray(3).toString('utf8').split('\r\n');
	assert.equal(lines[0], 'Beslutsdatum;Diarienummer;Insats;Lag;Beslut;Beslutsfattare;Nivå;'
		+ 'Delegationspunkt;Födelsedatum;Kön');
	assert.ok(lines.includes(`2025-01-15;${st.a.caseNumber};Trygghetslarm;SoL;bifall;`
		+ `${me.display_name};biståndshandläggare;3.2.1;${birthOf(st.a.pnr.twelve)};`
		+ `${sexOf(st.a.pnr.twelve)}`));
	assert.equal(c.buf.toString('utf8').includes(st.a.pnr.twelve), false);

	// Each person listed audited, by this request.
	const audit = await s.auditOf(st.refused.person.id);
	assert.ok(audit.some((x) => x.request_id === r.requestId && x.entity === 'report_delegated'));
	const none = await s.as('chef', 'GET', '/api/v1/reports/delegated?from=2020-01-01&to=2020-01-31');
	assert.equal(none.status, 200);
	assert.deepEqual(none.json.items, []);
});

test('lead times: median and mean from receipt to decision and from decision to execution', async () => {
	const g = [];
	for (let i = 0; i < 3; i++)
		g.push(await decision({ service: 'matdistribution' }));
	backdate(g[0], '2024-03-10', '2024-03-01');
	backdate(g[1], '2024-03-20', '2024-03-01');
	backdate(g[2], '2024-03-30', '2024-03-01');
	await execute(g[0], '2024-03-15');
	await execute(g[1], '2024-03-30');
	const r = await s.as('chef', 'GET', '/api/v1/reports/lead-times?from=2024-03-01&to=2024-03-31');
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.total.decisions, 3);
	assert.deepEqual(r.json.total.handling_days, { n: 3, median: 19, mean: 19 });
	assert.deepEqual(r.json.total.execution_days, { n: 2, median: 7.5, mean: 7.5 });
	const dv = r.json.by_service.find((x) => x.service === 'matdistribution');
	assert.equal(dv.decisions, 3);
	assert.equal(dv.law, 'SoL');
	assert.deepEqual(dv.execution_days, { n: 2, median: 7.5, mean: 7.5 });
	const empty = await s.as('chef', 'GET', '/api/v1/reports/lead-times?from=2020-01-01&to=2020-01-31');
	assert.equal(empty.status, 200);
	assert.deepEqual(empty.json.total, { decisions: 0, handling_days: { n: 0, median: null, mean: null }, execution_days: { n: 0, median: null, mean: null } });
	assert.deepEqual(empty.json.by_service, []);
});

test('the follow-up list: due and overdue follow-ups, decisions ending soon, the caseworker\'s own', async () => {
	const today = st.today;
	const ends = await decision({ end: addDays(today, 20) });
	const overdue = await decision();
	s.sql(`UPDATE decisions SET followup_date = '${addDays(today, -5)}' WHERE id = ${overdue.d.id}`);
	const closed = await decision();
	s.sql(`UPDATE decisions SET followup_date = '${addDays(today, 3)}' WHERE id = ${closed.d.id}`);

	const r = await s.as('handlaggare', 'GET', '/api/v1/followups?within=30');
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.today, today);
	assert.equal(r.json.within, 30);
	const find = (x) => r.json.items.find((i) => i.decision_id === x.d.id);
	const e = find(ends);
	assert.ok(e, 'ends within 30 days');
	assert.equal(e.ends_soon, true);
	assert.equal(e.overdue, false);
	assert.equal(e.end_date, addDays(today, 20));
	assert.equal(e.case_id, ends.caseId);
	assert.equal(e.case_number, ends.caseNumber);
	assert.equal(e.person_id, ends.person.id);
	assert.equal(e.service, 'trygghetslarm');
	const o = find(overdue);
	assert.equal(o.overdue, true);
	assert.equal(o.ends_soon, false);
	assert.equal(o.followup_date, addDays(today, -5));
	assert.equal(o.end_date, null);
	assert.ok(find(closed));
	// Follow-ups a year ahead are not due.
	assert.equal(find(st.later), undefined);
	// Audited per person listed.
	const audit = await s.auditOf(overdue.person.id);
	assert.ok(audit.some((x) => x.request_id === r.requestId && x.entity === 'followup' && x.action === 'list'));

	// A shorter horizon leaves out what ends in 20 days; the overdue one stays.
	const near = await s.as('handlaggare', 'GET', '/api/v1/followups?within=10');
	assert.equal(near.json.items.some((i) => i.decision_id === ends.d.id), false);
	assert.ok(near.json.items.some((i) => i.decision_id === overdue.d.id));
	// A closed case has no follow-up; nor has another caseworker the first one's.
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${closed.caseId}/state`, { json: { to: 'closed' } })).status, 200);
	const after = await s.as('handlaggare', 'GET', '/api/v1/followups');
	assert.equal(after.json.items.some((i) => i.decision_id === closed.d.id), false);
	assert.ok(after.json.items.some((i) => i.decision_id === overdue.d.id));
	const chef = await s.as('chef', 'GET', '/api/v1/followups');
	assert.equal(chef.status, 200);
	assert.equal(chef.json.items.some((i) => i.decision_id === overdue.d.id), false);
	// A replaced decision has its follow-up in the new one.
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${overdue.caseId}/state`, { json: { to: 'follow_up' } })).status, 200);
	const re = await s.as('handlaggare', 'POST', `/api/v1/cases/${overdue.caseId}/decisions`, {
		json: { service: 'trygghetslarm', outcome: 'granted', start_date: today, reasoning: 'Omprövning.', replaces_id: overdue.d.id },
	});
	assert.equal(re.status, 201, re.text);
	const last = await s.as('handlaggare', 'GET', '/api/v1/followups');
	assert.equal(last.json.items.some((i) => i.decision_id === overdue.d.id), false);
});

shutdownTest(test, () => s);
