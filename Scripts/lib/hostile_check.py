"""Hostile clients against a running clubd over TLS: a body that never finishes, oversize
headers, and health answered throughout. Usage: hostile_check.py HOST PORT CA_FILE"""
import socket
import ssl
import sys
import threading
import time
import urllib.request

HOST, PORT, CA = sys.argv[1], int(sys.argv[2]), sys.argv[3]
CONTEXT = ssl.create_default_context(cafile=CA)


def connect():
    raw = socket.create_connection((HOST, PORT), timeout=60)
    return CONTEXT.wrap_socket(raw, server_hostname="localhost")


def health():
    with urllib.request.urlopen(f"https://localhost:{PORT}/v1/health", context=CONTEXT, timeout=60) as response:
        return response.status


def read_all(sock):
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, ssl.SSLError, socket.timeout, OSError):
        pass
    return data


def check(condition, message):
    if not condition:
        raise SystemExit(f"FAILED: {message}")
    print(f"ok   {message}")


# A body that never finishes: the request is refused (408) or the connection closed, in bounded time.
slow = connect()
slow.sendall(b"POST /v1/clients HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer clb_x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\":")
results = {}
def wait_slow():
    start = time.time()
    results["answer"] = read_all(slow)
    results["seconds"] = time.time() - start
thread = threading.Thread(target=wait_slow)
thread.start()
check(health() == 200, "health answers while a body hangs")
thread.join(90)
check(not thread.is_alive(), "the hanging request ends in bounded time")
answer = results.get("answer", b"")
check(answer == b"" or answer.startswith(b"HTTP/1.1 408") or answer.startswith(b"HTTP/1.1 401"), f"it is refused or closed: {answer[:40]!r}")

# Oversize headers: refused, and the server goes on.
big = connect()
big.sendall(b"GET /v1/health HTTP/1.1\r\nHost: localhost\r\nX-Filler: " + b"a" * 200_000 + b"\r\n\r\n")
answer = read_all(big)
check(not answer.startswith(b"HTTP/1.1 200"), f"oversize headers are not served: {answer[:40]!r}")
check(health() == 200, "health answers after oversize headers")
print("hostile check passed")
