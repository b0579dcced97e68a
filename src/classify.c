/*
 * classify.c
 *    Classification window functions (SPEC section 9): natural_breaks
 *    (Jenks), quantile_class and equal_interval_class as R classInt with
 *    intervals closed on the right, and hclust (Ward "ward.D2" or average
 *    linkage on z-scored features) cut at k clusters as R cutree.
 */
#include "carbonbudget.h"

#include "utils/builtins.h"
#include "windowapi.h"

#include "classify.h"
#include "spatial_input.h"

typedef enum BreakStyle
{
	STYLE_JENKS,
	STYLE_QUANTILE,
	STYLE_EQUAL
} BreakStyle;

/* Largest k accepted: classes are for maps and zoning, and Jenks costs n * k memory. */
#define CB_MAX_CLASSES 1000

/* k from the first row of the partition where it is not NULL; 0 if all NULL. */
static int
window_classes_arg(WindowObject winobj, int argno, int64 nrows, const char *func)
{
	for (int64 r = 0; r < nrows; r++)
	{
		bool		isnull,
					isout;
		Datum		d = WinGetFuncArgInPartition(winobj, argno, r, WINDOW_SEEK_HEAD, false,
												 &isnull, &isout);

		if (!isnull)
		{
			int32		k = DatumGetInt32(d);

			if (k < 1 || k > CB_MAX_CLASSES)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: k must be between 1 and %d", func, CB_MAX_CLASSES),
						 errdetail("k is %d.", k)));
			return k;
		}
	}
	return 0;
}

/*
 * Classes of one partition: the values are read, sorted, broken into k
 * classes and each row given the class of its value (0 = NULL value).
 */
static void
classify_partition(WindowObject winobj, FunctionCallInfo fcinfo, int32 *cls, int64 nrows,
				   BreakStyle style, const char *func)
{
	int			k = window_classes_arg(winobj, 1, nrows, func);
	double	   *values = palloc(sizeof(double) * (nrows > 0 ? nrows : 1));
	bool	   *isnull = palloc(sizeof(bool) * (nrows > 0 ? nrows : 1));
	double	   *sorted;
	double	   *brks;
	double		unit;
	int			n = 0;

	(void) fcinfo;
	for (int64 r = 0; r < nrows; r++)
	{
		bool		isout;
		Datum		d = WinGetFuncArgInPartition(winobj, 0, r, WINDOW_SEEK_HEAD, false, &isnull[r], &isout);

		cls[r] = 0;
		if (isnull[r])
			continue;
		values[r] = DatumGetFloat8(d);
		cb_check_finite(values[r], func, "value", "row", r + 1);
		n++;
	}
	if (n == 0 || k == 0)
		return;
	sorted = palloc(sizeof(double) * n);
	n = 0;
	for (int64 r = 0; r < nrows; r++)
		if (!isnull[r])
			sorted[n++] = values[r];
	qsort(sorted, n, sizeof(double), cb_cmp_double);
	if (sorted[0] == sorted[n - 1])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: value has a single distinct value", func),
				 errdetail("All %d non-NULL values are %g.", n, sorted[0]),
				 errhint("Classes need at least two distinct values.")));
	if (style == STYLE_JENKS && k > n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: k must not exceed the number of non-NULL values", func),
				 errdetail("k is %d, there are %d values.", k, n)));
	/*
	 * Classes depend only on the order and ratios of the values: dividing by
	 * a power-of-two unit (exact) keeps Jenks's sums of squares finite
	 */
	unit = Max(cb_pow2_unit(1, &sorted[0]), cb_pow2_unit(1, &sorted[n - 1]));
	for (int i = 0; i < n; i++)
		sorted[i] /= unit;
	for (int64 r = 0; r < nrows; r++)
		if (!isnull[r])
			values[r] /= unit;
	brks = palloc(sizeof(double) * (k + 1));
	if (style == STYLE_JENKS)
		cb_jenks_breaks(sorted, n, k, brks);
	else if (style == STYLE_QUANTILE)
		cb_quantile_breaks(sorted, n, k, brks);
	else
		cb_equal_breaks(sorted, n, k, brks);
	for (int64 r = 0; r < nrows; r++)
		if (!isnull[r])
			cls[r] = cb_class_of(values[r], brks, k);
}

/* Fills the class (0 = NULL) of every row of the partition. */
typedef void (*PartitionClassifier) (WindowObject winobj, FunctionCallInfo fcinfo, int32 *cls,
									 int64 nrows, BreakStyle style, const char *func);

/*
 * Shared body of the integer-valued window functions: the whole partition
 * is classified once, in a work context, and each row returns its entry.
 */
