/*
 * dataset.h: the training data as one dense, contiguous block of doubles,
 * row-major, each row holding the d features and then the target, so a step
 * that visits a row touches one cache-friendly span. Rows are appended while
 * reading, with no per-row allocation.
 *
 * Invariants: x holds n rows of stride d + 1; names holds d + 1 strings, target
 * last. A dataset whose map is set reads its rows from a read-only mapping of a
 * file (see cache.h): x points into it, and nothing may write, grow or free x;
 * the functions below that write rows assert that they are not given one.
 *
 * A dataset whose spread is set holds one rank's share of rows spread over the
 * ranks of a cluster (cluster.h), the shares in rank order making the whole in
 * the order of the input. The functions that sum over all rows (the moments,
 * the target's statistics, and scaler_fit, solve_least_squares, train_run) then
 * combine the shares, and are collective: every rank calls them in step. A view
 * (dataset_rows) is of this rank's rows alone, and not spread.
 */
#ifndef DESCEND_DATASET_H
#define DESCEND_DATASET_H

#include <stddef.h>

#include "failure.h"

struct dataset {
	size_t n;	 /* rows */
	size_t d;	 /* features */
	double *x;	 /* (n, d + 1) row-major: features, then target */
	size_t capacity; /* rows that x has room for */
	char **names;	 /* (d + 1) column names, target last */
	size_t classes;	 /* 0: the target is a number; else the number of
			    its labels, and it holds 0..classes − 1 */
	void *map;	 /* NULL, or the read-only mapping x points into */
	size_t map_size; /* its length in bytes */
	int spread;	 /* 1: this rank's share of the rows (see above) */
	int reread;	 /* 1: its rows are to be read again epoch after
			    epoch: the block dataset_reserve allocates goes
			    on huge pages (see dataset.c) */
	double *rw;	 /* NULL, or (n) row weights, finite and ≥ 0, that
			    go with the rows (views, gathers, shuffles) */
	double rw_norm;	 /* the losses weigh row i by rw[i]·rw_norm:
			    dataset_weigh sets it to n / Σ rw, so that
			    (1/n)·Σ rw_norm·rw_i·loss_i is the weighted
			    mean Σ rw_i·loss_i / Σ rw_i */
	int offset;	 /* 1: the last feature is an offset (log
			    exposure) added to the linear predictor with
			    its weight held at 1, never scaled (loss.h) */
};

/*
 * Row i's weight in the losses' means: rw_i·rw_norm, or 1 without weights
 * (see dataset_weigh).
 */
static inline double
dataset_weight(const struct dataset *ds, size_t i)
{
	return ds->rw != NULL ? ds->rw[i] * ds->rw_norm : 1;
}

/*
 * Set ds->rw_norm to n / Σ rw over ds's rows (a view has its own), so that
 * the mean of dataset_weight over them is 1. Returns Σ rw (n without
 * weights); with Σ rw = 0 rw_norm is 0 and every weighted mean 0.
 */
double dataset_weigh(struct dataset *ds);

/* Start an empty dataset of d features with the given names (copied). */
void dataset_init(struct dataset *ds, size_t d, const char *const *names);

/* Release everything ds owns (unmapping a mapping); ds is left empty. */
void dataset_free(struct dataset *ds);

/*
 * Room for one more row at the end, returned for the caller to fill (d + 1
 * values), or NULL when memory runs out (ds unchanged). Grows geometrically.
 */
double *dataset_add_row(struct dataset *ds);

/*
 * Rows [start, start + count) of ds as a dataset that shares ds's memory and
 * names: a view, valid while ds is, never to be freed or grown.
 */
struct dataset dataset_rows(const struct dataset *ds, size_t start,
    size_t count);

/*
 * Overwrite dst's rows with the rows of src listed in rows[0..count): dst must
 * have src's width (dataset_init); it is given room for count rows, on huge
 * pages if src is reread (dst then is too).
 */
void dataset_gather(struct dataset *dst, const struct dataset *src,
    const size_t *rows, size_t count);

/*
 * Room for n rows in ds, allocated now; exits if memory runs out. A large block
 * for a reread dataset is asked to be on huge pages (madvise), before any of it
 * is written.
 */
void dataset_reserve(struct dataset *ds, size_t n);

/* The same, but returns -1 (ds unchanged) when memory runs out, else 0. */
int dataset_try_reserve(struct dataset *ds, size_t n);

/*
 * Mean imputation: the mean of each feature over the rows of train (a view of
 * ds or ds itself) that have a value (not NaN) goes into value (d), and
 * replaces every NaN feature in ds. Returns 0, or -1 with e filled (EXIT_INPUT)
 * when a feature has no value at all in train.
 */
