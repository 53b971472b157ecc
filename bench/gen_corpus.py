#!/usr/bin/env python3
"""Deterministic generator of a realistic RFC 5322 / MIME corpus for bench/ (stdlib only).

Owns the parse-benchmark input: N messages, one file each (OUT/msgs/NNNNNN.eml, CRLF line
endings like stored mail), plus OUT/manifest.json (total bytes, size statistics, mix, and the
number of MIME leaf parts a correct parser must find). Same (n, seed, generator) -> identical
bytes. It does not try to be hostile input: the fuzzers and the corpus tests cover that.

Mix (by message): single text/plain in us-ascii, utf-8 8bit, utf-8 QP/base64, iso-8859-1 QP,
windows-1252 8bit, iso-2022-jp; multipart/alternative text+html (often QP), some with
multipart/related inline images; multipart/mixed with base64 attachments (10-200 KB binary,
small text/csv/calendar/patch); message/rfc822 forwards; a few multipart/signed. Threads with
In-Reply-To/References, RFC 2047 subjects and display names (utf-8 B/Q, iso-8859-1 Q,
iso-2022-jp and shift_jis B), list headers, Received chains, DKIM-Signature.

Usage: gen_corpus.py --out DIR [--n 5000] [--seed 1] [--force]
DIR is reused as is when its manifest matches (n, seed, version, this file's sha256).
"""
import argparse
import base64
import binascii
import hashlib
import html
import json
import os
import quopri
import random
import shutil
import statistics
import sys
import time

VERSION = 1

FIRST = ("Alice Bob Carol Dave Erin Frank Grace Heidi Ivan Judy Mallory Niaj Olivia Peggy Rupert "
         "Sybil Trent Victor Walter Yasmin Zoe Liam Emma Noah Ava Mia Lucas Sofia Mateo Chloe "
         "Arjun Priya Wei Mei Olga Dmitri Fatima Omar Lars Ingrid Pierre Giulia Marco").split()
LAST = ("Smith Jones Brown Taylor Wilson Davies Evans Thomas Johnson Roberts Walker Wright "
        "Robinson Thompson White Hughes Edwards Green Hall Wood Harris Lewis Martin Jackson Clarke "
        "Turner Hill Scott Cooper Morris Ward Moore King Baker Patel Young Allen Kowalski Novak "
        "Schmidt Garcia Rossi Dubois Larsen").split()
# (display name, charset used for its encoded word)
INTL_NAMES = [("Jürgen Müller", "iso-8859-1"), ("Zoë Brontë", "iso-8859-1"),
              ("José Núñez", "iso-8859-1"), ("François Lefèvre", "utf-8"),
              ("Søren Kierkegård", "iso-8859-1"), ("Małgorzata Wiśniewska", "utf-8"),
              ("Дмитрий Иванов", "utf-8"), ("山田 太郎", "iso-2022-jp"),
              ("佐藤 花子", "shift_jis"), ("Łukasz Żółć", "utf-8"), ("Ana Conceição", "utf-8"),
              ("鈴木 一郎", "iso-2022-jp"), ("Αλέξανδρος Παππάς", "utf-8")]
DOMAINS = ["example.org", "example.net", "mail.example.com", "corp.example.net",
           "uni.example.edu", "dev.example.io", "shop.example.co", "example.jp", "example.de"]
LISTS = [("dev-discuss", "lists.example.org"), ("announce", "lists.example.org"),
         ("users", "lists.example.net"), ("book-club", "groups.example.com")]
TOPICS = ("quarterly report|release planning|build failure on main|lunch on friday|design review|"
          "budget update|conference travel|server migration|invoice 2231|weekly sync|"
          "security advisory|patch series v3|holiday schedule|hiring pipeline|"
          "customer escalation|database backup|api deprecation|team offsite|"
          "performance regression|documentation fixes|roadmap draft|meeting notes").split("|")
