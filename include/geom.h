/*
 * geom.h
 *    Geometry input: PostGIS geometries read through their EWKB form,
 *    parsed into flat coordinate arrays, checked, and measured (centroid).
 */
#ifndef CB_GEOM_H
#define CB_GEOM_H

#include "postgres.h"

#include "fmgr.h"

/* WKB base types */
#define CB_WKB_POINT 1
#define CB_WKB_LINESTRING 2
#define CB_WKB_POLYGON 3
#define CB_WKB_MULTIPOINT 4
#define CB_WKB_MULTILINESTRING 5
#define CB_WKB_MULTIPOLYGON 6
#define CB_WKB_COLLECTION 7

/* One point set, line, or polygon ring of a parsed geometry. */
typedef enum CbPartKind
{
	CB_PART_POINT,
	CB_PART_LINE,
	CB_PART_SHELL,				/* exterior ring of a polygon */
	CB_PART_HOLE				/* interior ring */
} CbPartKind;

typedef struct CbShape
{
	int32		srid;
	int			type;			/* WKB base type of the whole geometry */
	bool		empty;
	bool		polygonal;		/* only polygons, at least one */
	int32		npoints;
	double	   *xy;				/* npoints (x, y) pairs in WKB order */
	int32		nparts;
	CbPartKind *part_kind;
	int32	   *part_start;		/* nparts + 1 offsets into the points */
} CbShape;

/*
 * Reads geometry Datums as EWKB through PostGIS's own ST_AsEWKB, located
 * in the schema of the geometry type, so no PostGIS internals are linked.
 */
typedef struct CbGeomReader
{
	Oid			geom_type;
	Oid			postgis_namespace;
	FmgrInfo	asewkb;
	const char *func;			/* SQL function, for messages */
} CbGeomReader;

/*
 * Largest coordinate magnitude read: squared differences stay finite.  The
 * bound is far beyond any SRID's extent.
 */
#define CB_COORD_MAX 1e150

extern void cb_geom_reader_init(CbGeomReader *reader, Oid geom_type, const char *func, MemoryContext mcxt);
/* Parses one geometry; allocations in CurrentMemoryContext. */
extern void cb_geom_read(CbGeomReader *reader, Datum geom, CbShape *shape);
extern const char *cb_geom_type_name(int wkb_type);

/* Planar centroid exactly as GEOS (and so PostGIS ST_Centroid) computes it. */
extern bool cb_shape_centroid(const CbShape *shape, double *cx, double *cy);
/* Structural checks: rings closed with at least 4 points. NULL if fine, else a reason. */
extern const char *cb_shape_structure_problem(const CbShape *shape);
/* OGC validity through GEOS; NULL if valid, else GEOS's reason (palloc'd). */
extern const char *cb_shape_validity_problem(const CbShape *shape);

/* True when the SRID's spatial_ref_sys entry is geographic (lon/lat). Cached. */
extern bool cb_srid_is_geographic(const CbGeomReader *reader, int32 srid);

#endif							/* CB_GEOM_H */
