/*
 * geom.c
 *    Geometry input through EWKB, GEOS validity, GEOS-compatible centroids
 *    and the geographic/projected test of an SRID.
 *
 * PostGIS is used only through its SQL-callable functions (ST_AsEWKB) and
 * the documented EWKB format; GEOS only through its re-entrant C API with
 * our own context handle, whose handlers record messages and never raise.
 */
#include "carbonbudget.h"

#include <geos_c.h>

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "miscadmin.h"
#include "utils/syscache.h"

#include "geom.h"

/* ---- EWKB parsing ---- */

typedef struct WkbCursor
{
	const uint8 *p;
	const uint8 *end;
	bool		little;			/* byte order of the current geometry */
} WkbCursor;

/* Growable arrays behind a CbShape while parsing. */
typedef struct ShapeBuilder
{
	CbShape    *s;
	int32		point_cap;
	int32		part_cap;
	const char *func;			/* SQL function, for messages */
} ShapeBuilder;

static void
wkb_need(WkbCursor *c, size_t n)
{
	if ((size_t) (c->end - c->p) < n)
		elog(ERROR, "truncated EWKB from PostGIS, please report a bug");
}

static uint32
wkb_uint32(WkbCursor *c)
{
	uint32		v;

	wkb_need(c, 4);
	if (c->little)
		v = (uint32) c->p[0] | (uint32) c->p[1] << 8 | (uint32) c->p[2] << 16 | (uint32) c->p[3] << 24;
	else
		v = (uint32) c->p[3] | (uint32) c->p[2] << 8 | (uint32) c->p[1] << 16 | (uint32) c->p[0] << 24;
	c->p += 4;
	return v;
}

static double
wkb_double(WkbCursor *c)
{
	uint8		b[8];
	double		v;

	wkb_need(c, 8);
	for (int i = 0; i < 8; i++)
		b[i] = c->little ? c->p[i] : c->p[7 - i];
#ifdef WORDS_BIGENDIAN
	for (int i = 0; i < 4; i++)
	{
		uint8		t = b[i];

		b[i] = b[7 - i];
		b[7 - i] = t;
	}
#endif
	memcpy(&v, b, 8);
	c->p += 8;
	return v;
}

static void
add_part(ShapeBuilder *b, CbPartKind kind)
{
	CbShape    *s = b->s;

	if (s->nparts + 1 >= b->part_cap)
	{
		b->part_cap = b->part_cap ? b->part_cap * 2 : 8;
		s->part_kind = s->part_kind ? repalloc(s->part_kind, sizeof(CbPartKind) * b->part_cap)
			: palloc(sizeof(CbPartKind) * b->part_cap);
		s->part_start = s->part_start ? repalloc(s->part_start, sizeof(int32) * (b->part_cap + 1))
			: palloc(sizeof(int32) * (b->part_cap + 1));
	}
	s->part_kind[s->nparts] = kind;
	s->part_start[s->nparts] = s->npoints;
	s->nparts++;
	s->part_start[s->nparts] = s->npoints;
}

/* Reads npoints coordinates (skipping Z and M) into the current part. */
static void
read_points(WkbCursor *c, ShapeBuilder *b, uint32 npoints, int ndims)
{
	CbShape    *s = b->s;

	wkb_need(c, (size_t) npoints * ndims * 8);
	if (s->npoints + (int64) npoints > b->point_cap)
	{
		while (s->npoints + (int64) npoints > b->point_cap)
			b->point_cap = b->point_cap ? b->point_cap * 2 : 64;
		s->xy = s->xy ? repalloc_huge(s->xy, sizeof(double) * 2 * (size_t) b->point_cap)
			: palloc_extended(sizeof(double) * 2 * (size_t) b->point_cap, MCXT_ALLOC_HUGE);
	}
	for (uint32 i = 0; i < npoints; i++)
	{
		double		x = wkb_double(c);
		double		y = wkb_double(c);

		/*
		 * Squares of coordinate differences must stay finite in every
		 * statistic (distances, moments, areas): larger coordinates are no
		 * place on Earth in any SRID.
		 */
		if (!(fabs(x) <= CB_COORD_MAX && fabs(y) <= CB_COORD_MAX))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: geometry coordinates must be finite and within +/-%g", b->func, CB_COORD_MAX),
					 errdetail("A point has x = %g, y = %g.", x, y)));
		s->xy[2 * s->npoints] = x;
		s->xy[2 * s->npoints + 1] = y;
		for (int d = 2; d < ndims; d++)
			(void) wkb_double(c);
		s->npoints++;
	}
	s->part_start[s->nparts] = s->npoints;
}

