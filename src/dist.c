/*
 * dist.c: Student's t and F tail probabilities and t quantiles, all from one
 * function, the regularized incomplete beta I_x(a, b):
 *
 *	P(|T| >= t) = I_x(df/2, 1/2),		x = df / (df + t²)
 *	P(F >= f)   = I_x(df2/2, df1/2),	x = df2 / (df2 + df1·f)
 *
 * I_x(a, b) is x^a (1 − x)^b / (a B(a, b)) divided by a continued fraction
 * (DLMF 8.17.22), evaluated forwards by the modified Lentz method (W. J. Lentz,
 * Applied Optics 15 (1976) 668–671; I. J. Thompson and A. R. Barnett, J.
 *Comput. Phys. 64 (1986) 490–509). The fraction converges fast for x < (a +
 *1)/(a + b + 2); above that I_x(a, b) = 1 − I_{1−x}(b, a), used only when the
 *result is not small, so that a small tail is never computed as 1 − something.
 *
 * A point x is carried with its complement 1 − x and both logarithms (struct
 * unit_pair), each computed without cancellation from what the caller knows,
 *t²/df say. With df = 1e10 the factor x^a is exp(a log x) with a = 5e9, so log
 *x must be right to about 1e-26 absolute, which x rounded to a double cannot
 *give.
 */
#include <float.h>
#include <math.h>

#include "dist.h"

static const double PI = 3.14159265358979323846;
static const double SQRT1_2 = 0.70710678118654752440;	   /* √½ */
static const double LOG_SQRT_2PI = 0.91893853320467274178; /* log √(2π) */

/* From here on log Γ is Stirling's formula plus stirling_tail. */
#define STIRLING_MIN 10.0

/*
 * The continued fraction gives up after this many terms. The t and F tails take
 * fewer than 100 for any df; only a and b both large, near the mean a/(a + b),
 * take more, about √min(a, b)/16 (6e4 at a = b = 1e12), so this covers a and b
 * up to about 1e14.
 */
#define CF_MAX_TERMS 1000000

/* A point of [0, 1] with its complement and their logarithms, each accurate. */
struct unit_pair {
	double x, y;   /* x + y = 1 */
	double lx, ly; /* log x, log y; right even where x or y underflows */
};

/* ------------------------------------------------------------------------ */
/* Logarithms of Γ and B                                                      */
/* ------------------------------------------------------------------------ */

/*
 * log Γ(z) − ((z − ½) log z − z + log √(2π)) for z >= STIRLING_MIN: Stirling's
 * series Σ B_2k / (2k (2k − 1) z^(2k−1)) (DLMF 5.11.1) to k = 7; the first term
 * left out is below 3e-17 at z = 10.
 */
static double
stirling_tail(double z)
{
	double w = 1 / (z * z);

	return (1.0 / 12 +
		   w *
		       (-1.0 / 360 +
			   w *
			       (1.0 / 1260 +
				   w *
				       (-1.0 / 1680 +
					   w *
					       (1.0 / 1188 +
						   w *
						       (-691.0 / 360360 +
							   w *
							       (1.0 /
								   156))))))) /
	    z;
}

/*
 * log B(a, b) for a, b > 0. lgamma(a) + lgamma(b) − lgamma(a + b) loses about
 * eps·lgamma(a + b) to cancellation (3e-9 at a + b = 1e6); so a large
 * argument's Γ goes through Stirling's formula, whose big terms cancel on
 * paper: log Γ(q) − log Γ(p + q) = −(q − ½) log1p(p/q) − p log(p + q) + p +
 * tails, log B(p, q) = log √(2π) − ½ log s + (p − ½) log(p/s) + (q − ½)
 * log(q/s) + tails, with s = p + q, the second when both are large.
 */
static double
lbeta(double a, double b)
{
	double p = fmin(a, b), q = fmax(a, b), s = a + b;

	if (q < STIRLING_MIN)
		return lgamma(p) + lgamma(q) - lgamma(s);
	if (p < STIRLING_MIN)
		return lgamma(p) - (q - 0.5) * log1p(p / q) - p * log(s) + p +
		    stirling_tail(q) - stirling_tail(s);
	return LOG_SQRT_2PI - 0.5 * log(s) + (p - 0.5) * log(p / s) +
	    (q - 0.5) * log1p(-p / s) + stirling_tail(p) + stirling_tail(q) -
	    stirling_tail(s);
}

