/*
 * ehsa.c
 *    The emerging_hot_spots window function (SPEC section 14): ArcGIS Pro's
 *    Emerging Hot Spot Analysis over the rows (unit, time, value) of a
 *    window partition, a space-time cube.  Each row gets the Gi* z of its
 *    unit in its time step, and the Mann-Kendall trend of the unit's z
 *    series and the unit's category.
 *
 * Units are identified by id; their weights come from the geometry (or
 * the neighbour list) of each unit's first row, with the weights options of
 * getis_ord_gi.  The maths is in src/kernels/ehsa.c, the Gi* of one unit in
 * cb_local_g_unit, shared with getis_ord_gi.
 */
#include "carbonbudget.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "windowapi.h"

#include "autocorr.h"
#include "ehsa.h"
#include "spatial_input.h"
#include "trend.h"
#include "weights.h"

#define EHSA_FUNC "emerging_hot_spots"
#define EHSA_MIN_STEPS 3
#define EHSA_MAX_LAGS 1000

static const char *const ehsa_keys[] = {CB_WEIGHTS_OPTION_KEYS, "time_lags", "window", "alpha", "trend_alpha", NULL};
static const char *const windows[] = {"cube", "neighborhood", "step", NULL};

typedef struct EhsaOptions
{
	CbOptions	opts;
	CbWeightsSpec spec;
	int			lags;
	CbEhsaWindow window;
	double		alpha;
	double		trend_alpha;
} EhsaOptions;

/* One partition row and, once computed, its result. */
typedef struct EhsaRow
{
	bool		valid;			/* all of value, t, id and the unit's key are non-NULL */
	double		value;
	double		t;
	int64		id;
	int32		unit;			/* canonical unit index */
	int32		step;
	double		z;
	double		trend_z;
	double		trend_p;
	int32		hot;
	int32		cold;
	int			category;
} EhsaRow;

/* Argument positions: 3 is geometry or neighbours, then weights and options where present. */
typedef struct EhsaArgs
{
	bool		lists;
	int			weights;		/* -1: none */
	int			options;		/* -1: none */
	Oid			geom_type;
} EhsaArgs;

static void
ehsa_args(FunctionCallInfo fcinfo, EhsaArgs *a)
{
	int			nargs = PG_NARGS();
	Oid			key = cb_arg_type(fcinfo, 3);

	a->lists = key == INT8ARRAYOID;
	a->geom_type = a->lists ? InvalidOid : key;
	a->options = cb_arg_type(fcinfo, nargs - 1) == TEXTOID ? nargs - 1 : -1;
	a->weights = (a->lists && nargs > 4 && cb_arg_type(fcinfo, 4) == FLOAT8ARRAYOID) ? 4 : -1;
}

