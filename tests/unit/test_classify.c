/*
 * test_classify.c: the class losses against their definitions and finite
 * differences, their stability at huge margins, and training on data whose
 * answer is known: separable classes, and a logistic model generated with known
 * coefficients.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "dataset.h"
#include "loss.h"
#include "optim.h"
#include "train.h"
#include "testutil.h"

/* The logistic loss at margins ±1000: finite and exact, not inf or a log(0)
 * bias. */
static void
logistic_loss_is_exact_at_huge_margins(void **state)
{
	const struct loss *l = loss_find("logistic");

	(void)state;
	assert_non_null(l);
	/* log(1 + e^1000) − 0 = 1000 + log1p(e^−1000) = 1000 to the last bit.
	 */
	assert_same_double(l->value(1000, 0, 0), 1000.0);
	assert_same_double(l->value(-1000, 1, 0), 1000.0);
	/* Right with margin 1000: e^−1000 underflows; the loss is 0, not
	 * negative. */
	assert_same_double(l->value(1000, 1, 0), 0.0);
	assert_same_double(l->value(-1000, 0, 0), 0.0);
	/*
	 * Right with margin 30: log1p(e^−30) = 9.3576229688397367794e-14, from
	 * mpmath at 50 digits: mp.log1p(mp.exp(-30)). Within 2 ulps.
	 */
	assert_near(l->value(30, 1, 0), 9.3576229688397368e-14, 3e-29);
	assert_near(l->value(0, 1, 0), log(2.0), 1e-16);
	/* The derivative σ(z) − y stays in [−1, 1]. */
	assert_same_double(l->deriv(1000, 0, 0), 1.0);
	assert_same_double(l->deriv(-1000, 1, 0), -1.0);
	assert_same_double(l->deriv(1000, 1, 0), 0.0);
	assert_same_double(l->deriv(0, 1, 0), -0.5);
}

static void
softmax_loss_is_exact_at_huge_margins(void **state)
{
	const struct loss *l = loss_find("softmax");
	double z[3] = { 1000, -1000, 0 }, dz[3];

	(void)state;
	assert_non_null(l);
	assert_non_null(l->classes);
	/* Class 0 wins by 1000: loss log(1 + e^−1000 + e^−2000) = 0 in doubles.
	 */
	assert_same_double(l->classes(z, 3, 0, dz), 0.0);
	assert_same_double(dz[0], 0.0);
	/* Class 1 loses by 2000: exactly 2000. */
	assert_same_double(l->classes(z, 3, 1, dz), 2000.0);
	assert_same_double(dz[1], -1.0);
	assert_same_double(dz[0], 1.0);
	/* Equal scores: log K; gradient 1/K − onehot. */
	z[0] = z[1] = z[2] = 7;
	assert_near(l->classes(z, 3, 2, dz), log(3.0), 1e-15);
	assert_near(dz[0], 1.0 / 3, 1e-15);
	assert_near(dz[2], 1.0 / 3 - 1, 1e-15);
	/* Shifting every score leaves the loss as it is (1e300: no overflow).
	 */
	z[0] = 1e300;
	z[1] = 1e300;
	z[2] = 1e300;
	assert_near(l->classes(z, 3, 0, NULL), log(3.0), 1e-15);
}

/* A dataset of n rows of d N(0, 1) features and a class from a fixed rule. */
static void
make_classes(struct dataset *ds, size_t n, size_t d, size_t K, uint64_t seed)
{
	static const char *const names[] = { "x1", "x2", "x3", "y" };

	dataset_init(ds, d, names + (3 - d));
	ds->names[d][0] = 'y';
	for (size_t i = 0; i < n; i++) {
		double *row = dataset_add_row(ds);

		for (size_t j = 0; j < d; j++)
			row[j] = tu_normal(&seed);
		row[d] = (double)(tu_unif(&seed) < 0.5 ? 0 : (i % K));
	}
	ds->classes = K;
}

/* Central differences of the mean loss against loss_gradient, every weight. */
static void
check_class_gradient(const char *name, size_t K)
{
	const struct loss *l = loss_find(name);
	struct dataset ds;
	size_t p, outputs;
	double w[12], g[12], wp[12];
	uint64_t seed = 3;

	make_classes(&ds, 40, 2, K, 17);
	outputs = loss_outputs(l, &ds);
	p = outputs * 3;
	for (size_t j = 0; j < p; j++)
		w[j] = tu_normal(&seed);
	loss_gradient(l, 0, 0, &ds, NULL, 0, w, g, NULL);
	for (size_t j = 0; j < p; j++) {
		double h = 1e-6, up, down;

		memcpy(wp, w, sizeof(wp));
		wp[j] += h;
		up = loss_mean(l, 0, &ds, NULL, 0, wp);
		wp[j] -= 2 * h;
		down = loss_mean(l, 0, &ds, NULL, 0, wp);
		assert_near(g[j], (up - down) / (2 * h), 1e-8);
	}
	dataset_free(&ds);
}

static void
class_gradients_match_finite_differences(void **state)
{
	(void)state;
	check_class_gradient("logistic", 2);
	check_class_gradient("softmax", 2);
	check_class_gradient("softmax", 4);
}

