/*
 * cep.h
 *    Carbon emission potential (CEP) of a unit from its projected emission
 *    under the three scenarios of paper 003 (low-carbon, baseline,
 *    high-carbon), PostgreSQL-free.  The rule follows the paper's Results,
 *    "Comprehensive predictions for three scenarios".
 */
#ifndef CB_CEP_H
#define CB_CEP_H

#include <stdbool.h>

/* Scenarios in the order the functions take them. */
enum
{
	CB_CEP_LOW = 0,
	CB_CEP_BASELINE,
	CB_CEP_HIGH,
	CB_CEP_SCENARIOS
};

/* One scenario's projection, read at the years the rule needs. */
typedef struct CbCepPath
{
	int			peak_year;		/* year of the largest projected CE */
	double		peak_ce;		/* that CE */
	double		ce_start;		/* CE in the base year of the projection */
	double		ce_end;			/* CE in the neutrality year */
} CbCepPath;

typedef struct CbCepRule
{
	int			peak_by;		/* peaked: peak_year <= peak_by (2030) */
	double		decline;		/* significant decline: ce_end <= (1 - decline) peak_ce */
	double		increase;		/* moderate increase: ce_end <= increase ce_start */
} CbCepRule;

/* Classes from the most to the least favourable; cep_score is 5 - class. */
typedef enum CbCepClass
{
	CB_CEP_HIGHLY_SIGNIFICANT = 0,
	CB_CEP_MODERATELY_SIGNIFICANT,
	CB_CEP_STABLE,
	CB_CEP_SLIGHTLY_INSIGNIFICANT,
	CB_CEP_INSIGNIFICANT
} CbCepClass;

extern const char *const cb_cep_class_names[];

/*
 * The class of a unit (first rule that holds):
 *   highly significant      peaked under low-carbon and baseline, and CE <= CS in the
 *                           neutrality year under baseline
 *   moderately significant  peaked under all three, and the baseline CE of the neutrality
 *                           year at least `decline` below its peak
 *   stable                  peaked under low-carbon and baseline
 *   slightly insignificant  baseline CE of the neutrality year at most `increase` times
 *                           its base-year CE
 *   insignificant           otherwise: CE keeps rising markedly
 * peaked[s] and neutral[s] (CE <= CS in the neutrality year) are set for
 * every scenario.
 */
extern CbCepClass cb_cep_class(const CbCepPath path[CB_CEP_SCENARIOS], double cs_end, const CbCepRule *rule,
							   bool peaked[CB_CEP_SCENARIOS], bool neutral[CB_CEP_SCENARIOS]);

#endif							/* CB_CEP_H */
