/*
 * report.c: the epoch table and the summary, for people; the log, the plot and
 * the statistics' JSON, for programs.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "num.h"
#include "plot.h"
#include "report.h"
#include "utf8.h"

void
report_epoch_header(FILE *f, int columns)
{
	fprintf(f, "%9s %20s", "epoch", "loss");
	if (columns & REPORT_VAL)
		fprintf(f, " %20s", "val_loss");
	if (columns & REPORT_GAP)
		fprintf(f, " %12s %12s", "gap", "rel_gap");
	if (columns & REPORT_ACCURACY)
		fprintf(f, " %9s", "accuracy");
	if ((columns & REPORT_ACCURACY) && (columns & REPORT_VAL))
		fprintf(f, " %12s", "val_accuracy");
	fprintf(f, " %12s %9s\n", "rate", "seconds");
}

/* The gap relative to the optimum, objective − gap (NaN if that is 0). */
static double
relative_gap(const struct epoch_report *r)
{
	double optimum = r->objective - r->gap;

	return optimum != 0 ? r->gap / fabs(optimum) : (double)NAN;
}

void
report_epoch(FILE *f, const struct epoch_report *r, int columns)
{
	fprintf(f, "%9lu %20.12g", r->epoch, r->loss);
	if (columns & REPORT_VAL)
		fprintf(f, " %20.12g", r->val_loss);
	if (columns & REPORT_GAP)
		fprintf(f, " %12.4g %12.4g", r->gap, relative_gap(r));
	if (columns & REPORT_ACCURACY)
		fprintf(f, " %9.4f", r->accuracy);
	if ((columns & REPORT_ACCURACY) && (columns & REPORT_VAL))
		fprintf(f, " %12.4f", r->val_accuracy);
	fprintf(f, " %12.6g %9.3f\n", r->rate, r->seconds);
}

void
report_log_header(FILE *f, int columns)
{
	fputs("epoch,train_loss,val_loss,learning_rate,seconds", f);
	fputs(columns & REPORT_GAP ? ",gap,rel_gap" : "", f);
	fputs(columns & REPORT_ACCURACY ? ",accuracy,val_accuracy\n" : "\n", f);
}

void
report_log(FILE *f, const struct epoch_report *r, int columns)
{
	fprintf(f, "%lu,", r->epoch);
	num_write(f, r->loss);
	fputc(',', f);
	if (r->val_loss == r->val_loss)
		num_write(f, r->val_loss);
	fputc(',', f);
	num_write(f, r->rate);
	fprintf(f, ",%.6f", r->seconds);
	if (columns & REPORT_GAP) {
		fputc(',', f);
		num_write(f, r->gap);
		fputc(',', f);
		num_write(f, relative_gap(r));
	}
	if (columns & REPORT_ACCURACY) {
		fputc(',', f);
		num_write(f, r->accuracy);
		fputc(',', f);
		if (r->val_accuracy == r->val_accuracy)
			num_write(f, r->val_accuracy);
	}
	fputc('\n', f);
}

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* Why training stopped, in one line naming the rule that ran. */
static void
report_stop(FILE *f, const struct fit_summary *s)
{
	const struct train_result *r = s->result;

	fputs("descend: stopped: ", f);
	switch (r->stop) {
	case TRAIN_STOP_EPOCHS:
		fprintf(f, "the epochs ran out (-e %lu)", r->epochs);
		break;
	case TRAIN_STOP_EARLY:
		fprintf(f,
		    "early stopping: no lower validation %s since epoch %lu",
		    s->classification ? "log loss" : s->loss, r->best_epoch);
		break;
	case TRAIN_STOP_GRADIENT:
		fprintf(f,
		    "L-BFGS's gradient test passed (gradient below %.0e of "
		    "its start%s)",
		    r->smoothing > 0 ? TRAIN_SMOOTHED_GRADIENT_TOL
				     : TRAIN_GRADIENT_TOL,
		    r->smoothing > 0 ? " at the last smoothing width" : "");
		break;
	case TRAIN_STOP_NO_DECREASE:
		fputs("L-BFGS's line search found no step that lowers the "
		      "objective",
		    f);
		break;
	case TRAIN_STOP_RATE_FLOOR:
		fprintf(f,
		    "the %s schedule's rate fell below %.0e of its start",
		    s->schedule, TRAIN_RATE_FLOOR);
		break;
	case TRAIN_STOP_INTERRUPTED:
		fprintf(f, "interrupted in epoch %lu", r->interrupted);
		break;
	case TRAIN_STOP_DIVERGED:
		fputs("the loss diverged", f);
		break;
	}
	if (r->smoothing > 0)
		fprintf(f, "; %s smoothed over %.3g at the end", s->loss,
		    r->smoothing);
	fputc('\n', f);
}

