/*
 * weights.c
 *    Spatial weights (SPEC section 3): units collected from SQL rows,
 *    contiguity, k-nearest-neighbour, distance-band and inverse-distance
 *    weights, and the spatial_weights() set-returning function.
 */
#include "carbonbudget.h"

#include <float.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "weights.h"

/* spdep poly2nb's default: sqrt(.Machine$double.eps) */
#define CB_DEFAULT_SNAP 1.4901161193847656e-08

/* ---- options ---- */

void
cb_weights_spec_parse(const CbOptions *opts, bool list_form, CbWeightsSpec *spec)
{
	static const char *const kinds[] = {"queen", "rook", "knn", "distance", "idw", NULL};
	static const char *const styles[] = {"W", "B", NULL};
	static const char *const missing[] = {"error", "drop", NULL};
	const char *threshold;

	memset(spec, 0, sizeof(*spec));
	spec->style = cb_opt_choice(opts, "style", styles, 0) == 0 ? 'W' : 'B';
	if (list_form)
	{
		const char *why = "Neighbour lists already define the weights; only style applies.";

		cb_opt_forbid(opts, "weights", why);
		cb_opt_forbid(opts, "k", why);
		cb_opt_forbid(opts, "threshold", why);
		cb_opt_forbid(opts, "power", why);
		cb_opt_forbid(opts, "snap", why);
		cb_opt_forbid(opts, "validate", why);
		spec->drop_missing = cb_opt_choice(opts, "missing", missing, 0) == 1;
		return;
	}
	cb_opt_forbid(opts, "missing", "Option missing applies to neighbour lists.");
	spec->kind = (CbWeightsKind) cb_opt_choice(opts, "weights", kinds, CB_W_QUEEN);
	if (spec->kind != CB_W_KNN)
		cb_opt_forbid(opts, "k", "Option k applies to weights=knn.");
	if (spec->kind != CB_W_DISTANCE && spec->kind != CB_W_IDW)
		cb_opt_forbid(opts, "threshold", "Option threshold applies to weights=distance and weights=idw.");
	if (spec->kind != CB_W_IDW)
		cb_opt_forbid(opts, "power", "Option power applies to weights=idw.");
	if (spec->kind != CB_W_QUEEN && spec->kind != CB_W_ROOK)
		cb_opt_forbid(opts, "snap", "Option snap applies to weights=queen and weights=rook.");

	spec->k = (int) cb_opt_int(opts, "k", 6, 1, 100000);
	spec->power = cb_opt_float(opts, "power", 1.0, 0.0, 100.0, true);
	spec->snap = cb_opt_float(opts, "snap", CB_DEFAULT_SNAP, 0.0, INFINITY, false);
	spec->validate = cb_opt_bool(opts, "validate", true);
	threshold = cb_opt_text(opts, "threshold");
	if (threshold == NULL || pg_strcasecmp(threshold, "auto") == 0)
		spec->threshold_auto = true;
	else
		spec->threshold = cb_opt_float(opts, "threshold", 0.0, 0.0, INFINITY, true);
}

/* ---- unit collection ---- */

void
cb_units_init(CbUnitSet *u, const char *func, CbUnitInput input)
{
	memset(u, 0, sizeof(*u));
	u->func = func;
	u->input = input;
	u->validate = true;
}

const char *
cb_unit_label(const CbUnitSet *u, int32 i)
{
	bool		is_id = u->input == CB_UNITS_LISTS || u->caller_ids;

	return psprintf("%s " INT64_FORMAT, is_id ? "id" : "row", u->id[i]);
}

static void
units_grow(CbUnitSet *u)
{
	int32		cap;

	if (u->n < u->cap)
		return;
	cap = u->cap ? u->cap * 2 : 256;
	if ((Size) cap > MaxAllocHugeSize / sizeof(double) / 2)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						errmsg("%s: too many rows", u->func)));
#define GROW(field, type) \
	u->field = u->field ? repalloc_huge(u->field, sizeof(type) * cap) \
						: palloc_extended(sizeof(type) * cap, MCXT_ALLOC_HUGE)
	GROW(value, double);
	if (u->two_values)
		GROW(value2, double);
	GROW(id, int64);
	GROW(row, int64);
	if (u->input == CB_UNITS_GEOMETRY)
	{
		GROW(cx, double);
		GROW(cy, double);
		GROW(vstart, int64);
	}
	else
	{
		GROW(nnb, int32);
		GROW(nb, int64 *);
		GROW(nbw, double *);
	}
