/*
 * test_scale.c: z-scored features have mean 0 and population sd 1; constant
 * features (even those whose computed mean is not exactly their value) are
 * found and zeroed; scaler_unscale maps weights back so that predictions in
 * input units equal predictions on the scaled features, and the std intercept
 * is the prediction at the means; --no-standardize leaves the features as they
 * are. The standard deviations are those of the textbook two passes, bit for
 * bit, and applying the scaler on several threads gives the bits of one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "failure.h"
#include "scale.h"
#include "testutil.h"

enum { N = 500, D = 5 };

/* scaler_fit that must succeed. */
static void
fit(struct scaler *s, const struct dataset *ds, int standardize)
{
	struct error e;

	memset(&e, 0, sizeof e);
	if (scaler_fit(s, ds, standardize, 1, &e) != 0) {
		print_error("scaler_fit failed: %s\n", e.msg);
		fail();
	}
}

/*
 * Features: 0 normal(5, 2); 1 large offset 1e6 + normal(0, 0.1), which a
 * one-pass variance would get wrong by about 1%; 2 constant 0.1; 3 uniform(-3,
 * 7); 4 constant 1e6 varying by one ulp. Target: anything.
 */
static void
make_data(struct dataset *ds)
{
	static const char *const names[] = { "n", "off", "c01", "u", "ulp",
		"y" };
	uint64_t seed = 77;

	dataset_init(ds, D, names);
	for (size_t i = 0; i < N; i++) {
		double *row = dataset_add_row(ds);
		assert_non_null(row);
		row[0] = 5 + 2 * tu_normal(&seed);
		row[1] = 1e6 + 0.1 * tu_normal(&seed);
		row[2] = 0.1;
		row[3] = -3 + 10 * tu_unif(&seed);
		row[4] = i % 2 ? 1e6 : nextafter(1e6, 2e6);
		row[5] = tu_normal(&seed);
	}
}

/* Copy of ds's block (n × (d + 1)), to compare against after scaler_apply. */
static double *
copy_block(const struct dataset *ds)
{
	size_t k = ds->n * (ds->d + 1);
	double *c = malloc(k * sizeof *c);

	assert_non_null(c);
	memcpy(c, ds->x, k * sizeof *c);
	return c;
}

static void
zscores_have_mean_zero_and_population_sd_one(void **state)
{
	struct dataset ds;
	struct scaler s;

	(void)state;
	make_data(&ds);
	fit(&s, &ds, 1);
	assert_int_equal(s.d, D);
	scaler_apply(&s, &ds, 1);
	for (size_t j = 0; j < D; j++) {
		double mean = 0, var = 0;

		if (scaler_is_constant(&s, j))
			continue;
		for (size_t i = 0; i < N; i++)
			mean += dataset_row(&ds, i)[j];
		mean /= N;
		for (size_t i = 0; i < N; i++) {
			double dv = dataset_row(&ds, i)[j] - mean;
			var += dv * dv;
		}
		var /= N; /* population variance */
		/*
		 * Column 1 sits at 1e6 with sd 0.1: its mean cannot be known to
		 * better than about 1e-9 absolute (rounding of a sum of 500
		 * values near 1e6), so its z-scores are off by up to ~1e-8; the
		 * others are held to 1e-12.
		 */
		double tol = j == 1 ? 1e-6 : 1e-12;
		assert_near(mean, 0.0, tol);
		assert_near(sqrt(var), 1.0, tol);
	}
	/* The target is not scaled. */
	{
		struct dataset raw;
		make_data(&raw);
		for (size_t i = 0; i < N; i++)
			assert_same_double(dataset_target(&ds, i),
			    dataset_target(&raw, i));
		dataset_free(&raw);
	}
	scaler_free(&s);
	dataset_free(&ds);
}

