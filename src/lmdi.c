/*
 * lmdi.c
 *    The lmdi aggregate (SPEC section 14, paper 001 section 2.1.1): LMDI-I
 *    decomposition (Ang 2005) of the change of an emission C = prod_k x_k
 *    between a base and a target year, additive effects and multiplicative
 *    factors, directly or chained year on year.  The maths is in
 *    src/kernels/decomposition.c.
 *
 * The state holds every row (t, C, x_1 .. x_m): the years to compare are
 * known only at the end, and a chained decomposition needs all of them.
 * Partial states merge by concatenation and travel as bytea (serialise and
 * deserialise below), as the trend aggregates' series do.
 */
#include "carbonbudget.h"

#include "miscadmin.h"
#include "utils/builtins.h"

#include "decomposition.h"
#include "options.h"

#define LMDI_FUNC "lmdi"
#define LMDI_DEFAULT_TOLERANCE 1e-6
/* a factor list that long is a mistake (and keeps the serialised size arithmetic small) */
#define LMDI_MAX_FACTORS 1000

static const char *const lmdi_keys[] = {"base", "target", "chain", "tolerance", NULL};

typedef struct LmdiState
{
	int32		m;				/* factors per row; 0 before the first row */
	int64		n;				/* rows collected */
	int64		capacity;		/* rows allocated */
	double	   *rows;			/* n rows of m + 2 values: t, C, x_1 .. x_m */
	int64		skipped;		/* rows with a NULL t, emission or factors */
	char	   *options;		/* options text of the rows, or NULL */
} LmdiState;

typedef struct LmdiOptions
{
	bool		has_base;
	double		base;
	bool		has_target;
	double		target;
	bool		chain;
	double		tolerance;
} LmdiOptions;

static void
parse_options(const char *text, LmdiOptions *o)
{
	CbOptions	opts;

	cb_options_parse(&opts, LMDI_FUNC, text, lmdi_keys);
	o->has_base = cb_opt_present(&opts, "base");
	o->base = cb_opt_float(&opts, "base", 0, -INFINITY, INFINITY, false);
	o->has_target = cb_opt_present(&opts, "target");
	o->target = cb_opt_float(&opts, "target", 0, -INFINITY, INFINITY, false);
	o->chain = cb_opt_bool(&opts, "chain", false);
	/* below 1: a relative difference of 1 means C or the product is 0 and the other is not */
	o->tolerance = cb_opt_float(&opts, "tolerance", LMDI_DEFAULT_TOLERANCE, 0, 0.5, false);
	if (o->has_base && o->has_target && o->base >= o->target)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lmdi: option \"base\" must be before option \"target\""),
				 errdetail("base=%g, target=%g.", o->base, o->target)));
}

static LmdiState *
state_new(MemoryContext cxt)
{
	return MemoryContextAllocZero(cxt, sizeof(LmdiState));
}

/* Room for extra more rows (in the state's context); doubles so appends stay O(1). */
static void
state_reserve(LmdiState *s, int64 extra)
{
	int64		need = s->n + extra;
	int64		cap = Max(s->capacity, 16);
	Size		width = sizeof(double) * (s->m + 2);

	if (s->rows != NULL && need <= s->capacity)
		return;
	while (cap < need)
		cap *= 2;
	if (s->rows == NULL)
		s->rows = MemoryContextAllocHuge(GetMemoryChunkContext(s), mul_size(width, (Size) cap));
	else
		s->rows = repalloc_huge(s->rows, mul_size(width, (Size) cap));
	s->capacity = cap;
}

