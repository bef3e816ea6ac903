/*
 * cmd.h: the subcommands, each a main of its own with argv[0] the subcommand's
 * name. They parse their options, run, print, and return the exit status.
 */
#ifndef DESCEND_CMD_H
#define DESCEND_CMD_H

#include <stddef.h>
#include "failure.h"
#include "input.h"

#define DESCEND_NAME "descend"

int cmd_fit(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_tune(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_path(int argc, char **argv);
int cmd_completion(int argc, char **argv);

/*
 * The name of the i-th subcommand in main.c's table (and its one-line summary
 * in *summary, if not NULL), or NULL when i is past the last.
 */
const char *cmd_command(size_t i, const char **summary);

struct option;
struct opt_spec;

/*
 * fit's table of options (opt.h), for the commands that pass fit options on
 * (tune) or list them (completion); *n is set to the number of entries.
 */
const struct opt_spec *cmd_fit_options(size_t *n);

const struct opt_spec *cmd_predict_options(size_t *n);
const struct opt_spec *cmd_eval_options(size_t *n);
const struct opt_spec *cmd_plot_options(size_t *n);
const struct opt_spec *cmd_export_options(size_t *n);
const struct opt_spec *cmd_path_options(size_t *n);
const struct opt_spec *cmd_completion_options(size_t *n);

/* tune's own options (--grid, and --jobs or -j), which it adds to fit's. */
const struct opt_spec *cmd_tune_own_options(size_t *n);

/*
 * What a command does with option s of its table beyond storing it into dst
 * (opt_store): arg is its argument (or NULL), word the argument word that
 * named it ("--sq").
 */
typedef void (*cmd_take_fn)(const struct opt_spec *s, const char *arg,
    const char *word, void *dst);

/*
 * Parse argv's options by the n options of specs: each value stored into dst
 * as its entry says, then given to take (if not NULL). A bad option or value
 * prints why (and synopsis) and exits 2.
 */
void cmd_options(int argc, char **argv, const struct opt_spec *specs, size_t n,
    void *dst, const char *synopsis, cmd_take_fn take);

/*
 * Print synopsis, head, the help of the options one an entry (opt_help_lines,
 * the help in column width + 1) and tail on standard output; exit 0.
 */
_Noreturn void cmd_help(const char *synopsis, const char *head,
    const struct opt_spec *specs, size_t n, int width, const char *tail);

/*
 * Print "descend VERSION" on standard output, with the MPI library when built
 * with one ("descend 0.1.0 (MPI: Open MPI v4.1.4)").
 */
void cmd_version(void);

/* The delimiter an option names: one character, or the word "tab"; else exit 2.
 */
unsigned char cmd_delimiter(const char *arg);

/*
 * After getopt_long returned ':' or '?' (c) for argv: say which option and what
 * was wrong (suggesting the closest of longopts, if not NULL, for a mistyped
 * long option), print synopsis on stderr and exit 2.
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
	const char *weights;	 /* -w */
	const char *input;	 /* the operand, or NULL for standard input */
	unsigned char delimiter; /* -d */
	int header;		 /* 0 with --no-header */
	int unseen_zero;	 /* --unseen zero */
	int decimal_comma;	 /* --decimal , */
	const char *na_values;	 /* --na-values, or NULL */
	int missing_drop;	 /* --missing drop */
};

/* The words of --missing for predict and eval, error and drop. */
extern const char *const cmd_missing_words[];

/* The words of --unseen, in the order of apply_options.unseen_zero. */
extern const char *const cmd_unseen_words[];

/* The code (opt_spec.id) of -d in the commands' tables: cmd_delimiter's. */
#define CMD_ID_DELIMITER 100
/* And of --decimal: cmd_decimal's. */
#define CMD_ID_DECIMAL 101

/* The entries of --decimal and --na-values, for fit, predict and eval. */
#define CMD_OPT_DECIMAL \
	{ \
		"decimal", 0, OPT_CALL, \
		    .offset = OPT_NO_STORE, .id = CMD_ID_DECIMAL, .arg = "C", \
		    .dflt = ".", .help = "the numbers' decimal mark, . or ," \
	}
#define CMD_OPT_NA_VALUES(t, m) \
	{ \
		"na-values", 0, OPT_STRING, OPT_AT(t, m), \
		    .arg = "LIST", \
		    .help = "words of a missing value (default: NA, NaN, ...)" \
	}

/*
 * The entries of the options predict and eval share, for a struct t with the
 * apply_options as member in.
 */
#define CMD_OPT_WEIGHTS(t) \
	{ \
		"weights", 'w', OPT_STRING, OPT_AT(t, in.weights), \
		    .arg = "FILE", \
		    .help = "the weights (CSV or JSON) written by descend fit" \
	}
#define CMD_OPT_DELIMITER(t) \
	{ \
		"delimiter", 'd', OPT_CALL, \
		    .offset = OPT_NO_STORE, .id = CMD_ID_DELIMITER, \
		    .arg = "C", \
		    .help = "field delimiter, or tab (default: detected)" \
	}
#define CMD_OPT_MISSING(t) \
	{ \
		"missing", 0, OPT_WORD, OPT_AT(t, in.missing_drop), \
		    .words = cmd_missing_words, .help = CMD_MISSING_HELP \
	}
#define CMD_OPT_UNSEEN(t) \
	{ \
		"unseen", 0, OPT_WORD, OPT_AT(t, in.unseen_zero), \
		    .words = cmd_unseen_words, \
		    .help = "an unseen text level: an error, or indicators 0" \
	}

/* After the options: -w is required, and the input operand is read; exits 2 if
 * wrong. */
void cmd_apply_finish(int argc, char **argv, const char *command,
    const char *synopsis, struct apply_options *o);

/* Read the weights file at path into m, or exit saying why. */
void cmd_load_model(const char *path, struct model *m);

/*
 * A descriptor for path, or standard input for NULL or "-"; exit 1 if it cannot
 * be opened. Standard input that is a terminal, with standard error one too and
 * cmd_quiet 0, gets a line on standard error saying that it is read, so that a
 * command waiting for it does not look hung.
 */
int cmd_open_input(const char *path);

/* A command's data input, read through input.h's stage. */
struct cmd_data {
	struct input in;
	const char *name;
	int note;      /* 1: a reading error also says how the delimiter was
			  found: detected, not a comma, with no notice (-q); or
			  none found in a head of one column */
	char why[200]; /* how */
};

/*
 * The data of fd (cmd_open_input's), named name: decompressed on a thread when
 * compressed; with *delimiter 0 (no -d), the delimiter detected from its first
 * lines (input_delimiter, without ',' when decimal_comma) and said on stderr
 * when it is not a comma, unless cmd_quiet. Exits 2 when the delimiter is a
 * comma with decimal_comma, 1 when the input cannot be read. Returns the
 * descriptor to read the text from.
 */
int cmd_data_open(struct cmd_data *d, int fd, const char *name,
    unsigned char *delimiter, int decimal_comma);

/*
 * After the reading, whose status was status (-1 with e filled): exit with
 * the decompression's error if it failed, else with e if status is not 0
 * (with how the delimiter was found, when d->note); else return.
 */
void cmd_data_close(struct cmd_data *d, int status, const struct error *e);

/* --decimal's argument: 0 for ".", 1 for "," (a decimal comma); else exit 2. */
int cmd_decimal(const char *arg);

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

/* The commands' messages on standard error (cmd/diag.c). */
/* warnx(3) with a printf-style message cleaned as error_clean does. */
void error_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* errx(3) with the exit status and a message cleaned as error_clean does. */
_Noreturn void error_die(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * err(3) with the exit status: the message cleaned as error_clean does, then
 * ": " and the text of errno as it was on entry.
 */
_Noreturn void error_die_errno(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print "descend: MSG" on stderr and exit with e's status. */
_Noreturn void error_exit(const struct error *e);

#endif
