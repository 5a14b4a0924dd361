// Helpers of the HTTP integration suite (tests/http/*.test.mjs, run by tests/http/run).
//
// Every test file starts its own server on its own fresh database (startServer), so files are
// independent of each other and of the order they run in. The database is seeded like a
// developer's: `hanna demo` (tenant demo, ten users, 2000 synthetic persons), a second tenant
// `other` with one caseworker `h2`, and any extra users a file asks for.
//
// Environment:
//   HANNA_BIN            the binary (default build/hanna, relative to the repository root)
//   HANNA_TEST_ENGINE    sqlite (default) or pg
//   HANNA_TEST_PG_URL    pg only: the URL of a running throwaway cluster (scripts/pg-cluster);
//                        each file creates its own database in it
//   HANNA_TEST_KEEP      set to 1 to keep the databases and server logs of the files
//
// Node 20 built-ins only: node:test, node:assert, fetch. No npm packages.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { assert };

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
export const BIN = path.resolve(ROOT, process.env.HANNA_BIN || 'build/hanna');
export const ENGINE = process.env.HANNA_TEST_ENGINE || 'sqlite';
export const PG_BASE_URL = process.env.HANNA_TEST_PG_URL || '';
export const KEEP = process.env.HANNA_TEST_KEEP === '1';

export const DEMO_PASSWORD = 'demo-password-1';
export const OTHER_PASSWORD = 'other-password-1';

// The demo users (shared/API.md, Roles) and their one role each.
export const DEMO_ROLES = {
	admin: 'admin',
	handlaggare: 'caseworker',
	avgift: 'fee_admin',
	chef: 'unit_manager',
	ekonom: 'finance',
	revisor: 'auditor',
	utforare: 'provider_admin',
	personal: 'provider_staff',
	medborgare: 'citizen',
	godman: 'representative',
};

if (!['sqlite', 'pg'].includes(ENGINE))
	throw new Error(`HANNA_TEST_ENGINE must be sqlite or pg, not '${ENGINE}'`);
if (ENGINE === 'pg' && !PG_BASE_URL)
	throw new Error('HANNA_TEST_ENGINE=pg needs HANNA_TEST_PG_URL (see tests/http/run)');

// ---- processes --------------------------------------------------------------------------

