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
#include <pthread.h>
#include <signal.h>
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
/* phase timings on stderr when built with -DCB_GWR_TIMING (development only) */
#ifdef CB_GWR_TIMING
#include <stdio.h>
#include <time.h>
static double dbg_t0;
static double dbg_now(void) { struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts); return ts.tv_sec + ts.tv_nsec * 1e-9; }
#define DBG_T0() (dbg_t0 = dbg_now())
#define DBG_BACKFIT(res, history, p) do { fprintf(stderr, "DBG backfit %.2f s, %d iterations:", dbg_now() - dbg_t0, (res)->iterations); \
	for (int it_ = 0; it_ < (res)->iterations; it_++) { fprintf(stderr, " ["); for (int j_ = 0; j_ < (p); j_++) fprintf(stderr, " %g", (history)[it_ * (p) + j_]); fprintf(stderr, "]"); } \
	fprintf(stderr, "\n"); } while (0)
#define DBG_EVAL(bw, t0) fprintf(stderr, "DBG eval bw %g %.2f s\n", (double) (bw), dbg_now() - (t0))
#define DBG_NOW() dbg_now()
#define DBG_REPLAY(cols, cnt, bytes) fprintf(stderr, "DBG replay done %.2f s, cols %d, cached %d ops %zu bytes\n", dbg_now() - dbg_t0, (int) (cols), (int) (cnt), (size_t) (bytes))
#else
#define DBG_T0() ((void) 0)
#define DBG_BACKFIT(res, history, p) ((void) 0)
#define DBG_REPLAY(cols, cnt, bytes) ((void) 0)
#define DBG_EVAL(bw, t0) ((void) (t0))
#define DBG_NOW() 0.0
#endif
#define SEARCH_TOL 1e-6
#define SEARCH_MAX_ITER 200

/* The points with non-zero weight for one location. */
typedef struct Neighbourhood
{
	int32_t		m;
	int32_t    *idx;
	double	   *w;
	/* scratch of the tree queries */
	const struct Grid *grid;
	int32_t    *cand;			/* points inside the query radius */
	double	   *cand_d2;		/* their squared distances */
	double	   *select;			/* copy of cand_d2 for the k-th smallest */
	double		radius;			/* last query radius: the next location starts there */
	double		bw;				/* kernel bandwidth (a distance) of the last gather */
} Neighbourhood;

static void
neighbourhood_init(Neighbourhood *nb, const CbGwrData *d)
{
	size_t		n = (size_t) d->n;

	memset(nb, 0, sizeof(*nb));
	nb->idx = cb_alloc(sizeof(int32_t) * n);
	nb->w = cb_alloc(sizeof(double) * n);
	nb->cand = cb_alloc(sizeof(int32_t) * n);
	nb->cand_d2 = cb_alloc(sizeof(double) * n);
	nb->select = cb_alloc(sizeof(double) * n);
}

