#!/usr/bin/env python3
"""Run the examples of the man page's EXAMPLES section and check what they print.

usage: man_examples.py MAN_PAGE DATA_DIR DESCEND

Each literal block (.Bd -literal ... .Ed) of EXAMPLES is run with bash in one
scratch folder, in order (later examples use the files of earlier ones), with
data/ a link to DATA_DIR and the folder of DESCEND first in PATH. The inputs the
examples assume are made first: new.csv (three homes without a price),
homes.csv (a copy of data/homes.csv), data.tsv and more.tsv (homes.csv as
headerless tab-separated files).

A block whose first line starts with "$ " is a terminal session: each "$ " line
starts a command, indented lines after a line that ends in \\, |, && or "do", or
inside a for loop, continue it, and the other lines are what the command prints
(standard output and standard error together). A command shown without output
must only succeed; one shown with output must print exactly that, where a line
"..." stands for any number of lines, and a diagnostic wrapped over two lines on
the page (the second indented by four spaces) is one line. Any other block is a
script, which must succeed. Prints one line per block and exits 1 if any fails.
"""
import os
import re
import subprocess
import sys
import tempfile


def decode(line):
    for a, b in ((r"\-", "-"), (r"\(+-", "\u00b1"), (r"\(ha", "^"), (r"\&", ""),
                 (r"\e", "\\")):
        line = line.replace(a, b)
    return line


def blocks(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    start = lines.index(".Sh EXAMPLES")
    block = None
    for line in lines[start + 1:]:
        if line.startswith(".Sh "):
            break
        if line.startswith(".Bd -literal"):
            block = []
        elif line == ".Ed" and block is not None:
            yield block
            block = None
        elif block is not None:
            yield_line = decode(line)
            block.append(yield_line)


def session(block):
    """The commands of a terminal session, each with its expected output lines."""
    steps, loops = [], 0
    for line in block:
        if line.startswith("$ "):
            steps.append([line[2:], []])
            loops = len(re.findall(r"(^|[;\s])do$", line))
        elif (line[:1] in (" ", "\t") and steps and not steps[-1][1] and
              (re.search(r"(\\|\||&&|\bdo)$", steps[-1][0].rstrip()) or loops > 0)):
            steps[-1][0] += "\n" + line
            loops += len(re.findall(r"(^|[;\s])do$", line)) - len(re.findall(r"^\s*done\b", line))
        else:
            out = steps[-1][1]
            if out and line.startswith("    ") and not line.startswith("     ") and \
                    out[-1].startswith("descend: "):
                out[-1] += " " + line.strip()
            else:
                out.append(line)
    return steps


def matches(want, got):
    """Whether the lines got match want, where "..." matches any run of lines."""
    if not want:
        return not got
    if want[0] == "...":
        return any(matches(want[1:], got[i:]) for i in range(len(got) + 1))
    return bool(got) and want[0] == got[0] and matches(want[1:], got[1:])


def run(command, cwd, env):
    p = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=300)
    return p.returncode, p.stdout.decode("utf-8", "replace").split("\n")[:-1]


def prepare(cwd, data):
    os.symlink(data, os.path.join(cwd, "data"))
    homes = open(os.path.join(data, "homes.csv")).read().split("\n")
    open(os.path.join(cwd, "homes.csv"), "w").write("\n".join(homes))
    rows = [r for r in homes[1:] if r]
    with open(os.path.join(cwd, "new.csv"), "w") as f:
        f.write("sqft,age,rooms,distance\n")
        for r in rows[:3]:
            f.write(",".join(r.split(",")[:4]) + "\n")
    for name in ("data.tsv", "more.tsv"):
        open(os.path.join(cwd, name), "w").write(
            "".join(r.replace(",", "\t") + "\n" for r in rows))


def main():
    page, data, descend = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    env = dict(os.environ, PATH=os.path.dirname(descend) + os.pathsep + os.environ["PATH"],
               LC_ALL="C")
    failed = n = 0
    with tempfile.TemporaryDirectory() as cwd:
        prepare(cwd, data)
        for block in blocks(page):
            n += 1
            name = block[0].lstrip("$ ")[:60]
            if not block[0].startswith("$ "):
                status, got = run("\n".join(block), cwd, env)
                ok = status == 0
                print("%s %d %s" % ("ok" if ok else "FAIL", n, name))
                if not ok:
                    print("  exit status %d; printed:\n    %s" % (status, "\n    ".join(got)))
                failed += not ok
                continue
            for command, want in session(block):
                status, got = run(command, cwd, env)
                ok = status == 0 and (not want or matches(want, got))
                print("%s %d %s" % ("ok" if ok else "FAIL", n, command.split("\n")[0][:70]))
                if not ok:
                    print("  exit status %d; printed:\n    %s\n  the page shows:\n    %s" % (
                        status, "\n    ".join(got), "\n    ".join(want)))
                    failed += 1
    print("%d blocks, %d failed" % (n, failed))
    sys.exit(1 if failed else 0)


main()
