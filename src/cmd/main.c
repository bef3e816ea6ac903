/*
 * main.c: descend, a command-line linear regression trainer. Dispatches to the
 * subcommand named by the first argument; knows none of their options.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cluster.h"
#include "cmd.h"
#include "failure.h"
#include "opt.h"
#include "model.h"
#include "names.h"
#include "outfile.h"
#include "num.h"

#ifndef DESCEND_VERSION
#define DESCEND_VERSION "unknown"
#endif

static const struct command {
	const char *name;
	int (*run)(int, char **);
	const char *summary;
} commands[] = {
	{ .name = "fit",
	    .run = cmd_fit,
	    .summary = "fit a linear model to a CSV file by gradient descent" },
	{ .name = "predict",
	    .run = cmd_predict,
	    .summary = "predict with a fitted model, row by row" },
	{ .name = "eval",
	    .run = cmd_eval,
	    .summary = "score a fitted model on data with known targets" },
	{ .name = "tune",
	    .run = cmd_tune,
	    .summary = "rank combinations of fit options by cross-validation" },
	{ .name = "path",
	    .run = cmd_path,
	    .summary = "the lasso or elastic-net path, cross-validated" },
	{ .name = "export",
	    .run = cmd_export,
	    .summary = "write a fitted model as SQL, C, Python or awk" },
	{ .name = "plot",
	    .run = cmd_plot,
	    .summary = "draw the loss curves of --log files as an SVG chart" },
	{ .name = "completion",
	    .run = cmd_completion,
	    .summary = "print a bash or zsh completion script" },
};

const char *
cmd_command(size_t i, const char **summary)
{
	if (i >= sizeof(commands) / sizeof(commands[0]))
		return NULL;
	if (summary != NULL)
		*summary = commands[i].summary;
	return commands[i].name;
}

static void
usage(FILE *f)
{
	fputs(
	    "usage: descend [--help | --version] command [args]\n\ncommands:\n",
	    f);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-11s %s\n", commands[i].name,
		    commands[i].summary);
	fputs("\n'descend COMMAND --help' lists a command's options; "
	      "see descend(1) for details.\n",
	    f);
}

unsigned long long
cmd_number(const char *flag, const char *arg, unsigned long long min,
    unsigned long long max)
{
	struct error e;
	unsigned long long v;

	if (opt_whole(flag, arg, min, max, &v, &e) == -1)
		error_exit(&e);
	return v;
}

unsigned char
cmd_delimiter(const char *arg)
{
	if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
		return '\t';
	if (strlen(arg) != 1 || arg[0] == '"' || arg[0] == '\n' ||
	    arg[0] == '\r')
		cmd_usage_error(
		    "-d/--delimiter: \"%s\" is not one character or tab", arg);
	return (unsigned char)arg[0];
}

/*
 * The long option of longopts closest to the unknown word arg
 * ("--lerning-rate",
 * "--epoch=5"): within two edits, and at most half its length; NULL if
 * none is that close.
 */
static const char *
closest_option(const char *arg, const struct option *longopts)
{
	const char *best = NULL;
	size_t n, best_d = (size_t)-1;

	if (longopts == NULL || strncmp(arg, "--", 2) != 0)
		return NULL;
	arg += 2;
	n = strcspn(arg, "=");
	for (const struct option *o = longopts; o->name != NULL; o++) {
		size_t dist = names_distance(o->name, arg, n);

		if (dist < best_d && dist <= 2 && 2 * dist <= strlen(o->name)) {
			best_d = dist;
			best = o->name;
		}
	}
	return best;
}

/* The subcommand closest to the unknown word arg, by the same rule; NULL if
 * none is. */
static const char *
closest_command(const char *arg)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const char *name = commands[i].name;
		size_t dist = names_distance(name, arg, strlen(arg));

		if (dist < best_d && dist <= 2 && 2 * dist <= strlen(name)) {
			best_d = dist;
			best = name;
		}
	}
	return best;
}

void
cmd_bad_option(int c, char **argv, const char *synopsis,
    const struct option *longopts)
{
	const char *near;

	if (c == ':')
		error_warn("option %s needs an argument", argv[optind - 1]);
	else if ((near = closest_option(argv[optind - 1], longopts)) != NULL)
		error_warn("unknown option \"%s\"; did you mean --%s?",
		    argv[optind - 1], near);
	else
		error_warn("unknown option \"%s\"", argv[optind - 1]);
	fputs(synopsis, stderr);
	exit(EXIT_USAGE);
}

