// The pages of the authority process over HTTP, with a cookie session from the login form:
// Mina sidor, the application form and its receipt, the work queue, the case view and every
// form of it (take, state, journal with drafts, signing and corrections, IBIC assessment,
// decision within and beyond the delegation, withdrawal). Forms need the CSRF field (403
// without), bad input answers the form again with the error next to the field, and every case
// view writes exactly one read record of entity "case".
import { after, before, test } from 'node:test';

import { decision } from './decisions_fixture.mjs';
import { assert, DEMO_PASSWORD, shutdownTest, startServer } from './harness.mjs';

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

// Logs in through the form once per user; returns the cookie.
const cookies = new Map();
async function cookieOf(username) {
	if (!cookies.has(username)) {
		const res = await s.request('POST', '/logga-in', {
			form: { tenant: 'demo', username, password: DEMO_PASSWORD },
		});
		assert.equal(res.status, 303, `form login ${username}: ${res.status}`);
		const set = res.cookies.find((c) => c.startsWith('hanna_session='));
		assert.ok(set, `a session cookie for ${username}`);
		cookies.set(username, set.split(';')[0]);
	}
	return cookies.get(username);
}

function csrfOf(html) {
	const m = html.match(/name="csrf" value="([0-9a-f]{64})"/);
	return m ? m[1] : null;
}

function assertHtml(r, status = 200) {
	assert.equal(r.status, status, `${r.status}: ${r.text.slice(0, 600)}`);
	assert.match(r.ct, /^text\/html/);
	assert.match(r.text, /<html lang="sv"/);
}

// GET a page as a user.
async function page(username, path, status = 200) {
	const r = await s.get(path, { cookie: await cookieOf(username) });
	assertHtml(r, status);
	return r;
}

// POST a form as a user with the CSRF field of their session.
async function post(username, path, form = {}) {
	const cookie = await cookieOf(username);
	const csrf = csrfOf((await s.get('/', { cookie })).text);
	assert.ok(csrf, 'the start page carries the csrf field');
	return s.request('POST', path, { cookie, form: { csrf, ...form } });
}

function assertRedirect(r, location) {
	assert.equal(r.status, 303, `${r.status}: ${r.text.slice(0, 600)}`);
	assert.equal(r.headers.get('location'), location);
}

// The error text written next to a field (its id is f-NAME with '.' as '-').
function fieldError(html, id) {
	const m = html.match(new RegExp(`<p class="field-error" id="${id}-fel">(.*?)</p>`));
	return m ? m[1].replace(/<[^>]+>/g, '') : null;
}

const state = {};

test('the pages need a login: 303 to /logga-in', async () => {
	for (const p of ['/mina-sidor', '/ansok', '/arenden', '/arenden/1']) {
		const r = await s.get(p);
		assert.equal(r.status, 303, p);
		assert.equal(r.headers.get('location'), '/logga-in', p);
	}
});

test('the start page links the new pages per role', async () => {
	const citizen = await page('medborgare', '/');
	assert.match(citizen.text, /href="\/mina-sidor"/);
	assert.match(citizen.text, /href="\/ansok"/);
	assert.doesNotMatch(citizen.text, /href="\/arenden"/);
	const cw = await page('handlaggare', '/');
	assert.match(cw.text, /href="\/arenden"/);
	assert.doesNotMatch(cw.text, /href="\/mina-sidor"/);
	const rep = await page('godman', '/');
	assert.match(rep.text, /href="\/mina-sidor"/);
});

test('GET /ansok is the application form: services, hours, description, life areas', async () => {
	const r = await page('medborgare', '/ansok');
	assert.ok(csrfOf(r.text), 'a csrf field');
	assert.match(r.text, /<form method="post" action="\/ansok"/);
	assert.match(r.text, /<input type="checkbox" value="1" id="f-service-hemtjanst_service" name="service\.hemtjanst_service"/);
	assert.match(r.text, /name="hours\.hemtjanst_service"/);
	assert.doesNotMatch(r.text, /name="hours\.trygghetslarm"/, 'no hours for a yes/no service');
	assert.match(r.text, /<textarea[^>]+name="description"/);
	assert.match(r.text, /<textarea[^>]+name="self\.hemliv"/);
	assert.match(r.text, /<legend>Hur klarar du vardagen\?<\/legend>/);
	await page('handlaggare', '/ansok', 403);
	await page('personal', '/ansok', 403);
});

