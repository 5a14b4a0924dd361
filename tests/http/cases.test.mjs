// The authority process (issue 3) over HTTP: an online application by the citizen, intake and
// assignment, investigation with a journal whose signed notes never change, IBIC assessments,
// a decision beyond the caseworker's delegation (403 naming the level, then referred), one
// within it, the decision letter as PDF, execution, follow-up and reassessment; who may see
// what; every read audited.
import { after, before, test } from 'node:test';
import { execFileSync } from 'node:child_process';

import { assert, assertProblem, shutdownTest, startServer } from './harness.mjs';

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

const addDays = (iso, n) => {
	const d = new Date(`${iso}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
};

function pdfText(buf) {
	return execFileSync('pdftotext', ['-', '-'], { input: buf }).toString('utf8');
}

async function pdf(username, path) {
	const token = await s.token(username);
	const res = await fetch(s.url(path), { headers: { authorization: `Bearer ${token}` } });
	return { status: res.status, type: res.headers.get('content-type'), buf: Buffer.from(await res.arrayBuffer()) };
}

const state = {};

test('the catalogue and the delegation order are there', async () => {
	const r = await s.as('handlaggare', 'GET', '/api/v1/services');
	assert.equal(r.status, 200);
	const codes = r.json.items.map((x) => x.code);
	for (const c of ['hemtjanst_service', 'trygghetslarm', 'sarskilt_boende', 'personlig_assistans', 'daglig_verksamhet'])
		assert.ok(codes.includes(c), `catalogue has ${c}`);
	const lss = r.json.items.find((x) => x.code === 'personlig_assistans');
	assert.equal(lss.law, 'LSS');
	const d = await s.as('handlaggare', 'GET', '/api/v1/delegation');
	assert.equal(d.status, 200);
	assert.ok(d.json.items.length > 3);
	assert.equal((await s.as('medborgare', 'GET', '/api/v1/delegation')).status, 403);
});

test('the citizen applies online and gets a receipt with a case number at once', async () => {
	const r = await s.as('medborgare', 'POST', '/api/v1/cases', {
		json: {
			person_id: 1,
			requests: [{ service: 'hemtjanst_service', hours_per_month: 20, description: 'Hjälp med städning och tvätt' }],
			self_assessment: [{ life_area: 'hemliv', text: 'Jag orkar inte städa längre.', goal: 'Ett rent hem' }],
		},
	});
	assert.equal(r.status, 201, r.text);
	assert.match(r.json.case_number, /^\d{4}-\d{6}$/);
	assert.equal(r.json.state, 'received');
	assert.equal(r.json.channel, 'online');
	assert.deepEqual(r.json.missing, []);
	assert.match(r.json.receipt, new RegExp(r.json.case_number));
	state.caseId = r.json.id;
	state.received = r.json.received_date;
	assert.ok(r.json.due_date > r.json.received_date);
});

test('an incomplete application lists what is missing; bad input names the field', async () => {
	const r = await s.as('medborgare', 'POST', '/api/v1/cases', {
		json: { person_id: 1, requests: [{ service: 'trygghetslarm' }] },
	});
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.missing.length, 2);
	state.secondCase = r.json.id;
	assertProblem(await s.as('medborgare', 'POST', '/api/v1/cases', {
		json: { person_id: 1, requests: [{ service: 'no_such_service' }] },
	}), 400, 'requests[0].service');
	assertProblem(await s.as('medborgare', 'POST', '/api/v1/cases', {
		json: { person_id: 1, requests: [] },
	}), 400, 'requests');
	assertProblem(await s.as('medborgare', 'POST', '/api/v1/cases', {
		json: { person_id: 1, requests: [{ service: 'trygghetslarm', hours_per_month: 5 }] },
	}), 400, 'requests[0].hours_per_month');
	assertProblem(await s.as('medborgare', 'POST', '/api/v1/cases', {
		json: { person_id: 1, requests: [{ service: 'trygghetslarm' }], self_assessment: [{ life_area: 'x', text: 'y' }] },
	}), 400, 'self_assessment[0].life_area');
	assertProblem(await s.as('medborgare', 'POST', '/api/v1/cases', {
		json: { person_id: 1, requests: [{ service: 'trygghetslarm' }], secret: 1 },
	}), 400, 'secret');
});

test('nobody applies for someone they do not represent', async () => {
	assertProblem(await s.as('medborgare', 'POST', '/api/v1/cases', {
		json: { person_id: 2, requests: [{ service: 'trygghetslarm', description: 'x' }] },
	}), 404);
	const ok = await s.as('godman', 'POST', '/api/v1/cases', {
		json: { person_id: 3, requests: [{ service: 'matdistribution', description: 'Mat hem' }] },
	});
	assert.equal(ok.status, 201, ok.text);
	state.wardCase = ok.json.id;
	assertProblem(await s.as('godman', 'POST', '/api/v1/cases', {
		json: { person_id: 4, requests: [{ service: 'matdistribution', description: 'x' }] },
	}), 404);
	// A representative without a mandate for person 1 sees nothing of its case.
	assertProblem(await s.as('godman', 'GET', `/api/v1/cases/${state.caseId}`), 404);
	assert.equal((await s.as('personal', 'GET', `/api/v1/cases/${state.caseId}`)).status, 403);
	assertProblem(await s.as('h2', 'GET', `/api/v1/cases/${state.caseId}`), 404);
});

test('intake: the caseworker finds the new case, takes it and starts the investigation', async () => {
	const un = await s.as('handlaggare', 'GET', '/api/v1/cases?unassigned=true');
	assert.equal(un.status, 200);
	assert.ok(un.json.items.some((c) => c.id === state.caseId), 'the online case waits for intake');
	const a = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/assign`, { json: {} });
	assert.equal(a.status, 200, a.text);
	const me = (await s.session('handlaggare')).user;
	assert.equal(a.json.caseworker_id, me.id);
	const q = await s.as('handlaggare', 'GET', '/api/v1/cases');
	assert.ok(q.json.items.some((c) => c.id === state.caseId), 'in the work queue');
	const st = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/state`, { json: { to: 'investigation' } });
	assert.equal(st.status, 200, st.text);
	assert.equal(st.json.state, 'investigation');
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/state`, { json: { to: 'executing' } }), 422, 'to');
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/state`, { json: { to: 'nonsense' } }), 400, 'to');
});

test('journal: drafts change, signed notes never do; a correction points back', async () => {
	const n = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/notes`, { json: { body: 'Hembesök bokat.' } });
	assert.equal(n.status, 201, n.text);
	assert.equal(n.json.signed, false);
	const p = await s.as('handlaggare', 'PATCH', `/api/v1/notes/${n.json.id}`, { json: { body: 'Hembesök bokat till tisdag.', version: n.json.version } });
	assert.equal(p.status, 200, p.text);
	assertProblem(await s.as('handlaggare', 'PATCH', `/api/v1/notes/${n.json.id}`, { json: { body: 'x', version: n.json.version } }), 409, 'version');
	const sg = await s.as('handlaggare', 'POST', `/api/v1/notes/${n.json.id}/sign`);
	assert.equal(sg.status, 200, sg.text);
	assert.equal(sg.json.signed, true);
	assertProblem(await s.as('handlaggare', 'PATCH', `/api/v1/notes/${n.json.id}`, { json: { body: 'ändrad', version: sg.json.version } }), 409);
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/notes/${n.json.id}/sign`), 409);
	const c = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/notes`, { json: { body: 'Rättelse: onsdag, inte tisdag.', corrects_id: n.json.id } });
	assert.equal(c.status, 201, c.text);
	assert.equal(c.json.corrects_id, n.json.id);
	const view = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.caseId}`);
	const old = view.json.journal.find((x) => x.id === n.json.id);
	assert.equal(old.body, 'Hembesök bokat till tisdag.', 'the signed note is unchanged');
});

test('IBIC assessment per life area', async () => {
	const a = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/assessments`, {
		json: { life_area: 'hemliv', functioning: 'Klarar inte tyngre städning.', own_view: 'Vill klara sig hemma.', goal: 'Bo kvar hemma' },
	});
	assert.equal(a.status, 201, a.text);
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/assessments`, {
		json: { life_area: 'trädgård', functioning: 'x' },
	}), 400, 'life_area');
	const v = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.caseId}`);
	assert.deepEqual(v.json.assessments.map((x) => x.source).sort(), ['caseworker', 'self']);
});

