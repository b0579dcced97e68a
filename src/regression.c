/*
 * regression.c
 *    Moment-state aggregates shared by the regression models.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"

#include "miscadmin.h"

#include "carbonbudget.h"
#include "lapack_glue.h"
#include "options.h"
#include "regression.h"

PG_FUNCTION_INFO_V1(cb_mom_combine);

static ArrayType *
new_state(MemoryContext ctx, int m)
{
	MemoryContext old = MemoryContextSwitchTo(ctx);
	size_t		len = cb_mom_size(m);
	Datum	   *zeros = palloc0(sizeof(Datum) * len);
	ArrayType  *arr;

	for (size_t i = 0; i < len; i++)
		zeros[i] = Float8GetDatum(0.0);
	arr = construct_array(zeros, (int) len, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	MemoryContextSwitchTo(old);
	return arr;
}

/*
 * The state's elements, or NULL for the initial empty array.  A state may
 * come from SQL (a direct call of a support function), so its header is
 * checked against its length before any field is used.
 */
static double *
state_values(ArrayType *state, const char *func)
{
	int			len;
	double	   *st = cb_state_float8(state, func, 0, -1, true, &len);
	int			m;

	if (len == 0)
		return NULL;
	if (len < CB_MOM_HEADER)
		cb_state_invalid(func, psprintf("The state has %d elements.", len));
	m = (int) cb_state_count(st[CB_MOM_M], CB_MOM_MAX_M, func, "variable count");
	if (m == 1 || (size_t) len != cb_mom_size(m))
		cb_state_invalid(func, psprintf("The state has %d elements for %d variables.", len, m));
	cb_state_count(st[CB_MOM_N], CB_STATE_MAX_ROWS, func, "row count");
	cb_state_count(st[CB_MOM_SKIPPED], CB_STATE_MAX_ROWS, func, "skipped row count");
	for (int j = 0; j < m; j++)
		if (cb_mom_cross(st)[j * m + j] < 0)
			cb_state_invalid(func, "A sum of squares of the state is negative.");
	return st;
}

double *
cb_mom_state(ArrayType *state, const char *func)
{
	double	   *st = state_values(state, func);

	if (st == NULL || st[CB_MOM_M] == 0 || st[CB_MOM_N] == 0)
		return NULL;
	return st;
}

static void
check_row_value(double v, const CbMomNames *names, const char *arg, int index, int64 row)
{
	if (!isfinite(v))
		cb_check_finite(v, names->func, index > 0 ? psprintf("%s[%d]", arg, index) : arg, "row", row);
	if (names->logs && v <= 0.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must be positive", names->func,
						index > 0 ? psprintf("%s[%d]", arg, index) : arg),
				 errdetail("Row " INT64_FORMAT " has %g.", row, v),
				 errhint("%s takes natural logarithms itself: pass raw values, not logs.", names->func)));
}

static void
check_same_length(int m_state, int p, const CbMomNames *names)
{
	if (p + 1 != m_state)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s: %s must have the same length in every row", names->func, names->x),
				 errdetail("A row has %d elements, earlier rows had %d.", p, m_state - 1)));
}

/* Sums of squares beyond the float8 range are an error, not Infinity. */
static void
check_moments_finite(double *st, const char *func, const char *y, const char *x)
{
	int			m = (int) st[CB_MOM_M];
	double	   *c = cb_mom_cross(st);

	for (int j = 0; j < m; j++)
		cb_check_sum_finite(c[j * m + j], func, j == 0 ? y : x);
}

