/*
 * weights_io.c
 *    GeoDa GAL (neighbour lists) and GWT (weighted links) text formats:
 *    gal_import / gwt_import read them into rows, gal_export / gwt_export
 *    aggregate rows back into text.
 *
 * Both formats start with a header line, either "n" or GeoDa's
 * "0 n <layer> <key>", followed by whitespace-separated records:
 *   GAL: "<id> <k>" then the k neighbour ids;   GWT: "<i> <j> <w>" per link.
 * Ids must be integers.
 */
#include "carbonbudget.h"

#include <ctype.h>

#include "catalog/pg_type.h"
#include "common/shortest_dec.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

/* ---- tokenizer over the text with line numbers for messages ---- */

typedef struct Tokens
{
	const char *func;
	char	   *p;
	int			line;			/* line of the cursor */
	int			token_line;		/* line the last token started on */
} Tokens;

/* Next whitespace-separated token, NUL-terminated in place; NULL at the end. */
static char *
next_token(Tokens *t)
{
	char	   *start;

	while (*t->p && isspace((unsigned char) *t->p))
	{
		if (*t->p == '\n')
			t->line++;
		t->p++;
	}
	t->token_line = t->line;
	if (!*t->p)
		return NULL;
	start = t->p;
	while (*t->p && !isspace((unsigned char) *t->p))
		t->p++;
	if (*t->p)
	{
		if (*t->p == '\n')
		{
			/* the newline ends this token; count it when skipping next time */
			*t->p = '\0';
			t->p++;
			t->line++;
			return start;
		}
		*t->p++ = '\0';
	}
	return start;
}

static void
format_error(const Tokens *t, const char *what, const char *got)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("%s: expected %s on line %d, got \"%s\"", t->func, what, t->token_line, got ? got : "end of text"),
			 errhint("Ids must be integers; the first line is \"n\" or \"0 n layer key\".")));
}

static int64
token_int(Tokens *t, const char *what)
{
	char	   *tok = next_token(t);
	char	   *end;
	long long	v;

	if (!tok)
		format_error(t, what, NULL);
	errno = 0;
	v = strtoll(tok, &end, 10);
	if (errno != 0 || *end != '\0')
		format_error(t, what, tok);
	return (int64) v;
}

static double
token_float(Tokens *t, const char *what)
{
	char	   *tok = next_token(t);
	char	   *end;
	double		v;

	if (!tok)
		format_error(t, what, NULL);
	errno = 0;
	v = strtod(tok, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v))
		format_error(t, what, tok);
	return v;
}

/* Reads the header line and returns n. */
static int64
read_header(Tokens *t)
{
	char	   *line_end;
	char	   *first,
			   *second;
	int64		n;

	while (*t->p == '\n' || *t->p == '\r' || *t->p == ' ' || *t->p == '\t')
	{
		if (*t->p == '\n')
			t->line++;
		t->p++;
	}
	line_end = strchr(t->p, '\n');
	if (line_end)
		*line_end = '\0';
	first = next_token(t);
	second = next_token(t);
	if (!first)
		format_error(t, "a header", NULL);
	if (second && strcmp(first, "0") == 0)
		first = second;			/* GeoDa: 0 n layer key */
	else if (second)
		format_error(t, "a header \"n\" or \"0 n layer key\"", second);
	errno = 0;
	n = strtoll(first, &second, 10);
	if (errno != 0 || *second != '\0' || n < 0)
		format_error(t, "the number of units", first);
	if (line_end)
	{
		t->p = line_end + 1;
		t->line++;
	}
	else
		t->p += strlen(t->p);
	return n;
}

/* ---- gal_import(gal text) -> (id, neighbors) ---- */

