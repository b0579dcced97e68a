-- Classification against R: classInt 0.4.9 and stats::hclust/cutree (R 4.2.2) on the
-- Columbus data.  Reference classes were produced by (ids in row order):
--   library(classInt); d <- read.csv("test/data/columbus/data.csv")
--   cls <- function(x, k, style) findCols(classIntervals(x, k, style = style, intervalClosure = "right"))
--   jenks_crime5 = cls(d$CRIME, 5, "jenks"), jenks_hoval4 = cls(d$HOVAL, 4, "jenks"),
--   jenks_inc3 = cls(d$INC, 3, "jenks"), q_crime5 = cls(d$CRIME, 5, "quantile"),
--   q_hoval4 = cls(d$HOVAL, 4, "quantile"), eq_crime5 = cls(d$CRIME, 5, "equal"),
--   eq_inc4 = cls(d$INC, 4, "equal"),
--   X <- scale(d[, c("CRIME", "HOVAL", "INC")])
--   ward4 = cutree(hclust(dist(X), "ward.D2"), 4), avg4 = cutree(hclust(dist(X), "average"), 4),
--   ward6 = cutree(hclust(dist(X), "ward.D2"), 6),
--   with ties: jenks_tie4 = cls(round(d$CRIME / 10), 4, "jenks"), q_tie3 = cls(round(d$CRIME / 10), 3, "quantile")
SET extra_float_digits = 0;

CREATE TEMP TABLE r_classes (id int PRIMARY KEY, jenks_crime5 int, jenks_hoval4 int, jenks_inc3 int,
  q_crime5 int, q_hoval4 int, eq_crime5 int, eq_inc4 int, ward4 int, avg4 int, ward6 int,
  jenks_tie4 int, q_tie3 int);
INSERT INTO r_classes VALUES
  (1,2,4,2,1,4,2,3,1,1,1,2,1), (2,2,2,2,1,4,2,3,2,2,2,2,1), (3,3,1,2,3,2,3,2,3,2,3,3,1), (4,3,2,1,3,2,3,1,3,2,3,3,1), (5,5,1,1,4,1,4,2,4,2,4,4,3),
  (6,3,1,2,2,2,2,2,3,2,3,3,1), (7,1,4,1,1,4,1,1,1,3,1,1,1), (8,4,2,1,3,3,3,2,3,2,3,3,2), (9,3,3,2,3,4,3,2,2,2,5,3,1), (10,3,4,1,3,4,3,2,1,1,1,3,1),
  (11,5,1,1,5,1,5,1,4,2,4,4,3), (12,5,1,1,5,1,5,1,4,2,4,4,3), (13,4,2,1,4,3,4,1,4,2,4,4,3), (14,5,2,1,5,3,5,1,4,2,4,4,3), (15,4,1,1,4,1,4,1,4,2,4,4,3),
  (16,5,1,1,5,1,4,1,4,2,4,4,3), (17,4,2,1,3,3,3,1,3,2,3,3,2), (18,4,3,1,4,4,4,2,2,2,5,3,2), (19,5,1,1,5,2,4,2,4,2,4,4,3), (20,1,4,3,1,4,1,4,1,4,6,1,1),
  (21,4,1,1,4,1,3,1,3,2,3,3,2), (22,3,1,1,3,2,3,2,3,2,3,3,1), (23,2,3,2,2,4,2,3,2,2,2,2,1), (24,4,3,1,3,4,3,2,2,2,5,3,2), (25,5,1,1,5,1,5,1,4,2,4,4,3),
  (26,4,1,1,4,1,3,1,3,2,3,3,2), (27,5,2,1,4,3,4,1,4,2,4,4,3), (28,5,1,1,5,1,5,1,4,2,4,4,3), (29,5,2,1,5,2,5,1,4,2,4,4,3), (30,5,1,1,5,1,5,2,4,2,4,4,3),
  (31,2,2,2,1,2,2,2,2,2,2,2,1), (32,2,2,2,2,3,2,3,2,2,2,2,1), (33,4,1,1,4,1,4,1,3,2,3,3,2), (34,3,1,2,2,2,2,2,3,2,3,2,1), (35,4,1,1,4,2,3,2,3,2,3,3,2),
  (36,2,2,2,1,3,2,3,2,2,2,1,1), (37,4,2,2,4,3,4,2,2,2,5,3,2), (38,5,1,1,5,1,4,1,4,2,4,4,3), (39,2,2,2,2,3,2,3,2,2,2,2,1), (40,2,3,3,1,4,2,4,1,4,6,2,1),
  (41,2,2,2,1,3,2,3,2,2,2,2,1), (42,2,2,3,1,4,2,4,2,4,2,2,1), (43,4,1,1,3,1,3,2,3,2,3,3,2), (44,3,2,2,2,2,2,2,3,2,3,3,1), (45,3,1,1,2,2,3,2,3,2,3,3,1),
  (46,2,4,2,1,4,2,3,1,1,1,2,1), (47,3,2,2,2,3,3,3,2,2,5,3,1), (48,3,1,1,2,2,2,2,3,2,3,3,1), (49,2,2,2,2,3,2,3,2,2,2,2,1)
;

