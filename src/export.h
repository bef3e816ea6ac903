/*
 * export.h: a fitted model written as code that computes its predictions with
 * no descend at hand: an SQL query, a C function, a Python function or an awk
 * program. Each computes what predict does, term by term in the model's order
 * (so that the sums round alike):
 *
 *   regression   w0 + Σ w_k·x_k
 *   logistic     the probability of the positive class, 1 / (1 + e^−z)
 *   softmax      the label of the highest score (the first of equal ones)
 *
 * A term "column=level" is the indicator of that level of a text column (the
 * column's name is what comes before the first '='): 1 when the cell holds the
 * level, else 0, so a level not seen in training gives 0, as predict's
 * --unseen zero. A missing cell (SQL NULL; NaN in C; None, NaN, "" or "NA" in
 * Python; "" or "NA" in awk) takes the model's impute value where the model has
 * one (fit --missing mean), else makes the prediction missing (NULL, NaN, None,
 * an empty line). Every weight is written as the shortest decimal that reads
 * back to the same double (num.h), so nothing is lost in the copy.
 */
#ifndef DESCEND_EXPORT_H
#define DESCEND_EXPORT_H

#include <stdio.h>

#include "failure.h"
#include "model.h"

enum export_language {
	EXPORT_SQL,    /* SELECT ... AS prediction FROM "table"; */
	EXPORT_C,      /* double (or const char *) descend_predict(...) */
	EXPORT_PYTHON, /* def predict(row): row maps column names to cells */
	EXPORT_AWK     /* awk -F, -f model.awk data.csv, a CSV with a header */
};

/*
 * Write m as a program in language to f; table is the SQL table's name (the
 * others ignore it); source names the weights file in a comment. Returns 0, or
 * -1 with e filled (EXIT_INPUT) if writing to f fails or a term is a product
 * (term_is_product: fit's derived terms, which no language writes yet).
 */
int export_model(const struct model *m, enum export_language language,
    const char *table, const char *source, FILE *f, struct error *e);

#endif
