#!/bin/sh
# Run every test and end with one line "N passed, N failed".
# usage: run.sh UNIT_BINARY...   (the bats tests under tests/cli run after them)
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# count LABEL STATUS: add the TAP results in $log to the totals; a program that
# failed without reporting a failed test (a crash) counts as one failure.
count() {
	ok=$(grep -c '^ok ' "$log")
	bad=$(grep -c '^not ok ' "$log")
	if [ "$2" -ne 0 ] && [ "$bad" -eq 0 ]; then
		bad=1
		echo "not ok - $1 exited with status $2"
	fi
	passed=$((passed + ok))
	failed=$((failed + bad))
}

for t in "$@"; do
	echo "# $t"
	CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$log" 2>&1
	status=$?
	cat "$log"
	count "$t" "$status"
done

echo "# bats tests/cli"
bats --tap tests/cli >"$log" 2>&1
status=$?
cat "$log"
count "bats tests/cli" "$status"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
