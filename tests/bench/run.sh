#!/bin/sh
# descend benchmark (issue 6). Run from anywhere; `make bench` builds ./descend and runs it.
#
#   sh tests/bench/run.sh
#
# Environment:
#   BENCH_FULL=1     also the 200,000 x 200 data set
#   BENCH_PEERS=1    also pandas + scikit-learn and numpy.loadtxt (Debian's python3-pandas,
#                    python3-sklearn; installed with apt-get when run as root), run with
#                    /usr/bin/python3, and R's data.table::fread + lm (r-base-core,
#                    r-cran-data.table)
#   BENCH_RUNS=N     runs per command, the median is reported (default 3)
#   BENCH_PEER_RUNS=N  runs per peer command (default 1: the peers take minutes, and
#                    their ratios to descend are far from 1)
#   BENCH_SIZES="ROWSxCOLS ..."   data sets to use instead of the defaults
#
# The table gives each command's median seconds, median peak RSS and the ratio of its time
# to a reference row: the tokenizer to wc -l, descend's load (fit -e 1) to the tokenizer
# and wc -l (with --threads 1, and with the default, all processors), each fit to that
# load (with the time of one more epoch, roughly: fit minus load, over the extra
# epochs), each peer to the descend row it stands for. sgd and minibatch fits go with
# the load of an sgd fit, whose rows are on huge pages (src/dataset.c says why only
# theirs). The "fresh memory" rows time writing as many doubles as the rows hold into
# memory new to the process (tests/bench/stream.c touch), a cost the tokenizer does
# not have and every load does: on a virtual machine whose host takes back freed
# memory it is a large part of the load.
#
# Data is generated once by tests/bench/gen.c and cached in build/bench/ (regenerated
# when gen.c changes). The page cache is warmed before each timed command: a
# machine may page out file pages that were idle a few seconds (this VM runs DAMON's
# pageout on cold memory: of the 175 MiB file, 164 MiB were cached after a run and
# 150 MiB 20 s later), and a load that met the disk would time the disk. The runs go
# in rounds, every command once a round, so that the machine's slow spells fall on
# all rows alike.
# Each command's wall time and peak RSS (GNU time's %M) are the medians over its runs,
# taken separately.
set -eu

cd "$(dirname "$0")/../.."
BENCH=build/bench
CC=${CC:-cc}
RUNS=${BENCH_RUNS:-3}
PEER_RUNS=${BENCH_PEER_RUNS:-1}
PY=/usr/bin/python3
case $RUNS in '' | *[!0-9]* | 0) echo "bench: BENCH_RUNS must be a whole number >= 1" >&2; exit 2 ;; esac
case $PEER_RUNS in '' | *[!0-9]* | 0) echo "bench: BENCH_PEER_RUNS must be a whole number >= 1" >&2; exit 2 ;; esac

if [ ! -x ./descend ]; then
	echo "bench: ./descend is missing; run \`make bench\` (or \`make\` first)" >&2
	exit 1
fi

# Debian packages: install when root, else say how and stop (or skip, for the peers).
need_packages() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "bench: needs Debian packages: sudo apt-get install -y $*" >&2
		return 1
	fi
	echo "bench: installing Debian packages: $*" >&2
	export DEBIAN_FRONTEND=noninteractive
	if ! { apt-get update -qq && apt-get install -y -qq "$@"; } > "$W/apt.log" 2>&1; then
		cat "$W/apt.log" >&2
		return 1
	fi
}