static Datum
class_window(FunctionCallInfo fcinfo, PartitionClassifier classify, BreakStyle style, const char *func)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	int64		nrows;
	bool		fresh;
	int32	   *cls = cb_window_partition_memory(winobj, sizeof(int32), &nrows, &fresh);
	int32		c;

	if (fresh)
	{
		MemoryContext work = cb_work_context("classify"),
					old = MemoryContextSwitchTo(work);

		classify(winobj, fcinfo, cls, nrows, style, func);
		MemoryContextSwitchTo(old);
		MemoryContextDelete(work);
	}
	c = cls[WinGetCurrentPosition(winobj)];
	if (c == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT32(c);
}

static Datum
classify_window(FunctionCallInfo fcinfo, BreakStyle style, const char *func)
{
	return class_window(fcinfo, classify_partition, style, func);
}

PG_FUNCTION_INFO_V1(cb_natural_breaks_window);
Datum
cb_natural_breaks_window(PG_FUNCTION_ARGS)
{
	return classify_window(fcinfo, STYLE_JENKS, "natural_breaks");
}

PG_FUNCTION_INFO_V1(cb_quantile_class_window);
Datum
cb_quantile_class_window(PG_FUNCTION_ARGS)
{
	return classify_window(fcinfo, STYLE_QUANTILE, "quantile_class");
}

PG_FUNCTION_INFO_V1(cb_equal_interval_class_window);
Datum
cb_equal_interval_class_window(PG_FUNCTION_ARGS)
{
	return classify_window(fcinfo, STYLE_EQUAL, "equal_interval_class");
}

/* ---- hclust ---- */

/* The linkage from the method argument; false when it is NULL (then every row gets NULL, as strict). */
static bool
hclust_method(WindowObject winobj, FunctionCallInfo fcinfo, CbLinkage *linkage)
{
	bool		isnull;
	Datum		d;
	char	   *m;

	*linkage = CB_LINK_WARD;
	if (PG_NARGS() < 3)
		return true;
	d = WinGetFuncArgCurrent(winobj, 2, &isnull);
	if (isnull)
		return false;
	m = TextDatumGetCString(d);
	if (pg_strcasecmp(m, "ward") == 0 || pg_strcasecmp(m, "ward.D2") == 0)
		return true;
	if (pg_strcasecmp(m, "average") == 0)
	{
		*linkage = CB_LINK_AVERAGE;
		return true;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("hclust: unknown method \"%s\"", m),
			 errhint("Use ward or average.")));
	return false;				/* keep compiler quiet */
}

/*
 * Rows with a NULL feature array are left out (NULL cluster); the others
 * must all have the same number of finite features.
 */
static void
hclust_partition(WindowObject winobj, FunctionCallInfo fcinfo, int32 *cls, int64 nrows,
				 BreakStyle style, const char *func)
{
	int			k = window_classes_arg(winobj, 1, nrows, func);
	CbLinkage	linkage;
	bool		has_method = hclust_method(winobj, fcinfo, &linkage);
	int			p = -1,
				n = 0,
				bad;
	double	   *x = NULL;
	int		   *rowof = palloc(sizeof(int) * (nrows > 0 ? nrows : 1));
	int		   *labels;

	(void) style;				/* the linkage comes from the method argument */
	cb_progress_start(func);
	for (int64 r = 0; r < nrows; r++)
	{
		bool		isnull,
					isout;
		Datum		d = WinGetFuncArgInPartition(winobj, 0, r, WINDOW_SEEK_HEAD, false, &isnull, &isout);
		double	   *f;
		int			len;

		cls[r] = 0;
		if (isnull)
			continue;
		len = cb_float8_array(DatumGetArrayTypeP(d), "hclust", "features", &f);
		if (p < 0)
		{
			if (len < 1)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("hclust: features must not be empty")));
			p = len;
			x = palloc(mul_size(mul_size(sizeof(double), nrows), p));
		}
		else if (len != p)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("hclust: features must have the same length in every row"),
					 errdetail("Row " INT64_FORMAT " has %d features, the first row %d.", r + 1, len, p)));
		for (int c = 0; c < p; c++)
		{
			cb_check_finite(f[c], "hclust", "features", "row", r + 1);
			x[(size_t) n * p + c] = f[c];
		}
		rowof[n++] = (int) r;
	}
	if (n == 0 || k == 0 || !has_method)
		return;
	if (n < 2 || k > n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("hclust: k must not exceed the number of rows with features"),
				 errdetail("k is %d, there are %d rows.", k, n),
				 errhint("Clustering needs at least two rows.")));
	bad = cb_zscore_columns(x, n, p);
	if (bad >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("hclust: feature %d has zero variance", bad + 1),
				 errhint("Features are z-scored; drop constant features.")));
	labels = palloc(sizeof(int) * n);
	cb_hclust(x, n, p, linkage, k, labels);
	for (int i = 0; i < n; i++)
		cls[rowof[i]] = labels[i];
}

PG_FUNCTION_INFO_V1(cb_hclust_window);
Datum
cb_hclust_window(PG_FUNCTION_ARGS)
{
	return class_window(fcinfo, hclust_partition, STYLE_JENKS, "hclust");
}
