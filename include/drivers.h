/*
 * drivers.h
 *    Driver models (SPEC section 8): PostgreSQL-free parts shared by the
 *    ridge, OLS, t-test, geographic detector and BP network code.
 */
#ifndef CB_DRIVERS_H
#define CB_DRIVERS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Moment state of m variables (y first, then the covariates), kept as a
 * plain float8[] aggregate state so that partial states combine exactly
 * (Chan, Golub & LeVeque pairwise update):
 *   [0] n rows used   [1] m   [2] rows skipped for a NULL
 *   [3..5] options of the aggregate, fixed by its first row
 *   [6 .. 6+m)          means
 *   [6+m .. 6+m+m*m)    centred cross-products C_ij = sum (z_i - mean_i)(z_j - mean_j)
 */
#define CB_MOM_N		0
#define CB_MOM_M		1
#define CB_MOM_SKIPPED	2
#define CB_MOM_OPT		3
#define CB_MOM_HEADER	6

static inline size_t
cb_mom_size(int m)
{
	return CB_MOM_HEADER + (size_t) m + (size_t) m * m;
}

static inline double *
cb_mom_mean(double *st)
{
	return st + CB_MOM_HEADER;
}

static inline double *
cb_mom_cross(double *st)
{
	return st + CB_MOM_HEADER + (int) st[CB_MOM_M];
}

/* Adds one observation z[0..m) (Welford). */
extern void cb_mom_add(double *st, const double *z);
/* dst = a + b (both with the same m); dst may be a. */
extern void cb_mom_merge(double *dst, const double *a, const double *b);

/* ---- distributions (regularised incomplete beta) ---- */

/* I_x(a, b) */
extern double cb_beta_inc(double a, double b, double x);
/* Two-sided p-value of Student's t with df degrees of freedom. */
extern double cb_t_p2(double t, double df);
/* P(F > f) for F(d1, d2). */
extern double cb_f_sf(double f, double d1, double d2);
/* P(F > f) for the noncentral F(d1, d2, lambda) (R pf(..., ncp, lower.tail = FALSE)). */
extern double cb_ncf_sf(double f, double d1, double d2, double lambda);

#endif							/* CB_DRIVERS_H */