// Runs hanna with args; returns {status, stdout, stderr}. opts: input (stdin), env (added).
export function hanna(args, opts = {}) {
	const r = spawnSync(BIN, args, {
		input: opts.input ?? '',
		env: { ...process.env, ...(opts.env || {}) },
		encoding: 'utf8',
		timeout: opts.timeout ?? 120_000,
	});
	if (r.error)
		throw r.error;
	return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

// Runs hanna and fails with its output unless it exits 0.
export function hannaOk(args, opts = {}) {
	const r = hanna(args, opts);
	assert.equal(r.status, 0,
		`hanna ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
	return r;
}

// Runs psql against url with one SQL command; returns trimmed unaligned output.
export function psql(url, sql) {
	const r = spawnSync('psql', ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', url, '-c', sql],
		{ encoding: 'utf8', timeout: 60_000 });
	if (r.error)
		throw r.error;
	assert.equal(r.status, 0, `psql '${sql}' exited ${r.status}: ${r.stderr}`);
	return r.stdout.trim();
}

// Runs python3 with a program and arguments; returns trimmed stdout.
export function python(program, args = []) {
	const r = spawnSync('python3', ['-c', program, ...args], { encoding: 'utf8', timeout: 60_000 });
	if (r.error)
		throw r.error;
	assert.equal(r.status, 0, `python3 exited ${r.status}: ${r.stderr}`);
	return r.stdout.trim();
}

// A TCP port on 127.0.0.1 that is free right now.
export function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.unref();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Resolves to null after ms without keeping the process alive (for races with a deadline).
export const deadline = (ms) => new Promise((r) => setTimeout(r, ms, null).unref());

// ---- databases --------------------------------------------------------------------------

// A fresh, empty database for one test file: {url, kind, dir, name, drop()}.
const liveDirs = new Set();
process.on('exit', () => {
	if (!KEEP)
		for (const d of liveDirs)
			fs.rmSync(d, { recursive: true, force: true });
});

export function createDatabase() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hanna-http-'));
	liveDirs.add(dir);
	if (ENGINE === 'sqlite') {
		return {
			kind: 'sqlite', dir, path: path.join(dir, 'hanna.db'),
			url: `sqlite:${path.join(dir, 'hanna.db')}`,
			drop() {
				if (!KEEP)
					fs.rmSync(dir, { recursive: true, force: true });
				liveDirs.delete(dir);
			},
		};
	}
	const name = `http_${process.pid}_${randomBytes(4).toString('hex')}`;
	psql(PG_BASE_URL, `CREATE DATABASE ${name}`);
	const u = new URL(PG_BASE_URL);
	u.pathname = `/${name}`;
	return {
		kind: 'pg', dir, name, url: u.toString(),
		drop() {
			if (KEEP)
				return;
			try {
				psql(PG_BASE_URL, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			} finally {
				fs.rmSync(dir, { recursive: true, force: true });
				liveDirs.delete(dir);
			}
		},
	};
}

// One SQL statement on db ({kind, path, url}) by python's sqlite3 or psql; rows as lines of
// |-separated values (for a statement without rows: the row count on SQLite, '' on pg).
export function runSql(db, statement) {
	if (db.kind === 'sqlite') {
		return python('import sqlite3,sys\nc = sqlite3.connect(sys.argv[1])\n'
			+ 'cur = c.execute(sys.argv[2])\nrows = cur.fetchall()\nc.commit()\n'
			+ 'print("\\n".join("|".join(str(v) for v in r) for r in rows) if rows else '
			+ '("" if cur.description else cur.rowcount))', [db.path, statement]);
	}
	return psql(db.url, statement);
}

// Another fresh database on the same engine (e.g. to restore a backup into).
export function createScratchDatabase() {
	return createDatabase();
}

// Seeds db like a developer's: demo, tenant other with caseworker h2, extra users.
// users: [{tenant, username, role, password, args: [...]}]; demoArgs: extra arguments of
// `hanna demo` (e.g. ['--cases', '150'] for a case history with accepted provider orders).
export function seed(db, users = [], demoArgs = []) {
	hannaOk(['demo', '--db', db.url, ...demoArgs], { env: { HANNA_DEMO_PASSWORD: DEMO_PASSWORD } });
	hannaOk(['tenant', 'add', '--name', 'other', '--db', db.url]);
	const all = [{ tenant: 'other', username: 'h2', role: 'caseworker', password: OTHER_PASSWORD },
		...users];
	for (const u of all) {
		hannaOk(['user', 'add', '--tenant', u.tenant, '--username', u.username, '--role', u.role,
			...(u.args || []), '--password-stdin', '--db', db.url], { input: `${u.password}\n` });
	}
}

// ---- HTTP -------------------------------------------------------------------------------

// One answer, read in full: {status, headers, text, json, ct, requestId, res}.
export async function readResponse(res) {
	const text = await res.text();
	let json;
	const ct = res.headers.get('content-type') || '';
	if (/json/.test(ct) && text.length) {
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
	}
	return {
		status: res.status, headers: res.headers, text, json, ct,
		requestId: res.headers.get('x-request-id'),
		cookies: res.headers.getSetCookie(), res,
	};
}

// Asserts an RFC 9457 problem answer; with field, that errors[0].field is it.
export function assertProblem(r, status, field) {
	const ctx = `${r.status} ${r.text.slice(0, 400)}`;
	assert.equal(r.status, status, `status: ${ctx}`);
	assert.match(r.ct, /^application\/problem\+json/, `content type: ${ctx}`);
	assert.ok(r.json && typeof r.json === 'object', `a JSON body: ${ctx}`);
	assert.equal(typeof r.json.type, 'string', `type: ${ctx}`);
	assert.ok(r.json.type.length > 0, `type: ${ctx}`);
	assert.equal(typeof r.json.title, 'string', `title: ${ctx}`);
	assert.equal(r.json.status, status, `status member: ${ctx}`);
	assert.equal(typeof r.json.detail, 'string', `detail: ${ctx}`);
	if (r.json.errors !== undefined) {
		assert.ok(Array.isArray(r.json.errors), `errors is a list: ${ctx}`);
		for (const e of r.json.errors) {
			assert.equal(typeof e.field, 'string', `errors[].field: ${ctx}`);
			assert.equal(typeof e.message, 'string', `errors[].message: ${ctx}`);
			assert.ok(e.message.length > 0, `errors[].message: ${ctx}`);
		}
	}
	if (field !== undefined) {
		assert.ok(Array.isArray(r.json.errors) && r.json.errors.length > 0,
			`field errors expected: ${ctx}`);
		assert.equal(r.json.errors[0].field, field, `errors[0].field: ${ctx}`);
	}
	return r.json;
}

// Fields named in a problem's errors.
export function errorFields(r) {
	return (r.json?.errors || []).map((e) => e.field);
}

// ---- the server -------------------------------------------------------------------------

// Never leave a server behind, whatever ends this process.
const liveServers = new Set();
function killServers() {
	for (const p of liveServers)
		p.kill('SIGKILL');
}
process.on('exit', killServers);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.once(sig, () => {
		killServers();
		process.exit(1);
	});
}

export class Server {
	constructor(db, opts) {
		this.db = db;
		this.opts = opts;
		this.tokens = new Map();
		this.proc = null;
		this.exit = null;
	}

	// Starts `hanna serve` on a free port and waits until /healthz answers.
	async start() {
		for (let attempt = 1; ; attempt++) {
			this.port = await freePort();
			this.base = `http://127.0.0.1:${this.port}`;
			this.logPath = path.join(this.db.dir, `serve-${this.port}.log`);
			const log = fs.openSync(this.logPath, 'a');
			this.proc = spawn(BIN, ['serve', '--db', this.db.url, '--listen', `127.0.0.1:${this.port}`],
				{ stdio: ['ignore', log, log] });
			fs.closeSync(log);
			this.exit = new Promise((resolve) => {
				this.proc.on('exit', (code, signal) => resolve({ code, signal }));
			});
			this.proc.on('error', () => {});
			liveServers.add(this.proc);
			this.proc.on('exit', () => liveServers.delete(this.proc));
			const up = await this.waitHealthy(15_000);
			if (up)
				return this;
			const ended = await Promise.race([this.exit, deadline(10)]);
			if (!ended)
				this.proc.kill('SIGKILL');
			await this.exit;
			if (attempt >= 3)
				throw new Error(`hanna serve did not come up:\n${this.logTail()}`);
		}
	}

	async waitHealthy(ms) {
		const until = Date.now() + ms;
		let exited = false;
		this.exit.then(() => { exited = true; });
		while (Date.now() < until && !exited) {
			try {
				const res = await fetch(`${this.base}/healthz`);
				await res.arrayBuffer();
				if (res.status === 200)
					return true;
			} catch {
				// not listening yet
			}
			await sleep(25);
		}
		return false;
	}

	// The server's log (stdout and stderr), whole.
	log() {
		try {
			return fs.readFileSync(this.logPath, 'utf8');
		} catch {
			return '(no log)';
		}
	}

	logTail(n = 40) {
		return this.log().split('\n').slice(-n).join('\n');
	}

	get running() {
		return this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
	}

	// Sends SIGTERM and waits for the exit: {code, signal}. Kills after timeoutMs.
	async stop(timeoutMs = 20_000) {
		if (!this.proc)
			return { code: null, signal: null };
		if (this.running)
			this.proc.kill('SIGTERM');
		const r = await Promise.race([this.exit, deadline(timeoutMs)]);
		if (r)
			return r;
		this.proc.kill('SIGKILL');
		await this.exit;
		return { code: null, signal: 'timeout' };
	}

	// Stops the server if still running and removes the database (after hook).
	async cleanup() {
		if (this.running) {
			this.proc.kill('SIGKILL');
			await this.exit;
		}
		this.db.drop();
	}

	// Starts another `hanna serve` on this server's database, as a second process behind a load
	// balancer would run. Its cleanup stops it and leaves the database to this server's cleanup
	// (call it first).
	startPeer() {
		return new Server({ ...this.db, drop() {} }, this.opts).start();
	}

	url(p) {
		return `${this.base}${p}`;
	}

	// One request. opts: token, cookie, json (object, sent as JSON), body (raw), type
	// (content type), headers, method. Never follows redirects.
	async request(method, p, opts = {}) {
		const headers = { ...(opts.headers || {}) };
		if (opts.token)
			headers.authorization = `Bearer ${opts.token}`;
		if (opts.cookie)
			headers.cookie = opts.cookie;
		let body = opts.body;
		if (opts.json !== undefined) {
			body = JSON.stringify(opts.json);
			headers['content-type'] ??= 'application/json';
		}
		if (opts.type)
			headers['content-type'] = opts.type;
		if (opts.form) {
			body = new URLSearchParams(opts.form).toString();
			headers['content-type'] ??= 'application/x-www-form-urlencoded';
		}
		const res = await fetch(this.url(p), { method, headers, body, redirect: 'manual' });
		return readResponse(res);
	}

	get(p, opts) {
		return this.request('GET', p, opts);
	}

	post(p, json, opts = {}) {
		return this.request('POST', p, { ...opts, json });
	}

	patch(p, json, opts = {}) {
		return this.request('PATCH', p, { ...opts, json });
	}

	// Logs in and returns the whole answer (a new session every time).
	async loginRaw(username, password = DEMO_PASSWORD, tenant = 'demo') {
		return this.post('/api/v1/sessions', { tenant, username, password });
	}

	// The session of a user: logged in once per file (argon2id makes logins cost).
	// Returns {token, csrf, user}.
	session(username, password, tenant) {
		if (!password) {
			password = username === 'h2' ? OTHER_PASSWORD : DEMO_PASSWORD;
			tenant ??= username === 'h2' ? 'other' : 'demo';
		}
		tenant ??= 'demo';
		const key = `${tenant}/${username}`;
		if (!this.tokens.has(key)) {
			const p = this.loginRaw(username, password, tenant).then((r) => {
				assert.equal(r.status, 201, `login ${key}: ${r.status} ${r.text}`);
				return { token: r.json.token, csrf: r.json.csrf_token, user: r.json.user };
			});
			p.catch(() => this.tokens.delete(key));
			this.tokens.set(key, p);
		}
		return this.tokens.get(key);
	}

	async token(username) {
		return (await this.session(username)).token;
	}

	// GET as a user.
	async as(username, method, p, opts = {}) {
		const token = await this.token(username);
		return this.request(method, p, { ...opts, token });
	}

	// All audit records about a person, newest first (as revisor, following the cursor).
	async auditOf(personId) {
		const token = await this.token('revisor');
		const items = [];
		let cursor = '';
		for (let i = 0; i < 100; i++) {
			const q = `/api/v1/audit?person_id=${personId}&limit=500${cursor ? `&cursor=${cursor}` : ''}`;
			const r = await this.get(q, { token });
			assert.equal(r.status, 200, `audit list: ${r.status} ${r.text}`);
			items.push(...r.json.items);
			if (!r.json.next_cursor)
				return items;
			cursor = encodeURIComponent(r.json.next_cursor);
		}
		throw new Error('audit list does not end');
	}

	// Creates a person as handlaggare; returns the JSON of the new person.
	async createPerson(fields = {}) {
		const pn = fields.personnummer ?? nextPnr().twelve;
		const r = await this.as('handlaggare', 'POST', '/api/v1/persons', {
			json: { personnummer: pn, given_name: 'Testa', family_name: 'Testsson', ...fields },
		});
		assert.equal(r.status, 201, `create person: ${r.status} ${r.text}`);
		return r.json;
	}

	// One SQL statement straight on this file's database (the engine's own client); rows as
	// lines of |-separated values.
	sql(statement) {
		return runSql(this.db, statement);
	}

	// `hanna audit verify` on this file's database.
	verify() {
		return hanna(['audit', 'verify', '--db', this.db.url]);
	}
}

