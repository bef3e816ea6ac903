#!/usr/bin/env bats
# The manual against the program: every option a command accepts (the option tables, as
# `descend completion bash` lists them, and every flag its --help names) is documented in
# that command's page, descend-CMD(1); tune's own options in descend-tune(1) and the fit
# options it passes on in descend-fit(1). Every page lints clean with groff.

load helpers

setup() {
	setup_descend .
	MAN=$BATS_TEST_DIRNAME/../../man
}

# flags CMD: the options of CMD, one a line: those of the completion's option table and
# those its --help lists (the flags that begin an indented line, as "-o, --output FILE";
# not the flags named in the text of a description).
flags() {
	"$DESCEND" completion bash |
		awk -v c="$1" '$1 == c ")" && $2 == "echo" { for (i = 3; i <= NF && $i != ";;"; i++) print $i }'
	"$DESCEND" "$1" --help |
		grep -oE '^ +-[A-Za-z0-9](, --[A-Za-z0-9][A-Za-z0-9-]*)?|^ +--[A-Za-z0-9][A-Za-z0-9-]*' |
		tr -d ' ' | tr , '\n'
}

# documented PAGE FLAG: succeeds if PAGE has FLAG as an mdoc flag (.Fl x or .Fl \-long).
documented() {
	local name=${2#-}
	name=${name#-}
	if [[ $2 == --* ]]; then
		grep -qE "Fl \\\\-$name( |\$)" "$1"
	else
		grep -qE "Fl $name( |\$)" "$1"
	fi
}

@test "every option of every command is in that command's man page" {
	local cmd flag page missing=0 n=0
	"$DESCEND" --help >"$T/help"
	for cmd in $(awk '/^commands:/ { on = 1; next } on && !NF { exit } on { print $1 }' "$T/help"); do
		page=$MAN/descend-$cmd.1
		[[ -f $page ]] || { echo "no page for $cmd"; return 1; }
		flags "$cmd" | sort -u >"$T/flags"
		[[ -s $T/flags ]] || { echo "no options found for $cmd"; return 1; }
		while read -r flag; do
			n=$((n + 1))
			documented "$page" "$flag" && continue
			# tune passes fit's options on to every fit: those are in descend-fit(1)
			[[ $cmd == tune ]] && documented "$MAN/descend-fit.1" "$flag" && continue
			echo "descend $cmd $flag is not in ${page##*/}"
			missing=$((missing + 1))
		done <"$T/flags"
	done
	((n > 80)) || { echo "only $n options checked"; return 1; }
	((missing == 0))
}

@test "the check finds an option left out of a page" {
	sed '/Fl \\-proba/d' "$MAN/descend-predict.1" >"$T/page.1"
	! documented "$T/page.1" --proba
	documented "$MAN/descend-predict.1" --proba
	documented "$MAN/descend-predict.1" -w
}

@test "every man page lints clean with groff -mdoc -ww" {
	command -v groff >/dev/null || skip "needs groff"
	local page out
	for page in "$MAN"/*.[157]; do
		out=$(groff -mdoc -ww -z "$page" 2>&1)
		[[ -z $out ]] || { echo "${page##*/}: $out"; return 1; }
	done
}