static void
fit_reports_population_mean_and_sd(void **state)
{
	static const char *const names[] = { "a", "y" };
	static const double a[] = { 2, 4, 4, 4, 5, 5, 7,
		9 }; /* mean 5, population sd 2 */
	struct dataset ds;
	struct scaler s;

	(void)state;
	dataset_init(&ds, 1, names);
	for (size_t i = 0; i < 8; i++) {
		double *row = dataset_add_row(&ds);
		assert_non_null(row);
		row[0] = a[i];
		row[1] = 0;
	}
	fit(&s, &ds, 1);
	assert_near(s.mean[0], 5.0, 1e-15);
	assert_near(s.sd[0], 2.0, 1e-15);
	assert_false(scaler_is_constant(&s, 0));
	scaler_apply(&s, &ds, 1);
	assert_near(dataset_row(&ds, 0)[0], -1.5, 1e-15);
	assert_near(dataset_row(&ds, 7)[0], 2.0, 1e-15);
	scaler_free(&s);
	dataset_free(&ds);
}

static void
constant_columns_are_detected_and_zeroed(void **state)
{
	struct dataset ds;
	struct scaler s;
	double sum = 0;

	(void)state;
	make_data(&ds);
	/* 0.1 summed 500 times and divided by 500 is not exactly 0.1. */
	for (size_t i = 0; i < N; i++)
		sum += 0.1;
	assert_true(sum / N != 0.1);

	fit(&s, &ds, 1);
	assert_false(scaler_is_constant(&s, 0));
	assert_false(
	    scaler_is_constant(&s, 1)); /* varies, if only by 1e-7 relative */
	assert_true(scaler_is_constant(&s, 2));
	assert_false(scaler_is_constant(&s, 3));
	assert_true(scaler_is_constant(&s, 4)); /* varies only by rounding */
	assert_same_double(s.sd[2], 0.0);
	assert_same_double(s.sd[4], 0.0);
	scaler_apply(&s, &ds, 1);
	for (size_t i = 0; i < N; i++) {
		assert_same_double(fabs(dataset_row(&ds, i)[2]), 0.0);
		assert_same_double(fabs(dataset_row(&ds, i)[4]), 0.0);
		assert_true(isfinite(dataset_row(&ds, i)[1]));
	}
	scaler_free(&s);
	dataset_free(&ds);
}

/* Prediction w0 + Σ w_j x_j on a row of D features. */
static double
predict(const double *w, const double *x)
{
	double p = w[0];

	for (size_t j = 0; j < D; j++)
		p += w[j + 1] * x[j];
	return p;
}

/*
 * For either mode: weights w on the scaled features, mapped back, give the same
 * predictions on the raw rows; std_weight gives them on z-scores computed here;
 * the std intercept is the prediction at the means; constant features weigh 0.
 */