static void
parse_options(const char *text, bool lists, EhsaOptions *o)
{
	cb_options_parse(&o->opts, EHSA_FUNC, text, ehsa_keys);
	cb_weights_spec_parse(&o->opts, lists, &o->spec);
	o->lags = (int) cb_opt_int(&o->opts, "time_lags", 1, 0, EHSA_MAX_LAGS);
	o->window = (CbEhsaWindow) cb_opt_choice(&o->opts, "window", windows, CB_EHSA_WINDOW_CUBE);
	o->alpha = cb_opt_float(&o->opts, "alpha", 0.10, 0, 1, true);
	o->trend_alpha = cb_opt_float(&o->opts, "trend_alpha", 0.10, 0, 1, true);
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

/* Row indices ordered by id, then partition position (the unit's first row comes first). */
static EhsaRow *sort_rows;

static int
cmp_row_id(const void *a, const void *b)
{
	int64		i = *(const int64 *) a;
	int64		j = *(const int64 *) b;

	if (sort_rows[i].id != sort_rows[j].id)
		return sort_rows[i].id < sort_rows[j].id ? -1 : 1;
	return (i > j) - (i < j);
}

/*
 * Reads the partition; each unit enters the unit set once, with the
 * geometry or neighbour list of its first row.  Returns the valid rows
 * (row indices in id order).
 */
static int64
read_rows(WindowObject winobj, const EhsaArgs *a, EhsaRow *rows, int64 nrows, CbUnitSet *u, int64 **order_out)
{
	int64	   *order = palloc_extended(sizeof(int64) * Max(nrows, 1), MCXT_ALLOC_HUGE);
	int64		nvalid = 0;
	int32		nunits = 0;

	for (int64 r = 0; r < nrows; r++)
	{
		bool		nv,
					nt,
					ni,
					nk,
					isout;
		Datum		v = WinGetFuncArgInPartition(winobj, 0, (int) r, WINDOW_SEEK_HEAD, false, &nv, &isout);
		Datum		t = WinGetFuncArgInPartition(winobj, 1, (int) r, WINDOW_SEEK_HEAD, false, &nt, &isout);
		Datum		id = WinGetFuncArgInPartition(winobj, 2, (int) r, WINDOW_SEEK_HEAD, false, &ni, &isout);

		(void) WinGetFuncArgInPartition(winobj, 3, (int) r, WINDOW_SEEK_HEAD, false, &nk, &isout);
		if ((r & 1023) == 0)
			CHECK_FOR_INTERRUPTS();	/* a cube of many rows */
		rows[r].valid = !(nv || nt || ni || nk);
		if (!rows[r].valid)
		{
			u->skipped++;
			continue;
		}
		rows[r].value = DatumGetFloat8(v);
		rows[r].t = DatumGetFloat8(t);
		rows[r].id = DatumGetInt64(id);
		cb_check_finite(rows[r].value, EHSA_FUNC, "value", "row", r + 1);
		cb_check_finite(rows[r].t, EHSA_FUNC, "t", "row", r + 1);
		order[nvalid++] = r;
	}
	sort_rows = rows;
	qsort(order, (size_t) nvalid, sizeof(int64), cmp_row_id);
	sort_rows = NULL;

	for (int64 k = 0; k < nvalid; k++)
	{
		EhsaRow    *row = &rows[order[k]];
		bool		isnull,
					isout;
		Datum		key;

		if (k > 0 && row->id == rows[order[k - 1]].id)
			continue;			/* the unit is in the set already */
		key = WinGetFuncArgInPartition(winobj, 3, (int) order[k], WINDOW_SEEK_HEAD, false, &isnull, &isout);
		if (a->lists)
		{
			Datum		w = (Datum) 0;
			bool		wnull = true;

			if (a->weights >= 0)
				w = WinGetFuncArgInPartition(winobj, a->weights, (int) order[k], WINDOW_SEEK_HEAD, false, &wnull, &isout);
			cb_units_add_lists(u, 0.0, row->id, DatumGetArrayTypeP(key),
							   a->weights < 0 ? NULL : (wnull ? construct_empty_array(FLOAT8OID) : DatumGetArrayTypeP(w)),
							   nunits);
		}
		else
			cb_units_add_geometry(u, 0.0, a->geom_type, key, row->id, nunits);
		nunits++;
	}
	*order_out = order;
	return nvalid;
}

/* Distinct times, ascending; at least EHSA_MIN_STEPS. */
static double *
time_steps(const EhsaRow *rows, const int64 *order, int64 nvalid, int32 *steps)
{
	double	   *t = palloc_extended(sizeof(double) * Max(nvalid, 1), MCXT_ALLOC_HUGE);
	int32		n = 0;

	for (int64 k = 0; k < nvalid; k++)
		t[k] = rows[order[k]].t;
	qsort(t, (size_t) nvalid, sizeof(double), cmp_double);
	for (int64 k = 0; k < nvalid; k++)
		if (n == 0 || t[k] != t[n - 1])
			t[n++] = t[k];
	if (n < EHSA_MIN_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s needs at least %d time steps, got %d", EHSA_FUNC, EHSA_MIN_STEPS, n),
				 errhint("The Mann-Kendall trend of each unit needs a series; ArcGIS recommends at least 10 time steps.")));
	*steps = n;
	return t;
}

