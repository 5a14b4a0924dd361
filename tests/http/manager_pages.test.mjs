// The manager's pages over HTTP (issue 3 item 9), with a cookie session from the login form:
// the delegation order, the quarter's unexecuted decisions with the council's statistics and
// links to CSV and PDF, lead times, the delegated decisions for the board, and the cases
// referred upwards. The reports show persons as birth date and sex only and write the audit
// records of their JSON routes; the list of referred cases is the unit manager's level (an
// admin sees every level) and matches GET /api/v1/cases?referred=true.
import { after, before, test } from 'node:test';

import * as fx from './decisions_fixture.mjs';
import { assert, assertProblem, DEMO_PASSWORD, startServer } from './harness.mjs';

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

const cookies = new Map();
async function cookieOf(username) {
	if (!cookies.has(username)) {
		const res = await s.request('POST', '/logga-in', {
			form: { tenant: 'demo', username, password: DEMO_PASSWORD },
		});
		assert.equal(res.status, 303, `form login ${username}: ${res.status}`);
		const set = res.cookies.find((c) => c.startsWith('hanna_session='));
		cookies.set(username, set.split(';')[0]);
	}
	return cookies.get(username);
}

async function page(username, path, status = 200) {
	const r = await s.get(path, { cookie: await cookieOf(username) });
	assert.equal(r.status, status, `${path} as ${username}: ${r.status}: ${r.text.slice(0, 600)}`);
	assert.match(r.ct, /^text\/html/);
	assert.match(r.text, /<html lang="sv"/);
	return r;
}

function fieldError(html, id) {
	const m = html.match(new RegExp(`<p class="field-error" id="${id}-fel">(.*?)</p>`));
	return m ? m[1].replace(/<[^>]+>/g, '') : null;
}

// A person and a case under investigation, assigned to handlaggare.
const openCase = (service) => fx.openCase(s, service);

const { addDays } = fx;

const st = {};

test('set up: a decision of 2019-01-15 never executed, one executed, and a case referred to the unit manager', async () => {
	st.a = await openCase('trygghetslarm');
	const d = await s.as('handlaggare', 'POST', `/api/v1/cases/${st.a.caseId}/decisions`, {
		json: { service: 'trygghetslarm', outcome: 'granted', reasoning: 'Behovet är utrett.', start_date: st.a.received },
	});
	assert.equal(d.status, 201, d.text);
	st.a.decision = d.json;
	s.sql(`UPDATE decisions SET decision_date = '2019-01-15' WHERE id = ${d.json.id}`);
	s.sql(`UPDATE cases SET received_date = '2019-01-05' WHERE id = ${st.a.caseId}`);

	st.b = await openCase('matdistribution');
	const e = await s.as('handlaggare', 'POST', `/api/v1/cases/${st.b.caseId}/decisions`, {
		json: { service: 'matdistribution', outcome: 'granted', reasoning: 'Behovet är utrett.', start_date: st.b.received },
	});
	assert.equal(e.status, 201, e.text);
	s.sql(`UPDATE decisions SET decision_date = '2019-01-20' WHERE id = ${e.json.id}`);
	s.sql(`UPDATE cases SET received_date = '2019-01-10' WHERE id = ${st.b.caseId}`);
	const x = await s.as('handlaggare', 'POST', `/api/v1/decisions/${e.json.id}/execution`, { json: { date: '2019-01-30' } });
	assert.equal(x.status, 200, x.text);

	st.ref = await openCase('hemtjanst_service');
	const start = st.ref.received;
	const r = await s.as('handlaggare', 'POST', `/api/v1/cases/${st.ref.caseId}/decisions`, {
		json: { service: 'hemtjanst_service', outcome: 'granted', hours_per_month: 60, start_date: start, end_date: addDays(start, 180), reasoning: 'Stort behov.', refer: true },
	});
	assert.equal(r.status, 202, r.text);
	const cs = await s.as('handlaggare', 'GET', `/api/v1/cases/${st.ref.caseId}`);
	assert.equal(cs.json.referred_to, 'enhetschef');
});

