/*
 * geostats.c
 *    Geometry statistics (SPEC section 9): the mean_center and std_ellipse
 *    aggregates (paper 004 eqs.2-4, weighted, on centroids) and the shift
 *    of a centre between years.
 *
 * Both aggregates share one float8[] state of weighted running moments,
 * so parallel and distributed plans merge partial states exactly.
 */
#include "carbonbudget.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "geom.h"
#include "geostats.h"
#include "options.h"

/* Layout of the aggregate state */
enum
{
	ST_ROWS,					/* points used */
	ST_WEIGHT,					/* sum of weights */
	ST_MX,
	ST_MY,
	ST_SXX,
	ST_SYY,
	ST_SXY,
	ST_SRID,					/* -1 until the first point */
	ST_SKIPPED,					/* rows with NULL or empty geometry, NULL or zero weight */
	ST_SCALE,					/* 1 (paper 004) or 2 (ArcGIS sqrt(2) convention) */
	ST_LEN
};

/* Vertices of the ellipse outline (one per degree) */
#define ELLIPSE_POINTS 360

static const char *const ellipse_keys[] = {"convention", NULL};
static const char *const conventions[] = {"paper", "arcgis", NULL};

/* Per-call cache: the geometry reader and PostGIS's EWKB constructor. */
typedef struct GeoCache
{
	CbGeomReader reader;
	FmgrInfo	from_ewkb;
} GeoCache;

static GeoCache *
geo_cache(FunctionCallInfo fcinfo, Oid geom_type, const char *func)
{
	GeoCache   *gc = fcinfo->flinfo->fn_extra;

	if (gc == NULL)
	{
		Oid			argtype = BYTEAOID;
		char	   *nspname;
		Oid			fn;

		gc = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(GeoCache));
		cb_geom_reader_init(&gc->reader, geom_type, func, fcinfo->flinfo->fn_mcxt);
		nspname = get_namespace_name(gc->reader.postgis_namespace);
		fn = LookupFuncName(list_make2(makeString(nspname), makeString("st_geomfromewkb")), 1, &argtype, true);
		if (!OidIsValid(fn))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_FUNCTION),
					 errmsg("PostGIS function %s.st_geomfromewkb(bytea) was not found", nspname)));
		fmgr_info_cxt(fn, &gc->from_ewkb, fcinfo->flinfo->fn_mcxt);
		fcinfo->flinfo->fn_extra = gc;
	}
	return gc;
}

/*
 * Type geometry: of argument argno, or (argno < 0, final functions) of the
 * result or of the result's first field, never looked up by name.
 */
static Oid
geometry_type(FunctionCallInfo fcinfo, int argno)
{
	Oid			t;
	TupleDesc	tupdesc;

	if (argno >= 0)
		t = cb_arg_type(fcinfo, argno);
	else if (get_call_result_type(fcinfo, &t, &tupdesc) == TYPEFUNC_COMPOSITE)
		t = TupleDescAttr(tupdesc, 0)->atttypid;
	if (!OidIsValid(t))
		elog(ERROR, "could not determine the geometry type");
	return t;
}

/* ---- EWKB output ---- */

static void
ewkb_header(StringInfo s, uint32 type, int32 srid)
{
#ifdef WORDS_BIGENDIAN
	appendStringInfoChar(s, 0);
#else
	appendStringInfoChar(s, 1);
#endif
	type |= 0x20000000;			/* SRID present */
	appendBinaryStringInfo(s, (char *) &type, 4);
	appendBinaryStringInfo(s, (char *) &srid, 4);
}

static Datum
ewkb_to_geometry(GeoCache *gc, StringInfo s)
{
	bytea	   *b = palloc(VARHDRSZ + s->len);

	SET_VARSIZE(b, VARHDRSZ + s->len);
	memcpy(VARDATA(b), s->data, s->len);
	return FunctionCall1(&gc->from_ewkb, PointerGetDatum(b));
}

