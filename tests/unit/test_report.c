/*
 * test_report.c: the epoch table's lines are aligned under its header (epoch,
 * loss, rate, seconds) and carry those numbers; the summary says what was run
 * and compares the final loss with the best constant, as in the spec's example,
 * and adds a line when the loss was still falling.
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

#include "report.h"
#include "testutil.h"

/* Run fn(f, arg) on a memory stream and return what it wrote. */
/* An epoch report with the fields the table and log show without --gap. */
#define REPORT(e, l, v, r, s) \
	{ \
		.epoch = (e), .loss = (l), .val_loss = (v), .rate = (r), \
		.seconds = (s), .objective = (l), .gap = (double)NAN \
	}

static char *
capture_epoch(const struct epoch_report *r, int header)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (header)
		report_epoch_header(f, 0);
	else
		report_epoch(f, r, 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static char *
capture_summary(const struct fit_summary *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	report_summary(f, s);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* Offset one past the end of the k-th (0-based) blank-separated token of line.
 */
static size_t
token_end(const char *line, int k, size_t *start)
{
	size_t i = 0;

	for (int t = 0;; t++) {
		while (line[i] == ' ')
			i++;
		*start = i;
		while (line[i] != ' ' && line[i] != '\n' && line[i] != '\0')
			i++;
		if (t == k)
			return i;
	}
}

/* Fail unless s is exactly one line, ending in LF. */
static void
check_one_line(const char *s)
{
	size_t n = strlen(s);

	assert_true(n > 0);
	assert_int_equal(s[n - 1], '\n');
	assert_true(strchr(s, '\n') == s + n - 1);
}

/* Index of the token that is title in the header line, or fail. */
static int
title_index(const char *head, const char *title)
{
	size_t st;

	for (int k = 0; k < 10; k++) {
		size_t end = token_end(head, k, &st);
		if (end == st)
			break;
		if (end - st == strlen(title) &&
		    memcmp(head + st, title, end - st) == 0)
			return k;
	}
	print_error("header \"%s\" has no title %s\n", head, title);
	fail();
	return -1;
}

static void
epoch_lines_align_under_the_header(void **state)
{
	static const struct epoch_report reports[] = {
		REPORT(1, 37.1982731114, (double)NAN, 0.0921, 0.0),
		REPORT(100, 21.894812345, (double)NAN, 0.0921, 0.0123),
		REPORT(123456, 0.000123456789, (double)NAN, 0.001, 12.5),
		REPORT(7, 4.2e9, (double)NAN, 0.5,
		    1.0), /* MSE of house prices in dollars */
	};
	char *head = capture_epoch(NULL, 1);
	int col[4];
	size_t s;

	(void)state;
	check_one_line(head);
	/* The spec's header: epoch, loss, rate, seconds, and nothing else. */
	col[0] = title_index(head, "epoch");
	col[1] = title_index(head, "loss");
	col[2] = title_index(head, "seconds");
	col[3] = title_index(head, "rate");
	assert_int_equal(col[0], 0);
	assert_int_equal(col[1], 1);
	assert_int_equal(col[3], 2);
	assert_int_equal(col[2], 3);
	{
		size_t end = token_end(head, 4, &s);
		assert_int_equal(end, s); /* no fifth title */
	}
	for (size_t k = 0; k < sizeof reports / sizeof reports[0]; k++) {
		char *line = capture_epoch(&reports[k], 0);
		double loss = reports[k].loss;

		check_one_line(line);
		/* Right-aligned: each number ends where its title ends. */
		for (int c = 0; c < 4; c++)
			assert_int_equal(token_end(line, col[c], &s),
			    token_end(head, col[c], &s));
		/* And says what it was given. */
		token_end(line, col[0], &s);
		assert_int_equal(strtoul(line + s, NULL, 10), reports[k].epoch);
		token_end(line, col[1], &s);
		assert_near(strtod(line + s, NULL), loss, 1e-9 * loss + 5e-11);
		token_end(line, col[2], &s);
		assert_near(strtod(line + s, NULL), reports[k].seconds,
		    0.0005 + 1e-12);
		token_end(line, col[3], &s);
		assert_near(strtod(line + s, NULL), reports[k].rate,
		    1e-4 * reports[k].rate);
		free(line);
	}
	free(head);
}

static void
summary_matches_the_spec_example(void **state)
{
	struct fit_summary s;
	char *out, mode[32], loss[32], constant[32], rest[64];
	unsigned long epochs;
	double rate, final, best, explains;

	(void)state;
	memset(&s, 0, sizeof s);
	s.epochs = 100;
	s.mode = "batch";
	s.loss = "mse";
	s.constant = "mean";
	s.rate = 0.0921;
	s.rate_auto = 1;
	s.rows = 506;
	s.features = 13;
	s.loss_value = 21.8948;
	s.constant_loss = 84.4196;
	out = capture_summary(&s);
	/* descend: 506 rows, 13 features; 100 epochs of batch gradient descent
	   on mse, learning rate 0.0921 (auto) (one line) */
	{
		size_t rows, features;

		assert_int_equal(
		    sscanf(out,
			"descend: %zu rows, %zu features; %lu epochs "
			"of %31[a-z] gradient descent on %31[a-z], learning rate %lf "
			"%63[^\n]",
			&rows, &features, &epochs, mode, loss, &rate, rest),
		    7);
		assert_int_equal(rows, 506);
		assert_int_equal(features, 13);
	}
	assert_int_equal(epochs, 100);
	assert_string_equal(mode, "batch");
	assert_string_equal(loss, "mse");
	assert_near(rate, 0.0921, 0.0921 * 1e-3);
	assert_string_equal(rest, "(auto)");
	/* descend: final mse 21.8948; best constant (mean) 84.4196; 74.06%
	 * lower */
	{
		const char *second = strchr(out, '\n');
		assert_non_null(second);
		second++;
		assert_int_equal(
		    sscanf(second,
			"descend: final %31[a-z] %lf; best constant (%31[a-z]) %lf; "
			"%lf%% lower",
			loss, &final, constant, &best, &explains),
		    5);
		assert_string_equal(loss, "mse");
		assert_string_equal(constant, "mean");
		assert_near(final, 21.8948, 1e-4);
		assert_near(best, 84.4196, 1e-4);
		/* 100·(1 − 21.8948/84.4196) = 74.064... printed with two
		 * decimals */
		assert_near(explains, 74.06, 0.005 + 1e-9);
		check_one_line(second); /* no training result: no stop line */
	}
	free(out);
}

static void
summary_names_mae_median_and_a_given_rate(void **state)
{
	struct fit_summary s;
	char *out;

	(void)state;
	memset(&s, 0, sizeof s);
	s.epochs = 7;
	s.mode = "sgd";
	s.loss = "mae";
	s.constant = "median";
	s.rate = 0.5;
	s.rate_auto = 0;
	s.rows = 10;
	s.features = 2;
	s.loss_value = 1.5;
	s.constant_loss = 3;
	out = capture_summary(&s);
	assert_contains(out,
	    "descend: 10 rows, 2 features; 7 epochs of stochastic "
	    "gradient descent on mae, learning rate 0.5\n");
	assert_null(strstr(out, "(auto)"));
	assert_contains(out, "final mae 1.5;");
	assert_contains(out, "best constant (median) 3;");
	assert_contains(out, "50.00% lower");
	free(out);
}

/*
 * With a training result: one line says why training stopped, the next how far
 * from the optimum it is and, beyond 1e-6, what reaches it; no line claims more
 * epochs would help unless the certificate says how many.
 */
static void
summary_says_why_it_stopped_and_how_far(void **state)
{
	struct fit_summary s;
	struct train_result r;
	char *out;

	(void)state;
	memset(&s, 0, sizeof s);
	memset(&r, 0, sizeof r);
	s.epochs = r.epochs = 100;
	s.mode = "batch";
	s.loss = "mse";
	s.constant = "mean";
	s.schedule = "constant";
	s.quadratic = 1;
	s.rate = 0.1;
	s.rate_auto = 1;
	s.loss_value = 2;
	s.constant_loss = 4;
	s.result = &r;
	r.stop = TRAIN_STOP_EPOCHS;
	r.cert = (struct train_certificate){ .rel_gap = 1e-3,
		.epochs_needed = 120,
		.grad_ratio = (double)NAN };
	out = capture_summary(&s);
	assert_contains(out,
	    "\ndescend: stopped: the epochs ran out (-e 100)\n");
	assert_contains(out,
	    "\ndescend: not at the optimum: objective 0.001 above "
	    "it (relative); at most 120 more epochs of gd reach 1e-06; --solver "
	    "exact solves it directly\n");
	assert_null(strstr(out, "converged"));
	free(out);

	r.cert.rel_gap = 3e-9;
	out = capture_summary(&s);
	assert_contains(out,
	    "\ndescend: at the optimum: objective within 3e-09 of "
	    "it (relative)\n");
	free(out);

	s.loss = "logistic";
	s.quadratic = 0;
	s.classification = 1;
	s.optimizer = "lbfgs";
	r.stop = TRAIN_STOP_NO_DECREASE;
	r.epochs = 0;
	r.cert = (struct train_certificate){ .rel_gap = (double)NAN,
		.epochs_needed = (double)NAN,
		.grad_ratio = 1 };
	out = capture_summary(&s);
	assert_contains(out, "descend: final log loss 2;");
	assert_contains(out,
	    "\ndescend: stopped: L-BFGS's line search found no "
	    "step that lowers the objective\n");
	assert_contains(out,
	    "\ndescend: gradient 1 of its size at the start; -r "
	    "sets L-BFGS's first step: a smaller one lets its line search begin\n");
	free(out);
}

/* The --log CSV: fixed header; numbers shortest; an empty val_loss without
 * validation. */
static void
log_lines_are_csv_with_an_empty_val_loss_when_none(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct epoch_report with = REPORT(3, 0.1, 0.25, 0.5, 1.5);
	struct epoch_report without = REPORT(4, 2, (double)NAN, 0.5, 0);

	(void)state;
	assert_non_null(f);
	report_log_header(f, 0);
	report_log(f, &with, 0);
	report_log(f, &without, 0);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf,
	    "epoch,train_loss,val_loss,learning_rate,seconds\n"
	    "3,0.1,0.25,0.5,1.500000\n"
	    "4,2,,0.5,0.000000\n");
	free(buf);
}

/* With validation the table gains a val_loss column between loss and rate. */
static void
table_with_validation_has_a_val_loss_column(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct epoch_report r = REPORT(12, 1.5, 2.5, 0.125, 0);
	char head[5][16], line[5][32];

	(void)state;
	assert_non_null(f);
	report_epoch_header(f, 1);
	report_epoch(f, &r, 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(
	    sscanf(buf, "%15s %15s %15s %15s %15s %31s %31s %31s %31s %31s",
		head[0], head[1], head[2], head[3], head[4], line[0], line[1],
		line[2], line[3], line[4]),
	    10);
	assert_string_equal(head[2], "val_loss");
	assert_string_equal(line[0], "12");
	assert_string_equal(line[1], "1.5");
	assert_string_equal(line[2], "2.5");
	assert_string_equal(line[3], "0.125");
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    log_lines_are_csv_with_an_empty_val_loss_when_none),
		cmocka_unit_test(table_with_validation_has_a_val_loss_column),
		cmocka_unit_test(epoch_lines_align_under_the_header),
		cmocka_unit_test(summary_matches_the_spec_example),
		cmocka_unit_test(summary_names_mae_median_and_a_given_rate),
		cmocka_unit_test(summary_says_why_it_stopped_and_how_far),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
