/*
 * transition.c
 *    Land-use transition matrix between two years inside a region (paper
 *    003 Fig. 3, SPEC section 14): the aggregate landuse_transition over
 *    aligned pairs of land-cover tiles gives the area (hm^2) of every
 *    from-code x to-code pair, with the coverage rule of the zonal budget
 *    (region.h); the comprehensive land-use dynamic degree follows from it.
 */
#include "carbonbudget.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "options.h"
#include "raster_io.h"
#include "region.h"

#define TRANSITION_MAGIC 0x43425431	/* "CBT1" */
#define OPTIONS_LEN CB_ZONAL_OPTIONS_LEN
/* codes 0 .. MAX_CODE: the dense matrix of the state stays below 8 MB */
#define MAX_CODE 1023

static const char *const transition_keys[] = {"coverage", "band", NULL};

typedef struct TransitionState
{
	int32		vl_len_;
	int32		magic;
	int32		ncodes;			/* the matrix holds codes 0 .. ncodes - 1 */
	int32		reserved;		/* 0 */
	char		options[OPTIONS_LEN];	/* options text of the first row */
	double		nodata_m2;		/* region area where either year is nodata */
	double		area_m2[FLEXIBLE_ARRAY_MEMBER];	/* [from * ncodes + to], m^2 */
} TransitionState;

static Size
state_size(int32 ncodes)
{
	return offsetof(TransitionState, area_m2) + sizeof(double) * (Size) ncodes * ncodes;
}

static TransitionState *
state_alloc(MemoryContext mcxt, int32 ncodes, const char *options)
{
	TransitionState *s = MemoryContextAllocZero(mcxt, state_size(ncodes));

	SET_VARSIZE(s, state_size(ncodes));
	s->magic = TRANSITION_MAGIC;
	s->ncodes = ncodes;
	strlcpy(s->options, options, OPTIONS_LEN);
	return s;
}

/* A copy of s with room for ncodes codes (s itself when it has room). */
static TransitionState *
state_grow(MemoryContext mcxt, TransitionState *s, int32 ncodes)
{
	TransitionState *n;

	if (ncodes <= s->ncodes)
		return s;
	n = state_alloc(mcxt, ncodes, s->options);
	n->nodata_m2 = s->nodata_m2;
	for (int32 i = 0; i < s->ncodes; i++)
		memcpy(n->area_m2 + (Size) i * ncodes, s->area_m2 + (Size) i * s->ncodes, sizeof(double) * s->ncodes);
	return n;
}

static TransitionState *
state_check(bytea *b)
{
	const char *func = "landuse_transition";
	TransitionState *s = (TransitionState *) b;

	if (VARSIZE(b) < offsetof(TransitionState, area_m2) || s->magic != TRANSITION_MAGIC)
		cb_state_invalid(func, "The state has no landuse_transition header.");
	if (s->ncodes < 0 || s->ncodes > MAX_CODE + 1 || s->reserved != 0 || VARSIZE(b) != state_size(s->ncodes))
		cb_state_invalid(func, "The size of the state does not match its code count.");
	if (memchr(s->options, '\0', OPTIONS_LEN) == NULL)
		cb_state_invalid(func, "The options text of the state is not terminated.");
	if (!(isfinite(s->nodata_m2) && s->nodata_m2 >= 0))
		cb_state_invalid(func, "The nodata area of the state is not a non-negative number.");
	for (Size k = 0; k < (Size) s->ncodes * s->ncodes; k++)
		if (!(isfinite(s->area_m2[k]) && s->area_m2[k] >= 0))
			cb_state_invalid(func, "An area of the state is not a non-negative number.");
	return s;
}

/* A pixel's code, checked: an integer from 0 to MAX_CODE. */
static int32
pixel_code(double v, const char *func, const char *arg, int col, int row)
{
	if (!(v >= 0 && v <= MAX_CODE && v == floor(v)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s codes must be integers from 0 to %d", func, arg, MAX_CODE),
				 errdetail("Column %d, row %d holds %g.", col + 1, row + 1, v),
				 errhint("Set the band's nodata value or reclassify with ST_Reclass.")));
	return (int32) v;
}

static void
parse_transition_options(CbOptions *opts, const char *func, const char *text)
{
	cb_zonal_options(opts, func, text, transition_keys);
	(void) cb_opt_choice(opts, "coverage", cb_coverage_rules, 1);
	(void) cb_opt_int(opts, "band", 1, 1, 65535);
}

/* Reads one year's tile: at least the band asked for, integer codes. */
static void
read_landcover(FunctionCallInfo fcinfo, int argno, const char *arg, int band, const char *func, CbRaster *r)
{
	cb_raster_read(PG_GETARG_DATUM(argno), func, arg, r);
	if (r->empty)
		return;
	cb_raster_need_band(r, band, func, arg);
	if (cb_pixtype_is_float(r->bands[band].pixtype))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must be a land-cover raster of integer codes, but band %d has pixel type %s",
						func, arg, band + 1, cb_pixtype_name(r->bands[band].pixtype)),
				 errhint("Reclassify it to codes with ST_Reclass(rast, 1, '...', '8BUI').")));
}

