/*
 * ridge.c
 *    STIRPAT ridge regression (paper 003 eqs.12-13) from the moment state:
 *    ln CE = a + sum_j b_j ln X_j, fitted on the correlation matrix with
 *    the ridge constant K of SPSS/NCSS (Hoerl & Kennard):
 *      b* = (R + kI)^-1 r,  b_j = b*_j sd(y)/sd(x_j),  b0 = ybar - xbar'b,
 *      VIF = diag((R + kI)^-1 R (R + kI)^-1),  R2 = 2 b*'r - b*'R b*.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

#include "carbonbudget.h"
#include "lapack_glue.h"
#include "options.h"
#include "regression.h"

PG_FUNCTION_INFO_V1(cb_stirpat_ridge_step);
PG_FUNCTION_INFO_V1(cb_stirpat_ridge_trace_step);
PG_FUNCTION_INFO_V1(cb_stirpat_ridge_final);
PG_FUNCTION_INFO_V1(cb_stirpat_ridge_trace_final);

#define K_AUTO (-1.0)
#define VIF_LIMIT 10.0
/* numerically singular correlation matrices are refused at k = 0 */
#define RCOND_MIN 1e-13

static const CbMomNames ridge_names = {"stirpat_ridge", "ce", "drivers", true};
static const CbMomNames trace_names = {"stirpat_ridge_trace", "ce", "drivers", true};

/* One ridge fit. */
typedef struct RidgeFit
{
	double		k;
	double		intercept;
	double	   *coef;			/* p unstandardised slopes (elasticities) */
	double	   *std_coef;		/* p standardised slopes b* */
	double	   *vif;			/* p variance inflation factors at k */
	double		r2;
	double		adj_r2;
	double		n;
} RidgeFit;

/* Correlation matrix R (p x p) of the covariates and r, their correlations with y. */
static void
correlations(double *st, double *rmat, double *r)
{
	int			m = (int) st[CB_MOM_M];
	int			p = m - 1;
	double	   *c = cb_mom_cross(st);

	for (int i = 0; i < p; i++)
	{
		double		cii = c[(i + 1) * m + i + 1];

		r[i] = c[i + 1] / sqrt(c[0] * cii);
		for (int j = 0; j < p; j++)
			rmat[i * p + j] = c[(i + 1) * m + j + 1] / sqrt(cii * c[(j + 1) * m + j + 1]);
	}
}

/*
 * Fits at one k.  Returns false (fit untouched) when R + kI is numerically
 * singular and raise is false.
 */
static bool
ridge_fit(double *st, double k, bool raise, RidgeFit *fit)
{
	int			m = (int) st[CB_MOM_M];
	int			p = m - 1;
	double		n = st[CB_MOM_N];
	double	   *mean = cb_mom_mean(st);
	double	   *c = cb_mom_cross(st);
	double	   *rmat = palloc(sizeof(double) * p * p);
	double	   *r = palloc(sizeof(double) * p);
	double	   *ainv = palloc(sizeof(double) * p * p);
	double		rbr = 0.0;
	double		br = 0.0;

	correlations(st, rmat, r);
	memcpy(ainv, rmat, sizeof(double) * p * p);
	for (int j = 0; j < p; j++)
		ainv[j * p + j] += k;
	if (cb_lapack_spd_inverse(p, ainv, k > 0 ? 0.0 : RCOND_MIN, ridge_names.func,
							  ridge_names.x, raise) >= 0)
		return false;

	fit->k = k;
	fit->n = n;
	fit->coef = palloc(sizeof(double) * p);
	fit->std_coef = palloc(sizeof(double) * p);
	fit->vif = palloc(sizeof(double) * p);
	fit->intercept = mean[0];
	for (int i = 0; i < p; i++)
	{
		double		b = 0.0;

		for (int j = 0; j < p; j++)
			b += ainv[i * p + j] * r[j];
		fit->std_coef[i] = b;
		fit->coef[i] = b * sqrt(c[0] / c[(i + 1) * m + i + 1]);
		fit->intercept -= fit->coef[i] * mean[i + 1];
	}
	for (int i = 0; i < p; i++)
	{
		double		rb = 0.0;
		double		v = 0.0;

		for (int j = 0; j < p; j++)
			rb += rmat[i * p + j] * fit->std_coef[j];
		rbr += fit->std_coef[i] * rb;
		br += fit->std_coef[i] * r[i];
		/* (A^-1 R A^-1)_ii = sum_jl ainv_ij R_jl ainv_li */
		for (int j = 0; j < p; j++)
		{
			double		ra = 0.0;

			for (int l = 0; l < p; l++)
				ra += rmat[j * p + l] * ainv[l * p + i];
			v += ainv[i * p + j] * ra;
		}
		fit->vif[i] = v;
	}
	fit->r2 = 2.0 * br - rbr;
	fit->adj_r2 = 1.0 - (1.0 - fit->r2) * (n - 1.0) / (n - p - 1.0);
	return true;
}

