/*
 * cmd/completion.c: descend completion bash|zsh. Prints a shell completion
 * script made at run time from the tables the option parsers use (main.c's
 * subcommands, each command's option table of opt.h with the words its
 * options take), so that the script always offers what this very binary
 * accepts.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "failure.h"
#include "opt.h"

#ifndef DESCEND_VERSION
#define DESCEND_VERSION "unknown"
#endif

static const char synopsis[] = "usage: descend completion bash|zsh\n";

static const char help_head[] =
    "\nPrint a completion script for bash or zsh, made from descend's own "
    "option\n"
    "tables: it completes subcommands, options, their fixed values (such as "
    "the\n"
    "optimizers after -O) and file names.\n\n"
    "  bash   source <(descend completion bash), or save it as\n"
    "         /usr/share/bash-completion/completions/descend (make install "
    "does)\n"
    "  zsh    save it as _descend in a directory of $fpath, or after "
    "compinit:\n"
    "         source <(descend completion zsh)\n\n";
static const char help_tail[] =
    "\nExit status: 0 done, 2 usage. See descend(1).\n";

enum { ID_HELP = 1 };

static const struct opt_spec completion_opts[] = {
	{ "help", 'h', OPT_FLAG, .offset = OPT_NO_STORE, .id = ID_HELP,
	    .help = "show this help" },
};

#define NCOMPLETION (sizeof(completion_opts) / sizeof(completion_opts[0]))

const struct opt_spec *
cmd_completion_options(size_t *n)
{
	*n = NCOMPLETION;
	return completion_opts;
}

/*
 * Each subcommand's option tables (opt.h): one, or fit's then tune's own; and,
 * once load_tables has run, the tables as getopt_long takes them.
 */
static struct command_options {
	const char *name;
	const struct opt_spec *(*tables[2])(size_t *); /* the second may be
							  NULL */
	const struct opt_spec *specs[2];
	size_t n[2];
	struct option *table[2];
} command_options[] = {
	{ .name = "fit", .tables = { cmd_fit_options, NULL } },
	{ .name = "predict", .tables = { cmd_predict_options, NULL } },
	{ .name = "eval", .tables = { cmd_eval_options, NULL } },
	{ .name = "tune", .tables = { cmd_fit_options, cmd_tune_own_options } },
	{ .name = "plot", .tables = { cmd_plot_options, NULL } },
	{ .name = "path", .tables = { cmd_path_options, NULL } },
	{ .name = "export", .tables = { cmd_export_options, NULL } },
	{ .name = "completion", .tables = { cmd_completion_options, NULL } },
};

#define NCOMMANDS (sizeof(command_options) / sizeof(command_options[0]))

/* ------------------------------------------------------------------------ */
/* What the tables say                                                       */
/* ------------------------------------------------------------------------ */

/* Make the getopt_long tables of the commands' option tables. */
static void
load_tables(void)
{
	char *shorts;

	for (size_t i = 0; i < NCOMMANDS; i++)
		for (size_t t = 0; t < 2; t++) {
			struct command_options *c = &command_options[i];

			if (c->tables[t] == NULL)
				continue;
			c->specs[t] = c->tables[t](&c->n[t]);
			opt_getopt(c->specs[t], c->n[t], &c->table[t], &shorts);
			free(shorts);
		}
}

/* The options of the subcommand name: the entry for it, or NULL if it has none.
 */
static const struct command_options *
options_of(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(command_options[i].name, name) == 0)
			return &command_options[i];
	return NULL;
}

/* The short option of o, or 0 if it has none. */
static int
short_of(const struct option *o)
{
	return o->flag == NULL && o->val > 0 && o->val < 128 && isalnum(o->val)
	    ? o->val
	    : 0;
}

/*
 * The fixed values option o of c takes, separated by spaces, in buf (of size
 * bytes); NULL if its argument is free. tune's --grid takes KEY=...: its values
 * are fit's options that take an argument and that tune may grid (neither
 * OPT_NO_TUNE nor OPT_NO_GRID), each followed by "=".
 */
