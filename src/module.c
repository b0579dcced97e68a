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
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
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

Datum
cb_form_result(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
{
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

int
cb_cmp_int64(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}
