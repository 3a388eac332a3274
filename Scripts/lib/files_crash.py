"""Evidence files survive kill -9 (issue 13, item 5; docs/design.md §11.2): the real clubd on a fresh data folder, an
agreed fix list, and 50 concurrent uploads of distinct random contents (real PNGs and plain text), each a real HTTPS
request on its own thread whose body is sent in pieces with pauses, so that the uploads end at different moments.
Once about half are acknowledged (201), the daemon is killed with SIGKILL while the others are still in flight.

After a restart:
- every acknowledged upload is listed on its item and downloads identical by SHA-256;
- every listed file (acknowledged or not: a row may commit just before the kill) has its content, by its hash;
- DATA/files holds exactly the referenced contents, no orphan (files named by 64 hex digits against the distinct
  hashes listed), and DATA/files/tmp is empty;
- clubd logged its start-up check of the files; the journal verifies.

Usage: files_crash.py CLUBD_BINARY"""
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

sys.path.insert(0, os.path.dirname(__file__))
import daemon  # noqa: E402
from clubapi import Club  # noqa: E402

BINARY = sys.argv[1]
DATA = tempfile.mkdtemp(prefix="clubd-files-crash-")
UPLOADS, ITEMS = 50, 5  # ten uploads per item: well within the 50 files an object may hold
PIECE = 32 * 1024
HEX64 = re.compile(r"^[0-9a-f]{64}$")
CHECK = re.compile(r"evidence files checked|orphans removed")


def fail(message):
    raise SystemExit(f"files crash test FAILED: {message}")


