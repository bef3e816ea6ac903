/*
 * test_glm.c: logistic regression by Newton's method (glm.c) against R's
 * glm(family = binomial, control = glm.control(epsilon = 1e-15, maxit = 100))
 * on the files of data/, R's figures in tests/ref/r/glm_NAME.{coef,fit,mle}.csv
 * (made by tests/ref/r/glm.R); and the checks for separated classes on R's
 * separated examples. Run from the repository root (make test does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "category.h"
#include "dataset.h"
#include "dist.h"
#include "glm.h"
#include "table.h"
#include "testutil.h"

/*
 * Every figure within this of R's, relative. R's standard errors come from the
 * QR of its last iteration, with the weights of the iterate before; the
 * information at the estimate itself (glm_NAME.mle.csv) agrees to GLM_MLE_REL.
 */
#define GLM_REL 1e-6
#define GLM_MLE_REL 1e-11

/*
 * Read path (target a class label, as -l logistic reads it: its sorted labels
 * 0 and 1) into ds; rows with a missing cell left out.
 */
static void
read_data(const char *path, const char *target, const char *features,
    struct dataset *ds)
{
	struct category labels;
	struct table_options o = { .name = path,
		.delimiter = ',',
		.header = 1,
		.target = target,
		.features = features,
		.missing = MISSING_DROP,
		.labels = &labels };
	struct error e;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	memset(ds, 0, sizeof(*ds));
	if (table_read(fd, &o, ds, &e) != 0)
		fail_msg("%s", e.msg);
	close(fd);
	category_free(&labels);
}

/* The value of key in R's stat,value file. */
static double
ref_stat(const char *name, const char *key)
{
	char path[256], line[512];
	FILE *f;
	double v = (double)NAN;

	snprintf(path, sizeof(path), "tests/ref/r/glm_%s.fit.csv", name);
	assert_non_null(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL) {
		char *comma = strchr(line, ',');

		if (comma != NULL && (size_t)(comma - line) == strlen(key) &&
		    strncmp(line, key, strlen(key)) == 0)
			v = strtod(comma + 1, NULL);
	}
	fclose(f);
	return v;
}

/*
 * Fit ds and compare with R's glm_NAME: per term (in order) the estimate,
 * standard error, z and p; the deviances, their df and the AIC.
 */
static void
check_fit(const char *name, const struct dataset *ds)
{
	struct glm_fit g;
	struct error e;
	char path[256], line[512];
	FILE *f;
	size_t j = 0;

	if (glm_logistic(ds, &g, &e) != 0)
		fail_msg("%s", e.msg);
	assert_true(g.converged);
	assert_int_equal(g.separated, GLM_OVERLAP);
	assert_int_equal(g.rank, g.p);
	snprintf(path, sizeof(path), "tests/ref/r/glm_%s.coef.csv", name);
	assert_non_null(f = fopen(path, "r"));
	assert_non_null(fgets(line, sizeof(line), f)); /* header */
	while (fgets(line, sizeof(line), f) != NULL) {
		char *field = strchr(line, ',');
		double est, se, z, p, got_se;

		assert_non_null(field);
		assert_int_equal(sscanf(field, ",%lf,%lf,%lf,%lf", &est, &se,
				     &z, &p),
		    4);
		assert_true(j < g.p);
		got_se = sqrt(g.cov[j * g.p + j]);
		assert_rel(g.beta[j], est, GLM_REL);
		assert_rel(got_se, se, GLM_REL);
		assert_rel(g.beta[j] / got_se, z, GLM_REL);
		assert_rel(dist_t_two_sided(g.beta[j] / got_se, HUGE_VAL), p,
		    GLM_REL);
		j++;
	}
	fclose(f);
	assert_int_equal(j, g.p);
	/* The standard errors from the information at R's estimate itself. */
	snprintf(path, sizeof(path), "tests/ref/r/glm_%s.mle.csv", name);
	assert_non_null(f = fopen(path, "r"));
	assert_non_null(fgets(line, sizeof(line), f));
	for (j = 0; fgets(line, sizeof(line), f) != NULL; j++) {
		double se;

		assert_int_equal(sscanf(strchr(line, ','), ",%lf", &se), 1);
		assert_rel(sqrt(g.cov[j * g.p + j]), se, GLM_MLE_REL);
	}
	fclose(f);
	assert_int_equal(j, g.p);
	assert_rel(g.deviance, ref_stat(name, "deviance"), GLM_REL);
	assert_rel(g.null_deviance, ref_stat(name, "null_deviance"), GLM_REL);
	assert_rel(g.aic, ref_stat(name, "aic"), GLM_REL);
	assert_rel(g.df, ref_stat(name, "df"), 0);
	assert_rel(g.null_df, ref_stat(name, "null_df"), 0);
	assert_rel((double)g.n, ref_stat(name, "n"), 0);
	glm_fit_free(&g);
}

