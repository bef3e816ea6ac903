#!/usr/bin/env bats
# Hostile input and resource limits: whatever arrives, descend gives a clear error or a
# right answer, never a crash, a hang, a half-written file or inf/nan printed as a success.
#
# The binary is $DESCEND if set, else ../../descend.  The corpus is cases/hostile/: small files,
# each a row of cases/hostile/hostile.tsv (the format of errors.tsv), run section by section in a
# copy of that folder.  The large inputs (a 1 MiB line, a 10 MiB field, 100,000 columns, 200,000
# and 300,000 rows) are made at test time by cases/hostile/make-big.sh in the test's own folder.
# Needs bash, awk, cmp, grep, timeout and iconv (plus localedef, if present, for de_DE).
# The time and memory limits are checked only on a plain build (not under ASan or a wrapper
# such as tests/valgrind.sh), where the time they take means something.

load helpers

# expect_same shows at most this many bytes of each file (see helpers.bash).
SHOW_BYTES=3000

setup() {
	setup_descend cases/hostile
	MAKE_BIG=$CASES/make-big.sh
	pid=
}

teardown() {
	# A background descend of a failed signal test must not outlive it.
	if [[ -n ${pid-} ]]; then
		kill -KILL "$pid" 2>/dev/null || true
	fi
}

# ---------------------------------------------------------------- helpers

# sanitized: whether $DESCEND is built with AddressSanitizer (nm or ldd show it, or
# DESCEND_ASAN is set).
sanitized() {
	[[ -n ${DESCEND_ASAN-} ]] && return 0
	nm "$DESCEND" 2>/dev/null | grep -q '__asan_init' && return 0
	ldd "$DESCEND" 2>/dev/null | grep -q 'libasan' && return 0
	return 1
}

# plain: whether $DESCEND is an ELF binary without ASan, so that time and memory limits apply.
plain() {
	[[ $(head -c 4 "$DESCEND" | od -An -c | tr -d ' ') == '177ELF' ]] && ! sanitized
}

# not_wrapped: skip the test if $DESCEND is not a binary but a wrapper (tests/valgrind.sh), under
# which large inputs and timed signals take minutes.
not_wrapped() {
	if ! plain && ! sanitized; then
		skip "DESCEND is not a binary but a wrapper (such as valgrind.sh): too slow for this test"
	fi
}

# corpus: a copy of cases/hostile in $T/c with an empty w/ for the accepted cases' outputs and
# the generated commas_1mb.csv.
corpus() {
	mkdir -p "$T/c"
	cp "$CASES"/* "$T/c"/
	rm -rf "$T/c/w"
	mkdir "$T/c/w"
	sh "$MAKE_BIG" commas "$T/c/commas_1mb.csv"
}

# finite_csv FILE: fail unless FILE is a weights CSV (term,weight,std_weight[,impute]), predictions
# (prediction) or metrics (metric,value) with at least one row and every number field a finite
# number as %.17g writes it: no inf, no nan.
finite_csv() {
	if [[ ! -f $1 ]]; then
		echo "no file ${1##*/}"
		return 1
	fi
	awk -F, '
		NR == 1 {
			if ($0 ~ /^term,weight,std_weight(,impute)?$/ || $0 == "metric,value")
				first = 2
			else if ($0 == "prediction")
				first = 1
			else {
				print "unknown header: " $0; bad = 1; exit
			}
			next
		}
		{
			for (i = first; i <= NF; i++)
				if ($i !~ /^-?[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?$/) {
					print FILENAME ":" NR ": not a finite number: " $i; bad = 1
				}
		}
		END { if (NR < 2) { print "no rows in " FILENAME; bad = 1 }; exit bad }' "$1"
}

# rows TABLE: the rows of TABLE (not blank, not comments) in the array $rows, read before any
# of them runs, so that no open table is shared with the programs that the rows start.
rows() {
	rows=()
	local line
	while IFS= read -r line; do
		[[ -z $line || $line == '#'* ]] || rows+=("$line")
	done <"$1"
}

