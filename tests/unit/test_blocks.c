/*
 * test_blocks.c: blocks_read gives the records of an input, with their lines,
 * in the order one csv_read gives them, for 1, 3 and 8 threads, from a pipe fed
 * in odd pieces and from a file: inputs of several blocks, with a quote
 * half-way (the rest read by one reader), CRLF, no last newline, a byte-order
 * mark, a blank first line, a quoted header, a line longer than a block; the
 * same first error. blocks_cut and blocks_plain on their own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "csv.h"
#include "failure.h"
#include "testutil.h"

/* A growing string. */
struct text {
	char *s;
	size_t len, cap;
};

static void
append(struct text *t, const char *s, size_t len)
{
	if (t->len + len + 1 > t->cap) {
		t->cap = (t->len + len + 1) * 2;
		t->s = realloc(t->s, t->cap);
		assert_non_null(t->s);
	}
	memcpy(t->s + t->len, s, len);
	t->len += len;
	t->s[t->len] = '\0';
}

/* Each record as "line:field|field|...\n"; a record "fail" is an error. */
static int
dump(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct text *t = ctx;
	char head[32];

	if (rec->nfields == 1 && strcmp(rec->field[0], "fail") == 0)
		return error_set(e, EXIT_INPUT, "line %ld fails", rec->line);
	snprintf(head, sizeof(head), "%ld:", rec->line);
	append(t, head, strlen(head));
	for (size_t j = 0; j < rec->nfields; j++) {
		append(t, rec->field[j], rec->len[j]);
		append(t, j + 1 < rec->nfields ? "|" : "\n", 1);
	}
	return 0;
}

struct run {
	struct text out;   /* first record, then the blocks', in order */
	struct text *slot; /* (blocks_slots) each block's */
	struct csv_options opt;
	int header, started;
};

/* As a reader of blocks does: the first record, then the records of rest. */
static int
first(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct run *r = ctx;

	r->started = 1;
	append(&r->out, "first ", 6);
	return dump(&r->out, rec, e);
}

static int
on_record(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct run *r = ctx;

	if (!r->started) {
		if (first(r, rec, e))
			return -1;
		if (r->header)
			return 0;
	}
	return dump(&r->out, rec, e);
}

static int
parse(void *ctx, size_t k, const char *bytes, size_t len, long line,
    struct error *e)
{
	struct run *r = ctx;

	r->slot[k].len = 0;
	return csv_read_bytes(bytes, len, -1, line, &r->opt, NULL, dump,
	    &r->slot[k], e);
}

static int
take(void *ctx, size_t k, struct error *e)
{
	struct run *r = ctx;

	(void)e;
	append(&r->out, r->slot[k].s ? r->slot[k].s : "", r->slot[k].len);
	return 0;
}

static int
rest(void *ctx, const char *bytes, size_t len, int fd, long line,
    struct error *e)
{
	struct run *r = ctx;

	return csv_read_bytes(bytes, len, fd, line, &r->opt, NULL, on_record, r,
	    e);
}

/*
 * Read s by blocks_read (threads, header) from fd, into out; returns its
 * status, its error in e.
 */
static int
read_blocks(int fd, unsigned threads, int header, struct text *out,
    struct error *e)
{
	struct run r = { .opt = { .name = "in", .delimiter = ',' },
		.header = header };
	struct blocks b = { .opt = &r.opt,
		.threads = threads,
		.header = header,
		.ctx = &r,
		.first = first,
		.parse = parse,
		.take = take,
		.rest = rest };
	size_t n = blocks_slots(threads);
	int status;

	r.slot = calloc(n, sizeof(*r.slot));
	assert_non_null(r.slot);
	status = blocks_read(fd, &b, e);
	for (size_t k = 0; k < n; k++)
		free(r.slot[k].s);
	free(r.slot);
	*out = r.out;
	return status;
}

/*
 * What one reader gives: the first record as blocks_read's first sees it, then
 * (without a header, the first record again) every record.
 */
static int
read_one(const char *s, size_t len, int header, struct text *out,
    struct error *e)
{
	struct csv_options opt = { .name = "in", .delimiter = ',' };
	struct text all = { 0 };
	int fd = tu_tmpfd(s, len), status;
	char *nl;

	assert_true(fd >= 0);
	status = csv_read(fd, &opt, dump, &all, e);
	close(fd);
	memset(out, 0, sizeof(*out));
	if (all.len > 0) {
		nl = strchr(all.s, '\n');
		append(out, "first ", 6);
		append(out, all.s, (size_t)(nl - all.s) + 1);
		if (header)
			append(out, nl + 1, all.len - (size_t)(nl + 1 - all.s));
		else
			append(out, all.s, all.len);
	}
	free(all.s);
	return status;
}

