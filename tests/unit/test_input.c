/*
 * test_input.c: input.c, the stage before the CSV reader: the delimiter
 * detected from a head of text; a regular file left as it is; a pipe, plain
 * or compressed (gzip made here with zlib, xz with liblzma, zstd with libzstd),
 * read back through the pump byte for byte, with its head; corrupt and cut
 * streams reported by input_close (zstd's corruption is caught by its frame
 * checksum, which the zstd command writes by default).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "failure.h"
#include "input.h"
#include "testutil.h"

static unsigned char
detect(const char *text, int no_comma, int *found)
{
	char why[200];

	return input_delimiter(text, strlen(text), 1, no_comma, found, why,
	    sizeof(why));
}

static void
delimiter_is_the_one_that_gives_equal_field_counts(void **state)
{
	int found;

	(void)state;
	assert_int_equal(detect("a,b,y\n1,2,3\n4,5,6\n", 0, &found), ',');
	assert_int_equal(found, 1);
	assert_int_equal(detect("a;b;y\n1,5;2;3\n4;5,5;6\n", 0, &found), ';');
	assert_int_equal(detect("a\tb\ty\n1\t2\t3\n", 0, &found), '\t');
	assert_int_equal(detect("a|b|y\n1|2|3\n", 0, &found), '|');
	/* Quoted candidates do not count; CRLF and a BOM do not matter. */
	assert_int_equal(detect("\xef\xbb\xbf\"a;b\",y\r\n\"1;2\",3\r\n", 0,
			     &found),
	    ',');
	/* Tabs that pad comma-separated fields are not delimiters. */
	assert_int_equal(detect(" a \t, b \t\n 1 \t, 2 \t\n", 0, &found), ',');
	/*
	 * Decimal commas: "1,5;2,5" splits in 3 by ',' and 2 by ';', but the
	 * header does not split by ','; without it, the most fields win, unless
	 * the comma is a decimal comma.
	 */
	assert_int_equal(detect("x;y\n1,5;2,5\n", 0, &found), ';');
	assert_int_equal(detect("1,5;2,5\n3,5;4,5\n", 0, &found), ',');
	assert_int_equal(detect("1,5;2,5\n3,5;4,5\n", 1, &found), ';');
	assert_int_equal(found, 1);
}

static void
no_delimiter_found_says_why(void **state)
{
	char why[200];
	int found;

	(void)state;
	/* No candidate at all: one column, or another delimiter. */
	assert_int_equal(input_delimiter("a:b\n1:2\n", 8, 1, 0, &found, why,
			     sizeof(why)),
	    ',');
	assert_int_equal(found, 0);
	assert_string_equal(why,
	    "no delimiter of , ; tab | is in the first 2 lines: read as one "
	    "column");
	/* Ragged rows: a comma file with a bad row, not another delimiter. */
	assert_int_equal(detect("a,y\n1,2,3\n4,5\n", 0, &found), ',');
	assert_int_equal(found, -1);
	/* Not text. */
	assert_int_equal(detect("a;b\x01\n1;2\n", 0, &found), ',');
	assert_int_equal(found, -1);
	assert_int_equal(detect("", 0, &found), ',');
	assert_int_equal(found, -1);
	assert_int_equal(detect("a:b\n", 1, &found), 0);
	/* A header longer than the head: its part. */
	assert_int_equal(input_delimiter("a;b;c;d", 7, 0, 0, &found, why,
			     sizeof(why)),
	    ';');
	assert_int_equal(found, 1);
}

/* Read fd to its end into a malloc'd buffer; *len its length. */
static char *
read_all(int fd, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	ssize_t got;

	while ((got = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	assert_true(got == 0);
	*len = n;
	return buf;
}

/* Lines "i,2i,3i\n" for i < rows: some 1.5 MB for 100000. */
static char *
make_text(size_t rows, size_t *len)
{
	char *s = malloc(rows * 40 + 16);
	size_t n = (size_t)sprintf(s, "a,b,y\n");

	for (size_t i = 0; i < rows; i++)
		n += (size_t)sprintf(s + n, "%zu,%zu,%zu\n", i, 2 * i, 3 * i);
	*len = n;
	return s;
}

/* Open in on fd, read it all, check it is text[0..len), and close it. */
static void
check_reads_back(int fd, const char *text, size_t len, enum input_codec codec)
{
	struct input in;
	struct error e;
	size_t got_len;
	char *got;

	assert_int_equal(input_open(fd, "t", &in, &e), 0);
	assert_int_equal(in.codec, codec);
	assert_true(in.head_len > 0 && in.head_len <= len);
	assert_memory_equal(in.head, text, in.head_len);
	got = read_all(in.fd, &got_len);
	assert_int_equal(got_len, len);
	assert_memory_equal(got, text, len);
	free(got);
	assert_int_equal(input_close(&in, &e), 0);
}

static void
a_regular_file_is_read_as_it_is(void **state)
{
	size_t len;
	char *text = make_text(1000, &len);
	int fd = tu_tmpfd(text, len);
	struct input in;
	struct error e;

	(void)state;
	assert_int_equal(input_open(fd, "t", &in, &e), 0);
	assert_int_equal(in.fd, fd);
	assert_null(in.pump);
	assert_int_equal(in.codec, INPUT_PLAIN);
	/* INPUT_HEAD_LINES lines, and the file offset left at 0. */
	assert_int_equal(in.head_len,
	    (size_t)(strstr(text, "\n31,62,93\n") - text) + 1);
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 0);
	assert_int_equal(input_close(&in, &e), 0);
	close(fd);
	free(text);
}

static void
a_plain_pipe_is_read_back_whole(void **state)
{
	size_t len;
	char *text = make_text(100000, &len);
	pid_t pid;
	int fd = tu_pipefd(text, len, 4093, &pid);

	(void)state;
	check_reads_back(fd, text, len, INPUT_PLAIN);
	tu_pipe_finish(fd, pid);
	/* Shorter than the magic numbers, and empty. */
	fd = tu_pipefd("a\n", 2, 1, &pid);
	check_reads_back(fd, "a\n", 2, INPUT_PLAIN);
	tu_pipe_finish(fd, pid);
	free(text);
}

static char *
gzip_of(const char *s, size_t len, size_t *out)
{
	z_stream z = { 0 };
	size_t cap = len + 1024;
	char *buf = malloc(cap);

	/* 15 + 16: a gzip header. */
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
			     Z_DEFAULT_STRATEGY),
	    Z_OK);
	z.next_in = (unsigned char *)s;
	z.avail_in = (uInt)len;
	z.next_out = (unsigned char *)buf;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out = cap - z.avail_out;
	deflateEnd(&z);
	return buf;
}

