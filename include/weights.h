/*
 * weights.h
 *    Spatial units collected from SQL rows (geometry or explicit neighbour
 *    lists) and the spatial weights built over them.
 */
#ifndef CB_WEIGHTS_H
#define CB_WEIGHTS_H

#include "postgres.h"

#include "utils/array.h"

#include "geom.h"
#include "kernels.h"
#include "options.h"

typedef enum CbWeightsKind
{
	CB_W_QUEEN,
	CB_W_ROOK,
	CB_W_KNN,
	CB_W_DISTANCE,
	CB_W_IDW
} CbWeightsKind;

/* What the weights options asked for (SPEC section 3). */
typedef struct CbWeightsSpec
{
	CbWeightsKind kind;
	int			k;				/* knn: neighbours per unit */
	double		threshold;		/* distance, idw: band in SRID units (metres when geographic) */
	bool		threshold_auto; /* smallest band giving every unit a neighbour */
	double		power;			/* idw: w = d^-power */
	char		style;			/* 'W' row-standardised, 'B' binary / raw */
	double		snap;			/* queen, rook: vertex tolerance in coordinate units */
	bool		validate;		/* OGC validity check of polygons (GEOS) */
	bool		drop_missing;	/* lists: drop links to ids outside the set, not an error */
} CbWeightsSpec;

/*
 * Largest spatial weight: weights are relative, and below this bound the
 * moments of the statistics (sums of squared weights) stay finite.
 */
#define CB_WEIGHT_MAX 1e100

/* Option keys understood by every function that builds weights. */
#define CB_WEIGHTS_OPTION_KEYS "weights", "k", "threshold", "power", "style", "snap", "validate", "missing"

/* Parses the weights keys; list_form rejects the geometry-only keys. */
extern void cb_weights_spec_parse(const CbOptions *opts, bool list_form, CbWeightsSpec *spec);

typedef enum CbUnitInput
{
	CB_UNITS_GEOMETRY,
	CB_UNITS_LISTS
} CbUnitInput;

/*
 * Units as collected from the rows of an aggregate or a window partition.
 * Rows with a NULL value (or geometry) are skipped and counted.  After
 * cb_units_finish the units are in canonical order (by id when the caller
 * gives ids, else by centroid), so results never depend on the order rows
 * arrive in; ties of k-nearest neighbours are broken by that order.
 */
typedef struct CbUnitSet
{
	const char *func;			/* SQL function name, for messages */
	CbUnitInput input;
	bool		need_vertices;	/* contiguity weights keep boundary vertices */
	bool		validate;
	bool		caller_ids;		/* geometry input carries the caller's ids (spatial_weights) */
	int32		n;
	int32		cap;
	int64		skipped;		/* rows left out for NULL value or geometry */
	double	   *value;
	bool		two_values;		/* statistics of two values per row (bivariate, rates): value2 is kept */
	double	   *value2;
	int64	   *id;				/* caller's id (lists) or 1-based row number */
	int64	   *row;			/* partition row position (window functions) */

	/* geometry input */
	CbGeomReader reader;
	bool		reader_ready;
	int32		srid;
	int64		srid_row;		/* first row that set the SRID */
	double	   *cx;				/* centroid, planar as ST_Centroid */
	double	   *cy;
	int64	   *vstart;			/* n + 1 offsets into vx, vy */
	double	   *vx;
	double	   *vy;
	int64		nv;
	int64		vcap;

	/* neighbour-list input */
	int32	   *nnb;
	int64	  **nb;
	double	  **nbw;			/* explicit weights or NULL */
	int64	   *null_ids;		/* ids of rows skipped for NULL value */
	int32		n_null_ids;
	int32		null_cap;
} CbUnitSet;

extern void cb_units_init(CbUnitSet *u, const char *func, CbUnitInput input);
/* id: the caller's id when caller_ids, else the 1-based row number. */
extern void cb_units_add_geometry(CbUnitSet *u, double value, Oid geom_type, Datum geom,
								  int64 id, int64 row_position);
extern void cb_units_add_lists(CbUnitSet *u, double value, int64 id, ArrayType *neighbors,
							   ArrayType *weights, int64 row_position);
/* The second value of the unit added last (two_values). */
extern void cb_units_set_value2(CbUnitSet *u, double value2);
/*
 * Reads one row's neighbour list and weights (NULL: binary) with the checks of
 * the list forms: same lengths, finite weights in [0, CB_WEIGHT_MAX], no self
 * link, no neighbour twice.  Returns the number of neighbours.
 */
extern int	cb_neighbour_row(const char *func, int64 id, ArrayType *neighbors, ArrayType *weights,
							 int64 **nb, double **w);
/* Position of id in ids sorted ascending, or -1. */
extern int32 cb_find_id(const int64 *ids, int32 n, int64 id);
extern void cb_units_skip(CbUnitSet *u, bool has_id, int64 id);
/* Sorts into canonical order and checks ids; call once, before building weights. */
extern void cb_units_finish(CbUnitSet *u, int32 min_units);
/* Builds weights for the finished set; star adds each unit to its own neighbourhood. */
extern CbCsr *cb_units_weights(CbUnitSet *u, const CbWeightsSpec *spec, bool star);
/* "row 12" or "id 12" for messages. */
extern const char *cb_unit_label(const CbUnitSet *u, int32 i);

#endif							/* CB_WEIGHTS_H */
