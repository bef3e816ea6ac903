/*
 * solve.c: exact least squares by a Householder QR over parts of the rows.
 *
 * With A = [1, X] (n × p) and q = p + 1, the QR factorization of [A, y] is a
 * tall-skinny QR (Demmel, Grigori, Hoemmen & Langou, "Communication-optimal
 * parallel and sequential QR and LU factorizations", SIAM J. Sci. Comput.
 * 2012).
 * The rows are cut into a number of parts fixed by the data's shape alone
 * (solve_parts), each part factorized on a thread of its own: blocks of its
 * rows folded one after the other into the part's q × q triangle R̃ by LAPACK's
 * dtpqrt, the blocked (BLAS-3) Householder QR of a triangle stacked on a
 * rectangle. The parts' triangles are then merged pairwise in a fixed binary
 * tree, [R̃_i; R̃_j] = Q·R̃ again by dtpqrt, which leaves the R̃ of all the
 * rows.
 * The parts, the blocks, the tree and hence every rounding are the same for any
 * number of threads. Then, up to signs,
 *   R̃ = [R c; 0 ρ],  A = Q·R,  c = Qᵀy,  ρ = ‖y − A·w‖ at the least-squares w,
 * so w solves R·w = c, and R, of size p × p, is all the rest needs: the rank,
 * the aliased columns, and (RᵀR)⁻¹ for the standard errors. Ridge adds d rows
 * √(n·λ2)·e_j under the data, the textbook augmentation that turns it into
 * least squares (Golub & Van Loan, Matrix Computations, 4th ed., §6.1.4). Rows
 * spread over ranks (dataset.h) add one level: each rank's R̃, gathered on rank
 * 0 in rank order, goes through the same tree, with the accuracy of one QR of
 * the whole. A step of iterative refinement (see refine) then corrects w.
 */
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "linalg.h"
#include "parallel.h"
#include "solve.h"

/*
 * Rows of a part folded into its R̃ per dtpqrt: 512 rows of 500 features are
 * 2 MB, enough rows for the BLAS-3 updates to run at the speed of dgemm.
 */
#define BLOCK_ROWS 512

/* Columns per Householder block of dtpqrt (its nb). */
#define QR_NB 32

/*
 * The parts of the rows: dataset_parts, but none shorter than BLOCK_ROWS rows
 * or four triangles (4·q rows), since merging a part costs as much as
 * factorizing q·2/3 of its rows and adds a level of rounding. Fixed by the
 * data's shape alone.
 */
static size_t
solve_parts(const struct dataset *ds)
{
	size_t q = ds->d + 2, least = 4 * q > BLOCK_ROWS ? 4 * q : BLOCK_ROWS;
	size_t parts = dataset_parts(ds);

	if (parts > ds->n / least)
		parts = ds->n / least;
	return parts ? parts : 1;
}

/*
 * Fold the m × q column-major matrix b (leading dimension ldb) into the q × q
 * upper triangle r (column-major, leading dimension q; the part below the
 * diagonal is left as it is): afterwards r is the R of [r; b]. l = 0 when b is
 * a full rectangle, l = q when b is itself upper triangular (m = q), which
 * saves the work on its zeros. b is overwritten. Returns the LAPACK info.
 */
static lapack_int
fold(double *r, size_t q, double *b, size_t m, size_t ldb, size_t l)
{
	lapack_int nb = (lapack_int)(q < QR_NB ? q : QR_NB), info;
	double *t = xcalloc((size_t)nb * q * 2, sizeof(double));

	if (m == 0) {
		free(t);
		return 0;
	}
	/* The _work interface: no copy, and no scan of the inputs for NaN. */
	info = LAPACKE_dtpqrt_work(LAPACK_COL_MAJOR, (lapack_int)m,
	    (lapack_int)q, (lapack_int)l, nb, r, (lapack_int)q, b,
	    (lapack_int)(ldb ? ldb : 1), t, nb, t + (size_t)nb * q);
	free(t);
	return info;
}

/* The tree's work: count q × q column-major triangles, one after another. */
struct tree {
	double *r;
	size_t q, count, step; /* this level merges i with i + step */
	lapack_int *info;      /* (count) */
};

