#!/usr/bin/env bats
# The man page's EXAMPLES, run as a user would type them (issue 9): every literal block of that
# section is run by tests/man_examples.py (python3) in a scratch folder with data/ at hand, and
# what each command prints must be what the page shows (see that script for the rules).

load helpers

setup() {
	setup_descend .
}

@test "every example of the man page runs, and prints what the page says it prints" {
	run python3 "$BATS_TEST_DIRNAME/../man_examples.py" "$BATS_TEST_DIRNAME/../../man/descend.1" \
		"$DATA" "$DESCEND"
	echo "$output"
	[[ $status == 0 ]]
	[[ $output == *' blocks, 0 failed' ]]
	# the issue's five: a pipeline with predict, a learning-rate sweep on exit statuses,
	# optimizers compared with --log and descend plot, MAE on outliers, a held-out evaluation
	local want
	for want in 'descend predict -w w.csv --append test.csv |' 'for r in 0.01 0.03 0.1 0.3 1; do' 'descend plot -t' \
		"for l in mse mae 'huber --delta 20000'; do" 'descend eval --pretty -w w.csv test.csv'; do
		grep -qF -- "$want" <<<"$output" || { echo "no example with: $want"; return 1; }
	done
	grep -qF '3) echo "$r diverged" ;;' "$BATS_TEST_DIRNAME/../../man/descend.1"
}

@test "the example checker fails on an example whose output differs from the page" {
	# The sweep's first line, whatever its digits, made wrong.
	sed -E 's/^0\.01 [0-9]+\.[0-9]+$/0.01 1/' "$BATS_TEST_DIRNAME/../../man/descend.1" >"$T/page.1"
	grep -qx '0.01 1' "$T/page.1"
	run python3 "$BATS_TEST_DIRNAME/../man_examples.py" "$T/page.1" "$DATA" "$DESCEND"
	[[ $status == 1 ]]
	[[ $output == *'FAIL '*'for r in 0.01 0.03 0.1 0.3 1; do'* ]]
}