/* The cube x[step * n + unit]: every unit once in every step. */
static double *
build_cube(EhsaRow *rows, const int64 *order, int64 nvalid, const CbUnitSet *u, const double *t, int32 steps)
{
	int32		n = u->n;
	Size		cells = mul_size((Size) n, (Size) steps);
	double	   *x = palloc_extended(sizeof(double) * cells, MCXT_ALLOC_HUGE);
	bool	   *filled = palloc_extended(cells, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	int32	   *canonical = palloc(sizeof(int32) * Max(n, 1));
	int32		tag = -1;

	/* the unit set gave unit tag k (read order) the canonical index i with u->row[i] = k */
	for (int32 i = 0; i < n; i++)
		canonical[u->row[i]] = i;
	for (int64 k = 0; k < nvalid; k++)
	{
		EhsaRow    *row = &rows[order[k]];
		double	   *at;
		Size		cell;

		if (k == 0 || row->id != rows[order[k - 1]].id)
			tag++;
		row->unit = canonical[tag];
		at = bsearch(&row->t, t, (size_t) steps, sizeof(double), cmp_double);
		row->step = (int32) (at - t);
		cell = (Size) row->step * n + row->unit;
		if (filled[cell])
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s: id " INT64_FORMAT " has more than one row at t = %g", EHSA_FUNC, row->id, row->t),
					 errhint("Aggregate one value per unit and time step first, e.g. with GROUP BY.")));
		filled[cell] = true;
		x[cell] = row->value;
	}
	for (int32 s = 0; s < steps; s++)
		for (int32 i = 0; i < n; i++)
			if (!filled[(Size) s * n + i])
				ereport(ERROR,
						(errcode(ERRCODE_DATA_EXCEPTION),
						 errmsg("%s: id " INT64_FORMAT " has no value at t = %g", EHSA_FUNC, u->id[i], t[s]),
						 errdetail("The space-time cube must hold every unit at every time step (rows with a NULL are left out)."),
						 errhint("Fill the gap (e.g. with spline_fill) or leave the unit out.")));
	return x;
}

/* Scale-invariant: divide by a power of two so that squares stay finite; a constant cube has no z. */
static void
check_cube(double *x, Size cells)
{
	double		unit = cb_pow2_unit((int64) cells, x);
	bool		constant = true;

	for (Size c = 1; c < cells && constant; c++)
		constant = x[c] == x[0];
	if (constant)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: value has zero variance", EHSA_FUNC),
				 errdetail("Every value of the space-time cube is %g.", x[0])));
	for (Size c = 0; c < cells; c++)
		x[c] /= unit;
}

/* Trend of one unit's z series: its Mann-Kendall Z and p over the steps where z is defined. */
static void
unit_trend(const double *zs, const double *t, int32 steps, double *trend_z, double *trend_p)
{
	double	   *tt = palloc(sizeof(double) * steps);
	double	   *zz = palloc(sizeof(double) * steps);
	double	   *scratch = palloc(sizeof(double) * steps);
	int32		m = 0;
	CbMannKendall mk;

	for (int32 s = 0; s < steps; s++)
		if (!isnan(zs[s]))
		{
			tt[m] = t[s];
			zz[m] = zs[s];
			m++;
		}
	if (m < EHSA_MIN_STEPS)
	{
		*trend_z = *trend_p = NAN;
		return;
	}
	cb_mann_kendall(m, tt, zz, scratch, &mk);
	*trend_z = mk.z;
	*trend_p = mk.p;
}

