// Investigations (utredning) over HTTP: templates per tenant so that every investigation has
// the same structure, the investigation plan, the sections in template order with guidance,
// changes with a version check, and a decision blocked while a required section is empty.
// Citizens have no access; every read audited.
import { after, before, test } from 'node:test';

import { assert, assertProblem, shutdownTest, startServer } from './harness.mjs';

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

const state = {};

const addDays = (iso, n) => {
	const d = new Date(`${iso}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
};

test('the demo templates are there, sections in order', async () => {
	const r = await s.as('handlaggare', 'GET', '/api/v1/investigation-templates');
	assert.equal(r.status, 200, r.text);
	const sol = r.json.items.find((t) => t.law === 'SoL');
	assert.equal(sol.name, 'Utredning SoL äldreomsorg');
	assert.deepEqual(sol.sections.map((x) => x.heading), ['Bakgrund', 'Den enskildes egen beskrivning',
		'Behov per livsområde (IBIC)', 'Nätverk och anhöriga', 'Bedömning', 'Förslag till beslut']);
	const lss = r.json.items.find((t) => t.law === 'LSS');
	assert.equal(lss.sections[0].heading, 'Personkrets');
	assert.equal((await s.as('medborgare', 'GET', '/api/v1/investigation-templates')).status, 403);
});

test('an investigation starts from the template of the case\'s law', async () => {
	const c = await s.as('handlaggare', 'POST', '/api/v1/cases', {
		json: { person_id: 1, requests: [{ service: 'hemtjanst_service', hours_per_month: 10 }] },
	});
	assert.equal(c.status, 201, c.text);
	state.caseId = c.json.id;
	state.received = c.json.received_date;
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/assign`, { json: {} })).status, 200);
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/state`, { json: { to: 'investigation' } })).status, 200);
	const r = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/investigation`, {
		json: { plan: 'Hembesök, kontakt med dottern.', planned_visit: '2026-12-01' },
	});
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.template_name, 'Utredning SoL äldreomsorg');
	assert.equal(r.json.plan, 'Hembesök, kontakt med dottern.');
	assert.equal(r.json.planned_visit, '2026-12-01');
	assert.equal(r.json.version, 1);
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/investigation`, { json: {} }), 409);
	assertProblem(await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/investigation`, { json: { template: 'nope' } }), 400, 'template');
});

test('the investigation shows its sections in order with guidance; every read audited', async () => {
	const before = await s.auditOf(1);
	const r = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.caseId}/investigation`);
	assert.equal(r.status, 200, r.text);
	const after = await s.auditOf(1);
	const fresh = after.filter((a) => !before.some((b) => b.id === a.id));
	assert.equal(fresh.length, 1);
	assert.equal(fresh[0].entity, 'investigation');
	assert.deepEqual(r.json.sections.map((x) => x.position), [1, 2, 3, 4, 5, 6]);
	assert.equal(r.json.sections[0].heading, 'Bakgrund');
	assert.ok(r.json.sections[0].guidance.length > 10);
	assert.equal(r.json.sections[0].body, '');
	assert.match(r.json.missing, /Bakgrund/);
	state.inv = r.json;
});

test('changes need the current version', async () => {
	const [first] = state.inv.sections;
	const r = await s.as('handlaggare', 'PATCH', `/api/v1/cases/${state.caseId}/investigation`, {
		json: { version: 1, plan: 'Hembesök och samtal med dottern.', sections: [{ section_id: first.id, body: 'Ansökan efter fall i hemmet.' }] },
	});
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.version, 2);
	assert.equal(r.json.plan, 'Hembesök och samtal med dottern.');
	assert.equal(r.json.planned_visit, '2026-12-01');
	assert.equal(r.json.sections[0].body, 'Ansökan efter fall i hemmet.');
	assertProblem(await s.as('handlaggare', 'PATCH', `/api/v1/cases/${state.caseId}/investigation`, {
		json: { version: 1, plan: 'gammal' },
	}), 409, 'version');
	assertProblem(await s.as('handlaggare', 'PATCH', `/api/v1/cases/${state.caseId}/investigation`, {
		json: { version: 2, sections: [{ section_id: 999999, body: 'x' }] },
	}), 400, 'sections');
	state.inv = r.json;
});

test('a decision waits until the required sections are written', async () => {
	const decision = {
		service: 'hemtjanst_service', outcome: 'granted', hours_per_month: 10,
		start_date: state.received, end_date: addDays(state.received, 180), reasoning: 'Behovet av hjälp i hemmet är styrkt.',
	};
	const blocked = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/decisions`, { json: decision });
	assertProblem(blocked, 422, 'investigation');
	assert.match(blocked.text, /Bedömning/);
	assert.doesNotMatch(blocked.text, /Bakgrund/);
	const sections = state.inv.sections.filter((x) => x.required && !x.body)
		.map((x) => ({ section_id: x.id, body: `Text för ${x.heading}.` }));
	const p = await s.as('handlaggare', 'PATCH', `/api/v1/cases/${state.caseId}/investigation`, {
		json: { version: state.inv.version, sections },
	});
	assert.equal(p.status, 200, p.text);
	assert.equal(p.json.missing, '');
	const ok = await s.as('handlaggare', 'POST', `/api/v1/cases/${state.caseId}/decisions`, { json: decision });
	assert.equal(ok.status, 201, ok.text);
});

test('citizens cannot reach the investigation', async () => {
	for (const [method, json] of [['GET', undefined], ['POST', {}], ['PATCH', { version: 1 }]]) {
		const r = await s.as('medborgare', method, `/api/v1/cases/${state.caseId}/investigation`, json ? { json } : {});
		assert.ok([403, 404].includes(r.status), `${method}: ${r.status}`);
	}
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/cases/999999/investigation'), 404);
});

shutdownTest(test, () => s);
