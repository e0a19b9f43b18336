-- Replays the requests a benchmark wrote to a file, one per line:
--   METHOD <tab> PATH <tab> COOKIE <tab> BODY
-- (COOKIE and BODY may be empty; a POST is sent as a form, asking for JSON).
-- Arguments after `--`: the file, then "cycle" (start again at the end, until
-- wrk's duration is over) or "once" (each line once; then the thread stops
-- when every answer is in; connections still asking get GET /health/ meanwhile).
-- done() prints one line "WRK_JSON {...}": requests, duration, socket errors,
-- latency percentiles (microseconds), and counts per HTTP status and per
-- "code" of JSON answers, for tests/perf/loadgen.py to read.

local prepared = {}
local next_index = 1
local mode = "cycle"
local answered = 0
local filler = nil
statuses = {}
codes = {}

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

local function split(line)
   local fields = {}
   local start = 1
   while true do
      local stop = string.find(line, "\t", start, true)
      if not stop then
         table.insert(fields, string.sub(line, start))
         return fields
      end
      table.insert(fields, string.sub(line, start, stop - 1))
      start = stop + 1
   end
end

function init(args)
   mode = args[2] or "cycle"
   for line in io.lines(args[1]) do
      local f = split(line)
      local headers = {}
      if f[3] and f[3] ~= "" then
         headers["Cookie"] = f[3]
      end
      local body = nil
      if f[1] == "POST" then
         headers["Content-Type"] = "application/x-www-form-urlencoded"
         headers["Accept"] = "application/json"
         body = f[4] or ""
      end
      table.insert(prepared, wrk.format(f[1], f[2], headers, body))
   end
   filler = wrk.format("GET", "/health/")
end

-- Once every line is sent, the connections with nothing left wait (a minute,
-- far longer than the last answers take) rather than send anything more.
-- (wrk looks for delay() before init() runs, so it is defined for every run;
-- in "cycle" runs it always answers 0.)
function delay()
   if mode == "once" and next_index > #prepared then
      return 60000
   end
   return 0
end

-- wrk calls request() once before the run to check what it returns (script_verify_request,
-- on the first thread: this script is run with -t1). That call must not use up a line.
local checked = false

function request()
   if not checked then
      checked = true
      return prepared[1] or filler
   end
   local index = next_index
   if index > #prepared then
      if mode == "once" then
         return filler
      end
      index = 1
   end
   next_index = index + 1
   return prepared[index]
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if body and string.byte(body, 1) == 123 then -- "{"
      local code = string.match(body, '"code"%s*:%s*"([%w_]+)"')
      if code then
         codes[code] = (codes[code] or 0) + 1
      end
   end
   answered = answered + 1
   if mode == "once" and answered == #prepared then
      io.write("WRK_DONE\n")
      io.flush()
      wrk.thread:stop()
   end
end

local function object(t)
   local parts = {}
   for key, value in pairs(t) do
      table.insert(parts, string.format('"%s": %d', tostring(key), value))
   end
   return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
   local all_statuses, all_codes = {}, {}
   for _, thread in ipairs(threads) do
      for key, value in pairs(thread:get("statuses") or {}) do
         all_statuses[key] = (all_statuses[key] or 0) + value
      end
      for key, value in pairs(thread:get("codes") or {}) do
         all_codes[key] = (all_codes[key] or 0) + value
      end
   end
   local e = summary.errors
   io.write(string.format(
      'WRK_JSON {"requests": %d, "duration_us": %d, "errors": {"connect": %d, "read": %d, '
         .. '"write": %d, "status": %d, "timeout": %d}, "latency_us": {"p50": %d, "p90": %d, '
         .. '"p95": %d, "p99": %d, "max": %d, "mean": %f}, "statuses": %s, "codes": %s}\n',
      summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(95),
      latency:percentile(99), latency.max, latency.mean, object(all_statuses), object(all_codes)
   ))
end
