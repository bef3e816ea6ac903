/*
 * optim.c: update rules and learning-rate schedules.
 *
 * Every rule minimises f(w) + λ1·‖w₁..‖₁, f smooth, by a proximal step: it
 * moves against (its transform of) the gradient of f with a step s_j per
 * weight, then applies the proximal map of s_j·λ1·|w_j|, soft-thresholding,
 * which is what makes lasso weights exactly 0 (Beck & Teboulle, "A fast
 * iterative shrinkage-thresholding algorithm", SIAM J. Imaging Sci. 2009; for
 * the adaptive rules the step is a diagonal metric, as in Duchi, Hazan &
 * Singer, JMLR 2011). Weight 0, the intercept, is never thresholded or decayed.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "failure.h"
#include "linalg.h"
#include "optim.h"

/*
 * Whether weight j is an intercept, which is never penalised. The first
 * output's weights are told apart without a division: sgd calls this for every
 * weight of every row, and a 64-bit remainder costs more than the rest of the
 * step.
 */
static int
is_intercept(size_t j, const struct optim_params *hp)
{
	if (j == 0 || hp->stride == 0 || j < hp->stride)
		return j == 0;
	return j % hp->stride == 0;
}

/*
 * w_j ← w_j − s·dir, then the proximal map of threshold·|w_j|
 * (soft-thresholding); threshold is 0 for an intercept.
 */
static void
move(double *w, size_t j, double s, double dir, double threshold)
{
	double v = w[j] - s * dir;

	if (threshold > 0)
		v = fabs(v) > threshold ? copysign(fabs(v) - threshold, v) : 0;
	w[j] = v;
}

/* Plain gradient descent: w ← w − rate·∇f. */
static void
gd_step(double *w, const double *grad, double *state, size_t p, double rate,
    unsigned long t, const struct optim_params *hp)
{
	(void)state;
	(void)t;
	for (size_t j = 0; j < p; j++)
		move(w, j, rate, grad[j],
		    is_intercept(j, hp) ? 0 : rate * hp->l1);
}

/*
 * gd_step on the gradient of one row (optimizer.row_step). Its weights are
 * 0 + g·x_j, as loss_gradient sums them from 0, plus l2x2·w_j when l2x2 > 0
 * (gradient() in train.c), the intercept's 0 + g; the loop without a penalty
 * is the one sgd runs, and it vectorizes.
 */
static LINALG_KERNEL void
gd_row_step(double *restrict w, const double *restrict x, size_t d, double g,
    double l2x2, double rate, const struct optim_params *hp)
{
	double threshold = rate * hp->l1;

	w[0] = w[0] - rate * (0.0 + g);
	if (l2x2 == 0 && threshold == 0) {
#define STEP(j) (w[(j) + 1] = w[(j) + 1] - rate * (0.0 + g * x[j]))
		LINALG_BY_FOURS(d, STEP);
#undef STEP
		return;
	}
	for (size_t j = 0; j < d; j++) {
		double gj = 0.0 + g * x[j];

		if (l2x2 > 0)
			gj += l2x2 * w[j + 1];
		move(w, j + 1, rate, gj, threshold);
	}
}

/*
 * Heavy-ball momentum (Polyak 1964), in the form PyTorch and Keras use:
 * v ← μ·v + ∇f;  w ← w − rate·v.  state: v (p).
 * Where the gradient settles, v settles at ∇f / (1 − μ): the step is in effect
 * rate / (1 − μ), so that is the step the L1 threshold goes with; with rate·λ1
 * the fixed point would be the lasso of λ1·(1 − μ), a tenth of λ1 for μ = 0.9.
 */
static void
momentum_step(double *w, const double *grad, double *state, size_t p,
    double rate, unsigned long t, const struct optim_params *hp)
{
	(void)t;
	for (size_t j = 0; j < p; j++) {
		state[j] = hp->momentum * state[j] + grad[j];
		move(w, j, rate, state[j],
		    is_intercept(j, hp) ? 0
					: rate * hp->l1 / (1 - hp->momentum));
	}
}