/* blocks_read equals one reader on s, by pipe and file, for 1, 3, 8 threads. */
static void
check_same(const char *s, size_t len, int header)
{
	struct text want, got;
	struct error we = { 0 }, ge = { 0 };
	int ws = read_one(s, len, header, &want, &we);
	unsigned threads[] = { 1, 3, 8 };

	for (size_t i = 0; i < 3; i++)
		for (int piped = 0; piped < 2; piped++) {
			pid_t pid = -1;
			int fd = piped ? tu_pipefd(s, len, 7001, &pid)
				       : tu_tmpfd(s, len);
			int gs;

			assert_true(fd >= 0);
			memset(&ge, 0, sizeof(ge));
			gs = read_blocks(fd, threads[i], header, &got, &ge);
			tu_pipe_finish(fd, pid);
			assert_int_equal(gs, ws);
			if (ws != 0)
				assert_string_equal(ge.msg, we.msg);
			/* Before an error: the records of one reader. */
			if (ws == 0)
				assert_int_equal(got.len, want.len);
			if (got.len > 0 && want.len > 0)
				assert_memory_equal(got.s, want.s,
				    got.len < want.len ? got.len : want.len);
			free(got.s);
		}
	free(want.s);
}

/* rows lines of numbers after a header, about 30 bytes each, ending in eol. */
static char *
numbers(size_t rows, const char *eol, size_t *len)
{
	struct text t = { 0 };
	char line[128];

	append(&t, "a,b,c,y", 7);
	append(&t, eol, strlen(eol));
	for (size_t i = 0; i < rows; i++) {
		snprintf(line, sizeof(line), "%zu,%zu.25,-%zu.5,%zu%s", i,
		    i * 7 % 1000, i % 97, i * 31, eol);
		append(&t, line, strlen(line));
	}
	*len = t.len;
	return t.s;
}

#define ROWS 80000 /* about 2 MB: eight blocks or more */

static void
test_plain_input(void **state)
{
	size_t len;
	char *s = numbers(ROWS, "\n", &len);

	(void)state;
	check_same(s, len, 1);
	check_same(s, len, 0);
	check_same(s, len - 1, 1); /* no last newline */
	free(s);
	s = numbers(ROWS, "\r\n", &len);
	check_same(s, len, 1);
	free(s);
}

static void
test_quote_half_way(void **state)
{
	size_t len;
	char *s = numbers(ROWS, "\n", &len);
	char *at = strchr(s + len / 2, '\n') + 1;

	(void)state;
	/* A quoted field over two lines: from it on, one reader. */
	memcpy(at, "\"7\n8\"", 5);
	check_same(s, len, 1);
	/* A lone CR half-way. */
	memcpy(at, "1,2\r", 4);
	check_same(s, len, 1);
	free(s);
}

static void
test_header_and_start(void **state)
{
	size_t len;
	char *s = numbers(ROWS, "\n", &len), *t = malloc(len + 8);

	(void)state;
	assert_non_null(t);
	/* A byte-order mark. */
	memcpy(t, "\xef\xbb\xbf", 3);
	memcpy(t + 3, s, len);
	check_same(t, len + 3, 1);
	/* A blank first line: the header is the second. */
	t[0] = '\n';
	memcpy(t + 1, s, len);
	check_same(t, len + 1, 1);
	/* A quoted header; one whose quoted name holds a newline. */
	memcpy(s, "\"a\",b,c,y", 9);
	check_same(s, len, 1);
	memcpy(s, "\"a\nb\",c,y", 9);
	check_same(s, len, 1);
	free(s);
	free(t);
	check_same("", 0, 1);
	check_same("a,b\n", 4, 1);
	check_same("a,b", 3, 1);
}

static void
test_long_line(void **state)
{
	size_t len, big = 3 << 20;
	char *s = numbers(ROWS, "\n", &len), *t = malloc(len + big + 2);
	char *at = strchr(s + len / 2, '\n') + 1;

	(void)state;
	assert_non_null(t);
	/* A line of 3 MiB half-way: a block grows to hold it. */
	memcpy(t, s, (size_t)(at - s));
	memset(t + (at - s), '7', big);
	t[(at - s) + big] = '\n';
	memcpy(t + (at - s) + big + 1, at, len - (size_t)(at - s));
	check_same(t, len + big + 1, 1);
	free(s);
	free(t);
}

static void
test_first_error(void **state)
{
	size_t len;
	char *s = numbers(ROWS, "\n", &len);
	char *at = strchr(s + len / 3, '\n') + 1, *later;

	(void)state;
	memcpy(at, "fail\n", 5);
	later = strchr(s + 2 * len / 3, '\n') + 1;
	memcpy(later, "fail\n", 5);
	check_same(s, len, 1);
	/* A malformed quote late: after it, one reader says where. */
	memcpy(later, "\"1\"x", 4);
	memcpy(at, "1,2,3,4", 7);
	check_same(s, len, 1);
	free(s);
}

static void
test_cut_and_plain(void **state)
{
	(void)state;
	assert_int_equal(blocks_cut("a\nb", 3), 2);
	assert_int_equal(blocks_cut("a\nb\n", 4), 4);
	assert_int_equal(blocks_cut("abc", 3), 0);
	assert_int_equal(blocks_cut("", 0), 0);
	assert_true(blocks_plain("1,2\n3,4\n", 8));
	assert_true(blocks_plain("1,2\r\n3,4\r\n", 10));
	assert_false(blocks_plain("1,\"2\"\n", 6));
	assert_false(blocks_plain("1\r2\r3\n", 6));
	assert_false(blocks_plain("1\r2\n", 4));
	assert_false(blocks_plain("1\r", 2));
	assert_true(blocks_plain("", 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_and_plain),
		cmocka_unit_test(test_plain_input),
		cmocka_unit_test(test_quote_half_way),
		cmocka_unit_test(test_header_and_start),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_first_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
