/*
 * inequality.h
 *    Gini coefficients for values that may be negative (SPEC section 5),
 *    PostgreSQL-free.
 */
#ifndef CB_INEQUALITY_H
#define CB_INEQUALITY_H

#include <stdint.h>

typedef enum CbGiniMethod
{
	CB_GINI_RAFFINETTI = 0,		/* Raffinetti, Siletti & Vernizzi (2015) */
	CB_GINI_CHEN,				/* Chen, Tsaur & Rhai (1982), Berrebi & Silber (1985) */
	CB_GINI_AI2017,				/* paper 001 eqs.13-16: deficit Gini + surplus Gini */
	CB_GINI_STANDARD			/* the usual Gini, non-negative values only */
} CbGiniMethod;

/* Method names in enum order, NULL-terminated (for option parsing). */
extern const char *const cb_gini_method_names[];

/*
 * Gini of y (ascending) with weights w (NULL: every weight 1) by method.
 * Returns NaN where the coefficient is undefined: no positive weight, all
 * values zero (raffinetti, standard), a total that is not positive (chen).
 * The standard method's rejection of negative values is the caller's job.
 */
extern double cb_gini_sorted(CbGiniMethod method, int64_t n, const double *y, const double *w);

#endif							/* CB_INEQUALITY_H */