/*
 * A remedy that works on the problem, for a fit not within TRAIN_CERTIFIED of
 * its optimum: --solver exact for mse; more L-BFGS iterations when the epochs
 * ran out, a smaller first step when its first line search failed; L-BFGS
 * itself for the other rules (batch mode, which it needs).
 */
static void
report_remedy(FILE *f, const struct fit_summary *s, int lbfgs, int batch)
{
	const struct train_result *r = s->result;

	if (s->quadratic)
		fputs("; --solver exact solves it directly", f);
	else if (lbfgs && r->stop == TRAIN_STOP_EPOCHS)
		fputs("; more iterations (-e) would lower it", f);
	else if (lbfgs && r->epochs == 0)
		fputs("; -r sets L-BFGS's first step: a smaller one lets its "
		      "line "
		      "search begin",
		    f);
	else if (!lbfgs && batch)
		fputs("; -O lbfgs reaches it", f);
	else if (!lbfgs)
		fputs("; -m batch -O lbfgs reaches it", f);
}

/* An epochs_needed bound above this is not said: the fit is far from it. */
#define REPORT_EPOCHS_NEEDED_MAX 1e9

/*
 * How far from the optimum, as far as training knows: the relative gap to the
 * optimum (mse from the moments' solution, others from an exact solution), or
 * for another smooth loss the gradient against its start. Beyond
 * TRAIN_CERTIFIED, a remedy that works on the problem.
 */
static void
report_certificate(FILE *f, const struct fit_summary *s)
{
	const struct train_certificate *c = &s->result->cert;
	int lbfgs = s->optimizer != NULL && strcmp(s->optimizer, "lbfgs") == 0;
	int batch = strcmp(s->mode, "batch") == 0;

	if (!isnan(c->rel_gap)) {
		double gap = c->rel_gap > 0 ? c->rel_gap : 0;

		if (gap == 0) {
			fputs(
			    "descend: at the optimum: objective equal to it to "
			    "rounding\n",
			    f);
			return;
		}
		if (gap <= TRAIN_CERTIFIED) {
			fprintf(f,
			    "descend: at the optimum: objective within %.2g "
			    "of it (relative)\n",
			    gap);
			return;
		}
		fprintf(f,
		    "descend: not at the optimum: objective %.3g above it "
		    "(relative)",
		    gap);
		if (c->epochs_needed > 0 &&
		    c->epochs_needed < REPORT_EPOCHS_NEEDED_MAX)
			fprintf(f,
			    "; at most %.0f more epochs of gd reach %.0e",
			    c->epochs_needed, TRAIN_CERTIFIED);
		report_remedy(f, s, lbfgs, batch);
		fputc('\n', f);
		return;
	}
	if (!isnan(c->grad_ratio)) {
		fprintf(f, "descend: gradient %.2g of its size at the start",
		    c->grad_ratio);
		if (c->grad_ratio > TRAIN_CERTIFIED)
			report_remedy(f, s, lbfgs, batch);
		fputc('\n', f);
		return;
	}
	fprintf(f, "descend: distance to the optimum unknown: %s\n",
	    s->quadratic
		? "the optimum with --l1 has no closed form"
		: "no exact solution was computed (--gap computes one)");
}

