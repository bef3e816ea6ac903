/*
 * predict.h: a model applied to the records of a CSV one at a time, its terms
 * matched to the input's columns by name, so that column order does not matter
 * and other columns are never parsed. Constant memory, whatever the input's
 * size.
 */
#ifndef DESCEND_PREDICT_H
#define DESCEND_PREDICT_H

#include <stddef.h>

#include "csv.h"
#include "failure.h"
#include "model.h"
#include "terms.h"

struct predictor {
	const struct model *m; /* not owned */
	const char *name;      /* the input's name in messages */
	size_t ncols;	       /* fields in every record */
	char **colname;	       /* (ncols) column names */
	size_t *column;	       /* (nterms) column of each term; [0] unused */
	const char **level; /* (nterms) level of an indicator term, or NULL */
	size_t *catcol;	    /* (ncatcol) columns that indicators read */
	size_t ncatcol;
	char *seen;	 /* (ncols) a level of the column matched */
	int unseen_zero; /* 1: an unseen level gives all-zero indicators */
	char *direct;	 /* (ncols) what reads it (predict.c) */
	double *value;	 /* (ncols) what predictor_take took */
	long offset;	 /* column of the model's offset (model.h), or -1 */
	size_t *nfactor; /* (nterms) 0, or the factors of a product term */
	size_t *fcol;	 /* (nterms * TERM_MAX) each factor's column */
	char **flevel;	 /* (nterms * TERM_MAX) its level (owned), or NULL */
	double *terms;	 /* (nterms) if not NULL, predictor_apply puts
			    each term's x here (1 for the intercept) */
};

/*
 * Match m's terms to the columns named by first: the header, or, when header is
 * 0, names made as table_column_name does (the last one y if last_is_y). A term
 * "column=level" with no column of that name is the indicator of a level of a
 * text column. A term of no column's name that is a product as fit names one
 * (terms.h: "a*b", "x^2", "a*b=level") is computed from its factors' columns,
 * each an input column or a level of one, multiplied in the name's order. A
 * Poisson model's offset or exposure column (model.h) is matched by name too.
 * Returns 0, or -1 with e filled (EXIT_INPUT) naming a term or an offset
 * column the input lacks or a used column whose name appears twice.
 */
int predictor_init(struct predictor *p, const struct model *m, const char *name,
    const struct csv_record *first, int header, int last_is_y, struct error *e);

/* Index of the column named spec (a name first, then a 1-based number), or -1.
 */
long predictor_column(const struct predictor *p, const char *spec);

/* Whether term k reads column col (itself, or as a factor of a product). */
int predictor_reads(const struct predictor *p, size_t k, size_t col);

/*
 * A field hook (csv.h) for the records given to predictor_apply: a field of a
 * column that only number terms read, which is a number, is converted at once
 * into p->value (not shared: each thread needs its own seen and value) and
 * taken; a field of a column that no term reads is taken as it is, never to
 * be copied; anything else (text, a missing value, a bad number) is left to
 * predictor_apply, which says what is wrong with it.
 */
int predictor_take(struct predictor *p, size_t index, const char *s,
    size_t len);

/*
 * The model's prediction for rec into out (m->outputs values: one, or a score
 * per class): intercept + Σ weight·x per output, an indicator's x being 1 if
 * the cell holds its level, else 0, and a missing cell's the model's impute
 * value; for a Poisson model with an offset, plus the offset (the log of an
 * exposure): the linear predictor log μ. Returns 0, or -1 with e filled
 * (EXIT_INPUT) for a record of the wrong width, a used cell that is not a
 * number, a missing offset or an exposure ≤ 0, a missing cell the model cannot
 * impute, or a level not seen in training (unless unseen_zero). A field that
 * predictor_take took (NULL in rec) is read from p->value.
 */
int predictor_apply(const struct predictor *p, const struct csv_record *rec,
    double *out, struct error *e);

/*
 * Whether rec has a missing cell (table_is_missing) where a term reads one
 * that the model has no impute value for: the rows --missing drop leaves out.
 * A record of the wrong width has none (predictor_apply says what is wrong).
 */
int predictor_missing(const struct predictor *p, const struct csv_record *rec);

/*
 * For a classification model, the class (index into m->classes) of the scores z
 * (m->outputs): the positive class (1) when the log-odds are positive, else the
 * class of the highest score, the first of equal ones. If proba is not NULL,
 * the probability of each class goes there (m->nclasses), computed without
 * overflow: σ from exp(−|z|), the softmax from scores less the highest.
 */
size_t predictor_class(const struct model *m, const double *z, double *proba);

void predictor_free(struct predictor *p);

#endif