Datum
cb_mom_transition(FunctionCallInfo fcinfo, const CbMomNames *names,
				  CbMomOptionParser parse_options)
{
	MemoryContext aggctx;
	ArrayType  *state;
	double	   *st;
	double	   *x;
	double	   *z;
	int			p;
	int64		row;

	cb_require_aggregate(fcinfo, names->func, &aggctx);
	state = PG_GETARG_ARRAYTYPE_P(0);
	st = state_values(state, names->func);
	if (st == NULL)
	{
		state = new_state(aggctx, 0);
		st = (double *) ARR_DATA_PTR(state);
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		st[CB_MOM_SKIPPED] += 1;
		PG_RETURN_ARRAYTYPE_P(state);
	}
	p = cb_float8_array(PG_GETARG_ARRAYTYPE_P(2), names->func, names->x, &x);
	if (p == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: %s must have at least one element", names->func, names->x)));
	if (st[CB_MOM_M] == 0)
	{
		/* first row: size the state and fix the options */
		ArrayType  *sized = new_state(aggctx, p + 1);
		double	   *ns = (double *) ARR_DATA_PTR(sized);

		ns[CB_MOM_SKIPPED] = st[CB_MOM_SKIPPED];
		ns[CB_MOM_M] = p + 1;
		if (parse_options)
			parse_options(PG_NARGS() > 3 && !PG_ARGISNULL(3) ?
						  text_to_cstring(PG_GETARG_TEXT_PP(3)) : "", ns + CB_MOM_OPT);
		state = sized;
		st = ns;
	}
	check_same_length((int) st[CB_MOM_M], p, names);
	row = (int64) (st[CB_MOM_N] + st[CB_MOM_SKIPPED]) + 1;
	z = palloc(sizeof(double) * (p + 1));
	z[0] = PG_GETARG_FLOAT8(1);
	check_row_value(z[0], names, names->y, 0, row);
	for (int j = 0; j < p; j++)
	{
		check_row_value(x[j], names, names->x, j + 1, row);
		z[j + 1] = x[j];
	}
	if (names->logs)
		for (int j = 0; j <= p; j++)
			z[j] = log(z[j]);
	cb_mom_add(st, z);
	check_moments_finite(st, names->func, names->y, names->x);
	PG_RETURN_ARRAYTYPE_P(state);
}

/* Combine function of every moment-state aggregate. */
Datum
cb_mom_combine(PG_FUNCTION_ARGS)
{
	const char *func = "regression aggregate";
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	ArrayType  *b = PG_GETARG_ARRAYTYPE_P(1);
	double	   *sa = state_values(a, func);
	double	   *sb = state_values(b, func);
	ArrayType  *result;
	double	   *sr;

	if (sa == NULL || sb == NULL)
		PG_RETURN_ARRAYTYPE_P(sa == NULL ? b : a);
	if (sa[CB_MOM_M] == 0 || sb[CB_MOM_M] == 0)
	{
		/* one side saw only skipped rows */
		double	   *full = sa[CB_MOM_M] == 0 ? sb : sa;
		double		skipped = sa[CB_MOM_SKIPPED] + sb[CB_MOM_SKIPPED];

		result = new_state(CurrentMemoryContext, (int) full[CB_MOM_M]);
		sr = (double *) ARR_DATA_PTR(result);
		memcpy(sr, full, sizeof(double) * cb_mom_size((int) full[CB_MOM_M]));
		sr[CB_MOM_SKIPPED] = skipped;
		PG_RETURN_ARRAYTYPE_P(result);
	}
	if (sa[CB_MOM_M] != sb[CB_MOM_M])
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("covariate arrays must have the same length in every row"),
				 errdetail("Rows have %d and %d elements.", (int) sa[CB_MOM_M] - 1, (int) sb[CB_MOM_M] - 1)));
	result = new_state(CurrentMemoryContext, (int) sa[CB_MOM_M]);
	sr = (double *) ARR_DATA_PTR(result);
	if (sa[CB_MOM_N] == 0 || sb[CB_MOM_N] == 0)
	{
		double	   *full = sa[CB_MOM_N] == 0 ? sb : sa;

		memcpy(sr, full, sizeof(double) * cb_mom_size((int) full[CB_MOM_M]));
		sr[CB_MOM_SKIPPED] = sa[CB_MOM_SKIPPED] + sb[CB_MOM_SKIPPED];
	}
	else
		cb_mom_merge(sr, sa, sb);
	check_moments_finite(sr, func, "y", "x");
	PG_RETURN_ARRAYTYPE_P(result);
}