/* The options text of a row: every row must give the same. */
static void
state_options(LmdiState *s, const char *options)
{
	if (s->options == NULL)
	{
		LmdiOptions o;

		parse_options(options, &o);	/* bad options fail at the first row */
		s->options = MemoryContextStrdup(GetMemoryChunkContext(s), options);
	}
	else if (strcmp(s->options, options) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lmdi: options must be the same in every row")));
}

PG_FUNCTION_INFO_V1(cb_lmdi_step);
Datum
cb_lmdi_step(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	LmdiState  *s;
	double	   *x;
	double	   *row;
	int			m;
	int64		rowno;

	cb_require_aggregate(fcinfo, LMDI_FUNC, &aggctx);
	s = PG_ARGISNULL(0) ? state_new(aggctx) : (LmdiState *) PG_GETARG_POINTER(0);
	state_options(s, PG_NARGS() > 4 && !PG_ARGISNULL(4) ? text_to_cstring(PG_GETARG_TEXT_PP(4)) : "");
	rowno = s->n + s->skipped + 1;
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		s->skipped++;
		PG_RETURN_POINTER(s);
	}
	m = cb_float8_array(PG_GETARG_ARRAYTYPE_P(3), LMDI_FUNC, "factors", &x);
	if (m < 1 || m > LMDI_MAX_FACTORS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lmdi: factors must have 1 to %d elements, got %d", LMDI_MAX_FACTORS, m),
				 errhint("Pass the factors of the identity C = x_1 * ... * x_m, e.g. ARRAY[population, gdp / population, energy / gdp, ce / energy].")));
	if (s->m == 0)
		s->m = m;
	else if (s->m != m)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("lmdi: factors must have the same length in every row"),
				 errdetail("Row " INT64_FORMAT " has %d factors, earlier rows %d.", rowno, m, s->m)));
	state_reserve(s, 1);
	row = s->rows + s->n * (m + 2);
	row[0] = PG_GETARG_FLOAT8(1);
	row[1] = PG_GETARG_FLOAT8(2);
	cb_check_finite(row[0], LMDI_FUNC, "t", "row", rowno);
	cb_check_finite(row[1], LMDI_FUNC, "emission", "row", rowno);
	for (int k = 0; k < m; k++)
	{
		cb_check_finite(x[k], LMDI_FUNC, "factors", "row", rowno);
		row[2 + k] = x[k];
	}
	s->n++;
	PG_RETURN_POINTER(s);
}

static int
cmp_row_t(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

/* Rows sorted by t (a copy: the state may still grow in a window), one per year. */
static double *
sorted_rows(const LmdiState *s)
{
	int			width = s->m + 2;
	Size		bytes = mul_size(sizeof(double) * width, (Size) Max(s->n, 1));
	double	   *rows = palloc_extended(bytes, MCXT_ALLOC_HUGE);

	memcpy(rows, s->rows, sizeof(double) * width * s->n);
	/* qsort moves whole rows: t is their first element */
	qsort(rows, (size_t) s->n, sizeof(double) * width, cmp_row_t);
	for (int64 i = 1; i < s->n; i++)
		if (rows[i * width] == rows[(i - 1) * width])
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("lmdi: t must not repeat, %g occurs more than once", rows[i * width]),
					 errhint("Aggregate one emission and one set of factors per year first, e.g. with GROUP BY.")));
	return rows;
}

/* Index of the row at year t, for options base and target. */
static int64
row_at(const double *rows, int64 n, int width, double t, const char *key)
{
	for (int64 i = 0; i < n; i++)
		if (rows[i * width] == t)
			return i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("lmdi: option \"%s\" is %g, which is no t of the rows", key, t),
			 errdetail("t runs from %g to %g.", rows[0], rows[(n - 1) * width]),
			 errhint("Give a year that has a row with non-NULL t, emission and factors.")));
	return -1;					/* keep compiler quiet */
}

