/*
 * test_opt.c: opt.c parses each kind of value into the struct it is told of,
 * with the range's ends open or closed as the table says, words by their index,
 * whole numbers without overflow, flags by their value; bad values give the
 * messages the commands print; getopt's tables and the help come from the
 * table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opt.h"
#include "testutil.h"

struct opts {
	double frac, pos, rate;
	unsigned long n;
	uint64_t seed;
	unsigned char small;
	unsigned threads;
	int word, flag;
	const char *name;
};

static const char *const colours[] = { "red", "green", "blue", NULL };
static const char *const auto_word[] = { "auto", NULL };

static const char *
sizes(void)
{
	return "small, large";
}

#define AT(m) OPT_AT(struct opts, m)

static const struct opt_spec specs[] = {
	{ "frac", 0, OPT_REAL, .lo = 0, .hi = 1, .ends = OPT_OPEN_HI, AT(frac),
	    .arg = "f", .group = "one" },
	{ "open", 0, OPT_REAL, .lo = 0, .hi = 1,
	    .ends = OPT_OPEN_LO | OPT_OPEN_HI, AT(frac), .arg = "f" },
	{ "closed", 0, OPT_REAL, .lo = 0, .hi = 1, AT(frac), .arg = "f" },
	{ "low", 0, OPT_REAL, .lo = 0, .hi = 1, .ends = OPT_OPEN_LO, AT(frac),
	    .arg = "f" },
	{ "pos", 0, OPT_REAL, .lo = 0, .hi = HUGE_VAL, .ends = OPT_OPEN_LO,
	    AT(pos), .arg = "p" },
	{ "nonneg", 0, OPT_REAL, .lo = 0, .hi = HUGE_VAL, AT(pos), .arg = "p" },
	{ "rate", 'r', OPT_REAL, .lo = 0, .hi = HUGE_VAL, .ends = OPT_OPEN_LO,
	    .words = auto_word, .say = "a positive number or auto", AT(rate),
	    .arg = "r|auto", .dflt = "auto" },
	{ "epochs", 'e', OPT_WHOLE, .min = 1, .max = 1000000000, AT(n),
	    .arg = "n", .dflt = "100", .group = "two" },
	{ "seed", 0, OPT_WHOLE, .min = 0, .max = UINT64_MAX, AT(seed),
	    .arg = "n" },
	{ "small", 0, OPT_WHOLE, .min = 0, .max = 255, AT(small), .arg = "n" },
	{ "threads", 0, OPT_WHOLE, .min = 1, .max = 256, AT(threads),
	    .arg = "n" },
	{ "colour", 'c', OPT_WORD, .words = colours, AT(word) },
	{ "size", 0, OPT_WORD, .list = sizes, AT(word) },
	{ "flag", 'f', OPT_FLAG, AT(flag), .value = 7 },
	{ "name", 0, OPT_STRING, AT(name), .arg = "s" },
	{ "call", 0, OPT_CALL, .offset = OPT_NO_STORE, .id = 3 },
};

#define N (sizeof(specs) / sizeof(specs[0]))

static const struct opt_spec *
spec(const char *name)
{
	const struct opt_spec *s = opt_named(specs, N, name, strlen(name));

	assert_non_null(s);
	return s;
}

/* Parse arg for option name into *o: 0, or -1 with the message in e. */
static int
store(const char *name, const char *arg, struct opts *o, struct error *e)
{
	memset(e, 0, sizeof(*e));
	return opt_store(spec(name), arg, o, e);
}

static void
refuses(const char *name, const char *arg, const char *msg)
{
	struct opts o = { 0 };
	struct error e;

	assert_int_equal(store(name, arg, &o, &e), -1);
	assert_int_equal(e.status, EXIT_USAGE);
	assert_string_equal(e.msg, msg);
}

