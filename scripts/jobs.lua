-- wrk script of scripts/search_ceiling.sh: /api/v1/jobs for companies
-- likely to hire (sources=lba, at most 150), 10 ROME codes × 12 cities,
-- radius 30 km. The same cycle as the jobs part of load.lua.
local cities = {
  {48.8566, 2.3522}, {45.7640, 4.8357}, {43.2965, 5.3698}, {43.6047, 1.4442},
  {47.2184, -1.5536}, {48.5734, 7.7521}, {44.8378, -0.5792}, {50.6292, 3.0573},
  {48.1173, -1.6778}, {45.1885, 5.7245}, {49.2583, 4.0317}, {47.3220, 5.0415},
}
local romes = {"D1102", "F1703", "H2913", "M1607", "D1106", "G1602", "I1604", "K2204", "N4101", "J1501"}
local n = 0

request = function()
  n = n + 1
  local c = cities[(n % #cities) + 1]
  local r = romes[(math.floor(n / #cities) % #romes) + 1]
  return wrk.format("GET", string.format(
    "/api/v1/jobs?romes=%s&latitude=%f&longitude=%f&radius=30&sources=lba&caller=load", r, c[1], c[2]))
end
