// Personal assistance (issue 5 item 4) over HTTP: shifts per assistant and assisted person,
// refused when they overlap, fall outside the order or put two assistants at once without a
// grant for double assistance; the month sheet's totals against figures computed by hand; the
// signatures of the assisted person, the god man (a mandate for person 3) and each assistant;
// a signed month refusing a plain change and taking a correction with a reason, booked as an
// adjustment in the next month; the employer's approval and lock; working-time warnings;
// another provider's staff gets 404; every read and write audited.
//
// The demo (src/visits/assistance_demo.c) gives the citizen (person 1, double assistance
// granted, beredskap counted as a quarter) and the ward (person 3, defaults) orders from the
// first day of the month seven months ago, and assistants linked to 'personal' and 'assistent'.
import { after, before, test } from 'node:test';

import { assert, assertProblem, DEMO_PASSWORD, shutdownTest, startServer } from './harness.mjs';

const B_NAME = 'Assistans B AB';
let s;
before(async () => {
	s = await startServer({
		users: [
			{ tenant: 'demo', username: 'bstaff', role: 'provider_staff', password: 'bstaff-password-1', args: ['--provider', B_NAME] },
			{ tenant: 'demo', username: 'nyassistent', role: 'provider_staff', password: 'nyassistent-pass-1', args: ['--provider', 'Omsorg i Hannaby AB'] },
		],
	});
});
after(async () => {
	await s?.cleanup();
});

// Months as YYYY-MM, n months before the current Stockholm month.
const todayStr = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
function monthAgo(n) {
	const [y, m] = todayStr().split('-').map(Number);
	const t = y * 12 + (m - 1) - n;
	return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}
const M3 = monthAgo(3), M2 = monthAgo(2), M4 = monthAgo(4);
const day = (month, d) => `${month}-${String(d).padStart(2, '0')}`;

const ids = {};
const shift = (user, json) => s.as(user, 'POST', '/api/v1/assistance/hours', { json });
const sheet = (user, person, month) => s.as(user, 'GET', `/api/v1/assistance/persons/${person}/sheet?month=${month}`);
// The sheet as CSV, read as bytes (for the BOM) and parsed: ';' separated, quoted fields with
// doubled quotes, CRLF lines.
async function sheetCsv(user, person, month) {
	const res = await fetch(s.url(`/api/v1/assistance/persons/${person}/sheet.csv?month=${month}`), {
		headers: { authorization: `Bearer ${await s.token(user)}` },
	});
	const buf = Buffer.from(await res.arrayBuffer());
	const out = { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), buf };
	if (res.status !== 200)
		return out;
	const text = buf.subarray(3).toString('utf8');
	const rows = [];
	let row = [], f = '', q = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (q) {
			if (ch === '"' && text[i + 1] === '"') { f += '"'; i++; } else if (ch === '"') q = false; else f += ch;
		} else if (ch === '"') q = true;
		else if (ch === ';') { row.push(f); f = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(f); rows.push(row); row = []; f = ''; i++; } else f += ch;
	}
	assert.equal(f + row.length, '0', 'the last line ends with CRLF');
	return { ...out, rows, text };
}
// The CSV's totals section as {label: minutes}, and its shift rows of a kind (Pass, Justering).
const csvTotals = (c) => Object.fromEntries(c.rows.slice(c.rows.findIndex((r) => r[0] === 'Summering') + 1)
	.filter((r) => r.length === 3).map((r) => [r[0], Number(r[1])]));
