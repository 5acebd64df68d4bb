-- POST agreements, each with its own Idempotency-Key (thread number + counter), through the API's write path.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", tostring(threads) .. "-" .. tostring(math.random(1, 1000000000)))
end
local counter = 0
local partner = os.getenv("PARTNER_ID")
local key = os.getenv("API_KEY")
request = function()
  counter = counter + 1
  local id = tid .. "-" .. counter
  local body = string.format(
    '{"partnerId":"%s","type":"mou","title":{"ja":"計測用の覚書 %s","en":"bench-create-%s"},"signedOn":"2026-10","cooperation":{"scopes":["mutual-visits","publication-exchange"],"isOpenEnded":true}}',
    partner, id, id)
  return wrk.format("POST", "/api/v1/agreements", {["Content-Type"] = "application/json", ["X-Api-Key"] = key, ["Idempotency-Key"] = id}, body)
end