static const char *
values_of(const struct command_options *c, const struct option *o, char *buf,
    size_t size)
{
	const struct opt_spec *s = NULL;
	size_t nfit;

	buf[0] = '\0';
	if (strcmp(c->name, "tune") == 0 && strcmp(o->name, "grid") == 0) {
		const struct opt_spec *fit = cmd_fit_options(&nfit);

		for (size_t i = 0; i < nfit; i++)
			if (fit[i].kind != OPT_FLAG &&
			    !(fit[i].flags & (OPT_NO_TUNE | OPT_NO_GRID)))
				snprintf(buf + strlen(buf), size - strlen(buf),
				    "%s%s=", buf[0] ? " " : "", fit[i].name);
		return buf;
	}
	for (size_t t = 0; t < 2 && s == NULL && c->specs[t] != NULL; t++)
		s = opt_named(c->specs[t], c->n[t], o->name, strlen(o->name));
	return s == NULL ? NULL : opt_words(s, " ", buf, size);
}

/* The table entry of option o of c, or NULL. */
static const struct opt_spec *
spec_of(const struct command_options *c, const struct option *o)
{
	const struct opt_spec *s = NULL;

	for (size_t t = 0; t < 2 && s == NULL && c->specs[t] != NULL; t++)
		s = opt_named(c->specs[t], c->n[t], o->name, strlen(o->name));
	return s;
}

/* Call fn for every option of c, in the tables' order. */
static void
each_option(FILE *f, const struct command_options *c,
    void (*fn)(FILE *, const struct command_options *, const struct option *))
{
	for (size_t t = 0; t < 2 && c->table[t] != NULL; t++)
		for (const struct option *o = c->table[t]; o->name != NULL; o++)
			fn(f, c, o);
}

/* Write s in single quotes for a shell, a quote within as '\''. */
static void
put_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s != '\0'; s++)
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	fputc('\'', f);
}

/* ------------------------------------------------------------------------ */
/* bash                                                                      */
/* ------------------------------------------------------------------------ */

static void
bash_long(FILE *f, const struct command_options *c, const struct option *o)
{
	(void)c;
	fprintf(f, " --%s", o->name);
}

static void
bash_short(FILE *f, const struct command_options *c, const struct option *o)
{
	(void)c;
	if (short_of(o))
		fprintf(f, " -%c", short_of(o));
}

/* A case pattern for the option o of c, in each of its forms: c:--long|c:-s */
static void
bash_pattern(FILE *f, const struct command_options *c, const struct option *o)
{
	fprintf(f, "%s:--%s", c->name, o->name);
	if (short_of(o))
		fprintf(f, "|%s:-%c", c->name, short_of(o));
}

static void
bash_takes(FILE *f, const struct command_options *c, const struct option *o)
{
	if (o->has_arg != required_argument)
		return;
	fputs("\t", f);
	bash_pattern(f, c, o);
	fputs(") return 0 ;;\n", f);
}

static void
bash_values(FILE *f, const struct command_options *c, const struct option *o)
{
	char buf[2048];
	const char *values;

	if (o->has_arg == no_argument ||
	    (values = values_of(c, o, buf, sizeof(buf))) == NULL)
		return;
	fputs("\t", f);
	bash_pattern(f, c, o);
	fputs(") echo ", f);
	put_quoted(f, values);
	fputs(" ;;\n", f);
}

static void
bash_columns(FILE *f, const struct command_options *c, const struct option *o)
{
	const struct opt_spec *s = spec_of(c, o);

	if (s == NULL || !(s->flags & OPT_COLUMNS))
		return;
	fputs("\t", f);
	bash_pattern(f, c, o);
	fputs(") return 0 ;;\n", f);
}

/* A shell function NAME: `case $1:$2 in` one arm per option of each command, by
 * fn. */
