/*
 * cmd/tune.c: descend tune. Scores every combination of the values given with
 * --grid by K-fold cross-validation, each combination a child `descend fit --cv
 * K
 * --cv-only` with the same folds, up to -j of them at once; then ranks them in
 * a CSV table and says which fit command did best.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "cmd.h"
#include "csv.h"
#include "cv.h"
#include "failure.h"
#include "num.h"
#include "opt.h"
#include "outfile.h"

#define MAX_COMBINATIONS 1000000
#define MAX_JOBS 4096
#define NO_COMBINATION SIZE_MAX

/* --cv when not given: 5 folds, as scikit-learn's and caret's default. */
#define DEFAULT_FOLDS 5

static const char synopsis[] =
    "usage: descend tune --grid key=value,... [--grid key=value,...] [--cv k]\n"
    "                    [-q] [-j jobs] [-o file] [fit options] [file]\n";

static const char help_head[] =
    "\nScore every combination of the --grid values by k-fold "
    "cross-validation,\n"
    "with the same folds for all, and rank them: a CSV table, best first, on\n"
    "stdout or -o FILE, and the best combination's fit command on stderr.\n\n";
static const char help_tail[] =
    "\nEvery other option is one of fit's and is given to every fit unchanged\n"
    "(see descend fit --help).\n\n"
    "Exit status: 0 done, 1 bad input, 2 usage, 3 every combination diverged.\n"
    "See descend-tune(1).\n";

/*
 * tune's options: its own first (TUNE_OWN of them, which tune parses), then
 * the four of fit's that tune reads itself rather than passing them on (parsed
 * by fit's table), with what they mean to tune; --help lists them all.
 */
static const struct opt_spec tune_opts[] = {
	{ "grid", 0, OPT_CALL, .offset = OPT_NO_STORE, .arg = "KEY=V1,V2,...",
	    .help = "try each value of fit's option --KEY" },
	{ "jobs", 'j', OPT_CALL, .offset = OPT_NO_STORE, .arg = "N",
	    .help = "run N fits at once (default: one per processor)" },
	{ "cv", 0, OPT_WHOLE, .arg = "K",
	    .help = "folds, from 2 to 1000000 (default: 5)" },
	{ "output", 'o', OPT_STRING, .arg = "FILE",
	    .help = "write the table to FILE, atomically" },
	{ "quiet", 'q', OPT_FLAG, .help = "print errors only" },
	{ "help", 'h', OPT_FLAG, .help = "show this help" },
};
#define TUNE_OWN 2

/* One --grid: a long option of fit and the values to try, in the order given.
 */
struct grid {
	const struct opt_spec *opt; /* fit's entry for the key */
	char *list;   /* the values' text, cut in place at the commas */
	char **value; /* (nvalues) pointers into list */
	size_t nvalues;
};

/* Everything the command line says. */
struct tune_options {
	struct grid *grid; /* (ngrids) in the order given */
	size_t ngrids;
	char **fit_args; /* (nfit_args) fit options to pass on, as words */
	size_t nfit_args;
	const struct opt_spec **given; /* (ngiven) fit's entries of those */
	size_t ngiven;
	size_t cv;	      /* --cv: folds */
	size_t jobs;	      /* -j: children at once */
	const char *output;   /* -o, or NULL for standard output */
	int quiet;	      /* -q */
	const char *input;    /* the operand, or NULL for standard input */
	size_t ncombinations; /* the product of the grids' numbers of values */
};

/*
 * Take --grid's argument KEY=V1,V2,...: KEY must be a long option of fit that
 * takes a value, can be tuned and has no --grid yet, and every value must be
 * non-empty; else exit 2 naming what is wrong.
 */
static void
add_grid(struct tune_options *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	const struct opt_spec *fit, *opt;
	struct grid *g;
	size_t nfit;

	if (eq == NULL || eq == arg)
		cmd_usage_error("--grid: \"%s\" is not KEY=VALUE,VALUE,...",
		    arg);
	fit = cmd_fit_options(&nfit);
	if ((opt = opt_named(fit, nfit, arg, (size_t)(eq - arg))) == NULL &&
	    eq - arg == 1 && *arg != ':' && *arg != '?' &&
	    (opt = opt_of(fit, nfit, *arg)) != NULL)
		cmd_usage_error(
		    "--grid: \"%c\" is fit's short option -%c: a grid "
		    "takes the long name, %s=%s",
		    *arg, *arg, opt->name, eq + 1);
	if (opt == NULL)
		cmd_usage_error("--grid: \"%.*s\" is not a long option of fit",
		    (int)(eq - arg), arg);
	if (opt->kind == OPT_FLAG)
		cmd_usage_error("--grid: --%s takes no value", opt->name);
	if (opt->flags & (OPT_NO_TUNE | OPT_NO_GRID))
		cmd_usage_error("--grid: --%s cannot be tuned (%s)", opt->name,
		    opt->why);
	for (size_t i = 0; i < o->ngrids; i++)
		if (o->grid[i].opt == opt)
			cmd_usage_error("--grid: --%s is given twice",
			    opt->name);
	o->grid = xreallocarray(o->grid, o->ngrids + 1, sizeof(*o->grid));
	g = &o->grid[o->ngrids++];
	if (eq[1] == '\0')
		cmd_usage_error("--grid: --%s has no values", opt->name);
	*g = (struct grid){ .opt = opt, .list = xstrdup(eq + 1) };
	for (char *v = g->list, *comma;; v = comma + 1) {
		comma = strchr(v, ',');
		if (comma != NULL)
			*comma = '\0';
		if (*v == '\0')
			cmd_usage_error(
			    "--grid: --%s: \"%s\" has an empty value",
			    opt->name, eq + 1);
		g->value =
		    xreallocarray(g->value, g->nvalues + 1, sizeof(char *));
		g->value[g->nvalues++] = v;
		if (comma == NULL)
			break;
	}
}