/* Names of the WKB types that cannot be read (SQL/MM curves, surfaces). */
static const char *
unsupported_type_name(uint32 base)
{
	switch (base)
	{
		case 8:
			return "CIRCULARSTRING";
		case 9:
			return "COMPOUNDCURVE";
		case 10:
			return "CURVEPOLYGON";
		case 11:
			return "MULTICURVE";
		case 12:
			return "MULTISURFACE";
		case 15:
			return "POLYHEDRALSURFACE";
		case 16:
			return "TIN";
		case 17:
			return "TRIANGLE";
		default:
			return psprintf("WKB type %u", base);
	}
}

static void
parse_geometry(WkbCursor *c, ShapeBuilder *b, int depth)
{
	uint32		type;
	uint32		base;
	int			ndims = 2;
	CbShape    *s = b->s;

	if (depth > 32)
		elog(ERROR, "EWKB nesting too deep, please report a bug");
	wkb_need(c, 1);
	c->little = (*c->p++ == 1);
	type = wkb_uint32(c);
	if (type & 0x80000000u)
		ndims++;				/* EWKB Z flag */
	if (type & 0x40000000u)
		ndims++;				/* EWKB M flag */
	if (type & 0x20000000u)
	{
		int32		srid = (int32) wkb_uint32(c);

		if (depth == 0)
			s->srid = srid;
	}
	base = type & 0x0FFFFFFFu;
	/* ISO WKB encodes Z / M / ZM as +1000 / +2000 / +3000 */
	if (base >= 1000)
	{
		ndims += (base / 1000 == 3) ? 2 : 1;
		base %= 1000;
	}
	if (depth == 0)
		s->type = (int) base;

	switch (base)
	{
		case CB_WKB_POINT:
			{
				const uint8 *mark = c->p;
				double		x,
							y;

				x = wkb_double(c);
				y = wkb_double(c);
				c->p = mark;
				if (isnan(x) && isnan(y))
				{
					/* POINT EMPTY is written as NaN coordinates */
					c->p += 8 * ndims;
					break;
				}
				add_part(b, CB_PART_POINT);
				read_points(c, b, 1, ndims);
				break;
			}
		case CB_WKB_LINESTRING:
			{
				uint32		npoints = wkb_uint32(c);

				if (npoints > 0)
				{
					add_part(b, CB_PART_LINE);
					read_points(c, b, npoints, ndims);
				}
				break;
			}
		case CB_WKB_POLYGON:
			{
				uint32		nrings = wkb_uint32(c);

				for (uint32 r = 0; r < nrings; r++)
				{
					uint32		npoints = wkb_uint32(c);

					add_part(b, r == 0 ? CB_PART_SHELL : CB_PART_HOLE);
					read_points(c, b, npoints, ndims);
				}
				break;
			}
		case CB_WKB_MULTIPOINT:
		case CB_WKB_MULTILINESTRING:
		case CB_WKB_MULTIPOLYGON:
		case CB_WKB_COLLECTION:
			{
				uint32		ngeoms = wkb_uint32(c);

				for (uint32 g = 0; g < ngeoms; g++)
					parse_geometry(c, b, depth + 1);
				break;
			}
		default:
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("%s: %s geometries are not supported", b->func, unsupported_type_name(base)),
					 errhint("Convert curves with ST_CurveToLine, surfaces with ST_Dump or ST_CollectionExtract.")));
	}
}

const char *
cb_geom_type_name(int wkb_type)
{
	static const char *const names[] = {"GEOMETRY", "POINT", "LINESTRING", "POLYGON", "MULTIPOINT",
	"MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION"};

	return (wkb_type >= 1 && wkb_type <= 7) ? names[wkb_type] : names[0];
}

/* ---- reader: PostGIS ST_AsEWKB located next to the geometry type ---- */

void
cb_geom_reader_init(CbGeomReader *reader, Oid geom_type, const char *func, MemoryContext mcxt)
{
	HeapTuple	tup;
	char	   *nspname;
	Oid			argtype = geom_type;
	Oid			fn;

	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(geom_type));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for type %u", geom_type);
	reader->postgis_namespace = ((Form_pg_type) GETSTRUCT(tup))->typnamespace;
	ReleaseSysCache(tup);
	nspname = get_namespace_name(reader->postgis_namespace);
	fn = LookupFuncName(list_make2(makeString(nspname), makeString("st_asewkb")),
						1, &argtype, true);
	if (!OidIsValid(fn))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("PostGIS function %s.st_asewkb(geometry) was not found", nspname),
				 errhint("Install PostGIS 3 in the schema of type geometry.")));
	reader->geom_type = geom_type;
	reader->func = func;
	fmgr_info_cxt(fn, &reader->asewkb, mcxt);
}