/*
 * The usual pair of 8BUI land-cover bands: codes read as bytes (every byte
 * is a valid code) with no conversion to double; the same sums, in the same
 * order, as the general loop of accumulate_pair.
 */
static TransitionState *
add_pairs_8bui(MemoryContext mcxt, TransitionState *s, const CbRaster *before, const CbRaster *after, int band,
			   const CbTileWindow *win, bool geographic)
{
	const CbBand *bb = &before->bands[band],
			   *ba = &after->bands[band];
	int			nd_b = bb->has_nodata && bb->nodata >= 0 && bb->nodata <= 255 && bb->nodata == floor(bb->nodata) ?
		(int) bb->nodata : -1,
				nd_a = ba->has_nodata && ba->nodata >= 0 && ba->nodata <= 255 && ba->nodata == floor(ba->nodata) ?
		(int) ba->nodata : -1;

	for (int wr = 0; wr < win->height; wr++)
	{
		const double *cover = cb_window_row(win, wr);
		int			row = win->r0 + wr;
		double		pa = cb_row_pixel_area(&before->geo, geographic, row);
		const uint8 *pb = bb->data + (int64) row * before->geo.width + win->c0,
				   *pa8 = ba->data + (int64) row * after->geo.width + win->c0;
		double	   *area = s->area_m2;
		int32		ncodes = s->ncodes;
		double		nodata = s->nodata_m2;

		for (int wc = 0; wc < win->width; wc++)
		{
			int			from = pb[wc],
						to = pa8[wc];

			if (cover[wc] == 0)
				continue;
			if (from == nd_b || to == nd_a)
			{
				nodata += cover[wc] * pa;
				continue;
			}
			if (unlikely(Max(from, to) >= ncodes))
			{
				s = state_grow(mcxt, s, Min(TYPEALIGN(16, Max(from, to) + 1), MAX_CODE + 1));
				area = s->area_m2;
				ncodes = s->ncodes;
			}
			area[(Size) from * ncodes + to] += cover[wc] * pa;
		}
		s->nodata_m2 = nodata;
		/* a tile of 65535 x 65535 pixels must stay cancellable */
		CHECK_FOR_INTERRUPTS();
	}
	return s;
}

/* Adds the areas of one aligned tile pair inside the region to the state (which may be reallocated). */
static TransitionState *
accumulate_pair(FunctionCallInfo fcinfo, MemoryContext mcxt, TransitionState *s, const CbOptions *opts,
				const char *func)
{
	bool		exact = cb_opt_choice(opts, "coverage", cb_coverage_rules, 1) == 1;
	int			band = (int) cb_opt_int(opts, "band", 1, 1, 65535) - 1;
	MemoryContext work = cb_work_context("landuse_transition tile"),
				old = MemoryContextSwitchTo(work);
	const CbShape *shape = cb_region_read(fcinfo, 3, func, true);
	CbRaster	before,
				after;
	CbTileWindow win;
	bool		geographic;
	double	   *rb,
			   *ra;

	read_landcover(fcinfo, 1, "before", band, func, &before);
	read_landcover(fcinfo, 2, "after", band, func, &after);
	if (before.empty != after.empty)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: before and after are not aligned: extent differs", func),
				 errdetail("One of them has no pixels.")));
	if (before.empty)
	{
		MemoryContextSwitchTo(old);
		MemoryContextDelete(work);
		return s;
	}
	cb_raster_check_aligned(&before, &after, func, "before", "after", true);
	cb_region_check_srid(fcinfo, 3, &before, shape, func, "before");
	geographic = cb_region_geographic(fcinfo, 3, &before, func);
	cb_tile_window(fcinfo, &before, shape, exact, func, &win);
	if (before.bands[band].pixtype == CB_PT_8BUI && after.bands[band].pixtype == CB_PT_8BUI &&
		!before.bands[band].all_nodata && !after.bands[band].all_nodata)
	{
		s = add_pairs_8bui(mcxt, s, &before, &after, band, &win, geographic);
		MemoryContextSwitchTo(old);
		MemoryContextDelete(work);
		return s;
	}
	rb = palloc(sizeof(double) * Max(win.width, 1));
	ra = palloc(sizeof(double) * Max(win.width, 1));
	for (int wr = 0; wr < win.height; wr++)
	{
		const double *cover = cb_window_row(&win, wr);
		int			row = win.r0 + wr;
		double		pa = cb_row_pixel_area(&before.geo, geographic, row);

		cb_band_row(&before, band, row, win.c0, win.width, func, "before", rb);
		cb_band_row(&after, band, row, win.c0, win.width, func, "after", ra);
		for (int wc = 0; wc < win.width; wc++)
		{
			int32		from,
						to;

			if (cover[wc] == 0)
				continue;
			if (isnan(rb[wc]) || isnan(ra[wc]))
			{
				s->nodata_m2 += cover[wc] * pa;
				continue;
			}
			from = pixel_code(rb[wc], func, "before", win.c0 + wc, row);
			to = pixel_code(ra[wc], func, "after", win.c0 + wc, row);
			if (Max(from, to) >= s->ncodes)
				s = state_grow(mcxt, s, Min(TYPEALIGN(16, Max(from, to) + 1), MAX_CODE + 1));
			s->area_m2[(Size) from * s->ncodes + to] += cover[wc] * pa;
		}
		/* a tile of 65535 x 65535 pixels must stay cancellable */
		CHECK_FOR_INTERRUPTS();
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
	return s;
}