static struct train_options
options(const char *loss, const char *rule, unsigned long epochs)
{
	struct train_options o = {
		.loss = loss_find(loss),
		.delta = 1.35,
		.optimizer = optim_find(rule),
		.params = OPTIM_PARAMS_DEFAULT,
		.schedule = schedule_find("constant"),
		.schedule_params = { .decay = (double)NAN },
		.mode = MODE_BATCH,
		.batch_size = 16,
		.epochs = epochs,
		.seed = 1,
		.optimum = (double)NAN,
	};

	return o;
}

/*
 * Two classes split by x1 + x2 > 0: accuracy 1 with any rule; without a penalty
 * the weights grow without bound as the loss falls towards 0, with --l2 they
 * settle.
 */
static void
separable_classes_are_learnt_and_l2_bounds_the_weights(void **state)
{
	struct dataset ds;
	struct train_result r;
	struct error e = { 0 };
	double w[3], free_norm, l2_norm;
	uint64_t seed = 5;
	struct train_options o = options("logistic", "lbfgs", 300);

	(void)state;
	make_classes(&ds, 200, 2, 2, 9);
	/* Rows at least 0.5/√2 from the line x1 + x2 = 0: a margin to keep. */
	for (size_t i = 0; i < ds.n; i++) {
		double *row = dataset_row(&ds, i), side;

		row[0] += (tu_unif(&seed) < 0.5 ? 0.2 : -0.2);
		side = row[0] + row[1] > 0 ? 1 : -1;
		if (fabs(row[0] + row[1]) < 0.5)
			row[0] += side * 0.5;
		row[2] = side > 0;
	}
	assert_int_equal(train_run(&o, &ds, w, NULL, NULL, &r, &e), 0);
	assert_true(r.accuracy == 1.0);
	free_norm = hypot(w[1], w[2]);
	o.l2 = 1e-4;
	assert_int_equal(train_run(&o, &ds, w, NULL, NULL, &r, &e), 0);
	assert_true(r.accuracy == 1.0);
	l2_norm = hypot(w[1], w[2]);
	if (!(free_norm > 50 && l2_norm < 20 && l2_norm < free_norm / 3))
		fail_msg(
		    "weights' norm %g without a penalty, %g with --l2 1e-4",
		    free_norm, l2_norm);
	/* With --l2 the minimiser is unique: its gradient is 0 to rounding. */
	assert_int_equal(r.stop, TRAIN_STOP_GRADIENT);
	dataset_free(&ds);
}

/*
 * 100000 rows from a logistic model with known coefficients: the fit recovers
 * each within 5% (its standard errors are about 1%).
 */
static void
logistic_recovers_generating_coefficients(void **state)
{
	static const double truth[4] = { -0.5, 1.2, -0.4, 0.8 };
	struct dataset ds;
	struct train_result r;
	struct error e = { 0 };
	double w[4];
	uint64_t seed = 21;
	struct train_options o = options("logistic", "lbfgs", 200);

	(void)state;
	make_classes(&ds, 100000, 3, 2, 1);
	for (size_t i = 0; i < ds.n; i++) {
		double *x = dataset_row(&ds, i), z = truth[0];

		for (size_t j = 0; j < 3; j++)
			z += truth[j + 1] * x[j];
		x[3] = tu_unif(&seed) < 1 / (1 + exp(-z));
	}
	assert_int_equal(train_run(&o, &ds, w, NULL, NULL, &r, &e), 0);
	for (size_t j = 0; j < 4; j++)
		if (!(fabs(w[j] - truth[j]) < 0.05 * fabs(truth[j])))
			fail_msg("weight %zu: %.6g, generated with %.6g", j,
			    w[j], truth[j]);
	dataset_free(&ds);
}

/* Softmax by plain GD on three separable clusters: accuracy 1. */
static void
softmax_separates_three_clusters(void **state)
{
	struct dataset ds;
	struct train_result r;
	struct error e = { 0 };
	double w[9];
	uint64_t seed = 8;
	struct train_options o = options("softmax", "gd", 500);

	(void)state;
	make_classes(&ds, 300, 2, 3, 4);
	for (size_t i = 0; i < ds.n; i++) {
		double *x = dataset_row(&ds, i);
		size_t k = i % 3;

		x[0] = 4 * cos(2.0944 * (double)k) + 0.5 * tu_normal(&seed);
		x[1] = 4 * sin(2.0944 * (double)k) + 0.5 * tu_normal(&seed);
		x[2] = (double)k;
	}
	o.learning_rate = train_auto_rate(&o, &ds, ds.n, NULL);
	assert_int_equal(train_run(&o, &ds, w, NULL, NULL, &r, &e), 0);
	assert_true(r.accuracy == 1.0);
	assert_true(r.loss < 0.05);
	dataset_free(&ds);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(logistic_loss_is_exact_at_huge_margins),
		cmocka_unit_test(softmax_loss_is_exact_at_huge_margins),
		cmocka_unit_test(class_gradients_match_finite_differences),
		cmocka_unit_test(
		    separable_classes_are_learnt_and_l2_bounds_the_weights),
		cmocka_unit_test(logistic_recovers_generating_coefficients),
		cmocka_unit_test(softmax_separates_three_clusters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
