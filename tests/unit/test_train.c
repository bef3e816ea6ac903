/*
 * test_train.c: the epoch loop against answers found independently.
 *   - batch GD on MSE converges to the least-squares solution of the normal
 *     equations (solved here by Gaussian elimination with partial pivoting);
 *   - sgd and minibatch (with the "stagewise" schedule fit uses) come close to
 * it;
 *   - MAE recovers the generating coefficients of noise-free data;
 *   - a huge learning rate is reported as divergence;
 *   - a seed fixes the result, bit for bit;
 *   - the auto rate is 1/L (batch) and 1/(2·L_b) (sgd, minibatch) on data whose
 *     Gram matrix is known exactly.
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
#include "failure.h"
#include "loss.h"
#include "optim.h"
#include "scale.h"
#include "train.h"
#include "testutil.h"

enum { N = 200, D = 4, P = D + 1 };

/* The generating coefficients: intercept, then x1..x4. */
static const double truth[P] = { 3.0, 1.5, -4.0, 2.0, 0.05 };

/*
 * A 200×4 regression problem: x1 ~ N(10, 3), x2 ~ N(−5, 0.5), x3 correlated
 * with x1, x4 ~ U(0, 100); y = truth·[1, x] + sigma·N(0, 1).
 */
static void
make_problem(struct dataset *ds, double sigma, uint64_t seed)
{
	static const char *const names[] = { "x1", "x2", "x3", "x4", "y" };

	dataset_init(ds, D, names);
	for (size_t i = 0; i < N; i++) {
		double *row = dataset_add_row(ds);
		assert_non_null(row);
		row[0] = 10 + 3 * tu_normal(&seed);
		row[1] = -5 + 0.5 * tu_normal(&seed);
		row[2] = 2 + 0.5 * (row[0] - 10) / 3 + 0.8 * tu_normal(&seed);
		row[3] = 100 * tu_unif(&seed);
		row[4] = truth[0];
		for (size_t j = 0; j < D; j++)
			row[4] += truth[j + 1] * row[j];
		row[4] += sigma * tu_normal(&seed);
	}
}

/* Fit the scaler (z-scores) and apply it. */
static void
standardize(struct scaler *s, struct dataset *ds)
{
	struct error e;

	memset(&e, 0, sizeof e);
	assert_int_equal(scaler_fit(s, ds, 1, 1, &e), 0);
	scaler_apply(s, ds, 1);
}

/* Batch MSE by plain gradient descent, for train_auto_rate. */
static const struct train_options gd_mse = {
	.loss = &(struct loss){ .name = "mse", .curvature = 2 },
	.optimizer = &(struct optimizer){ .name = "gd" },
};

static struct train_options
options(const char *loss, const char *schedule, enum train_mode mode,
    size_t batch, double rate, unsigned long epochs, uint64_t seed)
{
	struct train_options o;

	memset(&o, 0, sizeof o);
	o.loss = loss_find(loss);
	o.optimizer = optim_find("gd");
	o.schedule = schedule_find(schedule);
	o.mode = mode;
	o.batch_size = batch;
	o.learning_rate = rate;
	o.epochs = epochs;
	o.seed = seed;
	o.params = OPTIM_PARAMS_DEFAULT;
	o.schedule_params.decay = (double)NAN;
	o.optimum = (double)NAN;
	assert_non_null(o.loss);
	assert_non_null(o.optimizer);
	assert_non_null(o.schedule);
	return o;
}

/* What the epoch callback saw. */
struct trace {
	unsigned long calls, bad_order, rises;
	double first_loss, last_loss, last_rate;
	double prev, before_last;
	int check_rate_const; /* 1: every rate must equal base */
	double base;
	unsigned long bad_rate;
};

static void
on_epoch(void *ctx, const struct epoch_report *r)
{
	struct trace *t = ctx;

	t->calls++;
	if (r->epoch != t->calls)
		t->bad_order++;
	if (t->calls == 1)
		t->first_loss = r->loss;
	else if (r->loss > t->prev * (1 + 1e-9))
		t->rises++;
	if (t->check_rate_const && r->rate != t->base)
		t->bad_rate++;
	t->before_last = t->calls == 1 ? (double)NAN : t->prev;
	t->prev = t->last_loss = r->loss;
	t->last_rate = r->rate;
}

