/*
 * budget.c
 *    Zonal land-use carbon budget over PostGIS land-cover tiles and a region
 *    polygon (paper 002 eq.1, SPEC section 7): carbon_budget(raster, geometry)
 *    and the carbon_budget_agg aggregate, plus the downscaling of a region
 *    total onto a weight raster (paper 004 eq.1).
 *
 * Overlap rule: coverage=centre counts a pixel when its centre lies inside
 * the region (as ST_Clip and GDAL rasterize); coverage=exact weights each
 * pixel by the fraction of its area inside the region (as exactextract).
 * Pixel area: |scale_x * scale_y - skew_x * skew_y| in the SRID's units
 * (metres assumed) for projected SRIDs; the ellipsoidal (WGS 84) area of
 * the pixel's lon/lat quadrangle for geographic SRIDs.
 */
#include "carbonbudget.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "access/xact.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "accounting.h"
#include "geom.h"
#include "options.h"
#include "raster_io.h"
#include "region.h"

#define MAX_CODE 65535
#define STATE_MAGIC 0x43424231	/* "CBB1" */
#define OPTIONS_LEN CB_ZONAL_OPTIONS_LEN

static const char *const budget_keys[] = {"scheme", "zone", "landcover", "coverage", "band", NULL};
static const char *const downscale_keys[] = {"coverage", "band", "pixeltype", "nodata", NULL};

/*
 * Coefficients looked up once per query and options text: the class of each
 * land-cover code and, lazily, the coefficient of each class (a class is
 * looked up only when present, so a missing zone is an error only where
 * construction land occurs).
 */
typedef struct BudgetLookup
{
	char		key[OPTIONS_LEN];	/* options text the lookup belongs to */
	int32		ncodes;
	int		   *map;			/* class index per code, -1 when unmapped */
	bool		known[9];		/* counted and coefficient looked up */
	bool		counted[9];		/* the scheme has a coefficient for the class */
	double		coefficient[9];	/* t C/hm2/yr per class */
} BudgetLookup;

/* The per-query lookup, kept beside the region cache in fn_extra. */
static BudgetLookup *
budget_lookup(FunctionCallInfo fcinfo)
{
	CbRegionCache *cache = cb_region_cache(fcinfo);

	if (cache->extra == NULL)
		cache->extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(BudgetLookup));
	return (BudgetLookup *) cache->extra;
}

static int
band_option(const CbOptions *opts)
{
	return (int) cb_opt_int(opts, "band", 1, 1, 65535) - 1;
}

/* ---- budget state: m^2 per land-cover code, kept as bytea so it combines in parallel ---- */

typedef struct BudgetState
{
	int32		vl_len_;
	int32		magic;
	int32		ncodes;			/* area[] holds codes 0 .. ncodes - 1 */
	int32		rows;			/* tiles accumulated */
	char		options[OPTIONS_LEN];	/* options text of the first row, for the final function */
	double		nodata_m2;		/* region area over nodata pixels */
	double		area_m2[FLEXIBLE_ARRAY_MEMBER];
} BudgetState;

static BudgetState *
state_alloc(MemoryContext mcxt, int32 ncodes, const char *options)
{
	Size		size = offsetof(BudgetState, area_m2) + sizeof(double) * ncodes;
	BudgetState *s = MemoryContextAllocZero(mcxt, size);

	SET_VARSIZE(s, size);
	s->magic = STATE_MAGIC;
	s->ncodes = ncodes;
	strlcpy(s->options, options, OPTIONS_LEN);
	return s;
}

static BudgetState *
state_grow(MemoryContext mcxt, BudgetState *s, int32 ncodes)
{
	BudgetState *n;

	if (ncodes <= s->ncodes)
		return s;
	n = state_alloc(mcxt, ncodes, s->options);
	n->rows = s->rows;
	n->nodata_m2 = s->nodata_m2;
	memcpy(n->area_m2, s->area_m2, sizeof(double) * s->ncodes);
	return n;
}

/*
 * A state handed in by SQL (support functions can be called directly):
 * magic, size, a terminated options text and non-negative finite areas
 * are checked before use.
 */
