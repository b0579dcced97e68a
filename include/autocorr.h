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

/* Fills the row from the unit's statistic (zi its centred value, lag its lag). */
extern void cb_local_moran_row(CbLocalMoranRow *r, double ii, double expected, double variance, double zi,
							   double lag, bool island, double p_sim, int alternative);
/* The local_moran_result composite of a row. */
extern Datum cb_local_moran_datum(FunctionCallInfo fcinfo, const CbLocalMoranRow *r, const char *func);
/* Options of local_moran: variance=conditional|total (true: conditional), alpha. */
extern bool cb_local_moran_conditional(const CbOptions *opts);
extern double cb_local_moran_alpha(const CbOptions *opts);

/* The getis_ord_result composite: (gi, z, p, bin). */
extern Datum cb_getis_ord_datum(FunctionCallInfo fcinfo, double gi, double z);

/* The morans_i_result composite. */
extern Datum cb_morans_i_datum(FunctionCallInfo fcinfo, const CbMoranGlobal *g, const CbPermSettings *ps,
							   double p_sim, int32 n);

#endif							/* CB_AUTOCORR_H */
