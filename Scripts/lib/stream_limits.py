"""Bounded event streams and connections against the real clubd (issue 14, item 3; docs/design.md §6.1).

Starts clubd with small limits (streams: 5 per link, 4 per session, 8 per address, 20 in total; 12 connections per
address) and, from several loopback source addresses (Linux routes all of 127/8 to lo):
- opens raw connections past the per-address cap: exactly the cap stay open, the rest are closed at once, before TLS;
  once they close, a new connection from that address is served;
- opens share-page streams past one link's limit, console streams past one person's, streams past one address's and
  past the total: 429 (or 503 for the total) with Retry-After and a line naming the limit;
- reads the limits and counts in /metrics;
- floods the full daemon with hundreds of refused streams and connections while it samples VmRSS and times
  GET /v1/health and GET /v1/me against their own baseline measured first;
- closes the streams and sees their slots admit new ones.

Usage: stream_limits.py CLUBD_BINARY
       stream_limits.py --probe PORT TOKEN CAFILE ROUNDS (the timing client, a process of its own: the flood's
       event loop must not delay its clock)"""
import asyncio
import http.client
import json
import os
import re
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from clubapi import Club  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = sys.argv[1]
DATA = tempfile.mkdtemp(prefix="clubd-limits-") if BINARY != "--probe" else None
LIMITS = {"streamsPerLink": 5, "streamsPerSession": 4, "streamsPerAddress": 8, "streamsTotal": 20, "connectionsPerAddress": 12}
PASSWORD = "limits-check-Pa55phrase"
# Stated bounds: the flood may raise resident memory by at most this much over the baseline with the streams open,
# and an ordinary request's median time may grow to at most this many times its baseline (or by this many seconds).
RSS_GROWTH_MIB = 64
SLOWDOWN_FACTOR, SLOWDOWN_SECONDS = 5, 0.4
FAILURES = []


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message, flush=True)
    if not condition:
        FAILURES.append(message)


