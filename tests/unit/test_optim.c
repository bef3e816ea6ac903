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

#include <float.h>
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


/*
 * Every update rule, four steps on f(w) = ½ Σ a_j (w_j − c_j)², against the
 * trajectory tests/unit/optim_reference.py computes from the papers' formulas in
 * 50-digit arithmetic (its output pasted below). Rate 0.1, μ = 0.9, β1 = 0.9,
 * β2 = 0.999 (rmsprop 0.9), ε = 1e-8, weight decay 0.01.
 */
static const struct {
	const char *rule;
	double l1;
	double w[3];
} trajectories[] = {
	{ "gd", 0, { 6.7195e-1, 1.6112, 1.518439453125 } },
	{ "gd", 0.5, { 6.7195e-1, 1.5024, 1.325815234375 } },
	{ "momentum", 0, { 8.866e-1, 4.43, 9.11572265625e-1 } },
	{ "nesterov", 0, { 9.53056045e-1, 3.05030432, 5.864351173828125e-1 } },
	{ "momentum", 0.05, { 8.866e-1, 4.377, 7.23279296875e-1 } },
	{ "adagrad", 0, { 7.4639101495576494e-1, -7.2615063755373295e-1, 1.7242778610018438 } },
	{ "rmsprop", 0, { 9.9224675468111482e-1, -1.4105696720337152e-1, 1.1200543986077947 } },
	{ "adam", 0, { 8.8708459756019341e-1, -6.009135307156013e-1, 1.6005076767981195 } },
	{ "adamw", 0, { 8.8708459756019341e-1, -5.9752871909044389e-1, 1.5931299252499539 } },
	{ "adam", 0.5, { 8.8708459756019341e-1, -5.8384663609376082e-1, 1.4373031355247822 } },
};

static void
each_rule_follows_its_hand_computed_trajectory(void **state)
{
	static const double a[3] = { 1, 4, 0.25 }, c[3] = { 1, 2, -3 };

	(void)state;
	for (size_t k = 0; k < sizeof(trajectories) / sizeof(trajectories[0]); k++) {
		const struct optimizer *o = optim_find(trajectories[k].rule);
		struct optim_params hp = OPTIM_PARAMS_DEFAULT;
		double w[3] = { 0.5, -1, 2 }, g[3], st[6] = { 0 };

		assert_non_null(o);
		assert_true(o->state_per_weight <= 2);
		hp.l1 = trajectories[k].l1;
		if (strcmp(o->name, "rmsprop") == 0)
			hp.beta2 = 0.9;
		for (unsigned long t = 1; t <= 4; t++) {
			for (size_t j = 0; j < 3; j++)
				g[j] = a[j] * (w[j] - c[j]);
			o->step(w, g, st, 3, 0.1, t, &hp);
		}
		for (size_t j = 0; j < 3; j++)
			if (fabs(w[j] - trajectories[k].w[j]) >
			    1e-14 * fabs(trajectories[k].w[j]))
				fail_msg("%s (l1 %g): w[%zu] = %.17g, want %.17g",
				    o->name, trajectories[k].l1, j, w[j],
				    trajectories[k].w[j]);
	}
}

/* L1's proximal step sets a weight whose gradient cannot outweigh λ1 to exactly 0. */
static void
l1_step_reaches_exact_zero(void **state)
{
	struct optim_params hp = OPTIM_PARAMS_DEFAULT;
	double w[2] = { 0.3, 0.04 }, g[2] = { 0, 0.1 };

	(void)state;
	hp.l1 = 1;
	/* w1 − 0.1·0.1 = 0.03, threshold 0.1·1: 0; the intercept is never shrunk. */
	optim_find("gd")->step(w, g, NULL, 2, 0.1, 1, &hp);
	assert_true(w[1] == 0.0);
	assert_same_double(w[0], 0.3);
}

