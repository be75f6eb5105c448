-- wrk script: orientation questionnaires in turn (issue 16 figure), on the
-- local demo. `ORIENTATION_PATH` picks the route: `/orientation/resultats`
-- (the page: ranked, rendered and recorded; each request is a new visitor)
-- or `/api/v1/orientation` (the API: ranked only).
local path = os.getenv("ORIENTATION_PATH") or "/orientation/resultats"
local interests = {
  {1, 14, 27}, {2, 5, 9, 30}, {3, 7, 11, 19, 22}, {4, 8, 12}, {6, 13, 17, 25},
  {10, 15, 20}, {16, 21, 26, 28, 29}, {18, 23, 24}, {1, 2, 3, 4}, {27, 28, 29, 30},
}
local communes = {"69123", "75056", "13055", "31555", "44109", "67482", "33063", "59350", "35238", "38185", ""}
-- ORIENTATION_COMMUNES_LUA: a file returning a longer list (the load script
-- draws communes weighted by population, so that the counts cache meets
-- the variety of real traffic rather than 11 cities).
local file = os.getenv("ORIENTATION_COMMUNES_LUA")
if file and file ~= "" then communes = dofile(file) end
local levels = {"", "3", "4", "5"}
local n = 0

request = function()
  n = n + 1
  local chosen = interests[(n % #interests) + 1]
  local insee = communes[(math.floor(n / 3) % #communes) + 1]
  local level = levels[(n % #levels) + 1]
  local q
  if path == "/api/v1/orientation" then
    q = "interets=" .. table.concat(chosen, ",")
    if insee ~= "" then q = q .. "&insee=" .. insee end
    if level ~= "" then q = q .. "&niveau=" .. level end
  else
    local parts = {}
    for _, c in ipairs(chosen) do parts[#parts + 1] = "interets=" .. c end
    q = table.concat(parts, "&") .. "&insee=" .. insee .. "&niveau=" .. level
  end
  return wrk.format("GET", path .. "?" .. q)
end
