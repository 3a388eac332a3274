"""Webhooks survive kill -9 (issue 12, item 6): the real clubd, a real HTTPS receiver
(webhook_receiver.py, which verifies every signature from the Standard Webhooks specification alone
and deduplicates by webhook-id), and three lives of the daemon on one data folder:

1. the delivery service is configured to pass only once an hour, so the events of 200+ fix-item
   strikes and reopenings pile up in the outbox; with >= 200 deliveries pending, SIGKILL;
2. restarted with a pass every second and a receiver that answers slowly, SIGKILL again while
   deliveries are in flight (sent, perhaps not yet recorded);
3. restarted once more: every event's webhook-id must arrive, verified, at least once; after the
   receiver's deduplication none is counted twice; the store shows every delivery delivered.

Usage: notify_crash.py CLUBD_BINARY"""
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from clubapi import Club  # noqa: E402
from webhook_receiver import make_certificate  # noqa: E402

BINARY = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = tempfile.mkdtemp(prefix="clubd-notify-crash-")
RECEIVER = os.path.join(DATA, "receiver")
ITEMS, CYCLES = 50, 2  # 50 items struck and reopened twice, and a few more strikes: over 200 events
EXTRA_STRIKES = 5


def configure(pass_seconds, ca_file):
    with open(os.path.join(ROOT, "Config", "clubd.json")) as file:
        config = json.load(file)
    config["webhooks"] = {"allowPrivateNetworks": True, "caFile": ca_file, "passSeconds": pass_seconds}
    path = os.path.join(DATA, "clubd-test.json")
    with open(path, "w") as file:
        json.dump(config, file)
    return path


def start_daemon(config, lives=[0]):
    log_path = os.path.join(DATA, "daemon.log")
    log = open(log_path, "a")
    process = subprocess.Popen([BINARY, "serve", "--data", DATA, "--port", "0", "--config", config], stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        with open(log_path) as file:
            ports = re.findall(r"url=https://127\.0\.0\.1:(\d+)", file.read())
        if len(ports) > lives[0]:
            lives[0] = len(ports)
            return process, int(ports[-1])
        if process.poll() is not None:
            raise SystemExit("clubd exited during start; see " + log_path)
        time.sleep(0.1)
    raise SystemExit("clubd did not start")


def start_receiver(cert, key, *extra):
    log = os.path.join(RECEIVER, "arrivals.jsonl")
    receiver = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(__file__), "webhook_receiver.py"), "--cert", cert, "--key", key,
                                 "--log", log, "--secrets", os.path.join(RECEIVER, "secrets.txt"), *extra], stdout=subprocess.PIPE, text=True)
    line = receiver.stdout.readline()
    if not line.startswith("port "):
        raise SystemExit(f"the receiver did not start: {line!r}")
    return receiver, int(line.split()[1]), log


def arrivals(log):
    try:
        with open(log) as file:
            return [json.loads(line) for line in file if line.strip()]
    except FileNotFoundError:
        return []


def store(sql):
    with sqlite3.connect(os.path.join(DATA, "clubd.sqlite"), timeout=30) as database:
        return database.execute(sql).fetchall()


def kill(process):
    process.kill()  # SIGKILL
    process.wait()


def main():
    os.makedirs(RECEIVER)
    cert, key = make_certificate(RECEIVER)
    receiver, receiver_port, log = start_receiver(cert, key, "--delay", "0.2")
    try:
        run(cert, receiver_port, log)
    finally:
        receiver.kill()
        receiver.wait()


