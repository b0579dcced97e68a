/*
 * carbonbudget.h
 *    Shared server-side declarations: error helpers that keep wording the
 *    same in every function, and small argument checks.
 */
#ifndef CARBONBUDGET_H
#define CARBONBUDGET_H

#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/array.h"
#include "utils/memutils.h"

#include "kernels.h"

/*
 * Every value that reaches a statistic must be finite: NaN and infinities
 * are rejected with the argument named and the row identified as
 * "<unit_kind> <unit_number>" (e.g. "row 7" or "id 1203").
 */
static inline void
cb_check_finite(double v, const char *func, const char *arg, const char *unit_kind, int64 unit_number)
{
	if (unlikely(isnan(v) || isinf(v)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must be finite", func, arg),
				 errdetail("%s " INT64_FORMAT " has %s.", unit_kind, unit_number,
						   isnan(v) ? "NaN" : (v > 0 ? "Infinity" : "-Infinity")),
				 errhint("Filter the rows or replace the value before calling %s.", func)));
}

/* The same for one argument of a scalar function. */
static inline void
cb_check_finite_arg(double v, const char *func, const char *arg)
{
	if (unlikely(isnan(v) || isinf(v)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must be finite", func, arg),
				 errdetail("%s is %s.", arg, isnan(v) ? "NaN" : (v > 0 ? "Infinity" : "-Infinity"))));
}

/* A result beyond the float8 range is an error, never a silent Infinity or NaN. */
static inline double
cb_finite_result(double v, const char *func)
{
	if (unlikely(!isfinite(v)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: result is out of the range of double precision", func),
				 errhint("Give the inputs in a larger unit.")));
	return v;
}

/*
 * Running sums of squares of a streaming aggregate overflow for values
 * beyond about 1e154: a clear error, never a silent Infinity or NaN.
 */
static inline void
cb_check_sum_finite(double v, const char *func, const char *arg)
{
	if (unlikely(!isfinite(v)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s: %s is too large in magnitude: its sum of squares overflows", func, arg),
				 errhint("Divide %s by a power of ten before the call and scale the result back.", arg)));
}

/* Result of a statistic that is undefined for this data (e.g. islands): SQL NULL, never NaN. */
#define CB_FLOAT8_OR_NULL(v, values, nulls, k) \
	do { \
		double cb_v_ = (v); \
		if (isnan(cb_v_) || isinf(cb_v_)) { (nulls)[k] = true; (values)[k] = (Datum) 0; } \
		else { (nulls)[k] = false; (values)[k] = Float8GetDatum(cb_v_); } \
	} while (0)

/*
 * Aggregate support functions can be called directly and combined into new
 * aggregates by any role, so a state that SQL hands in is checked before use:
 * a malformed one is an ERROR (22023) naming the aggregate, never a crash.
 */
extern void cb_state_invalid(const char *func, const char *detail) pg_attribute_noreturn();
/*
 * Elements of a float8[] state: one-dimensional, no NULLs, at least min_len
 * elements (max_len < 0: no upper bound), with all_finite every element
 * finite.
 */
extern double *cb_state_float8(ArrayType *state, const char *func, int min_len, int max_len,
							   bool all_finite, int *len);
/* Row counts beyond 2^53 cannot be exact in a float8 state. */
#define CB_STATE_MAX_ROWS 9007199254740992.0
/* A count or small integer field of a state: integral and in [0, max]. */
extern double cb_state_count(double v, double max, const char *func, const char *field);
/* Transition functions that update their state in place refuse a direct call. */
extern void cb_require_aggregate(FunctionCallInfo fcinfo, const char *func, MemoryContext *aggctx);

/* Reads a one-dimensional float8[] without NULLs; returns element count. */
extern int	cb_float8_array(ArrayType *arr, const char *func, const char *arg, double **out);
/* Reads a one-dimensional bigint[]; NULL elements are an error. */
extern int	cb_int8_array(ArrayType *arr, const char *func, const char *arg, int64 **out);

/* Schema of an installed extension (InvalidOid when it is not installed). */
extern Oid	cb_extension_schema(const char *extname);

/*
 * Type of argument argno: from the call expression, else (a caller that gives
 * none, such as Citus calling an aggregate's support functions on a worker)
 * the function's declared argument type.
 */
extern Oid	cb_arg_type(FunctionCallInfo fcinfo, int argno);

/* qsort comparator for int64 */
extern int	cb_cmp_int64(const void *a, const void *b);

/* A float8[] of n values; non-finite (undefined) entries become NULL elements, never NaN. */
extern Datum cb_float8_array_datum(const double *v, int n);

/* A composite result of the function's declared row type. */
extern Datum cb_form_result(FunctionCallInfo fcinfo, Datum *values, bool *nulls);

/* Set-returning functions: materialize mode on PostgreSQL 13-17. */
extern void cb_init_materialized_srf(FunctionCallInfo fcinfo);

/* A child of the current context for one heavy phase (name: a string literal). */
#define cb_work_context(name) \
	AllocSetContextCreate(CurrentMemoryContext, (name), ALLOCSET_DEFAULT_SIZES)

/*
 * Progress reports of long calls (progress.c): a SQL function whose kernels
 * call cb_progress() names itself first, which also starts its clock.
 */
extern bool cb_progress_enabled;
extern void cb_progress_start(const char *routine);

#endif							/* CARBONBUDGET_H */
