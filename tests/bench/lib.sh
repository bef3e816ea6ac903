# Shared by the benchmark scripts (tests/bench/run.sh, formats.sh, quantile.sh):
# sourced with `. tests/bench/lib.sh` from the repository root, after setting
#   BENCH  the directory of the tools and the generated data (build/bench)
#   W      a scratch directory of the script's own (mktemp -d, removed on exit)
#   RUNS   the default number of runs per command
# shellcheck shell=sh

# Debian packages: install when root, else say how and fail.
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

# newer A B: A was modified after B (POSIX has find -newer, not test -nt).
newer() {
	[ -n "$(find "$1" -newer "$2" 2>/dev/null)" ]
}

# build_tools: compile tests/bench/gen.c, tokenize.c and stream.c into $BENCH when
# missing or older than their sources. tokenize converts with descend's own
# src/num.c; if it no longer builds against it (its interface changed), say so and
# go on without $BENCH/tokenize: its rows then read "n/a".
build_tools() {
	mkdir -p "$BENCH"
	for prog in gen tokenize stream; do
		case $prog in
		gen | stream) src='' libs=-lm ;;
		# num.c's C++ half (src/num_ff.cc): the object make built
		tokenize) src="src/num.c build/num_ff.o"
			libs="-lcsv -l:libdouble-conversion.a -lsupc++" ;;
		esac
		if [ ! -x "$BENCH/$prog" ] || newer "tests/bench/$prog.c" "$BENCH/$prog" ||
		    { [ -n "$src" ] && newer src/num.c "$BENCH/$prog"; }; then
			rm -f "$BENCH/$prog"
			# shellcheck disable=SC2086 # src and libs are words
			if ! ${CC:-cc} -O2 -std=c11 -Wall -Wextra -iquote src \
			    -o "$BENCH/$prog" "tests/bench/$prog.c" $src $libs; then
				[ "$prog" = tokenize ] || return 1
				echo "bench: tests/bench/tokenize.c does not build" \
				    "against this src/num.c; its rows are left out" >&2
			fi
		fi
	done
}

# data_file ROWS COLS [FORMAT]: the path of the generated CSV, made (by gen -f
# FORMAT) when missing or older than gen.c. Format 6g, the default, keeps the
# name run.sh has always used.
data_file() {
	case ${3:-6g} in
	6g) f=$BENCH/data-$1x$2.csv ;;
	*) f=$BENCH/data-$1x$2-$3.csv ;;
	esac
	if [ ! -s "$f" ] || newer tests/bench/gen.c "$f"; then
		echo "bench: generating $f" >&2
		"$BENCH/gen" -f "${3:-6g}" "$1" "$2" > "$f.tmp" || return 1
		mv "$f.tmp" "$f"
	fi
	echo "$f"
}

# Nanosecond wall clock when date has %N (GNU), else GNU time's centiseconds.
case $(date +%N) in *N*) NS=0 ;; *) NS=1 ;; esac

# measure FILE KEY REF LABEL CMD...: add CMD (arguments without spaces) to the
# plan, to be timed $RUNS times with FILE in the page cache; REF names the rows it
# is compared with (or -). KEY must be unique in the plan.
PLAN=$W/plan
: > "$PLAN"
measure() {
	printf '%s\t%s\t%s\t%s\t%s\t' "$1" "$2" "$3" "${RUNS:?}" "$4" >> "$PLAN"
	shift 4
	echo "$*" >> "$PLAN"
}

# measure_na FILE KEY REF LABEL: a row that this build cannot run, reported as
# "n/a" ("- -" in $RESULTS, like a failure, but with no failed.N).
measure_na() {
	printf '%s\t%s\t%s\t0\t%s\tn/a\n' "$1" "$2" "$3" "$4" >> "$PLAN"
}

