-- wrk: strike and reopen fix items as fast as the daemon answers. Each thread walks its share of
-- the items: a first pass strikes them all (the studio's token), the next reopens them all (the
-- client's), and so on, so the two actions on one item are far apart in time.
-- wrk calls request() once on its first thread to check the script, without sending what it
-- returns: that thread's first item is not struck in the first pass, and its reopening in the
-- second is refused (409). A run that gets past its first pass shows that one non-2xx answer.
local items = {}
for id in string.gmatch(os.getenv("BENCH_ITEMS") or "", "[^,]+") do items[#items + 1] = id end
local studio = os.getenv("BENCH_STUDIO")
local client = os.getenv("BENCH_CLIENT")
local counter = 0
local threads = 0

function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end

function init(args)
  counter = 0
  mine = {}
  for i = 1 + offset, #items, 2 do mine[#mine + 1] = items[i] end
end

function request()
  local index = counter % #mine + 1
  local pass = math.floor(counter / #mine)
  counter = counter + 1
  if pass % 2 == 0 then
    return wrk.format("POST", "/v1/fix-items/" .. mine[index] .. "/strike",
      { ["Authorization"] = "Bearer " .. studio, ["Content-Type"] = "application/json" }, '{"note":"done"}')
  else
    return wrk.format("POST", "/v1/fix-items/" .. mine[index] .. "/reopen",
      { ["Authorization"] = "Bearer " .. client, ["Content-Type"] = "application/json" }, '{"reason":"not accepted"}')
  end
end