static void
bash_case_function(FILE *f, const char *comment, const char *name,
    void (*fn)(FILE *, const struct command_options *, const struct option *),
    const char *otherwise)
{
	const char *cmd;

	fprintf(f, "\n# %s\n%s() {\n\tcase $1:$2 in\n", comment, name);
	for (size_t i = 0; (cmd = cmd_command(i, NULL)) != NULL; i++)
		if (options_of(cmd) != NULL)
			each_option(f, options_of(cmd), fn);
	fprintf(f, "\tesac\n%s}\n", otherwise);
}

static void
bash_options_function(FILE *f)
{
	const char *cmd;

	fputs("\n# _descend_options COMMAND: its options, long then short.\n"
	      "_descend_options() {\n\tcase $1 in\n",
	    f);
	for (size_t i = 0; (cmd = cmd_command(i, NULL)) != NULL; i++) {
		if (options_of(cmd) == NULL)
			continue;
		fprintf(f, "\t%s) echo", cmd);
		each_option(f, options_of(cmd), bash_long);
		each_option(f, options_of(cmd), bash_short);
		fputs(" ;;\n", f);
	}
	fputs("\tesac\n}\n", f);
}

/*
 * The completion function: which word is being completed decides what is
 * offered. An option's argument may follow it as the next word, after "="
 * (which bash's COMP_WORDBREAKS usually makes a word of its own) or, for a
 * short option, in the same word (-Oadam).
 */