static void
add_word(struct tune_options *o, char *word)
{
	o->fit_args =
	    xreallocarray(o->fit_args, o->nfit_args + 1, sizeof(char *));
	o->fit_args[o->nfit_args++] = word;
}

/*
 * Keep a fit option to pass on: as the short option (c) or the long one it was
 * given as, its value a word of its own. An abbreviated long option is passed
 * on in full.
 */
static void
add_fit_option(struct tune_options *o, const struct opt_spec *opt, int c)
{
	size_t len = strlen(opt->name) + 4 + (optarg ? strlen(optarg) : 0);
	char *word = xmalloc(len);

	o->given = xreallocarray(o->given, o->ngiven + 1, sizeof(*o->given));
	o->given[o->ngiven++] = opt;
	if (c != 0)
		snprintf(word, len, "-%c", c);
	else
		snprintf(word, len, "--%s", opt->name);
	add_word(o, word);
	if (opt->kind != OPT_FLAG)
		add_word(o, xstrdup(optarg));
}

/*
 * Act on one option, named name (the merged table's entry), given as the short
 * option c or as a long one (c 0); fit is fit's entry, or NULL for tune's own.
 */
static void
take_option(struct tune_options *o, const char *name,
    const struct opt_spec *fit, int c)
{
	char flag[128];

	if (strcmp(name, "grid") == 0)
		add_grid(o, optarg);
	else if (strcmp(name, "jobs") == 0)
		o->jobs = cmd_number("-j/--jobs", optarg, 1, MAX_JOBS);
	else if (strcmp(name, "cv") == 0)
		o->cv = cmd_number("--cv", optarg, 2, 1000000);
	else if (strcmp(name, "output") == 0)
		o->output = optarg;
	else if (strcmp(name, "quiet") == 0)
		o->quiet = 1;
	else if (strcmp(name, "help") == 0)
		cmd_help(synopsis, help_head, tune_opts,
		    sizeof(tune_opts) / sizeof(tune_opts[0]), 26, help_tail);
	else if (fit->flags & OPT_NO_TUNE)
		cmd_usage_error("%s cannot be used with tune (%s)",
		    opt_flag(fit, flag, sizeof(flag)), fit->why);
	else
		add_fit_option(o, fit, c);
}

/*
 * tune's own options, which it adds to fit's (cmd_fit_options): its own
 * --cv, -o, -q and -h are fit's, taken by tune itself.
 */
const struct opt_spec *
cmd_tune_own_options(size_t *n)
{
	*n = TUNE_OWN;
	return tune_opts;
}

/*
 * fit's options then tune's, in *all (*n entries), and getopt_long's tables for
 * them: each long option returns OPT_VAL_BASE plus its index, so that tune can
 * tell -e from --epochs when it passes them on.
 */
static void
merge_options(struct opt_spec **all, size_t *n, struct option **longs,
    char **shorts)
{
	size_t nfit, nown;
	const struct opt_spec *fit = cmd_fit_options(&nfit);
	const struct opt_spec *own = cmd_tune_own_options(&nown);

	*n = nfit + nown;
	*all = xcalloc(*n, sizeof(**all));
	memcpy(*all, fit, nfit * sizeof(*fit));
	memcpy(*all + nfit, own, nown * sizeof(*own));
	assert(opt_of(fit, nfit, 'j') == NULL);
	opt_getopt(*all, *n, longs, shorts);
	for (size_t i = 0; i < *n; i++)
		(*longs)[i].val = OPT_VAL_BASE + (int)i;
}

static size_t
online_processors(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (size_t)n;
}

/*
 * jobs, or fewer if the limit on open files would not allow two pipes for each;
 * the results do not depend on it.
 */
static size_t
jobs_within_limit(size_t jobs)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 2 * jobs + 16)
		jobs = rl.rlim_cur > 18 ? (size_t)(rl.rlim_cur - 16) / 2 : 1;
	return jobs;
}

/* What a missing required option says: the message, then the usage; exit 2. */
static _Noreturn void
missing_option(const char *what)
{
	error_warn("tune: %s is required", what);
	fputs(synopsis, stderr);
	exit(EXIT_USAGE);
}

/*
 * After the options: --cv and a --grid are required, no key of a grid is also a
 * plain option, the combinations are not too many, and at most one operand is
 * left; else exit 2.
 */
