/*
 * opt.h: a command's options as one table. Each entry says the option's name,
 * short letter, kind of value and its range or words, where the value is stored
 * in the command's options struct, which of the command's rules it belongs to,
 * and its help; getopt_long's tables, the parsing of each value, the --help
 * text and the shell completion's lists are all made from it. Nothing here
 * prints to stderr or exits: errors fill a struct error (failure.h), status 2.
 */
#ifndef DESCEND_OPT_H
#define DESCEND_OPT_H

#include <stddef.h>
#include <stdio.h>

#include "failure.h"

struct option;

enum opt_kind {
	OPT_FLAG,   /* no value: stores `value` (an int) */
	OPT_STRING, /* the argument as given (a const char *) */
	OPT_REAL,   /* a double in [lo, hi], `ends` open or not */
	OPT_WHOLE,  /* an unsigned integer in [min, max], stored in
		       `size` bytes (1, 2, 4 or 8) */
	OPT_WORD,   /* one of words (or list()): its index */
	OPT_CALL    /* an argument the command parses itself */
};

/* Which ends of [lo, hi] are left out, for OPT_REAL. */
enum { OPT_OPEN_LO = 1, OPT_OPEN_HI = 2 };

/*
 * flags: what tune may do with one of fit's options; and what the value
 * names, for completion.
 */
enum {
	OPT_NO_TUNE = 1 << 0, /* tune cannot pass it on */
	OPT_NO_GRID = 1 << 1, /* tune passes it on but cannot grid it */
	OPT_COLUMNS = 1 << 2  /* it names columns of the input (a list,
				 comma-separated): completion offers the
				 names in the input file's header */
};

#define OPT_NO_STORE ((size_t)-1)

/* offset and size of member m of struct type t, for opt_spec.offset/size */
#define OPT_AT(t, m) .offset = offsetof(t, m), .size = sizeof(((t *)0)->m)

struct opt_spec {
	const char *name; /* the long option, without "--" */
	int letter;	  /* the short option, or 0 */
	enum opt_kind kind;
	double lo, hi;		     /* OPT_REAL's range (hi: HUGE_VAL) */
	int ends;		     /* OPT_OPEN_LO | OPT_OPEN_HI */
	unsigned long long min, max; /* OPT_WHOLE's range */
	/*
	 * OPT_WORD: the words, NULL-ended, or list(): "a, b, c" made by a
	 * library table. OPT_REAL and OPT_WHOLE: words also taken, each
	 * storing 0 ("auto"). OPT_CALL: the words offered by completion.
	 */
	const char *const *words;
	const char *(*list)(void);
	const char *say;     /* what a bad value "is not", when not
				said by the range ("a positive number
				or auto"), or NULL */
	size_t offset, size; /* where it is stored (OPT_AT), or
				offset OPT_NO_STORE */
	int value;	     /* OPT_FLAG: what it stores */
	int id;		     /* the command's own code for it */
	unsigned rules;	     /* the command's rule bits it sets */
	unsigned flags;	     /* OPT_NO_TUNE, OPT_NO_GRID */
	const char *why;     /* with a flag: why tune refuses it */
	const char *arg;     /* help: the argument ("file"), or NULL
				for the words joined by '|' */
	const char *dflt;    /* help: the default, or NULL */
	const char *group;   /* help: starts a group, this heading
				(may be ""); NULL: continues */
	const char *help;    /* help: one line, or NULL */
};

/* getopt_long's val for the option at index i that has no short letter. */
#define OPT_VAL_BASE 0x1000

/*
 * getopt_long's tables for the n options of specs: *longs (n + 1 entries, the
 * last all zero; val the short letter, or OPT_VAL_BASE + index) and *shorts
 * (":" then each letter, with ':' after one that takes a value), both
 * allocated with xmalloc (failure.h); free them with free(3).
 */
void opt_getopt(const struct opt_spec *specs, size_t n, struct option **longs,
    char **shorts);

/* The option getopt_long's c stands for, or NULL (for ':', '?', unknown). */
const struct opt_spec *opt_of(const struct opt_spec *specs, size_t n, int c);

/* The option of long name name (len bytes), or NULL. */
const struct opt_spec *opt_named(const struct opt_spec *specs, size_t n,
    const char *name, size_t len);

/* "-e/--epochs", or "--seed" for an option without a short one, in buf. */
const char *opt_flag(const struct opt_spec *s, char *buf, size_t size);

/*
 * Parse arg as s's kind says and store it into the struct at dst: 0, or -1
 * with e saying why ("-e/--epochs: \"0\" is not a whole number from 1 to
 * 1000000000"). OPT_CALL and options without storage only have their words
 * (if any) checked. A word among s's words stores its index (OPT_WORD) or 0.
 */
int opt_store(const struct opt_spec *s, const char *arg, void *dst,
    struct error *e);

/*
 * A whole number in [min, max] for flag: written in digits, or as a number of
 * num.h's grammar that is whole and below 2^53 ("1e3"). 0 and *v, or -1 and e.
 */
int opt_whole(const char *flag, const char *arg, unsigned long long min,
    unsigned long long max, unsigned long long *v, struct error *e);

/* The words s takes, joined by sep, into buf (size bytes); NULL if none. */
const char *opt_words(const struct opt_spec *s, const char *sep, char *buf,
    size_t size);

/* The index of word w among s's words, or -1. */
int opt_word_index(const struct opt_spec *s, const char *w);

/*
 * Write the compact help of the n options to f: per group, its heading in 9
 * columns, then the options as "-t, --target col [last]", three spaces apart,
 * wrapped at 80 columns (a list of words at a '|' when it must).
 */
void opt_help_compact(FILE *f, const struct opt_spec *specs, size_t n);

/*
 * Write the help of the n options that have one to f, one an entry:
 * "  -o, --output FILE" (the argument, or the words joined by '|') padded to
 * width columns, a space, then the help; a newline in the help starts a line
 * that continues under the first.
 */
void opt_help_lines(FILE *f, const struct opt_spec *specs, size_t n, int width);

#endif
