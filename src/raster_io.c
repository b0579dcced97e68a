/*
 * raster_io.c
 *    PostGIS rasters read and written in their serialized format
 *    (RFC1-SerializedFormat); see raster_io.h for the layout.
 */
#include "carbonbudget.h"

#include <ctype.h>
#include <float.h>

#include "miscadmin.h"

#include "raster_io.h"

#define RT_HEADER_SIZE 64
#define RT_FLAG_OFFDB 0x80
#define RT_FLAG_HASNODATA 0x40
#define RT_FLAG_ISNODATA 0x20
#define RT_PIXTYPE_MASK 0x0F

static const char *const pixtype_names[] = {
	"1BB", "2BUI", "4BUI", "8BSI", "8BUI", "16BSI", "16BUI", "32BSI", "32BUI", "16BF", "32BF", "64BF"
};

int
cb_pixtype_size(CbPixType pt)
{
	switch (pt)
	{
		case CB_PT_1BB:
		case CB_PT_2BUI:
		case CB_PT_4BUI:
		case CB_PT_8BSI:
		case CB_PT_8BUI:
			return 1;
		case CB_PT_16BSI:
		case CB_PT_16BUI:
			return 2;
		case CB_PT_32BSI:
		case CB_PT_32BUI:
		case CB_PT_32BF:
			return 4;
		case CB_PT_64BF:
			return 8;
		default:
			return 0;
	}
}

const char *
cb_pixtype_name(CbPixType pt)
{
	return (pt >= 0 && pt <= CB_PT_64BF) ? pixtype_names[pt] : "unknown";
}

int
cb_pixtype_from_name(const char *name)
{
	for (int i = 0; i <= CB_PT_64BF; i++)
		if (i != CB_PT_16BF && pg_strcasecmp(name, pixtype_names[i]) == 0)
			return i;
	return -1;
}

/* Smallest and largest value an integer pixel type holds. */
static void
pixtype_range(CbPixType pt, double *lo, double *hi)
{
	static const double ranges[][2] = {
		{0, 1}, {0, 3}, {0, 15}, {-128, 127}, {0, 255}, {-32768, 32767}, {0, 65535},
		{-2147483648.0, 2147483647.0}, {0, 4294967295.0}, {0, 0}, {-FLT_MAX, FLT_MAX},
		{-DBL_MAX, DBL_MAX}
	};

	*lo = ranges[pt][0];
	*hi = ranges[pt][1];
}

bool
cb_pixtype_is_float(CbPixType pt)
{
	return pt == CB_PT_32BF || pt == CB_PT_64BF;
}

/* ---- reading ---- */

static double
read_value(CbPixType pt, const uint8 *p)
{
	switch (pt)
	{
		case CB_PT_1BB:
		case CB_PT_2BUI:
		case CB_PT_4BUI:
		case CB_PT_8BUI:
			return (double) *p;
		case CB_PT_8BSI:
			return (double) *(const int8 *) p;
		case CB_PT_16BSI:
			{
				int16		v;

				memcpy(&v, p, 2);
				return v;
			}
		case CB_PT_16BUI:
			{
				uint16		v;

				memcpy(&v, p, 2);
				return v;
			}
		case CB_PT_32BSI:
			{
				int32		v;

				memcpy(&v, p, 4);
				return v;
			}
		case CB_PT_32BUI:
			{
				uint32		v;

				memcpy(&v, p, 4);
				return v;
			}
		case CB_PT_32BF:
			{
				float		v;

				memcpy(&v, p, 4);
				return v;
			}
		case CB_PT_64BF:
			{
				double		v;

				memcpy(&v, p, 8);
				return v;
			}
		default:
			elog(ERROR, "unexpected raster pixel type %d", (int) pt);
	}
	return 0;					/* keep compiler quiet */
}

static void
malformed(const char *func, const char *arg, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("%s: %s is not a valid PostGIS raster", func, arg),
			 errdetail("%s", why)));
}

