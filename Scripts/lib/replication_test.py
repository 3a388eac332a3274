"""Losing the machine (issue 20): the real clubd serves with Litestream replicating its database to a folder that stands
for another machine; 16 concurrent writers create clients over HTTPS and record each acknowledged write with the time of
its acknowledgement; clubd and Litestream are killed with SIGKILL at the same instant and the data folder is deleted.
The database is restored from the replica (`clubd restore --from-replica`), clubd starts on it, and each round reports the acknowledged writes
recovered and lost, how long before the kill the oldest lost one was acknowledged (the measured recovery point: every
write after it is lost too, Litestream shipping a prefix of the WAL), SQLite's integrity check and `clubd journal verify`; beside them, what clubd's /metrics said of the replica's lag a moment before the kill.
Then point in time: a restore with a timestamp taken between two phases of writes brings back the first phase only,
chain verified; within the first phase, Litestream is stopped (SIGSTOP) and clubd's /metrics must count the writes
it has not replicated and their age, then zero again after SIGCONT.

Usage: replication_test.py CLUBD_BINARY LITESTREAM_BINARY [ROUNDS]"""
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import threading
import shlex
import time
import urllib.parse
import urllib.request
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(__file__))
from clubapi import Club  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY, LITESTREAM = sys.argv[1], sys.argv[2]
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 3
WRITERS = 16
# Fails the run: far beyond the goal of 2 s, a sign that replication stalled rather than lagged.
RECOVERY_POINT_LIMIT = 5.0
WORK = tempfile.mkdtemp(prefix="clubd-replication-")
started = []


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Machine:
    """One round's world: the data folder (the machine that is lost), the replica folder (the other machine), the
    configuration files of clubd and Litestream."""

    def __init__(self, name):
        self.folder = os.path.join(WORK, name)
        self.data = os.path.join(self.folder, "data")
        self.replica = os.path.join(self.folder, "replica")
        self.metrics_port = free_port()
        os.makedirs(self.data)
        with open(os.path.join(ROOT, "Config", "clubd.json")) as file:
            settings = json.load(file)
        # clubd leaves the checkpoints to Litestream (docs/design.md §11.4), as the operator guide says to.
        # and reads Litestream's metrics for the replica's lag, at the address Litestream's configuration gives it.
        settings["database"] = {"litestream": True, "litestreamMetrics": f"http://127.0.0.1:{self.metrics_port}/metrics"}
        self.clubd_config = os.path.join(self.folder, "clubd.json")
        with open(self.clubd_config, "w") as file:
            json.dump(settings, file)
        self.litestream_config = os.path.join(self.folder, "litestream.yml")
        # Config/litestream.yml itself, its paths and metrics port moved into this round's folders.
        with open(os.path.join(ROOT, "Config", "litestream.yml")) as file:
            shipped = file.read()
        replaced = (shipped.replace("127.0.0.1:9090", f"127.0.0.1:{self.metrics_port}")
                    .replace("/var/lib/clubd/clubd.sqlite", f"{self.data}/clubd.sqlite")
                    .replace("/mnt/clubd-replica/clubd", self.replica))
        assert replaced.count(self.folder) == 2 and str(self.metrics_port) in replaced, "Config/litestream.yml changed shape"
        with open(self.litestream_config, "w") as file:
            file.write(replaced)
        self.log_path = os.path.join(self.folder, "clubd.log")
        self.starts = 0

    def start_clubd(self):
        log = open(self.log_path, "a")
        process = subprocess.Popen([BINARY, "serve", "--data", self.data, "--port", "0", "--config", self.clubd_config],
                                   stdout=log, stderr=subprocess.STDOUT)
        started.append(process)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with open(self.log_path) as file:
                ports = re.findall(r"url=https://127\.0\.0\.1:(\d+)", file.read())
            if len(ports) > self.starts:
                self.starts = len(ports)
                return process, int(ports[-1])
            if process.poll() is not None:
                raise SystemExit(f"clubd exited during start:\n{open(self.log_path).read()[-2000:]}")
            time.sleep(0.1)
        raise SystemExit("clubd did not start")

    def start_litestream(self):
        log = open(os.path.join(self.folder, "litestream.log"), "a")
        process = subprocess.Popen([LITESTREAM, "replicate", "-config", self.litestream_config], stdout=log, stderr=subprocess.STDOUT)
        started.append(process)
        return process

    def tls(self):
        return ssl.create_default_context(cafile=os.path.join(self.data, "tls", "ca.pem"))

    def litestream_metrics(self):
        """Litestream's own counters: WAL bytes read from the database and shipped to the replica, and its syncs."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=2) as response:
                text = response.read().decode()
        except OSError:
            return {}
        return prometheus_values(text, ("litestream_total_wal_bytes", "litestream_replica_wal_bytes", "litestream_sync_count"))


def prometheus_values(text, names):
    values = {}
    for name in names:
        found = re.search(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.MULTILINE)
        if found:
            values[name] = float(found.group(1))
    return values


def clubd_metrics(port, tls, token):
    """How far behind clubd says its replica is, from Litestream's report and the journal (its /metrics)."""
    connection = http.client.HTTPSConnection("localhost", port, context=tls, timeout=30)
    connection.request("GET", "/metrics", headers={"Authorization": f"Bearer {token}"})
    text = connection.getresponse().read().decode()
    connection.close()
    return prometheus_values(text, ("clubd_replica_reachable", "clubd_replica_lag_seconds", "clubd_replica_events_behind",
                                    "clubd_replica_backlog_bytes"))


