/*
 * metrics.h: how well predictions match known targets, as descend eval reports
 * them: for regression MSE, MAE and R² next to the best constant's; for
 * classification the log loss, per-class precision, recall and F1, the Brier
 * score and the ranking scores (ROC and PR AUC), and the best constant's
 * accuracy and log loss.
 */
#ifndef DESCEND_METRICS_H
#define DESCEND_METRICS_H

#include <stddef.h>

/*
 * −log P(class y) for the scores z of a model of outputs outputs (1: logistic,
 * z[0] the positive class's log-odds; else softmax over z[0..outputs)): the
 * loss that fit minimised, from loss.c's table, so that it has the same digits
 * (log(1 + e^z) − y·z and the log-sum-exp less z_y, each in a form that neither
 * overflows nor cancels).
 */
double metrics_log_loss(size_t outputs, const double *z, size_t y);

/*
 * The ranking scores of class k against the rest, from n rows' probabilities
 * proba (n, K) and classes label (n): the area under the ROC curve (the chance
 * that a row of k scores above one of the rest, ties counting one half: Mann
 * and Whitney's U over n1·n0) and the average precision, Σ (R_t − R_{t−1})·P_t
 * over the distinct thresholds t from the highest (the step area under the
 * precision-recall curve, as scikit-learn's average_precision_score). NaN when
 * k has no rows or every row is of k.
 */
void metrics_ranking(const double *proba, const size_t *label, size_t n,
    size_t K, size_t k, double *roc, double *pr);

/*
 * The Brier score of n rows' probabilities proba (n, K) of classes label (n):
 * for two classes the mean of (P(positive) − y)², y 1 for the positive class
 * (the second); for more, Brier's own mean of Σ_k (P_k − y_k)² over all
 * classes.
 */
double metrics_brier(const double *proba, const size_t *label, size_t n,
    size_t K);

/*
 * Class k's precision, recall and F1 from the confusion matrix (K, K; rows
 * actual, columns predicted); 0 where 0/0.
 */
void metrics_class(const size_t *confusion, size_t K, size_t k,
    double *precision, double *recall, double *f1);

/*
 * The best constant for the n rows counted in the confusion matrix (K, K):
 * always the most frequent class (its accuracy), and the class shares as
 * probabilities (their log loss, the entropy of the shares).
 */
void metrics_constant(const size_t *confusion, size_t K, size_t n,
    double *accuracy, double *loss);

/* A regression model's figures and those of the best constants. */
struct regression_metrics {
	size_t n;
	double mse, mae, r2;		   /* of the model */
	double constant_mse, constant_mae; /* of the mean, of the median */
};

/*
 * The figures of a model with residual sums sse = Σ r² and sae = Σ |r| over
 * the n (≥ 1) targets y, which are sorted (for their median). R² is NaN when
 * the targets are all equal.
 */
void metrics_regression(double *y, size_t n, double sse, double sae,
    struct regression_metrics *m);

/*
 * The same with row weights v (n, finite, ≥ 0, Σ v > 0), sse = Σ v·r² and
 * sae = Σ v·|r|: each mean is Σ v·(·) / Σ v, R² = 1 − sse / Σ v·(y − ȳ)² with
 * ȳ the weighted mean, and the best constants the weighted mean and a
 * weighted median (the smallest y whose weights up to it reach half of Σ v,
 * or the mean of it and the next when they reach exactly half). Sorts y and
 * v together. m->n is n; the weights' sum goes to *weight_sum.
 */
void metrics_regression_weighted(double *y, double *v, size_t n, double sse,
    double sae, struct regression_metrics *m, double *weight_sum);

/*
 * The best constant of a classification with row weights, from each class's
 * weight total[k] (K) of sum = Σ total: the class of the largest total (its
 * share of the weight), and the weighted shares' entropy.
 */
void metrics_constant_weighted(const double *total, size_t K, double sum,
    double *accuracy, double *loss);

/*
 * The unit Poisson deviance of mean mu (> 0) for count y (≥ 0): 2·[y log(y/μ)
 * − (y − μ)], y log y = 0 at y = 0; eval sums it (the deviance) and averages
 * it (the mean Poisson deviance), the loss fit -l poisson reports.
 */
double metrics_poisson_deviance(double y, double mu);

#endif
