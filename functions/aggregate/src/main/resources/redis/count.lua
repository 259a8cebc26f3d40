-- Counts a batch of events into their event-time windows, atomically and idempotently.
-- ARGV: region, seen-ttl-ms, window-ttl-ms, stream-maxlen, then 10 values per event:
--   dedup key, event type, window start ms, window close ms, is error (0/1), e2e bucket, transit bucket (-1: none),
--   e2e latency in microseconds, lateness reference ms (now, or the original arrival time of a replayed event),
--   event JSON to retain ('' for replayed events, which are retained already)
-- Returns per event: 0 already counted, 1 counted in its window, 2 counted as late.
local region = ARGV[1]
local seen_ttl, window_ttl, maxlen = ARGV[2], ARGV[3], ARGV[4]
local results = {}
for i = 5, #ARGV, 10 do
  local key, etype, ws, close_at = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
  local is_error, bucket, tbucket, micros = ARGV[i + 4], ARGV[i + 5], ARGV[i + 6], ARGV[i + 7]
  local late_ref, json = tonumber(ARGV[i + 8]), ARGV[i + 9]
  if not redis.call('SET', 'agg:seen:' .. key, '1', 'NX', 'PX', seen_ttl) then
    results[#results + 1] = 0
  else
    redis.call('INCR', 'agg:count:' .. region)
    if json ~= '' then
      redis.call('XADD', 'events:' .. region, 'MAXLEN', '~', maxlen, '*', 'e', json)
    end
    local wkey = 'agg:w:' .. region .. ':' .. ws
    if close_at <= late_ref or (json ~= '' and redis.call('HEXISTS', wkey, 'closed') == 1) then
      redis.call('HINCRBY', 'agg:late:' .. region, etype, 1)
      results[#results + 1] = 2
    else
      if redis.call('HINCRBY', wkey, 'n:' .. etype, 1) == 1 and redis.call('PTTL', wkey) < 0 then
        redis.call('PEXPIRE', wkey, window_ttl)
      end
      if is_error == '1' then
        redis.call('HINCRBY', wkey, 'e:' .. etype, 1)
      end
      redis.call('HINCRBY', wkey, 'h:' .. etype .. ':' .. bucket, 1)
      if tbucket ~= '-1' then
        redis.call('HINCRBY', wkey, 't:' .. etype .. ':' .. tbucket, 1)
      end
      redis.call('HINCRBY', wkey, 's:' .. etype, micros)
      redis.call('ZADD', 'agg:open:' .. region, 'NX', close_at, ws)
      results[#results + 1] = 1
    end
  end
end
return results
