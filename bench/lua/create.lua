-- POST agreements, each with its own Idempotency-Key (thread number + counter), through the API's write path.
local threads = 0
function setup(thread)
  threads = threads + 1
  -- unique across runs too: wrk's math.random is not seeded, so the run id and the time go into every key
  thread:set("tid", tostring(threads) .. "-" .. (os.getenv("RUN_ID") or "0") .. "-" .. tostring(os.time()))
end
local counter = 0
local partner = os.getenv("PARTNER_ID")
local key = os.getenv("API_KEY")
request = function()
  counter = counter + 1
  local id = tid .. "-" .. counter
  local body = string.format(
    '{"partnerId":"%s","type":"mou","title":{"ja":"計測用の覚書 %s","en":"bench-create-%s"},"signedOn":"2026-11","cooperation":{"scopes":["mutual-visits","publication-exchange"],"isOpenEnded":true}}',
    partner, id, id)
  return wrk.format("POST", "/api/v1/agreements", {["Content-Type"] = "application/json", ["X-Api-Key"] = key, ["Idempotency-Key"] = id}, body)
end
