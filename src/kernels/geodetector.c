/*
 * geodetector.c
 *    Geographical detector (Wang et al. 2010): strata tables that combine,
 *    the factor detector q with its noncentral F test, and discretisation
 *    of continuous factors.
 */
#include "kernels.h"
#include "drivers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int
cmp_key(const double *row, double tag, double key1, double key2)
{
	if (row[CB_GD_TAG] != tag)
		return row[CB_GD_TAG] < tag ? -1 : 1;
	if (row[CB_GD_KEY1] != key1)
		return row[CB_GD_KEY1] < key1 ? -1 : 1;
	if (row[CB_GD_KEY2] != key2)
		return row[CB_GD_KEY2] < key2 ? -1 : 1;
	return 0;
}

int64_t
cb_gd_find(const double *rows, int64_t count, double tag, double key1, double key2)
{
	int64_t		lo = 0;
	int64_t		hi = count;

	while (lo < hi)
	{
		int64_t		mid = lo + (hi - lo) / 2;
		int			c = cmp_key(rows + mid * CB_GD_WIDTH, tag, key1, key2);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -lo - 1;
}

void
cb_gd_add(double *row, double y)
{
	double		d = y - row[CB_GD_MEAN];

	row[CB_GD_CNT] += 1.0;
	row[CB_GD_MEAN] += d / row[CB_GD_CNT];
	row[CB_GD_M2] += d * (y - row[CB_GD_MEAN]);
}

int64_t
cb_gd_merge(const double *a, int64_t na, const double *b, int64_t nb, double *out)
{
	int64_t		i = 0, j = 0, k = 0;

	while (i < na || j < nb)
	{
		int			c = i >= na ? 1 : j >= nb ? -1 :
			cmp_key(a + i * CB_GD_WIDTH, b[j * CB_GD_WIDTH + CB_GD_TAG],
					b[j * CB_GD_WIDTH + CB_GD_KEY1], b[j * CB_GD_WIDTH + CB_GD_KEY2]);
		double	   *o = out + k * CB_GD_WIDTH;

		if (c < 0)
			memcpy(o, a + (i++) * CB_GD_WIDTH, sizeof(double) * CB_GD_WIDTH);
		else if (c > 0)
			memcpy(o, b + (j++) * CB_GD_WIDTH, sizeof(double) * CB_GD_WIDTH);
		else
		{
			const double *ra = a + (i++) * CB_GD_WIDTH;
			const double *rb = b + (j++) * CB_GD_WIDTH;
			double		n = ra[CB_GD_CNT] + rb[CB_GD_CNT];
			double		delta = rb[CB_GD_MEAN] - ra[CB_GD_MEAN];

			memcpy(o, ra, sizeof(double) * CB_GD_WIDTH);
			o[CB_GD_CNT] = n;
			o[CB_GD_MEAN] = ra[CB_GD_MEAN] + delta * rb[CB_GD_CNT] / n;
			o[CB_GD_M2] = ra[CB_GD_M2] + rb[CB_GD_M2] + delta * delta * ra[CB_GD_CNT] * rb[CB_GD_CNT] / n;
		}
		k++;
	}
	return k;
}

bool
cb_gd_factor(const double *rows, int64_t count, double tag, CbGdFactor *out)
{
	double		n = 0.0, mean = 0.0, ssw = 0.0, between = 0.0;
	double		sum_m2 = 0.0, sum_root = 0.0;
	int64_t		strata = 0;
	double		var;

	for (int64_t h = 0; h < count; h++)
	{
		const double *r = rows + h * CB_GD_WIDTH;

		if (r[CB_GD_TAG] != tag)
			continue;
		n += r[CB_GD_CNT];
		mean += r[CB_GD_CNT] * r[CB_GD_MEAN];
		strata++;
	}
	mean /= n;
	for (int64_t h = 0; h < count; h++)
	{
		const double *r = rows + h * CB_GD_WIDTH;

		if (r[CB_GD_TAG] != tag)
			continue;
		ssw += r[CB_GD_M2];
		between += r[CB_GD_CNT] * (r[CB_GD_MEAN] - mean) * (r[CB_GD_MEAN] - mean);
		sum_m2 += r[CB_GD_MEAN] * r[CB_GD_MEAN];
		sum_root += sqrt(r[CB_GD_CNT]) * r[CB_GD_MEAN];
	}
	out->n = n;
	out->strata = strata;
	out->sst = ssw + between;
	if (!(out->sst > 1e-28 * (mean * mean + 1e-300) * n))
		return false;
	var = out->sst / (n - 1.0);
	out->q = 1.0 - ssw / out->sst;
	out->f = (n - strata) / (strata - 1.0) * out->q / (1.0 - out->q);
	out->lambda = fmax(0.0, (sum_m2 - sum_root * sum_root / n) / var);
	out->p = strata > 1 && n > strata ? cb_ncf_sf(out->f, strata - 1.0, n - strata, out->lambda) : NAN;
	return true;
}

void
cb_breaks_natural(const double *sorted, int64_t n, int k, double *t)
{
	/* s1, s2: prefix sums; cost of class x[i..j] = s2 - s1^2 / count */
	double	   *s1 = cb_alloc(sizeof(double) * (n + 1));
	double	   *s2 = cb_alloc(sizeof(double) * (n + 1));
	double	   *prev = cb_alloc(sizeof(double) * (n + 1));
	double	   *cur = cb_alloc(sizeof(double) * (n + 1));
	int64_t    *start = cb_alloc(sizeof(int64_t) * (size_t) (k + 1) * (n + 1));

	for (int64_t i = 0; i < n; i++)
	{
		s1[i + 1] = s1[i] + sorted[i];
		s2[i + 1] = s2[i] + sorted[i] * sorted[i];
	}
	/* prev[j]: best cost of the first j values in c classes */
	for (int64_t j = 1; j <= n; j++)
		prev[j] = s2[j] - s1[j] * s1[j] / j;
	for (int c = 2; c <= k; c++)
	{
		for (int64_t j = c; j <= n; j++)
		{
			double		best = INFINITY;
			int64_t		best_i = c - 1;

			if ((j & 255) == 0)
				cb_check_interrupts();
			/* last class holds values i .. j-1 (0-based) */
			for (int64_t i = c - 1; i < j; i++)
			{
				double		cnt = (double) (j - i);
				double		sum = s1[j] - s1[i];
				double		cost = prev[i] + (s2[j] - s2[i]) - sum * sum / cnt;

				if (cost < best)
				{
					best = cost;
					best_i = i;
				}
			}
			cur[j] = best;
			start[(size_t) c * (n + 1) + j] = best_i;
		}
		memcpy(prev, cur, sizeof(double) * (n + 1));
	}
	/* walk back: threshold = first value of each class after the first */
	{
		int64_t		j = n;

		for (int c = k; c >= 2; c--)
		{
			int64_t		i = start[(size_t) c * (n + 1) + j];

			t[c - 2] = sorted[i];
			j = i;
		}
	}
	cb_free(s1);
	cb_free(s2);
	cb_free(prev);
	cb_free(cur);
	cb_free(start);
}

/* Class of v: number of thresholds <= v (0 .. k-1). */
static int
class_of(double v, const double *t, int k)
{
	int			c = 0;

	while (c < k - 1 && v >= t[c])
		c++;
	return c;
}

double
cb_gd_q_of_breaks(const double *y, const double *x, int64_t n, const double *t, int k)
{
	double	   *rows = cb_alloc(sizeof(double) * CB_GD_WIDTH * k);
	CbGdFactor	f;
	int64_t		used = 0;
	double		q;

	for (int c = 0; c < k; c++)
	{
		rows[c * CB_GD_WIDTH + CB_GD_TAG] = 1;
		rows[c * CB_GD_WIDTH + CB_GD_KEY1] = c;
	}
	for (int64_t i = 0; i < n; i++)
		cb_gd_add(rows + class_of(x[i], t, k) * CB_GD_WIDTH, y[i]);
	/* empty classes (ties) drop out */
	for (int c = 0; c < k; c++)
		if (rows[c * CB_GD_WIDTH + CB_GD_CNT] > 0)
			memmove(rows + (used++) * CB_GD_WIDTH, rows + c * CB_GD_WIDTH, sizeof(double) * CB_GD_WIDTH);
	q = cb_gd_factor(rows, used, 1, &f) ? f.q : NAN;
	cb_free(rows);
	return q;
}
