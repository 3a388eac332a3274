-- wrk: create clients as fast as the daemon answers, as the head coordinator; each a new row and
-- journal event (one INSERT of the client, one of the event, in one mutation).
local head = os.getenv("BENCH_HEAD")
local counter = 0
local threads = 0

function setup(thread)
  thread:set("thread", threads)
  threads = threads + 1
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/v1/clients",
    { ["Authorization"] = "Bearer " .. head, ["Content-Type"] = "application/json" },
    '{"name":"Bench client ' .. thread .. "-" .. counter .. '"}')
end
