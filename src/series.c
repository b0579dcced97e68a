/*
 * series.c
 *    Aggregate state holding every (a, b) pair of the input, with the
 *    serialise, deserialise and combine functions that make the series
 *    aggregates parallel-safe (see series.h for why the state is the data).
 */
#include "carbonbudget.h"

#include "utils/builtins.h"

#include "series.h"

#define SERIES_INITIAL_CAPACITY 64

static CbSeries *
series_new(void)
{
	CbSeries   *s = palloc0(sizeof(CbSeries));

	s->capacity = SERIES_INITIAL_CAPACITY;
	s->a = palloc(sizeof(double) * s->capacity);
	s->b = palloc(sizeof(double) * s->capacity);
	s->setting = -1;
	return s;
}

/* Room for `extra` more pairs; doubles the arrays so appends stay O(1). */
static void
series_reserve(CbSeries *s, int64 extra)
{
	int64		need = s->n + extra;
	int64		cap = s->capacity;

	if (need <= cap)
		return;
	while (cap < need)
		cap *= 2;
	s->a = repalloc_huge(s->a, mul_size(sizeof(double), (Size) cap));
	s->b = repalloc_huge(s->b, mul_size(sizeof(double), (Size) cap));
	s->capacity = cap;
}

CbSeries *
cb_series_state(FunctionCallInfo fcinfo, const char *func)
{
	MemoryContext aggcontext;
	MemoryContext old;
	CbSeries   *s;

	cb_require_aggregate(fcinfo, func, &aggcontext);
	if (!PG_ARGISNULL(0))
		return (CbSeries *) PG_GETARG_POINTER(0);
	old = MemoryContextSwitchTo(aggcontext);
	s = series_new();
	MemoryContextSwitchTo(old);
	return s;
}

void
cb_series_add(CbSeries *s, double a, double b)
{
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(s));

	series_reserve(s, 1);
	s->a[s->n] = a;
	s->b[s->n] = b;
	s->n++;
	MemoryContextSwitchTo(old);
}

typedef struct Pair
{
	double		a;
	double		b;
} Pair;

static int
cmp_pair(const void *x, const void *y)
{
	const Pair *p = x;
	const Pair *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return (p->b > q->b) - (p->b < q->b);
}

void
cb_series_sort(CbSeries *s)
{
	Pair	   *pairs = palloc_extended(mul_size(sizeof(Pair), (Size) Max(s->n, 1)), MCXT_ALLOC_HUGE);

	for (int64 i = 0; i < s->n; i++)
	{
		pairs[i].a = s->a[i];
		pairs[i].b = s->b[i];
	}
	qsort(pairs, (size_t) s->n, sizeof(Pair), cmp_pair);
	for (int64 i = 0; i < s->n; i++)
	{
		s->a[i] = pairs[i].a;
		s->b[i] = pairs[i].b;
	}
	pfree(pairs);
}

/* ---- parallel support: bytea layout n, skipped, setting, options length, options, a[], b[] ---- */

typedef struct SeriesHeader
{
	int64		n;
	int64		skipped;
	int32		setting;
	int32		options_len;	/* -1: no options */
} SeriesHeader;

PG_FUNCTION_INFO_V1(cb_series_serialize);
Datum
cb_series_serialize(PG_FUNCTION_ARGS)
{
	CbSeries   *s = (CbSeries *) PG_GETARG_POINTER(0);
	SeriesHeader h;
	Size		arrays = mul_size(2 * sizeof(double), (Size) s->n);
	Size		size;
	bytea	   *out;
	char	   *p;

	h.n = s->n;
	h.skipped = s->skipped;
	h.setting = s->setting;
	h.options_len = s->options ? (int32) strlen(s->options) : -1;
	size = add_size(add_size(VARHDRSZ + sizeof(h), Max(h.options_len, 0)), arrays);
	out = palloc_extended(size, MCXT_ALLOC_HUGE);
	SET_VARSIZE(out, size);
	p = VARDATA(out);
	memcpy(p, &h, sizeof(h));
	p += sizeof(h);
	if (h.options_len > 0)
		memcpy(p, s->options, h.options_len);
	p += Max(h.options_len, 0);
	memcpy(p, s->a, sizeof(double) * s->n);
	p += sizeof(double) * s->n;
	memcpy(p, s->b, sizeof(double) * s->n);
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(cb_series_deserialize);
Datum
cb_series_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(in);
	Size		len = VARSIZE_ANY_EXHDR(in);
	SeriesHeader h;
	MemoryContext aggcontext;
	MemoryContext old;
	CbSeries   *s;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "series deserialise function called in non-aggregate context");
	if (len < sizeof(h))
		elog(ERROR, "corrupt series aggregate state, please report a bug");
	memcpy(&h, p, sizeof(h));
	if (h.n < 0 || h.options_len < -1 ||
		len != sizeof(h) + Max(h.options_len, 0) + 2 * sizeof(double) * (Size) h.n)
		elog(ERROR, "corrupt series aggregate state, please report a bug");
	p += sizeof(h);
	old = MemoryContextSwitchTo(aggcontext);
	s = series_new();
	s->skipped = h.skipped;
	s->setting = h.setting;
	if (h.options_len >= 0)
		s->options = pnstrdup(p, h.options_len);
	p += Max(h.options_len, 0);
	series_reserve(s, h.n);
	memcpy(s->a, p, sizeof(double) * h.n);
	p += sizeof(double) * h.n;
	memcpy(s->b, p, sizeof(double) * h.n);
	s->n = h.n;
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(cb_series_combine);
Datum
cb_series_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	MemoryContext old;
	CbSeries   *s1;
	CbSeries   *s2;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "series combine function called in non-aggregate context");
	if (PG_ARGISNULL(1))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));	/* NULL too when both are */
	s2 = (CbSeries *) PG_GETARG_POINTER(1);
	old = MemoryContextSwitchTo(aggcontext);
	if (PG_ARGISNULL(0))
		s1 = series_new();
	else
		s1 = (CbSeries *) PG_GETARG_POINTER(0);
	/* the method (gini_signed) and options (mann_kendall) are constant over the rows; a state without rows has none yet */
	if (s1->setting < 0)
		s1->setting = s2->setting;
	else if (s2->setting >= 0 && s2->setting != s1->setting)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("gini_signed: method must be the same in every row")));
	if (!s1->options && s2->options)
		s1->options = pstrdup(s2->options);
	else if (s1->options && s2->options && strcmp(s1->options, s2->options) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("mann_kendall: options must be the same in every row")));
	series_reserve(s1, s2->n);
	memcpy(s1->a + s1->n, s2->a, sizeof(double) * s2->n);
	memcpy(s1->b + s1->n, s2->b, sizeof(double) * s2->n);
	s1->n += s2->n;
	s1->skipped += s2->skipped;
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(s1);
}
