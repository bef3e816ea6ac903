/*
 * model_json.h: the weights as JSON (model_write_json) read back, for fit
 * --init. A reader of that format alone, not of any JSON: one object with the
 * members "model", "target", "classes", "positive" and "terms" (others are
 * skipped), each term an object with "term", "class", "weight", "std_weight",
 * and optionally "impute", "shift" and "scale" (null: none), others skipped.
 */
#ifndef DESCEND_MODEL_JSON_H
#define DESCEND_MODEL_JSON_H

#include <stddef.h>

#include "failure.h"
#include "model.h"

/*
 * Read the model that text[0..len) holds (name is the file's name in
 * messages) into m, as model_read reads the CSV: (intercept) first, distinct
 * terms, a logistic model's one block of its positive class, a softmax
 * model's one block per class in the order of "classes", each listing the
 * same terms. Returns 0, or -1 with e filled (EXIT_INPUT) saying at which line
 * the text is not such a model.
 */
int model_read_json(const char *text, size_t len, const char *name,
    struct model *m, struct error *e);

#endif
