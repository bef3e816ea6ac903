#!/usr/bin/env python3
"""Conversion speed per number format: tokenize alone against tokenize converting.

usage: numbers.py TOKENIZE [OTHER_TOKENIZE] CSV...

For each CSV (say made by `gen 1000000 19 %.17g`), the best CPU time (user +
system) of 3 runs of: TOKENIZE (libcsv alone), TOKENIZE -s (glibc strtod),
TOKENIZE -c (num_parse_padded where it may, else num_parse), TOKENIZE -C
(num_parse alone) and, when given, OTHER_TOKENIZE -c (another build of num.c,
say the previous commit's), then the nanoseconds per field each conversion adds
to the tokenizer. CPU time, not wall time, so that other processes on the
machine weigh less; they still do, through caches and memory bandwidth.
"""
import resource
import subprocess
import sys


def cpu(cmd, runs=3):
    best = float("inf")
    for _ in range(runs):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(cmd, stdout=subprocess.PIPE, check=True).stdout
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return best, int(out.split()[0])


def main():
    args = sys.argv[1:]
    tok = args.pop(0)
    other = args.pop(0) if len(args) > 1 and not args[0].endswith(".csv") else None
    names = ["strtod (-s)", "num.c (-c)", "num_parse (-C)"] + (["other -c"] if other else [])
    print("file, tokenize seconds, then per conversion: seconds (ns/field added)")
    for path in args:
        t, fields = cpu([tok, path])
        runs = [cpu([tok, flag, path])[0] for flag in ("-s", "-c", "-C")]
        if other:
            runs.append(cpu([other, "-c", path])[0])
        print("%s: %d fields, tokenize %.3f; %s" % (path, fields, t, "; ".join(
            "%s %.3f (%.1f)" % (n, r, (r - t) / fields * 1e9) for n, r in zip(names, runs))))

main()
