"""The page says so when its live updates are refused (issue 14, item 3): with the real clubd at its default limits,
a share link's 50 streams are held open from here; the share page then opened in headless Chromium (in Russian) gets
429 for its own stream and shows the catalog's notice in its status line, which axe-core checks; once the held
streams close, a reload is live again and the notice is gone.

Usage (in .venv-browser): stream_limits_browser.py CLUBD_BINARY"""
import json
import os
import socket
import ssl
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from club_browser import Browser, Daemon, check, check_accessibility, passed  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# limits.streamsPerLink's default (Config/clubd.json and ServerSettings).
PER_LINK = 50


def catalog_text(language, key):
    with open(os.path.join(ROOT, "Sources", "ClubCore", "Localization", "Catalogs", f"{language}.json")) as file:
        return json.load(file)["texts"][key]


def open_stream(clubd, path):
    """Asks for an event stream; returns its status and, for a 200, the socket that holds it open."""
    tls = ssl.create_default_context(cafile=clubd.ca)
    connection = tls.wrap_socket(socket.create_connection(("127.0.0.1", clubd.port), timeout=20), server_hostname="localhost")
    connection.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost:{clubd.port}\r\nAccept: text/event-stream\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = connection.recv(4096)
        if not chunk:
            break
        head += chunk
    status = int(head.split(b" ", 2)[1])
    if status != 200:
        connection.close()
        return status, None
    return status, connection


def main():
    with Daemon(sys.argv[1]) as clubd, Browser(clubd) as browser:
        _, _, listing = clubd.club.agreed_fix_list([{"statement": "Logo aligned", "acceptance": "as agreed", "due": "2030-01-01"}])
        answer = clubd.club.call("POST", f"/v1/fix-lists/{listing['id']}/share-links", clubd.club.head, {}, 201)
        link = urllib.parse.urlparse(answer["url"]).path
        held = [open_stream(clubd, link + "/events") for _ in range(PER_LINK)]
        check(all(status == 200 for status, _ in held), f"{PER_LINK} streams of one share link are held open")
        status, _ = open_stream(clubd, link + "/events")
        check(status == 429, f"the link's next stream is refused: {status}")

        page = browser.page(locale="ru-RU")
        page.goto(clubd.base + link + "?lang=ru")
        notice = page.locator("#live-notice")
        stopped = catalog_text("ru", "share.live.stopped")
        expect(notice).to_have_text(stopped)
        expect(notice).to_be_visible()
        check(notice.get_attribute("role") == "status", "the notice is the page's status line (role=status)")
        indicator = page.locator("#live")
        expect(indicator).to_have_text(catalog_text("ru", "share.live.off"))
        passed(f"the share page (ru) whose stream was refused says so: “{stopped}”, and its indicator no longer reads live")
        check_accessibility(page, "the share page with its live updates stopped")

        for _, connection in held:
            connection.close()
        # The daemon notices each closed stream at its next heartbeat (15 s): reload until the page is live again.
        deadline = time.monotonic() + 60
        live = False
        while not live and time.monotonic() < deadline:
            page.reload()
            try:
                expect(page.locator("body")).to_have_attribute("data-live", "connected", timeout=3000)
                live = True
            except AssertionError:
                continue
        check(live, "once the held streams close, the reloaded page is live again")
        expect(notice).to_be_empty()
        expect(indicator).to_have_text(catalog_text("ru", "share.live"))
        passed("and its status line is empty, its indicator live again")
    print("stream limits browser test passed")


if __name__ == "__main__":
    main()
