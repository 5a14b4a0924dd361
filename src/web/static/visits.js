/*
 * Hanna: the phone page "Dagens besök" (issue 5), the one page where JavaScript is required.
 * Each customer of the day is an element with data-person and data-service and three
 * buttons (data-action "check-in", "check-out", "deviation"); a tap queues the report with
 * the phone's time (visits-queue.js) and tries to send it at once. Open check-ins are kept
 * in IndexedDB, so a reload without network still shows them. The markup is described in
 * docs/architecture.md, "Time reports"; all text is set with textContent.
 */
"use strict";

(function () {
	var list = document.querySelector("[data-visits]");
	if (!list || !window.indexedDB || !window.crypto || !crypto.randomUUID)
		return;
	var status = document.getElementById("visits-status");
	var failedBox = document.getElementById("visits-failed");
	var token = document.querySelector("meta[name=\"csrf-token\"]");
	var reg = null;

	HannaQueue.setMeta("csrf", list.dataset.csrf || (token ? token.content : ""));
	if ("serviceWorker" in navigator) {
		navigator.serviceWorker.register("/static/visits-sw.js", { scope: "/besok" })
			.then(function (r) { reg = r; }, function () {});
	}

	function openKey(li) {
		return "open:" + li.dataset.person + ":" + li.dataset.service;
	}

	function clock(iso) {
		var d = new Date(iso);
		return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
	}

	/* Shows one customer as checked in (since a time) or not. */
	function render(li, open) {
		li.querySelector("[data-action=check-in]").hidden = !!open;
		li.querySelector("[data-action=check-out]").hidden = !open;
		li.querySelector("[data-action=deviation]").hidden = !!open;
		li.querySelector(".visit-state").textContent = open ? "Incheckad " + clock(open.at) : "";
	}

	function deviation(li) {
		var sel = li.querySelector("select[name=deviation]");
		return sel && sel.value ? sel.value : null;
	}

	function showStatus() {
		return Promise.all([HannaQueue.queued(), HannaQueue.failed()]).then(function (v) {
			var n = v[0].length;
			var text = navigator.onLine ? "Ansluten." : "Ingen anslutning: rapporterna sparas i telefonen.";
			if (n > 0)
				text += " " + n + (n === 1 ? " rapport väntar" : " rapporter väntar") + " på att skickas.";
			status.textContent = text;
			failedBox.textContent = "";
			v[1].forEach(function (it) {
				var p = document.createElement("p");
				var title = "";
				try { title = JSON.parse(it.answer).detail || JSON.parse(it.answer).title || ""; } catch (e) {}
				p.textContent = "En rapport nekades (" + it.status + "): " + title + " ";
				var ok = document.createElement("button");
				ok.type = "button";
				ok.textContent = "Uppfattat";
				ok.addEventListener("click", function () {
					HannaQueue.forget("failed", it.seq).then(showStatus);
				});
				p.appendChild(ok);
				failedBox.appendChild(p);
			});
			return n;
		});
	}

	/* Sends what is queued now, and asks the worker to send the rest when the network is back. */
	function kick() {
		return HannaQueue.flush().then(function (left) {
			if (left > 0 && reg && reg.sync)
				reg.sync.register("hanna-visits").catch(function () {});
			return showStatus();
		}, showStatus);
	}

	function act(li, action) {
		var at = new Date().toISOString();
		var person = Number(li.dataset.person), service = li.dataset.service;
		if (action === "check-in") {
			return HannaQueue.add("/api/v1/visits/check-in",
				{ person_id: person, service: service, at: at }).then(function (key) {
				var open = { key: key, at: at };
				return HannaQueue.setMeta(openKey(li), open).then(function () { render(li, open); });
			});
		}
		if (action === "check-out") {
			return HannaQueue.getMeta(openKey(li)).then(function (open) {
				if (!open)
					return render(li, null);
				return HannaQueue.add("/api/v1/visits/check-out",
					{ check_in_key: open.key, at: at, deviation: deviation(li) }).then(function () {
					return HannaQueue.setMeta(openKey(li), undefined);
				}).then(function () { render(li, null); });
			});
		}
		/* A deviation without a visit: cancelled, in hospital, declined at the door. */
		if (!deviation(li)) {
			li.querySelector(".visit-state").textContent = "Välj en avvikelse först.";
			return Promise.resolve();
		}
		return HannaQueue.add("/api/v1/visits/deviations",
			{ person_id: person, service: service, at: at, deviation: deviation(li) }).then(function () {
			li.querySelector(".visit-state").textContent = "Avvikelsen är registrerad.";
		});
	}

	list.addEventListener("click", function (ev) {
		var b = ev.target.closest("button[data-action]");
		var li = b && b.closest("[data-person]");
		if (!li)
			return;
		b.disabled = true;
		act(li, b.dataset.action).then(kick).then(function () { b.disabled = false; },
			function () { b.disabled = false; });
	});

	Array.prototype.forEach.call(list.querySelectorAll("[data-person]"), function (li) {
		HannaQueue.getMeta(openKey(li)).then(function (open) { render(li, open); });
	});
	/* Logout: what is queued is sent if it can be, then the worker clears its cache and the
	 * queue, so that nothing of the day stays on the phone; then the form goes. */
	var logout = document.querySelector("form[action=\"/logga-ut\"]");
	if (logout) {
		logout.addEventListener("submit", function (ev) {
			if (logout.dataset.cleared)
				return;
			ev.preventDefault();
			var worker = navigator.serviceWorker && navigator.serviceWorker.controller;
			HannaQueue.flush().catch(function () {}).then(function () {
				if (worker)
					worker.postMessage("clear");
				return HannaQueue.clear();
			}).catch(function () {}).then(function () {
				logout.dataset.cleared = "1";
				logout.submit();
			});
		});
	}

	window.addEventListener("online", kick);
	window.addEventListener("offline", showStatus);
	setInterval(function () { if (navigator.onLine) kick(); }, 30000);
	kick();
})();