test('POST /ansok needs the CSRF field', async () => {
	const cookie = await cookieOf('medborgare');
	const form = { 'service.trygghetslarm': '1' };
	assertHtml(await s.request('POST', '/ansok', { cookie, form }), 403);
	assertHtml(await s.request('POST', '/ansok', { cookie, form: { ...form, csrf: 'a'.repeat(64) } }), 403);
	const list = await s.as('medborgare', 'GET', '/api/v1/cases');
	assert.ok(!list.json.items.some((c) => c.summary.includes('Trygghetslarm')), 'nothing registered');
});

test('POST /ansok with bad input answers 400 with the errors next to the fields', async () => {
	const none = await post('medborgare', '/ansok', { description: 'Hjälp' });
	assertHtml(none, 400);
	assert.match(fieldError(none.text, 'f-services') || '', /minst en insats/);
	assert.match(none.text, /class="error-summary"/);
	assert.match(none.text, /href="#f-services"/);
	assert.match(none.text, />Hjälp<\/textarea>|\nHjälp<\/textarea>/, 'the text typed is kept');
	const hours = await post('medborgare', '/ansok', {
		'service.hemtjanst_service': '1', 'hours.hemtjanst_service': '2x',
		'hours.hemtjanst_omsorg': '5',
	});
	assertHtml(hours, 400);
	assert.match(fieldError(hours.text, 'f-hours-hemtjanst_service') || '', /siffror/);
	assert.match(fieldError(hours.text, 'f-hours-hemtjanst_omsorg') || '', /kryssa också i/);
	assert.match(hours.text, /id="f-hours-hemtjanst_service"[^>]*aria-invalid="true"/);
	const big = await post('medborgare', '/ansok', {
		'service.hemtjanst_service': '1', 'hours.hemtjanst_service': '900',
	});
	assertHtml(big, 400);
	assert.match(fieldError(big.text, 'f-hours-hemtjanst_service') || '', /0-744/);
});

test('POST /ansok registers the application and answers with the receipt', async () => {
	const before = (await s.auditOf(1)).length;
	const r = await post('medborgare', '/ansok', {
		'service.hemtjanst_service': '1', 'hours.hemtjanst_service': '20',
		description: 'Hjälp med städning\r\noch tvätt <b>nu</b>',
		'self.hemliv': 'Jag orkar inte städa längre.', 'self.forflyttning': '',
	});
	assertHtml(r, 201);
	const m = r.text.match(/<strong>(\d{4}-\d{6})<\/strong>/);
	assert.ok(m, 'the case number on the receipt');
	assert.match(r.text, /Vi har tagit emot ditt ärende \d{4}-\d{6}/);
	assert.match(r.text, /Ansökan är komplett/);
	assert.match(r.text, /Hemtjänst – serviceinsatser/);
	state.number = m[1];
	const list = await s.as('medborgare', 'GET', '/api/v1/cases');
	const cs = list.json.items.find((c) => c.case_number === state.number);
	assert.ok(cs, 'the case is there');
	assert.equal(cs.channel, 'online');
	assert.equal(cs.state, 'received');
	assert.match(cs.summary, /Hemtjänst – serviceinsatser/);
	state.caseId = cs.id;
	state.received = cs.received_date;
	const view = await s.as('medborgare', 'GET', `/api/v1/cases/${cs.id}`);
	assert.deepEqual(view.json.requests, [{
		service: 'hemtjanst_service', hours_per_month: 20,
		description: 'Hjälp med städning\noch tvätt <b>nu</b>',
	}]);
	assert.deepEqual(view.json.assessments.map((a) => [a.life_area, a.source, a.own_view]),
		[['hemliv', 'self', 'Jag orkar inte städa längre.']]);
	const recs = (await s.auditOf(1)).filter((a) => a.request_id === r.requestId);
	assert.ok(recs.some((a) => a.action === 'create' && a.entity === 'case'));
	assert.ok((await s.auditOf(1)).length > before);
});

