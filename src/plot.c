/*
 * plot.c: an SVG line chart with a log-scaled y axis.
 *
 * The lines are drawn in the area [AREA_LEFT, AREA_RIGHT] × [AREA_TOP,
 * AREA_BOTTOM] of SVG user units (y grows downwards). Each axis maps an
 * interval [lo, hi] of its own units (log10 y for the y axis) linearly onto
 * pixels; lo < hi always, and every drawn point lies inside both intervals, so
 * nothing needs clipping. Numbers are printed with fixed formats, so the same
 * input gives the same bytes.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plot.h"
#include "utf8.h"

enum {
	AREA_LEFT = 80,
	AREA_RIGHT = PLOT_WIDTH - 24,
	AREA_TOP = 48,
	AREA_BOTTOM = PLOT_HEIGHT - 56,
	MAX_TICKS = 40,
	MAX_MINOR = 80,
	LEGEND_ROW = 18,
	CHAR_WIDTH = 7,
	TITLE_CHAR_WIDTH = 9 /* estimates for 12px, 16px sans-serif */
};

/*
 * Okabe and Ito's colour-blind-safe palette without its yellow (faint on
 * white), then three of Paul Tol's muted scheme (wine, olive, indigo) unlike
 * all of them.
 */
static const char *const palette[] = { "#0072b2", "#d55e00", "#009e73",
	"#cc79a7", "#e69f00", "#56b4e9", "#000000", "#882255", "#999933",
	"#332288" };
#define NCOLOURS (sizeof(palette) / sizeof(palette[0]))

/*
 * After the ten colours the runs take them again with another line: a run's
 * training line (solid, dotted, dash-dotted) and its validation line (dashed,
 * dash-dot-dotted, long-dashed), by run / NCOLOURS.
 */
static const char *const solid_pattern[] = { NULL, "2 3", "10 3 2 3" };
static const char *const dashed_pattern[] = { "7 4", "7 3 2 3 2 3", "14 4" };
#define NPATTERNS (sizeof(solid_pattern) / sizeof(solid_pattern[0]))

/* The legend's width at most when it stands right of the chart. */
#define LEGEND_OUTSIDE_WIDTH 280

struct axis {
	double lo, hi;	 /* the interval shown, in axis units (log10 y for y) */
	double from, to; /* the pixel positions of lo and hi */
	int log;	 /* 1: values go through log10 first */
};

struct ticks {
	size_t n, nminor;
	double value[MAX_TICKS];  /* (n) in data units (y, not log10 y) */
	char text[MAX_TICKS][32]; /* (n) their labels, UTF-8 */
	int mantissa[MAX_TICKS];  /* (n) of a log axis's tick m × 10^k: m */
	int exponent[MAX_TICKS];  /* (n) and k */
	double minor[MAX_MINOR]; /* (nminor) unlabelled ticks of the log axis */
};

/* Where the legend goes: the corner of the area its box covers least of the
 * lines in. */
struct box {
	double left, top, width, height;
};

/* ------------------------------------------------------------------------ */
/* Points and axes                                                           */
/* ------------------------------------------------------------------------ */

static int
plottable(const struct plot_series *s, size_t i)
{
	return isfinite(s->x[i]) && isfinite(s->y[i]) && s->y[i] > 0;
}

static size_t
count_plottable(const struct plot_series *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += (size_t)plottable(s, i);
	return n;
}

/* The first plottable y of s, or NaN. */
static double
first_y(const struct plot_series *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (plottable(s, i))
			return s->y[i];
	return (double)NAN;
}

/*
 * The smallest first y of the ns series: where the best run started, the scale
 * against which a diverged one is told (see plot.h).
 */
static double
lowest_start(const struct plot_series *s, size_t ns)
{
	double low = HUGE_VAL;

	for (size_t k = 0; k < ns; k++)
		if (!isnan(first_y(&s[k])))
			low = fmin(low, first_y(&s[k]));
	return low;
}

