/*
 * series.h
 *    The collected rows of an aggregate that needs its whole input at once:
 *    (t, value) pairs for the trend statistics, (value, weight) pairs for
 *    the Gini coefficients.
 *
 * Such statistics (medians of pairwise slopes, ranks, sorted cumulative
 * sums) do not reduce to a fixed-size summary, so the state is the data
 * set itself.  It is still parallel-safe: two partial states merge by
 * concatenation (the final function sorts), and the state travels between
 * processes as bytea through the serialise/deserialise functions.
 */
#ifndef CB_SERIES_H
#define CB_SERIES_H

#include "postgres.h"

#include "fmgr.h"

typedef struct CbSeries
{
	int64		n;				/* pairs collected */
	int64		capacity;		/* allocated length of a and b */
	double	   *a;				/* first value of each pair (t, or the value) */
	double	   *b;				/* second value of each pair (value, or the weight) */
	int64		skipped;		/* rows skipped because an argument was NULL */
	int32		setting;		/* function-specific code read from the first row (e.g. method) */
	char	   *options;		/* options text of the first row, or NULL */
} CbSeries;

/*
 * The aggregate state for this call, created in the aggregate context on
 * the first row (func names the SQL function in messages).
 */
extern CbSeries *cb_series_state(FunctionCallInfo fcinfo, const char *func);
/* Appends one pair (in the aggregate context the state lives in). */
extern void cb_series_add(CbSeries *s, double a, double b);

/* Sorts the pairs by a (then b), in place. */
extern void cb_series_sort(CbSeries *s);

/* SQL support functions shared by every series aggregate. */
extern Datum cb_series_serialize(PG_FUNCTION_ARGS);
extern Datum cb_series_deserialize(PG_FUNCTION_ARGS);
extern Datum cb_series_combine(PG_FUNCTION_ARGS);

#endif							/* CB_SERIES_H */
