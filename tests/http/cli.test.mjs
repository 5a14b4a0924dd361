// The command line around a served database: online backup on both engines, and the audit
// chain: intact after traffic, broken (exit 1, naming the record) after one row is changed by
// hand.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
	assert, BIN, createScratchDatabase, ENGINE, hanna, hannaOk, nextPnr, psql, python, runSql,
	shutdownTest, startServer,
} from './harness.mjs';

let s;
const scratch = [];
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
	for (const db of scratch)
		db.drop();
});

// How many persons the database at url holds (by the engine's own client).
function countPersons(url) {
	if (url.startsWith('sqlite:'))
		return Number(python(
			'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('
			+ '"SELECT count(*) FROM persons").fetchone()[0])', [url.slice('sqlite:'.length)]));
	return Number(psql(url, 'SELECT count(*) FROM persons'));
}

// Loads a backup file into a fresh database; returns its URL.
function restore(file) {
	if (ENGINE === 'sqlite')
		return `sqlite:${file}`;
	const db = createScratchDatabase();
	scratch.push(db);
	const r = spawnSync('pg_restore', ['--no-owner', '--exit-on-error', '-d', db.url, file],
		{ encoding: 'utf8', timeout: 120_000 });
	assert.equal(r.status, 0, `pg_restore: ${r.stderr}`);
	return db.url;
}

// A restored copy of the live database, to break on purpose: {file, url}.
function copyOfLive(name) {
	const file = path.join(s.db.dir, name);
	hannaOk(['backup', '--db', s.db.url, '--to', file]);
	return { file, url: restore(file) };
}

// Runs one SQL statement on a copy made by copyOfLive.
function sqlOnCopy(copy, sql) {
	return runSql({ kind: ENGINE === 'sqlite' ? 'sqlite' : 'pg', path: copy.file, url: copy.url }, sql);
}

test('hanna backup --db URL --to FILE works while serving, and the copy holds the data',
	async () => {
		const made = [];
		for (let i = 0; i < 3; i++)
			made.push(await s.createPerson({ family_name: `Backupsson${i}` }));
		const live = countPersons(s.db.url);
		assert.ok(live >= 2003, `persons in the live database: ${live}`);
		const file = path.join(s.db.dir, 'backup.copy');
		const r = hanna(['backup', '--db', s.db.url, '--to', file]);
		assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
		assert.ok(fs.statSync(file).size > 0);
		const url = restore(file);
		assert.equal(countPersons(url), live);
		if (ENGINE === 'sqlite') {
			const pnr = python('import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('
				+ '"SELECT pnr FROM persons WHERE id = ?", (int(sys.argv[2]),)).fetchone()[0])',
			[file, String(made[2].id)]);
			assert.equal(pnr, made[2].personnummer);
		} else {
			assert.equal(psql(url, `SELECT pnr FROM persons WHERE id = ${made[2].id}`),
				made[2].personnummer);
		}
		// The copy is a working database: its audit chain verifies.
		const v = hanna(['audit', 'verify', '--db', url]);
		assert.equal(v.status, 0, `${v.stdout}${v.stderr}`);
	});

test('hanna backup under concurrent writes gives a consistent copy', async () => {
	const before = countPersons(s.db.url);
	let writing = true;
	let written = 0;
	const writer = (async () => {
		while (writing) {
			const r = await s.as('handlaggare', 'POST', '/api/v1/persons', {
				json: { personnummer: nextPnr().twelve, given_name: 'Under', family_name: 'Backup' },
			});
			assert.equal(r.status, 201, r.text);
			written++;
		}
	})();
	await new Promise((r) => setTimeout(r, 50));
	const file = path.join(s.db.dir, 'backup-busy.copy');
	// Asynchronously, so that the writer keeps going during the backup.
	const r = await new Promise((resolve) => {
		execFile(BIN, ['backup', '--db', s.db.url, '--to', file],
			(err, stdout, stderr) => resolve({ status: err ? err.code : 0, stdout, stderr }));
	});
	writing = false;
	await writer;
	assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
	const url = restore(file);
	const copied = countPersons(url);
	assert.ok(copied >= before && copied <= before + written,
		`copy has ${copied}, between ${before} and ${before + written}`);
	const v = hanna(['audit', 'verify', '--db', url]);
	assert.equal(v.status, 0, `the copy's audit chain: ${v.stdout}${v.stderr}`);
	assert.ok(written > 0);
});