/* Fail unless |got_k − want_k| <= rel·|want_k| for every k, naming k. */
static void
check_weights(const double *got, const double *want, size_t p, double rel,
    const char *what)
{
	for (size_t k = 0; k < p; k++)
		if (!(fabs(got[k] - want[k]) <= rel * fabs(want[k]))) {
			print_error("%s: weight %zu = %.17g, expected %.17g "
				    "(relative difference %.3g > %.3g)\n",
			    what, k, got[k], want[k],
			    fabs(got[k] - want[k]) / fabs(want[k]), rel);
			fail();
		}
}

/* ------------------------------------------------------------------------ */
/* (1) batch GD on MSE = normal equations                                    */
/* ------------------------------------------------------------------------ */

static void
batch_gd_matches_normal_equations(void **state)
{
	struct dataset ds;
	struct scaler s;
	struct train_result r;
	struct error e;
	struct trace t;
	double *raw, w[P], ls_scaled[P], ls_raw[P], weight[P], std_weight[P],
	    rate;
	const unsigned long epochs = 1000;

	(void)state;
	make_problem(&ds, 0.5, 2025);
	raw = malloc(N * P * sizeof *raw);
	assert_non_null(raw);
	memcpy(raw, ds.x, N * P * sizeof *raw);
	assert_int_equal(tu_least_squares(raw, N, D, P, ls_raw), 0);

	standardize(&s, &ds);
	assert_int_equal(tu_least_squares(ds.x, N, D, P, ls_scaled), 0);

	rate = train_auto_rate(&gd_mse, &ds, N, NULL);
	assert_true(rate > 0 && isfinite(rate));
	struct train_options o =
	    options("mse", "constant", MODE_BATCH, 32, rate, epochs, 1);
	memset(&t, 0, sizeof t);
	t.check_rate_const = 1;
	t.base = rate;
	memset(&e, 0, sizeof e);
	for (size_t k = 0; k < P; k++)
		w[k] = 1e300; /* train_run sets the start itself */
	assert_int_equal(train_run(&o, &ds, w, on_epoch, &t, &r, &e), 0);

	/* Scaled space. */
	check_weights(w, ls_scaled, P, 1e-8,
	    "scaled weights vs normal equations");
	/* Input units. */
	scaler_unscale(&s, w, weight, std_weight);
	check_weights(weight, ls_raw, P, 1e-8,
	    "weights vs normal equations on raw data");
	check_weights(std_weight + 1, ls_scaled + 1, D, 1e-8, "std weights");

	/* The loop's bookkeeping. */
	assert_int_equal(r.epochs, epochs);
	assert_int_equal(t.calls, epochs);
	assert_int_equal(t.bad_order, 0);
	assert_int_equal(t.bad_rate, 0);
	/* 1/L is a step that cannot increase the MSE. */
	assert_int_equal(t.rises, 0);
	/* Before the first epoch the model is the mean: its MSE is the variance
	 * of y. */
	{
		double v = dataset_target_sd(&ds);
		assert_near(r.initial_loss, v * v, 1e-11 * v * v);
	}
	assert_near(r.loss, loss_mean(o.loss, o.delta, &ds, NULL, 0, w),
	    1e-10 * r.loss);
	assert_same_double(t.last_loss, r.loss);
	assert_true(t.first_loss < r.initial_loss);
	/* The relative fall of the loss in the last epoch: converged, so about
	 * 0. */
	assert_near(r.last_drop, (t.before_last - t.last_loss) / t.before_last,
	    1e-12);
	assert_near(r.last_drop, 0.0, 1e-9);
	free(raw);
	scaler_free(&s);
	dataset_free(&ds);
}