/* Pair k of the level: triangle 2·k·step takes in triangle (2·k + 1)·step. */
static void
merge_pair(void *ctx, size_t k)
{
	struct tree *t = ctx;
	size_t i = 2 * k * t->step, j = i + t->step, qq = t->q * t->q;

	t->info[i] = fold(t->r + i * qq, t->q, t->r + j * qq, t->q, t->q, t->q);
}

/*
 * Merge the count triangles r[0..count) (each q × q column-major, zero below
 * the diagonal) into r[0], the R̃ of all their rows stacked in order: pairs
 * (i, i + 1), then (i, i + 2), (i, i + 4) ..., each level's pairs on up to
 * threads threads. The pairs are fixed by count alone, so the result does not
 * depend on threads. The others are overwritten. Returns 0, or -1 with e
 * filled.
 */
static int
merge_tree(double *r, size_t count, size_t q, unsigned threads, struct error *e)
{
	struct tree t = { .r = r, .q = q, .count = count };

	t.info = xcalloc(count, sizeof(*t.info));
	for (t.step = 1; t.step < count; t.step *= 2) {
		size_t pairs = (count - t.step + 2 * t.step - 1) / (2 * t.step);

		parallel_run(pairs, threads, merge_pair, &t);
		for (size_t i = 0; i < count; i++)
			if (t.info[i] != 0) {
				error_set(e, EXIT_INPUT,
				    "LAPACK dtpqrt failed "
				    "(info %d)",
				    (int)t.info[i]);
				free(t.info);
				return -1;
			}
	}
	free(t.info);
	return 0;
}

/* The row pass: part k of ds's rows into its triangle r + k·q². */
struct parts {
	const struct dataset *ds;
	size_t count, q;
	double *r;	  /* (count, q, q) */
	lapack_int *info; /* (count) */
	const double *w;  /* the weights, for the residual passes */
	const double *rw; /* NULL, or (ds->n) the rows' weights */
	double one;	  /* 1: the intercept's column; 0: none */
	double *rss;	  /* (count) */
	long double *g;	  /* (count, p) Aᵀr of each part */
	unsigned threads;
};

/* Factorize part k: its rows, BLOCK_ROWS at a time, folded into its R̃. */
static void
factor_part(void *ctx, size_t k)
{
	struct parts *ps = ctx;
	const struct dataset *ds = ps->ds;
	size_t q = ps->q, d = ds->d, lo, hi;
	double *b = xcalloc(BLOCK_ROWS * q, sizeof(double));
	double *r = ps->r + k * q * q;

	dataset_fold(k, ps->count, ds->n, &lo, &hi);
	for (size_t start = lo; start < hi && ps->info[k] == 0;
	     start += BLOCK_ROWS) {
		size_t rows = hi - start < BLOCK_ROWS ? hi - start : BLOCK_ROWS;

		/* Column-major [1, x, y]: a column strides through the rows;
		 * with row weights v, the row times √v; without an intercept,
		 * a zero column, which solve_aliased marks. */
		for (size_t i = 0; i < rows; i++) {
			const double *x = dataset_row(ds, start + i);
			double sv = ps->rw ? sqrt(ps->rw[start + i]) : 1;

			b[i] = ps->rw ? sv * ps->one : ps->one;
			for (size_t j = 0; j <= d; j++)
				b[i + (j + 1) * rows] =
				    ps->rw ? sv * x[j] : x[j];
		}
		ps->info[k] = fold(r, q, b, rows, rows, 0);
	}
	free(b);
}

/* Σ v·(y − w0 − wᵀx)² over part k's rows, v the row weight (1 if none). */
static void
residual_part(void *ctx, size_t k)
{
	struct parts *ps = ctx;
	const struct dataset *ds = ps->ds;
	size_t lo, hi;
	double sum = 0;

	dataset_fold(k, ps->count, ds->n, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		const double *x = dataset_row(ds, i);
		double res = x[ds->d] - ps->w[0];

		for (size_t j = 0; j < ds->d; j++)
			res -= ps->w[j + 1] * x[j];
		sum += ps->rw ? ps->rw[i] * res * res : res * res;
	}
	ps->rss[k] = sum;
}

/* AᵀVr, r = y − w0 − wᵀx, over part k's rows, in long double (V the row
 * weights, I if none). */
