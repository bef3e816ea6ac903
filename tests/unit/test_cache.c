/*
 * test_cache.c: a cache written from rows reads back as those rows scaled by
 * the statistics scaler_fit gives the same rows in memory, bit for bit, with
 * the same names; it is found stale for another input or options; every
 * truncation of the file, and a flipped magic, version, byte-order, size or
 * count field, is refused with a message (never a crash); a failed write leaves
 * no temporary file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "dataset.h"
#include "failure.h"
#include "scale.h"
#include "testutil.h"

enum { N = 300, D = 3 };

static const char *const names[D + 1] = { "a", "b", "const", "y" };

/* A folder of the test's own, and the cache's path in it. */
static char dir[64], path[128];

/* Row i of the test data: two varying features, a constant one, a target. */
static void
row_of(size_t i, double *row)
{
	row[0] = (double)i * 0.37 - 20;
	row[1] = 1e6 + (double)((i * 7919) % 101) / 3;
	row[2] = 4.25;
	row[3] = row[0] * 2 - row[1] / 1e5 + 1;
}

static const struct cache_key key = { .size = 12345,
	.mtime_sec = 1700000000,
	.mtime_nsec = 123456789,
	.delimiter = ',',
	.header = 1,
	.missing = 0,
	.scaling = SCALE_ZSCORE,
	.target = "y",
	.features = NULL,
	.drop = "z" };

/* Write the test rows to path as a cache for key. */
static void
write_cache(void)
{
	struct cache_writer w;
	struct error e;
	double row[D + 1];

	assert_int_equal(cache_create(&w, path, &key, &e), 0);
	assert_int_equal(cache_columns(&w, D, names, &e), 0);
	for (size_t i = 0; i < N; i++) {
		row_of(i, row);
		assert_int_equal(cache_add_row(&w, row, &e), 0);
	}
	assert_int_equal(cache_commit(&w, SCALE_ZSCORE, &e), 0);
}

/* Entries of dir other than . and the cache itself. */
static int
stray_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *ent;
	int n = 0;

	assert_non_null(d);
	while ((ent = readdir(d)) != NULL)
		n += strcmp(ent->d_name, ".") != 0 &&
		    strcmp(ent->d_name, "..") != 0 &&
		    strcmp(ent->d_name, "cache.bin") != 0;
	closedir(d);
	return n;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_cache.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/cache.bin", dir);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
reads_back_the_rows_scaled_as_in_memory_bit_for_bit(void **state)
{
	struct dataset mem, ds;
	struct scaler want, got;
	struct error e;

	(void)state;
	write_cache();
	assert_int_equal(stray_files(), 0);
	dataset_init(&mem, D, names);
	for (size_t i = 0; i < N; i++)
		row_of(i, dataset_add_row(&mem));
	assert_int_equal(scaler_fit(&want, &mem, SCALE_ZSCORE, 1, &e), 0);
	scaler_apply(&want, &mem, 1);
	assert_int_equal(cache_open(path, &key, &ds, &got, &e), CACHE_OK);
	assert_non_null(ds.map);
	assert_int_equal(ds.n, N);
	assert_int_equal(ds.d, D);
	for (size_t j = 0; j <= D; j++)
		assert_string_equal(ds.names[j], names[j]);
	for (size_t j = 0; j < D; j++) {
		assert_same_double(got.mean[j], want.mean[j]);
		assert_same_double(got.sd[j], want.sd[j]);
		assert_same_double(got.shift[j], want.shift[j]);
		assert_same_double(got.scale[j], want.scale[j]);
	}
	assert_true(scaler_is_constant(&got, 2));
	for (size_t i = 0; i < N * (D + 1); i++)
		assert_same_double(ds.x[i], mem.x[i]);
	dataset_free(&ds);
	assert_null(ds.map);
	scaler_free(&got);
	scaler_free(&want);
	dataset_free(&mem);
}

static void
another_input_or_options_make_it_stale(void **state)
{
	struct dataset ds;
	struct scaler s;
	struct error e;
	struct cache_key other;

	(void)state;
	write_cache();
	other = key;
	other.mtime_nsec++;
	assert_int_equal(cache_open(path, &other, &ds, &s, &e), CACHE_STALE);
	other = key;
	other.size++;
	assert_int_equal(cache_open(path, &other, &ds, &s, &e), CACHE_STALE);
	other = key;
	other.drop = NULL;
	assert_int_equal(cache_open(path, &other, &ds, &s, &e), CACHE_STALE);
	other = key;
	other.features = "a";
	assert_int_equal(cache_open(path, &other, &ds, &s, &e), CACHE_STALE);
	other = key;
	other.scaling = SCALE_MINMAX;
	assert_int_equal(cache_open(path, &other, &ds, &s, &e), CACHE_STALE);
	/* Without a key, any sound cache will do. */
	assert_int_equal(cache_open(path, NULL, &ds, &s, &e), CACHE_OK);
	dataset_free(&ds);
	scaler_free(&s);
}