static Datum
make_point(GeoCache *gc, double x, double y, int32 srid)
{
	StringInfoData s;

	initStringInfo(&s);
	ewkb_header(&s, CB_WKB_POINT, srid);
	appendBinaryStringInfo(&s, (char *) &x, 8);
	appendBinaryStringInfo(&s, (char *) &y, 8);
	return ewkb_to_geometry(gc, &s);
}

static Datum
make_polygon(GeoCache *gc, const double *xy, uint32 npoints, int32 srid)
{
	StringInfoData s;
	uint32		rings = 1;

	initStringInfo(&s);
	ewkb_header(&s, CB_WKB_POLYGON, srid);
	appendBinaryStringInfo(&s, (char *) &rings, 4);
	appendBinaryStringInfo(&s, (char *) &npoints, 4);
	appendBinaryStringInfo(&s, (char *) xy, 16 * npoints);
	return ewkb_to_geometry(gc, &s);
}

/* ---- state ---- */

/* The state's elements, checked: a state may come from SQL. */
static double *
state_values(ArrayType *a, const char *func)
{
	double	   *st = cb_state_float8(a, func, ST_LEN, ST_LEN, true, NULL);

	cb_state_count(st[ST_ROWS], CB_STATE_MAX_ROWS, func, "row count");
	cb_state_count(st[ST_SKIPPED], CB_STATE_MAX_ROWS, func, "skipped row count");
	if (!(st[ST_WEIGHT] >= 0 && st[ST_SXX] >= 0 && st[ST_SYY] >= 0 &&
		  (st[ST_SRID] == -1 || cb_state_count(st[ST_SRID], PG_INT32_MAX, func, "SRID") >= 0) &&
		  (st[ST_SCALE] == 0 || st[ST_SCALE] == 1 || st[ST_SCALE] == 2)))
		cb_state_invalid(func, "A field of the state is out of range.");
	return st;
}

/* The state to update: in place inside an aggregate, else a copy. */
static ArrayType *
state_for_update(FunctionCallInfo fcinfo, const char *func)
{
	ArrayType  *a;

	if (PG_ARGISNULL(0))
		cb_state_invalid(func, "The state is NULL.");
	a = PG_GETARG_ARRAYTYPE_P(0);
	if (!AggCheckCallContext(fcinfo, NULL))
		a = DatumGetArrayTypePCopy(PointerGetDatum(a));
	(void) state_values(a, func);
	return a;
}

static void
state_to_moments(const double *st, CbMoments *m)
{
	m->weight = st[ST_WEIGHT];
	m->mx = st[ST_MX];
	m->my = st[ST_MY];
	m->sxx = st[ST_SXX];
	m->syy = st[ST_SYY];
	m->sxy = st[ST_SXY];
}

/*
 * Weighted sums beyond the float8 range (weights or coordinates near its
 * limit) are an error: the centre and axes would be NaN or wrong.
 */
static void
moments_to_state(const CbMoments *m, double *st, const char *func)
{
	if (!(isfinite(m->weight) && isfinite(m->mx) && isfinite(m->my) &&
		  isfinite(m->sxx) && isfinite(m->syy) && isfinite(m->sxy)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: the weighted sums of the points overflow", func),
				 errhint("Divide the weights by a constant (the result does not depend on their scale).")));
	st[ST_WEIGHT] = m->weight;
	st[ST_MX] = m->mx;
	st[ST_MY] = m->my;
	st[ST_SXX] = m->sxx;
	st[ST_SYY] = m->syy;
	st[ST_SXY] = m->sxy;
}

static void
check_same_srid(double have, int32 srid, const char *func)
{
	if (have >= 0 && (int32) have != srid)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: geom has mixed SRIDs", func),
				 errdetail("SRID %d and SRID %d.", (int32) have, srid),
				 errhint("Transform all geometries to one SRID with ST_Transform.")));
}

/*
 * Transition: adds the centroid of geom with the weight.  NULL or empty
 * geometries and NULL or zero weights are skipped and counted.
 */