class Writer(threading.Thread):
    """Creates clients as fast as the daemon answers until it dies; keeps each acknowledged id with its time."""

    def __init__(self, index, port, tls, token, prefix):
        super().__init__(daemon=True)
        self.index, self.port, self.tls, self.token, self.prefix = index, port, tls, token, prefix
        self.acknowledged, self.stop = [], threading.Event()

    def run(self):
        connection = http.client.HTTPSConnection("localhost", self.port, context=self.tls, timeout=10)
        number = 0
        while not self.stop.is_set():
            number += 1
            try:
                body = json.dumps({"name": f"{self.prefix} {self.index}-{number}"})
                connection.request("POST", "/v1/clients", body=body,
                                   headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
                response = connection.getresponse()
                text = response.read()
                if response.status == 201:
                    self.acknowledged.append((json.loads(text)["id"], time.time()))
            except (OSError, http.client.HTTPException, ValueError):
                return


def call(port, tls, token, method, path, body=None):
    connection = http.client.HTTPSConnection("localhost", port, context=tls, timeout=30)
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    return response.status, json.loads(text) if text else {}


def all_client_ids(port, tls, token):
    ids, cursor = set(), None
    while True:
        status, page = call(port, tls, token, "GET", "/v1/clients?limit=200" + (f"&cursor={cursor}" if cursor else ""))
        assert status == 200, f"GET /v1/clients: {status} {page}"
        ids.update(client["id"] for client in page["items"])
        cursor = page.get("nextCursor")
        if not cursor:
            return ids


def restore(machine, timestamp=None, files=None):
    """Brings the database back from the replica into the (new, empty) data folder; returns clubd's report."""
    extra = ([] if timestamp is None else ["--timestamp", timestamp]) + ([] if files is None else ["--files", files])
    command = [BINARY, "restore", "--data", machine.data, "--from-replica", machine.litestream_config, "--litestream", LITESTREAM] + extra
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"clubd restore --from-replica failed: {result.stdout}{result.stderr}")
    return "clubd restore --from-replica", result.stdout.strip()


def checks(machine):
    with sqlite3.connect(os.path.join(machine.data, "clubd.sqlite")) as database:
        integrity = database.execute("PRAGMA integrity_check").fetchone()[0]
    journal = subprocess.run([BINARY, "journal", "verify", "--data", machine.data], capture_output=True, text=True)
    return integrity, journal


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(60)


