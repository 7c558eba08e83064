-- wrk script for benches/serve.sh: the queries of benches/queries.txt, in turn, through
-- /api/search (top 10 hits with snippets and facets, as the search page asks).
local paths = {}
local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
for line in io.lines(os.getenv("NHIP_QUERIES") or "benches/queries.txt") do
  if line:match("%S") and not line:match("^%s*#") then
    paths[#paths + 1] = "/api/search?limit=10&q=" .. encode(line)
  end
end
local next_query = 0
request = function()
  next_query = next_query % #paths + 1
  return wrk.format("GET", paths[next_query])
end