static double
max_vif(const RidgeFit *fit, int p)
{
	double		worst = 0.0;

	for (int j = 0; j < p; j++)
		worst = Max(worst, fit->vif[j]);
	return worst;
}

#define GRID_MAX 100000

/* Number of K values on the grid 0, step, 2 step, ... <= k_max (in double: it may be huge). */
static double
grid_size(double k_max, double k_step)
{
	return floor(k_max / k_step + 1e-9) + 1;
}

/* k=auto: the smallest K on the grid whose VIFs are all below 10. */
static void
ridge_auto(double *st, double k_max, double k_step, RidgeFit *fit)
{
	int			p = (int) st[CB_MOM_M] - 1;
	int			steps = (int) grid_size(k_max, k_step);

	for (int s = 0; s < steps; s++)
	{
		CHECK_FOR_INTERRUPTS();	/* a fine grid over many covariates */
		if (ridge_fit(st, s * k_step, false, fit) && max_vif(fit, p) < VIF_LIMIT)
			return;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("stirpat_ridge: no K up to %g gives all VIF below %g", k_max, VIF_LIMIT),
			 errhint("Raise option k_max or choose K from stirpat_ridge_trace.")));
}

static void
check_grid(const char *func, double k_max, double k_step)
{
	if (!(grid_size(k_max, k_step) <= GRID_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: options k_max / k_step give more than %d K values", func, GRID_MAX),
				 errhint("Use a larger k_step or a smaller k_max.")));
}

/* Options of a state SQL may have handed in: the ranges the parser enforces. */
static void
check_state_options(const double *st, const char *func)
{
	double		k = st[CB_MOM_OPT],
				k_max = st[CB_MOM_OPT + 1],
				k_step = st[CB_MOM_OPT + 2];

	if (!((k == K_AUTO || (k >= 0 && k <= 1e6)) && k_max > 0 && k_max <= 1e6 && k_step > 0 && k_step <= 1e6 &&
		  grid_size(k_max, k_step) <= GRID_MAX))
		cb_state_invalid(func, "The ridge options of the state are out of range.");
}

static void
parse_ridge_options(const char *text, double *opt)
{
	static const char *const allowed[] = {"k", "k_max", "k_step", NULL};
	CbOptions	opts;
	const char *k;

	cb_options_parse(&opts, ridge_names.func, text, allowed);
	k = cb_opt_text(&opts, "k");
	if (k == NULL || pg_strcasecmp(k, "auto") == 0)
		opt[0] = K_AUTO;
	else
		opt[0] = cb_opt_float(&opts, "k", 0.0, 0.0, 1e6, false);
	opt[1] = cb_opt_float(&opts, "k_max", 1.0, 0.0, 1e6, true);
	opt[2] = cb_opt_float(&opts, "k_step", 0.01, 0.0, 1e6, true);
	check_grid(ridge_names.func, opt[1], opt[2]);
}

static void
parse_trace_options(const char *text, double *opt)
{
	static const char *const allowed[] = {"k_max", "k_step", NULL};
	CbOptions	opts;

	cb_options_parse(&opts, trace_names.func, text, allowed);
	opt[0] = 0.0;
	opt[1] = cb_opt_float(&opts, "k_max", 1.0, 0.0, 1e6, true);
	opt[2] = cb_opt_float(&opts, "k_step", 0.05, 0.0, 1e6, true);
	check_grid(trace_names.func, opt[1], opt[2]);
}

