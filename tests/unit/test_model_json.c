/*
 * test_model_json.c: the JSON weights read back (model_read on what
 * model_write_json wrote, from a file and from a pipe in small pieces) give
 * the same model bit for bit, names with escapes included, the scaling,
 * Poisson and interval members too; members not known are skipped, \u
 * escapes decoded; what is not a model is an error; the CSV's target column
 * reads back; names.c suggests the nearest name and lists the short lists.
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
#include "names.h"
#include "testutil.h"

/* A model of three terms with names that need escapes, and odd numbers. */
static void
make_model(struct model *m, size_t nclasses, size_t outputs)
{
	static const char *const terms[] = { MODEL_INTERCEPT,
		"Gr\xc3\xb6\xc3\x9f"
		"e (cm)",
		"say \"x\", \\ two\nlines\t\x01" };
	static const char *const classes[] = { "a,b", "\xe2\x82\xac", "c" };

	model_init(m, 3, terms);
	if (nclasses > 0)
		model_set_classes(m, classes, nclasses, outputs);
	for (size_t k = 0; k < 3 * m->outputs; k++) {
		m->weight[k] = (k % 2 ? -1 : 1) * 0.1 * (double)(k + 1) / 3;
		m->std_weight[k] = 1e-300 * (double)(k + 1);
	}
	m->weight[1] = 5e-324;
	m->has_impute = 1;
	m->impute[1] = 2.5;
	m->target = xstrdup("price \"x\"");
}

/* m written as JSON, read back from fd made of the text by mkfd. */
static void
round_trip(const struct model *m, int pipe_it)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct model got;
	struct error e;
	pid_t pid = -1;
	int fd;

	assert_non_null(f);
	assert_int_equal(model_write_json(m, f, &e), 0);
	fclose(f);
	fd = pipe_it ? tu_pipefd(text, len, 7, &pid) : tu_tmpfd(text, len);
	assert_true(fd >= 0);
	assert_int_equal(model_read(fd, "w.json", &got, &e), 0);
	tu_pipe_finish(fd, pid);
	assert_int_equal(got.nterms, m->nterms);
	assert_int_equal(got.outputs, m->outputs);
	assert_int_equal(got.nclasses, m->nclasses);
	assert_string_equal(got.target, m->target);
	for (size_t k = 0; k < m->nterms; k++)
		assert_string_equal(got.term[k], m->term[k]);
	for (size_t c = 0; c < m->nclasses; c++)
		assert_string_equal(got.classes[c], m->classes[c]);
	for (size_t k = 0; k < m->nterms * m->outputs; k++) {
		assert_memory_equal(&got.weight[k], &m->weight[k],
		    sizeof(double));
		assert_memory_equal(&got.std_weight[k], &m->std_weight[k],
		    sizeof(double));
	}
	assert_true(isnan(got.impute[0]));
	assert_true(got.impute[1] == 2.5);
	model_free(&got);
	free(text);
}

static void
json_regression_reads_back(void **state)
{
	struct model m;

	(void)state;
	make_model(&m, 0, 1);
	round_trip(&m, 0);
	round_trip(&m, 1);
	model_free(&m);
}

static void
json_logistic_and_softmax_read_back(void **state)
{
	struct model m;

	(void)state;
	make_model(&m, 2, 1);
	round_trip(&m, 0);
	round_trip(&m, 1);
	model_free(&m);
	make_model(&m, 3, 3);
	round_trip(&m, 0);
	round_trip(&m, 1);
	model_free(&m);
}

static void
bad_json_is_an_error_naming_the_byte(void **state)
{
	static const char *const bad[] = { "{\"model\": ", "{\"model\": 3}",
		"{\"model\": \"regression\", \"terms\": [{\"term\": 1}]}",
		"{\"a\": \"\\ud800\"} x", NULL };
	struct model m;
	struct error e;

	(void)state;
	for (size_t i = 0; bad[i] != NULL; i++) {
		int fd = tu_tmpfd(bad[i], strlen(bad[i]));

		assert_int_equal(model_read(fd, "w.json", &m, &e), -1);
		assert_int_equal(e.status, EXIT_INPUT);
		assert_non_null(strstr(e.msg, "w.json: "));
		close(fd);
	}
}