static void
check_options(int argc, char **argv, struct tune_options *o)
{
	char flag[128];

	if (o->ngrids == 0)
		missing_option("--grid");
	o->ncombinations = 1;
	for (size_t g = 0; g < o->ngrids; g++) {
		for (size_t i = 0; i < o->ngiven; i++)
			if (o->given[i] == o->grid[g].opt)
				cmd_usage_error(
				    "%s is given both as an option and in "
				    "--grid",
				    opt_flag(o->given[i], flag, sizeof(flag)));
		if (o->grid[g].nvalues > MAX_COMBINATIONS / o->ncombinations)
			cmd_usage_error("--grid: more than %d combinations",
			    MAX_COMBINATIONS);
		o->ncombinations *= o->grid[g].nvalues;
	}
	o->input = cmd_input(argc, argv, synopsis);
	if (o->jobs > o->ncombinations)
		o->jobs = o->ncombinations;
	o->jobs = jobs_within_limit(o->jobs);
}

static void
parse_options(int argc, char **argv, struct tune_options *o)
{
	size_t n, nfit;
	struct opt_spec *all;
	struct option *longs;
	char *shorts;
	int c;

	*o = (struct tune_options){ .jobs = online_processors(),
		.cv = DEFAULT_FOLDS };
	merge_options(&all, &n, &longs, &shorts);
	cmd_fit_options(&nfit);
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct opt_spec *s = opt_of(all, n, c);

		if (s == NULL)
			cmd_bad_option(c, argv, synopsis, longs);
		take_option(o, s->name,
		    s < all + nfit ? cmd_fit_options(&nfit) + (s - all) : NULL,
		    c < OPT_VAL_BASE ? c : 0);
	}
	free(all);
	free(longs);
	free(shorts);
	check_options(argc, argv, o);
}

static void
options_free(struct tune_options *o)
{
	for (size_t g = 0; g < o->ngrids; g++) {
		free(o->grid[g].list);
		free(o->grid[g].value);
	}
	for (size_t i = 0; i < o->nfit_args; i++)
		free(o->fit_args[i]);
	free(o->grid);
	free(o->fit_args);
	free(o->given);
}

/* ------------------------------------------------------------ the input */

/* A temporary file in $TMPDIR (or /tmp), already unlinked: it vanishes at exit.
 */
static int
temporary_file(void)
{
	const char *dir = getenv("TMPDIR");
	size_t len;
	char *name;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	len = strlen(dir) + sizeof("/descend-tune.XXXXXX");
	name = xmalloc(len);
	snprintf(name, len, "%s/descend-tune.XXXXXX", dir);
	if ((fd = mkstemp(name)) == -1 || unlink(name) != 0)
		error_die_errno(EXIT_INPUT, "%s", name);
	free(name);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) == -1)
		error_die_errno(EXIT_INPUT, "fcntl");
	return fd;
}

/* Copy all of in (named name in messages) to out; exit 1 on failure. */
static void
copy_all(int in, int out, const char *name)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			error_die_errno(EXIT_INPUT, "%s", name);
		for (ssize_t done = 0, w; done < n; done += w)
			if ((w = write(out, buf + done, (size_t)(n - done))) <
			    0) {
				if (errno != EINTR)
					error_die_errno(EXIT_INPUT,
					    "temporary copy of %s", name);
				w = 0;
			}
	}
}

/*
 * The data every fit reads. Each fit reads a regular file itself (-1 is
 * returned). Standard input, or a FILE that is a pipe or a device, can be read
 * only once: it is copied to a temporary file, already unlinked so that nothing
 * is left behind however tune ends, whose descriptor is returned; each fit
 * reopens it through /proc/self/fd as its standard input, from the start. Exits
 * 1 if the input cannot be read.
 */
static int
prepare_input(const char *path)
{
	struct stat st;
	int in = cmd_open_input(path), fd;

	if (path != NULL) {
		if (fstat(in, &st) != 0)
			error_die_errno(EXIT_INPUT, "%s", path);
		if (S_ISREG(st.st_mode)) {
			close(in);
			return -1;
		}
	}
	fd = temporary_file();
	copy_all(in, fd, path ? path : "<stdin>");
	if (in != STDIN_FILENO)
		close(in);
	return fd;
}

/*
 * Exit 1 now, rather than after all the fits, if the table's file could not be
 * created: its folder must exist and be writable (unless it is a device).
 */
static void
check_output(const char *path)
{
	struct stat st;
	char *dir, *slash;

	if (path == NULL || (stat(path, &st) == 0 && !S_ISREG(st.st_mode)))
		return;
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else
		slash[slash == dir] = '\0';
	if (access(dir, W_OK | X_OK) != 0)
		error_die_errno(EXIT_INPUT, "%s", path);
	free(dir);
}

/* ------------------------------------------------------------ the fit commands
 */

/* The index among grid g's values of the value that combination c takes. */
static size_t
value_index(const struct tune_options *o, size_t c, size_t g)
{
	for (size_t h = o->ngrids; h-- > g + 1;)
		c /= o->grid[h].nvalues;
	return c % o->grid[g].nvalues;
}

/* Append word (copied) to the NULL-terminated vector *v of *n words. */
static void
push(char ***v, size_t *n, const char *word)
{
	*v = xreallocarray(*v, *n + 2, sizeof(char *));
	(*v)[(*n)++] = xstrdup(word);
	(*v)[*n] = NULL;
}

