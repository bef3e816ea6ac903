/*
 * test_dataset.c: rows appended one at a time survive every growth of the
 * block; names are copied; the moments (means, centred covariance) match a
 * direct computation even with large means; the target's mean, median and
 * population sd match values worked out by hand; the median of spread rows,
 * found by counting (bisection on the bits of the doubles), is the median that
 * sorting gives; a reread dataset's reserved rows, and only those, are advised
 * onto huge pages (the "hg" flag of their mapping in /proc/self/smaps).
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

#include "dataset.h"
#include "testutil.h"

/* A dataset of d features named f1.. and y, holding ys as targets (features i,
 * -i). */
static void
make_targets(struct dataset *ds, const double *y, size_t n)
{
	static const char *const names[] = { "f1", "f2", "y" };

	dataset_init(ds, 2, names);
	for (size_t i = 0; i < n; i++) {
		double *row = dataset_add_row(ds);
		assert_non_null(row);
		row[0] = (double)i;
		row[1] = -(double)i;
		row[2] = y[i];
	}
}

static void
init_copies_names_and_starts_empty(void **state)
{
	char a[] = "alpha", b[] = "beta", y[] = "target";
	const char *names[] = { a, b, y };
	struct dataset ds;

	(void)state;
	dataset_init(&ds, 2, names);
	a[0] = 'X';
	y[0] = 'X';
	assert_int_equal(ds.n, 0);
	assert_int_equal(ds.d, 2);
	assert_string_equal(ds.names[0], "alpha");
	assert_string_equal(ds.names[1], "beta");
	assert_string_equal(ds.names[2], "target");
	dataset_free(&ds);
	assert_int_equal(ds.n, 0);
}

static void
add_row_growth_keeps_every_row(void **state)
{
	static const char *const names[] = { "a", "b", "c", "y" };
	const size_t n = 100003;
	struct dataset ds;

	(void)state;
	dataset_init(&ds, 3, names);
	for (size_t i = 0; i < n; i++) {
		double *row = dataset_add_row(&ds);
		assert_non_null(row);
		assert_int_equal(ds.n, i + 1);
		assert_true(ds.capacity >= ds.n);
		assert_true(row == dataset_row(&ds, i));
		row[0] = (double)i;
		row[1] = (double)i + 0.5;
		row[2] = -(double)i;
		row[3] = (double)(i * 3);
	}
	for (size_t i = 0; i < n; i++) {
		const double *row = dataset_row(&ds, i);
		assert_same_double(row[0], (double)i);
		assert_same_double(row[1], (double)i + 0.5);
		assert_same_double(row[2], -(double)i);
		assert_same_double(row[3], (double)(i * 3));
		assert_same_double(dataset_target(&ds, i), (double)(i * 3));
	}
	/* Rows are contiguous with stride d + 1. */
	assert_true(dataset_row(&ds, 10) == ds.x + 40);
	dataset_free(&ds);
}

static void
moments_match_direct_computation(void **state)
{
	static const char *const names[] = { "a", "b", "c", "d", "y" };
	enum { N = 317, D = 4, P = D + 1 };
	struct dataset ds;
	struct moments m;
	double mean[P] = { 0 }, cov[P * P] = { 0 };
	uint64_t seed = 11;

	(void)state;
	dataset_init(&ds, D, names);
	for (size_t i = 0; i < N; i++) {
		double *row = dataset_add_row(&ds);
		assert_non_null(row);
		/* Means large next to the spread, where Σv² would cancel. */
		for (size_t j = 0; j < D; j++)
			row[j] = (double)(j + 1) * tu_normal(&seed) +
			    1e4 * (double)j;
		row[D] = 1e6 + row[0] - 2 * row[1] + tu_normal(&seed);
	}
	/* Straight from the definitions, two passes. */
	for (size_t i = 0; i < N; i++)
		for (size_t r = 0; r < P; r++)
			mean[r] += dataset_row(&ds, i)[r];
	for (size_t r = 0; r < P; r++)
		mean[r] /= N;
	for (size_t i = 0; i < N; i++) {
		const double *row = dataset_row(&ds, i);
		for (size_t r = 0; r < P; r++)
			for (size_t c = 0; c < P; c++)
				cov[r * P + c] +=
				    (row[r] - mean[r]) * (row[c] - mean[c]);
	}
	for (size_t k = 0; k < P * P; k++)
		cov[k] /= N;

	dataset_moments(&ds, &m, 1);
	assert_int_equal(m.d, D);
	for (size_t r = 0; r < P; r++)
		assert_near(m.mean[r], mean[r], 1e-12 * fabs(mean[r]) + 1e-12);
	for (size_t r = 0; r < P; r++)
		for (size_t c = 0; c < P; c++) {
			/* Relative to the size of the entries of the row and
			 * column. */
			double size = sqrt(cov[r * P + r] * cov[c * P + c]);
			assert_near(m.cov[r * P + c], cov[r * P + c],
			    1e-10 * size);
			assert_same_double(m.cov[r * P + c], m.cov[c * P + r]);
		}
	/* The variance of y is the target sd squared. */
	assert_near(m.cov[P * P - 1],
	    dataset_target_sd(&ds) * dataset_target_sd(&ds),
	    1e-10 * m.cov[P * P - 1]);
	moments_free(&m);
	dataset_free(&ds);
}

