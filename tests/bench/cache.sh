#!/bin/sh
# descend benchmark of fit --cache: epochs on a cache that fits the page cache,
# against the same epochs on the rows in memory, and on a cache about twice the memory
# the run may use, so that every epoch reads part of it from disk again.
#
#   sh tests/bench/cache.sh            (after `make`; `make bench` runs it too)
#
# Environment:
#   CACHE_ROWS=N      rows of the generated 20-feature CSV (default 8000000: 1.5 GB of
#                     CSV, 1.3 GB of cache; 8 x BENCH_ROWS when that is set)
#   CACHE_LIMIT_MB=M  memory the bounded runs may use, page cache included (default:
#                     half the cache's size); needs root and cgroup memory control (v1
#                     or v2); without them the bounded rows are left out, and said so
#   CACHE_RUNS=N      runs per command, the median is reported (default 3)
#
# Each figure is a median wall time; "per epoch" is (time of 11 epochs - time of 1) / 10,
# so it leaves out the loading. Peak RSS is GNU time's %M, which counts the pages of the
# mapped cache that the process has resident as well as its own memory.
set -eu

cd "$(dirname "$0")/../.."
BENCH=build/bench
ROWS=${CACHE_ROWS:-$((8 * ${BENCH_ROWS:-1000000}))}
RUNS=${CACHE_RUNS:-3}
case $ROWS$RUNS in '' | *[!0-9]*)
	echo "cache.sh: CACHE_ROWS and CACHE_RUNS must be whole numbers" >&2; exit 2 ;;
esac
[ -x ./descend ] || { echo "cache.sh: ./descend is missing; run make first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "cache.sh: needs GNU time: apt-get install time" >&2; exit 1; }

mkdir -p "$BENCH"
if [ ! -x "$BENCH/gen" ] || [ -n "$(find tests/bench/gen.c -newer "$BENCH/gen")" ]; then
	${CC:-cc} -O2 -std=c11 -o "$BENCH/gen" tests/bench/gen.c -lm
fi
csv=$BENCH/cache-$ROWS.csv
cache=$BENCH/cache-$ROWS.cache
if [ ! -s "$csv" ]; then
	echo "cache.sh: generating $csv" >&2
	"$BENCH/gen" "$ROWS" 20 > "$csv.tmp"
	mv "$csv.tmp" "$csv"
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/descend-cache.XXXXXX")
CG=""
cleanup() {
	if [ -n "$CG" ] && [ -d "$CG" ]; then
		# Move this shell back out before removing the group.
		echo $$ > "$CG_ROOT_PROCS" 2>/dev/null || true
		rmdir "$CG" 2>/dev/null || true
	fi
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A memory cgroup for the bounded runs: v2 if it has the memory controller, else v1.
limit_mb=${CACHE_LIMIT_MB:-}
setup_cgroup() {
	[ "$(id -u)" -eq 0 ] || return 1
	for root in /sys/fs/cgroup /sys/fs/cgroup/unified; do
		if grep -qw memory "$root/cgroup.controllers" 2>/dev/null; then
			echo +memory > "$root/cgroup.subtree_control" 2>/dev/null || true
			CG=$root/descend-bench.$$
			mkdir "$CG" 2>/dev/null || return 1
			echo "${limit_mb}M" > "$CG/memory.max" || return 1
			echo 0 > "$CG/memory.swap.max" 2>/dev/null || true
			CG_PROCS=$CG/cgroup.procs CG_ROOT_PROCS=$root/cgroup.procs
			return 0
		fi
	done
	if [ -d /sys/fs/cgroup/memory ]; then
		CG=/sys/fs/cgroup/memory/descend-bench.$$
		mkdir "$CG" 2>/dev/null || return 1
		echo "${limit_mb}M" > "$CG/memory.limit_in_bytes" || return 1
		CG_PROCS=$CG/cgroup.procs CG_ROOT_PROCS=/sys/fs/cgroup/memory/cgroup.procs
		return 0
	fi
	return 1
}

# run BOUNDED CMD...: CMD's wall seconds and peak KiB, as "S K", median of $RUNS runs;
# with BOUNDED=1 inside the memory cgroup.
run() {
	bounded=$1
	shift
	: > "$W/t"
	: > "$W/m"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		if [ "$bounded" = 1 ]; then
			sh -c 'echo $$ > "$1"; shift; exec /usr/bin/time -f "%e %M" -o "$0" "$@"' \
			    "$W/tm" "$CG_PROCS" "$@" > /dev/null 2> "$W/err" ||
			    { cat "$W/err" >&2; exit 1; }
		else
			/usr/bin/time -f "%e %M" -o "$W/tm" "$@" > /dev/null 2> "$W/err" ||
			    { cat "$W/err" >&2; exit 1; }
		fi
		read -r s m < "$W/tm"
		echo "$s" >> "$W/t"
		echo "$m" >> "$W/m"
		i=$((i + 1))
	done
	med() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
	echo "$(med "$W/t") $(med "$W/m")"
}

row() {	# LABEL "S1 K1" "S11 K11": per-epoch time and peak RSS
	echo "$2 $3" | awk -v l="$1" '{ printf "%-46s %8.1f ms %9.1f MiB\n", l,
	    ($3 - $1) / 10 * 1000, ($4 > $2 ? $4 : $2) / 1024 }'
}

bytes=$(wc -c < "$csv")
rm -f "$cache"
cat "$csv" > /dev/null
runs=$RUNS RUNS=1
build=$(run 0 ./descend fit -q -l mae -e 1 --cache "$cache" "$csv")
RUNS=$runs
cbytes=$(wc -c < "$cache")
[ -n "$limit_mb" ] || limit_mb=$((cbytes / 2 / 1048576))

echo "fit -l mae on $ROWS rows x 20 features: CSV $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }') MB, cache $(awk -v b="$cbytes" 'BEGIN { printf "%.0f", b / 1e6 }') MB; medians of $RUNS runs"
echo "$build" | awk '{ printf "building the cache (parse, scale, write) and 1 epoch: %.1f s, peak RSS %.1f MiB\n", $1, $2 / 1024 }'
printf '%-46s %11s %13s\n' "rows held" "per epoch" "peak RSS"
cat "$cache" > /dev/null
row "in memory (parsed from the CSV)" \
    "$(run 0 ./descend fit -q -l mae -e 1 "$csv")" \
    "$(run 0 ./descend fit -q -l mae -e 11 "$csv")"
row "--cache-only, cache in the page cache" \
    "$(run 0 ./descend fit -q -l mae -e 1 --cache "$cache" --cache-only)" \
    "$(run 0 ./descend fit -q -l mae -e 11 --cache "$cache" --cache-only)"
if setup_cgroup; then
	# Pages already cached were charged to another group: drop them, so that the
	# bounded runs read the cache in under their own limit.
	sync
	echo 1 > /proc/sys/vm/drop_caches 2>/dev/null ||
	    echo "cache.sh: could not drop the page cache; the bound may not bite" >&2
	row "--cache-only, memory bounded to $limit_mb MiB" \
	    "$(run 1 ./descend fit -q -l mae -e 1 --cache "$cache" --cache-only)" \
	    "$(run 1 ./descend fit -q -l mae -e 11 --cache "$cache" --cache-only)"
else
	echo "cache.sh: no memory cgroup to bound the runs (needs root and cgroup memory control); the bounded row is left out" >&2
fi
