/*
 * trend.c
 *    Trends and time series (SPEC section 6): the mann_kendall, sen_slope,
 *    ols_trend and hurst aggregates over (t, value) pairs, and the
 *    mann_kendall_sequential and spline_fill window functions, and the
 *    per-pixel trend_raster over a stack of rasters.
 *
 * The aggregates collect the pairs (series.h), order them by t themselves
 * and reject duplicate t, so the input order never matters.
 */
#include "carbonbudget.h"

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "windowapi.h"

#include "options.h"
#include "raster_io.h"
#include "series.h"
#include "spatial_input.h"
#include "trend.h"

#define DEFAULT_Z_THRESHOLD 1.96

static const char *const trend_keys[] = {"z_threshold", NULL};

static double
z_threshold_option(const char *func, const char *options)
{
	CbOptions	opts;

	cb_options_parse(&opts, func, options, trend_keys);
	return cb_opt_float(&opts, "z_threshold", DEFAULT_Z_THRESHOLD, 0.0, INFINITY, true);
}

/* ---- reading a series ---- */

/* Adds one row's (t, value); rows with a NULL are skipped and counted. */
static void
series_step(FunctionCallInfo fcinfo, CbSeries *s, const char *func)
{
	int64		row = s->n + s->skipped + 1;
	double		t,
				value;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		s->skipped++;
		return;
	}
	t = PG_GETARG_FLOAT8(1);
	value = PG_GETARG_FLOAT8(2);
	cb_check_finite(t, func, "t", "row", row);
	cb_check_finite(value, func, "value", "row", row);
	cb_series_add(s, t, value);
}

/* Rejects a series that is too short or repeats a time (t must be sorted). */
static void
check_series(const char *func, int64 n, const double *t, int64 min_points)
{
	if (n < min_points)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s needs at least " INT64_FORMAT " points with non-NULL t and value, got " INT64_FORMAT,
						func, min_points, n)));
	for (int64 i = 1; i < n; i++)
		if (t[i] == t[i - 1])
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s: t must not repeat, %g occurs more than once", func, t[i]),
					 errhint("Aggregate one value per time first, e.g. with GROUP BY t.")));
}

/* The state's pairs sorted by t in a copy (the state may still grow in a window) and checked. */
static CbSeries *
final_series(FunctionCallInfo fcinfo, const char *func, int64 min_points)
{
	CbSeries   *s = (CbSeries *) PG_GETARG_POINTER(0);
	CbSeries   *copy = palloc(sizeof(CbSeries));

	*copy = *s;
	copy->a = palloc_extended(sizeof(double) * Max(s->n, 1), MCXT_ALLOC_HUGE);
	copy->b = palloc_extended(sizeof(double) * Max(s->n, 1), MCXT_ALLOC_HUGE);
	memcpy(copy->a, s->a, sizeof(double) * s->n);
	memcpy(copy->b, s->b, sizeof(double) * s->n);
	cb_series_sort(copy);
	check_series(func, copy->n, copy->a, min_points);
	return copy;
}

/* Scratch for the n(n-1)/2 pairwise slopes, within work_mem. */
static double *
sen_scratch(const char *func, int64 n)
{
	size_t		bytes = cb_sen_scratch_bytes(n);

	if (bytes / 1024 > (size_t) work_mem)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: the Sen slope of " INT64_FORMAT " points needs %zu kB, more than work_mem (%d kB)",
						func, n, bytes / 1024 + 1, work_mem),
				 errhint("Raise work_mem for this query, e.g. SET work_mem = '%zuMB'.", bytes / (1024 * 1024) + 1)));
	return palloc_extended(bytes, MCXT_ALLOC_HUGE);
}

/* ---- mann_kendall aggregate ---- */