def png(width, height):
    """A real PNG of random pixels: incompressible, so its size is about width × height × 3 bytes."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\x00" + os.urandom(width * 3) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b"")


def text(size):
    """Plain text of random words, distinct for each upload."""
    lines = []
    while sum(len(line) for line in lines) < size:
        lines.append(" ".join(os.urandom(6).hex() for _ in range(8)) + "\n")
    return "".join(lines).encode()


class Upload(threading.Thread):
    """One upload over its own HTTPS connection, its body written in pieces with pauses; keeps what the daemon said."""

    def __init__(self, index, port, club, token, item, start):
        super().__init__(daemon=True)
        self.index, self.port, self.club, self.token, self.item, self.start_signal = index, port, club, token, item, start
        side = random.randint(300, 600)
        self.content = png(side, side) if index % 2 == 0 else text(random.randint(200_000, 700_000))
        self.sha256 = hashlib.sha256(self.content).hexdigest()
        self.name = f"evidence-{index}." + ("png" if index % 2 == 0 else "txt")
        self.pause = random.uniform(0.01, 0.12)  # per piece: uploads take from under a second to several
        self.status, self.file, self.error, self.sent = None, None, None, 0

    def run(self):
        self.start_signal.wait()
        try:
            connection = http.client.HTTPSConnection("localhost", self.port, context=self.club.tls, timeout=60)
            connection.putrequest("POST", f"/v1/fix-items/{self.item}/files?name={self.name}&caption=crash+test+{self.index}")
            connection.putheader("Authorization", f"Bearer {self.token}")
            connection.putheader("Content-Type", "application/octet-stream")
            connection.putheader("Content-Length", str(len(self.content)))
            connection.endheaders()
            for offset in range(0, len(self.content), PIECE):
                connection.send(self.content[offset:offset + PIECE])
                self.sent = offset + PIECE
                time.sleep(self.pause)
            response = connection.getresponse()
            body = response.read()
            self.status = response.status
            if response.status == 201:
                self.file = json.loads(body)
        except (OSError, http.client.HTTPException, ValueError) as error:
            self.error = error

    @property
    def acknowledged(self):
        return self.status == 201


def listing(club, items):
    """Every file listed on the items, by id."""
    files = {}
    for item in items:
        for file in club.call("GET", f"/v1/fix-items/{item}/files", club.head, expect=200)["items"]:
            files[file["id"]] = file
    return files


def download(club, port, file_id):
    connection = http.client.HTTPSConnection("localhost", port, context=club.tls, timeout=60)
    connection.request("GET", f"/v1/files/{file_id}", headers={"Authorization": f"Bearer {club.head}"})
    response = connection.getresponse()
    return response.status, response.read()


def main():
    process, port = daemon.start(BINARY, DATA)
    club = Club(f"https://localhost:{port}", DATA)
    studio, client, agreed = club.agreed_fix_list([{"statement": f"Item {n}", "acceptance": "checked", "due": "2030-01-01"} for n in range(ITEMS)])
    items = [item["id"] for item in agreed["items"]]
    start = threading.Event()
    uploads = [Upload(n, port, club, client if n % 3 else studio, items[n % ITEMS], start) for n in range(UPLOADS)]
    if len({upload.sha256 for upload in uploads}) != UPLOADS:
        fail("the random contents are not distinct")
    for upload in uploads:
        upload.start()
    start.set()
    deadline = time.time() + 120
    while sum(u.acknowledged for u in uploads) < UPLOADS // 2 and time.time() < deadline:
        if any(u.status not in (None, 201) for u in uploads):
            refused = next(u for u in uploads if u.status not in (None, 201))
            fail(f"upload {refused.index} was answered {refused.status} before the kill")
        time.sleep(0.01)
    process.kill()  # SIGKILL
    process.wait()
    for upload in uploads:
        upload.join(60)
    acknowledged = [u for u in uploads if u.acknowledged]
    cut = [u for u in uploads if not u.acknowledged]
    print(f"life 1: {len(acknowledged)} of {UPLOADS} uploads acknowledged, {len(cut)} in flight; killed with SIGKILL")
    if not acknowledged or not cut:
        fail("the kill did not come in the middle of the uploads")
    mid_body = [u for u in cut if 0 < u.sent < len(u.content)]
    print(f"  of those in flight, {len(mid_body)} were still sending their body")

    # Life 2: the start-up check, then everything acknowledged is there and intact.
    process, port = daemon.start(BINARY, DATA)
    try:
        club = Club(f"https://localhost:{port}", DATA)
        with open(os.path.join(DATA, "daemon.log")) as file:
            log = file.read()
        # The check runs before the second life listens; its summary names what it repaired (FileRepairReport).
        after_first_life = log.split("clubd listening", 1)[-1]
        checks = [line for line in after_first_life.splitlines() if CHECK.search(line)]
        print(f"life 2: start-up check logged: {checks[-1].strip() if checks else 'nothing'}")
        if not checks:
            fail("clubd did not log its start-up check of the files")

        files = listing(club, items)
        missing = [u.index for u in acknowledged if u.file["id"] not in files]
        if missing:
            fail(f"acknowledged uploads not listed after the restart: {missing}")
        sent = {u.sha256 for u in uploads}
        intact, damaged = 0, []
        for file_id, file in sorted(files.items()):
            status, body = download(club, port, file_id)
            digest = hashlib.sha256(body).hexdigest()
            if status != 200 or digest != file["sha256"] or digest not in sent:
                damaged.append((file_id, status, file["sha256"][:12], digest[:12]))
            else:
                intact += 1
        for upload in acknowledged:
            if files[upload.file["id"]]["sha256"] != upload.sha256:
                damaged.append((upload.file["id"], "row", upload.sha256[:12]))
        extra = len(files) - len(acknowledged)
        print(f"  {len(files)} files listed ({len(acknowledged)} acknowledged, {extra} committed without an answer), "
              f"{intact} downloaded intact by SHA-256, {len(damaged)} damaged")
        if damaged:
            fail(f"damaged or missing contents: {damaged[:5]}")

        folder = os.path.join(DATA, "files")
        stored = {name for name in os.listdir(folder) if HEX64.match(name)}
        referenced = {file["sha256"] for file in files.values()}
        staging = os.path.join(folder, "tmp")
        leftovers = os.listdir(staging) if os.path.isdir(staging) else []
        print(f"  DATA/files holds {len(stored)} contents for {len(referenced)} distinct hashes listed; "
              f"{len(stored - referenced)} orphans, {len(referenced - stored)} missing, {len(leftovers)} left in tmp/")
        if stored != referenced or leftovers:
            fail(f"orphans {sorted(stored - referenced)[:3]}, missing {sorted(referenced - stored)[:3]}, tmp {leftovers[:3]}")
    finally:
        process.terminate()
        process.wait(30)
    journal = subprocess.run([BINARY, "journal", "verify", "--data", DATA], capture_output=True, text=True)
    print(f"the journal after the kill: {journal.stdout.strip() or journal.stderr.strip()}")
    if journal.returncode != 0:
        fail("the journal does not verify")
    shutil.rmtree(DATA)  # kept for inspection only when the test fails
    print(f"files crash test passed: all {len(acknowledged)} acknowledged uploads survived SIGKILL intact, no orphan remains")


if __name__ == "__main__":
    main()
