/*
 * gwr.c
 *    SQL glue of the gwr_fit window function: geographically weighted
 *    regression (GWR) and multiscale GWR (MGWR) over a window partition.
 */
#include "carbonbudget.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "windowapi.h"

#include "gwr.h"
#include "spatial_input.h"

#define FUNC "gwr_fit"

static const char *const gwr_keys[] = {"kernel", "fixed", "bandwidth", "criterion", "multiscale",
"bw_min", "bw_max", "tol", "max_iter", "hat_probes", NULL};
static const char *const kernel_names[] = {"gaussian", "bisquare", "exponential", NULL};
static const char *const criterion_names[] = {"aicc", "aic", "cv", NULL};

/* Settings read from the options text. */
typedef struct GwrSettings
{
	CbGwrKernel kernel;
	bool		fixed;
	bool		search;			/* bandwidth=auto */
	double		bandwidth;		/* when given */
	CbGwrCriterion criterion;
	bool		multiscale;
	double		bw_min;			/* search interval (NaN: mgwr's default); per term for MGWR */
	double		bw_max;
	double		tol;			/* MGWR backfitting convergence */
	int			max_iter;
	int32_t		hat_probes;		/* MGWR: 0 exact hat-matrix replay, else random probes */
} GwrSettings;

static void
gwr_settings(const char *text, GwrSettings *s)
{
	CbOptions	opts;
	const char *bw;

	cb_options_parse(&opts, FUNC, text ? text : "", gwr_keys);
	s->kernel = (CbGwrKernel) cb_opt_choice(&opts, "kernel", kernel_names, CB_GWR_BISQUARE);
	s->fixed = cb_opt_bool(&opts, "fixed", false);
	s->criterion = (CbGwrCriterion) cb_opt_choice(&opts, "criterion", criterion_names, CB_GWR_AICC);
	s->multiscale = cb_opt_bool(&opts, "multiscale", false);
	s->bw_min = cb_opt_float(&opts, "bw_min", NAN, 0.0, HUGE_VAL, true);
	s->bw_max = cb_opt_float(&opts, "bw_max", NAN, 0.0, HUGE_VAL, true);
	if (s->bw_min > s->bw_max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: option \"bw_min\" must not exceed \"bw_max\"", FUNC)));
	s->tol = cb_opt_float(&opts, "tol", 1e-5, 0.0, 1.0, true);
	s->max_iter = (int) cb_opt_int(&opts, "max_iter", 200, 1, 100000);
	s->hat_probes = (int32_t) cb_opt_int(&opts, "hat_probes", 0, 0, 65536);
	if (s->hat_probes > 0 && s->hat_probes < 16)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: option \"hat_probes\" must be 0 (exact) or at least 16, got %d", FUNC, s->hat_probes),
				 errhint("The standard errors from N probes are off by about 1/sqrt(2N) of their value; 256 gives about 4%%.")));
	if (s->hat_probes > 0 && !s->multiscale)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: option \"hat_probes\" applies to multiscale=true only", FUNC),
				 errhint("A single-bandwidth GWR computes its hat-matrix diagonal exactly at no extra cost.")));
	bw = cb_opt_text(&opts, "bandwidth");
	s->search = (bw == NULL || pg_strcasecmp(bw, "auto") == 0);
	s->bandwidth = s->search ? 0.0 : cb_opt_float(&opts, "bandwidth", 0.0, 0.0, HUGE_VAL, true);
	if (!s->search && !s->fixed && s->bandwidth != floor(s->bandwidth))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: option \"bandwidth\" must be a whole number of neighbours, got \"%s\"", FUNC, bw),
				 errhint("An adaptive bandwidth counts nearest neighbours including the point itself; use fixed=true for a distance.")));
	if (s->multiscale && !s->search)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: multiscale=true needs bandwidth=auto", FUNC),
				 errhint("MGWR searches one bandwidth per term.")));
}

