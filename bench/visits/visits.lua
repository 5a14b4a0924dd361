-- wrk script for bench/visits/run: every request is one durable visit report,
-- POST /api/v1/visits with its own Idempotency-Key, as a provider's planning system sends them.
--
--   BENCH_TOKEN      bearer token of the provider user
--   BENCH_CUSTOMERS  file of "person_id service" lines: customers with an order active on
--                    every day the reports fall on
--   BENCH_THREADS    wrk's -t, so that each thread draws its own numbers
--   BENCH_BASE       epoch seconds of a UTC midnight at least a day in the past
--   BENCH_RUN        a word that makes this run's keys differ from earlier runs'
--
-- Report g (counted over all threads: g = k * threads + thread) goes to customer g mod n and
-- slot g div n; slots are 3 minutes apart between 01:00 and 20:00 UTC (never across a
-- Stockholm midnight), going back one day every 380 slots, and each visit is 2 minutes long,
-- with the staff member "bench-<customer>": no two reports overlap for a customer or a staff
-- member, and no report is in the future. done() prints "WRK_RESULT key=value ...".

local token = os.getenv("BENCH_TOKEN") or ""
local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
local base = tonumber(os.getenv("BENCH_BASE") or "0")
local run = os.getenv("BENCH_RUN") or "r"

local threads = {}
local counter = 0

function setup(thread)
	thread:set("thread_no", counter)
	counter = counter + 1
	table.insert(threads, thread)
end

local customers = {}
local k = 0
created = 0
other = 0

function init(args)
	for line in io.lines(os.getenv("BENCH_CUSTOMERS")) do
		local p, s = line:match("^(%d+) (%S+)$")
		if p then
			table.insert(customers, {p, s})
		end
	end
	if #customers == 0 then
		error("no customers in BENCH_CUSTOMERS")
	end
end

function request()
	local g = k * nthreads + thread_no
	k = k + 1
	local c = g % #customers
	local slot = math.floor(g / #customers)
	local day = math.floor(slot / 380)
	local start = base - day * 86400 + 3600 + (slot % 380) * 180
	local cu = customers[c + 1]
	local body = string.format(
		'{"person_id":%s,"service":"%s","staff":"bench-%d","start":"%s","end":"%s"}',
		cu[1], cu[2], c, os.date("!%Y-%m-%dT%H:%M:00Z", start),
		os.date("!%Y-%m-%dT%H:%M:00Z", start + 120))
	return wrk.format("POST", "/api/v1/visits", {
		["Authorization"] = "Bearer " .. token,
		["Content-Type"] = "application/json",
		["Idempotency-Key"] = run .. "-" .. g,
	}, body)
end

function response(status, headers, body)
	if status == 201 then
		created = created + 1
	else
		other = other + 1
		if other <= 3 then
			io.stderr:write("bench/visits: answer " .. status .. ": " .. (body or ""):sub(1, 200) .. "\n")
		end
	end
end

function done(summary, latency, requests)
	local c, o = 0, 0
	for _, t in ipairs(threads) do
		c = c + t:get("created")
		o = o + t:get("other")
	end
	local e = summary.errors
	local secs = summary.duration / 1e6
	io.write(string.format(
		"WRK_RESULT requests=%d created=%d other=%d duration_us=%d rps=%.1f created_rps=%.1f" ..
		" p50_us=%d p99_us=%d max_us=%d connect_errors=%d read_errors=%d write_errors=%d" ..
		" timeouts=%d\n",
		summary.requests, c, o, summary.duration, summary.requests / secs, c / secs,
		latency:percentile(50), latency:percentile(99), latency.max, e.connect, e.read,
		e.write, e.timeout))
end
