#!/usr/bin/python3
"""Corpus agreement test: every message of Python's own email test suite is read by
`pigeon show --json` and by Python's email package (python_reference.py), and the two are
compared field by field. A disagreement fails the test unless KNOWN_DIFFERENCES lists it with
the reason pigeon is right; a listed difference that no longer occurs fails too, so the list
stays true.

usage: compare_with_python.py PIGEON_BINARY DATA_DIR
"""
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# (file, field) -> why pigeon's reading is the right one. Fields are "subject", "from", "to",
# "cc", "date_utc", "message_id", "text_plain", "mime.count", or "mime.<path>.<key>".
_QP_TRAILING_SPACE = ("RFC 2045 §6.7 (3): a quoted-printable decoder must delete trailing white "
                      "space on a line (transport agents add it); Python's quopri keeps it")
_UNIVERSAL_NEWLINES = ("Python's BytesParser reads through a TextIOWrapper in universal-newline "
                       "mode, so CRLF inside 7bit bodies becomes LF; pigeon keeps the bytes")
KNOWN_DIFFERENCES = {
    ("msg_15.txt", "text_plain"): _QP_TRAILING_SPACE,
    ("msg_15.txt", "mime.0.2.sha256"): _QP_TRAILING_SPACE,
    ("msg_15.txt", "mime.0.2.size"): _QP_TRAILING_SPACE,
    ("msg_26.txt", "text_plain"): _UNIVERSAL_NEWLINES,
    ("msg_26.txt", "mime.0.1.sha256"): _UNIVERSAL_NEWLINES,
    ("msg_26.txt", "mime.0.1.size"): _UNIVERSAL_NEWLINES,
}


def run_json(argv):
    output = subprocess.run(argv, check=True, stdout=subprocess.PIPE).stdout
    return json.loads(output)


def compare_message(name, ours, theirs, report):
    for key in ("subject", "from", "to", "cc", "date_utc", "message_id", "text_plain"):
        if ours.get(key) != theirs.get(key):
            report(name, key, ours.get(key), theirs.get(key))
    our_nodes, their_nodes = ours.get("mime", []), theirs.get("mime", [])
    if [n["path"] for n in our_nodes] != [n["path"] for n in their_nodes]:
        report(name, "mime.count", [n["path"] for n in our_nodes],
               [n["path"] for n in their_nodes])
    their_by_path = {n["path"]: n for n in their_nodes}
    for node in our_nodes:
        other = their_by_path.get(node["path"])
        if other is None:
            continue
        for key in ("content_type", "charset", "filename", "disposition", "sha256", "size"):
            if node.get(key) != other.get(key):
                report(name, "mime.%s.%s" % (node["path"], key), node.get(key), other.get(key))


def shorten(value):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 160 else text[:157] + "..."


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    pigeon, data_dir = sys.argv[1], sys.argv[2]
    files = sorted(glob.glob(os.path.join(data_dir, "msg_*.txt")))
    if not files:
        sys.exit("no messages under %s (is libpython3.11-testsuite installed?)" % data_dir)
    ours = run_json([pigeon, "show", "--json"] + files)
    theirs = run_json([sys.executable, os.path.join(HERE, "python_reference.py")] + files)

    unexpected, seen_known = [], set()

    def report(name, field, our_value, their_value):
        if (name, field) in KNOWN_DIFFERENCES:
            seen_known.add((name, field))
            return
        unexpected.append("%s: %s\n    pigeon: %s\n    python: %s"
                          % (name, field, shorten(our_value), shorten(their_value)))

    for path in files:
        name = os.path.basename(path)
        if "error" in theirs[path]:
            unexpected.append("%s: python failed: %s" % (name, theirs[path]["error"]))
            continue
        compare_message(name, ours[path], theirs[path], report)

    stale = sorted(set(KNOWN_DIFFERENCES) - seen_known)
    for name, field in stale:
        unexpected.append("%s: %s is listed as a known difference but now agrees" % (name, field))
    fields = sum(8 + 6 * len(theirs[p].get("mime", [])) for p in files)
    print("%d messages, %d fields compared, %d known differences, %d unexpected"
          % (len(files), fields, len(seen_known), len(unexpected)))
    for line in unexpected:
        print(line)
    sys.exit(1 if unexpected else 0)


if __name__ == "__main__":
    main()
