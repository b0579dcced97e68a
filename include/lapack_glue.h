/*
 * lapack_glue.h
 *    The one place where carbonbudget calls LAPACK (through LAPACKE).
 *
 * Integers are LP64 (32-bit lapack_int), the Debian liblapacke default.
 * LAPACK's info is translated here: info < 0 is a bug in the caller
 * (elog), info > 0 is a property of the data (a singular or not positive
 * definite matrix) and becomes a user error that names the function and
 * the argument, with a hint.  BLAS is pinned to one thread per backend.
 */
#ifndef CB_LAPACK_GLUE_H
#define CB_LAPACK_GLUE_H

#include "postgres.h"

/*
 * Inverts the symmetric positive definite n x n matrix a (row-major, full
 * storage) in place.  On a singular matrix: returns the 0-based index of the
 * first column that depends on the earlier ones when raise_error is false,
 * otherwise raises "<func>: <arg>[i] is collinear with other covariates".
 * Returns -1 on success.  rcond_min rejects numerically singular matrices
 * (reciprocal 1-norm condition number below it).
 */
extern int	cb_lapack_spd_inverse(int n, double *a, double rcond_min,
								  const char *func, const char *arg, bool raise_error);

#endif							/* CB_LAPACK_GLUE_H */