PG_FUNCTION_INFO_V1(cb_gal_import);
Datum
cb_gal_import(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Tokens		t = {"gal_import", text_to_cstring(PG_GETARG_TEXT_PP(0)), 1, 1};
	int64		n = read_header(&t);

	cb_init_materialized_srf(fcinfo);
	for (int64 u = 0; u < n; u++)
	{
		int64		id = token_int(&t, "a unit id");
		int64		k = token_int(&t, "a neighbour count");
		Datum	   *nb;
		Datum		values[2];
		bool		nulls[2] = {false, false};

		if (k < 0 || k > 10000000)
			format_error(&t, "a neighbour count", psprintf(INT64_FORMAT, k));
		nb = palloc(sizeof(Datum) * (k > 0 ? k : 1));
		for (int64 q = 0; q < k; q++)
			nb[q] = Int64GetDatum(token_int(&t, "a neighbour id"));
		values[0] = Int64GetDatum(id);
		values[1] = PointerGetDatum(construct_array(nb, (int) k, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		pfree(nb);
	}
	if (next_token(&t) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("gal_import: text continues after the " INT64_FORMAT " units of the header", n),
				 errdetail("Line %d has more data.", t.token_line)));
	return (Datum) 0;
}

/* ---- gwt_import(gwt text) -> (i, j, w) ---- */

PG_FUNCTION_INFO_V1(cb_gwt_import);
Datum
cb_gwt_import(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Tokens		t = {"gwt_import", text_to_cstring(PG_GETARG_TEXT_PP(0)), 1, 1};

	(void) read_header(&t);
	cb_init_materialized_srf(fcinfo);
	for (;;)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		const char *rest = t.p;

		while (*rest && isspace((unsigned char) *rest))
			rest++;
		if (!*rest)
			break;				/* no more links */
		values[0] = Int64GetDatum(token_int(&t, "a unit id"));
		values[1] = Int64GetDatum(token_int(&t, "a neighbour id"));
		values[2] = Float8GetDatum(token_float(&t, "a weight"));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ---- export aggregates: collect rows, write text at the end ---- */

typedef struct LinkState
{
	int64		len;
	int64		cap;
	int64	   *i;
	int64	   *j;				/* GWT: neighbour; GAL: index into lists */
	double	   *w;
	ArrayType **lists;			/* GAL: neighbour arrays */
} LinkState;

static LinkState *
link_state(FunctionCallInfo fcinfo, const char *func)
{
	MemoryContext aggcontext;
	LinkState  *s;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "%s transition function called in non-aggregate context", func);
	if (!PG_ARGISNULL(0))
		s = (LinkState *) PG_GETARG_POINTER(0);
	else
		s = MemoryContextAllocZero(aggcontext, sizeof(LinkState));
	if (s->len == s->cap)
	{
		MemoryContext old = MemoryContextSwitchTo(aggcontext);

		s->cap = s->cap ? s->cap * 2 : 64;
		s->i = s->i ? repalloc_huge(s->i, sizeof(int64) * s->cap) : palloc(sizeof(int64) * s->cap);
		s->j = s->j ? repalloc_huge(s->j, sizeof(int64) * s->cap) : palloc(sizeof(int64) * s->cap);
		s->w = s->w ? repalloc_huge(s->w, sizeof(double) * s->cap) : palloc(sizeof(double) * s->cap);
		s->lists = s->lists ? repalloc_huge(s->lists, sizeof(ArrayType *) * s->cap)
			: palloc(sizeof(ArrayType *) * s->cap);
		MemoryContextSwitchTo(old);
	}
	return s;
}

static LinkState *sort_state;

static int
cmp_link(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;
	const LinkState *s = sort_state;

	if (s->i[x] != s->i[y])
		return s->i[x] < s->i[y] ? -1 : 1;
	if (s->j[x] != s->j[y])
		return s->j[x] < s->j[y] ? -1 : 1;
	return 0;
}

static int64 *
sorted_order(LinkState *s)
{
	int64	   *order = palloc(sizeof(int64) * (s->len > 0 ? s->len : 1));

	for (int64 k = 0; k < s->len; k++)
		order[k] = k;
	sort_state = s;
	qsort(order, s->len, sizeof(int64), cmp_link);
	sort_state = NULL;
	return order;
}

PG_FUNCTION_INFO_V1(cb_gal_export_step);
Datum
cb_gal_export_step(PG_FUNCTION_ARGS)
{
	LinkState  *s = link_state(fcinfo, "gal_export");
	MemoryContext aggcontext;
	MemoryContext old;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(s);	/* rows without an id are skipped */
	AggCheckCallContext(fcinfo, &aggcontext);
	old = MemoryContextSwitchTo(aggcontext);
	s->i[s->len] = PG_GETARG_INT64(1);
	s->j[s->len] = 0;
	/* a NULL list is a unit without neighbours */
	s->lists[s->len] = PG_ARGISNULL(2) ? NULL : DatumGetArrayTypePCopy(PG_GETARG_DATUM(2));
	MemoryContextSwitchTo(old);
	s->len++;
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(cb_gal_export_final);
Datum
cb_gal_export_final(PG_FUNCTION_ARGS)
{
	LinkState  *s;
	int64	   *order;
	StringInfoData buf;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (LinkState *) PG_GETARG_POINTER(0);
	order = sorted_order(s);
	initStringInfo(&buf);
	appendStringInfo(&buf, "0 " INT64_FORMAT " carbonbudget id\n", s->len);
	for (int64 r = 0; r < s->len; r++)
	{
		int64		k = order[r];
		int64	   *nb = NULL;
		int			count = 0;

		if (r > 0 && s->i[order[r - 1]] == s->i[k])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("gal_export: duplicate id " INT64_FORMAT, s->i[k])));
		if (s->lists[k])
			count = cb_int8_array(s->lists[k], "gal_export", "neighbors", &nb);
		appendStringInfo(&buf, INT64_FORMAT " %d\n", s->i[k], count);
		for (int q = 0; q < count; q++)
			appendStringInfo(&buf, "%s" INT64_FORMAT, q ? " " : "", nb[q]);
		appendStringInfoChar(&buf, '\n');
	}
	PG_RETURN_TEXT_P(cstring_to_text_with_len(buf.data, buf.len));
}

