-- PATCH distinct agreements at version 1 with If-Match "v1": each thread takes its own slice of IDS_FILE.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tindex", threads)
end
local i = 0
local key = os.getenv("API_KEY")
request = function()
  i = i + 1
  local slice = math.floor(#ids / 2)
  local id = ids[((tindex - 1) * slice + i - 1) % #ids + 1]
  return wrk.format("PATCH", "/api/v1/agreements/" .. id,
    {["Content-Type"] = "application/merge-patch+json", ["X-Api-Key"] = key, ["If-Match"] = '"v1"'},
    '{"sourceNote":"updated by the benchmark"}')
end
