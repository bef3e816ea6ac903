/*
 * cmd_fit.c: descend fit. Reads the options, then runs the pipeline of design.md:
 * table (CSV to dataset), scale, train, and the model written out; says what happens
 * on stderr and exits with the status the man page documents.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "category.h"
#include "cluster.h"
#include "cmd.h"
#include "err.h"
#include "model.h"
#include "outfile.h"
#include "parallel.h"
#include "progress.h"
#include "quantile.h"
#include "num.h"
#include "report.h"
#include "rng.h"
#include "scale.h"
#include "shard.h"
#include "solve.h"
#include "glm.h"
#include "stats.h"
#include "table.h"
#include "train.h"

enum {
	OPT_CATEGORICAL = 256, OPT_CV, OPT_CV_ONLY, OPT_DROP, OPT_DROP_DUPLICATES, OPT_EARLY_STOP,
	OPT_MISSING, OPT_SCALE, OPT_LOG, OPT_NO_HEADER, OPT_NO_STANDARDIZE,
	OPT_SEED, OPT_TOL, OPT_VALIDATION, OPT_VERSION,
	OPT_MOMENTUM, OPT_BETA1, OPT_BETA2, OPT_EPSILON, OPT_WEIGHT_DECAY,
	OPT_SCHEDULE, OPT_DECAY, OPT_POWER_T, OPT_STEP_SIZE, OPT_DELTA, OPT_L1, OPT_L2,
	OPT_SOLVER, OPT_GAP, OPT_STATS, OPT_STATS_ONLY, OPT_CONF, OPT_POSITIVE,
	OPT_THREADS, OPT_FORMAT, OPT_PLOT, OPT_CACHE, OPT_CACHE_ONLY, OPT_SHARDS,
	OPT_TAU, OPT_LOG_EVERY
};

const char cmd_fit_short_options[] = ":b:d:e:hl:m:o:O:qr:t:x:";

const struct option cmd_fit_long_options[] = {
	{ "batch-size", required_argument, NULL, 'b' },
	{ "delimiter", required_argument, NULL, 'd' },
	{ "epochs", required_argument, NULL, 'e' },
	{ "help", no_argument, NULL, 'h' },
	{ "loss", required_argument, NULL, 'l' },
	{ "mode", required_argument, NULL, 'm' },
	{ "output", required_argument, NULL, 'o' },
	{ "optimizer", required_argument, NULL, 'O' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "learning-rate", required_argument, NULL, 'r' },
	{ "target", required_argument, NULL, 't' },
	{ "features", required_argument, NULL, 'x' },
	{ "categorical", required_argument, NULL, OPT_CATEGORICAL },
	{ "cv", required_argument, NULL, OPT_CV },
	{ "cv-only", no_argument, NULL, OPT_CV_ONLY },
	{ "drop", required_argument, NULL, OPT_DROP },
	{ "drop-duplicates", no_argument, NULL, OPT_DROP_DUPLICATES },
	{ "missing", required_argument, NULL, OPT_MISSING },
	{ "scale", required_argument, NULL, OPT_SCALE },
	{ "early-stop", required_argument, NULL, OPT_EARLY_STOP },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "log-every", required_argument, NULL, OPT_LOG_EVERY },
	{ "tol", required_argument, NULL, OPT_TOL },
	{ "validation", required_argument, NULL, OPT_VALIDATION },
	{ "no-header", no_argument, NULL, OPT_NO_HEADER },
	{ "no-standardize", no_argument, NULL, OPT_NO_STANDARDIZE },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "momentum", required_argument, NULL, OPT_MOMENTUM },
	{ "beta1", required_argument, NULL, OPT_BETA1 },
	{ "beta2", required_argument, NULL, OPT_BETA2 },
	{ "epsilon", required_argument, NULL, OPT_EPSILON },
	{ "weight-decay", required_argument, NULL, OPT_WEIGHT_DECAY },
	{ "schedule", required_argument, NULL, OPT_SCHEDULE },
	{ "decay", required_argument, NULL, OPT_DECAY },
	{ "power-t", required_argument, NULL, OPT_POWER_T },
	{ "step-size", required_argument, NULL, OPT_STEP_SIZE },
	{ "delta", required_argument, NULL, OPT_DELTA },
	{ "tau", required_argument, NULL, OPT_TAU },
	{ "l1", required_argument, NULL, OPT_L1 },
	{ "l2", required_argument, NULL, OPT_L2 },
	{ "solver", required_argument, NULL, OPT_SOLVER },
	{ "gap", no_argument, NULL, OPT_GAP },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "stats-only", no_argument, NULL, OPT_STATS_ONLY },
	{ "conf", required_argument, NULL, OPT_CONF },
	{ "positive", required_argument, NULL, OPT_POSITIVE },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "plot", required_argument, NULL, OPT_PLOT },
	{ "cache", required_argument, NULL, OPT_CACHE },
	{ "cache-only", no_argument, NULL, OPT_CACHE_ONLY },
	{ "shards", required_argument, NULL, OPT_SHARDS },
	{ NULL, 0, NULL, 0 }
};

static const struct {
	const char *name;
	enum train_mode mode;
} modes[] = {
	{ .name = "batch", .mode = MODE_BATCH },
	{ .name = "sgd", .mode = MODE_SGD },
	{ .name = "minibatch", .mode = MODE_MINIBATCH },
};

static const char synopsis[] =
    "usage: descend fit [options] [file]\n";

/* Grouped so that it fits an 80x24 screen; descend(1) has the details. */
static const char help[] =
    "Fit a linear model to a CSV file or standard input: the epoch log on stderr,\n"
    "the weights CSV on stdout (or -o file). [Defaults]; details in descend(1).\n"
    "input    -t, --target col [last]   -x, --features list   --drop list\n"
    "         -d, --delimiter c [,]   --no-header   --missing error|drop|mean\n"
    "         --categorical list   --drop-duplicates   --scale zscore|minmax|none\n"
    "         --no-standardize   --cache file   --cache-only   --shards glob\n"
    "model    -l, --loss mse|mae|huber|quantile|logistic|softmax [mse]\n"
    "         --delta d [1.35]   --tau t [0.5]   --positive label   --l1 l   --l2 l\n"
    "         --solver gd|exact [gd]   --stats   --stats-only   --conf c [0.95]\n"
    "descent  -O, --optimizer gd|momentum|nesterov|adagrad|rmsprop|adam|adamw|lbfgs\n"
    "         -m, --mode batch|sgd|minibatch [batch]   -b, --batch-size n [32]\n"
    "         -e, --epochs n [100]   -r, --learning-rate r|auto [auto]   --seed n\n"
    "         --momentum m   --beta1 b   --beta2 b   --epsilon e   --weight-decay w\n"
    "         --schedule constant|invscaling|step|exponential|cosine|plateau|\n"
    "         stagewise   --decay d   --power-t p   --step-size n\n"
    "held out --validation f   --early-stop n   --tol t   --cv k   --cv-only\n"
    "output   -o, --output file   --format csv|json [csv]   --log file\n"
    "         --log-every n|auto [1]   --plot file.svg   --gap   -q, --quiet\n"
    "         --threads n [all cores]\n"
    "         -h, --help   --version\n"
    "Exit status: 0 done, 1 bad input, 2 usage, 3 diverged, 130/143 interrupted.\n";

/* Everything the command line says. */
struct fit_options {
	struct table_options table;
	struct train_options train;
	enum scaling scaling;
	int drop_duplicates;
	int quiet;
	const char *input;		/* path, or NULL for standard input */
	const char *output;		/* -o, or NULL for standard output */
	const char *log;		/* --log, or NULL */
	unsigned long log_every;	/* --log-every: the table's spacing; 0 auto */
	const char *plot;		/* --plot, or NULL */
	enum model_format format;	/* --format */
	double validation;		/* fraction held out, or 0 */
	size_t cv;			/* folds, or 0 */
	int cv_only;
	int exact;			/* --solver exact */
	double tau;			/* --tau: quantile's τ */
	int gap;			/* --gap */
	int stats;			/* --stats, or 2 for --stats-only */
	double conf;			/* --conf */
	const char *positive;		/* --positive, or NULL */
	struct category labels;		/* a class target's labels */
	const char *cache;		/* --cache, or NULL */
	int cache_only;			/* --cache-only */
	const char *shards;		/* --shards, or NULL */
	unsigned given;			/* GIVEN_* bits: options given explicitly */
};

/* Options whose meaning depends on others, remembered when given. */
enum {
	GIVEN_MOMENTUM = 1 << 0, GIVEN_BETA1 = 1 << 1, GIVEN_BETA2 = 1 << 2,
	GIVEN_EPSILON = 1 << 3, GIVEN_WEIGHT_DECAY = 1 << 4, GIVEN_DECAY = 1 << 5,
	GIVEN_POWER_T = 1 << 6, GIVEN_STEP_SIZE = 1 << 7, GIVEN_DELTA = 1 << 8,
	GIVEN_SCHEDULE = 1 << 9, GIVEN_DESCENT = 1 << 10,
	GIVEN_OPTIMIZER = 1 << 11, GIVEN_RATE = 1 << 12, GIVEN_TAU = 1 << 13
};

/* What the summary says of the final fit's exact quantile regression. */
static struct quantile_fit {
	double tau;
	unsigned long iterations, pivots;
	size_t zero_rows, rank, terms;
	int optimal, nonunique;
	double interior;		/* the interior point's objective */
} quantile_fit;

/* mae and quantile: losses whose exact optimum is a quantile regression. */
static int
pinball(const struct loss *l)
{
	return strcmp(l->name, "mae") == 0 || strcmp(l->name, "quantile") == 0;
}

/* A positive rate, or 0 for "auto" (train_run then chooses). */
static double
parse_rate(const char *arg)
{
	double v;

	if (strcmp(arg, "auto") == 0)
		return 0;
	if (num_parse(arg, strlen(arg), &v) != NUM_OK || !(v > 0))
		cmd_usage_error("-r/--learning-rate: \"%s\" is not a positive number "
		    "or auto", arg);
	return v;
}

/* Words of --missing and --scale, in the order of their enums. */
static const char *const missing_words[] = {
	"error", "drop", "mean"
};
static const char *const scaling_words[] = {
	"none", "zscore", "minmax"
};

/* The n words joined by ", " into buf (len bytes). */
static const char *
join_words(const char *const *words, size_t n, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		strncat(buf, i ? ", " : "", len - strlen(buf) - 1);
		strncat(buf, words[i], len - strlen(buf) - 1);
	}
	return buf;
}

const char *
cmd_fit_option_values(const char *name)
{
	static char buf[128];
	const char *mode_words[sizeof(modes) / sizeof(modes[0])];

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		mode_words[i] = modes[i].name;
	if (strcmp(name, "loss") == 0)
		return loss_names();
	if (strcmp(name, "optimizer") == 0)
		return optim_names();
	if (strcmp(name, "schedule") == 0)
		return schedule_names();
	if (strcmp(name, "mode") == 0)
		return join_words(mode_words, 3, buf, sizeof(buf));
	if (strcmp(name, "missing") == 0)
		return join_words(missing_words, 3, buf, sizeof(buf));
	if (strcmp(name, "scale") == 0)
		return join_words(scaling_words, 3, buf, sizeof(buf));
	if (strcmp(name, "solver") == 0)
		return "gd, exact";
	if (strcmp(name, "format") == 0)
		return "csv, json";
	if (strcmp(name, "learning-rate") == 0)
		return "auto";
	return NULL;
}

/* The index of arg among the n words, or exit 2 naming them. */
static int
parse_word(const char *flag, const char *arg, const char *const *words, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(arg, words[i]) == 0)
			return i;
	cmd_usage_error("%s: \"%s\" is not one of %s, %s, %s", flag, arg, words[0],
	    words[1], words[2]);
}

