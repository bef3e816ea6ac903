/*
 * loss.h: the losses, as a table. Each entry gives the loss of one prediction
 * and its derivative; the functions below turn that into the mean loss and its
 * gradient over rows of a dataset. Adding a loss is one table entry and one
 * test.
 */
#ifndef DESCEND_LOSS_H
#define DESCEND_LOSS_H

#include <stddef.h>

#include "dataset.h"

enum loss_start {
	LOSS_START_MEAN,     /* the intercept starts at mean(y) */
	LOSS_START_MEDIAN,   /* ... at median(y) */
	LOSS_START_QUANTILE, /* ... at the τ-quantile of y (τ the parameter) */
	LOSS_START_LOGIT,  /* ... at log(p / (1 − p)), p the share of y = 1 */
	LOSS_START_PRIORS, /* each class's at the log of its share */
	LOSS_START_LOG	   /* ... at log(Σy / Σe^o), o the offset (0 if
			      none): the best constant of a log link */
};

/* What the target is to the loss. */
enum loss_target {
	LOSS_NUMBER, /* a number: regression, one output */
	LOSS_BINARY, /* a class, 0 or 1: one output, the log-odds of 1 */
	LOSS_CLASSES /* a class of K: K outputs, one score per class */
};

struct loss {
	const char *name; /* as on the command line */
	enum loss_target target;
	const char *constant;  /* the best constant: "mean", "median" */
	enum loss_start start; /* where the intercept starts */
	int scale_step;	  /* 1: the step is multiplied by sd(y) (see train.c) */
	int smooth;	  /* 1: Lipschitz gradient; batch GD needs no decay */
	int quadratic;	  /* 1: the mean loss follows from the moments */
	double curvature; /* bound on d² value / d pred² (mae: mse's,
			     for its rate; see train.c); 0: none (poisson,
			     whose is 2e^pred: train.c estimates it) */
	/*
	 * Loss of one row, and its derivative d value / d pred; delta is the
	 * loss's parameter: huber's δ, quantile's τ.
	 */
	double (*value)(double pred, double y, double delta);
	double (*deriv)(double pred, double y, double delta);
	/*
	 * LOSS_CLASSES only, in place of value and deriv: the loss of one row
	 * with scores z (K) and class y, and its gradient d loss / d z into dz
	 * (K).
	 */
	double (*classes)(const double *z, size_t K, size_t y, double *dz);
};

/*
 * With ds->offset (dataset.h) the last feature is an offset: its weight, the
 * last of w, is held at 1; loss_gradient gives it a 0 gradient and loss_start
 * sets it to 1.
 */

/*
 * Outputs of a model with loss l on ds: the number of classes for LOSS_CLASSES,
 * else 1. Its weights are that many blocks of d + 1 (intercept, then features).
 */
size_t loss_outputs(const struct loss *l, const struct dataset *ds);

/* The loss named name, or NULL. */
const struct loss *loss_find(const char *name);

/* The loss names, comma-separated, for messages ("mse, mae, huber"). */
const char *loss_names(void);

/* w[0] + Σ w[j+1]·row[j]: the prediction (one output) for one row of d
 * features. */
double loss_predict(const double *w, const double *row, size_t d);

/*
 * Mean loss over rows[0..count) of ds (all rows when rows is NULL, count
 * ignored), with weights w ((d + 1): intercept, then features); delta is
 * huber's δ. With row weights (ds->rw) each row's loss, here and in the
 * gradient and the accuracy below, counts dataset_weight times: (1/count)·Σ
 * v_i·loss_i, the weighted mean over rows whose v have mean 1.
 */
double loss_mean(const struct loss *l, double delta, const struct dataset *ds,
    const size_t *rows, size_t count, const double *w);

/*
 * Gradient of that mean loss with respect to w, into grad (d + 1). Returns the
 * mean loss at w as a by-product. For a loss that is not smooth (mae, and any
 * loss made of two straight pieces that meet at r = 0) and mu > 0, the gradient
 * is that of the loss smoothed over |pred − y| ≤ mu (loss_smoothed below), and
 * *smoothed (if not NULL) gets that smoothed mean; the returned mean is the
 * loss's own. mu = 0, or a smooth loss: the loss itself, *smoothed = the mean.
 */
double loss_gradient(const struct loss *l, double delta, double mu,
    const struct dataset *ds, const size_t *rows, size_t count, const double *w,
    double *grad, double *smoothed);

/*
 * The loss of one row smoothed over a width mu > 0 around its kink (Nesterov,
 * "Smooth minimization of non-smooth functions", Math. Program. 2005; the Huber
 * function for the absolute value): with a and b the slopes of the two pieces
 * (d value / d pred below and above y) and r = pred − y, for |r| ≤ mu
 *   value(y, y) + (b − a)·mu/4 + (a + b)·r/2 + (b − a)·r²/(4·mu),
 * and the loss itself beyond. Its derivative runs straight from a to b across
 * the band, so it is Lipschitz with constant (b − a)/(2·mu), and it lies above
 * the loss by at most (b − a)·mu/4. For a smooth loss or mu = 0: the loss.
 */
double loss_smoothed_value(const struct loss *l, double pred, double y,
    double delta, double mu);
double loss_smoothed_deriv(const struct loss *l, double pred, double y,
    double delta, double mu);

/* b − a above: the jump of the derivative at the kink (0 for a smooth loss). */
double loss_kink(const struct loss *l, double delta);

/*
 * For a quadratic loss (MSE): the mean loss at w from the moments m in O(d²),
 * and its gradient into grad (d + 1) unless grad is NULL. Returns 0, or -1 when
 * the loss is so small next to the variance of y that the formula has lost its
 * digits to cancellation (a near-perfect fit): then compute it from the rows
 * instead.
 */
int loss_quadratic(const struct moments *m, const double *w, double *value,
    double *grad);

/*
 * The weights a model starts from, the best constant: every weight 0 but the
 * intercepts (one per output), at the mean, median or τ-quantile (τ = param,
 * for quantile) of y, the log-odds of class
 * 1, or the log of each class's share (smoothed, (count + 1) / (n + K), so that
 * a class absent from ds gets a finite score). w has loss_outputs·(d + 1)
 * values.
 */
void loss_start(const struct loss *l, double param, const struct dataset *ds,
    double *w);

/* For a numeric start: the intercept alone (mean, median or quantile of y). */
double loss_start_value(const struct loss *l, double param,
    const struct dataset *ds);

/*
 * For a class target: the share of rows of ds whose predicted class, from
 * weights w, is their class. One output: class 1 when the log-odds are
 * positive; K: the class of the highest score (the first of equal ones).
 */
double loss_accuracy(const struct loss *l, const struct dataset *ds,
    const double *w);

#endif
