# Helpers shared by the command-line tests (fit.bats, fit_data.bats, predict.bats, eval.bats),
# loaded by each with `load helpers`.  They run descend and check its exit status, standard
# output and standard error; a check that fails prints why and returns 1.
#
# Settings a .bats file may give before its tests run:
#   SHOW_BYTES  expect_same shows at most this many bytes of each file (unset: all of them).

# setup_descend CASES: the binary to test in $DESCEND ($DESCEND if set, else ../../descend,
# made absolute), fail if there is none; $CASES is the folder CASES below this one, $DATA the
# project's data/ and $T the test's own temporary folder.  Each .bats file's setup() calls it.
setup_descend() {
	DESCEND=${DESCEND:-$BATS_TEST_DIRNAME/../../descend}
	case $DESCEND in
	/*) ;;
	*/*) DESCEND=$PWD/$DESCEND ;;
	esac
	if ! command -v "$DESCEND" >/dev/null; then
		echo "no binary to test: $DESCEND (build it with make, or set DESCEND)" >&2
		return 1
	fi
	CASES=$BATS_TEST_DIRNAME/$1
	DATA=$BATS_TEST_DIRNAME/../../data
	T=$BATS_TEST_TMPDIR
}

# d ARGS...: run descend; stdout in $T/out, stderr in $T/err, exit status in $status.
d() {
	status=0
	"$DESCEND" "$@" >"$T/out" 2>"$T/err" || status=$?
}

# write NAME CONTENT: put CONTENT (bytes, as given) in $T/NAME.
write() {
	printf %s "$2" >"$T/$1"
}

# expect_status N: fail, showing stderr, unless the last run exited with N.
expect_status() {
	if [[ $status != "$1" ]]; then
		echo "exit status $status, expected $1; stderr was:"
		cat "$T/err"
		return 1
	fi
}

# expect_empty FILE: fail, showing FILE, unless it is empty.
expect_empty() {
	if [[ -s $1 ]]; then
		echo "expected ${1##*/} to be empty; it holds:"
		cat "$1"
		return 1
	fi
}

# expect_same WANT GOT: fail, showing both (the first $SHOW_BYTES bytes of each, if set),
# unless the two files are byte-identical.
expect_same() {
	if ! cmp -s "$1" "$2"; then
		echo "--- ${1##*/}"
		show "$1"
		echo "--- ${2##*/}"
		show "$2"
		return 1
	fi
}

# expect_shortest FILE COLUMN...: each non-empty field of those columns (counted from 1) of
# the CSV FILE, after its header, is the shortest decimal of its double, as python3's
# repr(float) writes it (without the ".0" of a whole number).
expect_shortest() {
	python3 - "$@" <<'EOF'
import sys
path, cols, bad = sys.argv[1], [int(c) for c in sys.argv[2:]], 0
for n, line in enumerate(open(path).read().split('\n')[1:], 2):
    fields = line.split(',') if line else []
    for c in cols:
        v = fields[c - 1] if c <= len(fields) else ''
        r = repr(float(v)) if v else ''
        r = r[:-2] if r.endswith('.0') else r
        if r != v:
            print('%s:%d: column %d: %s is not shortest (%s)' % (path, n, c, v, r))
            bad = 1
sys.exit(bad)
EOF
}

# show FILE: FILE on stdout, only its first $SHOW_BYTES bytes if that is set.
show() {
	if [[ -n ${SHOW_BYTES-} ]]; then
		head -c "$SHOW_BYTES" "$1"
	else
		cat "$1"
	fi
}

# expect_no_line REGEX [FILE]: fail if some line of FILE ($T/err by default) matches REGEX.
expect_no_line() {
	if grep -Eq -- "$1" "${2:-$T/err}"; then
		echo "a line matches /$1/ in ${2:-$T/err}:"
		cat "${2:-$T/err}"
		return 1
	fi
}

# expect_line REGEX [FILE]: fail unless some line of FILE ($T/err by default) matches REGEX.
expect_line() {
	if ! grep -Eq -- "$1" "${2:-$T/err}"; then
		echo "no line matches /$1/ in ${2:-$T/err}:"
		cat "${2:-$T/err}"
		return 1
	fi
}

# terms: the first column of the weights on stdout, one line.
terms() {
	awk -F, 'NR > 1 { printf "%s%s", sep, $1; sep = " " } END { print "" }' "$T/out"
}

# no_files_but DIR NAME...: fail unless DIR holds exactly the entries NAME... (no temporary files).
no_files_but() {
	local dir=$1 got want
	shift
	got=$(shopt -s nullglob dotglob; cd "$dir" && for f in *; do printf '%s ' "$f"; done)
	want=$(for f in "$@"; do printf '%s ' "$f"; done)
	if [[ $got != "$want" ]]; then
		echo "directory $dir holds: $got; expected: $want"
		return 1
	fi
}