PG_FUNCTION_INFO_V1(cb_mann_kendall_step);
Datum
cb_mann_kendall_step(PG_FUNCTION_ARGS)
{
	CbSeries   *s = cb_series_state(fcinfo, "mann_kendall");

	if (PG_NARGS() > 3 && !PG_ARGISNULL(3))
	{
		char	   *options = text_to_cstring(PG_GETARG_TEXT_PP(3));

		if (s->options == NULL)
		{
			s->options = MemoryContextStrdup(GetMemoryChunkContext(s), options);
			(void) z_threshold_option("mann_kendall", s->options);	/* bad options fail early */
		}
		else if (strcmp(s->options, options) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("mann_kendall: options must be the same in every row")));
		pfree(options);
	}
	series_step(fcinfo, s, "mann_kendall");
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(cb_mann_kendall_final);
Datum
cb_mann_kendall_final(PG_FUNCTION_ARGS)
{
	CbSeries   *s;
	double		z_threshold;
	CbMannKendall mk;
	double	   *scratch;
	Datum		values[8];
	bool		nulls[8] = {false};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = final_series(fcinfo, "mann_kendall", 3);
	z_threshold = z_threshold_option("mann_kendall", s->options);
	scratch = sen_scratch("mann_kendall", s->n);
	cb_mann_kendall(s->n, s->a, s->b, scratch, &mk);
	mk.sen_slope = cb_sen_slope(s->n, s->a, s->b, scratch);
	mk.sen_intercept = cb_median(s->n, s->b, scratch) - mk.sen_slope * cb_median(s->n, s->a, scratch);
	pfree(scratch);

	values[0] = Int64GetDatum((int64) mk.s);
	values[1] = Float8GetDatum(mk.var_s);
	values[2] = Float8GetDatum(mk.z);
	values[3] = Float8GetDatum(mk.p);
	CB_FLOAT8_OR_NULL(mk.tau, values, nulls, 4);	/* every value tied */
	values[5] = Float8GetDatum(cb_finite_result(mk.sen_slope, "mann_kendall"));
	values[6] = Float8GetDatum(cb_finite_result(mk.sen_intercept, "mann_kendall"));
	values[7] = CStringGetTextDatum(cb_trend_class_names[cb_trend_class(mk.sen_slope, mk.z, z_threshold)]);
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}

/* ---- sen_slope, ols_trend, hurst aggregates ---- */

/* Transition functions: the pairs only, named for the aggregate in messages. */
#define SERIES_STEP_FUNCTION(cname, sqlname) \
	PG_FUNCTION_INFO_V1(cname); \
	Datum \
	cname(PG_FUNCTION_ARGS) \
	{ \
		CbSeries   *s = cb_series_state(fcinfo, sqlname); \
		series_step(fcinfo, s, sqlname); \
		PG_RETURN_POINTER(s); \
	}

SERIES_STEP_FUNCTION(cb_sen_slope_step, "sen_slope")
SERIES_STEP_FUNCTION(cb_ols_trend_step, "ols_trend")
SERIES_STEP_FUNCTION(cb_hurst_step, "hurst")

PG_FUNCTION_INFO_V1(cb_sen_slope_final);
Datum
cb_sen_slope_final(PG_FUNCTION_ARGS)
{
	CbSeries   *s;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = final_series(fcinfo, "sen_slope", 3);
	PG_RETURN_FLOAT8(cb_finite_result(cb_sen_slope(s->n, s->a, s->b, sen_scratch("sen_slope", s->n)), "sen_slope"));
}

PG_FUNCTION_INFO_V1(cb_ols_trend_final);
Datum
cb_ols_trend_final(PG_FUNCTION_ARGS)
{
	CbSeries   *s;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = final_series(fcinfo, "ols_trend", 3);
	PG_RETURN_FLOAT8(cb_finite_result(cb_ols_slope(s->n, s->a, s->b), "ols_trend"));
}

PG_FUNCTION_INFO_V1(cb_hurst_final);
Datum
cb_hurst_final(PG_FUNCTION_ARGS)
{
	CbSeries   *s;
	double		h;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	/* at least two block sizes (m = 1, 2) for a slope */
	s = final_series(fcinfo, "hurst", 4);
	h = cb_hurst_aggvar(s->n, s->b, palloc(sizeof(double) * s->n));
	if (isnan(h))
		PG_RETURN_NULL();		/* a block variance of zero, e.g. a constant series */
	PG_RETURN_FLOAT8(h);
}

/* ---- window functions ---- */

/* One partition row: its time, value and whether both are present. */
typedef struct WindowPoint
{
	double		t;
	double		value;
	int64		row;
} WindowPoint;

