/*
 * cmd/predict.c: descend predict. Streams the input through the model one
 * record at a time and writes a prediction per row, in order, in constant
 * memory. With threads, blocks of lines (blocks.h) are predicted at the same
 * time, each into a buffer of its own, and the buffers written in the order of
 * the input: the same bytes as one thread writes.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blocks.h"
#include "cmd.h"
#include "csv.h"
#include "failure.h"
#include "interval.h"
#include "model.h"
#include "num.h"
#include "opt.h"
#include "outfile.h"
#include "parallel.h"
#include "predict.h"
#include "table.h"

#define CMD_MISSING_HELP "a missing value: an error, or an empty prediction"

static const char synopsis[] =
    "usage: descend predict -w weights [options] [file]\n";

static const char help_head[] =
    "\nWrite the model's prediction for every row of a CSV file (or standard\n"
    "input), in order. Columns are matched to the model's terms by name.\n\n";
static const char help_tail[] =
    "\nExit status: 0 done, 1 bad input, 2 usage. See descend-predict(1).\n";

struct predict_options {
	struct apply_options in;
	const char *output; /* -o, or NULL for standard output */
	int append;	    /* --append */
	const char *name;   /* --name: the prediction's column */
	int proba;	    /* --proba */
	int link;	    /* --link */
	unsigned threads;   /* --threads */
	int interval;	    /* --interval: an index of interval_words, or
			       -1 */
	double level;	    /* --level, or 0 if not given */
};

#define P(m) OPT_AT(struct predict_options, m)

enum { ID_HELP = 1 };

/* predict's options, in the order of --help. */
static const struct opt_spec predict_opts[] = {
	CMD_OPT_WEIGHTS(struct predict_options),
	{ "append", 0, OPT_FLAG, P(append), .value = 1,
	    .help = "write each input row with the prediction last" },
	{ "name", 0, OPT_STRING, P(name), .arg = "NAME", .dflt = "prediction",
	    .help = "name of the prediction column (default: prediction)" },
	{ "proba", 0, OPT_FLAG, P(proba), .value = 1,
	    .help = "a class model: also each class's probability p(C)" },
	{ "link", 0, OPT_FLAG, P(link), .value = 1,
	    .help = "a Poisson model: the linear predictor, log(mean)" },
	CMD_OPT_DELIMITER(struct predict_options),
	CMD_OPT_DECIMAL,
	{ "no-header", 0, OPT_FLAG, P(in.header), .value = 0,
	    .help = "the input has no header; columns x1, x2, ..." },
	CMD_OPT_MISSING(struct predict_options),
	CMD_OPT_NA_VALUES(struct predict_options, in.na_values),
	CMD_OPT_UNSEEN(struct predict_options),
	{ "interval", 0, OPT_WORD, P(interval), .words = interval_words,
	    .arg = "KIND",
	    .help = "lower,upper: confidence, prediction or conformal" },
	{ "level", 0, OPT_REAL, .lo = 0, .hi = 1,
	    .ends = OPT_OPEN_LO | OPT_OPEN_HI, P(level), .arg = "L",
	    .help = "the intervals' level (default 0.95)" },
	{ "output", 'o', OPT_STRING, P(output), .arg = "FILE",
	    .help = "write to FILE, atomically" },
	{ "threads", 0, OPT_WHOLE, .min = 1, .max = 256, P(threads), .arg = "N",
	    .help = "threads (default: all processors); the same output" },
	{ "help", 'h', OPT_FLAG, .offset = OPT_NO_STORE, .id = ID_HELP,
	    .help = "show this help" },
};

#define NPREDICT (sizeof(predict_opts) / sizeof(predict_opts[0]))

const struct opt_spec *
cmd_predict_options(size_t *n)
{
	*n = NPREDICT;
	return predict_opts;
}

