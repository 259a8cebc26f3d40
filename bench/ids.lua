-- Shared by the wrk scripts: event ids unique across threads (thread_tag), runs (the start second) and requests
-- (counter), so every request carries events never seen before and a benchmark measures new events, not the
-- cheaper duplicate path.
local threads = {}
local counter = 0
local run_tag = 0

function setup(thread)
  thread:set("thread_tag", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  run_tag = os.time() % 0x7fffffff
end

function next_id()
  counter = counter + 1
  return string.format("%08x-%04x-4000-8000-%012x", run_tag, thread_tag, counter), counter
end
