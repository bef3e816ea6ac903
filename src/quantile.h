/*
 * quantile.h: exact quantile regression (least absolute deviations at τ = 1/2),
 * without gradient descent. The Frisch–Newton primal-dual interior point of
 * Portnoy and Koenker brings the fit close to the optimum; the vertex (basic)
 * solution the interior point points to is then solved for exactly, and its
 * optimality checked with a dual certificate, moving from vertex to vertex
 * (simplex steps) while the certificate fails. From 100000 rows on, Portnoy
 * and Koenker's preprocessing first solves a sample and then a reduced problem
 * with the rows clearly above and below the fit summed into one row each; the
 * certificate is still checked on all the rows. Memory O(n·p): a few vectors
 * of n values and p × p matrices, never n × n.
 */
#ifndef DESCEND_QUANTILE_H
#define DESCEND_QUANTILE_H

#include <stddef.h>

#include "dataset.h"
#include "failure.h"

struct quantile_solution {
	size_t n;	  /* rows */
	size_t p;	  /* terms: the intercept, then the d features */
	size_t rank;	  /* terms kept (see solve_quantile) */
	int *aliased;	  /* (p) 1: the column was left out, weight 0 */
	double tau;	  /* τ */
	double *w;	  /* (p) the weights, the intercept first */
	double objective; /* (1/n)·Σ ρ_τ(y_i − w0 − wᵀx_i) at w */
	double interior;  /* the same where the interior point (with
			     the preprocessing: the reduced problem)
			     left off */
	unsigned long iterations; /* of the interior point, all runs */
	unsigned long pivots;	  /* simplex steps from the first vertex */
	size_t zero_rows; /* rows whose residual is 0 at w (to rounding):
			     rank of them at a vertex; more: degenerate */
	int optimal;	  /* 1: the dual certificate holds (below) */
	int nonunique;	  /* 1: a dual value of a row with zero residual
			     is at a bound of [τ − 1, τ]: another w may
			     have the same objective */
};

/*
 * Minimise (1/n)·Σ ρ_τ(y_i − w0 − wᵀx_i), ρ_τ(r) = r·(τ − 1[r < 0]), over
 * ds's rows (features as they are, target last), 0 < τ < 1. The passes over
 * the rows run on up to threads threads over fixed blocks of rows, so that the
 * result does not depend on threads. A feature column that is constant, or
 * whose part not explained by the columns before it (all centred) is shorter
 * than 1e-6 of it, is left out with weight 0 (aliased).
 *
 * The solution returned is a vertex: rank rows are fitted exactly. optimal
 * says whether it was proved optimal: there are dual values ψ_i, with
 * ψ_i = τ − 1[r_i < 0] for the rows with a residual r_i ≠ 0 and ψ_i in
 * [τ − 1, τ] for the others, such that Σ ψ_i·[1, x_i] = 0, which (to rounding)
 * is the condition for a minimum of the convex objective. nonunique is set
 * when some of those ψ_i are at a bound, and is then a possibility, not a
 * proof; when it is 0 and optimal is 1, the minimum is unique.
 *
 * Returns 0 with s filled (free with quantile_solution_free), or -1 with e
 * filled: EXIT_USAGE for τ outside (0, 1) or a dataset spread over more
 * than one rank (one rank's --shards are all the rows),
 * EXIT_INPUT for fewer rows than kept terms, a non-finite value, or a LAPACK
 * failure.
 */
int solve_quantile(const struct dataset *ds, double tau, unsigned threads,
    struct quantile_solution *s, struct error *e);

void quantile_solution_free(struct quantile_solution *s);

/* ρ_τ(r) = r·(τ − 1[r < 0]), the pinball (check) loss of one residual. */
double quantile_pinball(double r, double tau);

#endif
