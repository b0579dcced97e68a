/*
 * trend.h
 *    Trend, change-point, persistence and gap-filling statistics of one
 *    series (SPEC section 6), PostgreSQL-free.  Every function takes the
 *    times t ascending and distinct, with x[i] observed at t[i].
 */
#ifndef CB_TREND_H
#define CB_TREND_H

#include <stdbool.h>
#include <stdint.h>

/* Trend classes of paper 003 Table 4, from decrease to increase. */
typedef enum CbTrendClass
{
	CB_TREND_MARKED_DECREASE = 0,
	CB_TREND_MODERATE_DECREASE,
	CB_TREND_UNCHANGED,
	CB_TREND_MODERATE_INCREASE,
	CB_TREND_MARKED_INCREASE
} CbTrendClass;

extern const char *const cb_trend_class_names[];

/* Mann-Kendall test with the Theil-Sen slope. */
typedef struct CbMannKendall
{
	double		s;				/* sum over pairs i < j of sign(x_j - x_i) */
	double		var_s;			/* Var(S) with the tie correction */
	double		z;				/* continuity-corrected: (S - sign S) / sqrt(Var S); 0 when S = 0 */
	double		p;				/* two-sided normal p-value */
	double		tau;			/* Kendall's tau-b (tau-a when no values tie); NaN when every value ties */
	double		sen_slope;		/* median of pairwise slopes, per unit of t */
	double		sen_intercept;	/* median(x) - sen_slope * median(t) */
} CbMannKendall;

/* Bytes of scratch memory cb_sen_slope needs for n points. */
extern size_t cb_sen_scratch_bytes(int64_t n);

/* S, Var(S), Z, p and tau (scratch: n doubles). */
extern void cb_mann_kendall(int64_t n, const double *t, const double *x, double *scratch,
							CbMannKendall *out);
/* Theil-Sen slope: the median of the n(n-1)/2 pairwise slopes (scratch: cb_sen_scratch_bytes). */
extern double cb_sen_slope(int64_t n, const double *t, const double *x, double *scratch);
/*
 * Mann-Kendall (S, Var(S), Z, p, tau) and the Sen slope in one pass over
 * the pairs, for many series on one time axis (raster stacks): inv_dt
 * holds 1/(t_j - t_i) for the pairs i < j in row order, from
 * cb_sen_reciprocals (n(n-1)/2 doubles), so a series costs
 * multiplications, not divisions.  sen_intercept is not set.
 */
extern void cb_sen_reciprocals(int64_t n, const double *t, double *inv_dt);
extern void cb_mk_sen_shared(int64_t n, const double *x, const double *inv_dt, double *scratch,
							 CbMannKendall *out);
/* Median of x (reorders a copy held in scratch, n doubles). */
extern double cb_median(int64_t n, const double *x, double *scratch);

/* Paper 003 Table 4: class from the Sen slope and Z with threshold |Z| > z_threshold for "marked". */
extern CbTrendClass cb_trend_class(double sen_slope, double z, double z_threshold);

/* Least-squares slope of x on t (paper 001 eq.9, for t = 1..n). */
extern double cb_ols_slope(int64_t n, const double *t, const double *x);

/*
 * Hurst exponent by aggregated variance (paper 001 eqs.7-8): for block
 * sizes m = 1 .. floor(n/2), the variance of the floor(n/m) block means
 * about the series mean; H = 1 + beta/2, beta the least-squares slope of
 * ln Var against ln m.  NaN when a block variance is zero.
 */
extern double cb_hurst_aggvar(int64_t n, const double *x, double *scratch);

/*
 * Sequential Mann-Kendall (paper 001 section 2.2.7): UF_k of x_1..x_k,
 * UB_k = -UF of the reversed series at its position n + 1 - k, and
 * change[k] where the curves cross with the crossing inside
 * +/- z_threshold (the row nearest the crossing is marked).
 */
extern void cb_mk_sequential(int64_t n, const double *x, double z_threshold,
							 double *uf, double *ub, bool *change);

/*
 * Natural cubic spline through (t[k], x[k]), k < m (m >= 2, t ascending):
 * out[q] at tq[q], NaN outside [t[0], t[m-1]].  Scratch: 4m doubles.
 */
extern void cb_natural_spline(int64_t m, const double *t, const double *x, int64_t nq,
							  const double *tq, double *out, double *scratch);

#endif							/* CB_TREND_H */
