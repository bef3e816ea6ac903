#!/usr/bin/env bats
# Command-line tests of fit --cache and --cache-only (data larger than memory): the weights
# with a cache are byte-identical to those without, for every kind of pass over the rows; a
# second run uses the cache and does not read the CSV; a changed CSV or other options rebuild it;
# --cache-only needs no CSV; damaged caches, files that are not caches and unsupported options
# are refused with messages, and no temporary file is ever left behind. Needs bash and awk.

load helpers

setup_file() {
	# 3,000 rows of 4 features and y.
	linear_csv 8 3000 4 1 >"$BATS_FILE_TMPDIR/data.csv"
}

setup() {
	setup_descend .
	cp "$BATS_FILE_TMPDIR/data.csv" "$T/data.csv"
	mkdir "$T/c"
}

# same ARGS...: fit without a cache, then with one (built), then again (used): the same weights.
same() {
	rm -f "$T/c/x.bin"
	d fit -q "$@" "$T/data.csv"
	expect_status 0
	cp "$T/out" "$T/want"
	d fit "$@" --cache "$T/c/x.bin" "$T/data.csv"
	expect_status 0
	expect_line "^descend: wrote the cache $T/c/x.bin \(3000 rows, [0-9]+ features\)$"
	expect_same "$T/want" "$T/out"
	d fit "$@" --cache "$T/c/x.bin" "$T/data.csv"
	expect_status 0
	expect_line "^descend: using the cache $T/c/x.bin \(3000 rows, [0-9]+ features\)$"
	expect_same "$T/want" "$T/out"
	no_files_but "$T/c" x.bin
}

@test "the same weights with and without a cache: batch mse (moments), mae, huber, sgd, minibatch, exact, lbfgs" {
	same -e 20
	same -l mae -e 20
	same -l huber -e 20
	same -m sgd -e 3
	same -m minibatch -b 64 -e 5 -O adam
	same --solver exact
	same -O lbfgs -e 10
	same -e 10 --scale minmax
	same -e 10 --no-standardize -r 0.001
	same -e 10 -t c -x a,b
	same -e 10 --drop d --l2 0.1
	same --solver exact --stats
}

@test "a second run does not read the CSV: only its size and time are looked at" {
	d fit -q -e 5 --cache "$T/c/x.bin" "$T/data.csv"
	expect_status 0
	cp "$T/out" "$T/want"
	# Bytes that would not parse, of the same size and time: the cache is used.
	cp -p "$T/data.csv" "$T/orig.csv"
	tr '0-9' 'x' <"$T/orig.csv" >"$T/data.csv"
	touch -r "$T/orig.csv" "$T/data.csv"
	d fit -e 5 --cache "$T/c/x.bin" "$T/data.csv"
	expect_status 0
	expect_line '^descend: using the cache'
	expect_same "$T/want" "$T/out"
	d fit -e 5 "$T/data.csv"
	expect_status 1
	# A file that cannot be read at all (for a user other than root).
	cp "$T/orig.csv" "$T/data.csv"
	touch -r "$T/orig.csv" "$T/data.csv"
	chmod 000 "$T/data.csv"
	d fit -e 5 --cache "$T/c/x.bin" "$T/data.csv"
	expect_status 0
	expect_line '^descend: using the cache'
	expect_same "$T/want" "$T/out"
	chmod 600 "$T/data.csv"
}

