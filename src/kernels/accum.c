/*
 * accum.c
 *    Order-independent sums and permutations that any node can evaluate
 *    alone: what lets a statistic be split over shards (Citus) or parallel
 *    workers and still give the single-node result to the last bit.
 *
 *  - CbExactSum: the exact sum of doubles in fixed point, 32 bits per
 *    int64 chunk (carries deferred, as in Neal's "small superaccumulator"),
 *    with a 128-bit window in front of the chunks that takes, with a shift
 *    and an add, the terms within 2^20 of the first (most terms of a
 *    statistic), so partial sums merged in any order hold the same value,
 *    and the same double comes out of it.
 *  - CbFeistel: a keyed bijection of [0, n) (an unbalanced Feistel network
 *    on ceil(log2 n) bits with cycle walking), the r-th random permutation
 *    of a seed, evaluated at any index without materialising it.
 */
#include "kernels.h"

#include <math.h>
#include <string.h>

/* ---- exact sums ---- */

/*
 * Bit positions: bit p of the fixed-point value weighs 2^(p - CB_SUM_OFFSET),
 * chunk k holds bits [32 k, 32 k + 32).  A finite double with biased exponent
 * e (1 for subnormals) is mant 2^(e - 1075), its lowest bit at position
 * e + SUM_BIAS, from 78 (the least subnormal) to 2123.
 */
#define CB_SUM_OFFSET 1152
#define SUM_BIAS (CB_SUM_OFFSET - 1075)
#define CHUNK_BITS 32
#define CHUNK_MASK 0xFFFFFFFFULL
#define FRAC_BITS 52
#define FRAC_MASK ((1ULL << FRAC_BITS) - 1)
/* carries are propagated before a chunk could overflow (2^31 adds of < 2^32 each) */
#define MAX_PENDING (1 << 30)

/*
 * The window: a term whose lowest bit is at position p with
 * anchor <= p < anchor + WINDOW_SPAN is added as mant << (p - anchor) (< 2^93)
 * to a signed 128-bit integer, which 2^30 such adds cannot overflow.  The
 * anchor is set WINDOW_BELOW positions under the first term's, and moved up
 * when a larger term comes; smaller terms go to the chunks.  Anchors stay in
 * [WINDOW_MIN, WINDOW_MAX], so that zeros and subnormals (position 77 by
 * the exponent field) and non-finite values (2124) never fall in it and the
 * window spills into chunks that exist.
 */
#define WINDOW_SPAN 40
#define WINDOW_BELOW 20
#define WINDOW_MIN (1 + SUM_BIAS)
#define WINDOW_MAX (0x7FF + SUM_BIAS - WINDOW_SPAN)

typedef __int128 int128_t;
typedef unsigned __int128 uint128_t;

static inline int128_t
window_get(const CbExactSum *s)
{
	return (int128_t) (((uint128_t) s->window[1] << 64) | s->window[0]);
}

static inline void
window_set(CbExactSum *s, int128_t v)
{
	s->window[0] = (uint64_t) (uint128_t) v;
	s->window[1] = (uint64_t) ((uint128_t) v >> 64);
}

void
cb_exact_sum_init(CbExactSum *s)
{
	memset(s, 0, sizeof(*s));
}

/* Adds sign * (v << 32 k) to the chunks, v < 2^96, 32 bits per chunk. */
static inline void
chunks_add(CbExactSum *s, int k, uint128_t v, int64_t sign)
{
	s->chunk[k] += sign * (int64_t) (uint64_t) (v & CHUNK_MASK);
	s->chunk[k + 1] += sign * (int64_t) (uint64_t) ((v >> CHUNK_BITS) & CHUNK_MASK);
	s->chunk[k + 2] += sign * (int64_t) (uint64_t) (v >> (2 * CHUNK_BITS));
}

/* Moves the window's value into the chunks (an add of < 2^32 to each of five chunks). */
static void
window_spill(CbExactSum *s)
{
	int128_t	v = window_get(s);
	int64_t		sign = v < 0 ? -1 : 1;
	uint128_t	mag = v < 0 ? -(uint128_t) v : (uint128_t) v;
	int			k = s->anchor / CHUNK_BITS;
	int			shift = s->anchor % CHUNK_BITS;
	uint128_t	lo = mag << shift;
	uint64_t	hi = shift ? (uint64_t) (mag >> (128 - shift)) : 0;

	if (v == 0)
		return;
	for (int j = 0; j < 4; j++)
		s->chunk[k + j] += sign * (int64_t) (uint64_t) ((lo >> (CHUNK_BITS * j)) & CHUNK_MASK);
	s->chunk[k + 4] += sign * (int64_t) hi;
	window_set(s, 0);
}

