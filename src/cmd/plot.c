/*
 * cmd/plot.c: descend plot. Draws the loss curves of one or more of fit's --log
 * files on one chart, to compare runs: each file's training loss, named after
 * the file, and its validation loss, dashed, if it has one.
 */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "csv.h"
#include "failure.h"
#include "num.h"
#include "outfile.h"
#include "opt.h"
#include "plot.h"

static const char synopsis[] =
    "usage: descend plot [-o file.svg] [-t title] log.csv...\n";

static const char help_head[] =
    "\nDraw the loss curves of fit's --log files on one chart, an SVG image: "
    "each\n"
    "file's training loss, named after the file, and its validation loss, "
    "dashed,\n"
    "in the same colour; a diverged run is marked, not scaled to.\n"
    "The loss axis is logarithmic; the epoch axis is linear. A file named - "
    "is\n"
    "standard input.\n\n";
static const char help_tail[] =
    "\nExit status: 0 done, 1 bad input, 2 usage. See descend(1).\n";

struct plot_options {
	const char *output; /* -o, or NULL for standard output */
	const char *title;  /* -t */
};

enum { ID_HELP = 1 };

/* plot's options, in the order of --help. */
static const struct opt_spec plot_opts[] = {
	{ "output", 'o', OPT_STRING, OPT_AT(struct plot_options, output),
	    .arg = "FILE",
	    .help = "write the SVG to FILE, atomically (default: stdout)" },
	{ "title", 't', OPT_STRING, OPT_AT(struct plot_options, title),
	    .arg = "TEXT",
	    .help = "the chart's title (default: \"Loss by epoch\")" },
	{ "help", 'h', OPT_FLAG, .offset = OPT_NO_STORE, .id = ID_HELP,
	    .help = "show this help" },
};

#define NPLOT (sizeof(plot_opts) / sizeof(plot_opts[0]))

const struct opt_spec *
cmd_plot_options(size_t *n)
{
	*n = NPLOT;
	return plot_opts;
}

/* The log's columns this command needs; val_loss may be absent. */
static const char *const column_name[] = { "epoch", "train_loss", "val_loss" };
enum { COL_EPOCH, COL_TRAIN, COL_VAL, NCOLUMNS };
#define NO_COLUMN SIZE_MAX

/* One log file's curves. */
struct loss_log {
	const char *path;	 /* as given; "-" for standard input */
	char *label;		 /* the legend's name for it */
	size_t n, cap;		 /* rows read, and room */
	double *value[NCOLUMNS]; /* (n) epoch, train_loss, val_loss (NaN if
				    none) */
	size_t nval;		 /* rows with a validation loss */
};

/* Reading state of one log. */
struct log_reader {
	const char *name; /* for messages */
	struct loss_log *log;
	int header_seen;
	size_t nfields;		 /* fields of the header, so of every row */
	size_t column[NCOLUMNS]; /* index of each, or NO_COLUMN */
};

/* ------------------------------------------------------------------------ */
/* Reading a log                                                             */
/* ------------------------------------------------------------------------ */

/* Find the columns by name in the header rec; epoch and train_loss are
 * required. */
static int
read_header(struct log_reader *r, const struct csv_record *rec, struct error *e)
{
	r->header_seen = 1;
	r->nfields = rec->nfields;
	for (size_t c = 0; c < NCOLUMNS; c++) {
		r->column[c] = NO_COLUMN;
		for (size_t j = 0; j < rec->nfields; j++)
			if (strcmp(rec->field[j], column_name[c]) == 0) {
				r->column[c] = j;
				break;
			}
		if (r->column[c] == NO_COLUMN && c != COL_VAL)
			return error_set(e, EXIT_INPUT,
			    "%s:%ld: not a --log file: no "
			    "column \"%s\" (expected the header "
			    "epoch,train_loss,"
			    "val_loss,learning_rate,seconds)",
			    r->name, rec->line, column_name[c]);
	}
	return 0;
}

/*
 * The number in field j of rec: one of num_parse's, or nan, inf, -inf (how the
 * log writes a diverged loss). An empty val_loss is NaN (no validation).
 */