def run(cert, receiver_port, log):
    # Life 1: events pile up; the service passes once at start and then not for an hour.
    process, port = start_daemon(configure(3600, cert))
    club = Club(f"https://localhost:{port}", DATA)
    created = club.call("POST", "/v1/webhooks", club.head, {"url": f"https://127.0.0.1:{receiver_port}/club",
                                                             "events": ["fix-item.struck", "fix-item.reopened"], "description": "crash test"}, 201)
    with open(os.path.join(RECEIVER, "secrets.txt"), "w") as file:
        file.write(created["secret"] + "\n")
    studio, client, listing = club.agreed_fix_list([{"statement": f"Item {n}", "acceptance": "checked", "due": "2030-01-01"} for n in range(ITEMS)])
    items = [item["id"] for item in listing["items"]]
    acknowledged = 0
    for _ in range(CYCLES):
        for item in items:
            club.call("POST", f"/v1/fix-items/{item}/strike", studio, {"note": "done"}, 200)
            club.call("POST", f"/v1/fix-items/{item}/reopen", client, {"reason": "not yet"}, 200)
            acknowledged += 2
    for item in items[:EXTRA_STRIKES]:
        club.call("POST", f"/v1/fix-items/{item}/strike", studio, {"note": "done"}, 200)
        acknowledged += 1
    pending = store("SELECT COUNT(*) FROM webhookDelivery WHERE status = 'pending'")[0][0]
    kill(process)
    print(f"life 1: {acknowledged} strikes and reopenings acknowledged, {pending} webhook deliveries pending, "
          f"{len(arrivals(log))} arrived; killed with SIGKILL")
    if pending < 200 or pending != acknowledged:
        raise SystemExit(f"notify crash test FAILED: expected {acknowledged} (>= 200) pending deliveries, found {pending}")

    # Life 2: a pass every second, a slow receiver; SIGKILL while deliveries are in flight.
    process, port = start_daemon(configure(1, cert))
    deadline = time.time() + 120
    while len(arrivals(log)) < 40 and time.time() < deadline:
        time.sleep(0.05)
    kill(process)
    arrived = len(arrivals(log))
    in_flight = store("SELECT COUNT(*) FROM webhookDelivery WHERE status = 'pending'")[0][0]
    print(f"life 2: {arrived} arrivals, {in_flight} still pending in the store; killed with SIGKILL mid-delivery")
    if arrived == 0 or in_flight == 0:
        raise SystemExit("notify crash test FAILED: the second kill was not in the middle of delivering")

    # Life 3: everything left is delivered.
    process, port = start_daemon(configure(1, cert))
    expected = {row[0] for row in store("SELECT messageId FROM webhookDelivery")}
    deadline = time.time() + 300
    while time.time() < deadline:
        delivered = {a["id"] for a in arrivals(log) if a["status"] == 200}
        left = store("SELECT COUNT(*) FROM webhookDelivery WHERE status <> 'delivered'")[0][0]
        if expected <= delivered and left == 0:
            break
        time.sleep(0.2)
    process.terminate()
    process.wait(30)

    records = arrivals(log)
    accepted = [a for a in records if a["status"] == 200]
    unique = {a["id"] for a in accepted}
    duplicates = [a for a in accepted if a["duplicate"]]
    unverified = [a for a in records if not a["verified"]]
    left = store("SELECT COUNT(*) FROM webhookDelivery WHERE status <> 'delivered'")[0][0]
    missing = expected - unique
    print(f"life 3: {len(records)} raw arrivals in all, {len(unique)} distinct webhook-ids accepted of {len(expected)} events, "
          f"{len(duplicates)} duplicates dropped by the receiver, {len(unverified)} unverified, {left} not delivered in the store")
    if len(expected) != acknowledged or missing or unverified or left or len(accepted) - len(duplicates) != len(unique):
        raise SystemExit(f"notify crash test FAILED: missing {sorted(missing)[:5]}, unverified {len(unverified)}, left {left}")
    integrity = store("PRAGMA integrity_check")[0][0]
    journal = subprocess.run([BINARY, "journal", "verify", "--data", DATA], capture_output=True, text=True)
    print(f"the store after three lives: integrity {integrity}; {journal.stdout.strip()}")
    if integrity != "ok" or journal.returncode != 0:
        raise SystemExit("notify crash test FAILED: the store or its journal is damaged")
    print(f"notify crash test passed: all {len(expected)} webhook deliveries survived two SIGKILLs, each id accepted once after dedup")


if __name__ == "__main__":
    main()
