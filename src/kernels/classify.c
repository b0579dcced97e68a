/*
 * classify.c (kernels)
 *    Class breaks (classInt jenks, quantile, equal) and hierarchical
 *    clustering (hclust + cutree) on plain arrays.
 */
#include <math.h>
#include <float.h>

#include "classify.h"

/*
 * Jenks natural breaks.  This is classInt's dynamic programme step for
 * step, in the same loop order and with the same ">=" tie rule, so the
 * floating-point sums and the choice among equally good partitions are
 * those of R.  cost[l][j]: least within-class sum of squares of the first
 * l values in j classes; first[l][j]: first value (1-based) of the last
 * of those classes.
 */
void
cb_jenks_breaks(const double *d, int n, int k, double *brks)
{
	int		   *first = cb_alloc(sizeof(int) * (size_t) n * k);
	double	   *cost = cb_alloc(sizeof(double) * (size_t) n * k);
	int		   *upper = cb_alloc(sizeof(int) * (size_t) (k + 1));
	int			l,
				m,
				j,
				last;

#define FIRST(l_, j_) first[(size_t) ((l_) - 1) * k + ((j_) - 1)]
#define COST(l_, j_) cost[(size_t) ((l_) - 1) * k + ((j_) - 1)]
	for (l = 1; l <= n; l++)
		for (j = 1; j <= k; j++)
		{
			FIRST(l, j) = 1;
			COST(l, j) = (l == 1) ? 0.0 : DBL_MAX;
		}
	for (l = 2; l <= n; l++)
	{
		double		s1 = 0,
					s2 = 0,
					w = 0,
					v = 0;

		/* O(n^2 k) in all: let a cancel stop a large partition */
		cb_check_interrupts();
		for (m = 1; m <= l; m++)
		{
			int			i3 = l - m + 1;
			int			i4 = i3 - 1;
			double		val = d[i3 - 1];

			s2 += val * val;
			s1 += val;
			w += 1;
			v = s2 - (s1 * s1) / w;
			if (i4 != 0)
				for (j = 2; j <= k; j++)
					if (COST(l, j) >= v + COST(i4, j - 1))
					{
						FIRST(l, j) = i3;
						COST(l, j) = v + COST(i4, j - 1);
					}
		}
		FIRST(l, 1) = 1;
		COST(l, 1) = v;
	}
	/* walk back: upper[j] is the last value (1-based) of class j */
	upper[k] = n;
	last = n;
	for (j = k; j >= 2; j--)
	{
		int			id = FIRST(last, j) - 1;

		if (id < 1)				/* cannot happen for n >= k; keep indices valid */
			id = 1;
		upper[j - 1] = id;
		last = id;
	}
	brks[0] = d[0];
	for (j = 1; j <= k; j++)
		brks[j] = d[upper[j] - 1];
#undef FIRST
#undef COST
	cb_free(first);
	cb_free(cost);
	cb_free(upper);
}

/* R quantile(type = 7) at probs seq(0, 1, 1/k): (1 - h) x[lo] + h x[hi]. */
void
cb_quantile_breaks(const double *sorted, int n, int k, double *brks)
{
	double		step = 1.0 / k;
	int			j;

	for (j = 0; j <= k; j++)
	{
		double		index = 1 + (double) (n - 1) * (j * step);
		double		lo = floor(index);
		double		hi = ceil(index);
		double		qs = sorted[(int) lo - 1];

		if (index > lo && sorted[(int) hi - 1] != qs)
		{
			double		h = index - lo;

			qs = (1 - h) * qs + h * sorted[(int) hi - 1];
		}
		brks[j] = qs;
	}
}

/* R seq(min, max, length.out = k + 1): exact end points, from + i * (range / k) between. */
void
cb_equal_breaks(const double *sorted, int n, int k, double *brks)
{
	double		from = sorted[0],
				to = sorted[n - 1];
	int			j;

	brks[0] = from;
	for (j = 1; j < k; j++)
		brks[j] = isfinite(to - from) ? from + j * ((to - from) / k)
			: from + j * (to / k - from / k);	/* a range beyond the float8 limit */
	brks[k] = to;
}

