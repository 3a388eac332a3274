"""The daemon's TLS as a strict client and a scanner see it (issue 21, parts 3 and 4).

Starts the real clubd on a fresh data folder with no certificate configured, so it makes its
development pair, then:
  1. Python's default context trusting data/tls/ca.pem and nothing else, with VERIFY_X509_STRICT
     (Python 3.13's default; set explicitly on older Pythons, and said so), calls /v1/health by
     name (localhost) and by address (127.0.0.1); ALPN offered h2 and http/1.1 settles on http/1.1;
  2. TLS 1.2 refuses the CBC suites scanners flagged and accepts each ECDHE AEAD suite;
  3. sslyze --mozilla_config=intermediate, trusting ca.pem, must report compliance.

Usage (in .venv-tls, see Scripts/tls-scan): tls_scan.py CLUBD_BINARY"""
import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
import daemon  # noqa: E402

AEAD_SUITES = ["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305"]
CBC_SUITES = "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384"


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print(f"ok   {message}", flush=True)


def strict_context(ca):
    context = ssl.create_default_context(cafile=ca)
    if not context.verify_flags & ssl.VERIFY_X509_STRICT:
        context.verify_flags |= ssl.VERIFY_X509_STRICT
        if not strict_context.said:
            print(f"note Python {sys.version.split()[0]}: VERIFY_X509_STRICT set explicitly (the default from 3.13)", flush=True)
            strict_context.said = True
    return context


strict_context.said = False


def strict_client(port, ca):
    for host in ["localhost", "127.0.0.1"]:
        context = strict_context(ca)
        context.set_alpn_protocols(["h2", "http/1.1"])
        # The certificate is checked against the name asked for: a DNS name, then an IP address.
        connection = http.client.HTTPSConnection(host, port, context=context, timeout=10)
        connection.connect()
        tls = connection.sock
        connection.request("GET", "/v1/health")
        response = connection.getresponse()
        response.read()
        check(response.status == 200, f"a strict Python client trusting ca.pem gets /v1/health as {host} "
              f"({tls.version()}, {tls.cipher()[0]}, ALPN {tls.selected_alpn_protocol()})")
        check(tls.selected_alpn_protocol() == "http/1.1", f"ALPN settles on http/1.1 when h2 is offered first ({host})")
        connection.close()


def handshake(port, ca, ciphers):
    """A TLS 1.2 handshake offering only `ciphers`: the suite the server chose, or None if refused."""
    context = strict_context(ca)
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers(ciphers)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            with context.wrap_socket(raw, server_hostname="localhost") as tls:
                return tls.cipher()[0]
    except ssl.SSLError:
        return None


def tls12_suites(port, ca):
    check(handshake(port, ca, CBC_SUITES) is None, "TLS 1.2 refuses a client offering only CBC suites")
    for suite in AEAD_SUITES:
        check(handshake(port, ca, suite) == suite, f"TLS 1.2 accepts {suite}")


def sslyze(port, ca):
    started = time.monotonic()
    command = [sys.executable, "-m", "sslyze", "--mozilla_config=intermediate", "--certinfo_ca_file", ca, f"localhost:{port}{{127.0.0.1}}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    report = result.stdout + result.stderr
    # The whole report when it fails; its verdict alone when it passes.
    verdict = report.split("COMPLIANCE AGAINST TLS CONFIGURATION")[-1]
    print(report if result.returncode != 0 else verdict.strip(), flush=True)
    check(result.returncode == 0, f"sslyze exits 0 (took {time.monotonic() - started:.1f} s)")
    check("\"intermediate\" configuration" in verdict and f"localhost:{port}: OK - Compliant." in verdict,
          "sslyze: the daemon is compliant with Mozilla's intermediate profile")


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(daemon.ROOT, ".build", "debug", "clubd")
    data = tempfile.mkdtemp(prefix="clubd-tls-")
    process = None
    try:
        process, port = daemon.start(binary, data)
        ca = os.path.join(data, "tls", "ca.pem")
        strict_client(port, ca)
        tls12_suites(port, ca)
        sslyze(port, ca)
        print("tls scan passed", flush=True)
    except BaseException:
        with open(os.path.join(data, "daemon.log")) as log:
            print("--- the daemon's log, last lines ---", *log.read().splitlines()[-30:], sep="\n", file=sys.stderr)
        raise
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=15)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
