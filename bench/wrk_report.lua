-- wrk script for bench/load.sh: counts responses by status in every thread and prints one
-- RESULT line of JSON at the end. POSTs when LOAD_BODY is set (the debtor lookup form).
local body = os.getenv("LOAD_BODY")
if body and body ~= "" then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts, parts, errors = {}, {}, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, count))
    -- Any answer other than 2xx or 429 (the rate limit) is an error.
    if (status < 200 or status > 299) and status ~= 429 then errors = errors + count end
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, '
      .. '"max_ms": %.2f, "errors": %d, "socket_errors": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors + socket_errors, socket_errors, table.concat(parts, ", ")))
end
