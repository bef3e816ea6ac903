#!/usr/bin/env bats
# Command-line tests of `descend completion bash|zsh`: the scripts load in their shells, and the
# bash one completes subcommands, options, option values and files as a user's Tab would (its
# function is called with COMP_WORDS and COMP_CWORD set, as bash does).  Every option of every
# subcommand's table must be in the script, so that the two can never drift apart.

load helpers

setup() {
	setup_descend cases
	"$DESCEND" completion bash >"$T/descend.bash"
}

# complete WORD...: the words of a command line, the last being completed (may be ''); prints
# the completions bash would offer, one per line, sorted.
complete_words() {
	bash -c 'source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE="$*"
		_descend && printf "%s\n" "${COMPREPLY[@]}"' _ "$T/descend.bash" "$@" | sort
}

# offers WANT WORD...: fail unless completing WORD... offers WANT (among others).
offers() {
	local want=$1
	shift
	if ! complete_words "$@" | grep -Fxq -- "$want"; then
		echo "completing '$*' does not offer '$want'; it offers:"
		complete_words "$@"
		return 1
	fi
}

# offers_only WANTS WORD...: fail unless completing WORD... offers exactly WANTS (space-separated).
offers_only() {
	local want=$1 got
	shift
	got=$(complete_words "$@" | paste -sd ' ')
	if [[ $got != "$want" ]]; then
		echo "completing '$*' offers '$got'; expected '$want'"
		return 1
	fi
}

@test "the bash script loads in bash without error and registers _descend for descend" {
	run bash -c 'set -u; source "$1" && complete -p descend' _ "$T/descend.bash"
	[[ $status == 0 ]] || { echo "$output"; false; }
	[[ $output == 'complete -F _descend descend' ]]
	bash -n "$T/descend.bash"
}

