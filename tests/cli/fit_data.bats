#!/usr/bin/env bats
# Command-line tests of the options of `descend fit` for validation, early stopping, the epoch log,
# cross-validation, missing values, categorical columns, scaling and duplicate rows, and of
# predict/eval's --unseen and imputation, checked against their spec from outside: exit status,
# stdout, stderr and the --log file, as a user runs the program.
#
# The binary is $DESCEND if set, else ../../descend.  The error cases are a table,
# cases/data/errors.tsv, run by the first test; the other tests each check one documented
# behaviour.  Needs only bash, awk, cmp, grep, sed and sort.

load helpers

setup() {
	setup_descend cases/data
}

# ---------------------------------------------------------------- helpers

# expect_differ A B: fail, showing A, if the two files are byte-identical.
expect_differ() {
	if cmp -s "$1" "$2"; then
		echo "${1##*/} and ${2##*/} are identical:"
		cat "$1"
		return 1
	fi
}

# field REGEX [FILE]: the first parenthesised group of REGEX (ERE, for sed -E) on the first
# matching line of FILE ($T/err by default).
field() {
	sed -En "s/$1/\\1/p" "${2:-$T/err}" | head -n 1
}

# close A B REL: fail, showing both, unless the numbers A and B agree to a relative REL.
close() {
	awk -v a="$1" -v b="$2" -v rel="$3" 'BEGIN {
		e = a - b; if (e < 0) e = -e
		m = b; if (m < 0) m = -m
		if (a == "" || b == "" || !(e <= rel * m)) { printf "%s and %s differ by more than %s relative\n", a, b, rel; exit 1 }
	}'
}

# log_at LOG EPOCH COLUMN: field COLUMN (1-based) of epoch EPOCH's line of a --log file.
log_at() {
	awk -F, -v e="$2" -v c="$3" 'NR > 1 && $1 == e { print $c; exit }' "$1"
}

