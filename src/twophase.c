/*
 * twophase.c
 *    Two-phase spatial statistics (SPEC section 13): whole-table Moran's I,
 *    LISA and Getis-Ord Gi* on a table too large for one window, e.g. a
 *    distributed Citus table.
 *
 * Phase 1, spatial_state(value, id), is an aggregate over the whole set that
 * keeps what every unit's statistic needs from the others: the ids and
 * values, from which each node recomputes the moments.  Its partial states
 * are logs of (id, value) that merge by concatenation, so Citus computes them
 * on the workers.  Phase 2 is per row: local_moran_at and getis_ord_gi_at are
 * scalar functions of the state and the row's own neighbour list, and
 * morans_i_at an aggregate whose combinable state carries the cross-product
 * sums of the observed values and of every permutation.  They use the
 * kernels of the window forms on the same numbers in the same order, and a
 * unit's random stream depends only on the seed and its id, so the results
 * equal local_moran, getis_ord_gi and morans_i over the same neighbour lists
 * to the last bit.
 */
#include "carbonbudget.h"

#include "access/detoast.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "autocorr.h"
#include "weights.h"

#define LOG_MAGIC 0x4C534243	/* "CBSL" */
#define STATE_MAGIC 0x53534243	/* "CBSS" */
#define MORAN_MAGIC 0x414D4243	/* "CBMA" */
#define FORMAT_VERSION 1

/* ---- phase 1: the log of (id, value) and the state made from it ---- */

typedef struct LogRecord
{
	int64		id;
	double		value;			/* NaN: the row's value was NULL */
} LogRecord;

/*
 * The transition state: records[0 .. used) of an array of capacity records.
 * The whole capacity is inside the varlena, so that PostgreSQL's copies of
 * the state keep it.
 */
typedef struct StateLog
{
	int32		vl_len_;
	uint32		magic;
	int32		version;
	int32		pad;
	int64		used;
	int64		capacity;
	int64		skipped;		/* rows with a NULL id */
	LogRecord	records[FLEXIBLE_ARRAY_MEMBER];
} StateLog;

#define LOG_SIZE(capacity) (offsetof(StateLog, records) + sizeof(LogRecord) * (Size) (capacity))
#define LOG_MAX_RECORDS ((int64) (MaxAllocHugeSize / sizeof(LogRecord) / 2))

/*
 * The state: a header, then ids[n], x[n] (the values divided by unit, a power
 * of two, as the window forms scale them) and null_ids[n_null] (ids whose
 * value was NULL: links to them are dropped, not errors).  hash covers
 * everything after itself and identifies the state in caches and checks.
 */
typedef struct SpatialStateHeader
{
	int32		vl_len_;
	uint32		magic;
	int32		version;
	int32		n;
	int32		n_null;
	int32		pad;
	double		unit;
	uint64		hash;
} SpatialStateHeader;

#define STATE_SIZE(n, n_null) (sizeof(SpatialStateHeader) + (sizeof(int64) + sizeof(double)) * (Size) (n) + \
							   sizeof(int64) * (Size) (n_null))
#define STATE_MAX_UNITS (PG_INT32_MAX / 2)

static const char *const spatial_state_func = "spatial_state";

static StateLog *
log_alloc(int64 capacity)
{
	StateLog   *log = palloc_extended(LOG_SIZE(capacity), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);

	SET_VARSIZE(log, LOG_SIZE(capacity));
	log->magic = LOG_MAGIC;
	log->version = FORMAT_VERSION;
	log->capacity = capacity;
	return log;
}

/* A log handed in by SQL: its header must describe exactly its bytes. */
static StateLog *
log_checked(Datum d)
{
	StateLog   *log = (StateLog *) PG_DETOAST_DATUM(d);
	Size		size = VARSIZE(log);

	if (size < offsetof(StateLog, records) || log->magic != LOG_MAGIC || log->version != FORMAT_VERSION ||
		log->capacity < 0 || log->capacity > LOG_MAX_RECORDS || size != LOG_SIZE(log->capacity) ||
		log->used < 0 || log->used > log->capacity || log->skipped < 0)
		cb_state_invalid(spatial_state_func, "The bytes are not a spatial_state transition state.");
	return log;
}

/*
 * The capacity for need entries when have are allocated: doubled from at
 * least minimum, so that appends stay O(1); an error beyond max.
 */
static int64
grown_capacity(int64 have, int64 need, int64 minimum, int64 max, const char *func, const char *what)
{
	int64		capacity = Max(have, minimum);

	while (capacity < need)
		capacity *= 2;
	if (capacity > max)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: too many %s", func, what),
				 errdetail("The state holds at most " INT64_FORMAT " %s.", max, what)));
	return capacity;
}

/* Room for extra more records: a larger copy, in the caller's context. */
static StateLog *
log_reserve(StateLog *log, int64 extra)
{
	StateLog   *grown;

	if (log->used + extra <= log->capacity)
		return log;
	grown = log_alloc(grown_capacity(log->capacity, log->used + extra, 64, LOG_MAX_RECORDS, spatial_state_func, "rows"));
	grown->used = log->used;
	grown->skipped = log->skipped;
	memcpy(grown->records, log->records, sizeof(LogRecord) * (Size) log->used);
	return grown;
}

