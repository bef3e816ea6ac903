/*
 * test_weights.c: weighted least squares (solve_weighted) and its statistics
 * (stats_weighted_sums, stats_compute_weighted) against R's summary(lm(weights
 * =)) (tests/ref/r/wls_*, made by tests/ref/r/weights.R); a fit without an
 * intercept against NIST's certified NoInt1 and NoInt2; an interaction and a
 * raw cubic (terms_append) against R's lm(mpg ~ wt * hp + poly(disp, 3,
 * raw = TRUE)) (tests/ref/r/formula_mtcars.*, tests/ref/r/formula.R);
 * integer weights
 * against repeated rows, zero weights against dropped rows. Run from the
 * repository root (make test does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "category.h"
#include "dataset.h"
#include "scale.h"
#include "solve.h"
#include "stats.h"
#include "terms.h"
#include "testutil.h"
#include "refutil.h"

/* Every figure of R's within this, relative. */
#define WLS_REL 1e-6

/* NIST's certified values: at least 7 correct digits asked for. */
#define NOINT_REL 1e-7

/* Integer weights against repeated rows, zero weights against dropped rows. */
#define REPEAT_REL 1e-12

/* The identity scaler of d features: the statistics in the fit's units. */
static void
identity(struct scaler *sc, size_t d)
{
	memset(sc, 0, sizeof(*sc));
	sc->d = d;
	sc->mean = calloc(d + 1, sizeof(double));
	sc->sd = calloc(d + 1, sizeof(double));
	sc->shift = calloc(d + 1, sizeof(double));
	sc->scale = calloc(d + 1, sizeof(double));
	for (size_t j = 0; j < d; j++)
		sc->scale[j] = sc->sd[j] = 1;
}

/* Fit ds with row weights rw (NULL: none) into sol and st. */
static void
fit(const struct dataset *ds, const double *rw, int intercept,
    struct solution *sol, struct fit_stats *st)
{
	struct scaler sc;
	struct wls_sums sums;
	struct error e;

	if (solve_weighted(ds, 0, rw, intercept, 1, sol, &e) != 0)
		fail_msg("%s", e.msg);
	stats_weighted_sums(ds, sol->w, rw, intercept, &sums);
	identity(&sc, ds->d);
	assert_int_equal(stats_compute_weighted(sol, &sc, sol->w, &sums, 0.95,
			     st),
	    0);
	scaler_free(&sc);
}

/*
 * Compare with R's coef file (term, estimate, std_error, t, p) and fit file
 * (stat,value); prefix "wls_NAME" or "formula_NAME". Prints the worst
 * relative error.
 */
static void
check_r(const char *prefix, const struct fit_stats *st)
{
	char path[256];
	double ref[16 * 4], worst = 0;
	size_t rows, skip;
	static const char *const keys[] = { "residual_sd", "r_squared",
		"adj_r_squared", "f", "f_p" };
	const double got[] = { st->sigma, st->r2, st->adj_r2, st->f, st->f_p };

	snprintf(path, sizeof(path), "tests/ref/r/%s.coef.csv", prefix);
	rows = ref_rows(path, 4, ref, NULL, 16);
	/* Without an intercept R has no row for it, and descend's is NaN. */
	skip = st->p - rows;
	assert_true(skip == 0 || (skip == 1 && isnan(st->term[0].estimate)));
	for (size_t j = 0; j < rows; j++) {
		const struct term_stats *t = &st->term[j + skip];
		const double g[] = { t->estimate, t->std_error, t->t, t->p };

		for (size_t c = 0; c < 4; c++) {
			assert_rel(g[c], ref[j * 4 + c], WLS_REL);
			worst = fmax(worst, ref_relerr(g[c], ref[j * 4 + c]));
		}
	}
	snprintf(path, sizeof(path), "tests/ref/r/%s.fit.csv", prefix);
	for (size_t k = 0; k < 5; k++) {
		double want = ref_stat(path, keys[k]);

		assert_rel(got[k], want, WLS_REL);
		worst = fmax(worst, ref_relerr(got[k], want));
	}
	assert_rel(st->df, ref_stat(path, "df"), 0);
	assert_rel(st->f_df1, ref_stat(path, "f_df1"), 0);
	assert_rel(st->f_df2, ref_stat(path, "f_df2"), 0);
	if (!isnan(ref_stat(path, "nobs")))
		assert_rel((double)st->n, ref_stat(path, "nobs"), 0);
	if (!isnan(ref_stat(path, "rss"))) {
		assert_rel(st->rss, ref_stat(path, "rss"), WLS_REL);
		worst = fmax(worst, ref_relerr(st->rss, ref_stat(path, "rss")));
	}
	printf("%-22s worst relative error against R %.2e\n", prefix, worst);
}

