/*
 * csr.c
 *    Compressed sparse row spatial weights: construction, row
 *    standardisation, spatial lag and the weight sums S0, S1, S2.
 */
#include "kernels.h"

#include <string.h>

CbCsr *
cb_csr_alloc(int32_t n, int64_t nnz)
{
	CbCsr	   *w = cb_alloc(sizeof(CbCsr));

	w->n = n;
	w->start = cb_alloc(sizeof(int64_t) * ((size_t) n + 1));
	w->col = cb_alloc(sizeof(int32_t) * (size_t) (nnz > 0 ? nnz : 1));
	w->w = cb_alloc(sizeof(double) * (size_t) (nnz > 0 ? nnz : 1));
	return w;
}

/*
 * Counting sort by row, then each row's links sorted by column.  Rows are
 * short, so sorting (col, weight) through an index array is cheap.
 */
CbCsr *
cb_csr_from_pairs(int32_t n, int64_t npairs, const int32_t *row,
				  const int32_t *col, const double *w)
{
	CbCsr	   *csr = cb_csr_alloc(n, npairs);
	int64_t    *fill = cb_alloc(sizeof(int64_t) * ((size_t) n + 1));
	int32_t    *order = cb_alloc(sizeof(int32_t) * (size_t) (npairs > 0 ? npairs : 1));
	int64_t		k;

	for (k = 0; k < npairs; k++)
		csr->start[row[k] + 1]++;
	for (int32_t i = 0; i < n; i++)
		csr->start[i + 1] += csr->start[i];
	memcpy(fill, csr->start, sizeof(int64_t) * ((size_t) n + 1));
	for (k = 0; k < npairs; k++)
		order[fill[row[k]]++] = (int32_t) k;

	/* Within each row: sort pair indices by column, then scatter. */
	for (int32_t i = 0; i < n; i++)
	{
		int64_t		a = csr->start[i];
		int64_t		b = csr->start[i + 1];

		for (k = a; k < b; k++)
			csr->col[k] = col[order[k]];
		if (b - a > 1)
		{
			/* insertion sort keeps (col, w) together; rows are short */
			for (int64_t p = a + 1; p < b; p++)
			{
				int32_t		c = csr->col[p];
				int32_t		o = order[p];
				int64_t		q = p - 1;

				while (q >= a && csr->col[q] > c)
				{
					csr->col[q + 1] = csr->col[q];
					order[q + 1] = order[q];
					q--;
				}
				csr->col[q + 1] = c;
				order[q + 1] = o;
			}
			for (int64_t p = a + 1; p < b; p++)
				if (csr->col[p] == csr->col[p - 1])
				{
					cb_free(fill);
					cb_free(order);
					return NULL;	/* duplicate link */
				}
		}
		for (k = a; k < b; k++)
			csr->w[k] = w ? w[order[k]] : 1.0;
		if ((i & 4095) == 0)
			cb_check_interrupts();
	}
	cb_free(fill);
	cb_free(order);
	return csr;
}

void
cb_csr_standardise(CbCsr *w, char style)
{
	if (style != 'W')
		return;
	for (int32_t i = 0; i < w->n; i++)
	{
		double		sum = 0.0;

		for (int64_t k = w->start[i]; k < w->start[i + 1]; k++)
			sum += w->w[k];
		if (sum != 0.0)
			for (int64_t k = w->start[i]; k < w->start[i + 1]; k++)
				w->w[k] /= sum;
	}
}

CbCsr *
cb_csr_with_self(const CbCsr *w)
{
	int64_t		nnz = w->start[w->n] + w->n;
	CbCsr	   *out = cb_csr_alloc(w->n, nnz);
	int64_t		p = 0;

	for (int32_t i = 0; i < w->n; i++)
	{
		bool		placed = false;

		out->start[i] = p;
		for (int64_t k = w->start[i]; k < w->start[i + 1]; k++)
		{
			if (!placed && w->col[k] > i)
			{
				out->col[p] = i;
				out->w[p++] = 1.0;
				placed = true;
			}
			out->col[p] = w->col[k];
			out->w[p++] = w->w[k];
		}
		if (!placed)
		{
			out->col[p] = i;
			out->w[p++] = 1.0;
		}
	}
	out->start[w->n] = p;
	return out;
}

void
cb_csr_lag(const CbCsr *w, const double *x, double *lag)
{
	for (int32_t i = 0; i < w->n; i++)
	{
		double		s = 0.0;

		for (int64_t k = w->start[i]; k < w->start[i + 1]; k++)
			s += w->w[k] * x[w->col[k]];
		lag[i] = s;
	}
}

/*
 * S1 needs w_ji beside w_ij: walk each row together with the matching row
 * of the transpose (built by a counting sort), both sorted by column.
 */
void
cb_csr_sums(const CbCsr *w, CbWeightSums *sums)
{
	int32_t		n = w->n;
	int64_t		nnz = w->start[n];
	int64_t    *tstart = cb_alloc(sizeof(int64_t) * ((size_t) n + 1));
	int64_t    *tfill = cb_alloc(sizeof(int64_t) * ((size_t) n + 1));
	int32_t    *tcol = cb_alloc(sizeof(int32_t) * (size_t) (nnz > 0 ? nnz : 1));
	double	   *tw = cb_alloc(sizeof(double) * (size_t) (nnz > 0 ? nnz : 1));
	double	   *colsum = cb_alloc(sizeof(double) * (size_t) (n > 0 ? n : 1));
	double		s0 = 0.0,
				s1 = 0.0,
				s2 = 0.0;

	memset(sums, 0, sizeof(*sums));
	for (int64_t k = 0; k < nnz; k++)
		tstart[w->col[k] + 1]++;
	for (int32_t i = 0; i < n; i++)
		tstart[i + 1] += tstart[i];
	memcpy(tfill, tstart, sizeof(int64_t) * ((size_t) n + 1));
	/* rows visited in order, so each transposed row is sorted by column */
	for (int32_t i = 0; i < n; i++)
		for (int64_t k = w->start[i]; k < w->start[i + 1]; k++)
		{
			int64_t		p = tfill[w->col[k]]++;

			tcol[p] = i;
			tw[p] = w->w[k];
			colsum[w->col[k]] += w->w[k];
		}

	for (int32_t i = 0; i < n; i++)
	{
		int64_t		a = w->start[i],
					ae = w->start[i + 1];
		int64_t		b = tstart[i],
					be = tstart[i + 1];
		double		rowsum = 0.0;

		if (a == ae)
			sums->islands++;
		/* merge row i of W with row i of W^T: s1 term (w_ij + w_ji)^2 */
		while (a < ae || b < be)
		{
			double		v;

			if (b >= be || (a < ae && w->col[a] < tcol[b]))
			{
				v = w->w[a];
				rowsum += w->w[a++];
			}
			else if (a >= ae || tcol[b] < w->col[a])
				v = tw[b++];
			else
			{
				v = w->w[a] + tw[b++];
				rowsum += w->w[a++];
			}
			s1 += v * v;
		}
		s0 += rowsum;
		s2 += (rowsum + colsum[i]) * (rowsum + colsum[i]);
	}
	sums->s0 = s0;
	sums->s1 = s1 / 2.0;
	sums->s2 = s2;
	sums->links = nnz;
	cb_free(tstart);
	cb_free(tfill);
	cb_free(tcol);
	cb_free(tw);
	cb_free(colsum);
}