/*
 * Wide rows, whose products are the BLAS's rank-k updates (dataset.c): the
 * moments are the same bits on 1, 2 and 5 threads, and close to the sums
 * straight from the definitions. 5000 rows make 16 parts of more than one
 * block of rows each.
 */
static void
wide_moments_do_not_depend_on_threads(void **state)
{
	enum { N = 5000, D = 70, P = D + 1 };
	static const unsigned threads[] = { 2, 5 };
	const char *names[P];
	double *mean = calloc(P, sizeof(double));
	double *cov = calloc(P * P, sizeof(double));
	struct dataset ds;
	struct moments one, m;
	uint64_t seed = 5;

	(void)state;
	for (size_t j = 0; j < P; j++)
		names[j] = "v";
	dataset_init(&ds, D, names);
	for (size_t i = 0; i < N; i++) {
		double *row = dataset_add_row(&ds);
		assert_non_null(row);
		row[D] = 0;
		for (size_t j = 0; j < D; j++) {
			row[j] =
			    (double)(j % 5 + 1) * tu_normal(&seed) + (double)j;
			row[D] += (double)(j % 7) * row[j];
		}
		row[D] += tu_normal(&seed);
	}
	for (size_t i = 0; i < N; i++)
		for (size_t r = 0; r < P; r++)
			mean[r] += dataset_row(&ds, i)[r] / N;
	for (size_t i = 0; i < N; i++) {
		const double *row = dataset_row(&ds, i);
		for (size_t r = 0; r < P; r++)
			for (size_t c = 0; c < P; c++)
				cov[r * P + c] +=
				    (row[r] - mean[r]) * (row[c] - mean[c]) / N;
	}
	dataset_moments(&ds, &one, 1);
	for (size_t r = 0; r < P; r++)
		for (size_t c = 0; c < P; c++)
			assert_near(one.cov[r * P + c], cov[r * P + c],
			    1e-12 * sqrt(cov[r * P + r] * cov[c * P + c]));
	for (size_t t = 0; t < sizeof(threads) / sizeof(*threads); t++) {
		dataset_moments(&ds, &m, threads[t]);
		assert_memory_equal(m.mean, one.mean, P * sizeof(double));
		assert_memory_equal(m.cov, one.cov, P * P * sizeof(double));
		moments_free(&m);
	}
	moments_free(&one);
	free(mean);
	free(cov);
	dataset_free(&ds);
}

static void
target_statistics_match_hand_computation(void **state)
{
	/* mean 22; median 3; deviations −21 −20 −19 −18 78, squares sum 7610,
	 * /5 = 1522. */
	static const double y[] = { 4, 100, 1, 3, 2 };
	static const double even[] = { 4, 1, 3,
		2 }; /* median 2.5; sd sqrt(1.25) */
	static const double same[] = { 0.1, 0.1, 0.1 };
	struct dataset ds;

	(void)state;
	make_targets(&ds, y, 5);
	assert_near(dataset_target_mean(&ds), 22.0, 1e-14 * 22);
	assert_same_double(dataset_target_median(&ds), 3.0);
	assert_near(dataset_target_sd(&ds), sqrt(1522.0), 1e-14 * sqrt(1522.0));
	/* The median works on a copy: the rows keep their order. */
	for (size_t i = 0; i < 5; i++)
		assert_same_double(dataset_target(&ds, i), y[i]);
	dataset_free(&ds);

	make_targets(&ds, even, 4);
	assert_same_double(dataset_target_median(&ds), 2.5);
	assert_near(dataset_target_mean(&ds), 2.5, 1e-15);
	assert_near(dataset_target_sd(&ds), sqrt(1.25), 1e-15);
	dataset_free(&ds);

	make_targets(&ds, same, 3);
	assert_near(dataset_target_mean(&ds), 0.1, 1e-16);
	assert_same_double(dataset_target_median(&ds), 0.1);
	assert_near(dataset_target_sd(&ds), 0.0, 1e-16);
	dataset_free(&ds);
}

