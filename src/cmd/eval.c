/*
 * cmd/eval.c: descend eval. Scores a model on data whose targets are known,
 * next to the best constant prediction on the same data, so that a number means
 * something on its own.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "csv.h"
#include "failure.h"
#include "json.h"
#include "metrics.h"
#include "names.h"
#include "model.h"
#include "num.h"
#include "opt.h"
#include "predict.h"
#include "utf8.h"
#include "table.h"

#define CMD_MISSING_HELP "a missing value: an error, or the row left out"

static const char synopsis[] =
    "usage: descend eval -w weights [options] [file]\n";

static const char help_head[] =
    "\nScore the model on a CSV file (or standard input) with known targets,\n"
    "next to the best constant prediction. A regression model: n, MSE, RMSE,\n"
    "MAE and R², as a metric,value CSV. A classification model: log loss,\n"
    "accuracy, precision, recall and F1 per class and their means, Brier,\n"
    "ROC and PR AUC, and the confusion matrix, as a metric,class,value CSV;\n"
    "or either as JSON.\n\n";
static const char help_tail[] =
    "\nExit status: 0 done, 1 bad input, 2 usage. See descend-eval(1).\n";

struct eval_options {
	struct apply_options in;
	const char *target; /* -t, or NULL for the last column */
	const char *weight; /* --weight, or NULL */
	int pretty;	    /* --pretty */
	int json;	    /* --format json */
};

#define E(m) OPT_AT(struct eval_options, m)

enum { ID_HELP = 1 };

static const char *const format_words[] = { "csv", "json", NULL };

/* eval's options, in the order of --help. */
static const struct opt_spec eval_opts[] = {
	CMD_OPT_WEIGHTS(struct eval_options),
	{ "target", 't', OPT_STRING, E(target), .flags = OPT_COLUMNS,
	    .arg = "NAME|N", .help = "target column (default: the last)" },
	{ "weight", 0, OPT_STRING, E(weight), .arg = "NAME|N",
	    .help = "row weights column: weighted metrics" },
	CMD_OPT_DELIMITER(struct eval_options),
	CMD_OPT_DECIMAL,
	{ "no-header", 0, OPT_FLAG, E(in.header), .value = 0,
	    .help = "the input has no header; columns x1..xd, y" },
	CMD_OPT_MISSING(struct eval_options),
	CMD_OPT_NA_VALUES(struct eval_options, in.na_values),
	CMD_OPT_UNSEEN(struct eval_options),
	{ "format", 0, OPT_WORD, E(json), .words = format_words,
	    .help = "the metrics as CSV (default) or as JSON" },
	{ "pretty", 0, OPT_FLAG, E(pretty), .value = 1,
	    .help = "a table for people instead of CSV" },
	{ "help", 'h', OPT_FLAG, .offset = OPT_NO_STORE, .id = ID_HELP,
	    .help = "show this help" },
};

#define NEVAL (sizeof(eval_opts) / sizeof(eval_opts[0]))

const struct opt_spec *
cmd_eval_options(size_t *n)
{
	*n = NEVAL;
	return eval_opts;
}

/* Running sums over the rows, and the targets (for their median). */
struct eval_run {
	const struct eval_options *o;
	const char *name;
	struct model model;
	struct predictor p;
	size_t target; /* column of the target */
	long weight;   /* column of the row weights (--weight), or -1 */
	double v;      /* the row's weight (1 without --weight) */
	double *rw;    /* (n) the weights, with --weight */
	double *total; /* (K) weight of each class, with --weight */
	double right;  /* Σ weight of the rows classified right */
	int started;
	double sse, sae; /* Σ r², Σ |r| of the model */
	double deviance; /* a Poisson model's Σ unit deviance */
	double *y;	 /* (n) targets */
	size_t n, cap;
	double *z;	   /* (model.outputs) the scores of a row */
	size_t *confusion; /* (K, K) for K classes: rows actual,
			      columns predicted */
	double log_loss;   /* Σ −log P(actual class) */
	double *proba;	   /* (n, K) each row's class probabilities,
			      for the ranking scores */
	size_t *label;	   /* (n) each row's class */
	size_t skipped;	   /* rows left out by --missing drop */
};

