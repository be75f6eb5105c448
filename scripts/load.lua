-- wrk script: cycles through search, autocomplete and place queries.
-- Used by scripts/load.sh; every request targets the local server only.
local cities = {
  {48.8566, 2.3522}, {45.7640, 4.8357}, {43.2965, 5.3698}, {43.6047, 1.4442},
  {47.2184, -1.5536}, {48.5734, 7.7521}, {44.8378, -0.5792}, {50.6292, 3.0573},
  {48.1173, -1.6778}, {45.1885, 5.7245}, {49.2583, 4.0317}, {47.3220, 5.0415},
}
local romes = {"D1102", "F1703", "H2913", "M1607", "D1106", "G1602", "I1604", "K2204", "N4101", "J1501"}
local metiers = {"boul", "boulanjer", "agent entretien batiment", "coiff", "mecanicien", "vente", "bts", "cuisin"}
local places = {"st etienne", "75011", "lyon", "marseile", "bordeaux", "13", "lille"}
local n = 0

request = function()
  n = n + 1
  local kind = n % 4
  local path
  if kind == 3 then
    path = "/api/v1/metiers?title=" .. metiers[(n % #metiers) + 1]:gsub(" ", "%%20")
  elseif kind == 2 then
    path = "/api/v1/places?q=" .. places[(n % #places) + 1]:gsub(" ", "%%20")
  else
    local c = cities[(n % #cities) + 1]
    local r = romes[(math.floor(n / 3) % #romes) + 1]
    path = string.format("/api/v1/jobsEtFormations?romes=%s&latitude=%f&longitude=%f&radius=30&caller=load", r, c[1], c[2])
  end
  return wrk.format("GET", path)
end
