/*
 * dataset.c: the dense training matrix.
 */
#define _DEFAULT_SOURCE /* madvise(2) and MADV_HUGEPAGE, Linux's */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cluster.h"
#include "dataset.h"
#include "num.h"
#include "parallel.h"
#include "failure.h"
#include "linalg.h"
#include "rng.h"

/*
 * Ask for the rows' memory [x, x + bytes) to be backed by huge pages where the
 * system has them, for a dataset whose epochs read its rows (ds->reread). With
 * 4 KiB pages, rows read in a random order miss the address translation cache
 * at nearly every row, and even a pass in order pays for it. But a huge page
 * costs more to fault in where the memory is fresh from a virtual machine's
 * host, so a batch MSE fit, whose epochs come from the moments and do not read
 * its rows again, is better off without (the figures: tests/bench/README.md,
 * notes from the code).
 * A hint only; small blocks are left alone.
 */
static void
advise_huge_pages(double *x, size_t bytes)
{
#ifdef MADV_HUGEPAGE
	uintptr_t page = 4096, start = ((uintptr_t)x + page - 1) & ~(page - 1);
	uintptr_t end = ((uintptr_t)x + bytes) & ~(page - 1);

	if (bytes >= ((size_t)4 << 20) && end > start)
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)x, (void)bytes;
#endif
}

void
dataset_init(struct dataset *ds, size_t d, const char *const *names)
{
	memset(ds, 0, sizeof(*ds));
	ds->d = d;
	ds->names = xcalloc(d + 1, sizeof(*ds->names));
	for (size_t j = 0; j <= d; j++)
		ds->names[j] = xstrdup(names[j]);
}

void
dataset_free(struct dataset *ds)
{
	if (ds->names != NULL)
		for (size_t j = 0; j <= ds->d; j++)
			free(ds->names[j]);
	free(ds->names);
	if (ds->map != NULL)
		munmap(ds->map, ds->map_size);
	else
		free(ds->x);
	free(ds->rw);
	memset(ds, 0, sizeof(*ds));
}

double *
dataset_add_row(struct dataset *ds)
{
	size_t stride = ds->d + 1;

	assert(ds->map == NULL);
	if (ds->n == ds->capacity) {
		/*
		 * Grow by half: large blocks are moved by mremap, not copied,
		 * and pages not yet written cost no memory.
		 */
		size_t cap =
		    ds->capacity < 64 ? 64 : ds->capacity + ds->capacity / 2;
		double *x;

		if (cap > SIZE_MAX / sizeof(double) / stride)
			return NULL;
		if ((x = realloc(ds->x, cap * stride * sizeof(double))) == NULL)
			return NULL;
		ds->x = x;
		ds->capacity = cap;
	}
	return ds->x + ds->n++ * stride;
}

int
dataset_try_reserve(struct dataset *ds, size_t n)
{
	size_t stride = ds->d + 1;
	double *x;

	assert(ds->map == NULL);
	if (n <= ds->capacity)
		return 0;
	if (n > SIZE_MAX / sizeof(double) / stride ||
	    (x = realloc(ds->x, n * stride * sizeof(double))) == NULL)
		return -1;
	if (ds->reread)
		advise_huge_pages(x, n * stride * sizeof(double));
	ds->x = x;
	ds->capacity = n;
	return 0;
}

void
dataset_reserve(struct dataset *ds, size_t n)
{
	if (dataset_try_reserve(ds, n) != 0)
		error_out_of_memory();
}

void
dataset_gather(struct dataset *dst, const struct dataset *src,
    const size_t *rows, size_t count)
{
	size_t width = (src->d + 1) * sizeof(double);

	dst->reread = src->reread;
	dst->offset = src->offset;
	dataset_reserve(dst, count);
	for (size_t k = 0; k < count; k++)
		memcpy(dataset_row(dst, k), dataset_row(src, rows[k]), width);
	dst->n = count;
	if (src->rw == NULL)
		return;
	free(dst->rw);
	dst->rw = xcalloc(count ? count : 1, sizeof(double));
	for (size_t k = 0; k < count; k++)
		dst->rw[k] = src->rw[rows[k]];
	dst->rw_norm = src->rw_norm;
}

double
dataset_weigh(struct dataset *ds)
{
	double sum = 0;

	if (ds->rw == NULL)
		return (double)ds->n;
	for (size_t i = 0; i < ds->n; i++)
		sum += ds->rw[i];
	ds->rw_norm = sum > 0 ? (double)ds->n / sum : 0;
	return sum;
}

