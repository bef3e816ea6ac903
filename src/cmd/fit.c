/*
 * cmd/fit.c: descend fit. Reads the options, then runs the pipeline that
 * HACKING.md describes: table (CSV to dataset), scale, train, and the model
 * written out; says what happens on stderr and exits with the status the man
 * page documents.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "cd.h"
#include "category.h"
#include "cluster.h"
#include "cmd.h"
#include "cv.h"
#include "failure.h"
#include "model.h"
#include "model_build.h"
#include "outfile.h"
#include "parallel.h"
#include "predict.h"
#include "progress.h"
#include "quantile.h"
#include "num.h"
#include "opt.h"
#include "report.h"
#include "scale.h"
#include "shard.h"
#include "solve.h"
#include "glm.h"
#include "stats.h"
#include "summary.h"
#include "table.h"
#include "terms.h"
#include "train.h"

/* fit's options that its own code takes, beyond storing the value (opt.h). */
enum {
	ID_HELP = 1,
	ID_VERSION,
	ID_OPTIMIZER,
	ID_LOSS,
	ID_SCHEDULE,
	ID_DELIMITER,
	ID_STATS
};

/* Words of the options that take one, in the order of their enums. */
static const char *const mode_words[] = { "batch", "sgd", "minibatch", NULL };
static const char *const missing_words[] = { "error", "drop", "mean", NULL };
static const char *const scaling_words[] = { "none", "zscore", "minmax", NULL };
static const char *const solver_words[] = { "gd", "exact", "cd", NULL };
/* --solver cd: o->exact holds the word's index */
#define SOLVER_EXACT 1
#define SOLVER_CD 2
/* the most sweeps of --solver cd */
#define CD_FIT_SWEEPS 1000000UL
static const char *const format_words[] = { "csv", "json", NULL };
static const char *const auto_word[] = { "auto", NULL };

static const char synopsis[] = "usage: descend fit [options] [file]\n";

/* Before and after the options of fit --help, which the table writes. */
static const char help_head[] =
    "Fit a linear model to a CSV file or stdin; [defaults]; see "
    "descend-fit(1).\n";
static const char help_tail[] =
    "Exit status: 0 done, 1 bad input, 2 usage, 3 diverged, 130/143 "
    "interrupted.\n";

/* What --stats and --stats-only ask for. */
enum stats_output {
	STATS_NONE,  /* no statistics */
	STATS_TABLE, /* --stats: the table on stderr, and weights */
	STATS_ONLY   /* --stats-only: the table, no weights */
};

/* Everything the command line says. */
struct fit_options {
	struct table_options table;
	struct train_options train;
	enum scaling scaling;
	int drop_duplicates;
	int quiet;
	const char *input;	  /* path, or NULL for standard input */
	const char *output;	  /* -o, or NULL for standard output */
	const char *log;	  /* --log, or NULL */
	unsigned long log_every;  /* --log-every: the table's spacing; 0 auto */
	const char *plot;	  /* --plot, or NULL */
	enum model_format format; /* --format */
	double validation;	  /* fraction held out, or 0 */
	size_t cv;		  /* folds, or 0 */
	int cv_only;
	int exact;		 /* --solver exact (1) or cd (2) */
	double tau;		 /* --tau: quantile's τ */
	int gap;		 /* --gap */
	enum stats_output stats; /* --stats, --stats-only */
	double conf;		 /* --conf */
	const char *positive;	 /* --positive, or NULL */
	struct category labels;	 /* a class target's labels */
	const char *cache;	 /* --cache, or NULL */
	int cache_only;		 /* --cache-only */
	const char *shards;	 /* --shards, or NULL */
	const char *offset;	 /* --offset, or NULL */
	const char *exposure;	 /* --exposure, or NULL */
	int fractional;		 /* --allow-fractional */
	const char *interact;	 /* --interact, or NULL */
	const char *poly;	 /* --poly, or NULL */
	const char *cross;	 /* --cross, or NULL */
	const char *init;	 /* --init, or NULL */
	int keep_scaling;	 /* --keep-scaling */
	int save_scaling;	 /* --save-scaling */
	struct model start;	 /* --init's model */
	const char *na_values;	 /* --na-values, or NULL */
	unsigned given;		 /* GIVEN_* bits: options given explicitly */
	int intervals;		 /* --intervals */
	double conformal;	 /* --conformal's fraction; 0 with
				    GIVEN_CONFORMAL: the validation rows */
};

/* Options whose meaning depends on others, remembered when given. */
enum {
	GIVEN_MOMENTUM = 1 << 0,
	GIVEN_BETA1 = 1 << 1,
	GIVEN_BETA2 = 1 << 2,
	GIVEN_EPSILON = 1 << 3,
	GIVEN_WEIGHT_DECAY = 1 << 4,
	GIVEN_DECAY = 1 << 5,
	GIVEN_POWER_T = 1 << 6,
	GIVEN_STEP_SIZE = 1 << 7,
	GIVEN_DELTA = 1 << 8,
	GIVEN_SCHEDULE = 1 << 9,
	GIVEN_DESCENT = 1 << 10,
	GIVEN_OPTIMIZER = 1 << 11,
	GIVEN_RATE = 1 << 12,
	GIVEN_TAU = 1 << 13,
	GIVEN_CONFORMAL = 1 << 14
};

/* --conformal's word: calibrate on the --validation rows. */
static const char *const conformal_words[] = { "validation", NULL };

static void check_conformal(const struct fit_options *o);
static void check_intervals(const struct fit_options *o);

/* What the summary says of the final fit's exact quantile regression. */
static struct quantile_fit {
	double tau;
	unsigned long iterations, pivots;
	size_t zero_rows, rank, terms;
	int optimal, nonunique;
	double interior; /* the interior point's objective */
} quantile_fit;

/* poisson: a loss whose exact optimum is glm(family = poisson)'s. */
static int
poisson(const struct loss *l)
{
	return l->start == LOSS_START_LOG;
}

/* mae and quantile: losses whose exact optimum is a quantile regression. */
static int
pinball(const struct loss *l)
{
	return strcmp(l->name, "mae") == 0 || strcmp(l->name, "quantile") == 0;
}

#define F(m) OPT_AT(struct fit_options, m)
#define REAL(l, h, e) .kind = OPT_REAL, .lo = (l), .hi = (h), .ends = (e)
#define WHOLE(l, h) .kind = OPT_WHOLE, .min = (l), .max = (h)
#define NONE .offset = OPT_NO_STORE
#define BY_CV "tune scores by --cv"
#define BY_STATS "tune ranks by --cv, not by fitted statistics"

/*
 * fit's options, in the order of --help (grouped so that it fits an 80x24
 * screen; descend(1) has the details). tune passes them on to its fits, except
 * those with OPT_NO_TUNE, and grids those without OPT_NO_GRID.
 */
static const struct opt_spec fit_opts[] = {
	{ "target", 't', OPT_STRING, F(table.target), .arg = "col",
	    .dflt = "last", .group = "input",
	    .flags = OPT_NO_GRID | OPT_COLUMNS,
	    .why = "each value would predict another column" },
	{ "features", 'x', OPT_STRING, F(table.features), .arg = "list",
	    .flags = OPT_COLUMNS },
	{ "drop", 0, OPT_STRING, F(table.drop), .arg = "list",
	    .flags = OPT_COLUMNS },
	{ "delimiter", 'd', OPT_CALL, NONE, .id = ID_DELIMITER, .arg = "c",
	    .dflt = "detected" },
	{ "decimal", 0, OPT_CALL, NONE, .id = CMD_ID_DECIMAL, .arg = "c",
	    .dflt = ".", .flags = OPT_NO_GRID,
	    .why = "it is how the file is written" },
	{ "no-header", 0, OPT_FLAG, F(table.header), .value = 0 },
	{ "missing", 0, OPT_WORD, F(table.missing), .words = missing_words,
	    .flags = OPT_NO_GRID,
	    .why = "it can change the rows, and so the folds" },
	{ "na-values", 0, OPT_STRING, F(na_values), .arg = "list",
	    .flags = OPT_NO_GRID, .why = "it is how the file is written" },
	{ "categorical", 0, OPT_STRING, F(table.categorical), .arg = "list",
	    .flags = OPT_COLUMNS },
	{ "weight", 0, OPT_STRING, F(table.weight), .arg = "col",
	    .flags = OPT_NO_GRID,
	    .why = "it names the column of row weights, which every fit "
		   "ranked must weigh alike" },
	{ "drop-duplicates", 0, OPT_FLAG, F(drop_duplicates), .value = 1 },
	{ "scale", 0, OPT_WORD, F(scaling), .words = scaling_words,
	    .arg = "zscore|minmax|none" },
	{ "no-standardize", 0, OPT_FLAG, F(scaling), .value = SCALE_NONE },
	{ "cache", 0, OPT_STRING, F(cache), .arg = "file" },
	{ "cache-only", 0, OPT_FLAG, F(cache_only), .value = 1 },
	{ "shards", 0, OPT_STRING, F(shards), .arg = "glob" },
	{ "interact", 0, OPT_STRING, F(interact), .arg = "a:b,..." },
	{ "poly", 0, OPT_STRING, F(poly), .arg = "x:k,..." },
	{ "cross", 0, OPT_STRING, F(cross), .arg = "a*b,..." },

	{ "loss", 'l', OPT_WORD, NONE, .list = loss_names, .id = ID_LOSS,
	    .arg = "name", .dflt = "mse", .group = "model",
	    .flags = OPT_NO_GRID,
	    .why = "scores in different losses cannot be ranked; "
		   "give -l once" },
	{ "delta", 0, REAL(0, HUGE_VAL, OPT_OPEN_LO), F(train.delta),
	    .rules = GIVEN_DELTA, .arg = "d", .dflt = "1.35" },
	{ "tau", 0, REAL(0, 1, OPT_OPEN_LO | OPT_OPEN_HI), F(tau),
	    .rules = GIVEN_TAU, .arg = "t", .dflt = "0.5" },
	{ "positive", 0, OPT_STRING, F(positive), .arg = "label" },
	{ "no-intercept", 0, OPT_FLAG, F(train.no_intercept), .value = 1 },
	{ "offset", 0, OPT_STRING, F(offset), .arg = "col" },
	{ "exposure", 0, OPT_STRING, F(exposure), .arg = "col" },
	{ "allow-fractional", 0, OPT_FLAG, F(fractional), .value = 1 },
	{ "l1", 0, REAL(0, HUGE_VAL, 0), F(train.params.l1), .arg = "l" },
	{ "l2", 0, REAL(0, HUGE_VAL, 0), F(train.l2), .arg = "l" },
	{ "solver", 0, OPT_WORD, F(exact), .words = solver_words,
	    .dflt = "gd" },
	{ "stats", 0, OPT_FLAG, NONE, .id = ID_STATS, .flags = OPT_NO_TUNE,
	    .why = BY_STATS },
	{ "stats-only", 0, OPT_FLAG, F(stats), .value = STATS_ONLY,
	    .flags = OPT_NO_TUNE, .why = BY_STATS },
	{ "conf", 0, REAL(0, 1, OPT_OPEN_LO | OPT_OPEN_HI), F(conf), .arg = "c",
	    .dflt = "0.95" },
	{ "intervals", 0, OPT_FLAG, F(intervals), .value = 1,
	    .flags = OPT_NO_TUNE, .why = BY_STATS },

	{ "optimizer", 'O', OPT_CALL, NONE, .list = optim_names,
	    .id = ID_OPTIMIZER, .rules = GIVEN_DESCENT | GIVEN_OPTIMIZER,
	    .arg = "rule", .group = "descent" },
	{ "mode", 'm', OPT_WORD, F(train.mode), .words = mode_words,
	    .rules = GIVEN_DESCENT, .dflt = "batch" },
	{ "batch-size", 'b', WHOLE(1, 1000000000), F(train.batch_size),
	    .rules = GIVEN_DESCENT, .arg = "n", .dflt = "32" },
	{ "epochs", 'e', WHOLE(0, 1000000000), F(train.epochs),
	    .rules = GIVEN_DESCENT, .arg = "n", .dflt = "100" },
	{ "learning-rate", 'r', REAL(0, HUGE_VAL, OPT_OPEN_LO),
	    F(train.learning_rate), .words = auto_word,
	    .say = "a positive number or auto",
	    .rules = GIVEN_DESCENT | GIVEN_RATE, .arg = "r|auto",
	    .dflt = "auto" },
	{ "seed", 0, WHOLE(0, UINT64_MAX), F(train.seed), .arg = "n",
	    .flags = OPT_NO_GRID,
	    .why = "it chooses the folds, which must be "
		   "the same for every combination" },
	{ "momentum", 0, REAL(0, 1, OPT_OPEN_HI), F(train.params.momentum),
	    .rules = GIVEN_MOMENTUM, .arg = "m" },
	{ "beta1", 0, REAL(0, 1, OPT_OPEN_HI), F(train.params.beta1),
	    .rules = GIVEN_BETA1, .arg = "b" },
	{ "beta2", 0, REAL(0, 1, OPT_OPEN_HI), F(train.params.beta2),
	    .rules = GIVEN_BETA2, .arg = "b" },
	{ "epsilon", 0, REAL(0, HUGE_VAL, OPT_OPEN_LO), F(train.params.epsilon),
	    .rules = GIVEN_EPSILON, .arg = "e" },
	{ "weight-decay", 0, REAL(0, HUGE_VAL, 0), F(train.params.weight_decay),
	    .rules = GIVEN_WEIGHT_DECAY, .arg = "w" },
	{ "schedule", 0, OPT_WORD, NONE, .list = schedule_names,
	    .id = ID_SCHEDULE, .rules = GIVEN_SCHEDULE, .arg = "name" },
	{ "decay", 0, REAL(0, 1, OPT_OPEN_LO), F(train.schedule_params.decay),
	    .rules = GIVEN_DECAY, .arg = "d" },
	{ "power-t", 0, REAL(0, HUGE_VAL, OPT_OPEN_LO),
	    F(train.schedule_params.power_t), .rules = GIVEN_POWER_T,
	    .arg = "p" },
	{ "step-size", 0, WHOLE(1, 1000000000),
	    F(train.schedule_params.step_size), .rules = GIVEN_STEP_SIZE,
	    .arg = "n" },
	{ "init", 0, OPT_STRING, F(init), .arg = "weights",
	    .flags = OPT_NO_GRID,
	    .why = "one starting point serves every combination" },
	{ "keep-scaling", 0, OPT_FLAG, F(keep_scaling), .value = 1,
	    .flags = OPT_NO_GRID,
	    .why = "a choice of the warm start, not of the model" },
	{ "save-scaling", 0, OPT_FLAG, F(save_scaling), .value = 1,
	    .flags = OPT_NO_TUNE, .why = "tune writes no weights file" },

	{ "validation", 0, REAL(0, 1, OPT_OPEN_LO | OPT_OPEN_HI), F(validation),
	    .arg = "f", .group = "held out", .flags = OPT_NO_TUNE,
	    .why = BY_CV },
	{ "conformal", 0, REAL(0, 1, OPT_OPEN_LO | OPT_OPEN_HI), F(conformal),
	    .words = conformal_words, .rules = GIVEN_CONFORMAL,
	    .arg = "f|validation", .flags = OPT_NO_TUNE, .why = BY_CV },
	{ "early-stop", 0, WHOLE(1, 1000000000), F(train.early_stop),
	    .arg = "n", .flags = OPT_NO_TUNE, .why = BY_CV },
	{ "tol", 0, REAL(0, 1, OPT_OPEN_HI), F(train.tol),
	    .say = "a number from 0 to 1 (0 included, 1 excluded)", .arg = "t",
	    .flags = OPT_NO_TUNE, .why = BY_CV },
	{ "cv", 0, WHOLE(2, 1000000), F(cv), .arg = "k", .flags = OPT_NO_GRID,
	    .why = "the folds must be the same for every combination" },
	{ "cv-only", 0, OPT_FLAG, F(cv_only), .value = 1, .flags = OPT_NO_TUNE,
	    .why = "tune gives it to every fit" },

	{ "output", 'o', OPT_STRING, F(output), .arg = "file",
	    .group = "output", .flags = OPT_NO_GRID,
	    .why = "-o names tune's table" },
	{ "format", 0, OPT_WORD, F(format), .words = format_words,
	    .dflt = "csv", .flags = OPT_NO_TUNE, .why = "tune's table is CSV" },
	{ "log", 0, OPT_STRING, F(log), .arg = "file", .flags = OPT_NO_TUNE,
	    .why = "tune writes no epoch log" },
	{ "log-every", 0, WHOLE(1, 1000000000), F(log_every),
	    .words = auto_word, .arg = "n|auto", .dflt = "1" },
	{ "plot", 0, OPT_STRING, F(plot), .arg = "file.svg",
	    .flags = OPT_NO_TUNE, .why = "tune draws no loss curve" },
	{ "gap", 0, OPT_FLAG, F(gap), .value = 1 },
	{ "quiet", 'q', OPT_FLAG, F(quiet), .value = 1 },
	{ "threads", 0, WHOLE(1, 256), F(train.threads), .arg = "n",
	    .dflt = "all cores" },

	{ "help", 'h', OPT_FLAG, NONE, .id = ID_HELP },
	{ "version", 0, OPT_FLAG, NONE, .id = ID_VERSION, .flags = OPT_NO_TUNE,
	    .why = "try descend --version" },
};

