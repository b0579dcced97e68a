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
	int			nvalues;		/* value arguments: 1 or 2 */
	int			value[2];
	bool		value_bool[2];	/* a boolean argument (join counts), read as 0 or 1 */
	int			geom;
	int			id;
	int			neighbors;
	int			weights;		/* -1 when absent */
	int			options;		/* -1 when absent */
	Oid			geom_type;
} ArgLayout;

static void
arg_layout(FunctionCallInfo fcinfo, int first, int nargs, int nvalues, ArgLayout *lay)
{
	int			key = first + nvalues;
	Oid			key_type = cb_arg_type(fcinfo, key);
	Oid			last = cb_arg_type(fcinfo, nargs - 1);

	memset(lay, -1, sizeof(*lay));
	lay->nvalues = nvalues;
	for (int v = 0; v < nvalues; v++)
	{
		lay->value[v] = first + v;
		lay->value_bool[v] = cb_arg_type(fcinfo, first + v) == BOOLOID;
	}
	lay->options = (last == TEXTOID) ? nargs - 1 : -1;
	if (key_type == INT8OID)
	{
		lay->input = CB_UNITS_LISTS;
		lay->id = key;
		lay->neighbors = key + 1;
		if (key + 2 < nargs && cb_arg_type(fcinfo, key + 2) == FLOAT8ARRAYOID)
			lay->weights = key + 2;
		lay->geom_type = InvalidOid;
	}
	else
	{
		lay->input = CB_UNITS_GEOMETRY;
		lay->geom = key;
		lay->geom_type = key_type;
	}
}

static void
input_start(CbSpatialInput *in, const char *func, const char *const *allowed, const char *const *value_names,
			const ArgLayout *lay, const char *options)
{
	in->func = func;
	in->value_names = value_names;
	cb_options_parse(&in->opts, func, options ? options : "", allowed);
	cb_weights_spec_parse(&in->opts, lay->input == CB_UNITS_LISTS, &in->spec);
	cb_units_init(&in->units, func, lay->input);
	in->units.two_values = lay->nvalues == 2;
	in->units.need_vertices = lay->input == CB_UNITS_GEOMETRY &&
		(in->spec.kind == CB_W_QUEEN || in->spec.kind == CB_W_ROOK);
	in->units.validate = in->spec.validate;
	in->started = true;
}

/* The row's value arguments, finite, each named in the error otherwise. */
static void
input_values(const CbSpatialInput *in, const ArgLayout *lay, Datum *args, double *values)
{
	bool		lists = lay->input == CB_UNITS_LISTS;

	for (int v = 0; v < lay->nvalues; v++)
	{
		Datum		d = args[lay->value[v]];

		values[v] = lay->value_bool[v] ? (DatumGetBool(d) ? 1.0 : 0.0) : DatumGetFloat8(d);
		cb_check_finite(values[v], in->func, in->value_names[v], lists ? "id" : "row",
						lists ? DatumGetInt64(args[lay->id]) : in->rows);
	}
}

/* Adds one row; value/geometry/id Datums with their null flags. */
static void
input_add(CbSpatialInput *in, const ArgLayout *lay, Datum *args, bool *nulls, int64 position)
{
	bool		key_null = lay->input == CB_UNITS_LISTS ? nulls[lay->id] : nulls[lay->geom];
	bool		value_null = nulls[lay->value[0]] || (lay->nvalues == 2 && nulls[lay->value[1]]);
	double		values[2];

	in->rows++;
	if (value_null || key_null)
	{
		cb_units_skip(&in->units, lay->input == CB_UNITS_LISTS && !nulls[lay->id],
					  lay->input == CB_UNITS_LISTS && !nulls[lay->id] ? DatumGetInt64(args[lay->id]) : 0);
		return;
	}
	input_values(in, lay, args, values);
	if (lay->input == CB_UNITS_GEOMETRY)
		cb_units_add_geometry(&in->units, values[0], lay->geom_type,
							  args[lay->geom], in->rows, position);
	else
	{
		ArrayType  *nb = nulls[lay->neighbors] ? construct_empty_array(INT8OID)
			: DatumGetArrayTypeP(args[lay->neighbors]);
		ArrayType  *w = (lay->weights < 0 || nulls[lay->weights]) ? NULL
			: DatumGetArrayTypeP(args[lay->weights]);

		if (lay->weights >= 0 && nulls[lay->weights] && !nulls[lay->neighbors])
			w = construct_empty_array(FLOAT8OID);
		cb_units_add_lists(&in->units, values[0], DatumGetInt64(args[lay->id]), nb, w, position);
	}
	if (lay->nvalues == 2)
		cb_units_set_value2(&in->units, values[1]);
}

