#!/usr/bin/env python3
"""
Build the NIST StRD linear-regression reference files from the original .dat files.

Run from the repository root (standard library only, any Python 3):

    python3 tests/ref/nist/make_nist.py

Reads   data/nist/dat/<Name>.dat   (NIST StRD files, verbatim; see tests/ref/README.md)
Writes  data/nist/<name>.csv              features, then y last
        tests/ref/nist/<name>.csv         term,estimate,std_error (certified, verbatim text)
        tests/ref/nist/<name>.stats.csv   stat,value: residual_sd, r_squared, df (certified)

Polynomial problems get power columns x, x2, ..., xK. Each power is computed exactly
with decimal.Decimal (a power of a finite decimal is a finite decimal) and printed in
full, so the only rounding is whatever parses the CSV. Every other value (x, y and the
certified numbers) is copied as the text in the .dat file.

Longley has no .dat file here (none was found in the public code index); its data and
certified values are embedded below, copied from GSL's multifit/test_longley.c
(repository ampl/gsl) and statsmodels' regression/tests/results/results_regression.py,
which both quote NIST's Longley.dat. The script checks that the embedded Longley table
agrees with a second copy (xKDR/NISTTests.jl data/longley.csv) held in LONGLEY_CHECK.
"""
import decimal
import os
import re
import sys

ROOT = os.getcwd()
DAT = os.path.join(ROOT, "data", "nist", "dat")
OUT_DATA = os.path.join(ROOT, "data", "nist")
OUT_REF = os.path.join(ROOT, "tests", "ref", "nist")

# name in files, .dat name, polynomial degree (None: use the .dat predictors as they are),
# number of observations the .dat header states
PROBLEMS = [
    ("norris", "Norris", 1, 36),
    ("pontius", "Pontius", 2, 40),
    ("filip", "Filip", 10, 82),
    ("wampler1", "Wampler1", 5, 21),
    ("wampler2", "Wampler2", 5, 21),
    ("wampler3", "Wampler3", 5, 21),
    ("wampler4", "Wampler4", 5, 21),
    ("wampler5", "Wampler5", 5, 21),
]

# The two problems without an intercept, y = B1*x: name, .dat name, observations.
NOINT = [
    ("noint1", "NoInt1", 11),
    ("noint2", "NoInt2", 3),
]