/*
 * The path fit takes: features z-scored (scaler_fit, unweighted means and
 * sds, a reparametrisation only), the weighted solve on them, the sums at
 * the scaled weights, the figures mapped back to input units by the scaler.
 */
static void
scaled(const struct dataset *ds, const double *rw, const char *prefix)
{
	struct dataset copy;
	struct scaler sc;
	struct solution sol;
	struct wls_sums sums;
	struct fit_stats st;
	struct error e;

	dataset_init(&copy, ds->d, (const char *const *)ds->names);
	for (size_t i = 0; i < ds->n; i++)
		memcpy(dataset_add_row(&copy), dataset_row(ds, i),
		    (ds->d + 1) * sizeof(double));
	assert_int_equal(scaler_fit(&sc, &copy, SCALE_ZSCORE, 1, &e), 0);
	scaler_apply(&sc, &copy, 1);
	assert_int_equal(solve_weighted(&copy, 0, rw, 1, 2, &sol, &e), 0);
	stats_weighted_sums(&copy, sol.w, rw, 1, &sums);
	assert_int_equal(stats_compute_weighted(&sol, &sc, sol.w, &sums, 0.95,
			     &st),
	    0);
	printf("(z-scored) ");
	check_r(prefix, &st);
	fit_stats_free(&st);
	solution_free(&sol);
	scaler_free(&sc);
	dataset_free(&copy);
}

/* Read path's target and features, and the weight column out of them. */
static double *
read_weighted(const char *path, const char *target, const char *features,
    struct dataset *ds)
{
	ref_read(path, target, features, NULL, ds);
	return ref_take_column(ds, ds->d - 1);
}

static void
wls(const char *name, const char *path, const char *target,
    const char *features, int intercept)
{
	struct dataset ds;
	struct solution sol;
	struct fit_stats st;
	char prefix[64];
	double *rw = read_weighted(path, target, features, &ds);

	fit(&ds, rw, intercept, &sol, &st);
	snprintf(prefix, sizeof(prefix), "wls_%s", name);
	check_r(prefix, &st);
	fit_stats_free(&st);
	solution_free(&sol);
	if (intercept)
		scaled(&ds, rw, prefix);
	free(rw);
	dataset_free(&ds);
}

static void
test_state(void **state)
{
	(void)state;
	wls("state", "data/state.csv", "Murder",
	    "Illiteracy,Income,HS.Grad,Frost,Population", 1);
}

static void
test_state48(void **state)
{
	(void)state;
	wls("state48", "data/state.csv", "Murder",
	    "Illiteracy,Income,HS.Grad,Frost,pop48", 1);
}

static void
test_state_noint(void **state)
{
	(void)state;
	wls("state_noint", "data/state.csv", "Murder",
	    "Illiteracy,Income,HS.Grad,Frost,Population", 0);
}

static void
test_menarche(void **state)
{
	(void)state;
	wls("menarche", "data/menarche.csv", "prop", "Age,Total", 1);
}

static void
test_quakes(void **state)
{
	(void)state;
	wls("quakes", "data/quakes.csv", "mag", "lat,long,depth,stations", 1);
}

/*
 * Integer weights give the fit of the rows repeated that many times: the same
 * weights, rss and (RᵀR)⁻¹ (the degrees of freedom differ: R counts rows, not
 * weights, and so does descend). The summation order differs, so equality is
 * to rounding: REPEAT_REL.
 */