static char *
xz_of(const char *s, size_t len, size_t *out)
{
	size_t cap = len + 1024, pos = 0;
	char *buf = malloc(cap);

	assert_int_equal(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64, NULL,
			     (const uint8_t *)s, len, (uint8_t *)buf, &pos,
			     cap),
	    LZMA_OK);
	*out = pos;
	return buf;
}

static char *
zstd_of(const char *s, size_t len, size_t *out)
{
	size_t cap = ZSTD_compressBound(len);
	char *buf = malloc(cap);
	ZSTD_CCtx *c = ZSTD_createCCtx();

	/* With the checksum, as the zstd command writes by default. */
	ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
	*out = ZSTD_compress2(c, buf, cap, s, len);
	assert_false(ZSTD_isError(*out));
	ZSTD_freeCCtx(c);
	return buf;
}

static void
compressed_input_is_decompressed_from_a_file_and_a_pipe(void **state)
{
	char *(*make[])(const char *, size_t, size_t *) = { gzip_of, xz_of,
		zstd_of };
	enum input_codec codec[] = { INPUT_GZIP, INPUT_XZ, INPUT_ZSTD };
	size_t len, zlen;
	char *text = make_text(100000, &len);

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		char *z = make[k](text, len, &zlen);
		int fd = tu_tmpfd(z, zlen);
		pid_t pid;

		check_reads_back(fd, text, len, codec[k]);
		close(fd);
		fd = tu_pipefd(z, zlen, 1000, &pid);
		check_reads_back(fd, text, len, codec[k]);
		tu_pipe_finish(fd, pid);
		free(z);
	}
	free(text);
}

static void
cut_and_corrupt_streams_are_errors_of_input_close(void **state)
{
	char *(*make[])(const char *, size_t, size_t *) = { gzip_of, xz_of,
		zstd_of };
	static const char *const name[] = { "gzip", "xz", "zstd" };
	size_t len, zlen;
	char *text = make_text(2000, &len), want[64];

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		char *z = make[k](text, len, &zlen);
		int fd = tu_tmpfd(z, zlen / 2);
		struct input in;
		struct error e;
		size_t got_len;
		char *got;

		assert_int_equal(input_open(fd, "t", &in, &e), 0);
		got = read_all(in.fd, &got_len);
		assert_true(got_len < len);
		free(got);
		assert_int_equal(input_close(&in, &e), -1);
		assert_int_equal(e.status, EXIT_INPUT);
		snprintf(want, sizeof(want), "t: %s input: ", name[k]);
		assert_memory_equal(e.msg, want, strlen(want));
		close(fd);
		/* Bytes changed in the middle. */
		memset(z + zlen / 2, 0x55, 64);
		fd = tu_tmpfd(z, zlen);
		assert_int_equal(input_open(fd, "t", &in, &e), 0);
		got = read_all(in.fd, &got_len);
		free(got);
		if (input_close(&in, &e) != -1)
			fail_msg("%s: a corrupt stream read as good", name[k]);
		assert_memory_equal(e.msg, want, strlen(want));
		close(fd);
		free(z);
	}
	free(text);
}

static void
a_reader_that_stops_early_is_no_error(void **state)
{
	size_t len, zlen;
	char *text = make_text(100000, &len), *z = gzip_of(text, len, &zlen);
	int fd = tu_tmpfd(z, zlen);
	struct input in;
	struct error e;

	(void)state;
	assert_int_equal(input_open(fd, "t", &in, &e), 0);
	assert_int_equal(input_close(&in, &e), 0);
	close(fd);
	free(z);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    delimiter_is_the_one_that_gives_equal_field_counts),
		cmocka_unit_test(no_delimiter_found_says_why),
		cmocka_unit_test(a_regular_file_is_read_as_it_is),
		cmocka_unit_test(a_plain_pipe_is_read_back_whole),
		cmocka_unit_test(
		    compressed_input_is_decompressed_from_a_file_and_a_pipe),
		cmocka_unit_test(
		    cut_and_corrupt_streams_are_errors_of_input_close),
		cmocka_unit_test(a_reader_that_stops_early_is_no_error),
	};

	tu_filter_from_environment();
	return cmocka_run_group_tests_name("input", tests, NULL, NULL);
}
