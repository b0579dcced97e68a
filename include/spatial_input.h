/*
 * spatial_input.h
 *    Rows in, units and weights out: the common front half of every spatial
 *    aggregate and window function.
 *
 * Two argument layouts are accepted (after the aggregate state, if any):
 *   geometry form:  value float8, geom geometry [, options text]
 *   list form:      value float8, id bigint, neighbors bigint[]
 *                   [, weights float8[]] [, options text]
 * Statistics of two values per row (x and y, events and population) take
 * both before the geometry or id; a boolean value is read as 0 or 1.
 * Rows with a NULL value, geometry or id are skipped (window functions
 * return NULL for them).  Options are read from the first row.
 */
#ifndef CB_SPATIAL_INPUT_H
#define CB_SPATIAL_INPUT_H

#include "postgres.h"

#include "fmgr.h"
#include "windowapi.h"

#include "weights.h"

typedef struct CbSpatialInput
{
	const char *func;
	const char *const *value_names;	/* the value arguments, for messages */
	CbOptions	opts;
	CbWeightsSpec spec;
	CbUnitSet	units;
	bool		started;		/* options parsed from the first row */
	int64		rows;			/* rows seen, for row numbers in messages */
} CbSpatialInput;

/*
 * Aggregate transition step; allocates the state in the aggregate context
 * on the first row.  allowed: option keys of this function, NULL-terminated.
 */
extern CbSpatialInput *cb_spatial_agg_step(FunctionCallInfo fcinfo, const char *func,
										   const char *const *allowed);
/* Reads a whole window partition into a new input (in CurrentMemoryContext). */
extern CbSpatialInput *cb_spatial_window_read(WindowObject winobj, FunctionCallInfo fcinfo,
											  const char *func, const char *const *allowed);
/*
 * The same for value arguments named value_names (NULL-terminated, one or
 * two): the second value of each unit is in units.value2.
 */
extern CbSpatialInput *cb_spatial_agg_step_values(FunctionCallInfo fcinfo, const char *func,
												  const char *const *allowed, const char *const *value_names);
extern CbSpatialInput *cb_spatial_window_read_values(WindowObject winobj, FunctionCallInfo fcinfo,
													 const char *func, const char *const *allowed,
													 const char *const *value_names);
/* Canonical order, minimum size check, weights; star adds self links (Gi*). */
extern CbCsr *cb_spatial_weights_build(CbSpatialInput *in, int32 min_units, bool star);

/* Default seed of permutation inference, so every result is reproducible. */
#define CB_DEFAULT_SEED 12345
#define CB_DEFAULT_PERMUTATIONS 999

/*
 * Errors for data that cannot carry the statistic: constant values, no links
 * at all.  Then divides the values by cb_pow2_unit (every statistic of these
 * families is scale-invariant), so that their squares cannot overflow.
 */
extern void cb_spatial_check(CbSpatialInput *in, const CbCsr *w);
/* Its parts: values not all equal (arg names them), at least one link, values divided by cb_pow2_unit. */
extern void cb_spatial_check_varies(const CbSpatialInput *in, const double *v, const char *arg);
extern void cb_spatial_check_links(const CbSpatialInput *in, const CbCsr *w);
extern void cb_spatial_scale(const CbSpatialInput *in, double *v);

/*
 * The random stream of each unit's conditional permutations: its id for the
 * neighbour-list forms (the same stream in any subset, on any node, as in the
 * two-phase forms), its position in canonical order for the geometry forms.
 */
extern uint64 *cb_spatial_stream_keys(const CbSpatialInput *in);

/* Window functions cache one result row per partition row here. */
extern void *cb_window_partition_memory(WindowObject winobj, Size row_size, int64 *nrows, bool *fresh);

/*
 * The options text (argument argno) of a window partition, which must be
 * the same in every row (an error names the first row that differs); NULL
 * counts as ''.
 */
extern char *cb_window_same_options(WindowObject winobj, int argno, int64 nrows, const char *func);

#endif							/* CB_SPATIAL_INPUT_H */