PG_FUNCTION_INFO_V1(cb_spatial_state_step);
Datum
cb_spatial_state_step(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	StateLog   *log;

	cb_require_aggregate(fcinfo, spatial_state_func, &aggcontext);
	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(aggcontext);

		log = log_alloc(64);
		MemoryContextSwitchTo(old);
	}
	else
		log = log_checked(PG_GETARG_DATUM(0));

	if (PG_ARGISNULL(2))
		log->skipped++;
	else
	{
		LogRecord  *rec;

		/* a grown copy is made in the per-row context; the executor copies it into the aggregate's */
		log = log_reserve(log, 1);
		rec = &log->records[log->used++];
		rec->id = PG_GETARG_INT64(2);
		if (PG_ARGISNULL(1))
			rec->value = NAN;
		else
		{
			rec->value = PG_GETARG_FLOAT8(1);
			cb_check_finite(rec->value, spatial_state_func, "value", "id", rec->id);
		}
	}
	PG_RETURN_POINTER(log);
}

PG_FUNCTION_INFO_V1(cb_spatial_state_combine);
Datum
cb_spatial_state_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	StateLog   *a,
			   *b,
			   *out;

	cb_require_aggregate(fcinfo, spatial_state_func, &aggcontext);
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(log_checked(PG_GETARG_DATUM(0)));
	}
	b = log_checked(PG_GETARG_DATUM(1));
	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(aggcontext);

		a = log_alloc(0);
		MemoryContextSwitchTo(old);
	}
	else
		a = log_checked(PG_GETARG_DATUM(0));
	out = log_reserve(a, b->used);
	memcpy(out->records + out->used, b->records, sizeof(LogRecord) * (Size) b->used);
	out->used += b->used;
	out->skipped += b->skipped;
	PG_RETURN_POINTER(out);
}

static int
cmp_record(const void *a, const void *b)
{
	const LogRecord *x = a;
	const LogRecord *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	/* NULL values (NaN) after the values of the same id */
	return (int) isnan(x->value) - (int) isnan(y->value);
}

static uint64
state_hash(const SpatialStateHeader *h)
{
	const unsigned char *body = (const unsigned char *) (h + 1);
	Size		len = VARSIZE(h) - sizeof(SpatialStateHeader);
	uint64		hash = (uint64) h->n * 0x9E3779B97F4A7C15ULL ^ (uint64) h->n_null;

	/* hash_bytes_extended takes an int length: hash the body in pieces */
	while (len > 0)
	{
		int			piece = (int) Min(len, (Size) 1 << 30);

		hash = hash_bytes_extended(body, piece, hash);
		body += piece;
		len -= piece;
	}
	return hash;
}

/* The ids, scaled values and NULL ids of a state. */
#define STATE_IDS(h) ((int64 *) ((h) + 1))
#define STATE_X(h) ((double *) (STATE_IDS(h) + (h)->n))
#define STATE_NULL_IDS(h) ((int64 *) (STATE_X(h) + (h)->n))

PG_FUNCTION_INFO_V1(cb_spatial_state_final);
Datum
cb_spatial_state_final(PG_FUNCTION_ARGS)
{
	StateLog   *log;
	LogRecord  *rec;
	int64		used;
	int32		n = 0,
				n_null = 0;
	double	   *x;
	SpatialStateHeader *h;
	bool		constant = true;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	log = log_checked(PG_GETARG_DATUM(0));
	used = log->used;
	rec = palloc_extended(sizeof(LogRecord) * (Size) Max(used, 1), MCXT_ALLOC_HUGE);
	memcpy(rec, log->records, sizeof(LogRecord) * (Size) used);
	qsort(rec, used, sizeof(LogRecord), cmp_record);
	for (int64 r = 0; r < used; r++)
	{
		if (isinf(rec[r].value))
			cb_state_invalid(spatial_state_func, "A value of the state is infinite.");
		if (!isnan(rec[r].value))
		{
			if (r > 0 && rec[r - 1].id == rec[r].id)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: id " INT64_FORMAT " appears twice", spatial_state_func, rec[r].id),
						 errhint("Ids must identify the units: one row per id.")));
			n++;
		}
		else if (r == 0 || rec[r - 1].id != rec[r].id)
			n_null++;
		if (n > STATE_MAX_UNITS)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("%s: too many units", spatial_state_func),
					 errdetail("The state holds at most %d units.", STATE_MAX_UNITS)));
	}
	if (n < 3)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s needs at least 3 rows with non-NULL values, got %d", spatial_state_func, n)));

	h = palloc_extended(STATE_SIZE(n, n_null), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	SET_VARSIZE(h, STATE_SIZE(n, n_null));
	h->magic = STATE_MAGIC;
	h->version = FORMAT_VERSION;
	h->n = n;
	h->n_null = n_null;
	x = STATE_X(h);
	{
		int32		i = 0,
					k = 0;

		for (int64 r = 0; r < used; r++)
		{
			if (!isnan(rec[r].value))
			{
				STATE_IDS(h)[i] = rec[r].id;
				x[i++] = rec[r].value;
			}
			else if (r == 0 || rec[r - 1].id != rec[r].id)
				STATE_NULL_IDS(h)[k++] = rec[r].id;
		}
	}
	for (int32 i = 1; i < n && constant; i++)
		constant = (x[i] == x[0]);
	if (constant)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: value has zero variance", spatial_state_func),
				 errdetail("All %d non-NULL values are equal, so the statistics are undefined.", n)));
	/* the scaling of cb_spatial_check, so that the statistics see the same numbers */
	h->unit = cb_pow2_unit(n, x);
	for (int32 i = 0; i < n; i++)
		x[i] /= h->unit;
	h->hash = state_hash(h);
	pfree(rec);
	PG_RETURN_BYTEA_P((bytea *) h);
}

