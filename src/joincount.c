/*
 * joincount.c
 *    Join counts of binary maps (SPEC section 4; Cliff & Ord 1981): the
 *    join_counts aggregate (BB, BW and WW joins with their moments under
 *    non-free sampling, spdep joincount.multi, and permutation pseudo
 *    p-values, esda Join_Counts) and the local_join_count window function
 *    (Anselin & Li 2019, esda Join_Counts_Local).
 *
 * The value is a boolean: true is "black" (B), false "white" (W).  Weights
 * are binary unless style=W is asked for, so that a join is a pair of
 * neighbours.
 */
#include "carbonbudget.h"

#include "utils/builtins.h"
#include "utils/memutils.h"

#include "autocorr.h"
#include "spatial_input.h"

static const char *const join_counts_keys[] = {CB_WEIGHTS_OPTION_KEYS, CB_PERMUTATION_KEYS, NULL};
static const char *const local_join_count_keys[] = {CB_WEIGHTS_OPTION_KEYS, "permutations", "seed", "alpha", "fdr",
NULL};
static const char *const binary_names[] = {"binary", NULL};

/* Binary weights unless the options ask for row-standardised ones. */
static void
binary_style_default(CbSpatialInput *in)
{
	if (!cb_opt_present(&in->opts, "style"))
		in->spec.style = 'B';
}

/*
 * Both colours occur and there are links.  Values other than 0 and 1 can only
 * come from another aggregate's transition function paired with join_counts'
 * final function in an aggregate of the caller's own.
 */
static void
binary_check(const CbSpatialInput *in, const CbCsr *w)
{
	const CbUnitSet *u = &in->units;
	int32		ones = 0;

	for (int32 i = 0; i < u->n; i++)
	{
		if (u->value[i] != 0.0 && u->value[i] != 1.0)
			cb_state_invalid("join_counts", "The state holds values other than true and false.");
		ones += (u->value[i] != 0.0);
	}
	if (ones == 0 || ones == u->n)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: binary is %s in every unit", in->func, ones ? "true" : "false"),
				 errdetail("All %d non-NULL values are equal, so there are no joins of the other colour.", u->n)));
	cb_spatial_check_links(in, w);
}

/* ---- join_counts aggregate ---- */

PG_FUNCTION_INFO_V1(cb_join_counts_step);
Datum
cb_join_counts_step(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(cb_spatial_agg_step_values(fcinfo, "join_counts", join_counts_keys, binary_names));
}

/* Statistic kind k's (expected, variance, z, p) into values[at .. at + 4). */
static void
join_count_moments(const CbJoinCounts *jc, int k, int alternative, Datum *values, bool *nulls, int at)
{
	double		z = (jc->count[k] - jc->expected[k]) / sqrt(jc->variance[k]);

	CB_FLOAT8_OR_NULL(jc->expected[k], values, nulls, at);
	CB_FLOAT8_OR_NULL(jc->variance[k], values, nulls, at + 1);
	CB_FLOAT8_OR_NULL(z, values, nulls, at + 2);
	CB_FLOAT8_OR_NULL(cb_norm_p(z, alternative), values, nulls, at + 3);
}

static Datum
join_counts_datum(FunctionCallInfo fcinfo, const CbJoinCounts *jc, const CbPermSettings *ps,
				  const int64 *count_ge, int32 n)
{
	static const int order[3] = {CB_JC_BB, CB_JC_BW, CB_JC_WW};
	Datum		values[23];
	bool		nulls[23] = {false};

	for (int s = 0; s < 3; s++)
	{
		values[s] = Float8GetDatum(jc->count[order[s]]);
		join_count_moments(jc, order[s], ps->alternative, values, nulls, 4 + 4 * s);
		if (ps->permutations > 0)
			values[16 + s] = Float8GetDatum(cb_pseudo_p(count_ge[order[s]], ps->permutations));
		else
			nulls[16 + s] = true;
	}
	values[3] = Float8GetDatum(jc->joins);
	values[19] = Int32GetDatum((int32) ps->permutations);
	values[20] = Int32GetDatum(n);
	values[21] = Int32GetDatum(jc->ones);
	values[22] = Int32GetDatum(jc->sums.islands);
	return cb_form_result(fcinfo, values, nulls);
}

