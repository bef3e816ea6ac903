/*
 * test_cv.c: the held-out rows. The folds' order is a permutation fixed by the
 * seed; every row is held out by exactly one fold, the folds' sizes differ by
 * at most one, and no fold trains on a row it scores; the loop's mean and sd
 * are those of the losses by hand; the validation split holds out round(f·n)
 * rows; the scores CSV reads back bit for bit and anything else is refused.
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

#include "cv.h"
#include "dataset.h"
#include "testutil.h"

/* n rows whose feature and target are the row's own number, 0..n−1. */
static void
numbered_rows(struct dataset *ds, size_t n)
{
	static const char *const names[] = { "id", "y" };

	dataset_init(ds, 1, names);
	for (size_t i = 0; i < n; i++) {
		double *row = dataset_add_row(ds);

		assert_non_null(row);
		row[0] = row[1] = (double)i;
	}
}

static void
order_is_a_permutation_fixed_by_the_seed(void **state)
{
	size_t n = 50, a[50], b[50], c[50], seen[50] = { 0 };
	int differs = 0;

	(void)state;
	cv_order(7, a, n);
	cv_order(7, b, n);
	cv_order(8, c, n);
	for (size_t i = 0; i < n; i++) {
		assert_true(a[i] < n);
		seen[a[i]]++;
		assert_int_equal(a[i], b[i]);
		differs |= a[i] != c[i];
	}
	for (size_t i = 0; i < n; i++)
		assert_int_equal(seen[i], 1);
	assert_true(differs);
	assert_int_equal(cv_seed(7) ^ cv_seed(8), 7 ^ 8);
}

static void
folds_hold_out_every_row_once(void **state)
{
	static const size_t cases[][2] = { { 10, 3 }, { 11, 2 }, { 7, 7 },
		{ 100, 9 } };

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t n = cases[c][0], K = cases[c][1], smallest = n,
		       largest = 0;
		size_t *perm = calloc(n, sizeof(size_t)),
		       *rows = calloc(n, sizeof(size_t)),
		       *held = calloc(n, sizeof(size_t));

		cv_order(1, perm, n);
		for (size_t k = 0; k < K; k++) {
			size_t nval, *in = calloc(n, sizeof(size_t));

			cv_fold_rows(perm, n, k, K, rows, &nval);
			for (size_t i = 0; i < n; i++)
				in[rows[i]]++;
			/* rows lists every row once: trained, then held out */
			for (size_t i = 0; i < n; i++)
				assert_int_equal(in[i], 1);
			for (size_t i = n - nval; i < n; i++)
				held[rows[i]]++;
			smallest = nval < smallest ? nval : smallest;
			largest = nval > largest ? nval : largest;
			free(in);
		}
		for (size_t i = 0; i < n; i++)
			assert_int_equal(held[i], 1);
		assert_true(largest - smallest <= 1);
		assert_int_equal(smallest, n / K);
		free(perm);
		free(rows);
		free(held);
	}
}

static void
too_few_rows_for_the_folds(void **state)
{
	(void)state;
	assert_true(cv_too_few(5, 6));	/* more folds than rows */
	assert_true(cv_too_few(3, 2));	/* a fold of 2 leaves 1 */
	assert_false(cv_too_few(4, 2)); /* 2 and 2 */
	assert_false(cv_too_few(3, 3)); /* folds of 1 leave 2 */
}

/* A fold "trains" by checking it never sees a held-out row; loss: their mean.
 */
static int
mean_of_held_out(void *ctx, size_t k, struct dataset *work,
    struct dataset *train, struct dataset *val, double *loss, struct error *e)
{
	size_t *calls = ctx;
	double sum = 0;

	(void)e;
	assert_int_equal(k, *calls);
	(*calls)++;
	assert_int_equal(train->n + val->n, work->n);
	for (size_t i = 0; i < val->n; i++) {
		sum += val->x[i * 2 + 1];
		for (size_t j = 0; j < train->n; j++)
			assert_true(train->x[j * 2] != val->x[i * 2]);
	}
	*loss = sum / (double)val->n;
	return 0;
}

