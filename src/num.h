/*
 * num.h: text to double, strictly, and double to its shortest text. A number is
 * [+-]digits[.digits][(e|E)[+-]digits] (digits on at least one side of the
 * point: ".5" and "5." are numbers), nothing before or after it; so "NA",
 * "1,5", "0x10", "inf", "nan", "." and "1.5x" are rejected. The result is
 * bit-identical to strtod in the C locale, whatever the environment's locale.
 */
#ifndef DESCEND_NUM_H
#define DESCEND_NUM_H

#include <stddef.h>
#include <stdio.h>

enum num_status {
	NUM_OK = 0,
	NUM_EMPTY,   /* no characters at all */
	NUM_INVALID, /* not of the grammar above */
	NUM_RANGE    /* magnitude too large for a double */
};

/*
 * Parse the len bytes at s (no terminator needed) into *out. Values too small
 * for a double round to a subnormal or to zero as strtod does; that is not an
 * error.
 */
enum num_status num_parse(const char *s, size_t len, double *out);

/* Bytes from s that num_parse_padded may read, whatever len is. */
#define NUM_PAD 17

/*
 * num_parse, the same result for every input, for a caller that can let it read
 * NUM_PAD bytes from s (what lies past len does not matter): a short number,
 * the kind data files are made of, is then converted a word at a time.
 */
enum num_status num_parse_padded(const char *s, size_t len, double *out);

/* Bytes num_format may write, the terminator included. */
#define NUM_FORMAT_SIZE 32

/*
 * Write x to buf (NUM_FORMAT_SIZE bytes) as the shortest decimal that reads
 * back to the same double (num_parse, strtod, or any correctly rounding
 * reader), the closest to x of those; returns its length, the terminator
 * excluded. The layout is %g's with those digits, as Python's repr(): "0.1",
 * "268176.331", "-3", "0", "-0", "1e-05", "1.5e+22"; positional when the
 * decimal exponent E (x = d.ddd·10^E) is from -4 to 15, else d.ddde±XX with
 * at least two exponent digits. Integers have no point ("3", not "3.0"). NaN
 * and the infinities are "nan", "-nan", "inf" and "-inf", as printf's %g.
 */
size_t num_format(double x, char *buf);

/* num_format's text of x written to f (the caller checks ferror). */
void num_write(FILE *f, double x);

/*
 * qsort's comparison of two doubles (a and b point to them) by value:
 * negative, 0 or positive as *a is below, equal to or above *b.
 */
int num_compare(const void *a, const void *b);

#endif
