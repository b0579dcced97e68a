/*
 * zonal.c
 *    Zonal statistics of a continuous band over a region polygon (SPEC
 *    section 14): zonal_stats(raster, region) on one tile and the aggregate
 *    zonal_stats_agg over the tiles of a region.  This is how NEP, RCS and
 *    night-light totals per county are made.
 *
 * With coverage fractions f (exact, as exactextract; or 1 for pixels whose
 * centre is inside), values v and pixel areas a (m^2, geodesic for lon/lat):
 *   pixels = number of pixels with f > 0 and a value (nodata skipped),
 *   coverage = sum f, area_m2 = sum f a, sum = sum f v,
 *   mean = sum f v / sum f, stddev = sqrt(sum f (v - mean)^2 / sum f)
 *   (population form, weighted as exactextract's mean and stdev),
 *   min and max of v over those pixels,
 *   area_sum = scale * sum f a v (e.g. g C m-2 yr-1 -> t C yr-1 with scale=1e-6).
 * Tiles are folded in with Chan's pairwise update of mean and squared
 * deviations, so the state combines in any order (parallel query, Citus).
 */
#include "carbonbudget.h"

#include <float.h>

#include "miscadmin.h"
#include "utils/builtins.h"

#include "options.h"
#include "raster_io.h"
#include "region.h"

#define ZONAL_MAGIC 0x43425a31	/* "CBZ1" */
#define OPTIONS_LEN CB_ZONAL_OPTIONS_LEN

static const char *const zonal_keys[] = {"coverage", "band", "scale", NULL};

/* Moments of the covered pixels; also the bytea state of zonal_stats_agg. */
typedef struct ZonalState
{
	int32		vl_len_;
	int32		magic;
	int32		reserved;		/* 0 */
	char		options[OPTIONS_LEN];	/* options text of the first row */
	double		pixels;			/* pixels with f > 0 and a value */
	double		coverage;		/* sum f */
	double		area_m2;		/* sum f a */
	double		sum;			/* sum f v */
	double		mean;			/* weighted mean, meaningful when coverage > 0 */
	double		m2;				/* sum f (v - mean)^2 */
	double		min;			/* meaningful when pixels > 0 */
	double		max;
	double		area_sum;		/* sum f a v, before scale */
} ZonalState;

static ZonalState *
zonal_alloc(MemoryContext mcxt, const char *options)
{
	ZonalState *s = MemoryContextAllocZero(mcxt, sizeof(ZonalState));

	SET_VARSIZE(s, sizeof(ZonalState));
	s->magic = ZONAL_MAGIC;
	strlcpy(s->options, options, OPTIONS_LEN);
	return s;
}

/* A state handed in by SQL is checked field by field before use. */
static ZonalState *
zonal_check(bytea *b)
{
	const char *func = "zonal_stats_agg";
	ZonalState *s = (ZonalState *) b;
	const double *f = &s->pixels;

	if (VARSIZE(b) != sizeof(ZonalState) || s->magic != ZONAL_MAGIC)
		cb_state_invalid(func, "The state has no zonal_stats_agg header or the wrong size.");
	if (s->reserved != 0 || memchr(s->options, '\0', OPTIONS_LEN) == NULL)
		cb_state_invalid(func, "The options text of the state is not terminated.");
	for (int k = 0; k < 9; k++)
		if (!isfinite(f[k]))
			cb_state_invalid(func, psprintf("Field %d of the state is not finite.", k + 1));
	(void) cb_state_count(s->pixels, CB_STATE_MAX_ROWS, func, "pixel count");
	if (s->coverage < 0 || s->area_m2 < 0 || s->m2 < 0 || (s->pixels == 0) != (s->coverage == 0) ||
		s->coverage > s->pixels || (s->pixels > 0 && s->min > s->max))
		cb_state_invalid(func, "The coverage, area or moments of the state are inconsistent.");
	return s;
}

/* Chan et al.: merges the weighted moments of b into a. */
static void
zonal_merge(ZonalState *a, const ZonalState *b, const char *func)
{
	double		w;
	double		delta;

	if (b->pixels == 0)
		return;
	if (a->pixels == 0)
	{
		/* copied, not merged: delta^2 of a huge mean against the empty one's 0 would overflow */
		memcpy(&a->pixels, &b->pixels, sizeof(double) * 9);
		return;
	}
	a->min = Min(a->min, b->min);
	a->max = Max(a->max, b->max);
	w = a->coverage + b->coverage;
	delta = b->mean - a->mean;
	a->m2 += b->m2 + delta * delta * (a->coverage / w) * b->coverage;
	a->mean += delta * (b->coverage / w);
	a->pixels += b->pixels;
	a->coverage = w;
	a->area_m2 += b->area_m2;
	a->sum += b->sum;
	a->area_sum += b->area_sum;
	cb_check_sum_finite(a->m2, func, "raster");
	(void) cb_finite_result(a->sum, func);
	(void) cb_finite_result(a->area_sum, func);
}

