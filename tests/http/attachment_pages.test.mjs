// Attachments from the pages, sent as multipart/form-data like a browser does: the citizen
// applies with a file on /ansok and adds another from Mina sidor, the caseworker adds one from
// the case view; a wrong file answers the form again with the error at the field and stores
// nothing (not even the case, for the application); multipart bodies are refused where a route
// takes no file; X-Filename carries any name as RFC 8187's UTF-8'' form.
import { after, before, test } from 'node:test';

import { assert, assertProblem, DEMO_PASSWORD, startServer } from './harness.mjs';

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

const pdf = Buffer.from('%PDF-1.4\n% intyg\n%%EOF\n');
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

const cookies = new Map();
async function cookieOf(username) {
	if (!cookies.has(username)) {
		const res = await s.request('POST', '/logga-in', {
			form: { tenant: 'demo', username, password: DEMO_PASSWORD },
		});
		assert.equal(res.status, 303);
		cookies.set(username, res.cookies.find((c) => c.startsWith('hanna_session=')).split(';')[0]);
	}
	return cookies.get(username);
}

async function csrfOf(username) {
	const r = await s.get('/', { cookie: await cookieOf(username) });
	return r.text.match(/name="csrf" value="([0-9a-f]{64})"/)[1];
}

// POSTs a multipart form: fields, and a file {name, type, bytes} in field 'bilaga'.
async function postMultipart(username, path, fields, file) {
	const fd = new FormData();
	fd.append('csrf', await csrfOf(username));
	for (const [k, v] of Object.entries(fields))
		fd.append(k, v);
	if (file)
		fd.append('bilaga', new Blob([file.bytes], { type: file.type }), file.name);
	return s.request('POST', path, { cookie: await cookieOf(username), body: fd });
}

async function attachments(caseId) {
	const l = await s.as('handlaggare', 'GET', `/api/v1/cases/${caseId}/attachments`);
	assert.equal(l.status, 200, l.text);
	return l.json.items;
}

const state = {};

test('the application form is multipart and has a file field', async () => {
	const r = await s.get('/ansok', { cookie: await cookieOf('medborgare') });
	assert.equal(r.status, 200);
	assert.match(r.text, /action="\/ansok" enctype="multipart\/form-data"/);
	assert.match(r.text, /<input type="file"[^>]* name="bilaga"/);
});

test('the citizen applies with a PDF: the receipt names it and the case holds it', async () => {
	const r = await postMultipart('medborgare', '/ansok', {
		'service.trygghetslarm': '1', description: 'Jag har fallit två gånger.',
	}, { name: 'Läkarintyg – 2026.pdf', type: 'application/pdf', bytes: pdf });
	assert.equal(r.status, 201, r.text.slice(0, 800));
	assert.match(r.text, /Läkarintyg – 2026\.pdf/);
	const mine = await s.as('medborgare', 'GET', '/api/v1/cases?person_id=1');
	assert.equal(mine.status, 200, mine.text);
	state.caseId = Math.max(...mine.json.items.map((c) => c.id));
	const items = await attachments(state.caseId);
	assert.equal(items.length, 1);
	assert.equal(items[0].filename, 'Läkarintyg – 2026.pdf');
	assert.equal(items[0].content_type, 'application/pdf');
	assert.equal(items[0].size_bytes, pdf.length);
	assert.equal(items[0].source, 'citizen');
});

test('a wrong file stops the whole application, with the error at the file field', async () => {
	const before = await s.as('medborgare', 'GET', '/api/v1/cases?person_id=1');
	const r = await postMultipart('medborgare', '/ansok', { 'service.trygghetslarm': '1' },
		{ name: 'bild.pdf', type: 'application/pdf', bytes: png });
	assert.equal(r.status, 400, r.text.slice(0, 800));
	assert.match(r.text, /id="f-bilaga-fel"/);
	assert.match(r.text, /stämmer inte med filtypen/);
	const after_ = await s.as('medborgare', 'GET', '/api/v1/cases?person_id=1');
	assert.equal(after_.json.items.length, before.json.items.length, 'no case registered');
});

test('Mina sidor lists the attachment and takes another one', async () => {
	const page = await s.get('/mina-sidor', { cookie: await cookieOf('medborgare') });
	assert.equal(page.status, 200);
	assert.match(page.text, new RegExp(`action="/arenden/${state.caseId}/bilagor" enctype="multipart/form-data"`));
	assert.match(page.text, /Läkarintyg – 2026\.pdf/);
	const r = await postMultipart('medborgare', `/arenden/${state.caseId}/bilagor`, {},
		{ name: 'kvitto.png', type: 'image/png', bytes: png });
	assert.equal(r.status, 303, r.text.slice(0, 500));
	assert.equal(r.headers.get('location'), `/mina-sidor#arende-${state.caseId}`);
	assert.equal((await attachments(state.caseId)).length, 2);
});

