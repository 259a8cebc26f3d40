-- wrk script: POST a batch (application/cloudevents-batch+json) of BATCH validated events with fresh ids, the
-- input aggregate receives. BATCH=1 posts single structured events instead.
local batch = tonumber(os.getenv("BATCH") or "100")
dofile("bench/ids.lua")

local types = { "order.created", "payment.processed", "page.view" }

local function event(id, ts, etype)
  return '{"specversion":"1.0","id":"' .. id .. '","source":"/regions/us-east/instances/bench",' ..
    '"type":"dev.globalevents.event.validated","eventtype":"' .. etype .. '","data":{"id":"' .. id ..
    '","timestamp":"' .. ts .. '","type":"' .. etype .. '","source":{"region":"us-east","instance":"bench"},' ..
    '"payload":{"order_id":"o-1","amount":9.5,"status":"succeeded"},"metadata":{"version":"1.0","priority":5,"tags":["bench"]}}}'
end

function request()
  local ts = os.date("!%Y-%m-%dT%H:%M:%SZ")
  local parts = {}
  for i = 1, batch do
    local id, n = next_id()
    parts[i] = event(id, ts, types[(n % 3) + 1])
  end
  if batch == 1 then
    return wrk.format("POST", nil, { ["Content-Type"] = "application/cloudevents+json" }, parts[1])
  end
  return wrk.format("POST", nil, { ["Content-Type"] = "application/cloudevents-batch+json" },
    "[" .. table.concat(parts, ",") .. "]")
end
