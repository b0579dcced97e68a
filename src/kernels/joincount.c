/*
 * kernels/joincount.c
 *    Join counts of a binary map (Moran 1948, Cliff & Ord 1981): BB, BW and
 *    WW joins with their moments under non-free sampling (spdep
 *    joincount.multi) and permutation inference (esda Join_Counts), and the
 *    local join count BB_i of Anselin & Li (2019) (esda Join_Counts_Local,
 *    spdep local_joincount_uni).
 *
 * x holds 1 (black, true) or 0 (white, false); with binary symmetric weights
 * a join is a pair of neighbours, counted once.
 */
#include "kernels.h"
#include "draws.h"

#include <math.h>

/* bb, bw, ww: half the weight of the links between units of the two colours (exact sums). */
static void
join_count_sums(const CbCsr *w, const double *x, double *counts)
{
	CbExactSum	bb,
				bw,
				ww;

	cb_exact_sum_init(&bb);
	cb_exact_sum_init(&bw);
	cb_exact_sum_init(&ww);
	for (int32_t i = 0; i < w->n; i++)
	{
		int32_t		k = (int32_t) (w->start[i + 1] - w->start[i]);
		const double *wr = w->w + w->start[i];
		double		lag = cb_row_lag(w->col + w->start[i], wr, k, x);
		double		row = 0.0;

		for (int32_t t = 0; t < k; t++)
			row += wr[t];
		cb_exact_sum_add(&bb, x[i] * lag);
		cb_exact_sum_add(&bw, x[i] * (row - lag) + (1.0 - x[i]) * lag);
		cb_exact_sum_add(&ww, (1.0 - x[i]) * (row - lag));
	}
	counts[CB_JC_BB] = cb_exact_sum_value(&bb) / 2.0;
	counts[CB_JC_BW] = cb_exact_sum_value(&bw) / 2.0;
	counts[CB_JC_WW] = cb_exact_sum_value(&ww) / 2.0;
}

/* Mean and variance of the joins of one colour (nc units of it). */
static void
same_colour_moments(const CbWeightSums *s, double nu, double nc, double *expected, double *variance)
{
	double		n1 = nu - 1.0,
				n2 = nu - 2.0,
				n3 = nu - 3.0;
	double		s02 = s->s0 * s->s0;
	double		v;

	*expected = s->s0 * nc * (nc - 1.0) / (2.0 * nu * n1);
	v = s->s1 * nc * (nc - 1.0) / (nu * n1)
		+ (s->s2 - 2.0 * s->s1) * nc * (nc - 1.0) * (nc - 2.0) / (nu * n1 * n2)
		+ (s02 + s->s1 - s->s2) * nc * (nc - 1.0) * (nc - 2.0) * (nc - 3.0) / (nu * n1 * n2 * n3);
	*variance = 0.25 * v - *expected * *expected;
}

bool
cb_join_counts(const CbCsr *w, const double *x, CbJoinCounts *out)
{
	int32_t		n = w->n;
	CbWeightSums *s = &out->sums;
	double		nu,
				nb,
				nw,
				n1,
				n2,
				n3,
				v;

	cb_csr_sums(w, s);
	out->ones = 0;
	for (int32_t i = 0; i < n; i++)
		out->ones += (x[i] != 0.0);
	out->n_used = n - s->islands;
	if (out->ones == 0 || out->ones == n || out->n_used < 4 || s->s0 == 0.0)
		return false;
	join_count_sums(w, x, out->count);
	out->joins = s->s0 / 2.0;

	/* spdep joincount.multi: N = units with neighbours (adjust.n), colour counts over all units */
	nu = out->n_used;
	n1 = nu - 1.0;
	n2 = nu - 2.0;
	n3 = nu - 3.0;
	nb = out->ones;
	nw = n - out->ones;
	same_colour_moments(s, nu, nb, &out->expected[CB_JC_BB], &out->variance[CB_JC_BB]);
	same_colour_moments(s, nu, nw, &out->expected[CB_JC_WW], &out->variance[CB_JC_WW]);
	out->expected[CB_JC_BW] = s->s0 * nb * nw / (nu * n1);
	v = 2.0 * s->s1 * nb * nw / (nu * n1)
		+ (s->s2 - 2.0 * s->s1) * nb * nw * (nb + nw - 2.0) / (nu * n1 * n2)
		+ 4.0 * (s->s0 * s->s0 + s->s1 - s->s2) * nb * (nb - 1.0) * nw * (nw - 1.0) / (nu * n1 * n2 * n3);
	out->variance[CB_JC_BW] = 0.25 * v - out->expected[CB_JC_BW] * out->expected[CB_JC_BW];
	return true;
}

static void
join_count_perm_stat(const CbCsr *w, const double *xp, const void *ctx, double *stats)
{
	(void) ctx;
	join_count_sums(w, xp, stats);
}

void
cb_join_counts_perm(const CbCsr *w, const double *x, const CbJoinCounts *obs, int64_t permutations,
					uint64_t seed, int64_t *count_ge)
{
	cb_global_perm(w, x, permutations, seed, 3, obs->count, join_count_perm_stat, NULL, count_ge, NULL, NULL);
}

void
cb_local_join_count(const CbCsr *w, const double *x, double *bb, double *expected)
{
	int32_t		n = w->n;
	double		ones = 0.0;

	for (int32_t i = 0; i < n; i++)
		ones += x[i];
	for (int32_t i = 0; i < n; i++)
	{
		int32_t		k = (int32_t) (w->start[i + 1] - w->start[i]);
		const double *wr = w->w + w->start[i];
		double		wi = 0.0;

		for (int32_t t = 0; t < k; t++)
			wi += wr[t];
		bb[i] = x[i] * cb_row_lag(w->col + w->start[i], wr, k, x);
		/* each neighbour drawn from the other n - 1 units is black with probability (ones - x_i) / (n - 1) */
		expected[i] = x[i] * wi * (ones - x[i]) / (n - 1.0);
	}
}

/* A conditional draw of the local join count of a black unit: its neighbours' colours drawn (ctx: x, bb). */
static double
join_count_draw_stat(const double *w, int32_t k, const int32_t *draw, const void *ctx)
{
	return cb_row_lag(draw, w, k, ((const double *const *) ctx)[0]);
}

/* A black unit with a black neighbour is tested; others have no p-value (NaN: no draws), as in esda. */
static double
join_count_draw_unit(void *ctx, int32_t i)
{
	const double *bb = ((const double *const *) ctx)[1];

	return bb[i] == 0.0 ? NAN : bb[i];
}

void
cb_local_join_count_perm(const CbCsr *w, const double *x, const double *bb, int64_t permutations,
						 uint64_t seed, const uint64_t *keys, double *p_sim)
{
	const double *data[2] = {x, bb};

	cb_conditional_p_sim_units(w, permutations, seed, keys, join_count_draw_stat, join_count_draw_unit, data, p_sim);
}