static void
repeated(const char *path, const char *target, const char *features)
{
	struct dataset ds, rep;
	struct solution a, b;
	struct error e;
	double *rw = read_weighted(path, target, features, &ds), worst = 0;

	dataset_init(&rep, ds.d, (const char *const *)ds.names);
	for (size_t i = 0; i < ds.n; i++)
		for (double c = 0; c < rw[i]; c++)
			memcpy(dataset_add_row(&rep), dataset_row(&ds, i),
			    (ds.d + 1) * sizeof(double));
	assert_int_equal(solve_weighted(&ds, 0, rw, 1, 1, &a, &e), 0);
	assert_int_equal(solve_least_squares(&rep, 0, 1, &b, &e), 0);
	assert_rel(a.weight_sum, (double)rep.n, 0);
	for (size_t j = 0; j < a.p; j++) {
		assert_rel(a.w[j], b.w[j], REPEAT_REL);
		worst = fmax(worst, ref_relerr(a.w[j], b.w[j]));
		for (size_t k = 0; k < a.p; k++) {
			double x = a.cov[j * a.p + k], y = b.cov[j * a.p + k];

			assert_rel(x, y, REPEAT_REL);
			worst = fmax(worst, ref_relerr(x, y));
		}
	}
	assert_rel(a.rss, b.rss, REPEAT_REL);
	worst = fmax(worst, ref_relerr(a.rss, b.rss));
	printf("%-22s %zu rows as %zu: worst relative difference %.2e\n", path,
	    ds.n, rep.n, worst);
	solution_free(&a);
	solution_free(&b);
	dataset_free(&rep);
	dataset_free(&ds);
	free(rw);
}

static void
test_repeated(void **state)
{
	(void)state;
	repeated("data/menarche.csv", "prop", "Age,Total");
	repeated("data/quakes.csv", "mag", "lat,long,depth,stations");
}

/* Zero weights: the fit of the other rows, n and df of the other rows. */
static void
test_zero_weights(void **state)
{
	struct dataset ds, kept;
	struct solution a, b;
	struct fit_stats sa, sb;
	double *rw;

	(void)state;
	rw = read_weighted("data/state.csv", "Murder",
	    "Illiteracy,Income,HS.Grad,Frost,pop48", &ds);
	dataset_init(&kept, ds.d, (const char *const *)ds.names);
	for (size_t i = 0; i < ds.n; i++)
		if (rw[i] != 0)
			memcpy(dataset_add_row(&kept), dataset_row(&ds, i),
			    (ds.d + 1) * sizeof(double));
	{
		double *kw = calloc(kept.n, sizeof(double));

		for (size_t i = 0, m = 0; i < ds.n; i++)
			if (rw[i] != 0)
				kw[m++] = rw[i];
		fit(&ds, rw, 1, &a, &sa);
		fit(&kept, kw, 1, &b, &sb);
		free(kw);
	}
	assert_int_equal(a.n, 50);
	assert_int_equal(a.nonzero, 48);
	assert_int_equal(sa.n, 48);
	assert_rel(sa.df, sb.df, 0);
	for (size_t j = 0; j < a.p; j++) {
		assert_rel(sa.term[j].estimate, sb.term[j].estimate,
		    REPEAT_REL);
		assert_rel(sa.term[j].std_error, sb.term[j].std_error,
		    REPEAT_REL);
	}
	assert_rel(sa.r2, sb.r2, REPEAT_REL);
	fit_stats_free(&sa);
	fit_stats_free(&sb);
	solution_free(&a);
	solution_free(&b);
	dataset_free(&kept);
	dataset_free(&ds);
	free(rw);
}

/* Weights all 1 are no weights, bit for bit; a negative weight an error. */
static void
test_unit_weights(void **state)
{
	struct dataset ds;
	struct solution a, b;
	struct error e;
	double *rw;

	(void)state;
	ref_read("data/Boston.csv", "medv", NULL, NULL, &ds);
	rw = calloc(ds.n, sizeof(double));
	for (size_t i = 0; i < ds.n; i++)
		rw[i] = 1;
	assert_int_equal(solve_weighted(&ds, 0.01, rw, 1, 2, &a, &e), 0);
	assert_int_equal(solve_least_squares(&ds, 0.01, 2, &b, &e), 0);
	for (size_t j = 0; j < a.p; j++)
		assert_same_double(a.w[j], b.w[j]);
	for (size_t j = 0; j < a.p * a.p; j++)
		assert_same_double(a.cov[j], b.cov[j]);
	assert_same_double(a.rss, b.rss);
	assert_same_double(a.objective, b.objective);
	solution_free(&a);
	solution_free(&b);
	rw[7] = -1;
	assert_int_equal(solve_weighted(&ds, 0, rw, 1, 1, &a, &e), -1);
	assert_contains(e.msg, "row 8's weight is -1");
	rw[7] = (double)NAN;
	assert_int_equal(solve_weighted(&ds, 0, rw, 1, 1, &a, &e), -1);
	memset(rw, 0, ds.n * sizeof(double));
	assert_int_equal(solve_weighted(&ds, 0, rw, 1, 1, &a, &e), -1);
	assert_contains(e.msg, "sum to 0");
	free(rw);
	dataset_free(&ds);
}

