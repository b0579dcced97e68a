/*
 * kernels/autocorr.c
 *    Global and local Moran's I, Getis-Ord local G / G* and general G on a
 *    CSR weights matrix, with analytic moments and permutation inference.
 *
 * Conventions follow R spdep (moran.test, localmoran, localG, globalG.test):
 * islands have zero lag; global statistics use n without islands in I,
 * E(I) and Var(I) (adjust.n) but all values in the mean and kurtosis.
 */
#include "kernels.h"
#include "draws.h"

#include <math.h>
#include <string.h>

static bool
all_equal(const double *x, int32_t n)
{
	for (int32_t i = 1; i < n; i++)
		if (x[i] != x[0])
			return false;
	return true;
}

static double
mean_of(const double *x, int32_t n)
{
	double		s = 0.0;

	for (int32_t i = 0; i < n; i++)
		s += x[i];
	return s / n;
}

double
cb_cross_product(const CbCsr *w, const double *a, const double *b)
{
	CbExactSum	num;
	double		term[CB_SUM_BLOCK];

	cb_exact_sum_init(&num);
	for (int32_t i0 = 0; i0 < w->n; i0 += CB_SUM_BLOCK)
	{
		int			count = w->n - i0 < CB_SUM_BLOCK ? w->n - i0 : CB_SUM_BLOCK;

		for (int t = 0; t < count; t++)
		{
			int32_t		i = i0 + t;

			term[t] = a[i] * cb_row_lag(w->col + w->start[i], w->w + w->start[i],
										(int32_t) (w->start[i + 1] - w->start[i]), b);
		}
		cb_exact_sum_add_many(&num, term, count);
	}
	return cb_exact_sum_value(&num);
}

/* sum_i z_i (W z)_i, the cross-product at the heart of Moran's I */
static double
moran_cross(const CbCsr *w, const double *z)
{
	return cb_cross_product(w, z, z);
}

double
cb_row_lag(const int32_t *col, const double *w, int32_t k, const double *z)
{
	double		lag = 0.0;

	for (int32_t t = 0; t < k; t++)
		lag += w[t] * z[col[t]];
	return lag;
}

bool
cb_moran_global(const CbCsr *w, const double *x, CbMoranGlobal *out)
{
	int32_t		n = w->n;
	double	   *z = cb_alloc(sizeof(double) * (size_t) n);
	double		zz,
				z4;
	CbWeightSums sums;
	bool		defined;

	cb_csr_sums(w, &sums);
	cb_centred_sums(x, n, z, &zz, &z4);
	defined = !all_equal(x, n) &&
		cb_moran_from_sums(&sums, n, moran_cross(w, z), zz, z4, out);
	cb_free(z);
	return defined;
}

bool
cb_moran_from_sums(const CbWeightSums *sums, int32_t n, double cross, double zz, double z4, CbMoranGlobal *out)
{
	double		nu,
				nn,
				s02,
				kurt;

	memset(out, 0, sizeof(*out));
	out->sums = *sums;
	out->n_used = n - sums->islands;
	if (zz == 0.0 || out->n_used < 2 || sums->s0 == 0.0)
		return false;
	nu = out->n_used;
	nn = nu * nu;
	s02 = sums->s0 * sums->s0;
	out->i = (nu / sums->s0) * (cross / zz);
	out->expected = -1.0 / (nu - 1.0);
	out->var_norm = (nn * sums->s1 - nu * sums->s2 + 3.0 * s02) /
		(s02 * (nn - 1.0)) - out->expected * out->expected;

	/* kurtosis from all n values, as spdep */
	kurt = (n * z4) / (zz * zz);
	if (out->n_used > 3)
	{
		double		num = nu * (sums->s1 * (nn - 3.0 * nu + 3.0) - nu * sums->s2 + 3.0 * s02);
		double		corr = kurt * (sums->s1 * (nn - nu) - 2.0 * nu * sums->s2 + 6.0 * s02);

		out->var_rand = (num - corr) / ((nu - 1.0) * (nu - 2.0) * (nu - 3.0) * s02) -
			out->expected * out->expected;
	}
	else
		out->var_rand = NAN;
	return true;
}

double
cb_moran_perm_term(const CbFeistel *perm, const int32_t *col, const double *w, int32_t k, int32_t i,
				   const double *z)
{
	double		lag = 0.0;

	for (int32_t t = 0; t < k; t++)
		lag += w[t] * z[cb_feistel_apply(perm, (uint32_t) col[t])];
	return z[cb_feistel_apply(perm, (uint32_t) i)] * lag;
}

/* What a global permutation of Moran's I needs beside the permuted values. */
typedef struct MoranPerm
{
	double		scale;			/* n / S0 */
	double		zz;				/* sum z^2, the same under every permutation */
} MoranPerm;

