-- Counts a batch of events into their event-time windows, atomically and idempotently.
-- ARGV: region, seen-ttl-ms, window-ttl-ms, stream-maxlen, then 12 values per event:
--   dedup key, event type, window start ms, window close ms, is error (0/1), e2e bucket, transit bucket (-1: none),
--   e2e latency in microseconds, transit (validated -> aggregated) in microseconds, arrival ms (now, or the original arrival time of a replayed event; lateness is
--   judged at it), event JSON to retain ('' for replayed events, which are retained already), validatedat ('' if none)
-- Retained events go to the stream events:<region> with fields e (event JSON), a (arrival ms), v (validatedat), so a
-- replay re-emits them with the same arrival and validation times and rebuilds the same windows. The stream is
-- capped by length here and by age in close.lua.
-- Returns per event: 0 already counted, 1 counted in its window, 2 counted as late.
-- Increments are summed per hash field first and written once each, so a batch costs one write per distinct field.
local region = ARGV[1]
local seen_ttl, window_ttl, maxlen = ARGV[2], ARGV[3], ARGV[4]
local results = {}
local sums = {}        -- hash key -> field -> increment
local windows = {}     -- window start -> close time
local closed = {}      -- window start -> is closed (cached HEXISTS)
local counted = 0

local function add(key, field, n)
  local fields = sums[key]
  if not fields then
    fields = {}
    sums[key] = fields
  end
  fields[field] = (fields[field] or 0) + n
end

local stream, late_key, wprefix = 'events:' .. region, 'agg:late:' .. region, 'agg:w:' .. region .. ':'
local wkeys = {}       -- window start -> window hash key
local seen_sets = {}   -- seen-set key -> true (to refresh its expiry once)

for i = 5, #ARGV, 12 do
  local key, etype, ws, close_at = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
  local is_error, bucket, tbucket, micros = ARGV[i + 4], ARGV[i + 5], ARGV[i + 6], tonumber(ARGV[i + 7])
  local transit_micros = tonumber(ARGV[i + 8])
  local late_ref, json, validated_at = tonumber(ARGV[i + 9]), ARGV[i + 10], ARGV[i + 11]
  -- (source, id) keys are remembered in one set per 1,000 s of event time (the window start without its last 6
  -- digits), kept seen-ttl after its last addition: cheaper than a key with its own expiry per event
  local seen = 'agg:seen:' .. string.sub(ws, 1, -7)
  seen_sets[seen] = true
  if redis.call('SADD', seen, key) == 0 then
    results[#results + 1] = 0
  else
    counted = counted + 1
    if json ~= '' then
      redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'e', json, 'a', ARGV[i + 9], 'v', validated_at)
    end
    local wkey = wkeys[ws]
    if not wkey then
      wkey = wprefix .. ws
      wkeys[ws] = wkey
    end
    local is_closed = false
    if json ~= '' then
      if closed[ws] == nil then
        closed[ws] = redis.call('HEXISTS', wkey, 'closed') == 1
      end
      is_closed = closed[ws]
    end
    if close_at <= late_ref or is_closed then
      add(late_key, etype, 1)
      results[#results + 1] = 2
    else
      add(wkey, 'n:' .. etype, 1)
      if is_error == '1' then
        add(wkey, 'e:' .. etype, 1)
      end
      add(wkey, 'h:' .. etype .. ':' .. bucket, 1)
      if tbucket ~= '-1' then
        add(wkey, 't:' .. etype .. ':' .. tbucket, 1)
        add(wkey, 'u:' .. etype, transit_micros)
      end
      add(wkey, 's:' .. etype, micros)
      windows[ws] = close_at
      results[#results + 1] = 1
    end
  end
end

for seen in pairs(seen_sets) do
  redis.call('PEXPIRE', seen, seen_ttl)
end
if counted > 0 then
  redis.call('INCRBY', 'agg:count:' .. region, counted)
end
for key, fields in pairs(sums) do
  for field, n in pairs(fields) do
    redis.call('HINCRBY', key, field, n)
  end
end
for ws, close_at in pairs(windows) do
  local wkey = 'agg:w:' .. region .. ':' .. ws
  if redis.call('PTTL', wkey) < 0 then
    redis.call('PEXPIRE', wkey, window_ttl)
  end
  redis.call('ZADD', 'agg:open:' .. region, 'NX', close_at, ws)
end
return results