/*
 * One pixel of coverage f and value v into the moments of tile_moments,
 * kept in locals (stores through the state could alias the rows and would
 * be reloaded per pixel).
 */
#define MOMENT_STEP(f_, v_) \
	do { \
		double		f = (f_), \
					v = (v_), \
					d; \
		if (f == 0) \
			break; \
		if (unlikely(isnan(shift))) \
			shift = lo = hi = v; \
		d = v - shift; \
		pixels += 1; \
		w += f; \
		wv += f * v; \
		s1 += f * d; \
		s2 += f * d * d; \
		lo = Min(lo, v); \
		hi = Max(hi, v); \
	} while (0)

/*
 * Moments of one tile's covered pixels, shifted by the first value so the
 * squared deviations keep their precision.
 */
static void
tile_moments(const CbRaster *r, int band, const CbTileWindow *win, bool geographic, bool rows_progress,
			 const char *func, ZonalState *t)
{
	const CbBand *b = &r->bands[band];
	const uint8 *f32 = (b->pixtype == CB_PT_32BF && !b->all_nodata) ? b->data : NULL;
	bool		has_nodata = b->has_nodata;
	float		nodata = (float) b->nodata;
	double	   *row = palloc(sizeof(double) * Max(win->width, 1));
	double		shift = NAN,
				s1 = 0,
				s2 = 0,
				pixels = 0,
				lo = NAN,
				hi = NAN;

	memset(&t->pixels, 0, sizeof(double) * 9);
	for (int wr = 0; wr < win->height; wr++)
	{
		const double *cover = cb_window_row(win, wr);
		double		pa = cb_row_pixel_area(&r->geo, geographic, win->r0 + wr);
		double		w = 0,
					wv = 0;

		if (f32 != NULL)
		{
			/* 32BF read in place: nodata as cb_band_is_nodata, a stored NaN or infinity is cb_band_row's error */
			const uint8 *px = f32 + ((int64) (win->r0 + wr) * r->geo.width + win->c0) * sizeof(float);

			for (int wc = 0; wc < win->width; wc++)
			{
				float		x;

				memcpy(&x, px + wc * sizeof(float), sizeof(float));
				if (has_nodata && cb_f32_is_nodata(x, nodata))
					continue;
				if (unlikely(!isfinite(x)))
					cb_band_row(r, band, win->r0 + wr, win->c0, win->width, func, "raster", row);
				MOMENT_STEP(cover[wc], (double) x);
			}
		}
		else
		{
			cb_band_row(r, band, win->r0 + wr, win->c0, win->width, func, "raster", row);
			for (int wc = 0; wc < win->width; wc++)
			{
				if (isnan(row[wc]))
					continue;
				MOMENT_STEP(cover[wc], row[wc]);
			}
		}
		t->coverage += w;
		t->sum += wv;
		t->area_m2 += w * pa;
		t->area_sum += wv * pa;
		/* a tile of 65535 x 65535 pixels must stay cancellable */
		CHECK_FOR_INTERRUPTS();
		if (rows_progress)
			cb_progress("rows", wr + 1, win->height);
	}
	t->pixels = pixels;
	if (pixels > 0)
	{
		t->min = lo;
		t->max = hi;
	}
	pfree(row);
	cb_check_sum_finite(s2, func, "raster");
	(void) cb_finite_result(t->sum, func);
	(void) cb_finite_result(t->area_sum, func);
	if (t->coverage > 0)
	{
		t->mean = shift + s1 / t->coverage;
		t->m2 = Max(s2 - s1 * (s1 / t->coverage), 0);
	}
}

static void
parse_zonal_options(CbOptions *opts, const char *func, const char *text)
{
	cb_zonal_options(opts, func, text, zonal_keys);
	(void) cb_opt_choice(opts, "coverage", cb_coverage_rules, 1);
	(void) cb_opt_int(opts, "band", 1, 1, 65535);
	(void) cb_opt_float(opts, "scale", 1, -1e300, 1e300, false);
}