static void
ehsa_compute(WindowObject winobj, FunctionCallInfo fcinfo, EhsaRow *rows, int64 nrows)
{
	MemoryContext work = cb_work_context(EHSA_FUNC);
	MemoryContext old = MemoryContextSwitchTo(work);
	EhsaArgs	a;
	EhsaOptions o;
	CbUnitSet	u;
	int64	   *order;
	int64		nvalid;
	double	   *t;
	int32		steps;
	double	   *x;
	double	   *z;
	double	   *zs;
	CbCsr	   *w;

	ehsa_args(fcinfo, &a);
	parse_options(a.options < 0 ? "" : cb_window_same_options(winobj, a.options, nrows, EHSA_FUNC), a.lists, &o);
	cb_units_init(&u, EHSA_FUNC, a.lists ? CB_UNITS_LISTS : CB_UNITS_GEOMETRY);
	u.caller_ids = true;
	u.need_vertices = !a.lists && (o.spec.kind == CB_W_QUEEN || o.spec.kind == CB_W_ROOK);
	u.validate = o.spec.validate;
	nvalid = read_rows(winobj, &a, rows, nrows, &u, &order);
	cb_units_finish(&u, 3);
	t = time_steps(rows, order, nvalid, &steps);
	x = build_cube(rows, order, nvalid, &u, t, steps);
	check_cube(x, mul_size((Size) u.n, (Size) steps));
	w = cb_units_weights(&u, &o.spec, true);

	z = palloc_extended(mul_size(sizeof(double) * u.n, (Size) steps), MCXT_ALLOC_HUGE);
	cb_ehsa_gi(w, steps, x, o.lags, o.window, z);

	/* per unit: the trend of its z series and its category, kept on every row of the unit */
	zs = palloc(sizeof(double) * steps);
	for (int64 k = 0; k < nvalid; k++)
	{
		EhsaRow    *row = &rows[order[k]];

		if (k == 0 || row->id != rows[order[k - 1]].id)
		{
			int			trend = 0;

			CHECK_FOR_INTERRUPTS(); /* a Mann-Kendall test per unit */
			row->hot = row->cold = 0;
			for (int32 s = 0; s < steps; s++)
			{
				double		p;

				zs[s] = z[(Size) s * u.n + row->unit];
				p = isnan(zs[s]) ? 1.0 : cb_norm_p(zs[s], CB_ALT_TWO_SIDED);
				row->hot += p < o.alpha && zs[s] > 0;
				row->cold += p < o.alpha && zs[s] < 0;
			}
			unit_trend(zs, t, steps, &row->trend_z, &row->trend_p);
			if (row->trend_p < o.trend_alpha)
				trend = row->trend_z > 0 ? 1 : -1;
			row->category = cb_ehsa_category(steps, zs, o.alpha, trend);
		}
		else
		{
			EhsaRow    *first = &rows[order[k - 1]];

			row->hot = first->hot;
			row->cold = first->cold;
			row->trend_z = first->trend_z;
			row->trend_p = first->trend_p;
			row->category = first->category;
		}
		row->z = z[(Size) row->step * u.n + row->unit];
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
}

PG_FUNCTION_INFO_V1(cb_emerging_hot_spots_window);
Datum
cb_emerging_hot_spots_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int64		nrows;
	bool		fresh;
	EhsaRow    *rows = cb_window_partition_memory(winobj, sizeof(EhsaRow), &nrows, &fresh);
	EhsaRow    *r;
	Datum		values[8];
	bool		nulls[8] = {false};
	double		p;

	if (fresh)
		ehsa_compute(winobj, fcinfo, rows, nrows);
	r = &rows[WinGetCurrentPosition(winobj)];
	if (!r->valid)
		PG_RETURN_NULL();
	p = isnan(r->z) ? NAN : cb_norm_p(r->z, CB_ALT_TWO_SIDED);
	CB_FLOAT8_OR_NULL(r->z, values, nulls, 0);
	CB_FLOAT8_OR_NULL(p, values, nulls, 1);
	values[2] = Int32GetDatum(cb_gi_bin(r->z, p));
	CB_FLOAT8_OR_NULL(r->trend_z, values, nulls, 3);
	CB_FLOAT8_OR_NULL(r->trend_p, values, nulls, 4);
	values[5] = Int32GetDatum(r->hot);
	values[6] = Int32GetDatum(r->cold);
	values[7] = CStringGetTextDatum(cb_ehsa_category_names[r->category]);
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}
