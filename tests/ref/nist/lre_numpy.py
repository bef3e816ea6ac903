#!/usr/bin/python3
"""
Log relative error (LRE) that NumPy's least squares achieves on the NIST StRD problems.

Run from the repository root with Debian's Python (it has numpy):

    /usr/bin/python3 tests/ref/nist/lre_numpy.py

For each problem it reads data/nist/<name>.csv (y is the last column), fits
numpy.linalg.lstsq([1, X], y, rcond=None) (LAPACK gelsd, SVD based; the default rcond
is eps * max(n, p)), and computes the standard errors from the same SVD:
se_j = s * sqrt(sum_k (V_jk / d_k)^2) over the singular values d_k that lstsq kept,
s = sqrt(RSS / (n - p)), RSS from the residuals y - X b. It compares them with the
certified values in tests/ref/nist/<name>.csv and <name>.stats.csv.

LRE = -log10(|est - cert| / |cert|), or -log10(|est|) when cert = 0 (Wampler1/2
standard errors), clamped to [0, 15]; 15 also when est == cert exactly.

Replaces the "numpy" rows of tests/ref/nist/lre.csv, keeping the other tools' rows,
and prints a detailed table (every statistic) on standard output.
"""
import csv
import math
import os
import sys

import numpy as np

PROBLEMS = ["norris", "pontius", "longley", "filip",
            "wampler1", "wampler2", "wampler3", "wampler4", "wampler5"]
TOOL = "numpy"
HERE = os.path.join("tests", "ref", "nist")


def lre(est, cert):
    if not math.isfinite(est):
        return 0.0
    if est == cert:
        return 15.0
    v = -math.log10(abs(est)) if cert == 0 else -math.log10(abs(est - cert) / abs(cert))
    return min(15.0, max(0.0, v))


def read_pairs(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))[1:]


def main():
    out = []
    print("problem   rank/p  minLRE(b) minLRE(se) LRE(sd) LRE(R2)  per-term LRE(b)")
    for name in PROBLEMS:
        with open(os.path.join("data", "nist", name + ".csv"), newline="") as f:
            rows = list(csv.reader(f))
        data = np.array([[float(v) for v in r] for r in rows[1:]])
        n = data.shape[0]
        X = np.column_stack([np.ones(n), data[:, :-1]])
        y = data[:, -1]
        p = X.shape[1]
        b, _, rank, _ = np.linalg.lstsq(X, y, rcond=None)
        r = y - X @ b
        rss = float(r @ r)
        s = math.sqrt(rss / (n - p))
        _, d, vt = np.linalg.svd(X, full_matrices=False)
        keep = d > np.finfo(float).eps * max(n, p) * d[0]
        cov = (vt[keep].T / d[keep] ** 2) @ vt[keep]
        se = s * np.sqrt(np.diag(cov))
        tss = float(((y - y.mean()) ** 2).sum())
        r2 = 1.0 - rss / tss

        cert = read_pairs(os.path.join(HERE, name + ".csv"))
        stats = dict(read_pairs(os.path.join(HERE, name + ".stats.csv")))
        lb = [lre(float(b[j]), float(c[1])) for j, c in enumerate(cert)]
        ls = [lre(float(se[j]), float(c[2])) for j, c in enumerate(cert)]
        lsd = lre(s, float(stats["residual_sd"]))
        lr2 = lre(r2, float(stats["r_squared"]))
        print("%-9s %2d/%-2d  %8.1f %10.1f %7.1f %7.1f  %s" % (
            name, rank, p, min(lb), min(ls), lsd, lr2, " ".join("%.1f" % v for v in lb)))
        out.append([name, TOOL, "%.1f" % min(lb), "%.1f" % min(ls)])

    path = os.path.join(HERE, "lre.csv")
    keep_rows = []
    if os.path.exists(path):
        keep_rows = [r for r in read_pairs(path) if r and r[1] != TOOL]
    order = {p: i for i, p in enumerate(PROBLEMS)}
    allrows = sorted(keep_rows + out, key=lambda r: (order.get(r[0], 99), r[1] != TOOL, r[1]))
    with open(path, "w", newline="") as f:
        f.write("problem,tool,min_lre_estimate,min_lre_std_error\n")
        for r in allrows:
            f.write(",".join(r) + "\n")
    print("numpy %s; wrote %s" % (np.__version__, path))


if __name__ == "__main__":
    sys.exit(main())
