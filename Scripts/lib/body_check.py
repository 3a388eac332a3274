"""No reading on someone else's behalf (issue 21 part 1, docs/design.md §6.1 "Request bodies"):
200 MB bodies, streamed lazily, against a running clubd over TLS, and how much of them the daemon
read before it closed the connection; then ordinary requests keep their connection.

Usage: body_check.py HOST PORT CA_FILE TOKEN

What the daemon read is measured on the machine, not guessed from what the client managed to
write (the kernel buffers tens of megabytes between the two): while the client's writes are
stalled, the server kernel has received what the client's TCP_INFO calls bytes_acked, and still
holds rx_queue of it unread (/proc/net/tcp, the daemon's socket); the daemon read the difference
(TLS records, handshake and request head included, so a little over the body bytes)."""
import json
import select
import socket
import ssl
import struct
import sys
import time

HOST, PORT, CA, TOKEN = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ALLOWANCE = 64 * 1024
LIMIT = 1 << 20
HUGE = 200 * 1000 * 1000
CHUNK = bytes(64 * 1024)  # one buffer sent again and again: the 200 MB never exist at once
CONTEXT = ssl.create_default_context(cafile=CA)
TCP_INFO_BYTES_ACKED = 120  # offset of tcpi_bytes_acked (u64) in Linux's struct tcp_info
STALL_SECONDS = 0.25  # no progress for this long: the daemon is not reading; take a measure
GIVE_UP_SECONDS = 60  # a daemon that neither reads nor closes for this long fails the check


def check(condition, message):
    if not condition:
        raise SystemExit(f"FAILED: {message}")
    print(f"ok   {message}")


def unread_by_server(client_port):
    """rx_queue of the daemon's end of this connection: bytes its kernel holds that it did not read."""
    with open("/proc/net/tcp") as table:
        next(table)
        for line in table:
            fields = line.split()
            local, remote, queues = fields[1], fields[2], fields[4]
            if int(local.split(":")[1], 16) == PORT and int(remote.split(":")[1], 16) == client_port:
                return int(queues.split(":")[1], 16)
    return None


def bytes_acked(sock):
    info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
    return struct.unpack_from("Q", info, TCP_INFO_BYTES_ACKED)[0]


class Stream:
    """A TLS connection driven by hand (memory BIOs, non-blocking socket): the client keeps
    writing while it reads the answer, and never closes first, so the daemon's choice is seen."""

    def __init__(self):
        self.sock = socket.create_connection((HOST, PORT), timeout=30)
        self.port = self.sock.getsockname()[1]
        self.incoming, self.outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.tls = CONTEXT.wrap_bio(self.incoming, self.outgoing, server_hostname="localhost")
        while True:
            try:
                self.tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                self.sock.sendall(self.outgoing.read())
                self.incoming.write(self.sock.recv(65536))
        self.sock.sendall(self.outgoing.read())
        self.sock.setblocking(False)

    def send(self, head, body):
        """Sends head and the body's pieces until the daemon closes; returns what it answered,
        how it ended, the client's bytes sent and the last measure of what the daemon read."""
        self.tls.write(head)
        pending, answer, sent, measure, ended = self.outgoing.read(), b"", 0, None, None
        quiet_since = time.monotonic()
        writing = True
        while ended is None:
            if not pending and writing:
                piece = next(body, None)
                if piece is None:
                    ended = "the whole body was sent"
                    break
                try:
                    self.tls.write(piece)
                except ssl.SSLError:
                    writing = False  # the daemon's close_notify ended the session: only read on
                pending = self.outgoing.read()
            readable, writable, _ = select.select([self.sock], [self.sock] if pending else [], [], STALL_SECONDS)
            if not readable and not writable:
                unread = unread_by_server(self.port)
                if unread is not None:
                    measure = bytes_acked(self.sock) - unread
                if time.monotonic() - quiet_since > GIVE_UP_SECONDS:
                    ended = "stalled without a close"
                continue
            quiet_since = time.monotonic()
            if readable:
                try:
                    data = self.sock.recv(65536)
                except (ConnectionResetError, BrokenPipeError):
                    ended = "reset"
                    break
                if not data:
                    ended = "closed"
                    break
                self.incoming.write(data)
                answer += self.plaintext()
            if writable:
                try:
                    count = self.sock.send(pending)
                except (ConnectionResetError, BrokenPipeError):
                    ended = "reset"
                    break
                pending, sent = pending[count:], sent + count
        self.sock.close()
        return answer, ended, sent, measure

    def plaintext(self):
        data = b""
        try:
            while piece := self.tls.read(65536):  # b"" once the daemon's close_notify is read
                data += piece
        except (ssl.SSLWantReadError, ssl.SSLZeroReturnError):
            pass
        return data


