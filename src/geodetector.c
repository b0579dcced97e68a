/*
 * geodetector.c
 *    Geographical detector aggregates (paper 002 eq.3; Wang et al. 2010):
 *    factor detector q with the noncentral F test of Wang, Zhang & Fu 2016,
 *    interaction detector, and discretisation of continuous factors.
 *
 * The aggregate state is a float8[]: [0] rows used, [1] rows skipped,
 * [2] strata rows used, [3] strata rows allocated, then the strata table
 * of drivers.h (CB_GD_WIDTH doubles per stratum, sorted by key).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "carbonbudget.h"
#include "classify.h"
#include "drivers.h"
#include "regression.h"

PG_FUNCTION_INFO_V1(cb_geodetector_step);
PG_FUNCTION_INFO_V1(cb_geodetector_interaction_step);
PG_FUNCTION_INFO_V1(cb_geodetector_combine);
PG_FUNCTION_INFO_V1(cb_geodetector_final);
PG_FUNCTION_INFO_V1(cb_geodetector_interaction_final);
PG_FUNCTION_INFO_V1(cb_geodetector_breaks);
PG_FUNCTION_INFO_V1(cb_geodetector_discretize);

#define GD_HEADER 4
/* strata keys are bigint stored in float8: exact up to 2^53 */
#define GD_MAX_KEY (INT64CONST(1) << 53)
/* the exact natural-breaks programme is O(k n^2) */
#define NATURAL_MAX_N 20000

static ArrayType *
gd_new_state(MemoryContext ctx, const double *header, int64 capacity)
{
	MemoryContext old = MemoryContextSwitchTo(ctx);
	int64		len = GD_HEADER + capacity * CB_GD_WIDTH;
	ArrayType  *arr;
	double	   *st;

	if (len > (int64) (MaxAllocSize / sizeof(double)) - 64)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("geodetector: too many strata")));
	arr = (ArrayType *) palloc0(ARR_OVERHEAD_NONULLS(1) + sizeof(double) * len);
	SET_VARSIZE(arr, ARR_OVERHEAD_NONULLS(1) + sizeof(double) * len);
	arr->ndim = 1;
	arr->dataoffset = 0;
	arr->elemtype = FLOAT8OID;
	ARR_DIMS(arr)[0] = (int) len;
	ARR_LBOUND(arr)[0] = 1;
	st = (double *) ARR_DATA_PTR(arr);
	if (header)
		memcpy(st, header, sizeof(double) * (GD_HEADER + (int64) header[2] * CB_GD_WIDTH));
	st[3] = capacity;
	MemoryContextSwitchTo(old);
	return arr;
}

/*
 * The state's elements, or NULL for the initial empty array.  A state may
 * come from SQL, so its header is checked against its length before use;
 * with rows, also every stratum row and the key order that the merge and
 * the statistics rely on (the transition, called per row, checks only the
 * header: what it reads and writes stays within the counted rows).
 */
static double *
gd_values(ArrayType *state, const char *func, bool rows)
{
	int			len;
	double	   *st = cb_state_float8(state, func, 0, -1, rows, &len);
	double		capacity;
	double		count;

	if (len == 0)
		return NULL;
	if (len < GD_HEADER)
		cb_state_invalid(func, psprintf("The state has %d elements.", len));
	cb_state_count(st[0], CB_STATE_MAX_ROWS, func, "row count");
	cb_state_count(st[1], CB_STATE_MAX_ROWS, func, "skipped row count");
	capacity = cb_state_count(st[3], (len - GD_HEADER) / CB_GD_WIDTH, func, "strata capacity");
	count = cb_state_count(st[2], capacity, func, "strata count");
	if (len != GD_HEADER + (int64) capacity * CB_GD_WIDTH)
		cb_state_invalid(func, psprintf("The state has %d elements for %.0f strata.", len, capacity));
	for (int64 h = 0; rows && h < (int64) count; h++)
	{
		const double *row = st + GD_HEADER + h * CB_GD_WIDTH;

		if (!(row[CB_GD_TAG] >= 1 && row[CB_GD_TAG] <= 3 && row[CB_GD_TAG] == floor(row[CB_GD_TAG]) &&
			  fabs(row[CB_GD_KEY1]) <= GD_MAX_KEY && fabs(row[CB_GD_KEY2]) <= GD_MAX_KEY &&
			  row[CB_GD_KEY1] == floor(row[CB_GD_KEY1]) && row[CB_GD_KEY2] == floor(row[CB_GD_KEY2]) &&
			  row[CB_GD_CNT] >= 1 && row[CB_GD_CNT] <= CB_STATE_MAX_ROWS && row[CB_GD_M2] >= 0))
			cb_state_invalid(func, psprintf("Stratum row " INT64_FORMAT " of the state is out of range.", h + 1));
		if (h > 0 && cb_gd_find(row - CB_GD_WIDTH, 1, row[CB_GD_TAG], row[CB_GD_KEY1], row[CB_GD_KEY2]) != -2)
			cb_state_invalid(func, "The strata of the state are not in key order.");
	}
	return st;
}