/* Two-pass statistics: a large offset does not destroy the sd. */
static void
target_sd_survives_a_large_offset(void **state)
{
	double y[1000];
	struct dataset ds;

	(void)state;
	for (size_t i = 0; i < 1000; i++)
		y[i] = 1e9 + (i % 2 ? 1.0 : -1.0); /* mean 1e9, sd exactly 1 */
	make_targets(&ds, y, 1000);
	assert_near(dataset_target_mean(&ds), 1e9, 1e-6);
	assert_near(dataset_target_sd(&ds), 1.0, 1e-9);
	assert_same_double(dataset_target_median(&ds), 1e9);
	dataset_free(&ds);
}

/* Duplicate rows go, the first of each stays, and the order is kept. */
static void
drop_duplicates_keeps_first_occurrences_in_order(void **state)
{
	static const char *const names[] = { "a", "y" };
	static const double rows[][2] = {
		{ 1, 2 },
		{ 3, 4 },
		{ 1, 2 },
		{ 5, 6 },
		{ 3, 4 },
		{ 1, 2.5 },
		{ 5, 6 },
	};
	static const double kept[][2] = { { 1, 2 }, { 3, 4 }, { 5, 6 },
		{ 1, 2.5 } };
	struct dataset ds;

	(void)state;
	dataset_init(&ds, 1, names);
	for (size_t i = 0; i < 7; i++)
		memcpy(dataset_add_row(&ds), rows[i], sizeof(rows[i]));
	assert_int_equal(dataset_drop_duplicates(&ds), 3);
	assert_int_equal(ds.n, 4);
	for (size_t i = 0; i < 4; i++)
		assert_memory_equal(dataset_row(&ds, i), kept[i],
		    sizeof(kept[i]));
	dataset_free(&ds);
}

/* Imputing from a view uses only that view's rows, and fills every row. */
static void
impute_uses_the_training_rows_only(void **state)
{
	static const char *const names[] = { "a", "y" };
	struct dataset ds, train;
	struct error e;
	double value;

	(void)state;
	dataset_init(&ds, 1, names);
	memcpy(dataset_add_row(&ds), (double[]){ 2, 0 }, 2 * sizeof(double));
	memcpy(dataset_add_row(&ds), (double[]){ (double)NAN, 0 },
	    2 * sizeof(double));
	memcpy(dataset_add_row(&ds), (double[]){ 4, 0 }, 2 * sizeof(double));
	memcpy(dataset_add_row(&ds), (double[]){ 100, 0 }, 2 * sizeof(double));
	memcpy(dataset_add_row(&ds), (double[]){ (double)NAN, 0 },
	    2 * sizeof(double));
	train = dataset_rows(&ds, 0, 3);
	assert_int_equal(dataset_impute(&ds, &train, &value, &e), 0);
	assert_true(value == 3);
	assert_true(dataset_row(&ds, 1)[0] == 3 && dataset_row(&ds, 4)[0] == 3);
	assert_true(dataset_row(&ds, 3)[0] == 100);
	/* A column with no value in the training rows cannot be imputed. */
	dataset_row(&ds, 0)[0] = dataset_row(&ds, 1)[0] =
	    dataset_row(&ds, 2)[0] = (double)NAN;
	assert_int_equal(dataset_impute(&ds, &train, &value, &e), -1);
	assert_int_equal(e.status, EXIT_INPUT);
	dataset_free(&ds);
}

/* For every n and K ≤ n the folds cover 0..n−1 once each, sizes within one. */
static void
folds_partition_the_rows_exactly(void **state)
{
	(void)state;
	for (size_t n = 1; n <= 60; n++)
		for (size_t K = 1; K <= n; K++) {
			size_t next = 0, smallest = n, largest = 0;

			for (size_t k = 0; k < K; k++) {
				size_t lo, hi;

				dataset_fold(k, K, n, &lo, &hi);
				assert_int_equal(lo,
				    next); /* no gap, no overlap */
				assert_true(hi > lo);
				next = hi;
				smallest =
				    hi - lo < smallest ? hi - lo : smallest;
				largest = hi - lo > largest ? hi - lo : largest;
			}
			assert_int_equal(next, n);
			assert_true(largest - smallest <= 1);
		}
}

