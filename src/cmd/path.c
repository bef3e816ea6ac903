/*
 * cmd/path.c: descend path. Reads a table, computes the lasso, ridge or
 * elastic-net path of least squares over glmnet's sequence of λ (path.h),
 * cross-validated on K folds, and writes the table
 * lambda,cv_loss,cv_se,nonzero; on standard error the λ of the least loss and
 * of the one-standard-error rule, each with the fit command that reproduces its
 * weights.
 */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cv.h"
#include "dataset.h"
#include "failure.h"
#include "num.h"
#include "opt.h"
#include "outfile.h"
#include "path.h"
#include "plot.h"
#include "table.h"

static const char synopsis[] =
    "usage: descend path [-t col] [--alpha a] [--cv k] [-o file] [file]\n";

static const char help_head[] =
    "\nThe lasso or elastic-net path, cross-validated, as glmnet's cv.glmnet.\n"
    "Writes lambda,cv_loss,cv_se,nonzero; lambda.min, lambda.1se on "
    "stderr.\n\n";
static const char help_tail[] =
    "\nExit status: 0 done, 1 bad input, 2 usage. See descend-path(1), "
    "descend(1).\n";

struct path_cmd {
	struct table_options table;
	const char *input;
	const char *output;
	const char *coefficients;
	const char *plot;
	const char *foldid;
	double alpha;
	double min_ratio;
	size_t nlambda;
	size_t cv;
	uint64_t seed;
};

#define P(m) OPT_AT(struct path_cmd, m)
#define REAL(l, h, e) .kind = OPT_REAL, .lo = (l), .hi = (h), .ends = (e)
#define WHOLE(l, h) .kind = OPT_WHOLE, .min = (l), .max = (h)

enum { ID_HELP = 1, ID_DELIMITER = CMD_ID_DELIMITER };

static const char *const auto_word[] = { "auto", NULL };

/* path's options, in the order of --help. */
static const struct opt_spec path_opts[] = {
	{ "target", 't', OPT_STRING, P(table.target), .arg = "COL",
	    .help = "the column to predict (default: the last)" },
	{ "features", 'x', OPT_STRING, P(table.features), .arg = "LIST",
	    .help = "the feature columns (default: all others)" },
	{ "drop", 0, OPT_STRING, P(table.drop), .arg = "LIST",
	    .help = "columns to leave out" },
	{ "delimiter", 'd', OPT_CALL, .offset = OPT_NO_STORE,
	    .id = ID_DELIMITER, .arg = "C",
	    .help = "field delimiter, or the word tab (default: ,)" },
	{ "no-header", 0, OPT_FLAG, P(table.header), .value = 0,
	    .help = "the first row is data" },
	{ "alpha", 0, REAL(0, 1, 0), P(alpha), .arg = "A",
	    .help = "1 lasso (default), 0 ridge, between: elastic net" },
	{ "nlambda", 0, WHOLE(1, 100000), P(nlambda), .arg = "N",
	    .help = "the most lambda values (default: 100)" },
	{ "lambda-min-ratio", 0, REAL(0, 1, OPT_OPEN_LO | OPT_OPEN_HI),
	    P(min_ratio), .words = auto_word,
	    .say = "a number between 0 and 1 (both excluded) or auto",
	    .arg = "R",
	    .help = "the last lambda over the first (default: auto)" },
	{ "cv", 0, WHOLE(2, 1000000), P(cv), .arg = "K",
	    .help = "folds of cross-validation (default: 10)" },
	{ "seed", 0, WHOLE(0, UINT64_MAX), P(seed), .arg = "N",
	    .help = "seed of the folds, as fit's (default: 1)" },
	{ "foldid", 0, OPT_STRING, P(foldid), .arg = "FILE",
	    .help = "each row's fold 1..K, one a line after a header" },
	{ "output", 'o', OPT_STRING, P(output), .arg = "FILE",
	    .help = "write the table to FILE, atomically" },
	{ "coefficients", 0, OPT_STRING, P(coefficients), .arg = "FILE",
	    .help = "write the weights at every lambda to FILE" },
	{ "plot", 0, OPT_STRING, P(plot), .arg = "FILE.svg",
	    .help = "draw cv loss against log lambda as SVG" },
	{ "help", 'h', OPT_FLAG, .offset = OPT_NO_STORE, .id = ID_HELP,
	    .help = "show this help" },
};