int
dataset_impute(struct dataset *ds, const struct dataset *train, double *value,
    struct error *e)
{
	assert(ds->map == NULL);
	for (size_t j = 0; j < ds->d; j++) {
		double sum = 0;
		size_t seen = 0;

		for (size_t i = 0; i < train->n; i++) {
			double v = dataset_row(train, i)[j];

			if (!isnan(v)) {
				sum += v;
				seen++;
			}
		}
		if (seen == 0)
			return error_set(e, EXIT_INPUT,
			    "column \"%s\" has no values "
			    "to impute from",
			    ds->names[j]);
		value[j] = sum / (double)seen;
		for (size_t i = 0; i < ds->n; i++)
			if (isnan(dataset_row(ds, i)[j]))
				dataset_row(ds, i)[j] = value[j];
	}
	return 0;
}

/* Order rows by their bytes, then by position, for finding duplicates. */
struct row_ref {
	const double *row;
	size_t index;
	size_t width;
};

static int
compare_rows(const void *a, const void *b)
{
	const struct row_ref *x = a, *y = b;
	int c = memcmp(x->row, y->row, x->width);

	return c ? c : (x->index > y->index) - (x->index < y->index);
}

size_t
dataset_drop_duplicates(struct dataset *ds)
{
	size_t width = (ds->d + 1) * sizeof(double), kept = 0, dropped = 0;
	struct row_ref *ref = xcalloc(ds->n, sizeof(*ref));
	char *duplicate;

	assert(ds->map == NULL);
	duplicate = xcalloc(ds->n, 1);

	for (size_t i = 0; i < ds->n; i++)
		ref[i] = (struct row_ref){ dataset_row(ds, i), i, width };
	qsort(ref, ds->n, sizeof(*ref), compare_rows);
	for (size_t i = 1; i < ds->n; i++)
		if (memcmp(ref[i].row, ref[i - 1].row, width) == 0) {
			duplicate[ref[i].index] = 1;
			dropped++;
		}
	for (size_t i = 0; i < ds->n; i++)
		if (!duplicate[i]) {
			if (kept != i)
				memcpy(dataset_row(ds, kept),
				    dataset_row(ds, i), width);
			kept++;
		}
	ds->n = kept;
	free(ref);
	free(duplicate);
	return dropped;
}

void
dataset_fold(size_t k, size_t K, size_t n, size_t *lo, size_t *hi)
{
	*lo = k * n / K;
	*hi = (k + 1) * n / K;
}

size_t
dataset_parts(const struct dataset *ds)
{
	return ds->n < DATASET_PARTS ? (ds->n ? ds->n : 1) : DATASET_PARTS;
}

struct dataset
dataset_rows(const struct dataset *ds, size_t start, size_t count)
{
	struct dataset view = *ds;

	view.x = ds->x + start * (ds->d + 1);
	view.rw = ds->rw != NULL ? ds->rw + start : NULL;
	view.n = count;
	view.capacity = 0;
	view.spread = 0;
	return view;
}

void
dataset_shuffle(struct dataset *ds, struct rng *r)
{
	size_t width = (ds->d + 1) * sizeof(double);
	double *tmp;

	assert(ds->map == NULL);
	tmp = xmalloc(width);

	for (size_t i = ds->n; i > 1; i--) {
		size_t j = (size_t)rng_below(r, i);

		if (j == i - 1)
			continue;
		memcpy(tmp, dataset_row(ds, i - 1), width);
		memcpy(dataset_row(ds, i - 1), dataset_row(ds, j), width);
		memcpy(dataset_row(ds, j), tmp, width);
		if (ds->rw != NULL) {
			double v = ds->rw[i - 1];

			ds->rw[i - 1] = ds->rw[j];
			ds->rw[j] = v;
		}
	}
	free(tmp);
}

/* What the moments' passes share: the data, and a slot per part of the rows. */
struct moments_pass {
	const struct dataset *ds;
	size_t parts;	    /* the rows cut into this many parts */
	const double *mean; /* (p) for the second pass */
	double *slot;	    /* (parts, p) sums, or (parts, p, p) products */
};

/* Rows [*lo, *hi) of part k of parts. */
static void
part_rows(const struct moments_pass *mp, size_t k, size_t *lo, size_t *hi)
{
	dataset_fold(k, mp->parts, mp->ds->n, lo, hi);
}

/*
 * Part k's column sums, kept apart while the rows go by and then stored in its
 * slot: neighbouring parts' slots share cache lines, which two threads would
 * pass back and forth at every row.
 */
