#!/bin/sh
# descend benchmark of number formats: the same ROWS x 20 values written four
# ways, and what each costs to read, fit and predict, against R and Python.
#
#   sh tests/bench/formats.sh        (after `make`; `make bench` runs it too)
#
# Formats (tests/bench/gen.c -f): 6g, six significant digits, as run.sh's file
# (the same bytes); 17g, every double exactly; 18e, numpy.savetxt's default; 15g,
# R's write.csv. For each, rows timed (medians of BENCH_RUNS runs, taken in
# rounds, the file in the page cache; see tests/bench/lib.sh):
#   tokenize          libcsv alone (tests/bench/tokenize.c)
#   tokenize -c       libcsv and descend's src/num.c converting every field,
#                     nothing stored: the floor of a loader
#   load, 1 thread    descend fit -q -e 1 --threads 1 FILE
#   load              the same on all threads (the default)
#   pipe, 1 thread    cat FILE | descend fit -q -e 1 --threads 1 (tests/bench/piped.sh)
#   pipe              the same on all threads
#   batch, 2 threads  descend fit -q --threads 2 FILE: batch MSE, 100 epochs
#   predict           descend predict -w WEIGHTS FILE (weights of a fit on FILE,
#                     made before the timing), output discarded
#   predict, 1 thread the same with --threads 1, when predict has --threads
#   fread + lm        Rscript tests/bench/peers.R FILE (data.table::fread + lm)
#   pandas + LR       tests/bench/peers.py lr FILE (pandas.read_csv +
#                     scikit-learn LinearRegression)
#   baseline ...      with BENCH_BASELINE, the same descend rows by that build
# then a table of the targets, per format: load on 1 thread <= 1.3 x tokenize -c;
# fread + lm >= 2 x the batch fit on 2 threads; a pipe <= 1.15 x the file (on 1
# thread and on all); predict <= 1.2 x the load (on the same threads); and, with
# a baseline, each descend row <= 1.05 x the baseline's (no slower, but for this
# machine's run-to-run noise of a few per cent).
# A row this build cannot run reads "n/a (not supported by this build)".
#
# Environment:
#   BENCH_ROWS=N        rows (default 1000000)
#   BENCH_COLS=N        features (default 20)
#   BENCH_FORMATS="6g 17g 18e 15g"   the formats, in this order by default
#   BENCH_RUNS=N        runs per descend command, the median is reported (default 3)
#   BENCH_PEER_RUNS=N   runs per peer command (default 1)
#   BENCH_PEERS=0       leave out R and Python (default 1: included when installed;
#                       installed with apt-get when run as root: r-base-core,
#                       r-cran-data.table, python3-pandas, python3-sklearn)
#   BENCH_BASELINE=REV  also time the descend built from git revision REV (built
#                       once into build/bench/base-SHA), or a descend executable
#                       given by its path
# About 4 minutes on 2 cores at the default size (more the first time: the four
# files, 0.2 to 0.5 GB each, are generated into build/bench/ and kept).
set -eu

cd "$(dirname "$0")/../.."
BENCH=build/bench
ROWS=${BENCH_ROWS:-1000000}
COLS=${BENCH_COLS:-20}
FORMATS=${BENCH_FORMATS:-6g 17g 18e 15g}
RUNS=${BENCH_RUNS:-3}
PEER_RUNS=${BENCH_PEER_RUNS:-1}
PEERS=${BENCH_PEERS:-1}
BASELINE=${BENCH_BASELINE:-}
PY=/usr/bin/python3
for v in "$ROWS" "$COLS" "$RUNS" "$PEER_RUNS"; do
	case $v in '' | *[!0-9]* | 0)
		echo "formats: BENCH_ROWS, BENCH_COLS, BENCH_RUNS and" \
		    "BENCH_PEER_RUNS must be whole numbers >= 1" >&2
		exit 2 ;;
	esac
done
for f in $FORMATS; do
	case $f in 6g | 15g | 17g | 18e) ;; *)
		echo "formats: unknown format \"$f\" (6g, 15g, 17g or 18e)" >&2; exit 2 ;;
	esac
