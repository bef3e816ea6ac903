/*
 * cv.h: the rows held out to score a fit: the --validation split and K-fold
 * cross-validation (the seeded order, the folds, the loop over them, the mean
 * and standard deviation of their losses), and the CSV of the folds' scores
 * that fit --cv-only writes and tune reads back.
 */
#ifndef DESCEND_CV_H
#define DESCEND_CV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dataset.h"
#include "failure.h"

/*
 * The seed of the held-out rows' random order, from the fit's seed: a stream of
 * its own (the seed xor a salt), so that drawing the held-out rows does not
 * shift the epochs' row order. The split and the folds draw the same order.
 */
uint64_t cv_seed(uint64_t seed);

/*
 * The --validation split: the rows of ds put in cv_seed(seed)'s random order,
 * the last round(fraction·n) of them (at least 1) held out. train and val are
 * views into ds. Returns 0, or -1 (ds untouched) when either part would be too
 * small: fewer than 2 rows to train on, or none left; *ntrain is then the rows
 * that would be left to train on (0 if none).
 */
int cv_split(struct dataset *ds, double fraction, uint64_t seed,
    struct dataset *train, struct dataset *val, size_t *ntrain);

/*
 * Whether n rows are too few for K folds: fewer rows than folds, or a largest
 * fold that would leave fewer than 2 rows to train on.
 */
int cv_too_few(size_t n, size_t K);

/* perm (n) = 0..n−1 in cv_seed(seed)'s random order. */
void cv_order(uint64_t seed, size_t *perm, size_t n);

/*
 * The rows of fold k of K over the order perm (n): into rows (n), first the
 * n − *nval rows trained on (in perm's order), then the *nval held out
 * (dataset_fold's positions of perm).
 */
void cv_fold_rows(const size_t *perm, size_t n, size_t k, size_t K,
    size_t *rows, size_t *nval);

/* The validation losses of K folds over n rows. */
struct cv_scores {
	size_t K, n;
	double *score;	 /* (K) each fold's validation loss */
	size_t *size;	 /* (K) each fold's rows */
	double mean, sd; /* of score: the mean and the sample standard
			    deviation, √(Σ (score − mean)² / (K − 1)) */
};

/* Room for K folds' scores over n rows, all 0. */
void cv_scores_init(struct cv_scores *s, size_t K, size_t n);
void cv_scores_free(struct cv_scores *s);

/* The mean and sd of s's K scores, from them. */
void cv_scores_summarize(struct cv_scores *s);

/*
 * Train on train and score on val (views into work, which holds a copy of the
 * rows, trained ones first, that the function may scale in place): the
 * validation loss into *loss. Returns 0, or -1 with e filled.
 */
typedef int (*cv_fold_fn)(void *ctx, size_t k, struct dataset *work,
    struct dataset *train, struct dataset *val, double *loss, struct error *e);

/*
 * K-fold cross-validation of ds (K ≥ 2, not cv_too_few): the rows in cv_order,
 * cut into K folds (dataset_fold); each is held out once while fn trains on the
 * others, from a copy, so that ds stays as read. Fills s (cv_scores_init'ed
 * here, freed by the caller even on failure) with each fold's loss and size and
 * their mean and sd. Returns 0, or -1 with e filled by fn.
 */
int cv_run(const struct dataset *ds, size_t K, uint64_t seed, cv_fold_fn fn,
    void *ctx, struct cv_scores *s, struct error *e);

/*
 * The scores as CSV to f: the header fold,rows,val_loss, a line per fold
 * numbered from 1 with its rows and loss, then "mean" and "sd" with n rows;
 * losses the shortest decimals that read back (num_write). The caller checks
 * ferror(f).
 */
void cv_scores_write(FILE *f, const struct cv_scores *s);

/*
 * Read back what cv_scores_write wrote for K folds from the text s (len bytes)
 * into out (cv_scores_init'ed here with K; freed by the caller): the header,
 * the folds numbered 1 to K, then mean and sd, each line with a whole number of
 * rows and a number for the loss, and nothing more. Returns 0, or -1 if the
 * text is anything else.
 */
int cv_scores_read(const char *s, size_t len, size_t K, struct cv_scores *out);

#endif