static int
read_value(const struct log_reader *r, const struct csv_record *rec, size_t c,
    double *out, struct error *e)
{
	size_t j = r->column[c];
	const char *s = rec->field[j];
	char quoted[128];

	if (num_parse(s, rec->len[j], out) == NUM_OK)
		return 0;
	*out = (double)NAN;
	if (strcmp(s, "nan") == 0 || strcmp(s, "-nan") == 0 ||
	    (c == COL_VAL && rec->len[j] == 0))
		return 0;
	*out = s[0] == '-' ? -(double)INFINITY : (double)INFINITY;
	if (strcmp(s, "inf") == 0 || strcmp(s, "-inf") == 0)
		return c == COL_EPOCH ? error_set(e, EXIT_INPUT,
					    "%s:%ld:%zu: epoch "
					    "\"%s\" is not finite",
					    r->name, rec->line, j + 1, s)
				      : 0;
	error_quote(quoted, sizeof(quoted), s, rec->len[j]);
	return error_set(e, EXIT_INPUT,
	    "%s:%ld:%zu: \"%s\" in column \"%s\" is "
	    "not a number",
	    r->name, rec->line, j + 1, quoted, column_name[c]);
}

static int
on_log_record(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct log_reader *r = ctx;
	struct loss_log *log = r->log;
	double v[NCOLUMNS];

	if (!r->header_seen)
		return read_header(r, rec, e);
	if (rec->nfields != r->nfields)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld: row has %zu field%s, expected "
		    "%zu as in the header",
		    r->name, rec->line, rec->nfields,
		    rec->nfields == 1 ? "" : "s", r->nfields);
	v[COL_VAL] = (double)NAN;
	for (size_t c = 0; c < NCOLUMNS; c++)
		if (r->column[c] != NO_COLUMN &&
		    read_value(r, rec, c, &v[c], e) != 0)
			return -1;
	if (log->n == log->cap) {
		log->cap = log->cap ? 2 * log->cap : 64;
		for (size_t c = 0; c < NCOLUMNS; c++)
			log->value[c] = xreallocarray(log->value[c], log->cap,
			    sizeof(double));
	}
	for (size_t c = 0; c < NCOLUMNS; c++)
		log->value[c][log->n] = v[c];
	log->nval += !isnan(v[COL_VAL]);
	log->n++;
	return 0;
}

/*
 * The label of path: its base name without ".csv" (all of path without it with
 * whole set, for files whose base names are alike); "stdin" for "-".
 */
static char *
label_of(const char *path, int whole)
{
	const char *base =
	    strrchr(path, '/') && !whole ? strrchr(path, '/') + 1 : path;
	size_t len = strlen(base);
	char *label;

	if (strcmp(path, "-") == 0)
		return xstrdup("stdin");
	if (len > 4 && strcmp(base + len - 4, ".csv") == 0)
		len -= 4;
	label = xmalloc(len + 1);
	memcpy(label, base, len);
	label[len] = '\0';
	return label;
}

/* Read the log at path (or standard input for "-") into log, or exit saying
 * why. */
static void
read_log(const char *path, struct loss_log *log)
{
	int stdin_ = strcmp(path, "-") == 0,
	    fd = cmd_open_input(stdin_ ? NULL : path);
	struct log_reader r = { .name = stdin_ ? "<stdin>" : path, .log = log };
	struct csv_options opt = { .name = r.name, .delimiter = ',' };
	struct error e;

	log->path = path;
	if (csv_read(fd, &opt, on_log_record, &r, &e) != 0)
		error_exit(&e);
	if (!stdin_)
		close(fd);
	if (!r.header_seen)
		error_set(&e, EXIT_INPUT, "%s: empty input", r.name);
	else if (log->n == 0)
		error_set(&e, EXIT_INPUT, "%s: no epochs in the log", r.name);
	else
		return;
	error_exit(&e);
}

/*
 * Name each log after its file; where two base names are alike (runs/a/log.csv,
 * runs/b/log.csv), name those logs by their whole paths instead.
 */
