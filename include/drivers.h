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
/* Largest m whose state fits in one PostgreSQL array (MaxArraySize elements). */
#define CB_MOM_MAX_M	11582

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


/* ---- geographical detector (geodetector.c) ---- */

/*
 * Strata statistics as rows of CB_GD_WIDTH doubles, sorted by (tag, key1,
 * key2): tag 1 = strata of the first factor, 2 = of the second, 3 = their
 * intersections; n, mean and M2 = sum (y - mean)^2 per stratum.
 */
#define CB_GD_WIDTH 6
#define CB_GD_TAG	0
#define CB_GD_KEY1	1
#define CB_GD_KEY2	2
#define CB_GD_CNT	3
#define CB_GD_MEAN	4
#define CB_GD_M2	5

/* Index of the row with this key in rows[0..count), or -(insertion point) - 1. */
extern int64_t cb_gd_find(const double *rows, int64_t count, double tag, double key1, double key2);
/* Welford update of one row with y. */
extern void cb_gd_add(double *row, double y);
/* Merges the sorted tables a and b into out (room for na + nb rows); returns its row count. */
extern int64_t cb_gd_merge(const double *a, int64_t na, const double *b, int64_t nb, double *out);

/* Factor detector over the rows with this tag (Wang et al. 2010; Wang, Zhang & Fu 2016). */
typedef struct CbGdFactor
{
	double		q;			/* 1 - SSW / SST */
	double		f;			/* (N - L)/(L - 1) q/(1 - q) */
	double		lambda;		/* noncentrality (sum m_h^2 - (sum sqrt(N_h) m_h)^2 / N) / var(y) */
	double		p;			/* P(F' > f) for the noncentral F(L - 1, N - L, lambda) */
	double		n;			/* N */
	int64_t		strata;		/* L */
	double		sst;		/* total sum of squares */
} CbGdFactor;

/* Returns false when y has zero variance. */
extern bool cb_gd_factor(const double *rows, int64_t count, double tag, CbGdFactor *out);

/*
 * Jenks natural breaks as interior thresholds t[0..k-1) of k classes of sorted
 * x[0..n) (exact dynamic programme, O(k n^2)); equal and quantile thresholds
 * come from the classification kernels (classify.h).
 */
extern void cb_breaks_natural(const double *sorted, int64_t n, int k, double *t);
/* q of y stratified by x cut at the thresholds t[0..k-1). */
extern double cb_gd_q_of_breaks(const double *y, const double *x, int64_t n, const double *t, int k);

/* ---- back-propagation network (bp.c; paper 001 section 2.2.4) ---- */

/*
 * One hidden layer of h ReLU units and a linear output, on z-scored inputs
 * and output: yhat = ym + ys (b2 + sum_k w2_k relu(b1_k + sum_j w1_kj (x_j - xm_j)/xs_j)).
 */
typedef struct CbBpNet
{
	int32_t		p;			/* inputs */
	int32_t		h;			/* hidden units */
	double	   *xm;			/* p input means */
	double	   *xs;			/* p input standard deviations (1 for constant inputs) */
	double		ym;			/* output mean */
	double		ys;			/* output standard deviation */
	double	   *w1;			/* h x p, row-major */
	double	   *b1;			/* h */
	double	   *w2;			/* h */
	double		b2;
} CbBpNet;

/* Number of doubles of a serialised network after its two int32 sizes. */
static inline size_t
cb_bp_doubles(int p, int h)
{
	return (size_t) 2 * p + 2 + (size_t) h * p + 2 * (size_t) h + 1;
}

/* Points the arrays of net into buf (cb_bp_doubles(p, h) doubles, laid out xm, xs, ym, ys, w1, b1, w2, b2). */
extern void cb_bp_bind(CbBpNet *net, double *buf);
extern void cb_bp_store_scalars(CbBpNet *net, double *buf);
/*
 * Full-batch Adam on the mean squared error from a seeded He initialisation;
 * x is n x p row-major.  Deterministic for a seed.  Returns the training R2.
 */
extern double cb_bp_train(CbBpNet *net, const double *x, const double *y, int64_t n,
						  int32_t epochs, double learning_rate, uint64_t seed);
extern double cb_bp_predict(const CbBpNet *net, const double *x);

#endif							/* CB_DRIVERS_H */
