// Shared by the tests of the quarterly report of unexecuted decisions
// (tests/http/reports.test.mjs, unexecuted_closing.test.mjs, interruptions.test.mjs): a
// decision on a fresh person through the routes of issue 3, moved into the past with SQL (the
// server dates a decision today), executed, its execution interrupted and resumed, and the
// quarter's report read back.
import { execFileSync } from 'node:child_process';

import { assert, DEMO_PASSWORD, nextPnr } from './harness.mjs';

export const addDays = (iso, n) => {
	const d = new Date(`${iso}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
};
export const daysBetween = (a, b) =>
	Math.round((Date.parse(`${b}T12:00:00Z`) - Date.parse(`${a}T12:00:00Z`)) / 86400000);

// The person as the reports name them, from the twelve digits.
export const birthOf = (twelve) => twelve.slice(0, 8);
export const sexOf = (twelve) => (Number(twelve[10]) % 2 === 0 ? 'kvinna' : 'man');

// A fresh person and a case applying for service, assigned to handlaggare and under
// investigation: {pnr, person, caseId, caseNumber, received}.
export async function openCase(s, service) {
	const pn = nextPnr();
	const person = await s.createPerson({ personnummer: pn.twelve });
	const c = await s.as('handlaggare', 'POST', '/api/v1/cases', {
		json: { person_id: person.id, requests: [{ service, description: 'Behöver hjälp' }] },
	});
	assert.equal(c.status, 201, c.text);
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${c.json.id}/assign`, { json: {} })).status, 200);
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${c.json.id}/state`, { json: { to: 'investigation' } })).status, 200);
	return { pnr: pn, person, caseId: c.json.id, caseNumber: c.json.case_number, received: c.json.received_date };
}

// openCase and a decision in it (hours per month for a service measured so) taken by user by:
// {pnr, person, caseId, caseNumber, d}.
export async function decision(s, { service = 'trygghetslarm', outcome = 'granted', end, start, hours, by = 'handlaggare' } = {}) {
	const { received, ...c } = await openCase(s, service);
	const body = { service, outcome, reasoning: 'Behovet är utrett.' };
	if (outcome !== 'refused') {
		body.start_date = start ?? received;
		if (end)
			body.end_date = end;
		if (hours)
			body.hours_per_month = hours;
	}
	const d = await s.as(by, 'POST', `/api/v1/cases/${c.caseId}/decisions`, { json: body });
	assert.equal(d.status, 201, d.text);
	return { ...c, d: d.json };
}

// Moves a decision's date (and the case's received date) into the past.
export function backdate(s, x, decided, received) {
	s.sql(`UPDATE decisions SET decision_date = '${decided}' WHERE id = ${x.d.id}`);
	x.d.decision_date = decided;
	if (received)
		s.sql(`UPDATE cases SET received_date = '${received}' WHERE id = ${x.caseId}`);
}

export async function execute(s, x, date) {
	const r = await s.as('handlaggare', 'POST', `/api/v1/decisions/${x.d.id}/execution`, { json: { date } });
	assert.equal(r.status, 200, r.text);
}

// Interrupts the execution of x's decision from a day (POST .../interruptions): the answer.
export const interrupt = (s, x, json, user = 'handlaggare') =>
	s.as(user, 'POST', `/api/v1/decisions/${x.d.id}/interruptions`, { json });
// Records the resumption of an interruption (POST /api/v1/interruptions/{id}/resumption).
export const resume = (s, id, json, user = 'handlaggare') =>
	s.as(user, 'POST', `/api/v1/interruptions/${id}/resumption`, { json });

// A decision taken on decided and executed on executed: {pnr, person, caseId, caseNumber, d}.
export async function executedDecision(s, decided, executed, opts) {
	const x = await decision(s, opts);
	backdate(s, x, decided);
	await execute(s, x, executed);
	return x;
}

// The quarter's report of unexecuted decisions, and one decision's row in it (kind
// not_executed; its interruptions have rows of their own).
export const quarter = (s, y, q, fmt = 'json', user = 'handlaggare') =>
	s.as(user, 'GET', `/api/v1/reports/unexecuted?year=${y}&quarter=${q}&format=${fmt}`);
export const item = (r, x) =>
	r.json.items.find((i) => i.decision_id === x.d.id && i.kind === 'not_executed');
// One interruption's row in a quarter's report (kind interrupted), by its id.
export const interruptionItem = (r, id) =>
	r.json.items.find((i) => i.kind === 'interrupted' && i.interruption_id === id);

// A request whose body is read as bytes (CSV with its BOM, PDF).
export async function raw(s, username, path) {
	const token = await s.token(username);
	const res = await fetch(s.url(path), { headers: { authorization: `Bearer ${token}` } });
	return {
		status: res.status, type: res.headers.get('content-type'),
		disposition: res.headers.get('content-disposition'),
		buf: Buffer.from(await res.arrayBuffer()),
	};
}

export function pdfText(buf) {
	return execFileSync('pdftotext', ['-layout', '-', '-'], { input: buf }).toString('utf8');
}

// A browser session of a user through the login form: {cookie, csrf}, once per user.
export async function formSession(s, username) {
	s.formSessions ??= new Map();
	if (!s.formSessions.has(username)) {
		const res = await s.request('POST', '/logga-in', {
			form: { tenant: 'demo', username, password: DEMO_PASSWORD },
		});
		assert.equal(res.status, 303, `form login ${username}: ${res.status}`);
		const cookie = res.cookies.find((c) => c.startsWith('hanna_session=')).split(';')[0];
		const m = (await s.get('/', { cookie })).text.match(/name="csrf" value="([0-9a-f]{64})"/);
		assert.ok(m, 'the start page carries the csrf field');
		s.formSessions.set(username, { cookie, csrf: m[1] });
	}
	return s.formSessions.get(username);
}
