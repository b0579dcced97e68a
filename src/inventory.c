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

/*
 * Reads the partition.  Shares do not depend on the unit of num or ce, so
 * both are divided by power-of-two units (exact) before they are summed:
 * totals of values near the float8 limit stay finite.
 */
static void
share_read(WindowObject winobj, const char *func, const char *num_arg, ShareRow *rows, int64 nrows,
		   double *sum_num, double *sum_ce)
{
	double		big_num = 0,
				big_ce = 0,
				unit_num,
				unit_ce;

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
		big_num = Max(big_num, rows[i].num);
		big_ce = Max(big_ce, rows[i].ce);
	}
	unit_num = cb_pow2_unit(1, &big_num);
	unit_ce = cb_pow2_unit(1, &big_ce);
	for (int64 i = 0; i < nrows; i++)
	{
		if (!rows[i].valid)
			continue;
		rows[i].num /= unit_num;
		rows[i].ce /= unit_ce;
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

	if (fresh)
		share_read(winobj, func, num_arg, rows, nrows, &sums[0], &sums[1]);
	r = &rows[WinGetCurrentPosition(winobj)];
	if (!r->valid || r->ce == 0 || sums[0] == 0)
		PG_RETURN_NULL();		/* the share of CE is zero, or there is no total: undefined */
	PG_RETURN_FLOAT8(cb_finite_result((r->num / sums[0]) / (r->ce / sums[1]), func));
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