CREATE TEMP TABLE our_classes AS
SELECT id,
       natural_breaks(crime, 5) OVER () AS jenks_crime5,
       natural_breaks(hoval, 4) OVER () AS jenks_hoval4,
       natural_breaks(inc, 3) OVER () AS jenks_inc3,
       quantile_class(crime, 5) OVER () AS q_crime5,
       quantile_class(hoval, 4) OVER () AS q_hoval4,
       equal_interval_class(crime, 5) OVER () AS eq_crime5,
       equal_interval_class(inc, 4) OVER () AS eq_inc4,
       hclust(ARRAY[crime, hoval, inc], 4) OVER (ORDER BY id) AS ward4,
       hclust(ARRAY[crime, hoval, inc], 4, 'average') OVER (ORDER BY id) AS avg4,
       hclust(ARRAY[crime, hoval, inc], 6, 'ward') OVER (ORDER BY id) AS ward6,
       natural_breaks(round(crime / 10), 4) OVER () AS jenks_tie4,
       quantile_class(round(crime / 10), 3) OVER () AS q_tie3
FROM ref.columbus;

SELECT plan(20);

SELECT is((SELECT count(*) FROM our_classes o JOIN r_classes r USING (id)), 49::bigint, 'all 49 units classified');
SELECT is((SELECT count(*) FROM our_classes o JOIN r_classes r USING (id) WHERE o.jenks_crime5 = r.jenks_crime5), 49::bigint, 'jenks CRIME k=5 = classInt');
SELECT is((SELECT count(*) FROM our_classes o JOIN r_classes r USING (id) WHERE o.jenks_hoval4 = r.jenks_hoval4), 49::bigint, 'jenks HOVAL k=4 = classInt');
SELECT is((SELECT count(*) FROM our_classes o JOIN r_classes r USING (id) WHERE o.jenks_inc3 = r.jenks_inc3), 49::bigint, 'jenks INC k=3 = classInt');
SELECT is((SELECT count(*) FROM our_classes o JOIN r_classes r USING (id) WHERE o.jenks_tie4 = r.jenks_tie4), 49::bigint, 'jenks with tied values = classInt');
SELECT is((SELECT count(*) FROM our_classes o JOIN r_classes r USING (id) WHERE o.q_crime5 = r.q_crime5), 49::bigint, 'quantile CRIME k=5 = classInt');
SELECT is((SELECT count(*) FROM our_classes o JOIN r_classes r USING (id) WHERE o.q_hoval4 = r.q_hoval4), 49::bigint, 'quantile HOVAL k=4 = classInt');
SELECT is((SELECT count(*) FROM our_classes o JOIN r_classes r USING (id) WHERE o.q_tie3 = r.q_tie3), 49::bigint, 'quantile with tied values = classInt');
SELECT is((SELECT count(*) FROM our_classes o JOIN r_classes r USING (id) WHERE o.eq_crime5 = r.eq_crime5), 49::bigint, 'equal interval CRIME k=5 = classInt');
SELECT is((SELECT count(*) FROM our_classes o JOIN r_classes r USING (id) WHERE o.eq_inc4 = r.eq_inc4), 49::bigint, 'equal interval INC k=4 = classInt');

-- hclust: the partitions agree when every R cluster maps to exactly one of ours and back
SELECT is((SELECT count(DISTINCT (o.ward4, r.ward4)) FROM our_classes o JOIN r_classes r USING (id)), 4::bigint, 'ward.D2 k=4: same partition as cutree');
SELECT is((SELECT count(DISTINCT (o.avg4, r.avg4)) FROM our_classes o JOIN r_classes r USING (id)), 4::bigint, 'average k=4: same partition as cutree');
SELECT is((SELECT count(DISTINCT (o.ward6, r.ward6)) FROM our_classes o JOIN r_classes r USING (id)), 6::bigint, 'ward.D2 k=6: same partition as cutree');
-- and the numbering is cutree's (first appearance in row order)
SELECT is((SELECT count(*) FROM our_classes o JOIN r_classes r USING (id)
           WHERE o.ward4 = r.ward4 AND o.avg4 = r.avg4 AND o.ward6 = r.ward6), 49::bigint, 'cluster numbers as cutree');

-- hand check: 1, 2, 3, 10, 11, 12 in two natural classes split at the gap; equal intervals of 0..10
SELECT is((SELECT array_agg(c ORDER BY v) FROM (SELECT v, natural_breaks(v, 2) OVER () c
           FROM unnest(ARRAY[12, 1, 3, 10, 2, 11]::float8[]) v) s), ARRAY[1, 1, 1, 2, 2, 2], 'jenks splits at the gap');
SELECT is((SELECT array_agg(c ORDER BY v) FROM (SELECT v, equal_interval_class(v, 2) OVER () c
           FROM unnest(ARRAY[0, 5, 5.000001, 10, NULL]::float8[]) v) s), ARRAY[1, 1, 2, 2, NULL], 'equal intervals closed on the right; NULL kept');

-- bad input
SELECT throws_ok($$SELECT natural_breaks(v, 2) OVER () FROM (VALUES (1.0::float8), (1.0)) t(v)$$,
  '22023', 'natural_breaks: value has a single distinct value', 'constant values are an error');
SELECT throws_ok($$SELECT natural_breaks(v, 3) OVER () FROM (VALUES (1.0::float8), (2.0)) t(v)$$,
  '22023', 'natural_breaks: k must not exceed the number of non-NULL values', 'k above n');
SELECT throws_ok($$SELECT hclust(ARRAY[v, 1], 2) OVER () FROM (VALUES (1.0::float8), (2.0), (3.0)) t(v)$$,
  '22023', 'hclust: feature 2 has zero variance', 'constant feature');
SELECT throws_ok($$SELECT hclust(ARRAY[v], 2, 'single') OVER () FROM (VALUES (1.0::float8), (2.0), (3.0)) t(v)$$,
  '22023', 'hclust: unknown method "single"', 'unknown method');

SELECT * FROM finish();