/* log1p(u) − u for u > −1, without the cancellation near u = 0. */
static double
log1pmx(double u)
{
	double r, r2, term, sum = 0;

	if (fabs(u) >= 0.5)
		return log1p(u) - u;
	/* log1p(u) = 2 atanh(r) = 2 (r + r³/3 + r⁵/5 + ...) with r = u/(2 + u),
	 * and u − 2r = u·r exactly; |r| <= 1/3. */
	r = u / (2 + u);
	r2 = r * r;
	term = r;
	for (int k = 3;; k += 2) {
		double t;

		term *= r2;
		t = term / k;
		sum += t;
		if (fabs(t) <= DBL_EPSILON * fabs(sum))
			break;
	}
	return 2 * sum - u * r;
}

/* ------------------------------------------------------------------------ */
/* The incomplete beta function                                              */
/* ------------------------------------------------------------------------ */

/*
 * log of x^a y^b / B(a, b), the factor in front of the continued fraction.
 * When a and b are both large, a log x, b log y and log B are each of size a +
 * b while their sum is modest, and eps·(a + b) would be lost. Then, writing s =
 * a + b, u = x/(a/s) − 1 = (b x − a y)/a and v = y/(b/s) − 1 = −(b x − a y)/b,
 * the parts a·u + b·v cancel exactly and what is left is
 *   a (log1p(u) − u) + b (log1p(v) − v) + ½ log(ab/s) − log √(2π) − tails
 * (Stirling's formula for the three Γ). That is for |u|, |v| < 1/2: further
 * out u or v may be near −1, where 1 + u has lost its digits, and the result is
 * below exp(−0.09 min(a, b)), so the plain sum loses at most eps·745·log(s/a).
 */
static double
log_prefactor(double a, double b, const struct unit_pair *p)
{
	double s, w, tails;

	s = a + b;
	w = b * p->x - a * p->y;
	if (a < STIRLING_MIN || b < STIRLING_MIN || fabs(w) >= 0.5 * fmin(a, b))
		return a * p->lx + b * p->ly - lbeta(a, b);
	tails = stirling_tail(a) + stirling_tail(b) - stirling_tail(s);
	return a * log1pmx(w / a) + b * log1pmx(-w / b) +
	    0.5 * log(a * (b / s)) - LOG_SQRT_2PI - tails;
}

/*
 * The continued fraction of DLMF 8.17.22,
 *   I_x(a, b) = x^a y^b / (a B(a, b)) / (1 + d1/(1 + d2/(1 + ...))),
 *   d(2m+1) = −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)),
 *   d(2m)   = m (b − m) x / ((a + 2m − 1)(a + 2m)),
 * in a form that keeps its digits when a is large. There the fraction is of
 * size 1/a while d1 ≈ −1, so computed as written it loses a factor a (6e-7
 * relative at df = 1e10). Its odd part (the contraction whose convergents are
 * every second one of the original, so its value is the same), 1 + d1 − d1
 * d2/(1 + d2 + d3 − d3 d4/(1 + d4 + d5 − ...)), times a + 1, is F = λ + 1 +
 * e1/(c1 + e2/(c2 + ...)) where, with λ = a y − b x
 * (= a − (a + b) x, from the accurate pair) and k >= 1,
 *   e(k) = −(a + 1)² d(2k−1) d(2k),
 *   c(k) = (a + 1) (1 + d(2k) + d(2k+1))
 *        = (a + 1)/(a + 2k) · [k (b − k) x/(a + 2k − 1)
 *          + ((a + k)(λ + k y) + (2k + 1) a + k (3k + 2))/(a + 2k + 1)],
 * in which the parts of 1 + d(2k+1) that cancel have cancelled on paper; all
 * terms are then of size 1. Evaluated forwards by the modified Lentz method:
 * F_k = F_(k−1) C_k D_k with C_k = c(k) + e(k)/C_(k−1) and D_k = 1/(c(k) +
 * e(k) D_(k−1)), a C or D that comes out 0 replaced by a tiny number, until C_k
 * D_k is 1 to rounding. Products are taken as ratios so that nothing overflows
 * for large a and b. Returns F, or NaN if CF_MAX_TERMS terms did not do.
 */
