/*
 * kernels.h
 *    PostgreSQL-free numeric kernels on plain arrays.
 *
 * Everything declared here works on caller-owned arrays and the tiny
 * allocation and interrupt hooks below, so the maths can be unit-tested
 * without a server.  Inside the extension the hooks map to palloc (huge
 * allocations allowed, freed with the current memory context) and to
 * CHECK_FOR_INTERRUPTS().
 */
#ifndef CB_KERNELS_H
#define CB_KERNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- hooks provided by the host (module.c inside PostgreSQL) ---- */

/* Zeroed allocation that never returns NULL (the host raises on failure). */
extern void *cb_alloc(size_t size);
/*
 * The same without zeroing, for large arrays the kernel writes in full
 * before reading: zeroing a gigabyte takes seconds on a busy machine, with
 * no interrupt check inside, while first touches spread over the kernel's
 * own loop, which checks.
 */
extern void *cb_alloc_uninit(size_t size);
extern void cb_free(void *ptr);
/* Called from long loops so a cancel or statement_timeout stops them. */
extern void cb_check_interrupts(void);
/*
 * Progress of a long loop: done of total units of work in the named phase
 * (a string literal).  The host prints a line at most once a second when
 * carbonbudget.progress is on and returns at once otherwise, so a call per
 * interrupt check costs nothing.  Like cb_check_interrupts, only the
 * calling (backend) thread may call it; total <= 0 means unknown.
 */
extern void cb_progress(const char *phase, int64_t done, int64_t total);
/*
 * Threads a kernel may use for pure arithmetic, its own included
 * (carbonbudget.threads; 1 = no thread beside the caller's).  Results must
 * not depend on it.
 */
extern int	cb_max_threads(void);

/* ---- sparse spatial weights ---- */

/*
 * Compressed sparse rows: unit i's neighbours are col[start[i] .. start[i+1])
 * with weights w[...]; columns ascend within a row.  A unit with an empty
 * row is an island.
 */
typedef struct CbCsr
{
	int32_t		n;			/* number of units */
	int64_t	   *start;		/* n + 1 row offsets */
	int32_t    *col;		/* neighbour index per link */
	double	   *w;			/* weight per link */
} CbCsr;

/* Sums of a weights matrix used by the moments of I and G (Cliff & Ord). */
typedef struct CbWeightSums
{
	double		s0;			/* sum of all weights */
	double		s1;			/* 1/2 sum_ij (w_ij + w_ji)^2 */
	double		s2;			/* sum_i (w_i. + w_.i)^2 */
	int32_t		islands;	/* units without neighbours */
	int64_t		links;		/* non-zero weights */
} CbWeightSums;

extern CbCsr *cb_csr_alloc(int32_t n, int64_t nnz);
/* Builds a CSR from (row, col, weight) triples; duplicates are an error (returns NULL). */
extern CbCsr *cb_csr_from_pairs(int32_t n, int64_t npairs, const int32_t *row,
								const int32_t *col, const double *w);
/* 'W': divide each row by its sum; 'B': keep weights as built (binary or raw). */
extern void cb_csr_standardise(CbCsr *w, char style);
/* Adds unit i to its own neighbourhood with weight 1 (Getis-Ord Gi*). */
extern CbCsr *cb_csr_with_self(const CbCsr *w);
extern void cb_csr_sums(const CbCsr *w, CbWeightSums *sums);
/* lag[i] = sum_j w_ij x_j */
extern void cb_csr_lag(const CbCsr *w, const double *x, double *lag);

/*
 * Polygon contiguity as R spdep poly2nb: units i and j are neighbours when
 * at least min_shared pairs (vertex of i, vertex of j) lie within snap of
 * each other (1 = queen, 2 = rook).  Vertices of unit u are
 * (vx, vy)[vstart[u] .. vstart[u+1]).  Candidate pairs come from a hash
 * grid of cells about 2 * snap wide, so the cost grows with the number of
 * vertices, not with n^2.  Returns NULL if a link is duplicated (a bug).
 */
extern CbCsr *cb_contiguity(int32_t n, const int64_t *vstart, const double *vx,
							const double *vy, double snap, int min_shared);

/* ---- k-d tree over points (2-D planar or 3-D unit sphere) ---- */

typedef struct CbKdTree CbKdTree;

extern CbKdTree *cb_kdtree_build(int32_t n, int dim, const double *pts);
/* Indices of the k nearest points to q (excluding index `self`), nearest first. */
extern int	cb_kdtree_knn(const CbKdTree *t, const double *q, int k, int32_t self,
						  int32_t *idx, double *d2);
