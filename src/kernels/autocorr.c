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

/* Sum of z_i * (W z)_i: the cross-product at the heart of Moran's I. */
static double
moran_cross(const CbCsr *w, const double *z)
{
	double		num = 0.0;

	for (int32_t i = 0; i < w->n; i++)
	{
		double		lag = 0.0;

		for (int64_t k = w->start[i]; k < w->start[i + 1]; k++)
			lag += w->w[k] * z[w->col[k]];
		num += z[i] * lag;
	}
	return num;
}

bool
cb_moran_global(const CbCsr *w, const double *x, CbMoranGlobal *out)
{
	int32_t		n = w->n;
	double	   *z = cb_alloc(sizeof(double) * (size_t) n);
	double		mean = mean_of(x, n);
	double		zz = 0.0,
				z4 = 0.0;
	double		nu,
				nn,
				s02,
				kurt;

	memset(out, 0, sizeof(*out));
	cb_csr_sums(w, &out->sums);
	out->n_used = n - out->sums.islands;
	if (all_equal(x, n) || out->n_used < 2 || out->sums.s0 == 0.0)
	{
		cb_free(z);
		return false;
	}
	for (int32_t i = 0; i < n; i++)
	{
		z[i] = x[i] - mean;
		zz += z[i] * z[i];
		z4 += z[i] * z[i] * z[i] * z[i];
	}

	nu = out->n_used;
	nn = nu * nu;
	s02 = out->sums.s0 * out->sums.s0;
	out->i = (nu / out->sums.s0) * (moran_cross(w, z) / zz);
	out->expected = -1.0 / (nu - 1.0);
	out->var_norm = (nn * out->sums.s1 - nu * out->sums.s2 + 3.0 * s02) /
		(s02 * (nn - 1.0)) - out->expected * out->expected;

	/* kurtosis from all n values, as spdep */
	kurt = (n * z4) / (zz * zz);
	if (out->n_used > 3)
	{
		double		num = nu * (out->sums.s1 * (nn - 3.0 * nu + 3.0) - nu * out->sums.s2 + 3.0 * s02);
		double		corr = kurt * (out->sums.s1 * (nn - nu) - 2.0 * nu * out->sums.s2 + 6.0 * s02);

		out->var_rand = (num - corr) / ((nu - 1.0) * (nu - 2.0) * (nu - 3.0) * s02) -
			out->expected * out->expected;
	}
	else
		out->var_rand = NAN;
	cb_free(z);
	return true;
}

int64_t
cb_moran_global_perm(const CbCsr *w, const double *x, const CbMoranGlobal *obs,
					 int64_t permutations, uint64_t seed,
					 double *sim_sum, double *sim_sumsq)
{
	int32_t		n = w->n;
	double	   *z = cb_alloc(sizeof(double) * (size_t) n);
	double		mean = mean_of(x, n);
	double		zz = 0.0;
	double		scale;
	int64_t		count_ge = 0;
	double		s = 0.0,
				ss = 0.0;
	CbRng		rng;

	for (int32_t i = 0; i < n; i++)
	{
		z[i] = x[i] - mean;
		zz += z[i] * z[i];
	}
	scale = obs->n_used / obs->sums.s0;
	cb_rng_seed(&rng, seed, 0);
	for (int64_t r = 0; r < permutations; r++)
	{
		double		sim;

		/* one permutation costs O(n + links): check for cancel each time */
		cb_check_interrupts();
		/* shuffling the previous shuffle is still a uniform permutation */
		cb_shuffle_doubles(&rng, z, n);
		sim = scale * (moran_cross(w, z) / zz);
		if (sim >= obs->i)
			count_ge++;
		s += sim;
		ss += sim * sim;
	}
	cb_free(z);
	if (sim_sum)
		*sim_sum = s;
	if (sim_sumsq)
		*sim_sumsq = ss;
	return count_ge;
}

bool
cb_local_moran(const CbCsr *w, const double *x, bool conditional, CbLocalMoran *lm)
{
	int32_t		n = w->n;
	double		mean = mean_of(x, n);
	double		zz = 0.0,
				z4 = 0.0;
	double		m2,
				b2;

	if (all_equal(x, n))
		return false;
	for (int32_t i = 0; i < n; i++)
	{
		lm->z[i] = x[i] - mean;
		zz += lm->z[i] * lm->z[i];
		z4 += lm->z[i] * lm->z[i] * lm->z[i] * lm->z[i];
	}
	m2 = zz / n;
	b2 = (z4 / n) / (m2 * m2);
	lm->m2 = m2;
	cb_csr_lag(w, lm->z, lm->lag);

	for (int32_t i = 0; i < n; i++)
	{
		double		wi = 0.0,
					wi2 = 0.0;
		double		zi = lm->z[i];

		for (int64_t k = w->start[i]; k < w->start[i + 1]; k++)
		{
			wi += w->w[k];
			wi2 += w->w[k] * w->w[k];
		}
		lm->ii[i] = (zi / m2) * lm->lag[i];
		if (conditional)
		{
			/* Sokal et al. (1998): moments given the unit's own value */
			lm->expected[i] = -(zi * zi * wi) / ((n - 1.0) * m2);
			lm->variance[i] = pow(zi / m2, 2) * (n / (n - 2.0)) *
				(wi2 - wi * wi / (n - 1.0)) * (m2 - zi * zi / (n - 1.0));
		}
		else
		{
			/* Anselin (1995) total randomisation */
			double		a = (n - b2) / (n - 1.0);
			double		b = (2.0 * b2 - n) / ((n - 1.0) * (n - 2.0));

			lm->expected[i] = -wi / (n - 1.0);
			lm->variance[i] = a * wi2 + b * (wi * wi - wi2) -
				lm->expected[i] * lm->expected[i];
		}
	}
	return true;
}

