/*
 * rasters.c
 *    Raster carbon sinks of paper 001: soil heterotrophic respiration, NEP,
 *    rock-weathering carbon sink (GEM-CO2), ecosystem carbon sink and carbon
 *    neutral capacity, per pixel over PostGIS raster tiles.
 */
#include "carbonbudget.h"

#include "miscadmin.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "accounting.h"
#include "options.h"
#include "raster_io.h"

PG_FUNCTION_INFO_V1(cb_rh_pei2009_sql);
PG_FUNCTION_INFO_V1(cb_nep_sql);
PG_FUNCTION_INFO_V1(cb_nep_raster);
PG_FUNCTION_INFO_V1(cb_rcs_raster_const);
PG_FUNCTION_INFO_V1(cb_rcs_raster);
PG_FUNCTION_INFO_V1(cb_ecs_raster);
PG_FUNCTION_INFO_V1(cb_cnc_raster);

/* Option keys of each raster function: the output band, and a scale per input. */
static const char *const nep_options[] = {"pixeltype", "nodata", "npp_scale", NULL};
static const char *const rcs_options[] = {"pixeltype", "nodata", "runoff_scale", "coefficient_unit",
"lithology", NULL};
static const char *const ecs_options[] = {"pixeltype", "nodata", "nep_scale", "rcs_scale", NULL};
static const char *const cnc_options[] = {"pixeltype", "nodata", "ecs_scale", "ce_scale", NULL};

/* g C per 1e-3 mol C: GEM-CO2's a (1e-3 mol/L) times runoff (mm = L/m2) gives 1e-3 mol C m-2 */
#define G_C_PER_MMOL 12.011e-3

/* Once-per-query notices of nep_raster (one per statement, not one per tile). */
typedef struct RasterNotices
{
	bool		annual_bias;
	bool		small_npp;
} RasterNotices;

static RasterNotices *
raster_notices(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(RasterNotices));
	return (RasterNotices *) fcinfo->flinfo->fn_extra;
}

/* Options of argument argno, then the output band: pixeltype=64BF|32BF (default 64BF), nodata=-9999. */
static void
raster_options(FunctionCallInfo fcinfo, int argno, const char *func, const char *const *keys,
			   CbOptions *opts, CbBandSpec *spec)
{
	static const char *const types[] = {"64bf", "32bf", NULL};

	cb_options_parse(opts, func,
					 (PG_NARGS() > argno && !PG_ARGISNULL(argno)) ?
					 text_to_cstring(PG_GETARG_TEXT_PP(argno)) : "", keys);
	spec->pixtype = cb_opt_choice(opts, "pixeltype", types, 0) == 0 ? CB_PT_64BF : CB_PT_32BF;
	spec->has_nodata = true;
	spec->nodata = cb_opt_float(opts, "nodata", -9999, -1e300, 1e300, false);
}

/* An input scale option (a unit conversion factor): finite and non-zero. */
static double
scale_option(const CbOptions *opts, const char *key)
{
	double		v = cb_opt_float(opts, key, 1, -1e300, 1e300, false);

	if (v == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: option \"%s\" must not be 0", opts->func, key),
				 errhint("It multiplies the input into the unit the function expects.")));
	return v;
}

/* Multiplies the values (NaN = nodata stays NaN) by a scale. */
static void
scale_values(double *v, int64 n, double scale, const char *func)
{
	if (scale == 1)
		return;
	for (int64 i = 0; i < n; i++)
		if (!isnan(v[i]))
			v[i] = cb_finite_result(v[i] * scale, func);
}

/* Reads a raster argument that must have at least one band and a known SRID. */
static void
read_input(FunctionCallInfo fcinfo, int argno, const char *func, const char *arg, CbRaster *r)
{
	cb_raster_read(PG_GETARG_DATUM(argno), func, arg, r);
	if (r->empty || r->nbands == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must have at least one band and one pixel", func, arg)));
}

static double *
band_doubles(const CbRaster *r, int band, const char *func, const char *arg)
{
	double	   *v = palloc_extended(sizeof(double) * Max(r->npixels, 1), MCXT_ALLOC_HUGE);

	cb_band_values(r, band, func, arg, v);
	return v;
}

static Datum
return_band(const CbRasterGeo *geo, const CbBandSpec *spec, double *values, const char *func)
{
	PG_RETURN_POINTER(cb_raster_write(geo, 1, spec, &values, func));
}

/* ---- scalars ---- */

Datum
cb_rh_pei2009_sql(PG_FUNCTION_ARGS)
{
	double		t = PG_GETARG_FLOAT8(0);
	double		r = PG_GETARG_FLOAT8(1);

	cb_check_finite_arg(t, "rh_pei2009", "t");
	cb_check_finite_arg(r, "rh_pei2009", "r");
	if (r < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rh_pei2009: r must be non-negative precipitation in mm"),
				 errdetail("r = %g.", r)));
	PG_RETURN_FLOAT8(cb_finite_result(cb_rh_pei2009(t, r), "rh_pei2009"));
}

