-- pgbench script of scripts/search_ceiling.sh: the query of /api/v1/jobs
-- (companies for one ROME code within 30 km, the 150 nearest) in PostGIS,
-- over the same 10 ROME codes × 12 cities as jobs.lua. The arrays are
-- folded into constants by the planner (pgbench's simple protocol
-- substitutes :r and :c as text), so the GiST index on (rome, geog) serves
-- both the filter and the nearest-first order.
\set r random(1, 10)
\set c random(1, 12)
SELECT siret, ST_Distance(geog, p) AS metres
FROM bench_company_romes,
     (SELECT ST_SetSRID(ST_MakePoint(
          (ARRAY[2.3522, 4.8357, 5.3698, 1.4442, -1.5536, 7.7521, -0.5792, 3.0573, -1.6778, 5.7245, 4.0317, 5.0415])[:c],
          (ARRAY[48.8566, 45.7640, 43.2965, 43.6047, 47.2184, 48.5734, 44.8378, 50.6292, 48.1173, 45.1885, 49.2583, 47.3220])[:c]),
        4326)::geography AS p) AS centre
WHERE rome = (ARRAY['D1102', 'F1703', 'H2913', 'M1607', 'D1106', 'G1602', 'I1604', 'K2204', 'N4101', 'J1501'])[:r]
  AND ST_DWithin(geog, p, 30000)
ORDER BY geog <-> p
LIMIT 150;