static void
take_option(const struct opt_spec *s, const char *arg, const char *word,
    void *dst)
{
	struct eval_options *o = dst;

	(void)word;
	if (s->id == ID_HELP)
		cmd_help(synopsis, help_head, eval_opts, NEVAL, 26, help_tail);
	if (s->id == CMD_ID_DELIMITER)
		o->in.delimiter = cmd_delimiter(arg);
	if (s->id == CMD_ID_DECIMAL)
		o->in.decimal_comma = cmd_decimal(arg);
}

static void
parse_options(int argc, char **argv, struct eval_options *o)
{
	*o = (struct eval_options){ .in = { .header = 1 } };
	cmd_options(argc, argv, eval_opts, NEVAL, o, synopsis, take_option);
	if (o->pretty && o->json)
		cmd_usage_error(
		    "--pretty and --format json cannot be combined");
	cmd_apply_finish(argc, argv, "eval", synopsis, &o->in);
}

/*
 * The --weight column among the input's: not the target and not a feature of
 * the model. -1 with e filled if it is either or is not found.
 */
static int
find_weight(struct eval_run *r, struct error *e)
{
	const char *spec = r->o->weight;
	long col;

	r->weight = -1;
	if (spec == NULL)
		return 0;
	if ((col = predictor_column(&r->p, spec)) < 0)
		return error_set(e, EXIT_USAGE,
		    "%s: --weight column \"%s\" not found", r->name, spec);
	if ((size_t)col == r->target)
		return error_set(e, EXIT_USAGE,
		    "%s: --weight column \"%s\" is the target column", r->name,
		    r->p.colname[col]);
	for (size_t k = 1; k < r->model.nterms; k++)
		if (r->p.column[k] == (size_t)col)
			return error_set(e, EXIT_USAGE,
			    "%s: --weight column \"%s\" is a feature of the "
			    "model",
			    r->name, r->p.colname[col]);
	r->weight = col;
	return 0;
}

/*
 * The row's weight into r->v (1 without --weight): finite and ≥ 0, else -1
 * with e naming the cell.
 */
static int
row_weight(struct eval_run *r, const struct csv_record *rec, struct error *e)
{
	size_t col = (size_t)r->weight;

	r->v = 1;
	if (r->weight < 0)
		return 0;
	if (table_cell(r->name, rec, col, r->p.colname[col], 0, &r->v, e))
		return -1;
	if (isfinite(r->v) && r->v >= 0)
		return 0;
	return error_set(e, EXIT_INPUT,
	    "%s:%ld:%zu: the weight %g in column \"%s\" is %s; row weights "
	    "must be finite and 0 or more",
	    r->name, rec->line, col + 1, r->v, r->p.colname[col],
	    isfinite(r->v) ? "negative" : "not finite");
}

/* Find the target column among the input's, once the predictor knows them. */
static int
find_target(struct eval_run *r, struct error *e)
{
	const char *spec = r->o->target ? r->o->target : r->model.target;
	long col = spec ? predictor_column(&r->p, spec) : (long)r->p.ncols - 1;
	char hint[800];

	if (col < 0 && spec[0] != '\0' &&
	    strspn(spec, "0123456789") == strlen(spec))
		return error_set(e, EXIT_USAGE,
		    "%s: target column %s not found (the "
		    "input has %zu columns)",
		    r->name, spec, r->p.ncols);
	if (col < 0)
		return error_set(e, EXIT_USAGE,
		    "%s: target column \"%s\"%s not found%s", r->name, spec,
		    r->o->target ? "" : " (named by the weights file)",
		    names_hint(hint, sizeof(hint),
			(const char *const *)r->p.colname, r->p.ncols, spec,
			"columns"));
	for (size_t k = 1; k < r->model.nterms; k++)
		if (predictor_reads(&r->p, k, (size_t)col))
			return error_set(e, EXIT_USAGE,
			    "%s: the target \"%s\" is a "
			    "feature of the model",
			    r->name, r->p.colname[col]);
	r->target = (size_t)col;
	return find_weight(r, e);
}

