/*
 * inventory.c
 *    Indices of paper 003 that compare a unit with the whole study area:
 *    the economy contributive coefficient ECC and the ecological support
 *    coefficient ESC, window functions over the partition (SPEC section 7).
 *
 *    ecc(gdp, ce) OVER () = (G_i / sum G) / (CE_i / sum CE)
 *    esc(cs, ce)  OVER () = (CS_i / sum CS) / (CE_i / sum CE)
 *
 * Option form=printed gives the form printed in paper 003's Table 2
 * instead, (G_i - CE_i) / G_i and (CS_i - CE_i) / CS_i: a per-unit ratio
 * that depends on the units of its two arguments, kept for comparison with
 * the paper's figures.
 *
 * Rows with a NULL argument are left out of the sums and get NULL; a share
 * that is undefined (CE_i = 0 or a zero total) gives NULL, never NaN.
 */
#include "carbonbudget.h"

#include "utils/builtins.h"
#include "windowapi.h"

#include "options.h"
#include "spatial_input.h"

typedef enum ShareForm
{
	FORM_SHARE = 0,				/* ratio of the unit's shares of the totals (default) */
	FORM_PRINTED				/* (num - ce) / num, paper 003 Table 2 as printed */
} ShareForm;

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

/* The form option of the partition (argument 2 when given). */
static ShareForm
share_form(WindowObject winobj, FunctionCallInfo fcinfo, const char *func, int64 nrows)
{
	static const char *const keys[] = {"form", NULL};
	static const char *const forms[] = {"share", "printed", NULL};
	CbOptions	opts;

	if (PG_NARGS() < 3)
		return FORM_SHARE;
	cb_options_parse(&opts, func, cb_window_same_options(winobj, 2, nrows, func), keys);
	return (ShareForm) cb_opt_choice(&opts, "form", forms, FORM_SHARE);
}

static Datum
share_window(FunctionCallInfo fcinfo, const char *func, const char *num_arg)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int64		nrows;
	bool		fresh;
	ShareRow   *rows = cb_window_partition_memory(winobj, sizeof(ShareRow) + 3 * sizeof(double), &nrows, &fresh);
	double	   *sums = (double *) (rows + nrows);	/* sum_num, sum_ce, form after the rows */
	ShareRow   *r;

	if (fresh)
	{
		sums[2] = (double) share_form(winobj, fcinfo, func, nrows);
		share_read(winobj, func, num_arg, rows, nrows, &sums[0], &sums[1]);
	}
	r = &rows[WinGetCurrentPosition(winobj)];
	if (sums[2] == FORM_PRINTED)
	{
		/* per unit, in the units given (share_read's power-of-two scaling cancels only in shares) */
		bool		isnull;
		double		num,
					ce;

		if (!r->valid)
			PG_RETURN_NULL();
		num = DatumGetFloat8(WinGetFuncArgCurrent(winobj, 0, &isnull));
		ce = DatumGetFloat8(WinGetFuncArgCurrent(winobj, 1, &isnull));
		if (num == 0)
			PG_RETURN_NULL();	/* no GDP (or sink) to compare with: undefined */
		PG_RETURN_FLOAT8(cb_finite_result((num - ce) / num, func));
	}
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
