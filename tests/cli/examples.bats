#!/usr/bin/env bats
# The examples of the manual and of the README, run as a user would type them: every
# literal block of each man page's EXAMPLES, and every fenced block of the README's
# "## Examples", is run by tests/man_examples.py (python3) in a scratch folder with data/
# at hand, and what each command prints must be what the page shows (see that script for
# the rules).

load helpers

setup() {
	setup_descend .
}

# Runs the examples of one page; the page must have at least one.
examples_of() {
	run python3 "$BATS_TEST_DIRNAME/../man_examples.py" "$1" "$DATA" "$DESCEND"
	echo "$output"
	[[ $status == 0 ]]
	[[ $output == *' blocks, 0 failed' ]]
	[[ $output != *$'\n0 blocks, 0 failed' && $output != '0 blocks, 0 failed' ]]
}

@test "every man page has an EXAMPLES section, and the list of pages is the one descend(1) gives" {
	local man=$BATS_TEST_DIRNAME/../../man page listed
	for page in "$man"/*.[157]; do
		grep -qx '.Sh EXAMPLES' "$page" || { echo "$page: no EXAMPLES"; return 1; }
	done
	# descend(1) names every other page, and every page of a command of descend --help exists
	for page in "$man"/descend-*.[157]; do
		page=${page##*/}
		grep -qx ".It Xr ${page%.*} ${page##*.}" "$man/descend.1" ||
			{ echo "descend.1 does not list $page"; return 1; }
	done
	"$DESCEND" --help >"$T/help"
	listed=$(awk '/^commands:/ { on = 1; next } on && !NF { exit } on { print $1 }' "$T/help")
	[[ -n $listed ]]
	for cmd in $listed; do
		[[ -f $man/descend-$cmd.1 ]] || { echo "no man/descend-$cmd.1"; return 1; }
	done
}

@test "the examples of descend(1) run and print what the page shows" {
	examples_of "$BATS_TEST_DIRNAME/../../man/descend.1"
	local want
	for want in 'descend predict -w w.csv --append test.csv |' 'descend eval --pretty -w w.csv test.csv'; do
		grep -qF -- "$want" <<<"$output" || { echo "no example with: $want"; return 1; }
	done
}

@test "the examples of descend-fit(1) run and print what the page shows" {
	examples_of "$BATS_TEST_DIRNAME/../../man/descend-fit.1"
}

@test "the examples of descend-predict(1) run and print what the page shows" {
	examples_of "$BATS_TEST_DIRNAME/../../man/descend-predict.1"
}

@test "the examples of descend-eval(1) run and print what the page shows" {
	examples_of "$BATS_TEST_DIRNAME/../../man/descend-eval.1"
}

@test "the examples of descend-tune(1) run and print what the page shows" {
	examples_of "$BATS_TEST_DIRNAME/../../man/descend-tune.1"
	grep -qF 'for r in 0.01 0.03 0.1 0.3 1; do' <<<"$output"
	grep -qF '3) echo "$r diverged" ;;' "$BATS_TEST_DIRNAME/../../man/descend-tune.1"
}

@test "the examples of descend-path(1) run and print what the page shows" {
	examples_of "$BATS_TEST_DIRNAME/../../man/descend-path.1"
}

@test "the examples of descend-export(1) run" {
	command -v sqlite3 >/dev/null || skip "needs sqlite3"
	examples_of "$BATS_TEST_DIRNAME/../../man/descend-export.1"
}

@test "the examples of descend-plot(1) run and print what the page shows" {
	examples_of "$BATS_TEST_DIRNAME/../../man/descend-plot.1"
	grep -qF 'descend plot -t' <<<"$output"
}

@test "the examples of descend-completion(1) run" {
	examples_of "$BATS_TEST_DIRNAME/../../man/descend-completion.1"
}

@test "the examples of descend-files(5) run and print what the page shows" {
	examples_of "$BATS_TEST_DIRNAME/../../man/descend-files.5"
}

@test "the examples of descend-methods(7) run and print what the page shows" {
	examples_of "$BATS_TEST_DIRNAME/../../man/descend-methods.7"
	grep -qF "for l in mse mae 'huber --delta 20000'; do" <<<"$output"
}

@test "the README's examples run and print what the README shows" {
	examples_of "$BATS_TEST_DIRNAME/../../README.md"
	local n
	n=$(tail -n 1 <<<"$output" | cut -d ' ' -f 1)
	((n >= 6)) || { echo "only $n README examples"; return 1; }
}

@test "the example checker fails on an example whose output differs from the page" {
	# The sweep's first line, whatever its digits, made wrong.
	sed -E 's/^0\.01 [0-9]+\.[0-9]+$/0.01 1/' "$BATS_TEST_DIRNAME/../../man/descend-tune.1" >"$T/page.1"
	grep -qx '0.01 1' "$T/page.1"
	run python3 "$BATS_TEST_DIRNAME/../man_examples.py" "$T/page.1" "$DATA" "$DESCEND"
	[[ $status == 1 ]]
	[[ $output == *'FAIL '*'for r in 0.01 0.03 0.1 0.3 1; do'* ]]
}

@test "the example checker fails on a README example whose output differs" {
	awk '/^## Examples/ { on = 1 } on && /^r2,/ && !done { print "r2,7"; done = 1; next } 1' \
		"$BATS_TEST_DIRNAME/../../README.md" >"$T/README.md"
	grep -qx 'r2,7' "$T/README.md"
	run python3 "$BATS_TEST_DIRNAME/../man_examples.py" "$T/README.md" "$DATA" "$DESCEND"
	[[ $status == 1 ]]
	[[ $output == *'FAIL '* ]]
}