static Datum
geo_moments_step(FunctionCallInfo fcinfo, const char *func)
{
	ArrayType  *a = state_for_update(fcinfo, func);
	double	   *st = (double *) ARR_DATA_PTR(a);
	GeoCache   *gc;
	CbShape		shape;
	CbMoments	m;
	double		w,
				cx,
				cy;

	if (PG_NARGS() > 3 && !PG_ARGISNULL(3) && st[ST_SCALE] == 0)
	{
		CbOptions	opts;

		cb_options_parse(&opts, func, text_to_cstring(PG_GETARG_TEXT_PP(3)), ellipse_keys);
		st[ST_SCALE] = cb_opt_choice(&opts, "convention", conventions, 0) == 1 ? 2.0 : 1.0;
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		st[ST_SKIPPED] += 1;
		PG_RETURN_ARRAYTYPE_P(a);
	}
	w = PG_GETARG_FLOAT8(2);
	cb_check_finite(w, func, "weight", "row", (int64) (st[ST_ROWS] + st[ST_SKIPPED] + 1));
	if (w < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: weight must not be negative", func),
				 errdetail("Weight %g.", w)));
	gc = geo_cache(fcinfo, geometry_type(fcinfo, 1), func);
	cb_geom_read(&gc->reader, PG_GETARG_DATUM(1), &shape);
	if (w == 0 || shape.empty || !cb_shape_centroid(&shape, &cx, &cy))
	{
		st[ST_SKIPPED] += 1;
		PG_RETURN_ARRAYTYPE_P(a);
	}
	check_same_srid(st[ST_SRID], shape.srid, func);
	st[ST_SRID] = shape.srid;
	state_to_moments(st, &m);
	cb_moments_add(&m, cx, cy, w);
	moments_to_state(&m, st, func);
	st[ST_ROWS] += 1;
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(cb_mean_center_step);
Datum
cb_mean_center_step(PG_FUNCTION_ARGS)
{
	return geo_moments_step(fcinfo, "mean_center");
}

PG_FUNCTION_INFO_V1(cb_std_ellipse_step);
Datum
cb_std_ellipse_step(PG_FUNCTION_ARGS)
{
	return geo_moments_step(fcinfo, "std_ellipse");
}

