/*
 * progress.c
 *    Settings of long calls: carbonbudget.progress (NOTICE lines with the
 *    phase, done/total and the elapsed time, at most once a second) and
 *    carbonbudget.threads (threads a call may use for pure arithmetic).
 */
#include "carbonbudget.h"

#include "portability/instr_time.h"
#include "utils/guc.h"

bool		cb_progress_enabled = false;
static int	cb_threads = 1;

/* The call being reported: its name, when it started, when it last printed. */
static const char *progress_routine = "carbonbudget";
static instr_time progress_started;
static instr_time progress_printed;

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomBoolVariable("carbonbudget.progress",
							 "Reports the progress of long carbonbudget calls as NOTICE lines.",
							 "At most one line a second: the routine, the phase, done/total and the elapsed time.",
							 &cb_progress_enabled, false, PGC_USERSET, 0, NULL, NULL, NULL);
	/*
	 * A DBA's setting, not a user's: on a shared server the number of cores a
	 * backend occupies is the server's business (postgresql.conf or ALTER
	 * ROLE ... SET by a superuser).
	 */
	DefineCustomIntVariable("carbonbudget.threads",
							"Threads a carbonbudget call may use, the backend's own included.",
							"1 runs everything in the backend's own thread (no extra thread); "
							"larger values let the MGWR and GWR kernels use more threads for pure arithmetic. "
							"Results are identical for every value.",
							&cb_threads, 1, 1, 64, PGC_SUSET, 0, NULL, NULL, NULL);
#if PG_VERSION_NUM >= 150000
	MarkGUCPrefixReserved("carbonbudget");
#else
	EmitWarningsOnPlaceholders("carbonbudget");
#endif
}

int
cb_max_threads(void)
{
	return cb_threads;
}

void
cb_progress_start(const char *routine)
{
	progress_routine = routine;
	INSTR_TIME_SET_CURRENT(progress_started);
	progress_printed = progress_started;
}

void
cb_progress(const char *phase, int64_t done, int64_t total)
{
	instr_time	now;
	instr_time	since_print;
	double		elapsed;

	if (likely(!cb_progress_enabled))
		return;
	INSTR_TIME_SET_CURRENT(now);
	since_print = now;
	INSTR_TIME_SUBTRACT(since_print, progress_printed);
	if (INSTR_TIME_GET_DOUBLE(since_print) < 1.0)
		return;
	progress_printed = now;
	INSTR_TIME_SUBTRACT(now, progress_started);
	elapsed = INSTR_TIME_GET_DOUBLE(now);
	if (total > 0)
		ereport(NOTICE,
				(errmsg("%s: %s " INT64_FORMAT "/" INT64_FORMAT " (%.0f%%), %.1f s elapsed",
						progress_routine, phase, (int64) done, (int64) total,
						100.0 * (double) done / (double) total, elapsed)));
	else
		ereport(NOTICE,
				(errmsg("%s: %s " INT64_FORMAT " done, %.1f s elapsed",
						progress_routine, phase, (int64) done, elapsed)));
}