static void
test_mtcars_vs(void **state)
{
	struct dataset ds;

	(void)state;
	read_data("data/mtcars.csv", "vs", "mpg,disp", &ds);
	check_fit("mtcars_vs", &ds);
	dataset_free(&ds);
}

static void
test_mtcars_am(void **state)
{
	struct dataset ds;

	(void)state;
	read_data("data/mtcars.csv", "am", "hp,wt", &ds);
	check_fit("mtcars_am", &ds);
	dataset_free(&ds);
}

static void
test_biopsy(void **state)
{
	struct dataset ds;

	(void)state;
	read_data("data/biopsy.csv", "class", NULL, &ds);
	assert_int_equal(ds.n, 683);
	check_fit("biopsy", &ds);
	dataset_free(&ds);
}

static void
test_iris_vv(void **state)
{
	struct dataset ds;

	(void)state;
	read_data("data/iris_vv.csv", "Species", NULL, &ds);
	check_fit("iris_vv", &ds);
	dataset_free(&ds);
}

/* The same answer from the rows in another order (blocks of 1024 rows). */
static void
test_order(void **state)
{
	struct dataset ds, big;
	struct glm_fit a, b;
	struct error e;

	(void)state;
	read_data("data/biopsy.csv", "class", NULL, &ds);
	/* Three copies: 2049 rows, three blocks; the MLE is the same, the
	 * covariance a third. */
	dataset_init(&big, ds.d, (const char *const *)ds.names);
	for (size_t c = 0; c < 3; c++)
		for (size_t i = 0; i < ds.n; i++)
			memcpy(dataset_add_row(&big), dataset_row(&ds, i),
			    (ds.d + 1) * sizeof(double));
	assert_int_equal(glm_logistic(&ds, &a, &e), 0);
	assert_int_equal(glm_logistic(&big, &b, &e), 0);
	for (size_t j = 0; j < a.p; j++) {
		assert_rel(b.beta[j], a.beta[j], 1e-9);
		assert_rel(3 * b.cov[j * a.p + j], a.cov[j * a.p + j], 1e-9);
	}
	glm_fit_free(&a);
	glm_fit_free(&b);
	dataset_free(&big);
	dataset_free(&ds);
}

/*
 * A column twice another (disp2 = 2·disp, after disp) is aliased, as R's glm
 * has it: weight 0, and every other figure that of the fit without it.
 */
static void
test_aliased(void **state)
{
	struct dataset ds, wide;
	struct glm_fit a, b;
	struct error e;
	const char *names[] = { "mpg", "disp", "disp2", "vs" };

	(void)state;
	read_data("data/mtcars.csv", "vs", "mpg,disp", &ds);
	dataset_init(&wide, 3, names);
	for (size_t i = 0; i < ds.n; i++) {
		const double *x = dataset_row(&ds, i);
		double *row = dataset_add_row(&wide);

		row[0] = x[0];
		row[1] = x[1];
		row[2] = 2 * x[1];
		row[3] = x[2];
	}
	assert_int_equal(glm_logistic(&ds, &a, &e), 0);
	assert_int_equal(glm_logistic(&wide, &b, &e), 0);
	assert_int_equal(b.rank, 3);
	assert_int_equal(b.aliased[3], 1);
	assert_true(b.beta[3] == 0);
	for (size_t j = 0; j < 3; j++) {
		assert_rel(b.beta[j], a.beta[j], 1e-12);
		for (size_t k = 0; k < 3; k++)
			assert_rel(b.cov[j * 4 + k], a.cov[j * 3 + k], 1e-10);
		assert_true(b.cov[j * 4 + 3] == 0 && b.cov[3 * 4 + j] == 0);
	}
	assert_rel(b.deviance, a.deviance, 1e-14);
	assert_true(b.df == a.df);
	assert_rel(b.aic, a.aic, 1e-14);
	glm_fit_free(&a);
	glm_fit_free(&b);
	dataset_free(&wide);
	dataset_free(&ds);
}

