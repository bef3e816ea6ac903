/*
 * test_model_json.c: model_read_json reads back what model_write_json writes,
 * bit for bit, names with every kind of escape included; it skips members it
 * does not know, decodes \u escapes (surrogate pairs too), and refuses what is
 * not a model with the line of the fault.
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

#include "failure.h"
#include "model.h"
#include "model_json.h"

/* Read text into m, expecting success. */
static void
read_ok(const char *text, struct model *m)
{
	struct error e;

	if (model_read_json(text, strlen(text), "t.json", m, &e) != 0)
		fail_msg("%s", e.msg);
}

/* Read text, expecting failure with the message msg. */
static void
read_fails(const char *text, const char *msg)
{
	struct model m;
	struct error e;

	assert_int_equal(model_read_json(text, strlen(text), "t.json", &m, &e),
	    -1);
	assert_string_equal(e.msg, msg);
}

static void
round_trip_is_exact(void **state)
{
	static const char *const terms[] = { MODEL_INTERCEPT, "a\"b", "c\\d",
		"tab\there", "x*y", "\xc3\xa9t\xc3\xa9" };
	struct model m, r;
	struct error e;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	model_init(&m, 6, terms);
	for (size_t k = 0; k < 6; k++) {
		m.weight[k] = 0.1 * (double)k - 1e-300;
		m.std_weight[k] = 1.0 / 3 + (double)k;
	}
	m.has_impute = 1;
	m.impute[2] = 2.5;
	model_add_scaling(&m);
	m.shift[1] = 3.25;
	m.scale[1] = 0.1;
	f = open_memstream(&text, &len);
	assert_int_equal(model_write_json(&m, f, &e), 0);
	fclose(f);
	read_ok(text, &r);
	assert_int_equal(r.nterms, 6);
	assert_int_equal(r.outputs, 1);
	assert_int_equal(r.nclasses, 0);
	for (size_t k = 0; k < 6; k++) {
		assert_string_equal(r.term[k], terms[k]);
		assert_memory_equal(&r.weight[k], &m.weight[k], sizeof(double));
		assert_memory_equal(&r.std_weight[k], &m.std_weight[k],
		    sizeof(double));
	}
	assert_true(r.has_impute);
	assert_true(isnan(r.impute[1]));
	assert_true(r.impute[2] == 2.5);
	assert_non_null(r.shift);
	assert_true(r.shift[1] == 3.25 && r.scale[1] == 0.1);
	assert_true(isnan(r.shift[0]));
	free(text);
	model_free(&m);
	model_free(&r);
}

static void
classes_read_back(void **state)
{
	static const char *const terms[] = { MODEL_INTERCEPT, "x" };
	static const char *const classes[] = { "a", "b", "c" };
	struct model m, r;
	struct error e;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	model_init(&m, 2, terms);
	model_set_classes(&m, classes, 3, 3);
	for (size_t k = 0; k < 6; k++)
		m.weight[k] = (double)k / 7;
	f = open_memstream(&text, &len);
	assert_int_equal(model_write_json(&m, f, &e), 0);
	fclose(f);
	read_ok(text, &r);
	assert_int_equal(r.outputs, 3);
	assert_int_equal(r.nclasses, 3);
	assert_string_equal(r.classes[2], "c");
	for (size_t k = 0; k < 6; k++)
		assert_true(r.weight[k] == m.weight[k]);
	free(text);
	model_free(&m);
	model_free(&r);
}

static void
unknown_members_are_skipped(void **state)
{
	struct model m;

	(void)state;
	read_ok("{\"x\": [1, {\"y\": [true, false, null]}, \"s\"],\n"
		"\"model\": \"regression\", \"terms\": [\n"
		"{\"term\": \"(intercept)\", \"weight\": -1.5e2, "
		"\"std_weight\": 0, \"note\": {\"a\": []}},\n"
		"{\"term\": \"\\u00e9\\ud83d\\ude00\\/\", \"weight\": 2, "
		"\"std_weight\": 0}]}",
	    &m);
	assert_int_equal(m.nterms, 2);
	assert_true(m.weight[0] == -150);
	assert_string_equal(m.term[1], "\xc3\xa9\xf0\x9f\x98\x80/");
	assert_null(m.shift);
	assert_false(m.has_impute);
	model_free(&m);
}

static void
faults_are_named_by_line(void **state)
{
	(void)state;
	read_fails("", "t.json:1: not a JSON object");
	read_fails("{\"model\": \"regression\"}", "t.json:1: no \"terms\"");
	read_fails("{\"model\": \"lasso\", \"terms\": [{\"term\": "
		   "\"(intercept)\", \"weight\": 1, \"std_weight\": 0}]}",
	    "t.json:1: \"model\" is not \"regression\", \"logistic\" or "
	    "\"softmax\"");
	read_fails("{\"model\": \"regression\",\n\"terms\": [{\"term\": "
		   "\"(intercept)\",\n\"weight\": 1}]}",
	    "t.json:3: a term without \"term\", \"weight\" or \"std_weight\"");
	read_fails("{\"model\": \"regression\", \"terms\": [\n{\"term\": "
		   "\"(intercept)\", \"weight\": 1, \"std_weight\": 0},\n"
		   "{\"term\": \"(intercept)\", \"weight\": 1, "
		   "\"std_weight\": 0}]}",
	    "t.json:3: a term appears twice");
	read_fails("{\"model\": \"regression\", \"terms\": []} x",
	    "t.json:1: text after the object");
	read_fails("{\"terms\": [{\"term\": \"a\\q\"}]}",
	    "t.json:1: a bad escape in a string");
	read_fails("{\"terms\": [{\"term\": \"a\\u0000\"}]}",
	    "t.json:1: a NUL (\\u0000) in a string");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_is_exact),
		cmocka_unit_test(classes_read_back),
		cmocka_unit_test(unknown_members_are_skipped),
		cmocka_unit_test(faults_are_named_by_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