PG_FUNCTION_INFO_V1(cb_landuse_transition_step);
Datum
cb_landuse_transition_step(PG_FUNCTION_ARGS)
{
	const char *func = "landuse_transition";
	const char *text = cb_options_arg(fcinfo, 4);
	MemoryContext aggcxt;
	CbOptions	opts;
	TransitionState *s;

	cb_require_aggregate(fcinfo, func, &aggcxt);
	parse_transition_options(&opts, func, text);
	if (PG_ARGISNULL(0))
		s = state_alloc(aggcxt, 16, text);
	else
	{
		s = state_check(PG_GETARG_BYTEA_P(0));
		cb_zonal_options_same(func, s->options, text);
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(s);	/* NULL tiles or regions are skipped */
	cb_region_progress(fcinfo, func);
	PG_RETURN_POINTER(accumulate_pair(fcinfo, aggcxt, s, &opts, func));
}

PG_FUNCTION_INFO_V1(cb_landuse_transition_combine);
Datum
cb_landuse_transition_combine(PG_FUNCTION_ARGS)
{
	const char *func = "landuse_transition";
	MemoryContext aggcxt;
	TransitionState *a,
			   *b,
			   *out;

	cb_require_aggregate(fcinfo, func, &aggcxt);
	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
	{
		b = state_check(PG_GETARG_BYTEA_P(PG_ARGISNULL(0) ? 1 : 0));
		out = state_alloc(aggcxt, b->ncodes, b->options);
		memcpy(out, b, VARSIZE(b));
		PG_RETURN_POINTER(out);
	}
	a = state_check(PG_GETARG_BYTEA_P(0));
	b = state_check(PG_GETARG_BYTEA_P(1));
	cb_zonal_options_same(func, a->options, b->options);
	out = state_grow(aggcxt, a, Max(a->ncodes, b->ncodes));
	if (out == a)
	{
		out = state_alloc(aggcxt, a->ncodes, a->options);
		memcpy(out, a, VARSIZE(a));
	}
	out->nodata_m2 += b->nodata_m2;
	for (int32 i = 0; i < b->ncodes; i++)
		for (int32 j = 0; j < b->ncodes; j++)
			out->area_m2[(Size) i * out->ncodes + j] += b->area_m2[(Size) i * b->ncodes + j];
	PG_RETURN_POINTER(out);
}

/* Result: the codes present in either year, the matrix over them (hm^2), totals. */
static Datum
transition_result(FunctionCallInfo fcinfo, const TransitionState *s)
{
	int32	   *present = palloc(sizeof(int32) * Max(s->ncodes, 1));
	int			n = 0;
	Datum	   *cls,
			   *cells;
	double		total = 0,
				changed = 0;
	int			dims[2],
				lbs[2] = {1, 1};
	Datum		values[5];
	bool		nulls[5] = {0};

	for (int32 i = 0; i < s->ncodes; i++)
	{
		bool		any = false;

		for (int32 j = 0; j < s->ncodes && !any; j++)
			any = s->area_m2[(Size) i * s->ncodes + j] > 0 || s->area_m2[(Size) j * s->ncodes + i] > 0;
		if (any)
			present[n++] = i;
	}
	cls = palloc(sizeof(Datum) * Max(n, 1));
	cells = palloc(sizeof(Datum) * Max(n * n, 1));
	for (int i = 0; i < n; i++)
	{
		cls[i] = Int32GetDatum(present[i]);
		for (int j = 0; j < n; j++)
		{
			double		a = s->area_m2[(Size) present[i] * s->ncodes + present[j]] / 1e4;

			cells[i * n + j] = Float8GetDatum(a);
			total += a;
			if (i != j)
				changed += a;
		}
	}
	dims[0] = dims[1] = n;
	values[0] = PointerGetDatum(construct_array(cls, n, INT4OID, 4, true, TYPALIGN_INT));
	values[1] = PointerGetDatum(construct_md_array(cells, NULL, n > 0 ? 2 : 0, dims, lbs, FLOAT8OID, 8,
												   FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	values[2] = Float8GetDatum(cb_finite_result(total, "landuse_transition"));
	values[3] = Float8GetDatum(cb_finite_result(changed, "landuse_transition"));
	values[4] = Float8GetDatum(s->nodata_m2 / 1e4);
	return cb_form_result(fcinfo, values, nulls);
}

PG_FUNCTION_INFO_V1(cb_landuse_transition_final);
Datum
cb_landuse_transition_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	return transition_result(fcinfo, state_check(PG_GETARG_BYTEA_P(0)));
}