/* Append to *v (of *n words) the options and values of combination c's grids.
 */
static void
push_grid(char ***v, size_t *n, const struct tune_options *o, size_t c)
{
	for (size_t g = 0; g < o->ngrids; g++) {
		const struct grid *gr = &o->grid[g];
		const char *value = gr->value[value_index(o, c, g)];
		size_t len = strlen(gr->opt->name) + 3;
		char *word = xmalloc(len);

		snprintf(word, len, "--%s", gr->opt->name);
		push(v, n, word);
		free(word);
		push(v, n, value);
	}
}

/*
 * The words of the fit command of combination c, NULL-terminated, each
 * allocated (free with free_words): "descend" "fit", the fit options as given,
 * then each grid's option and value. A child's command (child) then asks for
 * the scores of K folds on standard output and nothing else, and reads file or
 * standard input
 * ("-"); a command to show ends in file, or "-" for NULL.
 */
static char **
fit_command(const struct tune_options *o, size_t c, int child, const char *file)
{
	char **v = NULL, cv[32];
	size_t n = 0;

	push(&v, &n, DESCEND_NAME);
	push(&v, &n, "fit");
	for (size_t i = 0; i < o->nfit_args; i++)
		push(&v, &n, o->fit_args[i]);
	push_grid(&v, &n, o, c);
	if (child) {
		snprintf(cv, sizeof(cv), "%zu", o->cv);
		push(&v, &n, "--cv");
		push(&v, &n, cv);
		push(&v, &n, "--cv-only");
		push(&v, &n, "-q");
	}
	if (file != NULL && (child || (file[0] == '-' && file[1] != '\0')))
		push(&v, &n, "--");
	push(&v, &n, file != NULL ? file : "-");
	return v;
}