static BudgetState *
state_check(bytea *b)
{
	const char *func = "carbon_budget_agg";
	BudgetState *s = (BudgetState *) b;

	if (VARSIZE(b) < offsetof(BudgetState, area_m2) || s->magic != STATE_MAGIC)
		cb_state_invalid(func, "The state has no carbon_budget_agg header.");
	if (s->ncodes < 0 || s->ncodes > MAX_CODE + 1 || s->rows < 0 ||
		VARSIZE(b) != offsetof(BudgetState, area_m2) + sizeof(double) * (size_t) s->ncodes)
		cb_state_invalid(func, "The size of the state does not match its code count.");
	if (memchr(s->options, '\0', OPTIONS_LEN) == NULL)
		cb_state_invalid(func, "The options text of the state is not terminated.");
	if (!(isfinite(s->nodata_m2) && s->nodata_m2 >= 0))
		cb_state_invalid(func, "The nodata area of the state is not a non-negative number.");
	for (int32 k = 0; k < s->ncodes; k++)
		if (!(isfinite(s->area_m2[k]) && s->area_m2[k] >= 0))
			cb_state_invalid(func, psprintf("The area of code %d in the state is not a non-negative number.", k));
	return s;
}

/* Generic path: any pixel type, geographic pixel areas; codes checked per pixel. */
static BudgetState *
add_window_generic(MemoryContext mcxt, BudgetState *s, const CbRaster *r, const CbBand *b,
				   const CbTileWindow *win, bool geographic, const char *func)
{
	for (int wr = 0; wr < win->height; wr++)
	{
		int			row = win->r0 + wr;
		double		pa = cb_row_pixel_area(&r->geo, geographic, row);

		for (int wc = 0; wc < win->width; wc++)
		{
			double		f = cb_window_row(win, wr)[wc];
			double		raw;

			if (f == 0)
				continue;
			raw = cb_band_raw(b, (int64) row * r->geo.width + win->c0 + wc);
			if (cb_band_is_nodata(b, raw))
			{
				s->nodata_m2 += f * pa;
				continue;
			}
			if (!(raw >= 0 && raw <= MAX_CODE && raw == floor(raw)))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: landuse codes must be integers from 0 to %d", func, MAX_CODE),
						 errdetail("Column %d, row %d holds %g.", win->c0 + wc + 1, row + 1, raw),
						 errhint("Set the band's nodata value or reclassify with ST_Reclass.")));
			if ((int32) raw >= s->ncodes)
				s = state_grow(mcxt, s, Max((int32) raw + 1, 16));
			s->area_m2[(int32) raw] += f * pa;
		}
		CHECK_FOR_INTERRUPTS();
	}
	return s;
}

/*
 * Fast path for the usual land-cover band (8BUI) in a projected SRID: every
 * code is valid and all pixels have the same area, so coverage is summed
 * per code over the window and multiplied by the pixel area once.
 */
static BudgetState *
add_window_8bui(MemoryContext mcxt, BudgetState *s, const CbRaster *r, const CbBand *b,
				const CbTileWindow *win)
{
	double		sums[256] = {0};
	double		nodata_sum = 0;
	int			nodata = b->has_nodata ? (int) b->nodata : -1;
	double		pa = cb_row_pixel_area(&r->geo, false, 0);

	for (int wr = 0; wr < win->height; wr++)
	{
		const uint8 *px = b->data + (int64) (win->r0 + wr) * r->geo.width + win->c0;
		const double *cover = cb_window_row(win, wr);

		for (int wc = 0; wc < win->width; wc++)
		{
			if (cover[wc] == 0)
				continue;
			if (px[wc] == nodata)
				nodata_sum += cover[wc];
			else
				sums[px[wc]] += cover[wc];
		}
		CHECK_FOR_INTERRUPTS();
	}
	s = state_grow(mcxt, s, 256);
	for (int k = 0; k < 256; k++)
		s->area_m2[k] += sums[k] * pa;
	s->nodata_m2 += nodata_sum * pa;
	return s;
}

