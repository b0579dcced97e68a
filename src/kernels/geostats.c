/*
 * geostats.c (kernels)
 *    Running weighted moments and the standard deviational ellipse.
 */
#include <math.h>

#include "geostats.h"

void
cb_moments_add(CbMoments *m, double x, double y, double w)
{
	double		total = m->weight + w;
	double		dx = x - m->mx;
	double		dy = y - m->my;

	m->mx += dx * (w / total);
	m->my += dy * (w / total);
	m->sxx += w * dx * (x - m->mx);
	m->syy += w * dy * (y - m->my);
	m->sxy += w * dx * (y - m->my);
	m->weight = total;
}

void
cb_moments_merge(CbMoments *a, const CbMoments *b)
{
	double		total,
				dx,
				dy,
				f;

	if (b->weight <= 0)
		return;
	if (a->weight <= 0)
	{
		*a = *b;
		return;
	}
	total = a->weight + b->weight;
	dx = b->mx - a->mx;
	dy = b->my - a->my;
	f = a->weight * b->weight / total;
	a->sxx += b->sxx + dx * dx * f;
	a->syy += b->syy + dy * dy * f;
	a->sxy += b->sxy + dx * dy * f;
	a->mx += dx * (b->weight / total);
	a->my += dy * (b->weight / total);
	a->weight = total;
}

void
cb_std_ellipse(const CbMoments *m, double scale, CbEllipse *e)
{
	/*
	 * theta depends only on ratios: scale by a power of two first (exact),
	 * so that a^2 + 4 b^2 cannot overflow
	 */
	double		big = fmax(fmax(fabs(m->sxx), fabs(m->syy)), fabs(m->sxy));
	double		unit = big > 0 ? ldexp(1.0, ilogb(big)) : 1.0;
	double		a = m->sxx / unit - m->syy / unit;
	double		b = m->sxy / unit;
	double		theta,
				c,
				s,
				vx,
				vy;

	/*
	 * B = 0: the axes are already aligned; the + root of eq.2 tends to
	 * 90 degrees when x spreads more (A > 0) and to 0 otherwise.
	 */
	if (b == 0)
		theta = a > 0 ? M_PI / 2 : 0;
	else
	{
		theta = atan((a + sqrt(a * a + 4 * b * b)) / (2 * b));
		if (theta < 0)
			theta += M_PI;
	}
	c = cos(theta);
	s = sin(theta);
	vx = (c * c * m->sxx - 2 * c * s * m->sxy + s * s * m->syy) / m->weight;
	vy = (s * s * m->sxx + 2 * c * s * m->sxy + c * c * m->syy) / m->weight;
	e->sigma_x = sqrt(fmax(vx, 0) * scale);
	e->sigma_y = sqrt(fmax(vy, 0) * scale);
	e->rotation_deg = theta * 180.0 / M_PI;
	if (e->rotation_deg >= 180.0)
		e->rotation_deg -= 180.0;
}

void
cb_ellipse_ring(double cx, double cy, const CbEllipse *e, int npts, double *xy)
{
	double		theta = e->rotation_deg * M_PI / 180.0;
	/* unit vectors of the rotated axes: x turned clockwise by theta, and y likewise */
	double		ux = cos(theta),
				uy = -sin(theta),
				vx = sin(theta),
				vy = cos(theta);

	for (int i = 0; i < npts; i++)
	{
		double		t = 2 * M_PI * i / npts;
		double		a = e->sigma_x * cos(t),
					b = e->sigma_y * sin(t);

		xy[2 * i] = cx + a * ux + b * vx;
		xy[2 * i + 1] = cy + a * uy + b * vy;
	}
	xy[2 * npts] = xy[0];
	xy[2 * npts + 1] = xy[1];
}
