-- wrk script for bench/run.py's many-user scenarios: each request from a random person, on a random
-- list of theirs, of a kind drawn by weight; counts every non-2xx answer and prints one JSON line
-- "BENCH_RESULT {...}" at the end (as wrk_report.lua does).
--   BENCH_PEOPLE    a text file, one person a line: token TAB cookie TAB list_id:size:todo_id,todo_id;...
--   BENCH_REQUESTS  one kind a line, tab-separated: weight, method, path, auth, body. In the path and
--                   the body {list} is the list's id, {todo} one of its todos (the list is then one with
--                   todos), {bool} true or false. auth: "token" (Authorization header, JSON),
--                   "session" (the session and CSRF cookies, HTML) or "none" (JSON).

-- Parsed here rather than loaded as a Lua table: LuaJIT limits the constants of one chunk.
local function load_people(path)
  local people = {}
  for line in io.lines(path) do
    local token, cookie, lists_text = string.match(line, "^([^\t]*)\t([^\t]*)\t(.*)$")
    local lists = {}
    for list_id, size, ids in string.gmatch(lists_text, "(%d+):(%d+):([%d,]*)") do
      local todos = {}
      for id in string.gmatch(ids, "%d+") do
        table.insert(todos, tonumber(id))
      end
      table.insert(lists, {tonumber(list_id), tonumber(size), todos})
    end
    table.insert(people, {t = token, c = cookie, l = lists})
  end
  return people
end

local people = load_people(os.getenv("BENCH_PEOPLE"))
local kinds, total_weight = {}, 0
for line in string.gmatch(os.getenv("BENCH_REQUESTS") or "", "[^\n]+") do
  local weight, method, path, auth, body = string.match(line, "^([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)\t?(.*)$")
  total_weight = total_weight + tonumber(weight)
  table.insert(kinds, {
    upto = total_weight, method = method, path = path, auth = auth,
    body = (body ~= "" and body) or nil,
    todo = string.find(path .. (body or ""), "{todo}", 1, true) ~= nil,
  })
end

for _, person in ipairs(people) do
  person.headers = {
    token = {["Authorization"] = "Token " .. person.t, ["Accept"] = "application/json",
             ["Content-Type"] = "application/json"},
    session = {["Cookie"] = person.c, ["Accept"] = "text/html"},
    none = {["Accept"] = "application/json", ["Content-Type"] = "application/json"},
  }
  person.writable = {}
  for _, list in ipairs(person.l) do
    if #list[3] > 0 then table.insert(person.writable, list) end
  end
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

-- Globals, not locals: done() reads them from each thread with thread:get().
non2xx = 0
first_bad = 0

local function fill(template, list_id, todo_id)
  local text = string.gsub(template, "{list}", tostring(list_id))
  if todo_id then text = string.gsub(text, "{todo}", tostring(todo_id)) end
  text = string.gsub(text, "{bool}", math.random() < 0.5 and "true" or "false")
  return text
end

function request()
  local draw, kind = math.random() * total_weight, kinds[#kinds]
  for _, candidate in ipairs(kinds) do
    if draw < candidate.upto then kind = candidate; break end
  end
  local person = people[math.random(#people)]
  local list, todo_id
  if kind.todo then
    list = person.writable[math.random(#person.writable)]
    todo_id = list[3][math.random(#list[3])]
  else
    list = person.l[math.random(#person.l)]
  end
  local body = kind.body and fill(kind.body, list[1], todo_id) or nil
  return wrk.format(kind.method, fill(kind.path, list[1], todo_id), person.headers[kind.auth], body)
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