static const char bash_body[] =
    "\n# _descend_header: the column names in the header of the first file\n"
    "# operand of the command line (with its -d delimiter), one a line.\n"
    "_descend_header() {\n"
    "\tlocal i w file= delim=,\n"
    "\tfor ((i = 2; i < ${#COMP_WORDS[@]}; i++)); do\n"
    "\t\tw=${COMP_WORDS[i]}\n"
    "\t\t((i == COMP_CWORD)) && continue\n"
    "\t\tcase $w in\n"
    "\t\t-d|--delimiter) delim=${COMP_WORDS[i+1]-,}; ((i++)); continue ;;\n"
    "\t\t-d?*) delim=${w:2}; continue ;;\n"
    "\t\t-*) _descend_takes \"$cmd\" \"$w\" && ((i++)); continue ;;\n"
    "\t\tesac\n"
    "\t\t[[ -f $w ]] && { file=$w; break; }\n"
    "\tdone\n"
    "\t[[ -n $file ]] || return 0\n"
    "\t[[ $delim == tab || $delim == '\\t' ]] && delim=$'\\t'\n"
    "\thead -n 1 -- \"$file\" 2>/dev/null | tr -d '\\r' |\n"
    "\t    awk -v d=\"$delim\" '{ n = split($0, f, d)\n"
    "\t\tfor (i = 1; i <= n; i++) { gsub(/^\"|\"$/, \"\", f[i]); "
    "print f[i] } }'\n"
    "}\n"
    "\n"
    "# _descend_column_words TEXT PREFIX: the column names starti"
    "ng with TEXT's\n"
    "# last comma-separated item, after PREFIX and the items before it.\n"
    "_descend_column_words() {\n"
    "\tlocal IFS=$'\\n' before= word=$1\n"
    "\t[[ $word == *,* ]] && before=${word%,*}, word=${word##*,}\n"
    "\tCOMPREPLY=($(compgen -P \"$2$before\" -W \"$(_descend_head"
    "er)\" -- \"$word\"))\n"
    "}\n"
    "\n# _descend_files TEXT PREFIX: file names starting with TEXT, after "
    "PREFIX.\n"
    "_descend_files() {\n"
    "\tlocal IFS=$'\\n'\n"
    "\tCOMPREPLY=($(compgen -P \"$2\" -f -- \"$1\"))\n"
    "\tcompopt -o filenames 2>/dev/null\n"
    "}\n"
    "\n"
    "_descend() {\n"
    "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= cmd=${COMP_WORDS[1]-}\n"
    "\tlocal opt= value= prefix= values i\n"
    "\tCOMPREPLY=()\n"
    "\t((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
    "\tif ((COMP_CWORD == 1)); then\n"
    "\t\tif [[ $cur == -* ]]; then\n"
    "\t\t\tCOMPREPLY=($(compgen -W '--help --version -h -V' -- \"$cur\"))\n"
    "\t\telse\n"
    "\t\t\tCOMPREPLY=($(compgen -W \"$_descend_commands\" -- \"$cur\"))\n"
    "\t\tfi\n"
    "\t\treturn 0\n"
    "\tfi\n"
    "\t# After --, only operands.\n"
    "\tfor ((i = 2; i < COMP_CWORD; i++)); do\n"
    "\t\t[[ ${COMP_WORDS[i]} == -- ]] && { _descend_files \"$cur\" ''; return "
    "0; }\n"
    "\tdone\n"
    "\t# The option whose argument is being typed, and what of it is typed so "
    "far.\n"
    "\tif [[ $cur == = && $prev == -* ]]; then\n"
    "\t\topt=$prev\n"
    "\telif [[ $prev == = ]] && ((COMP_CWORD > 2)) &&\n"
    "\t    [[ ${COMP_WORDS[COMP_CWORD-2]} == -* ]]; then\n"
    "\t\topt=${COMP_WORDS[COMP_CWORD-2]} value=$cur\n"
    "\telif [[ $cur == --*=* ]]; then\n"
    "\t\topt=${cur%%=*} value=${cur#*=} prefix=${cur%%=*}=\n"
    "\telif [[ $cur == -[!-]?* ]] && _descend_takes \"$cmd\" \"${cur:0:2}\"; "
    "then\n"
    "\t\topt=${cur:0:2} value=${cur:2} prefix=${cur:0:2}\n"
    "\telif [[ $prev == -* ]] && _descend_takes \"$cmd\" \"$prev\"; then\n"
    "\t\topt=$prev value=$cur\n"
    "\tfi\n"
    "\tif [[ -n $opt ]] && _descend_names \"$cmd\" \"$opt\"; then\n"
    "\t\t_descend_column_words \"$value\" \"$prefix\"\n"
    "\telif [[ -n $opt ]]; then\n"
    "\t\tvalues=$(_descend_values \"$cmd\" \"$opt\")\n"
    "\t\tif [[ -n $values ]]; then\n"
    "\t\t\tCOMPREPLY=($(compgen -P \"$prefix\" -W \"$values\" -- \"$value\"))\n"
    "\t\t\t[[ ${COMPREPLY[0]-} == *= ]] && compopt -o nospace 2>/dev/null\n"
    "\t\telse\n"
    "\t\t\t_descend_files \"$value\" \"$prefix\"\n"
    "\t\tfi\n"
    "\telif [[ $cur == -* ]]; then\n"
    "\t\tCOMPREPLY=($(compgen -W \"$(_descend_options \"$cmd\")\" -- "
    "\"$cur\"))\n"
    "\telif [[ $cmd == completion ]]; then\n"
    "\t\tCOMPREPLY=($(compgen -W 'bash zsh' -- \"$cur\"))\n"
    "\telse\n"
    "\t\t_descend_files \"$cur\" ''\n"
    "\tfi\n"
    "\treturn 0\n"
    "}\n"
    "\n"
    "complete -F _descend descend\n";