W=$(mktemp -d "${TMPDIR:-/tmp}/descend-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
RESULTS=$W/results

[ -x /usr/bin/time ] || need_packages time || exit 1

PEERS=${BENCH_PEERS:-0}
if [ "$PEERS" = 1 ]; then
	if ! "$PY" -c 'import pandas, sklearn' 2>/dev/null; then
		if [ ! -x "$PY" ] || ! need_packages python3-pandas python3-sklearn ||
		    ! "$PY" -c 'import pandas, sklearn'; then
			echo "bench: no pandas/scikit-learn for $PY; the peers are left out" >&2
			PEERS=0
		fi
	fi
fi

R_PEER=$PEERS
if [ "$R_PEER" = 1 ] && ! Rscript -e 'library(data.table)' >/dev/null 2>&1; then
	if ! need_packages r-base-core r-cran-data.table ||
	    ! Rscript -e 'library(data.table)' >/dev/null 2>&1; then
		echo "bench: no R with data.table; that peer is left out" >&2
		R_PEER=0
	fi
fi

# newer A B: A was modified after B (POSIX has find -newer, not test -nt).
newer() {
	[ -n "$(find "$1" -newer "$2" 2>/dev/null)" ]
}

mkdir -p "$BENCH"
for prog in gen tokenize stream; do
	# tokenize -c converts with descend's own src/num.c (built by make, with
	# its C++ half, src/num_ff.cc).
	case $prog in
	gen | stream) src='' libs=-lm ;;
	tokenize) src='build/num.o build/num_ff.o'
		libs='-lcsv -l:libdouble-conversion.a -lsupc++ -lm' ;;
	esac
	if [ ! -x "$BENCH/$prog" ] || newer "tests/bench/$prog.c" "$BENCH/$prog" ||
	    { [ -n "$src" ] && newer build/num.o "$BENCH/$prog"; }; then
		# shellcheck disable=SC2086 # src and libs are lists of words
		$CC -O2 -std=c11 -Wall -Wextra -iquote src -o "$BENCH/$prog" "tests/bench/$prog.c" \
		    $src $libs
	fi
done

# Nanosecond wall clock when date has %N (GNU), else GNU time's centiseconds.
case $(date +%N) in *N*) NS=0 ;; *) NS=1 ;; esac

# measure DATASET KEY REF LABEL CMD...: add CMD (arguments without spaces) to the plan,
# to be timed $RUNS times; REF names the rows it is compared with.
PLAN=$W/plan
: > "$PLAN"
measure() {
	printf '%s\t%s\t%s\t%s\t%s\t' "$1" "$2" "$3" "$RUNS" "$4" >> "$PLAN"
	shift 4
	echo "$*" >> "$PLAN"
}

# time_one N CMD...: run CMD once (stdout discarded), its wall time and peak RSS
# appended to $W/times.N and $W/rss.N.
time_one() {
	n=$1
	shift
	t0=$(date +%s%N)
	if ! /usr/bin/time -f '%e %M' -o "$W/tm" "$@" < /dev/null > /dev/null 2> "$W/err"; then
		echo "bench: failed: $*" >&2
		cat "$W/err" "$W/tm" >&2
		exit 1
	fi
	t1=$(date +%s%N)
	read -r e m < "$W/tm"
	if [ "$NS" = 1 ]; then
		echo "$(( (t1 - t0) / 1000 ))" | awk '{ printf "%.6f\n", $1 / 1e6 }' >> "$W/times.$n"
	else
		echo "$e" >> "$W/times.$n"
	fi
	echo "$m" >> "$W/rss.$n"
}

median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# Run the plan in rounds, each command once a round (while it has runs left), so that
# a slow spell of the machine falls on all commands alike rather than on the runs of
# one; then append "DATASET KEY REF SECONDS KIB LABEL" for each to $RESULTS, with
# the medians of its wall times and peak RSS, taken separately.
run_plan() {
	rounds=$(awk -F '\t' '$4 > r { r = $4 } END { print r + 0 }' "$PLAN")
	round=1
	while [ "$round" -le "$rounds" ]; do
		echo "bench: round $round of $rounds" >&2
		n=0
		while IFS='	' read -r set_ds key ref runs label cmd; do
			n=$((n + 1))
			[ "$round" -gt "$runs" ] && continue
			# Warm again: see "page cache" above.
			cat "$BENCH/data-$set_ds.csv" > /dev/null
			# shellcheck disable=SC2086 # cmd is split into its arguments
			time_one "$n" $cmd
		done < "$PLAN"
		round=$((round + 1))
	done
	n=0
	while IFS='	' read -r set_ds key ref runs label cmd; do
		n=$((n + 1))
		t=$(median "$W/times.$n")
		m=$(median "$W/rss.$n")
		printf '%s %s %s %s %s %s\n' "$set_ds" "$key" "$ref" "$t" "$m" "$label" >> "$RESULTS"
		printf 'bench: %-44s %8.3f s %8.1f MiB\n' "$label" "$t" \
		    "$(awk -v k="$m" 'BEGIN { print k / 1024 }')" >&2
	done < "$PLAN"
}

