/*
 * check.c: src/num.c against independent exact answers, on many numbers.
 *
 *     check_numbers [-p PYTHON_SAMPLE] SAMPLE [SEED]
 *
 * Reading: SAMPLE strings of num.h's grammar, random and adversarial, each
 * converted by num_parse (and num_parse_padded, with the bytes past the
 * number changed) and by glibc's strtod, which is correctly rounded: the status
 * and the bits must agree. The strings cycle through these kinds:
 *   - a random double (any bit pattern) printed with %.17g, %.Ne (N from 0 to
 *     18) or %.Ng (N from 1 to 17);
 *   - the exact midpoint between a random double and the next one up (54
 *     significant bits, exact in x86's long double; glibc prints it exactly, in
 *     up to 767 digits), then that text cut to 17, 19 or 20 digits, or with its
 *     last digit moved one up or one down: the halfway cases and their
 *     neighbours, where a conversion that is not exact rounds wrong;
 *   - 19- and 20-digit random mantissas under a random exponent;
 *   - 800-digit random mantissas;
 *   - subnormals and the midpoints between them, exponents at the limits
 *     (e-300 to e-400, e300 to e310), zero with any exponent;
 *   - leading zeros before the digits and after the point, a sign, 'E', a
 *     missing integer or fraction part (".5", "5.").
 *
 * Writing: SAMPLE doubles, of every bit pattern, powers of two (all of them
 * first), subnormals, the extremes, short decimals (what %.6g and %.12g write,
 * read back) and integers, each written by num_format: strtod and num_parse
 * must read it back to the same bits, and it must be shortest: if it has n
 * significant digits, none of the three (n-1)-digit decimals around x (the
 * nearest one, from glibc's exact printf, and its neighbours one unit away,
 * which covers both sides of the asymmetric interval at a power of two) may
 * read back to x. The first PYTHON_SAMPLE of them (default none) are also
 * sent to python3, whose repr(float) is the shortest and closest decimal: the
 * text must be repr's, with its ".0" taken off integers.
 *
 * The two parts run at once, reading in a child process. Prints a line per
 * part and exits 1 on the first disagreement, which it shows.
 * tests/unit/test_numbers.c includes this file (CHECK_NUMBERS_NO_MAIN) for a
 * short run in make test.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "num.h"

/* Longest string made: an 800-digit mantissa, or a 767-digit midpoint. */
#define TEXT 1024

struct rng {
	uint64_t s[4];
};

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static void
rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&seed);
}

/* xoshiro256** (Blackman and Vigna). */
static uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s, t = s[1] << 17;
	uint64_t x = s[1] * 5, out = ((x << 7) | (x >> 57)) * 9;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return out;
}

/* Uniform in [0, n). */
static unsigned
rng_below(struct rng *r, unsigned n)
{
	return (unsigned)(rng_next(r) % n);
}

static double
from_bits(uint64_t b)
{
	double x;

	memcpy(&x, &b, sizeof x);
	return x;
}

static uint64_t
to_bits(double x)
{
	uint64_t b;

	memcpy(&b, &x, sizeof b);
	return b;
}

/* A finite double of any bit pattern. */
static double
random_finite(struct rng *r)
{
	double x;

	do
		x = from_bits(rng_next(r));
	while (!isfinite(x));
	return x;
}

/* n random digits to p, the first not zero when lead is set. */
static char *
put_digits(struct rng *r, char *p, int n, int lead)
{
	for (int i = 0; i < n; i++)
		*p++ = (char)('0' +
		    (i == 0 && lead ? 1 + rng_below(r, 9) : rng_below(r, 10)));
	return p;
}

/*
 * The exact decimal of the midpoint between |x| and the next double up,
 * without trailing zeros, to buf (d.ddd...e±X).
 */
static void
midpoint(double x, char *buf)
{
	long double m;
	char *e, *z;

	x = fabs(x);
	if (x == DBL_MAX)
		x = nextafter(x, 0);
	m = ((long double)x + (long double)nextafter(x, INFINITY)) / 2;
	snprintf(buf, TEXT, "%.800Le", m);
	e = strchr(buf, 'e');
	for (z = e; z[-1] == '0'; z--)
		continue;
	if (z[-1] == '.')
		z--;
	memmove(z, e, strlen(e) + 1);
}

/* Cut the mantissa of a d.ddde±X string to n significant digits. */
static void
cut_digits(char *buf, int n)
{
	char *e = strchr(buf, 'e'), *keep = buf + (buf[0] == '-') + 1 + n;

	if (keep < e)
		memmove(keep, e, strlen(e) + 1);
}

