/*
 * bp.c
 *    The back-propagation network of paper 001 section 2.2.4: inputs, one
 *    hidden layer with ReLU transfer, one linear output (Rumelhart &
 *    McClelland), trained by full-batch gradient descent with Adam.
 */
#include "kernels.h"
#include "drivers.h"

#include <math.h>
#include <string.h>

void
cb_bp_bind(CbBpNet *net, double *buf)
{
	int			p = net->p;
	int			h = net->h;

	net->xm = buf;
	net->xs = buf + p;
	net->ym = buf[2 * p];
	net->ys = buf[2 * p + 1];
	net->w1 = buf + 2 * p + 2;
	net->b1 = net->w1 + (size_t) h * p;
	net->w2 = net->b1 + h;
	net->b2 = net->w2[h];
}

/* Writes ym, ys and b2 (kept as plain fields in the struct) back into buf. */
void
cb_bp_store_scalars(CbBpNet *net, double *buf)
{
	buf[2 * net->p] = net->ym;
	buf[2 * net->p + 1] = net->ys;
	net->w2[net->h] = net->b2;
}

/* Standard normal draw (Box-Muller on the xoshiro stream). */
static double
normal(CbRng *rng)
{
	double		u1 = 1.0 - cb_rng_uniform(rng);	/* in (0, 1] */
	double		u2 = cb_rng_uniform(rng);

	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

static void
standardise(CbBpNet *net, const double *x, const double *y, int64_t n)
{
	int			p = net->p;
	double		sy = 0.0, syy = 0.0;

	double		uy = cb_pow2_unit(n, y);

	/*
	 * Sums on values divided by power-of-two units (exact, so the same bits
	 * for ordinary data), so that squares of values near 1e308 stay finite
	 */
	for (int j = 0; j < p; j++)
	{
		double		s = 0.0, ss = 0.0, big = 0.0, u;

		for (int64_t i = 0; i < n; i++)
			big = fmax(big, fabs(x[i * p + j]));
		u = cb_pow2_unit(1, &big);
		for (int64_t i = 0; i < n; i++)
			s += x[i * p + j] / u;
		net->xm[j] = s / n;
		for (int64_t i = 0; i < n; i++)
			ss += (x[i * p + j] / u - net->xm[j]) * (x[i * p + j] / u - net->xm[j]);
		net->xm[j] *= u;
		/* a constant input carries no information: scale 1 keeps it at zero */
		net->xs[j] = ss > 0 ? sqrt(ss / n) * u : 1.0;
	}
	for (int64_t i = 0; i < n; i++)
		sy += y[i] / uy;
	net->ym = sy / n;
	for (int64_t i = 0; i < n; i++)
		syy += (y[i] / uy - net->ym) * (y[i] / uy - net->ym);
	net->ym *= uy;
	net->ys = sqrt(syy / n) * uy;
}

/* Hidden activations of one standardised input row; returns the standardised output. */
static double
forward(const CbBpNet *net, const double *z, double *act)
{
	double		out = net->b2;

	for (int k = 0; k < net->h; k++)
	{
		double		a = net->b1[k];

		for (int j = 0; j < net->p; j++)
			a += net->w1[k * net->p + j] * z[j];
		act[k] = a > 0 ? a : 0.0;
		out += net->w2[k] * act[k];
	}
	return out;
}

/* Adam step for one parameter vector. */
static void
adam(double *w, const double *g, double *m, double *v, size_t len, double lr, int64_t t)
{
	const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
	double		c1 = 1.0 - pow(b1, (double) t);
	double		c2 = 1.0 - pow(b2, (double) t);

	for (size_t i = 0; i < len; i++)
	{
		m[i] = b1 * m[i] + (1.0 - b1) * g[i];
		v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
		w[i] -= lr * (m[i] / c1) / (sqrt(v[i] / c2) + eps);
	}
}

double
cb_bp_train(CbBpNet *net, const double *x, const double *y, int64_t n,
			int32_t epochs, double learning_rate, uint64_t seed)
{
	int			p = net->p;
	int			h = net->h;
	/* all trainable parameters in one block: w1, b1, w2, b2 */
	size_t		np = (size_t) h * p + 2 * (size_t) h + 1;
	double	   *z = cb_alloc(sizeof(double) * (size_t) n * p);
	double	   *zy = cb_alloc(sizeof(double) * n);
	double	   *grad = cb_alloc(sizeof(double) * np);
	double	   *m = cb_alloc(sizeof(double) * np);
	double	   *v = cb_alloc(sizeof(double) * np);
	double	   *act = cb_alloc(sizeof(double) * h);
	double	   *params = net->w1;	/* w1, b1, w2 and b2 are contiguous */
	double		rss = 0.0;
	CbRng		rng;

	standardise(net, x, y, n);
	for (int64_t i = 0; i < n; i++)
	{
		for (int j = 0; j < p; j++)
			z[i * p + j] = (x[i * p + j] - net->xm[j]) / net->xs[j];
		zy[i] = (y[i] - net->ym) / net->ys;
	}
	/* He initialisation for the ReLU layer, small positive biases against dead units */
	cb_rng_seed(&rng, seed, 0);
	for (size_t i = 0; i < (size_t) h * p; i++)
		net->w1[i] = normal(&rng) * sqrt(2.0 / p);
	for (int k = 0; k < h; k++)
	{
		net->b1[k] = 0.01;
		net->w2[k] = normal(&rng) * sqrt(1.0 / h);
	}
	net->b2 = 0.0;
	net->w2[h] = 0.0;

	for (int32_t e = 1; e <= epochs; e++)
	{
		cb_check_interrupts();	/* one epoch is a pass over all rows */
		memset(grad, 0, sizeof(double) * np);
		for (int64_t i = 0; i < n; i++)
		{
			double		err = forward(net, z + i * p, act) - zy[i];
			double		d = 2.0 * err / n;

			for (int k = 0; k < h; k++)
			{
				grad[(size_t) h * p + h + k] += d * act[k];
				if (act[k] > 0)
				{
					double		dk = d * net->w2[k];

					grad[(size_t) h * p + k] += dk;
					for (int j = 0; j < p; j++)
						grad[(size_t) k * p + j] += dk * z[i * p + j];
				}
			}
			grad[np - 1] += d;
		}
		net->w2[h] = net->b2;
		adam(params, grad, m, v, np, learning_rate, e);
		net->b2 = net->w2[h];
	}
	for (int64_t i = 0; i < n; i++)
	{
		/* in the output's units; standardised for outputs so large that squares overflow */
		double		err = (forward(net, z + i * p, act) - zy[i]) * (net->ys > 1e150 ? 1.0 : net->ys);

		rss += err * err;
	}
	if (net->ys > 1e150)
		return 1.0 - rss / n;
	cb_free(z);
	cb_free(zy);
	cb_free(grad);
	cb_free(m);
	cb_free(v);
	cb_free(act);
	/* TSS = n ys^2 (ys with divisor n) */
	return 1.0 - rss / (n * net->ys * net->ys);
}

double
cb_bp_predict(const CbBpNet *net, const double *x)
{
	double		out = net->b2;

	for (int k = 0; k < net->h; k++)
	{
		double		a = net->b1[k];

		for (int j = 0; j < net->p; j++)
			a += net->w1[k * net->p + j] * (x[j] - net->xm[j]) / net->xs[j];
		out += net->w2[k] * (a > 0 ? a : 0.0);
	}
	return net->ym + net->ys * out;
}
