-- Raster carbon sinks (SPEC section 7, paper 001): heterotrophic respiration,
-- NEP, rock-weathering carbon sink (GEM-CO2), ecosystem carbon sink (ECS)
-- and carbon neutral capacity (CNC), per pixel over PostGIS raster tiles.
-- Output rasters: one band, pixeltype=64BF (default) or 32BF, nodata=-9999
-- (default) where any input pixel is nodata; same georeference as the first input.

CREATE FUNCTION rh_pei2009(t float8, r float8) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_rh_pei2009_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rh_pei2009(float8, float8) IS
$$Monthly soil heterotrophic respiration of Pei et al. (2009), paper 001 eq.3:
RH = 0.22 (exp(0.0913 T) + ln(0.3145 R + 1)) * 30 * 0.465, in g C m-2 per month;
t: monthly mean temperature (degrees C), r: monthly precipitation (mm, >= 0).
Example: SELECT rh_pei2009(20, 100);  -- 22.63...$$;

CREATE FUNCTION nep(npp float8, t float8[], r float8[]) RETURNS float8
AS 'MODULE_PATHNAME', 'cb_nep_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION nep(float8, float8[], float8[]) IS
$$Net ecosystem productivity NEP = NPP - sum of 12 monthly RH (paper 001 eqs.2-3), g C m-2 yr-1.
npp: g C m-2 yr-1; t: 12 monthly mean temperatures (degrees C); r: 12 monthly precipitation sums (mm).
Example: SELECT nep(500, array_fill(10::float8, ARRAY[12]), array_fill(50::float8, ARRAY[12]));$$;

CREATE FUNCTION nep_raster(npp raster, temperature raster, precipitation raster, options text DEFAULT '')
RETURNS raster
AS 'MODULE_PATHNAME', 'cb_nep_raster' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION nep_raster(raster, raster, raster, text) IS
$$NEP raster (paper 001 eqs.2-3), g C m-2 yr-1: band 1 of npp (g C m-2 yr-1) minus the sum of the monthly
RH of Pei et al. (2009). temperature and precipitation are 12-band monthly stacks (degrees C, mm), or
1-band annual rasters (annual mean temperature, annual precipitation): then RH = 12 * rh_pei2009(T, R/12).
All three must be aligned (same SRID, scale, skew, grid and extent). Nodata in any input gives nodata.
Options: pixeltype=64BF|32BF, nodata=-9999.
Example: SELECT nep_raster(n.rast, t.rast, p.rast) FROM npp n JOIN tmp t USING (rid) JOIN pre p USING (rid);$$;

CREATE FUNCTION rcs_raster(runoff raster, coefficient float8, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_rcs_raster_const' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rcs_raster(raster, float8, text) IS
$$Rock-weathering carbon sink of the GEM-CO2 model (paper 001 eq.4): F = a * Q per pixel, Q runoff (mm, band 1),
a the empirical coefficient of the rock type. The unit of F is that of a per mm (e.g. a in t C km-2 mm-1 gives t C km-2).
Options: pixeltype=64BF|32BF, nodata=-9999.
Example: SELECT rcs_raster(rast, 0.0583) FROM runoff;$$;

CREATE FUNCTION rcs_raster(runoff raster, coefficient raster, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_rcs_raster' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rcs_raster(raster, raster, text) IS
$$Rock-weathering carbon sink (GEM-CO2, paper 001 eq.4) with a coefficient raster (per-pixel lithology):
F = a * Q, runoff and coefficient aligned (same SRID, scale, skew, grid and extent).
Example: SELECT rcs_raster(q.rast, a.rast) FROM runoff q JOIN lithology_coef a USING (rid);$$;

CREATE FUNCTION ecs_raster(nep raster, rcs raster, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_ecs_raster' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ecs_raster(raster, raster, text) IS
$$Ecosystem carbon sink ECS = NEP + RCS per pixel (paper 001), both inputs in the same unit (e.g. g C m-2 yr-1)
and aligned. Example: SELECT ecs_raster(n.rast, r.rast) FROM nep n JOIN rcs r USING (rid);$$;

CREATE FUNCTION cnc_raster(ecs raster, ce raster, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_cnc_raster' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnc_raster(raster, raster, text) IS
$$Carbon neutral capacity CNC = ECS - CE per pixel (paper 001): positive is carbon surplus, negative deficit.
Both inputs in the same unit and aligned. Example: SELECT cnc_raster(e.rast, c.rast) FROM ecs e JOIN ce c USING (rid);$$;
