/*
 * test_regularize.c: the penalties, Huber's loss, the update rules and the
 * exact solver, each against an answer computed here independently: ridge
 * against its closed form, lasso against a coordinate-descent reference, Huber
 * against the generating coefficients under gross outliers, every rule against
 * least squares.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "dataset.h"
#include "loss.h"
#include "optim.h"
#include "scale.h"
#include "solve.h"
#include "train.h"
#include "testutil.h"

enum { N = 300, D = 6, P = D + 1 };

/*
 * N rows of D features: x1..x3 drive y (x2 correlated with x1), x4..x6 are
 * independent noise columns; y = 2 + 3·x1 − 2·x2 + 0.5·x3 + sigma·N(0, 1).
 * Standardized (z-scores) before returning.
 */
static void
make_problem(struct dataset *ds, double sigma, uint64_t seed)
{
	static const char *const names[] = { "x1", "x2", "x3", "x4", "x5", "x6",
		"y" };
	struct scaler s;
	struct error e = { 0 };

	dataset_init(ds, D, names);
	for (size_t i = 0; i < N; i++) {
		double *row = dataset_add_row(ds);

		assert_non_null(row);
		row[0] = tu_normal(&seed);
		row[1] = 0.6 * row[0] + 0.8 * tu_normal(&seed);
		row[2] = 5 + 2 * tu_normal(&seed);
		for (size_t j = 3; j < D; j++)
			row[j] = tu_normal(&seed);
		row[D] = 2 + 3 * row[0] - 2 * row[1] + 0.5 * row[2] +
		    sigma * tu_normal(&seed);
	}
	assert_int_equal(scaler_fit(&s, ds, SCALE_ZSCORE, 1, &e), 0);
	scaler_apply(&s, ds, 1);
	scaler_free(&s);
}

static struct train_options
options(const char *rule, enum train_mode mode, unsigned long epochs)
{
	struct train_options o = {
		.loss = loss_find("mse"),
		.delta = 1.35,
		.optimizer = optim_find(rule),
		.params = OPTIM_PARAMS_DEFAULT,
		.schedule = schedule_find("constant"),
		.schedule_params = { .decay = (double)NAN },
		.mode = mode,
		.batch_size = 16,
		.epochs = epochs,
		.seed = 7,
		.optimum = (double)NAN,
	};

	assert_non_null(o.optimizer);
	return o;
}

static void
train(const struct train_options *o, const struct dataset *ds, double *w)
{
	struct train_result r;
	struct error e = { 0 };

	assert_int_equal(train_run(o, ds, w, NULL, NULL, &r, &e), 0);
}

/* max_j |got_j − want_j| / max_j |want_j|: one scale for all the weights. */
static double
distance(const double *got, const double *want, size_t p)
{
	double diff = 0, size = 0;

	for (size_t j = 0; j < p; j++) {
		diff = fmax(diff, fabs(got[j] - want[j]));
		size = fmax(size, fabs(want[j]));
	}
	return diff / size;
}

/* Ridge: GD (at its auto rate), L-BFGS and the QR solver reach the closed form.
 */
static void
ridge_matches_its_closed_form(void **state)
{
	struct dataset ds;
	struct solution sol;
	struct error e = { 0 };
	double want[P], w[P];
	struct train_options o = options("gd", MODE_BATCH, 3000);

	(void)state;
	make_problem(&ds, 1, 11);
	o.l2 = 0.5;
	assert_int_equal(tu_ridge(ds.x, N, D, P, o.l2, want), 0);
	train(&o, &ds, w);
	assert_true(distance(w, want, P) < 1e-8);
	o = options("lbfgs", MODE_BATCH, 200);
	o.l2 = 0.5;
	train(&o, &ds, w);
	assert_true(distance(w, want, P) < 1e-8);
	assert_int_equal(solve_least_squares(&ds, 0.5, 1, &sol, &e), 0);
	assert_true(distance(sol.w, want, P) < 1e-12);
	assert_int_equal(sol.rank, P);
	solution_free(&sol);
	dataset_free(&ds);
}

/*
 * The lasso objective (1/n)·Σ r² + λ1·Σ|wj| by cyclic coordinate descent
 * (Friedman, Hastie & Tibshirani, J. Stat. Softw. 2010): with the others fixed,
 * wj = S(ρj, λ1/2) / sj, ρj = (1/n)·Σ xij·(partial residual), sj = (1/n)·Σ
 * xij², S the soft-threshold; the intercept is the mean of the residual with it
 * out.
 */