/* Everything the partition returns, kept in partition memory. */
typedef struct GwrOutput
{
	int			p;
	int32		n;
	int32	   *unit_of_row;	/* partition row -> unit, -1 for skipped rows */
	CbGwrLocal	local;
	CbGwrStats	stats;
	double	   *bandwidths;		/* MGWR: p, else NULL */
	double	   *term_enp;		/* MGWR: p, else NULL */
} GwrOutput;

/* Rows of the partition: units (y, centroid) and their covariates. */
typedef struct GwrInput
{
	CbUnitSet	units;
	int			k;				/* covariates per row, without the intercept */
	double	   *x_by_row;		/* nrows * k, by partition row */
} GwrInput;

static void
read_row(GwrInput *in, WindowObject winobj, int64 r, Oid geom_type)
{
	bool		null_y,
				null_x,
				null_g,
				isout;
	Datum		y = WinGetFuncArgInPartition(winobj, 0, (int) r, WINDOW_SEEK_HEAD, false, &null_y, &isout);
	Datum		x = WinGetFuncArgInPartition(winobj, 1, (int) r, WINDOW_SEEK_HEAD, false, &null_x, &isout);
	Datum		g = WinGetFuncArgInPartition(winobj, 2, (int) r, WINDOW_SEEK_HEAD, false, &null_g, &isout);
	double	   *xv;
	int			k;

	if (null_y || null_x || null_g)
	{
		cb_units_skip(&in->units, false, 0);
		return;
	}
	cb_check_finite(DatumGetFloat8(y), FUNC, "y", "row", r + 1);
	k = cb_float8_array(DatumGetArrayTypeP(x), FUNC, "x", &xv);
	if (in->k < 0)
	{
		if (k == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: x must hold at least one covariate", FUNC),
					 errhint("The intercept is added by %s; pass the covariates only.", FUNC)));
		in->k = k;
		in->x_by_row = palloc_extended(sizeof(double) * k * WinGetPartitionRowCount(winobj),
									   MCXT_ALLOC_HUGE);
	}
	else if (k != in->k)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s: x arrays have different lengths", FUNC),
				 errdetail("Row " INT64_FORMAT " has %d covariates, earlier rows have %d.", r + 1, k, in->k)));
	for (int j = 0; j < k; j++)
	{
		cb_check_finite(xv[j], FUNC, "x", "row", r + 1);
		in->x_by_row[r * k + j] = xv[j];
	}
	cb_units_add_geometry(&in->units, DatumGetFloat8(y), geom_type, g, r + 1, r);
}

/* Design matrix in unit order: intercept, then the covariates. */
static double *
design_matrix(const GwrInput *in, int p)
{
	int32		n = in->units.n;
	double	   *x = palloc_extended(sizeof(double) * p * n, MCXT_ALLOC_HUGE);

	for (int32 i = 0; i < n; i++)
	{
		x[(size_t) i * p] = 1.0;
		memcpy(&x[(size_t) i * p + 1], &in->x_by_row[in->units.row[i] * in->k], sizeof(double) * in->k);
	}
	return x;
}

static void
check_design(const double *x, int32 n, int p)
{
	int			bad = cb_gwr_dependent_column(x, n, p);

	if (bad >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: covariate x[%d] is constant or collinear with the intercept and x[1..%d]",
						FUNC, bad, bad - 1),
				 errdetail("The global design matrix X'X is singular, so no local fit is defined."),
				 errhint("Remove x[%d] from the covariates.", bad)));
}

static void
check_bandwidth(const CbGwrData *d, double bw)
{
	if (!d->fixed && bw > d->n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: option \"bandwidth\" is %g neighbours but the partition has %d rows",
						FUNC, bw, d->n),
				 errhint("Use at most %d, or bandwidth=auto.", d->n)));
}

