/*
 * cmd.h: the subcommands, each a main of its own with argv[0] the subcommand's name.
 * They parse their options, run, print, and return the exit status.
 */
#ifndef DESCEND_CMD_H
#define DESCEND_CMD_H

#define DESCEND_NAME "descend"

int cmd_fit(int argc, char **argv);

/* Parse a whole number in [min, max] for option flag, or exit 2 saying why. */
unsigned long long cmd_number(const char *flag, const char *arg,
    unsigned long long min, unsigned long long max);

/* Report a usage error for option flag and exit 2. */
_Noreturn void cmd_usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