/* Whether s diverged (plot.h), low the lowest start of all the series. */
static int
diverged(const struct plot_series *s, double low)
{
	double first = first_y(s);

	if (isnan(first))
		return 0;
	if (!isfinite(s->y[s->n - 1]))
		return 1;
	for (size_t i = s->n; i-- > 0;)
		if (plottable(s, i))
			return s->y[i] > PLOT_RISE * first ||
			    s->y[i] > PLOT_DIVERGED * low;
	return 0;
}

/* Whether point i of s is drawn: plottable and within the y axis y. */
static int
visible(const struct plot_series *s, size_t i, const struct axis *y)
{
	double v;

	if (!plottable(s, i))
		return 0;
	v = log10(s->y[i]);
	return v >= y->lo && v <= y->hi;
}

static double
axis_pixel(const struct axis *a, double v)
{
	double u = a->log ? log10(v) : v;

	return a->from + (u - a->lo) / (a->hi - a->lo) * (a->to - a->from);
}

/* The step 1, 2 or 5 × 10^k just above span / parts. */
static double
nice_step(double span, double parts)
{
	double raw = span / parts, p = pow(10, floor(log10(raw))), m = raw / p;

	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/*
 * The x axis: from the smallest to the largest finite x of all points (whatever
 * their y), widened outwards to whole steps of its ticks, which are whole
 * numbers if every x is (epochs).
 */
static void
x_axis(struct axis *a, const struct plot_series *s, size_t ns, double *step)
{
	double lo = HUGE_VAL, hi = -HUGE_VAL;
	int whole = 1;

	for (size_t k = 0; k < ns; k++)
		for (size_t i = 0; i < s[k].n; i++)
			if (isfinite(s[k].x[i])) {
				lo = fmin(lo, s[k].x[i]);
				hi = fmax(hi, s[k].x[i]);
				whole &= s[k].x[i] == floor(s[k].x[i]);
			}
	if (lo > hi)
		lo = 0, hi = 1;
	else if (!(hi - lo > 1e-9 * fmax(fabs(lo), fabs(hi))))
		lo -= fmax(1, fabs(lo) / 10), hi += fmax(1, fabs(hi) / 10);
	*step = nice_step(hi - lo, 8);
	if (whole && *step < 1)
		*step = 1;
	a->lo = floor(lo / *step) * *step;
	a->hi = ceil(hi / *step) * *step;
	a->from = AREA_LEFT;
	a->to = AREA_RIGHT;
	a->log = 0;
}

/*
 * The y axis: log10 of the smallest to the largest plottable y, at least 0.02
 * decades (a flat curve lies mid-height), widened by 4% at either end so that
 * no line runs along the frame; 1 to 10 if there is nothing to plot.
 */
static void
y_axis(struct axis *a, const struct plot_series *s, size_t ns, const char *div)
{
	double lo = HUGE_VAL, hi = -HUGE_VAL, pad;
	int calm = 0;

	for (size_t k = 0; k < ns; k++)
		calm |= !div[k] && count_plottable(&s[k]) > 0;
	/* The series that did not diverge set the range, when there are any. */
	for (size_t k = 0; k < ns; k++)
		for (size_t i = 0; i < s[k].n; i++)
			if (plottable(&s[k], i) && !(calm && div[k])) {
				lo = fmin(lo, log10(s[k].y[i]));
				hi = fmax(hi, log10(s[k].y[i]));
			}
	/* A diverged one may reach below them before it rises. */
	for (size_t k = 0; calm && k < ns; k++)
		for (size_t i = 0; div[k] && i < s[k].n; i++)
			if (plottable(&s[k], i) && log10(s[k].y[i]) <= hi)
				lo = fmin(lo, log10(s[k].y[i]));
	if (lo > hi)
		lo = 0, hi = 1;
	if (hi - lo < 0.02) {
		double mid = (lo + hi) / 2;

		lo = mid - 0.01;
		hi = mid + 0.01;
	}
	pad = 0.04 * (hi - lo);
	a->lo = lo - pad;
	a->hi = hi + pad;
	a->from = AREA_BOTTOM;
	a->to = AREA_TOP;
	a->log = 1;
}

/* ------------------------------------------------------------------------ */
/* Ticks and their labels                                                    */
/* ------------------------------------------------------------------------ */

/* Decimals enough to tell ticks step apart, at most 15. */
static int
decimals_for(double step)
{
	double d = -floor(log10(step) + 1e-9);

	return d <= 0 ? 0 : d >= 15 ? 15 : (int)d;
}

/* Append n as superscript digits (and minus) to buf, of size bytes. */
static void
append_superscript(char *buf, size_t size, int n)
{
	static const char *const digit[] = { "\xe2\x81\xb0", "\xc2\xb9",
		"\xc2\xb2", "\xc2\xb3", "\xe2\x81\xb4", "\xe2\x81\xb5",
		"\xe2\x81\xb6", "\xe2\x81\xb7", "\xe2\x81\xb8",
		"\xe2\x81\xb9" };
	char plain[16];

	snprintf(plain, sizeof(plain), "%d", n);
	for (const char *p = plain; *p != '\0'; p++)
		strncat(buf, *p == '-' ? "\xe2\x81\xbb" : digit[*p - '0'],
		    size - strlen(buf) - 1);
}

/* Whether m × 10^k is written in plain decimals: from 0.001 to 90000. */
static int
plain(int k)
{
	return k >= -3 && k <= 4;
}

/* The label of m × 10^k: plain decimals (with as_plain), else "m×10ᵏ". */
static void
power_label(char *buf, size_t size, int m, int k, int as_plain)
{
	if (as_plain) {
		snprintf(buf, size, "%.*f", k < 0 ? -k : 0, m * pow(10, k));
		return;
	}
	buf[0] = '\0';
	if (m != 1)
		snprintf(buf, size, "%d\xc3\x97", m);
	strncat(buf, "10", size - strlen(buf) - 1);
	append_superscript(buf, size, k);
}

/* Add the ticks m × 10^k (m of the nm mantissas, k a multiple of every) inside
 * a. */
static void
add_log_ticks(struct ticks *t, const struct axis *a, const int *m, size_t nm,
    int every)
{
	for (int k = (int)floor(a->lo); k <= (int)ceil(a->hi); k++) {
		if (k % every != 0)
			continue;
		for (size_t i = 0; i < nm && t->n < MAX_TICKS; i++) {
			double v = m[i] * pow(10, k), u = log10(v);

			if (u < a->lo || u > a->hi)
				continue;
			t->value[t->n] = v;
			t->mantissa[t->n] = m[i];
			t->exponent[t->n++] = k;
		}
	}
}

/*
 * Label the log ticks of t: all in plain decimals if each can be, else all as
 * m×10ᵏ, so that one axis never mixes 10000 and 10⁵.
 */
static void
label_log_ticks(struct ticks *t)
{
	int as_plain = 1;

	for (size_t i = 0; i < t->n; i++)
		as_plain &= plain(t->exponent[i]);
	for (size_t i = 0; i < t->n; i++)
		power_label(t->text[i], sizeof(t->text[0]), t->mantissa[i],
		    t->exponent[i], as_plain);
}

/* Ticks every step (1, 2 or 5 × 10^k) from lo to hi, in data units. */
static void
add_linear_ticks(struct ticks *t, double lo, double hi, double step)
{
	int decimals = decimals_for(step);

	for (double k = ceil(lo / step - 1e-9);
	     k * step <= hi + 1e-9 * step && t->n < MAX_TICKS; k++) {
		double v = fabs(k) < 0.5 ? 0 : k * step; /* never "-0" */

		t->value[t->n] = v;
		snprintf(t->text[t->n++], sizeof(t->text[0]), "%.*f", decimals,
		    v);
	}
}

/* Unlabelled ticks at 2 to 9 × 10^k inside a, for a log axis labelled by
 * decades. */
static void
add_minor_ticks(struct ticks *t, const struct axis *a)
{
	for (int k = (int)floor(a->lo); k <= (int)ceil(a->hi); k++)
		for (int m = 2; m <= 9 && t->nminor < MAX_MINOR; m++) {
			double v = m * pow(10, k), u = log10(v);

			if (u >= a->lo && u <= a->hi)
				t->minor[t->nminor++] = v;
		}
}

/*
 * The log axis's ticks: over three decades or more, at powers of ten (every 1,
 * 2, 5, 10, ... of them, to keep about eight); else at 1, 2, 5 × 10^k, or 1 to
 * 9 × 10^k, whichever first gives three ticks; else, on a range too narrow for
 * those, linear steps.
 */
static void
y_ticks(struct ticks *t, const struct axis *a)
{
	static const int decade[] = { 1 }, three[] = { 1, 2, 5 },
			 nine[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	double decades = a->hi - a->lo;

	t->n = t->nminor = 0;
	if (decades >= 3) {
		int every = (int)fmax(1, nice_step(decades, 8));

		add_log_ticks(t, a, decade, 1, every);
		if (every == 1)
			add_minor_ticks(t, a);
		label_log_ticks(t);
		return;
	}
	add_log_ticks(t, a, three, 3, 1);
	if (t->n < 3) {
		t->n = 0;
		add_log_ticks(t, a, nine, 9, 1);
	}
	if (t->n >= 3) {
		label_log_ticks(t);
		return;
	}
	t->n = 0;
	add_linear_ticks(t, pow(10, a->lo), pow(10, a->hi),
	    nice_step(pow(10, a->hi) - pow(10, a->lo), 5));
}

/* ------------------------------------------------------------------------ */
/* Writing SVG                                                               */
/* ------------------------------------------------------------------------ */

/*
 * Write s as XML character data: & < > " ' as references; well-formed UTF-8 as
 * it is, except tab, CR and LF, which become spaces, and the code points XML
 * forbids (other control characters, U+FFFE, U+FFFF), which, like stray bytes,
 * become U+FFFD ("?" in a comment). In a comment (in_comment) "--" may not
 * appear, nor a final "-": a space separates them.
 */
static void
write_text(FILE *f, const char *s, int in_comment)
{
	static const char special[] = "&<>\"'";
	static const char *const entity[] = { "&amp;", "&lt;", "&gt;", "&quot;",
		"&apos;" };
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;
	unsigned long cp;

	for (size_t i = 0; i < n; i += len) {
		len = utf8_sequence(p + i, n - i, &cp);
		if (len == 1 && (cp == '\t' || cp == '\n' || cp == '\r')) {
			fputc(' ', f);
		} else if (len == 0 || cp < 0x20 || cp == 0xfffe ||
		    cp == 0xffff) {
			fputs(in_comment ? "?" : "&#xfffd;", f);
			len = 1;
		} else if (!in_comment && strchr(special, p[i]) != NULL) {
			fputs(entity[strchr(special, p[i]) - special], f);
		} else {
			if (in_comment && p[i] == '-' && i > 0 &&
			    p[i - 1] == '-')
				fputc(' ', f);
			fwrite(p + i, 1, len, f);
		}
	}
	if (in_comment && n > 0 && p[n - 1] == '-')
		fputc(' ', f);
}

/* Text at (x, y) with the given extra attributes (a literal, may be ""). */
static void
write_label(FILE *f, double x, double y, const char *attributes, const char *s)
{
	fprintf(f, "<text x=\"%.2f\" y=\"%.2f\"%s>", x, y, attributes);
	write_text(f, s, 0);
	fputs("</text>\n", f);
}

/*
 * Text at (x, y) that is squeezed to width pixels (textLength) if its estimated
 * width, chars of char_width pixels, is more: a long title or label stays
 * inside the picture rather than running off it.
 */
static void
write_fitted(FILE *f, double x, double y, const char *attributes, const char *s,
    size_t chars, double char_width, double width)
{
	fprintf(f, "<text x=\"%.2f\" y=\"%.2f\"%s", x, y, attributes);
	if ((double)chars * char_width > width)
		fprintf(f,
		    " textLength=\"%.2f\" lengthAdjust=\"spacingAndGlyphs\"",
		    width);
	fputc('>', f);
	write_text(f, s, 0);
}

/* Number of characters (code points) of s, for estimating its width. */
static size_t
text_length(const char *s)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		n += (*p & 0xc0) != 0x80;
	return n;
}

static void
write_header(FILE *f, const char *title, int width)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "font-family=\"sans-serif\" font-size=\"12\">\n",
	    width, PLOT_HEIGHT, width, PLOT_HEIGHT);
	if (title != NULL) {
		fputs("<title>", f);
		write_text(f, title, 0);
		fputs("</title>\n", f);
	}
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
	    width, PLOT_HEIGHT);
}