void
cb_mom_check_fit(double *st, const CbMomNames *names)
{
	int			m = (int) st[CB_MOM_M];
	double		n = st[CB_MOM_N];
	double	   *mean = cb_mom_mean(st);
	double	   *c = cb_mom_cross(st);

	if (n <= m)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: needs more rows than parameters", names->func),
				 errdetail("%.0f rows for %d parameters (intercept and %d covariates).", n, m, m - 1),
				 errhint("Use more rows or fewer covariates.")));
	for (int j = 0; j < m; j++)
	{
		double		var = c[j * m + j] / (n - 1);

		/* identical values leave exactly zero; rounding leaves ~1e-16 relative */
		if (var <= 1e-24 * (mean[j] * mean[j] + 1e-300))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s has zero variance", names->func,
							j == 0 ? names->y : psprintf("%s[%d]", names->x, j)),
					 errhint(j == 0 ? "A constant response cannot be explained."
							 : "Drop the constant covariate: the intercept already covers it.")));
	}
}

/* ---------------- ordinary least squares ---------------- */

PG_FUNCTION_INFO_V1(cb_ols_step);
PG_FUNCTION_INFO_V1(cb_ols_final);
PG_FUNCTION_INFO_V1(cb_ols_stepwise_step);
PG_FUNCTION_INFO_V1(cb_ols_stepwise_final);
PG_FUNCTION_INFO_V1(cb_ttest_step);
PG_FUNCTION_INFO_V1(cb_ttest_combine);
PG_FUNCTION_INFO_V1(cb_ttest_final);

/* numerically singular correlation matrices of the covariates are refused */
#define OLS_RCOND_MIN 1e-13

static const CbMomNames ols_names = {"ols_fit", "y", "x", false};
static const CbMomNames stepwise_names = {"ols_stepwise", "y", "x", false};

/* An OLS fit on the covariates sel[0..q) (1-based positions in x). */
typedef struct OlsFit
{
	int			q;
	double	   *coef;			/* q + 1: intercept first */
	double	   *se;
	double	   *t;
	double	   *p;
	double	   *std_coef;		/* q */
	double	   *vif;			/* q */
	double		r2;
	double		adj_r2;
	double		f;
	double		f_p;
	double		sigma;			/* residual standard error */
	double		n;
	double		df;				/* residual degrees of freedom n - q - 1 */
} OlsFit;

/*
 * Fits y on the selected covariates from the moment state.  The
 * cross-product matrix is inverted in correlation scale, so covariates of
 * very different magnitudes do not look singular.  Returns false when the
 * covariates are collinear and raise is false.
 */
static bool
ols_core(double *st, const int *sel, int q, bool raise, const char *func, OlsFit *fit)
{
	int			m = (int) st[CB_MOM_M];
	double		n = st[CB_MOM_N];
	double	   *mean = cb_mom_mean(st);
	double	   *c = cb_mom_cross(st);
	double		syy = c[0];
	double	   *inv = palloc(sizeof(double) * (q * q + 1));
	double	   *sd = palloc(sizeof(double) * (q + 1));
	double		explained = 0.0;
	double		rss;
	double		sigma2;
	double		v0;

	for (int i = 0; i < q; i++)
	{
		sd[i] = sqrt(c[sel[i] * m + sel[i]]);
		for (int j = 0; j < q; j++)
			inv[i * q + j] = c[sel[i] * m + sel[j]] / (sqrt(c[sel[i] * m + sel[i]]) * sqrt(c[sel[j] * m + sel[j]]));
	}
	if (q > 0 && cb_lapack_spd_inverse(q, inv, OLS_RCOND_MIN, func, "x", raise) >= 0)
		return false;
	/* back to the covariates' own scale: (S^-1)_ij = (R^-1)_ij / (sd_i sd_j) */
	for (int i = 0; i < q; i++)
		for (int j = 0; j < q; j++)
			inv[i * q + j] /= sd[i] * sd[j];

	fit->q = q;
	fit->n = n;
	fit->df = n - q - 1;
	fit->coef = palloc(sizeof(double) * (q + 1));
	fit->se = palloc(sizeof(double) * (q + 1));
	fit->t = palloc(sizeof(double) * (q + 1));
	fit->p = palloc(sizeof(double) * (q + 1));
	fit->std_coef = palloc(sizeof(double) * (q + 1));
	fit->vif = palloc(sizeof(double) * (q + 1));
	fit->coef[0] = mean[0];
	for (int i = 0; i < q; i++)
	{
		double		b = 0.0;

		for (int j = 0; j < q; j++)
			b += inv[i * q + j] * c[sel[j] * m];
		fit->coef[i + 1] = b;
		fit->coef[0] -= b * mean[sel[i]];
		explained += b * c[sel[i] * m];
		fit->std_coef[i] = b * sd[i] / sqrt(syy);
		fit->vif[i] = inv[i * q + i] * sd[i] * sd[i];
	}
	rss = Max(syy - explained, 0.0);
	sigma2 = rss / fit->df;
	fit->sigma = sqrt(sigma2);
	fit->r2 = 1.0 - rss / syy;
	fit->adj_r2 = 1.0 - (1.0 - fit->r2) * (n - 1.0) / fit->df;
	fit->f = q > 0 ? (fit->r2 / q) / ((1.0 - fit->r2) / fit->df) : NAN;
	fit->f_p = q > 0 ? cb_f_sf(fit->f, q, fit->df) : NAN;
	/* Var(b0) = sigma2 (1/n + xbar' S^-1 xbar) */
	v0 = 1.0 / n;
	for (int i = 0; i < q; i++)
		for (int j = 0; j < q; j++)
			v0 += mean[sel[i]] * inv[i * q + j] * mean[sel[j]];
	fit->se[0] = sqrt(sigma2 * v0);
	for (int i = 0; i < q; i++)
		fit->se[i + 1] = sqrt(sigma2 * inv[i * q + i]);
	for (int i = 0; i <= q; i++)
	{
		fit->t[i] = fit->coef[i] / fit->se[i];
		fit->p[i] = cb_t_p2(fit->t[i], fit->df);
	}
	return true;
}

