/*
 * gwr.c
 *    Geographically weighted regression as PySAL mgwr computes it, without
 *    n x n matrices: each location's weighted least squares is solved from
 *    its own p x p normal equations, and the trace of the hat matrix is the
 *    sum of the diagonal elements S_ii.  With a bisquare kernel only the
 *    points inside the bandwidth have weight, and they come from the k-d
 *    tree, so the cost grows with n times the bandwidth, not n^2.
 */
#include "gwr.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* mgwr Kernel: adaptive bandwidth = distance of the k-th neighbour times this */
#define ADAPTIVE_EPS 1.0000001
/* extra neighbours asked of the tree so ties at the k-th distance are seen */
#define KNN_SLACK 8
/* a Cholesky pivot below this fraction of its diagonal entry means singular */
#define SINGULAR_RTOL 1e-12
#define GOLDEN_DELTA 0.38197
#define SEARCH_TOL 1e-6
#define SEARCH_MAX_ITER 200

/* The points with non-zero weight for one location. */
typedef struct Neighbourhood
{
	int32_t		m;
	int64_t		cap;
	int32_t    *idx;
	double	   *w;
	/* scratch of the tree queries */
	int32_t    *knn_idx;
	double	   *knn_d2;
	int32_t    *radius_idx;
	int64_t		radius_cap;
} Neighbourhood;

static void
neighbourhood_init(Neighbourhood *nb, int32_t n)
{
	memset(nb, 0, sizeof(*nb));
	nb->cap = n;
	nb->idx = cb_alloc(sizeof(int32_t) * (size_t) n);
	nb->w = cb_alloc(sizeof(double) * (size_t) n);
	nb->knn_idx = cb_alloc(sizeof(int32_t) * (size_t) n);
	nb->knn_d2 = cb_alloc(sizeof(double) * (size_t) n);
}

static void
neighbourhood_free(Neighbourhood *nb)
{
	cb_free(nb->idx);
	cb_free(nb->w);
	cb_free(nb->knn_idx);
	cb_free(nb->knn_d2);
	if (nb->radius_idx)
		cb_free(nb->radius_idx);
}

/* mgwr kernels (Anselin & Rey table 5.4); z = distance / bandwidth */
static inline double
kernel_weight(CbGwrKernel kernel, double z)
{
	switch (kernel)
	{
		case CB_GWR_GAUSSIAN:
			return exp(-0.5 * z * z);
		case CB_GWR_EXPONENTIAL:
			return exp(-z);
		case CB_GWR_BISQUARE:
		default:
			return z < 1.0 ? (1.0 - z * z) * (1.0 - z * z) : 0.0;
	}
}

static inline double
dist_to(const CbGwrData *d, int32_t i, int32_t j)
{
	double		dx = d->xy[2 * (size_t) i] - d->xy[2 * (size_t) j];
	double		dy = d->xy[2 * (size_t) i + 1] - d->xy[2 * (size_t) j + 1];

	return sqrt(dx * dx + dy * dy);
}

/* Distance bandwidth of location i: fixed, or mgwr's k-th neighbour distance (self included). */
static double
location_bandwidth(const CbGwrData *d, Neighbourhood *nb, int32_t i, double bandwidth, int32_t *asked)
{
	int			k;
	int			got;

	*asked = 0;
	if (d->fixed)
		return bandwidth;
	k = (int) bandwidth;
	if (k > d->n)
		k = d->n;
	got = cb_kdtree_knn(d->tree, &d->xy[2 * (size_t) i], k + KNN_SLACK <= d->n ? k + KNN_SLACK : d->n,
						-1, nb->knn_idx, nb->knn_d2);
	*asked = got;
	return sqrt(nb->knn_d2[k - 1]) * ADAPTIVE_EPS;
}

/*
 * Collects the weighted points of location i.  Bisquare weights vanish at
 * the bandwidth, so only points strictly inside it are kept; gaussian and
 * exponential weights reach every point, as in mgwr.
 */