SIZES=${BENCH_SIZES:-1000000x20}
[ -n "${BENCH_SIZES:-}" ] || [ "${BENCH_FULL:-0}" != 1 ] || SIZES="$SIZES 200000x200"

start=$(date +%s)
: > "$RESULTS"
for size in $SIZES; do
	rows=${size%x*} cols=${size#*x}
	case $rows$cols in '' | *[!0-9]*)
		echo "bench: bad size \"$size\" (want ROWSxCOLS)" >&2; exit 2 ;;
	esac
	csv=$BENCH/data-$size.csv
	if [ ! -s "$csv" ] || newer tests/bench/gen.c "$csv"; then
		echo "bench: generating $csv" >&2
		"$BENCH/gen" "$rows" "$cols" > "$csv.tmp"
		mv "$csv.tmp" "$csv"
	fi

	measure "$size" wc - "wc -l" wc -l "$csv"
	measure "$size" tok wc "tokenize (libcsv only)" "$BENCH/tokenize" "$csv"
	measure "$size" conv tok "tokenize -c (libcsv + num.c)" "$BENCH/tokenize" -c "$csv"
	measure "$size" load1 tok,conv,wc "descend fit -q -e 1 --threads 1" \
	    ./descend fit -q -e 1 --threads 1 "$csv"
	measure "$size" load tok,conv,wc,load1 "descend fit -q -e 1 (load)" ./descend fit -q -e 1 "$csv"
	measure "$size" fresh tok "fresh memory, rows' size, small pages" \
	    "$BENCH/stream" "$rows" $((cols + 1)) touch
	measure "$size" fresh_h tok "fresh memory, rows' size, huge pages" \
	    "$BENCH/stream" "$rows" $((cols + 1)) touch-huge
	measure "$size" load_sh load "descend fit -q -m sgd -e 1 (load)" \
	    ./descend fit -q -m sgd -e 1 "$csv"
	measure "$size" batch load "descend fit -q (batch mse, 100 ep)" ./descend fit -q "$csv"
	measure "$size" mini load_sh "descend fit -q -m minibatch -e 10" \
	    ./descend fit -q -m minibatch -e 10 "$csv"
	measure "$size" sgd load_sh "descend fit -q -m sgd -e 10" ./descend fit -q -m sgd -e 10 "$csv"
	measure "$size" mae1 load1 "descend fit -q -l mae -e 100 --threads 1" \
	    ./descend fit -q -l mae -e 100 --threads 1 "$csv"
	measure "$size" mae load,mae1 "descend fit -q -l mae -e 100" \
	    ./descend fit -q -l mae -e 100 "$csv"
	runs=$RUNS RUNS=$PEER_RUNS
	if [ "$PEERS" = 1 ]; then
		measure "$size" p_read load "pandas.read_csv" "$PY" tests/bench/peers.py read_csv "$csv"
		measure "$size" p_loadtxt load "numpy.loadtxt" "$PY" tests/bench/peers.py loadtxt "$csv"
		measure "$size" p_lr batch "pandas + LinearRegression" \
		    "$PY" tests/bench/peers.py lr "$csv"
		measure "$size" p_sgd sgd "pandas + SGDRegressor (10 ep)" \
		    "$PY" tests/bench/peers.py sgd "$csv"
		measure "$size" p_mini mini "pandas + SGDRegressor, batches of 32 (10 ep)" \
		    "$PY" tests/bench/peers.py minibatch "$csv"
		measure "$size" p_mae mae "pandas + SGDRegressor MAE (100 ep)" \
		    "$PY" tests/bench/peers.py mae "$csv"
	fi
	if [ "$R_PEER" = 1 ]; then
		measure "$size" r_lm batch "R data.table::fread + lm" \
		    Rscript tests/bench/peers.R "$csv"
	fi
	RUNS=$runs
done
run_plan

