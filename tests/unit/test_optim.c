/*
 * test_optim.c: every update rule step by step, and L-BFGS iteration by
 * iteration, against trajectories computed independently
 * (tests/unit/optim_reference.py) on a least-squares problem with two features;
 * every schedule's rate in every epoch of a run against its formula; the plain
 * gradient-descent step is w −= rate·grad, exactly, and its row step (sgd's)
 * the same bits; "plateau" and "stagewise" halve the rate by their rules;
 * unknown names are not found.
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

/* The rate of schedule sch in epoch e for base rate base, from a fresh state.
 */
static double
rate_at(const struct schedule *sch, double base, unsigned long e)
{
	struct schedule_state st;

	schedule_init(&st, sch, base, NULL);
	return sch->rate(&st, e);
}

/*
 * The sgd step of a rule with a row step (optimizer.row_step) is, to the bit,
 * its step on the row's gradient written out as loss_gradient and train.c make
 * it: 0 + g for the intercept, 0 + g·x_j plus 2·λ2·w_j for the rest; with and
 * without L1 and L2, for feature counts that do and do not fill the vector
 * loop, and for a zero g (whose signed zeros the written-out gradient turns
 * into +0).
 */
static void
row_step_is_the_step_on_the_rows_gradient(void **state)
{
	const struct optimizer *gd = optim_find("gd");
	enum { DMAX = 11 };
	double w[DMAX + 1], fused[DMAX + 1], grad[DMAX + 1], x[DMAX];
	uint64_t seed = 7;
	int cases = 0;

	(void)state;
	assert_non_null(gd);
	assert_non_null(gd->row_step);
	for (int rep = 0; rep < 400; rep++) {
		struct optim_params hp = OPTIM_PARAMS_DEFAULT;
		size_t d = 1 + (size_t)rep % DMAX;
		double rate = tu_unif(&seed), l2 = rep % 4 >= 2 ? 0.3 : 0;
		double g =
		    rep % 5 == 0 ? (rep % 2 ? -0.0 : 0.0) : tu_normal(&seed);

		hp.l1 = rep % 2 ? 0.05 : 0;
		hp.stride = d + 1;
		for (size_t j = 0; j < d; j++)
			x[j] = tu_normal(&seed);
		for (size_t j = 0; j <= d; j++)
			w[j] = fused[j] =
			    rep % 3 == 0 ? -0.0 : tu_normal(&seed);
		/* The gradient written out, as loss_gradient and gradient() do.
		 */
		memset(grad, 0, sizeof(grad));
		grad[0] += g;
		for (size_t j = 0; j < d; j++)
			grad[j + 1] += g * x[j];
		for (size_t j = 1; l2 > 0 && j <= d; j++)
			grad[j] += 2 * l2 * w[j];
		gd->step(w, grad, NULL, d + 1, rate, 1, &hp);
		gd->row_step(fused, x, d, g, l2 > 0 ? 2 * l2 : 0, rate, &hp);
		assert_memory_equal(w, fused, (d + 1) * sizeof(double));
		cases++;
	}
	assert_int_equal(cases, 400);
	/* Only gd has a row step; the others go through the general loop. */
	assert_null(optim_find("adam")->row_step);
	assert_null(optim_find("momentum")->row_step);
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
			s->observe(&st, 5.0); /* a loss that never falls */
	}
}

/*
 * "plateau": the rate is halved whenever 3 epochs pass without a new lowest
 * loss (spec, "Schedule"). The losses told to it and the rates expected after
 * each, worked out by hand from that rule: a loss equal to the best is not a
 * new low.
 */
