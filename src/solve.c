/*
 * solve.c: exact least squares by a Householder QR factorization over row blocks.
 *
 * With A = [1, X] (n × p) and q = p + 1, the QR factorization of [A, y] is built a
 * block of rows at a time: the q × q triangle R̃ of the rows so far is stacked on
 * the next block and the stack factorized again (LAPACK dgeqrf), which gives the
 * R̃ of all the rows (Demmel, Grigori, Hoemmen & Langou, "Communication-optimal
 * parallel and sequential QR and LU factorizations", SIAM J. Sci. Comput. 2012,
 * the sequential TSQR). Then, up to signs,
 *   R̃ = [R c; 0 ρ],  A = Q·R,  c = Qᵀy,  ρ = ‖y − A·w‖ at the least-squares w,
 * so w solves R·w = c, and R, of size p × p, is all the rest needs: the rank, the
 * aliased columns, and (RᵀR)⁻¹ for the standard errors. Ridge adds d rows
 * √(n·λ2)·e_j under the data, the textbook augmentation that turns it into least
 * squares (Golub & Van Loan, Matrix Computations, 4th ed., §6.1.4). Rows spread
 * over ranks (dataset.h) add one level to the tree: each rank's R̃, stacked on
 * rank 0 and factorized once more, is the R̃ of all of them, with the accuracy
 * of one QR of the whole.
 */
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "solve.h"

/* Rows of data stacked under R̃ per factorization: ~170 KB for 20 features. */
#define BLOCK_ROWS 1024

void
qr_stack_init(struct qr_stack *s, size_t q, size_t rows)
{
	s->q = q;
	s->ld = q + rows;
	s->a = xcalloc(s->ld * q, sizeof(double));
	s->tau = xcalloc(q, sizeof(double));
	s->r = xcalloc(q * q, sizeof(double));
}

void
qr_stack_free(struct qr_stack *s)
{
	free(s->a);
	free(s->tau);
	free(s->r);
	s->a = s->tau = s->r = NULL;
}

int
qr_stack_absorb(struct qr_stack *s, size_t rows, struct error *e)
{
	size_t q = s->q;
	lapack_int info;

	for (size_t j = 0; j < q; j++)
		for (size_t i = 0; i < q; i++)
			s->a[i + j * s->ld] = i <= j ? s->r[i + j * q] : 0;
	info = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, (lapack_int)(q + rows),
	    (lapack_int)q, s->a, (lapack_int)s->ld, s->tau);
	if (info != 0)
		return error_set(e, EXIT_INPUT, "LAPACK dgeqrf failed (info %d)",
		    (int)info);
	for (size_t j = 0; j < q; j++)
		for (size_t i = 0; i <= j; i++)
			s->r[i + j * q] = s->a[i + j * s->ld];
	return 0;
}

/*
 * When ds is spread over ranks: each rank's R̃ (of its own rows) stacked in rank
 * order on rank 0 and factorized again, one more level of the same TSQR, and the
 * R̃ of all the rows sent back to every rank; a failure on any rank stops all.
 */
static int
combine(const struct dataset *ds, struct qr_stack *s, struct error *e)
{
	size_t q = s->q, K = (size_t)cluster_size();
	struct qr_stack top = { .q = q, .ld = 2 * q };
	double *all = NULL;
	int status = 0;

	if (!ds->spread || K == 1)
		return 0;
	if (cluster_rank() == 0)
		all = xcalloc(K * q * q, sizeof(double));
	cluster_gather(s->r, q * q * sizeof(double), all);
	if (cluster_rank() == 0) {
		top.a = xcalloc(top.ld * q, sizeof(double));
		top.tau = xcalloc(q, sizeof(double));
		top.r = s->r;
		memset(top.r, 0, q * q * sizeof(double));
		for (size_t k = 0; k < K && status == 0; k++) {
			const double *rk = all + k * q * q;

			for (size_t j = 0; j < q; j++)
				for (size_t i = 0; i < q; i++)
					top.a[q + i + j * top.ld] = i <= j ?
					    rk[i + j * q] : 0;
			status = qr_stack_absorb(&top, q, e);
		}
		free(top.a);
		free(top.tau);
		free(all);
	}
	if (cluster_check(status, e) != 0)
		return -1;
	cluster_broadcast(s->r, q * q * sizeof(double), 0);
	return 0;
}

/* R̃ of [1, X, y] and, for λ2 > 0, the ridge rows, into s->r (n rows in all). */
static int
reduce(const struct dataset *ds, size_t n, double l2, struct qr_stack *s,
    struct error *e)
{
	size_t d = ds->d, q = s->q;
	int status = 0;

