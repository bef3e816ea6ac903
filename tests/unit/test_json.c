/*
 * test_json.c: JSON numbers read back by strtod to the same double, bit for
 * bit, and NaN or infinity as null; strings escape quotes, backslashes and
 * every control byte, pass well-formed UTF-8 through and replace every other
 * byte.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "testutil.h"

/* What json_number writes for v, in a buffer the caller frees. */
static char *
number_text(double v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	json_number(f, v);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* What json_string writes for s, in a buffer the caller frees. */
static char *
string_text(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	json_string(f, s);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/*
 * Fail unless text is a number in RFC 8259's grammar:
 * -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
 */
static void
assert_json_number_grammar(const char *text)
{
	const char *p = text + (text[0] == '-');

	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		p += strspn(p, "0123456789");
	else
		fail_msg("\"%s\" does not start with a digit", text);
	if (*p == '.') {
		if (strspn(p + 1, "0123456789") == 0)
			fail_msg("\"%s\": no digit after the point", text);
		p += 1 + strspn(p + 1, "0123456789");
	}
	if (*p == 'e' || *p == 'E') {
		p += 1 + (p[1] == '+' || p[1] == '-');
		if (strspn(p, "0123456789") == 0)
			fail_msg("\"%s\": no digit in the exponent", text);
		p += strspn(p, "0123456789");
	}
	if (*p != '\0')
		fail_msg("\"%s\" is not a JSON number", text);
}

/* Write v, check the grammar, read it back with strtod: the same bits. */
static void
check_round_trip(double v)
{
	char *text = number_text(v), *end;

	assert_json_number_grammar(text);
	assert_same_double(strtod(text, &end), v);
	assert_int_equal(*end, '\0');
	free(text);
}

static void
numbers_round_trip_exactly_through_strtod(void **state)
{
	static const double special[] = { 0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3,
		2.0 / 3, 1e23, 5e-324, -5e-324, DBL_MIN, DBL_MAX, -DBL_MAX,
		DBL_EPSILON, 123456789012345678.0, 9007199254740993.0,
		0.30000000000000004, 1e-7, 22.532806324110677 };
	uint64_t seed = 0x9e3779b97f4a7c15u;

	(void)state;
	for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		check_round_trip(special[i]);
	/* Random bit patterns cover every exponent, subnormals included. */
	for (int i = 0; i < 100000; i++) {
		uint64_t bits = tu_rand(&seed);
		double v;

		memcpy(&v, &bits, sizeof(v));
		if (isfinite(v))
			check_round_trip(v);
	}
}

static void
non_finite_numbers_are_null(void **state)
{
	const double v[] = { (double)NAN, -(double)NAN, (double)INFINITY,
		-(double)INFINITY };

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		char *text = number_text(v[i]);

		assert_string_equal(text, "null");
		free(text);
	}
}

static void
every_control_byte_is_escaped_as_u00xx(void **state)
{
	(void)state;
	for (unsigned b = 1; b < 0x20; b++) {
		char in[4] = { 'a', (char)b, 'z', '\0' }, want[16], *got;

		snprintf(want, sizeof(want), "\"a\\u%04xz\"", b);
		got = string_text(in);
		assert_string_equal(got, want);
		free(got);
	}
}

static void
quotes_and_backslashes_are_escaped(void **state)
{
	char *got;

	(void)state;
	got = string_text("say \"hi\" \\ or /\x7f");
	assert_string_equal(got, "\"say \\\"hi\\\" \\\\ or /\x7f\"");
	free(got);
	got = string_text("");
	assert_string_equal(got, "\"\"");
	free(got);
}

static void
well_formed_utf8_passes_through(void **state)
{
	/* Two, three and four bytes, and the largest code point U+10FFFF. */
	static const char *const text[] = { "na\xc3\xafve", "\xe2\x82\xac 5",
		"\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf", "\xed\x9f\xbf",
		"\xee\x80\x80" };

	(void)state;
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		char want[32], *got = string_text(text[i]);

		snprintf(want, sizeof(want), "\"%s\"", text[i]);
		assert_string_equal(got, want);
		free(got);
	}
}

static void
each_stray_byte_becomes_a_replacement_character(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "\xff", "\"\\ufffd\"" },	      /* never in UTF-8 */
		{ "a\x80z", "\"a\\ufffdz\"" },	      /* lone continuation */
		{ "\xc3", "\"\\ufffd\"" },	      /* truncated at the end */
		{ "\xc3(", "\"\\ufffd(\"" },	      /* truncated mid-text */
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" }, /* overlong '/' */
		{ "\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"" }, /* overlong */
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" }, /* surrogate */
		{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
		{ "\xf0\x9f\x98", "\"\\ufffd\\ufffd\\ufffd\"" }, /* 3 of 4 */
		{ "ok\xe2\x82\xac\xe2\x82",
		    "\"ok\xe2\x82\xac\\ufffd\\ufffd\"" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = string_text(cases[i].in);

		assert_string_equal(got, cases[i].want);
		free(got);
	}
}

static void
member_is_separator_key_and_number(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	json_member(f, "{", "a", 0.1);
	json_member(f, ", ", "b", (double)NAN);
	json_member(f, ",\n  ", "c", -3);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "{\"a\": 0.1, \"b\": null,\n  \"c\": -3");
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers_round_trip_exactly_through_strtod),
		cmocka_unit_test(non_finite_numbers_are_null),
		cmocka_unit_test(every_control_byte_is_escaped_as_u00xx),
		cmocka_unit_test(quotes_and_backslashes_are_escaped),
		cmocka_unit_test(well_formed_utf8_passes_through),
		cmocka_unit_test(
		    each_stray_byte_becomes_a_replacement_character),
		cmocka_unit_test(member_is_separator_key_and_number),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
