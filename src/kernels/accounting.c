/*
 * accounting.c
 *    Kernels of the carbon accounting; see accounting.h.
 */
#include <math.h>
#include <string.h>

#include "accounting.h"
#include "kernels.h"

double
cb_rh_pei2009(double t, double r)
{
	double		arg = 0.3145 * r + 1.0;

	if (!(arg > 0))
		return NAN;
	return 0.22 * (exp(0.0913 * t) + log(arg)) * 30.0 * 0.465;
}

double
cb_nep_monthly(double npp, const double *t12, const double *r12)
{
	double		rh = 0;

	for (int m = 0; m < 12; m++)
		rh += cb_rh_pei2009(t12[m], r12[m]);
	return npp - rh;
}

/* ---- polygon coverage of pixels ---- */

/* Antiderivative of clamp(t, 0, 1). */
static double
clamp_integral(double t)
{
	if (t <= 0)
		return 0;
	if (t >= 1)
		return t - 0.5;
	return 0.5 * t * t;
}

static double
clamp01(double t)
{
	return t <= 0 ? 0 : (t >= 1 ? 1 : t);
}

/*
 * Exact area of one pixel row r below an edge piece: integral over u in
 * [a, b] of clamp(r + 1 - g(u), 0, 1), g linear from ga to gb.
 */
static double
below_in_row(double a, double b, double ga, double gb, int r)
{
	double		ha = r + 1 - ga,
				hb = r + 1 - gb;

	if (fabs(hb - ha) < 1e-12)
		return (b - a) * clamp01(0.5 * (ha + hb));
	return (b - a) * (clamp_integral(hb) - clamp_integral(ha)) / (hb - ha);
}

/*
 * Coverage is the winding number integrated over each pixel.  The winding
 * number at (u, v) is the signed count of ring edges crossing the vertical
 * line at u above v (smaller v), so each edge adds, over its u-range, the
 * part of every pixel lying below it: partial pixels in the rows the edge
 * passes through and whole pixels further down (accumulated through a
 * per-column difference array, so the cost grows with edges x rows crossed
 * plus pixels, not edges x pixels).
 */
static void
edge_exact(double u1, double v1, double u2, double v2, double sign, int width, int height,
		   double *cover, double *full)
{
	double		dir = (u2 > u1) ? sign : -sign;
	double		ulo = fmin(u1, u2),
				uhi = fmax(u1, u2);
	double		slope;
	int			c0,
				c1;

	if (u1 == u2 || uhi <= 0 || ulo >= width)
		return;
	slope = (v2 - v1) / (u2 - u1);
	c0 = (int) floor(fmax(ulo, 0));
	c1 = (int) ceil(fmin(uhi, width));
	for (int c = c0; c < c1; c++)
	{
		double		a = fmax(ulo, c),
					b = fmin(uhi, c + 1);
		double		ga = v1 + slope * (a - u1),
					gb = v1 + slope * (b - u1);
		double		gmin = fmin(ga, gb),
					gmax = fmax(ga, gb);
		int			r0,
					rfull;

		if (b <= a)
			continue;
		r0 = (int) floor(gmin);
		rfull = (int) ceil(gmax);	/* first row wholly below the edge piece */
		if (r0 < 0)
			r0 = 0;
		for (int r = r0; r < rfull && r < height; r++)
			cover[(int64_t) r * width + c] += dir * below_in_row(a, b, ga, gb, r);
		if (rfull < 0)
			rfull = 0;
		if (rfull < height)
			full[(int64_t) rfull * width + c] += dir * (b - a);
	}
}

/* Centre rule: the edge crosses column c's centre line at g; rows whose centre lies below g. */
static void
edge_centre(double u1, double v1, double u2, double v2, double sign, int width, int height,
			double *full)
{
	double		dir = (u2 > u1) ? sign : -sign;
	double		ulo = fmin(u1, u2),
				uhi = fmax(u1, u2);
	int			c0,
				c1;

	if (u1 == u2)
		return;
	/* centres c + 0.5 in [ulo, uhi): half-open, so a vertex on a centre line counts once */
	c0 = (int) ceil(ulo - 0.5);
	c1 = (int) ceil(uhi - 0.5);
	if (c0 < 0)
		c0 = 0;
	if (c1 > width)
		c1 = width;
	for (int c = c0; c < c1; c++)
	{
		double		g = v1 + (v2 - v1) * ((c + 0.5) - u1) / (u2 - u1);
		/* rows r with centre r + 0.5 > g */
		double		rf = floor(g - 0.5) + 1;
		int			r;

		if (rf >= height)
			continue;
		r = rf < 0 ? 0 : (int) rf;
		full[(int64_t) r * width + c] += dir;
	}
}

static double
ring_signed_area(const double *uv, int32_t n)
{
	double		a = 0;

	/* area of the region below the ring's upper boundary in the winding convention */
	for (int32_t i = 0; i + 1 < n; i++)
		a -= (uv[2 * (i + 1)] - uv[2 * i]) * (uv[2 * i + 1] + uv[2 * (i + 1) + 1]) * 0.5;
	return a;
}

/*
 * +1 or -1, what the ring adds to the winding number: shells count +1 and
 * holes -1 whatever their stored orientation; 0 for a ring of no area.
 */
static double
ring_winding_sign(const double *uv, int32_t n, int kind)
{
	double		area = ring_signed_area(uv, n);

	if (area == 0)
		return 0;
	return (area > 0 ? 1.0 : -1.0) * kind;
}

/* The edges of all rings in turn, each with what its ring adds to the winding number. */
typedef struct EdgeCursor
{
	int			nrings;
	const int32_t *ring_start;
	const int  *ring_sign;
	const double *uv;
	int			k;				/* current ring */
	const double *p;			/* its vertices */
	int32_t		n;				/* its vertex count (0 for a ring of no area) */
	int32_t		i;				/* next edge */
	double		sign;
} EdgeCursor;