static void
gradient_part(void *ctx, size_t k)
{
	struct parts *ps = ctx;
	const struct dataset *ds = ps->ds;
	size_t lo, hi, d = ds->d;
	long double *g = ps->g + k * (d + 1);

	dataset_fold(k, ps->count, ds->n, &lo, &hi);
	for (size_t i = lo; i < hi; i++) {
		const double *x = dataset_row(ds, i);
		long double res = (long double)x[d] - (long double)ps->w[0];

		for (size_t j = 0; j < d; j++)
			res -= (long double)ps->w[j + 1] * (long double)x[j];
		if (ps->rw)
			res *= (long double)ps->rw[i];
		g[0] += res;
		for (size_t j = 0; j < d; j++)
			g[j + 1] += res * (long double)x[j];
	}
}

/*
 * One step of iterative refinement (Björck, Numerical Methods for Least
 * Squares Problems, 1996, §2.9): the normal equations' residual
 * g = Aᵀ(y − A·w) − n·λ2·(0, w1..wd), summed in long double, and
 * w += (RᵀR)⁻¹·g with (RᵀR)⁻¹ = s->cov over the kept terms. It corrects
 * the rounding of the factorization when cond(A)²·2⁻⁵³ is small.
 */
static void
refine(struct parts *ps, double l2, struct solution *s)
{
	size_t p = s->p;
	long double *g = xcalloc(p, sizeof(long double));
	double *gd = xcalloc(2 * p, sizeof(double)), *delta = gd + p;

	ps->w = s->w;
	ps->g = xcalloc(ps->count * p, sizeof(long double));
	parallel_run(ps->count, ps->threads, gradient_part, ps);
	for (size_t k = 0; k < ps->count; k++)
		for (size_t j = 0; j < p; j++)
			g[j] += ps->g[k * p + j];
	for (size_t j = 0; j < p; j++)
		gd[j] = (double)g[j];
	/* Summed over the ranks first: the penalty counts once. */
	dataset_sum_across_ranks(ps->ds, gd, p);
	for (size_t j = 1; j < p; j++)
		gd[j] -= s->weight_sum * l2 * s->w[j];
	for (size_t a = 0; a < p; a++)
		delta[a] =
		    s->aliased[a] ? 0 : linalg_dot(s->cov + a * p, gd, p);
	for (size_t a = 0; a < p; a++)
		s->w[a] += delta[a];
	free(ps->g);
	free(g);
	free(gd);
}

/*
 * When ds is spread over ranks: each rank's R̃ (of its own rows) gathered in
 * rank order on rank 0 and merged there by the same tree as the parts, and the
 * R̃ of all the rows sent back to every rank; a failure on any rank stops all.
 */
static int
combine(const struct dataset *ds, double *r, size_t q, unsigned threads,
    struct error *e)
{
	size_t K = (size_t)cluster_size();
	double *all = NULL;
	int status = 0;

	if (!ds->spread || K == 1)
		return 0;
	if (cluster_rank() == 0)
		all = xcalloc(K * q * q, sizeof(double));
	cluster_gather(r, q * q * sizeof(double), all);
	if (cluster_rank() == 0) {
		status = merge_tree(all, K, q, threads, e);
		memcpy(r, all, q * q * sizeof(double));
		free(all);
	}
	if (cluster_check(status, e) != 0)
		return -1;
	cluster_broadcast(r, q * q * sizeof(double), 0);
	return 0;
}

/*
 * R̃ of [1, X, y] and, for λ2 > 0, the ridge rows, into r (q × q column-major,
 * zeroed; n rows in all over the ranks).
 */
