/*
 * test_table.c: table_read turns CSV into a dataset: header names, the target
 * by name or 1-based number (name first), default target last, features chosen
 * with -x or --drop and kept in the order of the input's columns, --no-header
 * naming; and every error of the spec that it produces, with its exit status
 * and message (FILE:LINE:COLUMN), while columns that are not used are never
 * parsed.
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
#include "table.h"
#include "testutil.h"

/* Options as cmd_fit would fill them by default for input "t.csv". */
static struct table_options
defaults(void)
{
	struct table_options o = { .name = "t.csv",
		.delimiter = ',',
		.header = 1 };

	return o;
}

static int
read_table(const char *text, const struct table_options *o, struct dataset *ds,
    struct error *e)
{
	int fd = tu_tmpfd(text, strlen(text)), rc;

	assert_true(fd >= 0);
	memset(e, 0, sizeof *e);
	memset(ds, 0, sizeof *ds);
	rc = table_read(fd, o, ds, e);
	close(fd);
	return rc;
}

/* Check ds's names (NULL-terminated list, target last) and dimensions. */
static void
check_names(const struct dataset *ds, size_t n, const char *const *names)
{
	size_t k = 0;

	while (names[k] != NULL)
		k++;
	assert_int_equal(ds->n, n);
	assert_int_equal(ds->d + 1, k);
	for (size_t j = 0; j < k; j++)
		assert_string_equal(ds->names[j], names[j]);
}

/* Check row i of ds against want (d + 1 values). */
static void
check_row(const struct dataset *ds, size_t i, const double *want)
{
	const double *row = dataset_row(ds, i);

	for (size_t j = 0; j <= ds->d; j++)
		assert_same_double(row[j], want[j]);
}

#define NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define ROW(...) ((const double[]){ __VA_ARGS__ })

/* Expect failure with the status and exact message. */
static void
check_error(const char *text, const struct table_options *o, int status,
    const char *msg)
{
	struct dataset ds;
	struct error e;

	if (read_table(text, o, &ds, &e) != -1) {
		print_error("table_read accepted:\n%s\n(expected: %s)\n", text,
		    msg);
		dataset_free(&ds);
		fail();
	}
	assert_int_equal(e.status, status);
	assert_string_equal(e.msg, msg);
}

/* ------------------------------------------------------------------------ */
/* Selection                                                                 */
/* ------------------------------------------------------------------------ */

static void
header_names_columns_and_target_defaults_to_last(void **state)
{
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;

	(void)state;
	assert_int_equal(read_table("a,b,y\n1,2,3\n4,5,6.5\n-0.1,1e-3,\"7\"\n",
			     &o, &ds, &e),
	    0);
	check_names(&ds, 3, NAMES("a", "b", "y"));
	check_row(&ds, 0, ROW(1, 2, 3));
	check_row(&ds, 1, ROW(4, 5, 6.5));
	check_row(&ds, 2, ROW(-0.1, 1e-3, 7));
	assert_same_double(dataset_target(&ds, 1), 6.5);
	dataset_free(&ds);
}

static void
target_by_name_moves_it_last(void **state)
{
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;

	(void)state;
	o.target = "a";
	assert_int_equal(read_table("a,b,c\n1,2,3\n4,5,6\n", &o, &ds, &e), 0);
	check_names(&ds, 2, NAMES("b", "c", "a"));
	check_row(&ds, 0, ROW(2, 3, 1));
	check_row(&ds, 1, ROW(5, 6, 4));
	dataset_free(&ds);
}

static void
target_by_number_counts_from_one(void **state)
{
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;

	(void)state;
	o.target = "2";
	assert_int_equal(read_table("a,b,c\n1,2,3\n4,5,6\n", &o, &ds, &e), 0);
	check_names(&ds, 2, NAMES("a", "c", "b"));
	check_row(&ds, 0, ROW(1, 3, 2));
	dataset_free(&ds);
}

static void
target_name_wins_over_number(void **state)
{
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;

	(void)state;
	/* Column 1 is named "3": -t 3 means it, not the third column. */
	o.target = "3";
	assert_int_equal(read_table("3,b,c\n1,2,3\n4,5,6\n", &o, &ds, &e), 0);
	check_names(&ds, 2, NAMES("b", "c", "3"));
	check_row(&ds, 0, ROW(2, 3, 1));
	dataset_free(&ds);
}

