-- Functions work when called schema-qualified from a session whose
-- search_path does not contain carbonbudget (SQL and PL/pgSQL functions carry
-- their own search_path; C functions qualify their catalogue look-ups).
SET search_path = public;
SELECT carbonbudget.carbon_budget('construction', 100, 'east') AS budget_t_c,
       carbonbudget.landuse_coefficient_of('forest') AS forest_coefficient,
       carbonbudget.energy_emissions('raw_coal', 1000) AS coal_t_c,
       carbonbudget.cep_score('stable') AS cep,
       carbonbudget.trend_score(-2.1, 'ce') AS score;
SELECT round((m).i::numeric, 5) AS crime_i
FROM (SELECT carbonbudget.morans_i(crime, geom, 'permutations=0') AS m FROM ref.columbus) s;
SELECT (b).land_class, (b).area_hm2, round((b).net::numeric, 6) AS net_t_c
FROM (SELECT carbonbudget.carbon_budget_agg(
        ST_SetValues(ST_AddBand(ST_MakeEmptyRaster(2, 2, 0, 200, 100, -100, 0, 0, 32650), '8BUI'::text, 1, 0),
                     1, 1, 1, ARRAY[[1, 2], [2, 8]]::float8[]),
        ST_MakeEnvelope(0, 0, 200, 200, 32650), 'zone=east') AS b) s;
SELECT (p).peak_year, (p).peaked_by_2030
FROM (SELECT carbonbudget.stirpat_project(m, ARRAY[10.0, 2.0],
        '{"base_year": 2020, "periods": [{"to": 2030, "growth": [0.01, 0.02]}, {"to": 2060, "growth": [-0.01, -0.05]}]}') AS p
      FROM (SELECT carbonbudget.stirpat_ridge(ce, ARRAY[p, w], 'k=0.01') AS m
            FROM (SELECT 10 + i + sin(i) AS ce, 1 + i AS p, 2 + i * i * 0.1 AS w
                  FROM generate_series(1, 20) i) d) r) q;
RESET search_path;
