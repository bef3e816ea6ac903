/*
 * test_metrics.c: eval's figures against answers worked by hand: ROC AUC as
 * Mann and Whitney's U counted pair by pair (ties one half), the average
 * precision step by step, Brier and log loss from their definitions,
 * precision, recall and F1 of a confusion matrix, the best constant, and the
 * regression summary.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "testutil.h"

/*
 * Seven rows of two classes, P(class 1) the score: class 1 at 0.9, 0.7, 0.5,
 * 0.5; class 0 at 0.7, 0.3, 0.5 (ties across the classes at 0.7 and 0.5).
 */
static const double score7[7] = { 0.9, 0.7, 0.5, 0.5, 0.7, 0.3, 0.5 };
static const size_t label7[7] = { 1, 1, 1, 1, 0, 0, 0 };

static void
two_classes(double *proba)
{
	for (size_t i = 0; i < 7; i++) {
		proba[2 * i] = 1 - score7[i];
		proba[2 * i + 1] = score7[i];
	}
}

static void
roc_auc_is_mann_whitney_u_with_ties(void **state)
{
	double proba[14], roc, pr, u = 0;

	(void)state;
	two_classes(proba);
	/* U over every (positive, negative) pair, a tie counting one half */
	for (size_t i = 0; i < 7; i++)
		for (size_t j = 0; j < 7; j++)
			if (label7[i] == 1 && label7[j] == 0)
				u += score7[i] > score7[j]   ? 1
				    : score7[i] == score7[j] ? 0.5
							     : 0;
	assert_near(u, 8.5, 0); /* 3 + 2.5 + 1.5 + 1.5 */
	metrics_ranking(proba, label7, 7, 2, 1, &roc, &pr);
	assert_near(roc, 8.5 / 12, 1e-15);
	/*
	 * Average precision over the thresholds 0.9, 0.7, 0.5, 0.3: recall
	 * 1/4, 2/4, 4/4, 4/4 at precision 1, 2/3, 4/6, 4/7:
	 * 1/4·1 + 1/4·2/3 + 2/4·2/3 + 0 = 3/4.
	 */
	assert_near(pr, 0.75, 1e-15);
	/* class 0 ranked by its own probability: the mirror image */
	metrics_ranking(proba, label7, 7, 2, 0, &roc, &pr);
	assert_near(roc, 8.5 / 12, 1e-15);
}

static void
ranking_is_nan_with_one_class(void **state)
{
	double proba[4] = { 0.2, 0.8, 0.6, 0.4 }, roc, pr;
	size_t label[2] = { 1, 1 };

	(void)state;
	metrics_ranking(proba, label, 2, 2, 1, &roc, &pr);
	assert_true(isnan(roc) && isnan(pr));
	metrics_ranking(proba, label, 2, 2, 0, &roc, &pr);
	assert_true(isnan(roc) && isnan(pr));
}

static void
brier_by_hand(void **state)
{
	double proba[14];
	/* three classes, two rows: (0.7, 0.2, 0.1) of class 0, (0.2, 0.2, 0.6)
	   of class 2 */
	double p3[6] = { 0.7, 0.2, 0.1, 0.2, 0.2, 0.6 };
	size_t l3[2] = { 0, 2 };

	(void)state;
	two_classes(proba);
	/*
	 * (0.9−1)² + (0.7−1)² + 2·(0.5−1)² + 0.7² + 0.3² + 0.5²
	 * = 0.01 + 0.09 + 0.5 + 0.49 + 0.09 + 0.25 = 1.43, over 7 rows.
	 */
	assert_near(metrics_brier(proba, label7, 7, 2), 1.43 / 7, 1e-15);
	/* (0.09 + 0.04 + 0.01 + 0.04 + 0.04 + 0.16) / 2 = 0.19 */
	assert_near(metrics_brier(p3, l3, 2, 3), 0.19, 1e-15);
}