static void
plateau_halves_after_three_epochs_without_a_new_low(void **state)
{
	static const struct {
		double loss;   /* told after the epoch */
		double factor; /* rate / base in the next epoch */
	} seq[] = {
		{ 10, 1 }, { 9, 1 }, { 8, 1 }, /* falling: keep */
		{ 8, 1 }, { 8.5, 1 },
		{ 9, 0.5 }, /* 3 without a new low: halve */
		{ 8, 0.5 }, { 8, 0.5 },
		{ 8, 0.25 }, /* and again, counting afresh */
		{ 7, 0.25 }, /* new low: reset the count */
		{ 7.5, 0.25 }, { 7, 0.25 }, { 7.2, 0.125 }, { 1, 0.125 },
		{ 0.5, 0.125 }, { 0.25, 0.125 }, /* falling again: keep */
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
			print_error(
			    "after loss %zu (%g): rate %.17g, expected %.17g\n",
			    k + 1, seq[k].loss, s->rate(&st, k + 2),
			    base * seq[k].factor);
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
		{ 10, 1 }, { 11, 1 }, { 11, 1 },
		{ 11, 0.5 },				/* 3 stalls: halve */
		{ 12, 0.5 }, { 12, 0.5 }, { 12, 0.5 },	/* now patience 6 */
		{ 12, 0.5 }, { 12, 0.5 }, { 12, 0.25 }, /* 6 stalls: halve */
		{ 9, 0.25 },				/* new low resets */
		{ 9, 0.25 }, { 9, 0.25 }, { 9, 0.25 }, { 9, 0.25 }, { 9, 0.25 },
		{ 9, 0.25 }, { 9, 0.25 }, { 9, 0.25 }, { 9, 0.25 }, { 9, 0.25 },
		{ 9, 0.25 }, { 9, 0.125 }, /* 12 stalls */
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
			print_error(
			    "after loss %zu (%g): rate %.17g, expected %.17g\n",
			    k + 1, seq[k].loss, s->rate(&st, k + 2),
			    base * seq[k].factor);
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
 * A problem with two features whose answer is known by hand: least squares with
 * an intercept on five rows, f(w) = (1/n)·Σ (w0 + w1·x1 + w2·x2 − y)², gradient
 * (2/n)·X1ᵀ(X1·w − y); its Hessian (2/n)·X1ᵀX1 couples the three weights, so
 * that a rule that mixed up the weights' states would show. The gradient is
 * written out here, not taken from loss.c.
 */
static const double rows2[5][3] = {
	/* x1, x2, y */
	{ 1, 0.5, 2 },
	{ 2, -1, 1 },
	{ 0, 2, 3 },
	{ -1, 1, 0 },
	{ 0.5, 0.25, -1 },
};

static double
two_features(void *ctx, const double *w, double *g)
{
	double f = 0;

	if (ctx != NULL)
		(*(int *)ctx)++;
	g[0] = g[1] = g[2] = 0;
	for (size_t i = 0; i < 5; i++) {
		const double *x = rows2[i];
		double r = w[0] + w[1] * x[0] + w[2] * x[1] - x[2];

		f += r * r / 5;
		g[0] += 2 * r / 5;
		g[1] += 2 * r * x[0] / 5;
		g[2] += 2 * r * x[1] / 5;
	}
	return f;
}

/*
 * Every update rule, five steps from w = (0.25, −1, 2) on that problem, each
 * step checked against the trajectory tests/unit/optim_reference.py computes
 * from the papers' formulas in 60-digit arithmetic (its output pasted below).
 * Rate 0.1, μ = 0.9, β1 = 0.9, β2 = 0.999 (rmsprop 0.9), ε = 1e-8, weight decay
 * 0.01; the L1 runs threshold every weight but the intercept.
 */
static const struct {
	const char *rule;
	double l1;
	double w[5][3]; /* after steps 1 to 5 */
} trajectories[] = {
	{ "gd", 0,
	    {
		{ 2.8e-1, -4.4499999999999997e-1, 1.6025 },
		{ 2.92225e-1, -6.9512499999999958e-2, 1.35479375 },
		{ 2.917039375e-1, 1.8734853125000004e-1, 1.203959890625 },
		{ 2.8219270890625e-1, 3.6571719429687504e-1,
		    1.1156706955859375 },
		{ 2.6645867118085937e-1, 4.9205734091269535e-1,
		    1.0676657804290039 },
	    } },
	{ "gd", 5.0e-1,
	    {
		{ 2.8e-1, -3.9499999999999997e-1, 1.5525 },
		{ 2.92725e-1, 0, 1.27216875 },
		{ 2.942414375e-1, 1.8158353125000001e-1, 1.098746390625 },
		{ 2.9637269390625001e-1, 3.0114441179687501e-1,
		    9.8619680433593747e-1 },
		{ 2.9850206546835938e-1, 3.7990973586894532e-1,
		    9.1318983403212888e-1 },
	    } },
	{ "momentum", 0,
	    {
		{ 2.8e-1, -4.4499999999999997e-1, 1.6025 },
		{ 3.19225e-1, 4.2998750000000008e-1, 9.9704374999999994e-1 },
		{ 3.380089375e-1, 1.3127760312500001, 4.3611364062499992e-1 },
		{ 3.0806259015624999e-1, 1.9267216036718751,
		    1.3869058777343743e-1 },
		{ 2.1157023449335935e-1, 2.1199615647564454,
		    2.1514213422587889e-1 },
	    } },
	{ "momentum", 5.0000000000000003e-2,
	    {
		{ 2.8e-1, -3.9499999999999995e-1, 1.5525 },
		{ 3.19725e-1, 4.1273750000000008e-1, 9.1441874999999992e-1 },
		{ 3.4967268750000001e-1, 1.2264141562500001,
		    3.3829520312499989e-1 },
		{ 3.4683718078125001e-1, 1.7842903833593751,
		    3.7409821367187402e-2 },
		{ 2.9237366989179688e-1, 1.9441766068697266,
		    1.1352249442314449e-1 },
	    } },
	{ "nesterov", 0,
	    {
		{ 3.07e-1, 5.4500000000000071e-2, 1.2447499999999999 },
		{ 3.2413225e-1, 9.105098750000001e-1, 7.0828043749999994e-1 },
		{ 2.7874878231249999e-1, 1.3881524383437501,
		    5.2086637104687497e-1 },
		{ 1.697785463433906e-1, 1.5131910954431797,
		    6.3980831720643361e-1 },
		{ 1.2637510931183065e-2, 1.423075208258634,
		    9.3483128390292439e-1 },
	    } },
	{ "nesterov", 5.0000000000000003e-2,
	    {
		{ 3.07e-1, 4.5000000000000542e-3, 1.1947499999999999 },
		{ 3.4408225000000001e-1, 8.2523487500000007e-1,
		    6.2324293749999991e-1 },
		{ 3.3359786981250001e-1, 1.2805207945937501,
		    4.1344267417187493e-1 },
		{ 2.6559326180276563e-1, 1.3916315304384922,
		    5.1782388136033983e-1 },
		{ 1.4705380594403233e-1, 1.2914023450085156,
		    8.0151796915393548e-1 },
	    } },
	{ "adagrad", 0,
	    {
		{ 3.4999999666666678e-1, -9.0000000018018017e-1,
		    1.9000000002515723 },
		{ 3.8442546231762972e-1, -8.3230152967850261e-1,
		    1.8314992698592733 },
		{ 3.9952322092010715e-1, -7.7831583311546947e-1,
		    1.7770913271307011 },
		{ 4.0707161078879845e-1, -7.3236689401414175e-1,
		    1.7311224680313969 },
		{ 4.1138303400575112e-1, -6.9186165985530726e-1,
		    1.6909245915326233 },
	    } },
	{ "adagrad", 5.0e-1,
	    {
		{ 3.4999999666666678e-1, -8.9099099118740361e-1,
		    1.8874213839310154 },
		{ 3.8574676489624663e-1, -8.1689015372890377e-1,
		    1.8101054014247538 },
		{ 4.0240859262032449e-1, -7.5765086426820451e-1,
		    1.7484778111086399 },
		{ 4.1142937363425073e-1, -7.0713612452165514e-1,
		    1.6962250412962787 },
		{ 4.1705455150624752e-1, -6.6253707350182942e-1,
		    1.6503798895849478 },
	    } },
	{ "rmsprop", 0,
	    {
		{ 5.6622773268350817e-1, -6.8377223578496381e-1,
		    1.6837722364988853 },
		{ 3.3651104664277091e-1, -4.8822923611527706e-1,
		    1.478280563229229 },
		{ 4.7365836058240274e-1, -3.2950592755820978e-1,
		    1.3410739386182985 },
		{ 4.042970195818342e-1, -2.0366024752347808e-1,
		    1.226823014514202 },
		{ 4.3989075961613841e-1, -9.381942726767652e-2,
		    1.1402110508474048 },
	    } },
	{ "rmsprop", 5.0e-1,
	    {
		{ 5.6622773268350817e-1, -6.5528324801784343e-1,
		    1.6439951593289337 },
		{ 3.4224403746380225e-1, -4.3912824089353526e-1,
		    1.410913615164922 },
		{ 4.902852472137172e-1, -2.6358340102141376e-1,
		    1.2513248039451336 },
		{ 4.2011769839901673e-1, -1.237133723395331e-1,
		    1.1175412730310892 },
		{ 4.6261524885317943e-1, -1.4179684478765043e-3,
		    1.0151082142638688 },
	    } },
	{ "adam", 0,
	    {
		{ 3.4999999666666678e-1, -9.0000000018018017e-1,
		    1.9000000002515723 },
		{ 4.3853499921969318e-1, -8.0030464185316397e-1,
		    1.800207842780203 },
		{ 4.9467992431816442e-1, -7.0114446986887448e-1,
		    1.7008015419928596 },
		{ 5.1035793630339009e-1, -6.0273816682665695e-1,
		    1.6020397788270984 },
		{ 4.9784178630757613e-1, -5.0527851096836561e-1,
		    1.5042919969181247 },
	    } },
	{ "adam", 5.0e-1,
	    {
		{ 3.4999999666666678e-1, -8.9099099118740361e-1,
		    1.8874213839310154 },
		{ 4.3918653587865117e-1, -7.8192150521056521e-1,
		    1.7746497362867018 },
		{ 4.9779336108003913e-1, -6.7303237730919886e-1,
		    1.6618666111638038 },
		{ 5.1686688752441305e-1, -5.64571908734574e-1,
		    1.5493274714536576 },
		{ 5.0756318198989299e-1, -4.5677781320889303e-1,
		    1.4374085482263517 },
	    } },
	{ "adamw", 0,
	    {
		{ 3.4999999666666678e-1, -8.9900000018018017e-1,
		    1.8980000002515723 },
		{ 4.3869925633199261e-1, -7.9840968168633615e-1,
		    1.796316520571724 },
		{ 4.9545272614952009e-1, -6.9846263539807516e-1,
		    1.69513238301425 },
		{ 5.1194645538802476e-1, -5.9938121189274802e-1,
		    1.5947114402482077 },
		{ 5.0018334887553154e-1, -5.0136186930165703e-1,
		    1.4954296705376446 },
	    } },
};

/* |got − want| within 1e-13 of max(|want|, 1); an exact 0 (L1) must be exactly
 * 0. */
static int
close_to(double got, double want)
{
	if (want == 0)
		return got == 0;
	return fabs(got - want) <= 1e-13 * fmax(fabs(want), 1);
}

static void
each_rule_follows_its_hand_computed_trajectory(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(trajectories) / sizeof(trajectories[0]);
	     k++) {
		const struct optimizer *o = optim_find(trajectories[k].rule);
		struct optim_params hp = OPTIM_PARAMS_DEFAULT;
		double w[3] = { 0.25, -1, 2 }, g[3], st[6] = { 0 };

		assert_non_null(o);
		assert_non_null(o->step);
		assert_true(o->state_per_weight <= 2);
		hp.l1 = trajectories[k].l1;
		hp.stride = 3;
		if (strcmp(o->name, "rmsprop") == 0)
			hp.beta2 = 0.9;
		for (unsigned long t = 1; t <= 5; t++) {
			two_features(NULL, w, g);
			o->step(w, g, st, 3, 0.1, t, &hp);
			for (size_t j = 0; j < 3; j++)
				if (!close_to(w[j],
					trajectories[k].w[t - 1][j]))
					fail_msg(
					    "%s (l1 %g), step %lu: w[%zu] = %.17g, "
					    "want %.17g",
					    o->name, trajectories[k].l1, t, j,
					    w[j], trajectories[k].w[t - 1][j]);
		}
	}
}

/*
 * L-BFGS on the same problem, first step 1: each iteration's accepted step (the
 * first and the fifth backtrack, to 1/2 and 1/8) and weights, from the same
 * script (the two-loop recursion and Armijo backtracking of Nocedal & Wright).
 */
static void
lbfgs_follows_its_hand_computed_trajectory(void **state)
{
	static const struct {
		double step;
		double w[3];
	} want[] = {
		{ 5.0e-1, { 4.0e-1, 1.775, 1.25e-2 } },
		{ 1.0,
		    { 2.744601559367954e-1, 7.2071877718560024e-1,
			9.4784701472061819e-1 } },
		{ 1.0,
		    { 1.8222228788832631e-1, 7.8495805213573706e-1,
			1.0354513211586783 } },
		{ 1.0,
		    { -9.0241318460448937e-1, 1.574004215113851,
			1.853161289015459 } },
		{ 1.25e-1,
		    { -8.6825187484944649e-1, 1.6306701182799027,
			1.9168769902849684 } },
	};
	struct lbfgs *lb = lbfgs_new(3, 10);
	double w[3] = { 0.25, -1, 2 }, g[3], f;

	(void)state;
	f = two_features(NULL, w, g);
	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		double before = f,
		       step =
			   lbfgs_iterate(lb, w, &f, g, 1, two_features, NULL);

		if (step != want[k].step)
			fail_msg("iteration %zu: step %.17g, want %.17g", k + 1,
			    step, want[k].step);
		assert_true(f < before);
		for (size_t j = 0; j < 3; j++)
			if (!close_to(w[j], want[k].w[j]))
				fail_msg(
				    "iteration %zu: w[%zu] = %.17g, want %.17g",
				    k + 1, j, w[j], want[k].w[j]);
	}
	lbfgs_free(lb);
}