static double
beta_cf(double a, double b, const struct unit_pair *p)
{
	const double tiny = 1e-300;
	double x = p->x, y = p->y, lambda = a * y - b * x;
	double f = lambda + 1, c, d = 0;

	if (fabs(f) < tiny)
		f = tiny;
	c = f;
	for (long k = 1; k <= CF_MAX_TERMS; k++) {
		double twok = 2 * (double)k, kd = (double)k;
		double e = ((a + 1) / (a + twok - 2)) * ((a + 1) / (a + twok)) *
		    ((a + kd - 1) / (a + twok - 1)) *
		    ((a + b + kd - 1) / (a + twok - 1)) * x *
		    (kd * ((b - kd) * x));
		double ck = ((a + 1) / (a + twok)) *
		    (kd * ((b - kd) * x) / (a + twok - 1) +
			((a + kd) / (a + twok + 1)) * (lambda + kd * y) +
			(twok + 1) * (a / (a + twok + 1)) +
			kd * (3 * kd + 2) / (a + twok + 1));
		double delta;

		d = ck + e * d;
		if (fabs(d) < tiny)
			d = tiny;
		d = 1 / d;
		c = ck + e / c;
		if (fabs(c) < tiny)
			c = tiny;
		delta = c * d;
		f *= delta;
		if (fabs(delta - 1) <= DBL_EPSILON)
			return f;
	}
	return (double)NAN;
}

/*
 * I_x(a, b) = x^a y^b / B(a, b) · (a + 1)/a / F, in logs so that nothing over-
 * or underflows on the way.
 */
static double
beta_direct(double a, double b, const struct unit_pair *p)
{
	double log_a1_a = a < 1 ? log1p(a) - log(a) : log1p(1 / a);

	return exp(log_prefactor(a, b, p) + log_a1_a - log(beta_cf(a, b, p)));
}

static struct unit_pair
pair_swap(const struct unit_pair *p)
{
	struct unit_pair s = { p->y, p->x, p->ly, p->lx };

	return s;
}

/*
 * I_x(a, b) for the point p. On the slow side of the fraction, y below
 * (b + 1)/(a + b + 2), the symmetry is used, but its r = 1 − I_(1−x)(b, a)
 * loses a factor 1/r, which matters when r is small (b well below 1 makes that
 * possible). The slow side itself loses more the smaller y is, about 1e-15/√y
 * by measurement (over a from 0.3 to 500 and b from 0.001 to 0.2), and stops
 * converging near y = 1e-12. So where y > r² the slow side is the better, and
 * is taken. (For t, b = 1/2 and r > 0.08 on this side: the symmetry always
 * serves.)
 */
static double
beta_inc_pair(double a, double b, const struct unit_pair *p)
{
	struct unit_pair q;
	double r, direct;

	/* x < (a + 1)/(a + b + 2), tested on y where x may have rounded to 1 */
	if (p->x <= 0.5 ? p->x < (a + 1) / (a + b + 2)
			: p->y > (b + 1) / (a + b + 2))
		return beta_direct(a, b, p);
	q = pair_swap(p);
	r = 1 - beta_direct(b, a, &q);
	if (r >= 0.1 || p->y <= r * r)
		return r;
	direct = beta_direct(a, b, p);
	return isnan(direct) ? r : direct;
}

/*
 * The point x = u/(u + v) with v = v1·v2, for u > 0 and v1, v2 > 0, from r =
 * v/u: x = 1/(1 + r), log x = −log1p(r), and log y = −log1p(1/r) or log r −
 * log1p(r). When v or r is out of the double range, r is carried as its
 * logarithm.
 */
static struct unit_pair
pair_from_ratio(double u, double v1, double v2)
{
	struct unit_pair p;
	double v = v1 * v2, r = v / u, lr, e;

	if (v >= DBL_MIN && v <= DBL_MAX && r >= DBL_MIN && r <= DBL_MAX) {
		p.x = 1 / (1 + r);
		p.y = r / (1 + r);
		p.lx = -log1p(r);
		p.ly = r < 1 ? log(r) - log1p(r) : -log1p(1 / r);
		return p;
	}
	lr = log(v1) + log(v2) - log(u);
	if (lr > 0) {
		e = exp(-lr);
		p.lx = -lr - log1p(e);
		p.ly = -log1p(e);
	} else {
		e = exp(lr);
		p.lx = -log1p(e);
		p.ly = lr - log1p(e);
	}
	p.x = exp(p.lx);
	p.y = exp(p.ly);
	return p;
}

