-- wrk script of scripts/bench-icap.sh: POSTs 10 KB bodies through Squid to
-- the origin (an absolute URI in the request line, as a browser sends to a
-- proxy) and checks every answer. Environment:
--   LG_URL         http://127.0.0.1:ORIGIN/upload
--   LG_CLEAN, LG_CARD             the body files (icapbench bodies)
--   LG_CLEAN_SHA, LG_CARD_SHA     their SHA-256, sent for the origin to compare
--   LG_CARD_EVERY  every n-th request of a thread carries the card (0: none)
--   LG_CLOSE_CARDED  "1" (default): carded requests say "Connection: close"
--                  (Squid 5.7 closes the client connection after a request
--                  that ICAP answered with a 403, although the 403 says
--                  keep-alive; see bench-icap.sh)
-- A clean body must come back 200 "ok clean 10240" from the origin, a carded
-- one 403 with leakguard's page. done() prints one LGWRK line of counts for
-- the shell script, which decides (wrk abandons the requests in flight when
-- its time is up, so sent and answered may differ by the connections open,
-- plus one: wrk calls request() once in the first thread to check the script).

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local url = assert(os.getenv("LG_URL"), "LG_URL not set")
local origin_host = assert(url:match("^http://([^/]+)/"), "LG_URL is not http://HOST:PORT/...")
local every = tonumber(os.getenv("LG_CARD_EVERY") or "0")
local clean_body = slurp(assert(os.getenv("LG_CLEAN")))
local card_body = slurp(assert(os.getenv("LG_CARD")))
local card_value = "4111 1111 1111 1111"
local ok_answer = "ok clean " .. #clean_body

local close_carded = (os.getenv("LG_CLOSE_CARDED") or "1") ~= "0"

local function upload(kind, body, sum)
  local headers = {
    ["Host"] = origin_host,
    ["Content-Type"] = "text/plain; charset=utf-8",
    ["X-Body-Kind"] = kind,
    ["X-Body-SHA256"] = sum,
  }
  if kind == "card" and close_carded then
    headers["Connection"] = "close"
  end
  return wrk.format("POST", url, headers, body)
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- Per thread (each thread has its own Lua state).
local clean_req, card_req
sent_clean, sent_card, ok, blocked, wrong, first_wrong = 0, 0, 0, 0, 0, ""
local n = 0

function init(args)
  clean_req = upload("clean", clean_body, assert(os.getenv("LG_CLEAN_SHA")))
  card_req = upload("card", card_body, assert(os.getenv("LG_CARD_SHA")))
end

function request()
  n = n + 1
  if every > 0 and n % every == 0 then
    sent_card = sent_card + 1
    return card_req
  end
  sent_clean = sent_clean + 1
  return clean_req
end

function response(status, headers, body)
  if status == 200 and body == ok_answer then
    ok = ok + 1
  elseif status == 403 and body:find("Blocked by data-leak policy", 1, true)
      and not body:find(card_value, 1, true) and not body:find("4111111111111111", 1, true) then
    blocked = blocked + 1
  else
    wrong = wrong + 1
    if first_wrong == "" then
      first_wrong = status .. " " .. body:sub(1, 80):gsub("%s+", " ")
    end
  end
end

function done(summary, latency, requests)
  local t = { sent_clean = 0, sent_card = 0, ok = 0, blocked = 0, wrong = 0 }
  local sample = ""
  for _, thread in ipairs(threads) do
    for k in pairs(t) do
      t[k] = t[k] + thread:get(k)
    end
    local w = thread:get("first_wrong")
    if sample == "" and w ~= "" then sample = w end
  end
  local e = summary.errors
  io.write(string.format(
    "LGWRK requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f sent_clean=%d ok=%d sent_card=%d blocked=%d wrong=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    t.sent_clean, t.ok, t.sent_card, t.blocked, t.wrong,
    e.connect, e.read, e.write, e.timeout))
  if sample ~= "" then
    io.write("LGWRK first wrong answer: " .. sample .. "\n")
  end
end
