/*
 * test_row_weights.c: the row weights of fit --weight and eval --weight, and
 * the scaling of a fit without an intercept, against answers worked by hand:
 * the weights column read out of the rows, weights that follow their rows
 * through views, gathers and shuffles, weighted means of the losses and
 * moments equal to those of repeated rows, the weighted regression metrics,
 * and a scaler that divides and never shifts.
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

#include "dataset.h"
#include "loss.h"
#include "metrics.h"
#include "rng.h"
#include "scale.h"
#include "table.h"
#include "testutil.h"

/* Read text with --weight spec into ds; returns table_read's status. */
static int
read_weighted(const char *text, const char *spec, struct dataset *ds,
    struct error *e)
{
	struct table_options o = { .name = "t.csv",
		.delimiter = ',',
		.header = 1,
		.weight = spec };
	int fd = tu_tmpfd(text, strlen(text)), rc;

	assert_true(fd >= 0);
	memset(e, 0, sizeof *e);
	rc = table_read(fd, &o, ds, e);
	close(fd);
	return rc;
}

static void
weight_column_leaves_the_features(void **state)
{
	struct dataset ds;
	struct error e;

	(void)state;
	assert_int_equal(read_weighted("a,w,b,y\n1,2,3,4\n5,0,7,8\n9,1,11,12\n",
			     "w", &ds, &e),
	    0);
	assert_int_equal(ds.d, 2);
	assert_string_equal(ds.names[0], "a");
	assert_string_equal(ds.names[1], "b");
	assert_string_equal(ds.names[2], "y");
	assert_near(dataset_row(&ds, 1)[0], 5, 0);
	assert_near(dataset_row(&ds, 1)[1], 7, 0);
	assert_near(dataset_target(&ds, 2), 12, 0);
	assert_near(ds.rw[0], 2, 0);
	assert_near(ds.rw[1], 0, 0);
	assert_near(ds.rw[2], 1, 0);
	/* n / Σ w = 3 / 3 */
	assert_near(ds.rw_norm, 1, 0);
	dataset_free(&ds);
	/* by number, the first column */
	assert_int_equal(read_weighted("w,x,y\n1,2,3\n4,5,6\n", "1", &ds, &e),
	    0);
	assert_int_equal(ds.d, 1);
	assert_near(ds.rw[1], 4, 0);
	assert_near(ds.rw_norm, 2.0 / 5, 1e-16);
	dataset_free(&ds);
}

static void
bad_weights_name_the_cell(void **state)
{
	struct dataset ds;
	struct error e;

	(void)state;
	assert_int_equal(read_weighted("x,w,y\n1,1,2\n2,-3,4\n", "w", &ds, &e),
	    -1);
	assert_int_equal(e.status, EXIT_INPUT);
	assert_non_null(strstr(e.msg, "t.csv:3:2: the weight -3"));
	assert_int_equal(read_weighted("x,w,y\n1,1,2\n2,1,4\n", "y", &ds, &e),
	    -1);
	assert_int_equal(e.status, EXIT_USAGE);
	assert_non_null(strstr(e.msg, "is the target column"));
	assert_int_equal(read_weighted("x,w,y\n1,1,2\n2,1,4\n", "v", &ds, &e),
	    -1);
	assert_non_null(strstr(e.msg, "--weight column \"v\" not found"));
}

/* A dataset of n rows of one feature i and target 2i, weights rw. */
static void
rows(struct dataset *ds, size_t n, const double *rw)
{
	const char *names[] = { "x", "y" };

	dataset_init(ds, 1, names);
	for (size_t i = 0; i < n; i++) {
		double *r = dataset_add_row(ds);

		r[0] = (double)i;
		r[1] = 2.0 * (double)i + (i % 2 ? 1 : -1);
	}
	ds->rw = xcalloc(n, sizeof(double));
	memcpy(ds->rw, rw, n * sizeof(double));
	dataset_weigh(ds);
}

static void
weights_follow_their_rows(void **state)
{
	const double rw[6] = { 0, 1, 2, 3, 4, 5 };
	struct dataset ds, view, out;
	struct rng r;
	size_t pick[3] = { 5, 0, 3 };

	(void)state;
	rows(&ds, 6, rw);
	view = dataset_rows(&ds, 2, 3);
	assert_near(view.rw[0], 2, 0);
	/* a view's own mean: 3 / (2 + 3 + 4) */
	assert_near(dataset_weigh(&view), 9, 0);
	assert_near(view.rw_norm, 3.0 / 9, 1e-16);
	dataset_init(&out, 1, (const char *const *)ds.names);
	dataset_gather(&out, &ds, pick, 3);
	assert_near(out.rw[0], 5, 0);
	assert_near(out.rw[1], 0, 0);
	assert_near(out.rw[2], 3, 0);
	rng_seed(&r, 7);
	dataset_shuffle(&ds, &r);
	for (size_t i = 0; i < 6; i++)
		assert_near(ds.rw[i], dataset_row(&ds, i)[0], 0);
	dataset_free(&out);
	dataset_free(&ds);
}

