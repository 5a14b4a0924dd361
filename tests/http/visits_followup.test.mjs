// Granted versus performed for the caseworker and for finance (issue 5, item 6): the section
// "Utförd tid" of the case view (this and the previous month, audited as a read of the person
// per month), and the billing view of every provider's orders of a month for the finance role
// (JSON paged by cursor, CSV, the page /ekonomi/utford-tid), one read record per person listed.
import { test, after, before } from 'node:test';

import { assert, assertProblem, startServer } from './harness.mjs';

let s;
before(async () => {
	s = await startServer({ demoArgs: ['--cases', '150'] });
});
after(async () => {
	await s?.cleanup();
});

const iso = (t) => new Date(t * 1000).toISOString().replace('.000', '');
const DAY = 86400;
// The first day of the month before this one ('YYYY-MM-DD').
const lastMonthFirst = () => {
	const d = new Date();
	d.setUTCDate(1);
	d.setUTCMonth(d.getUTCMonth() - 1);
	return d.toISOString().slice(0, 10);
};
const month = lastMonthFirst().slice(0, 7);
const count = (sql) => Number(s.sql(sql).trim());

let c; // a customer of the first provider with an order since last month
let caseId;

test('setup: last month, a 45-minute visit and a hospital stay that explains 30 minutes', async () => {
	const r = await s.as('personal', 'GET', `/api/v1/visits/customers`);
	assert.equal(r.status, 200, r.text);
	c = r.json.items.find((it) => it.from <= lastMonthFirst());
	assert.ok(c, r.text);
	caseId = Number(s.sql(`SELECT case_id FROM orders WHERE id = ${c.order_id}`).trim());
	const t = Date.parse(`${lastMonthFirst()}T00:00:00Z`) / 1000 + 2 * DAY;
	const v = await s.as('utforare', 'POST', '/api/v1/visits', {
		json: { person_id: c.person_id, service: c.service, staff: 'anna', start: iso(t + 8 * 3600),
			end: iso(t + 8.75 * 3600), reason: 'glömd i telefonen' },
		headers: { 'idempotency-key': 'fu-visit-1' },
	});
	assert.equal(v.status, 201, v.text);
	const h = await s.as('utforare', 'POST', '/api/v1/visits', {
		json: { person_id: c.person_id, service: c.service, staff: 'anna', start: iso(t + DAY + 8 * 3600),
			deviation: 'hospital', planned_minutes: 30, reason: 'inlagd' },
		headers: { 'idempotency-key': 'fu-visit-2' },
	});
	assert.equal(h.status, 201, h.text);
});

test('the case view shows "Utförd tid" for both months, with the reasons and a link; one read record', async () => {
	const before = count(`SELECT count(*) FROM audit_log WHERE username = 'handlaggare'`
		+ ` AND entity = 'visit_summary' AND person_id = ${c.person_id}`);
	const r = await s.as('handlaggare', 'GET', `/arenden/${caseId}`);
	assert.equal(r.status, 200, r.text);
	assert.match(r.text, /<a href="#utford-tid">Utförd tid<\/a>/);
	const sec = r.text.slice(r.text.indexOf('id="utford-tid"'));
	assert.match(sec, /<h2 id="utford-tid-rubrik">Utförd tid<\/h2>/);
	assert.match(sec, new RegExp(`<h3>${month}</h3>`));
	assert.match(sec, /<th scope="col">Utförare<\/th>/);
	assert.match(sec, /Inlagd på sjukhus 0:30/);
	assert.match(sec, new RegExp(`href="/besok/uppfoljning\\?month=${month}&amp;person_id=${c.person_id}"`));
	const after = count(`SELECT count(*) FROM audit_log WHERE username = 'handlaggare'`
		+ ` AND entity = 'visit_summary' AND person_id = ${c.person_id}`);
	assert.equal(after - before, 1, 'one read record of the person besides the case\'s');
	// The month's figures are those of the JSON summary the section is built from.
	const j = await s.as('handlaggare', 'GET', `/api/v1/visits/summary?month=${month}&person_id=${c.person_id}`);
	assert.equal(j.status, 200, j.text);
	const row = j.json.items.find((it) => it.order_id === c.order_id);
	assert.ok(row, j.text);
	assert.ok(row.performed_minutes >= 45);
	assert.equal(row.reasons.hospital, 30);
	assert.ok(row.provider.length > 0);
});