/* Fills the common OLS fields starting at values[off]; 13 fields. */
static void
ols_values(const OlsFit *fit, Datum *values, bool *nulls, int off)
{
	values[off + 0] = cb_float8_array_datum(fit->coef, fit->q + 1);
	values[off + 1] = cb_float8_array_datum(fit->se, fit->q + 1);
	values[off + 2] = cb_float8_array_datum(fit->t, fit->q + 1);
	values[off + 3] = cb_float8_array_datum(fit->p, fit->q + 1);
	values[off + 4] = cb_float8_array_datum(fit->std_coef, fit->q);
	values[off + 5] = cb_float8_array_datum(fit->vif, fit->q);
	CB_FLOAT8_OR_NULL(fit->r2, values, nulls, off + 6);
	CB_FLOAT8_OR_NULL(fit->adj_r2, values, nulls, off + 7);
	CB_FLOAT8_OR_NULL(fit->f, values, nulls, off + 8);
	CB_FLOAT8_OR_NULL(fit->f_p, values, nulls, off + 9);
	CB_FLOAT8_OR_NULL(fit->sigma, values, nulls, off + 10);
	values[off + 11] = Int64GetDatum((int64) fit->n);
	values[off + 12] = Float8GetDatum(fit->df);
}

Datum
cb_ols_step(PG_FUNCTION_ARGS)
{
	return cb_mom_transition(fcinfo, &ols_names, NULL);
}

Datum
cb_ols_final(PG_FUNCTION_ARGS)
{
	double	   *st = cb_mom_state(PG_GETARG_ARRAYTYPE_P(0), ols_names.func);
	Datum		values[13];
	bool		nulls[13] = {false};
	OlsFit		fit;
	int			p;
	int		   *all;

	if (st == NULL)
		PG_RETURN_NULL();
	cb_mom_check_fit(st, &ols_names);
	p = (int) st[CB_MOM_M] - 1;
	all = palloc(sizeof(int) * p);
	for (int j = 0; j < p; j++)
		all[j] = j + 1;
	ols_core(st, all, p, true, ols_names.func, &fit);
	ols_values(&fit, values, nulls, 0);
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}

static void
parse_stepwise_options(const char *text, double *opt)
{
	static const char *const allowed[] = {"enter", "remove", NULL};
	CbOptions	opts;

	cb_options_parse(&opts, stepwise_names.func, text, allowed);
	opt[0] = cb_opt_float(&opts, "enter", 0.05, 0.0, 1.0, true);
	opt[1] = cb_opt_float(&opts, "remove", 0.10, 0.0, 1.0, true);
	if (opt[1] < opt[0])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ols_stepwise: option \"remove\" must be at least option \"enter\""),
				 errhint("SPSS uses enter=0.05 remove=0.10.")));
}

