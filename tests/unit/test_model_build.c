/*
 * test_model_build.c: the model a fit writes. Its weights in input units
 * predict on the raw rows what the trained weights predict on the scaled ones,
 * for z-score and min-max scaling and for every output block; the z-scored
 * weights are the input-unit ones times the features' sd; a categorical
 * column's reference level comes before its indicators with weight 0 and the
 * rest of the impute values; the statistics columns follow the terms; a
 * weight that overflows in input units is an error naming its term; a
 * feature's importance is its largest z-scored weight over the outputs.
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

#include "category.h"
#include "dataset.h"
#include "model_build.h"
#include "scale.h"
#include "testutil.h"

#define ROWS 40
#define D 3

/* ROWS rows of D features on different scales and offsets, and a target. */
static void
raw_rows(struct dataset *ds)
{
	static const char *const names[] = { "a", "b", "c", "y" };
	uint64_t s = 12345;

	dataset_init(ds, D, names);
	for (size_t i = 0; i < ROWS; i++) {
		double *row = dataset_add_row(ds);

		assert_non_null(row);
		row[0] = 1000 + 50 * tu_normal(&s);
		row[1] = 0.001 * tu_unif(&s);
		row[2] = -7 + 3 * tu_normal(&s);
		row[3] = tu_normal(&s);
	}
}

/* The scaled fit's prediction of output b and the model's on the raw rows. */
static void
check_predictions(enum scaling scaling, size_t outputs)
{
	struct dataset raw, scaled;
	struct scaler sc;
	struct model m;
	struct error e;
	struct category labels;
	double w[3 * (D + 1)];
	uint64_t s = 99;

	/* more than one output is a softmax model, whose classes are needed */
	category_init(&labels, "y", D);
	category_level(&labels, "p");
	category_level(&labels, "q");
	category_level(&labels, "r");
	raw_rows(&raw);
	raw_rows(&scaled);
	assert_int_equal(scaler_fit(&sc, &raw, scaling, 1, &e), 0);
	scaler_apply(&sc, &scaled, 1);
	for (size_t k = 0; k < outputs * (D + 1); k++)
		w[k] = tu_normal(&s);
	assert_int_equal(model_build(&m, &raw, NULL, 0, &sc, w, outputs,
			     outputs > 1 ? &labels : NULL, NULL, NULL, &e),
	    0);
	assert_int_equal(m.nterms, D + 1);
	assert_string_equal(m.term[0], MODEL_INTERCEPT);
	assert_string_equal(m.term[1], "a");
	assert_string_equal(m.term[3], "c");
	assert_string_equal(m.target, "y");
	for (size_t b = 0; b < outputs; b++) {
		const double *wb = w + b * (D + 1),
			     *mb = m.weight + b * m.nterms;

		for (size_t i = 0; i < ROWS; i++) {
			const double *x = raw.x + i * (D + 1);
			const double *z = scaled.x + i * (D + 1);
			double want = wb[0], got = mb[0];

			for (size_t j = 0; j < D; j++) {
				want += wb[j + 1] * z[j];
				got += mb[j + 1] * x[j];
			}
			assert_near(got, want, 1e-9 * (1 + fabs(want)));
		}
		for (size_t j = 0; j < D; j++)
			assert_near(m.std_weight[b * m.nterms + j + 1],
			    mb[j + 1] * sc.sd[j],
			    1e-12 * fabs(mb[j + 1] * sc.sd[j]));
	}
	model_free(&m);
	category_free(&labels);
	scaler_free(&sc);
	dataset_free(&raw);
	dataset_free(&scaled);
}

static void
input_units_predict_as_the_scaled_fit(void **state)
{
	(void)state;
	check_predictions(SCALE_ZSCORE, 1);
	check_predictions(SCALE_MINMAX, 1);
	check_predictions(SCALE_NONE, 1);
	check_predictions(SCALE_ZSCORE, 3);
}

/* A scaler of d features that leaves them as they are. */
static void
identity_scaler(struct scaler *sc, size_t d)
{
	sc->d = d;
	sc->mean = calloc(d, sizeof(double));
	sc->sd = calloc(d, sizeof(double));
	sc->shift = calloc(d, sizeof(double));
	sc->scale = calloc(d, sizeof(double));
	for (size_t j = 0; j < d; j++)
		sc->sd[j] = sc->scale[j] = 1;
}