double
dist_beta_inc(double a, double b, double x)
{
	struct unit_pair p;

	if (!(a > 0 && a <= DBL_MAX && b > 0 && b <= DBL_MAX && x >= 0 &&
		x <= 1))
		return (double)NAN;
	if (x == 0 || x == 1)
		return x;
	/* 1 − x is exact for x >= 1/2; below, it is rounded but log1p(−x) is
	 * not. */
	p.x = x;
	p.y = 1 - x;
	p.lx = x < 0.5 ? log(x) : log1p(-p.y);
	p.ly = x > 0.5 ? log(p.y) : log1p(-x);
	return beta_inc_pair(a, b, &p);
}

/* ------------------------------------------------------------------------ */
/* Student's t and F                                                          */
/* ------------------------------------------------------------------------ */

/*
 * For q > 0, P(|T| >= q), or with central set P(|T| < q); each is computed
 * directly, so both keep their digits when small.
 */
static double
t_prob(double q, double df, int central)
{
	struct unit_pair p, s;

	if (isinf(df))
		return central ? erf(q * SQRT1_2) : erfc(q * SQRT1_2);
	p = pair_from_ratio(df, q, q);
	if (!central)
		return beta_inc_pair(0.5 * df, 0.5, &p);
	s = pair_swap(&p);
	return beta_inc_pair(0.5, 0.5 * df, &s);
}

/*
 * log of the t density at q > 0: (1 + q²/df)^(−(df + 1)/2) / (√df B(df/2,
 * 1/2)), where log(1 + q²/df) = −log x for the x of t_prob.
 */
static double
t_log_density(double q, double df)
{
	struct unit_pair p;

	if (isinf(df))
		return -0.5 * q * q - LOG_SQRT_2PI;
	p = pair_from_ratio(df, q, q);
	return 0.5 * (df + 1) * p.lx - 0.5 * log(df) - lbeta(0.5 * df, 0.5);
}

double
dist_t_two_sided(double t, double df)
{
	if (isnan(t) || !(df > 0))
		return (double)NAN;
	if (isinf(t))
		return 0;
	if (t == 0)
		return 1;
	return t_prob(fabs(t), df, 0);
}

double
dist_f_upper(double f, double df1, double df2)
{
	struct unit_pair p;

	if (isnan(f) ||
	    !(df1 > 0 && df1 <= DBL_MAX && df2 > 0 && df2 <= DBL_MAX))
		return (double)NAN;
	if (f <= 0)
		return 1;
	if (isinf(f))
		return 0;
	p = pair_from_ratio(df2, df1, f);
	return beta_inc_pair(0.5 * df2, 0.5 * df1, &p);
}

/* ------------------------------------------------------------------------ */
/* The t quantile                                                             */
/* ------------------------------------------------------------------------ */

/*
 * The z with P(Z > z) = tail for 0 < tail <= 1/2, Z standard normal, to within
 * 4.5e-4: the rational approximation of Abramowitz and Stegun 26.2.23 in
 * w = √(−2 log tail). Only a starting point.
 */
static double
normal_upper_quantile(double tail)
{
	double w = sqrt(-2 * log(tail));

	return w -
	    (2.515517 + w * (0.802853 + w * 0.010328)) /
	    (1 + w * (1.432788 + w * (0.189269 + w * 0.001308)));
}

/*
 * The t quantile from the normal one z by the Cornish–Fisher expansion in 1/df
 * (Abramowitz and Stegun 26.7.5), good when z²/df is small.
 */
static double
cornish_fisher(double z, double df)
{
	double z2 = z * z;
	double g1 = z * (z2 + 1) / 4;
	double g2 = z * ((5 * z2 + 16) * z2 + 3) / 96;
	double g3 = z * (((3 * z2 + 19) * z2 + 17) * z2 - 15) / 384;
	double g4 = z *
	    ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) / 92160;

	return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/*
 * The t quantile from the leading term of the far tail, I_x(a, 1/2) ≈ x^a /
 * (a B(a, 1/2)) as x → 0 with a = df/2, solved for x; then q = √(df (1 − x)/x).
 * Good when q²/df is large; 0 where it has no solution.
 */