test('the manager pages need a login: 303 to /logga-in', async () => {
	for (const p of ['/chef/delegationsordning', '/chef/ej-verkstallda', '/chef/ledtider', '/chef/delegationsbeslut', '/chef/hanskjutna']) {
		const r = await s.get(p);
		assert.equal(r.status, 303, p);
		assert.equal(r.headers.get('location'), '/logga-in', p);
	}
});

test('GET /chef/delegationsordning: the order as a table, names from the catalogue, levels in Swedish', async () => {
	const r = await page('chef', '/chef/delegationsordning');
	assert.match(r.text, /<caption id="tabell-delegation">/);
	assert.match(r.text, /<th scope="row">3\.1\.3<\/th>\n<td>Hemtjänst – serviceinsatser<\/td>\n<td>Enhetschef<\/td>/);
	assert.match(r.text, /<th scope="row">3\.1\.1<\/th>\n<td>Hemtjänst – serviceinsatser<\/td>\n<td>Biståndshandläggare<\/td>\n<td>Får bevilja<\/td>\n<td>Får avslå<\/td>\n<td class="number">40<\/td>\n<td class="number">12<\/td>/);
	assert.match(r.text, /Ingen gräns/);
	await page('handlaggare', '/chef/delegationsordning');
	await page('revisor', '/chef/delegationsordning', 403);
	await page('medborgare', '/chef/delegationsordning', 403);
});

test('GET /chef/ej-verkstallda: the quarter, masked persons, statistics, CSV and PDF links, audited', async () => {
	const r = await page('chef', '/chef/ej-verkstallda?year=2019&quarter=2');
	assert.match(r.text, /<h2>Kvartal 2 2019<\/h2>/);
	assert.match(r.text, /2019-04-01 – 2019-06-30/);
	assert.ok(r.text.includes(st.a.caseNumber), 'the decision of 2019-01-15 is listed');
	assert.ok(!r.text.includes(st.b.caseNumber), 'the decision executed in time is not');
	assert.ok(r.text.includes(`<td>${st.a.pnr.twelve.slice(0, 8)}</td>`), 'birth date');
	assert.ok(!r.text.includes(st.a.pnr.twelve), 'never the full number');
	assert.match(r.text, /<td>(kvinna|man)<\/td>/);
	assert.match(r.text, /Statistik till kommunfullmäktige/);
	assert.match(r.text, /<th scope="row">Totalt<\/th>/);
	assert.match(r.text, /href="\/api\/v1\/reports\/unexecuted\?year=2019&amp;quarter=2&amp;format=csv"/);
	assert.match(r.text, /href="\/api\/v1\/reports\/unexecuted\?year=2019&amp;quarter=2&amp;format=pdf"/);
	assert.match(r.text, /<option value="2" selected>/);
	const audit = await s.auditOf(st.a.person.id);
	const mine = audit.filter((x) => x.request_id === r.requestId);
	assert.equal(mine.length, 1, 'one list record per person');
	assert.equal(mine[0].entity, 'report_unexecuted');
	assert.equal(mine[0].action, 'list');

	// The links work with the cookie.
	const cookie = await cookieOf('chef');
	const csv = await s.get('/api/v1/reports/unexecuted?year=2019&quarter=2&format=csv', { cookie });
	assert.equal(csv.status, 200);
	assert.match(csv.ct, /^text\/csv/);
	assert.ok(csv.text.includes(st.a.caseNumber));
	const pdf = await s.get('/api/v1/reports/unexecuted?year=2019&quarter=2&format=pdf', { cookie });
	assert.equal(pdf.status, 200);
	assert.match(pdf.ct, /^application\/pdf/);

	// Default: the last completed quarter.
	const now = new Date();
	let y = now.getUTCFullYear(), q = Math.floor(now.getUTCMonth() / 3);
	if (q === 0) { y--; q = 4; }
	const d = await page('chef', '/chef/ej-verkstallda');
	assert.match(d.text, new RegExp(`<h2>Kvartal ${q} ${y}</h2>`));

	// Bad input: the form again with the error next to the field.
	const bad = await page('chef', '/chef/ej-verkstallda?year=1999&quarter=2', 400);
	assert.match(fieldError(bad.text, 'f-year') || '', /2000–2100/);
	assert.match(bad.text, /class="error-summary"/);
	const bad2 = await page('chef', '/chef/ej-verkstallda?year=2019&quarter=5', 400);
	assert.ok(fieldError(bad2.text, 'f-quarter'));

	await page('revisor', '/chef/ej-verkstallda?year=2019&quarter=2');
	await page('handlaggare', '/chef/ej-verkstallda?year=2019&quarter=2');
	await page('medborgare', '/chef/ej-verkstallda', 403);
	await page('personal', '/chef/ej-verkstallda', 403);
});