static void
free_words(char **v)
{
	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* ------------------------------------------------------------ running the fits
 */

/* Bytes a child wrote on one of its pipes. */
struct buffer {
	char *data;
	size_t len, cap;
};

/* A running child: one combination's descend fit. */
struct job {
	pid_t pid; /* 0 when the slot is free */
	size_t combination;
	int fd[2];	       /* read ends of its stdout, stderr; -1 at EOF */
	struct buffer text[2]; /* what it wrote on each */
};

/* The outcome of one combination. */
struct score {
	int status;	 /* EXIT_OK (scored), EXIT_DIVERGED, or
			    EXIT_USAGE: fit refused the combination */
	double loss, sd; /* mean and sd of the folds' validation losses */
	char *reason;	 /* EXIT_USAGE: fit's message, allocated */
};

/* A run of all the combinations. */
struct tune_run {
	const struct tune_options *o;
	char *exe;	     /* the path of our own executable */
	int input;	     /* the temporary copy of the input, or -1 */
	struct job *job;     /* (o->jobs) */
	struct pollfd *pfd;  /* (2 o->jobs + 1) */
	size_t running;	     /* jobs with a child */
	size_t next;	     /* the next combination to start */
	struct score *score; /* (o->ncombinations) */
	size_t failed;	     /* the first combination that failed, or none */
	int fail_status;     /* its exit status for tune */
	struct buffer fail_text; /* its message */
	size_t diverged; /* the first combination that diverged, or none */
	struct buffer diverged_text; /* its message */
};

/*
 * The signal that asked tune to stop, or 0, and the pipe its handler writes to
 * so that poll wakes: a handler can only reach the loop through file-scope
 * variables.
 */
static volatile sig_atomic_t stop_signal;
static int wake_fd = -1;

static void
on_stop_signal(int sig)
{
	int saved = errno;
	ssize_t n;

	stop_signal = sig;
	n = write(wake_fd, "", 1);
	(void)n;
	errno = saved;
}

/* Make a pipe whose ends are closed on exec. Returns 0, or -1 with errno set.
 */
static int
make_pipe(int fd[2], int nonblock)
{
	if (pipe(fd) != 0)
		return -1;
	for (int i = 0; i < 2; i++)
		if (fcntl(fd[i], F_SETFD, FD_CLOEXEC) == -1 ||
		    (nonblock && fcntl(fd[i], F_SETFL, O_NONBLOCK) == -1))
			return -1;
	return 0;
}

/* SIGINT and SIGTERM set stop_signal and wake the loop; returns the pipe's read
 * end. */
static int
catch_stop_signals(void)
{
	struct sigaction sa;
	int fd[2];

	if (make_pipe(fd, 1) != 0)
		error_die_errno(EXIT_INPUT, "pipe");
	wake_fd = fd[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return fd[0];
}

static void
buffer_append(struct buffer *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		b->cap = (b->len + len + 1) * 2;
		b->data = xreallocarray(b->data, b->cap, 1);
	}
	memcpy(b->data + b->len, s, len);
	b->len += len;
	b->data[b->len] = '\0';
}

/*
 * In the child, after fork: standard input from reopen (a path, or NULL to keep
 * ours), standard output and error to the pipes out and errfd, then run argv
 * from exe, our own executable. Never returns.
 */
static _Noreturn void
child_exec(const char *exe, char **argv, int out, int errfd, const char *reopen)
{
	int in;

	if (reopen != NULL &&
	    ((in = open(reopen, O_RDONLY | O_CLOEXEC)) == -1 ||
		dup2(in, STDIN_FILENO) == -1)) {
		char name[512];

		error_clean(name, sizeof(name), reopen);
		dprintf(errfd, "descend: %s: %s\n", name, strerror(errno));
		_exit(EXIT_INPUT);
	}
	if (dup2(out, STDOUT_FILENO) == -1 || dup2(errfd, STDERR_FILENO) == -1)
		_exit(EXIT_INPUT);
	execv(exe, argv);
	error_warn("%s: %s", exe, strerror(errno));
	_exit(EXIT_INPUT);
}

static void stop_after(struct tune_run *r, size_t c);

/* Stop every child and exit 1 as error_die_errno does for what and errno. */
static _Noreturn void
run_error(struct tune_run *r, const char *what)
{
	int saved = errno;

	stop_after(r, NO_COMBINATION);
	errno = saved;
	error_die_errno(EXIT_INPUT, "%s", what);
}

/* Start combination c in the free job j, reading from pipes its stdout and
 * stderr. */
static void
start_job(struct tune_run *r, struct job *j, size_t c)
{
	int out[2], errp[2];
	char reopen[64], **argv;

	argv = fit_command(r->o, c, 1, r->input == -1 ? r->o->input : NULL);
	snprintf(reopen, sizeof(reopen), "/proc/self/fd/%d", r->input);
	if (make_pipe(out, 0) != 0 || make_pipe(errp, 0) != 0)
		run_error(r, "pipe");
	if ((j->pid = fork()) == -1)
		run_error(r, "fork");
	if (j->pid == 0)
		child_exec(r->exe, argv, out[1], errp[1],
		    r->input == -1 ? NULL : reopen);
	close(out[1]);
	close(errp[1]);
	free_words(argv);
	j->combination = c;
	j->fd[0] = out[0];
	j->fd[1] = errp[0];
	j->text[0].len = j->text[1].len = 0;
	r->running++;
}

/* SIGTERM to the child of every job whose combination comes after c. */
static void
stop_after(struct tune_run *r, size_t c)
{
	for (size_t i = 0; i < r->o->jobs; i++)
		if (r->job[i].pid > 0 &&
		    (c == NO_COMBINATION || r->job[i].combination > c))
			kill(r->job[i].pid, SIGTERM);
}

/*
 * Record that combination c failed with exit status (for tune) and message text
 * (len bytes); the first combination to fail is the one reported, so that the
 * outcome does not depend on -j, and later ones are stopped.
 */
static void
fail(struct tune_run *r, size_t c, int status, const char *text, size_t len)
{
	if (c > r->failed)
		return;
	r->failed = c;
	r->fail_status = status;
	r->fail_text.len = 0;
	buffer_append(&r->fail_text, text, len);
	stop_after(r, c);
}

/* ------------------------------------------------------------ what the fits
 * say */

/* Write s to f for a POSIX shell: as it is if it is plain, else in single
 * quotes. */
static void
print_quoted(FILE *f, const char *s)
{
	if (*s != '\0' &&
	    strspn(s,
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		"0123456789_./=,:+-") == strlen(s)) {
		fputs(s, f);
		return;
	}
	putc('\'', f);
	for (; *s != '\0'; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			putc(*s, f);
	putc('\'', f);
}

/* The words of v from first on, shell-quoted and separated by spaces, to f. */
static void
print_words(FILE *f, char **v, size_t first)
{
	for (size_t i = first; v[i] != NULL; i++) {
		if (i > first)
			putc(' ', f);
		print_quoted(f, v[i]);
	}
}

/* Combination c as its grid options, "--learning-rate 0.1 --mode sgd",
 * allocated. */
static char *
describe(const struct tune_options *o, size_t c)
{
	char **v = NULL, *text = NULL;
	size_t n = 0, len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		error_die_errno(EXIT_INPUT, "open_memstream");
	push_grid(&v, &n, o, c);
	print_words(f, v, 0);
	free_words(v);
	if (fclose(f) != 0)
		error_die_errno(EXIT_INPUT, "open_memstream");
	return text;
}

/* Fail combination c with a message of our own (exit status 1), naming it. */
static void
fail_with(struct tune_run *r, size_t c, const char *what)
{
	char *combination = describe(r->o, c), *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		error_die_errno(EXIT_INPUT, "open_memstream");
	fprintf(f, "descend: fit with %s %s\n", combination, what);
	if (fclose(f) != 0)
		error_die_errno(EXIT_INPUT, "open_memstream");
	fail(r, c, EXIT_INPUT, text, len);
	free(text);
	free(combination);
}

/*
 * Take the outcome of job j's child, which ended with wait status st: its
 * scores, a divergence, or a failure (the first of which tune reports). A child
 * stopped because an earlier combination failed, or by our stop signal, is
 * ignored.
 */
static void
finish(struct tune_run *r, const struct job *j, int st)
{
	size_t c = j->combination;
	const struct buffer *out = &j->text[0], *msg = &j->text[1];
	char what[128];

	if (c > r->failed || stop_signal != 0)
		return;
	if (WIFSIGNALED(st)) {
		snprintf(what, sizeof(what), "was killed by signal %d (%s)",
		    WTERMSIG(st), strsignal(WTERMSIG(st)));
		fail_with(r, c, what);
	} else if (WEXITSTATUS(st) == EXIT_OK) {
		struct cv_scores cv;

		r->score[c].status = EXIT_OK;
		if (cv_scores_read(out->data ? out->data : "", out->len,
			r->o->cv, &cv) != 0)
			fail_with(r, c, "printed scores that tune cannot read");
		r->score[c].loss = cv.mean;
		r->score[c].sd = cv.sd;
		cv_scores_free(&cv);
	} else if (WEXITSTATUS(st) == EXIT_DIVERGED) {
		r->score[c].status = EXIT_DIVERGED;
		if (c < r->diverged) {
			r->diverged = c;
			r->diverged_text.len = 0;
			buffer_append(&r->diverged_text,
			    msg->data ? msg->data : "", msg->len);
		}
	} else if (WEXITSTATUS(st) == EXIT_USAGE) {
		/* Invalid: ranked last with its reason (report decides). */
		r->score[c].status = EXIT_USAGE;
		r->score[c].reason = xstrdup(msg->data ? msg->data : "");
	} else if (WEXITSTATUS(st) == EXIT_INPUT) {
		fail(r, c, WEXITSTATUS(st), msg->data ? msg->data : "",
		    msg->len);
	} else {
		snprintf(what, sizeof(what), "exited with status %d",
		    WEXITSTATUS(st));
		fail_with(r, c, what);
	}
}

/* Wait for job j's child, whose pipes are closed, take its outcome, free the
 * job. */
static void
reap(struct tune_run *r, struct job *j)
{
	int st;

	while (waitpid(j->pid, &st, 0) == -1)
		if (errno != EINTR)
			run_error(r, "waitpid");
	j->pid = 0;
	r->running--;
	finish(r, j, st);
}

/* Read what is there on pipe k of job j; at end of file close it. */
static void
read_pipe(struct tune_run *r, struct job *j, int k)
{
	char buf[65536];
	ssize_t n = read(j->fd[k], buf, sizeof(buf));

	if (n < 0 && errno == EINTR)
		return;
	if (n < 0)
		run_error(r, "read");
	if (n > 0) {
		buffer_append(&j->text[k], buf, (size_t)n);
		return;
	}
	close(j->fd[k]);
	j->fd[k] = -1;
}

/*
 * Wait until a child writes, ends or a stop signal arrives (wake is the signal
 * pipe's read end), read what there is, and reap the children that have closed
 * both pipes.
 */
static void
wait_for_output(struct tune_run *r, int wake)
{
	struct pollfd *p = r->pfd;
	size_t n = 0;
	char drain[64];

	p[n++] = (struct pollfd){ .fd = wake, .events = POLLIN };
	for (size_t i = 0; i < r->o->jobs; i++)
		for (int k = 0; k < 2; k++)
			p[n++] = (struct pollfd){ .fd = r->job[i].pid > 0
				    ? r->job[i].fd[k]
				    : -1,
				.events = POLLIN };
	if (poll(p, n, -1) == -1) {
		if (errno != EINTR)
			run_error(r, "poll");
		return;
	}
	while (read(wake, drain, sizeof(drain)) > 0)
		continue;
	for (size_t i = 0; i < r->o->jobs; i++) {
		struct job *j = &r->job[i];

		for (int k = 0; k < 2; k++)
			if (j->pid > 0 && j->fd[k] != -1 &&
			    (p[1 + 2 * i + (size_t)k].revents &
				(POLLIN | POLLHUP | POLLERR)))
				read_pipe(r, j, k);
		if (j->pid > 0 && j->fd[0] == -1 && j->fd[1] == -1)
			reap(r, j);
	}
}

/* A job without a child; there is one whenever fewer than o->jobs are running.
 */
static struct job *
free_job(struct tune_run *r)
{
	for (size_t i = 0; i < r->o->jobs; i++)
		if (r->job[i].pid == 0)
			return &r->job[i];
	assert(!"a free job while fewer than -j run");
	abort();
}

/* Stopped by a signal: stop the children, wait for them, exit 128 + the signal.
 */
static _Noreturn void
interrupted(struct tune_run *r)
{
	int sig = stop_signal;

	stop_after(r, NO_COMBINATION);
	for (size_t i = 0; i < r->o->jobs; i++) {
		struct job *j = &r->job[i];

		for (int k = 0; k < 2; k++)
			if (j->pid > 0 && j->fd[k] != -1)
				close(j->fd[k]);
		while (j->pid > 0 && waitpid(j->pid, NULL, 0) == -1 &&
		    errno == EINTR)
			continue;
	}
	error_warn("interrupted by %s; nothing written",
	    sig == SIGINT ? "SIGINT" : "SIGTERM");
	exit(128 + sig);
}

/*
 * Run every combination in order, at most o->jobs at once, until all are done
 * or one has failed and those before it are done; wake is the stop signals'
 * pipe.
 */
static void
run_all(struct tune_run *r, int wake)
{
	size_t n = r->o->ncombinations;

	while (r->running > 0 || (r->next < n && r->failed == NO_COMBINATION)) {
		if (stop_signal != 0)
			interrupted(r);
		while (r->running < r->o->jobs && r->next < n &&
		    r->failed == NO_COMBINATION)
			start_job(r, free_job(r), r->next++);
		wait_for_output(r, wake);
	}
	if (stop_signal != 0)
		interrupted(r);
}

/*
 * The path of our own executable, allocated. /proc/self/exe itself would do for
 * execv, but its target is what valgrind (make valgrind) reports as the
 * program.
 */
static char *
own_executable(void)
{
	size_t size = 256;
	char *path = NULL;
	ssize_t n;

	for (;;) {
		path = xreallocarray(path, size, 1);
		if ((n = readlink("/proc/self/exe", path, size)) < 0) {
			free(path);
			return xstrdup("/proc/self/exe");
		}
		if ((size_t)n < size)
			break;
		size *= 2;
	}
	path[n] = '\0';
	return path;
}

static void
run_init(struct tune_run *r, const struct tune_options *o, int input)
{
	*r = (struct tune_run){ .o = o,
		.exe = own_executable(),
		.input = input,
		.failed = NO_COMBINATION,
		.diverged = NO_COMBINATION };
	r->job = xcalloc(o->jobs, sizeof(*r->job));
	r->pfd = xcalloc(2 * o->jobs + 1, sizeof(*r->pfd));
	r->score = xcalloc(o->ncombinations, sizeof(*r->score));
}

static void
run_free(struct tune_run *r)
{
	for (size_t i = 0; i < r->o->jobs; i++)
		for (int k = 0; k < 2; k++)
			free(r->job[i].text[k].data);
	if (r->input != -1)
		close(r->input);
	free(r->exe);
	free(r->job);
	free(r->pfd);
	for (size_t c = 0; c < r->o->ncombinations; c++)
		free(r->score[c].reason);
	free(r->score);
	free(r->fail_text.data);
	free(r->diverged_text.data);
}

/* ------------------------------------------------------------ the results */

/*
 * A combination's place: scored ones by loss, then diverged ones, then those
 * fit refused, ties in order.
 */
struct ranked {
	size_t c; /* the combination */
	int last; /* 0 scored, 1 diverged, 2 invalid */
	double loss;
};

static int
compare_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->last != y->last)
		return x->last - y->last;
	if (!x->last && x->loss != y->loss)
		return x->loss < y->loss ? -1 : 1;
	return x->c < y->c ? -1 : x->c > y->c;
}

