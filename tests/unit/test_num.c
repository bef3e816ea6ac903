/*
 * test_num.c: num_parse reads exactly the grammar of num.h, gives the same
 * double as strtod bit for bit, reports empty, invalid and out-of-range text,
 * and reads only the len bytes it is given; num_parse_padded gives the same
 * status and bits as num_parse on every input, whatever the bytes past len.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "testutil.h"

/*
 * num_parse_padded on the len bytes at s, followed by NUM_PAD bytes of fill,
 * must agree with num_parse on the status, and on the bits of a number.
 */
static void
check_padded(const char *s, size_t len, char fill, enum num_status want,
    double v)
{
	char *buf = malloc(len + NUM_PAD);
	enum num_status st;
	double got = -12345.0;

	assert_non_null(buf);
	memcpy(buf, s, len);
	memset(buf + len, fill, NUM_PAD);
	st = num_parse_padded(buf, len, &got);
	if (st != want || (st == NUM_OK && memcmp(&got, &v, sizeof v) != 0)) {
		print_error(
		    "num_parse_padded(\"%.*s\", fill '%c') = %.17g (%a), "
		    "status %d; num_parse gives %.17g (%a), status %d\n",
		    (int)len, s, fill, got, got, (int)st, v, v, (int)want);
		fail();
	}
	free(buf);
}

/*
 * Parse s (NUL-terminated, of length len) with num_parse, placed in a buffer
 * where the byte after it is a digit '7', so that reading past len would change
 * the value or make the text invalid; num_parse_padded must give the same with
 * digits, a point or a sign past len.
 */
static enum num_status
parse_fenced(const char *s, size_t len, double *out)
{
	char *buf = malloc(len + 2);
	enum num_status st;

	assert_non_null(buf);
	memcpy(buf, s, len);
	buf[len] = '7';
	buf[len + 1] = '\0';
	st = num_parse(buf, len, out);
	free(buf);
	check_padded(s, len, '7', st, *out);
	check_padded(s, len, '.', st, *out);
	check_padded(s, len, '-', st, *out);
	check_padded(s, len, '\0', st, *out);
	return st;
}

/* Check one valid string against strtod: NUM_OK and the same bits. */
static void
check_like_strtod(const char *s)
{
	double want, got = 12345.0;
	enum num_status st;
	char *end;

	errno = 0;
	want = strtod(s, &end);
	assert_true(*end == '\0');
	st = parse_fenced(s, strlen(s), &got);
	if (st != NUM_OK) {
		print_error(
		    "num_parse(\"%s\") returned status %d, expected NUM_OK\n",
		    s, (int)st);
		fail();
	}
	if (memcmp(&got, &want, sizeof got) != 0) {
		print_error(
		    "num_parse(\"%s\") = %.17g (%a), strtod gives %.17g (%a)\n",
		    s, got, got, want, want);
		fail();
	}
}

static void
parse_is_bit_identical_to_strtod_on_tricky_strings(void **state)
{
	static const char *const tricky[] = {
		"0",
		"-0",
		"+0",
		"0.0",
		"-0.0",
		"00000",
		"0e0",
		"0e-999",
		"-0e5",
		"1e-320", /* subnormal */
		"4.9e-324",
		"5e-324",		   /* smallest subnormal */
		"2.4703282292062327e-324", /* just below half of it: rounds to 0
					    */
		"2.4703282292062328e-324", /* just above half: rounds up */
		"1e-400",
		"-1e-400",		   /* underflow to ±0, not an error */
		"2.2250738585072011e-308", /* the value that hung PHP and Java
					    */
		"2.2250738585072012e-308",
		"2.2250738585072014e-308", /* smallest normal */
		"1.7976931348623157e308",  /* largest double */
		"1.7976931348623158e308",  /* rounds down to it */
		"9007199254740993",	   /* 2^53 + 1: a tie, rounds to even */
		"9007199254740995",
		"9007199254740993.0000000000000000000000001",
		"0.1",
		"0.2",
		"0.3",
		"-0.1",
		"3.141592653589793",
		"123456789012345678901234567890",
		"1e22",
		"1e23",
		"1e-22",
		"1e-23",
		"8.589973e9",
		"1.448997445238699",
		"7.038531e-26",
		"0.1000000000000000055511151231257827021181583404541015625",
		"1.00000000000000011102230246251565404236316680908203125",
		"1.00000000000000011102230246251565404236316680908203124",
		"1.00000000000000011102230246251565404236316680908203126",
		"1.000000000000000111022302462515654042363166809082031250000000000000000000001",
		"0.000000000000000000000000000000000000000000000000000000000000000000000001",
		"123456789012345678901234567890123456789012345678901234567890e-40",
		"5",
		".5",
		"5.",
		"+3",
		"-3",
		"1E5",
		"1e5",
		"1e+5",
		"1E-5",
		"-.5e1",
		"1e0005",
		"1e+0000000000000000000000005",
		"0.000000000000000000000000000000001e33",
		"179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368",
		"4503599627370496.5", /* 2^52 + 0.5: a tie */
		"4503599627370497.5",
	};

	(void)state;
	for (size_t i = 0; i < sizeof tricky / sizeof tricky[0]; i++)
		check_like_strtod(tricky[i]);
}