# section NAME: the rows of hostile.tsv under "# === NAME" in $T/NAME.tsv (spaces as _); its path
# in $section.
section() {
	section=$T/${1// /_}.tsv
	awk -v want="# === $1" '/^# === / { on = ($0 == want); next } on' "$CASES/hostile.tsv" >"$section"
	if ! grep -qv '^#' "$section"; then
		echo "no rows in section $1 of hostile.tsv"
		return 1
	fi
}

# check_outputs TABLE: for every row of TABLE with -o w/FILE (run in $T/c after run_table): with
# status 0, FILE must be there and hold only finite numbers; with an error, FILE must not be
# there (and if it is, it is shown, with any inf or nan in it).
check_outputs() {
	local invocation want match message out failed=0 row
	rows "$1"
	for row in "${rows[@]}"; do
		IFS=$'\t' read -r invocation want match message <<<"$row"
		if [[ ! $invocation =~ -o\ (w/[^ ]+) ]]; then
			if [[ $want == 0 ]]; then
				echo "accepted row without -o w/FILE: $invocation"
				failed=1
			fi
			continue
		fi
		out=${BASH_REMATCH[1]}
		if [[ $want == 0 ]]; then
			finite_csv "$T/c/$out" || { echo "  from: descend $invocation"; failed=1; }
		elif [[ -e $T/c/$out ]]; then
			echo "descend $invocation: wrote $out, expected no output file:"
			sed 's/^/    | /' "$T/c/$out"
			finite_csv "$T/c/$out" || true
			failed=1
		fi
	done
	return $failed
}

# run_section NAME: run_table on the rows of section NAME in the corpus copy, then check_outputs.
run_section() {
	local ok=0
	corpus
	section "$1"
	cd "$T/c"
	run_table "$section" || ok=1
	check_outputs "$section" || ok=1
	return $ok
}

# field N FILE: the Nth comma-separated field of line 2 of FILE (the first data row).
field() {
	awk -F, -v n="$1" 'NR == 2 { print $n }' "$2"
}

# near WANT GOT TOL: fail unless |GOT - WANT| <= TOL * max(1, |WANT|) ... in relative terms when
# WANT is not 0 (the numbers are as tiny as 1e-300 and as large as 1e200).
near() {
	awk -v want="$1" -v got="$2" -v tol="$3" 'BEGIN {
		d = got - want; if (d < 0) d = -d
		s = want < 0 ? -want : want
		ok = (s == 0) ? (d <= tol) : (d <= tol * s)
		if (!ok) printf "got %.17g, expected %.17g (tolerance %g)\n", got, want, tol
		exit !ok }'
}

# weight TERM [FILE]: the weight of TERM in the weights CSV FILE ($T/out by default).
weight() {
	awk -F, -v t="$1" '$1 == t { print $2; found = 1 } END { exit !found }' "${2:-$T/out}"
}

# start_long_fit [OPTION...]: start `descend fit -m sgd -e 1000000 OPTION... -o $T/o/w.csv` on a
# generated 300,000-row file in the background (its pid in $pid, stderr in $T/err).
start_long_fit() {
	sh "$MAKE_BIG" rows "$T/sig.csv" 300000 5
	mkdir -p "$T/o"
	"$DESCEND" fit -m sgd -e 1000000 "$@" -o "$T/o/w.csv" "$T/sig.csv" >"$T/out" 2>"$T/err" &
	pid=$!
}

# wait_for FILE REGEX: wait (at most 20 s) until a line of FILE matches REGEX while $pid runs.
wait_for() {
	local i
	for ((i = 0; i < 400; i++)); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "descend ended before /$2/ appeared in ${1##*/}; stderr:"
			cat "$T/err"
			return 1
		fi
		sleep 0.05
	done
	echo "no line /$2/ in ${1##*/} after 20 s"
	return 1
}

