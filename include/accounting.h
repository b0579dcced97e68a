/*
 * accounting.h
 *    PostgreSQL-free kernels of the carbon accounting (SPEC section 7):
 *    soil heterotrophic respiration, NEP, pixel coverage of polygons,
 *    geodesic pixel areas and total-conserving downscaling.
 */
#ifndef CB_ACCOUNTING_H
#define CB_ACCOUNTING_H

#include <stdbool.h>
#include <stdint.h>

/* g C per tonne C and the CO2/C mass ratio */
#define CB_CO2_PER_C (44.0 / 12.0)

/*
 * Monthly soil heterotrophic respiration of Pei et al. (2009), paper 001 eq.3:
 * RH = 0.22 (exp(0.0913 T) + ln(0.3145 R + 1)) * 30 * 0.465, g C m^-2 month^-1,
 * T monthly mean temperature (degrees C), R monthly precipitation (mm).
 * NaN when 0.3145 R + 1 <= 0 (precipitation below -3.18 mm).
 */
extern double cb_rh_pei2009(double t, double r);

/* NEP = NPP - sum of the 12 monthly RH (paper 001 eq.2), g C m^-2 yr^-1. */
extern double cb_nep_monthly(double npp, const double *t12, const double *r12);

/*
 * Polygon coverage of the unit pixels of a width x height grid.  The
 * polygon is given in pixel space (u = column, v = row; pixel (c, r) is
 * [c, c+1] x [r, r+1]), as rings of closed vertex lists; ring_sign[k] is
 * +1 for a shell and -1 for a hole (orientation is normalised inside).
 * cover[r * width + c] receives:
 *   exact = true:  the area fraction of the pixel inside the polygon;
 *   exact = false: 1 when the pixel centre lies inside, else 0.
 * work is scratch space of width x height doubles (its contents are
 * overwritten), so a caller covering tile after tile can reuse both arrays.
 */
extern void cb_polygon_coverage(int nrings, const int32_t *ring_start, const int *ring_sign,
								const double *uv, int width, int height, bool exact,
								double *cover, double *work);

/*
 * When no ring edge enters the open rectangle (0, width) x (0, height), the
 * rectangle lies wholly inside or wholly outside the polygon and every pixel
 * has the coverage cb_polygon_coverage would give it (either rule): returns
 * that coverage, 1 or 0.  Returns -1 when an edge may cross the rectangle.
 * Cost: one pass over the edges, no per-pixel work.
 */
extern int	cb_polygon_uniform_coverage(int nrings, const int32_t *ring_start, const int *ring_sign,
										const double *uv, int width, int height);

/*
 * Area in m^2 of the ellipsoidal quadrangle between longitudes dlon apart
 * (degrees) and latitudes lat1..lat2 (degrees) on the WGS 84 ellipsoid.
 */
extern double cb_geodesic_quad_area(double dlon, double lat1, double lat2);

#endif							/* CB_ACCOUNTING_H */