@test "a CSV with another time or size, or other options, rebuilds the cache" {
	d fit -q -e 5 --cache "$T/c/x.bin" "$T/data.csv"
	touch -d '2001-02-03 04:05:06' "$T/data.csv"
	d fit -e 5 --cache "$T/c/x.bin" "$T/data.csv"
	expect_line '^descend: wrote the cache'
	# A row appended: 3001 rows, and the weights of the new file.
	echo "1,2,3,4,5" >>"$T/data.csv"
	d fit -q -e 5 "$T/data.csv"
	cp "$T/out" "$T/want"
	d fit -e 5 --cache "$T/c/x.bin" "$T/data.csv"
	expect_line '^descend: wrote the cache .* \(3001 rows, 4 features\)$'
	expect_same "$T/want" "$T/out"
	# Other options that shape the rows.
	for opts in "-x a,b" "--drop a" "-t a" "--scale minmax" "--missing drop"; do
		d fit -e 5 $opts --cache "$T/c/x.bin" "$T/data.csv"
		expect_status 0
		expect_line '^descend: wrote the cache'
	done
	# Training options do not.
	d fit -e 7 -l mae --missing drop --cache "$T/c/x.bin" "$T/data.csv"
	expect_line '^descend: using the cache'
	no_files_but "$T/c" x.bin
}

@test "--cache-only trains on the cache without the CSV" {
	d fit -q -e 5 --cache "$T/c/x.bin" "$T/data.csv"
	cp "$T/out" "$T/want"
	rm "$T/data.csv"
	d fit -e 5 --cache "$T/c/x.bin" --cache-only
	expect_status 0
	expect_line '^descend: using the cache'
	expect_same "$T/want" "$T/out"
	d fit -q -e 5 --cache "$T/c/x.bin" --cache-only <"$T/c/x.bin"
	expect_status 0
	expect_same "$T/want" "$T/out"
	d fit -e 5 --cache "$T/c/none.bin" --cache-only
	expect_status 1
	expect_line "^descend: $T/c/none.bin: no such cache$"
}

@test "damaged caches: clear errors with --cache-only, a warning and a rebuild with the CSV" {
	d fit -q -e 5 --cache "$T/c/x.bin" "$T/data.csv"
	cp "$T/out" "$T/want"
	size=$(stat -c %s "$T/c/x.bin")
	head -c $((size - 8)) "$T/c/x.bin" >"$T/c/cut.bin"
	d fit -e 5 --cache "$T/c/cut.bin" --cache-only
	expect_status 1
	expect_empty "$T/out"
	expect_line "^descend: $T/c/cut.bin: corrupt or truncated cache: 3000 rows of 4 features do not fill"
	head -c 50 "$T/c/x.bin" >"$T/c/short.bin"
	d fit -e 5 --cache "$T/c/short.bin" --cache-only
	expect_status 1
	expect_line "^descend: $T/c/short.bin: truncated cache: 50 bytes, less than its header$"
	# The version field (bytes 8-11) made 2.
	cp "$T/c/x.bin" "$T/c/v2.bin"
	printf '\002' | dd of="$T/c/v2.bin" bs=1 seek=8 conv=notrunc status=none
	d fit -e 5 --cache "$T/c/v2.bin" --cache-only
	expect_status 1
	expect_line "^descend: $T/c/v2.bin: cache version 2; this descend reads version 1$"
	# The byte-order marker reversed, as a machine of the other order writes it.
	cp "$T/c/x.bin" "$T/c/be.bin"
	printf '\001\002\003\004' | dd of="$T/c/be.bin" bs=1 seek=12 conv=notrunc status=none
	d fit -e 5 --cache "$T/c/be.bin" --cache-only
	expect_status 1
	expect_line 'another architecture'
	# With the CSV: rebuilt, with the reason on stderr.
	d fit -e 5 --cache "$T/c/cut.bin" "$T/data.csv"
	expect_status 0
	expect_line "^descend: warning: $T/c/cut.bin: corrupt or truncated cache"
	expect_line '^descend: wrote the cache'
	expect_same "$T/want" "$T/out"
	# A file that is not a cache is never overwritten.
	cp "$T/data.csv" "$T/c/mine.csv"
	d fit -e 5 --cache "$T/c/mine.csv" "$T/data.csv"
	expect_status 1
	expect_line "^descend: $T/c/mine.csv: not a descend cache; --cache does not overwrite it$"
	cmp "$T/data.csv" "$T/c/mine.csv"
	d fit -e 5 --cache "$T/c/mine.csv" --cache-only
	expect_status 1
	expect_line "not a descend cache \(it does not start with DESCEND\)$"
	no_files_but "$T/c" be.bin cut.bin mine.csv short.bin v2.bin x.bin
}