void
cb_geom_read(CbGeomReader *reader, Datum geom, CbShape *shape)
{
	bytea	   *ewkb = DatumGetByteaPP(FunctionCall1(&reader->asewkb, geom));
	WkbCursor	c;
	ShapeBuilder b = {shape, 0, 0, reader->func};

	memset(shape, 0, sizeof(*shape));
	c.p = (const uint8 *) VARDATA_ANY(ewkb);
	c.end = c.p + VARSIZE_ANY_EXHDR(ewkb);
	c.little = true;
	parse_geometry(&c, &b, 0);
	shape->empty = (shape->npoints == 0);
	shape->polygonal = shape->nparts > 0 &&
		(shape->type == CB_WKB_POLYGON || shape->type == CB_WKB_MULTIPOLYGON);
	if (shape->type == CB_WKB_COLLECTION && shape->nparts > 0)
	{
		/* a collection of polygons only counts as polygonal */
		shape->polygonal = true;
		for (int i = 0; i < shape->nparts; i++)
			if (shape->part_kind[i] != CB_PART_SHELL && shape->part_kind[i] != CB_PART_HOLE)
				shape->polygonal = false;
	}
	if (shape->part_start == NULL)
	{
		shape->part_start = palloc0(sizeof(int32));
		shape->part_kind = palloc0(sizeof(CbPartKind));
	}
	pfree(ewkb);
}

/* ---- checks ---- */

const char *
cb_shape_structure_problem(const CbShape *s)
{
	for (int32 i = 0; i < s->npoints * 2; i++)
		if (!isfinite(s->xy[i]))
			return "a coordinate is not finite";
	for (int32 p = 0; p < s->nparts; p++)
	{
		int32		a = s->part_start[p];
		int32		e = s->part_start[p + 1];

		if (s->part_kind[p] == CB_PART_SHELL || s->part_kind[p] == CB_PART_HOLE)
		{
			if (e - a < 4)
				return "a polygon ring has fewer than 4 points";
			if (s->xy[2 * a] != s->xy[2 * (e - 1)] || s->xy[2 * a + 1] != s->xy[2 * (e - 1) + 1])
				return "a polygon ring is not closed";
		}
	}
	return NULL;
}

static GEOSContextHandle_t geos_handle = NULL;
static char geos_last_error[1024];

static void
geos_message(const char *fmt, ...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(geos_last_error, sizeof(geos_last_error), fmt, ap);
	va_end(ap);
}

/*
 * GEOS polls one process-wide interrupt callback in its long loops.  Ours
 * asks GEOS to stop when PostgreSQL has a cancel or termination pending,
 * after calling the callback registered before (PostGIS's), so that both
 * extensions' interrupts keep working in one backend.
 */
static GEOSInterruptCallback *geos_previous_interrupt = NULL;

static void
geos_interrupt(void)
{
	if (geos_previous_interrupt)
		geos_previous_interrupt();
	if (QueryCancelPending || ProcDiePending)
		GEOS_interruptRequest();
}

static GEOSContextHandle_t
geos_context(void)
{
	if (geos_handle == NULL)
	{
		geos_handle = GEOS_init_r();
		if (geos_handle == NULL)
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("could not initialise GEOS")));
		GEOSContext_setErrorHandler_r(geos_handle, geos_message);
		GEOSContext_setNoticeHandler_r(geos_handle, geos_message);
		geos_previous_interrupt = GEOS_interruptRegisterCallback(geos_interrupt);
	}
	return geos_handle;
}

/*
 * After a GEOS call that failed: an interrupted call is a cancel (57014),
 * not a geometry problem.  The GEOS objects are freed before this raises.
 */
static void
geos_check_interrupted(void)
{
	CHECK_FOR_INTERRUPTS();
	if (strstr(geos_last_error, "Interrupt") != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_QUERY_CANCELED),
				 errmsg("canceling statement due to user request")));
}

/*
 * Builds a GEOS multipolygon from the parsed shape's rings; NULL (with
 * everything built so far freed) when GEOS refuses a part.
 */