static void
run_scores_each_fold_and_summarizes(void **state)
{
	struct dataset ds;
	struct cv_scores s;
	struct error e;
	size_t calls = 0, n = 23, K = 4, rows = 0;
	double sum = 0, ss = 0, mean, total = 0;

	(void)state;
	numbered_rows(&ds, n);
	assert_int_equal(cv_run(&ds, K, 3, mean_of_held_out, &calls, &s, &e),
	    0);
	assert_int_equal(calls, K);
	assert_int_equal(s.K, K);
	assert_int_equal(s.n, n);
	for (size_t k = 0; k < K; k++) {
		rows += s.size[k];
		sum += s.score[k];
		total += s.score[k] * (double)s.size[k];
	}
	assert_int_equal(rows, n);
	/* the held-out means, weighted by the folds, add up to the ids' mean */
	assert_near(total / (double)n, (double)(n - 1) / 2, 1e-12);
	mean = sum / (double)K;
	for (size_t k = 0; k < K; k++)
		ss += (s.score[k] - mean) * (s.score[k] - mean);
	assert_near(s.mean, mean, 1e-15 * mean);
	assert_near(s.sd, sqrt(ss / (double)(K - 1)), 1e-14);
	/* the rows read stay as they were */
	for (size_t i = 0; i < n; i++)
		assert_same_double(ds.x[i * 2], (double)i);
	cv_scores_free(&s);
	dataset_free(&ds);
}

static int
failing_fold(void *ctx, size_t k, struct dataset *work, struct dataset *train,
    struct dataset *val, double *loss, struct error *e)
{
	(void)ctx;
	(void)work;
	(void)train;
	(void)val;
	*loss = 0;
	if (k == 1)
		return error_set(e, EXIT_DIVERGED, "fold 2 diverged");
	return 0;
}

static void
run_stops_at_a_failing_fold(void **state)
{
	struct dataset ds;
	struct cv_scores s;
	struct error e;

	(void)state;
	numbered_rows(&ds, 10);
	assert_int_equal(cv_run(&ds, 3, 1, failing_fold, NULL, &s, &e), -1);
	assert_int_equal(e.status, EXIT_DIVERGED);
	assert_string_equal(e.msg, "fold 2 diverged");
	cv_scores_free(&s);
	dataset_free(&ds);
}

static void
split_holds_out_the_rounded_fraction(void **state)
{
	struct dataset ds, train, val;
	size_t ntrain, seen[10] = { 0 };

	(void)state;
	numbered_rows(&ds, 10);
	assert_int_equal(cv_split(&ds, 0.25, 5, &train, &val, &ntrain), 0);
	/* round(2.5) = 3 held out, away from zero as llround */
	assert_int_equal(val.n, 3);
	assert_int_equal(train.n, 7);
	assert_int_equal(ntrain, 7);
	assert_ptr_equal(val.x, train.x + 7 * 2);
	for (size_t i = 0; i < 10; i++)
		seen[(size_t)ds.x[i * 2]]++;
	for (size_t i = 0; i < 10; i++)
		assert_int_equal(seen[i], 1);
	/* the smallest fraction still holds out one row */
	dataset_free(&ds);
	numbered_rows(&ds, 10);
	assert_int_equal(cv_split(&ds, 0.01, 5, &train, &val, &ntrain), 0);
	assert_int_equal(val.n, 1);
	dataset_free(&ds);
	/* 3 rows, 2 held out: 1 left to train on, refused, rows untouched */
	numbered_rows(&ds, 3);
	assert_int_equal(cv_split(&ds, 0.6, 5, &train, &val, &ntrain), -1);
	assert_int_equal(ntrain, 1);
	for (size_t i = 0; i < 3; i++)
		assert_same_double(ds.x[i * 2], (double)i);
	dataset_free(&ds);
}