const csvRows = (c, what) => c.rows.filter((r) => r[0] === what);
// Checks the CSV against the JSON sheet: every shift, the totals and the digest.
function csvMatchesJson(c, j) {
	assert.equal(c.status, 200);
	assert.match(c.type, /^text\/csv; charset=utf-8/);
	assert.match(c.disposition, new RegExp(`attachment; filename="tidsredovisning-${j.month}.csv"`));
	assert.deepEqual([...c.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
	assert.deepEqual(c.rows[0], ['Tidsredovisning personlig assistans', j.month]);
	assert.deepEqual(c.rows[1], ['Assistansberättigad', j.assisted_person.name, j.assisted_person.personnummer]);
	const head = c.rows.find((r) => r[0] === 'Rad');
	assert.deepEqual(head.slice(0, 10), ['Rad', 'Id', 'Datum', 'Start', 'Slutdatum', 'Slut', 'Referens', 'Assistent', 'Slag', 'Minuter']);
	const pass = csvRows(c, 'Pass');
	assert.equal(pass.length, j.shifts.length);
	j.shifts.forEach((sh, i) => {
		const r = pass[i], a = j.assistants.find((x) => x.id === sh.assistant_id);
		assert.deepEqual(r.slice(1, 8), [String(sh.id), sh.date, sh.start, sh.end_date, sh.end, a.ref, a.name]);
		assert.equal(Number(r[9]), sh.minutes);
		assert.equal(r[10], (sh.minutes / 60).toFixed(2).replace('.', ','));
		assert.deepEqual(r.slice(11, 13), [sh.month, sh.booked_month]);
	});
	assert.equal(csvRows(c, 'Justering').length, j.adjustments.length);
	j.adjustments.forEach((adj, i) => assert.equal(csvRows(c, 'Justering')[i][1], String(adj.row.id)));
	const t = csvTotals(c);
	assert.equal(t['Aktiv assistans'], j.totals.active_minutes);
	assert.equal(t['Beredskap'], j.totals.oncall_minutes);
	assert.equal(t['Dubbel assistans'], j.totals.double_minutes);
	assert.equal(t['Ej ersättningsbar tid'], j.totals.unpaid_minutes);
	assert.equal(t['Ersättningsbar tid'], j.totals.payable_minutes);
	assert.equal(t['Beviljad tid'], j.totals.granted_minutes);
	assert.equal(t['Inom beviljad tid'], j.totals.within_grant_minutes);
	assert.equal(t['Över beviljad tid'], j.totals.over_grant_minutes);
	assert.equal(t['Justering aktiv assistans'], j.adjustment_totals.active_minutes);
	assert.equal(t['Justering beredskap'], j.adjustment_totals.oncall_minutes);
	assert.deepEqual(c.rows.at(-1), ['SHA-256', j.content_sha256]);
}
const sign = (user, person, month, sha) => s.as(user, 'POST', `/api/v1/assistance/persons/${person}/sheet/signatures`,
	{ json: { month, content_sha256: sha } });

test('the demo has two assistants linked to the logins', async () => {
	const me = await s.as('medborgare', 'GET', '/api/v1/me');
	assert.equal(me.status, 200, me.text);
	ids.citizen = me.json.person_id ?? me.json.user?.person_id;
	assert.ok(ids.citizen, me.text);
	ids.ward = ids.citizen + 2;
	const r = await s.as('personal', 'GET', '/api/v1/assistance/assistants');
	assert.equal(r.status, 200, r.text);
	const names = r.json.items.map((a) => a.name).sort();
	assert.deepEqual(names, ['Adam Assistentsson', 'Petra Personalsson']);
	ids.petra = r.json.items.find((a) => a.name === 'Petra Personalsson').id;
	ids.adam = r.json.items.find((a) => a.name === 'Adam Assistentsson').id;
	// The employer registers a third; staff may not.
	assertProblem(await s.as('personal', 'POST', '/api/v1/assistance/assistants', { json: { name: 'X', ref: 'X', birth_date: '2000-01-01' } }), 403);
	const add = await s.as('utforare', 'POST', '/api/v1/assistance/assistants', {
		json: { name: 'Unga Ung', ref: 'A-900', birth_date: '2011-06-01', relative: false },
	});
	assert.equal(add.status, 201, add.text);
	assert.equal(add.json.birth_date, '2011-06-01');
	assertProblem(await s.as('utforare', 'POST', '/api/v1/assistance/assistants', { json: { name: 'Dubblett', ref: 'A-900', birth_date: '2000-01-01' } }), 409, 'ref');
});

test('a linked login must be a staff user of the same provider', async () => {
	const idOf = async (user, password) => {
		const r = await s.request('GET', '/api/v1/me', { token: (await s.session(user, password)).token });
		assert.equal(r.status, 200, r.text);
		return r.json.id;
	};
	const bstaff = await idOf('bstaff', 'bstaff-password-1');
	const ny = await idOf('nyassistent', 'nyassistent-pass-1');
	const boss = (await s.as('utforare', 'GET', '/api/v1/me')).json.id;
	const caseworker = (await s.as('handlaggare', 'GET', '/api/v1/me')).json.id;
	const add = (ref, user_id) => s.as('utforare', 'POST', '/api/v1/assistance/assistants', { json: { name: `Test ${ref}`, ref, birth_date: '1990-01-01', user_id } });
	// Another provider's staff, a municipal caseworker, an unknown id: not this provider's.
	for (const [ref, uid] of [['L-1', bstaff], ['L-2', caseworker], ['L-3', 999999]]) {
		const r = await add(ref, uid);
		assertProblem(r, 422, 'user_id');
		assert.match(r.text, /hör inte till anordnaren/);
	}
	// This provider's admin is not staff.
	const r = await add('L-4', boss);
	assertProblem(r, 422, 'user_id');
	assert.match(r.text, /rollen personal/);
	// Nothing was stored for the refused ones; the provider's own staff login is taken.
	const ok = await add('L-5', ny);
	assert.equal(ok.status, 201, ok.text);
	assert.equal(ok.json.user_id, ny);
	const list = await s.as('utforare', 'GET', '/api/v1/assistance/assistants');
	assert.deepEqual(list.json.items.filter((a) => a.ref.startsWith('L-')).map((a) => a.ref), ['L-5']);
});

test('shifts: entered by the assistant or the employer; overlap, outside the order and the future refused', async () => {
	let r = await shift('personal', { person_id: ids.citizen, date: day(M3, 10), start: '08:00', end: '16:00' });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.assistant_id, ids.petra);
	assert.equal(r.json.minutes, 480);
	assert.equal(r.json.booked_month, M3);
	r = await shift('assistent', { person_id: ids.citizen, date: day(M3, 10), start: '14:00', end: '22:00' });
	assert.equal(r.status, 201, r.text);
	// Beredskap over midnight: the end before the start is the next day.
	r = await shift('assistent', { person_id: ids.citizen, date: day(M3, 10), start: '22:00', end: '06:00', kind: 'oncall' });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.end_date, day(M3, 11));
	// The employer reports for Petra.
	r = await shift('utforare', { person_id: ids.citizen, assistant_id: ids.petra, date: day(M3, 11), start: '08:00', end: '12:00' });
	assert.equal(r.status, 201, r.text);
	ids.petraDay11 = r.json.id;
	// Staff report only for themselves.
	assertProblem(await shift('personal', { person_id: ids.citizen, assistant_id: ids.adam, date: day(M3, 12), start: '08:00', end: '09:00' }), 422, 'assistant_id');
	// Overlap for the same assistant (also for another person).
	assertProblem(await shift('personal', { person_id: ids.citizen, date: day(M3, 10), start: '15:00', end: '17:00' }), 422, 'start');
	assertProblem(await shift('personal', { person_id: ids.ward, date: day(M3, 10), start: '09:00', end: '10:00' }), 422, 'start');
	// Before the order starts (seven months ago) and in the future.
	assertProblem(await shift('personal', { person_id: ids.citizen, date: day(monthAgo(9), 10), start: '08:00', end: '09:00' }), 422, 'date');
	const next = monthAgo(-1);
	assertProblem(await shift('personal', { person_id: ids.citizen, date: day(next, 10), start: '08:00', end: '09:00' }), 422);
	// Malformed input.
	assertProblem(await shift('personal', { person_id: ids.citizen, date: day(M3, 12), start: '8', end: '09:00' }), 400, 'start');
	assertProblem(await shift('personal', { person_id: ids.citizen, date: day(M3, 12), start: '08:00', end: '09:00', kind: 'nap' }), 400, 'kind');
	// Two assistants at once for the ward: no double assistance granted.
	r = await shift('personal', { person_id: ids.ward, date: day(M3, 12), start: '08:00', end: '12:00' });
	assert.equal(r.status, 201, r.text);
	assertProblem(await shift('assistent', { person_id: ids.ward, date: day(M3, 12), start: '10:00', end: '11:00' }), 422, 'start');
});