static void
features_follow_the_order_of_their_list(void **state)
{
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;

	(void)state;
	/* A subset named out of order comes out in the order of the list (man
	 * page). */
	o.features = "c,a";
	assert_int_equal(read_table("a,b,c,y\n1,2,3,4\n5,6,7,8\n", &o, &ds, &e),
	    0);
	check_names(&ds, 2, NAMES("c", "a", "y"));
	check_row(&ds, 0, ROW(3, 1, 4));
	check_row(&ds, 1, ROW(7, 5, 8));
	dataset_free(&ds);
	/* By number, mixed with a name. */
	o.features = "3,b";
	assert_int_equal(read_table("a,b,c,y\n1,2,3,4\n5,6,7,8\n", &o, &ds, &e),
	    0);
	check_names(&ds, 2, NAMES("c", "b", "y"));
	check_row(&ds, 1, ROW(7, 6, 8));
	dataset_free(&ds);
}

static void
drop_leaves_columns_out(void **state)
{
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;

	(void)state;
	o.drop = "b,d";
	assert_int_equal(read_table("a,b,c,d,y\n1,2,3,4,5\n6,7,8,9,10\n", &o,
			     &ds, &e),
	    0);
	check_names(&ds, 2, NAMES("a", "c", "y"));
	check_row(&ds, 0, ROW(1, 3, 5));
	check_row(&ds, 1, ROW(6, 8, 10));
	dataset_free(&ds);
}

static void
no_header_names_columns_x1_to_xd_and_y(void **state)
{
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;

	(void)state;
	o.header = 0;
	assert_int_equal(read_table("1,2,3,4\n5,6,7,8\n", &o, &ds, &e), 0);
	check_names(&ds, 2, NAMES("x1", "x2", "x3", "y"));
	check_row(&ds, 0, ROW(1, 2, 3, 4));
	check_row(&ds, 1, ROW(5, 6, 7, 8));
	dataset_free(&ds);
	/* Those names can be used to choose the target. */
	o.target = "x2";
	assert_int_equal(read_table("1,2,3,4\n5,6,7,8\n", &o, &ds, &e), 0);
	check_names(&ds, 2, NAMES("x1", "x3", "y", "x2"));
	check_row(&ds, 1, ROW(5, 7, 8, 6));
	dataset_free(&ds);
}

static void
other_delimiters_and_spaces_are_read(void **state)
{
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;

	(void)state;
	o.delimiter = ';';
	assert_int_equal(read_table("\xEF\xBB\xBF"
				    " a ; b\r\n 1,5 ; 2 \r\n\r\n3;4",
			     &o, &ds, &e),
	    -1);
	/* "1,5" is not a number even with ';' as the delimiter. */
	assert_string_equal(e.msg,
	    "t.csv:2:1: \"1,5\" in column \"a\" is not a number (a decimal "
	    "comma? see --decimal)");
	assert_int_equal(read_table("\xEF\xBB\xBF"
				    " a ; b\r\n 1.5 ; 2 \r\n\r\n3;4",
			     &o, &ds, &e),
	    0);
	check_names(&ds, 2, NAMES("a", "b"));
	check_row(&ds, 0, ROW(1.5, 2));
	check_row(&ds, 1, ROW(3, 4));
	dataset_free(&ds);
}

static void
numbers_are_parsed_exactly(void **state)
{
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;

	(void)state;
	assert_int_equal(
	    read_table(
		"x,y\n0.1,2.2250738585072011e-308\n-0,1e-320\n9007199254740993,.5\n",
		&o, &ds, &e),
	    0);
	check_row(&ds, 0, ROW(0.1, 2.2250738585072011e-308));
	check_row(&ds, 1, ROW(-0.0, 1e-320));
	check_row(&ds, 2, ROW(9007199254740992.0, 0.5));
	dataset_free(&ds);
}

static void
unused_columns_are_not_parsed(void **state)
{
	static const char text[] = "id,name,a,,id,y\n"
				   "x1,\"Smith, J\",1,,NA,2\n"
				   "x2,,3,oops,1e999,4\n"
				   "x3,Lee,5,,,6\n";
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;

	(void)state;
	/* Text, empty cells, out-of-range values, an empty and a duplicated
	 * name: all unused. */
	o.features = "3";
	assert_int_equal(read_table(text, &o, &ds, &e), 0);
	check_names(&ds, 3, NAMES("a", "y"));
	check_row(&ds, 0, ROW(1, 2));
	check_row(&ds, 1, ROW(3, 4));
	check_row(&ds, 2, ROW(5, 6));
	dataset_free(&ds);
}