# run_table TABLE [COMMAND [LINES]]: run the rows of the error table TABLE (tab-separated:
# invocation, exit status, match, message; blank lines and # comments skipped) in the current
# directory, only those whose invocation starts with COMMAND and a space if COMMAND is given
# and not empty.  Each row must exit with its status, print nothing on stdout and have stderr
# match the message: `=` exactly that one line, `^` as its first line, `~` somewhere in it.
# A failing row is shown with its stderr (at most LINES lines of it, if given).  Fails unless
# there is a row and every row passes.
run_table() {
	local table=$1 command=${2-} lines=${3-}
	local invocation want match message got first rows=0 failed=0 why
	while IFS=$'\t' read -r -u 3 invocation want match message; do
		[[ -z $invocation || $invocation == '#'* ]] && continue
		[[ -n $command && $invocation != "$command "* ]] && continue
		rows=$((rows + 1))
		got=0
		eval "\"\$DESCEND\" $invocation" </dev/null >"$T/out" 2>"$T/err" || got=$?
		why=
		[[ $got == "$want" ]] || why+="  exit status $got, expected $want"$'\n'
		[[ -s $T/out ]] && why+="  stdout not empty: $(head -c 200 "$T/out")"$'\n'
		case $match in
		'=')	[[ $(cat "$T/err"; echo .) == "$message"$'\n.' ]] ||
				why+="  stderr is not exactly that one line"$'\n' ;;
		'^')	IFS= read -r first <"$T/err" || true
			[[ $first == "$message" ]] || why+="  first line of stderr differs"$'\n' ;;
		'~')	grep -Fq -- "$message" "$T/err" || why+="  stderr lacks that text"$'\n' ;;
		*)	why+="  bad match field '$match' in errors.tsv"$'\n' ;;
		esac
		if [[ -n $why ]]; then
			failed=$((failed + 1))
			printf 'FAIL: descend %s\n%s  expected (%s): %s\n  stderr was:\n' \
				"$invocation" "$why" "$match" "$message"
			if [[ -n $lines ]]; then
				sed 's/^/    | /' "$T/err" | head -n "$lines"
			else
				sed 's/^/    | /' "$T/err"
			fi
		fi
	done 3<"$table"
	echo "$failed of $rows rows failed"
	((rows > 0 && failed == 0))
}

# expect_usage_errors COMMAND: in a folder with w.csv and data.csv, `descend COMMAND` without -w
# and with an unknown option must each exit 2 with nothing on stdout, and on stderr the message
# then the usage (at least two lines, naming `descend COMMAND`).
expect_usage_errors() {
	local args
	for args in "data.csv" "--frobnicate -w w.csv data.csv"; do
		d "$1" $args
		expect_status 2
		expect_empty "$T/out"
		[[ $(grep -c . "$T/err") -ge 2 ]] || { echo "no usage after the message:"; cat "$T/err"; false; }
		expect_line "descend $1"
	done
}

# expect_help COMMAND: `descend COMMAND --help` and `-h` must each exit 0 with nothing on stderr
# and the synopsis on stdout (naming `descend COMMAND` and -w).
expect_help() {
	local h
	for h in --help -h; do
		d "$1" "$h"
		expect_status 0
		expect_empty "$T/err"
		expect_line "descend $1" "$T/out"
		expect_line '-w' "$T/out"
	done
}

# cut_shards FILE DIR ROWS: FILE's data rows as DIR/part-NN.csv of ROWS rows each (the last
# may have fewer), each with FILE's header, in the order of FILE (the shards' sorted order).
cut_shards() {
	local f
	mkdir "$2"
	tail -n +2 "$1" | split -l "$3" -d - "$2/body-"
	for f in "$2"/body-*; do
		{ head -1 "$1"; cat "$f"; } >"$2/part-${f##*body-}.csv"
		rm "$f"
	done
}

# linear_csv SEED ROWS D INTERCEPT: a CSV of ROWS rows, D features (a, b, c, ...) uniform on
# [-10, 10] with 5 decimals and y = INTERCEPT + 1·a + 2·b + ... + uniform noise of width 1.
linear_csv() {
	awk -v seed="$1" -v n="$2" -v d="$3" -v c="$4" 'BEGIN { srand(seed)
	    for (j = 0; j < d; j++) printf "%c,", 97 + j; print "y"
	    for (i = 0; i < n; i++) { y = c; line = ""
	        for (j = 0; j < d; j++) { x = rand() * 20 - 10; y += (j + 1) * x; line = line sprintf("%.5f,", x) }
	        printf "%s%.5f\n", line, y + rand() - 0.5 } }'
}
