/*
 * inequality.c
 *    The gini_signed aggregate (SPEC section 5): Gini coefficients for
 *    values that may be negative, unweighted or weighted.
 *
 * The state is the collected (value, weight) pairs (series.h): a Gini
 * needs the whole sorted set, but partial states merge by concatenation,
 * so the aggregate runs in parallel plans.
 */
#include "carbonbudget.h"

#include "utils/builtins.h"

#include "inequality.h"
#include "series.h"

static const char *const func_name = "gini_signed";

static CbGiniMethod
parse_method(text *method)
{
	char	   *name = text_to_cstring(method);

	for (int i = 0; cb_gini_method_names[i]; i++)
		if (pg_strcasecmp(name, cb_gini_method_names[i]) == 0)
			return (CbGiniMethod) i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: unknown method \"%s\"", func_name, name),
			 errhint("Use raffinetti, chen, ai2017 or standard.")));
	return CB_GINI_RAFFINETTI;	/* keep compiler quiet */
}

/* Arguments: state, value [, method [, weight]]. */
PG_FUNCTION_INFO_V1(cb_gini_signed_step);
Datum
cb_gini_signed_step(PG_FUNCTION_ARGS)
{
	CbSeries   *s = cb_series_state(fcinfo, func_name);
	int			nargs = PG_NARGS();
	CbGiniMethod method = CB_GINI_RAFFINETTI;
	double		value,
				weight = 1.0;

	if (nargs > 2)
	{
		if (PG_ARGISNULL(2))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: method must not be NULL", func_name)));
		method = parse_method(PG_GETARG_TEXT_PP(2));
	}
	if (s->setting < 0)
		s->setting = (int32) method;
	else if (s->setting != (int32) method)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: method must be the same in every row", func_name)));

	if (PG_ARGISNULL(1) || (nargs > 3 && PG_ARGISNULL(3)))
	{
		s->skipped++;			/* NULL value or weight: the row is left out */
		PG_RETURN_POINTER(s);
	}
	value = PG_GETARG_FLOAT8(1);
	cb_check_finite(value, func_name, "value", "row", s->n + s->skipped + 1);
	if (method == CB_GINI_STANDARD && value < 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: method standard needs non-negative values, got %g", func_name, value),
				 errhint("Use method raffinetti, chen or ai2017 for values that may be negative.")));
	if (nargs > 3)
	{
		weight = PG_GETARG_FLOAT8(3);
		cb_check_finite(weight, func_name, "weight", "row", s->n + s->skipped + 1);
		if (weight < 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: weight must not be negative, got %g", func_name, weight)));
	}
	cb_series_add(s, value, weight);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(cb_gini_signed_final);
Datum
cb_gini_signed_final(PG_FUNCTION_ARGS)
{
	CbSeries   *s;
	CbSeries	sorted;
	double		g,
				value_unit,
				weight_unit;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();		/* no rows */
	s = (CbSeries *) PG_GETARG_POINTER(0);
	if (s->n == 0)
		PG_RETURN_NULL();		/* only NULL values */
	/*
	 * Every Gini here is scale-invariant in the values and in the weights:
	 * power-of-two units (exact) keep their sums finite near the float8 limit
	 */
	value_unit = cb_pow2_unit(s->n, s->a);
	weight_unit = cb_pow2_unit(s->n, s->b);
	if (s->setting == CB_GINI_STANDARD)
	{
		double		total = 0.0,
					weights = 0.0;

		for (int64 i = 0; i < s->n; i++)
		{
			total += (s->a[i] / value_unit) * (s->b[i] / weight_unit);
			weights += s->b[i] / weight_unit;
		}
		if (weights > 0.0 && !(total > 0.0))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s: method standard needs a positive mean, got %g", func_name,
							total / weights * value_unit),
					 errhint("Use method raffinetti, chen or ai2017 for values that may be zero or negative.")));
	}
	/* sort a copy: the state may still grow when the aggregate runs as a window */
	sorted = *s;
	sorted.a = palloc_extended(sizeof(double) * s->n, MCXT_ALLOC_HUGE);
	sorted.b = palloc_extended(sizeof(double) * s->n, MCXT_ALLOC_HUGE);
	for (int64 i = 0; i < s->n; i++)
	{
		sorted.a[i] = s->a[i] / value_unit;
		sorted.b[i] = s->b[i] / weight_unit;
	}
	cb_series_sort(&sorted);
	g = cb_gini_sorted((CbGiniMethod) s->setting, sorted.n, sorted.a, sorted.b);
	pfree(sorted.a);
	pfree(sorted.b);
	if (isnan(g))
		PG_RETURN_NULL();		/* undefined for these values, e.g. all zero */
	PG_RETURN_FLOAT8(g);
}