/*
 * Nesterov's accelerated gradient (Nesterov 1983), in the form of Sutskever et
 * al. (ICML 2013) that needs the gradient at w only:
 * v ← μ·v + ∇f;  w ← w − rate·(∇f + μ·v).  state: v (p). As for momentum, the
 * settled step is rate / (1 − μ), and the L1 threshold goes with it.
 */
static void
nesterov_step(double *w, const double *grad, double *state, size_t p,
    double rate, unsigned long t, const struct optim_params *hp)
{
	(void)t;
	for (size_t j = 0; j < p; j++) {
		state[j] = hp->momentum * state[j] + grad[j];
		move(w, j, rate, grad[j] + hp->momentum * state[j],
		    is_intercept(j, hp) ? 0
					: rate * hp->l1 / (1 - hp->momentum));
	}
}

/*
 * AdaGrad (Duchi, Hazan & Singer, JMLR 2011): each weight's step shrinks with
 * the sum of its squared gradients.  G ← G + ∇f²;  w ← w − rate·∇f / (√G + ε).
 * state: G (p).
 */
static void
adagrad_step(double *w, const double *grad, double *state, size_t p,
    double rate, unsigned long t, const struct optim_params *hp)
{
	(void)t;
	for (size_t j = 0; j < p; j++) {
		state[j] += grad[j] * grad[j];
		double s = rate / (sqrt(state[j]) + hp->epsilon);

		move(w, j, s, grad[j], is_intercept(j, hp) ? 0 : s * hp->l1);
	}
}

/*
 * RMSprop (Hinton, Coursera lecture 6e, 2012): AdaGrad with a decaying mean.
 * S ← β2·S + (1 − β2)·∇f²;  w ← w − rate·∇f / (√S + ε).  state: S (p).
 */
static void
rmsprop_step(double *w, const double *grad, double *state, size_t p,
    double rate, unsigned long t, const struct optim_params *hp)
{
	(void)t;
	for (size_t j = 0; j < p; j++) {
		double s;

		state[j] =
		    hp->beta2 * state[j] + (1 - hp->beta2) * grad[j] * grad[j];
		s = rate / (sqrt(state[j]) + hp->epsilon);
		move(w, j, s, grad[j], is_intercept(j, hp) ? 0 : s * hp->l1);
	}
}

/*
 * Adam (Kingma & Ba, ICLR 2015): m ← β1·m + (1 − β1)·∇f; v ← β2·v + (1 −
 * β2)·∇f²; bias-correct both moments, m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t);
 * then w ← w − rate·m̂ / (√v̂ + ε).  state: m (p), then v (p).
 */
static void
adam_step(double *w, const double *grad, double *state, size_t p, double rate,
    unsigned long t, const struct optim_params *hp)
{
	double *m = state, *v = state + p;
	double c1 = 1 - pow(hp->beta1, (double)t),
	       c2 = 1 - pow(hp->beta2, (double)t);

	for (size_t j = 0; j < p; j++) {
		double s;

		m[j] = hp->beta1 * m[j] + (1 - hp->beta1) * grad[j];
		v[j] = hp->beta2 * v[j] + (1 - hp->beta2) * grad[j] * grad[j];
		s = rate / (sqrt(v[j] / c2) + hp->epsilon);
		move(w, j, s, m[j] / c1, is_intercept(j, hp) ? 0 : s * hp->l1);
	}
}

/*
 * AdamW (Loshchilov & Hutter, ICLR 2019): Adam with the weight decay taken out
 * of the gradient, w ← w − rate·weight_decay·w before the Adam step (as PyTorch
 * does), so that it shrinks every weight alike whatever its gradients' size.
 */
