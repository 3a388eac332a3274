"""Real-browser tests of clubd: the real daemon on a fresh data folder, headless Chromium driven by
Playwright, accessibility checked with axe-core, screenshots at a desktop and a phone width.

Runs in the virtual environment that Scripts/lib/browser_env.sh makes (.venv-browser). A journey
reads like this:

    with Daemon() as clubd, Browser(clubd) as browser:
        token = clubd.club.call("POST", "/v1/tokens", clubd.club.head, {...}, 201)["token"]
        page = browser.page()                        # a fresh context: its own cookies
        page.goto(clubd.base + "/some/page")
        expect(page.get_by_role("heading", level=1)).to_have_text("Some page")
        check_accessibility(page, "some page")       # fails naming each violation
        screenshots(page, "some-page")               # checks both widths, then saves

The browser trusts the daemon's development certificates and nothing more: Chromium is told the
hashes of the public keys of the data folder's authority and server certificate (the daemon
presents the server certificate alone), so any other certificate still fails."""
import base64
import hashlib
import os
import shutil
import ssl
import sys
import tempfile

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

sys.path.insert(0, os.path.dirname(__file__))
import daemon  # noqa: E402
from clubapi import Club  # noqa: E402

ROOT = daemon.ROOT
# WCAG 2.1 levels A and AA: what every page of the club must pass.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The widths every page is looked at: a desktop and a small phone (iPhone SE / 12 mini class).
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 812}}
SCREENSHOTS = os.environ.get("SCREENSHOTS", os.path.join(ROOT, "artifacts", "screenshots"))
# The smallest link or button a finger should have to hit, in CSS pixels.
TOUCH_TARGET = 44

expect.set_options(timeout=15_000)


def check(condition, message):
    """An assertion of the journey, printed as it passes."""
    if not condition:
        raise AssertionError(message)
    print(f"ok   {message}", flush=True)


def passed(message):
    """Prints a check that a Playwright `expect` (which waits, then raises) has just made."""
    print(f"ok   {message}", flush=True)


class Daemon:
    """The real clubd on a temporary data folder and a free port, stopped and removed on exit.
    `base` is its URL, `data` the folder, `club` an API client with the head coordinator's
    bootstrap token (`club.call`, `club.head`). The binary is `binary`, else $CLUBD_BINARY, else
    the debug build."""

    def __init__(self, binary=None):
        self.binary = binary or os.environ.get("CLUBD_BINARY") or os.path.join(ROOT, ".build", "debug", "clubd")
        if not os.access(self.binary, os.X_OK):
            raise SystemExit(f"no clubd at {self.binary}: build it, or set CLUBD_BINARY")

    def __enter__(self):
        self.data = tempfile.mkdtemp(prefix="clubd-browser-")
        # daemon.start counts the starts logged so far, process-wide; this log is new.
        daemon.start.count = 0
        try:
            self.process, self.port = daemon.start(self.binary, self.data)
        except BaseException:
            self._print_log()
            shutil.rmtree(self.data, ignore_errors=True)
            raise
        self.base = f"https://localhost:{self.port}"
        self.ca = os.path.join(self.data, "tls", "ca.pem")
        self.certificate = os.path.join(self.data, "tls", "cert.pem")
        self.club = Club(self.base, self.data)
        return self

    def __exit__(self, kind, error, trace):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except Exception:
            self.process.kill()
            self.process.wait()
        if kind is not None:
            self._print_log()
        shutil.rmtree(self.data, ignore_errors=True)

    def _print_log(self, lines=40):
        try:
            with open(os.path.join(self.data, "daemon.log")) as file:
                tail = file.read().splitlines()[-lines:]
        except OSError:
            return
        print("--- the daemon's log, last lines ---", *tail, sep="\n", file=sys.stderr)


def spki_hash(pem_path):
    """The base64 SHA-256 of a certificate's SubjectPublicKeyInfo, as Chromium's
    --ignore-certificate-errors-spki-list wants it (read with a minimal DER walk)."""
    with open(pem_path) as file:
        der = ssl.PEM_cert_to_DER_cert(file.read())

    def element(offset):
        """(start of the whole element, start of its content, end) of the DER element at offset."""
        length, content = der[offset + 1], offset + 2
        if length & 0x80:
            count = length & 0x7F
            length, content = int.from_bytes(der[content:content + count], "big"), content + count
        return offset, content, content + length

    _, certificate, _ = element(0)
    _, field, _ = element(certificate)  # tbsCertificate: walk its fields
    fields = []
    while len(fields) < 7:
        start, _, end = element(field)
        fields.append((start, end))
        field = end
    # [0] version is optional; then serial, signature, issuer, validity, subject, the key.
    has_version = der[fields[0][0]] == 0xA0
    start, end = fields[6 if has_version else 5]
    return base64.b64encode(hashlib.sha256(der[start:end]).digest()).decode()


