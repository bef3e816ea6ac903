/*
 * model.h: the fitted model and its file, the weights CSV:
 *
 *     term,weight,std_weight
 *     (intercept),52.100000000000001,180.32
 *     sqft,0.11999999999999999,48.1
 *
 * weight is in the units of the input (y = intercept + Σ weight·x); std_weight is the
 * coefficient on the z-scored feature. Numbers are written with %.17g, so they read
 * back exactly. A model fitted with --missing mean has a fourth column, impute: the
 * value predict puts in a missing cell of that term's column (empty for the
 * intercept).
 */
#ifndef DESCEND_MODEL_H
#define DESCEND_MODEL_H

#include <stdio.h>
#include <stddef.h>

#include "err.h"

#define MODEL_INTERCEPT "(intercept)"

struct model {
	size_t nterms;		/* 1 + features */
	char **term;		/* (nterms) names, MODEL_INTERCEPT first */
	double *weight;		/* (nterms) in input units */
	double *std_weight;	/* (nterms) on z-scored features */
	double *impute;		/* (nterms) stands in for a missing cell; NaN: none */
	int has_impute;		/* 1: the file has the impute column */
};

/* A model of nterms terms with the given names (copied) and zero weights. */
void model_init(struct model *m, size_t nterms, const char *const *term);
void model_free(struct model *m);

/*
 * Read a weights CSV from fd (name is the file's name in messages) into m: the
 * header term,weight,std_weight (later columns are ignored), (intercept) first,
 * distinct terms, strict numbers. Returns 0, or -1 with e filled (EXIT_INPUT)
 * saying where the file is wrong.
 */
int model_read(int fd, const char *name, struct model *m, struct error *e);

/* Write the weights CSV to f. Returns 0, or -1 with e filled if f reports an error. */
int model_write(const struct model *m, FILE *f, struct error *e);

/*
 * Write the weights CSV to path, or to standard output when path is NULL. A path is
 * written through a temporary file in the same directory and renamed over it only
 * once complete and flushed, so a failure leaves an existing file untouched and no
 * partial one. Returns 0, or -1 with e filled (EXIT_INPUT).
 */
int model_save(const struct model *m, const char *path, struct error *e);

#endif