@test "unsupported combinations are usage errors that say why" {
	write cls.csv $'a,y\n1,u\n2,v\n'
	for opts in "--validation 0.2" "--cv 3" "--drop-duplicates" "--missing mean" \
	    "--categorical a" "-l logistic" "-l softmax"; do
		d fit $opts --cache "$T/c/x.bin" "$T/data.csv"
		expect_status 2
		expect_line "^descend: --cache cannot be used with ${opts%% *}"
	done
	d fit --cache "$T/c/x.bin" <"$T/data.csv"
	expect_status 2
	expect_line '^descend: --cache needs the input as a file, not standard input'
	d fit --cache-only "$T/data.csv"
	expect_status 2
	expect_line '^descend: --cache-only needs --cache FILE'
	no_files_but "$T/c"
}

@test "bad input and failed writes leave no temporary file and no cache" {
	write bad.csv $'a,y\n1,2\n3,x\n'
	d fit --cache "$T/c/x.bin" "$T/bad.csv"
	expect_status 1
	expect_line '^descend: .*bad.csv:3:2: "x" in column "y" is not a number'
	write one.csv $'a,y\n1,2\n'
	d fit --cache "$T/c/x.bin" "$T/one.csv"
	expect_status 1
	expect_line 'only 1 data row'
	no_files_but "$T/c"
	# A file size limit (ulimit -f, with SIGXFSZ ignored so that write fails with EFBIG).
	status=0
	(trap '' XFSZ; ulimit -f 64; "$DESCEND" fit --cache "$T/c/x.bin" "$T/data.csv") \
	    >"$T/out" 2>"$T/err" || status=$?
	expect_status 1
	expect_line "^descend: $T/c/x.bin\.[A-Za-z0-9]{6}: writing the cache: File too large; the cache $T/c/x.bin is not written$"
	no_files_but "$T/c"
	# A folder that cannot be written to.
	chmod 500 "$T/c"
	if [[ ! -w $T/c ]]; then
		d fit --cache "$T/c/x.bin" "$T/data.csv"
		expect_status 1
		expect_line "^descend: $T/c/x.bin: cannot create the cache: Permission denied$"
	fi
	chmod 700 "$T/c"
	no_files_but "$T/c"
}

# peak_anon ARGS...: the peak RssAnon (kB) of descend ARGS, read from /proc while it runs.
peak_anon() {
	"$DESCEND" "$@" >/dev/null &
	local pid=$! peak=0 anon
	while kill -0 "$pid" 2>/dev/null; do
		anon=$(awk '/^RssAnon/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
		[[ -n $anon && $anon -gt $peak ]] && peak=$anon
		sleep 0.01
	done
	wait "$pid"
	echo "$peak"
}

@test "the mapped rows are not copied: anonymous memory stays far below the data's size" {
	# 200,000 rows of 4 features and y: 7.8 MB of doubles.
	awk 'BEGIN { srand(3); print "a,b,c,d,y"
	    for (i = 0; i < 200000; i++) printf "%.4f,%.4f,%.4f,%.4f,%.4f\n", rand(), rand(), rand(), rand(), rand() }' >"$T/big.csv"
	d fit -q -e 2 -l mae --cache "$T/c/x.bin" "$T/big.csv"
	expect_status 0
	cached=$(peak_anon fit -q -e 400 -l mae --cache "$T/c/x.bin" "$T/big.csv")
	held=$(peak_anon fit -q -e 400 -l mae "$T/big.csv")
	echo "peak RssAnon ${cached} kB on the cache, ${held} kB in memory, for 7812 kB of rows"
	# In memory the rows are the program's own; on the cache they are file pages. The
	# difference, not a bound of its own, so that a sanitizer's memory does not count.
	[[ $cached -gt 0 && $held -gt 0 && $((held - cached)) -gt 6000 ]]
}