done
[ -x ./descend ] || { echo "formats: ./descend is missing; run make first" >&2; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/descend-formats.XXXXXX")
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
RESULTS=$W/results
: > "$RESULTS"

. tests/bench/lib.sh
[ -x /usr/bin/time ] || need_packages time || exit 1
build_tools

R_PEER=0 PY_PEER=0
if [ "$PEERS" = 1 ]; then
	have_r_peer data.table && R_PEER=1
	have_py_peers && PY_PEER=1
fi

# The baseline: a revision is built from `git archive` in a directory of its own.
BASE=""
if [ -n "$BASELINE" ]; then
	if [ -x "$BASELINE" ] && [ -f "$BASELINE" ]; then
		BASE=$BASELINE
	else
		sha=$(git rev-parse --short "$BASELINE^{commit}") || exit 2
		dir=$BENCH/base-$sha
		if [ ! -x "$dir/descend" ]; then
			echo "formats: building $BASELINE ($sha) into $dir" >&2
			rm -rf "$dir"
			mkdir -p "$dir"
			git archive "$sha" | tar -x -C "$dir"
			if ! make -C "$dir" -j2 descend > "$W/base.log" 2>&1; then
				cat "$W/base.log" >&2
				exit 1
			fi
		fi
		BASE=$dir/descend
	fi
fi

threads=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?")
small=$(data_file 100 3)
./descend fit -q "$small" > "$W/w-small.csv"
predict_threads=0
if ./descend predict --threads 1 -w "$W/w-small.csv" "$small" > /dev/null 2>&1; then
	predict_threads=1
fi

for fmt in $FORMATS; do
	csv=$(data_file "$ROWS" "$COLS" "$fmt")
	w=$W/w-$fmt.csv
	./descend fit -q "$csv" > "$w"
	tok=measure
	[ -x "$BENCH/tokenize" ] || tok=measure_na
	$tok "$csv" tok - "tokenize (libcsv only)" "$BENCH/tokenize" "$csv"
	$tok "$csv" conv tok "tokenize -c (conversion floor)" \
	    "$BENCH/tokenize" -c "$csv"
	measure "$csv" load1 conv "load: fit -q -e 1 --threads 1" \
	    ./descend fit -q -e 1 --threads 1 "$csv"
	measure "$csv" load conv,load1 "load: fit -q -e 1 ($threads threads)" \
	    ./descend fit -q -e 1 "$csv"
	measure "$csv" pipe1 load1 "cat | fit -q -e 1 --threads 1" \
	    sh tests/bench/piped.sh "$csv" ./descend fit -q -e 1 --threads 1
	measure "$csv" pipe load "cat | fit -q -e 1 ($threads threads)" \
	    sh tests/bench/piped.sh "$csv" ./descend fit -q -e 1
	measure "$csv" batch2 load "fit -q --threads 2 (batch mse, 100 ep)" \
	    ./descend fit -q --threads 2 "$csv"
	measure "$csv" predict load "predict ($threads threads)" \
	    ./descend predict -w "$w" "$csv"
	if [ "$predict_threads" = 1 ]; then
		measure "$csv" predict1 load1 "predict --threads 1" \
		    ./descend predict --threads 1 -w "$w" "$csv"
	else
		measure_na "$csv" predict1 load1 "predict --threads 1"
	fi
	if [ -n "$BASE" ]; then
		measure "$csv" b_load1 load1 "baseline: fit -q -e 1 --threads 1" \
		    "$BASE" fit -q -e 1 --threads 1 "$csv"
		measure "$csv" b_load load "baseline: fit -q -e 1" \
		    "$BASE" fit -q -e 1 "$csv"
		measure "$csv" b_pipe pipe "baseline: cat | fit -q -e 1" \
		    sh tests/bench/piped.sh "$csv" "$BASE" fit -q -e 1
		measure "$csv" b_batch2 batch2 "baseline: fit -q --threads 2" \
		    "$BASE" fit -q --threads 2 "$csv"
		measure "$csv" b_predict predict "baseline: predict" \
		    "$BASE" predict -w "$w" "$csv"
	fi
	runs=$RUNS RUNS=$PEER_RUNS
	if [ "$R_PEER" = 1 ]; then
		measure "$csv" r_lm batch2 "R data.table::fread + lm" \
		    Rscript tests/bench/peers.R "$csv"
	fi
	if [ "$PY_PEER" = 1 ]; then
		measure "$csv" p_lr batch2 "pandas.read_csv + LinearRegression" \
		    "$PY" tests/bench/peers.py lr "$csv"
	fi
	RUNS=$runs
done
start=$(date +%s)
load_start=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo "?")
run_plan

# The tables: each row's ratio is its time over the time of the row(s) it names;
# then the targets, a column per format.
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(getconf _NPROCESSORS_ONLN) processors," \
    "load average $load_start at the start, $(cut -d ' ' -f 1-3 /proc/loadavg \
    2>/dev/null || echo "?") at the end"
