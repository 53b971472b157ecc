#!/usr/bin/python3
"""A scripted SMTP receiver for pigeond's delivery tests (Debian's python3-aiosmtpd; run it
with /usr/bin/python3, which has aiosmtpd).

usage: scripted_smtpd.py HOST PORT OUTDIR [--tls CERT KEY] [--no-8bitmime]
                         [--auth USER:PASSWORD]

Each accepted message is saved as OUTDIR/NNNN.eml (the raw bytes, CRLF, dot-unstuffed) and
OUTDIR/NNNN.env (MAIL FROM with its parameters, RCPT TO lines, TLS and AUTH lines).
The recipient's local part picks the behaviour:
  temp*@   451 to RCPT             perm*@   550 to RCPT
  flaky*@  451 the first time an address is seen, 250 afterwards
  drop*@   354 to DATA, then the connection is closed after the first data line
  stall*@  the data is read, the final reply never comes (OUTDIR/stalled.N marks it)
  other    250
--tls offers STARTTLS; --no-8bitmime leaves 8BITMIME out of the EHLO reply; --auth requires
AUTH (over TLS only) with these credentials for MAIL.
Prints READY once listening; stops on SIGTERM or SIGINT.
"""
import asyncio
import itertools
import os
import pathlib
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

args = sys.argv[1:]
host, port, out = args[0], int(args[1]), pathlib.Path(args[2])
out.mkdir(parents=True, exist_ok=True)
sequence = itertools.count(1)
stalls = itertools.count(1)
seen_flaky = set()
tls_files = None
if "--tls" in args:
    at = args.index("--tls")
    tls_files = (args[at + 1], args[at + 2])
no_8bitmime = "--no-8bitmime" in args
credentials = None
if "--auth" in args:
    user, _, password = args[args.index("--auth") + 1].partition(":")
    credentials = (user.encode(), password.encode())


def local_part(address):
    return address.rsplit("@", 1)[0].lower()


class Handler:
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if no_8bitmime:
            responses = [line for line in responses if "8BITMIME" not in line]
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = local_part(address)
        if local.startswith("temp"):
            return "451 4.3.0 try again later"
        if local.startswith("perm"):
            return "550 5.1.1 no such user"
        if local.startswith("flaky") and address.lower() not in seen_flaky:
            seen_flaky.add(address.lower())
            return "451 4.7.1 greylisted, come back soon"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(local_part(r).startswith("stall") for r in envelope.rcpt_tos):
            (out / f"stalled.{next(stalls)}").write_bytes(envelope.original_content)
            await asyncio.Event().wait()  # never answers; the connection stays open
        n = next(sequence)
        login = session.auth_data.login.decode() if isinstance(session.auth_data,
                                                               LoginPassword) else ""
        # The .eml first, then the .env renamed into place: a test that sees the .env (its
        # tests/support/delivery_peers.py reader lists them) finds both files whole.
        (out / f"{n:04d}.eml").write_bytes(envelope.original_content)
        (out / f"{n:04d}.env.part").write_text(
            f"MAIL FROM:{envelope.mail_from} {' '.join(envelope.mail_options)}\n"
            + "".join(f"RCPT TO:{r}\n" for r in envelope.rcpt_tos)
            + f"TLS:{session.ssl is not None}\nAUTH:{login}\n")
        os.replace(out / f"{n:04d}.env.part", out / f"{n:04d}.env")
        return "250 2.0.0 queued as %04d" % n


class ScriptedSMTP(SMTP):
    async def smtp_DATA(self, arg):
        if self.envelope.rcpt_tos and any(local_part(r).startswith("drop")
                                          for r in self.envelope.rcpt_tos):
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            await self._reader.readuntil(b"\r\n")
            (out / "dropped").write_text("yes\n")
            self.transport.close()
            return
        await super().smtp_DATA(arg)


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login,
                                                   auth_data.password) == credentials
    # handled=False: aiosmtpd itself answers 535 to a failure.
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


class ScriptedController(Controller):
    def factory(self):
        return ScriptedSMTP(self.handler, **self.SMTP_kwargs)


# Blocked before the server thread starts, so sigwait (not the default action) takes them.
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
kwargs = {}
if tls_files:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*tls_files)
    kwargs.update(tls_context=context, require_starttls=False)
if credentials:
    kwargs.update(authenticator=authenticate, auth_required=True, auth_require_tls=True)
controller = ScriptedController(Handler(), hostname=host, port=port, server_kwargs=kwargs,
                                ready_timeout=10)
controller.start()
print("READY", flush=True)
signal.sigwait({signal.SIGTERM, signal.SIGINT})
controller.stop()