static void
adamw_step(double *w, const double *grad, double *state, size_t p, double rate,
    unsigned long t, const struct optim_params *hp)
{
	for (size_t j = 0; j < p; j++)
		if (!is_intercept(j, hp))
			w[j] -= rate * hp->weight_decay * w[j];
	adam_step(w, grad, state, p, rate, t, hp);
}

static const struct optimizer optimizers[] = {
	{ .name = "gd",
	    .state_per_weight = 0,
	    .step = gd_step,
	    .row_step = gd_row_step },
	{ .name = "momentum",
	    .reads = OPTIM_READS_MOMENTUM,
	    .state_per_weight = 1,
	    .step = momentum_step },
	{ .name = "nesterov",
	    .reads = OPTIM_READS_MOMENTUM,
	    .state_per_weight = 1,
	    .step = nesterov_step },
	{ .name = "adagrad",
	    .reads = OPTIM_READS_EPSILON,
	    .state_per_weight = 1,
	    .adaptive = 1,
	    .step = adagrad_step },
	{ .name = "rmsprop",
	    .reads = OPTIM_READS_BETA2 | OPTIM_READS_EPSILON,
	    .state_per_weight = 1,
	    .adaptive = 1,
	    .sign_like = 1,
	    .step = rmsprop_step },
	{ .name = "adam",
	    .reads =
		OPTIM_READS_BETA1 | OPTIM_READS_BETA2 | OPTIM_READS_EPSILON,
	    .state_per_weight = 2,
	    .adaptive = 1,
	    .step = adam_step },
	{ .name = "adamw",
	    .reads = OPTIM_READS_BETA1 | OPTIM_READS_BETA2 |
		OPTIM_READS_EPSILON | OPTIM_READS_WEIGHT_DECAY,
	    .state_per_weight = 2,
	    .adaptive = 1,
	    .step = adamw_step },
	/* A whole iteration with its line search: train.c runs it (step NULL).
	 */
	{ .name = "lbfgs" },
};

/* The same rate every epoch. */
static double
constant_rate(const struct schedule_state *s, unsigned long epoch)
{
	(void)epoch;
	return s->base;
}

/*
 * The two schedules below halve the rate whenever `patience` epochs pass
 * without a new lowest loss (the rule Keras calls ReduceLROnPlateau): a loss
 * that keeps falling keeps its rate.
 *
 * plateau: patience stays PLATEAU_PATIENCE. For a non-smooth loss (MAE) a stall
 * means the weights bounce around the optimum at a distance that shrinks with
 * the step, so halving closes in on it geometrically. Patience 3 was the best
 * of 1, 3 and 10 on the bundled data (1 halves on noise and stalls; 10 wastes
 * epochs).
 *
 * stagewise: patience doubles with every halving. For a smooth loss with noisy
 * gradients (sgd, mini-batch) a stall means the noise floor of the current
 * rate, which is proportional to it; reaching the lower floor of a halved rate
 * takes twice as many steps. Rate halving while stage length doubles is the
 * step-decay schedule (Ge et al., "The step decay schedule: a near optimal,
 * geometrically decaying learning rate procedure for least squares", NeurIPS
 * 2019); with a fixed patience the rate fell to nothing while the weights were
 * still 1e-3 away.
 */
#define PLATEAU_PATIENCE 3

static double
plateau_rate(const struct schedule_state *s, unsigned long epoch)
{
	(void)epoch;
	return s->base * s->factor;
}

/* Returns 1 if the rate was halved. */
static int
halve_on_stall(struct schedule_state *s, double loss)
{
	if (loss < s->best_loss) {
		s->best_loss = loss;
		s->stalled = 0;
		return 0;
	}
	if (++s->stalled < s->patience)
		return 0;
	s->factor /= 2;
	s->stalled = 0;
	return 1;
}

static void
plateau_observe(struct schedule_state *s, double loss)
{
	halve_on_stall(s, loss);
}

static void
stagewise_observe(struct schedule_state *s, double loss)
{
	if (halve_on_stall(s, loss))
		s->patience *= 2;
}