test('an application without description or self-assessment lists what is missing', async () => {
	const r = await post('medborgare', '/ansok', { 'service.trygghetslarm': '1' });
	assertHtml(r, 201);
	assert.match(r.text, /Det här saknas/);
	assert.match(r.text, /En beskrivning av vad du behöver hjälp med/);
	assert.match(r.text, /självskattning/);
	state.secondNumber = r.text.match(/<strong>(\d{4}-\d{6})<\/strong>/)[1];
});

test('GET /mina-sidor shows the citizen\'s cases with state and next step, audited', async () => {
	const before = await s.auditOf(1);
	const r = await page('medborgare', '/mina-sidor');
	assert.ok(r.text.includes(state.number));
	assert.ok(r.text.includes(state.secondNumber));
	assert.match(r.text, /Mottagen/);
	assert.match(r.text, /En handläggare tar kontakt med dig/);
	assert.match(r.text, new RegExp(`action="/arenden/${state.caseId}/aterta"`));
	const fresh = (await s.auditOf(1)).filter((a) => !before.some((b) => b.id === a.id));
	assert.ok(fresh.length >= 2);
	assert.ok(fresh.every((a) => a.action === 'list' && a.entity === 'case' && a.request_id === r.requestId));
	await page('handlaggare', '/mina-sidor', 403);
	await page('personal', '/mina-sidor', 403);
});

test('a representative applies for the person they represent and sees it under Mina sidor', async () => {
	const form = await page('godman', '/ansok');
	assert.match(form.text, /Ansökan gäller <strong>/);
	const r = await post('godman', '/ansok', {
		'service.matdistribution': '1', description: 'Mat hem varje dag', 'self.hemliv': 'Lagar ingen mat.',
	});
	assertHtml(r, 201);
	const number = r.text.match(/<strong>(\d{4}-\d{6})<\/strong>/)[1];
	const mine = await page('godman', '/mina-sidor');
	assert.match(mine.text, /<h2 id="person-3">Ärenden för /);
	assert.ok(mine.text.includes(number));
	assert.ok(!mine.text.includes(state.number), 'not the citizen\'s own case');
	const audit = (await s.auditOf(3)).filter((a) => a.request_id === mine.requestId);
	assert.ok(audit.some((a) => a.entity === 'case' && a.action === 'list'));
	assert.ok(audit.some((a) => a.entity === 'person' && a.action === 'list'));
});

test('GET /arenden is the work queue with the new cases to take', async () => {
	const r = await page('handlaggare', '/arenden');
	assert.match(r.text, /Nya ärenden att fördela/);
	assert.ok(r.text.includes(state.number));
	assert.match(r.text, new RegExp(`action="/arenden/${state.caseId}/tilldela"`));
	await page('medborgare', '/arenden', 403);
	await page('revisor', '/arenden', 403);
});

