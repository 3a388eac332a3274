"""Online backup under load: writers keep writing and uploading evidence files while
`clubd backup --to FILE` copies the live database and its files; the copy must open, pass SQLite's
integrity check, verify its journal, hold every write acknowledged before the backup began, and
FILE-files must hold exactly the contents the copy's file rows name, each intact by its SHA-256.

Usage: backup_check.py CLUBD_BINARY"""
import hashlib
import http.client
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from clubapi import Club  # noqa: E402
from daemon import Writer, start  # noqa: E402

BINARY = sys.argv[1]
DATA = tempfile.mkdtemp(prefix="clubd-backup-")
WRITERS = 8
# Fix items only the uploader touches: the writers strike and reopen theirs.
UPLOAD_ITEMS = 4
# Below the default limit of files per object (50), so that no upload is refused for it.
UPLOADS_PER_ITEM = 40


class Uploader(threading.Thread):
    """Uploads small text files to its fix items until told to stop; keeps the acknowledged ones as (id, sha256)."""

    def __init__(self, port, club, token, items):
        super().__init__(daemon=True)
        self.port, self.club, self.token, self.items = port, club, token, items
        self.acknowledged, self.refusals, self.stop = [], [], threading.Event()

    def run(self):
        connection = http.client.HTTPSConnection("localhost", self.port, context=self.club.tls, timeout=10)
        for number in range(len(self.items) * UPLOADS_PER_ITEM):
            if self.stop.is_set():
                return
            content = f"evidence {number} {os.urandom(8).hex()}\n".encode()
            item = self.items[number % len(self.items)]
            query = urllib.parse.urlencode({"name": f"note-{number}.txt", "caption": "backup check"})
            try:
                connection.request("POST", f"/v1/fix-items/{item}/files?{query}", body=content,
                                   headers={"Authorization": f"Bearer {self.token}", "Content-Type": "text/plain"})
                response = connection.getresponse()
                text = response.read().decode()
            except (OSError, http.client.HTTPException):
                return
            if response.status == 201:
                self.acknowledged.append(upload_id(text, content))
            else:
                self.refusals.append(f"{response.status}: {text}")


def upload_id(text, content):
    answer = json.loads(text)
    if answer["sha256"] != hashlib.sha256(content).hexdigest():
        raise SystemExit(f"the upload's answer names {answer['sha256']}, not the content's hash")
    return answer["id"], answer["sha256"]


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(65536), b""):
            digest.update(block)
    return digest.hexdigest()


def download_case_file(club, engagement):
    request = urllib.request.Request(f"{club.base}/v1/engagements/{engagement}/case-file", headers={"Authorization": f"Bearer {club.head}"})
    with urllib.request.urlopen(request, context=club.tls, timeout=30) as response:
        return response.read()


def check_case_file(document, files, contents):
    """`clubd journal verify --case-file` with two of the backed-up contents beside the case file: intact, then one altered."""
    folder = os.path.join(DATA, "case")
    os.makedirs(folder)
    path = os.path.join(folder, "case-file.json")
    with open(path, "wb") as file:
        file.write(document)
    listed = len(json.loads(document).get("files", []))
    for name in contents[:2]:
        with open(os.path.join(files, name), "rb") as source, open(os.path.join(folder, name), "wb") as target:
            target.write(source.read())
    intact = subprocess.run([BINARY, "journal", "verify", "--case-file", path], capture_output=True, text=True)
    with open(os.path.join(folder, contents[1]), "r+b") as file:
        first = file.read(1)
        file.seek(0)
        file.write(bytes([first[0] ^ 1]))
    altered = subprocess.run([BINARY, "journal", "verify", "--case-file", path], capture_output=True, text=True)
    def last_line(result):
        return (result.stdout.strip().splitlines() or [result.stderr.strip()])[-1]
    print(f"case file: {listed} files listed; beside it: {last_line(intact)}; one altered: exit {altered.returncode}, {last_line(altered)}")
    failures = []
    # Every upload's content is different, so each content beside it is one listed file.
    if intact.returncode != 0 or listed < 3 or f"2 files intact, {listed - 2} absent" not in intact.stdout:
        failures.append(f"the case file with intact files beside it: {intact.stdout} {intact.stderr}")
    if altered.returncode != 1 or "MISMATCH" not in altered.stdout or "case file broken: file fil_" not in altered.stdout:
        failures.append(f"the case file with an altered file beside it: {altered.stdout} {altered.stderr}")
    return failures