/* ---- the state as phase 2 sees it ---- */

/* A parsed state with the moments every unit's statistic uses. */
typedef struct ParsedState
{
	uint64		hash;
	int32		n;
	int32		n_null;
	double		unit;
	int64	   *ids;
	double	   *x;				/* scaled values */
	double	   *z;				/* centred scaled values */
	int64	   *null_ids;
	double		zz;				/* sum z^2 */
	double		z4;				/* sum z^4 */
	double		m2;
	double		b2;
	double		sx;				/* sum x, sum x^2 (Getis-Ord) */
	double		sx2;
	uint64		id_mix;			/* sum of id_mix(id) over the units (morans_i_at) */
} ParsedState;

static uint64 id_mix(int64 id);

/* Checks a state's header and every field it implies; returns the detoasted copy. */
static SpatialStateHeader *
state_checked(Datum d, const char *func)
{
	SpatialStateHeader *h = (SpatialStateHeader *) PG_DETOAST_DATUM(d);
	Size		size = VARSIZE(h);
	const int64 *ids;
	const int64 *null_ids;
	const double *x;
	bool		constant = true;

	if (size < sizeof(SpatialStateHeader) || h->magic != STATE_MAGIC || h->version != FORMAT_VERSION ||
		h->n < 3 || h->n > STATE_MAX_UNITS || h->n_null < 0 || h->n_null > STATE_MAX_UNITS ||
		size != STATE_SIZE(h->n, h->n_null))
		cb_state_invalid(func, "The state argument is not a result of spatial_state.");
	if (!(h->unit > 0 && isfinite(h->unit)) || state_hash(h) != h->hash)
		cb_state_invalid(func, "The state argument is damaged: its checksum or scale is wrong.");
	ids = STATE_IDS(h);
	x = STATE_X(h);
	null_ids = STATE_NULL_IDS(h);
	for (int32 i = 0; i < h->n; i++)
	{
		if (i > 0 && ids[i] <= ids[i - 1])
			cb_state_invalid(func, "The ids of the state are not in increasing order.");
		if (!isfinite(x[i]) || fabs(x[i]) > 0x1p+300)
			cb_state_invalid(func, "A value of the state is out of range.");
		constant = constant && x[i] == x[0];
	}
	for (int32 k = 1; k < h->n_null; k++)
		if (null_ids[k] <= null_ids[k - 1])
			cb_state_invalid(func, "The NULL-value ids of the state are not in increasing order.");
	if (constant)
		cb_state_invalid(func, "The values of the state are constant.");
	return h;
}

/* Parses a checked state into ps, allocated in mcxt. */
static void
state_parse(const SpatialStateHeader *h, ParsedState *ps, MemoryContext mcxt)
{
	MemoryContext old = MemoryContextSwitchTo(mcxt);

	ps->hash = h->hash;
	ps->n = h->n;
	ps->n_null = h->n_null;
	ps->unit = h->unit;
	ps->ids = palloc_extended(sizeof(int64) * h->n, MCXT_ALLOC_HUGE);
	ps->x = palloc_extended(sizeof(double) * h->n, MCXT_ALLOC_HUGE);
	ps->z = palloc_extended(sizeof(double) * h->n, MCXT_ALLOC_HUGE);
	ps->null_ids = palloc_extended(sizeof(int64) * Max(h->n_null, 1), MCXT_ALLOC_HUGE);
	memcpy(ps->ids, STATE_IDS(h), sizeof(int64) * h->n);
	memcpy(ps->x, STATE_X(h), sizeof(double) * h->n);
	memcpy(ps->null_ids, STATE_NULL_IDS(h), sizeof(int64) * h->n_null);
	MemoryContextSwitchTo(old);
	cb_centred_sums(ps->x, ps->n, ps->z, &ps->zz, &ps->z4);
	cb_local_moments(ps->zz, ps->z4, ps->n, &ps->m2, &ps->b2);
	cb_value_sums(ps->x, ps->n, &ps->sx, &ps->sx2);
	ps->id_mix = 0;
	for (int32 i = 0; i < ps->n; i++)
		ps->id_mix += id_mix(ps->ids[i]);
}

/* ---- phase 2: per-row settings and neighbour rows ---- */

typedef enum AtKind
{
	AT_LOCAL_MORAN,
	AT_GETIS_ORD,
	AT_MORAN
} AtKind;

static const char *const local_moran_at_keys[] = {"style", "missing", CB_PERMUTATION_KEYS, "alpha", "variance", "fdr",
NULL};
static const char *const getis_ord_at_keys[] = {"style", "missing", "star", NULL};
static const char *const morans_i_at_keys[] = {"style", "missing", CB_PERMUTATION_KEYS, NULL};

typedef struct AtSettings
{
	char		style;
	bool		drop_missing;
	bool		star;
	bool		conditional;
	double		alpha;
	CbPermSettings perm;
} AtSettings;

