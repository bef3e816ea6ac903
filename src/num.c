/*
 * num.c: strict decimal text to double, and back.
 *
 * The grammar is checked here, byte by byte (eight at a time where eight bytes
 * remain), so that no converter sees what it would accept but we do not ("inf",
 * "0x10", "1.", leading spaces). On the way the significant digits are gathered
 * into an integer w and the power of ten q, value = w·10^q. Then:
 *
 *   - Clinger's fast path (W. D. Clinger, "How to read floating point
 *     numbers accurately", PLDI 1990) when w <= 2^53 and |q| <= 22: both w
 *     and 10^|q| are exact doubles, and one IEEE multiplication or division
 *     rounds w·10^q correctly;
 *   - otherwise, up to 19 significant digits (w exact in 64 bits), Eisel and
 *     Lemire's algorithm (num_ff_lemire, fast_float): w times a 128-bit
 *     truncation of 5^q decides the rounding, but for a few inputs in 10^4
 *     or fewer, which it reports;
 *   - those and longer mantissas go to fast_float's exact path (num_ff_text),
 *     which compares the digits with the halfway point in big integers;
 *   - absurd exponents or lengths (past EXTREME) go to glibc's strtod, whose
 *     exponent arithmetic does not saturate where fast_float's does.
 * Every path is correctly rounded, so the result is strtod's, bit for bit
 * (make check-numbers compares them on 10^8 strings).
 *
 * num_parse_padded reads the digits of a short number sixteen bytes at once
 * rather than byte by byte, where the end of each run of digits is a branch the
 * processor cannot foresee; then Clinger's path or Eisel-Lemire as above, or
 * num_parse.
 *
 * num_format writes the shortest digits that read back to the same double
 * (num_ff_shortest, double-conversion), laid out as described in num.h.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "num_ff.h"

/* Exponents or lengths from which strtod converts: see above. */
#define EXTREME 50000

static const double pow10_exact[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
	1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
	1e20, 1e21, 1e22 };

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && ULLONG_MAX == UINT64_MAX
#define NUM_SWAR 1

#define BYTES(b) ((uint64_t)(b)*UINT64_C(0x0101010101010101))

/*
 * Eight digit values (0-9), one a byte, the first in the lowest byte, as the
 * number they spell: pairs, then pairs of pairs, each step a multiplication
 * that adds the lanes into place.
 */
static uint64_t
eight_digits(uint64_t v)
{
	v = v * 10 + (v >> 8); /* byte 2k: 10·digit 2k + digit 2k+1 */
	return ((v & UINT64_C(0x000000ff000000ff)) *
		       (100 + (UINT64_C(1000000) << 32)) +
		   ((v >> 16) & UINT64_C(0x000000ff000000ff)) *
		       (1 + (UINT64_C(10000) << 32))) >>
	    32;
}

/*
 * The bytes of w that are not ASCII digits, as their top bits: w ^ '0' leaves a
 * digit as 0-9, and adding 0x76 sets the top bit of a byte from 10 up; a byte
 * with its own top bit set is no digit either (and its carry into the next byte
 * does not matter: the number is refused anyway, or, in scan_digits, read again
 * byte by byte).
 */
static uint64_t
non_digits(uint64_t w)
{
	return (((w ^ BYTES('0')) + BYTES(0x76)) | w) & BYTES(0x80);
}
#endif

/*
 * w·10^q correctly rounded into *out, w exact: Clinger's path, else
 * Eisel-Lemire; 0 when neither decides.
 */
static int
convert_exact(uint64_t w, long q, double *out)
{
	if (w <= ((uint64_t)1 << 53) && q >= -22 && q <= 22) {
		*out = q < 0 ? (double)w / pow10_exact[-q]
			     : (double)w * pow10_exact[q];
		return 1;
	}
	return num_ff_lemire(w, q, out);
}

static enum num_status
parse_strtod(const char *s, size_t len, double *out)
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
 * Only 19 significant digits fit a uint64_t for sure: callers send longer
 * numbers elsewhere, so what m holds past them does not matter.
 */
static const char *
scan_digits(const char *s, const char *end, uint64_t *m)
{
	uint64_t v = *m;

#ifdef NUM_SWAR
	while (end - s >= 8) {
		uint64_t w;

		memcpy(&w, s, 8);
		if (non_digits(w) != 0)
			break;
		v = v * 100000000 + eight_digits(w ^ BYTES('0'));
		s += 8;
	}
#endif
	for (; s < end && is_digit(*s); s++)
		v = v * 10 + (uint64_t)(*s - '0');
	*m = v;
	return s;
}

/* The digits in [s, end) (a point perhaps among them) after leading zeros. */
static size_t
significant(const char *s, const char *end)
{
	size_t n = 0;

	for (; s < end && (*s == '0' || *s == '.'); s++)
		continue;
	for (; s < end; s++)
		n += *s != '.';
	return n;
}

