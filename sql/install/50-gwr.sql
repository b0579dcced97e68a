-- Geographically weighted regression: GWR and multiscale GWR (SPEC section 8, paper 004).

CREATE TYPE gwr_result AS (
  beta       float8[],  -- local coefficients: intercept, then one per covariate of x
  se         float8[],  -- local standard errors sqrt(diag(C C') sigma2), C = (X'W_iX)^-1 X'W_i
  t          float8[],  -- beta / se
  local_r2   float8,    -- local R^2 with the kernel weights of this location
  yhat       float8,    -- fitted value
  residual   float8,    -- y - yhat
  influence  float8,    -- S_ii, diagonal element of the hat matrix
  bandwidth  float8,    -- GWR bandwidth: neighbours incl. the point itself (adaptive) or distance in SRID units (fixed); NULL for MGWR
  bandwidths float8[],  -- MGWR: one bandwidth per term, intercept first; NULL for GWR
  aicc       float8,    -- -2 llf + 2 n (tr S + 1) / (n - tr S - 2)
  aic        float8,    -- -2 llf + 2 (tr S + 1)
  r2         float8,    -- 1 - RSS / TSS
  adj_r2     float8,    -- 1 - (1 - R^2)(n - 1) / (n - tr S - 1)
  enp        float8,    -- effective number of parameters, tr S
  sigma2     float8,    -- RSS / (n - tr S)
  term_enp   float8[]   -- MGWR: effective number of parameters per term; NULL for GWR
);
COMMENT ON TYPE gwr_result IS 'Per-row result of gwr_fit: local coefficients, standard errors, t-values, local R^2, fitted value and residual, with the fit''s bandwidth(s) and diagnostics repeated on every row';

CREATE FUNCTION gwr_fit(y float8, x float8[], geom geometry, options text DEFAULT '')
RETURNS gwr_result
AS 'MODULE_PATHNAME', 'cb_gwr_fit_window'
LANGUAGE C WINDOW STABLE PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION gwr_fit(float8, float8[], geometry, text) IS
$$Geographically weighted regression of y on the covariates x (an intercept is added) over the window partition, located at the centroids of geom (projected SRID; distances in SRID units), as PySAL mgwr (paper 004).
Options: kernel=bisquare|gaussian|exponential (default bisquare); fixed=false (adaptive: bandwidth counts nearest neighbours including the point itself) or true (distance);
bandwidth=auto (default: mgwr Sel_BW golden-section search) or a number; criterion=aicc|aic|cv (default aicc);
multiscale=false, or true for MGWR (backfitting, a bandwidth per term) with tol=1e-5 and max_iter=200;
hat_probes=0 (exact MGWR hat matrix) or N >= 16 (ENP, AICc and standard errors estimated from N random probe columns, influence NULL; for large n).
Rows with NULL y, x or geom are skipped (result NULL). Errors for NULL or NaN inside x, x of different lengths, too few rows, constant or collinear covariates, a bandwidth too small for a non-singular local fit.
Example: SELECT id, (gwr_fit(y, ARRAY[x1, x2], geom) OVER ()).* FROM county;$$;
