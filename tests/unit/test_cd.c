/*
 * test_cd.c: coordinate descent for the elastic net (cd.h) and the path
 * (path.h) against closed forms. Two standardized features: uncorrelated, each
 * weight is the soft-thresholded covariance over 1 + b; correlated, the
 * solution solves (G + bI)β = c − a·sign(β) on its nonzero set, and a weight
 * is 0 where |c_j − (Gβ)_j| ≤ a. The moments of rows by hand; λ_max zeroes
 * every weight and anything below it does not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cd.h"
#include "dataset.h"
#include "failure.h"
#include "path.h"

/* A problem of two standardized features, correlation rho, covariances c. */
static void
two_features(struct cd_problem *pb, double rho, double c1, double c2)
{
	pb->p = 2;
	pb->n = 100;
	pb->gram = xmalloc(4 * sizeof(double));
	pb->cov = xmalloc(2 * sizeof(double));
	pb->xbar = xcalloc(2, sizeof(double));
	pb->scale = xmalloc(2 * sizeof(double));
	pb->gram[0] = pb->gram[3] = 1;
	pb->gram[1] = pb->gram[2] = rho;
	pb->cov[0] = c1;
	pb->cov[1] = c2;
	pb->scale[0] = pb->scale[1] = 1;
	pb->ybar = 0;
	pb->yvar = 1;
}

static double
soft(double z, double t)
{
	return z > t ? z - t : z < -t ? z + t : 0;
}

static void
near(double got, double want)
{
	if (!(fabs(got - want) <= 1e-12 * fmax(1, fabs(want))))
		fail_msg("%.17g, expected %.17g", got, want);
}

static void
uncorrelated_is_soft_thresholding(void **state)
{
	static const double a[] = { 0, 0.1, 0.25, 0.6 };
	static const double b[] = { 0, 0.5, 2 };
	struct cd_problem pb;

	(void)state;
	two_features(&pb, 0, 0.5, -0.2);
	for (size_t i = 0; i < 4; i++)
		for (size_t k = 0; k < 3; k++) {
			double beta[2] = { 0, 0 };
			struct cd_stats st;

			cd_solve(&pb, a[i], b[k], beta, 1000, &st);
			assert_true(st.converged);
			near(beta[0], soft(0.5, a[i]) / (1 + b[k]));
			near(beta[1], soft(-0.2, a[i]) / (1 + b[k]));
		}
	cd_free(&pb);
}

static void
correlated_lasso_drops_the_weaker(void **state)
{
	struct cd_problem pb;
	double beta[2] = { 0, 0 };
	struct cd_stats st;

	(void)state;
	/* |c2 − ρ·β1| = |0.3 − 0.5·0.7| = 0.05 ≤ a: β2 = 0, β1 = S(0.8, a) */
	two_features(&pb, 0.5, 0.8, 0.3);
	cd_solve(&pb, 0.1, 0, beta, 1000, &st);
	assert_true(st.converged);
	near(beta[0], 0.7);
	assert_true(beta[1] == 0);
	cd_free(&pb);
}

static void
correlated_both_active_solve_the_system(void **state)
{
	struct cd_problem pb;
	double a = 0.1, b = 0.3, rho = 0.5;
	double r1 = 0.8 - a, r2 = -0.3 + a; /* c − a·sign(β), signs (+, −) */
	double det = (1 + b) * (1 + b) - rho * rho;
	double want1 = ((1 + b) * r1 - rho * r2) / det;
	double want2 = ((1 + b) * r2 - rho * r1) / det;
	double beta[2] = { 0, 0 };
	struct cd_stats st;

	(void)state;
	two_features(&pb, rho, 0.8, -0.3);
	cd_solve(&pb, a, b, beta, 10000, &st);
	assert_true(st.converged);
	assert_true(want1 > 0 && want2 < 0);
	near(beta[0], want1);
	near(beta[1], want2);
	/* from a warm start elsewhere, the same optimum */
	beta[0] = -3;
	beta[1] = 2;
	cd_solve(&pb, a, b, beta, 10000, &st);
	near(beta[0], want1);
	near(beta[1], want2);
	cd_free(&pb);
}