/* A dataset of one feature x and a 0/1 target y. */
static void
make_xy(struct dataset *ds, const double *x, const double *y, size_t n)
{
	const char *names[] = { "x", "y" };

	dataset_init(ds, 1, names);
	for (size_t i = 0; i < n; i++) {
		double *row = dataset_add_row(ds);

		row[0] = x[i];
		row[1] = y[i];
	}
}

/* R: y = 0,0,0,0,1,1,1,1 on x = 1:8 warns, deviance 3.6e-15, 34 steps. */
static void
test_complete(void **state)
{
	static const double x[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const double y[] = { 0, 0, 0, 0, 1, 1, 1, 1 };
	struct dataset ds;
	struct glm_fit g;
	struct glm_split s;
	struct error e;

	(void)state;
	make_xy(&ds, x, y, 8);
	assert_int_equal(glm_logistic(&ds, &g, &e), 0);
	assert_int_equal(g.separated, GLM_COMPLETE);
	assert_true(g.edge[0] + g.edge[1] > 0);
	assert_true(g.deviance < 1e-10);
	assert_int_equal(glm_feature_splits(&ds, 2, &s, 1), 1);
	assert_int_equal(s.feature, 0);
	assert_int_equal(s.class, 1);
	assert_int_equal(s.above, 1);
	assert_int_equal(s.complete, 1);
	glm_fit_free(&g);
	dataset_free(&ds);
}

/* R: the same y on x = 1,2,3,4,4,5,6,7 (a tie at 4) warns, deviance 2.77. */
static void
test_quasi(void **state)
{
	static const double x[] = { 1, 2, 3, 4, 4, 5, 6, 7 };
	static const double y[] = { 0, 0, 0, 0, 1, 1, 1, 1 };
	struct dataset ds;
	struct glm_fit g;
	struct glm_split s;
	struct error e;

	(void)state;
	make_xy(&ds, x, y, 8);
	assert_int_equal(glm_logistic(&ds, &g, &e), 0);
	assert_int_equal(g.separated, GLM_QUASI);
	/* The two rows at x = 4 keep probability 1/2: deviance 4·log 2. */
	assert_near(g.deviance, 4 * log(2), 1e-9);
	assert_int_equal(g.edge[0], 3);
	assert_int_equal(g.edge[1], 3);
	assert_int_equal(glm_feature_splits(&ds, 2, &s, 1), 1);
	assert_int_equal(s.above, 1);
	assert_int_equal(s.complete, 0);
	glm_fit_free(&g);
	dataset_free(&ds);
}

/*
 * R's quasi2 (tests/ref/r/glm_separation.txt): x1 + x2 = 0 separates the
 * classes, with (0, 0) in both, and neither column alone does; R warns,
 * deviance 4·log 2 from the two rows at (0, 0).
 */
static void
test_quasi_two(void **state)
{
	static const double rows[8][3] = {
		{ -2, 1, 0 },
		{ 1, -2, 0 },
		{ -1, 0, 0 },
		{ 0, 0, 0 },
		{ 0, 0, 1 },
		{ -1, 2, 1 },
		{ 2, -1, 1 },
		{ 1, 1, 1 },
	};
	const char *names[] = { "x1", "x2", "y" };
	struct dataset ds;
	struct glm_fit g;
	struct error e;

	(void)state;
	dataset_init(&ds, 2, names);
	for (size_t i = 0; i < 8; i++)
		memcpy(dataset_add_row(&ds), rows[i], sizeof(rows[i]));
	assert_int_equal(glm_feature_splits(&ds, 2, NULL, 0), 0);
	assert_int_equal(glm_logistic(&ds, &g, &e), 0);
	assert_int_equal(g.separated, GLM_QUASI);
	assert_int_equal(g.edge[0], 3);
	assert_int_equal(g.edge[1], 3);
	assert_near(g.deviance, 4 * log(2), 1e-9);
	glm_fit_free(&g);
	dataset_free(&ds);
}

/*
 * R's am ~ . on mtcars: gear alone separates quasi-completely (am 0 has gears
 * 3 and 4, am 1 gears 4 and 5), and all the columns completely.
 */
static void
test_mtcars_all(void **state)
{
	struct dataset ds;
	struct glm_fit g;
	struct glm_split s;
	struct error e;

	(void)state;
	read_data("data/mtcars.csv", "am", NULL, &ds);
	assert_int_equal(glm_feature_splits(&ds, 2, &s, 1), 1);
	assert_string_equal(ds.names[s.feature], "gear");
	assert_int_equal(s.above, 1);
	assert_int_equal(s.complete, 0);
	assert_int_equal(glm_logistic(&ds, &g, &e), 0);
	assert_int_equal(g.separated, GLM_COMPLETE);
	glm_fit_free(&g);
	dataset_free(&ds);
}

/* Overlapping classes: no split, and a mirror image says the class below. */
static void
test_splits(void **state)
{
	static const double x[] = { 1, 2, 3, 4, 5, 6 };
	static const double y[] = { 0, 1, 0, 1, 0, 1 };
	static const double y2[] = { 1, 1, 1, 0, 0, 0 };
	static const double c[] = { 5, 5, 5, 5, 5, 5 };
	struct dataset ds;
	struct glm_split s;

	(void)state;
	make_xy(&ds, x, y, 6);
	assert_int_equal(glm_feature_splits(&ds, 2, &s, 1), 0);
	dataset_free(&ds);
	make_xy(&ds, x, y2, 6);
	assert_int_equal(glm_feature_splits(&ds, 2, &s, 1), 1);
	assert_int_equal(s.above, 0);
	assert_int_equal(s.complete, 1);
	dataset_free(&ds);
	make_xy(&ds, c, y2, 6);
	assert_int_equal(glm_feature_splits(&ds, 2, &s, 1), 0);
	dataset_free(&ds);
}

/* iris, setosa against the rest: Petal.Length and Petal.Width separate it. */
static void
test_iris_classes(void **state)
{
	struct dataset ds;
	struct glm_split s[16];
	size_t n;

	(void)state;
	read_data("data/iris.csv", "Species", NULL, &ds);
	n = glm_feature_splits(&ds, 3, s, 16);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(s[i].class, 0);
		assert_int_equal(s[i].above, 0);
		assert_int_equal(s[i].complete, 1);
	}
	assert_int_equal(s[0].feature, 2);
	assert_int_equal(s[1].feature, 3);
	dataset_free(&ds);
}

/* A target other than 0/1 is refused. */
static void
test_bad_target(void **state)
{
	static const double x[] = { 1, 2, 3 };
	static const double y[] = { 0, 2, 1 };
	struct dataset ds;
	struct glm_fit g;
	struct error e;

	(void)state;
	make_xy(&ds, x, y, 3);
	assert_int_equal(glm_logistic(&ds, &g, &e), -1);
	assert_contains(e.msg, "not 0 or 1");
	dataset_free(&ds);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mtcars_vs),
		cmocka_unit_test(test_mtcars_am),
		cmocka_unit_test(test_biopsy),
		cmocka_unit_test(test_iris_vv),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_aliased),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_quasi),
		cmocka_unit_test(test_quasi_two),
		cmocka_unit_test(test_mtcars_all),
		cmocka_unit_test(test_splits),
		cmocka_unit_test(test_iris_classes),
		cmocka_unit_test(test_bad_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