static void
write_bash(FILE *f)
{
	const char *cmd;

	fprintf(f,
	    "# bash completion for descend(1), made by `descend completion "
	    "bash`\n"
	    "# from the option tables of descend %s. Load it with\n"
	    "#   source <(descend completion bash)\n"
	    "# or install it as share/bash-completion/completions/descend.\n\n"
	    "_descend_commands=",
	    DESCEND_VERSION);
	fputc('\'', f);
	for (size_t i = 0; (cmd = cmd_command(i, NULL)) != NULL; i++)
		fprintf(f, "%s%s", i ? " " : "", cmd);
	fputs("'\n", f);
	bash_options_function(f);
	bash_case_function(f,
	    "_descend_takes COMMAND OPTION: succeeds if OPTION "
	    "takes an argument.",
	    "_descend_takes", bash_takes, "\treturn 1\n");
	bash_case_function(f,
	    "_descend_values COMMAND OPTION: the fixed values "
	    "OPTION takes, if any.",
	    "_descend_values", bash_values, "");
	bash_case_function(f,
	    "_descend_names COMMAND OPTION: succeeds if OPTION "
	    "names columns of the input.",
	    "_descend_names", bash_columns, "\treturn 1\n");
	fputs(bash_body, f);
}

/* ------------------------------------------------------------------------ */
/* zsh                                                                       */
/* ------------------------------------------------------------------------ */

/* One _arguments spec for option o of c: both its forms, its argument's values.
 */
static void
zsh_spec(FILE *f, const struct command_options *c, const struct option *o)
{
	char buf[2048];
	const char *values;
	int takes = o->has_arg == required_argument, s = short_of(o);

	fputs(" \\\n\t\t", f);
	if (strcmp(o->name, "grid") == 0)
		fputc('*', f); /* tune takes --grid again and again */
	if (s)
		fprintf(f, "{-%c%s,--%s%s}", s, takes ? "+" : "", o->name,
		    takes ? "=" : "");
	else
		fprintf(f, "--%s%s", o->name, takes ? "=" : "");
	if (!takes)
		return;
	values = values_of(c, o, buf, sizeof(buf));
	fprintf(f, "':%s:", o->name);
	if (spec_of(c, o) != NULL && (spec_of(c, o)->flags & OPT_COLUMNS))
		fputs("_descend_columns'", f);
	else if (values != NULL)
		fprintf(f, "(%s)'", values);
	else
		fputs("_files'", f);
}

/* Write s in single quotes for _describe: a colon within as \:. */
static void
zsh_describe_entry(FILE *f, const char *name, const char *summary)
{
	fprintf(f, "\t\t\t'%s:", name);
	for (const char *p = summary; *p != '\0'; p++)
		if (*p == '\'')
			fputs("'\\''", f);
		else if (*p == ':')
			fputs("\\:", f);
		else
			fputc(*p, f);
	fputs("'\n", f);
}

/*
 * The column names of the header of the first file among the operands that
 * _arguments has parsed ($line), split at the -d delimiter (opt_args), as a
 * comma-separated list.
 */
static const char zsh_columns[] =
    "\n_descend_columns() {\n"
    "\tlocal w file= delim=${(Q)${opt_args[-d]:-${opt_args[--delimiter]:-,}}}\n"
    "\tlocal -a cols\n"
    "\tfor w in $line; do\n"
    "\t\t[[ -z $file && -f $w ]] && file=$w\n"
    "\tdone\n"
    "\t[[ -n $file ]] || return 1\n"
    "\t[[ $delim == tab ]] && delim=$'\\t'\n"
    "\tcols=(${(f)\"$(head -n 1 -- $file 2>/dev/null | tr -d '\\r' |\n"
    "\t    awk -v d=\"$delim\" '{ n = split($0, f, d)\n"
    "\t\tfor (i = 1; i <= n; i++) { gsub(/^\"|\"$/, \"\", f[i]); "
    "print f[i] } }')\"})\n"
    "\t_sequence compadd - $cols\n"
    "}\n";

