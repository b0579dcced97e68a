/*
 * zoning.c
 *    Carbon-neutral zoning of paper 003 (SPEC section 9, Table 6): the
 *    comprehensive land-use index CLI, indicator scores 1-5 from trend
 *    Z-values, CEP and CLI, zone names, and the single land-use dynamic
 *    degree K.
 */
#include "carbonbudget.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"

/* Table 6 threshold on |Z| between scores 4 and 5 (and 1 and 2) */
#define CB_ZONING_Z 1.66

/* ---- CLI: grades of land-use degree (Zhuang & Liu 1997) ---- */

typedef struct LandGrade
{
	const char *land_class;
	int			grade;
} LandGrade;

static const LandGrade land_grades[] = {
	{"unused", 1}, {"snow_ice", 1},
	{"forest", 2}, {"shrubland", 2}, {"grassland", 2}, {"water", 2}, {"wetland", 2},
	{"cropland", 3},
	{"construction", 4},
	{NULL, 0}
};

static int
land_grade(const char *land_class, const char *func)
{
	for (const LandGrade *g = land_grades; g->land_class; g++)
		if (pg_strcasecmp(land_class, g->land_class) == 0)
			return g->grade;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: unknown land_class \"%s\"", func, land_class),
			 errhint("Use cropland, forest, shrubland, grassland, water, wetland, construction, unused or snow_ice.")));
	return 0;					/* keep compiler quiet */
}

PG_FUNCTION_INFO_V1(cb_land_use_grade);
Datum
cb_land_use_grade(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(land_grade(text_to_cstring(PG_GETARG_TEXT_PP(0)), "land_use_grade"));
}

/* cli state: {sum grade * area, sum area, rows used, rows skipped} */
#define CLI_STATE_LEN 4

/* The state's elements, checked: a state may come from SQL. */
static double *
cli_state(ArrayType *a)
{
	double	   *st = cb_state_float8(a, "cli", CLI_STATE_LEN, CLI_STATE_LEN, true, NULL);

	/* every grade is between 1 and 4, so is sum grade * area / sum area */
	if (!(st[1] >= 0 && st[0] >= st[1] * (1 - 1e-12) && st[0] <= 4 * st[1] * (1 + 1e-12)))
		cb_state_invalid("cli", "The area sums of the state are inconsistent.");
	cb_state_count(st[2], CB_STATE_MAX_ROWS, "cli", "row count");
	cb_state_count(st[3], CB_STATE_MAX_ROWS, "cli", "skipped row count");
	return st;
}

static ArrayType *
cli_state_for_update(FunctionCallInfo fcinfo)
{
	ArrayType  *a;

	if (PG_ARGISNULL(0))
		cb_state_invalid("cli", "The state is NULL.");
	a = PG_GETARG_ARRAYTYPE_P(0);
	if (!AggCheckCallContext(fcinfo, NULL))
		a = DatumGetArrayTypePCopy(PointerGetDatum(a));
	(void) cli_state(a);
	return a;
}

/* Areas add up beyond the float8 range only for absurd inputs: an error, not Infinity. */
static void
check_area_sum(const double *st)
{
	if (!isfinite(st[0]))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("cli: the sum of area overflows"),
				 errhint("Give areas in a larger unit (CLI does not depend on the area unit).")));
}