/* The rate sequence of each fixed schedule, where it is exact in binary. */
static void
schedules_follow_their_formulas(void **state)
{
	struct schedule_params sp = { .decay = 0.5, .power_t = 0.5, .step_size = 3,
	    .epochs = 12 };
	struct schedule_state st;
	const struct schedule *inv = schedule_find("invscaling"),
	    *step = schedule_find("step"), *expo = schedule_find("exponential"),
	    *cosine = schedule_find("cosine");

	(void)state;
	assert_non_null(inv);
	assert_non_null(step);
	assert_non_null(expo);
	assert_non_null(cosine);
	schedule_init(&st, inv, 0.8, &sp);
	assert_same_double(inv->rate(&st, 1), 0.8);
	assert_same_double(inv->rate(&st, 4), 0.4);
	assert_same_double(inv->rate(&st, 16), 0.2);
	assert_same_double(inv->rate(&st, 64), 0.1);
	schedule_init(&st, step, 0.8, &sp);
	for (unsigned long e = 1; e <= 12; e++)
		assert_same_double(step->rate(&st, e), 0.8 / (1 << ((e - 1) / 3)));
	schedule_init(&st, expo, 0.8, &sp);
	for (unsigned long e = 1; e <= 12; e++)
		assert_same_double(expo->rate(&st, e), 0.8 / (1 << (e - 1)));
	/* Half a cosine over 12 epochs: 1, (1 + cos(π/3))/2 = 3/4 at 5, 1/2 at 7. */
	schedule_init(&st, cosine, 0.8, &sp);
	assert_same_double(cosine->rate(&st, 1), 0.8);
	assert_near(cosine->rate(&st, 5), 0.6, 1e-15);
	assert_near(cosine->rate(&st, 7), 0.4, 1e-15);
	assert_near(cosine->rate(&st, 12), 0.8 * (1 + cos(3.14159265358979323846 *
	    11 / 12)) / 2, 1e-16);
	assert_true(cosine->rate(&st, 12) > 0);
	/* Defaults: step halves every 10 epochs, exponential decays by 0.95. */
	schedule_init(&st, step, 1, NULL);
	assert_same_double(step->rate(&st, 10), 1.0);
	assert_same_double(step->rate(&st, 11), 0.5);
	schedule_init(&st, expo, 1, NULL);
	assert_same_double(expo->rate(&st, 2), 0.95);
}

/* Rosenbrock's function, 100(w1 − w0²)² + (1 − w0)², minimum 0 at (1, 1). */
static double
rosenbrock(void *ctx, const double *w, double *g)
{
	double u = w[1] - w[0] * w[0], v = 1 - w[0];

	(*(int *)ctx)++;
	g[0] = -400 * w[0] * u - 2 * v;
	g[1] = 200 * u;
	return 100 * u * u + v * v;
}

static void
lbfgs_minimises_rosenbrock_without_rising(void **state)
{
	struct lbfgs *lb = lbfgs_new(2, 10);
	double w[2] = { -1.2, 1 }, g[2], f, before;
	int calls = 0, k;

	(void)state;
	f = rosenbrock(&calls, w, g);
	for (k = 0; k < 200; k++) {
		before = f;
		if (lbfgs_iterate(lb, w, &f, g, 1e-3, rosenbrock, &calls) == 0)
			break;
		assert_true(f <= before + 8 * DBL_EPSILON * fabs(before));
	}
	assert_true(k < 200);		/* it stopped by itself, converged */
	assert_near(w[0], 1, 1e-7);
	assert_near(w[1], 1, 1e-7);
	assert_true(f < 1e-14);
	lbfgs_free(lb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gd_step_is_w_minus_rate_times_grad),
		cmocka_unit_test(schedule_init_starts_from_the_base),
		cmocka_unit_test(each_rule_follows_its_hand_computed_trajectory),
		cmocka_unit_test(l1_step_reaches_exact_zero),
		cmocka_unit_test(schedules_follow_their_formulas),
		cmocka_unit_test(lbfgs_minimises_rosenbrock_without_rising),
		cmocka_unit_test(constant_schedule_keeps_the_rate),
		cmocka_unit_test(plateau_halves_after_three_epochs_without_a_new_low),
		cmocka_unit_test(stagewise_doubles_its_patience_after_each_halving),
		cmocka_unit_test(plateau_rate_ignores_the_epoch_number),
		cmocka_unit_test(unknown_names_are_not_found),
	};

	return cmocka_run_group_tests_name("optim", tests, NULL, NULL);
}