static void
settings_parse(AtKind kind, const char *func, const char *text, AtSettings *s)
{
	CbOptions	opts;
	CbWeightsSpec spec;

	cb_options_parse(&opts, func,
					 text, kind == AT_LOCAL_MORAN ? local_moran_at_keys
					 : kind == AT_GETIS_ORD ? getis_ord_at_keys : morans_i_at_keys);
	cb_weights_spec_parse(&opts, true, &spec);
	memset(s, 0, sizeof(*s));
	s->style = spec.style;
	s->drop_missing = spec.drop_missing;
	if (kind == AT_GETIS_ORD)
		s->star = cb_opt_bool(&opts, "star", true);
	else
		cb_perm_settings(&opts, &s->perm);
	if (kind == AT_LOCAL_MORAN)
	{
		s->conditional = cb_local_moran_conditional(&opts);
		s->alpha = cb_local_moran_alpha(&opts);
		if (cb_opt_bool(&opts, "fdr", false))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("%s: option \"fdr\" is not available", func),
					 errdetail("The false discovery rate threshold depends on the p-values of every unit, "
							   "and each row is computed alone."),
					 errhint("Compute the Benjamini-Hochberg threshold over the p_sim column of the results.")));
	}
}

/* What a call keeps between rows: the parsed state, the settings of the last options text, scratch. */
typedef struct AtCache
{
	MemoryContext state_mcxt;	/* holds the parsed state */
	bool		have_state;
	Size		state_size;
	Oid			toast_relid;	/* the TOAST pointer of the cached state, when it was out of line */
	Oid			toast_valueid;
	ParsedState state;
	char	   *options;		/* options text of the settings below, in fn_mcxt */
	AtSettings	settings;
	CbDrawScratch draws;
	int32		draws_k;
	int32		cap;			/* neighbour row buffers */
	int32	   *col;
	double	   *w;
} AtCache;

static AtCache *
at_cache(FunctionCallInfo fcinfo)
{
	AtCache    *c = fcinfo->flinfo->fn_extra;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(AtCache));
		c->state_mcxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "spatial state", ALLOCSET_DEFAULT_SIZES);
		fcinfo->flinfo->fn_extra = c;
	}
	return c;
}

/*
 * The TOAST pointer of a state stored out of line (a state read from a table,
 * e.g. a reference table on Citus): it identifies the value without reading
 * the TOAST table.  False when the datum is not out of line.
 */
static bool
toast_pointer(Datum d, Oid *relid, Oid *valueid)
{
	struct varatt_external ext;

	if (!VARATT_IS_EXTERNAL_ONDISK(DatumGetPointer(d)))
		return false;
	VARATT_EXTERNAL_GET_POINTER(ext, DatumGetPointer(d));
	*relid = ext.va_toastrelid;
	*valueid = ext.va_valueid;
	return true;
}

/*
 * The parsed state of this row: the cached one when the datum is the cached
 * one (the same TOAST pointer, or the same checksum and size in its header,
 * of which only the header is read), so that a state broadcast to every row
 * costs its parse once per call.
 */
static const ParsedState *
at_state(AtCache *c, Datum d, const char *func)
{
	Oid			relid = InvalidOid,
				valueid = InvalidOid;
	bool		out_of_line = toast_pointer(d, &relid, &valueid);
	Size		size;
	SpatialStateHeader *head;

	if (c->have_state && out_of_line && relid == c->toast_relid && valueid == c->toast_valueid)
		return &c->state;
	size = toast_raw_datum_size(d);
	if (!out_of_line && size >= sizeof(SpatialStateHeader))
	{
		bool		hit;

		head = (SpatialStateHeader *) PG_DETOAST_DATUM_SLICE(d, 0, sizeof(SpatialStateHeader) - VARHDRSZ);
		hit = c->have_state && head->hash == c->state.hash && size == c->state_size;
		pfree(head);
		if (hit)
			return &c->state;
	}
	head = state_checked(d, func);
	MemoryContextReset(c->state_mcxt);
	c->have_state = false;
	state_parse(head, &c->state, c->state_mcxt);
	c->state_size = size;
	c->toast_relid = relid;
	c->toast_valueid = valueid;
	c->have_state = true;
	return &c->state;
}

static const AtSettings *
at_settings(AtCache *c, FunctionCallInfo fcinfo, AtKind kind, const char *func, text *options)
{
	char	   *s = options ? text_to_cstring(options) : pstrdup("");

	if (c->options == NULL || strcmp(c->options, s) != 0)
	{
		settings_parse(kind, func, s, &c->settings);
		if (c->options)
			pfree(c->options);
		c->options = MemoryContextStrdup(fcinfo->flinfo->fn_mcxt, s);
	}
	pfree(s);
	return &c->settings;
}

/* Argument positions of a phase-2 call after the state (local_moran_at etc. and morans_i_at's step). */
typedef struct AtArgs
{
	int			value;
	int			id;
	int			neighbors;
	int			weights;		/* -1 when absent */
	int			options;		/* -1 when absent */
} AtArgs;

static void
at_args(FunctionCallInfo fcinfo, int first, AtArgs *a)
{
	int			nargs = PG_NARGS();

	a->value = first;
	a->id = first + 1;
	a->neighbors = first + 2;
	a->weights = (first + 3 < nargs && cb_arg_type(fcinfo, first + 3) == FLOAT8ARRAYOID) ? first + 3 : -1;
	a->options = (cb_arg_type(fcinfo, nargs - 1) == TEXTOID) ? nargs - 1 : -1;
}