static void
gather(const CbGwrData *d, Neighbourhood *nb, int32_t i, double bandwidth)
{
	int32_t		asked;
	double		bw = location_bandwidth(d, nb, i, bandwidth, &asked);

	nb->m = 0;
	if (d->kernel != CB_GWR_BISQUARE)
	{
		for (int32_t j = 0; j < d->n; j++)
		{
			nb->idx[j] = j;
			nb->w[j] = kernel_weight(d->kernel, dist_to(d, i, j) / bw);
		}
		nb->m = d->n;
		return;
	}
	if (!d->fixed && (asked == d->n || sqrt(nb->knn_d2[asked - 1]) >= bw))
	{
		/* the tree's answer reaches past the bandwidth: it holds every point inside */
		for (int32_t a = 0; a < asked; a++)
		{
			double		dist = sqrt(nb->knn_d2[a]);

			if (dist < bw)
			{
				nb->idx[nb->m] = nb->knn_idx[a];
				nb->w[nb->m++] = kernel_weight(d->kernel, dist / bw);
			}
		}
		return;
	}
	/* fixed bandwidth, or many points tied at the k-th distance: a radius query */
	{
		int64_t		cnt = cb_kdtree_radius(d->tree, &d->xy[2 * (size_t) i], bw * bw, -1,
										   &nb->radius_idx, &nb->radius_cap);

		for (int64_t a = 0; a < cnt; a++)
		{
			int32_t		j = nb->radius_idx[a];
			double		dist = dist_to(d, i, j);

			if (dist < bw)
			{
				nb->idx[nb->m] = j;
				nb->w[nb->m++] = kernel_weight(d->kernel, dist / bw);
			}
		}
	}
}

/* ---- small dense algebra on p x p row-major matrices ---- */

/*
 * In-place Cholesky A = L L' (lower triangle).  Returns -1, or the first
 * column whose pivot falls below rtol times its diagonal entry: that column
 * depends (numerically) on the columns before it.
 */
static int
cholesky(double *a, int p, double rtol)
{
	for (int j = 0; j < p; j++)
	{
		double		diag = a[j * p + j];
		double		s = diag;

		for (int k = 0; k < j; k++)
			s -= a[j * p + k] * a[j * p + k];
		if (!(s > rtol * fabs(diag)) || !(diag > 0.0))
			return j;
		s = sqrt(s);
		a[j * p + j] = s;
		for (int i = j + 1; i < p; i++)
		{
			double		t = a[i * p + j];

			for (int k = 0; k < j; k++)
				t -= a[i * p + k] * a[j * p + k];
			a[i * p + j] = t / s;
		}
	}
	return -1;
}

/* Solves L z = b in place. */
static void
forward(const double *l, int p, double *b)
{
	for (int i = 0; i < p; i++)
	{
		double		t = b[i];

		for (int k = 0; k < i; k++)
			t -= l[i * p + k] * b[k];
		b[i] = t / l[i * p + i];
	}
}

/* Solves L' z = b in place. */
static void
backward(const double *l, int p, double *b)
{
	for (int i = p - 1; i >= 0; i--)
	{
		double		t = b[i];

		for (int k = i + 1; k < p; k++)
			t -= l[k * p + i] * b[k];
		b[i] = t / l[i * p + i];
	}
}

/* Adds w * x x' (lower triangle and diagonal) to a. */
static inline void
add_outer(double *a, const double *x, double w, int p)
{
	for (int r = 0; r < p; r++)
	{
		double		wr = w * x[r];

		for (int c = 0; c <= r; c++)
			a[r * p + c] += wr * x[c];
	}
}

static inline void
symmetrise(double *a, int p)
{
	for (int r = 0; r < p; r++)
		for (int c = r + 1; c < p; c++)
			a[r * p + c] = a[c * p + r];
}

