/*
 * decoupling.c
 *    Tapio's (2005) decoupling of emissions from growth (SPEC section 14):
 *    the scalar tapio(c0, c1, gdp0, gdp1) and the tapio(t, c, gdp)
 *    aggregate over a unit's years, from its first to its last year.
 *
 *    e = (dC / C0) / (dGDP / GDP0), with the eight states of
 *    cb_tapio_state_names by the signs of dGDP and dC and the thresholds
 *    0.8 and 1.2 (src/kernels/decomposition.c).
 */
#include "carbonbudget.h"

#include "utils/builtins.h"

#include "decomposition.h"

/* Result row (elasticity, state, c_change, gdp_change); undefined parts are NULL. */
static Datum
tapio_result(FunctionCallInfo fcinfo, double c0, double c1, double g0, double g1, const char *func)
{
	double		c_change = cb_finite_result((c1 - c0) / c0, func);
	double		g_change = cb_finite_result((g1 - g0) / g0, func);
	double		e;
	CbTapioState state = cb_tapio(c0, c1, g0, g1, &e);
	Datum		values[4];
	bool		nulls[4] = {false};

	if (state == CB_TAPIO_UNDEFINED)
		nulls[0] = nulls[1] = true;		/* GDP did not change: no elasticity */
	else
	{
		values[0] = Float8GetDatum(cb_finite_result(e, func));
		values[1] = CStringGetTextDatum(cb_tapio_state_names[state]);
	}
	values[2] = Float8GetDatum(c_change);
	values[3] = Float8GetDatum(g_change);
	return cb_form_result(fcinfo, values, nulls);
}

/* Base values must be positive (relative changes), later ones non-negative. */
static void
check_level(double v, const char *func, const char *arg, bool base)
{
	if (base ? !(v > 0) : v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must be %s", func, arg, base ? "positive" : "non-negative"),
				 errdetail("%s is %g.", arg, v),
				 errhint(base ? "The elasticity divides by the base-year emission and GDP." :
						 "Emission and GDP are magnitudes; use gross emissions, not net ones.")));
}

PG_FUNCTION_INFO_V1(cb_tapio_scalar);
Datum
cb_tapio_scalar(PG_FUNCTION_ARGS)
{
	double		c0 = PG_GETARG_FLOAT8(0);
	double		c1 = PG_GETARG_FLOAT8(1);
	double		g0 = PG_GETARG_FLOAT8(2);
	double		g1 = PG_GETARG_FLOAT8(3);

	cb_check_finite_arg(c0, "tapio", "c0");
	cb_check_finite_arg(c1, "tapio", "c1");
	cb_check_finite_arg(g0, "tapio", "gdp0");
	cb_check_finite_arg(g1, "tapio", "gdp1");
	check_level(c0, "tapio", "c0", true);
	check_level(c1, "tapio", "c1", false);
	check_level(g0, "tapio", "gdp0", true);
	check_level(g1, "tapio", "gdp1", false);
	return tapio_result(fcinfo, c0, c1, g0, g1, "tapio");
}

/*
 * Aggregate state, a float8[] so that it combines and ships as it is:
 * {rows used, rows skipped, t first, c first, gdp first, t last, c last, gdp last}.
 */
#define TS_N		0
#define TS_SKIPPED	1
#define TS_T0		2
#define TS_C0		3
#define TS_G0		4
#define TS_T1		5
#define TS_C1		6
#define TS_G1		7
#define TS_LEN		8

static void
repeated_year(double t)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("tapio: t must not repeat, %g occurs more than once", t),
			 errhint("Aggregate one emission and GDP per year first, e.g. with GROUP BY.")));
}

/* The state's elements, checked: a state may come from SQL. */
static double *
tapio_state(ArrayType *a)
{
	double	   *st = cb_state_float8(a, "tapio", TS_LEN, TS_LEN, true, NULL);

	cb_state_count(st[TS_N], CB_STATE_MAX_ROWS, "tapio", "row count");
	cb_state_count(st[TS_SKIPPED], CB_STATE_MAX_ROWS, "tapio", "skipped row count");
	if (st[TS_N] > 0 &&
		!(st[TS_C0] >= 0 && st[TS_G0] >= 0 && st[TS_C1] >= 0 && st[TS_G1] >= 0 &&
		  (st[TS_N] == 1 ? st[TS_T0] == st[TS_T1] : st[TS_T0] < st[TS_T1])))
		cb_state_invalid("tapio", "The years or values of the state are inconsistent.");
	return st;
}

