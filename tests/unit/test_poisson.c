/*
 * test_poisson.c: Poisson regression (glm_poisson, log link, offset, prior
 * weights) against R's glm(family = poisson, control = glm.control(epsilon =
 * 1e-15, maxit = 100)) on data/Insurance.csv and data/warpbreaks.csv, R's
 * figures in tests/ref/r/poisson_NAME.{coef,fit,mle}.csv (made by
 * tests/ref/r/poisson.R); the loss functions against the deviance. Run from
 * the repository root (make test does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "category.h"
#include "dataset.h"
#include "glm.h"
#include "scale.h"
#include "stats.h"
#include "testutil.h"
#include "refutil.h"

/*
 * Every figure within this of R's, relative; R's standard errors come from
 * the QR of its last iteration (weights of the iterate before), those at the
 * estimate itself (poisson_NAME.mle.csv) agree to POIS_MLE_REL.
 */
#define POIS_REL 1e-6
#define POIS_MLE_REL 1e-10

/*
 * Fit ds (offset, prior weights: NULL for none) and compare with R's
 * poisson_NAME: the terms' names, estimates, standard errors, z and p (through
 * stats_compute_logistic, the normal's figures), the deviances, their df, the
 * AIC and the mean Poisson deviance of the fitted means.
 */
static void
check(const char *name, const struct dataset *ds, const double *offset,
    const double *prior, int intercept, int zscore)
{
	struct glm_fit g;
	struct fit_stats st;
	struct scaler sc;
	struct error e;
	char path[256], terms[16][64];
	double ref[16 * 4], mle[16], worst = 0, mean, *y, *mu;
	size_t rows, skip = intercept ? 0 : 1;
	static const char *const keys[] = { "deviance", "null_deviance",
		"aic" };

	struct dataset copy;

	/* The fit on a copy, z-scored if asked (as fit scales the features). */
	dataset_init(&copy, ds->d, (const char *const *)ds->names);
	for (size_t i = 0; i < ds->n; i++)
		memcpy(dataset_add_row(&copy), dataset_row(ds, i),
		    (ds->d + 1) * sizeof(double));
	assert_int_equal(scaler_fit(&sc, &copy,
			     zscore ? SCALE_ZSCORE : SCALE_NONE, 1, &e),
	    0);
	scaler_apply(&sc, &copy, 1);
	if (glm_poisson(&copy, offset, prior, intercept, &g, &e) != 0)
		fail_msg("%s", e.msg);
	assert_true(g.converged);
	assert_int_equal(g.rank, g.p - skip);
	assert_int_equal(stats_compute_logistic(&g, &sc, 0.95, &st), 0);
	snprintf(path, sizeof(path), "tests/ref/r/poisson_%s.coef.csv", name);
	rows = ref_rows(path, 4, ref, terms, 16);
	assert_int_equal(rows + skip, g.p);
	if (skip)
		assert_true(isnan(st.term[0].estimate));
	for (size_t j = 0; j < rows; j++) {
		const struct term_stats *t = &st.term[j + skip];
		const double got[] = { t->estimate, t->std_error, t->t, t->p };

		if (j + skip > 0)
			assert_string_equal(ds->names[j + skip - 1], terms[j]);
		for (size_t c = 0; c < 4; c++) {
			assert_rel(got[c], ref[j * 4 + c], POIS_REL);
			worst = fmax(worst, ref_relerr(got[c], ref[j * 4 + c]));
		}
	}
	snprintf(path, sizeof(path), "tests/ref/r/poisson_%s.mle.csv", name);
	assert_int_equal(ref_rows(path, 1, mle, NULL, 16), rows);
	for (size_t j = 0; j < rows; j++)
		assert_rel(st.term[j + skip].std_error, mle[j], POIS_MLE_REL);
	snprintf(path, sizeof(path), "tests/ref/r/poisson_%s.fit.csv", name);
	{
		const double got[] = { g.deviance, g.null_deviance, g.aic };

		for (size_t k = 0; k < 3; k++) {
			double want = ref_stat(path, keys[k]);

			assert_rel(got[k], want, POIS_REL);
			worst = fmax(worst, ref_relerr(got[k], want));
		}
	}
	assert_rel(g.df, ref_stat(path, "df"), 0);
	assert_rel(g.null_df, ref_stat(path, "null_df"), 0);
	assert_rel((double)g.n, ref_stat(path, "n"), 0);
	/* The deviance again from the fitted means, and its mean. */
	y = calloc(ds->n, sizeof(double));
	mu = calloc(ds->n, sizeof(double));
	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(&copy, i);
		double eta =
		    g.beta[0] + (offset ? offset[i] : 0); /* 0 if none */

		for (size_t j = 0; j < ds->d; j++)
			eta += g.beta[j + 1] * x[j];
		y[i] = x[ds->d];
		mu[i] = exp(eta);
	}
	assert_rel(glm_poisson_deviance(y, mu, prior, ds->n, &mean), g.deviance,
	    1e-12);
	assert_rel(mean, ref_stat(path, "mean_deviance"), POIS_REL);
	worst = fmax(worst, ref_relerr(mean, ref_stat(path, "mean_deviance")));
	printf("poisson_%-14s%s worst relative error against R %.2e "
	       "(%u iterations, R %g)\n",
	    name, zscore ? " (z-scored)" : "", worst, g.iterations,
	    ref_stat(path, "iterations"));
	free(y);
	free(mu);
	scaler_free(&sc);
	fit_stats_free(&st);
	glm_fit_free(&g);
	dataset_free(&copy);
}