#undef GROW
	u->cap = cap;
}

static void
units_add_vertices(CbUnitSet *u, const CbShape *shape)
{
	/* spdep poly2nb drops the first coordinate of each unit (sf's x[-1, ]) */
	int64		count = shape->npoints - 1;

	if (u->nv + count > u->vcap)
	{
		int64		cap = u->vcap ? u->vcap : 1024;

		while (u->nv + count > cap)
			cap *= 2;
		u->vx = u->vx ? repalloc_huge(u->vx, sizeof(double) * cap) : palloc_extended(sizeof(double) * cap, MCXT_ALLOC_HUGE);
		u->vy = u->vy ? repalloc_huge(u->vy, sizeof(double) * cap) : palloc_extended(sizeof(double) * cap, MCXT_ALLOC_HUGE);
		u->vcap = cap;
	}
	for (int32 k = 1; k < shape->npoints; k++)
	{
		u->vx[u->nv] = shape->xy[2 * k];
		u->vy[u->nv] = shape->xy[2 * k + 1];
		u->nv++;
	}
}

void
cb_units_add_geometry(CbUnitSet *u, double value, Oid geom_type, Datum geom,
					  int64 id, int64 row_position)
{
	MemoryContext home = CurrentMemoryContext;
	MemoryContext scratch;
	const char *label;
	const char *problem;
	CbShape		shape;
	double		cx = 0.0,
				cy = 0.0;

	const char *kind = u->caller_ids ? "id" : "row";

	cb_check_finite(value, u->func, "value", kind, id);
	if (!u->reader_ready)
	{
		cb_geom_reader_init(&u->reader, geom_type, u->func, home);
		u->reader_ready = true;
	}
	/* parse in a scratch context: only centroid and vertices are kept */
	scratch = cb_work_context("carbonbudget geometry");
	MemoryContextSwitchTo(scratch);
	label = psprintf("%s " INT64_FORMAT, kind, id);
	cb_geom_read(&u->reader, geom, &shape);

	if (shape.empty)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: geometry at %s is empty", u->func, label),
				 errhint("Leave out empty geometries, e.g. WHERE NOT ST_IsEmpty(geom).")));
	if (u->n == 0 && u->srid_row == 0)
	{
		u->srid = shape.srid;
		u->srid_row = id;
	}
	else if (shape.srid != u->srid)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: geometries have mixed SRIDs", u->func),
				 errdetail("%s " INT64_FORMAT " has SRID %d but %s has SRID %d.",
						   u->caller_ids ? "Id" : "Row", u->srid_row, u->srid, label, shape.srid),
				 errhint("Transform all geometries to one SRID with ST_Transform.")));
	if ((problem = cb_shape_structure_problem(&shape)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: invalid geometry at %s", u->func, label),
				 errdetail("In the geometry, %s.", problem)));
	if (u->need_vertices && !shape.polygonal)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: contiguity weights need polygons, but the geometry at %s is a %s",
						u->func, label, cb_geom_type_name(shape.type)),
				 errhint("Use weights=knn, weights=distance or weights=idw for points and lines.")));
	if (u->validate && (problem = cb_shape_validity_problem(&shape)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: invalid geometry at %s", u->func, label),
				 errdetail("GEOS reports: %s.", problem),
				 errhint("Repair it with ST_MakeValid, or pass validate=false to skip the check.")));
	if (!cb_shape_centroid(&shape, &cx, &cy))
		elog(ERROR, "no centroid for a non-empty geometry, please report a bug");

	MemoryContextSwitchTo(home);
	units_grow(u);
	u->value[u->n] = value;
	u->id[u->n] = id;
	u->row[u->n] = row_position;
	u->cx[u->n] = cx;
	u->cy[u->n] = cy;
	u->vstart[u->n] = u->nv;
	if (u->need_vertices)
		units_add_vertices(u, &shape);
	u->n++;
	MemoryContextDelete(scratch);
}