static void
csv_target_column_reads_back(void **state)
{
	static const char text[] = "term,weight,std_weight,target\n"
				   "(intercept),1,2,mpg\n"
				   "wt,-3,-4,mpg\n";
	struct model m;
	struct error e;
	int fd = tu_tmpfd(text, strlen(text));

	(void)state;
	assert_int_equal(model_read(fd, "w.csv", &m, &e), 0);
	close(fd);
	assert_int_equal(m.nterms, 2);
	assert_string_equal(m.target, "mpg");
	assert_true(m.csv_target);
	model_free(&m);
}

/* Read text (through model_read, as any weights file) into m. */
static void
read_ok(const char *text, struct model *m)
{
	struct error e;
	int fd = tu_tmpfd(text, strlen(text));

	if (model_read(fd, "t.json", m, &e) != 0)
		fail_msg("%s", e.msg);
	close(fd);
}

/* Read text, expecting failure with a message that begins with msg. */
static void
read_fails(const char *text, const char *msg)
{
	struct model m;
	struct error e;
	int fd = tu_tmpfd(text, strlen(text));

	assert_int_equal(model_read(fd, "t.json", &m, &e), -1);
	close(fd);
	assert_int_equal(e.status, EXIT_INPUT);
	if (strncmp(e.msg, msg, strlen(msg)) != 0)
		fail_msg("\"%s\" does not begin with \"%s\"", e.msg, msg);
}

/* m written as JSON (model_write_json) and read back into r. */
static void
json_read_back(const struct model *m, struct model *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct error e;

	assert_non_null(f);
	assert_int_equal(model_write_json(m, f, &e), 0);
	fclose(f);
	read_ok(text, r);
	free(text);
}

static void
round_trip_is_exact(void **state)
{
	static const char *const terms[] = { MODEL_INTERCEPT, "a\"b", "c\\d",
		"tab\there", "x*y", "\xc3\xa9t\xc3\xa9" };
	struct model m, r;

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
	json_read_back(&m, &r);
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
	model_free(&m);
	model_free(&r);
}

static void
classes_read_back(void **state)
{
	static const char *const terms[] = { MODEL_INTERCEPT, "x" };
	static const char *const classes[] = { "a", "b", "c" };
	struct model m, r;

	(void)state;
	model_init(&m, 2, terms);
	model_set_classes(&m, classes, 3, 3);
	for (size_t k = 0; k < 6; k++)
		m.weight[k] = (double)k / 7;
	json_read_back(&m, &r);
	assert_int_equal(r.outputs, 3);
	assert_int_equal(r.nclasses, 3);
	assert_string_equal(r.classes[2], "c");
	for (size_t k = 0; k < 6; k++)
		assert_true(r.weight[k] == m.weight[k]);
	model_free(&m);
	model_free(&r);
}

/* The weights CSV of m, in a malloc'd string. */
static char *
csv_of(const struct model *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct error e;

	assert_non_null(f);
	assert_int_equal(model_write(m, f, &e), 0);
	fclose(f);
	return text;
}

/*
 * A Poisson model with an exposure, scaling, interval and conformal columns
 * and a target column: its JSON reads back as the model whose CSV is the
 * same bytes.
 */