static void
lasso_by_coordinate_descent(const struct dataset *ds, double l1, double *w)
{
	size_t n = ds->n, d = ds->d;

	memset(w, 0, (d + 1) * sizeof(double));
	for (int sweep = 0; sweep < 10000; sweep++) {
		double change = 0, sum = 0;

		for (size_t i = 0; i < n; i++)
			sum += dataset_target(ds, i) -
			    loss_predict(w, dataset_row(ds, i), d) + w[0];
		change = fabs(sum / (double)n - w[0]);
		w[0] = sum / (double)n;
		for (size_t j = 1; j <= d; j++) {
			double rho = 0, sj = 0, v;

			for (size_t i = 0; i < n; i++) {
				const double *x = dataset_row(ds, i);
				double partial = x[d] - loss_predict(w, x, d) +
				    w[j] * x[j - 1];

				rho += x[j - 1] * partial / (double)n;
				sj += x[j - 1] * x[j - 1] / (double)n;
			}
			v = fabs(rho) > l1 / 2
			    ? copysign(fabs(rho) - l1 / 2, rho) / sj
			    : 0;
			change = fmax(change, fabs(v - w[j]));
			w[j] = v;
		}
		if (change < 1e-15)
			return;
	}
	fail_msg("coordinate descent did not converge");
}

/* Lasso by proximal GD: exact zeros on the noise columns, and CD's answer. */
static void
lasso_zeroes_irrelevant_features_and_matches_coordinate_descent(void **state)
{
	struct dataset ds;
	double want[P], w[P];
	struct train_options o = options("gd", MODE_BATCH, 5000);

	(void)state;
	make_problem(&ds, 1, 12);
	o.params.l1 = 0.2;
	lasso_by_coordinate_descent(&ds, o.params.l1, want);
	train(&o, &ds, w);
	for (size_t j = 4; j <= D; j++) {
		assert_true(
		    want[j] == 0.0); /* the reference agrees they are 0 */
		if (w[j] != 0.0)
			fail_msg("noise column x%zu has weight %.17g, not 0", j,
			    w[j]);
	}
	assert_true(w[1] != 0 && w[2] != 0 && w[3] != 0);
	if (!(distance(w, want, P) < 1e-9))
		fail_msg("lasso GD is %.3g from coordinate descent",
		    distance(w, want, P));
	/* Momentum (accelerated proximal gradient) reaches the same point. */
	o = options("nesterov", MODE_BATCH, 3000);
	o.params.l1 = 0.2;
	train(&o, &ds, w);
	assert_true(distance(w, want, P) < 1e-9);
	assert_true(w[4] == 0.0 && w[5] == 0.0 && w[6] == 0.0);
	dataset_free(&ds);
}

/*
 * Huber's loss under 10% gross outliers (y shifted by +40 sd of the noise)
 * stays near the generating coefficients; least squares is pulled away.
 */
static void
huber_resists_gross_outliers_better_than_mse(void **state)
{
	static const char *const names[] = { "x1", "x2", "y" };
	const double truth[3] = { 1, 2, -3 };
	struct dataset ds;
	double wh[3], wm[3], dh, dm;
	uint64_t seed = 99;
	struct train_options o = options("lbfgs", MODE_BATCH, 500);

	(void)state;
	dataset_init(&ds, 2, names);
	for (size_t i = 0; i < 1000; i++) {
		double *row = dataset_add_row(&ds);

		row[0] = tu_normal(&seed);
		row[1] = tu_normal(&seed);
		row[2] = truth[0] + truth[1] * row[0] + truth[2] * row[1] +
		    0.5 * tu_normal(&seed) +
		    (i % 10 == 0 ? 20 + 20 * row[0] : 0);
	}
	o.loss = loss_find("huber");
	o.delta = 1.35 * 0.5;
	train(&o, &ds, wh);
	o.loss = loss_find("mse");
	train(&o, &ds, wm);
	dh = distance(wh, truth, 3);
	dm = distance(wm, truth, 3);
	if (!(dh < 0.05 && dh < dm / 10))
		fail_msg("huber %.3g, mse %.3g from the truth", dh, dm);
	dataset_free(&ds);
}

/*
 * Every rule, in batch, mini-batch and sgd mode, reaches least squares (the QR
 * solution): batch within 1e-6 of the weights; mini-batch and sgd, whose noise
 * keeps them circling the optimum, within 2e-2 and 3e-2. (Adam at a constant
 * rate stalled 2e-3 away here: its steps stay about the rate in size.)
 */