/* Adds one tile's areas per code inside the region to the state (which may be reallocated). */
static BudgetState *
accumulate_tile(FunctionCallInfo fcinfo, int rast_arg, int geom_arg, MemoryContext mcxt, BudgetState *s,
				const CbOptions *opts, const char *func)
{
	CbRaster	r;
	const CbShape *shape;
	CbTileWindow win;
	bool		exact = cb_opt_choice(opts, "coverage", cb_coverage_rules, 0) == 1;
	int			band = band_option(opts);
	bool		geographic;
	const CbBand *b;
	MemoryContext work = cb_work_context("carbon_budget tile"),
				old = MemoryContextSwitchTo(work);

	cb_raster_read(PG_GETARG_DATUM(rast_arg), func, "landuse", &r);
	shape = cb_region_read(fcinfo, geom_arg, func, false);
	if (!r.empty)
	{
		cb_raster_need_band(&r, band, func, "landuse");
		cb_region_check_srid(fcinfo, geom_arg, &r, shape, func, "landuse");
		geographic = cb_region_geographic(fcinfo, geom_arg, &r, func);
		b = &r.bands[band];
		if (cb_pixtype_is_float(b->pixtype))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: landuse must be a land-cover raster of integer codes, but band %d has pixel type %s",
							func, band + 1, cb_pixtype_name(b->pixtype)),
					 errhint("Reclassify it to codes with ST_Reclass(rast, 1, '...', '8BUI'), or pass the land-cover band with option band=.")));
		cb_tile_window(fcinfo, &r, shape, exact, func, &win);
		MemoryContextSwitchTo(old);
		if (b->pixtype == CB_PT_8BUI && !b->all_nodata && !geographic)
			s = add_window_8bui(mcxt, s, &r, b, &win);
		else
			s = add_window_generic(mcxt, s, &r, b, &win, geographic, func);
		MemoryContextSwitchTo(work);
	}
	s->rows++;
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
	return s;
}

static void
parse_budget_options(CbOptions *opts, const char *func, const char *text)
{
	cb_zonal_options(opts, func, text, budget_keys);
	(void) cb_opt_choice(opts, "coverage", cb_coverage_rules, 0);
	(void) band_option(opts);
}

PG_FUNCTION_INFO_V1(cb_carbon_budget_step);
Datum
cb_carbon_budget_step(PG_FUNCTION_ARGS)
{
	const char *func = "carbon_budget_agg";
	MemoryContext aggcxt;
	BudgetState *s;
	const char *text = cb_options_arg(fcinfo, 3);
	CbOptions	opts;

	cb_require_aggregate(fcinfo, func, &aggcxt);
	parse_budget_options(&opts, func, text);
	if (PG_ARGISNULL(0))
		s = state_alloc(aggcxt, 16, text);
	else
	{
		s = state_check(PG_GETARG_BYTEA_P(0));
		cb_zonal_options_same(func, s->options, text);
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(s);	/* NULL tiles or regions are skipped */
	cb_region_progress(fcinfo, func);
	PG_RETURN_POINTER(accumulate_tile(fcinfo, 1, 2, aggcxt, s, &opts, func));
}

PG_FUNCTION_INFO_V1(cb_carbon_budget_combine);
Datum
cb_carbon_budget_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	BudgetState *a,
			   *b,
			   *out;

	cb_require_aggregate(fcinfo, "carbon_budget_agg", &aggcxt);
	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(PG_GETARG_BYTEA_P(0));
	b = state_check(PG_GETARG_BYTEA_P(1));
	if (PG_ARGISNULL(0))
	{
		out = state_alloc(aggcxt, b->ncodes, b->options);
		memcpy(out, b, VARSIZE(b));
		PG_RETURN_POINTER(out);
	}
	a = state_check(PG_GETARG_BYTEA_P(0));
	cb_zonal_options_same("carbon_budget_agg", a->options, b->options);
	out = state_alloc(aggcxt, Max(a->ncodes, b->ncodes), a->options);
	out->rows = a->rows + b->rows;
	out->nodata_m2 = a->nodata_m2 + b->nodata_m2;
	for (int32 k = 0; k < a->ncodes; k++)
		out->area_m2[k] += a->area_m2[k];
	for (int32 k = 0; k < b->ncodes; k++)
		out->area_m2[k] += b->area_m2[k];
	PG_RETURN_POINTER(out);
}

/* ---- final: codes -> land classes -> coefficients (tables read through SPI) ---- */

