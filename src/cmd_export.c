/*
 * cmd_export.c: descend export. Reads a weights file and writes the model as
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
#include "outfile.h"

enum { OPT_SQL = 256, OPT_C, OPT_PYTHON, OPT_AWK, OPT_TABLE };

const struct option cmd_export_long_options[] = {
	{ "awk", no_argument, NULL, OPT_AWK },
	{ "c", no_argument, NULL, OPT_C },
	{ "help", no_argument, NULL, 'h' },
	{ "output", required_argument, NULL, 'o' },
	{ "python", no_argument, NULL, OPT_PYTHON },
	{ "sql", no_argument, NULL, OPT_SQL },
	{ "table", required_argument, NULL, OPT_TABLE },
	{ "weights", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 }
};

static const char synopsis[] =
    "usage: descend export --sql|--c|--python|--awk -w weights [--table name]\n"
    "                      [-o file]\n";

static const char help[] =
    "\nWrite a fitted model as code that predicts without descend: regression,\n"
    "the prediction; logistic, the probability of the positive class; softmax,\n"
    "the label of the highest score. Weights read back to the same doubles.\n\n"
    "  -w, --weights FILE   the weights CSV written by descend fit\n"
    "      --sql            a SELECT over the columns of a table\n"
    "      --c              a C function, descend_predict, one parameter a column\n"
    "      --python         a Python function, predict(row), row a mapping\n"
    "      --awk            an awk program for a CSV with a header (awk -F, -f)\n"
    "      --table NAME     the SQL table (default: data)\n"
    "  -o, --output FILE    write to FILE, atomically\n"
    "  -h, --help           show this help\n\n"
    "Exit status: 0 done, 1 bad input, 2 usage. See descend(1).\n";

int
cmd_export(int argc, char **argv)
{
	const char *weights = NULL, *output = NULL, *table = "data", *chosen = NULL;
	enum export_language language = EXPORT_SQL;
	struct outfile out;
	struct model m;
	struct error e;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":ho:w:", cmd_export_long_options,
	    NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(synopsis, stdout);
			fputs(help, stdout);
			exit(EXIT_OK);
		case 'o':
			output = optarg;
			break;
		case 'w':
			weights = optarg;
			break;
		case OPT_TABLE:
			table = optarg;
			break;
		case OPT_SQL:
		case OPT_C:
		case OPT_PYTHON:
		case OPT_AWK:
			if (chosen != NULL)
				cmd_usage_error("%s and %s: export writes one language "
				    "at a time", chosen, argv[optind - 1]);
			chosen = argv[optind - 1];
			language = c == OPT_SQL ? EXPORT_SQL : c == OPT_C ? EXPORT_C :
			    c == OPT_PYTHON ? EXPORT_PYTHON : EXPORT_AWK;
			break;
		default:
			cmd_bad_option(c, argv, synopsis, cmd_export_long_options);
		}
	}
	if (optind < argc)
		cmd_usage_error("export reads no input operand (\"%s\"): the model "
		    "comes from -w", argv[optind]);
	if (chosen == NULL)
		cmd_usage_error("export needs a language: --sql, --c, --python or "
		    "--awk");
	if (weights == NULL)
		cmd_usage_error("export needs -w, the weights file written by "
		    "descend fit");
	if (*table == '\0')
		cmd_usage_error("--table: the table's name is empty");
	cmd_load_model(weights, &m);
	if (outfile_open(&out, output, &e) != 0)
		error_exit(&e);
	if (export_model(&m, language, table, weights, out.f, &e) != 0 ||
	    outfile_commit(&out, &e) != 0) {
		outfile_abort(&out);
		error_exit(&e);
	}
	model_free(&m);
	return EXIT_OK;
}
