/*
 * rng.c
 *    Reproducible random numbers for permutation inference: xoshiro256++
 *    (Blackman & Vigna) seeded through splitmix64, with independent streams
 *    per (seed, stream) so that each unit can draw its own sequence.
 */
#include "kernels.h"

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t
splitmix64(uint64_t *state)
{
	uint64_t	z = (*state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

void
cb_rng_seed(CbRng *rng, uint64_t seed, uint64_t stream)
{
	/* Mix the stream number in first so neighbouring streams are unrelated. */
	uint64_t	state = seed ^ (stream * 0xD1342543DE82EF95ULL + 0x2545F4914F6CDD1DULL);

	(void) splitmix64(&state);
	for (int i = 0; i < 4; i++)
		rng->s[i] = splitmix64(&state);
}

uint64_t
cb_rng_next(CbRng *rng)
{
	uint64_t   *s = rng->s;
	uint64_t	result = rotl(s[0] + s[3], 23) + s[0];
	uint64_t	t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint32_t
cb_rng_below(CbRng *rng, uint32_t bound)
{
	uint64_t	m = (uint64_t) (uint32_t) (cb_rng_next(rng) >> 32) * bound;
	uint32_t	low = (uint32_t) m;

	if (low < bound)
	{
		uint32_t	threshold = (uint32_t) (-bound) % bound;

		while (low < threshold)
		{
			m = (uint64_t) (uint32_t) (cb_rng_next(rng) >> 32) * bound;
			low = (uint32_t) m;
		}
	}
	return (uint32_t) (m >> 32);
}

double
cb_rng_uniform(CbRng *rng)
{
	return (double) (cb_rng_next(rng) >> 11) * 0x1.0p-53;
}
