/*
 * test_dist.c: the incomplete beta function, the t and F tail probabilities and
 * the t quantile agree with values computed independently by mpmath at 50
 * digits, in the body and far out in the tails (where the result must be
 * computed directly, not as 1 − something), for non-integer and very large
 * degrees of freedom; they meet closed forms and textbook tables; and their
 * edges and bad arguments give what the header promises.
 *
 * Reference values are the 50-digit results rounded to 17 significant digits.
 * The inputs are passed to mpmath as Python floats, so it sees exactly the
 * doubles given here (2.228 is the double nearest 2.228, not the decimal).
 * Tolerances are relative: 1e-12 where the result is of ordinary size and 1e-10
 * in far tails (p < 1e-10), the accuracy dist.h promises; the values observed
 * are far smaller. The t and F tails are checked against R's pt and pf too
 * (t_and_f_tails_match_r).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>

#include "dist.h"
#include "testutil.h"

/* A reference value and the relative tolerance it is checked with. */
struct beta_case {
	double a, b, x, want, rel;
};

struct t_case {
	double t, df, want, rel;
};

struct f_case {
	double f, df1, df2, want, rel;
};

struct q_case {
	double p, df, want, rel;
};

/* ------------------------------------------------------------------------ */
/* The incomplete beta function                                              */
/* ------------------------------------------------------------------------ */

static void
beta_inc_is_one_half_at_the_centre_of_a_symmetric_beta(void **state)
{
	(void)state;
	/* I_½(a, a) = ½ exactly, by symmetry; large a takes the Stirling path.
	 */
	assert_rel(dist_beta_inc(0.5, 0.5, 0.5), 0.5, 1e-14);
	assert_rel(dist_beta_inc(3, 3, 0.5), 0.5, 1e-14);
	assert_rel(dist_beta_inc(1e6, 1e6, 0.5), 0.5, 1e-13);
	assert_rel(dist_beta_inc(1e12, 1e12, 0.5), 0.5, 1e-13);
}

static void
beta_inc_is_exact_at_the_edges_and_uniform_for_a_b_one(void **state)
{
	(void)state;
	assert_same_double(dist_beta_inc(2.5, 4, 0), 0.0);
	assert_same_double(dist_beta_inc(2.5, 4, 1), 1.0);
	assert_same_double(dist_beta_inc(1e-3, 1e6, 0), 0.0);
	assert_same_double(dist_beta_inc(1e6, 1e-3, 1), 1.0);
	/* Beta(1, 1) is uniform: I_x(1, 1) = x. */
	for (double x = 0.0625; x < 1; x += 0.0625)
		assert_rel(dist_beta_inc(1, 1, x), x, 4 * DBL_EPSILON);
	/* A far tail: the prefactor is exp(log x), which keeps |log x|·eps. */
	assert_rel(dist_beta_inc(1, 1, 1e-300), 1e-300, 1e-12);
	assert_rel(dist_beta_inc(1, 1, 0.3), 0.3, 4 * DBL_EPSILON);
}

static void
beta_inc_satisfies_the_reflection_formula(void **state)
{
	static const double ab[][2] = {
		{ 0.5, 0.5 },
		{ 2.5, 4 },
		{ 30, 0.5 },
		{ 1e-3, 2 },
		{ 50, 50 },
		{ 1e4, 2e4 },
	};

	(void)state;
	/* I_x(a, b) + I_(1−x)(b, a) = 1; both sides are computed independently
	 * whichever side of the fraction's switch x is on. */
	for (size_t i = 0; i < sizeof ab / sizeof ab[0]; i++)
		for (double x = 0.125; x < 1; x += 0.125) {
			double a = ab[i][0], b = ab[i][1];
			assert_near(dist_beta_inc(a, b, x) +
				dist_beta_inc(b, a, 1 - x),
			    1.0, 1e-13);
		}
}

/*
 * /usr/bin/python3 -c 'from mpmath import mp, mpf, beta, hyp2f1; mp.dps = 50;
 *   I = lambda a, b, x: x**a * (1-x)**b / (a*beta(a, b)) * hyp2f1(a+b, 1, a+1,
 * x, maxterms=10**6); [print(a, b, x, mp.nstr(I(mpf(a), mpf(b), mpf(x)), 17))
 *   for a, b, x in [(2.5, 4.0, 0.3), (0.5, 0.5, 0.1), (30.0, 0.5, 0.2),
 *   (5.0, 0.01, 0.9), (1e-3, 1e-3, 0.25), (100.0, 300.0, 0.05),
 *   (1e4, 2e4, 0.32), (1e6, 1e6, 0.499)]]'
 * (DLMF 8.17.8, a series of positive terms; mpmath's betainc agrees where it
 * converges.)
 */