test('review 2026-11, finding 21: a shift at a clock time skipped in spring or met twice in autumn names it', async () => {
	let p = assertProblem(await shift('personal', { person_id: ids.citizen, date: '2026-03-29', start: '02:30', end: '04:00' }), 422, 'start');
	assert.equal(p.errors[0].message, 'tiden 02:30 finns inte den 29 mars (sommartid)');
	p = assertProblem(await shift('personal', { person_id: ids.citizen, date: '2026-10-24', start: '22:00', end: '02:15' }), 422, 'end');
	assert.equal(p.errors[0].message, 'tiden 02:15 finns två gånger den 25 oktober (sommartiden slutar)');
});

test('another provider\'s staff and a caseworker get nothing', async () => {
	const b = { token: (await s.session('bstaff', 'bstaff-password-1')).token };
	assertProblem(await s.request('POST', '/api/v1/assistance/hours', { ...b, json: { person_id: ids.citizen, date: day(M3, 12), start: '08:00', end: '09:00' } }), 404);
	assertProblem(await s.request('GET', `/api/v1/assistance/persons/${ids.citizen}/sheet?month=${M3}`, b), 404);
	assertProblem(await s.request('POST', `/api/v1/assistance/hours/${ids.petraDay11}/correction`, { ...b, json: { person_id: ids.citizen, date: day(M3, 11), start: '08:00', end: '11:00', reason: 'x' } }), 404);
	assertProblem(await sheet('handlaggare', ids.citizen, M3), 403);
	// The citizen does not see the ward's sheet.
	assertProblem(await sheet('medborgare', ids.ward, M3), 404);
});