static const char zsh_main_head[] =
    "\n_descend() {\n"
    "\tlocal curcontext=$curcontext state line ret=1\n"
    "\ttypeset -A opt_args\n"
    "\t_arguments -C \\\n"
    "\t\t'(- :)'{-h,--help}'[show the usage]' \\\n"
    "\t\t'(- :)'{-V,--version}'[show the version]' \\\n"
    "\t\t'1: :->command' \\\n"
    "\t\t'*:: :->args' && ret=0\n"
    "\tcase $state in\n"
    "\tcommand)\n"
    "\t\tlocal -a commands\n"
    "\t\tcommands=(\n";

static const char zsh_main_tail[] = "\t\tesac ;;\n"
				    "\tesac\n"
				    "\treturn ret\n"
				    "}\n"
				    "\n"
				    "if [[ $funcstack[1] == _descend ]]; then\n"
				    "\t_descend \"$@\"\n"
				    "else\n"
				    "\tcompdef _descend descend\n"
				    "fi\n";

static void
write_zsh(FILE *f)
{
	const char *cmd, *summary;

	fprintf(f,
	    "#compdef descend\n# zsh completion for descend(1), made by "
	    "`descend completion zsh`\n# from the option tables of descend %s. "
	    "Save "
	    "it as _descend in a directory\n# of $fpath, or after compinit "
	    "load it "
	    "with source <(descend completion zsh).\n",
	    DESCEND_VERSION);
	fputs(zsh_columns, f);
	for (size_t i = 0; (cmd = cmd_command(i, NULL)) != NULL; i++) {
		fprintf(f, "\n_descend_%s() {\n\t_arguments -s -S", cmd);
		if (options_of(cmd) != NULL)
			each_option(f, options_of(cmd), zsh_spec);
		fprintf(f, " \\\n\t\t%s\n}\n",
		    strcmp(cmd, "completion") == 0 ? "'1:shell:(bash zsh)'"
						   : "'*:file:_files'");
	}
	fputs(zsh_main_head, f);
	for (size_t i = 0; (cmd = cmd_command(i, &summary)) != NULL; i++)
		zsh_describe_entry(f, cmd, summary);
	fputs("\t\t)\n\t\t_describe -t commands 'descend command' commands && "
	      "ret=0 ;;\n"
	      "\targs)\n\t\tcurcontext=${curcontext%:*:*}:descend-$words[1]:\n"
	      "\t\tcase $words[1] in\n",
	    f);
	for (size_t i = 0; (cmd = cmd_command(i, NULL)) != NULL; i++)
		fprintf(f, "\t\t%s) _descend_%s && ret=0 ;;\n", cmd, cmd);
	fputs(zsh_main_tail, f);
}

/* ------------------------------------------------------------------------ */
/* The command                                                               */
/* ------------------------------------------------------------------------ */

static void
take_option(const struct opt_spec *s, const char *arg, const char *word,
    void *dst)
{
	(void)arg, (void)word, (void)dst;
	if (s->id == ID_HELP)
		cmd_help(synopsis, help_head, completion_opts, NCOMPLETION, 14,
		    help_tail);
}

int
cmd_completion(int argc, char **argv)
{
	cmd_options(argc, argv, completion_opts, NCOMPLETION, NULL, synopsis,
	    take_option);
	if (argc - optind != 1 ||
	    (strcmp(argv[optind], "bash") != 0 &&
		strcmp(argv[optind], "zsh") != 0)) {
		if (argc - optind > 1)
			error_warn(
			    "completion: one shell at most; \"%s\" is one too "
			    "many",
			    argv[optind + 1]);
		else
			error_warn(
			    "completion: name the shell, bash or zsh%s%s%s",
			    optind < argc ? " (not \"" : "",
			    optind < argc ? argv[optind] : "",
			    optind < argc ? "\")" : "");
		fputs(synopsis, stderr);
		return EXIT_USAGE;
	}
	load_tables();
	if (strcmp(argv[optind], "bash") == 0)
		write_bash(stdout);
	else
		write_zsh(stdout);
	if (fflush(stdout) != 0 || ferror(stdout))
		error_die_errno(EXIT_INPUT, "standard output");
	return EXIT_OK;
}