/*
 * A row of a Poisson model: its prediction the mean e^z, which *pred (z)
 * becomes, and its unit deviance summed; a negative target is an error.
 */
static int
poisson_row(struct eval_run *r, const struct csv_record *rec, double y,
    double *pred, struct error *e)
{
	if (y < 0)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld:%zu: target \"%s\" is %g; a Poisson model's "
		    "deviance needs values >= 0",
		    r->name, rec->line, r->target + 1, r->p.colname[r->target],
		    y);
	*pred = exp(*pred);
	r->deviance += metrics_poisson_deviance(y, *pred);
	return 0;
}

/* A row of a classification model: its label, its predicted class, its loss. */
static int
add_class_row(struct eval_run *r, const struct csv_record *rec, struct error *e)
{
	const struct model *m = &r->model;
	const char *label = rec->field[r->target];
	size_t y = 0, K = m->nclasses, predicted;
	char value[128];

	while (y < K && strcmp(m->classes[y], label) != 0)
		y++;
	if (y == K) {
		error_quote(value, sizeof(value), label, rec->len[r->target]);
		return error_set(e, EXIT_INPUT,
		    "%s:%ld:%zu: \"%s\" in column \"%s\" "
		    "is not a class of the model (it knows %zu: \"%s\" to "
		    "\"%s\")",
		    r->name, rec->line, r->target + 1, value,
		    r->p.colname[r->target], K, m->classes[0],
		    m->classes[K - 1]);
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->proba = xreallocarray(r->proba, r->cap, K * sizeof(double));
		r->label = xreallocarray(r->label, r->cap, sizeof(size_t));
	}
	predicted = predictor_class(m, r->z, r->proba + r->n * K);
	r->confusion[y * K + predicted]++;
	r->label[r->n] = y;
	r->log_loss += r->v * metrics_log_loss(m->outputs, r->z, y);
	r->right += predicted == y ? r->v : 0;
	r->total[y] += r->v;
	r->n++;
	return 0;
}

/* The classes scored by ROC and PR AUC: the positive one of two, else all. */
static size_t
first_ranked(const struct eval_run *r)
{
	return r->model.nclasses == 2 ? 1 : 0;
}

static int
on_record(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct eval_run *r = ctx;
	double pred, y;

	if (!r->started) {
		r->started = 1;
		if (predictor_init(&r->p, &r->model, r->name, rec,
			r->o->in.header, 1, e) ||
		    find_target(r, e))
			return -1;
		if (r->o->in.header)
			return 0;
	}
	if (r->o->in.missing_drop && rec->nfields == r->p.ncols &&
	    (predictor_missing(&r->p, rec) ||
		table_is_missing(rec->field[r->target], rec->len[r->target]))) {
		r->skipped++;
		return 0;
	}
	if (row_weight(r, rec, e))
		return -1;
	if (r->model.nclasses > 0)
		return predictor_apply(&r->p, rec, r->z, e) ||
			add_class_row(r, rec, e)
		    ? -1
		    : 0;
	if (predictor_apply(&r->p, rec, &pred, e) ||
	    table_cell(r->name, rec, r->target, r->p.colname[r->target], 0, &y,
		e))
		return -1;
	if (r->model.poisson && poisson_row(r, rec, y, &pred, e))
		return -1;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->y = xreallocarray(r->y, r->cap, sizeof(double));
		r->rw = xreallocarray(r->rw, r->cap, sizeof(double));
	}
	r->rw[r->n] = r->v;
	r->y[r->n++] = y;
	r->sse += r->v * (y - pred) * (y - pred);
	r->sae += r->v * fabs(y - pred);
	return 0;
}

/* A line name,v of the CSV, v shortest (num_format). */
static void
csv_metric(const char *name, double v)
{
	printf("%s,", name);
	num_write(stdout, v);
	putchar('\n');
}

static void
print_csv(const struct regression_metrics *m, const struct eval_run *r)
{
	printf("metric,value\nn,%zu\n", m->n);
	csv_metric("mse", m->mse);
	csv_metric("rmse", sqrt(m->mse));
	csv_metric("mae", m->mae);
	csv_metric("r2", m->r2);
	csv_metric("constant_mse", m->constant_mse);
	csv_metric("constant_rmse", sqrt(m->constant_mse));
	csv_metric("constant_mae", m->constant_mae);
	if (r->model.poisson) {
		csv_metric("deviance", r->deviance);
		csv_metric("mean_deviance", r->deviance / (double)m->n);
	}
}

