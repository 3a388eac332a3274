"""The console in a real browser (Playwright driving headless Chromium): starts clubd on a fresh
data folder and walks the journeys of DESIGN §9 as people do, by role and label.

- the first head coordinator: `clubd person invite` prints a link → set a password → sign in →
  Today → sign out;
- the session cookie's attributes (Secure; HttpOnly; SameSite=Lax; Path=/);
- the language switch turns Today Russian, and every count on it takes the plural form CLDR gives
  its number (read from the catalogs: 1 пункт, 2 пункта, 5 пунктов);
- a forged POST without the CSRF field is refused with 403 and changes nothing;
- a wrong password (401, the page says so) and a burst of them (429, the page says when to try
  again), while another account still signs in;
- a deactivated person's open session ends: their next page is the sign-in page;
- a coordinator enrols an authenticator (TOTP, the key read off the page, the code computed here)
  and from then on signs in with a code only: none or a wrong one is refused (401).

axe-core checks every page visited for WCAG 2.1 A and AA, and its layout at 375 px; screenshots of
Today in both languages at desktop and phone widths go to artifacts/screenshots/ (ignored by git).

Usage (in .venv-browser, see Scripts/console-test): console_check.py [CLUBD_BINARY]"""
import base64
import hashlib
import hmac
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from club_browser import (ROOT, VIEWPORTS, Browser, Daemon, check, check_accessibility,  # noqa: E402
                          check_layout, passed, screenshots)
from playwright.sync_api import expect  # noqa: E402

CATALOGS = os.path.join(ROOT, "Sources", "ClubCore", "Localization", "Catalogs")
TOTP_COORDINATOR = {"name": "Olga Berezina", "email": "olga@club.example", "password": "granite-orchard-piano-62"}
HEAD = {"name": "Anna Koroleva", "email": "anna@club.example", "password": "lantern-harbour-quartz-47"}
STUDIO = {"name": "Pavel Smirnov", "email": "pavel@pixelhands.example", "password": "copper-meadow-violin-83"}
SESSION_COOKIE = "clubd_session"
# More wrong passwords than any sensible throttle lets through before it answers 429.
BURST = 30


def nav_name(label):
    """A navigation link's accessible name: its label, then perhaps its badge said in words
    ("Today (3 things wait for you)")."""
    return re.compile("^" + re.escape(label) + r"( \(.+\))?$")


def elapsed(started):
    return f"{time.monotonic() - started:.1f} s"


# --- plurals --------------------------------------------------------------------------------


def plural_category(language, number):
    """CLDR's integer rule: English one/other; Russian one/few/many."""
    if language == "ru":
        if number % 10 == 1 and number % 100 != 11:
            return "one"
        if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
            return "few"
        return "many"
    return "one" if number == 1 else "other"


def count_forms(language):
    """The catalog's plural texts that are a count and words alone ("{count} пункт"): for each,
    its forms by category."""
    with open(os.path.join(CATALOGS, f"{language}.json")) as file:
        texts = json.load(file)["texts"]
    forms = {}
    for key, value in texts.items():
        if isinstance(value, dict) and all(
                "{count}" in form and not re.search(r"\{(?!count\})", form) for form in value.values()):
            forms[key] = value
    return forms


def counts_on(text, language):
    """Every count phrase of the catalogs found in `text`: (key, number, category of the form
    shown, the text found)."""
    found = []
    for key, forms in count_forms(language).items():
        for category, form in forms.items():
            before, after = form.split("{count}", 1)
            pattern = (r"(?<![\w])" if before else r"(?<!\d)") + re.escape(before) + r"(\d+)" + re.escape(after) + r"(?!\w)"
            for match in re.finditer(pattern, text):
                found.append((key, int(match.group(1)), category, match.group(0), match.start()))
    return found


def check_sections(page, what, empty):
    """Each section of Today lists as many lines as its heading counts, or says it has none."""
    sections = page.get_by_role("main").get_by_role("region")
    check(sections.count() > 0, f"{what}: the page has sections ({sections.count()})")
    for index in range(sections.count()):
        section = sections.nth(index)
        title = section.get_by_role("heading").inner_text()
        number = int(re.search(r"\d+", title).group(0))
        lines = section.get_by_role("listitem").count()
        if number == 0:
            check(lines == 0 and empty in section.inner_text(), f"{what}: “{title}” says “{empty}”")
        else:
            check(lines == number, f"{what}: “{title}” lists {lines} line(s)")