static void
twelve_months(ArrayType *arr, const char *arg, double **out)
{
	if (cb_float8_array(arr, "nep", arg, out) != 12)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("nep: %s must hold 12 monthly values", arg)));
	for (int m = 0; m < 12; m++)
		cb_check_finite((*out)[m], "nep", arg, "month", m + 1);
}

Datum
cb_nep_sql(PG_FUNCTION_ARGS)
{
	double		npp = PG_GETARG_FLOAT8(0);
	double	   *t,
			   *r;

	cb_check_finite_arg(npp, "nep", "npp");
	twelve_months(PG_GETARG_ARRAYTYPE_P(1), "t", &t);
	twelve_months(PG_GETARG_ARRAYTYPE_P(2), "r", &r);
	for (int m = 0; m < 12; m++)
		if (r[m] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("nep: r must be non-negative precipitation in mm"),
					 errdetail("Month %d has %g.", m + 1, r[m])));
	PG_RETURN_FLOAT8(cb_finite_result(cb_nep_monthly(npp, t, r), "nep"));
}

/* ---- NEP raster ---- */

/*
 * Climate stacks: 12 bands are monthly means (T, degrees C) and sums
 * (R, mm); 1 band is the annual mean temperature and annual precipitation,
 * used as 12 months of T and R/12.
 */
static int
climate_months(const CbRaster *r, const char *arg)
{
	if (r->nbands == 12)
		return 12;
	if (r->nbands == 1)
		return 1;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("nep_raster: %s must have 12 monthly bands or 1 annual band", arg),
			 errdetail("It has %d bands.", r->nbands)));
	return 0;
}

/*
 * NPP stored in kg C m-2 yr-1 (as paper 001 eq.2 prints it) or as scaled
 * integers would silently give a negative NEP: tiles whose NPP stays
 * below 5 without npp_scale= get a NOTICE (once per query).
 */
static void
notice_small_npp(FunctionCallInfo fcinfo, const double *npp, int64 n, const CbOptions *opts)
{
	bool		any = false;

	if (cb_opt_present(opts, "npp_scale") || raster_notices(fcinfo)->small_npp)
		return;
	for (int64 i = 0; i < n; i++)
	{
		if (isnan(npp[i]))
			continue;
		if (fabs(npp[i]) >= 5)
			return;
		any = true;
	}
	if (!any)
		return;
	raster_notices(fcinfo)->small_npp = true;
	ereport(NOTICE,
			(errmsg("nep_raster: every npp value of the tile is below 5, but npp is read in g C m-2 yr-1"),
			 errhint("NPP in kg C m-2 yr-1 needs npp_scale=1000; MOD17A3 stored as integers of 0.0001 kg C m-2 needs npp_scale=0.1.")));
}

/*
 * RH from annual means is 12 rh(T, R/12): the exponential of the mean
 * temperature is below the mean of the monthly exponentials (Jensen's
 * inequality), so annual inputs give a smaller RH and a larger NEP.
 */
static void
notice_annual_bias(FunctionCallInfo fcinfo)
{
	if (raster_notices(fcinfo)->annual_bias)
		return;
	raster_notices(fcinfo)->annual_bias = true;
	ereport(NOTICE,
			(errmsg("nep_raster: annual temperature and precipitation underestimate RH"),
			 errdetail("RH = 12 rh_pei2009(T, R/12) of annual means is smaller than the sum of the 12 monthly RH (Jensen's inequality on exp(0.0913 T)): by 13.5%% for a temperate climate with a mean of 12 degrees C and a 25 degree annual range, so NEP comes out too large."),
			 errhint("Pass 12-band monthly temperature and precipitation rasters.")));
}