/* The combinations, best first, as an allocated array of ncombinations. */
static struct ranked *
rank(const struct tune_run *r)
{
	size_t n = r->o->ncombinations;
	struct ranked *order = xcalloc(n, sizeof(*order));

	for (size_t c = 0; c < n; c++)
		order[c] = (struct ranked){ .c = c,
			.loss = r->score[c].loss,
			.last = r->score[c].status == EXIT_OK	  ? 0
			    : r->score[c].status == EXIT_DIVERGED ? 1
								  : 2 };
	qsort(order, n, sizeof(*order), compare_ranked);
	return order;
}

/*
 * The ranked table, to -o FILE (atomically) or standard output: a header rank,
 * the grids' keys, cv_loss, cv_sd, status, then a line per combination, best
 * first. Returns 0, or -1 with e filled.
 */
static int
write_table(const struct tune_run *r, const struct ranked *order,
    struct error *e)
{
	const struct tune_options *o = r->o;
	struct outfile out;

	if (outfile_open(&out, o->output, e) != 0)
		return -1;
	fputs("rank", out.f);
	for (size_t g = 0; g < o->ngrids; g++) {
		putc(',', out.f);
		csv_write_field(out.f, o->grid[g].opt->name, ',');
	}
	fputs(",cv_loss,cv_sd,status\n", out.f);
	for (size_t i = 0; i < o->ncombinations; i++) {
		const struct score *s = &r->score[order[i].c];

		fprintf(out.f, "%zu", i + 1);
		for (size_t g = 0; g < o->ngrids; g++) {
			putc(',', out.f);
			csv_write_field(out.f,
			    o->grid[g].value[value_index(o, order[i].c, g)],
			    ',');
		}
		if (s->status == EXIT_OK) {
			putc(',', out.f);
			num_write(out.f, s->loss);
			putc(',', out.f);
			num_write(out.f, s->sd);
			fputs(",ok\n", out.f);
		} else
			fputs(s->status == EXIT_DIVERGED ? ",,,diverged\n"
							 : ",,,invalid\n",
			    out.f);
	}
	return outfile_commit(&out, e);
}

