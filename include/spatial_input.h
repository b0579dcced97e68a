/*
 * spatial_input.h
 *    Rows in, units and weights out: the common front half of every spatial
 *    aggregate and window function.
 *
 * Two argument layouts are accepted (after the aggregate state, if any):
 *   geometry form:  value float8, geom geometry [, options text]
 *   list form:      value float8, id bigint, neighbors bigint[]
 *                   [, weights float8[]] [, options text]
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

/*
 * The random stream of each unit's conditional permutations: its id for the
 * neighbour-list forms (the same stream in any subset, on any node, as in the
 * two-phase forms), its position in canonical order for the geometry forms.
 */
extern uint64 *cb_spatial_stream_keys(const CbSpatialInput *in);

/* Window functions cache one result row per partition row here. */
extern void *cb_window_partition_memory(WindowObject winobj, Size row_size, int64 *nrows, bool *fresh);

#endif							/* CB_SPATIAL_INPUT_H */
