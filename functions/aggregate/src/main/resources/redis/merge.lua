-- Merges window summaries published by regions (peers' and this region's own), idempotently: per origin region
-- and window it keeps the summary with the latest closed_at (ties: the greater JSON text), so the stored result
-- is the same whatever the order, repetition or replay of deliveries.
-- ARGV: ttl ms, received-at ms, then 5 values per summary: window start ms, window end ms, origin region,
--   closed_at ms, summary JSON.
-- Keys: glob:w:<start> (fields v:<origin> version, s:<origin> JSON), glob:windows (zset of window starts),
--   glob:latest (origin -> newest window end merged), glob:heard (origin -> when a summary last arrived).
-- Returns per summary: 1 stored, 0 already had this or a newer one.
local ttl, now = ARGV[1], ARGV[2]
local results = {}
for i = 3, #ARGV, 5 do
  local ws, we, origin, version, json = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3]), ARGV[i + 4]
  local key = 'glob:w:' .. ws
  local current = redis.call('HMGET', key, 'v:' .. origin, 's:' .. origin)
  local held = tonumber(current[1])
  if not held or version > held or (version == held and json > current[2]) then
    redis.call('HSET', key, 'v:' .. origin, version, 's:' .. origin, json)
    redis.call('PEXPIRE', key, ttl)
    redis.call('ZADD', 'glob:windows', ws, ws)
    results[#results + 1] = 1
  else
    results[#results + 1] = 0
  end
  local latest = tonumber(redis.call('HGET', 'glob:latest', origin))
  if not latest or tonumber(we) > latest then
    redis.call('HSET', 'glob:latest', origin, we)
  end
  redis.call('HSET', 'glob:heard', origin, now)
end
redis.call('ZREMRANGEBYSCORE', 'glob:windows', '-inf', tonumber(now) - tonumber(ttl))
return results
