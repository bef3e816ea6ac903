#!/bin/sh
# descend benchmark of the exact quantile-regression solver (fit --solver exact
# with -l mae, or -l quantile --tau T), against R's quantreg and scikit-learn.
#
#   sh tests/bench/quantile.sh       (after `make`; `make bench` runs it too)
#
# For each size and each tau, rows timed (wall time and peak RSS by GNU time,
# medians of BENCH_RUNS runs, the file in the page cache):
#   exact         descend fit -q -l mae --solver exact FILE  (tau 0.5), or
#                 descend fit -q -l quantile --tau T --solver exact FILE
#   default       descend fit -q -l mae FILE: the iterative fit with the
#                 build's default optimizer, 100 epochs (tau 0.5 only), to
#                 show how far from the optimum it stops
#   rq fn         Rscript tests/bench/quantile.R FILE T: data.table::fread and
#                 quantreg::rq(method = "fn")
#   sklearn highs tests/bench/peers.py quantile FILE T: pandas.read_csv and
#                 QuantileRegressor(quantile=T, alpha=0, solver="highs"), on the
#                 peer sizes only: on 100000 x 20 it did not finish in 600 s
#                 (and held 0.9 GB), on 20000 x 20 it took 38 s of CPU
# and for each the objective its coefficients reach, the mean check loss
# mean(ρτ(y - ŷ)), ρτ(r) = r (τ - [r < 0]) (for tau 0.5, half the mean
# absolute error), with its relative excess over the lowest objective of the
# section, which is 0 for an exact optimum (up to the peers' tolerances), and
# its time over descend's exact fit. descend's objective is computed here, by
# awk, from `descend predict --append` with the weights of the timed fit; the
# peers print their own. Peers are cut off after BENCH_PEER_TIMEOUT seconds ("timed out").
# A build without --solver exact for the loss prints "n/a (not supported by this
# build)" for it, and by default leaves the peers out too.
#
# Environment:
#   BENCH_ROWS=N   scale all the sizes: N x 20, N/5 x 200 and the peer size
#                  N/50 x 20 (default N = 1000000)
#   BENCH_QR_SIZES="1000000x20 200000x200"   the sizes for descend and rq
#   BENCH_QR_PEER_SIZES="20000x20"           the sizes for all, sklearn too
#   BENCH_QR_TAUS="0.5"     the quantiles (0.5 is -l mae; others -l quantile)
#   BENCH_RUNS=N            runs per descend command (default 1)
#   BENCH_PEERS=auto|1|0    the peers: when descend has the exact solver
#                           (default), always, or never
#   BENCH_PEER_TIMEOUT=S    seconds before a peer is stopped (default 600)
# About 3 minutes at the defaults on 2 cores, peers included (189 s on
# 2026-12-07: rq 14 s on 1000000 x 20 and 60 s on 200000 x 200, scikit-learn
# 42 s on 20000 x 20, descend 6 s and 28 s).
set -eu

cd "$(dirname "$0")/../.."
BENCH=build/bench
N=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-1}
PEERS=${BENCH_PEERS:-auto}
TIMEOUT=${BENCH_PEER_TIMEOUT:-600}
TAUS=${BENCH_QR_TAUS:-0.5}
PY=/usr/bin/python3
for v in "$N" "$RUNS" "$TIMEOUT"; do
	case $v in '' | *[!0-9]* | 0)
		echo "quantile: BENCH_ROWS, BENCH_RUNS and BENCH_PEER_TIMEOUT must be" \
		    "whole numbers >= 1" >&2
		exit 2 ;;
	esac
done
SIZES=${BENCH_QR_SIZES:-${N}x20 $((N / 5))x200}
PEER_SIZES=${BENCH_QR_PEER_SIZES:-$((N / 50))x20}
for size in $SIZES $PEER_SIZES; do
	rows=${size%x*} cols=${size#*x}
	case $rows.$cols in *[!0-9.]* | .* | *. | 0* | *.0* | "$size.$size")
		echo "quantile: bad size \"$size\" (want ROWSxCOLS, both >= 1)" >&2
		exit 2 ;;
	esac
