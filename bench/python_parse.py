#!/usr/bin/python3
"""Parse-throughput reference: Python's email package (policy=default, BytesParser) doing the
work parse_bench.cc times for pigeon (bench/README.md): load a bench/gen_corpus.py corpus into
memory, then time parsing each message, reading subject, from/to/cc .addresses, date .datetime
and Message-ID, get_payload(decode=True) for every leaf and get_content() for text leaves.
Prints one JSON line in the shared format; text_len counts code points (str), not bytes.
The corpus is our own trusted input; nothing here is checked. Run with the system python3.
"""
import argparse
import json
import os
import sys
import time
from email import policy
from email.parser import BytesParser


def load_corpus(corpus):
    msgs = os.path.join(corpus, "msgs")
    names = sorted(n for n in os.listdir(msgs) if n.endswith(".eml"))
    data = []
    for name in names:
        with open(os.path.join(msgs, name), "rb") as f:
            data.append(f.read())
    return data


def add_addresses(msg, name, counts):
    for field in msg.get_all(name, ()):
        for address in field.addresses:  # groups flattened, like pigeon and GMime
            counts["addresses"] += 1
            counts["checksum"] += len(address.display_name) + len(address.addr_spec)


def parse_one(parser, raw, counts):
    msg = parser.parsebytes(raw)
    counts["messages"] += 1
    subject = msg["subject"]
    if subject is not None:
        counts["checksum"] += len(subject)
    add_addresses(msg, "from", counts)
    add_addresses(msg, "to", counts)
    add_addresses(msg, "cc", counts)
    date = msg["date"]
    if date is not None and date.datetime is not None:
        counts["checksum"] += int(date.datetime.timestamp())
    message_id = msg["message-id"]
    if message_id is not None:
        counts["checksum"] += len(message_id)
    for part in msg.walk():  # descends multiparts and message/rfc822
        if part.is_multipart():
            continue
        counts["leaves"] += 1
        payload = part.get_payload(decode=True)
        counts["decoded_bytes"] += len(payload) if payload is not None else 0
        if part.get_content_maintype() == "text":
            counts["text_leaves"] += 1
            try:
                counts["text_len"] += len(part.get_content())
            except LookupError:  # unknown charset: get_content() gives up, pigeon does not
                counts["text_len"] += len(payload.decode("utf-8", "replace"))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("corpus")
    a = ap.parse_args()
    if a.warmup < 0 or a.reps < 1:
        ap.error("--warmup must be >= 0 and --reps >= 1")
    corpus = load_corpus(a.corpus)
    if not corpus:
        print("python_parse: no messages in %s/msgs" % a.corpus, file=sys.stderr)
        return 1
    total = sum(len(m) for m in corpus)
    parser = BytesParser(policy=policy.default)
    wall, cpu, first = [], [], None
    for rep in range(a.warmup + a.reps):
        counts = dict.fromkeys(("messages", "leaves", "text_leaves", "addresses", "decoded_bytes",
                                "text_len", "checksum"), 0)
        c0, t0 = time.process_time(), time.perf_counter()  # perf_counter: monotonic
        for raw in corpus:  # bytes are immutable: nothing to copy
            parse_one(parser, raw, counts)
        t1, c1 = time.perf_counter(), time.process_time()
        if first is None:
            first = counts
        if counts != first:
            print("python_parse: repetition %d saw different counts" % rep, file=sys.stderr)
            return 1
        if rep >= a.warmup:
            wall.append(round(t1 - t0, 6))
            cpu.append(round(c1 - c0, 6))
    best = min(wall)
    out = {"parser": "python", "messages": first["messages"], "bytes": total, "reps": a.reps,
           "seconds": wall, "cpu_seconds": cpu, "mb_per_s": round(total / 1e6 / best, 2),
           "msgs_per_s": round(first["messages"] / best, 1)}
    out.update((k, first[k]) for k in ("leaves", "text_leaves", "addresses", "decoded_bytes",
                                       "text_len", "checksum"))
    print(json.dumps(out, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
