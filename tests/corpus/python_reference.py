#!/usr/bin/python3
"""Reads messages with Python's email package (policy=default) and prints the same JSON object
as `pigeon show --json`: the reference side of the corpus agreement test."""
import datetime
import email
import email.policy
import hashlib
import json
import sys


def addresses(msg, name, first_only):
    fields = msg.get_all(name) or []
    if first_only:
        fields = fields[:1]
    out = []
    for field in fields:
        for address in getattr(field, "addresses", ()):
            out.append({"name": address.display_name or "", "addr": address.addr_spec})
    return out


def date_utc(msg):
    field = msg["date"]
    when = getattr(field, "datetime", None) if field is not None else None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def mime_nodes(part, path, nodes):
    node = {
        "path": path,
        "content_type": part.get_content_type(),
        "charset": part.get_content_charset(),
        "filename": part.get_filename(),
        "disposition": part.get_content_disposition(),
        "sha256": None,
        "size": None,
    }
    nodes.append(node)
    if part.is_multipart():
        for index, child in enumerate(part.get_payload(), start=1):
            mime_nodes(child, "%s.%d" % (path, index), nodes)
    else:
        payload = part.get_payload(decode=True) or b""
        node["sha256"] = hashlib.sha256(payload).hexdigest()
        node["size"] = len(payload)


def first_text_plain(part):
    if part.is_multipart():
        for child in part.get_payload():
            found = first_text_plain(child)
            if found is not None:
                return found
        return None
    if part.get_content_type() == "text/plain":
        return part.get_content()
    return None


def show(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    subject = msg["subject"]
    message_id = msg["message-id"]
    nodes = []
    mime_nodes(msg, "0", nodes)
    return {
        "subject": None if subject is None else str(subject),
        "from": addresses(msg, "from", True),
        "to": addresses(msg, "to", False),
        "cc": addresses(msg, "cc", False),
        "date_utc": date_utc(msg),
        "message_id": None if message_id is None else "".join(str(message_id).split()),
        "mime": nodes,
        "text_plain": first_text_plain(msg),
    }


def main():
    result = {}
    for path in sys.argv[1:]:
        try:
            result[path] = show(path)
        except Exception as error:  # the reference itself can fail on odd input
            result[path] = {"error": "%s: %s" % (type(error).__name__, error)}
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
