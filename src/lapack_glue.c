/*
 * lapack_glue.c
 *    LAPACK calls, condition checks and LAPACK info -> ereport.
 */
#include "postgres.h"

#include <math.h>
#include <lapacke.h>

#include "lapack_glue.h"

/* OpenBLAS, when it is the installed BLAS, would start one thread per core. */
extern void openblas_set_num_threads(int) __attribute__((weak));

static void
pin_blas_threads(void)
{
	static bool pinned = false;

	if (!pinned)
	{
		if (openblas_set_num_threads)
			openblas_set_num_threads(1);
		pinned = true;
	}
}

static void
lapack_bug(const char *routine, lapack_int info)
{
	elog(ERROR, "LAPACK %s rejected argument %d, please report a bug", routine, (int) -info);
}

/* Column whose diagonal in the inverse is largest: the most collinear one. */
static int
most_collinear_column(int n, const double *inv)
{
	int			worst = 0;

	for (int j = 1; j < n; j++)
		if (inv[j * n + j] > inv[worst * n + worst])
			worst = j;
	return worst;
}

static void
raise_collinear(const char *func, const char *arg, int column)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: %s[%d] is collinear with other covariates", func, arg, column + 1),
			 errdetail("The cross-product matrix of the covariates is singular."),
			 errhint("Drop %s[%d] or a covariate it depends on, or use ridge regression (stirpat_ridge).",
					 arg, column + 1)));
}

int
cb_lapack_spd_inverse(int n, double *a, double rcond_min,
					  const char *func, const char *arg, bool raise_error)
{
	lapack_int	info;
	double		anorm = 0.0;
	double		rcond = 0.0;
	int			bad;

	pin_blas_threads();
	/* 1-norm of the symmetric matrix, for the condition estimate */
	for (int j = 0; j < n; j++)
	{
		double		col = 0.0;

		for (int i = 0; i < n; i++)
			col += fabs(a[i * n + j]);
		anorm = Max(anorm, col);
	}
	info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'U', n, a, n);
	if (info < 0)
		lapack_bug("dpotrf", info);
	if (info > 0)
	{
		bad = (int) info - 1;
		goto singular;
	}
	info = LAPACKE_dpocon(LAPACK_ROW_MAJOR, 'U', n, a, n, anorm, &rcond);
	if (info < 0)
		lapack_bug("dpocon", info);
	info = LAPACKE_dpotri(LAPACK_ROW_MAJOR, 'U', n, a, n);
	if (info < 0)
		lapack_bug("dpotri", info);
	if (info > 0)
	{
		bad = (int) info - 1;
		goto singular;
	}
	/* dpotri fills the upper triangle only */
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++)
			a[i * n + j] = a[j * n + i];
	if (rcond < rcond_min)
	{
		bad = most_collinear_column(n, a);
		goto singular;
	}
	return -1;

singular:
	if (raise_error)
		raise_collinear(func, arg, bad);
	return bad;
}
