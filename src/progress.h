/*
 * progress.h: a one-line progress meter on a terminal, for loads and epochs
 * that take long enough to wonder about. It draws only when its descriptor is a
 * terminal and the user did not ask for quiet, never before the operation has
 * run half a second (an epoch, a second), at most ten times a second, and
 * erases itself, so that nothing of it is left in the terminal, a pipe or a
 * log.
 */
#ifndef DESCEND_PROGRESS_H
#define DESCEND_PROGRESS_H

#include <stddef.h>

struct progress {
	int fd;			  /* where to draw: standard error */
	int on;			  /* 1: fd is a terminal and not quiet */
	const char *what;	  /* what is going on: "reading homes.csv" */
	unsigned long long total; /* bytes in all, or 0 if unknown */
	double start;	     /* CLOCK_MONOTONIC seconds at progress_start */
	double last;	     /* when the line was last drawn, or -1 */
	size_t shown;	     /* columns of the line now on the terminal */
	unsigned long epoch; /* the epoch progress_epoch saw last, or 0 */
	double epoch_start;  /* when that epoch began */
};

/*
 * Start a meter on fd for what (kept, not copied: it must outlive the meter)
 * with total bytes to go through (0 if unknown, as for a pipe). With quiet, or
 * when fd is not a terminal, the meter stays silent until progress_end.
 */
void progress_start(struct progress *p, int fd, const char *what,
    unsigned long long total, int quiet);

/*
 * done bytes and rows read so far: redraw the line (bytes read, of total, the
 * percentage, rows per second and the time left, when total is known), if it
 * is time to. A line wider than the terminal loses the start of what after its
 * first word ("reading ...ir/homes.csv"), so that the figures stay whole.
 */
void progress_update(struct progress *p, unsigned long long done,
    unsigned long long rows);

/*
 * Within epoch (1-based) of epochs, fraction (0 to 1) of it done: redraw the
 * line with a bar for the epoch and the time training has left at this pace,
 * once this epoch has run a second and if it is time to.
 */
void progress_epoch(struct progress *p, unsigned long epoch,
    unsigned long epochs, double fraction);

/* Erase the line, if drawn, so that the caller can write to fd; drawing
 * resumes. */
void progress_clear(struct progress *p);

/* Erase the line, if drawn, and stop. */
void progress_end(struct progress *p);

/*
 * The text of the line, without \r, into buf (of size bytes; at least 128 is
 * enough): what, then with a known total "[bar] pct% done/total rate rows/s
 * ETA m:ss", else "done rows rows rate rows/s"; byte counts in binary units
 * (B, KiB, MiB, ...), the unit of done left out when it is total's ("68.0/173.7
 * MiB"), rates with k, M, G. elapsed is in seconds since the
 * start. Returns the length of the text, as snprintf does.
 */
int progress_format(char *buf, size_t size, const char *what,
    unsigned long long done, unsigned long long total, unsigned long long rows,
    double elapsed);

/*
 * The text of the epoch line into buf (of size bytes): "epoch k/E [bar] pct%
 * ETA m:ss", the time left estimated from elapsed, the seconds this epoch has
 * run so far. Returns the length of the text.
 */
int progress_format_epoch(char *buf, size_t size, unsigned long epoch,
    unsigned long epochs, double fraction, double elapsed);

#endif