/* Adds one tile inside the region to the state; rows_progress reports its rows (one raster, not an aggregate's tiles). */
static void
accumulate_tile(FunctionCallInfo fcinfo, int rast_arg, int geom_arg, ZonalState *s, const CbOptions *opts,
				bool rows_progress, const char *func)
{
	bool		exact = cb_opt_choice(opts, "coverage", cb_coverage_rules, 1) == 1;
	int			band = (int) cb_opt_int(opts, "band", 1, 1, 65535) - 1;
	MemoryContext work = cb_work_context("zonal_stats tile"),
				old = MemoryContextSwitchTo(work);
	const CbShape *shape = cb_region_read(fcinfo, geom_arg, func, true);
	CbRaster	r;

	cb_raster_read(PG_GETARG_DATUM(rast_arg), func, "raster", &r);
	if (!r.empty)
	{
		CbTileWindow win;
		ZonalState	t;
		bool		geographic;

		cb_raster_need_band(&r, band, func, "raster");
		cb_region_check_srid(fcinfo, geom_arg, &r, shape, func, "raster");
		geographic = cb_region_geographic(fcinfo, geom_arg, &r, func);
		cb_tile_window(fcinfo, &r, shape, exact, func, &win);
		/* rows of a big raster; tiles of an ordinary size are counted by cb_region_progress */
		tile_moments(&r, band, &win, geographic, rows_progress && r.npixels > ((int64) 1 << 22), func, &t);
		zonal_merge(s, &t, func);
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
}

static Datum
zonal_result(FunctionCallInfo fcinfo, const ZonalState *s, const char *func)
{
	CbOptions	opts;
	Datum		values[9];
	bool		nulls[9] = {0};
	double		scale;

	cb_options_parse(&opts, func, s->options, zonal_keys);
	scale = cb_opt_float(&opts, "scale", 1, -1e300, 1e300, false);
	values[0] = Int64GetDatum((int64) s->pixels);
	values[1] = Float8GetDatum(s->coverage);
	values[2] = Float8GetDatum(s->area_m2);
	values[3] = Float8GetDatum(s->sum);
	/* statistics of no pixel are undefined: NULL, never NaN */
	nulls[4] = nulls[5] = nulls[6] = nulls[7] = (s->pixels == 0);
	values[4] = Float8GetDatum(s->mean);
	values[5] = Float8GetDatum(s->min);
	values[6] = Float8GetDatum(s->max);
	values[7] = Float8GetDatum(sqrt(s->m2 / Max(s->coverage, DBL_MIN)));
	values[8] = Float8GetDatum(cb_finite_result(s->area_sum * scale, func));
	return cb_form_result(fcinfo, values, nulls);
}

PG_FUNCTION_INFO_V1(cb_zonal_stats);
Datum
cb_zonal_stats(PG_FUNCTION_ARGS)
{
	const char *func = "zonal_stats";
	const char *text = cb_options_arg(fcinfo, 2);
	CbOptions	opts;
	ZonalState *s;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	cb_region_progress(fcinfo, func);
	parse_zonal_options(&opts, func, text);
	s = zonal_alloc(CurrentMemoryContext, text);
	accumulate_tile(fcinfo, 0, 1, s, &opts, true, func);
	return zonal_result(fcinfo, s, func);
}

PG_FUNCTION_INFO_V1(cb_zonal_stats_step);
Datum
cb_zonal_stats_step(PG_FUNCTION_ARGS)
{
	const char *func = "zonal_stats_agg";
	const char *text = cb_options_arg(fcinfo, 3);
	MemoryContext aggcxt;
	CbOptions	opts;
	ZonalState *s;

	cb_require_aggregate(fcinfo, func, &aggcxt);
	parse_zonal_options(&opts, func, text);
	if (PG_ARGISNULL(0))
		s = zonal_alloc(aggcxt, text);
	else
	{
		s = zonal_check(PG_GETARG_BYTEA_P(0));
		cb_zonal_options_same(func, s->options, text);
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(s);	/* NULL tiles or regions are skipped */
	cb_region_progress(fcinfo, func);
	accumulate_tile(fcinfo, 1, 2, s, &opts, false, func);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(cb_zonal_stats_combine);
Datum
cb_zonal_stats_combine(PG_FUNCTION_ARGS)
{
	const char *func = "zonal_stats_agg";
	MemoryContext aggcxt;
	ZonalState *a,
			   *b,
			   *out;

	cb_require_aggregate(fcinfo, func, &aggcxt);
	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
	{
		b = zonal_check(PG_GETARG_BYTEA_P(PG_ARGISNULL(0) ? 1 : 0));
		out = zonal_alloc(aggcxt, b->options);
		memcpy(out, b, sizeof(ZonalState));
		PG_RETURN_POINTER(out);
	}
	a = zonal_check(PG_GETARG_BYTEA_P(0));
	b = zonal_check(PG_GETARG_BYTEA_P(1));
	cb_zonal_options_same(func, a->options, b->options);
	out = zonal_alloc(aggcxt, a->options);
	memcpy(out, a, sizeof(ZonalState));
	zonal_merge(out, b, func);
	PG_RETURN_POINTER(out);
}

PG_FUNCTION_INFO_V1(cb_zonal_stats_final);
Datum
cb_zonal_stats_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	return zonal_result(fcinfo, zonal_check(PG_GETARG_BYTEA_P(0)), "zonal_stats_agg");
}