awk -v runs="$RUNS" -v peer_runs="$PEER_RUNS" -v formats="$FORMATS" '
function ratio(f, a, b) {
	return (tm[f, a] > 0 && tm[f, b] > 0) ? tm[f, a] / tm[f, b] : -1
}
# cell(F, A, B, LIMIT, LE): "A/B ok" when A/B <= LIMIT (LE 1) or >= LIMIT (LE 0),
# "A/B NO" when not, A/B alone for LE -1, "-" when either row is missing.
function cell(f, a, b, limit, le,    r, ok) {
	if (na[f, a] || na[f, b])
		return "n/a"
	r = ratio(f, a, b)
	if (r < 0)
		return "-"
	if (le < 0)
		return sprintf("%.2f", r)
	if (le)
		ok = r <= limit
	else
		ok = r >= limit
	return sprintf("%.2f %s", r, ok ? "ok" : "NO")
}
function target(text, a, b, limit, le,    i, line) {
	line = sprintf("%-44s", text)
	for (i = 1; i <= nf; i++)
		line = line sprintf(" %9s", cell(file[fmt[i]], a, b, limit, le))
	print line
}
{
	n++; f[n] = $1; key[n] = $2; ref[n] = $3; t[n] = $4; m[n] = $5
	label[n] = $6; for (i = 7; i <= NF; i++) label[n] = label[n] " " $i
	if ($4 != "-" && $4 != "n/a")
		tm[$1, $2] = $4
	if ($4 == "n/a")
		na[$1, $2] = 1
	have[$2] = 1
}
END {
	short["tok"] = "tokenize"; short["conv"] = "tokenize -c"
	short["load1"] = "load, 1 thread"; short["load"] = "load"
	short["pipe"] = "pipe"; short["batch2"] = "batch, 2 threads"
	short["predict"] = "predict"
	nf = split(formats, fmt, " ")
	for (i = 1; i <= n; i++) {
		if (f[i] != cur) {
			cur = f[i]; name = cur; sub(/.*data-/, "", name); sub(/\.csv$/, "", name)
			k = split(name, part, /[x-]/)
			form = k > 2 ? part[3] : "6g"; file[form] = cur
			cmd = "wc -c < " cur; cmd | getline bytes; close(cmd)
			peers = ""
			if ("r_lm" in have || "p_lr" in have)
				peers = sprintf(" (peers: %d)", peer_runs)
			printf "%s%%.%s: %s rows x %s features (%.1f MB), median of %d runs%s\n",
			    (i > 1 ? "\n" : ""), form, part[1], part[2], bytes / 1e6, runs, peers
			printf "%-40s %9s %9s  %s\n", "command", "seconds", "peak MiB", "ratio"
		}
		if (t[i] == "n/a") {
			printf "%-40s %s\n", label[i], "n/a (not supported by this build)"
			continue
		}
		if (t[i] == "-") {
			printf "%-40s %s\n", label[i], "failed (" m[i] ")"
			continue
		}
		r = ""
		if (ref[i] != "-") {
			k = split(ref[i], refs, ",")
			for (j = 1; j <= k; j++) {
				b = tm[cur, refs[j]]
				r = r sprintf("%s%s x %s", (j > 1 ? ", " : ""),
				    b > 0 ? sprintf("%.2f", t[i] / b) : "-",
				    refs[j] in short ? short[refs[j]] : refs[j])
			}
		}
		if (key[i] ~ /^(tok|conv|load|load1|pipe|pipe1)$/)
			r = r (r != "" ? " " : "") sprintf("(%.0f MB/s)", bytes / 1e6 / t[i])
		printf "%-40s %9.3f %9.1f  %s\n", label[i], t[i], m[i] / 1024, r
	}
	printf "\ntargets (a ratio of times, ok or NO)      "
	for (i = 1; i <= nf; i++)
		printf " %9s", "%." fmt[i]
	printf "\n"
	target("load, 1 thread / tokenize -c <= 1.3", "load1", "conv", 1.3, 1)
	target("fread + lm / batch, 2 threads >= 2", "r_lm", "batch2", 2, 0)
	target("pandas + LR / batch, 2 threads (no target)", "p_lr", "batch2", 0, -1)
	target("pipe / file, 1 thread <= 1.15", "pipe1", "load1", 1.15, 1)
	target("pipe / file <= 1.15", "pipe", "load", 1.15, 1)
	target("predict / load <= 1.2", "predict", "load", 1.2, 1)
	target("predict / load, 1 thread <= 1.2", "predict1", "load1", 1.2, 1)
	if ("b_load" in have) {
		target("load, 1 thread / baseline <= 1.05", "load1", "b_load1", 1.05, 1)
		target("load / baseline <= 1.05", "load", "b_load", 1.05, 1)
		target("pipe / baseline <= 1.05", "pipe", "b_pipe", 1.05, 1)
		target("batch, 2 threads / baseline <= 1.05", "batch2", "b_batch2", 1.05, 1)
		target("predict / baseline <= 1.05", "predict", "b_predict", 1.05, 1)
	}
}' "$RESULTS"
echo "formats: done in $(( $(date +%s) - start )) s" >&2
if ls "$W"/failed.* > /dev/null 2>&1; then
	exit 1
fi