Datum
cb_stirpat_ridge_step(PG_FUNCTION_ARGS)
{
	return cb_mom_transition(fcinfo, &ridge_names, parse_ridge_options);
}

Datum
cb_stirpat_ridge_trace_step(PG_FUNCTION_ARGS)
{
	return cb_mom_transition(fcinfo, &trace_names, parse_trace_options);
}

static HeapTuple
fit_tuple(TupleDesc desc, const RidgeFit *fit, int p)
{
	Datum		values[8];
	bool		nulls[8] = {false};

	values[0] = Float8GetDatum(fit->k);
	CB_FLOAT8_OR_NULL(fit->intercept, values, nulls, 1);
	values[2] = cb_float8_array_datum(fit->coef, p);
	values[3] = cb_float8_array_datum(fit->std_coef, p);
	CB_FLOAT8_OR_NULL(fit->r2, values, nulls, 4);
	CB_FLOAT8_OR_NULL(fit->adj_r2, values, nulls, 5);
	values[6] = cb_float8_array_datum(fit->vif, p);
	values[7] = Int64GetDatum((int64) fit->n);
	return heap_form_tuple(desc, values, nulls);
}

Datum
cb_stirpat_ridge_final(PG_FUNCTION_ARGS)
{
	double	   *st = cb_mom_state(PG_GETARG_ARRAYTYPE_P(0), ridge_names.func);
	TupleDesc	desc;
	RidgeFit	fit;

	if (st == NULL)
		PG_RETURN_NULL();
	check_state_options(st, ridge_names.func);
	cb_mom_check_fit(st, &ridge_names);
	if (st[CB_MOM_OPT] == K_AUTO)
		ridge_auto(st, st[CB_MOM_OPT + 1], st[CB_MOM_OPT + 2], &fit);
	else
		ridge_fit(st, st[CB_MOM_OPT], true, &fit);
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	desc = BlessTupleDesc(desc);
	PG_RETURN_DATUM(HeapTupleGetDatum(fit_tuple(desc, &fit, (int) st[CB_MOM_M] - 1)));
}

/* stirpat_ridge_trace: one stirpat_ridge_result per K on the grid, as an array. */
Datum
cb_stirpat_ridge_trace_final(PG_FUNCTION_ARGS)
{
	double	   *st = cb_mom_state(PG_GETARG_ARRAYTYPE_P(0), trace_names.func);
	/* the declared result type: callers such as Citus give no call expression */
	Oid			elemtype = get_element_type(get_func_rettype(fcinfo->flinfo->fn_oid));
	TupleDesc	desc;
	int			p;
	int			steps;
	Datum	   *rows;
	int			nrows = 0;
	int16		typlen;
	bool		typbyval;
	char		typalign;

	if (st == NULL)
		PG_RETURN_NULL();
	if (!OidIsValid(elemtype))
		elog(ERROR, "stirpat_ridge_trace must return an array");
	check_state_options(st, trace_names.func);
	cb_mom_check_fit(st, &trace_names);
	p = (int) st[CB_MOM_M] - 1;
	steps = (int) grid_size(st[CB_MOM_OPT + 1], st[CB_MOM_OPT + 2]);
	desc = BlessTupleDesc(lookup_rowtype_tupdesc_copy(elemtype, -1));
	rows = palloc(sizeof(Datum) * steps);
	for (int s = 0; s < steps; s++)
	{
		RidgeFit	fit;

		CHECK_FOR_INTERRUPTS();	/* a fine grid over many covariates */
		/* K = 0 on collinear data has no solution: that point is left out */
		if (ridge_fit(st, s * st[CB_MOM_OPT + 2], false, &fit))
			rows[nrows++] = HeapTupleGetDatum(fit_tuple(desc, &fit, p));
	}
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	PG_RETURN_ARRAYTYPE_P(construct_array(rows, nrows, elemtype, typlen, typbyval, typalign));
}