/* Adds one (land_class, area) row; NULLs are skipped and counted. */
PG_FUNCTION_INFO_V1(cb_cli_step);
Datum
cb_cli_step(PG_FUNCTION_ARGS)
{
	ArrayType  *a = cli_state_for_update(fcinfo);
	double	   *st = (double *) ARR_DATA_PTR(a);
	double		area;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		st[3] += 1;
		PG_RETURN_ARRAYTYPE_P(a);
	}
	area = PG_GETARG_FLOAT8(2);
	cb_check_finite(area, "cli", "area", "row", (int64) (st[2] + st[3] + 1));
	if (area < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cli: area must not be negative"),
				 errdetail("Area %g.", area)));
	st[0] += land_grade(text_to_cstring(PG_GETARG_TEXT_PP(1)), "cli") * area;
	st[1] += area;
	st[2] += 1;
	check_area_sum(st);
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(cb_cli_combine);
Datum
cb_cli_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a = cli_state_for_update(fcinfo);
	double	   *st = (double *) ARR_DATA_PTR(a);
	double	   *other = cli_state(PG_GETARG_ARRAYTYPE_P(1));

	for (int i = 0; i < CLI_STATE_LEN; i++)
		st[i] += other[i];
	check_area_sum(st);
	PG_RETURN_ARRAYTYPE_P(a);
}

/* CLI = 100 * sum grade * area / sum area, in [100, 400]; NULL without area. */
PG_FUNCTION_INFO_V1(cb_cli_final);
Datum
cb_cli_final(PG_FUNCTION_ARGS)
{
	double	   *st = cli_state(PG_GETARG_ARRAYTYPE_P(0));

	if (!(st[1] > 0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(100.0 * st[0] / st[1]);
}

/* ---- Table 6 scores ---- */

/*
 * Direction in which a trend is favourable for carbon neutrality: +1 when
 * an increase scores 5, -1 when a decrease does.  The paper's indicators
 * are accepted by name (Table 6 rows).
 */
typedef struct Favourable
{
	const char *name;
	int			sign;
} Favourable;

static const Favourable favourable_names[] = {
	{"increase", 1}, {"decrease", -1},
	{"cs", 1}, {"nce", -1}, {"ce", -1}, {"ecc", 1}, {"esc", 1}, {"cf", -1}, {"ec", 1}, {"ed", -1},
	{NULL, 0}
};

static int
favourable_sign(const char *s)
{
	for (const Favourable *f = favourable_names; f->name; f++)
		if (pg_strcasecmp(s, f->name) == 0)
			return f->sign;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("trend_score: unknown favourable \"%s\"", s),
			 errhint("Use increase or decrease, or an indicator of paper 003 Table 6: cs, nce, ce, ecc, esc, cf, ec, ed.")));
	return 0;					/* keep compiler quiet */
}

/*
 * Table 6: with the favourable direction as positive, Z > t scores 5,
 * 0 < Z <= t 4, Z = 0 3, -t <= Z < 0 2, Z < -t 1.
 */
PG_FUNCTION_INFO_V1(cb_trend_score);
Datum
cb_trend_score(PG_FUNCTION_ARGS)
{
	double		z = PG_GETARG_FLOAT8(0);
	int			sign = favourable_sign(text_to_cstring(PG_GETARG_TEXT_PP(1)));
	double		t = PG_NARGS() > 2 ? PG_GETARG_FLOAT8(2) : CB_ZONING_Z;
	double		zf;

	cb_check_finite_arg(z, "trend_score", "z");
	if (!(t > 0) || isinf(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("trend_score: threshold must be a positive finite number")));
	zf = sign * z;
	if (zf > t)
		PG_RETURN_INT32(5);
	if (zf > 0)
		PG_RETURN_INT32(4);
	if (zf == 0)
		PG_RETURN_INT32(3);
	if (zf >= -t)
		PG_RETURN_INT32(2);
	PG_RETURN_INT32(1);
}

typedef struct CepClass
{
	const char *name;
	int			score;
} CepClass;

/* Table 6 wording and the classes of stirpat_project */
static const CepClass cep_classes[] = {
	{"significant", 5}, {"highly significant", 5},
	{"slightly significant", 4}, {"moderately significant", 4},
	{"stable", 3},
	{"slightly non-significant", 2}, {"slightly insignificant", 2},
	{"non-significant", 1}, {"insignificant", 1},
	{NULL, 0}
};

