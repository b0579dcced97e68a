/*
 * autocorr.c
 *    Spatial autocorrelation (SPEC section 4): the morans_i aggregate and
 *    the local_moran window function (LISA), over geometries or explicit
 *    neighbour lists.
 */
#include "carbonbudget.h"

#include "utils/builtins.h"
#include "utils/memutils.h"

#include "autocorr.h"
#include "spatial_input.h"

static const char *const morans_i_keys[] = {CB_WEIGHTS_OPTION_KEYS, CB_PERMUTATION_KEYS, NULL};
static const char *const local_moran_keys[] = {CB_WEIGHTS_OPTION_KEYS, CB_PERMUTATION_KEYS,
"alpha", "fdr", "variance", NULL};

static const char *const alternatives[] = {"two.sided", "greater", "less", NULL};

void
cb_perm_settings(const CbOptions *opts, CbPermSettings *ps)
{
	ps->permutations = cb_opt_int(opts, "permutations", CB_DEFAULT_PERMUTATIONS, 0, 10000000);
	ps->seed = (uint64) cb_opt_int(opts, "seed", CB_DEFAULT_SEED, 0, PG_INT64_MAX);
	ps->alternative = cb_opt_choice(opts, "alternative", alternatives, CB_ALT_TWO_SIDED);
}

/* ---- morans_i aggregate ---- */

PG_FUNCTION_INFO_V1(cb_morans_i_step);
Datum
cb_morans_i_step(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(cb_spatial_agg_step(fcinfo, "morans_i", morans_i_keys));
}

PG_FUNCTION_INFO_V1(cb_morans_i_final);
Datum
cb_morans_i_final(PG_FUNCTION_ARGS)
{
	return cb_morans_i_final_of(fcinfo, cb_spatial_check);
}

Datum
cb_morans_i_final_of(FunctionCallInfo fcinfo, CbPrepareValues prepare)
{
	CbSpatialInput *in;
	MemoryContext work,
				old;
	CbPermSettings ps;
	CbCsr	   *w;
	CbMoranGlobal g;
	double		p_sim = NAN;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();		/* no rows */
	in = (CbSpatialInput *) PG_GETARG_POINTER(0);
	cb_perm_settings(&in->opts, &ps);

	work = cb_work_context("carbonbudget Moran's I");
	old = MemoryContextSwitchTo(work);
	w = cb_spatial_weights_build(in, 3, false);
	prepare(in, w);
	if (!cb_moran_global(w, in->units.value, &g))
		elog(ERROR, "%s: undefined statistic, please report a bug", in->func);
	cb_progress_start(in->func);	/* the permutations report as the SQL function */
	if (ps.permutations > 0)
		p_sim = cb_pseudo_p(cb_moran_global_perm(w, in->units.value, &g, ps.permutations,
												 ps.seed, NULL, NULL),
							ps.permutations);
	MemoryContextSwitchTo(old);

	MemoryContextDelete(work);
	PG_RETURN_DATUM(cb_morans_i_datum(fcinfo, &g, &ps, p_sim, in->units.n));
}

Datum
cb_morans_i_datum(FunctionCallInfo fcinfo, const CbMoranGlobal *g, const CbPermSettings *ps, double p_sim, int32 n)
{
	CbGlobalMoments m = {g->i, g->expected, g->var_norm, g->var_rand, 1.0, n, g->sums.islands};

	return cb_global_moments_datum(fcinfo, &m, ps, p_sim);
}

