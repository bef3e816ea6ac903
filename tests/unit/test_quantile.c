/*
 * test_quantile.c: exact quantile regression (src/quantile.c) against R's
 * quantreg::rq (method "br") on eight data sets at τ = 0.1, 0.5, 0.9
 * (tests/ref/r/quantile/, made by tests/ref/r/quantile.R): the objective within
 * 1e-9 relative, and the weights where R does not call the solution
 * non-unique; then cases checked by hand: one feature, the τ-quantile of a
 * constant model, τ near 0 and 1, a degenerate fit, a constant target, a
 * constant column, and the same bits on 1 and 2 threads.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataset.h"
#include "quantile.h"
#include "table.h"
#include "testutil.h"

#define REF "tests/ref/r/quantile/"

/* data/NAME.csv with target and the drop list, as the R script reads it. */
static void
load(struct dataset *ds, const char *name, const char *target, const char *drop)
{
	char path[256];
	struct table_options o = { .delimiter = ',',
		.header = 1,
		.target = target,
		.drop = drop,
		.threads = 1 };
	struct error e;
	int fd;

	snprintf(path, sizeof(path), "data/%s.csv", name);
	o.name = path;
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	if (table_read(fd, &o, ds, &e) != 0)
		fail_msg("%s", e.msg);
	close(fd);
}

/* Fit NAME at τ and compare with the reference lines for it. */
static void
check_case(const char *name, const char *target, double tau, double objective,
    int nonunique)
{
	struct dataset ds;
	struct quantile_solution s;
	struct error e;
	char line[512], want[128];
	FILE *f;
	size_t term = 0;

	load(&ds, name, target,
	    strcmp(name, "USJudgeRatings") == 0 ? "judge" : NULL);
	if (solve_quantile(&ds, tau, 2, &s, &e) != 0)
		fail_msg("%s: %s", name, e.msg);
	print_message("%s tau %g: %.17g (R %.17g) iterations %lu pivots %lu "
		      "zero rows %zu optimal %d nonunique %d\n",
	    name, tau, s.objective, objective, s.iterations, s.pivots,
	    s.zero_rows, s.optimal, s.nonunique);
	assert_int_equal(s.optimal, 1);
	assert_rel(s.objective, objective, 1e-9);
	assert_true(s.objective <= s.interior * (1 + 1e-12));
	snprintf(want, sizeof(want), "%s,%g,", name, tau);
	f = fopen(REF "coef.csv", "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		const char *est;

		if (strncmp(line, want, strlen(want)) != 0)
			continue;
		est = strrchr(line, ',') + 1;
		assert_true(term < s.p);
		if (!nonunique && !s.nonunique)
			assert_near(s.w[term], strtod(est, NULL),
			    1e-10 * (1 + fabs(strtod(est, NULL))));
		term++;
	}
	fclose(f);
	assert_int_equal(term, s.p);
	quantile_solution_free(&s);
	dataset_free(&ds);
}

static void
matches_r(void **state)
{
	FILE *f = fopen(REF "objective.csv", "r");
	char line[512];
	int cases = 0;

	(void)state;
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	while (fgets(line, sizeof(line), f) != NULL) {
		char name[64], target[64];
		double tau, objective;
		int n, nonunique;

		assert_int_equal(sscanf(line,
				     "%63[^,],%63[^,],%lf,%d,%lf,%*[^,],%d",
				     name, target, &tau, &n, &objective,
				     &nonunique),
		    6);
		check_case(name, target, tau, objective, nonunique);
		cases++;
	}
	fclose(f);
	assert_int_equal(cases, 24);
}

/* A dataset of n rows of d features from the row-major values. */
static void
make(struct dataset *ds, size_t d, size_t n, const double *values)
{
	static const char *const names[] = { "x1", "x2", "x3", "y" };
	const char *use[4];

	for (size_t j = 0; j < d; j++)
		use[j] = names[j];
	use[d] = "y";
	dataset_init(ds, d, use);
	for (size_t i = 0; i < n; i++) {
		double *row = dataset_add_row(ds);

		assert_non_null(row);
		memcpy(row, values + i * (d + 1), (d + 1) * sizeof(double));
	}
}

static void
solve_ok(const struct dataset *ds, double tau, struct quantile_solution *s)
{
	struct error e;

	if (solve_quantile(ds, tau, 1, s, &e) != 0)
		fail_msg("%s", e.msg);
}

/*
 * x = 0, 1, 2; y = 0, 2, 1 at τ = 1/2: of the lines through two points,
 * y = x/2 leaves |2 − 1/2| = 1.5 (the others 3): ρ = 1.5/2, mean 0.25. Its dual
 * values: λ_0·[1, 0] + λ_2·[1, 2] + ½·[1, 1] = 0 gives λ = (−¼, −¼), inside
 * (−½, ½): optimal and unique.
 */