static void
check_unscale(int standardize)
{
	struct dataset ds;
	struct scaler s;
	double *raw;
	double w[D + 1] = { 10, 1.5, -2, 0.7, 0.25,
		3 }; /* w on constants: ignored */
	double weight[D + 1], std_weight[D + 1], means[D], sds[D], at_means;

	make_data(&ds);
	raw = copy_block(&ds);
	fit(&s, &ds, standardize);
	scaler_apply(&s, &ds, 1);
	/* Training leaves the weight of a zeroed column at 0. */
	w[3] = 0;
	w[5] = 0;
	scaler_unscale(&s, w, weight, std_weight);
	assert_same_double(weight[3], 0.0);
	assert_same_double(weight[5], 0.0);
	assert_same_double(std_weight[3], 0.0);
	assert_same_double(std_weight[5], 0.0);

	/* Means and population sds of the raw features, computed here. */
	for (size_t j = 0; j < D; j++) {
		double m = 0, v = 0;
		for (size_t i = 0; i < N; i++)
			m += raw[i * (D + 1) + j];
		m /= N;
		for (size_t i = 0; i < N; i++)
			v += (raw[i * (D + 1) + j] - m) *
			    (raw[i * (D + 1) + j] - m);
		means[j] = m;
		sds[j] = sqrt(v / N);
	}
	for (size_t i = 0; i < N; i++) {
		const double *x = raw + i * (D + 1);
		double scaled = predict(w, dataset_row(&ds, i));
		double inunits = predict(weight, x);
		double z[D], onz;

		/*
		 * Feature 1 sits at 1e6 with weight ~1e3 per unit after
		 * unscaling: the raw prediction sums terms ~1e9, so compare
		 * relative to that size.
		 */
		double size = fabs(weight[0]) + 1;
		for (size_t j = 0; j < D; j++)
			size += fabs(weight[j + 1] * x[j]);
		assert_near(inunits, scaled, 1e-12 * size);
		for (size_t j = 0; j < D; j++)
			z[j] = scaler_is_constant(&s, j)
			    ? 0
			    : (x[j] - means[j]) / sds[j];
		onz = std_weight[0];
		for (size_t j = 0; j < D; j++)
			onz += std_weight[j + 1] * z[j];
		/* Loose: z here uses this test's own means (see the note on
		 * column 1). */
		assert_near(onz, scaled, 1e-6 * (fabs(scaled) + 1));
	}
	at_means = predict(weight, means);
	{
		double size = fabs(weight[0]) + 1;
		for (size_t j = 0; j < D; j++)
			size += fabs(weight[j + 1] * means[j]);
		assert_near(std_weight[0], at_means, 1e-12 * size);
	}
	if (standardize) {
		/* Training saw z-scores: the std weights are the trained
		 * weights. */
		double size = fabs(weight[0]) + 1;
		for (size_t j = 0; j < D; j++)
			size += fabs(weight[j + 1] * means[j]);
		for (size_t j = 1; j <= D; j++)
			assert_near(std_weight[j], w[j], 1e-12 * fabs(w[j]));
		assert_near(std_weight[0], w[0], 1e-12 * size);
	} else {
		/* Training saw raw values: the weights are the trained weights.
		 */
		for (size_t j = 0; j <= D; j++)
			assert_near(weight[j], w[j], 1e-15 * fabs(w[j]));
	}
	free(raw);
	scaler_free(&s);
	dataset_free(&ds);
}

static void
unscale_preserves_predictions_standardized(void **state)
{
	(void)state;
	check_unscale(1);
}

static void
unscale_preserves_predictions_unstandardized(void **state)
{
	(void)state;
	check_unscale(0);
}

static void
no_standardize_leaves_features_as_read(void **state)
{
	struct dataset ds;
	struct scaler s;
	double *raw;

	(void)state;
	make_data(&ds);
	raw = copy_block(&ds);
	fit(&s, &ds, 0);
	/* Statistics are still computed (std_weight needs them). */
	assert_near(s.sd[0], 2.0, 0.3);
	scaler_apply(&s, &ds, 1);
	for (size_t i = 0; i < N; i++)
		for (size_t j = 0; j <= D; j++) {
			double want =
			    (j == 2 || j == 4) ? 0.0 : raw[i * (D + 1) + j];
			assert_same_double(fabs(dataset_row(&ds, i)[j]),
			    fabs(want));
			assert_true(dataset_row(&ds, i)[j] == want);
		}
	free(raw);
	scaler_free(&s);
	dataset_free(&ds);
}

/* Features of size 1e200..1e300: squares would overflow, scaled deviations do
 * not. */