test('GET /chef/ledtider: per service and in total, as the JSON route', async () => {
	const r = await page('chef', '/chef/ledtider?from=2019-01-01&to=2019-01-31');
	const json = await s.as('chef', 'GET', '/api/v1/reports/lead-times?from=2019-01-01&to=2019-01-31');
	assert.equal(json.status, 200);
	assert.match(r.text, /<caption id="tabell-ledtider">/);
	assert.match(r.text, /<th scope="row">Trygghetslarm<\/th>\n<td>SoL<\/td>\n<td class="number">1<\/td>\n<td class="number">10,0<\/td>\n<td class="number">10,0<\/td>\n<td class="number">0<\/td>\n<td class="number">–<\/td>/);
	assert.match(r.text, /<th scope="row">Matdistribution<\/th>\n<td>SoL<\/td>\n<td class="number">1<\/td>\n<td class="number">10,0<\/td>\n<td class="number">10,0<\/td>\n<td class="number">1<\/td>\n<td class="number">10,0<\/td>/);
	assert.match(r.text, /<th scope="row">Alla insatser<\/th>\n<td><\/td>\n<td class="number">2<\/td>/);
	assert.equal(json.json.total.decisions, 2);
	const d = await page('chef', '/chef/ledtider');
	assert.match(d.text, /<input type="date" class="input-date" id="f-from" name="from" required value="\d{4}-\d\d-\d\d">/);
	const bad = await page('chef', '/chef/ledtider?from=2019-02-01&to=2019-01-01', 400);
	assert.match(fieldError(bad.text, 'f-to') || '', /före/);
	const bad2 = await page('chef', '/chef/ledtider?from=2019-02-30&to=2019-03-01', 400);
	assert.ok(fieldError(bad2.text, 'f-from'));
	await page('revisor', '/chef/ledtider');
	await page('medborgare', '/chef/ledtider', 403);
});

test('GET /chef/delegationsbeslut: the decisions of the period with a CSV link, audited', async () => {
	const r = await page('chef', '/chef/delegationsbeslut?from=2019-01-01&to=2019-01-31');
	assert.ok(r.text.includes(st.a.caseNumber));
	assert.ok(r.text.includes(st.b.caseNumber));
	assert.match(r.text, /<td>bifall<\/td>|<td>Bifall<\/td>/);
	assert.match(r.text, /<td>3\.2\.1<\/td>/);
	assert.ok(!r.text.includes(st.a.pnr.twelve), 'never the full number');
	assert.match(r.text, /href="\/api\/v1\/reports\/delegated\?from=2019-01-01&amp;to=2019-01-31&amp;format=csv"/);
	const audit = await s.auditOf(st.b.person.id);
	assert.ok(audit.some((x) => x.request_id === r.requestId && x.entity === 'report_delegated' && x.action === 'list'));
	const csv = await s.get('/api/v1/reports/delegated?from=2019-01-01&to=2019-01-31&format=csv', { cookie: await cookieOf('chef') });
	assert.equal(csv.status, 200);
	assert.ok(csv.text.includes(st.a.caseNumber));
	const d = await page('chef', '/chef/delegationsbeslut');
	assert.match(d.text, /<h2>Beslut \d{4}-\d\d-01 – \d{4}-\d\d-\d\d<\/h2>/);
	const bad = await page('chef', '/chef/delegationsbeslut?from=2019-01-01', 400);
	assert.ok(fieldError(bad.text, 'f-to'));
	await page('revisor', '/chef/delegationsbeslut');
	await page('medborgare', '/chef/delegationsbeslut', 403);
});

