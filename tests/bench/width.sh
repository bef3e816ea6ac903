#!/bin/sh
# Width sweep of descend's fits, the exact solver above all, against R and scikit-learn.
#
#     sh tests/bench/width.sh
#
# For each width D, data of WIDTH_ROWS rows and D features from tests/bench/gen.c (cached
# in build/bench/data-ROWSxD.csv, the names tests/bench/run.sh uses), each command run
# WIDTH_RUNS times in rounds, its median wall time, CPU time (user + system) and peak RSS:
#   load       descend fit -q -e 1 (reading, scaling and one batch epoch)
#   batch      descend fit -q (batch MSE, 100 epochs)
#   exact      descend fit -q --solver exact
#   stats      descend fit -q --solver exact --stats
#   mae        descend fit -q -l mae -m batch -O gd -e 20
#   load_r     descend fit -q -r 0.3 -e 1 (a given rate: the epoch a pass over the rows,
#              no moments; src/train.c, use_moments)
#   huber      descend fit -q -l huber -e 20
#   logistic   descend fit -q -l logistic -e 20 on the same features, the target 1 where y
#              is above its mean (build/bench/bin-ROWSxD.csv)
#   r_lm       Rscript tests/bench/peers.R: data.table::fread + lm
#   sk_lr      python3 tests/bench/peers.py lr: pandas.read_csv + LinearRegression
# and the ratios that are the targets: r_lm / exact (at least 4 at 500 features),
# stats / exact (at most 1.3), and load's wall time per field against that at the first
# width (at most 1.2 at 500 features). The load average (uptime) is printed before each width,
# since a shared machine's load changes the wall times.
#
# Environment:
#   WIDTH_ROWS=N         rows (default 100000)
#   WIDTH_FEATURES="..." widths (default "20 50 200 500 1000"; the 1000-feature file is
#                        850 MB)
#   WIDTH_RUNS=N         runs of each descend command (default 1)
#   WIDTH_PEERS=0        leave out R and scikit-learn (which need r-cran-data.table,
#                        python3-pandas and python3-sklearn; installed when root)
set -eu

cd "$(dirname "$0")/../.."
BENCH=build/bench
CC=${CC:-cc}
ROWS=${WIDTH_ROWS:-100000}
FEATURES=${WIDTH_FEATURES:-20 50 200 500 1000}
RUNS=${WIDTH_RUNS:-1}
PEERS=${WIDTH_PEERS:-1}
PY=/usr/bin/python3
case $ROWS$RUNS in '' | *[!0-9]*) echo "width: WIDTH_ROWS and WIDTH_RUNS must be whole numbers" >&2; exit 2 ;; esac

if [ ! -x ./descend ]; then
	echo "width: ./descend is missing; run make first" >&2
	exit 1
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/descend-width.XXXXXX")
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM

need_packages() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "width: needs Debian packages: sudo apt-get install -y $*" >&2
		return 1
	fi
	echo "width: installing Debian packages: $*" >&2
	export DEBIAN_FRONTEND=noninteractive
	{ apt-get update -qq && apt-get install -y -qq "$@"; } > "$W/apt.log" 2>&1 ||
	    { cat "$W/apt.log" >&2; return 1; }
}

[ -x /usr/bin/time ] || need_packages time || exit 1
R_PEER=$PEERS SK_PEER=$PEERS
if [ "$PEERS" = 1 ]; then
	Rscript -e 'library(data.table)' >/dev/null 2>&1 ||
	    { need_packages r-base-core r-cran-data.table &&
	    Rscript -e 'library(data.table)' >/dev/null 2>&1; } || R_PEER=0
	"$PY" -c 'import pandas, sklearn' 2>/dev/null ||
	    { need_packages python3-pandas python3-sklearn &&
	    "$PY" -c 'import pandas, sklearn' 2>/dev/null; } || SK_PEER=0
fi

mkdir -p "$BENCH"
if [ ! -x "$BENCH/gen" ] || [ -n "$(find tests/bench/gen.c -newer "$BENCH/gen")" ]; then
	$CC -O2 -std=c11 -o "$BENCH/gen" tests/bench/gen.c -lm
fi

