-- Claims the windows of a region whose close time has passed, exactly once across all replicas: each claimed
-- window is removed from the open set, flagged closed with the closing time (later events count as late; the time
-- versions the window's summary) and queued in the outbox.
-- ARGV: region, now ms, max windows. Returns the claimed window starts.
local region, now, limit = ARGV[1], ARGV[2], ARGV[3]
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
return claimed