/* The whole file at path into a buffer of *len bytes. */
static unsigned char *
slurp(size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	struct stat st;

	assert_non_null(f);
	assert_int_equal(fstat(fileno(f), &st), 0);
	*len = (size_t)st.st_size;
	buf = malloc(*len);
	assert_int_equal(fread(buf, 1, *len, f), *len);
	fclose(f);
	return buf;
}

static void
spew(const unsigned char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* cache_open of path must refuse it (as found) with a message naming path. */
static void
expect_refused(enum cache_found found)
{
	struct dataset ds;
	struct scaler s;
	struct error e = { 0 };

	assert_int_equal(cache_open(path, NULL, &ds, &s, &e), found);
	assert_int_equal(e.status, EXIT_INPUT);
	assert_contains(e.msg, path);
}

static void
every_truncation_is_refused(void **state)
{
	unsigned char *buf;
	size_t len, step;

	(void)state;
	write_cache();
	buf = slurp(&len);
	/* Every byte of the header and the first rows, then every 7th. */
	for (size_t cut = 1; cut < len; cut += step) {
		step = cut < 4096 + 64 ? 1 : 7;
		spew(buf, cut);
		expect_refused(cut < 8 ? CACHE_FOREIGN : CACHE_BAD);
	}
	spew(buf, len - 1);
	expect_refused(CACHE_BAD);
	free(buf);
}

/* Flip a bit of the byte at off and expect the file refused as found. */
static void
flip(const unsigned char *orig, size_t len, size_t off, enum cache_found found)
{
	unsigned char *buf = malloc(len);

	memcpy(buf, orig, len);
	buf[off] ^= 0x10;
	spew(buf, len);
	expect_refused(found);
	free(buf);
}

static void
flipped_fields_are_refused(void **state)
{
	unsigned char *buf;
	size_t len;
	struct dataset ds;
	struct scaler s;
	struct error e;

	(void)state;
	write_cache();
	buf = slurp(&len);
	flip(buf, len, 0, CACHE_FOREIGN); /* magic */
	flip(buf, len, 8, CACHE_BAD);	  /* version */
	flip(buf, len, 12, CACHE_BAD);	  /* byte order */
	flip(buf, len, 16, CACHE_BAD);	  /* sizeof(double) */
	flip(buf, len, 24, CACHE_BAD);	  /* n */
	flip(buf, len, 31, CACHE_BAD);	  /* n, high byte */
	flip(buf, len, 32, CACHE_BAD);	  /* d */
	flip(buf, len, 40, CACHE_BAD);	  /* data offset */
	flip(buf, len, 52, CACHE_BAD);	  /* the CSV's size: the hash */
	flip(buf, len, 100, CACHE_BAD);	  /* an option's bytes */
	flip(buf, len, 96, CACHE_BAD);	  /* an option's length */
	/* The byte-order message says what is wrong. */
	buf[12] ^= 0x10;
	spew(buf, len);
	assert_int_equal(cache_open(path, NULL, &ds, &s, &e), CACHE_BAD);
	assert_contains(e.msg, "another architecture");
	buf[12] ^= 0x10;
	/* A file that is not a cache, and an empty one. */
	spew((const unsigned char *)"a,b\n1,2\n", 8);
	expect_refused(CACHE_FOREIGN);
	spew(buf, 0);
	assert_int_equal(cache_open(path, NULL, &ds, &s, &e), CACHE_ABSENT);
	unlink(path);
	assert_int_equal(cache_open(path, NULL, &ds, &s, &e), CACHE_ABSENT);
	free(buf);
}

static void
a_failed_write_leaves_no_temporary_file(void **state)
{
	struct cache_writer w;
	struct error e;
	double row[D + 1];

	(void)state;
	unlink(path);
	/* Two rows, one constant value spanning beyond a double: scaler_fit
	 * fails. */
	assert_int_equal(cache_create(&w, path, &key, &e), 0);
	assert_int_equal(cache_columns(&w, D, names, &e), 0);
	for (int i = 0; i < 2; i++) {
		row_of(0, row);
		row[0] = i ? 1.7e308 : -1.7e308;
		assert_int_equal(cache_add_row(&w, row, &e), 0);
	}
	assert_int_equal(cache_commit(&w, SCALE_ZSCORE, &e), -1);
	assert_contains(e.msg, "span");
	assert_int_equal(stray_files(), 0);
	assert_int_equal(access(path, F_OK), -1);
	/* Given up on: the same. */
	assert_int_equal(cache_create(&w, path, &key, &e), 0);
	cache_abort(&w);
	assert_int_equal(stray_files(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    reads_back_the_rows_scaled_as_in_memory_bit_for_bit),
		cmocka_unit_test(another_input_or_options_make_it_stale),
		cmocka_unit_test(every_truncation_is_refused),
		cmocka_unit_test(flipped_fields_are_refused),
		cmocka_unit_test(a_failed_write_leaves_no_temporary_file),
	};

	return cmocka_run_group_tests_name("cache", tests, setup, teardown);
}