static void
sum_part(void *ctx, size_t k)
{
	struct moments_pass *mp = ctx;
	size_t p = mp->ds->d + 1, lo, hi;
	double *sum = xcalloc(p, sizeof(double));

	part_rows(mp, k, &lo, &hi);
	for (size_t i = lo; i < hi; i++)
		linalg_axpy(dataset_weight(mp->ds, i), dataset_row(mp->ds, i),
		    sum, p);
	memcpy(mp->slot + k * p, sum, p * sizeof(double));
	free(sum);
}

/* Rows whose deviations product_part holds at once: 64 rows of 8 bytes a
 * column. */
#define MOMENTS_TILE 64

/*
 * From this many columns (features and target) on, the products are rank-k
 * updates of the BLAS (product_part_syrk), of MOMENTS_BLOCK rows each: at 201
 * columns half the time of the dot products below, at 21 a little slower
 * (tests/bench/README.md). Narrower data keeps the kernel below, whose bits
 * are the same on every processor.
 */
#define MOMENTS_SYRK_TERMS 64
#define MOMENTS_BLOCK 256

/* BLAS's symmetric rank-k update (Fortran interface, column-major). */
void dsyrk_(const char *uplo, const char *trans, const int *n, const int *k,
    const double *alpha, const double *a, const int *lda, const double *beta,
    double *c, const int *ldc);

/*
 * The same sum for wide data, as rank-k updates (dsyrk, from the BLAS linked,
 * which runs on the calling thread alone): the deviations of MOMENTS_BLOCK rows
 * at a time, row-major, are a column-major p × rows matrix D, and D·Dᵀ's lower
 * triangle is the upper one of the row-major sum. The blocks are fixed by the
 * part, so the bits do not depend on the threads; they may on the processor,
 * whose kernel the BLAS picks when it starts (its order of the additions).
 */
static void
product_part_syrk(struct moments_pass *mp, size_t k)
{
	size_t p = mp->ds->d + 1, lo, hi;
	double *cov = mp->slot + k * p * p, one = 1;
	double *dev =
	    xcalloc(p * MOMENTS_BLOCK, sizeof(double)); /* (rows, p) */
	int n = (int)p;

	part_rows(mp, k, &lo, &hi);
	for (size_t start = lo; start < hi; start += MOMENTS_BLOCK) {
		int rows = (int)(hi - start < MOMENTS_BLOCK ? hi - start
							    : MOMENTS_BLOCK);

		for (int r = 0; r < rows; r++) {
			const double *x =
			    dataset_row(mp->ds, start + (size_t)r);

			for (size_t a = 0; a < p; a++)
				dev[(size_t)r * p + a] = x[a] - mp->mean[a];
		}
		dsyrk_("L", "N", &n, &rows, &one, dev, &n, &one, cov, &n);
	}
	free(dev);
}

/*
 * The upper triangle of Σ (x − mean)(x − mean)ᵀ over part k. The deviations of
 * MOMENTS_TILE rows at a time are laid out by column, so that each product is a
 * dot product of two contiguous columns, which linalg_dot vectorizes, rather
 * than a short axpy for every row and column, four products at a time
 * (linalg_dot4); tiles are added in row order.
 */
static void
product_part(void *ctx, size_t k)
{
	struct moments_pass *mp = ctx;
	size_t p = mp->ds->d + 1, lo, hi;
	double *cov, *dev;

	if (p >= MOMENTS_SYRK_TERMS) {
		product_part_syrk(mp, k);
		return;
	}
	cov = mp->slot + k * p * p;
	dev = xcalloc(p * MOMENTS_TILE, sizeof(double)); /* (p, tile) */
	part_rows(mp, k, &lo, &hi);
	for (size_t start = lo; start < hi; start += MOMENTS_TILE) {
		size_t rows =
		    hi - start < MOMENTS_TILE ? hi - start : MOMENTS_TILE;

		for (size_t r = 0; r < rows; r++) {
			const double *x = dataset_row(mp->ds, start + r);
			/* Row weights v (mean 1): Σ v·(x − mean)(x − mean)ᵀ. */
			double root = mp->ds->rw != NULL
			    ? sqrt(dataset_weight(mp->ds, start + r))
			    : 1;

			for (size_t a = 0; a < p; a++)
				dev[a * MOMENTS_TILE + r] =
				    root * (x[a] - mp->mean[a]);
		}
		for (size_t a = 0; a < p; a++) {
			const double *da = dev + a * MOMENTS_TILE;
			size_t b = a;

			for (double four[4]; b + 4 <= p; b += 4) {
				linalg_dot4(da, dev + b * MOMENTS_TILE,
				    MOMENTS_TILE, rows, four);
				for (size_t c = 0; c < 4; c++)
					cov[a * p + b + c] += four[c];
			}
			for (; b < p; b++)
				cov[a * p + b] += linalg_dot(da,
				    dev + b * MOMENTS_TILE, rows);
		}
	}
	free(dev);
}

