/*
 * hotspot.c
 *    Getis-Ord statistics (SPEC section 4): the getis_ord_gi window function
 *    (local Gi and Gi*, ArcGIS hot-spot bins) and the general_g aggregate.
 */
#include "carbonbudget.h"

#include "utils/memutils.h"

#include "autocorr.h"
#include "spatial_input.h"

static const char *const getis_ord_gi_keys[] = {CB_WEIGHTS_OPTION_KEYS, "star", NULL};
static const char *const general_g_keys[] = {CB_WEIGHTS_OPTION_KEYS, "alternative", NULL};
static const char *const alternatives[] = {"two.sided", "greater", "less", NULL};

/* ---- getis_ord_gi window function ---- */

typedef struct GiRow
{
	bool		valid;
	double		gi;
	double		z;				/* NaN where undefined (island under Gi): NULL */
} GiRow;

/* ArcGIS Gi_Bin: +-3 at 99 %, +-2 at 95 %, +-1 at 90 % confidence, else 0. */
int
cb_gi_bin(double z, double p)
{
	int			level;

	if (isnan(z))
		return 0;
	level = p < 0.01 ? 3 : p < 0.05 ? 2 : p < 0.10 ? 1 : 0;
	return z > 0 ? level : -level;
}

static void
getis_ord_compute(WindowObject winobj, FunctionCallInfo fcinfo, GiRow *rows)
{
	MemoryContext work = cb_work_context("getis_ord_gi");
	MemoryContext old = MemoryContextSwitchTo(work);
	CbSpatialInput *in = cb_spatial_window_read(winobj, fcinfo, "getis_ord_gi", getis_ord_gi_keys);
	bool		star = cb_opt_bool(&in->opts, "star", true);
	CbCsr	   *w = cb_spatial_weights_build(in, 3, star);
	int32		n = in->units.n;
	double	   *g = palloc(sizeof(double) * n);
	double	   *e = palloc(sizeof(double) * n);
	double	   *v = palloc(sizeof(double) * n);
	double	   *z = palloc(sizeof(double) * n);

	cb_spatial_check(in, w);
	cb_local_g(w, in->units.value, star, g, e, v, z);
	for (int32 i = 0; i < n; i++)
	{
		GiRow	   *r = &rows[in->units.row[i]];

		r->valid = true;
		r->gi = g[i];
		r->z = z[i];
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
}

PG_FUNCTION_INFO_V1(cb_getis_ord_gi_window);
Datum
cb_getis_ord_gi_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int64		nrows;
	bool		fresh;
	GiRow	   *rows = cb_window_partition_memory(winobj, sizeof(GiRow), &nrows, &fresh);
	GiRow	   *r;

	if (fresh)
		getis_ord_compute(winobj, fcinfo, rows);
	r = &rows[WinGetCurrentPosition(winobj)];
	if (!r->valid)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(cb_getis_ord_datum(fcinfo, r->gi, r->z));
}

Datum
cb_getis_ord_datum(FunctionCallInfo fcinfo, double gi, double z)
{
	double		p = cb_norm_p(z, CB_ALT_TWO_SIDED);
	Datum		values[4];
	bool		nulls[4] = {false};

	CB_FLOAT8_OR_NULL(gi, values, nulls, 0);
	CB_FLOAT8_OR_NULL(z, values, nulls, 1);
	CB_FLOAT8_OR_NULL(p, values, nulls, 2);
	values[3] = Int32GetDatum(cb_gi_bin(z, p));
	return cb_form_result(fcinfo, values, nulls);
}

/* ---- general_g aggregate ---- */

PG_FUNCTION_INFO_V1(cb_general_g_step);
Datum
cb_general_g_step(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(cb_spatial_agg_step(fcinfo, "general_g", general_g_keys));
}

PG_FUNCTION_INFO_V1(cb_general_g_final);
Datum
cb_general_g_final(PG_FUNCTION_ARGS)
{
	CbSpatialInput *in;
	MemoryContext work,
				old;
	CbCsr	   *w;
	CbGeneralG	gg;
	int			alternative;
	double		z;
	Datum		values[5];
	bool		nulls[5];

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	in = (CbSpatialInput *) PG_GETARG_POINTER(0);
	alternative = cb_opt_choice(&in->opts, "alternative", alternatives, CB_ALT_TWO_SIDED);

	work = cb_work_context("general_g");
	old = MemoryContextSwitchTo(work);
	w = cb_spatial_weights_build(in, 4, false);
	for (int32 i = 0; i < in->units.n; i++)
		if (in->units.value[i] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("general_g: value must not be negative"),
					 errdetail("%s has %g.", cb_unit_label(&in->units, i), in->units.value[i]),
					 errhint("General G measures concentration of non-negative values; use morans_i for signed data.")));
	cb_spatial_check(in, w);
	if (!cb_general_g(w, in->units.value, &gg))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("general_g: the statistic is undefined for these values"),
				 errdetail("The sum of cross-products of distinct values is zero.")));
	MemoryContextSwitchTo(old);

	z = (gg.g - gg.expected) / sqrt(gg.variance);
	values[0] = Float8GetDatum(gg.g);
	nulls[0] = false;
	values[1] = Float8GetDatum(gg.expected);
	nulls[1] = false;
	CB_FLOAT8_OR_NULL(gg.variance, values, nulls, 2);
	CB_FLOAT8_OR_NULL(z, values, nulls, 3);
	CB_FLOAT8_OR_NULL(cb_norm_p(z, alternative), values, nulls, 4);
	MemoryContextDelete(work);
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}