/* rows: the base year's row onwards, as the kernel saw them */
static void
report_failure(CbLmdiStatus status, const CbLmdi *r, const double *rows, int width, bool chain,
			   double tolerance)
{
	const double *y = rows + r->bad_year * width;
	const double *from = chain ? y - width : rows;

	if (status == CB_LMDI_NOT_IDENTITY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lmdi: emission is not the product of the factors at t = %g", y[0]),
				 errdetail("Emission %g, relative difference from the product %.3g, tolerance %g.",
						   y[1], r->identity_error, tolerance),
				 errhint("Give factors whose product is the emission (Kaya: population, GDP per person, energy per GDP, emission per energy), or raise option tolerance.")));
	if (r->bad_factor >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lmdi: factors[%d] changes sign at t = %g", r->bad_factor + 1, y[0]),
				 errdetail("It is %g at t = %g and %g at t = %g; the logarithm of a negative ratio is undefined.",
						   from[2 + r->bad_factor], from[0], y[2 + r->bad_factor], y[0]),
				 errhint("Decompose the periods before and after the change of sign separately.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("lmdi: emission changes sign at t = %g while no factor does", y[0])));
}

PG_FUNCTION_INFO_V1(cb_lmdi_final);
Datum
cb_lmdi_final(PG_FUNCTION_ARGS)
{
	LmdiState  *s;
	LmdiOptions o;
	double	   *rows;
	int			width;
	int64		first,
				last,
				nyears;
	double	   *c;
	double	   *x;
	CbLmdi		r;
	CbLmdiStatus status;
	double	   *mult;
	Datum		values[11];
	bool		nulls[11] = {false};

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (LmdiState *) PG_GETARG_POINTER(0);
	if (s->n < 2)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("lmdi needs at least 2 years with non-NULL t, emission and factors, got " INT64_FORMAT, s->n)));
	parse_options(s->options, &o);
	width = s->m + 2;
	rows = sorted_rows(s);
	first = o.has_base ? row_at(rows, s->n, width, o.base, "base") : 0;
	last = o.has_target ? row_at(rows, s->n, width, o.target, "target") : s->n - 1;
	if (first >= last)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lmdi: the base year must be before the target year"),
				 errdetail("base %g, target %g.", rows[first * width], rows[last * width])));

	/* the years from base to target as the kernel's arrays */
	nyears = last - first + 1;
	c = palloc_extended(sizeof(double) * nyears, MCXT_ALLOC_HUGE);
	x = palloc_extended(mul_size(sizeof(double) * s->m, (Size) nyears), MCXT_ALLOC_HUGE);
	for (int64 i = 0; i < nyears; i++)
	{
		c[i] = rows[(first + i) * width + 1];
		memcpy(x + i * s->m, rows + (first + i) * width + 2, sizeof(double) * s->m);
	}
	r.additive = palloc(sizeof(double) * s->m);
	r.log_factor = palloc(sizeof(double) * s->m);
	status = cb_lmdi(nyears, s->m, c, x, o.chain, o.tolerance, &r);
	if (status != CB_LMDI_OK)
		report_failure(status, &r, rows + first * width, width, o.chain, o.tolerance);

	mult = palloc(sizeof(double) * s->m);
	for (int k = 0; k < s->m; k++)
	{
		cb_finite_result(r.additive[k], LMDI_FUNC);
		mult[k] = isnan(r.log_factor[k]) ? NAN : cb_finite_result(exp(r.log_factor[k]), LMDI_FUNC);
	}
	values[0] = Float8GetDatum(rows[first * width]);
	values[1] = Float8GetDatum(rows[last * width]);
	values[2] = Float8GetDatum(c[0]);
	values[3] = Float8GetDatum(c[nyears - 1]);
	values[4] = Float8GetDatum(cb_finite_result(r.delta, LMDI_FUNC));
	values[5] = cb_float8_array_datum(r.additive, s->m);
	if (isnan(r.log_total))
		nulls[6] = true;		/* C is 0 in the base or the target year: no ratio */
	else
		values[6] = Float8GetDatum(cb_finite_result(exp(r.log_total), LMDI_FUNC));
	values[7] = cb_float8_array_datum(mult, s->m);
	values[8] = Float8GetDatum(cb_finite_result(r.residual, LMDI_FUNC));
	values[9] = Float8GetDatum(r.identity_error);
	values[10] = Int64GetDatum(o.chain ? nyears : 2);
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}