/* Append a random decimal of the grammar to buf; digit count 1..25, exponent
 * -330..310. */
static size_t
random_decimal(uint64_t *seed, char *buf)
{
	size_t n = 0;
	unsigned digits = 1 + tu_below(seed, 25);
	unsigned before =
	    tu_below(seed, digits + 1); /* digits before the point */
	int point = before < digits || tu_below(seed, 4) == 0;
	unsigned sign = tu_below(seed, 3);

	if (sign == 1)
		buf[n++] = '-';
	else if (sign == 2)
		buf[n++] = '+';
	for (unsigned i = 0; i < digits; i++) {
		if (point && i == before)
			buf[n++] = '.';
		/* Some leading zeros and some runs of 9s and 0s, where rounding
		 * is hard. */
		unsigned kind = tu_below(seed, 8);
		char c = kind == 0 ? '0'
		    : kind == 1	   ? '9'
				   : (char)('0' + tu_below(seed, 10));
		buf[n++] = c;
	}
	if (point && before == digits)
		buf[n++] = '.';
	if (tu_below(seed, 5) != 0) {
		int ex = (int)tu_below(seed, 641) - 330;
		buf[n++] = tu_below(seed, 2) ? 'e' : 'E';
		if (ex < 0)
			n += (size_t)sprintf(buf + n, "-%d", -ex);
		else if (tu_below(seed, 2))
			n += (size_t)sprintf(buf + n, "+%d", ex);
		else
			n += (size_t)sprintf(buf + n, "%d", ex);
	}
	buf[n] = '\0';
	return n;
}

static void
parse_is_bit_identical_to_strtod_on_random_decimals(void **state)
{
	uint64_t seed = UINT64_C(0x9E3779B97F4A7C15);
	char buf[64];
	long overflows = 0, subnormals = 0;

	(void)state;
	for (long i = 0; i < 200000; i++) {
		size_t len = random_decimal(&seed, buf);
		double want, got = 0;
		enum num_status st;

		errno = 0;
		want = strtod(buf, NULL);
		st = parse_fenced(buf, len, &got);
		if (isinf(want)) {
			overflows++;
			if (st != NUM_RANGE) {
				print_error(
				    "num_parse(\"%s\") returned %d, expected NUM_RANGE\n",
				    buf, (int)st);
				fail();
			}
			continue;
		}
		if (want != 0 && fabs(want) < 0x1p-1022)
			subnormals++;
		if (st != NUM_OK || memcmp(&got, &want, sizeof got) != 0) {
			print_error(
			    "case %ld: num_parse(\"%s\") = %.17g (%a), status %d; "
			    "strtod gives %.17g (%a)\n",
			    i, buf, got, got, (int)st, want, want);
			fail();
		}
	}
	/* The generator must have reached both ends of the range. */
	assert_true(overflows > 100);
	assert_true(subnormals > 100);
}

/*
 * Short numbers without exponent, the kind num_parse_padded reads a word at a
 * time: 1 to 18 digits (so past its 16 bytes too), a point anywhere or none, a
 * sign.
 */
static void
parse_is_bit_identical_to_strtod_on_short_numbers(void **state)
{
	uint64_t seed = UINT64_C(0x2545F4914F6CDD1D);
	char buf[32];

	(void)state;
	for (long i = 0; i < 300000; i++) {
		size_t n = 0;
		unsigned digits = 1 + tu_below(&seed, 18);
		unsigned point =
		    tu_below(&seed, digits + 2); /* digits + 1: none */
		unsigned sign = tu_below(&seed, 3);
		double want, got = 0;

		if (sign > 0)
			buf[n++] = sign == 1 ? '-' : '+';
		for (unsigned k = 0; k <= digits; k++) {
			if (k == point)
				buf[n++] = '.';
			if (k < digits)
				buf[n++] = tu_below(&seed, 6) == 0
				    ? '9'
				    : (char)('0' + tu_below(&seed, 10));
		}
		buf[n] = '\0';
		want = strtod(buf, NULL);
		if (parse_fenced(buf, n, &got) != NUM_OK ||
		    memcmp(&got, &want, sizeof got) != 0) {
			print_error(
			    "case %ld: num_parse(\"%s\") = %.17g (%a); strtod "
			    "gives %.17g (%a)\n",
			    i, buf, got, got, want, want);
			fail();
		}
	}
}

/*
 * Any bytes at all, mostly short and mostly of the characters of numbers: the
 * two parsers agree on each, whatever follows it.
 */
static void
parse_padded_agrees_with_parse_on_any_bytes(void **state)
{
	static const char alphabet[] =
	    "0123456789012345678901234567890123456789"
	    "..........--++eE x,\t\x80\xb9\xff\x1e\x06";
	uint64_t seed = UINT64_C(0x853C49E6748FEA9B);
	char buf[24];

	(void)state;
	for (long i = 0; i < 300000; i++) {
		size_t len = tu_below(&seed, sizeof(buf) + 1);
		enum num_status st;
		double v = 0;

		for (size_t k = 0; k < len; k++)
			buf[k] =
			    alphabet[tu_below(&seed, sizeof(alphabet) - 1)];
		st = num_parse(buf, len, &v);
		check_padded(buf, len,
		    alphabet[tu_below(&seed, sizeof(alphabet) - 1)], st, v);
	}
}