/* A number in (0, 1), or [0, 1) when zero_ok; else exit 2 saying why. */
static double
parse_fraction(const char *flag, const char *arg, int zero_ok)
{
	double v;

	if (num_parse(arg, strlen(arg), &v) != NUM_OK || v >= 1 ||
	    !(zero_ok ? v >= 0 : v > 0))
		cmd_usage_error("%s: \"%s\" is not a number from 0 to 1 (%s)", flag,
		    arg, zero_ok ? "0 included, 1 excluded" : "both excluded");
	return v;
}

/*
 * A number in [lo, hi] (hi may be HUGE_VAL), with lo itself left out when
 * open_lo and hi when open_hi; else exit 2 saying which range.
 */
static double
parse_real(const char *flag, const char *arg, double lo, double hi, int open_lo,
    int open_hi)
{
	double v;

	if (num_parse(arg, strlen(arg), &v) != NUM_OK || !(open_lo ? v > lo :
	    v >= lo) || !(open_hi ? v < hi : v <= hi)) {
		if (hi == HUGE_VAL)
			cmd_usage_error("%s: \"%s\" is not a number %s %g", flag, arg,
			    open_lo ? "above" : "of at least", lo);
		cmd_usage_error("%s: \"%s\" is not a number from %g to %g (%s)",
		    flag, arg, lo, hi, open_lo && open_hi ? "both excluded" :
		    open_lo ? "lower end excluded" : open_hi ? "upper end excluded" :
		    "both included");
	}
	return v;
}

static enum train_mode
parse_mode(const char *arg)
{
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(arg, modes[i].name) == 0)
			return modes[i].mode;
	cmd_usage_error("-m/--mode: \"%s\" is not one of batch, sgd, minibatch", arg);
}

static const char *
mode_name(enum train_mode mode)
{
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (modes[i].mode == mode)
			return modes[i].name;
	return "?";
}

/*
 * Take c if it is an option of the update rule, schedule, loss or solver: returns
 * 1, else 0. Checks each value alone; check_training says how they combine.
 */
static int
parse_training_option(int c, const char *arg, struct fit_options *o)
{
	struct train_options *t = &o->train;

	switch (c) {
	case 'O':
		o->given |= GIVEN_DESCENT | GIVEN_OPTIMIZER;
		if ((t->optimizer = optim_find(arg)) == NULL &&
		    (strcmp(arg, "sgd") == 0 || strcmp(arg, "minibatch") == 0))
			cmd_usage_error("-O/--optimizer: \"%s\" is a mode, not an update "
			    "rule: use -m %s (with -O gd, or any of %s)", arg, arg,
			    optim_names());
		if (t->optimizer == NULL)
			cmd_usage_error("-O/--optimizer: \"%s\" is not one of %s", arg,
			    optim_names());
		return 1;
	case OPT_MOMENTUM:
		t->params.momentum = parse_real("--momentum", arg, 0, 1, 0, 1);
		o->given |= GIVEN_MOMENTUM;
		return 1;
	case OPT_BETA1:
		t->params.beta1 = parse_real("--beta1", arg, 0, 1, 0, 1);
		o->given |= GIVEN_BETA1;
		return 1;
	case OPT_BETA2:
		t->params.beta2 = parse_real("--beta2", arg, 0, 1, 0, 1);
		o->given |= GIVEN_BETA2;
		return 1;
	case OPT_EPSILON:
		t->params.epsilon = parse_real("--epsilon", arg, 0, HUGE_VAL, 1, 0);
		o->given |= GIVEN_EPSILON;
		return 1;
	case OPT_WEIGHT_DECAY:
		t->params.weight_decay = parse_real("--weight-decay", arg, 0,
		    HUGE_VAL, 0, 0);
		o->given |= GIVEN_WEIGHT_DECAY;
		return 1;
	case OPT_SCHEDULE:
		if ((t->schedule = schedule_find(arg)) == NULL)
			cmd_usage_error("--schedule: \"%s\" is not one of %s", arg,
			    schedule_names());
		o->given |= GIVEN_SCHEDULE;
		return 1;
	case OPT_DECAY:
		t->schedule_params.decay = parse_real("--decay", arg, 0, 1, 1, 0);
		o->given |= GIVEN_DECAY;
		return 1;
	case OPT_POWER_T:
		t->schedule_params.power_t = parse_real("--power-t", arg, 0, HUGE_VAL,
		    1, 0);
		o->given |= GIVEN_POWER_T;
		return 1;
	case OPT_STEP_SIZE:
		t->schedule_params.step_size = cmd_number("--step-size", arg, 1,
		    1000000000);
		o->given |= GIVEN_STEP_SIZE;
		return 1;
	case OPT_DELTA:
		t->delta = parse_real("--delta", arg, 0, HUGE_VAL, 1, 0);
		o->given |= GIVEN_DELTA;
		return 1;
	case OPT_TAU:
		o->tau = parse_real("--tau", arg, 0, 1, 1, 1);
		o->given |= GIVEN_TAU;
		return 1;
	case OPT_L1:
		t->params.l1 = parse_real("--l1", arg, 0, HUGE_VAL, 0, 0);
		return 1;
	case OPT_L2:
		t->l2 = parse_real("--l2", arg, 0, HUGE_VAL, 0, 0);
		return 1;
	case OPT_SOLVER:
		if (strcmp(arg, "exact") != 0 && strcmp(arg, "gd") != 0)
			cmd_usage_error("--solver: \"%s\" is not one of gd, exact", arg);
		o->exact = strcmp(arg, "exact") == 0;
		return 1;
	case OPT_GAP:
		o->gap = 1;
		return 1;
	case OPT_STATS:
		o->stats = o->stats ? o->stats : 1;
		return 1;
	case OPT_STATS_ONLY:
		o->stats = 2;
		return 1;
	case OPT_CONF:
		o->conf = parse_real("--conf", arg, 0, 1, 1, 1);
		return 1;
	case OPT_POSITIVE:
		o->positive = arg;
		return 1;
	case OPT_THREADS:
		t->threads = (unsigned)cmd_number("--threads", arg, 1, 256);
		o->table.threads = t->threads;
		return 1;
	}
	return 0;
}

/* Warn that flag does nothing here, unless quiet. */
static void
ignored(const struct fit_options *o, const char *flag, const char *why)
{
	if (!o->quiet)
		warnx("warning: %s has no effect %s", flag, why);
}

/*
 * The schedule: as given, or by default one that suits the descent. Batch descent
 * on a smooth loss at a safe rate lowers the loss every epoch until rounding hides
 * the progress; halving the rate there would stop it short of the optimum, so it
 * keeps its rate. Noisy and non-smooth descents need the rate to come down as
 * they near the optimum (optim.c says how), and so do the adaptive rules, whose
 * steps stay about the rate in size as the gradient shrinks: Adam at a constant
 * rate stalled 2e-3 from least squares on tests/unit/test_regularize.c's problem,
 * and RMSprop circled the optimum of Boston at mse 37 against 21.9; in batch mode
 * RMSprop needs plateau's faster halving (stagewise left it 3e-6 short in 2000
 * epochs), but with mini-batch noise plateau halved its rate to 1e-199. So
 * does MAE with sampled rows: stagewise left sgd nearer its optimum than
 * plateau on 11 of R's 13 data sets of tests/ref/r/mae (mtcars 2e-2 against
 * 8e-2 above it after 1000 epochs).
 */
static void
check_schedule(struct fit_options *o)
{
	struct train_options *t = &o->train;
	const char *name;

	if (!(o->given & GIVEN_SCHEDULE)) {
		if ((!t->loss->smooth || t->optimizer->sign_like) &&
		    t->mode == MODE_BATCH)
			t->schedule = schedule_find("plateau");
		else if (t->mode == MODE_BATCH && !t->optimizer->adaptive)
			t->schedule = schedule_find("constant");
		else
			t->schedule = schedule_find("stagewise");
	}
	name = t->schedule->name;
	t->schedule_params.epochs = t->epochs;
	if ((o->given & GIVEN_DECAY) && t->schedule->default_decay == 0)
		ignored(o, "--decay", "without --schedule step or exponential");
	if ((o->given & GIVEN_POWER_T) && strcmp(name, "invscaling") != 0)
		ignored(o, "--power-t", "without --schedule invscaling");
	if ((o->given & GIVEN_STEP_SIZE) && strcmp(name, "step") != 0)
		ignored(o, "--step-size", "without --schedule step");
	if (t->optimizer->step == NULL && (o->given & GIVEN_SCHEDULE))
		ignored(o, "--schedule", "with -O lbfgs (its line search sets the step)");
}

/*
 * The update rule when -O is not given: gd, except in batch mode for a class
 * target or a loss that is not smooth (mae), where it is lbfgs. Batch gd at
 * its safe rate left logistic regression on mtcars (vs ~ mpg + disp) 70% from
 * the maximum-likelihood weights after 100 epochs, and batch MAE 1e-3 to 2e-1
 * above its optimum after 5000 epochs on real data, however its rate was
 * lowered; L-BFGS (on MAE's smoothed form, train.h) ends within 1e-8 of both
 * in a few hundred iterations. Not with --l1 (lbfgs takes no proximal step),
 * a --schedule or a -r of the user's, which are gd's.
 */
static void
default_rule(struct fit_options *o)
{
	struct train_options *t = &o->train;

	if ((o->given & (GIVEN_OPTIMIZER | GIVEN_SCHEDULE | GIVEN_RATE)) ||
	    t->mode != MODE_BATCH || t->params.l1 > 0 || o->exact)
		return;
	if (!t->loss->smooth || t->loss->target != LOSS_NUMBER)
		t->optimizer = optim_find("lbfgs");
}

/*
 * How the training options combine: usage errors for combinations that cannot
 * work, warnings for settings that would be ignored, and the defaults that
 * depend on others (rmsprop's β2, the schedule).
 */