static GEOSGeometry *
shape_to_geos(GEOSContextHandle_t h, const CbShape *s)
{
	GEOSGeometry **polys = palloc(sizeof(GEOSGeometry *) * (s->nparts + 1));
	int			npolys = 0;
	GEOSGeometry *result;

	for (int32 p = 0; p < s->nparts;)
	{
		int32		q = p + 1;
		GEOSGeometry **rings;
		int			nrings = 0;
		GEOSGeometry *poly = NULL;

		while (q < s->nparts && s->part_kind[q] == CB_PART_HOLE)
			q++;
		rings = palloc(sizeof(GEOSGeometry *) * (q - p));
		for (int32 r = p; r < q; r++)
		{
			int32		a = s->part_start[r];
			int32		len = s->part_start[r + 1] - a;
			GEOSCoordSequence *seq = GEOSCoordSeq_create_r(h, (unsigned) len, 2);
			GEOSGeometry *ring = NULL;

			if (seq != NULL)
			{
				for (int32 k = 0; k < len; k++)
					GEOSCoordSeq_setXY_r(h, seq, (unsigned) k, s->xy[2 * (a + k)], s->xy[2 * (a + k) + 1]);
				ring = GEOSGeom_createLinearRing_r(h, seq);	/* takes seq, also on failure */
			}
			if (ring == NULL)
				break;
			rings[nrings++] = ring;
		}
		if (nrings == q - p)
			poly = GEOSGeom_createPolygon_r(h, rings[0], rings + 1, (unsigned) (nrings - 1));
		if (poly == NULL)
		{
			/* createPolygon takes ownership only when it succeeds */
			for (int i = 0; i < nrings; i++)
				GEOSGeom_destroy_r(h, rings[i]);
			for (int i = 0; i < npolys; i++)
				GEOSGeom_destroy_r(h, polys[i]);
			pfree(rings);
			pfree(polys);
			return NULL;
		}
		polys[npolys++] = poly;
		pfree(rings);
		p = q;
	}
	result = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys, (unsigned) npolys);
	if (result == NULL)
		for (int i = 0; i < npolys; i++)
			GEOSGeom_destroy_r(h, polys[i]);
	pfree(polys);
	return result;
}

const char *
cb_shape_validity_problem(const CbShape *s)
{
	GEOSContextHandle_t h;
	GEOSGeometry *g;
	char		valid;
	char	   *reason = NULL;

	if (!s->polygonal)
		return NULL;			/* points and lines: structure checks suffice */
	h = geos_context();
	geos_last_error[0] = '\0';
	g = shape_to_geos(h, s);
	if (g == NULL)
	{
		geos_check_interrupted();
		return pstrdup(geos_last_error[0] ? geos_last_error : "GEOS could not build the geometry");
	}
	valid = GEOSisValid_r(h, g);
	if (valid == 0)
	{
		char	   *why = GEOSisValidReason_r(h, g);

		reason = pstrdup(why ? why : "invalid");
		if (why)
			GEOSFree_r(h, why);
	}
	else if (valid == 2)
		reason = pstrdup(geos_last_error[0] ? geos_last_error : "GEOS validity check failed");
	GEOSGeom_destroy_r(h, g);
	if (valid == 2)
		geos_check_interrupted();
	return reason;
}

/* ---- centroid, following GEOS algorithm::Centroid ---- */

typedef struct CentroidSums
{
	bool		has_base;
	double		base_x,
				base_y;
	double		cg3x,
				cg3y,
				areasum2;
	double		line_x,
				line_y,
				total_length;
	double		pt_x,
				pt_y;
	int64		pt_count;
} CentroidSums;

static void
centroid_point(CentroidSums *cs, double x, double y)
{
	cs->pt_count++;
	cs->pt_x += x;
	cs->pt_y += y;
}

static void
centroid_segments(CentroidSums *cs, const double *xy, int32 n)
{
	double		line_len = 0.0;

	for (int32 i = 0; i + 1 < n; i++)
	{
		double		dx = xy[2 * i + 2] - xy[2 * i];
		double		dy = xy[2 * i + 3] - xy[2 * i + 1];
		double		seg = sqrt(dx * dx + dy * dy);

		if (seg == 0.0)
			continue;
		line_len += seg;
		cs->line_x += seg * ((xy[2 * i] + xy[2 * i + 2]) / 2);
		cs->line_y += seg * ((xy[2 * i + 1] + xy[2 * i + 3]) / 2);
	}
	cs->total_length += line_len;
	if (line_len == 0.0 && n > 0)
		centroid_point(cs, xy[0], xy[1]);
}

static bool
ring_is_ccw(const double *xy, int32 n)
{
	double		area = 0.0;

	for (int32 i = 0; i + 1 < n; i++)
		area += xy[2 * i] * xy[2 * i + 3] - xy[2 * i + 2] * xy[2 * i + 1];
	return area > 0.0;
}