static void
name_logs(struct loss_log *logs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		logs[i].label = label_of(logs[i].path, 0);
	for (size_t i = 0; i < n; i++) {
		int alike = 0;

		for (size_t j = 0; j < n && !alike; j++)
			if (j != i && strcmp(logs[i].path, logs[j].path) != 0) {
				char *other = label_of(logs[j].path, 0);

				alike = strcmp(logs[i].label, other) == 0;
				free(other);
			}
		if (alike) {
			free(logs[i].label);
			logs[i].label = label_of(logs[i].path, 1);
		}
	}
}

/* ------------------------------------------------------------------------ */
/* The chart                                                                 */
/* ------------------------------------------------------------------------ */

/*
 * The curves of the n logs, in order: each one's training loss, then its
 * validation loss if it has one. *ns is set to their number; labels (n) hold
 * the validation curves' names made here (NULL where none). The series point
 * into the logs.
 */
static struct plot_series *
make_series(const struct loss_log *logs, size_t n, char **labels, size_t *ns)
{
	struct plot_series *s = xcalloc(2 * n + 1, sizeof(*s));
	const char suffix[] = " (validation)";

	*ns = 0;
	for (size_t i = 0; i < n; i++) {
		s[*ns] = (struct plot_series){ .label = logs[i].label,
			.n = logs[i].n,
			.x = logs[i].value[COL_EPOCH],
			.y = logs[i].value[COL_TRAIN],
			.run = i };
		labels[i] = NULL;
		(*ns)++;
		if (logs[i].nval == 0)
			continue;
		labels[i] = xmalloc(strlen(logs[i].label) + sizeof(suffix));
		strcpy(labels[i], logs[i].label);
		strcat(labels[i], suffix);
		s[*ns] = (struct plot_series){ .label = labels[i],
			.n = logs[i].n,
			.x = logs[i].value[COL_EPOCH],
			.y = logs[i].value[COL_VAL],
			.dashed = 1,
			.run = i };
		(*ns)++;
	}
	return s;
}

/* Draw the series to output (NULL: standard output), atomically, or exit saying
 * why. */
static void
write_chart(const char *output, const char *title, const struct plot_series *s,
    size_t ns)
{
	struct outfile out;
	struct error e;

	if (outfile_open(&out, output, &e) != 0)
		error_exit(&e);
	if (plot_svg(out.f, title, "epoch", "loss (log scale)", s, ns, &e) !=
	    0) {
		outfile_abort(&out);
		error_exit(&e);
	}
	if (outfile_commit(&out, &e) != 0)
		error_exit(&e);
}

/* ------------------------------------------------------------------------ */
/* The command                                                               */
/* ------------------------------------------------------------------------ */

static void
take_option(const struct opt_spec *s, const char *arg, const char *word,
    void *dst)
{
	(void)arg, (void)word, (void)dst;
	if (s->id == ID_HELP)
		cmd_help(synopsis, help_head, plot_opts, NPLOT, 21, help_tail);
}

static void
parse_options(int argc, char **argv, struct plot_options *o)
{
	o->output = NULL;
	o->title = "Loss by epoch";
	cmd_options(argc, argv, plot_opts, NPLOT, o, synopsis, take_option);
	if (optind == argc) {
		error_warn("plot: no log file given");
		fputs(synopsis, stderr);
		exit(EXIT_USAGE);
	}
}

int
cmd_plot(int argc, char **argv)
{
	struct plot_options o;
	struct loss_log *logs;
	struct plot_series *series;
	char **labels;
	size_t n, ns;

	parse_options(argc, argv, &o);
	n = (size_t)(argc - optind);
	for (size_t i = 0; i < n; i++)
		cmd_check_output("-o", o.output, argv[optind + (int)i]);
	logs = xcalloc(n, sizeof(*logs));
	labels = xcalloc(n, sizeof(*labels));
	for (size_t i = 0; i < n; i++)
		read_log(argv[optind + (int)i], &logs[i]);
	name_logs(logs, n);
	series = make_series(logs, n, labels, &ns);
	write_chart(o.output, o.title, series, ns);
	for (size_t i = 0; i < n; i++) {
		free(logs[i].label);
		for (size_t c = 0; c < NCOLUMNS; c++)
			free(logs[i].value[c]);
		free(labels[i]);
	}
	free(logs);
	free(labels);
	free(series);
	return EXIT_OK;
}
