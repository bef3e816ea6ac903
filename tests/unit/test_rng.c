/*
 * test_rng.c: the generator is xoshiro256** seeded through splitmix64 (checked
 * against the published algorithms, written out here), a seed fixes the stream,
 * rng_below stays in range and is uniform, and rng_shuffle makes uniform
 * permutations.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "testutil.h"

/* ------------------------------------------------------------------------ */
/* Reference algorithms (Blackman and Vigna, https://prng.di.unimi.it/)      */
/* ------------------------------------------------------------------------ */

static uint64_t
ref_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
ref_xoshiro256ss(uint64_t s[4])
{
	uint64_t result = ref_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = ref_rotl(s[3], 45);
	return result;
}

static uint64_t
ref_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* ------------------------------------------------------------------------ */

static void
next_is_xoshiro256starstar(void **state)
{
	struct rng r;
	uint64_t ref[4] = { 1, 2, 3, 4 };

	(void)state;
	memcpy(r.s, ref, sizeof ref);
	/* The first outputs from state {1, 2, 3, 4}, as published. */
	assert_int_equal(rng_next(&r), UINT64_C(11520));
	assert_int_equal(rng_next(&r), UINT64_C(0));
	assert_int_equal(rng_next(&r), UINT64_C(1509978240));
	assert_int_equal(rng_next(&r), UINT64_C(1215971899390074240));
	memcpy(r.s, ref, sizeof ref);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(rng_next(&r), ref_xoshiro256ss(ref));
}

static void
seed_fills_state_from_splitmix64(void **state)
{
	static const uint64_t seeds[] = { 0, 1, 42, UINT64_MAX };

	(void)state;
	for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
		struct rng r;
		uint64_t x = seeds[k];

		rng_seed(&r, seeds[k]);
		for (int i = 0; i < 4; i++)
			assert_int_equal(r.s[i], ref_splitmix64(&x));
	}
}

static void
seed_zero_gives_a_working_state(void **state)
{
	struct rng r;
	uint64_t first, same = 0;

	(void)state;
	rng_seed(&r, 0);
	assert_false(r.s[0] == 0 && r.s[1] == 0 && r.s[2] == 0 && r.s[3] == 0);
	first = rng_next(&r);
	for (int i = 0; i < 100; i++)
		same += rng_next(&r) == first;
	assert_true(same < 2);
}

static void
same_seed_gives_same_stream(void **state)
{
	struct rng a, b;

	(void)state;
	rng_seed(&a, 12345);
	rng_seed(&b, 12345);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(rng_next(&a), rng_next(&b));
}

static void
different_seeds_give_different_streams(void **state)
{
	static const uint64_t seeds[] = { 0, 1, 2, 3, 1000, UINT64_MAX,
		UINT64_MAX - 1 };
	enum { NS = sizeof seeds / sizeof seeds[0], K = 8 };
	uint64_t out[NS][K];

	(void)state;
	for (size_t s = 0; s < NS; s++) {
		struct rng r;
		rng_seed(&r, seeds[s]);
		for (int i = 0; i < K; i++)
			out[s][i] = rng_next(&r);
	}
	for (size_t s = 0; s < NS; s++)
		for (size_t t = s + 1; t < NS; t++) {
			int equal = 0;
			for (int i = 0; i < K; i++)
				equal += out[s][i] == out[t][i];
			assert_int_equal(equal, 0);
		}
}

static void
below_stays_in_range(void **state)
{
	static const uint64_t bounds[] = {
		1,
		2,
		3,
		7,
		10,
		1000,
		(UINT64_C(1) << 32) + 1,
		(UINT64_C(1) << 63) + 1,
		UINT64_MAX - 1,
		UINT64_MAX,
	};
	struct rng r;

	(void)state;
	rng_seed(&r, 7);
	for (size_t k = 0; k < sizeof bounds / sizeof bounds[0]; k++)
		for (int i = 0; i < 20000; i++) {
			uint64_t v = rng_below(&r, bounds[k]);
			if (v >= bounds[k]) {
				print_error("rng_below(%llu) gave %llu\n",
				    (unsigned long long)bounds[k],
				    (unsigned long long)v);
				fail();
			}
		}
	for (int i = 0; i < 100; i++)
		assert_int_equal(rng_below(&r, 1), 0);
}

/*
 * Chi-square statistic of counts against a uniform expectation. With k − 1
 * degrees of freedom its mean is k − 1 and its sd sqrt(2(k − 1)); the bounds
 * used below are more than 6 sd above the mean, so a correct generator fails
 * with probability below 1e-8 (and the seed is fixed, so the test is
 * deterministic anyway).
 */
static double
chi_square(const long *count, size_t k, long total)
{
	double e = (double)total / (double)k, chi = 0;

	for (size_t i = 0; i < k; i++)
		chi += ((double)count[i] - e) * ((double)count[i] - e) / e;
	return chi;
}