# one KEY CMD...: run CMD (stdout discarded), append "KEY wall cpu kib" to $W/times.
one() {
	key=$1
	shift
	if ! /usr/bin/time -f '%e %U %S %M' -o "$W/tm" "$@" < /dev/null > /dev/null \
	    2> "$W/err"; then
		echo "width: failed: $*" >&2
		cat "$W/err" "$W/tm" >&2
		exit 1
	fi
	awk -v k="$key" '{ print k, $1, $2 + $3, $4 }' "$W/tm" >> "$W/times"
}

printf '%6s %-8s %9s %9s %9s  %s\n' features command wall_s cpu_s MiB ratio
for d in $FEATURES; do
	csv=$BENCH/data-${ROWS}x$d.csv
	if [ ! -s "$csv" ] || [ -n "$(find tests/bench/gen.c -newer "$csv")" ]; then
		echo "width: generating $csv" >&2
		"$BENCH/gen" "$ROWS" "$d" > "$csv.tmp"
		mv "$csv.tmp" "$csv"
	fi
	bin=$BENCH/bin-${ROWS}x$d.csv
	if [ ! -s "$bin" ] || [ "$csv" -nt "$bin" ]; then
		awk -F, 'NR > 1 { s += $NF; n++ } END { print s / n }' "$csv" > "$W/mean"
		awk -F, -v OFS=, -v m="$(cat "$W/mean")" \
		    'NR == 1 { print; next } { $NF = $NF > m ? 1 : 0; print }' \
		    "$csv" > "$bin.tmp"
		mv "$bin.tmp" "$bin"
	fi
	echo "# $d features: $(uptime | sed 's/.*load/load/')"
	: > "$W/times"
	r=1
	while [ "$r" -le "$RUNS" ]; do
		cat "$csv" > /dev/null
		one load ./descend fit -q -e 1 "$csv"
		one batch ./descend fit -q "$csv"
		one exact ./descend fit -q --solver exact "$csv"
		one stats ./descend fit -q --solver exact --stats "$csv"
		one mae ./descend fit -q -l mae -m batch -O gd -e 20 "$csv"
		one load_r ./descend fit -q -r 0.3 -e 1 "$csv"
		one huber ./descend fit -q -l huber -e 20 "$csv"
		one logistic ./descend fit -q -l logistic -e 20 "$bin"
		r=$((r + 1))
	done
	[ "$R_PEER" = 1 ] && one r_lm Rscript tests/bench/peers.R "$csv"
	[ "$SK_PEER" = 1 ] && one sk_lr "$PY" tests/bench/peers.py lr "$csv"
	# Medians of each column apart; the ratios from the median wall times.
	awk -v d="$d" -v rows="$ROWS" -v first="$(cat "$W/first" 2>/dev/null)" '
	{ n[$1]++; wall[$1, n[$1]] = $2; cpu[$1, n[$1]] = $3; kib[$1, n[$1]] = $4
	  if (!($1 in seen)) { seen[$1] = 1; order[++keys] = $1 } }
	function med(a, k, m,    i, j, v, t) {
		for (i = 1; i <= m; i++) v[i] = a[k, i]
		for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
			if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
		return v[int((m + 1) / 2)]
	}
	END {
		for (i = 1; i <= keys; i++) {
			k = order[i]; w[k] = med(wall, k, n[k])
			c[k] = med(cpu, k, n[k]); m[k] = med(kib, k, n[k]) / 1024
		}
		for (i = 1; i <= keys; i++) {
			k = order[i]; note = ""
			if (k == "stats" && w["exact"] > 0)
				note = sprintf("stats/exact %.2f (target <= 1.3)", w[k] / w["exact"])
			if ((k == "r_lm" || k == "sk_lr") && w["exact"] > 0)
				note = sprintf("%s/exact %.2f%s", k, w[k] / w["exact"],
				    k == "r_lm" && d == 500 ? " (target >= 4)" : "")
			if (k == "load") {
				f = w[k] / (rows * (d + 1)) * 1e9
				note = sprintf("%.1f ns a field", f)
				if (first != "")
					note = note sprintf(", %.2f of the first width (target <= 1.2 at 500)", f / first)
				else
					print f > "'"$W/first"'"
			}
			printf "%6d %-8s %9.2f %9.2f %9.1f  %s\n", d, k, w[k], c[k], m[k], note
		}
	}' "$W/times"
done