/* L1's proximal step sets a weight whose gradient cannot outweigh λ1 to exactly
 * 0. */
static void
l1_step_reaches_exact_zero(void **state)
{
	struct optim_params hp = OPTIM_PARAMS_DEFAULT;
	double w[2] = { 0.3, 0.04 }, g[2] = { 0, 0.1 };

	(void)state;
	hp.l1 = 1;
	/* w1 − 0.1·0.1 = 0.03, threshold 0.1·1: 0; the intercept is never
	 * shrunk. */
	optim_find("gd")->step(w, g, NULL, 2, 0.1, 1, &hp);
	assert_true(w[1] == 0.0);
	assert_same_double(w[0], 0.3);
}

/* The rate sequence of each fixed schedule, where it is exact in binary. */
static void
schedules_follow_their_formulas(void **state)
{
	struct schedule_params sp = { .decay = 0.5,
		.power_t = 0.5,
		.step_size = 3,
		.epochs = 12 };
	struct schedule_state st;
	const struct schedule *inv = schedule_find("invscaling"),
			      *step = schedule_find("step"),
			      *expo = schedule_find("exponential"),
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
		assert_same_double(step->rate(&st, e),
		    0.8 / (1 << ((e - 1) / 3)));
	schedule_init(&st, expo, 0.8, &sp);
	for (unsigned long e = 1; e <= 12; e++)
		assert_same_double(expo->rate(&st, e), 0.8 / (1 << (e - 1)));
	/* Half a cosine over 12 epochs: 1, (1 + cos(π/3))/2 = 3/4 at 5, 1/2
	 * at 7. */
	schedule_init(&st, cosine, 0.8, &sp);
	assert_same_double(cosine->rate(&st, 1), 0.8);
	assert_near(cosine->rate(&st, 5), 0.6, 1e-15);
	assert_near(cosine->rate(&st, 7), 0.4, 1e-15);
	assert_near(cosine->rate(&st, 12),
	    0.8 * (1 + cos(3.14159265358979323846 * 11 / 12)) / 2, 1e-16);
	assert_true(cosine->rate(&st, 12) > 0);
	/* Defaults: step halves every 10 epochs, exponential decays by 0.95. */
	schedule_init(&st, step, 1, NULL);
	assert_same_double(step->rate(&st, 10), 1.0);
	assert_same_double(step->rate(&st, 11), 0.5);
	schedule_init(&st, expo, 1, NULL);
	assert_same_double(expo->rate(&st, 2), 0.95);
}

