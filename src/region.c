/*
 * region.c
 *    Region polygons over raster tiles; see region.h.
 */
#include "carbonbudget.h"

#include "utils/builtins.h"

#include "accounting.h"
#include "region.h"

const char *const cb_coverage_rules[] = {"centre", "exact", NULL};

CbRegionCache *
cb_region_cache(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CbRegionCache));
	return (CbRegionCache *) fcinfo->flinfo->fn_extra;
}

void
cb_region_progress(FunctionCallInfo fcinfo, const char *routine)
{
	CbRegionCache *cache = cb_region_cache(fcinfo);

	if (cache->tiles_seen == 0)
		cb_progress_start(routine);
	cache->tiles_seen++;
	cb_progress("tiles", cache->tiles_seen, 0);
}

static CbGeomReader *
region_reader(FunctionCallInfo fcinfo, int argno, const char *func)
{
	CbRegionCache *cache = cb_region_cache(fcinfo);

	if (cache->reader == NULL)
	{
		CbGeomReader *reader = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CbGeomReader));

		cb_geom_reader_init(reader, cb_arg_type(fcinfo, argno), func, fcinfo->flinfo->fn_mcxt);
		cache->reader = reader;
	}
	return cache->reader;
}

static void
check_region(const CbShape *shape, const char *func, bool check_valid)
{
	const char *problem;

	if (shape->empty)
		return;
	if (!shape->polygonal)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: region must be a polygon or multipolygon", func),
				 errdetail("It is a %s.", cb_geom_type_name(shape->type))));
	if (!check_valid)
		return;
	problem = cb_shape_structure_problem(shape);
	if (problem == NULL)
		problem = cb_shape_validity_problem(shape);
	if (problem)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: region is not a valid polygon", func),
				 errdetail("%s.", problem),
				 errhint("Repair it with ST_MakeValid(region).")));
}

const CbShape *
cb_region_read(FunctionCallInfo fcinfo, int argno, const char *func, bool check_valid)
{
	CbRegionCache *cache = cb_region_cache(fcinfo);
	CbGeomReader *reader = region_reader(fcinfo, argno, func);
	struct varlena *raw = PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
	MemoryContext old;

	/* the tiles of one region come in a row: parse and check its polygon once */
	if (cache->raw && VARSIZE(cache->raw) == VARSIZE(raw) &&
		memcmp(cache->raw, raw, VARSIZE(raw)) == 0 && (cache->checked || !check_valid))
		return &cache->shape;
	if (cache->region_cxt == NULL)
		cache->region_cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "carbonbudget region",
												  ALLOCSET_DEFAULT_SIZES);
	MemoryContextReset(cache->region_cxt);
	cache->raw = NULL;
	cache->checked = false;
	old = MemoryContextSwitchTo(cache->region_cxt);
	cb_geom_read(reader, PointerGetDatum(raw), &cache->shape);
	MemoryContextSwitchTo(old);
	check_region(&cache->shape, func, check_valid);
	/* cached only once checked: an error leaves no half-checked region behind */
	cache->raw = MemoryContextAlloc(cache->region_cxt, VARSIZE(raw));
	memcpy(cache->raw, raw, VARSIZE(raw));
	cache->checked = check_valid;
	return &cache->shape;
}

void
cb_region_check_srid(FunctionCallInfo fcinfo, int geom_argno, const CbRaster *r,
					 const CbShape *shape, const char *func, const char *arg)
{
	CbGeomReader *reader;

	if (r->geo.srid <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s has no SRID", func, arg),
				 errdetail("Pixel areas need a georeferenced raster."),
				 errhint("Set it with ST_SetSRID(%s, srid).", arg)));
	if (shape->srid == r->geo.srid)
		return;
	reader = region_reader(fcinfo, geom_argno, func);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: region and %s have different SRIDs", func, arg),
			 errdetail("Region SRID %d (%s), raster SRID %d (%s).", shape->srid,
					   shape->srid <= 0 ? "unknown" :
					   cb_srid_is_geographic(reader, shape->srid) ? "lon/lat" : "projected",
					   r->geo.srid, cb_srid_is_geographic(reader, r->geo.srid) ? "lon/lat" : "projected"),
			 errhint("Transform the region with ST_Transform(region, %d).", r->geo.srid)));
}

bool
cb_region_geographic(FunctionCallInfo fcinfo, int geom_argno, const CbRaster *r, const char *func)
{
	bool		geographic = cb_srid_is_geographic(region_reader(fcinfo, geom_argno, func), r->geo.srid);

	if (geographic && (r->geo.skew_x != 0 || r->geo.skew_y != 0))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s: skewed rasters in a geographic SRID are not supported", func),
				 errhint("Remove the skew with ST_Rescale or ST_Transform to a projected SRID.")));
	return geographic;
}

