-- wrk: GET a random path of PATHS_FILE (one a line), for scripts/cluster.sh prove's read mix.
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do paths[#paths + 1] = line end
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