static void
beta_inc_matches_mpmath(void **state)
{
	static const struct beta_case cases[] = {
		{ 2.5, 4, 0.3, 0.35219758590676721, 1e-12 },
		{ 0.5, 0.5, 0.1, 0.20483276469913346, 1e-12 },
		{ 30, 0.5, 0.2, 1.2265219714158839e-22, 1e-10 },
		/* b small: 1 − I_(1−x)(b, a) would be 0.006 and lose digits */
		{ 5, 0.01, 0.9, 0.0059273690703776453, 1e-12 },
		{ 1e-3, 1e-3, 0.25, 0.499451507519294, 1e-12 },
		{ 100, 300, 0.05, 3.4307959714346314e-41, 1e-10 },
		/* both large: 4.9 and 2.8 standard deviations below the mean */
		{ 1e4, 2e4, 0.32, 4.0773717349737188e-7, 1e-12 },
		{ 1e6, 1e6, 0.499, 0.0023388494069315048, 1e-12 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct beta_case *c = &cases[i];
		assert_rel(dist_beta_inc(c->a, c->b, c->x), c->want, c->rel);
	}
	/* and the complement of the last, by the reflection formula */
	assert_rel(dist_beta_inc(1e6, 1e6, 0.501), 1 - 0.0023388494069315048,
	    1e-12);
}

static void
beta_inc_rejects_bad_arguments(void **state)
{
	(void)state;
	assert_true(isnan(dist_beta_inc(0, 1, 0.5)));
	assert_true(isnan(dist_beta_inc(1, -1, 0.5)));
	assert_true(isnan(dist_beta_inc(1, 1, -0.1)));
	assert_true(isnan(dist_beta_inc(1, 1, 1.1)));
	assert_true(isnan(dist_beta_inc((double)NAN, 1, 0.5)));
	assert_true(isnan(dist_beta_inc(1, (double)NAN, 0.5)));
	assert_true(isnan(dist_beta_inc(1, 1, (double)NAN)));
	assert_true(isnan(dist_beta_inc(HUGE_VAL, 1, 0.5)));
}

/* ------------------------------------------------------------------------ */
/* Student's t                                                               */
/* ------------------------------------------------------------------------ */

/*
 * /usr/bin/python3 -c 'from mpmath import mp, mpf, betainc; mp.dps = 50;
 *   [print(t, d, mp.nstr(betainc(mpf(d)/2, mpf(1)/2, 0,
 * mpf(d)/(mpf(d)+mpf(t)**2), regularized=True), 17)) for t, d in
 * [(2.228, 10.0), (1.5, 2.5), (7.0, 2.5), (2.0, 1e6), (2.0, 1e10), (5.0, 1e15),
 * (50.0, 10.0), (1e3, 5.0), (40.0, 1e3), (37.0, 1e6), (1e200, 1.0)]]'
 */
static void
t_two_sided_matches_the_textbook_table(void **state)
{
	(void)state;
	/* Tables give t = 2.228 as the two-sided 5% point for 10 df. */
	assert_near(dist_t_two_sided(2.228, 10), 0.05, 2e-5);
	assert_rel(dist_t_two_sided(2.228, 10), 0.050011771817111365, 1e-12);
	assert_rel(dist_t_two_sided(-2.228, 10), 0.050011771817111365, 1e-12);
}

static void
t_two_sided_matches_mpmath_for_non_integer_df(void **state)
{
	(void)state;
	assert_rel(dist_t_two_sided(1.5, 2.5), 0.24783645308629626, 1e-12);
	assert_rel(dist_t_two_sided(7, 2.5), 0.01057236952759141, 1e-12);
}

static void
t_two_sided_far_tails_are_computed_directly(void **state)
{
	static const struct t_case cases[] = {
		{ 50, 10, 2.47431032930268e-13, 1e-10 },
		{ 1e3, 5, 1.8980131131979715e-14, 1e-10 },
		{ 40, 1e3, 1.0478852155173361e-209, 1e-10 },
		{ 37, 1e6, 1.8299730861802263e-299, 1e-10 },
		/* t² overflows; x = df/(df + t²) is carried as its logarithm */
		{ 1e200, 1, 6.3661977236758136e-201, 1e-10 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct t_case *c = &cases[i];
		assert_rel(dist_t_two_sided(c->t, c->df), c->want, c->rel);
	}
	assert_true(dist_t_two_sided(40, 1e3) < 1e-100);
}

/*
 * The same tails from R 4.2.2 (Debian r-base-core; pt and pf compute the tail
 * directly through pbeta, TOMS 708), a second source beside mpmath, far tails
 * (p < 1e-10) included: the p-values of quakes' intercept and stations and its
 * F test, whose p-value is subnormal. From Rscript -e 't <- c(2.228, 3.169, 50,
 * 1e3, 40, 37, 30.51381730651411, 54.77734580347456, 12, 7.5); df <- c(10, 10,
 * 10, 5, 1e3, 1e6, 995, 995, 30, 200); cat(format(2 * pt(t, df, lower.tail =
 * FALSE), digits = 17), sep = "\n")' Rscript -e 'f <- c(4.96, 10.04, 1e4,
 * 841.56521396820449, 108.07666617432638, 60, 3); d1 <- c(1, 1, 3, 4, 13, 5,
 * 19); d2 <- c(10, 10, 50, 995, 492, 200, 73); cat(format(pf(f, d1, d2,
 * lower.tail = FALSE), digits = 17), sep = "\n")' R's own error is below 1e-13
 * (against mpmath, above); 1e-12 allows for it. A subnormal double holds
 * about 6.6 significant digits at 2e-317, hence its 1e-6.
 */
static void
t_and_f_tails_match_r(void **state)
{
	static const struct t_case t[] = {
		{ 2.228, 10, 0.050011771817111327, 1e-12 },
		{ 3.169, 10, 0.010004633364384846, 1e-12 },
		{ 50, 10, 2.4743103293026876e-13, 1e-12 },
		{ 1e3, 5, 1.898013113197973e-14, 1e-12 },
		{ 40, 1e3, 1.0478852155172875e-209, 1e-12 },
		{ 37, 1e6, 1.8299730861800904e-299, 1e-12 },
		{ 30.51381730651411, 995, 7.0850245663707588e-145, 1e-12 },
		{ 54.77734580347456, 995, 1.2508070191520033e-302, 1e-12 },
		{ 12, 30, 5.5801854151992606e-13, 1e-12 },
		{ 7.5, 200, 2.0390499152928685e-12, 1e-12 },
	};
	static const struct f_case f[] = {
		{ 4.96, 1, 10, 0.050087650566468134, 1e-12 },
		{ 10.04, 1, 10, 0.010011503978642014, 1e-12 },
		{ 1e4, 3, 50, 1.9303871407587449e-69, 1e-12 },
		{ 841.56521396820449, 4, 995, 1.9744192244403525e-317, 1e-6 },
		{ 108.07666617432638, 13, 492, 6.7221747501121322e-135, 1e-12 },
		{ 60, 5, 200, 5.7805839709632528e-38, 1e-12 },
		{ 3, 19, 73, 0.00039537362989209901, 1e-12 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_rel(dist_t_two_sided(t[i].t, t[i].df), t[i].want,
		    t[i].rel);
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		assert_rel(dist_f_upper(f[i].f, f[i].df1, f[i].df2), f[i].want,
		    f[i].rel);
	/* the textbook tables' 1% points: t = 3.169 for 10 df, F = 10.04 for
	 * (1, 10) */
	assert_near(dist_t_two_sided(3.169, 10), 0.01, 1e-5);
	assert_near(dist_f_upper(10.04, 1, 10), 0.01, 2e-5);
}

static void
t_two_sided_with_large_df_approaches_the_normal(void **state)
{
	(void)state;
	/* (mpmath command above) */
	assert_rel(dist_t_two_sided(2, 1e6), 0.045500533851319208, 1e-12);
	assert_rel(dist_t_two_sided(2, 1e10), 0.045500263923353898, 1e-12);
	/*
	 * df = inf is the normal, P(|Z| >= z) = erfc(z/√2):
	 * /usr/bin/python3 -c 'from mpmath import mp, mpf, erfc, sqrt; mp.dps =
	 * 50; print(mp.nstr(erfc(mpf(1.959963984540054)/sqrt(2)), 17),
	 *   mp.nstr(erfc(mpf(5.0)/sqrt(2)), 17))'
	 */
	assert_rel(dist_t_two_sided(1.959963984540054, HUGE_VAL),
	    0.050000000000000022, 1e-12);
	assert_rel(dist_t_two_sided(5, HUGE_VAL), 5.7330314375838782e-7, 1e-12);
	/* and the t tail shrinks towards it as df grows: heavier for smaller df
	 */
	assert_true(dist_t_two_sided(5, 1e4) > dist_t_two_sided(5, 1e8));
	assert_true(dist_t_two_sided(5, 1e8) > dist_t_two_sided(5, HUGE_VAL));
	/* at df = 1e15 it is 1.7e-13 above the normal (about t⁴/(4 df)), and
	 * right */
	assert_rel(dist_t_two_sided(5, 1e15), 5.7330314375848446e-7, 1e-12);
	assert_rel(dist_t_two_sided(5, 1e15), 5.7330314375838782e-7, 1e-12);
}

static void
t_two_sided_edges_and_bad_arguments(void **state)
{
	(void)state;
	assert_same_double(dist_t_two_sided(0, 7), 1.0);
	assert_same_double(dist_t_two_sided(HUGE_VAL, 7), 0.0);
	assert_same_double(dist_t_two_sided(-HUGE_VAL, 7), 0.0);
	assert_same_double(dist_t_two_sided(-3.5, 7), dist_t_two_sided(3.5, 7));
	/* Cauchy: P(|T| >= 1) = 1 − 2 atan(1)/π = ½. */
	assert_rel(dist_t_two_sided(1, 1), 0.5, 1e-14);
	assert_true(isnan(dist_t_two_sided((double)NAN, 7)));
	assert_true(isnan(dist_t_two_sided(2, (double)NAN)));
	assert_true(isnan(dist_t_two_sided(2, 0)));
	assert_true(isnan(dist_t_two_sided(2, -3)));
}

/* ------------------------------------------------------------------------ */
/* F                                                                          */
/* ------------------------------------------------------------------------ */

/*
 * /usr/bin/python3 -c 'from mpmath import mp, mpf, betainc; mp.dps = 50;
 *   [print(f, d1, d2, mp.nstr(betainc(mpf(d2)/2, mpf(d1)/2, 0,
 *   mpf(d2)/(mpf(d2)+mpf(d1)*mpf(f)), regularized=True), 17)) for f, d1, d2 in
 *   [(4.96, 1.0, 10.0), (1e4, 3.0, 50.0), (2.5, 4.0, 20.0), (1.2, 100.0, 1e6),
 *   (3.7, 2.5, 7.5)]]'
 */
static void
f_upper_matches_the_textbook_table(void **state)
{
	(void)state;
	/* Tables give F = 4.96 as the 5% point for (1, 10) df. */
	assert_near(dist_f_upper(4.96, 1, 10), 0.05, 1e-4);
	assert_rel(dist_f_upper(4.96, 1, 10), 0.05008765056646819, 1e-12);
}

static void
f_upper_matches_mpmath(void **state)
{
	static const struct f_case cases[] = {
		{ 2.5, 4, 20, 0.075146629635274659, 1e-12 },
		{ 3.7, 2.5, 7.5, 0.070254641147607194, 1e-12 },
		/* both df large: the Stirling form of the prefactor */
		{ 1.2, 100, 1e6, 0.084419479917219274, 1e-12 },
		{ 1e4, 3, 50, 1.9303871407587142e-69, 1e-10 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct f_case *c = &cases[i];
		assert_rel(dist_f_upper(c->f, c->df1, c->df2), c->want, c->rel);
	}
}

static void
f_upper_with_one_numerator_df_is_t_squared(void **state)
{
	static const double t[] = { 0.25, 1, 2.5, 4, 12 };
	static const double df[] = { 1, 2.5, 10, 1e3, 1e6 };

	(void)state;
	/* F(1, df) is T² for T with df degrees of freedom; t² is exact here. */
	for (size_t i = 0; i < 5; i++)
		for (size_t j = 0; j < 5; j++)
			assert_rel(dist_f_upper(t[i] * t[i], 1, df[j]),
			    dist_t_two_sided(t[i], df[j]), 1e-13);
}

static void
f_upper_with_two_numerator_df_matches_closed_form(void **state)
{
	static const double f[] = { 0.1, 1, 3, 20 };
	static const double df2[] = { 1, 4, 9, 30 };

	(void)state;
	/* P(F >= f) = (1 + 2f/df2)^(−df2/2) for df1 = 2 (I_x(a, 1) = x^a). */
	for (size_t i = 0; i < 4; i++)
		for (size_t j = 0; j < 4; j++)
			assert_rel(dist_f_upper(f[i], 2, df2[j]),
			    pow(1 + 2 * f[i] / df2[j], -df2[j] / 2), 1e-13);
}

static void
f_upper_edges_and_bad_arguments(void **state)
{
	(void)state;
	assert_same_double(dist_f_upper(0, 3, 10), 1.0);
	assert_same_double(dist_f_upper(-2, 3, 10), 1.0);
	assert_same_double(dist_f_upper(-HUGE_VAL, 3, 10), 1.0);
	assert_same_double(dist_f_upper(HUGE_VAL, 3, 10), 0.0);
	assert_true(isnan(dist_f_upper((double)NAN, 3, 10)));
	assert_true(isnan(dist_f_upper(2, 0, 10)));
	assert_true(isnan(dist_f_upper(2, 3, -1)));
	assert_true(isnan(dist_f_upper(2, (double)NAN, 10)));
	assert_true(isnan(dist_f_upper(2, 3, HUGE_VAL)));
}

/* ------------------------------------------------------------------------ */
/* The t quantile                                                             */
/* ------------------------------------------------------------------------ */

/*
 * The root in s = log|q| of log P(T beyond q) = log min(p, 1 − p), started from
 * scipy's estimate:
 * /usr/bin/python3 -c 'from mpmath import mp, mpf, betainc, findroot, log, exp;
 *   from scipy.stats import t as T; mp.dps = 50; [print(p, d, mp.nstr((1 if
 *   p > 0.5 else -1) * exp(findroot(lambda s: log(betainc(mpf(d)/2, mpf(1)/2,
 * 0, mpf(d)/(mpf(d)+exp(2*s)), regularized=True)/2) - log(min(mpf(p), 1 -
 * mpf(p))), log(abs(T.ppf(p, d))))), 17)) for p, d in [(0.975, 1.0),
 * (0.975, 2.0), (0.975, 3.0), (0.975, 10.0), (0.975, 30.0), (0.975, 1e6),
 * (1e-12, 5.0), (1e-12, 1e6), (0.995, 2.5), (1e-300, 3.0), (0.6, 4.0),
 * (0.5000001, 7.0)]]'
 */
static void
t_quantile_975_matches_mpmath(void **state)
{
	static const struct q_case cases[] = {
		{ 0.975, 1, 12.706204736174693, 1e-12 }, /* tan(0.475π) */
		{ 0.975, 2, 4.3026527297494618, 1e-12 },
		{ 0.975, 3, 3.1824463052837084, 1e-12 },
		{ 0.975, 10, 2.2281388519862742, 1e-12 },
		{ 0.975, 30, 2.0422724563012379, 1e-12 },
		{ 0.975, 1e6, 1.9599663568141067, 1e-12 },
		{ 0.995, 2.5, 7.1637281389487829, 1e-12 },
		{ 0.6, 4, 0.27072229470759736, 1e-12 },
		{ 0.5000001, 7, 2.5974602742784955e-7, 1e-12 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct q_case *c = &cases[i];
		assert_rel(dist_t_quantile(c->p, c->df), c->want, c->rel);
	}
}

static void
t_quantile_far_tails_match_mpmath(void **state)
{
	(void)state;
	/* (mpmath command above) */
	assert_rel(dist_t_quantile(1e-12, 5), -393.95695957760377, 1e-12);
	assert_rel(dist_t_quantile(1e-12, 1e6), -7.0345726084112566, 1e-12);
	assert_rel(dist_t_quantile(1e-300, 3), -1.0331108360446529e+100, 1e-12);
}

static void
t_quantile_is_zero_at_one_half_and_odd_about_it(void **state)
{
	/* multiples of 2^-53, so that 1 − p is exact */
	static const double p[] = { 0x1p-40, 0x1p-10, 0.125, 0.3125, 0.46875 };
	static const double df[] = { 1, 2, 3, 7.5, 1e6 };

	(void)state;
	for (size_t j = 0; j < 5; j++) {
		assert_same_double(dist_t_quantile(0.5, df[j]), 0.0);
		/* the two compute the same tail, so they are negatives bit for
		 * bit */
		for (size_t i = 0; i < 5; i++)
			assert_same_double(dist_t_quantile(1 - p[i], df[j]),
			    -dist_t_quantile(p[i], df[j]));
	}
}

static void
t_quantile_round_trips_through_the_cdf(void **state)
{
	static const double p[] = {
		1e-300,
		1e-100,
		1e-12,
		1e-6,
		0.001,
		0.025,
		0.1,
		0.3,
		0.4999,
		0.6,
		0.9,
		0.975,
		0.999,
	};
	static const double df[] = { 1, 2, 2.5, 3, 4.5, 10, 30, 1e3, 1e6,
		1e10 };

	(void)state;
	/*
	 * P(T <= q) for the q returned is p again. The quantile's own relative
	 * error is this one over d log P / d log q, which is >= 1 here.
	 */
	for (size_t j = 0; j < sizeof df / sizeof df[0]; j++)
		for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
			double q = dist_t_quantile(p[i], df[j]);
			double tail = p[i] < 0.5 ? p[i] : 1 - p[i];
			double rel = tail < 1e-10 ? 1e-10 : 1e-12;
			assert_rel(dist_t_two_sided(q, df[j]) / 2, tail, rel);
		}
}

static void
t_quantile_of_the_normal_limit(void **state)
{
	(void)state;
	/*
	 * /usr/bin/python3 -c 'from mpmath import mp, mpf, erfinv, sqrt; mp.dps
	 * = 50; print(mp.nstr(sqrt(2)*erfinv(2*mpf(0.975)-1), 17))'
	 */
	assert_rel(dist_t_quantile(0.975, HUGE_VAL), 1.9599639845400539, 1e-12);
}

static void
t_quantile_edges_and_bad_arguments(void **state)
{
	(void)state;
	assert_same_double(dist_t_quantile(0, 5), -HUGE_VAL);
	assert_same_double(dist_t_quantile(1, 5), HUGE_VAL);
	/* beyond the double range: P(|T| >= 1.8e308) is about 3e-16 for df =
	 * 0.05 */
	assert_same_double(dist_t_quantile(1e-300, 0.05), -HUGE_VAL);
	assert_true(isnan(dist_t_quantile(-0.1, 5)));
	assert_true(isnan(dist_t_quantile(1.1, 5)));
	assert_true(isnan(dist_t_quantile((double)NAN, 5)));
	assert_true(isnan(dist_t_quantile(0.9, 0)));
	assert_true(isnan(dist_t_quantile(0.9, -1)));
	assert_true(isnan(dist_t_quantile(0.9, (double)NAN)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    beta_inc_is_one_half_at_the_centre_of_a_symmetric_beta),
		cmocka_unit_test(
		    beta_inc_is_exact_at_the_edges_and_uniform_for_a_b_one),
		cmocka_unit_test(beta_inc_satisfies_the_reflection_formula),
		cmocka_unit_test(beta_inc_matches_mpmath),
		cmocka_unit_test(beta_inc_rejects_bad_arguments),
		cmocka_unit_test(t_two_sided_matches_the_textbook_table),
		cmocka_unit_test(t_two_sided_matches_mpmath_for_non_integer_df),
		cmocka_unit_test(t_two_sided_far_tails_are_computed_directly),
		cmocka_unit_test(t_and_f_tails_match_r),
		cmocka_unit_test(
		    t_two_sided_with_large_df_approaches_the_normal),
		cmocka_unit_test(t_two_sided_edges_and_bad_arguments),
		cmocka_unit_test(f_upper_matches_the_textbook_table),
		cmocka_unit_test(f_upper_matches_mpmath),
		cmocka_unit_test(f_upper_with_one_numerator_df_is_t_squared),
		cmocka_unit_test(
		    f_upper_with_two_numerator_df_matches_closed_form),
		cmocka_unit_test(f_upper_edges_and_bad_arguments),
		cmocka_unit_test(t_quantile_975_matches_mpmath),
		cmocka_unit_test(t_quantile_far_tails_match_mpmath),
		cmocka_unit_test(
		    t_quantile_is_zero_at_one_half_and_odd_about_it),
		cmocka_unit_test(t_quantile_round_trips_through_the_cdf),
		cmocka_unit_test(t_quantile_of_the_normal_limit),
		cmocka_unit_test(t_quantile_edges_and_bad_arguments),
	};

	return cmocka_run_group_tests_name("dist", tests, NULL, NULL);
}