def start():
    """clubd on a free port with the project's configuration plus small limits and a long idle timeout."""
    with open(os.path.join(ROOT, "Config", "clubd.json")) as file:
        config = json.load(file)
    config["limits"] = LIMITS
    # Raw connections that never start TLS must outlive the checks that count them.
    config["http"] = {"idleTimeoutSeconds": 300}
    path = os.path.join(DATA, "limits.json")
    with open(path, "w") as file:
        json.dump(config, file)
    log = open(os.path.join(DATA, "daemon.log"), "a")
    process = subprocess.Popen([BINARY, "serve", "--data", DATA, "--port", "0", "--config", path], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with open(os.path.join(DATA, "daemon.log")) as file:
            ports = re.findall(r"url=https://127\.0\.0\.1:(\d+)", file.read())
        if ports:
            return process, path, int(ports[-1])
        if process.poll() is not None:
            raise SystemExit("clubd exited during start:\n" + open(os.path.join(DATA, "daemon.log")).read())
        time.sleep(0.1)
    raise SystemExit("clubd did not start")


def refuses_a_zero_limit():
    """A limit of 0 would refuse every stream: the daemon stops at start naming the key and the value."""
    with open(os.path.join(ROOT, "Config", "clubd.json")) as file:
        config = json.load(file)
    config["limits"] = dict(LIMITS, streamsPerLink=0)
    path = os.path.join(DATA, "zero.json")
    with open(path, "w") as file:
        json.dump(config, file)
    result = subprocess.run([BINARY, "serve", "--data", os.path.join(DATA, "zero"), "--port", "0", "--config", path],
                            capture_output=True, text=True, timeout=60)
    said = (result.stderr + result.stdout).strip().splitlines()
    check(result.returncode != 0 and any("limits.streamsPerLink" in line and "0" in line for line in said),
          f"limits.streamsPerLink 0 stops the start: exit {result.returncode}, “{said[-1] if said else ''}”")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as file:
        kib = next(int(line.split()[1]) for line in file if line.startswith("VmRSS:"))
    return kib / 1024


def signed_in_cookie(port, tls, config):
    """A coordinator invited with `clubd person invite`, a password set on the invitation page, signed in: the session cookie."""
    result = subprocess.run([BINARY, "person", "invite", "--data", DATA, "--config", config, "--email", "limits@example.org",
                             "--role", "coordinator", "--name", "Limits Checker", "--language", "en"], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise SystemExit(f"clubd person invite failed: {result.stderr}")
    path = re.sub(r"^https://[^/]+", "", result.stdout.strip().splitlines()[0])
    form = {"Content-Type": "application/x-www-form-urlencoded", "Host": f"localhost:{port}"}
    connection = http.client.HTTPSConnection("localhost", port, context=tls, timeout=30)
    connection.request("POST", path, body=urllib.parse.urlencode({"password": PASSWORD, "repeat": PASSWORD}), headers=form)
    answer = connection.getresponse()
    answer.read()
    if answer.status not in (200, 303):
        raise SystemExit(f"setting the password answered {answer.status}")
    connection.request("POST", "/sign-in", body=urllib.parse.urlencode({"email": "limits@example.org", "password": PASSWORD}), headers=form)
    answer = connection.getresponse()
    answer.read()
    cookie = next((value.split(";")[0] for name, value in answer.getheaders() if name.lower() == "set-cookie" and value.startswith("clubd_session=")), None)
    if answer.status != 303 or not cookie:
        raise SystemExit(f"sign-in answered {answer.status} without a session")
    return cookie


class Stream:
    """One request for an event stream from a given source address; `held` while its 200 stream stays open."""

    def __init__(self, status, headers, body, writer):
        self.status, self.headers, self.body, self.writer = status, headers, body, writer

    def close(self):
        if self.writer:
            self.writer.close()
            self.writer = None


async def open_stream(port, tls, path, source, cookie=None):
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port, ssl=tls, server_hostname="localhost", local_addr=(source, 0)), 20)
    extra = f"Cookie: {cookie}\r\n" if cookie else ""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\nAccept: text/event-stream\r\n{extra}\r\n".encode())
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 20)
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:] if line)}
    if status == 200:
        # The stream has begun once its first lines arrive.
        body = await asyncio.wait_for(reader.readuntil(b": connected\n\n"), 20)
        return Stream(status, headers, body.decode(errors="replace"), writer)
    length = int(headers.get("content-length", "0"))
    body = await asyncio.wait_for(reader.readexactly(length), 20) if length else b""
    writer.close()
    return Stream(status, headers, body.decode(errors="replace"), None)


async def expect_streams(port, tls, path, source, count, what, cookie=None):
    streams = [await open_stream(port, tls, path, source, cookie) for _ in range(count)]
    check(all(s.status == 200 for s in streams), f"{what}: {count} streams admitted ({[s.status for s in streams]})")
    return streams


async def expect_refused(port, tls, path, source, status, retry_after, words, what, cookie=None):
    refused = await open_stream(port, tls, path, source, cookie)
    check(refused.status == status and refused.headers.get("retry-after") == str(retry_after) and words in refused.body
          and refused.headers.get("content-type", "").startswith("text/plain"),
          f"{what}: {refused.status}, Retry-After {refused.headers.get('retry-after')}, “{refused.body.strip()}”")


async def is_closed_at_once(reader, seconds=3.0):
    """True when the daemon closed the connection within `seconds` (EOF or reset), False while it stays open."""
    started = time.monotonic()
    try:
        data = await asyncio.wait_for(reader.read(1), seconds)
        return data == b"" and time.monotonic() - started < seconds
    except asyncio.TimeoutError:
        return False
    except ConnectionError:
        return True


async def raw_connections(port, source, count):
    return await asyncio.gather(*(asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0)) for _ in range(count)))