static void
reference_level_comes_before_its_indicators(void **state)
{
	static const char *const names[] = { "size", "color=green", "color=red",
		"y" };
	double w[4] = { 0.5, 2, -1, 3 }, impute[3] = { 2, 0.25, 0.5 };
	struct dataset ds;
	struct category cat;
	struct scaler sc;
	struct model m;
	struct error e;
	struct fit_stats st = { .p = 4 };
	struct term_stats term[4];

	(void)state;
	dataset_init(&ds, 3, names);
	category_init(&cat, "color", 1);
	category_level(&cat, "blue");
	category_level(&cat, "green");
	category_level(&cat, "red");
	cat.first = 1;
	identity_scaler(&sc, 3);
	for (size_t t = 0; t < 4; t++)
		term[t] = (struct term_stats){ .std_error = 10.0 * (double)t,
			.t = 1,
			.p = 0.5,
			.ci_low = -1,
			.ci_high = 1 };
	st.term = term;
	assert_int_equal(model_build(&m, &ds, &cat, 1, &sc, w, 1, NULL, impute,
			     &st, &e),
	    0);
	assert_int_equal(m.nterms, 5);
	assert_string_equal(m.term[0], MODEL_INTERCEPT);
	assert_string_equal(m.term[1], "size");
	assert_string_equal(m.term[2], "color=blue");
	assert_string_equal(m.term[3], "color=green");
	assert_string_equal(m.term[4], "color=red");
	assert_near(m.weight[0], 0.5, 0);
	assert_near(m.weight[1], 2, 0);
	assert_near(m.weight[2], 0, 0);
	assert_near(m.weight[3], -1, 0);
	assert_near(m.weight[4], 3, 0);
	assert_true(m.has_impute);
	assert_true(isnan(m.impute[0]));
	assert_near(m.impute[1], 2, 0);
	assert_near(m.impute[2], 0.25, 0); /* 1 − 0.25 − 0.5 */
	assert_near(m.impute[3], 0.25, 0);
	assert_near(m.impute[4], 0.5, 0);
	/* the statistics follow the terms; the reference level has none */
	assert_near(m.stats[1 * MODEL_STATS], 10, 0);
	assert_true(isnan(m.stats[2 * MODEL_STATS]));
	assert_near(m.stats[3 * MODEL_STATS], 20, 0);
	assert_near(m.stats[4 * MODEL_STATS], 30, 0);
	assert_near(m.stats[4 * MODEL_STATS + 4], 1, 0);
	model_free(&m);
	/* without impute values the column is left out */
	assert_int_equal(model_build(&m, &ds, &cat, 1, &sc, w, 1, NULL, NULL,
			     NULL, &e),
	    0);
	assert_false(m.has_impute);
	assert_null(m.stats);
	model_free(&m);
	scaler_free(&sc);
	category_free(&cat);
	dataset_free(&ds);
}

static void
classes_come_from_the_labels(void **state)
{
	static const char *const names[] = { "x", "y" };
	double w[2] = { 0.1, 0.2 };
	struct dataset ds;
	struct category labels;
	struct scaler sc;
	struct model m;
	struct error e;

	(void)state;
	dataset_init(&ds, 1, names);
	category_init(&labels, "y", 1);
	category_level(&labels, "no");
	category_level(&labels, "yes");
	identity_scaler(&sc, 1);
	assert_int_equal(model_build(&m, &ds, NULL, 0, &sc, w, 1, &labels, NULL,
			     NULL, &e),
	    0);
	assert_int_equal(m.nclasses, 2);
	assert_int_equal(m.outputs, 1);
	assert_string_equal(m.classes[0], "no");
	assert_string_equal(m.classes[1], "yes");
	model_free(&m);
	scaler_free(&sc);
	category_free(&labels);
	dataset_free(&ds);
}

static void
overflow_in_input_units_is_an_error(void **state)
{
	static const char *const names[] = { "tiny", "y" };
	double w[2] = { 0, 1e10 };
	struct dataset ds;
	struct scaler sc;
	struct model m;
	struct error e;

	(void)state;
	dataset_init(&ds, 1, names);
	identity_scaler(&sc, 1);
	/* a column scaled by 1e-300: its weight 1e10 is 1e310 in input units */
	sc.scale[0] = 1e-300;
	assert_int_equal(model_build(&m, &ds, NULL, 0, &sc, w, 1, NULL, NULL,
			     NULL, &e),
	    -1);
	assert_int_equal(e.status, EXIT_INPUT);
	assert_contains(e.msg, "\"tiny\" overflows a double");
	model_free(&m);
	scaler_free(&sc);
	dataset_free(&ds);
}

static void
importance_is_the_largest_z_scored_weight(void **state)
{
	/* two outputs over two features of sd 2 and 0.5, left unscaled */
	double w[6] = { 9, 1, -8, 9, -3, 2 }, top[2];
	struct scaler sc;

	(void)state;
	identity_scaler(&sc, 2);
	sc.sd[0] = 2;
	sc.sd[1] = 0.5;
	model_importance(&sc, w, 2, top);
	assert_near(top[0], 6, 0); /* max(|1|, |−3|)·2 */
	assert_near(top[1], 4, 0); /* max(|−8|, |2|)·0.5 */
	scaler_free(&sc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(input_units_predict_as_the_scaled_fit),
		cmocka_unit_test(reference_level_comes_before_its_indicators),
		cmocka_unit_test(classes_come_from_the_labels),
		cmocka_unit_test(overflow_in_input_units_is_an_error),
		cmocka_unit_test(importance_is_the_largest_z_scored_weight),
	};

	return cmocka_run_group_tests_name("model_build", tests, NULL, NULL);
}