def zeros(total):
    left = total
    while left > 0:
        piece = CHUNK if left >= len(CHUNK) else bytes(left)
        left -= len(piece)
        yield piece


def chunked(total):
    for piece in zeros(total):
        yield b"%x\r\n" % len(piece) + piece + b"\r\n"
    yield b"0\r\n\r\n"


def head(lines):
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def status_and_headers(answer):
    text = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = text.split("\r\n")
    status = int(lines[0].split()[1]) if lines and lines[0].startswith("HTTP/1.1 ") else 0
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


def huge_body(label, lines, body, expected_status, bound):
    start = time.monotonic()
    answer, ended, sent, measure = Stream().send(head(lines), body)
    status, headers = status_and_headers(answer)
    seconds = time.monotonic() - start
    print(
        "measure "
        + json.dumps({"case": label, "status": status, "ended": ended, "clientSent": sent, "daemonRead": measure, "seconds": round(seconds, 2)})
    )
    check(status == expected_status, f"{label}: answered {expected_status} (got {status})")
    check(headers.get("connection", "").lower() == "close", f"{label}: the answer says Connection: close")
    check(ended in ("reset", "closed"), f"{label}: the daemon closed the connection ({ended})")
    check(sent < HUGE, f"{label}: the client could not send the 200 MB ({sent} bytes went out)")
    check(measure is not None and measure <= bound, f"{label}: the daemon read {measure} bytes, at most {bound}")


def keep_alive(label, first, expected_status):
    raw = socket.create_connection((HOST, PORT), timeout=30)
    sock = CONTEXT.wrap_socket(raw, server_hostname="localhost")
    sock.sendall(first)
    status, headers = status_and_headers(read_answer(sock))
    check(status == expected_status, f"{label}: answered {expected_status} (got {status})")
    check(headers.get("connection", "").lower() != "close", f"{label}: the connection is kept")
    sock.sendall(head(["GET /v1/health HTTP/1.1", "Host: localhost"]))
    status, _ = status_and_headers(read_answer(sock))
    check(status == 200, f"{label}: a second request on the same connection is answered")
    sock.close()


def read_answer(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        piece = sock.recv(65536)
        if not piece:
            return data
        data += piece
    headers = status_and_headers(data)[1]
    length = int(headers.get("content-length", "0"))
    while len(data.split(b"\r\n\r\n", 1)[1]) < length:
        piece = sock.recv(65536)
        if not piece:
            break
        data += piece
    return data


def post(lines, body=b""):
    return head(lines + [f"Content-Length: {len(body)}"]) + body


BOUND = LIMIT + ALLOWANCE
# A chunked body is read up to the limit before the route can refuse it, and what Hummingbird has
# read ahead meanwhile (its inbound buffer of body parts of 16 KiB at most, and the reads in flight:
# 60-620 KB measured on the declared cases above, up to 0.8 MB on a loaded CI machine) comes on top.
READ_AHEAD = 1024 * 1024
base = ["POST /v1/clients HTTP/1.1", "Host: localhost", "Content-Type: application/json"]
bearer = f"Authorization: Bearer {TOKEN}"
huge_body("unauthenticated, declared 200 MB", base + [f"Content-Length: {HUGE}"], zeros(HUGE), 401, BOUND)
huge_body("signed in, declared 200 MB", base + [bearer, f"Content-Length: {HUGE}"], zeros(HUGE), 413, BOUND)
huge_body("signed in, chunked 200 MB", base + [bearer, "Transfer-Encoding: chunked"], chunked(HUGE), 413, BOUND + READ_AHEAD)
keep_alive("an ordinary POST", post(base + [bearer], b'{"name":"Kept Alive"}'), 201)
keep_alive("a small body without a token", post(base, b'{"name":"' + b"x" * 1000 + b'"}'), 401)
print("body check passed")