const char *
cmd_input(int argc, char **argv, const char *synopsis)
{
	if (argc - optind > 1) {
		error_warn("one input file at most; \"%s\" is one too many",
		    argv[optind + 1]);
		fputs(synopsis, stderr);
		exit(EXIT_USAGE);
	}
	if (optind < argc && strcmp(argv[optind], "-") != 0)
		return argv[optind];
	return NULL;
}

const char *const cmd_unseen_words[] = { "error", "zero", NULL };

/* getopt_long's tables of cmd_options, reachable until they are freed. */
static struct option *cmd_longs;
static char *cmd_shorts;

void
cmd_options(int argc, char **argv, const struct opt_spec *specs, size_t n,
    void *dst, const char *synopsis, cmd_take_fn take)
{
	const struct opt_spec *s;
	struct error e;
	int c;

	opt_getopt(specs, n, &cmd_longs, &cmd_shorts);
	opterr = 0;
	while (
	    (c = getopt_long(argc, argv, cmd_shorts, cmd_longs, NULL)) != -1) {
		if ((s = opt_of(specs, n, c)) == NULL)
			cmd_bad_option(c, argv, synopsis, cmd_longs);
		if (opt_store(s, optarg, dst, &e) == -1)
			error_exit(&e);
		if (take != NULL)
			take(s, optarg, argv[optind - 1], dst);
	}
	free(cmd_longs);
	free(cmd_shorts);
	cmd_longs = NULL;
	cmd_shorts = NULL;
}

void
cmd_help(const char *synopsis, const char *head, const struct opt_spec *specs,
    size_t n, int width, const char *tail)
{
	fputs(synopsis, stdout);
	fputs(head, stdout);
	opt_help_lines(stdout, specs, n, width);
	fputs(tail, stdout);
	exit(EXIT_OK);
}

void
cmd_apply_finish(int argc, char **argv, const char *command,
    const char *synopsis, struct apply_options *o)
{
	if (o->weights == NULL) {
		error_warn("%s: -w/--weights is required", command);
		fputs(synopsis, stderr);
		exit(EXIT_USAGE);
	}
	o->input = cmd_input(argc, argv, synopsis);
	if (strcmp(o->weights, "-") == 0 && o->input == NULL)
		cmd_usage_error(
		    "-w - reads the weights from standard input, which "
		    "then cannot also give the data: name the data's file");
}

void
cmd_load_model(const char *path, struct model *m)
{
	struct error e;
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : cmd_open_input(path);

	if (model_read(fd, strcmp(path, "-") == 0 ? "<stdin>" : path, m, &e) !=
	    0)
		error_exit(&e);
	if (fd != STDIN_FILENO)
		close(fd);
}

int cmd_quiet;

int
cmd_open_input(const char *path)
{
	int fd;

	if (path == NULL || strcmp(path, "-") == 0) {
		if (!cmd_quiet && isatty(STDIN_FILENO) && isatty(STDERR_FILENO))
			error_warn(
			    "reading the CSV from standard input, the terminal "
			    "(end it with Ctrl-D, or name a file)");
		return STDIN_FILENO;
	}
	if ((fd = open(path, O_RDONLY)) == -1)
		error_die_errno(EXIT_INPUT, "%s", path);
	return fd;
}

const char *const cmd_missing_words[] = { "error", "drop", NULL };

int
cmd_decimal(const char *arg)
{
	if (strcmp(arg, ".") == 0 || strcmp(arg, ",") == 0)
		return arg[0] == ',';
	cmd_usage_error("--decimal: \"%s\" is not . or ,", arg);
}

int
cmd_data_open(struct cmd_data *d, int fd, const char *name,
    unsigned char *delimiter, int decimal_comma)
{
	struct error e;
	int found;

	*d = (struct cmd_data){ .name = name };
	if (decimal_comma && *delimiter == ',')
		cmd_usage_error("--decimal , needs another delimiter than the "
				"comma (-d ';', as write.csv2 writes)");
	if (input_open(fd, name, &d->in, &e) != 0)
		error_exit(&e);
	if (*delimiter == 0) {
		*delimiter = input_delimiter(d->in.head, d->in.head_len,
		    d->in.head_whole, decimal_comma, &found, d->why,
		    sizeof(d->why));
		/* A decimal comma's files use ';'. */
		if (*delimiter == 0)
			*delimiter = ';';
		if (found == 1 && *delimiter != ',' && !cmd_quiet)
			error_warn("%s: %s", name, d->why);
		else
			d->note =
			    found == 0 || (found == 1 && *delimiter != ',');
	}
	return d->in.fd;
}