static void
check_training(struct fit_options *o)
{
	struct train_options *t = &o->train;
	const char *rule = t->optimizer->name;
	int adam = strcmp(rule, "adam") == 0 || strcmp(rule, "adamw") == 0;

	if (o->exact) {
		if (t->early_stop || o->log != NULL || o->plot != NULL)
			cmd_usage_error("--solver exact runs no epochs: %s cannot be "
			    "used with it", t->early_stop ? "--early-stop" :
			    o->log != NULL ? "--log" : "--plot");
		if (o->given & (GIVEN_DESCENT | GIVEN_SCHEDULE))
			ignored(o, "gradient descent (-O, -m, -b, -e, -r, --schedule)",
			    "with --solver exact");
		if (pinball(t->loss) && (t->params.l1 > 0 || t->l2 > 0))
			cmd_usage_error("--solver exact with -l %s solves quantile "
			    "regression without penalties: %s cannot be used with it",
			    t->loss->name, t->params.l1 > 0 ? "--l1" : "--l2");
		if (!pinball(t->loss) && (!t->loss->quadratic || t->params.l1 > 0))
			cmd_usage_error("--solver exact solves least squares (-l mse, "
			    "no --l1) and quantile regression (-l mae, -l quantile)");
		if (o->gap)
			cmd_usage_error("--gap compares gradient descent with the exact "
			    "solution; it cannot be combined with --solver exact");
	}
	if (o->stats && t->loss->target == LOSS_CLASSES)
		cmd_usage_error("--stats: standard errors and p-values are given for "
		    "-l mse and -l logistic, not yet for -l softmax");
	if (o->stats && (!(t->loss->quadratic || t->loss->target == LOSS_BINARY) ||
	    t->params.l1 > 0 || t->l2 > 0))
		cmd_usage_error("--stats: standard errors and p-values hold for "
		    "least squares (-l mse) and logistic regression (-l logistic) "
		    "without penalties; with %s the classical formulas do not apply",
		    !(t->loss->quadratic || t->loss->target == LOSS_BINARY) ?
		    t->loss->name : t->params.l1 > 0 ? "--l1" : "--l2");
	if (o->stats == 2 && o->cv_only)
		cmd_usage_error("--stats-only and --cv-only cannot be combined");
	if (o->gap && (pinball(t->loss) ? t->params.l1 > 0 || t->l2 > 0 :
	    !t->loss->quadratic || t->params.l1 > 0))
		cmd_usage_error("--gap needs the exact optimum, known for -l mse "
		    "without --l1 and for -l mae and -l quantile without penalties");
	if ((o->given & GIVEN_TAU) && strcmp(t->loss->name, "quantile") != 0)
		cmd_usage_error("--tau needs -l quantile (-l %s has no τ)",
		    t->loss->name);
	if (strcmp(t->loss->name, "quantile") == 0)
		t->delta = o->tau;	/* the loss's parameter (loss.h) */
	default_rule(o);
	if (t->optimizer->step == NULL && (t->mode != MODE_BATCH ||
	    t->params.l1 > 0))
		cmd_usage_error("-O lbfgs needs -m batch and no --l1");
	if ((o->given & GIVEN_MOMENTUM) && strcmp(rule, "momentum") != 0 &&
	    strcmp(rule, "nesterov") != 0)
		ignored(o, "--momentum", "without -O momentum or nesterov");
	if ((o->given & GIVEN_BETA1) && !adam)
		ignored(o, "--beta1", "without -O adam or adamw");
	if ((o->given & GIVEN_BETA2) && !adam && strcmp(rule, "rmsprop") != 0)
		ignored(o, "--beta2", "without -O adam, adamw or rmsprop");
	if ((o->given & GIVEN_EPSILON) && !t->optimizer->adaptive)
		ignored(o, "--epsilon", "without an adaptive optimizer");
	if ((o->given & GIVEN_WEIGHT_DECAY) && strcmp(rule, "adamw") != 0)
		ignored(o, "--weight-decay", "without -O adamw");
	if ((o->given & GIVEN_DELTA) && strcmp(t->loss->name, "huber") != 0)
		ignored(o, "--delta", "without -l huber");
	if (t->loss->target != LOSS_NUMBER)
		o->table.labels = &o->labels;
	if (o->positive != NULL && t->loss->target != LOSS_BINARY)
		cmd_usage_error("--positive needs -l logistic");
	/* Hinton's RMSprop averaged the squares over about 10 steps, not 1000. */
	if (strcmp(rule, "rmsprop") == 0 && !(o->given & GIVEN_BETA2))
		t->params.beta2 = 0.9;
	check_schedule(o);
}

/*
 * --cache and --cache-only: what they cannot be combined with, and why. The
 * cached rows are scaled once, in the order read, and mapped read-only; options
 * that reorder, drop, impute or re-encode rows, or that scale another subset of
 * them, would need a copy in memory, which is what the cache avoids.
 */
static void
check_cache(const struct fit_options *o)
{
	const char *with = NULL, *why = NULL;

	if (o->cache_only && o->cache == NULL)
		cmd_usage_error("--cache-only needs --cache FILE");
	if (o->cache == NULL)
		return;
	if (o->validation > 0)
		with = "--validation", why = "it would shuffle the cached rows";
	else if (o->cv > 0)
		with = "--cv", why = "each fold is scaled by the other folds' statistics";
	else if (o->drop_duplicates)
		with = "--drop-duplicates", why = "it would remove cached rows";
	else if (o->table.missing == MISSING_MEAN)
		with = "--missing mean", why = "it would write the means into the "
		    "cached rows";
	else if (o->table.categorical != NULL)
		with = "--categorical", why = "the cache holds numbers only";
	else if (o->train.loss->target != LOSS_NUMBER)
		with = "-l logistic and -l softmax", why = "the cache holds a "
		    "numeric target only";
	if (with != NULL)
		cmd_usage_error("--cache cannot be used with %s (%s)", with, why);
	if (o->input == NULL && !o->cache_only)
		cmd_usage_error("--cache needs the input as a file, not standard "
		    "input: its size and modification time identify the cache "
		    "(or give --cache-only to use the cache as it is)");
}

/*
 * --shards, and a fit spread over more than one rank (mpirun -np K): what they
 * cannot be combined with, and why; then, off rank 0, the files written go to
 * /dev/null, so that rank 0 alone writes them (the ranks all run the same
 * steps, to stay in step).
 */
static void
check_cluster(struct fit_options *o)
{
	const char *with = NULL, *why = NULL;
	int K = cluster_size();

	if (o->shards != NULL && o->input != NULL)
		cmd_usage_error("--shards names the input files: give no file "
		    "operand with it");
	if (o->shards != NULL && o->cache != NULL)
		cmd_usage_error("--shards cannot be used with --cache (a cache is of "
		    "one CSV file)");
	if (o->shards == NULL && K == 1)
		return;
	if (o->table.categorical != NULL)
		with = "--categorical", why = "each part would number the levels it "
		    "meets in its own order";
	else if (o->train.loss->target != LOSS_NUMBER)
		with = "-l logistic and -l softmax", why = "each part would find its "
		    "own classes";
	if (with == NULL && K > 1) {
		if (o->input == NULL && o->shards == NULL)
			cmd_usage_error("%d ranks read parts of one file: give it as a "
			    "file, not standard input (or give --shards)", K);
		if (o->cache != NULL)
			with = "--cache", why = "the cache is one file on one host";
		else if (o->validation > 0)
			with = "--validation", why = "the held-out rows would be drawn "
			    "from all ranks";
		else if (o->cv > 0)
			with = "--cv", why = "the folds would be drawn from all ranks";
		else if (o->drop_duplicates)
			with = "--drop-duplicates", why = "a row's duplicate may be on "
			    "another rank";
		else if (o->table.missing == MISSING_MEAN)
			with = "--missing mean", why = "the means would be of one "
			    "rank's rows";
		else if ((o->exact || o->gap) && pinball(o->train.loss))
			with = o->exact ? "--solver exact with -l mae or quantile" :
			    "--gap with -l mae or quantile", why = "the exact "
			    "quantile solver needs all the rows in one process";
	}
	if (with != NULL && K > 1)
		cmd_usage_error("%s cannot be used across %d ranks (%s)", with, K, why);
	if (with != NULL)
		cmd_usage_error("--shards cannot be used with %s (%s)", with, why);
	if (cluster_rank() != 0) {
		o->output = o->output ? "/dev/null" : NULL;
		o->log = o->log ? "/dev/null" : NULL;
		o->plot = o->plot ? "/dev/null" : NULL;
	}
}

static void
parse_options(int argc, char **argv, struct fit_options *o)
{
	int c;

	*o = (struct fit_options){ .log_every = 1,
		.table = { .delimiter = ',', .header = 1, .threads = parallel_processors() },
		.train = { .loss = loss_find("mse"), .optimizer = optim_find("gd"),
		    .mode = MODE_BATCH, .batch_size = 32, .epochs = 100, .seed = 1,
		    .delta = 1.35, .params = OPTIM_PARAMS_DEFAULT,
		    .schedule_params = { .decay = (double)NAN },
		    .optimum = (double)NAN, .threads = parallel_processors() },
		.scaling = SCALE_ZSCORE,
		.conf = 0.95,
		.tau = 0.5,
	};
	opterr = 0;
	while ((c = getopt_long(argc, argv, cmd_fit_short_options,
	    cmd_fit_long_options, NULL)) != -1) {
		if (parse_training_option(c, optarg, o))
			continue;
		if (c == 'b' || c == 'e' || c == 'm' || c == 'r')
			o->given |= GIVEN_DESCENT;
		if (c == 'r')
			o->given |= GIVEN_RATE;
		switch (c) {
		case 'b':
			o->train.batch_size = cmd_number("-b/--batch-size", optarg, 1,
			    1000000000);
			break;
		case 'd':
			o->table.delimiter = cmd_delimiter(optarg);
			break;
		case 'e':
			o->train.epochs = cmd_number("-e/--epochs", optarg, 1,
			    1000000000);
			break;
		case 'h':
			fputs(synopsis, stdout);
			fputs(help, stdout);
			exit(EXIT_OK);
		case 'l':
			if ((o->train.loss = loss_find(optarg)) == NULL)
				cmd_usage_error("-l/--loss: \"%s\" is not one of %s",
				    optarg, loss_names());
			break;
		case 'm':
			o->train.mode = parse_mode(optarg);
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'q':
			o->quiet = cmd_quiet = 1;
			break;
		case 'r':
			o->train.learning_rate = parse_rate(optarg);
			break;
		case 't':
			o->table.target = optarg;
			break;
		case 'x':
			o->table.features = optarg;
			break;
		case OPT_CATEGORICAL:
			o->table.categorical = optarg;
			break;
		case OPT_CV:
			o->cv = cmd_number("--cv", optarg, 2, 1000000);
			break;
		case OPT_CV_ONLY:
			o->cv_only = 1;
			break;
		case OPT_DROP_DUPLICATES:
			o->drop_duplicates = 1;
			break;
		case OPT_MISSING:
			o->table.missing = parse_word("--missing", optarg,
			    missing_words, 3);
			break;
		case OPT_SCALE:
			o->scaling = parse_word("--scale", optarg, scaling_words, 3);
			break;
		case OPT_DROP:
			o->table.drop = optarg;
			break;
		case OPT_NO_HEADER:
			o->table.header = 0;
			break;
		case OPT_NO_STANDARDIZE:
			o->scaling = SCALE_NONE;
			break;
		case OPT_SEED:
			o->train.seed = cmd_number("--seed", optarg, 0, UINT64_MAX);
			break;
		case OPT_EARLY_STOP:
			o->train.early_stop = cmd_number("--early-stop", optarg, 1,
			    1000000000);
			break;
		case OPT_LOG:
			o->log = optarg;
			break;
		case OPT_LOG_EVERY:
			o->log_every = strcmp(optarg, "auto") == 0 ? 0 :
			    cmd_number("--log-every", optarg, 1, 1000000000);
			break;
		case OPT_PLOT:
			o->plot = optarg;
			break;
		case OPT_CACHE:
			o->cache = optarg;
			break;
		case OPT_CACHE_ONLY:
			o->cache_only = 1;
			break;
		case OPT_SHARDS:
			o->shards = optarg;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "json") != 0)
				cmd_usage_error("--format: \"%s\" is not one of csv, "
				    "json", optarg);
			o->format = strcmp(optarg, "json") == 0 ? MODEL_JSON :
			    MODEL_CSV;
			break;
		case OPT_TOL:
			o->train.tol = parse_fraction("--tol", optarg, 1);
			break;
		case OPT_VALIDATION:
			o->validation = parse_fraction("--validation", optarg, 0);
			break;
		case OPT_VERSION:
			cmd_version();
			exit(EXIT_OK);
		default:
			cmd_bad_option(c, argv, synopsis, cmd_fit_long_options);
		}
	}
	if (o->table.features != NULL && o->table.drop != NULL)
		cmd_usage_error("-x and --drop cannot be combined");
	if (o->train.early_stop && o->validation == 0)
		cmd_usage_error("--early-stop needs --validation");
	if (o->cv && o->validation > 0)
		cmd_usage_error("--cv and --validation cannot be combined");
	if (o->cv_only && o->cv == 0)
		cmd_usage_error("--cv-only needs --cv");
	if (o->cv_only && o->plot != NULL)
		cmd_usage_error("--cv-only trains no final model: --plot cannot be "
		    "used with it");
	if (o->cv_only && o->format == MODEL_JSON)
		cmd_usage_error("--format json writes the weights or the --stats-only "
		    "table; --cv-only writes the folds' scores as CSV");
	if (o->train.tol > 0 && o->train.early_stop == 0)
		cmd_usage_error("--tol needs --early-stop");
	o->input = cmd_input(argc, argv, synopsis);
	o->table.name = o->input ? o->input : o->shards ? o->shards : "<stdin>";
	check_training(o);
	check_cluster(o);
	check_cache(o);
	if (o->log != NULL && strcmp(o->log, "-") == 0 &&
	    (o->output == NULL || strcmp(o->output, "-") == 0))
		cmd_usage_error("--log - and the weights would both go to standard "
		    "output: give the weights a file with -o");
	cmd_check_output("-o", o->output, o->input);
	cmd_check_output("--log", o->log, o->input);
	cmd_check_output("--plot", o->plot, o->input);
}