/*
 * Every epoch of a 12-epoch run of each fixed schedule, from base 0.8 with
 * decay 0.95, power_t 0.5 and step_size 3, against the rates the reference
 * script computes in 60-digit arithmetic: within 1e-15 relative (a few
 * roundings of pow and cos), and the first epoch exactly the base.
 */
static void
schedules_match_their_formulas_every_epoch(void **state)
{
	static const struct {
		const char *name;
		double rate[12]; /* epochs 1 to 12 */
	} want[] = {
		{ "invscaling",
		    {
			8.0000000000000004e-1,
			5.6568542494923805e-1,
			4.6188021535170064e-1,
			4.0000000000000002e-1,
			3.5777087639996637e-1,
			3.2659863237109043e-1,
			3.023715784073818e-1,
			2.8284271247461903e-1,
			2.6666666666666668e-1,
			2.5298221281347036e-1,
			2.4120907566221091e-1,
			2.3094010767585032e-1,
		    } },
		{ "exponential",
		    {
			8.0000000000000004e-1,
			7.6000000000000001e-1,
			7.2199999999999997e-1,
			6.8589999999999994e-1,
			6.5160499999999991e-1,
			6.1902474999999989e-1,
			5.8807351249999987e-1,
			5.5866983687499985e-1,
			5.3073634503124983e-1,
			5.0419952777968732e-1,
			4.7898955139070293e-1,
			4.5504007382116776e-1,
		    } },
		{ "cosine",
		    {
			8.0000000000000004e-1,
			7.8637033051562736e-1,
			7.464101615137755e-1,
			6.8284271247461905e-1,
			6.0000000000000003e-1,
			5.0352761804100833e-1,
			4.0000000000000002e-1,
			2.9647238195899171e-1,
			2.0000000000000001e-1,
			1.17157287525381e-1,
			5.3589838486224544e-2,
			1.3629669484372686e-2,
		    } },
		{ "step",
		    {
			8.0000000000000004e-1,
			8.0000000000000004e-1,
			8.0000000000000004e-1,
			7.6000000000000001e-1,
			7.6000000000000001e-1,
			7.6000000000000001e-1,
			7.2199999999999997e-1,
			7.2199999999999997e-1,
			7.2199999999999997e-1,
			6.8589999999999994e-1,
			6.8589999999999994e-1,
			6.8589999999999994e-1,
		    } },
	};
	struct schedule_params sp = { .decay = 0.95,
		.power_t = 0.5,
		.step_size = 3,
		.epochs = 12 };

	(void)state;
	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		const struct schedule *s = schedule_find(want[k].name);
		struct schedule_state st;

		assert_non_null(s);
		schedule_init(&st, s, 0.8, &sp);
		assert_same_double(s->rate(&st, 1), 0.8);
		for (unsigned long e = 1; e <= 12; e++) {
			double got = s->rate(&st, e), r = want[k].rate[e - 1];

			if (!(fabs(got - r) <= 1e-15 * r))
				fail_msg(
				    "%s, epoch %lu: rate %.17g, want %.17g",
				    want[k].name, e, got, r);
		}
	}
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
	assert_true(k < 200); /* it stopped by itself, converged */
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
		cmocka_unit_test(row_step_is_the_step_on_the_rows_gradient),
		cmocka_unit_test(schedule_init_starts_from_the_base),
		cmocka_unit_test(
		    each_rule_follows_its_hand_computed_trajectory),
		cmocka_unit_test(lbfgs_follows_its_hand_computed_trajectory),
		cmocka_unit_test(l1_step_reaches_exact_zero),
		cmocka_unit_test(schedules_follow_their_formulas),
		cmocka_unit_test(schedules_match_their_formulas_every_epoch),
		cmocka_unit_test(lbfgs_minimises_rosenbrock_without_rising),
		cmocka_unit_test(constant_schedule_keeps_the_rate),
		cmocka_unit_test(
		    plateau_halves_after_three_epochs_without_a_new_low),
		cmocka_unit_test(
		    stagewise_doubles_its_patience_after_each_halving),
		cmocka_unit_test(plateau_rate_ignores_the_epoch_number),
		cmocka_unit_test(unknown_names_are_not_found),
	};

	return cmocka_run_group_tests_name("optim", tests, NULL, NULL);
}
