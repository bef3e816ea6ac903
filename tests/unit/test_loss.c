/*
 * test_loss.c: the loss table (names, best constants, starts); MSE and MAE
 * values and gradients against hand computation; every loss's gradient against
 * central finite differences of its mean, over all rows and over a subset;
 * MAE's subgradient is 0 on rows fitted exactly; the starting intercept is the
 * mean or median.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "loss.h"
#include "testutil.h"

/* The dataset x = 1, 2, 3; y = 2, 3, 7 (one feature). */
static void
make_small(struct dataset *ds)
{
	static const char *const names[] = { "x", "y" };
	static const double xy[3][2] = { { 1, 2 }, { 2, 3 }, { 3, 7 } };

	dataset_init(ds, 1, names);
	for (size_t i = 0; i < 3; i++) {
		double *row = dataset_add_row(ds);
		assert_non_null(row);
		row[0] = xy[i][0];
		row[1] = xy[i][1];
	}
}

static void
table_lists_mse_and_mae(void **state)
{
	const struct loss *mse = loss_find("mse"), *mae = loss_find("mae");

	(void)state;
	assert_non_null(mse);
	assert_non_null(mae);
	assert_string_equal(mse->name, "mse");
	assert_string_equal(mae->name, "mae");
	assert_string_equal(mse->constant, "mean");
	assert_string_equal(mae->constant, "median");
	assert_int_equal(mse->start, LOSS_START_MEAN);
	assert_int_equal(mae->start, LOSS_START_MEDIAN);
	assert_int_equal(mse->scale_step, 0);
	assert_int_equal(mae->scale_step, 1);
	assert_int_equal(mse->smooth, 1);
	assert_int_equal(mae->smooth, 0);
	assert_int_equal(mse->quadratic, 1);
	assert_int_equal(mae->quadratic, 0);
	assert_null(loss_find("nope"));
	assert_null(loss_find(""));
	assert_string_equal(loss_names(),
	    "mse, mae, huber, quantile, logistic, softmax, poisson");
}

/* Huber's loss, by its definition, on both sides of δ and at δ itself. */
static void
huber_is_squared_inside_delta_and_linear_beyond(void **state)
{
	const struct loss *h = loss_find("huber");

	(void)state;
	assert_non_null(h);
	assert_int_equal(h->smooth, 1);
	assert_int_equal(h->quadratic, 0);
	assert_int_equal(h->start, LOSS_START_MEDIAN);
	/* |r| = 0.5 ≤ δ = 2: r²/2; derivative d/dp = p − y. */
	assert_same_double(h->value(3.5, 3, 2), 0.125);
	assert_same_double(h->deriv(3.5, 3, 2), 0.5);
	assert_same_double(h->deriv(2.5, 3, 2), -0.5);
	/* |r| = 10 > δ = 2: δ(|r| − δ/2) = 2·9 = 18; derivative ±δ. */
	assert_same_double(h->value(13, 3, 2), 18.0);
	assert_same_double(h->value(-7, 3, 2), 18.0);
	assert_same_double(h->deriv(13, 3, 2), 2.0);
	assert_same_double(h->deriv(-7, 3, 2), -2.0);
	/* At |r| = δ both pieces agree: δ²/2, slope δ (continuous, C¹). */
	assert_same_double(h->value(5, 3, 2), 2.0);
	assert_same_double(h->deriv(5, 3, 2), 2.0);
	/* Not squared loss under another name: linear growth far out. */
	assert_same_double(h->value(1e6, 0, 1.35), 1.35 * (1e6 - 1.35 / 2));
}

static void
row_values_and_derivatives_match_definitions(void **state)
{
	const struct loss *mse = loss_find("mse"), *mae = loss_find("mae");

	(void)state;
	assert_same_double(mse->value(5, 2, 0), 9.0);
	assert_same_double(mse->deriv(5, 2, 0),
	    6.0); /* d/dp (p − y)² = 2(p − y) */
	assert_same_double(mse->deriv(2, 5, 0), -6.0);
	assert_same_double(mae->value(5, 2, 0), 3.0);
	assert_same_double(mae->value(2, 5, 0), 3.0);
	assert_same_double(mae->deriv(5, 2, 0), 1.0);
	assert_same_double(mae->deriv(2, 5, 0), -1.0);
	assert_true(
	    mae->deriv(2, 2, 0) == 0.0); /* sign(0) = 0 (either signed zero) */
	assert_true(mse->deriv(2, 2, 0) == 0.0);
}