int
cb_class_of(double x, const double *brks, int k)
{
	int			below = 0,
				j;

	for (j = 0; j <= k; j++)
		if (x > brks[j])
			below++;
	return below < 1 ? 1 : below;
}

int
cb_zscore_columns(double *x, int n, int p)
{
	int			c,
				i;

	for (c = 0; c < p; c++)
	{
		double		mean = 0,
					ss = 0,
					sd,
					big = 0,
					unit;

		/*
		 * z-scores do not depend on the column's scale: a power-of-two unit
		 * (exact) keeps the sum of squares finite for values near 1e308
		 */
		for (i = 0; i < n; i++)
			big = fmax(big, fabs(x[(size_t) i * p + c]));
		unit = big > 0 ? ldexp(1.0, ilogb(big)) : 1.0;
		for (i = 0; i < n; i++)
			x[(size_t) i * p + c] /= unit;
		for (i = 0; i < n; i++)
			mean += x[(size_t) i * p + c];
		mean /= n;
		for (i = 0; i < n; i++)
		{
			double		dv = x[(size_t) i * p + c] - mean;

			ss += dv * dv;
		}
		sd = sqrt(ss / (n - 1));
		if (!(sd > 0))
			return c;
		for (i = 0; i < n; i++)
			x[(size_t) i * p + c] = (x[(size_t) i * p + c] - mean) / sd;
	}
	return -1;
}

/* Offset of pair (i, j), i < j, 0-based, in the packed upper triangle. */
static inline size_t
pair_index(int n, int i, int j)
{
	return (size_t) i * n - ((size_t) i * (i + 1)) / 2 + (size_t) (j - i - 1);
}

static inline double
pair_get(const double *diss, int n, int a, int b)
{
	return a < b ? diss[pair_index(n, a, b)] : diss[pair_index(n, b, a)];
}

/* Nearest active j > i of row i (strictly smaller wins, so the first of equals). */
static void
nearest_after(const double *diss, const bool *active, int n, int i, int *nn, double *disnn)
{
	double		dmin = INFINITY;
	int			jm = i,
				j;

	for (j = i + 1; j < n; j++)
		if (active[j] && diss[pair_index(n, i, j)] < dmin)
		{
			dmin = diss[pair_index(n, i, j)];
			jm = j;
		}
	nn[i] = jm;
	disnn[i] = dmin;
}

static int
uf_find(int *parent, int i)
{
	while (parent[i] != i)
	{
		parent[i] = parent[parent[i]];
		i = parent[i];
	}
	return i;
}

/*
 * The agglomeration loop of R's hclust.f: a list of nearest neighbours
 * (each row looks only to higher indices), the closest pair merged into
 * the lower index, Lance-Williams updates.  Ward works on squared
 * distances ("ward.D2").  Both linkages are reducible, so a row's nearest
 * neighbour only needs recomputing when it pointed at a merged cluster.
 */
