-- Claims windows whose close time has passed, exactly once across all replicas: each candidate still in the open set
-- is removed from it, flagged closed with the closing time (later events count as late; the time versions the
-- window's summary) and queued in the outbox. The caller lists the candidates (read from the open set just before),
-- so every key is declared; ZREM decides which replica claims each.
-- Also trims the retained events older than the retention (once per tick, off the counting path).
-- KEYS: 1 open windows, 2 outbox, 3 retained-event stream, then one window hash per candidate (one hash tag: one slot).
-- ARGV: now ms, event retention ms (0: no age limit), then the candidates' window starts (same order as their keys).
-- Returns the claimed window starts.
local open, outbox, stream = KEYS[1], KEYS[2], KEYS[3]
local now, retention = ARGV[1], tonumber(ARGV[2])
local claimed = {}
for i = 3, #ARGV do
  local ws = ARGV[i]
  if redis.call('ZREM', open, ws) == 1 then
    redis.call('HSET', KEYS[i + 1], 'closed', now)
    redis.call('XADD', outbox, '*', 'window', ws)
    claimed[#claimed + 1] = ws
  end
end
if retention > 0 then
  -- stream ids are Redis time, so age is judged by Redis's clock
  local time = redis.call('TIME')
  local now_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  redis.call('XTRIM', stream, 'MINID', now_ms - retention)
end
return claimed
