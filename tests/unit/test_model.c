/*
 * test_model.c: the weights CSV is written exactly as documented (header,
 * intercept first, numbers shortest, RFC 4180 quoting of names) and its numbers
 * read back bit for bit; a write error is reported; model_save replaces a file
 * by rename, leaves no temporary file behind, and on failure returns -1 and
 * creates nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv.h"
#include "failure.h"
#include "model.h"
#include "testutil.h"

/* The model of model.h's example plus names that need quoting. */
static void
make_model(struct model *m)
{
	static const char *const terms[] = {
		MODEL_INTERCEPT,
		"sqft",
		"age",
		"a,b",
		"say \"x\"",
		"two\nlines",
		"cr\r",
		"huge",
		"zero",
	};

	model_init(m, 9, terms);
	m->weight[0] = 52.1;
	m->std_weight[0] = 180.32;
	m->weight[1] = 0.12;
	m->std_weight[1] = 48.1;
	m->weight[2] = -1.05;
	m->std_weight[2] = -12.7;
	m->weight[3] = 1.0 / 3;
	m->std_weight[3] = -2.0 / 3;
	m->weight[4] = 1e22;
	m->std_weight[4] = 1e-300;
	m->weight[5] = 0.1;
	m->std_weight[5] = 4.9e-324;
	m->weight[6] = 100;
	m->std_weight[6] = -0.0;
	m->weight[7] = 1.7976931348623157e308;
	m->std_weight[7] = 123456789012345678.0;
	/* zero: left as model_init made it */
}

/*
 * Worked out with python3's repr() of each double (the shortest decimal that
 * reads back, with no ".0" on whole numbers) once, and written down.
 */
static const char expected[] =
    "term,weight,std_weight\n"
    "(intercept),52.1,180.32\n"
    "sqft,0.12,48.1\n"
    "age,-1.05,-12.7\n"
    "\"a,b\",0.3333333333333333,-0.6666666666666666\n"
    "\"say \"\"x\"\"\",1e+22,1e-300\n"
    "\"two\nlines\",0.1,5e-324\n"
    "\"cr\r\",100,-0\n"
    "huge,1.7976931348623157e+308,1.2345678901234568e+17\n"
    "zero,0,0\n";