/* What the record callback works with. */
struct predict_run {
	const struct predict_options *o;
	const char *name;
	struct model model;
	struct predictor p;
	FILE *out;
	const char *outname; /* in messages: -o's file or standard output */
	int started;
	double *z;		 /* (model.outputs) the scores of a row */
	double *proba;		 /* (model.nclasses) its class probabilities */
	enum interval_kind kind; /* --interval's */
	double q;		 /* a conformal interval's half width, or
				    a class set's score bound */
	atomic_size_t *skipped;	 /* rows with an empty prediction */
};

static void
take_option(const struct opt_spec *s, const char *arg, const char *word,
    void *dst)
{
	struct predict_options *o = dst;

	(void)word;
	if (s->id == ID_HELP)
		cmd_help(synopsis, help_head, predict_opts, NPREDICT, 26,
		    help_tail);
	if (s->id == CMD_ID_DELIMITER)
		o->in.delimiter = cmd_delimiter(arg);
	if (s->id == CMD_ID_DECIMAL)
		o->in.decimal_comma = cmd_decimal(arg);
}

static void
parse_options(int argc, char **argv, struct predict_options *o)
{
	*o = (struct predict_options){ .in = { .header = 1 },
		.name = "prediction",
		.threads = parallel_processors(),
		.interval = -1 };
	cmd_options(argc, argv, predict_opts, NPREDICT, o, synopsis,
	    take_option);
	cmd_apply_finish(argc, argv, "predict", synopsis, &o->in);
}

/* The record's fields, re-quoted where needed, each followed by the delimiter.
 */
static void
write_fields(const struct predict_run *r, const struct csv_record *rec)
{
	for (size_t j = 0; j < rec->nfields; j++) {
		csv_write_field(r->out, rec->field[j], r->o->in.delimiter);
		putc(r->o->in.delimiter, r->out);
	}
}

/* --name, then with --proba a column p(CLASS) per class. */
static void
write_header(const struct predict_run *r)
{
	csv_write_field(r->out, r->o->name, r->o->in.delimiter);
	for (size_t k = 0; r->o->proba && k < r->model.nclasses; k++) {
		size_t len = strlen(r->model.classes[k]) + 4;
		char *name = xmalloc(len);

		snprintf(name, len, "p(%s)", r->model.classes[k]);
		putc(r->o->in.delimiter, r->out);
		csv_write_field(r->out, name, r->o->in.delimiter);
		free(name);
	}
	if (r->kind == INTERVAL_CONFORMAL && r->model.nclasses > 0) {
		putc(r->o->in.delimiter, r->out);
		fputs("set", r->out);
	} else if (r->kind != INTERVAL_NONE) {
		putc(r->o->in.delimiter, r->out);
		fputs("lower", r->out);
		putc(r->o->in.delimiter, r->out);
		fputs("upper", r->out);
	}
	putc('\n', r->out);
}

/* A number of the output: the one place that formats them. */
static void
write_number(FILE *f, double v)
{
	num_write(f, v);
}

/* ",lower,upper" of the interval around r->z[0], if one is asked for. */
static void
write_bounds(const struct predict_run *r)
{
	double lo, hi, level = r->o->level;

	if (r->kind == INTERVAL_NONE)
		return;
	if (r->kind == INTERVAL_CONFORMAL) {
		lo = r->z[0] - r->q;
		hi = r->z[0] + r->q;
	} else
		interval_lm(&r->model, r->kind, level, r->p.terms, r->z[0], &lo,
		    &hi);
	putc(r->o->in.delimiter, r->out);
	write_number(r->out, lo);
	putc(r->o->in.delimiter, r->out);
	write_number(r->out, hi);
}

/*
 * ",A|B": the classes whose score 1 − p̂ is at most r->q, in the model's order
 * (r->proba filled by predictor_class).
 */
