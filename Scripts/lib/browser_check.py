"""The share page in a real browser: builds an agreed fix list through the API of a running
clubd, opens its share page in headless Chromium, strikes an item through the API, and checks
that the page shows it struck without reloading. Saves a screenshot.

Usage: browser_check.py BASE_URL DATA_DIR SCREENSHOT_PATH"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from cdp import DevTools  # noqa: E402
from clubapi import Club  # noqa: E402

BASE, DATA, SCREENSHOT = sys.argv[1], sys.argv[2], sys.argv[3]
CLUB = Club(BASE, DATA)
api = CLUB.call
status_of = lambda url: CLUB.status_of(url[len(BASE):] if url.startswith(BASE) else url)


def check(condition, message):
    if not condition:
        raise AssertionError(message)
    print(f"ok   {message}")


def build_agreed_list():
    """The reference case up to an agreed final correction list (DESIGN §1 step 5)."""
    studio_token, client_token, agreed = CLUB.agreed_fix_list([
        {"statement": "The contact form sends leads to the CRM", "acceptance": "a test lead appears in the CRM within a minute", "due": "2030-01-20"},
        {"statement": "The landing page loads fast on mobile", "acceptance": "PageSpeed mobile score of 80 or more", "due": "2030-01-22"},
        {"statement": "Ads skip searches for <script>alert('jobs')</script>", "acceptance": "the negative keywords are in the account", "due": "2020-01-25"},
    ])
    check(agreed["status"] == "agreed", "client and studio agreed the list")
    link = api("POST", f"/v1/fix-lists/{agreed['id']}/share-links", client_token, {}, 201)
    return CLUB.head, studio_token, client_token, agreed, link


def start_browser(profile):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("chromium is not installed")
    process = subprocess.Popen(
        [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--ignore-certificate-errors", "--hide-scrollbars",
         "--window-size=1000,1000", "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    port_file = os.path.join(profile, "DevToolsActivePort")
    for _ in range(300):
        if os.path.exists(port_file) and open(port_file).read().strip():
            port = open(port_file).read().split()[0]
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as response:
                pages = [target for target in json.load(response) if target["type"] == "page"]
            return process, DevTools(pages[0]["webSocketDebuggerUrl"])
        time.sleep(0.1)
    process.kill()
    raise SystemExit("chromium did not open its DevTools port")


def wait_for(devtools, expression, what, seconds=15):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if devtools.evaluate(expression):
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def main():
    head, studio_token, client_token, listing, link = build_agreed_list()
    url = link["url"]
    check(status_of(url) == 200, "the share link opens")
    profile = tempfile.mkdtemp(prefix="clubd-chromium-")
    browser, devtools = start_browser(profile)
    try:
        devtools.call("Page.enable")
        devtools.call("Page.navigate", url=url)
        wait_for(devtools, "document.readyState === 'complete' && document.getElementById('item-1') !== null", "the page")
        wait_for(devtools, "document.body.dataset.live === 'connected'", "the live connection")
        loaded_at = devtools.evaluate("window.clubPageLoadedAt")
        check(devtools.evaluate("document.getElementById('item-1').dataset.state") == "open", "item 1 starts open")
        check(devtools.evaluate("document.querySelectorAll('script').length") == 1, "user text did not add a script")
        check("<script>" in devtools.evaluate("document.getElementById('item-3').textContent"), "a <script> in a statement is shown as text")
        check(devtools.evaluate("document.getElementById('item-3').classList.contains('overdue')"), "an overdue item is highlighted")

        first = listing["items"][0]["id"]
        api("POST", f"/v1/fix-items/{first}/strike", studio_token, {"note": "deployed to production"}, 200)
        wait_for(devtools, "document.getElementById('item-1').dataset.state === 'struck'", "item 1 to show as struck")
        check(devtools.evaluate("window.clubPageLoadedAt") == loaded_at, "the page was not reloaded")
        check(devtools.evaluate("performance.getEntriesByType('navigation').length") == 1, "one navigation only")
        check(devtools.evaluate("getComputedStyle(document.querySelector('#item-1 .statement')).textDecorationLine") == "line-through", "the struck statement is struck through")
        check("Pixel Hands PM" in devtools.evaluate("document.getElementById('item-1').textContent"), "the page says who struck it")
        check(devtools.evaluate("document.getElementById('progress').textContent") == "1 of 3 struck", "the progress bar moved")

        api("POST", f"/v1/fix-items/{first}/reopen", client_token, {"reason": "still broken on mobile"}, 200)
        wait_for(devtools, "document.getElementById('item-1').dataset.state === 'reopened'", "item 1 to show as reopened")
        check("still broken on mobile" in devtools.evaluate("document.getElementById('item-1').textContent"), "the reopen reason is shown")
        api("POST", f"/v1/fix-items/{first}/strike", studio_token, {"note": "fixed the mobile layout"}, 200)
        wait_for(devtools, "document.getElementById('item-1').dataset.state === 'struck'", "item 1 to be struck again")

        shot = devtools.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        os.makedirs(os.path.dirname(SCREENSHOT) or ".", exist_ok=True)
        with open(SCREENSHOT, "wb") as file:
            file.write(base64.b64decode(shot["data"]))
        print(f"ok   screenshot saved to {SCREENSHOT}")
    finally:
        browser.kill()
        browser.wait()
        shutil.rmtree(profile, ignore_errors=True)

    check(CLUB.status_of("/share/shr_unknown") == 404, "an unknown link answers 404")
    api("DELETE", f"/v1/share-links/{link['id']}", client_token, expect=204)
    check(status_of(url) == 410, "a revoked link answers 410")
    print("browser check passed")


if __name__ == "__main__":
    main()
