/*
 * train.h: the epoch loop. Batch, stochastic and mini-batch gradient descent
 * over a dataset whose features are already scaled, with a loss, an update rule
 * and a schedule from their tables; reports every epoch through a callback and
 * stops when the loss diverges. Does no I/O.
 */
#ifndef DESCEND_TRAIN_H
#define DESCEND_TRAIN_H

#include <signal.h>
#include <stdint.h>

#include "dataset.h"
#include "failure.h"
#include "loss.h"
#include "optim.h"

enum train_mode {
	MODE_BATCH,    /* one step per epoch, on all rows */
	MODE_SGD,      /* one step per row */
	MODE_MINIBATCH /* one step per batch_size rows */
};

struct train_options {
	const struct loss *loss;
	int no_intercept; /* 1: every intercept stays 0 (the model has
			     none); the features must then be scaled
			     without a shift (scaler_no_shift) */
	double delta;	  /* huber's δ, in the target's units */
	double l2;	  /* λ2 ≥ 0: the objective adds λ2·‖w‖² */
	const struct optimizer *optimizer;
	struct optim_params params; /* its settings; params.l1 is λ1 ≥ 0, the
				       objective adds λ1·‖w‖₁ (weights, not the
				       intercept) */
	const struct schedule *schedule;
	struct schedule_params schedule_params;
	enum train_mode mode;
	size_t batch_size;    /* rows per step in MODE_MINIBATCH */
	double learning_rate; /* base rate, unit-free (see train_step_scale);
				 0: train_auto_rate's */
	unsigned long epochs;
	int warm;      /* 1: start from the w given to train_run (see there) */
	uint64_t seed; /* for the row order in sgd and minibatch */
	const struct dataset *validation; /* held-out rows, scaled; or NULL */
	unsigned long early_stop; /* stop after this many epochs without a
				     better validation loss; 0: never */
	double tol; /* better means lower by more than tol·|best| */
	volatile sig_atomic_t *stop; /* if not NULL: set (by a signal handler)
					to stop after the current step */
	double optimum;	  /* the lowest objective, known from an exact
			     solution, for the gap; NaN if unknown */
	unsigned threads; /* for the passes over all rows; 0 or 1:
			     the calling thread alone. The results
			     do not depend on it. */
	/*
	 * If not NULL: told, every TRAIN_PROGRESS_ROWS rows of an sgd or
	 * mini-batch epoch, which epoch (1-based) is running and the fraction
	 * of its rows done, so that the caller can show progress (train.c
	 * itself does no I/O). A batch epoch is one step and is not told.
	 */
	void (*progress)(void *ctx, unsigned long epoch, double fraction);
	void *progress_ctx;
};

/* Rows between two calls of train_options.progress. */
#define TRAIN_PROGRESS_ROWS 4096

/* What the epoch callback is told. */
struct epoch_report {
	unsigned long epoch; /* 1-based */
	double loss;	     /* mean loss over all rows after the epoch */
	double val_loss;     /* over the validation rows, or NaN */
	double objective;    /* loss plus penalties */
	double gap;	     /* objective − optimum, or NaN */
	double accuracy;     /* for a class target: share right, or NaN */
	double val_accuracy; /* the same on the validation rows, or NaN */
	double rate;	     /* learning rate in force (unit-free) */
	double seconds;	     /* wall time of the epoch */
};

typedef void (*epoch_fn)(void *ctx, const struct epoch_report *r);

/* Rows per step for the mode: n, 1 or batch_size (at most n). */
size_t train_rows_per_step(enum train_mode mode, size_t batch_size, size_t n);

/*
 * The "auto" learning rate of o's loss and optimizer for ds (scaled features)
 * and rows per step b. For the adaptive rules (adagrad, rmsprop, adam, adamw),
 * whose steps are about the rate in size whatever the gradient:
 * TRAIN_ADAPTIVE_RATE. Otherwise, with L the Lipschitz constant of the gradient
 * of the objective, c·λmax(X1ᵀX1/n) + 2·λ2, X1 = [1, X], c the loss's curvature
 * (mse 2, huber 1): 1/L for the batch mode; for b < n, 1/(2·L_b), where L_b =
 * n(b−1)/(b(n−1))·L + (n−b)/(b(n−1))·L_max and L_max = c·max_i ‖x1_i‖² + 2·λ2
 * is the expected smoothness of sampling b rows without replacement (Gower et
 * al., "SGD: General Analysis and Improved Rates", ICML 2019). m: ds's moments
 * (dataset_moments) if the caller has them, else NULL: they are made here,
 * unless ds is too wide for them (λmax then comes from passes over the rows).
 * train_run resolves a rate of 0 with this function.
 */
double train_auto_rate(const struct train_options *o, const struct dataset *ds,
    size_t b, const struct moments *m);

/* The auto rate of the adaptive rules, in units of sd(y) per step. */
#define TRAIN_ADAPTIVE_RATE 0.1

/*
 * The factor between the unit-free rate and the step: sd(y) for a loss whose
 * gradient does not grow with the residuals (MAE) and for an adaptive rule
 * (whose steps do not), so that the step is in y's units as MSE's is; 1
 * otherwise, and always for a class target, whose weights are in log-odds,
 * and for poisson, whose are in log units (of the mean).
 */
double train_step_scale(const struct train_options *o,
    const struct dataset *ds);

/*
 * The objective at w (outputs blocks of d + 1 weights on scaled features) given
 * its mean loss: loss + λ2·‖w‖² + λ1·‖w‖₁, the intercepts (the first weight of
 * each block) left out of the penalties.
 */
