#!/bin/sh
# descend optimizer benchmark: epochs to a relative suboptimality gap of 1e-6.
#
#   sh tests/bench/optimizers.sh          (from the repository root; build ./descend first)
#
# For each update rule of `descend fit -O RULE` (gd momentum nesterov adagrad rmsprop adam
# adamw lbfgs; lbfgs in batch mode only), in batch mode and in minibatch mode (-b 32, the
# default), with the default (auto) learning rate and the default schedule of the rule,
# it runs
#
#   descend fit -t TARGET -O RULE -m MODE --gap -e EMAX --log LOG.csv -q FILE
#
# --gap solves the least-squares problem exactly first, and every epoch's log line gets
# the columns gap,rel_gap. The table gives the first epoch whose rel_gap is <= 1e-6 (">EMAX"
# if none; "none (stopped at K)" when -O lbfgs stopped by itself at epoch K without
# getting there; "diverged" on exit status 3), the rel_gap of the last epoch logged and
# the wall time of the whole command (load, exact solve and training).
#
# Data sets:
#   data/Boston.csv, target medv, EMAX 2000 (and a learning-rate sweep of adam and
#   momentum, -r 0.01 0.03 0.1 0.3 in the unit-free rate, to show sensitivity);
#   the 1,000,000 x 20 file of tests/bench/run.sh (tests/bench/gen.c, built and called as
#   run.sh does, generated once per run into the scratch directory), target y, EMAX 200
#   in batch mode and 20 in minibatch mode (a minibatch epoch there is about 0.13 s on
#   2 cores, loading the file about 1.5 s).
#
# Environment:
#   OPTIMIZERS_SETS="boston 1m"   which data sets to run (default: both)
#
# Markdown tables go to stdout, progress to stderr. Scratch files live in a mktemp -d
# directory that is removed on exit. About a minute on 2 cores (AMD EPYC).
set -eu

cd "$(dirname "$0")/../.."
BIN=./descend
CC=${CC:-cc}
SETS=${OPTIMIZERS_SETS:-boston 1m}
THRESHOLD=1e-6
RULES="gd momentum nesterov adagrad rmsprop adam adamw lbfgs"
BIG_ROWS=1000000
BIG_COLS=20

if [ ! -x "$BIN" ]; then
	echo "optimizers: $BIN is missing; run \`make\` first" >&2
	exit 1
fi
if [ ! -r data/Boston.csv ] || [ ! -r tests/bench/gen.c ]; then
	echo "optimizers: data/Boston.csv or tests/bench/gen.c is missing" >&2
	exit 1
fi
for set_name in $SETS; do
	case $set_name in boston | 1m) ;; *)
		echo "optimizers: OPTIMIZERS_SETS: \"$set_name\" is not boston or 1m" >&2
		exit 2 ;;
	esac
done

W=$(mktemp -d "${TMPDIR:-/tmp}/descend-optimizers.XXXXXX")
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM

# Every run uses one snapshot of the binary, so that a rebuild during the run (other
# work in the same tree) cannot mix two builds in one table.
cp "$BIN" "$W/descend"
BIN_SUM=$(cksum < "$W/descend" | awk '{ print $1 }')
BIN=$W/descend

# The binary must know -O and --gap (both came with the optimizers).
if ! "$BIN" fit -t medv -O lbfgs -m batch --gap -e 1 --log "$W/probe.csv" -q \
    data/Boston.csv > /dev/null 2> "$W/err" ||
    [ "$(head -n 1 "$W/probe.csv")" != "epoch,train_loss,val_loss,learning_rate,seconds,gap,rel_gap" ]; then
	echo "optimizers: $BIN fit does not take -O lbfgs --gap --log as expected:" >&2
	cat "$W/err" >&2
	exit 1
fi

# Nanosecond wall clock when date has %N (GNU), else whole seconds.
case $(date +%N) in '' | *N*) NS=0 ;; *) NS=1 ;; esac
clock() {
	if [ "$NS" = 1 ]; then
		date +%s%N
	else
		echo "$(date +%s)000000000"
	fi
}