static void
print_json(const struct regression_metrics *m, const struct eval_run *r)
{
	json_member(stdout, "{\n  ", "n", (double)m->n);
	json_member(stdout, ",\n  ", "mse", m->mse);
	json_member(stdout, ",\n  ", "rmse", sqrt(m->mse));
	json_member(stdout, ",\n  ", "mae", m->mae);
	json_member(stdout, ",\n  ", "r2", m->r2);
	json_member(stdout, ",\n  \"constant\": {", "mse", m->constant_mse);
	json_member(stdout, ", ", "rmse", sqrt(m->constant_mse));
	json_member(stdout, ", ", "mae", m->constant_mae);
	fputs("}", stdout);
	if (r->model.poisson) {
		json_member(stdout, ",\n  ", "deviance", r->deviance);
		json_member(stdout, ",\n  ", "mean_deviance",
		    r->deviance / (double)m->n);
	}
	fputs("\n}\n", stdout);
}

static void
print_pretty(const struct regression_metrics *m, const struct eval_run *r)
{
	printf("%-6s %16s %16s\n", "metric", "model", "best constant");
	printf("%-6s %16zu\n", "n", m->n);
	printf("%-6s %16.8g %16.8g\n", "mse", m->mse, m->constant_mse);
	printf("%-6s %16.8g %16.8g\n", "rmse", sqrt(m->mse),
	    sqrt(m->constant_mse));
	printf("%-6s %16.8g %16.8g\n", "mae", m->mae, m->constant_mae);
	printf("%-6s %16.8g %16.8g\n", "r2", m->r2,
	    m->r2 == m->r2 ? 0.0 : (double)NAN);
	if (r->model.poisson) {
		printf("deviance %14.8g\n", r->deviance);
		printf("mean deviance %9.8g\n", r->deviance / (double)m->n);
	}
}

/* A line metric,class,value of the CSV, the class quoted where CSV needs it. */
static void
metric_line(const char *metric, const char *class, double value)
{
	csv_write_field(stdout, metric, ',');
	putchar(',');
	csv_write_field(stdout, class, ',');
	putchar(',');
	if (isnan(value))
		fputs("NA", stdout);
	else
		num_write(stdout, value);
	putchar('\n');
}

/* The table for people: overall, per class, and the confusion matrix. */
static void
print_classes_pretty(const struct eval_run *r, double cacc, double closs,
    size_t right)
{
	size_t K = r->model.nclasses, width = 10;
	double p, rc, f, mp = 0, mr = 0, mf = 0;
	char *const *c = r->model.classes;

	/* padded by the columns a terminal gives the labels, not bytes */
	for (size_t k = 0; k < K; k++)
		width = utf8_width(c[k]) > width ? utf8_width(c[k]) : width;
	printf("%-*s %12s %12s\n", (int)width, "class", "precision", "recall");
	for (size_t k = 0; k < K; k++) {
		metrics_class(r->confusion, K, k, &p, &rc, &f);
		mp += p / (double)K;
		mr += rc / (double)K;
		mf += f / (double)K;
		utf8_pad(stdout, c[k], width, 1);
		printf(" %12.4f %12.4f   f1 %.4f\n", p, rc, f);
	}
	printf("%-*s %12.4f %12.4f   f1 %.4f\n\n", (int)width, "(macro)", mp,
	    mr, mf);
	printf("%-*s %12s %14s\n", (int)width, "metric", "model",
	    "best constant");
	printf("%-*s %12zu\n", (int)width, "n", r->n);
	printf("%-*s %12.6g %14.6g\n", (int)width, "log_loss",
	    r->log_loss / (double)r->n, closs);
	printf("%-*s %12.4f %14.4f\n", (int)width, "accuracy",
	    (double)right / (double)r->n, cacc);
	printf("%-*s %12.6g\n", (int)width, "brier",
	    metrics_brier(r->proba, r->label, r->n, K));
	for (size_t k = first_ranked(r); k < K; k++) {
		double roc, pr;

		metrics_ranking(r->proba, r->label, r->n, K, k, &roc, &pr);
		printf("%-*s %12.4f   ", (int)width, "roc_auc", roc);
		utf8_pad(stdout, c[k], 0, 1);
		printf("\n%-*s %12.4f   ", (int)width, "pr_auc", pr);
		utf8_pad(stdout, c[k], 0, 1);
		putchar('\n');
	}
	putchar('\n');
	printf("confusion: rows actual, columns predicted\n%-*s", (int)width,
	    "");
	for (size_t b = 0; b < K; b++) {
		putchar(' ');
		utf8_pad(stdout, c[b], width, 0);
	}
	putchar('\n');
	for (size_t a = 0; a < K; a++) {
		utf8_pad(stdout, c[a], width, 1);
		for (size_t b = 0; b < K; b++)
			printf(" %*zu", (int)width, r->confusion[a * K + b]);
		putchar('\n');
	}
}

