// The municipality's compensation rule for bomtid (issue 5): GET and PUT
// /api/v1/settings/visits for the administrator, the defaults where no setting is stored, and a
// change that counts for reports from then on and not for stored ones (the report, check-out,
// correction and bulk write jobs read it in their own transaction).
import { test, after, before } from 'node:test';

import { OTHER_PASSWORD, assert, assertProblem, shutdownTest, startServer } from './harness.mjs';

let s;
before(async () => {
	s = await startServer({
		demoArgs: ['--cases', '150'],
		users: [{ tenant: 'other', username: 'a2', role: 'admin', password: OTHER_PASSWORD }],
	});
});
after(async () => {
	await s?.cleanup();
});

const iso = (t) => new Date(t * 1000).toISOString().replace('.000', '');
const DAY = 86400;
const today = () => new Date().toISOString().slice(0, 10);
const midnight = (d) => Date.parse(`${d}T00:00:00Z`) / 1000;
const put = (user, json) => s.as(user, 'PUT', '/api/v1/settings/visits', { json });
const post = (path, json, key) =>
	s.as('personal', 'POST', path, { json, headers: key ? { 'idempotency-key': key } : {} });

let c;
// Bomtid of 90 minutes at the door, checked in and out on day y at hour h.
async function bomtid(y, h, key) {
	const inn = await post('/api/v1/visits/check-in',
		{ person_id: c.person_id, service: c.service, at: iso(y + h * 3600) }, `${key}-in`);
	assert.equal(inn.status, 201, inn.text);
	const out = await post('/api/v1/visits/check-out',
		{ check_in_key: `${key}-in`, at: iso(y + h * 3600 + 90 * 60), deviation: 'declined' }, `${key}-out`);
	assert.equal(out.status, 200, out.text);
	assert.equal(out.json.spent_minutes, 90);
	assert.equal(out.json.billable_minutes, 0);
	return out.json;
}

test('the demo\'s rule is the default, written out; a tenant without settings gets the default', async () => {
	const r = await s.as('admin', 'GET', '/api/v1/settings/visits');
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json, { bomtid_paid: true, bomtid_max_minutes: 60 });
	assert.equal(s.sql("SELECT value FROM settings WHERE key = 'visits.bomtid_max_minutes'").trim(), '60');
	const { token } = await s.session('a2', OTHER_PASSWORD, 'other');
	const o = await s.request('GET', '/api/v1/settings/visits', { token });
	assert.equal(o.status, 200, o.text);
	assert.deepEqual(o.json, { bomtid_paid: true, bomtid_max_minutes: 60 });
	assert.equal(s.sql("SELECT count(*) FROM settings s JOIN tenants t ON t.id = s.tenant_id WHERE t.name = 'other'").trim(), '0');
});