PG_FUNCTION_INFO_V1(cb_cep_score);
Datum
cb_cep_score(PG_FUNCTION_ARGS)
{
	char	   *s = text_to_cstring(PG_GETARG_TEXT_PP(0));

	for (const CepClass *c = cep_classes; c->name; c++)
		if (pg_strcasecmp(s, c->name) == 0)
			PG_RETURN_INT32(c->score);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cep_score: unknown cep_class \"%s\"", s),
			 errhint("Use highly significant, moderately significant, stable, slightly insignificant or insignificant (or the Table 6 wording).")));
	PG_RETURN_NULL();			/* keep compiler quiet */
}

/*
 * Table 6 CLI score: min-max scaled CLI s = (cli - lo) / (hi - lo) in
 * five equal intervals, closed below as the table's rows 2-5 are:
 * s >= 0.8 scores 5, >= 0.6 4, >= 0.4 3, >= 0.2 2, else 1.  NULL when
 * hi = lo (no spread to scale).
 */
PG_FUNCTION_INFO_V1(cb_cli_score);
Datum
cb_cli_score(PG_FUNCTION_ARGS)
{
	double		cli = PG_GETARG_FLOAT8(0),
				lo = PG_GETARG_FLOAT8(1),
				hi = PG_GETARG_FLOAT8(2),
				s;

	cb_check_finite_arg(cli, "cli_score", "cli");
	cb_check_finite_arg(lo, "cli_score", "cli_min");
	cb_check_finite_arg(hi, "cli_score", "cli_max");
	if (lo > hi || cli < lo || cli > hi)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cli_score: cli must lie between cli_min and cli_max"),
				 errdetail("cli %g, cli_min %g, cli_max %g.", cli, lo, hi),
				 errhint("Pass min(cli) OVER () and max(cli) OVER ().")));
	if (hi == lo)
		PG_RETURN_NULL();
	/* halves: hi - lo stays finite for any finite bounds */
	s = (cli / 2 - lo / 2) / (hi / 2 - lo / 2);
	PG_RETURN_INT32(s >= 0.8 ? 5 : s >= 0.6 ? 4 : s >= 0.4 ? 3 : s >= 0.2 ? 2 : 1);
}

/* Zone names, class 5 (highest total score) first */
static const char *const zone_names[] = {
	"carbon source optimisation", "high-carbon control", "net-carbon stabilisation",
	"low-carbon development", "carbon sink functional"
};

PG_FUNCTION_INFO_V1(cb_zone_name);
Datum
cb_zone_name(PG_FUNCTION_ARGS)
{
	int32		c = PG_GETARG_INT32(0);

	if (c < 1 || c > 5)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("zone_name: zone_class must be between 1 and 5"),
				 errdetail("zone_class is %d.", c)));
	PG_RETURN_TEXT_P(cstring_to_text(zone_names[c - 1]));
}

/*
 * Single land-use dynamic degree K = (Ub - Ua) / Ua / T * 100, percent
 * per year (paper 003 Fig. 3; also the annual change of CLI).  NULL when
 * Ua = 0.
 */
PG_FUNCTION_INFO_V1(cb_dynamic_degree);
Datum
cb_dynamic_degree(PG_FUNCTION_ARGS)
{
	double		ua = PG_GETARG_FLOAT8(0),
				ub = PG_GETARG_FLOAT8(1),
				years = PG_GETARG_FLOAT8(2),
				change;

	cb_check_finite_arg(ua, "dynamic_degree", "area_start");
	cb_check_finite_arg(ub, "dynamic_degree", "area_end");
	if (!(years > 0) || isinf(years))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("dynamic_degree: years must be a positive finite number"),
				 errdetail("years is %g.", years)));
	if (ua == 0)
		PG_RETURN_NULL();
	/* Ub - Ua overflows only for bounds near the float8 limit: then the ratio form */
	change = isfinite(ub - ua) ? (ub - ua) / ua : ub / ua - 1.0;
	PG_RETURN_FLOAT8(cb_finite_result(change / years * 100.0, "dynamic_degree"));
}
