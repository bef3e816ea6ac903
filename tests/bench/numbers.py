#!/usr/bin/env python3
"""Conversion speed per number format: tokenize alone against tokenize converting.

usage: numbers.py TOKENIZE [OTHER_TOKENIZE] CSV...

For each CSV (say made by `gen -f 17g 1000000 19`), the best CPU time (user +
system) of 5 rounds, each command once a round, of: TOKENIZE (libcsv alone), TOKENIZE -s (glibc strtod),
TOKENIZE -c (num_parse_padded where it may, else num_parse), TOKENIZE -C
(num_parse alone) and, when given, OTHER_TOKENIZE -c (another build of num.c,
say the previous commit's), then the nanoseconds per field each conversion adds
to the tokenizer. CPU time, not wall time, so that other processes on the
machine weigh less; they still do, through caches and memory bandwidth.
"""
import resource
import subprocess
import sys

RUNS = 5


def cpu(cmd):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, stdout=subprocess.PIPE, check=True).stdout
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime, out


def main():
    args = sys.argv[1:]
    tok = args.pop(0)
    other = args.pop(0) if not args[0].endswith(".csv") else None
    names = ["strtod (-s)", "num.c (-c)", "num_parse (-C)"]
    names += ["other -c"] if other else []
    print("file: tokenize seconds; per conversion, seconds (ns a field added)")
    for path in args:
        cmds = [[tok, path]] + [[tok, f, path] for f in ("-s", "-c", "-C")]
        cmds += [[other, "-c", path]] if other else []
        best = [float("inf")] * len(cmds)
        for _ in range(RUNS):
            # Rounds of every command once, so that slow spells hit all.
            for i, cmd in enumerate(cmds):
                t, out = cpu(cmd)
                best[i] = min(best[i], t)
        fields = int(out.split()[0])
        print("%s: %d fields, tokenize %.3f; %s" % (path, fields, best[0], "; ".join(
            "%s %.3f (%.1f)" % (n, b, (b - best[0]) / fields * 1e9)
            for n, b in zip(names, best[1:]))))

main()