static const char *const land_classes[] = {
	"cropland", "forest", "shrubland", "grassland", "water", "wetland", "construction", "unused", "snow_ice"
};
#define N_CLASSES 9

static int
class_index(const char *name)
{
	for (int k = 0; k < N_CLASSES; k++)
		if (strcmp(name, land_classes[k]) == 0)
			return k;
	elog(ERROR, "land class \"%s\" outside the vocabulary, please report a bug", name);
	return -1;
}

/* class index per code (-1: no row in landcover_code) */
static int *
landcover_map(const char *scheme, int32 ncodes, const char *func, MemoryContext mcxt)
{
	int		   *map = MemoryContextAlloc(mcxt, sizeof(int) * Max(ncodes, 1));
	Oid			types[1] = {TEXTOID};
	Datum		args[1] = {CStringGetTextDatum(scheme)};

	for (int32 k = 0; k < ncodes; k++)
		map[k] = -1;
	/* qualified throughout: the query runs with the caller's search_path */
	if (SPI_execute_with_args("SELECT code, land_class FROM carbonbudget.landcover_code"
							  " WHERE scheme OPERATOR(pg_catalog.=) pg_catalog.lower($1)",
							  1, types, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read landcover_code");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: unknown landcover scheme \"%s\"", func, scheme),
				 errhint("Use a scheme of table landcover_code (shipped: clcd).")));
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		int32		code = DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull));
		char	   *cls = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);

		if (code >= 0 && code < ncodes)
			map[code] = class_index(cls);
	}
	return map;
}