static inline double
dot(const double *a, const double *b, int p)
{
	double		s = 0.0;

	for (int k = 0; k < p; k++)
		s += a[k] * b[k];
	return s;
}

/* Scratch of one local fit. */
typedef struct LocalWork
{
	double	   *a;				/* X'WX, then its Cholesky factor */
	double	   *b;				/* X'W^2 X (full fits) */
	double	   *c;				/* X'Wy, then beta */
	double	   *v;				/* p-vector scratch */
	double	   *ainv;			/* (X'WX)^-1 (full fits) */
} LocalWork;

static void
local_work_init(LocalWork *lw, int p)
{
	lw->a = cb_alloc(sizeof(double) * p * p);
	lw->b = cb_alloc(sizeof(double) * p * p);
	lw->c = cb_alloc(sizeof(double) * p);
	lw->v = cb_alloc(sizeof(double) * p);
	lw->ainv = cb_alloc(sizeof(double) * p * p);
}

/*
 * Weighted least squares at location i over its neighbourhood.  Leaves
 * beta in lw->c and returns S_ii = w_ii x_i' (X'WX)^-1 x_i, or NaN when
 * X'WX is singular.
 */
static double
local_solve(const CbGwrData *d, const Neighbourhood *nb, int32_t i, LocalWork *lw, bool full)
{
	int			p = d->p;
	const double *xi = &d->x[(size_t) i * p];
	double		wii = 1.0;		/* kernel weight at distance 0 */

	memset(lw->a, 0, sizeof(double) * p * p);
	memset(lw->c, 0, sizeof(double) * p);
	if (full)
		memset(lw->b, 0, sizeof(double) * p * p);
	for (int32_t a = 0; a < nb->m; a++)
	{
		const double *xj = &d->x[(size_t) nb->idx[a] * p];
		double		w = nb->w[a];
		double		wy = w * d->y[nb->idx[a]];

		add_outer(lw->a, xj, w, p);
		if (full)
			add_outer(lw->b, xj, w * w, p);
		for (int k = 0; k < p; k++)
			lw->c[k] += wy * xj[k];
	}
	if (cholesky(lw->a, p, SINGULAR_RTOL) >= 0)
		return NAN;
	forward(lw->a, p, lw->c);
	backward(lw->a, p, lw->c);
	memcpy(lw->v, xi, sizeof(double) * p);
	forward(lw->a, p, lw->v);
	if (full)
	{
		/* (X'WX)^-1 column by column, for the coefficient covariance */
		for (int k = 0; k < p; k++)
		{
			for (int r = 0; r < p; r++)
				lw->v[r] = (r == k);
			forward(lw->a, p, lw->v);
			backward(lw->a, p, lw->v);
			for (int r = 0; r < p; r++)
				lw->ainv[r * p + k] = lw->v[r];
		}
		symmetrise(lw->b, p);
		memcpy(lw->v, xi, sizeof(double) * p);
		forward(lw->a, p, lw->v);
	}
	return wii * dot(lw->v, lw->v, p);
}

/*
 * diag(C C') with C = (X'WX)^-1 X'W: the diagonal of A^-1 B A^-1, so the
 * n x p matrix C is never formed.
 */
static void
local_cct(const LocalWork *lw, int p, double *cct)
{
	for (int k = 0; k < p; k++)
	{
		const double *ak = &lw->ainv[k * p];
		double		s = 0.0;

		for (int r = 0; r < p; r++)
			s += ak[r] * dot(&lw->b[r * p], ak, p);
		cct[k] = s;
	}
}

/*
 * mgwr localR2: (TSS_w - RSS_w) / TSS_w with location i's kernel weights,
 * TSS_w about the weighted mean of y and RSS_w over the residuals of the
 * whole fit (each point's residual from its own local regression).
 */