/* "precision", "recall" and "f1" as members of a JSON object. */
static void
json_scores(double precision, double recall, double f1)
{
	json_member(stdout, "{", "precision", precision);
	json_member(stdout, ", ", "recall", recall);
	json_member(stdout, ", ", "f1", f1);
	putchar('}');
}

/* The metrics of a classification model as JSON (see descend(1)). */
static void
print_classes_json(const struct eval_run *r, double cacc, double closs,
    size_t right)
{
	size_t K = r->model.nclasses;
	double p, rc, f, mp = 0, mr = 0, mf = 0;
	char *const *c = r->model.classes;

	json_member(stdout, "{\n  ", "n", (double)r->n);
	json_member(stdout, ",\n  ", "log_loss", r->log_loss / (double)r->n);
	json_member(stdout, ",\n  ", "accuracy", (double)right / (double)r->n);
	fputs(",\n  \"classes\": {", stdout);
	for (size_t k = 0; k < K; k++) {
		metrics_class(r->confusion, K, k, &p, &rc, &f);
		mp += p / (double)K;
		mr += rc / (double)K;
		mf += f / (double)K;
		fputs(k ? ",\n    " : "\n    ", stdout);
		json_string(stdout, c[k]);
		fputs(": ", stdout);
		json_scores(p, rc, f);
	}
	fputs("\n  },\n  \"macro\": ", stdout);
	json_member(stdout, "{", "precision", mp);
	json_member(stdout, ", ", "recall", mr);
	json_member(stdout, ", ", "f1", mf);
	if (K > 2) {
		/* the macro means of the ranking scores join the others */
		double sroc = 0, spr = 0, roc, pr;

		for (size_t k = 0; k < K; k++) {
			metrics_ranking(r->proba, r->label, r->n, K, k, &roc,
			    &pr);
			sroc += roc;
			spr += pr;
		}
		json_member(stdout, ", ", "roc_auc", sroc / (double)K);
		json_member(stdout, ", ", "pr_auc", spr / (double)K);
	}
	putchar('}');
	json_member(stdout, ",\n  ", "brier",
	    metrics_brier(r->proba, r->label, r->n, K));
	for (int which = 0; which < 2; which++) {
		printf(",\n  \"%s\": {", which ? "pr_auc" : "roc_auc");
		for (size_t k = first_ranked(r); k < K; k++) {
			double roc, pr;

			metrics_ranking(r->proba, r->label, r->n, K, k, &roc,
			    &pr);
			fputs(k > first_ranked(r) ? ", " : "", stdout);
			json_string(stdout, c[k]);
			fputs(": ", stdout);
			json_number(stdout, which ? pr : roc);
		}
		putchar('}');
	}
	json_member(stdout, ",\n  \"constant\": {", "log_loss", closs);
	json_member(stdout, ", ", "accuracy", cacc);
	fputs("},\n  \"confusion\": {", stdout);
	for (size_t a = 0; a < K; a++) {
		fputs(a ? ",\n    " : "\n    ", stdout);
		json_string(stdout, c[a]);
		fputs(": {", stdout);
		for (size_t b = 0; b < K; b++) {
			fputs(b ? ", " : "", stdout);
			json_string(stdout, c[b]);
			printf(": %zu", r->confusion[a * K + b]);
		}
		putchar('}');
	}
	fputs("\n  }\n}\n", stdout);
}