#define NFIT (sizeof(fit_opts) / sizeof(fit_opts[0]))

const struct opt_spec *
cmd_fit_options(size_t *n)
{
	*n = NFIT;
	return fit_opts;
}

static const char *
mode_name(enum train_mode mode)
{
	return mode_words[mode];
}

/* -O: the update rule named arg, or exit 2 saying why not. */
static const struct optimizer *
parse_optimizer(const char *arg)
{
	const struct optimizer *rule = optim_find(arg);

	if (rule == NULL &&
	    (strcmp(arg, "sgd") == 0 || strcmp(arg, "minibatch") == 0))
		cmd_usage_error(
		    "-O/--optimizer: \"%s\" is a mode, not an "
		    "update rule: use -m %s (with -O gd, or any of %s)",
		    arg, arg, optim_names());
	if (rule == NULL)
		cmd_usage_error("-O/--optimizer: \"%s\" is not one of %s", arg,
		    optim_names());
	return rule;
}

/* What fit does with option s of its table beyond storing it. */
static void
take_option(const struct opt_spec *s, const char *arg, const char *word,
    void *dst)
{
	struct fit_options *o = dst;

	(void)word;
	o->given |= s->rules;
	switch (s->id) {
	case ID_HELP:
		fputs(synopsis, stdout);
		fputs(help_head, stdout);
		opt_help_compact(stdout, fit_opts, NFIT);
		fputs(help_tail, stdout);
		exit(EXIT_OK);
	case ID_VERSION:
		cmd_version();
		exit(EXIT_OK);
	case ID_OPTIMIZER:
		o->train.optimizer = parse_optimizer(arg);
		break;
	case ID_LOSS:
		o->train.loss = loss_find(arg);
		break;
	case ID_SCHEDULE:
		o->train.schedule = schedule_find(arg);
		break;
	case ID_DELIMITER:
		o->table.delimiter = cmd_delimiter(arg);
		break;
	case CMD_ID_DECIMAL:
		o->table.decimal_comma = cmd_decimal(arg);
		break;
	case ID_STATS:
		if (o->stats == STATS_NONE)
			o->stats = STATS_TABLE;
		break;
	}
}

/*
 * The settings of the update rules and schedules: the option that sets each
 * (a GIVEN_* bit), the bit of optim.h's `reads` of the rules that read it, and
 * what the warning says when the rule in force does not.
 */
static const struct rule_setting {
	unsigned given, reads;
	const char *flag, *why;
} optim_settings[] = { { GIVEN_MOMENTUM, OPTIM_READS_MOMENTUM, "--momentum",
			   "without -O momentum or nesterov" },
	{ GIVEN_BETA1, OPTIM_READS_BETA1, "--beta1",
	    "without -O adam or adamw" },
	{ GIVEN_BETA2, OPTIM_READS_BETA2, "--beta2",
	    "without -O adam, adamw or rmsprop" },
	{ GIVEN_EPSILON, OPTIM_READS_EPSILON, "--epsilon",
	    "without an adaptive optimizer" },
	{ GIVEN_WEIGHT_DECAY, OPTIM_READS_WEIGHT_DECAY, "--weight-decay",
	    "without -O adamw" },
	{ 0, 0, NULL, NULL } },
  schedule_settings[] = { { GIVEN_DECAY, SCHEDULE_READS_DECAY, "--decay",
			      "without --schedule step or exponential" },
	  { GIVEN_POWER_T, SCHEDULE_READS_POWER_T, "--power-t",
	      "without --schedule invscaling" },
	  { GIVEN_STEP_SIZE, SCHEDULE_READS_STEP_SIZE, "--step-size",
	      "without --schedule step" },
	  { 0, 0, NULL, NULL } };

/* Warn that flag does nothing here, unless quiet. */
static void
ignored(const struct fit_options *o, const char *flag, const char *why)
{
	if (!o->quiet)
		error_warn("warning: %s has no effect %s", flag, why);
}

/* Warn of each of the settings given that reads (the rule's) leaves unread. */
static void
unread(const struct fit_options *o, const struct rule_setting *set,
    unsigned reads)
{
	for (; set->flag != NULL; set++)
		if ((o->given & set->given) && !(reads & set->reads))
			ignored(o, set->flag, set->why);
}

/*
 * The schedule: as given, or by default one that suits the descent. Batch
 * descent on a smooth loss at a safe rate lowers the loss every epoch until
 * rounding hides the progress; halving the rate there would stop it short of
 * the optimum, so it keeps its rate. Noisy and non-smooth descents need the
 * rate to come down as they near the optimum (optim.c says how), and so do the
 * adaptive rules, whose steps stay about the rate in size as the gradient
 * shrinks: at a constant rate they stall short of the optimum or circle it. In
 * batch mode RMSprop (sign like, optim.h) needs plateau's faster halving, but
 * with mini-batch noise plateau halves its rate to nothing, so sampled rows
 * take stagewise; so does MAE with sampled rows (the runs that showed each:
 * tests/bench/README.md, notes from the code).
 */
static void
check_schedule(struct fit_options *o)
{
	struct train_options *t = &o->train;
	if (!(o->given & GIVEN_SCHEDULE)) {
		if ((!t->loss->smooth || t->optimizer->sign_like) &&
		    t->mode == MODE_BATCH)
			t->schedule = schedule_find("plateau");
		else if (t->mode == MODE_BATCH && !t->optimizer->adaptive)
			t->schedule = schedule_find("constant");
		else
			t->schedule = schedule_find("stagewise");
	}
	t->schedule_params.epochs = t->epochs;
	unread(o, schedule_settings, t->schedule->reads);
	if (t->optimizer->step == NULL && (o->given & GIVEN_SCHEDULE))
		ignored(o, "--schedule",
		    "with -O lbfgs (its line search sets the step)");
}

/*
 * The update rule when -O is not given: gd, except in batch mode for a class
 * target or a loss that is not smooth (mae), where it is lbfgs: there batch gd
 * at its safe rate is still far from the optimum after hundreds or thousands
 * of epochs, however its rate is lowered, and L-BFGS (on MAE's smoothed form,
 * train.h) ends close to it in a few hundred iterations (tests/bench/README.md,
 * notes from the code).
 * Not with --l1 (lbfgs takes no proximal step), a --schedule or a -r of the
 * user's, which are gd's.
 */
static void
default_rule(struct fit_options *o)
{
	struct train_options *t = &o->train;

	if ((o->given & (GIVEN_OPTIMIZER | GIVEN_SCHEDULE | GIVEN_RATE)) ||
	    t->mode != MODE_BATCH || t->params.l1 > 0 || o->exact)
		return;
	/* poisson's curvature has no bound (curvature 0): no safe fixed rate.
	 */
	if (!t->loss->smooth || t->loss->target != LOSS_NUMBER ||
	    t->loss->curvature == 0)
		t->optimizer = optim_find("lbfgs");
}

/*
 * RMSprop's default β2: Hinton's RMSprop averaged the squares over about 10
 * steps (1 / (1 − β2)), not the 1000 of Adam's default.
 */
#define RMSPROP_BETA2 0.9

/*
 * --solver exact and cd: what each solves, and the options that cannot go
 * with it (they run no epochs).
 */
