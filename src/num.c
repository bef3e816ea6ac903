/*
 * num.c: strict decimal text to double.
 *
 * The grammar is checked here, byte by byte, so that strtod never sees what it would
 * accept but we do not ("inf", "0x10", leading spaces). Most values in data files
 * have few digits and a small exponent; those are converted by Clinger's fast path
 * (W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990): when
 * the digits form an integer m < 2^53 and the power of ten p satisfies |p| <= 22,
 * both m and 10^|p| are exact doubles, and one IEEE multiplication or division
 * rounds m·10^p correctly, the same double strtod returns. Everything else goes to
 * strtod, whose result is correctly rounded in glibc.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

static const double pow10_exact[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static enum num_status
parse_slow(const char *s, size_t len, double *out)
{
	char small[64], *buf = small, *end;
	double v;

	if (len >= sizeof(small) && (buf = malloc(len + 1)) == NULL)
		return NUM_RANGE;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (buf != small)
		free(buf);
	if (errno == ERANGE && isinf(v))
		return NUM_RANGE;
	*out = v;
	return NUM_OK;
}

enum num_status
num_parse(const char *s, size_t len, double *out)
{
	size_t i = 0;
	int negative = 0, digits = 0, significant = 0, exp_sign = 1;
	uint64_t mantissa = 0;
	long exp10 = 0, exponent = 0;

	if (len == 0)
		return NUM_EMPTY;
	if (s[i] == '+' || s[i] == '-')
		negative = s[i++] == '-';
	for (; i < len && is_digit(s[i]); i++, digits++) {
		if (significant || s[i] != '0')
			significant++;
		if (significant <= 19)
			mantissa = mantissa * 10 + (uint64_t)(s[i] - '0');
		else
			exp10++;
	}
	if (i < len && s[i] == '.') {
		for (i++; i < len && is_digit(s[i]); i++, digits++) {
			if (significant || s[i] != '0')
				significant++;
			if (significant <= 19) {
				mantissa = mantissa * 10 + (uint64_t)(s[i] - '0');
				exp10--;
			}
		}
	}
	if (digits == 0)
		return NUM_INVALID;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		int exp_digits = 0;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			exp_sign = s[i++] == '-' ? -1 : 1;
		for (; i < len && is_digit(s[i]); i++, exp_digits++)
			if (exponent < 100000)
				exponent = exponent * 10 + (s[i] - '0');
		if (exp_digits == 0)
			return NUM_INVALID;
	}
	if (i != len)
		return NUM_INVALID;

	exp10 += exp_sign * exponent;
	if (significant <= 15 && exp10 >= -22 && exp10 <= 22) {
		double v = (double)mantissa;

		v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
		*out = negative ? -v : v;
		return NUM_OK;
	}
	return parse_slow(s, len, out);
}
