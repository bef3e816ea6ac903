/*
 * report.h: what a fit tells the person at the terminal, on a stream the caller
 * chooses (stderr): the epoch table and the closing summary; and what it writes
 * for other programs: the --log CSV, the --plot chart, the statistics as JSON.
 */
#ifndef DESCEND_REPORT_H
#define DESCEND_REPORT_H

#include <stdio.h>

#include "failure.h"
#include "stats.h"
#include "train.h"

/* Optional columns of the epoch table and log, or-ed together. */
enum {
	REPORT_VAL = 1,	    /* the validation loss */
	REPORT_GAP = 2,	    /* objective − optimum, absolute and relative */
	REPORT_ACCURACY = 4 /* accuracy (and val_accuracy with REPORT_VAL) */
};

/* The column titles of the epoch table, with the REPORT_* columns asked for. */
void report_epoch_header(FILE *f, int columns);

/* One aligned line of the epoch table. */
void report_epoch(FILE *f, const struct epoch_report *r, int columns);

/*
 * The --log CSV: its header, and one line per epoch (an empty val_loss if
 * none); REPORT_GAP adds the columns gap and rel_gap at the end, then
 * REPORT_ACCURACY accuracy and val_accuracy.
 */
void report_log_header(FILE *f, int columns);
void report_log(FILE *f, const struct epoch_report *r, int columns);

struct fit_summary {
	unsigned long epochs;
	const char *mode;     /* "batch", "sgd", "minibatch" */
	const char *loss;     /* "mse", "mae" */
	const char *constant; /* "mean", "median" */
	double rate;	      /* base learning rate (unit-free) */
	int rate_auto;	      /* 1 if chosen by -r auto */
	size_t rows, features;
	double loss_value;	  /* final loss */
	double constant_loss;	  /* loss of the best constant predictor */
	size_t val_rows;	  /* held-out rows, 0 if none */
	double val_loss;	  /* validation loss of the weights written */
	unsigned long best_epoch; /* the epoch whose weights are written
				     (early stopping), or 0 */
	int stopped_early;
	const char *optimizer;		   /* update rule, or NULL for "gd" */
	const struct train_result *result; /* of the descent: its stop reason
					      and certificate; NULL with exact
					    */
	const char *schedule;		   /* the schedule that ran */
	int quadratic;	    /* 1: mse, which --solver exact solves */
	int exact;	    /* 1: solved by QR, no epochs; 2: by coordinate
			       descent, epochs its sweeps */
	size_t rank, terms; /* with exact: terms kept, of all */
	int penalized;	    /* 1 with --l1 or --l2: print the objective */
	double objective;   /* loss plus penalties */
	int classification; /* 1: a class target, with accuracies */
	double accuracy,
	    val_accuracy; /* for classification (val: NaN if none) */
};

/*
 * The closing lines: what was run, the final loss against the best constant,
 * why training stopped (one reason of enum train_stop, naming the rule that
 * ran), and how far from the optimum the weights are, with a remedy that works
 * on the problem when they are not within TRAIN_CERTIFIED of it.
 */
void report_summary(FILE *f, const struct fit_summary *s);

/*
 * summary(lm)'s table: per term (names, st->p of them, the intercept first) the
 * estimate, standard error, t value, p-value and confidence interval, then the
 * residual standard error, R², adjusted R² and the F test.
 */
void report_stats(FILE *f, const struct fit_stats *st,
    const char *const *names);

/*
 * The same as one JSON object:
 * {"terms":[{"term":..,"estimate":..,"std_error":..,
 * "t":..,"p_value":..,"ci_low":..,"ci_high":..},...],"conf":..,"n":..,
 * "rank":..,"df":..,"sigma":..,"r2":..,"adj_r2":..,"f":..,"f_df1":..,
 * "f_df2":..,"f_p":..},
 * numbers as json_number writes them (null for NA). Returns 0, or -1 with e
 * filled if f reports an error.
 */
int report_stats_json(FILE *f, const struct fit_stats *st,
    const char *const *names, struct error *e);

/* The losses of every epoch, kept as they come for the --plot chart. */
struct report_curves {
	double *epoch;	  /* (n) 1, 2, ... */
	double *loss;	  /* (n) training loss */
	double *val_loss; /* (n) validation loss, or NaN */
	size_t n, cap;
};

/* Add epoch r to c (zeroed at first; free with report_curves_free). */
void report_curves_add(struct report_curves *c, const struct epoch_report *r);
void report_curves_free(struct report_curves *c);

/*
 * The loss curves of c as an SVG chart (see plot.h) with title: the training
 * loss solid, the validation loss dashed when validation is 1, against the
 * epoch, the y axis (log-scaled) named loss. Returns 0, or -1 with e filled if
 * writing to f failed.
 */
int report_plot(FILE *f, const struct report_curves *c, const char *title,
    const char *loss, int validation, struct error *e);

/*
 * The features ranked by the size of their z-scored weights, largest first, on
 * one line: at most `most` of them, then how many more.
 */
void report_importance(FILE *f, const char *const *names,
    const double *std_weight, size_t d, size_t most);

#endif
