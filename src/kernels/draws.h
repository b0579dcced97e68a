/*
 * kernels/draws.h
 *    Conditional permutation draws (a unit held, its k neighbours' values
 *    drawn without replacement from the other n - 1 units), shared by every
 *    local statistic.  Header-only and static inline, so that each
 *    statistic's loop is compiled with its statistic of a draw inlined
 *    rather than called through a pointer once per draw.
 *
 * Each unit draws from its own random stream (seed, key), so its counts
 * depend on neither the order units are visited in nor the node that
 * evaluates them.  Include only from src/kernels/.
 */
#ifndef CB_KERNELS_DRAWS_H
#define CB_KERNELS_DRAWS_H

#include "kernels.h"

#include <math.h>

/*
 * The pool of a draw is 0..n-1 with `self` swapped to the last place; only
 * the positions a partial Fisher-Yates shuffle touched differ from that, and
 * they are kept in a small hash table, so a draw needs O(k) memory and no
 * state carried from one unit or permutation to the next.
 */
static inline int32_t *
pool_slot(CbDrawScratch *d, int32_t pos)
{
	uint32_t	h = ((uint32_t) pos * 0x9E3779B1u) & (uint32_t) (d->cap - 1);

	while (d->slot_key[h] != -1 && d->slot_key[h] != pos)
		h = (h + 1) & (uint32_t) (d->cap - 1);
	return &d->slot_key[h];
}

static inline int32_t
pool_get(CbDrawScratch *d, int32_t n, int32_t self, int32_t pos)
{
	int32_t    *key = pool_slot(d, pos);

	if (*key == pos)
		return d->slot_val[key - d->slot_key];
	return pos == self ? n - 1 : (pos == n - 1 ? self : pos);
}

static inline void
pool_set(CbDrawScratch *d, int32_t pos, int32_t value)
{
	int32_t    *key = pool_slot(d, pos);

	if (*key != pos)
	{
		*key = pos;
		d->used[d->nused++] = (int32_t) (key - d->slot_key);
	}
	d->slot_val[key - d->slot_key] = value;
}

/*
 * Draws k distinct indices from {0..n-1} \ {self} into d->draw.  Small k:
 * rejection with a linear duplicate check (k is a handful for contiguity and
 * knn).  Large k: partial Fisher-Yates over the virtual pool.
 */
static inline void
draw_neighbours(CbRng *rng, int32_t n, int32_t self, int32_t k, CbDrawScratch *d)
{
	int32_t    *out = d->draw;

	if (k <= 32 && 4 * k <= n)
	{
		for (int32_t t = 0; t < k; t++)
		{
			int32_t		cand;
			bool		dup;

			do
			{
				cand = (int32_t) cb_rng_below(rng, (uint32_t) (n - 1));
				cand += (cand >= self);
				dup = false;
				for (int32_t u = 0; u < t; u++)
					if (out[u] == cand)
					{
						dup = true;
						break;
					}
			} while (dup);
			out[t] = cand;
		}
		return;
	}
	for (int32_t t = 0; t < k; t++)
	{
		int32_t		j = t + (int32_t) cb_rng_below(rng, (uint32_t) (n - 1 - t));
		int32_t		a = pool_get(d, n, self, t);
		int32_t		b = pool_get(d, n, self, j);

		pool_set(d, t, b);
		pool_set(d, j, a);
		out[t] = b;
	}
	for (int32_t u = 0; u < d->nused; u++)
		d->slot_key[d->used[u]] = -1;
	d->nused = 0;
}

/*
 * A unit's statistic for one draw: w[0..k) its weights row, draw[0..k) the
 * units drawn for its neighbours, ctx the statistic's data.
 */
typedef double (*CbDrawStat) (const double *w, int32_t k, const int32_t *draw, const void *ctx);

/* Counts of unit self's draws at least (ge) and at most (le) the observed statistic; zero for islands. */
static inline void
cb_conditional_draws(const double *w, int32_t k, int32_t self, int32_t n, double observed, int64_t permutations,
					 uint64_t seed, uint64_t key, CbDrawStat stat, const void *ctx, CbDrawScratch *d,
					 CbDrawCounts *counts)
{
	CbRng		rng;
	int64_t		ge = 0,
				le = 0;
	/* about a million draws between checks for cancel, however many neighbours */
	int64_t		check_every = k < (1 << 20) ? (1 << 20) / k : 1;
	int64_t		until_check = check_every;

	counts->ge = 0;
	counts->le = 0;
	if (k == 0)
		return;
	cb_rng_seed(&rng, seed, key);
	for (int64_t r = 0; r < permutations; r++)
	{
		double		sim;

		draw_neighbours(&rng, n, self, k, d);
		sim = stat(w, k, d->draw, ctx);
		ge += (sim >= observed);
		le += (sim <= observed);
		if (--until_check == 0)
		{
			cb_check_interrupts();
			until_check = check_every;
		}
	}
	counts->ge = ge;
	counts->le = le;
}

/*
 * Every unit's counts, unit i drawing from stream keys[i]; unit(ctx, i)
 * readies ctx for unit i and returns its observed statistic, or NaN for a
 * unit that is not tested (no draws, zero counts).
 */
static inline void
cb_conditional_draws_units(const CbCsr *w, int64_t permutations, uint64_t seed, const uint64_t *keys,
						   CbDrawStat stat, double (*unit) (void *ctx, int32_t i), void *ctx,
						   CbDrawCounts *counts)
{
	int32_t		n = w->n;
	int32_t		kmax = 0;
	int64_t		work = 0;
	CbDrawScratch d;

	for (int32_t i = 0; i < n; i++)
	{
		int32_t		k = (int32_t) (w->start[i + 1] - w->start[i]);

		kmax = k > kmax ? k : kmax;
	}
	cb_draw_scratch_init(&d, kmax);
	for (int32_t i = 0; i < n; i++)
	{
		int64_t		a = w->start[i];
		int32_t		k = (int32_t) (w->start[i + 1] - a);
		double		observed = unit(ctx, i);

		if (isnan(observed))
		{
			counts[i].ge = counts[i].le = 0;
			continue;
		}
		cb_conditional_draws(w->w + a, k, i, n, observed, permutations, seed, keys[i], stat, ctx, &d, &counts[i]);
		/* check for cancel about every million draws */
		work += (int64_t) k * permutations;
		if (work > 1000000)
		{
			cb_check_interrupts();
			cb_progress("permutations", i + 1, n);
			work = 0;
		}
	}
	cb_draw_scratch_free(&d);
}

/*
 * Every unit's conditional permutation pseudo p-value (cb_pseudo_p), as
 * cb_conditional_draws_units; NaN for islands and for units not tested.
 */
static inline void
cb_conditional_p_sim_units(const CbCsr *w, int64_t permutations, uint64_t seed, const uint64_t *keys,
						   CbDrawStat stat, double (*unit) (void *ctx, int32_t i), void *ctx, double *p_sim)
{
	CbDrawCounts *counts = cb_alloc(sizeof(CbDrawCounts) * (size_t) (w->n > 0 ? w->n : 1));

	cb_conditional_draws_units(w, permutations, seed, keys, stat, unit, ctx, counts);
	/* every draw counts as at least or at most the observed value: no counts, no draws */
	for (int32_t i = 0; i < w->n; i++)
		p_sim[i] = counts[i].ge + counts[i].le == 0 ? NAN : cb_pseudo_p(counts[i].ge, permutations);
	cb_free(counts);
}

#endif							/* CB_KERNELS_DRAWS_H */
