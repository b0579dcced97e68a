/*
 * accum.c
 *    Order-independent sums and permutations that any node can evaluate
 *    alone: what lets a statistic be split over shards (Citus) or parallel
 *    workers and still give the single-node result to the last bit.
 *
 *  - CbExactSum: the exact sum of doubles in fixed point, 32 bits per
 *    int64 chunk (carries deferred, as in Neal's "small superaccumulator"),
 *    so partial sums merged in any order hold the same value, and the same
 *    double comes out of it.
 *  - CbFeistel: a keyed bijection of [0, n) (a balanced Feistel network on
 *    the next even number of bits, with cycle walking), the r-th random
 *    permutation of a seed, evaluated at any index without materialising it.
 */
#include "kernels.h"

#include <math.h>
#include <string.h>

/* chunk k holds bits [32 k - CB_SUM_OFFSET, 32 k + 32 - CB_SUM_OFFSET) of the fixed-point value */
#define CB_SUM_OFFSET 1152		/* the least subnormal, 2^52 * 2^-1126, still has bits >= 0 */
#define CHUNK_BITS 32
#define CHUNK_MASK 0xFFFFFFFFLL
/* carries are propagated before a chunk could overflow (2^31 adds of < 2^32 each) */
#define MAX_PENDING (1 << 30)

void
cb_exact_sum_init(CbExactSum *s)
{
	memset(s, 0, sizeof(*s));
}

/* Propagates carries: every chunk but the last in [0, 2^32); the last holds the sign. */
static void
normalize(CbExactSum *s)
{
	for (int k = 0; k < CB_SUM_CHUNKS - 1; k++)
	{
		int64_t		carry = s->chunk[k] >> CHUNK_BITS;	/* arithmetic: floor */

		s->chunk[k] -= carry * ((int64_t) 1 << CHUNK_BITS);
		s->chunk[k + 1] += carry;
	}
	s->pending = 0;
}

void
cb_exact_sum_add(CbExactSum *s, double x)
{
	int			e;
	double		m;
	uint64_t	mant;
	int			bit;
	int			k;
	int			shift;
	unsigned __int128 v;
	int64_t		sign;

	if (x == 0.0)
		return;
	if (!isfinite(x))
	{
		s->nonfinite = true;
		return;
	}
	/* x = mant 2^(e - 53), mant < 2^53 an integer (also for subnormals) */
	m = frexp(fabs(x), &e);
	mant = (uint64_t) ldexp(m, 53);
	bit = e - 53 + CB_SUM_OFFSET;
	k = bit / CHUNK_BITS;
	shift = bit % CHUNK_BITS;
	v = (unsigned __int128) mant << shift;
	sign = x < 0 ? -1 : 1;
	s->chunk[k] += sign * (int64_t) (uint64_t) (v & CHUNK_MASK);
	s->chunk[k + 1] += sign * (int64_t) (uint64_t) ((v >> CHUNK_BITS) & CHUNK_MASK);
	s->chunk[k + 2] += sign * (int64_t) (uint64_t) (v >> (2 * CHUNK_BITS));
	if (++s->pending >= MAX_PENDING)
		normalize(s);
}

void
cb_exact_sum_merge(CbExactSum *dst, const CbExactSum *src)
{
	CbExactSum	b = *src;

	normalize(dst);
	normalize(&b);
	for (int k = 0; k < CB_SUM_CHUNKS; k++)
		dst->chunk[k] += b.chunk[k];
	dst->nonfinite = dst->nonfinite || b.nonfinite;
	dst->pending = 1;
}

/*
 * The double nearest (to within the last bit) the exact sum, a function of
 * the exact value only: the magnitude's canonical chunks, its top 96 bits
 * converted at once.  NaN when a non-finite term was added.
 */
double
cb_exact_sum_value(const CbExactSum *s)
{
	CbExactSum	a = *s;
	bool		negative;
	int			top;
	unsigned __int128 bits;

	if (a.nonfinite)
		return NAN;
	normalize(&a);
	negative = a.chunk[CB_SUM_CHUNKS - 1] < 0;
	if (negative)
	{
		/* two's complement negation in base 2^32, then canonical again */
		for (int k = 0; k < CB_SUM_CHUNKS; k++)
			a.chunk[k] = -a.chunk[k];
		normalize(&a);
	}
	for (top = CB_SUM_CHUNKS - 1; top >= 0 && a.chunk[top] == 0; top--)
		;
	if (top < 0)
		return 0.0;
	if (top < 2)
		top = 2;
	bits = ((unsigned __int128) (uint64_t) a.chunk[top] << (2 * CHUNK_BITS)) |
		((unsigned __int128) (uint64_t) a.chunk[top - 1] << CHUNK_BITS) |
		(unsigned __int128) (uint64_t) a.chunk[top - 2];
	{
		double		v = ldexp((double) bits, (top - 2) * CHUNK_BITS - CB_SUM_OFFSET);

		return negative ? -v : v;
	}
}

/* ---- keyed permutations of [0, n) ---- */

#define FEISTEL_ROUNDS 6

static inline uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

void
cb_feistel_init(CbFeistel *f, uint32_t n, uint64_t seed, uint64_t index)
{
	int			bits = 0;

	while (bits < 62 && ((uint64_t) 1 << bits) < n)
		bits++;
	f->n = n;
	f->half = bits < 2 ? 1 : (bits + 1) / 2;
	f->mask = ((uint64_t) 1 << f->half) - 1;
	for (int r = 0; r < FEISTEL_ROUNDS; r++)
		f->key[r] = mix64(seed ^ mix64(index * 0x9E3779B97F4A7C15ULL + (uint64_t) r + 1));
}

static inline uint64_t
feistel_once(const CbFeistel *f, uint64_t x)
{
	uint64_t	left = x >> f->half,
				right = x & f->mask;

	for (int r = 0; r < FEISTEL_ROUNDS; r++)
	{
		uint64_t	next = left ^ (mix64(right ^ f->key[r]) & f->mask);

		left = right;
		right = next;
	}
	return (left << f->half) | right;
}

uint32_t
cb_feistel_apply(const CbFeistel *f, uint32_t i)
{
	uint64_t	x = i;

	/* the network permutes [0, 4^half); walking its cycles stays inside [0, n) */
	do
		x = feistel_once(f, x);
	while (x >= f->n);
	return (uint32_t) x;
}