/* The same without standardizing: slower, but the same fixed point. */
static void
batch_gd_without_standardizing_matches_normal_equations(void **state)
{
	static const char *const names[] = { "a", "b", "y" };
	struct dataset ds;
	struct train_result r;
	struct error e;
	double w[3], ls[3];
	uint64_t seed = 8;

	(void)state;
	/* Features already near mean 0, sd 1, so the raw problem is well
	 * conditioned. */
	dataset_init(&ds, 2, names);
	for (size_t i = 0; i < 100; i++) {
		double *row = dataset_add_row(&ds);
		assert_non_null(row);
		row[0] = 0.2 + tu_normal(&seed);
		row[1] = -0.1 + 1.3 * tu_normal(&seed);
		row[2] = 1 + 2 * row[0] - row[1] + 0.3 * tu_normal(&seed);
	}
	assert_int_equal(tu_least_squares(ds.x, 100, 2, 3, ls), 0);
	struct train_options o = options("mse", "constant", MODE_BATCH, 32,
	    train_auto_rate(&gd_mse, &ds, 100, NULL), 2000, 1);
	assert_int_equal(train_run(&o, &ds, w, NULL, NULL, &r, &e), 0);
	check_weights(w, ls, 3, 1e-8, "unstandardized");
	dataset_free(&ds);
}

/* ------------------------------------------------------------------------ */
/* (2) sgd and minibatch                                                     */
/* ------------------------------------------------------------------------ */

/*
 * Stochastic steps keep the weights moving by about rate·noise; the "stagewise"
 * schedule halves the rate each time the loss stalls and doubles the patience,
 * so each lower rate has the time to reach its lower noise floor. SGD_EPOCHS /
 * MINIBATCH_EPOCHS are what was found to be needed, with a margin.
 */
#ifndef SGD_EPOCHS
#define SGD_EPOCHS 200 /* 2.9e-3 at 50 epochs; within 1e-3 from 100 on */
#endif
#ifndef MINIBATCH_EPOCHS
#define MINIBATCH_EPOCHS \
	1000 /* 1.8e-3 at 100, 1.04e-3 at 200, within 1e-3 at 500 */
#endif

static void
check_stochastic(enum train_mode mode, size_t batch, unsigned long epochs,
    const char *what)
{
	struct dataset ds;
	struct scaler s;
	struct train_result r;
	struct error e;
	double w[P], ls[P];

	make_problem(&ds, 0.5, 2025); /* the problem of (1) */
	standardize(&s, &ds);
	assert_int_equal(tu_least_squares(ds.x, N, D, P, ls), 0);
	size_t b = train_rows_per_step(mode, batch, N);
	struct train_options o = options("mse", "stagewise", mode, batch,
	    train_auto_rate(&gd_mse, &ds, b, NULL), epochs, 1);
	memset(&e, 0, sizeof e);
	assert_int_equal(train_run(&o, &ds, w, NULL, NULL, &r, &e), 0);
	check_weights(w, ls, P, 1e-3, what);
	scaler_free(&s);
	dataset_free(&ds);
}

static void
sgd_comes_within_1e3_of_normal_equations(void **state)
{
	(void)state;
	check_stochastic(MODE_SGD, 32, SGD_EPOCHS, "sgd");
}

static void
minibatch_comes_within_1e3_of_normal_equations(void **state)
{
	(void)state;
	check_stochastic(MODE_MINIBATCH, 16, MINIBATCH_EPOCHS, "minibatch 16");
}

/* ------------------------------------------------------------------------ */
/* (3) MAE recovers exact coefficients                                        */
/* ------------------------------------------------------------------------ */

#ifndef MAE_EPOCHS
#define MAE_EPOCHS 200 /* 7.6e-5 at 50 epochs, 3e-8 at 100 */
#endif

static void
mae_batch_recovers_noise_free_coefficients(void **state)
{
	struct dataset ds;
	struct scaler s;
	struct train_result r;
	struct error e;
	double w[P], weight[P], std_weight[P];

	(void)state;
	make_problem(&ds, 0.0, 99);
	standardize(&s, &ds);
	struct train_options o = options("mae", "plateau", MODE_BATCH, 32,
	    train_auto_rate(&gd_mse, &ds, N, NULL), MAE_EPOCHS, 1);
	memset(&e, 0, sizeof e);
	assert_int_equal(train_run(&o, &ds, w, NULL, NULL, &r, &e), 0);
	scaler_unscale(&s, w, weight, std_weight);
	check_weights(weight, truth, P, 1e-3, "mae on noise-free data");
	/* The loss started at the mean absolute deviation from the median. */
	{
		double med = dataset_target_median(&ds), mad = 0;
		for (size_t i = 0; i < N; i++)
			mad += fabs(dataset_target(&ds, i) - med);
		assert_near(r.initial_loss, mad / N, 1e-12 * mad / N);
	}
	scaler_free(&s);
	dataset_free(&ds);
}

