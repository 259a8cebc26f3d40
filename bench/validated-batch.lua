-- wrk script: POST a batch (application/cloudevents-batch+json) of BATCH validated events with fresh ids, the
-- input aggregate receives. BATCH=1 posts single structured events instead.
local batch = tonumber(os.getenv("BATCH") or "100")
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
    counter = counter + 1
    local id = string.format("%08x-%04x-4000-8000-%012x", run_tag, thread_tag, counter)
    parts[i] = event(id, ts, types[(counter % 3) + 1])
  end
  if batch == 1 then
    return wrk.format("POST", "/", { ["Content-Type"] = "application/cloudevents+json" }, parts[1])
  end
  return wrk.format("POST", "/", { ["Content-Type"] = "application/cloudevents-batch+json" },
    "[" .. table.concat(parts, ",") .. "]")
end