static void
predict_is_intercept_plus_dot(void **state)
{
	double w[] = { 1, 2, -3 }, row[] = { 4, 5, 99 };

	(void)state;
	assert_same_double(loss_predict(w, row, 2), -6.0);
	assert_same_double(loss_predict(w, row, 0), 1.0);
}

/*
 * With w = (1, 1) the predictions are 2, 3, 4; residuals y − p = 0, 0, 3.
 * MSE = 9/3 = 3; MAE = 3/3 = 1.
 * ∇MSE = (1/3) Σ 2(p − y)(1, x) = (1/3)(−6, −18) = (−2, −6).
 * ∇MAE = (1/3) Σ sign(p − y)(1, x) = (1/3)(−1, −3): the two exact rows pull
 * nowhere.
 */
static void
mse_and_mae_match_hand_computation(void **state)
{
	const struct loss *mse = loss_find("mse"), *mae = loss_find("mae");
	struct dataset ds;
	double w[] = { 1, 1 }, g[2];

	(void)state;
	make_small(&ds);
	assert_near(loss_mean(mse, 1.35, &ds, NULL, 0, w), 3.0, 1e-15);
	assert_near(loss_mean(mae, 1.35, &ds, NULL, 0, w), 1.0, 1e-15);
	assert_near(loss_gradient(mse, 1.35, 0, &ds, NULL, 0, w, g, NULL), 3.0,
	    1e-15);
	assert_near(g[0], -2.0, 1e-15);
	assert_near(g[1], -6.0, 1e-15);
	assert_near(loss_gradient(mae, 1.35, 0, &ds, NULL, 0, w, g, NULL), 1.0,
	    1e-15);
	assert_near(g[0], -1.0 / 3, 1e-15);
	assert_near(g[1], -1.0, 1e-15);

	/* Rows 2 and 3 only (0-based 1, 2): MSE (0 + 9)/2, ∇ = (1/2)(−6, −18).
	 */
	{
		size_t rows[] = { 2, 1 };
		assert_near(loss_mean(mse, 1.35, &ds, rows, 2, w), 4.5, 1e-15);
		assert_near(loss_gradient(mse, 1.35, 0, &ds, rows, 2, w, g,
				NULL),
		    4.5, 1e-15);
		assert_near(g[0], -3.0, 1e-15);
		assert_near(g[1], -9.0, 1e-15);
		assert_near(loss_mean(mae, 1.35, &ds, rows, 1, w), 3.0,
		    1e-15); /* row 2 alone */
	}
	dataset_free(&ds);
}

static void
mae_subgradient_is_zero_when_every_row_fits(void **state)
{
	const struct loss *mae = loss_find("mae");
	struct dataset ds;
	double w[] = { 1, 1 }, g[2] = { 99, 99 };

	(void)state;
	make_small(&ds);
	dataset_row(&ds, 2)[1] = 4; /* now y = 1 + x exactly */
	assert_same_double(loss_gradient(mae, 1.35, 0, &ds, NULL, 0, w, g,
			       NULL),
	    0.0);
	assert_same_double(g[0], 0.0);
	assert_same_double(g[1], 0.0);
	dataset_free(&ds);
}

enum { N = 60, D = 3, P = D + 1 };

/*
 * Random data and a point w at which no residual is within 1e-3 of 0, so MAE is
 * differentiable in a neighbourhood much larger than the finite-difference
 * step.
 */
static void
make_random(struct dataset *ds, double *w)
{
	static const char *const names[] = { "a", "b", "c", "y" };
	uint64_t seed = 4242;

	dataset_init(ds, D, names);
	for (size_t k = 0; k < P; k++)
		w[k] = tu_normal(&seed);
	for (size_t i = 0; i < N; i++) {
		double *row = dataset_add_row(ds);
		double r;
		assert_non_null(row);
		for (size_t j = 0; j < D; j++)
			row[j] = 2 * tu_normal(&seed);
		r = tu_normal(&seed);
		r += r < 0 ? -0.05 : 0.05;
		row[D] = loss_predict(w, row, D) + r;
	}
}