# finish: wait (at most 20 s) for $pid to end, killing it after that; its exit status in $status.
finish() {
	local i
	for ((i = 0; i < 400; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "descend still runs 20 s after the signal; killed"
		kill -KILL "$pid"
	fi
	status=0
	wait "$pid" || status=$?
	pid=
}

# complete_weights FILE: fail unless FILE is a whole weights CSV of the generated 300,000-row file:
# the header, the intercept and x1..x4, each with finite numbers.
complete_weights() {
	finite_csv "$1"
	[[ $(awk -F, 'NR > 1 { printf "%s%s", sep, $1; sep = " " } END { print "" }' "$1") == \
		'(intercept) x1 x2 x3 x4' ]] || { echo "terms of ${1##*/}:"; cat "$1"; return 1; }
}

# transcript FILE: run every row of hostile.tsv in the corpus copy and write to FILE each
# invocation, its exit status, stdout, stderr (without the seconds column of the epoch log)
# and the files written to w/.
transcript() {
	local invocation want match message got row
	rm -rf "$T/c/w"
	mkdir "$T/c/w"
	rows "$CASES/hostile.tsv"
	(
		cd "$T/c"
		for row in "${rows[@]}"; do
			IFS=$'\t' read -r invocation want match message <<<"$row"
			got=0
			eval "\"\$DESCEND\" $invocation" </dev/null >"$T/out" 2>"$T/err" || got=$?
			printf '== %s\nstatus %s\n' "$invocation" "$got"
			cat "$T/out"
			sed -E 's/^( +[0-9]+ .*) +[0-9]+\.[0-9]+$/\1/' "$T/err"
		done
		for f in w/*; do
			echo "== $f"
			cat "$f"
		done
	) >"$1"
}

# ---------------------------------------------------------------- the corpus, by section

@test "hostile.tsv: binary garbage and NUL bytes" {
	run_section "binary garbage and NUL bytes"
}

@test "hostile.tsv: quoting" {
	run_section "quoting"
}

@test "hostile.tsv: numbers (1e308, 1e-320, 1e999, -0, 0x10, inf, nan, 1,5, 1.5x, 1000 digits)" {
	run_section "numbers"
}

@test "hostile.tsv: spaces around fields (trimmed) and inside quotes (kept, so not a number)" {
	run_section "spaces"
}

@test "hostile.tsv: column names (duplicate, empty, BOM, Latin-1, escaped in messages)" {
	run_section "column names"
}

@test "hostile.tsv: structure (empty, header only, CRLF, lone CR, delimiter, field counts, 1 MiB of commas)" {
	run_section "structure"
}

@test "hostile.tsv: numerical hazards (squares that overflow, span, huge and tiny targets, collinear, n < d, constant)" {
	run_section "numerical hazards"
}

@test "hostile.tsv: weights and predictions that overflow a double are errors, never inf or nan" {
	run_section "weights and predictions that overflow a double: an error, never inf or nan"
}

@test "hostile.tsv: missing values and text" {
	run_section "missing values and text"
}

@test "hostile.tsv: hostile options" {
	run_section "hostile options"
}

@test "the corpus: at least 40 files, each one used by a row of hostile.tsv" {
	local f n=0 missing=
	for f in "$CASES"/*; do
		f=${f##*/}
		[[ $f == hostile.tsv || $f == make-big.sh ]] && continue
		n=$((n + 1))
		awk -F'\t' -v f="$f" '!/^#/ { n = split($1, w, " "); for (i = 1; i <= n; i++) if (w[i] == f) found = 1 }
			END { exit !found }' "$CASES/hostile.tsv" || missing+=" $f"
	done
	[[ -z $missing ]] || { echo "files without a row:$missing"; false; }
	((n >= 40)) || { echo "only $n files"; false; }
}

@test "every error message is one line of text: no raw control bytes, no invalid UTF-8" {
	local invocation want match message failed=0 bad status row
	corpus
	cd "$T/c"
	rows "$CASES/hostile.tsv"
	for row in "${rows[@]}"; do
		IFS=$'\t' read -r invocation want match message <<<"$row"
		status=0
		eval "\"\$DESCEND\" $invocation" </dev/null >"$T/out" 2>"$T/err" || status=$?
		# Only the runs that end in an error (whatever the table expects) print a message.
		[[ $status == 0 ]] && continue
		bad=
		[[ $(grep -c '' "$T/err") == 1 ]] || bad+=" not one line;"
		# Bytes other than tab, newline and printable ASCII, less valid UTF-8 sequences.
		LC_ALL=C tr -d '\11\12\40-\176\200-\377' <"$T/err" | cmp -s - /dev/null ||
			bad+=" control bytes;"
		iconv -f UTF-8 -t UTF-8 "$T/err" >/dev/null 2>&1 || bad+=" not UTF-8;"
		if [[ -n $bad ]]; then
			failed=1
			printf 'FAIL: descend %s:%s\n' "$invocation" "$bad"
			cat -v "$T/err" | cut -c 1-240 | head -n 3 | sed 's/^/    | /'
		fi
	done
	return $failed
}

# ---------------------------------------------------------------- right answers on hazards

@test "features near 1e200 (squares overflow): the exact fit, finite" {
	d fit -q "$CASES/squares_overflow.csv"
	expect_status 0
	finite_csv "$T/out"
	# y = 1/3 + 1.5e-200 a is the least-squares line of (1e200, 2), (2e200, 3), (3e200, 5).
	near 1.5e-200 "$(weight a)" 1e-9
	near 0.33333333333333333 "$(weight '(intercept)')" 1e-9
}

@test "a target of 1e-300s: the exact fit, finite" {
	d fit -q "$CASES/target_tiny.csv"
	expect_status 0
	finite_csv "$T/out"
	# y = (-2/3 + 1.5 a) 1e-300 fits (1, 1e-300), (2, 2e-300), (3, 4e-300) best.
	near 1.5e-300 "$(weight a)" 1e-9
	near -6.6666666666666667e-301 "$(weight '(intercept)')" 1e-9
}

@test "collinear (duplicated) columns: finite equal weights, predictions of the least-squares fit" {
	d fit -q -o "$T/w.csv" "$CASES/collinear.csv"
	expect_status 0
	finite_csv "$T/w.csv"
	[[ $(weight a "$T/w.csv") == $(weight b "$T/w.csv") ]]
	# Least squares of y = 1 3 2 5 on x = 1 2 3 4: slope 1.1, intercept 0.
	d predict -w "$T/w.csv" "$CASES/collinear.csv"
	expect_status 0
	[[ $(head -n 1 "$T/out") == prediction ]]
	local want=(1.1 2.2 3.3 4.4) got i
	mapfile -t got < <(tail -n +2 "$T/out")
	[[ ${#got[@]} == 4 ]] || { cat "$T/out"; false; }
	for i in 0 1 2 3; do
		near "${want[i]}" "${got[i]}" 1e-9
	done
}

@test "n < d: the warning, finite weights for every term" {
	d fit -o "$T/w.csv" "$CASES/n_lt_d.csv"
	expect_status 0
	expect_line '^descend: warning: 3 rows for 5 weights; the weights are not unique$'
	finite_csv "$T/w.csv"
	[[ $(grep -c '' "$T/w.csv") == 6 ]]
	# -q silences it.
	d fit -q -o "$T/w.csv" "$CASES/n_lt_d.csv"
	expect_status 0
	expect_empty "$T/err"
}

@test "a constant column: the warning and weight 0" {
	d fit -o "$T/w.csv" "$CASES/constant.csv"
	expect_status 0
	expect_line '^descend: warning: column "k" is constant; its weight is 0$'
	finite_csv "$T/w.csv"
	[[ $(grep '^k,' "$T/w.csv") == k,0,0 ]]
}

@test "a 1000-digit number reads as strtod rounds it (2^53 + 1 and a 1 far after: up, not to even)" {
	# 9007199254740993.000...0001 is just above the midpoint of 2^53 and 2^53 + 2.
	d predict -w "$CASES/w_a.csv" "$CASES/digits1000.csv"
	expect_status 0
	expect_empty "$T/err"
	[[ $(sed -n 2p "$T/out") == 9007199254740994 ]] || { cat "$T/out"; false; }
}

# ---------------------------------------------------------------- large inputs

@test "a 10 MiB field: a clear error in a used column, accepted in an unused one, fast" {
	local start limit=30 want
	not_wrapped
	# A plain build must be fast; under ASan, 30 s at most for each run.
	plain && limit=10
	sh "$MAKE_BIG" field "$T/field.csv"
	cd "$T"
	start=$SECONDS
	status=0
	timeout -k 2 "$limit" "$DESCEND" fit -q field.csv >"$T/out" 2>"$T/err" || status=$?
	[[ $status != 124 && $status != 137 ]] || { echo "still running after $limit s"; false; }
	expect_status 1
	expect_empty "$T/out"
	want="descend: field.csv:3:1: \"$(printf 'x%.0s' {1..120})...\" in column \"a\" is not a number (a text column: give it as --categorical a, or leave it out with --drop a)"
	[[ $(cat "$T/err") == "$want" ]] || { cut -c 1-300 "$T/err"; false; }
	status=0
	timeout -k 2 "$limit" "$DESCEND" fit -q --drop a -o w.csv field.csv >"$T/out" 2>"$T/err" || status=$?
	[[ $status != 124 && $status != 137 ]] || { echo "still running after $limit s"; false; }
	expect_status 0
	finite_csv w.csv
	if plain; then
		((SECONDS - start <= 4)) || { echo "took $((SECONDS - start)) s"; false; }
	fi
}

@test "100,000 columns and 3 rows: weights or a one-line error, within 10 s" {
	local start limit
	not_wrapped
	sh "$MAKE_BIG" wide "$T/wide.csv"
	cd "$T"
	# A bound on memory, so that a d x d matrix (80 GB here) fails instead of filling the
	# machine: 4 GB of address space for a plain binary; under ASan, whose shadow memory needs
	# terabytes of it, a largest allocation of 4 GB and NULL beyond that.
	limit='ulimit -v 4000000'
	if sanitized; then
		limit=:
		export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1:max_allocation_size_mb=4096
	fi
	start=$SECONDS
	status=0
	(eval "$limit" && exec timeout -k 2 30 "$DESCEND" fit -q -o w.csv wide.csv) >"$T/out" 2>"$T/err" ||
		status=$?
	echo "exit status $status after $((SECONDS - start)) s; stderr: $(head -c 300 "$T/err")"
	[[ $status != 124 && $status != 137 ]] || { echo "still running after 30 s"; false; }
	expect_empty "$T/out"
	if [[ $status == 0 ]]; then
		finite_csv w.csv
		[[ $(grep -c '' w.csv) == 100002 ]]
	else
		expect_status 1
		[[ $(grep -c '' "$T/err") == 1 ]]
		expect_line '^descend: '
		[[ ! -e w.csv ]]
	fi
	if plain; then
		((SECONDS - start <= 10)) || { echo "took $((SECONDS - start)) s (limit 10)"; false; }
	fi
}

@test "ulimit -v too small for the data: out of memory while reading row N, exit 1, no crash" {
	if sanitized; then
		skip "DESCEND is built with ASan, which reserves terabytes of address space"
	fi
	if ! plain; then
		skip "DESCEND is not a plain binary (a wrapper such as valgrind.sh)"
	fi
	sh "$MAKE_BIG" rows "$T/big.csv" 200000 20
	cd "$T"
	# 24 MB of address space: the binary and its libraries load (--version runs), but
	# 200,000 rows of 20 doubles (32 MB) do not fit.
	status=0
	(ulimit -v 24000 && "$DESCEND" --version) >"$T/out" 2>"$T/err" || status=$?
	expect_status 0
	status=0
	(ulimit -v 24000 && ulimit -c 0 && exec "$DESCEND" fit -q -o w.csv big.csv) >"$T/out" 2>"$T/err" ||
		status=$?
	expect_status 1
	expect_empty "$T/out"
	[[ $(grep -c '' "$T/err") == 1 ]] || { cat "$T/err"; false; }
	expect_line '^descend: big\.csv:[0-9]+: out of memory while reading row [0-9]+$'
	# LINE is the row's line: the row number plus the header.
	[[ $(cat "$T/err") =~ :([0-9]+):.*\ ([0-9]+)$ ]]
	((BASH_REMATCH[1] == BASH_REMATCH[2] + 1)) || { cat "$T/err"; false; }
	# No weights file, no temporary file, no core dump.
	! compgen -G "$T/w.csv*" >/dev/null
	! compgen -G "$T/core*" >/dev/null
}

# ---------------------------------------------------------------- pipes and full disks

@test "predict into a pipe closed early (| head -1): SIGPIPE, status 141 with pipefail, no hang" {
	local i w
	sh "$MAKE_BIG" rows "$T/big.csv" 200000 20
	w='term,weight,std_weight'$'\n''(intercept),1,1'
	for ((i = 1; i < 20; i++)); do
		w+=$'\n'"x$i,0.5,0.5"
	done
	printf '%s\n' "$w" >"$T/w.csv"
	set -o pipefail
	status=0
	timeout 20 "$DESCEND" predict -w "$T/w.csv" "$T/big.csv" 2>"$T/err" | head -n 1 >"$T/head" || status=$?
	set +o pipefail
	expect_status 141
	[[ $(cat "$T/head") == prediction ]]
	# Killed by SIGPIPE: no message about it.
	expect_empty "$T/err"
}

@test "reading from a pipe whose writer dies early: just the end of the input" {
	sh "$MAKE_BIG" rows "$T/big.csv" 2000 20
	# The writer sends the header and 1000 rows, then dies by SIGKILL.
	status=0
	sh -c 'head -n 1001 "$1"; kill -KILL $$' sh "$T/big.csv" | "$DESCEND" fit -e 2 -o "$T/w.csv" \
		>"$T/out" 2>"$T/err" || status=$?
	expect_status 0
	expect_line '^descend: 1000 rows, 19 features; '
	finite_csv "$T/w.csv"
	# Dying in the middle of a row leaves a short last row: an error naming its line.
	status=0
	sh -c 'head -c 100000 "$1"; kill -KILL $$' sh "$T/big.csv" | "$DESCEND" fit -q -e 2 \
		>"$T/out" 2>"$T/err" || status=$?
	expect_status 1
	expect_empty "$T/out"
	expect_line '^descend: <stdin>:[0-9]+: row has [0-9]+ fields?, expected 20$'
}

@test "-o /dev/full: exit 1 with the message, /dev/full still a device, no temporary file" {
	[[ -c /dev/full ]] || skip "/dev/full is not a character device here"
	# First through a symbolic link in $T: a binary that renamed a temporary file over its -o
	# would replace the link, not /dev/full itself (as root, it could replace the device).
	ln -s /dev/full "$T/full"
	d fit -q -o "$T/full" "$CASES/collinear.csv"
	if [[ ! -L $T/full ]]; then
		echo "-o through a link to /dev/full replaced the link (exit status $status):"
		ls -l "$T"
		false
	fi
	expect_status 1
	[[ $(cat "$T/err") == "descend: writing the weights: No space left on device" ]] || { cat "$T/err"; false; }
	! compgen -G "$T/full?*" >/dev/null || { echo "left in $T:"; ls "$T"; false; }
	# Then /dev/full itself, for fit, predict and eval.
	d fit -q -o /dev/full "$CASES/collinear.csv"
	expect_status 1
	expect_empty "$T/out"
	[[ $(cat "$T/err") == 'descend: writing the weights: No space left on device' ]] || { cat "$T/err"; false; }
	[[ -c /dev/full ]]
	d predict -w "$CASES/w_a.csv" -o /dev/full "$CASES/collinear.csv"
	expect_status 1
	[[ $(grep -c '' "$T/err") == 1 ]]
	expect_line '^descend: .*No space left on device$'
	[[ -c /dev/full ]]
	status=0
	"$DESCEND" eval -w "$CASES/w_a.csv" "$CASES/collinear.csv" >/dev/full 2>"$T/err" || status=$?
	expect_status 1
	expect_line '^descend: .*No space left on device$'
	[[ -c /dev/full ]]
	! compgen -G '/dev/full?*' >/dev/null || { echo "left in /dev:"; ls /dev/full?*; false; }
}

# ---------------------------------------------------------------- signals

@test "SIGINT during sgd training: exit 130, the warning, -o FILE the complete weights of epoch K-1" {
	not_wrapped
	local re k
	start_long_fit
	wait_for "$T/err" '^ +2 '
	kill -INT "$pid"
	finish
	expect_status 130
	expect_empty "$T/out"
	re='^descend: warning: training interrupted by SIGINT in epoch ([0-9]+); the weights are those of epoch ([0-9]+)$'
	expect_line "$re"
	[[ $(grep -E "$re" "$T/err") =~ $re ]]
	k=${BASH_REMATCH[1]}
	((k >= 3 && BASH_REMATCH[2] == k - 1)) || { grep -E "$re" "$T/err"; false; }
	complete_weights "$T/o/w.csv"
	no_files_but "$T/o" w.csv
	# They are the weights of a run of K-1 epochs, byte for byte.
	d fit -q -m sgd -e "$((k - 1))" "$T/sig.csv"
	expect_status 0
	expect_same "$T/out" "$T/o/w.csv"
}

@test "SIGTERM during training with -q: exit 143, the warning alone on stderr, complete weights and log" {
	not_wrapped
	local re
	start_long_fit -q --log "$T/log.csv"
	# The log is buffered: it shows once some epochs are done (training has begun).
	wait_for "$T/log.csv" '^[0-9]+,'
	kill -TERM "$pid"
	finish
	expect_status 143
	expect_empty "$T/out"
	re='^descend: warning: training interrupted by SIGTERM in epoch ([0-9]+); the weights are those of epoch ([0-9]+)$'
	[[ $(grep -c '' "$T/err") == 1 ]] || { cat "$T/err"; false; }
	[[ $(cat "$T/err") =~ $re ]] || { cat "$T/err"; false; }
	((BASH_REMATCH[2] == BASH_REMATCH[1] - 1))
	complete_weights "$T/o/w.csv"
	no_files_but "$T/o" w.csv
	# The log has one line per finished epoch after its header.
	[[ $(tail -n 1 "$T/log.csv" | cut -d, -f 1) == "${BASH_REMATCH[2]}" ]]
}

@test "a second signal ends descend at once: a signal status, no temporary file" {
	not_wrapped
	start_long_fit
	wait_for "$T/err" '^ +2 '
	kill -INT "$pid"
	kill -TERM "$pid"
	finish
	# 143 if the SIGTERM killed it; 130 if training had already stopped and written the weights.
	[[ $status == 130 || $status == 143 ]] || { echo "exit status $status"; cat "$T/err"; false; }
	expect_empty "$T/out"
	if [[ -e $T/o/w.csv ]]; then
		complete_weights "$T/o/w.csv"
		no_files_but "$T/o" w.csv
	else
		no_files_but "$T/o"
	fi
}

@test "a second signal while the weights are being written removes their temporary file" {
	not_wrapped
	${CC:-cc} -shared -fPIC -o "$T/slowsync.so" "$BATS_TEST_DIRNAME/lib/slowsync.c" -ldl
	sh "$MAKE_BIG" rows "$T/sig.csv" 300000 5
	mkdir -p "$T/o"
	# fsync, between writing w.csv.XXXXXX and renaming it to w.csv, marks and pauses.
	LD_PRELOAD=$T/slowsync.so ASAN_OPTIONS=verify_asan_link_order=0 SLOWSYNC_MARK=$T/syncing \
	    "$DESCEND" fit -m sgd -e 1000000 -o "$T/o/w.csv" "$T/sig.csv" >"$T/out" 2>"$T/err" &
	pid=$!
	wait_for "$T/err" '^ +2 '
	kill -INT "$pid"
	local i
	for ((i = 0; i < 400; i++)); do
		[[ -e $T/syncing ]] && break
		sleep 0.05
	done
	[[ -e $T/syncing ]] || { echo "descend never synced its weights"; cat "$T/err"; false; }
	# The temporary file is there now; the second signal must not leave it behind.
	[[ -n $(ls "$T/o") ]]
	kill -TERM "$pid"
	finish
	expect_status 143
	expect_empty "$T/out"
	no_files_but "$T/o"
}

# ---------------------------------------------------------------- determinism

@test "the whole corpus gives the same bytes under LC_ALL=C, C.UTF-8 and de_DE.UTF-8, and run twice" {
	local loc failed=0
	corpus
	if command -v localedef >/dev/null && [[ -e /usr/share/i18n/locales/de_DE ]]; then
		mkdir "$T/locales"
		localedef -i de_DE -f UTF-8 "$T/locales/de_DE.UTF-8" 2>/dev/null || true
		export LOCPATH=$T/locales
	fi
	(export LC_ALL=C LANG=C && transcript "$T/want")
	(export LC_ALL=C LANG=C && transcript "$T/again")
	if ! cmp -s "$T/want" "$T/again"; then
		echo "FAIL: a second run under LC_ALL=C differs"
		diff "$T/want" "$T/again" | head -n 20
		failed=1
	fi
	for loc in C.UTF-8 de_DE.UTF-8; do
		(export LC_ALL=$loc LANG=$loc && transcript "$T/got")
		if ! cmp -s "$T/want" "$T/got"; then
			echo "FAIL: LC_ALL=$loc"
			diff "$T/want" "$T/got" | head -n 20
			failed=1
		fi
	done
	((failed == 0))
}
