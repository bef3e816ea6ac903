#!/bin/sh
# Strong scaling of fit across MPI ranks on this host, and what it would cost to
# talk across 64. Not part of make test; run from anywhere:
#
#   sh tests/bench/mpi.sh
#
# Environment:
#   BENCH_RUNS=N       runs per command, the median is reported (default 3)
#   BENCH_ROWS=N       rows of the generated data (default 1000000; 20 features)
#   BENCH_EPOCHS=N     epochs per fit (default 20)
#   BENCH_RANKS="1 2"  the rank counts to time
#
# Builds build/mpi/descend (make MPI=1) if needed and generates build/bench/data-ROWSx20.csv
# with tests/bench/gen.c. Each fit runs as `mpirun -np K build/mpi/descend fit --threads 1`,
# one thread per rank, so that K ranks use K cores. The table gives, for batch mse and batch
# mae, the median wall time of the whole fit (reading, scaling, setup and the epochs) and the
# median time of one epoch (the seconds column of --log, median over the epochs and runs),
# with the speed-up over one rank. The bytes each rank gives to MPI_Allreduce per epoch and
# in all are read from the summary of a 2-rank fit (they do not depend on K). Then the time
# those bytes would take on 64 ranks, by the usual cost models: ring allreduce
# 2(K-1)·α + 2(K-1)/K · S/β, and recursive doubling ⌈log2 K⌉·(α + S/β), for S bytes, latency
# α and bandwidth β of two networks written below.
set -eu

cd "$(dirname "$0")/../.."
RUNS=${BENCH_RUNS:-3}
ROWS=${BENCH_ROWS:-1000000}
EPOCHS=${BENCH_EPOCHS:-20}
RANKS=${BENCH_RANKS:-1 2}
BIN=build/mpi/descend
BENCH=build/bench
MPIRUN="mpirun --oversubscribe --allow-run-as-root"

command -v mpirun >/dev/null || { echo "bench: needs mpirun (Debian: openmpi-bin)" >&2; exit 1; }
make -s MPI=1 BUILD=build/mpi BIN=$BIN $BIN >&2
"$BIN" --version | grep -q '(MPI: ' || { echo "bench: $BIN is not an MPI build" >&2; exit 1; }
mkdir -p "$BENCH"
if [ ! -x "$BENCH/gen" ] || [ -n "$(find tests/bench/gen.c -newer "$BENCH/gen")" ]; then
	${CC:-cc} -O2 -std=c11 -o "$BENCH/gen" tests/bench/gen.c -lm
fi
csv=$BENCH/data-${ROWS}x20.csv
if [ ! -s "$csv" ] || [ -n "$(find tests/bench/gen.c -newer "$csv")" ]; then
	echo "bench: generating $csv" >&2
	"$BENCH/gen" "$ROWS" 20 > "$csv.tmp"
	mv "$csv.tmp" "$csv"
fi
cat "$csv" > /dev/null		# warm the page cache

W=$(mktemp -d "${TMPDIR:-/tmp}/descend-mpi-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

# median: the median of the numbers on standard input, one a line.
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "descend fit across MPI ranks: $ROWS x 20 ($(du -m "$csv" | cut -f1) MB of CSV), $EPOCHS epochs,"
echo "--threads 1 a rank, medians of $RUNS runs; $(nproc) processors, load average $(cut -d" " -f1-3 /proc/loadavg) at the start;"
"$BIN" --version
echo
printf '%-5s %5s %10s %8s %12s %8s\n' loss ranks "fit (s)" speedup "epoch (ms)" speedup
for loss in mse mae; do
	base_fit='' base_epoch=''
	for k in $RANKS; do
		: > "$W/walls"
		: > "$W/epochs"
		for _ in $(seq "$RUNS"); do
			start=$(date +%s.%N)
			$MPIRUN -np "$k" "$BIN" fit -q --threads 1 -l "$loss" -e "$EPOCHS" \
			    --log "$W/log.csv" "$csv" > /dev/null
			end=$(date +%s.%N)
			awk -v a="$start" -v b="$end" 'BEGIN { print b - a }' >> "$W/walls"
			awk -F, 'NR > 1 { print $5 * 1000 }' "$W/log.csv" >> "$W/epochs"
		done
		wall=$(median < "$W/walls")
		epoch=$(median < "$W/epochs")
		base_fit=${base_fit:-$wall}
		base_epoch=${base_epoch:-$epoch}
		printf '%-5s %5d %10.2f %8.2f %12.3f %8s\n' "$loss" "$k" "$wall" \
		    "$(awk -v a="$base_fit" -v b="$wall" 'BEGIN { print a / b }')" "$epoch" \
		    "$(awk -v a="$base_epoch" -v b="$epoch" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')"
	done
done

echo
echo "Bytes each rank gives to MPI_Allreduce (from the summary of a 2-rank fit):"
for mode in "-l mse" "-l mae" "-l mse -m minibatch -b 1000"; do
	# shellcheck disable=SC2086
	$MPIRUN -np 2 "$BIN" fit --threads 1 $mode -e 3 "$csv" 2>"$W/err" > /dev/null
	line=$(grep 'bytes allreduced' "$W/err")
	per=$(echo "$line" | sed 's/.* \([0-9]*\) bytes allreduced a rank per epoch.*/\1/')
	all=$(echo "$line" | sed 's/.*per epoch, \([0-9]*\) in all.*/\1/')
	case $mode in
	*minibatch*) calls=$(( (ROWS + 999) / 1000 )) ;;	# a step per batch
	*mse*) calls=0 ;;
	*) calls=2 ;;		# the gradient with the loss, then the loss
	esac
	printf '  %-28s %8s bytes per epoch in %5s allreduce(s); %6s bytes in all (3 epochs)\n' \
	    "$mode" "$per" "$calls" "$all"
	echo "$mode|$per|$calls" >> "$W/bytes"
done

echo
echo "Simulated communication per epoch on K = 64 ranks (time = per allreduce, times the calls):"
echo "  ring:               2(K-1)·α + 2(K-1)/K · S/β"
echo "  recursive doubling: log2(K)·(α + S/β)   (Open MPI's choice for small messages)"
for net in "10GbE-TCP|25e-6|1.25e9" "InfiniBand-HDR|2e-6|12.5e9"; do
	name=${net%%|*} rest=${net#*|}
	alpha=${rest%%|*} beta=${rest#*|}
	echo "  $name: α = $alpha s, β = $beta bytes/s"
	while IFS='|' read -r mode per calls; do
		[ "$calls" -gt 0 ] || { printf '    %-28s none (the moments are reduced once, before the first epoch)\n' "$mode"; continue; }
		S=$(( per / calls ))
		awk -v S="$S" -v n="$calls" -v a="$alpha" -v b="$beta" -v mode="$mode" 'BEGIN {
		    K = 64; ring = 2 * (K - 1) * a + 2 * (K - 1) / K * S / b
		    rd = log(K) / log(2) * (a + S / b)
		    printf "    %-28s %d x %d bytes: ring %.3g ms, recursive doubling %.3g ms per epoch\n",
		        mode, n, S, n * ring * 1000, n * rd * 1000 }'
	done < "$W/bytes"
done
