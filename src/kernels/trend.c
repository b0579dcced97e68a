/*
 * trend.c
 *    Mann-Kendall, Theil-Sen, least squares, aggregated-variance Hurst,
 *    sequential Mann-Kendall and natural cubic splines over one series.
 */
#include "kernels.h"
#include "trend.h"

#include <math.h>
#include <stdlib.h>

const char *const cb_trend_class_names[] = {
	"marked decrease", "moderate decrease", "unchanged", "moderate increase", "marked increase", NULL
};

static void
insertion_sort(double *a, int64_t n)
{
	for (int64_t i = 1; i < n; i++)
	{
		double		v = a[i];
		int64_t		j = i;

		while (j > 0 && a[j - 1] > v)
		{
			a[j] = a[j - 1];
			j--;
		}
		a[j] = v;
	}
}

static inline double
sign_of(double d)
{
	return (d > 0) - (d < 0);
}

/* ---- order statistics ---- */

/* Rearranges a so that a[k] is the k-th smallest, smaller before, larger after (Hoare). */
static void
select_kth(double *a, int64_t n, int64_t k)
{
	int64_t		lo = 0,
				hi = n - 1;

	while (hi > lo)
	{
		/* median of three as pivot keeps sorted and reversed input linear */
		int64_t		mid = lo + (hi - lo) / 2;
		double		x = a[lo],
					y = a[mid],
					z = a[hi];
		double		pivot = (x < y) ? ((y < z) ? y : (x < z ? z : x)) : ((x < z) ? x : (y < z ? z : y));
		int64_t		i = lo,
					j = hi;

		while (i <= j)
		{
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j)
			{
				double		tmp = a[i];

				a[i] = a[j];
				a[j] = tmp;
				i++;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

/* Median of a[0..n), reordering a: the mean of the two middle values when n is even. */
static double
median_in_place(double *a, int64_t n)
{
	int64_t		k = (n - 1) / 2;
	double		lower,
				upper;

	select_kth(a, n, k);
	lower = a[k];
	if (n % 2 == 1)
		return lower;
	upper = a[k + 1];
	for (int64_t i = k + 2; i < n; i++)
		if (a[i] < upper)
			upper = a[i];
	return (lower + upper) / 2.0;
}

double
cb_median(int64_t n, const double *x, double *scratch)
{
	for (int64_t i = 0; i < n; i++)
		scratch[i] = x[i];
	return median_in_place(scratch, n);
}

/* ---- Mann-Kendall and Theil-Sen ---- */

size_t
cb_sen_scratch_bytes(int64_t n)
{
	return sizeof(double) * (size_t) (n > 1 ? n * (n - 1) / 2 : 1);
}

/* Var(S) with the tie correction, Z, p and tau from S (scratch: n doubles, reordered). */
static void
mk_moments(int64_t n, double s, const double *x, double *scratch, CbMannKendall *out)
{
	double		ties_var = 0.0,
				ties_pairs = 0.0,
				n0 = (double) n * (n - 1) / 2.0;

	/* tie groups among the values: Var(S) loses sum tp(tp-1)(2tp+5)/18 */
	for (int64_t i = 0; i < n; i++)
		scratch[i] = x[i];
	if (n <= 32)
		insertion_sort(scratch, n);	/* per-pixel series: cheaper than qsort's calls */
	else
		qsort(scratch, (size_t) n, sizeof(double), cb_cmp_double);
	for (int64_t i = 0; i < n;)
	{
		int64_t		j = i;
		double		tp;

		while (j < n && scratch[j] == scratch[i])
			j++;
		tp = (double) (j - i);
		ties_var += tp * (tp - 1) * (2 * tp + 5);
		ties_pairs += tp * (tp - 1) / 2.0;
		i = j;
	}
	out->s = s;
	out->var_s = ((double) n * (n - 1) * (2.0 * n + 5) - ties_var) / 18.0;
	if (s > 0)
		out->z = (s - 1) / sqrt(out->var_s);
	else if (s < 0)
		out->z = (s + 1) / sqrt(out->var_s);
	else
		out->z = 0.0;
	out->p = cb_norm_p(out->z, CB_ALT_TWO_SIDED);
	out->tau = n0 > ties_pairs ? s / sqrt(n0 * (n0 - ties_pairs)) : NAN;
}

void
cb_mann_kendall(int64_t n, const double *t, const double *x, double *scratch, CbMannKendall *out)
{
	double		s = 0.0;

	(void) t;					/* the order is all that matters: t is ascending */
	for (int64_t i = 0; i < n - 1; i++)
	{
		cb_check_interrupts();	/* O(n^2): long series must stay cancellable */
		for (int64_t j = i + 1; j < n; j++)
			s += sign_of(x[j] - x[i]);
	}
	mk_moments(n, s, x, scratch, out);
}

double
cb_sen_slope(int64_t n, const double *t, const double *x, double *scratch)
{
	/* power-of-two units: exact, and differences of values near 1e308 stay finite */
	double		ut = cb_pow2_unit(n, t),
				ux = cb_pow2_unit(n, x);
	int64_t		k = 0;

	for (int64_t i = 0; i < n - 1; i++)
	{
		cb_check_interrupts();	/* n(n-1)/2 slopes */
		for (int64_t j = i + 1; j < n; j++)
			scratch[k++] = (x[j] / ux - x[i] / ux) / (t[j] / ut - t[i] / ut);
	}
	return median_in_place(scratch, k) * (ux / ut);
}

void
cb_sen_reciprocals(int64_t n, const double *t, double *inv_dt)
{
	int64_t		k = 0;

	for (int64_t i = 0; i < n - 1; i++)
		for (int64_t j = i + 1; j < n; j++)
			inv_dt[k++] = 1.0 / (t[j] - t[i]);
}

void
cb_mk_sen_shared(int64_t n, const double *x, const double *inv_dt, double *scratch, CbMannKendall *out)
{
	int64_t		k = 0;
	double		s = 0.0;

	/* one pass over the pairs: the slope, and its sign for S (the spacings are positive) */
	for (int64_t i = 0; i < n - 1; i++)
		for (int64_t j = i + 1; j < n; j++)
		{
			double		d = x[j] - x[i];

			s += sign_of(d);
			scratch[k] = d * inv_dt[k];
			k++;
		}
	out->sen_slope = median_in_place(scratch, k);
	mk_moments(n, s, x, scratch, out);
}

CbTrendClass
cb_trend_class(double sen_slope, double z, double z_threshold)
{
	/* Table 4 pairs the signs of the Sen slope and Z; when they disagree the trend is unchanged */
	if (sen_slope > 0 && z > 0)
		return z > z_threshold ? CB_TREND_MARKED_INCREASE : CB_TREND_MODERATE_INCREASE;
	if (sen_slope < 0 && z < 0)
		return z < -z_threshold ? CB_TREND_MARKED_DECREASE : CB_TREND_MODERATE_DECREASE;
	return CB_TREND_UNCHANGED;
}

/* ---- least squares ---- */

/*
 * Slope of y on x, centred sums for accuracy, on x and y divided by
 * power-of-two units (exact), so that sums and squares of values near the
 * float8 limit stay finite.
 */
static double
ls_slope(int64_t n, const double *xv, const double *yv)
{
	double		ux = cb_pow2_unit(n, xv),
				uy = cb_pow2_unit(n, yv);
	double		mx = 0.0,
				my = 0.0,
				sxx = 0.0,
				sxy = 0.0;

	for (int64_t i = 0; i < n; i++)
	{
		mx += xv[i] / ux;
		my += yv[i] / uy;
	}
	mx /= n;
	my /= n;
	for (int64_t i = 0; i < n; i++)
	{
		sxx += (xv[i] / ux - mx) * (xv[i] / ux - mx);
		sxy += (xv[i] / ux - mx) * (yv[i] / uy - my);
	}
	return sxy / sxx * (uy / ux);
}

double
cb_ols_slope(int64_t n, const double *t, const double *x)
{
	return ls_slope(n, t, x);
}

/* ---- Hurst exponent, aggregated variance ---- */

double
cb_hurst_aggvar(int64_t n, const double *x, double *scratch)
{
	int64_t		sizes = n / 2;
	double	   *log_m = scratch;
	double	   *log_var = scratch + sizes;
	double		mean = 0.0;
	/*
	 * H is scale-invariant (a unit shifts every ln variance alike); series
	 * near the float8 limit are scaled so that block variances stay finite
	 */
	double		unit = cb_pow2_unit(n, x);
	double		scale = unit > 0x1p300 ? unit : 1.0;

	for (int64_t i = 0; i < n; i++)
		mean += x[i] / scale;
	mean /= n;
	for (int64_t m = 1; m <= sizes; m++)
	{
		int64_t		blocks = n / m;
		double		var = 0.0;

		for (int64_t k = 0; k < blocks; k++)
		{
			double		block = 0.0;

			for (int64_t i = k * m; i < (k + 1) * m; i++)
				block += x[i] / scale;
			block /= m;
			var += (block - mean) * (block - mean);
		}
		var /= blocks;
		if (!(var > 0.0))
			return NAN;			/* ln 0: the slope is undefined */
		log_m[m - 1] = log((double) m);
		log_var[m - 1] = log(var);
	}
	return 1.0 + ls_slope(sizes, log_m, log_var) / 2.0;
}

/* ---- sequential Mann-Kendall ---- */

/* UF_k for k = 1..n of x read forwards (step 1) or backwards (step -1), stored at out[k-1]. */
static void
mk_forward_curve(int64_t n, const double *x, int step, double *out)
{
	double		s = 0.0;

	for (int64_t k = 0; k < n; k++)
	{
		double		xk = x[step > 0 ? k : n - 1 - k];
		double		kk = (double) (k + 1);

		cb_check_interrupts();	/* O(n^2) rank counts */
		for (int64_t j = 0; j < k; j++)
			if (x[step > 0 ? j : n - 1 - j] < xk)
				s += 1.0;
		out[k] = k == 0 ? 0.0 :
			(s - kk * (kk - 1) / 4.0) / sqrt(kk * (kk - 1) * (2 * kk + 5) / 72.0);
	}
}

void
cb_mk_sequential(int64_t n, const double *x, double z_threshold,
				 double *uf, double *ub, bool *change)
{
	mk_forward_curve(n, x, 1, uf);
	mk_forward_curve(n, x, -1, ub);
	/* ub holds UF of the reversed series: flip it into place and negate */
	for (int64_t i = 0, j = n - 1; i < j; i++, j--)
	{
		double		tmp = ub[i];

		ub[i] = ub[j];
		ub[j] = tmp;
	}
	for (int64_t i = 0; i < n; i++)
	{
		ub[i] = -ub[i];
		change[i] = false;
	}
	for (int64_t k = 0; k < n; k++)
	{
		double		d = uf[k] - ub[k];

		if (d == 0.0)
			change[k] = change[k] || fabs(uf[k]) < z_threshold;
		else if (k + 1 < n && d * (uf[k + 1] - ub[k + 1]) < 0.0)
		{
			/* the curves cross inside (k, k+1): interpolate where */
			double		d1 = uf[k + 1] - ub[k + 1];
			double		f = d / (d - d1);
			double		level = uf[k] + f * (uf[k + 1] - uf[k]);

			if (fabs(level) < z_threshold)
				change[f <= 0.5 ? k : k + 1] = true;
		}
	}
}

/* ---- natural cubic spline ---- */

void
cb_natural_spline(int64_t m, const double *t, const double *x, int64_t nq,
				  const double *tq, double *out, double *scratch)
{
	double	   *M = scratch;		/* second derivatives at the knots */
	double	   *diag = scratch + m;
	double	   *rhs = scratch + 2 * m;
	double	   *upper = scratch + 3 * m;

	/* natural end conditions M_0 = M_{m-1} = 0; tridiagonal system for the rest (Thomas) */
	for (int64_t k = 0; k < m; k++)
		M[k] = 0.0;
	for (int64_t k = 1; k < m - 1; k++)
	{
		double		h0 = t[k] - t[k - 1],
					h1 = t[k + 1] - t[k];

		diag[k] = 2.0 * (h0 + h1);
		upper[k] = h1;
		rhs[k] = 6.0 * ((x[k + 1] - x[k]) / h1 - (x[k] - x[k - 1]) / h0);
		if (k > 1)
		{
			double		factor = h0 / diag[k - 1];

			diag[k] -= factor * upper[k - 1];
			rhs[k] -= factor * rhs[k - 1];
		}
	}
	for (int64_t k = m - 2; k >= 1; k--)
		M[k] = (rhs[k] - (k + 1 < m - 1 ? upper[k] * M[k + 1] : 0.0)) / diag[k];

	for (int64_t q = 0; q < nq; q++)
	{
		double		v = tq[q];
		int64_t		lo = 0,
					hi = m - 1;
		double		h,
					a,
					b;

		if (!(v >= t[0] && v <= t[m - 1]))
		{
			out[q] = NAN;		/* no extrapolation */
			continue;
		}
		while (hi - lo > 1)
		{
			int64_t		mid = (lo + hi) / 2;

			if (t[mid] <= v)
				lo = mid;
			else
				hi = mid;
		}
		h = t[hi] - t[lo];
		a = t[hi] - v;
		b = v - t[lo];
		out[q] = M[lo] * a * a * a / (6.0 * h) + M[hi] * b * b * b / (6.0 * h) +
			(x[lo] / h - M[lo] * h / 6.0) * a + (x[hi] / h - M[hi] * h / 6.0) * b;
	}
}