test('the sheet: totals per kind as computed by hand, double assistance and beredskap', async () => {
	const r = await sheet('medborgare', ids.citizen, M3);
	assert.equal(r.status, 200, r.text);
	const t = r.json.totals;
	// Active: Petra 480 + 240, Adam 480 = 1200. Both active 14-16: 120 each = 240 double.
	assert.equal(t.active_minutes, 1200);
	assert.equal(t.double_minutes, 240);
	assert.equal(t.oncall_minutes, 480);
	assert.equal(t.unpaid_minutes, 0);
	// Payable: 1200 + 480 / 4 (the decision's beredskap factor) = 1320.
	assert.equal(t.payable_minutes, 1320);
	assert.equal(t.granted_minutes, 360 * 60);
	assert.equal(t.within_grant_minutes, 1320);
	assert.equal(r.json.grant.double_granted, true);
	assert.equal(r.json.shifts.length, 4);
	const petra = r.json.assistants.find((a) => a.id === ids.petra);
	assert.equal(petra.active_minutes, 720);
	const d10 = r.json.days.filter((d) => d.date === day(M3, 10));
	assert.equal(d10.length, 2);
	assert.equal(r.json.state, 'open');
	assert.match(r.json.content_sha256, /^[0-9a-f]{64}$/);
	assert.equal(r.json.month_over, true);
	ids.sha = r.json.content_sha256;
	// The same content for the employer, and as PDF.
	const e = await sheet('utforare', ids.citizen, M3);
	assert.equal(e.json.content_sha256, ids.sha);
	const pdf = await s.as('medborgare', 'GET', `/api/v1/assistance/persons/${ids.citizen}/sheet.pdf?month=${M3}`);
	assert.equal(pdf.status, 200);
	assert.match(pdf.ct, /application\/pdf/);
	assert.ok(pdf.text.startsWith('%PDF'));
	// And as CSV for Swedish Excel: the same shifts and totals as the JSON.
	const csv = await sheetCsv('medborgare', ids.citizen, M3);
	csvMatchesJson(csv, r.json);
	assert.equal(csvRows(csv, 'Pass')[0][8], 'Aktiv assistans');
	assert.equal(csvRows(csv, 'Pass')[0][10], '8,00');
	assert.equal((await sheetCsv('medborgare', ids.ward, M3)).status, 404);
	assert.equal((await sheetCsv('handlaggare', ids.citizen, M3)).status, 403);
});

test('signing: a stale digest is refused; the assisted person signs and the month freezes', async () => {
	assertProblem(await sign('medborgare', ids.citizen, M3, '0'.repeat(64)), 409, 'content_sha256');
	const r = await sign('medborgare', ids.citizen, M3, ids.sha);
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.role, 'assisted');
	assert.equal(r.json.sign_method, 'session');
	assert.equal(r.json.content_sha256, ids.sha);
	assertProblem(await sign('medborgare', ids.citizen, M3, ids.sha), 409);
	// The current month cannot be signed.
	const now = monthAgo(0);
	assertProblem(await sign('medborgare', ids.citizen, now, ids.sha), 422);
	const after = await sheet('medborgare', ids.citizen, M3);
	assert.equal(after.json.state, 'signing');
	assert.equal(after.json.frozen_sha256, ids.sha);
	assert.deepEqual(after.json.missing_signatures, { assisted: false, assistant_ids: [ids.petra, ids.adam].sort((a, b) => a - b) });
});