static int
reduce(const struct dataset *ds, double n, double l2, const double *rw,
    int intercept, unsigned threads, double *r, struct error *e)
{
	size_t d = ds->d, q = d + 2;
	struct parts ps = { .ds = ds,
		.count = solve_parts(ds),
		.q = q,
		.rw = rw,
		.one = intercept ? 1 : 0 };
	int status = 0;

	ps.r = xcalloc(ps.count * q * q, sizeof(double));
	ps.info = xcalloc(ps.count, sizeof(*ps.info));
	parallel_run(ps.count, threads, factor_part, &ps);
	for (size_t k = 0; k < ps.count && status == 0; k++)
		if (ps.info[k] != 0)
			status = error_set(e, EXIT_INPUT,
			    "LAPACK dtpqrt "
			    "failed (info %d)",
			    (int)ps.info[k]);
	if (status == 0)
		status = merge_tree(ps.r, ps.count, q, threads, e);
	if (status == 0)
		memcpy(r, ps.r, q * q * sizeof(double));
	free(ps.r);
	free(ps.info);
	if ((ds->spread && cluster_check(status, e) != 0) || status != 0 ||
	    combine(ds, r, q, threads, e) != 0)
		return -1;
	if (l2 > 0 && d > 0) {
		double *b = xcalloc(d * q, sizeof(double));
		lapack_int info;

		for (size_t k = 0; k < d; k++)
			b[k + (k + 1) * d] = sqrt(n * l2);
		info = fold(r, q, b, d, d, 0);
		free(b);
		if (info != 0)
			return error_set(e, EXIT_INPUT,
			    "LAPACK dtpqrt failed "
			    "(info %d)",
			    (int)info);
	}
	for (size_t i = 0; i < q * q; i++)
		if (!isfinite(r[i]))
			return error_set(e, EXIT_INPUT,
			    "the data are too large for "
			    "least squares: a sum of squares overflows");
	return 0;
}

/*
 * Mark the columns of the p × p triangle R (column-major, leading dimension ld)
 * that are combinations of the ones before them: |R_jj| is the length of the
 * part of column j that columns 0..j−1 leave unexplained. Returns the rank.
 */
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
 * Solve for the kept columns: refactorize R's kept columns M = R[:, K] =
 * Q_M·R_K (exactly R itself when none is aliased), solve R_K·z = (Q_Mᵀc)[0..k),
 * and put R_K⁻¹·R_K⁻ᵀ into s->cov. R is p × p column-major with leading
 * dimension ld, c its right-hand side.
 */
static int
solve_kept(const double *R, size_t ld, const double *c, struct solution *s,
    struct error *e)
{
	size_t p = s->p, k = s->rank, col = 0;
	double *m = xcalloc(p * (k ? k : 1), sizeof(double));
	double *rhs = xcalloc(p, sizeof(double)),
	       *tau = xcalloc(p, sizeof(double));
	lapack_int info = 0;

	memcpy(rhs, c, p * sizeof(double));
	for (size_t j = 0; j < p; j++)
		if (!s->aliased[j])
			memcpy(m + p * col++, R + j * ld, p * sizeof(double));
	if (k > 0 && k < p &&
	    ((info = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, (lapack_int)p,
		  (lapack_int)k, m, (lapack_int)p, tau)) != 0 ||
		(info = LAPACKE_dormqr(LAPACK_COL_MAJOR, 'L', 'T',
		     (lapack_int)p, 1, (lapack_int)k, m, (lapack_int)p, tau,
		     rhs, (lapack_int)p)) != 0))
		goto fail;
	s->rcond = 1;
	if (k > 0 &&
	    ((info = LAPACKE_dtrcon(LAPACK_COL_MAJOR, '1', 'U', 'N',
		  (lapack_int)k, m, (lapack_int)p, &s->rcond)) != 0 ||
		(info = LAPACKE_dtrtrs(LAPACK_COL_MAJOR, 'U', 'N', 'N',
		     (lapack_int)k, 1, m, (lapack_int)p, rhs, (lapack_int)p)) !=
		    0 ||
		(info = LAPACKE_dtrtri(LAPACK_COL_MAJOR, 'U', 'N',
		     (lapack_int)k, m, (lapack_int)p)) != 0))
		goto fail;
	/* w on the kept terms; cov = R_K⁻¹·R_K⁻ᵀ, R_K⁻¹ now in m's upper
	 * triangle. */
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
		return error_set(e, EXIT_INPUT,
		    "LAPACK failed to solve the least "
		    "squares problem (info %d)",
		    (int)info);
	return 0;
}

int
solve_least_squares(const struct dataset *ds, double l2, unsigned threads,
    struct solution *s, struct error *e)
{
	return solve_weighted(ds, l2, NULL, 1, threads, s, e);
}

/*
 * The rows' weights: each finite and ≥ 0; their sum and the count of nonzero
 * ones into s (over the ranks when spread). Without weights, n and n.
 */
static int
row_weights(const struct dataset *ds, const double *rw, struct solution *s,
    struct error *e)
{
	double sums[2] = { 0, 0 };
	int bad = 0;