# run_one FILE TARGET RULE MODE EMAX RATE: one fit; sets EPOCHS, FINAL, SECONDS_ and RATE0
# (the learning_rate logged for epoch 1). RATE "auto" passes no -r. Exit status 3 of
# descend (diverged) is a result; any other failure stops the script.
run_one() {
	r_file=$1 r_target=$2 r_rule=$3 r_mode=$4 r_emax=$5 r_rate=$6
	r_log=$W/log.csv
	rm -f "$r_log"
	set -- fit -t "$r_target" -O "$r_rule" -m "$r_mode"
	if [ "$r_rate" != auto ]; then
		set -- "$@" -r "$r_rate"
	fi
	set -- "$@" --gap -e "$r_emax" --log "$r_log" -q "$r_file"
	r_t0=$(clock)
	if "$BIN" "$@" > /dev/null 2> "$W/err"; then
		r_status=0
	else
		r_status=$?
	fi
	r_t1=$(clock)
	if [ "$r_status" -ne 0 ] && [ "$r_status" -ne 3 ]; then
		echo "optimizers: failed (exit status $r_status): $BIN $*" >&2
		cat "$W/err" >&2
		exit 1
	fi
	SECONDS_=$(awk -v ns="$((r_t1 - r_t0))" 'BEGIN { printf "%.2f", ns / 1e9 }')
	if [ ! -s "$r_log" ]; then
		echo "optimizers: no log written by: $BIN $*" >&2
		exit 1
	fi
	# Lines, first epoch with rel_gap <= THRESHOLD (or -), last rel_gap, epoch-1 rate.
	# A rel_gap that is not a finite number (nan, inf) never counts as reached.
	r_summary=$(awk -F, -v thr="$THRESHOLD" '
		NR == 1 {
			if ($7 != "rel_gap") { print "badheader"; exit }
			next
		}
		{
			n++
			last = $7
			if (n == 1) rate0 = $4
			if (first == "" && $7 ~ /^-?[0-9.]+([eE][-+]?[0-9]+)?$/ && $7 + 0 <= thr + 0)
				first = $1
		}
		END {
			if (n == 0) { print "0 - - -"; exit }
			printf "%d %s %s %s\n", n, (first == "" ? "-" : first), last, rate0
		}' "$r_log")
	case $r_summary in badheader*)
		echo "optimizers: the log of \`$BIN $*\` has no rel_gap column" >&2
		exit 1 ;;
	esac
	read -r r_lines r_first r_last RATE0 <<-EOF
	$r_summary
	EOF
	case $r_last in
	-) FINAL=- ;;
	*[0-9]*) FINAL=$(awk -v g="$r_last" 'BEGIN { printf "%.2e", g }') ;;
	*) FINAL=$r_last ;;
	esac
	if [ "$r_status" -eq 3 ]; then
		EPOCHS=diverged
		FINAL="$FINAL (epoch $r_lines)"
	elif [ "$r_first" != - ]; then
		EPOCHS=$r_first
	elif [ "$r_lines" -lt "$r_emax" ]; then
		EPOCHS="none (stopped at $r_lines)"
	else
		EPOCHS=">$r_emax"
	fi
	printf 'optimizers: %-7s %-9s %-9s -r %-5s %-22s final rel_gap %-12s %7s s\n' \
	    "$DS_NAME" "$r_rule" "$r_mode" "$r_rate" "$EPOCHS" "$FINAL" "$SECONDS_" >&2
}

# Rate as a short number for the notes.
short() {
	awk -v r="$1" 'BEGIN { printf "%.3g", r }'
}

TABLE_HEAD='| rule | batch epochs | batch final rel_gap | batch seconds | minibatch epochs | minibatch final rel_gap | minibatch seconds |
|---|---:|---:|---:|---:|---:|---:|'