/*
 * Parts of the rows for the moments (dataset_parts), fewer for wide data, whose
 * (d + 1)² products per part take memory.
 */
static size_t
moments_parts(const struct dataset *ds)
{
	size_t p = ds->d + 1, parts = DATASET_PARTS;

	while (parts > 1 && parts * p * p > ((size_t)1 << 24))
		parts /= 2;
	return ds->n < parts ? (ds->n ? ds->n : 1) : parts;
}

/*
 * The upper triangle of the p × p matrix a summed over the ranks, when ds is
 * spread: packed, so that half as many bytes travel.
 */
static void
sum_upper(const struct dataset *ds, double *a, size_t p)
{
	double *packed;
	size_t k = 0;

	if (!ds->spread)
		return;
	packed = xcalloc(p * (p + 1) / 2, sizeof(double));
	for (size_t i = 0; i < p; i++)
		for (size_t j = i; j < p; j++)
			packed[k++] = a[i * p + j];
	dataset_sum_across_ranks(ds, packed, k);
	k = 0;
	for (size_t i = 0; i < p; i++)
		for (size_t j = i; j < p; j++)
			a[i * p + j] = packed[k++];
	free(packed);
}

void
dataset_moments(const struct dataset *ds, struct moments *m, unsigned threads)
{
	size_t p = ds->d + 1, n = dataset_rows_across_ranks(ds);
	struct moments_pass mp = { .ds = ds, .parts = moments_parts(ds) };

	m->d = ds->d;
	m->mean = xcalloc(p, sizeof(double));
	m->cov = xcalloc(p * p, sizeof(double));
	mp.slot = xcalloc(mp.parts * p * p, sizeof(double));
	parallel_run(mp.parts, threads, sum_part, &mp);
	for (size_t k = 0; k < mp.parts; k++)
		linalg_axpy(1, mp.slot + k * p, m->mean, p);
	dataset_sum_across_ranks(ds, m->mean, p);
	for (size_t a = 0; a < p; a++)
		m->mean[a] /= (double)n;
	memset(mp.slot, 0, mp.parts * p * p * sizeof(double));
	mp.mean = m->mean;
	parallel_run(mp.parts, threads, product_part, &mp);
	for (size_t k = 0; k < mp.parts; k++)
		linalg_axpy(1, mp.slot + k * p * p, m->cov, p * p);
	sum_upper(ds, m->cov, p);
	/* The upper triangle, divided and mirrored. */
	for (size_t a = 0; a < p; a++)
		for (size_t b = a; b < p; b++)
			m->cov[b * p + a] = m->cov[a * p + b] /= (double)n;
	free(mp.slot);
}

void
moments_free(struct moments *m)
{
	free(m->mean);
	free(m->cov);
	m->mean = m->cov = NULL;
}

size_t
dataset_rows_across_ranks(const struct dataset *ds)
{
	return ds->spread ? cluster_sum_size(ds->n) : ds->n;
}

size_t
dataset_rows_before_rank(const struct dataset *ds)
{
	size_t *n, offset = 0;

	if (!ds->spread)
		return 0;
	n = xcalloc((size_t)cluster_size(), sizeof(size_t));
	cluster_allgather(&ds->n, sizeof(ds->n), n);
	for (int r = 0; r < cluster_rank(); r++)
		offset += n[r];
	free(n);
	return offset;
}

void
dataset_sum_across_ranks(const struct dataset *ds, double *x, size_t count)
{
	if (ds->spread)
		cluster_sum(x, count);
}

void
dataset_min_across_ranks(const struct dataset *ds, double *x, size_t count)
{
	if (ds->spread)
		cluster_min(x, count);
}

void
dataset_max_across_ranks(const struct dataset *ds, double *x, size_t count)
{
	if (ds->spread)
		cluster_max(x, count);
}

double
dataset_target_mean(const struct dataset *ds)
{
	double sum = 0;

	for (size_t i = 0; i < ds->n; i++)
		sum += dataset_target(ds, i);
	dataset_sum_across_ranks(ds, &sum, 1);
	return sum / (double)dataset_rows_across_ranks(ds);
}