static void
edges_begin(EdgeCursor *c, int nrings, const int32_t *ring_start, const int *ring_sign, const double *uv)
{
	memset(c, 0, sizeof(*c));
	c->nrings = nrings;
	c->ring_start = ring_start;
	c->ring_sign = ring_sign;
	c->uv = uv;
	c->k = -1;
}

/* The next edge (two vertices), NULL after the last; *sign is its ring's. */
static const double *
edges_next(EdgeCursor *c, double *sign)
{
	while (c->i + 1 >= c->n)
	{
		if (++c->k >= c->nrings)
			return NULL;
		c->p = c->uv + 2 * (int64_t) c->ring_start[c->k];
		c->n = c->ring_start[c->k + 1] - c->ring_start[c->k];
		c->i = 0;
		c->sign = ring_winding_sign(c->p, c->n, c->ring_sign[c->k]);
		if (c->sign == 0)
			c->n = 0;
	}
	*sign = c->sign;
	return c->p + 2 * (int64_t) c->i++;
}

/*
 * True when edge (u1, v1)-(u2, v2) surely misses the open rectangle
 * (0, width) x (0, height): its bounding box does not reach inside, or the
 * four corners lie strictly on one side of its line (by more than a
 * millionth of a pixel, so rounding cannot put it inside).
 */
static bool
edge_misses_box(const double *e, int width, int height)
{
	double		du = e[2] - e[0],
				dv = e[3] - e[1];
	double		tol = 1e-6 * (fabs(du) + fabs(dv));
	int			above = 0,
				below = 0;

	if (fmax(e[0], e[2]) <= 0 || fmin(e[0], e[2]) >= width ||
		fmax(e[1], e[3]) <= 0 || fmin(e[1], e[3]) >= height)
		return true;
	for (int k = 0; k < 4; k++)
	{
		double		x = (k & 1) ? width : 0,
					y = (k & 2) ? height : 0;
		double		side = du * (y - e[1]) - dv * (x - e[0]);

		above += side > tol;
		below += side < -tol;
	}
	return above == 4 || below == 4;
}

int
cb_polygon_uniform_coverage(int nrings, const int32_t *ring_start, const int *ring_sign,
							const double *uv, int width, int height)
{
	double		pu = 0.5 * width,
				pv = 0.5 * height;
	double		winding = 0,
				sign;
	EdgeCursor	it;
	const double *e;

	edges_begin(&it, nrings, ring_start, ring_sign, uv);
	while ((e = edges_next(&it, &sign)) != NULL)
	{
		double		ulo = fmin(e[0], e[2]),
					uhi = fmax(e[0], e[2]);

		if (!edge_misses_box(e, width, height))
			return -1;
		/* as cb_polygon_coverage: the edge adds dir to every point below it, over [ulo, uhi) */
		if (e[0] != e[2] && ulo <= pu && pu < uhi &&
			e[1] + (e[3] - e[1]) * ((pu - e[0]) / (e[2] - e[0])) < pv)
			winding += (e[2] > e[0]) ? sign : -sign;
	}
	/* snapped as cb_polygon_coverage snaps: 1 inside, 0 outside (or overlapping holes) */
	return winding > 0.5 ? 1 : 0;
}

void
cb_polygon_coverage(int nrings, const int32_t *ring_start, const int *ring_sign,
					const double *uv, int width, int height, bool exact, double *cover, double *full)
{
	int64_t		npix = (int64_t) width * height;
	double	   *run;
	double		sign;
	EdgeCursor	it;
	const double *e;
	int64_t		nedges = 0;

	memset(cover, 0, sizeof(double) * npix);
	memset(full, 0, sizeof(double) * npix);
	edges_begin(&it, nrings, ring_start, ring_sign, uv);
	while ((e = edges_next(&it, &sign)) != NULL)
	{
		if (exact)
			edge_exact(e[0], e[1], e[2], e[3], sign, width, height, cover, full);
		else
			edge_centre(e[0], e[1], e[2], e[3], sign, width, height, full);
		/* a polygon of millions of vertices must stay cancellable */
		if ((++nedges & 1023) == 0)
			cb_check_interrupts();
	}
	/*
	 * Whole-pixel contributions accumulate down each column; walked row by
	 * row with one running sum per column so memory is read in order.
	 * Values within rounding noise of 0 and 1 are snapped.
	 */
	run = cb_alloc(sizeof(double) * (width > 0 ? width : 1));
	for (int r = 0; r < height; r++)
	{
		double	   *crow = cover + (int64_t) r * width;
		const double *frow = full + (int64_t) r * width;

		for (int c = 0; c < width; c++)
		{
			double		v;

			run[c] += frow[c];
			v = crow[c] + run[c];
			crow[c] = v < 1e-12 ? 0 : (v > 1 - 1e-12 ? 1 : v);
		}
	}
	cb_free(run);
}

/* ---- geodesic pixel area ---- */

/* Authalic q(phi) of the ellipsoid (Snyder 1987 eq.3-12). */
static double
authalic_q(double phi, double e)
{
	double		s = sin(phi);

	return (1 - e * e) * (s / (1 - e * e * s * s) - (1 / (2 * e)) * log((1 - e * s) / (1 + e * s)));
}

double
cb_geodesic_quad_area(double dlon, double lat1, double lat2)
{
	const double a = 6378137.0;
	const double f = 1 / 298.257223563;
	double		e = sqrt(f * (2 - f));
	double		d2r = M_PI / 180.0;

	return fabs(0.5 * a * a * dlon * d2r *
				(authalic_q(lat2 * d2r, e) - authalic_q(lat1 * d2r, e)));
}
