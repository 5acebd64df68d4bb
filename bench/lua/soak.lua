-- The soak mix (bench/soak.py): public reads of every kind, creates with Idempotency-Key, and merge-patch updates
-- with If-Match of agreements this thread created. Counts responses by status and the acknowledged writes; done()
-- prints them as one line "SOAK {json}" with the latency percentiles for soak.py to read.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
local partner = os.getenv("PARTNER_ID")
local key = os.getenv("API_KEY")
local run = os.getenv("RUN_ID")
local write_percent = tonumber(os.getenv("WRITE_PERCENT") or "10")
local backdated_percent = tonumber(os.getenv("BACKDATED_PERCENT") or "0")

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", tostring(#threads))
end

statuses = {}      -- status code -> count
created = 0        -- acknowledged creates (201)
updated = 0        -- acknowledged updates (200 to a PATCH)
local mine = {}    -- agreements this thread created: {id, etag}, used once each by an update
local patches = 0  -- updates sent by this thread
local counter = 0
local countries = {"JP", "US", "GB", "DE", "FR", "SG", "KR", "TW", "CN", "AU"}
local searches = {"%E5%A4%A7%E5%AD%A6", "%E5%A4%A7%E9%98%AA", "univ", "%E7%A0%94%E7%A9%B6"}  -- 大学, 大阪, univ, 研究

local function read()
  local r = math.random(100)
  if r <= 45 then
    return wrk.format("GET", "/api/v1/agreements/" .. ids[math.random(#ids)])
  elseif r <= 65 then
    return wrk.format("GET", "/api/v1/agreements?country=" .. countries[math.random(#countries)] .. "&limit=20")
  elseif r <= 75 then
    return wrk.format("GET", "/api/v1/partners?limit=20&lang=en")
  elseif r <= 82 then
    return wrk.format("GET", "/api/v1/agreements?q=" .. searches[math.random(#searches)] .. "&limit=20")
  elseif r <= 88 then
    return wrk.format("GET", "/api/v1/stats")
  elseif r <= 94 then
    return wrk.format("GET", "/api/v1/changes?limit=100", {["X-Api-Key"] = key})
  else
    return wrk.format("GET", "/api/v1/partners/osaka-prefecture/agreements")
  end
end

request = function()
  if math.random(100) <= write_percent then
    if #mine > 0 and math.random(2) == 1 then
      local target = table.remove(mine, 1)
      -- A note no earlier update sent: a patch that changes nothing is answered 200 without a new version, and the
      -- consistency check counts one change record per acknowledged update.
      patches = patches + 1
      return wrk.format("PATCH", "/api/v1/agreements/" .. target[1],
        {["Content-Type"] = "application/merge-patch+json", ["X-Api-Key"] = key, ["If-Match"] = target[2]},
        '{"sourceNote":"soak update ' .. tid .. "-" .. patches .. '"}')
    end
    counter = counter + 1
    local name = "soak-" .. run .. "-" .. tid .. "-" .. counter
    -- A share of the creates is dated in the past (a day of 2016-2020, as an import of historical MOUs): each lands
    -- before most stored agreements, so their running numbers move.
    local signed = string.format("2026-11-%02d", 1 + counter % 28)
    if math.random(100) <= backdated_percent then
      signed = os.date("!%Y-%m-%d", os.time({year = 2016, month = 1, day = 1, hour = 12}) + math.random(0, 1825) * 86400)
    end
    local body = string.format(
      '{"partnerId":"%s","type":"mou","title":{"ja":"耐久試験の覚書 %s","en":"%s"},"signedOn":"%s","cooperation":{"scopes":["mutual-visits","event-cooperation"],"isOpenEnded":true}}',
      partner, name, name, signed)
    return wrk.format("POST", "/api/v1/agreements", {["Content-Type"] = "application/json", ["X-Api-Key"] = key, ["Idempotency-Key"] = name}, body)
  end
  return read()
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local etag = headers["ETag"] or headers["etag"]
  -- A write's ETag is the bare version ("v2"); a read's has the data tag after it ("v2.abc…").
  if etag and etag:match('^"v%d+"$') then
    local id = body:match('"id":"([0-9a-f%-]+)"')
    if status == 201 then created = created + 1 elseif status == 200 then updated = updated + 1 end
    if id then table.insert(mine, {id, etag}) end
  end
end

done = function(summary, latency, requests)
  local all, made, changed = {}, 0, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do all[status] = (all[status] or 0) + count end
    made = made + thread:get("created")
    changed = changed + thread:get("updated")
  end
  local parts = {}
  for status, count in pairs(all) do table.insert(parts, string.format('"%d":%d', status, count)) end
  io.write(string.format(
    'SOAK {"requests":%d,"seconds":%.3f,"statuses":{%s},"created":%d,"updated":%d,"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},' ..
    '"latency_ms":{"p50":%.3f,"p90":%.3f,"p99":%.3f,"p999":%.3f,"max":%.3f}}\n',
    summary.requests, summary.duration / 1e6, table.concat(parts, ","), made, changed,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000))
end