/* Central differences of loss_mean, step h, into fd (P). */
static void
finite_differences(const struct loss *l, double delta, const struct dataset *ds,
    const size_t *rows, size_t count, const double *w, double h, double *fd)
{
	double wp[P];

	for (size_t k = 0; k < P; k++) {
		double up, down;
		memcpy(wp, w, sizeof wp);
		wp[k] = w[k] + h;
		up = loss_mean(l, delta, ds, rows, count, wp);
		wp[k] = w[k] - h;
		down = loss_mean(l, delta, ds, rows, count, wp);
		fd[k] = (up - down) / (2 * h);
	}
}

/*
 * The gradient of loss name (δ = delta for huber) over rows matches central
 * differences; residuals are kept at least 1e-3 from 0 and from ±delta.
 */
static void
check_gradient_delta(const char *name, double delta, const size_t *rows,
    size_t count)
{
	const struct loss *l = loss_find(name);
	struct dataset ds;
	double w[P], g[P], fd[P], value, scale = 0;

	assert_non_null(l);
	make_random(&ds, w);
	/* Move away from the generating weights; residuals stay near ≥ 0.05. */
	for (size_t k = 0; k < P; k++)
		w[k] += 0.0001 * (double)(k + 1);
	for (size_t i = 0; i < N; i++) {
		double r = dataset_target(&ds, i) -
		    loss_predict(w, dataset_row(&ds, i), D);
		assert_true(fabs(r) > 1e-3);
		assert_true(fabs(fabs(r) - delta) > 1e-3);
	}
	value = loss_gradient(l, delta, 0, &ds, rows, count, w, g, NULL);
	assert_near(value, loss_mean(l, delta, &ds, rows, count, w),
	    1e-13 * loss_mean(l, delta, &ds, rows, count, w));
	/* A step of 1e-6 moves a prediction by at most ~1e-5, far from any
	 * kink. */
	finite_differences(l, delta, &ds, rows, count, w, 1e-6, fd);
	for (size_t k = 0; k < P; k++)
		scale = fmax(scale, fabs(fd[k]));
	assert_true(scale > 0);
	for (size_t k = 0; k < P; k++)
		assert_near(g[k], fd[k], 1e-6 * scale);
	dataset_free(&ds);
}

static void
check_gradient(const char *name, const size_t *rows, size_t count)
{
	check_gradient_delta(name, 1.35, rows, count);
}

/* δ = 0.7 puts about half the residuals (standard normal ± 0.05) beyond it. */
static void
huber_gradient_matches_finite_differences(void **state)
{
	static const size_t rows[] = { 42, 0, 5, 9, 13, 59, 30 };

	(void)state;
	check_gradient_delta("huber", 0.7, NULL, 0);
	check_gradient_delta("huber", 0.7, rows, 7);
	check_gradient_delta("huber", 1e9, NULL, 0); /* all inside: mse / 2 */
}

static void
mse_gradient_matches_finite_differences(void **state)
{
	(void)state;
	check_gradient("mse", NULL, 0);
}

static void
mae_gradient_matches_finite_differences(void **state)
{
	(void)state;
	check_gradient("mae", NULL, 0);
}

static void
subset_gradients_match_finite_differences(void **state)
{
	static const size_t rows[] = { 42, 0, 5, 9, 13, 59, 30 };

	(void)state;
	check_gradient("mse", rows, 7);
	check_gradient("mae", rows, 7);
	check_gradient("mse", rows, 1);
}

static void
null_rows_means_all_rows(void **state)
{
	const struct loss *mse = loss_find("mse");
	struct dataset ds;
	double w[P], g1[P], g2[P];
	size_t all[N];

	(void)state;
	make_random(&ds, w);
	for (size_t i = 0; i < N; i++)
		all[i] = i;
	assert_near(loss_mean(mse, 1.35, &ds, NULL, 12345, w),
	    loss_mean(mse, 1.35, &ds, all, N, w),
	    1e-14 * loss_mean(mse, 1.35, &ds, all, N, w));
	loss_gradient(mse, 1.35, 0, &ds, NULL, 0, w, g1, NULL);
	loss_gradient(mse, 1.35, 0, &ds, all, N, w, g2, NULL);
	for (size_t k = 0; k < P; k++)
		assert_near(g1[k], g2[k], 1e-13 * (fabs(g2[k]) + 1e-3));
	dataset_free(&ds);
}