done
for tau in $TAUS; do
	awk -v t="$tau" 'BEGIN { exit !(t ~ /^0?\.[0-9]+$/ && t > 0 && t < 1) }' || {
		echo "quantile: bad tau \"$tau\" (want a number between 0 and 1)" >&2
		exit 2
	}
done
[ -x ./descend ] || { echo "quantile: ./descend is missing; run make first" >&2; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/descend-quantile.XXXXXX")
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
RESULTS=$W/results
: > "$RESULTS"

. tests/bench/lib.sh
[ -x /usr/bin/time ] || need_packages time || exit 1
build_tools

# fit_args TAU: descend's loss flags for TAU.
fit_args() {
	if [ "$1" = 0.5 ] || [ "$1" = .5 ]; then
		echo "-l mae"
	else
		echo "-l quantile --tau $1"
	fi
}

# Which taus this build solves exactly: tried on a small file.
small=$(data_file 200 3)
exact_taus=""
for tau in $TAUS; do
	# shellcheck disable=SC2046 # fit_args gives separate arguments
	if ./descend fit -q $(fit_args "$tau") --solver exact "$small" \
	    > /dev/null 2> "$W/probe"; then
		exact_taus="$exact_taus $tau"
	else
		echo "quantile: this build has no --solver exact for" \
		    "$(fit_args "$tau"): $(head -n 1 "$W/probe")" >&2
	fi
done

R_PEER=0 PY_PEER=0
if [ "$PEERS" = 1 ] || { [ "$PEERS" = auto ] && [ -n "$exact_taus" ]; }; then
	have_r_peer data.table quantreg && R_PEER=1
	have_py_peers && PY_PEER=1
	command -v timeout > /dev/null || {
		echo "quantile: no timeout(1) (coreutils); the peers are left out" >&2
		R_PEER=0 PY_PEER=0
	}
fi

# Plan: descend on every size, rq too, sklearn on the peer sizes only. The
# tau goes in the key, and its check loss is worked out from the key later.
KEEP_OUT=1
seen=" "
for size in $SIZES $PEER_SIZES; do
	case $seen in *" $size "*) continue ;; esac
	seen="$seen$size "
	csv=$(data_file "${size%x*}" "${size#*x}")
	peer_size=0
	case " $PEER_SIZES " in *" $size "*) peer_size=1 ;; esac
	for tau in $TAUS; do
		args=$(fit_args "$tau")
		case " $exact_taus " in
		*" $tau "*)
			# shellcheck disable=SC2086 # args is separate arguments
			measure "$csv" "exact@$tau" - "descend fit -q $args --solver exact" \
			    ./descend fit -q $args --solver exact "$csv" ;;
		*)
			measure_na "$csv" "exact@$tau" - \
			    "descend fit -q $args --solver exact" ;;
		esac
		if [ "$args" = "-l mae" ]; then
			measure "$csv" "gd@$tau" "exact@$tau" "descend fit -q -l mae (default, 100 ep)" \
			    ./descend fit -q -l mae "$csv"
		fi
		runs=$RUNS RUNS=1
		if [ "$R_PEER" = 1 ]; then
			measure "$csv" "rq@$tau" "exact@$tau" "R fread + quantreg::rq(method=fn)" \
			    timeout "$TIMEOUT" Rscript tests/bench/quantile.R "$csv" "$tau"
		fi
		if [ "$PY_PEER" = 1 ] && [ "$peer_size" = 1 ]; then
			measure "$csv" "sk@$tau" "exact@$tau" \
			    "pandas + QuantileRegressor(highs)" \
			    timeout "$TIMEOUT" "$PY" tests/bench/peers.py quantile "$csv" "$tau"
		fi
		RUNS=$runs
	done
done
start=$(date +%s)
load_start=$(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo "?")
run_plan