void
report_summary(FILE *f, const struct fit_summary *s)
{
	double explained = s->constant_loss > 0
	    ? 100 * (1 - s->loss_value / s->constant_loss)
	    : 0;
	/* What the class losses measure, in the words people use for it. */
	int poisson = strcmp(s->loss, "poisson") == 0;
	const char *measure = s->classification ? "log loss"
	    : poisson				? "mean Poisson deviance"
						: s->loss;
	const char *mode = strcmp(s->mode, "sgd") == 0 ? "stochastic"
	    : strcmp(s->mode, "minibatch") == 0	       ? "mini-batch"
						       : s->mode;

	fprintf(f, "descend: %zu row%s, %zu feature%s; ", s->rows,
	    plural(s->rows), s->features, plural(s->features));
	if (s->exact && poisson)
		fprintf(f,
		    "maximum likelihood by Newton's method (glm), rank %zu "
		    "of %zu terms\n",
		    s->rank, s->terms);
	else if (s->exact == 2)
		fprintf(f, "%lu sweep%s of coordinate descent on %s\n",
		    s->epochs, plural(s->epochs), s->loss);
	else if (s->exact)
		fprintf(f, "exact least squares by QR, rank %zu of %zu terms\n",
		    s->rank, s->terms);
	else if (s->optimizer != NULL && strcmp(s->optimizer, "lbfgs") == 0)
		fprintf(f, "%lu iteration%s of L-BFGS on %s\n", s->epochs,
		    plural(s->epochs), s->loss);
	else
		fprintf(f,
		    "%lu epoch%s of %s gradient descent%s%s on %s, learning "
		    "rate %.6g%s\n",
		    s->epochs, plural(s->epochs), mode,
		    s->optimizer ? " with " : "",
		    s->optimizer ? s->optimizer : "", s->loss, s->rate,
		    s->rate_auto ? " (auto)" : "");
	if (s->result != NULL && s->quadratic && !s->result->moments &&
	    strcmp(s->mode, "batch") == 0)
		fputs("descend: each epoch a pass over the rows, without the "
		      "moments (they pay over more epochs or fewer features)\n",
		    f);
	fprintf(f,
	    "descend: final %s %.10g; best constant (%s) %.10g; "
	    "%.2f%% lower\n",
	    measure, s->loss_value, s->constant, s->constant_loss, explained);
	if (s->penalized)
		fprintf(f, "descend: objective with the penalties %.10g\n",
		    s->objective);
	if (s->classification)
		fprintf(f, "descend: accuracy %.4f on the training rows\n",
		    s->accuracy);
	if (s->classification && s->val_accuracy == s->val_accuracy)
		fprintf(f, "descend: accuracy %.4f on the validation rows\n",
		    s->val_accuracy);
	if (s->best_epoch > 0)
		fprintf(f,
		    "descend: the weights are those of epoch %lu, with the "
		    "lowest validation %s, %.10g (%zu row%s)%s\n",
		    s->best_epoch, measure, s->val_loss, s->val_rows,
		    plural(s->val_rows),
		    s->stopped_early ? "; stopped early" : "");
	else if (s->val_rows > 0)
		fprintf(f, "descend: validation %s %.10g (%zu row%s)\n",
		    measure, s->val_loss, s->val_rows, plural(s->val_rows));
	if (s->result != NULL) {
		report_stop(f, s);
		report_certificate(f, s);
	}
}

static void report_stats_logistic(FILE *f, const struct fit_stats *st);
static void report_stats_logistic_json(FILE *f, const struct fit_stats *st);

/* The p-value as R prints it in spirit: 4 digits, and 0 only when it is. */
static void
print_p(FILE *f, double p)
{
	if (isnan(p))
		fprintf(f, " %11s", "NA");
	else
		fprintf(f, " %11.4g", p);
}

/* v in width columns with %.{digits}g, or NA when undefined (NaN). */
static void
print_num(FILE *f, int width, int digits, double v)
{
	if (isnan(v))
		fprintf(f, " %*s", width, "NA");
	else
		fprintf(f, " %*.*g", width, digits, v);
}

