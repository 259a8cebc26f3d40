-- Counts a batch of events into their event-time windows, atomically and idempotently.
-- KEYS: 1 retained-event stream, 2 late counts, 3 counted, 4 open windows, 5 highest validated sequence, then the
--   seen-sets of the batch, then the window hashes of the batch (all keys share the region's hash tag: one slot).
-- ARGV: seen-ttl ms, window-ttl ms, stream-maxlen, number of seen-sets S, then 15 values per event:
--   dedup key, event type, window start ms, seen-set index (1..S), window index (1..W), window close ms,
--   is error (0/1), e2e bucket, transit bucket (-1: none), e2e latency us, transit latency us, arrival ms (now, or
--   the original arrival of a replayed event; lateness is judged at it), event JSON to retain ('' for replayed
--   events, retained already), validatedat ('' if none), validated sequence number (0 if none)
-- Retained events go to the stream with fields e (event JSON), a (arrival ms), v (validatedat), so a replay re-emits
-- them with the same arrival and validation times and rebuilds the same windows. The stream is capped by length here
-- and by age in close.lua.
-- Returns per event: 0 already counted, 1 counted in its window, 2 counted as late.
-- Increments are summed per hash field first and written once each, so a batch costs one write per distinct field.
local stream, late_key, counted_key, open_key, validated_key = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local seen_ttl, window_ttl, maxlen, nseen = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local results = {}
local sums = {}        -- hash key -> field -> increment
local windows = {}     -- window key -> { start, close time }
local closed = {}      -- window key -> is closed (cached HEXISTS)
local seen_used = {}   -- seen-set key -> true (to refresh its expiry once)
local counted = 0
local highest = 0

local function add(key, field, n)
  local fields = sums[key]
  if not fields then
    fields = {}
    sums[key] = fields
  end
  fields[field] = (fields[field] or 0) + n
end

for i = 5, #ARGV, 15 do
  local key, etype, ws = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local seen, wkey = KEYS[5 + tonumber(ARGV[i + 3])], KEYS[5 + nseen + tonumber(ARGV[i + 4])]
  local close_at, is_error, bucket, tbucket = tonumber(ARGV[i + 5]), ARGV[i + 6], ARGV[i + 7], ARGV[i + 8]
  local micros, transit_micros, late_ref = tonumber(ARGV[i + 9]), tonumber(ARGV[i + 10]), tonumber(ARGV[i + 11])
  local json, validated_at, sequence = ARGV[i + 12], ARGV[i + 13], tonumber(ARGV[i + 14])
  if sequence > highest then
    highest = sequence
  end
  seen_used[seen] = true
  if redis.call('SADD', seen, key) == 0 then
    results[#results + 1] = 0
  else
    counted = counted + 1
    if json ~= '' then
      redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'e', json, 'a', ARGV[i + 11], 'v', validated_at)
    end
    local is_closed = false
    if json ~= '' then
      if closed[wkey] == nil then
        closed[wkey] = redis.call('HEXISTS', wkey, 'closed') == 1
      end
      is_closed = closed[wkey]
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
      windows[wkey] = { ws, close_at }
      results[#results + 1] = 1
    end
  end
end

for seen in pairs(seen_used) do
  redis.call('PEXPIRE', seen, seen_ttl)
end
if counted > 0 then
  redis.call('INCRBY', counted_key, counted)
end
if highest > 0 then
  local current = tonumber(redis.call('GET', validated_key) or '0')
  if highest > current then
    redis.call('SET', validated_key, highest)
  end
end
for key, fields in pairs(sums) do
  for field, n in pairs(fields) do
    redis.call('HINCRBY', key, field, n)
  end
end
for wkey, window in pairs(windows) do
  if redis.call('PTTL', wkey) < 0 then
    redis.call('PEXPIRE', wkey, window_ttl)
  end
  redis.call('ZADD', open_key, 'NX', window[2], window[1])
end
return results
