/*
 * cep.c
 *    cep_assess (SPEC section 14, paper 003 Results): the carbon emission
 *    potential of a unit from its projections under the low-carbon,
 *    baseline and high-carbon scenarios (stirpat_projection values, e.g.
 *    from stirpat_project or stirpat_project_scenarios) and its carbon
 *    sequestration CS, held at the last observed value or projected.  The
 *    rule is in src/kernels/cep.c.
 */
#include "carbonbudget.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "cep.h"
#include "options.h"

#define CEP_FUNC "cep_assess"

static const char *const cep_keys[] = {"cs", "peak_by", "neutral_by", "decline", "increase", NULL};
static const char *const cs_modes[] = {"held", "projected", NULL};
static const char *const scenario_args[] = {"low_carbon", "baseline", "high_carbon"};

typedef struct CepOptions
{
	bool		cs_projected;	/* cs has a value per projection year; else its last value is held */
	int			neutral_by;
	CbCepRule	rule;
} CepOptions;

static void
parse_options(const char *text, CepOptions *o)
{
	CbOptions	opts;

	cb_options_parse(&opts, CEP_FUNC, text, cep_keys);
	o->cs_projected = cb_opt_choice(&opts, "cs", cs_modes, 0) == 1;
	o->rule.peak_by = (int) cb_opt_int(&opts, "peak_by", 2030, 1, 9999);
	o->neutral_by = (int) cb_opt_int(&opts, "neutral_by", 2060, 1, 9999);
	o->rule.decline = cb_opt_float(&opts, "decline", 0.05, 0, 1, false);
	o->rule.increase = cb_opt_float(&opts, "increase", 1.2, 1, 1e6, false);
	if (o->rule.peak_by >= o->neutral_by)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cep_assess: option \"peak_by\" must be before option \"neutral_by\""),
				 errdetail("peak_by=%d, neutral_by=%d.", o->rule.peak_by, o->neutral_by)));
}

/* A projection as the function reads it: its years and CE, and its peak. */
typedef struct Projection
{
	int			n;
	int32	   *years;
	double	   *ce;
	int			peak_year;
	double		peak_ce;
} Projection;

static void
bad_projection(const char *arg, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cep_assess: %s %s", arg, what),
			 errhint("Pass results of stirpat_project (one per scenario, with the same years).")));
}

static Datum
field(HeapTupleHeader t, const char *name, const char *arg)
{
	bool		isnull;
	Datum		d = GetAttributeByName(t, name, &isnull);

	if (isnull)
		bad_projection(arg, psprintf("has no %s", name));
	return d;
}

static void
read_projection(HeapTupleHeader t, const char *arg, Projection *p)
{
	ArrayType  *years = DatumGetArrayTypeP(field(t, "years", arg));
	Datum	   *elems;
	bool	   *nulls;
	int			nce;

	if (ARR_ELEMTYPE(years) != INT4OID || ARR_NDIM(years) != 1)
		bad_projection(arg, "must have a one-dimensional integer array of years");
	deconstruct_array(years, INT4OID, 4, true, TYPALIGN_INT, &elems, &nulls, &p->n);
	p->years = palloc(sizeof(int32) * p->n);
	for (int i = 0; i < p->n; i++)
	{
		if (nulls[i])
			bad_projection(arg, "has a NULL year");
		p->years[i] = DatumGetInt32(elems[i]);
		if (i > 0 && p->years[i] <= p->years[i - 1])
			bad_projection(arg, "must have ascending years");
	}
	nce = cb_float8_array(DatumGetArrayTypeP(field(t, "ce", arg)), CEP_FUNC, psprintf("%s.ce", arg), &p->ce);
	if (nce != p->n || p->n < 2)
		bad_projection(arg, "must have one CE per year and at least two years");
	for (int i = 0; i < p->n; i++)
	{
		cb_check_finite_arg(p->ce[i], CEP_FUNC, psprintf("%s.ce", arg));
		if (p->ce[i] < 0)
			bad_projection(arg, "has a negative CE");
	}
	p->peak_year = DatumGetInt32(field(t, "peak_year", arg));
	p->peak_ce = DatumGetFloat8(field(t, "peak_ce", arg));
	cb_check_finite_arg(p->peak_ce, CEP_FUNC, psprintf("%s.peak_ce", arg));
	if (p->peak_year < p->years[0] || p->peak_year > p->years[p->n - 1])
		bad_projection(arg, "has a peak_year outside its years");
}

