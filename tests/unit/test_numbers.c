/*
 * test_numbers.c: a short run of make check-numbers (tests/numbers/check.c):
 * num_parse against strtod on 100,000 random and adversarial strings, and
 * num_format on 100,000 doubles, read back exactly, shortest by exact bounds,
 * and the first 20,000 as python3's repr; then num_format's layout on chosen
 * values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "testutil.h"

#define CHECK_NUMBERS_NO_MAIN
#include "../numbers/check.c"

static void
parse_agrees_with_strtod(void **state)
{
	(void)state;
	assert_int_equal(check_parse(100000, 1), 0);
}

static void
format_is_shortest_and_exact(void **state)
{
	(void)state;
	assert_int_equal(check_format(100000, 20000, 2), 0);
}

static void
format_layout(void **state)
{
	static const struct {
		double x;
		const char *text;
	} cases[] = { { 0.1, "0.1" }, { 268176.331, "268176.331" },
		{ -3, "-3" }, { 0, "0" }, { -0.0, "-0" }, { 1e-5, "1e-05" },
		{ 1e-4, "0.0001" }, { 1.5e22, "1.5e+22" }, { 1e16, "1e+16" },
		{ 1234567890123456, "1234567890123456" }, { 100, "100" },
		{ 0.30000000000000004, "0.30000000000000004" },
		{ 2.0 / 3, "0.6666666666666666" }, { 5e-324, "5e-324" },
		{ DBL_MAX, "1.7976931348623157e+308" }, { 1e100, "1e+100" },
		{ -2.5e-7, "-2.5e-07" }, { INFINITY, "inf" },
		{ -INFINITY, "-inf" }, { NAN, "nan" } };
	char buf[NUM_FORMAT_SIZE];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = num_format(cases[i].x, buf);

		assert_string_equal(buf, cases[i].text);
		assert_int_equal(len, strlen(cases[i].text));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_agrees_with_strtod),
		cmocka_unit_test(format_is_shortest_and_exact),
		cmocka_unit_test(format_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