/* Grid lines, tick marks and labels of the y axis. */
static void
draw_y_ticks(FILE *f, const struct axis *a, const struct ticks *t)
{
	fputs("<g stroke=\"#e0e0e0\" shape-rendering=\"crispEdges\">\n", f);
	for (size_t i = 0; i < t->n; i++)
		fprintf(f,
		    "<line x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\"/>\n",
		    AREA_LEFT, axis_pixel(a, t->value[i]), AREA_RIGHT,
		    axis_pixel(a, t->value[i]));
	fputs("</g>\n<g stroke=\"#000000\" shape-rendering=\"crispEdges\">\n",
	    f);
	for (size_t i = 0; i < t->n; i++)
		fprintf(f,
		    "<line x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\"/>\n",
		    AREA_LEFT - 6, axis_pixel(a, t->value[i]), AREA_LEFT,
		    axis_pixel(a, t->value[i]));
	for (size_t i = 0; i < t->nminor; i++)
		fprintf(f,
		    "<line x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\"/>\n",
		    AREA_LEFT - 3, axis_pixel(a, t->minor[i]), AREA_LEFT,
		    axis_pixel(a, t->minor[i]));
	fputs("</g>\n<g text-anchor=\"end\">\n", f);
	for (size_t i = 0; i < t->n; i++)
		write_label(f, AREA_LEFT - 9, axis_pixel(a, t->value[i]) + 4,
		    "", t->text[i]);
	fputs("</g>\n", f);
}

