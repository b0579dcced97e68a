/*
 * rasters.c
 *    Raster carbon sinks of paper 001: soil heterotrophic respiration, NEP,
 *    rock-weathering carbon sink (GEM-CO2), ecosystem carbon sink and carbon
 *    neutral capacity, per pixel over PostGIS raster tiles.
 */
#include "carbonbudget.h"

#include "miscadmin.h"
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

static const char *const pixel_options[] = {"pixeltype", "nodata", NULL};

/* Output band from the options: pixeltype=64BF|32BF (default 64BF), nodata=-9999. */
static void
output_spec(FunctionCallInfo fcinfo, int argno, const char *func, CbBandSpec *spec)
{
	CbOptions	opts;
	static const char *const types[] = {"64bf", "32bf", NULL};

	cb_options_parse(&opts, func,
					 (PG_NARGS() > argno && !PG_ARGISNULL(argno)) ?
					 text_to_cstring(PG_GETARG_TEXT_PP(argno)) : "", pixel_options);
	spec->pixtype = cb_opt_choice(&opts, "pixeltype", types, 0) == 0 ? CB_PT_64BF : CB_PT_32BF;
	spec->has_nodata = true;
	spec->nodata = cb_opt_float(&opts, "nodata", -9999, -1e300, 1e300, false);
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

Datum
cb_nep_raster(PG_FUNCTION_ARGS)
{
	const char *func = "nep_raster";
	CbRaster	npp,
				tr,
				pr;
	CbBandSpec	spec;
	double	   *out,
			   *t[12],
			   *p[12];
	int			mt,
				mp;

	read_input(fcinfo, 0, func, "npp", &npp);
	read_input(fcinfo, 1, func, "temperature", &tr);
	read_input(fcinfo, 2, func, "precipitation", &pr);
	output_spec(fcinfo, 3, func, &spec);
	cb_raster_check_aligned(&npp, &tr, func, "npp", "temperature", true);
	cb_raster_check_aligned(&npp, &pr, func, "npp", "precipitation", true);
	mt = climate_months(&tr, "temperature");
	mp = climate_months(&pr, "precipitation");
	if (mt != mp)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("nep_raster: temperature and precipitation must both be monthly or both annual")));
	out = band_doubles(&npp, 0, func, "npp");
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
		out[i] -= rh;
	}
	return return_band(&npp.geo, &spec, out, func);
}

/* ---- GEM-CO2, ECS, CNC ---- */

Datum
cb_rcs_raster_const(PG_FUNCTION_ARGS)
{
	const char *func = "rcs_raster";
	CbRaster	q;
	CbBandSpec	spec;
	double		a = PG_GETARG_FLOAT8(1);
	double	   *out;

	cb_check_finite_arg(a, func, "coefficient");
	read_input(fcinfo, 0, func, "runoff", &q);
	output_spec(fcinfo, 2, func, &spec);
	out = band_doubles(&q, 0, func, "runoff");
	for (int64 i = 0; i < q.npixels; i++)
		out[i] *= a;			/* NaN (nodata) stays NaN */
	return return_band(&q.geo, &spec, out, func);
}

/* out = f(x, y) per pixel of two aligned single-band inputs; nodata in either gives nodata. */
static Datum
pixelwise_pair(FunctionCallInfo fcinfo, const char *func, const char *arg_x, const char *arg_y,
			   double sign_y, bool multiply)
{
	CbRaster	rx,
				ry;
	CbBandSpec	spec;
	double	   *x,
			   *y;

	read_input(fcinfo, 0, func, arg_x, &rx);
	read_input(fcinfo, 1, func, arg_y, &ry);
	output_spec(fcinfo, 2, func, &spec);
	cb_raster_check_aligned(&rx, &ry, func, arg_x, arg_y, true);
	x = band_doubles(&rx, 0, func, arg_x);
	y = band_doubles(&ry, 0, func, arg_y);
	for (int64 i = 0; i < rx.npixels; i++)
		x[i] = multiply ? x[i] * y[i] : x[i] + sign_y * y[i];
	return return_band(&rx.geo, &spec, x, func);
}

Datum
cb_rcs_raster(PG_FUNCTION_ARGS)
{
	return pixelwise_pair(fcinfo, "rcs_raster", "runoff", "coefficient", 1, true);
}

Datum
cb_ecs_raster(PG_FUNCTION_ARGS)
{
	return pixelwise_pair(fcinfo, "ecs_raster", "nep", "rcs", 1, false);
}

Datum
cb_cnc_raster(PG_FUNCTION_ARGS)
{
	return pixelwise_pair(fcinfo, "cnc_raster", "ecs", "ce", -1, false);
}
