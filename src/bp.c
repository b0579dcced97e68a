/*
 * bp.c
 *    bp_fit aggregate and bp_predict: the back-propagation network of
 *    paper 001 section 2.2.4, stored as a bytea value.
 *
 * Model bytea: "CBBP", int32 format version 1, int32 p, int32 h, then the
 * doubles of drivers.h (cb_bp_doubles), all in the server's byte order.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "carbonbudget.h"
#include "drivers.h"
#include "options.h"
#include "regression.h"

PG_FUNCTION_INFO_V1(cb_bp_fit_step);
PG_FUNCTION_INFO_V1(cb_bp_fit_final);
PG_FUNCTION_INFO_V1(cb_bp_predict_sql);

#define BP_MAGIC "CBBP"
#define BP_VERSION 1
#define BP_HEADER (4 + 3 * sizeof(int32))

/* Rows collected for training, in the aggregate context. */
typedef struct BpRows
{
	int			p;				/* inputs per row (0 until the first row) */
	int64		n;				/* rows kept */
	int64		cap;			/* rows allocated */
	int64		skipped;		/* rows with a NULL y or x */
	double	   *x;				/* n x p */
	double	   *y;
	char	   *options;
} BpRows;

Datum
cb_bp_fit_step(PG_FUNCTION_ARGS)
{
	const char *func = "bp_fit";
	MemoryContext aggctx;
	MemoryContext old;
	BpRows	   *rows;
	double	   *x;
	int			p;
	double		y;

	cb_require_aggregate(fcinfo, func, &aggctx);
	old = MemoryContextSwitchTo(aggctx);
	if (PG_ARGISNULL(0))
	{
		rows = palloc0(sizeof(BpRows));
		rows->options = pstrdup(PG_NARGS() > 3 && !PG_ARGISNULL(3) ?
								text_to_cstring(PG_GETARG_TEXT_PP(3)) : "");
	}
	else
		rows = (BpRows *) PG_GETARG_POINTER(0);
	MemoryContextSwitchTo(old);

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		rows->skipped++;
		PG_RETURN_POINTER(rows);
	}
	y = PG_GETARG_FLOAT8(1);
	p = cb_float8_array(PG_GETARG_ARRAYTYPE_P(2), func, "x", &x);
	if (p == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bp_fit: x must have at least one element")));
	if (rows->p == 0)
		rows->p = p;
	if (p != rows->p)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("bp_fit: x must have the same length in every row"),
				 errdetail("A row has %d elements, earlier rows had %d.", p, rows->p)));
	cb_check_finite(y, func, "y", "row", rows->n + rows->skipped + 1);
	for (int j = 0; j < p; j++)
		if (!isfinite(x[j]))
			cb_check_finite(x[j], func, psprintf("x[%d]", j + 1), "row", rows->n + rows->skipped + 1);
	if (rows->n == rows->cap)
	{
		int64		cap = Max(64, rows->cap * 2);

		old = MemoryContextSwitchTo(aggctx);
		rows->x = rows->x ? repalloc_huge(rows->x, sizeof(double) * cap * p)
			: palloc_extended(sizeof(double) * cap * p, MCXT_ALLOC_HUGE);
		rows->y = rows->y ? repalloc_huge(rows->y, sizeof(double) * cap)
			: palloc_extended(sizeof(double) * cap, MCXT_ALLOC_HUGE);
		rows->cap = cap;
		MemoryContextSwitchTo(old);
	}
	memcpy(rows->x + rows->n * p, x, sizeof(double) * p);
	rows->y[rows->n++] = y;
	PG_RETURN_POINTER(rows);
}