/* Move the last mantissa digit of a d.ddde±X string one up or down. */
static void
nudge_last(char *buf, int up)
{
	char *d = strchr(buf, 'e') - 1;

	if (*d == '.')
		d--;
	if (up ? *d < '9' : *d > '0')
		*d = (char)(*d + (up ? 1 : -1));
}

/* The last midpoint made, and how many strings have been made from them. */
static char mid[TEXT];
static unsigned long mid_uses;

/* The k-th string of the reading part, to buf. */
static void
make_text(struct rng *r, unsigned long k, char *buf)
{
	char *p = buf;
	int n;
	double x;

	switch (k % 16) {
	case 0:
	case 1:
	case 2:
		snprintf(buf, TEXT, "%.17g", random_finite(r));
		break;
	case 3:
	case 4:
		snprintf(buf, TEXT, "%.*e", (int)rng_below(r, 19),
		    random_finite(r));
		break;
	case 5:
	case 6:
		snprintf(buf, TEXT, "%.*g", 1 + (int)rng_below(r, 17),
		    random_finite(r));
		break;
	case 7:
	case 8:
	case 9:
		/* Six strings from each midpoint, which is slow to print. */
		if (mid_uses++ % 6 == 0)
			midpoint(random_finite(r), mid);
		strcpy(buf, mid);
		switch (mid_uses % 6) {
		case 0:
			break;
		case 1:
			cut_digits(buf, 17);
			break;
		case 2:
			cut_digits(buf, 19);
			break;
		case 3:
			cut_digits(buf, 20);
			break;
		case 4:
			nudge_last(buf, 1);
			break;
		case 5:
			nudge_last(buf, 0);
			break;
		}
		break;
	case 10:
	case 11:
		if (rng_below(r, 2))
			*p++ = '-';
		p = put_digits(r, p, 19 + (int)rng_below(r, 2), 1);
		snprintf(p, 16, "e%d", (int)rng_below(r, 680) - 360);
		break;
	case 12:
		if (rng_below(r, 16) != 0) {
			p = put_digits(r, p, 1, 1);
			*p++ = '.';
			p = put_digits(r, p, 799, 0);
			snprintf(p, 16, "e%d", (int)rng_below(r, 680) - 360);
		} else {
			/* Halfway in 800 digits: a midpoint padded with zeros
			 * or with a last 1. */
			midpoint(random_finite(r), buf);
			n = (int)strlen(buf);
			p = strchr(buf, 'e');
			memmove(p + 800 - n, p, strlen(p) + 1);
			memset(p, '0', (size_t)(800 - n));
			if (rng_below(r, 2))
				p[800 - n - 1] = '1';
		}
		break;
	case 13:
		x = from_bits(rng_next(r) & ((UINT64_C(1) << 52) - 1));
		switch (rng_below(r, 5)) {
		case 0:
			snprintf(buf, TEXT, "%.17g", x);
			break;
		case 1:
			midpoint(x, buf);
			break;
		case 2:
			snprintf(buf, TEXT, "%de-%d", 1 + (int)rng_below(r, 99),
			    300 + (int)rng_below(r, 100));
			break;
		case 3:
			snprintf(buf, TEXT, "%d.%de%d", (int)rng_below(r, 10),
			    (int)rng_below(r, 1000),
			    300 + (int)rng_below(r, 11));
			break;
		case 4:
			snprintf(buf, TEXT, "0e%d",
			    (int)rng_below(r, 2000) - 1000);
			break;
		}
		break;
	case 14:
		/* Leading zeros, then short or long digits. */
		memset(p, '0', n = 1 + (int)rng_below(r, 30));
		p += n;
		if (rng_below(r, 2)) {
			*p++ = '.';
			memset(p, '0', n = (int)rng_below(r, 30));
			p += n;
		}
		p = put_digits(r, p, 1 + (int)rng_below(r, 25), 1);
		if (rng_below(r, 2))
			snprintf(p, 16, "E%+d", (int)rng_below(r, 700) - 350);
		else
			*p = '\0';
		break;
	default:
		/* Signs, no integer part, no fraction part. */
		switch (rng_below(r, 4)) {
		case 0:
			*p++ = '+';
			break;
		case 1:
			*p++ = '-';
			break;
		}
		if (rng_below(r, 2)) {
			*p++ = '.';
			p = put_digits(r, p, 1 + (int)rng_below(r, 20), 0);
		} else {
			p = put_digits(r, p, 1 + (int)rng_below(r, 20), 0);
			*p++ = '.';
		}
		if (rng_below(r, 2))
			snprintf(p, 16, "e%d", (int)rng_below(r, 60) - 30);
		else
			*p = '\0';
		break;
	}
}

