/*
 * Hanna: the service worker of the phone page "Dagens besök" (issue 5). It keeps the page and
 * its static files so that the page opens without a network, and sends the queued time
 * reports (visits-queue.js) when the browser says the network is back (Background Sync),
 * also when the page is closed. Registered by visits.js with the scope of the page; the
 * server sends this file with Service-Worker-Allowed (src/web/pages.c, web_static).
 */
"use strict";

importScripts("/static/visits-queue.js");

var CACHE = "hanna-visits-1";
var PAGE = "/besok";
var SHELL = [PAGE, "/static/hanna.css", "/static/visits.js", "/static/visits-queue.js"];

/* Only a real answer is kept: never a redirect to the login page or an error page. */
function keep(res) {
	return res && res.ok && !res.redirected && res.type === "basic";
}

self.addEventListener("install", function (event) {
	event.waitUntil(caches.open(CACHE).then(function (cache) {
		return Promise.all(SHELL.map(function (url) {
			return fetch(url, { credentials: "same-origin" }).then(function (res) {
				if (keep(res))
					return cache.put(url, res);
			}, function () {});
		}));
	}).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
	event.waitUntil(caches.keys().then(function (names) {
		return Promise.all(names.filter(function (n) {
			return n.indexOf("hanna-visits-") === 0 && n !== CACHE;
		}).map(function (n) { return caches.delete(n); }));
	}).then(function () { return self.clients.claim(); }));
});

/* The page and the static files: the network first, the kept copy without one. Reports
 * (POST) are never touched here: the queue sends them. */
self.addEventListener("fetch", function (event) {
	var url = new URL(event.request.url);
	if (event.request.method !== "GET" || url.origin !== self.location.origin)
		return;
	var path = url.pathname;
	if (path !== PAGE && SHELL.indexOf(path) < 0)
		return;
	event.respondWith(fetch(event.request).then(function (res) {
		if (keep(res)) {
			var copy = res.clone();
			caches.open(CACHE).then(function (cache) { cache.put(path, copy); });
		}
		return res;
	}, function () {
		return caches.match(path).then(function (hit) {
			return hit || new Response("Ingen anslutning.", { status: 503,
				headers: { "Content-Type": "text/plain; charset=utf-8" } });
		});
	}));
});

/* The network is back: send the queue; a report still waiting makes the browser retry. */
self.addEventListener("sync", function (event) {
	if (event.tag !== "hanna-visits")
		return;
	event.waitUntil(HannaQueue.flush().then(function (left) {
		if (left > 0)
			throw new Error("reports still queued");
	}));
});

/* At logout the page asks for everything of the day to be removed from the phone. */
self.addEventListener("message", function (event) {
	if (event.data !== "clear")
		return;
	event.waitUntil(Promise.all([caches.delete(CACHE), HannaQueue.clear()]));
});
