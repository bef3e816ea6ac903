/*
 * fuzz_weights.c: libFuzzer harness for the weights file reader and the
 * predictor that applies a model to records: any bytes must give a model or a
 * filled error, and a model (regression or classification) must give
 * predictions or filled errors on a fixed small input, never a crash or a
 * sanitizer report.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "csv.h"
#include "model.h"
#include "predict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Apply the model to each record of a fixed input. */
struct run {
	const struct model *m;
	struct predictor p;
	int started;
};

static int
on_record(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct run *r = ctx;
	double *z, *proba;

	if (!r->started) {
		r->started = 1;
		return predictor_init(&r->p, r->m, "in.csv", rec, 1, 0, e);
	}
	/* As many scores as the model has outputs, and a probability per class.
	 */
	z = malloc(r->m->outputs * sizeof(double));
	proba = malloc((r->m->nclasses + 1) * sizeof(double));
	if (z == NULL || proba == NULL)
		abort();
	if (predictor_apply(&r->p, rec, z, e) != 0) {
		if (e->msg[0] == '\0')
			abort();
	} else if (r->m->nclasses > 0 &&
	    predictor_class(r->m, z, proba) >= r->m->nclasses) {
		abort(); /* a class the model does not have */
	}
	free(z);
	free(proba);
	return 0;
}

static const char input[] =
    "x,y,a,b,Type,sqft\n1,2,3,4,Small,1000\n,NA,1e300,-0,Van,\n5,6,7,8,Large,2\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model m;
	struct error e = { 0 };
	struct run r = { .m = &m };
	struct csv_options opt = { .name = "in.csv", .delimiter = ',' };
	FILE *f = tmpfile(), *in = tmpfile();

	if (f == NULL || in == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fflush(f);
	rewind(f);
	if (model_read(fileno(f), "w.csv", &m, &e) != 0) {
		if (e.msg[0] == '\0')
			abort();
	} else {
		fputs(input, in);
		fflush(in);
		rewind(in);
		r.p.unseen_zero = size & 1;
		(void)csv_read(fileno(in), &opt, on_record, &r, &e);
		predictor_free(&r.p);
		model_free(&m);
	}
	fclose(f);
	fclose(in);
	return 0;
}
