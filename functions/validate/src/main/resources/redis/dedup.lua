-- Marks events as seen, atomically, and numbers the region's validated events: an event seen first takes the next
-- number of the region's sequence, kept as the value of its seen-key for the de-duplication window; an event seen
-- before gets the number it took then, so a repeated delivery is answered with the same validated event.
-- KEYS[1]: the sequence; KEYS[2..]: one seen-key per event (all with the region's hash tag: one slot).
-- ARGV[1]: how long an event is remembered, ms.
-- Returns per event its number: positive when seen first now, negative when seen before.
local results = {}
for i = 2, #KEYS do
  local number = redis.call('GET', KEYS[i])
  if number then
    results[#results + 1] = -tonumber(number)
  else
    number = redis.call('INCR', KEYS[1])
    redis.call('SET', KEYS[i], number, 'PX', ARGV[1])
    results[#results + 1] = number
  end
end
return results
