#!/bin/sh
# Time and peak memory of descend's exact quantile regression (src/quantile.c).
# Run from anywhere, after make:
#
#   sh tests/bench/quantile.sh
#
# Environment:
#   QUANTILE_SIZES="ROWSxCOLS ..."   data sets (default: 1000000x20 200000x200)
#   QUANTILE_TAU=t                   the quantile (default 0.5)
#   QUANTILE_R=1                     also R's quantreg::rq(method = "fn") on each,
#                                    (tests/bench/quantile_fn.R: read.csv, then
#                                    rq.fit; both timed)
#
# The data come from tests/bench/gen.c (y linear in the features plus N(0, 1) noise),
# made once into build/bench/. For each set: one run of
#   descend fit -l quantile --tau t --solver exact
# under GNU time -v, its summary lines (iterations, degeneracy, uniqueness), the
# user and system seconds, the wall time and the peak RSS; the load average is shown
# first, since other work on the machine stretches the wall time.
set -eu

cd "$(dirname "$0")/../.."
BENCH=build/bench
TAU=${QUANTILE_TAU:-0.5}
mkdir -p "$BENCH"
[ -x ./descend ] || { echo "build descend first (make)" >&2; exit 1; }
if [ ! -x "$BENCH/gen" ] || [ tests/bench/gen.c -nt "$BENCH/gen" ]; then
	cc -std=c11 -O2 -o "$BENCH/gen" tests/bench/gen.c -lm
fi
for size in ${QUANTILE_SIZES:-1000000x20 200000x200}; do
	rows=${size%x*} cols=${size#*x}
	csv=$BENCH/gen_${rows}x${cols}.csv
	if [ ! -s "$csv" ] || [ tests/bench/gen.c -nt "$csv" ]; then
		"$BENCH/gen" "$rows" "$cols" > "$csv.tmp"
		mv "$csv.tmp" "$csv"
	fi
	echo "== $size, tau $TAU; $(uptime | sed 's/.*load/load/')"
	/usr/bin/time -v ./descend fit -l quantile --tau "$TAU" --solver exact \
	    -o /dev/null "$csv" 2>&1 | grep -E '^descend: [0-9]+ rows|final|optimal|degenerate|non-unique|not proved|User time|System time|Elapsed|Maximum resident'
	if [ "${QUANTILE_R:-0}" = 1 ]; then
		/usr/bin/time -v Rscript tests/bench/quantile_fn.R "$csv" "$TAU" \
		    2>&1 | grep -E '^R:|User time|Elapsed|Maximum resident'
	fi
done
