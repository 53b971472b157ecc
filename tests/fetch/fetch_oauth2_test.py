#!/usr/bin/python3
"""End-to-end test of `pigeon fetch` with auth = "oauth2": a local OAuth2 provider written
here (an HTTPS token endpoint with a certificate from the test CA, and the RFC 7662
introspection endpoint that Dovecot asks) and a real Dovecot whose oauth2 passdb accepts the
access tokens the provider issued (dovecot_harness.py). Cases: the refresh grant as POSTed and
a fetch with the fresh token (IMAPS with OAUTHBEARER; IMAP with STARTTLS and POP3S with
XOAUTH2); a revoked refresh
token (one clear line, exit 1, the other account still fetched); an access token the server
refuses; a token endpoint whose certificate does not verify; a reply past the size bound; a
failing refresh token command.

usage: fetch_oauth2_test.py PIGEON_BINARY
"""
import json
import os
import re
import ssl
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dovecot_harness import Dovecot, make_certificates  # noqa: E402

PIGEON = None
CLIENT_ID = "pigeon-test-client"
CLIENT_SECRET = "s3cret&more"
GOOD_REFRESH = "1//refresh+good"
REVOKED_REFRESH = "1//refresh-revoked"


def mail(n):
    return (f"From: Sender {n} <sender{n}@example.org>\r\nTo: ada@example.org\r\n"
            f"Subject: message {n}\r\nMessage-ID: <oauth2.{n}@example.org>\r\n"
            f"Date: Mon, 1 Jan 2024 10:00:{n % 60:02d} +0000\r\n\r\nbody of {n}\r\n").encode()


class Provider:
    """The OAuth2 provider: issues access tokens for the good refresh token at POST /token
    (RFC 6749 section 6) and tells Dovecot at POST /introspect which tokens are active and
    whose (RFC 7662). `refuse_at_server` makes it issue tokens that introspection calls
    inactive."""

    def __init__(self, user):
        self.user = user
        self.lock = threading.Lock()
        self.active = set()
        self.token_requests = []  # (headers, form) of each POST /token
        self.refuse_at_server = False
        self.padding = 0  # octets of white space added to each token reply
        self.issued = 0

    def token(self, headers, form):
        with self.lock:
            self.token_requests.append((headers, form))
            if form.get("grant_type") != ["refresh_token"]:
                return 400, {"error": "unsupported_grant_type"}
            if form.get("client_id") != [CLIENT_ID] or form.get("client_secret") != [CLIENT_SECRET]:
                return 401, {"error": "invalid_client", "error_description": "Unknown client"}
            if form.get("refresh_token") != [GOOD_REFRESH]:
                return 400, {"error": "invalid_grant",
                             "error_description": "Token has been expired or revoked."}
            self.issued += 1
            access = f"ya29.access-{self.issued}"
            if not self.refuse_at_server:
                self.active.add(access)
            return 200, {"access_token": access, "expires_in": 3599, "token_type": "Bearer",
                         "scope": form.get("scope", [""])[0]}

    def introspect(self, form):
        with self.lock:
            if form.get("token", [""])[0] in self.active:
                return 200, {"active": True, "username": self.user}
            return 200, {"active": False}


def serve(provider, tls_files=None):
    """An HTTP server on 127.0.0.1 (HTTPS with `tls_files` = (cert, key)) in a thread."""
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            form = urllib.parse.parse_qs(self.rfile.read(length).decode(), keep_blank_values=True)
            if self.path == "/token":
                status, reply = provider.token(dict(self.headers), form)
            elif self.path == "/introspect":
                status, reply = provider.introspect(form)
            else:
                status, reply = 404, {"error": "not_found"}
            data = json.dumps(reply).encode()
            if self.path == "/token":
                data += b" " * provider.padding
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls_files:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls_files)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stop(server):
    server.shutdown()
    server.server_close()