static int
cmp_point_t(const void *a, const void *b)
{
	const WindowPoint *p = a;
	const WindowPoint *q = b;

	return (p->t > q->t) - (p->t < q->t);
}

/*
 * Reads every row of the partition; rows with a NULL t are left out, rows
 * with a NULL value too unless keep_null_values (spline_fill asks for them:
 * value is then NaN).  Returns the points sorted by t.
 */
static WindowPoint *
window_points(WindowObject winobj, const char *func, bool keep_null_values, int64 *count)
{
	int64		nrows = WinGetPartitionRowCount(winobj);
	WindowPoint *pts = palloc_extended(sizeof(WindowPoint) * Max(nrows, 1), MCXT_ALLOC_HUGE);
	int64		n = 0;

	for (int64 r = 0; r < nrows; r++)
	{
		bool		t_null,
					v_null,
					isout;
		Datum		t = WinGetFuncArgInPartition(winobj, 0, r, WINDOW_SEEK_HEAD, false, &t_null, &isout);
		Datum		v = WinGetFuncArgInPartition(winobj, 1, r, WINDOW_SEEK_HEAD, false, &v_null, &isout);

		if (t_null || (v_null && !keep_null_values))
			continue;
		pts[n].t = DatumGetFloat8(t);
		cb_check_finite(pts[n].t, func, "t", "row", r + 1);
		pts[n].value = v_null ? NAN : DatumGetFloat8(v);
		if (!v_null)
			cb_check_finite(pts[n].value, func, "value", "row", r + 1);
		pts[n].row = r;
		n++;
	}
	qsort(pts, (size_t) n, sizeof(WindowPoint), cmp_point_t);
	*count = n;
	return pts;
}

typedef struct SequentialRow
{
	bool		valid;
	bool		change_point;
	double		uf;
	double		ub;
} SequentialRow;

static void
mk_sequential_compute(WindowObject winobj, FunctionCallInfo fcinfo, SequentialRow *rows)
{
	MemoryContext work = cb_work_context("mann_kendall_sequential");
	MemoryContext old = MemoryContextSwitchTo(work);
	const char *func = "mann_kendall_sequential";
	char	   *options = NULL;
	int64		n;
	WindowPoint *pts;
	double	   *t,
			   *x,
			   *uf,
			   *ub;
	bool	   *change;
	double		z_threshold;

	if (PG_NARGS() > 2)
	{
		bool		isnull;
		Datum		d = WinGetFuncArgCurrent(winobj, 2, &isnull);

		if (!isnull)
			options = TextDatumGetCString(d);
	}
	z_threshold = z_threshold_option(func, options);
	pts = window_points(winobj, func, false, &n);
	t = palloc(sizeof(double) * Max(n, 1));
	x = palloc(sizeof(double) * Max(n, 1));
	for (int64 i = 0; i < n; i++)
	{
		t[i] = pts[i].t;
		x[i] = pts[i].value;
	}
	check_series(func, n, t, 3);
	uf = palloc(sizeof(double) * n);
	ub = palloc(sizeof(double) * n);
	change = palloc(sizeof(bool) * n);
	cb_mk_sequential(n, x, z_threshold, uf, ub, change);
	for (int64 i = 0; i < n; i++)
	{
		SequentialRow *r = &rows[pts[i].row];

		r->valid = true;
		r->uf = uf[i];
		r->ub = ub[i];
		r->change_point = change[i];
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
}

PG_FUNCTION_INFO_V1(cb_mk_sequential_window);
Datum
cb_mk_sequential_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int64		nrows;
	bool		fresh;
	SequentialRow *rows = cb_window_partition_memory(winobj, sizeof(SequentialRow), &nrows, &fresh);
	SequentialRow *r;
	Datum		values[3];
	bool		nulls[3] = {false};

	if (fresh)
		mk_sequential_compute(winobj, fcinfo, rows);
	r = &rows[WinGetCurrentPosition(winobj)];
	if (!r->valid)
		PG_RETURN_NULL();		/* NULL t or value */
	values[0] = Float8GetDatum(r->uf);
	values[1] = Float8GetDatum(r->ub);
	values[2] = BoolGetDatum(r->change_point);
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}