static void
check_solver(struct fit_options *o)
{
	struct train_options *t = &o->train;

	if (o->exact) {
		if (t->early_stop || o->log != NULL || o->plot != NULL)
			cmd_usage_error(
			    "--solver %s runs no epochs: %s cannot be "
			    "used with it",
			    solver_words[o->exact],
			    t->early_stop	 ? "--early-stop"
				: o->log != NULL ? "--log"
						 : "--plot");
		if (o->given & (GIVEN_DESCENT | GIVEN_SCHEDULE))
			ignored(o,
			    "gradient descent (-O, -m, -b, -e, -r, --schedule)",
			    o->exact == SOLVER_CD ? "with --solver cd"
						  : "with --solver exact");
	}
	if (o->exact == SOLVER_CD) {
		if (o->table.weight != NULL || t->no_intercept)
			cmd_usage_error("--solver cd solves least squares with "
					"an intercept and without row weights: "
					"%s cannot be used with it",
			    t->no_intercept ? "--no-intercept" : "--weight");
		if (!t->loss->quadratic || o->stats || o->gap)
			cmd_usage_error(
			    "--solver cd solves least squares (-l mse) with "
			    "--l1 and --l2%s",
			    !t->loss->quadratic ? ""
				: o->stats ? "; --stats cannot be used with it"
					   : "; --gap cannot be used with it");
	} else if (o->exact) {
		if (pinball(t->loss) &&
		    (o->table.weight != NULL || t->no_intercept))
			cmd_usage_error(
			    "--solver exact with -l %s solves quantile "
			    "regression with an intercept and without row "
			    "weights: "
			    "%s cannot be used with it (gradient descent can)",
			    t->loss->name,
			    t->no_intercept ? "--no-intercept" : "--weight");
		if (pinball(t->loss) && (t->params.l1 > 0 || t->l2 > 0))
			cmd_usage_error(
			    "--solver exact with -l %s solves quantile "
			    "regression without penalties: %s cannot be used "
			    "with it",
			    t->loss->name, t->params.l1 > 0 ? "--l1" : "--l2");
		if (poisson(t->loss) && (t->params.l1 > 0 || t->l2 > 0))
			cmd_usage_error(
			    "--solver exact with -l poisson solves glm(family "
			    "= poisson) without penalties: %s cannot be used "
			    "with it",
			    t->params.l1 > 0 ? "--l1" : "--l2");
		if (!pinball(t->loss) && !poisson(t->loss) &&
		    (!t->loss->quadratic || t->params.l1 > 0))
			cmd_usage_error(
			    "--solver exact solves least squares (-l mse, "
			    "no --l1), quantile regression (-l mae, -l "
			    "quantile) "
			    "and Poisson regression (-l poisson)");
		if (o->gap)
			cmd_usage_error(
			    "--gap compares gradient descent with the exact "
			    "solution; it cannot be combined with --solver "
			    "exact");
	}
}

/* --stats and --stats-only: the losses and options whose statistics hold. */
static void
check_stats(struct fit_options *o)
{
	struct train_options *t = &o->train;

	if (o->stats && t->loss->target == LOSS_CLASSES)
		cmd_usage_error(
		    "--stats: standard errors and p-values are given for "
		    "-l mse and -l logistic, not yet for -l softmax");
	if (o->stats &&
	    (!(t->loss->quadratic || t->loss->target == LOSS_BINARY ||
		 poisson(t->loss)) ||
		t->params.l1 > 0 || t->l2 > 0))
		cmd_usage_error(
		    "--stats: standard errors and p-values hold for "
		    "least squares (-l mse), logistic (-l logistic) and "
		    "Poisson "
		    "regression (-l poisson) without penalties; with %s the "
		    "classical formulas do not apply",
		    !(t->loss->quadratic || t->loss->target == LOSS_BINARY)
			? t->loss->name
			: t->params.l1 > 0 ? "--l1"
					   : "--l2");
	if (o->stats && t->loss->target == LOSS_BINARY &&
	    (o->table.weight != NULL || t->no_intercept))
		cmd_usage_error(
		    "--stats with -l logistic is not given with %s; -l mse's "
		    "is",
		    t->no_intercept ? "--no-intercept" : "--weight");
	if (t->no_intercept && strcmp(t->loss->name, "poisson") == 0)
		cmd_usage_error("--no-intercept is not given with -l poisson "
				"(its figures are not checked against R's); "
				"-l mse's is");
}

/* --gap: the fits whose exact optimum is known. */
static void
check_gap(struct fit_options *o)
{
	struct train_options *t = &o->train;

	if (o->gap && pinball(t->loss) &&
	    (o->table.weight != NULL || t->no_intercept))
		cmd_usage_error(
		    "--gap with -l %s needs the exact quantile regression, "
		    "which is solved with an intercept and without row weights",
		    t->loss->name);
	if (o->stats == STATS_ONLY && o->cv_only)
		cmd_usage_error(
		    "--stats-only and --cv-only cannot be combined");
	if (o->gap &&
	    (pinball(t->loss) ? t->params.l1 > 0 || t->l2 > 0
			      : !t->loss->quadratic || t->params.l1 > 0))
		cmd_usage_error(
		    "--gap needs the exact optimum, known for -l mse "
		    "without --l1 and for -l mae and -l quantile without "
		    "penalties");
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

	check_solver(o);
	check_stats(o);
	check_gap(o);
	if ((o->given & GIVEN_TAU) && strcmp(t->loss->name, "quantile") != 0)
		cmd_usage_error("--tau needs -l quantile (-l %s has no τ)",
		    t->loss->name);
	if (strcmp(t->loss->name, "quantile") == 0)
		t->delta = o->tau; /* the loss's parameter (loss.h) */
	default_rule(o);
	if (t->optimizer->step == NULL &&
	    (t->mode != MODE_BATCH || t->params.l1 > 0))
		cmd_usage_error("-O lbfgs needs -m batch and no --l1");
	unread(o, optim_settings, t->optimizer->reads);
	if ((o->given & GIVEN_DELTA) && strcmp(t->loss->name, "huber") != 0)
		ignored(o, "--delta", "without -l huber");
	if (t->loss->target != LOSS_NUMBER)
		o->table.labels = &o->labels;
	if (o->positive != NULL && t->loss->target != LOSS_BINARY)
		cmd_usage_error("--positive needs -l logistic");
	if (strcmp(rule, "rmsprop") == 0 && !(o->given & GIVEN_BETA2))
		t->params.beta2 = RMSPROP_BETA2;
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
		with = "--cv",
		why = "each fold is scaled by the other folds' statistics";
	else if (o->drop_duplicates)
		with = "--drop-duplicates", why = "it would remove cached rows";
	else if (o->table.weight != NULL)
		with = "--weight", why = "the cache holds no row weights";
	else if (o->table.missing == MISSING_MEAN)
		with = "--missing mean",
		why = "it would write the means into the "
		      "cached rows";
	else if (o->table.categorical != NULL)
		with = "--categorical", why = "the cache holds numbers only";
	else if (o->na_values != NULL || o->table.decimal_comma)
		with = "--na-values and --decimal",
		why = "the cache does not record them";
	else if (o->train.loss->target != LOSS_NUMBER)
		with = "-l logistic and -l softmax",
		why = "the cache holds a "
		      "numeric target only";
	if (with != NULL)
		cmd_usage_error("--cache cannot be used with %s (%s)", with,
		    why);
	if (o->input == NULL && !o->cache_only)
		cmd_usage_error(
		    "--cache needs the input as a file, not standard "
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
		cmd_usage_error(
		    "--shards cannot be used with --cache (a cache is of "
		    "one CSV file)");
	if (o->shards == NULL && K == 1)
		return;
	if (o->table.categorical != NULL)
		with = "--categorical",
		why = "each part would number the levels it "
		      "meets in its own order";
	else if (o->train.loss->target != LOSS_NUMBER)
		with = "-l logistic and -l softmax",
		why = "each part would find its "
		      "own classes";
	else if (o->table.weight != NULL)
		with = "--weight", why = "row weights are read by one process";
	if (with == NULL && K > 1) {
		if (o->input == NULL && o->shards == NULL)
			cmd_usage_error(
			    "%d ranks read parts of one file: give it as a "
			    "file, not standard input (or give --shards)",
			    K);
		if (o->cache != NULL)
			with = "--cache",
			why = "the cache is one file on one host";
		else if (o->validation > 0)
			with = "--validation",
			why = "the held-out rows would be drawn "
			      "from all ranks";
		else if (o->cv > 0)
			with = "--cv",
			why = "the folds would be drawn from all ranks";
		else if (o->drop_duplicates)
			with = "--drop-duplicates",
			why = "a row's duplicate may be on "
			      "another rank";
		else if (o->table.missing == MISSING_MEAN)
			with = "--missing mean",
			why = "the means would be of one "
			      "rank's rows";
		else if (o->exact == SOLVER_CD)
			with = "--solver cd",
			why = "its moments would be of one rank's rows";
		else if ((o->exact || o->gap) && pinball(o->train.loss))
			with = o->exact
			    ? "--solver exact with -l mae or quantile"
			    : "--gap with -l mae or quantile",
			why =
			    "the exact "
			    "quantile solver needs all the rows in one process";
	}
	if (with != NULL && K > 1)
		cmd_usage_error("%s cannot be used across %d ranks (%s)", with,
		    K, why);
	if (with != NULL)
		cmd_usage_error("--shards cannot be used with %s (%s)", with,
		    why);
	if (cluster_rank() != 0) {
		o->output = o->output ? "/dev/null" : NULL;
		o->log = o->log ? "/dev/null" : NULL;
		o->plot = o->plot ? "/dev/null" : NULL;
	}
}

/* Whether name is one of the comma-separated list's items. */
static int
listed(const char *list, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = list; p != NULL; p = strchr(p, ',')) {
		p += *p == ',';
		if (strncmp(p, name, len) == 0 && (p[len] == ',' || !p[len]))
			return 1;
	}
	return 0;
}

/*
 * -l poisson's options: --offset or --exposure (one column, a name, read as a
 * feature and moved last by place_offset), --allow-fractional; the target
 * check table_read makes.
 */
static void
check_poisson(struct fit_options *o)
{
	const char *col = o->offset ? o->offset : o->exposure;
	char *list;

	if (!poisson(o->train.loss)) {
		if (col != NULL || o->fractional)
			cmd_usage_error("%s needs -l poisson",
			    o->offset	      ? "--offset"
				: col != NULL ? "--exposure"
					      : "--allow-fractional");
		return;
	}
	o->table.counts = o->fractional ? TABLE_RATES : TABLE_COUNTS;
	if (o->given & GIVEN_CONFORMAL)
		cmd_usage_error("--conformal is not given with -l poisson (its "
				"scores would be of the linear predictor, not "
				"of the mean)");
	if (o->offset != NULL && o->exposure != NULL)
		cmd_usage_error(
		    "--offset and --exposure cannot be combined: "
		    "give the offset (log exposure) or the exposure");
	if (col == NULL)
		return;
	if (o->cache != NULL)
		cmd_usage_error("--%s cannot be used with --cache",
		    o->offset ? "offset" : "exposure");
	if (o->table.features != NULL && !listed(o->table.features, col)) {
		list = xcalloc(strlen(o->table.features) + strlen(col) + 2, 1);
		sprintf(list, "%s,%s", o->table.features, col);
		o->table.features = list; /* kept for the run */
	}
}

/*
 * --init's file into o->start: the weights CSV, or the JSON of fit --format
 * json, which model_read reads alike. Exits on failure.
 */
static void
load_start(struct fit_options *o)
{
	struct error e;
	int fd = cmd_open_input(o->init), status;

	status = model_read(fd, o->init, &o->start, &e);
	if (fd != STDIN_FILENO)
		close(fd);
	if (status != 0)
		error_exit(&e);
}

/*
 * --interact, --poly and --cross: what they cannot be combined with. --init,
 * --keep-scaling and --save-scaling: what they need and cannot be
 * combined with; the starting model read; and, unless quiet, what does not
 * carry over from the fit that wrote it.
 */
static void
check_init(struct fit_options *o)
{
	const struct optimizer *rule = o->train.optimizer;

	if ((o->interact != NULL || o->poly != NULL || o->cross != NULL) &&
	    (o->cache != NULL || o->shards != NULL || cluster_size() > 1))
		cmd_usage_error(
		    "--interact, --poly and --cross cannot be used with %s "
		    "(the products are made from the rows in memory)",
		    o->cache != NULL ? "--cache" : "--shards or ranks");
	if (o->keep_scaling && o->init == NULL)
		cmd_usage_error("--keep-scaling needs --init FILE");
	if (o->init == NULL)
		return;
	if (poisson(o->train.loss))
		cmd_usage_error(
		    "--init is not given with -l poisson (its start "
		    "from a Poisson model is not checked yet)");
	if (strcmp(o->init, "-") == 0 && o->input == NULL && o->shards == NULL)
		cmd_usage_error(
		    "--init - reads the weights from standard input, which "
		    "then cannot also give the data: name the data's file");
	if (o->keep_scaling && o->cache != NULL)
		cmd_usage_error(
		    "--keep-scaling cannot be used with --cache (the cached "
		    "rows come scaled by their own statistics)");
	load_start(o);
	o->train.warm = 1;
	if (o->quiet)
		return;
	if (o->exact)
		ignored(o, "--init", "with --solver exact (it solves exactly)");
	else if (rule->step == NULL || rule->state_per_weight > 0)
		error_warn(
		    "--init: the weights start from %s; the state of -O %s "
		    "(%s) "
		    "starts afresh, as does the schedule",
		    o->init, rule->name,
		    rule->step == NULL
			? "its curvature pairs"
			: "its running averages of the gradient");
	else if (strcmp(o->train.schedule->name, "constant") != 0)
		error_warn(
		    "--init: the weights start from %s; the schedule (%s) "
		    "starts again from its first epoch",
		    o->init, o->train.schedule->name);
}

