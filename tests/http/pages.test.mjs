// The HTML pages: login form and cookie login, start page, person search and person page,
// new-person form, audit view, logout, and CSRF on forms.
import { after, before, test } from 'node:test';

import {
	assert, badCheckDigit, DEMO_PASSWORD, nextPnr, shutdownTest, startServer,
} from './harness.mjs';

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

// Logs in through the form; returns {cookie, res}.
async function formLogin(username, password = DEMO_PASSWORD, tenant = 'demo') {
	const res = await s.request('POST', '/logga-in', { form: { tenant, username, password } });
	const set = res.cookies.find((c) => c.startsWith('hanna_session='));
	const cookie = set ? set.split(';')[0] : null;
	return { cookie, res };
}

// The csrf hidden field of a page.
function csrfOf(html) {
	const m = html.match(/name="csrf"\s+value="([0-9a-f]{64})"/)
		|| html.match(/value="([0-9a-f]{64})"\s+name="csrf"/);
	return m ? m[1] : null;
}

function assertHtml(r, status = 200) {
	assert.equal(r.status, status, `${r.status}: ${r.text.slice(0, 300)}`);
	assert.match(r.ct, /^text\/html/);
	assert.match(r.text, /<!doctype html>/i);
	assert.match(r.text, /<html lang="sv"/);
}

const sessions = new Map();
async function cookieOf(username) {
	if (!sessions.has(username)) {
		const { cookie, res } = await formLogin(username);
		assert.equal(res.status, 303, `form login ${username}: ${res.status}`);
		sessions.set(username, cookie);
	}
	return sessions.get(username);
}

test('GET /logga-in is 200 text/html with the login form', async () => {
	const r = await s.get('/logga-in');
	assertHtml(r);
	assert.match(r.text, /<form[^>]+method="post"[^>]+action="\/logga-in"/);
	for (const name of ['tenant', 'username', 'password'])
		assert.match(r.text, new RegExp(`name="${name}"`), name);
	assert.match(r.text, /type="password"/);
});

test('GET / without login is 303 to /logga-in', async () => {
	const r = await s.get('/');
	assert.equal(r.status, 303);
	assert.equal(r.headers.get('location'), '/logga-in');
});

test('pages that need a login redirect to /logga-in', async () => {
	for (const p of ['/personer?q=an', '/personer/5', '/personer/ny', '/granskning']) {
		const r = await s.get(p);
		assert.equal(r.status, 303, p);
		assert.equal(r.headers.get('location'), '/logga-in', p);
	}
});

test('POST /logga-in with tenant/username/password is 303 with a session cookie', async () => {
	const { cookie, res } = await formLogin('handlaggare');
	assert.equal(res.status, 303);
	assert.equal(res.headers.get('location'), '/');
	assert.ok(cookie, 'a session cookie');
	const set = res.cookies.find((c) => c.startsWith('hanna_session='));
	assert.match(set, /HttpOnly/i);
	assert.match(set, /SameSite=Strict/i);
	const start = await s.get('/', { cookie });
	assertHtml(start);
	assert.match(start.text, /Helena Handläggare/);
	assert.match(start.text, /href="\/personer"/);
	// Logged in, the login page sends you on.
	const again = await s.get('/logga-in', { cookie });
	assert.equal(again.status, 303);
	assert.equal(again.headers.get('location'), '/');
});

test('POST /logga-in with a wrong password is 401 HTML with the form, no cookie', async () => {
	const { cookie, res } = await formLogin('handlaggare', 'wrong-password-9');
	assertHtml(res, 401);
	assert.equal(cookie, null);
	assert.match(res.text, /name="password"/);
	const empty = await s.request('POST', '/logga-in', { form: { tenant: 'demo' } });
	assertHtml(empty, 400);
	const json = await s.request('POST', '/logga-in', {
		json: { tenant: 'demo', username: 'admin', password: DEMO_PASSWORD },
	});
	assert.equal(json.status, 415);
});