class Browser:
    """Headless Chromium (Debian's, $CHROMIUM) under Playwright, trusting the certificates of
    `daemon` (a Daemon) alone."""

    def __init__(self, daemon):
        self.daemon = daemon
        self.executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
        if not self.executable:
            raise SystemExit("chromium is not installed (Scripts/lib/browser_env.sh installs it as root)")

    def __enter__(self):
        self.playwright = sync_playwright().start()
        trusted = ",".join(spki_hash(path) for path in [self.daemon.ca, self.daemon.certificate])
        try:
            self.browser = self.playwright.chromium.launch(
                executable_path=self.executable,
                args=[f"--ignore-certificate-errors-spki-list={trusted}"],
            )
        except BaseException:
            self.playwright.stop()
            raise
        self.version = self.browser.version
        return self

    def __exit__(self, *_):
        self.browser.close()
        self.playwright.stop()

    def context(self, **options):
        """A fresh browser profile (own cookies), desktop-sized unless told otherwise; any option
        of Playwright's Browser.new_context (locale, extra_http_headers, …) may be given."""
        options.setdefault("viewport", VIEWPORTS["desktop"])
        options.setdefault("locale", "en-US")
        options.setdefault("timezone_id", "UTC")
        return self.browser.new_context(**options)

    def page(self, **options):
        """A page in a fresh context; its console errors and uncaught exceptions are collected
        in `page.club_errors` (a Content-Security-Policy violation is one)."""
        page = self.context(**options).new_page()
        watch_errors(page)
        return page


def watch_errors(page):
    """Collects the page's console errors and uncaught exceptions in `page.club_errors`. The
    browser's own request for /favicon.ico (the club's pages declare no icon) is not an error."""
    page.club_errors = []

    def console(message):
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            page.club_errors.append(f"console: {message.text} ({message.location.get('url')})")

    page.on("console", console)
    page.on("pageerror", lambda error: page.club_errors.append(f"exception: {error}"))


def check_accessibility(page, what):
    """Runs axe-core on the page as it is now; fails listing every WCAG 2.1 A/AA violation."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    if violations:
        lines = [f"axe: {what}: {len(violations)} WCAG 2.1 A/AA violation(s)"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} [{violation['helpUrl']}]")
            for node in violation["nodes"]:
                lines.append(f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
        raise AssertionError("\n".join(lines))
    version = results.response.get("testEngine", {}).get("version", "?")
    passed(f"axe-core {version}: {what} has no WCAG 2.1 A/AA violation ({len(results.response['passes'])} rules passed)")


def check_layout(page, what, touch_target=TOUCH_TARGET):
    """At the page's current width: nothing scrolls sideways, and every visible link, button and
    form control is at least `touch_target` CSS pixels in both directions (a control with a
    label passes when the label, which also takes the tap, is that large)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    width = page.viewport_size["width"]
    check(overflow <= 0, f"{what} at {width} px: no horizontal scrolling (overflow {max(overflow, 0)} px)")
    small = page.evaluate(
        """(minimum) => [...document.querySelectorAll(
             'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], [tabindex]:not([tabindex="-1"])')]
           .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
           .map(e => [e, e.getBoundingClientRect()])
           .filter(([e, r]) => r.width < minimum || r.height < minimum)
           .filter(([e]) => ![...(e.labels || [])].some(label => {
             const box = label.getBoundingClientRect();
             return box.width >= minimum && box.height >= minimum;
           }))
           .map(([e, r]) => `${e.outerHTML.slice(0, 80)} is ${Math.round(r.width)}×${Math.round(r.height)}`)""",
        touch_target,
    )
    check(not small, f"{what} at {width} px: every link and button is at least {touch_target} px" + ("" if not small else ": " + "; ".join(small)))


def screenshots(page, name, folder=SCREENSHOTS, checks=None):
    """Checks the layout at each width of VIEWPORTS (and calls `checks(page, width)`, if given,
    for the page's own) and saves a full-page screenshot `folder/name-desktop.png`,
    `folder/name-375.png`; the page's viewport is restored after."""
    os.makedirs(folder, exist_ok=True)
    original = page.viewport_size
    paths = []
    try:
        for label, viewport in VIEWPORTS.items():
            page.set_viewport_size(viewport)
            page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
            check_layout(page, name)
            if checks:
                checks(page, viewport["width"])
            path = os.path.join(folder, f"{name}-{label}.png")
            page.screenshot(path=path, full_page=True, animations="disabled")
            paths.append(path)
    finally:
        page.set_viewport_size(original)
    passed(f"screenshots of {name} saved: {', '.join(os.path.relpath(path, ROOT) for path in paths)}")
    return paths