static void
huge_values_do_not_overflow(void **state)
{
	static const char *const names[] = { "big", "top", "y" };
	struct dataset ds;
	struct scaler s;

	(void)state;
	dataset_init(&ds, 2, names);
	for (size_t i = 0; i < 100; i++) {
		double *row = dataset_add_row(&ds);
		assert_non_null(row);
		row[0] = i % 2 ? 3e200 : 1e200;	    /* mean 2e200, sd 1e200 */
		row[1] = i % 2 ? 1.5e308 : 0.5e308; /* mean 1e308, sd 0.5e308 */
		row[2] = (double)i;
	}
	fit(&s, &ds, 1);
	assert_near(s.mean[0], 2e200, 1e-14 * 2e200);
	assert_near(s.sd[0], 1e200, 1e-14 * 1e200);
	assert_near(s.mean[1], 1e308, 1e-14 * 1e308);
	assert_near(s.sd[1], 0.5e308, 1e-14 * 0.5e308);
	scaler_apply(&s, &ds, 1);
	assert_near(dataset_row(&ds, 0)[0], -1.0, 1e-14);
	assert_near(dataset_row(&ds, 1)[1], 1.0, 1e-14);
	scaler_free(&s);
	dataset_free(&ds);
}

/*
 * A spread beyond the double range is an input error: one value at +DBL_MAX and
 * nine at −DBL_MAX put the mean at −0.8·DBL_MAX, so the largest deviation from
 * it, 1.8·DBL_MAX, is not a double.
 */
static void
spread_beyond_double_range_is_an_error(void **state)
{
	static const char *const names[] = { "wild", "y" };
	struct dataset ds;
	struct scaler s;
	struct error e;

	(void)state;
	dataset_init(&ds, 1, names);
	for (size_t i = 0; i < 10; i++) {
		double *row = dataset_add_row(&ds);
		assert_non_null(row);
		row[0] = i == 0 ? DBL_MAX : -DBL_MAX;
		row[1] = (double)i;
	}
	memset(&e, 0, sizeof e);
	assert_int_equal(scaler_fit(&s, &ds, 1, 1, &e), -1);
	assert_int_equal(e.status, EXIT_INPUT);
	assert_true(e.msg[0] != '\0');
	scaler_free(&s);
	dataset_free(&ds);
}

/*
 * The sd of scaler_fit with the largest deviation taken from the extremes is
 * the one a pass over every |x − mean| gives: computed here that way, for
 * columns of several shapes (negative, a single outlier above or below, huge),
 * the squares summed in scaler_fit's order.
 */
static void
sd_is_that_of_a_pass_over_every_deviation(void **state)
{
	static const char *const names[] = { "a", "b", "c", "d", "y" };
	struct dataset ds;
	struct scaler s;
	uint64_t seed = 2026;
	size_t n = 3 * 4096 + 5;

	(void)state;
	dataset_init(&ds, 4, names);
	for (size_t i = 0; i < n; i++) {
		double *row = dataset_add_row(&ds);

		assert_non_null(row);
		row[0] = -50 + 3 * tu_normal(&seed);
		row[1] = i == 77 ? 1e4 : tu_unif(&seed);
		row[2] = i == 5000 ? -1e4 : 0.1 * tu_normal(&seed);
		row[3] = 1e300 * tu_normal(&seed);
		row[4] = 0;
	}
	fit(&s, &ds, 1);
	for (size_t j = 0; j < 4; j++) {
		double big = 0, sum = 0, want;

		for (size_t i = 0; i < n; i++) {
			double dev = fabs(dataset_row(&ds, i)[j] - s.mean[j]);
			big = dev > big ? dev : big;
		}
		/* Summed by parts, the parts added in order (dataset.h). */
		for (size_t k = 0, lo, hi; k < DATASET_PARTS; k++) {
			double part = 0;

			dataset_fold(k, DATASET_PARTS, n, &lo, &hi);
			for (size_t i = lo; i < hi; i++) {
				double dev =
				    (dataset_row(&ds, i)[j] - s.mean[j]) / big;
				part += dev * dev;
			}
			sum += part;
		}
		want = big * sqrt(sum / (double)n);
		assert_same_double(s.sd[j], want);
	}
	scaler_free(&s);
	dataset_free(&ds);
}