# Longley (NIST StRD Longley.dat): y = total derived employment, x1 = GNP implicit price
# deflator (1954 = 100), x2 = GNP, x3 = unemployed, x4 = size of armed forces,
# x5 = non-institutional population aged 14 and over, x6 = year. Rows as in GSL's
# multifit/test_longley.c (longley_x without its leading 1, and longley_y).
LONGLEY_X = """\
83.0 234289 2356 1590 107608 1947
88.5 259426 2325 1456 108632 1948
88.2 258054 3682 1616 109773 1949
89.5 284599 3351 1650 110929 1950
96.2 328975 2099 3099 112075 1951
98.1 346999 1932 3594 113270 1952
99.0 365385 1870 3547 115094 1953
100.0 363112 3578 3350 116219 1954
101.2 397469 2904 3048 117388 1955
104.6 419180 2822 2857 118734 1956
108.4 442769 2936 2798 120445 1957
110.8 444546 4681 2637 121950 1958
112.6 482704 3813 2552 123366 1959
114.2 502601 3931 2514 125368 1960
115.7 518173 4806 2572 127852 1961
116.9 554894 4007 2827 130081 1962
"""
LONGLEY_Y = "60323 61122 60171 61187 63221 63639 64989 63761 66019 67857 68169 66513 68655 69564 69331 70551"
# Certified B0..B6 and their standard deviations, as printed in Longley.dat (quoted
# identically by GSL multifit/test_longley.c, expected_c and expected_sd).
LONGLEY_CERT = [
    ("-3482258.63459582", "890420.383607373"),
    ("15.0618722713733", "84.9149257747669"),
    ("-0.358191792925910E-01", "0.334910077722432E-01"),
    ("-2.02022980381683", "0.488399681651699"),
    ("-1.03322686717359", "0.214274163161675"),
    ("-0.511041056535807E-01", "0.226073200069370"),
    ("1829.15146461355", "455.478499142212"),
]
# Certified residual standard deviation and R-squared of Longley.dat; residual df 9.
# statsmodels quotes R-squared 0.995479004577296, residual SS 836424.055505915 and
# residual mean square 92936.0061673238 (= 304.854073561965^2, checked below).
LONGLEY_SD = "304.854073561965"
LONGLEY_R2 = "0.995479004577296"
LONGLEY_DF = "9"
LONGLEY_MSE = "92936.0061673238"
# Second copy of the Longley table (xKDR/NISTTests.jl, data/longley.csv; y first).
LONGLEY_CHECK = """\
60323,83,234289,2356,1590,107608,1947
61122,88.5,259426,2325,1456,108632,1948
60171,88.2,258054,3682,1616,109773,1949
61187,89.5,284599,3351,1650,110929,1950
63221,96.2,328975,2099,3099,112075,1951
63639,98.1,346999,1932,3594,113270,1952
64989,99,365385,1870,3547,115094,1953
63761,100,363112,3578,3350,116219,1954
66019,101.2,397469,2904,3048,117388,1955
67857,104.6,419180,2822,2857,118734,1956
68169,108.4,442769,2936,2798,120445,1957
66513,110.8,444546,4681,2637,121950,1958
68655,112.6,482704,3813,2552,123366,1959
69564,114.2,502601,3931,2514,125368,1960
69331,115.7,518173,4806,2572,127852,1961
70551,116.9,554894,4007,2827,130081,1962
"""

NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def fail(msg):
    sys.exit("make_nist.py: " + msg)


def parse_dat(path, first=0):
    """first: the number of the first parameter (B0, or B1 without intercept)."""
    with open(path, encoding="ascii") as f:
        lines = f.read().split("\n")
    cert, sd, r2, df, nobs, header, rows = [], None, None, None, None, None, []
    in_data = False
    for i, line in enumerate(lines):
        s = line.strip()
        m = re.match(r"^(\d+) Observations$", s)
        if m:
            nobs = int(m.group(1))
        m = re.match(r"^B(\d+)\s+(" + NUM + r")\s+(" + NUM + r")$", s)
        if m and not in_data:
            if int(m.group(1)) != first + len(cert):
                fail("%s: parameters out of order" % path)
            cert.append((m.group(2), m.group(3)))
        m = re.match(r"^Standard Deviation\s+(" + NUM + r")$", s)
        if m and lines[i - 1].strip() == "Residual":
            sd = m.group(1)
        m = re.match(r"^R-Squared\s+(" + NUM + r")$", s)
        if m:
            r2 = m.group(1)
        m = re.match(r"^Residual\s+(\d+)\s+" + NUM, s)
        if m:
            df = m.group(1)
        m = re.match(r"^Data:\s+(y(?:\s+x\d*)+)$", s)
        if m:
            header = m.group(1).split()
            in_data = True
            continue
        if in_data and s:
            fields = s.split()
            if len(fields) != len(header) or not all(re.fullmatch(NUM, v) for v in fields):
                fail("%s: bad data line %r" % (path, line))
            rows.append(fields)
    if None in (sd, r2, df, nobs, header) or not cert:
        fail("%s: could not find every certified value" % path)
    if len(rows) != nobs:
        fail("%s: %d data rows, header says %d observations" % (path, len(rows), nobs))
    return cert, sd, r2, df, header, rows