static void
raise_fit_failure(CbGwrStatus status, const CbGwrData *d, double bw, const CbUnitSet *u, int32 where)
{
	if (status == CB_GWR_SINGULAR)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: bandwidth %g is too small for a non-singular local fit", FUNC, bw),
				 errdetail("The weighted design matrix at row " INT64_FORMAT " is singular.",
						   u->id[where]),
				 errhint("Use a larger bandwidth, or bandwidth=auto, which skips such bandwidths.")));
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("%s: bandwidth %g leaves no residual degrees of freedom", FUNC, bw),
			 errdetail("The effective number of parameters is not below n - 2 = %d.", d->n - 2),
			 errhint("Use a larger bandwidth, or bandwidth=auto.")));
}

static double
search_bandwidth(const CbGwrData *d, CbGwrCriterion criterion, double bw_min, double bw_max)
{
	double		lo,
				hi,
				bw,
				score;
	CbGwrSearch *hist = palloc0(sizeof(CbGwrSearch));

	cb_gwr_search_bounds(d, &lo, &hi);
	lo = isnan(bw_min) ? lo : bw_min;
	hi = isnan(bw_max) ? hi : bw_max;
	if (!cb_gwr_search(d, criterion, lo, hi, hist, &bw, &score))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: no bandwidth between %g and %g gives non-singular local fits", FUNC, lo, hi),
				 errhint("Check for covariates that are constant within neighbourhoods, or give bandwidth=<number>.")));
	return bw;
}

/*
 * The MGWR hat-matrix replay works on blocks of columns of the identity,
 * n x block values for each of p + 2 arrays.  It may use work_mem, and at
 * least MGWR_REPLAY_MIN_MEMORY so that the default work_mem (4 MB, sized
 * for one sort among many) does not refuse an MGWR of ordinary size: the
 * smallest block must fit.  Checked before any fitting.
 */
#define MGWR_REPLAY_MIN_MEMORY (64.0 * 1024.0 * 1024.0)

static double
mgwr_replay_memory(void)
{
	return Max((double) work_mem * 1024.0, MGWR_REPLAY_MIN_MEMORY);
}

static void
check_mgwr_memory(const CbGwrData *d)
{
	double		need;

	if (cb_mgwr_block_columns(d->n, d->p, mgwr_replay_memory(), &need) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: multiscale=true on %d rows needs about %.0f MB for the hat-matrix replay, more than work_mem (%d kB) or 64 MB",
						FUNC, d->n, ceil(need / (1024.0 * 1024.0)), work_mem),
				 errdetail("The per-term ENP and standard errors replay the backfitting on blocks of columns of the identity: %d + 2 arrays of n x block values.", d->p),
				 errhint("SET work_mem = '%.0fMB' or more; a larger work_mem gives larger blocks and a faster replay.",
						 ceil(need / (1024.0 * 1024.0)))));
}

/* MGWR from the GWR estimates in out->local; per-term results in keep. */
static void
multiscale(const CbGwrData *d, const GwrSettings *s, double gwr_bw, GwrOutput *out, MemoryContext keep)
{
	CbMgwrSettings set = {.criterion = s->criterion, .init_bw = gwr_bw, .term_lo = s->bw_min,
	.term_hi = s->bw_max, .tol = s->tol, .max_iter = s->max_iter, .same_times = 5};
	CbMgwrResult res;

	set.memory_limit = mgwr_replay_memory();
	set.probes = s->hat_probes;
	out->bandwidths = MemoryContextAllocZero(keep, sizeof(double) * d->p);
	out->term_enp = MemoryContextAllocZero(keep, sizeof(double) * d->p);
	res.bandwidths = out->bandwidths;
	res.enp = out->term_enp;
	if (!cb_mgwr_fit(d, &set, &out->local, &out->stats, &res))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: no bandwidth gives non-singular local fits for %s", FUNC,
						res.failed_term == 0 ? "the intercept" : psprintf("x[%d]", res.failed_term)),
				 errhint("Check for covariates that are zero or constant within neighbourhoods, or set bw_min.")));
}