static char *
write_to_string(const struct model *m, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct error e;

	assert_non_null(f);
	memset(&e, 0, sizeof e);
	*rc = model_write(m, f, &e);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
init_copies_terms_and_zeroes_weights(void **state)
{
	char name[] = "feature";
	const char *terms[] = { MODEL_INTERCEPT, name };
	struct model m;

	(void)state;
	model_init(&m, 2, terms);
	name[0] = 'X';
	assert_int_equal(m.nterms, 2);
	assert_string_equal(m.term[0], "(intercept)");
	assert_string_equal(m.term[1], "feature");
	for (size_t k = 0; k < 2; k++) {
		assert_same_double(m.weight[k], 0.0);
		assert_same_double(m.std_weight[k], 0.0);
	}
	model_free(&m);
}

static void
write_gives_the_documented_text(void **state)
{
	struct model m;
	int rc;
	char *got;

	(void)state;
	make_model(&m);
	got = write_to_string(&m, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(got, expected);
	free(got);
	model_free(&m);
}

/* Compare each record of the weights CSV (read back with csv_read) with the
 * model. */
struct readback {
	const struct model *m;
	size_t records;
	int bad;
};

static int
check_record(void *ctx, const struct csv_record *r, struct error *e)
{
	struct readback *rb = ctx;
	size_t k = rb->records++;

	(void)e;
	if (r->nfields != 3) {
		rb->bad++;
		return 0;
	}
	if (k == 0) {
		if (strcmp(r->field[0], "term") != 0 ||
		    strcmp(r->field[1], "weight") != 0 ||
		    strcmp(r->field[2], "std_weight") != 0)
			rb->bad++;
		return 0;
	}
	if (k > rb->m->nterms) {
		rb->bad++;
		return 0;
	}
	{
		double w = strtod(r->field[1], NULL),
		       s = strtod(r->field[2], NULL);
		if (strcmp(r->field[0], rb->m->term[k - 1]) != 0 ||
		    memcmp(&w, &rb->m->weight[k - 1], sizeof w) != 0 ||
		    memcmp(&s, &rb->m->std_weight[k - 1], sizeof s) != 0) {
			print_error("record %zu: %s,%s,%s\n", k + 1,
			    r->field[0], r->field[1], r->field[2]);
			rb->bad++;
		}
	}
	return 0;
}

static void
written_model_reads_back_exactly(void **state)
{
	struct model m;
	struct error e;
	struct csv_options opt = { "w.csv", ',', NULL, NULL, 0 };
	struct readback rb;
	int rc, fd;
	char *text;

	(void)state;
	make_model(&m);
	text = write_to_string(&m, &rc);
	assert_int_equal(rc, 0);
	fd = tu_tmpfd(text, strlen(text));
	assert_true(fd >= 0);
	rb.m = &m;
	rb.records = 0;
	rb.bad = 0;
	assert_int_equal(csv_read(fd, &opt, check_record, &rb, &e), 0);
	close(fd);
	assert_int_equal(rb.records, m.nterms + 1);
	assert_int_equal(rb.bad, 0);
	free(text);
	model_free(&m);
}

static void
write_reports_a_stream_error(void **state)
{
	struct model m;
	struct error e;
	FILE *f = fopen("/dev/null", "r"); /* writes fail at once */

	(void)state;
	assert_non_null(f);
	make_model(&m);
	memset(&e, 0, sizeof e);
	assert_int_equal(model_write(&m, f, &e), -1);
	assert_true(e.msg[0] != '\0');
	fclose(f);
	model_free(&m);
}

/* Names of the entries of dir other than . and .., as one sorted-free string.
 */
static size_t
count_entries(const char *dir, char *names, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(d);
	names[0] = '\0';
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		n++;
		if (strlen(names) + strlen(de->d_name) + 2 < size) {
			strcat(names, de->d_name);
			strcat(names, " ");
		}
	}
	closedir(d);
	return n;
}

static void
save_replaces_a_file_by_rename(void **state)
{
	char dir[] = "/tmp/descend-model-XXXXXX", path[256], names[512];
	struct model m;
	struct error e;
	struct stat before, after;
	FILE *f;
	char *got;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/w.csv", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("old content that is longer than nothing\n", f);
	fclose(f);
	assert_int_equal(stat(path, &before), 0);

	make_model(&m);
	memset(&e, 0, sizeof e);
	assert_int_equal(model_save(&m, path, &e), 0);
	got = tu_slurp(path);
	assert_non_null(got);
	assert_string_equal(got, expected);
	free(got);
	/* A new inode: written elsewhere and renamed, not rewritten in place.
	 */
	assert_int_equal(stat(path, &after), 0);
	assert_true(before.st_ino != after.st_ino);
	/* Nothing else left in the directory. */
	assert_int_equal(count_entries(dir, names, sizeof names), 1);
	assert_string_equal(names, "w.csv ");

	/* A path that did not exist yet. */
	snprintf(path, sizeof path, "%s/new.csv", dir);
	assert_int_equal(model_save(&m, path, &e), 0);
	got = tu_slurp(path);
	assert_non_null(got);
	assert_string_equal(got, expected);
	free(got);
	assert_int_equal(count_entries(dir, names, sizeof names), 2);

	unlink(path);
	snprintf(path, sizeof path, "%s/w.csv", dir);
	unlink(path);
	rmdir(dir);
	model_free(&m);
}

static void
save_into_a_missing_directory_fails_and_leaves_nothing(void **state)
{
	char dir[] = "/tmp/descend-model-XXXXXX", path[256], names[512];
	struct model m;
	struct error e;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/nope/w.csv", dir);
	make_model(&m);
	memset(&e, 0, sizeof e);
	assert_int_equal(model_save(&m, path, &e), -1);
	assert_int_equal(e.status, EXIT_INPUT);
	assert_true(e.msg[0] != '\0');
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(count_entries(dir, names, sizeof names), 0);
	rmdir(dir);
	model_free(&m);
}

static void
save_over_a_directory_fails_and_leaves_no_temporary(void **state)
{
	char dir[] = "/tmp/descend-model-XXXXXX", path[256], names[512];
	struct model m;
	struct error e;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* The target is an existing directory: the final rename must fail. */
	snprintf(path, sizeof path, "%s/w.csv", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	make_model(&m);
	memset(&e, 0, sizeof e);
	assert_int_equal(model_save(&m, path, &e), -1);
	assert_int_equal(e.status, EXIT_INPUT);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(count_entries(dir, names, sizeof names), 1);
	assert_string_equal(names, "w.csv ");
	rmdir(path);
	rmdir(dir);
	model_free(&m);
}

static void
save_without_path_writes_standard_output(void **state)
{
	char tmpl[] = "/tmp/descend-stdout-XXXXXX";
	int fd = mkstemp(tmpl), saved;
	struct model m;
	struct error e;
	char *got;

	(void)state;
	assert_true(fd >= 0);
	make_model(&m);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fd, STDOUT_FILENO) >= 0);
	memset(&e, 0, sizeof e);
	assert_int_equal(model_save(&m, NULL, &e), 0);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(fd);
	got = tu_slurp(tmpl);
	assert_non_null(got);
	assert_string_equal(got, expected);
	free(got);
	unlink(tmpl);
	model_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_copies_terms_and_zeroes_weights),
		cmocka_unit_test(write_gives_the_documented_text),
		cmocka_unit_test(written_model_reads_back_exactly),
		cmocka_unit_test(write_reports_a_stream_error),
		cmocka_unit_test(save_replaces_a_file_by_rename),
		cmocka_unit_test(
		    save_into_a_missing_directory_fails_and_leaves_nothing),
		cmocka_unit_test(
		    save_over_a_directory_fails_and_leaves_no_temporary),
		cmocka_unit_test(save_without_path_writes_standard_output),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