static void
one_feature(void **state)
{
	static const double xy[] = { 0, 0, 1, 2, 2, 1 };
	struct dataset ds;
	struct quantile_solution s;

	(void)state;
	make(&ds, 1, 3, xy);
	solve_ok(&ds, 0.5, &s);
	assert_int_equal(s.optimal, 1);
	assert_int_equal(s.nonunique, 0);
	assert_int_equal(s.zero_rows, 2);
	assert_near(s.objective, 0.25, 1e-15);
	assert_near(s.w[0], 0, 1e-15);
	assert_near(s.w[1], 0.5, 1e-15);
	quantile_solution_free(&s);
	dataset_free(&ds);
}

/* y = 1..10, no feature: the τ-quantile, and the mean pinball loss by hand. */
static void
constant_model(void **state)
{
	double y[10];
	struct dataset ds;
	struct quantile_solution s;

	(void)state;
	for (int i = 0; i < 10; i++)
		y[i] = i + 1;
	make(&ds, 0, 10, y);
	/* nτ = 2.5: the 3rd value; (¼·(1 + … + 7) + ¾·(2 + 1)) / 10. */
	solve_ok(&ds, 0.25, &s);
	assert_int_equal(s.optimal, 1);
	assert_int_equal(s.nonunique, 0);
	assert_near(s.w[0], 3, 1e-14);
	assert_near(s.objective, 0.925, 1e-15);
	quantile_solution_free(&s);
	/* τ = ½, n even: every value in [5, 6] is a median; ½·25 / 10. */
	solve_ok(&ds, 0.5, &s);
	assert_int_equal(s.optimal, 1);
	assert_int_equal(s.nonunique, 1);
	assert_true(s.w[0] >= 5 - 1e-14 && s.w[0] <= 6 + 1e-14);
	assert_near(s.objective, 1.25, 1e-15);
	quantile_solution_free(&s);
	/* τ near 0 and 1: the least and the largest value; 0.001·45 / 10. */
	solve_ok(&ds, 0.001, &s);
	assert_near(s.w[0], 1, 1e-14);
	assert_near(s.objective, 0.0045, 1e-15);
	quantile_solution_free(&s);
	solve_ok(&ds, 0.999, &s);
	assert_near(s.w[0], 10, 1e-14);
	assert_near(s.objective, 0.0045, 1e-15);
	quantile_solution_free(&s);
	dataset_free(&ds);
}

/*
 * Four of five points on y = 2x + 1, the fifth at 100 instead of 11: the line
 * through the four is the LAD fit (moving it raises the four zero residuals'
 * cost by more than it lowers the one's), objective ½·89 / 5, with four rows on
 * it for two terms: degenerate.
 */
static void
degenerate(void **state)
{
	static const double xy[] = { 1, 3, 2, 5, 3, 7, 4, 9, 5, 100 };
	struct dataset ds;
	struct quantile_solution s;

	(void)state;
	make(&ds, 1, 5, xy);
	solve_ok(&ds, 0.5, &s);
	assert_int_equal(s.optimal, 1);
	assert_int_equal(s.zero_rows, 4);
	assert_near(s.objective, 89.0 / 10, 1e-13);
	assert_near(s.w[0], 1, 1e-13);
	assert_near(s.w[1], 2, 1e-13);
	quantile_solution_free(&s);
	dataset_free(&ds);
}

/* y = 7 whatever x: weights (7, 0, 0), objective 0, every row on the fit. */
static void
constant_target(void **state)
{
	double xy[3 * 30];
	struct dataset ds;
	struct quantile_solution s;

	(void)state;
	for (int i = 0; i < 30; i++) {
		xy[3 * i] = sin(i);
		xy[3 * i + 1] = cos(3 * i) + i;
		xy[3 * i + 2] = 7;
	}
	make(&ds, 2, 30, xy);
	solve_ok(&ds, 0.3, &s);
	assert_int_equal(s.optimal, 1);
	assert_int_equal(s.zero_rows, 30);
	assert_near(s.objective, 0, 1e-15);
	assert_near(s.w[0], 7, 1e-13);
	assert_near(s.w[1], 0, 1e-13);
	assert_near(s.w[2], 0, 1e-13);
	quantile_solution_free(&s);
	dataset_free(&ds);
}

/* A constant column and one that is twice another get weight 0 and rank 3. */
static void
aliased_columns(void **state)
{
	double xy[4 * 40];
	struct dataset ds;
	struct quantile_solution s;

	(void)state;
	for (int i = 0; i < 40; i++) {
		xy[4 * i] = 5;
		xy[4 * i + 1] = sin(1.3 * i);
		xy[4 * i + 2] = 2 * xy[4 * i + 1];
		xy[4 * i + 3] = 1 + xy[4 * i + 1] + 0.1 * cos(7.7 * i);
	}
	make(&ds, 3, 40, xy);
	solve_ok(&ds, 0.5, &s);
	assert_int_equal(s.optimal, 1);
	assert_int_equal(s.rank, 2);
	assert_int_equal(s.aliased[1], 1);
	assert_int_equal(s.aliased[2], 0);
	assert_int_equal(s.aliased[3], 1);
	assert_true(s.w[1] == 0 && s.w[3] == 0);
	quantile_solution_free(&s);
	dataset_free(&ds);
}

