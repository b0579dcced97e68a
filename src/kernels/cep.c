/*
 * cep.c
 *    The CEP classes of paper 003 from three scenario projections (see
 *    cep.h for the rule and why it reads the paper that way).
 *
 * The Results paragraph describes five groups: units that peak before 2030
 * and reach neutrality by 2060; that peak with a significant downward
 * trend after but miss neutrality; that peak "under both baseline and
 * low-carbon scenarios" only; that neither peak nor reach neutrality,
 * "despite moderate increasing trends"; and units whose CE "would continue
 * to increase significantly".  The baseline scenario is the reference for
 * neutrality and for the size of the decline or increase, as in the
 * paper's own counts ("under baseline scenario, 30 units ... 15 of these
 * ... not ... carbon neutrality by 2060").
 */
#include "cep.h"

#include <stddef.h>

const char *const cb_cep_class_names[] = {
	"highly significant", "moderately significant", "stable", "slightly insignificant", "insignificant", NULL
};

CbCepClass
cb_cep_class(const CbCepPath path[CB_CEP_SCENARIOS], double cs_end, const CbCepRule *rule,
			 bool peaked[CB_CEP_SCENARIOS], bool neutral[CB_CEP_SCENARIOS])
{
	const CbCepPath *b = &path[CB_CEP_BASELINE];

	for (int s = 0; s < CB_CEP_SCENARIOS; s++)
	{
		peaked[s] = path[s].peak_year <= rule->peak_by;
		neutral[s] = path[s].ce_end <= cs_end;
	}
	if (peaked[CB_CEP_LOW] && peaked[CB_CEP_BASELINE] && neutral[CB_CEP_BASELINE])
		return CB_CEP_HIGHLY_SIGNIFICANT;
	if (peaked[CB_CEP_LOW] && peaked[CB_CEP_BASELINE] && peaked[CB_CEP_HIGH] &&
		b->ce_end <= (1 - rule->decline) * b->peak_ce)
		return CB_CEP_MODERATELY_SIGNIFICANT;
	if (peaked[CB_CEP_LOW] && peaked[CB_CEP_BASELINE])
		return CB_CEP_STABLE;
	if (b->ce_end <= rule->increase * b->ce_start)
		return CB_CEP_SLIGHTLY_INSIGNIFICANT;
	return CB_CEP_INSIGNIFICANT;
}