/* One unit's weights row in the window forms' order and scale. */
typedef struct AtRow
{
	int32		self;			/* index of the unit in the state */
	int32		k;
	int32	   *col;
	double	   *w;
} AtRow;

static void
row_reserve(AtCache *c, FunctionCallInfo fcinfo, int32 k)
{
	if (k <= c->cap)
		return;
	c->cap = Max(k, 16);
	if (c->col)
	{
		pfree(c->col);
		pfree(c->w);
	}
	c->col = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(int32) * c->cap);
	c->w = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(double) * c->cap);
}

/*
 * The row's links as the window forms build them: neighbours resolved
 * against the state's ids (links to NULL-value ids, or to unknown ids with
 * missing=drop, left out), ordered by id, self added with weight 1 for Gi*,
 * then divided by their sum for style W.  False when the row has a NULL value
 * or id (its result is NULL).
 */
static bool
at_row(AtCache *c, FunctionCallInfo fcinfo, const AtArgs *a, const ParsedState *ps, const AtSettings *s,
	   const char *func, AtRow *row)
{
	int64		id;
	double		value;
	int64	   *nb = NULL;
	double	   *nbw = NULL;
	int			count = 0;
	int32		k = 0;

	if (PG_ARGISNULL(a->value) || PG_ARGISNULL(a->id))
		return false;
	id = PG_GETARG_INT64(a->id);
	value = PG_GETARG_FLOAT8(a->value);
	cb_check_finite(value, func, "value", "id", id);
	row->self = cb_find_id(ps->ids, ps->n, id);
	if (row->self < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: id " INT64_FORMAT " is not in the state", func, id),
				 errhint("Build the state with spatial_state(value, id) over the same rows.")));
	if (value / ps->unit != ps->x[row->self])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the value of id " INT64_FORMAT " differs from the state's", func, id),
				 errdetail("The row has %g.", value),
				 errhint("Build the state with spatial_state(value, id) over the same rows and values.")));
	if (!PG_ARGISNULL(a->neighbors))
	{
		ArrayType  *weights = NULL;

		if (a->weights >= 0)
			weights = PG_ARGISNULL(a->weights) ? construct_empty_array(FLOAT8OID) : PG_GETARG_ARRAYTYPE_P(a->weights);
		count = cb_neighbour_row(func, id, PG_GETARG_ARRAYTYPE_P(a->neighbors), weights, &nb, &nbw);
	}
	row_reserve(c, fcinfo, count + 1);
	for (int t = 0; t < count; t++)
	{
		int32		j = cb_find_id(ps->ids, ps->n, nb[t]);
		int32		p;

		if (j < 0)
		{
			if (s->drop_missing || cb_find_id(ps->null_ids, ps->n_null, nb[t]) >= 0)
				continue;
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: neighbour " INT64_FORMAT " of id " INT64_FORMAT " does not exist", func, nb[t], id),
					 errhint("Every id in neighbors must be the id of a row in the state; "
							 "option missing=drop drops links to other ids.")));
		}
		/* insertion by id: rows are short */
		for (p = k; p > 0 && c->col[p - 1] > j; p--)
		{
			c->col[p] = c->col[p - 1];
			c->w[p] = c->w[p - 1];
		}
		c->col[p] = j;
		c->w[p] = nbw ? nbw[t] : 1.0;
		k++;
	}
	if (s->star)
	{
		int32		p;

		for (p = k; p > 0 && c->col[p - 1] > row->self; p--)
		{
			c->col[p] = c->col[p - 1];
			c->w[p] = c->w[p - 1];
		}
		c->col[p] = row->self;
		c->w[p] = 1.0;
		k++;
	}
	if (s->style == 'W')
	{
		double		sum = 0.0;

		for (int32 t = 0; t < k; t++)
			sum += c->w[t];
		if (sum != 0.0)
			for (int32 t = 0; t < k; t++)
				c->w[t] /= sum;
	}
	row->k = k;
	row->col = c->col;
	row->w = c->w;
	return true;
}

/* ---- local_moran_at, getis_ord_gi_at ---- */

/* The neighbours' centred values, in the row's order, for the kernels that take a weights row. */
static double
at_lag(const AtRow *row, const ParsedState *ps)
{
	return cb_row_lag(row->col, row->w, row->k, ps->z);
}