/* Grid lines, tick marks and labels of the x axis. */
static void
draw_x_ticks(FILE *f, const struct axis *a, const struct ticks *t)
{
	fputs("<g stroke=\"#e0e0e0\" shape-rendering=\"crispEdges\">\n", f);
	for (size_t i = 0; i < t->n; i++)
		fprintf(f,
		    "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\"/>\n",
		    axis_pixel(a, t->value[i]), AREA_TOP,
		    axis_pixel(a, t->value[i]), AREA_BOTTOM);
	fputs("</g>\n<g stroke=\"#000000\" shape-rendering=\"crispEdges\">\n",
	    f);
	for (size_t i = 0; i < t->n; i++)
		fprintf(f,
		    "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\"/>\n",
		    axis_pixel(a, t->value[i]), AREA_BOTTOM,
		    axis_pixel(a, t->value[i]), AREA_BOTTOM + 6);
	fputs("</g>\n<g text-anchor=\"middle\">\n", f);
	for (size_t i = 0; i < t->n; i++)
		write_label(f, axis_pixel(a, t->value[i]), AREA_BOTTOM + 20, "",
		    t->text[i]);
	fputs("</g>\n", f);
}

/* The title above the area, the axis labels beside it, and its frame. */
static void
draw_frame(FILE *f, const char *title, const char *x_label, const char *y_label)
{
	double mid_x = (AREA_LEFT + AREA_RIGHT) / 2.0,
	       mid_y = (AREA_TOP + AREA_BOTTOM) / 2.0;

	fprintf(f,
	    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	    "fill=\"none\" stroke=\"#000000\" "
	    "shape-rendering=\"crispEdges\"/>\n",
	    AREA_LEFT, AREA_TOP, AREA_RIGHT - AREA_LEFT,
	    AREA_BOTTOM - AREA_TOP);
	if (title != NULL) {
		write_fitted(f, PLOT_WIDTH / 2.0, 30,
		    " text-anchor=\"middle\" font-size=\"16\"", title,
		    text_length(title), TITLE_CHAR_WIDTH, PLOT_WIDTH - 20);
		fputs("</text>\n", f);
	}
	if (x_label != NULL)
		write_label(f, mid_x, PLOT_HEIGHT - 14,
		    " text-anchor=\"middle\"", x_label);
	if (y_label != NULL) {
		fprintf(f,
		    "<text transform=\"translate(%d %.2f) rotate(-90)\" "
		    "text-anchor=\"middle\">",
		    20, mid_y);
		write_text(f, y_label, 0);
		fputs("</text>\n", f);
	}
}

