/*
 * test_linalg.c: dot, axpy and matvec agree with naive loops for every length
 * (vector tails included), and dot4 with dot bit for bit; the largest
 * eigenvalue is found for matrices whose answer is known in closed form,
 * including those where a start vector of all ones is orthogonal to the top
 * eigenvector.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"
#include "testutil.h"

static void
dot_matches_naive_loop(void **state)
{
	double a[103], b[103];
	uint64_t seed = 3;

	(void)state;
	for (size_t i = 0; i < 103; i++) {
		a[i] = tu_normal(&seed);
		b[i] = tu_normal(&seed);
	}
	for (size_t n = 0; n <= 103; n++) {
		double want = 0, size = 0;
		for (size_t i = 0; i < n; i++) {
			want += a[i] * b[i];
			size += fabs(a[i] * b[i]);
		}
		/* Any order of summation is within n·eps·Σ|a_i b_i| of the
		 * exact sum. */
		assert_near(linalg_dot(a, b, n), want,
		    1e-15 * (double)(n + 1) * size);
	}
	/* Exact on integers. */
	{
		double u[] = { 1, 2, 3, 4, 5, 6, 7 },
		       v[] = { 7, 6, 5, 4, 3, 2, 1 };
		assert_same_double(linalg_dot(u, v, 7), 84.0);
		assert_same_double(linalg_dot(u, v, 0), 0.0);
	}
}

/* dot4 gives, product by product, the bits of dot, for every length and a
 * stride. */
static void
dot4_gives_the_bits_of_dot(void **state)
{
	enum { LEN = 70, STRIDE = 73 };
	double a[LEN], b[4 * STRIDE];
	uint64_t seed = 5;

	(void)state;
	for (size_t i = 0; i < LEN; i++)
		a[i] = tu_normal(&seed) * 1e3;
	for (size_t i = 0; i < 4 * STRIDE; i++)
		b[i] = tu_normal(&seed);
	for (size_t n = 0; n <= LEN; n++) {
		double out[4];

		linalg_dot4(a, b, STRIDE, n, out);
		for (size_t k = 0; k < 4; k++)
			assert_same_double(out[k],
			    linalg_dot(a, b + k * STRIDE, n));
	}
}

static void
axpy_matches_naive_loop(void **state)
{
	double x[37], y[37], want[37];
	uint64_t seed = 5;

	(void)state;
	for (size_t n = 0; n <= 37; n++) {
		double alpha = tu_normal(&seed);
		for (size_t i = 0; i < 37; i++) {
			x[i] = tu_normal(&seed);
			y[i] = want[i] = tu_normal(&seed);
		}
		for (size_t i = 0; i < n; i++)
			want[i] += alpha * x[i];
		linalg_axpy(alpha, x, y, n);
		/* One multiply and one add per element: exactly the naive
		 * result. */
		for (size_t i = 0; i < 37; i++)
			assert_same_double(y[i], want[i]);
	}
}

static void
matvec_matches_naive_loop(void **state)
{
	double a[12 * 12], x[12], y[13];
	uint64_t seed = 9;

	(void)state;
	for (size_t p = 1; p <= 12; p++) {
		for (size_t i = 0; i < p * p; i++)
			a[i] = tu_normal(&seed);
		for (size_t i = 0; i < p; i++)
			x[i] = tu_normal(&seed);
		y[p] = 12345.0; /* past the end: untouched */
		linalg_matvec(a, x, y, p);
		for (size_t r = 0; r < p; r++) {
			double want = 0, size = 0;
			for (size_t c = 0; c < p; c++) {
				want += a[r * p + c] * x[c];
				size += fabs(a[r * p + c] * x[c]);
			}
			assert_near(y[r], want, 1e-15 * (double)(p + 1) * size);
		}
		assert_same_double(y[p], 12345.0);
	}
}

/* Within 1e-6 relative of the truth (the Rayleigh quotient stops at 1e-9
 * changes). */
static void
check_eigen(const double *a, size_t p, double truth)
{
	assert_near(linalg_max_eigenvalue(a, p), truth, 1e-6 * truth);
}