def check_plurals(page, language, what):
    """Each count on the page is written in the form its number takes (a form that is the same
    text as the right one passes)."""
    text = page.get_by_role("main").inner_text()
    found = counts_on(text, language)
    check(found, f"{what}: the page shows counts written with the catalog's plurals")
    shown = {}
    for key, number, category, phrase, start in found:
        forms = count_forms(language)[key]
        right = forms[plural_category(language, number)].replace("{count}", str(number))
        # A shorter form may match inside a longer one ("5 пункт" in "5 пунктов" cannot, thanks
        # to (?!\w); but "{count} items" and "{count} item" differ only so): keep the longest.
        if start in shown and len(shown[start][1]) >= len(phrase):
            continue
        shown[start] = (number, phrase, right)
    for number, phrase, right in shown.values():
        check(phrase == right, f"{what}: {number} is written “{phrase}” ({plural_category(language, number)} form “{right}”)")
    return sorted({number for number, _, _ in shown.values()})


# --- each page ------------------------------------------------------------------------------


def check_forms(page, what, signed_in):
    """Every POST form of a signed-in page carries a hidden `csrf` field with a value, the
    session's token (DESIGN §9.3). The forms before sign-in have none (no session yet): they are
    checked by origin instead, which the journey tries; they are only listed here."""
    forms = page.evaluate(
        """() => [...document.forms].filter(f => (f.getAttribute('method') || 'get').toLowerCase() === 'post')
             .map(f => [f.getAttribute('action') || location.pathname,
                        !!f.querySelector('input[type=hidden][name=csrf]') && f.querySelector('input[name=csrf]').value.length > 0])"""
    )
    missing = [action for action, has in forms if not has]
    if not signed_in:
        print(f"     {what}: {len(forms)} POST form(s) before sign-in, checked by origin", flush=True)
        return
    check(not missing, f"{what}: every POST form ({len(forms)}) carries a hidden csrf field" +
          ("" if not missing else ": missing in " + ", ".join(missing)))


def check_page(page, what, signed_in=False):
    """axe-core (WCAG 2.1 A/AA), the layout at 375 px, the CSRF field of every form, no error
    logged (a Content-Security-Policy violation is one)."""
    check_accessibility(page, what)
    original = page.viewport_size
    try:
        page.set_viewport_size(VIEWPORTS["375"])
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        check_layout(page, what)
    finally:
        page.set_viewport_size(original)
    check_forms(page, what, signed_in)
    # Chromium logs a page answered with an error status (401, 429) as a failed load; the
    # journey checks those statuses itself.
    errors = [error for error in page.club_errors
              if not re.match(r"console: Failed to load resource: the server responded with a status of (401|403|429) .*\((https://[^)]*/(sign-in|sign-out))\)$", error)]
    check(not errors, f"{what}: the page logged no error (no Content-Security-Policy violation)" +
          ("" if not errors else ": " + "; ".join(errors)))


def path_of(url):
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def post_response(page, path):
    """Waits for the answer to the page's POST to `path`."""
    return page.expect_response(lambda r: r.request.method == "POST" and urllib.parse.urlsplit(r.url).path == path)


# --- journeys -------------------------------------------------------------------------------


def invite_by_command(daemon, binary, person, role="coordinator", head=True):
    """`clubd person invite` on the server itself; it prints the invitation link alone."""
    arguments = [binary, "person", "invite", "--data", daemon.data, "--config", os.path.join(ROOT, "Config", "clubd.json"),
                 "--email", person["email"], "--role", role, "--name", person["name"], "--language", "en"]
    if head:
        arguments.append("--head")
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=60)
    check(result.returncode == 0, f"clubd person invite exits 0 ({result.stderr.strip()[-300:]})")
    lines = result.stdout.strip().splitlines()
    check(len(lines) == 1 and lines[0].startswith("https://") and "/invitations/" in lines[0],
          f"clubd person invite prints the invitation link alone: {result.stdout.strip()}")
    # The link names the configured port (8443); this daemon listens on a free one.
    return daemon.base + path_of(lines[0])