PG_FUNCTION_INFO_V1(cb_join_counts_final);
Datum
cb_join_counts_final(PG_FUNCTION_ARGS)
{
	CbSpatialInput *in;
	MemoryContext work,
				old;
	CbPermSettings ps;
	CbCsr	   *w;
	CbJoinCounts jc;
	int64		count_ge[3] = {0, 0, 0};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();		/* no rows */
	in = (CbSpatialInput *) PG_GETARG_POINTER(0);
	cb_perm_settings(&in->opts, &ps);
	binary_style_default(in);

	work = cb_work_context("join_counts");
	old = MemoryContextSwitchTo(work);
	w = cb_spatial_weights_build(in, 4, false);
	binary_check(in, w);
	if (!cb_join_counts(w, in->units.value, &jc))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("join_counts needs at least 4 units with neighbours, got %d", jc.n_used)));
	cb_progress_start(in->func);	/* the permutations report as the SQL function */
	if (ps.permutations > 0)
		cb_join_counts_perm(w, in->units.value, &jc, ps.permutations, ps.seed, count_ge);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
	PG_RETURN_DATUM(join_counts_datum(fcinfo, &jc, &ps, count_ge, in->units.n));
}

/* ---- local_join_count window function ---- */

typedef struct JoinCountRow
{
	bool		valid;			/* false: the row was skipped (NULL input) */
	bool		significant;
	double		bb;
	double		expected;
	double		p_sim;			/* NaN for units without a black join, and without permutations */
} JoinCountRow;

static void
local_join_count_compute(WindowObject winobj, FunctionCallInfo fcinfo, JoinCountRow *rows)
{
	MemoryContext work = cb_work_context("local_join_count");
	MemoryContext old = MemoryContextSwitchTo(work);
	CbSpatialInput *in = cb_spatial_window_read_values(winobj, fcinfo, "local_join_count", local_join_count_keys,
													   binary_names);
	CbLocalSettings ls;
	CbCsr	   *w;
	int32		n;
	double	   *bb,
			   *expected,
			   *p_sim,
				threshold;

	cb_local_settings(&in->opts, &ls);
	binary_style_default(in);
	w = cb_spatial_weights_build(in, 3, false);
	binary_check(in, w);
	n = in->units.n;
	bb = palloc(sizeof(double) * n);
	expected = palloc(sizeof(double) * n);
	p_sim = palloc(sizeof(double) * n);
	cb_local_join_count(w, in->units.value, bb, expected);
	cb_progress_start(in->func);	/* the permutations report as the SQL function */
	if (ls.ps.permutations > 0)
		cb_local_join_count_perm(w, in->units.value, bb, ls.ps.permutations, ls.ps.seed,
								 cb_spatial_stream_keys(in), p_sim);
	else
		for (int32 i = 0; i < n; i++)
			p_sim[i] = NAN;
	/* significant when p <= alpha, as the local Geary map of GeoDa */
	threshold = ls.fdr ? cb_fdr_threshold(p_sim, n, ls.alpha) : ls.alpha;
	for (int32 i = 0; i < n; i++)
	{
		JoinCountRow *r = &rows[in->units.row[i]];

		r->valid = true;
		r->bb = bb[i];
		r->expected = expected[i];
		r->p_sim = p_sim[i];
		r->significant = !isnan(p_sim[i]) && p_sim[i] <= threshold;
	}
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
}

PG_FUNCTION_INFO_V1(cb_local_join_count_window);
Datum
cb_local_join_count_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int64		nrows;
	bool		fresh;
	JoinCountRow *rows = cb_window_partition_memory(winobj, sizeof(JoinCountRow), &nrows, &fresh);
	JoinCountRow *r;
	Datum		values[4];
	bool		nulls[4] = {false};

	if (fresh)
		local_join_count_compute(winobj, fcinfo, rows);
	r = &rows[WinGetCurrentPosition(winobj)];
	if (!r->valid)
		PG_RETURN_NULL();
	values[0] = Float8GetDatum(r->bb);
	values[1] = Float8GetDatum(r->expected);
	CB_FLOAT8_OR_NULL(r->p_sim, values, nulls, 2);
	values[3] = CStringGetTextDatum(r->significant ? "BB" : "not significant");
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}