typedef struct SplineRow
{
	bool		valid;
	double		value;
} SplineRow;

static void
spline_fill_compute(WindowObject winobj, SplineRow *rows)
{
	MemoryContext work = cb_work_context("spline_fill");
	MemoryContext old = MemoryContextSwitchTo(work);
	const char *func = "spline_fill";
	int64		n,
				known = 0,
				gaps = 0;
	WindowPoint *pts = window_points(winobj, func, true, &n);
	double	   *kt = palloc(sizeof(double) * Max(n, 1));
	double	   *kx = palloc(sizeof(double) * Max(n, 1));
	double	   *gt = palloc(sizeof(double) * Max(n, 1));
	int64	   *grow = palloc(sizeof(int64) * Max(n, 1));
	double	   *filled = palloc(sizeof(double) * Max(n, 1));

	for (int64 i = 0; i < n; i++)
	{
		if (isnan(pts[i].value))
		{
			gt[gaps] = pts[i].t;
			grow[gaps++] = pts[i].row;
			continue;
		}
		kt[known] = pts[i].t;
		kx[known++] = pts[i].value;
		rows[pts[i].row].valid = true;
		rows[pts[i].row].value = pts[i].value;
	}
	/* known points are in t order; a repeated t among them is ambiguous */
	check_series(func, known, kt, 0);
	if (known >= 2 && gaps > 0)
	{
		/*
		 * The spline commutes with scaling t and value; power-of-two units
		 * (exact) keep its cubes finite for values near the float8 limit.
		 */
		double		ut = cb_pow2_unit(known, kt),
					ux = cb_pow2_unit(known, kx);

		for (int64 i = 0; i < known; i++)
		{
			kt[i] /= ut;
			kx[i] /= ux;
		}
		for (int64 g = 0; g < gaps; g++)
			gt[g] /= ut;
		cb_natural_spline(known, kt, kx, gaps, gt, filled, palloc(sizeof(double) * 4 * known));
		for (int64 g = 0; g < gaps; g++)
		{
			rows[grow[g]].valid = !isnan(filled[g]);	/* outside the known range: NULL */
			if (rows[grow[g]].valid)
				rows[grow[g]].value = cb_finite_result(filled[g] * ux, func);
		}
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
}

PG_FUNCTION_INFO_V1(cb_spline_fill_window);
Datum
cb_spline_fill_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int64		nrows;
	bool		fresh;
	SplineRow  *rows = cb_window_partition_memory(winobj, sizeof(SplineRow), &nrows, &fresh);
	SplineRow  *r;

	if (fresh)
		spline_fill_compute(winobj, rows);
	r = &rows[WinGetCurrentPosition(winobj)];
	if (!r->valid)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(r->value);
}

/* ---- trend_raster ---- */

static const char *const trend_raster_keys[] = {"method", "start", "step", "min_points", "band",
"pixeltype", "nodata", NULL};
static const char *const trend_raster_methods[] = {"all", "ols", "sen", "mk", NULL};

#define TREND_METHOD_ALL 0
#define TREND_METHOD_OLS 1
#define TREND_METHOD_SEN 2
#define TREND_METHOD_MK 3

/* The layers of a stack: band `band` of each aligned raster, in time order. */
typedef struct TrendStack
{
	const char *func;
	CbRasterGeo geo;			/* georeference of the first layer, shared by all */
	int			nlayers;
	const CbBand **layers;
	const char **layer_names;	/* for messages: "rasters[3]" or "band 3" */
} TrendStack;

typedef struct TrendRasterSettings
{
	int			method;
	double		start;			/* t of the first layer */
	double		step;			/* t increment between layers */
	int			min_points;		/* valid layers a pixel needs for a result */
	int			band;			/* 1-based band read from each raster of an array */
	CbBandSpec	out;
} TrendRasterSettings;