/* On stderr: how many diverged, the best score, and the fit command that got
 * it. */
static void
print_best(const struct tune_run *r, size_t best, size_t ndiverged)
{
	const struct tune_options *o = r->o;
	char **v = fit_command(o, best, 0, o->input);

	if (ndiverged > 0)
		error_warn("%zu of %zu combinations diverged", ndiverged,
		    o->ncombinations);
	fprintf(stderr,
	    "descend: best of %zu combination%s (cv %.10g ± %.10g):\n",
	    o->ncombinations, o->ncombinations == 1 ? "" : "s",
	    r->score[best].loss, r->score[best].sd);
	print_words(stderr, v, 0);
	putc('\n', stderr);
	if (r->input != -1)
		error_warn(
		    "(%s was read once: give that command the same data again)",
		    o->input ? o->input : "standard input");
	free_words(v);
}

/*
 * The first combination holding a grid value that fit refused in every
 * combination it was tried in (a value that is wrong in itself, such as a
 * mistyped word), whose message then is tune's; else NO_COMBINATION. A value
 * refused only with some others is an invalid combination, ranked last.
 */
static size_t
refused_value(const struct tune_run *r)
{
	const struct tune_options *o = r->o;
	size_t first = NO_COMBINATION;

	for (size_t g = 0; g < o->ngrids; g++)
		for (size_t v = 0; v < o->grid[g].nvalues; v++) {
			size_t seen = NO_COMBINATION;
			int all = 1;

			for (size_t c = 0; c < o->ncombinations && all; c++) {
				if (value_index(o, c, g) != v)
					continue;
				all = r->score[c].status == EXIT_USAGE;
				if (seen == NO_COMBINATION)
					seen = c;
			}
			if (all && seen < first)
				first = seen;
		}
	return first;
}