static void
write_set(const struct predict_run *r)
{
	const struct model *m = &r->model;
	size_t len = 1;
	char *set;

	for (size_t c = 0; c < m->nclasses; c++)
		len += strlen(m->classes[c]) + 1;
	set = xcalloc(len, 1);
	for (size_t c = 0; c < m->nclasses; c++)
		if (1 - r->proba[c] <= r->q) {
			if (*set != '\0')
				strcat(set, "|");
			strcat(set, m->classes[c]);
		}
	putc(r->o->in.delimiter, r->out);
	csv_write_field(r->out, set, r->o->in.delimiter);
	free(set);
}

/* The prediction of the scores in r->z: a number, or a class and its odds. */
static void
write_prediction(const struct predict_run *r)
{
	const struct model *m = &r->model;
	size_t k;

	if (m->nclasses == 0) {
		/* A Poisson model's mean is e^z; --link gives z. */
		write_number(r->out,
		    m->poisson && !r->o->link ? exp(r->z[0]) : r->z[0]);
		write_bounds(r);
		putc('\n', r->out);
		return;
	}
	k = predictor_class(m, r->z, r->proba);
	csv_write_field(r->out, m->classes[k], r->o->in.delimiter);
	for (size_t c = 0; r->o->proba && c < m->nclasses; c++) {
		putc(r->o->in.delimiter, r->out);
		write_number(r->out, r->proba[c]);
	}
	if (r->kind == INTERVAL_CONFORMAL)
		write_set(r);
	putc('\n', r->out);
}

/* The empty prediction of a row left out: its fields all empty. */
static void
write_empty(const struct predict_run *r)
{
	for (size_t c = 0; r->o->proba && c < r->model.nclasses; c++)
		putc(r->o->in.delimiter, r->out);
	putc('\n', r->out);
}

/* The first record: the columns, and the output's header line. */
static int
begin(struct predict_run *r, const struct csv_record *rec, struct error *e)
{
	r->started = 1;
	if (predictor_init(&r->p, &r->model, r->name, rec, r->o->in.header, 0,
		e))
		return -1;
	for (size_t j = 0; r->o->append && r->o->in.header && j < rec->nfields;
	     j++)
		if (strcmp(rec->field[j], r->o->name) == 0)
			return error_set(e, EXIT_USAGE,
			    "%s:1: the input has a column \"%s\" already "
			    "(column %zu): name the prediction's column with "
			    "--name",
			    r->name, r->o->name, j + 1);
	if (r->o->in.header || !r->o->append) {
		if (r->o->append)
			write_fields(r, rec);
		write_header(r);
	}
	return 0;
}

static int
on_record(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct predict_run *r = ctx;

	if (!r->started) {
		if (begin(r, rec, e))
			return -1;
		if (r->o->in.header)
			return 0;
	}
	if (r->o->in.missing_drop && predictor_missing(&r->p, rec)) {
		atomic_fetch_add(r->skipped, 1);
		if (r->o->append)
			write_fields(r, rec);
		write_empty(r);
		return 0;
	}
	if (predictor_apply(&r->p, rec, r->z, e))
		return -1;
	if (r->o->append)
		write_fields(r, rec);
	write_prediction(r);
	return 0;
}

/*
 * The field hook: the cells of number columns are converted as they are read
 * (predictor_take), unless --append needs their text.
 */
static int
take_field(void *ctx, size_t index, const char *s, size_t len)
{
	struct predict_run *r = ctx;

	return r->started && !r->o->append &&
	    predictor_take(&r->p, index, s, len);
}

/* A block of lines in flight: a copy of the run predicts it into a buffer. */
struct part {
	struct predict_run r;
	char *seen;	   /* (ncols) its predictor's own */
	double *value;	   /* (ncols) its predictor's own */
	double *z, *proba; /* its own */
	double *terms;	   /* its own */
	char *buf;	   /* the block's output, until taken */
	size_t size;
};

struct parts {
	struct predict_run *r;
	struct csv_options copt;
	struct part *slot; /* (blocks_slots) */
};

static int
part_first(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct parts *ps = ctx;

	return begin(ps->r, rec, e);
}

