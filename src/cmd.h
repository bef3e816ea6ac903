/*
 * cmd.h: the subcommands, each a main of its own with argv[0] the subcommand's name.
 * They parse their options, run, print, and return the exit status.
 */
#ifndef DESCEND_CMD_H
#define DESCEND_CMD_H

#include <stddef.h>

#define DESCEND_NAME "descend"

int cmd_fit(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_tune(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_completion(int argc, char **argv);

/*
 * The name of the i-th subcommand in main.c's table (and its one-line summary in
 * *summary, if not NULL), or NULL when i is past the last.
 */
const char *cmd_command(size_t i, const char **summary);

struct option;

/*
 * fit's options as getopt_long takes them, for the commands that pass fit options
 * on (tune) or list them: the short options string (with a leading ':') and the
 * long options, ended by an all-zero entry.
 */
extern const char cmd_fit_short_options[];
extern const struct option cmd_fit_long_options[];
extern const struct option cmd_predict_long_options[];
extern const struct option cmd_eval_long_options[];
extern const struct option cmd_plot_long_options[];
extern const struct option cmd_export_long_options[];
extern const struct option cmd_completion_long_options[];

/* tune's own options (--grid, and --jobs or -j), which it adds to fit's. */
extern const struct option cmd_tune_own_options[];

/* The words --unseen takes (predict, eval), comma-separated: "error, zero". */
extern const char cmd_unseen_values[];

/*
 * The values fit's long option name takes from a fixed list, comma-separated
 * ("batch, sgd, minibatch" for mode; "auto" alone for learning-rate, which also
 * takes numbers), or NULL when its argument is free (a number, a file, a name).
 */
const char *cmd_fit_option_values(const char *name);

/*
 * Print "descend VERSION" on standard output, with the MPI library when built
 * with one ("descend 0.1.0 (MPI: Open MPI v4.1.4)").
 */
void cmd_version(void);

/* The delimiter an option names: one character, or the word "tab"; else exit 2. */
unsigned char cmd_delimiter(const char *arg);

/*
 * After getopt_long returned ':' or '?' (c) for argv: say which option and what
 * was wrong (suggesting the closest of longopts, if not NULL, for a mistyped long
 * option), print synopsis on stderr and exit 2.
 */
_Noreturn void cmd_bad_option(int c, char **argv, const char *synopsis,
    const struct option *longopts);

/*
 * The input operand left after the options: NULL for none or "-" (standard
 * input); more than one prints synopsis and exits 2.
 */
const char *cmd_input(int argc, char **argv, const char *synopsis);

struct model;

/* The options predict and eval share: a model applied to an input. */
struct apply_options {
	const char *weights;		/* -w */
	const char *input;		/* the operand, or NULL for standard input */
	unsigned char delimiter;	/* -d */
	int header;			/* 0 with --no-header */
	int unseen_zero;		/* --unseen zero */
};

/* getopt_long values of the shared long options without a short one. */
enum { CMD_OPT_NO_HEADER = 512, CMD_OPT_UNSEEN };

/* Take getopt's c if it is -d, -w, --no-header or --unseen: returns 1, else 0. */
int cmd_apply_option(int c, struct apply_options *o);

/* After the options: -w is required, and the input operand is read; exits 2 if wrong. */
void cmd_apply_finish(int argc, char **argv, const char *command,
    const char *synopsis, struct apply_options *o);

/* Read the weights file at path into m, or exit saying why. */
void cmd_load_model(const char *path, struct model *m);

/* --unseen's word: 0 for error, 1 for zero; else exit 2. */
int cmd_unseen(const char *arg);

/*
 * A descriptor for path, or standard input for NULL or "-"; exit 1 if it cannot
 * be opened. Standard input that is a terminal, with standard error one too and
 * cmd_quiet 0, gets a line on standard error saying that it is read, so that a
 * command waiting for it does not look hung.
 */
int cmd_open_input(const char *path);

/* Set by fit's -q (no other command sets it): no notice from cmd_open_input. */
extern int cmd_quiet;

/*
 * Before any work: exit 1 unless a file can be made where the output path
 * (of option flag) will be written, its directory existing and writable, so
 * that a long fit does not end in a lost result; NULL and "-" (standard
 * output) always can. Then exit 2 if it names the same file as the input in,
 * which it would replace.
 */
void cmd_check_output(const char *flag, const char *path, const char *in);

/*
 * Parse a whole number in [min, max] for option flag, or exit 2 saying why;
 * written in digits or as a number of num.h's grammar that is whole ("1e3").
 */
unsigned long long cmd_number(const char *flag, const char *arg,
    unsigned long long min, unsigned long long max);

/* Report a usage error for option flag and exit 2. */
_Noreturn void cmd_usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