/* The cache's coverage and work arrays, grown to npix pixels. */
static void
cover_buffers(CbRegionCache *cache, MemoryContext mcxt, int64 npix)
{
	if (npix <= cache->cover_pixels)
		return;
	if (cache->cover)
	{
		pfree(cache->cover);
		pfree(cache->work);
		cache->cover = cache->work = NULL;
		cache->cover_pixels = 0;
	}
	cache->cover = MemoryContextAllocExtended(mcxt, sizeof(double) * npix, MCXT_ALLOC_HUGE);
	cache->work = MemoryContextAllocExtended(mcxt, sizeof(double) * npix, MCXT_ALLOC_HUGE);
	cache->cover_pixels = npix;
}

void
cb_tile_window(FunctionCallInfo fcinfo, const CbRaster *r, const CbShape *shape, bool exact, const char *func,
			   CbTileWindow *win)
{
	CbRegionCache *cache = cb_region_cache(fcinfo);

	double	   *uv;
	double		umin = INFINITY,
				umax = -INFINITY,
				vmin = INFINITY,
				vmax = -INFINITY;
	int32	   *ring_start;
	int		   *ring_sign;

	memset(win, 0, sizeof(*win));
	if (shape->empty || r->empty)
		return;
	uv = palloc(sizeof(double) * 2 * Max(shape->npoints, 1));
	for (int32 i = 0; i < shape->npoints; i++)
	{
		double	   *p = uv + 2 * i;

		if (!cb_raster_to_pixel(&r->geo, shape->xy[2 * i], shape->xy[2 * i + 1], &p[0], &p[1]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: the raster's georeference is singular (zero scale)", func)));
		umin = fmin(umin, p[0]);
		umax = fmax(umax, p[0]);
		vmin = fmin(vmin, p[1]);
		vmax = fmax(vmax, p[1]);
	}
	/* a region far outside the tile: nothing to cover (and no integer overflow below) */
	if (!(umax > 0 && vmax > 0 && umin < r->geo.width && vmin < r->geo.height))
		return;
	win->c0 = (int) Max(floor(umin), 0);
	win->r0 = (int) Max(floor(vmin), 0);
	win->width = (int) Min(ceil(umax), r->geo.width) - win->c0;
	win->height = (int) Min(ceil(vmax), r->geo.height) - win->r0;
	if (win->width <= 0 || win->height <= 0)
	{
		win->width = win->height = 0;
		return;
	}
	for (int32 i = 0; i < shape->npoints; i++)
	{
		uv[2 * i] -= win->c0;
		uv[2 * i + 1] -= win->r0;
	}
	ring_start = palloc(sizeof(int32) * (shape->nparts + 1));
	ring_sign = palloc(sizeof(int) * Max(shape->nparts, 1));
	for (int k = 0; k <= shape->nparts; k++)
		ring_start[k] = shape->part_start[k];
	for (int k = 0; k < shape->nparts; k++)
		ring_sign[k] = shape->part_kind[k] == CB_PART_HOLE ? -1 : 1;
	switch (cb_polygon_uniform_coverage(shape->nparts, ring_start, ring_sign, uv, win->width, win->height))
	{
		case 0:
			/* no edge enters the window and its centre is outside: nothing covered */
			win->width = win->height = 0;
			break;
		case 1:
			/* wholly inside: one row of ones stands for every row */
			win->inside = true;
			win->cover = palloc(sizeof(double) * win->width);
			for (int c = 0; c < win->width; c++)
				win->cover[c] = 1;
			break;
		default:
			/* kept across tiles: a fresh half-megabyte array per tile costs page faults */
			cover_buffers(cache, fcinfo->flinfo->fn_mcxt, (int64) win->width * win->height);
			win->cover = cache->cover;
			cb_polygon_coverage(shape->nparts, ring_start, ring_sign, uv, win->width, win->height, exact,
								win->cover, cache->work);
	}
}

double
cb_row_pixel_area(const CbRasterGeo *g, bool geographic, int row)
{
	if (!geographic)
		return fabs(g->scale_x * g->scale_y - g->skew_x * g->skew_y);
	return cb_geodesic_quad_area(fabs(g->scale_x), g->ul_y + row * g->scale_y,
								 g->ul_y + (row + 1) * g->scale_y);
}

const char *
cb_options_arg(FunctionCallInfo fcinfo, int argno)
{
	return (PG_NARGS() > argno && !PG_ARGISNULL(argno)) ? text_to_cstring(PG_GETARG_TEXT_PP(argno)) : "";
}

void
cb_zonal_options(CbOptions *opts, const char *func, const char *text, const char *const *keys)
{
	if (strlen(text) >= CB_ZONAL_OPTIONS_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: options must be shorter than %d characters", func, CB_ZONAL_OPTIONS_LEN)));
	cb_options_parse(opts, func, text, keys);
}

void
cb_zonal_options_same(const char *func, const char *state_options, const char *options)
{
	if (strcmp(state_options, options) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: options must be the same in every row", func)));
}