static void
reads_many_rows_through_a_pipe(void **state)
{
	const long rows = 20000;
	char *text = malloc((size_t)rows * 32 + 32);
	size_t n = 0;
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;
	double sum[3] = { 0, 0, 0 };
	pid_t pid;
	int fd;

	(void)state;
	assert_non_null(text);
	n += (size_t)sprintf(text, "u,v,w\n");
	for (long i = 0; i < rows; i++)
		n += (size_t)sprintf(text + n, "%ld,%ld,%ld\n", i, 2 * i, -i);
	fd = tu_pipefd(text, n, 1000, &pid);
	memset(&ds, 0, sizeof ds);
	assert_int_equal(table_read(fd, &o, &ds, &e), 0);
	tu_pipe_finish(fd, pid);
	assert_int_equal(ds.n, rows);
	for (size_t i = 0; i < ds.n; i++)
		for (int j = 0; j < 3; j++)
			sum[j] += dataset_row(&ds, i)[j];
	/* Sums of integers below 2^53: exact. */
	assert_same_double(sum[0], (double)rows * (rows - 1) / 2);
	assert_same_double(sum[1], (double)rows * (rows - 1));
	assert_same_double(sum[2], -(double)rows * (rows - 1) / 2);
	dataset_free(&ds);
	free(text);
}

/*
 * The text stage: a categorical feature and class labels come as level
 * indices (the labels sorted), next to numbers converted by the tokenizer and
 * a missing number kept as NaN (--missing mean).
 */
static void
categories_and_labels_are_levels_next_to_numbers(void **state)
{
	struct table_options o = defaults();
	struct category labels, *cats = NULL;
	size_t ncats = 0;
	struct dataset ds;
	struct error e;

	(void)state;
	o.categorical = "colour";
	o.labels = &labels;
	o.categories = &cats;
	o.ncategories = &ncats;
	o.missing = MISSING_MEAN;
	assert_int_equal(read_table("x,colour,label\n1.5,red,dog\n"
				    "NA,blue,cat\n2,red,cat\n",
			     &o, &ds, &e),
	    0);
	assert_int_equal(ds.n, 3);
	assert_int_equal(ncats, 1);
	assert_string_equal(cats[0].name, "colour");
	assert_int_equal(labels.nlevels, 2);
	assert_string_equal(labels.level[0], "cat");
	assert_string_equal(labels.level[1], "dog");
	assert_same_double(dataset_row(&ds, 0)[0], 1.5);
	assert_true(isnan(dataset_row(&ds, 1)[0]));
	assert_same_double(dataset_row(&ds, 2)[0], 2);
	assert_same_double(dataset_target(&ds, 0), 1);
	assert_same_double(dataset_target(&ds, 1), 0);
	assert_same_double(dataset_target(&ds, 2), 0);
	category_free(&cats[0]);
	free(cats);
	category_free(&labels);
	dataset_free(&ds);
}

/* Without --missing, a missing level is an error that names the cell. */
static void
missing_level_or_label_is_reported(void **state)
{
	struct table_options o = defaults();
	struct category labels;

	(void)state;
	o.categorical = "colour";
	check_error("x,colour,y\n1,,3\n2,red,4\n", &o, EXIT_INPUT,
	    "t.csv:2:2: missing value in column \"colour\" (see --missing)");
	o.categorical = NULL;
	o.labels = &labels;
	check_error("x,z,y\n1,2,dog\n2,3,NA\n", &o, EXIT_INPUT,
	    "t.csv:3:3: missing class label in column \"y\" (see --missing)");
}

/* ------------------------------------------------------------------------ */
/* Errors in the data (EXIT_INPUT)                                           */
/* ------------------------------------------------------------------------ */

static void
text_in_a_feature_is_not_a_number_and_suggests_drop(void **state)
{
	static const struct {
		const char *cell, *shown;
		int text; /* 1: text, for which --categorical is named too */
	} cases[] = {
		{ "abc", "abc", 1 },
		{ "1.5x", "1.5x", 0 },
		{ "inf", "inf", 0 },
		{ "0x10", "0x10", 0 },
		{ "1e", "1e", 0 },
		{ "setosa", "setosa", 1 },
	};
	struct table_options o = defaults();
	char text[128], msg[256];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(text, sizeof text, "a,b,y\n1,2,3\n4,%s,6\n",
		    cases[i].cell);
		snprintf(msg, sizeof msg,
		    "t.csv:3:2: \"%s\" in column \"b\" is not a number"
		    " (%sleave it out with --drop b)",
		    cases[i].shown,
		    cases[i].text ? "a text column: give it as --categorical "
				    "b, or "
				  : "");
		check_error(text, &o, EXIT_INPUT, msg);
	}
}

