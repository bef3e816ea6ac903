/*
 * progress.c: the progress line. The line is drawn with a carriage return and
 * padded with spaces over what it replaces, erased with spaces, so that it
 * needs no terminal escape sequences; it is cut to the terminal's width, so
 * that it never wraps (a wrapped line could not be redrawn in place).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "progress.h"

#define BAR 16		     /* characters of the bar */
#define FIRST_DRAW 0.5	     /* seconds of a load before the line appears */
#define FIRST_EPOCH_DRAW 1.0 /* seconds of an epoch before its line appears */
#define REDRAW 0.1	     /* seconds between two drawings, at least */

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* ------------------------------------------------------------------------ */
/* The text                                                                  */
/* ------------------------------------------------------------------------ */

/* n bytes in binary units: "512 B", "1.5 KiB", "12.3 MiB". */
static void
format_bytes(char *buf, size_t size, unsigned long long n)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB", "PiB",
		"EiB" };
	double v = (double)n / 1024;
	size_t u = 0;

	if (n < 1024) {
		snprintf(buf, size, "%llu B", n);
		return;
	}
	while (v >= 1024 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, "%.1f %s", v, unit[u]);
}

/* A rate: "950", "96.0k", "1.2M", "3.0G". */
static void
format_rate(char *buf, size_t size, double r)
{
	if (!(r >= 0) || !isfinite(r))
		r = 0;
	if (r < 1e3)
		snprintf(buf, size, "%.0f", r);
	else if (r < 1e6)
		snprintf(buf, size, "%.1fk", r / 1e3);
	else if (r < 1e9)
		snprintf(buf, size, "%.1fM", r / 1e6);
	else
		snprintf(buf, size, "%.1fG", r / 1e9);
}

/* Seconds as "m:ss" or "h:mm:ss"; "?" when unknown (negative, NaN, over 99
 * days). */
static void
format_time(char *buf, size_t size, double seconds)
{
	unsigned long s;

	if (!(seconds >= 0 && seconds < 99 * 86400.0)) {
		snprintf(buf, size, "?");
		return;
	}
	s = (unsigned long)(seconds + 0.5);
	if (s < 3600)
		snprintf(buf, size, "%lu:%02lu", s / 60, s % 60);
	else
		snprintf(buf, size, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60,
		    s % 60);
}

/* "[####            ] 27%" for fraction f (clamped to 0 to 1). */
static void
format_bar(char *buf, size_t size, double f)
{
	char bar[BAR + 1];
	int filled;

	f = f > 1 ? 1 : f >= 0 ? f : 0;
	filled = (int)(f * BAR);
	memset(bar, '#', (size_t)filled);
	memset(bar + filled, ' ', (size_t)(BAR - filled));
	bar[BAR] = '\0';
	snprintf(buf, size, "[%s] %d%%", bar, (int)(f * 100));
}

int
progress_format(char *buf, size_t size, const char *what,
    unsigned long long done, unsigned long long total, unsigned long long rows,
    double elapsed)
{
	char bar[BAR + 16], got[32], all[32], rate[32], eta[32];

	format_bytes(got, sizeof(got), done);
	format_rate(rate, sizeof(rate),
	    elapsed > 0 ? (double)rows / elapsed : 0);
	if (total == 0)
		return snprintf(buf, size, "%s %s %llu rows %s rows/s", what,
		    got, rows, rate);
	format_bar(bar, sizeof(bar), (double)done / (double)total);
	format_bytes(all, sizeof(all), total);
	/* "68.0/173.7 MiB" rather than "68.0 MiB/173.7 MiB", so the line fits
	 * in 80 columns */
	if (strcmp(strrchr(got, ' '), strrchr(all, ' ')) == 0)
		*strrchr(got, ' ') = '\0';
	format_time(eta, sizeof(eta),
	    done == 0 ? (double)NAN
		: done >= total
		? 0
		: elapsed * (double)(total - done) / (double)done);
	return snprintf(buf, size, "%s %s %s/%s %s rows/s ETA %s", what, bar,
	    got, all, rate, eta);
}

int
progress_format_epoch(char *buf, size_t size, unsigned long epoch,
    unsigned long epochs, double fraction, double elapsed)
{
	char bar[BAR + 16], eta[32];
	double per_epoch = fraction > 0 ? elapsed / fraction : (double)NAN;

	format_bar(bar, sizeof(bar), fraction);
	format_time(eta, sizeof(eta),
	    per_epoch *
		((1 - fraction) +
		    (double)(epochs > epoch ? epochs - epoch : 0)));
	return snprintf(buf, size, "epoch %lu/%lu %s ETA %s", epoch, epochs,
	    bar, eta);
}