/* Insurance: Claims ~ District + Group + Age, offset log(Holders). */
static double *
insurance(struct dataset *ds)
{
	double *offset;

	ref_read("data/Insurance.csv", "Claims", "District,Group,Age,Holders",
	    "District,Group,Age", ds);
	offset = ref_take_column(ds, ds->d - 1);
	for (size_t i = 0; i < ds->n; i++)
		offset[i] = log(offset[i]);
	return offset;
}

static void
test_insurance(void **state)
{
	struct dataset ds;
	double *offset;

	(void)state;
	offset = insurance(&ds);
	assert_int_equal(ds.n, 64);
	check("insurance", &ds, offset, NULL, 1, 0);
	check("insurance", &ds, offset, NULL, 1, 1);
	check("insurance_noint", &ds, offset, NULL, 0, 0);
	free(offset);
	dataset_free(&ds);
}

/* Prior weights 1, 2, 3, 0, 2 over and over: every fifth row left out. */
static void
test_insurance_weights(void **state)
{
	static const double cycle[] = { 1, 2, 3, 0, 2 };
	struct dataset ds;
	double *offset, *prior;

	(void)state;
	offset = insurance(&ds);
	prior = calloc(ds.n, sizeof(double));
	for (size_t i = 0; i < ds.n; i++)
		prior[i] = cycle[i % 5];
	check("insurance_w", &ds, offset, prior, 1, 0);
	check("insurance_w", &ds, offset, prior, 1, 1);
	free(prior);
	free(offset);
	dataset_free(&ds);
}

static void
test_warpbreaks(void **state)
{
	struct dataset ds;

	(void)state;
	ref_read("data/warpbreaks.csv", "breaks", "wool,tension",
	    "wool,tension", &ds);
	check("warpbreaks", &ds, NULL, NULL, 1, 0);
	check("warpbreaks", &ds, NULL, NULL, 1, 1);
	dataset_free(&ds);
}

/*
 * Integer prior weights are repeated rows: the same estimates and deviance;
 * and no intercept with a zero offset fits log μ = βᵀx.
 */
static void
test_repeated(void **state)
{
	static const double cycle[] = { 1, 2, 3, 0, 2 };
	struct dataset ds, rep;
	struct glm_fit a, b;
	struct error e;
	double *offset, *prior, *roff;

	(void)state;
	offset = insurance(&ds);
	prior = calloc(ds.n, sizeof(double));
	roff = calloc(3 * ds.n, sizeof(double));
	dataset_init(&rep, ds.d, (const char *const *)ds.names);
	for (size_t i = 0; i < ds.n; i++) {
		prior[i] = cycle[i % 5];
		for (double c = 0; c < prior[i]; c++) {
			roff[rep.n] = offset[i];
			memcpy(dataset_add_row(&rep), dataset_row(&ds, i),
			    (ds.d + 1) * sizeof(double));
		}
	}
	assert_int_equal(glm_poisson(&ds, offset, prior, 1, &a, &e), 0);
	assert_int_equal(glm_poisson(&rep, roff, NULL, 1, &b, &e), 0);
	for (size_t j = 0; j < a.p; j++) {
		assert_rel(a.beta[j], b.beta[j], 1e-12);
		assert_rel(a.cov[j * a.p + j], b.cov[j * a.p + j], 1e-12);
	}
	assert_rel(a.deviance, b.deviance, 1e-12);
	assert_rel(a.null_deviance, b.null_deviance, 1e-12);
	assert_rel(a.aic, b.aic, 1e-12);
	glm_fit_free(&a);
	glm_fit_free(&b);
	free(roff);
	free(prior);
	free(offset);
	dataset_free(&rep);
	dataset_free(&ds);
}

/* Bad input: a negative count, a negative weight. */
static void
test_errors(void **state)
{
	static const char *const names[] = { "x", "y" };
	struct dataset ds;
	struct glm_fit g;
	struct error e;
	double prior[3] = { 1, -1, 1 };

	(void)state;
	dataset_init(&ds, 1, names);
	for (int i = 0; i < 3; i++) {
		double *r = dataset_add_row(&ds);

		r[0] = i;
		r[1] = i;
	}
	assert_int_equal(glm_poisson(&ds, NULL, prior, 1, &g, &e), -1);
	assert_contains(e.msg, "row 2's weight is -1");
	dataset_row(&ds, 2)[1] = -2;
	assert_int_equal(glm_poisson(&ds, NULL, NULL, 1, &g, &e), -1);
	assert_contains(e.msg, "row 3's target is -2");
	dataset_free(&ds);
}

/* 2·(loss + constant) is the unit deviance; the gradient its derivative. */
static void
test_loss(void **state)
{
	static const double ys[] = { 0, 1, 3, 17.5 };

	(void)state;
	for (size_t k = 0; k < 4; k++)
		for (double z = -3; z <= 4; z += 0.5) {
			double y = ys[k], mu = exp(z), dev, h = 1e-6;

			glm_poisson_deviance(&y, &mu, NULL, 1, &dev);
			assert_near(2 *
				(glm_poisson_loss(z, y) +
				    glm_poisson_constant(y)),
			    dev, 1e-12 * (1 + dev));
			assert_near(glm_poisson_gradient(z, y),
			    (glm_poisson_loss(z + h, y) -
				glm_poisson_loss(z - h, y)) /
				(2 * h),
			    1e-6 * (1 + mu + y));
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insurance),
		cmocka_unit_test(test_insurance_weights),
		cmocka_unit_test(test_warpbreaks),
		cmocka_unit_test(test_repeated),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_loss),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
