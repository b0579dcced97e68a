-- Classification (SPEC section 9): class breaks as R classInt and hierarchical clustering as R hclust + cutree.

CREATE FUNCTION natural_breaks(value float8, k integer) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_natural_breaks_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION natural_breaks(float8, integer) IS
$$Window function: Jenks natural-breaks class 1..k (low to high) of value over the partition, exactly as R classInt::classIntervals(x, k, style = "jenks") with intervals closed on the right (findCols). NULL values get NULL; a single distinct value or k above the number of values is an error. Dimensionless.
Example: SELECT id, natural_breaks(cnc, 5) OVER () FROM county;$$;

CREATE FUNCTION quantile_class(value float8, k integer) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_quantile_class_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION quantile_class(float8, integer) IS
$$Window function: quantile class 1..k (low to high) of value, breaks at R quantile type 7 as classInt style = "quantile", intervals closed on the right (intervalClosure = "right"). NULL values get NULL. Dimensionless.
Example: SELECT id, quantile_class(cnc, 4) OVER () FROM county;$$;

CREATE FUNCTION equal_interval_class(value float8, k integer) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_equal_interval_class_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION equal_interval_class(float8, integer) IS
$$Window function: equal-interval class 1..k (low to high) of value between its minimum and maximum, as classInt style = "equal" with intervals closed on the right. NULL values get NULL. Dimensionless.
Example: SELECT id, equal_interval_class(cnc, 5) OVER () FROM county;$$;

CREATE FUNCTION hclust(features float8[], k integer, method text) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_hclust_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION hclust(float8[], integer, text) IS
$$Window function: cluster 1..k of each row by agglomerative clustering of the z-scored features (R scale(): sd with n - 1) with Euclidean distance (paper 002), method ward (R hclust "ward.D2") or average, cut as R cutree(hclust(...), k). Clusters are numbered by first appearance in the partition's row order (as cutree numbers them in row order), so give OVER (ORDER BY id) for stable numbers. Rows with NULL features get NULL.
Example: SELECT id, hclust(ARRAY[ce, cs, gdp], 4, 'average') OVER (ORDER BY id) FROM county;$$;

CREATE FUNCTION hclust(features float8[], k integer) RETURNS integer
AS 'MODULE_PATHNAME', 'cb_hclust_window' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION hclust(float8[], integer) IS
$$Window function: cluster 1..k of each row by Ward clustering (R hclust "ward.D2") of the z-scored features with Euclidean distance, cut as R cutree; numbered by first appearance in the partition's row order.
Example: SELECT id, hclust(ARRAY[ce, cs, gdp], 4) OVER (ORDER BY id) FROM county;$$;