/* Parses one band starting at p; returns the offset of the next band. */
static size_t
read_band(const uint8 *base, size_t off, size_t size, int64 npixels, int bandno,
		  const char *func, const char *arg, CbBand *b)
{
	uint8		flags;
	int			pixsize;
	size_t		need;

	if (off + 1 > size)
		malformed(func, arg, psprintf("Band %d is truncated.", bandno));
	flags = base[off];
	b->pixtype = (CbPixType) (flags & RT_PIXTYPE_MASK);
	pixsize = cb_pixtype_size(b->pixtype);
	if (pixsize == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s: band %d of %s has unsupported pixel type %d", func, bandno, arg,
						(int) b->pixtype)));
	if (flags & RT_FLAG_OFFDB)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s: band %d of %s is an out-db band", func, bandno, arg),
				 errdetail("Only bands stored in the database are read."),
				 errhint("Load the raster in-db (raster2pgsql without -R) or copy it with ST_AddBand.")));
	b->has_nodata = (flags & RT_FLAG_HASNODATA) != 0;
	b->all_nodata = (flags & RT_FLAG_ISNODATA) != 0;
	off += pixsize;				/* flags byte + data padding = pixel size */
	need = (size_t) (npixels + 1) * pixsize;
	if (off + need > size)
		malformed(func, arg, psprintf("Band %d is truncated.", bandno));
	b->nodata = read_value(b->pixtype, base + off);
	b->data = base + off + pixsize;
	return TYPEALIGN(8, off + need);
}

void
cb_raster_read(Datum datum, const char *func, const char *arg, CbRaster *r)
{
	struct varlena *v = PG_DETOAST_DATUM(datum);
	const uint8 *base = (const uint8 *) v;
	size_t		size = VARSIZE(v);
	uint16		version,
				nbands,
				width,
				height;
	size_t		off;

	memset(r, 0, sizeof(*r));
	if (size < RT_HEADER_SIZE)
		malformed(func, arg, "The header is shorter than 64 bytes.");
	memcpy(&version, base + 4, 2);
	memcpy(&nbands, base + 6, 2);
	if (version != 0)
		malformed(func, arg, psprintf("Serialized format version %u is not supported.", version));
	memcpy(&r->geo.scale_x, base + 8, 8);
	memcpy(&r->geo.scale_y, base + 16, 8);
	memcpy(&r->geo.ul_x, base + 24, 8);
	memcpy(&r->geo.ul_y, base + 32, 8);
	memcpy(&r->geo.skew_x, base + 40, 8);
	memcpy(&r->geo.skew_y, base + 48, 8);
	memcpy(&r->geo.srid, base + 56, 4);
	memcpy(&width, base + 60, 2);
	memcpy(&height, base + 62, 2);
	r->geo.width = width;
	r->geo.height = height;
	r->npixels = (int64) width * height;
	r->empty = (width == 0 || height == 0);
	r->nbands = r->empty ? 0 : nbands;
	r->bands = palloc0(sizeof(CbBand) * Max(r->nbands, 1));
	off = RT_HEADER_SIZE;
	for (int k = 0; k < r->nbands; k++)
		off = read_band(base, off, size, r->npixels, k + 1, func, arg, &r->bands[k]);
}

double
cb_band_raw(const CbBand *b, int64 idx)
{
	return read_value(b->pixtype, b->data + idx * cb_pixtype_size(b->pixtype));
}

bool
cb_band_is_nodata(const CbBand *b, double raw)
{
	if (b->all_nodata)
		return true;
	if (!b->has_nodata)
		return false;
	/* PostGIS compares float bands with the nodata stored at the band's precision */
	if (b->pixtype == CB_PT_32BF)
		return cb_f32_is_nodata((float) raw, (float) b->nodata);
	return raw == b->nodata || (isnan(raw) && isnan(b->nodata));
}

void
cb_raster_need_band(const CbRaster *r, int band, const char *func, const char *arg)
{
	if (band < 0 || band >= r->nbands)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s has no band %d", func, arg, band + 1),
				 errdetail("The raster has %d band(s).", r->nbands)));
}

