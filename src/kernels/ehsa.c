/*
 * ehsa.c
 *    Emerging hot spot analysis: Gi* over a space-time cube and the
 *    categories of ArcGIS Pro (see ehsa.h; the rules are stated in
 *    docs/spatial.md).
 */
#include "kernels.h"
#include "ehsa.h"

#include <math.h>

const char *const cb_ehsa_category_names[] = {
	"no pattern detected",
	"new hot spot", "consecutive hot spot", "intensifying hot spot", "persistent hot spot",
	"diminishing hot spot", "sporadic hot spot", "oscillating hot spot", "historical hot spot",
	"new cold spot", "consecutive cold spot", "intensifying cold spot", "persistent cold spot",
	"diminishing cold spot", "sporadic cold spot", "oscillating cold spot", "historical cold spot",
	NULL
};

/* Sums of the window of step s: steps first .. last of the cube. */
static void
window_sums(const double *x, int32_t n, int32_t first, int32_t last, double *sx, double *sx2)
{
	cb_value_sums(x + (int64_t) first * n, (int32_t) ((int64_t) (last - first + 1) * n), sx, sx2);
}

void
cb_ehsa_gi(const CbCsr *w, int32_t steps, const double *x, int lags, CbEhsaWindow window, double *z)
{
	int32_t		n = w->n;
	int64_t		maxk = 0;
	int32_t    *col;
	double	   *wt;
	double		cube_sx,
				cube_sx2;

	for (int32_t i = 0; i < n; i++)
		if (w->start[i + 1] - w->start[i] > maxk)
			maxk = w->start[i + 1] - w->start[i];
	col = cb_alloc(sizeof(int32_t) * (size_t) (maxk * (lags + 1) + 1));
	wt = cb_alloc(sizeof(double) * (size_t) (maxk * (lags + 1) + 1));
	window_sums(x, n, 0, steps - 1, &cube_sx, &cube_sx2);

	for (int32_t s = 0; s < steps; s++)
	{
		int32_t		first = s - lags < 0 ? 0 : s - lags;
		double		sx = cube_sx,
					sx2 = cube_sx2;
		int32_t		m = (int32_t) ((int64_t) steps * n);

		cb_check_interrupts();	/* one pass over the units per time step */
		if (window == CB_EHSA_WINDOW_NEIGHBORHOOD)
		{
			window_sums(x, n, first, s, &sx, &sx2);
			m = (s - first + 1) * n;
		}
		else if (window == CB_EHSA_WINDOW_STEP)
		{
			window_sums(x, n, s, s, &sx, &sx2);
			m = n;
		}
		for (int32_t i = 0; i < n; i++)
		{
			int32_t		k = 0;
			double		g,
						e,
						v;

			/* the unit's neighbourhood in this step and the lagged ones, as indices into the cube */
			for (int32_t t = first; t <= s; t++)
				for (int64_t l = w->start[i]; l < w->start[i + 1]; l++)
				{
					col[k] = (int32_t) ((int64_t) t * n + w->col[l]);
					wt[k] = w->w[l];
					k++;
				}
			/*
			 * cb_local_g_unit compares the neighbourhood with the moments of
			 * the m bins of the window given by their sums; its x is the
			 * whole cube, indexed by col
			 */
			cb_local_g_unit(col, wt, k, s * n + i, x, m, sx, sx2, true, &g, &e, &v, &z[(int64_t) s * n + i]);
		}
	}
	cb_free(col);
	cb_free(wt);
}

/* Length of the run of hot (sign > 0) or cold steps that ends at the final step. */
static int32_t
final_run(const int8_t *sig, int32_t steps, int8_t sign)
{
	int32_t		r = 0;

	while (r < steps && sig[steps - 1 - r] == sign)
		r++;
	return r;
}

/*
 * The hot-spot rules for sign = +1 (cold spots: sign = -1, the same rules
 * with hot and cold exchanged).  Returns 0 when none applies.
 */
static int
category_of_sign(const int8_t *sig, int32_t steps, int8_t sign, int trend)
{
	int32_t		same = 0,
				other = 0;
	bool		final = sig[steps - 1] == sign;
	bool		most = false;

	for (int32_t s = 0; s < steps; s++)
	{
		same += sig[s] == sign;
		other += sig[s] == -sign;
	}
	most = same >= 0.9 * steps;
	if (most)
	{
		if (!final)
			return CB_EHSA_HISTORICAL;
		if (trend == sign)
			return CB_EHSA_INTENSIFYING;
		if (trend == -sign)
			return CB_EHSA_DIMINISHING;
		return CB_EHSA_PERSISTENT;
	}
	if (!final)
		return 0;
	if (other > 0)
		return CB_EHSA_OSCILLATING;
	if (same == 1)
		return CB_EHSA_NEW;
	if (same >= 2 && final_run(sig, steps, sign) == same)
		return CB_EHSA_CONSECUTIVE;
	return CB_EHSA_SPORADIC;
}

int
cb_ehsa_category(int32_t steps, const double *z, double alpha, int trend)
{
	int8_t	   *sig = cb_alloc(sizeof(int8_t) * (size_t) (steps > 0 ? steps : 1));
	int			c;

	for (int32_t s = 0; s < steps; s++)
	{
		double		p = isnan(z[s]) ? 1.0 : cb_norm_p(z[s], CB_ALT_TWO_SIDED);

		sig[s] = p < alpha ? (z[s] > 0 ? 1 : -1) : 0;
	}
	c = category_of_sign(sig, steps, 1, trend);
	if (c == 0)
	{
		c = category_of_sign(sig, steps, -1, trend);
		if (c != 0)
			c += CB_EHSA_COLD;
	}
	cb_free(sig);
	return c;
}