static void
log_loss_by_hand(void **state)
{
	double z0 = 0, z2 = 2, z3[3] = { 1, 2, 3 }, zero3[3] = { 0, 0, 0 };

	(void)state;
	assert_near(metrics_log_loss(1, &z0, 1), log(2), 1e-15);
	assert_near(metrics_log_loss(1, &z2, 0), log(1 + exp(2)), 1e-15);
	assert_near(metrics_log_loss(1, &z2, 1), log(1 + exp(-2)), 1e-15);
	assert_near(metrics_log_loss(3, zero3, 2), log(3), 1e-15);
	assert_near(metrics_log_loss(3, z3, 0),
	    log(exp(1) + exp(2) + exp(3)) - 1, 1e-14);
	/* no overflow far out: log(1 + e^800) = 800 + log(1 + e^−800) */
	z2 = 800;
	assert_near(metrics_log_loss(1, &z2, 0), 800, 1e-12);
}

static void
class_scores_from_the_confusion_matrix(void **state)
{
	/* rows actual, columns predicted */
	size_t confusion[4] = { 5, 1, 2, 3 }, empty[4] = { 4, 0, 0, 0 };
	double p, r, f;

	(void)state;
	metrics_class(confusion, 2, 1, &p, &r, &f);
	assert_near(p, 3.0 / 4, 1e-15);
	assert_near(r, 3.0 / 5, 1e-15);
	assert_near(f, 2.0 / 3, 1e-15); /* 2·0.75·0.6 / 1.35 */
	metrics_class(confusion, 2, 0, &p, &r, &f);
	assert_near(p, 5.0 / 7, 1e-15);
	assert_near(r, 5.0 / 6, 1e-15);
	assert_near(f, 10.0 / 13, 1e-15);
	/* never predicted, never met: 0, not 0/0 */
	metrics_class(empty, 2, 1, &p, &r, &f);
	assert_true(p == 0 && r == 0 && f == 0);
}

static void
constant_is_the_majority_and_the_entropy(void **state)
{
	size_t confusion[4] = { 5, 1, 2, 3 };
	double acc, loss;

	(void)state;
	metrics_constant(confusion, 2, 11, &acc, &loss);
	assert_near(acc, 6.0 / 11, 1e-15);
	assert_near(loss,
	    -(6.0 / 11 * log(6.0 / 11) + 5.0 / 11 * log(5.0 / 11)), 1e-15);
}

static void
regression_summary_by_hand(void **state)
{
	double y[4] = { 3, 1, 2, 10 }, flat[3] = { 4, 4, 4 };
	struct regression_metrics m;

	(void)state;
	/*
	 * mean 4, Σ (y − 4)² = 1 + 9 + 4 + 36 = 50; median 2.5,
	 * Σ |y − 2.5| = 0.5 + 1.5 + 0.5 + 7.5 = 10; the model's sse 5, sae 4.
	 */
	metrics_regression(y, 4, 5, 4, &m);
	assert_int_equal(m.n, 4);
	assert_near(m.mse, 1.25, 0);
	assert_near(m.mae, 1, 0);
	assert_near(m.r2, 0.9, 1e-15);
	assert_near(m.constant_mse, 12.5, 0);
	assert_near(m.constant_mae, 2.5, 0);
	/* sorted for the median */
	assert_true(y[0] == 1 && y[1] == 2 && y[2] == 3 && y[3] == 10);
	metrics_regression(flat, 3, 3, 3, &m);
	assert_true(isnan(m.r2));
	assert_near(m.constant_mse, 0, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roc_auc_is_mann_whitney_u_with_ties),
		cmocka_unit_test(ranking_is_nan_with_one_class),
		cmocka_unit_test(brier_by_hand),
		cmocka_unit_test(log_loss_by_hand),
		cmocka_unit_test(class_scores_from_the_confusion_matrix),
		cmocka_unit_test(constant_is_the_majority_and_the_entropy),
		cmocka_unit_test(regression_summary_by_hand),
	};

	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
