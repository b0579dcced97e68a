/*
 * inequality.c
 *    Gini coefficients of values that may be negative, over values sorted
 *    ascending with optional weights.
 *
 * With weights w_i, W = sum w_i, every formula is built on the weighted
 * mean-difference sum
 *     D = 1/2 sum_i sum_j w_i w_j |y_i - y_j| = sum_i w_i y_i (2 C_i - w_i - W),
 * C_i the cumulative weight up to and including i (for unit weights
 * D = sum_i (2i - n - 1) y(i), the numerator n^2 Gnum of SPEC section 5).
 */
#include "kernels.h"
#include "inequality.h"

#include <math.h>

const char *const cb_gini_method_names[] = {"raffinetti", "chen", "ai2017", "standard", NULL};

static inline double
weight_at(const double *w, int64_t i)
{
	return w ? w[i] : 1.0;
}

/* D over y[from .. to) in the given direction (step -1 walks a block backwards). */
static double
mean_difference_sum(const double *y, const double *w, int64_t from, int64_t to, double sign,
					double *total_weight)
{
	double		W = 0.0,
				C = 0.0,
				D = 0.0;

	for (int64_t i = from; i < to; i++)
		W += weight_at(w, i);
	if (sign > 0)
		for (int64_t i = from; i < to; i++)
		{
			double		wi = weight_at(w, i);

			C += wi;
			D += wi * y[i] * (2.0 * C - wi - W);
		}
	else
		/* |y| ascending is y descending: walk the block from its end */
		for (int64_t i = to - 1; i >= from; i--)
		{
			double		wi = weight_at(w, i);

			C += wi;
			D += wi * (-y[i]) * (2.0 * C - wi - W);
		}
	*total_weight = W;
	return D;
}

/* Usual Gini D / (W sum w y) of a block whose values all have one sign (by |y|). */
static double
gini_of_block(const double *y, const double *w, int64_t from, int64_t to, double sign)
{
	double		W,
				D = mean_difference_sum(y, w, from, to, sign, &W),
				T = 0.0;

	if (to <= from)
		return 0.0;				/* an empty group has Gini 0 (paper 001) */
	for (int64_t i = from; i < to; i++)
		T += weight_at(w, i) * fabs(y[i]);
	if (!(W > 0.0) || !(T > 0.0))
		return 0.0;
	return D / (W * T);
}

/*
 * Area between the horizontal axis and the part of the Lorenz curve that
 * lies below it.  The curve joins (C_i / W, S_i / T), S_i the cumulative
 * sum of w y; with ascending values it falls while values are negative
 * and crosses zero once.  The segment that crosses zero contributes only
 * its triangle below the axis: that exact crossing is the Berrebi & Silber
 * correction of the Chen, Tsaur & Rhai normalisation.
 */
static double
lorenz_area_below_zero(const double *y, const double *w, int64_t n, double W, double T)
{
	double		area = 0.0,
				S = 0.0,
				prev = 0.0;

	for (int64_t i = 0; i < n; i++)
	{
		double		wi = weight_at(w, i);
		double		dp = wi / W;
		double		cur;

		S += wi * y[i];
		cur = S / T;
		if (prev > 0.0)
			break;				/* ascending values: the curve stays above zero */
		if (cur <= 0.0)
			area += -(prev + cur) / 2.0 * dp;
		else
		{
			double		f = -prev / (cur - prev);	/* share of the step spent below zero */

			area += -prev * f * dp / 2.0;
		}
		prev = cur;
	}
	return area;
}

double
cb_gini_sorted(CbGiniMethod method, int64_t n, const double *y, const double *w)
{
	double		W,
				D,
				T = 0.0,
				T_abs = 0.0;
	int64_t		first_zero,
				first_positive;

	D = mean_difference_sum(y, w, 0, n, 1.0, &W);
	if (!(W > 0.0))
		return NAN;
	for (int64_t i = 0; i < n; i++)
	{
		T += weight_at(w, i) * y[i];
		T_abs += weight_at(w, i) * fabs(y[i]);
	}
	switch (method)
	{
		case CB_GINI_RAFFINETTI:
			/* G = Gnum / ((T+ + |T-|) / n): D / (W sum w |y|) */
			return T_abs > 0.0 ? D / (W * T_abs) : NAN;
		case CB_GINI_STANDARD:
			return T > 0.0 ? D / (W * T) : NAN;
		case CB_GINI_CHEN:
			/* usual Gini over the maximum area 1/2 + A-, i.e. G / (1 + 2 A-) */
			if (!(T > 0.0))
				return NAN;
			return (D / (W * T)) / (1.0 + 2.0 * lorenz_area_below_zero(y, w, n, W, T));
		case CB_GINI_AI2017:
			first_zero = 0;
			while (first_zero < n && y[first_zero] < 0.0)
				first_zero++;
			first_positive = first_zero;
			while (first_positive < n && y[first_positive] == 0.0)
				first_positive++;
			return gini_of_block(y, w, 0, first_zero, -1.0) +
				gini_of_block(y, w, first_positive, n, 1.0);
	}
	return NAN;
}