	for (size_t start = 0; start < ds->n && status == 0; start += BLOCK_ROWS) {
		size_t rows = ds->n - start < BLOCK_ROWS ? ds->n - start : BLOCK_ROWS;

		for (size_t k = 0; k < rows; k++) {
			const double *x = dataset_row(ds, start + k);

			s->a[q + k] = 1;
			for (size_t j = 0; j <= d; j++)
				s->a[q + k + (j + 1) * s->ld] = x[j];
		}
		status = qr_stack_absorb(s, rows, e);
	}
	if ((ds->spread && cluster_check(status, e) != 0) || status != 0 ||
	    combine(ds, s, e) != 0)
		return -1;
	if (l2 > 0 && d > 0) {
		for (size_t k = 0; k < d; k++)
			for (size_t j = 0; j < q; j++)
				s->a[q + k + j * s->ld] = j == k + 1 ?
				    sqrt((double)n * l2) : 0;
		if (qr_stack_absorb(s, d, e) != 0)
			return -1;
	}
	for (size_t i = 0; i < q * q; i++)
		if (!isfinite(s->r[i]))
			return error_set(e, EXIT_INPUT, "the data are too large for "
			    "least squares: a sum of squares overflows");
	return 0;
}

/* |R_jj| is the length of the part of column j that columns 0..j−1 leave
 * unexplained. */
size_t
solve_aliased(const double *R, size_t p, size_t ld, int *aliased)
{
	size_t rank = 0;

	for (size_t j = 0; j < p; j++) {
		double norm2 = 0;

		for (size_t i = 0; i <= j; i++)
			norm2 += R[i + j * ld] * R[i + j * ld];
		aliased[j] = !(fabs(R[j + j * ld]) > SOLVE_TOL * sqrt(norm2));
		rank += !aliased[j];
	}
	return rank;
}

/*
 * Solve for the kept columns: refactorize R's kept columns M = R[:, K] = Q_M·R_K
 * (exactly R itself when none is aliased), solve R_K·z = (Q_Mᵀc)[0..k), and put
 * R_K⁻¹·R_K⁻ᵀ into s->cov. R is p × p column-major with leading dimension ld, c
 * its right-hand side.
 */
static int
solve_kept(const double *R, size_t ld, const double *c, struct solution *s,
    struct error *e)
{
	size_t p = s->p, k = s->rank, col = 0;
	double *m = xcalloc(p * (k ? k : 1), sizeof(double));
	double *rhs = xcalloc(p, sizeof(double)), *tau = xcalloc(p, sizeof(double));
	lapack_int info = 0;

	memcpy(rhs, c, p * sizeof(double));
	for (size_t j = 0; j < p; j++)
		if (!s->aliased[j])
			memcpy(m + p * col++, R + j * ld, p * sizeof(double));
	if (k > 0 && k < p &&
	    ((info = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, (lapack_int)p, (lapack_int)k,
	    m, (lapack_int)p, tau)) != 0 ||
	    (info = LAPACKE_dormqr(LAPACK_COL_MAJOR, 'L', 'T', (lapack_int)p, 1,
	    (lapack_int)k, m, (lapack_int)p, tau, rhs, (lapack_int)p)) != 0))
		goto fail;
	s->rcond = 1;
	if (k > 0 && ((info = LAPACKE_dtrcon(LAPACK_COL_MAJOR, '1', 'U', 'N',
	    (lapack_int)k, m, (lapack_int)p, &s->rcond)) != 0 ||
	    (info = LAPACKE_dtrtrs(LAPACK_COL_MAJOR, 'U', 'N', 'N',
	    (lapack_int)k, 1, m, (lapack_int)p, rhs, (lapack_int)p)) != 0 ||
	    (info = LAPACKE_dtrtri(LAPACK_COL_MAJOR, 'U', 'N', (lapack_int)k, m,
	    (lapack_int)p)) != 0))
		goto fail;
	/* w on the kept terms; cov = R_K⁻¹·R_K⁻ᵀ, R_K⁻¹ now in m's upper triangle. */
	for (size_t a = 0, ia = 0; a < p; a++) {
		if (s->aliased[a])
			continue;
		s->w[a] = rhs[ia];
		for (size_t b = 0, ib = 0; b < p; b++) {
			double sum = 0;

			if (s->aliased[b])
				continue;
			for (size_t t = (ia > ib ? ia : ib); t < k; t++)
				sum += m[ia + t * p] * m[ib + t * p];
			s->cov[a * p + b] = sum;
			ib++;
		}
		ia++;
	}
