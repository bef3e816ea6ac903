#!/usr/bin/env python3
"""Run the examples of a man page's EXAMPLES section, or of the README's
Examples, and check what they print.

usage: man_examples.py [--update] PAGE DATA_DIR DESCEND

PAGE is a man page (mdoc) or a Markdown file such as README.md. Each literal
block (.Bd -literal ... .Ed) of the page's EXAMPLES, or each fenced block
(``` ... ```) of the Markdown file's "## Examples" section, is run with bash in
one scratch folder, in order (later examples use the files of earlier ones), with
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

With --update, the outputs shown for commands whose output differs are rewritten
in the page with what the commands print (keeping a "..." where the page elides
lines, the lines before and after it taken from the same ends of the output, and
wrapping a long diagnostic as the page does); a maintainer reads the diff.
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


def markdown(path):
    return path.endswith(".md")


def blocks(path, where=None):
    """Each literal block of EXAMPLES, decoded; where gets the page line of each line."""
    md = markdown(path)
    lines = open(path, encoding="utf-8").read().split("\n")
    start = lines.index("## Examples" if md else ".Sh EXAMPLES")
    block = None
    for i, line in enumerate(lines[start + 1:], start + 1):
        if line.startswith("## " if md else ".Sh "):
            break
        if (line.startswith("```") if md else line.startswith(".Bd -literal")) and block is None:
            block, at = [], []
        elif (line == "```" if md else line == ".Ed") and block is not None:
            if where is not None:
                where.append(at)
            yield block
            block = None
        elif block is not None:
            block.append(line if md else decode(line))
            at.append(i)


def session(block, at=None):
    """The commands of a terminal session, each with its expected output lines (and,
    in at, the block indices of those lines)."""
    steps, loops = [], 0
    for k, line in enumerate(block):
        if line.startswith("$ "):
            steps.append([line[2:], [], []])
            loops = len(re.findall(r"(^|[;\s])do$", line))
        elif (line[:1] in (" ", "\t") and steps and not steps[-1][1] and
              (re.search(r"(\\|\||&&|\bdo)$", steps[-1][0].rstrip()) or loops > 0)):
            steps[-1][0] += "\n" + line
            loops += len(re.findall(r"(^|[;\s])do$", line)) - len(re.findall(r"^\s*done\b", line))
        else:
            steps[-1][2].append(k)
            out = steps[-1][1]
            if out and line.startswith("    ") and not line.startswith("     ") and \
                    out[-1].startswith("descend: "):
                out[-1] += " " + line.strip()
            else:
                out.append(line)
    return [(c, w) for c, w, _ in steps] if at is None else steps


def encode(line):
    """A line of output as the page writes it, the inverse of decode."""
    line = line.replace("\\", "\\e").replace("-", "\\-").replace("\u00b1", "\\(+-")
    line = line.replace("^", "\\(ha")
    return "\\&" + line if line[:1] in (".", "'") else line


def wrap(line, width=72):
    """A diagnostic longer than width, cut at spaces, the rest indented by four."""
    if not line.startswith("descend: ") or len(line) <= width:
        return [line]
    out, rest, first = [], line, True
    while len(rest) > width - (0 if first else 4):
        limit = width - (0 if first else 4)
        cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            break
        out.append(("" if first else "    ") + rest[:cut])
        rest, first = rest[cut + 1:], False
    out.append(("" if first else "    ") + rest)
    return out


def shape(line):
    """A line with its numbers blanked, to find its new version among others."""
    return re.sub(r"-?[0-9][0-9.e+-]*", "#", line)


def updated(want, got):
    """The lines to show for got: all of them, or where want elides lines with
    "...", want's other lines each replaced by the next line of got of its shape."""
    if "..." not in want:
        return got
    out, at = [], 0
    for line in want:
        if line == "...":
            out.append(line)
            continue
        for k in range(at, len(got)):
            if shape(got[k]) == shape(line):
                out.append(got[k])
                at = k + 1
                break
        else:
            out.append(line)
    return out


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
    update = sys.argv[1] == "--update"
    args = sys.argv[2:] if update else sys.argv[1:]
    page, data, descend = args[0], os.path.abspath(args[1]), os.path.abspath(args[2])
    where, edits = [], {}
    env = dict(os.environ, PATH=os.path.dirname(descend) + os.pathsep + os.environ["PATH"],
               LC_ALL="C")
    failed = n = 0
    with tempfile.TemporaryDirectory() as cwd:
        prepare(cwd, data)
        for block in blocks(page, where):
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
            for command, want, idx in session(block, True):
                status, got = run(command, cwd, env)
                ok = status == 0 and (not want or matches(want, got))
                if update and status == 0 and want and not ok:
                    lines = [w for g in updated(want, got) for w in wrap(g, 100 if markdown(page) else 72)]
                    at = [where[-1][k] for k in idx]
                    edits[at[0]] = (at, lines if markdown(page) else [encode(x) for x in lines])
                print("%s %d %s" % ("ok" if ok else "FAIL", n, command.split("\n")[0][:70]))
                if not ok:
                    print("  exit status %d; printed:\n    %s\n  the page shows:\n    %s" % (
                        status, "\n    ".join(got), "\n    ".join(want)))
                    failed += 1
    if update and edits:
        text = open(page, encoding="utf-8").read().split("\n")
        for first in sorted(edits, reverse=True):
            at, lines = edits[first]
            text[at[0]:at[-1] + 1] = lines
        open(page, "w", encoding="utf-8").write("\n".join(text))
        print("updated %d outputs in %s" % (len(edits), page))
    print("%d blocks, %d failed" % (n, failed))
    sys.exit(1 if failed else 0)


main()