static double
local_r2(const CbGwrData *d, const Neighbourhood *nb, const double *resid)
{
	double		sw = 0.0,
				swy = 0.0,
				tss = 0.0,
				rss = 0.0,
				ybar;

	for (int32_t a = 0; a < nb->m; a++)
	{
		sw += nb->w[a];
		swy += nb->w[a] * d->y[nb->idx[a]];
	}
	ybar = swy / sw;
	for (int32_t a = 0; a < nb->m; a++)
	{
		int32_t		j = nb->idx[a];
		double		dy = d->y[j] - ybar;

		tss += nb->w[a] * dy * dy;
		rss += nb->w[a] * resid[j] * resid[j];
	}
	return (tss - rss) / tss;
}

static void
fill_stats(const CbGwrData *d, double bandwidth, const double *resid, const double *influ,
		   CbGwrStats *st)
{
	int32_t		n = d->n;
	double		ybar = 0.0,
				tss = 0.0,
				rss = 0.0,
				tr_s = 0.0,
				cv = 0.0;

	for (int32_t i = 0; i < n; i++)
		ybar += d->y[i];
	ybar /= n;
	for (int32_t i = 0; i < n; i++)
	{
		double		e = resid[i];
		double		loo = e / (1.0 - influ[i]);

		tss += (d->y[i] - ybar) * (d->y[i] - ybar);
		rss += e * e;
		tr_s += influ[i];
		cv += loo * loo;
	}
	st->bandwidth = bandwidth;
	st->rss = rss;
	st->tr_s = tr_s;
	st->llf = -0.5 * n * (1.0 + log(2.0 * M_PI * rss / n));
	st->aic = -2.0 * st->llf + 2.0 * (tr_s + 1.0);
	st->aicc = -2.0 * st->llf + 2.0 * n * (tr_s + 1.0) / (n - tr_s - 2.0);
	st->cv = cv / n;
	st->r2 = 1.0 - rss / tss;
	st->adj_r2 = 1.0 - (1.0 - st->r2) * (n - 1.0) / (n - tr_s - 1.0);
	st->sigma2 = rss / (n - tr_s);
}

CbGwrStatus
cb_gwr_fit(const CbGwrData *d, double bandwidth, CbGwrStats *st, CbGwrLocal *local,
		   int32_t *singular_at)
{
	int32_t		n = d->n;
	int			p = d->p;
	bool		full = (local != NULL);
	Neighbourhood nb;
	LocalWork	lw;
	double	   *resid = full ? local->resid : cb_alloc(sizeof(double) * (size_t) n);
	double	   *influ = full ? local->influence : cb_alloc(sizeof(double) * (size_t) n);
	CbGwrStatus status = CB_GWR_OK;

	neighbourhood_init(&nb, n);
	local_work_init(&lw, p);
	for (int32_t i = 0; i < n; i++)
	{
		double		yhat;

		/* each location costs a tree query and a pass over its neighbours */
		if ((i & 255) == 0)
			cb_check_interrupts();
		gather(d, &nb, i, bandwidth);
		influ[i] = local_solve(d, &nb, i, &lw, full);
		if (isnan(influ[i]))
		{
			*singular_at = i;
			status = CB_GWR_SINGULAR;
			break;
		}
		yhat = dot(&d->x[(size_t) i * p], lw.c, p);
		resid[i] = d->y[i] - yhat;
		if (full)
		{
			memcpy(&local->beta[(size_t) i * p], lw.c, sizeof(double) * p);
			local->yhat[i] = yhat;
			local_cct(&lw, p, &local->se[(size_t) i * p]);
		}
	}
	/* local R2 needs every residual: a second pass over the neighbourhoods */
	for (int32_t i = 0; full && status == CB_GWR_OK && i < n; i++)
	{
		if ((i & 255) == 0)
			cb_check_interrupts();
		gather(d, &nb, i, bandwidth);
		local->local_r2[i] = local_r2(d, &nb, resid);
	}
	if (status == CB_GWR_OK)
	{
		fill_stats(d, bandwidth, resid, influ, st);
		if (!(n - st->tr_s - 2.0 > 0.0))
			status = CB_GWR_NO_DF;
	}
	if (full && status == CB_GWR_OK)
	{
		/* se = sqrt(diag(CC') sigma2), t = beta / se */
		for (size_t k = 0; k < (size_t) n * p; k++)
		{
			local->se[k] = sqrt(local->se[k] * st->sigma2);
			local->t[k] = local->beta[k] / local->se[k];
		}
	}
	if (!full)
	{
		cb_free(resid);
		cb_free(influ);
	}
	neighbourhood_free(&nb);
	return status;
}