/* Adds y to the stratum (tag, key1, key2), inserting it when new; may move the state. */
static ArrayType *
gd_add(ArrayType *state, MemoryContext aggctx, const char *func, double tag, double key1, double key2, double y)
{
	double	   *st = (double *) ARR_DATA_PTR(state);
	int64		count = (int64) st[2];
	int64		at = cb_gd_find(st + GD_HEADER, count, tag, key1, key2);
	double	   *row;

	if (at < 0)
	{
		at = -at - 1;
		if (count == (int64) st[3])
		{
			/* full: double the room */
			state = gd_new_state(aggctx, st, Max(8, 2 * count));
			st = (double *) ARR_DATA_PTR(state);
		}
		row = st + GD_HEADER + at * CB_GD_WIDTH;
		memmove(row + CB_GD_WIDTH, row, sizeof(double) * (count - at) * CB_GD_WIDTH);
		memset(row, 0, sizeof(double) * CB_GD_WIDTH);
		row[CB_GD_TAG] = tag;
		row[CB_GD_KEY1] = key1;
		row[CB_GD_KEY2] = key2;
		st[2] = count + 1;
	}
	cb_gd_add(st + GD_HEADER + at * CB_GD_WIDTH, y);
	cb_check_sum_finite(st[GD_HEADER + at * CB_GD_WIDTH + CB_GD_M2], func, "y");
	return state;
}

static double
gd_key(FunctionCallInfo fcinfo, int argno, const char *arg)
{
	int64		key = PG_GETARG_INT64(argno);

	if (key > GD_MAX_KEY || key < -GD_MAX_KEY)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("geodetector: %s must be between -2^53 and 2^53", arg),
				 errhint("Number the strata densely, e.g. with dense_rank().")));
	return (double) key;
}

/* Shared transition: args (state, y, s1 [, s2]). */
static Datum
gd_transition(FunctionCallInfo fcinfo, bool interaction)
{
	const char *func = interaction ? "geodetector_interaction" : "geodetector";
	MemoryContext aggctx;
	ArrayType  *state;
	double	   *st;
	double		y;

	cb_require_aggregate(fcinfo, func, &aggctx);
	state = PG_GETARG_ARRAYTYPE_P(0);
	if (gd_values(state, func, false) == NULL)
		state = gd_new_state(aggctx, NULL, 8);
	st = (double *) ARR_DATA_PTR(state);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || (interaction && PG_ARGISNULL(3)))
	{
		st[1] += 1;
		PG_RETURN_ARRAYTYPE_P(state);
	}
	y = PG_GETARG_FLOAT8(1);
	cb_check_finite(y, func, "y", "row", (int64) (st[0] + st[1]) + 1);
	st[0] += 1;
	if (!interaction)
		state = gd_add(state, aggctx, func, 1, gd_key(fcinfo, 2, "stratum"), 0, y);
	else
	{
		double		k1 = gd_key(fcinfo, 2, "s1");
		double		k2 = gd_key(fcinfo, 3, "s2");

		state = gd_add(state, aggctx, func, 1, k1, 0, y);
		state = gd_add(state, aggctx, func, 2, k2, 0, y);
		state = gd_add(state, aggctx, func, 3, k1, k2, y);
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

Datum
cb_geodetector_step(PG_FUNCTION_ARGS)
{
	return gd_transition(fcinfo, false);
}

Datum
cb_geodetector_interaction_step(PG_FUNCTION_ARGS)
{
	return gd_transition(fcinfo, true);
}

Datum
cb_geodetector_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *b = PG_GETARG_ARRAYTYPE_P(1);
	double	   *sa = gd_values(a, "geodetector", true);
	double	   *sb = gd_values(b, "geodetector", true);
	ArrayType  *result;
	double	   *sr;

	if (sa == NULL || sb == NULL)
		PG_RETURN_ARRAYTYPE_P(sa == NULL ? b : a);
	result = gd_new_state(CurrentMemoryContext, NULL, Max(1, (int64) (sa[2] + sb[2])));
	sr = (double *) ARR_DATA_PTR(result);
	sr[0] = sa[0] + sb[0];
	sr[1] = sa[1] + sb[1];
	sr[2] = cb_gd_merge(sa + GD_HEADER, (int64) sa[2], sb + GD_HEADER, (int64) sb[2], sr + GD_HEADER);
	for (int64 h = 0; h < (int64) sr[2]; h++)
		cb_check_sum_finite(sr[GD_HEADER + h * CB_GD_WIDTH + CB_GD_M2], "geodetector", "y");
	PG_RETURN_ARRAYTYPE_P(result);
}

