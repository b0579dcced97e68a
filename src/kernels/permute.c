/*
 * kernels/permute.c
 *    Permutation inference shared by the spatial statistics: the scratch of
 *    conditional draws (the draws themselves are in draws.h, inlined into
 *    each statistic's loop) and global permutations, in which every value
 *    moves and the statistic is a callback on the permuted values.
 *
 * A global permutation r is the keyed Feistel bijection
 * cb_feistel_init(n, seed, r): it depends neither on the order units are
 * visited in nor on the node that evaluates it.
 */
#include "kernels.h"

void
cb_draw_scratch_init(CbDrawScratch *d, int32_t kmax)
{
	int32_t		cap = 16;

	while (cap < 4 * kmax)
		cap *= 2;
	d->cap = cap;
	d->draw = cb_alloc(sizeof(int32_t) * (size_t) (kmax > 0 ? kmax : 1));
	d->slot_key = cb_alloc(sizeof(int32_t) * (size_t) cap);
	d->slot_val = cb_alloc(sizeof(int32_t) * (size_t) cap);
	d->used = cb_alloc(sizeof(int32_t) * (size_t) cap);
	d->nused = 0;
	for (int32_t i = 0; i < cap; i++)
		d->slot_key[i] = -1;
}

void
cb_draw_scratch_free(CbDrawScratch *d)
{
	cb_free(d->draw);
	cb_free(d->slot_key);
	cb_free(d->slot_val);
	cb_free(d->used);
}

void
cb_global_perm(const CbCsr *w, const double *values, int64_t permutations, uint64_t seed, int nstats,
			   const double *observed, CbGlobalStat stat, const void *ctx, int64_t *count_ge,
			   double *sim_sum, double *sim_sumsq)
{
	int32_t		n = w->n;
	double	   *permuted = cb_alloc(sizeof(double) * (size_t) (n > 0 ? n : 1));
	double		sim[CB_PERM_MAX_STATS];

	for (int s = 0; s < nstats; s++)
	{
		count_ge[s] = 0;
		if (sim_sum)
			sim_sum[s] = 0.0;
		if (sim_sumsq)
			sim_sumsq[s] = 0.0;
	}
	for (int64_t r = 0; r < permutations; r++)
	{
		CbFeistel	perm;
		uint32_t	index[CB_FEISTEL_BLOCK];

		/* one permutation costs O(n + links): check for cancel each time */
		cb_check_interrupts();
		cb_progress("permutations", r, permutations);
		/* permutation r of the seed, the one a node of a distributed table evaluates at its own units */
		cb_feistel_init(&perm, (uint32_t) n, seed, (uint64_t) r);
		for (int32_t i = 0; i < n; i += CB_FEISTEL_BLOCK)
		{
			int			count = n - i < CB_FEISTEL_BLOCK ? n - i : CB_FEISTEL_BLOCK;

			cb_feistel_apply_block(&perm, (uint32_t) i, count, index);
			for (int t = 0; t < count; t++)
				permuted[i + t] = values[index[t]];
		}
		stat(w, permuted, ctx, sim);
		for (int s = 0; s < nstats; s++)
		{
			count_ge[s] += (sim[s] >= observed[s]);
			if (sim_sum)
				sim_sum[s] += sim[s];
			if (sim_sumsq)
				sim_sumsq[s] += sim[s] * sim[s];
		}
	}
	cb_free(permuted);
}
