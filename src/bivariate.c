/*
 * bivariate.c
 *    Moran's I of two values per row (SPEC section 4, GeoDa/esda): bivariate
 *    Moran (morans_i_bv, local_moran_bv: x at each unit against the spatial
 *    lag of y), Moran's I of empirical Bayes standardised rates
 *    (morans_i_rate, local_moran_rate) and differential Moran of the change
 *    between two years (differential_moran, local_differential_moran).
 *
 * The rate and change forms make the values and hand them to the Moran's I
 * and local Moran code of autocorr.c, so their results are exactly those of
 * morans_i and local_moran on the standardised rates or on the change.
 */
#include "carbonbudget.h"

#include "utils/memutils.h"

#include "autocorr.h"
#include "spatial_input.h"

static const char *const morans_i_bv_keys[] = {CB_WEIGHTS_OPTION_KEYS, CB_PERMUTATION_KEYS, NULL};
static const char *const local_moran_bv_keys[] = {CB_WEIGHTS_OPTION_KEYS, CB_PERMUTATION_KEYS, "alpha", "fdr", NULL};
/* the rate and change forms take the options of morans_i and local_moran */
static const char *const global_keys[] = {CB_WEIGHTS_OPTION_KEYS, CB_PERMUTATION_KEYS, NULL};
static const char *const local_keys[] = {CB_WEIGHTS_OPTION_KEYS, CB_PERMUTATION_KEYS,
"alpha", "fdr", "variance", NULL};

static const char *const bv_names[] = {"x", "y", NULL};
static const char *const rate_names[] = {"events", "population", NULL};
static const char *const change_names[] = {"value_t0", "value_t1", NULL};

/*
 * The final functions read two values per unit: a state of a one-value
 * transition function (which an aggregate of the caller's own may pair with
 * them) is refused rather than read.
 */
static void
require_two_values(FunctionCallInfo fcinfo, const char *func)
{
	if (!PG_ARGISNULL(0) && !((CbSpatialInput *) PG_GETARG_POINTER(0))->units.two_values)
		cb_state_invalid(func, "The state holds one value per row, not two.");
}

/* x and y vary, there are links, and both are scaled (bivariate Moran is scale-invariant in each). */
static void
bv_prepare(CbSpatialInput *in, const CbCsr *w)
{
	cb_spatial_check_varies(in, in->units.value, "x");
	cb_spatial_check_varies(in, in->units.value2, "y");
	cb_spatial_check_links(in, w);
	cb_spatial_scale(in, in->units.value);
	cb_spatial_scale(in, in->units.value2);
}

/* ---- morans_i_bv aggregate ---- */

PG_FUNCTION_INFO_V1(cb_morans_i_bv_step);
Datum
cb_morans_i_bv_step(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(cb_spatial_agg_step_values(fcinfo, "morans_i_bv", morans_i_bv_keys, bv_names));
}

static Datum
morans_i_bv_datum(FunctionCallInfo fcinfo, const CbMoranBv *bv, const CbPermSettings *ps, double p_sim)
{
	double		z = (bv->i - bv->expected) / sqrt(bv->variance);
	Datum		values[9];
	bool		nulls[9] = {false};

	values[0] = Float8GetDatum(bv->i);
	values[1] = Float8GetDatum(bv->expected);
	CB_FLOAT8_OR_NULL(bv->variance, values, nulls, 2);
	CB_FLOAT8_OR_NULL(z, values, nulls, 3);
	CB_FLOAT8_OR_NULL(cb_norm_p(z, ps->alternative), values, nulls, 4);
	CB_FLOAT8_OR_NULL(p_sim, values, nulls, 5);
	values[6] = Int32GetDatum((int32) ps->permutations);
	values[7] = Int32GetDatum(bv->n);
	values[8] = Int32GetDatum(bv->islands);
	return cb_form_result(fcinfo, values, nulls);
}

PG_FUNCTION_INFO_V1(cb_morans_i_bv_final);
Datum
cb_morans_i_bv_final(PG_FUNCTION_ARGS)
{
	CbSpatialInput *in;
	MemoryContext work,
				old;
	CbPermSettings ps;
	CbCsr	   *w;
	CbMoranBv	bv;
	double		p_sim = NAN;
	Datum		result;

	require_two_values(fcinfo, "morans_i_bv");
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();		/* no rows */
	in = (CbSpatialInput *) PG_GETARG_POINTER(0);
	cb_perm_settings(&in->opts, &ps);

	work = cb_work_context("morans_i_bv");
	old = MemoryContextSwitchTo(work);
	w = cb_spatial_weights_build(in, 3, false);
	bv_prepare(in, w);
	if (!cb_moran_bv(w, in->units.value, in->units.value2, &bv))
		elog(ERROR, "morans_i_bv: undefined statistic, please report a bug");
	cb_progress_start(in->func);	/* the permutations report as the SQL function */
	if (ps.permutations > 0)
		p_sim = cb_pseudo_p(cb_moran_bv_perm(w, &bv, ps.permutations, ps.seed), ps.permutations);
	MemoryContextSwitchTo(old);
	result = morans_i_bv_datum(fcinfo, &bv, &ps, p_sim);
	MemoryContextDelete(work);
	PG_RETURN_DATUM(result);
}

/* ---- local_moran_bv window function ---- */

