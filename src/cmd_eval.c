/*
 * cmd_eval.c: descend eval. Scores a model on data whose targets are known, next
 * to the best constant prediction on the same data, so that a number means
 * something on its own.
 */
#include <err.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "csv.h"
#include "model.h"
#include "predict.h"
#include "table.h"

enum { OPT_PRETTY = 256 };

static const struct option long_options[] = {
	{ "delimiter", required_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	{ "no-header", no_argument, NULL, CMD_OPT_NO_HEADER },
	{ "pretty", no_argument, NULL, OPT_PRETTY },
	{ "target", required_argument, NULL, 't' },
	{ "unseen", required_argument, NULL, CMD_OPT_UNSEEN },
	{ "weights", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 }
};

static const char synopsis[] =
    "usage: descend eval -w weights [-d delim] [--no-header] [-t target]\n"
    "                    [--unseen error|zero] [--pretty] [file]\n";

static const char help[] =
    "\nScore the model on a CSV file (or standard input) with known targets:\n"
    "n, MSE, RMSE, MAE and R², and the same for the best constant prediction,\n"
    "as a metric,value CSV.\n\n"
    "  -w, --weights FILE       the weights CSV written by descend fit\n"
    "  -t, --target NAME|N      target column (default: the last)\n"
    "  -d, --delimiter C        field delimiter, or the word tab (default: ,)\n"
    "      --no-header          the input has no header; columns x1..xd, y\n"
    "      --unseen error|zero  a text level not seen in training: an error\n"
    "                           (default), or all its indicators 0\n"
    "      --pretty             a table for people instead of CSV\n"
    "  -h, --help               show this help\n\n"
    "Exit status: 0 done, 1 bad input, 2 usage. See descend(1).\n";

struct eval_options {
	struct apply_options in;
	const char *target;		/* -t, or NULL for the last column */
	int pretty;			/* --pretty */
};

/* Running sums over the rows, and the targets (for their median). */
struct run {
	const struct eval_options *o;
	const char *name;
	struct model model;
	struct predictor p;
	size_t target;			/* column of the target */
	int started;
	double sse, sae;		/* Σ r², Σ |r| of the model */
	double *y;			/* (n) targets */
	size_t n, cap;
};

static void
parse_options(int argc, char **argv, struct eval_options *o)
{
	int c;

	*o = (struct eval_options){ .in = { .delimiter = ',', .header = 1 } };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:ht:w:", long_options, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(synopsis, stdout);
			fputs(help, stdout);
			exit(EXIT_OK);
		case 't':
			o->target = optarg;
			break;
		case OPT_PRETTY:
			o->pretty = 1;
			break;
		default:
			if (!cmd_apply_option(c, &o->in))
				cmd_bad_option(c, argv, synopsis);
		}
	}
	cmd_apply_finish(argc, argv, "eval", synopsis, &o->in);
}

/* Find the target column among the input's, once the predictor knows them. */
static int
find_target(struct run *r, struct error *e)
{
	const char *spec = r->o->target;
	long col = spec ? predictor_column(&r->p, spec) : (long)r->p.ncols - 1;

	if (col < 0 && spec[0] != '\0' && strspn(spec, "0123456789") == strlen(spec))
		return error_set(e, EXIT_USAGE, "%s: target column %s not found (the "
		    "input has %zu columns)", r->name, spec, r->p.ncols);
	if (col < 0)
		return error_set(e, EXIT_USAGE, "%s: target column \"%s\" not found",
		    r->name, spec);
	for (size_t k = 1; k < r->model.nterms; k++)
		if (r->p.column[k] == (size_t)col)
			return error_set(e, EXIT_USAGE, "%s: the target \"%s\" is a "
			    "feature of the model", r->name, r->p.colname[col]);
	r->target = (size_t)col;
	return 0;
}

static int
on_record(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct run *r = ctx;
	double pred, y;

	if (!r->started) {
		r->started = 1;
		if (predictor_init(&r->p, &r->model, r->name, rec, r->o->in.header, 1, e) ||
		    find_target(r, e))
			return -1;
		if (r->o->in.header)
			return 0;
	}
	if (predictor_apply(&r->p, rec, &pred, e) ||
	    table_cell(r->name, rec, r->target, r->p.colname[r->target], 0, &y, e))
		return -1;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->y = xreallocarray(r->y, r->cap, sizeof(double));
	}
	r->y[r->n++] = y;
	r->sse += (y - pred) * (y - pred);
	r->sae += fabs(y - pred);
	return 0;
}

