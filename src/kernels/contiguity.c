/*
 * contiguity.c
 *    Queen and rook contiguity by shared boundary vertices, with the
 *    semantics of R spdep poly2nb: two polygons are neighbours when at least
 *    one (queen) or two (rook) pairs of their vertices lie within `snap`.
 *
 * Vertices are hashed into a grid of square cells at least 2 * snap wide.
 * Two vertices within snap of each other lie in the same or in adjacent
 * cells even after the rounding of x / cell, so each cell is compared with
 * itself and four "forward" neighbours: every candidate pair is examined
 * once and the cost grows with the number of vertices, not with n^2.  The
 * cell also grows with the magnitude of the coordinates, keeping x / cell
 * below 1e14 where its rounding error is far below one cell.
 */
#include "kernels.h"

#include <math.h>
#include <string.h>

typedef struct GridCell
{
	int64_t		cx;
	int64_t		cy;
	int32_t		head;			/* first vertex in the cell, -1 if slot empty */
} GridCell;

typedef struct Grid
{
	GridCell   *cells;
	uint64_t	mask;			/* table size - 1 (power of two) */
	int32_t    *next;			/* per vertex: next vertex in the same cell */
} Grid;

static inline uint64_t
cell_hash(int64_t cx, int64_t cy)
{
	uint64_t	h = (uint64_t) cx * 0x9E3779B97F4A7C15ULL ^ (uint64_t) cy * 0xC2B2AE3D27D4EB4FULL;

	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 32;
	return h;
}

static GridCell *
grid_find(const Grid *g, int64_t cx, int64_t cy)
{
	uint64_t	slot = cell_hash(cx, cy) & g->mask;

	for (;;)
	{
		GridCell   *c = &g->cells[slot];

		if (c->head < 0)
			return NULL;
		if (c->cx == cx && c->cy == cy)
			return c;
		slot = (slot + 1) & g->mask;
	}
}

static GridCell *
grid_insert(Grid *g, int64_t cx, int64_t cy)
{
	uint64_t	slot = cell_hash(cx, cy) & g->mask;

	for (;;)
	{
		GridCell   *c = &g->cells[slot];

		if (c->head < 0)
		{
			c->cx = cx;
			c->cy = cy;
			return c;
		}
		if (c->cx == cx && c->cy == cy)
			return c;
		slot = (slot + 1) & g->mask;
	}
}

/* Cell coordinates of a vertex; with cell == 0 the exact coordinate bits. */
static inline void
cell_of(double x, double y, double cell, int64_t *cx, int64_t *cy)
{
	if (cell > 0.0)
	{
		*cx = (int64_t) floor(x / cell);
		*cy = (int64_t) floor(y / cell);
	}
	else
	{
		/* +0.0 and -0.0 are the same point */
		double		ux = x + 0.0;
		double		uy = y + 0.0;

		memcpy(cx, &ux, sizeof(double));
		memcpy(cy, &uy, sizeof(double));
	}
}

/* Growable array of unit pairs packed as (low << 32 | high). */
typedef struct PairList
{
	uint64_t   *v;
	int64_t		len;
	int64_t		cap;
} PairList;

static void
pairs_push(PairList *p, int32_t a, int32_t b)
{
	if (p->len == p->cap)
	{
		int64_t		cap = p->cap ? p->cap * 2 : 1024;
		uint64_t   *v = cb_alloc(sizeof(uint64_t) * (size_t) cap);

		if (p->len)
			memcpy(v, p->v, sizeof(uint64_t) * (size_t) p->len);
		if (p->v)
			cb_free(p->v);
		p->v = v;
		p->cap = cap;
	}
	if (a > b)
	{
		int32_t		t = a;

		a = b;
		b = t;
	}
	p->v[p->len++] = ((uint64_t) (uint32_t) a << 32) | (uint32_t) b;
}

/* LSD radix sort, 16 bits per pass. */
static void
radix_sort_u64(uint64_t *v, int64_t n)
{
	uint64_t   *tmp = cb_alloc(sizeof(uint64_t) * (size_t) (n > 0 ? n : 1));
	int64_t    *count = cb_alloc(sizeof(int64_t) * 65536);

	for (int shift = 0; shift < 64; shift += 16)
	{
		int64_t		sum = 0;

		memset(count, 0, sizeof(int64_t) * 65536);
		for (int64_t i = 0; i < n; i++)
			count[(v[i] >> shift) & 0xFFFF]++;
		for (int d = 0; d < 65536; d++)
		{
			int64_t		c = count[d];

			count[d] = sum;
			sum += c;
		}
		for (int64_t i = 0; i < n; i++)
			tmp[count[(v[i] >> shift) & 0xFFFF]++] = v[i];
		memcpy(v, tmp, sizeof(uint64_t) * (size_t) n);
	}
	cb_free(tmp);
	cb_free(count);
}