/*
 * The signal that asked training to stop, or 0. A signal handler can only set a
 * flag, so this one file-scope variable is the way it reaches train_run.
 */
static volatile sig_atomic_t stop_signal;

/* The first SIGINT or SIGTERM stops training after its step; a second one kills. */
static void
on_stop_signal(int sig)
{
	if (stop_signal != 0) {
		outfile_remove_temporaries();
		signal(sig, SIG_DFL);
		raise(sig);
	}
	stop_signal = sig;
}

static void
catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/*
 * Where the epoch callback writes: the terminal's table, the --log CSV and the
 * --plot curves; and the progress meter drawn while an epoch runs.
 */
struct epoch_sinks {
	FILE *table;			/* stderr, or NULL when quiet */
	unsigned long every;		/* the table's spacing (--log-every); 0:
					   auto, see shown() */
	unsigned long next;		/* auto: the next epoch it shows */
	struct epoch_report held;	/* the last epoch not shown, for the end */
	FILE *log;			/* --log file, or NULL */
	int columns;			/* REPORT_VAL, REPORT_GAP */
	struct report_curves *curves;	/* --plot's, or NULL */
	struct progress meter;		/* of the epoch running */
	unsigned long epochs;		/* in all, for the meter */
	unsigned long long reduced[2];	/* cluster_reduced_bytes after the
					   first and the last epoch */
	unsigned long first, last;	/* those epochs */
};

/* Epochs --log-every auto shows first, one by one, before its spacing grows. */
#define LOG_EVERY_FIRST 10

/* And about how many more it shows, at a spacing that grows geometrically. */
#define LOG_EVERY_MORE 30

/*
 * Whether the table shows epoch k: every s->every-th (and the first), or for
 * auto the first LOG_EVERY_FIRST, then about LOG_EVERY_MORE more at epochs
 * that grow by a constant factor up to the last (s->epochs). The last epoch
 * run is shown at the end in any case (show_last).
 */
static int
shown(struct epoch_sinks *s, unsigned long k)
{
	double factor;

	if (s->every > 0)
		return k == 1 || k % s->every == 0;
	if (k <= LOG_EVERY_FIRST)
		return 1;
	if (k < s->next)
		return 0;
	factor = pow((double)s->epochs / LOG_EVERY_FIRST, 1.0 / LOG_EVERY_MORE);
	s->next = (unsigned long)ceil((double)k * factor);
	return 1;
}

/* After training: the last epoch, if the spacing skipped it. */
static void
show_last(struct epoch_sinks *s)
{
	if (s->table != NULL && s->held.epoch != 0) {
		progress_clear(&s->meter);
		report_epoch(s->table, &s->held, s->columns);
	}
}

static void
on_epoch(void *ctx, const struct epoch_report *r)
{
	struct epoch_sinks *s = ctx;

	s->reduced[r->epoch == 1 ? 0 : 1] = cluster_reduced_bytes();
	s->first = r->epoch == 1 ? 1 : s->first;
	s->last = r->epoch;
	if (s->table != NULL && shown(s, r->epoch)) {
		progress_clear(&s->meter);
		if (r->epoch == 1)
			report_epoch_header(s->table, s->columns);
		report_epoch(s->table, r, s->columns);
		s->held.epoch = 0;
	} else if (s->table != NULL) {
		s->held = *r;
	}
	if (s->curves != NULL)
		report_curves_add(s->curves, r);
	if (s->log != NULL) {
		if (r->epoch == 1)
			report_log_header(s->log, s->columns);
		report_log(s->log, r, s->columns);
	}
}

/* Within an sgd or mini-batch epoch: redraw the meter, if it is on and time to. */
static void
on_epoch_progress(void *ctx, unsigned long epoch, double fraction)
{
	struct epoch_sinks *s = ctx;

	progress_epoch(&s->meter, epoch, s->epochs, fraction);
}

/* While the input loads: redraw the meter, if it is on and time to. */
static void
on_load_progress(void *ctx, unsigned long long bytes, unsigned long long rows)
{
	progress_update(ctx, bytes, rows);
}

/*
 * A meter on stderr for reading fd, named name, whose size is known when it is a
 * regular file; what (of size bytes) holds its text.
 */
static void
start_load_meter(struct progress *p, int fd, const char *name, int quiet,
    char *what, size_t size)
{
	struct stat st;
	off_t at = lseek(fd, 0, SEEK_CUR);
	unsigned long long total = 0;
	char clean[256];

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && at >= 0 && st.st_size > at)
		total = (unsigned long long)(st.st_size - at);
	error_clean(clean, sizeof(clean), name);
	snprintf(what, size, "reading %s", clean);
	progress_start(p, STDERR_FILENO, what, total, quiet);
}

/*
 * For a class target: at least two classes, exactly two for logistic, whose
 * positive class (--positive, else the second in sorted order) becomes class 1,
 * as stderr says unless quiet. Exits 1 otherwise.
 */
static void
check_classes(struct fit_options *o, struct dataset *ds)
{
	struct category *c = &o->labels;
	const char *target = ds->names[ds->d];
	size_t positive = 1;

	if (c->nlevels < 2)
		error_die(EXIT_INPUT, "%s: the target \"%s\" has one class, \"%s\"; "
		    "classification needs two or more", o->table.name, target,
		    c->level[0]);
	if (o->train.loss->target == LOSS_BINARY && c->nlevels > 2)
		error_die(EXIT_INPUT, "%s: the target \"%s\" has %zu classes; -l logistic "
		    "needs two (-l softmax takes any number)", o->table.name, target,
		    c->nlevels);
	if (o->train.loss->target != LOSS_BINARY)
		return;
	if (o->positive != NULL &&
	    (positive = category_find(c, o->positive)) == (size_t)-1)
		error_die(EXIT_USAGE, "--positive: \"%s\" is not a class of \"%s\" "
		    "(its classes: \"%s\", \"%s\")", o->positive, target,
		    c->level[0], c->level[1]);
	if (positive == 0) {
		char *first = c->level[0];

		c->level[0] = c->level[1];
		c->level[1] = first;
		for (size_t i = 0; i < ds->n; i++)
			dataset_row(ds, i)[ds->d] = 1 - dataset_target(ds, i);
	}
	if (!o->quiet)
		error_warn("logistic regression of \"%s\": the positive class is \"%s\", "
		    "the other \"%s\"%s", target, c->level[1], c->level[0],
		    o->positive ? "" : " (the second in sorted order; see "
		    "--positive)");
}

/*
 * What every load does once the rows are read, dropped of those with missing
 * values: say how many were left out, leave out duplicates if asked, and
 * require 2 rows in all (of every rank, when spread).
 */
static void
after_read(const struct fit_options *o, struct dataset *ds, size_t dropped)
{
	size_t n;

	if (dropped > 0 && !o->quiet)
		warnx("left out %zu row%s with missing values", dropped,
		    dropped == 1 ? "" : "s");
	if (o->drop_duplicates && (dropped = dataset_drop_duplicates(ds)) > 0 &&
	    !o->quiet)
		warnx("left out %zu duplicate row%s", dropped, dropped == 1 ? "" : "s");
	if ((n = dataset_rows_across_ranks(ds)) < 2)
		errx(EXIT_INPUT, "%s: only %zu data row%s left; at least 2 are needed",
		    o->table.name, n, n == 1 ? "" : "s");
}

/*
 * Read the input named in o into ds, then leave out duplicates if asked, saying
 * how many rows were left out; exit if that leaves too few.
 */
static void
load(struct fit_options *o, struct dataset *ds)
{
	struct error e;
	struct progress meter;
	size_t dropped;
	int fd = cmd_open_input(o->input), status;
	char what[300];

	start_load_meter(&meter, fd, o->table.name, o->quiet, what, sizeof(what));
	o->table.dropped = &dropped;
	o->table.progress = on_load_progress;
	o->table.progress_ctx = &meter;
	status = table_read(fd, &o->table, ds, &e);
	progress_end(&meter);
	o->table.progress = NULL;
	if (status != 0)
		error_exit(&e);
	if (fd != STDIN_FILENO)
		close(fd);
	after_read(o, ds, dropped);
	if (o->table.labels != NULL)
		check_classes(o, ds);
}

/*
 * Read this rank's share of the input (shard.h): part of the file, or files of
 * --shards; then the same checks as load, on the rows of all ranks. Leaving
 * out duplicates is for one rank alone (check_cluster).
 */
static void
load_shared(struct fit_options *o, struct dataset *ds)
{
	struct error e;
	size_t dropped;
	int cut;

	if (shard_read(o->input, o->shards, &o->table, ds, &dropped, &cut, &e) != 0)
		error_exit(&e);
	if (!cut && !o->quiet)
		warnx("warning: %s has a quoted field or CR line ends, so it cannot "
		    "be cut at newlines: rank 0 reads all of its rows (--shards "
		    "would spread them)", o->table.name);
	after_read(o, ds, dropped);
}

/* The identity of the CSV (from st) and the options that shape its rows. */
static void
cache_key_of(const struct fit_options *o, const struct stat *st,
    struct cache_key *k)
{
	*k = (struct cache_key){ .size = (unsigned long long)st->st_size,
	    .mtime_sec = (long long)st->st_mtim.tv_sec,
	    .mtime_nsec = (long long)st->st_mtim.tv_nsec,
	    .delimiter = o->table.delimiter, .header = o->table.header,
	    .missing = (int)o->table.missing, .scaling = (int)o->scaling,
	    .target = o->table.target, .features = o->table.features,
	    .drop = o->table.drop };
}

/* Where table_read sends the rows while a cache is built. */
struct cache_sink {
	struct cache_writer *w;
	const struct dataset *ds;	/* the columns, once the first record is read */
	int started;			/* cache_columns has been called */
};

static int
on_cache_row(void *ctx, const double *row, struct error *e)
{
	struct cache_sink *s = ctx;

	if (!s->started) {
		if (cache_columns(s->w, s->ds->d, (const char *const *)s->ds->names,
		    e) != 0)
			return -1;
		s->started = 1;
	}
	return cache_add_row(s->w, row, e);
}

/*
 * Parse the CSV open on fd, whose identity and options are key, straight into
 * the cache o names, a row at a time: memory does not grow with the input.
 * Exits on failure, with no temporary file left.
 */
