/*
 * cmd_eval.c: descend eval. Scores a model on data whose targets are known, next
 * to the best constant prediction on the same data, so that a number means
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
#include "loss.h"
#include "model.h"
#include "num.h"
#include "predict.h"
#include "utf8.h"
#include "table.h"

enum { OPT_PRETTY = 256, OPT_FORMAT };

const struct option cmd_eval_long_options[] = {
	{ "delimiter", required_argument, NULL, 'd' },
	{ "format", required_argument, NULL, OPT_FORMAT },
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
    "                    [--unseen error|zero] [--pretty | --format csv|json]\n"
    "                    [file]\n";

static const char help[] =
    "\nScore the model on a CSV file (or standard input) with known targets,\n"
    "next to the best constant prediction. A regression model: n, MSE, RMSE,\n"
    "MAE and R², as a metric,value CSV. A classification model: log loss,\n"
    "accuracy, precision, recall and F1 per class and their means, Brier,\n"
    "ROC and PR AUC, and the confusion matrix, as a metric,class,value CSV;\n"
    "or either as JSON.\n\n"
    "  -w, --weights FILE       the weights CSV written by descend fit\n"
    "  -t, --target NAME|N      target column (default: the last)\n"
    "  -d, --delimiter C        field delimiter, or the word tab (default: ,)\n"
    "      --no-header          the input has no header; columns x1..xd, y\n"
    "      --unseen error|zero  a text level not seen in training: an error\n"
    "                           (default), or all its indicators 0\n"
    "      --format csv|json    the metrics as CSV (default) or as JSON\n"
    "      --pretty             a table for people instead of CSV\n"
    "  -h, --help               show this help\n\n"
    "Exit status: 0 done, 1 bad input, 2 usage. See descend(1).\n";

struct eval_options {
	struct apply_options in;
	const char *target;		/* -t, or NULL for the last column */
	int pretty;			/* --pretty */
	int json;			/* --format json */
};

/* Running sums over the rows, and the targets (for their median). */
struct eval_run {
	const struct eval_options *o;
	const char *name;
	struct model model;
	struct predictor p;
	size_t target;			/* column of the target */
	int started;
	double sse, sae;		/* Σ r², Σ |r| of the model */
	double *y;			/* (n) targets */
	size_t n, cap;
	double *z;			/* (model.outputs) the scores of a row */
	size_t *confusion;		/* (K, K) for K classes: rows actual,
					   columns predicted */
	double log_loss;		/* Σ −log P(actual class) */
	double *proba;			/* (n, K) each row's class probabilities,
					   for the ranking scores */
	size_t *label;			/* (n) each row's class */
};

static void
parse_options(int argc, char **argv, struct eval_options *o)
{
	int c;

	*o = (struct eval_options){ .in = { .delimiter = ',', .header = 1 } };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:ht:w:", cmd_eval_long_options,
	    NULL)) != -1) {
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
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "json") != 0)
				cmd_usage_error("--format: \"%s\" is not one of csv, "
				    "json", optarg);
			o->json = strcmp(optarg, "json") == 0;
			break;
		default:
			if (!cmd_apply_option(c, &o->in))
				cmd_bad_option(c, argv, synopsis, cmd_eval_long_options);
		}
	}
	if (o->pretty && o->json)
		cmd_usage_error("--pretty and --format json cannot be combined");
	cmd_apply_finish(argc, argv, "eval", synopsis, &o->in);
}

/* Find the target column among the input's, once the predictor knows them. */
static int
find_target(struct eval_run *r, struct error *e)
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

/*
 * −log P(class y) for the scores z: the loss that fit minimised, from loss.c's
 * table, so that eval reports it with the same digits (log(1 + e^z) − y·z and the
 * log-sum-exp less z_y, each in a form that neither overflows nor cancels).
 */
static double
log_loss(const struct model *m, const double *z, size_t y)
{
	if (m->outputs == 1)
		return loss_find("logistic")->value(z[0], (double)y, 0);
	return loss_find("softmax")->classes(z, m->outputs, y, NULL);
}

/* A row of a classification model: its label, its predicted class, its loss. */
static int
add_class_row(struct eval_run *r, const struct csv_record *rec, struct error *e)
{
	const struct model *m = &r->model;
	const char *label = rec->field[r->target];
	size_t y = 0, K = m->nclasses;
	char value[128];

	while (y < K && strcmp(m->classes[y], label) != 0)
		y++;
	if (y == K) {
		error_quote(value, sizeof(value), label, rec->len[r->target]);
		return error_set(e, EXIT_INPUT, "%s:%ld:%zu: \"%s\" in column \"%s\" "
		    "is not a class of the model (it knows %zu: \"%s\" to \"%s\")",
		    r->name, rec->line, r->target + 1, value,
		    r->p.colname[r->target], K, m->classes[0], m->classes[K - 1]);
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->proba = xreallocarray(r->proba, r->cap, K * sizeof(double));
		r->label = xreallocarray(r->label, r->cap, sizeof(size_t));
	}
	r->confusion[y * K + predictor_class(m, r->z, r->proba + r->n * K)]++;
	r->label[r->n] = y;
	r->log_loss += log_loss(m, r->z, y);
	r->n++;
	return 0;
}