def lose_the_machine(round_number):
    machine = Machine(f"round-{round_number}")
    clubd, port = machine.start_clubd()
    with open(os.path.join(machine.data, "bootstrap-token")) as file:
        head = file.read().strip()
    litestream = machine.start_litestream()
    tls = machine.tls()
    writers = [Writer(n, port, tls, head, f"round {round_number} client") for n in range(WRITERS)]
    for writer in writers:
        writer.start()
    time.sleep(random.uniform(3.0, 6.0))
    reported = clubd_metrics(port, tls, head)
    # The same instant for both: the machine is gone, not shut down.
    killed_at = time.time()
    os.kill(clubd.pid, signal.SIGKILL)
    os.kill(litestream.pid, signal.SIGKILL)
    clubd.wait()
    litestream.wait()
    for writer in writers:
        writer.stop.set()
        writer.join(15)
    shutil.rmtree(machine.data)
    os.makedirs(machine.data)

    via, report = restore(machine)
    clubd, port = machine.start_clubd()
    tls = machine.tls()
    found = all_client_ids(port, tls, head)
    acknowledged = [write for writer in writers for write in writer.acknowledged]
    lost = [(client, at) for client, at in acknowledged if client not in found]
    # The recovery point: how far back before the loss acknowledged work is gone, the age at the kill of the oldest lost
    # write (the newest lost one was acknowledged just before the kill; every write after the oldest lost one is lost).
    recovery_point = max(0.0, killed_at - min(at for _, at in lost)) if lost else 0.0
    newest_lost = max(0.0, killed_at - max(at for _, at in lost)) if lost else 0.0
    # Litestream ships a prefix of the WAL: a write recovered although acknowledged after a lost one can only be two
    # writers' acknowledgements overtaking each other by a few milliseconds.
    oldest_lost_at = min((at for _, at in lost), default=killed_at)
    overtaking = [at - oldest_lost_at for client, at in acknowledged if client in found and at > oldest_lost_at]
    integrity, journal = checks(machine)
    stop(clubd)
    behind = (f"; clubd's /metrics a moment before: replica {reported.get('clubd_replica_lag_seconds', -1):.2f} s, "
              f"{reported.get('clubd_replica_events_behind', -1):.0f} events, "
              f"{reported.get('clubd_replica_backlog_bytes', -1):.0f} WAL bytes behind")
    print(f"round {round_number}: acknowledged {len(acknowledged)} writes, recovered {len(acknowledged) - len(lost)}, lost {len(lost)}; "
          f"lost writes acknowledged from {recovery_point:.2f} s to {newest_lost:.2f} s before the kill; "
          f"recovery point {recovery_point:.2f} s{behind}")
    print(f"  restored via {via}: {report.splitlines()[0] if report else ''}")
    print(f"  {len(overtaking)} recovered write(s) acknowledged after the oldest lost one"
          + (f" (by at most {max(overtaking) * 1000:.0f} ms)" if overtaking else ""))
    print(f"  integrity {integrity}; {journal.stdout.strip()}")
    ok = (integrity == "ok" and journal.returncode == 0 and acknowledged and recovery_point < RECOVERY_POINT_LIMIT
          and all(gap < 0.1 for gap in overtaking))
    return ok, recovery_point


def wait_until_replicated(machine):
    """Until Litestream's replica holds everything committed before this call (a condition, polled): two of its syncs
    began afterwards, and it has shipped every WAL byte it read, by its own counters."""
    start = machine.litestream_metrics().get("litestream_sync_count", 0)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        now = machine.litestream_metrics()
        if (now.get("litestream_sync_count", 0) >= start + 2
                and now.get("litestream_replica_wal_bytes", -1) >= now.get("litestream_total_wal_bytes", 0)):
            return
        time.sleep(0.1)
    raise SystemExit("Litestream did not replicate within 30 s")


def wait_until_clubd_says(port, tls, token, condition, what):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        values = clubd_metrics(port, tls, token)
        if condition(values):
            return values
        time.sleep(0.2)
    raise SystemExit(f"clubd's /metrics did not say {what} within 30 s: {values}")