test('an unknown declared type is judged by the bytes', async () => {
	const r = await postMultipart('medborgare', `/arenden/${state.caseId}/bilagor`, {},
		{ name: 'skannat', type: 'application/octet-stream', bytes: pdf });
	assert.equal(r.status, 303, r.text.slice(0, 500));
	const items = await attachments(state.caseId);
	assert.equal(items.at(-1).content_type, 'application/pdf');
});

test('no file chosen: Mina sidor again with the error at that case\'s form', async () => {
	const fd = new FormData();
	fd.append('csrf', await csrfOf('medborgare'));
	fd.append('bilaga', new Blob([]), '');
	const r = await s.request('POST', `/arenden/${state.caseId}/bilagor`,
		{ cookie: await cookieOf('medborgare'), body: fd });
	assert.equal(r.status, 400, r.text.slice(0, 500));
	assert.match(r.text, new RegExp(`id="f-c${state.caseId}-bilaga-fel"`));
	assert.match(r.text, /välj en fil/);
	assert.equal((await attachments(state.caseId)).length, 3);
});

test('the caseworker adds one from the case view, which lists them', async () => {
	const r = await postMultipart('handlaggare', `/arenden/${state.caseId}/bilagor`, {},
		{ name: 'anteckning.txt', type: 'text/plain', bytes: Buffer.from('Hembesök bokat.\n') });
	assert.equal(r.status, 303, r.text.slice(0, 500));
	assert.equal(r.headers.get('location'), `/arenden/${state.caseId}#bilagor`);
	const view = await s.get(`/arenden/${state.caseId}`, { cookie: await cookieOf('handlaggare') });
	assert.equal(view.status, 200);
	assert.match(view.text, /<section[^>]*id="bilagor"/);
	assert.match(view.text, /anteckning\.txt/);
	const items = await attachments(state.caseId);
	assert.equal(items.at(-1).source, 'staff');
	// A file too large for the type check still fails cleanly: a text that is not UTF-8.
	const bad = await postMultipart('handlaggare', `/arenden/${state.caseId}/bilagor`, {},
		{ name: 'x.txt', type: 'text/plain', bytes: Buffer.from([0xff, 0xfe, 0x00]) });
	assert.equal(bad.status, 400);
	assert.match(bad.text, /stämmer inte med filtypen/);
	assert.equal((await attachments(state.caseId)).length, 4);
});

test('someone without access gets 404 and nothing is stored', async () => {
	const r = await postMultipart('godman', `/arenden/${state.caseId}/bilagor`, {},
		{ name: 'a.pdf', type: 'application/pdf', bytes: pdf });
	assert.equal(r.status, 404);
	assert.equal((await attachments(state.caseId)).length, 4);
});

test('every page upload is audited as a create of the attachment', async () => {
	const recs = await s.auditOf(1);
	const creates = recs.filter((a) => a.entity === 'attachment' && a.action === 'create');
	assert.ok(creates.length >= 4, JSON.stringify(creates.slice(0, 2)));
});

test('a form route without a file refuses multipart; a broken multipart body is 400', async () => {
	const fd = new FormData();
	fd.append('csrf', await csrfOf('handlaggare'));
	fd.append('body', 'x');
	const r = await s.request('POST', `/arenden/${state.caseId}/journal`,
		{ cookie: await cookieOf('handlaggare'), body: fd });
	assert.equal(r.status, 415);
	const broken = await s.request('POST', `/arenden/${state.caseId}/bilagor`, {
		cookie: await cookieOf('handlaggare'),
		type: 'multipart/form-data; boundary=XYZ',
		body: '--XYZ\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nabc',
	});
	assert.equal(broken.status, 400);
});

test('X-Filename takes any name as UTF-8\'\' with percent-encoding', async () => {
	const name = 'Intyg € 日本.pdf';
	const r = await s.as('medborgare', 'POST', `/api/v1/cases/${state.caseId}/attachments`, {
		body: pdf, type: 'application/pdf',
		headers: { 'x-filename': `UTF-8''${encodeURIComponent(name)}` },
	});
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.filename, name);
	const bad = await s.as('medborgare', 'POST', `/api/v1/cases/${state.caseId}/attachments`, {
		body: pdf, type: 'application/pdf', headers: { 'x-filename': "UTF-8''%zz.pdf" },
	});
	assertProblem(bad, 400, 'filename');
});
