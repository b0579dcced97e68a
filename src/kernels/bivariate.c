/*
 * kernels/bivariate.c
 *    Bivariate Moran's I (x at each unit against the spatial lag of y, esda
 *    Moran_BV and Moran_Local_BV, spdep moran_bv and localmoran_bv) with its
 *    moments under permutation of y, and the empirical Bayes standardisation
 *    of rates (Assuncao & Reis 1999, esda assuncao_rate) that Moran's I of
 *    rates is computed on.
 */
#include "kernels.h"
#include "draws.h"

#include <math.h>

bool
cb_moran_bv(const CbCsr *w, const double *x, const double *y, CbMoranBv *out)
{
	int32_t		n = w->n;
	double	   *a = cb_alloc(sizeof(double) * (size_t) n);
	double		x4,
				y4,
				abar = 0.0,
				spread = 0.0;

	out->n = n;
	out->cx = cb_alloc(sizeof(double) * (size_t) n);
	out->cy = cb_alloc(sizeof(double) * (size_t) n);
	cb_centred_sums(x, n, out->cx, &out->sx, &x4);
	cb_centred_sums(y, n, out->cy, &out->sy, &y4);
	if (out->sx == 0.0 || out->sy == 0.0 || n < 2)
	{
		cb_free(a);
		return false;
	}
	out->norm = sqrt(out->sx) * sqrt(out->sy);
	out->i = cb_cross_product(w, out->cx, out->cy) / out->norm;

	/*
	 * Permuting y over the units, the cross-product is sum_j a_j y_pi(j) with
	 * a = W'x: its mean is 0 (y is centred) and its variance that of a
	 * weighted sum drawn without replacement, sum (a - abar)^2 Sy / (n - 1).
	 */
	out->islands = 0;
	for (int32_t i = 0; i < n; i++)
	{
		out->islands += (w->start[i + 1] == w->start[i]);
		for (int64_t t = w->start[i]; t < w->start[i + 1]; t++)
			a[w->col[t]] += w->w[t] * out->cx[i];
	}
	for (int32_t j = 0; j < n; j++)
		abar += a[j];
	abar /= n;
	for (int32_t j = 0; j < n; j++)
		spread += (a[j] - abar) * (a[j] - abar);
	out->expected = 0.0;
	out->variance = spread / ((n - 1.0) * out->sx);
	cb_free(a);
	return true;
}

/* What a global permutation of bivariate Moran needs beside the permuted y. */
typedef struct BvPerm
{
	const double *cx;
	double		norm;
} BvPerm;

static void
bv_perm_stat(const CbCsr *w, const double *cy_permuted, const void *ctx, double *stats)
{
	const BvPerm *b = ctx;

	stats[0] = cb_cross_product(w, b->cx, cy_permuted) / b->norm;
}

int64_t
cb_moran_bv_perm(const CbCsr *w, const CbMoranBv *obs, int64_t permutations, uint64_t seed)
{
	BvPerm		b = {obs->cx, obs->norm};
	int64_t		count_ge;

	/* y moves, x stays: y_pi(i) at unit i */
	cb_global_perm(w, obs->cy, permutations, seed, 1, &obs->i, bv_perm_stat, &b, &count_ge, NULL, NULL);
	return count_ge;
}

void
cb_local_moran_bv_unit(const double *w, int32_t k, double cxi, double cyi, double lag, int32_t n, double sy,
					   double norm, double *ii, double *expected, double *variance)
{
	double		others = n - 1.0;
	double		scale = others * cxi / norm;
	double		mean_others = -cyi / others;
	double		var_others = fmax(0.0, (sy - cyi * cyi) / others - mean_others * mean_others);
	double		wi = 0.0,
				wi2 = 0.0;

	for (int32_t t = 0; t < k; t++)
	{
		wi += w[t];
		wi2 += w[t] * w[t];
	}
	*ii = scale * lag;
	/* the lag of y over k values drawn without replacement from the other n - 1 units */
	*expected = scale * wi * mean_others;
	*variance = scale * scale * var_others * (others / (others - 1.0)) * (wi2 - wi * wi / others);
}

bool
cb_local_moran_bv(const CbCsr *w, const double *x, const double *y, CbLocalMoranBv *out)
{
	int32_t		n = w->n;

	if (!cb_moran_bv(w, x, y, &out->global))
		return false;
	for (int32_t i = 0; i < n; i++)
	{
		int32_t		k = (int32_t) (w->start[i + 1] - w->start[i]);

		out->lag[i] = cb_row_lag(w->col + w->start[i], w->w + w->start[i], k, out->global.cy);
		cb_local_moran_bv_unit(w->w + w->start[i], k, out->global.cx[i], out->global.cy[i], out->lag[i], n,
							   out->global.sy, out->global.norm, &out->ii[i], &out->expected[i],
							   &out->variance[i]);
	}
	return true;
}

/* A conditional draw of local bivariate Moran: x_i held, the lag of y drawn. */
typedef struct BvDraw
{
	const CbLocalMoranBv *lb;
	double		scale;			/* (n - 1) x_i / sqrt(Sx Sy) */
} BvDraw;

static double
bv_draw_stat(const double *w, int32_t k, const int32_t *draw, const void *ctx)
{
	const BvDraw *b = ctx;
	double		lag = 0.0;

	for (int32_t t = 0; t < k; t++)
		lag += w[t] * b->lb->global.cy[draw[t]];
	return b->scale * lag;
}

static double
bv_draw_unit(void *ctx, int32_t i)
{
	BvDraw	   *b = ctx;
	const CbMoranBv *g = &b->lb->global;

	/* as cb_local_moran_bv_unit computes it, so that a draw equal to the observed lag counts */
	b->scale = (g->n - 1.0) * g->cx[i] / g->norm;
	return b->lb->ii[i];
}

void
cb_local_moran_bv_perm(const CbCsr *w, const CbLocalMoranBv *lb, int64_t permutations, uint64_t seed,
					   const uint64_t *keys, double *p_sim)
{
	BvDraw		b = {lb, 0.0};

	cb_conditional_p_sim_units(w, permutations, seed, keys, bv_draw_stat, bv_draw_unit, &b, p_sim);
}

bool
cb_eb_standardise(const double *events, const double *population, int32_t n, double *z)
{
	double		sum_e = 0.0,
				sum_b = 0.0,
				spread = 0.0;
	double		m,
				a;

	for (int32_t i = 0; i < n; i++)
	{
		sum_e += events[i];
		sum_b += population[i];
	}
	m = sum_e / sum_b;			/* the overall rate */
	if (!(m > 0.0))
		return false;
	for (int32_t i = 0; i < n; i++)
	{
		double		r = events[i] / population[i];

		spread += population[i] * (r - m) * (r - m);
	}
	/* the moment estimate of the prior variance of the rates, as esda: it may be negative */
	a = spread / sum_b - m / (sum_b / n);
	for (int32_t i = 0; i < n; i++)
	{
		double		v = a + m / population[i];

		/* a variance that is not positive (esda: NaN) is the Poisson part alone, as spdep EBImoran */
		if (!(v > 0.0))
			v = m / population[i];
		z[i] = (events[i] / population[i] - m) / sqrt(v);
	}
	return true;
}
