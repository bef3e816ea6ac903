/*
 * test_summary.c: the checks and figures of fit --stats. The distance from
 * least squares is the relative MSE excess over the normal equations' optimum
 * (solved here independently) and √(gap·df); the exact solver's factorization
 * is taken, not recomputed; weight on an aliased column is refused naming it;
 * separation is found by a single feature, or by Newton's method on R's
 * quasi2 example that no single feature shows, and not on overlapping classes.
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
#include "scale.h"
#include "summary.h"
#include "testutil.h"

#define N 30

/* y = 1 + 2·x1 − x2 + noise over N rows. */
static void
linear_rows(struct dataset *ds)
{
	static const char *const names[] = { "x1", "x2", "y" };
	uint64_t s = 2024;

	dataset_init(ds, 2, names);
	for (size_t i = 0; i < N; i++) {
		double *row = dataset_add_row(ds);

		row[0] = 10 * tu_unif(&s);
		row[1] = tu_normal(&s);
		row[2] = 1 + 2 * row[0] - row[1] + 0.5 * tu_normal(&s);
	}
}

/* The MSE of w (intercept, then 2 features) over ds. */
static double
mse(const struct dataset *ds, const double *w)
{
	double ss = 0;

	for (size_t i = 0; i < ds->n; i++) {
		const double *x = ds->x + i * 3;
		double r = x[2] - w[0] - w[1] * x[0] - w[2] * x[1];

		ss += r * r;
	}
	return ss / (double)ds->n;
}

static void
distance_from_least_squares(void **state)
{
	struct dataset ds;
	struct scaler sc;
	struct solution exact = { 0 }, sol;
	struct fit_stats st;
	struct error e;
	double w[3], best, loss, gap, off;

	(void)state;
	linear_rows(&ds);
	assert_int_equal(scaler_fit(&sc, &ds, SCALE_ZSCORE, 1, &e), 0);
	scaler_apply(&sc, &ds, 1);
	assert_int_equal(tu_ridge(ds.x, N, 2, 3, 0, w), 0);
	best = mse(&ds, w);
	/* the optimum itself: no gap; the exact solution passed in is taken */
	assert_int_equal(solve_least_squares(&ds, 0, 1, &exact, &e), 0);
	assert_int_equal(summary_least_squares(&ds, &sc, w, best, 0.95, 1,
			     &exact, &sol, &st, &gap, &off, &e),
	    0);
	assert_null(exact.w);
	assert_near(sol.rss / N, best, 1e-12 * best);
	assert_near(gap, 0, 1e-12);
	assert_near(st.df, N - 3, 0);
	fit_stats_free(&st);
	solution_free(&sol);
	/* off the optimum: gap = (MSE − best)/best, off = √(gap·df) */
	w[1] += 0.01;
	loss = mse(&ds, w);
	assert_int_equal(summary_least_squares(&ds, &sc, w, loss, 0.95, 1,
			     &exact, &sol, &st, &gap, &off, &e),
	    0);
	assert_near(gap, (loss - best) / best, 1e-9 * (loss - best) / best);
	assert_near(off, sqrt(gap * (N - 3)), 1e-9 * off);
	assert_true(off > 1e-3);
	fit_stats_free(&st);
	solution_free(&sol);
	scaler_free(&sc);
	dataset_free(&ds);
}

static void
weight_on_an_aliased_column_is_refused(void **state)
{
	static const char *const names[] = { "a", "twice_a", "y" };
	int aliased[3] = { 0, 0, 1 };
	double w[3] = { 1, 2, 0.5 };
	struct solution sol = { .p = 3, .aliased = aliased, .w = w };
	struct dataset ds;
	struct error e;

	(void)state;
	dataset_init(&ds, 2, names);
	assert_int_equal(summary_spread_weight(&sol, w, &ds, &e), -1);
	assert_int_equal(e.status, EXIT_INPUT);
	assert_contains(e.msg, "column \"twice_a\" is a linear combination");
	w[2] = 0;
	assert_int_equal(summary_spread_weight(&sol, w, &ds, &e), 0);
	dataset_free(&ds);
}

/* Two classes on two features from rows (x1, x2, class). */
static void
class_rows(struct dataset *ds, const double (*rows)[3], size_t n)
{
	static const char *const names[] = { "x1", "x2", "y" };

	dataset_init(ds, 2, names);
	ds->classes = 2;
	for (size_t i = 0; i < n; i++)
		memcpy(dataset_add_row(ds), rows[i], sizeof(rows[i]));
}

static void
separation_by_one_feature_and_by_newton(void **state)
{
	/* x1 alone: class 1 above 3; x2 mixes */
	static const double one[6][3] = { { 1, 0, 0 }, { 2, 1, 0 }, { 3, 0, 0 },
		{ 4, 1, 1 }, { 5, 0, 1 }, { 6, 1, 1 } };
	/* R's quasi2: x1 + x2 = 0 separates, no column alone does */
	static const double quasi[8][3] = { { -2, 1, 0 }, { 1, -2, 0 },
		{ -1, 0, 0 }, { 0, 0, 0 }, { 0, 0, 1 }, { -1, 2, 1 },
		{ 2, -1, 1 }, { 1, 1, 1 } };
	/* overlapping on both */
	static const double mixed[8][3] = { { 1, 0, 0 }, { 2, 1, 1 },
		{ 3, 0, 0 }, { 4, 1, 1 }, { 5, 0, 1 }, { 6, 1, 0 }, { 2, 0, 1 },
		{ 5, 1, 0 } };
	struct dataset ds;
	struct separation s;
	struct glm_fit g;
	struct error e;

	(void)state;
	class_rows(&ds, one, 6);
	assert_int_equal(summary_separation(&ds, 1, 0, &g, &s, &e), 0);
	assert_int_equal(s.found, 1);
	assert_int_equal(s.split[0].feature, 0);
	assert_int_equal(s.split[0].above, 1);
	assert_int_equal(s.split[0].complete, 1);
	assert_true(s.separated);
	assert_false(s.newton); /* a feature shows it: no Newton fit */
	assert_int_equal(summary_separation(&ds, 1, 1, &g, &s, &e), 0);
	assert_true(s.newton); /* needed for --stats */
	glm_fit_free(&g);
	dataset_free(&ds);

	class_rows(&ds, quasi, 8);
	assert_int_equal(summary_separation(&ds, 1, 0, &g, &s, &e), 0);
	assert_int_equal(s.found, 0);
	assert_true(s.newton);
	assert_int_equal(g.separated, GLM_QUASI);
	assert_true(s.separated);
	glm_fit_free(&g);
	/* softmax fits look at single features only */
	assert_int_equal(summary_separation(&ds, 0, 0, &g, &s, &e), 0);
	assert_false(s.newton);
	assert_false(s.separated);
	dataset_free(&ds);

	class_rows(&ds, mixed, 8);
	assert_int_equal(summary_separation(&ds, 1, 0, &g, &s, &e), 0);
	assert_int_equal(s.found, 0);
	assert_true(s.newton);
	assert_false(s.separated);
	glm_fit_free(&g);
	dataset_free(&ds);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(distance_from_least_squares),
		cmocka_unit_test(weight_on_an_aliased_column_is_refused),
		cmocka_unit_test(separation_by_one_feature_and_by_newton),
	};

	return cmocka_run_group_tests_name("summary", tests, NULL, NULL);
}
