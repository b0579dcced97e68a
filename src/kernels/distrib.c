/*
 * distrib.c
 *    Normal tail probabilities, pseudo p-values, false discovery rate and
 *    ellipsoidal great-circle distance.
 */
#include "kernels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double
cb_norm_sf(double z)
{
	/* erfc keeps full relative accuracy far into the upper tail */
	return 0.5 * erfc(z / M_SQRT2);
}

double
cb_norm_p(double z, int alternative)
{
	switch (alternative)
	{
		case CB_ALT_GREATER:
			return cb_norm_sf(z);
		case CB_ALT_LESS:
			return cb_norm_sf(-z);
		default:
			return 2.0 * cb_norm_sf(fabs(z));
	}
}

double
cb_pseudo_p(int64_t n_greater_equal, int64_t permutations)
{
	int64_t		m = n_greater_equal;

	/* fold to the tail the observed value lies in */
	if (permutations - m < m)
		m = permutations - m;
	return (double) (m + 1) / (double) (permutations + 1);
}

double
cb_pow2_unit(int64_t n, const double *x)
{
	double		big = 0.0;

	for (int64_t i = 0; i < n; i++)
		big = fmax(big, fabs(x[i]));
	return (big > 0.0 && isfinite(big)) ? ldexp(1.0, ilogb(big)) : 1.0;
}

int
cb_cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

double
cb_fdr_threshold(const double *p, int32_t m, double alpha)
{
	double	   *sorted = cb_alloc(sizeof(double) * (size_t) (m > 0 ? m : 1));
	int32_t		count = 0;
	double		threshold = 0.0;

	for (int32_t i = 0; i < m; i++)
		if (!isnan(p[i]))
			sorted[count++] = p[i];
	qsort(sorted, (size_t) count, sizeof(double), cb_cmp_double);
	for (int32_t k = count; k >= 1; k--)
		if (sorted[k - 1] <= (double) k * alpha / (double) count)
		{
			threshold = sorted[k - 1];
			break;
		}
	cb_free(sorted);
	return threshold;
}

/*
 * Andoyer-Lambert approximation of the geodesic on the WGS-84 ellipsoid, the
 * great-circle distance R spdep uses for longlat = TRUE (sp gcdist), in metres.
 */
double
cb_gcdist_m(double lon1, double lat1, double lon2, double lat2)
{
	const double a = 6378137.0;
	const double f = 1.0 / 298.257223563;
	const double rad = M_PI / 180.0;
	double		F,
				G,
				L,
				sinG2,
				cosG2,
				sinF2,
				cosF2,
				sinL2,
				cosL2,
				S,
				C,
				w,
				R,
				D,
				H1,
				H2;

	if (fabs(lat1 - lat2) < 2.220446e-16 &&
		(fabs(lon1 - lon2) < 2.220446e-16 ||
		 fabs(fabs(lon1) + fabs(lon2) - 360.0) < 2.220446e-16))
		return 0.0;

	F = (lat1 + lat2) * rad / 2.0;
	G = (lat1 - lat2) * rad / 2.0;
	L = (lon1 - lon2) * rad / 2.0;
	sinG2 = pow(sin(G), 2);
	cosG2 = pow(cos(G), 2);
	sinF2 = pow(sin(F), 2);
	cosF2 = pow(cos(F), 2);
	sinL2 = pow(sin(L), 2);
	cosL2 = pow(cos(L), 2);
	S = sinG2 * cosL2 + cosF2 * sinL2;
	C = cosG2 * cosL2 + sinF2 * sinL2;
	w = atan(sqrt(S / C));
	R = sqrt(S * C) / w;
	D = 2.0 * w * a;
	H1 = (3.0 * R - 1.0) / (2.0 * C);
	H2 = (3.0 * R + 1.0) / (2.0 * S);
	return D * (1.0 + f * H1 * sinF2 * cosG2 - f * H2 * cosF2 * sinG2);
}