test('GET /personer?q=an is 200 HTML listing matches', async () => {
	const cookie = await cookieOf('handlaggare');
	const api = await s.as('handlaggare', 'GET', '/api/v1/persons?q=an&limit=5');
	const r = await s.get('/personer?q=an', { cookie });
	assertHtml(r);
	for (const p of api.json.items.slice(0, 3))
		assert.ok(r.text.includes(`/personer/${p.id}`), `a link to person ${p.id}`);
	const form = await s.get('/personer', { cookie });
	assertHtml(form);
	assert.match(form.text, /name="q"/);
});

test('GET /personer/5 is 200 HTML showing the person, and is audited', async () => {
	const cookie = await cookieOf('handlaggare');
	const api = await s.as('handlaggare', 'GET', '/api/v1/persons/5');
	const before = (await s.auditOf(5)).length;
	const r = await s.get('/personer/5', { cookie });
	assertHtml(r);
	assert.ok(r.text.includes(api.json.family_name), 'the family name is on the page');
	assert.ok(r.text.includes(api.json.given_name), 'the given name is on the page');
	const recs = await s.auditOf(5);
	assert.equal(recs.length, before + 1);
	assert.equal(recs[0].request_id, r.requestId);
	assert.equal(recs[0].action, 'read');
});

test('the person page escapes what a user typed (no markup injection)', async () => {
	const p = await s.createPerson({
		given_name: '<script>alert(1)</script>', family_name: 'Tag"s & <b>fet</b>',
	});
	const cookie = await cookieOf('handlaggare');
	const r = await s.get(`/personer/${p.id}`, { cookie });
	assertHtml(r);
	assert.ok(!r.text.includes('<script>alert(1)</script>'), 'the script tag is escaped');
	assert.ok(!r.text.includes('<b>fet</b>'), 'the b tag is escaped');
	assert.ok(r.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'shown as text');
	const list = await s.get(`/personer?q=${encodeURIComponent('Tag"s')}`, { cookie });
	assertHtml(list);
	assert.ok(!list.text.includes('<b>fet</b>'));
});

test('the person page and the search page hide a protected address', async () => {
	const p = await s.createPerson({
		family_name: 'Skyddadsson', protected_identity: true, phone: '070-999 88 77',
		address: { street: 'Lönngången 12', postal_code: '73399', city: 'Hemlingby' },
	});
	const cookie = await cookieOf('handlaggare');
	const page = await s.get(`/personer/${p.id}`, { cookie });
	assertHtml(page);
	assert.ok(page.text.includes('Skyddadsson'));
	for (const secret of ['Lönngången', 'Hemlingby', '733 99', '999 88 77'])
		assert.ok(!page.text.includes(secret), `${secret} is not on the person page`);
	const list = await s.get('/personer?q=Skyddadsson', { cookie });
	assertHtml(list);
	assert.ok(list.text.includes(`/personer/${p.id}`));
	for (const secret of ['Lönngången', 'Hemlingby'])
		assert.ok(!list.text.includes(secret), `${secret} is not in the search results`);
});

test('person pages keep need-to-know: 404 for another\'s person, 403 for search', async () => {
	const citizen = await cookieOf('medborgare');
	assertHtml(await s.get('/personer/1', { cookie: citizen }));
	assertHtml(await s.get('/personer/2', { cookie: citizen }), 404);
	assertHtml(await s.get('/personer?q=an', { cookie: citizen }), 403);
	const staff = await cookieOf('personal');
	assertHtml(await s.get('/personer/5', { cookie: staff }), 404);
});

test('GET /personer/ny is the new-person form with a CSRF field', async () => {
	const cookie = await cookieOf('handlaggare');
	const r = await s.get('/personer/ny', { cookie });
	assertHtml(r);
	assert.ok(csrfOf(r.text), 'a csrf hidden field');
	assert.match(r.text, /name="personnummer"/);
	const chef = await cookieOf('chef');
	assertHtml(await s.get('/personer/ny', { cookie: chef }), 403);
});

