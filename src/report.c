/*
 * report.c: the epoch table and the summary, for people.
 */
#include "report.h"

void
report_epoch_header(FILE *f, int with_val)
{
	fprintf(f, "%9s %20s", "epoch", "loss");
	if (with_val)
		fprintf(f, " %20s", "val_loss");
	fprintf(f, " %12s %9s\n", "rate", "seconds");
}

void
report_epoch(FILE *f, const struct epoch_report *r, int with_val)
{
	fprintf(f, "%9lu %20.12g", r->epoch, r->loss);
	if (with_val)
		fprintf(f, " %20.12g", r->val_loss);
	fprintf(f, " %12.6g %9.3f\n", r->rate, r->seconds);
}

void
report_log_header(FILE *f)
{
	fputs("epoch,train_loss,val_loss,learning_rate,seconds\n", f);
}

void
report_log(FILE *f, const struct epoch_report *r)
{
	fprintf(f, "%lu,%.17g,", r->epoch, r->loss);
	if (r->val_loss == r->val_loss)
		fprintf(f, "%.17g", r->val_loss);
	fprintf(f, ",%.17g,%.6f\n", r->rate, r->seconds);
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

	fprintf(f, "descend: %zu row%s, %zu feature%s; %lu epoch%s of %s gradient "
	    "descent on %s, learning rate %.6g%s\n", s->rows, plural(s->rows),
	    s->features, plural(s->features), s->epochs, plural(s->epochs), s->mode,
	    s->loss, s->rate, s->rate_auto ? " (auto)" : "");
	fprintf(f, "descend: final %s %.10g; best constant (%s) %.10g; "
	    "%.2f%% lower\n", s->loss, s->loss_value, s->constant, s->constant_loss,
	    explained);
	if (s->best_epoch > 0)
		fprintf(f, "descend: the weights are those of epoch %lu, with the "
		    "lowest validation %s, %.10g (%zu row%s)%s\n", s->best_epoch,
		    s->loss, s->val_loss, s->val_rows, plural(s->val_rows),
		    s->stopped_early ? "; stopped early" : "");
	else if (s->val_rows > 0)
		fprintf(f, "descend: validation %s %.10g (%zu row%s)\n", s->loss,
		    s->val_loss, s->val_rows, plural(s->val_rows));
	/* Still falling by more than a part in a million: say that more would help. */
	if (s->last_drop > 1e-6)
		fprintf(f, "descend: the loss fell by %.2g%% in the last epoch; more "
		    "epochs (-e) would lower it further\n", 100 * s->last_drop);
}