static void
text_in_the_target_is_not_a_number(void **state)
{
	struct table_options o = defaults();

	(void)state;
	check_error("a,b,y\n1,2,3\n4,5,NA\n", &o, EXIT_INPUT,
	    "t.csv:3:3: \"NA\" in column \"y\" is a missing value (see "
	    "--missing)");
	o.target = "a";
	check_error("a,b,y\n1,2,3\nx,5,6\n", &o, EXIT_INPUT,
	    "t.csv:3:1: \"x\" in column \"a\" is not a number "
	    "(text in the target: class labels are fitted with -l logistic, "
	    "two classes, or -l softmax, more)");
}

static void
empty_cell_is_reported(void **state)
{
	struct table_options o = defaults();

	(void)state;
	check_error("a,b,y\n1,,3\n4,5,6\n", &o, EXIT_INPUT,
	    "t.csv:2:2: empty cell in column \"b\": a missing value (see "
	    "--missing)");
	/* Spaces only, trimmed away, is empty too. */
	check_error("a,b,y\n1,2,3\n4,5,   \n", &o, EXIT_INPUT,
	    "t.csv:3:3: empty cell in column \"y\": a missing value (see "
	    "--missing)");
}

static void
huge_value_is_out_of_range(void **state)
{
	struct table_options o = defaults();

	(void)state;
	check_error("a,b,y\n1,1e999,3\n4,5,6\n", &o, EXIT_INPUT,
	    "t.csv:2:2: \"1e999\" in column \"b\" is out of range");
	check_error("a,b,y\n1,2,3\n4,5,-1e400\n", &o, EXIT_INPUT,
	    "t.csv:3:3: \"-1e400\" in column \"y\" is out of range");
}

static void
row_with_wrong_field_count_is_reported(void **state)
{
	struct table_options o = defaults();

	(void)state;
	check_error("a,b,y\n1,2\n4,5,6\n", &o, EXIT_INPUT,
	    "t.csv:2: row has 2 fields, expected 3");
	check_error("a,b,y\n1,2,3\n\n4,5,6,7\n", &o, EXIT_INPUT,
	    "t.csv:4: row has 4 fields, expected 3");
	/* Line numbers count the lines of a quoted multi-line field (unused
	 * column). */
	o.target = "y";
	o.features = "a,b";
	check_error("a,b,y,note\n1,2,3,\"two\nlines\"\n4,5\n", &o, EXIT_INPUT,
	    "t.csv:4: row has 2 fields, expected 4");
}

static void
malformed_and_unterminated_quotes_are_reported(void **state)
{
	struct table_options o = defaults();

	(void)state;
	check_error("a,b,y\n1,2\"x,3\n", &o, EXIT_INPUT,
	    "t.csv:2:2: malformed quoted field");
	check_error("a,b,y\n1,2,\"3\n4,5,6\n", &o, EXIT_INPUT,
	    "t.csv:2: unterminated quoted field at end of input");
}

static void
too_little_input_is_reported(void **state)
{
	struct table_options o = defaults();

	(void)state;
	check_error("", &o, EXIT_INPUT, "t.csv: empty input");
	check_error("\n\r\n\n", &o, EXIT_INPUT, "t.csv: empty input");
	check_error("a,b,y\n", &o, EXIT_INPUT, "t.csv: no data rows");
	check_error("a,b,y\n\n", &o, EXIT_INPUT, "t.csv: no data rows");
	check_error("a,b,y\n1,2,3\n", &o, EXIT_INPUT,
	    "t.csv: only 1 data row; at least 2 are needed");
	o.header = 0;
	check_error("1,2,3\n", &o, EXIT_INPUT,
	    "t.csv: only 1 data row; at least 2 are needed");
	o.name = "<stdin>";
	check_error("", &o, EXIT_INPUT, "<stdin>: empty input");
}

static void
duplicate_column_name_is_reported_when_used(void **state)
{
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;

	(void)state;
	check_error("a,b,c,d,a,y\n1,2,3,4,5,6\n1,2,3,4,5,7\n", &o, EXIT_INPUT,
	    "t.csv:1: column name \"a\" appears twice (columns 1 and 5; "
	    "leave one out with --drop 5, or rename one in the header)");
	/* Not used: no error. */
	o.features = "b,c";
	assert_int_equal(read_table("a,b,c,d,a,y\n1,2,3,4,5,6\n1,2,3,4,5,7\n",
			     &o, &ds, &e),
	    0);
	check_names(&ds, 2, NAMES("b", "c", "y"));
	dataset_free(&ds);
}

