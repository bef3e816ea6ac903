#!/bin/sh
# Run descend under valgrind memcheck, as the CLI tests' $DESCEND: any memory error
# or definitely lost block makes it exit 99, which no test expects, and valgrind's
# report goes to stderr, which the tests compare. `make valgrind` uses it.
exec valgrind --quiet --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    "$(dirname "$0")/../descend" "$@"