# table FILE TARGET BATCH_EMAX MINI_EMAX: the main table of one data set, then a line of the
# auto learning rates the rules started from.
table() {
	file=$1 target=$2 bemax=$3 memax=$4
	rows='' rates=''
	for rule in $RULES; do
		run_one "$file" "$target" "$rule" batch "$bemax" auto
		row="| $rule | $EPOCHS | $FINAL | $SECONDS_"
		rate_note="$rule $(short "$RATE0")"
		if [ "$rule" = lbfgs ]; then
			row="$row | n/a | n/a | n/a |"
			rate_note="lbfgs (line search)"
		else
			run_one "$file" "$target" "$rule" minibatch "$memax" auto
			row="$row | $EPOCHS | $FINAL | $SECONDS_ |"
			rate_note="$rate_note / $(short "$RATE0")"
		fi
		rows="$rows$row
"
		rates="${rates:+$rates, }$rate_note"
	done
	echo "$TABLE_HEAD"
	printf '%s' "$rows"
	echo
	echo "Auto learning rate of epoch 1 (unit-free; batch / minibatch): $rates."
}

# sweep FILE TARGET EMAX: adam and momentum at fixed rates, batch and minibatch.
sweep() {
	file=$1 target=$2 emax=$3
	rows=''
	for rule in adam momentum; do
		for rate in 0.01 0.03 0.1 0.3; do
			run_one "$file" "$target" "$rule" batch "$emax" "$rate"
			row="| $rule -r $rate | $EPOCHS | $FINAL | $SECONDS_"
			run_one "$file" "$target" "$rule" minibatch "$emax" "$rate"
			row="$row | $EPOCHS | $FINAL | $SECONDS_ |"
			rows="$rows$row
"
		done
	done
	echo "$TABLE_HEAD"
	printf '%s' "$rows"
}

start=$(date +%s)

nproc=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?')
cpu=
if [ -r /proc/cpuinfo ]; then
	cpu=$(awk -F': *' '/^(model name|Hardware|Processor|cpu model)[ \t]*:/ { print $2; exit }' \
	    /proc/cpuinfo)
fi
cpu=${cpu:-unknown CPU}
commit=unknown
if command -v git > /dev/null 2>&1 && commit=$(git rev-parse --short HEAD 2>/dev/null); then
	if [ -n "$(git --no-optional-locks status --porcelain 2>/dev/null)" ]; then
		commit="$commit (working tree has uncommitted changes)"
	fi
else
	commit=unknown
fi
echo "# descend optimizers: epochs to rel_gap <= $THRESHOLD"
echo
echo "Machine: $nproc CPUs (nproc), $cpu; date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'); commit: $commit."
echo "Binary: ./descend, a copy taken at the start (cksum $BIN_SUM)."
echo "Default (auto) learning rate and schedule of each rule; minibatch -b 32; seed 1."
echo "Epochs: first epoch with rel_gap <= $THRESHOLD. Seconds: wall time of the whole fit (load, exact solve, epochs)."

for set_name in $SETS; do
	case $set_name in
	boston)
		DS_NAME=boston
		echo
		echo "## data/Boston.csv (506 rows x 13 features), target medv, at most 2000 epochs"
		echo
		table data/Boston.csv medv 2000 2000
		echo
		echo "## data/Boston.csv, learning-rate sweep (-r, unit-free), at most 2000 epochs"
		echo
		sweep data/Boston.csv medv 2000
		;;
	1m)
		DS_NAME=1m
		big=$W/data-${BIG_ROWS}x${BIG_COLS}.csv
		echo "optimizers: generating $BIG_ROWS x $BIG_COLS with tests/bench/gen.c" >&2
		# As run.sh builds it; $CC unquoted on purpose, as there (CC="ccache cc").
		$CC -O2 -std=c11 -Wall -Wextra -o "$W/gen" tests/bench/gen.c -lm
		"$W/gen" "$BIG_ROWS" "$BIG_COLS" > "$big"
		echo
		echo "## tests/bench/gen.c $BIG_ROWS x $BIG_COLS (as tests/bench/run.sh), target y, at most 200 batch / 20 minibatch epochs"
		echo
		table "$big" y 200 20
		;;
	esac
done

echo
echo "Total wall time: $(( $(date +%s) - start )) s."