/* base / epoch^power_t: scikit-learn's "invscaling", counted in epochs. */
static double
invscaling_rate(const struct schedule_state *s, unsigned long epoch)
{
	return s->base / pow((double)epoch, s->power_t);
}

/* base·decay^⌊(epoch − 1) / step_size⌋: the rate falls by decay every step_size
 * epochs. */
static double
step_rate(const struct schedule_state *s, unsigned long epoch)
{
	return s->base * pow(s->decay, (double)((epoch - 1) / s->step_size));
}

/* base·decay^(epoch − 1). */
static double
exponential_rate(const struct schedule_state *s, unsigned long epoch)
{
	return s->base * pow(s->decay, (double)(epoch - 1));
}

/*
 * base·(1 + cos(π·(epoch − 1) / epochs)) / 2: from base down towards 0 along
 * half a cosine over the run (Loshchilov & Hutter, "SGDR", ICLR 2017, without
 * restarts). Computed as base·sin²(π·(epochs − epoch + 1) / (2·epochs)), the
 * same number without the cancellation of 1 + cos near the end of the run
 * (where 1 + cos(11π/12) kept 14 of the digits of the rate) and with sin taken
 * of a small argument there, whose relative error it does not amplify.
 */
static double
cosine_rate(const struct schedule_state *s, unsigned long epoch)
{
	const double pi = 3.14159265358979323846;
	double left = (double)s->epochs - (double)(epoch - 1);
	double c = sin(pi * left / (2 * (double)s->epochs));

	return s->base * (c * c);
}

static const struct schedule schedules[] = {
	{ .name = "constant", .rate = constant_rate },
	{ .name = "invscaling",
	    .reads = SCHEDULE_READS_POWER_T,
	    .rate = invscaling_rate },
	{ .name = "step",
	    .reads = SCHEDULE_READS_DECAY | SCHEDULE_READS_STEP_SIZE,
	    .default_decay = 0.5,
	    .rate = step_rate },
	{ .name = "exponential",
	    .reads = SCHEDULE_READS_DECAY,
	    .default_decay = 0.95,
	    .rate = exponential_rate },
	{ .name = "cosine", .rate = cosine_rate },
	{ .name = "plateau", .rate = plateau_rate, .observe = plateau_observe },
	{ .name = "stagewise",
	    .rate = plateau_rate,
	    .observe = stagewise_observe },
};

/* Defaults of invscaling's exponent and step's epochs per step. */
#define DEFAULT_POWER_T 0.5
#define DEFAULT_STEP_SIZE 10

void
schedule_init(struct schedule_state *s, const struct schedule *sch, double base,
    const struct schedule_params *sp)
{
	static const struct schedule_params none = { .decay = (double)NAN };

	if (sp == NULL)
		sp = &none;
	s->base = base;
	s->factor = 1;
	s->best_loss = HUGE_VAL;
	s->stalled = 0;
	s->patience = PLATEAU_PATIENCE;
	s->decay = isnan(sp->decay) ? sch->default_decay : sp->decay;
	s->power_t = sp->power_t > 0 ? sp->power_t : DEFAULT_POWER_T;
	s->step_size = sp->step_size > 0 ? sp->step_size : DEFAULT_STEP_SIZE;
	s->epochs = sp->epochs > 0 ? sp->epochs : 1;
}

const struct optimizer *
optim_find(const char *name)
{
	for (size_t i = 0; i < sizeof(optimizers) / sizeof(optimizers[0]); i++)
		if (strcmp(optimizers[i].name, name) == 0)
			return &optimizers[i];
	return NULL;
}

/* The .name of every entry of table (n entries of size bytes), comma-separated.
 */
static const char *
names(const void *table, size_t n, size_t size, char *buf, size_t len)
{
	if (buf[0] != '\0')
		return buf;
	for (size_t i = 0; i < n; i++) {
		const char *name =
		    *(const char *const *)((const char *)table + i * size);

		strncat(buf, i ? ", " : "", len - strlen(buf) - 1);
		strncat(buf, name, len - strlen(buf) - 1);
	}
	return buf;
}

