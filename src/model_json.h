/*
 * model_json.h: the JSON that model_write_json writes, read back as the
 * weights CSV it stands for, so that model_read checks both the same way.
 */
#ifndef DESCEND_MODEL_JSON_H
#define DESCEND_MODEL_JSON_H

#include <stddef.h>

#include "failure.h"

/*
 * Turn the JSON text (len bytes) of a model (model.h: "model", "target",
 * "classes", "positive", "offset" or "exposure", "terms", each term's "term",
 * "class", "weight", "std_weight", "impute", "shift" and "scale", and
 * interval.c's "intervals" and "conformal"; other members, such as the
 * statistics, are passed over) into the weights CSV of the same model, in
 * *csv (malloc'd, *csv_len bytes; free it):
 * term[,class],weight,std_weight[,impute][,shift,scale][,interval
 * columns][,target], a logistic model's (reference) row, a Poisson model's
 * (poisson) row and its (offset) or (exposure) row. Returns 0, or -1 with e
 * filled (EXIT_INPUT) naming the byte offset where the text is not such JSON;
 * name is the file's name in messages.
 */
int model_json_to_csv(const char *text, size_t len, const char *name,
    char **csv, size_t *csv_len, struct error *e);

#endif