test('a signed month refuses a plain change and books a correction with a reason in the next month', async () => {
	assertProblem(await shift('personal', { person_id: ids.citizen, date: day(M3, 13), start: '08:00', end: '10:00' }), 422, 'reason');
	let r = await shift('personal', { person_id: ids.citizen, date: day(M3, 13), start: '08:00', end: '10:00', reason: 'Glömt pass' });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.month, M3);
	assert.equal(r.json.booked_month, M2);
	assert.equal(r.json.source, 'correction');
	// Correcting an original row: without a reason refused, with one booked next month.
	const path = `/api/v1/assistance/hours/${ids.petraDay11}/correction`;
	assertProblem(await s.as('personal', 'POST', path, { json: { person_id: ids.citizen, date: day(M3, 11), start: '08:00', end: '11:00' } }), 422, 'reason');
	r = await s.as('personal', 'POST', path, { json: { person_id: ids.citizen, date: day(M3, 11), start: '08:00', end: '11:00', reason: 'Slutade tidigare' } });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.corrects_id, ids.petraDay11);
	assert.equal(r.json.booked_month, M2);
	assertProblem(await s.as('personal', 'POST', path, { json: { person_id: ids.citizen, date: day(M3, 11), start: '08:00', end: '11:00', reason: 'igen' } }), 409);
	// The signed month is unchanged; the next month carries the adjustments: +120 and -60.
	const m3 = await sheet('medborgare', ids.citizen, M3);
	assert.equal(m3.json.content_sha256, ids.sha);
	assert.equal(m3.json.totals.active_minutes, 1200);
	const m2 = await sheet('medborgare', ids.citizen, M2);
	assert.equal(m2.status, 200, m2.text);
	assert.equal(m2.json.adjustments.length, 2);
	assert.equal(m2.json.adjustment_totals.active_minutes, 60);
	assert.equal(m2.json.adjustments.find((a) => a.original).original.id, ids.petraDay11);
	// The CSV of the next month lists the adjustments with the row each replaces.
	const csv = await sheetCsv('utforare', ids.citizen, M2);
	csvMatchesJson(csv, m2.json);
	const replaced = csvRows(csv, 'Ersatt pass');
	assert.equal(replaced.length, 1);
	assert.equal(replaced[0][1], String(ids.petraDay11));
	assert.ok(csvRows(csv, 'Justering').some((x) => x[14] === 'Slutade tidigare' && x[13] === String(ids.petraDay11)));
});

test('each assistant signs; the god man signs for the ward; the employer approves and locks', async () => {
	let r = await sign('personal', ids.citizen, M3, ids.sha);
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.role, 'assistant');
	assert.equal(r.json.assistant_id, ids.petra);
	// Approval waits for every signature.
	assertProblem(await s.as('utforare', 'POST', '/api/v1/assistance/month/approval', { json: { month: M3 } }), 422, 'month');
	r = await sign('assistent', ids.citizen, M3, ids.sha);
	assert.equal(r.status, 201, r.text);
	const c = await sheet('medborgare', ids.citizen, M3);
	assert.equal(c.json.state, 'signed');
	assert.equal(c.json.complete, true);
	// The ward: the god man (a mandate for person 3), then Petra.
	const w = await sheet('godman', ids.ward, M3);
	assert.equal(w.status, 200, w.text);
	assert.equal(w.json.totals.active_minutes, 240);
	// An assistant without shifts on the sheet cannot sign it.
	assertProblem(await sign('assistent', ids.ward, M3, w.json.content_sha256), 422);
	r = await sign('godman', ids.ward, M3, w.json.content_sha256);
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.role, 'representative');
	r = await sign('personal', ids.ward, M3, w.json.content_sha256);
	assert.equal(r.status, 201, r.text);
	// The employer's month, then approval and lock.
	const m = await s.as('utforare', 'GET', `/api/v1/assistance/month?month=${M3}`);
	assert.equal(m.status, 200, m.text);
	assert.equal(m.json.sheets.length, 2);
	assert.ok(m.json.sheets.every((x) => x.state === 'signed'), m.text);
	assertProblem(await s.as('personal', 'GET', `/api/v1/assistance/month?month=${M3}`), 403);
	r = await s.as('utforare', 'POST', '/api/v1/assistance/month/approval', { json: { month: M3 } });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.locked, true);
	assertProblem(await s.as('utforare', 'POST', '/api/v1/assistance/month/approval', { json: { month: M3 } }), 409);
	const rows = s.sql(`SELECT month FROM pa_month_locks WHERE month = '${M3}'`);
	assert.match(rows, new RegExp(M3));
	// The approval of assistance is not the home-care lock of the month.
	assert.equal(s.sql(`SELECT count(*) FROM period_locks WHERE month = '${M3}'`).trim(), '0');
	// A locked month: corrections still go to the next open month.
	r = await shift('assistent', { person_id: ids.citizen, date: day(M3, 14), start: '08:00', end: '09:00', reason: 'Sent inrapporterat' });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.booked_month, M2);
});