PG_FUNCTION_INFO_V1(cb_local_moran_at);
Datum
cb_local_moran_at(PG_FUNCTION_ARGS)
{
	const char *func = "local_moran_at";
	AtCache    *c = at_cache(fcinfo);
	AtArgs		a;
	const ParsedState *ps;
	const AtSettings *s;
	AtRow		row;
	CbLocalMoranRow r;
	double		ii,
				expected,
				variance,
				lag,
				p_sim = NAN,
				p;

	/* options first: a bad key is an error whatever the other arguments */
	at_args(fcinfo, 1, &a);
	s = at_settings(c, fcinfo, AT_LOCAL_MORAN, func,
					a.options >= 0 && !PG_ARGISNULL(a.options) ? PG_GETARG_TEXT_PP(a.options) : NULL);
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	ps = at_state(c, PG_GETARG_DATUM(0), func);
	if (!at_row(c, fcinfo, &a, ps, s, func, &row))
		PG_RETURN_NULL();
	lag = at_lag(&row, ps);
	cb_local_moran_unit(row.w, row.k, ps->z[row.self], lag, ps->n, ps->m2, ps->b2, s->conditional,
						&ii, &expected, &variance);
	if (s->perm.permutations > 0)
	{
		if (row.k > c->draws_k)
		{
			MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

			if (c->draws_k > 0)
				cb_draw_scratch_free(&c->draws);
			c->draws_k = Max(row.k, 16);
			cb_draw_scratch_init(&c->draws, c->draws_k);
			MemoryContextSwitchTo(old);
		}
		p_sim = cb_local_moran_unit_perm(row.w, row.k, row.self, ps->z, ps->n, ps->m2, ii, s->perm.permutations,
										 s->perm.seed, (uint64) ps->ids[row.self], &c->draws);
	}
	cb_local_moran_row(&r, ii, expected, variance, ps->z[row.self], lag, row.k == 0, p_sim, s->perm.alternative);
	p = s->perm.permutations > 0 ? r.p_sim : r.p_norm;
	r.significant = !isnan(p) && p < s->alpha;
	PG_RETURN_DATUM(cb_local_moran_datum(fcinfo, &r, func));
}

PG_FUNCTION_INFO_V1(cb_getis_ord_gi_at);
Datum
cb_getis_ord_gi_at(PG_FUNCTION_ARGS)
{
	const char *func = "getis_ord_gi_at";
	AtCache    *c = at_cache(fcinfo);
	AtArgs		a;
	const ParsedState *ps;
	const AtSettings *s;
	AtRow		row;
	double		g,
				expected,
				variance,
				z;

	/* options first: a bad key is an error whatever the other arguments */
	at_args(fcinfo, 1, &a);
	s = at_settings(c, fcinfo, AT_GETIS_ORD, func,
					a.options >= 0 && !PG_ARGISNULL(a.options) ? PG_GETARG_TEXT_PP(a.options) : NULL);
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	ps = at_state(c, PG_GETARG_DATUM(0), func);
	if (!at_row(c, fcinfo, &a, ps, s, func, &row))
		PG_RETURN_NULL();
	cb_local_g_unit(row.col, row.w, row.k, row.self, ps->x, ps->n, ps->sx, ps->sx2, s->star,
					&g, &expected, &variance, &z);
	PG_RETURN_DATUM(cb_getis_ord_datum(fcinfo, g, z));
}

/* ---- morans_i_at: the cross-product sums of the observed values and of every permutation ---- */

typedef struct MoranLink
{
	int32		i;
	int32		j;
	double		w;
} MoranLink;

/*
 * The transition state: sums[0] is sum_i z_i (W z)_i over the rows seen,
 * sums[1 + r] the same under permutation r; the links (i, j, w) give the
 * weights' S0, S1 and S2, which need both directions of a link.  As the log
 * of phase 1, the whole capacity of links is inside the varlena.
 */
typedef struct MoranAtState
{
	int32		vl_len_;
	uint32		magic;
	int32		version;
	int32		n;				/* units of the phase-1 state */
	uint64		state_hash;
	uint64		options_hash;
	int64		permutations;
	uint64		seed;
	int32		alternative;
	int32		pad;
	double		zz;				/* the state's sum z^2 and sum z^4 */
	double		z4;
	uint64		units_mix;		/* the state's id_mix */
	int64		rows;
	uint64		id_mix;			/* sum of id_mix(id) over the rows: which units were seen */
	int64		links;
	int64		link_capacity;
	CbExactSum	sums[FLEXIBLE_ARRAY_MEMBER];	/* permutations + 1, then the links */
} MoranAtState;

#define MORAN_LINKS(st) ((MoranLink *) ((st)->sums + (st)->permutations + 1))
#define MORAN_SIZE(perms, cap) (offsetof(MoranAtState, sums) + sizeof(CbExactSum) * (Size) ((perms) + 1) + \
								sizeof(MoranLink) * (Size) (cap))
#define MORAN_MAX_LINKS ((int64) (MaxAllocHugeSize / sizeof(MoranLink) / 2))

static const char *const morans_i_at_func = "morans_i_at";