/* A row's score for one class and whether it is of that class, for ranking. */
struct scored {
	double p;
	int positive;
};

static int
by_score_down(const void *a, const void *b)
{
	double x = ((const struct scored *)a)->p, y = ((const struct scored *)b)->p;

	return (x < y) - (x > y);
}

/*
 * The ranking scores of class k against the rest, from the rows' probabilities of
 * k: the area under the ROC curve (the chance that a row of k scores above one
 * of the rest, ties counting one half: Mann and Whitney's U over n1·n0) and the
 * average precision, Σ (R_t − R_{t−1})·P_t over the distinct thresholds t from
 * the highest (the step area under the precision-recall curve, as scikit-learn's
 * average_precision_score). NaN when k has no rows or every row is of k.
 */
static void
ranking_scores(const struct eval_run *r, size_t k, double *roc, double *pr)
{
	size_t n = r->n, K = r->model.nclasses, n1 = 0, tp = 0, fp = 0;
	struct scored *s = xcalloc(n ? n : 1, sizeof(*s));
	double u = 0, ap = 0, recall = 0;

	for (size_t i = 0; i < n; i++) {
		s[i] = (struct scored){ .p = r->proba[i * K + k],
		    .positive = r->label[i] == k };
		n1 += s[i].positive;
	}
	*roc = *pr = (double)NAN;
	if (n1 == 0 || n1 == n) {
		free(s);
		return;
	}
	qsort(s, n, sizeof(*s), by_score_down);
	for (size_t i = 0, j; i < n; i = j) {
		size_t pos = 0, neg = 0;

		for (j = i; j < n && s[j].p == s[i].p; j++)
			pos += s[j].positive;
		neg = j - i - pos;
		/* each positive of the group beats the negatives below it */
		u += (double)pos * ((double)(n - n1) - (double)fp - (double)neg) +
		    0.5 * (double)pos * (double)neg;
		tp += pos;
		fp += neg;
		ap += ((double)tp / (double)n1 - recall) * (double)tp /
		    (double)(tp + fp);
		recall = (double)tp / (double)n1;
	}
	*roc = u / ((double)n1 * (double)(n - n1));
	*pr = ap;
	free(s);
}

/*
 * The Brier score: for two classes the mean of (P(positive) − y)², y 1 for the
 * positive class (the second); for more, Brier's own mean of Σ_k (P_k − y_k)²
 * over all classes.
 */
static double
brier(const struct eval_run *r)
{
	size_t K = r->model.nclasses;
	double sum = 0;

	for (size_t i = 0; i < r->n; i++) {
		const double *p = r->proba + i * K;

		if (K == 2) {
			double e = p[1] - (r->label[i] == 1);

			sum += e * e;
			continue;
		}
		for (size_t k = 0; k < K; k++) {
			double e = p[k] - (r->label[i] == k);

			sum += e * e;
		}
	}
	return sum / (double)r->n;
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
		if (predictor_init(&r->p, &r->model, r->name, rec, r->o->in.header, 1, e) ||
		    find_target(r, e))
			return -1;
		if (r->o->in.header)
			return 0;
	}
	if (r->model.nclasses > 0)
		return predictor_apply(&r->p, rec, r->z, e) ||
		    add_class_row(r, rec, e) ? -1 : 0;
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
summarize(struct eval_run *r, struct metrics *m)
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

/* A line name,v of the CSV, v shortest (num_format). */
static void
csv_metric(const char *name, double v)
{
	printf("%s,", name);
	num_write(stdout, v);
	putchar('\n');
}

static void
print_csv(const struct metrics *m)
{
	printf("metric,value\nn,%zu\n", m->n);
	csv_metric("mse", m->mse);
	csv_metric("rmse", sqrt(m->mse));
	csv_metric("mae", m->mae);
	csv_metric("r2", m->r2);
	csv_metric("constant_mse", m->constant_mse);
	csv_metric("constant_rmse", sqrt(m->constant_mse));
	csv_metric("constant_mae", m->constant_mae);
}

/* "key": v as json_number writes it, after sep (", " or ",\n  ", say). */
static void
json_member(const char *sep, const char *key, double v)
{
	printf("%s\"%s\": ", sep, key);
	json_number(stdout, v);
}