/*
 * Draw k distinct indices from {0..n-1} \ {self}.  Small k: rejection with a
 * linear duplicate check (k is a handful for contiguity and knn).  Large k:
 * partial Fisher-Yates on a pool that stays a permutation of 0..n-1, with
 * `self` parked in the last slot; pos[] is the pool's inverse.
 */
static void
draw_neighbours(CbRng *rng, int32_t n, int32_t self, int32_t k, int32_t *out,
				int32_t *pool, int32_t *pos)
{
	if (k <= 32 && 4 * k <= n)
	{
		for (int32_t t = 0; t < k; t++)
		{
			int32_t		cand;
			bool		dup;

			do
			{
				cand = (int32_t) cb_rng_below(rng, (uint32_t) (n - 1));
				cand += (cand >= self);
				dup = false;
				for (int32_t u = 0; u < t; u++)
					if (out[u] == cand)
					{
						dup = true;
						break;
					}
			} while (dup);
			out[t] = cand;
		}
		return;
	}

	/* park self at the end */
	{
		int32_t		ps = pos[self];
		int32_t		other = pool[n - 1];

		pool[ps] = other;
		pos[other] = ps;
		pool[n - 1] = self;
		pos[self] = n - 1;
	}
	for (int32_t t = 0; t < k; t++)
	{
		int32_t		j = t + (int32_t) cb_rng_below(rng, (uint32_t) (n - 1 - t));
		int32_t		a = pool[t];
		int32_t		b = pool[j];

		pool[t] = b;
		pos[b] = t;
		pool[j] = a;
		pos[a] = j;
		out[t] = b;
	}
}

void
cb_local_moran_perm(const CbCsr *w, const CbLocalMoran *lm, int64_t permutations,
					uint64_t seed, double *p_sim)
{
	int32_t		n = w->n;
	int32_t		kmax = 0;
	int32_t    *draw,
			   *pool,
			   *pos;
	int64_t		work = 0;

	for (int32_t i = 0; i < n; i++)
	{
		int32_t		k = (int32_t) (w->start[i + 1] - w->start[i]);

		kmax = k > kmax ? k : kmax;
	}
	draw = cb_alloc(sizeof(int32_t) * (size_t) (kmax > 0 ? kmax : 1));
	pool = cb_alloc(sizeof(int32_t) * (size_t) n);
	pos = cb_alloc(sizeof(int32_t) * (size_t) n);
	for (int32_t i = 0; i < n; i++)
		pool[i] = pos[i] = i;

	for (int32_t i = 0; i < n; i++)
	{
		int64_t		a = w->start[i];
		int32_t		k = (int32_t) (w->start[i + 1] - a);
		double		scale = lm->z[i] / lm->m2;
		int64_t		count_ge = 0;
		CbRng		rng;

		if (k == 0)
		{
			p_sim[i] = NAN;
			continue;
		}
		cb_rng_seed(&rng, seed, (uint64_t) i + 1);
		for (int64_t r = 0; r < permutations; r++)
		{
			double		lag = 0.0;

			draw_neighbours(&rng, n, i, k, draw, pool, pos);
			for (int32_t t = 0; t < k; t++)
				lag += w->w[a + t] * lm->z[draw[t]];
			if (scale * lag >= lm->ii[i])
				count_ge++;
		}
		p_sim[i] = cb_pseudo_p(count_ge, permutations);

		/* check for cancel about every million draws */
		work += (int64_t) k * permutations;
		if (work > 1000000)
		{
			cb_check_interrupts();
			work = 0;
		}
	}
	cb_free(draw);
	cb_free(pool);
	cb_free(pos);
}

void
cb_local_g(const CbCsr *w, const double *x, bool star,
		   double *g, double *expected, double *variance, double *z)
{
	int32_t		n = w->n;
	double		sx = 0.0,
				sx2 = 0.0;

	for (int32_t i = 0; i < n; i++)
	{
		sx += x[i];
		sx2 += x[i] * x[i];
	}
	for (int32_t i = 0; i < n; i++)
	{
		double		wi = 0.0,
					s1i = 0.0,
					lag = 0.0;
		double		m,
					total,
					xbar,
					s2,
					spread;

		for (int64_t k = w->start[i]; k < w->start[i + 1]; k++)
		{
			wi += w->w[k];
			s1i += w->w[k] * w->w[k];
			lag += w->w[k] * x[w->col[k]];
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
			g[i] = expected[i] = variance[i] = 0.0;
			z[i] = NAN;
			continue;
		}
		g[i] = lag / total;
		expected[i] = wi / m;
		spread = (m * s1i - wi * wi) / (m - 1.0);
		variance[i] = spread / (m * m) * s2 / (xbar * xbar);
		z[i] = (s2 > 0.0 && spread > 0.0) ? (lag - wi * xbar) / (sqrt(s2) * sqrt(spread)) : NAN;
	}
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
