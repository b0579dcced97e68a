/*
 * geostats.h
 *    Weighted mean centre and standard deviational ellipse (paper 004
 *    eqs.2-4) from running moments.  PostgreSQL-free.
 */
#ifndef CB_GEOSTATS_H
#define CB_GEOSTATS_H

#include "kernels.h"

/*
 * Weighted moments of points, updated one point at a time (West 1979) and
 * merged pairwise (Chan et al.), so partial aggregates combine exactly.
 */
typedef struct CbMoments
{
	double		weight;			/* sum of weights W */
	double		mx;				/* weighted mean x */
	double		my;				/* weighted mean y */
	double		sxx;			/* sum w (x - mx)^2 */
	double		syy;			/* sum w (y - my)^2 */
	double		sxy;			/* sum w (x - mx)(y - my) */
} CbMoments;

extern void cb_moments_add(CbMoments *m, double x, double y, double w);
extern void cb_moments_merge(CbMoments *a, const CbMoments *b);

typedef struct CbEllipse
{
	double		sigma_x;		/* spread along the rotated x axis */
	double		sigma_y;		/* spread along the rotated y axis (the major axis) */
	double		rotation_deg;	/* rotated y axis, degrees clockwise from north, [0, 180) */
} CbEllipse;

/*
 * Paper 004 eqs.2-4: tan(theta) = (A + sqrt(A^2 + 4B^2)) / 2B with
 * A = sum w x'^2 - sum w y'^2, B = sum w x'y';
 * sigma_x^2 = sum w (x' cos - y' sin)^2 / W, sigma_y^2 = sum w (x' sin + y' cos)^2 / W,
 * each multiplied by scale (1 as the paper, 2 for ArcGIS's sqrt(2) convention).
 */
extern void cb_std_ellipse(const CbMoments *m, double scale, CbEllipse *e);

/* Vertices (x, y) of the ellipse outline, npts distinct points plus the closing one. */
extern void cb_ellipse_ring(double cx, double cy, const CbEllipse *e, int npts, double *xy);

#endif							/* CB_GEOSTATS_H */