static void
centroid_ring(CentroidSums *cs, const double *xy, int32 n, bool shell)
{
	bool		positive;

	if (n == 0)
		return;
	if (shell && !cs->has_base)
	{
		cs->has_base = true;
		cs->base_x = xy[0];
		cs->base_y = xy[1];
	}
	/* shells count positive when clockwise, holes when counter-clockwise */
	positive = shell ? !ring_is_ccw(xy, n) : ring_is_ccw(xy, n);
	for (int32 i = 0; i + 1 < n; i++)
	{
		double		sign = positive ? 1.0 : -1.0;
		double		p0x = cs->base_x,
					p0y = cs->base_y;
		double		p1x = xy[2 * i],
					p1y = xy[2 * i + 1];
		double		p2x = xy[2 * i + 2],
					p2y = xy[2 * i + 3];
		double		a2 = (p1x - p0x) * (p2y - p0y) - (p2x - p0x) * (p1y - p0y);

		cs->cg3x += sign * a2 * (p0x + p1x + p2x);
		cs->cg3y += sign * a2 * (p0y + p1y + p2y);
		cs->areasum2 += sign * a2;
	}
	centroid_segments(cs, xy, n);
}

bool
cb_shape_centroid(const CbShape *s, double *cx, double *cy)
{
	CentroidSums cs;

	memset(&cs, 0, sizeof(cs));
	for (int32 p = 0; p < s->nparts; p++)
	{
		const double *xy = s->xy + 2 * s->part_start[p];
		int32		n = s->part_start[p + 1] - s->part_start[p];

		switch (s->part_kind[p])
		{
			case CB_PART_POINT:
				centroid_point(&cs, xy[0], xy[1]);
				break;
			case CB_PART_LINE:
				centroid_segments(&cs, xy, n);
				break;
			case CB_PART_SHELL:
				centroid_ring(&cs, xy, n, true);
				break;
			case CB_PART_HOLE:
				centroid_ring(&cs, xy, n, false);
				break;
		}
	}
	if (fabs(cs.areasum2) > 0.0)
	{
		*cx = cs.cg3x / 3 / cs.areasum2;
		*cy = cs.cg3y / 3 / cs.areasum2;
	}
	else if (cs.total_length > 0.0)
	{
		*cx = cs.line_x / cs.total_length;
		*cy = cs.line_y / cs.total_length;
	}
	else if (cs.pt_count > 0)
	{
		*cx = cs.pt_x / cs.pt_count;
		*cy = cs.pt_y / cs.pt_count;
	}
	else
		return false;
	return true;
}

/* ---- SRID: geographic or projected ---- */

typedef struct SridEntry
{
	int32		srid;
	bool		geographic;
} SridEntry;

static SridEntry srid_cache[64];
static int	srid_cache_len = 0;

bool
cb_srid_is_geographic(const CbGeomReader *reader, int32 srid)
{
	bool		geographic = false;
	char	   *query;
	Oid			gis;
	Oid			argtypes[1] = {INT4OID};
	Datum		args[1];

	if (srid <= 0)
		return false;
	for (int i = 0; i < srid_cache_len; i++)
		if (srid_cache[i].srid == srid)
			return srid_cache[i].geographic;

	/*
	 * The query runs with the caller's search_path: the table is qualified
	 * with the schema of extension postgis (the schema of type geometry if
	 * postgis is not an extension here) and the operator with pg_catalog.
	 */
	gis = cb_extension_schema("postgis");
	if (!OidIsValid(gis))
		gis = reader->postgis_namespace;
	query = psprintf("SELECT coalesce(proj4text, ''), coalesce(srtext, '') FROM %s.spatial_ref_sys"
					 " WHERE srid OPERATOR(pg_catalog.=) $1",
					 quote_identifier(get_namespace_name(gis)));
	args[0] = Int32GetDatum(srid);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args(query, 1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read spatial_ref_sys");
	if (SPI_processed > 0)
	{
		char	   *proj4 = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		char	   *srtext = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);

		geographic = (proj4 && (strstr(proj4, "+proj=longlat") || strstr(proj4, "+proj=latlong"))) ||
			(srtext && (strncmp(srtext, "GEOGCS", 6) == 0 || strncmp(srtext, "GEOGCRS", 7) == 0 ||
						strncmp(srtext, "GEOGRAPHICCRS", 13) == 0));
	}
	SPI_finish();

	if (srid_cache_len < (int) lengthof(srid_cache))
	{
		srid_cache[srid_cache_len].srid = srid;
		srid_cache[srid_cache_len].geographic = geographic;
		srid_cache_len++;
	}
	return geographic;
}
