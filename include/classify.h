/*
 * classify.h
 *    Classification kernels (SPEC section 9): class breaks as R classInt
 *    and agglomerative clustering as R hclust + cutree.  PostgreSQL-free.
 */
#ifndef CB_CLASSIFY_H
#define CB_CLASSIFY_H

#include "kernels.h"

/* Linkage of cb_hclust */
typedef enum CbLinkage
{
	CB_LINK_WARD,				/* R hclust method "ward.D2" */
	CB_LINK_AVERAGE				/* R hclust method "average" (UPGMA) */
} CbLinkage;

/*
 * Breaks of k classes over sorted values (n of them), written to brks[0..k]
 * (brks[0] = minimum, brks[k] = maximum).
 */
/* Jenks natural breaks, the dynamic programme of classInt style "jenks". */
extern void cb_jenks_breaks(const double *sorted, int n, int k, double *brks);
/* R quantile() type 7 at probabilities 0, 1/k, ..., 1 (classInt "quantile"). */
extern void cb_quantile_breaks(const double *sorted, int n, int k, double *brks);
/* k equal-width intervals between minimum and maximum (classInt "equal"). */
extern void cb_equal_breaks(const double *sorted, int n, int k, double *brks);

/*
 * Class 1..k of x for intervals closed on the right, as classInt findCols
 * with intervalClosure = "right": the number of breaks below x, at least 1.
 */
extern int	cb_class_of(double x, const double *brks, int k);

/*
 * Agglomerative clustering of n rows of p features (row-major x, already
 * standardised) with Euclidean distances, the nearest-neighbour-list
 * algorithm of R's hclust (F. Murtagh), cut into k clusters as cutree:
 * labels[i] in 1..k, numbered by first appearance in row order.
 */
extern void cb_hclust(const double *x, int n, int p, CbLinkage linkage, int k, int *labels);

/* Standardises each column of x (n x p, row-major) as R scale(): (x - mean) / sd, sd with n - 1.
 * Returns -1 on success, otherwise the index of a column with zero variance. */
extern int	cb_zscore_columns(double *x, int n, int p);

#endif							/* CB_CLASSIFY_H */
