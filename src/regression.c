/*
 * regression.c
 *    Moment-state aggregates shared by the regression models.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"

#include "carbonbudget.h"
#include "regression.h"

PG_FUNCTION_INFO_V1(cb_mom_combine);

static ArrayType *
new_state(MemoryContext ctx, int m)
{
	MemoryContext old = MemoryContextSwitchTo(ctx);
	size_t		len = cb_mom_size(m);
	Datum	   *zeros = palloc0(sizeof(Datum) * len);
	ArrayType  *arr;

	for (size_t i = 0; i < len; i++)
		zeros[i] = Float8GetDatum(0.0);
	arr = construct_array(zeros, (int) len, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	MemoryContextSwitchTo(old);
	return arr;
}

/* The state's elements, or NULL for the initial empty array. */
static double *
state_values(ArrayType *state, const char *func)
{
	int			len;
	double	   *st;

	if (ARR_NDIM(state) == 0)
		return NULL;
	if (ARR_NDIM(state) != 1 || ARR_HASNULL(state) || ARR_ELEMTYPE(state) != FLOAT8OID)
		elog(ERROR, "%s: malformed aggregate state, please report a bug", func);
	len = ARR_DIMS(state)[0];
	st = (double *) ARR_DATA_PTR(state);
	if (len < CB_MOM_HEADER || (st[CB_MOM_M] > 0 && (size_t) len != cb_mom_size((int) st[CB_MOM_M])))
		elog(ERROR, "%s: malformed aggregate state, please report a bug", func);
	return st;
}

double *
cb_mom_state(ArrayType *state, const char *func)
{
	double	   *st = state_values(state, func);

	if (st == NULL || st[CB_MOM_M] == 0 || st[CB_MOM_N] == 0)
		return NULL;
	return st;
}

static void
check_row_value(double v, const CbMomNames *names, const char *arg, int index, int64 row)
{
	if (!isfinite(v))
		cb_check_finite(v, names->func, index > 0 ? psprintf("%s[%d]", arg, index) : arg, "row", row);
	if (names->logs && v <= 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must be positive", names->func,
						index > 0 ? psprintf("%s[%d]", arg, index) : arg),
				 errdetail("Row " INT64_FORMAT " has %g.", row, v),
				 errhint("%s takes natural logarithms itself: pass raw values, not logs.", names->func)));
}

static void
check_same_length(int m_state, int p, const CbMomNames *names)
{
	if (p + 1 != m_state)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s: %s must have the same length in every row", names->func, names->x),
				 errdetail("A row has %d elements, earlier rows had %d.", p, m_state - 1)));
}

Datum
cb_mom_transition(FunctionCallInfo fcinfo, const CbMomNames *names,
				  CbMomOptionParser parse_options)
{
	MemoryContext aggctx;
	ArrayType  *state;
	double	   *st;
	double	   *x;
	double	   *z;
	int			p;
	int64		row;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "%s called in non-aggregate context", names->func);
	state = PG_GETARG_ARRAYTYPE_P(0);
	st = state_values(state, names->func);
	if (st == NULL)
	{
		state = new_state(aggctx, 0);
		st = (double *) ARR_DATA_PTR(state);
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		st[CB_MOM_SKIPPED] += 1;
		PG_RETURN_ARRAYTYPE_P(state);
	}
	p = cb_float8_array(PG_GETARG_ARRAYTYPE_P(2), names->func, names->x, &x);
	if (p == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must have at least one element", names->func, names->x)));
	if (st[CB_MOM_M] == 0)
	{
		/* first row: size the state and fix the options */
		ArrayType  *sized = new_state(aggctx, p + 1);
		double	   *ns = (double *) ARR_DATA_PTR(sized);

		ns[CB_MOM_SKIPPED] = st[CB_MOM_SKIPPED];
		ns[CB_MOM_M] = p + 1;
		if (parse_options)
			parse_options(PG_NARGS() > 3 && !PG_ARGISNULL(3) ?
						  text_to_cstring(PG_GETARG_TEXT_PP(3)) : "", ns + CB_MOM_OPT);
		state = sized;
		st = ns;
	}
	check_same_length((int) st[CB_MOM_M], p, names);
	row = (int64) (st[CB_MOM_N] + st[CB_MOM_SKIPPED]) + 1;
	z = palloc(sizeof(double) * (p + 1));
	z[0] = PG_GETARG_FLOAT8(1);
	check_row_value(z[0], names, names->y, 0, row);
	for (int j = 0; j < p; j++)
	{
		check_row_value(x[j], names, names->x, j + 1, row);
		z[j + 1] = x[j];
	}
	if (names->logs)
		for (int j = 0; j <= p; j++)
			z[j] = log(z[j]);
	cb_mom_add(st, z);
	PG_RETURN_ARRAYTYPE_P(state);
}