class FetchOAuth2Test(unittest.TestCase):
    def setUp(self):
        self.temp = tempfile.TemporaryDirectory(prefix="pigeon-fetch-oauth2-")
        self.addCleanup(self.temp.cleanup)
        self.dir = self.temp.name
        self.store = os.path.join(self.dir, "pigeon.db")
        self.config = os.path.join(self.dir, "pigeon.conf")
        self.provider = Provider("ada")
        introspection = serve(self.provider)
        self.addCleanup(stop, introspection)
        self.server = Dovecot(oauth2_introspection_url="http://127.0.0.1:"
                              f"{introspection.server_address[1]}/introspect").start()
        self.addCleanup(self.server.close)
        # The token endpoint has a certificate from the same test CA as Dovecot.
        endpoint = serve(self.provider, (self.server.cert, self.server.key))
        self.addCleanup(stop, endpoint)
        self.token_url = f"https://127.0.0.1:{endpoint.server_address[1]}/token"

    def account(self, name, url, refresh=GOOD_REFRESH, token_url=None, extra=""):
        s = self.server
        return (f'[[fetch]]\nname = "{name}"\nurl = "{url}"\nuser = "{s.user}"\n'
                f'ca_file = "{s.ca_file}"\nauth = "oauth2"\n'
                f'oauth2_token_url = "{token_url or self.token_url}"\n'
                f'oauth2_client_id = "{CLIENT_ID}"\noauth2_ca_file = "{s.ca_file}"\n'
                f"oauth2_client_secret_command = \"printf '%s\\\\n' '{CLIENT_SECRET}'\"\n"
                f"oauth2_refresh_token_command = \"printf '%s\\\\n' '{refresh}'\"\n" + extra)

    def password_account(self, name):
        s = self.server
        return (f'[[fetch]]\nname = "{name}"\nurl = "{self.imaps()}"\nuser = "{s.user}"\n'
                f'password = "{s.password}"\nca_file = "{s.ca_file}"\n'
                f'folders = {{ INBOX = "{name}" }}\n')

    def write_config(self, *accounts):
        with open(self.config, "w") as f:
            f.write(f'owner = "ada@example.org"\nstore = "{self.store}"\n\n')
            f.write("\n".join(accounts))
        os.chmod(self.config, 0o600)

    def fetch(self, *names):
        return subprocess.run([PIGEON, "-C", self.config, "fetch", *names], capture_output=True,
                              text=True, timeout=60, stdin=subprocess.DEVNULL)

    def stored(self, folder="INBOX"):
        out = subprocess.run([PIGEON, "--store", self.store, "export", "--folder", folder, "-"],
                             capture_output=True, timeout=60, check=True).stdout
        return out.count(b"\nSubject: message ")

    def imaps(self):
        return f"imaps://127.0.0.1:{self.server.imaps_port}"

    def test_first_fetch_with_a_refreshed_token(self):
        for n in range(1, 4):
            self.server.deliver(mail(n))
        self.write_config(self.account("cloud", self.imaps(),
                                       extra='oauth2_scope = "mail offline"\n'))
        result = self.fetch()
        self.assertEqual(result.returncode, 0, result.stderr + self.server.log())
        self.assertEqual(result.stderr, "")
        self.assertRegex(result.stdout,
                         rf"^cloud: 3 new messages \(0\.0 MB\) from {re.escape(self.imaps())}\n$")
        self.assertEqual(self.stored(), 3)
        # The refresh grant as RFC 6749 section 6 has it, form-encoded.
        self.assertEqual(len(self.provider.token_requests), 1)
        headers, form = self.provider.token_requests[0]
        self.assertEqual(headers["Content-Type"], "application/x-www-form-urlencoded")
        self.assertEqual(form, {"grant_type": ["refresh_token"], "refresh_token": [GOOD_REFRESH],
                                "client_id": [CLIENT_ID], "client_secret": [CLIENT_SECRET],
                                "scope": ["mail offline"]})
        self.assertIn("method=OAUTHBEARER", self.server.log())
        # Each run trades the refresh token again; only new mail is fetched.
        self.server.deliver(mail(4))
        again = self.fetch("cloud")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertRegex(again.stdout, r"^cloud: 1 new message ")
        self.assertEqual(len(self.provider.token_requests), 2)
        self.assertEqual(self.stored(), 4)

    def test_xoauth2_over_imap_with_starttls_and_pop3(self):
        for n in range(1, 3):
            self.server.deliver(mail(n))
        self.write_config(
            self.account("imap", f"imap://127.0.0.1:{self.server.imap_port}",
                         extra='oauth2_mechanism = "xoauth2"\nfolders = { INBOX = "imap" }\n'),
            self.account("pop", f"pop3s://127.0.0.1:{self.server.pop3s_port}",
                         extra='oauth2_mechanism = "xoauth2"\nfolders = { INBOX = "pop" }\n'))
        result = self.fetch()
        self.assertEqual(result.returncode, 0, result.stderr + self.server.log())
        self.assertRegex(result.stdout, r"^imap: 2 new messages .*\npop: 2 new messages ")
        self.assertEqual(self.stored("imap"), 2)
        self.assertEqual(self.stored("pop"), 2)
        log = self.server.log()
        self.assertIn("imap-login: Info: Login: user=<ada>, method=XOAUTH2", log)
        self.assertIn("pop3-login: Info: Login: user=<ada>, method=XOAUTH2", log)
        self.assertNotIn("method=OAUTHBEARER", log)
        self.assertEqual(len(self.provider.token_requests), 2)

    def test_revoked_refresh_token_is_one_line_and_the_other_account_goes_on(self):
        self.server.deliver(mail(1))
        self.write_config(self.account("revoked", self.imaps(), refresh=REVOKED_REFRESH),
                          self.password_account("home"))
        result = self.fetch()
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr,
                         f"pigeon fetch: revoked: oauth2: token endpoint {self.token_url}: "
                         "invalid_grant: Token has been expired or revoked.\n")
        self.assertRegex(result.stdout, r"^home: 1 new message ")
        self.assertEqual(self.stored("home"), 1)
        self.assertNotIn("method=OAUTHBEARER", self.server.log())

    def test_access_token_refused_by_the_server(self):
        self.provider.refuse_at_server = True
        self.write_config(self.account("cloud", self.imaps()))
        result = self.fetch()
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr,
                         f"pigeon fetch: cloud: 127.0.0.1:{self.server.imaps_port}: the server "
                         "refused the OAuth2 access token for user ada (wrong user, scope or "
                         "mechanism?)\n")
        self.assertEqual(len(self.provider.token_requests), 1)

    def test_token_endpoint_certificate_not_verifying(self):
        other = os.path.join(self.dir, "other-ca")
        os.makedirs(other)
        _, cert, key = make_certificates(other)  # a CA the account does not trust
        untrusted = serve(self.provider, (cert, key))
        self.addCleanup(stop, untrusted)
        url = f"https://localhost:{untrusted.server_address[1]}/token"
        self.write_config(self.account("cloud", self.imaps(), token_url=url))
        result = self.fetch()
        self.assertEqual(result.returncode, 1)
        self.assertTrue(result.stderr.startswith(
            f"pigeon fetch: cloud: oauth2: token endpoint {url}: certificate of localhost not "
            "trusted: "), result.stderr)
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
        self.assertEqual(self.provider.token_requests, [])

    def test_oversized_reply_is_cut_off(self):
        self.provider.padding = 100 * 1024
        self.write_config(self.account("cloud", self.imaps()))
        result = self.fetch()
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr, f"pigeon fetch: cloud: oauth2: token endpoint "
                                        f"{self.token_url}: the reply is longer than 64 KiB\n")

    def test_failing_refresh_token_command(self):
        self.write_config(self.account("cloud", self.imaps()).replace(
            f"printf '%s\\\\n' '{GOOD_REFRESH}'", "exit 2"))
        result = self.fetch()
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr, "pigeon fetch: cloud: oauth2_refresh_token_command: "
                                        "failed (exit status 2)\n")
        self.assertEqual(self.provider.token_requests, [])


if __name__ == "__main__":
    PIGEON = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
