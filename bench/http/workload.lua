-- wrk script for bench/http/run: one workload per run, chosen by environment variables.
--
--   BENCH_MODE     healthz | person | search | login
--   BENCH_TOKEN    bearer token (person, search)
--   BENCH_PERSONS  person ids are drawn uniformly from 1..BENCH_PERSONS on every request
--   BENCH_CASES    case ids likewise from 1..BENCH_CASES (case); queue reads the work queue
--   BENCH_PASSWORD the demo password (login)
--
-- Every mode builds its request text by hand from a template made once with wrk.format, so
-- the client's per-request work is a random draw and one string concatenation in every mode
-- (healthz and login return a constant string through the same request() hook, so the
-- baseline pays the same client cost as the person read). done() prints one machine-readable
-- line, "WRK_RESULT key=value ...", that bench/http/run parses; latencies are microseconds.

local mode = os.getenv("BENCH_MODE") or "healthz"
local token = os.getenv("BENCH_TOKEN") or ""
local persons = tonumber(os.getenv("BENCH_PERSONS") or "100000")
local cases = tonumber(os.getenv("BENCH_CASES") or "0")
local upper = persons
local password = os.getenv("BENCH_PASSWORD") or ""

-- Family-name prefixes of the demo data (lower case, as name_key is stored); a few carry
-- Swedish letters, percent-encoded in UTF-8.
local prefixes = {
	"and", "lin", "berg", "lun", "joh", "kar", "nil", "lar", "ols", "per", "sve", "gus",
	"pet", "jon", "han", "ben", "eri", "hol", "wal", "for", "mag", "sam", "ali", "has",
	"lund", "lindq", "ström", "sjö", "jön", "söd", "nor", "wik", "eng", "blo", "fre",
}

local function urlencode(s)
	return (s:gsub("[^%w%-_%.~]", function(ch) return string.format("%%%02X", ch:byte()) end))
end

local threads = {}
local counter = 0

function setup(thread)
	counter = counter + 1
	thread:set("thread_no", counter)
	table.insert(threads, thread)
end

local pre, post, fixed, pool

function init(args)
	math.randomseed(os.time() * 1000 + (thread_no or 0) * 7919)
	local auth = {["Authorization"] = "Bearer " .. token}
	if mode == "person" then
		local t = wrk.format("GET", "/api/v1/persons/@ID@", auth)
		pre, post = t:match("^(.-)@ID@(.*)$")
	elseif mode == "case" then
		local t = wrk.format("GET", "/api/v1/cases/@ID@", auth)
		pre, post = t:match("^(.-)@ID@(.*)$")
		upper = cases
	elseif mode == "queue" then
		fixed = wrk.format("GET", "/api/v1/cases?limit=50", auth)
	elseif mode == "search" then
		pool = {}
		for i, p in ipairs(prefixes) do
			pool[i] = wrk.format("GET", "/api/v1/persons?q=" .. urlencode(p) .. "&limit=20", auth)
		end
	elseif mode == "login" then
		local body = string.format('{"tenant":"demo","username":"handlaggare","password":"%s"}',
			password)
		fixed = wrk.format("POST", "/api/v1/sessions",
			{["Content-Type"] = "application/json"}, body)
	else
		fixed = wrk.format("GET", "/healthz")
	end
end

function request()
	if pre then
		return pre .. math.random(1, upper) .. post
	elseif pool then
		return pool[math.random(1, #pool)]
	end
	return fixed
end

function done(summary, latency, requests)
	local e = summary.errors
	local secs = summary.duration / 1e6
	io.write(string.format(
		"WRK_RESULT mode=%s requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d" ..
		" max_us=%d mean_us=%.0f status_errors=%d connect_errors=%d read_errors=%d" ..
		" write_errors=%d timeouts=%d bytes=%d\n",
		mode, summary.requests, summary.duration, summary.requests / secs,
		latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
		latency.mean, e.status, e.connect, e.read, e.write, e.timeout, summary.bytes))
end
