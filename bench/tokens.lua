-- Each request signs in as the next seeded user (bearer, or the web's cookie for pages).
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do tokens[#tokens + 1] = line end
local cookie = os.getenv("BENCH_COOKIE") == "1"
local i = 0
function setup(thread) thread:set("offset", math.random(#tokens)) end
function init(args) i = tonumber(offset) or 0 end
function request()
  i = i % #tokens + 1
  local headers = cookie and { ["Cookie"] = "drop_token=" .. tokens[i] } or { ["Authorization"] = "Bearer " .. tokens[i] }
  return wrk.format("GET", wrk.path, headers)
end