double
cb_gwr_score(const CbGwrStats *st, CbGwrCriterion criterion)
{
	switch (criterion)
	{
		case CB_GWR_AIC:
			return st->aic;
		case CB_GWR_CV:
			return st->cv;
		case CB_GWR_AICC:
		default:
			return st->aicc;
	}
}

/* Criterion at one candidate; +Infinity when the fit is singular or undefined. */
static double
search_eval(const CbGwrData *d, CbGwrCriterion criterion, double bw, CbGwrSearch *hist)
{
	CbGwrStats	st;
	int32_t		where;
	double		score = INFINITY;

	for (int e = 0; e < hist->evaluations; e++)
		if (hist->bw[e] == bw)
			return hist->score[e];
	if (cb_gwr_fit(d, bw, &st, NULL, &where) == CB_GWR_OK)
	{
		score = cb_gwr_score(&st, criterion);
		if (isnan(score))
			score = INFINITY;
	}
	if (hist->evaluations < (int) (sizeof(hist->bw) / sizeof(hist->bw[0])))
	{
		hist->bw[hist->evaluations] = bw;
		hist->score[hist->evaluations++] = score;
	}
	return score;
}

/*
 * mgwr search.golden_section, step for step: the same probes, rounding
 * (adaptive bandwidths to integers, half to even as numpy), cache of scores
 * and stopping rule, so the search history is mgwr's.
 */
bool
cb_gwr_search(const CbGwrData *d, CbGwrCriterion criterion, double lo, double hi,
			  CbGwrSearch *hist, double *best_bw, double *best_score)
{
	double		a = lo,
				c = hi;
	double		b = a + GOLDEN_DELTA * fabs(c - a);
	double		dd = c - GOLDEN_DELTA * fabs(c - a);
	double		diff = 1.0e9;
	double		opt_val = NAN,
				opt_score = INFINITY;
	bool		int_score = !d->fixed;

	hist->evaluations = 0;
	hist->iterations = 0;
	while (fabs(diff) > SEARCH_TOL && hist->iterations < SEARCH_MAX_ITER)
	{
		double		score_b,
					score_d;

		hist->iterations++;
		if (int_score)
		{
			b = nearbyint(b);
			dd = nearbyint(dd);
		}
		score_b = search_eval(d, criterion, b, hist);
		score_d = search_eval(d, criterion, dd, hist);
		if (score_b <= score_d)
		{
			opt_val = b;
			opt_score = score_b;
			c = dd;
			dd = b;
			b = a + GOLDEN_DELTA * fabs(c - a);
		}
		else
		{
			opt_val = dd;
			opt_score = score_d;
			a = b;
			b = dd;
			dd = c - GOLDEN_DELTA * fabs(c - a);
		}
		opt_val = nearbyint(opt_val * 100.0) / 100.0;
		/* both infinite: no usable candidate yet; inf - inf must not stop the loop */
		diff = (isinf(score_b) && isinf(score_d)) ? 1.0e9 : score_b - score_d;
		if (isinf(score_b) && isinf(score_d) && b == dd)
			break;
	}
	*best_bw = opt_val;
	*best_score = opt_score;
	return !isinf(opt_score);
}

