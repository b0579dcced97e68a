/*
 * version.c
 *    carbonbudget_version(): the version compiled into the library, checked
 *    against the installed SQL objects; carbonbudget_full_version(): that
 *    and the versions of PostgreSQL, PostGIS, GEOS, LAPACK and the BLAS the
 *    server process runs with, in the style of PostGIS_Full_Version().
 */
#include "carbonbudget.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <geos_c.h>
#include <lapacke.h>

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"
#include "nodes/value.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

/* The control file's default_version, passed by the Makefile. */
#ifndef CB_EXTVERSION
#error "CB_EXTVERSION must be defined (the Makefile passes the control file's default_version)"
#endif

PG_FUNCTION_INFO_V1(cb_version);
PG_FUNCTION_INFO_V1(cb_full_version);

/* Version (extversion) and schema of an installed extension; false when it is not installed. */
static bool
extension_info(const char *name, char **version, Oid *schema)
{
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tuple;
	bool		found = false;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ,
				CStringGetDatum(name));
	scan = systable_beginscan(rel, ExtensionNameIndexId, true, NULL, 1, &key);
	tuple = systable_getnext(scan);
	if (HeapTupleIsValid(tuple))
	{
		bool		isnull;
		Datum		v = heap_getattr(tuple, Anum_pg_extension_extversion, RelationGetDescr(rel), &isnull);

		*version = isnull ? NULL : TextDatumGetCString(v);
		*schema = ((Form_pg_extension) GETSTRUCT(tuple))->extnamespace;
		found = true;
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return found;
}

/* The installed SQL version of carbonbudget when it differs from the library's, else NULL. */
static char *
sql_version_mismatch(void)
{
	char	   *version = NULL;
	Oid			schema;

	if (extension_info("carbonbudget", &version, &schema) && version != NULL &&
		strcmp(version, CB_EXTVERSION) != 0)
		return version;
	return NULL;
}

Datum
cb_version(PG_FUNCTION_ARGS)
{
	char	   *sql = sql_version_mismatch();

	if (sql != NULL)
		ereport(WARNING,
				(errmsg("carbonbudget library version %s does not match the installed SQL version %s",
						CB_EXTVERSION, sql),
				 errhint("Run ALTER EXTENSION carbonbudget UPDATE, or install the library of version %s.", sql)));
	PG_RETURN_TEXT_P(cstring_to_text(CB_EXTVERSION));
}

/* postgis_lib_version() of the schema PostGIS is installed in, or a reason why there is none. */
static char *
postgis_version(void)
{
	char	   *sql_version = NULL;
	Oid			schema;
	char	   *schema_name;
	Oid			fn;
	char	   *lib;

	if (!extension_info("postgis", &sql_version, &schema))
		return pstrdup("not installed");
	schema_name = get_namespace_name(schema);
	if (schema_name == NULL)
		return pstrdup("schema not found");
	fn = LookupFuncName(list_make2(makeString(schema_name), makeString(pstrdup("postgis_lib_version"))),
						0, NULL, true);
	if (!OidIsValid(fn))
		return psprintf("%s (postgis_lib_version() not found)", sql_version ? sql_version : "?");
	lib = TextDatumGetCString(OidFunctionCall0(fn));
	/* PostGIS's own SQL objects may lag behind its library, as ours may */
	if (sql_version != NULL && strncmp(lib, sql_version, strlen(sql_version)) != 0)
		return psprintf("%s (SQL %s)", lib, sql_version);
	return lib;
}

/*
 * The BLAS that answers dgemm_ in this process.  OpenBLAS and BLIS say who
 * they are; otherwise the library file is named, and called the reference
 * BLAS when it is Debian's (the netlib libblas3 package, .../blas/libblas.so.3).
 */
static char *
blas_version(void)
{
	const char *(*openblas_config) (void) = (const char *(*) (void)) dlsym(RTLD_DEFAULT, "openblas_get_config");
	const char *(*blis_version) (void) = (const char *(*) (void)) dlsym(RTLD_DEFAULT, "bli_info_get_version_str");
	void	   *dgemm = dlsym(RTLD_DEFAULT, "dgemm_");
	Dl_info		info;
	char		path[PATH_MAX];

	if (openblas_config)
		return pstrdup(openblas_config());
	if (blis_version)
		return psprintf("BLIS %s", blis_version());
	if (dgemm == NULL || dladdr(dgemm, &info) == 0 || info.dli_fname == NULL)
		return pstrdup("unknown (dgemm_ not found)");
	if (realpath(info.dli_fname, path) == NULL)
		strlcpy(path, info.dli_fname, sizeof(path));
	if (strstr(path, "/blas/libblas.so") != NULL)
		return psprintf("reference BLAS (%s)", path);
	return psprintf("BLAS of %s", path);
}

Datum
cb_full_version(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	char	   *sql = sql_version_mismatch();
	lapack_int	major,
				minor,
				patch;

	initStringInfo(&buf);
	appendStringInfo(&buf, "CARBONBUDGET=\"%s\"", CB_EXTVERSION);
	if (sql != NULL)
		appendStringInfo(&buf, " (SQL objects of version %s: run ALTER EXTENSION carbonbudget UPDATE)", sql);
	appendStringInfo(&buf, " PGSQL=\"%s\"", GetConfigOption("server_version", false, false));
	appendStringInfo(&buf, " POSTGIS=\"%s\"", postgis_version());
	appendStringInfo(&buf, " GEOS=\"%s\"", GEOSversion());
	LAPACKE_ilaver(&major, &minor, &patch);
	appendStringInfo(&buf, " LAPACK=\"%d.%d.%d\"", (int) major, (int) minor, (int) patch);
	appendStringInfo(&buf, " BLAS=\"%s\"", blas_version());
	PG_RETURN_TEXT_P(cstring_to_text_with_len(buf.data, buf.len));
}