const char *
optim_names(void)
{
	static char buf[256];

	return names(optimizers, sizeof(optimizers) / sizeof(optimizers[0]),
	    sizeof(optimizers[0]), buf, sizeof(buf));
}

const char *
schedule_names(void)
{
	static char buf[256];

	return names(schedules, sizeof(schedules) / sizeof(schedules[0]),
	    sizeof(schedules[0]), buf, sizeof(buf));
}

const struct schedule *
schedule_find(const char *name)
{
	for (size_t i = 0; i < sizeof(schedules) / sizeof(schedules[0]); i++)
		if (strcmp(schedules[i].name, name) == 0)
			return &schedules[i];
	return NULL;
}

/*
 * L-BFGS. The curvature pairs s_i = w_{i+1} − w_i, y_i = ∇f_{i+1} − ∇f_i are
 * kept in a ring of `pairs` entries; the two-loop recursion applies the
 * inverse-Hessian estimate they define to the gradient, starting from γ·I with
 * γ = sᵀy / yᵀy of the newest pair.
 */
struct lbfgs {
	size_t p;	    /* weights */
	size_t pairs;	    /* ring size */
	size_t count;	    /* pairs stored, ≤ pairs */
	size_t next;	    /* ring slot of the next pair */
	double *s, *y;	    /* (pairs, p) each */
	double *rho;	    /* (pairs) 1 / sᵀy */
	double *alpha;	    /* (pairs) scratch of the recursion */
	double *dir;	    /* (p) search direction */
	double *trial;	    /* (p) trial point */
	double *trial_grad; /* (p) its gradient */
};

struct lbfgs *
lbfgs_new(size_t p, size_t pairs)
{
	struct lbfgs *lb = xcalloc(1, sizeof(*lb));

	lb->p = p;
	lb->pairs = pairs;
	lb->s = xcalloc(pairs * p, sizeof(double));
	lb->y = xcalloc(pairs * p, sizeof(double));
	lb->rho = xcalloc(pairs, sizeof(double));
	lb->alpha = xcalloc(pairs, sizeof(double));
	lb->dir = xcalloc(p, sizeof(double));
	lb->trial = xcalloc(p, sizeof(double));
	lb->trial_grad = xcalloc(p, sizeof(double));
	return lb;
}

void
lbfgs_free(struct lbfgs *lb)
{
	if (lb == NULL)
		return;
	free(lb->s);
	free(lb->y);
	free(lb->rho);
	free(lb->alpha);
	free(lb->dir);
	free(lb->trial);
	free(lb->trial_grad);
	free(lb);
}

void
lbfgs_reset(struct lbfgs *lb)
{
	lb->count = 0;
	lb->next = 0;
}

/* lb->dir = −H·g by the two-loop recursion, newest pair first. */
static void
lbfgs_direction(struct lbfgs *lb, const double *g)
{
	size_t p = lb->p;
	double *q = lb->dir;

	for (size_t j = 0; j < p; j++)
		q[j] = -g[j];
	for (size_t k = 0; k < lb->count; k++) {
		size_t i = (lb->next + lb->pairs - 1 - k) % lb->pairs;

		lb->alpha[i] = lb->rho[i] * linalg_dot(lb->s + i * p, q, p);
		linalg_axpy(-lb->alpha[i], lb->y + i * p, q, p);
	}
	if (lb->count > 0) {
		size_t i = (lb->next + lb->pairs - 1) % lb->pairs;
		const double *yi = lb->y + i * p;
		double gamma = 1 / (lb->rho[i] * linalg_dot(yi, yi, p));

		for (size_t j = 0; j < p; j++)
			q[j] *= gamma;
	}
	for (size_t k = lb->count; k-- > 0;) {
		size_t i = (lb->next + lb->pairs - 1 - k) % lb->pairs;
		double beta = lb->rho[i] * linalg_dot(lb->y + i * p, q, p);

		linalg_axpy(lb->alpha[i] - beta, lb->s + i * p, q, p);
	}
}