/* Emits one pair per vertex pair (p in a, q in b) of different units within snap. */
static void
compare_cells(const Grid *g, const GridCell *a, const GridCell *b, const int32_t *unit_of,
			  const double *vx, const double *vy, double snap, PairList *out)
{
	for (int32_t p = a->head; p >= 0; p = g->next[p])
	{
		int32_t		q = (a == b) ? g->next[p] : b->head;

		for (; q >= 0; q = g->next[q])
		{
			double		dx,
						dy;

			if (unit_of[p] == unit_of[q])
				continue;
			dx = vx[p] - vx[q];
			if (fabs(dx) > snap)
				continue;
			dy = vy[p] - vy[q];
			if (fabs(dy) > snap)
				continue;
			if (hypot(dx, dy) <= snap)
				pairs_push(out, unit_of[p], unit_of[q]);
		}
	}
}

CbCsr *
cb_contiguity(int32_t n, const int64_t *vstart, const double *vx,
			  const double *vy, double snap, int min_shared)
{
	int64_t		nv = vstart[n];
	Grid		g;
	int32_t    *unit_of;
	uint64_t	size = 16;
	PairList	pairs = {0};
	int32_t    *row,
			   *col;
	int64_t		nlinks = 0;
	static const int offsets[4][2] = {{1, -1}, {1, 0}, {1, 1}, {0, 1}};
	double		maxabs = 0.0;
	double		cell = 0.0;
	CbCsr	   *csr;

	while (size < (uint64_t) nv * 2)
		size <<= 1;
	g.mask = size - 1;
	g.cells = cb_alloc(sizeof(GridCell) * size);
	for (uint64_t s = 0; s < size; s++)
		g.cells[s].head = -1;
	g.next = cb_alloc(sizeof(int32_t) * (size_t) (nv > 0 ? nv : 1));
	unit_of = cb_alloc(sizeof(int32_t) * (size_t) (nv > 0 ? nv : 1));

	for (int32_t u = 0; u < n; u++)
		for (int64_t v = vstart[u]; v < vstart[u + 1]; v++)
		{
			unit_of[v] = u;
			maxabs = fmax(maxabs, fmax(fabs(vx[v]), fabs(vy[v])));
		}
	if (snap > 0.0)
		cell = fmax(2.0 * snap, maxabs * 1e-14);

	/* Insert vertices in reverse so each cell lists them in input order. */
	for (int64_t v = nv - 1; v >= 0; v--)
	{
		int64_t		cx,
					cy;
		GridCell   *c;

		cell_of(vx[v], vy[v], cell, &cx, &cy);
		c = grid_insert(&g, cx, cy);
		g.next[v] = c->head;	/* -1 for a new cell */
		c->head = (int32_t) v;
	}

	for (uint64_t s = 0; s < size; s++)
	{
		const GridCell *c = &g.cells[s];

		if (c->head < 0)
			continue;
		/* Long for 10^6 vertices: let a cancel through. */
		if ((s & 65535) == 0)
		{
			cb_check_interrupts();
			cb_progress("shared vertices", (int64_t) s, (int64_t) size);
		}
		compare_cells(&g, c, c, unit_of, vx, vy, snap, &pairs);
		if (cell > 0.0)
			for (int o = 0; o < 4; o++)
			{
				const GridCell *d = grid_find(&g, c->cx + offsets[o][0], c->cy + offsets[o][1]);

				if (d)
					compare_cells(&g, c, d, unit_of, vx, vy, snap, &pairs);
			}
	}

	/* A unit pair is linked when it collected at least min_shared vertex pairs. */
	radix_sort_u64(pairs.v, pairs.len);
	row = cb_alloc(sizeof(int32_t) * (size_t) (2 * pairs.len + 1));
	col = cb_alloc(sizeof(int32_t) * (size_t) (2 * pairs.len + 1));
	for (int64_t i = 0; i < pairs.len;)
	{
		int64_t		j = i;

		while (j < pairs.len && pairs.v[j] == pairs.v[i])
			j++;
		if (j - i >= min_shared)
		{
			int32_t		a = (int32_t) (pairs.v[i] >> 32);
			int32_t		b = (int32_t) (pairs.v[i] & 0xFFFFFFFFu);

			row[nlinks] = a;
			col[nlinks++] = b;
			row[nlinks] = b;
			col[nlinks++] = a;
		}
		i = j;
	}
	csr = cb_csr_from_pairs(n, nlinks, row, col, NULL);

	cb_free(g.cells);
	cb_free(g.next);
	cb_free(unit_of);
	if (pairs.v)
		cb_free(pairs.v);
	cb_free(row);
	cb_free(col);
	return csr;
}