test('review 2026-11, finding 2: locking the home-care month leaves unsigned assistance sheets open', async () => {
	const M5 = monthAgo(5);
	let r = await shift('personal', { person_id: ids.citizen, date: day(M5, 10), start: '08:00', end: '12:00' });
	assert.equal(r.status, 201, r.text);
	const lock = await s.as('utforare', 'POST', '/api/v1/visits/periods', { json: { month: M5 } });
	assert.equal(lock.status, 201, lock.text);
	const m = await s.as('utforare', 'GET', `/api/v1/assistance/month?month=${M5}`);
	assert.equal(m.status, 200, m.text);
	assert.equal(m.json.locked, false, m.text);
	assert.ok(m.json.sheets.some((x) => x.person_id === ids.citizen && x.state === 'open'), m.text);
	const page = await s.as('utforare', 'GET', `/assistans/manad?month=${M5}`);
	assert.equal(page.status, 200);
	assert.doesNotMatch(page.text, /Månaden är godkänd och låst/);
	// The sheet still takes shifts without a reason, and approval still wants every signature.
	r = await shift('personal', { person_id: ids.citizen, date: day(M5, 11), start: '08:00', end: '12:00' });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.booked_month, M5);
	const a = assertProblem(await s.as('utforare', 'POST', '/api/v1/assistance/month/approval', { json: { month: M5 } }), 422, 'month');
	assert.match(a.errors[0].message, /signerade/);
	const sh = await sheet('medborgare', ids.citizen, M5);
	assert.equal(sh.json.locked, false);
});

test('working-time warnings for the employer: too short daily rest', async () => {
	let r = await shift('assistent', { person_id: ids.citizen, date: day(M4, 10), start: '06:00', end: '23:00' });
	assert.equal(r.status, 201, r.text);
	r = await shift('assistent', { person_id: ids.citizen, date: day(M4, 11), start: '05:00', end: '13:00' });
	assert.equal(r.status, 201, r.text);
	const m = await s.as('utforare', 'GET', `/api/v1/assistance/month?month=${M4}`);
	assert.equal(m.status, 200, m.text);
	const w = m.json.warnings.find((x) => x.code === 'daily_rest' && x.assistant_id === ids.adam);
	assert.ok(w, m.text);
	assert.equal(w.from, day(M4, 10));
	assert.equal(w.minutes, 360);
});

test('the caseworker sets the grant: double assistance for the ward', async () => {
	const w = await sheet('godman', ids.ward, M2);
	assert.equal(w.status, 200, w.text);
	const order = w.json.order_id;
	assertProblem(await s.as('personal', 'PUT', `/api/v1/assistance/orders/${order}/grant`, { json: { double_granted: true, oncall_num: 1, oncall_den: 1 } }), 403);
	assertProblem(await s.as('handlaggare', 'PUT', `/api/v1/assistance/orders/${order}/grant`, { json: { double_granted: true, oncall_num: 1, oncall_den: 0 } }), 400, 'oncall_den');
	const r = await s.as('handlaggare', 'PUT', `/api/v1/assistance/orders/${order}/grant`, { json: { double_granted: true, oncall_num: 1, oncall_den: 2 } });
	assert.equal(r.status, 200, r.text);
	let x = await shift('personal', { person_id: ids.ward, date: day(M2, 12), start: '08:00', end: '12:00' });
	assert.equal(x.status, 201, x.text);
	x = await shift('assistent', { person_id: ids.ward, date: day(M2, 12), start: '10:00', end: '11:00' });
	assert.equal(x.status, 201, x.text);
	const after = await sheet('godman', ids.ward, M2);
	assert.equal(after.json.totals.double_minutes, 120);
	assert.equal(after.json.totals.unpaid_minutes, 0);
});