/* rows (x1, x2, y): (1, 0, 1), (2, 1, 3), (3, 5, 2), (6, 2, 6) */
static void
four_rows(struct dataset *ds)
{
	static const char *const names[] = { "x1", "x2", "y" };
	static const double v[4][3] = { { 1, 0, 1 }, { 2, 1, 3 }, { 3, 5, 2 },
		{ 6, 2, 6 } };

	dataset_init(ds, 2, names);
	for (size_t i = 0; i < 4; i++)
		memcpy(dataset_add_row(ds), v[i], sizeof(v[i]));
}

static void
moments_by_hand(void **state)
{
	struct dataset ds;
	struct cd_problem pb;
	size_t rows[3] = { 3, 0, 1 };

	(void)state;
	four_rows(&ds);
	cd_moments(&pb, &ds, NULL, ds.n);
	/* x̄ = (3, 2), ȳ = 3; deviations x1 (−2, −1, 0, 3), x2 (−2, −1, 3, 0),
	 * y (−2, 0, −1, 3) */
	near(pb.xbar[0], 3);
	near(pb.xbar[1], 2);
	near(pb.ybar, 3);
	near(pb.gram[0], 14.0 / 4);
	near(pb.gram[1], 5.0 / 4);
	near(pb.gram[2], 5.0 / 4);
	near(pb.gram[3], 14.0 / 4);
	near(pb.cov[0], 13.0 / 4);
	near(pb.cov[1], 1.0 / 4);
	near(pb.yvar, 14.0 / 4);
	cd_standardize(&pb);
	near(pb.scale[0], sqrt(14.0 / 4));
	near(pb.gram[0], 1);
	near(pb.gram[1], 5.0 / 14);
	near(pb.cov[0], 13.0 / 4 / sqrt(14.0 / 4));
	cd_free(&pb);
	/* a subset of rows: (6, 2, 6), (1, 0, 1), (2, 1, 3) */
	cd_moments(&pb, &ds, rows, 3);
	near(pb.xbar[0], 3);
	near(pb.xbar[1], 1);
	near(pb.ybar, 10.0 / 3);
	cd_free(&pb);
	dataset_free(&ds);
}

static void
lambda_max_zeroes_every_weight(void **state)
{
	struct dataset ds;
	struct path pt;
	struct error e;
	struct path_options o = { .alpha = 1,
		.nlambda = 5,
		.min_ratio = 0.5,
		.max_sweeps = 10000 };
	struct cd_problem pb;
	double beta[2] = { 0, 0 }, lmax;
	struct cd_stats st;

	(void)state;
	four_rows(&ds);
	assert_int_equal(path_fit(&ds, &o, NULL, 0, &pt, &e), 0);
	assert_int_equal(pt.nlambda, 5);
	/* λ_max = max_j |z_jᵀ(y − ȳ)| / n on z-scored features */
	cd_moments(&pb, &ds, NULL, ds.n);
	cd_standardize(&pb);
	lmax = fmax(fabs(pb.cov[0]), fabs(pb.cov[1]));
	near(pt.lambda[0], lmax);
	near(pt.lambda[4], lmax * 0.5);
	assert_int_equal(pt.nonzero[0], 0);
	cd_solve(&pb, lmax, 0, beta, 1000, &st);
	assert_true(beta[0] == 0 && beta[1] == 0);
	cd_solve(&pb, lmax * (1 - 1e-9), 0, beta, 1000, &st);
	assert_true(beta[0] != 0);
	assert_int_equal(pt.nonzero[1], 1);
	cd_free(&pb);
	path_free(&pt);
	dataset_free(&ds);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uncorrelated_is_soft_thresholding),
		cmocka_unit_test(correlated_lasso_drops_the_weaker),
		cmocka_unit_test(correlated_both_active_solve_the_system),
		cmocka_unit_test(moments_by_hand),
		cmocka_unit_test(lambda_max_zeroes_every_weight),
	};

	return cmocka_run_group_tests_name("cd", tests, NULL, NULL);
}
