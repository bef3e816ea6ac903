/*
 * test_optim.c: the plain gradient-descent step is w −= rate·grad, exactly; the
 * schedule "constant" gives exactly the base rate whatever the losses; "plateau"
 * halves the rate whenever 3 epochs pass without a new lowest loss; unknown names
 * are not found.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "optim.h"
#include "testutil.h"

static void
gd_step_is_w_minus_rate_times_grad(void **state)
{
	const struct optimizer *gd = optim_find("gd");
	enum { P = 7 };
	double w[P], want[P], grad[P], *st;
	struct optim_params hp = OPTIM_PARAMS_DEFAULT;
	uint64_t seed = 1;

	(void)state;
	assert_non_null(gd);
	assert_string_equal(gd->name, "gd");
	st = calloc(P * gd->state_per_weight + 1, sizeof *st);
	assert_non_null(st);
	for (int rep = 0; rep < 50; rep++) {
		double rate = tu_unif(&seed) * 2;
		for (size_t k = 0; k < P; k++) {
			w[k] = tu_normal(&seed);
			grad[k] = tu_normal(&seed) * 1e3;
			want[k] = w[k] - rate * grad[k];
		}
		gd->step(w, grad, st, P, rate, (unsigned long)rep + 1, &hp);
		for (size_t k = 0; k < P; k++)
			assert_same_double(w[k], want[k]);
	}
	/* A zero gradient leaves the weights alone; a zero rate too. */
	for (size_t k = 0; k < P; k++) {
		w[k] = want[k] = (double)k - 3.5;
		grad[k] = 0;
	}
	gd->step(w, grad, st, P, 0.5, 1, &hp);
	for (size_t k = 0; k < P; k++)
		assert_same_double(w[k], want[k]);
	free(st);
}

/* The rate of schedule sch in epoch e for base rate base, from a fresh state. */
static double
rate_at(const struct schedule *sch, double base, unsigned long e)
{
	struct schedule_state st;

	schedule_init(&st, sch, base, NULL);
	return sch->rate(&st, e);
}

static void
schedule_init_starts_from_the_base(void **state)
{
	struct schedule_state st;

	(void)state;
	memset(&st, 0xff, sizeof st);
	schedule_init(&st, schedule_find("constant"), 0.25, NULL);
	assert_same_double(st.base, 0.25);
	assert_same_double(st.factor, 1.0);
	assert_int_equal(st.stalled, 0);
}

static void
constant_schedule_keeps_the_rate(void **state)
{
	const struct schedule *s = schedule_find("constant");
	struct schedule_state st;

	(void)state;
	assert_non_null(s);
	assert_string_equal(s->name, "constant");
	for (unsigned long e = 1; e <= 1000; e++) {
		assert_same_double(rate_at(s, 0.0921, e), 0.0921);
		assert_same_double(rate_at(s, 3.0, e), 3.0);
	}
	assert_same_double(rate_at(s, 0.5, 4000000000UL), 0.5);
	/* Losses told to it, if it listens, change nothing. */
	schedule_init(&st, s, 0.0921, NULL);
	for (unsigned long e = 1; e <= 100; e++) {
		assert_same_double(s->rate(&st, e), 0.0921);
		if (s->observe != NULL)
			s->observe(&st, 5.0);	/* a loss that never falls */
	}
}

/*
 * "plateau": the rate is halved whenever 3 epochs pass without a new lowest loss
 * (spec, "Schedule"). The losses told to it and the rates expected after each,
 * worked out by hand from that rule: a loss equal to the best is not a new low.
 */
