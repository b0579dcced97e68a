/*
 * module.c
 *    Module magic, the allocation and interrupt hooks of the numeric
 *    kernels, and array helpers shared by every SQL function.
 */
#include "carbonbudget.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"

PG_MODULE_MAGIC;

/*
 * Kernel hooks.  Allocations go to the current memory context and may be
 * larger than 1 GB (weights of a million units); the context is reset on
 * error, so kernels never leak.
 */
void *
cb_alloc(size_t size)
{
	return palloc_extended(size > 0 ? size : 1, MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
}

void *
cb_alloc_uninit(size_t size)
{
	return palloc_extended(size > 0 ? size : 1, MCXT_ALLOC_HUGE);
}

void
cb_free(void *ptr)
{
	if (ptr)
		pfree(ptr);
}

void
cb_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

static void
check_one_dimension(ArrayType *arr, const char *func, const char *arg)
{
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s: %s must be a one-dimensional array", func, arg)));
}

/* Elements of a one-dimensional array of a pass-by-value 8-byte type, none NULL. */
static Datum *
deconstruct_no_nulls(ArrayType *arr, Oid elemtype, const char *func, const char *arg, int *n)
{
	Datum	   *elems;
	bool	   *nulls;

	check_one_dimension(arr, func, arg);
	deconstruct_array(arr, elemtype, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, n);
	for (int i = 0; i < *n; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s: %s must not contain NULL elements", func, arg),
					 errdetail("Element %d is NULL.", i + 1)));
	return elems;
}

int
cb_float8_array(ArrayType *arr, const char *func, const char *arg, double **out)
{
	int			n;
	Datum	   *elems = deconstruct_no_nulls(arr, FLOAT8OID, func, arg, &n);

	*out = palloc(sizeof(double) * (n > 0 ? n : 1));
	for (int i = 0; i < n; i++)
		(*out)[i] = DatumGetFloat8(elems[i]);
	return n;
}

int
cb_int8_array(ArrayType *arr, const char *func, const char *arg, int64 **out)
{
	int			n;
	Datum	   *elems = deconstruct_no_nulls(arr, INT8OID, func, arg, &n);

	*out = palloc(sizeof(int64) * (n > 0 ? n : 1));
	for (int i = 0; i < n; i++)
		(*out)[i] = DatumGetInt64(elems[i]);
	return n;
}

/*
 * Set-returning functions in materialize mode: InitMaterializedSRF from
 * PostgreSQL 15, the equivalent steps before.
 */
void
cb_init_materialized_srf(FunctionCallInfo fcinfo)
{
#if PG_VERSION_NUM >= 150000
	InitMaterializedSRF(fcinfo, 0);
#else
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext old;
	TupleDesc	tupdesc;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("set-valued function called in context that cannot accept a set")));
	old = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = tuplestore_begin_heap(true, false, work_mem);
	rsinfo->setDesc = CreateTupleDescCopy(tupdesc);
	MemoryContextSwitchTo(old);
#endif
}

/*
 * Schema of an installed extension, InvalidOid when it is not installed
 * (get_extension_schema is exported only from PostgreSQL 16).
 */
Oid
cb_extension_schema(const char *extname)
{
	Oid			ext = get_extension_oid(extname, true);
	Oid			nsp = InvalidOid;
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;

	if (!OidIsValid(ext))
		return InvalidOid;
	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(ext));
	scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
		nsp = ((Form_pg_extension) GETSTRUCT(tup))->extnamespace;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return nsp;
}

Oid
cb_arg_type(FunctionCallInfo fcinfo, int argno)
{
	Oid			t = get_fn_expr_argtype(fcinfo->flinfo, argno);
	HeapTuple	tup;

	if (OidIsValid(t))
		return t;
	tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(fcinfo->flinfo->fn_oid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for function %u", fcinfo->flinfo->fn_oid);
	if (argno >= 0 && argno < ((Form_pg_proc) GETSTRUCT(tup))->pronargs)
		t = ((Form_pg_proc) GETSTRUCT(tup))->proargtypes.values[argno];
	ReleaseSysCache(tup);
	if (!OidIsValid(t))
		elog(ERROR, "could not determine the type of argument %d", argno + 1);
	return t;
}

Datum
cb_float8_array_datum(const double *v, int n)
{
	Datum	   *d = palloc(sizeof(Datum) * (n > 0 ? n : 1));
	bool	   *nulls = palloc(sizeof(bool) * (n > 0 ? n : 1));
	int			dims[1] = {n};
	int			lbs[1] = {1};

	/* undefined entries (e.g. t of an exact fit) become NULL elements, never NaN */
	for (int i = 0; i < n; i++)
	{
		nulls[i] = !isfinite(v[i]);
		d[i] = Float8GetDatum(nulls[i] ? 0.0 : v[i]);
	}
	return PointerGetDatum(construct_md_array(d, nulls, 1, dims, lbs, FLOAT8OID, 8,
											  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

Datum
cb_form_result(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
{
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

void
cb_state_invalid(const char *func, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: invalid aggregate state", func),
			 errdetail("%s", detail),
			 errhint("Pass only states made by the transition function of %s.", func)));
	pg_unreachable();
}

double *
cb_state_float8(ArrayType *state, const char *func, int min_len, int max_len, bool all_finite, int *len)
{
	int			n;
	double	   *st;

	if (ARR_ELEMTYPE(state) != FLOAT8OID || ARR_NDIM(state) > 1 || ARR_HASNULL(state))
		cb_state_invalid(func, "The state must be a one-dimensional float8[] without NULLs.");
	n = ARR_NDIM(state) == 0 ? 0 : ARR_DIMS(state)[0];
	if (n < min_len || (max_len >= 0 && n > max_len))
		cb_state_invalid(func, psprintf("The state has %d elements.", n));
	st = n > 0 ? (double *) ARR_DATA_PTR(state) : NULL;
	for (int i = 0; all_finite && i < n; i++)
		if (!isfinite(st[i]))
			cb_state_invalid(func, psprintf("Element %d of the state is not finite.", i + 1));
	if (len)
		*len = n;
	return st;
}

double
cb_state_count(double v, double max, const char *func, const char *field)
{
	if (!(v >= 0 && v <= max && v == floor(v)))
		cb_state_invalid(func, psprintf("The %s of the state is %g.", field, v));
	return v;
}

void
cb_require_aggregate(FunctionCallInfo fcinfo, const char *func, MemoryContext *aggctx)
{
	if (!AggCheckCallContext(fcinfo, aggctx))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s: transition function called outside an aggregate", func),
				 errhint("Call the aggregate %s instead.", func)));
}

int
cb_cmp_int64(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}
