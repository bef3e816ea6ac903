/*
 * optim.c: update rules and learning-rate schedules.
 */
#include <math.h>
#include <string.h>

#include "linalg.h"
#include "optim.h"

/* Plain gradient descent: w ← w − rate·∇. */
static void
gd_step(double *w, const double *grad, double *state, size_t p, double rate,
    unsigned long t)
{
	(void)state;
	(void)t;
	linalg_axpy(-rate, grad, w, p);
}

static const struct optimizer optimizers[] = {
	{ .name = "gd", .state_per_weight = 0, .step = gd_step },
};

/* The same rate every epoch. */
static double
constant_rate(const struct schedule_state *s, unsigned long epoch)
{
	(void)epoch;
	return s->base;
}

/*
 * The two schedules below halve the rate whenever `patience` epochs pass without
 * a new lowest loss (the rule Keras calls ReduceLROnPlateau): a loss that keeps
 * falling keeps its rate.
 *
 * plateau: patience stays PLATEAU_PATIENCE. For a non-smooth loss (MAE) a stall
 * means the weights bounce around the optimum at a distance that shrinks with the
 * step, so halving closes in on it geometrically. Patience 3 was the best of 1, 3
 * and 10 on the bundled data (1 halves on noise and stalls; 10 wastes epochs).
 *
 * stagewise: patience doubles with every halving. For a smooth loss with noisy
 * gradients (sgd, mini-batch) a stall means the noise floor of the current rate,
 * which is proportional to it; reaching the lower floor of a halved rate takes
 * twice as many steps. Rate halving while stage length doubles is the step-decay
 * schedule (Ge et al., "The step decay schedule: a near optimal, geometrically
 * decaying learning rate procedure for least squares", NeurIPS 2019); with a fixed
 * patience the rate fell to nothing while the weights were still 1e-3 away.
 */
#define PLATEAU_PATIENCE 3

static double
plateau_rate(const struct schedule_state *s, unsigned long epoch)
{
	(void)epoch;
	return s->base * s->factor;
}

/* Returns 1 if the rate was halved. */
static int
halve_on_stall(struct schedule_state *s, double loss)
{
	if (loss < s->best_loss) {
		s->best_loss = loss;
		s->stalled = 0;
		return 0;
	}
	if (++s->stalled < s->patience)
		return 0;
	s->factor /= 2;
	s->stalled = 0;
	return 1;
}

static void
plateau_observe(struct schedule_state *s, double loss)
{
	halve_on_stall(s, loss);
}

static void
stagewise_observe(struct schedule_state *s, double loss)
{
	if (halve_on_stall(s, loss))
		s->patience *= 2;
}

static const struct schedule schedules[] = {
	{ .name = "constant", .rate = constant_rate, .observe = NULL },
	{ .name = "plateau", .rate = plateau_rate, .observe = plateau_observe },
	{ .name = "stagewise", .rate = plateau_rate, .observe = stagewise_observe },
};

void
schedule_init(struct schedule_state *s, double base)
{
	s->base = base;
	s->factor = 1;
	s->best_loss = HUGE_VAL;
	s->stalled = 0;
	s->patience = PLATEAU_PATIENCE;
}

const struct optimizer *
optim_find(const char *name)
{
	for (size_t i = 0; i < sizeof(optimizers) / sizeof(optimizers[0]); i++)
		if (strcmp(optimizers[i].name, name) == 0)
			return &optimizers[i];
	return NULL;
}

const struct schedule *
schedule_find(const char *name)
{
	for (size_t i = 0; i < sizeof(schedules) / sizeof(schedules[0]); i++)
		if (strcmp(schedules[i].name, name) == 0)
			return &schedules[i];
	return NULL;
}