Datum
cb_global_moments_datum(FunctionCallInfo fcinfo, const CbGlobalMoments *m, const CbPermSettings *ps, double p_sim)
{
	double		z_norm = m->z_sign * ((m->stat - m->expected) / sqrt(m->var_norm));
	double		z_rand = m->z_sign * ((m->stat - m->expected) / sqrt(m->var_rand));
	Datum		values[12];
	bool		nulls[12] = {false};

	values[0] = Float8GetDatum(m->stat);
	values[1] = Float8GetDatum(m->expected);
	CB_FLOAT8_OR_NULL(m->var_norm, values, nulls, 2);
	CB_FLOAT8_OR_NULL(z_norm, values, nulls, 3);
	CB_FLOAT8_OR_NULL(cb_norm_p(z_norm, ps->alternative), values, nulls, 4);
	CB_FLOAT8_OR_NULL(m->var_rand, values, nulls, 5);
	CB_FLOAT8_OR_NULL(z_rand, values, nulls, 6);
	CB_FLOAT8_OR_NULL(cb_norm_p(z_rand, ps->alternative), values, nulls, 7);
	CB_FLOAT8_OR_NULL(p_sim, values, nulls, 8);
	values[9] = Int32GetDatum((int32) ps->permutations);
	values[10] = Int32GetDatum(m->n);
	values[11] = Int32GetDatum(m->islands);
	return cb_form_result(fcinfo, values, nulls);
}

/* ---- local_moran window function ---- */

typedef enum Quadrant
{
	QUADRANT_HH = 1,			/* PySAL's codes */
	QUADRANT_LH = 2,
	QUADRANT_LL = 3,
	QUADRANT_HL = 4
} Quadrant;

static const char *const quadrant_names[] = {"", "HH", "LH", "LL", "HL"};

static Quadrant
quadrant_of(double z, double lag)
{
	/* H when strictly above the mean, as PySAL; islands have lag 0 */
	if (z > 0)
		return lag > 0 ? QUADRANT_HH : QUADRANT_HL;
	return lag > 0 ? QUADRANT_LH : QUADRANT_LL;
}

const char *
cb_quadrant_label(double z, double lag)
{
	return quadrant_names[quadrant_of(z, lag)];
}

void
cb_mark_significant(CbLocalMoranRow *rows, const int64 *positions, int32 n, bool use_sim, double alpha, bool fdr)
{
	double	   *p = palloc(sizeof(double) * n);
	double		threshold = alpha;

	for (int32 i = 0; i < n; i++)
	{
		CbLocalMoranRow *r = &rows[positions[i]];

		p[i] = use_sim ? r->p_sim : r->p_norm;
	}
	if (fdr)
		threshold = cb_fdr_threshold(p, n, alpha);
	for (int32 i = 0; i < n; i++)
		rows[positions[i]].significant = !isnan(p[i]) &&
			(fdr ? p[i] <= threshold : p[i] < alpha);
}

bool
cb_local_moran_conditional(const CbOptions *opts)
{
	static const char *const variances[] = {"conditional", "total", NULL};

	return cb_opt_choice(opts, "variance", variances, 0) == 0;
}

double
cb_local_moran_alpha(const CbOptions *opts)
{
	return cb_opt_float(opts, "alpha", 0.05, 0.0, 1.0, true);
}

void
cb_local_moran_row(CbLocalMoranRow *r, double ii, double expected, double variance, double zi, double lag,
				   bool island, double p_sim, int alternative)
{
	r->valid = true;
	r->significant = false;		/* set by the caller, which knows alpha and fdr */
	r->ii = ii;
	r->expected = expected;
	r->variance = variance;
	r->z = island ? NAN : (ii - expected) / sqrt(variance);
	r->p_norm = cb_norm_p(r->z, alternative);
	r->p_sim = p_sim;
	r->quadrant = (int8) quadrant_of(zi, lag);
}

