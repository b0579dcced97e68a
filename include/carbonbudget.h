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

/* Result of a statistic that is undefined for this data (e.g. islands): SQL NULL, never NaN. */
#define CB_FLOAT8_OR_NULL(v, values, nulls, k) \
	do { \
		double cb_v_ = (v); \
		if (isnan(cb_v_) || isinf(cb_v_)) { (nulls)[k] = true; (values)[k] = (Datum) 0; } \
		else { (nulls)[k] = false; (values)[k] = Float8GetDatum(cb_v_); } \
	} while (0)

/* Reads a one-dimensional float8[] without NULLs; returns element count. */
extern int	cb_float8_array(ArrayType *arr, const char *func, const char *arg, double **out);
/* Reads a one-dimensional bigint[]; NULL elements are an error. */
extern int	cb_int8_array(ArrayType *arr, const char *func, const char *arg, int64 **out);

/* Schema of an installed extension (InvalidOid when it is not installed). */
extern Oid	cb_extension_schema(const char *extname);

/* qsort comparator for int64 */
extern int	cb_cmp_int64(const void *a, const void *b);

/* A composite result of the function's declared row type. */
extern Datum cb_form_result(FunctionCallInfo fcinfo, Datum *values, bool *nulls);

/* Set-returning functions: materialize mode on PostgreSQL 13-17. */
extern void cb_init_materialized_srf(FunctionCallInfo fcinfo);

/* A child of the current context for one heavy phase (name: a string literal). */
#define cb_work_context(name) \
	AllocSetContextCreate(CurrentMemoryContext, (name), ALLOCSET_DEFAULT_SIZES)

#endif							/* CARBONBUDGET_H */