fail:
	free(m);
	free(rhs);
	free(tau);
	if (info != 0)
		return error_set(e, EXIT_INPUT, "LAPACK failed to solve the least "
		    "squares problem (info %d)", (int)info);
	return 0;
}

int
solve_least_squares(const struct dataset *ds, double l2, struct solution *s,
    struct error *e)
{
	size_t p = ds->d + 1, q = p + 1;
	struct qr_stack st;
	double penalty = 0;
	int status = -1, solved;

	memset(s, 0, sizeof(*s));
	s->n = dataset_total(ds);
	s->p = p;
	s->aliased = xcalloc(p, sizeof(int));
	s->w = xcalloc(p, sizeof(double));
	s->cov = xcalloc(p * p, sizeof(double));
	qr_stack_init(&st, q, BLOCK_ROWS);
	if (reduce(ds, s->n, l2, &st, e) != 0)
		goto out;
	s->rank = solve_aliased(st.r, p, q, s->aliased);
	solved = solve_kept(st.r, q, st.r + p * q, s, e);
	if (ds->spread) {
		/* Rank 0's answer for all, should another host's LAPACK round otherwise. */
		if (cluster_check(cluster_rank() == 0 ? solved : 0, e) != 0)
			goto out;
		cluster_broadcast(s->w, p * sizeof(double), 0);
		cluster_broadcast(s->cov, p * p * sizeof(double), 0);
		solved = 0;
	}
	if (solved != 0)
		goto out;
	/* The residuals from the rows, not ρ², which holds the penalty too. */
	for (size_t i = 0; i < ds->n; i++) {
		const double *x = dataset_row(ds, i);
		double r = x[ds->d] - s->w[0];

		for (size_t j = 0; j < ds->d; j++)
			r -= s->w[j + 1] * x[j];
		s->rss += r * r;
	}
	dataset_sum(ds, &s->rss, 1);
	for (size_t j = 1; j < p; j++)
		penalty += s->w[j] * s->w[j];
	s->objective = s->rss / (double)s->n + l2 * penalty;
	status = 0;
out:
	qr_stack_free(&st);
	if (status != 0)
		solution_free(s);
	return status;
}

void
solution_free(struct solution *s)
{
	free(s->aliased);
	free(s->w);
	free(s->cov);
	s->aliased = NULL;
	s->w = s->cov = NULL;
}

double
solve_moments(const struct moments *m, double l2, double *w)
{
	size_t d = m->d, p = d + 1;
	double *a = xcalloc(d * d + d + d, sizeof(double)), *b = a + d * d;
	double *sv = b + d, value = (double)NAN, quad = 0, cross = 0, e0;
	lapack_int rank, info = 0;

	for (size_t i = 0; i < d; i++) {
		for (size_t j = 0; j < d; j++)
			a[i * d + j] = m->cov[i * p + j];
		a[i * d + i] += l2;
		b[i] = m->cov[d * p + i];
	}
	if (d > 0)
		info = LAPACKE_dgelsd(LAPACK_ROW_MAJOR, (lapack_int)d, (lapack_int)d,
		    1, a, (lapack_int)d, b, 1, sv, -1.0, &rank);
	if (info == 0) {
		memcpy(w + 1, b, d * sizeof(double));
		w[0] = m->mean[d];
		for (size_t i = 0; i < d; i++) {
			w[0] -= m->mean[i] * w[i + 1];
			cross += w[i + 1] * m->cov[d * p + i];
			for (size_t j = 0; j < d; j++)
				quad += w[i + 1] * m->cov[i * p + j] * w[j + 1];
			quad += l2 * w[i + 1] * w[i + 1];
		}
		/* At the minimiser e0 = 0 and the value is syy − wᵀcxy. */
		e0 = m->mean[d] - w[0];
		for (size_t i = 0; i < d; i++)
			e0 -= m->mean[i] * w[i + 1];
		value = m->cov[d * p + d] - 2 * cross + quad + e0 * e0;
	}
	free(a);
	return value;
}

int
solve_eigen_range(const double *a, size_t p, double *lo, double *hi)
{
	double *copy = xcalloc(p * p + p, sizeof(double)), *ev = copy + p * p;
	int status = -1;

	memcpy(copy, a, p * p * sizeof(double));
	if (p > 0 && LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'N', 'U', (lapack_int)p, copy,
	    (lapack_int)p, ev) == 0) {
		*lo = ev[0];
		*hi = ev[p - 1];
		status = 0;
	}
	free(copy);
	return status;
}