Datum
cb_local_moran_datum(FunctionCallInfo fcinfo, const CbLocalMoranRow *r, const char *func)
{
	Datum		values[8];
	bool		nulls[8] = {false};

	values[0] = Float8GetDatum(cb_finite_result(r->ii, func));
	values[1] = Float8GetDatum(cb_finite_result(r->expected, func));
	values[2] = Float8GetDatum(cb_finite_result(r->variance, func));
	CB_FLOAT8_OR_NULL(r->z, values, nulls, 3);
	CB_FLOAT8_OR_NULL(r->p_norm, values, nulls, 4);
	CB_FLOAT8_OR_NULL(r->p_sim, values, nulls, 5);
	values[6] = CStringGetTextDatum(quadrant_names[r->quadrant]);
	values[7] = CStringGetTextDatum(r->significant ? quadrant_names[r->quadrant] : "not significant");
	return cb_form_result(fcinfo, values, nulls);
}

void
cb_local_settings(const CbOptions *opts, CbLocalSettings *ls)
{
	cb_perm_settings(opts, &ls->ps);
	ls->conditional = cb_local_moran_conditional(opts);
	ls->alpha = cb_local_moran_alpha(opts);
	ls->fdr = cb_opt_bool(opts, "fdr", false);
}

void
cb_local_moran_compute(CbSpatialInput *in, const CbCsr *w, const CbLocalSettings *ls, CbLocalMoranRow *rows)
{
	CbLocalMoran lm;
	double	   *p_sim;
	int32		n = in->units.n;

	lm.ii = palloc(sizeof(double) * n);
	lm.expected = palloc(sizeof(double) * n);
	lm.variance = palloc(sizeof(double) * n);
	lm.z = palloc(sizeof(double) * n);
	lm.lag = palloc(sizeof(double) * n);
	if (!cb_local_moran(w, in->units.value, ls->conditional, &lm))
		elog(ERROR, "%s: undefined statistic, please report a bug", in->func);
	p_sim = palloc(sizeof(double) * n);
	cb_progress_start(in->func);	/* the permutations report as the SQL function */
	if (ls->ps.permutations > 0)
		cb_local_moran_perm(w, &lm, ls->ps.permutations, ls->ps.seed, cb_spatial_stream_keys(in), p_sim);

	for (int32 i = 0; i < n; i++)
		cb_local_moran_row(&rows[in->units.row[i]], lm.ii[i], lm.expected[i], lm.variance[i], lm.z[i], lm.lag[i],
						   w->start[i + 1] == w->start[i], ls->ps.permutations > 0 ? p_sim[i] : NAN,
						   ls->ps.alternative);
	cb_mark_significant(rows, in->units.row, n, ls->ps.permutations > 0, ls->alpha, ls->fdr);
}

PG_FUNCTION_INFO_V1(cb_local_moran_window);
Datum
cb_local_moran_window(PG_FUNCTION_ARGS)
{
	static const char *const value_names[] = {"value", NULL};

	return cb_local_moran_window_of(fcinfo, "local_moran", local_moran_keys, value_names, cb_spatial_check,
									cb_local_moran_compute);
}

Datum
cb_local_moran_window_of(FunctionCallInfo fcinfo, const char *func, const char *const *keys,
						 const char *const *value_names, CbPrepareValues prepare, CbLocalMoranCompute compute)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int64		nrows;
	bool		fresh;
	CbLocalMoranRow *rows = cb_window_partition_memory(winobj, sizeof(CbLocalMoranRow), &nrows, &fresh);
	CbLocalMoranRow *r;

	if (fresh)
	{
		MemoryContext work = cb_work_context("carbonbudget local Moran");
		MemoryContext old = MemoryContextSwitchTo(work);
		CbSpatialInput *in = cb_spatial_window_read_values(winobj, fcinfo, func, keys, value_names);
		CbLocalSettings ls;
		CbCsr	   *w;

		cb_local_settings(&in->opts, &ls);
		w = cb_spatial_weights_build(in, 3, false);
		prepare(in, w);
		compute(in, w, &ls, rows);
		MemoryContextSwitchTo(old);
		MemoryContextDelete(work);
	}
	r = &rows[WinGetCurrentPosition(winobj)];
	if (!r->valid)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(cb_local_moran_datum(fcinfo, r, func));
}