/* ------------------------------------------------------------------------ */
/* (4) divergence                                                             */
/* ------------------------------------------------------------------------ */

static void
huge_rate_is_reported_as_divergence(void **state)
{
	static const enum train_mode modes[] = { MODE_BATCH, MODE_SGD,
		MODE_MINIBATCH };
	struct dataset ds;
	struct scaler s;
	struct train_result r;
	struct error e;
	struct trace t;
	double w[P];

	(void)state;
	make_problem(&ds, 0.5, 5);
	standardize(&s, &ds);
	for (size_t m = 0; m < 3; m++) {
		struct train_options o =
		    options("mse", "constant", modes[m], 16, 1e6, 100, 1);
		memset(&e, 0, sizeof e);
		memset(&t, 0, sizeof t);
		assert_int_equal(train_run(&o, &ds, w, on_epoch, &t, &r, &e),
		    -1);
		assert_int_equal(e.status, EXIT_DIVERGED);
		/* The CLI adds the hint about -r; the library names the epoch
		 * and loss. */
		assert_contains(e.msg, "training diverged at epoch ");
		assert_contains(e.msg, "(loss ");
		assert_true(r.epochs < 100);
		assert_true(isfinite(r.initial_loss));
	}
	/* MAE too (its step is scaled by sd(y)). */
	{
		struct train_options o =
		    options("mae", "plateau", MODE_BATCH, 16, 1e6, 100, 1);
		memset(&e, 0, sizeof e);
		assert_int_equal(train_run(&o, &ds, w, NULL, NULL, &r, &e), -1);
		assert_int_equal(e.status, EXIT_DIVERGED);
	}
	scaler_free(&s);
	dataset_free(&ds);
}

/* ------------------------------------------------------------------------ */
/* (5) determinism                                                            */
/* ------------------------------------------------------------------------ */

static void
run_sgd(uint64_t seed, enum train_mode mode, double *w)
{
	struct dataset ds;
	struct scaler s;
	struct train_result r;
	struct error e;

	make_problem(&ds, 0.5, 31);
	standardize(&s, &ds);
	struct train_options o =
	    options("mse", "constant", mode, 16, 0.01, 20, seed);
	assert_int_equal(train_run(&o, &ds, w, NULL, NULL, &r, &e), 0);
	scaler_free(&s);
	dataset_free(&ds);
}

/* The last epoch's relative fall while still far from converged. */
static void
last_drop_is_the_relative_fall_of_the_last_epoch(void **state)
{
	struct dataset ds;
	struct scaler s;
	struct train_result r;
	struct error e;
	struct trace t;
	double w[P];

	(void)state;
	make_problem(&ds, 0.5, 12);
	standardize(&s, &ds);
	struct train_options o =
	    options("mse", "constant", MODE_BATCH, 32, 0.01, 5, 1);
	memset(&t, 0, sizeof t);
	assert_int_equal(train_run(&o, &ds, w, on_epoch, &t, &r, &e), 0);
	assert_true(t.before_last > t.last_loss);
	assert_near(r.last_drop, (t.before_last - t.last_loss) / t.before_last,
	    1e-12 * r.last_drop);
	assert_true(r.last_drop > 1e-3);
	scaler_free(&s);
	dataset_free(&ds);
}

/*
 * A learning rate of 0 asks for train_auto_rate's for the mode's rows per step;
 * the rate used is reported, and the run is the one the explicit rate gives.
 */
