/*
 * kdtree.c
 *    Implicit k-d tree over points: the tree is the permutation array
 *    itself, node [lo, hi) has its pivot at mid = (lo + hi) / 2 and children
 *    [lo, mid) and [mid + 1, hi).  Used for k-nearest-neighbour and distance
 *    band weights in 2-D (planar) or 3-D (unit vectors on the sphere).
 */
#include "kernels.h"

#include <float.h>

struct CbKdTree
{
	int32_t		n;
	int			dim;
	const double *pts;			/* n * dim coordinates, caller-owned */
	int32_t    *perm;			/* point index at each tree position */
	uint8_t    *split;			/* split dimension of the node pivoted here */
};

static inline double
coord(const CbKdTree *t, int32_t pos, int d)
{
	return t->pts[(size_t) t->perm[pos] * t->dim + d];
}

static inline void
swap_pos(CbKdTree *t, int32_t a, int32_t b)
{
	int32_t		tmp = t->perm[a];

	t->perm[a] = t->perm[b];
	t->perm[b] = tmp;
}

/*
 * Quickselect with a three-way partition: put the k-th smallest (by
 * dimension d) of [lo, hi) at k.  Runs of equal coordinates (grids,
 * duplicated points) finish in one pass instead of degrading to n^2.
 */
static void
select_kth(CbKdTree *t, int32_t lo, int32_t hi, int32_t k, int d)
{
	while (hi - lo > 1)
	{
		int32_t		mid = lo + (hi - lo) / 2;
		double		pivot;
		int32_t		lt = lo,
					i = lo,
					gt = hi;

		/* median of three as pivot */
		if (coord(t, mid, d) < coord(t, lo, d))
			swap_pos(t, mid, lo);
		if (coord(t, hi - 1, d) < coord(t, lo, d))
			swap_pos(t, hi - 1, lo);
		if (coord(t, hi - 1, d) < coord(t, mid, d))
			swap_pos(t, hi - 1, mid);
		pivot = coord(t, mid, d);
		/* [lo, lt) < pivot, [lt, i) == pivot, [gt, hi) > pivot */
		while (i < gt)
		{
			double		v = coord(t, i, d);

			if (v < pivot)
				swap_pos(t, lt++, i++);
			else if (v > pivot)
				swap_pos(t, i, --gt);
			else
				i++;
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return;
	}
}

static void
build(CbKdTree *t, int32_t lo, int32_t hi, int depth)
{
	while (hi - lo > 1)
	{
		int32_t		mid = lo + (hi - lo) / 2;
		int			best = 0;
		double		best_extent = -1.0;

		/* split on the widest dimension of this node */
		for (int d = 0; d < t->dim; d++)
		{
			double		lo_v = DBL_MAX,
						hi_v = -DBL_MAX;

			for (int32_t i = lo; i < hi; i++)
			{
				double		v = coord(t, i, d);

				lo_v = v < lo_v ? v : lo_v;
				hi_v = v > hi_v ? v : hi_v;
			}
			if (hi_v - lo_v > best_extent)
			{
				best_extent = hi_v - lo_v;
				best = d;
			}
		}
		select_kth(t, lo, hi, mid, best);
		t->split[mid] = (uint8_t) best;
		if ((depth & 7) == 0)
			cb_check_interrupts();
		build(t, lo, mid, depth + 1);
		lo = mid + 1;			/* iterate on the right half */
		depth++;
	}
}

CbKdTree *
cb_kdtree_build(int32_t n, int dim, const double *pts)
{
	CbKdTree   *t = cb_alloc(sizeof(CbKdTree));

	t->n = n;
	t->dim = dim;
	t->pts = pts;
	t->perm = cb_alloc(sizeof(int32_t) * (size_t) (n > 0 ? n : 1));
	t->split = cb_alloc((size_t) (n > 0 ? n : 1));
	for (int32_t i = 0; i < n; i++)
		t->perm[i] = i;
	build(t, 0, n, 0);
	return t;
}

static inline double
dist2(const CbKdTree *t, int32_t idx, const double *q)
{
	double		s = 0.0;

	for (int d = 0; d < t->dim; d++)
	{
		double		diff = t->pts[(size_t) idx * t->dim + d] - q[d];

		s += diff * diff;
	}
	return s;
}

/* Bounded max-heap of the k best candidates so far. */
typedef struct KnnHeap
{
	int			k;
	int			len;
	int32_t    *idx;
	double	   *d2;
} KnnHeap;

static void
heap_offer(KnnHeap *h, int32_t idx, double d2)
{
	int			i;

	if (h->len < h->k)
		i = h->len++;
	else if (d2 < h->d2[0])
	{
		/* replace the root, sift down */
		int			p = 0;

		for (;;)
		{
			int			c = 2 * p + 1;

			if (c >= h->len)
				break;
			if (c + 1 < h->len && h->d2[c + 1] > h->d2[c])
				c++;
			if (h->d2[c] <= d2)
				break;
			h->idx[p] = h->idx[c];
			h->d2[p] = h->d2[c];
			p = c;
		}
		h->idx[p] = idx;
		h->d2[p] = d2;
		return;
	}
	else
		return;
	/* sift up the new element */
	while (i > 0)
	{
		int			p = (i - 1) / 2;

		if (h->d2[p] >= d2)
			break;
		h->idx[i] = h->idx[p];
		h->d2[i] = h->d2[p];
		i = p;
	}
	h->idx[i] = idx;
	h->d2[i] = d2;
}

static void
knn_search(const CbKdTree *t, int32_t lo, int32_t hi, const double *q, int32_t self, KnnHeap *h)
{
	while (hi > lo)
	{
		int32_t		mid = lo + (hi - lo) / 2;
		int32_t		idx = t->perm[mid];
		int			d = t->split[mid];
		double		diff = q[d] - coord(t, mid, d);

		if (idx != self)
			heap_offer(h, idx, dist2(t, idx, q));
		if (hi - lo == 1)
			return;
		/* nearer side first, the other only if it can still hold a candidate */
		if (diff < 0)
		{
			knn_search(t, lo, mid, q, self, h);
			if (h->len == h->k && diff * diff > h->d2[0])
				return;
			lo = mid + 1;
		}
		else
		{
			knn_search(t, mid + 1, hi, q, self, h);
			if (h->len == h->k && diff * diff > h->d2[0])
				return;
			hi = mid;
		}
	}
}

int
cb_kdtree_knn(const CbKdTree *t, const double *q, int k, int32_t self,
			  int32_t *idx, double *d2)
{
	KnnHeap		h = {k, 0, idx, d2};

	knn_search(t, 0, t->n, q, self, &h);
	/* heap to ascending order: repeatedly move the max to the end */
	for (int end = h.len - 1; end > 0; end--)
	{
		int32_t		ti = idx[0];
		double		td = d2[0];
		int			p = 0;

		idx[0] = idx[end];
		d2[0] = d2[end];
		idx[end] = ti;
		d2[end] = td;
		for (;;)
		{
			int			c = 2 * p + 1;

			if (c >= end)
				break;
			if (c + 1 < end && d2[c + 1] > d2[c])
				c++;
			if (d2[c] <= d2[p])
				break;
			ti = idx[p];
			td = d2[p];
			idx[p] = idx[c];
			d2[p] = d2[c];
			idx[c] = ti;
			d2[c] = td;
			p = c;
		}
	}
	return h.len;
}

typedef struct RadiusOut
{
	int32_t   **idx;
	int64_t    *cap;
	int64_t		len;
} RadiusOut;

static void
radius_push(RadiusOut *o, int32_t idx)
{
	if (o->len == *o->cap)
	{
		int64_t		cap = *o->cap ? *o->cap * 2 : 64;
		int32_t    *v = cb_alloc(sizeof(int32_t) * (size_t) cap);

		for (int64_t i = 0; i < o->len; i++)
			v[i] = (*o->idx)[i];
		if (*o->idx)
			cb_free(*o->idx);
		*o->idx = v;
		*o->cap = cap;
	}
	(*o->idx)[o->len++] = idx;
}

static void
radius_search(const CbKdTree *t, int32_t lo, int32_t hi, const double *q, double r2,
			  int32_t self, RadiusOut *o)
{
	while (hi > lo)
	{
		int32_t		mid = lo + (hi - lo) / 2;
		int32_t		idx = t->perm[mid];
		int			d = t->split[mid];
		double		diff = q[d] - coord(t, mid, d);

		if (idx != self && dist2(t, idx, q) <= r2)
			radius_push(o, idx);
		if (hi - lo == 1)
			return;
		if (diff * diff <= r2 || diff < 0)
			radius_search(t, lo, mid, q, r2, self, o);
		if (diff * diff <= r2 || diff >= 0)
			lo = mid + 1;
		else
			return;
	}
}

int64_t
cb_kdtree_radius(const CbKdTree *t, const double *q, double r2, int32_t self,
				 int32_t **idx, int64_t *cap)
{
	RadiusOut	o = {idx, cap, 0};

	radius_search(t, 0, t->n, q, r2, self, &o);
	return o.len;
}