/* Factor detector for one tag with the errors of SPEC section 10. */
static void
gd_factor(double *st, double tag, const char *func, CbGdFactor *f)
{
	if (!cb_gd_factor(st + GD_HEADER, (int64) st[2], tag, f))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: y has zero variance", func),
				 errhint("q is undefined when every value is the same.")));
	if (f->n <= f->strata)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: needs more rows than strata", func),
				 errdetail("%.0f rows in " INT64_FORMAT " strata.", f->n, f->strata),
				 errhint("Use fewer, larger strata.")));
}

Datum
cb_geodetector_final(PG_FUNCTION_ARGS)
{
	double	   *st = gd_values(PG_GETARG_ARRAYTYPE_P(0), "geodetector", true);
	CbGdFactor	f;
	Datum		values[6];
	bool		nulls[6] = {false};

	if (st == NULL || st[0] == 0)
		PG_RETURN_NULL();
	gd_factor(st, 1, "geodetector", &f);
	CB_FLOAT8_OR_NULL(f.q, values, nulls, 0);
	/* one stratum: q = 0 and no F test */
	CB_FLOAT8_OR_NULL(f.strata > 1 ? f.f : NAN, values, nulls, 1);
	CB_FLOAT8_OR_NULL(f.p, values, nulls, 2);
	CB_FLOAT8_OR_NULL(f.lambda, values, nulls, 3);
	values[4] = Int32GetDatum((int32) f.strata);
	values[5] = Int64GetDatum((int64) f.n);
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}

/* The five interaction types of Wang et al. 2010 (GD package wording in the docs). */
static const char *
interaction_type(double q1, double q2, double q12)
{
	double		lo = Min(q1, q2);
	double		hi = Max(q1, q2);
	double		tol = 1e-10;

	if (fabs(q12 - (q1 + q2)) <= tol)
		return "independent";
	if (q12 < lo - tol)
		return "nonlinear weaken";
	if (q12 <= hi + tol)
		return "univariate weaken";
	if (q12 < q1 + q2)
		return "bivariate enhance";
	return "nonlinear enhance";
}

Datum
cb_geodetector_interaction_final(PG_FUNCTION_ARGS)
{
	const char *func = "geodetector_interaction";
	double	   *st = gd_values(PG_GETARG_ARRAYTYPE_P(0), func, true);
	CbGdFactor	f1, f2, f12;
	Datum		values[4];
	bool		nulls[4] = {false};

	if (st == NULL || st[0] == 0)
		PG_RETURN_NULL();
	gd_factor(st, 1, func, &f1);
	gd_factor(st, 2, func, &f2);
	gd_factor(st, 3, func, &f12);
	values[0] = Float8GetDatum(f1.q);
	values[1] = Float8GetDatum(f2.q);
	values[2] = Float8GetDatum(f12.q);
	values[3] = CStringGetTextDatum(interaction_type(f1.q, f2.q, f12.q));
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}

/* ---------------- discretisation ---------------- */

static int
parse_method(const char *func, text *method)
{
	char	   *m = text_to_cstring(method);

	if (pg_strcasecmp(m, "equal") == 0)
		return 0;
	if (pg_strcasecmp(m, "quantile") == 0)
		return 1;
	if (pg_strcasecmp(m, "natural") == 0)
		return 2;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: unknown method \"%s\"", func, m),
			 errhint("Use equal, quantile or natural.")));
	return -1;
}

/* Finite values of arr, sorted into *sorted (also returned unsorted in *raw). */
static int64
read_values(ArrayType *arr, const char *func, const char *arg, double **raw, double **sorted)
{
	int			n = cb_float8_array(arr, func, arg, raw);

	for (int i = 0; i < n; i++)
		cb_check_finite((*raw)[i], func, arg, "element", i + 1);
	*sorted = palloc(sizeof(double) * (n > 0 ? n : 1));
	memcpy(*sorted, *raw, sizeof(double) * n);
	qsort(*sorted, n, sizeof(double), cb_cmp_double);
	return n;
}