def plain(d):
    """Exact decimal text of d, no exponent, no trailing fractional zeros."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def write(path, lines):
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def write_ref(name, terms, cert, sd, r2, df):
    if len(terms) != len(cert):
        fail("%s: %d terms, %d certified parameters" % (name, len(terms), len(cert)))
    lines = ["term,estimate,std_error"]
    lines += ["%s,%s,%s" % (t, e, s) for t, (e, s) in zip(terms, cert)]
    write(os.path.join(OUT_REF, name + ".csv"), lines)
    write(os.path.join(OUT_REF, name + ".stats.csv"),
          ["stat,value", "residual_sd," + sd, "r_squared," + r2, "df," + df])


def main():
    decimal.getcontext().prec = 10000
    decimal.getcontext().traps[decimal.Inexact] = True  # any rounding is an error
    decimal.getcontext().traps[decimal.Rounded] = True
    for name, datname, degree, nobs in PROBLEMS:
        cert, sd, r2, df, header, rows = parse_dat(os.path.join(DAT, datname + ".dat"))
        if header != ["y", "x"] or len(rows) != nobs:
            fail("%s: unexpected layout" % datname)
        if len(cert) != degree + 1:
            fail("%s: %d parameters for degree %d" % (datname, len(cert), degree))
        if int(df) != nobs - len(cert):
            fail("%s: residual df %s != n - p" % (datname, df))
        cols = ["x"] + ["x%d" % k for k in range(2, degree + 1)]
        out = [",".join(cols + ["y"])]
        for y, x in rows:
            xd = decimal.Decimal(x)
            vals, p = [x], xd
            for _ in range(2, degree + 1):
                p = p * xd
                vals.append(plain(p))
            out.append(",".join(vals + [y]))
        write(os.path.join(OUT_DATA, name + ".csv"), out)
        write_ref(name, ["(intercept)"] + cols, cert, sd, r2, df)
        print("%-9s n=%d p=%d df=%s" % (name, len(rows), len(cert), df))

    # NoInt1, NoInt2: y = B1*x, no intercept; no (intercept) row in the reference.
    for name, datname, nobs in NOINT:
        cert, sd, r2, df, header, rows = parse_dat(os.path.join(DAT, datname + ".dat"), 1)
        if header != ["y", "x"] or len(rows) != nobs or len(cert) != 1:
            fail("%s: unexpected layout" % datname)
        if int(df) != nobs - 1:
            fail("%s: residual df %s != n - 1" % (datname, df))
        write(os.path.join(OUT_DATA, name + ".csv"), ["x,y"] + ["%s,%s" % (x, y) for y, x in rows])
        write_ref(name, ["x"], cert, sd, r2, df)
        print("%-9s n=%d p=1 df=%s (no intercept)" % (name, len(rows), df))

    # Longley
    xrows = [r.split() for r in LONGLEY_X.strip().split("\n")]
    ys = LONGLEY_Y.split()
    if len(xrows) != 16 or len(ys) != 16 or any(len(r) != 6 for r in xrows):
        fail("Longley: table shape")
    check = [r.split(",") for r in LONGLEY_CHECK.strip().split("\n")]
    for xr, y, cr in zip(xrows, ys, check):
        if [decimal.Decimal(v) for v in [y] + xr] != [decimal.Decimal(v) for v in cr]:
            fail("Longley: the two copies disagree at %r" % cr)
    decimal.getcontext().traps[decimal.Rounded] = False
    decimal.getcontext().traps[decimal.Inexact] = False
    decimal.getcontext().prec = 30
    if abs(decimal.Decimal(LONGLEY_SD) ** 2 - decimal.Decimal(LONGLEY_MSE)) > decimal.Decimal("1e-8"):
        fail("Longley: residual sd and mean square disagree")
    cols = ["x1", "x2", "x3", "x4", "x5", "x6"]
    write(os.path.join(OUT_DATA, "longley.csv"),
          [",".join(cols + ["y"])] + [",".join(xr + [y]) for xr, y in zip(xrows, ys)])
    write_ref("longley", ["(intercept)"] + cols, LONGLEY_CERT, LONGLEY_SD, LONGLEY_R2, LONGLEY_DF)
    print("%-9s n=16 p=7 df=9" % "longley")


if __name__ == "__main__":
    main()