static double
tail_power_guess(double tail, double df)
{
	double a = 0.5 * df, lx = (log(2 * tail) + log(a) + lbeta(a, 0.5)) / a;

	if (!(lx < 0))
		return 0;
	return sqrt(-df * expm1(lx)) * exp(-0.5 * lx);
}

/*
 * A starting q > 0 for P(T > q) = tail: of the two above, the one closer in log
 * P; 1 if neither is a positive number (df well below 1), for the bracket to
 * improve.
 */
static double
t_guess(double tail, double df)
{
	double near = cornish_fisher(normal_upper_quantile(tail), df);
	double far = tail_power_guess(tail, df), lt = log(2 * tail);
	int near_ok = near > 0 && near <= DBL_MAX,
	    far_ok = far > 0 && far <= DBL_MAX;

	if (near_ok && far_ok)
		return fabs(log(t_prob(far, df, 0)) - lt) <
			fabs(log(t_prob(near, df, 0)) - lt)
		    ? far
		    : near;
	return near_ok ? near : far_ok ? far : 1;
}

/*
 * The q > 0 with P(T > q) = tail, 0 < tail < 1/2, from the start q: Newton's
 * method in s = log q on h = ±(log G(q) − log target), where G and target are
 * P(|T| >= q) and 2·tail for tail <= 1/4, and P(|T| < q) and 1 − 2·tail above
 * (so target is exact and at most 1/2, and G has all its digits). Against log q
 * the t tails are nearly straight lines (slope −df) and the normal one a
 * parabola, so the steps dh/ds = 2 q f(q) / G are good from afar. Every
 * evaluation narrows a bracket [lo, hi] of q; a step that leaves it is replaced
 * by bisection in log q, so the iteration cannot diverge. Stops after a Newton
 * step below 1e-11 (the error left is about its square).
 */
static double
t_newton(double tail, double df, double q)
{
	int central = tail > 0.25;
	double ltarget = log(central ? 1 - 2 * tail : 2 * tail);
	double lo = 0, hi = HUGE_VAL;

	for (int i = 0; i < 200; i++) {
		double lg = log(t_prob(q, df, central));
		double h =
		    central ? lg - ltarget : ltarget - lg; /* rises with q */
		double step, next;

		if (h == 0)
			return q;
		if (h < 0 && q == DBL_MAX)
			return HUGE_VAL;
		if (h > 0)
			hi = q;
		else
			lo = q;
		step = -h / (2 * exp(log(q) + t_log_density(q, df) - lg));
		if (fabs(step) < 1e-11)
			return q * exp(step);
		next = fmin(q * exp(step), DBL_MAX);
		if (!(next > lo && next < hi))
			next = lo == 0	? hi / 4
			    : isinf(hi) ? fmin(4 * lo, DBL_MAX)
					: sqrt(lo) * sqrt(hi);
		if (next == q)
			return q;
		q = next;
	}
	return q;
}

/* The q > 0 with P(T > q) = tail, 0 < tail < 1/2. */
static double
t_upper_quantile(double tail, double df)
{
	/* Cauchy: P(T > q) = 1/2 − atan(q)/π. Each form keeps tan's argument
	 * within π/4, where it is well conditioned. */
	if (df == 1)
		return tail < 0.25 ? 1 / tan(PI * tail)
				   : tan(PI * (0.5 - tail));
	/* P(T > q) = (1 − q/√(2 + q²))/2 */
	if (df == 2)
		return (1 - 2 * tail) / sqrt(2 * tail * (1 - tail));
	return t_newton(tail, df, t_guess(tail, df));
}

double
dist_t_quantile(double p, double df)
{
	double tail, q;

	if (isnan(p) || !(df > 0) || p < 0 || p > 1)
		return (double)NAN;
	if (p == 0)
		return -HUGE_VAL;
	if (p == 1)
		return HUGE_VAL;
	if (p == 0.5)
		return 0;
	tail = p < 0.5 ? p : 1 - p; /* exact */
	q = t_upper_quantile(tail, df);
	return p < 0.5 ? -q : q;
}