/* ---- parallel support: bytea of a header, the options text and the rows ---- */

#define LMDI_STATE_MAGIC 0x4C4D4431		/* "LMD1" */

typedef struct LmdiHeader
{
	int32		magic;
	int32		m;
	int64		n;
	int64		skipped;
	int32		options_len;	/* -1: no options yet */
	int32		pad;
} LmdiHeader;

PG_FUNCTION_INFO_V1(cb_lmdi_serialize);
Datum
cb_lmdi_serialize(PG_FUNCTION_ARGS)
{
	LmdiState  *s = (LmdiState *) PG_GETARG_POINTER(0);
	LmdiHeader	h = {LMDI_STATE_MAGIC, s->m, s->n, s->skipped, s->options ? (int32) strlen(s->options) : -1, 0};
	Size		rows = mul_size(sizeof(double) * (s->m + 2), (Size) s->n);
	Size		size = add_size(add_size(VARHDRSZ + sizeof(h), Max(h.options_len, 0)), rows);
	bytea	   *out = palloc_extended(size, MCXT_ALLOC_HUGE);
	char	   *p = VARDATA(out);

	SET_VARSIZE(out, size);
	memcpy(p, &h, sizeof(h));
	p += sizeof(h);
	if (h.options_len > 0)
		memcpy(p, s->options, h.options_len);
	p += Max(h.options_len, 0);
	if (s->n > 0)
		memcpy(p, s->rows, rows);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(cb_lmdi_deserialize);
Datum
cb_lmdi_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	MemoryContext aggctx;
	LmdiHeader	h;
	LmdiState  *s;

	cb_require_aggregate(fcinfo, LMDI_FUNC, &aggctx);
	if (len < sizeof(h))
		cb_state_invalid(LMDI_FUNC, "The serialised state is too short.");
	memcpy(&h, p, sizeof(h));
	if (h.magic != LMDI_STATE_MAGIC || h.m < 0 || h.m > LMDI_MAX_FACTORS || h.n < 0 || h.skipped < 0 ||
		h.options_len < -1 || (h.m == 0 && h.n > 0) ||
		(Size) h.n > (len / sizeof(double)) ||
		len != sizeof(h) + Max(h.options_len, 0) + sizeof(double) * (h.m + 2) * (Size) h.n)
		cb_state_invalid(LMDI_FUNC, "The serialised state has a wrong header or length.");
	p += sizeof(h);
	s = state_new(aggctx);
	s->m = h.m;
	s->skipped = h.skipped;
	if (h.options_len >= 0)
		s->options = MemoryContextStrdup(aggctx, pnstrdup(p, h.options_len));
	p += Max(h.options_len, 0);
	if (h.n > 0)
	{
		state_reserve(s, h.n);
		memcpy(s->rows, p, sizeof(double) * (h.m + 2) * h.n);
		s->n = h.n;
	}
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(cb_lmdi_combine);
Datum
cb_lmdi_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	LmdiState  *a;
	LmdiState  *b;

	cb_require_aggregate(fcinfo, LMDI_FUNC, &aggctx);
	if (PG_ARGISNULL(1))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));	/* NULL too when both are */
	b = (LmdiState *) PG_GETARG_POINTER(1);
	a = PG_ARGISNULL(0) ? state_new(aggctx) : (LmdiState *) PG_GETARG_POINTER(0);
	if (b->options)
		state_options(a, b->options);
	if (a->m == 0)
		a->m = b->m;
	else if (b->m != 0 && a->m != b->m)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("lmdi: factors must have the same length in every row")));
	if (b->n > 0)
	{
		state_reserve(a, b->n);
		memcpy(a->rows + a->n * (a->m + 2), b->rows, sizeof(double) * (a->m + 2) * b->n);
		a->n += b->n;
	}
	a->skipped += b->skipped;
	PG_RETURN_POINTER(a);
}