/* All points within squared distance r2 of q (excluding `self`); returns count. */
extern int64_t cb_kdtree_radius(const CbKdTree *t, const double *q, double r2,
								int32_t self, int32_t **idx, int64_t *cap);

/* ---- distances ---- */

/* Great-circle distance in metres on the WGS-84 ellipsoid (Andoyer-Lambert, as spdep/sp gcdist). */
extern double cb_gcdist_m(double lon1, double lat1, double lon2, double lat2);

/* ---- random numbers ---- */

/* xoshiro256++ seeded through splitmix64: fast, reproducible on every platform. */
typedef struct CbRng
{
	uint64_t	s[4];
} CbRng;

extern void cb_rng_seed(CbRng *rng, uint64_t seed, uint64_t stream);
extern uint64_t cb_rng_next(CbRng *rng);
/* Uniform integer in [0, bound) without modulo bias (Lemire 2019). */
extern uint32_t cb_rng_below(CbRng *rng, uint32_t bound);
extern double cb_rng_uniform(CbRng *rng);	/* in [0, 1) */

/* ---- order-independent sums and permutations (accum.c) ---- */

/*
 * The exact sum of doubles, kept in fixed point (32 bits of value per int64
 * chunk, carries deferred, a 128-bit window in front for the terms near the
 * first one): partial sums merged in any order give the same value, so a
 * statistic split over nodes or workers gives the single-node result to the
 * last bit.
 */
#define CB_SUM_CHUNKS 70
typedef struct CbExactSum
{
	int64_t		chunk[CB_SUM_CHUNKS];
	uint64_t	window[2];		/* a signed 128-bit integer (low, high) in units of bit `anchor` */
	int32_t		anchor;			/* the window's lowest bit position; 0 before the first term */
	int32_t		pending;		/* adds since the last carry propagation */
	bool		nonfinite;		/* a NaN or infinity was added */
} CbExactSum;

extern void cb_exact_sum_init(CbExactSum *s);
extern void cb_exact_sum_add(CbExactSum *s, double x);
/* terms a loop gathers before handing them to cb_exact_sum_add_many */
#define CB_SUM_BLOCK 64
/* Adds x[0..count): the same value as count calls of cb_exact_sum_add, at a fraction of their cost. */
extern void cb_exact_sum_add_many(CbExactSum *s, const double *x, int64_t count);
extern void cb_exact_sum_merge(CbExactSum *dst, const CbExactSum *src);
/* A deterministic double within an ulp of the exact sum; NaN after a non-finite term. */
extern double cb_exact_sum_value(const CbExactSum *s);
/* Whether a sum read from outside (a transition state) is one the functions above can take. */
extern bool cb_exact_sum_valid(const CbExactSum *s);

/*
 * The index-th random permutation of [0, n) for a seed, evaluated at any
 * point without materialising it: a keyed unbalanced Feistel network on
 * ceil(log2 n) bits (at least 2), halves of floor and ceil size alternating,
 * with cycle walking into [0, n) (fewer than 2 passes per index on
 * average); 4 rounds from 12 bits on, more on narrower domains.  A pure
 * function of (n, seed, index, i).
 */
#define CB_FEISTEL_MAX_ROUNDS 32
typedef struct CbFeistel
{
	uint32_t	n;
	int32_t		bits;			/* width of the network's domain */
	int32_t		low;			/* floor(bits / 2): the top part of even rounds */
	int32_t		rounds;			/* even */
	uint32_t	key[CB_FEISTEL_MAX_ROUNDS];
} CbFeistel;

extern void cb_feistel_init(CbFeistel *f, uint32_t n, uint64_t seed, uint64_t index);
extern uint32_t cb_feistel_apply(const CbFeistel *f, uint32_t i);
/* out[t] = cb_feistel_apply(f, first + t) for t < count <= CB_FEISTEL_BLOCK, the lanes computed together. */
#define CB_FEISTEL_BLOCK 64
extern void cb_feistel_apply_block(const CbFeistel *f, uint32_t first, int count, uint32_t *out);

/* ---- distributions ---- */

/* qsort comparator for doubles, ascending (no NaN expected) */
extern int	cb_cmp_double(const void *a, const void *b);

/*
 * The power of two at or just below max |x[i]| (1 when every x is 0).
 * Dividing by it is exact, so scale-invariant statistics computed on x /
 * unit give the same bits as on x, and their sums of squares stay finite
 * for any finite x.
 */
