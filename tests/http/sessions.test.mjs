// Sessions: log in, log out, who am I, lock-out, bearer and cookie authentication, CSRF.
import { after, before, test } from 'node:test';

import {
	assert, assertProblem, DEMO_PASSWORD, nextPnr, shutdownTest, startServer,
} from './harness.mjs';

const LOCK_PASSWORD = 'lock-password-1';
const CSRF_PASSWORD = 'csrf-password-1';

let s;
before(async () => {
	s = await startServer({
		users: [
			// Fresh users, so lock-out and logout never disturb a demo user.
			{ tenant: 'demo', username: 'lasmig', role: 'caseworker', password: LOCK_PASSWORD },
			{ tenant: 'demo', username: 'kaka', role: 'caseworker', password: CSRF_PASSWORD },
		],
	});
});
after(async () => {
	await s?.cleanup();
});

test('login gives 201 {token, expires_at, user:{id,username,roles}} and a session cookie',
	async () => {
		const before = Date.now();
		const r = await s.loginRaw('handlaggare');
		assert.equal(r.status, 201, r.text);
		assert.match(r.ct, /^application\/json/);
		const b = r.json;
		assert.match(b.token, /^[0-9a-f]{64}$/);
		assert.match(b.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
		const exp = Date.parse(b.expires_at);
		assert.ok(exp > before + 3600_000, 'expires at least an hour from now');
		assert.ok(exp < before + 48 * 3600_000, 'expires within two days');
		assert.equal(typeof b.user.id, 'number');
		assert.ok(Number.isInteger(b.user.id));
		assert.equal(b.user.username, 'handlaggare');
		assert.deepEqual(b.user.roles, ['caseworker']);
		assert.match(b.csrf_token, /^[0-9a-f]{64}$/);
		assert.equal(r.json.password, undefined);

		const cookie = r.cookies.find((c) => c.startsWith('hanna_session='));
		assert.ok(cookie, `session cookie in ${JSON.stringify(r.cookies)}`);
		assert.ok(cookie.startsWith(`hanna_session=${b.token};`), cookie);
		assert.match(cookie, /;\s*HttpOnly/i);
		assert.match(cookie, /;\s*SameSite=Strict/i);
		assert.match(cookie, /;\s*Path=\//i);
	});

test('two logins give two different tokens', async () => {
	const a = await s.loginRaw('chef');
	const b = await s.loginRaw('chef');
	assert.equal(a.status, 201);
	assert.equal(b.status, 201);
	assert.notEqual(a.json.token, b.json.token);
	assert.notEqual(a.json.csrf_token, b.json.csrf_token);
});

test('a wrong password is 401 problem+json, without a cookie', async () => {
	const r = await s.loginRaw('avgift', 'not-the-password');
	assertProblem(r, 401);
	assert.equal(r.json.token, undefined);
	assert.equal(r.cookies.filter((c) => c.startsWith('hanna_session=')).length, 0);
});

test('an unknown user or tenant is 401, the same answer as a wrong password', async () => {
	const unknownUser = await s.loginRaw('ingen-sadan', DEMO_PASSWORD);
	const unknownTenant = await s.loginRaw('handlaggare', DEMO_PASSWORD, 'no-such-tenant');
	const wrongTenant = await s.loginRaw('handlaggare', DEMO_PASSWORD, 'other');
	const wrongPassword = await s.loginRaw('ekonom', 'wrong-password-x');
	for (const r of [unknownUser, unknownTenant, wrongTenant, wrongPassword])
		assertProblem(r, 401);
	const shape = (r) => [r.json.type, r.json.title, r.json.detail];
	assert.deepEqual(shape(unknownUser), shape(wrongPassword));
	assert.deepEqual(shape(unknownTenant), shape(wrongPassword));
});

test('login validates its body: missing field 400, unknown field 400, wrong type 415',
	async () => {
		const missing = await s.post('/api/v1/sessions', { tenant: 'demo', username: 'admin' });
		assertProblem(missing, 400, 'password');
		const extra = await s.post('/api/v1/sessions', {
			tenant: 'demo', username: 'admin', password: DEMO_PASSWORD, remember: true,
		});
		assertProblem(extra, 400, 'remember');
		const form = await s.request('POST', '/api/v1/sessions', {
			body: `tenant=demo&username=admin&password=${DEMO_PASSWORD}`,
			type: 'application/x-www-form-urlencoded',
		});
		assertProblem(form, 415);
		const malformed = await s.request('POST', '/api/v1/sessions', {
			body: '{"tenant": "demo",', type: 'application/json',
		});
		assertProblem(malformed, 400);
	});

test('five wrong passwords lock the account (429), even for the right password', async () => {
	for (let i = 1; i <= 4; i++) {
		const r = await s.loginRaw('lasmig', `wrong-password-${i}`);
		assertProblem(r, 401);
	}
	const fifth = await s.loginRaw('lasmig', 'wrong-password-5');
	assert.ok([401, 429].includes(fifth.status), `fifth failure: ${fifth.status}`);
	const right = await s.loginRaw('lasmig', LOCK_PASSWORD);
	assertProblem(right, 429);
	assert.equal(right.json.token, undefined);
	assert.equal(right.cookies.filter((c) => c.startsWith('hanna_session=')).length, 0);
	assert.match(right.headers.get('retry-after') || '', /^\d+$/);
	// The lock is the account's, not the server's: others still log in.
	const other = await s.loginRaw('ekonom');
	assert.equal(other.status, 201);
});

test('GET /api/v1/me says who you are', async () => {
	const { token } = await s.session('handlaggare');
	const r = await s.get('/api/v1/me', { token });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.username, 'handlaggare');
	assert.equal(r.json.tenant, 'demo');
	assert.deepEqual(r.json.roles, ['caseworker']);
	assert.ok(Number.isInteger(r.json.id));
	assert.match(r.json.csrf_token, /^[0-9a-f]{64}$/);

	const c = await s.get('/api/v1/me', { token: await s.token('medborgare') });
	assert.equal(c.status, 200);
	assert.deepEqual(c.json.roles, ['citizen']);
	assert.equal(c.json.person_id, 1);

	const h2 = await s.get('/api/v1/me', { token: await s.token('h2') });
	assert.equal(h2.status, 200);
	assert.equal(h2.json.tenant, 'other');
	assert.equal(h2.json.username, 'h2');
});

test('every demo user can log in with its role', async () => {
	const roles = {
		admin: 'admin', avgift: 'fee_admin', chef: 'unit_manager', ekonom: 'finance',
		revisor: 'auditor', utforare: 'provider_admin', personal: 'provider_staff',
		godman: 'representative',
	};
	for (const [u, role] of Object.entries(roles)) {
		const me = await s.get('/api/v1/me', { token: await s.token(u) });
		assert.equal(me.status, 200);
		assert.deepEqual(me.json.roles, [role], u);
	}
});

test('GET /api/v1/me without a token is 401 with WWW-Authenticate', async () => {
	const r = await s.get('/api/v1/me');
	assertProblem(r, 401);
	assert.match(r.headers.get('www-authenticate') || '', /^Bearer\b/);
});

test('a garbage or malformed token is 401', async () => {
	for (const auth of [
		`Bearer ${'0'.repeat(64)}`,
		`Bearer ${'ab'.repeat(32)}`,
		'Bearer short',
		'Bearer ',
		'Basic YWRtaW46ZGVtby1wYXNzd29yZC0x',
	]) {
		const r = await s.get('/api/v1/me', { headers: { authorization: auth } });
		assertProblem(r, 401);
		assert.ok(r.headers.get('www-authenticate'), auth);
	}
	const badCookie = await s.get('/api/v1/me', { cookie: `hanna_session=${'f'.repeat(64)}` });
	assertProblem(badCookie, 401);
});

test('the session cookie alone authenticates reads', async () => {
	const login = await s.loginRaw('kaka', CSRF_PASSWORD);
	const r = await s.get('/api/v1/me', { cookie: `hanna_session=${login.json.token}` });
	assert.equal(r.status, 200, r.text);
	assert.equal(r.json.username, 'kaka');
});

test('DELETE /api/v1/sessions/current is 204, then the token gives 401', async () => {
	const login = await s.loginRaw('chef');
	const token = login.json.token;
	assert.equal((await s.get('/api/v1/me', { token })).status, 200);
	const out = await s.request('DELETE', '/api/v1/sessions/current', { token });
	assert.equal(out.status, 204, out.text);
	assert.equal(out.text, '');
	const cleared = out.cookies.find((c) => c.startsWith('hanna_session='));
	assert.ok(cleared, 'the cookie is cleared');
	assert.match(cleared, /Max-Age=0/i);
	assertProblem(await s.get('/api/v1/me', { token }), 401);
	assertProblem(await s.request('DELETE', '/api/v1/sessions/current', { token }), 401);
	assertProblem(await s.get('/api/v1/persons/1', { token }), 401);
	// Other sessions of the same user live on.
	const other = await s.loginRaw('chef');
	assert.equal((await s.get('/api/v1/me', { token: other.json.token })).status, 200);
});

test('DELETE /api/v1/sessions/current without a session is 401', async () => {
	assertProblem(await s.request('DELETE', '/api/v1/sessions/current'), 401);
});

test('CSRF: a cookie-authenticated POST without X-CSRF-Token is 403', async () => {
	const login = await s.loginRaw('kaka', CSRF_PASSWORD);
	const cookie = `hanna_session=${login.json.token}`;
	const r = await s.post('/api/v1/persons', {
		personnummer: nextPnr().twelve, given_name: 'Csrf', family_name: 'Saknas',
	}, { cookie });
	assertProblem(r, 403);
	const wrong = await s.post('/api/v1/persons', {
		personnummer: nextPnr().twelve, given_name: 'Csrf', family_name: 'Fel',
	}, { cookie, headers: { 'x-csrf-token': 'a'.repeat(64) } });
	assertProblem(wrong, 403);
	// Another session's token does not do either.
	const otherLogin = await s.loginRaw('kaka', CSRF_PASSWORD);
	const foreign = await s.post('/api/v1/persons', {
		personnummer: nextPnr().twelve, given_name: 'Csrf', family_name: 'Annan',
	}, { cookie, headers: { 'x-csrf-token': otherLogin.json.csrf_token } });
	assertProblem(foreign, 403);
});

test('CSRF: with the csrf_token from login the cookie-authenticated POST is 201', async () => {
	const login = await s.loginRaw('kaka', CSRF_PASSWORD);
	const pn = nextPnr();
	const r = await s.post('/api/v1/persons', {
		personnummer: pn.twelve, given_name: 'Csrf', family_name: 'Finns',
	}, { cookie: `hanna_session=${login.json.token}`, headers: { 'x-csrf-token': login.json.csrf_token } });
	assert.equal(r.status, 201, r.text);
	assert.equal(r.json.personnummer, pn.twelve);
});

test('CSRF: logging out by cookie needs the token too', async () => {
	const login = await s.loginRaw('kaka', CSRF_PASSWORD);
	const cookie = `hanna_session=${login.json.token}`;
	assertProblem(await s.request('DELETE', '/api/v1/sessions/current', { cookie }), 403);
	assert.equal((await s.get('/api/v1/me', { cookie })).status, 200, 'still logged in');
	const out = await s.request('DELETE', '/api/v1/sessions/current', {
		cookie, headers: { 'x-csrf-token': login.json.csrf_token },
	});
	assert.equal(out.status, 204);
	assertProblem(await s.get('/api/v1/me', { cookie }), 401);
});

test('CSRF: a bearer-token POST needs no CSRF token', async () => {
	const r = await s.as('handlaggare', 'POST', '/api/v1/persons', {
		json: { personnummer: nextPnr().twelve, given_name: 'Bearer', family_name: 'Utan' },
	});
	assert.equal(r.status, 201, r.text);
});

shutdownTest(test, () => s);