def watching_the_lag(machine, litestream, port, tls, head):
    """clubd's /metrics follows the replica: all replicated while Litestream keeps up; with Litestream stopped (SIGSTOP,
    as a hung process or a cut network leaves it) the writes since are counted and their age grows; after SIGCONT it
    catches up and the lag is back to zero. Returns the clients it wrote."""
    caught_up = lambda values: values.get("clubd_replica_reachable") == 1 and values.get("clubd_replica_events_behind") == 0
    wait_until_clubd_says(port, tls, head, caught_up, "the replica caught up")
    os.kill(litestream.pid, signal.SIGSTOP)
    first_write = time.time()
    written = [call(port, tls, head, "POST", "/v1/clients", {"name": f"unreplicated client {n}"})[1]["id"] for n in range(5)]
    behind = wait_until_clubd_says(
        port, tls, head,
        lambda values: values.get("clubd_replica_reachable") == 0 and values.get("clubd_replica_lag_seconds", 0) >= 3,
        "Litestream unreachable and the replica 3 s behind")
    age = time.time() - first_write
    os.kill(litestream.pid, signal.SIGCONT)
    resumed = time.monotonic()
    wait_until_clubd_says(port, tls, head, caught_up, "the replica caught up after SIGCONT")
    ok = behind.get("clubd_replica_events_behind") == len(written) and behind["clubd_replica_lag_seconds"] <= age + 0.5
    print(f"watching the lag: with Litestream stopped, clubd said {behind['clubd_replica_events_behind']:.0f} events "
          f"{behind['clubd_replica_lag_seconds']:.2f} s behind (the oldest written {age:.2f} s before), unreachable; "
          f"caught up {time.monotonic() - resumed:.1f} s after SIGCONT" + ("" if ok else " — WRONG"))
    return ok, written


def evidence_on_the_fix_list(port, machine):
    """The reference case up to an agreed fix list, and three evidence files the client uploads to it."""
    club = Club(f"https://localhost:{port}", machine.data)
    items = [{"statement": f"Item {n}", "acceptance": "checked", "due": "2030-01-01"} for n in range(3)]
    _, client, listing = club.agreed_fix_list(items)
    uploaded = []
    for number, item in enumerate(listing["items"]):
        query = urllib.parse.urlencode({"name": f"evidence-{number}.txt", "caption": "replication test"})
        connection = http.client.HTTPSConnection("localhost", port, context=machine.tls(), timeout=30)
        connection.request("POST", f"/v1/fix-items/{item['id']}/files?{query}", body=f"evidence {number} {os.urandom(8).hex()}\n",
                           headers={"Authorization": f"Bearer {client}", "Content-Type": "text/plain"})
        response = connection.getresponse()
        answer = json.loads(response.read().decode())
        connection.close()
        assert response.status == 201, f"upload: {response.status} {answer}"
        uploaded.append(answer["sha256"])
    return uploaded


def copy_files_as_the_unit_does(machine):
    """Runs Config/clubd-files-replica.service's own command, its paths moved into this round's folders."""
    with open(os.path.join(ROOT, "Config", "clubd-files-replica.service")) as file:
        command = re.search(r"^ExecStart=(.*)$", file.read(), re.MULTILINE).group(1)
    target = os.path.join(machine.replica, "files")
    os.makedirs(target, exist_ok=True)
    command = command.replace("/var/lib/clubd/", machine.data + "/").replace("${CLUBD_FILES_REPLICA}", target)
    subprocess.run(shlex.split(command), check=True)
    return target