test('POST /personer with the CSRF field creates the person: 303 to its page', async () => {
	const cookie = await cookieOf('handlaggare');
	const csrf = csrfOf((await s.get('/personer/ny', { cookie })).text);
	const pn = nextPnr();
	const r = await s.request('POST', '/personer', {
		cookie,
		form: { csrf, personnummer: pn.tenDash, given_name: 'Form', family_name: 'Formsson' },
	});
	assert.equal(r.status, 303, r.text.slice(0, 300));
	const loc = r.headers.get('location') || '';
	assert.match(loc, /^\/personer\/\d+$/);
	const id = Number(loc.split('/').pop());
	const api = await s.as('handlaggare', 'GET', `/api/v1/persons/${id}`);
	assert.equal(api.status, 200);
	assert.equal(api.json.personnummer, pn.twelve);
	assert.equal(api.json.family_name, 'Formsson');
	const recs = await s.auditOf(id);
	assert.ok(recs.some((a) => a.action === 'create' && a.request_id === r.requestId));
});

test('POST /personer with a bad number is 400 HTML showing the error; twice is 409', async () => {
	const cookie = await cookieOf('handlaggare');
	const csrf = csrfOf((await s.get('/personer/ny', { cookie })).text);
	const bad = await s.request('POST', '/personer', {
		cookie,
		form: { csrf, personnummer: badCheckDigit(nextPnr().twelve), given_name: 'A', family_name: 'B' },
	});
	assertHtml(bad, 400);
	assert.match(bad.text, /personnummer/);
	const pn = nextPnr();
	const form = { csrf, personnummer: pn.twelve, given_name: 'Dubbel', family_name: 'Dubbelsson' };
	assert.equal((await s.request('POST', '/personer', { cookie, form })).status, 303);
	assertHtml(await s.request('POST', '/personer', { cookie, form }), 409);
});

test('CSRF: POST /personer without or with a wrong csrf field is 403', async () => {
	const cookie = await cookieOf('handlaggare');
	const form = { personnummer: nextPnr().twelve, given_name: 'Utan', family_name: 'Token' };
	assertHtml(await s.request('POST', '/personer', { cookie, form }), 403);
	assertHtml(await s.request('POST', '/personer', { cookie, form: { ...form, csrf: 'b'.repeat(64) } }),
		403);
	const search = await s.as('handlaggare', 'GET', `/api/v1/persons?q=${form.personnummer}`);
	assert.deepEqual(search.json.items, [], 'nothing was created');
});

test('GET /granskning is the audit view for the auditor, 403 for others', async () => {
	const revisor = await cookieOf('revisor');
	assertHtml(await s.get('/granskning', { cookie: revisor }));
	const r = await s.get('/granskning?person_id=5', { cookie: revisor });
	assertHtml(r);
	assert.match(r.text, /handlaggare/);
	const bad = await s.get('/granskning?person_id=abc', { cookie: revisor });
	assertHtml(bad, 400);
	const cw = await cookieOf('handlaggare');
	assertHtml(await s.get('/granskning', { cookie: cw }), 403);
});

test('POST /logga-ut needs the CSRF field; with it, 303 to /logga-in and the cookie dies',
	async () => {
		const { cookie } = await formLogin('avgift');
		const start = await s.get('/', { cookie });
		assertHtml(start);
		const csrf = csrfOf(start.text);
		assert.ok(csrf, 'the start page carries a csrf field (logout form)');
		assertHtml(await s.request('POST', '/logga-ut', { cookie, form: {} }), 403);
		const out = await s.request('POST', '/logga-ut', { cookie, form: { csrf } });
		assert.equal(out.status, 303);
		assert.equal(out.headers.get('location'), '/logga-in');
		const after = await s.get('/', { cookie });
		assert.equal(after.status, 303);
		assert.equal(after.headers.get('location'), '/logga-in');
	});

test('page answers carry the security headers and X-Request-Id', async () => {
	const cookie = await cookieOf('handlaggare');
	for (const p of ['/', '/personer?q=an', '/personer/5', '/logga-in']) {
		const r = await s.get(p, { cookie });
		assert.equal(r.headers.get('x-content-type-options'), 'nosniff', p);
		assert.equal(r.headers.get('x-frame-options'), 'DENY', p);
		assert.match(r.headers.get('content-security-policy') || '', /default-src/, p);
		assert.match(r.requestId || '', /^[0-9a-f]{16}$/, p);
	}
});

shutdownTest(test, () => s);
