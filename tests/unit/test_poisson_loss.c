/*
 * test_poisson_loss.c: -l poisson in the loss table (the unit deviance and its
 * derivative, against glm.h's Poisson loss), the offset as the last feature
 * held at weight 1 (its start, its zero gradient, every rule and mode leaving
 * it at 1), and training reaching glm_poisson's maximum-likelihood weights.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dataset.h"
#include "glm.h"
#include "loss.h"
#include "optim.h"
#include "train.h"
#include "testutil.h"

/* Rows of a count y ~ Poisson(e^(0.3 + 0.5 x + o)), x in [-1, 1], o the log
 * exposure in [0, 2], d = 2 features: x, then o (the offset, marked). */
static void
make_counts(struct dataset *ds, size_t n)
{
	const char *names[] = { "x", "logt", "y" };
	uint64_t s = 11;

	dataset_init(ds, 2, names);
	for (size_t i = 0; i < n; i++) {
		double *row = dataset_add_row(ds), x = 2 * tu_unif(&s) - 1,
		       o = 2 * tu_unif(&s), mu = exp(0.3 + 0.5 * x + o), k = 0,
		       p = exp(-mu), c = p, u = tu_unif(&s);

		/* inversion of the Poisson distribution function */
		while (u > c && k < 1000) {
			k++;
			p *= mu / k;
			c += p;
		}
		row[0] = x;
		row[1] = o;
		row[2] = k;
	}
	ds->offset = 1;
}

static void
deviance_and_derivative(void **state)
{
	const struct loss *l = loss_find("poisson");
	double ys[] = { 0, 1, 3, 17.5 }, zs[] = { -3, 0, 1.2, 4 };

	(void)state;
	assert_non_null(l);
	assert_int_equal(l->target, LOSS_NUMBER);
	for (size_t a = 0; a < 4; a++) {
		double y = ys[a];

		if (y > 0)
			assert_true(fabs(l->value(log(y), y, 0)) < 1e-14 * y);
		for (size_t b = 0; b < 4; b++) {
			double z = zs[b], h = 1e-6,
			       fd = (l->value(z + h, y, 0) -
					l->value(z - h, y, 0)) /
			    (2 * h);

			/* 2·(loss + constant) of glm.h: the unit deviance */
			assert_true(fabs(l->value(z, y, 0) -
					2 *
					    (glm_poisson_loss(z, y) +
						glm_poisson_constant(y))) <
			    1e-12 * (1 + fabs(l->value(z, y, 0))));
			assert_true(fabs(l->deriv(z, y, 0) -
					2 * glm_poisson_gradient(z, y)) <
			    1e-12 * (1 + fabs(l->deriv(z, y, 0))));
			assert_true(fabs(fd - l->deriv(z, y, 0)) <
			    1e-6 * (1 + fabs(fd)));
		}
	}
}

static void
offset_start_and_gradient(void **state)
{
	const struct loss *l = loss_find("poisson");
	struct dataset ds;
	double w[3], grad[3], sy = 0, st = 0;

	(void)state;
	make_counts(&ds, 200);
	for (size_t i = 0; i < ds.n; i++) {
		sy += dataset_target(&ds, i);
		st += exp(dataset_row(&ds, i)[1]);
	}
	loss_start(l, 0, &ds, w);
	assert_true(fabs(w[0] - log(sy / st)) < 1e-14);
	assert_true(w[1] == 0 && w[2] == 1);
	w[1] = 0.2;
	loss_gradient(l, 0, 0, &ds, NULL, 0, w, grad, NULL);
	assert_true(grad[2] == 0);
	assert_true(grad[1] != 0);
	dataset_free(&ds);
}

/* Train from the start; return the weights in w (3). */
static int
train(const char *rule, enum train_mode mode, double l1, double l2,
    unsigned long epochs, const struct dataset *ds, double *w)
{
	struct train_options o = {
		.loss = loss_find("poisson"),
		.optimizer = optim_find(rule),
		.params = OPTIM_PARAMS_DEFAULT,
		.schedule = schedule_find("constant"),
		.schedule_params = { .decay = (double)NAN },
		.mode = mode,
		.batch_size = 16,
		.epochs = epochs,
		.seed = 3,
		.l2 = l2,
		.optimum = (double)NAN,
	};
	struct train_result r;
	struct error e;

	o.params.l1 = l1;
	return train_run(&o, ds, w, NULL, NULL, &r, &e);
}

static void
offset_held_at_one(void **state)
{
	const char *rules[] = { "gd", "momentum", "nesterov", "adagrad",
		"rmsprop", "adam", "adamw" };
	enum train_mode modes[] = { MODE_BATCH, MODE_SGD, MODE_MINIBATCH };
	struct dataset ds;
	double w[3];

	(void)state;
	make_counts(&ds, 300);
	for (size_t a = 0; a < 7; a++)
		for (size_t b = 0; b < 3; b++) {
			assert_int_equal(train(rules[a], modes[b], 0.01, 0.01,
					     5, &ds, w),
			    0);
			assert_true(w[2] == 1);
			assert_true(isfinite(w[0]) && isfinite(w[1]));
		}
	assert_int_equal(train("lbfgs", MODE_BATCH, 0, 0.01, 20, &ds, w), 0);
	assert_true(w[2] == 1);
	dataset_free(&ds);
}

/* lbfgs and batch gd (auto rate) reach glm_poisson's estimate. */
static void
reaches_glm(void **state)
{
	struct dataset ds, x;
	struct glm_fit g;
	struct error e;
	double w[3], *offset;
	const char *names[] = { "x", "y" };

	(void)state;
	make_counts(&ds, 400);
	dataset_init(&x, 1, names);
	offset = calloc(ds.n, sizeof(double));
	for (size_t i = 0; i < ds.n; i++) {
		double *row = dataset_add_row(&x), *from = dataset_row(&ds, i);

		row[0] = from[0];
		row[1] = from[2];
		offset[i] = from[1];
	}
	assert_int_equal(glm_poisson(&x, offset, NULL, 1, &g, &e), 0);
	assert_int_equal(train("lbfgs", MODE_BATCH, 0, 0, 200, &ds, w), 0);
	assert_true(fabs(w[0] - g.beta[0]) < 1e-9 * fabs(g.beta[0]));
	assert_true(fabs(w[1] - g.beta[1]) < 1e-9 * fabs(g.beta[1]));
	assert_int_equal(train("gd", MODE_BATCH, 0, 0, 3000, &ds, w), 0);
	assert_true(fabs(w[0] - g.beta[0]) < 1e-9 * fabs(g.beta[0]));
	assert_true(fabs(w[1] - g.beta[1]) < 1e-9 * fabs(g.beta[1]));
	glm_fit_free(&g);
	free(offset);
	dataset_free(&x);
	dataset_free(&ds);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(deviance_and_derivative),
		cmocka_unit_test(offset_start_and_gradient),
		cmocka_unit_test(offset_held_at_one),
		cmocka_unit_test(reaches_glm),
	};

	tu_filter_from_environment();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
