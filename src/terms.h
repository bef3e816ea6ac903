/*
 * terms.h: interactions and polynomial powers as new feature columns, the
 * products that R's formula terms a:b, a*b and poly(x, k, raw = TRUE) add to
 * the design matrix, for the exact solver and the statistics to fit as any
 * other column.
 */
#ifndef DESCEND_TERMS_H
#define DESCEND_TERMS_H

#include <stddef.h>

#include "dataset.h"
#include "failure.h"

/* Factors a product may have: degree 4 (x^4, a*b*c*d, a^2*b^2 ...). */
#define TERM_MAX 4

/*
 * The product of factors features of the dataset, each a 0-based feature
 * index; a feature repeated k times is its k-th power. The order of the
 * factors does not matter.
 */
struct term_product {
	size_t factors; /* 2 .. TERM_MAX */
	size_t feature[TERM_MAX];
};

/*
 * The product's name from the features' names: the distinct features in
 * increasing index order, joined by '*', a power k > 1 written "^k":
 * "wt*hp", "disp^2", "a*b^2". Returns a string to free.
 */
char *term_name(const struct dataset *ds, const struct term_product *t);

/*
 * Into out (initialised here, free with dataset_free): ds's rows with, after
 * its d features and before the target, one column per product, in the order
 * given, named by term_name. Each value is the product of the row's values
 * multiplied left to right in increasing feature order (so x^3 = (x·x)·x, as
 * R's poly(raw = TRUE) computes x^3 up to rounding). ds not spread, products
 * of features < ds->d. Returns 0, or -1 with e filled (EXIT_USAGE) for a
 * product that is not one (fewer than 2 factors, a feature out of range) or
 * that repeats a column of ds or an earlier product, and (EXIT_INPUT) for a
 * product that overflows.
 */
int terms_append(const struct dataset *ds, const struct term_product *t,
    size_t count, struct dataset *out, struct error *e);

/*
 * Whether name reads as a product as term_name writes one: it holds a '*', or a
 * '^' followed by digits alone.
 */
int term_is_product(const char *name);

/*
 * The products that fit's options ask for, resolved against ds's feature names
 * into *out (count *n, free with free()), in R's order of terms: the powers
 * first (poly's columns go with the main effects), then the interactions by
 * degree, each degree in the order given.
 *
 *   poly      "x:k[,y:m...]": x^2 .. x^k, k from 1 to TERM_MAX (1 adds none)
 *   interact  "a:b[:c...][,...]": the product of the factors
 *   cross     "a*b[*c...][,...]": every product of two or more of the factors
 *             (the factors themselves are the main effects, already features)
 *
 * Each may be NULL. A factor is a feature's name; a text column read with
 * --categorical (features "a=level") stands for each of its indicators, so a
 * product with it is one product per level, as R's model.matrix expands a
 * factor. Returns 0, or -1 with e filled (EXIT_USAGE) naming the option and
 * the factor that is not a feature, a degree out of range or a malformed
 * item.
 */
int terms_parse(const struct dataset *ds, const char *poly,
    const char *interact, const char *cross, struct term_product **out,
    size_t *n, struct error *e);

#endif