/* The metrics of a classification model: CSV metric,class,value, a table or
 * JSON. */
static void
print_classes(const struct eval_run *r, const struct eval_options *o)
{
	size_t K = r->model.nclasses, right = 0;
	double p, rc, f, mp = 0, mr = 0, mf = 0, cacc, closs, mroc = 0, mpr = 0;
	char *const *c = r->model.classes;

	for (size_t k = 0; k < K; k++)
		right += r->confusion[k * K + k];
	metrics_constant(r->confusion, K, r->n, &cacc, &closs);
	if (o->pretty || o->json) {
		if (o->pretty)
			print_classes_pretty(r, cacc, closs, right);
		else
			print_classes_json(r, cacc, closs, right);
		return;
	}
	printf("metric,class,value\n");
	metric_line("n", "", (double)r->n);
	metric_line("log_loss", "", r->log_loss / (double)r->n);
	metric_line("accuracy", "", (double)right / (double)r->n);
	for (size_t k = 0; k < K; k++) {
		metrics_class(r->confusion, K, k, &p, &rc, &f);
		mp += p / (double)K;
		mr += rc / (double)K;
		mf += f / (double)K;
		metric_line("precision", c[k], p);
		metric_line("recall", c[k], rc);
		metric_line("f1", c[k], f);
	}
	metric_line("macro_precision", "", mp);
	metric_line("macro_recall", "", mr);
	metric_line("macro_f1", "", mf);
	metric_line("brier", "", metrics_brier(r->proba, r->label, r->n, K));
	for (size_t k = first_ranked(r), n = 0; k < K; k++, n++) {
		double roc, pr;

		metrics_ranking(r->proba, r->label, r->n, K, k, &roc, &pr);
		metric_line("roc_auc", c[k], roc);
		metric_line("pr_auc", c[k], pr);
		mroc += roc;
		mpr += pr;
		if (k + 1 == K && n > 0) {
			metric_line("macro_roc_auc", "",
			    mroc / (double)(n + 1));
			metric_line("macro_pr_auc", "", mpr / (double)(n + 1));
		}
	}
	metric_line("constant_log_loss", "", closs);
	metric_line("constant_accuracy", "", cacc);
	for (size_t b = 0; b < K; b++) {
		size_t len = strlen(c[b]) + 11;
		char *name = xmalloc(len);

		snprintf(name, len, "predicted:%s", c[b]);
		for (size_t a = 0; a < K; a++)
			metric_line(name, c[a],
			    (double)r->confusion[a * K + b]);
		free(name);
	}
}

static void print_numbers(struct eval_run *r, const struct eval_options *o);

static double
weight_sum(const struct eval_run *r)
{
	double sum = 0;

	for (size_t k = 0; k < r->model.nclasses; k++)
		sum += r->total[k];
	for (size_t i = 0; r->model.nclasses == 0 && i < r->n; i++)
		sum += r->rw[i];
	return sum;
}

/*
 * With --weight, a classification model's weighted figures alone: the log
 * loss and the accuracy as Σ v·(·) / Σ v, and those of the best constant by
 * weight (metrics_constant_weighted); CSV metric,class,value, a table or
 * JSON. The per-class scores, Brier, AUCs and the confusion counts are not
 * weighted, and are left out.
 */
static void
print_classes_weighted(const struct eval_run *r, const struct eval_options *o)
{
	double sum = weight_sum(r), cacc, closs;
	const char *name[] = { "weight_sum", "log_loss", "accuracy",
		"constant_log_loss", "constant_accuracy" };
	double value[5];

	metrics_constant_weighted(r->total, r->model.nclasses, sum, &cacc,
	    &closs);
	value[0] = sum;
	value[1] = r->log_loss / sum;
	value[2] = r->right / sum;
	value[3] = closs;
	value[4] = cacc;
	if (o->json)
		json_member(stdout, "{\n  ", "n", (double)r->n);
	else if (o->pretty)
		printf("%-18s %12zu\n", "n", r->n);
	else
		printf("metric,class,value\nn,,%zu\n", r->n);
	for (size_t k = 0; k < 5; k++)
		if (o->json)
			json_member(stdout, ",\n  ", name[k], value[k]);
		else if (o->pretty)
			printf("%-18s %12.6g\n", name[k], value[k]);
		else
			metric_line(name[k], "", value[k]);
	if (o->json)
		fputs("\n}\n", stdout);
}

