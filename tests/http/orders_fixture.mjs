// Shared by the provider and webhook tests (tests/http/providers.test.mjs, webhooks.test.mjs,
// webhook_ssrf.test.mjs, webhook_claim.test.mjs): a granted or refused hemtjänst decision on a
// fresh person, through the routes of issue 3; a registered provider; a webhook receiver.
import http from 'node:http';

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


// Registers a private provider approved for hemtjänst in Hannaby (as admin); its JSON.
export async function registerProvider(s, name, nine) {
	const r = await s.as('admin', 'POST', '/api/v1/providers', {
		json: { name, org_nr: orgNr(nine), kind: 'private', approved_from: '2024-01-01', services: [{ service: 'hemtjanst_service' }], areas: [{ area: 'Hannaby' }] },
	});
	assert.equal(r.status, 201, r.text);
	return r.json;
}

// A webhook receiver on loopback (reachable only with HANNA_WEBHOOK_ALLOW_PRIVATE=1). Every
// post is read in full, pushed to hits as {id, ts, sig, path, body, status} (id, ts and sig from
// the X-Hanna-* headers) and answered with the status that answer(hit) returns or resolves to.
// Returns {hits, url(path), close()}.
export async function webhookReceiver(answer) {
	const hits = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => { body += c; });
		req.on('end', async () => {
			const hit = {
				id: req.headers['x-hanna-event-id'], ts: req.headers['x-hanna-timestamp'],
				sig: req.headers['x-hanna-signature'], path: req.url, body,
			};
			hits.push(hit);
			hit.status = await answer(hit);
			res.writeHead(hit.status);
			res.end();
		});
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	return {
		hits,
		url: (path) => `http://127.0.0.1:${server.address().port}${path}`,
		close: () => server.close(),
	};
}