static void
every_rule_reaches_least_squares_in_every_mode(void **state)
{
	static const char *const rules[] = { "gd", "momentum", "nesterov",
		"adagrad", "rmsprop", "adam", "adamw", "lbfgs" };
	static const struct {
		enum train_mode mode;
		const char *name;
		unsigned long epochs;
		double tol;
	} modes[] = {
		{ MODE_BATCH, "batch", 2000, 1e-6 },
		{ MODE_MINIBATCH, "minibatch", 200, 2e-2 },
		{ MODE_SGD, "sgd", 400, 3e-2 },
	};
	struct dataset ds;
	struct solution sol;
	struct error e = { 0 };
	double w[P];

	(void)state;
	make_problem(&ds, 1, 13);
	assert_int_equal(solve_least_squares(&ds, 0, 1, &sol, &e), 0);
	for (size_t k = 0; k < sizeof(rules) / sizeof(rules[0]); k++) {
		for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
			int lbfgs = strcmp(rules[k], "lbfgs") == 0;
			struct train_options o =
			    options(rules[k], modes[m].mode, modes[m].epochs);

			if (modes[m].mode != MODE_BATCH && lbfgs)
				continue;
			/* Adaptive rules settle only as their rate comes down.
			 */
			o.schedule = schedule_find(
			    modes[m].mode != MODE_BATCH || o.optimizer->adaptive
				? "stagewise"
				: "constant");
			o.params.weight_decay = 0; /* adamw: then plain adam */
			train(&o, &ds, w);
			if (!(distance(w, sol.w, P) < modes[m].tol))
				fail_msg("%s, %s: %.3g from least squares",
				    rules[k], modes[m].name,
				    distance(w, sol.w, P));
		}
	}
	solution_free(&sol);
	dataset_free(&ds);
}

/*
 * The auto rate (train.h) on four rows whose X1ᵀX1/n is known by hand: x1 = ±1,
 * x2 ∈ {2, 0} (mean 1), so X1ᵀX1/n = [1 0 1; 0 1 0; 1 0 2], whose largest
 * eigenvalue is (3 + √5)/2, and max_i ‖x1_i‖² = 1 + 1 + 4 = 6. Batch: 1/L with
 * L = c·λmax + 2·λ2; sgd: 1/(2·L_max), L_max = c·6 + 2·λ2; a batch of 2 of the
 * 4 rows: 1/(2·L_2), L_2 = (2/3)·L + (1/3)·L_max; adaptive rules 0.1.
 */
static void
auto_rate_is_the_inverse_lipschitz_constant(void **state)
{
	static const char *const names[] = { "x1", "x2", "y" };
	static const double rows[4][3] = {
		{ 1, 2, 3 },
		{ -1, 2, 0 },
		{ 1, 0, -1 },
		{ -1, 0, 2 },
	};
	static const struct {
		const char *loss, *rule;
		double c, l2;
	} cases[] = {
		{ "mse", "gd", 2, 0 },
		{ "mse", "momentum", 2, 0.5 },
		{ "huber", "nesterov", 1, 0 },
		{ "logistic", "gd", 0.25, 0.1 },
	};
	const double lmax = (3 + sqrt(5.0)) / 2;
	struct dataset ds;

	(void)state;
	dataset_init(&ds, 2, names);
	for (size_t i = 0; i < 4; i++)
		memcpy(dataset_add_row(&ds), rows[i], sizeof(rows[i]));
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct train_options o = options(cases[k].rule, MODE_BATCH, 1);
		double L = cases[k].c * lmax + 2 * cases[k].l2,
		       L_max = cases[k].c * 6 + 2 * cases[k].l2;

		o.loss = loss_find(cases[k].loss);
		o.l2 = cases[k].l2;
		assert_near(train_auto_rate(&o, &ds, 4, NULL), 1 / L, 1e-9 / L);
		assert_near(train_auto_rate(&o, &ds, 1, NULL), 1 / (2 * L_max),
		    1e-15);
		assert_near(train_auto_rate(&o, &ds, 2, NULL),
		    1 / (2 * (2 * L / 3 + L_max / 3)), 1e-9 / L);
	}
	{
		struct train_options o = options("adam", MODE_BATCH, 1);

		assert_same_double(train_auto_rate(&o, &ds, 4, NULL),
		    TRAIN_ADAPTIVE_RATE);
		assert_same_double(TRAIN_ADAPTIVE_RATE, 0.1);
	}
	dataset_free(&ds);
}

/*
 * The QR solver on a problem with an exact answer in small integers, with a
 * column that is twice another (aliased, weight 0, as R reports NA) and a
 * constant one (aliased with the intercept).
 */
