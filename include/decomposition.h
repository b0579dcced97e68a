/*
 * decomposition.h
 *    Index decomposition and decoupling of emissions (SPEC section 14),
 *    PostgreSQL-free: LMDI-I of an identity C = prod_k x_k (Ang 2005) and
 *    Tapio's (2005) decoupling elasticity and states.
 */
#ifndef CB_DECOMPOSITION_H
#define CB_DECOMPOSITION_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Logarithmic mean of two values of the same sign (Ang 2005):
 * L(a, b) = (a - b) / ln(a / b), L(a, a) = a; 0 when either is 0.
 */
extern double cb_log_mean(double a, double b);

/* Decomposition of C between the first and the last of nyears years. */
typedef struct CbLmdi
{
	double		delta;			/* C_last - C_first */
	double	   *additive;		/* m additive effects, sum ~ delta (caller's array) */
	double		log_total;		/* ln(C_last / C_first); NaN when either is 0 */
	double	   *log_factor;		/* m ln D_k of the multiplicative form; NaN when C is 0 (caller's array) */
	double		residual;		/* delta - sum of the additive effects */
	double		identity_error; /* largest |C - prod x| / max(|C|, |prod x|) over the years */
	int64_t		bad_year;		/* on failure: index of the year where the problem is */
	int			bad_factor;		/* on failure: the factor that changes sign, or -1 */
} CbLmdi;

typedef enum CbLmdiStatus
{
	CB_LMDI_OK = 0,
	CB_LMDI_SIGN_CHANGE,		/* a factor (or C) is positive in one year, negative in the next */
	CB_LMDI_NOT_IDENTITY		/* C and the product of the factors disagree beyond tolerance */
} CbLmdiStatus;

/*
 * LMDI-I over the years 0 .. nyears-1 (nyears >= 2), C in c[], factor k of
 * year y in x[y * m + k].  chain: the effects of each pair of consecutive
 * years, summed (multiplicative factors multiplied); otherwise the first
 * and the last year only.  Zeros follow the small-value strategy of Ang
 * (2005), a zero replaced by delta -> 0 with the sign of the other year's
 * value, evaluated at its limit (Ang & Liu 2007): when C goes from 0 to
 * C1 the factors that were 0 share C1 equally, when it goes to 0 the
 * factors that become 0 share -C0, and when C is 0 in both years every
 * effect is 0.  Negative values are taken as they come when a factor keeps
 * its sign (the logarithmic mean of two negatives is negative); a sign
 * change has no logarithm and fails.  tolerance bounds identity_error.
 */
extern CbLmdiStatus cb_lmdi(int64_t nyears, int m, const double *c, const double *x, bool chain,
							double tolerance, CbLmdi *out);

/* Tapio's (2005) decoupling states, by the signs of the changes and the elasticity. */
typedef enum CbTapioState
{
	CB_TAPIO_STRONG_DECOUPLING = 0,		/* GDP up, C down */
	CB_TAPIO_WEAK_DECOUPLING,			/* GDP up, C up or level, e < 0.8 */
	CB_TAPIO_EXPANSIVE_COUPLING,		/* GDP up, C up, 0.8 <= e <= 1.2 */
	CB_TAPIO_EXPANSIVE_NEGATIVE,		/* GDP up, C up, e > 1.2 */
	CB_TAPIO_STRONG_NEGATIVE,			/* GDP down, C up */
	CB_TAPIO_WEAK_NEGATIVE,				/* GDP down, C down or level, e < 0.8 */
	CB_TAPIO_RECESSIVE_COUPLING,		/* GDP down, C down, 0.8 <= e <= 1.2 */
	CB_TAPIO_RECESSIVE_DECOUPLING,		/* GDP down, C down, e > 1.2 */
	CB_TAPIO_UNDEFINED					/* GDP unchanged: no elasticity */
} CbTapioState;

extern const char *const cb_tapio_state_names[];

/* Thresholds of the elasticity between decoupling, coupling and negative decoupling. */
#define CB_TAPIO_LOW	0.8
#define CB_TAPIO_HIGH	1.2

/*
 * e = (dC / C0) / (dG / G0) for C0, G0 > 0; *elasticity is NaN (and the
 * state undefined) when dG = 0.
 */
extern CbTapioState cb_tapio(double c0, double c1, double g0, double g1, double *elasticity);

#endif							/* CB_DECOMPOSITION_H */
