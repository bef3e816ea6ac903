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
 *
 * num_parse_padded reads the digits of a short number sixteen bytes at once
 * rather than byte by byte, where the end of each run of digits is a branch the
 * processor cannot foresee; then Clinger's path as above, or num_parse.
 */
#include <errno.h>
#include <limits.h>
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

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && ULLONG_MAX == UINT64_MAX

#define BYTES(b) ((uint64_t)(b) * UINT64_C(0x0101010101010101))

/*
 * Eight digit values (0-9), one a byte, the first in the lowest byte, as the
 * number they spell: pairs, then pairs of pairs, each step a multiplication
 * that adds the lanes into place.
 */
static uint64_t
eight_digits(uint64_t v)
{
	v = v * 10 + (v >> 8);		/* byte 2k: 10·digit 2k + digit 2k+1 */
	return ((v & UINT64_C(0x000000ff000000ff)) * (100 + (UINT64_C(1000000) << 32)) +
	    ((v >> 16) & UINT64_C(0x000000ff000000ff)) * (1 + (UINT64_C(10000) << 32)))
	    >> 32;
}

/* The first n bytes of a word (the lowest), n at most 8. */
static uint64_t
first_bytes(size_t n)
{
	return n >= 8 ? ~(uint64_t)0 : (UINT64_C(1) << (8 * n)) - 1;
}

/*
 * The bytes of w that are not ASCII digits, as their top bits: w ^ '0' leaves a
 * digit as 0-9, and adding 0x76 sets the top bit of a byte from 10 up; a byte
 * with its own top bit set is no digit either (and its carry into the next byte
 * does not matter: the number is refused anyway).
 */
static uint64_t
non_digits(uint64_t w)
{
	return (((w ^ BYTES('0')) + BYTES(0x76)) | w) & BYTES(0x80);
}

enum num_status
num_parse_padded(const char *s, size_t len, double *out)
{
	const char *p = s;
	size_t negative = *p == '-', n, point, frac = 0, shift;
	uint64_t lo, hi, in_lo, in_hi, odd_lo, odd_hi, mantissa;
	double v;

	p += negative | (*p == '+');
	n = len - (size_t)(p - s);		/* digits and point */
	if (len == 0 || n == 0 || n > 16)
		return num_parse(s, len, out);
	memcpy(&lo, p, 8);
	memcpy(&hi, p + 8, 8);
	/* Only the n bytes count: what lies past them is masked off. */
	in_lo = first_bytes(n);
	in_hi = n > 8 ? first_bytes(n - 8) : 0;
	odd_lo = non_digits(lo) & in_lo;
	odd_hi = non_digits(hi) & in_hi;
	lo = (lo ^ BYTES('0')) & in_lo;		/* digit values */
	hi = (hi ^ BYTES('0')) & in_hi;
	if ((odd_lo | odd_hi) != 0) {
		/*
		 * One byte that is not a digit: the point, not alone, which is
		 * taken out.
		 */
		if (odd_lo != 0) {
			point = (size_t)__builtin_ctzll(odd_lo) / 8;
			odd_lo &= odd_lo - 1;
		} else {
			point = 8 + (size_t)__builtin_ctzll(odd_hi) / 8;
			odd_hi &= odd_hi - 1;
		}
		if ((odd_lo | odd_hi) != 0 || p[point] != '.' || n == 1)
			return num_parse(s, len, out);
		frac = n - point - 1;
		if (point < 8) {
			uint64_t keep = first_bytes(point);

			lo = (lo & keep) | ((lo >> 8) & ~keep) | (hi << 56);
			hi >>= 8;
		} else {
			uint64_t keep = first_bytes(point - 8);

			hi = (hi & keep) | ((hi >> 8) & ~keep);
		}
		n--;
	}
	/* The n digits moved to the end of the 16 bytes, zeros before them. */
	shift = 16 - n;
	if (shift >= 8) {
		hi = lo << (8 * (shift - 8));
		lo = 0;
	} else if (shift > 0) {
		hi = (hi << (8 * shift)) | (lo >> (64 - 8 * shift));
		lo <<= 8 * shift;
	}
	mantissa = eight_digits(lo) * 100000000 + eight_digits(hi);
	if (mantissa > (UINT64_C(1) << 53))
		return num_parse(s, len, out);
	v = (double)mantissa / pow10_exact[frac];
	*out = negative ? -v : v;
	return NUM_OK;
}

#else

enum num_status
num_parse_padded(const char *s, size_t len, double *out)
{
	return num_parse(s, len, out);
}

#endif
