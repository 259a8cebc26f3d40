-- wrk script: POST a binary-mode CloudEvent with a fresh id per request (so validate de-duplicates new events).
dofile("bench/ids.lua")

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
  local id = next_id()
  local headers = {
    ["Ce-Specversion"] = "1.0",
    ["Ce-Id"] = id,
    ["Ce-Source"] = "/regions/us-east/instances/bench",
    ["Ce-Type"] = "order.created",
    ["Ce-Time"] = os.date("!%Y-%m-%dT%H:%M:%SZ"),
    ["Content-Type"] = "application/json",
  }
  for name, value in pairs(wrk.headers) do -- what -H adds (the edge's key, for coldstart.sh)
    headers[name] = value
  end
  return wrk.format("POST", nil, headers, body) -- the URL's path
end