static void
build_cache(struct fit_options *o, int fd, const struct cache_key *key)
{
	struct cache_writer w;
	struct dataset columns;
	struct cache_sink sink = { .w = &w, .ds = &columns };
	struct progress meter;
	struct error e;
	size_t dropped = 0;
	int status;
	char what[300];

	if (cache_create(&w, o->cache, key, &e) != 0)
		error_exit(&e);
	start_load_meter(&meter, fd, o->table.name, o->quiet, what, sizeof(what));
	o->table.dropped = &dropped;
	o->table.progress = on_load_progress;
	o->table.progress_ctx = &meter;
	o->table.row_sink = on_cache_row;
	o->table.row_sink_ctx = &sink;
	status = table_read(fd, &o->table, &columns, &e);
	progress_end(&meter);
	o->table.progress = NULL;
	o->table.row_sink = NULL;
	if (status == 0) {
		dataset_free(&columns);
		status = cache_commit(&w, (int)o->scaling, &e);
	} else {
		cache_abort(&w);
	}
	if (status != 0)
		error_exit(&e);
	if (dropped > 0 && !o->quiet)
		warnx("left out %zu row%s with missing values", dropped,
		    dropped == 1 ? "" : "s");
}

/*
 * --cache: the rows and their scaler from the cache o names, built first from
 * the CSV unless it is a cache of that CSV (same size and modification time)
 * read with the same options; with --cache-only, whatever cache is there. ds
 * maps the file read-only. Exits on failure: a cache that is missing or unsound
 * with --cache-only, or a file that is not a cache (never overwritten).
 */
static void
load_cache(struct fit_options *o, struct dataset *ds, struct scaler *scaler)
{
	struct cache_key key;
	struct stat st;
	struct error e;
	enum cache_found found;
	const char *how = "using";
	int fd;

	if (o->cache_only) {
		if (cache_open(o->cache, NULL, ds, scaler, &e) != CACHE_OK)
			error_exit(&e);
	} else {
		/* stat, not open: a cache hit never reads the CSV. */
		if (stat(o->input, &st) != 0)
			err(EXIT_INPUT, "%s", o->input);
		cache_key_of(o, &st, &key);
		found = cache_open(o->cache, &key, ds, scaler, &e);
		if (found == CACHE_FOREIGN) {
			error_set(&e, EXIT_INPUT, "%s: not a descend cache; --cache "
			    "does not overwrite it", o->cache);
			error_exit(&e);
		}
		if (found == CACHE_BAD && !o->quiet)
			error_warn("warning: %s; rebuilding it", e.msg);
		if (found != CACHE_OK) {
			fd = cmd_open_input(o->input);
			if (fstat(fd, &st) != 0)
				err(EXIT_INPUT, "%s", o->input);
			cache_key_of(o, &st, &key);
			build_cache(o, fd, &key);
			close(fd);
			if (cache_open(o->cache, &key, ds, scaler, &e) != CACHE_OK)
				error_exit(&e);
			how = "wrote";
		}
	}
	if (!o->quiet)
		error_warn("%s the cache %s (%zu rows, %zu features)", how, o->cache,
		    ds->n, ds->d);
}

/* The closing lines on stderr. */
static void
summarize(const struct fit_options *o, const struct train_result *r,
    size_t rows, size_t val_rows, size_t features)
{
	char constant[96], label[64];

	/* Logistic's best constant is the share of its positive class, named. */
	snprintf(constant, sizeof(constant), "%s", o->train.loss->constant);
	if (o->train.loss->target == LOSS_BINARY && o->labels.nlevels == 2) {
		error_clean(label, sizeof(label), o->labels.level[1]);
		snprintf(constant, sizeof(constant), "share of \"%s\"", label);
	}
	report_summary(stderr, &(struct fit_summary){
	    .epochs = r->epochs, .mode = mode_name(o->train.mode),
	    .loss = o->train.loss->name, .constant = constant,
	    .rate = r->learning_rate, .rate_auto = o->train.learning_rate == 0,
	    .rows = rows, .features = features, .loss_value = r->loss,
	    .constant_loss = r->initial_loss,
	    .val_rows = val_rows, .val_loss = r->val_loss,
	    .best_epoch = o->train.early_stop ? r->best_epoch : 0,
	    .stopped_early = r->stopped_early,
	    .optimizer = strcmp(o->train.optimizer->name, "gd") == 0 ? NULL :
	    o->train.optimizer->name, .result = o->exact ? NULL : r,
	    .schedule = o->train.schedule->name,
	    .quadratic = o->train.loss->quadratic,
	    .exact = o->exact, .rank = r->rank, .terms = features + 1,
	    .penalized = o->train.l2 > 0 || o->train.params.l1 > 0,
	    .objective = r->objective,
	    .classification = o->train.loss->target != LOSS_NUMBER,
	    .accuracy = r->accuracy, .val_accuracy = r->val_accuracy });
}

/*
 * The closing lines of an exact quantile regression (see quantile_fit): the
 * method and its steps, the loss against the best constant, and what the
 * vertex found is: degenerate (more rows on the fit than terms), possibly not
 * unique, unique, or not proved optimal.
 */
static void
summarize_quantile(const struct fit_options *o, const struct train_result *r,
    size_t rows, size_t val_rows, size_t features)
{
	const char *loss = o->train.loss->name;

	fprintf(stderr, "descend: %zu row%s, %zu feature%s; exact quantile "
	    "regression (tau %g) by interior point, %lu iteration%s, and %lu "
	    "simplex step%s; rank %zu of %zu terms\n", rows, rows == 1 ? "" : "s",
	    features, features == 1 ? "" : "s", quantile_fit.tau,
	    quantile_fit.iterations, quantile_fit.iterations == 1 ? "" : "s",
	    quantile_fit.pivots, quantile_fit.pivots == 1 ? "" : "s",
	    quantile_fit.rank, quantile_fit.terms);
	fprintf(stderr, "descend: final %s %.10g; best constant (%s) %.10g; "
	    "%.2f%% lower\n", loss, r->loss, o->train.loss->constant,
	    r->initial_loss, r->initial_loss > 0 ? 100 * (1 - r->loss /
	    r->initial_loss) : 0);
	if (val_rows > 0)
		fprintf(stderr, "descend: validation %s %.10g (%zu row%s)\n", loss,
		    r->val_loss, val_rows, val_rows == 1 ? "" : "s");
	if (!quantile_fit.optimal)
		fprintf(stderr, "descend: warning: this vertex is not proved "
		    "optimal: its dual certificate fails and no simplex step "
		    "lowers the %s (the interior point's %.10g)\n", loss,
		    quantile_fit.interior);
	if (quantile_fit.zero_rows > quantile_fit.rank)
		fprintf(stderr, "descend: degenerate solution: %zu rows are fitted "
		    "exactly, more than the %zu terms\n", quantile_fit.zero_rows,
		    quantile_fit.rank);
	if (quantile_fit.optimal && quantile_fit.nonunique)
		fprintf(stderr, "descend: the solution may be non-unique: a row "
		    "fitted exactly has its dual value at a bound, so other "
		    "weights may have the same %s\n", loss);
	else if (quantile_fit.optimal)
		fprintf(stderr, "descend: optimal and unique: the dual certificate "
		    "holds with every exactly fitted row strictly inside its "
		    "bounds\n");
}

/*
 * Across ranks (collective): how the rows were shared out, and the bytes each
 * rank gave to the sums of one epoch (the allreduced gradient and loss) and of
 * the setup before the first (moments, scaler, starting point).
 */
static void
report_ranks(const struct dataset *train, const struct epoch_sinks *s)
{
	double least = (double)train->n, most = (double)train->n;
	unsigned long long per_epoch = 0;

	if (cluster_size() == 1)
		return;
	cluster_min(&least, 1);
	cluster_max(&most, 1);
	if (s->last > s->first)
		per_epoch = (s->reduced[1] - s->reduced[0]) / (s->last - s->first);
	fprintf(stderr, "descend: %d ranks of %.0f to %.0f rows; %llu bytes "
	    "allreduced a rank per epoch, %llu in all\n", cluster_size(), least,
	    most, per_epoch, cluster_reduced_bytes());
}

static void
warn_data(const struct fit_options *o, const struct dataset *ds,
    const struct scaler *s)
{
	if (o->quiet)
		return;
	for (size_t j = 0; j < ds->d; j++)
		if (scaler_is_constant(s, j))
			error_warn("warning: column \"%s\" is constant; its weight is 0",
			    ds->names[j]);
	if (dataset_rows_across_ranks(ds) <= ds->d)
		warnx("warning: %zu rows for %zu weights; the weights are not unique",
		    dataset_rows_across_ranks(ds), ds->d + 1);
	/* δ is in the target's units: 1.35 suits a target of sd about 1. */
	if (strcmp(o->train.loss->name, "huber") == 0 &&
	    o->train.delta < 0.01 * dataset_target_sd(ds))
		warnx("warning: --delta %g is under 1%% of the target's standard "
		    "deviation (%.3g): huber is then nearly MAE, and slow; give "
		    "--delta in the target's units", o->train.delta,
		    dataset_target_sd(ds));
}

/*
 * With --validation, put the rows in a seeded random order and hold out the last
 * fraction of them: train and val are views into ds. Exits if either part would
 * be too small.
 */
static void
split(const struct fit_options *o, struct dataset *ds, struct dataset *train,
    struct dataset *val)
{
	struct rng rng;
	size_t nval = (size_t)llround(o->validation * (double)ds->n);

	if (nval == 0)
		nval = 1;
	if (ds->n - nval < 2 || nval >= ds->n)
		errx(EXIT_INPUT, "%s: --validation %g of %zu rows leaves %zu to train "
		    "on; at least 2 are needed", o->table.name, o->validation, ds->n,
		    ds->n - nval < ds->n ? ds->n - nval : 0);
	/* A stream of its own, so the split does not shift the epochs' row order. */
	rng_seed(&rng, o->train.seed ^ 0x9e3779b97f4a7c15u);
	dataset_shuffle(ds, &rng);
	*train = dataset_rows(ds, 0, ds->n - nval);
	*val = dataset_rows(ds, ds->n - nval, nval);
}

/*
 * Warn (unless quiet) of each column the solution sol found aliased, unless it is
 * constant (those have had their warning); consequence says what follows.
 */
static void
warn_aliased(const struct fit_options *o, const struct solution *sol,
    const struct scaler *scaler, const struct dataset *ds, const char *consequence)
{
	for (size_t j = 1; !o->quiet && j < sol->p; j++)
		if (sol->aliased[j] && !scaler_is_constant(scaler, j - 1))
			error_warn("warning: column \"%s\" is a linear combination of "
			    "the columns before it (aliased); %s", ds->names[j - 1],
			    consequence);
}

/*
 * Below this reciprocal condition number of the kept columns, rounding alone may
 * leave fewer than 8 of a double's 16 digits in the weights, and the user is told.
 * Of the NIST StRD problems only Filip (degree 10; 2.0e-10 once its powers are
 * scaled, and 7.3 correct digits) is below it.
 */
#define WARN_RCOND 1e-8

/* Warn (unless quiet) when the kept columns of sol are nearly dependent. */
static void
warn_conditioning(const struct fit_options *o, const struct solution *sol)
{
	if (o->quiet || !(sol->rcond < WARN_RCOND))
		return;
	error_warn("warning: the columns kept are nearly linear combinations of "
	    "each other (condition number about %.1e, after scaling): rounding may "
	    "leave as few as %.0f correct digits in the weights", 1 / sol->rcond,
	    fmax(0, 16 + log10(sol->rcond)));
}

/*
 * The exact minimum of MSE (+ λ2·‖w‖²) on train, scaled, into w and result as if
 * training (with t's penalty and validation rows) had reached it in 0 epochs; warns (when loud and not quiet) of aliased
 * columns that are not constant (those have had their warning). The solution
 * goes into keep when not NULL (for --stats), else is freed. Exits on failure.
 */
static void
solve_exactly(const struct fit_options *o, const struct train_options *t,
    const struct dataset *train, const struct scaler *scaler, double *w,
    struct train_result *result, int loud, struct solution *keep)
{
	struct solution sol;
	struct error e;