test('review 2026-11: finding 10, the work queue shows the follow-up flags of GET /api/v1/followups', async () => {
	const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
	const ends = await decision(s, { end: addDays(today, 10) });
	const late = await decision(s);
	s.sql(`UPDATE decisions SET followup_date = '${addDays(today, -3)}' WHERE id = ${late.d.id}`);
	const api = await s.as('handlaggare', 'GET', '/api/v1/followups');
	assert.equal(api.status, 200);
	const q = await page('handlaggare', '/arenden');
	assert.match(q.text, /<h2 id="folj-upp">Att följa upp<\/h2>/);
	const section = q.text.slice(q.text.indexOf('id="folj-upp"'), q.text.indexOf('</table>', q.text.indexOf('id="folj-upp"')));
	for (const i of api.json.items)
		assert.ok(section.includes(`href="/arenden/${i.case_id}#beslut-${i.decision_id}"`), `decision ${i.decision_id} flagged`);
	const rowOf = (x) => section.split('<tr>').find((t) => t.includes(`#beslut-${x.d.id}"`));
	assert.match(rowOf(ends), /Slutar snart/);
	assert.match(rowOf(ends), /Trygghetslarm/);
	assert.match(rowOf(late), /Uppföljningen är försenad/);
	assert.doesNotMatch(rowOf(late), /Slutar snart/);
	// The page's list is audited per person, as the API's is.
	const audit = (await s.auditOf(late.person.id)).filter((a) => a.request_id === q.requestId);
	assert.ok(audit.some((a) => a.entity === 'followup' && a.action === 'list'), JSON.stringify(audit));
});

test('POST /arenden/{id}/tilldela needs CSRF; with it the case is mine', async () => {
	const cookie = await cookieOf('handlaggare');
	assertHtml(await s.request('POST', `/arenden/${state.caseId}/tilldela`, { cookie, form: {} }), 403);
	const r = await post('handlaggare', `/arenden/${state.caseId}/tilldela`);
	assertRedirect(r, `/arenden/${state.caseId}#status`);
	const me = (await s.session('handlaggare')).user;
	const cs = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.caseId}`);
	assert.equal(cs.json.caseworker_id, me.id);
	const q = await page('handlaggare', '/arenden');
	const mineTable = q.text.slice(0, q.text.indexOf('Nya ärenden att fördela'));
	assert.ok(mineTable.includes(state.number), 'in my queue now');
});

test('the work queue marks a case whose investigation time has run out', async () => {
	const today = new Date().toISOString().slice(0, 10);
	const paper = await s.as('handlaggare', 'POST', '/api/v1/cases', {
		json: { person_id: 5, requests: [{ service: 'trygghetslarm', description: 'Larm' }], received_date: addDays(today, -60) },
	});
	assert.equal(paper.status, 201, paper.text);
	assertRedirect(await post('handlaggare', `/arenden/${paper.json.id}/tilldela`), `/arenden/${paper.json.id}#status`);
	const q = await page('handlaggare', '/arenden');
	const row = q.text.split('<tr>').find((t) => t.includes(paper.json.case_number));
	assert.ok(row, 'the case is in the queue');
	assert.match(row, /class="badge badge-late">Försenad</);
	assert.match(q.text, /försenade<\/strong>/);
	const fresh = q.text.split('<tr>').find((t) => t.includes(state.number));
	assert.doesNotMatch(fresh, /Försenad/);
});

test('GET /arenden/{id} is the case view, audited as exactly one read of the case', async () => {
	const before = await s.auditOf(1);
	const r = await page('handlaggare', `/arenden/${state.caseId}`);
	const fresh = (await s.auditOf(1)).filter((a) => !before.some((b) => b.id === a.id));
	assert.equal(fresh.length, 1);
	assert.equal(fresh[0].action, 'read');
	assert.equal(fresh[0].entity, 'case');
	assert.equal(fresh[0].entity_id, state.caseId);
	assert.equal(fresh[0].request_id, r.requestId);
	for (const part of ['ansokan', 'utredning', 'journal', 'beslut', 'tidslinje']) {
		assert.match(r.text, new RegExp(`<section class="case-part" id="${part}"`), part);
		assert.match(r.text, new RegExp(`href="#${part}"`), part);
	}
	assert.match(r.text, /Jag orkar inte städa längre\./, 'the self-assessment');
	assert.ok(!r.text.includes('<b>nu</b>'), 'the description is escaped');
	assert.ok(r.text.includes('&lt;b&gt;nu&lt;/b&gt;'));
	assert.match(r.text, /value="investigation"/, 'a button to start the investigation');
	assert.doesNotMatch(r.text, /value="decided"/, 'decisions come from the decision form');
	await page('medborgare', `/arenden/${state.caseId}`, 403);
	const other = await s.request('GET', `/arenden/${state.caseId}`, {
		token: await s.token('h2'),
	});
	assert.equal(other.status, 404, 'another municipality sees nothing');
});

