/*
 * dist.h: the distributions behind regression statistics (summary(lm)-style
 * p-values of t and F tests and confidence intervals). Pure functions of their
 * arguments: no allocation, no I/O, no state. Tail probabilities are computed
 * directly, not as 1 − something, so a p-value of 1e-300 keeps its digits.
 */
#ifndef DESCEND_DIST_H
#define DESCEND_DIST_H

/*
 * The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b),
 * the distribution function at x of a Beta(a, b) variable. Needs finite a > 0,
 * b > 0 and 0 <= x <= 1 (I_0 = 0, I_1 = 1); returns NaN for anything else, NaN
 * included. Small results are computed directly, never as 1 − something.
 * Relative error about 1e-13 or less where a or b is below 1e3, wherever the
 * result is a normal double (below that it is subnormal or 0). With a and b
 * both large the function itself amplifies the rounding of x by up to √(a + b),
 * and the error grows with it: about 1e-12 with both in the millions. Beyond
 * about 1e14 for both the result is NaN (the continued fraction would need more
 * than a million terms).
 */
double dist_beta_inc(double a, double b, double x);

/*
 * The two-sided p-value of a t statistic: P(|T| >= |t|) for T following
 * Student's t distribution with df > 0 degrees of freedom (df need not be an
 * integer; df = +inf is the standard normal). Relative error about 1e-14 for
 * p-values above 1e-10 and 1e-13 below, down to the smallest normal double
 * (1e-12 at worst, with df beyond 1e20). t = ±inf gives 0, t = 0 gives 1. NaN
 * for NaN in either argument or df <= 0.
 */
double dist_t_two_sided(double t, double df);

/*
 * The upper tail of the F distribution with df1 and df2 degrees of freedom
 * (both finite and > 0, not necessarily integers): P(F >= f), the p-value of an
 * F test. Relative error about 1e-14 for p-values above 1e-10 and 1e-12 below;
 * with df1 and df2 both large it is I_x(df2/2, df1/2) and behaves as
 * dist_beta_inc does. f <= 0 gives 1, f = +inf gives 0. NaN for NaN in any
 * argument or bad degrees of freedom.
 */
double dist_f_upper(double f, double df1, double df2);

/*
 * The quantile of Student's t distribution with df > 0 degrees of freedom (df =
 * +inf is the standard normal): the q with P(T <= q) = p, for 0 < p < 1; for a
 * 95% confidence interval, estimate ± dist_t_quantile(0.975, df) · standard
 * error. q is negative for p < 1/2, 0 at p = 1/2, and −q(1 − p) = q(p).
 * Relative error below 1e-13, for p down to the smallest normal double; a
 * quantile beyond the double range (df well below 1) is ±inf. p = 0 gives −inf
 * and p = 1 gives +inf; NaN for NaN, p outside [0, 1] or df <= 0.
 */
double dist_t_quantile(double p, double df);

#endif
