/*
 * options.c
 *    Parser for 'key=value key=value' option strings.
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "options.h"

static bool
is_separator(char c)
{
	return isspace((unsigned char) c) || c == ',';
}

static char *
lower_copy(const char *s, int len)
{
	char	   *out = palloc(len + 1);

	for (int i = 0; i < len; i++)
		out[i] = (char) tolower((unsigned char) s[i]);
	out[len] = '\0';
	return out;
}

static char *
allowed_list(const char *const *allowed)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; allowed[i]; i++)
		appendStringInfo(&buf, "%s%s", i ? ", " : "", allowed[i]);
	return buf.data;
}

void
cb_options_parse(CbOptions *opts, const char *func, const char *text,
				 const char *const *allowed)
{
	const char *p = text ? text : "";

	opts->func = func;
	opts->count = 0;
	for (;;)
	{
		const char *kstart,
				   *vstart;
		int			klen,
					vlen;
		char	   *key;
		bool		known = false;

		while (*p && is_separator(*p))
			p++;
		if (!*p)
			break;
		kstart = p;
		while (*p && *p != '=' && !is_separator(*p))
			p++;
		klen = (int) (p - kstart);
		if (*p != '=')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: option \"%.*s\" has no value", func, klen, kstart),
					 errhint("Write options as key=value pairs separated by spaces, e.g. 'weights=queen permutations=999'.")));
		p++;
		vstart = p;
		while (*p && !is_separator(*p))
			p++;
		vlen = (int) (p - vstart);
		key = lower_copy(kstart, klen);
		if (vlen == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: option \"%s\" has an empty value", func, key)));
		for (int i = 0; allowed[i]; i++)
			if (strcmp(allowed[i], key) == 0)
				known = true;
		if (!known)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: unknown option \"%s\"", func, key),
					 errhint("Valid options are: %s.", allowed_list(allowed))));
		for (int i = 0; i < opts->count; i++)
			if (strcmp(opts->key[i], key) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s: option \"%s\" is given more than once", func, key)));
		if (opts->count == CB_MAX_OPTIONS)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: too many options", func)));
		opts->key[opts->count] = key;
		opts->value[opts->count] = pnstrdup(vstart, vlen);
		opts->count++;
	}
}

const char *
cb_opt_text(const CbOptions *opts, const char *key)
{
	for (int i = 0; i < opts->count; i++)
		if (strcmp(opts->key[i], key) == 0)
			return opts->value[i];
	return NULL;
}

bool
cb_opt_present(const CbOptions *opts, const char *key)
{
	return cb_opt_text(opts, key) != NULL;
}

int
cb_opt_choice(const CbOptions *opts, const char *key, const char *const *choices, int dflt)
{
	const char *v = cb_opt_text(opts, key);

	if (!v)
		return dflt;
	for (int i = 0; choices[i]; i++)
		if (pg_strcasecmp(v, choices[i]) == 0)
			return i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: invalid value \"%s\" for option \"%s\"", opts->func, v, key),
			 errhint("Use one of: %s.", allowed_list(choices))));
	return dflt;				/* keep compiler quiet */
}

int64
cb_opt_int(const CbOptions *opts, const char *key, int64 dflt, int64 min, int64 max)
{
	const char *v = cb_opt_text(opts, key);
	char	   *end;
	long long	parsed;

	if (!v)
		return dflt;
	errno = 0;
	parsed = strtoll(v, &end, 10);
	if (errno != 0 || *end != '\0' || end == v)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: option \"%s\" must be an integer, got \"%s\"", opts->func, key, v)));
	if (parsed < min || parsed > max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: option \"%s\" is out of range: %lld", opts->func, key, parsed),
				 errhint("Use a value from " INT64_FORMAT " to " INT64_FORMAT ".", min, max)));
	return (int64) parsed;
}

double
cb_opt_float(const CbOptions *opts, const char *key, double dflt,
			 double min, double max, bool min_exclusive)
{
	const char *v = cb_opt_text(opts, key);
	char	   *end;
	double		parsed;

	if (!v)
		return dflt;
	errno = 0;
	parsed = strtod(v, &end);
	if (errno != 0 || *end != '\0' || end == v || !isfinite(parsed))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: option \"%s\" must be a finite number, got \"%s\"", opts->func, key, v)));
	if (parsed < min || parsed > max || (min_exclusive && parsed == min))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: option \"%s\" is out of range: %g", opts->func, key, parsed),
				 errhint("Use a value %s %g%s.", min_exclusive ? "greater than" : "of at least", min,
						 isinf(max) ? "" : psprintf(" and at most %g", max))));
	return parsed;
}

bool
cb_opt_bool(const CbOptions *opts, const char *key, bool dflt)
{
	const char *v = cb_opt_text(opts, key);
	bool		result;

	if (!v)
		return dflt;
	if (!parse_bool(v, &result))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: option \"%s\" must be true or false, got \"%s\"", opts->func, key, v)));
	return result;
}

void
cb_opt_forbid(const CbOptions *opts, const char *key, const char *why)
{
	if (cb_opt_present(opts, key))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: option \"%s\" does not apply here", opts->func, key),
				 errdetail("%s", why)));
}