test('POST /arenden/{id}/tillstand moves the case; a forbidden move is 422 with the reason', async () => {
	const r = await post('handlaggare', `/arenden/${state.caseId}/tillstand`, { to: 'investigation' });
	assertRedirect(r, `/arenden/${state.caseId}#status`);
	const bad = await post('handlaggare', `/arenden/${state.caseId}/tillstand`, { to: 'executing' });
	assertHtml(bad, 422);
	assert.match(bad.text, /Ärendet kan inte gå från Utreds till Insatsen pågår/);
	assertHtml(await post('handlaggare', `/arenden/${state.caseId}/tillstand`, { to: 'nonsense' }), 400);
	const cs = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.caseId}`);
	assert.equal(cs.json.state, 'investigation');
});

test('journal: a draft, changed, signed; a signed note only gets a correction', async () => {
	const empty = await post('handlaggare', `/arenden/${state.caseId}/journal`, { body: '  ' });
	assertHtml(empty, 400);
	assert.match(fieldError(empty.text, 'f-body') || '', /måste fyllas i/);
	assertRedirect(await post('handlaggare', `/arenden/${state.caseId}/journal`, { body: 'Hembesök bokat.' }),
		`/arenden/${state.caseId}#journal`);
	let view = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.caseId}`);
	const note = view.json.journal.find((n) => n.body === 'Hembesök bokat.');
	assert.ok(note && !note.signed);
	const html = (await page('handlaggare', `/arenden/${state.caseId}`)).text;
	assert.match(html, new RegExp(`action="/anteckningar/${note.id}"`), 'the author may change the draft');
	assert.match(html, new RegExp(`action="/anteckningar/${note.id}/signera"`));
	const stale = await post('handlaggare', `/anteckningar/${note.id}`, { body: 'x', version: String(note.version + 5) });
	assertHtml(stale, 409);
	assert.match(stale.text, /Anteckningen har ändrats/);
	assertRedirect(await post('handlaggare', `/anteckningar/${note.id}`, { body: 'Hembesök bokat till tisdag.', version: String(note.version) }),
		`/arenden/${state.caseId}#journal`);
	assertRedirect(await post('handlaggare', `/anteckningar/${note.id}/signera`), `/arenden/${state.caseId}#journal`);
	assertHtml(await post('handlaggare', `/anteckningar/${note.id}/signera`), 409);
	const changed = await post('handlaggare', `/anteckningar/${note.id}`, { body: 'ändrad', version: String(note.version + 2) });
	assertHtml(changed, 409);
	assertRedirect(await post('handlaggare', `/arenden/${state.caseId}/journal`, { body: 'Rättelse: onsdag.', corrects_id: String(note.id) }),
		`/arenden/${state.caseId}#journal`);
	view = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.caseId}`);
	const signed = view.json.journal.find((n) => n.id === note.id);
	assert.equal(signed.body, 'Hembesök bokat till tisdag.');
	assert.ok(signed.signed);
	assert.ok(view.json.journal.some((n) => n.corrects_id === note.id));
	assertHtml(await post('handlaggare', `/arenden/${state.caseId}/journal`, { body: 'x', corrects_id: 'abc' }), 400);
});

test('POST /arenden/{id}/bedomning adds an IBIC assessment; a bad area is 400', async () => {
	const bad = await post('handlaggare', `/arenden/${state.caseId}/bedomning`, { life_area: 'trädgård', functioning: 'x' });
	assertHtml(bad, 400);
	assert.match(fieldError(bad.text, 'f-life_area') || '', /välj/);
	assertRedirect(await post('handlaggare', `/arenden/${state.caseId}/bedomning`, {
		life_area: 'hemliv', functioning: 'Klarar inte tyngre städning.', own_view: 'Vill bo kvar.', goal: 'Ett rent hem',
	}), `/arenden/${state.caseId}#utredning`);
	const v = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.caseId}`);
	assert.deepEqual(v.json.assessments.map((a) => a.source).sort(), ['caseworker', 'self']);
});

test('POST /arenden/{id}/utredning starts the investigation from a template and changes it', async () => {
	const c = await s.as('handlaggare', 'POST', '/api/v1/cases', {
		json: { person_id: 1, requests: [{ service: 'hemtjanst_service', hours_per_month: 8 }] },
	});
	assert.equal(c.status, 201, c.text);
	const id = c.json.id;
	assert.equal((await s.as('handlaggare', 'POST', `/api/v1/cases/${id}/assign`, { json: {} })).status, 200);
	const start = await page('handlaggare', `/arenden/${id}`);
	assert.match(start.text, /Ny utredning från mall/);
	assert.match(start.text, /<option value="sol_aldre"[^>]*>Utredning SoL äldreomsorg<\/option>/);
	const bad = await post('handlaggare', `/arenden/${id}/utredning`, { template: 'sol_aldre', plan: 'Hembesök', planned_visit: '2026-13-45' });
	assertHtml(bad, 400);
	assert.ok(fieldError(bad.text, 'f-planned_visit'));
	assert.match(bad.text, /Hembesök/, 'the form keeps what was typed');
	assertRedirect(await post('handlaggare', `/arenden/${id}/utredning`, {
		template: 'sol_aldre', plan: 'Hembesök och samtal med dottern.', planned_visit: '2026-12-01',
	}), `/arenden/${id}#utredning`);
	const view = await page('handlaggare', `/arenden/${id}`);
	assert.match(view.text, /Hembesök och samtal med dottern\./);
	assert.match(view.text, /Avsnitt som krävs före beslut saknar text/);
	const inv = await s.as('handlaggare', 'GET', `/api/v1/cases/${id}/investigation`);
	const first = inv.json.sections[0];
	assert.match(view.text, new RegExp(`<textarea[^>]+name="avsnitt-${first.id}"`));
	const form = { version: '1', plan: inv.json.plan, planned_visit: '2026-12-01', [`avsnitt-${first.id}`]: 'Ansökan efter ett fall.' };
	assertRedirect(await post('handlaggare', `/arenden/${id}/utredning`, form), `/arenden/${id}#utredning`);
	const after = await s.as('handlaggare', 'GET', `/api/v1/cases/${id}/investigation`);
	assert.equal(after.json.sections[0].body, 'Ansökan efter ett fall.');
	assert.equal(after.json.version, 2);
	const stale = await post('handlaggare', `/arenden/${id}/utredning`, form);
	assertHtml(stale, 409);
	assert.match(stale.text, /utredningen har ändrats/i);
});