static void
check_classes(const char *func, int method, int64 n, int k)
{
	if (k < 2 || k > n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: classes must be between 2 and the number of values (" INT64_FORMAT ")", func, n)));
	if (method == 2 && n > NATURAL_MAX_N)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: natural breaks are limited to %d values", func, NATURAL_MAX_N),
				 errhint("Use method quantile, or natural breaks on a sample.")));
}

/*
 * Interior thresholds t[0..k-1): equal intervals and quantiles are the
 * classification breaks (classInt) without their two end points.
 */
static void
compute_breaks(int method, const double *sorted, int64 n, int k, double *t)
{
	double	   *brks;

	if (method == 2)
	{
		cb_breaks_natural(sorted, n, k, t);
		return;
	}
	brks = palloc(sizeof(double) * (k + 1));
	if (method == 0)
		cb_equal_breaks(sorted, (int) n, k, brks);
	else
		cb_quantile_breaks(sorted, (int) n, k, brks);
	memcpy(t, brks + 1, sizeof(double) * (k - 1));
	pfree(brks);
}

/* geodetector_breaks(x float8[], method text, classes int) -> interior thresholds */
Datum
cb_geodetector_breaks(PG_FUNCTION_ARGS)
{
	const char *func = "geodetector_breaks";
	double	   *raw, *sorted, *t;
	int64		n = read_values(PG_GETARG_ARRAYTYPE_P(0), func, "x", &raw, &sorted);
	int			method = parse_method(func, PG_GETARG_TEXT_PP(1));
	int			k = PG_GETARG_INT32(2);

	check_classes(func, method, n, k);
	t = palloc(sizeof(double) * k);
	compute_breaks(method, sorted, n, k, t);
	PG_RETURN_DATUM(cb_float8_array_datum(t, k - 1));
}

/* geodetector_discretize(y, x, method, min_classes, max_classes) -> (classes, breaks, q) */
Datum
cb_geodetector_discretize(PG_FUNCTION_ARGS)
{
	const char *func = "geodetector_discretize";
	double	   *y, *ysorted, *x, *sorted, *t, *best_t;
	int64		ny = read_values(PG_GETARG_ARRAYTYPE_P(0), func, "y", &y, &ysorted);
	int64		n = read_values(PG_GETARG_ARRAYTYPE_P(1), func, "x", &x, &sorted);
	int			method = parse_method(func, PG_GETARG_TEXT_PP(2));
	int			kmin = PG_GETARG_INT32(3);
	int			kmax = PG_GETARG_INT32(4);
	int			best_k = 0;
	double		best_q = -1.0,
				unit;
	Datum		values[3];
	bool		nulls[3] = {false};

	if (ny != n)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s: y and x must have the same length", func),
				 errdetail("y has " INT64_FORMAT " and x " INT64_FORMAT " elements.", ny, n)));
	if (kmax < kmin)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: max_classes must be at least min_classes", func)));
	check_classes(func, method, n, kmin);
	check_classes(func, method, n, kmax);
	if (ysorted[0] == ysorted[n - 1])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: y has zero variance", func)));
	/* q does not depend on the unit of y: a power-of-two unit keeps its variances finite */
	unit = cb_pow2_unit(n, y);
	for (int64 i = 0; i < n; i++)
		y[i] /= unit;
	t = palloc(sizeof(double) * kmax);
	best_t = palloc(sizeof(double) * kmax);
	for (int k = kmin; k <= kmax; k++)
	{
		double		q;

		CHECK_FOR_INTERRUPTS();	/* natural breaks per class count */
		compute_breaks(method, sorted, n, k, t);
		q = cb_gd_q_of_breaks(y, x, n, t, k);
		/* strictly larger: ties keep the fewer classes */
		if (q > best_q + 1e-12)
		{
			best_q = q;
			best_k = k;
			memcpy(best_t, t, sizeof(double) * (k - 1));
		}
	}
	if (best_k == 0)
		elog(ERROR, "%s: no class count gave a q, please report a bug", func);
	values[0] = Int32GetDatum(best_k);
	values[1] = cb_float8_array_datum(best_t, best_k - 1);
	values[2] = Float8GetDatum(best_q);
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}