/* What cv_scores_write writes for s, in a buffer the caller frees. */
static char *
scores_text(const struct cv_scores *s, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	cv_scores_write(f, s);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
scores_read_back_bit_for_bit(void **state)
{
	struct cv_scores s, r;
	size_t len;
	char *text;

	(void)state;
	cv_scores_init(&s, 3, 10);
	s.score[0] = 0.1;
	s.score[1] = 1.0 / 3;
	s.score[2] = 12345.678901234567;
	s.size[0] = 4;
	s.size[1] = 3;
	s.size[2] = 3;
	cv_scores_summarize(&s);
	/* Python's sum(s)/3 and √(Σ(s − mean)²/2), in the same order */
	text = scores_text(&s, &len);
	assert_string_equal(text,
	    "fold,rows,val_loss\n1,4,0.1\n"
	    "2,3,0.3333333333333333\n3,3,12345.678901234567\n"
	    "mean,10,4115.370744855966\nsd,10,7127.655945352945\n");
	assert_int_equal(cv_scores_read(text, len, 3, &r), 0);
	for (size_t k = 0; k < 3; k++) {
		assert_same_double(r.score[k], s.score[k]);
		assert_int_equal(r.size[k], s.size[k]);
	}
	assert_same_double(r.mean, s.mean);
	assert_same_double(r.sd, s.sd);
	assert_int_equal(r.n, 10);
	cv_scores_free(&r);
	/* read for a different number of folds: refused */
	assert_int_equal(cv_scores_read(text, len, 2, &r), -1);
	cv_scores_free(&r);
	assert_int_equal(cv_scores_read(text, len, 4, &r), -1);
	cv_scores_free(&r);
	/* cut short, without its last newline: refused */
	assert_int_equal(cv_scores_read(text, len - 1, 3, &r), -1);
	cv_scores_free(&r);
	free(text);
	cv_scores_free(&s);
}

static void
scores_refuse_anything_else(void **state)
{
	static const char *const bad[] = {
		"",
		"fold,rows,loss\n1,5,1\n2,5,2\nmean,10,1.5\nsd,10,0.5\n",
		"fold,rows,val_loss\n2,5,1\n1,5,2\nmean,10,1.5\nsd,10,0.5\n",
		"fold,rows,val_loss\n1,5,1\n2,-5,2\nmean,10,1.5\nsd,10,0.5\n",
		"fold,rows,val_loss\n1,5,1\n2,,2\nmean,10,1.5\nsd,10,0.5\n",
		"fold,rows,val_loss\n1,5,x\n2,5,2\nmean,10,1.5\nsd,10,0.5\n",
		"fold,rows,val_loss\n1,5,1,0\n2,5,2\nmean,10,1.5\nsd,10,0.5\n",
		"fold,rows,val_loss\n1,5,1\n2,5,2\nmean,10,1.5\n",
		"fold,rows,val_loss\n1,5,1\n2,5,2\nmean,10,1.5\nsd,10,0.5\nx\n",
		"fold,rows,val_loss\n1,5,1\n2,5,2\nmean,10,1.5\nsd,10,0.5\n\n",
		"fold,rows,val_loss\n1,99999999999999999999,1\n2,5,2\n"
		"mean,10,1.5\nsd,10,0.5\n",
	};
	static const char good[] =
	    "fold,rows,val_loss\n1,5,1\n2,5,2\nmean,10,1.5\nsd,10,0.5\n";
	struct cv_scores r;

	(void)state;
	assert_int_equal(cv_scores_read(good, strlen(good), 2, &r), 0);
	assert_same_double(r.mean, 1.5);
	assert_same_double(r.sd, 0.5);
	cv_scores_free(&r);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cv_scores_read(bad[i], strlen(bad[i]), 2, &r) != -1)
			fail_msg("read: %s", bad[i]);
		cv_scores_free(&r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(order_is_a_permutation_fixed_by_the_seed),
		cmocka_unit_test(folds_hold_out_every_row_once),
		cmocka_unit_test(too_few_rows_for_the_folds),
		cmocka_unit_test(run_scores_each_fold_and_summarizes),
		cmocka_unit_test(run_stops_at_a_failing_fold),
		cmocka_unit_test(split_holds_out_the_rounded_fraction),
		cmocka_unit_test(scores_read_back_bit_for_bit),
		cmocka_unit_test(scores_refuse_anything_else),
	};

	return cmocka_run_group_tests_name("cv", tests, NULL, NULL);
}