test('a decision beyond the delegation gets 403 naming the level, and can be referred there', async () => {
	const start = addDays(state.received, 7);
	const big = { service: 'hemtjanst_service', outcome: 'granted', hours_per_month: 60, start_date: start, end_date: addDays(start, 180), reasoning: 'Behovet är stort.' };
	const r = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/decisions`, { json: big });
	const p = assertProblem(r, 403, 'delegation');
	assert.match(p.errors[0].message, /enhetschef/);
	const ref = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/decisions`, { json: { ...big, refer: true } });
	assert.equal(ref.status, 202, ref.text);
	assert.equal(ref.json.referred_to, 'enhetschef');
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/decisions`, { json: { ...big, hours_per_month: 0 } }), 400, 'hours_per_month');
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/decisions`, { json: { ...big, hours_per_month: 30, hours_day: 20, hours_evening: 5 } }), 400, 'hours_day');
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/decisions`, { json: { ...big, reasoning: '' } }), 400, 'reasoning');
});

test('a decision within the delegation: granted, follow-up date set, letter as PDF', async () => {
	const start = addDays(state.received, 7);
	const r = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/decisions`, {
		json: { service: 'hemtjanst_service', outcome: 'granted', hours_per_month: 30, hours_day: 24, hours_evening: 6, start_date: start, end_date: addDays(start, 180), goals: 'Ett rent hem', reasoning: 'Behovet av hjälp med städning och tvätt är utrett.' },
	});
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.delegation_point, '3.1.1');
	assert.ok(r.json.followup_date > start);
	state.decision = r.json;
	const v = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.caseId}`);
	assert.equal(v.json.state, 'decided');
	assert.equal(v.json.referred_to, null);
	const l = await pdf('handlaggare', `/api/v1/decisions/${r.json.id}/letter`);
	assert.equal(l.status, 200);
	assert.match(l.type, /application\/pdf/);
	assert.equal(l.buf.subarray(0, 5).toString(), '%PDF-');
	const text = pdfText(l.buf);
	assert.match(text, /beviljas/);
	assert.doesNotMatch(text, /Hur man överklagar/);
	// The citizen reads their own decision letter; a stranger does not.
	assert.equal((await pdf('medborgare', `/api/v1/decisions/${r.json.id}/letter`)).status, 200);
	assert.equal((await pdf('godman', `/api/v1/decisions/${r.json.id}/letter`)).status, 404);
});

test('a refusal letter carries the appeal instructions', async () => {
	const id = state.wardCase;
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${id}/assign`, { json: {} })).status, 200);
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${id}/state`, { json: { to: 'investigation' } })).status, 200);
	const r = await s.as('handlaggare', 'POST', `/api/v1/cases/${id}/decisions`, {
		json: { service: 'matdistribution', outcome: 'refused', reasoning: 'Behovet tillgodoses på annat sätt.' },
	});
	assert.equal(r.status, 201, r.text);
	const l = await pdf('godman', `/api/v1/decisions/${r.json.id}/letter`);
	assert.equal(l.status, 200);
	const text = pdfText(l.buf);
	assert.match(text, /Hur man överklagar/);
	assert.match(text, /tre veckor/);
	assert.match(text, /avslås/);
});

test('execution, follow-up and reassessment', async () => {
	const d = state.decision;
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/decisions/${d.id}/execution`, { json: { date: addDays(d.decision_date, -1) } }), 400, 'date');
});

