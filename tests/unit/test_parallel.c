/*
 * test_parallel.c: every block runs exactly once whatever the thread count, and
 * a block-ordered sum is the same bits for 1 to 64 threads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "parallel.h"
#include "testutil.h"

struct counts {
	int *hits;	 /* (blocks) times each block ran */
	double *slot;	 /* (blocks) a partial sum per block */
	const double *x; /* the values summed */
	size_t n;
};

static void
count_block(void *ctx, size_t b)
{
	struct counts *c = ctx;
	size_t lo = b * PARALLEL_BLOCK,
	       hi = lo + PARALLEL_BLOCK < c->n ? lo + PARALLEL_BLOCK : c->n;

	c->hits[b]++;
	for (size_t i = lo; i < hi; i++)
		c->slot[b] += c->x[i];
}

static void
blocks_run_once_and_sums_do_not_depend_on_threads(void **state)
{
	size_t n = 1000003, blocks = parallel_blocks(n);
	double *x = malloc(n * sizeof(double)), first = 0;
	uint64_t seed = 42;

	(void)state;
	assert_int_equal(blocks, (n + PARALLEL_BLOCK - 1) / PARALLEL_BLOCK);
	assert_int_equal(parallel_blocks(0), 1);
	assert_true(parallel_processors() >= 1);
	for (size_t i = 0; i < n; i++)
		x[i] = tu_normal(&seed) * 1e6;
	for (unsigned threads = 1; threads <= 64; threads *= 2) {
		struct counts c = { .x = x, .n = n };
		double sum = 0;

		c.hits = calloc(blocks, sizeof(int));
		c.slot = calloc(blocks, sizeof(double));
		parallel_run(blocks, threads, count_block, &c);
		for (size_t b = 0; b < blocks; b++) {
			assert_int_equal(c.hits[b], 1);
			sum += c.slot[b];
		}
		if (threads == 1)
			first = sum;
		assert_same_double(sum, first);
		free(c.hits);
		free(c.slot);
	}
	free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    blocks_run_once_and_sums_do_not_depend_on_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