static void
zero_rate_means_auto(void **state)
{
	static const enum train_mode modes[] = { MODE_BATCH, MODE_SGD,
		MODE_MINIBATCH };
	struct dataset ds;
	struct scaler s;
	struct train_result r0, r1;
	struct error e;
	double w0[P], w1[P];

	(void)state;
	make_problem(&ds, 0.5, 21);
	standardize(&s, &ds);
	for (size_t m = 0; m < 3; m++) {
		double rate = train_auto_rate(&gd_mse, &ds,
		    train_rows_per_step(modes[m], 16, N), NULL);
		struct moments mom;

		/* train_run passes its own moments: the same rate to the bit.
		 */
		dataset_moments(&ds, &mom, 1);
		assert_same_double(train_auto_rate(&gd_mse, &ds,
				       train_rows_per_step(modes[m], 16, N),
				       &mom),
		    rate);
		moments_free(&mom);
		struct train_options o =
		    options("mse", "constant", modes[m], 16, 0, 10, 1);
		assert_int_equal(train_run(&o, &ds, w0, NULL, NULL, &r0, &e),
		    0);
		assert_same_double(r0.learning_rate, rate);
		o.learning_rate = rate;
		assert_int_equal(train_run(&o, &ds, w1, NULL, NULL, &r1, &e),
		    0);
		assert_same_double(r1.learning_rate, rate);
		assert_memory_equal(w0, w1, sizeof w0);
	}
	scaler_free(&s);
	dataset_free(&ds);
}

/* A target whose variance overflows: the starting loss is already infinite. */
static void
overflowing_start_is_an_input_error(void **state)
{
	static const char *const names[] = { "x", "y" };
	struct dataset ds;
	struct train_result r;
	struct error e;
	double w[2];

	(void)state;
	dataset_init(&ds, 1, names);
	for (size_t i = 0; i < 10; i++) {
		double *row = dataset_add_row(&ds);
		assert_non_null(row);
		row[0] = (double)i - 4.5;
		row[1] = i % 2 ? 1e200 : -1e200; /* (y − mean)² = 1e400 */
	}
	struct train_options o =
	    options("mse", "constant", MODE_BATCH, 32, 0.01, 5, 1);
	memset(&e, 0, sizeof e);
	assert_int_equal(train_run(&o, &ds, w, NULL, NULL, &r, &e), -1);
	assert_int_equal(e.status, EXIT_INPUT);
	dataset_free(&ds);
}

static void
same_seed_gives_bit_identical_weights(void **state)
{
	double a[P], b[P], c[P];

	(void)state;
	run_sgd(42, MODE_SGD, a);
	run_sgd(42, MODE_SGD, b);
	assert_memory_equal(a, b, sizeof a);
	run_sgd(43, MODE_SGD, c);
	assert_memory_not_equal(a, c, sizeof a);
	run_sgd(42, MODE_MINIBATCH, a);
	run_sgd(42, MODE_MINIBATCH, b);
	assert_memory_equal(a, b, sizeof a);
	run_sgd(0, MODE_MINIBATCH, c);
	assert_memory_not_equal(a, c, sizeof a);
	/* Batch mode visits every row every step: the seed plays no part. */
	run_sgd(42, MODE_BATCH, a);
	run_sgd(43, MODE_BATCH, b);
	assert_memory_equal(a, b, sizeof a);
}

/* ------------------------------------------------------------------------ */
/* (6) the auto rate                                                          */
/* ------------------------------------------------------------------------ */

/*
 * n = 4k rows repeating (z1, z2) = (1, 1), (1, −1), (−1, 1), (−1, −1) scaled by
 * a and c: the columns of [1, z1, z2] are orthogonal, so X1ᵀX1/n = diag(1, a²,
 * c²) exactly; every row has ‖x1_i‖² = 1 + a² + c².
 */
static void
make_orthogonal(struct dataset *ds, size_t k, double a, double c)
{
	static const char *const names[] = { "z1", "z2", "y" };
	static const double pat[4][2] = { { 1, 1 }, { 1, -1 }, { -1, 1 },
		{ -1, -1 } };

	dataset_init(ds, 2, names);
	for (size_t i = 0; i < 4 * k; i++) {
		double *row = dataset_add_row(ds);
		assert_non_null(row);
		row[0] = a * pat[i % 4][0];
		row[1] = c * pat[i % 4][1];
		row[2] = (double)i;
	}
}

