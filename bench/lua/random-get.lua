-- GET a random agreement by id: PATH_PREFIX + id, ids from IDS_FILE.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
local prefix = os.getenv("PATH_PREFIX")
local header = os.getenv("IF_NONE_MATCH")
request = function()
  local headers = {}
  if header then headers["If-None-Match"] = header end
  return wrk.format("GET", prefix .. ids[math.random(#ids)], headers)
end