	if (solve_least_squares(train, t->l2, t->threads, &sol, &e) != 0)
		error_exit(&e);
	if (loud) {
		warn_aliased(o, &sol, scaler, train, "its weight is 0");
		warn_conditioning(o, &sol);
	}
	memcpy(w, sol.w, sol.p * sizeof(double));
	*result = (struct train_result){
		.loss = sol.rss / (double)sol.n, .objective = sol.objective,
		.initial_loss = pow(dataset_target_sd(train), 2),
		.val_loss = t->validation ? loss_mean(t->loss, t->delta,
		    t->validation, NULL, 0, w) : (double)NAN,
		.rank = sol.rank };
	if (keep != NULL)
		*keep = sol;
	else
		solution_free(&sol);
}

/*
 * The exact minimum of mae or quantile's pinball loss on train (scaled; neither
 * loss changes with the scaling of the features) by quantile regression, into w
 * and result as solve_exactly does: τ is --tau, ½ for mae, whose loss |r| is
 * twice the pinball loss at ½. The final fit (loud) warns of aliased columns
 * and keeps what the summary says in quantile_fit. Exits on failure.
 */
static void
solve_quantile_exactly(const struct fit_options *o,
    const struct train_options *t, const struct dataset *train,
    const struct scaler *scaler, double *w, struct train_result *result,
    int loud)
{
	struct quantile_solution sol;
	struct error e;
	int mae = strcmp(t->loss->name, "mae") == 0;
	double *constant = xcalloc(train->d + 1, sizeof(double));

	if (solve_quantile(train, mae ? 0.5 : t->delta, t->threads, &sol, &e) != 0)
		error_exit(&e);
	for (size_t j = 1; loud && !o->quiet && j < sol.p; j++)
		if (sol.aliased[j] && !scaler_is_constant(scaler, j - 1))
			error_warn("warning: column \"%s\" is a linear combination of "
			    "the columns before it (aliased); its weight is 0",
			    train->names[j - 1]);
	memcpy(w, sol.w, sol.p * sizeof(double));
	constant[0] = loss_start_value(t->loss, t->delta, train);
	*result = (struct train_result){
		.loss = (mae ? 2 : 1) * sol.objective,
		.objective = (mae ? 2 : 1) * sol.objective,
		.initial_loss = loss_mean(t->loss, t->delta, train, NULL, 0,
		    constant),
		.val_loss = t->validation ? loss_mean(t->loss, t->delta,
		    t->validation, NULL, 0, w) : (double)NAN,
		.rank = sol.rank };
	if (loud)
		quantile_fit = (struct quantile_fit){ .tau = sol.tau,
		    .iterations = sol.iterations, .pivots = sol.pivots,
		    .zero_rows = sol.zero_rows, .rank = sol.rank, .terms = sol.p,
		    .optimal = sol.optimal, .nonunique = sol.nonunique,
		    .interior = (mae ? 2 : 1) * sol.interior };
	free(constant);
	quantile_solution_free(&sol);
}

/*
 * Rows times terms up to which a descent on mae or quantile is checked against
 * the exact quantile regression when it ends: 100,000 rows of 20 features take
 * about a tenth of a second more (quantile.h), a small price for knowing how
 * far from the optimum the fit is.
 */
#define PINBALL_CERTIFY_CELLS 2100000

/*
 * After a descent on mae or quantile without penalties: the relative gap of its
 * objective to the exact optimum, into result's certificate, where that is
 * affordable (PINBALL_CERTIFY_CELLS) and the rows are in one process; left
 * unknown otherwise, or if the exact solver fails.
 */
static void
certify_pinball(const struct train_options *t, const struct dataset *train,
    struct train_result *result)
{
	struct quantile_solution sol;
	struct error e;
	double optimum, scale = strcmp(t->loss->name, "mae") == 0 ? 2 : 1;

	if (!pinball(t->loss) || t->l2 > 0 || t->params.l1 > 0 || train->spread ||
	    !isnan(result->cert.rel_gap) || (double)train->n *
	    (double)(train->d + 1) > PINBALL_CERTIFY_CELLS)
		return;
	if (solve_quantile(train, scale == 2 ? 0.5 : t->delta, t->threads, &sol,
	    &e) != 0)
		return;
	optimum = scale * sol.objective;
	if (sol.optimal)
		result->cert.rel_gap = optimum > 0 ? (result->objective -
		    optimum) / optimum : result->objective > 0 ?
		    (double)INFINITY : 0;
	quantile_solution_free(&sol);
}

/*
 * Impute (with --missing mean: training means into impute, d values) and scale
 * data by the statistics of its training rows, then train on them; exits on
 * failure. The final fit (the one with an epoch callback) also warns of constant
 * features and too few rows. Rows mapped from a cache come scaled, and scaler
 * then holds the statistics they were scaled with (see load_cache). The exact
 * solution, when one is computed, goes into exact if not NULL (see
 * solve_exactly).
 */
static void
scale_and_train(const struct fit_options *o, struct dataset *data,
    struct dataset *train, const struct train_options *opt, struct scaler *scaler,
    double *impute, double *w, epoch_fn fn, void *ctx, struct train_result *result,
    struct solution *exact)
{
	struct error e;

	/* A cache's rows (mapped read-only) come scaled, with their scaler. */
	if (data->map == NULL && o->table.missing == MISSING_MEAN &&
	    dataset_impute(data, train, impute, &e) != 0)
		error_exit(&e);
	if (data->map == NULL &&
	    scaler_fit(scaler, train, o->scaling, opt->threads, &e) != 0)
		error_exit(&e);
	if (fn != NULL)
		warn_data(o, train, scaler);
	if (data->map == NULL)
		scaler_apply(scaler, data, opt->threads);
	if (o->exact || o->gap) {
		struct train_options with_optimum = *opt;

		if (pinball(opt->loss))
			solve_quantile_exactly(o, opt, train, scaler, w, result,
			    fn != NULL);
		else
			solve_exactly(o, opt, train, scaler, w, result, fn != NULL,
			    exact);
		if (o->exact)
			return;
		with_optimum.optimum = result->objective;
		if (train_run(&with_optimum, train, w, fn, ctx, result, &e) == 0)
			return;
	} else if (train_run(opt, train, w, fn, ctx, result, &e) == 0) {
		if (fn != NULL)
			certify_pinball(opt, train, result);
		return;
	}
	if (e.status == EXIT_DIVERGED)
		errx(EXIT_DIVERGED, "%s; try a smaller learning rate (-r)", e.msg);
	error_exit(&e);
}

/* The --cv-only CSV, to path or standard output, written only once complete. */
static void
write_scores(const char *path, const double *score, const size_t *size, size_t K,
    size_t n, double mean, double sd)
{
	struct outfile out;
	struct error e;

	if (outfile_open(&out, path, &e) != 0)
		error_exit(&e);
	fputs("fold,rows,val_loss\n", out.f);
	for (size_t k = 0; k < K; k++) {
		fprintf(out.f, "%zu,%zu,", k + 1, size[k]);
		num_write(out.f, score[k]);
		putc('\n', out.f);
	}
	fprintf(out.f, "mean,%zu,", n);
	num_write(out.f, mean);
	fprintf(out.f, "\nsd,%zu,", n);
	num_write(out.f, sd);
	putc('\n', out.f);
	if (outfile_commit(&out, &e) != 0)
		error_exit(&e);
}

static void run_folds(const struct fit_options *o, const struct dataset *ds);

/*
 * K-fold cross-validation: the rows in a seeded random order, cut into K folds of
 * sizes differing by at most one; each fold is held out once while the others are
 * scaled and trained on, from a copy, so that ds stays as read. Prints each
 * fold's validation loss and their mean and standard deviation on stderr (unless
 * quiet) and, with --cv-only, as CSV on stdout or -o FILE.
 */
static void
cross_validate(const struct fit_options *o, const struct dataset *ds)
{
	if (o->cv > ds->n || ds->n - (ds->n + o->cv - 1) / o->cv < 2)
		errx(EXIT_INPUT, "%s: %zu rows are too few for %zu folds", o->table.name,
		    ds->n, o->cv);
	run_folds(o, ds);
}

/* The folds themselves, once K is known to leave every fold rows to train on. */
static void
run_folds(const struct fit_options *o, const struct dataset *ds)
{
	size_t n = ds->n, K = o->cv, *perm = xcalloc(n, sizeof(size_t));
	size_t *rows = xcalloc(n, sizeof(size_t)), *size = xcalloc(K, sizeof(size_t));
	double *score = xcalloc(K, sizeof(double)), *impute = xcalloc(ds->d,
	    sizeof(double));
	double *w = xcalloc(loss_outputs(o->train.loss, ds) * (ds->d + 1),
	    sizeof(double));
	double sum = 0, ss = 0, mean, sd;
	struct train_options opt = o->train;
	struct dataset work;
	struct rng rng;

	for (size_t i = 0; i < n; i++)
		perm[i] = i;
	rng_seed(&rng, o->train.seed ^ 0x9e3779b97f4a7c15u);
	rng_shuffle(&rng, perm, n);
	dataset_init(&work, ds->d, (const char *const *)ds->names);
	work.classes = ds->classes;
	for (size_t k = 0; k < K; k++) {
		size_t lo, hi, m = 0;
		struct dataset train, val;
		struct scaler scaler;
		struct train_result result;

		dataset_fold(k, K, n, &lo, &hi);
		for (size_t i = 0; i < n; i++)
			if (i < lo || i >= hi)
				rows[m++] = perm[i];
		for (size_t i = lo; i < hi; i++)
			rows[m++] = perm[i];
		dataset_gather(&work, ds, rows, n);
		train = dataset_rows(&work, 0, n - (hi - lo));
		val = dataset_rows(&work, n - (hi - lo), hi - lo);
		opt.validation = &val;
		scale_and_train(o, &work, &train, &opt, &scaler, impute, w, NULL, NULL,
		    &result, NULL);
		scaler_free(&scaler);
		score[k] = result.val_loss;
		size[k] = hi - lo;
		sum += score[k];
		if (!o->quiet)
			fprintf(stderr, "descend: fold %zu of %zu: validation %s %.10g "
			    "(%zu rows)\n", k + 1, K, o->train.loss->name, score[k],
			    hi - lo);
	}
	mean = sum / (double)K;
	for (size_t k = 0; k < K; k++)
		ss += (score[k] - mean) * (score[k] - mean);
	sd = sqrt(ss / (double)(K - 1));
	if (!o->quiet)
		fprintf(stderr, "descend: cross-validated %s %.10g ± %.10g (mean ± sd "
		    "of %zu folds)\n", o->train.loss->name, mean, sd, K);
	if (o->cv_only)
		write_scores(o->output, score, size, K, n, mean, sd);
	dataset_free(&work);
	free(perm);
	free(rows);
	free(size);
	free(score);
	free(w);
	free(impute);
}

/* Term t's statistics columns from ts, or NA (NaN) for NULL; none without stats. */
static void
set_stats(struct model *m, size_t t, const struct term_stats *ts)
{
	double *row = m->stats + t * MODEL_STATS;

	if (m->stats == NULL)
		return;
	if (ts == NULL) {
		for (size_t c = 0; c < MODEL_STATS; c++)
			row[c] = (double)NAN;
		return;
	}
	row[0] = ts->std_error;
	row[1] = ts->t;
	row[2] = ts->p;
	row[3] = ts->ci_low;
	row[4] = ts->ci_high;
}

/*
 * A gradient fit that has given weight to an aliased column: the least-squares
 * weights are not unique there, and the fit has spread the effect over the
 * column and those it is a combination of, so the others' estimates are not
 * R's and have no standard error of their own. Exits 1 naming the column. (A
 * constant column keeps weight 0 and is left out just as the exact solver does.)
 */