/* Propagates carries: the window emptied, every chunk but the last in [0, 2^32); the last holds the sign. */
static void
normalize(CbExactSum *s)
{
	window_spill(s);
	for (int k = 0; k < CB_SUM_CHUNKS - 1; k++)
	{
		int64_t		carry = s->chunk[k] >> CHUNK_BITS;	/* arithmetic: floor */

		s->chunk[k] -= carry * ((int64_t) 1 << CHUNK_BITS);
		s->chunk[k + 1] += carry;
	}
	s->pending = 0;
}

/*
 * A term outside the window (or the first): sets or moves the anchor and
 * adds the term to the window, or adds it to the chunks; zeros are skipped.
 */
static __attribute__((noinline)) void
add_slow(CbExactSum *s, double x)
{
	uint64_t	raw;
	int			e;
	uint64_t	mant;
	int			pos;
	int64_t		sign;

	memcpy(&raw, &x, sizeof(raw));
	e = (int) ((raw >> FRAC_BITS) & 0x7FF);
	if (e == 0x7FF)
	{
		s->nonfinite = true;
		return;
	}
	mant = raw & FRAC_MASK;
	if (e == 0 && mant == 0)
		return;
	sign = (raw >> 63) ? -1 : 1;
	if (e != 0)
		mant |= 1ULL << FRAC_BITS;
	else
		e = 1;
	pos = e + SUM_BIAS;
	if (s->anchor == 0 || pos >= s->anchor + WINDOW_SPAN)
	{
		int			anchor = pos - WINDOW_BELOW;

		anchor = anchor < WINDOW_MIN ? WINDOW_MIN : (anchor > WINDOW_MAX ? WINDOW_MAX : anchor);
		if (s->anchor != 0)
			window_spill(s);
		s->anchor = anchor;
	}
	if (pos >= s->anchor && pos < s->anchor + WINDOW_SPAN)
	{
		uint128_t	v = (uint128_t) mant << (pos - s->anchor);

		window_set(s, window_get(s) + (sign < 0 ? -(int128_t) v : (int128_t) v));
	}
	else
		chunks_add(s, pos / CHUNK_BITS, (uint128_t) mant << (pos % CHUNK_BITS), sign);
	if (++s->pending >= MAX_PENDING)
		normalize(s);
}

void
cb_exact_sum_add(CbExactSum *s, double x)
{
	cb_exact_sum_add_many(s, &x, 1);
}

/*
 * The loop of the sums: the window in a register, a term inside it costs a
 * shift and a 128-bit add; the others go through add_slow.
 */
