/*
 * options.h
 *    Options passed as one text argument, PostGIS style:
 *    'weights=knn k=6 permutations=999 seed=42'.
 *
 * Keys and choice values are case-insensitive; pairs are separated by
 * spaces or commas.  A key that the function does not know, a repeated
 * key or a malformed value is an error that names the key.
 */
#ifndef CB_OPTIONS_H
#define CB_OPTIONS_H

#include "postgres.h"

#define CB_MAX_OPTIONS 32

typedef struct CbOptions
{
	const char *func;			/* SQL function name, for messages */
	int			count;
	char	   *key[CB_MAX_OPTIONS];
	char	   *value[CB_MAX_OPTIONS];
} CbOptions;

/* allowed: NULL-terminated list of the keys this function accepts. */
extern void cb_options_parse(CbOptions *opts, const char *func, const char *text,
							 const char *const *allowed);
extern bool cb_opt_present(const CbOptions *opts, const char *key);
extern const char *cb_opt_text(const CbOptions *opts, const char *key);
/* Index of the value in choices (NULL-terminated), or dflt when absent. */
extern int	cb_opt_choice(const CbOptions *opts, const char *key, const char *const *choices, int dflt);
extern int64 cb_opt_int(const CbOptions *opts, const char *key, int64 dflt, int64 min, int64 max);
/* Finite number in [min, max] (min excluded when min_exclusive). */
extern double cb_opt_float(const CbOptions *opts, const char *key, double dflt,
						   double min, double max, bool min_exclusive);
extern bool cb_opt_bool(const CbOptions *opts, const char *key, bool dflt);
/* Rejects an option that does not apply in this form of a function. */
extern void cb_opt_forbid(const CbOptions *opts, const char *key, const char *why);

#endif							/* CB_OPTIONS_H */