# The objective of each row that ran: the peers printed theirs; descend's comes
# from its weights, through predict.
n=0
while IFS='	' read -r file key ref runs label cmd; do
	n=$((n + 1))
	[ -s "$W/out.$n" ] || continue
	tau=${key#*@}
	case $key in
	exact@* | gd@*)
		./descend predict --append -w "$W/out.$n" "$file" |
		    awk -F , -v tau="$tau" 'NR > 1 {
			r = $(NF - 1) - $NF; s += r * (tau - (r < 0)); k++
		    } END { printf "%.17g\n", s / k }' ;;
	*)
		sed -n 's/^objective //p' "$W/out.$n" ;;
	esac > "$W/objective.$n"
	printf '%s %s %s\n' "$file" "$key" "$(cat "$W/objective.$n")" >> "$W/objectives"
done < "$PLAN"
[ -e "$W/objectives" ] || : > "$W/objectives"

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(getconf _NPROCESSORS_ONLN) processors," \
    "load average $load_start at the start, $(cut -d ' ' -f 1-3 /proc/loadavg \
    2>/dev/null || echo "?") at the end"
awk -v runs="$RUNS" -v timeout="$TIMEOUT" '
FILENAME == ARGV[1] { obj[$1, $2] = $3; next }
{
	n++; f[n] = $1; key[n] = $2; ref[n] = $3; t[n] = $4; m[n] = $5
	label[n] = $6; for (i = 7; i <= NF; i++) label[n] = label[n] " " $i
	tau = $2; sub(/.*@/, "", tau); g[n] = $1 "@" tau
	if ($4 != "-" && $4 != "n/a")
		tm[$1, $2] = $4
	o = obj[$1, $2]
	if (o != "" && (!(g[n] in low) || o + 0 < low[g[n]]))
		low[g[n]] = o + 0
	if ($2 ~ /^(rq|sk)@/)
		peers = 1
}
END {
	for (i = 1; i <= n; i++) {
		if (g[i] != cur) {
			cur = g[i]; tau = key[i]; sub(/.*@/, "", tau)
			name = f[i]; sub(/.*data-/, "", name); sub(/\.csv$/, "", name)
			split(name, part, "x")
			cmd = "wc -c < " f[i]; cmd | getline bytes; close(cmd)
			printf "%s%s rows x %s features (%.1f MB), tau %s, median of %d " \
			    "run(s)%s\n", (i > 1 ? "\n" : ""), part[1], part[2],
			    bytes / 1e6, tau, runs, peers ? " (peers: 1 run)" : ""
			printf "%-52s %8s %9s  %-20s %-9s %s\n", "command", "seconds",
			    "peak MiB", "objective", "excess", "time"
		}
		if (t[i] == "n/a") {
			printf "%-52s %s\n", label[i], "n/a (not supported by this build)"
			continue
		}
		if (t[i] == "-") {
			why = "failed (" m[i] ")"
			if (m[i] == "timeout")
				why = "timed out after " timeout " s"
			if (m[i] == "killed")
				why = "killed (out of memory?)"
			printf "%-52s %s\n", label[i], why
			continue
		}
		o = obj[f[i], key[i]]
		x = "-"
		if (o != "" && low[cur] > 0)
			x = sprintf("%.1e", (o - low[cur]) / low[cur])
		v = ""
		if (ref[i] != "-" && (f[i], ref[i]) in tm)
			v = sprintf("%.2f x exact", t[i] / tm[f[i], ref[i]])
		o = (o == "") ? "-" : sprintf("%.12g", o)
		printf "%-52s %8.3f %9.1f  %-20s %-9s %s\n", label[i], t[i], m[i] / 1024,
		    o, x, v
	}
	print "objective: mean check loss of the residuals; excess: its relative" \
	    " excess over the lowest objective of the group (0 for an exact optimum);" \
	    " time: over descend --solver exact"
}' "$W/objectives" "$RESULTS"
echo "quantile: done in $(( $(date +%s) - start )) s" >&2
# A peer that timed out or ran out of memory is a result; a descend failure is not.
while IFS=' ' read -r _ key _ t _; do
	case $key.$t in exact@*.- | gd@*.-) exit 1 ;; esac
done < "$RESULTS"