static void
local_moran_bv_compute(CbSpatialInput *in, const CbCsr *w, const CbLocalSettings *ls, CbLocalMoranRow *rows)
{
	int32		n = in->units.n;
	CbLocalMoranBv lb;
	double	   *p_sim = palloc(sizeof(double) * n);

	lb.ii = palloc(sizeof(double) * n);
	lb.expected = palloc(sizeof(double) * n);
	lb.variance = palloc(sizeof(double) * n);
	lb.lag = palloc(sizeof(double) * n);
	if (!cb_local_moran_bv(w, in->units.value, in->units.value2, &lb))
		elog(ERROR, "local_moran_bv: undefined statistic, please report a bug");
	cb_progress_start(in->func);	/* the permutations report as the SQL function */
	if (ls->ps.permutations > 0)
		cb_local_moran_bv_perm(w, &lb, ls->ps.permutations, ls->ps.seed, cb_spatial_stream_keys(in), p_sim);
	for (int32 i = 0; i < n; i++)
		cb_local_moran_row(&rows[in->units.row[i]], lb.ii[i], lb.expected[i], lb.variance[i], lb.global.cx[i],
						   lb.lag[i], w->start[i + 1] == w->start[i], ls->ps.permutations > 0 ? p_sim[i] : NAN,
						   ls->ps.alternative);
	cb_mark_significant(rows, in->units.row, n, ls->ps.permutations > 0, ls->alpha, ls->fdr);
}

PG_FUNCTION_INFO_V1(cb_local_moran_bv_window);
Datum
cb_local_moran_bv_window(PG_FUNCTION_ARGS)
{
	return cb_local_moran_window_of(fcinfo, "local_moran_bv", local_moran_bv_keys, bv_names, bv_prepare,
									local_moran_bv_compute);
}

/* ---- Moran's I of empirical Bayes standardised rates ---- */

/*
 * Events must not be negative and populations must be positive; the
 * population is scaled by a power of two (the standardised rates do not
 * change), the rates standardised in place of the events.
 */
static void
rate_prepare(CbSpatialInput *in, const CbCsr *w)
{
	CbUnitSet  *u = &in->units;

	for (int32 i = 0; i < u->n; i++)
	{
		if (u->value[i] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: events must not be negative", in->func),
					 errdetail("%s has %g.", cb_unit_label(u, i), u->value[i]),
					 errhint("Pass counts or amounts of the event, e.g. emissions in t CO2.")));
		if (!(u->value2[i] > 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: population must be positive", in->func),
					 errdetail("%s has %g.", cb_unit_label(u, i), u->value2[i]),
					 errhint("Leave out units without population at risk, e.g. WHERE population > 0.")));
	}
	cb_spatial_scale(in, u->value2);
	if (!cb_eb_standardise(u->value, u->value2, u->n, u->value))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: there are no events", in->func),
				 errdetail("events is 0 in all %d units, so the rates cannot be standardised.", u->n)));
	for (int32 i = 0; i < u->n; i++)
		if (!isfinite(u->value[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s: the rate of %s is out of the range of double precision", in->func,
							cb_unit_label(u, i)),
					 errhint("Give population in a unit closer to that of the other units.")));
	cb_spatial_check_varies(in, u->value, "the standardised rate");
	cb_spatial_check_links(in, w);
	cb_spatial_scale(in, u->value);
}

PG_FUNCTION_INFO_V1(cb_morans_i_rate_step);
Datum
cb_morans_i_rate_step(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(cb_spatial_agg_step_values(fcinfo, "morans_i_rate", global_keys, rate_names));
}

PG_FUNCTION_INFO_V1(cb_morans_i_rate_final);
Datum
cb_morans_i_rate_final(PG_FUNCTION_ARGS)
{
	require_two_values(fcinfo, "morans_i_rate");
	return cb_morans_i_final_of(fcinfo, rate_prepare);
}

PG_FUNCTION_INFO_V1(cb_local_moran_rate_window);
Datum
cb_local_moran_rate_window(PG_FUNCTION_ARGS)
{
	return cb_local_moran_window_of(fcinfo, "local_moran_rate", local_keys, rate_names, rate_prepare,
									cb_local_moran_compute);
}

/* ---- differential Moran: the change value_t1 - value_t0 ---- */

/* The change, computed on both years divided by one power of two so that it cannot overflow. */
static void
change_prepare(CbSpatialInput *in, const CbCsr *w)
{
	CbUnitSet  *u = &in->units;
	double		unit = Max(cb_pow2_unit(u->n, u->value), cb_pow2_unit(u->n, u->value2));

	for (int32 i = 0; i < u->n; i++)
		u->value[i] = u->value2[i] / unit - u->value[i] / unit;
	cb_spatial_check_varies(in, u->value, "the change value_t1 - value_t0");
	cb_spatial_check_links(in, w);
	cb_spatial_scale(in, u->value);
}

PG_FUNCTION_INFO_V1(cb_differential_moran_step);
Datum
cb_differential_moran_step(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(cb_spatial_agg_step_values(fcinfo, "differential_moran", global_keys, change_names));
}

PG_FUNCTION_INFO_V1(cb_differential_moran_final);
Datum
cb_differential_moran_final(PG_FUNCTION_ARGS)
{
	require_two_values(fcinfo, "differential_moran");
	return cb_morans_i_final_of(fcinfo, change_prepare);
}

PG_FUNCTION_INFO_V1(cb_local_differential_moran_window);
Datum
cb_local_differential_moran_window(PG_FUNCTION_ARGS)
{
	return cb_local_moran_window_of(fcinfo, "local_differential_moran", local_keys, change_names, change_prepare,
									cb_local_moran_compute);
}