/* The same, with no padding, for the lines under the table. */
static void
print_value(FILE *f, double v)
{
	if (isnan(v))
		fputs("NA", f);
	else
		fprintf(f, "%.6g", v);
}

void
report_stats(FILE *f, const struct fit_stats *st, const char *const *names)
{
	int width = 11;
	char lo[32], hi[32];

	/* padded by the columns a terminal gives them, not bytes */
	for (size_t j = 0; j < st->p; j++)
		if ((int)utf8_width(names[j]) > width)
			width = (int)utf8_width(names[j]);
	snprintf(lo, sizeof(lo), "%.4g %%", 50 * (1 - st->conf));
	snprintf(hi, sizeof(hi), "%.4g %%", 50 * (1 + st->conf));
	fprintf(f, "%-*s %14s %12s %9s %11s %14s %14s\n", width, "term",
	    "estimate", "std_error", st->logistic ? "z_value" : "t_value",
	    "p_value", lo, hi);
	for (size_t j = 0; j < st->p; j++) {
		const struct term_stats *t = &st->term[j];

		utf8_pad(f, names[j], (size_t)width, 1);
		if (isnan(t->estimate)) {
			/* Term 0 is never aliased: NaN there is no intercept.
			 */
			fprintf(f, " %14s %12s %9s %11s %14s %14s   (%s)\n",
			    "NA", "NA", "NA", "NA", "NA", "NA",
			    j == 0 ? "no intercept" : "aliased");
			continue;
		}
		print_num(f, 14, 7, t->estimate);
		print_num(f, 12, 6, t->std_error);
		print_num(f, 9, 4, t->t);
		print_p(f, t->p);
		print_num(f, 14, 7, t->ci_low);
		print_num(f, 14, 7, t->ci_high);
		fputc('\n', f);
	}
	if (st->logistic) {
		report_stats_logistic(f, st);
		return;
	}
	fputs("\nresidual standard error ", f);
	print_value(f, st->sigma);
	fprintf(f, " on %.0f degrees of freedom (%zu rows)\nR-squared ", st->df,
	    st->n);
	if (st->p > 0 && isnan(st->term[0].estimate))
		fputs("(sums of squares about 0: no intercept) ", f);
	print_value(f, st->r2);
	fputs(", adjusted R-squared ", f);
	print_value(f, st->adj_r2);
	fputc('\n', f);
	if (!isnan(st->f))
		fprintf(f,
		    "F statistic %.6g on %.0f and %.0f degrees of freedom, "
		    "p-value %.4g\n",
		    st->f, st->f_df1, st->f_df2, st->f_p);
}

void
report_importance(FILE *f, const char *const *names, const double *std_weight,
    size_t d, size_t most)
{
	size_t shown = d < most ? d : most,
	       *order = xcalloc(shown + 1, sizeof(size_t));
	char *taken = xcalloc(d + 1, 1);

	/* The `shown` largest by selection, O(d·most): ties keep the columns'
	 * order. */
	for (size_t k = 0; k < shown; k++) {
		size_t best = d;

		for (size_t j = 0; j < d; j++)
			if (!taken[j] &&
			    (best == d ||
				fabs(std_weight[j]) > fabs(std_weight[best])))
				best = j;
		taken[best] = 1;
		order[k] = best;
	}
	if (d == 0) {
		free(order);
		free(taken);
		return; /* no feature: nothing to rank */
	}
	fputs("descend: importance (|std_weight|):", f);
	for (size_t k = 0; k < shown; k++)
		fprintf(f, "%s %s %.3g", k ? "," : "", names[order[k]],
		    fabs(std_weight[order[k]]));
	if (d > shown)
		fprintf(f, ", and %zu more", d - shown);
	fputc('\n', f);
	free(order);
	free(taken);
}