static int
year_index(const Projection *p, int year, const char *arg)
{
	for (int i = 0; i < p->n; i++)
		if (p->years[i] == year)
			return i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cep_assess: %s has no projected CE for %d, the neutrality year", arg, year),
			 errdetail("Its years run from %d to %d.", p->years[0], p->years[p->n - 1]),
			 errhint("Project to that year, or set option neutral_by to one of the projection's years.")));
	return -1;					/* keep compiler quiet */
}

/* CS in the neutrality year: the last value of cs held, or its value for that year. */
static double
cs_at(ArrayType *arr, const Projection *p, int at, bool projected)
{
	double	   *cs;
	int			n = cb_float8_array(arr, CEP_FUNC, "cs", &cs);
	double		v;

	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cep_assess: cs must not be empty")));
	if (projected && n != p->n)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("cep_assess: with cs=projected, cs must have one value per projection year (%d), got %d", p->n, n),
				 errhint("Or give the observed CS series and let option cs=held keep its last value.")));
	for (int i = 0; i < n; i++)
		cb_check_finite_arg(cs[i], CEP_FUNC, "cs");
	v = projected ? cs[at] : cs[n - 1];
	if (v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cep_assess: cs must not be negative"),
				 errdetail("CS in the neutrality year is %g.", v)));
	return v;
}

PG_FUNCTION_INFO_V1(cb_cep_assess);
Datum
cb_cep_assess(PG_FUNCTION_ARGS)
{
	CepOptions	o;
	Projection	proj[CB_CEP_SCENARIOS];
	CbCepPath	path[CB_CEP_SCENARIOS];
	bool		peaked[CB_CEP_SCENARIOS];
	bool		neutral[CB_CEP_SCENARIOS];
	CbCepClass	cls;
	double		cs;
	int			at = 0;
	Datum		values[15];
	bool		nulls[15] = {false};

	/* options first, so that a bad option fails whatever the data; NULL options are the defaults */
	parse_options(PG_NARGS() > 4 && !PG_ARGISNULL(4) ? text_to_cstring(PG_GETARG_TEXT_PP(4)) : "", &o);
	for (int a = 0; a < 4; a++)
		if (PG_ARGISNULL(a))
			PG_RETURN_NULL();	/* no projection or no CS: no class */
	for (int s = 0; s < CB_CEP_SCENARIOS; s++)
	{
		read_projection(PG_GETARG_HEAPTUPLEHEADER(s), scenario_args[s], &proj[s]);
		if (proj[s].n != proj[0].n || memcmp(proj[s].years, proj[0].years, sizeof(int32) * proj[0].n) != 0)
			bad_projection(scenario_args[s], "must have the same years as low_carbon");
		at = year_index(&proj[s], o.neutral_by, scenario_args[s]);
		path[s].peak_year = proj[s].peak_year;
		path[s].peak_ce = proj[s].peak_ce;
		path[s].ce_start = proj[s].ce[0];
		path[s].ce_end = proj[s].ce[at];
	}
	cs = cs_at(PG_GETARG_ARRAYTYPE_P(3), &proj[0], at, o.cs_projected);
	cls = cb_cep_class(path, cs, &o.rule, peaked, neutral);

	for (int s = 0; s < CB_CEP_SCENARIOS; s++)
	{
		values[s] = Int32GetDatum(path[s].peak_year);
		values[3 + s] = BoolGetDatum(peaked[s]);
		values[6 + s] = Float8GetDatum(path[s].ce_end);
		values[10 + s] = BoolGetDatum(neutral[s]);
	}
	values[9] = Float8GetDatum(cs);
	values[13] = CStringGetTextDatum(cb_cep_class_names[cls]);
	values[14] = Int32GetDatum(5 - (int) cls);
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}