#define NPATH (sizeof(path_opts) / sizeof(path_opts[0]))

const struct opt_spec *
cmd_path_options(size_t *n)
{
	*n = NPATH;
	return path_opts;
}

static void
take_option(const struct opt_spec *s, const char *arg, const char *word,
    void *dst)
{
	struct path_cmd *o = dst;

	(void)word;
	if (s->id == ID_HELP)
		cmd_help(synopsis, help_head, path_opts, NPATH, 26, help_tail);
	if (s->id == ID_DELIMITER)
		o->table.delimiter = cmd_delimiter(arg);
}

/*
 * The folds of --foldid: a header line, then one whole number from 1 to K a
 * line, n lines; each row's fold, from 0, into fold, and K into *K.
 */
static void
read_foldid(const char *path, size_t n, size_t *fold, size_t *K)
{
	FILE *f = fopen(path, "r");
	char line[256];
	long lineno = 1;
	size_t i = 0;

	if (f == NULL)
		error_die_errno(EXIT_INPUT, "--foldid: %s", path);
	*K = 0;
	if (fgets(line, sizeof(line), f) == NULL)
		error_die(EXIT_INPUT, "--foldid: %s is empty", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *end;
		unsigned long v;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		v = strtoul(line, &end, 10);
		if (end == line || *end != '\0' || line[0] == '-' || v < 1 ||
		    v > 1000000)
			error_die(EXIT_INPUT,
			    "%s:%ld: \"%s\" is not a fold number from 1 to "
			    "1000000",
			    path, lineno, line);
		if (i == n)
			error_die(EXIT_INPUT,
			    "%s:%ld: more fold numbers than the %zu rows of "
			    "the data",
			    path, lineno, n);
		fold[i++] = v - 1;
		if (v > *K)
			*K = v;
	}
	fclose(f);
	if (i < n)
		error_die(EXIT_INPUT,
		    "%s: %zu fold numbers for the %zu rows of the data", path,
		    i, n);
	if (*K < 2)
		error_die(EXIT_INPUT, "%s: one fold; cross-validation needs 2",
		    path);
}

/* descend's own folds: fold k of K over cv_order's order, as fit --cv. */
static void
own_folds(size_t n, size_t K, uint64_t seed, size_t *fold)
{
	size_t *perm = xmalloc(n * sizeof(size_t));

	cv_order(seed, perm, n);
	for (size_t k = 0; k < K; k++) {
		size_t lo, hi;

		dataset_fold(k, K, n, &lo, &hi);
		for (size_t i = lo; i < hi; i++)
			fold[perm[i]] = k;
	}
	free(perm);
}

