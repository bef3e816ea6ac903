/*
 * report.c: the epoch table and the summary, for people.
 */
#include "report.h"

void
report_epoch_header(FILE *f)
{
	fprintf(f, "%9s %20s %12s %9s\n", "epoch", "loss", "rate", "seconds");
}

void
report_epoch(FILE *f, const struct epoch_report *r)
{
	fprintf(f, "%9lu %20.12g %12.6g %9.3f\n", r->epoch, r->loss, r->rate,
	    r->seconds);
}

void
report_summary(FILE *f, const struct fit_summary *s)
{
	double explained = s->constant_loss > 0 ?
	    100 * (1 - s->loss_value / s->constant_loss) : 0;

	fprintf(f, "descend: %zu rows, %zu features; %lu epochs of %s gradient "
	    "descent on %s, learning rate %.6g%s\n", s->rows, s->features, s->epochs,
	    s->mode, s->loss, s->rate, s->rate_auto ? " (auto)" : "");
	fprintf(f, "descend: final %s %.10g; best constant (%s) %.10g; "
	    "%.2f%% lower\n", s->loss, s->loss_value, s->constant, s->constant_loss,
	    explained);
	/* Still falling by more than a part in a million: say that more would help. */
	if (s->last_drop > 1e-6)
		fprintf(f, "descend: the loss fell by %.2g%% in the last epoch; more "
		    "epochs (-e) would lower it further\n", 100 * s->last_drop);
}
