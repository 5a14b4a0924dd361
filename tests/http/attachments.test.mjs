// Attachments (bilagor) to cases over HTTP: the citizen adds a PDF to their own online case,
// the caseworker lists and downloads it byte for byte; a representative without a mandate
// sees nothing; the declared type must match the content, the name is required, the size is
// limited (while JSON bodies keep their 1 MiB limit); upload and download are audited.
import { after, before, test } from 'node:test';

import { assert, assertProblem, startServer } from './harness.mjs';

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

const pdfBytes = Buffer.concat([
	Buffer.from('%PDF-1.4\n% bilaga\n'),
	Buffer.from([0x00, 0xff, 0x80, 0x0a, 0xe2, 0x82]),
	Buffer.from('\n%%EOF\n'),
]);
const pngBytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const state = {};

async function upload(user, caseId, body, type, filename) {
	const headers = {};
	// The header carries the name's UTF-8 bytes as they are (fetch sends a string's code
	// points below 256 as single bytes).
	if (filename !== undefined)
		headers['x-filename'] = Buffer.from(filename, 'utf8').toString('latin1');
	return s.as(user, 'POST', `/api/v1/cases/${caseId}/attachments`, { body, type, headers });
}

test('the citizen adds a PDF to their own online case', async () => {
	const c = await s.as('medborgare', 'POST', '/api/v1/cases', {
		json: { person_id: 1, requests: [{ service: 'trygghetslarm', description: 'x' }] },
	});
	assert.equal(c.status, 201, c.text);
	state.caseId = c.json.id;
	const r = await upload('medborgare', state.caseId, pdfBytes, 'application/pdf', 'Läkarintyg 2026.pdf');
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.filename, 'Läkarintyg 2026.pdf');
	assert.equal(r.json.content_type, 'application/pdf');
	assert.equal(r.json.size_bytes, pdfBytes.length);
	assert.match(r.json.sha256, /^[0-9a-f]{64}$/);
	assert.equal(r.json.source, 'citizen');
	assert.ok(r.json.created_at > 0);
	assert.equal(typeof r.json.uploaded_by_name, 'string');
	state.att = r.json;
});

test('the caseworker lists and downloads it byte for byte', async () => {
	const l = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.caseId}/attachments`);
	assert.equal(l.status, 200, l.text);
	assert.equal(l.json.items.length, 1);
	assert.equal(l.json.items[0].id, state.att.id);
	assert.equal(l.json.items[0].sha256, state.att.sha256);
	const token = await s.token('handlaggare');
	const res = await fetch(s.url(`/api/v1/attachments/${state.att.id}`), {
		headers: { authorization: `Bearer ${token}` },
	});
	assert.equal(res.status, 200);
	assert.equal(res.headers.get('content-type'), 'application/pdf');
	assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
	const cd = res.headers.get('content-disposition');
	assert.match(cd, /^attachment; /);
	assert.ok(cd.includes("filename*=UTF-8''L%C3%A4karintyg%202026.pdf"), cd);
	const buf = Buffer.from(await res.arrayBuffer());
	assert.ok(buf.equals(pdfBytes), 'byte-identical');
});

test('a representative without a mandate for the person gets 404', async () => {
	assertProblem(await s.as('godman', 'GET', `/api/v1/cases/${state.caseId}/attachments`), 404);
	assertProblem(await s.as('godman', 'GET', `/api/v1/attachments/${state.att.id}`), 404);
	assertProblem(await upload('godman', state.caseId, pdfBytes, 'application/pdf', 'a.pdf'), 404);
});

test('the content must match the declared type', async () => {
	const r = await upload('medborgare', state.caseId, pngBytes, 'application/pdf', 'bild.pdf');
	assert.ok([400, 415].includes(r.status), r.text);
	assertProblem(r, r.status, 'content_type');
	assertProblem(await upload('medborgare', state.caseId, pdfBytes, 'application/zip', 'a.zip'), 415);
	const bad = Buffer.from([0x68, 0xc3, 0x28]);
	assertProblem(await upload('medborgare', state.caseId, bad, 'text/plain', 'a.txt'), 400, 'content_type');
	const ok = await upload('handlaggare', state.caseId, pngBytes, 'image/png', 'bild.png');
	assert.equal(ok.status, 201, ok.text);
	assert.equal(ok.json.source, 'staff');
});

test('the file name is required and checked', async () => {
	assertProblem(await upload('medborgare', state.caseId, pdfBytes, 'application/pdf'), 400, 'filename');
	assertProblem(await upload('medborgare', state.caseId, pdfBytes, 'application/pdf', '../x.pdf'), 400, 'filename');
	assertProblem(await upload('medborgare', state.caseId, pdfBytes, 'application/pdf', 'x'.repeat(201)), 400, 'filename');
});

test('a file over 10 MiB is 413, a JSON body over 1 MiB still is', async () => {
	const big = Buffer.alloc(12 * 1024 * 1024, 0x20);
	big.write('%PDF-1.4', 0);
	assertProblem(await upload('medborgare', state.caseId, big, 'application/pdf', 'stor.pdf'), 413);
	const json = JSON.stringify({ given_name: 'x'.repeat(1024 * 1024 + 10) });
	assertProblem(await s.as('handlaggare', 'POST', '/api/v1/persons', { body: json, type: 'application/json' }), 413);
});

test('upload and download are audited', async () => {
	const items = await s.auditOf(1);
	const att = items.filter((e) => e.entity === 'attachment' && e.entity_id === state.att.id);
	assert.ok(att.some((e) => e.action === 'create' && e.username === 'medborgare'), JSON.stringify(att));
	assert.ok(att.some((e) => e.action === 'read' && e.username === 'handlaggare'), JSON.stringify(att));
	assert.ok(items.some((e) => e.entity === 'attachment_list' && e.action === 'read'));
});
