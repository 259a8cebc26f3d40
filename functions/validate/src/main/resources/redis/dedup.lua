-- Marks events as seen, atomically: SET NX with a TTL per (source, id) key, and for each event seen first, one
-- increment of the region's count of validated events (aggregate's queue depth is validated minus aggregated).
-- ARGV: region, ttl ms, value, then one dedup key per event. Returns per key: 1 seen first, 0 seen before.
local region, ttl, value = ARGV[1], ARGV[2], ARGV[3]
local results = {}
local first = 0
for i = 4, #ARGV do
  if redis.call('SET', 'dedup:' .. ARGV[i], value, 'NX', 'PX', ttl) then
    results[#results + 1] = 1
    first = first + 1
  else
    results[#results + 1] = 0
  end
end
if first > 0 then
  redis.call('INCRBY', 'val:count:' .. region, first)
end
return results