static void
parse_options(int argc, char **argv, struct fit_options *o)
{
	struct error e;

	*o = (struct fit_options){
		.log_every = 1,
		.table = { .header = 1, .threads = parallel_processors() },
		.train = { .loss = loss_find("mse"),
		    .optimizer = optim_find("gd"),
		    .mode = MODE_BATCH,
		    .batch_size = 32,
		    .epochs = 100,
		    .seed = 1,
		    .delta = 1.35,
		    .params = OPTIM_PARAMS_DEFAULT,
		    .schedule_params = { .decay = (double)NAN },
		    .optimum = (double)NAN,
		    .threads = parallel_processors() },
		.scaling = SCALE_ZSCORE,
		.conf = 0.95,
		.tau = 0.5,
	};
	cmd_options(argc, argv, fit_opts, NFIT, o, synopsis, take_option);
	o->table.threads = o->train.threads;
	if (table_na_values(o->na_values, &e) != 0)
		error_exit(&e);
	if (o->quiet)
		cmd_quiet = 1;
	if (o->table.features != NULL && o->table.drop != NULL)
		cmd_usage_error("-x and --drop cannot be combined");
	if (o->train.early_stop && o->validation == 0)
		cmd_usage_error("--early-stop needs --validation");
	if (o->cv && o->validation > 0)
		cmd_usage_error("--cv and --validation cannot be combined");
	if (o->drop_duplicates && o->table.weight != NULL)
		cmd_usage_error(
		    "--drop-duplicates cannot be used with --weight (give a "
		    "repeated row its count as a weight instead)");
	if (o->cv_only && o->cv == 0)
		cmd_usage_error("--cv-only needs --cv");
	check_conformal(o);
	check_intervals(o);
	if (o->cv_only && o->plot != NULL)
		cmd_usage_error(
		    "--cv-only trains no final model: --plot cannot be "
		    "used with it");
	if (o->cv_only && o->format == MODEL_JSON)
		cmd_usage_error(
		    "--format json writes the weights or the --stats-only "
		    "table; --cv-only writes the folds' scores as CSV");
	if (o->train.epochs == 0 && o->init == NULL)
		cmd_usage_error(
		    "-e/--epochs: 0 trains nothing; it needs --init FILE "
		    "(whose model is then written back)");
	if (o->train.tol > 0 && o->train.early_stop == 0)
		cmd_usage_error("--tol needs --early-stop");
	o->input = cmd_input(argc, argv, synopsis);
	o->table.name = o->input ? o->input : o->shards ? o->shards : "<stdin>";
	check_training(o);
	check_poisson(o);
	check_cluster(o);
	check_cache(o);
	check_init(o);
	if (o->log != NULL && strcmp(o->log, "-") == 0 &&
	    (o->output == NULL || strcmp(o->output, "-") == 0))
		cmd_usage_error(
		    "--log - and the weights would both go to standard "
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

/* The first SIGINT or SIGTERM stops training after its step; a second one
 * kills. */
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
	FILE *table;		  /* stderr, or NULL when quiet */
	unsigned long every;	  /* the table's spacing (--log-every); 0:
				     auto, see shown() */
	unsigned long next;	  /* auto: the next epoch it shows */
	struct epoch_report held; /* the last epoch not shown, for the end */
	FILE *log;		  /* --log file, or NULL */
	int columns;		  /* REPORT_VAL, REPORT_GAP */
	struct report_curves *curves;  /* --plot's, or NULL */
	struct progress meter;	       /* of the epoch running */
	unsigned long epochs;	       /* in all, for the meter */
	unsigned long long reduced[2]; /* cluster_reduced_bytes after the
					  first and the last epoch */
	unsigned long first, last;     /* those epochs */
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

/* Within an sgd or mini-batch epoch: redraw the meter, if it is on and time to.
 */
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
 * A meter on stderr for reading fd, named name, whose size is known when it is
 * a regular file; what (of size bytes) holds its text.
 */
static void
start_load_meter(struct progress *p, int fd, const char *name, int quiet,
    char *what, size_t size)
{
	struct stat st;
	off_t at = lseek(fd, 0, SEEK_CUR);
	unsigned long long total = 0;
	char clean[256];

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && at >= 0 &&
	    st.st_size > at)
		total = (unsigned long long)(st.st_size - at);
	error_clean(clean, sizeof(clean), name);
	snprintf(what, size, "reading %s", clean);
	progress_start(p, STDERR_FILENO, what, total, quiet);
}

/*
 * Whether class labels c read as a measurement: all numbers, and some not
 * whole, or more than 20 whole ones (a column of codes, such as 4, 6, 8
 * cylinders, can be classes).
 */
static int
measured(const struct category *c)
{
	int fraction = 0;

	for (size_t k = 0; k < c->nlevels; k++) {
		double v;

		if (num_parse(c->level[k], strlen(c->level[k]), &v) != NUM_OK)
			return 0;
		if (v != floor(v))
			fraction = 1;
	}
	return fraction || c->nlevels > 20;
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
		error_die(EXIT_INPUT,
		    "%s: the target \"%s\" has one class, \"%s\"; "
		    "classification needs two or more",
		    o->table.name, target, c->level[0]);
	if (c->nlevels > 2 && measured(c))
		error_die(EXIT_INPUT,
		    "%s: the target \"%s\" has %zu distinct numbers, not "
		    "class labels: it is a measurement, not a class column "
		    "(for a numeric target use -l mse, the default, or "
		    "another loss for numbers)",
		    o->table.name, target, c->nlevels);
	if (o->train.loss->target == LOSS_BINARY && c->nlevels > 2)
		error_die(EXIT_INPUT,
		    "%s: the target \"%s\" has %zu classes; -l logistic "
		    "needs two (-l softmax takes any number)",
		    o->table.name, target, c->nlevels);
	if (o->train.loss->target != LOSS_BINARY)
		return;
	if (o->positive != NULL &&
	    (positive = category_find(c, o->positive)) == (size_t)-1)
		error_die(EXIT_USAGE,
		    "--positive: \"%s\" is not a class of \"%s\" "
		    "(its classes: \"%s\", \"%s\")",
		    o->positive, target, c->level[0], c->level[1]);
	if (positive == 0) {
		char *first = c->level[0];

		c->level[0] = c->level[1];
		c->level[1] = first;
		for (size_t i = 0; i < ds->n; i++)
			dataset_row(ds, i)[ds->d] = 1 - dataset_target(ds, i);
	}
	if (!o->quiet)
		error_warn(
		    "logistic regression of \"%s\": the positive class is "
		    "\"%s\", "
		    "the other \"%s\"%s",
		    target, c->level[1], c->level[0],
		    o->positive ? ""
				: " (the second in sorted order; see "
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
		error_warn("left out %zu row%s with missing values", dropped,
		    dropped == 1 ? "" : "s");
	if (o->drop_duplicates && (dropped = dataset_drop_duplicates(ds)) > 0 &&
	    !o->quiet)
		error_warn("left out %zu duplicate row%s", dropped,
		    dropped == 1 ? "" : "s");
	if ((n = dataset_rows_across_ranks(ds)) < 2)
		error_die(EXIT_INPUT,
		    "%s: only %zu data row%s left; at least 2 are needed",
		    o->table.name, n, n == 1 ? "" : "s");
}

/* table_read's row sink here: the first row ends the reading. */
static int
stop_reading(void *ctx, const double *row, struct error *e)
{
	(void)ctx;
	(void)row;
	return error_set(e, EXIT_INPUT, "stop");
}

/*
 * Whether the target is the last column of the input file, read from its
 * header (table_read stopped at the first row, the input decompressed as the
 * load does): for a fit from a cache, which holds the columns used but not
 * the input's. 1 when it cannot be told (--cache-only without the file).
 */
static int
target_is_last(const struct fit_options *o)
{
	struct table_options h = o->table;
	struct cmd_data data;
	struct dataset ds;
	struct error e;
	int last = 1, raw, fd, quiet = cmd_quiet;

	if (o->input == NULL || (raw = open(o->input, O_RDONLY)) == -1)
		return 1;
	cmd_quiet = 1; /* the load said how the delimiter was found */
	fd = cmd_data_open(&data, raw, o->table.name, &h.delimiter,
	    h.decimal_comma);
	cmd_quiet = quiet;
	h.target_last = &last;
	h.labels = NULL;
	h.categorical = NULL;
	h.categories = NULL;
	h.ncategories = NULL;
	h.dropped = NULL;
	h.progress = NULL;
	h.row_sink = stop_reading;
	h.range = NULL;
	h.threads = 1;
	if (table_read(fd, &h, &ds, &e) == 0)
		dataset_free(&ds);
	(void)input_close(&data.in, &e);
	close(raw);
	return last;
}

/*
 * A text target under a loss for numbers: when the input is a regular file,
 * read it again with the target as class labels, and, if that reads, put the
 * loss that fits the number of classes in e's message in place of
 * TABLE_TEXT_TARGET's two; when some labels are numbers (a stray text in a
 * numeric target), no hint. Any other failure leaves e as it is.
 */
static void
text_target_hint(const struct fit_options *o, int fd, struct error *e)
{
	struct table_options again = o->table;
	struct category labels;
	struct dataset ds;
	struct error e2;
	struct stat st;
	char *at = strstr(e->msg, TABLE_TEXT_TARGET);
	size_t n, left;

	if (at == NULL || o->table.labels != NULL || fstat(fd, &st) != 0 ||
	    !S_ISREG(st.st_mode) || lseek(fd, 0, SEEK_SET) != 0)
		return;
	again.labels = &labels;
	again.dropped = NULL;
	again.categories = NULL;
	again.ncategories = NULL;
	again.progress = NULL;
	if (table_read(fd, &again, &ds, &e2) != 0)
		return;
	n = labels.nlevels;
	for (size_t k = 0; k < labels.nlevels && n > 0; k++) {
		double v;

		if (num_parse(labels.level[k], strlen(labels.level[k]), &v) ==
		    NUM_OK)
			n = 0; /* numbers with a stray text: no classes */
	}
	dataset_free(&ds);
	category_free(&labels);
	left = sizeof(e->msg) - (size_t)(at - e->msg);
	if (n == 0 && at > e->msg)
		at[-1] = '\0';
	else if (n == 2)
		snprintf(at, left,
		    "(the target has 2 classes: fit them with "
		    "-l logistic)");
	else
		snprintf(at, left,
		    "(the target has %zu classes: fit them with -l softmax)",
		    n);
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
	struct cmd_data data;
	size_t dropped;
	int raw = cmd_open_input(o->input), status, fd;
	char what[300];

	fd = cmd_data_open(&data, raw, o->table.name, &o->table.delimiter,
	    o->table.decimal_comma);
	start_load_meter(&meter, fd, o->table.name, o->quiet, what,
	    sizeof(what));
	o->table.dropped = &dropped;
	o->table.progress = on_load_progress;
	o->table.progress_ctx = &meter;
	status = table_read(fd, &o->table, ds, &e);
	progress_end(&meter);
	o->table.progress = NULL;
	if (status != 0)
		text_target_hint(o, fd, &e);
	cmd_data_close(&data, status, &e);
	if (raw != STDIN_FILENO)
		close(raw);
	after_read(o, ds, dropped);
	if (o->table.labels != NULL)
		check_classes(o, ds);
}

/*
 * --offset or --exposure: move that feature column of ds to the last place
 * (the categorical columns' indices after it follow), taking the log of an
 * exposure, and mark ds's last feature as the offset (dataset.h). Exits 2 when
 * the column is not a numeric feature of the input, 1 for an exposure ≤ 0.
 */
static void
place_offset(const struct fit_options *o, struct dataset *ds,
    struct category *cats, size_t ncats)
{
	const char *col = o->offset ? o->offset : o->exposure;
	size_t d = ds->d, j;
	char *name;

	if (col == NULL)
		return;
	for (j = 0; j < d && strcmp(ds->names[j], col) != 0; j++)
		;
	if (j == d)
		error_die(EXIT_USAGE,
		    "%s: --%s \"%s\" is not a numeric feature column of "
		    "the input (give its name from the header)",
		    o->table.name, o->offset ? "offset" : "exposure", col);
	for (size_t i = 0; i < ds->n; i++) {
		double *row = dataset_row(ds, i), v = row[j];

		if (o->exposure != NULL && !(v > 0))
			error_die(EXIT_INPUT,
			    "%s: data row %zu: exposure \"%s\" is %g; "
			    "--exposure takes its log and needs values > 0",
			    o->table.name, i + 1, col, v);
		memmove(row + j, row + j + 1, (d - 1 - j) * sizeof(double));
		row[d - 1] = o->exposure != NULL ? log(v) : v;
	}
	name = ds->names[j];
	memmove(ds->names + j, ds->names + j + 1, (d - 1 - j) * sizeof(char *));
	ds->names[d - 1] = name;
	for (size_t c = 0; c < ncats; c++) {
		if (cats[c].nlevels > 0 && cats[c].first > j)
			cats[c].first--;
	}
	ds->offset = 1;
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

	if (o->table.delimiter == 0)
		o->table.delimiter = ','; /* no detection across ranks */
	if (shard_read(o->input, o->shards, &o->table, ds, &dropped, &cut,
		&e) != 0)
		error_exit(&e);
	if (!cut && !o->quiet)
		error_warn(
		    "warning: %s has a quoted field or CR line ends, so it "
		    "cannot "
		    "be cut at newlines: rank 0 reads all of its rows "
		    "(--shards "
		    "would spread them)",
		    o->table.name);
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
		.delimiter = o->table.delimiter,
		.header = o->table.header,
		.missing = (int)o->table.missing,
		.scaling = (int)o->scaling,
		.target = o->table.target,
		.features = o->table.features,
		.drop = o->table.drop };
}

/* Where table_read sends the rows while a cache is built. */
struct cache_sink {
	struct cache_writer *w;
	const struct dataset *ds; /* the columns, once the first record is read
				   */
	int started;		  /* cache_columns has been called */
};

static int
on_cache_row(void *ctx, const double *row, struct error *e)
{
	struct cache_sink *s = ctx;

	if (!s->started) {
		if (cache_columns(s->w, s->ds->d,
			(const char *const *)s->ds->names, e) != 0)
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
build_cache(struct fit_options *o, int raw, const struct cache_key *key)
{
	struct cache_writer w;
	struct dataset columns;
	struct cache_sink sink = { .w = &w, .ds = &columns };
	struct progress meter;
	struct cmd_data data;
	struct error e;
	size_t dropped = 0;
	int status, fd;
	char what[300];

	if (cache_create(&w, o->cache, key, &e) != 0)
		error_exit(&e);
	fd = cmd_data_open(&data, raw, o->table.name, &o->table.delimiter,
	    o->table.decimal_comma);
	start_load_meter(&meter, fd, o->table.name, o->quiet, what,
	    sizeof(what));
	o->table.dropped = &dropped;
	o->table.progress = on_load_progress;
	o->table.progress_ctx = &meter;
	o->table.row_sink = on_cache_row;
	o->table.row_sink_ctx = &sink;
	status = table_read(fd, &o->table, &columns, &e);
	progress_end(&meter);
	o->table.progress = NULL;
	o->table.row_sink = NULL;
	/* A decompression that failed: the rows were not all the file's. */
	if (input_close(&data.in, &e) != 0)
		status = -1;
	if (status != 0) {
		cache_abort(&w);
		cmd_data_close(&data, status, &e);
	}
	dataset_free(&columns);
	if (cache_commit(&w, (int)o->scaling, &e) != 0)
		error_exit(&e);
	if (dropped > 0 && !o->quiet)
		error_warn("left out %zu row%s with missing values", dropped,
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
			error_die_errno(EXIT_INPUT, "%s", o->input);
		cache_key_of(o, &st, &key);
		found = cache_open(o->cache, &key, ds, scaler, &e);
		if (found == CACHE_FOREIGN) {
			error_set(&e, EXIT_INPUT,
			    "%s: not a descend cache; --cache "
			    "does not overwrite it",
			    o->cache);
			error_exit(&e);
		}
		if (found == CACHE_BAD && !o->quiet)
			error_warn("warning: %s; rebuilding it", e.msg);
		if (found != CACHE_OK) {
			fd = cmd_open_input(o->input);
			if (fstat(fd, &st) != 0)
				error_die_errno(EXIT_INPUT, "%s", o->input);
			cache_key_of(o, &st, &key);
			build_cache(o, fd, &key);
			close(fd);
			if (cache_open(o->cache, &key, ds, scaler, &e) !=
			    CACHE_OK)
				error_exit(&e);
			how = "wrote";
		}
	}
	if (!o->quiet)
		error_warn("%s the cache %s (%zu rows, %zu features)", how,
		    o->cache, ds->n, ds->d);
}

/*
 * --poly, --interact and --cross: the products they name appended to ds's
 * features (terms.h), computed from the rows already parsed. Exits on failure.
 */
static void
add_terms(const struct fit_options *o, struct dataset *ds)
{
	struct term_product *t;
	struct dataset out;
	struct error e;
	size_t n;

	if (o->interact == NULL && o->poly == NULL && o->cross == NULL)
		return;
	if (terms_parse(ds, o->poly, o->interact, o->cross, &t, &n, &e) != 0)
		error_exit(&e);
	if (terms_append(ds, t, n, &out, &e) != 0) {
		free(t);
		error_exit(&e);
	}
	free(t);
	out.classes = ds->classes;
	dataset_free(ds);
	*ds = out;
}

/* The closing lines on stderr. */
static void
summarize(const struct fit_options *o, const struct train_result *r,
    size_t rows, size_t val_rows, size_t features)
{
	char constant[96], label[64];

	/* Logistic's best constant is the share of its positive class, named.
	 */
	snprintf(constant, sizeof(constant), "%s",
	    o->train.no_intercept ? "0: no intercept"
				  : o->train.loss->constant);
	if (o->train.loss->target == LOSS_BINARY && o->labels.nlevels == 2) {
		error_clean(label, sizeof(label), o->labels.level[1]);
		snprintf(constant, sizeof(constant), "share of \"%s\"", label);
	}
	report_summary(stderr,
	    &(struct fit_summary){ .epochs = r->epochs,
		.mode = mode_name(o->train.mode),
		.loss = o->train.loss->name,
		.constant = constant,
		.rate = r->learning_rate,
		.rate_auto = o->train.learning_rate == 0,
		.rows = rows,
		.features = features,
		.loss_value = r->loss,
		.constant_loss = r->initial_loss,
		.val_rows = val_rows,
		.val_loss = r->val_loss,
		.best_epoch = o->train.early_stop ? r->best_epoch : 0,
		.stopped_early = r->stopped_early,
		.optimizer = strcmp(o->train.optimizer->name, "gd") == 0
		    ? NULL
		    : o->train.optimizer->name,
		.result = o->exact ? NULL : r,
		.schedule = o->train.schedule->name,
		.quadratic = o->train.loss->quadratic,
		.exact = o->exact,
		.rank = r->rank,
		.terms = features + 1,
		.penalized = o->train.l2 > 0 || o->train.params.l1 > 0,
		.objective = r->objective,
		.classification = o->train.loss->target != LOSS_NUMBER,
		.accuracy = r->accuracy,
		.val_accuracy = r->val_accuracy });
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

	fprintf(stderr,
	    "descend: %zu row%s, %zu feature%s; exact quantile "
	    "regression (tau %g) by interior point, %lu iteration%s, and %lu "
	    "simplex step%s; rank %zu of %zu terms\n",
	    rows, rows == 1 ? "" : "s", features, features == 1 ? "" : "s",
	    quantile_fit.tau, quantile_fit.iterations,
	    quantile_fit.iterations == 1 ? "" : "s", quantile_fit.pivots,
	    quantile_fit.pivots == 1 ? "" : "s", quantile_fit.rank,
	    quantile_fit.terms);
	fprintf(stderr,
	    "descend: final %s %.10g; best constant (%s) %.10g; "
	    "%.2f%% lower\n",
	    loss, r->loss, o->train.loss->constant, r->initial_loss,
	    r->initial_loss > 0 ? 100 * (1 - r->loss / r->initial_loss) : 0);
	if (val_rows > 0)
		fprintf(stderr, "descend: validation %s %.10g (%zu row%s)\n",
		    loss, r->val_loss, val_rows, val_rows == 1 ? "" : "s");
	if (!quantile_fit.optimal)
		fprintf(stderr,
		    "descend: warning: this vertex is not proved "
		    "optimal: its dual certificate fails and no simplex step "
		    "lowers the %s (the interior point's %.10g)\n",
		    loss, quantile_fit.interior);
	if (quantile_fit.zero_rows > quantile_fit.rank)
		fprintf(stderr,
		    "descend: degenerate solution: %zu rows are fitted "
		    "exactly, more than the %zu terms\n",
		    quantile_fit.zero_rows, quantile_fit.rank);
	if (quantile_fit.optimal && quantile_fit.nonunique)
		fprintf(stderr,
		    "descend: the solution may be non-unique: a row "
		    "fitted exactly has its dual value at a bound, so other "
		    "weights may have the same %s\n",
		    loss);
	else if (quantile_fit.optimal)
		fprintf(stderr,
		    "descend: optimal and unique: the dual certificate "
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
		per_epoch =
		    (s->reduced[1] - s->reduced[0]) / (s->last - s->first);
	fprintf(stderr,
	    "descend: %d ranks of %.0f to %.0f rows; %llu bytes "
	    "allreduced a rank per epoch, %llu in all\n",
	    cluster_size(), least, most, per_epoch, cluster_reduced_bytes());
}

/*
 * A huber δ below this fraction of the target's standard deviation is warned
 * of: huber is then nearly MAE, and slow.
 */
#define HUBER_DELTA_MIN_SD 0.01

static void
warn_data(const struct fit_options *o, const struct dataset *ds,
    const struct scaler *s)
{
	if (o->quiet)
		return;
	for (size_t j = 0; j < ds->d; j++)
		if (scaler_is_constant(s, j))
			error_warn(
			    "warning: column \"%s\" is constant; its weight is "
			    "0",
			    ds->names[j]);
	if (dataset_rows_across_ranks(ds) <= ds->d)
		error_warn(
		    "warning: %zu rows for %zu weights; the weights are not "
		    "unique",
		    dataset_rows_across_ranks(ds), ds->d + 1);
	/* δ is in the target's units: 1.35 suits a target of sd about 1. */
	if (strcmp(o->train.loss->name, "huber") == 0 &&
	    o->train.delta < HUBER_DELTA_MIN_SD * dataset_target_sd(ds))
		error_warn(
		    "warning: --delta %g is under 1%% of the target's standard "
		    "deviation (%.3g): huber is then nearly MAE, and slow; "
		    "give "
		    "--delta in the target's units",
		    o->train.delta, dataset_target_sd(ds));
}

/*
 * With --weight: each of the rows trained on (train) and those held out (val,
 * or NULL) has its own weighted means (dataset_weigh); exits if the rows
 * trained on weigh nothing in all.
 */
static void
weigh(const struct fit_options *o, struct dataset *train, struct dataset *val)
{
	if (train->rw == NULL)
		return;
	if (dataset_weigh(train) == 0)
		error_die(EXIT_INPUT,
		    "%s: every row trained on has weight 0 (--weight %s)",
		    o->table.name, o->table.weight);
	if (val != NULL)
		dataset_weigh(val);
}

/*
 * With --validation, put the rows in a seeded random order and hold out the
 * last fraction of them: train and val are views into ds. Exits if either part
 * would be too small.
 */
static void
split(const struct fit_options *o, struct dataset *ds, struct dataset *train,
    struct dataset *val)
{
	size_t ntrain;

	if (cv_split(ds, o->validation, o->train.seed, train, val, &ntrain) !=
	    0)
		error_die(EXIT_INPUT,
		    "%s: --validation %g of %zu rows leaves %zu to train "
		    "on; at least 2 are needed",
		    o->table.name, o->validation, ds->n, ntrain);
	weigh(o, train, val);
}

/*
 * Warn (unless quiet) of each column the solution sol found aliased, unless it
 * is constant (those have had their warning); consequence says what follows.
 */
static void
warn_aliased(const struct fit_options *o, const struct solution *sol,
    const struct scaler *scaler, const struct dataset *ds,
    const char *consequence)
{
	for (size_t j = 1; !o->quiet && j < sol->p; j++)
		if (sol->aliased[j] && !scaler_is_constant(scaler, j - 1))
			error_warn(
			    "warning: column \"%s\" is a linear combination of "
			    "the columns before it (aliased); %s",
			    ds->names[j - 1], consequence);
}

/*
 * Below this reciprocal condition number of the kept columns, rounding alone
 * may leave fewer than 8 of a double's 16 digits in the weights, and the user
 * is told. Of the NIST StRD problems only Filip (degree 10; 2.0e-10 once its
 * powers are scaled, and 7.3 correct digits) is below it.
 */
#define WARN_RCOND 1e-8

/* Warn (unless quiet) when the kept columns of sol are nearly dependent. */
static void
warn_conditioning(const struct fit_options *o, const struct solution *sol)
{
	if (o->quiet || !(sol->rcond < WARN_RCOND))
		return;
	error_warn(
	    "warning: the columns kept are nearly linear combinations of "
	    "each other (condition number about %.1e, after scaling): rounding "
	    "may "
	    "leave as few as %.0f correct digits in the weights",
	    1 / sol->rcond, fmax(0, 16 + log10(sol->rcond)));
}

/*
 * The exact minimum of MSE (+ λ2·‖w‖²) on train, scaled, into w and result as
 * if training (with t's penalty and validation rows) had reached it in 0
 * epochs; warns (when loud and not quiet) of aliased columns that are not
 * constant (those have had their warning). The solution goes into keep when not
 * NULL (for --stats), else is freed. Exits on failure.
 */
static void
solve_exactly(const struct fit_options *o, const struct train_options *t,
    const struct dataset *train, const struct scaler *scaler, double *w,
    struct train_result *result, int loud, struct solution *keep)
{
	struct solution sol;
	struct error e;
	double *constant = xcalloc(train->d + 1, sizeof(double));

	if (solve_weighted(train, t->l2, train->rw, !t->no_intercept,
		t->threads, &sol, &e) != 0)
		error_exit(&e);
	if (loud) {
		warn_aliased(o, &sol, scaler, train, "its weight is 0");
		warn_conditioning(o, &sol);
	}
	memcpy(w, sol.w, sol.p * sizeof(double));
	/* The best constant: the (weighted) mean, or 0 without an intercept. */
	if (!t->no_intercept)
		constant[0] = loss_start_value(t->loss, t->delta, train);
	*result = (struct train_result){ .loss = sol.rss / sol.weight_sum,
		.objective = sol.objective,
		.initial_loss = train->rw == NULL && !t->no_intercept
		    ? pow(dataset_target_sd(train), 2)
		    : loss_mean(t->loss, t->delta, train, NULL, 0, constant),
		.val_loss = t->validation
		    ? loss_mean(t->loss, t->delta, t->validation, NULL, 0, w)
		    : (double)NAN,
		.rank = sol.rank };
	if (keep != NULL)
		*keep = sol;
	else
		solution_free(&sol);
	free(constant);
}

/*
 * The maximum-likelihood Poisson regression on train (scaled) by Newton's
 * method as R's glm (summary_poisson_fit), into w and result as solve_exactly
 * does; the offset's weight, if any, 1. Exits on failure.
 */
static void
solve_poisson_exactly(const struct train_options *t,
    const struct dataset *train, double *w, struct train_result *result)
{
	struct glm_fit g;
	struct error e;
	double *start;

	if (summary_poisson_fit(train, !t->no_intercept, &g, &e) != 0)
		error_exit(&e);
	memcpy(w, g.beta, g.p * sizeof(double));
	if (train->offset)
		w[train->d] = 1;
	*result = (struct train_result){ .loss = loss_mean(t->loss, t->delta,
					     train, NULL, 0, w),
		.val_loss = t->validation
		    ? loss_mean(t->loss, t->delta, t->validation, NULL, 0, w)
		    : (double)NAN,
		.rank = g.rank };
	result->objective = result->loss;
	/* The loss of the best constant, as training would start from. */
	start = xcalloc(train->d + 1, sizeof(double));
	loss_start(t->loss, 0, train, start);
	result->initial_loss =
	    loss_mean(t->loss, t->delta, train, NULL, 0, start);
	free(start);
	glm_fit_free(&g);
}

/*
 * The minimum of MSE + λ1·‖w‖₁ + λ2·‖w‖₂² on train, scaled, by coordinate
 * descent (cd.h) into w and result as solve_exactly does; the epochs are its
 * sweeps. cd_solve minimizes 1/(2n)·RSS + a·‖β‖₁ + (b/2)·‖β‖₂², half of
 * fit's objective when a = λ1/2 and b = λ2. Exits if it does not converge.
 */
static void
solve_by_cd(const struct train_options *t, const struct dataset *train,
    double *w, struct train_result *result)
{
	struct cd_problem pb;
	struct cd_stats st;
	size_t d = train->d;

	cd_moments(&pb, train, NULL, train->n);
	memset(w, 0, (d + 1) * sizeof(double));
	cd_solve(&pb, t->params.l1 / 2, t->l2, w + 1, CD_FIT_SWEEPS, &st);
	if (!st.converged)
		error_die(EXIT_DIVERGED,
		    "--solver cd: coordinate descent did not converge in %lu "
		    "sweeps",
		    st.sweeps);
	w[0] = pb.ybar;
	for (size_t j = 0; j < d; j++)
		w[0] -= pb.xbar[j] * w[1 + j];
	cd_free(&pb);
	*result = (struct train_result){ .epochs = st.sweeps,
		.loss = loss_mean(t->loss, t->delta, train, NULL, 0, w),
		.initial_loss = pow(dataset_target_sd(train), 2),
		.val_loss = t->validation
		    ? loss_mean(t->loss, t->delta, t->validation, NULL, 0, w)
		    : (double)NAN };
	result->objective = train_objective(t, result->loss, w, d, 1);
}

/*
 * The exact minimum of mae or quantile's pinball loss on train (scaled; neither
 * loss changes with the scaling of the features) by quantile regression, into w
 * and result as solve_exactly does: τ is --tau, ½ for mae, whose loss |r| is
 * twice the pinball loss at ½. The final fit (loud) warns of aliased columns
 * and keeps what the summary says in quantile_fit. Exits on failure.
 */
#define MAE_TAU 0.5

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

	if (solve_quantile(train, mae ? MAE_TAU : t->delta, t->threads, &sol,
		&e) != 0)
		error_exit(&e);
	for (size_t j = 1; loud && !o->quiet && j < sol.p; j++)
		if (sol.aliased[j] && !scaler_is_constant(scaler, j - 1))
			error_warn(
			    "warning: column \"%s\" is a linear combination of "
			    "the columns before it (aliased); its weight is 0",
			    train->names[j - 1]);
	memcpy(w, sol.w, sol.p * sizeof(double));
	constant[0] = loss_start_value(t->loss, t->delta, train);
	*result = (struct train_result){ .loss = (mae ? 2 : 1) * sol.objective,
		.objective = (mae ? 2 : 1) * sol.objective,
		.initial_loss =
		    loss_mean(t->loss, t->delta, train, NULL, 0, constant),
		.val_loss = t->validation
		    ? loss_mean(t->loss, t->delta, t->validation, NULL, 0, w)
		    : (double)NAN,
		.rank = sol.rank };
	if (loud)
		quantile_fit = (struct quantile_fit){ .tau = sol.tau,
			.iterations = sol.iterations,
			.pivots = sol.pivots,
			.zero_rows = sol.zero_rows,
			.rank = sol.rank,
			.terms = sol.p,
			.optimal = sol.optimal,
			.nonunique = sol.nonunique,
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

	if (!pinball(t->loss) || t->l2 > 0 || t->params.l1 > 0 ||
	    train->rw != NULL || t->no_intercept || train->spread ||
	    !isnan(result->cert.rel_gap) ||
	    (double)train->n * (double)(train->d + 1) > PINBALL_CERTIFY_CELLS)
		return;
	if (solve_quantile(train, scale == 2 ? MAE_TAU : t->delta, t->threads,
		&sol, &e) != 0)
		return;
	optimum = scale * sol.objective;
	if (sol.optimal)
		result->cert.rel_gap = optimum > 0
		    ? (result->objective - optimum) / optimum
		    : result->objective > 0 ? (double)INFINITY
					    : 0;
	quantile_solution_free(&sol);
}

/*
 * --keep-scaling: the shift and scale of each feature that --init's file gives
 * them replace the new data's in s (a feature the file lacks keeps the new
 * data's); exits if the file has no such columns.
 */
static void
keep_scaling(const struct fit_options *o, const struct dataset *ds,
    struct scaler *s)
{
	const struct model *m = &o->start;

	if (m->shift == NULL)
		error_die(EXIT_INPUT,
		    "%s: --keep-scaling needs the shift and scale columns, "
		    "which this weights file lacks (fit it with "
		    "--save-scaling)",
		    o->init);
	for (size_t k = 1; k < m->nterms; k++)
		for (size_t j = 0; j < ds->d; j++)
			if (strcmp(m->term[k], ds->names[j]) == 0 &&
			    !isnan(m->shift[k]) && !isnan(m->scale[k])) {
				s->shift[j] = m->shift[k];
				s->scale[j] = m->scale[k];
			}
}

/* The class labels of o's target: the file's must be these, in order. */
static int
same_classes(const struct fit_options *o, const struct model *m)
{
	if (m->nclasses != o->labels.nlevels)
		return 0;
	for (size_t c = 0; c < m->nclasses; c++)
		if (strcmp(m->classes[c], o->labels.level[c]) != 0)
			return 0;
	return 1;
}

/*
 * --init: the weights of the file mapped onto ds's features as scaler scales
 * them, into w (outputs blocks of d + 1). Terms are matched by name; a feature
 * the file lacks starts at 0; a term the data lack is an error unless its
 * weights are 0 (a categorical reference level). Exits on a mismatch.
 */
static void
warm_start(const struct fit_options *o, const struct dataset *ds,
    const struct scaler *scaler, size_t outputs, double *w)
{
	const struct model *m = &o->start;
	double *weight = xcalloc(ds->d + 1, sizeof(double));

	if (m->outputs != outputs || (m->nclasses > 0) != (ds->classes > 0) ||
	    (m->nclasses > 0 && !same_classes(o, m)))
		error_die(EXIT_INPUT,
		    "%s: --init: the file is a %s model, not one of this "
		    "fit's %s (-l %s)",
		    o->init,
		    m->nclasses == 0	  ? "regression"
			: m->outputs == 1 ? "logistic"
					  : "softmax",
		    ds->classes > 0 ? "classes, with the same labels"
				    : "target",
		    o->train.loss->name);
	for (size_t k = 1; k < m->nterms; k++) {
		size_t j = 0, b;

		while (j < ds->d && strcmp(m->term[k], ds->names[j]) != 0)
			j++;
		for (b = 0; j == ds->d && b < outputs; b++)
			if (m->weight[b * m->nterms + k] != 0)
				error_die(EXIT_INPUT,
				    "%s: --init: the term \"%s\" is not a "
				    "feature of the data",
				    o->init, m->term[k]);
	}
	for (size_t b = 0; b < outputs; b++) {
		memset(weight, 0, (ds->d + 1) * sizeof(double));
		weight[0] = m->weight[b * m->nterms];
		for (size_t k = 1; k < m->nterms; k++)
			for (size_t j = 0; j < ds->d; j++)
				if (strcmp(m->term[k], ds->names[j]) == 0)
					weight[j + 1] =
					    m->weight[b * m->nterms + k];
		scaler_rescale(scaler, weight, w + b * (ds->d + 1));
	}
	free(weight);
}

/*
 * Impute (with --missing mean: training means into impute, d values) and scale
 * data by the statistics of its training rows, then train on them; exits on
 * failure. The final fit (the one with an epoch callback) also warns of
 * constant features and too few rows. Rows mapped from a cache come scaled, and
 * scaler then holds the statistics they were scaled with (see load_cache). The
 * exact solution, when one is computed, goes into exact if not NULL (see
 * solve_exactly).
 */
static void
scale_and_train(const struct fit_options *o, struct dataset *data,
    struct dataset *train, const struct train_options *opt,
    struct scaler *scaler, double *impute, double *w, epoch_fn fn, void *ctx,
    struct train_result *result, struct solution *exact)
{
	struct error e;

	/* A cache's rows (mapped read-only) come scaled, with their scaler. */
	if (data->map == NULL && o->table.missing == MISSING_MEAN &&
	    dataset_impute(data, train, impute, &e) != 0)
		error_exit(&e);
	if (data->map == NULL &&
	    scaler_fit(scaler, train, o->scaling, opt->threads, &e) != 0)
		error_exit(&e);
	if (opt->no_intercept)
		scaler_no_shift(scaler, o->scaling);
	if (o->keep_scaling)
		keep_scaling(o, train, scaler);
	if (fn != NULL)
		warn_data(o, train, scaler);
	if (data->map == NULL)
		scaler_apply(scaler, data, opt->threads);
	if (o->exact == SOLVER_CD) {
		solve_by_cd(opt, train, w, result);
		return;
	}
	if (o->exact || o->gap) {
		struct train_options with_optimum = *opt;

		if (poisson(opt->loss))
			solve_poisson_exactly(opt, train, w, result);
		else if (pinball(opt->loss))
			solve_quantile_exactly(o, opt, train, scaler, w, result,
			    fn != NULL);
		else
			solve_exactly(o, opt, train, scaler, w, result,
			    fn != NULL, exact);
		if (o->exact)
			return;
		with_optimum.optimum = result->objective;
		if (o->init != NULL)
			warm_start(o, train, scaler,
			    loss_outputs(opt->loss, train), w);
		if (train_run(&with_optimum, train, w, fn, ctx, result, &e) ==
		    0)
			return;
	} else {
		if (o->init != NULL)
			warm_start(o, train, scaler,
			    loss_outputs(opt->loss, train), w);
		if (train_run(opt, train, w, fn, ctx, result, &e) == 0) {
			if (fn != NULL)
				certify_pinball(opt, train, result);
			return;
		}
	}
	if (e.status == EXIT_DIVERGED)
		error_die(EXIT_DIVERGED, "%s; try a smaller learning rate (-r)",
		    e.msg);
	error_exit(&e);
}

/* The --cv-only CSV, to path or standard output, written only once complete. */
static void
write_scores(const char *path, const struct cv_scores *scores)
{
	struct outfile out;
	struct error e;

	if (outfile_open(&out, path, &e) != 0)
		error_exit(&e);
	cv_scores_write(out.f, scores);
	if (outfile_commit(&out, &e) != 0)
		error_exit(&e);
}

/* What each fold of cross_validate trains with, kept from fold to fold. */
struct fold_run {
	const struct fit_options *o;
	struct train_options opt;
	double *w, *impute;
};

/* cv_fold_fn: scale and train on train, score on val; says so unless quiet. */
static int
run_fold(void *ctx, size_t k, struct dataset *work, struct dataset *train,
    struct dataset *val, double *loss, struct error *e)
{
	struct fold_run *f = ctx;
	const struct fit_options *o = f->o;
	struct scaler scaler;
	struct train_result result;

	(void)e;
	weigh(o, train, val);
	f->opt.validation = val;
	scale_and_train(o, work, train, &f->opt, &scaler, f->impute, f->w, NULL,
	    NULL, &result, NULL);
	scaler_free(&scaler);
	*loss = result.val_loss;
	if (!o->quiet)
		fprintf(stderr,
		    "descend: fold %zu of %zu: validation %s %.10g "
		    "(%zu rows)\n",
		    k + 1, o->cv, o->train.loss->name, *loss, val->n);
	return 0;
}

/*
 * K-fold cross-validation (cv_run): each fold is scaled and trained on as the
 * final fit would be. Prints each fold's validation loss and their mean and
 * standard deviation on stderr (unless quiet) and, with --cv-only, as CSV on
 * stdout or -o FILE.
 */
static void
cross_validate(const struct fit_options *o, const struct dataset *ds)
{
	struct fold_run f = { .o = o, .opt = o->train };
	struct cv_scores scores;
	struct error e;

	if (cv_too_few(ds->n, o->cv))
		error_die(EXIT_INPUT, "%s: %zu rows are too few for %zu folds",
		    o->table.name, ds->n, o->cv);
	f.impute = xcalloc(ds->d, sizeof(double));
	f.w = xcalloc(loss_outputs(o->train.loss, ds) * (ds->d + 1),
	    sizeof(double));
	if (cv_run(ds, o->cv, o->train.seed, run_fold, &f, &scores, &e) != 0)
		error_exit(&e);
	if (!o->quiet)
		fprintf(stderr,
		    "descend: cross-validated %s %.10g ± %.10g (mean ± sd "
		    "of %zu folds)\n",
		    o->train.loss->name, scores.mean, scores.sd, o->cv);
	if (o->cv_only)
		write_scores(o->output, &scores);
	cv_scores_free(&scores);
	free(f.w);
	free(f.impute);
}

/*
 * --stats: summary(lm)'s figures for the weights w trained on train (scaled)
 * into st (summary_least_squares). A gradient fit is refused if it has
 * weighted an aliased column (summary_spread_weight), and warned about when
 * it has not reached least squares, to which the statistics refer, by more
 * than 0.001 of the estimates' standard errors (the bound summary.h derives).
 */
#define STATS_SE_OFF_WARN 1e-3

static void
compute_stats(const struct fit_options *o, const struct dataset *train,
    const struct scaler *scaler, const double *w, double loss,
    struct solution *exact, struct fit_stats *st)
{
	struct solution sol;
	struct error e;
	double gap, off;

	if (train->rw == NULL && !o->train.no_intercept
		? summary_least_squares(train, scaler, w, loss, o->conf,
		      o->train.threads, exact, &sol, st, &gap, &off, &e)
		: summary_weighted(train, scaler, w, loss, o->conf,
		      !o->train.no_intercept, o->train.threads, exact, &sol, st,
		      &gap, &off, &e))
		error_exit(&e);
	if (st->perfect && !o->quiet)
		error_warn(
		    "warning: --stats: essentially perfect fit (the residual "
		    "variance is below 1e-30 of the fitted values' mean "
		    "square), "
		    "so the standard errors, t and p-values are rounding "
		    "noise");
	if (o->table.missing == MISSING_MEAN && !o->quiet)
		error_warn(
		    "warning: --stats: with --missing mean the imputed cells "
		    "count "
		    "as observations, so the standard errors are too small; "
		    "--missing drop leaves those rows out, as R's lm does");
	if (!o->exact) {
		if (summary_spread_weight(&sol, w, train, &e) != 0)
			error_exit(&e);
		warn_aliased(o, &sol, scaler, train, "its statistics are NA");
		if (off > STATS_SE_OFF_WARN && !o->quiet)
			error_warn(
			    "warning: --stats: the MSE is %.2g (relative) "
			    "above least "
			    "squares, which the statistics assume, so the "
			    "estimates "
			    "may be up to %.2g standard errors from it; more "
			    "epochs, "
			    "-O lbfgs or --solver exact would reach it",
			    gap, off);
	}
	solution_free(&sol);
}

/* Warn of a feature that alone separates a class (see glm_feature_splits). */
static void
warn_split(const struct fit_options *o, const struct dataset *ds,
    const struct glm_split *s)
{
	const char *name = ds->names[s->feature],
		   *k = o->labels.level[s->class];
	const char *side = s->above ? "larger" : "smaller";
	const char *other = s->above ? "smaller" : "larger";

	if (ds->classes == 2 && s->complete)
		error_warn(
		    "warning: \"%s\" separates the classes completely: every "
		    "row of class \"%s\" has a %s %s than every row of class "
		    "\"%s\", so no finite weights maximize the likelihood",
		    name, k, side, name, o->labels.level[0]);
	else if (ds->classes == 2)
		error_warn(
		    "warning: \"%s\" separates the classes quasi-completely: "
		    "no row of class \"%s\" has a %s %s than a row of class "
		    "\"%s\" (they meet at one value), so no finite weights "
		    "maximize the likelihood",
		    name, k, other, name, o->labels.level[0]);
	else
		error_warn(
		    "warning: \"%s\" separates class \"%s\" from the others "
		    "%s: %s row of class \"%s\" has a %s %s than %s other "
		    "row%s, "
		    "so no finite weights maximize the likelihood",
		    name, k, s->complete ? "completely" : "quasi-completely",
		    s->complete ? "every" : "no", k, s->complete ? side : other,
		    name, s->complete ? "every" : "an",
		    s->complete ? "" : " (they meet at one value)");
}

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
	struct separation sep;
	struct error e;

	*have = 0;
	if (o->quiet && !need_newton)
		return 0;
	if (summary_separation(train, o->train.loss->target == LOSS_BINARY,
		need_newton, g, &sep, &e) != 0)
		error_exit(&e);
	for (size_t i = 0; !o->quiet && i < sep.found && i < SPLITS_SHOWN; i++)
		warn_split(o, train, &sep.split[i]);
	if (sep.found > SPLITS_SHOWN && !o->quiet)
		error_warn(
		    "warning: and %zu more features separate a class alone",
		    sep.found - SPLITS_SHOWN);
	if (!sep.newton)
		return sep.separated;
	*have = 1;
	if (sep.found > 0 || o->quiet)
		;
	else if (g->separated == GLM_COMPLETE || g->separated == GLM_QUASI)
		error_warn(
		    "warning: the classes are %s separated: Newton's method "
		    "fits %zu rows of class \"%s\" with probability "
		    "numerically 1 "
		    "and %zu of class \"%s\" numerically 0 (within 2.2e-15, as "
		    "R's glm.fit warns), and %s, so no finite weights maximize "
		    "the "
		    "likelihood",
		    g->separated == GLM_COMPLETE ? "completely"
						 : "quasi-completely",
		    g->edge[1], o->labels.level[1], g->edge[0],
		    o->labels.level[0],
		    g->separated == GLM_COMPLETE
			? "puts every "
			  "row on its class's side of a hyperplane"
			: "its last step "
			  "moves those rows out and no other row across a "
			  "hyperplane "
			  "(within rounding)");
	else if (g->separated == GLM_EDGES)
		error_warn(
		    "warning: Newton's method fits %zu row%s of class "
		    "\"%s\" with probability numerically 1 and %zu of class "
		    "\"%s\" numerically 0 (within 2.2e-15), as R's glm.fit "
		    "warns, "
		    "but finds no direction that separates the classes: far "
		    "outliers, or a separation it cannot show",
		    g->edge[1], g->edge[1] == 1 ? "" : "s", o->labels.level[1],
		    g->edge[0], o->labels.level[0]);
	return sep.separated;
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

	if (summary_logistic(separated, g, scaler, o->conf, w, st, &e) != 0)
		error_exit(&e);
	if (!g->converged && !o->quiet)
		error_warn(
		    "warning: --stats: Newton's method did not converge in %d "
		    "steps; the deviance changed by more than 1e-15 (relative) "
		    "at the last",
		    GLM_MAXIT);
	for (size_t j = 1; !o->quiet && j < g->p; j++)
		if (g->aliased[j] && !scaler_is_constant(scaler, j - 1))
			error_warn(
			    "warning: column \"%s\" is a linear combination "
			    "of the columns before it (aliased); its "
			    "statistics are "
			    "NA",
			    train->names[j - 1]);
	if (o->table.missing == MISSING_MEAN && !o->quiet)
		error_warn(
		    "warning: --stats: with --missing mean the imputed cells "
		    "count "
		    "as observations, so the standard errors are too small; "
		    "--missing drop leaves those rows out, as R's glm does");
	if (!o->quiet)
		error_warn(
		    "--stats: the weights are the maximum-likelihood estimate "
		    "by "
		    "Newton's method (%u iterations), not gradient descent's",
		    g->iterations);
}

/*
 * --stats for -l poisson: summary(glm(family = poisson))'s figures of the
 * Newton fit of train (scaled), whose maximum-likelihood weights replace the
 * descent's in w, as for logistic regression.
 */
static void
compute_poisson_stats(const struct fit_options *o, const struct dataset *train,
    const struct scaler *scaler, double *w, struct fit_stats *st)
{
	struct glm_fit g;
	struct error e;

	if (summary_poisson_fit(train, !o->train.no_intercept, &g, &e) != 0)
		error_exit(&e);
	summary_poisson(&g, scaler, o->conf, w, st);
	if (!g.converged && !o->quiet)
		error_warn(
		    "warning: --stats: Newton's method did not converge in %d "
		    "steps; the deviance changed by more than 1e-15 (relative) "
		    "at the last",
		    GLM_MAXIT);
	for (size_t j = 1; !o->quiet && j < g.p; j++)
		if (g.aliased[j] && !scaler_is_constant(scaler, j - 1))
			error_warn(
			    "warning: column \"%s\" is a linear combination "
			    "of the columns before it (aliased); its "
			    "statistics are "
			    "NA",
			    train->names[j - 1]);
	if (!o->quiet && !o->exact)
		error_warn(
		    "--stats: the weights are the maximum-likelihood estimate "
		    "by "
		    "Newton's method (%u iterations), not gradient descent's",
		    g.iterations);
	glm_fit_free(&g);
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
	if (o->stats == STATS_TABLE) {
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

/* --save-scaling: each feature's shift and scale into m's columns. */
static void
save_scaling(struct model *m, const struct dataset *ds, const struct scaler *s)
{
	model_add_scaling(m);
	for (size_t k = 1; k < m->nterms; k++)
		for (size_t j = 0; j < ds->d; j++)
			if (strcmp(m->term[k], ds->names[j]) == 0) {
				m->shift[k] = s->shift[j];
				m->scale[k] = s->scale[j];
			}
}

/*
 * The importance line: the features ranked by their z-scored weights, the
 * largest in size over the outputs (a softmax model's classes).
 */
static void
report_features(const struct scaler *scaler, const double *w, size_t outputs,
    const struct dataset *ds)
{
	double *top = xcalloc(scaler->d + 1, sizeof(double));

	model_importance(scaler, w, outputs, top);
	/* An offset, the last feature, is not a term. */
	report_importance(stderr, (const char *const *)ds->names, top,
	    scaler->d - (size_t)ds->offset, 10);
	free(top);
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
		error_die_errno(EXIT_INPUT, "%s", o->log);
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
 * The --plot chart of the epochs in c, written atomically to o->plot, titled
 * with the input's name, the loss, the update rule and the mode; exits 1 naming
 * the file if it cannot be written.
 */
static void
write_plot(const struct fit_options *o, const struct report_curves *c)
{
	struct outfile out;
	struct error e;
	char title[600], name[512];

	error_clean(name, sizeof(name), o->table.name);
	snprintf(title, sizeof(title), "descend fit %s: %s, %s, %s%s", name,
	    o->train.loss->name, o->train.optimizer->name,
	    mode_name(o->train.mode), o->validation > 0 ? " (validation)" : "");
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

/* Whether the fit keeps what prediction and confidence intervals need. */
static int
keeps_intervals(const struct fit_options *o)
{
	return o->intervals;
}

/*
 * --intervals: an exact least-squares fit, unpenalised, in one process (the
 * target a number and at most INTERVAL_MAX_TERMS terms: checked once read).
 */
static void
check_intervals(const struct fit_options *o)
{
	if (!o->intervals)
		return;
	if (o->exact != SOLVER_EXACT ||
	    strcmp(o->train.loss->name, "mse") != 0 || o->train.l2 > 0 ||
	    o->train.params.l1 > 0)
		cmd_usage_error("--intervals needs --solver exact with -l mse "
				"and no penalty (ordinary least squares)");
	if (o->cache != NULL || o->shards != NULL || cluster_size() > 1)
		cmd_usage_error("--intervals needs the rows in one process "
				"(no --cache, --shards or ranks)");
	if (o->table.weight != NULL || o->train.no_intercept)
		cmd_usage_error("--intervals is not given with %s (its "
				"intervals are not checked against R's yet)",
		    o->train.no_intercept ? "--no-intercept" : "--weight");
	if (o->stats == STATS_ONLY)
		cmd_usage_error("--intervals keeps its figures in the weights "
				"file, which --stats-only does not write");
}

/*
 * --conformal: what it cannot be combined with. The calibration rows must be
 * rows that nothing fitted to, in one process, and the model must be written.
 */
static void
check_conformal(const struct fit_options *o)
{
	if (!(o->given & GIVEN_CONFORMAL))
		return;
	if (o->conformal == 0 && o->validation == 0)
		cmd_usage_error("--conformal validation needs --validation");
	if (o->conformal > 0 && o->validation > 0)
		cmd_usage_error(
		    "--conformal %g and --validation %g: to calibrate on "
		    "the validation rows, give --conformal validation",
		    o->conformal, o->validation);
	if (o->train.early_stop)
		cmd_usage_error(
		    "--conformal validation and --early-stop: the "
		    "validation rows choose the epoch, so they cannot "
		    "calibrate");
	if (o->cache != NULL || o->shards != NULL || cluster_size() > 1)
		cmd_usage_error("--conformal needs the rows in one process "
				"(no --cache, --shards or ranks)");
	if (o->cv_only || o->stats == STATS_ONLY)
		cmd_usage_error("--conformal keeps its scores in the weights "
				"file, which %s does not write",
		    o->cv_only ? "--cv-only" : "--stats-only");
}

/*
 * --conformal F: hold out the last fraction F of train (in the seeded random
 * order of --validation) as cal; --conformal validation: cal is val. Exits if
 * either part would be too small.
 */
static void
hold_out_calibration(const struct fit_options *o, struct dataset *train,
    const struct dataset *val, struct dataset *cal)
{
	struct dataset all = *train;
	size_t ntrain;

	if (o->conformal == 0) {
		*cal = *val;
		return;
	}
	if (cv_split(&all, o->conformal, o->train.seed, train, cal, &ntrain) !=
	    0)
		error_die(EXIT_INPUT,
		    "%s: --conformal %g of %zu rows leaves %zu to train "
		    "on; at least 2 are needed",
		    o->table.name, o->conformal, all.n, ntrain);
}

/*
 * The split-conformal scores of the calibration rows cal (scaled as training
 * saw them, w on that scale) into model: |y − ŷ| for a number, 1 − p̂ of the
 * row's class for a class.
 */
static void
calibrate(const struct fit_options *o, const struct dataset *cal,
    struct model *model, const double *w)
{
	size_t d = cal->d, outputs = model->outputs;
	double *s = xcalloc(cal->n, sizeof(double));
	double *z = xcalloc(outputs, sizeof(double));
	double *proba = xcalloc(model->nclasses + 1, sizeof(double));

	for (size_t i = 0; i < cal->n; i++) {
		const double *x = dataset_row(cal, i);

		for (size_t b = 0; b < outputs; b++)
			z[b] = loss_predict(w + b * (d + 1), x, d);
		if (model->nclasses == 0) {
			s[i] = fabs(x[d] - z[0]);
			continue;
		}
		predictor_class(model, z, proba);
		s[i] = 1 - proba[(size_t)x[d]];
	}
	interval_set_scores(model, s, cal->n);
	if (!o->quiet)
		fprintf(stderr,
		    "descend: conformal scores of %zu calibration "
		    "row%s kept\n",
		    cal->n, cal->n == 1 ? "" : "s");
	free(s);
	free(z);
	free(proba);
}

/* After the last epoch: the table's last line, the progress line gone, an
 * interruption said, and the --log file closed (exits if it cannot be). */
static void
end_epochs(const struct fit_options *o, struct epoch_sinks *sinks,
    const struct train_result *result)
{
	show_last(sinks);
	progress_end(&sinks->meter);
	if (result->interrupted)
		error_warn(
		    "warning: training interrupted by %s in epoch %lu; the "
		    "weights "
		    "are those of epoch %lu",
		    stop_signal == SIGINT ? "SIGINT" : "SIGTERM",
		    result->interrupted, result->epochs);
	if (sinks->log != NULL &&
	    (fflush(sinks->log) != 0 || ferror(sinks->log) ||
		(sinks->log != stdout && fclose(sinks->log) != 0)))
		error_die_errno(EXIT_INPUT, "%s", o->log);
}

/*
 * --stats' figures into stats (and the separation checks of a class target);
 * with --intervals, the exact solution's covariance kept for them in kept.
 */
static void
fit_statistics(struct fit_options *o, struct dataset *train,
    struct scaler *scaler, double *w, struct train_result *result,
    struct solution *exact, struct solution *kept, struct fit_stats *stats)
{
	struct glm_fit glm;
	int separated = 0, have_glm = 0;

	if (o->table.labels != NULL)
		separated = check_separation(o, train, o->stats != STATS_NONE,
		    &glm, &have_glm);
	/* compute_stats takes the exact solution: keep what intervals need. */
	if (keeps_intervals(o)) {
		*kept = *exact;
		kept->cov = xcalloc(exact->p * exact->p, sizeof(double));
		memcpy(kept->cov, exact->cov,
		    exact->p * exact->p * sizeof(double));
	}
	if (o->stats && o->train.loss->target == LOSS_BINARY)
		compute_logistic_stats(o, train, scaler, separated, &glm, w,
		    stats);
	else if (o->stats && poisson(o->train.loss))
		compute_poisson_stats(o, train, scaler, w, stats);
	else if (o->stats)
		compute_stats(o, train, scaler, w, result->loss, exact, stats);
	if (have_glm)
		glm_fit_free(&glm);
	if (exact->w != NULL)
		solution_free(exact);
}

/*
 * The model fit writes, in the units of the input, into model: its terms and
 * weights, Poisson's rows, the scaling, the intervals' matrix and the
 * conformal scores as asked. Exits on failure.
 */
static void
assemble(struct fit_options *o, struct dataset *ds, struct category *cats,
    size_t ncats, struct scaler *scaler, struct dataset *train,
    struct dataset *cal, double *w, double *impute, struct fit_stats *stats,
    struct solution *kept, struct model *model)
{
	struct error e;

	if (model_build(model, ds, cats, ncats, scaler, w,
		loss_outputs(o->train.loss, ds), o->table.labels,
		o->table.missing == MISSING_MEAN ? impute : NULL,
		o->stats == STATS_TABLE ? stats : NULL, &e) != 0)
		error_exit(&e);
	if (poisson(o->train.loss))
		model_build_poisson(model, ds,
		    o->offset ? o->offset : o->exposure, o->exposure != NULL);
	if (o->save_scaling || o->keep_scaling)
		save_scaling(model, ds, scaler);
	if (keeps_intervals(o) && model->nterms > INTERVAL_MAX_TERMS)
		error_die(EXIT_INPUT,
		    "--intervals: %zu terms, more than the %d whose "
		    "(Z'Z)^-1 the weights file keeps",
		    model->nterms, INTERVAL_MAX_TERMS);
	if (keeps_intervals(o)) {
		interval_from_fit(model, kept, scaler, train);
		free(kept->cov);
	}
	if (o->given & GIVEN_CONFORMAL)
		calibrate(o, cal, model, w);
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
	struct solution exact = { 0 }, kept = { 0 };
	struct dataset cal;
	struct error e;
	struct category *cats = NULL;
	double *w, *impute;
	size_t ncats = 0;
	int status, target_last = 1;

	/* Under mpirun, one of the job's ranks (cluster.h); else rank 0 of 1.
	 */
	cluster_init(&argc, &argv);
	parse_options(argc, argv, &o);
	/* Only a batch MSE fit's epochs do without the rows (dataset.h). */
	o.table.reread = o.train.mode != MODE_BATCH ||
	    !o.train.loss->quadratic || o.validation > 0 || o.cv > 0 ||
	    (o.given & GIVEN_CONFORMAL);
	o.table.categories = &cats;
	o.table.ncategories = &ncats;
	o.table.target_last = &target_last;
	if (o.cache != NULL) {
		load_cache(&o, &ds, &scaler);
		target_last = target_is_last(&o);
	} else if (o.shards != NULL || cluster_size() > 1)
		load_shared(&o, &ds);
	else
		load(&o, &ds);
	add_terms(&o, &ds);
	place_offset(&o, &ds, cats, ncats);
	if (o.cv > 0) {
		cross_validate(&o, &ds);
		/* --cv-only: the folds' scores are all; nothing more to free.
		 */
		status = EXIT_OK;
		if (o.cv_only)
			goto done;
	}
	train = ds;
	weigh(&o, &train, NULL);
	if (o.validation > 0) {
		split(&o, &ds, &train, &val);
		o.train.validation = &val;
	}
	if (o.given & GIVEN_CONFORMAL)
		hold_out_calibration(&o, &train, &val, &cal);
	open_sinks(&o, &sinks, &curves);
	w = xcalloc(loss_outputs(o.train.loss, &ds) * (ds.d + 1),
	    sizeof(double));
	impute = xcalloc(ds.d, sizeof(double));
	/*
	 * Ranks would see a signal at different steps and part ways; mpirun
	 * ends the job on SIGINT and SIGTERM instead.
	 */
	if (cluster_size() == 1) {
		o.train.stop = &stop_signal;
		catch_stop_signals();
	}
	scale_and_train(&o, &ds, &train, &o.train, &scaler, impute, w, on_epoch,
	    &sinks, &result, o.stats || keeps_intervals(&o) ? &exact : NULL);
	end_epochs(&o, &sinks, &result);

	fit_statistics(&o, &train, &scaler, w, &result, &exact, &kept, &stats);
	assemble(&o, &ds, cats, ncats, &scaler, &train, &cal, w, impute, &stats,
	    &kept, &model);
	/* A target other than the last column is recorded, for eval. */
	model.csv_target = !target_last;
	if (!o.quiet) {
		error_warn("target \"%s\", modelled from %zu feature%s",
		    ds.names[ds.d], ds.d, ds.d == 1 ? "" : "s");
		if (o.exact && pinball(o.train.loss))
			summarize_quantile(&o, &result,
			    dataset_rows_across_ranks(&train),
			    o.validation > 0 ? val.n : 0, ds.d);
		else
			summarize(&o, &result,
			    dataset_rows_across_ranks(&train),
			    o.validation > 0 ? val.n : 0,
			    ds.d - (size_t)ds.offset);
		report_ranks(&train, &sinks);
		report_features(&scaler, w, loss_outputs(o.train.loss, &ds),
		    &ds);
		if (o.stats == STATS_TABLE)
			print_stats(&o, &stats, &ds, NULL);
	}
	if (o.plot != NULL)
		write_plot(&o, &curves);
	if (o.stats == STATS_ONLY)
		print_stats(&o, &stats, &ds, o.output);
	else if (model_save_as(&model, o.output, o.format, &e) != 0)
		error_exit(&e);
	status = result.interrupted ? 128 + stop_signal : EXIT_OK;

	if (o.stats)
		fit_stats_free(&stats);
	model_free(&model);
	report_curves_free(&curves);
	free(w);
	free(impute);
	scaler_free(&scaler);
done:
	for (size_t c = 0; c < ncats; c++)
		category_free(&cats[c]);
	free(cats);
	if (o.table.labels != NULL)
		category_free(&o.labels);
	dataset_free(&ds);
	if (o.init != NULL)
		model_free(&o.start);
	cluster_finish();
	return status;
}
