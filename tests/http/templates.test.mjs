// Investigation templates made by the administrator, over the API and the page: the newest
// template of a law becomes the default for new investigations while a started investigation
// keeps its own; bad input names the field; a taken code is 409; only admin may add.
import { after, before, test } from 'node:test';

import { assert, assertProblem, DEMO_PASSWORD, startServer } from './harness.mjs';

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

const sections = [
	{ heading: 'Bakgrund', guidance: 'Vem är personen?', required: true },
	{ heading: 'Behov enligt IBIC', guidance: 'Per livsområde.', required: true },
	{ heading: 'Bedömning', required: false },
];

async function newCase() {
	const c = await s.as('handlaggare', 'POST', '/api/v1/cases', {
		json: { person_id: 5, requests: [{ service: 'hemtjanst_service', hours_per_month: 8 }] },
	});
	assert.equal(c.status, 201, c.text);
	return c.json.id;
}

test('a started investigation keeps its template; new ones get the newest of the law', async () => {
	const first = await newCase();
	const a = await s.as('handlaggare', 'POST', `/api/v1/cases/${first}/investigation`, { json: { plan: 'x' } });
	assert.equal(a.status, 201, a.text);
	const oldCode = a.json.template;

	const r = await s.as('admin', 'POST', '/api/v1/investigation-templates', {
		json: { code: 'sol_2027', name: 'Utredning SoL 2027', law: 'SoL', sections },
	});
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.code, 'sol_2027');
	assert.deepEqual(r.json.sections.map((x) => [x.position, x.heading, x.required]),
		[[1, 'Bakgrund', true], [2, 'Behov enligt IBIC', true], [3, 'Bedömning', false]]);

	const list = await s.as('handlaggare', 'GET', '/api/v1/investigation-templates');
	assert.equal(list.json.items[0].code, 'sol_2027', 'newest first');

	const second = await newCase();
	const b = await s.as('handlaggare', 'POST', `/api/v1/cases/${second}/investigation`, { json: { plan: 'y' } });
	assert.equal(b.status, 201, b.text);
	assert.equal(b.json.template, 'sol_2027');
	assert.equal(b.json.sections.length, 3);

	const again = await s.as('handlaggare', 'GET', `/api/v1/cases/${first}/investigation`);
	assert.equal(again.json.template, oldCode);
	assert.notEqual(again.json.sections.length, 3);
});

test('bad templates name the field; a taken code is 409; only admin may add', async () => {
	assertProblem(await s.as('admin', 'POST', '/api/v1/investigation-templates', {
		json: { code: 'Sol 2027!', name: 'x', law: 'SoL', sections },
	}), 400, 'code');
	assertProblem(await s.as('admin', 'POST', '/api/v1/investigation-templates', {
		json: { code: 'x1', name: 'x', law: 'HSL', sections },
	}), 400, 'law');
	assertProblem(await s.as('admin', 'POST', '/api/v1/investigation-templates', {
		json: { code: 'x2', name: 'x', law: 'LSS', sections: [] },
	}), 400, 'sections');
	assertProblem(await s.as('admin', 'POST', '/api/v1/investigation-templates', {
		json: { code: 'x3', name: 'x', law: 'LSS', sections: [{ heading: 'A' }, { heading: 'A' }] },
	}), 400, 'sections[1].heading');
	assertProblem(await s.as('admin', 'POST', '/api/v1/investigation-templates', {
		json: { code: 'sol_2027', name: 'x', law: 'SoL', sections },
	}), 409, 'code');
	assertProblem(await s.as('handlaggare', 'POST', '/api/v1/investigation-templates', {
		json: { code: 'x4', name: 'x', law: 'SoL', sections },
	}), 403);
	const list = await s.as('handlaggare', 'GET', '/api/v1/investigation-templates');
	assert.ok(!list.json.items.some((t) => /^x\d$/.test(t.code)), 'nothing half-written');
});

async function adminCookie() {
	const res = await s.request('POST', '/logga-in', {
		form: { tenant: 'demo', username: 'admin', password: DEMO_PASSWORD },
	});
	return res.cookies.find((c) => c.startsWith('hanna_session=')).split(';')[0];
}

test('the page lists the templates, copies one and saves a new one', async () => {
	const cookie = await adminCookie();
	const p = await s.get('/admin/utredningsmallar?fran=sol_2027', { cookie });
	assert.equal(p.status, 200, p.text.slice(0, 400));
	assert.match(p.text, /Utredning SoL 2027/);
	assert.match(p.text, /name="heading.2"[^>]*value="Behov enligt IBIC"/);
	const csrf = p.text.match(/name="csrf" value="([0-9a-f]{64})"/)[1];

	const bad = await s.request('POST', '/admin/utredningsmallar', {
		cookie, form: { csrf, code: 'lss_2027', name: 'LSS 2027', law: 'LSS', 'guidance.1': 'utan rubrik' },
	});
	assert.equal(bad.status, 400);
	assert.match(bad.text, /id="f-heading-1-fel"/);

	const ok = await s.request('POST', '/admin/utredningsmallar', {
		cookie,
		form: {
			csrf, code: 'lss_2027', name: 'LSS 2027', law: 'LSS',
			'heading.1': 'Personkrets', 'required.1': '1', 'heading.3': 'Goda levnadsvillkor',
		},
	});
	assert.equal(ok.status, 303, ok.text.slice(0, 400));
	const list = await s.as('admin', 'GET', '/api/v1/investigation-templates');
	const t = list.json.items.find((x) => x.code === 'lss_2027');
	assert.deepEqual(t.sections.map((x) => [x.heading, x.required]),
		[['Personkrets', true], ['Goda levnadsvillkor', false]]);

	const cw = await s.request('POST', '/logga-in', {
		form: { tenant: 'demo', username: 'handlaggare', password: DEMO_PASSWORD },
	});
	const cwCookie = cw.cookies.find((c) => c.startsWith('hanna_session=')).split(';')[0];
	assert.equal((await s.get('/admin/utredningsmallar', { cookie: cwCookie })).status, 403);
});