static void
empty_column_name_is_reported_when_used(void **state)
{
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;

	(void)state;
	check_error("a,b,,y\n1,2,3,4\n5,6,7,8\n", &o, EXIT_INPUT,
	    "t.csv:1: column 3 has an empty name (leave it out with --drop 3, "
	    "or name it in the header)");
	o.features = "a,b";
	assert_int_equal(read_table("a,b,,y\n1,2,3,4\n5,6,7,8\n", &o, &ds, &e),
	    0);
	check_names(&ds, 2, NAMES("a", "b", "y"));
	/* The target's empty name: no --drop, which cannot leave it out. */
	o.features = NULL;
	check_error("a,b,\n1,2,3\n5,6,7\n", &o, EXIT_INPUT,
	    "t.csv:1: column 3 has an empty name (name it in the header, or "
	    "choose another target with -t)");
	dataset_free(&ds);
}

/* ------------------------------------------------------------------------ */
/* Errors in the options (EXIT_USAGE)                                        */
/* ------------------------------------------------------------------------ */

static void
missing_target_is_a_usage_error(void **state)
{
	struct table_options o = defaults();

	(void)state;
	o.target = "zz";
	check_error("a,b,y\n1,2,3\n4,5,6\n", &o, EXIT_USAGE,
	    "t.csv: target column \"zz\" not found (the columns: \"a\", "
	    "\"b\", \"y\")");
	o.target = "9";
	check_error("a,b,c,d,y\n1,2,3,4,5\n4,5,6,7,8\n", &o, EXIT_USAGE,
	    "t.csv: target column 9 not found (the input has 5 columns)");
}

static void
missing_feature_is_a_usage_error(void **state)
{
	struct table_options o = defaults();

	(void)state;
	o.features = "a,zz";
	check_error("a,b,y\n1,2,3\n4,5,6\n", &o, EXIT_USAGE,
	    "t.csv: feature column \"zz\" not found (the columns: \"a\", "
	    "\"b\", \"y\")");
	o.features = NULL;
	o.drop = "zz";
	check_error("a,b,y\n1,2,3\n4,5,6\n", &o, EXIT_USAGE,
	    "t.csv: column \"zz\" in --drop not found (the columns: \"a\", "
	    "\"b\", \"y\")");
}

static void
target_as_feature_is_a_usage_error(void **state)
{
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;

	(void)state;
	o.features = "a,y";
	check_error("a,b,y\n1,2,3\n4,5,6\n", &o, EXIT_USAGE,
	    "t.csv: feature \"y\" is the target column");
	/* Named by number. */
	o.features = "3";
	assert_int_equal(read_table("a,b,y\n1,2,3\n4,5,6\n", &o, &ds, &e), -1);
	assert_int_equal(e.status, EXIT_USAGE);
	assert_contains(e.msg, "is the target column");
}

static void
usage_errors_come_before_data_errors(void **state)
{
	struct table_options o = defaults();

	(void)state;
	/* A bad option is reported as such even when the data are bad too. */
	o.target = "zz";
	check_error("a,b,y\n1,x,3\n4,5,6\n", &o, EXIT_USAGE,
	    "t.csv: target column \"zz\" not found (the columns: \"a\", "
	    "\"b\", \"y\")");
}

/* --missing drop leaves out rows with an empty or NA cell in a used column
 * only. */
static void
missing_drop_leaves_out_rows_and_counts_them(void **state)
{
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;
	size_t dropped = 99;

	(void)state;
	o.missing = MISSING_DROP;
	o.dropped = &dropped;
	o.features = "a";
	assert_int_equal(
	    read_table("a,b,y\n1,,2\n,5,6\n3,x,NA\n7,8,9\n10,,11\n", &o, &ds,
		&e),
	    0);
	assert_int_equal(dropped, 2);
	check_names(&ds, 3, NAMES("a", "y"));
	check_row(&ds, 0, ROW(1, 2));
	check_row(&ds, 1, ROW(7, 9));
	check_row(&ds, 2, ROW(10, 11));
	dataset_free(&ds);
}