/* Reading: n strings from seed; 0, or -1 after printing the first failure. */
static int
check_parse(unsigned long n, uint64_t seed)
{
	static char buf[TEXT], padded[TEXT + NUM_PAD];
	struct rng r;
	unsigned long k;

	rng_seed(&r, seed);
	mid_uses = 0;
	for (k = 0; k < n; k++) {
		size_t len;
		double want, got = 0, got_padded = 0;
		enum num_status st, st_padded;
		int range;
		char *end;

		make_text(&r, k, buf);
		len = strlen(buf);
		errno = 0;
		want = strtod(buf, &end);
		range = errno == ERANGE && isinf(want);
		st = num_parse(buf, len, &got);
		memcpy(padded, buf, len);
		memset(padded + len, "7.e-"[k % 4], NUM_PAD);
		st_padded = num_parse_padded(padded, len, &got_padded);
		if (*end != '\0' || st != (range ? NUM_RANGE : NUM_OK) ||
		    st_padded != st ||
		    (st == NUM_OK &&
			(to_bits(got) != to_bits(want) ||
			    to_bits(got_padded) != to_bits(want)))) {
			fprintf(stderr,
			    "check_numbers: reading \"%s\" (string "
			    "%lu): strtod %a%s, num_parse %a status %d, "
			    "num_parse_padded %a status %d\n",
			    buf, k, want, range ? " (ERANGE)" : "", got,
			    (int)st, got_padded, (int)st_padded);
			return -1;
		}
	}
	return 0;
}

/* The k-th double of the writing part. */
static double
make_double(struct rng *r, unsigned long k)
{
	static const double extreme[] = { DBL_MAX, DBL_MIN, DBL_TRUE_MIN, 0.0,
		1.0, 0.1, 1e22, 1e23, 5e-324, 2.2250738585072009e-308,
		9007199254740993.0, 1e-5, 1e16, 1e15, 123456789012345678.0, 0.3,
		2.0 / 3.0 };
	const unsigned long nx = sizeof(extreme) / sizeof(extreme[0]);
	char buf[64];
	double x;

	if (k < 2 * 2098) {
		/* Every power of two, either sign: 2^-1074 to 2^1023. */
		x = ldexp(1.0, (int)(k / 2) - 1074);
		return k % 2 ? -x : x;
	}
	if (k < 2 * 2098 + 4 * nx) {
		k -= 2 * 2098;
		x = extreme[k / 4];
		if (k % 4 >= 2 && isfinite(nextafter(x, k % 2 ? INFINITY : 0)))
			x = nextafter(x, k % 2 ? INFINITY : 0);
		return k % 2 ? -x : x;
	}
	switch (k % 8) {
	case 0:
	case 1:
	case 2:
		return random_finite(r);
	case 3:
		return from_bits(rng_next(r) & ((UINT64_C(1) << 52) - 1));
	case 4:
		return ldexp(1.0, (int)rng_below(r, 2098) - 1074);
	case 5:
		snprintf(buf, sizeof buf, "%.6g", random_finite(r));
		return strtod(buf, NULL);
	case 6:
		snprintf(buf, sizeof buf, "%.12g",
		    (double)(rng_next(r) >> 11) *
			pow(10, (double)rng_below(r, 40) - 30));
		return strtod(buf, NULL);
	default:
		return (double)((int64_t)rng_next(r) >> rng_below(r, 64));
	}
}

/* Does the decimal m·10^e read back to x? */
static int
reads_as(uint64_t m, int e, double x)
{
	char buf[64];

	snprintf(buf, sizeof buf, "%" PRIu64 "e%d", m, e);
	return strtod(buf, NULL) == fabs(x);
}

/*
 * Is there a decimal of n - 1 significant digits that reads back to x? The
 * nearest such decimal is printf's %.(n-2)e, correctly rounded; the interval of
 * x may reach further on one side than the other, so its neighbours too.
 */
static int
shorter_exists(double x, int n)
{
	char buf[64], *e;
	uint64_t m = 0;
	int exp;

	if (n <= 1)
		return 0;
	snprintf(buf, sizeof buf, "%.*e", n - 2, fabs(x));
	e = strchr(buf, 'e');
	for (char *p = buf; p < e; p++)
		if (*p != '.')
			m = m * 10 + (uint64_t)(*p - '0');
	exp = atoi(e + 1) - (n - 2);
	return reads_as(m, exp, x) || reads_as(m + 1, exp, x) ||
	    (m > 1 && reads_as(m - 1, exp, x));
}