/* The O(d²) MSE from the moments agrees with the pass over the rows. */
static void
quadratic_matches_the_rows(void **state)
{
	const struct loss *mse = loss_find("mse");
	struct dataset ds;
	struct moments m;
	double w[P], g[P], gq[P], value, rows_value;

	(void)state;
	make_random(&ds, w);
	/* Large means, so that the centring matters. */
	for (size_t i = 0; i < N; i++) {
		double *row = dataset_row(&ds, i);
		row[0] += 1000;
		row[D] += 1000 * w[1];
	}
	dataset_moments(&ds, &m, 1);
	for (int rep = 0; rep < 3; rep++) {
		double wq[P];
		for (size_t k = 0; k < P; k++)
			wq[k] =
			    w[k] + 0.3 * (double)rep * (double)(k % 2 ? 1 : -1);
		rows_value =
		    loss_gradient(mse, 1.35, 0, &ds, NULL, 0, wq, g, NULL);
		assert_int_equal(loss_quadratic(&m, wq, &value, gq), 0);
		assert_near(value, rows_value, 1e-9 * rows_value);
		for (size_t k = 0; k < P; k++)
			assert_near(gq[k], g[k],
			    1e-9 * (fabs(g[k]) + rows_value));
		/* grad may be NULL. */
		assert_int_equal(loss_quadratic(&m, wq, &value, NULL), 0);
		assert_near(value, rows_value, 1e-9 * rows_value);
	}
	moments_free(&m);
	dataset_free(&ds);
}

/* At an exact fit the formula can only return noise: it must say so, or be
 * right. */
static void
quadratic_declines_a_near_perfect_fit(void **state)
{
	static const char *const names[] = { "a", "b", "y" };
	struct dataset ds;
	struct moments m;
	double w[3] = { 1e4, 3, -2 }, value = -1, truth;
	uint64_t seed = 6;
	int rc;

	(void)state;
	dataset_init(&ds, 2, names);
	for (size_t i = 0; i < 50; i++) {
		double *row = dataset_add_row(&ds);
		assert_non_null(row);
		row[0] = 100 * tu_normal(&seed);
		row[1] = 100 * tu_normal(&seed);
		row[2] = loss_predict(w, row, 2);
	}
	truth = loss_mean(loss_find("mse"), 0, &ds, NULL, 0, w);
	dataset_moments(&ds, &m, 1);
	rc = loss_quadratic(&m, w, &value, NULL);
	if (rc == 0)
		assert_near(value, truth, 1e-6 * truth);
	else
		assert_int_equal(rc, -1);
	moments_free(&m);
	dataset_free(&ds);
}

static void
start_value_is_mean_for_mse_and_median_for_mae(void **state)
{
	struct dataset ds;

	(void)state;
	make_small(&ds); /* y = 2, 3, 7: mean 4, median 3 */
	assert_near(loss_start_value(loss_find("mse"), 0, &ds), 4.0, 1e-15);
	assert_same_double(loss_start_value(loss_find("mae"), 0, &ds), 3.0);
	dataset_free(&ds);
}

/*
 * quantile: τ·r above the fit and (1 − τ)·|r| below (r = y − pred), half of
 * mae at τ = ½; derivative −τ, 1 − τ, and 0 on the fit; its gradient against
 * finite differences; the start is the τ-quantile of y: the ⌈nτ⌉-th value, or
 * the mean of the nτ-th and the next when nτ is whole.
 */
