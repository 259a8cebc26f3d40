-- Claims the windows of a region whose close time has passed, exactly once across all replicas: each claimed
-- window is removed from the open set, flagged closed with the closing time (later events count as late; the time
-- versions the window's summary) and queued in the outbox.
-- Also trims the retained events older than the retention (once per tick, off the counting path).
-- ARGV: region, now ms, max windows, event retention ms (0: no age limit). Returns the claimed window starts.
local region, now, limit, retention = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local open = 'agg:open:' .. region
local due = redis.call('ZRANGEBYSCORE', open, '-inf', now, 'LIMIT', 0, limit)
local claimed = {}
for _, ws in ipairs(due) do
  if redis.call('ZREM', open, ws) == 1 then
    redis.call('HSET', 'agg:w:' .. region .. ':' .. ws, 'closed', now)
    redis.call('XADD', 'agg:outbox:' .. region, '*', 'window', ws)
    claimed[#claimed + 1] = ws
  end
end
if retention > 0 then
  -- stream ids are Redis time, so age is judged by Redis's clock
  local time = redis.call('TIME')
  local now_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  redis.call('XTRIM', 'events:' .. region, 'MINID', now_ms - retention)
end
return claimed
