/*
 * raster_io.h
 *    Reading and writing PostGIS rasters through their documented
 *    serialized format (PostGIS raster/doc/RFC1-SerializedFormat), so no
 *    PostGIS internals are linked.
 *
 * Layout of a serialized raster (host byte order):
 *   64-byte header: varlena size, version (0), band count, scale x/y,
 *   upper-left x/y, skew x/y, SRID, width, height;
 *   then per band, each starting on an 8-byte boundary: one flags+pixel
 *   type byte, padding to the pixel size, the nodata value, the pixels
 *   row by row from the top-left (in-db) or a band number and a file path
 *   (out-db), padding to 8 bytes.
 *
 * Georeference (GDAL order): world x = ul_x + col * scale_x + row * skew_x,
 *                            world y = ul_y + col * skew_y + row * scale_y,
 * for the upper-left corner of pixel (col, row); pixel centres at +0.5.
 *
 * Usage:
 *   CbRaster r;
 *   cb_raster_read(PG_GETARG_DATUM(0), "nep_raster", "npp", &r);
 *   double *v = palloc(r.npixels * sizeof(double));
 *   cb_band_values(&r, 0, v);          -- NaN where nodata
 *   ...
 *   PG_RETURN_POINTER(cb_raster_write(&r.geo, 1, &band_spec, &v));
 */
#ifndef CB_RASTER_IO_H
#define CB_RASTER_IO_H

#include "postgres.h"

#include <math.h>

#include "fmgr.h"

/* PostGIS pixel types (rt_pixtype); sub-byte types are stored one per byte. */
typedef enum CbPixType
{
	CB_PT_1BB = 0,				/* 1-bit boolean */
	CB_PT_2BUI = 1,				/* 2-bit unsigned */
	CB_PT_4BUI = 2,				/* 4-bit unsigned */
	CB_PT_8BSI = 3,
	CB_PT_8BUI = 4,
	CB_PT_16BSI = 5,
	CB_PT_16BUI = 6,
	CB_PT_32BSI = 7,
	CB_PT_32BUI = 8,
	CB_PT_16BF = 9,				/* reserved by PostGIS, refused */
	CB_PT_32BF = 10,
	CB_PT_64BF = 11
} CbPixType;

/* Georeference and size shared by every band of a raster. */
typedef struct CbRasterGeo
{
	double		scale_x;		/* pixel width (x step per column) */
	double		scale_y;		/* pixel height (y step per row; negative for north-up) */
	double		ul_x;			/* upper-left corner of pixel (0, 0) */
	double		ul_y;
	double		skew_x;			/* x step per row */
	double		skew_y;			/* y step per column */
	int32		srid;			/* 0 = unknown */
	int32		width;			/* columns */
	int32		height;			/* rows */
} CbRasterGeo;

/* One band as read: points into the detoasted datum, never copied. */
typedef struct CbBand
{
	CbPixType	pixtype;
	bool		has_nodata;		/* nodata value defined */
	bool		all_nodata;		/* PostGIS isNodataValue flag: every pixel is nodata */
	double		nodata;			/* meaningful when has_nodata */
	const uint8 *data;			/* width * height pixels, row-major from top-left */
} CbBand;

typedef struct CbRaster
{
	CbRasterGeo geo;
	int			nbands;
	CbBand	   *bands;
	int64		npixels;		/* width * height */
	bool		empty;			/* width or height 0 (ST_MakeEmptyRaster) */
} CbRaster;

/* Band description for writing. */
typedef struct CbBandSpec
{
	CbPixType	pixtype;
	bool		has_nodata;
	double		nodata;			/* written where the value is NaN (requires has_nodata) */
} CbBandSpec;

/* Bytes per stored pixel, 0 for an unknown type. */
extern int	cb_pixtype_size(CbPixType pt);
/* PostGIS name ('8BUI', '32BF', ...) and its inverse (case-insensitive; -1 if unknown). */
extern const char *cb_pixtype_name(CbPixType pt);
/* 32BF and 64BF: bands of measurements rather than class codes. */
extern bool cb_pixtype_is_float(CbPixType pt);
extern int	cb_pixtype_from_name(const char *name);

/*
 * Reads a raster Datum (detoasted in CurrentMemoryContext).  Malformed
 * data, an unknown version or pixel type, and out-db bands are errors that
 * name func and arg.
 */
extern void cb_raster_read(Datum datum, const char *func, const char *arg, CbRaster *r);

/* Raw value of pixel idx (row * width + col) of band b. */
extern double cb_band_raw(const CbBand *b, int64 idx);
/* True when the pixel is nodata (or the band is flagged all-nodata). */
extern bool cb_band_is_nodata(const CbBand *b, double raw);
/*
 * A 32BF pixel is nodata when it equals the band's nodata at float precision
 * (as PostGIS compares), or when both are NaN (as R and GDAL write float
 * GeoTIFFs).  Inline: the pixel loops call it on every pixel.
 */
static inline bool
cb_f32_is_nodata(float x, float nodata)
{
	return x == nodata || (isnan(x) && isnan(nodata));
}
/*
 * All pixels of band `band` (0-based) as doubles, NaN where nodata.  NaN or
 * infinite stored floats are an error naming func/arg (SPEC: no silent NaN).
 */
extern void cb_band_values(const CbRaster *r, int band, const char *func, const char *arg,
						   double *out);
/*
 * Pixels c0 .. c0 + n - 1 of one row of band `band` (0-based, which must
 * exist) as doubles, NaN where nodata; NaN or infinite stored values that
 * are not nodata are an error naming func/arg.
 */
extern void cb_band_row(const CbRaster *r, int band, int row, int c0, int n, const char *func,
						const char *arg, double *out);
/* Checks that band (0-based) exists; error names func/arg. */
extern void cb_raster_need_band(const CbRaster *r, int band, const char *func, const char *arg);

/*
 * Errors unless b lies on the grid of a: same SRID, scale and skew, and an
 * upper-left corner an integral number of pixels away.  The message says
 * which of SRID, scale, skew or grid differs.  With same_extent, the width,
 * height and upper-left corner must also be equal.
 */
extern void cb_raster_check_aligned(const CbRaster *a, const CbRaster *b, const char *func,
									const char *arg_a, const char *arg_b, bool same_extent);

/* World coordinates of pixel-space point (u, v) (u = column, v = row, corners at integers). */
extern void cb_raster_to_world(const CbRasterGeo *g, double u, double v, double *x, double *y);
/* Pixel-space coordinates of world point (x, y); false when the transform is singular. */
extern bool cb_raster_to_pixel(const CbRasterGeo *g, double x, double y, double *u, double *v);

/*
 * A new in-db raster with geo's georeference and nbands bands; values[k]
 * holds width * height doubles, NaN meaning nodata.  Values are rounded to
 * integer types and must fit the pixel type (an error names func).
 */
extern bytea *cb_raster_write(const CbRasterGeo *geo, int nbands, const CbBandSpec *spec,
							  double *const *values, const char *func);

#endif							/* CB_RASTER_IO_H */