static void
quantile_is_the_pinball_loss(void **state)
{
	const struct loss *q = loss_find("quantile"), *mae = loss_find("mae");
	struct dataset ds;
	static const char *const names[] = { "x", "y" };

	(void)state;
	assert_non_null(q);
	assert_string_equal(q->constant, "quantile");
	assert_int_equal(q->start, LOSS_START_QUANTILE);
	assert_int_equal(q->smooth, 0);
	assert_same_double(q->value(1, 3, 0.9), 0.9 * 2);
	assert_near(q->value(3, 1, 0.9), 0.1 * 2, 1e-16);
	assert_same_double(q->value(2, 2, 0.9), 0);
	assert_same_double(q->deriv(1, 3, 0.9), -0.9);
	assert_near(q->deriv(3, 1, 0.9), 0.1, 1e-16);
	assert_same_double(q->deriv(2, 2, 0.9), 0);
	for (double r = -3; r <= 3; r += 0.75)
		assert_same_double(2 * q->value(0, r, 0.5),
		    mae->value(0, r, 0));
	check_gradient_delta("quantile", 0.25, NULL, 0);
	make_small(&ds); /* y = 2, 3, 7 */
	assert_same_double(loss_start_value(q, 0.5, &ds), 3);
	assert_same_double(loss_start_value(q, 0.1, &ds), 2); /* ⌈0.3⌉ = 1st */
	assert_same_double(loss_start_value(q, 0.9, &ds), 7); /* ⌈2.7⌉ = 3rd */
	dataset_free(&ds);
	/* y = 1, 2, 3, 4: nτ = 1 at τ = ¼, the mean of the 1st and 2nd. */
	dataset_init(&ds, 1, names);
	for (int i = 1; i <= 4; i++) {
		double *row = dataset_add_row(&ds);

		assert_non_null(row);
		row[0] = 0;
		row[1] = i;
	}
	assert_same_double(loss_start_value(q, 0.25, &ds), 1.5);
	assert_same_double(loss_start_value(q, 0.3, &ds), 2);
	assert_same_double(loss_start_value(mae, 0, &ds), 2.5);
	dataset_free(&ds);
}

/*
 * MAE smoothed over mu: |r| outside the band, mu/2 + r²/(2mu) inside, so it is
 * continuous with a continuous derivative r/mu, lies above |r| by at most mu/2,
 * and its derivative agrees with central differences of its value.
 */
static void
smoothed_mae_is_huber_over_mu(void **state)
{
	const struct loss *mae = loss_find("mae"), *mse = loss_find("mse");
	double mu = 0.25, h = 1e-6;

	(void)state;
	assert_same_double(loss_kink(mae, 0), 2.0);
	assert_same_double(loss_kink(mse, 0), 0.0);
	for (double r = -1; r <= 1; r += 1.0 / 64) {
		double v = loss_smoothed_value(mae, 3 + r, 3, 0, mu);
		double g = loss_smoothed_deriv(mae, 3 + r, 3, 0, mu);
		double fd = (loss_smoothed_value(mae, 3 + r + h, 3, 0, mu) -
				loss_smoothed_value(mae, 3 + r - h, 3, 0, mu)) /
		    (2 * h);
		double want =
		    fabs(r) > mu ? fabs(r) : mu / 2 + r * r / (2 * mu);

		assert_true(fabs(v - want) <= 1e-15);
		assert_true(v >= fabs(r) && v - fabs(r) <= mu / 2);
		assert_true(
		    fabs(g - fd) <= 1e-5); /* O(h/mu) at the band edge */
		assert_true(
		    fabs(g - (fabs(r) > mu ? copysign(1, r) : r / mu)) <=
		    1e-15);
	}
	/* mu = 0, or a smooth loss: the loss itself. */
	assert_near(loss_smoothed_value(mae, 3.1, 3, 0, 0), 0.1, 1e-15);
	assert_same_double(loss_smoothed_deriv(mse, 5, 2, 0, 1), 6.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_lists_mse_and_mae),
		cmocka_unit_test(row_values_and_derivatives_match_definitions),
		cmocka_unit_test(predict_is_intercept_plus_dot),
		cmocka_unit_test(mse_and_mae_match_hand_computation),
		cmocka_unit_test(mae_subgradient_is_zero_when_every_row_fits),
		cmocka_unit_test(mse_gradient_matches_finite_differences),
		cmocka_unit_test(mae_gradient_matches_finite_differences),
		cmocka_unit_test(
		    huber_is_squared_inside_delta_and_linear_beyond),
		cmocka_unit_test(huber_gradient_matches_finite_differences),
		cmocka_unit_test(subset_gradients_match_finite_differences),
		cmocka_unit_test(null_rows_means_all_rows),
		cmocka_unit_test(quadratic_matches_the_rows),
		cmocka_unit_test(quadratic_declines_a_near_perfect_fit),
		cmocka_unit_test(
		    start_value_is_mean_for_mse_and_median_for_mae),
		cmocka_unit_test(smoothed_mae_is_huber_over_mu),
		cmocka_unit_test(quantile_is_the_pinball_loss),
	};

	return cmocka_run_group_tests_name("loss", tests, NULL, NULL);
}