# The yardsticks of an sgd or mini-batch epoch: one pass over the matrix in memory,
# in row order and in a shuffled order (tests/bench/stream.c).
for size in $SIZES; do
	rows=${size%x*} cols=${size#*x}
	echo "$size $("$BENCH/stream" "$rows" $((cols + 1))) $("$BENCH/stream" "$rows" $((cols + 1)) shuffled)"
done > "$W/yardsticks"

# The table: each row's ratio is its time over the time of the row(s) it names.
echo
awk -v runs="$RUNS" -v peer_runs="$PEER_RUNS" -v bench="$BENCH" '
function mib(k) { return k / 1024 }
function pos(x) { return x < 0 ? 0 : x }
FILENAME != ARGV[ARGC - 1] { pass[$1] = $2; gather[$1] = $3; next }
{
	n++; ds[n] = $1; key[n] = $2; ref[n] = $3; t[n] = $4; m[n] = $5
	label[n] = $6; for (i = 7; i <= NF; i++) label[n] = label[n] " " $i
	tm[$1, $2] = $4; name[$2] = $6
}
END {
	short["wc"] = "wc -l"; short["tok"] = "tokenize"; short["conv"] = "tokenize -c"; short["load"] = "descend load"
	short["batch"] = "descend batch"; short["sgd"] = "descend sgd"
	short["load1"] = "load, 1 thread"; short["mae1"] = "mae, 1 thread"
	short["load_sh"] = "sgd load"
	short["mini"] = "descend minibatch"; short["mae"] = "descend mae"
	for (i = 1; i <= n; i++) {
		if (ds[i] != cur) {
			cur = ds[i]; split(cur, rc, "x")
			cmd = "wc -c < " bench "/data-" cur ".csv"; cmd | getline bytes; close(cmd)
			limit = (1.2 * rc[1] * (rc[2] + 1) * 8 + 16 * 1048576) / 1048576
			printf "%s%s rows x %s features (%.1f MB), median of %d runs (peers: %d); " \
			    "RSS target for fit (issue 6): %.1f MiB\n", (i > 1 ? "\n" : ""),
			    rc[1], rc[2], bytes / 1e6, runs, peer_runs, limit
			printf "%-38s %9s %9s  %s\n", "command", "seconds", "peak MiB", "ratio"
		}
		r = ""
		if (ref[i] != "-") {
			k = split(ref[i], refs, ",")
			for (j = 1; j <= k; j++) {
				b = tm[cur, refs[j]]
				r = r sprintf("%s%.2f x %s", (j > 1 ? ", " : ""),
				    b > 0 ? t[i] / b : 0, short[refs[j]])
			}
		}
		if (key[i] == "load" || key[i] == "load1")
			r = r sprintf(" (%.0f MB/s)", bytes / 1e6 / t[i])
		if (key[i] == "tok")
			r = r sprintf(" (%.0f MB/s)", bytes / 1e6 / t[i])
		if (key[i] == "mini" || key[i] == "sgd") {
			ms = pos(t[i] - tm[cur, "load_sh"]) / 9 * 1000
			r = r sprintf("; ~%.1f ms/extra epoch = %.2f x pass, %.2f x shuffled pass",
			    ms, ms / pass[cur], ms / gather[cur])
		}
		if (key[i] == "mae" || key[i] == "batch")
			r = r sprintf("; ~%.1f ms/extra epoch", pos(t[i] - tm[cur, "load"]) / 99 * 1000)
		if (key[i] == "mae1")
			r = r sprintf("; ~%.1f ms/extra epoch", pos(t[i] - tm[cur, "load1"]) / 99 * 1000)
		printf "%-38s %9.3f %9.1f  %s\n", label[i], t[i], mib(m[i]), r
	}
}' "$W/yardsticks" "$RESULTS"
while read -r size pass gather; do
	rows=${size%x*} cols=${size#*x}
	echo "one pass over the $rows x $((cols + 1)) doubles in memory (fastest of 7): $pass ms in row order (issue 6's yardstick for an sgd or mini-batch epoch), $gather ms in a shuffled order with the shuffle (the floor of such an epoch)"
done < "$W/yardsticks"
echo
echo "bench: done in $(( $(date +%s) - start )) s" >&2