async def ordinary_request(port, tls, path, token=None, source="127.0.0.1"):
    """Seconds for one request on a fresh connection, as a new client would make it; the status with it."""
    started = time.monotonic()
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection("127.0.0.1", port, ssl=tls, server_hostname="localhost", local_addr=(source, 0)), 20)
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\n{auth}Connection: close\r\n\r\n".encode())
    answer = await asyncio.wait_for(reader.read(), 20)
    writer.close()
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1") else 0
    return time.monotonic() - started, status


def probe(port, token, cafile, rounds):
    """GET /v1/health and GET /v1/me, each on a fresh connection as a new client makes it, `rounds` times: JSON of the
    seconds each took and the statuses."""
    tls = ssl.create_default_context(cafile=cafile)
    answer = {"health": [], "me": [], "statuses": []}
    for _ in range(rounds):
        for name, path, headers in [("health", "/v1/health", {}), ("me", "/v1/me", {"Authorization": f"Bearer {token}"})]:
            started = time.monotonic()
            connection = http.client.HTTPSConnection("localhost", port, context=tls, timeout=30)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            connection.close()
            answer[name].append(time.monotonic() - started)
            answer["statuses"].append(response.status)
    print(json.dumps(answer))


async def timings(port, token, rounds):
    """Medians of the probe's times (run as a process of its own) and the statuses it saw."""
    child = await asyncio.create_subprocess_exec(sys.executable, os.path.abspath(__file__), "--probe", str(port), token,
                                                 os.path.join(DATA, "tls", "ca.pem"), str(rounds), stdout=asyncio.subprocess.PIPE)
    output, _ = await child.communicate()
    answer = json.loads(output)
    return statistics.median(answer["health"]), statistics.median(answer["me"]), set(answer["statuses"])


async def metrics(port, tls, token):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=tls, server_hostname="localhost")
    writer.write(f"GET /metrics HTTP/1.1\r\nHost: localhost:{port}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n".encode())
    text = (await reader.read()).decode()
    writer.close()
    values = {}
    for line in text.split("\r\n\r\n", 1)[-1].splitlines():
        match = re.match(r"^(clubd_(?:event_stream|connection)[a-z_]*(?:\{[^}]*\})?) ([0-9.e+-]+)$", line)
        if match:
            values[match.group(1)] = float(match.group(2))
    return values


async def page_notices(port, tls, link, cookie):
    """The pages whose scripts open the streams hold the status line their script fills when a stream is refused, in
    the page's language."""
    async def page(path, cookie=None):
        reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=tls, server_hostname="localhost")
        extra = f"Cookie: {cookie}\r\n" if cookie else ""
        writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost:{port}\r\n{extra}Connection: close\r\n\r\n".encode())
        text = (await reader.read()).decode()
        writer.close()
        return text
    russian = await page(link + "?lang=ru")
    check('role="status" data-stopped="Обновления на лету остановлены' in russian and "EventSource.CLOSED" in russian,
          "the share page (ru) has a status line for refused live updates, and its script fills it")
    today = await page("/?lang=en", cookie)
    check('role="status" data-stopped="Live updates have stopped' in today and "EventSource.CLOSED" in today,
          "the console's Today (en) has a status line for refused live updates, and its script fills it")


