"""Starting clubd for the scripts, and writers that record what the daemon acknowledged."""
import http.client
import json
import os
import random
import re
import subprocess
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def start(BINARY, DATA):
    log = open(os.path.join(DATA, "daemon.log"), "a")
    process = subprocess.Popen([BINARY, "serve", "--data", DATA, "--port", "0", "--config", os.path.join(ROOT, "Config", "clubd.json")],
                               stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        with open(os.path.join(DATA, "daemon.log")) as file:
            ports = re.findall(r"url=https://127\.0\.0\.1:(\d+)", file.read())
        if ports and len(ports) > start.count:
            start.count = len(ports)
            return process, int(ports[-1])
        if process.poll() is not None:
            raise SystemExit("clubd exited during start")
        time.sleep(0.1)
    raise SystemExit("clubd did not start")


start.count = 0


class Writer(threading.Thread):
    """Writes as fast as it can until told to stop or the daemon dies; keeps what was acknowledged."""

    def __init__(self, index, port, club, tokens, item, struck):
        super().__init__(daemon=True)
        self.index, self.port, self.club, self.tokens, self.item, self.struck = index, port, club, tokens, item, struck
        self.clients, self.versions, self.stop = [], [], threading.Event()

    def run(self):
        connection = http.client.HTTPSConnection("localhost", self.port, context=self.club.tls, timeout=10)
        number = 0
        while not self.stop.is_set():
            number += 1
            try:
                if self.index % 2 == 0:
                    status, body = self.post(connection, "/v1/clients", self.tokens["head"], {"name": f"crash client {self.index}-{number}-{random.random()}"})
                    if status == 201:
                        self.clients.append(body["id"])
                else:
                    action, token, payload = ("reopen", self.tokens["client"], {"reason": "not accepted"}) if self.struck else ("strike", self.tokens["studio"], {"note": "done"})
                    status, body = self.post(connection, f"/v1/fix-items/{self.item}/{action}", token, payload)
                    if status == 200:
                        self.struck = not self.struck
                        version = next(i["version"] for i in body["items"] if i["id"] == self.item)
                        self.versions.append(version)
            except (OSError, http.client.HTTPException, ValueError):
                return

    @staticmethod
    def post(connection, path, token, payload):
        connection.request("POST", path, body=json.dumps(payload), headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        response = connection.getresponse()
        text = response.read()
        return response.status, json.loads(text) if text else {}
