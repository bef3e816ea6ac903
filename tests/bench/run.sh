#!/bin/sh
# descend benchmark: loading and fitting against the tokenizer and the peers. Run from anywhere; `make bench` builds ./descend and runs it.
#
#   sh tests/bench/run.sh
#
# Environment:
#   BENCH_ROWS=N     rows of the default data set, N x 20 (default 1000000)
#   BENCH_FULL=1     also the N/5 x 200 data set (200,000 x 200)
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
# and wc -l (with --threads 1, and with the default, all processors), the load from a pipe
# (cat FILE | descend, tests/bench/piped.sh) and predict to that load, predict from a pipe
# to predict from the file, each fit to that
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

W=$(mktemp -d "${TMPDIR:-/tmp}/descend-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
RESULTS=$W/results

. tests/bench/lib.sh
[ -x /usr/bin/time ] || need_packages time || exit 1
build_tools

PEERS=${BENCH_PEERS:-0} R_PEER=0
if [ "$PEERS" = 1 ]; then
	have_r_peer data.table && R_PEER=1
	have_py_peers || PEERS=0
fi

N=${BENCH_ROWS:-1000000}
case $N in '' | *[!0-9]* | 0) echo "bench: BENCH_ROWS must be a whole number >= 1" >&2; exit 2 ;; esac
SIZES=${BENCH_SIZES:-${N}x20}
[ -n "${BENCH_SIZES:-}" ] || [ "${BENCH_FULL:-0}" != 1 ] || SIZES="$SIZES $((N / 5))x200"

start=$(date +%s)
: > "$RESULTS"
for size in $SIZES; do
	rows=${size%x*} cols=${size#*x}
	case $rows$cols in '' | *[!0-9]*)
		echo "bench: bad size \"$size\" (want ROWSxCOLS)" >&2; exit 2 ;;
	esac
	csv=$(data_file "$rows" "$cols")

	measure "$csv" wc - "wc -l" wc -l "$csv"
	measure "$csv" tok wc "tokenize (libcsv only)" "$BENCH/tokenize" "$csv"
	measure "$csv" conv tok "tokenize -c (libcsv + num.c)" "$BENCH/tokenize" -c "$csv"
	measure "$csv" load1 tok,conv,wc "descend fit -q -e 1 --threads 1" \
	    ./descend fit -q -e 1 --threads 1 "$csv"
	measure "$csv" load tok,conv,wc,load1 "descend fit -q -e 1 (load)" ./descend fit -q -e 1 "$csv"
	measure "$csv" pipe load "cat | descend fit -q -e 1 (a pipe)" \
	    sh tests/bench/piped.sh "$csv" ./descend fit -q -e 1
	./descend fit -q -e 1 "$csv" > "$W/w-$size.csv"
	measure "$csv" predict load "descend predict" \
	    ./descend predict -w "$W/w-$size.csv" "$csv"
	measure "$csv" predict_p predict "cat | descend predict (a pipe)" \
	    sh tests/bench/piped.sh "$csv" ./descend predict -w "$W/w-$size.csv"
	measure "$csv" fresh tok "fresh memory, rows' size, small pages" \
	    "$BENCH/stream" "$rows" $((cols + 1)) touch
	measure "$csv" fresh_h tok "fresh memory, rows' size, huge pages" \
	    "$BENCH/stream" "$rows" $((cols + 1)) touch-huge
	measure "$csv" load_sh load "descend fit -q -m sgd -e 1 (load)" \
	    ./descend fit -q -m sgd -e 1 "$csv"
	measure "$csv" batch load "descend fit -q (batch mse, 100 ep)" ./descend fit -q "$csv"
	measure "$csv" mini load_sh "descend fit -q -m minibatch -e 10" \
	    ./descend fit -q -m minibatch -e 10 "$csv"
	measure "$csv" sgd load_sh "descend fit -q -m sgd -e 10" ./descend fit -q -m sgd -e 10 "$csv"
	measure "$csv" mae1 load1 "descend fit -q -l mae -e 100 --threads 1" \
	    ./descend fit -q -l mae -e 100 --threads 1 "$csv"
	measure "$csv" mae load,mae1 "descend fit -q -l mae -e 100" \
	    ./descend fit -q -l mae -e 100 "$csv"
	runs=$RUNS RUNS=$PEER_RUNS
	if [ "$PEERS" = 1 ]; then
		measure "$csv" p_read load "pandas.read_csv" "$PY" tests/bench/peers.py read_csv "$csv"
		measure "$csv" p_loadtxt load "numpy.loadtxt" "$PY" tests/bench/peers.py loadtxt "$csv"
		measure "$csv" p_lr batch "pandas + LinearRegression" \
		    "$PY" tests/bench/peers.py lr "$csv"
		measure "$csv" p_sgd sgd "pandas + SGDRegressor (10 ep)" \
		    "$PY" tests/bench/peers.py sgd "$csv"
		measure "$csv" p_mini mini "pandas + SGDRegressor, batches of 32 (10 ep)" \
		    "$PY" tests/bench/peers.py minibatch "$csv"
		measure "$csv" p_mae mae "pandas + SGDRegressor MAE (100 ep)" \
		    "$PY" tests/bench/peers.py mae "$csv"
	fi
	if [ "$R_PEER" = 1 ]; then
		measure "$csv" r_lm batch "R data.table::fread + lm" \
		    Rscript tests/bench/peers.R "$csv"
	fi
	RUNS=$runs