/*
 * Without weights, stats_compute_weighted gives stats_compute's figures (R²
 * as mss / (mss + rss) rather than 1 − rss / tss: the same up to rounding)
 * on R's summary(lm) files, here Boston's.
 */
static void
test_unweighted(void **state)
{
	struct dataset ds;
	struct solution sol;
	struct fit_stats a, b;
	struct scaler sc;
	struct wls_sums sums;
	struct error e;

	(void)state;
	ref_read("data/Boston.csv", "medv", NULL, NULL, &ds);
	assert_int_equal(scaler_fit(&sc, &ds, SCALE_ZSCORE, 1, &e), 0);
	scaler_apply(&sc, &ds, 1);
	assert_int_equal(solve_least_squares(&ds, 0, 1, &sol, &e), 0);
	assert_int_equal(stats_compute(&sol, &sc, sol.w, &ds, 0.95, &a, &e), 0);
	stats_weighted_sums(&ds, sol.w, NULL, 1, &sums);
	assert_int_equal(stats_compute_weighted(&sol, &sc, sol.w, &sums, 0.95,
			     &b),
	    0);
	assert_int_equal(a.n, b.n);
	assert_rel(a.df, b.df, 0);
	assert_rel(a.rss, b.rss, 1e-13);
	assert_rel(a.sigma, b.sigma, 1e-13);
	assert_rel(a.r2, b.r2, 1e-13);
	assert_rel(a.adj_r2, b.adj_r2, 1e-13);
	assert_rel(a.f, b.f, 1e-12);
	assert_rel(a.f_p, b.f_p, 1e-10);
	for (size_t j = 0; j < a.p; j++) {
		assert_same_double(a.term[j].estimate, b.term[j].estimate);
		assert_rel(a.term[j].std_error, b.term[j].std_error, 1e-13);
		assert_rel(a.term[j].p, b.term[j].p, 1e-10);
	}
	fit_stats_free(&a);
	fit_stats_free(&b);
	solution_free(&sol);
	scaler_free(&sc);
	dataset_free(&ds);
}

/* NIST NoInt1, NoInt2: y = B1·x, no intercept; the certified figures. */
static void
noint(const char *name)
{
	struct dataset ds;
	struct solution sol;
	struct fit_stats st;
	char path[256], data[256];
	double cert[2], lre = 15;

	snprintf(data, sizeof(data), "data/nist/%s.csv", name);
	ref_read(data, "y", NULL, NULL, &ds);
	fit(&ds, NULL, 0, &sol, &st);
	assert_int_equal(sol.rank, 1);
	assert_true(sol.aliased[0]);
	assert_true(isnan(st.term[0].estimate));
	snprintf(path, sizeof(path), "tests/ref/nist/%s.csv", name);
	assert_int_equal(ref_rows(path, 2, cert, NULL, 1), 1);
	assert_rel(st.term[1].estimate, cert[0], NOINT_REL);
	assert_rel(st.term[1].std_error, cert[1], NOINT_REL);
	lre = fmin(lre, -log10(ref_relerr(st.term[1].estimate, cert[0])));
	lre = fmin(lre, -log10(ref_relerr(st.term[1].std_error, cert[1])));
	snprintf(path, sizeof(path), "tests/ref/nist/%s.stats.csv", name);
	assert_rel(st.sigma, ref_stat(path, "residual_sd"), NOINT_REL);
	assert_rel(st.r2, ref_stat(path, "r_squared"), NOINT_REL);
	assert_rel(st.df, ref_stat(path, "df"), 0);
	lre = fmin(lre,
	    -log10(ref_relerr(st.sigma, ref_stat(path, "residual_sd"))));
	lre = fmin(lre, -log10(ref_relerr(st.r2, ref_stat(path, "r_squared"))));
	printf("%-22s smallest LRE (B1, its sd, residual sd, R²) %.1f\n", name,
	    lre);
	fit_stats_free(&st);
	solution_free(&sol);
	dataset_free(&ds);
}