/* --missing mean keeps a missing feature as NaN and drops a missing target. */
static void
missing_mean_keeps_nan_features_and_drops_missing_targets(void **state)
{
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;
	size_t dropped = 99;
	double value[2];

	(void)state;
	o.missing = MISSING_MEAN;
	o.dropped = &dropped;
	assert_int_equal(read_table("a,b,y\n1,NA,2\n3,5,\n5,7,6\n,9,1\n", &o,
			     &ds, &e),
	    0);
	assert_int_equal(dropped, 1);
	assert_int_equal(ds.n, 3);
	assert_true(isnan(dataset_row(&ds, 0)[1]));
	assert_true(isnan(dataset_row(&ds, 2)[0]));
	/* Means over the observed values: a (1 + 5)/2, b (7 + 9)/2. */
	assert_int_equal(dataset_impute(&ds, &ds, value, &e), 0);
	assert_same_double(value[0], 3);
	assert_same_double(value[1], 8);
	check_row(&ds, 0, ROW(1, 8, 2));
	check_row(&ds, 2, ROW(3, 9, 1));
	dataset_free(&ds);
}

/*
 * Without a policy, NA and the other words of a missing value are reported as
 * missing values, naming --missing; --na-values changes the words.
 */
static void
missing_error_reports_the_cell(void **state)
{
	struct table_options o = defaults();
	struct dataset ds;
	struct error e;

	(void)state;
	assert_int_equal(read_table("a,y\n1,2\nNA,3\n", &o, &ds, &e), -1);
	assert_string_equal(e.msg,
	    "t.csv:3:1: \"NA\" in column \"a\" is a missing value (see "
	    "--missing)");
	assert_int_equal(read_table("a,y\n1,2\nNaN,3\n", &o, &ds, &e), -1);
	assert_string_equal(e.msg,
	    "t.csv:3:1: \"NaN\" in column \"a\" is a missing value (see "
	    "--missing)");
	assert_int_equal(table_na_values("n.a.,", &e), 0);
	assert_true(table_is_missing("n.a.", 4));
	assert_true(table_is_missing("", 0));
	assert_false(table_is_missing("NA", 2));
	assert_int_equal(read_table("a,y\n1,2\nNA,3\n", &o, &ds, &e), -1);
	assert_string_equal(e.msg,
	    "t.csv:3:1: \"NA\" in column \"a\" is not a number (leave it "
	    "out with --drop a)");
	assert_int_equal(table_na_values(NULL, &e), 0);
	for (const char *w = TABLE_NA_DEFAULT; *w != '\0';) {
		size_t len = strcspn(w, ",");

		assert_true(table_is_missing(w, len));
		w += len + (w[len] == ',');
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(missing_drop_leaves_out_rows_and_counts_them),
		cmocka_unit_test(
		    missing_mean_keeps_nan_features_and_drops_missing_targets),
		cmocka_unit_test(missing_error_reports_the_cell),
		cmocka_unit_test(
		    header_names_columns_and_target_defaults_to_last),
		cmocka_unit_test(target_by_name_moves_it_last),
		cmocka_unit_test(target_by_number_counts_from_one),
		cmocka_unit_test(target_name_wins_over_number),
		cmocka_unit_test(features_follow_the_order_of_their_list),
		cmocka_unit_test(drop_leaves_columns_out),
		cmocka_unit_test(no_header_names_columns_x1_to_xd_and_y),
		cmocka_unit_test(other_delimiters_and_spaces_are_read),
		cmocka_unit_test(numbers_are_parsed_exactly),
		cmocka_unit_test(unused_columns_are_not_parsed),
		cmocka_unit_test(reads_many_rows_through_a_pipe),
		cmocka_unit_test(
		    categories_and_labels_are_levels_next_to_numbers),
		cmocka_unit_test(missing_level_or_label_is_reported),
		cmocka_unit_test(
		    text_in_a_feature_is_not_a_number_and_suggests_drop),
		cmocka_unit_test(text_in_the_target_is_not_a_number),
		cmocka_unit_test(empty_cell_is_reported),
		cmocka_unit_test(huge_value_is_out_of_range),
		cmocka_unit_test(row_with_wrong_field_count_is_reported),
		cmocka_unit_test(
		    malformed_and_unterminated_quotes_are_reported),
		cmocka_unit_test(too_little_input_is_reported),
		cmocka_unit_test(duplicate_column_name_is_reported_when_used),
		cmocka_unit_test(empty_column_name_is_reported_when_used),
		cmocka_unit_test(missing_target_is_a_usage_error),
		cmocka_unit_test(missing_feature_is_a_usage_error),
		cmocka_unit_test(target_as_feature_is_a_usage_error),
		cmocka_unit_test(usage_errors_come_before_data_errors),
	};

	return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