# (subject text, charset for its encoded words)
INTL_TOPICS = [("Überprüfung der Ergebnisse", "iso-8859-1"), ("Réunion de l'équipe", "iso-8859-1"),
               ("Café am Freitag", "iso-8859-1"), ("Año nuevo, planificación", "iso-8859-1"),
               ("Übersicht für März", "utf-8"), ("встреча в пятницу", "utf-8"),
               ("Résumé – dernière version", "utf-8"), ("Zażółć gęślą jaźń", "utf-8"),
               ("Ελληνικά δεδομένα", "utf-8"), ("🚀 launch checklist", "utf-8"),
               ("会議の議事録", "iso-2022-jp"), ("新しいリリースについて", "iso-2022-jp"),
               ("来週の打ち合わせの件", "shift_jis"), ("進捗報告（第三四半期）", "iso-2022-jp"),
               ("資料送付のお知らせ", "shift_jis")]
WORDS = ("the of and to a in is it that for on with as was be this have are not at by from or "
         "but we you they he she will can would could should about into over after before "
         "project meeting report release build server client data update review change issue "
         "team plan schedule budget design test deploy migration backup database network storage "
         "memory latency throughput benchmark version branch commit patch merge ticket customer "
         "invoice contract travel conference agenda minutes action item deadline draft proposal "
         "feedback question answer problem solution config option default feature support "
         "document manual quarter week month year morning afternoon tomorrow yesterday today "
         "thanks please regards attached file folder message thread reply forward list archive "
         "search index cache queue delivery mailbox sender recipient header body").split()
LATIN1_WORDS = ("über größe naïve café déjà façade Straße señor niño Ærø smørrebrød Grüße für "
                "réunion équipe prévu à bientôt Übersicht Änderung").split()
UTF8_WORDS = LATIN1_WORDS + "żółw łódź Ελλάδα привет – “quoted” €".split()
JA_SENTENCES = ["お疲れ様です。", "よろしくお願いいたします。", "資料を添付します。",
                "ご確認ください。", "本日はありがとうございました。", "来週の会議は火曜日です。",
                "進捗を報告します。", "予定表を更新しました。", "問題があれば連絡してください。",
                "新しい版を公開しました。"]
MAILERS = ["Mozilla Thunderbird 115.4", "Apple Mail (2.3731)", "Microsoft Outlook 16.0",
           "NeoMutt/20220429", "Roundcube Webmail/1.6.4", "Evolution 3.46.4"]
DOW = "Mon Tue Wed Thu Fri Sat Sun".split()
MON = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
Q_SAFE = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")