void
cmd_data_close(struct cmd_data *d, int status, const struct error *e)
{
	struct error de, note;

	if (input_close(&d->in, &de) != 0)
		error_exit(&de);
	if (status == 0)
		return;
	if (!d->note || e->status != EXIT_INPUT)
		error_exit(e);
	error_set(&note, e->status, "%s (%s; -d sets it)", e->msg, d->why);
	error_exit(&note);
}

void
cmd_check_output(const char *flag, const char *path, const char *in)
{
	struct stat out_st, in_st;
	char *tmp;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0)
		return;
	if (in != NULL && strcmp(in, "-") != 0 && stat(path, &out_st) == 0 &&
	    stat(in, &in_st) == 0 && out_st.st_dev == in_st.st_dev &&
	    out_st.st_ino == in_st.st_ino)
		error_die(EXIT_USAGE,
		    "%s %s is the input, %s: writing it would "
		    "replace the data",
		    flag, path, in);
	if (stat(path, &out_st) == 0 && !S_ISREG(out_st.st_mode))
		return; /* a device or a pipe, written directly */
	if ((fd = outfile_temporary(path, &tmp)) == -1)
		error_die(EXIT_INPUT,
		    "%s %s: %s (checked before reading the input, "
		    "so that no work is lost)",
		    flag, path, strerror(errno));
	close(fd);
	outfile_unlink(tmp);
	free(tmp);
}

void
cmd_version(void)
{
	const char *mpi = cluster_library();

	if (mpi != NULL)
		printf("descend %s (MPI: %s)\n", DESCEND_VERSION, mpi);
	else
		printf("descend %s\n", DESCEND_VERSION);
}

void
cmd_usage_error(const char *fmt, ...)
{
	struct error e;
	char raw[sizeof(e.msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	error_clean(e.msg, sizeof(e.msg), raw);
	e.status = EXIT_USAGE;
	error_exit(&e);
}

/*
 * Under mpirun with several processes, only an MPI build's fit works as one
 * job; any other command, or fit without MPI, would run whole in every process
 * (each printing its output, a pipeline getting it K times): a usage error,
 * said once, by the first process; the others exit with the same status,
 * silently, a second later.
 */
static void
refuse_copies(const char *command)
{
	int rank, K = cluster_launched(&rank);

	if (K == 1 ||
	    (strcmp(command, "fit") == 0 && cluster_library() != NULL))
		return;
	if (rank != 0) {
		/*
		 * mpirun ends the job when a process exits with an error, and a
		 * message the first process had not yet written, or mpirun not
		 * yet passed on, was lost with it (seen once in CI): the first
		 * process is given a second to say it and end first.
		 */
		struct timespec wait = { .tv_sec = 1, .tv_nsec = 0 };

		while (nanosleep(&wait, &wait) != 0 && errno == EINTR)
			continue;
		exit(EXIT_USAGE);
	}
	if (strcmp(command, "fit") == 0)
		cmd_usage_error(
		    "this descend was built without MPI (make MPI=1 builds "
		    "it with Open MPI): under mpirun each of the %d processes "
		    "would "
		    "fit alone",
		    K);
	cmd_usage_error(
	    "%s does not use MPI: under mpirun each of the %d processes "
	    "would run it whole (only fit is spread across ranks)",
	    command, K);
}

int
main(int argc, char **argv)
{
	const char *near;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		cmd_version();
		return EXIT_OK;
	}
	/* descend help [command]: the usage, or the command's --help */
	if (strcmp(argv[1], "help") == 0) {
		static char help_flag[] = "--help";
		char *help_argv[] = { argc > 2 ? argv[2] : NULL, help_flag,
			NULL };

		if (argc == 2) {
			usage(stdout);
			return EXIT_OK;
		}
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]);
		     i++)
			if (strcmp(argv[2], commands[i].name) == 0)
				return commands[i].run(2, help_argv);
		error_warn("help: unknown command \"%s\"", argv[2]);
		usage(stderr);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			refuse_copies(commands[i].name);
			return commands[i].run(argc - 1, argv + 1);
		}
	if (argv[1][0] != '-' && (near = closest_command(argv[1])) != NULL)
		error_warn("unknown command \"%s\"; did you mean %s?", argv[1],
		    near);
	else
		error_warn("unknown %s \"%s\"",
		    argv[1][0] == '-' ? "option" : "command", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