int
cmd_eval(int argc, char **argv)
{
	struct eval_options o;
	struct eval_run r = { .o = &o };
	struct csv_options copt;
	struct cmd_data data;
	struct error e;
	int raw, fd, status;

	parse_options(argc, argv, &o);
	if (table_na_values(o.in.na_values, &e) != 0)
		error_exit(&e);
	r.p.unseen_zero = o.in.unseen_zero;
	cmd_load_model(o.in.weights, &r.model);
	r.z = xcalloc(r.model.outputs, sizeof(double));
	r.confusion =
	    xcalloc(r.model.nclasses * r.model.nclasses + 1, sizeof(size_t));
	r.total = xcalloc(r.model.nclasses + 1, sizeof(double));
	r.name = o.in.input ? o.in.input : "<stdin>";
	raw = cmd_open_input(o.in.input);
	fd = cmd_data_open(&data, raw, r.name, &o.in.delimiter,
	    o.in.decimal_comma);
	copt = (struct csv_options){ .name = r.name,
		.delimiter = o.in.delimiter,
		.decimal_comma = o.in.decimal_comma };
	status = csv_read(fd, &copt, on_record, &r, &e);
	cmd_data_close(&data, status, &e);
	if (!r.started)
		error_die(EXIT_INPUT, "%s: empty input", r.name);
	if (r.skipped > 0)
		error_warn("left out %zu row%s with missing values", r.skipped,
		    r.skipped == 1 ? "" : "s");
	if (r.n == 0)
		error_die(EXIT_INPUT, "%s: no data rows", r.name);
	if (o.weight != NULL && weight_sum(&r) == 0)
		error_die(EXIT_INPUT,
		    "%s: every row has weight 0 (--weight %s)", r.name,
		    o.weight);
	if (r.model.nclasses > 0 && o.weight != NULL)
		print_classes_weighted(&r, &o);
	else if (r.model.nclasses > 0)
		print_classes(&r, &o);
	else
		print_numbers(&r, &o);
	if (fflush(stdout) != 0 || ferror(stdout))
		error_die_errno(EXIT_INPUT, "standard output");
	if (raw != STDIN_FILENO)
		close(raw);
	predictor_free(&r.p);
	model_free(&r.model);
	free(r.y);
	free(r.z);
	free(r.confusion);
	free(r.total);
	free(r.rw);
	free(r.proba);
	free(r.label);
	return EXIT_OK;
}

/*
 * With --weight: a last line with the weights' sum (the figures above are
 * weighted means over it).
 */
static void
print_weight_sum(const struct eval_options *o, double sum)
{
	if (o->pretty)
		printf("%-6s %16.8g\n", "weight", sum);
	else
		csv_metric("weight_sum", sum);
}

/* The regression metrics, with checks that they are defined. */
static void
print_numbers(struct eval_run *r, const struct eval_options *o)
{
	struct regression_metrics m;

	double sum = (double)r->n;

	if (o->weight != NULL)
		metrics_regression_weighted(r->y, r->rw, r->n, r->sse, r->sae,
		    &m, &sum);
	else
		metrics_regression(r->y, r->n, r->sse, r->sae, &m);
	if (!isfinite(m.mse) || !isfinite(m.constant_mse))
		error_die(EXIT_INPUT,
		    "%s: the squared errors overflow a double; the "
		    "target's values are too large",
		    r->name);
	if (isnan(m.r2))
		error_warn("warning: the target is constant; r2 is undefined");
	if (o->pretty)
		print_pretty(&m, r);
	else if (o->json)
		print_json(&m, r);
	else
		print_csv(&m, r);
	if (o->weight != NULL && !o->json)
		print_weight_sum(o, sum);
}
