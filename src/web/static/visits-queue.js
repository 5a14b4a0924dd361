/*
 * Hanna: the offline queue of time reports (issue 5), shared by the phone page (visits.js)
 * and its service worker (visits-sw.js). Every check-in and check-out is written to
 * IndexedDB first, with its own Idempotency-Key, and then sent in the order it was made; a
 * report leaves the queue only when the server has answered it. A retry after a lost answer
 * carries the same key, so the server stores it once. Our own code, no libraries.
 *
 * IndexedDB "hanna-visits": store "queue" (seq -> {url, body, key, made, tries}), store
 * "failed" (seq -> the report and the server's refusal, for the page to show), store "meta"
 * ("csrf" -> the session's CSRF token, "open:<person>:<service>" -> an open check-in).
 */
"use strict";

var HannaQueue = (function () {
	var DB = "hanna-visits";
	var dbp = null;

	function req(r) {
		return new Promise(function (ok, fail) {
			r.onsuccess = function () { ok(r.result); };
			r.onerror = function () { fail(r.error); };
		});
	}

	function open() {
		if (!dbp) {
			var r = indexedDB.open(DB, 1);
			r.onupgradeneeded = function () {
				var db = r.result;
				db.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
				db.createObjectStore("failed", { keyPath: "seq" });
				db.createObjectStore("meta");
			};
			dbp = req(r);
		}
		return dbp;
	}

	/* Runs fn(store) in one transaction and resolves with its result once committed. */
	function tx(name, mode, fn) {
		return open().then(function (db) {
			return new Promise(function (ok, fail) {
				var t = db.transaction(name, mode);
				var out;
				Promise.resolve(fn(t.objectStore(name))).then(function (v) { out = v; });
				t.oncomplete = function () { ok(out); };
				t.onerror = t.onabort = function () { fail(t.error); };
			});
		});
	}

	function getMeta(k) {
		return tx("meta", "readonly", function (s) { return req(s.get(k)); });
	}
	function setMeta(k, v) {
		return tx("meta", "readwrite", function (s) {
			return v === undefined ? s.delete(k) : s.put(v, k);
		});
	}

	/* Queues one report: a POST of body (an object) to url. Resolves with its key. */
	function add(url, body) {
		var key = crypto.randomUUID();
		return tx("queue", "readwrite", function (s) {
			s.add({ url: url, body: JSON.stringify(body), key: key, made: Date.now(), tries: 0 });
		}).then(function () { return key; });
	}

	function all(name) {
		return tx(name, "readonly", function (s) { return req(s.getAll()); });
	}

	/* A status the server will answer the same way again: drop the report and keep it in
	 * "failed". Network errors, 408, 429 and 5xx are retried later; 401 and 403 wait for a
	 * new login (the CSRF token comes with it). */
	function final(status) {
		return status >= 200 && status < 500 && status !== 401 && status !== 403 &&
			status !== 408 && status !== 429;
	}

	var running = null;

	/*
	 * Sends the queue in order, stopping at the first report that has to wait, so that a
	 * check-out never reaches the server before its check-in. Resolves with the number of
	 * reports still queued. One flush at a time per context; the Web Locks API (where there
	 * is one) keeps the page and the worker from sending at once.
	 */
	function flush() {
		if (running)
			return running;
		var work = function () {
			return Promise.all([all("queue"), getMeta("csrf")]).then(function (v) {
				var items = v[0], csrf = v[1] || "";
				var i = 0;
				function next() {
					if (i >= items.length)
						return 0;
					var it = items[i];
					return fetch(it.url, {
						method: "POST",
						credentials: "same-origin",
						headers: { "Content-Type": "application/json",
							"Idempotency-Key": it.key, "X-CSRF-Token": csrf },
						body: it.body
					}).then(function (res) {
						if (!final(res.status))
							return items.length - i;
						return res.text().then(function (text) {
							return done(it, res.status, text);
						}).then(function () { i++; return next(); });
					}, function () { return items.length - i; });
				}
				return next();
			});
		};
		var p = typeof navigator !== "undefined" && navigator.locks
			? navigator.locks.request("hanna-visits-queue", work) : work();
		running = p.then(function (left) { running = null; return left; },
			function (e) { running = null; throw e; });
		return running;
	}

	/* Takes an answered report off the queue; a refusal goes to "failed". */
	function done(it, status, text) {
		return open().then(function (db) {
			return new Promise(function (ok, fail) {
				var t = db.transaction(["queue", "failed"], "readwrite");
				t.objectStore("queue").delete(it.seq);
				if (status >= 300) {
					it.status = status;
					it.answer = text.slice(0, 2000);
					t.objectStore("failed").put(it);
				}
				t.oncomplete = function () { ok(); };
				t.onerror = t.onabort = function () { fail(t.error); };
			});
		});
	}

	function forget(name, seq) {
		return tx(name, "readwrite", function (s) { s.delete(seq); });
	}

	/* Empties every store (at logout: nothing of the day stays on the phone). */
	function clear() {
		return open().then(function (db) {
			return new Promise(function (ok, fail) {
				var t = db.transaction(["queue", "failed", "meta"], "readwrite");
				t.objectStore("queue").clear();
				t.objectStore("failed").clear();
				t.objectStore("meta").clear();
				t.oncomplete = function () { ok(); };
				t.onerror = t.onabort = function () { fail(t.error); };
			});
		});
	}

	return { add: add, flush: flush, queued: function () { return all("queue"); },
		failed: function () { return all("failed"); }, forget: forget,
		getMeta: getMeta, setMeta: setMeta, clear: clear };
})();