static void
moran_perm_stat(const CbCsr *w, const double *zp, const void *ctx, double *stats)
{
	const MoranPerm *m = ctx;

	stats[0] = m->scale * (moran_cross(w, zp) / m->zz);
}

int64_t
cb_moran_global_perm(const CbCsr *w, const double *x, const CbMoranGlobal *obs,
					 int64_t permutations, uint64_t seed,
					 double *sim_sum, double *sim_sumsq)
{
	int32_t		n = w->n;
	double	   *z = cb_alloc(sizeof(double) * (size_t) n);
	double		z4;
	MoranPerm	m;
	int64_t		count_ge;

	cb_centred_sums(x, n, z, &m.zz, &z4);
	m.scale = obs->n_used / obs->sums.s0;
	/* z_pi(i) at unit i: the permutation a node evaluates at its own units in morans_i_at */
	cb_global_perm(w, z, permutations, seed, 1, &obs->i, moran_perm_stat, &m, &count_ge, sim_sum, sim_sumsq);
	cb_free(z);
	return count_ge;
}

void
cb_local_moran_unit(const double *w, int32_t k, double zi, double lag, int32_t n, double m2, double b2,
					bool conditional, double *ii, double *expected, double *variance)
{
	double		wi = 0.0,
				wi2 = 0.0;

	for (int32_t t = 0; t < k; t++)
	{
		wi += w[t];
		wi2 += w[t] * w[t];
	}
	*ii = (zi / m2) * lag;
	if (conditional)
	{
		/* Sokal et al. (1998): moments given the unit's own value */
		*expected = -(zi * zi * wi) / ((n - 1.0) * m2);
		*variance = pow(zi / m2, 2) * (n / (n - 2.0)) *
			(wi2 - wi * wi / (n - 1.0)) * (m2 - zi * zi / (n - 1.0));
	}
	else
	{
		/* Anselin (1995) total randomisation */
		double		a = (n - b2) / (n - 1.0);
		double		b = (2.0 * b2 - n) / ((n - 1.0) * (n - 2.0));

		*expected = -wi / (n - 1.0);
		*variance = a * wi2 + b * (wi * wi - wi2) - *expected * *expected;
	}
}

void
cb_centred_sums(const double *x, int32_t n, double *z, double *zz, double *z4)
{
	double		mean = mean_of(x, n);

	*zz = 0.0;
	*z4 = 0.0;
	for (int32_t i = 0; i < n; i++)
	{
		z[i] = x[i] - mean;
		*zz += z[i] * z[i];
		*z4 += z[i] * z[i] * z[i] * z[i];
	}
}

void
cb_local_moments(double zz, double z4, int32_t n, double *m2, double *b2)
{
	*m2 = zz / n;
	*b2 = (z4 / n) / (*m2 * *m2);
}

bool
cb_local_moran(const CbCsr *w, const double *x, bool conditional, CbLocalMoran *lm)
{
	int32_t		n = w->n;
	double		zz,
				z4,
				b2;

	if (all_equal(x, n))
		return false;
	cb_centred_sums(x, n, lm->z, &zz, &z4);
	cb_local_moments(zz, z4, n, &lm->m2, &b2);
	for (int32_t i = 0; i < n; i++)
	{
		int32_t		k = (int32_t) (w->start[i + 1] - w->start[i]);

		lm->lag[i] = cb_row_lag(w->col + w->start[i], w->w + w->start[i], k, lm->z);
		cb_local_moran_unit(w->w + w->start[i], k, lm->z[i], lm->lag[i], n, lm->m2, b2, conditional,
							&lm->ii[i], &lm->expected[i], &lm->variance[i]);
	}
	return true;
}

/* What a conditional draw of local Moran needs: the centred values and z_i / m2. */
typedef struct MoranDraw
{
	const double *z;
	double		scale;
	const CbLocalMoran *lm;		/* all units (cb_local_moran_perm) */
} MoranDraw;

static double
moran_draw_stat(const double *w, int32_t k, const int32_t *draw, const void *ctx)
{
	const MoranDraw *m = ctx;
	double		lag = 0.0;

	for (int32_t t = 0; t < k; t++)
		lag += w[t] * m->z[draw[t]];
	return m->scale * lag;
}

double
cb_local_moran_unit_perm(const double *w, int32_t k, int32_t self, const double *z, int32_t n, double m2,
						 double ii, int64_t permutations, uint64_t seed, uint64_t key, CbDrawScratch *d)
{
	MoranDraw	m = {z, z[self] / m2, NULL};
	CbDrawCounts counts;

	if (k == 0)
		return NAN;
	cb_conditional_draws(w, k, self, n, ii, permutations, seed, key, moran_draw_stat, &m, d, &counts);
	return cb_pseudo_p(counts.ge, permutations);
}