Datum
cb_ols_stepwise_step(PG_FUNCTION_ARGS)
{
	return cb_mom_transition(fcinfo, &stepwise_names, parse_stepwise_options);
}

/*
 * SPSS stepwise: enter the candidate with the smallest p-value below
 * "enter", then remove the selected covariate with the largest p-value above
 * "remove" until none is; stop when no candidate enters.  Collinear
 * candidates cannot enter.  The step count is bounded so that a cycle
 * between entry and removal cannot hang.
 */
static int
stepwise_select(double *st, double p_enter, double p_remove, int *sel)
{
	int			p = (int) st[CB_MOM_M] - 1;
	int			q = 0;
	bool	   *in = palloc0(sizeof(bool) * (p + 1));

	for (int iter = 0; iter < 4 * p + 4; iter++)
	{
		int			best = 0;
		double		best_p = p_enter;
		OlsFit		fit;

		CHECK_FOR_INTERRUPTS();	/* each step fits up to p models */
		for (int cand = 1; cand <= p; cand++)
		{
			if (in[cand])
				continue;
			sel[q] = cand;
			if (ols_core(st, sel, q + 1, false, stepwise_names.func, &fit) && fit.p[q + 1] < best_p)
			{
				best_p = fit.p[q + 1];
				best = cand;
			}
		}
		if (best == 0)
			break;
		sel[q++] = best;
		in[best] = true;
		for (;;)
		{
			int			worst = -1;
			double		worst_p = p_remove;

			ols_core(st, sel, q, true, stepwise_names.func, &fit);
			for (int i = 0; i < q; i++)
				if (fit.p[i + 1] > worst_p)
				{
					worst_p = fit.p[i + 1];
					worst = i;
				}
			if (worst < 0)
				break;
			in[sel[worst]] = false;
			memmove(sel + worst, sel + worst + 1, sizeof(int) * (q - worst - 1));
			q--;
		}
	}
	return q;
}

Datum
cb_ols_stepwise_final(PG_FUNCTION_ARGS)
{
	double	   *st = cb_mom_state(PG_GETARG_ARRAYTYPE_P(0), stepwise_names.func);
	Datum		values[14];
	bool		nulls[14] = {false};
	Datum	   *selected;
	OlsFit		fit;
	int		   *sel;
	int			q;

	if (st == NULL)
		PG_RETURN_NULL();
	if (!(st[CB_MOM_OPT] > 0 && st[CB_MOM_OPT] <= 1 &&
		  st[CB_MOM_OPT + 1] >= st[CB_MOM_OPT] && st[CB_MOM_OPT + 1] <= 1))
		cb_state_invalid(stepwise_names.func, "The enter and remove thresholds of the state are out of range.");
	cb_mom_check_fit(st, &stepwise_names);
	sel = palloc(sizeof(int) * st[CB_MOM_M]);
	q = stepwise_select(st, st[CB_MOM_OPT], st[CB_MOM_OPT + 1], sel);
	ols_core(st, sel, q, true, stepwise_names.func, &fit);
	selected = palloc(sizeof(Datum) * (q + 1));
	for (int i = 0; i < q; i++)
		selected[i] = Int32GetDatum(sel[i]);
	values[0] = PointerGetDatum(construct_array(selected, q, INT4OID, 4, true, TYPALIGN_INT));
	ols_values(&fit, values, nulls, 1);
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}

/* ---------------- independent-samples t-test ---------------- */

/* State: per group (false, true) n, mean, M2; then skipped rows. */
#define TT_STATE_LEN 7

static double *
ttest_state(ArrayType *arr)
{
	double	   *st = cb_state_float8(arr, "ttest_ind", TT_STATE_LEN, TT_STATE_LEN, true, NULL);

	for (int g = 0; g < 6; g += 3)
	{
		cb_state_count(st[g], CB_STATE_MAX_ROWS, "ttest_ind", "row count");
		if (st[g + 2] < 0)
			cb_state_invalid("ttest_ind", "A sum of squares of the state is negative.");
	}
	cb_state_count(st[6], CB_STATE_MAX_ROWS, "ttest_ind", "skipped row count");
	return st;
}