static void
trend_raster_settings(FunctionCallInfo fcinfo, int argno, const char *func, TrendRasterSettings *ts)
{
	CbOptions	opts;
	static const char *const types[] = {"64bf", "32bf", NULL};

	cb_options_parse(&opts, func,
					 (PG_NARGS() > argno && !PG_ARGISNULL(argno)) ?
					 text_to_cstring(PG_GETARG_TEXT_PP(argno)) : "", trend_raster_keys);
	ts->method = cb_opt_choice(&opts, "method", trend_raster_methods, TREND_METHOD_ALL);
	ts->start = cb_opt_float(&opts, "start", 1.0, -1e300, 1e300, false);
	ts->step = cb_opt_float(&opts, "step", 1.0, 0.0, 1e300, true);
	ts->min_points = (int) cb_opt_int(&opts, "min_points", 3, 3, 100000);
	ts->band = (int) cb_opt_int(&opts, "band", 1, 1, 65535);
	ts->out.pixtype = cb_opt_choice(&opts, "pixeltype", types, 0) == 0 ? CB_PT_64BF : CB_PT_32BF;
	ts->out.has_nodata = true;
	ts->out.nodata = cb_opt_float(&opts, "nodata", -9999, -1e300, 1e300, false);
}

static void
check_stack_size(const TrendStack *st)
{
	if (st->nlayers < 3)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs at least 3 layers, got %d", st->func, st->nlayers)));
}

/* Layers from an array of rasters: band ts->band of each, all on the first one's grid and extent. */
static void
stack_from_array(ArrayType *arr, const TrendRasterSettings *ts, TrendStack *st)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	CbRaster   *rasters;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s: rasters must be a one-dimensional array", st->func)));
	get_typlenbyvalalign(ARR_ELEMTYPE(arr), &typlen, &typbyval, &typalign);
	deconstruct_array(arr, ARR_ELEMTYPE(arr), typlen, typbyval, typalign, &elems, &nulls, &n);
	st->nlayers = n;
	check_stack_size(st);
	rasters = palloc(sizeof(CbRaster) * n);
	st->layers = palloc(sizeof(CbBand *) * n);
	st->layer_names = palloc(sizeof(char *) * n);
	for (int k = 0; k < n; k++)
	{
		st->layer_names[k] = psprintf("rasters[%d]", k + 1);
		if (nulls[k])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: rasters must not contain NULL elements", st->func),
					 errdetail("Element %d is NULL.", k + 1)));
		cb_raster_read(elems[k], st->func, st->layer_names[k], &rasters[k]);
		if (rasters[k].empty)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s is empty", st->func, st->layer_names[k])));
		cb_raster_need_band(&rasters[k], ts->band - 1, st->func, st->layer_names[k]);
		if (k > 0)
			cb_raster_check_aligned(&rasters[0], &rasters[k], st->func, "rasters[1]",
									st->layer_names[k], true);
		st->layers[k] = &rasters[k].bands[ts->band - 1];
	}
	st->geo = rasters[0].geo;
}

/* Layers from the bands of one raster, band 1 first. */
static void
stack_from_bands(Datum datum, TrendStack *st)
{
	CbRaster   *r = palloc(sizeof(CbRaster));

	cb_raster_read(datum, st->func, "rast", r);
	if (r->empty)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: rast is empty", st->func)));
	st->nlayers = r->nbands;
	check_stack_size(st);
	st->layers = palloc(sizeof(CbBand *) * r->nbands);
	st->layer_names = palloc(sizeof(char *) * r->nbands);
	for (int k = 0; k < r->nbands; k++)
	{
		st->layers[k] = &r->bands[k];
		st->layer_names[k] = psprintf("band %d", k + 1);
	}
	st->geo = r->geo;
}

/*
 * Per pixel: the layers that are not nodata, with t = start + k * step, and
 * the requested statistics; pixels with fewer than min_points layers are
 * nodata in every output band.
 */