test('finance: every provider\'s orders of a month, paged by cursor, one read record per person', async () => {
	const before = count(`SELECT count(*) FROM audit_log WHERE username = 'ekonom' AND entity = 'visit_summary'`);
	const all = await s.as('ekonom', 'GET', `/api/v1/visits/summary?month=${month}`);
	assert.equal(all.status, 200, all.text);
	assert.equal(all.json.next_cursor, null);
	const items = all.json.items;
	assert.ok(items.length >= 3, all.text);
	// Every accepted order of the tenant active in the month, of every provider, but personal
	// assistance (its own month sheet).
	const last = new Date(Date.parse(`${lastMonthFirst()}T00:00:00Z`));
	last.setUTCMonth(last.getUTCMonth() + 1);
	last.setUTCDate(0);
	const lastDay = last.toISOString().slice(0, 10);
	const expected = s.sql(`SELECT o.id FROM orders o JOIN tenants t ON t.id = o.tenant_id WHERE t.name = 'demo'`
		+ ` AND o.state IN ('accepted', 'ended') AND o.service_code <> 'personlig_assistans'`
		+ ` AND o.from_date <= '${lastDay}' AND (o.to_date IS NULL OR o.to_date >= '${lastMonthFirst()}') ORDER BY o.id`)
		.trim().split('\n').map(Number);
	assert.deepEqual(items.map((it) => it.order_id), expected);
	const mine = items.find((it) => it.order_id === c.order_id);
	assert.equal(mine.reasons.hospital, 30);
	assert.ok(!items.some((it) => it.service === 'personlig_assistans'));
	const persons = new Set(items.map((it) => it.person_id));
	const after = count(`SELECT count(*) FROM audit_log WHERE username = 'ekonom' AND entity = 'visit_summary'`);
	assert.equal(after - before, persons.size);
	assert.equal(count(`SELECT count(*) FROM audit_log WHERE username = 'ekonom' AND entity = 'visit_summary'`
		+ ` AND person_id = ${c.person_id}`), 1);

	// Pages of two: the same orders in the same order, each once.
	const seen = [];
	let cursor = '';
	for (let i = 0; i < 1000; i++) {
		const p = await s.as('ekonom', 'GET', `/api/v1/visits/summary?month=${month}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
		assert.equal(p.status, 200, p.text);
		assert.ok(p.json.items.length <= 2);
		seen.push(...p.json.items.map((it) => it.order_id));
		if (!p.json.next_cursor)
			break;
		cursor = p.json.next_cursor;
	}
	assert.deepEqual(seen, items.map((it) => it.order_id));
	assertProblem(await s.as('ekonom', 'GET', `/api/v1/visits/summary?month=${month}&cursor=x`), 400, 'cursor');
	assertProblem(await s.as('ekonom', 'GET', '/api/v1/visits/summary?month=2026-13'), 400, 'month');

	// Others: a caseworker still names a person; a provider sees only its own orders.
	assertProblem(await s.as('handlaggare', 'GET', `/api/v1/visits/summary?month=${month}`), 400, 'person_id');
	const u = await s.as('utforare', 'GET', `/api/v1/visits/summary?month=${month}`);
	assert.equal(u.status, 200, u.text);
	assert.deepEqual(u.json.items.map((it) => it.order_id).sort(),
		items.filter((it) => it.provider_id === c.provider_id || it.provider_id === u.json.items[0].provider_id)
			.map((it) => it.order_id).sort());
	assert.equal(new Set(u.json.items.map((it) => it.provider_id)).size, 1);
});

test('finance: the month as CSV (BOM, semicolons, figures as numbers); 403 for others', async () => {
	const r = await s.as('ekonom', 'GET', `/api/v1/visits/summary.csv?month=${month}`);
	assert.equal(r.status, 200, r.text);
	const raw = await fetch(s.url(`/api/v1/visits/summary.csv?month=${month}`), {
		headers: { authorization: `Bearer ${await s.token('ekonom')}` },
	});
	assert.deepEqual([...Buffer.from(await raw.arrayBuffer()).subarray(0, 3)], [0xef, 0xbb, 0xbf]);
	assert.match(r.headers.get('content-type'), /^text\/csv/);
	assert.match(r.headers.get('content-disposition'), new RegExp(`utford-tid-${month}\\.csv`));
	assert.ok(r.text.replace(/^\uFEFF/, '').startsWith('Månad;Kund-id;Kund;'), r.text.slice(0, 60));
	const lines = r.text.trim().split('\r\n');
	const head = lines[0].replace('\uFEFF', '').split(';');
	const row = lines.map((l) => l.split(';')).find((f) => f[head.indexOf('Uppdrag')] === String(c.order_id));
	assert.ok(row, r.text);
	assert.equal(row[head.indexOf('Kund-id')], String(c.person_id));
	assert.match(row[head.indexOf('Utfört (min)')], /^\d+$/);
	assert.equal(row[head.indexOf('Inlagd på sjukhus')], '30');
	assert.match(row[head.indexOf('Skillnad (min)')], /^-?\d+$/);
	const json = await s.as('ekonom', 'GET', `/api/v1/visits/summary?month=${month}`);
	assert.equal(lines.length - 1, json.json.items.length);
	assertProblem(await s.as('handlaggare', 'GET', `/api/v1/visits/summary.csv?month=${month}`), 403);
	assertProblem(await s.as('utforare', 'GET', `/api/v1/visits/summary.csv?month=${month}`), 403);
});

test('finance: the page /ekonomi/utford-tid with a month picker and the CSV link; 403 for others', async () => {
	const r = await s.as('ekonom', 'GET', `/ekonomi/utford-tid?month=${month}`);
	assert.equal(r.status, 200, r.text);
	assert.match(r.text, /<input id="f-month" name="month" type="month" value="\d{4}-\d{2}">/);
	assert.match(r.text, new RegExp(`href="/api/v1/visits/summary.csv\\?month=${month}"`));
	assert.match(r.text, /<th scope="col">Kund<\/th><th scope="col">Utförare<\/th>/);
	assert.match(r.text, /Inlagd på sjukhus 0:30/);
	assert.match(r.text, /href="\/ekonomi\/utford-tid"/, 'in the menu');
	assert.equal((await s.as('ekonom', 'GET', '/ekonomi/utford-tid?month=maj')).status, 400);
	assert.equal((await s.as('handlaggare', 'GET', '/ekonomi/utford-tid')).status, 403);
	assert.equal((await s.as('utforare', 'GET', '/ekonomi/utford-tid')).status, 403);
});