extern double cb_pow2_unit(int64_t n, const double *x);

extern double cb_norm_sf(double z);		/* P(Z > z) for the standard normal */
extern double cb_norm_p(double z, int alternative);

/* Alternative hypotheses for p-values. */
#define CB_ALT_TWO_SIDED 0
#define CB_ALT_GREATER	 1
#define CB_ALT_LESS		 2

/* Pseudo p-value (M + 1) / (R + 1), M counted in the observed direction (PySAL). */
extern double cb_pseudo_p(int64_t n_greater_equal, int64_t permutations);

/* Benjamini-Hochberg: largest p(k) with p(k) <= k alpha / m, or 0 when none. */
extern double cb_fdr_threshold(const double *p, int32_t m, double alpha);


/*
 * ---- permutation inference (permute.c; the conditional draws of the local
 * statistics are inlined from src/kernels/draws.h) ----
 */

/* Scratch of the conditional permutation draws of units with up to kmax neighbours. */
typedef struct CbDrawScratch
{
	int32_t    *draw;		/* the k indices drawn */
	int32_t    *slot_key;	/* hash table of the pool positions a draw moved */
	int32_t    *slot_val;
	int32_t    *used;
	int32_t		cap;
	int32_t		nused;
} CbDrawScratch;

extern void cb_draw_scratch_init(CbDrawScratch *d, int32_t kmax);
extern void cb_draw_scratch_free(CbDrawScratch *d);

/* How many draws gave a statistic at least (ge) and at most (le) the observed one. */
typedef struct CbDrawCounts
{
	int64_t		ge;
	int64_t		le;
} CbDrawCounts;

/*
 * Statistics of one global permutation: permuted[i] is the value the
 * permutation puts at unit i; stats receives up to CB_PERM_MAX_STATS values.
 */
#define CB_PERM_MAX_STATS 4
typedef void (*CbGlobalStat) (const CbCsr *w, const double *permuted, const void *ctx, double *stats);

/*
 * Random permutations of values over all units, permutation r being
 * cb_feistel_init(n, seed, r), the one a node of a distributed table evaluates
 * for its own units.  count_ge[s]: draws with stats[s] >= observed[s];
 * sim_sum and sim_sumsq (may be NULL): the moments of the draws.
 */
extern void cb_global_perm(const CbCsr *w, const double *values, int64_t permutations, uint64_t seed,
						   int nstats, const double *observed, CbGlobalStat stat, const void *ctx,
						   int64_t *count_ge, double *sim_sum, double *sim_sumsq);

/* ---- spatial autocorrelation (autocorr.c, hotspot.c glue) ---- */

/* Global Moran's I with moments under normality and randomisation (spdep moran.test). */
typedef struct CbMoranGlobal
{
	double		i;
	double		expected;
	double		var_norm;
	double		var_rand;
	int32_t		n_used;		/* units with neighbours: n of I, E(I), Var(I) (adjust.n) */
	CbWeightSums sums;
} CbMoranGlobal;

/* Returns false when the values have zero variance or every unit is an island. */
extern bool cb_moran_global(const CbCsr *w, const double *x, CbMoranGlobal *out);
/*
 * The same from its parts: the weights' sums, n, the cross-product
 * sum_i z_i (W z)_i and the centred sums zz = sum z^2, z4 = sum z^4; false when
 * undefined (zz = 0, fewer than two units with neighbours, S0 = 0).
 */
extern bool cb_moran_from_sums(const CbWeightSums *sums, int32_t n, double cross, double zz, double z4,
							   CbMoranGlobal *out);
/*
 * Random permutations of x over all units; returns how many simulated I are
 * >= the observed one.  Permutation r is cb_feistel_init(n, seed, r), the one
 * a node of a distributed table evaluates for its own units (morans_i_at),
 * and the cross-products are summed exactly, so both give the same counts.
 * sim_sum/sim_sumsq receive the moments of the draws.
 */
extern int64_t cb_moran_global_perm(const CbCsr *w, const double *x, const CbMoranGlobal *obs,
									int64_t permutations, uint64_t seed,
									double *sim_sum, double *sim_sumsq);
/* sum_i a_i (W b)_i, summed exactly: a sum of the same terms split over nodes gives the same bits. */
extern double cb_cross_product(const CbCsr *w, const double *a, const double *b);
/* sum_t w[t] z[col[t]]: the spatial lag of one unit, in column order. */
extern double cb_row_lag(const int32_t *col, const double *w, int32_t k, const double *z);
/* Unit i's term z_pi(i) (W z_pi)_i of Moran's cross-product under permutation perm. */
extern double cb_moran_perm_term(const CbFeistel *perm, const int32_t *col, const double *w, int32_t k,
								 int32_t i, const double *z);

