/*
 * test_terms.c: terms_parse resolves fit's --poly, --interact and --cross into
 * products in R's order of terms, a categorical column standing for each of its
 * indicators; it names what is wrong. term_is_product tells the names that
 * term_name writes. terms_append computes the products row by row. And
 * scaler_rescale, the warm start's map, inverts scaler_unscale.
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
#include "failure.h"
#include "scale.h"
#include "terms.h"

/* Features a, b, c=x, c=y (a categorical c), d; target y; 3 rows. */
static void
make(struct dataset *ds)
{
	static const char *const names[] = { "a", "b", "c=x", "c=y", "d", "y" };
	static const double rows[3][6] = { { 1, 2, 0, 1, -1, 5 },
		{ 3, -4, 1, 0, 0.5, 6 }, { 5, 6, 0, 0, 2, 7 } };

	dataset_init(ds, 5, names);
	for (size_t i = 0; i < 3; i++)
		memcpy(dataset_add_row(ds), rows[i], sizeof(rows[i]));
}

/* The names of the products p[0..n), joined by spaces, into buf. */
static void
names_of(const struct dataset *ds, const struct term_product *p, size_t n,
    char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char *name = term_name(ds, &p[i]);

		snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
		    i ? " " : "", name);
		free(name);
	}
}

static void
parse(const char *poly, const char *interact, const char *cross,
    const char *want)
{
	struct dataset ds;
	struct term_product *p;
	struct error e;
	size_t n;
	char got[512];

	make(&ds);
	if (terms_parse(&ds, poly, interact, cross, &p, &n, &e) != 0)
		fail_msg("%s", e.msg);
	names_of(&ds, p, n, got, sizeof(got));
	assert_string_equal(got, want);
	free(p);
	dataset_free(&ds);
}

static void
refused(const char *poly, const char *interact, const char *cross,
    const char *msg)
{
	struct dataset ds;
	struct term_product *p;
	struct error e;
	size_t n;

	make(&ds);
	assert_int_equal(terms_parse(&ds, poly, interact, cross, &p, &n, &e),
	    -1);
	assert_int_equal(e.status, EXIT_USAGE);
	assert_string_equal(e.msg, msg);
	assert_null(p);
	dataset_free(&ds);
}

static void
orders_as_r(void **state)
{
	(void)state;
	/* Powers first, then products by degree, each in the order given. */
	parse("d:3", "a:b:d,b:a", NULL, "d^2 d^3 a*b a*b*d");
	parse(NULL, NULL, "a*b*d", "a*b a*d b*d a*b*d");
	parse("a:1", NULL, NULL, "");
	parse(NULL, "", NULL, "");
	/* A categorical factor: one product per indicator. */
	parse(NULL, "a:c", NULL, "a*c=x a*c=y");
	parse(NULL, NULL, "c*d", "c=x*d c=y*d");
	parse(NULL, "c=y:b", NULL, "b*c=y");
}

static void
names_what_is_wrong(void **state)
{
	(void)state;
	refused(NULL, "a:z", NULL,
	    "--interact: \"z\" is not a feature column (the target and "
	    "columns left out by -x or --drop cannot be factors)");
	refused(NULL, "a:y", NULL,
	    "--interact: \"y\" is not a feature column (the target and "
	    "columns left out by -x or --drop cannot be factors)");
	refused(NULL, "a:", NULL, "--interact: an empty column name");
	refused(NULL, "a", NULL,
	    "--interact: \"a\" is not a product of two or more columns "
	    "(write a:b)");
	refused(NULL, NULL, "a*b*d*a*b",
	    "--cross: \"a*b*d*a*b\" has more than 4 factors");
	refused("a:5", NULL, NULL,
	    "--poly: the degree in \"a:5\" is not a whole number from 1 to 4");
	refused("a:x", NULL, NULL,
	    "--poly: the degree in \"a:x\" is not a whole number from 1 to 4");
	refused("a", NULL, NULL, "--poly: \"a\" is not COLUMN:DEGREE (as x:3)");
	refused("c:2", NULL, NULL,
	    "--poly: \"c\" is a text column (--categorical): its indicators' "
	    "powers are themselves");
}

static void
tells_products(void **state)
{
	(void)state;
	assert_true(term_is_product("a*b"));
	assert_true(term_is_product("x^2"));
	assert_true(term_is_product("c=x*d"));
	assert_false(term_is_product("x^"));
	assert_false(term_is_product("x^2a"));
	assert_false(term_is_product("plain"));
	assert_false(term_is_product("c=level"));
}

static void
appends_products_row_by_row(void **state)
{
	struct dataset ds, out;
	struct term_product *p;
	struct error e;
	size_t n;

	(void)state;
	make(&ds);
	assert_int_equal(terms_parse(&ds, "d:3", "a:c", NULL, &p, &n, &e), 0);
	assert_int_equal(terms_append(&ds, p, n, &out, &e), 0);
	assert_int_equal(out.d, 9);
	assert_string_equal(out.names[8], "a*c=y");
	assert_string_equal(out.names[9], "y");
	for (size_t i = 0; i < 3; i++) {
		const double *x = dataset_row(&ds, i),
			     *r = dataset_row(&out, i);

		assert_true(r[5] == x[4] * x[4]);
		assert_true(r[6] == x[4] * x[4] * x[4]);
		assert_true(r[7] == x[0] * x[2]);
		assert_true(r[8] == x[0] * x[3]);
		assert_true(r[9] == x[5]);
	}
	free(p);
	dataset_free(&out);
	dataset_free(&ds);
}

static void
rescale_inverts_unscale(void **state)
{
	struct dataset ds;
	struct scaler s;
	struct error e;
	double w[6] = { 0.5, -1.25, 3, 0, 0.75, 2 }, weight[6], std[6], back[6];

	(void)state;
	for (int how = SCALE_NONE; how <= SCALE_MINMAX; how++) {
		make(&ds);
		assert_int_equal(scaler_fit(&s, &ds, (enum scaling)how, 1, &e),
		    0);
		scaler_unscale(&s, w, weight, std);
		scaler_rescale(&s, weight, back);
		for (size_t j = 0; j < 6; j++)
			assert_true(
			    fabs(back[j] - w[j]) <= 4e-16 * (1 + fabs(w[j])));
		scaler_free(&s);
		dataset_free(&ds);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(orders_as_r),
		cmocka_unit_test(names_what_is_wrong),
		cmocka_unit_test(tells_products),
		cmocka_unit_test(appends_products_row_by_row),
		cmocka_unit_test(rescale_inverts_unscale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