test('pages: the assistant\'s day, the sheet with the sign button, Mina sidor, the employer\'s month', async () => {
	const login = async (username) => {
		const res = await s.request('POST', '/logga-in', { form: { tenant: 'demo', username, password: DEMO_PASSWORD } });
		assert.equal(res.status, 303);
		return res.cookies.find((c) => c.startsWith('hanna_session=')).split(';')[0];
	};
	const csrf = (html) => html.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
	const petra = await login('personal');
	let r = await s.get('/assistans', { cookie: petra });
	assert.equal(r.status, 200, r.text.slice(0, 400));
	assert.match(r.text, /Rapportera ett pass/);
	r = await s.request('POST', '/assistans', { cookie: petra, form: { csrf: csrf(r.text), person_id: String(ids.citizen), date: day(M2, 20), start: '09:00', end: '11:00', kind: 'active' } });
	assert.equal(r.status, 303, r.text.slice(0, 400));
	r = await s.get(`/assistans?date=${day(M2, 20)}`, { cookie: petra });
	assert.match(r.text, /09:00/);
	r = await s.get('/assistans', { cookie: petra });
	r = await s.request('POST', '/assistans', { cookie: petra, form: { csrf: csrf(r.text), person_id: String(ids.citizen), date: day(M2, 20), start: '10:00', end: '12:00', kind: 'active' } });
	assert.equal(r.status, 422);
	assert.match(r.text, /överlappar/);
	const citizen = await login('medborgare');
	r = await s.get('/mina-sidor/assistans', { cookie: citizen });
	assert.equal(r.status, 200);
	assert.match(r.text, new RegExp(`/assistans/tidsredovisning/${ids.citizen}`));
	r = await s.get(`/assistans/tidsredovisning/${ids.citizen}?month=${M2}`, { cookie: citizen });
	assert.equal(r.status, 200);
	assert.match(r.text, /Signera tidsredovisningen/);
	assert.match(r.text, new RegExp(`href="/api/v1/assistance/persons/${ids.citizen}/sheet.csv\\?month=${M2}"`));
	r = await s.request('POST', `/assistans/tidsredovisning/${ids.citizen}/signera`, { cookie: citizen, form: { csrf: csrf(r.text), month: M2, content_sha256: r.text.match(/name="content_sha256" value="([0-9a-f]{64})"/)[1] } });
	assert.equal(r.status, 303, r.text.slice(0, 400));
	const sh = await sheet('medborgare', ids.citizen, M2);
	assert.equal(sh.json.signatures[0].role, 'assisted');
	const boss = await login('utforare');
	r = await s.get(`/assistans/manad?month=${M4}`, { cookie: boss });
	assert.equal(r.status, 200);
	assert.match(r.text, /dygnsvilan/);
	r = await s.request('POST', '/assistans/manad', { cookie: boss, form: { csrf: csrf(r.text), month: M4 } });
	assert.equal(r.status, 422);
	assert.match(r.text, /signerade/);
});