static void
refuse_spread_weight(const struct solution *sol, const double *w,
    const struct dataset *train)
{
	struct error e;

	for (size_t j = 1; j < sol->p; j++)
		if (sol->aliased[j] && w[j] != 0) {
			error_set(&e, EXIT_INPUT, "--stats: column \"%s\" is a linear "
			    "combination of the columns before it, and gradient "
			    "descent shares the weight among them, so their estimates "
			    "have no standard errors; --solver exact leaves it out as "
			    "R's lm does, or --drop it", train->names[j - 1]);
			error_exit(&e);
		}
}

/*
 * --stats: summary(lm)'s figures for the weights w trained on train (scaled), from
 * the exact solver's factorization of the same rows, into st: that of exact
 * when it holds one (the fit's own, with no penalty), else computed here. A
 * gradient fit is refused if it has weighted an aliased column (see
 * refuse_spread_weight), and warned about when it has not reached least
 * squares, to which the statistics refer: with an excess
 * Δ = RSS(w) − RSS(least squares) = δᵀAᵀAδ (δ the weights'
 * error, A the design), Cauchy–Schwarz gives δ_j² ≤ ((AᵀA)⁻¹)_jj·Δ, so every
 * estimate is within √(Δ/σ²) = √(gap·df) of its own standard errors from the
 * least-squares one (gap the relative excess of the MSE); the warning gives that
 * bound when it is above 0.001.
 */
static void
compute_stats(const struct fit_options *o, const struct dataset *train,
    const struct scaler *scaler, const double *w, double loss,
    struct solution *exact, struct fit_stats *st)
{
	struct solution sol;
	struct error e;
	double best, gap, off;

	if (exact->w != NULL) {
		sol = *exact;
		memset(exact, 0, sizeof(*exact));
	} else if (solve_least_squares(train, 0, o->train.threads, &sol,
	    &e) != 0) {
		error_exit(&e);
	}
	if (stats_compute(&sol, scaler, w, train, o->conf, st, &e) != 0)
		error_exit(&e);
	best = sol.rss / (double)sol.n;
	gap = best > 0 ? fmax(loss - best, 0) / best : loss;
	off = best > 0 ? sqrt(gap * st->df) : loss > 0 ? HUGE_VAL : 0;
	if (st->perfect && !o->quiet)
		warnx("warning: --stats: essentially perfect fit (the residual "
		    "variance is below 1e-30 of the fitted values' mean square), "
		    "so the standard errors, t and p-values are rounding noise");
	if (o->table.missing == MISSING_MEAN && !o->quiet)
		warnx("warning: --stats: with --missing mean the imputed cells count "
		    "as observations, so the standard errors are too small; "
		    "--missing drop leaves those rows out, as R's lm does");
	if (!o->exact) {
		refuse_spread_weight(&sol, w, train);
		warn_aliased(o, &sol, scaler, train, "its statistics are NA");
		if (off > 1e-3 && !o->quiet)
			warnx("warning: --stats: the MSE is %.2g (relative) above least "
			    "squares, which the statistics assume, so the estimates "
			    "may be up to %.2g standard errors from it; more epochs, "
			    "-O lbfgs or --solver exact would reach it", gap, off);
	}
	solution_free(&sol);
}

/*
 * Work of one Newton step, n·(d + 1)², up to which every logistic fit also runs
 * Newton's method to look for separation that no single feature shows: on 100000
 * rows of 20 features (4.4e7) it cost 0.47 s of processor time, 11 steps, so
 * 2e7 keeps it to about 0.2 s for data that overlap (a separated fit takes 30 to
 * 40 steps).
 */
#define SEPARATION_NEWTON_WORK 2e7

/* Warn of a feature that alone separates a class (see glm_feature_splits). */
static void
warn_split(const struct fit_options *o, const struct dataset *ds,
    const struct glm_split *s)
{
	const char *name = ds->names[s->feature], *k = o->labels.level[s->class];
	const char *side = s->above ? "larger" : "smaller";
	const char *other = s->above ? "smaller" : "larger";

	if (ds->classes == 2 && s->complete)
		error_warn("warning: \"%s\" separates the classes completely: every "
		    "row of class \"%s\" has a %s %s than every row of class "
		    "\"%s\", so no finite weights maximize the likelihood", name,
		    k, side, name, o->labels.level[0]);
	else if (ds->classes == 2)
		error_warn("warning: \"%s\" separates the classes quasi-completely: "
		    "no row of class \"%s\" has a %s %s than a row of class "
		    "\"%s\" (they meet at one value), so no finite weights "
		    "maximize the likelihood", name, k, other, name,
		    o->labels.level[0]);
	else
		error_warn("warning: \"%s\" separates class \"%s\" from the others "
		    "%s: %s row of class \"%s\" has a %s %s than %s other row%s, "
		    "so no finite weights maximize the likelihood", name, k,
		    s->complete ? "completely" : "quasi-completely",
		    s->complete ? "every" : "no", k, s->complete ? side : other,
		    name, s->complete ? "every" : "an",
		    s->complete ? "" : " (they meet at one value)");
}

/* Findings of glm_feature_splits told one by one, at most this many. */
#define SPLITS_SHOWN 5

/*
 * Separated classes, for which the likelihood has no maximum: a feature that
 * alone separates a class (every class fit), or, for logistic regression with
 * a Newton fit g (run when need_newton, or when no feature separates and the
 * work is within SEPARATION_NEWTON_WORK), its end (glm.h's GLM_COMPLETE and
 * GLM_QUASI); fitted probabilities numerically 0 or 1 with neither (as R's
 * glm.fit warns) are warned of too. Warns unless quiet; returns 1 if the
 * classes are shown to be separated. *have is set when g holds a fit (free it
 * then).
 */
static int
check_separation(const struct fit_options *o, const struct dataset *train,
    int need_newton, struct glm_fit *g, int *have)
{
	struct glm_split s[SPLITS_SHOWN];
	struct error e;
	size_t found, p = train->d + 1;
	double work = (double)train->n * (double)p * (double)p;

	*have = 0;
	if (o->quiet && !need_newton)
		return 0;
	found = glm_feature_splits(train, train->classes, s, SPLITS_SHOWN);
	for (size_t i = 0; !o->quiet && i < found && i < SPLITS_SHOWN; i++)
		warn_split(o, train, &s[i]);
	if (found > SPLITS_SHOWN && !o->quiet)
		warnx("warning: and %zu more features separate a class alone",
		    found - SPLITS_SHOWN);
	if (o->train.loss->target != LOSS_BINARY || (!need_newton &&
	    (found > 0 || work > SEPARATION_NEWTON_WORK)))
		return found > 0;
	if (glm_logistic(train, g, &e) != 0) {
		if (need_newton)
			error_exit(&e);
		return found > 0;
	}
	*have = 1;
	if (found > 0 || o->quiet)
		;
	else if (g->separated == GLM_COMPLETE || g->separated == GLM_QUASI)
		error_warn("warning: the classes are %s separated: Newton's method "
		    "fits %zu rows of class \"%s\" with probability numerically 1 "
		    "and %zu of class \"%s\" numerically 0 (within 2.2e-15, as "
		    "R's glm.fit warns), and %s, so no finite weights maximize the "
		    "likelihood", g->separated == GLM_COMPLETE ? "completely" :
		    "quasi-completely", g->edge[1], o->labels.level[1], g->edge[0],
		    o->labels.level[0], g->separated == GLM_COMPLETE ? "puts every "
		    "row on its class's side of a hyperplane" : "its last step "
		    "moves those rows out and no other row across a hyperplane "
		    "(within rounding)");
	else if (g->separated == GLM_EDGES)
		error_warn("warning: Newton's method fits %zu row%s of class "
		    "\"%s\" with probability numerically 1 and %zu of class "
		    "\"%s\" numerically 0 (within 2.2e-15), as R's glm.fit warns, "
		    "but finds no direction that separates the classes: far "
		    "outliers, or a separation it cannot show", g->edge[1],
		    g->edge[1] == 1 ? "" : "s", o->labels.level[1], g->edge[0],
		    o->labels.level[0]);
	return found > 0 || g->separated == GLM_COMPLETE ||
	    g->separated == GLM_QUASI;
}

/*
 * --stats for -l logistic: summary(glm(family = binomial))'s figures of the
 * Newton fit g of train (scaled), refused when the classes are separated; the
 * maximum-likelihood weights replace the descent's in w, so that the weights
 * written are the estimates.
 */
static void
compute_logistic_stats(const struct fit_options *o, const struct dataset *train,
    const struct scaler *scaler, int separated, const struct glm_fit *g,
    double *w, struct fit_stats *st)
{
	struct error e;

	if (separated) {
		error_set(&e, EXIT_INPUT, "--stats: the classes are separated (see "
		    "the warnings without -q), so the maximum-likelihood weights "
		    "are infinite and have no standard errors; leave out the "
		    "separating columns (--drop)");
		error_exit(&e);
	}
	if (!g->converged && !o->quiet)
		warnx("warning: --stats: Newton's method did not converge in %d "
		    "steps; the deviance changed by more than 1e-15 (relative) "
		    "at the last", GLM_MAXIT);
	for (size_t j = 1; !o->quiet && j < g->p; j++)
		if (g->aliased[j] && !scaler_is_constant(scaler, j - 1))
			error_warn("warning: column \"%s\" is a linear combination "
			    "of the columns before it (aliased); its statistics are "
			    "NA", train->names[j - 1]);
	if (o->table.missing == MISSING_MEAN && !o->quiet)
		warnx("warning: --stats: with --missing mean the imputed cells count "
		    "as observations, so the standard errors are too small; "
		    "--missing drop leaves those rows out, as R's glm does");
	stats_compute_logistic(g, scaler, o->conf, st);
	memcpy(w, g->beta, g->p * sizeof(double));
	if (!o->quiet)
		warnx("--stats: the weights are the maximum-likelihood estimate by "
		    "Newton's method (%u iterations), not gradient descent's",
		    g->iterations);
}

/*
 * The --stats table: on stderr when path is NULL and the weights go to standard
 * output, else (--stats-only) to path or standard output, written atomically,
 * as JSON with --format json.
 */
static void
print_stats(const struct fit_options *o, const struct fit_stats *st,
    const struct dataset *ds, const char *path)
{
	const char **names = xcalloc(ds->d + 1, sizeof(*names));
	struct outfile out;
	struct error e;

	names[0] = MODEL_INTERCEPT;
	for (size_t j = 0; j < ds->d; j++)
		names[j + 1] = ds->names[j];
	if (o->stats == 1) {
		report_stats(stderr, st, names);
	} else {
		if (outfile_open(&out, path, &e) != 0)
			error_exit(&e);
		if (o->format != MODEL_JSON)
			report_stats(out.f, st, names);
		else if (report_stats_json(out.f, st, names, &e) != 0) {
			outfile_abort(&out);
			error_exit(&e);
		}
		if (outfile_commit(&out, &e) != 0)
			error_exit(&e);
	}
	free(names);
}

/*
 * The importance line: the features ranked by their z-scored weights, the largest
 * in size over the outputs (a softmax model's classes).
 */
static void
report_features(const struct scaler *scaler, const double *w, size_t outputs,
    const struct dataset *ds)
{
	size_t d = scaler->d;
	double *weight = xcalloc(d + 1, sizeof(double));
	double *std = xcalloc(d + 1, sizeof(double)), *top = xcalloc(d + 1,
	    sizeof(double));

	for (size_t b = 0; b < outputs; b++) {
		scaler_unscale(scaler, w + b * (d + 1), weight, std);
		for (size_t j = 1; j <= d; j++)
			top[j] = fmax(top[j], fabs(std[j]));
	}
	report_importance(stderr, (const char *const *)ds->names, top + 1, d, 10);
	free(weight);
	free(std);
	free(top);
}

