"""Crash durability: 32 concurrent writers create clients and strike or reopen fix items over
TLS, recording every write the daemon acknowledged; the daemon is killed with SIGKILL in the
middle; after a restart every acknowledged write must be there, SQLite's integrity check must
pass and the journal must verify. Several rounds, each killed at a different moment.

Usage: crash_check.py CLUBD_BINARY [ROUNDS]"""
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from clubapi import Club  # noqa: E402
from daemon import Writer, start as start_daemon  # noqa: E402

BINARY = sys.argv[1]
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
WRITERS = 32
DATA = tempfile.mkdtemp(prefix="clubd-crash-")


def all_client_ids(club):
    ids, cursor = set(), None
    while True:
        page = club.call("GET", "/v1/clients?limit=200" + (f"&cursor={cursor}" if cursor else ""), club.head, expect=200)
        ids.update(client["id"] for client in page["items"])
        cursor = page.get("nextCursor")
        if not cursor:
            return ids


def main():
    process, port = start_daemon(BINARY, DATA)
    club = Club(f"https://localhost:{port}", DATA)
    studio, client, listing = club.agreed_fix_list([
        {"statement": f"Item {n}", "acceptance": "checked", "due": "2030-01-01"} for n in range(WRITERS)
    ])
    tokens = {"head": club.head, "studio": studio, "client": client}
    list_id = listing["id"]
    failures = 0
    for round_number in range(1, ROUNDS + 1):
        club = Club(f"https://localhost:{port}", DATA)
        items = club.call("GET", f"/v1/fix-lists/{list_id}", club.head, expect=200)["items"]
        writers = [Writer(n, port, club, tokens, items[n]["id"], items[n]["state"] == "struck") for n in range(WRITERS)]
        for writer in writers:
            writer.start()
        time.sleep(random.uniform(0.8, 2.5))
        process.kill()  # SIGKILL, mid-write
        process.wait()
        for writer in writers:
            writer.stop.set()
            writer.join(15)

        process, port = start_daemon(BINARY, DATA)
        club = Club(f"https://localhost:{port}", DATA)
        acknowledged_clients = [c for w in writers for c in w.clients]
        found_clients = all_client_ids(club)
        missing = [c for c in acknowledged_clients if c not in found_clients]
        after = {i["id"]: i["version"] for i in club.call("GET", f"/v1/fix-lists/{list_id}", club.head, expect=200)["items"]}
        acknowledged_items = [(w.item, max(w.versions)) for w in writers if w.versions]
        stale = [(item, version) for item, version in acknowledged_items if after[item] < version]
        acknowledged = len(acknowledged_clients) + sum(len(w.versions) for w in writers)
        found = acknowledged - len(missing) - sum(1 for _ in stale)
        with sqlite3.connect(os.path.join(DATA, "clubd.sqlite")) as database:
            integrity = database.execute("PRAGMA integrity_check").fetchone()[0]
        journal = subprocess.run([BINARY, "journal", "verify", "--data", DATA], capture_output=True, text=True)
        print(f"round {round_number}: acknowledged {acknowledged} writes ({len(acknowledged_clients)} clients, {acknowledged - len(acknowledged_clients)} strikes/reopens), "
              f"found {found}; integrity {integrity}; {journal.stdout.strip()}")
        if missing or stale or integrity != "ok" or journal.returncode != 0 or acknowledged == 0:
            failures += 1
            print(f"  missing clients: {missing[:5]}, stale items: {stale[:5]}")
    process.terminate()
    process.wait(30)
    if failures:
        raise SystemExit(f"crash test FAILED in {failures} of {ROUNDS} rounds")
    print(f"crash test passed: {ROUNDS} rounds, every acknowledged write survived SIGKILL")


if __name__ == "__main__":
    try:
        main()
    finally:
        subprocess.run(["rm", "-rf", DATA])