static int
compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct metrics {
	size_t n;
	double mse, mae, r2;		/* of the model */
	double constant_mse, constant_mae;	/* of the mean, of the median */
};

/* The metrics from the sums; sorts r->y. */
static void
summarize(struct run *r, struct metrics *m)
{
	double n = (double)r->n, sum = 0, sst = 0, sad = 0, mean, median;

	for (size_t i = 0; i < r->n; i++)
		sum += r->y[i];
	mean = sum / n;
	for (size_t i = 0; i < r->n; i++)
		sst += (r->y[i] - mean) * (r->y[i] - mean);
	qsort(r->y, r->n, sizeof(double), compare_double);
	median = r->n % 2 ? r->y[r->n / 2] :
	    r->y[r->n / 2 - 1] / 2 + r->y[r->n / 2] / 2;
	for (size_t i = 0; i < r->n; i++)
		sad += fabs(r->y[i] - median);
	m->n = r->n;
	m->mse = r->sse / n;
	m->mae = r->sae / n;
	m->r2 = sst > 0 ? 1 - r->sse / sst : (double)NAN;
	m->constant_mse = sst / n;
	m->constant_mae = sad / n;
}

static void
print_csv(const struct metrics *m)
{
	printf("metric,value\nn,%zu\n", m->n);
	printf("mse,%.17g\nrmse,%.17g\nmae,%.17g\nr2,%.17g\n", m->mse, sqrt(m->mse),
	    m->mae, m->r2);
	printf("constant_mse,%.17g\nconstant_rmse,%.17g\nconstant_mae,%.17g\n",
	    m->constant_mse, sqrt(m->constant_mse), m->constant_mae);
}

static void
print_pretty(const struct metrics *m)
{
	printf("%-6s %16s %16s\n", "metric", "model", "best constant");
	printf("%-6s %16zu\n", "n", m->n);
	printf("%-6s %16.8g %16.8g\n", "mse", m->mse, m->constant_mse);
	printf("%-6s %16.8g %16.8g\n", "rmse", sqrt(m->mse), sqrt(m->constant_mse));
	printf("%-6s %16.8g %16.8g\n", "mae", m->mae, m->constant_mae);
	printf("%-6s %16.8g %16.8g\n", "r2", m->r2, m->r2 == m->r2 ? 0.0 : (double)NAN);
}

int
cmd_eval(int argc, char **argv)
{
	struct eval_options o;
	struct run r = { .o = &o };
	struct csv_options copt;
	struct metrics m;
	struct error e;
	int fd;

	parse_options(argc, argv, &o);
	r.p.unseen_zero = o.in.unseen_zero;
	cmd_load_model(o.in.weights, &r.model);
	r.name = o.in.input ? o.in.input : "<stdin>";
	copt = (struct csv_options){ .name = r.name, .delimiter = o.in.delimiter };
	fd = cmd_open_input(o.in.input);
	if (csv_read(fd, &copt, on_record, &r, &e) != 0)
		error_exit(&e);
	if (!r.started)
		errx(EXIT_INPUT, "%s: empty input", r.name);
	if (r.n == 0)
		errx(EXIT_INPUT, "%s: no data rows", r.name);
	summarize(&r, &m);
	if (!isfinite(m.mse) || !isfinite(m.constant_mse))
		errx(EXIT_INPUT, "%s: the squared errors overflow a double; the "
		    "target's values are too large", r.name);
	if (isnan(m.r2))
		warnx("warning: the target is constant; r2 is undefined");
	if (o.pretty)
		print_pretty(&m);
	else
		print_csv(&m);
	if (fflush(stdout) != 0 || ferror(stdout))
		err(EXIT_INPUT, "standard output");
	if (fd != STDIN_FILENO)
		close(fd);
	predictor_free(&r.p);
	model_free(&r.model);
	free(r.y);
	return EXIT_OK;
}