test('a changed rule counts for new bomtid reports, not for stored ones; audited without a person', async () => {
	const cs = await s.as('personal', 'GET', `/api/v1/visits/customers?date=${today()}`);
	assert.equal(cs.status, 200, cs.text);
	c = cs.json.items[0];
	const y = midnight(today()) - DAY;
	const first = await bomtid(y, 6, 'b1');
	assert.equal(first.payable_minutes, 60, 'paid, at most 60 minutes');

	const auditBefore = Number(s.sql("SELECT count(*) FROM audit_log WHERE entity = 'setting'"));
	const r = await put('admin', { bomtid_paid: true, bomtid_max_minutes: 30 });
	assert.equal(r.status, 200, r.text);
	assert.deepEqual(r.json, { bomtid_paid: true, bomtid_max_minutes: 30 });
	assert.deepEqual((await s.as('admin', 'GET', '/api/v1/settings/visits')).json, r.json);
	assert.equal(s.sql("SELECT action || ':' || COALESCE(person_id, 0) FROM audit_log WHERE entity = 'setting' ORDER BY id DESC LIMIT 1").trim(), 'update:0');
	assert.equal(Number(s.sql("SELECT count(*) FROM audit_log WHERE entity = 'setting'")), auditBefore + 1);

	const second = await bomtid(y, 9, 'b2');
	assert.equal(second.payable_minutes, 30, 'the new cap');
	const again = await s.as('personal', 'GET', `/api/v1/visits/${first.id}`);
	assert.equal(again.status, 200, again.text);
	assert.equal(again.json.payable_minutes, 60, 'a stored report is not counted again');

	// Not paid: a provider system's cancelled-late report and a correction count nothing payable.
	assert.equal((await put('admin', { bomtid_paid: false, bomtid_max_minutes: 30 })).status, 200);
	const late = await s.as('utforare', 'POST', '/api/v1/visits', {
		json: { person_id: c.person_id, service: c.service, staff: 'erik', start: iso(y + 12 * 3600), end: iso(y + 12 * 3600 + 20 * 60), deviation: 'cancelled_late' },
		headers: { 'idempotency-key': 'b3' },
	});
	assert.equal(late.status, 201, late.text);
	assert.equal(late.json.spent_minutes, 20);
	assert.equal(late.json.payable_minutes, 0);
	const corr = await s.as('utforare', 'POST', `/api/v1/visits/${second.id}/corrections`, {
		json: { start: iso(y + 9 * 3600), end: iso(y + 9 * 3600 + 45 * 60), deviation: 'declined', reason: 'Fel sluttid.' },
		headers: { 'idempotency-key': 'b4' },
	});
	assert.equal(corr.status, 201, corr.text);
	assert.equal(corr.json.spent_minutes, 45);
	assert.equal(corr.json.payable_minutes, 0);

	// Bulk: paid again, no cap above the minutes spent.
	assert.equal((await put('admin', { bomtid_paid: true, bomtid_max_minutes: 240 })).status, 200);
	const day = new Date((y - DAY) * 1000).toISOString().slice(0, 10);
	const csv = `kund_id;insats;personal;start;slut;avvikelse\n${c.person_id};${c.service};erik;${day} 07:00;${day} 08:40;declined\n`;
	const b = await s.as('utforare', 'POST', `/api/v1/visits/bulk?month=${day.slice(0, 7)}`,
		{ body: csv, headers: { 'content-type': 'text/csv', 'idempotency-key': 'b5' } });
	assert.equal(b.status, 201, b.text);
	assert.equal(s.sql(`SELECT payable_minutes FROM visits WHERE bulk_id = ${b.json.id}`).trim(), '100');
	assert.equal((await put('admin', { bomtid_paid: true, bomtid_max_minutes: 60 })).status, 200);
});

test('bad input is 400 naming the field, and nothing changes', async () => {
	const before = (await s.as('admin', 'GET', '/api/v1/settings/visits')).json;
	assertProblem(await put('admin', { bomtid_paid: true, bomtid_max_minutes: 241 }), 400, 'bomtid_max_minutes');
	assertProblem(await put('admin', { bomtid_paid: true, bomtid_max_minutes: -1 }), 400, 'bomtid_max_minutes');
	assertProblem(await put('admin', { bomtid_paid: true, bomtid_max_minutes: '30' }), 400, 'bomtid_max_minutes');
	assertProblem(await put('admin', { bomtid_paid: 'ja', bomtid_max_minutes: 30 }), 400, 'bomtid_paid');
	assertProblem(await put('admin', { bomtid_max_minutes: 30 }), 400, 'bomtid_paid');
	assertProblem(await put('admin', { bomtid_paid: true, bomtid_max_minutes: 30, extra: 1 }), 400);
	assert.deepEqual((await s.as('admin', 'GET', '/api/v1/settings/visits')).json, before);
});

test('only the administrator reads or changes the rule (403)', async () => {
	for (const u of ['handlaggare', 'ekonom', 'utforare', 'personal', 'medborgare']) {
		assertProblem(await s.as(u, 'GET', '/api/v1/settings/visits'), 403);
		assertProblem(await put(u, { bomtid_paid: false, bomtid_max_minutes: 0 }), 403);
	}
	assert.equal((await s.as('admin', 'GET', '/api/v1/settings/visits')).json.bomtid_max_minutes, 60);
});

test('the page /admin/installningar shows the rule and changes it by the form', async () => {
	const page = await s.as('admin', 'GET', '/admin/installningar');
	assert.equal(page.status, 200, page.text);
	assert.match(page.text, /<h1>Inställningar<\/h1>/);
	assert.match(page.text, /name="bomtid_max_minutes"[^>]*value="60"/);
	assert.equal((await s.as('handlaggare', 'GET', '/admin/installningar')).status, 403);
	const { token, csrf } = await s.session('admin');
	const bad = await s.request('POST', '/admin/installningar',
		{ token, form: { csrf, bomtid_paid: '1', bomtid_max_minutes: '300' } });
	assert.equal(bad.status, 400, bad.text);
	assert.match(bad.text, /0-240/);
	const ok = await s.request('POST', '/admin/installningar',
		{ token, form: { csrf, bomtid_max_minutes: '15' } });
	assert.equal(ok.status, 303, ok.text);
	assert.deepEqual((await s.as('admin', 'GET', '/api/v1/settings/visits')).json,
		{ bomtid_paid: false, bomtid_max_minutes: 15 });
});

shutdownTest(test, () => s);