/* ------------------------------------------------------------------------ */
/* Drawing                                                                   */
/* ------------------------------------------------------------------------ */

/* Write all n bytes of s to fd, if it can be done; the meter is best effort. */
static void
put(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, s, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		s += k;
		n -= (size_t)k;
	}
}

/* Columns of the terminal on fd, less one (a full line would wrap on some); 79
 * if unknown. */
static size_t
columns(int fd)
{
	struct winsize w;

	if (ioctl(fd, TIOCGWINSZ, &w) == 0 && w.ws_col > 1)
		return (size_t)w.ws_col - 1;
	return 79;
}

/* Replace the line on the terminal by text (cut to fit), padding over the old
 * one. */
static void
draw(struct progress *p, const char *text)
{
	char line[512];
	size_t width = columns(p->fd), n = 0, cols = 0;

	line[n++] = '\r';
	/* Copy whole UTF-8 characters while they fit: cols counts lead bytes.
	 */
	for (const char *s = text; *s != '\0' && n < sizeof(line) - 1; s++) {
		if ((*s & 0xc0) != 0x80 && cols++ == width)
			break;
		line[n++] = *s;
	}
	if (cols > width)
		cols = width;
	for (size_t c = cols; c < p->shown && n < sizeof(line); c++)
		line[n++] = ' ';
	put(p->fd, line, n);
	p->shown = cols;
}

void
progress_start(struct progress *p, int fd, const char *what,
    unsigned long long total, int quiet)
{
	memset(p, 0, sizeof(*p));
	p->fd = fd;
	p->on = !quiet && isatty(fd);
	p->what = what;
	p->total = total;
	p->start = now();
	p->last = -1;
	p->epoch_start = p->start;
}

/* Whether it is time to draw: first after `wait` seconds since since, then
 * every REDRAW. */
static int
due(const struct progress *p, double t, double since, double wait)
{
	return p->on && t - since >= wait &&
	    (p->last < 0 || t - p->last >= REDRAW);
}

/* Characters (code points) of the UTF-8 text s. */
static size_t
length_of(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += (*s & 0xc0) != 0x80;
	return n;
}

void
progress_update(struct progress *p, unsigned long long done,
    unsigned long long rows)
{
	char text[512], what[300];
	size_t width, n, excess, head;
	const char *tail;
	double t;

	if (!p->on || !due(p, t = now(), p->start, FIRST_DRAW))
		return;
	progress_format(text, sizeof(text), p->what, done, p->total, rows,
	    t - p->start);
	/*
	 * Too wide for the terminal: shorten what after its first word
	 * ("reading
	 * ...ir/homes.csv") rather than lose the figures at the end of the
	 * line, the time left above all.
	 */
	width = columns(p->fd);
	n = length_of(text);
	head = strcspn(p->what, " ") < strlen(p->what)
	    ? strcspn(p->what, " ") + 1
	    : 0;
	if (n > width && length_of(p->what + head) > 3 + (excess = n - width)) {
		tail = p->what + head;
		for (size_t skip = excess + 3;
		     skip > 0 || (*tail & 0xc0) == 0x80; tail++)
			skip -= (*tail & 0xc0) != 0x80 && skip > 0;
		snprintf(what, sizeof(what), "%.*s...%s", (int)head, p->what,
		    tail);
		progress_format(text, sizeof(text), what, done, p->total, rows,
		    t - p->start);
	}
	draw(p, text);
	p->last = t;
}

void
progress_epoch(struct progress *p, unsigned long epoch, unsigned long epochs,
    double fraction)
{
	char text[512];
	double t;

	if (!p->on)
		return;
	t = now();
	if (epoch != p->epoch) {
		p->epoch = epoch;
		p->epoch_start = t;
	}
	if (!due(p, t, p->epoch_start, FIRST_EPOCH_DRAW))
		return;
	progress_format_epoch(text, sizeof(text), epoch, epochs, fraction,
	    t - p->epoch_start);
	draw(p, text);
	p->last = t;
}

void
progress_clear(struct progress *p)
{
	char line[512];
	size_t n = 0;

	if (p->shown == 0)
		return;
	line[n++] = '\r';
	while (n <= p->shown && n < sizeof(line) - 1)
		line[n++] = ' ';
	line[n++] = '\r';
	put(p->fd, line, n);
	p->shown = 0;
}

void
progress_end(struct progress *p)
{
	progress_clear(p);
	p->on = 0;
}