static void
weighted_means_are_repeated_rows(void **state)
{
	const double rw[5] = { 1, 0, 2, 3, 1 };
	const double ones[7] = { 1, 1, 1, 1, 1, 1, 1 };
	const size_t rep[7] = { 0, 2, 2, 3, 3, 3, 4 };
	struct dataset ds, big, plain;
	struct moments a, b;
	double w[2] = { 0.5, 1.5 }, ga[2], gb[2];
	const struct loss *l = loss_find("huber");

	(void)state;
	rows(&ds, 5, rw);
	rows(&plain, 5, ones);
	dataset_init(&big, 1, (const char *const *)ds.names);
	dataset_gather(&big, &plain, rep, 7);
	free(big.rw);
	big.rw = NULL;
	assert_near(loss_mean(l, 1.35, &ds, NULL, 0, w),
	    loss_mean(l, 1.35, &big, NULL, 0, w), 1e-15);
	assert_near(loss_gradient(l, 1.35, 0, &ds, NULL, 0, w, ga, NULL),
	    loss_gradient(l, 1.35, 0, &big, NULL, 0, w, gb, NULL), 1e-15);
	assert_near(ga[0], gb[0], 1e-15);
	assert_near(ga[1], gb[1], 1e-15);
	dataset_moments(&ds, &a, 1);
	dataset_moments(&big, &b, 1);
	for (size_t j = 0; j < 2; j++)
		assert_near(a.mean[j], b.mean[j], 1e-15);
	for (size_t j = 0; j < 4; j++)
		assert_near(a.cov[j], b.cov[j], 1e-14);
	moments_free(&a);
	moments_free(&b);
	dataset_free(&big);
	dataset_free(&plain);
	dataset_free(&ds);
}

static void
weighted_regression_metrics_by_hand(void **state)
{
	double y[4] = { 3, 1, 10, 2 }, v[4] = { 1, 2, 0, 1 }, sum;
	struct regression_metrics m;

	(void)state;
	/*
	 * Weights 1, 2, 0, 1 on 3, 1, 10, 2: Σ v = 4, weighted mean
	 * (3 + 2 + 0 + 2) / 4 = 7/4; Σ v (y − 7/4)² = 25/16 + 2·9/16 + 1/16
	 * = 44/16; weighted median: sorted 1 (2), 2 (1), 3 (1), 10 (0), the
	 * weights reach half (2) exactly at 1, so (1 + 2) / 2; Σ v |y − 1.5|
	 * = 1.5 + 2·0.5 + 0.5 = 3.
	 */
	metrics_regression_weighted(y, v, 4, 2, 1, &m, &sum);
	assert_near(sum, 4, 0);
	assert_int_equal(m.n, 4);
	assert_near(m.mse, 0.5, 0);
	assert_near(m.mae, 0.25, 0);
	assert_near(m.constant_mse, 44.0 / 64, 1e-15);
	assert_near(m.r2, 1 - 2 / (44.0 / 16), 1e-15);
	assert_near(m.constant_mae, 0.75, 1e-15);
}

static void
no_shift_divides_by_the_root_mean_square(void **state)
{
	const char *names[] = { "a", "one", "zero", "y" };
	const double x[3][4] = { { 1, 2, 0, 5 }, { 3, 2, 0, 6 },
		{ 5, 2, 0, 7 } };
	struct dataset ds;
	struct scaler s;
	struct error e;

	(void)state;
	dataset_init(&ds, 3, names);
	for (size_t i = 0; i < 3; i++)
		memcpy(dataset_add_row(&ds), x[i], sizeof(x[i]));
	assert_int_equal(scaler_fit(&s, &ds, SCALE_ZSCORE, 1, &e), 0);
	scaler_no_shift(&s, SCALE_ZSCORE);
	/* a: mean 3, sd √(8/3): root mean square √(35/3) */
	assert_near(s.shift[0], 0, 0);
	assert_near(s.scale[0], sqrt(35.0 / 3), 1e-14);
	/* a constant 2 is kept, as ±1; a column of zeros stays zeroed */
	assert_near(s.scale[1], 2, 1e-15);
	assert_false(scaler_is_constant(&s, 1));
	assert_true(scaler_is_constant(&s, 2));
	scaler_free(&s);
	assert_int_equal(scaler_fit(&s, &ds, SCALE_NONE, 1, &e), 0);
	scaler_no_shift(&s, SCALE_NONE);
	assert_near(s.scale[0], 1, 0);
	assert_near(s.scale[1], 1, 0);
	assert_near(s.shift[1], 0, 0);
	scaler_free(&s);
	dataset_free(&ds);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weight_column_leaves_the_features),
		cmocka_unit_test(bad_weights_name_the_cell),
		cmocka_unit_test(weights_follow_their_rows),
		cmocka_unit_test(weighted_means_are_repeated_rows),
		cmocka_unit_test(weighted_regression_metrics_by_hand),
		cmocka_unit_test(no_shift_divides_by_the_root_mean_square),
	};

	return cmocka_run_group_tests_name("row_weights", tests, NULL, NULL);
}