Datum
cb_bp_fit_final(PG_FUNCTION_ARGS)
{
	static const char *const allowed[] = {"hidden", "epochs", "learning_rate", "seed", NULL};
	BpRows	   *rows = PG_ARGISNULL(0) ? NULL : (BpRows *) PG_GETARG_POINTER(0);
	CbOptions	opts;
	CbBpNet		net;
	size_t		nd;
	bytea	   *model;
	double	   *buf;
	double		r2;
	int32		header[3];
	int			epochs;
	Datum		values[5];
	bool		nulls[5] = {false};

	if (rows == NULL || rows->n == 0)
		PG_RETURN_NULL();
	cb_options_parse(&opts, "bp_fit", rows->options, allowed);
	net.p = rows->p;
	net.h = (int) cb_opt_int(&opts, "hidden", 4, 1, 1000);
	epochs = (int) cb_opt_int(&opts, "epochs", 2000, 1, 10000000);
	if (rows->n < 3)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("bp_fit: needs at least 3 rows, got " INT64_FORMAT, rows->n)));
	for (int64 i = 1; i < rows->n && rows->y[i] == rows->y[0]; i++)
		if (i == rows->n - 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("bp_fit: y has zero variance"),
					 errhint("A constant output needs no network.")));
	nd = cb_bp_doubles(net.p, net.h);
	buf = palloc0(sizeof(double) * nd);
	cb_bp_bind(&net, buf);
	r2 = cb_bp_train(&net, rows->x, rows->y, rows->n, epochs,
					 cb_opt_float(&opts, "learning_rate", 0.01, 0.0, 10.0, true),
					 (uint64) cb_opt_int(&opts, "seed", 42, 0, PG_INT64_MAX));
	cb_bp_store_scalars(&net, buf);

	model = palloc(VARHDRSZ + BP_HEADER + sizeof(double) * nd);
	SET_VARSIZE(model, VARHDRSZ + BP_HEADER + sizeof(double) * nd);
	memcpy(VARDATA(model), BP_MAGIC, 4);
	header[0] = BP_VERSION;
	header[1] = net.p;
	header[2] = net.h;
	memcpy(VARDATA(model) + 4, header, sizeof(header));
	memcpy(VARDATA(model) + BP_HEADER, buf, sizeof(double) * nd);

	values[0] = PointerGetDatum(model);
	CB_FLOAT8_OR_NULL(r2, values, nulls, 1);
	values[2] = Int64GetDatum(rows->n);
	values[3] = Int32GetDatum(net.h);
	values[4] = Int32GetDatum(epochs);
	PG_RETURN_DATUM(cb_form_result(fcinfo, values, nulls));
}

/* Reads a model bytea, checking its header and size. */
static void
read_model(bytea *model, CbBpNet *net)
{
	size_t		len = VARSIZE_ANY_EXHDR(model);
	const char *data = VARDATA_ANY(model);
	int32		header[3];
	double	   *buf;

	if (len < BP_HEADER || memcmp(data, BP_MAGIC, 4) != 0)
		goto bad;
	memcpy(header, data + 4, sizeof(header));
	if (header[0] != BP_VERSION || header[1] < 1 || header[2] < 1 || header[1] > 100000 || header[2] > 1000 ||
		len != BP_HEADER + sizeof(double) * cb_bp_doubles(header[1], header[2]))
		goto bad;
	net->p = header[1];
	net->h = header[2];
	/* copy: the bytea payload is not aligned for doubles */
	buf = palloc(len - BP_HEADER);
	memcpy(buf, data + BP_HEADER, len - BP_HEADER);
	for (size_t i = 0; i < (len - BP_HEADER) / sizeof(double); i++)
		if (!isfinite(buf[i]))
			goto bad;
	cb_bp_bind(net, buf);
	for (int j = 0; j < net->p; j++)
		if (!(net->xs[j] > 0))
			goto bad;
	return;
bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("bp_predict: model is not a bp_fit model"),
			 errhint("Pass the model field of a bp_fit result.")));
}

Datum
cb_bp_predict_sql(PG_FUNCTION_ARGS)
{
	CbBpNet		net;
	double	   *x;
	int			p;

	read_model(PG_GETARG_BYTEA_PP(0), &net);
	p = cb_float8_array(PG_GETARG_ARRAYTYPE_P(1), "bp_predict", "x", &x);
	if (p != net.p)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("bp_predict: x must have %d elements, as when the model was fitted", net.p),
				 errdetail("x has %d elements.", p)));
	for (int j = 0; j < p; j++)
		if (!isfinite(x[j]))
			cb_check_finite(x[j], "bp_predict", psprintf("x[%d]", j + 1), "element", j + 1);
	PG_RETURN_FLOAT8(cb_finite_result(cb_bp_predict(&net, x), "bp_predict"));
}
