#!/bin/sh
# Batch MAE at fit's defaults on the 13 data sets of tests/ref/r/mae/: the
# relative excess of the final mean absolute error over the exact optimum
# (quantreg::rq's, tests/ref/r/mae/optimum.csv) after 100, 1000 and 5000
# epochs. The table in the manual (Losses and penalties) is its output.
# usage: sh tests/bench/mae_excess.sh [DESCEND]
set -eu
cd "$(dirname "$0")/../.."
bin=${1:-./descend}
dir=tests/ref/r/mae
printf '%-18s %12s %12s %12s\n' data e100 e1000 e5000
tail -n +2 "$dir/optimum.csv" | while IFS=, read -r name target opt _; do
	printf '%-18s' "$name"
	for e in 100 1000 5000; do
		"$bin" fit -t "$target" -l mae -e "$e" "$dir/$name.csv" 2>&1 \
		    >/dev/null | sed -n 's/^descend: final mae \([^;]*\);.*/\1/p' |
		    awk -v o="$opt" '{ printf " %12.1e", ($1 - o) / o }'
	done
	echo
done
