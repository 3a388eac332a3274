"""Online backup under load: writers keep writing while `clubd backup --to FILE` copies the live
database; the copy must open, pass SQLite's integrity check, verify its journal, and hold every
write acknowledged before the backup began.

Usage: backup_check.py CLUBD_BINARY"""
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from clubapi import Club  # noqa: E402
from daemon import Writer, start  # noqa: E402

BINARY = sys.argv[1]
DATA = tempfile.mkdtemp(prefix="clubd-backup-")


def main():
    process, port = start(BINARY, DATA)
    club = Club(f"https://localhost:{port}", DATA)
    studio, client, listing = club.agreed_fix_list([{"statement": f"Item {n}", "acceptance": "checked", "due": "2030-01-01"} for n in range(8)])
    tokens = {"head": club.head, "studio": studio, "client": client}
    writers = [Writer(n, port, club, tokens, listing["items"][n]["id"], False) for n in range(8)]
    for writer in writers:
        writer.start()
    time.sleep(1.5)
    before = {c for w in writers for c in w.clients}
    copy = os.path.join(DATA, "copy.sqlite")
    backup = subprocess.run([BINARY, "backup", "--to", copy, "--data", DATA], capture_output=True, text=True)
    time.sleep(0.5)
    for writer in writers:
        writer.stop.set()
        writer.join(15)
    process.terminate()
    process.wait(30)
    if backup.returncode != 0:
        raise SystemExit(f"backup FAILED: {backup.stdout} {backup.stderr}")
    with sqlite3.connect(copy) as database:
        integrity = database.execute("PRAGMA integrity_check").fetchone()[0]
        copied = {row[0] for row in database.execute("SELECT id FROM client")}
    restored = os.path.join(DATA, "restored")
    os.makedirs(restored)
    os.rename(copy, os.path.join(restored, "clubd.sqlite"))
    journal = subprocess.run([BINARY, "journal", "verify", "--data", restored], capture_output=True, text=True)
    missing = before - copied
    after = {c for w in writers for c in w.clients}
    print(f"backup while writing: {len(before)} clients acknowledged before the backup began, {len(before) - len(missing)} in the copy "
          f"({len(copied)} in all, {len(after)} acknowledged by the end); integrity {integrity}; {journal.stdout.strip()}")
    if missing or integrity != "ok" or journal.returncode != 0 or not before:
        raise SystemExit("backup check FAILED")
    print("backup check passed")


if __name__ == "__main__":
    try:
        main()
    finally:
        subprocess.run(["rm", "-rf", DATA])
