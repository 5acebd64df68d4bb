-- POST agreements dated in the past (days spread over 2016-2020, as an import of historical MOUs), each with its own
-- Idempotency-Key: every one lands before most stored agreements, so their running numbers move.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", tostring(threads) .. "-" .. (os.getenv("RUN_ID") or "0") .. "-" .. tostring(os.time()))
  thread:set("tindex", threads)
end
local counter = 0
local partner = os.getenv("PARTNER_ID")
local key = os.getenv("API_KEY")
request = function()
  counter = counter + 1
  local id = tid .. "-" .. counter
  -- 1,826 days from 2016-01-01, visited in a scattered order
  local day = (counter * 7919 + tindex * 104729) % 1826
  local date = os.date("!%Y-%m-%d", os.time({year = 2016, month = 1, day = 1, hour = 12}) + day * 86400)
  local body = string.format(
    '{"partnerId":"%s","type":"mou","title":{"ja":"過去の覚書 %s","en":"bench-backdated-%s"},"signedOn":"%s","cooperation":{"scopes":["mutual-visits","publication-exchange"],"isOpenEnded":true}}',
    partner, id, id, date)
  return wrk.format("POST", "/api/v1/agreements", {["Content-Type"] = "application/json", ["X-Api-Key"] = key, ["Idempotency-Key"] = id}, body)
end