/*
 * A spread dataset (dataset.h) on one rank takes the counting path of the
 * median; it must give the sorted median exactly, for odd and even counts,
 * duplicates, negative numbers, zeros of both signs, subnormals and values far
 * apart.
 */
static void
spread_median_matches_sorting(void **state)
{
	static const double odd[] = { 3, -1, 7, -1, 0.5, 1e300, -2e-310 };
	static const double even[] = { -0.0, 0.0, 5, -5, 2.25, 2.25, -1e-5,
		1e5 };
	static const double same[] = { 4, 4, 4, 4 };
	const double *sets[] = { odd, even, same };
	size_t sizes[] = { 7, 8, 4 };
	struct dataset ds;
	uint64_t x = 12345;

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		double want;

		make_targets(&ds, sets[k], sizes[k]);
		want = dataset_target_median(&ds);
		ds.spread = 1;
		assert_same_double(dataset_target_median(&ds), want);
		dataset_free(&ds);
	}
	/* 1001 and 1000 pseudo-random targets, many repeated. */
	for (size_t n = 1000; n <= 1001; n++) {
		double *y = calloc(n, sizeof(double)), want;

		assert_non_null(y);
		for (size_t i = 0; i < n; i++) {
			x = x * 6364136223846793005u + 1442695040888963407u;
			y[i] = (double)(int)(x >> 54) / 8 - 500;
		}
		make_targets(&ds, y, n);
		want = dataset_target_median(&ds);
		ds.spread = 1;
		assert_same_double(dataset_target_median(&ds), want);
		dataset_free(&ds);
		free(y);
	}
}

/*
 * Whether the mapping holding p has the "hg" flag (madvise MADV_HUGEPAGE) in
 * /proc/self/smaps; -1 when p is in no mapping listed there.
 */
static int
advised_huge(const void *p)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0, flag = -1;
	uintptr_t at = (uintptr_t)p;

	assert_non_null(f);
	while (flag == -1 && fgets(line, sizeof(line), f) != NULL) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) ==
		    2) /* a mapping's first line */
			in = at >= lo && at < hi;
		else if (in && strncmp(line, "VmFlags:", 8) == 0)
			flag = strstr(line, " hg") != NULL;
	}
	fclose(f);
	return flag;
}

static void
only_reread_rows_ask_for_huge_pages(void **state)
{
	static const char *const names[] = { "f1", "y" };
	struct dataset once, reread, gathered;
	size_t rows[] = { 1, 0 };

	(void)state;
	if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) != 0)
		skip(); /* a kernel without them takes no such advice */
	dataset_init(&once, 1, names);
	dataset_init(&reread, 1, names);
	reread.reread = 1;
	/* 16 MiB each: big enough to ask (4 MiB and up), and a mapping of its
	 * own. */
	dataset_reserve(&once, (size_t)1 << 20);
	dataset_reserve(&reread, (size_t)1 << 20);
	/* The advice is for whole pages, so the block's first may be left out.
	 */
	assert_int_equal(advised_huge(once.x + ((size_t)1 << 20)), 0);
	assert_int_equal(advised_huge(reread.x + ((size_t)1 << 20)), 1);
	reread.n = 2;
	dataset_init(&gathered, 1, names);
	dataset_gather(&gathered, &reread, rows, 2);
	assert_int_equal(gathered.reread, 1);
	dataset_free(&gathered);
	dataset_free(&once);
	dataset_free(&reread);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(folds_partition_the_rows_exactly),
		cmocka_unit_test(
		    drop_duplicates_keeps_first_occurrences_in_order),
		cmocka_unit_test(impute_uses_the_training_rows_only),
		cmocka_unit_test(init_copies_names_and_starts_empty),
		cmocka_unit_test(add_row_growth_keeps_every_row),
		cmocka_unit_test(moments_match_direct_computation),
		cmocka_unit_test(target_statistics_match_hand_computation),
		cmocka_unit_test(target_sd_survives_a_large_offset),
		cmocka_unit_test(spread_median_matches_sorting),
		cmocka_unit_test(only_reread_rows_ask_for_huge_pages),
		cmocka_unit_test(wide_moments_do_not_depend_on_threads),
	};

	return cmocka_run_group_tests_name("dataset", tests, NULL, NULL);
}