/* Takes the row (t, c, g) into the first and last year of st. */
static void
tapio_add(double *st, double t, double c, double g)
{
	if (st[TS_N] == 0)
	{
		st[TS_T0] = st[TS_T1] = t;
		st[TS_C0] = st[TS_C1] = c;
		st[TS_G0] = st[TS_G1] = g;
	}
	else
	{
		if (t == st[TS_T0] || t == st[TS_T1])
			repeated_year(t);
		if (t < st[TS_T0])
		{
			st[TS_T0] = t;
			st[TS_C0] = c;
			st[TS_G0] = g;
		}
		if (t > st[TS_T1])
		{
			st[TS_T1] = t;
			st[TS_C1] = c;
			st[TS_G1] = g;
		}
	}
	st[TS_N] += 1;
}

PG_FUNCTION_INFO_V1(cb_tapio_step);
Datum
cb_tapio_step(PG_FUNCTION_ARGS)
{
	ArrayType  *a;
	double	   *st;
	double		t,
				c,
				g;
	int64		row;

	if (PG_ARGISNULL(0))
		cb_state_invalid("tapio", "The state is NULL.");
	a = PG_GETARG_ARRAYTYPE_P(0);
	if (!AggCheckCallContext(fcinfo, NULL))
		a = DatumGetArrayTypePCopy(PointerGetDatum(a));		/* a direct call must not change its argument */
	st = tapio_state(a);
	row = (int64) (st[TS_N] + st[TS_SKIPPED]) + 1;
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		st[TS_SKIPPED] += 1;
		PG_RETURN_ARRAYTYPE_P(a);
	}
	t = PG_GETARG_FLOAT8(1);
	c = PG_GETARG_FLOAT8(2);
	g = PG_GETARG_FLOAT8(3);
	cb_check_finite(t, "tapio", "t", "row", row);
	cb_check_finite(c, "tapio", "c", "row", row);
	cb_check_finite(g, "tapio", "gdp", "row", row);
	check_level(c, "tapio", "c", false);
	check_level(g, "tapio", "gdp", false);
	tapio_add(st, t, c, g);
	PG_RETURN_ARRAYTYPE_P(a);
}

PG_FUNCTION_INFO_V1(cb_tapio_combine);
Datum
cb_tapio_combine(PG_FUNCTION_ARGS)
{
	double	   *sa = tapio_state(PG_GETARG_ARRAYTYPE_P(0));
	double	   *sb = tapio_state(PG_GETARG_ARRAYTYPE_P(1));
	double		out[TS_LEN];

	memcpy(out, sa, sizeof(out));
	if (sb[TS_N] > 0)
	{
		tapio_add(out, sb[TS_T0], sb[TS_C0], sb[TS_G0]);
		if (sb[TS_N] > 1)
			tapio_add(out, sb[TS_T1], sb[TS_C1], sb[TS_G1]);
		/* the rows between b's first and last year count too */
		out[TS_N] += sb[TS_N] - Min(sb[TS_N], 2);
	}
	out[TS_SKIPPED] += sb[TS_SKIPPED];
	PG_RETURN_DATUM(cb_float8_array_datum(out, TS_LEN));
}

PG_FUNCTION_INFO_V1(cb_tapio_final);
Datum
cb_tapio_final(PG_FUNCTION_ARGS)
{
	double	   *st = tapio_state(PG_GETARG_ARRAYTYPE_P(0));

	if (st[TS_N] == 0)
		PG_RETURN_NULL();		/* no rows, or only rows with a NULL */
	if (st[TS_N] < 2)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("tapio needs at least 2 years with non-NULL t, c and gdp, got 1"),
				 errhint("For the change from one year to the next, use tapio(lag(c) OVER w, c, lag(gdp) OVER w, gdp).")));
	check_level(st[TS_C0], "tapio", "c of the first year", true);
	check_level(st[TS_G0], "tapio", "gdp of the first year", true);
	return tapio_result(fcinfo, st[TS_C0], st[TS_C1], st[TS_G0], st[TS_G1], "tapio");
}
