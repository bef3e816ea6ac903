/*
 * cmd/export.c: descend export. Reads a weights file and writes the model as
 * code (export.h) in one language, to standard output or atomically to -o.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "failure.h"
#include "export.h"
#include "model.h"
#include "opt.h"
#include "outfile.h"

static const char synopsis[] =
    "usage: descend export --sql|--c|--python|--awk -w weights [--table name]\n"
    "                      [-o file]\n";

static const char help_head[] =
    "\nWrite a fitted model as code that predicts without descend: "
    "regression,\n"
    "the prediction; logistic, the probability of the positive class; "
    "softmax,\n"
    "the label of the highest score. Weights read back to the same "
    "doubles.\n\n";
static const char help_tail[] =
    "\nExit status: 0 done, 1 bad input, 2 usage. See descend(1).\n";

struct export_options {
	const char *weights; /* -w */
	const char *output;  /* -o, or NULL for standard output */
	const char *table;   /* --table */
	int language;	     /* enum export_language */
	const char *chosen;  /* its flag as given, or NULL */
};

#define X(m) OPT_AT(struct export_options, m)

enum { ID_HELP = 1, ID_LANGUAGE };

/* export's options, in the order of --help. */
static const struct opt_spec export_opts[] = {
	{ "weights", 'w', OPT_STRING, X(weights), .arg = "FILE",
	    .help = "the weights (CSV or JSON) written by descend fit" },
	{ "sql", 0, OPT_FLAG, X(language), .value = EXPORT_SQL,
	    .id = ID_LANGUAGE, .help = "a SELECT over the columns of a table" },
	{ "c", 0, OPT_FLAG, X(language), .value = EXPORT_C, .id = ID_LANGUAGE,
	    .help = "a C function, descend_predict, one parameter a column" },
	{ "python", 0, OPT_FLAG, X(language), .value = EXPORT_PYTHON,
	    .id = ID_LANGUAGE,
	    .help = "a Python function, predict(row), row a mapping" },
	{ "awk", 0, OPT_FLAG, X(language), .value = EXPORT_AWK,
	    .id = ID_LANGUAGE,
	    .help = "an awk program for a CSV with a header (awk -F, -f)" },
	{ "table", 0, OPT_STRING, X(table), .arg = "NAME",
	    .help = "the SQL table (default: data)" },
	{ "output", 'o', OPT_STRING, X(output), .arg = "FILE",
	    .help = "write to FILE, atomically" },
	{ "help", 'h', OPT_FLAG, .offset = OPT_NO_STORE, .id = ID_HELP,
	    .help = "show this help" },
};

#define NEXPORT (sizeof(export_opts) / sizeof(export_opts[0]))

const struct opt_spec *
cmd_export_options(size_t *n)
{
	*n = NEXPORT;
	return export_opts;
}

static void
take_option(const struct opt_spec *s, const char *arg, const char *word,
    void *dst)
{
	struct export_options *o = dst;

	(void)arg;
	if (s->id == ID_HELP)
		cmd_help(synopsis, help_head, export_opts, NEXPORT, 22,
		    help_tail);
	if (s->id != ID_LANGUAGE)
		return;
	if (o->chosen != NULL)
		cmd_usage_error("%s and %s: export writes one language at a "
				"time",
		    o->chosen, word);
	o->chosen = word;
}

int
cmd_export(int argc, char **argv)
{
	struct export_options o = { .table = "data", .language = EXPORT_SQL };
	struct outfile out;
	struct model m;
	struct error e;

	cmd_options(argc, argv, export_opts, NEXPORT, &o, synopsis,
	    take_option);
	if (optind < argc)
		cmd_usage_error(
		    "export reads no input operand (\"%s\"): the model "
		    "comes from -w",
		    argv[optind]);
	if (o.chosen == NULL)
		cmd_usage_error(
		    "export needs a language: --sql, --c, --python or "
		    "--awk");
	if (o.weights == NULL)
		cmd_usage_error("export needs -w, the weights file written by "
				"descend fit");
	if (*o.table == '\0')
		cmd_usage_error("--table: the table's name is empty");
	cmd_load_model(o.weights, &m);
	if (outfile_open(&out, o.output, &e) != 0)
		error_exit(&e);
	if (export_model(&m, (enum export_language)o.language, o.table,
		o.weights, out.f, &e) != 0 ||
	    outfile_commit(&out, &e) != 0) {
		outfile_abort(&out);
		error_exit(&e);
	}
	model_free(&m);
	return EXIT_OK;
}
