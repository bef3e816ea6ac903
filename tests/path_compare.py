#!/usr/bin/env python3
"""Compare descend path's outputs with glmnet's references (tests/ref/r/path).

usage: tests/path_compare.py REF_TAG TABLE COEFFICIENTS STDERR

REF_TAG is tests/ref/r/path/NAME_aALPHA. Checks: the lambda sequence (same
length, 1e-12 relative), the coefficients at the reference's five lambda values
(1e-6 relative; glmnet's zeros exactly 0), cv_loss and cv_se (1e-9 relative),
nonzero (equal), lambda.min and lambda.1se on stderr (1e-12 relative). Prints
each failure and exits 1 if any.
"""
import csv
import re
import sys

tag, table, coefficients, stderr = sys.argv[1:5]
fails = []


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


ref_lambda = [float(r["lambda"]) for r in rows(tag + ".lambda.csv")]
got = rows(table)
lam = [float(r["lambda"]) for r in got]
if len(lam) != len(ref_lambda):
    fails.append("%d lambda values, glmnet %d" % (len(lam), len(ref_lambda)))
for i, (a, b) in enumerate(zip(lam, ref_lambda)):
    if rel(a, b) > 1e-12:
        fails.append("lambda %d: %r, glmnet %r" % (i + 1, a, b))

coef = rows(coefficients)
for r in rows(tag + ".coef.csv"):
    want_lambda = float(r["lambda"])
    k = min(range(len(lam)), key=lambda i: abs(lam[i] - want_lambda))
    if rel(lam[k], want_lambda) > 1e-12:
        fails.append("no lambda %r in the coefficients" % want_lambda)
        continue
    for name, v in r.items():
        if name == "lambda":
            continue
        want, have = float(v), float(coef[k][name])
        if (want == 0 and have != 0) or (want != 0 and rel(have, want) > 1e-6):
            fails.append("lambda %r, %s: %r, glmnet %r" %
                         (want_lambda, name, have, want))

for i, (g, w) in enumerate(zip(got, rows(tag + ".cv.csv"))):
    for col in ("cv_loss", "cv_se"):
        if rel(float(g[col]), float(w[col])) > 1e-9:
            fails.append("row %d %s: %s, glmnet %s" % (i + 1, col, g[col], w[col]))
    if g["nonzero"] != w["nonzero"]:
        fails.append("row %d nonzero: %s, glmnet %s" % (i + 1, g["nonzero"], w["nonzero"]))

choice = {r["which"]: float(r["lambda"]) for r in rows(tag + ".choice.csv")}
text = open(stderr).read()
for which in ("min", "1se"):
    m = re.search(r"^descend: lambda\.%s (\S+) " % which, text, re.M)
    if m is None:
        fails.append("no lambda.%s line on stderr" % which)
    elif rel(float(m.group(1)), choice[which]) > 1e-12:
        fails.append("lambda.%s %s, glmnet %r" % (which, m.group(1), choice[which]))

for f in fails:
    print(f)
sys.exit(1 if fails else 0)