/* The stroke attributes of series s: its run's colour and line. */
static void
write_stroke(FILE *f, const struct plot_series *s)
{
	size_t pattern = s->run / NCOLOURS % NPATTERNS;
	const char *dash =
	    s->dashed ? dashed_pattern[pattern] : solid_pattern[pattern];

	fprintf(f, " stroke=\"%s\" stroke-width=\"2\"",
	    palette[s->run % NCOLOURS]);
	if (dash != NULL)
		fprintf(f, " stroke-dasharray=\"%s\"", dash);
}

/* Points [i, j) of s: a line, or a dot for a point alone between gaps. */
static void
draw_run(FILE *f, const struct plot_series *s, size_t i, size_t j,
    const struct axis *x, const struct axis *y)
{
	if (j - i == 1) {
		fprintf(f,
		    "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"2.5\" fill=\"%s\"/>\n",
		    axis_pixel(x, s->x[i]), axis_pixel(y, s->y[i]),
		    palette[s->run % NCOLOURS]);
		return;
	}
	fputs("<polyline fill=\"none\" stroke-linejoin=\"round\"", f);
	write_stroke(f, s);
	fputs(" points=\"", f);
	for (size_t p = i; p < j; p++)
		fprintf(f, "%s%.2f,%.2f",
		    p == i	      ? ""
			: (p - i) % 8 ? " "
				      : "\n",
		    axis_pixel(x, s->x[p]), axis_pixel(y, s->y[p]));
	fputs("\"/>\n", f);
}

