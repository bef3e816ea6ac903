/*
 * optim.h: update rules and learning-rate schedules, as tables. An update rule turns
 * a gradient into a change of the weights; a schedule says what rate is in force in
 * a given epoch.
 */
#ifndef DESCEND_OPTIM_H
#define DESCEND_OPTIM_H

#include <stddef.h>

struct optimizer {
	const char *name;				/* as on the command line */
	size_t state_per_weight;			/* doubles of state per weight */
	/*
	 * One step on p weights w given grad, with the rate in force; state holds
	 * p·state_per_weight doubles, zeroed before the first step; t counts steps
	 * from 1.
	 */
	void (*step)(double *w, const double *grad, double *state, size_t p,
	    double rate, unsigned long t);
};

/* What a schedule may remember between epochs. */
struct schedule_state {
	double base;			/* the rate it started from */
	double factor;			/* current rate = base·factor, for plateau */
	double best_loss;		/* lowest epoch loss seen */
	unsigned long stalled;		/* epochs since best_loss fell */
	unsigned long patience;		/* epochs of stall before the rate is halved */
};

struct schedule {
	const char *name;
	/* Rate in epoch (1-based). */
	double (*rate)(const struct schedule_state *s, unsigned long epoch);
	/* Told the loss after each epoch; NULL if the schedule does not listen. */
	void (*observe)(struct schedule_state *s, double loss);
};

/* Start a schedule from the base rate. */
void schedule_init(struct schedule_state *s, double base);

const struct optimizer *optim_find(const char *name);
const struct schedule *schedule_find(const char *name);

#endif