/* Per-unit local Moran I_i with conditional or total randomisation moments. */
typedef struct CbLocalMoran
{
	double	   *ii;
	double	   *expected;
	double	   *variance;
	double	   *z;			/* centred value x_i - mean */
	double	   *lag;		/* spatial lag of z */
	double		m2;			/* sum z^2 / n */
} CbLocalMoran;

/* z = x - mean, zz = sum z^2 and z4 = sum z^4, in index order. */
extern void cb_centred_sums(const double *x, int32_t n, double *z, double *zz, double *z4);
/* m2 = zz / n and the kurtosis b2 = (z4 / n) / m2^2 of local Moran's moments. */
extern void cb_local_moments(double zz, double z4, int32_t n, double *m2, double *b2);
extern bool cb_local_moran(const CbCsr *w, const double *x, bool conditional, CbLocalMoran *out);
/* One unit's I_i, E(I_i) and Var(I_i) from its weights row, centred value and lag. */
extern void cb_local_moran_unit(const double *w, int32_t k, double zi, double lag, int32_t n, double m2,
								double b2, bool conditional, double *ii, double *expected, double *variance);

/* Local Moran's conditional permutation p-value of unit self (cb_conditional_perm); NaN for islands. */
extern double cb_local_moran_unit_perm(const double *w, int32_t k, int32_t self, const double *z, int32_t n,
									   double m2, double ii, int64_t permutations, uint64_t seed, uint64_t key,
									   CbDrawScratch *d);
/* Every unit's p_sim, unit i drawing from stream keys[i]. */
extern void cb_local_moran_perm(const CbCsr *w, const CbLocalMoran *lm, int64_t permutations,
								uint64_t seed, const uint64_t *keys, double *p_sim);

/* sum x and sum x^2, in index order. */
extern void cb_value_sums(const double *x, int32_t n, double *sx, double *sx2);
/* Getis-Ord local G (star = unit in its own neighbourhood); z is NaN where undefined. */
extern void cb_local_g(const CbCsr *w, const double *x, bool star,
					   double *g, double *expected, double *variance, double *z);
/* One unit's G or G* from its weights row (self included for G*). */
extern void cb_local_g_unit(const int32_t *col, const double *w, int32_t k, int32_t i, const double *x,
							int32_t n, double sx, double sx2, bool star, double *g, double *expected,
							double *variance, double *z);

/* Getis-Ord general G (Getis & Ord 1992) with its moments under randomisation. */
typedef struct CbGeneralG
{
	double		g;
	double		expected;
	double		variance;
} CbGeneralG;

extern bool cb_general_g(const CbCsr *w, const double *x, CbGeneralG *out);

/* ---- bivariate Moran, rates, Geary's C, join counts (bivariate.c, geary.c, joincount.c) ---- */

/*
 * Bivariate Moran's I = sum_i x_i (W y)_i / sqrt(Sx Sy) on centred x and y
 * (esda Moran_BV, spdep moran_bv: not rescaled by n / S0), with its exact
 * mean (0) and variance when y is permuted over the units.
 */
typedef struct CbMoranBv
{
	double		i;
	double		expected;
	double		variance;
	double	   *cx;			/* centred x and y (allocated) */
	double	   *cy;
	double		sx;			/* sum cx^2 and sum cy^2 */
	double		sy;
	double		norm;		/* sqrt(sx) sqrt(sy) */
	int32_t		n;
	int32_t		islands;
} CbMoranBv;

/* False when x or y has zero variance. */
extern bool cb_moran_bv(const CbCsr *w, const double *x, const double *y, CbMoranBv *out);
/* Random permutations of y (cb_global_perm); returns how many gave I >= the observed one. */
extern int64_t cb_moran_bv_perm(const CbCsr *w, const CbMoranBv *obs, int64_t permutations, uint64_t seed);

/*
 * Local bivariate Moran I_i = (n - 1) x_i (W y)_i / sqrt(Sx Sy) (esda
 * Moran_Local_BV, spdep localmoran_bv), with the mean and variance of I_i when
 * x_i is held and its neighbours' y drawn from the other n - 1 units.
 */
typedef struct CbLocalMoranBv
{
	CbMoranBv	global;
	double	   *ii;
	double	   *expected;
	double	   *variance;
	double	   *lag;		/* (W y)_i of centred y */
} CbLocalMoranBv;