PG_FUNCTION_INFO_V1(cb_gwt_export_step);
Datum
cb_gwt_export_step(PG_FUNCTION_ARGS)
{
	LinkState  *s = link_state(fcinfo, "gwt_export");

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_POINTER(s);	/* incomplete links are skipped */
	s->i[s->len] = PG_GETARG_INT64(1);
	s->j[s->len] = PG_GETARG_INT64(2);
	s->w[s->len] = PG_GETARG_FLOAT8(3);
	cb_check_finite(s->w[s->len], "gwt_export", "w", "link from id", s->i[s->len]);
	s->len++;
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(cb_gwt_export_final);
Datum
cb_gwt_export_final(PG_FUNCTION_ARGS)
{
	LinkState  *s;
	int64	   *order;
	int64	   *ids;
	int64		nids = 0;
	StringInfoData buf;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (LinkState *) PG_GETARG_POINTER(0);
	order = sorted_order(s);

	/* n in the header: distinct ids among both ends of the links */
	ids = palloc(sizeof(int64) * (2 * s->len + 1));
	for (int64 k = 0; k < s->len; k++)
	{
		ids[2 * k] = s->i[k];
		ids[2 * k + 1] = s->j[k];
	}
	qsort(ids, 2 * s->len, sizeof(int64), cb_cmp_int64);
	for (int64 k = 0; k < 2 * s->len; k++)
		if (k == 0 || ids[k] != ids[k - 1])
			nids++;

	initStringInfo(&buf);
	appendStringInfo(&buf, "0 " INT64_FORMAT " carbonbudget id\n", nids);
	for (int64 r = 0; r < s->len; r++)
	{
		int64		k = order[r];
		char		weight[DOUBLE_SHORTEST_DECIMAL_LEN];

		if (r > 0 && s->i[order[r - 1]] == s->i[k] && s->j[order[r - 1]] == s->j[k])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("gwt_export: duplicate link " INT64_FORMAT " - " INT64_FORMAT, s->i[k], s->j[k])));
		/* shortest text that reads back as the same double */
		double_to_shortest_decimal_buf(s->w[k], weight);
		appendStringInfo(&buf, INT64_FORMAT " " INT64_FORMAT " %s\n", s->i[k], s->j[k], weight);
	}
	PG_RETURN_TEXT_P(cstring_to_text_with_len(buf.data, buf.len));
}