void
cb_hclust(const double *x, int n, int p, CbLinkage linkage, int k, int *labels)
{
	size_t		npairs = (size_t) n * (n - 1) / 2;
	/* every pair is written by the distance loop before any is read */
	double	   *diss = cb_alloc_uninit(sizeof(double) * (npairs > 0 ? npairs : 1));
	double	   *disnn = cb_alloc(sizeof(double) * n);
	double	   *size = cb_alloc(sizeof(double) * n);
	int		   *nn = cb_alloc(sizeof(int) * n);
	bool	   *active = cb_alloc(sizeof(bool) * n);
	int		   *merge_a = cb_alloc(sizeof(int) * n);
	int		   *merge_b = cb_alloc(sizeof(int) * n);
	int		   *parent = cb_alloc(sizeof(int) * n);
	int		   *label_of_root = cb_alloc(sizeof(int) * n);
	int			i,
				j,
				c,
				step,
				next_label;

	for (i = 0; i < n; i++)
	{
		/* distances are O(n^2 p): check for a cancel per row */
		cb_check_interrupts();
		cb_progress("distances", i, n);
		for (j = i + 1; j < n; j++)
		{
			double		ss = 0;

			for (c = 0; c < p; c++)
			{
				double		dv = x[(size_t) i * p + c] - x[(size_t) j * p + c];

				ss += dv * dv;
			}
			/* R computes the Euclidean distance, and ward.D2 squares it again */
			diss[pair_index(n, i, j)] = linkage == CB_LINK_WARD ? sqrt(ss) * sqrt(ss) : sqrt(ss);
		}
		active[i] = true;
		size[i] = 1;
	}
	for (i = 0; i < n - 1; i++)
	{
		cb_check_interrupts();	/* O(n) each */
		nearest_after(diss, active, n, i, nn, disnn);
	}

	for (step = 0; step < n - 1; step++)
	{
		double		dmin = INFINITY;
		int			im = 0,
					jm = 0,
					i2,
					j2,
					jj = 0;

		/* each step is O(n): check per merge */
		cb_check_interrupts();
		cb_progress("merges", step, n - 1);
		for (i = 0; i < n - 1; i++)
			if (active[i] && disnn[i] < dmin)
			{
				dmin = disnn[i];
				im = i;
				jm = nn[i];
			}
		i2 = im < jm ? im : jm;
		j2 = im < jm ? jm : im;
		merge_a[step] = i2;
		merge_b[step] = j2;
		active[j2] = false;

		dmin = INFINITY;
		for (c = 0; c < n; c++)
		{
			double		d_i2,
						d_j2,
						d_new;
			double		xx = diss[pair_index(n, i2, j2)];

			if (!active[c] || c == i2)
				continue;
			d_i2 = pair_get(diss, n, i2, c);
			d_j2 = pair_get(diss, n, j2, c);
			if (linkage == CB_LINK_WARD)
				d_new = ((size[i2] + size[c]) * d_i2 + (size[j2] + size[c]) * d_j2 - size[c] * xx)
					/ (size[i2] + size[j2] + size[c]);
			else
				d_new = (size[i2] * d_i2 + size[j2] * d_j2) / (size[i2] + size[j2]);
			if (i2 < c)
				diss[pair_index(n, i2, c)] = d_new;
			else
				diss[pair_index(n, c, i2)] = d_new;
			if (i2 < c && d_new < dmin)
			{
				dmin = d_new;
				jj = c;
			}
		}
		size[i2] += size[j2];
		disnn[i2] = dmin;
		nn[i2] = jj;
		for (i = 0; i < n - 1; i++)
			if (active[i] && (nn[i] == i2 || nn[i] == j2))
			{
				cb_check_interrupts();	/* O(n) each, possibly for many rows */
				nearest_after(diss, active, n, i, nn, disnn);
			}
	}

	/* cutree: the first n - k merges (heights ascend for these linkages) */
	for (i = 0; i < n; i++)
	{
		parent[i] = i;
		label_of_root[i] = 0;
	}
	for (step = 0; step < n - k; step++)
	{
		int			ra = uf_find(parent, merge_a[step]);
		int			rb = uf_find(parent, merge_b[step]);

		if (ra != rb)
			parent[rb] = ra;
	}
	next_label = 0;
	for (i = 0; i < n; i++)
	{
		int			r = uf_find(parent, i);

		if (label_of_root[r] == 0)
			label_of_root[r] = ++next_label;
		labels[i] = label_of_root[r];
	}
	cb_free(diss);
	cb_free(disnn);
	cb_free(size);
	cb_free(nn);
	cb_free(active);
	cb_free(merge_a);
	cb_free(merge_b);
	cb_free(parent);
	cb_free(label_of_root);
}
