-- SPDX-License-Identifier: GPL-3.0-or-later
-- serve_bench.lua - wrk script of bench/serve_bench.sh: GET /api/scenarios
-- and GET /api/params alternately, each thread stopping after its share of
-- the requests (wrk -s serve_bench.lua URL -- N_PER_THREAD MARK) and then
-- creating the file MARK.N (wrk's main thread sleeps out its -d duration;
-- the script sends it SIGINT once every thread's file is there), and at the
-- end one line of figures: requests, errors (socket errors and non-2xx
-- answers), requests per second, latency percentiles in milliseconds.
local paths = {"/api/scenarios", "/api/params?scenario=us-russia-2025"}
local n, limit, k, mark = 0, 0, 0, nil
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  limit = tonumber(args[1]) or 1000
  mark = args[2]
end

function request()
  k = k + 1
  return wrk.format("GET", paths[(k % 2) + 1])
end

function response(status, headers, body)
  n = n + 1
  if n == limit then
    if mark then
      local f = io.open(mark .. "." .. id, "w")
      if f then f:close() end
    end
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  local secs = summary.duration / 1e6
  io.write(string.format(
    "wrk: requests=%d errors=%d (connect %d, read %d, write %d, non-2xx %d, timeout %d) " ..
    "seconds=%.2f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    summary.requests, errors, e.connect, e.read, e.write, e.status, e.timeout, secs,
    summary.requests / secs, latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3))
end