/* s as one shell word: as it is when plain, else in single quotes. */
static void
shell_word(FILE *f, const char *s)
{
	if (*s != '\0' &&
	    strspn(s,
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
		"vwxyz0123456789_./,:=+-@%") == strlen(s)) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (; *s != '\0'; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

/*
 * The fit command whose weights are the path's at λ: fit's objective is twice
 * path's (path.h), so --l1 2λα and --l2 λ(1 − α)/s_y, solved by --solver cd.
 */
static void
print_fit(const struct path_cmd *o, const struct path *pt, double lambda)
{
	char buf[NUM_FORMAT_SIZE];
	double l1 = 2 * lambda * pt->alpha;
	double l2 = pt->ysd > 0 ? lambda * (1 - pt->alpha) / pt->ysd : 0;

	fputs(DESCEND_NAME " fit", stderr);
	if (o->table.target != NULL) {
		fputs(" -t ", stderr);
		shell_word(stderr, o->table.target);
	}
	if (o->table.features != NULL) {
		fputs(" -x ", stderr);
		shell_word(stderr, o->table.features);
	}
	if (o->table.drop != NULL) {
		fputs(" --drop ", stderr);
		shell_word(stderr, o->table.drop);
	}
	if (o->table.delimiter != ',')
		fputs(o->table.delimiter == '\t' ? " -d tab" : "", stderr);
	if (o->table.delimiter != ',' && o->table.delimiter != '\t') {
		char d[2] = { (char)o->table.delimiter, '\0' };

		fputs(" -d ", stderr);
		shell_word(stderr, d);
	}
	if (!o->table.header)
		fputs(" --no-header", stderr);
	fputs(" --solver cd", stderr);
	if (l1 > 0) {
		num_format(l1, buf);
		fprintf(stderr, " --l1 %s", buf);
	}
	if (l2 > 0) {
		num_format(l2, buf);
		fprintf(stderr, " --l2 %s", buf);
	}
	if (o->input != NULL) {
		fputc(' ', stderr);
		shell_word(stderr, o->input);
	}
	fputc('\n', stderr);
}

static void
print_choice(const struct path_cmd *o, const struct path *pt, const char *name,
    size_t i)
{
	char lam[NUM_FORMAT_SIZE];

	num_format(pt->lambda[i], lam);
	fprintf(stderr,
	    "descend: %s %s (cv %.10g ± %.10g, %zu nonzero of %zu):\n", name,
	    lam, pt->cv_loss[i], pt->cv_se[i], pt->nonzero[i], pt->p);
	print_fit(o, pt, pt->lambda[i]);
}

static void
write_table(FILE *f, const struct path *pt)
{
	fputs("lambda,cv_loss,cv_se,nonzero\n", f);
	for (size_t k = 0; k < pt->nlambda; k++) {
		num_write(f, pt->lambda[k]);
		fputc(',', f);
		num_write(f, pt->cv_loss[k]);
		fputc(',', f);
		num_write(f, pt->cv_se[k]);
		fprintf(f, ",%zu\n", pt->nonzero[k]);
	}
}

/* lambda,(intercept),feature... one row per λ, in the input's units. */
static void
write_coefficients(FILE *f, const struct path *pt, const struct dataset *ds)
{
	fputs("lambda,(intercept)", f);
	for (size_t j = 0; j < pt->p; j++) {
		fputc(',', f);
		fputs(ds->names[j], f);
	}
	fputc('\n', f);
	for (size_t k = 0; k < pt->nlambda; k++) {
		num_write(f, pt->lambda[k]);
		fputc(',', f);
		num_write(f, pt->intercept[k]);
		for (size_t j = 0; j < pt->p; j++) {
			fputc(',', f);
			num_write(f, pt->beta[k * pt->p + j]);
		}
		fputc('\n', f);
	}
}

/*
 * cv loss against log λ, as plot(cv.glmnet): the loss and loss ± its standard
 * error (dashed), and a vertical line at each of λ.min and λ.1se.
 */
static void
write_plot(FILE *f, const struct path *pt, struct error *e, int *rc)
{
	size_t m = pt->nlambda;
	double *x = xmalloc(m * sizeof(double));
	double *lo = xmalloc(m * sizeof(double));
	double *hi = xmalloc(m * sizeof(double));
	double vx[2][2], vy[2], top = 0, bottom = HUGE_VAL;
	struct plot_series s[5];

	for (size_t k = 0; k < m; k++) {
		x[k] = log(pt->lambda[k]);
		lo[k] = pt->cv_loss[k] - pt->cv_se[k];
		hi[k] = pt->cv_loss[k] + pt->cv_se[k];
		top = fmax(top, hi[k]);
		bottom = fmin(bottom, pt->cv_loss[k]);
	}
	vx[0][0] = vx[0][1] = x[pt->imin];
	vx[1][0] = vx[1][1] = x[pt->i1se];
	vy[0] = bottom;
	vy[1] = top;
	s[0] = (struct plot_series){ "cv loss (mse)", m, x, pt->cv_loss, 0, 0 };
	s[1] = (struct plot_series){ "+ standard error", m, x, hi, 1, 0 };
	s[2] = (struct plot_series){ "- standard error", m, x, lo, 1, 0 };
	s[3] = (struct plot_series){ "lambda.min", 2, vx[0], vy, 1, 1 };
	s[4] = (struct plot_series){ "lambda.1se", 2, vx[1], vy, 1, 2 };
	*rc = plot_svg(f, "cross-validated loss along the path", "log(lambda)",
	    "mean squared error", s, 5, e);
	free(x);
	free(lo);
	free(hi);
}

/* Write one output file (NULL or "-": standard output) with fn. */
static void
write_file(const char *path, const struct path *pt, const struct dataset *ds,
    int what)
{
	struct outfile out;
	struct error e;
	int rc = 0;

	if (outfile_open(&out, path, &e) != 0)
		error_exit(&e);
	if (what == 0)
		write_table(out.f, pt);
	else if (what == 1)
		write_coefficients(out.f, pt, ds);
	else
		write_plot(out.f, pt, &e, &rc);
	if (rc != 0 || outfile_commit(&out, &e) != 0) {
		outfile_abort(&out);
		error_exit(&e);
	}
}

int
cmd_path(int argc, char **argv)
{
	struct path_cmd o = { .table = { .delimiter = ',',
				  .header = 1,
				  .missing = MISSING_ERROR },
		.alpha = 1,
		.nlambda = 100,
		.seed = 1 };
	struct path_options po;
	struct dataset ds;
	struct path pt;
	struct error e;
	size_t *fold, K;
	int fd;

	cmd_options(argc, argv, path_opts, NPATH, &o, synopsis, take_option);
	o.input = cmd_input(argc, argv, synopsis);
	if (o.foldid != NULL && o.cv != 0)
		cmd_usage_error("--foldid gives the folds; --cv cannot be "
				"used with it");
	cmd_check_output("-o/--output", o.output, o.input);
	cmd_check_output("--coefficients", o.coefficients, o.input);
	cmd_check_output("--plot", o.plot, o.input);
	o.table.name = o.input ? o.input : "<stdin>";
	fd = cmd_open_input(o.input);
	if (table_read(fd, &o.table, &ds, &e) != 0)
		error_exit(&e);
	if (fd != STDIN_FILENO)
		close(fd);
	if (ds.d == 0)
		error_die(EXIT_USAGE, "path needs at least one feature column");
	K = o.cv ? o.cv : 10;
	if (o.foldid == NULL && cv_too_few(ds.n, K))
		error_die(EXIT_USAGE,
		    "--cv: %zu rows are too few for %zu folds", ds.n, K);
	fold = xmalloc(ds.n * sizeof(size_t));
	if (o.foldid != NULL)
		read_foldid(o.foldid, ds.n, fold, &K);
	else
		own_folds(ds.n, K, o.seed, fold);
	po = (struct path_options){ .alpha = o.alpha,
		.nlambda = o.nlambda,
		.min_ratio = o.min_ratio,
		.max_sweeps = 100000 };
	if (path_fit(&ds, &po, fold, K, &pt, &e) != 0)
		error_exit(&e);
	if (!pt.converged)
		error_warn("warning: coordinate descent stopped at %lu sweeps "
			   "at some lambda before it converged",
		    po.max_sweeps);
	write_file(o.output, &pt, &ds, 0);
	if (o.coefficients != NULL)
		write_file(o.coefficients, &pt, &ds, 1);
	if (o.plot != NULL)
		write_file(o.plot, &pt, &ds, 2);
	fprintf(stderr,
	    "descend: %zu lambda values from %.6g, %zu-fold cross-validation "
	    "(%zu rows, %zu features)\n",
	    pt.nlambda, pt.lambda[0], K, ds.n, ds.d);
	print_choice(&o, &pt, "lambda.min", pt.imin);
	print_choice(&o, &pt, "lambda.1se", pt.i1se);
	path_free(&pt);
	free(fold);
	dataset_free(&ds);
	return EXIT_OK;
}