static uint64
id_mix(int64 id)
{
	uint64		z = (uint64) id + 0x9E3779B97F4A7C15ULL;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static MoranAtState *
moran_alloc(int64 permutations, int64 capacity)
{
	MoranAtState *st = palloc_extended(MORAN_SIZE(permutations, capacity), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);

	SET_VARSIZE(st, MORAN_SIZE(permutations, capacity));
	st->magic = MORAN_MAGIC;
	st->version = FORMAT_VERSION;
	st->permutations = permutations;
	st->link_capacity = capacity;
	return st;
}

/*
 * A state handed in by SQL (e.g. a crafted INITCOND): the header always, so
 * that sizes and counts agree and appends stay inside it; with full, also
 * every sum and link, which the combine and final functions read.
 */
static MoranAtState *
moran_checked(Datum d, bool full)
{
	MoranAtState *st = (MoranAtState *) PG_DETOAST_DATUM(d);
	Size		size = VARSIZE(st);

	if (size < offsetof(MoranAtState, sums) || st->magic != MORAN_MAGIC || st->version != FORMAT_VERSION ||
		st->permutations < 0 || st->permutations > 10000000 || st->link_capacity < 0 ||
		st->link_capacity > MORAN_MAX_LINKS || size != MORAN_SIZE(st->permutations, st->link_capacity) ||
		st->links < 0 || st->links > st->link_capacity || st->rows < 0 || st->n < 3 || st->n > STATE_MAX_UNITS ||
		st->alternative < 0 || st->alternative > 2)
		cb_state_invalid(morans_i_at_func, "The bytes are not a morans_i_at transition state.");
	if (!full)
		return st;
	for (int64 r = 0; r <= st->permutations; r++)
		if (!cb_exact_sum_valid(&st->sums[r]))
			cb_state_invalid(morans_i_at_func, "A sum of the state is out of range.");
	for (int64 t = 0; t < st->links; t++)
	{
		const MoranLink *l = &MORAN_LINKS(st)[t];

		if (l->i < 0 || l->i >= st->n || l->j < 0 || l->j >= st->n || !(l->w >= 0 && l->w <= CB_WEIGHT_MAX))
			cb_state_invalid(morans_i_at_func, "A link of the state is out of range.");
	}
	return st;
}

static MoranAtState *
moran_reserve(MoranAtState *st, int64 extra)
{
	int64		capacity;
	MoranAtState *grown;

	if (st->links + extra <= st->link_capacity)
		return st;
	capacity = grown_capacity(st->link_capacity, st->links + extra, 256, MORAN_MAX_LINKS, morans_i_at_func, "links");
	grown = moran_alloc(st->permutations, capacity);
	memcpy((char *) grown + VARHDRSZ, (char *) st + VARHDRSZ,
		   MORAN_SIZE(st->permutations, 0) - VARHDRSZ + sizeof(MoranLink) * (Size) st->links);
	grown->link_capacity = capacity;
	return grown;
}

/* The permutations of this call, made once: any node evaluates them at its own units. */
typedef struct MoranCache
{
	AtCache		at;
	int64		permutations;
	uint64		seed;
	int32		n;
	CbFeistel  *perms;
} MoranCache;

static const CbFeistel *
moran_perms(MoranCache *mc, FunctionCallInfo fcinfo, int32 n, const CbPermSettings *perm)
{
	if (mc->perms == NULL || mc->permutations != perm->permutations || mc->seed != perm->seed || mc->n != n)
	{
		if (mc->perms)
			pfree(mc->perms);
		mc->perms = MemoryContextAllocHuge(fcinfo->flinfo->fn_mcxt,
										   sizeof(CbFeistel) * (Size) Max(perm->permutations, 1));
		for (int64 r = 0; r < perm->permutations; r++)
			cb_feistel_init(&mc->perms[r], (uint32) n, perm->seed, (uint64) r);
		mc->permutations = perm->permutations;
		mc->seed = perm->seed;
		mc->n = n;
	}
	return mc->perms;
}

static void
moran_same_settings(const MoranAtState *a, const MoranAtState *b)
{
	if (a->state_hash != b->state_hash || a->n != b->n || a->zz != b->zz || a->z4 != b->z4 ||
		a->units_mix != b->units_mix)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: state must be the same in every row", morans_i_at_func)));
	if (a->options_hash != b->options_hash || a->permutations != b->permutations || a->seed != b->seed ||
		a->alternative != b->alternative)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: options must be the same in every row", morans_i_at_func)));
}

PG_FUNCTION_INFO_V1(cb_morans_i_at_step);
Datum
cb_morans_i_at_step(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	MoranCache *mc;
	AtArgs		a;
	const ParsedState *ps;
	const AtSettings *s;
	text	   *options;
	char	   *options_text;
	uint64		options_hash;
	MoranAtState *st;
	AtRow		row;
	const CbFeistel *perms;

	cb_require_aggregate(fcinfo, morans_i_at_func, &aggcontext);
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(MoranCache));
	mc = fcinfo->flinfo->fn_extra;
	if (mc->at.state_mcxt == NULL)
		mc->at.state_mcxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "spatial state", ALLOCSET_DEFAULT_SIZES);
	at_args(fcinfo, 2, &a);
	options = a.options >= 0 && !PG_ARGISNULL(a.options) ? PG_GETARG_TEXT_PP(a.options) : NULL;
	s = at_settings(&mc->at, fcinfo, AT_MORAN, morans_i_at_func, options);
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: state must not be NULL", morans_i_at_func),
				 errhint("Pass the result of spatial_state(value, id) over the same rows.")));
	ps = at_state(&mc->at, PG_GETARG_DATUM(1), morans_i_at_func);
	options_text = mc->at.options;
	options_hash = hash_bytes_extended((const unsigned char *) options_text, (int) strlen(options_text), 0);

	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(aggcontext);

		st = moran_alloc(s->perm.permutations, 0);
		MemoryContextSwitchTo(old);
		st->n = ps->n;
		st->state_hash = ps->hash;
		st->options_hash = options_hash;
		st->seed = s->perm.seed;
		st->alternative = s->perm.alternative;
		st->zz = ps->zz;
		st->z4 = ps->z4;
		st->units_mix = ps->id_mix;
	}
	else
	{
		MoranAtState probe;

		/* the header only: a row costs its own work, not the size of the state */
		st = moran_checked(PG_GETARG_DATUM(0), false);
		probe = *st;
		probe.n = ps->n;
		probe.state_hash = ps->hash;
		probe.zz = ps->zz;
		probe.z4 = ps->z4;
		probe.units_mix = ps->id_mix;
		probe.options_hash = options_hash;
		probe.permutations = s->perm.permutations;
		probe.seed = s->perm.seed;
		probe.alternative = s->perm.alternative;
		moran_same_settings(st, &probe);
	}
	if (!at_row(&mc->at, fcinfo, &a, ps, s, morans_i_at_func, &row))
		PG_RETURN_POINTER(st);	/* NULL value or id: skipped, as morans_i does */

	/* a grown copy is made in the per-row context; the executor copies it into the aggregate's */
	st = moran_reserve(st, row.k);
	for (int32 t = 0; t < row.k; t++)
	{
		MoranLink  *l = &MORAN_LINKS(st)[st->links++];

		l->i = row.self;
		l->j = row.col[t];
		l->w = row.w[t];
	}
	st->rows++;
	st->id_mix += id_mix(ps->ids[row.self]);
	cb_exact_sum_add(&st->sums[0], ps->z[row.self] * at_lag(&row, ps));
	perms = moran_perms(mc, fcinfo, ps->n, &s->perm);
	for (int64 r = 0; r < s->perm.permutations; r++)
	{
		cb_exact_sum_add(&st->sums[1 + r], cb_moran_perm_term(&perms[r], row.col, row.w, row.k, row.self, ps->z));
		if ((r & 255) == 255)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(cb_morans_i_at_combine);
Datum
cb_morans_i_at_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	MoranAtState *a,
			   *b,
			   *out;

	cb_require_aggregate(fcinfo, morans_i_at_func, &aggcontext);
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(moran_checked(PG_GETARG_DATUM(0), true));
	}
	b = moran_checked(PG_GETARG_DATUM(1), true);
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(b);
	a = moran_checked(PG_GETARG_DATUM(0), true);
	moran_same_settings(a, b);
	out = moran_reserve(a, b->links);
	memcpy(MORAN_LINKS(out) + out->links, MORAN_LINKS(b), sizeof(MoranLink) * (Size) b->links);
	out->links += b->links;
	out->rows += b->rows;
	out->id_mix += b->id_mix;
	for (int64 r = 0; r <= out->permutations; r++)
		cb_exact_sum_merge(&out->sums[r], &b->sums[r]);
	PG_RETURN_POINTER(out);
}