static void
parse_rejects_text_outside_the_grammar(void **state)
{
	static const char *const bad[] = {
		" ",
		"NA",
		"1,5",
		"0x10",
		"inf",
		"nan",
		"-inf",
		"Infinity",
		"NaN",
		"1.5x",
		"1e",
		"e5",
		".",
		"+",
		"-",
		"--1",
		"+-1",
		"++1",
		"1e+",
		"1e-",
		"1.2.3",
		"1e5.0",
		"1e5e5",
		" 1",
		"1 ",
		"1\n",
		"\t1",
		"1_000",
		".e5",
		"+.",
		"-.e1",
		"0x1p3",
		"1d5",
		"１",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		double v = 0;
		enum num_status st = parse_fenced(bad[i], strlen(bad[i]), &v);
		if (st != NUM_INVALID) {
			print_error(
			    "num_parse(\"%s\") returned %d, expected NUM_INVALID\n",
			    bad[i], (int)st);
			fail();
		}
	}
}

static void
parse_of_zero_bytes_is_empty(void **state)
{
	double v = 0;

	(void)state;
	assert_int_equal(num_parse("", 0, &v), NUM_EMPTY);
	/* Only the length counts: text after it is not looked at. */
	assert_int_equal(num_parse("123", 0, &v), NUM_EMPTY);
}

static void
parse_reports_overflow_as_out_of_range(void **state)
{
	static const char *const big[] = {
		"1e999",
		"-1e400",
		"1.7976931348623159e308",
		"1e309",
		"123456789e301",
		"-0.000001e315",
	};

	(void)state;
	for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
		double v = 0;
		enum num_status st = parse_fenced(big[i], strlen(big[i]), &v);
		if (st != NUM_RANGE) {
			print_error(
			    "num_parse(\"%s\") returned %d, expected NUM_RANGE\n",
			    big[i], (int)st);
			fail();
		}
	}
}

static void
parse_reads_only_len_bytes(void **state)
{
	double v = 0;

	(void)state;
	assert_int_equal(num_parse("12345", 3, &v), NUM_OK);
	assert_same_double(v, 123.0);
	assert_int_equal(num_parse("1.5x", 3, &v), NUM_OK);
	assert_same_double(v, 1.5);
	assert_int_equal(num_parse("1e999", 3, &v), NUM_OK);
	assert_same_double(v, 1e9);
	assert_int_equal(num_parse("-7,", 2, &v), NUM_OK);
	assert_same_double(v, -7.0);
	/* A buffer without terminator: exactly len bytes allocated. */
	{
		char *p = malloc(4);
		assert_non_null(p);
		memcpy(p, "0.25", 4);
		assert_int_equal(num_parse(p, 4, &v), NUM_OK);
		assert_same_double(v, 0.25);
		free(p);
	}
}

/* The result does not depend on the locale's decimal point. */
static void
parse_ignores_a_decimal_comma_locale(void **state)
{
	static const char *const locales[] = {
		"de_DE.UTF-8",
		"de_DE.utf8",
		"fr_FR.UTF-8",
		"fr_FR.utf8",
		"de_DE",
		"fr_FR",
	};
	const char *got = NULL;
	double v = 0;

	(void)state;
	for (size_t i = 0;
	     i < sizeof locales / sizeof locales[0] && got == NULL; i++)
		got = setlocale(LC_NUMERIC, locales[i]);
	/*
	 * No decimal-comma locale installed: nothing to show here. (Not skip():
	 * the TAP output of cmocka 1.1 reports a skip as "not ok", which
	 * tests/run.sh counts as a failure.)
	 */
	if (got == NULL)
		return;
	assert_int_equal(num_parse("1.5", 3, &v), NUM_OK);
	assert_same_double(v, 1.5);
	assert_int_equal(num_parse("1,5", 3, &v), NUM_INVALID);
	setlocale(LC_NUMERIC, "C");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    parse_is_bit_identical_to_strtod_on_tricky_strings),
		cmocka_unit_test(
		    parse_is_bit_identical_to_strtod_on_random_decimals),
		cmocka_unit_test(
		    parse_is_bit_identical_to_strtod_on_short_numbers),
		cmocka_unit_test(parse_padded_agrees_with_parse_on_any_bytes),
		cmocka_unit_test(parse_rejects_text_outside_the_grammar),
		cmocka_unit_test(parse_of_zero_bytes_is_empty),
		cmocka_unit_test(parse_reports_overflow_as_out_of_range),
		cmocka_unit_test(parse_reads_only_len_bytes),
		cmocka_unit_test(parse_ignores_a_decimal_comma_locale),
	};

	return cmocka_run_group_tests_name("num", tests, NULL, NULL);
}
