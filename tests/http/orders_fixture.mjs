// Shared by the provider and webhook tests (tests/http/providers.test.mjs, webhooks.test.mjs):
// a granted or refused hemtjänst decision on a fresh person, through the routes of issue 3.
import { assert, luhn } from './harness.mjs';

export const addDays = (iso, n) => {
	const d = new Date(`${iso}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
};

// An organisation number NNNNNN-NNNN from nine digits and its Luhn check digit.
export const orgNr = (nine) => `${nine.slice(0, 6)}-${nine.slice(6)}${luhn(nine)}`;

// A case with an investigation (the section "Nätverk och anhöriga" holds secret) and a decision
// of outcome with two goals: {person, caseId, decision, sections}.
export async function decided(s, outcome, secret = 'Anhöriga bor nära.') {
	const person = await s.createPerson();
	const c = await s.as('handlaggare', 'POST', '/api/v1/cases', {
		json: { person_id: person.id, requests: [{ service: 'hemtjanst_service', hours_per_month: 20 }] },
	});
	assert.equal(c.status, 201, c.text);
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${c.json.id}/assign`, { json: {} })).status, 200);
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${c.json.id}/state`, { json: { to: 'investigation' } })).status, 200);
	const inv = await s.as('handlaggare', 'POST', `/api/v1/cases/${c.json.id}/investigation`, { json: { plan: 'Hembesök.' } });
	assert.equal(inv.status, 201, inv.text);
	const sections = inv.json.sections.map((x) => ({
		section_id: x.id,
		body: x.heading === 'Nätverk och anhöriga' ? secret : `Text om ${x.heading}.`,
	}));
	const p = await s.as('handlaggare', 'PATCH', `/api/v1/cases/${c.json.id}/investigation`, { json: { version: inv.json.version, sections } });
	assert.equal(p.status, 200, p.text);
	const start = c.json.received_date;
	const d = await s.as('handlaggare', 'POST', `/api/v1/cases/${c.json.id}/decisions`, {
		json: {
			service: 'hemtjanst_service', outcome, hours_per_month: outcome === 'refused' ? undefined : 20,
			start_date: outcome === 'refused' ? undefined : start, end_date: outcome === 'refused' ? undefined : addDays(start, 180),
			goals: 'Ett rent hem\nKunna duscha själv', reasoning: 'Utrett.',
		},
	});
	assert.equal(d.status, 201, d.text);
	return { person, caseId: c.json.id, decision: d.json, sections: inv.json.sections };
}