def point_in_time():
    machine = Machine("point-in-time")
    clubd, port = machine.start_clubd()
    with open(os.path.join(machine.data, "bootstrap-token")) as file:
        head = file.read().strip()
    litestream = machine.start_litestream()
    tls = machine.tls()
    evidence = evidence_on_the_fix_list(port, machine)
    before = [call(port, tls, head, "POST", "/v1/clients", {"name": f"earlier client {n}"})[1]["id"] for n in range(20)]
    lag_ok, unreplicated = watching_the_lag(machine, litestream, port, tls, head)
    before += unreplicated
    wait_until_replicated(machine)
    # Whole seconds, as an operator types them; the second phase starts after it.
    moment = datetime.fromtimestamp(int(time.time()) + 1, timezone.utc)
    while time.time() < moment.timestamp() + 1.0:
        time.sleep(0.1)
    after = [call(port, tls, head, "POST", "/v1/clients", {"name": f"later client {n}"})[1]["id"] for n in range(20)]
    stop(clubd)
    # clubd's graceful stop leaves the WAL to Litestream: SQLite skips the closing checkpoint while Litestream's
    # connection is open, so Litestream keeps its generation instead of starting a new one from a snapshot.
    wal = os.path.join(machine.data, "clubd.sqlite-wal")
    wal_left = os.path.exists(wal) and os.path.getsize(wal) > 0
    wait_until_replicated(machine)
    stop(litestream)
    files_replica = copy_files_as_the_unit_does(machine)
    generations = os.listdir(os.path.join(machine.replica, "generations"))
    shutil.rmtree(machine.data)
    os.makedirs(machine.data)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    # Without the evidence files' copy the restore refuses, and changes nothing.
    without = subprocess.run([BINARY, "restore", "--data", machine.data, "--from-replica", machine.litestream_config,
                              "--litestream", LITESTREAM, "--timestamp", stamp], capture_output=True, text=True)
    refused = without.returncode != 0 and not os.path.exists(os.path.join(machine.data, "clubd.sqlite"))
    print(f"  without the evidence files: exit {without.returncode}, "
          f"{(without.stderr.strip() or without.stdout.strip()).splitlines()[-1] if (without.stderr or without.stdout) else ''}")
    via, report = restore(machine, timestamp=stamp, files=files_replica)
    clubd, port = machine.start_clubd()
    found = all_client_ids(port, machine.tls(), head)
    integrity, journal = checks(machine)
    stop(clubd)
    restored_files = sum(1 for sha in evidence if os.path.exists(os.path.join(machine.data, "files", sha)))
    print(f"  evidence files: {len(evidence)} uploaded, copied off by the unit's rsync, {restored_files} back in files/")
    earlier = sum(1 for client in before if client in found)
    later = sum(1 for client in after if client in found)
    print(f"point in time {stamp}: {earlier} of {len(before)} earlier clients back, {later} of {len(after)} later ones; "
          f"integrity {integrity}; {journal.stdout.strip()}")
    print(f"  restored via {via}: {report.splitlines()[0] if report else ''}")
    print(f"  clubd's graceful stop {'left the WAL to Litestream' if wal_left else 'CHECKPOINTED the WAL away'}; "
          f"{len(generations)} generation(s) in the replica")
    return (earlier == len(before) and later == 0 and integrity == "ok" and journal.returncode == 0 and wal_left
            and len(generations) == 1 and lag_ok and refused and restored_files == len(evidence))


def main():
    print(f"litestream {subprocess.run([LITESTREAM, 'version'], capture_output=True, text=True).stdout.strip()}, "
          f"{WRITERS} writers, {ROUNDS} rounds")
    failures, points = 0, []
    for round_number in range(1, ROUNDS + 1):
        ok, recovery_point = lose_the_machine(round_number)
        points.append(recovery_point)
        failures += 0 if ok else 1
    worst = max(points)
    goal = "within" if worst < 2.0 else "NOT within"
    print(f"measured recovery point: worst {worst:.2f} s over {ROUNDS} rounds ({goal} the goal of 2 s)")
    if not point_in_time():
        failures += 1
        print("point in time FAILED")
    if failures:
        raise SystemExit(f"replication test FAILED ({failures} failure(s))")
    print("replication test passed")


if __name__ == "__main__":
    try:
        main()
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait()
        if os.environ.get("KEEP_REPLICATION_WORK"):
            print(f"work kept in {WORK}")
        else:
            shutil.rmtree(WORK, ignore_errors=True)
