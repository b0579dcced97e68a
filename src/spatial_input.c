/*
 * spatial_input.c
 *    Common front half of spatial aggregates and window functions: the two
 *    argument layouts, options from the first row, NULL rows skipped.
 */
#include "carbonbudget.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "spatial_input.h"

/* Where each argument sits, found from the declared argument types. */
typedef struct ArgLayout
{
	CbUnitInput input;
	int			value;
	int			geom;
	int			id;
	int			neighbors;
	int			weights;		/* -1 when absent */
	int			options;		/* -1 when absent */
	Oid			geom_type;
} ArgLayout;

static void
arg_layout(FunctionCallInfo fcinfo, int first, int nargs, ArgLayout *lay)
{
	Oid			second = cb_arg_type(fcinfo, first + 1);
	Oid			last = cb_arg_type(fcinfo, nargs - 1);

	memset(lay, -1, sizeof(*lay));
	lay->value = first;
	lay->options = (last == TEXTOID) ? nargs - 1 : -1;
	if (second == INT8OID)
	{
		lay->input = CB_UNITS_LISTS;
		lay->id = first + 1;
		lay->neighbors = first + 2;
		if (first + 3 < nargs && cb_arg_type(fcinfo, first + 3) == FLOAT8ARRAYOID)
			lay->weights = first + 3;
		lay->geom_type = InvalidOid;
	}
	else
	{
		lay->input = CB_UNITS_GEOMETRY;
		lay->geom = first + 1;
		lay->geom_type = second;
	}
}

static void
input_start(CbSpatialInput *in, const char *func, const char *const *allowed,
			const ArgLayout *lay, const char *options)
{
	in->func = func;
	cb_options_parse(&in->opts, func, options ? options : "", allowed);
	cb_weights_spec_parse(&in->opts, lay->input == CB_UNITS_LISTS, &in->spec);
	cb_units_init(&in->units, func, lay->input);
	in->units.need_vertices = lay->input == CB_UNITS_GEOMETRY &&
		(in->spec.kind == CB_W_QUEEN || in->spec.kind == CB_W_ROOK);
	in->units.validate = in->spec.validate;
	in->started = true;
}

/* Adds one row; value/geometry/id Datums with their null flags. */
static void
input_add(CbSpatialInput *in, const ArgLayout *lay, Datum *args, bool *nulls, int64 position)
{
	bool		key_null = lay->input == CB_UNITS_LISTS ? nulls[lay->id] : nulls[lay->geom];

	in->rows++;
	if (nulls[lay->value] || key_null)
	{
		cb_units_skip(&in->units, lay->input == CB_UNITS_LISTS && !nulls[lay->id],
					  lay->input == CB_UNITS_LISTS && !nulls[lay->id] ? DatumGetInt64(args[lay->id]) : 0);
		return;
	}
	if (lay->input == CB_UNITS_GEOMETRY)
		cb_units_add_geometry(&in->units, DatumGetFloat8(args[lay->value]), lay->geom_type,
							  args[lay->geom], in->rows, position);
	else
	{
		ArrayType  *nb = nulls[lay->neighbors] ? construct_empty_array(INT8OID)
			: DatumGetArrayTypeP(args[lay->neighbors]);
		ArrayType  *w = (lay->weights < 0 || nulls[lay->weights]) ? NULL
			: DatumGetArrayTypeP(args[lay->weights]);

		if (lay->weights >= 0 && nulls[lay->weights] && !nulls[lay->neighbors])
			w = construct_empty_array(FLOAT8OID);
		cb_units_add_lists(&in->units, DatumGetFloat8(args[lay->value]), DatumGetInt64(args[lay->id]),
						   nb, w, position);
	}
}

