/*
 * regression.h
 *    Server-side glue shared by the regression aggregates (stirpat_ridge,
 *    ols_fit, ols_stepwise): the float8[] moment state of drivers.h.
 */
#ifndef CB_REGRESSION_H
#define CB_REGRESSION_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/array.h"

#include "drivers.h"

/* Reads the aggregate's options on its first row into opt[0..2]. */
typedef void (*CbMomOptionParser) (const char *options, double *opt);

/* Names used in messages for one aggregate. */
typedef struct CbMomNames
{
	const char *func;			/* SQL function name */
	const char *y;				/* response argument */
	const char *x;				/* covariate array argument */
	bool		logs;			/* take natural logarithms (values must be positive) */
} CbMomNames;

/*
 * Transition: args (state, y, x float8[] [, options text]).  Rows with a NULL
 * y or x are skipped and counted; NULL elements, NaN, Infinity and arrays
 * whose length changes between rows are errors.
 */
extern Datum cb_mom_transition(FunctionCallInfo fcinfo, const CbMomNames *names,
							   CbMomOptionParser parse_options);

/* The state as a C array (NULL when no row was used); checks its shape. */
extern double *cb_mom_state(ArrayType *state, const char *func);

/*
 * Checks that the fit is defined: more rows than parameters, the response
 * and every covariate with non-zero variance.  p covariates.
 */
extern void cb_mom_check_fit(double *st, const CbMomNames *names);


#endif							/* CB_REGRESSION_H */
