/*
 * kernels/geary.c
 *    Geary's C (Geary 1954) with its moments under normality and
 *    randomisation (Cliff & Ord; spdep geary.test, esda Geary), and the local
 *    Geary c_i (Anselin 2019; esda Geary_Local, spdep localC, GeoDa) with
 *    conditional permutation inference.
 */
#include "kernels.h"
#include "draws.h"

#include <math.h>

/* sum_t w[t] (z_i - z[col[t]])^2: unit i's squared differences with its neighbours. */
static double
row_sq_diff(const int32_t *col, const double *w, int32_t k, double zi, const double *z)
{
	double		s = 0.0;

	for (int32_t t = 0; t < k; t++)
		s += w[t] * (zi - z[col[t]]) * (zi - z[col[t]]);
	return s;
}

/* sum_ij w_ij (z_i - z_j)^2, summed exactly (the same bits however the units are split). */
static double
geary_sum(const CbCsr *w, const double *z)
{
	CbExactSum	sum;
	double		term[CB_SUM_BLOCK];

	cb_exact_sum_init(&sum);
	for (int32_t i0 = 0; i0 < w->n; i0 += CB_SUM_BLOCK)
	{
		int			count = w->n - i0 < CB_SUM_BLOCK ? w->n - i0 : CB_SUM_BLOCK;

		for (int t = 0; t < count; t++)
		{
			int32_t		i = i0 + t;

			term[t] = row_sq_diff(w->col + w->start[i], w->w + w->start[i],
								  (int32_t) (w->start[i + 1] - w->start[i]), z[i], z);
		}
		cb_exact_sum_add_many(&sum, term, count);
	}
	return cb_exact_sum_value(&sum);
}

bool
cb_geary(const CbCsr *w, const double *x, CbGeary *out)
{
	int32_t		n = w->n;
	double	   *z = cb_alloc(sizeof(double) * (size_t) n);
	double		z4,
				nu,
				nn,
				s02,
				kurt;
	CbWeightSums *s = &out->sums;

	cb_csr_sums(w, s);
	cb_centred_sums(x, n, z, &out->zz, &z4);
	out->n_used = n - s->islands;
	if (out->zz == 0.0 || out->n_used < 2 || s->s0 == 0.0)
	{
		cb_free(z);
		return false;
	}
	/* spdep's conventions with islands (adjust.n): N = units with neighbours, n = all units */
	nu = out->n_used;
	nn = nu * nu;
	s02 = s->s0 * s->s0;
	out->scale = (nu - 1.0) / (2.0 * s->s0);
	out->c = out->scale * (geary_sum(w, z) / out->zz);
	out->expected = 1.0;
	out->var_norm = ((2.0 * s->s1 + s->s2) * (nu - 1.0) - 4.0 * s02) / (2.0 * (n + 1.0) * s02);
	kurt = nu * z4 / (out->zz * out->zz);
	if (out->n_used > 3)
		out->var_rand = ((nu - 1.0) * s->s1 * (nn - 3.0 * n + 3.0 - kurt * (nu - 1.0))
						 - 0.25 * (nu - 1.0) * s->s2 * (nn + 3.0 * n - 6.0 - kurt * (nn - n + 2.0))
						 + s02 * (nn - 3.0 - kurt * (nu - 1.0) * (nu - 1.0)))
			/ (n * (nu - 2.0) * (nu - 3.0) * s02);
	else
		out->var_rand = NAN;
	cb_free(z);
	return true;
}

/* What a global permutation of Geary's C needs beside the permuted values. */
typedef struct GearyPerm
{
	double		scale;
	double		zz;
} GearyPerm;

static void
geary_perm_stat(const CbCsr *w, const double *zp, const void *ctx, double *stats)
{
	const GearyPerm *g = ctx;

	stats[0] = g->scale * (geary_sum(w, zp) / g->zz);
}

int64_t
cb_geary_perm(const CbCsr *w, const double *x, const CbGeary *obs, int64_t permutations, uint64_t seed)
{
	int32_t		n = w->n;
	double	   *z = cb_alloc(sizeof(double) * (size_t) n);
	double		zz,
				z4;
	GearyPerm	g = {obs->scale, obs->zz};
	int64_t		count_ge;

	cb_centred_sums(x, n, z, &zz, &z4);
	cb_global_perm(w, z, permutations, seed, 1, &obs->c, geary_perm_stat, &g, &count_ge, NULL, NULL);
	cb_free(z);
	return count_ge;
}

bool
cb_local_geary(const CbCsr *w, const double *x, CbLocalGeary *out)
{
	int32_t		n = w->n;
	double		zz,
				z4,
				sd;

	cb_centred_sums(x, n, out->z, &zz, &z4);
	if (zz == 0.0 || n < 2)
		return false;
	/* standardised with the sample standard deviation, as GeoDa and spdep localC */
	sd = sqrt(zz / (n - 1.0));
	zz = 0.0;
	for (int32_t i = 0; i < n; i++)
	{
		out->z[i] /= sd;
		zz += out->z[i] * out->z[i];
	}
	for (int32_t i = 0; i < n; i++)
	{
		const int32_t *col = w->col + w->start[i];
		const double *wr = w->w + w->start[i];
		int32_t		k = (int32_t) (w->start[i + 1] - w->start[i]);
		double		zi = out->z[i];
		double		wi = 0.0;

		for (int32_t t = 0; t < k; t++)
			wi += wr[t];
		out->c[i] = row_sq_diff(col, wr, k, zi, out->z);
		out->lag[i] = cb_row_lag(col, wr, k, out->z);
		/* E (z_i - z_J)^2 for J drawn from the other n - 1 units, whose mean is -z_i / (n - 1) */
		out->expected[i] = wi * (zi * zi + 2.0 * zi * zi / (n - 1.0) + (zz - zi * zi) / (n - 1.0));
	}
	return true;
}

/* A conditional draw of local Geary: z_i held, its neighbours' values drawn. */
typedef struct GearyDraw
{
	const CbLocalGeary *lg;
	double		zi;
} GearyDraw;

static double
geary_draw_stat(const double *w, int32_t k, const int32_t *draw, const void *ctx)
{
	const GearyDraw *g = ctx;

	return row_sq_diff(draw, w, k, g->zi, g->lg->z);
}

static double
geary_draw_unit(void *ctx, int32_t i)
{
	GearyDraw  *g = ctx;

	g->zi = g->lg->z[i];
	return g->lg->c[i];
}

void
cb_local_geary_perm(const CbCsr *w, const CbLocalGeary *lg, int64_t permutations, uint64_t seed,
					const uint64_t *keys, CbDrawCounts *counts)
{
	GearyDraw	g = {lg, 0.0};

	cb_conditional_draws_units(w, permutations, seed, keys, geary_draw_stat, geary_draw_unit, &g, counts);
}