double train_objective(const struct train_options *o, double loss,
    const double *w, size_t d, size_t outputs);

/*
 * Why training stopped: one reason per fit, the rule that actually ended it.
 * report.c says each in words.
 */
enum train_stop {
	TRAIN_STOP_EPOCHS,	/* the epochs (-e) ran out */
	TRAIN_STOP_EARLY,	/* early stopping: early_stop epochs without a
				   better validation loss */
	TRAIN_STOP_GRADIENT,	/* L-BFGS's gradient test passed (see
				   TRAIN_GRADIENT_TOL); for a smoothed loss,
				   1e-6 at the last smoothing width
				   (train.c) */
	TRAIN_STOP_NO_DECREASE, /* L-BFGS's line search found no step that
				   lowers the objective (nor, where it is flat
				   to rounding, the gradient) */
	TRAIN_STOP_RATE_FLOOR,	/* the schedule's rate fell below
				   TRAIN_RATE_FLOOR  times its starting rate */
	TRAIN_STOP_INTERRUPTED, /* *stop was set (a signal) */
	TRAIN_STOP_DIVERGED	/* the loss diverged: train_run failed */
};

/*
 * L-BFGS stops when the gradient of the objective has fallen to this fraction
 * of its size at the start (Euclidean norms), or when no step lowers the
 * objective.
 */
#define TRAIN_GRADIENT_TOL 1e-13

/*
 * On a smoothed loss (mae, quantile), each minimisation at one smoothing width
 * ends at this fraction instead, the last one too: the smoothing at the last
 * width already costs about SMOOTHING_FLOOR of the loss (train.c).
 */
#define TRAIN_SMOOTHED_GRADIENT_TOL 1e-6

/* A relative gap (or gradient ratio) at or below which a fit is at its optimum.
 */
#define TRAIN_CERTIFIED 1e-6

/*
 * A schedule that halves its rate on a plateau stops training once the rate is
 * below this fraction of the rate it started from: about 2^-40, where a step no
 * longer changes the weights in their leading twelve digits.
 */
#define TRAIN_RATE_FLOOR 1e-12

/*
 * How far the weights returned are from the optimum, as far as training could
 * tell without solving the problem another way (see train_run).
 */
struct train_certificate {
	double rel_gap;	      /* (objective − optimum) / optimum: for mse
				 from the moments' own solution, else
				 from train_options.optimum; NaN if
				 unknown */
	double epochs_needed; /* batch gd at a constant rate on mse: at
				 most this many more epochs take the
				 gap below 1e-6 (from the contraction
				 factor of its slowest direction);
				 else NaN */
	double grad_ratio;    /* ‖∇ objective‖ at the weights returned
				 over its size at the start (smooth
				 losses), or NaN */
};

struct train_result {
	double learning_rate; /* the base rate used (auto resolved) */
	unsigned long epochs; /* epochs completed */
	double initial_loss;  /* before the first epoch */
	double loss;	      /* of the weights returned */
	double objective;     /* and their objective */
	double last_drop;     /* relative fall of the loss in the last epoch */
	double val_loss; /* validation loss of the weights returned, or NaN */
	double accuracy, val_accuracy; /* for a class target, of the weights
					  returned; else NaN */
	unsigned long best_epoch;  /* epoch of the lowest validation loss, or 0
				    */
	double best_val_loss;	   /* that loss */
	double best_train_loss;	   /* and the training loss then */
	int stopped_early;	   /* 1 if early_stop ended training */
	unsigned long interrupted; /* the epoch *stop cut short, or 0 */
	enum train_stop stop;	   /* why training ended */
	double smoothing;	   /* for a loss that is not smooth: the last
				      smoothing width (loss.h), in the
				      target's units; 0 if none */
	struct train_certificate cert;
	size_t rank; /* terms kept by the exact solver, or 0 */
	int moments; /* 1: the moments of the data were built (train.c) */
};

/*
 * For tests: this variable in the environment set to 0 or 1 makes train_run
 * leave out or build the moments wherever they serve, whatever its own choice
 * (train.c, use_moments); the results agree to rounding.
 */
#define TRAIN_MOMENTS_ENV "DESCEND_MOMENTS"

/*
 * Train w ((d + 1): intercept, then features; set here to the loss's starting
 * point) on ds. Calls fn (if not NULL) after every epoch. With a validation
 * set, each epoch's validation loss is reported; with early_stop too, training
 * stops once that many epochs pass without a better one, and w is left at the
 * best epoch's weights. When *o->stop becomes non-zero, training ends after the
 * current step and w is left at the weights of the last finished epoch
 * (r->interrupted says which epoch was cut short); that is a success, 0. With
 * lbfgs, training also ends when the gradient test passes or the line search
 * can lower the objective no further; a plateau schedule ends it when its rate
 * reaches the floor. r->stop says which. A loss that is not smooth (mae) is
 * trained on its smoothed form (loss.h) with a width that follows the step (see
 * train.c); the loss reported is always the loss itself. r->cert says how far
 * from the optimum the weights are, where that is known. Returns 0, or -1 with
 * e filled (status EXIT_DIVERGED) when the loss turns NaN or infinite or grows
 * past DIVERGENCE_FACTOR (train.c: 1000) times its starting value, or
 * (EXIT_INPUT) when even the starting loss overflows; r is filled either way.
 * With o->warm, w is not set to the starting point: training starts from the
 * w given, and the update rule's state and the schedule start afresh.
 */
int train_run(const struct train_options *o, const struct dataset *ds,
    double *w, epoch_fn fn, void *ctx, struct train_result *r, struct error *e);

#endif
