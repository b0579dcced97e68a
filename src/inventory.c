/*
 * inventory.c
 *    Indices of paper 003 that compare a unit with the whole study area:
 *    the economy contributive coefficient ECC and the ecological support
 *    coefficient ESC, window functions over the partition (SPEC section 7).
 *
 *    ecc(gdp, ce) OVER () = (G_i / sum G) / (CE_i / sum CE)
 *    esc(cs, ce)  OVER () = (CS_i / sum CS) / (CE_i / sum CE)
 *
 * Rows with a NULL argument are left out of the sums and get NULL; a share
 * that is undefined (CE_i = 0 or a zero total) gives NULL, never NaN.
 */
#include "carbonbudget.h"

#include "windowapi.h"

#include "spatial_input.h"

typedef struct ShareRow
{
	bool		valid;
	double		num;			/* G_i or CS_i */
	double		ce;				/* CE_i */
} ShareRow;

static void
share_read(WindowObject winobj, const char *func, const char *num_arg, ShareRow *rows, int64 nrows,
		   double *sum_num, double *sum_ce)
{
	*sum_num = *sum_ce = 0;
	for (int64 i = 0; i < nrows; i++)
	{
		bool		null_num,
					null_ce,
					isout;
		Datum		num = WinGetFuncArgInPartition(winobj, 0, i, WINDOW_SEEK_HEAD, false, &null_num, &isout);
		Datum		ce = WinGetFuncArgInPartition(winobj, 1, i, WINDOW_SEEK_HEAD, false, &null_ce, &isout);

		rows[i].valid = !null_num && !null_ce;
		if (!rows[i].valid)
			continue;
		rows[i].num = DatumGetFloat8(num);
		rows[i].ce = DatumGetFloat8(ce);
		cb_check_finite(rows[i].num, func, num_arg, "row", i + 1);
		cb_check_finite(rows[i].ce, func, "ce", "row", i + 1);
		if (rows[i].num < 0 || rows[i].ce < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s and ce must be non-negative", func, num_arg),
					 errdetail("Row " INT64_FORMAT " has %s = %g, ce = %g.", i + 1, num_arg,
							   rows[i].num, rows[i].ce)));
		*sum_num += rows[i].num;
		*sum_ce += rows[i].ce;
	}
}

static Datum
share_window(FunctionCallInfo fcinfo, const char *func, const char *num_arg)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int64		nrows;
	bool		fresh;
	ShareRow   *rows = cb_window_partition_memory(winobj, sizeof(ShareRow) + 2 * sizeof(double), &nrows, &fresh);
	double	   *sums = (double *) (rows + nrows);	/* sum_num, sum_ce after the rows */
	ShareRow   *r;
	double		v;

	if (fresh)
		share_read(winobj, func, num_arg, rows, nrows, &sums[0], &sums[1]);
	r = &rows[WinGetCurrentPosition(winobj)];
	if (!r->valid)
		PG_RETURN_NULL();
	v = (r->num / sums[0]) / (r->ce / sums[1]);
	if (isnan(v) || isinf(v))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(v);
}

PG_FUNCTION_INFO_V1(cb_ecc_window);
Datum
cb_ecc_window(PG_FUNCTION_ARGS)
{
	return share_window(fcinfo, "ecc", "gdp");
}

PG_FUNCTION_INFO_V1(cb_esc_window);
Datum
cb_esc_window(PG_FUNCTION_ARGS)
{
	return share_window(fcinfo, "esc", "cs");
}