static int
count_values(const char *const *value_names)
{
	return value_names[1] ? 2 : 1;
}

static const char *const single_value[] = {"value", NULL};

CbSpatialInput *
cb_spatial_agg_step(FunctionCallInfo fcinfo, const char *func, const char *const *allowed)
{
	return cb_spatial_agg_step_values(fcinfo, func, allowed, single_value);
}

CbSpatialInput *
cb_spatial_agg_step_values(FunctionCallInfo fcinfo, const char *func, const char *const *allowed,
						   const char *const *value_names)
{
	MemoryContext aggcontext;
	MemoryContext old;
	CbSpatialInput *in;
	ArgLayout	lay;
	int			nargs = PG_NARGS();
	Datum		args[FUNC_MAX_ARGS];
	bool		nulls[FUNC_MAX_ARGS];

	cb_require_aggregate(fcinfo, func, &aggcontext);
	arg_layout(fcinfo, 1, nargs, count_values(value_names), &lay);
	old = MemoryContextSwitchTo(aggcontext);
	if (PG_ARGISNULL(0))
	{
		in = palloc0(sizeof(CbSpatialInput));
		input_start(in, func, allowed, value_names, &lay,
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
	return cb_spatial_window_read_values(winobj, fcinfo, func, allowed, single_value);
}

CbSpatialInput *
cb_spatial_window_read_values(WindowObject winobj, FunctionCallInfo fcinfo, const char *func,
							  const char *const *allowed, const char *const *value_names)
{
	CbSpatialInput *in = palloc0(sizeof(CbSpatialInput));
	int64		nrows = WinGetPartitionRowCount(winobj);
	int			nargs = PG_NARGS();
	ArgLayout	lay;
	Datum		args[FUNC_MAX_ARGS];
	bool		nulls[FUNC_MAX_ARGS];
	bool		isout;
	char	   *options = NULL;

	arg_layout(fcinfo, 0, nargs, count_values(value_names), &lay);
	if (lay.options >= 0)
	{
		bool		isnull;
		Datum		d = WinGetFuncArgCurrent(winobj, lay.options, &isnull);

		if (!isnull)
			options = text_to_cstring(DatumGetTextPP(d));
	}
	input_start(in, func, allowed, value_names, &lay, options);
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
	cb_spatial_check_varies(in, in->units.value, "value");
	cb_spatial_check_links(in, w);
	cb_spatial_scale(in, in->units.value);
}

void
cb_spatial_check_varies(const CbSpatialInput *in, const double *v, const char *arg)
{
	const CbUnitSet *u = &in->units;
	bool		constant = true;

	for (int32 i = 1; i < u->n && constant; i++)
		constant = (v[i] == v[0]);
	if (constant)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: %s has zero variance", in->func, arg),
				 errdetail("All %d non-NULL values are equal, so the statistic is undefined.", u->n)));
}

void
cb_spatial_check_links(const CbSpatialInput *in, const CbCsr *w)
{
	if (w->start[w->n] == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: every unit is an island", in->func),
				 errdetail("The spatial weights have no links."),
				 errhint("Use a larger threshold or k, or weights=knn, which always gives neighbours.")));
}

void
cb_spatial_scale(const CbSpatialInput *in, double *v)
{
	double		unit = cb_pow2_unit(in->units.n, v);

	/* the statistics of these families are scale-invariant: squares of values near 1e300 stay finite */
	for (int32 i = 0; i < in->units.n; i++)
		v[i] /= unit;
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

char *
cb_window_same_options(WindowObject winobj, int argno, int64 nrows, const char *func)
{
	char	   *first = NULL;

	for (int64 r = 0; r < nrows; r++)
	{
		bool		isnull,
					isout;
		Datum		d = WinGetFuncArgInPartition(winobj, argno, (int) r, WINDOW_SEEK_HEAD, false, &isnull, &isout);
		char	   *given = isnull ? "" : TextDatumGetCString(d);

		if (first == NULL)
			first = given;
		else if (strcmp(first, given) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: options must be the same in every row", func),
					 errdetail("Row " INT64_FORMAT " has \"%s\", row 1 \"%s\".", r + 1, given, first)));
		if ((r & 1023) == 0)
			CHECK_FOR_INTERRUPTS();	/* one pass over a large partition */
	}
	return first ? first : "";
}
