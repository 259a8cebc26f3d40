-- wrk script: POST a binary-mode CloudEvent with a fresh id per request (so validate de-duplicates new events).
local counter = 0
local threads = {}

function setup(thread)
  thread:set("thread_tag", #threads + 1)
  table.insert(threads, thread)
end

-- Ids are unique across threads (thread_tag), runs (the start second) and requests (counter), so every request
-- carries events never seen before: the benchmark measures new events, not the cheaper duplicate path.
local run_tag = 0

function init(args)
  counter = 0
  run_tag = os.time() % 0x7fffffff
end

local body = '{"order_id":"o-1001","customer_id":"c-42","amount":99.95,"currency":"EUR","items":3,' ..
  '"note":"benchmark order with a realistic payload size for the pipeline"}'

-- DELAY_MS > 0 paces each connection with a think time between requests, for a load at a chosen rate below the
-- maximum. Each connection's first wait is drawn uniformly from [0, DELAY_MS), so the connections are spread over
-- the period and the server sees a steady rate rather than synchronized bursts of one request per connection.
local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
local first = true

function delay()
  if delay_ms <= 0 then
    return 0
  end
  if first then
    first = false
    return math.random(0, delay_ms - 1)
  end
  return delay_ms
end

function request()
  counter = counter + 1
  local id = string.format("%08x-%04x-4000-8000-%012x", run_tag, thread_tag, counter)
  local headers = {
    ["Ce-Specversion"] = "1.0",
    ["Ce-Id"] = id,
    ["Ce-Source"] = "/regions/us-east/instances/bench",
    ["Ce-Type"] = "order.created",
    ["Ce-Time"] = os.date("!%Y-%m-%dT%H:%M:%SZ"),
    ["Content-Type"] = "application/json",
  }
  return wrk.format("POST", "/", headers, body)
end