int dataset_impute(struct dataset *ds, const struct dataset *train,
    double *value, struct error *e);

/*
 * Leave out rows equal, in every feature and the target, to an earlier row; the
 * rest keep their order. Returns how many were left out.
 */
size_t dataset_drop_duplicates(struct dataset *ds);

/*
 * Fold k (0-based) of K over n rows, K ≤ n: the positions [*lo, *hi) of an
 * order of the rows. The K folds partition [0, n) and their sizes differ by at
 * most one.
 */
void dataset_fold(size_t k, size_t K, size_t n, size_t *lo, size_t *hi);

/*
 * Sums over the rows that must come out the same bits whatever the number of
 * threads (the scaler's statistics, the moments) cut them into a number of
 * parts fixed by the data alone, DATASET_PARTS or the rows when fewer
 * (dataset_parts; part k is dataset_fold(k, parts, n)), sum each part apart and
 * add the parts' sums in order. 16 parts keep 16 threads busy.
 */
#define DATASET_PARTS 16
size_t dataset_parts(const struct dataset *ds);

struct rng;

/* Put the rows of ds in a uniformly random order, in place (Fisher-Yates). */
void dataset_shuffle(struct dataset *ds, struct rng *r);

/*
 * Collectives when ds is spread (every rank must call them, in the same order;
 * see above; their names say so), else of ds alone: the rows of all ranks
 * (dataset_rows_across_ranks) and those of the ranks before this one
 * (dataset_rows_before_rank); x[0..count) summed, or its minimum or maximum
 * taken, over the ranks, in place.
 */
size_t dataset_rows_across_ranks(const struct dataset *ds);
size_t dataset_rows_before_rank(const struct dataset *ds);
void dataset_sum_across_ranks(const struct dataset *ds, double *x,
    size_t count);
void dataset_min_across_ranks(const struct dataset *ds, double *x,
    size_t count);
void dataset_max_across_ranks(const struct dataset *ds, double *x,
    size_t count);

/* Row i (d + 1 values: features, then target). */
static inline double *
dataset_row(const struct dataset *ds, size_t i)
{
	return ds->x + i * (ds->d + 1);
}

/*
 * Ask the processor to start loading rows[0..count) of ds into its caches, for
 * the sgd and mini-batch steps, whose rows come in random order: without this
 * each row is a wait on main memory. Only a hint; it changes no result. (Not
 * inline: GCC 12 drops the prefetches of an inlined copy.)
 */
void dataset_prefetch(const struct dataset *ds, const size_t *rows,
    size_t count);

/*
 * How far ahead of use rows in random order are asked for: enough to cover a
 * wait on main memory, and few enough at a time that the requests do not fill
 * the processor's miss buffers, which a whole mini-batch at once did (an epoch
 * about twice as slow: tests/bench/README.md, notes from the code).
 */
#define DATASET_PREFETCH_ROWS 8

/* Target of row i. */
static inline double
dataset_target(const struct dataset *ds, size_t i)
{
	return ds->x[i * (ds->d + 1) + ds->d];
}

/*
 * First and second moments of the rows [x, y], centred: everything the mean
 * squared error of any linear model needs, so that it costs O(d²) instead of a
 * pass over the data. Centring keeps the digits that Σy² would lose when the
 * mean is large next to the spread.
 */
struct moments {
	size_t d;     /* features */
	double *mean; /* (d + 1) column means, target last */
	double *cov; /* (d + 1, d + 1) row-major Σ(v − mean)(v − mean)ᵀ / n */
};

/*
 * Compute the moments of ds in two passes, each over a fixed number of parts of
 * the rows on up to threads threads, the parts' sums added in order, so that
 * the result does not depend on threads (allocates; free with moments_free).
 */
void dataset_moments(const struct dataset *ds, struct moments *m,
    unsigned threads);
void moments_free(struct moments *m);

/*
 * Mean, median and population standard deviation of the target (of all ranks'
 * rows when ds is spread; the median of one rank's rows is computed on a copy,
 * that of spread rows by counting, exactly the same). Collective when ds is
 * spread: every rank calls them, in the same order; a getter otherwise.
 */
double dataset_target_mean(const struct dataset *ds);
double dataset_target_median(const struct dataset *ds);

/*
 * The τ-quantile of the target (0 < τ < 1), the best constant of the pinball
 * loss: the ⌈nτ⌉-th smallest, or, when nτ is a whole number, the mean of the
 * nτ-th and the next (the median at τ = ½). Of all ranks' rows when spread.
 */
double dataset_target_quantile(const struct dataset *ds, double tau);
double dataset_target_sd(const struct dataset *ds);

#endif
