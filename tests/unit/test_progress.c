/*
 * test_progress.c: the progress line's text, exactly, for loads with and
 * without a known size and for epochs; and when it is drawn: never on a pipe or
 * when quiet, not in the first half second, at most ten times a second, cut to
 * the terminal's width and erased at the end (on a pseudo-terminal).
 */
#define _XOPEN_SOURCE 700 /* posix_openpt, grantpt, unlockpt, ptsname */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "progress.h"
#include "testutil.h"

static void
sleep_seconds(double s)
{
	struct timespec t = { .tv_sec = (time_t)s,
		.tv_nsec = (long)((s - (double)(time_t)s) * 1e9) };

	while (nanosleep(&t, &t) != 0)
		continue;
}

/* Everything that can be read from fd within a fifth of a second,
 * NUL-terminated. */
static char *
drain(int fd, char *buf, size_t size)
{
	size_t n = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t k;

	while (n + 1 < size && poll(&p, 1, 200) == 1 && (p.revents & POLLIN) &&
	    (k = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)k;
	buf[n] = '\0';
	return buf;
}

/* A pseudo-terminal: the master in *master, the slave (a terminal) returned. */
static int
open_terminal(int *master)
{
	int slave;

	*master = posix_openpt(O_RDWR | O_NOCTTY);
	if (*master == -1 || grantpt(*master) != 0 || unlockpt(*master) != 0)
		return -1;
	slave = open(ptsname(*master), O_RDWR | O_NOCTTY);
	return slave;
}

/* ------------------------------------------------------------------------ */
/* The text                                                                  */
/* ------------------------------------------------------------------------ */

static void
known_size_shows_bar_bytes_rate_and_eta(void **state)
{
	char buf[256];

	(void)state;
	/* 12.3 of 45 MiB in 1.25 s: 27%, 96000 rows/s, 1.25 s × 34288435 /
	 * 12897485 left. */
	progress_format(buf, sizeof(buf), "reading homes.csv", 12897485,
	    47185920, 120000, 1.25);
	assert_string_equal(buf,
	    "reading homes.csv [####            ] 27% "
	    "12.3/45.0 MiB 96.0k rows/s ETA 0:03");
	progress_format(buf, sizeof(buf), "reading x", 1023, 1024, 7, 0);
	assert_string_equal(buf,
	    "reading x [############### ] 99% 1023 B/1.0 KiB "
	    "0 rows/s ETA 0:00");
	progress_format(buf, sizeof(buf), "reading x", 5 << 20, 5 << 20,
	    3000000, 2);
	assert_string_equal(buf,
	    "reading x [################] 100% "
	    "5.0/5.0 MiB 1.5M rows/s ETA 0:00");
	progress_format(buf, sizeof(buf), "reading x", 1, 3601, 1, 1);
	assert_string_equal(buf,
	    "reading x [                ] 0% 1 B/3.5 KiB "
	    "1 rows/s ETA 1:00:00");
	progress_format(buf, sizeof(buf), "reading x", 0, 1ULL << 40, 0, 3);
	assert_string_equal(buf,
	    "reading x [                ] 0% 0 B/1.0 TiB "
	    "0 rows/s ETA ?");
}

static void
unknown_size_shows_bytes_rows_and_rate(void **state)
{
	char buf[256];

	(void)state;
	progress_format(buf, sizeof(buf), "reading <stdin>", 1536, 0, 10, 0.5);
	assert_string_equal(buf, "reading <stdin> 1.5 KiB 10 rows 20 rows/s");
	progress_format(buf, sizeof(buf), "reading <stdin>", 3ULL << 30, 0,
	    4500000000ULL, 1);
	assert_string_equal(buf,
	    "reading <stdin> 3.0 GiB 4500000000 rows "
	    "4.5G rows/s");
}

static void
epoch_line_estimates_time_left_from_this_epoch(void **state)
{
	char buf[256];

	(void)state;
	/* A quarter in 2 s: 8 s an epoch, 0.75 + 97 epochs left = 782 s. */
	progress_format_epoch(buf, sizeof(buf), 3, 100, 0.25, 2);
	assert_string_equal(buf,
	    "epoch 3/100 [####            ] 25% ETA 13:02");
	progress_format_epoch(buf, sizeof(buf), 7, 7, 0.5, 30);
	assert_string_equal(buf, "epoch 7/7 [########        ] 50% ETA 0:30");
	progress_format_epoch(buf, sizeof(buf), 1, 5, 0, 1);
	assert_string_equal(buf, "epoch 1/5 [                ] 0% ETA ?");
}

static void
format_returns_the_length_and_truncates_safely(void **state)
{
	char small[12];
	int n;

	(void)state;
	n = progress_format(small, sizeof(small), "reading <stdin>", 1536, 0,
	    10, 0.5);
	assert_int_equal(n,
	    (int)strlen("reading <stdin> 1.5 KiB 10 rows 20 rows/s"));
	assert_string_equal(small, "reading <st");
}

/* ------------------------------------------------------------------------ */
/* When it is drawn                                                          */
/* ------------------------------------------------------------------------ */

static void
nothing_is_drawn_on_a_pipe(void **state)
{
	int p[2];
	char buf[256];
	struct progress meter;

	(void)state;
	assert_int_equal(pipe(p), 0);
	progress_start(&meter, p[1], "reading", 100, 0);
	sleep_seconds(0.6);
	progress_update(&meter, 50, 5);
	progress_epoch(&meter, 1, 2, 0.5);
	progress_end(&meter);
	close(p[1]);
	assert_string_equal(drain(p[0], buf, sizeof(buf)), "");
	close(p[0]);
}

static void
on_a_terminal_it_waits_half_a_second_then_draws_and_erases(void **state)
{
	int master, tty = open_terminal(&master);
	char buf[1024];
	struct progress meter;

	(void)state;
	if (tty == -1)
		skip();
	progress_start(&meter, tty, "reading", 100, 0);
	progress_update(&meter, 10, 1); /* too early */
	assert_string_equal(drain(master, buf, sizeof(buf)), "");
	sleep_seconds(0.6);
	progress_update(&meter, 50, 5);
	progress_update(&meter, 60, 6); /* within a tenth of a second */
	drain(master, buf, sizeof(buf));
	assert_int_equal(strncmp(buf, "\rreading [", 10), 0);
	assert_non_null(strstr(buf, " 50% 50/100 B "));
	assert_null(strchr(buf + 1, '\r')); /* drawn once */
	progress_end(&meter);
	drain(master, buf, sizeof(buf));
	assert_int_equal(buf[0], '\r');
	assert_int_equal(buf[strlen(buf) - 1], '\r');
	assert_int_equal(strspn(buf + 1, " ") + 2, strlen(buf));
	progress_update(&meter, 70, 7); /* ended: silent */
	assert_string_equal(drain(master, buf, sizeof(buf)), "");
	close(tty);
	close(master);
}

static void
quiet_draws_nothing_on_a_terminal(void **state)
{
	int master, tty = open_terminal(&master);
	char buf[256];
	struct progress meter;

	(void)state;
	if (tty == -1)
		skip();
	progress_start(&meter, tty, "reading", 100, 1);
	sleep_seconds(0.6);
	progress_update(&meter, 50, 5);
	progress_end(&meter);
	assert_string_equal(drain(master, buf, sizeof(buf)), "");
	close(tty);
	close(master);
}

static void
the_line_is_cut_to_the_terminal_width(void **state)
{
	int master, tty = open_terminal(&master);
	struct winsize w = { .ws_row = 24, .ws_col = 30 };
	char buf[1024];
	struct progress meter;

	(void)state;
	if (tty == -1)
		skip();
	assert_int_equal(ioctl(master, TIOCSWINSZ, &w), 0);
	progress_start(&meter, tty, "training", 0, 0);
	progress_epoch(&meter, 1, 3, 0.1);
	sleep_seconds(1.1);
	progress_epoch(&meter, 1, 3, 0.5); /* the epoch has run a second */
	drain(master, buf, sizeof(buf));
	assert_string_equal(buf,
	    "\repoch 1/3 [########        ] "); /* 29 columns */
	progress_end(&meter);
	close(tty);
	close(master);
}

static void
a_long_name_is_shortened_from_its_start_so_the_time_left_shows(void **state)
{
	int master, tty = open_terminal(&master);
	struct winsize w = { .ws_row = 24, .ws_col = 80 };
	char buf[1024];
	size_t n;
	struct progress meter;

	(void)state;
	if (tty == -1)
		skip();
	assert_int_equal(ioctl(master, TIOCSWINSZ, &w), 0);
	progress_start(&meter, tty,
	    "reading /a/rather/long/path/to/the/input/homes.csv", 100, 0);
	sleep_seconds(0.6);
	progress_update(&meter, 50, 5); /* 50% after 0.6 s: ETA 0:01 */
	drain(master, buf, sizeof(buf));
	n = strlen(buf);
	assert_int_equal(n, 1 + 79); /* \r, then 79 columns */
	assert_int_equal(strncmp(buf, "\rreading ...", 12), 0);
	if (strstr(buf, "/input/homes.csv [########        ] 50% 50/100 B ") ==
	    NULL)
		fail_msg("got \"%s\"", buf + 1);
	assert_string_equal(buf + n - 9, " ETA 0:01");
	progress_end(&meter);
	close(tty);
	close(master);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_size_shows_bar_bytes_rate_and_eta),
		cmocka_unit_test(unknown_size_shows_bytes_rows_and_rate),
		cmocka_unit_test(
		    epoch_line_estimates_time_left_from_this_epoch),
		cmocka_unit_test(
		    format_returns_the_length_and_truncates_safely),
		cmocka_unit_test(nothing_is_drawn_on_a_pipe),
		cmocka_unit_test(
		    on_a_terminal_it_waits_half_a_second_then_draws_and_erases),
		cmocka_unit_test(quiet_draws_nothing_on_a_terminal),
		cmocka_unit_test(the_line_is_cut_to_the_terminal_width),
		cmocka_unit_test(
		    a_long_name_is_shortened_from_its_start_so_the_time_left_shows),
	};

	return cmocka_run_group_tests_name("progress", tests, NULL, NULL);
}
