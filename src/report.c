/*
 * report.c: the epoch table and the summary, for people.
 */
#include <math.h>
#include <string.h>

#include "report.h"

void
report_epoch_header(FILE *f, int columns)
{
	fprintf(f, "%9s %20s", "epoch", "loss");
	if (columns & REPORT_VAL)
		fprintf(f, " %20s", "val_loss");
	if (columns & REPORT_GAP)
		fprintf(f, " %12s %12s", "gap", "rel_gap");
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
	fprintf(f, " %12.6g %9.3f\n", r->rate, r->seconds);
}

void
report_log_header(FILE *f, int columns)
{
	fputs("epoch,train_loss,val_loss,learning_rate,seconds", f);
	fputs(columns & REPORT_GAP ? ",gap,rel_gap\n" : "\n", f);
}

void
report_log(FILE *f, const struct epoch_report *r, int columns)
{
	fprintf(f, "%lu,%.17g,", r->epoch, r->loss);
	if (r->val_loss == r->val_loss)
		fprintf(f, "%.17g", r->val_loss);
	fprintf(f, ",%.17g,%.6f", r->rate, r->seconds);
	if (columns & REPORT_GAP)
		fprintf(f, ",%.17g,%.17g", r->gap, relative_gap(r));
	fputc('\n', f);
}

static const char *
plural(size_t n)
{
	return n == 1 ? "" : "s";
}

void
report_summary(FILE *f, const struct fit_summary *s)
{
	double explained = s->constant_loss > 0 ?
	    100 * (1 - s->loss_value / s->constant_loss) : 0;

	fprintf(f, "descend: %zu row%s, %zu feature%s; ", s->rows, plural(s->rows),
	    s->features, plural(s->features));
	if (s->exact)
		fprintf(f, "exact least squares by QR, rank %zu of %zu terms\n",
		    s->rank, s->terms);
	else if (s->optimizer != NULL && strcmp(s->optimizer, "lbfgs") == 0)
		fprintf(f, "%lu iteration%s of L-BFGS on %s\n", s->epochs,
		    plural(s->epochs), s->loss);
	else
		fprintf(f, "%lu epoch%s of %s gradient descent%s%s on %s, learning "
		    "rate %.6g%s\n", s->epochs, plural(s->epochs), s->mode,
		    s->optimizer ? " with " : "", s->optimizer ? s->optimizer : "",
		    s->loss, s->rate, s->rate_auto ? " (auto)" : "");
	fprintf(f, "descend: final %s %.10g; best constant (%s) %.10g; "
	    "%.2f%% lower\n", s->loss, s->loss_value, s->constant, s->constant_loss,
	    explained);
	if (s->penalized)
		fprintf(f, "descend: objective with the penalties %.10g\n",
		    s->objective);
	if (s->converged)
		fprintf(f, "descend: L-BFGS converged: no step lowers the objective "
		    "further\n");
	if (s->best_epoch > 0)
		fprintf(f, "descend: the weights are those of epoch %lu, with the "
		    "lowest validation %s, %.10g (%zu row%s)%s\n", s->best_epoch,
		    s->loss, s->val_loss, s->val_rows, plural(s->val_rows),
		    s->stopped_early ? "; stopped early" : "");
	else if (s->val_rows > 0)
		fprintf(f, "descend: validation %s %.10g (%zu row%s)\n", s->loss,
		    s->val_loss, s->val_rows, plural(s->val_rows));
	/* Still falling by more than a part in a million: say that more would help. */
	if (s->last_drop > 1e-6 && !s->exact && !s->converged)
		fprintf(f, "descend: the loss fell by %.2g%% in the last epoch; more "
		    "epochs (-e) would lower it further\n", 100 * s->last_drop);
}