static void
apply_on_several_threads_gives_the_bits_of_one(void **state)
{
	static const char *const names[] = { "a", "b", "c", "y" };
	struct dataset one, many;
	struct scaler s;
	uint64_t seed = 9;
	size_t n = 5 * 4096 + 77;

	(void)state;
	dataset_init(&one, 3, names);
	dataset_init(&many, 3, names);
	for (size_t i = 0; i < n; i++) {
		double *a = dataset_add_row(&one), *b = dataset_add_row(&many);

		assert_non_null(a);
		assert_non_null(b);
		a[0] = b[0] = 1e6 + tu_normal(&seed);
		a[1] = b[1] = 7;
		a[2] = b[2] = tu_unif(&seed);
		a[3] = b[3] = tu_normal(&seed);
	}
	fit(&s, &one, 1);
	scaler_apply(&s, &one, 1);
	scaler_apply(&s, &many, 3);
	assert_memory_equal(one.x, many.x, n * 4 * sizeof(double));
	/* Every row was scaled, the last block's too, and the target left
	 * alone. */
	assert_true(fabs(dataset_row(&many, n - 1)[0]) < 10);
	assert_same_double(dataset_row(&many, n - 1)[1], 0.0);
	assert_same_double(dataset_row(&many, n - 1)[3],
	    dataset_row(&one, n - 1)[3]);
	scaler_free(&s);
	dataset_free(&one);
	dataset_free(&many);
}

/* The statistics are the same bits on 1, 2, 3 and 17 threads. */
static void
fit_on_several_threads_gives_the_bits_of_one(void **state)
{
	static const char *const names[] = { "a", "b", "c", "y" };
	static const unsigned threads[] = { 2, 3, 17 };
	struct dataset ds;
	struct scaler one;
	uint64_t seed = 11;
	size_t n = 3 * 4096 + 13;
	struct error e;

	(void)state;
	dataset_init(&ds, 3, names);
	for (size_t i = 0; i < n; i++) {
		double *row = dataset_add_row(&ds);

		assert_non_null(row);
		row[0] = 1e6 + tu_normal(&seed);
		row[1] =
		    i == n - 1 ? -1e3 : tu_unif(&seed); /* the minimum last */
		row[2] = 1e-3 * tu_normal(&seed);
		row[3] = tu_normal(&seed);
	}
	assert_int_equal(scaler_fit(&one, &ds, SCALE_ZSCORE, 1, &e), 0);
	for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
		struct scaler many;

		assert_int_equal(scaler_fit(&many, &ds, SCALE_ZSCORE,
				     threads[t], &e),
		    0);
		assert_memory_equal(one.mean, many.mean, 3 * sizeof(double));
		assert_memory_equal(one.sd, many.sd, 3 * sizeof(double));
		assert_memory_equal(one.shift, many.shift, 3 * sizeof(double));
		assert_memory_equal(one.scale, many.scale, 3 * sizeof(double));
		scaler_free(&many);
	}
	scaler_free(&one);
	/* With min-max scaling the minimum in the last part is found. */
	assert_int_equal(scaler_fit(&one, &ds, SCALE_MINMAX, 2, &e), 0);
	assert_same_double(one.shift[1], -1e3);
	scaler_free(&one);
	dataset_free(&ds);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zscores_have_mean_zero_and_population_sd_one),
		cmocka_unit_test(fit_on_several_threads_gives_the_bits_of_one),
		cmocka_unit_test(fit_reports_population_mean_and_sd),
		cmocka_unit_test(constant_columns_are_detected_and_zeroed),
		cmocka_unit_test(unscale_preserves_predictions_standardized),
		cmocka_unit_test(unscale_preserves_predictions_unstandardized),
		cmocka_unit_test(no_standardize_leaves_features_as_read),
		cmocka_unit_test(huge_values_do_not_overflow),
		cmocka_unit_test(spread_beyond_double_range_is_an_error),
		cmocka_unit_test(sd_is_that_of_a_pass_over_every_deviation),
		cmocka_unit_test(
		    apply_on_several_threads_gives_the_bits_of_one),
	};

	return cmocka_run_group_tests_name("scale", tests, NULL, NULL);
}
