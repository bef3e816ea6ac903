/*
 * rng.c: xoshiro256** (Blackman and Vigna, "Scrambled linear pseudorandom
 * number generators", 2021), seeded with splitmix64 as its authors recommend.
 */
#include "rng.h"

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch(p, 1)
#else
#define PREFETCH(p) ((void)(p))
#endif

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void
rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* The 128-bit product a·b: returns its high 64 bits, the low ones in *low. */
static uint64_t
mul_wide(uint64_t a, uint64_t b, uint64_t *low)
{
#if defined(__SIZEOF_INT128__)
	__extension__ typedef unsigned __int128 u128;
	u128 m = (u128)a * b;

	*low = (uint64_t)m;
	return (uint64_t)(m >> 64);
#else
	uint64_t a0 = a & 0xffffffffu, a1 = a >> 32, b0 = b & 0xffffffffu,
		 b1 = b >> 32;
	uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);

	*low = (mid << 32) | (p00 & 0xffffffffu);
	return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
#endif
}

uint64_t
rng_below(struct rng *r, uint64_t bound)
{
	/*
	 * Lemire's multiply-and-shift ("Fast random integer generation in an
	 * interval", ACM TOMACS 2019): the high half of x·bound is uniform on
	 * [0, bound) once the 2^64 mod bound products whose low half falls
	 * below that remainder are rejected. The remainder, a 64-bit division
	 * that costs more than the rest of a shuffle's swap, is computed only
	 * when the low half is below bound, which has probability bound / 2^64.
	 */
	uint64_t low, high = mul_wide(rng_next(r), bound, &low);

	if (low < bound) {
		uint64_t threshold = -bound % bound;

		while (low < threshold)
			high = mul_wide(rng_next(r), bound, &low);
	}
	return high;
}

/*
 * Swaps drawn this many ahead of the one made. The draws do not depend on what
 * perm holds, so the place a swap will touch is known early enough to ask for
 * it: on a million rows perm is 8 MB, and a swap waited on memory most times.
 */
#define SHUFFLE_AHEAD 16

void
rng_shuffle(struct rng *r, size_t *perm, size_t n)
{
	size_t drawn[SHUFFLE_AHEAD], swaps = n > 1 ? n - 1 : 0;

	/* Swap m (from 0) exchanges perm[n - 1 - m] and perm[j], j < n - m. */
	for (size_t m = 0; m < swaps && m < SHUFFLE_AHEAD; m++) {
		drawn[m] = (size_t)rng_below(r, n - m);
		PREFETCH(perm + drawn[m]);
	}
	for (size_t m = 0; m < swaps; m++) {
		size_t j = drawn[m % SHUFFLE_AHEAD], i = n - 1 - m, t = perm[i];

		if (m + SHUFFLE_AHEAD < swaps) {
			size_t later =
			    (size_t)rng_below(r, n - m - SHUFFLE_AHEAD);

			drawn[m % SHUFFLE_AHEAD] = later;
			PREFETCH(perm + later);
		}
		perm[i] = perm[j];
		perm[j] = t;
	}
}