# expect_predictions WEIGHTS DATA OUT: fail unless OUT is the header `prediction` then, for every
# row of DATA (CSV with a header, no delimiter inside quotes), the intercept plus for each term
# weight*value, computed here: a term named like a column is that column's number; a term COL=level
# is 1 if the row's COL is level, else 0; a missing cell (empty or NA) takes the term's impute (4th
# column of WEIGHTS).  Relative to the sum of the terms' magnitudes, 1e-12.
expect_predictions() {
	awk -F, '
		FILENAME == ARGV[1] {
			if (FNR == 1) next
			gsub(/"/, "")
			nt++; term[nt] = $1; w[nt] = $2 + 0; imp[nt] = $4
			next
		}
		FILENAME == ARGV[2] {
			gsub(/"/, "")
			if (FNR == 1) {
				for (i = 1; i <= NF; i++) col[$i] = i
				for (k = 2; k <= nt; k++) {
					if (term[k] in col) { cat[k] = 0; c[k] = col[term[k]]; continue }
					e = index(term[k], "=")
					name = substr(term[k], 1, e - 1)
					if (!e || !(name in col)) { print "no column for term " term[k]; bad = 1; continue }
					cat[k] = 1; c[k] = col[name]; lv[k] = substr(term[k], e + 1)
				}
				next
			}
			p = w[1]; s = (w[1] < 0 ? -w[1] : w[1])
			for (k = 2; k <= nt; k++) {
				v = $(c[k])
				if (v == "" || v == "NA") {
					if (imp[k] == "") { print "row " FNR - 1 ": missing " term[k] " and no impute"; bad = 1 }
					x = imp[k] + 0
				} else
					x = cat[k] ? (v == lv[k]) : v + 0
				t = w[k] * x; p += t; s += (t < 0 ? -t : t)
			}
			want[++n] = p; size[n] = s
			next
		}
		FNR == 1 { if ($0 != "prediction") { print "header of the predictions: " $0; bad = 1 }; next }
		{
			r = FNR - 1
			e = $0 - want[r]; if (e < 0) e = -e
			if ($0 !~ /^-?[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?$/ || !(e <= 1e-12 * size[r])) {
				printf "row %d: got %s, want %.17g\n", r, $0, want[r]; bad = 1
			}
			got = r
		}
		END {
			if (got != n) { printf "%d predictions for %d rows\n", got, n; bad = 1 }
			exit bad
		}' "$1" "$2" "$3"
}

# expect_std_weights WEIGHTS DATA: fail unless every term but the intercept has std_weight =
# weight * the population sd of its column in DATA (an indicator COL=level: of its 0/1 values),
# relative 1e-9.  DATA: CSV with a header, no missing cells, no delimiter inside quotes.
expect_std_weights() {
	awk -F, '
		FILENAME == ARGV[1] {
			if (FNR > 2) { gsub(/"/, ""); nt++; term[nt] = $1; w[nt] = $2; sw[nt] = $3 }
			next
		}
		{ gsub(/"/, "") }
		FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		{ n++; for (i = 1; i <= NF; i++) cell[n, i] = $i }
		END {
			for (k = 1; k <= nt; k++) {
				lv = ""
				if (term[k] in col) c = col[term[k]]
				else { e = index(term[k], "="); c = col[substr(term[k], 1, e - 1)]; lv = substr(term[k], e + 1) }
				m = 0
				for (r = 1; r <= n; r++) { x[r] = lv == "" ? cell[r, c] + 0 : cell[r, c] == lv; m += x[r] }
				m /= n; v = 0
				for (r = 1; r <= n; r++) v += (x[r] - m) ^ 2
				want = w[k] * sqrt(v / n)
				e = sw[k] - want; if (e < 0) e = -e
				a = want < 0 ? -want : want
				if (!(e <= 1e-9 * a)) { printf "%s: std_weight %s, weight x sd = %.17g\n", term[k], sw[k], want; bad = 1 }
			}
			exit bad || nt == 0
		}' "$1" "$2"
}

# expect_coefficients FILE TERM=VALUE...: fail unless the weights in FILE are exactly these terms
# (in this order) with these weights, relative 1e-6.
expect_coefficients() {
	local f=$1
	shift
	awk -F, -v want="$*" '
		BEGIN { n = split(want, p, " "); for (i = 1; i <= n; i++) { e = index(p[i], "="); t[i] = substr(p[i], 1, e - 1); v[i] = substr(p[i], e + 1) } }
		NR > 1 {
			i = NR - 1
			e = ($2 - v[i]) / v[i]; if (e < 0) e = -e
			printf "%-12s %22.12f  relative error %.2g\n", $1, $2, e
			if ($1 != t[i] || !(e <= 1e-6)) bad = 1
		}
		END { exit bad || NR - 1 != n }' "$f"
}

# ---------------------------------------------------------------- the error table

@test "errors.tsv: each row exits with its status, prints its message and nothing on stdout" {
	cp -R "$CASES" "$T/cases"
	cp "$DATA/airquality.csv" "$DATA/Cars93.csv" "$T/cases"
	cd "$T/cases"
	run_table "$CASES/errors.tsv" '' 20
}

@test "--help of fit names every new option; of predict and eval, --unseen" {
	local opt
	d fit --help
	expect_status 0
	for opt in --validation --early-stop --tol --log --cv --cv-only --missing --categorical --scale --drop-duplicates; do
		expect_line "$opt( |\$)" "$T/out"
	done
	for cmd in predict eval; do
		d "$cmd" --help
		expect_status 0
		expect_line '--unseen' "$T/out"
	done
}

# ---------------------------------------------------------------- --validation

@test "--validation: the epoch table gains val_loss between loss and rate; the summary gives the validation mse" {
	d fit -e 5 --validation 0.3 "$DATA/rock.csv"
	expect_status 0
	head -n 1 "$T/err" | grep -Eq '^ *epoch +loss +val_loss +rate +seconds$' || { echo "header:"; head -n 1 "$T/err"; false; }
	[[ $(grep -Ec '^ *[1-5]( +[0-9][0-9.e+-]*){4}$' "$T/err") == 5 ]] || { cat "$T/err"; false; }
	# round(0.3 * 48) = 14 rows held out, 34 trained on.
	expect_line '^descend: 34 rows, 3 features; 5 epochs'
	expect_line '^descend: validation mse [0-9][^ ]* \(14 rows\)$'
	# Without --validation: no val_loss column, no validation line.
	d fit -e 5 "$DATA/rock.csv"
	expect_status 0
	head -n 1 "$T/err" | grep -Eq '^ *epoch +loss +rate +seconds$'
	expect_no_line 'validation'
	expect_line '^descend: 48 rows, 3 features'
}

@test "--validation F holds out round(F*n) rows, at least 1, and trains on the rest" {
	local f held
	# ten.csv has 10 rows: F -> rows held out.
	for f in 0.25:3 0.01:1 0.04:1 0.06:1 0.5:5 0.8:8 0.149:1 0.151:2; do
		held=${f#*:}
		d fit -e 2 --validation "${f%:*}" "$CASES/ten.csv"
		expect_status 0
		expect_line "^descend: validation mse [^ ]+ \\($held rows?\\)$"
		expect_line "^descend: $((10 - held)) rows, 2 features"
	done
}

@test "--validation: the held-out and the training rows partition the data (eval on all rows agrees)" {
	local mode n_tr n_v last tr va all
	for mode in batch sgd; do
		d fit -m "$mode" -e 30 --validation 0.3 --log "$T/log.csv" -o "$T/w.csv" "$DATA/rock.csv"
		expect_status 0
		n_tr=$(field '^descend: ([0-9]+) rows, .*')
		n_v=$(field '^descend: validation mse [^ ]+ \(([0-9]+) rows\)$')
		[[ $n_tr == 34 && $n_v == 14 ]]
		# The log's last line: the training and validation mse of the weights written.
		last=$(tail -n 1 "$T/log.csv")
		[[ ${last%%,*} == 30 ]]
		tr=$(cut -d, -f2 <<<"$last")
		va=$(cut -d, -f3 <<<"$last")
		close "$(field '^descend: validation mse ([^ ]+) .*')" "$va" 1e-9
		close "$(field '^descend: final mse ([^;]+);.*')" "$tr" 1e-9
		# n * mse(all rows) = n_train * training mse + n_val * validation mse.
		d eval -w "$T/w.csv" "$DATA/rock.csv"
		expect_status 0
		all=$(field '^mse,(.*)' "$T/out")
		close "$(awk -v a="$tr" -v b="$va" 'BEGIN { printf "%.17g", (34 * a + 14 * b) / 48 }')" "$all" 1e-12
	done
}

@test "--validation: the same seed gives the same bytes; another seed another split" {
	d fit --validation 0.3 --seed 5 -e 20 "$DATA/rock.csv"
	expect_status 0
	mv "$T/out" "$T/five"
	grep '^descend: validation' "$T/err" >"$T/five.val"
	d fit --validation 0.3 --seed 5 -e 20 "$DATA/rock.csv"
	expect_same "$T/five" "$T/out"
	grep '^descend: validation' "$T/err" >"$T/again.val"
	expect_same "$T/five.val" "$T/again.val"
	d fit -q --validation=0.3 --seed=5 -e 20 "$DATA/rock.csv"
	expect_same "$T/five" "$T/out"
	# Batch mode uses the seed for the split only: other weights mean another split.
	for seed in 1 6; do
		d fit --validation 0.3 --seed "$seed" -e 20 "$DATA/rock.csv"
		expect_status 0
		expect_differ "$T/five" "$T/out"
		grep '^descend: validation' "$T/err" >"$T/other.val"
		expect_differ "$T/five.val" "$T/other.val"
	done
	# The default seed is 1.
	mv "$T/out" "$T/six"
	d fit --validation 0.3 --seed 1 -e 20 "$DATA/rock.csv"
	mv "$T/out" "$T/one"
	d fit --validation 0.3 -e 20 "$DATA/rock.csv"
	expect_same "$T/one" "$T/out"
}

# ---------------------------------------------------------------- --early-stop and --tol

@test "--early-stop N: the best epoch B has the lowest val_loss in the log; the run stops N epochs after it; its weights equal -e B's" {
	local mode opts b best last
	for mode in batch sgd 'minibatch -b 4'; do
		opts="-m $mode --validation 0.3 --seed 2"
		d fit $opts -e 500 --early-stop 5 --log "$T/log.csv" "$DATA/rock.csv"
		expect_status 0
		mv "$T/out" "$T/early"
		b=$(field '^descend: the weights are those of epoch ([0-9]+), with the lowest validation mse, .*')
		[[ -n $b ]] || { echo "mode $mode: no best epoch in the summary"; cat "$T/err"; false; }
		expect_line "^descend: the weights are those of epoch $b, with the lowest validation mse, [^ ]+ \\(14 rows\\); stopped early$"
		# B is the first epoch with the lowest val_loss; the last epoch is B + 5.
		best=$(awk -F, 'NR > 1 && (b == "" || $3 + 0 < m) { m = $3 + 0; b = $1 } END { print b }' "$T/log.csv")
		last=$(tail -n 1 "$T/log.csv" | cut -d, -f1)
		echo "mode $mode: best epoch $b, lowest val_loss at $best, last epoch $last"
		[[ $b == "$best" && $last == $((b + 5)) ]]
		[[ $(grep -c '' "$T/log.csv") == $((last + 1)) ]]
		# The summary's numbers are those of epoch B.
		close "$(field '^descend: the weights are those of epoch [0-9]+, with the lowest validation mse, ([^ ]+) .*')" \
			"$(log_at "$T/log.csv" "$b" 3)" 1e-9
		close "$(field '^descend: final mse ([^;]+);.*')" "$(log_at "$T/log.csv" "$b" 2)" 1e-9
		# The same fit stopped at -e B by hand gives the same bytes.
		d fit -q $opts -e "$b" "$DATA/rock.csv"
		expect_status 0
		expect_same "$T/early" "$T/out"
	done
}

@test "--early-stop: a run that reaches -e writes the best epoch's weights and does not say stopped early" {
	local b
	# Batch on rock.csv, seed 3: the validation loss is lowest at epoch 31 and rises
	# after it, so a run of 33 epochs reaches -e with the best epoch 2 behind.
	d fit --validation 0.3 --seed 3 -e 33 --early-stop 5 --log "$T/log.csv" "$DATA/rock.csv"
	expect_status 0
	mv "$T/out" "$T/early"
	[[ $(grep -c '' "$T/log.csv") == 34 ]]
	b=$(awk -F, 'NR > 1 && (b == "" || $3 + 0 < m) { m = $3 + 0; b = $1 } END { print b }' "$T/log.csv")
	((b < 33 && b > 28)) || { cat "$T/log.csv"; false; }
	expect_line "^descend: the weights are those of epoch $b, with the lowest validation mse, [^ ]+ \\(14 rows\\)$"
	expect_no_line 'stopped early'
	d fit -q --validation 0.3 --seed 3 -e "$b" "$DATA/rock.csv"
	expect_same "$T/early" "$T/out"
	d fit -q --validation 0.3 --seed 3 -e 33 "$DATA/rock.csv"
	expect_differ "$T/early" "$T/out"
	# When the last epoch is the best, the weights are those of the run without --early-stop.
	d fit --validation 0.3 -e 4 --early-stop 5 "$DATA/rock.csv"
	expect_status 0
	expect_line '^descend: the weights are those of epoch 4, with the lowest validation mse, [^ ]+ \(14 rows\)$'
	mv "$T/out" "$T/early"
	d fit -q --validation 0.3 -e 4 "$DATA/rock.csv"
	expect_same "$T/early" "$T/out"
}

@test "--tol T: better means lower than the best by more than T*|best|; B and the stop follow that rule" {
	local tol n b last want
	for tol in 0.01 0.05 0.5; do
		for n in 1 3; do
			d fit --validation 0.3 -e 200 --early-stop "$n" --tol "$tol" --log "$T/log.csv" "$DATA/rock.csv"
			expect_status 0
			mv "$T/out" "$T/early"
			b=$(field '^descend: the weights are those of epoch ([0-9]+),.*')
			last=$(tail -n 1 "$T/log.csv" | cut -d, -f1)
			want=$(awk -F, -v t="$tol" -v n="$n" '
				NR == 1 { next }
				NR == 2 { best = $3 + 0; b = 1; next }
				$3 + 0 < best - t * (best < 0 ? -best : best) { best = $3 + 0; b = $1 }
				$1 - b >= n { stop = $1; exit }
				END { print b, stop }' "$T/log.csv")
			echo "tol $tol, early-stop $n: epoch $b, stopped at $last; the rule says $want"
			[[ "$b $last" == "$want" ]]
			d fit -q --validation 0.3 -e "$b" "$DATA/rock.csv"
			expect_same "$T/early" "$T/out"
		done
	done
	# --tol 0 is the default.
	d fit -q --validation 0.3 -e 200 --early-stop 3 "$DATA/rock.csv"
	mv "$T/out" "$T/default"
	d fit -q --validation 0.3 -e 200 --early-stop 3 --tol 0 "$DATA/rock.csv"
	expect_same "$T/default" "$T/out"
}

# ---------------------------------------------------------------- --log

@test "--log: a CSV header and one line per epoch, numbers shortest, seconds %.6f, val_loss empty without validation" {
	d fit -e 7 "$DATA/rock.csv"
	mv "$T/out" "$T/want"
	mv "$T/err" "$T/table"
	echo 'old contents' >"$T/log.csv"
	d fit -q -e 7 --log "$T/log.csv" "$DATA/rock.csv"
	expect_status 0
	expect_empty "$T/err"
	expect_same "$T/want" "$T/out"
	[[ $(head -n 1 "$T/log.csv") == epoch,train_loss,val_loss,learning_rate,seconds ]]
	awk -F, '
		NR == 1 { next }
		{
			if (NF != 5 || $1 != NR - 1) { print "line " NR ": " $0; bad = 1 }
			if ($3 != "") { print "line " NR ": val_loss not empty"; bad = 1 }
			if ($5 !~ /^[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9]$/) { print "line " NR ": seconds " $5; bad = 1 }
		}
		END { exit bad || NR != 8 }' "$T/log.csv"
	expect_shortest "$T/log.csv" 2 4
	# The log's losses and rates are those of the epoch table on stderr.
	awk -F, '
		FILENAME == ARGV[1] { if (FNR > 1) { loss[$1] = $2; rate[$1] = $4 }; next }
		$1 ~ /^[0-9]+$/ {
			n++
			if (!($1 in loss)) { bad = 1; next }
			e = ($2 - loss[$1]) / loss[$1]; if (e < 0) e = -e
			f = ($3 - rate[$1]) / rate[$1]; if (f < 0) f = -f
			if (!(e <= 1e-9 && f <= 1e-5)) { print "epoch " $1 ": table " $0 ", log " loss[$1] " " rate[$1]; bad = 1 }
		}
		END { exit bad || n != 7 }' "$T/log.csv" FS=' ' "$T/table"
	# Without -q the same log, but for the seconds.
	cut -d, -f1-4 "$T/log.csv" >"$T/quiet.log"
	d fit -e 7 --log "$T/log.csv" "$DATA/rock.csv"
	cut -d, -f1-4 "$T/log.csv" >"$T/loud.log"
	expect_same "$T/quiet.log" "$T/loud.log"
	# With --validation, val_loss is a number on every line, shortest.
	d fit -q -e 7 --validation 0.2 --log "$T/log.csv" "$DATA/rock.csv"
	expect_status 0
	awk -F, 'NR > 1 && $3 == "" { print; bad = 1 } END { exit bad || NR != 8 }' "$T/log.csv"
	expect_shortest "$T/log.csv" 2 3 4
}

@test "--log on a diverged run: exit 3 and the epochs up to the divergence are in the log" {
	local at
	d fit -q -r 0.6 -e 100 --log "$T/log.csv" "$DATA/rock.csv"
	expect_status 3
	expect_empty "$T/out"
	at=$(field '^descend: training diverged at epoch ([0-9]+) .*')
	((at > 2)) || { cat "$T/err"; false; }
	[[ $(head -n 1 "$T/log.csv") == epoch,train_loss,val_loss,learning_rate,seconds ]]
	# Epochs 1, 2, ... in order, up to the divergence (the diverged epoch itself may be there).
	awk -F, -v at="$at" 'NR > 1 && $1 != NR - 1 { bad = 1 } END { n = NR - 1; exit bad || n < at - 1 || n > at }' "$T/log.csv" ||
		{ echo "diverged at epoch $at; the log:"; cat "$T/log.csv"; false; }
}

# ---------------------------------------------------------------- --cv

# cv_check FILE N K: fail unless FILE is the --cv-only CSV of N rows in K folds: folds 1..K whose
# row counts sum to N and differ by at most 1, then mean and sd (K-1) of their val_loss.
cv_check() {
	awk -F, -v n="$2" -v k="$3" '
		NR == 1 { if ($0 != "fold,rows,val_loss") { print "header: " $0; bad = 1 }; next }
		NR <= k + 1 {
			if (NF != 3 || $1 != NR - 1 || $2 !~ /^[0-9]+$/ || $3 !~ /^[0-9]/) { print "line " NR ": " $0; bad = 1 }
			rows += $2; v[NR - 1] = $3 + 0; s += $3
			if (lo == "" || $2 + 0 < lo) lo = $2 + 0
			if ($2 + 0 > hi) hi = $2 + 0
			next
		}
		NR == k + 2 { mean = $3; if ($1 != "mean" || $2 != n) { print "line " NR ": " $0; bad = 1 }; next }
		NR == k + 3 { sd = $3; if ($1 != "sd" || $2 != n) { print "line " NR ": " $0; bad = 1 }; next }
		{ print "extra line: " $0; bad = 1 }
		END {
			if (NR != k + 3) { print NR " lines, expected " k + 3; bad = 1 }
			if (rows != n || hi - lo > 1) { printf "fold rows sum to %d (want %d), from %d to %d\n", rows, n, lo, hi; bad = 1 }
			m = s / k; for (i = 1; i <= k; i++) ss += (v[i] - m) ^ 2
			want = sqrt(ss / (k - 1))
			e = (mean - m) / m; if (e < 0) e = -e
			f = (sd - want) / want; if (f < 0) f = -f
			if (!(e <= 1e-12 && f <= 1e-9)) { printf "mean %s sd %s, want %.17g %.17g\n", mean, sd, m, want; bad = 1 }
			exit bad
		}' "$1"
}

@test "--cv K --cv-only: CSV fold,rows,val_loss, folds partition the rows (sizes differ by 1 at most), mean and sd" {
	d fit -q --cv 5 --cv-only -e 20 "$DATA/rock.csv"
	expect_status 0
	expect_empty "$T/err"
	cv_check "$T/out" 48 5
	d fit -q --cv 7 --cv-only -e 5 "$DATA/rock.csv"
	cv_check "$T/out" 48 7
	d fit -q --cv 3 --cv-only -e 5 "$CASES/ten.csv"
	cv_check "$T/out" 10 3
	# K = n: every row is a fold of its own.
	d fit -q --cv 10 --cv-only -e 5 "$CASES/ten.csv"
	expect_status 0
	cv_check "$T/out" 10 10
	[[ $(awk -F, 'NR > 1 && NR <= 11 && $2 == 1' "$T/out" | grep -c '') == 10 ]]
	# The rows counted are those left after --missing.
	d fit -q -t Ozone --missing drop --cv 5 --cv-only -e 5 "$DATA/airquality.csv"
	expect_status 0
	cv_check "$T/out" 111 5
	d fit -q -t Ozone --missing mean --cv 4 --cv-only -e 5 "$DATA/airquality.csv"
	expect_status 0
	cv_check "$T/out" 116 4
}

@test "--cv-only: -o FILE gets the CSV atomically; stderr has the folds unless -q; a diverged fold leaves stdout empty" {
	d fit -q --cv 4 --cv-only -e 20 "$DATA/rock.csv"
	cp "$T/out" "$T/expected"
	d fit --cv 4 --cv-only -e 20 -o "$T/cv.csv" "$DATA/rock.csv"
	expect_status 0
	expect_empty "$T/out"
	cmp "$T/expected" "$T/cv.csv"
	[[ $(grep -c '^descend: fold [1-4] of 4: validation mse ' "$T/err") == 4 ]]
	grep -q '^descend: cross-validated mse .* (mean ± sd of 4 folds)$' "$T/err"
	d fit -q --cv 3 --cv-only -r 100 "$CASES/ten.csv"
	expect_status 3
	expect_empty "$T/out"
}

@test "--cv-only: the same seed gives the same bytes, another seed other folds" {
	d fit -q --cv 5 --cv-only -e 10 --seed 4 "$DATA/rock.csv"
	mv "$T/out" "$T/four"
	d fit -q --cv 5 --cv-only -e 10 --seed 4 "$DATA/rock.csv"
	expect_same "$T/four" "$T/out"
	d fit -q --cv 5 --cv-only -e 10 --seed 5 "$DATA/rock.csv"
	expect_status 0
	expect_differ "$T/four" "$T/out"
	d fit -q --cv 5 --cv-only -e 10 "$DATA/rock.csv"
	mv "$T/out" "$T/default"
	d fit -q --cv 5 --cv-only -e 10 --seed 1 "$DATA/rock.csv"
	expect_same "$T/default" "$T/out"
}

@test "--cv K without --cv-only: the folds on stderr, then the very weights of the fit without --cv" {
	local opts i line
	for opts in '-e 20' '-m sgd -e 10 --seed 3' '-m minibatch -b 5 -e 10 --seed 3' '-e 10 --scale minmax'; do
		d fit -q $opts "$DATA/rock.csv"
		mv "$T/out" "$T/want"
		d fit -q $opts --cv 4 "$DATA/rock.csv"
		expect_status 0
		expect_empty "$T/err"
		expect_same "$T/want" "$T/out"
	done
	d fit -q -t Ozone --missing mean -e 10 "$DATA/airquality.csv"
	mv "$T/out" "$T/want"
	d fit -q -t Ozone --missing mean -e 10 --cv 5 "$DATA/airquality.csv"
	expect_same "$T/want" "$T/out"
	# Without -q: one line per fold and the summary, with the numbers of --cv-only.
	d fit -q --cv 5 --cv-only -e 20 "$DATA/rock.csv"
	mv "$T/out" "$T/cv.csv"
	d fit --cv 5 -e 20 "$DATA/rock.csv"
	expect_status 0
	for i in 1 2 3 4 5; do
		line=$(sed -n "$((i + 1))p" "$T/cv.csv")
		expect_line "^descend: fold $i of 5: validation mse [^ ]+ \\($(cut -d, -f2 <<<"$line") rows\\)$"
		close "$(field "^descend: fold $i of 5: validation mse ([^ ]+) .*")" "$(cut -d, -f3 <<<"$line")" 1e-9
	done
	expect_line '^descend: cross-validated mse [^ ]+ ± [^ ]+ \(mean ± sd of 5 folds\)$'
	close "$(field '^descend: cross-validated mse ([^ ]+) .*')" "$(grep '^mean,' "$T/cv.csv" | cut -d, -f3)" 1e-9
	close "$(field '^descend: cross-validated mse [^ ]+ ± ([^ ]+) .*')" "$(grep '^sd,' "$T/cv.csv" | cut -d, -f3)" 1e-9
	# Then the fit on all the data, as usual.
	expect_line '^descend: 48 rows, 3 features; 20 epochs'
}

# ---------------------------------------------------------------- --missing

@test "--missing on airquality.csv: drop leaves out 42 rows; mean leaves out 37 and writes the impute column" {
	d fit -t Ozone -e 5 --missing drop "$DATA/airquality.csv"
	expect_status 0
	expect_line '^descend: left out 42 rows with missing values$'
	expect_line '^descend: 111 rows, 5 features'
	[[ $(head -n 1 "$T/out") == term,weight,std_weight,target ]]
	# Only the columns used count: without Solar.R, the 37 rows with no Ozone.
	d fit -t Ozone -x Wind,Temp -e 5 --missing drop "$DATA/airquality.csv"
	expect_status 0
	expect_line '^descend: left out 37 rows with missing values$'
	expect_line '^descend: 116 rows, 2 features'
	d fit -t Ozone -e 5 --missing mean "$DATA/airquality.csv"
	expect_status 0
	expect_line '^descend: left out 37 rows with missing values$'
	expect_line '^descend: 116 rows, 5 features'
	[[ $(head -n 1 "$T/out") == term,weight,std_weight,impute,target ]]
	[[ $(terms) == '(intercept) Solar.R Wind Temp Month Day' ]]
	grep -Eq '^\(intercept\),[^,]+,[^,]+,,Ozone$' "$T/out" || { cat "$T/out"; false; }
	# Each impute is the mean of the observed values of that feature over the rows with an Ozone.
	awk -F, '
		FILENAME == ARGV[1] { if (FNR > 1) imp[$1] = $4; next }
		FNR == 1 { gsub(/"/, ""); for (i = 1; i <= NF; i++) name[i] = $i; next }
		$1 != "" { for (i = 2; i <= NF; i++) if ($i != "") { s[i] += $i; c[i]++ } }
		END {
			for (i = 2; i <= 6; i++) {
				m = s[i] / c[i]; e = (imp[name[i]] - m) / m; if (e < 0) e = -e
				printf "%-8s impute %s, mean of %d values %.17g\n", name[i], imp[name[i]], c[i], m
				if (imp[name[i]] == "" || !(e <= 1e-12)) bad = 1
			}
			exit bad || c[2] != 111 || c[3] != 116
		}' "$T/out" "$DATA/airquality.csv"
	# The default policy is error; --missing error says so too.
	d fit -q -t Ozone -e 5 "$DATA/airquality.csv"
	expect_status 1
	expect_empty "$T/out"
	d fit -q -t Ozone -e 5 --missing error "$DATA/airquality.csv"
	expect_status 1
	expect_empty "$T/out"
}

@test "predict with a --missing mean model fills a missing cell with the impute value; without one it is an error" {
	local want
	"$DESCEND" fit -q -t Ozone -e 20 --missing mean -o "$T/w.csv" "$DATA/airquality.csv"
	d predict -w "$T/w.csv" "$DATA/airquality.csv"
	expect_status 0
	expect_empty "$T/err"
	expect_predictions "$T/w.csv" "$DATA/airquality.csv" "$T/out"
	# By hand: line 7 is `28,,14.9,66,5,6` (Solar.R missing), the 6th prediction.
	[[ $(sed -n 7p "$DATA/airquality.csv") == '28,,14.9,66,5,6' ]]
	want=$(awk -F, 'NR > 1 { w[$1] = $2; i[$1] = $4 }
		END { printf "%.17g", w["(intercept)"] + w["Solar.R"] * i["Solar.R"] + w["Wind"] * 14.9 + w["Temp"] * 66 + w["Month"] * 5 + w["Day"] * 6 }' "$T/w.csv")
	close "$(sed -n 7p "$T/out")" "$want" 1e-12
	# The same row with the impute value written out gives the same bytes.
	mv "$T/out" "$T/all"
	{ head -n 1 "$DATA/airquality.csv"; echo "28,$(grep '^Solar.R,' "$T/w.csv" | cut -d, -f4),14.9,66,5,6"; } >"$T/filled.csv"
	d predict -w "$T/w.csv" "$T/filled.csv"
	expect_status 0
	[[ $(sed -n 2p "$T/out") == "$(sed -n 7p "$T/all")" ]]
	# A model with no impute column: the first missing used cell (line 6, Solar.R) is an error,
	# after the 4 predictions before it.
	"$DESCEND" fit -q -t Ozone -e 20 --missing drop -o "$T/w.csv" "$DATA/airquality.csv"
	d predict -w "$T/w.csv" "$DATA/airquality.csv"
	expect_status 1
	[[ $(grep -c '' "$T/out") == 5 ]]
	[[ $(cat "$T/err") == "descend: $DATA/airquality.csv:6:2: empty cell in column \"Solar.R\": a missing value (see --missing)" ]] || { cat "$T/err"; false; }
}

@test "--missing: NA is missing as an empty cell is, in fit (drop and mean) and in predict" {
	local x
	# na_cells.csv: NA or empty in x (2 rows), z (2 rows) and y (2 rows), 10 rows.
	d fit -e 5 --missing drop "$CASES/na_cells.csv"
	expect_status 0
	awk -F, 'NR > 1 { for (i = 1; i <= NF; i++) if ($i == "" || $i == "NA") { n++; break } } END { print n " rows with a missing cell"; exit n != 5 }' "$CASES/na_cells.csv"
	expect_line '^descend: left out 5 rows with missing values$'
	expect_line '^descend: 5 rows, 2 features'
	d fit -e 5 --missing mean -o "$T/w.csv" "$CASES/na_cells.csv"
	expect_status 0
	expect_line '^descend: left out 2 rows with missing values$'
	expect_line '^descend: 8 rows, 2 features'
	# x's impute: the mean of the observed x (neither empty nor NA) on the rows whose y is there.
	close "$(grep '^x,' "$T/w.csv" | cut -d, -f4)" \
		"$(awk -F, 'NR > 1 && $3 != "" && $3 != "NA" && $1 != "" && $1 != "NA" { s += $1; n++ } END { printf "%.17g", s / n }' "$CASES/na_cells.csv")" 1e-12
	close "$(grep '^z,' "$T/w.csv" | cut -d, -f4)" \
		"$(awk -F, 'NR > 1 && $3 != "" && $3 != "NA" && $2 != "" && $2 != "NA" { s += $2; n++ } END { printf "%.17g", s / n }' "$CASES/na_cells.csv")" 1e-12
	# predict: NA, "NA" quoted and an empty cell all take the impute; the value itself gives the same.
	x=$(grep '^x,' "$T/w.csv" | cut -d, -f4)
	printf 'x,z\nNA,1\n,1\n"NA",1\n%s,1\n' "$x" >"$T/p.csv"
	d predict -w "$T/w.csv" "$T/p.csv"
	expect_status 0
	[[ $(sort -u <(sed 1d "$T/out") | grep -c '') == 1 ]] || { cat "$T/out"; false; }
	expect_predictions "$T/w.csv" "$T/p.csv" "$T/out"
}

# ---------------------------------------------------------------- --categorical

CARS_TERMS='(intercept) MPG.city MPG.highway EngineSize Horsepower RPM Rev.per.mile Fuel.tank.capacity Passengers Length Wheelbase Width Turn.circle Weight Origin=USA Origin=non-USA Type=Compact Type=Large Type=Midsize Type=Small Type=Sporty Type=Van'

@test "--categorical on Cars93.csv: COL=level terms in byte order, the reference first with weight 0" {
	d fit -q -t Price --categorical Origin,Type "$DATA/Cars93.csv"
	expect_status 0
	[[ $(terms) == "$CARS_TERMS" ]] || { terms; false; }
	[[ $(head -n 1 "$T/out") == term,weight,std_weight,target ]]
	grep -qx 'Origin=USA,0,0,Price' "$T/out"
	grep -qx 'Type=Compact,0,0,Price' "$T/out"
	# The other levels have weights.
	awk -F, '$1 ~ /=/ && $1 != "Origin=USA" && $1 != "Type=Compact" && $2 + 0 == 0 { print "zero: " $0; bad = 1 } END { exit bad }' "$T/out"
	# std_weight = weight * population sd, for the indicators too.
	expect_std_weights "$T/out" "$DATA/Cars93.csv"
	# The levels take the column's place among the features; the order of --categorical is not the order of terms.
	d fit -q -e 5 -t Price -x Horsepower,Type,Weight --categorical Type "$DATA/Cars93.csv"
	expect_status 0
	[[ $(terms) == '(intercept) Horsepower Type=Compact Type=Large Type=Midsize Type=Small Type=Sporty Type=Van Weight' ]]
	mv "$T/out" "$T/want"
	d fit -q -e 5 -t Price -x Horsepower,Type,Weight --categorical 16 "$DATA/Cars93.csv"
	expect_same "$T/want" "$T/out"
	d fit -q -e 5 -t Price --categorical Type,Origin "$DATA/Cars93.csv"
	[[ $(terms) == "$CARS_TERMS" ]]
}

@test "--categorical: levels sort by bytes, not by the locale; quoted and unquoted levels are the same" {
	write c.csv $'k,y\nb,1\nB,2\n"a",3\n_,4\nA,5\nb,6\na,7\n'
	d fit -q -e 5 --categorical k "$T/c.csv"
	expect_status 0
	[[ $(terms) == '(intercept) k=A k=B k=_ k=a k=b' ]] || { terms; false; }
	LC_ALL=en_US.UTF-8 LC_COLLATE=en_US.UTF-8 d fit -q -e 5 --categorical k "$T/c.csv"
	[[ $(terms) == '(intercept) k=A k=B k=_ k=a k=b' ]]
}

@test "fit --categorical -> predict on Cars93.csv: prediction = intercept + numeric terms + the weight of the row's level" {
	"$DESCEND" fit -q -t Price --categorical Origin,Type -o "$T/w.csv" "$DATA/Cars93.csv"
	d predict -w "$T/w.csv" "$DATA/Cars93.csv"
	expect_status 0
	expect_empty "$T/err"
	expect_predictions "$T/w.csv" "$DATA/Cars93.csv" "$T/out"
	# eval scores it.
	d eval -t Price -w "$T/w.csv" "$DATA/Cars93.csv"
	expect_status 0
	expect_line '^n,93$' "$T/out"
}

@test "predict: an unseen level is an error after the rows before it; --unseen zero gives the reference level's prediction" {
	"$DESCEND" fit -q -t Price --categorical Origin,Type -o "$T/w.csv" "$DATA/Cars93.csv"
	# Line 5 (the 4th car) becomes a "Hyper"; the same with the reference level "Compact".
	awk 'NR == 5 { sub(/"Midsize"$/, "\"Hyper\"") } 1' "$DATA/Cars93.csv" >"$T/hyper.csv"
	awk 'NR == 5 { sub(/"Midsize"$/, "\"Compact\"") } 1' "$DATA/Cars93.csv" >"$T/compact.csv"
	grep -q '"Hyper"$' "$T/hyper.csv"
	"$DESCEND" predict -w "$T/w.csv" "$T/compact.csv" >"$T/want"
	d predict -w "$T/w.csv" "$T/hyper.csv"
	expect_status 1
	[[ $(cat "$T/err") == "descend: $T/hyper.csv:5:16: \"Hyper\" in column \"Type\" is a level not seen in training (see --unseen)" ]] || { cat "$T/err"; false; }
	head -n 4 "$T/want" >"$T/before"
	expect_same "$T/before" "$T/out"
	d predict --unseen error -w "$T/w.csv" "$T/hyper.csv"
	expect_status 1
	d predict --unseen zero -w "$T/w.csv" "$T/hyper.csv"
	expect_status 0
	expect_empty "$T/err"
	expect_same "$T/want" "$T/out"
	d predict --unseen=zero -w "$T/w.csv" "$T/hyper.csv"
	expect_same "$T/want" "$T/out"
	# eval alike.
	"$DESCEND" eval -t Price -w "$T/w.csv" "$T/compact.csv" >"$T/want"
	d eval -t Price --unseen zero -w "$T/w.csv" "$T/hyper.csv"
	expect_status 0
	expect_same "$T/want" "$T/out"
}

@test "predict with hand-written COL=level weights: indicators, --unseen zero, a missing text cell with and without impute" {
	cd "$CASES"
	# w_cat.csv: 10 + 2*size, color blue (reference) 0, green 3, red -1.
	d predict -w w_cat.csv cat.csv
	expect_status 0
	[[ $(cat "$T/out") == $'prediction\n11\n14\n19\n17' ]] || { cat "$T/out"; false; }
	d predict -w w_cat.csv cat_unseen.csv
	expect_status 1
	[[ $(cat "$T/out") == $'prediction\n11' ]]
	[[ $(cat "$T/err") == 'descend: cat_unseen.csv:3:2: "pink" in column "color" is a level not seen in training (see --unseen)' ]] || { cat "$T/err"; false; }
	d predict --unseen zero -w w_cat.csv cat_unseen.csv
	expect_status 0
	[[ $(cat "$T/out") == $'prediction\n11\n14\n19' ]] || { cat "$T/out"; false; }
	# A missing text cell (empty or NA) without an impute column is an error; --unseen does not change that.
	for unseen in error zero; do
		d predict --unseen "$unseen" -w w_cat.csv cat_missing.csv
		expect_status 1
		[[ $(cat "$T/out") == $'prediction\n11' ]]
		[[ $(cat "$T/err") == 'descend: cat_missing.csv:3:2: missing value in column "color" (see --missing)' ]] || { cat "$T/err"; false; }
	done
	sed '3d' cat_missing.csv >"$T/na.csv"
	d predict -w w_cat.csv "$T/na.csv"
	expect_status 1
	[[ $(cat "$T/err") == "descend: $T/na.csv:3:2: missing value in column \"color\" (see --missing)" ]] || { cat "$T/err"; false; }
	# With an impute column: the indicators take their impute values (10 + 4 + 0.75 - 0.25, 10 + 6 + 0.5),
	# a missing number its own.
	d predict -w w_cat_impute.csv cat_missing.csv
	expect_status 0
	[[ $(cat "$T/out") == $'prediction\n11\n14.5\n16.5' ]] || { cat "$T/out"; false; }
	write num.csv $'color,size\ngreen,\nred,NA\n'
	d predict -w w_cat_impute.csv "$T/num.csv"
	expect_status 0
	[[ $(cat "$T/out") == $'prediction\n18\n14' ]] || { cat "$T/out"; false; }
	# An input column named exactly COL=level is that term's number, not an indicator.
	write lit.csv $'size,color=blue,color=green,color=red\n1,0,0,1\n1,0.5,0.5,2\n'
	d predict -w w_cat.csv "$T/lit.csv"
	expect_status 0
	[[ $(cat "$T/out") == $'prediction\n11\n11.5' ]] || { cat "$T/out"; false; }
}

@test "--categorical with --missing mean: an indicator's impute is its level's share of the observed rows; predict uses them" {
	awk 'NR == 5 { sub(/"Midsize"$/, "") } NR == 9 { sub(/"[A-Za-z]+"$/, "NA") } 1' "$DATA/Cars93.csv" >"$T/holes.csv"
	d fit -t Price -x Type,Weight,Origin --categorical Type,Origin -e 50 --missing mean -o "$T/w.csv" "$T/holes.csv"
	expect_status 0
	expect_no_line 'left out'
	expect_line '^descend: 93 rows, '
	[[ $(head -n 1 "$T/w.csv") == term,weight,std_weight,impute,target ]]
	[[ $(cut -d, -f1 "$T/w.csv" | sed 1d | tr '\n' ' ') == '(intercept) Type=Compact Type=Large Type=Midsize Type=Small Type=Sporty Type=Van Weight Origin=USA Origin=non-USA ' ]]
	grep -q '^Type=Compact,0,0,0\.' "$T/w.csv" || { cat "$T/w.csv"; false; }
	# impute of Type=L: the share of L among the 91 rows with a Type.
	awk -F, '
		FILENAME == ARGV[1] { if ($1 ~ /^Type=/) imp[substr($1, 6)] = $4; next }
		FNR > 1 { gsub(/"/, ""); if ($16 != "" && $16 != "NA") { c[$16]++; n++ } }
		END {
			for (l in imp) {
				m = c[l] / n; e = imp[l] - m; if (e < 0) e = -e
				printf "%-8s impute %s, share %.17g of %d\n", l, imp[l], m, n
				if (!(e <= 1e-12)) bad = 1
			}
			exit bad || n != 91
		}' "$T/w.csv" "$T/holes.csv"
	d predict -w "$T/w.csv" "$T/holes.csv"
	expect_status 0
	expect_predictions "$T/w.csv" "$T/holes.csv" "$T/out"
	# --missing drop leaves out the 2 rows.
	d fit -t Price -x Type,Weight --categorical Type -e 5 --missing drop "$T/holes.csv"
	expect_status 0
	expect_line '^descend: left out 2 rows with missing values$'
	expect_line '^descend: 91 rows, '
}

# ---------------------------------------------------------------- --scale

@test "--scale zscore, minmax and none converge to the same least-squares weights" {
	local exact='(intercept)=50000 sqft=120 age=-800 rooms=4000 distance=-1500'
	d fit -q -e 3000 -t price --scale zscore "$DATA/homes_exact.csv"
	expect_status 0
	expect_coefficients "$T/out" $exact
	expect_std_weights "$T/out" "$DATA/homes_exact.csv"
	d fit -q -e 20000 -t price --scale minmax "$DATA/homes_exact.csv"
	expect_status 0
	expect_coefficients "$T/out" $exact
	expect_std_weights "$T/out" "$DATA/homes_exact.csv"
	# Unscaled, homes_exact.csv is too ill-conditioned for gradient descent: the same data with
	# the features divided by 1000, 100, 10 and 100 (so the weights are multiplied by those).
	awk -F, -v OFS=, 'NR == 1 { print; next } { print $1 / 1000, $2 / 100, $3 / 10, $4 / 100, $5 }' \
		"$DATA/homes_exact.csv" >"$T/small.csv"
	d fit -q -e 20000 --scale none "$T/small.csv"
	expect_status 0
	expect_coefficients "$T/out" '(intercept)=50000' sqft=120000 age=-80000 rooms=40000 distance=-150000
	expect_std_weights "$T/out" "$T/small.csv"
}

@test "--scale: zscore is the default, --no-standardize is none, and the three differ before convergence" {
	d fit -q -e 5 "$DATA/rock.csv"
	mv "$T/out" "$T/default"
	d fit -q -e 5 --scale zscore "$DATA/rock.csv"
	expect_same "$T/default" "$T/out"
	d fit -q -e 5 --scale minmax "$DATA/rock.csv"
	expect_status 0
	expect_differ "$T/default" "$T/out"
	expect_std_weights "$T/out" "$DATA/rock.csv"
	mv "$T/out" "$T/minmax"
	d fit -q -e 5 --scale none -r 1e-9 "$DATA/rock.csv"
	expect_status 0
	expect_differ "$T/default" "$T/out"
	expect_differ "$T/minmax" "$T/out"
	expect_std_weights "$T/out" "$DATA/rock.csv"
	mv "$T/out" "$T/none"
	d fit -q -e 5 --no-standardize -r 1e-9 "$DATA/rock.csv"
	expect_same "$T/none" "$T/out"
	d fit -q -e 5 --scale=none -r 1e-9 "$DATA/rock.csv"
	expect_same "$T/none" "$T/out"
}

# ---------------------------------------------------------------- --drop-duplicates

@test "--drop-duplicates: the count on stderr and the weights of the de-duplicated file" {
	# dups.csv: 11 rows; 4 repeat an earlier row in a, b and y (5.0 is 5; the note column is not
	# used; -0 is not 0 bit for bit).  dups_unique.csv: the 7 others.
	d fit -t y --drop note -e 50 "$CASES/dups_unique.csv"
	expect_status 0
	mv "$T/out" "$T/want"
	d fit -t y --drop note -e 50 --drop-duplicates "$CASES/dups.csv"
	expect_status 0
	expect_line '^descend: left out 4 duplicate rows$'
	expect_line '^descend: 7 rows, 2 features'
	expect_same "$T/want" "$T/out"
	d fit -q -t y --drop note -e 50 --drop-duplicates "$CASES/dups.csv"
	expect_empty "$T/err"
	expect_same "$T/want" "$T/out"
	# Without the option the duplicates count.
	d fit -q -t y --drop note -e 50 "$CASES/dups.csv"
	expect_differ "$T/want" "$T/out"
	# No duplicates: nothing said, nothing changed.
	d fit -t y --drop note -e 50 --drop-duplicates "$CASES/dups_unique.csv"
	expect_no_line 'duplicate'
	expect_same "$T/want" "$T/out"
	# Before anything else: --validation and --cv see the 7 rows.
	d fit -t y --drop note -e 5 --drop-duplicates --validation 0.4 "$CASES/dups.csv"
	expect_status 0
	expect_line '^descend: validation mse [^ ]+ \(3 rows\)$'
	expect_line '^descend: 4 rows, 2 features'
	d fit -q -t y --drop note -e 5 --drop-duplicates --cv 3 --cv-only "$CASES/dups.csv"
	expect_status 0
	cv_check "$T/out" 7 3
}
