/*
 * model.h: the fitted model and its file, the weights CSV:
 *
 *     term,weight,std_weight
 *     (intercept),52.1,180.32
 *     sqft,0.12,48.1
 *
 * weight is in the units of the input (y = intercept + Σ weight·x); std_weight
 * is the coefficient on the z-scored feature. Numbers are written shortest
 * (num_format), so they read back exactly. A model fitted with --missing mean
 * has a fourth column, impute: the value predict puts in a missing cell of that
 * term's column (empty for the intercept). A model fitted with --stats has five
 * more, std_error, t, p_value, ci_low and ci_high (NA for a term not estimated:
 * aliased, or a categorical reference level), which predict ignores; for
 * logistic regression t holds the z value, and the (reference) row has NA in
 * each. A model fitted with --save-scaling or --keep-scaling has two last
 * columns, shift and scale: what training subtracted from each term's column
 * and then divided it by (empty for the intercept and a reference level), which
 * fit --init --keep-scaling reads back.
 *
 * A classification model has a class column after term, and a block of rows per
 * output, each block listing the same terms in the same order:
 *
 *     term,class,weight,std_weight
 *     (intercept),setosa,-0.41,0.33          softmax: one block per class,
 *     sepal_length,setosa,-1.02,-0.84        the probabilities e^{z_k} / Σ
 * e^{z_j}
 *     ...
 *     (intercept),virginica,...
 *
 * or, for logistic regression, one block, the log-odds of its class (the
 * positive one) against the class of a last row "(reference),LABEL,0,0".
 *
 * A model whose target is not the input's last column has a last column,
 * target, holding the target column's name on every row (readers that take the
 * columns they know by name pass over it).
 *
 * A Poisson regression model (fit -l poisson) has one more row after its terms,
 * "(poisson),0,0" (NA in any statistics cell, an impute cell empty): its mean
 * is e^z, z the linear predictor. One fitted with an offset has another after
 * it, "(offset) COL,1,1" for --offset COL (z gains the column's value) or
 * "(exposure) COL,1,1" for --exposure COL (z gains the column's log). Files
 * without these rows are read as before.
 *
 * The same model can be written as JSON (model_write_json), for other
 * programs; model_read reads either.
 */
#ifndef DESCEND_MODEL_H
#define DESCEND_MODEL_H

#include <stdio.h>
#include <stddef.h>

#include "failure.h"
#include "interval.h"

#define MODEL_INTERCEPT "(intercept)"
#define MODEL_REFERENCE "(reference)"

struct model {
	size_t nterms;	 /* 1 + features, per output */
	size_t outputs;	 /* blocks of weights: 1, or one per class (softmax) */
	size_t nclasses; /* 0: regression; else the class labels */
	char **classes;	 /* (nclasses) logistic: the reference (negative)
			    class, then the positive; softmax: one per block */
	char **term;	 /* (nterms) names, MODEL_INTERCEPT first */
	double *weight;	 /* (outputs, nterms) in input units */
	double *std_weight; /* (outputs, nterms) on z-scored features */
	double *impute; /* (nterms) stands in for a missing cell; NaN: none */
	int has_impute; /* 1: the file has the impute column */
	double *stats;	/* (nterms, MODEL_STATS) row-major: std_error, t,
			   p_value, ci_low, ci_high (NaN: NA); NULL: none.
			   Written, never read. */
	char *target;	/* the target column's name, or NULL if unknown;
			   in the JSON always, in the CSV's target column
			   when csv_target; read from either */
	int csv_target; /* 1: the CSV has the target column */
	int poisson;	/* 1: Poisson regression, the mean e^z */
	char *offset;	/* its offset column's name, or NULL: none */
	int exposure;	/* 1: the column is the exposure, its log the
			   offset; 0: the offset itself */
	double *shift;	/* (nterms) the scaler's shift of each term's
			   column, NaN for none (the intercept, a reference
			   level); NULL: the file has no scaling columns */
	double *scale;	/* (nterms) its divisor, likewise */
	struct model_iv *iv; /* fit --intervals: what prediction and
				confidence intervals need (interval.h), or
				NULL */
	struct model_conformal *conformal; /* --conformal's scores, or NULL */
};

#define MODEL_POISSON "(poisson)"
#define MODEL_OFFSET "(offset) "
#define MODEL_EXPOSURE "(exposure) "

/* How a model is written: the weights CSV, or JSON for other programs. */
enum model_format { MODEL_CSV, MODEL_JSON };

/* Columns of model.stats. */
#define MODEL_STATS 5

/*
 * A regression model of nterms terms with the given names (copied) and zero
 * weights, one output and no classes.
 */
void model_init(struct model *m, size_t nterms, const char *const *term);
void model_free(struct model *m);

/*
 * Read a weights CSV from fd (name is the file's name in messages) into m: the
 * header term,weight,std_weight (later columns are ignored but a target
 * column, whose first row's name becomes m->target), (intercept) first,
 * distinct terms, strict numbers; or the JSON model_write_json writes (it
 * begins with {), read through the same checks (model_json.h). Returns 0, or
 * -1 with e filled (EXIT_INPUT) saying where the file is wrong.
 */
int model_read(int fd, const char *name, struct model *m, struct error *e);

/* Give m the shift and scale columns, NaN in every term. */
void model_add_scaling(struct model *m);

/*
 * Make m, as built by model_init, a classification model: nclasses labels
 * (copied; for logistic the negative then the positive) and outputs blocks (1
 * for logistic, nclasses for softmax) of zero weights.
 */
void model_set_classes(struct model *m, const char *const *classes,
    size_t nclasses, size_t outputs);

/* Write the weights CSV to f. Returns 0, or -1 with e filled if f reports an
 * error. */
int model_write(const struct model *m, FILE *f, struct error *e);

/*
 * Write m to f as one JSON object (see descend(1), FILES): for regression
 * {"model":"regression","target":..,"terms":[{"term":..,"weight":..,
 * "std_weight":..[,"impute":..][,"std_error":..,"t":..,"p_value":..,
 * "ci_low":..,"ci_high":..]},...]}, for classification
 * {"model":"logistic"|"softmax",
 * "target":..,"classes":[..],["positive":..,]"terms":[{"term":..,"class":..,
 * "weight":..,"std_weight":..[,"impute":..]},...]}. Numbers shortest, null
 * for NaN (NA, no impute value) and an unknown target; names escaped as
 * json_string does. The text begins with "{" alone on its line. Returns 0, or
 * -1 with e filled if f reports an error.
 */
int model_write_json(const struct model *m, FILE *f, struct error *e);

/*
 * Write the weights CSV to path, or to standard output when path is NULL. A
 * path is written through a temporary file in the same directory and renamed
 * over it only once complete and flushed, so a failure leaves an existing file
 * untouched and no partial one. Returns 0, or -1 with e filled (EXIT_INPUT).
 */
int model_save(const struct model *m, const char *path, struct error *e);

/* model_save in the given format. */
int model_save_as(const struct model *m, const char *path,
    enum model_format format, struct error *e);

#endif