extern bool cb_local_moran_bv(const CbCsr *w, const double *x, const double *y, CbLocalMoranBv *out);
extern void cb_local_moran_bv_unit(const double *w, int32_t k, double cxi, double cyi, double lag, int32_t n,
								   double sy, double norm, double *ii, double *expected, double *variance);
/* Every unit's conditional permutation p-value, unit i drawing from stream keys[i]; NaN for islands. */
extern void cb_local_moran_bv_perm(const CbCsr *w, const CbLocalMoranBv *lb, int64_t permutations, uint64_t seed,
								   const uint64_t *keys, double *p_sim);

/*
 * Empirical Bayes standardised rates z_i = (r_i - m) / sqrt(v_i),
 * v_i = a + m / p_i, r_i = e_i / p_i, m = sum e / sum p, a the moment
 * estimate of the rates' prior variance (Assuncao & Reis 1999; esda
 * assuncao_rate); v_i = m / p_i where a + m / p_i is not positive (spdep
 * EBImoran).  False when there are no events.
 */
extern bool cb_eb_standardise(const double *events, const double *population, int32_t n, double *z);

/* Geary's C = (N - 1) sum_ij w_ij (x_i - x_j)^2 / (2 S0 sum z^2), moments as spdep geary.test. */
typedef struct CbGeary
{
	double		c;
	double		expected;	/* 1 */
	double		var_norm;
	double		var_rand;	/* NaN for fewer than 4 units with neighbours */
	double		scale;		/* (N - 1) / (2 S0) */
	double		zz;			/* sum of squared deviations */
	int32_t		n_used;		/* N: units with neighbours */
	CbWeightSums sums;
} CbGeary;

/* False when the values have zero variance or every unit is an island. */
extern bool cb_geary(const CbCsr *w, const double *x, CbGeary *out);
/* Random permutations of x (cb_global_perm); returns how many gave C >= the observed one. */
extern int64_t cb_geary_perm(const CbCsr *w, const double *x, const CbGeary *obs, int64_t permutations,
							 uint64_t seed);

/*
 * Local Geary c_i = sum_j w_ij (z_i - z_j)^2 on values standardised with the
 * sample standard deviation (GeoDa, spdep localC; esda's is c_i n / (n - 1)),
 * with its mean under conditional permutation.
 */
typedef struct CbLocalGeary
{
	double	   *c;
	double	   *expected;
	double	   *z;			/* standardised values */
	double	   *lag;		/* (W z)_i */
} CbLocalGeary;

extern bool cb_local_geary(const CbCsr *w, const double *x, CbLocalGeary *out);
/* Every unit's counts of draws >= and <= its c_i, unit i drawing from stream keys[i]. */
extern void cb_local_geary_perm(const CbCsr *w, const CbLocalGeary *lg, int64_t permutations, uint64_t seed,
								const uint64_t *keys, CbDrawCounts *counts);

/* Join counts of a 0/1 map: BB, BW, WW with their moments (spdep joincount.multi). */
#define CB_JC_BB 0
#define CB_JC_BW 1
#define CB_JC_WW 2
typedef struct CbJoinCounts
{
	double		count[3];		/* by CB_JC_* */
	double		expected[3];
	double		variance[3];
	double		joins;			/* S0 / 2 */
	int32_t		ones;			/* units with x = 1 */
	int32_t		n_used;			/* N: units with neighbours */
	CbWeightSums sums;
} CbJoinCounts;

/* False when every unit has the same colour, fewer than 4 units have neighbours, or there are no links. */
extern bool cb_join_counts(const CbCsr *w, const double *x, CbJoinCounts *out);
/* Random permutations of x (cb_global_perm): count_ge[CB_JC_*] draws at least the observed counts. */
extern void cb_join_counts_perm(const CbCsr *w, const double *x, const CbJoinCounts *obs, int64_t permutations,
								uint64_t seed, int64_t *count_ge);
/* BB_i = x_i sum_j w_ij x_j and its mean under conditional permutation. */
extern void cb_local_join_count(const CbCsr *w, const double *x, double *bb, double *expected);
/* Conditional permutation p-values of the units with BB_i > 0 (NaN elsewhere), unit i drawing from keys[i]. */
extern void cb_local_join_count_perm(const CbCsr *w, const double *x, const double *bb, int64_t permutations,
									 uint64_t seed, const uint64_t *keys, double *p_sim);

#endif							/* CB_KERNELS_H */
