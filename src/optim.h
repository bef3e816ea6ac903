/*
 * optim.h: update rules and learning-rate schedules, as tables. An update rule
 * turns a gradient into a change of the weights; a schedule says what rate is
 * in force in a given epoch.
 */
#ifndef DESCEND_OPTIM_H
#define DESCEND_OPTIM_H

#include <stddef.h>

/*
 * The settings of the update rules; each rule reads the ones it names. The
 * intercepts (see stride) are not penalised: neither the L1 penalty nor weight
 * decay touch them.
 */
struct optim_params {
	double momentum;     /* μ of momentum and nesterov, in [0, 1) */
	double beta1;	     /* adam, adamw: decay of the gradients' mean */
	double beta2;	     /* adam, adamw, rmsprop: of their squares' mean */
	double epsilon;	     /* adagrad, rmsprop, adam, adamw: added to the
				root of the squares' mean */
	double weight_decay; /* adamw: w ← w − rate·weight_decay·w */
	double l1;	     /* λ1 ≥ 0: every step ends with the proximal
				map of rate·λ1·‖w‖₁ (soft-thresholding) */
	size_t stride;	     /* weights per output, d + 1: w[j] is an
				intercept when j % stride == 0 (0: only
				w[0] is) */
};

/* The defaults of the command line (PyTorch's, except rmsprop: see fit). */
#define OPTIM_PARAMS_DEFAULT \
	((struct optim_params){ .momentum = 0.9, \
	    .beta1 = 0.9, \
	    .beta2 = 0.999, \
	    .epsilon = 1e-8, \
	    .weight_decay = 0.01, \
	    .l1 = 0 })

/* The settings an update rule or a schedule reads, as bits of its `reads`. */
enum {
	OPTIM_READS_MOMENTUM = 1 << 0,	   /* optim_params.momentum */
	OPTIM_READS_BETA1 = 1 << 1,	   /* .beta1 */
	OPTIM_READS_BETA2 = 1 << 2,	   /* .beta2 */
	OPTIM_READS_EPSILON = 1 << 3,	   /* .epsilon */
	OPTIM_READS_WEIGHT_DECAY = 1 << 4, /* .weight_decay */
	SCHEDULE_READS_DECAY = 1 << 5,	   /* schedule_params.decay */
	SCHEDULE_READS_POWER_T = 1 << 6,   /* .power_t */
	SCHEDULE_READS_STEP_SIZE = 1 << 7  /* .step_size */
};

struct optimizer {
	const char *name;	 /* as on the command line */
	unsigned reads;		 /* OPTIM_READS_*: the
				    settings it reads */
	size_t state_per_weight; /* doubles of state per weight */
	int adaptive;		 /* 1: divides by the gradients'
				    size, so a step is about
				    `rate` in weight units */
	int sign_like;		 /* 1: steps stay about `rate`
				    in size as the gradient
				    shrinks, so a constant
				    rate never settles */
	/*
	 * One step on p weights w given grad (of the smooth part of the
	 * objective), with the rate in force; state holds p·state_per_weight
	 * doubles, zeroed before the first step; t counts steps from 1.
	 */
	void (*step)(double *w, const double *grad, double *state, size_t p,
	    double rate, unsigned long t, const struct optim_params *hp);
	/*
	 * The same step for the gradient of one row of one output, g·[1, x] +
	 * l2x2·[0, w₁..] (x of d features), computed as step would compute it
	 * from that gradient, to the bit, without writing it out: sgd takes a
	 * step a row. NULL when the rule has none.
	 */
	void (*row_step)(double *w, const double *x, size_t d, double g,
	    double l2x2, double rate, const struct optim_params *hp);
};

/* What a schedule may remember between epochs. */
struct schedule_state {
	double base;		 /* the rate it started from */
	double factor;		 /* current rate = base·factor, for plateau */
	double best_loss;	 /* lowest epoch loss seen */
	unsigned long stalled;	 /* epochs since best_loss fell */
	unsigned long patience;	 /* epochs of stall before the rate is halved */
	double decay;		 /* step, exponential: factor per step */
	double power_t;		 /* invscaling: exponent of the epoch */
	unsigned long step_size; /* step: epochs per step */
	unsigned long epochs;	 /* cosine: epochs in all */
};

/* The settings of a schedule; 0 (or NaN for decay) means the schedule's
 * default. */
struct schedule_params {
	double decay;
	double power_t;
	unsigned long step_size;
	unsigned long epochs;
};

struct schedule {
	const char *name;
	unsigned reads;	      /* SCHEDULE_READS_* of its settings */
	double default_decay; /* for step and exponential; 0 if unused */
	/* Rate in epoch (1-based). */
	double (*rate)(const struct schedule_state *s, unsigned long epoch);
	/* Told the loss after each epoch; NULL if the schedule does not listen.
	 */
	void (*observe)(struct schedule_state *s, double loss);
};

/* Start schedule sch from the base rate, with sp's settings (NULL: defaults).
 */
void schedule_init(struct schedule_state *s, const struct schedule *sch,
    double base, const struct schedule_params *sp);

const struct optimizer *optim_find(const char *name);
const struct schedule *schedule_find(const char *name);

/* The names in each table, comma-separated, for messages and help. */
const char *optim_names(void);
const char *schedule_names(void);

#endif

/*
 * L-BFGS (Nocedal, "Updating quasi-Newton matrices with limited storage", Math.
 * Comp. 1980; Nocedal & Wright, Numerical Optimization, 2nd ed., algorithms 7.4
 * and 7.5), for smooth objectives in the batch mode. Unlike the rules above it
 * evaluates the objective at trial points, through a callback that returns f(w)
 * and puts ∇f(w) into grad.
 */
typedef double (*optim_objective_fn)(void *ctx, const double *w, double *grad);

struct lbfgs;

/* Memory for p weights and the last `pairs` steps; free with lbfgs_free. */
struct lbfgs *lbfgs_new(size_t p, size_t pairs);
void lbfgs_free(struct lbfgs *lb);

/* Forget the curvature pairs: the next iteration starts along −g again. */
void lbfgs_reset(struct lbfgs *lb);

/*
 * One iteration from w, where the objective is *f and its gradient g (p): a
 * quasi-Newton direction, then a backtracking line search that accepts only a
 * step with sufficient decrease (Armijo, c1 = 1e-4), so f never rises (where f
 * is flat to a few ulps, one that makes the gradient smaller). The first
 * iteration, with no curvature pairs yet, tries step first_step along −g. On
 * success w, *f and g are those of the new point and the step length (in units
 * of the direction) is returned; 0 means no step lowers f, as happens once f is
 * at its minimum to rounding: w, *f and g are left as they were.
 */
double lbfgs_iterate(struct lbfgs *lb, double *w, double *f, double *g,
    double first_step, optim_objective_fn fg, void *ctx);
