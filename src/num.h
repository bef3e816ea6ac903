/*
 * num.h: text to double, strictly. A number is [+-]digits[.digits][(e|E)[+-]digits]
 * (digits on at least one side of the point), nothing before or after it; so "NA",
 * "1,5", "0x10", "inf", "nan" and "1.5x" are rejected. The result is bit-identical to
 * strtod in the C locale, whatever the environment's locale.
 */
#ifndef DESCEND_NUM_H
#define DESCEND_NUM_H

#include <stddef.h>

enum num_status {
	NUM_OK = 0,
	NUM_EMPTY,		/* no characters at all */
	NUM_INVALID,		/* not of the grammar above */
	NUM_RANGE		/* magnitude too large for a double */
};

/*
 * Parse the len bytes at s (no terminator needed) into *out. Values too small for a
 * double round to a subnormal or to zero as strtod does; that is not an error.
 */
enum num_status num_parse(const char *s, size_t len, double *out);

/* Bytes from s that num_parse_padded may read, whatever len is. */
#define NUM_PAD 17

/*
 * num_parse, the same result for every input, for a caller that can let it read
 * NUM_PAD bytes from s (what lies past len does not matter): a short number, the
 * kind data files are made of, is then converted a word at a time.
 */
enum num_status num_parse_padded(const char *s, size_t len, double *out);

#endif
