#!/bin/sh
# pipe.sh FILE CMD...: run CMD with FILE on its standard input through a pipe, as
# `cat FILE | CMD` (tests/bench/formats.sh times a load from a pipe with it).
# The exit status is CMD's.
f=$1
shift
# shellcheck disable=SC2002 # the pipe is what is timed
cat "$f" | "$@"