Datum
cb_nep_raster(PG_FUNCTION_ARGS)
{
	const char *func = "nep_raster";
	CbRaster	npp,
				tr,
				pr;
	CbOptions	opts;
	CbBandSpec	spec;
	double	   *out,
			   *t[12],
			   *p[12];
	int			mt,
				mp;

	read_input(fcinfo, 0, func, "npp", &npp);
	read_input(fcinfo, 1, func, "temperature", &tr);
	read_input(fcinfo, 2, func, "precipitation", &pr);
	raster_options(fcinfo, 3, func, nep_options, &opts, &spec);
	cb_raster_check_aligned(&npp, &tr, func, "npp", "temperature", true);
	cb_raster_check_aligned(&npp, &pr, func, "npp", "precipitation", true);
	mt = climate_months(&tr, "temperature");
	mp = climate_months(&pr, "precipitation");
	if (mt != mp)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("nep_raster: temperature and precipitation must both be monthly or both annual")));
	if (mt == 1)
		notice_annual_bias(fcinfo);
	out = band_doubles(&npp, 0, func, "npp");
	notice_small_npp(fcinfo, out, npp.npixels, &opts);
	scale_values(out, npp.npixels, scale_option(&opts, "npp_scale"), func);
	for (int m = 0; m < mt; m++)
	{
		t[m] = band_doubles(&tr, m, func, "temperature");
		p[m] = band_doubles(&pr, m, func, "precipitation");
	}
	for (int64 i = 0; i < npp.npixels; i++)
	{
		double		rh = 0;

		for (int m = 0; m < mt && !isnan(out[i]); m++)
		{
			if (isnan(t[m][i]) || isnan(p[m][i]))
				out[i] = NAN;	/* a missing month leaves the pixel nodata */
			else if (p[m][i] < 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("nep_raster: precipitation must be non-negative"),
						 errdetail("Band %d, column %d, row %d holds %g.", m + 1,
								   (int) (i % npp.geo.width) + 1,
								   (int) (i / npp.geo.width) + 1, p[m][i])));
			else
				rh += (mt == 12) ? cb_rh_pei2009(t[m][i], p[m][i])
					: 12 * cb_rh_pei2009(t[m][i], p[m][i] / 12);
		}
		out[i] = isnan(out[i]) ? NAN : cb_finite_result(out[i] - rh, func);
	}
	return return_band(&npp.geo, &spec, out, func);
}

/* ---- GEM-CO2, ECS, CNC ---- */

/* coefficient_unit=raw (F = a Q as given) or mmol_per_l (GEM-CO2's a: F in g C m-2 yr-1). */
static double
coefficient_factor(const CbOptions *opts)
{
	static const char *const units[] = {"raw", "mmol_per_l", NULL};

	return cb_opt_choice(opts, "coefficient_unit", units, 0) == 1 ? G_C_PER_MMOL : 1.0;
}

Datum
cb_rcs_raster_const(PG_FUNCTION_ARGS)
{
	const char *func = "rcs_raster";
	CbRaster	q;
	CbOptions	opts;
	CbBandSpec	spec;
	double		a = PG_GETARG_FLOAT8(1);
	double	   *out;

	cb_check_finite_arg(a, func, "coefficient");
	read_input(fcinfo, 0, func, "runoff", &q);
	raster_options(fcinfo, 2, func, rcs_options, &opts, &spec);
	cb_opt_forbid(&opts, "lithology", "The coefficient is a number; pass a lithology raster as the second argument.");
	out = band_doubles(&q, 0, func, "runoff");
	scale_values(out, q.npixels, a * scale_option(&opts, "runoff_scale") * coefficient_factor(&opts), func);
	return return_band(&q.geo, &spec, out, func);
}

/* Coefficient a (1e-3 mol/L) per lithology code of a scheme of lithology_coefficient, NaN where none. */
typedef struct LithologyLookup
{
	char		scheme[64];
	int32		ncodes;
	double	   *a;
} LithologyLookup;

static const LithologyLookup *
lithology_lookup(FunctionCallInfo fcinfo, const char *scheme, const char *func)
{
	LithologyLookup *l = fcinfo->flinfo->fn_extra;
	Oid			types[1] = {TEXTOID};
	Datum		args[1] = {CStringGetTextDatum(scheme)};

	if (l && strcmp(l->scheme, scheme) == 0)
		return l;
	if (l == NULL)
		l = fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(LithologyLookup));
	else if (l->a)
		pfree(l->a);
	memset(l, 0, sizeof(*l));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* qualified throughout: the query runs with the caller's search_path */
	if (SPI_execute_with_args("SELECT code, coefficient FROM carbonbudget.lithology_coefficient"
							  " WHERE scheme OPERATOR(pg_catalog.=) pg_catalog.lower($1)"
							  " AND code OPERATOR(pg_catalog.>=) 0 AND code OPERATOR(pg_catalog.<=) 65535",
							  1, types, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read lithology_coefficient");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: unknown lithology scheme \"%s\"", func, scheme),
				 errhint("Use a scheme of table lithology_coefficient (shipped: gem_co2).")));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;

		l->ncodes = Max(l->ncodes, DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull)) + 1);
	}
	l->a = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(double) * l->ncodes);
	for (int32 k = 0; k < l->ncodes; k++)
		l->a[k] = NAN;
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		int32		code = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));

		l->a[code] = DatumGetFloat8(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull));
	}
	SPI_finish();
	strlcpy(l->scheme, scheme, sizeof(l->scheme));
	return l;
}

