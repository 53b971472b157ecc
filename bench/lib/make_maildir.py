#!/usr/bin/python3
"""Makes a Maildir of a generated corpus (bench/gen_corpus.py) for the benchmarks: every message
in cur/ marked seen, hard-linked from the corpus (copied where linking is not possible), so a
100k corpus is not copied again; the tools under test only read it.

usage: make_maildir.py CORPUS_DIR MAILDIR
"""
import os
import shutil
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dst = os.path.join(sys.argv[1], "msgs"), sys.argv[2]
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(dst, sub), exist_ok=True)
    linked = copied = 0
    for name in sorted(os.listdir(src)):
        if not name.endswith(".eml"):
            continue
        target = os.path.join(dst, "cur", name[:-4] + ".bench:2,S")
        try:
            os.link(os.path.join(src, name), target)
            linked += 1
        except OSError:
            shutil.copyfile(os.path.join(src, name), target)
            copied += 1
    print(f"maildir: {linked} hard links, {copied} copies", file=sys.stderr)


if __name__ == "__main__":
    main()
