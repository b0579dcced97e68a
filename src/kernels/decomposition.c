/*
 * decomposition.c
 *    LMDI-I decomposition of C = prod_k x_k between years (Ang 2005) and
 *    Tapio's decoupling states.  See decomposition.h for the conventions.
 *
 * With one identity (no sub-categories) Ang's formulas reduce to
 *     additive:        dC_k = L(C1, C0) ln(x1_k / x0_k)
 *     multiplicative:  D_k  = exp(dC_k / L(C1, C0)) = x1_k / x0_k
 * and sum_k dC_k = C1 - C0 exactly when C = prod x_k.
 */
#include "kernels.h"
#include "decomposition.h"

#include <math.h>

const char *const cb_tapio_state_names[] = {
	"strong decoupling", "weak decoupling", "expansive coupling", "expansive negative decoupling",
	"strong negative decoupling", "weak negative decoupling", "recessive coupling", "recessive decoupling",
	NULL
};

double
cb_log_mean(double a, double b)
{
	if (a == b)
		return a;
	if (a == 0 || b == 0)
		return 0;
	/* log1p keeps L accurate when a and b are close; a - b cannot overflow for values of one sign */
	return (a - b) / log1p((a - b) / b);
}

/* ln |x|; the signs are checked separately */
static double
log_abs(double x)
{
	return log(fabs(x));
}

/* |C - prod x| / max(|C|, |prod x|), in logarithms so that the product cannot overflow. */
static double
identity_error(int m, double c, const double *x)
{
	double		log_prod = 0;
	bool		negative = false;

	for (int k = 0; k < m; k++)
	{
		if (x[k] == 0)
			return c == 0 ? 0 : 1;
		log_prod += log_abs(x[k]);
		negative ^= x[k] < 0;
	}
	if (c == 0 || (c < 0) != negative)
		return 1;
	/* |C - P| / max(|C|, |P|) = 1 - exp(-|ln|P| - ln|C||) */
	return -expm1(-fabs(log_prod - log_abs(c)));
}

/*
 * Adds the effects of one step from year a to year b to out (additive and
 * log multiplicative).  Returns the factor that changes sign, or -1.
 */
static int
lmdi_step(int m, double c0, double c1, const double *x0, const double *x1, CbLmdi *out)
{
	int			zero0 = 0,
				zero1 = 0;

	for (int k = 0; k < m; k++)
	{
		if ((x0[k] < 0 && x1[k] > 0) || (x0[k] > 0 && x1[k] < 0))
			return k;
		zero0 += x0[k] == 0;
		zero1 += x1[k] == 0;
	}
	if ((c0 < 0 && c1 > 0) || (c0 > 0 && c1 < 0))
		return m;				/* C changes sign though no factor does: not an identity */

	if (c0 == 0 || c1 == 0)
	{
		/*
		 * The small-value limit: only the factors that are (or become) 0
		 * carry the change, in equal parts; the multiplicative form has no
		 * finite ratio.  With C = 0 in both years every effect is 0.
		 */
		out->log_total = NAN;
		for (int k = 0; k < m; k++)
		{
			out->log_factor[k] = NAN;
			if (c0 == 0 && c1 != 0 && x0[k] == 0)
				out->additive[k] += c1 / zero0;
			else if (c1 == 0 && c0 != 0 && x1[k] == 0)
				out->additive[k] -= c0 / zero1;
		}
		return -1;
	}
	{
		double		l = cb_log_mean(c1, c0);

		out->log_total += log_abs(c1) - log_abs(c0);
		for (int k = 0; k < m; k++)
		{
			double		lr = log_abs(x1[k]) - log_abs(x0[k]);

			out->additive[k] += l * lr;
			out->log_factor[k] += lr;
		}
	}
	return -1;
}

CbLmdiStatus
cb_lmdi(int64_t nyears, int m, const double *c, const double *x, bool chain, double tolerance, CbLmdi *out)
{
	double		sum = 0;

	out->delta = c[nyears - 1] - c[0];
	out->log_total = 0;
	out->identity_error = 0;
	out->bad_year = -1;
	out->bad_factor = -1;
	for (int k = 0; k < m; k++)
		out->additive[k] = out->log_factor[k] = 0;

	for (int64_t y = 0; y < nyears; y++)
	{
		double		e;

		if (!chain && y > 0 && y < nyears - 1)
			continue;			/* only the base and the target year enter */
		e = identity_error(m, c[y], x + y * m);
		if (e > out->identity_error)
			out->identity_error = e;
		if (e > tolerance)
		{
			out->bad_year = y;
			return CB_LMDI_NOT_IDENTITY;
		}
	}
	for (int64_t y = 1; y < nyears; y++)
	{
		int64_t		from = chain ? y - 1 : 0;
		int			bad;

		if (!chain && y < nyears - 1)
			continue;
		if ((y & 1023) == 0)
			cb_check_interrupts();	/* a chained decomposition over very many periods */
		bad = lmdi_step(m, c[from], c[y], x + from * m, x + y * m, out);
		if (bad >= 0)
		{
			out->bad_year = y;
			out->bad_factor = bad < m ? bad : -1;
			return CB_LMDI_SIGN_CHANGE;
		}
	}
	for (int k = 0; k < m; k++)
		sum += out->additive[k];
	out->residual = out->delta - sum;
	return CB_LMDI_OK;
}

CbTapioState
cb_tapio(double c0, double c1, double g0, double g1, double *elasticity)
{
	double		dc = c1 - c0;
	double		dg = g1 - g0;
	double		e;

	if (dg == 0)
	{
		*elasticity = NAN;
		return CB_TAPIO_UNDEFINED;
	}
	/*
	 * dC G0 / (dG C0) is exact for decimal data more often than the ratio of
	 * the relative changes, so that e.g. 8% over 10% is 0.8, on the threshold
	 * (the relative changes when the products overflow)
	 */
	e = (dc * g0) / (dg * c0);
	if (!isfinite(e) || e == 0)
		e = (dc / c0) / (dg / g0);
	*elasticity = e;
	if (dg > 0)
	{
		if (dc < 0)
			return CB_TAPIO_STRONG_DECOUPLING;
		if (e < CB_TAPIO_LOW)
			return CB_TAPIO_WEAK_DECOUPLING;
		return e <= CB_TAPIO_HIGH ? CB_TAPIO_EXPANSIVE_COUPLING : CB_TAPIO_EXPANSIVE_NEGATIVE;
	}
	if (dc > 0)
		return CB_TAPIO_STRONG_NEGATIVE;
	if (e < CB_TAPIO_LOW)
		return CB_TAPIO_WEAK_NEGATIVE;
	return e <= CB_TAPIO_HIGH ? CB_TAPIO_RECESSIVE_COUPLING : CB_TAPIO_RECESSIVE_DECOUPLING;
}