static int
part_parse(void *ctx, size_t k, const char *bytes, size_t len, long line,
    struct error *e)
{
	struct parts *ps = ctx;
	struct part *pt = &ps->slot[k];
	struct predict_run *r = &pt->r;
	int status;

	if (pt->seen == NULL) {
		pt->seen = xcalloc(ps->r->p.ncols ? ps->r->p.ncols : 1, 1);
		pt->value = xcalloc(ps->r->p.ncols ? ps->r->p.ncols : 1,
		    sizeof(double));
		pt->z = xcalloc(ps->r->model.outputs, sizeof(double));
		pt->proba = xcalloc(ps->r->model.nclasses + 1, sizeof(double));
		pt->terms = xcalloc(ps->r->model.nterms, sizeof(double));
		pt->terms[0] = 1;
	}
	*r = *ps->r;
	r->p.seen = pt->seen;
	r->p.value = pt->value;
	r->z = pt->z;
	r->proba = pt->proba;
	r->p.terms = ps->r->p.terms ? pt->terms : NULL;
	if ((r->out = open_memstream(&pt->buf, &pt->size)) == NULL)
		return error_set(e, EXIT_INPUT, "%s:%ld: out of memory",
		    r->name, line);
	status = csv_read_bytes(bytes, len, -1, line, &ps->copt, NULL,
	    on_record, r, e);
	if (fclose(r->out) != 0 && status == 0)
		status = error_set(e, EXIT_INPUT, "%s:%ld: out of memory",
		    r->name, line);
	return status;
}

static int
part_take(void *ctx, size_t k, struct error *e)
{
	struct parts *ps = ctx;
	struct part *pt = &ps->slot[k];
	size_t put;

	errno = 0;
	put = fwrite(pt->buf, 1, pt->size, ps->r->out);
	free(pt->buf);
	pt->buf = NULL;
	if (put < pt->size)
		return error_set(e, EXIT_INPUT, "%s: %s", ps->r->outname,
		    strerror(errno ? errno : EIO));
	return 0;
}

static int
part_rest(void *ctx, const char *bytes, size_t len, int fd, long line,
    struct error *e)
{
	struct parts *ps = ctx;

	return csv_read_bytes(bytes, len, fd, line, &ps->copt, NULL, on_record,
	    ps->r, e);
}

/* Predict the rows of fd into r->out: one reader, or blocks on threads. */
static int
predict_input(struct predict_run *r, int fd, struct error *e)
{
	struct parts ps = { .r = r,
		.copt = { .name = r->name,
		    .delimiter = r->o->in.delimiter,
		    .decimal_comma = r->o->in.decimal_comma,
		    .field = take_field } };
	struct blocks b = { .opt = &ps.copt,
		.threads = r->o->threads,
		.header = r->o->in.header,
		.ctx = &ps,
		.first = part_first,
		.parse = part_parse,
		.take = part_take,
		.rest = part_rest };
	size_t n = blocks_slots(r->o->threads);
	int status;

	if (r->o->threads < 2)
		return csv_read(fd, &ps.copt, on_record, r, e);
	ps.slot = xcalloc(n, sizeof(*ps.slot));
	status = blocks_read(fd, &b, e);
	for (size_t k = 0; k < n; k++) {
		free(ps.slot[k].seen);
		free(ps.slot[k].value);
		free(ps.slot[k].z);
		free(ps.slot[k].proba);
		free(ps.slot[k].terms);
		free(ps.slot[k].buf);
	}
	free(ps.slot);
	return status;
}

/*
 * --interval and --level against the model: what it asks for is in the file;
 * the conformal bound for the level, with a warning when it is infinite.
 */
