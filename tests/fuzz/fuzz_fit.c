/*
 * fuzz_fit.c: libFuzzer harness for everything fit does with its input: the CSV
 * reader, column selection and number parsing (table), scaling and a few epochs
 * of training in each mode. Any input must end in success or in a filled error,
 * never a crash, a sanitizer report, a hang or a non-finite weight reported as
 * success.
 *
 * The first byte picks options (header or not, delimiter, target by number), so
 * the fuzzer explores them too; the rest is the file.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "scale.h"
#include "table.h"
#include "train.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
train_briefly(struct dataset *ds, enum train_mode mode, const char *loss)
{
	struct train_options o = {
		.loss = loss_find(loss),
		.optimizer = optim_find("gd"),
		.schedule = schedule_find("plateau"),
		.mode = mode,
		.batch_size = 3,
		.epochs = 3,
		.seed = 1,
		.delta = 1.35,
		.params = OPTIM_PARAMS_DEFAULT,
		.schedule_params = { .decay = (double)NAN },
		.optimum = (double)NAN,
	};
	struct train_result r;
	struct error e = { 0 };
	double *w = calloc(ds->d + 1, sizeof(double));

	o.learning_rate =
	    train_auto_rate(&o, ds, train_rows_per_step(mode, 3, ds->n), NULL);
	if (train_run(&o, ds, w, NULL, NULL, &r, &e) == 0) {
		for (size_t j = 0; j <= ds->d; j++)
			if (!isfinite(w[j]))
				abort(); /* success with a non-finite weight */
	} else if (e.msg[0] == '\0') {
		abort(); /* failure without a message */
	}
	free(w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char delimiters[] = { ',', ';', '\t', '|' };
	struct table_options o = { .name = "fuzz",
		.delimiter = ',',
		.header = 1 };
	struct dataset ds;
	struct scaler s;
	struct error e = { 0 };
	FILE *f;

	if (size == 0)
		return 0;
	o.header = !(data[0] & 1);
	o.delimiter = delimiters[(data[0] >> 1) & 3];
	if (data[0] & 8)
		o.target = "1";
	if ((f = tmpfile()) == NULL)
		return 0;
	fwrite(data + 1, 1, size - 1, f);
	fflush(f);
	rewind(f);
	if (table_read(fileno(f), &o, &ds, &e) != 0) {
		if (e.msg[0] == '\0')
			abort();
		fclose(f);
		return 0;
	}
	fclose(f);
	if (scaler_fit(&s, &ds, 1, 1, &e) == 0) {
		scaler_apply(&s, &ds, 1);
		train_briefly(&ds, MODE_BATCH, "mse");
		train_briefly(&ds, MODE_MINIBATCH, "mae");
	}
	scaler_free(&s);
	dataset_free(&ds);
	return 0;
}