static void
test_noint(void **state)
{
	(void)state;
	noint("noint1");
	noint("noint2");
}

/*
 * lm(mpg ~ wt * hp + poly(disp, 3, raw = TRUE)): the columns wt, hp, disp,
 * disp², disp³, wt·hp, in R's order, made by terms_append.
 */
static void
test_formula(void **state)
{
	static const char *const names[] = { "wt", "hp", "disp", "disp^2",
		"disp^3", "wt*hp", "mpg" };
	const struct term_product t[] = { { 2, { 2, 2 } }, { 3, { 2, 2, 2 } },
		{ 2, { 1, 0 } } };
	struct dataset ds, x;
	struct solution sol;
	struct fit_stats st;
	struct error e;

	(void)state;
	ref_read("data/mtcars.csv", "mpg", "wt,hp,disp", NULL, &ds);
	if (terms_append(&ds, t, 3, &x, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(x.d, 6);
	for (size_t j = 0; j <= x.d; j++)
		assert_string_equal(x.names[j], names[j]);
	for (size_t i = 0; i < ds.n; i++) {
		const double *r = dataset_row(&ds, i), *o = dataset_row(&x, i);

		assert_same_double(o[3], r[2] * r[2]);
		assert_same_double(o[4], r[2] * r[2] * r[2]);
		assert_same_double(o[5], r[0] * r[1]);
		assert_same_double(o[6], r[3]);
	}
	fit(&x, NULL, 1, &sol, &st);
	check_r("formula_mtcars", &st);
	fit_stats_free(&st);
	solution_free(&sol);
	dataset_free(&x);
	dataset_free(&ds);
}

/* Names of mixed products, and the products terms_append refuses. */
static void
test_terms(void **state)
{
	static const char *const names[] = { "a", "b", "c", "y" };
	const struct term_product mixed = { 4, { 2, 0, 2, 0 } };
	const struct term_product one = { 1, { 0 } }, far = { 2, { 0, 3 } };
	const struct term_product twice[] = { { 2, { 0, 1 } },
		{ 2, { 1, 0 } } };
	struct dataset ds, out;
	struct error e;
	char *name;
	double *r;

	(void)state;
	dataset_init(&ds, 3, names);
	r = dataset_add_row(&ds);
	r[0] = 2;
	r[1] = 3;
	r[2] = 5;
	r[3] = 7;
	name = term_name(&ds, &mixed);
	assert_string_equal(name, "a^2*c^2");
	free(name);
	assert_int_equal(terms_append(&ds, &mixed, 1, &out, &e), 0);
	assert_same_double(dataset_row(&out, 0)[3], 100);
	assert_same_double(dataset_row(&out, 0)[4], 7);
	dataset_free(&out);
	assert_int_equal(terms_append(&ds, &one, 1, &out, &e), -1);
	assert_int_equal(e.status, EXIT_USAGE);
	assert_int_equal(terms_append(&ds, &far, 1, &out, &e), -1);
	assert_contains(e.msg, "out of range");
	assert_int_equal(terms_append(&ds, twice, 2, &out, &e), -1);
	assert_contains(e.msg, "the term a*b is given twice");
	r[0] = 1e200;
	assert_int_equal(terms_append(&ds, twice, 1, &out, &e), 0);
	dataset_free(&out);
	r[1] = 1e200;
	assert_int_equal(terms_append(&ds, twice, 1, &out, &e), -1);
	assert_contains(e.msg, "overflows");
	dataset_free(&ds);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_state48),
		cmocka_unit_test(test_state_noint),
		cmocka_unit_test(test_menarche),
		cmocka_unit_test(test_quakes),
		cmocka_unit_test(test_repeated),
		cmocka_unit_test(test_zero_weights),
		cmocka_unit_test(test_unit_weights),
		cmocka_unit_test(test_unweighted),
		cmocka_unit_test(test_noint),
		cmocka_unit_test(test_formula),
		cmocka_unit_test(test_terms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