void
cb_band_values(const CbRaster *r, int band, const char *func, const char *arg, double *out)
{
	const CbBand *b;
	int			pixsize;

	cb_raster_need_band(r, band, func, arg);
	b = &r->bands[band];
	pixsize = cb_pixtype_size(b->pixtype);
	for (int64 i = 0; i < r->npixels; i++)
	{
		double		raw = read_value(b->pixtype, b->data + i * pixsize);

		if (cb_band_is_nodata(b, raw))
			out[i] = NAN;
		else if (unlikely(isnan(raw) || isinf(raw)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s must be finite", func, arg),
					 errdetail("Band %d, column %d, row %d holds %s.", band + 1,
							   (int) (i % r->geo.width) + 1, (int) (i / r->geo.width) + 1,
							   isnan(raw) ? "NaN" : "an infinite value"),
					 errhint("Set the band's nodata value (ST_SetBandNoDataValue) or fix the pixels.")));
		else
			out[i] = raw;
	}
}

/*
 * n pixels of one row from column c0 as doubles, NaN where nodata; the
 * pixel type is dispatched once per row, not per pixel, since zonal
 * statistics read every pixel of every tile.
 */
#define CB_ROW_LOOP(ctype) \
	do { \
		for (int i = 0; i < n; i++) \
		{ \
			ctype		v; \
			memcpy(&v, p + (size_t) i * sizeof(ctype), sizeof(ctype)); \
			out[i] = (double) v; \
		} \
	} while (0)

void
cb_band_row(const CbRaster *r, int band, int row, int c0, int n, const char *func, const char *arg,
			double *out)
{
	const CbBand *b = &r->bands[band];
	int			pixsize = cb_pixtype_size(b->pixtype);
	const uint8 *p = b->data + ((int64) row * r->geo.width + c0) * pixsize;
	int			bad = 0;

	if (b->all_nodata)
	{
		for (int i = 0; i < n; i++)
			out[i] = NAN;
		return;
	}
	switch (b->pixtype)
	{
		case CB_PT_1BB:
		case CB_PT_2BUI:
		case CB_PT_4BUI:
		case CB_PT_8BUI:
			CB_ROW_LOOP(uint8);
			break;
		case CB_PT_8BSI:
			CB_ROW_LOOP(int8);
			break;
		case CB_PT_16BSI:
			CB_ROW_LOOP(int16);
			break;
		case CB_PT_16BUI:
			CB_ROW_LOOP(uint16);
			break;
		case CB_PT_32BSI:
			CB_ROW_LOOP(int32);
			break;
		case CB_PT_32BUI:
			CB_ROW_LOOP(uint32);
			break;
		case CB_PT_32BF:
			CB_ROW_LOOP(float);
			break;
		case CB_PT_64BF:
			CB_ROW_LOOP(double);
			break;
		default:
			elog(ERROR, "unexpected raster pixel type %d", (int) b->pixtype);
	}
	/*
	 * Nodata to NaN with cb_band_is_nodata's comparisons, written out per
	 * case so the loops stay branch-light (this pass runs on every pixel of
	 * every tile), counting the values left that are not finite.
	 */
	if (b->has_nodata && b->pixtype == CB_PT_32BF)
	{
		float		nd = (float) b->nodata;

		for (int i = 0; i < n; i++)
		{
			if (cb_f32_is_nodata((float) out[i], nd))
				out[i] = NAN;
			else
				bad += !isfinite(out[i]);
		}
	}
	else if (b->has_nodata)
	{
		double		nd = b->nodata;
		bool		nd_nan = isnan(nd);

		for (int i = 0; i < n; i++)
		{
			if (out[i] == nd || (nd_nan && isnan(out[i])))
				out[i] = NAN;
			else
				bad += !isfinite(out[i]);
		}
	}
	else
		for (int i = 0; i < n; i++)
			bad += !isfinite(out[i]);
	if (unlikely(bad > 0))
		for (int i = 0; i < n; i++)
		{
			double		raw = read_value(b->pixtype, p + (size_t) i * pixsize);

			if (!isfinite(raw) && !cb_band_is_nodata(b, raw))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: %s must be finite", func, arg),
						 errdetail("Band %d, column %d, row %d holds %s.", band + 1, c0 + i + 1, row + 1,
								   isnan(raw) ? "NaN" : "an infinite value"),
						 errhint("Set the band's nodata value (ST_SetBandNoDataValue) or fix the pixels.")));
		}
}

/* ---- georeference ---- */