static Datum
trend_raster_compute(const TrendStack *st, const TrendRasterSettings *ts)
{
	int64		npixels = (int64) st->geo.width * st->geo.height;
	int			nout = ts->method == TREND_METHOD_ALL ? 3 : 1;
	double	   *out[3];
	CbBandSpec	spec[3];
	double	   *t = palloc(sizeof(double) * st->nlayers);
	double	   *x = palloc(sizeof(double) * st->nlayers);
	double	   *scratch = palloc(Max(cb_sen_scratch_bytes(st->nlayers), sizeof(double) * st->nlayers));
	double	   *inv_dt = palloc(cb_sen_scratch_bytes(st->nlayers));

	/* pixels with every layer valid share the time axis: reciprocals of the pair spacings once */
	for (int k = 0; k < st->nlayers; k++)
		t[k] = ts->start + k * ts->step;
	cb_sen_reciprocals(st->nlayers, t, inv_dt);

	for (int b = 0; b < nout; b++)
	{
		out[b] = palloc_extended(sizeof(double) * Max(npixels, 1), MCXT_ALLOC_HUGE);
		spec[b] = ts->out;
	}
	for (int64 idx = 0; idx < npixels; idx++)
	{
		int			n = 0;
		CbMannKendall mk;

		if (idx % st->geo.width == 0)
		{
			CHECK_FOR_INTERRUPTS();	/* once per pixel row: a large stack must stay cancellable */
			cb_progress("pixel rows", idx / st->geo.width, st->geo.height);
		}
		for (int k = 0; k < st->nlayers; k++)
		{
			double		raw = cb_band_raw(st->layers[k], idx);

			if (cb_band_is_nodata(st->layers[k], raw))
				continue;
			if (!isfinite(raw))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: %s has a pixel that is %s and not nodata", st->func,
								st->layer_names[k], isnan(raw) ? "NaN" : "infinite"),
						 errdetail("Pixel (%d, %d), 1-based column and row.",
								   (int) (idx % st->geo.width) + 1, (int) (idx / st->geo.width) + 1),
						 errhint("Set the band's nodata value or replace the pixel.")));
			t[n] = ts->start + k * ts->step;
			x[n++] = raw;
		}
		if (n < ts->min_points)
		{
			for (int b = 0; b < nout; b++)
				out[b][idx] = NAN;
			continue;
		}
		switch (ts->method)
		{
			case TREND_METHOD_OLS:
				out[0][idx] = cb_ols_slope(n, t, x);
				break;
			case TREND_METHOD_SEN:
				if (n == st->nlayers)
				{
					cb_mk_sen_shared(n, x, inv_dt, scratch, &mk);
					out[0][idx] = mk.sen_slope;
				}
				else
					out[0][idx] = cb_sen_slope(n, t, x, scratch);
				break;
			case TREND_METHOD_MK:
				cb_mann_kendall(n, t, x, scratch, &mk);
				out[0][idx] = mk.z;
				break;
			default:
				out[0][idx] = cb_ols_slope(n, t, x);
				if (n == st->nlayers)
					cb_mk_sen_shared(n, x, inv_dt, scratch, &mk);	/* every layer valid */
				else
				{
					mk.sen_slope = cb_sen_slope(n, t, x, scratch);
					cb_mann_kendall(n, t, x, scratch, &mk);
				}
				out[1][idx] = mk.sen_slope;
				out[2][idx] = mk.z;
		}
	}
	PG_RETURN_POINTER(cb_raster_write(&st->geo, nout, spec, out, st->func));
}

PG_FUNCTION_INFO_V1(cb_trend_raster_array);
Datum
cb_trend_raster_array(PG_FUNCTION_ARGS)
{
	TrendStack	st = {.func = "trend_raster"};
	TrendRasterSettings ts;

	cb_progress_start(st.func);
	trend_raster_settings(fcinfo, 1, st.func, &ts);
	stack_from_array(PG_GETARG_ARRAYTYPE_P(0), &ts, &st);
	return trend_raster_compute(&st, &ts);
}

PG_FUNCTION_INFO_V1(cb_trend_raster_bands);
Datum
cb_trend_raster_bands(PG_FUNCTION_ARGS)
{
	TrendStack	st = {.func = "trend_raster"};
	TrendRasterSettings ts;
	CbOptions	opts;

	cb_progress_start(st.func);
	trend_raster_settings(fcinfo, 1, st.func, &ts);
	cb_options_parse(&opts, st.func, PG_ARGISNULL(1) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(1)),
					 trend_raster_keys);
	cb_opt_forbid(&opts, "band", "The layers of one raster are its bands, in order.");
	stack_from_bands(PG_GETARG_DATUM(0), &st);
	return trend_raster_compute(&st, &ts);
}
