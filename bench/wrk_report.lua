-- wrk script for bench/run.py. Reads the request from the environment, cycles through paths and
-- bodies, counts every non-2xx answer, and prints one JSON line "BENCH_RESULT {...}" at the end.
--   BENCH_METHOD   GET, POST, PATCH...
--   BENCH_PATHS    newline-separated paths; request k goes to path k mod n
--   BENCH_BODIES   newline-separated bodies; request k sends body (k div n) mod m
--   BENCH_HEADERS  newline-separated "Name: value" lines

local function split_lines(text)
  local items = {}
  for line in string.gmatch(text or "", "[^\n]+") do
    table.insert(items, line)
  end
  return items
end

local method = os.getenv("BENCH_METHOD") or "GET"
local paths = split_lines(os.getenv("BENCH_PATHS"))
local bodies = split_lines(os.getenv("BENCH_BODIES"))
local headers = {}
for _, line in ipairs(split_lines(os.getenv("BENCH_HEADERS"))) do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  headers[name] = value
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

local counter = 0
-- Globals, not locals: done() reads them from each thread with thread:get().
non2xx = 0
first_bad = 0

function request()
  local n = #paths
  local path = paths[(counter % n) + 1]
  local body = nil
  if #bodies > 0 then
    body = bodies[(math.floor(counter / n) % #bodies) + 1]
  end
  counter = counter + 1
  return wrk.format(method, path, headers, body)
end

function response(status, response_headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_bad == 0 then
      first_bad = status
    end
  end
end

function done(summary, latency, requests)
  local bad, bad_status = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
    if bad_status == 0 then
      bad_status = thread:get("first_bad")
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "non2xx": %d, "first_non2xx_status": %d, '
      .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, '
      .. '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.requests, summary.duration, bad, bad_status,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean
  ))
end