/* Combine: merges two partial states (parallel workers, Citus shards). */
PG_FUNCTION_INFO_V1(cb_geo_moments_combine);
Datum
cb_geo_moments_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = state_for_update(fcinfo, "mean_center");
	double	   *st = (double *) ARR_DATA_PTR(a);
	double	   *other = state_values(PG_GETARG_ARRAYTYPE_P(1), "mean_center");
	CbMoments	m,
				mo;

	if (other[ST_SRID] >= 0)
	{
		check_same_srid(st[ST_SRID], (int32) other[ST_SRID], "mean_center");
		st[ST_SRID] = other[ST_SRID];
	}
	state_to_moments(st, &m);
	state_to_moments(other, &mo);
	cb_moments_merge(&m, &mo);
	moments_to_state(&m, st, "mean_center");
	st[ST_ROWS] += other[ST_ROWS];
	st[ST_SKIPPED] += other[ST_SKIPPED];
	if (st[ST_SCALE] == 0)
		st[ST_SCALE] = other[ST_SCALE];
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(cb_mean_center_final);
Datum
cb_mean_center_final(PG_FUNCTION_ARGS)
{
	double	   *st = state_values(PG_GETARG_ARRAYTYPE_P(0), "mean_center");

	if (st[ST_ROWS] < 1 || !(st[ST_WEIGHT] > 0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(make_point(geo_cache(fcinfo, geometry_type(fcinfo, -1), "mean_center"),
							   st[ST_MX], st[ST_MY], (int32) st[ST_SRID]));
}

/*
 * (center, sigma_x, sigma_y, rotation_deg, ellipse); NULL for fewer than
 * two points.  The ellipse is NULL when it has no area (collinear points).
 */
PG_FUNCTION_INFO_V1(cb_std_ellipse_final);
Datum
cb_std_ellipse_final(PG_FUNCTION_ARGS)
{
	double	   *st = state_values(PG_GETARG_ARRAYTYPE_P(0), "std_ellipse");
	GeoCache   *gc;
	CbMoments	m;
	CbEllipse	e;
	Datum		values[5];
	bool		nulls[5] = {false};
	int32		srid = (int32) st[ST_SRID];

	if (st[ST_ROWS] < 2 || !(st[ST_WEIGHT] > 0))
		PG_RETURN_NULL();
	gc = geo_cache(fcinfo, geometry_type(fcinfo, -1), "std_ellipse");
	state_to_moments(st, &m);
	cb_std_ellipse(&m, st[ST_SCALE] > 0 ? st[ST_SCALE] : 1.0, &e);
	values[0] = make_point(gc, m.mx, m.my, srid);
	values[1] = Float8GetDatum(e.sigma_x);
	values[2] = Float8GetDatum(e.sigma_y);
	values[3] = Float8GetDatum(e.rotation_deg);
	if (e.sigma_x > 0 && e.sigma_y > 0)
	{
		double	   *xy = palloc(sizeof(double) * 2 * (ELLIPSE_POINTS + 1));

		cb_ellipse_ring(m.mx, m.my, &e, ELLIPSE_POINTS, xy);
		values[4] = make_polygon(gc, xy, ELLIPSE_POINTS + 1, srid);
	}
	else
		nulls[4] = true;
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}

/* ---- centre shift ---- */

/* Initial bearing (degrees clockwise from north) of the great circle from 1 to 2. */
static double
geodesic_bearing_deg(double lon1, double lat1, double lon2, double lat2)
{
	double		p1 = lat1 * M_PI / 180,
				p2 = lat2 * M_PI / 180,
				dl = (lon2 - lon1) * M_PI / 180;
	double		b = atan2(sin(dl) * cos(p2), cos(p1) * sin(p2) - sin(p1) * cos(p2) * cos(dl));

	return b * 180 / M_PI;
}

/*
 * (distance, bearing_deg) from the centroid of from_geom to that of
 * to_geom: planar in SRID units, or metres on the ellipsoid (Andoyer) and
 * the initial great-circle bearing for geographic SRIDs.  Bearings are
 * clockwise from north in [0, 360); NULL when the centres coincide.
 */
PG_FUNCTION_INFO_V1(cb_center_shift);
Datum
cb_center_shift(PG_FUNCTION_ARGS)
{
	GeoCache   *gc = geo_cache(fcinfo, geometry_type(fcinfo, 0), "center_shift");
	CbShape		a,
				b;
	double		ax,
				ay,
				bx,
				by,
				dist,
				bearing;
	Datum		values[2];
	bool		nulls[2] = {false};

	cb_geom_read(&gc->reader, PG_GETARG_DATUM(0), &a);
	cb_geom_read(&gc->reader, PG_GETARG_DATUM(1), &b);
	if (a.empty || b.empty || !cb_shape_centroid(&a, &ax, &ay) || !cb_shape_centroid(&b, &bx, &by))
		PG_RETURN_NULL();
	check_same_srid(a.srid, b.srid, "center_shift");
	if (cb_srid_is_geographic(&gc->reader, a.srid))
	{
		dist = cb_gcdist_m(ax, ay, bx, by);
		bearing = geodesic_bearing_deg(ax, ay, bx, by);
	}
	else
	{
		dist = hypot(bx - ax, by - ay);
		bearing = atan2(bx - ax, by - ay) * 180 / M_PI;
	}
	if (bearing < 0)
		bearing += 360;
	values[0] = Float8GetDatum(dist);
	values[1] = Float8GetDatum(bearing);
	if (dist == 0)
		nulls[1] = true;
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}