static void
reals_respect_open_and_closed_ends(void **state)
{
	struct opts o = { 0 };
	struct error e;

	(void)state;
	assert_int_equal(store("frac", "0", &o, &e), 0);
	assert_true(o.frac == 0);
	assert_int_equal(store("frac", "0.25", &o, &e), 0);
	assert_true(o.frac == 0.25);
	refuses("frac", "1",
	    "--frac: \"1\" is not a number from 0 to 1 "
	    "(upper end excluded)");
	refuses("open", "0",
	    "--open: \"0\" is not a number from 0 to 1 "
	    "(both excluded)");
	refuses("low", "0",
	    "--low: \"0\" is not a number from 0 to 1 "
	    "(lower end excluded)");
	assert_int_equal(store("low", "1", &o, &e), 0);
	assert_int_equal(store("closed", "1", &o, &e), 0);
	assert_int_equal(store("closed", "0", &o, &e), 0);
	refuses("closed", "1.5",
	    "--closed: \"1.5\" is not a number from 0 "
	    "to 1 (both included)");
	refuses("pos", "0", "--pos: \"0\" is not a number above 0");
	refuses("nonneg", "-1",
	    "--nonneg: \"-1\" is not a number of at "
	    "least 0");
	assert_int_equal(store("nonneg", "0", &o, &e), 0);
	assert_int_equal(store("pos", "1e300", &o, &e), 0);
	assert_true(o.pos == 1e300);
	refuses("nonneg", "nan",
	    "--nonneg: \"nan\" is not a number of at "
	    "least 0");
	refuses("nonneg", "", "--nonneg: \"\" is not a number of at least 0");
	refuses("nonneg", "1x",
	    "--nonneg: \"1x\" is not a number of at "
	    "least 0");
}

static void
number_words_store_zero_and_say_overrides(void **state)
{
	struct opts o = { .rate = 5 };
	struct error e;

	(void)state;
	assert_int_equal(store("rate", "auto", &o, &e), 0);
	assert_true(o.rate == 0);
	assert_int_equal(store("rate", "0.5", &o, &e), 0);
	assert_true(o.rate == 0.5);
	refuses("rate", "0",
	    "-r/--rate: \"0\" is not a positive number or "
	    "auto");
	refuses("rate", "Auto",
	    "-r/--rate: \"Auto\" is not a positive number "
	    "or auto");
}

static void
whole_numbers_check_range_and_overflow(void **state)
{
	struct opts o = { 0 };
	struct error e;

	(void)state;
	assert_int_equal(store("epochs", "1e3", &o, &e), 0);
	assert_int_equal(o.n, 1000);
	assert_int_equal(store("epochs", "1000000000", &o, &e), 0);
	refuses("epochs", "0",
	    "-e/--epochs: \"0\" is not a whole number "
	    "from 1 to 1000000000");
	refuses("epochs", "1000000001",
	    "-e/--epochs: \"1000000001\" is not a "
	    "whole number from 1 to 1000000000");
	refuses("epochs", "-3",
	    "-e/--epochs: \"-3\" is not a whole number "
	    "from 1 to 1000000000");
	refuses("epochs", "1.5",
	    "-e/--epochs: \"1.5\" is not a whole number "
	    "from 1 to 1000000000");
	refuses("epochs", "+5",
	    "-e/--epochs: \"+5\" is not a whole number "
	    "from 1 to 1000000000");
	assert_int_equal(store("seed", "18446744073709551615", &o, &e), 0);
	assert_true(o.seed == UINT64_MAX);
	refuses("seed", "18446744073709551616",
	    "--seed: \"18446744073709551616\" is not a whole number from 0 to "
	    "18446744073709551615");
	refuses("seed", "99999999999999999999999",
	    "--seed: "
	    "\"99999999999999999999999\" is not a whole number from 0 to "
	    "18446744073709551615");
	/* 2^53 and above are not exact as doubles: refused in exponent form */
	refuses("seed", "1e16",
	    "--seed: \"1e16\" is not a whole number from 0 "
	    "to 18446744073709551615");
	/* stored in the member's own size */
	o.threads = 0;
	o.word = -1;
	assert_int_equal(store("threads", "256", &o, &e), 0);
	assert_int_equal(o.threads, 256);
	assert_int_equal(o.word, -1);
	assert_int_equal(store("small", "255", &o, &e), 0);
	assert_int_equal(o.small, 255);
	refuses("small", "256",
	    "--small: \"256\" is not a whole number from 0 "
	    "to 255");
}