/* A unit may not list itself, nor a neighbour twice (checked on a sorted copy: lists may be long). */
static void
check_neighbour_list(const char *func, int64 id, const int64 *nb, int count)
{
	int64	   *sorted = palloc(sizeof(int64) * Max(count, 1));

	memcpy(sorted, nb, sizeof(int64) * count);
	qsort(sorted, count, sizeof(int64), cb_cmp_int64);
	for (int k = 0; k < count; k++)
	{
		if (sorted[k] == id)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: id " INT64_FORMAT " lists itself as a neighbour", func, id),
					 errhint("Leave the unit itself out of its neighbour list; Gi* adds it with star=true.")));
		if (k > 0 && sorted[k] == sorted[k - 1])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: id " INT64_FORMAT " lists neighbour " INT64_FORMAT " twice", func, id, sorted[k])));
	}
	pfree(sorted);
}

int
cb_neighbour_row(const char *func, int64 id, ArrayType *neighbors, ArrayType *weights, int64 **nb, double **w)
{
	int			count = cb_int8_array(neighbors, func, "neighbors", nb);

	*w = NULL;
	if (weights)
	{
		int			wcount = cb_float8_array(weights, func, "weights", w);

		if (wcount != count)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("%s: weights and neighbors differ in length at id " INT64_FORMAT, func, id),
					 errdetail("neighbors has %d elements, weights has %d.", count, wcount)));
		for (int k = 0; k < count; k++)
		{
			cb_check_finite((*w)[k], func, "weights", "id", id);
			if (!((*w)[k] >= 0 && (*w)[k] <= CB_WEIGHT_MAX))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: weights must be between 0 and %g", func, CB_WEIGHT_MAX),
						 errdetail("id " INT64_FORMAT " has weight %g for neighbour " INT64_FORMAT ".", id, (*w)[k],
								   (*nb)[k]),
						 errhint("Spatial weights are relative: divide them by a constant.")));
		}
	}
	check_neighbour_list(func, id, *nb, count);
	return count;
}

void
cb_units_add_lists(CbUnitSet *u, double value, int64 id, ArrayType *neighbors,
				   ArrayType *weights, int64 row_position)
{
	int64	   *nb;
	double	   *w;
	int			count;

	cb_check_finite(value, u->func, "value", "id", id);
	count = cb_neighbour_row(u->func, id, neighbors, weights, &nb, &w);
	units_grow(u);
	u->value[u->n] = value;
	u->id[u->n] = id;
	u->row[u->n] = row_position;
	u->nnb[u->n] = count;
	u->nb[u->n] = nb;
	u->nbw[u->n] = w;
	u->n++;
}

void
cb_units_set_value2(CbUnitSet *u, double value2)
{
	Assert(u->two_values && u->n > 0);
	u->value2[u->n - 1] = value2;
}

void
cb_units_skip(CbUnitSet *u, bool has_id, int64 id)
{
	u->skipped++;
	if (!has_id)
		return;
	/* remembered so that links to this unit are dropped, not reported unknown */
	if (u->n_null_ids == u->null_cap)
	{
		u->null_cap = u->null_cap ? u->null_cap * 2 : 16;
		u->null_ids = u->null_ids ? repalloc_huge(u->null_ids, sizeof(int64) * u->null_cap)
			: palloc(sizeof(int64) * u->null_cap);
	}
	u->null_ids[u->n_null_ids++] = id;
}

/* ---- canonical order ---- */

static const CbUnitSet *sort_units;

static int
cmp_unit(const void *a, const void *b)
{
	int32		i = *(const int32 *) a;
	int32		j = *(const int32 *) b;
	const CbUnitSet *u = sort_units;

	if (u->input == CB_UNITS_GEOMETRY && !u->caller_ids)
	{
		if (u->cx[i] != u->cx[j])
			return u->cx[i] < u->cx[j] ? -1 : 1;
		if (u->cy[i] != u->cy[j])
			return u->cy[i] < u->cy[j] ? -1 : 1;
		if (u->value[i] != u->value[j])
			return u->value[i] < u->value[j] ? -1 : 1;
		if (u->two_values && u->value2[i] != u->value2[j])
			return u->value2[i] < u->value2[j] ? -1 : 1;
	}
	if (u->id[i] != u->id[j])
		return u->id[i] < u->id[j] ? -1 : 1;
	return (i > j) - (i < j);
}