static void
gwr_compute(WindowObject winobj, FunctionCallInfo fcinfo, GwrOutput *out, MemoryContext keep)
{
	MemoryContext work;
	MemoryContext old;
	int64		nrows = WinGetPartitionRowCount(winobj);
	Oid			geom_type = cb_arg_type(fcinfo, 2);
	GwrSettings s;
	GwrInput	in = {.k = -1};
	CbGwrData	d;
	double	   *xy;
	double		bw;
	int32		where = 0;
	CbGwrStatus status;
	char	   *options = NULL;

	cb_progress_start(FUNC);
	work = cb_work_context(FUNC);
	old = MemoryContextSwitchTo(work);
	if (PG_NARGS() > 3)
	{
		bool		isnull;
		Datum		o = WinGetFuncArgCurrent(winobj, 3, &isnull);

		if (!isnull)
			options = text_to_cstring(DatumGetTextPP(o));
	}
	gwr_settings(options, &s);
	cb_units_init(&in.units, FUNC, CB_UNITS_GEOMETRY);
	for (int64 r = 0; r < nrows; r++)
	{
		read_row(&in, winobj, r, geom_type);
		if ((r & 1023) == 0)
			CHECK_FOR_INTERRUPTS();	/* reading large partitions */
	}
	out->p = (in.k < 0 ? 0 : in.k) + 1;
	cb_units_finish(&in.units, out->p + 1);
	if (cb_srid_is_geographic(&in.units.reader, in.units.srid))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: geom must be in a projected SRID, got geographic SRID %d", FUNC, in.units.srid),
				 errhint("Transform the geometries, e.g. ST_Transform(geom, <UTM SRID>); bandwidths are distances in SRID units.")));

	d.n = in.units.n;
	d.p = out->p;
	d.x = design_matrix(&in, d.p);
	d.y = in.units.value;
	check_design(d.x, d.n, d.p);
	xy = palloc_extended(sizeof(double) * 2 * d.n, MCXT_ALLOC_HUGE);
	for (int32 i = 0; i < d.n; i++)
	{
		xy[2 * i] = in.units.cx[i];
		xy[2 * i + 1] = in.units.cy[i];
	}
	d.xy = xy;
	d.tree = cb_kdtree_build(d.n, 2, xy);
	d.kernel = s.kernel;
	d.fixed = s.fixed;
	d.sorted_idx = NULL;
	d.sorted_d2 = NULL;
	d.bandwidths = NULL;
	/* MGWR runs hundreds of fits: sorting the neighbours once pays off there */
	if (s.multiscale)
	{
		check_mgwr_memory(&d);
		cb_gwr_prepare(&d);
	}

	/* MGWR starts from the GWR of mgwr's default interval; bw_min/bw_max bound its terms */
	bw = s.search ? search_bandwidth(&d, s.criterion, s.multiscale ? NAN : s.bw_min,
									 s.multiscale ? NAN : s.bw_max) : s.bandwidth;
	check_bandwidth(&d, bw);

	/* results live in the partition's memory */
	MemoryContextSwitchTo(keep);
	out->n = d.n;
	out->unit_of_row = palloc_extended(sizeof(int32) * (nrows > 0 ? nrows : 1), MCXT_ALLOC_HUGE);
	for (int64 r = 0; r < nrows; r++)
		out->unit_of_row[r] = -1;
	for (int32 i = 0; i < d.n; i++)
		out->unit_of_row[in.units.row[i]] = i;
	out->local.beta = palloc_extended(sizeof(double) * d.n * d.p, MCXT_ALLOC_HUGE);
	out->local.se = palloc_extended(sizeof(double) * d.n * d.p, MCXT_ALLOC_HUGE);
	out->local.t = palloc_extended(sizeof(double) * d.n * d.p, MCXT_ALLOC_HUGE);
	out->local.local_r2 = palloc_extended(sizeof(double) * d.n, MCXT_ALLOC_HUGE);
	out->local.yhat = palloc_extended(sizeof(double) * d.n, MCXT_ALLOC_HUGE);
	out->local.resid = palloc_extended(sizeof(double) * d.n, MCXT_ALLOC_HUGE);
	out->local.influence = palloc_extended(sizeof(double) * d.n, MCXT_ALLOC_HUGE);
	MemoryContextSwitchTo(work);

	status = cb_gwr_fit(&d, bw, &out->stats, &out->local, &where);
	if (status != CB_GWR_OK)
		raise_fit_failure(status, &d, bw, &in.units, where);
	if (s.multiscale)
		multiscale(&d, &s, bw, out, keep);

	MemoryContextSwitchTo(old);
	MemoryContextDelete(work);
}