static void
plateau_halves_after_three_epochs_without_a_new_low(void **state)
{
	static const struct {
		double loss;		/* told after the epoch */
		double factor;		/* rate / base in the next epoch */
	} seq[] = {
		{ 10, 1 }, { 9, 1 }, { 8, 1 },			/* falling: keep */
		{ 8, 1 }, { 8.5, 1 }, { 9, 0.5 },		/* 3 without a new low: halve */
		{ 8, 0.5 }, { 8, 0.5 }, { 8, 0.25 },		/* and again, counting afresh */
		{ 7, 0.25 },					/* new low: reset the count */
		{ 7.5, 0.25 }, { 7, 0.25 }, { 7.2, 0.125 },
		{ 1, 0.125 }, { 0.5, 0.125 }, { 0.25, 0.125 },	/* falling again: keep */
	};
	const struct schedule *s = schedule_find("plateau");
	struct schedule_state st;
	const double base = 0.3;

	(void)state;
	assert_non_null(s);
	assert_string_equal(s->name, "plateau");
	assert_non_null(s->observe);
	schedule_init(&st, s, base, NULL);
	assert_same_double(s->rate(&st, 1), base);
	for (size_t k = 0; k < sizeof seq / sizeof seq[0]; k++) {
		s->observe(&st, seq[k].loss);
		if (s->rate(&st, k + 2) != base * seq[k].factor) {
			print_error("after loss %zu (%g): rate %.17g, expected %.17g\n", k + 1,
			    seq[k].loss, s->rate(&st, k + 2), base * seq[k].factor);
			fail();
		}
	}
}

/*
 * "stagewise": the same halving, but the patience doubles after each halving
 * (3, then 6, then 12 epochs without a new low). Worked out by hand.
 */
static void
stagewise_doubles_its_patience_after_each_halving(void **state)
{
	static const struct {
		double loss;
		double factor;
	} seq[] = {
		{ 10, 1 }, { 11, 1 }, { 11, 1 }, { 11, 0.5 },	/* 3 stalls: halve */
		{ 12, 0.5 }, { 12, 0.5 }, { 12, 0.5 },		/* now patience 6 */
		{ 12, 0.5 }, { 12, 0.5 }, { 12, 0.25 },		/* 6 stalls: halve */
		{ 9, 0.25 },					/* new low resets */
		{ 9, 0.25 }, { 9, 0.25 }, { 9, 0.25 }, { 9, 0.25 },
		{ 9, 0.25 }, { 9, 0.25 }, { 9, 0.25 }, { 9, 0.25 },
		{ 9, 0.25 }, { 9, 0.25 }, { 9, 0.25 }, { 9, 0.125 },	/* 12 stalls */
	};
	const struct schedule *s = schedule_find("stagewise");
	struct schedule_state st;
	const double base = 0.3;

	(void)state;
	assert_non_null(s);
	schedule_init(&st, s, base, NULL);
	for (size_t k = 0; k < sizeof seq / sizeof seq[0]; k++) {
		s->observe(&st, seq[k].loss);
		if (s->rate(&st, k + 2) != base * seq[k].factor) {
			print_error("after loss %zu (%g): rate %.17g, expected %.17g\n", k + 1,
			    seq[k].loss, s->rate(&st, k + 2), base * seq[k].factor);
			fail();
		}
	}
}

/* The rate does not depend on the epoch number, only on the losses seen. */
static void
plateau_rate_ignores_the_epoch_number(void **state)
{
	const struct schedule *s = schedule_find("plateau");
	struct schedule_state st;

	(void)state;
	assert_non_null(s);
	schedule_init(&st, s, 0.0921, NULL);
	for (unsigned long e = 1; e <= 1000; e += 37)
		assert_same_double(s->rate(&st, e), 0.0921);
}

static void
unknown_names_are_not_found(void **state)
{
	(void)state;
	assert_null(optim_find("nope"));
	assert_null(optim_find(""));
	assert_null(schedule_find("nope"));
	assert_null(schedule_find(""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gd_step_is_w_minus_rate_times_grad),
		cmocka_unit_test(schedule_init_starts_from_the_base),
		cmocka_unit_test(constant_schedule_keeps_the_rate),
		cmocka_unit_test(plateau_halves_after_three_epochs_without_a_new_low),
		cmocka_unit_test(stagewise_doubles_its_patience_after_each_halving),
		cmocka_unit_test(plateau_rate_ignores_the_epoch_number),
		cmocka_unit_test(unknown_names_are_not_found),
	};

	return cmocka_run_group_tests_name("optim", tests, NULL, NULL);
}