#define PERMUTE(field, type) \
	do { \
		type *copy_ = palloc_extended(sizeof(type) * (n > 0 ? n : 1), MCXT_ALLOC_HUGE); \
		for (int32 i_ = 0; i_ < n; i_++) copy_[i_] = u->field[order[i_]]; \
		pfree(u->field); u->field = copy_; \
	} while (0)

void
cb_units_finish(CbUnitSet *u, int32 min_units)
{
	int32		n = u->n;
	int32	   *order;

	if (n < min_units)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s needs at least %d rows with non-NULL values, got %d", u->func, min_units, n),
				 u->skipped ? errdetail(INT64_FORMAT " rows were skipped for NULL values.", u->skipped) : 0));

	order = palloc_extended(sizeof(int32) * n, MCXT_ALLOC_HUGE);
	for (int32 i = 0; i < n; i++)
		order[i] = i;
	sort_units = u;
	qsort(order, n, sizeof(int32), cmp_unit);
	sort_units = NULL;

	PERMUTE(value, double);
	if (u->two_values)
		PERMUTE(value2, double);
	PERMUTE(id, int64);
	PERMUTE(row, int64);
	if (u->input == CB_UNITS_GEOMETRY)
	{
		int64	   *vstart = palloc_extended(sizeof(int64) * (n + 1), MCXT_ALLOC_HUGE);
		double	   *vx = NULL,
				   *vy = NULL;
		int64		p = 0;

		u->vstart[n] = u->nv;
		if (u->need_vertices)
		{
			vx = palloc_extended(sizeof(double) * (u->nv > 0 ? u->nv : 1), MCXT_ALLOC_HUGE);
			vy = palloc_extended(sizeof(double) * (u->nv > 0 ? u->nv : 1), MCXT_ALLOC_HUGE);
		}
		for (int32 i = 0; i < n; i++)
		{
			int32		o = order[i];

			vstart[i] = p;
			if (u->need_vertices)
				for (int64 v = u->vstart[o]; v < u->vstart[o + 1]; v++, p++)
				{
					vx[p] = u->vx[v];
					vy[p] = u->vy[v];
				}
		}
		vstart[n] = p;
		u->vstart = vstart;
		if (u->need_vertices)
		{
			u->vx = vx;
			u->vy = vy;
		}
		PERMUTE(cx, double);
		PERMUTE(cy, double);
	}
	else
	{
		PERMUTE(nnb, int32);
		PERMUTE(nb, int64 *);
		PERMUTE(nbw, double *);
		if (u->n_null_ids > 1)
			qsort(u->null_ids, u->n_null_ids, sizeof(int64), cb_cmp_int64);
	}
	pfree(order);
	if (u->input == CB_UNITS_LISTS || u->caller_ids)
		for (int32 i = 1; i < n; i++)
			if (u->id[i] == u->id[i - 1])
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: duplicate id " INT64_FORMAT, u->func, u->id[i]),
						 errhint("Each unit needs a unique id.")));
}

/* ---- building weights ---- */

/* Growable (row, col, weight) triples. */
typedef struct Links
{
	int32	   *row;
	int32	   *col;
	double	   *w;
	int64		len;
	int64		cap;
	const char *func;
} Links;

static void
links_push(Links *l, int32 i, int32 j, double w)
{
	if (l->len == l->cap)
	{
		int64		cap = l->cap ? l->cap * 2 : 1024;

		if (cap > (int64) INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("%s: the spatial weights have more than 2^31 links", l->func),
					 errhint("Use a smaller threshold or k.")));
		l->row = l->row ? repalloc_huge(l->row, sizeof(int32) * cap) : palloc_extended(sizeof(int32) * cap, MCXT_ALLOC_HUGE);
		l->col = l->col ? repalloc_huge(l->col, sizeof(int32) * cap) : palloc_extended(sizeof(int32) * cap, MCXT_ALLOC_HUGE);
		l->w = l->w ? repalloc_huge(l->w, sizeof(double) * cap) : palloc_extended(sizeof(double) * cap, MCXT_ALLOC_HUGE);
		l->cap = cap;
	}
	l->row[l->len] = i;
	l->col[l->len] = j;
	l->w[l->len] = w;
	l->len++;
}

