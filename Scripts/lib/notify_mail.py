"""The reference case's notifications by e-mail, end to end (issue 12, DESIGN §10): a real SMTP
server on loopback (aiosmtpd, Scripts/smtp-sink), the real daemon configured to use it, and the
club's steps over the JSON API. Nobody polls: the studio's person (Russian) hears of the referral
offered, the client's person (English) of the fix list to confirm and of an item struck, each in
their own language, with both parts, a link to the object on the public address and a one-click
unsubscribe link; the coordinator who acted hears nothing of their own change. Then 200 notifications are left
pending, the daemon is killed with SIGKILL and restarted: every one is mailed.

Usage: notify_mail.py CLUBD_BINARY"""
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from clubapi import Club  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = sys.argv[1]
WORK = tempfile.mkdtemp(prefix="clubd-mail-")
DATA, OUT = os.path.join(WORK, "data"), os.path.join(WORK, "mail")


def start_sink():
    os.makedirs(OUT)
    sink = subprocess.Popen([os.path.join(ROOT, "Scripts", "smtp-sink"), "--port", "0", "--out", OUT, "--until-stdin-closes"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    return sink, int(sink.stdout.readline())


def start_daemon(smtp_port, pass_seconds=1):
    with open(os.path.join(ROOT, "Config", "clubd.json")) as file:
        config = json.load(file)
    config["mail"] = {"relay": {"host": "127.0.0.1", "port": smtp_port, "security": "plain"},
                      "from": "club@club.example", "fromName": "Клуб", "passSeconds": pass_seconds}
    config["publicURL"] = "https://club.example"
    path = os.path.join(WORK, "clubd.json")
    with open(path, "w") as file:
        json.dump(config, file)
    log = open(os.path.join(WORK, "daemon.log"), "a")
    before = len(re.findall(r"url=https://127\.0\.0\.1:(\d+)", open(os.path.join(WORK, "daemon.log")).read()))
    process = subprocess.Popen([BINARY, "serve", "--data", DATA, "--port", "0", "--config", path], stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        with open(os.path.join(WORK, "daemon.log")) as file:
            ports = re.findall(r"url=https://127\.0\.0\.1:(\d+)", file.read())
        if len(ports) > before:
            return process, int(ports[-1])
        if process.poll() is not None:
            raise SystemExit("clubd exited during start:\n" + open(os.path.join(WORK, "daemon.log")).read())
        time.sleep(0.1)
    raise SystemExit("clubd did not start")


def mails_to(address, count, within=30):
    """The first `count` messages to `address` the sink received, waiting for them."""
    deadline = time.time() + within
    while time.time() < deadline:
        found = []
        for name in sorted((n for n in os.listdir(OUT) if n.endswith(".json")), key=lambda n: int(n.split(".")[0])):
            with open(os.path.join(OUT, name)) as file:
                record = json.load(file)
            if address in record["rcptTo"]:
                found.append(record)
        if len(found) >= count:
            return found
        time.sleep(0.2)
    raise AssertionError(f"expected {count} mails to {address} within {within} s, the sink has: {os.listdir(OUT)}")


def header(record, name):
    return next((value for key, value in record["message"]["headers"] if key.lower() == name.lower()), None)


def check(record, language, subject, link):
    message = record["message"]
    assert message["subject"] == subject, f"subject {message['subject']!r}, expected {subject!r}"
    assert header(record, "Content-Language") == language, header(record, "Content-Language")
    kinds = [part["contentType"] for part in message["parts"]]
    assert kinds == ["text/plain", "text/html"], kinds
    text, html = (part["content"] for part in message["parts"])
    assert link in text and f'href="{link}"' in html, f"{link} missing from\n{text}\n{html}"
    unsubscribe = re.search(r"<(https://club\.example/unsubscribe/[^>]+)>", header(record, "List-Unsubscribe") or "")
    assert unsubscribe and unsubscribe.group(1) in text, header(record, "List-Unsubscribe")
    assert header(record, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert not message["defects"], message["defects"]
    return text


def main():
    sink, smtp_port = start_sink()
    daemon, port = start_daemon(smtp_port)
    try:
        club = Club(f"https://localhost:{port}", DATA)
        head = club.head
        studio = club.call("POST", "/v1/studios", head, {"name": "Pixel Hands", "competences": ["landing", "context_ads"], "regions": ["RU-MOW"],
                                                          "budgetMin": 100000, "budgetMax": 2000000, "capacity": 3}, 201)["id"]
        for kind in ["portfolio", "references", "trial_task", "interview"]:
            club.call("POST", f"/v1/studios/{studio}/vetting-checks", head, {"kind": kind, "passed": True}, 201)
        club.call("POST", f"/v1/studios/{studio}/decisions", head, {"decision": "admit", "reason": "all checks passed"}, 201)
        client = club.call("POST", "/v1/clients", head, {"name": "Yacht Charter Ltd", "contacts": [{"name": "Oleg"}]}, 201)["id"]
        club.call("POST", "/v1/people", head, {"email": "pm@pixel.example", "name": "Лена", "role": "studio", "studioId": studio, "language": "ru"}, 201)
        club.call("POST", "/v1/people", head, {"email": "oleg@yacht.example", "name": "Oleg", "role": "client", "clientId": client, "language": "en"}, 201)
        request = club.call("POST", "/v1/requests", head, {"clientId": client, "statedAsk": "Instagram promotion", "businessGoal": "leads",
                                                            "budget": 600000, "deadline": "2030-02-01", "region": "RU-MOW"}, 201)["id"]
        club.call("PATCH", f"/v1/requests/{request}", head, {"requiredCompetences": ["landing", "context_ads"], "rationale": "too little content"}, 200)
        club.call("POST", f"/v1/requests/{request}/shortlist", head, {"size": 3}, 201)
        referral = club.call("POST", f"/v1/requests/{request}/referrals", head, {"studioIds": [studio]}, 201)["items"][0]["id"]

        offered = mails_to("pm@pixel.example", 1)[0]
        text = check(offered, "ru", "Заявка ждёт вашего ответа", f"https://club.example/referrals/{referral}")
        assert "Здравствуйте, Лена!" in text, text
        print("the studio heard of its referral, in Russian:", offered["message"]["subject"])

        studio_token = club.call("POST", "/v1/tokens", head, {"role": "studio", "studioId": studio, "name": "Pixel Hands PM"}, 201)["token"]
        client_token = club.call("POST", "/v1/tokens", head, {"role": "client", "clientId": client, "name": "Oleg"}, 201)["token"]
        club.call("POST", f"/v1/referrals/{referral}/answer", studio_token, {"accept": True}, 200)
        engagement = club.call("POST", f"/v1/requests/{request}/engagements", head, {"studioId": studio}, 201)["id"]
        items = [{"statement": "The form sends leads to the CRM", "acceptance": "a test lead arrives", "due": "2030-01-01"}]
        listing = club.call("POST", f"/v1/engagements/{engagement}/fix-lists", head, {"items": items}, 201)
        # The items the crash below strikes (a list is created with at most 100).
        for n in range(CRASH_ITEMS):
            club.call("POST", f"/v1/fix-lists/{listing['id']}/items", head,
                      {"statement": f"Detail {n} is right", "acceptance": "seen on the page", "due": "2030-01-01"}, 201)
        to_confirm = mails_to("oleg@yacht.example", 1)[0]
        check(to_confirm, "en", "A fix list is waiting for your confirmation", f"https://club.example/fix-lists/{listing['id']}")
        club.call("POST", f"/v1/fix-lists/{listing['id']}/confirm", client_token, {}, 200)
        agreed = club.call("POST", f"/v1/fix-lists/{listing['id']}/confirm", studio_token, {}, 200)
        item = agreed["items"][0]["id"]
        club.call("POST", f"/v1/fix-items/{item}/strike", studio_token, {"note": "connected the form"}, 200)

        struck = mails_to("oleg@yacht.example", 2)[1]
        text = check(struck, "en", "An item on your fix list was struck: please check it", f"https://club.example/fix-items/{item}")
        assert "Hello, Oleg," in text, text
        print("the client heard of the struck item, in English:", struck["message"]["subject"])
        # Each party heard of what it must act on; the coordinator who did the rest heard nothing.
        received = sorted((address, json.load(open(os.path.join(OUT, name)))["message"]["subject"])
                          for name in os.listdir(OUT) if name.endswith(".json")
                          for address in json.load(open(os.path.join(OUT, name)))["rcptTo"])
        assert received == [
            ("oleg@yacht.example", "A fix list is waiting for your confirmation"),
            ("oleg@yacht.example", "An item on your fix list was struck: please check it"),
            ("pm@pixel.example", "Заявка ждёт вашего ответа"),
            ("pm@pixel.example", "Список правок ждёт вашего подтверждения"),
        ], received
        print(f"notify-mail: {len(received)} messages through a real SMTP server, none polled for")
        # The one-click unsubscribe of RFC 8058, as a mail program sends it: a POST without session.
        link = re.search(r"<https://club\.example(/unsubscribe/[^>]+)>", header(to_confirm, "List-Unsubscribe")).group(1)
        request = urllib.request.Request(f"https://localhost:{port}{link}", data=b"List-Unsubscribe=One-Click", method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        with urllib.request.urlopen(request, context=club.tls, timeout=30) as response:
            assert response.status == 200, response.status
        with sqlite3.connect(os.path.join(DATA, "clubd.sqlite")) as database:
            choices = json.loads(database.execute("SELECT notificationChoices FROM person WHERE email = 'oleg@yacht.example'").fetchone()[0])
        assert choices.get("fix-list.awaiting-confirmation") == "never", choices
        print("the client's one-click unsubscribe stopped that kind of e-mail")
        daemon.terminate()
        daemon.wait(timeout=30)
        crash(sink, smtp_port, studio_token, [entry["id"] for entry in agreed["items"][1:]])
        print("notify-mail: OK")
    finally:
        if daemon.poll() is None:
            daemon.terminate()
            daemon.wait(timeout=30)
        sink.stdin.close()
        sink.wait(timeout=30)


CRASH_ITEMS = 200


def outbox(kind):
    """(id, mailStatus) of every notification of `kind`, read from the database file itself."""
    with sqlite3.connect(os.path.join(DATA, "clubd.sqlite")) as database:
        return dict(database.execute("SELECT id, mailStatus FROM notification WHERE kind = ?", (kind,)).fetchall())


def crash(sink, smtp_port, studio_token, items):
    """200 notifications pending, the daemon killed with SIGKILL, restarted: every one is mailed.
    The daemon mails only at start and then hourly here, so all 200 are still in the outbox when
    it dies; at-least-once may mail one twice, never under two Message-IDs."""
    daemon, port = start_daemon(smtp_port, pass_seconds=3600)
    club = Club(f"https://localhost:{port}", DATA)
    already = len([name for name in os.listdir(OUT) if name.endswith(".json")])
    for item in items:
        club.call("POST", f"/v1/fix-items/{item}/strike", studio_token, {"note": "done"}, 200)
    pending = [id for id, status in outbox("fix-item.struck").items() if status == "pending"]
    assert len(pending) == len(items), f"{len(pending)} pending of {len(items)}"
    daemon.kill()
    daemon.wait(timeout=30)
    print(f"crash: killed with SIGKILL while {len(pending)} notifications were pending")
    daemon, port = start_daemon(smtp_port, pass_seconds=3600)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and any(status == "pending" for status in outbox("fix-item.struck").values()):
            time.sleep(0.5)
        statuses = outbox("fix-item.struck")
        assert set(statuses.values()) == {"sent"}, statuses
        arrived = []
        for name in os.listdir(OUT):
            if name.endswith(".json") and int(name.split(".")[0]) > already:
                arrived.append(header(json.load(open(os.path.join(OUT, name))), "Message-ID").strip("<>").split("@")[0])
        unique = set(arrived)
        assert unique == set(pending), f"missing {set(pending) - unique}, unexpected {unique - set(pending)}"
        print(f"crash: after the restart every one of the {len(pending)} was mailed "
              f"({len(arrived)} deliveries, {len(arrived) - len(unique)} repeated under the same Message-ID)")
    finally:
        daemon.terminate()
        daemon.wait(timeout=30)


if __name__ == "__main__":
    main()