static void
poisson_and_intervals_read_back(void **state)
{
	static const char *const terms[] = { MODEL_INTERCEPT, "x", "z" };
	struct model m, r;
	char *want, *got;
	double *scores = malloc(3 * sizeof(double));

	(void)state;
	model_init(&m, 3, terms);
	for (size_t k = 0; k < 3; k++) {
		m.weight[k] = 0.1 * (double)k - 1.0 / 3;
		m.std_weight[k] = 1.0 / 7 + (double)k;
	}
	m.has_impute = 1;
	m.impute[2] = 0.25;
	model_add_scaling(&m);
	m.shift[1] = 3.25;
	m.scale[1] = 0.1;
	m.poisson = 1;
	m.offset = xstrdup("holders");
	m.exposure = 1;
	m.target = xstrdup("claims");
	m.csv_target = 1;
	m.iv = xcalloc(1, sizeof(*m.iv));
	m.iv->sigma = 1.5;
	m.iv->df = 17;
	m.iv->center = xcalloc(3, sizeof(double));
	m.iv->scale = xcalloc(3, sizeof(double));
	m.iv->xtx = xcalloc(9, sizeof(double));
	for (size_t k = 0; k < 9; k++)
		m.iv->xtx[k] = 1.0 / (double)(k + 1);
	m.iv->center[1] = 2;
	m.iv->scale[1] = 0.5;
	scores[0] = 0.5, scores[1] = 0.125, scores[2] = 2;
	interval_set_scores(&m, scores, 3); /* copies them */
	free(scores);
	json_read_back(&m, &r);
	assert_true(r.poisson && r.exposure);
	assert_string_equal(r.offset, "holders");
	want = csv_of(&m);
	got = csv_of(&r);
	assert_string_equal(got, want);
	free(want);
	free(got);
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
names_suggest_the_nearest_and_list_short_lists(void **state)
{
	static const char *const cols[] = { "mpg", "cyl", "disp", "" };
	char buf[200];

	(void)state;
	assert_string_equal(names_closest(cols, 4, "MPG"), "mpg");
	assert_string_equal(names_closest(cols, 4, "dsip"), "disp");
	assert_null(names_closest(cols, 4, "zzz"));
	assert_null(names_closest(cols, 4, ""));
	assert_string_equal(names_hint(buf, sizeof(buf), cols, 3, "Cyl",
				"columns"),
	    "; did you mean \"cyl\"? (the columns: \"mpg\", \"cyl\", "
	    "\"disp\")");
	assert_int_equal(names_distance("fit", "fti", 3), 1);
	{
		const char *many[NAMES_LIST_MAX + 1];

		for (size_t k = 0; k <= NAMES_LIST_MAX; k++)
			many[k] = "x";
		assert_string_equal(names_hint(buf, sizeof(buf), many,
					NAMES_LIST_MAX + 1, "q", "columns"),
		    " (the input has 21 columns)");
	}
	/* a list longer than the buffer is cut, still a string */
	assert_true(strlen(names_hint(buf, 12, cols, 3, "q", "columns")) < 12);
}

static void
faults_name_the_byte_or_the_term(void **state)
{
	(void)state;
	read_fails("{", "t.json: byte 2: not valid JSON");
	read_fails("{\"model\": \"regression\"}", "t.json: JSON that is not");
	read_fails("{\"model\": \"lasso\", \"terms\": [{\"term\": "
		   "\"(intercept)\", \"weight\": 1, \"std_weight\": 0}]}",
	    "t.json: JSON that is not a model");
	read_fails("{\"model\": \"regression\",\n\"terms\": [{\"term\": "
		   "\"(intercept)\",\n\"weight\": 1}]}",
	    "t.json: term 1 of \"terms\" lacks numbers \"weight\" and "
	    "\"std_weight\"");
	read_fails("{\"model\": \"regression\", \"terms\": [\n{\"term\": "
		   "\"(intercept)\", \"weight\": 1, \"std_weight\": 0},\n"
		   "{\"term\": \"(intercept)\", \"weight\": 1, "
		   "\"std_weight\": 0}]}",
	    "t.json: term 2 of \"terms\": term \"(intercept)\" appears twice");
	read_fails("{\"model\": \"regression\", \"terms\": []} x",
	    "t.json: byte 38: not valid JSON");
	read_fails("{\"terms\": [{\"term\": \"a\\q\"}]}",
	    "t.json: byte 25: not valid JSON");
	read_fails("{\"model\": \"regression\", \"terms\": [{\"term\": "
		   "\"(intercept)\", \"weight\": 1, \"std_weight\": 0},\n"
		   "{\"term\": \"a\\u0000b\", \"weight\": 1, "
		   "\"std_weight\": 0}]}",
	    "t.json: byte 107: not valid JSON");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_regression_reads_back),
		cmocka_unit_test(json_logistic_and_softmax_read_back),
		cmocka_unit_test(bad_json_is_an_error_naming_the_byte),
		cmocka_unit_test(csv_target_column_reads_back),
		cmocka_unit_test(
		    names_suggest_the_nearest_and_list_short_lists),
		cmocka_unit_test(round_trip_is_exact),
		cmocka_unit_test(classes_read_back),
		cmocka_unit_test(poisson_and_intervals_read_back),
		cmocka_unit_test(unknown_members_are_skipped),
		cmocka_unit_test(faults_name_the_byte_or_the_term),
	};

	return cmocka_run_group_tests_name("model_json", tests, NULL, NULL);
}
