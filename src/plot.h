/*
 * plot.h: loss curves as a line chart in plain SVG 1.1: a log-scaled y axis, a
 * linear x axis, a legend and a title, with no scripts, fonts or other files.
 * Used by fit's --plot and by descend plot. Knows nothing of where the numbers
 * came from.
 */
#ifndef DESCEND_PLOT_H
#define DESCEND_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "failure.h"

/* The chart's size in pixels. */
#define PLOT_WIDTH 800
#define PLOT_HEIGHT 500

/* One curve. The plot only reads it. */
struct plot_series {
	const char *label; /* legend text: any bytes (escaped, invalid UTF-8
			      replaced) */
	size_t n;	   /* points */
	const double *x;   /* (n) x of each point, e.g. the epoch; in order of
			      drawing */
	const double *y;   /* (n) y of each point, e.g. the loss; drawn on a log
			      scale */
	int dashed;	   /* 1: a dashed line (a validation curve), 0: solid */
	size_t run;	   /* its colour: the series of one run (training and
			      validation) share one */
};

/*
 * A series diverged when its last y is not finite, PLOT_RISE times its first
 * (a loss curve that rose), or PLOT_DIVERGED times the smallest first y of all
 * the series (a run that ended far above where the best one started: a fit that
 * diverged logs no epoch before it, only its diverging ones).
 */
#define PLOT_RISE 10
#define PLOT_DIVERGED 1000

/* Above this many series the legend stands right of the chart, not on it. */
#define PLOT_LEGEND_INSIDE 6

/*
 * Write to f an SVG document, PLOT_WIDTH × PLOT_HEIGHT, that draws the ns
 * series of s as lines, each run (plot_series.run) in its own colour from a
 * fixed palette of ten that people with the common colour-vision deficiencies
 * can tell apart, then the same colours again with a dotted and then a
 * dash-dotted line; dashed where asked (validation), with a legend naming them
 * in order: for up to PLOT_LEGEND_INSIDE series in the corner of the chart
 * where it hides the fewest pieces of line (top right first), for more to the
 * right of the chart, which then grows wider than PLOT_WIDTH. title, x_label
 * and y_label may be NULL (not drawn); a title or label too long for the chart
 * is squeezed to fit.
 *
 * The y axis is logarithmic, spanning the positive finite y of all series, with
 * labelled ticks at powers of ten (1, 2 and 5 times them when the range is
 * under three decades, finer below that), all in plain decimals from 0.001 to
 * 90000 or all as powers (2×10⁵); the x axis is linear with ticks at 1, 2 or 5
 * times a power of ten. A point whose x or y is not finite, or whose y is not
 * positive, is left out and breaks its line; the SVG says so in a comment. A
 * series with no point left is named in the legend with "(no positive values)".
 * A series that diverged (PLOT_DIVERGED) does not stretch the y axis when any
 * other did not: its points beyond the axis are left out, the place where it
 * leaves the chart is marked with a cross on its frame, and the legend names it
 * "(diverged)".
 *
 * The output depends on the arguments alone: the same input gives the same
 * bytes. Returns 0, or -1 with e filled (EXIT_INPUT) if writing to f failed.
 */
int plot_svg(FILE *f, const char *title, const char *x_label,
    const char *y_label, const struct plot_series *s, size_t ns,
    struct error *e);

#endif
