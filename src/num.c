/*
 * num.c: strict decimal text to double.
 *
 * The grammar is checked here, byte by byte, so that strtod never sees what it would
 * accept but we do not ("inf", "0x10", leading spaces). Most values in data files
 * have few digits and a small exponent; those are converted by Clinger's fast path
 * (W. D. Clinger, "How to read floating point numbers accurately", PLDI 1990): when
 * the digits form an integer m <= 2^53 and the power of ten p satisfies |p| <= 22,
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

/*
 * Digits [s, end) appended to *m; returns the first byte that is not a digit.
 * Only the first 19 digits fit a uint64_t for sure: callers send longer numbers
 * to strtod, so what m holds past them does not matter.
 */
static const char *
scan_digits(const char *s, const char *end, uint64_t *m)
{
	uint64_t v = *m;

	for (; s < end && is_digit(*s); s++)
		v = v * 10 + (uint64_t)(*s - '0');
	*m = v;
	return s;
}

enum num_status
num_parse(const char *s, size_t len, double *out)
{
	const char *p = s, *end = s + len, *digits_start;
	int negative = 0;
	uint64_t mantissa = 0;
	long exp10, exponent = 0;
	size_t digits;

	if (len == 0)
		return NUM_EMPTY;
	if (*p == '+' || *p == '-')
		negative = *p++ == '-';
	digits_start = p;
	p = scan_digits(p, end, &mantissa);
	digits = (size_t)(p - digits_start);
	if (p < end && *p == '.') {
		const char *frac = ++p;

		p = scan_digits(p, end, &mantissa);
		digits += (size_t)(p - frac);
		exp10 = -(long)(p - frac);
	} else {
		exp10 = 0;
	}
	if (digits == 0)
		return NUM_INVALID;
	if (p < end && (*p == 'e' || *p == 'E')) {
		int exp_sign = 1;
		const char *exp_start;

		p++;
		if (p < end && (*p == '+' || *p == '-'))
			exp_sign = *p++ == '-' ? -1 : 1;
		exp_start = p;
		for (; p < end && is_digit(*p); p++)
			if (exponent < 100000)
				exponent = exponent * 10 + (*p - '0');
		if (p == exp_start)
			return NUM_INVALID;
		exponent *= exp_sign;
	}
	if (p != end)
		return NUM_INVALID;

	/*
	 * Clinger's fast path: at most 19 digits, so mantissa holds them exactly;
	 * then it must be exact as a double (≤ 2^53), and 10^|exp10| too (≤ 22).
	 */
	exp10 += exponent;
	if (digits <= 19 && mantissa <= ((uint64_t)1 << 53) &&
	    exp10 >= -22 && exp10 <= 22) {
		double v = (double)mantissa;

		v = exp10 < 0 ? v / pow10_exact[-exp10] : v * pow10_exact[exp10];
		*out = negative ? -v : v;
		return NUM_OK;
	}
	return parse_slow(s, len, out);
}