test('GET /chef/hanskjutna and GET /api/v1/cases?referred=true: the cases waiting for the manager', async () => {
	const r = await page('chef', '/chef/hanskjutna');
	assert.match(r.text, new RegExp(`<a href="/arenden/${st.ref.caseId}">${st.ref.caseNumber}</a>`));
	assert.ok(!r.text.includes(st.a.caseNumber), 'a decided case is not listed');
	const audit = await s.auditOf(st.ref.person.id);
	assert.ok(audit.some((x) => x.request_id === r.requestId && x.entity === 'case' && x.action === 'list'));
	const admin = await page('admin', '/chef/hanskjutna');
	assert.ok(admin.text.includes(st.ref.caseNumber), 'an admin sees every level');
	await page('handlaggare', '/chef/hanskjutna', 403);
	await page('revisor', '/chef/hanskjutna', 403);

	const json = await s.as('chef', 'GET', '/api/v1/cases?referred=true');
	assert.equal(json.status, 200, json.text);
	const item = json.json.items.find((c) => c.id === st.ref.caseId);
	assert.ok(item, 'the referred case is listed');
	assert.equal(item.referred_to, 'enhetschef');
	assert.ok(json.json.items.every((c) => c.referred_to === 'enhetschef'));
	assert.ok((await s.as('admin', 'GET', '/api/v1/cases?referred=true')).json.items.some((c) => c.id === st.ref.caseId));
	assertProblem(await s.as('handlaggare', 'GET', '/api/v1/cases?referred=true'), 403);
	assertProblem(await s.as('chef', 'GET', '/api/v1/cases?referred=yes'), 400, 'referred');

	// Decided by the manager: no longer listed.
	const d = await s.as('chef', 'POST', `/api/v1/cases/${st.ref.caseId}/decisions`, {
		json: { service: 'hemtjanst_service', outcome: 'granted', hours_per_month: 60, start_date: st.ref.received, end_date: addDays(st.ref.received, 180), reasoning: 'Stort behov.' },
	});
	assert.equal(d.status, 201, d.text);
	assert.ok(!(await s.as('chef', 'GET', '/api/v1/cases?referred=true')).json.items.some((c) => c.id === st.ref.caseId));
	const after = await page('chef', '/chef/hanskjutna');
	assert.ok(!after.text.includes(st.ref.caseNumber));
});

test('the start page and the menu link the manager pages for the unit manager, the report for the auditor', async () => {
	const chef = await page('chef', '/');
	assert.match(chef.text, /<h2>Chefens översikt<\/h2>/);
	for (const p of ['/chef/hanskjutna', '/chef/ej-verkstallda', '/chef/ledtider', '/chef/delegationsbeslut', '/chef/delegationsordning'])
		assert.ok(chef.text.includes(`href="${p}"`), p);
	assert.match(chef.text, /<nav class="main-nav"[^]*href="\/chef\/hanskjutna"[^]*<\/nav>/);
	const rev = await page('revisor', '/');
	assert.ok(rev.text.includes('href="/chef/ej-verkstallda"'));
	assert.ok(!rev.text.includes('href="/chef/hanskjutna"'));
	assert.doesNotMatch(rev.text, /Chefens översikt/);
	const cw = await page('handlaggare', '/');
	assert.ok(!cw.text.includes('href="/chef/'), 'the caseworker gets no manager links');
	const cit = await page('medborgare', '/');
	assert.ok(!cit.text.includes('href="/chef/'));
});