void
cb_exact_sum_add_many(CbExactSum *s, const double *x, int64_t count)
{
	int64_t		t = 0;

	while (t < count)
	{
		uint64_t	acc_lo = s->window[0];
		uint64_t	acc_hi = s->window[1];
		int			bias = SUM_BIAS - s->anchor;
		int64_t		room = (int64_t) (MAX_PENDING - 1) - s->pending;
		int64_t		stop = count - t < room ? count : t + (room > 0 ? room : 0);
		int64_t		begin = t;

		for (; t < stop; t++)
		{
			uint64_t	raw;
			uint32_t	off;
			uint64_t	neg,
						mant,
						lo,
						hi;
			int64_t		signed_mant;

			memcpy(&raw, &x[t], sizeof(raw));
			/*
			 * Unsigned: a term below the anchor wraps to a large offset, and
			 * zeros, subnormals, non-finite values and every term before the
			 * first anchor are outside.
			 */
			off = (uint32_t) ((int) ((raw >> FRAC_BITS) & 0x7FF) + bias);
			if (off >= WINDOW_SPAN)
				break;
			neg = (uint64_t) ((int64_t) raw >> 63);	/* all ones when negative */
			mant = (raw & FRAC_MASK) | (1ULL << FRAC_BITS);
			signed_mant = (int64_t) ((mant ^ neg) - neg);
			/* the 128-bit two's complement of signed_mant 2^off, as two words */
			lo = (uint64_t) signed_mant << off;
			hi = (uint64_t) ((signed_mant >> 1) >> (63 - off));
			acc_lo += lo;
			acc_hi += hi + (acc_lo < lo);
		}
		s->window[0] = acc_lo;
		s->window[1] = acc_hi;
		s->pending += (int32_t) (t - begin);
		if (t < count)
			add_slow(s, x[t++]);
	}
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

bool
cb_exact_sum_valid(const CbExactSum *s)
{
	int128_t	v = window_get(s);
	int128_t	bound = (int128_t) 1 << 124;

	for (int k = 0; k < CB_SUM_CHUNKS; k++)
		if (s->chunk[k] > ((int64_t) 1 << 62) || s->chunk[k] < -((int64_t) 1 << 62))
			return false;
	return s->pending >= 0 && s->pending <= MAX_PENDING &&
		(s->anchor == 0 || (s->anchor >= WINDOW_MIN && s->anchor <= WINDOW_MAX)) &&
		(s->anchor != 0 || v == 0) && v < bound && v > -bound;
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
	uint128_t	bits;

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
	bits = ((uint128_t) (uint64_t) a.chunk[top] << (2 * CHUNK_BITS)) |
		((uint128_t) (uint64_t) a.chunk[top - 1] << CHUNK_BITS) |
		(uint128_t) (uint64_t) a.chunk[top - 2];
	{
		double		v = ldexp((double) bits, (top - 2) * CHUNK_BITS - CB_SUM_OFFSET);

		return negative ? -v : v;
	}
}

/* ---- keyed permutations of [0, n) ---- */

static inline uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/*
 * The round function: the 32-bit multiply-xorshift hash of Wellons'
 * "lowbias32" (two multiplies, bias 0.17, near the best such hash found) of
 * the input under the round key, its top `out_bits` bits (the best mixed).
 * Its first step, h ^= h >> 16, is left out: the input has at most 16 bits,
 * so the step only XORs a constant of the key into it.
 */
static inline __attribute__((always_inline)) uint32_t
round_f(uint32_t v, uint32_t key, int out_bits)
{
	uint32_t	h = v ^ key;

	h *= 0x7FEB352DU;
	h ^= h >> 15;
	h *= 0x846CA68BU;
	return h >> (32 - out_bits);
}

/*
 * Rounds of the network by its width.  Four (Luby and Rackoff: with
 * pseudorandom round functions, the fewest that make a strong pseudorandom
 * permutation) from 12 bits on: over a million permutations of n = 3,000 and
 * n = 100,000, the positions of single indices and the joint positions of
 * neighbouring indices are uniform (chi-square within 2 sd).  Narrower
 * domains have halves of a few bits, on which four rounds leave the
 * permutations measurably non-uniform (n = 25: 57 sd off; n = 100: 10 sd),
 * so they get more, as many as the same checks needed (n = 8: 16 rounds
 * still 3 sd off, 24 within 1; test/sql/permutation.sql compares p_sim on
 * 8 units with the exact p of all 8! arrangements, which 4 rounds fail).
 */
static int
feistel_rounds(int bits)
{
	static const int8_t by_bits[] = {
		/* bits 0..11 */ 32, 32, 32, 24, 24, 12, 12, 10, 8, 6, 6, 6
	};

	return bits < (int) sizeof(by_bits) ? by_bits[bits] : 4;
}

void
cb_feistel_init(CbFeistel *f, uint32_t n, uint64_t seed, uint64_t index)
{
	int			bits = 2;

	while (bits < 32 && ((uint64_t) 1 << bits) < n)
		bits++;
	f->n = n;
	f->bits = bits;
	f->low = bits / 2;
	f->rounds = feistel_rounds(bits);
	for (int r = 0; r < f->rounds; r++)
		f->key[r] = (uint32_t) (mix64(seed ^ mix64(index * 0x9E3779B97F4A7C15ULL + (uint64_t) r + 1)) >> 32);
}

/*
 * Round r of the network over [0, 2^bits): x split into its top h bits and
 * its bottom l = bits - h gives (bottom, top ^ F_r(bottom)), a bijection
 * since the bottom part is kept and F_r can be recomputed from it.  h
 * alternates floor(bits / 2) (even rounds) and ceil(bits / 2) (odd rounds),
 * so after an even number of rounds the split is the first one again.
 */
static inline __attribute__((always_inline)) uint32_t
feistel_round(uint32_t x, uint32_t key, int h, int l)
{
	uint32_t	top = x >> l,
				bottom = x & ((1U << l) - 1);

	return (bottom << h) | ((top ^ round_f(bottom, key, h)) & ((1U << h) - 1));
}

static inline __attribute__((always_inline)) uint32_t
feistel_pass(const CbFeistel *f, uint32_t x)
{
	for (int r = 0; r < f->rounds; r++)
	{
		int			h = (r & 1) ? f->bits - f->low : f->low;

		x = feistel_round(x, f->key[r], h, f->bits - h);
	}
	return x;
}

uint32_t
cb_feistel_apply(const CbFeistel *f, uint32_t i)
{
	uint32_t	x = i;

	/* the network permutes [0, 2^bits), less than 2n; walking its cycles stays inside [0, n) */
	do
		x = feistel_pass(f, x);
	while (x >= f->n);
	return x;
}

/* The network over a block: each round a loop of fixed length on independent lanes (vector instructions). */
static inline __attribute__((always_inline)) void
feistel_pass_block(const CbFeistel *f, uint32_t *lane)
{
	int			low = f->low,
				high = f->bits - f->low;

	if (f->rounds == 4)
	{
		/* the usual network (12 bits and more), its four rounds on a lane in registers */
		uint32_t	k0 = f->key[0],
					k1 = f->key[1],
					k2 = f->key[2],
					k3 = f->key[3];

		for (int t = 0; t < CB_FEISTEL_BLOCK; t++)
			lane[t] = feistel_round(feistel_round(feistel_round(feistel_round(lane[t], k0, low, high),
																k1, high, low),
												  k2, low, high),
									k3, high, low);
		return;
	}
	for (int r = 0; r < f->rounds; r++)
	{
		int			h = (r & 1) ? f->bits - f->low : f->low,
					l = f->bits - h;
		uint32_t	key = f->key[r];

		for (int t = 0; t < CB_FEISTEL_BLOCK; t++)
			lane[t] = feistel_round(lane[t], key, h, l);
	}
}

/*
 * out[t] = cb_feistel_apply(f, first + t): one pass of the network over the
 * whole block (lanes past count start from 0 and are dropped), `walks` more
 * for the lanes that left [0, n) (worth it with wide vectors), then the last
 * ones one by one.
 */
static inline __attribute__((always_inline)) void
apply_block(const CbFeistel *f, uint32_t first, int count, uint32_t *out, int walks)
{
	uint32_t	n = f->n;
	uint32_t	lane[CB_FEISTEL_BLOCK];
	uint32_t	next[CB_FEISTEL_BLOCK];

	for (int t = 0; t < CB_FEISTEL_BLOCK; t++)
		lane[t] = t < count ? first + (uint32_t) t : 0;
	feistel_pass_block(f, lane);
	for (int walk = 0; walk < walks; walk++)
	{
		uint32_t	outside = 0;

		for (int t = 0; t < CB_FEISTEL_BLOCK; t++)
			outside |= (uint32_t) (lane[t] >= n);
		if (!outside)
			break;
		for (int t = 0; t < CB_FEISTEL_BLOCK; t++)
			next[t] = lane[t];
		feistel_pass_block(f, next);
		for (int t = 0; t < CB_FEISTEL_BLOCK; t++)
			lane[t] = lane[t] >= n ? next[t] : lane[t];
	}
	for (int t = 0; t < count; t++)
	{
		uint32_t	x = lane[t];

		while (x >= n)
			x = feistel_pass(f, x);
		out[t] = x;
	}
}

static void
apply_block_generic(const CbFeistel *f, uint32_t first, int count, uint32_t *out)
{
	apply_block(f, first, count, out, 0);
}

#if defined(__x86_64__) && defined(__GNUC__)
/*
 * The same compiled for AVX2 (eight 32-bit lanes and a native 32-bit
 * multiply), chosen at run time where the processor has it: integer
 * arithmetic, so the same values as the generic code.
 */
__attribute__((target("avx2")))
static void
apply_block_avx2(const CbFeistel *f, uint32_t first, int count, uint32_t *out)
{
	apply_block(f, first, count, out, 1);
}
#endif

void
cb_feistel_apply_block(const CbFeistel *f, uint32_t first, int count, uint32_t *out)
{
#if defined(__x86_64__) && defined(__GNUC__)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2"))
	{
		apply_block_avx2(f, first, count, out);
		return;
	}
#endif
	apply_block_generic(f, first, count, out);
}
