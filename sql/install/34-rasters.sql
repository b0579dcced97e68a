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
$$NEP raster (paper 001 eqs.2-3), g C m-2 yr-1 per pixel: band 1 of npp (g C m-2 yr-1; npp_scale= converts other units, e.g. 1000 for
kg C m-2 yr-1, 0.1 for MOD17A3 integers of 0.0001 kg C m-2) minus the sum of the monthly RH of Pei et al. (2009). temperature and
precipitation are 12-band monthly stacks (degrees C, mm per month), or 1-band annual rasters (annual mean temperature, annual precipitation
in mm): then RH = 12 * rh_pei2009(T, R/12), which is biased low by Jensen's inequality (about 15% for a temperate climate; a NOTICE says so).
All three must be aligned (same SRID, scale, skew, grid and extent). Nodata in any input gives nodata.
Options: npp_scale=1, pixeltype=64BF|32BF, nodata=-9999.
Example: SELECT nep_raster(n.rast, t.rast, p.rast) FROM npp n JOIN tmp t USING (rid) JOIN pre p USING (rid);$$;

CREATE FUNCTION rcs_raster(runoff raster, coefficient float8, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_rcs_raster_const' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rcs_raster(raster, float8, text) IS
$$Rock-weathering carbon sink of the GEM-CO2 model (paper 001 eq.4): F = a * Q per pixel, Q runoff (band 1, mm yr-1; runoff_scale=
converts other units), a the coefficient of the rock type. coefficient_unit=mmol_per_l: a in 1e-3 mol/L as table lithology_coefficient
(GEM-CO2), F in g C m-2 yr-1; coefficient_unit=raw (default): F = a * Q in the unit of a times mm.
Options: coefficient_unit=raw|mmol_per_l, runoff_scale=1, pixeltype=64BF|32BF, nodata=-9999.
Example: SELECT rcs_raster(rast, 1.586, 'coefficient_unit=mmol_per_l') FROM runoff;  -- carbonate rock, g C m-2 yr-1$$;

CREATE FUNCTION rcs_raster(runoff raster, coefficient raster, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_rcs_raster' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION rcs_raster(raster, raster, text) IS
$$Rock-weathering carbon sink (GEM-CO2, paper 001 eq.4) with a per-pixel second raster, aligned with runoff (same SRID, scale, skew, grid
and extent). lithology=SCHEME: the second raster holds lithology codes of table lithology_coefficient (shipped scheme gem_co2), and
F = a * Q is in g C m-2 yr-1 from runoff in mm yr-1. Without it the second raster holds coefficients a, as in rcs_raster(raster, float8, text)
(coefficient_unit=raw|mmol_per_l). Options: lithology=, coefficient_unit=, runoff_scale=1, pixeltype=64BF|32BF, nodata=-9999.
Example: SELECT rcs_raster(q.rast, l.rast, 'lithology=gem_co2') FROM runoff q JOIN lithology l USING (rid);  -- g C m-2 yr-1$$;

CREATE FUNCTION rcs(runoff float8, lithology text, scheme text DEFAULT 'gem_co2') RETURNS float8
LANGUAGE plpgsql SET search_path FROM CURRENT STABLE PARALLEL SAFE AS $$
DECLARE
  a float8;
  sch text := carbonbudget._scheme('rcs', scheme);
BEGIN
  IF runoff IS NULL OR lithology IS NULL THEN RETURN NULL; END IF;
  PERFORM carbonbudget._check_amount('rcs', 'runoff', runoff);
  SELECT l.coefficient INTO a FROM carbonbudget.lithology_coefficient l
  WHERE l.scheme = sch AND l.lithology = lower(btrim(rcs.lithology));
  IF NOT FOUND THEN
    RAISE EXCEPTION 'rcs: unknown lithology "%" in scheme "%"', lithology, scheme
      USING ERRCODE = 'invalid_parameter_value',
      HINT = coalesce((SELECT 'Use one of: ' || string_agg(l.lithology, ', ' ORDER BY l.code) || '.'
                       FROM carbonbudget.lithology_coefficient l WHERE l.scheme = sch),
                      'Table lithology_coefficient has no rows of this scheme (shipped: gem_co2).');
  END IF;
  RETURN a * runoff * 12.011e-3::float8;
END $$;
COMMENT ON FUNCTION rcs(float8, text, text) IS
$$Rock-weathering carbon sink of GEM-CO2 (paper 001 eq.4) for one lithology, g C m-2 yr-1: F = a Q x 12.011e-3 g C per 1e-3 mol, runoff Q
in mm yr-1 (>= 0), a from table lithology_coefficient (1e-3 mol/L; scheme gem_co2 of Amiotte Suchet & Probst 1995).
Example: SELECT rcs(500, 'carbonate');  -- 9.52 g C m-2 yr-1$$;

CREATE FUNCTION ecs_raster(nep raster, rcs raster, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_ecs_raster' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ecs_raster(raster, raster, text) IS
$$Ecosystem carbon sink ECS = NEP + RCS per pixel (paper 001), g C m-2 yr-1 from nep_raster and rcs_raster outputs (both g C m-2 yr-1;
nep_scale= and rcs_scale= convert inputs in other units), aligned. Options: nep_scale=1, rcs_scale=1, pixeltype=64BF|32BF, nodata=-9999.
Example: SELECT ecs_raster(n.rast, r.rast) FROM nep n JOIN rcs r USING (rid);$$;

CREATE FUNCTION cnc_raster(ecs raster, ce raster, options text DEFAULT '') RETURNS raster
AS 'MODULE_PATHNAME', 'cb_cnc_raster' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cnc_raster(raster, raster, text) IS
$$Carbon neutral capacity CNC = ECS - CE per pixel (paper 001), g C m-2 yr-1: positive is carbon surplus, negative deficit. ecs in g C m-2 yr-1,
ce an emission raster in g C m-2 yr-1 (ce_scale=12/44 converts g CO2 m-2 yr-1), aligned.
Options: ecs_scale=1, ce_scale=1, pixeltype=64BF|32BF, nodata=-9999.
Example: SELECT cnc_raster(e.rast, c.rast) FROM ecs e JOIN ce c USING (rid);$$;