/* 1/(2·L_b) with L_b = n(b−1)/(b(n−1))·L + (n−b)/(b(n−1))·L_max. */
static double
expected_rate(double n, double b, double lip, double lmax)
{
	double lb =
	    n * (b - 1) / (b * (n - 1)) * lip + (n - b) / (b * (n - 1)) * lmax;

	return 1 / (2 * lb);
}

static void
auto_rate_is_inverse_lipschitz_on_orthogonal_data(void **state)
{
	struct dataset ds;
	double n;

	(void)state;
	/* Orthonormal: Gram = I, L = 2; L_max = 2·3 = 6. */
	make_orthogonal(&ds, 50, 1, 1);
	n = 200;
	/* λmax is found to 1e-6 and raised by about as much: allow 3e-6. */
	assert_near(train_auto_rate(&gd_mse, &ds, 200, NULL), 0.5, 3e-6 * 0.5);
	assert_near(train_auto_rate(&gd_mse, &ds, 1, NULL), 1.0 / 12,
	    3e-6 / 12);
	assert_near(train_auto_rate(&gd_mse, &ds, 16, NULL),
	    expected_rate(n, 16, 2, 6), 3e-6 * expected_rate(n, 16, 2, 6));
	assert_near(train_auto_rate(&gd_mse, &ds, 100, NULL),
	    expected_rate(n, 100, 2, 6), 3e-6 * expected_rate(n, 100, 2, 6));
	dataset_free(&ds);

	/* Gram = diag(1, 4, 0.25): L = 8; L_max = 2·(1 + 4 + 0.25) = 10.5. */
	make_orthogonal(&ds, 3, 2, 0.5);
	n = 12;
	assert_near(train_auto_rate(&gd_mse, &ds, 12, NULL), 1.0 / 8, 3e-6 / 8);
	assert_near(train_auto_rate(&gd_mse, &ds, 1, NULL), 1 / 21.0,
	    3e-6 / 21);
	assert_near(train_auto_rate(&gd_mse, &ds, 2, NULL),
	    expected_rate(n, 2, 8, 10.5), 3e-6 * expected_rate(n, 2, 8, 10.5));
	dataset_free(&ds);
}

/*
 * Negatively correlated standardized features: z2 = −0.5·z1 + (√3/2)·v with z1,
 * v orthogonal ±1 patterns. Gram = [[1,0,0],[0,1,−0.5],[0,−0.5,1]], λmax = 1.5,
 * L = 3.
 */
static void
auto_rate_sees_negatively_correlated_features(void **state)
{
	static const char *const names[] = { "z1", "z2", "y" };
	static const double pat[4][2] = { { 1, 1 }, { 1, -1 }, { -1, 1 },
		{ -1, -1 } };
	struct dataset ds;

	(void)state;
	dataset_init(&ds, 2, names);
	for (size_t i = 0; i < 40; i++) {
		double *row = dataset_add_row(&ds);
		assert_non_null(row);
		row[0] = pat[i % 4][0];
		row[1] = -0.5 * pat[i % 4][0] + sqrt(0.75) * pat[i % 4][1];
		row[2] = 0;
	}
	assert_near(train_auto_rate(&gd_mse, &ds, 40, NULL), 1.0 / 3, 3e-6 / 3);
	dataset_free(&ds);
}

static void
rows_per_step_follow_the_mode(void **state)
{
	(void)state;
	assert_int_equal(train_rows_per_step(MODE_BATCH, 32, 200), 200);
	assert_int_equal(train_rows_per_step(MODE_SGD, 32, 200), 1);
	assert_int_equal(train_rows_per_step(MODE_MINIBATCH, 32, 200), 32);
	assert_int_equal(train_rows_per_step(MODE_MINIBATCH, 500, 200), 200);
	assert_int_equal(train_rows_per_step(MODE_MINIBATCH, 1, 200), 1);
}