// A started server on a fresh, seeded database. opts.users: extra users, opts.demoArgs: extra
// arguments of hanna demo (see seed).
export async function startServer(opts = {}) {
	const db = createDatabase();
	try {
		seed(db, opts.users || [], opts.demoArgs || []);
		const s = new Server(db, opts);
		await s.start();
		return s;
	} catch (e) {
		db.drop();
		throw e;
	}
}

// The last test of a file: SIGTERM gives a graceful exit 0, and the audit chain that the
// file's traffic extended still verifies.
export function shutdownTest(test, getServer) {
	test('the server stops gracefully on SIGTERM (exit 0) and the audit chain verifies',
		async () => {
			const s = getServer();
			const { code, signal } = await s.stop();
			assert.equal(signal, null, `hanna serve ended by ${signal}\n${s.logTail()}`);
			assert.equal(code, 0, `hanna serve exited ${code}\n${s.logTail()}`);
			const v = s.verify();
			assert.equal(v.status, 0, `audit verify: ${v.stdout}${v.stderr}`);
			assert.match(v.stdout, /intact/);
		});
}

// ---- personal identity numbers ----------------------------------------------------------

// Luhn check digit over the nine digits YYMMDDNNN.
export function luhn(nine) {
	let sum = 0;
	for (let i = 0; i < nine.length; i++) {
		let p = (nine.charCodeAt(i) - 48) * (i % 2 === 0 ? 2 : 1);
		sum += Math.floor(p / 10) + (p % 10);
	}
	return (10 - (sum % 10)) % 10;
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

// The forms of the number of a birth date and serial (3 digits). samordning adds 60 to the
// day. Returns {twelve, twelveDash, ten, tenDash, tenPlus}.
export function pnrOf(year, month, day, serial, samordning = false) {
	const dd = samordning ? day + 60 : day;
	const nine = `${pad(year % 100)}${pad(month)}${pad(dd)}${pad(serial, 3)}`;
	const ten = `${nine}${luhn(nine)}`;
	const cent = pad(Math.floor(year / 100));
	return {
		twelve: `${cent}${ten}`,
		twelveDash: `${cent}${ten.slice(0, 6)}-${ten.slice(6)}`,
		ten,
		tenDash: `${ten.slice(0, 6)}-${ten.slice(6)}`,
		tenPlus: `${ten.slice(0, 6)}+${ten.slice(6)}`,
	};
}

// A number with a wrong check digit.
export function badCheckDigit(twelve) {
	const last = (Number(twelve[11]) + 1) % 10;
	return `${twelve.slice(0, 11)}${last}`;
}

// A fresh valid number for this process: serials 100-899 never meet the demo's 980-999.
let pnrCounter = 0;
const pnrSalt = (process.pid * 7 + Date.now()) % 5000;
export function nextPnr(samordning = false) {
	const n = pnrSalt + pnrCounter++;
	const d = new Date(Date.UTC(1940, 0, 1) + (n % 20000) * 86400000);
	const serial = 100 + (Math.floor(n / 20000) % 800);
	return pnrOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), serial, samordning);
}

// A fresh family name, so a search for it finds only what this file made.
export function uniqueName(prefix = 'Testfam') {
	const letters = 'abcdefghijklmnopqrstuvwxyz';
	let s = '';
	for (const b of randomBytes(8))
		s += letters[b % 26];
	return `${prefix}${s}`;
}