test('review 2026-11: finding 3, an execution date in the future is refused like a closing date', async () => {
	const d = state.decision;
	const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
	const p = assertProblem(await s.as('handlaggare', 'POST', `/api/v1/decisions/${d.id}/execution`, { json: { date: addDays(today, 1) } }), 400, 'date');
	assert.match(p.errors[0].message, /framtiden/);
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/decisions/${d.id}/execution`, { json: { date: '2030-01-01' } }), 400, 'date');
	const v = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.caseId}`);
	assert.equal(v.json.decisions.find((x) => x.id === d.id).executed_date, null);
});

test('execution, follow-up and reassessment (continued)', async () => {
	const d = state.decision;
	const ex = await s.as('handlaggare', 'POST', `/api/v1/decisions/${d.id}/execution`, { json: { date: d.decision_date } });
	assert.equal(ex.status, 200, ex.text);
	assert.equal(ex.json.executed_date, d.decision_date);
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/decisions/${d.id}/execution`, { json: { date: d.decision_date } }), 400, 'date');
	let v = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.caseId}`);
	assert.equal(v.json.state, 'executing');
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/state`, { json: { to: 'follow_up' } })).status, 200);
	const re = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/decisions`, {
		json: { service: 'hemtjanst_service', outcome: 'granted', hours_per_month: 35, start_date: d.followup_date, end_date: d.end_date, reasoning: 'Omprövning: behovet har ökat.', replaces_id: d.id },
	});
	assert.equal(re.status, 201, re.text);
	assert.equal(re.json.replaces_id, d.id);
	v = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.caseId}`);
	const old = v.json.decisions.find((x) => x.id === d.id);
	assert.equal(old.replaced_by, re.json.id);
	assert.ok(v.json.timeline.length >= 6, 'the timeline records every step');
	assert.ok(v.json.timeline.every((e) => e.username && e.at));
	// The assignment names the caseworker, not an id.
	const assigned = v.json.timeline.find((e) => e.kind === 'assigned');
	assert.ok(assigned, JSON.stringify(v.json.timeline.map((e) => e.kind)));
	assert.match(assigned.detail, /^Ärendet tilldelat \D+/);
});

// A case of a fresh person applying for trygghetslarm and matdistribution, under investigation.
async function twoInsatser() {
	const person = await s.createPerson();
	const c = await s.as('handlaggare', 'POST', '/api/v1/cases', {
		json: { person_id: person.id, requests: [
			{ service: 'trygghetslarm', description: 'Faller ibland' },
			{ service: 'matdistribution', description: 'Lagar inte mat längre' }] },
	});
	assert.equal(c.status, 201, c.text);
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${c.json.id}/assign`, { json: {} })).status, 200);
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${c.json.id}/state`, { json: { to: 'investigation' } })).status, 200);
	return c.json;
}

test('review 2026-11: finding 5, the second insats of an application is decided in the decided case', async () => {
	const c = await twoInsatser();
	const path = `/api/v1/cases/${c.id}/decisions`;
	const alarm = await s.as('handlaggare', 'POST', path, { json: { service: 'trygghetslarm', outcome: 'granted', start_date: c.received_date, reasoning: 'Behovet är utrett.' } });
	assert.equal(alarm.status, 201, alarm.text);
	assert.equal((await s.as('handlaggare', 'GET', `/api/v1/cases/${c.id}`)).json.state, 'decided');
	const food = await s.as('handlaggare', 'POST', path, { json: { service: 'matdistribution', outcome: 'refused', reasoning: 'Behovet tillgodoses på annat sätt.' } });
	assert.equal(food.status, 201, food.text);
	// Every applied insats is decided: a further decision waits for follow-up (reassessment).
	assertProblem(await s.as('handlaggare', 'POST', path, { json: { service: 'matdistribution', outcome: 'refused', reasoning: 'Igen.' } }), 422, 'state');
	assertProblem(await s.as('handlaggare', 'POST', path, { json: { service: 'hemtjanst_service', outcome: 'refused', reasoning: 'Inte sökt.' } }), 422, 'state');
	const v = await s.as('handlaggare', 'GET', `/api/v1/cases/${c.id}`);
	assert.equal(v.json.state, 'decided');
	assert.deepEqual(v.json.decisions.map((d) => d.service).sort(), ['matdistribution', 'trygghetslarm']);
});

test('review 2026-11: finding 6, replaces_id names a grant in force of the same case and insats', async () => {
	const c = await twoInsatser();
	const path = `/api/v1/cases/${c.id}/decisions`;
	const alarm = (await s.as('handlaggare', 'POST', path, { json: { service: 'trygghetslarm', outcome: 'granted', start_date: c.received_date, reasoning: 'Behovet är utrett.' } })).json;
	const food = (await s.as('handlaggare', 'POST', path, { json: { service: 'matdistribution', outcome: 'refused', reasoning: 'Behovet tillgodoses på annat sätt.' } })).json;
	const other = await twoInsatser();
	const otherAlarm = (await s.as('handlaggare', 'POST', `/api/v1/cases/${other.id}/decisions`, { json: { service: 'trygghetslarm', outcome: 'granted', start_date: other.received_date, reasoning: 'Behovet är utrett.' } })).json;
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${c.id}/state`, { json: { to: 'follow_up' } })).status, 200);
	const re = { service: 'trygghetslarm', outcome: 'granted', start_date: c.received_date, reasoning: 'Omprövning.' };
	// A refusal of another insats, a refusal of the same one, another case's grant, an unknown id.
	const unknown = assertProblem(await s.as('handlaggare', 'POST', path, { json: { ...re, replaces_id: 99999999 } }), 400, 'replaces_id');
	for (const bad of [{ ...re, replaces_id: food.id }, { ...re, service: 'matdistribution', replaces_id: food.id },
		{ ...re, service: 'matdistribution', replaces_id: alarm.id }, { ...re, replaces_id: otherAlarm.id }]) {
		const p = assertProblem(await s.as('handlaggare', 'POST', path, { json: bad }), 400, 'replaces_id');
		assert.equal(p.errors[0].message, unknown.errors[0].message);
	}
	let v = await s.as('handlaggare', 'GET', `/api/v1/cases/${c.id}`);
	assert.ok(v.json.decisions.every((d) => d.replaced_by === null), 'nothing was replaced');
	const ok = await s.as('handlaggare', 'POST', path, { json: { ...re, replaces_id: alarm.id } });
	assert.equal(ok.status, 201, ok.text);
	v = await s.as('handlaggare', 'GET', `/api/v1/cases/${c.id}`);
	assert.equal(v.json.decisions.find((d) => d.id === alarm.id).replaced_by, ok.json.id);
	assert.equal(v.json.decisions.find((d) => d.id === food.id).replaced_by, null);
	// Replaced once, never again.
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${c.id}/state`, { json: { to: 'follow_up' } })).status, 200);
	assertProblem(await s.as('handlaggare', 'POST', path, { json: { ...re, replaces_id: alarm.id } }), 400, 'replaces_id');
});

test('review 2026-11: findings 13 and 15, summary, receipt, timeline and letter name insatser, never codes', async () => {
	const person = await s.createPerson();
	const c = await s.as('handlaggare', 'POST', '/api/v1/cases', {
		json: { person_id: person.id, requests: [{ service: 'hemtjanst_omsorg' }, { service: 'trygghetslarm', description: 'Behöver hjälp med städning.' }] },
	});
	assert.equal(c.status, 201, c.text);
	assert.equal(c.json.summary, 'Ansökan om Hemtjänst – personlig omsorg, Trygghetslarm');
	assert.ok(c.json.missing.includes('beskriv vad du behöver hjälp med (Hemtjänst – personlig omsorg)'), JSON.stringify(c.json.missing));
	const codes = /hemtjanst_omsorg|trygghetslarm/;
	assert.doesNotMatch(JSON.stringify(c.json.missing), codes);
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${c.json.id}/assign`, { json: {} })).status, 200);
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${c.json.id}/state`, { json: { to: 'investigation' } })).status, 200);
	const d = await s.as('handlaggare', 'POST', `/api/v1/cases/${c.json.id}/decisions`, {
		json: { service: 'hemtjanst_omsorg', outcome: 'granted', hours_per_month: 10, start_date: c.json.received_date, end_date: addDays(c.json.received_date, 90), reasoning: 'Behovet är utrett.' },
	});
	assert.equal(d.status, 201, d.text);
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/decisions/${d.json.id}/execution`, { json: { date: d.json.decision_date } })).status, 200);
	const v = await s.as('handlaggare', 'GET', `/api/v1/cases/${c.json.id}`);
	const details = v.json.timeline.map((e) => e.detail).join('\n');
	assert.match(details, /Beslut: bifall Hemtjänst – personlig omsorg 10 h\/mån/);
	assert.match(details, /Verkställt: Hemtjänst – personlig omsorg från/);
	assert.doesNotMatch(details, codes);
	const text = pdfText((await pdf('handlaggare', `/api/v1/decisions/${d.json.id}/letter`)).buf).replace(/\s+/g, ' ');
	assert.match(text, /Du har ansökt om hemtjänst – personlig omsorg och trygghetslarm\./);
	assert.doesNotMatch(text, /städning/);
});

