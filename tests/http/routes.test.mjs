// The route table (src/http/routes.c) against the suite and the binary: every route answers
// (neither 404 nor 405 for its own method and path), and every route is exercised by some test
// file here, so a new route fails the suite until it has tests.
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assert, ROOT, shutdownTest, startServer } from './harness.mjs';

// [method, pattern] of every entry of http_routes[].
function routeTable() {
	const src = fs.readFileSync(path.join(ROOT, 'src/http/routes.c'), 'utf8');
	const table = src.slice(src.indexOf('http_routes[]'));
	const routes = [...table.matchAll(/\{\s*"([A-Z]+)",\s*"([^"]+)",/g)].map((m) => [m[1], m[2]]);
	assert.ok(routes.length >= 20, `found ${routes.length} routes in src/http/routes.c`);
	return routes;
}

// A concrete path for a pattern.
const concrete = (pattern) => pattern.replace('{id}', '1').replace('{file}', 'hanna.css');

let s;
before(async () => {
	s = await startServer();
});
after(async () => {
	await s?.cleanup();
});

test('every route of src/http/routes.c answers its method (not 404, not 405)', async () => {
	for (const [method, pattern] of routeTable()) {
		const p = concrete(pattern);
		const opts = method === 'GET' || method === 'DELETE' ? {} : { json: {} };
		const r = await s.request(method, p, opts);
		assert.notEqual(r.status, 404, `${method} ${p}: route missing from the server`);
		assert.notEqual(r.status, 405, `${method} ${p}: method missing from the server`);
		assert.ok(r.status < 500, `${method} ${p}: ${r.status}`);
	}
});

test('every route of src/http/routes.c is requested by some test file', () => {
	const dir = path.join(ROOT, 'tests/http');
	const sources = fs.readdirSync(dir)
		.filter((f) => f.endsWith('.test.mjs') && f !== 'routes.test.mjs')
		.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
		.join('\n');
	const missing = [];
	for (const [method, pattern] of routeTable()) {
		// The path as a test writes it: quoted, ids literal or interpolated, maybe a query.
		const re = new RegExp(`['\`]${pattern
			.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
			.replace('{id}', '(?:\\d+|\\$\\{[^}]+\\})')
			.replace('{file}', '[\\w.-]+')}(?:[?'"\`]|\\$\\{)`);
		if (!re.test(sources))
			missing.push(`${method} ${pattern}`);
	}
	assert.deepEqual(missing, [], 'routes without a test');
});

shutdownTest(test, () => s);