/* Partition memory: a done flag and the output of the whole partition. */
typedef struct GwrPartition
{
	bool		done;
	GwrOutput  *out;
} GwrPartition;

PG_FUNCTION_INFO_V1(cb_gwr_fit_window);
Datum
cb_gwr_fit_window(PG_FUNCTION_ARGS)
{
	WindowObject winobj = PG_WINDOW_OBJECT();
	GwrPartition *part = WinGetPartitionLocalMemory(winobj, sizeof(GwrPartition));
	GwrOutput  *out;
	int32		i;
	int			p;
	Datum		values[16];
	bool		nulls[16] = {false};

	if (!part->done)
	{
		MemoryContext keep = GetMemoryChunkContext(part);

		part->out = MemoryContextAllocZero(keep, sizeof(GwrOutput));
		gwr_compute(winobj, fcinfo, part->out, keep);
		part->done = true;
	}
	out = part->out;
	i = out->unit_of_row[WinGetCurrentPosition(winobj)];
	if (i < 0)
		PG_RETURN_NULL();
	p = out->p;
	/*
	 * Undefined entries are NULL elements, never NaN: e.g. MGWR's standard
	 * error of a term at a point where its covariate is 0 (mgwr divides by it)
	 */
	values[0] = cb_float8_array_datum(&out->local.beta[(size_t) i * p], p);
	values[1] = cb_float8_array_datum(&out->local.se[(size_t) i * p], p);
	values[2] = cb_float8_array_datum(&out->local.t[(size_t) i * p], p);
	CB_FLOAT8_OR_NULL(out->local.local_r2[i], values, nulls, 3);
	values[4] = Float8GetDatum(cb_finite_result(out->local.yhat[i], FUNC));
	values[5] = Float8GetDatum(cb_finite_result(out->local.resid[i], FUNC));
	/* MGWR with hat_probes: the leverages are not estimated (NaN), only their sum */
	if (isnan(out->local.influence[i]))
		nulls[6] = true;
	else
		values[6] = Float8GetDatum(cb_finite_result(out->local.influence[i], FUNC));
	if (out->bandwidths)
	{
		nulls[7] = true;
		values[8] = cb_float8_array_datum(out->bandwidths, p);
	}
	else
	{
		values[7] = Float8GetDatum(out->stats.bandwidth);
		nulls[8] = true;
	}
	CB_FLOAT8_OR_NULL(out->stats.aicc, values, nulls, 9);
	CB_FLOAT8_OR_NULL(out->stats.aic, values, nulls, 10);
	CB_FLOAT8_OR_NULL(out->stats.r2, values, nulls, 11);
	CB_FLOAT8_OR_NULL(out->stats.adj_r2, values, nulls, 12);
	values[13] = Float8GetDatum(cb_finite_result(out->stats.tr_s, FUNC));
	CB_FLOAT8_OR_NULL(out->stats.sigma2, values, nulls, 14);
	if (out->term_enp)
		values[15] = cb_float8_array_datum(out->term_enp, p);
	else
		nulls[15] = true;
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}