/*
 * The cross that marks where a diverged series leaves the chart: on the top
 * of the frame, at the x of its first point past the axis (or of the last one
 * drawn, if that x is not finite; of its first, if none is drawn).
 */
static void
mark_divergence(FILE *f, const struct plot_series *s, const struct axis *x,
    const struct axis *y)
{
	size_t i = 0, last = s->n;
	double px;

	/* the first point left out after one drawn */
	for (; i < s->n; i++) {
		if (visible(s, i, y))
			last = i;
		else if (last != s->n)
			break;
	}
	if (last == s->n) {
		/* none drawn: where it starts, above the chart */
		for (i = 0; i < s->n && !isfinite(s->x[i]); i++)
			continue;
		if (i == s->n)
			return;
		last = i;
	}
	px = axis_pixel(x,
	    i < s->n && isfinite(s->x[i]) && s->x[i] >= x->lo &&
		    s->x[i] <= x->hi
		? s->x[i]
		: s->x[last]);
	fprintf(f,
	    "<path d=\"M%.2f %d l-5 -5 m10 0 l-10 10 m10 0 l-5 -5\" "
	    "stroke=\"%s\" stroke-width=\"2\"/>\n",
	    px, AREA_TOP, palette[s->run % NCOLOURS]);
}

/* Series s: a comment on the points left out, then its runs of drawn points. */
static void
draw_series(FILE *f, const struct plot_series *s, int diverging,
    const struct axis *x, const struct axis *y)
{
	size_t kept = count_plottable(s), shown = 0, i = 0, j;

	for (size_t p = 0; p < s->n; p++)
		shown += (size_t)visible(s, p, y);
	fputs("<!-- series ", f);
	write_text(f, s->label, 1);
	if (kept < s->n)
		fprintf(f,
		    ": %zu of %zu points left out, their y not positive or "
		    "not finite (a log axis cannot show them)",
		    s->n - kept, s->n);
	if (shown < kept)
		fprintf(f, "; diverged: %zu points above the axis left out",
		    kept - shown);
	fputs(" -->\n", f);
	while (i < s->n) {
		while (i < s->n && !visible(s, i, y))
			i++;
		for (j = i; j < s->n && visible(s, j, y); j++)
			continue;
		if (j > i)
			draw_run(f, s, i, j, x, y);
		i = j;
	}
	if (diverging)
		mark_divergence(f, s, x, y);
}

