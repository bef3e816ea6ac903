/*
 * loss.h: the losses, as a table. Each entry gives the loss of one prediction and its
 * derivative; the functions below turn that into the mean loss and its gradient over
 * rows of a dataset. Adding a loss is one table entry and one test.
 */
#ifndef DESCEND_LOSS_H
#define DESCEND_LOSS_H

#include <stddef.h>

#include "dataset.h"

enum loss_start {
	LOSS_START_MEAN,	/* the intercept starts at mean(y) */
	LOSS_START_MEDIAN	/* ... at median(y) */
};

struct loss {
	const char *name;		/* as on the command line */
	const char *constant;		/* the best constant: "mean", "median" */
	enum loss_start start;		/* where the intercept starts */
	int scale_step;			/* 1: the step is multiplied by sd(y) (see train.c) */
	int smooth;			/* 1: Lipschitz gradient; batch GD needs no decay */
	int quadratic;			/* 1: the mean loss follows from the moments */
	double curvature;		/* bound on d² value / d pred² (mae: mse's,
					   for its rate; see train.c) */
	/* Loss of one row, and its derivative d value / d pred; delta is huber's δ. */
	double (*value)(double pred, double y, double delta);
	double (*deriv)(double pred, double y, double delta);
};

/* The loss named name, or NULL. */
const struct loss *loss_find(const char *name);

/* The loss names, comma-separated, for messages ("mse, mae, huber"). */
const char *loss_names(void);

/* w[0] + Σ w[j+1]·row[j]: the prediction for one row of d features. */
double loss_predict(const double *w, const double *row, size_t d);

/*
 * Mean loss over rows[0..count) of ds (all rows when rows is NULL, count ignored),
 * with weights w ((d + 1): intercept, then features); delta is huber's δ.
 */
double loss_mean(const struct loss *l, double delta, const struct dataset *ds,
    const size_t *rows, size_t count, const double *w);

/*
 * Gradient of that mean loss with respect to w, into grad (d + 1). Returns the
 * mean loss at w as a by-product.
 */
double loss_gradient(const struct loss *l, double delta,
    const struct dataset *ds, const size_t *rows, size_t count, const double *w,
    double *grad);

/*
 * For a quadratic loss (MSE): the mean loss at w from the moments m in O(d²), and
 * its gradient into grad (d + 1) unless grad is NULL. Returns 0, or -1 when the
 * loss is so small next to the variance of y that the formula has lost its digits
 * to cancellation (a near-perfect fit): then compute it from the rows instead.
 */
int loss_quadratic(const struct moments *m, const double *w, double *value,
    double *grad);

/* The intercept a model with no features starts from: mean or median of y. */
double loss_start_value(const struct loss *l, const struct dataset *ds);

#endif
