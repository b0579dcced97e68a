/*
 * spatial_lag.c
 *    The spatial lag W x per row (SPEC section 4): the spatial_lag window
 *    function, for Moran scatter plots and lag maps, with the weights that
 *    the options build.  Islands have lag 0 (spdep zero.policy = TRUE).
 */
#include "carbonbudget.h"

#include "utils/memutils.h"

#include "spatial_input.h"

static const char *const spatial_lag_keys[] = {CB_WEIGHTS_OPTION_KEYS, NULL};

typedef struct LagRow
{
	bool		valid;			/* false: the row was skipped (NULL input) */
	double		lag;
} LagRow;

static void
spatial_lag_compute(WindowObject winobj, FunctionCallInfo fcinfo, LagRow *rows)
{
	MemoryContext work = cb_work_context("spatial_lag");
	MemoryContext old = MemoryContextSwitchTo(work);
	CbSpatialInput *in = cb_spatial_window_read(winobj, fcinfo, "spatial_lag", spatial_lag_keys);
	CbCsr	   *w = cb_spatial_weights_build(in, 1, false);
	CbUnitSet  *u = &in->units;
	/* lags of values near the float8 limit are summed on values divided by a power of two */
	double		unit = cb_pow2_unit(u->n, u->value);

	for (int32 i = 0; i < u->n; i++)
		u->value[i] /= unit;
	for (int32 i = 0; i < u->n; i++)
	{
		LagRow	   *r = &rows[u->row[i]];
		double		lag = cb_row_lag(w->col + w->start[i], w->w + w->start[i],
									 (int32) (w->start[i + 1] - w->start[i]), u->value);

		r->valid = true;
		r->lag = cb_finite_result(lag * unit, "spatial_lag");
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
}

PG_FUNCTION_INFO_V1(cb_spatial_lag_window);
Datum
cb_spatial_lag_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int64		nrows;
	bool		fresh;
	LagRow	   *rows = cb_window_partition_memory(winobj, sizeof(LagRow), &nrows, &fresh);
	LagRow	   *r;

	if (fresh)
		spatial_lag_compute(winobj, fcinfo, rows);
	r = &rows[WinGetCurrentPosition(winobj)];
	if (!r->valid)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(r->lag);
}
