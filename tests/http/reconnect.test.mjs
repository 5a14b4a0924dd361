// PostgreSQL only: when the server's connections are cut (a restart, a failover, a network
// break; here pg_terminate_backend), Hanna replaces each broken connection on its next use
// instead of failing for ever. A request that meets a dead connection may fail (500, or 503
// when the session could not be looked up); the ones after it work again, reads and audited
// writes alike. Nothing is half-written: the audit chain verifies afterwards.
import { after, before, test } from 'node:test';

import { assert, ENGINE, psql, startServer } from './harness.mjs';

let s;
before(async () => {
	if (ENGINE === 'pg')
		s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

test('connections cut by the database server are replaced', { skip: ENGINE !== 'pg' && 'PostgreSQL only' }, async () => {
	const token = await s.token('handlaggare');
	const read = () => s.request('GET', '/api/v1/persons/1', { token });
	assert.equal((await read()).status, 200);

	const killed = psql(s.db.url, 'SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity'
		+ ' WHERE datname = current_database() AND pid <> pg_backend_pid()');
	assert.ok(Number(killed) >= 2, `terminated ${killed} connections`);

	// Every reader and the writer meet the break once at most; then all is well again.
	let failures = 0, streak = 0;
	for (let i = 0; i < 200 && streak < 40; i++) {
		const r = await read();
		if (r.status === 200) {
			streak++;
		} else {
			assert.ok([500, 503].includes(r.status), r.text);
			failures++;
			streak = 0;
		}
	}
	assert.equal(streak, 40, `reads work again (failures on the way: ${failures})`);

	let created;
	for (let i = 0; i < 5 && !created; i++) {
		const r = await s.as('handlaggare', 'PATCH', '/api/v1/persons/2', { json: { phone: `070-00000${i}`, version: (await s.as('handlaggare', 'GET', '/api/v1/persons/2')).json.version } });
		if (r.status === 200)
			created = r;
		else
			assert.ok([500, 503].includes(r.status), r.text);
	}
	assert.ok(created, 'an audited write works again');
	assert.match(s.log(), /connection lost; reconnecting/);
	assert.equal(s.verify().status, 0);
});