static void
words_store_their_index_and_name_the_others(void **state)
{
	struct opts o = { 0 };
	struct error e;
	char buf[64];

	(void)state;
	assert_int_equal(store("colour", "blue", &o, &e), 0);
	assert_int_equal(o.word, 2);
	assert_int_equal(store("size", "large", &o, &e), 0);
	assert_int_equal(o.word, 1);
	refuses("colour", "Blue",
	    "-c/--colour: \"Blue\" is not one of red, "
	    "green, blue");
	refuses("colour", "",
	    "-c/--colour: \"\" is not one of red, green, "
	    "blue");
	refuses("size", "smal", "--size: \"smal\" is not one of small, large");
	refuses("colour", "re\x01",
	    "-c/--colour: \"re\\x01\" is not one of "
	    "red, green, blue");
	assert_string_equal(opt_words(spec("size"), "|", buf, sizeof(buf)),
	    "small|large");
	assert_null(opt_words(spec("name"), "|", buf, sizeof(buf)));
	/* a short buffer is cut, not overrun */
	assert_string_equal(opt_words(spec("colour"), ", ", buf, 6), "red, ");
}

static void
flags_strings_and_calls(void **state)
{
	struct opts o = { 0 };
	struct error e;

	(void)state;
	assert_int_equal(store("flag", NULL, &o, &e), 0);
	assert_int_equal(o.flag, 7);
	assert_int_equal(store("name", "x y", &o, &e), 0);
	assert_string_equal(o.name, "x y");
	assert_int_equal(store("call", "anything", &o, &e), 0);
}

static void
getopt_tables_come_from_the_table(void **state)
{
	struct option *longs;
	char *shorts;

	(void)state;
	opt_getopt(specs, N, &longs, &shorts);
	assert_string_equal(shorts, ":r:e:c:f");
	assert_string_equal(longs[0].name, "frac");
	assert_int_equal(longs[0].has_arg, required_argument);
	assert_int_equal(longs[0].val, OPT_VAL_BASE);
	assert_ptr_equal(opt_of(specs, N, longs[0].val), &specs[0]);
	assert_ptr_equal(opt_of(specs, N, 'e'), spec("epochs"));
	assert_null(opt_of(specs, N, '?'));
	assert_null(opt_of(specs, N, ':'));
	assert_null(opt_of(specs, N, 'z'));
	assert_int_equal(longs[13].has_arg, no_argument);
	assert_int_equal(longs[13].val, 'f');
	assert_null(longs[N].name);
	free(longs);
	free(shorts);
}

static void
help_is_grouped_and_wrapped(void **state)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	char buf[64];

	(void)state;
	assert_non_null(f);
	opt_help_compact(f, specs, N);
	fclose(f);
	assert_string_equal(text,
	    "one      --frac f   --open f   --closed f   --low f   --pos p   "
	    "--nonneg p\n"
	    "         -r, --rate r|auto [auto]\n"
	    "two      -e, --epochs n [100]   --seed n   --small n   "
	    "--threads n\n"
	    "         -c, --colour red|green|blue   --size small|large   "
	    "-f, --flag\n"
	    "         --name s   --call\n");
	free(text);
	assert_string_equal(opt_flag(spec("rate"), buf, sizeof(buf)),
	    "-r/--rate");
	assert_string_equal(opt_flag(spec("seed"), buf, sizeof(buf)), "--seed");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reals_respect_open_and_closed_ends),
		cmocka_unit_test(number_words_store_zero_and_say_overrides),
		cmocka_unit_test(whole_numbers_check_range_and_overflow),
		cmocka_unit_test(words_store_their_index_and_name_the_others),
		cmocka_unit_test(flags_strings_and_calls),
		cmocka_unit_test(getopt_tables_come_from_the_table),
		cmocka_unit_test(help_is_grouped_and_wrapped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