void
cb_raster_to_world(const CbRasterGeo *g, double u, double v, double *x, double *y)
{
	*x = g->ul_x + u * g->scale_x + v * g->skew_x;
	*y = g->ul_y + u * g->skew_y + v * g->scale_y;
}

bool
cb_raster_to_pixel(const CbRasterGeo *g, double x, double y, double *u, double *v)
{
	double		det = g->scale_x * g->scale_y - g->skew_x * g->skew_y;
	double		dx = x - g->ul_x;
	double		dy = y - g->ul_y;

	if (det == 0 || !isfinite(det))
		return false;
	*u = (g->scale_y * dx - g->skew_x * dy) / det;
	*v = (-g->skew_y * dx + g->scale_x * dy) / det;
	return true;
}

/* Relative equality used for scale and skew (PostGIS ST_SameAlignment uses FLT_EPSILON). */
static bool
nearly_equal(double a, double b)
{
	return fabs(a - b) <= FLT_EPSILON * Max(1.0, Max(fabs(a), fabs(b)));
}

static void
misaligned(const char *func, const char *arg_a, const char *arg_b, const char *what,
		   const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: %s and %s are not aligned: %s differs", func, arg_a, arg_b, what),
			 errdetail("%s", detail),
			 errhint("Resample one raster onto the other's grid (ST_Resample or ST_Transform with a reference raster).")));
}

void
cb_raster_check_aligned(const CbRaster *a, const CbRaster *b, const char *func,
						const char *arg_a, const char *arg_b, bool same_extent)
{
	const CbRasterGeo *ga = &a->geo;
	const CbRasterGeo *gb = &b->geo;
	double		u,
				v;

	if (ga->srid != gb->srid)
		misaligned(func, arg_a, arg_b, "SRID",
				   psprintf("SRID %d against %d.", ga->srid, gb->srid));
	if (!nearly_equal(ga->scale_x, gb->scale_x) || !nearly_equal(ga->scale_y, gb->scale_y))
		misaligned(func, arg_a, arg_b, "scale",
				   psprintf("Scale (%g, %g) against (%g, %g).", ga->scale_x, ga->scale_y,
							gb->scale_x, gb->scale_y));
	if (!nearly_equal(ga->skew_x, gb->skew_x) || !nearly_equal(ga->skew_y, gb->skew_y))
		misaligned(func, arg_a, arg_b, "skew",
				   psprintf("Skew (%g, %g) against (%g, %g).", ga->skew_x, ga->skew_y,
							gb->skew_x, gb->skew_y));
	if (!cb_raster_to_pixel(ga, gb->ul_x, gb->ul_y, &u, &v))
		misaligned(func, arg_a, arg_b, "scale", "The georeference is singular.");
	u = (u == 0) ? 0 : u;		/* print -0 as 0 */
	v = (v == 0) ? 0 : v;
	if (fabs(u - rint(u)) > 1e-6 || fabs(v - rint(v)) > 1e-6)
		misaligned(func, arg_a, arg_b, "grid",
				   psprintf("The upper-left corner of %s lies %.6g columns and %.6g rows from that of %s, not a whole number of pixels.",
							arg_b, u, v, arg_a));
	if (same_extent && (rint(u) != 0 || rint(v) != 0 || ga->width != gb->width ||
						ga->height != gb->height))
		misaligned(func, arg_a, arg_b, "extent",
				   psprintf("%s is %d x %d pixels at offset (%.0f, %.0f) of %s, which is %d x %d.",
							arg_b, gb->width, gb->height, u, v, arg_a, ga->width, ga->height));
}

/* ---- writing ---- */

