/*
 * gwr.h
 *    Geographically weighted regression (GWR) and multiscale GWR (MGWR)
 *    kernels on plain arrays, following the conventions of PySAL mgwr
 *    (Fotheringham, Yang & Kang 2017; Oshan et al. 2019).
 */
#ifndef CB_GWR_H
#define CB_GWR_H

#include "kernels.h"

typedef enum CbGwrKernel
{
	CB_GWR_GAUSSIAN,
	CB_GWR_BISQUARE,
	CB_GWR_EXPONENTIAL
} CbGwrKernel;

typedef enum CbGwrCriterion
{
	CB_GWR_AICC,
	CB_GWR_AIC,
	CB_GWR_CV
} CbGwrCriterion;

typedef struct CbGwrBandwidths CbGwrBandwidths;

/* Observations and the kernel; shared by every fit of one search. */
typedef struct CbGwrData
{
	int32_t		n;
	int			p;				/* columns of x, intercept included */
	const double *x;			/* n * p, row-major, column 0 all ones for GWR */
	const double *y;			/* n */
	const double *xy;			/* n * 2 planar coordinates */
	CbKdTree   *tree;			/* over xy */
	CbGwrKernel kernel;
	bool		fixed;			/* bandwidth is a distance, else a neighbour count */
	/* optional: every location's points sorted by distance (cb_gwr_prepare) */
	const int32_t *sorted_idx;	/* n * n */
	const double *sorted_d2;	/* n * n squared distances */
	/* optional: kernel bandwidths of recent adaptive fits (cb_gwr_prepare, larger n) */
	CbGwrBandwidths *bandwidths;
} CbGwrData;

/*
 * For small n with an adaptive bandwidth, sorts every location's points by
 * distance once, so that each of the many fits of a search or of MGWR
 * reads its neighbourhoods as prefixes (n^2 memory: only up to
 * CB_GWR_SORTED_MAX_N points); above that, keeps the kernel bandwidths of
 * the recent neighbour counts (n doubles each).
 */
#define CB_GWR_SORTED_MAX_N 2048
extern void cb_gwr_prepare(CbGwrData *d);

/* Fit diagnostics (mgwr GWRResults). */
typedef struct CbGwrStats
{
	double		bandwidth;
	double		rss;
	double		tr_s;			/* trace of the hat matrix = ENP */
	double		llf;
	double		aic;
	double		aicc;
	double		cv;
	double		r2;
	double		adj_r2;
	double		sigma2;			/* RSS / (n - tr S) */
} CbGwrStats;

/* Per-location results of a full fit; arrays owned by the caller. */
typedef struct CbGwrLocal
{
	double	   *beta;			/* n * p */
	double	   *se;				/* n * p */
	double	   *t;				/* n * p */
	double	   *local_r2;		/* n */
	double	   *yhat;			/* n */
	double	   *resid;			/* n */
	double	   *influence;		/* n: S_ii */
} CbGwrLocal;

/* Outcome of a fit at one bandwidth. */
typedef enum CbGwrStatus
{
	CB_GWR_OK,
	CB_GWR_SINGULAR,			/* a local X'WX is singular; singular_at says where */
	CB_GWR_NO_DF				/* tr S too large for n: the criterion is undefined */
} CbGwrStatus;

/*
 * Fits at one bandwidth.  local == NULL: the light fit used by the search
 * (residuals and S_ii only); with local->se or local->local_r2 NULL those
 * (and t) are skipped.  singular_at receives the location index of a
 * singular local fit.
 */
extern CbGwrStatus cb_gwr_fit(const CbGwrData *d, double bandwidth, CbGwrStats *st,
							  CbGwrLocal *local, int32_t *singular_at);

extern double cb_gwr_score(const CbGwrStats *st, CbGwrCriterion criterion);

/* Search history of the golden section: bandwidths and scores in call order. */
typedef struct CbGwrSearch
{
	int			evaluations;
	double		bw[512];
	double		score[512];
	int			iterations;
	int			expected;		/* evaluations the search is expected to take (progress) */
	const char *phase;			/* progress phase name, NULL: "bandwidth search" */
} CbGwrSearch;

/*
 * mgwr Sel_BW golden-section search on [lo, hi] (integers when adaptive).
 * Candidates whose fit is singular or undefined score +Infinity.  Returns
 * false when no candidate could be fitted.
 */
extern bool cb_gwr_search(const CbGwrData *d, CbGwrCriterion criterion, double lo, double hi,
						  CbGwrSearch *hist, double *best_bw, double *best_score);

/* Default search interval of mgwr: [40 + 2p, n] adaptive, [dmin/2, 2 dmax] fixed. */
extern void cb_gwr_search_bounds(const CbGwrData *d, double *lo, double *hi);

/* First column of x that depends linearly on the columns before it, or -1. */
extern int	cb_gwr_dependent_column(const double *x, int32_t n, int p);

/* MGWR: backfitting from GWR estimates (mgwr Sel_BW multi=True, then MGWR.fit). */
typedef struct CbMgwrSettings
{
	CbGwrCriterion criterion;
	double		init_bw;		/* GWR bandwidth the backfitting starts from */
	double		term_lo;		/* per-term search interval (mgwr multi_bw_min/max); NaN: default */
	double		term_hi;
	double		tol;			/* on the score of change (SOC), mgwr tol_multi */
	int			max_iter;		/* mgwr max_iter_multi */
	int			same_times;		/* stop searching after bandwidths repeat this often (mgwr bws_same_times) */
	double		memory_limit;	/* bytes the hat-matrix replay may use (work_mem, at least 64 MB) */
	int32_t		probes;			/* 0: exact replay on the identity; else estimates from this many
								 * random sign columns (Hutchinson), influence NaN */
} CbMgwrSettings;

typedef struct CbMgwrResult
{
	double	   *bandwidths;		/* p */
	double	   *enp;			/* p: tr R_j, effective number of parameters per term */
	int			iterations;
	double		score;			/* last SOC */
	int			failed_term;	/* when the fit fails: the term whose search found nothing */
} CbMgwrResult;

/*
 * local->beta (n * p) enters with the GWR estimates at init_bw and leaves
 * with the MGWR ones; se, t, yhat, resid and influence are filled,
 * local_r2 is NaN (mgwr defines none for MGWR).  The per-term operators
 * R_j are replayed over the bandwidth history, in blocks of columns, for
 * ENP_j and the standard errors, as mgwr MGWR.fit does; set->memory_limit
 * must admit cb_mgwr_block_columns() > 0.
 */
/*
 * Columns of the identity per block of the hat-matrix replay within
 * memory_limit bytes (about a fifth of it is left for operators kept
 * between blocks), or 0 when even the smallest block does not fit; *bytes
 * receives what the smallest block needs.  Once the bandwidths are known
 * the fit may give the operators up to 60% of the limit and narrow the
 * blocks accordingly.  The replay's memory is
 * O(n * columns): the per-term operators are never formed whole unless
 * they fit beside the blocks.
 */
extern int32_t cb_mgwr_block_columns(int32_t n, int p, double memory_limit, double *bytes);

extern bool cb_mgwr_fit(const CbGwrData *d, const CbMgwrSettings *set, CbGwrLocal *local,
						CbGwrStats *st, CbMgwrResult *res);

#endif							/* CB_GWR_H */
