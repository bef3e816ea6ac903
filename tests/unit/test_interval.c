/*
 * test_interval.c: the split-conformal quantile's rank ⌈(n + 1)·level⌉ for
 * decimal levels that a double rounds, +∞ past the last score, thinning to
 * INTERVAL_MAX_SCORES scores that never narrows an interval, and the weights
 * CSV's interval columns read back to the same numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interval.h"
#include "model.h"

/* Scores 1..n (in a shuffled order), kept by interval_set_scores. */
static void
scores(struct model *m, size_t n)
{
	double *s = calloc(n, sizeof(double));
	const char *intercept = MODEL_INTERCEPT;

	for (size_t i = 0; i < n; i++)
		s[i] = (double)((i * 7919) % n + 1);
	model_init(m, 1, &intercept);
	interval_set_scores(m, s, n);
	free(s);
}

static void
rank_of_level(void **state)
{
	struct model m;

	(void)state;
	scores(&m, 9);
	/* (9 + 1)·0.9 = 9.000000000000002 in doubles: rank 9, not 10. */
	assert_true(interval_conformal_q(m.conformal, 0.9) == 9);
	assert_true(interval_conformal_q(m.conformal, 0.5) == 5);
	assert_true(interval_conformal_q(m.conformal, 0.51) == 6);
	assert_true(isinf(interval_conformal_q(m.conformal, 0.95)));
	model_free(&m);
	scores(&m, 99);
	assert_true(interval_conformal_q(m.conformal, 0.9) == 90);
	assert_true(interval_conformal_q(m.conformal, 0.99) == 99);
	assert_true(isinf(interval_conformal_q(m.conformal, 0.995)));
	model_free(&m);
}

static void
thinned_never_narrower(void **state)
{
	struct model m;
	size_t n = 3 * INTERVAL_MAX_SCORES + 7;

	(void)state;
	scores(&m, n);
	assert_int_equal(m.conformal->m, INTERVAL_MAX_SCORES);
	assert_true(m.conformal->score[INTERVAL_MAX_SCORES - 1] == (double)n);
	for (double level = 0.01; level < 0.9999; level += 0.0137) {
		double want = ceil((double)(n + 1) * level);
		double got = interval_conformal_q(m.conformal, level);

		/* score r is r: at least the rank, by less than n/m + 1. */
		assert_true(got >= want);
		assert_true(got < want + (double)n / INTERVAL_MAX_SCORES + 1);
	}
	model_free(&m);
}

static void
columns_read_back(void **state)
{
	const char *term[] = { MODEL_INTERCEPT, "x" };
	struct model m, back;
	struct error e;
	char path[] = "/tmp/test_interval_XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w+");
	double s[] = { 0.5, 0.25, 2 };

	(void)state;
	model_init(&m, 2, term);
	m.weight[0] = 1.5;
	m.weight[1] = -2;
	m.iv = calloc(1, sizeof(*m.iv));
	m.iv->sigma = 0.1;
	m.iv->df = 7;
	m.iv->center = calloc(2, sizeof(double));
	m.iv->scale = calloc(2, sizeof(double));
	m.iv->xtx = calloc(4, sizeof(double));
	m.iv->center[1] = 3.25;
	m.iv->scale[0] = 1;
	m.iv->scale[1] = 0.1;
	m.iv->xtx[0] = 0.1;
	m.iv->xtx[1] = m.iv->xtx[2] = 1e-17;
	m.iv->xtx[3] = 0.3;
	interval_set_scores(&m, s, 3);
	assert_int_equal(model_write(&m, f, &e), 0);
	rewind(f);
	assert_int_equal(model_read(fd, "t", &back, &e), 0);
	assert_non_null(back.iv);
	assert_non_null(back.conformal);
	assert_true(back.iv->sigma == 0.1 && back.iv->df == 7);
	assert_true(back.iv->center[1] == 3.25 && back.iv->scale[1] == 0.1);
	assert_memory_equal(back.iv->xtx, m.iv->xtx, 4 * sizeof(double));
	assert_int_equal(back.conformal->n, 3);
	assert_true(
	    back.conformal->score[0] == 0.25 && back.conformal->score[2] == 2);
	model_free(&m);
	model_free(&back);
	fclose(f);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rank_of_level),
		cmocka_unit_test(thinned_never_narrower),
		cmocka_unit_test(columns_read_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