int
report_stats_json(FILE *f, const struct fit_stats *st, const char *const *names,
    struct error *e)
{
	fputs("{\n  \"terms\": [\n", f);
	for (size_t j = 0; j < st->p; j++) {
		const struct term_stats *t = &st->term[j];

		fputs("    {\"term\": ", f);
		json_string(f, names[j]);
		json_member(f, ", ", "estimate", t->estimate);
		json_member(f, ", ", "std_error", t->std_error);
		json_member(f, ", ", st->logistic ? "z" : "t", t->t);
		json_member(f, ", ", "p_value", t->p);
		json_member(f, ", ", "ci_low", t->ci_low);
		json_member(f, ", ", "ci_high", t->ci_high);
		fputs(j + 1 < st->p ? "},\n" : "}\n", f);
	}
	json_member(f, "  ],\n  ", "conf", st->conf);
	json_member(f, ",\n  ", "n", (double)st->n);
	json_member(f, ",\n  ", "rank", (double)st->rank);
	json_member(f, ",\n  ", "df", st->df);
	if (st->logistic) {
		report_stats_logistic_json(f, st);
	} else {
		json_member(f, ",\n  ", "sigma", st->sigma);
		json_member(f, ",\n  ", "r2", st->r2);
		json_member(f, ",\n  ", "adj_r2", st->adj_r2);
		json_member(f, ",\n  ", "f", st->f);
		json_member(f, ",\n  ", "f_df1", st->f_df1);
		json_member(f, ",\n  ", "f_df2", st->f_df2);
		json_member(f, ",\n  ", "f_p", st->f_p);
	}
	fputs("\n}\n", f);
	if (fflush(f) != 0 || ferror(f))
		return error_set(e, EXIT_INPUT, "writing the statistics: %s",
		    strerror(errno ? errno : EIO));
	return 0;
}

void
report_curves_add(struct report_curves *c, const struct epoch_report *r)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		c->epoch = xreallocarray(c->epoch, c->cap, sizeof(double));
		c->loss = xreallocarray(c->loss, c->cap, sizeof(double));
		c->val_loss =
		    xreallocarray(c->val_loss, c->cap, sizeof(double));
	}
	c->epoch[c->n] = (double)r->epoch;
	c->loss[c->n] = r->loss;
	c->val_loss[c->n] = r->val_loss;
	c->n++;
}

void
report_curves_free(struct report_curves *c)
{
	free(c->epoch);
	free(c->loss);
	free(c->val_loss);
	memset(c, 0, sizeof(*c));
}

int
report_plot(FILE *f, const struct report_curves *c, const char *title,
    const char *loss, int validation, struct error *e)
{
	struct plot_series s[2] = {
		{ .label = "train", .n = c->n, .x = c->epoch, .y = c->loss },
		{ .label = "validation",
		    .n = c->n,
		    .x = c->epoch,
		    .y = c->val_loss,
		    .dashed = 1 },
	};

	char y_label[64];

	snprintf(y_label, sizeof(y_label), "%s (log scale)", loss);
	return plot_svg(f, title, "epoch", y_label, s, validation ? 2 : 1, e);
}

/*
 * Logistic regression's lines under the table (summary.glm's), and its JSON
 * members, kept apart from least squares'.
 */
static void
report_stats_logistic(FILE *f, const struct fit_stats *st)
{
	fprintf(f,
	    "\nmaximum likelihood by Newton's method: %u iterations "
	    "(%zu rows)\n",
	    st->iterations, st->n);
	fprintf(f, "null deviance %.6g on %.0f degrees of freedom\n",
	    st->null_deviance, st->null_df);
	fprintf(f, "residual deviance %.6g on %.0f degrees of freedom\n",
	    st->deviance, st->df);
	fprintf(f, "AIC %.6g\n", st->aic);
}

static void
report_stats_logistic_json(FILE *f, const struct fit_stats *st)
{
	json_member(f, ",\n  ", "null_deviance", st->null_deviance);
	json_member(f, ",\n  ", "null_df", st->null_df);
	json_member(f, ",\n  ", "deviance", st->deviance);
	json_member(f, ",\n  ", "aic", st->aic);
	json_member(f, ",\n  ", "iterations", (double)st->iterations);
}
