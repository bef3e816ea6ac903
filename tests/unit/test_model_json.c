/*
 * test_model_json.c: the JSON weights read back (model_read on what
 * model_write_json wrote, from a file and from a pipe in small pieces) give
 * the same model bit for bit, names with escapes included; the CSV's target
 * column reads back; names.c suggests the nearest name and lists the short
 * lists.
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
	};

	return cmocka_run_group_tests_name("model_json", tests, NULL, NULL);
}