test('void: a shift of an open month is removed; one of a locked month is taken away in the next open month', async () => {
	const voidShift = (user, id, json) => s.as(user, 'POST', `/api/v1/assistance/hours/${id}/void`, { json });
	// An open month (M4): Adam's shift of day 11, 05:00-13:00.
	const before = await sheet('utforare', ids.citizen, M4);
	const orig = before.json.shifts.find((x) => x.assistant_id === ids.adam && x.date === day(M4, 11));
	assert.ok(orig, before.text);
	assertProblem(await voidShift('assistent', orig.id, {}), 400, 'reason');
	assertProblem(await voidShift('assistent', orig.id, { reason: '' }), 400, 'reason');
	// Not Petra's shift, not another provider's.
	assertProblem(await voidShift('personal', orig.id, { reason: 'x' }), 404);
	const b = { token: (await s.session('bstaff', 'bstaff-password-1')).token };
	assertProblem(await s.request('POST', `/api/v1/assistance/hours/${orig.id}/void`, { ...b, json: { reason: 'x' } }), 404);
	let r = await voidShift('assistent', orig.id, { reason: 'Passet blev inte av' });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.void, true);
	assert.equal(r.json.minutes, 0);
	assert.equal(r.json.corrects_id, orig.id);
	assert.equal(r.json.booked_month, M4);
	assert.equal(r.json.source, 'correction');
	const voidRow = r.json.id;
	// Removed from the sheet, kept in the table; neither the shift nor the void can change again.
	const after = await sheet('utforare', ids.citizen, M4);
	assert.equal(after.json.totals.active_minutes, before.json.totals.active_minutes - 480);
	assert.ok(!after.json.shifts.some((x) => x.id === orig.id || x.id === voidRow));
	assert.match(s.sql(`SELECT state FROM pa_hours WHERE id = ${orig.id}`), /superseded/);
	assertProblem(await voidShift('assistent', orig.id, { reason: 'igen' }), 409);
	assertProblem(await voidShift('assistent', voidRow, { reason: 'igen' }), 409);
	assertProblem(await s.as('assistent', 'POST', `/api/v1/assistance/hours/${voidRow}/correction`, { json: { person_id: ids.citizen, date: day(M4, 11), start: '05:00', end: '12:00', reason: 'x' } }), 409);
	// The time is free again: a void is no shift of its own.
	r = await shift('assistent', { person_id: ids.citizen, date: day(M4, 11), start: '06:00', end: '12:00' });
	assert.equal(r.status, 201, r.text);

	// A signed and locked month (M3): Petra's shift of day 10, 08:00-16:00, by the employer.
	const m3 = await sheet('utforare', ids.citizen, M3);
	const first = m3.json.shifts.find((x) => x.assistant_id === ids.petra && x.date === day(M3, 10));
	const nexts = {};
	for (const m of [M2, monthAgo(1)])
		nexts[m] = (await sheet('utforare', ids.citizen, m)).json;
	r = await voidShift('utforare', first.id, { reason: 'Registrerat på fel kund' });
	assert.equal(r.status, 201, r.text);
	const booked = r.json.booked_month;
	assert.ok(booked in nexts, booked);
	// The signed sheet is unchanged; the booked month takes the 480 minutes away.
	const still = await sheet('medborgare', ids.citizen, M3);
	assert.equal(still.json.content_sha256, ids.sha);
	assert.ok(still.json.shifts.some((x) => x.id === first.id));
	const nb = await sheet('utforare', ids.citizen, booked);
	const adj = nb.json.adjustments.find((x) => x.row.id === r.json.id);
	assert.ok(adj, nb.text);
	assert.equal(adj.row.void, true);
	assert.equal(adj.original.id, first.id);
	assert.equal(nb.json.adjustment_totals.active_minutes, nexts[booked].adjustment_totals.active_minutes - 480);
	assert.notEqual(nb.json.content_sha256, nexts[booked].content_sha256);
	const csv = await sheetCsv('utforare', ids.citizen, booked);
	csvMatchesJson(csv, nb.json);
	const row = csvRows(csv, 'Justering').find((x) => x[1] === String(r.json.id));
	assert.equal(row[9], '0');
	assert.equal(row[14], 'Registrerat på fel kund');
	const recs = await s.auditOf(ids.citizen);
	assert.ok(recs.some((e) => e.action === 'void' && e.entity === 'pa_hours' && e.username === 'utforare'));
});

test('audit: shifts, reads and signatures are recorded for the person', async () => {
	const recs = await s.auditOf(ids.citizen);
	const has = (action, entity, user) => recs.some((e) => e.action === action && e.entity === entity && (!user || e.username === user));
	assert.ok(has('create', 'pa_hours', 'personal'));
	assert.ok(has('correct', 'pa_hours', 'personal'));
	assert.ok(has('read', 'pa_sheet', 'medborgare'));
	assert.ok(has('read', 'pa_sheet', 'utforare'));
	assert.ok(has('sign', 'pa_sheet', 'medborgare'));
	assert.ok(has('sign', 'pa_sheet', 'assistent'));
	assert.ok(has('approve', 'pa_month', 'utforare'));
	const ward = await s.auditOf(ids.ward);
	assert.ok(ward.some((e) => e.action === 'sign' && e.username === 'godman'));
	const v = s.verify();
	assert.equal(v.status, 0, v.stdout + v.stderr);
});

shutdownTest(test, () => s);