/* Each invalid combination and why fit refused it, on stderr. */
static void
print_invalid(const struct tune_run *r)
{
	for (size_t c = 0; c < r->o->ncombinations; c++) {
		const char *why = r->score[c].reason;
		char *combination;

		if (r->score[c].status != EXIT_USAGE)
			continue;
		combination = describe(r->o, c);
		if (strncmp(why, "descend: ", 9) == 0)
			why += 9;
		error_warn("invalid: %s: %.*s", combination,
		    (int)strcspn(why, "\n"), why);
		free(combination);
	}
}

/*
 * For each grid of three or more numbers: a warning when the best combination's
 * value is the smallest or the largest of them, where a value beyond the grid
 * may do better.
 */
static void
print_edges(const struct tune_run *r, size_t best)
{
	const struct tune_options *o = r->o;

	for (size_t g = 0; g < o->ngrids; g++) {
		const struct grid *gr = &o->grid[g];
		double lo = HUGE_VAL, hi = -HUGE_VAL, x, v;
		int numeric = gr->nvalues >= 3;

		for (size_t i = 0; i < gr->nvalues && numeric; i++) {
			numeric = num_parse(gr->value[i], strlen(gr->value[i]),
				      &x) == NUM_OK;
			lo = fmin(lo, x);
			hi = fmax(hi, x);
		}
		if (!numeric || lo == hi)
			continue;
		num_parse(gr->value[value_index(o, best, g)],
		    strlen(gr->value[value_index(o, best, g)]), &v);
		if (v == lo || v == hi)
			error_warn(
			    "warning: the best --%s, %s, is the %s of its "
			    "grid: "
			    "a value %s it may do better",
			    gr->opt->name, gr->value[value_index(o, best, g)],
			    v == lo ? "smallest" : "largest",
			    v == lo ? "below" : "above");
	}
}

/* A child's message on stderr as it wrote it, ending in a newline. */
static void
print_message(const struct buffer *b)
{
	if (b->len == 0)
		return;
	fwrite(b->data, 1, b->len, stderr);
	if (b->data[b->len - 1] != '\n')
		putc('\n', stderr);
}

/*
 * Say how it went and return tune's exit status: the first failure's message
 * and status; 3 if every combination diverged; else 0 after the table and,
 * unless quiet, the best command.
 */
static int
report(const struct tune_run *r)
{
	size_t n = r->o->ncombinations, ndiverged = 0, ninvalid = 0, c;
	struct ranked *order;
	struct error e;

	if (r->failed != NO_COMBINATION) {
		print_message(&r->fail_text);
		return r->fail_status;
	}
	if ((c = refused_value(r)) != NO_COMBINATION) {
		fputs(r->score[c].reason, stderr);
		return EXIT_USAGE;
	}
	for (size_t k = 0; k < n; k++) {
		ndiverged += r->score[k].status == EXIT_DIVERGED;
		ninvalid += r->score[k].status == EXIT_USAGE;
	}
	if (ndiverged + ninvalid == n && ninvalid > 0) {
		print_invalid(r);
		error_warn(
		    "no combination could be scored: %zu diverged, %zu invalid",
		    ndiverged, ninvalid);
		return ndiverged > 0 ? EXIT_DIVERGED : EXIT_USAGE;
	}
	if (ndiverged == n) {
		print_message(&r->diverged_text);
		if (n == 1)
			error_warn("the only combination diverged");
		else
			error_warn("all %zu combinations diverged", n);
		return EXIT_DIVERGED;
	}
	order = rank(r);
	if (write_table(r, order, &e) != 0) {
		free(order);
		error_warn("%s", e.msg);
		return e.status;
	}
	if (!r->o->quiet) {
		print_invalid(r);
		print_best(r, order[0].c, ndiverged);
		print_edges(r, order[0].c);
	}
	free(order);
	return EXIT_OK;
}

int
cmd_tune(int argc, char **argv)
{
	struct tune_options o;
	struct tune_run r;
	int wake, status;

	parse_options(argc, argv, &o);
	check_output(o.output);
	run_init(&r, &o, prepare_input(o.input));
	wake = catch_stop_signals();
	run_all(&r, wake);
	status = report(&r);
	close(wake);
	close(wake_fd);
	run_free(&r);
	options_free(&o);
	return status;
}