/* Largest distance between two points: over the convex hull (monotone chain). */
static int
cmp_xy(const void *pa, const void *pb)
{
	const double *a = pa,
			   *b = pb;

	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	if (a[1] != b[1])
		return a[1] < b[1] ? -1 : 1;
	return 0;
}

static inline double
cross(const double *o, const double *a, const double *b)
{
	return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

static double
diameter(const double *xy, int32_t n)
{
	double	   *pts = cb_alloc(sizeof(double) * 2 * (size_t) n);
	double	   *hull = cb_alloc(sizeof(double) * 2 * (size_t) (2 * n + 1));
	int32_t		h = 0;
	double		best = 0.0;

	memcpy(pts, xy, sizeof(double) * 2 * (size_t) n);
	qsort(pts, n, 2 * sizeof(double), cmp_xy);
	for (int32_t i = 0; i < n; i++)
	{
		while (h >= 2 && cross(&hull[2 * (h - 2)], &hull[2 * (h - 1)], &pts[2 * i]) <= 0)
			h--;
		memcpy(&hull[2 * h++], &pts[2 * i], 2 * sizeof(double));
	}
	for (int32_t i = n - 2, lower = h + 1; i >= 0; i--)
	{
		while (h >= lower && cross(&hull[2 * (h - 2)], &hull[2 * (h - 1)], &pts[2 * i]) <= 0)
			h--;
		memcpy(&hull[2 * h++], &pts[2 * i], 2 * sizeof(double));
	}
	for (int32_t i = 0; i < h; i++)
	{
		cb_check_interrupts();
		for (int32_t j = i + 1; j < h; j++)
		{
			double		dx = hull[2 * i] - hull[2 * j],
						dy = hull[2 * i + 1] - hull[2 * j + 1];

			best = fmax(best, sqrt(dx * dx + dy * dy));
		}
	}
	cb_free(pts);
	cb_free(hull);
	return best;
}

void
cb_gwr_search_bounds(const CbGwrData *d, double *lo, double *hi)
{
	double		dmin = INFINITY;
	int32_t		idx;
	double		d2;

	if (!d->fixed)
	{
		*lo = 40 + 2 * d->p;
		*hi = d->n;
		return;
	}
	for (int32_t i = 0; i < d->n; i++)
	{
		if ((i & 1023) == 0)
			cb_check_interrupts();
		if (cb_kdtree_knn(d->tree, &d->xy[2 * (size_t) i], 1, i, &idx, &d2) == 1)
			dmin = fmin(dmin, sqrt(d2));
	}
	*lo = dmin / 2.0;
	*hi = diameter(d->xy, d->n) * 2.0;
}

/*
 * First column of x (n * p) that is a linear combination of the columns
 * before it, or -1.  Columns are scaled to unit root mean square first, so
 * the test does not depend on units; a constant covariate is caught as
 * collinear with the intercept in column 0.
 */
int
cb_gwr_dependent_column(const double *x, int32_t n, int p)
{
	double	   *scale = cb_alloc(sizeof(double) * p);
	double	   *a = cb_alloc(sizeof(double) * p * p);
	int			bad = -1;

	for (int32_t i = 0; i < n; i++)
		for (int k = 0; k < p; k++)
			scale[k] += x[(size_t) i * p + k] * x[(size_t) i * p + k];
	for (int k = 0; k < p; k++)
		scale[k] = scale[k] > 0.0 ? 1.0 / sqrt(scale[k] / n) : 0.0;
	for (int32_t i = 0; i < n; i++)
		for (int r = 0; r < p; r++)
			for (int c = 0; c <= r; c++)
				a[r * p + c] += x[(size_t) i * p + r] * scale[r] * x[(size_t) i * p + c] * scale[c] / n;
	bad = cholesky(a, p, 1e-10);
	cb_free(scale);
	cb_free(a);
	return bad;
}