static void
check_interval(struct predict_options *o, struct predict_run *r)
{
	const char *w = o->in.weights;
	const struct model_conformal *cf = r->model.conformal;

	r->kind = (enum interval_kind)(o->interval + 1);
	if (r->kind == INTERVAL_NONE) {
		if (o->level > 0)
			cmd_usage_error("--level needs --interval");
		return;
	}
	if (o->level == 0)
		o->level = 0.95;
	if (o->proba)
		cmd_usage_error("--proba cannot be combined with --interval");
	if (r->kind == INTERVAL_CONFORMAL && cf == NULL)
		error_die(EXIT_USAGE,
		    "--interval conformal: %s has no conformal scores; "
		    "fit --conformal F stores them",
		    w);
	if (r->kind != INTERVAL_CONFORMAL && r->model.iv == NULL)
		error_die(EXIT_USAGE,
		    "--interval %s: %s has no least-squares intervals; "
		    "fit --solver exact --intervals (least squares, at most "
		    "%d terms) stores them",
		    interval_words[o->interval], w, INTERVAL_MAX_TERMS);
	if (r->kind != INTERVAL_CONFORMAL) {
		r->p.terms = xcalloc(r->model.nterms, sizeof(double));
		r->p.terms[0] = 1;
		return;
	}
	r->q = interval_conformal_q(cf, o->level);
	if (isinf(r->q))
		error_warn("warning: --level %g needs more than the %zu "
			   "calibration rows of %s (at least %.0f): the "
			   "intervals are infinite%s",
		    o->level, cf->n, w, ceil(o->level / (1 - o->level)),
		    r->model.nclasses ? " (every class in each set)" : "");
}

int
cmd_predict(int argc, char **argv)
{
	struct predict_options o;
	struct predict_run r = { .o = &o };
	struct cmd_data data;
	struct outfile out;
	struct error e;
	atomic_size_t skipped = 0;
	int raw, fd, status;

	parse_options(argc, argv, &o);
	if (table_na_values(o.in.na_values, &e) != 0)
		error_exit(&e);
	r.p.unseen_zero = o.in.unseen_zero;
	r.skipped = &skipped;
	cmd_load_model(o.in.weights, &r.model);
	if (o.proba && r.model.nclasses == 0)
		error_die(EXIT_USAGE,
		    "--proba: %s is a regression model; probabilities "
		    "need a classification model (fit -l logistic or softmax)",
		    o.in.weights);
	if (o.link && !r.model.poisson)
		error_die(EXIT_USAGE,
		    "--link: %s is not a Poisson model (fit -l poisson), "
		    "whose prediction is the linear predictor already",
		    o.in.weights);
	check_interval(&o, &r);
	r.z = xcalloc(r.model.outputs, sizeof(double));
	r.proba = xcalloc(r.model.nclasses + 1, sizeof(double));
	r.name = o.in.input ? o.in.input : "<stdin>";
	raw = cmd_open_input(o.in.input);
	fd = cmd_data_open(&data, raw, r.name, &o.in.delimiter,
	    o.in.decimal_comma);
	if (outfile_open(&out, o.output, &e) != 0)
		error_exit(&e);
	r.out = out.f;
	r.outname = o.output ? o.output : "standard output";
	status = predict_input(&r, fd, &e);
	/* A decompression that failed: what was read was not all the input. */
	if (input_close(&data.in, &e) != 0)
		status = -1;
	if (status == 0 && !r.started)
		status = error_set(&e, EXIT_INPUT, "%s: empty input", r.name);
	if (status != 0) {
		outfile_abort(&out);
		cmd_data_close(&data, status, &e);
	}
	if (outfile_commit(&out, &e) != 0) {
		outfile_abort(&out);
		error_exit(&e);
	}
	if (skipped > 0)
		error_warn("%zu row%s with missing values: an empty prediction",
		    (size_t)skipped, skipped == 1 ? "" : "s");
	if (raw != STDIN_FILENO)
		close(raw);
	predictor_free(&r.p);
	model_free(&r.model);
	free(r.z);
	free(r.proba);
	free(r.p.terms);
	return EXIT_OK;
}
