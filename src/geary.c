/*
 * geary.c
 *    Geary's C (SPEC section 4, Geary 1954): the gearys_c aggregate with its
 *    moments under normality and randomisation (spdep geary.test) and a
 *    permutation pseudo p-value, and the local_geary window function (Anselin
 *    2019) with conditional permutation inference and GeoDa's cluster map
 *    categories.
 */
#include "carbonbudget.h"

#include "utils/builtins.h"
#include "utils/memutils.h"

#include "autocorr.h"
#include "spatial_input.h"

static const char *const gearys_c_keys[] = {CB_WEIGHTS_OPTION_KEYS, CB_PERMUTATION_KEYS, NULL};
static const char *const local_geary_keys[] = {CB_WEIGHTS_OPTION_KEYS, "permutations", "seed", "alpha", "fdr", NULL};

/* ---- gearys_c aggregate ---- */

PG_FUNCTION_INFO_V1(cb_gearys_c_step);
Datum
cb_gearys_c_step(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(cb_spatial_agg_step(fcinfo, "gearys_c", gearys_c_keys));
}

PG_FUNCTION_INFO_V1(cb_gearys_c_final);
Datum
cb_gearys_c_final(PG_FUNCTION_ARGS)
{
	CbSpatialInput *in;
	MemoryContext work,
				old;
	CbPermSettings ps;
	CbCsr	   *w;
	CbGeary		g;
	double		p_sim = NAN;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();		/* no rows */
	in = (CbSpatialInput *) PG_GETARG_POINTER(0);
	cb_perm_settings(&in->opts, &ps);

	work = cb_work_context("gearys_c");
	old = MemoryContextSwitchTo(work);
	w = cb_spatial_weights_build(in, 3, false);
	cb_spatial_check(in, w);
	if (!cb_geary(w, in->units.value, &g))
		elog(ERROR, "gearys_c: undefined statistic, please report a bug");
	cb_progress_start(in->func);	/* the permutations report as the SQL function */
	if (ps.permutations > 0)
		p_sim = cb_pseudo_p(cb_geary_perm(w, in->units.value, &g, ps.permutations, ps.seed), ps.permutations);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
	{
		/* positive autocorrelation (C below 1) has a positive z, as spdep geary.test */
		CbGlobalMoments m = {g.c, g.expected, g.var_norm, g.var_rand, -1.0, in->units.n, g.sums.islands};

		PG_RETURN_DATUM(cb_global_moments_datum(fcinfo, &m, &ps, p_sim));
	}
}

/* ---- local_geary window function ---- */

typedef struct GearyRow
{
	bool		valid;			/* false: the row was skipped (NULL input) */
	bool		island;
	bool		positive;		/* c_i at most its expectation: similar neighbours */
	double		c;
	double		expected;
	double		p_sim;			/* NaN without permutations and for islands */
	const char *quadrant;
	const char *cluster;
} GearyRow;

/*
 * GeoDa's local Geary cluster map: a significant unit with similar
 * neighbours (c_i at most its expectation) is HH or LL by its quadrant, or
 * "other positive"; one with dissimilar neighbours is "negative".  The
 * pseudo p-value counts the draws on the observed side of the expectation.
 */
static void
geary_row(GearyRow *r, double c, double expected, double z, double lag, bool island,
		  const CbDrawCounts *counts, int64 permutations)
{
	r->valid = true;
	r->island = island;
	r->c = island ? NAN : c;
	r->expected = island ? NAN : expected;
	r->positive = c <= expected;
	r->quadrant = cb_quadrant_label(z, lag);
	r->p_sim = NAN;
	if (permutations > 0 && !island)
		r->p_sim = (double) ((r->positive ? counts->le : permutations - counts->le) + 1) /
			(double) (permutations + 1);
	r->cluster = "not significant";
}

static void
geary_clusters(GearyRow *rows, const int64 *positions, int32 n, double alpha, bool fdr)
{
	double	   *p = palloc(sizeof(double) * n);
	double		threshold = alpha;

	for (int32 i = 0; i < n; i++)
		p[i] = rows[positions[i]].p_sim;
	if (fdr)
		threshold = cb_fdr_threshold(p, n, alpha);
	for (int32 i = 0; i < n; i++)
	{
		GearyRow   *r = &rows[positions[i]];

		/* significant when p <= alpha, as GeoDa and esda Geary_Local */
		if (isnan(p[i]) || p[i] > threshold)
			continue;
		if (!r->positive)
			r->cluster = "negative";
		else if (strcmp(r->quadrant, "HH") == 0 || strcmp(r->quadrant, "LL") == 0)
			r->cluster = r->quadrant;
		else
			r->cluster = "other positive";
	}
}

static void
local_geary_compute(WindowObject winobj, FunctionCallInfo fcinfo, GearyRow *rows)
{
	MemoryContext work = cb_work_context("local_geary");
	MemoryContext old = MemoryContextSwitchTo(work);
	CbSpatialInput *in = cb_spatial_window_read(winobj, fcinfo, "local_geary", local_geary_keys);
	CbLocalSettings ls;
	CbCsr	   *w;
	int32		n;
	CbLocalGeary lg;
	CbDrawCounts *counts;

	cb_local_settings(&in->opts, &ls);
	w = cb_spatial_weights_build(in, 3, false);
	cb_spatial_check(in, w);
	n = in->units.n;
	lg.c = palloc(sizeof(double) * n);
	lg.expected = palloc(sizeof(double) * n);
	lg.z = palloc(sizeof(double) * n);
	lg.lag = palloc(sizeof(double) * n);
	counts = palloc0(sizeof(CbDrawCounts) * n);
	if (!cb_local_geary(w, in->units.value, &lg))
		elog(ERROR, "local_geary: undefined statistic, please report a bug");
	cb_progress_start(in->func);	/* the permutations report as the SQL function */
	if (ls.ps.permutations > 0)
		cb_local_geary_perm(w, &lg, ls.ps.permutations, ls.ps.seed, cb_spatial_stream_keys(in), counts);
	for (int32 i = 0; i < n; i++)
		geary_row(&rows[in->units.row[i]], lg.c[i], lg.expected[i], lg.z[i], lg.lag[i],
				  w->start[i + 1] == w->start[i], &counts[i], ls.ps.permutations);
	geary_clusters(rows, in->units.row, n, ls.alpha, ls.fdr);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
}

PG_FUNCTION_INFO_V1(cb_local_geary_window);
Datum
cb_local_geary_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int64		nrows;
	bool		fresh;
	GearyRow   *rows = cb_window_partition_memory(winobj, sizeof(GearyRow), &nrows, &fresh);
	GearyRow   *r;
	Datum		values[5];
	bool		nulls[5] = {false};

	if (fresh)
		local_geary_compute(winobj, fcinfo, rows);
	r = &rows[WinGetCurrentPosition(winobj)];
	if (!r->valid)
		PG_RETURN_NULL();
	CB_FLOAT8_OR_NULL(r->c, values, nulls, 0);
	CB_FLOAT8_OR_NULL(r->expected, values, nulls, 1);
	CB_FLOAT8_OR_NULL(r->p_sim, values, nulls, 2);
	values[3] = CStringGetTextDatum(r->quadrant);
	values[4] = CStringGetTextDatum(r->cluster);
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}