static void
write_value(CbPixType pt, uint8 *p, double x)
{
	switch (pt)
	{
		case CB_PT_1BB:
		case CB_PT_2BUI:
		case CB_PT_4BUI:
		case CB_PT_8BUI:
			*p = (uint8) x;
			break;
		case CB_PT_8BSI:
			*(int8 *) p = (int8) x;
			break;
		case CB_PT_16BSI:
			{
				int16		v = (int16) x;

				memcpy(p, &v, 2);
				break;
			}
		case CB_PT_16BUI:
			{
				uint16		v = (uint16) x;

				memcpy(p, &v, 2);
				break;
			}
		case CB_PT_32BSI:
			{
				int32		v = (int32) x;

				memcpy(p, &v, 4);
				break;
			}
		case CB_PT_32BUI:
			{
				uint32		v = (uint32) x;

				memcpy(p, &v, 4);
				break;
			}
		case CB_PT_32BF:
			{
				float		v = (float) x;

				memcpy(p, &v, 4);
				break;
			}
		case CB_PT_64BF:
			memcpy(p, &x, 8);
			break;
		default:
			elog(ERROR, "unexpected raster pixel type %d", (int) pt);
	}
}

/* Value as stored: rounded for integer types, checked against the type's range. */
static double
storable(CbPixType pt, double x, const char *func, int bandno)
{
	double		lo,
				hi;

	if (!cb_pixtype_is_float(pt))
		x = rint(x);
	pixtype_range(pt, &lo, &hi);
	if (!(x >= lo && x <= hi))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: value %g does not fit pixel type %s of output band %d", func, x,
						cb_pixtype_name(pt), bandno),
				 errhint("Choose a wider pixel type (pixeltype=32BF or 64BF).")));
	return x;
}

static size_t
band_size(CbPixType pt, int64 npixels)
{
	int			pixsize = cb_pixtype_size(pt);

	return TYPEALIGN(8, add_size(pixsize, mul_size(npixels + 1, pixsize)));
}

bytea *
cb_raster_write(const CbRasterGeo *geo, int nbands, const CbBandSpec *spec,
				double *const *values, const char *func)
{
	int64		npixels = (int64) geo->width * geo->height;
	size_t		size = RT_HEADER_SIZE;
	uint16		version = 0,
				nb = (uint16) nbands,
				width = (uint16) geo->width,
				height = (uint16) geo->height;
	uint8	   *base;
	size_t		off;

	if (geo->width < 0 || geo->width > 65535 || geo->height < 0 || geo->height > 65535 ||
		nbands < 0 || nbands > 65535)
		elog(ERROR, "raster dimensions out of range, please report a bug");
	for (int k = 0; k < nbands; k++)
	{
		if (cb_pixtype_size(spec[k].pixtype) == 0)
			elog(ERROR, "unexpected raster pixel type %d", (int) spec[k].pixtype);
		size = add_size(size, band_size(spec[k].pixtype, npixels));
	}
	base = palloc_extended(size, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	SET_VARSIZE(base, size);
	memcpy(base + 4, &version, 2);
	memcpy(base + 6, &nb, 2);
	memcpy(base + 8, &geo->scale_x, 8);
	memcpy(base + 16, &geo->scale_y, 8);
	memcpy(base + 24, &geo->ul_x, 8);
	memcpy(base + 32, &geo->ul_y, 8);
	memcpy(base + 40, &geo->skew_x, 8);
	memcpy(base + 48, &geo->skew_y, 8);
	memcpy(base + 56, &geo->srid, 4);
	memcpy(base + 60, &width, 2);
	memcpy(base + 62, &height, 2);

	off = RT_HEADER_SIZE;
	for (int k = 0; k < nbands; k++)
	{
		CbPixType	pt = spec[k].pixtype;
		int			pixsize = cb_pixtype_size(pt);
		double		nodata = spec[k].has_nodata ? storable(pt, spec[k].nodata, func, k + 1) : 0;
		uint8	   *p;

		base[off] = (uint8) pt | (spec[k].has_nodata ? RT_FLAG_HASNODATA : 0);
		p = base + off + pixsize;
		write_value(pt, p, nodata);
		p += pixsize;
		for (int64 i = 0; i < npixels; i++, p += pixsize)
		{
			double		x = values[k][i];

			if (isnan(x))
			{
				if (!spec[k].has_nodata)
					elog(ERROR, "nodata pixel in a band without nodata value, please report a bug");
				x = nodata;
			}
			else
				x = storable(pt, x, func, k + 1);
			write_value(pt, p, x);
			/* a write of a whole 10,000 x 10,000 band must stay cancellable */
			if ((i & 0xFFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		off += band_size(pt, npixels);
	}
	return (bytea *) base;
}