static void
neighbourhood_free(Neighbourhood *nb)
{
	cb_free(nb->idx);
	cb_free(nb->w);
	cb_free(nb->cand_d2);
	cb_free(nb->select);
	cb_free(nb->cand);
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
dist2_to(const CbGwrData *d, int32_t i, int32_t j)
{
	double		dx = d->xy[2 * (size_t) i] - d->xy[2 * (size_t) j];
	double		dy = d->xy[2 * (size_t) i + 1] - d->xy[2 * (size_t) j + 1];

	return dx * dx + dy * dy;
}

/* k-th smallest (0-based) of v[0..n): quickselect with a three-way partition. */
static double
kth_smallest(double *v, int64_t n, int64_t k)
{
	int64_t		lo = 0,
				hi = n;

	while (hi - lo > 1)
	{
		double		pivot = v[lo + (hi - lo) / 2];
		int64_t		lt = lo,
					i = lo,
					gt = hi;

		while (i < gt)
		{
			double		x = v[i];

			if (x < pivot)
			{
				v[i++] = v[lt];
				v[lt++] = x;
			}
			else if (x > pivot)
			{
				v[i] = v[--gt];
				v[gt] = x;
			}
			else
				i++;
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return pivot;
	}
	return v[k];
}

/*
 * Uniform grid over the points, about two points a cell, with the points
 * stored cell by cell: the cells of one grid row that meet a query square
 * are one contiguous run, so a neighbourhood is read sequentially.  (At
 * the large bandwidths the search must also try, a tree walk would visit
 * most of its nodes for every location.)
 */
typedef struct Grid
{
	double		x0,
				y0,
				cell;			/* cell side */
	int32_t		nx,
				ny;
	int32_t    *start;			/* nx * ny + 1 offsets */
	double	   *px;				/* coordinates in cell order */
	double	   *py;
	int32_t    *idx;			/* point index in cell order */
} Grid;

static inline int32_t
grid_cell(double v, double v0, double cell, int32_t count)
{
	double		c = floor((v - v0) / cell);

	return c < 0 ? 0 : (c >= count ? count - 1 : (int32_t) c);
}

static void
grid_build(Grid *g, const CbGwrData *d)
{
	double		x1 = -DBL_MAX,
				y1 = -DBL_MAX;
	size_t		n = (size_t) d->n;
	int32_t    *fill;

	g->x0 = g->y0 = DBL_MAX;
	for (size_t i = 0; i < n; i++)
	{
		g->x0 = fmin(g->x0, d->xy[2 * i]);
		g->y0 = fmin(g->y0, d->xy[2 * i + 1]);
		x1 = fmax(x1, d->xy[2 * i]);
		y1 = fmax(y1, d->xy[2 * i + 1]);
	}
	g->cell = sqrt(fmax((x1 - g->x0) * (y1 - g->y0), 0.0) / fmax(n / 2.0, 1.0));
	if (!(g->cell > 0.0))
		g->cell = fmax(fmax(x1 - g->x0, y1 - g->y0), 1.0);
	g->nx = (int32_t) fmin(floor((x1 - g->x0) / g->cell) + 1, 4096);
	g->ny = (int32_t) fmin(floor((y1 - g->y0) / g->cell) + 1, 4096);
	g->start = cb_alloc(sizeof(int32_t) * ((size_t) g->nx * g->ny + 1));
	fill = cb_alloc(sizeof(int32_t) * ((size_t) g->nx * g->ny + 1));
	g->px = cb_alloc(sizeof(double) * n);
	g->py = cb_alloc(sizeof(double) * n);
	g->idx = cb_alloc(sizeof(int32_t) * n);
	/* counting sort of the points by cell */
	for (size_t i = 0; i < n; i++)
		g->start[grid_cell(d->xy[2 * i + 1], g->y0, g->cell, g->ny) * g->nx +
				 grid_cell(d->xy[2 * i], g->x0, g->cell, g->nx) + 1]++;
	for (size_t c = 0; c < (size_t) g->nx * g->ny; c++)
		g->start[c + 1] += g->start[c];
	memcpy(fill, g->start, sizeof(int32_t) * ((size_t) g->nx * g->ny));
	for (size_t i = 0; i < n; i++)
	{
		int32_t		c = grid_cell(d->xy[2 * i + 1], g->y0, g->cell, g->ny) * g->nx +
			grid_cell(d->xy[2 * i], g->x0, g->cell, g->nx);
		int32_t		at = fill[c]++;

		g->px[at] = d->xy[2 * i];
		g->py[at] = d->xy[2 * i + 1];
		g->idx[at] = (int32_t) i;
	}
	cb_free(fill);
}

static void
grid_free(Grid *g)
{
	cb_free(g->start);
	cb_free(g->px);
	cb_free(g->py);
	cb_free(g->idx);
}

/* Points within radius r of location i into nb->cand / cand_d2; returns the count. */
static int64_t
query_radius(const CbGwrData *d, Neighbourhood *nb, int32_t i, double r)
{
	const Grid *g = (const Grid *) nb->grid;
	double		qx = d->xy[2 * (size_t) i],
				qy = d->xy[2 * (size_t) i + 1],
				r2 = r * r;
	int32_t		cx0 = grid_cell(qx - r, g->x0, g->cell, g->nx),
				cx1 = grid_cell(qx + r, g->x0, g->cell, g->nx),
				cy0 = grid_cell(qy - r, g->y0, g->cell, g->ny),
				cy1 = grid_cell(qy + r, g->y0, g->cell, g->ny);
	int64_t		cnt = 0;

	for (int32_t cy = cy0; cy <= cy1; cy++)
	{
		int32_t		from = g->start[cy * g->nx + cx0],
					to = g->start[cy * g->nx + cx1 + 1];

		for (int32_t a = from; a < to; a++)
		{
			double		dx = g->px[a] - qx,
						dy = g->py[a] - qy,
						dd = dx * dx + dy * dy;

			if (dd <= r2)
			{
				nb->cand[cnt] = g->idx[a];
				nb->cand_d2[cnt++] = dd;
			}
		}
	}
	return cnt;
}

/*
 * Cells of one grid row against the disc of radius r around q: cells
 * [cxa, cxb] may meet the disc (cxa = nx: none does), cells [cia, cib] lie
 * wholly inside it (cia > cib: none).  The first and last cells of a row or
 * column are unbounded (the grid clamps), and the tests keep a margin for
 * the rounding of the cell assignment, so the classes are certain.
 */
typedef struct RowSpan
{
	int32_t		cxa,
				cxb,
				cia,
				cib;
} RowSpan;

static inline double
max2(double a, double b)
{
	return a > b ? a : b;
}

static inline void
row_span(const Grid *g, const double *q, double r, int32_t cy, RowSpan *s)
{
	double		margin = 1e-9 * (fabs(g->x0) + fabs(g->y0) + (g->nx + g->ny) * g->cell);
	double		ylo = cy == 0 ? -INFINITY : g->y0 + cy * g->cell;
	double		yhi = cy == g->ny - 1 ? INFINITY : g->y0 + (cy + 1) * g->cell;
	double		dy_min = max2(0.0, max2(ylo - q[1], q[1] - yhi) - margin);
	double		dy_max = max2(fabs(q[1] - ylo), fabs(q[1] - yhi)) + margin;
	double		hw;

	s->cia = 0;
	s->cib = -1;
	if (dy_min >= r)
	{
		s->cxa = g->nx;
		s->cxb = g->nx - 1;
		return;
	}
	hw = sqrt(r * r - dy_min * dy_min) + margin;
	s->cxa = grid_cell(q[0] - hw, g->x0, g->cell, g->nx);
	s->cxb = grid_cell(q[0] + hw, g->x0, g->cell, g->nx);
	if (dy_max < r)
	{
		/* cells wholly within [q - hw_in, q + hw_in] lie inside the disc */
		double		hw_in = sqrt(r * r - dy_max * dy_max) - margin;
		double		a = ceil((q[0] - hw_in - g->x0) / g->cell),
					b = floor((q[0] + hw_in - g->x0) / g->cell) - 1.0;

		s->cia = a < 1.0 ? 1 : (int32_t) a;
		s->cib = b > g->nx - 2.0 ? g->nx - 2 : (int32_t) b;
	}
}

/* Grid row of coordinate y moved by row_span()'s margin in direction dir (-1 or 1). */
static inline int32_t
disc_row(const Grid *g, double y, double dir)
{
	double		margin = 1e-9 * (fabs(g->x0) + fabs(g->y0) + (g->nx + g->ny) * g->cell);

	return grid_cell(y + dir * margin, g->y0, g->cell, g->ny);
}

static inline double
grid_d2(const Grid *g, int32_t a, const double *q)
{
	double		dx = g->px[a] - q[0],
				dy = g->py[a] - q[1];

	return dx * dx + dy * dy;
}

/*
 * The points at distance >= r of location i (bisquare weight 0) into
 * nb->cand / cand_d2, in grid order; returns the count.  Row by row of the
 * grid: the cells beyond the disc's extent in that row are taken whole, the
 * cells that lie inside the disc are skipped, and only the cells across its
 * rim are tested point by point, so the cost is the grid's rows, the rim
 * and the points returned.
 */
static int64_t
query_outside(const CbGwrData *d, Neighbourhood *nb, int32_t i, double r)
{
	const double *q = &d->xy[2 * (size_t) i];	/* the location */
	const Grid *g = (const Grid *) nb->grid;
	int64_t		cnt = 0;

	for (int32_t cy = 0; cy < g->ny; cy++)
	{
		const int32_t *row = &g->start[(size_t) cy * g->nx];
		RowSpan		sp;

		row_span(g, q, r, cy, &sp);
		for (int32_t cx = 0; cx < g->nx; cx++)
		{
			bool		whole = cx < sp.cxa || cx > sp.cxb;

			if (cx >= sp.cia && cx <= sp.cib)
			{
				cx = sp.cib;
				continue;
			}
			if (!whole && cx > sp.cxb)
				break;
			for (int32_t a = row[cx]; a < row[cx + 1]; a++)
			{
				double		dd = grid_d2(g, a, q);

				if (whole || !(dd / (r * r) < 1.0))
				{
					nb->cand[cnt] = g->idx[a];
					nb->cand_d2[cnt++] = dd;
				}
			}
		}
	}
	return cnt;
}

/* Points at distance <= t of q (t < 0: none). */
static int64_t
count_within(const Grid *g, const double *q, double t)
{
	int64_t		cnt = 0;

	if (t < 0.0)
		return 0;
	for (int32_t cy = disc_row(g, q[1] - t, -1.0); cy <= disc_row(g, q[1] + t, 1.0); cy++)
	{
		const int32_t *row = &g->start[(size_t) cy * g->nx];
		RowSpan		sp;

		row_span(g, q, t, cy, &sp);
		if (sp.cia <= sp.cib)
			cnt += row[sp.cib + 1] - row[sp.cia];
		for (int32_t cx = sp.cxa; cx <= sp.cxb; cx++)
		{
			if (cx >= sp.cia && cx <= sp.cib)
			{
				cx = sp.cib;
				continue;
			}
			for (int32_t a = row[cx]; a < row[cx + 1]; a++)
				cnt += grid_d2(g, a, q) <= t * t;
		}
	}
	return cnt;
}

/*
 * The k-th smallest squared distance from location i (itself included), as
 * adaptive_bandwidth() selects it, without visiting the k points: the
 * radius is narrowed on counts (interpolated in r^2, with a bisection
 * every third step) (whole cells inside the disc counted from
 * the grid's offsets, only the rim tested) until at most 256 points lie
 * between the two radii, and the k-th is selected among those.  Costs the
 * grid's rows and the rim per count instead of the neighbourhood.
 */
static double
kth_distance2(const CbGwrData *d, Neighbourhood *nb, int32_t i, int64_t k)
{
	const Grid *g = (const Grid *) nb->grid;
	const double *q = &d->xy[2 * (size_t) i];
	double		lo = -1.0,
				hi = nb->radius > 0.0 ? nb->radius : g->cell;
	int64_t		clo = 0,
				chi,
				cnt = 0;

	while ((chi = count_within(g, q, hi)) < k)
	{
		lo = hi;
		clo = chi;
		hi *= 2.0;
	}
	for (int it = 0; it < 200 && chi - clo > 256; it++)
	{
		/* counts grow about as r^2: interpolate in r^2, kept off the ends */
		double		l2 = lo < 0.0 ? 0.0 : lo * lo,
					t = (double) (k - clo) / (double) (chi - clo),
					mid;
		int64_t		cm;

		t = t < 0.05 ? 0.05 : (t > 0.95 ? 0.95 : t);
		if (it % 3 == 2)
			t = 0.5;			/* a bisection now and then bounds the steps */
		mid = sqrt(l2 + t * (hi * hi - l2));
		/* the previous location's radius (hi = 1.1 times it) brackets this one closely */
		if (lo < 0.0 && nb->radius > 0.0)
			mid = hi * 0.82;

		if (!(mid > lo && mid < hi))
			break;
		cm = count_within(g, q, mid);
		if (cm >= k)
		{
			hi = mid;
			chi = cm;
		}
		else
		{
			lo = mid;
			clo = cm;
		}
	}
	/* the points with lo < d <= hi */
	for (int32_t cy = disc_row(g, q[1] - hi, -1.0); cy <= disc_row(g, q[1] + hi, 1.0); cy++)
	{
		const int32_t *row = &g->start[(size_t) cy * g->nx];
		RowSpan		out,
					in;

		row_span(g, q, hi, cy, &out);
		if (lo >= 0.0)
			row_span(g, q, lo, cy, &in);
		else
			in = (RowSpan) {0, -1, 0, -1};
		for (int32_t cx = out.cxa; cx <= out.cxb; cx++)
		{
			if (cx >= in.cia && cx <= in.cib)
			{
				cx = in.cib;
				continue;
			}
			for (int32_t a = row[cx]; a < row[cx + 1]; a++)
			{
				double		dd = grid_d2(g, a, q);

				if (dd <= hi * hi && (lo < 0.0 || dd > lo * lo))
					nb->select[cnt++] = dd;
			}
		}
	}
	return kth_smallest(nb->select, cnt, k - clo - 1);
}

/*
 * mgwr's adaptive bandwidth of location i: the distance of its k-th nearest
 * point (itself included) times 1.0000001.  A radius query around the last
 * location's radius (locations come in space-filling-curve order, so it
 * fits) finds at least k points, grown by half until it does; the k-th
 * distance is then selected in linear time.  Leaves the candidates in nb.
 */
static double
adaptive_bandwidth(const CbGwrData *d, Neighbourhood *nb, int32_t i, int k, int64_t *cnt,
				   double *covered)
{
	double		r = nb->radius;

	for (;;)
	{
		*cnt = query_radius(d, nb, i, r);
		if (*cnt >= k)
			break;
		r = r > 0.0 ? r * 1.5 : ((const Grid *) nb->grid)->cell;
	}
	*covered = r;
	memcpy(nb->select, nb->cand_d2, sizeof(double) * (size_t) *cnt);
	r = sqrt(kth_smallest(nb->select, *cnt, k - 1));
	/* start the next location a little wider than this one needed */
	nb->radius = r * 1.1;
	return r * ADAPTIVE_EPS;
}

/* gather() from the distance-sorted table: the neighbourhood is a prefix. */
static void
gather_sorted(const CbGwrData *d, Neighbourhood *nb, int32_t i, double bandwidth)
{
	int			k = (int) bandwidth < d->n ? (int) bandwidth : d->n;
	const int32_t *idx = &d->sorted_idx[(size_t) i * d->n];
	const double *d2 = &d->sorted_d2[(size_t) i * d->n];
	double		bw = sqrt(d2[k - 1]) * ADAPTIVE_EPS;

	nb->bw = bw;
	if (d->kernel != CB_GWR_BISQUARE)
	{
		for (int32_t a = 0; a < d->n; a++)
		{
			nb->idx[a] = idx[a];
			nb->w[a] = kernel_weight(d->kernel, sqrt(d2[a]) / bw);
		}
		nb->m = d->n;
		return;
	}
	for (int32_t a = 0; a < d->n; a++)
	{
		double		z2 = d2[a] / (bw * bw);

		if (z2 >= 1.0)
			break;
		nb->idx[a] = idx[a];
		nb->w[a] = (1.0 - z2) * (1.0 - z2);
		nb->m = a + 1;
	}
}

/* A sort key (distance, or Z-order code: below 2^53, so exact) with its point; ties by index. */
typedef struct KeyedIndex
{
	double		key;
	int32_t		idx;
} KeyedIndex;

static int
cmp_keyed(const void *pa, const void *pb)
{
	const KeyedIndex *a = pa,
			   *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->idx < b->idx ? -1 : (a->idx > b->idx);
}

/*
 * Kernel bandwidths (distances) of every location at the adaptive
 * bandwidths fitted before: the k-th distance does not depend on y, and the
 * searches of MGWR probe the same neighbour counts again and again (every
 * search starts at the same two).  Kept for the last BW_CACHE_SIZE counts.
 */
#define BW_CACHE_SIZE 64

struct CbGwrBandwidths
{
	int			count,
				next;
	double		k[BW_CACHE_SIZE];
	double	   *bw[BW_CACHE_SIZE];
};

void
cb_gwr_prepare(CbGwrData *d)
{
	size_t		n = (size_t) d->n;
	int32_t    *idx;
	double	   *d2;
	KeyedIndex  *row;

	if (!d->fixed && n > CB_GWR_SORTED_MAX_N && !d->bandwidths)
		d->bandwidths = cb_alloc(sizeof(CbGwrBandwidths));
	if (d->fixed || n > CB_GWR_SORTED_MAX_N || d->sorted_idx)
		return;
	idx = cb_alloc(sizeof(int32_t) * n * n);
	d2 = cb_alloc(sizeof(double) * n * n);
	row = cb_alloc(sizeof(KeyedIndex) * n);
	for (size_t i = 0; i < n; i++)
	{
		if ((i & 63) == 0)
			cb_check_interrupts();
		for (size_t j = 0; j < n; j++)
		{
			row[j].key = dist2_to(d, (int32_t) i, (int32_t) j);
			row[j].idx = (int32_t) j;
		}
		qsort(row, n, sizeof(KeyedIndex), cmp_keyed);
		for (size_t j = 0; j < n; j++)
		{
			idx[i * n + j] = row[j].idx;
			d2[i * n + j] = row[j].key;
		}
	}
	cb_free(row);
	d->sorted_idx = idx;
	d->sorted_d2 = d2;
}

/*
 * Collects the weighted points of location i.  Bisquare weights vanish at
 * the bandwidth, so only points strictly inside it are kept; gaussian and
 * exponential weights reach every point, as in mgwr.
 */
static void
gather(const CbGwrData *d, Neighbourhood *nb, int32_t i, double bandwidth)
{
	double		bw = bandwidth;
	double		reach = 0.0;	/* radius the candidates cover */
	int64_t		cnt = 0;

	nb->m = 0;
	if (!d->fixed && d->sorted_idx)
	{
		gather_sorted(d, nb, i, bandwidth);
		return;
	}
	if (!d->fixed)
	{
		int			k = (int) bandwidth < d->n ? (int) bandwidth : d->n;

		bw = adaptive_bandwidth(d, nb, i, k, &cnt, &reach);
	}
	nb->bw = bw;
	if (d->kernel != CB_GWR_BISQUARE)
	{
		for (int32_t j = 0; j < d->n; j++)
		{
			nb->idx[j] = j;
			nb->w[j] = kernel_weight(d->kernel, sqrt(dist2_to(d, i, j)) / bw);
		}
		nb->m = d->n;
		return;
	}
	/* fixed bandwidth, or points between the k-th distance and the bandwidth */
	if (d->fixed || reach < bw)
		cnt = query_radius(d, nb, i, bw);
	for (int64_t a = 0; a < cnt; a++)
	{
		/* bisquare from the squared distance: (1 - d^2/bw^2)^2 for d < bw */
		double		z2 = nb->cand_d2[a] / (bw * bw);

		if (z2 < 1.0)
		{
			nb->idx[nb->m] = nb->cand[a];
			nb->w[nb->m++] = (1.0 - z2) * (1.0 - z2);
		}
	}
}

/*
 * Visiting order of the locations: along a Z-order (Morton) curve, so that
 * consecutive neighbourhoods overlap and stay in cache.
 */
static uint64_t
morton(uint32_t x, uint32_t y)
{
	uint64_t	key = 0;

	for (int b = 0; b < 21; b++)
		key |= (uint64_t) ((x >> b) & 1) << (2 * b) | (uint64_t) ((y >> b) & 1) << (2 * b + 1);
	return key;
}

/* Bounding box of the points: lo[0..2), hi[0..2). */
static void
bounding_box(const CbGwrData *d, double *lo, double *hi)
{
	lo[0] = lo[1] = DBL_MAX;
	hi[0] = hi[1] = -DBL_MAX;
	for (int32_t i = 0; i < d->n; i++)
		for (int c = 0; c < 2; c++)
		{
			lo[c] = fmin(lo[c], d->xy[2 * (size_t) i + c]);
			hi[c] = fmax(hi[c], d->xy[2 * (size_t) i + c]);
		}
}

static int32_t *
visit_order(const CbGwrData *d)
{
	KeyedIndex *keys = cb_alloc(sizeof(KeyedIndex) * (size_t) d->n);
	int32_t    *order = cb_alloc(sizeof(int32_t) * (size_t) d->n);
	double		lo[2],
				hi[2];

	bounding_box(d, lo, hi);
	for (int32_t i = 0; i < d->n; i++)
	{
		double		gx = hi[0] > lo[0] ? (d->xy[2 * (size_t) i] - lo[0]) / (hi[0] - lo[0]) : 0.0;
		double		gy = hi[1] > lo[1] ? (d->xy[2 * (size_t) i + 1] - lo[1]) / (hi[1] - lo[1]) : 0.0;

		keys[i].key = (double) morton((uint32_t) (gx * 2097151.0), (uint32_t) (gy * 2097151.0));
		keys[i].idx = i;
	}
	qsort(keys, d->n, sizeof(KeyedIndex), cmp_keyed);
	for (int32_t i = 0; i < d->n; i++)
		order[i] = keys[i].idx;
	cb_free(keys);
	return order;
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

/* sum_k w[k] u[k] v[k] with four independent partial sums (the hot loop) */
static inline double
wdot(const double *restrict w, const double *restrict u, const double *restrict v, int32_t m)
{
	double		s0 = 0.0,
				s1 = 0.0,
				s2 = 0.0,
				s3 = 0.0;
	int32_t		k = 0;

	for (; k + 4 <= m; k += 4)
	{
		s0 += w[k] * u[k] * v[k];
		s1 += w[k + 1] * u[k + 1] * v[k + 1];
		s2 += w[k + 2] * u[k + 2] * v[k + 2];
		s3 += w[k + 3] * u[k + 3] * v[k + 3];
	}
	for (; k < m; k++)
		s0 += w[k] * u[k] * v[k];
	return (s0 + s1) + (s2 + s3);
}

/*
 * The bisquare weight is a polynomial inside its disc: with u = (p_l - c) / h
 * and v = (p_i - c) / h (c the centre of the points' bounding box, h its
 * half diagonal) and beta = bw / h,
 *   (1 - |u - v|^2 / beta^2)^2 = sum_k coef_k(v, beta) g_k(u)
 * over the nine monomials g = 1, ux, uy, ux^2, ux uy, uy^2, |u|^2 ux,
 * |u|^2 uy, |u|^4.  So the sum over the disc of w_il z_l is
 * sum_k coef_k M_k minus the same polynomial over the points outside the
 * disc, with the moments M_k = sum over every l of g_k(u_l) z_l.  Where the
 * disc holds most points (a bandwidth near n) a row of the operator is then
 * nine entries on the moment rows and one per point outside the disc,
 * instead of one per point inside.  Equal to the direct sum up to rounding.
 */
#define MOMENTS 9

typedef struct MomentFrame
{
	double		cx,
				cy,
				h;
} MomentFrame;

static void
moment_frame(const CbGwrData *d, MomentFrame *mf)
{
	double		lo[2],
				hi[2];

	bounding_box(d, lo, hi);
	mf->cx = 0.5 * (lo[0] + hi[0]);
	mf->cy = 0.5 * (lo[1] + hi[1]);
	mf->h = 0.5 * sqrt((hi[0] - lo[0]) * (hi[0] - lo[0]) + (hi[1] - lo[1]) * (hi[1] - lo[1]));
	if (!(mf->h > 0.0))
		mf->h = 1.0;
}

static void
moment_basis(const MomentFrame *mf, const double *xy, double *g)
{
	double		ux = (xy[0] - mf->cx) / mf->h,
				uy = (xy[1] - mf->cy) / mf->h,
				a = ux * ux + uy * uy;

	g[0] = 1.0;
	g[1] = ux;
	g[2] = uy;
	g[3] = ux * ux;
	g[4] = ux * uy;
	g[5] = uy * uy;
	g[6] = a * ux;
	g[7] = a * uy;
	g[8] = a * a;
}

static void
moment_coef(const MomentFrame *mf, const double *xy, double bw, double *coef)
{
	double		vx = (xy[0] - mf->cx) / mf->h,
				vy = (xy[1] - mf->cy) / mf->h,
				c = vx * vx + vy * vy,
				i2 = (mf->h / bw) * (mf->h / bw),
				i4 = i2 * i2;

	coef[0] = 1.0 - 2.0 * c * i2 + c * c * i4;
	coef[1] = 4.0 * vx * i2 - 4.0 * c * vx * i4;
	coef[2] = 4.0 * vy * i2 - 4.0 * c * vy * i4;
	coef[3] = -2.0 * i2 + (4.0 * vx * vx + 2.0 * c) * i4;
	coef[4] = 8.0 * vx * vy * i4;
	coef[5] = -2.0 * i2 + (4.0 * vy * vy + 2.0 * c) * i4;
	coef[6] = -4.0 * vx * i4;
	coef[7] = -4.0 * vy * i4;
	coef[8] = i4;
}

/* Scratch of one local fit. */
typedef struct LocalWork
{
	double	   *a;				/* X'WX, then its Cholesky factor */
	double	   *b;				/* X'W^2 X (full fits) */
	double	   *c;				/* X'Wy, then beta */
	double	   *v;				/* p-vector scratch */
	double	   *ainv;			/* (X'WX)^-1 (full fits) */
	double	   *cols;			/* p columns of the neighbourhood's X, then y */
	double	   *w2;				/* squared weights */
	double	   *mom;			/* disc sums of the row moments (nq x MOMENTS) */
	double	   *sum;			/* nq cross products over the disc */
	double	   *v2;				/* nq scratch */
} LocalWork;

static void
local_work_init(LocalWork *lw, const CbGwrData *d)
{
	int			p = d->p;

	lw->a = cb_alloc(sizeof(double) * p * p);
	lw->b = cb_alloc(sizeof(double) * p * p);
	lw->c = cb_alloc(sizeof(double) * p);
	lw->v = cb_alloc(sizeof(double) * p);
	lw->ainv = cb_alloc(sizeof(double) * p * p);
	lw->cols = cb_alloc(sizeof(double) * (size_t) (p + 1) * d->n);
	lw->w2 = cb_alloc(sizeof(double) * (size_t) d->n);
	lw->mom = cb_alloc(sizeof(double) * (size_t) (p * (p + 1) / 2 + p) * 9);
	lw->sum = cb_alloc(sizeof(double) * (size_t) (p * (p + 1) / 2 + p));
	lw->v2 = cb_alloc(sizeof(double) * (size_t) (p * (p + 1) / 2 + p));
}

static void
local_work_free(LocalWork *lw)
{
	cb_free(lw->a);
	cb_free(lw->b);
	cb_free(lw->c);
	cb_free(lw->v);
	cb_free(lw->ainv);
	cb_free(lw->cols);
	cb_free(lw->w2);
	cb_free(lw->mom);
	cb_free(lw->sum);
	cb_free(lw->v2);
}

/*
 * Weighted least squares at location i over its neighbourhood.  Leaves
 * beta in lw->c and returns S_ii = w_ii x_i' (X'WX)^-1 x_i, or NaN when
 * X'WX is singular.  The neighbourhood's columns are copied out first so
 * the cross products run over contiguous memory.
 */
static double solve_normal(const CbGwrData *d, int32_t i, LocalWork *lw, bool full);

static double
local_solve(const CbGwrData *d, const Neighbourhood *nb, int32_t i, LocalWork *lw, bool full)
{
	int			p = d->p;
	int32_t		m = nb->m;
	double	   *ycol = &lw->cols[(size_t) p * m];

	for (int32_t a = 0; a < m; a++)
	{
		const double *xj = &d->x[(size_t) nb->idx[a] * p];

		for (int k = 0; k < p; k++)
			lw->cols[(size_t) k * m + a] = xj[k];
		ycol[a] = d->y[nb->idx[a]];
	}
	if (full)
		for (int32_t a = 0; a < m; a++)
			lw->w2[a] = nb->w[a] * nb->w[a];
	for (int r = 0; r < p; r++)
	{
		const double *xr = &lw->cols[(size_t) r * m];

		for (int c = 0; c <= r; c++)
		{
			lw->a[r * p + c] = wdot(nb->w, xr, &lw->cols[(size_t) c * m], m);
			if (full)
				lw->b[r * p + c] = wdot(lw->w2, xr, &lw->cols[(size_t) c * m], m);
		}
		lw->c[r] = wdot(nb->w, xr, ycol, m);
	}
	return solve_normal(d, i, lw, full);
}

/*
 * The local fit from its normal equations in lw->a (lower triangle) and
 * lw->c: beta into lw->c, S_ii returned (NaN when singular).
 */
static double
solve_normal(const CbGwrData *d, int32_t i, LocalWork *lw, bool full)
{
	int			p = d->p;
	const double *xi = &d->x[(size_t) i * p];
	double		wii = 1.0;		/* kernel weight at distance 0 */

	if (cholesky(lw->a, p, SINGULAR_RTOL) >= 0)
		return NAN;
	forward(lw->a, p, lw->c);
	backward(lw->a, p, lw->c);
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
	}
	memcpy(lw->v, xi, sizeof(double) * p);
	forward(lw->a, p, lw->v);
	return wii * dot(lw->v, lw->v, p);
}

/*
 * Large neighbourhoods of the light fits (the first probes of a search
 * reach 0.38 n and 0.62 n neighbours) from moments instead of a visit of
 * every neighbour: for each grid row, prefix sums over its cells of the
 * nine MOMENTS monomials times each cross product of the fit (x_r x_c for
 * c <= r, then x_r y).  A disc's sums are then, row by row, a difference of
 * two prefixes for the cells wholly inside it, combined with the bisquare's
 * polynomial coefficients, plus the points of the rim cells visited one by
 * one.  Equal to the direct sums up to rounding; used only where a
 * neighbourhood holds far more points than the grid has rows and rim.
 */
typedef struct RowMoments
{
	int			nq;				/* cross products: p (p + 1) / 2 + p */
	MomentFrame frame;
	double	   *pre;			/* ny x (nx + 1) x nq x MOMENTS */
} RowMoments;

static inline void
cross_products(const CbGwrData *d, int32_t l, double *out)
{
	int			p = d->p,
				q = 0;
	const double *x = &d->x[(size_t) l * p];

	for (int r = 0; r < p; r++)
		for (int c = 0; c <= r; c++)
			out[q++] = x[r] * x[c];
	for (int r = 0; r < p; r++)
		out[q++] = x[r] * d->y[l];
}

static void
row_moments_build(const CbGwrData *d, const Grid *g, RowMoments *rm)
{
	int			nq = d->p * (d->p + 1) / 2 + d->p;
	size_t		width = (size_t) nq * MOMENTS;
	double	   *acc = cb_alloc(sizeof(double) * width);
	double	   *prod = cb_alloc(sizeof(double) * (size_t) nq);
	double		gk[MOMENTS];

	rm->nq = nq;
	moment_frame(d, &rm->frame);
	rm->pre = cb_alloc(sizeof(double) * width * (size_t) g->ny * (g->nx + 1));
	for (int32_t cy = 0; cy < g->ny; cy++)
	{
		double	   *row = &rm->pre[(size_t) cy * (g->nx + 1) * width];

		if ((cy & 63) == 0)
			cb_check_interrupts();
		memset(acc, 0, sizeof(double) * width);
		for (int32_t cx = 0; cx < g->nx; cx++)
		{
			for (int32_t a = g->start[(size_t) cy * g->nx + cx]; a < g->start[(size_t) cy * g->nx + cx + 1]; a++)
			{
				int32_t		l = g->idx[a];

				moment_basis(&rm->frame, &d->xy[2 * (size_t) l], gk);
				cross_products(d, l, prod);
				for (int q = 0; q < nq; q++)
					for (int k = 0; k < MOMENTS; k++)
						acc[q * MOMENTS + k] += prod[q] * gk[k];
			}
			memcpy(&row[(size_t) (cx + 1) * width], acc, sizeof(double) * width);
		}
	}
	cb_free(acc);
	cb_free(prod);
}

/* The light fit of location i at kernel bandwidth bw from the row moments. */
static double
local_solve_moments(const CbGwrData *d, const RowMoments *rm, const Grid *g, int32_t i, double bw,
					LocalWork *lw)
{
	const double *q = &d->xy[2 * (size_t) i];
	int			nq = rm->nq,
				p = d->p;
	size_t		width = (size_t) nq * MOMENTS;
	double		coef[MOMENTS];
	int			at = 0;

	memset(lw->mom, 0, sizeof(double) * width);
	memset(lw->sum, 0, sizeof(double) * nq);
	for (int32_t cy = disc_row(g, q[1] - bw, -1.0); cy <= disc_row(g, q[1] + bw, 1.0); cy++)
	{
		const int32_t *row = &g->start[(size_t) cy * g->nx];
		RowSpan		sp;

		row_span(g, q, bw, cy, &sp);
		if (sp.cia <= sp.cib)
		{
			const double *restrict hi = &rm->pre[((size_t) cy * (g->nx + 1) + sp.cib + 1) * width];
			const double *restrict lo = &rm->pre[((size_t) cy * (g->nx + 1) + sp.cia) * width];
			double	   *restrict mom = lw->mom;

			for (size_t t = 0; t < width; t++)
				mom[t] += hi[t] - lo[t];
		}
		for (int32_t cx = sp.cxa; cx <= sp.cxb; cx++)
		{
			if (cx >= sp.cia && cx <= sp.cib)
			{
				cx = sp.cib;
				continue;
			}
			for (int32_t a = row[cx]; a < row[cx + 1]; a++)
			{
				double		z2 = grid_d2(g, a, q) / (bw * bw);

				if (z2 < 1.0)
				{
					double		w = (1.0 - z2) * (1.0 - z2);

					cross_products(d, g->idx[a], lw->v2);
					for (int t = 0; t < nq; t++)
						lw->sum[t] += w * lw->v2[t];
				}
			}
		}
	}
	moment_coef(&rm->frame, q, bw, coef);
	for (int t = 0; t < nq; t++)
		for (int k = 0; k < MOMENTS; k++)
			lw->sum[t] += coef[k] * lw->mom[t * MOMENTS + k];
	for (int r = 0; r < p; r++)
		for (int c = 0; c <= r; c++)
			lw->a[r * p + c] = lw->sum[at++];
	for (int r = 0; r < p; r++)
		lw->c[r] = lw->sum[at++];
	return solve_normal(d, i, lw, false);
}

/*
 * local_solve() for one column and no covariance (the MGWR backfitting):
 * the two sums read straight from the neighbourhood, without the column
 * copies.  The sums keep wdot()'s four lanes and the solve its calls, so the
 * result is the same to the last bit.
 */
static double
local_solve_univariate(const CbGwrData *d, const Neighbourhood *nb, int32_t i, LocalWork *lw)
{
	const int32_t *idx = nb->idx;
	const double *w = nb->w;
	double		xx[4] = {0.0, 0.0, 0.0, 0.0},
				xy[4] = {0.0, 0.0, 0.0, 0.0};
	int32_t		m = nb->m,
				k = 0;

	for (; k + 4 <= m; k += 4)
		for (int q = 0; q < 4; q++)
		{
			double		xl = d->x[idx[k + q]],
						wx = w[k + q] * xl;

			xx[q] += wx * xl;
			xy[q] += wx * d->y[idx[k + q]];
		}
	for (; k < m; k++)
	{
		double		xl = d->x[idx[k]],
					wx = w[k] * xl;

		xx[0] += wx * xl;
		xy[0] += wx * d->y[idx[k]];
	}
	lw->a[0] = (xx[0] + xx[1]) + (xx[2] + xx[3]);
	lw->c[0] = (xy[0] + xy[1]) + (xy[2] + xy[3]);
	if (cholesky(lw->a, 1, SINGULAR_RTOL) >= 0)
		return NAN;
	forward(lw->a, 1, lw->c);
	backward(lw->a, 1, lw->c);
	lw->v[0] = d->x[i];
	forward(lw->a, 1, lw->v);
	return dot(lw->v, lw->v, 1);
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

/*
 * Runs fn(parts[0..count)) on up to cb_max_threads() threads, the caller's
 * included: part t goes to thread t % threads, the caller takes its own
 * share and then joins the others.  The extra threads run only pure
 * arithmetic on memory the caller allocated (signals blocked); a part whose
 * thread cannot be started runs in the caller.  Parts must write disjoint
 * memory and compute each value by the same operations whoever runs them,
 * so the result does not depend on the number of threads.
 */
#define MAX_THREADS 64

typedef struct ThreadShare
{
	void	   *(*fn) (void *);
	char	   *parts;
	size_t		size;
	int			first,
				count,
				stride;
} ThreadShare;

static void *
run_share(void *arg)
{
	const ThreadShare *s = arg;

	for (int t = s->first; t < s->count; t += s->stride)
		s->fn(s->parts + (size_t) t * s->size);
	return NULL;
}

static int
thread_count(int parts)
{
	int			threads = cb_max_threads();

	threads = threads < 1 ? 1 : (threads > MAX_THREADS ? MAX_THREADS : threads);
	return threads > parts ? (parts < 1 ? 1 : parts) : threads;
}

static void
run_parts(void *(*fn) (void *), void *parts, size_t size, int count)
{
	int			threads = thread_count(count);
	ThreadShare share[MAX_THREADS];
	pthread_t	thread[MAX_THREADS];
	bool		started[MAX_THREADS] = {false};
	sigset_t	all,
				saved;

	for (int t = 0; t < threads; t++)
		share[t] = (ThreadShare) {fn, parts, size, t, count, threads};
	if (threads > 1)
	{
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &saved);
		for (int t = 1; t < threads; t++)
			started[t] = pthread_create(&thread[t], NULL, run_share, &share[t]) == 0;
		pthread_sigmask(SIG_SETMASK, &saved, NULL);
	}
	run_share(&share[0]);
	for (int t = 1; t < threads; t++)
	{
		if (started[t])
			pthread_join(thread[t], NULL);
		else
			run_share(&share[t]);
	}
}

/* Everything a pass over all locations needs: visiting order, grid, scratch. */
typedef struct Walk
{
	int32_t    *order;
	Grid		grid;
	Neighbourhood nb;
	LocalWork	lw;
} Walk;

static void
walk_init(Walk *w, const CbGwrData *d)
{
	w->order = visit_order(d);
	grid_build(&w->grid, d);
	neighbourhood_init(&w->nb, d);
	w->nb.grid = &w->grid;
	local_work_init(&w->lw, d);
}

static void
walk_free(Walk *w)
{
	cb_free(w->order);
	grid_free(&w->grid);
	neighbourhood_free(&w->nb);
	local_work_free(&w->lw);
}

/* gather() at a known kernel bandwidth bw (a distance) of location i. */
static void
gather_at(const CbGwrData *d, Neighbourhood *nb, int32_t i, double bw)
{
	int64_t		cnt = query_radius(d, nb, i, bw);

	nb->m = 0;
	nb->bw = bw;
	for (int64_t a = 0; a < cnt; a++)
	{
		double		z2 = nb->cand_d2[a] / (bw * bw);

		if (z2 < 1.0)
		{
			nb->idx[nb->m] = nb->cand[a];
			nb->w[nb->m++] = (1.0 - z2) * (1.0 - z2);
		}
	}
}

/* The cached kernel bandwidths at neighbour count k, or a fresh slot to fill (*known = false). */
static double *
bandwidths_at(const CbGwrBandwidths *c, double k)
{
	for (int e = 0; e < c->count; e++)
		if (c->k[e] == k)
			return c->bw[e];
	return NULL;
}

static double *
cached_bandwidths(const CbGwrData *d, double k, bool *known)
{
	CbGwrBandwidths *c = d->bandwidths;
	double	   *bw = bandwidths_at(c, k);
	int			slot;

	*known = bw != NULL;
	if (bw)
		return bw;
	if (c->count < BW_CACHE_SIZE)
	{
		slot = c->count++;
		c->bw[slot] = cb_alloc(sizeof(double) * (size_t) d->n);
	}
	else
	{
		slot = c->next;
		c->next = (c->next + 1) % BW_CACHE_SIZE;
	}
	c->k[slot] = NAN;			/* valid only once filled */
	return c->bw[slot];
}

static void
remember_bandwidths(const CbGwrData *d, double k, const double *bw)
{
	CbGwrBandwidths *c = d->bandwidths;

	for (int e = 0; e < c->count; e++)
		if (c->bw[e] == bw)
			c->k[e] = k;
}

/* The local fits of locations order[v0 .. v1) on one thread. */
typedef struct FitPart
{
	const CbGwrData *d;
	double		bandwidth;
	Walk	   *walk;
	int32_t		v0,
				v1;
	double	   *influ,
			   *resid;
	CbGwrLocal *local;			/* NULL: the light fit */
	bool		want_cov;
	double	   *bws;			/* kernel bandwidth per location, or NULL */
	bool		bws_known;		/* read bws instead of selecting the k-th distance */
	const RowMoments *rm;		/* large light fits from the row moments, or NULL */
	int32_t		singular;		/* first singular position in visiting order, or -1 */
} FitPart;

static void *
fit_part(void *arg)
{
	FitPart    *f = arg;
	const CbGwrData *d = f->d;
	int			p = d->p;
	Neighbourhood *nb = &f->walk->nb;
	LocalWork  *lw = &f->walk->lw;

	f->singular = -1;
	for (int32_t v = f->v0; v < f->v1; v++)
	{
		int32_t		i = f->walk->order[v];
		double		yhat;

		if (f->rm)
		{
			double		bw = f->bws_known ? f->bws[i] :
				sqrt(kth_distance2(d, nb, i, (int64_t) fmin(f->bandwidth, (double) d->n))) * ADAPTIVE_EPS;

			nb->radius = bw * 1.1;
			if (f->bws)
				f->bws[i] = bw;
			f->influ[i] = local_solve_moments(d, f->rm, nb->grid, i, bw, lw);
		}
		else
		{
			if (f->bws_known)
				gather_at(d, nb, i, f->bws[i]);
			else
			{
				gather(d, nb, i, f->bandwidth);
				if (f->bws)
					f->bws[i] = nb->bw;
			}
			f->influ[i] = (p == 1 && !f->want_cov) ? local_solve_univariate(d, nb, i, lw)
				: local_solve(d, nb, i, lw, f->want_cov);
		}
		if (isnan(f->influ[i]))
		{
			f->singular = v;
			break;
		}
		yhat = dot(&d->x[(size_t) i * p], lw->c, p);
		f->resid[i] = d->y[i] - yhat;
		if (f->local)
		{
			memcpy(&f->local->beta[(size_t) i * p], lw->c, sizeof(double) * p);
			f->local->yhat[i] = yhat;
			if (f->want_cov)
				local_cct(lw, p, &f->local->se[(size_t) i * p]);
		}
	}
	return NULL;
}

CbGwrStatus
cb_gwr_fit(const CbGwrData *d, double bandwidth, CbGwrStats *st, CbGwrLocal *local,
		   int32_t *singular_at)
{
	int32_t		n = d->n;
	bool		full = (local != NULL);
	bool		want_cov = full && local->se != NULL;
	bool		want_r2 = full && local->local_r2 != NULL;
	double	   *resid = full ? local->resid : cb_alloc(sizeof(double) * (size_t) n);
	double	   *influ = full ? local->influence : cb_alloc(sizeof(double) * (size_t) n);
	CbGwrStatus status = CB_GWR_OK;
	int			threads = thread_count(n);
	Walk		walk[MAX_THREADS];
	FitPart		part[MAX_THREADS];
	double	   *bws = NULL;
	bool		bws_known = false;
	/* locations per round between interrupt checks: about 2^24 neighbour visits */
	double		reach = (d->fixed || d->kernel != CB_GWR_BISQUARE) ? n : fmin(bandwidth, (double) n);
	int32_t		round = (int32_t) fmax((double) threads, fmin((double) n, 16777216.0 / fmax(reach, 1.0)));
	int32_t		singular = -1;

	RowMoments	rm = {0};
	/* the moment path where a neighbourhood far outgrows the grid's rows and rim */
	bool		moments = !full && !d->fixed && d->kernel == CB_GWR_BISQUARE && !d->sorted_idx &&
		bandwidth >= 1024.0 && bandwidth >= 8.0 * sqrt((double) n);

	if (d->bandwidths && !d->fixed && d->kernel == CB_GWR_BISQUARE)
		bws = cached_bandwidths(d, bandwidth, &bws_known);
	for (int t = 0; t < threads; t++)
		walk_init(&walk[t], d);
	if (moments)
		row_moments_build(d, &walk[0].grid, &rm);
	for (int32_t v0 = 0; v0 < n && singular < 0; v0 += round)
	{
		int32_t		v1 = v0 + round < n ? v0 + round : n;

		/* each location costs a tree query and a pass over its neighbours */
		cb_check_interrupts();
		for (int t = 0; t < threads; t++)
			part[t] = (FitPart) {d, bandwidth, &walk[t],
				v0 + (int32_t) ((int64_t) (v1 - v0) * t / threads),
				v0 + (int32_t) ((int64_t) (v1 - v0) * (t + 1) / threads),
			influ, resid, local, want_cov, bws, bws_known, moments ? &rm : NULL, -1};
		run_parts(fit_part, part, sizeof(FitPart), threads);
		for (int t = 0; t < threads && singular < 0; t++)
			singular = part[t].singular;
	}
	if (singular >= 0)
	{
		*singular_at = walk[0].order[singular];
		status = CB_GWR_SINGULAR;
	}
	else if (bws && !bws_known)
		remember_bandwidths(d, bandwidth, bws);
	/* local R2 needs every residual: a second pass over the neighbourhoods */
	for (int32_t v = 0; want_r2 && status == CB_GWR_OK && v < n; v++)
	{
		if ((v & 255) == 0)
			cb_check_interrupts();
		gather(d, &walk[0].nb, walk[0].order[v], bandwidth);
		local->local_r2[walk[0].order[v]] = local_r2(d, &walk[0].nb, resid);
	}
	if (status == CB_GWR_OK)
	{
		fill_stats(d, bandwidth, resid, influ, st);
		if (!(n - st->tr_s - 2.0 > 0.0))
			status = CB_GWR_NO_DF;
	}
	if (want_cov && status == CB_GWR_OK)
	{
		/* se = sqrt(diag(CC') sigma2), t = beta / se */
		for (size_t k = 0; k < (size_t) n * d->p; k++)
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
	for (int t = 0; t < threads; t++)
		walk_free(&walk[t]);
	if (moments)
		cb_free(rm.pre);
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
	double		t0 = 0.0;

	for (int e = 0; e < hist->evaluations; e++)
		if (hist->bw[e] == bw)
			return hist->score[e];
	if ((t0 = DBG_NOW()) >= 0.0 && cb_gwr_fit(d, bw, &st, NULL, &where) == CB_GWR_OK)
	{
		DBG_EVAL(bw, t0);
		score = cb_gwr_score(&st, criterion);
		if (isnan(score))
			score = INFINITY;
	}
	if (hist->evaluations < (int) (sizeof(hist->bw) / sizeof(hist->bw[0])))
	{
		hist->bw[hist->evaluations] = bw;
		hist->score[hist->evaluations++] = score;
	}
	cb_progress(hist->phase ? hist->phase : "bandwidth search", hist->evaluations,
				hist->expected > hist->evaluations ? hist->expected : hist->evaluations + 1);
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
	/* golden section: two probes, then about one per shrink of the interval by 0.618 */
	hist->expected = 2 + (int) ceil(log(fmax(fabs(c - a), 2.0)) / log(1.0 / (1.0 - GOLDEN_DELTA)));
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
		/*
		 * mgwr's interval [40 + 2p, n]; in a set smaller than its lower end,
		 * from the smallest neighbourhood that can carry a local fit (the
		 * bisquare gives the farthest neighbour weight 0: p + 2 points)
		 */
		*lo = 40 + 2 * d->p;
		*hi = d->n;
		if (*lo > *hi)
			*lo = d->p + 2 < d->n ? d->p + 2 : d->n;
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

/* ---- MGWR ---- */

/* One term of the backfitting: a GWR without intercept on column j. */
typedef struct MgwrTerm
{
	CbGwrData	d;
	double	   *x;				/* column j of the design */
	double	   *y;				/* partial residual XB_j + err */
} MgwrTerm;

static double
mgwr_term_bandwidth(MgwrTerm *t, const CbMgwrSettings *set, CbGwrSearch *hist, bool *ok)
{
	double		lo = set->term_lo,
				hi = set->term_hi,
				dlo,
				dhi,
				bw,
				score;

	if (isnan(lo) || isnan(hi))
	{
		cb_gwr_search_bounds(&t->d, &dlo, &dhi);
		lo = isnan(lo) ? dlo : lo;
		hi = isnan(hi) ? dhi : hi;
	}
	*ok = cb_gwr_search(&t->d, set->criterion, lo, hi, hist, &bw, &score);
	return bw;
}

/*
 * mgwr multi_bw: each sweep refits every term j on its partial residual
 * XB_j + err with its own bandwidth search, until the score of change
 * SOC = sqrt(sum (XB_new - XB)^2 / n / sum_i (sum_j XB_new_ij)^2) < tol.
 * history receives the bandwidths of every sweep (max_iter * p).
 */
static bool
mgwr_backfit(const CbGwrData *d, const CbMgwrSettings *set, double *beta, CbMgwrResult *res,
			 double *history)
{
	int32_t		n = d->n;
	int			p = d->p;
	double	   *xb = cb_alloc(sizeof(double) * (size_t) n * p);
	double	   *xb_new = cb_alloc(sizeof(double) * (size_t) n * p);
	double	   *err = cb_alloc(sizeof(double) * (size_t) n);
	int		   *stable = cb_alloc(sizeof(int) * p);
	CbGwrSearch *hist = cb_alloc(sizeof(CbGwrSearch));
	MgwrTerm	t;
	CbGwrLocal	fit = {0};
	CbGwrStats	st;
	bool		ok = true;

	hist->phase = "backfitting search";
	t.d = *d;
	t.d.p = 1;
	t.x = cb_alloc(sizeof(double) * (size_t) n);
	t.y = cb_alloc(sizeof(double) * (size_t) n);
	t.d.x = t.x;
	t.d.y = t.y;
	fit.beta = cb_alloc(sizeof(double) * (size_t) n);
	fit.yhat = cb_alloc(sizeof(double) * (size_t) n);
	fit.resid = cb_alloc(sizeof(double) * (size_t) n);
	fit.influence = cb_alloc(sizeof(double) * (size_t) n);
	for (int j = 0; j < p; j++)
	{
		res->bandwidths[j] = NAN;
		stable[j] = 1;
	}
	/* start from the GWR fit: XB = beta * X, err = its residuals */
	for (int32_t i = 0; i < n; i++)
	{
		double		yhat = 0.0;

		for (int j = 0; j < p; j++)
		{
			xb[(size_t) i * p + j] = beta[(size_t) i * p + j] * d->x[(size_t) i * p + j];
			yhat += xb[(size_t) i * p + j];
		}
		err[i] = d->y[i] - yhat;
	}
	res->iterations = 0;
	for (int it = 0; it < set->max_iter && ok; it++)
	{
		double		num = 0.0,
					den = 0.0;

		for (int j = 0; j < p && ok; j++)
		{
			double		bw;
			int32_t		where;
			bool		all_stable = true;

			/* every bandwidth repeated same_times times: stop searching (mgwr) */
			for (int k = 0; k < p; k++)
				all_stable &= (stable[k] == set->same_times);

			for (int32_t i = 0; i < n; i++)
			{
				t.x[i] = d->x[(size_t) i * p + j];
				t.y[i] = xb[(size_t) i * p + j] + err[i];
			}
			if (all_stable)
				bw = res->bandwidths[j];
			else
			{
				bw = mgwr_term_bandwidth(&t, set, hist, &ok);
				if (!ok)
				{
					res->failed_term = j;
					break;
				}
				if (bw == res->bandwidths[j])
					stable[j]++;
				else
					for (int k = 0; k < p; k++)
						stable[k] = 1;
			}
			if (cb_gwr_fit(&t.d, bw, &st, &fit, &where) == CB_GWR_SINGULAR)
			{
				res->failed_term = j;
				ok = false;
				break;
			}
			for (int32_t i = 0; i < n; i++)
			{
				err[i] = fit.resid[i];
				xb_new[(size_t) i * p + j] = fit.yhat[i];
				beta[(size_t) i * p + j] = fit.beta[i];
			}
			res->bandwidths[j] = bw;
			history[(size_t) it * p + j] = bw;
			cb_progress("backfitting", (int64_t) it * p + j + 1, (int64_t) set->max_iter * p);
		}
		if (!ok)
			break;
		for (int32_t i = 0; i < n; i++)
		{
			double		row = 0.0;

			for (int j = 0; j < p; j++)
			{
				double		change = xb_new[(size_t) i * p + j] - xb[(size_t) i * p + j];

				num += change * change;
				row += xb_new[(size_t) i * p + j];
			}
			den += row * row;
		}
		memcpy(xb, xb_new, sizeof(double) * (size_t) n * p);
		res->iterations = it + 1;
		res->score = sqrt(num / n / den);
		if (res->score < set->tol)
			break;
	}
	cb_free(xb);
	cb_free(xb_new);
	cb_free(err);
	cb_free(stable);
	cb_free(hist);
	cb_free(t.x);
	cb_free(t.y);
	cb_free(fit.beta);
	cb_free(fit.yhat);
	cb_free(fit.resid);
	cb_free(fit.influence);
	return ok;
}

/*
 * out[0..PANEL) = sum_a f[a] src[idx[a] * stride + 0..PANEL): one panel of a
 * row of R_j, the replay's inner loop.  The panel is accumulated in four
 * vector registers (GCC vector extensions, lowered to the CPU's widest
 * vectors), so each neighbour costs four loads, multiplies and adds; a
 * plain array of accumulators would go through memory on every add.
 */
#define PANEL 32

typedef double PanelVec __attribute__((vector_size(64), aligned(8)));

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
/*
 * wider vectors where the CPU has them (GCC function multiversioning); no
 * fused multiply-add, so every clone gives the same bits
 */
__attribute__((target_clones("avx512f", "avx2,fma", "default"), optimize("fp-contract=off")))
#endif
static void
combine_rows(double *restrict out, const double *restrict src, int32_t stride, const int32_t *idx,
			 const double *f, int32_t m)
{
	PanelVec	acc0 = {0},
				acc1 = {0},
				acc2 = {0},
				acc3 = {0};

	for (int32_t a = 0; a < m; a++)
	{
		const PanelVec *s = (const PanelVec *) &src[(size_t) idx[a] * stride];
		double		fa = f[a];

		acc0 += fa * s[0];
		acc1 += fa * s[1];
		acc2 += fa * s[2];
		acc3 += fa * s[3];
	}
	memcpy(out, &acc0, sizeof(acc0));
	memcpy(out + 8, &acc1, sizeof(acc1));
	memcpy(out + 16, &acc2, sizeof(acc2));
	memcpy(out + 24, &acc3, sizeof(acc3));
}

/*
 * Rows of the operator of one backfitting step of term j, in visiting order:
 * stored row v is block row row[v] (the location order[row[v]]), with
 * entries idx/f[start[v] .. start[v + 1]).  An entry refers to a row of old:
 * a location's (< n, by its position in the visiting order), or one of the
 * MOMENTS rows after them (n + k, see below).
 */
typedef struct Operator
{
	int32_t		rows;
	int32_t    *row;			/* rows: block row of each stored row */
	int64_t    *start;			/* rows + 1 */
	int32_t    *idx;
	double	   *f;
	int64_t		cap;			/* room in idx and f */
	bool		moments;		/* some row reads the moment rows */
} Operator;

static void
operator_room(Operator *op, int64_t nnz, int64_t need)
{
	int64_t		cap;
	int32_t    *ni;
	double	   *nf;

	if (nnz + need <= op->cap)
		return;
	cap = (nnz + need) + (nnz + need) / 2;
	ni = cb_alloc(sizeof(int32_t) * (size_t) cap);
	nf = cb_alloc(sizeof(double) * (size_t) cap);
	if (op->cap > 0)
	{
		memcpy(ni, op->idx, sizeof(int32_t) * (size_t) nnz);
		memcpy(nf, op->f, sizeof(double) * (size_t) nnz);
		cb_free(op->idx);
		cb_free(op->f);
	}
	op->idx = ni;
	op->f = nf;
	op->cap = cap;
}

/*
 * Rows order[v0 .. v1) of term j's operator at one bandwidth:
 * row i of R_j's step = sum_l x_ij w_il x_lj / (sum_m w_im x_mj^2) old[l, .].
 * The denominator is always summed over the disc, as the backfitting does.
 */
/*
 * The kernel bandwidths (distances) of every location at adaptive
 * bandwidth k when a fit of the backfitting left them in the cache, else
 * NULL: the operator's rows then skip the k-th distance selection.
 */
static const double *
known_bandwidths(const CbGwrData *d, double k)
{
	const CbGwrBandwidths *c = d->bandwidths;

	if (c == NULL || d->fixed || d->kernel != CB_GWR_BISQUARE || d->sorted_idx)
		return NULL;
	return bandwidths_at(c, k);
}

static void
build_operator(const CbGwrData *dj, Neighbourhood *nb, const MomentFrame *mf, const int32_t *order,
			   const int32_t *rank, int32_t v0, int32_t v1, double bandwidth, Operator *op)
{
	const double *xj = dj->x;
	int64_t		nnz = 0;
	bool		polynomial = dj->kernel == CB_GWR_BISQUARE;
	const double *bws = known_bandwidths(dj, bandwidth);

	op->rows = 0;
	op->moments = false;
	op->start[0] = 0;
	for (int32_t v = v0; v < v1; v++)
	{
		int32_t		i = order[v];
		double		sxx = 0.0;
		int64_t		out;

		if ((v & 255) == 0)
			cb_check_interrupts();
		if (bws)
			gather_at(dj, nb, i, bws[i]);
		else
			gather(dj, nb, i, bandwidth);
		for (int32_t a = 0; a < nb->m; a++)
			sxx += nb->w[a] * xj[nb->idx[a]] * xj[nb->idx[a]];
		if (polynomial && 2 * (int64_t) nb->m > (int64_t) dj->n + MOMENTS &&
			(out = query_outside(dj, nb, i, nb->bw)) + MOMENTS < nb->m)
		{
			/* most points inside: the moments less the points outside */
			double		coef[MOMENTS],
						s = xj[i] / sxx,
						bw2 = nb->bw * nb->bw;

			operator_room(op, nnz, out + MOMENTS);
			moment_coef(mf, &dj->xy[2 * (size_t) i], nb->bw, coef);
			for (int k = 0; k < MOMENTS; k++)
			{
				op->idx[nnz + k] = dj->n + k;
				op->f[nnz + k] = s * coef[k];
			}
			for (int64_t a = 0; a < out; a++)
			{
				double		z = 1.0 - nb->cand_d2[a] / bw2;

				op->idx[nnz + MOMENTS + a] = rank[nb->cand[a]];
				op->f[nnz + MOMENTS + a] = -s * (z * z) * xj[nb->cand[a]];
			}
			nnz += out + MOMENTS;
			op->moments = true;
		}
		else
		{
			operator_room(op, nnz, nb->m);
			for (int32_t a = 0; a < nb->m; a++)
			{
				op->idx[nnz + a] = rank[nb->idx[a]];
				op->f[nnz + a] = xj[i] * nb->w[a] * xj[nb->idx[a]] / sxx;
			}
			nnz += nb->m;
		}
		op->row[op->rows++] = v;
		op->start[op->rows] = nnz;
	}
}

static void
operator_free(Operator *op)
{
	cb_free(op->row);
	cb_free(op->start);
	if (op->cap > 0)
	{
		cb_free(op->idx);
		cb_free(op->f);
	}
}

/*
 * The replay's dense blocks (R_j, err, old) hold a block of columns as
 * column groups of GROUP columns, each group a contiguous array of
 * (n + MOMENTS) rows of GROUP: the locations in visiting order, then the
 * moment rows.  A location's neighbours are then close in memory, and
 * the rows a group reads while it walks the locations stay in cache.  The
 * last group is padded with zero columns.
 */
#define GROUP PANEL

static inline size_t
block_cell(int32_t rows, int32_t r, int32_t c)
{
	return ((size_t) (c / GROUP) * rows + r) * GROUP + (size_t) (c % GROUP);
}

/* Stored rows [r0, r1) of R_j = op old, for the column groups [g0, g1). */
typedef struct ReplayPart
{
	const Operator *op;
	const double *old;
	double	   *prj;
	int32_t		rows,
				r0,
				r1,
				g0,
				g1;
} ReplayPart;

static void *
replay_part(void *arg)
{
	const ReplayPart *r = arg;
	const Operator *op = r->op;
	size_t		group = (size_t) r->rows * GROUP;

	for (int32_t g = r->g0; g < r->g1; g++)
	{
		const double *src = r->old + g * group;
		double	   *dst = r->prj + g * group;

		for (int32_t v = r->r0; v < r->r1; v++)
			for (int32_t q = 0; q < GROUP; q += PANEL)
				combine_rows(&dst[(size_t) op->row[v] * GROUP + q], src + q, GROUP, &op->idx[op->start[v]],
							 &op->f[op->start[v]], (int32_t) (op->start[v + 1] - op->start[v]));
	}
	return NULL;
}

/*
 * prj = op old for the block's groups, dealt out to carbonbudget.threads
 * threads.  Every entry is computed by the same sequence of operations
 * whichever thread computes it, so the result does not depend on the
 * split.  The threads are joined after each chunk of rows, before the
 * interrupt check, so a cancel never frees memory they are using.
 */
static void
replay_step(const Operator *op, const double *old, double *prj, int32_t rows, int32_t groups)
{
	/* rows per chunk: about 2^27 multiply-adds between interrupt checks */
	int64_t		budget = ((int64_t) 1 << 27) / ((int64_t) groups * GROUP) + 1;
	int32_t		r0 = 0;
	ReplayPart	part[MAX_THREADS];
	int			parts = thread_count(groups);

	while (r0 < op->rows)
	{
		int32_t		r1 = r0;

		while (r1 < op->rows && op->start[r1] - op->start[r0] < budget)
			r1++;
		for (int t = 0; t < parts; t++)
			part[t] = (ReplayPart) {op, old, prj, rows, r0, r1,
				(int32_t) ((int64_t) groups * t / parts),
			(int32_t) ((int64_t) groups * (t + 1) / parts)};
		run_parts(replay_part, part, sizeof(ReplayPart), parts);
		r0 = r1;
		cb_check_interrupts();
	}
}

/*
 * The moment rows of old (rows n .. n + MOMENTS of each group) for the
 * groups [g0, g1), summed in location order.
 */
typedef struct MomentPart
{
	const double *g;			/* n x MOMENTS basis values times x_lj, by location */
	const int32_t *rank;		/* visiting position of each location */
	double	   *old;
	int32_t		n,
				g0,
				g1;
} MomentPart;

static void *
moment_part(void *arg)
{
	const MomentPart *m = arg;
	int32_t		rows = m->n + MOMENTS;

	for (int32_t grp = m->g0; grp < m->g1; grp++)
	{
		double	   *base = &m->old[(size_t) grp * rows * GROUP];
		double	   *mom = &base[(size_t) m->n * GROUP];

		memset(mom, 0, sizeof(double) * MOMENTS * GROUP);
		for (int32_t l = 0; l < m->n; l++)
		{
			const double *src = &base[(size_t) m->rank[l] * GROUP];

			for (int k = 0; k < MOMENTS; k++)
			{
				double		gk = m->g[(size_t) l * MOMENTS + k];
				double	   *dst = &mom[(size_t) k * GROUP];

				for (int32_t c = 0; c < GROUP; c++)
					dst[c] += gk * src[c];
			}
		}
	}
	return NULL;
}

static void
moment_rows(const double *g, const int32_t *rank, double *old, int32_t n, int32_t groups)
{
	int			parts = thread_count(groups);
	MomentPart	part[MAX_THREADS];

	for (int t = 0; t < parts; t++)
		part[t] = (MomentPart) {g, rank, old, n,
			(int32_t) ((int64_t) groups * t / parts),
		(int32_t) ((int64_t) groups * (t + 1) / parts)};
	run_parts(moment_part, part, sizeof(MomentPart), parts);
	cb_check_interrupts();
}

/*
 * Operators kept between column blocks: the one of each (term, bandwidth)
 * of the history while they fit the cache's share of the memory limit
 * (the near-global ones, nine moments and a few points a row, always do);
 * the others are rebuilt a chunk of rows at a time for each block.
 */
typedef struct OperatorCache
{
	int			count;
	int		   *term;
	double	   *bw;
	Operator   *op;
	size_t		bytes,
				limit;
} OperatorCache;

static size_t
operator_bytes(const Operator *op)
{
	return (size_t) op->start[op->rows] * (sizeof(int32_t) + sizeof(double)) +
		(size_t) op->rows * (sizeof(int32_t) + sizeof(int64_t));
}

/*
 * Entries of a replay operator's row at bandwidth bw: an adaptive bisquare
 * row holds about min(bw, n - bw + 9) (its points, or the moments and the
 * points outside), any other row all n.
 */
static double
operator_row_entries(const CbGwrData *d, double bw)
{
	if (d->fixed || d->kernel != CB_GWR_BISQUARE)
		return d->n;
	return fmin(bw, d->n - bw + MOMENTS) + KNN_SLACK;
}

/* Estimated bytes of a whole operator at bw, with a margin of half (12 bytes an entry). */
static double
operator_bytes_estimate(const CbGwrData *d, double bw)
{
	return operator_row_entries(d, bw) * d->n * 12.0 * 1.5;
}

/* Rows per chunk of an operator built on the fly: about this many entries. */
#define CHUNK_ENTRIES ((int64_t) 1 << 18)

/* Entries of such a chunk: at least one whole row. */
static double
chunk_entries(int32_t n)
{
	return fmin((double) CHUNK_ENTRIES, (double) n * n) + n;
}

typedef struct HatWork
{
	const CbGwrData *d;
	const double *history;
	int			iterations;
	int32_t		cols;			/* columns of the block */
	int32_t		groups;			/* its column groups */
	int32_t		rows;			/* rows of a group: n + MOMENTS */
	int32_t    *rank;			/* visiting position of each location */
	MomentFrame frame;
	double	   *pr;				/* p blocks: R_j's rows for the block's columns */
	double	   *err;
	double	   *old;			/* with its moment rows */
	double	   *g;				/* n x MOMENTS, by location */
	double	   *xj;
	double	   *entry;			/* p: one neighbour's initial entries */
	Operator	scratch;
	OperatorCache cache;
	Walk		walk;
	int32_t		probes;			/* 0: identity columns (exact); else random sign columns */
	Operator   *init;			/* p scratch operators of the initial GWR step (probes) */
	int64_t		done,
				total;			/* progress: steps replayed of the block's */
} HatWork;

/*
 * The entries of R_j's row i at the initial GWR bandwidth for neighbour l
 * of weight w, j = 0 .. p-1: x_ij [(X'W_iX)^-1 x_l]_j w, from the local
 * solve of location i left in lw.
 */
static void
initial_entries(const CbGwrData *d, LocalWork *lw, int32_t i, int32_t l, double w, double *entry)
{
	int			p = d->p;

	memcpy(lw->v, &d->x[(size_t) l * p], sizeof(double) * p);
	forward(lw->a, p, lw->v);
	backward(lw->a, p, lw->v);
	for (int j = 0; j < p; j++)
		entry[j] = d->x[(size_t) i * p + j] * lw->v[j] * w;
}

/*
 * Entry (location l, probe c) of the random sign columns: +1 or -1 from a
 * fixed hash of (l, c), so that the estimate does not depend on the block
 * width, the number of threads or the session.
 */
static double
probe_sign(int32_t l, int32_t c)
{
	uint64_t	z = ((uint64_t) (uint32_t) l << 32 | (uint32_t) c) + UINT64_C(0x9E3779B97F4A7C15);

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	z ^= z >> 31;
	return (z & 1) ? 1.0 : -1.0;
}

/*
 * With probe columns Z the initial R_j Z is dense: rows [v0, v1) of the p
 * operators x_ij [(X'W_iX)^-1 X'W_i]_j are built from one local solve a
 * row, then replayed on Z (held in err) like a backfitting step.
 */
static void
init_probe_rows(HatWork *hw, const CbMgwrSettings *set, double *pr, size_t block)
{
	const CbGwrData *d = hw->d;
	int32_t		n = d->n;
	int			p = d->p;
	Neighbourhood *nb = &hw->walk.nb;
	LocalWork  *lw = &hw->walk.lw;

	for (int32_t v0 = 0; v0 < n;)
	{
		int64_t		nnz = 0;
		int32_t		v = v0;

		for (int j = 0; j < p; j++)
		{
			hw->init[j].rows = 0;
			hw->init[j].start[0] = 0;
		}
		/* a chunk of rows of about CHUNK_ENTRIES entries per operator */
		for (; v < n && (v == v0 || nnz < CHUNK_ENTRIES); v++)
		{
			int32_t		i = hw->walk.order[v];
			bool		ok;

			if ((v & 255) == 0)
				cb_check_interrupts();
			gather(d, nb, i, set->init_bw);
			ok = !isnan(local_solve(d, nb, i, lw, false));
			for (int j = 0; j < p; j++)
				operator_room(&hw->init[j], nnz, nb->m);
			for (int32_t a = 0; ok && a < nb->m; a++)
			{
				initial_entries(d, lw, i, nb->idx[a], nb->w[a], hw->entry);
				for (int j = 0; j < p; j++)
				{
					hw->init[j].idx[nnz + a] = hw->rank[nb->idx[a]];
					hw->init[j].f[nnz + a] = hw->entry[j];
				}
			}
			nnz += ok ? nb->m : 0;
			for (int j = 0; j < p; j++)
			{
				hw->init[j].row[hw->init[j].rows++] = v;
				hw->init[j].start[hw->init[j].rows] = nnz;
			}
		}
		for (int j = 0; j < p; j++)
			replay_step(&hw->init[j], hw->err, &pr[(size_t) j * block], hw->rows, hw->groups);
		v0 = v;
	}
}

static Operator *
cached_operator(HatWork *hw, CbGwrData *dj, int j, double bw)
{
	OperatorCache *c = &hw->cache;
	Operator	op = {0};
	int32_t		n = hw->d->n;

	for (int k = 0; k < c->count; k++)
		if (c->term[k] == j && c->bw[k] == bw)
			return c->op[k].rows > 0 ? &c->op[k] : NULL;
	/* first use: build it whole and keep it if its estimated size fits */
	c->term[c->count] = j;
	c->bw[c->count] = bw;
	if (hw->d->fixed || dj->kernel != CB_GWR_BISQUARE ||
		c->bytes + operator_bytes_estimate(dj, bw) > c->limit)
	{
		c->op[c->count++] = (Operator) {0};
		return NULL;
	}
	op.row = cb_alloc(sizeof(int32_t) * (size_t) n);
	op.start = cb_alloc(sizeof(int64_t) * ((size_t) n + 1));
	build_operator(dj, &hw->walk.nb, &hw->frame, hw->walk.order, hw->rank, 0, n, bw, &op);
	if (c->bytes + operator_bytes(&op) <= c->limit)
	{
		c->bytes += operator_bytes(&op);
		c->op[c->count++] = op;
		return &c->op[c->count - 1];
	}
	operator_free(&op);
	c->op[c->count++] = (Operator) {0};
	return NULL;
}

/*
 * One backfitting step of term j on the block: prj = A_j old, from the
 * cached operator or built a chunk of rows at a time.
 */
static void
hat_step(HatWork *hw, CbGwrData *dj, int j, double bw, double *prj)
{
	Operator   *op = cached_operator(hw, dj, j, bw);
	int32_t		n = hw->d->n;

	if (op)
	{
		if (op->moments)
			moment_rows(hw->g, hw->rank, hw->old, n, hw->groups);
		replay_step(op, hw->old, prj, hw->rows, hw->groups);
		return;
	}
	if (dj->kernel == CB_GWR_BISQUARE)
		moment_rows(hw->g, hw->rank, hw->old, n, hw->groups);
	for (int32_t v0 = 0; v0 < n;)
	{
		double		per_row = operator_row_entries(dj, bw);
		int32_t		v1 = v0 + (int32_t) fmax(1.0, fmin((double) (n - v0),
													   (chunk_entries(n) - n) / per_row));

		build_operator(dj, &hw->walk.nb, &hw->frame, hw->walk.order, hw->rank, v0, v1, bw, &hw->scratch);
		replay_step(&hw->scratch, hw->old, prj, hw->rows, hw->groups);
		v0 = v1;
	}
}

/*
 * The per-term hat matrices R_j (S = sum_j R_j) for the columns
 * [c0, c0 + cols) of the identity, as mgwr _chunk_compute_R: start from the
 * GWR projection at the initial bandwidth, then repeat every backfitting
 * step.  Adds diag(R_j) to enp, sum_j diag to influence and the squared
 * row sums of R_j / x_ij to cct.
 */
static void
mgwr_hat_block(HatWork *hw, const CbMgwrSettings *set, int32_t c0, int32_t cols,
			   double *enp, double *cct, double *influence)
{
	const CbGwrData *d = hw->d;
	int32_t		n = d->n;
	int			p = d->p;
	int32_t		rows = hw->rows;
	size_t		block;
	double	   *pr = hw->pr;
	double	   *err = hw->err;
	double	   *old = hw->old;
	CbGwrData	dj = *d;
	double	   *xj = hw->xj;
	int32_t    *order = hw->walk.order;
	int32_t    *rank = hw->rank;
	Neighbourhood *nb = &hw->walk.nb;
	LocalWork  *lw = &hw->walk.lw;

	hw->cols = cols;
	hw->groups = (cols + GROUP - 1) / GROUP;
	block = (size_t) hw->groups * rows * GROUP;
	hw->done = 0;
	memset(pr, 0, sizeof(double) * block * p);
	/* err = the block's columns: the identity's, or random signs (zero on the padding) */
	memset(err, 0, sizeof(double) * block);
	for (int32_t v = 0; v < n; v++)
		for (int32_t c = 0; c < cols; c++)
			err[block_cell(rows, v, c)] = hw->probes > 0 ? probe_sign(order[v], c0 + c) :
				(order[v] == c0 + c) ? 1.0 : 0.0;
	/* R_j = the GWR at the initial bandwidth, x_ij [(X'W_iX)^-1 X'W_i]_j, on them */
	if (hw->probes > 0)
		init_probe_rows(hw, set, pr, block);
	for (int32_t v = 0; v < n && hw->probes == 0; v++)
	{
		int32_t		i = order[v];

		if ((v & 255) == 0)
			cb_check_interrupts();
		gather(d, nb, i, set->init_bw);
		if (isnan(local_solve(d, nb, i, lw, false)))
			continue;			/* cannot happen: the GWR fit succeeded */
		for (int32_t a = 0; a < nb->m; a++)
		{
			int32_t		l = nb->idx[a];

			/* identity columns: only the block's own locations */
			if (l < c0 || l >= c0 + cols)
				continue;
			initial_entries(d, lw, i, l, nb->w[a], hw->entry);
			for (int j = 0; j < p; j++)
				pr[(size_t) j * block + block_cell(rows, v, l - c0)] = hw->entry[j];
		}
	}
	/* err -= sum_j R_j */
	for (int32_t v = 0; v < n; v++)
		for (int32_t c = 0; c < cols; c++)
		{
			size_t		at = block_cell(rows, v, c);

			for (int j = 0; j < p; j++)
				err[at] -= pr[(size_t) j * block + at];
		}

	dj.p = 1;
	dj.x = xj;
	for (int it = 0; it < hw->iterations; it++)
		for (int j = 0; j < p; j++)
		{
			double	   *prj = &pr[(size_t) j * block];

			for (int32_t i = 0; i < n; i++)
				xj[i] = d->x[(size_t) i * p + j];
			for (int32_t l = 0; l < n; l++)
			{
				double		gl[MOMENTS];

				moment_basis(&hw->frame, &d->xy[2 * (size_t) l], gl);
				for (int k = 0; k < MOMENTS; k++)
					hw->g[(size_t) l * MOMENTS + k] = gl[k] * xj[l];
			}
			/* old = R_j + err on the location rows; hat_step fills its moment rows */
			for (int32_t grp = 0; grp < hw->groups; grp++)
				for (size_t k = (size_t) grp * rows * GROUP; k < ((size_t) grp * rows + n) * GROUP; k++)
					old[k] = prj[k] + err[k];
			hat_step(hw, &dj, j, hw->history[(size_t) it * p + j], prj);
			for (int32_t grp = 0; grp < hw->groups; grp++)
				for (size_t k = (size_t) grp * rows * GROUP; k < ((size_t) grp * rows + n) * GROUP; k++)
					err[k] = old[k] - prj[k];
			hw->done++;
			cb_progress("hat matrix replay", c0 + (int64_t) cols * hw->done / hw->total,
						hw->probes > 0 ? hw->probes : n);
		}

	for (int j = 0; j < p; j++)
	{
		const double *prj = &pr[(size_t) j * block];

		for (int32_t i = 0; i < n; i++)
		{
			double		s = 0.0,
						xij = d->x[(size_t) i * p + j];

			for (int32_t c = 0; c < cols; c++)
			{
				double		r = prj[block_cell(rows, rank[i], c)] / xij;

				s += r * r;
			}
			cct[(size_t) i * p + j] += s;
		}
		if (hw->probes > 0)
		{
			/* Hutchinson: diag(R_j) ~ mean over the probes of z (R_j z); scaled by the caller */
			for (int32_t i = 0; i < n; i++)
			{
				double		s = 0.0;

				for (int32_t c = 0; c < cols; c++)
					s += probe_sign(i, c0 + c) * prj[block_cell(rows, rank[i], c)];
				enp[j] += s;
				influence[i] += s;
			}
			continue;
		}
		for (int32_t c = 0; c < cols; c++)
		{
			double		r = prj[block_cell(rows, rank[c0 + c], c)];

			enp[j] += r;
			influence[c0 + c] += r;
		}
	}
}

/*
 * Bytes of the replay with blocks of cols columns: the p + 2 dense blocks
 * (R_j, err, old and its moment rows) of whole column groups and one chunk
 * of an operator.
 */
static double
replay_bytes(int32_t n, int p, int32_t cols)
{
	double		padded = (double) ((cols + GROUP - 1) / GROUP) * GROUP;

	return 8.0 * ((double) (p + 2) * ((double) n + MOMENTS) * padded + (double) MOMENTS * n + 3.0 * n) +
		chunk_entries(n) * 1.5 * 12.0 + 20.0 * n;
}

/* The widest block (whole groups, or all n columns) within avail bytes; one group at least. */
static int32_t
replay_columns(int32_t n, int p, double avail)
{
	int32_t		cols = n < GROUP ? n : GROUP;

	while (cols < n && replay_bytes(n, p, cols + GROUP < n ? cols + GROUP : n) <= avail)
		cols = cols + GROUP < n ? cols + GROUP : n;
	return cols;
}

int32_t
cb_mgwr_block_columns(int32_t n, int p, double memory_limit, double *bytes)
{
	*bytes = replay_bytes(n, p, n < GROUP ? n : GROUP);
	if (*bytes > memory_limit)
		return 0;
	/* a fifth of the limit for operators kept between blocks */
	return replay_columns(n, p, memory_limit * 0.8);
}

/*
 * Estimated bytes of the history's operators kept whole: one for each
 * distinct (term, bandwidth), as cached_operator() estimates them.
 */
static double
history_operator_bytes(const CbGwrData *d, const double *history, int iterations)
{
	double		total = 0.0;
	int			p = d->p;

	if (d->fixed || d->kernel != CB_GWR_BISQUARE)
		return 0.0;				/* never kept */
	for (int it = 0; it < iterations; it++)
		for (int j = 0; j < p; j++)
		{
			double		bw = history[(size_t) it * p + j];
			bool		seen = false;

			for (int e = 0; e < it && !seen; e++)
				seen = history[(size_t) e * p + j] == bw;
			if (!seen)
				total += operator_bytes_estimate(d, bw);
		}
	return total;
}

/*
 * Columns per block once the history is known.  An operator rebuilt for
 * every block costs a neighbour search per row, which the replay of a
 * block's columns does not hide when the blocks are narrow; so up to 60%
 * of the limit goes to keeping the operators whole (at least a fifth, as
 * before the fit; only a fifth when they would not fit in the 60%), and
 * the blocks take the rest.
 */
static int32_t
mgwr_replay_columns(const CbGwrData *d, const double *history, int iterations, double memory_limit)
{
	/* the estimate carries a margin of half; without it they would not fit at all */
	double		ops = history_operator_bytes(d, history, iterations);
	double		reserve = ops / 1.5 > 0.6 * memory_limit ? 0.2 * memory_limit :
		fmax(0.2 * memory_limit, fmin(ops, 0.6 * memory_limit));

	return replay_columns(d->n, d->p, memory_limit - reserve);
}

bool
cb_mgwr_fit(const CbGwrData *d, const CbMgwrSettings *set, CbGwrLocal *local,
			CbGwrStats *st, CbMgwrResult *res)
{
	int32_t		n = d->n;
	int			p = d->p;
	double	   *history = cb_alloc(sizeof(double) * (size_t) set->max_iter * p);
	int32_t		cols,
				columns;		/* of the identity, or probes */
	HatWork		hw = {0};

	res->failed_term = -1;
	DBG_T0();
	if (!mgwr_backfit(d, set, local->beta, res, history))
	{
		cb_free(history);
		return false;
	}
	DBG_BACKFIT(res, history, p);
	/* probe columns: the initial step's p operators are built a chunk at a time beside the blocks */
	cols = mgwr_replay_columns(d, history, res->iterations,
							   set->memory_limit - (set->probes > 0 ? p * chunk_entries(n) * 1.5 * 12.0 : 0.0));
	columns = set->probes > 0 ? set->probes : n;
	cols = cols < columns ? cols : columns;
	memset(local->se, 0, sizeof(double) * (size_t) n * p);
	memset(local->influence, 0, sizeof(double) * (size_t) n);
	memset(res->enp, 0, sizeof(double) * p);

	hw.d = d;
	hw.history = history;
	hw.iterations = res->iterations;
	moment_frame(d, &hw.frame);
	walk_init(&hw.walk, d);
	hw.rows = n + MOMENTS;
	hw.groups = (cols + GROUP - 1) / GROUP;
	hw.rank = cb_alloc(sizeof(int32_t) * (size_t) n);
	for (int32_t v = 0; v < n; v++)
		hw.rank[hw.walk.order[v]] = v;
	hw.pr = cb_alloc(sizeof(double) * (size_t) hw.groups * hw.rows * GROUP * p);
	hw.err = cb_alloc(sizeof(double) * (size_t) hw.groups * hw.rows * GROUP);
	hw.old = cb_alloc(sizeof(double) * (size_t) hw.groups * hw.rows * GROUP);
	hw.g = cb_alloc(sizeof(double) * (size_t) n * MOMENTS);
	hw.xj = cb_alloc(sizeof(double) * (size_t) n);
	hw.entry = cb_alloc(sizeof(double) * p);
	hw.scratch.row = cb_alloc(sizeof(int32_t) * (size_t) n);
	hw.scratch.start = cb_alloc(sizeof(int64_t) * ((size_t) n + 1));
	hw.cache.term = cb_alloc(sizeof(int) * (size_t) res->iterations * p);
	hw.cache.bw = cb_alloc(sizeof(double) * (size_t) res->iterations * p);
	hw.cache.op = cb_alloc(sizeof(Operator) * (size_t) res->iterations * p);
	hw.cache.limit = (size_t) fmax(0.0, set->memory_limit - replay_bytes(n, p, cols));
	hw.total = (int64_t) res->iterations * p;
	hw.probes = set->probes;
	if (hw.probes > 0)
	{
		hw.init = cb_alloc(sizeof(Operator) * p);
		for (int j = 0; j < p; j++)
		{
			hw.init[j] = (Operator) {0};
			hw.init[j].row = cb_alloc(sizeof(int32_t) * (size_t) n);
			hw.init[j].start = cb_alloc(sizeof(int64_t) * ((size_t) n + 1));
		}
	}
	for (int32_t c0 = 0; c0 < columns; c0 += cols)
		mgwr_hat_block(&hw, set, c0, c0 + cols <= columns ? cols : columns - c0, res->enp, local->se,
					   local->influence);
	if (hw.probes > 0)
	{
		/* the estimates are means over the probes */
		for (int j = 0; j < p; j++)
		{
			res->enp[j] /= hw.probes;
			operator_free(&hw.init[j]);
		}
		for (size_t k = 0; k < (size_t) n * p; k++)
			local->se[k] /= hw.probes;
		for (int32_t i = 0; i < n; i++)
			local->influence[i] /= hw.probes;
		cb_free(hw.init);
	}
	DBG_REPLAY(cols, hw.cache.count, hw.cache.bytes);
	for (int k = 0; k < hw.cache.count; k++)
		if (hw.cache.op[k].rows > 0)
			operator_free(&hw.cache.op[k]);
	operator_free(&hw.scratch);
	cb_free(hw.cache.term);
	cb_free(hw.cache.bw);
	cb_free(hw.cache.op);
	cb_free(hw.pr);
	cb_free(hw.err);
	cb_free(hw.old);
	cb_free(hw.g);
	cb_free(hw.xj);
	cb_free(hw.entry);
	cb_free(hw.rank);
	walk_free(&hw.walk);

	for (int32_t i = 0; i < n; i++)
	{
		local->yhat[i] = dot(&d->x[(size_t) i * p], &local->beta[(size_t) i * p], p);
		local->resid[i] = d->y[i] - local->yhat[i];
		local->local_r2[i] = NAN;
	}
	fill_stats(d, NAN, local->resid, local->influence, st);
	/* a location's leverage from a few hundred probes is noise: only their sum (tr S) is kept */
	if (set->probes > 0)
		for (int32_t i = 0; i < n; i++)
			local->influence[i] = NAN;
	for (size_t k = 0; k < (size_t) n * p; k++)
	{
		local->se[k] = sqrt(local->se[k] * st->sigma2);
		local->t[k] = local->beta[k] / local->se[k];
	}
	cb_free(history);
	return true;
}