/* The significant digits of num_format's text. */
static int
significant_digits(const char *s)
{
	int n = 0, lead = 1, zeros = 0;

	for (; *s != '\0' && *s != 'e'; s++) {
		if (*s < '0' || *s > '9')
			continue;
		if (*s == '0' && lead)
			continue;
		lead = 0;
		zeros = *s == '0' ? zeros + 1 : 0;
		n++;
	}
	return n - zeros + (n == 0);
}

/*
 * Writing: n doubles from seed, the first py of them also checked by python3;
 * 0, or -1 after printing the first failure.
 */
static int
check_format(unsigned long n, unsigned long py, uint64_t seed)
{
	/* Reads "bits text" lines; prints the first few that are not repr. */
	static const char script[] =
	    "import struct, sys\n"
	    "bad = 0\n"
	    "for k, line in enumerate(sys.stdin):\n"
	    "    bits, text = line.split()\n"
	    "    want = repr(struct.unpack('<d', bytes.fromhex(bits))[0])\n"
	    "    if want.endswith('.0'): want = want[:-2]\n"
	    "    if text != want:\n"
	    "        bad += 1\n"
	    "        if bad <= 5: print('check_numbers: double', k, 'written',"
	    " text, 'python3 repr', want, file=sys.stderr)\n"
	    "sys.exit(1 if bad else 0)\n";
	char cmd[sizeof script + 32], buf[NUM_FORMAT_SIZE];
	FILE *pipe = NULL;
	struct rng r;
	unsigned long k;
	int status;

	if (py > 0) {
		snprintf(cmd, sizeof cmd, "python3 -c \"%s\"", script);
		if ((pipe = popen(cmd, "w")) == NULL) {
			perror("check_numbers: python3");
			return -1;
		}
	}
	rng_seed(&r, seed);
	for (k = 0; k < n; k++) {
		double x = make_double(&r, k), back = 0;
		size_t len = num_format(x, buf);
		enum num_status st = num_parse(buf, len, &back);
		uint64_t b = to_bits(x);

		if (len != strlen(buf) || len >= NUM_FORMAT_SIZE ||
		    to_bits(strtod(buf, NULL)) != b || st != NUM_OK ||
		    to_bits(back) != b ||
		    shorter_exists(x, significant_digits(buf))) {
			fprintf(stderr,
			    "check_numbers: writing %a (double %lu):"
			    " \"%s\" (%zu bytes) reads back as %a, num_parse %a "
			    "status %d, or a shorter decimal reads back\n",
			    x, k, buf, len, strtod(buf, NULL), back, (int)st);
			if (pipe != NULL)
				pclose(pipe);
			return -1;
		}
		if (k < py) {
			/* The bytes of x, lowest first, as '<d' unpacks them.
			 */
			for (int i = 0; i < 64; i += 8)
				fprintf(pipe, "%02x", (unsigned)(b >> i & 255));
			fprintf(pipe, " %s\n", buf);
		}
	}
	if (pipe != NULL && (status = pclose(pipe)) != 0) {
		fprintf(stderr,
		    "check_numbers: python3 disagreed "
		    "(status %d)\n",
		    status);
		return -1;
	}
	return 0;
}

#ifndef CHECK_NUMBERS_NO_MAIN
/* Seconds since start, on the monotonic clock. */
static double
seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
	    (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

int
main(int argc, char **argv)
{
	struct timespec start;

	unsigned long n, py = 0;
	uint64_t seed = 20261207;
	int a = 1, status, failed;
	pid_t child;

	if (argc > 2 && strcmp(argv[1], "-p") == 0) {
		py = strtoul(argv[2], NULL, 10);
		a = 3;
	}
	if (argc < a + 1 || argc > a + 2) {
		fputs("usage: check_numbers [-p PYTHON_SAMPLE] SAMPLE [SEED]\n",
		    stderr);
		return 2;
	}
	n = strtoul(argv[a], NULL, 10);
	if (argc == a + 2)
		seed = strtoull(argv[a + 1], NULL, 10);
	/* Reading in a child process, writing in this one, at the same time. */
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &start);
	if ((child = fork()) < 0) {
		perror("check_numbers: fork");
		return 1;
	}
	if (child == 0) {
		if (check_parse(n, seed) != 0)
			_exit(1);
		printf("reading: %lu strings, num_parse and num_parse_padded "
		       "bit-identical to strtod (%.0f s)\n",
		    n, seconds_since(&start));
		fflush(stdout);
		_exit(0);
	}
	failed = check_format(n, py < n ? py : n, seed + 1) != 0;
	if (!failed)
		printf("writing: %lu doubles, num_format shortest and read "
		       "back exactly; %lu of them as python3's repr (%.0f s)\n",
		    n, py < n ? py : n, seconds_since(&start));
	fflush(stdout);
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		failed = 1;
	return failed;
}
#endif