test('a decision beyond the delegation: 403 naming the level, then referred there', async () => {
	const start = addDays(state.received, 7);
	const big = {
		service: 'hemtjanst_service', outcome: 'granted', hours_per_month: '60',
		start_date: start, end_date: addDays(start, 180), reasoning: 'Behovet är stort.',
	};
	const r = await post('handlaggare', `/arenden/${state.caseId}/beslut`, big);
	assertHtml(r, 403);
	assert.match(r.text, /utanför din delegation; det fattas av enhetschef/);
	assert.match(r.text, /<label for="f-refer">Skicka till enhetschef för beslut<\/label>/);
	assert.match(r.text, /value="60"/, 'the form keeps what was typed');
	const ref = await post('handlaggare', `/arenden/${state.caseId}/beslut`, { ...big, refer: '1' });
	assertRedirect(ref, `/arenden/${state.caseId}#beslut`);
	const cs = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.caseId}`);
	assert.equal(cs.json.referred_to, 'enhetschef');
	assert.equal(cs.json.decisions.length, 0);
	const split = await post('handlaggare', `/arenden/${state.caseId}/beslut`, { ...big, hours_per_month: '30', hours_day: '20', hours_evening: '5' });
	assertHtml(split, 400);
	assert.match(fieldError(split.text, 'f-hours_day') || '', /tillsammans/);
	const noReason = await post('handlaggare', `/arenden/${state.caseId}/beslut`, { ...big, hours_per_month: '30', reasoning: '' });
	assertHtml(noReason, 400);
	assert.ok(fieldError(noReason.text, 'f-reasoning'));
	const badDate = await post('handlaggare', `/arenden/${state.caseId}/beslut`, { ...big, hours_per_month: '30', start_date: '2026-02-30' });
	assertHtml(badDate, 400);
	assert.match(fieldError(badDate.text, 'f-start_date') || '', /ÅÅÅÅ-MM-DD/);
	assertHtml(await post('medborgare', `/arenden/${state.caseId}/beslut`, big), 403);
});

test('a decision within the delegation: 303, and the citizen sees it with its letter', async () => {
	const start = addDays(state.received, 7);
	const r = await post('handlaggare', `/arenden/${state.caseId}/beslut`, {
		service: 'hemtjanst_service', outcome: 'granted', hours_per_month: '30', hours_day: '24',
		hours_evening: '6', start_date: start, end_date: addDays(start, 180), goals: 'Ett rent hem',
		reasoning: 'Behovet av hjälp med städning och tvätt är utrett.',
	});
	assertRedirect(r, `/arenden/${state.caseId}#beslut`);
	const cs = await s.as('handlaggare', 'GET', `/api/v1/cases/${state.caseId}`);
	assert.equal(cs.json.state, 'decided');
	assert.equal(cs.json.referred_to, null);
	const d = cs.json.decisions[0];
	assert.equal(d.delegation_point, '3.1.1');
	assert.equal(d.hours_day, 24);
	const view = await page('handlaggare', `/arenden/${state.caseId}`);
	assert.match(view.text, /Hemtjänst – serviceinsatser: Bifall/);
	assert.match(view.text, /30 timmar per månad \(dag 24, kväll 6\)/);
	assert.match(view.text, /Beslut fattas när ärendet utreds eller följs upp/);
	const mine = await page('medborgare', '/mina-sidor');
	assert.match(mine.text, /Beslut fattat/);
	assert.match(mine.text, new RegExp(`href="/api/v1/decisions/${d.id}/letter"`));
	const letter = await fetch(s.url(`/api/v1/decisions/${d.id}/letter`), {
		headers: { cookie: await cookieOf('medborgare') },
	});
	assert.equal(letter.status, 200);
	assert.match(letter.headers.get('content-type'), /application\/pdf/);
	await letter.arrayBuffer();
	assert.doesNotMatch(mine.text.slice(mine.text.indexOf(state.number)).split('</section>')[0],
		/aterta/, 'a decided case cannot be withdrawn');
});

test('POST /arenden/{id}/aterta: the citizen withdraws; twice is 422 on Mina sidor', async () => {
	const list = await s.as('medborgare', 'GET', '/api/v1/cases');
	const second = list.json.items.find((c) => c.case_number === state.secondNumber);
	const cookie = await cookieOf('medborgare');
	assertHtml(await s.request('POST', `/arenden/${second.id}/aterta`, { cookie, form: {} }), 403);
	assertRedirect(await post('medborgare', `/arenden/${second.id}/aterta`), '/mina-sidor');
	const again = await post('medborgare', `/arenden/${second.id}/aterta`);
	assertHtml(again, 422);
	assert.match(again.text, /<h1>Mina sidor<\/h1>/);
	assert.match(again.text, /Ärendet kan inte gå från Återtagen till Återtagen/);
	const cs = await s.as('medborgare', 'GET', `/api/v1/cases/${second.id}`);
	assert.equal(cs.json.state, 'withdrawn');
	assertHtml(await post('godman', `/arenden/${second.id}/aterta`), 404);
});

shutdownTest(test, () => s);