int32
cb_find_id(const int64 *ids, int32 n, int64 id)
{
	int32		lo = 0,
				hi = n - 1;

	while (lo <= hi)
	{
		int32		mid = lo + (hi - lo) / 2;

		if (ids[mid] == id)
			return mid;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/*
 * Links to ids that are not in the set are an error (a typo or a stale
 * list), unless the unit was skipped for a NULL value or drop_missing asks
 * to subset the lists to the set, as spdep subset.nb does (e.g. national
 * lists with WHERE or GROUP BY province).
 */
static CbCsr *
weights_from_lists(CbUnitSet *u, bool drop_missing)
{
	Links		l = {0};

	l.func = u->func;
	for (int32 i = 0; i < u->n; i++)
	{
		for (int32 k = 0; k < u->nnb[i]; k++)
		{
			int64		nid = u->nb[i][k];
			int32		j = cb_find_id(u->id, u->n, nid);

			if (j < 0)
			{
				if (drop_missing || cb_find_id(u->null_ids, u->n_null_ids, nid) >= 0)
					continue;
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: neighbour " INT64_FORMAT " of id " INT64_FORMAT " does not exist",
								u->func, nid, u->id[i]),
						 errhint("Every id in neighbors must be the id of a row in the same set; "
								 "option missing=drop drops links to other ids.")));
			}
			links_push(&l, i, j, u->nbw[i] ? u->nbw[i][k] : 1.0);
		}
	}
	return cb_csr_from_pairs(u->n, l.len, l.row, l.col, l.w);
}

/* Distances between centroids: planar, or Andoyer great circle in metres. */
typedef struct Metric
{
	bool		geographic;
	double	   *pts;			/* 2-D planar or 3-D unit vectors */
	int			dim;
	CbKdTree   *tree;
	const double *cx;
	const double *cy;
} Metric;

#define CB_EARTH_MINOR_M 6356752.314245
/* Andoyer distances exceed the spherical distance on the minor radius by well under 1% */
#define CB_GEO_SLACK 1.01

static void
metric_init(Metric *m, const CbUnitSet *u, bool geographic)
{
	m->geographic = geographic;
	m->dim = geographic ? 3 : 2;
	m->cx = u->cx;
	m->cy = u->cy;
	m->pts = palloc_extended(sizeof(double) * m->dim * (u->n > 0 ? u->n : 1), MCXT_ALLOC_HUGE);
	for (int32 i = 0; i < u->n; i++)
	{
		if (geographic)
		{
			double		lon = u->cx[i] * M_PI / 180.0;
			double		lat = u->cy[i] * M_PI / 180.0;

			m->pts[3 * i] = cos(lat) * cos(lon);
			m->pts[3 * i + 1] = cos(lat) * sin(lon);
			m->pts[3 * i + 2] = sin(lat);
		}
		else
		{
			m->pts[2 * i] = u->cx[i];
			m->pts[2 * i + 1] = u->cy[i];
		}
	}
	m->tree = cb_kdtree_build(u->n, m->dim, m->pts);
}

static inline double
metric_dist(const Metric *m, int32 i, int32 j)
{
	if (m->geographic)
		return cb_gcdist_m(m->cx[i], m->cy[i], m->cx[j], m->cy[j]);
	return hypot(m->cx[i] - m->cx[j], m->cy[i] - m->cy[j]);
}

/* Squared search radius in tree space that surely covers distance d. */
static inline double
metric_search_r2(const Metric *m, double d)
{
	if (m->geographic)
	{
		double		angle = fmin(M_PI, d * CB_GEO_SLACK / CB_EARTH_MINOR_M);
		double		chord = 2.0 * sin(angle / 2.0);

		return chord * chord * (1.0 + 1e-9);
	}
	return d * d * (1.0 + 1e-12) + DBL_MIN;
}

typedef struct Candidate
{
	double		d;
	int32		j;
} Candidate;

static int
cmp_candidate(const void *a, const void *b)
{
	const Candidate *x = a;
	const Candidate *y = b;

	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return (x->j > y->j) - (x->j < y->j);
}

/*
 * The k nearest units of i by exact distance, ties broken by canonical
 * index (id order for neighbour lists).  The tree finds k candidates, then
 * a radius search at the k-th exact distance collects every tie.
 */