static void
step_scale_is_sd_of_y_for_mae_only(void **state)
{
	struct dataset ds;
	double sd;

	(void)state;
	make_problem(&ds, 0.5, 3);
	sd = dataset_target_sd(&ds);
	assert_same_double(
	    train_step_scale(&(struct train_options){ .loss = loss_find("mse"),
				 .optimizer = optim_find("gd") },
		&ds),
	    1.0);
	assert_near(train_step_scale(&(struct train_options){ .loss = loss_find(
								  "mae"),
					 .optimizer = optim_find("gd") },
			&ds),
	    sd, 1e-14 * sd);
	dataset_free(&ds);
}

/*
 * The rate reported each epoch is the schedule's: with "plateau", the base rate
 * halved once for every 3 epochs without a new lowest loss, replayed here from
 * the reported losses (the loss before the first epoch counts as seen).
 */
#define MAX_EPOCHS 400
struct rate_trace {
	unsigned long calls;
	double loss[MAX_EPOCHS], rate[MAX_EPOCHS];
};

static void
on_epoch_rates(void *ctx, const struct epoch_report *r)
{
	struct rate_trace *t = ctx;

	if (t->calls < MAX_EPOCHS) {
		t->loss[t->calls] = r->loss;
		t->rate[t->calls] = r->rate;
	}
	t->calls++;
}

static void
reported_rate_follows_the_plateau_schedule(void **state)
{
	static struct rate_trace t;
	struct dataset ds;
	struct scaler s;
	struct train_result r;
	struct error e;
	double w[P], best, factor = 1, base = 0.05;
	unsigned long stalled = 0, halvings = 0;

	(void)state;
	make_problem(&ds, 0.5, 3);
	standardize(&s, &ds);
	struct train_options o =
	    options("mse", "plateau", MODE_SGD, 1, base, 200, 1);
	memset(&t, 0, sizeof t);
	assert_int_equal(train_run(&o, &ds, w, on_epoch_rates, &t, &r, &e), 0);
	/* All epochs, or until the halvings took the rate to the floor. */
	assert_true(t.calls == 200 || r.stop == TRAIN_STOP_RATE_FLOOR);
	assert_true(t.calls < 200 || r.stop == TRAIN_STOP_EPOCHS);
	best = r.initial_loss;
	for (unsigned long k = 0; k < t.calls; k++) {
		if (t.rate[k] != base * factor) {
			print_error("epoch %lu: rate %.17g, expected %.17g\n",
			    k + 1, t.rate[k], base * factor);
			fail();
		}
		if (t.loss[k] < best) {
			best = t.loss[k];
			stalled = 0;
		} else if (++stalled >= 3) {
			factor /= 2;
			stalled = 0;
			halvings++;
		}
	}
	/* Noisy sgd at a fixed rate stalls: the schedule must have acted. */
	assert_true(halvings > 0);
	/* Stopped at the floor: the next epoch's rate would be below it. */
	if (r.stop == TRAIN_STOP_RATE_FLOOR)
		assert_true(factor < TRAIN_RATE_FLOOR);
	scaler_free(&s);
	dataset_free(&ds);
}

/* Validation losses seen by the epoch callback. */
struct val_trace {
	double loss[400];
	unsigned long n;
};

static void
trace_val(void *ctx, const struct epoch_report *r)
{
	struct val_trace *t = ctx;

	t->loss[t->n++] = r->val_loss;
}

/*
 * Early stopping returns the weights of the epoch with the lowest validation
 * loss: their validation loss, recomputed, is the minimum the callback saw, and
 * training stopped early_stop epochs after that epoch (or ran out of epochs).
 */