static double
class_coefficient(const char *func, const char *cls, const char *zone, const char *scheme)
{
	Oid			types[4] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID};
	Datum		args[4] = {CStringGetTextDatum(func), CStringGetTextDatum(cls),
	zone ? CStringGetTextDatum(zone) : (Datum) 0, CStringGetTextDatum(scheme)};
	char		nulls[4] = {' ', ' ', zone ? ' ' : 'n', ' '};
	bool		isnull;

	if (SPI_execute_with_args("SELECT carbonbudget._landuse_coefficient($1, $2, $3, $4)", 4, types, args,
							  nulls, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not read landuse_coefficient");
	return DatumGetFloat8(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

/*
 * An uncounted class is named in one NOTICE per statement, not once per
 * region or per column of (carbon_budget(...)).*, which evaluates the
 * function once for each field.
 */
static bool
already_reported(int c)
{
	static TimestampTz statement = 0;
	static bool reported[N_CLASSES];
	bool		was;

	if (GetCurrentStatementStartTimestamp() != statement)
	{
		statement = GetCurrentStatementStartTimestamp();
		memset(reported, 0, sizeof(reported));
	}
	was = reported[c];
	reported[c] = true;
	return was;
}

/* Whether the scheme has a coefficient row for the class (in any zone). */
static bool
class_counted(const char *cls, const char *scheme)
{
	Oid			types[2] = {TEXTOID, TEXTOID};
	Datum		args[2] = {CStringGetTextDatum(scheme), CStringGetTextDatum(cls)};
	bool		isnull;

	if (SPI_execute_with_args("SELECT EXISTS (SELECT FROM carbonbudget.landuse_coefficient l"
							  " WHERE l.scheme OPERATOR(pg_catalog.=) pg_catalog.lower(pg_catalog.btrim($1))"
							  " AND l.land_class OPERATOR(pg_catalog.=) $2)",
							  2, types, args, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not read landuse_coefficient");
	return DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

static Datum
budget_result(FunctionCallInfo fcinfo, const BudgetState *s, const char *func)
{
	CbOptions	opts;
	const char *scheme,
			   *zone,
			   *landcover;
	double		class_m2[N_CLASSES] = {0};
	double		unclassified_m2 = 0,
				emission = 0,
				sequestration = 0;
	Datum		cls_d[N_CLASSES],
				area_d[N_CLASSES],
				budget_d[N_CLASSES];
	int			n = 0;
	int		   *map;
	BudgetLookup *lookup;
	StringInfoData uncounted;
	Datum		values[8];
	bool		nulls[8] = {0};

	cb_options_parse(&opts, func, s->options, budget_keys);
	scheme = cb_opt_present(&opts, "scheme") ? cb_opt_text(&opts, "scheme") : "liu";
	zone = cb_opt_present(&opts, "zone") ? cb_opt_text(&opts, "zone") : NULL;
	landcover = cb_opt_present(&opts, "landcover") ? cb_opt_text(&opts, "landcover") : "clcd";

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	lookup = budget_lookup(fcinfo);
	if (lookup->map == NULL || strcmp(lookup->key, s->options) != 0 || lookup->ncodes < s->ncodes)
	{
		if (lookup->map)
			pfree(lookup->map);
		memset(lookup, 0, sizeof(BudgetLookup));
		strlcpy(lookup->key, s->options, OPTIONS_LEN);
		(void) class_coefficient(func, "cropland", zone, scheme);	/* validates scheme and zone */
		lookup->ncodes = Max(s->ncodes, 256);
		lookup->map = landcover_map(landcover, lookup->ncodes, func, fcinfo->flinfo->fn_mcxt);
	}
	map = lookup->map;
	for (int32 k = 0; k < s->ncodes; k++)
	{
		if (s->area_m2[k] == 0)
			continue;
		if (map[k] < 0)
			unclassified_m2 += s->area_m2[k];
		else
			class_m2[map[k]] += s->area_m2[k];
	}
	initStringInfo(&uncounted);
	for (int c = 0; c < N_CLASSES; c++)
	{
		double		area_hm2 = class_m2[c] / 1e4;
		double		budget;

		if (class_m2[c] == 0)
			continue;
		if (!lookup->known[c])
		{
			lookup->counted[c] = class_counted(land_classes[c], scheme);
			lookup->coefficient[c] = lookup->counted[c] ?
				class_coefficient(func, land_classes[c], zone, scheme) : 0;
			lookup->known[c] = true;
		}
		if (!lookup->counted[c])
		{
			/* a class the scheme has no coefficient for is not a zero budget: it is unclassified */
			unclassified_m2 += class_m2[c];
			if (!already_reported(c))
				appendStringInfo(&uncounted, "%s%s (%.6g hm2)", uncounted.len ? ", " : "",
								 land_classes[c], area_hm2);
			continue;
		}
		budget = area_hm2 * lookup->coefficient[c];
		if (budget > 0)
			emission += budget;
		else
			sequestration -= budget;
		cls_d[n] = CStringGetTextDatum(land_classes[c]);
		area_d[n] = Float8GetDatum(area_hm2);
		budget_d[n] = Float8GetDatum(budget);
		n++;
	}
	if (uncounted.len > 0)
		ereport(NOTICE,
				(errmsg("%s: scheme %s has no coefficient for %s; counted in unclassified_hm2",
						func, scheme, uncounted.data),
				 errhint("Merge the classes with a landcover scheme that maps them to classes the scheme counts (shipped: landcover=clcd_liu, the six classes of paper 002 for scheme liu), or add their coefficients under a scheme of your own.")));
	SPI_finish();

	values[0] = PointerGetDatum(construct_array(cls_d, n, TEXTOID, -1, false, TYPALIGN_INT));
	values[1] = PointerGetDatum(construct_array(area_d, n, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	values[2] = PointerGetDatum(construct_array(budget_d, n, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	values[3] = Float8GetDatum(emission);
	values[4] = Float8GetDatum(sequestration);
	values[5] = Float8GetDatum(emission - sequestration);
	values[6] = Float8GetDatum(unclassified_m2 / 1e4);
	values[7] = Float8GetDatum(s->nodata_m2 / 1e4);
	return cb_form_result(fcinfo, values, nulls);
}

PG_FUNCTION_INFO_V1(cb_carbon_budget_final);
Datum
cb_carbon_budget_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	return budget_result(fcinfo, state_check(PG_GETARG_BYTEA_P(0)), "carbon_budget_agg");
}

PG_FUNCTION_INFO_V1(cb_carbon_budget_raster);
Datum
cb_carbon_budget_raster(PG_FUNCTION_ARGS)
{
	const char *func = "carbon_budget";
	const char *text = cb_options_arg(fcinfo, 2);
	CbOptions	opts;
	BudgetState *s;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	cb_region_progress(fcinfo, func);
	parse_budget_options(&opts, func, text);
	s = state_alloc(CurrentMemoryContext, 16, text);
	s = accumulate_tile(fcinfo, 0, 1, CurrentMemoryContext, s, &opts, func);
	return budget_result(fcinfo, s, func);
}

/* ---- downscaling (paper 004 eq.1): C_r = DN_r / DN_c * C_c ---- */

/* Weight of each pixel inside the region: weight value x coverage; NaN where nodata or outside. */
static double *
region_weights(FunctionCallInfo fcinfo, const char *func, const CbOptions *opts, CbRaster *r)
{
	const CbShape *shape;
	CbTileWindow win;
	bool		exact = cb_opt_choice(opts, "coverage", cb_coverage_rules, 0) == 1;
	int			band = band_option(opts);
	double	   *w;

	cb_raster_read(PG_GETARG_DATUM(0), func, "weight", r);
	shape = cb_region_read(fcinfo, 1, func, false);
	if (r->empty)
		return NULL;
	cb_raster_need_band(r, band, func, "weight");
	cb_region_check_srid(fcinfo, 1, r, shape, func, "weight");
	w = palloc_extended(sizeof(double) * r->npixels, MCXT_ALLOC_HUGE);
	cb_band_values(r, band, func, "weight", w);
	cb_tile_window(fcinfo, r, shape, exact, func, &win);
	for (int64 i = 0; i < r->npixels; i++)
	{
		int			row = (int) (i / r->geo.width) - win.r0,
					col = (int) (i % r->geo.width) - win.c0;
		double		f = (row >= 0 && row < win.height && col >= 0 && col < win.width) ?
			cb_window_row(&win, row)[col] : 0;

		if (isnan(w[i]))
			continue;
		if (w[i] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: weight must be non-negative", func),
					 errdetail("Column %d, row %d holds %g.", col + win.c0 + 1, row + win.r0 + 1, w[i])));
		w[i] = (f > 0) ? w[i] * f : NAN;
	}
	return w;
}

PG_FUNCTION_INFO_V1(cb_downscale_weight);
Datum
cb_downscale_weight(PG_FUNCTION_ARGS)
{
	const char *func = "downscale_weight";
	CbOptions	opts;
	CbRaster	r;
	double	   *w;
	double		sum = 0;

	cb_options_parse(&opts, func, cb_options_arg(fcinfo, 2), downscale_keys);
	w = region_weights(fcinfo, func, &opts, &r);
	for (int64 i = 0; w && i < r.npixels; i++)
		if (!isnan(w[i]))
			sum += w[i];
	PG_RETURN_FLOAT8(cb_finite_result(sum, func));
}

PG_FUNCTION_INFO_V1(cb_downscale_raster);
Datum
cb_downscale_raster(PG_FUNCTION_ARGS)
{
	const char *func = "downscale_raster";
	CbOptions	opts;
	CbRaster	r;
	CbBandSpec	spec;
	double		total = PG_GETARG_FLOAT8(2);
	double		weight_sum = PG_GETARG_FLOAT8(3);
	double	   *w;
	static const char *const types[] = {"64bf", "32bf", NULL};

	cb_check_finite_arg(total, func, "total");
	cb_check_finite_arg(weight_sum, func, "weight_sum");
	if (!(weight_sum > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: weight_sum must be positive", func),
				 errdetail("weight_sum = %g.", weight_sum),
				 errhint("Compute it with sum(downscale_weight(weight, region)) over all tiles of the region; zero means the weight raster is empty there.")));
	cb_options_parse(&opts, func, cb_options_arg(fcinfo, 4), downscale_keys);
	spec.pixtype = cb_opt_choice(&opts, "pixeltype", types, 0) == 0 ? CB_PT_64BF : CB_PT_32BF;
	spec.has_nodata = true;
	spec.nodata = cb_opt_float(&opts, "nodata", -9999, -1e300, 1e300, false);
	w = region_weights(fcinfo, func, &opts, &r);
	if (w == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: weight must have at least one pixel", func)));
	for (int64 i = 0; i < r.npixels; i++)
		w[i] = w[i] / weight_sum * total;	/* NaN (outside, nodata) stays nodata */
	PG_RETURN_POINTER(cb_raster_write(&r.geo, 1, &spec, &w, func));
}