static int
nearest_units(const Metric *m, int32 n, int32 i, int k, Candidate **cand, int64 *cand_cap,
			  int32 **idx, int64 *idx_cap)
{
	int32	   *kidx = palloc(sizeof(int32) * k);
	double	   *kd2 = palloc(sizeof(double) * k);
	int			found = cb_kdtree_knn(m->tree, m->pts + (size_t) m->dim * i, k, i, kidx, kd2);
	double		dk = 0.0;
	int64		count;

	for (int t = 0; t < found; t++)
		dk = fmax(dk, metric_dist(m, i, kidx[t]));
	pfree(kidx);
	pfree(kd2);
	count = cb_kdtree_radius(m->tree, m->pts + (size_t) m->dim * i, metric_search_r2(m, dk), i, idx, idx_cap);
	if (count > *cand_cap)
	{
		*cand_cap = count * 2;
		*cand = *cand ? repalloc_huge(*cand, sizeof(Candidate) * *cand_cap)
			: palloc_extended(sizeof(Candidate) * *cand_cap, MCXT_ALLOC_HUGE);
	}
	for (int64 t = 0; t < count; t++)
	{
		(*cand)[t].j = (*idx)[t];
		(*cand)[t].d = metric_dist(m, i, (*idx)[t]);
	}
	qsort(*cand, count, sizeof(Candidate), cmp_candidate);
	(void) n;
	return (int) Min(count, (int64) k);
}

static CbCsr *
weights_knn(CbUnitSet *u, const Metric *m, int k)
{
	Links		l = {0};
	Candidate  *cand = NULL;
	int64		cand_cap = 0;
	int32	   *idx = NULL;
	int64		idx_cap = 0;

	l.func = u->func;
	if (k >= u->n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: option \"k\" must be smaller than the number of units", u->func),
				 errdetail("k is %d and there are %d units.", k, u->n)));
	for (int32 i = 0; i < u->n; i++)
	{
		int			got = nearest_units(m, u->n, i, k, &cand, &cand_cap, &idx, &idx_cap);

		for (int t = 0; t < got; t++)
			links_push(&l, i, cand[t].j, 1.0);
		if ((i & 1023) == 0)
		{
			CHECK_FOR_INTERRUPTS();
			cb_progress("nearest neighbours", i, u->n);
		}
	}
	return cb_csr_from_pairs(u->n, l.len, l.row, l.col, l.w);
}

/* Smallest band that gives every unit at least one neighbour (PySAL min_threshold_distance). */
static double
auto_threshold(CbUnitSet *u, const Metric *m)
{
	Candidate  *cand = NULL;
	int64		cand_cap = 0;
	int32	   *idx = NULL;
	int64		idx_cap = 0;
	double		band = 0.0;

	for (int32 i = 0; i < u->n; i++)
	{
		if (nearest_units(m, u->n, i, 1, &cand, &cand_cap, &idx, &idx_cap) > 0)
			band = fmax(band, cand[0].d);
		if ((i & 1023) == 0)
		{
			CHECK_FOR_INTERRUPTS();
			cb_progress("threshold distance", i, u->n);
		}
	}
	return band;
}

static CbCsr *
weights_band(CbUnitSet *u, const Metric *m, const CbWeightsSpec *spec)
{
	Links		l = {0};
	int32	   *idx = NULL;
	int64		idx_cap = 0;
	double		band = spec->threshold_auto ? auto_threshold(u, m) : spec->threshold;
	double		r2 = metric_search_r2(m, band);

	l.func = u->func;
	for (int32 i = 0; i < u->n; i++)
	{
		int64		count = cb_kdtree_radius(m->tree, m->pts + (size_t) m->dim * i, r2, i, &idx, &idx_cap);

		for (int64 t = 0; t < count; t++)
		{
			int32		j = idx[t];
			double		d = metric_dist(m, i, j);

			if (d > band)
				continue;
			if (spec->kind == CB_W_IDW)
			{
				double		w;

				if (d == 0.0)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("%s: %s and %s have the same centroid", u->func,
									cb_unit_label(u, i), cb_unit_label(u, j)),
							 errdetail("Inverse-distance weights are undefined at distance 0."),
							 errhint("Merge coincident units or use weights=distance.")));
				w = pow(d, -spec->power);
				if (!(w <= CB_WEIGHT_MAX))
					ereport(ERROR,
							(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
							 errmsg("%s: the inverse-distance weight of %s and %s exceeds %g", u->func,
									cb_unit_label(u, i), cb_unit_label(u, j), CB_WEIGHT_MAX),
							 errdetail("Their distance is %g and power is %g.", d, spec->power),
							 errhint("Use a smaller power, or coordinates in a larger unit.")));
				links_push(&l, i, j, w);
			}
			else
				links_push(&l, i, j, 1.0);
		}
		if ((i & 1023) == 0)
		{
			CHECK_FOR_INTERRUPTS();
			cb_progress("distance band", i, u->n);
		}
	}
	return cb_csr_from_pairs(u->n, l.len, l.row, l.col, l.w);
}