/* Lithology codes to coefficients a (nodata stays nodata); an unknown code is an error. */
static void
lithology_to_coefficient(const LithologyLookup *l, double *v, int64 n, int width, const char *func)
{
	for (int64 i = 0; i < n; i++)
	{
		if (isnan(v[i]))
			continue;
		if (!(v[i] >= 0 && v[i] < l->ncodes && v[i] == floor(v[i]) && !isnan(l->a[(int32) v[i]])))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: lithology code %g has no coefficient in scheme \"%s\"", func, v[i], l->scheme),
					 errdetail("Column %d, row %d of lithology.", (int) (i % width) + 1, (int) (i / width) + 1),
					 errhint("Add the code to table lithology_coefficient under a scheme of your own, or make those pixels nodata.")));
		v[i] = l->a[(int32) v[i]];
	}
}

Datum
cb_rcs_raster(PG_FUNCTION_ARGS)
{
	const char *func = "rcs_raster";
	CbRaster	rq,
				ra;
	CbOptions	opts;
	CbBandSpec	spec;
	double	   *q,
			   *a,
				factor;

	read_input(fcinfo, 0, func, "runoff", &rq);
	read_input(fcinfo, 1, func, "coefficient", &ra);
	raster_options(fcinfo, 2, func, rcs_options, &opts, &spec);
	cb_raster_check_aligned(&rq, &ra, func, "runoff", "coefficient", true);
	q = band_doubles(&rq, 0, func, "runoff");
	a = band_doubles(&ra, 0, func, "coefficient");
	factor = scale_option(&opts, "runoff_scale") * coefficient_factor(&opts);
	if (cb_opt_present(&opts, "lithology"))
	{
		/* codes of a lithology raster: GEM-CO2's a, so the sink is in g C m-2 yr-1 */
		cb_opt_forbid(&opts, "coefficient_unit", "With lithology= the coefficients are those of table lithology_coefficient (1e-3 mol/L).");
		lithology_to_coefficient(lithology_lookup(fcinfo, cb_opt_text(&opts, "lithology"), func),
								 a, ra.npixels, ra.geo.width, func);
		factor *= G_C_PER_MMOL;
	}
	for (int64 i = 0; i < rq.npixels; i++)
		q[i] = isnan(q[i]) || isnan(a[i]) ? NAN : cb_finite_result(q[i] * a[i] * factor, func);
	return return_band(&rq.geo, &spec, q, func);
}

/* out = x * scale_x + sign_y * y * scale_y per pixel of two aligned inputs; nodata in either gives nodata. */
static Datum
pixelwise_sum(FunctionCallInfo fcinfo, const char *func, const char *arg_x, const char *arg_y,
			  double sign_y, const char *const *keys)
{
	CbRaster	rx,
				ry;
	CbOptions	opts;
	CbBandSpec	spec;
	double	   *x,
			   *y,
				sx,
				sy;

	read_input(fcinfo, 0, func, arg_x, &rx);
	read_input(fcinfo, 1, func, arg_y, &ry);
	raster_options(fcinfo, 2, func, keys, &opts, &spec);
	sx = scale_option(&opts, keys[2]);
	sy = scale_option(&opts, keys[3]) * sign_y;
	cb_raster_check_aligned(&rx, &ry, func, arg_x, arg_y, true);
	x = band_doubles(&rx, 0, func, arg_x);
	y = band_doubles(&ry, 0, func, arg_y);
	for (int64 i = 0; i < rx.npixels; i++)
		x[i] = isnan(x[i]) || isnan(y[i]) ? NAN : cb_finite_result(x[i] * sx + y[i] * sy, func);
	return return_band(&rx.geo, &spec, x, func);
}

Datum
cb_ecs_raster(PG_FUNCTION_ARGS)
{
	return pixelwise_sum(fcinfo, "ecs_raster", "nep", "rcs", 1, ecs_options);
}

Datum
cb_cnc_raster(PG_FUNCTION_ARGS)
{
	return pixelwise_sum(fcinfo, "cnc_raster", "ecs", "ce", -1, cnc_options);
}
