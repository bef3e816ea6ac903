/*
 * train.h: the epoch loop. Batch, stochastic and mini-batch gradient descent over a
 * dataset whose features are already scaled, with a loss, an update rule and a
 * schedule from their tables; reports every epoch through a callback and stops when
 * the loss diverges. Does no I/O.
 */
#ifndef DESCEND_TRAIN_H
#define DESCEND_TRAIN_H

#include <signal.h>
#include <stdint.h>

#include "dataset.h"
#include "err.h"
#include "loss.h"
#include "optim.h"

enum train_mode {
	MODE_BATCH,		/* one step per epoch, on all rows */
	MODE_SGD,		/* one step per row */
	MODE_MINIBATCH		/* one step per batch_size rows */
};

struct train_options {
	const struct loss *loss;
	double delta;			/* huber's δ, in the target's units */
	double l2;			/* λ2 ≥ 0: the objective adds λ2·‖w‖² */
	const struct optimizer *optimizer;
	struct optim_params params;	/* its settings; params.l1 is λ1 ≥ 0, the
					   objective adds λ1·‖w‖₁ (weights, not the
					   intercept) */
	const struct schedule *schedule;
	struct schedule_params schedule_params;
	enum train_mode mode;
	size_t batch_size;		/* rows per step in MODE_MINIBATCH */
	double learning_rate;		/* base rate, unit-free (see train_step_scale);
					   0: train_auto_rate's */
	unsigned long epochs;
	uint64_t seed;			/* for the row order in sgd and minibatch */
	const struct dataset *validation;	/* held-out rows, scaled; or NULL */
	unsigned long early_stop;	/* stop after this many epochs without a
					   better validation loss; 0: never */
	double tol;			/* better means lower by more than tol·|best| */
	volatile sig_atomic_t *stop;	/* if not NULL: set (by a signal handler)
					   to stop after the current step */
	double optimum;			/* the lowest objective, known from an exact
					   solution, for the gap; NaN if unknown */
	unsigned threads;		/* for the passes over all rows; 0 or 1:
					   the calling thread alone. The results
					   do not depend on it. */
	/*
	 * If not NULL: told, every TRAIN_PROGRESS_ROWS rows of an sgd or
	 * mini-batch epoch, which epoch (1-based) is running and the fraction of
	 * its rows done, so that the caller can show progress (train.c itself
	 * does no I/O). A batch epoch is one step and is not told.
	 */
	void (*progress)(void *ctx, unsigned long epoch, double fraction);
	void *progress_ctx;
};

/* Rows between two calls of train_options.progress. */
#define TRAIN_PROGRESS_ROWS 4096

/* What the epoch callback is told. */
struct epoch_report {
	unsigned long epoch;		/* 1-based */
	double loss;			/* mean loss over all rows after the epoch */
	double val_loss;		/* over the validation rows, or NaN */
	double objective;		/* loss plus penalties */
	double gap;			/* objective − optimum, or NaN */
	double accuracy;		/* for a class target: share right, or NaN */
	double val_accuracy;		/* the same on the validation rows, or NaN */
	double rate;			/* learning rate in force (unit-free) */
	double seconds;			/* wall time of the epoch */
};

typedef void (*epoch_fn)(void *ctx, const struct epoch_report *r);

/* Rows per step for the mode: n, 1 or batch_size (at most n). */
size_t train_rows_per_step(enum train_mode mode, size_t batch_size, size_t n);

/*
 * The "auto" learning rate of o's loss and optimizer for ds (scaled features) and
 * rows per step b. For the adaptive rules (adagrad, rmsprop, adam, adamw), whose
 * steps are about the rate in size whatever the gradient: TRAIN_ADAPTIVE_RATE.
 * Otherwise, with L the Lipschitz constant of the gradient of the objective,
 * c·λmax(X1ᵀX1/n) + 2·λ2, X1 = [1, X], c the loss's curvature (mse 2, huber 1):
 * 1/L for the batch mode; for b < n, 1/(2·L_b), where
 * L_b = n(b−1)/(b(n−1))·L + (n−b)/(b(n−1))·L_max and L_max = c·max_i ‖x1_i‖² + 2·λ2
 * is the expected smoothness of sampling b rows without replacement (Gower et al.,
 * "SGD: General Analysis and Improved Rates", ICML 2019).
 */
double train_auto_rate(const struct train_options *o, const struct dataset *ds,
    size_t b);

/* The auto rate of the adaptive rules, in units of sd(y) per step. */
#define TRAIN_ADAPTIVE_RATE 0.1

/*
 * The factor between the unit-free rate and the step: sd(y) for a loss whose
 * gradient does not grow with the residuals (MAE) and for an adaptive rule (whose
 * steps do not), so that the step is in y's units as MSE's is; 1 otherwise, and
 * always for a class target, whose weights are in log-odds.
 */
double train_step_scale(const struct train_options *o, const struct dataset *ds);

/*
 * The objective at w (outputs blocks of d + 1 weights on scaled features) given
 * its mean loss: loss + λ2·‖w‖² + λ1·‖w‖₁, the intercepts (the first weight of
 * each block) left out of the penalties.
 */
double train_objective(const struct train_options *o, double loss, const double *w,
    size_t d, size_t outputs);

struct train_result {
	double learning_rate;		/* the base rate used (auto resolved) */
	unsigned long epochs;		/* epochs completed */
	double initial_loss;		/* before the first epoch */
	double loss;			/* of the weights returned */
	double objective;		/* and their objective */
	double last_drop;		/* relative fall of the loss in the last epoch */
	double val_loss;		/* validation loss of the weights returned, or NaN */
	double accuracy, val_accuracy;	/* for a class target, of the weights
					   returned; else NaN */
	unsigned long best_epoch;	/* epoch of the lowest validation loss, or 0 */
	double best_val_loss;		/* that loss */
	double best_train_loss;		/* and the training loss then */
	int stopped_early;		/* 1 if early_stop ended training */
	unsigned long interrupted;	/* the epoch *stop cut short, or 0 */
	int converged;			/* 1 if lbfgs found no lower objective */
	size_t rank;			/* terms kept by the exact solver, or 0 */
};

/*
 * Train w ((d + 1): intercept, then features; set here to the loss's starting point)
 * on ds. Calls fn (if not NULL) after every epoch. With a validation set, each
 * epoch's validation loss is reported; with early_stop too, training stops once
 * that many epochs pass without a better one, and w is left at the best epoch's
 * weights. When *o->stop becomes non-zero, training ends after the current step
 * and w is left at the weights of the last finished epoch (r->interrupted says
 * which epoch was cut short); that is a success, 0. With lbfgs, training also ends
 * when the line search can lower the objective no further (r->converged). Returns 0,
 * or -1 with e filled
 * (status EXIT_DIVERGED) when the loss turns NaN or infinite or grows past 1000 times
 * its starting value, or (EXIT_INPUT) when even the starting loss overflows; r is
 * filled either way.
 */
int train_run(const struct train_options *o, const struct dataset *ds, double *w,
    epoch_fn fn, void *ctx, struct train_result *r, struct error *e);

#endif