	if (rw == NULL) {
		s->weight_sum = (double)s->n;
		s->nonzero = s->n;
		return 0;
	}
	for (size_t i = 0; i < ds->n && !bad; i++) {
		if (!(rw[i] >= 0 && isfinite(rw[i])))
			bad = error_set(e, EXIT_INPUT,
			    "row %zu's weight is %g: a "
			    "weight must be a finite number, 0 or more",
			    i + 1, rw[i]);
		sums[0] += rw[i];
		sums[1] += rw[i] != 0;
	}
	if ((ds->spread && cluster_check(bad, e) != 0) || bad != 0)
		return -1;
	dataset_sum_across_ranks(ds, sums, 2);
	s->weight_sum = sums[0];
	s->nonzero = (size_t)sums[1];
	if (!(s->weight_sum > 0) || !isfinite(s->weight_sum))
		return error_set(e, EXIT_INPUT,
		    "the row weights sum to %g, not a "
		    "positive finite number",
		    s->weight_sum);
	return 0;
}

int
solve_weighted(const struct dataset *ds, double l2, const double *rw,
    int intercept, unsigned threads, struct solution *s, struct error *e)
{
	size_t p = ds->d + 1, q = p + 1;
	struct parts ps = { .ds = ds, .count = solve_parts(ds), .rw = rw };
	double penalty = 0, *r = xcalloc(q * q, sizeof(double));
	int status = -1, solved;

	memset(s, 0, sizeof(*s));
	s->n = dataset_rows_across_ranks(ds);
	s->p = p;
	s->intercept = intercept != 0;
	s->aliased = xcalloc(p, sizeof(int));
	s->w = xcalloc(p, sizeof(double));
	s->cov = xcalloc(p * p, sizeof(double));
	if (row_weights(ds, rw, s, e) != 0 ||
	    reduce(ds, s->weight_sum, l2, rw, intercept, threads, r, e) != 0)
		goto out;
	s->rank = solve_aliased(r, p, q, s->aliased);
	/* No intercept: its column is 0, and marked aliased (weight 0). */
	if (!intercept && !s->aliased[0]) {
		s->aliased[0] = 1;
		s->rank--;
	}
	solved = solve_kept(r, q, r + p * q, s, e);
	if (ds->spread) {
		/* Rank 0's answer for all, should another host's LAPACK round
		 * otherwise. */
		if (cluster_check(cluster_rank() == 0 ? solved : 0, e) != 0)
			goto out;
		cluster_broadcast(s->w, p * sizeof(double), 0);
		cluster_broadcast(s->cov, p * p * sizeof(double), 0);
		solved = 0;
	}
	if (solved != 0)
		goto out;
	ps.threads = threads;
	refine(&ps, l2, s);
	/* The residuals from the rows, not ρ², which holds the penalty too. */
	ps.w = s->w;
	ps.rss = xcalloc(ps.count, sizeof(double));
	parallel_run(ps.count, threads, residual_part, &ps);
	for (size_t k = 0; k < ps.count; k++)
		s->rss += ps.rss[k];
	free(ps.rss);
	dataset_sum_across_ranks(ds, &s->rss, 1);
	for (size_t j = 1; j < p; j++)
		penalty += s->w[j] * s->w[j];
	s->objective = s->rss / s->weight_sum + l2 * penalty;
	status = 0;
out:
	free(r);
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
		info = LAPACKE_dgelsd(LAPACK_ROW_MAJOR, (lapack_int)d,
		    (lapack_int)d, 1, a, (lapack_int)d, b, 1, sv, -1.0, &rank);
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
	if (p > 0 &&
	    LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'N', 'U', (lapack_int)p, copy,
		(lapack_int)p, ev) == 0) {
		*lo = ev[0];
		*hi = ev[p - 1];
		status = 0;
	}
	free(copy);
	return status;
}

/*
 * The sequential TSQR of solve.h's qr_stack, for a caller that factorizes its
 * own rows a block at a time (glm.c's weighted rows): one dgeqrf of the q × q
 * triangle stacked on the block.
 */
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
		return error_set(e, EXIT_INPUT,
		    "LAPACK dgeqrf failed (info %d)", (int)info);
	for (size_t j = 0; j < q; j++)
		for (size_t i = 0; i <= j; i++)
			s->r[i + j * q] = s->a[i + j * s->ld];
	return 0;
}