def set_password(page, link, person, what):
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    passed(f"{what}: the invitation opens the page “Set your password”")
    check_page(page, f"{what}: the invitation page")
    page.get_by_label("Password", exact=True).fill(person["password"])
    page.get_by_label("Repeat password", exact=True).fill(person["password"])
    with post_response(page, urllib.parse.urlsplit(link).path) as answer:
        page.get_by_role("button", name="Set password").click()
    check(answer.value.status == 303, f"{what}: setting the password answers 303 (got {answer.value.status})")
    expect(page).to_have_url(re.compile(r"/sign-in\?welcome=1$"))
    expect(page.get_by_text("Your password is set. Sign in.").first).to_be_visible()
    passed(f"{what}: the password is set and the page says to sign in")
    check_page(page, f"{what}: the sign-in page after setting a password")


def sign_in(page, base, email, password):
    """Fills the sign-in form and submits it; returns the POST's answer."""
    if not page.url.split("?")[0] == base + "/sign-in":
        page.goto(base + "/sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with post_response(page, "/sign-in") as answer:
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return answer.value


def check_session_cookie(context, what):
    cookies = [cookie for cookie in context.cookies() if cookie["name"] == SESSION_COOKIE]
    check(len(cookies) == 1, f"{what}: one cookie {SESSION_COOKIE}")
    cookie = cookies[0]
    check(cookie["secure"], f"{what}: the session cookie is Secure")
    check(cookie["httpOnly"], f"{what}: the session cookie is HttpOnly")
    check(cookie["sameSite"] == "Lax", f"{what}: the session cookie is SameSite=Lax (got {cookie['sameSite']})")
    check(cookie["path"] == "/", f"{what}: the session cookie's Path is / (got {cookie['path']})")
    check(len(cookie["value"]) >= 43, f"{what}: the session id is at least 256 bits written out ({len(cookie['value'])} characters)")
    return cookie


def coordinator_journey(daemon, browser, binary):
    started = time.monotonic()
    club = daemon.club
    link = invite_by_command(daemon, binary, HEAD)
    page = browser.page()
    set_password(page, link, HEAD, "the head coordinator")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    check_page(page, "the sign-in page")

    answer = sign_in(page, daemon.base, HEAD["email"], HEAD["password"])
    check(answer.status == 303 and answer.headers.get("location", "").endswith("/") and
          urllib.parse.urlsplit(answer.headers.get("location", "/")).path == "/",
          f"signing in answers 303 to / (got {answer.status} to {answer.headers.get('location')})")
    expect(page).to_have_url(daemon.base + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    passed("the head coordinator signs in and lands on Today")
    set_cookie = answer.header_value("set-cookie") or ""
    check(SESSION_COOKIE in set_cookie, "the answer to signing in sets the session cookie")
    cookie = check_session_cookie(page.context, "after sign-in")
    check(page.evaluate("document.cookie").find(SESSION_COOKIE) < 0, "a script on the page cannot read the session cookie")

    banner = page.get_by_role("banner")
    expect(banner).to_contain_text(HEAD["name"])
    passed("the header names the signed-in person")
    expect(page.get_by_role("navigation").get_by_role("link", name=nav_name("Today"))).to_be_visible()
    passed("the coordinator's navigation has Today")
    expect(page.get_by_role("link", name="English", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Русский", exact=True)).to_be_visible()
    passed("the header offers English and Русский")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    passed("the header has the Sign out button")
    numbers = check_plurals(page, "en", "Today in English")
    check(any(number > 0 for number in numbers), f"Today counts what needs doing ({', '.join(map(str, numbers))})")
    check_sections(page, "Today in English", "Nothing here.")
    check_page(page, "Today in English", signed_in=True)
    screenshots(page, "console-today-en")
    print(f"     invite, password, sign-in and Today in English: {elapsed(started)}", flush=True)

    started = time.monotonic()
    page.get_by_role("link", name="Русский", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Сегодня")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    passed("the language switch turns Today Russian (<html lang=ru>)")
    expect(page.get_by_role("navigation").get_by_role("link", name=nav_name("Сегодня"))).to_be_visible()
    ru_numbers = check_plurals(page, "ru", "Today in Russian")
    check_sections(page, "Today in Russian", "Ничего нет.")
    check(ru_numbers == numbers, f"Today in Russian counts the same ({', '.join(map(str, ru_numbers))})")
    check_page(page, "Today in Russian", signed_in=True)
    screenshots(page, "console-today-ru")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Сегодня")
    passed("the language is remembered on the next page load")
    page.get_by_role("link", name="English", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    passed("the switch turns the page back to English")
    print(f"     the language switch and plurals: {elapsed(started)}", flush=True)

    started = time.monotonic()
    # A form another page could send: the same action, no csrf field. The browser sends the
    # session cookie with it (same site); the server must refuse it and change nothing.
    for fields, how in [({}, "without the csrf field"), ({"csrf": ""}, "with an empty csrf field"),
                        ({"csrf": "forged" + "0" * 40}, "with a made-up csrf value")]:
        page.goto(daemon.base + "/")
        with page.expect_navigation() as forged:
            page.evaluate("""(fields) => { const form = document.createElement('form');
                                 form.method = 'post'; form.action = '/sign-out';
                                 for (const [name, value] of Object.entries(fields)) {
                                   const input = document.createElement('input');
                                   input.type = 'hidden'; input.name = name; input.value = value; form.append(input); }
                                 document.body.append(form); form.submit(); }""", fields)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        check(forged.value.status == 403, f"a sign-out form {how} is refused with 403 (got {forged.value.status})")
    page.goto(daemon.base + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Today")
    check(any(c["name"] == SESSION_COOKIE and c["value"] == cookie["value"] for c in page.context.cookies()),
          "the forged POSTs changed nothing: the same session still opens Today")
    print(f"     forged POSTs: {elapsed(started)}", flush=True)

    started = time.monotonic()
    with post_response(page, "/sign-out") as answer:
        page.get_by_role("button", name="Sign out").click()
    check(answer.value.status == 303, f"signing out answers 303 (got {answer.value.status})")
    page.wait_for_load_state()
    check(not any(c["name"] == SESSION_COOKIE and c["value"] == cookie["value"] for c in page.context.cookies()),
          "signing out drops the session cookie")
    page.goto(daemon.base + "/")
    expect(page).to_have_url(re.compile(r"/sign-in(\?.*)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    passed("after signing out, Today sends the browser to the sign-in page")
    stale = browser.context()
    stale.add_cookies([{"name": SESSION_COOKIE, "value": cookie["value"], "url": daemon.base}])
    again = stale.new_page()
    again.goto(daemon.base + "/")
    expect(again).to_have_url(re.compile(r"/sign-in(\?.*)?$"))
    passed("the signed-out session id no longer opens Today")
    stale.close()
    print(f"     sign-out: {elapsed(started)}", flush=True)

    started = time.monotonic()
    # Before any session there is no csrf field; the sign-in form is checked by origin: a form
    # on another site that signs the visitor in (to its own account, say) is refused.
    elsewhere = browser.page()
    elsewhere.goto("about:blank")
    with elsewhere.expect_navigation() as forged:
        elsewhere.evaluate("""([action, email, password]) => { const form = document.createElement('form');
                                 form.method = 'post'; form.action = action;
                                 for (const [name, value] of [['email', email], ['password', password]]) {
                                   const input = document.createElement('input');
                                   input.type = 'hidden'; input.name = name; input.value = value; form.append(input); }
                                 document.body.append(form); form.submit(); }""", [daemon.base + "/sign-in", HEAD["email"], HEAD["password"]])
    check(forged.value.status == 403, f"a sign-in form posted from another site is refused with 403 (got {forged.value.status})")
    check(not any(c["name"] == SESSION_COOKIE for c in elsewhere.context.cookies()), "it starts no session")
    elsewhere.context.close()
    print(f"     a sign-in from another site: {elapsed(started)}", flush=True)


def studio_person(daemon):
    """A studio's person, invited over the API by the head coordinator; returns (id, link)."""
    club = daemon.club
    studios = club.call("GET", "/v1/studios", club.head, expect=200)
    studio = studios["items"][0]["id"]
    invited = club.call("POST", "/v1/people", club.head, {"email": STUDIO["email"], "name": STUDIO["name"], "role": "studio",
                                                          "studioId": studio, "language": "en"}, 201)
    person = invited.get("id") or invited.get("person", {}).get("id")
    return person, daemon.base + path_of(invited["invitation"]["url"])


class Relay:
    """Another address of this machine: a TCP relay on 127.0.0.1 that connects to the daemon from
    127.0.0.2, so the daemon sees a second peer address (the TLS passes through untouched)."""

    def __init__(self, port, source="127.0.0.2"):
        self.target, self.source = port, source
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                inbound, _ = self.listener.accept()
            except OSError:
                return
            outbound = socket.create_connection(("127.0.0.1", self.target), source_address=(self.source, 0))
            for reader, writer in [(inbound, outbound), (outbound, inbound)]:
                threading.Thread(target=self.pipe, args=(reader, writer), daemon=True).start()

    @staticmethod
    def pipe(reader, writer):
        try:
            while data := reader.recv(65536):
                writer.sendall(data)
        except OSError:
            pass
        finally:
            for end in (reader, writer):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.listener.close()


def throttle_and_deactivation_journey(daemon, browser):
    started = time.monotonic()
    person, link = studio_person(daemon)
    studio_page = browser.page()
    set_password(studio_page, link, STUDIO, "a studio's person")

    page = browser.page()
    answer = sign_in(page, daemon.base, HEAD["email"], "not-the-password-at-all")
    check(answer.status == 401, f"a wrong password answers 401 (got {answer.status})")
    expect(page.get_by_text("The e-mail or password is wrong.").first).to_be_visible()
    passed("the page says the e-mail or password is wrong")
    check(not any(c["name"] == SESSION_COOKIE for c in page.context.cookies()), "a wrong password sets no session cookie")
    check_page(page, "the sign-in page after a wrong password")

    statuses = [401]
    while statuses[-1] != 429 and len(statuses) < BURST:
        statuses.append(sign_in(page, daemon.base, HEAD["email"], f"wrong-password-{len(statuses)}").status)
    check(statuses[-1] == 429 and set(statuses[:-1]) == {401},
          f"a burst of wrong passwords is answered 429 after {len(statuses) - 1} tries (statuses {statuses})")
    notice = page.get_by_text(re.compile(r"Too many attempts\. Try again in \d+ minutes?\.")).first
    expect(notice).to_be_visible()
    passed(f"the page says when to try again: “{notice.inner_text()}”")
    check_page(page, "the sign-in page when throttled")
    print(f"     a wrong password and the throttle ({len(statuses)} tries): {elapsed(started)}", flush=True)

    started = time.monotonic()
    answer = sign_in(studio_page, daemon.base, STUDIO["email"], STUDIO["password"])
    print(f"note another account signing in from the throttled address answers {answer.status}", flush=True)
    # The throttle counts per address too: another account signs in from another address.
    relay = Relay(daemon.port)
    other = f"https://localhost:{relay.port}"
    answer = sign_in(studio_page, other, STUDIO["email"], STUDIO["password"])
    check(answer.status == 303, f"another account still signs in from another address while the first is throttled (got {answer.status})")
    expect(studio_page).to_have_url(other + "/")
    check_session_cookie(studio_page.context, "the studio's person")
    navigation = studio_page.get_by_role("navigation")
    expect(navigation.get_by_role("link", name=nav_name("Home"))).to_be_visible()
    expect(navigation.get_by_role("link", name=nav_name("Today"))).to_have_count(0)
    passed("a studio's person has Home in the navigation, not Today")
    expect(studio_page.get_by_role("banner")).to_contain_text(STUDIO["name"])
    check_plurals(studio_page, "en", "a studio's home page")
    check_sections(studio_page, "a studio's home page", "Nothing here.")
    check_page(studio_page, "a studio's home page", signed_in=True)
    screenshots(studio_page, "console-home-studio")

    club = daemon.club
    club.call("POST", f"/v1/people/{person}/deactivate", club.head, {}, 200)
    passed("the head coordinator deactivates the studio's person over the API")
    studio_page.reload()
    expect(studio_page).to_have_url(re.compile(r"/sign-in(\?.*)?$"))
    expect(studio_page.get_by_role("heading", level=1)).to_have_text("Sign in")
    passed("the deactivated person's next page load lands on the sign-in page")
    answer = sign_in(studio_page, other, STUDIO["email"], STUDIO["password"])
    check(answer.status == 401 and not any(c["name"] == SESSION_COOKIE for c in studio_page.context.cookies()),
          f"a deactivated person cannot sign in again (got {answer.status})")
    relay.close()
    print(f"     another account, then deactivation: {elapsed(started)}", flush=True)


# --- the authenticator ------------------------------------------------------------------------

# RFC 6238 as the server computes it (Sources/ClubStore/AppDatabase+TOTP.swift): HMAC-SHA1, 30 s
# steps, 6 digits; it accepts the step before and after its own, and each step once.
TOTP_STEP = 30


def totp_key(typed):
    """The key as the page shows it to type in (base32, groups of four) → its bytes."""
    letters = re.sub(r"\s", "", typed).upper().rstrip("=")
    return base64.b32decode(letters + "=" * (-len(letters) % 8))


def totp_code(key, step):
    """RFC 4226's HOTP at counter `step` (RFC 6238: the counter is the time step), 6 digits."""
    digest = hmac.new(key, step.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = int.from_bytes(digest[offset:offset + 4], "big") & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def totp_step(now=None):
    return int((time.time() if now is None else now) // TOTP_STEP)


def sign_in_with_code(page, base, email, password, code):
    """sign_in with the field “Code from your authenticator” filled (or left empty)."""
    if not page.url.split("?")[0] == base + "/sign-in":
        page.goto(base + "/sign-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Code from your authenticator", exact=True).fill(code)
    with post_response(page, "/sign-in") as answer:
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return answer.value


def authenticator_journey(daemon, browser, binary):
    """A fresh coordinator enrols an authenticator, then signs in with e-mail, password and code.
    It goes through a relay from its own address (127.0.0.3), so its refused sign-ins count
    towards no other journey's throttle."""
    started = time.monotonic()
    person = TOTP_COORDINATOR
    link = invite_by_command(daemon, binary, person, head=False)
    page = browser.page()
    set_password(page, link, person, "a new coordinator")
    relay = Relay(daemon.port, source="127.0.0.3")
    base = f"https://localhost:{relay.port}"
    try:
        answer = sign_in(page, base, person["email"], person["password"])
        check(answer.status == 303, f"the new coordinator signs in without a code before enrolling (got {answer.status})")
        expect(page.get_by_role("heading", level=1)).to_have_text("Today")

        page.get_by_role("navigation").get_by_role("link", name="Authenticator", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Authenticator")
        expect(page).to_have_url(base + "/account/authenticator")
        passed("the navigation link “Authenticator” opens the enrolment page")
        key_text = page.locator("p", has_text="Key:").locator("code").inner_text()
        key = totp_key(key_text)
        check(len(key) == 32, f"the page shows the key as text to type in ({key_text!r}: {len(key)} bytes)")
        otpauth = page.get_by_role("link", name="Open in an authenticator app").get_attribute("href")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(otpauth).query)
        check(otpauth.startswith("otpauth://totp/") and totp_key(query["secret"][0]) == key,
              "the otpauth:// link carries the same key")
        for name, value in [("algorithm", "SHA1"), ("digits", "6"), ("period", "30")]:
            if name in query:
                check(query[name][0].upper() == value, f"the link says {name}={value} (RFC 6238 as computed here)")
        check_page(page, "the authenticator page", signed_in=True)

        enrolled_step = totp_step()
        page.get_by_label("Code from your authenticator", exact=True).fill(totp_code(key, enrolled_step))
        with post_response(page, "/account/authenticator") as answer:
            page.get_by_role("button", name="Enrol").click()
        check(answer.value.status == 303, f"enrolling with the code the app shows answers 303 (got {answer.value.status})")
        page.wait_for_load_state()
        expect(page.get_by_text("An authenticator is enrolled: you give its code at every sign-in.").first).to_be_visible()
        passed("the page confirms the authenticator is enrolled")
        check_page(page, "the authenticator page once enrolled", signed_in=True)

        with post_response(page, "/sign-out") as answer:
            page.get_by_role("button", name="Sign out").click()
        check(answer.value.status == 303, f"the coordinator signs out (got {answer.value.status})")
        page.wait_for_load_state()
        print(f"     enrolment: {elapsed(started)}", flush=True)

        started = time.monotonic()
        refused = "The e-mail, password or authenticator code is wrong."
        answer = sign_in_with_code(page, base, person["email"], person["password"], "")
        check(answer.status == 401, f"e-mail and password without a code are refused with 401 (got {answer.status})")
        expect(page.get_by_text(refused).first).to_be_visible()
        passed("the page says the e-mail, password or code is wrong")
        check(not any(c["name"] == SESSION_COOKIE for c in page.context.cookies()), "no session without a code")

        # Not the code of any step the server could accept now.
        near = {totp_code(key, step) for step in range(enrolled_step - 1, enrolled_step + 4)}
        wrong = next(f"{n:06d}" for n in range(123456, 1_000_000) if f"{n:06d}" not in near)
        answer = sign_in_with_code(page, base, person["email"], person["password"], wrong)
        check(answer.status == 401, f"a wrong code is refused with 401 (got {answer.status})")
        expect(page.get_by_text(refused).first).to_be_visible()
        check(not any(c["name"] == SESSION_COOKIE for c in page.context.cookies()), "no session with a wrong code")
        check_page(page, "the sign-in page after a wrong code")

        # The enrolment's code counted once; the next step's code is accepted (one step either
        # side of the server's own) as long as the server is no more than one step past it.
        step = enrolled_step + 1
        if totp_step() > step + 1:  # slow machine: use the app's code of now instead
            step = totp_step()
        answer = sign_in_with_code(page, base, person["email"], person["password"], totp_code(key, step))
        check(answer.status == 303, f"e-mail, password and the right code sign in (got {answer.status})")
        expect(page).to_have_url(base + "/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Today")
        passed("with the code the coordinator lands on Today")
        check_session_cookie(page.context, "after sign-in with a code")
        page.context.close()
        print(f"     sign-in with a code: {elapsed(started)}", flush=True)
    finally:
        relay.close()


def seed(club):
    """Something for Today to count, in all three Russian forms: a fix list agreed with 21 overdue
    items (21 пункт) and two referrals a studio has not answered yet (2 …а), the rest none (0 …ов)."""
    items = [{"statement": f"Overdue fix {n}", "acceptance": "checked by the client", "due": f"2020-01-{n:02d}"} for n in range(1, 22)]
    items.append({"statement": "A fix due later", "acceptance": "checked by the client", "due": "2030-01-20"})
    club.agreed_fix_list(items)
    head = club.head
    studio = club.call("GET", "/v1/studios", head, expect=200)["items"][0]["id"]
    client = club.call("GET", "/v1/clients", head, expect=200)["items"][0]["id"]
    for n in range(2):
        request = club.call("POST", "/v1/requests", head, {"clientId": client, "statedAsk": f"A landing page {n}", "businessGoal": "more bookings",
                                                         "budget": 500000, "deadline": "2030-03-01", "region": "RU-MOW"}, 201)["id"]
        club.call("PATCH", f"/v1/requests/{request}", head, {"requiredCompetences": ["landing"], "rationale": "a landing page is enough"}, 200)
        club.call("POST", f"/v1/requests/{request}/shortlist", head, {"size": 3}, 201)
        club.call("POST", f"/v1/requests/{request}/referrals", head, {"studioIds": [studio]}, 201)
    follow_ups = club.call("GET", "/v1/follow-ups", head, expect=200)
    counts = {key: len(value) for key, value in follow_ups.items() if isinstance(value, list)}
    print(f"     follow-ups: {counts}", flush=True)


def main():
    started = time.monotonic()
    with Daemon(sys.argv[1] if len(sys.argv) > 1 else None) as daemon, Browser(daemon) as browser:
        print(f"     clubd at {daemon.base}; Chromium {browser.version}", flush=True)
        seed(daemon.club)
        coordinator_journey(daemon, browser, daemon.binary)
        authenticator_journey(daemon, browser, daemon.binary)
        throttle_and_deactivation_journey(daemon, browser)
    print(f"console check passed in {elapsed(started)}")


if __name__ == "__main__":
    main()