/*
 * Keep the pair of a step (s = step·dir, y = new − old gradient) if sᵀy > 0,
 * the curvature condition that keeps the estimate positive definite; a convex f
 * meets it except at the level of rounding, where the pair is better skipped:
 * sᵀy at or below LBFGS_CURVATURE_MIN·‖s‖·‖y‖ counts as rounding.
 */
#define LBFGS_CURVATURE_MIN 1e-14

static void
lbfgs_remember(struct lbfgs *lb, double step, const double *g_old,
    const double *g_new)
{
	size_t p = lb->p;
	double *s = lb->s + lb->next * p, *y = lb->y + lb->next * p, sy;

	for (size_t j = 0; j < p; j++) {
		s[j] = step * lb->dir[j];
		y[j] = g_new[j] - g_old[j];
	}
	sy = linalg_dot(s, y, p);
	if (!(sy > LBFGS_CURVATURE_MIN *
		    sqrt(linalg_dot(s, s, p) * linalg_dot(y, y, p))))
		return;
	lb->rho[lb->next] = 1 / sy;
	lb->next = (lb->next + 1) % lb->pairs;
	if (lb->count < lb->pairs)
		lb->count++;
}

/* Relative change of f below which its values are not trusted to show it. */
#define LBFGS_RESOLVED 1e-9

/* Halvings of the step before the line search gives up. */
#define LINE_SEARCH_TRIES 60

/*
 * Armijo's constant: a step is taken when f falls by at least this fraction of
 * the fall the slope predicts (10⁻⁴, Nocedal & Wright's choice).
 */
#define ARMIJO_C1 1e-4

double
lbfgs_iterate(struct lbfgs *lb, double *w, double *f, double *g,
    double first_step, optim_objective_fn fg, void *ctx)
{
	size_t p = lb->p;
	double slope, step;

	lbfgs_direction(lb, g);
	slope = linalg_dot(g, lb->dir, p);
	if (!(slope < 0)) {
		/* Not a descent direction (rounding): forget, go down the
		 * gradient. */
		lb->count = 0;
		lbfgs_direction(lb, g);
		slope = linalg_dot(g, lb->dir, p);
		if (!(slope < 0))
			return 0;
	}
	step = lb->count > 0 ? 1 : first_step;
	for (int k = 0; k < LINE_SEARCH_TRIES; k++, step /= 2) {
		double ft;

		for (size_t j = 0; j < p; j++)
			lb->trial[j] = w[j] + step * lb->dir[j];
		ft = fg(ctx, lb->trial, lb->trial_grad);
		/*
		 * Sufficient decrease (Armijo). Where the decrease the slope
		 * predicts is below LBFGS_RESOLVED of f, f's values have lost
		 * the digits that would show it (a mean squared error from
		 * the moments carries the rounding of the target's variance,
		 * which can be 1e4 times f): the decrease is measured instead
		 * by the trapezoid rule on the gradients, f(w + s) − f(w) ≈
		 * (g + g_t)ᵀs / 2, exact for a quadratic and within O(‖s‖³)
		 * otherwise. That takes the weights on to the precision of
		 * the gradient.
		 */
		if (-step * slope <= LBFGS_RESOLVED * fabs(*f)
			? !((linalg_dot(g, lb->dir, p) +
				linalg_dot(lb->trial_grad, lb->dir, p)) /
				  2 <=
			      ARMIJO_C1 * slope)
			: !(ft <= *f + ARMIJO_C1 * step * slope))
			continue;
		lbfgs_remember(lb, step, g, lb->trial_grad);
		memcpy(w, lb->trial, p * sizeof(double));
		memcpy(g, lb->trial_grad, p * sizeof(double));
		*f = ft;
		return step;
	}
	return 0;
}