PG_FUNCTION_INFO_V1(cb_morans_i_at_final);
Datum
cb_morans_i_at_final(PG_FUNCTION_ARGS)
{
	MoranAtState *st;
	int32	   *li,
			   *lj;
	double	   *lw;
	CbCsr	   *w;
	CbWeightSums sums;
	CbMoranGlobal g;
	CbPermSettings perm;
	double		p_sim = NAN;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = moran_checked(PG_GETARG_DATUM(0), true);
	if (!(st->zz > 0 && isfinite(st->zz) && st->z4 >= 0 && isfinite(st->z4)))
		cb_state_invalid(morans_i_at_func, "The moments of the state are out of range.");
	if (st->rows != st->n || st->id_mix != st->units_mix)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: the rows are not the units of the state", morans_i_at_func),
				 errdetail("The state has %d units with values; the aggregate saw " INT64_FORMAT " such rows%s.",
						   st->n, st->rows, st->rows == st->n ? ", not the same ids" : ""),
				 errhint("Aggregate over every row of the set the state was built from, once each.")));

	li = palloc_extended(sizeof(int32) * (Size) Max(st->links, 1), MCXT_ALLOC_HUGE);
	lj = palloc_extended(sizeof(int32) * (Size) Max(st->links, 1), MCXT_ALLOC_HUGE);
	lw = palloc_extended(sizeof(double) * (Size) Max(st->links, 1), MCXT_ALLOC_HUGE);
	for (int64 t = 0; t < st->links; t++)
	{
		li[t] = MORAN_LINKS(st)[t].i;
		lj[t] = MORAN_LINKS(st)[t].j;
		lw[t] = MORAN_LINKS(st)[t].w;
	}
	w = cb_csr_from_pairs(st->n, st->links, li, lj, lw);
	if (w == NULL)
		cb_state_invalid(morans_i_at_func, "A link appears twice in the state.");
	cb_csr_sums(w, &sums);
	if (st->links == 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: every unit is an island", morans_i_at_func),
				 errdetail("The spatial weights have no links.")));
	if (!cb_moran_from_sums(&sums, st->n, cb_exact_sum_value(&st->sums[0]), st->zz, st->z4, &g))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("%s: the statistic is undefined for these weights", morans_i_at_func),
				 errdetail("Fewer than two units have neighbours, or the weights sum to zero.")));
	perm.permutations = st->permutations;
	perm.seed = st->seed;
	perm.alternative = st->alternative;
	if (st->permutations > 0)
	{
		double		scale = g.n_used / g.sums.s0;
		int64		count_ge = 0;

		/* the comparison of cb_moran_global_perm, on the same sums */
		for (int64 r = 0; r < st->permutations; r++)
			if (scale * (cb_exact_sum_value(&st->sums[1 + r]) / st->zz) >= g.i)
				count_ge++;
		p_sim = cb_pseudo_p(count_ge, st->permutations);
	}
	PG_RETURN_DATUM(cb_morans_i_datum(fcinfo, &g, &perm, p_sim, st->n));
}
