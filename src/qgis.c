/*
 * qgis.c
 *    The options of the QGIS style routines, which are written in PL/pgSQL
 *    (sql/install/63-qgis.sql): parsed by the parser of every other options
 *    argument (src/options.c), so that keys, messages and the HINT that
 *    lists the valid keys are the same.
 */
#include "carbonbudget.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "options.h"

static const char *const style_keys[] = {"column", "default", "geometry", "name", NULL};
static const char *const refresh_keys[] = {"qgis_styles", NULL};
static const char *const styles_modes[] = {"auto", "on", "off", NULL};

/*
 * _qgis_options(func, options) -> text[]: the options of qgis_style_layer or
 * refresh_zoning as key/value pairs {k1, v1, k2, v2, ...} (for jsonb_object),
 * in the order given; booleans come back as true/false, choices lower case.
 */
PG_FUNCTION_INFO_V1(cb_qgis_options);
Datum
cb_qgis_options(PG_FUNCTION_ARGS)
{
	const char *func;
	const char *spec;
	CbOptions	opts;
	Datum	   *elems;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("_qgis_options: func must not be NULL")));
	func = text_to_cstring(PG_GETARG_TEXT_PP(0));
	spec = PG_ARGISNULL(1) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (strcmp(func, "qgis_style_layer") == 0)
		cb_options_parse(&opts, "qgis_style_layer", spec, style_keys);
	else if (strcmp(func, "refresh_zoning") == 0)
		cb_options_parse(&opts, "refresh_zoning", spec, refresh_keys);
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("_qgis_options: func must be qgis_style_layer or refresh_zoning")));

	elems = palloc(sizeof(Datum) * (2 * opts.count + 1));
	for (int i = 0; i < opts.count; i++)
	{
		const char *value = opts.value[i];

		if (strcmp(opts.key[i], "default") == 0)
			value = cb_opt_bool(&opts, "default", true) ? "true" : "false";
		else if (strcmp(opts.key[i], "qgis_styles") == 0)
			value = styles_modes[cb_opt_choice(&opts, "qgis_styles", styles_modes, 0)];
		elems[2 * i] = CStringGetTextDatum(opts.key[i]);
		elems[2 * i + 1] = CStringGetTextDatum(value);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, 2 * opts.count, TEXTOID, -1, false, TYPALIGN_INT));
}