static void
early_stop_returns_the_best_epochs_weights(void **state)
{
	struct dataset ds, train, val;
	struct scaler s;
	struct train_result r;
	struct error e;
	struct val_trace trace = { .n = 0 };
	double w[P], min = HUGE_VAL;
	unsigned long argmin = 0;

	(void)state;
	make_problem(&ds, 3.0, 77); /* noisy: validation loss turns up */
	train = dataset_rows(&ds, 0, N - 40);
	val = dataset_rows(&ds, N - 40, 40);
	standardize(&s, &ds);
	struct train_options o = options("mse", "stagewise", MODE_SGD, 1,
	    train_auto_rate(&gd_mse, &train, 1, NULL), 300, 3);
	o.validation = &val;
	o.early_stop = 5;
	memset(&e, 0, sizeof e);
	assert_int_equal(train_run(&o, &train, w, trace_val, &trace, &r, &e),
	    0);
	for (unsigned long k = 0; k < trace.n; k++)
		if (trace.loss[k] < min) {
			min = trace.loss[k];
			argmin = k + 1;
		}
	assert_int_equal(r.best_epoch, argmin);
	assert_same_double(r.val_loss, min);
	assert_near(loss_mean(o.loss, o.delta, &val, NULL, 0, w), min,
	    1e-12 * min);
	assert_true(r.stopped_early);
	assert_int_equal(r.epochs, argmin + 5);
	scaler_free(&s);
	dataset_free(&ds);
}

/* The stop flag the callback raises, as a signal handler would. */
struct stopper {
	volatile sig_atomic_t flag;
	unsigned long at; /* raise it after this epoch */
};

static void
stop_after(void *ctx, const struct epoch_report *r)
{
	struct stopper *s = ctx;

	if (r->epoch == s->at)
		s->flag = 1;
}

/*
 * A stop request in epoch 4 leaves the weights of epoch 3, bit for bit those of
 * a run of 3 epochs, in every mode; the result says which epoch was cut short.
 */
static void
stop_leaves_the_last_finished_epochs_weights(void **state)
{
	static const enum train_mode modes[] = { MODE_BATCH, MODE_SGD,
		MODE_MINIBATCH };
	struct dataset ds;
	struct scaler s;
	struct train_result r, r3;
	struct error e;

	(void)state;
	make_problem(&ds, 0.5, 5);
	standardize(&s, &ds);
	for (size_t m = 0; m < 3; m++) {
		struct stopper stop = { .flag = 0, .at = 3 };
		double w[P], w3[P];
		struct train_options o =
		    options("mse", "stagewise", modes[m], 8,
			train_auto_rate(&gd_mse, &ds,
			    train_rows_per_step(modes[m], 8, N), NULL),
			50, 9);

		memset(&e, 0, sizeof e);
		o.stop = &stop.flag;
		assert_int_equal(train_run(&o, &ds, w, stop_after, &stop, &r,
				     &e),
		    0);
		assert_int_equal(r.interrupted, 4);
		assert_int_equal(r.epochs, 3);
		o.stop = NULL;
		o.epochs = 3;
		assert_int_equal(train_run(&o, &ds, w3, NULL, NULL, &r3, &e),
		    0);
		assert_int_equal(r3.interrupted, 0);
		assert_memory_equal(w, w3, sizeof(w));
		assert_true(r.loss == r3.loss);
	}
	scaler_free(&s);
	dataset_free(&ds);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(batch_gd_matches_normal_equations),
		cmocka_unit_test(
		    batch_gd_without_standardizing_matches_normal_equations),
		cmocka_unit_test(sgd_comes_within_1e3_of_normal_equations),
		cmocka_unit_test(
		    minibatch_comes_within_1e3_of_normal_equations),
		cmocka_unit_test(mae_batch_recovers_noise_free_coefficients),
		cmocka_unit_test(huge_rate_is_reported_as_divergence),
		cmocka_unit_test(
		    last_drop_is_the_relative_fall_of_the_last_epoch),
		cmocka_unit_test(zero_rate_means_auto),
		cmocka_unit_test(overflowing_start_is_an_input_error),
		cmocka_unit_test(same_seed_gives_bit_identical_weights),
		cmocka_unit_test(
		    auto_rate_is_inverse_lipschitz_on_orthogonal_data),
		cmocka_unit_test(auto_rate_sees_negatively_correlated_features),
		cmocka_unit_test(rows_per_step_follow_the_mode),
		cmocka_unit_test(step_scale_is_sd_of_y_for_mae_only),
		cmocka_unit_test(reported_rate_follows_the_plateau_schedule),
		cmocka_unit_test(early_stop_returns_the_best_epochs_weights),
		cmocka_unit_test(stop_leaves_the_last_finished_epochs_weights),
	};

	return cmocka_run_group_tests_name("train", tests, NULL, NULL);
}