test('Mina sidor: the citizen sees their cases and step, not the journal, and can withdraw', async () => {
	const l = await s.as('medborgare', 'GET', '/api/v1/cases');
	assert.equal(l.status, 200);
	assert.ok(l.json.items.length >= 2);
	assert.ok(l.json.items.every((c) => c.person_id === 1));
	const v = await s.as('medborgare', 'GET', `/api/v1/cases/${state.caseId}`);
	assert.equal(v.status, 200);
	assert.equal(v.json.journal, undefined, 'no journal for the citizen');
	assert.ok(v.json.next_step.length > 0);
	const w = await s.as('medborgare', 'POST', `/api/v1/cases/${state.secondCase}/withdraw`);
	assert.equal(w.status, 200, w.text);
	assert.equal(w.json.state, 'withdrawn');
	assertProblem(await s.as('medborgare', 'POST', `/api/v1/cases/${state.secondCase}/withdraw`), 422, 'to');
	assertProblem(await s.as('medborgare', 'GET', '/api/v1/cases?person_id=2'), 404);
});

test('review 2026-11: finding 17, a representative\'s default list has the cases of every principal', async () => {
	const before = await s.auditOf(3);
	const r = await s.as('godman', 'GET', '/api/v1/cases');
	assert.equal(r.status, 200, r.text);
	assert.ok(r.json.items.some((c) => c.id === state.wardCase), JSON.stringify(r.json.items.map((c) => c.id)));
	assert.ok(r.json.items.every((c) => c.person_id === 3), 'only the principal\'s cases');
	// The read of the principal's cases is audited, as every list is.
	const fresh = (await s.auditOf(3)).filter((a) => !before.some((b) => b.id === a.id));
	assert.ok(fresh.some((a) => a.request_id === r.requestId), JSON.stringify(fresh));
	// The same list as asking for the principal; the citizen still sees only their own.
	const asked = await s.as('godman', 'GET', '/api/v1/cases?person_id=3');
	assert.deepEqual(r.json.items.map((c) => c.id).sort(), asked.json.items.map((c) => c.id).sort());
	const own = await s.as('medborgare', 'GET', '/api/v1/cases');
	assert.ok(own.json.items.every((c) => c.person_id === 1));
	// An ended mandate ends the listing.
	const validTo = String(s.sql(`SELECT valid_to FROM representatives WHERE person_id = 3`)).trim();
	assert.ok(validTo === '' || validTo === 'None' || /^\d{4}-\d\d-\d\d$/.test(validTo), validTo);
	s.sql(`UPDATE representatives SET valid_to = '2020-01-01' WHERE person_id = 3`);
	const ended = await s.as('godman', 'GET', '/api/v1/cases');
	s.sql(`UPDATE representatives SET valid_to = ${validTo === '' || validTo === 'None' ? 'NULL' : `'${validTo}'`} WHERE person_id = 3`);
	assert.ok((await s.as('godman', 'GET', '/api/v1/cases')).json.items.length > 0, 'the mandate is back');
	assert.equal(ended.status, 200);
	assert.deepEqual(ended.json.items, []);
});