static void
print_json(const struct metrics *m)
{
	json_member("{\n  ", "n", (double)m->n);
	json_member(",\n  ", "mse", m->mse);
	json_member(",\n  ", "rmse", sqrt(m->mse));
	json_member(",\n  ", "mae", m->mae);
	json_member(",\n  ", "r2", m->r2);
	json_member(",\n  \"constant\": {", "mse", m->constant_mse);
	json_member(", ", "rmse", sqrt(m->constant_mse));
	json_member(", ", "mae", m->constant_mae);
	fputs("}\n}\n", stdout);
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

/* Per-class precision, recall and F1 from the confusion matrix (0 where 0/0). */
static void
class_scores(const struct eval_run *r, size_t k, double *precision, double *recall,
    double *f1)
{
	size_t K = r->model.nclasses, hit = r->confusion[k * K + k], said = 0,
	    is = 0;

	for (size_t j = 0; j < K; j++) {
		said += r->confusion[j * K + k];
		is += r->confusion[k * K + j];
	}
	*precision = said ? (double)hit / (double)said : 0;
	*recall = is ? (double)hit / (double)is : 0;
	*f1 = *precision + *recall > 0 ?
	    2 * *precision * *recall / (*precision + *recall) : 0;
}

/*
 * The best constant: always the most frequent class (its accuracy), and the
 * class shares as probabilities (their log loss, the entropy of the shares).
 */
static void
constant_scores(const struct eval_run *r, double *accuracy, double *loss)
{
	size_t K = r->model.nclasses, most = 0;

	*loss = 0;
	for (size_t k = 0; k < K; k++) {
		size_t count = 0;

		for (size_t j = 0; j < K; j++)
			count += r->confusion[k * K + j];
		most = count > most ? count : most;
		if (count > 0)
			*loss -= (double)count / (double)r->n *
			    log((double)count / (double)r->n);
	}
	*accuracy = (double)most / (double)r->n;
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
print_classes_pretty(const struct eval_run *r, double cacc, double closs, size_t right)
{
	size_t K = r->model.nclasses, width = 10;
	double p, rc, f, mp = 0, mr = 0, mf = 0;
	char *const *c = r->model.classes;

	/* padded by the columns a terminal gives the labels, not bytes */
	for (size_t k = 0; k < K; k++)
		width = utf8_width(c[k]) > width ? utf8_width(c[k]) : width;
	printf("%-*s %12s %12s\n", (int)width, "class", "precision", "recall");
	for (size_t k = 0; k < K; k++) {
		class_scores(r, k, &p, &rc, &f);
		mp += p / (double)K;
		mr += rc / (double)K;
		mf += f / (double)K;
		utf8_pad(stdout, c[k], width, 1);
		printf(" %12.4f %12.4f   f1 %.4f\n", p, rc, f);
	}
	printf("%-*s %12.4f %12.4f   f1 %.4f\n\n", (int)width, "(macro)", mp, mr, mf);
	printf("%-*s %12s %14s\n", (int)width, "metric", "model", "best constant");
	printf("%-*s %12zu\n", (int)width, "n", r->n);
	printf("%-*s %12.6g %14.6g\n", (int)width, "log_loss",
	    r->log_loss / (double)r->n, closs);
	printf("%-*s %12.4f %14.4f\n", (int)width, "accuracy",
	    (double)right / (double)r->n, cacc);
	printf("%-*s %12.6g\n", (int)width, "brier", brier(r));
	for (size_t k = first_ranked(r); k < K; k++) {
		double roc, pr;

		ranking_scores(r, k, &roc, &pr);
		printf("%-*s %12.4f   ", (int)width, "roc_auc", roc);
		utf8_pad(stdout, c[k], 0, 1);
		printf("\n%-*s %12.4f   ", (int)width, "pr_auc", pr);
		utf8_pad(stdout, c[k], 0, 1);
		putchar('\n');
	}
	putchar('\n');
	printf("confusion: rows actual, columns predicted\n%-*s", (int)width, "");
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
	json_member("{", "precision", precision);
	json_member(", ", "recall", recall);
	json_member(", ", "f1", f1);
	putchar('}');
}

/* The metrics of a classification model as JSON (see descend(1)). */
static void
print_classes_json(const struct eval_run *r, double cacc, double closs, size_t right)
{
	size_t K = r->model.nclasses;
	double p, rc, f, mp = 0, mr = 0, mf = 0;
	char *const *c = r->model.classes;

	json_member("{\n  ", "n", (double)r->n);
	json_member(",\n  ", "log_loss", r->log_loss / (double)r->n);
	json_member(",\n  ", "accuracy", (double)right / (double)r->n);
	fputs(",\n  \"classes\": {", stdout);
	for (size_t k = 0; k < K; k++) {
		class_scores(r, k, &p, &rc, &f);
		mp += p / (double)K;
		mr += rc / (double)K;
		mf += f / (double)K;
		fputs(k ? ",\n    " : "\n    ", stdout);
		json_string(stdout, c[k]);
		fputs(": ", stdout);
		json_scores(p, rc, f);
	}
	fputs("\n  },\n  \"macro\": ", stdout);
	json_member("{", "precision", mp);
	json_member(", ", "recall", mr);
	json_member(", ", "f1", mf);
	if (K > 2) {
		/* the macro means of the ranking scores join the others */
		double sroc = 0, spr = 0, roc, pr;

		for (size_t k = 0; k < K; k++) {
			ranking_scores(r, k, &roc, &pr);
			sroc += roc;
			spr += pr;
		}
		json_member(", ", "roc_auc", sroc / (double)K);
		json_member(", ", "pr_auc", spr / (double)K);
	}
	putchar('}');
	json_member(",\n  ", "brier", brier(r));
	for (int which = 0; which < 2; which++) {
		printf(",\n  \"%s\": {", which ? "pr_auc" : "roc_auc");
		for (size_t k = first_ranked(r); k < K; k++) {
			double roc, pr;

			ranking_scores(r, k, &roc, &pr);
			fputs(k > first_ranked(r) ? ", " : "", stdout);
			json_string(stdout, c[k]);
			fputs(": ", stdout);
			json_number(stdout, which ? pr : roc);
		}
		putchar('}');
	}
	json_member(",\n  \"constant\": {", "log_loss", closs);
	json_member(", ", "accuracy", cacc);
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

/* The metrics of a classification model: CSV metric,class,value, a table or JSON. */
static void
print_classes(const struct eval_run *r, const struct eval_options *o)
{
	size_t K = r->model.nclasses, right = 0;
	double p, rc, f, mp = 0, mr = 0, mf = 0, cacc, closs, mroc = 0, mpr = 0;
	char *const *c = r->model.classes;

	for (size_t k = 0; k < K; k++)
		right += r->confusion[k * K + k];
	constant_scores(r, &cacc, &closs);
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
		class_scores(r, k, &p, &rc, &f);
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
	metric_line("brier", "", brier(r));
	for (size_t k = first_ranked(r), n = 0; k < K; k++, n++) {
		double roc, pr;

		ranking_scores(r, k, &roc, &pr);
		metric_line("roc_auc", c[k], roc);
		metric_line("pr_auc", c[k], pr);
		mroc += roc;
		mpr += pr;
		if (k + 1 == K && n > 0) {
			metric_line("macro_roc_auc", "", mroc / (double)(n + 1));
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
			metric_line(name, c[a], (double)r->confusion[a * K + b]);
		free(name);
	}
}

static void print_numbers(struct eval_run *r, const struct eval_options *o);

int
cmd_eval(int argc, char **argv)
{
	struct eval_options o;
	struct eval_run r = { .o = &o };
	struct csv_options copt;
	struct error e;
	int fd;

	parse_options(argc, argv, &o);
	r.p.unseen_zero = o.in.unseen_zero;
	cmd_load_model(o.in.weights, &r.model);
	r.z = xcalloc(r.model.outputs, sizeof(double));
	r.confusion = xcalloc(r.model.nclasses * r.model.nclasses + 1,
	    sizeof(size_t));
	r.name = o.in.input ? o.in.input : "<stdin>";
	copt = (struct csv_options){ .name = r.name, .delimiter = o.in.delimiter };
	fd = cmd_open_input(o.in.input);
	if (csv_read(fd, &copt, on_record, &r, &e) != 0)
		error_exit(&e);
	if (!r.started)
		error_die(EXIT_INPUT, "%s: empty input", r.name);
	if (r.n == 0)
		error_die(EXIT_INPUT, "%s: no data rows", r.name);
	if (r.model.nclasses > 0)
		print_classes(&r, &o);
	else
		print_numbers(&r, &o);
	if (fflush(stdout) != 0 || ferror(stdout))
		error_die_errno(EXIT_INPUT, "standard output");
	if (fd != STDIN_FILENO)
		close(fd);
	predictor_free(&r.p);
	model_free(&r.model);
	free(r.y);
	free(r.z);
	free(r.confusion);
	free(r.proba);
	free(r.label);
	return EXIT_OK;
}

/* The regression metrics, with checks that they are defined. */
static void
print_numbers(struct eval_run *r, const struct eval_options *o)
{
	struct metrics m;

	summarize(r, &m);
	if (!isfinite(m.mse) || !isfinite(m.constant_mse))
		error_die(EXIT_INPUT, "%s: the squared errors overflow a double; the "
		    "target's values are too large", r->name);
	if (isnan(m.r2))
		error_warn("warning: the target is constant; r2 is undefined");
	if (o->pretty)
		print_pretty(&m);
	else if (o->json)
		print_json(&m);
	else
		print_csv(&m);
}
