"""A webhook receiver written from the Standard Webhooks specification alone (standardwebhooks.com),
not from clubd's code: the tests' independent check of every delivery's signature.

It serves HTTPS on 127.0.0.1 with the given certificate, prints `port N` once listening, and for
every POST appends one JSON line to the log: the webhook-id, whether the signature verified, whether
the id was seen before (a receiver deduplicates by webhook-id), what it answered and the body.

Verification, as the specification says: the signed content is `{webhook-id}.{webhook-timestamp}.{body}`;
the key is the base64-decoded part of the secret after `whsec_`; HMAC-SHA256, base64; the header
`webhook-signature` holds space-separated `v1,<base64>` signatures, any one of which may match; a
timestamp more than 5 minutes from now is refused. The secrets are read from --secrets (one per line)
at every request, so a test can write them after registering the endpoint and again after a rotation.

Behaviour: --fail N answers 500 to the first N deliveries; --fail-while PATH answers 500 while that
file exists; --delay S waits S seconds before answering. A bad signature answers 401.
Standard library only."""
import argparse
import base64
import hashlib
import hmac
import json
import os
import signal
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 5 * 60


def secrets(path):
    try:
        with open(path) as file:
            return [line.strip() for line in file if line.strip()]
    except FileNotFoundError:
        return []


def verify(headers, body, keys):
    """Whether any `v1` signature of the header matches any of the secrets, within the tolerance."""
    message_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature", "")
    if not message_id or not timestamp or not timestamp.isdigit():
        return False, "missing webhook-id or webhook-timestamp"
    if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        return False, "timestamp outside the tolerance"
    content = f"{message_id}.{timestamp}.".encode() + body
    for secret in keys:
        key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
        expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
        for signature in signatures.split(" "):
            version, _, value = signature.partition(",")
            if version == "v1" and hmac.compare_digest(value, expected):
                return True, "ok"
    return False, "no signature matches"


class Receiver(BaseHTTPRequestHandler):
    state = None  # set in main

    def log_message(self, format, *args):  # quiet: the JSON lines are the log
        pass

    def do_POST(self):
        state = Receiver.state
        declared = int(self.headers.get("content-length", "0"))
        body = self.rfile.read(declared)
        if len(body) < declared:
            # The sender died mid-request (SIGKILL during a delivery): no delivery arrived, and it will be sent again.
            self.close_connection = True
            return
        verified, reason = verify(self.headers, body, secrets(state.args.secrets))
        if state.args.delay:
            time.sleep(state.args.delay)
        with state.lock:
            state.received += 1
            failing = state.received <= state.args.fail or (state.args.fail_while and os.path.exists(state.args.fail_while))
            message_id = self.headers.get("webhook-id")
            status = 401 if not verified else (500 if failing else 200)
            duplicate = status == 200 and message_id in state.delivered
            if status == 200:
                state.delivered.add(message_id)
            try:
                parsed = json.loads(body)
            except ValueError:
                parsed = None
            record = {
                "id": message_id, "timestamp": self.headers.get("webhook-timestamp"), "signature": self.headers.get("webhook-signature"),
                "verified": verified, "reason": reason, "duplicate": duplicate, "status": status, "path": self.path,
                "contentType": self.headers.get("content-type"), "body": parsed, "raw": body.decode("utf-8", "replace"),
            }
            state.log.write(json.dumps(record) + "\n")
            state.log.flush()
        answer = json.dumps({"received": message_id, "status": status, "note": "x" * 300}).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a sender killed mid-request (the crash test does that) is not the receiver's error


class State:
    def __init__(self, args):
        self.args, self.lock, self.received, self.delivered = args, threading.Lock(), 0, set()
        self.log = open(args.log, "a")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--secrets", required=True)
    parser.add_argument("--fail", type=int, default=0)
    parser.add_argument("--fail-while")
    parser.add_argument("--delay", type=float, default=0)
    args = parser.parse_args()
    # A parent (a test runner) may have blocked these; stopping must work whoever started us.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    Receiver.state = State(args)
    server = QuietServer(("127.0.0.1", 0), Receiver)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"port {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def make_certificate(folder):
    """A self-signed certificate for localhost and 127.0.0.1 (it is its own authority), via openssl."""
    import subprocess
    cert, key = os.path.join(folder, "receiver.pem"), os.path.join(folder, "receiver.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-addext", "basicConstraints=critical,CA:TRUE", "-keyout", key, "-out", cert],
                   check=True, capture_output=True)
    return cert, key


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "make-cert":
        print("\n".join(make_certificate(sys.argv[2])))
    else:
        main()
