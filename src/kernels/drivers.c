/*
 * drivers.c
 *    Moment states that combine exactly, and the t and F distributions
 *    used by the driver models.
 */
#include "kernels.h"
#include "drivers.h"

#include <math.h>
#include <string.h>

void
cb_mom_add(double *st, const double *z)
{
	int			m = (int) st[CB_MOM_M];
	double		n = st[CB_MOM_N] + 1.0;
	double	   *mean = cb_mom_mean(st);
	double	   *c = cb_mom_cross(st);
	double		f = (n - 1.0) / n;

	/* Welford: C += d d' (n - 1)/n with d = z - mean_old, then mean += d/n */
	for (int i = 0; i < m; i++)
	{
		double		di = z[i] - mean[i];

		for (int j = 0; j < m; j++)
			c[i * m + j] += di * (z[j] - mean[j]) * f;
	}
	for (int i = 0; i < m; i++)
		mean[i] += (z[i] - mean[i]) / n;
	st[CB_MOM_N] = n;
}

void
cb_mom_merge(double *dst, const double *a, const double *b)
{
	int			m = (int) a[CB_MOM_M];
	double		na = a[CB_MOM_N];
	double		nb = b[CB_MOM_N];
	double		n = na + nb;
	const double *ma = a + CB_MOM_HEADER;
	const double *mb = b + CB_MOM_HEADER;
	const double *ca = ma + m;
	const double *cb = mb + m;
	double	   *md = dst + CB_MOM_HEADER;
	double	   *cd = md + m;

	/* C = Ca + Cb + delta delta' na nb / n (Chan, Golub & LeVeque 1979); means last, as dst may be a */
	for (int i = 0; i < m; i++)
		for (int j = 0; j < m; j++)
			cd[i * m + j] = ca[i * m + j] + cb[i * m + j]
				+ (mb[i] - ma[i]) * (mb[j] - ma[j]) * na * nb / n;
	for (int i = 0; i < m; i++)
		md[i] = ma[i] + (mb[i] - ma[i]) * nb / n;
	if (dst != a)
		memcpy(dst + CB_MOM_OPT, a + CB_MOM_OPT, sizeof(double) * (CB_MOM_HEADER - CB_MOM_OPT));
	dst[CB_MOM_M] = m;
	dst[CB_MOM_N] = n;
	dst[CB_MOM_SKIPPED] = a[CB_MOM_SKIPPED] + b[CB_MOM_SKIPPED];
}

/* One step of the modified Lentz method: updates c and d, returns the factor for h. */
static double
lentz_step(double num, double *c, double *d)
{
	const double tiny = 1e-300;

	*d = 1.0 + num * *d;
	*c = 1.0 + num / *c;
	if (fabs(*d) < tiny)
		*d = tiny;
	if (fabs(*c) < tiny)
		*c = tiny;
	*d = 1.0 / *d;
	return *d * *c;
}

/*
 * Continued fraction of I_x(a, b) evaluated with the modified Lentz method;
 * converges fast for x < (a + 1) / (a + b + 2).
 */
static double
beta_cf(double a, double b, double x)
{
	double		c = 1.0;
	double		d = 1.0 - (a + b) * x / (a + 1.0);
	double		h;

	if (fabs(d) < 1e-300)
		d = 1e-300;
	d = 1.0 / d;
	h = d;
	for (int k = 1; k <= 10000; k++)
	{
		double		delta;

		h *= lentz_step(k * (b - k) * x / ((a + 2.0 * k - 1.0) * (a + 2.0 * k)), &c, &d);
		delta = lentz_step(-(a + k) * (a + b + k) * x / ((a + 2.0 * k) * (a + 2.0 * k + 1.0)), &c, &d);
		h *= delta;
		if (fabs(delta - 1.0) < 1e-16)
			break;
	}
	return h;
}

double
cb_beta_inc(double a, double b, double x)
{
	double		log_front;

	if (x <= 0.0)
		return 0.0;
	if (x >= 1.0)
		return 1.0;
	log_front = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
	if (x < (a + 1.0) / (a + b + 2.0))
		return exp(log_front) * beta_cf(a, b, x) / a;
	/* the symmetric form converges for the upper part */
	return 1.0 - exp(log_front) * beta_cf(b, a, 1.0 - x) / b;
}

/* I_x(a, b) as 1 - I_{1-x}(b, a) without the subtraction when that is the small side. */
static double
beta_inc_upper(double a, double b, double x)
{
	return cb_beta_inc(b, a, 1.0 - x);
}

double
cb_t_p2(double t, double df)
{
	if (isnan(t) || df <= 0.0)
		return NAN;
	if (isinf(t))
		return 0.0;
	return cb_beta_inc(df / 2.0, 0.5, df / (df + t * t));
}

double
cb_f_sf(double f, double d1, double d2)
{
	if (isnan(f) || d1 <= 0.0 || d2 <= 0.0)
		return NAN;
	if (f <= 0.0)
		return 1.0;
	if (isinf(f))
		return 0.0;
	return cb_beta_inc(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f));
}

double
cb_ncf_sf(double f, double d1, double d2, double lambda)
{
	double		x;
	double		half = lambda / 2.0;
	double		sum = 0.0;
	int64_t		mode;

	/* the central case and the edge cases (NaN, f <= 0, infinite f) as cb_f_sf */
	if (lambda <= 0.0 || !(f > 0.0) || isinf(f) || d1 <= 0.0 || d2 <= 0.0)
		return cb_f_sf(f, d1, d2);
	x = d1 * f / (d1 * f + d2);

	/*
	 * Poisson mixture of central beta tails, summed outwards from the Poisson
	 * mode so that no significant weight is missed for large lambda.
	 */
	mode = (int64_t) floor(half);
	for (int dir = 0; dir < 2; dir++)
	{
		for (int64_t j = (dir == 0 ? mode : mode - 1); j >= 0; j += (dir == 0 ? 1 : -1))
		{
			double		w = exp(-half + j * log(half) - lgamma(j + 1.0));
			double		term = w * beta_inc_upper(d1 / 2.0 + j, d2 / 2.0, x);

			sum += term;
			if (j % 64 == 0)
				cb_check_interrupts();
			/* past the mode, weights fall geometrically */
			if (term < 1e-17 * sum && w < 1e-17 && j != mode)
				break;
			if (dir == 0 && j > mode + 100000)
				break;
		}
	}
	return sum;
}