Datum
cb_ttest_step(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	ArrayType  *state;
	double	   *st;
	double	   *g;
	double		v;
	double		d;

	cb_require_aggregate(fcinfo, "ttest_ind", &aggctx);
	state = PG_GETARG_ARRAYTYPE_P(0);
	st = ttest_state(state);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		st[6] += 1;
		PG_RETURN_ARRAYTYPE_P(state);
	}
	v = PG_GETARG_FLOAT8(1);
	cb_check_finite(v, "ttest_ind", "value", "row", (int64) (st[0] + st[3] + st[6]) + 1);
	g = st + (PG_GETARG_BOOL(2) ? 3 : 0);
	g[0] += 1;
	d = v - g[1];
	g[1] += d / g[0];
	g[2] += d * (v - g[1]);
	cb_check_sum_finite(g[2], "ttest_ind", "value");
	PG_RETURN_ARRAYTYPE_P(state);
}

Datum
cb_ttest_combine(PG_FUNCTION_ARGS)
{
	double	   *a = ttest_state(PG_GETARG_ARRAYTYPE_P(0));
	double	   *b = ttest_state(PG_GETARG_ARRAYTYPE_P(1));
	double		r[TT_STATE_LEN];

	for (int g = 0; g < 6; g += 3)
	{
		double		n = a[g] + b[g];
		double		delta = b[g + 1] - a[g + 1];

		r[g] = n;
		r[g + 1] = n > 0 ? a[g + 1] + delta * b[g] / n : 0.0;
		r[g + 2] = a[g + 2] + b[g + 2] + (n > 0 ? delta * delta * a[g] * b[g] / n : 0.0);
		cb_check_sum_finite(r[g + 1], "ttest_ind", "value");
		cb_check_sum_finite(r[g + 2], "ttest_ind", "value");
	}
	r[6] = a[6] + b[6];
	PG_RETURN_DATUM(cb_float8_array_datum(r, TT_STATE_LEN));
}

Datum
cb_ttest_final(PG_FUNCTION_ARGS)
{
	double	   *st = ttest_state(PG_GETARG_ARRAYTYPE_P(0));
	double		n0 = st[0], m0 = st[1], n1 = st[3], m1 = st[4];
	double		v0, v1, pooled, se_s, se_w, df_w, diff = m1 - m0;
	Datum		values[10];
	bool		nulls[10] = {false};

	if (n0 + n1 == 0)
		PG_RETURN_NULL();
	if (n0 < 2 || n1 < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ttest_ind: each group needs at least 2 values"),
				 errdetail("Group true has %.0f and group false %.0f non-NULL values.", n1, n0)));
	v0 = st[2] / (n0 - 1);
	v1 = st[5] / (n1 - 1);
	pooled = (st[2] + st[5]) / (n0 + n1 - 2);
	se_s = sqrt(pooled * (1.0 / n0 + 1.0 / n1));
	se_w = sqrt(v0 / n0 + v1 / n1);
	/* Welch-Satterthwaite degrees of freedom */
	df_w = pow(v0 / n0 + v1 / n1, 2) / (pow(v0 / n0, 2) / (n0 - 1) + pow(v1 / n1, 2) / (n1 - 1));
	/* both groups constant: t undefined, NULL rather than NaN */
	CB_FLOAT8_OR_NULL(diff / se_s, values, nulls, 0);
	values[1] = Float8GetDatum(n0 + n1 - 2);
	CB_FLOAT8_OR_NULL(cb_t_p2(diff / se_s, n0 + n1 - 2), values, nulls, 2);
	CB_FLOAT8_OR_NULL(diff / se_w, values, nulls, 3);
	CB_FLOAT8_OR_NULL(df_w, values, nulls, 4);
	CB_FLOAT8_OR_NULL(cb_t_p2(diff / se_w, df_w), values, nulls, 5);
	values[6] = Float8GetDatum(m1);
	values[7] = Float8GetDatum(m0);
	values[8] = Int64GetDatum((int64) n1);
	values[9] = Int64GetDatum((int64) n0);
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}