static void
below_is_roughly_uniform(void **state)
{
	static const uint64_t bounds[] = { 2, 3, 6, 10, 37, 100 };
	struct rng r;

	(void)state;
	rng_seed(&r, 2024);
	for (size_t k = 0; k < sizeof bounds / sizeof bounds[0]; k++) {
		long count[100] = { 0 };
		long total = 2000 * (long)bounds[k];
		double df = (double)(bounds[k] - 1), chi;

		for (long i = 0; i < total; i++)
			count[rng_below(&r, bounds[k])]++;
		chi = chi_square(count, (size_t)bounds[k], total);
		assert_near(chi, df, 6 * sqrt(2 * df) + 10);
	}
}

/*
 * With bound 3·2^62 a modulo reduction of 64 bits would give values below 2^62
 * twice as often as the others; Lemire's method does not.
 */
static void
below_has_no_modulo_bias(void **state)
{
	const uint64_t bound = UINT64_C(3) << 62;
	struct rng r;
	long low = 0, total = 300000;

	(void)state;
	rng_seed(&r, 99);
	for (long i = 0; i < total; i++)
		low += rng_below(&r, bound) < (UINT64_C(1) << 62);
	/* Unbiased: a third below 2^62 (sd ≈ 258); biased: a half. */
	assert_near((double)low, total / 3.0, 2000);
}

static void
shuffle_gives_a_permutation(void **state)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 10, 1000, 100000 };
	struct rng r;

	(void)state;
	rng_seed(&r, 5);
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		size_t n = sizes[k];
		size_t *perm = malloc((n + 1) * sizeof *perm);
		char *seen = calloc(n + 1, 1);
		size_t moved = 0;

		assert_non_null(perm);
		assert_non_null(seen);
		for (size_t i = 0; i < n; i++)
			perm[i] = i;
		perm[n] = 0xdeadbeef; /* must not be touched */
		rng_shuffle(&r, perm, n);
		assert_int_equal(perm[n], 0xdeadbeef);
		for (size_t i = 0; i < n; i++) {
			assert_true(perm[i] < n);
			assert_int_equal(seen[perm[i]], 0);
			seen[perm[i]] = 1;
			moved += perm[i] != i;
		}
		if (n >= 1000)
			assert_true(moved > n / 2);
		free(perm);
		free(seen);
	}
}

/*
 * rng_shuffle draws its swaps ahead of making them (to ask for their places in
 * memory early); the permutation and the draws it uses up must be those of the
 * plain Fisher-Yates loop, swap i with a draw below i + 1 from the top down, so
 * that fits are the same as before. Sizes around the look-ahead of 16.
 */
static void
shuffle_is_fisher_yates_from_the_top(void **state)
{
	static const size_t sizes[] = { 0, 1, 2, 15, 16, 17, 18, 33, 1000 };

	(void)state;
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		size_t n = sizes[k];
		size_t *perm = malloc((n + 1) * sizeof *perm);
		size_t *want = malloc((n + 1) * sizeof *want);
		struct rng r, plain;

		assert_non_null(perm);
		assert_non_null(want);
		rng_seed(&r, 11 + k);
		rng_seed(&plain, 11 + k);
		for (size_t i = 0; i < n; i++)
			perm[i] = want[i] = i * 3 + 1;
		rng_shuffle(&r, perm, n);
		for (size_t i = n; i > 1; i--) {
			size_t j = (size_t)rng_below(&plain, i),
			       t = want[i - 1];

			want[i - 1] = want[j];
			want[j] = t;
		}
		if (n > 0)
			assert_memory_equal(perm, want, n * sizeof *perm);
		/* The same draws used up: the next number is the same. */
		assert_true(rng_next(&r) == rng_next(&plain));
		free(perm);
		free(want);
	}
}

/* All 6 orders of 3 items come out equally often (Sattolo or off-by-one would
 * not). */
static void
shuffle_is_uniform_over_permutations(void **state)
{
	struct rng r;
	long count[6] = { 0 }, total = 60000;

	(void)state;
	rng_seed(&r, 31337);
	for (long t = 0; t < total; t++) {
		size_t p[3] = { 0, 1, 2 };
		rng_shuffle(&r, p, 3);
		/* Index of the permutation: first element and whether the rest
		 * are in order. */
		count[p[0] * 2 + (p[1] > p[2])]++;
	}
	for (int i = 0; i < 6; i++)
		assert_true(count[i] > 0);
	assert_near(chi_square(count, 6, total), 5.0, 6 * sqrt(10.0) + 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(next_is_xoshiro256starstar),
		cmocka_unit_test(seed_fills_state_from_splitmix64),
		cmocka_unit_test(seed_zero_gives_a_working_state),
		cmocka_unit_test(same_seed_gives_same_stream),
		cmocka_unit_test(different_seeds_give_different_streams),
		cmocka_unit_test(below_stays_in_range),
		cmocka_unit_test(below_is_roughly_uniform),
		cmocka_unit_test(below_has_no_modulo_bias),
		cmocka_unit_test(shuffle_gives_a_permutation),
		cmocka_unit_test(shuffle_is_fisher_yates_from_the_top),
		cmocka_unit_test(shuffle_is_uniform_over_permutations),
	};

	return cmocka_run_group_tests_name("rng", tests, NULL, NULL);
}
