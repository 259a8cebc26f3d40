-- Merges window summaries published by regions (peers' and this region's own), idempotently: per origin region
-- and window it keeps the summary with the latest closed_at (ties: the greater JSON text), so the stored result
-- is the same whatever the order, repetition or replay of deliveries.
-- KEYS: 1 windows of the view (zset of window starts), 2 latest (origin -> newest window end merged), 3 heard
--   (origin -> when a summary last arrived), then one window hash per summary (fields v:<origin> version, s:<origin>
--   JSON); all share the global view's hash tag (one slot).
-- ARGV: ttl ms, received-at ms, then 5 values per summary: window start ms, window end ms, origin region,
--   closed_at ms, summary JSON.
-- Returns per summary: 1 stored, 0 already had this or a newer one.
local windows, latest_key, heard = KEYS[1], KEYS[2], KEYS[3]
local ttl, now = ARGV[1], ARGV[2]
local results = {}
for i = 3, #ARGV, 5 do
  local ws, we, origin, version, json = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3]), ARGV[i + 4]
  local key = KEYS[3 + (i + 2) / 5]
  local current = redis.call('HMGET', key, 'v:' .. origin, 's:' .. origin)
  local held = tonumber(current[1])
  if not held or version > held or (version == held and json > current[2]) then
    redis.call('HSET', key, 'v:' .. origin, version, 's:' .. origin, json)
    redis.call('PEXPIRE', key, ttl)
    redis.call('ZADD', windows, ws, ws)
    results[#results + 1] = 1
  else
    results[#results + 1] = 0
  end
  local latest = tonumber(redis.call('HGET', latest_key, origin))
  if not latest or tonumber(we) > latest then
    redis.call('HSET', latest_key, origin, we)
  end
  redis.call('HSET', heard, origin, now)
end
redis.call('ZREMRANGEBYSCORE', windows, '-inf', tonumber(now) - tonumber(ttl))
return results