/* Combine function of every moment-state aggregate. */
Datum
cb_mom_combine(PG_FUNCTION_ARGS)
{
	const char *func = "regression aggregate";
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *b = PG_GETARG_ARRAYTYPE_P(1);
	double	   *sa = state_values(a, func);
	double	   *sb = state_values(b, func);
	ArrayType  *result;
	double	   *sr;

	if (sa == NULL || sb == NULL)
		PG_RETURN_ARRAYTYPE_P(sa == NULL ? b : a);
	if (sa[CB_MOM_M] == 0 || sb[CB_MOM_M] == 0)
	{
		/* one side saw only skipped rows */
		double	   *full = sa[CB_MOM_M] == 0 ? sb : sa;
		double		skipped = sa[CB_MOM_SKIPPED] + sb[CB_MOM_SKIPPED];

		result = new_state(CurrentMemoryContext, (int) full[CB_MOM_M]);
		sr = (double *) ARR_DATA_PTR(result);
		memcpy(sr, full, sizeof(double) * cb_mom_size((int) full[CB_MOM_M]));
		sr[CB_MOM_SKIPPED] = skipped;
		PG_RETURN_ARRAYTYPE_P(result);
	}
	if (sa[CB_MOM_M] != sb[CB_MOM_M])
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("covariate arrays must have the same length in every row"),
				 errdetail("Rows have %d and %d elements.", (int) sa[CB_MOM_M] - 1, (int) sb[CB_MOM_M] - 1)));
	result = new_state(CurrentMemoryContext, (int) sa[CB_MOM_M]);
	sr = (double *) ARR_DATA_PTR(result);
	if (sa[CB_MOM_N] == 0 || sb[CB_MOM_N] == 0)
	{
		double	   *full = sa[CB_MOM_N] == 0 ? sb : sa;

		memcpy(sr, full, sizeof(double) * cb_mom_size((int) full[CB_MOM_M]));
		sr[CB_MOM_SKIPPED] = sa[CB_MOM_SKIPPED] + sb[CB_MOM_SKIPPED];
	}
	else
		cb_mom_merge(sr, sa, sb);
	PG_RETURN_ARRAYTYPE_P(result);
}

void
cb_mom_check_fit(double *st, const CbMomNames *names)
{
	int			m = (int) st[CB_MOM_M];
	double		n = st[CB_MOM_N];
	double	   *mean = cb_mom_mean(st);
	double	   *c = cb_mom_cross(st);

	if (n <= m)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_RESOURCES),
				 errmsg("%s: needs more rows than parameters", names->func),
				 errdetail("%.0f rows for %d parameters (intercept and %d covariates).", n, m, m - 1),
				 errhint("Use more rows or fewer covariates.")));
	for (int j = 0; j < m; j++)
	{
		double		var = c[j * m + j] / (n - 1);

		/* identical values leave exactly zero; rounding leaves ~1e-16 relative */
		if (var <= 1e-24 * (mean[j] * mean[j] + 1e-300))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s has zero variance", names->func,
							j == 0 ? names->y : psprintf("%s[%d]", names->x, j)),
					 errhint(j == 0 ? "A constant response cannot be explained."
							 : "Drop the constant covariate: the intercept already covers it.")));
	}
}

Datum
cb_float8_array_datum(const double *v, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * (n > 0 ? n : 1));

	for (int i = 0; i < n; i++)
		d[i] = Float8GetDatum(v[i]);
	return PointerGetDatum(construct_array(d, n, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}