static const char no_values[] = " (no positive values)";
static const char diverged_note[] = " (diverged)";

/* What the legend adds to the label of s, which diverged or not, or "". */
static const char *
legend_note(const struct plot_series *s, int diverging)
{
	return count_plottable(s) == 0 ? no_values
	    : diverging		       ? diverged_note
				       : "";
}

/*
 * Whether the segment from (x0, y0) to (x1, y1) meets the box b: Liang and
 * Barsky's clipping, the segment's parameter interval cut by each side in turn.
 */
static int
segment_meets(const struct box *b, double x0, double y0, double x1, double y1)
{
	double p[4] = { -(x1 - x0), x1 - x0, -(y1 - y0), y1 - y0 };
	double q[4] = { x0 - b->left, b->left + b->width - x0, y0 - b->top,
		b->top + b->height - y0 };
	double t0 = 0, t1 = 1;

	for (int i = 0; i < 4; i++) {
		if (p[i] == 0) {
			if (q[i] < 0)
				return 0; /* parallel to this side, outside it
					   */
			continue;
		}
		if (p[i] < 0)
			t0 = fmax(t0, q[i] / p[i]);
		else
			t1 = fmin(t1, q[i] / p[i]);
		if (t0 > t1)
			return 0;
	}
	return 1;
}

/* How many of the drawn segments (and lone points) of the ns series meet b. */
static size_t
covered(const struct box *b, const struct plot_series *s, size_t ns,
    const struct axis *x, const struct axis *y)
{
	size_t n = 0;

	for (size_t k = 0; k < ns; k++)
		for (size_t i = 0; i < s[k].n; i++) {
			size_t j = i + 1 < s[k].n && visible(&s[k], i + 1, y)
			    ? i + 1
			    : i;
			double x0, y0;

			if (!visible(&s[k], i, y))
				continue;
			x0 = axis_pixel(x, s[k].x[i]);
			y0 = axis_pixel(y, s[k].y[i]);
			n += (size_t)segment_meets(b, x0, y0,
			    axis_pixel(x, s[k].x[j]), axis_pixel(y, s[k].y[j]));
		}
	return n;
}

/*
 * The legend's box: wide enough for its longest label (at most the area's width
 * less a margin), in the corner of the area where it hides the fewest pieces of
 * line: top right, top left, bottom right or bottom left, the first of them on
 * a tie (loss curves fall, so the top right is usually clear).
 */