@test "subcommands: descend f<Tab> offers fit; descend <Tab> every command of descend --help" {
	offers_only fit descend f
	offers_only 'completion' descend co
	local listed
	listed=$("$DESCEND" --help | awk '/^commands:/ { on = 1; next } on && !NF { exit }
		on { print $1 }' | sort | paste -sd ' ')
	[[ -n $listed ]]
	[[ $(complete_words descend '' | paste -sd ' ') == "$listed" ]]
	offers --version descend --v
}

@test "options: --opt offers --optimizer, short options too, for each subcommand" {
	offers_only --optimizer descend fit --opt
	offers --learning-rate descend fit --l
	offers -O descend fit -
	offers --weights descend predict --w
	offers --unseen descend eval --u
	offers --grid descend tune --g
	offers --optimizer descend tune --opt
	offers -j descend tune -
	offers --title descend plot --t
	offers --help descend completion --
}

@test "option values: -O a offers adam, in every form of the argument" {
	offers adam descend fit -O a
	offers_only 'adagrad adam adamw' descend fit --optimizer a
	offers_only 'adagrad adam adamw' descend fit --optimizer = a
	offers_only '--optimizer=adagrad --optimizer=adam --optimizer=adamw' descend fit --optimizer=a
	offers_only '-Oadagrad -Oadam -Oadamw' descend fit -Oa
	offers_only 'batch minibatch sgd' descend fit -m ''
	offers huber descend tune --loss ''
	offers_only 'error zero' descend predict --unseen ''
	offers_only 'bash zsh' descend completion ''
	offers optimizer= descend tune --grid opt
}

@test "every value fit lists in its help is offered after its option" {
	local value
	for value in batch sgd minibatch; do offers $value descend fit --mode ''; done
	for value in gd momentum nesterov adagrad rmsprop adam adamw lbfgs; do
		offers $value descend fit --optimizer ''
	done
	for value in mse mae huber; do offers $value descend fit --loss ''; done
	offers auto descend fit -r ''
}

@test "file names: for operands and for options whose argument is free" {
	mkdir "$T/dir"
	touch "$T/dir/homes.csv" "$T/dir/hold.csv"
	cd "$T/dir"
	offers_only 'hold.csv homes.csv' descend fit ho
	offers_only 'homes.csv' descend fit --log hom
	offers_only 'homes.csv' descend predict -w hom
	offers_only '--output=homes.csv' descend fit --output=hom
	offers_only 'hold.csv homes.csv' descend plot -o ho
	offers_only 'hold.csv' descend fit -- hol
}

# table_entries FILE TABLE: the entries of the option table TABLE (opt.h) in the source FILE,
# after the preprocessor (which expands the entries predict and eval share, cmd.h), one a line:
# the parser's own table, read independently of the script.
table_entries() {
	${CC:-cc} -E -P -I "$BATS_TEST_DIRNAME/../../src" "$BATS_TEST_DIRNAME/../../src/$1" |
		awk -v t="$2" 'index($0, t "[] = {") { on = 1; next } on && /^};/ { exit } on' |
		tr '\n' ' ' | grep -Eo '\{ "[^"]*", ([0-9]|'"'.'"')'
}

# table_options FILE TABLE: the long option names of TABLE in FILE, one per line, sorted.
table_options() {
	table_entries "$1" "$2" | cut -d'"' -f2 | sed 's/^/--/' | sort
}

# expect_long_options COMMAND FILE TABLE...: fail unless the long options the script offers for
# COMMAND are exactly those of the tables TABLE in FILE, and each is named in the script.
expect_long_options() {
	local cmd=$1 file=$2 opt
	shift 2
	for table in "$@"; do table_options "$file" "$table"; done | sort -u >"$T/want"
	[[ -s $T/want ]] || { echo "no table $* in $file"; return 1; }
	complete_words descend "$cmd" -- >"$T/got"
	grep -- '^--' "$T/got" >"$T/got_long" || true
	expect_same "$T/want" "$T/got_long" || return 1
	while read -r opt; do
		grep -Fq -- " $opt" "$T/descend.bash" || { echo "$opt is not in the script"; return 1; }
	done <"$T/want"
}

@test "the script offers every long option of every subcommand's table, and no other" {
	expect_long_options fit cmd/fit.c fit_opts
	expect_long_options predict cmd/predict.c predict_opts
	expect_long_options eval cmd/eval.c eval_opts
	expect_long_options plot cmd/plot.c plot_opts
	expect_long_options completion cmd/completion.c completion_opts
	# tune: fit's options and its own, merged in cmd/tune.c (its table also
	# lists four of fit's, --cv -o -q -h, for its --help)
	table_options cmd/tune.c tune_opts >"$T/tune_own"
	[[ $(paste -sd ' ' "$T/tune_own") == '--cv --grid --help --jobs --output --quiet' ]]
	{ table_options cmd/fit.c fit_opts; cat "$T/tune_own"; } | sort -u >"$T/want"
	complete_words descend tune -- | grep -- '^--' >"$T/got_long"
	expect_same "$T/want" "$T/got_long"
}

# short_options FILE: the short options of the option table (opt.h) of the source FILE,
# cmd/NAME.c's NAME_opts, as lines -a -b ..., sorted.
short_options() {
	local name=${1#cmd/}
	table_entries "$1" "${name%.c}_opts" | grep -o "'.'" | tr -d "'" | sed 's/^/-/' | sort
}

@test "the short options offered are those of each command's option table" {
	local cmd
	for cmd in fit predict eval plot; do
		short_options "cmd/$cmd.c" >"$T/want"
		[[ -s $T/want ]] || { echo "no short options found for $cmd"; return 1; }
		complete_words descend "$cmd" - | grep -E -- '^-[a-zA-Z]$' >"$T/got"
		expect_same "$T/want" "$T/got" || { echo "($cmd)"; return 1; }
	done
	{ short_options cmd/fit.c; echo -j; } | sort >"$T/want"
	complete_words descend tune - | grep -E -- '^-[a-zA-Z]$' >"$T/got"
	expect_same "$T/want" "$T/got"
}

@test "descend completion: usage errors exit 2, --help exits 0" {
	d completion
	expect_status 2
	expect_line '^descend: completion: name the shell, bash or zsh$'
	expect_line '^usage: descend completion bash\|zsh$'
	d completion fish
	expect_status 2
	expect_line 'name the shell, bash or zsh \(not "fish"\)'
	d completion bash zsh
	expect_status 2
	expect_line 'one shell at most; "zsh" is one too many'
	d completion --shell
	expect_status 2
	d completion --help
	expect_status 0
	expect_empty "$T/err"
	expect_line '^usage: descend completion bash\|zsh$' "$T/out"
}

@test "the zsh script is valid zsh and registers _descend with compinit" {
	command -v zsh >/dev/null || skip "zsh is not installed (apt-get install zsh)"
	d completion zsh
	expect_status 0
	expect_line '^#compdef descend$' "$T/out"
	zsh -n "$T/out"
	run zsh -f -c 'autoload -U compinit && compinit -u -D && source "$1" && print -r -- $_comps[descend]' _ "$T/out"
	[[ $status == 0 && $output == _descend ]] || { echo "$output"; false; }
}

@test "the zsh script completes option values at a real zsh prompt (a pseudo-terminal)" {
	command -v zsh >/dev/null || skip "zsh is not installed (apt-get install zsh)"
	zsh -f -c 'zmodload zsh/zpty' 2>/dev/null || skip "zsh has no zpty module"
	mkdir "$T/fpath"
	"$DESCEND" completion zsh >"$T/fpath/_descend"
	run timeout 20 zsh -f -c '
		zmodload zsh/zpty
		zpty z zsh -f -i
		zpty -w z "PS1=\"> \"; fpath=($1 \$fpath); autoload -U compinit; compinit -u -D; descend() { :; }"
		zpty -w -n z "descend fit --optimizer=ad"$'"'"'\t\t'"'"'
		out=
		for i in {1..50}; do
			while zpty -r -t z line; do out+=$line; done
			[[ $out == *adagrad*adamw* ]] && break
			sleep 0.2
		done
		zpty -d z
		print -r -- "$out"' _ "$T/fpath"
	[[ $output == *adagrad*adam*adamw* ]] || { echo "$output" | cat -v | tail -5; false; }
}

# listed_values COMMAND OPTION: the words the parser names when OPTION of COMMAND gets a bad
# value ("... is not one of a, b, c"), one per line, sorted. (tune hands its fit options to fit,
# which checks them when it runs.)
listed_values() {
	local rest=(-w w.csv x.csv)
	[[ $1 == tune ]] && rest=(--grid l2=0,1 --cv 2 "$BATS_TEST_DIRNAME/../../data/Boston.csv")
	"$DESCEND" "$1" "$2" no-such-value "${rest[@]}" 2>&1 >/dev/null |
		sed -n 's/.* is not one of \(.*\)$/\1/p' | tr -d ' ' | tr , '\n' | sort
}

@test "the values offered after each option are exactly those its parser takes, and it takes each" {
	local cmd opt value n=0
	for cmd_opt in fit:--loss fit:--optimizer fit:--schedule fit:--mode fit:--missing \
		fit:--scale fit:--solver fit:--format tune:--loss tune:--optimizer tune:--mode \
		eval:--format eval:--unseen predict:--unseen; do
		cmd=${cmd_opt%%:*} opt=${cmd_opt#*:}
		listed_values "$cmd" "$opt" >"$T/want"
		[[ -s $T/want ]] || { echo "descend $cmd $opt: no list of values in its message"; return 1; }
		complete_words descend "$cmd" "$opt" '' >"$T/got"
		expect_same "$T/want" "$T/got" || { echo "(descend $cmd $opt)"; return 1; }
		while read -r value; do
			"$DESCEND" "$cmd" "$opt" "$value" --help >/dev/null 2>"$T/err" ||
				{ echo "descend $cmd $opt $value refused:"; cat "$T/err"; return 1; }
			n=$((n + 1))
		done <"$T/got"
	done
	((n > 40))
	# -r takes numbers, and the one word offered
	offers_only auto descend fit -r ''
	"$DESCEND" fit -r auto --help >/dev/null
}

@test "make install puts the bash completion where bash-completion looks, the same as descend completion bash" {
	command -v make >/dev/null || skip "needs make"
	local root=$T/root
	make -s -C "$BATS_TEST_DIRNAME/../.." install DESTDIR="$root" PREFIX=/usr >"$T/make.log" 2>&1 ||
		{ cat "$T/make.log"; false; }
	[[ -x $root/usr/bin/descend ]]
	local page
	for page in man1/descend.1 man1/descend-fit.1 man1/descend-completion.1 man5/descend-files.5 man7/descend-methods.7; do
		[[ -f $root/usr/share/man/$page ]] || { echo "not installed: $page"; return 1; }
	done
	[[ -f $root/usr/share/bash-completion/completions/descend ]]
	"$DESCEND" completion bash >"$T/want"
	expect_same "$T/want" "$root/usr/share/bash-completion/completions/descend"
	# bash-completion's loader finds it by the command's name, and it completes
	run bash -c 'source "$1" && complete -p descend' _ "$root/usr/share/bash-completion/completions/descend"
	[[ $output == 'complete -F _descend descend' ]]
	make -s -C "$BATS_TEST_DIRNAME/../.." uninstall DESTDIR="$root" PREFIX=/usr >"$T/make.log" 2>&1 ||
		{ cat "$T/make.log"; false; }
	[[ -z $(find "$root" -type f) ]] || { find "$root" -type f; false; }
}