/* 20000 rows (5 blocks): the same bits on 1 and 2 threads; errors. */
static void
threads_and_errors(void **state)
{
	size_t n = 20000;
	double *xy = malloc(n * 4 * sizeof(double));
	struct dataset ds;
	struct quantile_solution a, b;
	struct error e;
	uint64_t r = 42;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		for (int j = 0; j < 3; j++)
			xy[4 * i + j] = tu_unif(&r);
		xy[4 * i + 3] = 1 + xy[4 * i] - 2 * xy[4 * i + 1] +
		    log(tu_unif(&r) + 1e-300);
	}
	make(&ds, 3, n, xy);
	assert_int_equal(solve_quantile(&ds, 0.7, 1, &a, &e), 0);
	assert_int_equal(solve_quantile(&ds, 0.7, 2, &b, &e), 0);
	assert_int_equal(a.optimal, 1);
	assert_memory_equal(a.w, b.w, 4 * sizeof(double));
	assert_same_double(a.objective, b.objective);
	quantile_solution_free(&a);
	quantile_solution_free(&b);
	assert_int_equal(solve_quantile(&ds, 1, 1, &a, &e), -1);
	assert_int_equal(e.status, EXIT_USAGE);
	assert_int_equal(solve_quantile(&ds, 0, 1, &a, &e), -1);
	dataset_free(&ds);
	free(xy);
}

/* Mean pinball loss of weights w (intercept first) over ds, computed here. */
static double
pinball_mean(const struct dataset *ds, const double *w, double tau)
{
	double sum = 0;

	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);
		double r = x[ds->d] - w[0];

		for (size_t j = 0; j < ds->d; j++)
			r -= w[j + 1] * x[j];
		sum += r < 0 ? (tau - 1) * r : tau * r;
	}
	return sum / (double)ds->n;
}

/*
 * 150000 rows, past the size where the preprocessing (globbing) starts, with
 * skewed noise: optimal, the same bits on 1 and 2 threads, and no weight moved
 * by ±1e-6 (relative) lowers the loss as computed here; and with a column
 * that the sample cannot see.
 */
static void
preprocessing(void **state)
{
	size_t n = 150000;
	double *xy = malloc(n * 4 * sizeof(double));
	double taus[] = { 0.1, 0.5, 0.95 };
	struct dataset ds;
	struct quantile_solution a, b;
	struct error e;
	uint64_t r = 7;

	(void)state;
	for (size_t i = 0; i < n; i++) {
		xy[4 * i] = tu_normal(&r);
		xy[4 * i + 1] = 10 + 3 * tu_unif(&r);
		xy[4 * i + 2] = tu_below(&r, 5);
		xy[4 * i + 3] = 2 + xy[4 * i] + 0.5 * xy[4 * i + 1] -
		    xy[4 * i + 2] +
		    (1 + fabs(xy[4 * i])) * -log(1 - tu_unif(&r));
	}
	make(&ds, 3, n, xy);
	for (size_t t = 0; t < 3; t++) {
		double best;

		assert_int_equal(solve_quantile(&ds, taus[t], 1, &a, &e), 0);
		assert_int_equal(solve_quantile(&ds, taus[t], 2, &b, &e), 0);
		assert_int_equal(a.optimal, 1);
		assert_memory_equal(a.w, b.w, 4 * sizeof(double));
		best = pinball_mean(&ds, a.w, taus[t]);
		assert_rel(a.objective, best, 1e-13);
		for (size_t j = 0; j < 4; j++)
			for (int sign = -1; sign <= 1; sign += 2) {
				double w[4];

				memcpy(w, a.w, sizeof(w));
				w[j] += sign * 1e-6 * (1 + fabs(w[j]));
				assert_true(
				    pinball_mean(&ds, w, taus[t]) >= best);
			}
		quantile_solution_free(&a);
		quantile_solution_free(&b);
	}
	/* A column nonzero in 3 rows, which the sample misses: all rows. */
	for (size_t i = 0; i < n; i++)
		dataset_row(&ds, i)[2] = i == 10 || i == 20000 || i == 140000;
	assert_int_equal(solve_quantile(&ds, 0.5, 2, &a, &e), 0);
	assert_int_equal(a.optimal, 1);
	assert_int_equal(a.rank, 4);
	assert_rel(a.objective, pinball_mean(&ds, a.w, 0.5), 1e-13);
	quantile_solution_free(&a);
	dataset_free(&ds);
	free(xy);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matches_r),
		cmocka_unit_test(one_feature),
		cmocka_unit_test(constant_model),
		cmocka_unit_test(degenerate),
		cmocka_unit_test(constant_target),
		cmocka_unit_test(aliased_columns),
		cmocka_unit_test(threads_and_errors),
		cmocka_unit_test(preprocessing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
