/*
 * test_failure.c: error_set fills status and message, truncates safely and
 * returns -1; error_quote gives a printable, bounded excerpt; error_exit prints
 * "descend: MSG" and exits with the status; the checked allocators work.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failure.h"
#include "cmd/cmd.h"
#include "testutil.h"

static void
set_fills_status_and_message_and_returns_minus_one(void **state)
{
	struct error e;

	(void)state;
	memset(&e, 0, sizeof e);
	assert_int_equal(error_set(&e, EXIT_INPUT, "%s:%d:%d: %s", "t.csv", 17,
			     3, "bad"),
	    -1);
	assert_int_equal(e.status, EXIT_INPUT);
	assert_string_equal(e.msg, "t.csv:17:3: bad");
	assert_int_equal(error_set(&e, EXIT_DIVERGED, "x"), -1);
	assert_int_equal(e.status, EXIT_DIVERGED);
	assert_string_equal(e.msg, "x");
	/* No error struct: still -1. */
	assert_int_equal(error_set(NULL, EXIT_USAGE, "ignored %d", 1), -1);
}

static void
set_truncates_long_messages(void **state)
{
	struct error e;
	char big[5000];

	(void)state;
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(error_set(&e, EXIT_INPUT, "%s", big), -1);
	assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
	assert_int_equal(e.msg[0], 'a');
}

static void
exit_statuses_are_documented_values(void **state)
{
	(void)state;
	assert_int_equal(EXIT_OK, 0);
	assert_int_equal(EXIT_INPUT, 1);
	assert_int_equal(EXIT_USAGE, 2);
	assert_int_equal(EXIT_DIVERGED, 3);
}

/*
 * The excerpt without surrounding double quotes, if it has them: failure.h
 * calls it "quoted" without saying whether the quotes are part of it, and the
 * messages of the spec put quotes around every value either way.
 */
static const char *
bare(char *out)
{
	size_t n = strlen(out);

	if (n >= 2 && out[0] == '"' && out[n - 1] == '"') {
		out[n - 1] = '\0';
		return out + 1;
	}
	return out;
}

static void
quote_keeps_plain_text(void **state)
{
	char out[64];

	(void)state;
	assert_ptr_equal(error_quote(out, sizeof out, "abc", 3), out);
	assert_string_equal(bare(out), "abc");
	/* Only len bytes are used. */
	error_quote(out, sizeof out, "1.5xyz", 4);
	assert_string_equal(bare(out), "1.5x");
	error_quote(out, sizeof out, "", 0);
	assert_string_equal(bare(out), "");
	error_quote(out, sizeof out, "say \"hi\"", 8);
	assert_contains(out, "say");
}

static void
quote_escapes_control_and_non_ascii_bytes(void **state)
{
	char out[64];

	(void)state;
	error_quote(out, sizeof out,
	    "a\x01"
	    "b",
	    3);
	assert_contains(out, "\\x01");
	assert_null(strchr(out, '\x01'));
	error_quote(out, sizeof out, "x\ny", 3);
	assert_null(strchr(out, '\n'));
	error_quote(out, sizeof out, "caf\xc3\xa9", 5);
	assert_true(
	    strstr(out, "\\xC3") != NULL || strstr(out, "\\xc3") != NULL);
	for (const char *p = out; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);
}

static void
quote_shortens_long_values(void **state)
{
	char out[40], big[1000];

	(void)state;
	memset(big, 'z', sizeof big);
	error_quote(out, sizeof out, big, sizeof big);
	assert_true(strlen(out) < sizeof out);
	assert_contains(out, "...");
	assert_contains(out, "zzzzzzzz");
	/* Escapes near the end are not cut in half. */
	memset(big, '\x01', sizeof big);
	error_quote(out, sizeof out, big, sizeof big);
	assert_true(strlen(out) < sizeof out);
	assert_contains(out, "...");
	for (const char *q = out; (q = strchr(q, '\\')) != NULL; q++) {
		/* Every backslash starts a whole \xNN. */
		assert_int_equal(q[1], 'x');
		assert_true(isxdigit((unsigned char)q[2]) &&
		    isxdigit((unsigned char)q[3]));
	}
}

static void
exit_prints_message_and_exits_with_status(void **state)
{
	int p[2], status;
	pid_t pid;
	char buf[256];
	ssize_t k;
	size_t n = 0;

	(void)state;
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct error e;
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		error_set(&e, EXIT_USAGE,
		    "-e/--epochs: \"0\" is not a whole number");
		error_exit(&e);
	}
	close(p[1]);
	while ((k = read(p[0], buf + n, sizeof buf - 1 - n)) > 0)
		n += (size_t)k;
	buf[n] = '\0';
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), EXIT_USAGE);
	/*
	 * "descend: MSG" in the installed program. The prefix is the program's
	 * name, which err(3) takes from argv[0]; in this test binary that is
	 * not "descend", so only the rest of the line is checked.
	 */
	{
		static const char tail[] =
		    ": -e/--epochs: \"0\" is not a whole number\n";
		assert_true(n > sizeof tail - 1);
		assert_string_equal(buf + n - (sizeof tail - 1), tail);
		assert_null(memchr(buf, '\n', n - 1));
	}
}

/*
 * error_die_errno: the message cleaned (an ESC byte in a label reaches stderr
 * as \x1b), then the text of the errno it was called with, and the status.
 */
static void
die_errno_cleans_and_appends_errno(void **state)
{
	int p[2], status;
	pid_t pid;
	char buf[256];
	ssize_t k;
	size_t n = 0;
	static const char tail[] =
	    ": a\\x1b[31m.csv: No such file or directory\n";

	(void)state;
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		errno = ENOENT;
		error_die_errno(EXIT_INPUT, "%s", "a\x1b[31m.csv");
	}
	close(p[1]);
	while ((k = read(p[0], buf + n, sizeof buf - 1 - n)) > 0)
		n += (size_t)k;
	buf[n] = '\0';
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), EXIT_INPUT);
	assert_true(n > sizeof tail - 1);
	assert_string_equal(buf + n - (sizeof tail - 1), tail);
}

static void
allocators_return_usable_memory(void **state)
{
	char *s;
	int *z;
	double *d;

	(void)state;
	s = xstrdup("hello");
	assert_string_equal(s, "hello");
	free(s);
	z = xcalloc(100, sizeof *z);
	for (int i = 0; i < 100; i++)
		assert_int_equal(z[i], 0);
	free(z);
	d = xmalloc(10 * sizeof *d);
	d[9] = 1.5;
	d = xreallocarray(d, 1000, sizeof *d);
	assert_same_double(d[9], 1.5);
	d[999] = 2;
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    set_fills_status_and_message_and_returns_minus_one),
		cmocka_unit_test(set_truncates_long_messages),
		cmocka_unit_test(exit_statuses_are_documented_values),
		cmocka_unit_test(quote_keeps_plain_text),
		cmocka_unit_test(quote_escapes_control_and_non_ascii_bytes),
		cmocka_unit_test(quote_shortens_long_values),
		cmocka_unit_test(exit_prints_message_and_exits_with_status),
		cmocka_unit_test(die_errno_cleans_and_appends_errno),
		cmocka_unit_test(allocators_return_usable_memory),
	};

	return cmocka_run_group_tests_name("failure", tests, NULL, NULL);
}
