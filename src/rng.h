/*
 * rng.h: the project's own seeded pseudo-random numbers (xoshiro256**, seeded
 * through splitmix64), so that a seed gives the same stream on every machine
 * and libc.
 */
#ifndef DESCEND_RNG_H
#define DESCEND_RNG_H

#include <stddef.h>
#include <stdint.h>

struct rng {
	uint64_t s[4]; /* xoshiro256** state; never all zero */
};

/* Seed the generator; every 64-bit seed, 0 included, gives a valid state. */
void rng_seed(struct rng *r, uint64_t seed);

/* The next 64 random bits. */
uint64_t rng_next(struct rng *r);

/* A uniform integer in [0, bound), bound > 0, without modulo bias. */
uint64_t rng_below(struct rng *r, uint64_t bound);

/* Put a uniformly random permutation of perm[0..n) in place (Fisher-Yates). */
void rng_shuffle(struct rng *r, size_t *perm, size_t n);

#endif