async def poll(condition, seconds, interval=0.5):
    """Polls an async condition until it holds or the deadline passes; returns whether it held."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await condition():
            return True
        await asyncio.sleep(interval)
    return False


async def connection_cap(port, tls):
    cap = LIMITS["connectionsPerAddress"]
    connections = await raw_connections(port, "127.0.0.9", cap + 5)
    closed = await asyncio.gather(*(is_closed_at_once(reader) for reader, _ in connections))
    check(closed.count(False) == cap and closed.count(True) == 5,
          f"connections from one address: {closed.count(False)} of {cap + 5} stay open, {closed.count(True)} closed at once before TLS")
    for _, writer in connections:
        writer.close()

    async def served():
        try:
            return (await ordinary_request(port, tls, "/v1/health", source="127.0.0.9"))[1] == 200
        except (OSError, asyncio.TimeoutError, ssl.SSLError):
            return False
    check(await poll(served, 30), "once they close, a new connection from that address is served (GET /v1/health 200)")


async def flood(port, tls, paths, cookie, stop, statuses):
    """Stream requests the full daemon must refuse, 40 at a time from 20 addresses, and waves of 100 connections past
    one address's cap, until `stop` is set; adds the statuses the stream requests got, returns the connection count."""
    connections_tried = [0]

    async def attempts(worker):
        number = worker
        while not stop.is_set():
            path, with_cookie = paths[number % len(paths)]
            number += 40
            try:
                stream = await open_stream(port, tls, path, f"127.0.0.{10 + number % 20}", cookie if with_cookie else None)
                statuses.append(stream.status)
                stream.close()
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ssl.SSLError) as error:
                statuses.append(type(error).__name__)

    async def connection_waves():
        while not stop.is_set():
            connections = await raw_connections(port, "127.0.0.30", 100)
            connections_tried[0] += len(connections)
            await asyncio.gather(*(is_closed_at_once(reader, 1.0) for reader, _ in connections))
            for _, writer in connections:
                writer.close()

    await asyncio.gather(*(attempts(worker) for worker in range(40)), connection_waves())
    return connections_tried[0]