CbCsr *
cb_units_weights(CbUnitSet *u, const CbWeightsSpec *spec, bool star)
{
	CbCsr	   *w;

	if (u->input == CB_UNITS_LISTS)
		w = weights_from_lists(u, spec->drop_missing);
	else if (spec->kind == CB_W_QUEEN || spec->kind == CB_W_ROOK)
		w = cb_contiguity(u->n, u->vstart, u->vx, u->vy, spec->snap,
						  spec->kind == CB_W_QUEEN ? 1 : 2);
	else
	{
		Metric		m;

		metric_init(&m, u, cb_srid_is_geographic(&u->reader, u->srid));
		w = spec->kind == CB_W_KNN ? weights_knn(u, &m, spec->k) : weights_band(u, &m, spec);
	}
	if (w == NULL)
		elog(ERROR, "duplicate link in spatial weights, please report a bug");
	if (star)
		w = cb_csr_with_self(w);
	cb_csr_standardise(w, spec->style);
	return w;
}

/* ---- spatial_weights(ids, geoms, options): (i, j, w) rows ---- */

PG_FUNCTION_INFO_V1(cb_spatial_weights);

Datum
cb_spatial_weights(PG_FUNCTION_ARGS)
{
	static const char *const allowed[] = {CB_WEIGHTS_OPTION_KEYS, NULL};
	const char *func = "spatial_weights";
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ArrayType  *ids_arr = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *geom_arr = PG_GETARG_ARRAYTYPE_P(1);
	CbOptions	opts;
	CbWeightsSpec spec;
	CbUnitSet	u;
	int64	   *ids;
	Datum	   *geoms;
	bool	   *geom_nulls;
	int			nids,
				ngeoms;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Oid			geom_type = ARR_ELEMTYPE(geom_arr);
	CbCsr	   *w;

	cb_progress_start(func);
	cb_options_parse(&opts, func, PG_ARGISNULL(2) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(2)), allowed);
	cb_weights_spec_parse(&opts, false, &spec);

	nids = cb_int8_array(ids_arr, func, "ids", &ids);
	get_typlenbyvalalign(geom_type, &typlen, &typbyval, &typalign);
	deconstruct_array(geom_arr, geom_type, typlen, typbyval, typalign, &geoms, &geom_nulls, &ngeoms);
	if (nids != ngeoms)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s: ids and geoms differ in length", func),
				 errdetail("ids has %d elements, geoms has %d.", nids, ngeoms)));

	cb_units_init(&u, func, CB_UNITS_GEOMETRY);
	u.caller_ids = true;
	u.need_vertices = (spec.kind == CB_W_QUEEN || spec.kind == CB_W_ROOK);
	u.validate = spec.validate;
	for (int i = 0; i < ngeoms; i++)
	{
		if (geom_nulls[i])
		{
			cb_units_skip(&u, false, 0);
			continue;
		}
		cb_units_add_geometry(&u, 0.0, geom_type, geoms[i], ids[i], i);
	}
	cb_units_finish(&u, 1);
	w = cb_units_weights(&u, &spec, false);

	cb_init_materialized_srf(fcinfo);
	/* units are in id order, and so are the columns of each row */
	for (int32 i = 0; i < u.n; i++)
		for (int64 k = w->start[i]; k < w->start[i + 1]; k++)
		{
			Datum		values[3];
			bool		nulls[3] = {false, false, false};

			values[0] = Int64GetDatum(u.id[i]);
			values[1] = Int64GetDatum(u.id[w->col[k]]);
			values[2] = Float8GetDatum(w->w[k]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	return (Datum) 0;
}
