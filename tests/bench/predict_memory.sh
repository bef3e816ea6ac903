#!/bin/sh
# descend predict in constant memory: stream ROWS generated rows (default
# 10,000,000 x 5 features, about 0.5 GB of CSV, never stored) through a pipe into
# predict, and report its peak RSS, which must stay under 20 MB whatever ROWS is.
# A smaller run first shows that the peak does not grow with the input.
#
#   sh tests/bench/predict_memory.sh [ROWS]
#
# Without ROWS: 10 x $BENCH_ROWS when that is set (make bench tried small).
set -eu
cd "$(dirname "$0")/../.."
BENCH=build/bench
ROWS=${1:-$((10 * ${BENCH_ROWS:-1000000}))}
LIMIT_KB=20480
mkdir -p "$BENCH"
[ -x ./descend ] || { echo "predict_memory: run make first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "predict_memory: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
if [ ! -x "$BENCH/gen" ] || [ -n "$(find tests/bench/gen.c -newer "$BENCH/gen")" ]; then
	${CC:-cc} -O2 -std=c11 -o "$BENCH/gen" tests/bench/gen.c -lm
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/descend-predict.XXXXXX")
trap 'rm -rf "$W"' EXIT

"$BENCH/gen" 10000 5 > "$W/train.csv"
./descend fit -q "$W/train.csv" > "$W/w.csv"

status=0
for n in 100000 "$ROWS"; do
	start=$(date +%s.%N)
	"$BENCH/gen" "$n" 5 | /usr/bin/time -f '%M' -o "$W/rss" \
	    ./descend predict -w "$W/w.csv" > "$W/out" 
	end=$(date +%s.%N)
	rows=$(($(wc -l < "$W/out") - 1))
	kb=$(cat "$W/rss")
	printf 'predict %9d rows: %6d KB peak RSS, %d predictions, %.1f s\n' "$n" "$kb" \
	    "$rows" "$(awk "BEGIN { print $end - $start }")"
	[ "$rows" -eq "$n" ] || { echo "predict_memory: expected $n predictions" >&2; status=1; }
	[ "$kb" -lt "$LIMIT_KB" ] || { echo "predict_memory: over $LIMIT_KB KB" >&2; status=1; }
done
exit $status
