/*
 * region.h
 *    Region polygons over raster tiles, shared by the zonal routines
 *    (carbon_budget, zonal_stats, landuse_transition, downscaling): reading
 *    and checking the region, its SRID against the raster's, the coverage
 *    of a tile's pixels by the region and the area of those pixels.
 *
 * Overlap rule: centre counts a pixel when its centre lies inside the
 * region (as ST_Clip and GDAL rasterize); exact weights each pixel by the
 * fraction of its area inside (as exactextract).  Coverage is computed in
 * each tile's own pixel space from the whole polygon, so the fractions of
 * pixels along a tile edge are those of the undivided raster: sums over the
 * tiles of a region equal the sum over the whole raster.
 *
 * Pixel area: |scale_x * scale_y - skew_x * skew_y| in the SRID's units
 * (metres assumed) for projected SRIDs; the ellipsoidal (WGS 84) area of
 * the pixel's lon/lat quadrangle for geographic SRIDs.
 */
#ifndef CB_REGION_H
#define CB_REGION_H

#include "postgres.h"

#include "fmgr.h"

#include "geom.h"
#include "options.h"
#include "raster_io.h"

/*
 * Coverage of a tile's pixels, on the window of the tile the region's
 * bounding box touches.  A window no edge of the region enters is wholly
 * inside (every pixel covered 1) or wholly outside (width = height = 0):
 * then no per-pixel array is built and every row is the same row of ones.
 * Read row wr with cb_window_row.
 */
typedef struct CbTileWindow
{
	int			c0,
				r0;				/* window origin in the tile */
	int			width,
				height;			/* 0 when the region misses the tile */
	bool		inside;			/* every pixel of the window lies inside the region */
	double	   *cover;			/* width * height coverage (0..1), row-major; one row when inside */
} CbTileWindow;

/* Coverage of the width pixels of window row wr. */
static inline const double *
cb_window_row(const CbTileWindow *win, int wr)
{
	return win->inside ? win->cover : win->cover + (int64) wr * win->width;
}

/*
 * Per-call data kept in fn_extra for the whole query: the geometry reader,
 * the last region read (an aggregate over the tiles of one region reads
 * the same polygon for every tile: it is parsed and checked once) and a
 * slot for the caller's own per-query data.
 */
typedef struct CbRegionCache
{
	CbGeomReader *reader;
	MemoryContext region_cxt;	/* holds raw and shape; reset when the region changes */
	struct varlena *raw;		/* detoasted copy of the last region read */
	CbShape		shape;
	bool		checked;		/* shape passed the validity checks */
	double	   *cover;			/* coverage and work arrays of cb_tile_window, reused tile after tile */
	double	   *work;
	int64		cover_pixels;	/* their size */
	int64		tiles_seen;		/* rasters read so far by this call site, for progress lines */
	void	   *extra;			/* the calling routine's own cache */
} CbRegionCache;

extern CbRegionCache *cb_region_cache(FunctionCallInfo fcinfo);

/*
 * Progress of a zonal routine over the tiles of a query: the first tile
 * starts the clock under the routine's name, each tile counts one in phase
 * "tiles" (the total is unknown to an aggregate); zonal_stats on a single
 * raster also reports its rows in phase "rows".
 */
extern void cb_region_progress(FunctionCallInfo fcinfo, const char *routine);

/*
 * The region of argument argno: polygons or multipolygons (an empty
 * geometry is allowed and covers nothing).  With check_valid, a structurally
 * broken or OGC-invalid polygon is an error naming the reason.
 */
extern const CbShape *cb_region_read(FunctionCallInfo fcinfo, int argno, const char *func,
									 bool check_valid);

/*
 * Errors unless the raster (argument arg) has an SRID and the region has the
 * same one; the detail says which is lon/lat and which projected.
 */
extern void cb_region_check_srid(FunctionCallInfo fcinfo, int geom_argno, const CbRaster *r,
								 const CbShape *shape, const char *func, const char *arg);

/* True for a raster in a geographic SRID; skewed geographic rasters are refused. */
extern bool cb_region_geographic(FunctionCallInfo fcinfo, int geom_argno, const CbRaster *r,
								 const char *func);

/*
 * Coverage of the tile's pixels by the region (exact fractions or the
 * centre rule).  The coverage lives in the call's region cache and is
 * valid until the next cb_tile_window of the same call.
 */
extern void cb_tile_window(FunctionCallInfo fcinfo, const CbRaster *r, const CbShape *shape, bool exact,
						   const char *func, CbTileWindow *win);

/* Area in m^2 of the pixels of row `row`. */
extern double cb_row_pixel_area(const CbRasterGeo *g, bool geographic, int row);

/* Options text of argument argno ('' when absent or NULL). */
extern const char *cb_options_arg(FunctionCallInfo fcinfo, int argno);

/* Longest options text (with its NUL) a zonal aggregate keeps in its state. */
#define CB_ZONAL_OPTIONS_LEN 200
/* Parses the options text of a zonal routine, refusing one too long for the state. */
extern void cb_zonal_options(CbOptions *opts, const char *func, const char *text, const char *const *keys);
/* An aggregate's options must be the same in every row (and every partial state). */
extern void cb_zonal_options_same(const char *func, const char *state_options, const char *options);

/* The rules of option coverage=, in option order. */
extern const char *const cb_coverage_rules[];

#endif							/* CB_REGION_H */