async def main():
    refuses_a_zero_limit()
    process, config, port = start()
    club = Club(f"https://localhost:{port}", DATA)
    tls = club.tls
    try:
        _, client_token, listing = club.agreed_fix_list([{"statement": "Logo aligned", "acceptance": "as agreed", "due": "2030-01-01"}])
        links = [urllib.parse.urlparse(club.call("POST", f"/v1/fix-lists/{listing['id']}/share-links", club.head, {}, 201)["url"]).path
                 for _ in range(5)]
        events = [link + "/events" for link in links]
        cookie = signed_in_cookie(port, tls, config)
        token = club.head

        await page_notices(port, tls, links[0], cookie)
        await timings(port, token, 3)  # warm-up: first requests pay for lazy set-up
        base_health, base_me, _ = await timings(port, token, 15)
        print(f"baseline: GET /v1/health {base_health * 1000:.1f} ms, GET /v1/me {base_me * 1000:.1f} ms (medians of 15)")

        await connection_cap(port, tls)

        held = await expect_streams(port, tls, events[0], "127.0.0.2", 5, "one link, one address")
        await expect_refused(port, tls, events[0], "127.0.0.2", 429, 30, "for this link (limit 5)", "the link's 6th stream")
        held += await expect_streams(port, tls, events[1], "127.0.0.3", 1, "another link")
        held += await expect_streams(port, tls, "/today/events", "127.0.0.4", 4, "one coordinator's console", cookie)
        await expect_refused(port, tls, "/today/events", "127.0.0.4", 429, 30, "for this session (limit 4)", "the person's 5th stream", cookie)
        held += await expect_streams(port, tls, events[1], "127.0.0.5", 4, "an address, link 2")
        held += await expect_streams(port, tls, events[2], "127.0.0.5", 4, "the same address, link 3")
        await expect_refused(port, tls, events[3], "127.0.0.5", 429, 30, "from this address (limit 8)", "the address's 9th stream")
        held += await expect_streams(port, tls, events[3], "127.0.0.6", 1, "a sixth address")
        held += await expect_streams(port, tls, events[3], "127.0.0.7", 1, "a seventh address")
        await expect_refused(port, tls, events[4], "127.0.0.8", 503, 60, "as many live update streams open as it allows (20)",
                             "the daemon's 21st stream")

        values = await metrics(port, tls, token)
        expected = {'clubd_event_stream_limit{scope="link"}': 5, 'clubd_event_stream_limit{scope="session"}': 4,
                    'clubd_event_stream_limit{scope="address"}': 8, 'clubd_event_stream_limit{scope="total"}': 20,
                    "clubd_event_streams_open": 20, "clubd_connection_limit_per_address": 12}
        check(all(values.get(name) == value for name, value in expected.items()),
              "/metrics shows the limits and 20 open streams: " + ", ".join(f"{name} {values.get(name)}" for name in expected))
        refused = {scope: values.get(f'clubd_event_streams_refused_total{{scope="{scope}"}}', 0) for scope in ["link", "session", "address", "total"]}
        check(all(count >= 1 for count in refused.values()), f"/metrics counts refused streams by scope: {refused}")
        check(values.get("clubd_connections_refused_total", 0) >= 5 and values.get("clubd_connections_open", 0) >= 20,
              f"/metrics counts connections: open {values.get('clubd_connections_open')}, refused {values.get('clubd_connections_refused_total')}")

        rss_before = rss_mib(process.pid)
        peak = [rss_before]
        done = asyncio.Event()

        async def sample():
            while not done.is_set():
                peak.append(rss_mib(process.pid))
                await asyncio.sleep(0.05)

        sampler = asyncio.create_task(sample())
        paths = [(path, False) for path in events] + [("/today/events", True)]
        stop = asyncio.Event()
        statuses = []
        flooding = asyncio.create_task(flood(port, tls, paths, cookie, stop, statuses))

        async def under_way():
            return len(statuses) >= 40
        # The flood is under way before the clock starts, and goes on until the probe has its 15 rounds.
        await poll(under_way, 60, 0.05)
        health, me, answered = await timings(port, token, 15)

        async def hundreds():
            return len(statuses) >= 300
        await poll(hundreds, 120, 0.05)
        stop.set()
        connections_tried = await flooding
        done.set()
        await sampler
        names = [str(status) for status in statuses]
        summary = {name: names.count(name) for name in sorted(set(names))}
        check(len(statuses) >= 300 and all(status in (429, 503) for status in statuses),
              f"{len(statuses)} stream requests to the full daemon: all refused {summary}; {connections_tried} connections past the cap")
        check(max(peak) - rss_before <= RSS_GROWTH_MIB,
              f"VmRSS {rss_before:.0f} MiB with 20 streams, at most {max(peak):.0f} MiB during the flood (bound +{RSS_GROWTH_MIB} MiB)")
        bound_health = max(SLOWDOWN_FACTOR * base_health, base_health + SLOWDOWN_SECONDS)
        bound_me = max(SLOWDOWN_FACTOR * base_me, base_me + SLOWDOWN_SECONDS)
        check(answered == {200} and health <= bound_health and me <= bound_me,
              f"during the flood (medians of 15): GET /v1/health {health * 1000:.1f} ms (bound {bound_health * 1000:.0f}), "
              f"GET /v1/me {me * 1000:.1f} ms (bound {bound_me * 1000:.0f}), statuses {sorted(answered)}")

        for stream in held[:5]:
            stream.close()

        async def link_admits():
            stream = await open_stream(port, tls, events[0], "127.0.0.2")
            if stream.status == 200:
                held.append(stream)
            return stream.status == 200
        check(await poll(link_admits, 60), "closing the link's streams frees its slots: a new stream on it is admitted")
        for stream in held:
            stream.close()

        async def total_admits():
            stream = await open_stream(port, tls, events[4], "127.0.0.8")
            stream.close()
            return stream.status == 200
        check(await poll(total_admits, 60), "closing every stream frees the total: the refused address's stream is admitted")

        async def drained():
            return (await metrics(port, tls, token)).get("clubd_event_streams_open") == 0
        check(await poll(drained, 60), "/metrics: no stream open once all are closed")
    finally:
        process.terminate()
        process.wait(30)
    if FAILURES:
        print(f"stream limits test FAILED ({len(FAILURES)}); the daemon's log is in {DATA}/daemon.log")
        sys.exit(1)
    print("stream limits test passed")


if __name__ == "__main__":
    if sys.argv[1] == "--probe":
        probe(int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        asyncio.run(main())