enum num_status
num_parse(const char *s, size_t len, double *out)
{
	const char *p = s, *end = s + len, *digits_start, *digits_end;
	int negative = 0;
	uint64_t mantissa = 0;
	long exp10, exponent = 0;
	size_t digits;
	double v;

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
	digits_end = p;
	if (p < end && (*p == 'e' || *p == 'E')) {
		int exp_sign = 1;
		const char *exp_start;

		p++;
		if (p < end && (*p == '+' || *p == '-'))
			exp_sign = *p++ == '-' ? -1 : 1;
		exp_start = p;
		for (; p < end && is_digit(*p); p++)
			if (exponent < EXTREME)
				exponent = exponent * 10 + (*p - '0');
		if (p == exp_start)
			return NUM_INVALID;
		exponent *= exp_sign;
	}
	if (p != end)
		return NUM_INVALID;
	if (len >= EXTREME || exponent >= EXTREME || exponent <= -EXTREME)
		return parse_strtod(s, len, out);
	/*
	 * value = mantissa·10^exp10 when it holds every significant digit (19
	 * fit a uint64_t); else, or when Eisel-Lemire cannot decide,
	 * fast_float's exact path on the text.
	 */
	exp10 += exponent;
	if (!((digits <= 19 || significant(digits_start, digits_end) <= 19) &&
		convert_exact(mantissa, exp10, &v)) &&
	    !num_ff_text(digits_start, end, &v))
		return parse_strtod(s, len, out);
	if (isinf(v))
		return NUM_RANGE;
	*out = negative ? -v : v;
	return NUM_OK;
}

#ifdef NUM_SWAR

/* The first n bytes of a word (the lowest), n at most 8. */
static uint64_t
first_bytes(size_t n)
{
	return n >= 8 ? ~(uint64_t)0 : (UINT64_C(1) << (8 * n)) - 1;
}

/*
 * num_parse_padded's 16 digits past 2^53, mantissa·10^-frac, by Eisel-Lemire
 * or num_parse. Apart, so that the short path keeps its value in a register.
 */
static enum num_status
padded_lemire(const char *s, size_t len, uint64_t mantissa, size_t frac,
    double *out)
{
	double v;

	if (!num_ff_lemire(mantissa, -(long)frac, &v))
		return num_parse(s, len, out);
	*out = *s == '-' ? -v : v;
	return NUM_OK;
}

enum num_status
num_parse_padded(const char *s, size_t len, double *out)
{
	const char *p = s;
	size_t negative = *p == '-', n, point, frac = 0, shift;
	uint64_t lo, hi, in_lo, in_hi, odd_lo, odd_hi, mantissa;
	double v;

	p += negative | (*p == '+');
	n = len - (size_t)(p - s); /* digits and point */
	if (len == 0 || n == 0 || n > 16)
		return num_parse(s, len, out);
	memcpy(&lo, p, 8);
	memcpy(&hi, p + 8, 8);
	/* Only the n bytes count: what lies past them is masked off. */
	in_lo = first_bytes(n);
	in_hi = n > 8 ? first_bytes(n - 8) : 0;
	odd_lo = non_digits(lo) & in_lo;
	odd_hi = non_digits(hi) & in_hi;
	lo = (lo ^ BYTES('0')) & in_lo; /* digit values */
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
	/* Clinger's path (frac <= 15: 10^frac is exact), else Eisel-Lemire. */
	if (mantissa > (UINT64_C(1) << 53))
		return padded_lemire(s, len, mantissa, frac, out);
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

void
num_write(FILE *f, double x)
{
	char buf[NUM_FORMAT_SIZE];

	fwrite(buf, 1, num_format(x, buf), f);
}

/*
 * Python's repr layout, which is also %g's with the shortest digits: with
 * |x| = 0.DIGITS·10^point, positional when -4 < point <= 16, else one digit,
 * the point, the rest and e±XX (two exponent digits at least).
 */
size_t
num_format(double x, char *buf)
{
	char digits[24], *p = buf;
	int n, point, e;

	if (isnan(x) || isinf(x)) {
		strcpy(buf, signbit(x) ? "-" : "");
		strcat(buf, isnan(x) ? "nan" : "inf");
		return strlen(buf);
	}
	if (signbit(x))
		*p++ = '-';
	n = num_ff_shortest(x, digits, &point);
	if (point > -4 && point <= 16) {
		if (point <= 0) {
			*p++ = '0';
			*p++ = '.';
			for (e = point; e < 0; e++)
				*p++ = '0';
			memcpy(p, digits, (size_t)n);
			p += n;
		} else if (point < n) {
			memcpy(p, digits, (size_t)point);
			p += point;
			*p++ = '.';
			memcpy(p, digits + point, (size_t)(n - point));
			p += n - point;
		} else {
			memcpy(p, digits, (size_t)n);
			p += n;
			for (e = n; e < point; e++)
				*p++ = '0';
		}
	} else {
		*p++ = digits[0];
		if (n > 1) {
			*p++ = '.';
			memcpy(p, digits + 1, (size_t)(n - 1));
			p += n - 1;
		}
		e = point - 1;
		*p++ = 'e';
		*p++ = e < 0 ? '-' : '+';
		e = e < 0 ? -e : e;
		if (e >= 100)
			*p++ = (char)('0' + e / 100);
		*p++ = (char)('0' + e / 10 % 10);
		*p++ = (char)('0' + e % 10);
	}
	*p = '\0';
	return (size_t)(p - buf);
}

int
num_compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}