/*
 * The model's terms: the intercept, then a term per feature. Each categorical
 * column's indicators are preceded by its reference level, so that the file
 * lists every level predict may meet. impute (d values, or NULL) gives the values
 * for a missing cell; the reference level's is one minus the others', its own
 * mean. st (or NULL) gives the statistics. Returns the model term of each weight
 * of a block (d + 1: the intercept, then the features); the weights are left 0.
 */
static size_t *
build_terms(struct model *m, const struct dataset *ds,
    const struct category *cats, size_t ncats, const double *impute,
    const struct fit_stats *st)
{
	size_t nterms = ds->d + 1, t = 1, c = 0;
	size_t *term_of = xcalloc(ds->d + 1, sizeof(size_t));
	const char *intercept = MODEL_INTERCEPT;

	for (size_t k = 0; k < ncats; k++)
		nterms += cats[k].nlevels > 0;
	model_init(m, 1, &intercept);
	m->nterms = nterms;
	m->term = xreallocarray(m->term, nterms, sizeof(*m->term));
	free(m->weight);
	free(m->std_weight);
	m->weight = xcalloc(nterms, sizeof(double));
	m->std_weight = xcalloc(nterms, sizeof(double));
	m->impute = xreallocarray(m->impute, nterms, sizeof(double));
	if (st != NULL)
		m->stats = xcalloc(nterms * MODEL_STATS, sizeof(double));
	set_stats(m, 0, st ? &st->term[0] : NULL);
	m->has_impute = impute != NULL;
	for (size_t j = 0; j <= ds->d; j++) {
		while (c < ncats && (cats[c].nlevels == 0 || cats[c].first == j)) {
			if (cats[c].nlevels > 0) {
				size_t len = strlen(cats[c].name) +
				    strlen(cats[c].level[0]) + 2;
				double rest = 0;

				for (size_t l = 1; impute && l < cats[c].nlevels; l++)
					rest += impute[cats[c].first + l - 1];
				m->term[t] = xmalloc(len);
				snprintf(m->term[t], len, "%s=%s", cats[c].name,
				    cats[c].level[0]);
				set_stats(m, t, NULL);
				m->impute[t++] = impute ? 1 - rest : (double)NAN;
			}
			c++;
		}
		if (j == ds->d)
			break;
		m->term[t] = xstrdup(ds->names[j]);
		set_stats(m, t, st ? &st->term[j + 1] : NULL);
		term_of[j + 1] = t;
		m->impute[t++] = impute ? impute[j] : (double)NAN;
	}
	return term_of;
}

/*
 * The model: its terms (see build_terms), and for each of the outputs blocks of
 * w (d + 1 weights on the scaled features each) the weights in the units of the
 * input and on z-scored features. labels (or NULL for regression) are the
 * classes: for one output (logistic) the negative and the positive one.
 */
static void
build_model(struct model *m, const struct dataset *ds,
    const struct category *cats, size_t ncats, const struct scaler *scaler,
    const double *w, size_t outputs, const struct category *labels,
    const double *impute, const struct fit_stats *st)
{
	size_t d = ds->d, *term_of = build_terms(m, ds, cats, ncats, impute, st);
	double *weight = xcalloc(d + 1, sizeof(double));
	double *std_weight = xcalloc(d + 1, sizeof(double));

	m->target = xstrdup(ds->names[d]);
	if (labels != NULL)
		model_set_classes(m, (const char *const *)labels->level,
		    labels->nlevels, outputs);
	for (size_t b = 0; b < outputs; b++) {
		scaler_unscale(scaler, w + b * (d + 1), weight, std_weight);
		for (size_t j = 0; j <= d; j++) {
			m->weight[b * m->nterms + term_of[j]] = weight[j];
			m->std_weight[b * m->nterms + term_of[j]] = std_weight[j];
		}
	}
	free(term_of);
	free(weight);
	free(std_weight);
	/* The features first: an infinite weight makes the intercept infinite too. */
	for (size_t k = 1; k <= outputs * m->nterms; k++) {
		struct error e;
		size_t at = k % (outputs * m->nterms);

		if (isfinite(m->weight[at]) && isfinite(m->std_weight[at]))
			continue;
		error_set(&e, EXIT_INPUT, "the weight of \"%s\" overflows a double "
		    "in the input's units; rescale that column",
		    m->term[at % m->nterms]);
		error_exit(&e);
	}
}

/*
 * Open what the epochs of the final fit go to (see struct epoch_sinks): the
 * --log file (exit 1 if it cannot be opened), the table unless quiet, curves
 * for --plot, and the progress meter, which o's training options then call.
 */
static void
open_sinks(struct fit_options *o, struct epoch_sinks *sinks,
    struct report_curves *curves)
{
	if (o->log != NULL && strcmp(o->log, "-") == 0)
		sinks->log = stdout;
	else if (o->log != NULL && (sinks->log = fopen(o->log, "w")) == NULL)
		err(EXIT_INPUT, "%s", o->log);
	sinks->table = o->quiet || cluster_rank() != 0 ? NULL : stderr;
	sinks->every = o->log_every;
	sinks->columns = (o->validation > 0 ? REPORT_VAL : 0) |
	    (o->gap ? REPORT_GAP : 0) |
	    (o->train.loss->target != LOSS_NUMBER ? REPORT_ACCURACY : 0);
	sinks->curves = o->plot != NULL ? curves : NULL;
	sinks->epochs = o->train.epochs;
	progress_start(&sinks->meter, STDERR_FILENO, "", 0, o->quiet);
	o->train.progress = on_epoch_progress;
	o->train.progress_ctx = sinks;
}

/*
 * The --plot chart of the epochs in c, written atomically to o->plot, titled with
 * the input's name, the loss, the update rule and the mode; exits 1 naming the
 * file if it cannot be written.
 */
static void
write_plot(const struct fit_options *o, const struct report_curves *c)
{
	struct outfile out;
	struct error e;
	char title[600], name[512];

	error_clean(name, sizeof(name), o->table.name);
	snprintf(title, sizeof(title), "descend fit %s: %s, %s, %s%s", name,
	    o->train.loss->name, o->train.optimizer->name, mode_name(o->train.mode),
	    o->validation > 0 ? " (validation)" : "");
	if (outfile_open(&out, o->plot, &e) != 0)
		error_exit(&e);
	errno = 0;
	if (report_plot(out.f, c, title, o->train.loss->name, o->validation > 0,
	    &e) != 0) {
		int why = errno ? errno : EIO;

		outfile_abort(&out);
		error_set(&e, EXIT_INPUT, "%s: %s", o->plot, strerror(why));
		error_exit(&e);
	}
	if (outfile_commit(&out, &e) != 0)
		error_exit(&e);
}

int
cmd_fit(int argc, char **argv)
{
	struct fit_options o;
	struct dataset ds, train, val;
	struct epoch_sinks sinks = { 0 };
	struct report_curves curves = { 0 };
	struct scaler scaler;
	struct train_result result;
	struct model model;
	struct fit_stats stats;
	struct glm_fit glm;
	struct solution exact = { 0 };
	struct error e;
	struct category *cats = NULL;
	double *w, *impute;
	size_t ncats = 0;
	int status, separated = 0, have_glm = 0;

	/* Under mpirun, one of the job's ranks (cluster.h); else rank 0 of 1. */
	cluster_init(&argc, &argv);
	parse_options(argc, argv, &o);
	/* Only a batch MSE fit's epochs do without the rows (dataset.h). */
	o.table.reread = o.train.mode != MODE_BATCH || !o.train.loss->quadratic ||
	    o.validation > 0 || o.cv > 0;
	o.table.categories = &cats;
	o.table.ncategories = &ncats;
	if (o.cache != NULL)
		load_cache(&o, &ds, &scaler);
	else if (o.shards != NULL || cluster_size() > 1)
		load_shared(&o, &ds);
	else
		load(&o, &ds);
	if (o.cv > 0) {
		cross_validate(&o, &ds);
		if (o.cv_only) {
			for (size_t c = 0; c < ncats; c++)
				category_free(&cats[c]);
			free(cats);
			if (o.table.labels != NULL)
				category_free(&o.labels);
			dataset_free(&ds);
			cluster_finish();
			return EXIT_OK;
		}
	}
	train = ds;
	if (o.validation > 0) {
		split(&o, &ds, &train, &val);
		o.train.validation = &val;
	}
	open_sinks(&o, &sinks, &curves);
	w = xcalloc(loss_outputs(o.train.loss, &ds) * (ds.d + 1), sizeof(double));
	impute = xcalloc(ds.d, sizeof(double));
	/*
	 * Ranks would see a signal at different steps and part ways; mpirun ends
	 * the job on SIGINT and SIGTERM instead.
	 */
	if (cluster_size() == 1) {
		o.train.stop = &stop_signal;
		catch_stop_signals();
	}
	scale_and_train(&o, &ds, &train, &o.train, &scaler, impute, w, on_epoch,
	    &sinks, &result, o.stats ? &exact : NULL);
	show_last(&sinks);
	progress_end(&sinks.meter);
	if (result.interrupted)
		warnx("warning: training interrupted by %s in epoch %lu; the weights "
		    "are those of epoch %lu", stop_signal == SIGINT ? "SIGINT" :
		    "SIGTERM", result.interrupted, result.epochs);
	if (sinks.log != NULL && (fflush(sinks.log) != 0 || ferror(sinks.log) ||
	    (sinks.log != stdout && fclose(sinks.log) != 0)))
		err(EXIT_INPUT, "%s", o.log);

	if (o.table.labels != NULL)
		separated = check_separation(&o, &train, o.stats != 0, &glm,
		    &have_glm);
	if (o.stats && o.train.loss->target == LOSS_BINARY)
		compute_logistic_stats(&o, &train, &scaler, separated, &glm, w,
		    &stats);
	else if (o.stats)
		compute_stats(&o, &train, &scaler, w, result.loss, &exact,
		    &stats);
	if (have_glm)
		glm_fit_free(&glm);
	build_model(&model, &ds, cats, ncats, &scaler, w,
	    loss_outputs(o.train.loss, &ds), o.table.labels,
	    o.table.missing == MISSING_MEAN ? impute : NULL,
	    o.stats == 1 ? &stats : NULL);
	if (!o.quiet) {
		if (o.exact && pinball(o.train.loss))
			summarize_quantile(&o, &result,
			    dataset_rows_across_ranks(&train),
			    o.validation > 0 ? val.n : 0, ds.d);
		else
			summarize(&o, &result,
			    dataset_rows_across_ranks(&train),
			    o.validation > 0 ? val.n : 0, ds.d);
		report_ranks(&train, &sinks);
		report_features(&scaler, w, loss_outputs(o.train.loss, &ds), &ds);
		if (o.stats == 1)
			print_stats(&o, &stats, &ds, NULL);
	}
	if (o.plot != NULL)
		write_plot(&o, &curves);
	if (o.stats == 2)
		print_stats(&o, &stats, &ds, o.output);
	else if (model_save_as(&model, o.output, o.format, &e) != 0)
		error_exit(&e);
	status = result.interrupted ? 128 + stop_signal : EXIT_OK;

	if (o.stats)
		fit_stats_free(&stats);
	model_free(&model);
	report_curves_free(&curves);
	for (size_t c = 0; c < ncats; c++)
		category_free(&cats[c]);
	free(cats);
	if (o.table.labels != NULL)
		category_free(&o.labels);
	free(w);
	free(impute);
	scaler_free(&scaler);
	dataset_free(&ds);
	cluster_finish();
	return status;
}
