-- wrk script for benches/serve-load.sh: cycles through the request targets
-- of a file (one per line), each thread from its own starting point.
local targets = {}
local file = os.getenv("TARGETS")
for line in io.lines(file) do
  if #line > 0 then targets[#targets + 1] = line end
end
local counter = 0
local offset = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter * 97)
end

local i = 0
function request()
  i = i + 1
  return wrk.format("GET", targets[((i + offset) % #targets) + 1])
end

function done(summary, latency, requests)
  io.write(string.format("requests %d errors(status) %d errors(timeout) %d\n",
    summary.requests, summary.errors.status, summary.errors.timeout))
  io.write(string.format("p50_ms %.2f p90_ms %.2f p99_ms %.2f max_ms %.2f mean_ms %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000))
  io.write(string.format("rps %.1f\n", summary.requests / (summary.duration / 1e6)))
end