CbSpatialInput *
cb_spatial_agg_step(FunctionCallInfo fcinfo, const char *func, const char *const *allowed)
{
	MemoryContext aggcontext;
	MemoryContext old;
	CbSpatialInput *in;
	ArgLayout	lay;
	int			nargs = PG_NARGS();
	Datum		args[FUNC_MAX_ARGS];
	bool		nulls[FUNC_MAX_ARGS];

	cb_require_aggregate(fcinfo, func, &aggcontext);
	arg_layout(fcinfo, 1, nargs, &lay);
	old = MemoryContextSwitchTo(aggcontext);
	if (PG_ARGISNULL(0))
	{
		in = palloc0(sizeof(CbSpatialInput));
		input_start(in, func, allowed, &lay,
					(lay.options >= 0 && !PG_ARGISNULL(lay.options)) ?
					text_to_cstring(PG_GETARG_TEXT_PP(lay.options)) : NULL);
	}
	else
		in = (CbSpatialInput *) PG_GETARG_POINTER(0);
	for (int a = 0; a < nargs; a++)
	{
		nulls[a] = PG_ARGISNULL(a);
		args[a] = nulls[a] ? (Datum) 0 : PG_GETARG_DATUM(a);
	}
	input_add(in, &lay, args, nulls, in->rows);
	MemoryContextSwitchTo(old);
	return in;
}

CbSpatialInput *
cb_spatial_window_read(WindowObject winobj, FunctionCallInfo fcinfo,
					   const char *func, const char *const *allowed)
{
	CbSpatialInput *in = palloc0(sizeof(CbSpatialInput));
	int64		nrows = WinGetPartitionRowCount(winobj);
	int			nargs = PG_NARGS();
	ArgLayout	lay;
	Datum		args[FUNC_MAX_ARGS];
	bool		nulls[FUNC_MAX_ARGS];
	bool		isout;
	char	   *options = NULL;

	arg_layout(fcinfo, 0, nargs, &lay);
	if (lay.options >= 0)
	{
		bool		isnull;
		Datum		d = WinGetFuncArgCurrent(winobj, lay.options, &isnull);

		if (!isnull)
			options = text_to_cstring(DatumGetTextPP(d));
	}
	input_start(in, func, allowed, &lay, options);
	for (int64 r = 0; r < nrows; r++)
	{
		for (int a = 0; a < nargs; a++)
			args[a] = WinGetFuncArgInPartition(winobj, a, (int) r, WINDOW_SEEK_HEAD, false,
											   &nulls[a], &isout);
		input_add(in, &lay, args, nulls, r);
		if ((r & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return in;
}

CbCsr *
cb_spatial_weights_build(CbSpatialInput *in, int32 min_units, bool star)
{
	cb_units_finish(&in->units, min_units);
	return cb_units_weights(&in->units, &in->spec, star);
}

void
cb_spatial_check(CbSpatialInput *in, const CbCsr *w)
{
	CbUnitSet  *u = &in->units;
	bool		constant = true;
	double		unit = cb_pow2_unit(u->n, u->value);

	for (int32 i = 1; i < u->n && constant; i++)
		constant = (u->value[i] == u->value[0]);
	if (constant)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: value has zero variance", in->func),
				 errdetail("All %d non-NULL values are equal, so the statistic is undefined.", u->n)));
	if (w->start[w->n] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: every unit is an island", in->func),
				 errdetail("The spatial weights have no links."),
				 errhint("Use a larger threshold or k, or weights=knn, which always gives neighbours.")));
	/* Moran's I, LISA and Getis-Ord G are scale-invariant: squares of values near 1e300 stay finite */
	for (int32 i = 0; i < u->n; i++)
		u->value[i] /= unit;
}

uint64 *
cb_spatial_stream_keys(const CbSpatialInput *in)
{
	const CbUnitSet *u = &in->units;
	uint64	   *keys = palloc_extended(sizeof(uint64) * Max(u->n, 1), MCXT_ALLOC_HUGE);

	for (int32 i = 0; i < u->n; i++)
		keys[i] = (u->input == CB_UNITS_LISTS) ? (uint64) u->id[i] : (uint64) i + 1;
	return keys;
}

void *
cb_window_partition_memory(WindowObject winobj, Size row_size, int64 *nrows, bool *fresh)
{
	/* layout: a done flag, then one result record per partition row */
	int64		count = WinGetPartitionRowCount(winobj);
	Size		size = add_size(MAXALIGN(sizeof(bool)), mul_size(row_size, (Size) count));
	char	   *mem = WinGetPartitionLocalMemory(winobj, size);

	*nrows = count;
	*fresh = !*(bool *) mem;
	*(bool *) mem = true;
	return mem + MAXALIGN(sizeof(bool));
}