def rfc5322_date(ts, tzmin, comment=False):
    t = time.gmtime(ts + tzmin * 60)
    sign = "+" if tzmin >= 0 else "-"
    s = "%s, %d %s %04d %02d:%02d:%02d %s%02d%02d" % (
        DOW[t.tm_wday], t.tm_mday, MON[t.tm_mon - 1], t.tm_year, t.tm_hour, t.tm_min, t.tm_sec,
        sign, abs(tzmin) // 60, abs(tzmin) % 60)
    return s + " (UTC)" if comment and tzmin == 0 else s


def _encoded_word(text, charset, enc):
    raw = text.encode(charset)
    if enc == "B":
        payload = base64.b64encode(raw).decode("ascii")
    else:
        payload = "".join(chr(c) if c in Q_SAFE else ("_" if c == 0x20 else "=%02X" % c)
                          for c in raw)
    return "=?%s?%s?%s?=" % (charset.upper() if charset == "utf-8" else charset, enc, payload)


def encoded_words(text, charset, enc):
    """RFC 2047 words of at most 75 characters; each word encodes whole characters on its own
    (so an iso-2022-jp word starts and ends in ASCII mode)."""
    words, chunk = [], ""
    for ch in text:
        if chunk and len(_encoded_word(chunk + ch, charset, enc)) > 75:
            words.append(_encoded_word(chunk, charset, enc))
            chunk = ""
        chunk += ch
    if chunk:
        words.append(_encoded_word(chunk, charset, enc))
    return words


def header(name, value_words):
    """Folds a field at whitespace between the given words so lines stay under 78 columns."""
    lines, cur = [], name + ":"
    for w in value_words:
        if len(cur) + 1 + len(w) > 76 and cur != name + ":":
            lines.append(cur)
            cur = "\t" + w
        else:
            cur += " " + w
    lines.append(cur)
    return "\n".join(lines)


def wrap(words, width=72):
    lines, cur, n = [], [], 0
    for w in words:
        if n + len(w) + 1 > width and cur:
            lines.append(" ".join(cur))
            cur, n = [], 0
        cur.append(w)
        n += len(w) + 1
    if cur:
        lines.append(" ".join(cur))
    return lines


class Leaf:
    """A MIME leaf: header lines (str, ASCII) and its already transfer-encoded body (bytes)."""

    def __init__(self, headers, body, text):
        self.headers, self.body, self.text = headers, body, text

    def counts(self):
        return 1, (1 if self.text else 0)

    def render(self):
        return "\n".join(self.headers).encode("ascii") + b"\n\n" + self.body


class Multi:
    def __init__(self, headers, boundary, parts, preamble=b""):
        self.headers, self.boundary, self.parts, self.preamble = headers, boundary, parts, preamble

    def counts(self):
        c = [p.counts() for p in self.parts]
        return sum(a for a, _ in c), sum(b for _, b in c)

    def render(self):
        b = self.boundary.encode("ascii")
        out = [("\n".join(self.headers)).encode("ascii"), b"\n\n", self.preamble]
        for p in self.parts:
            out += [b"--", b, b"\n", p.render(), b"\n"]
        out += [b"--", b, b"--\n"]
        return b"".join(out)


class Forward:
    """A message/rfc822 part wrapping a complete inner message (a Whole)."""

    def __init__(self, headers, inner):
        self.headers, self.inner = headers, inner

    def counts(self):
        return self.inner.counts()

    def render(self):
        return "\n".join(self.headers).encode("ascii") + b"\n\n" + self.inner.render()


class Whole:
    """A complete message: top-level fields followed by the body entity's own fields."""

    def __init__(self, top_headers, entity):
        self.top, self.entity = top_headers, entity

    def counts(self):
        return self.entity.counts()

    def render(self):
        return "\n".join(self.top).encode("ascii") + b"\n" + self.entity.render()


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        r = self.r
        self.people = []
        for i in range(500):
            if i % 12 == 0:
                name, cs = INTL_NAMES[(i // 12) % len(INTL_NAMES)]
                local = "user%d" % i
            else:
                f, last = r.choice(FIRST), r.choice(LAST)
                name, cs = "%s %s" % (f, last), None
                local = "%s.%s" % (f.lower(), last.lower())
            self.people.append((name, cs, "%s@%s" % (local, r.choice(DOMAINS))))
        self.cum, acc = [], 0.0
        for i in range(len(WORDS)):  # Zipf-ish: frequent function words first
            acc += 1.0 / (i + 1) ** 0.9
            self.cum.append(acc)
        self.ts = 1688169600 + seed * 7919  # 2023-07-01
        self.recent = []  # (msgid, subject, refs, excerpt) of recent messages, for replies

    # ---- text ----
    def words(self, k, extra):
        ws = self.r.choices(WORDS, cum_weights=self.cum, k=k)
        if extra and self.r.random() < 0.5:
            for _ in range(self.r.randint(1, 5)):
                ws[self.r.randrange(k)] = self.r.choice(extra)
        return ws

    def paragraphs(self, target, extra):
        out, size = [], 0
        while size < target:
            ws = self.words(self.r.randint(20, 110), extra)
            ws[0] = ws[0].capitalize()
            para = wrap(ws)
            para[-1] += "."
            out.append(para)
            size += sum(len(x) + 1 for x in para) + 1
        return out

    def japanese(self, target):
        out, size = [], 0
        while size < target:
            line = "".join(self.r.choice(JA_SENTENCES) for _ in range(self.r.randint(1, 3)))
            out.append([line])
            size += len(line.encode("utf-8")) + 2
        return out

    def boundary(self):
        r = self.r
        style = r.randrange(4)
        if style == 0:
            return "------------%024d" % r.getrandbits(72)
        if style == 1:
            return "Apple-Mail=_%08X-%04X-%04X-%04X-%012X" % (
                r.getrandbits(32), r.getrandbits(16), r.getrandbits(16), r.getrandbits(16),
                r.getrandbits(48))
        if style == 2:
            return "----=_NextPart_000_%04X_%08X.%08X" % (r.getrandbits(16), r.getrandbits(32),
                                                            r.getrandbits(32))
        return "000000000000%016x" % r.getrandbits(64)

    def fmt_addr(self, person):
        name, cs, addr = person
        r = self.r
        if cs is not None:
            enc = "Q" if cs == "iso-8859-1" or (cs == "utf-8" and r.random() < 0.5) else "B"
            return " ".join(encoded_words(name, cs, enc)) + " <%s>" % addr
        x = r.random()
        if x < 0.05:
            return addr
        if x < 0.08:
            return "%s (%s)" % (addr, name)
        if x < 0.2:
            last, first = name.split()[1], name.split()[0]
            return '"%s, %s" <%s>' % (last, first, addr)
        return "%s <%s>" % (name, addr)

    # ---- bodies ----
    def text_body(self, lines, charset, cte):
        """The lines in `charset`, transfer-encoded with `cte` (bytes, LF line ends)."""
        text = "\n".join(lines) + "\n"
        raw = text.encode(charset, errors="replace")  # a quoted parent may not fit the charset
        if cte == "quoted-printable":
            body = quopri.encodestring(raw)
        elif cte == "base64":
            body = base64.encodebytes(raw)
        else:
            body = raw
        return body

    def text_leaf(self, lines, charset, cte, extra_headers=(), flowed=False, subtype="plain"):
        params = ' charset="%s"' % charset if self.r.random() < 0.5 else " charset=%s" % charset
        ctype = "Content-Type: text/%s;%s" % (subtype, params)
        if flowed:
            ctype += "; format=flowed"
        hdrs = [ctype] + (["Content-Transfer-Encoding: " + cte] if cte else []) + list(extra_headers)
        return Leaf(hdrs, self.text_body(lines, charset, cte), True)

    def pick_text(self, parent):
        """Body lines plus a charset and transfer encoding that can carry them."""
        r = self.r
        x = r.random()
        target = int(min(30000, max(200, r.lognormvariate(7.4, 0.7))))  # median ~1.6 KB
        if x < 0.06:
            paras, charset, cte = self.japanese(target // 3), "iso-2022-jp", "7bit"
        elif x < 0.35:
            paras, charset, cte = self.paragraphs(target, None), "us-ascii", "7bit"
        elif x < 0.62:
            paras, charset, cte = self.paragraphs(target, UTF8_WORDS), "utf-8", "8bit"
        elif x < 0.74:
            paras, charset, cte = self.paragraphs(target, UTF8_WORDS), "utf-8", "quoted-printable"
        elif x < 0.77:
            paras, charset, cte = self.paragraphs(target, UTF8_WORDS), "utf-8", "base64"
        elif x < 0.93:
            paras = self.paragraphs(target, LATIN1_WORDS)
            charset, cte = "iso-8859-1", "quoted-printable"
        else:
            paras, charset, cte = self.paragraphs(target, LATIN1_WORDS), "windows-1252", "8bit"
        greet = r.choice(["Hi all,", "Hello,", "Dear team,", "Hey,", "Hallo zusammen,"])
        lines = [greet, ""]
        for p in paras:
            lines += p + [""]
        if parent is not None and charset != "iso-2022-jp":
            lines.append("On %s, someone wrote:" % rfc5322_date(self.ts - 3600, 0))
            lines += ["> " + x if x else ">" for x in parent[3]] + [""]
        lines += ["-- ", r.choice(["Engineering", "Sent from my phone", "+1 555 0100", "Thanks"])]
        if charset == "iso-8859-1" and r.random() < 0.3:
            lines.append("Grüße aus München")
        return lines, paras, charset, cte

    def html_leaf(self, paras, charset):
        r = self.r
        out = ['<html><head><meta http-equiv="Content-Type" content="text/html; charset=%s">'
               % charset,
               "<style>body{font-family:Arial,sans-serif;font-size:14px} p{margin:0 0 12px}"
               "</style></head><body><div dir=\"ltr\">"]
        for p in paras:
            out.append('<p style="margin:0 0 12px 0;line-height:1.4">%s</p>'
                       % html.escape(" ".join(p)))
        out.append('<div class="sig">--&nbsp;<br>Sent with care</div></div></body></html>')
        cte = "quoted-printable" if r.random() < 0.6 else ("base64" if r.random() < 0.2 else
                                                            "8bit")
        if cte == "8bit" and charset == "iso-2022-jp":
            cte = "7bit"
        return self.text_leaf(out, charset, cte, subtype="html")

    def binary_leaf(self, size=None, inline=False):
        r = self.r
        ext, ctype, magic = r.choice([("pdf", "application/pdf", b"%PDF-1.7\n"),
                                      ("png", "image/png", b"\x89PNG\r\n\x1a\n"),
                                      ("jpg", "image/jpeg", b"\xff\xd8\xff\xe0"),
                                      ("zip", "application/zip", b"PK\x03\x04"),
                                      ("docx", "application/vnd.openxmlformats-officedocument"
                                       ".wordprocessingml.document", b"PK\x03\x04")])
        if size is None:
            size = int(10240 * (20 ** r.random()))  # log-uniform 10 KB .. 200 KB
        payload = magic + r.randbytes(size - len(magic))
        fname = "%s-%d.%s" % (r.choice(["report", "scan", "IMG", "invoice", "slides"]),
                              r.randint(1, 9999), ext)
        if inline:
            hdrs = ["Content-Type: %s; name=\"%s\"" % (ctype, fname),
                    "Content-Disposition: inline; filename=\"%s\"" % fname,
                    "Content-ID: <part%d.%08x@example.org>" % (r.randint(1, 9), r.getrandbits(32))]
        elif r.random() < 0.15:  # RFC 2231 non-ASCII filename
            hdrs = ["Content-Type: %s;\n\tname=\"=?UTF-8?Q?=C3=9Cbersicht_%d.%s?=\"" % (ctype, size,
                                                                                  ext),
                    "Content-Disposition: attachment;\n\tfilename*=utf-8''%%C3%%9Cbersicht_%d.%s"
                    % (size, ext)]
        else:
            hdrs = ["Content-Type: %s;\n\tname=\"%s\"" % (ctype, fname),
                    "Content-Disposition: attachment;\n\tfilename=\"%s\"; size=%d" % (fname, size)]
        hdrs.append("Content-Transfer-Encoding: base64")
        return Leaf(hdrs, base64.encodebytes(payload), False)

    def small_text_attachment(self):
        r = self.r
        x = r.random()
        if x < 0.4:
            rows = ["id,name,amount,date"] + ["%d,%s,%d.%02d,2023-%02d-%02d" % (
                i, r.choice(FIRST), r.randint(1, 9999), r.randint(0, 99), r.randint(1, 12),
                r.randint(1, 28)) for i in range(r.randint(5, 200))]
            ctype, fname, charset = "text/csv", "export-%d.csv" % r.randint(1, 999), "us-ascii"
        elif x < 0.7:
            rows = ["diff --git a/src/main.cc b/src/main.cc", "--- a/src/main.cc",
                    "+++ b/src/main.cc", "@@ -10,7 +10,8 @@"]
            for _ in range(r.randint(5, 120)):
                rows.append(r.choice(" +-") + " ".join(self.words(r.randint(2, 10), None)))
            ctype, fname, charset = "text/x-diff", "0001-fix.patch", "utf-8"
        else:
            rows = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example//Cal//EN",
                    "METHOD:REQUEST", "BEGIN:VEVENT", "UID:%08x@example.org" % r.getrandbits(32),
                    "DTSTART:20231114T100000Z", "DTEND:20231114T110000Z",
                    "SUMMARY:" + r.choice(TOPICS), "END:VEVENT", "END:VCALENDAR"]
            ctype, fname, charset = "text/calendar", "invite.ics", "utf-8"
        cte = "base64" if r.random() < 0.5 else "7bit"
        disp = ["Content-Disposition: attachment; filename=\"%s\"" % fname]
        return self.text_leaf(rows, charset, cte, extra_headers=disp, subtype=ctype[5:])

    def multi(self, subtype, make_parts, params="", preamble=b""):
        """A multipart entity; `make_parts` is called after the boundary is drawn."""
        b = self.boundary()
        return Multi(["Content-Type: multipart/%s;\n\tboundary=\"%s\"%s" % (subtype, b, params)],
                     b, make_parts(), preamble)

    def body(self, parent, depth=0):
        """Returns (entity, kind, paras): entity is a Leaf/Multi with its Content-* fields."""
        r = self.r
        lines, paras, charset, cte = self.pick_text(parent)
        plain = self.text_leaf(lines, charset, cte, flowed=r.random() < 0.2)
        x = r.random()
        if x < 0.50:
            return plain, "plain", paras
        if x < 0.78:
            return (self.multi("alternative", lambda: [plain, self.html_leaf(paras, charset)]),
                    "alternative", paras)
        if x < 0.83:
            related = self.multi("related", lambda: [self.html_leaf(paras, charset)] + [
                self.binary_leaf(r.randint(2000, 20000), inline=True)
                for _ in range(r.randint(1, 2))], params='; type="text/html"')
            return self.multi("alternative", lambda: [plain, related]), "related", paras
        if x < 0.95 or depth > 0:
            return self.mixed(plain, paras, charset), "mixed", paras
        if x < 0.97:
            return self.signed(plain), "signed", paras
        return self.forward(depth), "forward", paras

    def mixed(self, plain, paras, charset):
        r = self.r
        atts = [self.binary_leaf() if r.random() < 0.5 else self.small_text_attachment()
                for _ in range(r.choice([1, 1, 1, 1, 2, 3]))]
        first = plain
        if r.random() < 0.3:
            first = self.multi("alternative", lambda: [plain, self.html_leaf(paras, charset)])
        return self.multi("mixed", lambda: [first] + atts,
                          preamble=b"This is a multi-part message in MIME format.\n")

    def signed(self, plain):
        r = self.r
        sig = ("-----BEGIN PGP SIGNATURE-----\n\n" +
               base64.encodebytes(r.randbytes(300)).decode("ascii") +
               "=%s\n-----END PGP SIGNATURE-----\n" % base64.b64encode(r.randbytes(3)).decode())
        sig_leaf = Leaf(["Content-Type: application/pgp-signature; name=\"signature.asc\"",
                         "Content-Description: OpenPGP digital signature",
                         "Content-Disposition: attachment; filename=\"signature.asc\""],
                        sig.encode("ascii"), False)
        return self.multi("signed", lambda: [plain, sig_leaf],
                          params='; micalg=pgp-sha256;\n\tprotocol="application/pgp-signature"')

    def forward(self, depth):
        """A short note plus the whole original message as message/rfc822."""
        note = self.text_leaf(["FYI, see the forwarded message below.", ""], "us-ascii", "7bit")
        inner_headers, inner_entity, _ = self.message(depth + 1)
        fwd = Forward(["Content-Type: message/rfc822", "Content-Disposition: inline"],
                      Whole(inner_headers, inner_entity))
        return self.multi("mixed", lambda: [note, fwd])

    def subject(self, parent):
        """(text, charset for encoded words or None), and the References list."""
        r = self.r
        if parent:
            return parent[1], (parent[2] + [parent[0]])[-12:]
        if r.random() < 0.18:
            return r.choice(INTL_TOPICS), []
        text = r.choice(TOPICS).capitalize()
        if r.random() < 0.3:
            text += " (%s)" % r.choice(["draft", "v2", "urgent", "FYI"])
        return (text, None), []

    def trace_fields(self, sender, domain, ts):
        """What the receiving side adds: Received chain, Authentication-Results, DKIM."""
        r = self.r
        h = ["Return-Path: <%s>" % sender, "Delivered-To: user@example.test"]
        hops = r.randint(2, 5)
        for k in range(hops):
            tls = ("\n\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)"
                   "\n\t key-exchange X25519 server-signature RSA-PSS (2048 bits))"
                   if r.random() < 0.5 else "")
            h.append("Received: from mx%d.%s (mx%d.%s [198.51.100.%d])%s\n\tby mx.example.test"
                     " (Postfix) with ESMTPS id %010X\n\tfor <user@example.test>; %s"
                     % (k, domain, k, domain, r.randint(1, 254), tls, r.getrandbits(40),
                        rfc5322_date(ts + hops - k, 0)))
        h.append("Authentication-Results: mx.example.test;\n\tdkim=pass header.d=%s;\n\t"
                 "spf=pass smtp.mailfrom=%s;\n\tdmarc=pass header.from=%s"
                 % (domain, sender, domain))
        if r.random() < 0.6:
            b = base64.b64encode(r.randbytes(256)).decode("ascii")
            h.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=%s;\n\ts=s2023;"
                     " t=%d; bh=%s;\n\th=From:To:Subject:Date:Message-ID:MIME-Version:"
                     "Content-Type;\n\tb=%s\n\t %s\n\t %s" % (
                         domain, ts, base64.b64encode(r.randbytes(32)).decode(), b[:120],
                         b[120:240], b[240:]))
        return h

    def recipient_fields(self, listinfo):
        r = self.r
        if listinfo:
            h = ["To: %s@%s" % listinfo]
        elif r.random() < 0.02:
            h = ["To: undisclosed-recipients:;"]
        else:
            tos = [self.fmt_addr(r.choice(self.people)) for _ in range(r.choice([1, 1, 1, 2, 4]))]
            h = ["To: " + ",\n\t".join(tos)]
        if r.random() < 0.25:
            ccs = [self.fmt_addr(r.choice(self.people)) for _ in range(r.randint(1, 4))]
            h.append("Cc: " + ",\n\t".join(ccs))
        return h

    def subject_field(self, subject, prefix):
        text, cs = subject
        if cs is None:
            return header("Subject", prefix + text.split())
        enc = "Q" if cs == "iso-8859-1" or (cs == "utf-8" and self.r.random() < 0.3) else "B"
        return header("Subject", prefix + encoded_words(text, cs, enc))

    @staticmethod
    def list_fields(listinfo):
        name, host = listinfo
        return ["List-Id: %s <%s.%s>" % (name.title(), name, host),
                "List-Unsubscribe: <mailto:%s-unsubscribe@%s>,\n\t<https://%s/u/%s>"
                % (name, host, host, name),
                "List-Post: <mailto:%s@%s>" % (name, host),
                "List-Archive: <https://%s/archive/%s>" % (host, name),
                "Precedence: list"]

    def message(self, depth=0):
        """Returns (top-level fields without Content-*, body entity, kind). depth > 0: the
        original inside a forward (no trace fields, no thread, no further forward)."""
        r = self.r
        self.ts += int(r.expovariate(1.0 / 600)) + 1
        ts, tz = self.ts, r.choice([0, 60, 120, -300, -240, -420, 330, 540, 600])
        sender = r.choice(self.people)
        domain = sender[2].split("@")[1]
        msgid = "<%d.%08x.%x@%s>" % (ts, r.getrandbits(32), r.getrandbits(20), domain)
        parent = None
        if depth == 0 and self.recent and r.random() < 0.4:
            parent = self.recent[-1 - min(int(r.expovariate(1 / 30.0)), len(self.recent) - 1)]
        subject, refs = self.subject(parent)
        entity, kind, paras = self.body(parent, depth)
        h = self.trace_fields(sender[2], domain, ts) if depth == 0 else []
        h.append("From: " + self.fmt_addr(sender))
        listinfo = r.choice(LISTS) if depth == 0 and r.random() < 0.25 else None
        h += self.recipient_fields(listinfo)
        prefix = ["Re:"] if parent else (["Fwd:"] if kind == "forward" else [])
        h.append(self.subject_field(subject, prefix))
        h.append("Date: " + rfc5322_date(ts, tz, comment=r.random() < 0.3))
        h.append("Message-ID: " + msgid)
        if parent:
            h.append("In-Reply-To: " + parent[0])
            h.append(header("References", refs))
        if kind != "plain" or r.random() < 0.97:  # a few old-style plain messages lack it
            h.append("MIME-Version: 1.0")
        h.append("X-Mailer: " + r.choice(MAILERS))
        if listinfo:
            h += self.list_fields(listinfo)
        if depth == 0:
            excerpt = [x for p in paras[:2] for x in p][:6]
            self.recent.append((msgid, subject, refs, excerpt))
            if len(self.recent) > 300:
                del self.recent[:100]
        return h, entity, kind


def generate(gen):
    top, entity, kind = gen.message()
    whole = Whole(top, entity)
    raw = whole.render()
    assert b"\r" not in raw
    leaves, text_leaves = whole.counts()
    return raw.replace(b"\n", b"\r\n"), kind, leaves, text_leaves


def self_sha256():
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--force", action="store_true")
    a = ap.parse_args()
    if a.n < 1:
        ap.error("--n must be at least 1")
    sha = self_sha256()
    out = os.path.abspath(a.out)
    man_path = os.path.join(out, "manifest.json")
    if not a.force and os.path.exists(man_path):
        try:
            with open(man_path) as f:
                m = json.load(f)
            if (m.get("n"), m.get("seed"), m.get("version"), m.get("generator_sha256")) == (
                    a.n, a.seed, VERSION, sha):
                print("corpus up to date: %s" % out)
                return 0
        except (OSError, ValueError):
            pass
    t0 = time.time()
    tmp = "%s.tmp-%d" % (out, os.getpid())  # built aside, renamed when complete
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.join(tmp, "msgs"))
    try:
        gen = Gen(a.seed)
        sizes, kinds, crc = [], {}, 0
        leaves = text_leaves = 0
        for i in range(a.n):
            raw, kind, nl, nt = generate(gen)
            with open(os.path.join(tmp, "msgs", "%06d.eml" % i), "wb") as f:
                f.write(raw)
            sizes.append(len(raw))
            kinds[kind] = kinds.get(kind, 0) + 1
            leaves += nl
            text_leaves += nt
            crc = binascii.crc32(raw, crc)
        ss = sorted(sizes)
        man = {
            "version": VERSION, "generator_sha256": sha, "n": a.n, "seed": a.seed,
            "total_bytes": sum(ss), "size_median": statistics.median(ss),
            "size_mean": round(statistics.mean(ss), 1), "size_p90": ss[int(0.9 * (len(ss) - 1))],
            "size_max": ss[-1], "kinds": dict(sorted(kinds.items())), "leaves": leaves,
            "text_leaves": text_leaves, "crc32": "%08x" % crc,
            "gen_seconds": round(time.time() - t0, 1),
        }
        with open(os.path.join(tmp, "manifest.json"), "w") as f:
            json.dump(man, f, indent=1)
        shutil.rmtree(out, ignore_errors=True)
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    print(json.dumps(man))
    return 0


if __name__ == "__main__":
    sys.exit(main())