static void
max_eigenvalue_of_diagonal_matrices(void **state)
{
	double a[16] = { 0 };

	(void)state;
	a[0] = 3;
	a[5] = 1;
	a[10] = 7;
	a[15] = 2;
	check_eigen(a, 4, 7.0);
	a[10] = 0.5;
	check_eigen(a, 4, 3.0);
	{
		double one = 4.25;
		check_eigen(&one, 1, 4.25);
	}
}

/* λmax of [[a, b], [b, c]] = (a + c)/2 + sqrt(((a − c)/2)² + b²). */
static void
max_eigenvalue_of_2x2_matches_closed_form(void **state)
{
	static const double cases[][3] = {
		{ 2, 1, 3 }, { 2, -1, 2 }, /* top eigenvector (1, −1):
					      orthogonal to (1, 1) */
		{ 1, -0.5, 1 }, { 5, 0, 1 }, { 1, 0.999, 1 },
		{ 1e-3, 2e-3, 4e-3 }, /* rank one, small */
	};

	(void)state;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		double a = cases[k][0], b = cases[k][1], c = cases[k][2];
		double m[4] = { a, b, b, c };
		double truth =
		    (a + c) / 2 + sqrt((a - c) * (a - c) / 4 + b * b);
		check_eigen(m, 2, truth);
	}
}

/*
 * The Gram matrix of [1, z1, z2] for standardized, negatively correlated
 * features:
 * [[1, 0, 0], [0, 1, ρ], [0, ρ, 1]] with ρ = −0.5 has λmax = 1.5, eigenvector
 * (0, 1, −1). A start of all ones never sees it.
 */
static void
max_eigenvalue_of_negatively_correlated_gram(void **state)
{
	double g[9] = { 1, 0, 0, 0, 1, -0.5, 0, -0.5, 1 };

	(void)state;
	check_eigen(g, 3, 1.5);
}

static void
max_eigenvalue_of_rank_one_is_squared_norm(void **state)
{
	double u[6] = { 1, -2, 0.5, 3, 0, -1 }, a[36];
	double norm2 = 0;

	(void)state;
	for (size_t i = 0; i < 6; i++) {
		norm2 += u[i] * u[i];
		for (size_t j = 0; j < 6; j++)
			a[i * 6 + j] = u[i] * u[j];
	}
	check_eigen(a, 6, norm2); /* 15.25 */
}

/* Q diag(λ) Qᵀ for a Householder Q = I − 2vvᵀ/vᵀv: a dense matrix with known
 * spectrum. */
static void
max_eigenvalue_of_rotated_spectrum(void **state)
{
	enum { P = 6 };
	double lambda[P] = { 0.2, 3.0, 1.0, 2.0, 0.0, 1.5 };
	double v[P] = { 1, 1, 1, 1, 1, 1.5 }, q[P * P], a[P * P];
	double vv = 0;

	(void)state;
	for (size_t i = 0; i < P; i++)
		vv += v[i] * v[i];
	for (size_t i = 0; i < P; i++)
		for (size_t j = 0; j < P; j++)
			q[i * P + j] = (i == j) - 2 * v[i] * v[j] / vv;
	for (size_t i = 0; i < P; i++)
		for (size_t j = 0; j < P; j++) {
			double s = 0;
			for (size_t k = 0; k < P; k++)
				s += q[i * P + k] * lambda[k] * q[j * P + k];
			a[i * P + j] = s;
		}
	check_eigen(a, P, 3.0);
}

static void
max_eigenvalue_of_zero_matrix_is_zero(void **state)
{
	double z[9] = { 0 };

	(void)state;
	assert_same_double(linalg_max_eigenvalue(z, 3), 0.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dot_matches_naive_loop),
		cmocka_unit_test(dot4_gives_the_bits_of_dot),
		cmocka_unit_test(axpy_matches_naive_loop),
		cmocka_unit_test(matvec_matches_naive_loop),
		cmocka_unit_test(max_eigenvalue_of_diagonal_matrices),
		cmocka_unit_test(max_eigenvalue_of_2x2_matches_closed_form),
		cmocka_unit_test(max_eigenvalue_of_negatively_correlated_gram),
		cmocka_unit_test(max_eigenvalue_of_rank_one_is_squared_norm),
		cmocka_unit_test(max_eigenvalue_of_rotated_spectrum),
		cmocka_unit_test(max_eigenvalue_of_zero_matrix_is_zero),
	};

	return cmocka_run_group_tests_name("linalg", tests, NULL, NULL);
}
