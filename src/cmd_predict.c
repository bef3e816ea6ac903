/*
 * cmd_predict.c: descend predict. Streams the input through the model one record
 * at a time and writes a prediction per row, in order, in constant memory.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "csv.h"
#include "model.h"
#include "outfile.h"
#include "predict.h"

enum { OPT_APPEND = 256 };

static const struct option long_options[] = {
	{ "append", no_argument, NULL, OPT_APPEND },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	{ "no-header", no_argument, NULL, CMD_OPT_NO_HEADER },
	{ "output", required_argument, NULL, 'o' },
	{ "unseen", required_argument, NULL, CMD_OPT_UNSEEN },
	{ "weights", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 }
};

static const char synopsis[] =
    "usage: descend predict -w weights [-d delim] [--no-header] [--append]\n"
    "                       [--unseen error|zero] [-o file] [file]\n";

static const char help[] =
    "\nWrite the model's prediction for every row of a CSV file (or standard\n"
    "input), in order. Columns are matched to the model's terms by name.\n\n"
    "  -w, --weights FILE       the weights CSV written by descend fit\n"
    "      --append             write each input row with the prediction last\n"
    "  -d, --delimiter C        field delimiter, or the word tab (default: ,)\n"
    "      --no-header          the input has no header; columns x1, x2, ...\n"
    "      --unseen error|zero  a text level not seen in training: an error\n"
    "                           (default), or all its indicators 0\n"
    "  -o, --output FILE        write to FILE, atomically\n"
    "  -h, --help               show this help\n\n"
    "Exit status: 0 done, 1 bad input, 2 usage. See descend(1).\n";

struct predict_options {
	struct apply_options in;
	const char *output;		/* -o, or NULL for standard output */
	int append;			/* --append */
};

/* What the record callback works with. */
struct run {
	const struct predict_options *o;
	const char *name;
	struct model model;
	struct predictor p;
	FILE *out;
	int started;
};

static void
parse_options(int argc, char **argv, struct predict_options *o)
{
	int c;

	*o = (struct predict_options){ .in = { .delimiter = ',', .header = 1 } };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:ho:w:", long_options, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(synopsis, stdout);
			fputs(help, stdout);
			exit(EXIT_OK);
		case 'o':
			o->output = optarg;
			break;
		case OPT_APPEND:
			o->append = 1;
			break;
		default:
			if (!cmd_apply_option(c, &o->in))
				cmd_bad_option(c, argv, synopsis);
		}
	}
	cmd_apply_finish(argc, argv, "predict", synopsis, &o->in);
}

/* The record's fields, re-quoted where needed, each followed by the delimiter. */
static void
write_fields(const struct run *r, const struct csv_record *rec)
{
	for (size_t j = 0; j < rec->nfields; j++) {
		csv_write_field(r->out, rec->field[j], r->o->in.delimiter);
		putc(r->o->in.delimiter, r->out);
	}
}

static int
on_record(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct run *r = ctx;
	double y;

	if (!r->started) {
		r->started = 1;
		if (predictor_init(&r->p, &r->model, r->name, rec, r->o->in.header, 0, e))
			return -1;
		if (r->o->in.header || !r->o->append) {
			if (r->o->append)
				write_fields(r, rec);
			fputs("prediction\n", r->out);
		}
		if (r->o->in.header)
			return 0;
	}
	if (predictor_apply(&r->p, rec, &y, e))
		return -1;
	if (r->o->append)
		write_fields(r, rec);
	fprintf(r->out, "%.17g\n", y);
	return 0;
}

int
cmd_predict(int argc, char **argv)
{
	struct predict_options o;
	struct run r = { .o = &o };
	struct csv_options copt;
	struct outfile out;
	struct error e;
	int fd;

	parse_options(argc, argv, &o);
	r.p.unseen_zero = o.in.unseen_zero;
	cmd_load_model(o.in.weights, &r.model);
	r.name = o.in.input ? o.in.input : "<stdin>";
	copt = (struct csv_options){ .name = r.name, .delimiter = o.in.delimiter };
	fd = cmd_open_input(o.in.input);
	if (outfile_open(&out, o.output, &e) != 0)
		error_exit(&e);
	r.out = out.f;
	if (csv_read(fd, &copt, on_record, &r, &e) != 0 ||
	    (!r.started && error_set(&e, EXIT_INPUT, "%s: empty input", r.name)) ||
	    outfile_commit(&out, &e) != 0) {
		outfile_abort(&out);
		error_exit(&e);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	predictor_free(&r.p);
	model_free(&r.model);
	return EXIT_OK;
}