static struct box
legend_box(const struct plot_series *s, size_t ns, const char *div,
    const struct axis *x, const struct axis *y)
{
	size_t chars = 0, best_cover = (size_t)-1;
	struct box b, best = { 0 };

	for (size_t k = 0; k < ns; k++) {
		size_t c = text_length(s[k].label) +
		    strlen(legend_note(&s[k], div[k]));

		chars = c > chars ? c : chars;
	}
	b.width = fmin(44.0 + CHAR_WIDTH * (double)chars,
	    AREA_RIGHT - AREA_LEFT - 20);
	b.height =
	    fmin((double)(LEGEND_ROW * ns + 8), AREA_BOTTOM - AREA_TOP - 20);
	if (ns > PLOT_LEGEND_INSIDE) {
		/* right of the chart, from the top of the area down */
		b.width = fmin(44.0 + CHAR_WIDTH * (double)chars,
		    LEGEND_OUTSIDE_WIDTH);
		b.height =
		    fmin((double)(LEGEND_ROW * ns + 8), AREA_BOTTOM - AREA_TOP);
		b.left = PLOT_WIDTH - 8;
		b.top = AREA_TOP;
		return b;
	}
	for (int corner = 0; corner < 4; corner++) {
		size_t c;

		b.left = corner % 2 == 0 ? AREA_RIGHT - 10 - b.width
					 : AREA_LEFT + 10;
		b.top =
		    corner < 2 ? AREA_TOP + 10 : AREA_BOTTOM - 10 - b.height;
		c = covered(&b, s, ns, x, y);
		if (c < best_cover) {
			best_cover = c;
			best = b;
		}
	}
	return best;
}

/* The legend in box b (legend_box's): a line sample and the label of each
 * series. */
static void
draw_legend(FILE *f, const struct plot_series *s, size_t ns, const char *div,
    struct box b)
{
	size_t rows = (size_t)((b.height - 8) / LEGEND_ROW);

	fprintf(f,
	    "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
	    "fill=\"#ffffff\" fill-opacity=\"0.9\" stroke=\"#a0a0a0\" "
	    "shape-rendering=\"crispEdges\"/>\n",
	    b.left, b.top, b.width, b.height);
	for (size_t k = 0; k < ns && k < rows; k++) {
		double row = b.top + 4 + LEGEND_ROW * (k + 0.5);
		const char *note = legend_note(&s[k], div[k]);

		fprintf(f,
		    "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"",
		    b.left + 8, row, b.left + 32, row);
		write_stroke(f, &s[k]);
		fputs("/>\n", f);
		write_fitted(f, b.left + 38, row + 4, "", s[k].label,
		    text_length(s[k].label) + strlen(note), CHAR_WIDTH,
		    b.width - 44);
		fputs(note, f);
		fputs("</text>\n", f);
	}
	if (rows < ns)
		fprintf(f,
		    "<!-- legend: %zu of %zu series not named, no room -->\n",
		    ns - rows, ns);
}

int
plot_svg(FILE *f, const char *title, const char *x_label, const char *y_label,
    const struct plot_series *s, size_t ns, struct error *e)
{
	struct axis x, y;
	struct ticks t;
	struct box legend = { 0 };
	double step, low = lowest_start(s, ns);
	char *div = xcalloc(ns + 1, 1); /* which series diverged, told once */

	for (size_t k = 0; k < ns; k++) {
		assert(s[k].n == 0 || (s[k].x != NULL && s[k].y != NULL));
		div[k] = (char)diverged(&s[k], low);
	}
	x_axis(&x, s, ns, &step);
	y_axis(&y, s, ns, div);
	if (ns > 0)
		legend = legend_box(s, ns, div, &x, &y);
	write_header(f, title,
	    ns > PLOT_LEGEND_INSIDE ? PLOT_WIDTH + (int)legend.width + 4
				    : PLOT_WIDTH);
	y_ticks(&t, &y);
	draw_y_ticks(f, &y, &t);
	t.n = t.nminor = 0;
	add_linear_ticks(&t, x.lo, x.hi, step);
	draw_x_ticks(f, &x, &t);
	draw_frame(f, title, x_label, y_label);
	for (size_t k = 0; k < ns; k++)
		draw_series(f, &s[k], div[k], &x, &y);
	if (ns > 0)
		draw_legend(f, s, ns, div, legend);
	free(div);
	fputs("</svg>\n", f);
	if (fflush(f) != 0 || ferror(f))
		return error_set(e, EXIT_INPUT, "cannot write the plot");
	return 0;
}