def start_restored(restored):
    """Starts clubd on the restored folder and returns what its start-up check of the files said."""
    # `start` counts the ports announced in the log it reads: this folder's log is new.
    start.count = 0
    process, _ = start(BINARY, restored)
    process.terminate()
    process.wait(30)
    with open(os.path.join(restored, "daemon.log")) as file:
        lines = [line.strip() for line in file if "evidence files checked" in line]
    return lines[-1] if lines else "no start-up check of the files in the log"


def main():
    process, port = start(BINARY, DATA)
    club = Club(f"https://localhost:{port}", DATA)
    items = [{"statement": f"Item {n}", "acceptance": "checked", "due": "2030-01-01"} for n in range(WRITERS + UPLOAD_ITEMS)]
    studio, client, listing = club.agreed_fix_list(items)
    tokens = {"head": club.head, "studio": studio, "client": client}
    writers = [Writer(n, port, club, tokens, listing["items"][n]["id"], False) for n in range(WRITERS)]
    uploader = Uploader(port, club, client, [item["id"] for item in listing["items"][WRITERS:]])
    for thread in writers + [uploader]:
        thread.start()
    time.sleep(1.5)
    # On a busy machine the first upload may take longer than the writers' first writes: wait for one, not for a time.
    deadline = time.monotonic() + 60
    while not uploader.acknowledged and time.monotonic() < deadline:
        time.sleep(0.1)
    before = {c for w in writers for c in w.clients}
    uploaded_before = list(uploader.acknowledged)
    copy = os.path.join(DATA, "copy.sqlite")
    files = copy + "-files"
    backup = subprocess.run([BINARY, "backup", "--to", copy, "--data", DATA], capture_output=True, text=True)
    time.sleep(0.5)
    for thread in writers + [uploader]:
        thread.stop.set()
        thread.join(15)
    try:
        case_file = download_case_file(club, listing["engagementId"])
    finally:
        process.terminate()
        process.wait(30)
    if backup.returncode != 0:
        raise SystemExit(f"backup FAILED: {backup.stdout} {backup.stderr}")
    with sqlite3.connect(copy) as database:
        integrity = database.execute("PRAGMA integrity_check").fetchone()[0]
        copied = {row[0] for row in database.execute("SELECT id FROM client")}
        file_rows = dict(database.execute("SELECT id, sha256 FROM evidenceFile").fetchall())
    contents = set(os.listdir(files))
    damaged = sorted(name for name in contents if sha256_of(os.path.join(files, name)) != name)
    lost_uploads = [file_id for file_id, sha in uploaded_before if file_rows.get(file_id) != sha]
    case_file_failures = check_case_file(case_file, files, sorted(contents))
    restored = os.path.join(DATA, "restored")
    os.makedirs(restored)
    os.rename(copy, os.path.join(restored, "clubd.sqlite"))
    os.rename(files, os.path.join(restored, "files"))
    journal = subprocess.run([BINARY, "journal", "verify", "--data", restored], capture_output=True, text=True)
    repair = start_restored(restored)
    missing = before - copied
    after = {c for w in writers for c in w.clients}
    print(f"backup while writing: {len(before)} clients acknowledged before the backup began, {len(before) - len(missing)} in the copy "
          f"({len(copied)} in all, {len(after)} acknowledged by the end); integrity {integrity}; {journal.stdout.strip()}")
    print(f"files: {len(uploaded_before)} uploads acknowledged before the backup began, {len(uploaded_before) - len(lost_uploads)} in the copy "
          f"({len(file_rows)} rows in all, {len(uploader.acknowledged)} acknowledged by the end); {len(contents)} contents in FILE-files, "
          f"{len(damaged)} damaged; {backup.stdout.strip()}; restored and started: {repair}")
    failures = []
    if missing or integrity != "ok" or journal.returncode != 0 or not before:
        failures.append("database copy")
    if contents != set(file_rows.values()):
        failures.append(f"FILE-files holds {sorted(contents - set(file_rows.values()))} unreferenced and lacks "
                        f"{sorted(set(file_rows.values()) - contents)}")
    if damaged:
        failures.append(f"damaged contents {damaged}")
    if lost_uploads or not uploaded_before:
        failures.append(f"uploads acknowledged before the backup but not in it: {lost_uploads}" if lost_uploads else "no upload before the backup")
    if uploader.refusals:
        failures.append(f"uploads refused: {uploader.refusals[:3]}")
    if f"{len(contents)} files in {files}" not in backup.stdout:
        failures.append(f"the backup did not report its files: {backup.stdout.strip()}")
    failures += case_file_failures
    if "0 lost" not in repair:
        failures.append(f"the restored daemon's start-up check: {repair}")
    if failures:
        raise SystemExit("backup check FAILED: " + "; ".join(failures))
    print("backup check passed")


if __name__ == "__main__":
    try:
        main()
    finally:
        subprocess.run(["rm", "-rf", DATA])