double
dataset_target_sd(const struct dataset *ds)
{
	double mean = dataset_target_mean(ds), ss = 0;
	size_t n = dataset_rows_across_ranks(ds);

	for (size_t i = 0; i < ds->n; i++) {
		double dev = dataset_target(ds, i) - mean;

		ss += dev * dev;
	}
	dataset_sum_across_ranks(ds, &ss, 1);
	return n ? sqrt(ss / (double)n) : 0;
}

/*
 * A double's bits as an integer of the same order: the sign bit flipped for a
 * positive number, all bits for a negative one (whose magnitude grows the other
 * way).
 */
static uint64_t
order_key(double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof(u));
	return u >> 63 ? ~u : u | (uint64_t)1 << 63;
}

static double
key_value(uint64_t u)
{
	double v;

	u = u >> 63 ? u & ~((uint64_t)1 << 63) : ~u;
	memcpy(&v, &u, sizeof(v));
	return v;
}

/*
 * The 0-based order statistics lo and hi (hi = lo or lo + 1) of n values whose
 * mean is the τ-quantile, the least minimiser of the pinball loss (loss.c) or
 * the middle of the interval of them: the ⌈nτ⌉-th value, or the mean of the
 * nτ-th and the next when nτ is a whole number (τ = ½: the median).
 */
static void
quantile_orders(size_t n, double tau, size_t *lo, size_t *hi)
{
	double at = (double)n * tau, whole = floor(at);
	size_t k;

	if (at == whole && whole >= 1 && whole < (double)n) {
		*lo = (size_t)whole - 1;
		*hi = *lo + 1;
		return;
	}
	k = (size_t)ceil(at);
	k = k < 1 ? 1 : k > n ? n : k;
	*lo = *hi = k - 1;
}

/*
 * The τ-quantile of the targets of all ranks' rows, with no rank holding them
 * all: the targets of order k (from 0) and k + 1 of N, k from quantile_orders,
 * are the smallest keys (see order_key) with more than k and k + 1 targets at
 * or below them, found by bisection on the 64 bits, each step counting over the
 * ranks. The same value as sorting all the targets gives.
 */
static double
spread_quantile(const struct dataset *ds, double tau)
{
	size_t n = dataset_rows_across_ranks(ds), k, last;
	uint64_t lo[2] = { 0, 0 }, hi[2] = { UINT64_MAX, UINT64_MAX };

	quantile_orders(n, tau, &k, &last);
	for (int step = 0; step < 64; step++) {
		uint64_t mid[2];
		double below[2] = { 0, 0 };

		for (int h = 0; h < 2; h++)
			mid[h] = lo[h] + (hi[h] - lo[h]) / 2;
		for (size_t i = 0; i < ds->n; i++) {
			uint64_t key = order_key(dataset_target(ds, i));

			below[0] += key <= mid[0];
			below[1] += key <= mid[1];
		}
		dataset_sum_across_ranks(ds, below, 2);
		for (int h = 0; h < 2; h++) {
			if (below[h] >= (double)(k + 1 + (size_t)h))
				hi[h] = mid[h];
			else
				lo[h] = mid[h] + 1;
		}
	}
	if (last == k)
		return key_value(lo[0]);
	return key_value(lo[0]) / 2 + key_value(lo[1]) / 2;
}

double
dataset_target_quantile(const struct dataset *ds, double tau)
{
	double *y, m;
	size_t lo, hi;

	if (ds->spread)
		return spread_quantile(ds, tau);
	quantile_orders(ds->n, tau, &lo, &hi);
	y = xcalloc(ds->n, sizeof(*y));
	for (size_t i = 0; i < ds->n; i++)
		y[i] = dataset_target(ds, i);
	qsort(y, ds->n, sizeof(*y), num_compare);
	m = lo == hi ? y[lo] : y[lo] / 2 + y[hi] / 2;
	free(y);
	return m;
}

double
dataset_target_median(const struct dataset *ds)
{
	return dataset_target_quantile(ds, 0.5);
}

void
dataset_prefetch(const struct dataset *ds, const size_t *rows, size_t count)
{
#if defined(__GNUC__)
	size_t bytes = (ds->d + 1) * sizeof(double);

	for (size_t k = 0; k < count; k++) {
		const char *row = (const char *)dataset_row(ds, rows[k]);

		for (size_t b = 0; b < bytes; b += 64)
			__builtin_prefetch(row + b);
		__builtin_prefetch(row + bytes - 1);
	}
#else
	(void)ds, (void)rows, (void)count;
#endif
}
