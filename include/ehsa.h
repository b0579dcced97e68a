/*
 * ehsa.h
 *    Emerging hot spot analysis of a space-time cube (SPEC section 14), as
 *    ArcGIS Pro's Emerging Hot Spot Analysis: Getis-Ord Gi* of every unit in
 *    every time step, the Mann-Kendall trend of each unit's z series, and
 *    the category of the unit.  PostgreSQL-free.
 */
#ifndef CB_EHSA_H
#define CB_EHSA_H

#include <stdbool.h>
#include <stdint.h>

#include "kernels.h"

/* Which bins give the mean and variance each neighbourhood is compared with. */
typedef enum CbEhsaWindow
{
	CB_EHSA_WINDOW_CUBE = 0,		/* every bin of the cube (ArcGIS ENTIRE_CUBE, the default) */
	CB_EHSA_WINDOW_NEIGHBORHOOD,	/* the bins of the neighbourhood's time steps (NEIGHBORHOOD_TIME_STEP) */
	CB_EHSA_WINDOW_STEP				/* the bins of the same time step (INDIVIDUAL_TIME_STEP) */
} CbEhsaWindow;

/*
 * Gi* z of unit i in step s, x[s * n + i] the cube (steps x n units): the
 * neighbourhood is the row of unit i in w (which holds the unit itself,
 * cb_csr_with_self) in step s and in the lags steps before it (those that
 * exist).  z[s * n + i] is NaN where the window has no variance.
 */
extern void cb_ehsa_gi(const CbCsr *w, int32_t steps, const double *x, int lags, CbEhsaWindow window, double *z);

/* Categories: no pattern, then eight hot and eight cold ones in ArcGIS's order. */
typedef enum CbEhsaCategory
{
	CB_EHSA_NO_PATTERN = 0,
	CB_EHSA_NEW = 1,
	CB_EHSA_CONSECUTIVE,
	CB_EHSA_INTENSIFYING,
	CB_EHSA_PERSISTENT,
	CB_EHSA_DIMINISHING,
	CB_EHSA_SPORADIC,
	CB_EHSA_OSCILLATING,
	CB_EHSA_HISTORICAL
	/* cold spots: the hot value + CB_EHSA_COLD */
} CbEhsaCategory;

#define CB_EHSA_COLD 8

/* "no pattern detected", "new hot spot", ..., "historical cold spot" by category number 0..16 */
extern const char *const cb_ehsa_category_names[];

/*
 * The category of a unit from its z series over steps >= 1 steps: a step
 * is a hot (cold) spot when p < alpha and z > 0 (z < 0); trend is the sign
 * of a Mann-Kendall trend of the z series significant at trend_alpha (0:
 * none).  The rules are ArcGIS Pro's, as docs/spatial.md states them.
 */
extern int	cb_ehsa_category(int32_t steps, const double *z, double alpha, int trend);

#endif							/* CB_EHSA_H */
