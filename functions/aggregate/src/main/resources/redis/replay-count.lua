-- Counts the entries of a stream between two ids, a chunk at a time so Redis is never blocked for long.
-- KEYS: the stream. ARGV: first id (inclusive, or '(' id for exclusive), last id, chunk size.
-- Returns { entries counted in this chunk, id of the last one ('' when none) }.
local entries = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[2], 'COUNT', ARGV[3])
local last = ''
if #entries > 0 then
  last = entries[#entries][1]
end
return { #entries, last }