/* Unit i's observed I_i, with the draw context set to its scale. */
static double
moran_draw_unit(void *ctx, int32_t i)
{
	MoranDraw  *m = ctx;

	m->scale = m->z[i] / m->lm->m2;
	return m->lm->ii[i];
}

void
cb_local_moran_perm(const CbCsr *w, const CbLocalMoran *lm, int64_t permutations,
					uint64_t seed, const uint64_t *keys, double *p_sim)
{
	MoranDraw	m = {lm->z, 0.0, lm};

	cb_conditional_p_sim_units(w, permutations, seed, keys, moran_draw_stat, moran_draw_unit, &m, p_sim);
}

void
cb_local_g_unit(const int32_t *col, const double *w, int32_t k, int32_t i, const double *x, int32_t n,
				double sx, double sx2, bool star, double *g, double *expected, double *variance, double *z)
{
	double		wi = 0.0,
				s1i = 0.0,
				lag = 0.0;
	double		m,
				total,
				xbar,
				s2,
				spread;

	for (int32_t t = 0; t < k; t++)
	{
		wi += w[t];
		s1i += w[t] * w[t];
		lag += w[t] * x[col[t]];
	}
	if (star)
	{
		/* G*: the unit is in its own neighbourhood; moments over all n */
		m = n;
		total = sx;
		s2 = sx2 / m - pow(sx / m, 2);
	}
	else
	{
		/* G: moments over the n - 1 other units */
		m = n - 1.0;
		total = sx - x[i];
		s2 = (sx2 - x[i] * x[i]) / m - pow(total / m, 2);
	}
	xbar = total / m;
	if (wi == 0.0)
	{
		*g = *expected = *variance = 0.0;
		*z = NAN;
		return;
	}
	*g = lag / total;
	*expected = wi / m;
	spread = (m * s1i - wi * wi) / (m - 1.0);
	*variance = spread / (m * m) * s2 / (xbar * xbar);
	*z = (s2 > 0.0 && spread > 0.0) ? (lag - wi * xbar) / (sqrt(s2) * sqrt(spread)) : NAN;
}

void
cb_value_sums(const double *x, int32_t n, double *sx, double *sx2)
{
	*sx = 0.0;
	*sx2 = 0.0;
	for (int32_t i = 0; i < n; i++)
	{
		*sx += x[i];
		*sx2 += x[i] * x[i];
	}
}

void
cb_local_g(const CbCsr *w, const double *x, bool star,
		   double *g, double *expected, double *variance, double *z)
{
	int32_t		n = w->n;
	double		sx,
				sx2;

	cb_value_sums(x, n, &sx, &sx2);
	for (int32_t i = 0; i < n; i++)
		cb_local_g_unit(w->col + w->start[i], w->w + w->start[i], (int32_t) (w->start[i + 1] - w->start[i]),
						i, x, n, sx, sx2, star, &g[i], &expected[i], &variance[i], &z[i]);
}

bool
cb_general_g(const CbCsr *w, const double *x, CbGeneralG *out)
{
	int32_t		n = w->n;
	double		s1x = 0.0,
				s2x = 0.0,
				s3x = 0.0,
				s4x = 0.0;
	double		nn = (double) n * n;
	double		s02,
				b0,
				b1,
				b2,
				b3,
				b4,
				eg2;
	CbWeightSums sums;

	cb_csr_sums(w, &sums);
	for (int32_t i = 0; i < n; i++)
	{
		s1x += x[i];
		s2x += x[i] * x[i];
		s3x += x[i] * x[i] * x[i];
		s4x += x[i] * x[i] * x[i] * x[i];
	}
	if (s1x * s1x - s2x <= 0.0 || sums.s0 == 0.0)
		return false;
	out->g = moran_cross(w, x) / (s1x * s1x - s2x);
	out->expected = sums.s0 / (n * (n - 1.0));

	/* Getis & Ord (1992) second moment under randomisation */
	s02 = sums.s0 * sums.s0;
	b0 = (nn - 3.0 * n + 3.0) * sums.s1 - n * sums.s2 + 3.0 * s02;
	b1 = -((nn - n) * sums.s1 - 2.0 * n * sums.s2 + 6.0 * s02);
	b2 = -(2.0 * n * sums.s1 - (n + 3.0) * sums.s2 + 6.0 * s02);
	b3 = 4.0 * (n - 1.0) * sums.s1 - 2.0 * (n + 1.0) * sums.s2 + 8.0 * s02;
	b4 = sums.s1 - sums.s2 + s02;
	eg2 = (b0 * s2x * s2x + b1 * s4x + b2 * s1x * s1x * s2x + b3 * s1x * s3x + b4 * pow(s1x, 4)) /
		(pow(s1x * s1x - s2x, 2) * n * (n - 1.0) * (n - 2.0) * (n - 3.0));
	out->variance = eg2 - out->expected * out->expected;
	return true;
}
