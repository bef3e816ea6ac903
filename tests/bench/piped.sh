#!/bin/sh
# piped.sh FILE CMD...: run CMD with FILE on its standard input through a pipe (cat FILE |
# CMD), for run.sh, whose commands are words without a shell: a pipe, not a regular file,
# is what standard input then is.
set -eu
f=$1
shift
# shellcheck disable=SC2002 # the pipe is the point
cat "$f" | "$@"