test('review 2026-11: finding 23, the demo decides at the level of its delegation order, naming the point', async () => {
	const d = await startServer({ demoArgs: ['--cases', '150'] });
	try {
		const order = (await d.as('handlaggare', 'GET', '/api/v1/delegation')).json.items;
		const levels = { 1: 'biståndshandläggare', 2: 'enhetschef' };
		const nul = (v) => (v === '' || v === 'None' ? null : v);
		const rows = String(d.sql('SELECT id, service_code, outcome, hours_per_month, decided_level, delegation_point, start_date, end_date FROM decisions'))
			.trim().split('\n').map((l) => l.split('|').map(nul));
		assert.ok(rows.length > 100, `demo decisions: ${rows.length}`);
		const months = (from, to) => {
			let n = 0;
			const f = new Date(`${from}T12:00:00Z`);
			for (;;) {
				const m = new Date(f);
				m.setUTCMonth(f.getUTCMonth() + n);
				if (m.toISOString().slice(0, 10) > to)
					return n;
				n++;
			}
		};
		const seen = new Set();
		for (const [id, service, outcome, hours, level, point, start, end] of rows) {
			assert.notEqual(point, 'demo', `decision ${id}`);
			seen.add(Number(level));
			if (Number(level) === 3) {
				assert.ok(!point, `decision ${id}: the committee decides without a point`);
				continue;
			}
			const rule = order.find((r) => r.point === point && (r.service === service || r.service === '*') && r.level === levels[level]);
			assert.ok(rule, `decision ${id}: point ${point} of ${service} at ${levels[level]}`);
			if (outcome === 'refused') {
				assert.ok(rule.may_refuse, `decision ${id}`);
				continue;
			}
			assert.ok(rule.may_grant, `decision ${id}`);
			if (rule.max_hours_per_month !== null && hours !== null)
				assert.ok(Number(hours) <= rule.max_hours_per_month, `decision ${id}: ${hours} h within ${rule.max_hours_per_month}`);
			if (rule.max_months !== null)
				assert.ok(end && months(start, end) <= rule.max_months, `decision ${id}: period within ${rule.max_months} months`);
		}
		assert.ok(seen.has(1) && seen.has(2), 'decisions at the caseworker and the unit manager level');
	} finally {
		await d.cleanup();
	}
});

test('every read of a case is audited', async () => {
	const before = await s.auditOf(1);
	const r = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.caseId}`);
	assert.equal(r.status, 200);
	const after = await s.auditOf(1);
	const fresh = after.filter((a) => !before.some((b) => b.id === a.id));
	assert.equal(fresh.length, 1);
	assert.equal(fresh[0].entity, 'case');
	assert.equal(fresh[0].request_id, r.requestId);
});

shutdownTest(test, () => s);