static void
solver_reports_aliased_columns_and_solves_the_rest(void **state)
{
	static const char *const names[] = { "a", "b", "twice_a", "c", "y" };
	/* y = 1 + 2a − b exactly; twice_a = 2a; c = 5 everywhere. */
	static const double rows[][5] = {
		{ 0, 0, 0, 5, 1 },
		{ 1, 0, 2, 5, 3 },
		{ 0, 1, 0, 5, 0 },
		{ 2, 3, 4, 5, 2 },
		{ 5, 1, 10, 5, 10 },
		{ 3, 7, 6, 5, 0 },
	};
	struct dataset ds;
	struct solution sol;
	struct error e = { 0 };

	(void)state;
	dataset_init(&ds, 4, names);
	for (size_t i = 0; i < 6; i++)
		memcpy(dataset_add_row(&ds), rows[i], sizeof(rows[i]));
	assert_int_equal(solve_least_squares(&ds, 0, 1, &sol, &e), 0);
	assert_int_equal(sol.rank, 3);
	assert_int_equal(sol.aliased[0], 0);
	assert_int_equal(sol.aliased[1], 0);
	assert_int_equal(sol.aliased[2], 0);
	assert_int_equal(sol.aliased[3], 1); /* twice_a */
	assert_int_equal(sol.aliased[4], 1); /* c */
	assert_near(sol.w[0], 1, 1e-14);
	assert_near(sol.w[1], 2, 1e-14);
	assert_near(sol.w[2], -1, 1e-14);
	assert_true(sol.w[3] == 0 && sol.w[4] == 0);
	assert_near(sol.rss, 0, 1e-25);
	solution_free(&sol);
	dataset_free(&ds);
}

/* QR and the normal equations agree on a well-conditioned problem; (RᵀR)⁻¹ too.
 */
static void
solver_matches_normal_equations_when_well_conditioned(void **state)
{
	struct dataset ds;
	struct solution sol;
	struct error e = { 0 };
	double want[P], a[P * P] = { 0 }, inv[P * P];

	(void)state;
	make_problem(&ds, 1, 14);
	assert_int_equal(tu_least_squares(ds.x, N, D, P, want), 0);
	assert_int_equal(solve_least_squares(&ds, 0, 1, &sol, &e), 0);
	assert_true(distance(sol.w, want, P) < 1e-12);
	/* cov·(A1ᵀA1) = I. */
	for (size_t i = 0; i < N; i++) {
		const double *x = dataset_row(&ds, i);

		for (size_t r = 0; r < P; r++)
			for (size_t c = 0; c < P; c++)
				a[r * P + c] +=
				    (r ? x[r - 1] : 1) * (c ? x[c - 1] : 1);
	}
	for (size_t r = 0; r < P; r++)
		for (size_t c = 0; c < P; c++) {
			double sum = 0;

			for (size_t k = 0; k < P; k++)
				sum += sol.cov[r * P + k] * a[k * P + c];
			inv[r * P + c] = sum;
			assert_near(inv[r * P + c], r == c, 1e-12);
		}
	solution_free(&sol);
	dataset_free(&ds);
}

/*
 * Many rows, so that the solver cuts them into several parts (16 here): the
 * ridge weights, (RᵀR)⁻¹ and the RSS are the same bits on 1, 2 and 5 threads,
 * and the weights those of the closed form.
 */
static void
solver_gives_the_same_bits_on_any_threads(void **state)
{
	static const char *const names[] = { "x1", "x2", "x3", "x4", "x5", "x6",
		"y" };
	enum { ROWS = 20000 };
	struct dataset ds;
	struct solution one, more;
	struct error e = { 0 };
	uint64_t seed = 23;
	double want[P];

	(void)state;
	dataset_init(&ds, D, names);
	for (size_t i = 0; i < ROWS; i++) {
		double *row = dataset_add_row(&ds);

		assert_non_null(row);
		row[D] = 1;
		for (size_t j = 0; j < D; j++) {
			row[j] = tu_normal(&seed);
			row[D] += (double)(j + 1) * row[j];
		}
		row[D] += tu_normal(&seed);
	}
	assert_int_equal(tu_ridge(ds.x, ROWS, D, P, 0.25, want), 0);
	assert_int_equal(solve_least_squares(&ds, 0.25, 1, &one, &e), 0);
	assert_true(distance(one.w, want, P) < 1e-12);
	for (unsigned threads = 2; threads <= 5; threads += 3) {
		assert_int_equal(solve_least_squares(&ds, 0.25, threads, &more,
				     &e),
		    0);
		assert_memory_equal(one.w, more.w, P * sizeof(double));
		assert_memory_equal(one.cov, more.cov, P * P * sizeof(double));
		assert_memory_equal(&one.rss, &more.rss, sizeof(double));
		solution_free(&more);
	}
	solution_free(&one);
	dataset_free(&ds);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ridge_matches_its_closed_form),
		cmocka_unit_test(
		    lasso_zeroes_irrelevant_features_and_matches_coordinate_descent),
		cmocka_unit_test(huber_resists_gross_outliers_better_than_mse),
		cmocka_unit_test(
		    every_rule_reaches_least_squares_in_every_mode),
		cmocka_unit_test(auto_rate_is_the_inverse_lipschitz_constant),
		cmocka_unit_test(
		    solver_reports_aliased_columns_and_solves_the_rest),
		cmocka_unit_test(
		    solver_matches_normal_equations_when_well_conditioned),
		cmocka_unit_test(solver_gives_the_same_bits_on_any_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