done
run_plan

# The yardsticks of an sgd or mini-batch epoch: one pass over the matrix in memory,
# in row order and in a shuffled order (tests/bench/stream.c).
for size in $SIZES; do
	rows=${size%x*} cols=${size#*x}
	echo "$BENCH/data-$size.csv $size $("$BENCH/stream" "$rows" $((cols + 1))) $("$BENCH/stream" "$rows" $((cols + 1)) shuffled)"
done > "$W/yardsticks"

# The table: each row's ratio is its time over the time of the row(s) it names.
echo
awk -v runs="$RUNS" -v peer_runs="$PEER_RUNS" -v bench="$BENCH" '
function mib(k) { return k / 1024 }
function pos(x) { return x < 0 ? 0 : x }
FILENAME != ARGV[ARGC - 1] { pass[$1] = $3; gather[$1] = $4; next }
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
	short["predict"] = "descend predict"
	short["mini"] = "descend minibatch"; short["mae"] = "descend mae"
	for (i = 1; i <= n; i++) {
		if (ds[i] != cur) {
			cur = ds[i]; size = cur; sub(/.*data-/, "", size); sub(/\.csv$/, "", size)
			split(size, rc, "x")
			cmd = "wc -c < " cur; cmd | getline bytes; close(cmd)
			limit = (1.2 * rc[1] * (rc[2] + 1) * 8 + 16 * 1048576) / 1048576
			printf "%s%s rows x %s features (%.1f MB), median of %d runs (peers: %d); " \
			    "RSS bound for fit (1.2 x the rows as doubles + 16 MiB): %.1f MiB\n", (i > 1 ? "\n" : ""),
			    rc[1], rc[2], bytes / 1e6, runs, peer_runs, limit
			printf "%-38s %9s %9s  %s\n", "command", "seconds", "peak MiB", "ratio"
		}
		if (t[i] == "-") {
			printf "%-38s %9s\n", label[i], "failed (" m[i] ")"
			continue
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
while read -r _ size pass gather; do
	rows=${size%x*} cols=${size#*x}
	echo "one pass over the $rows x $((cols + 1)) doubles in memory (fastest of 7): $pass ms in row order (the yardstick for an sgd or mini-batch epoch), $gather ms in a shuffled order with the shuffle (the floor of such an epoch)"
done < "$W/yardsticks"
echo
echo "bench: done in $(( $(date +%s) - start )) s" >&2
if ls "$W"/failed.* > /dev/null 2>&1; then
	exit 1
fi