# time_one N CMD...: run CMD once, stdout to $TIME_OUT (default /dev/null), its
# wall time and peak RSS (GNU time's %M, the largest of the processes it waited
# for) appended to $W/times.N and $W/rss.N. On failure, stderr is shown, the exit
# status goes to $W/failed.N and the status is 1.
time_one() {
	n=$1
	shift
	t0=$(date +%s%N)
	if ! /usr/bin/time -f '%e %M' -o "$W/tm" "$@" < /dev/null \
	    > "${TIME_OUT:-/dev/null}" 2> "$W/err"; then
		# GNU time writes "Command exited with non-zero status N" first.
		st=$(sed -n 's/^Command exited with non-zero status \([0-9]*\)$/\1/p;
		    s/^Command terminated by signal \([0-9]*\)$/signal \1/p' "$W/tm")
		echo "bench: failed (${st:-?}): $*" >&2
		tail -n 5 "$W/err" >&2
		echo "${st:-?}" > "$W/failed.$n"
		return 1
	fi
	t1=$(date +%s%N)
	read -r e m < "$W/tm"
	if [ "$NS" = 1 ]; then
		echo "$(( (t1 - t0) / 1000 ))" |
		    awk '{ printf "%.6f\n", $1 / 1e6 }' >> "$W/times.$n"
	else
		echo "$e" >> "$W/times.$n"
	fi
	echo "$m" >> "$W/rss.$n"
}

median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# why_failed N: what became of the command that failed, one word for the
# tables: timeout (exit 124, from timeout(1)), killed (signal 9, as by the
# out-of-memory killer) or exitN.
why_failed() {
	case $(cat "$W/failed.$1") in
	124) echo timeout ;;
	137 | "signal 9") echo killed ;;
	*) echo "exit$(tr -d ' ' < "$W/failed.$1")" ;;
	esac
}

# Run the plan in rounds, each command once a round (while it has runs left and
# has not failed), so that a slow spell of the machine falls on all commands
# alike rather than on the runs of one. The page cache is warmed before each
# timed command: a machine may page out file pages that were idle a few seconds,
# and a load that met the disk would time the disk. With KEEP_OUT=1, the standard
# output of the last run of command N is kept in $W/out.N. Then append
# "FILE KEY REF SECONDS KIB LABEL" for each to $RESULTS, with the medians of its
# wall times and peak RSS, taken separately; "- WHY" for a failed command (WHY
# from why_failed) and "n/a n/a" for a row of measure_na.
run_plan() {
	rounds=$(awk -F '\t' '$4 > r { r = $4 } END { print r + 0 }' "$PLAN")
	round=1
	while [ "$round" -le "$rounds" ]; do
		echo "bench: round $round of $rounds" >&2
		n=0
		while IFS='	' read -r file key ref runs label cmd; do
			n=$((n + 1))
			[ "$round" -gt "$runs" ] && continue
			[ -e "$W/failed.$n" ] && continue
			cat "$file" > /dev/null
			[ "${KEEP_OUT:-0}" = 1 ] && TIME_OUT=$W/out.$n
			# shellcheck disable=SC2086 # cmd is split into its arguments
			time_one "$n" $cmd || true
		done < "$PLAN"
		round=$((round + 1))
	done
	n=0
	while IFS='	' read -r file key ref runs label cmd; do
		n=$((n + 1))
		if [ "$runs" = 0 ]; then
			printf '%s %s %s n/a n/a %s\n' "$file" "$key" "$ref" "$label" >> "$RESULTS"
			printf 'bench: %-44s n/a\n' "$label" >&2
			continue
		fi
		if [ -e "$W/failed.$n" ]; then
			printf '%s %s %s - %s %s\n' "$file" "$key" "$ref" \
			    "$(why_failed "$n")" "$label" >> "$RESULTS"
			printf 'bench: %-44s %s\n' "$label" "$(why_failed "$n")" >&2
			continue
		fi
		t=$(median "$W/times.$n")
		m=$(median "$W/rss.$n")
		printf '%s %s %s %s %s %s\n' "$file" "$key" "$ref" "$t" "$m" "$label" \
		    >> "$RESULTS"
		printf 'bench: %-44s %8.3f s %8.1f MiB\n' "$label" "$t" \
		    "$(awk -v k="$m" 'BEGIN { print k / 1024 }')" >&2
	done < "$PLAN"
}

# have_py_peers: /usr/bin/python3 has pandas and scikit-learn (installed when
# root); else say the peers are left out, and fail.
have_py_peers() {
	/usr/bin/python3 -c 'import pandas, sklearn' 2>/dev/null && return 0
	if [ -x /usr/bin/python3 ] && need_packages python3-pandas python3-sklearn &&
	    /usr/bin/python3 -c 'import pandas, sklearn'; then
		return 0
	fi
	echo "bench: no pandas/scikit-learn for /usr/bin/python3; those peers are left out" >&2
	return 1
}

# have_r_peer PACKAGE...: Rscript has the R PACKAGEs (Debian's r-cran-NAME, with
# r-base-core, installed when root); else say that peer is left out, and fail.
have_r_peer() {
	check="" debs=r-base-core
	for pkg in "$@"; do
		check="$check library($pkg);"
		debs="$debs r-cran-$pkg"
	done
	Rscript -e "$check" > /dev/null 2>&1 && return 0
	# shellcheck disable=SC2086 # debs is a list of package names
	if need_packages $debs && Rscript -e "$check" > /dev/null 2>&1; then
		return 0
	fi
	echo "bench: no R with $*; that peer is left out" >&2
	return 1
}