test('hanna backup without --to is a usage error (exit 2)', () => {
	const r = hanna(['backup', '--db', s.db.url]);
	assert.equal(r.status, 2, `${r.stdout}${r.stderr}`);
	assert.match(r.stderr, /--to/);
});

test('hanna audit verify exits 0 after traffic, and 1 naming the record changed by hand',
	async () => {
		// Traffic of every kind that writes the log.
		const p = await s.createPerson();
		await s.as('handlaggare', 'GET', `/api/v1/persons/${p.id}`);
		await s.as('handlaggare', 'PATCH', `/api/v1/persons/${p.id}`, {
			json: { version: 1, phone: '070-1' },
		});
		await s.as('handlaggare', 'POST', `/api/v1/persons/${p.id}/relatives`, {
			json: { name: 'R', relation: 'bror' },
		});
		await s.as('handlaggare', 'GET', '/api/v1/persons?q=an&limit=10');
		await s.as('handlaggare', 'GET', `/api/v1/persons/${p.id}?include=protected_address`);
		const target = (await s.auditOf(p.id)).find((a) => a.action === 'update');
		assert.ok(target, 'the update record');

		const ok = hanna(['audit', 'verify', '--db', s.db.url]);
		assert.equal(ok.status, 0, `${ok.stdout}${ok.stderr}`);
		assert.match(ok.stdout, /intact/);

		// On a copy: change who did one record.
		const copy = copyOfLive('verify-change.copy');
		assert.equal(hanna(['audit', 'verify', '--db', copy.url]).status, 0, 'the copy is intact');
		assert.equal(sqlOnCopy(copy, 'UPDATE audit_log SET username = \'mallory\''
			+ ` WHERE id = ${target.id} RETURNING id`), String(target.id));
		const broken = hanna(['audit', 'verify', '--db', copy.url]);
		const out = `${broken.stdout}${broken.stderr}`;
		assert.equal(broken.status, 1, out);
		assert.match(out, new RegExp(`\\b${target.id}\\b`), `names record ${target.id}: ${out}`);
	});

test('hanna audit verify exits 1 for a changed time, a removed record, swapped records',
	async () => {
		const p = await s.createPerson();
		for (let i = 0; i < 3; i++)
			await s.as('handlaggare', 'GET', `/api/v1/persons/${p.id}`);
		const recs = await s.auditOf(p.id); // newest first
		const at = copyOfLive('verify-at.copy');
		sqlOnCopy(at, `UPDATE audit_log SET at = at + 1 WHERE id = ${recs[1].id}`);
		const r1 = hanna(['audit', 'verify', '--db', at.url]);
		assert.equal(r1.status, 1, r1.stdout + r1.stderr);
		assert.match(r1.stdout + r1.stderr, new RegExp(`\\b${recs[1].id}\\b`));

		const del = copyOfLive('verify-delete.copy');
		sqlOnCopy(del, `DELETE FROM audit_log WHERE id = ${recs[2].id}`);
		const r2 = hanna(['audit', 'verify', '--db', del.url]);
		assert.equal(r2.status, 1, r2.stdout + r2.stderr);

		const swap = copyOfLive('verify-swap.copy');
		const [a, b] = [recs[0], recs[1]];
		sqlOnCopy(swap, `UPDATE audit_log SET request_id = CASE id WHEN ${a.id} THEN '${b.request_id}'`
			+ ` ELSE '${a.request_id}' END WHERE id IN (${a.id}, ${b.id})`);
		const r3 = hanna(['audit', 'verify', '--db', swap.url]);
		assert.equal(r3.status, 1, r3.stdout + r3.stderr);
	});

shutdownTest(test, () => s);
