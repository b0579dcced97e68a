/*
 * autocorr.h
 *    Pieces of the spatial autocorrelation functions shared by the window
 *    and aggregate forms (autocorr.c, hotspot.c) and the two-phase forms of
 *    distributed tables (twophase.c): option keys, permutation settings and
 *    the result rows, so that both give the same results the same way.
 */
#ifndef CB_AUTOCORR_H
#define CB_AUTOCORR_H

#include "postgres.h"

#include "fmgr.h"

#include "kernels.h"
#include "options.h"

#define CB_PERMUTATION_KEYS "permutations", "seed", "alternative"

/* Permutation settings shared by the global and local statistics. */
typedef struct CbPermSettings
{
	int64		permutations;
	uint64		seed;
	int			alternative;
} CbPermSettings;

extern void cb_perm_settings(const CbOptions *opts, CbPermSettings *ps);

/* One unit's local Moran result (a window row, or a row of local_moran_at). */
typedef struct CbLocalMoranRow
{
	bool		valid;			/* false: the row was skipped (NULL input) */
	bool		significant;
	int8		quadrant;
	double		ii;
	double		expected;
	double		variance;
	double		z;				/* NaN for islands: returned as NULL */
	double		p_norm;
	double		p_sim;			/* NaN without permutations */
} CbLocalMoranRow;

/* HH, LH, LL or HL from the signs of a unit's centred value and its lag (H when strictly above the mean). */
extern const char *cb_quadrant_label(double z, double lag);
/* Fills the row from the unit's statistic (zi its centred value, lag its lag). */
extern void cb_local_moran_row(CbLocalMoranRow *r, double ii, double expected, double variance, double zi,
							   double lag, bool island, double p_sim, int alternative);
/* The local_moran_result composite of a row. */
extern Datum cb_local_moran_datum(FunctionCallInfo fcinfo, const CbLocalMoranRow *r, const char *func);
/* Options of local_moran: variance=conditional|total (true: conditional), alpha. */
extern bool cb_local_moran_conditional(const CbOptions *opts);
extern double cb_local_moran_alpha(const CbOptions *opts);

/* Marks rows significant at alpha (p < alpha), or by Benjamini-Hochberg when fdr: p_sim if use_sim, else p_norm. */
extern void cb_mark_significant(CbLocalMoranRow *rows, const int64 *positions, int32 n, bool use_sim,
								double alpha, bool fdr);

/* Options of the LISA family: permutations, variance=, alpha, fdr. */
typedef struct CbLocalSettings
{
	CbPermSettings ps;
	bool		conditional;
	double		alpha;
	bool		fdr;
} CbLocalSettings;

extern void cb_local_settings(const CbOptions *opts, CbLocalSettings *ls);

/*
 * The values a statistic is computed on, made from the rows' value
 * arguments (for rates, changes, ...), checked for variance and links and
 * scaled (cb_spatial_check for a single value as given).
 */
struct CbSpatialInput;
typedef void (*CbPrepareValues) (struct CbSpatialInput *in, const CbCsr *w);
/* One result row per unit, at rows[in->units.row[i]]. */
typedef void (*CbLocalMoranCompute) (struct CbSpatialInput *in, const CbCsr *w, const CbLocalSettings *ls,
									 CbLocalMoranRow *rows);

/* Local Moran of the prepared values (local_moran and the forms on rates and changes). */
extern void cb_local_moran_compute(struct CbSpatialInput *in, const CbCsr *w, const CbLocalSettings *ls,
								   CbLocalMoranRow *rows);

/* Final function of a Moran's I aggregate whose values prepare makes: the morans_i_result. */
extern Datum cb_morans_i_final_of(FunctionCallInfo fcinfo, CbPrepareValues prepare);
/* A window function of local_moran_result rows: reads the partition, prepares the values, computes once. */
extern Datum cb_local_moran_window_of(FunctionCallInfo fcinfo, const char *func, const char *const *keys,
									  const char *const *value_names, CbPrepareValues prepare,
									  CbLocalMoranCompute compute);

/* ArcGIS's Gi_Bin of a z-score and its p-value: +-3, +-2, +-1 at 99, 95, 90 % confidence, else 0. */
extern int	cb_gi_bin(double z, double p);
/* The getis_ord_result composite: (gi, z, p, bin). */
extern Datum cb_getis_ord_datum(FunctionCallInfo fcinfo, double gi, double z);

/*
 * A global statistic with its moments under normality and randomisation:
 * the 12 fields of morans_i_result and gearys_c_result.  z = z_sign (stat -
 * expected) / sd: z_sign -1 for Geary's C, whose positive autocorrelation is
 * below its expectation.
 */
typedef struct CbGlobalMoments
{
	double		stat;
	double		expected;
	double		var_norm;
	double		var_rand;
	double		z_sign;
	int32		n;
	int32		islands;
} CbGlobalMoments;

extern Datum cb_global_moments_datum(FunctionCallInfo fcinfo, const CbGlobalMoments *m, const CbPermSettings *ps,
									 double p_sim);

/* The morans_i_result composite. */
extern Datum cb_morans_i_datum(FunctionCallInfo fcinfo, const CbMoranGlobal *g, const CbPermSettings *ps,
							   double p_sim, int32 n);

#endif							/* CB_AUTOCORR_H */
