"""Evidence files in a real browser (issue 13 items 4 and 5, docs/design.md §11.5): the client's person signs in to
the console, opens a fix item's page and attaches a screenshot through the file input found by its label (the PNG is a
Playwright screenshot of that very page), and sees its thumbnail on the item. The client's share page of the list,
open meanwhile, shows the image without a reload; opened afresh it shows the thumbnail, and the image loads; a
strike re-renders the list live and the image survives it. axe-core checks both pages, in English and in Russian;
screenshots at a desktop width and at 375 px go to $SCREENSHOTS (default artifacts/screenshots/).

Words are read from the catalogs by key, so the same journey runs in both languages.

Usage (in .venv-browser, see Scripts/files-browser-test): files_browser.py [CLUBD_BINARY]"""
import hashlib
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from catalog_words import Words  # noqa: E402
from club_browser import ROOT, SCREENSHOTS, Browser, Daemon, check, check_accessibility, passed, screenshots  # noqa: E402
from parties_live import PEOPLE, invite, seed, sign_in  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

CAPTION = {"en": "The contact form shows error 500", "ru": "Форма обратной связи показывает ошибку 500"}


def check_page(page, what):
    check_accessibility(page, what)
    check(not page.club_errors, f"{what}: no console error or CSP violation ({page.club_errors})")


def loaded(page, image, what):
    """Waits until the <img> has loaded, then checks that it decoded to real pixels."""
    image.scroll_into_view_if_needed()
    page.wait_for_function("image => image.complete", arg=image.element_handle(), timeout=15_000)
    width = image.evaluate("image => image.naturalWidth")
    check(width > 0, f"{what}: the image loads (naturalWidth {width})")


def agreed_list(club, language):
    """A vetted studio, a client, an engagement and its agreed fix list of two items, through the API. Returns the
    client's id, the list's id, its item ids by position and a studio token."""
    studio, client, request, _, referral = seed(club, language)
    studio_token = club.call("POST", "/v1/tokens", club.head, {"role": "studio", "studioId": studio, "name": "Pixel Hands PM"}, 201)["token"]
    client_token = club.call("POST", "/v1/tokens", club.head, {"role": "client", "clientId": client, "name": "Oleg"}, 201)["token"]
    club.call("POST", f"/v1/referrals/{referral}/answer", studio_token, {"accept": True}, 200)
    engagement = club.call("POST", f"/v1/requests/{request}/engagements", club.head, {"studioId": studio}, 201)["id"]
    fixes = [("The contact form sends leads to the CRM", "a test lead appears in the CRM within a minute"),
             ("Prices show on the phone", "the weekly price is on every mobile card")]
    listing = club.call("POST", f"/v1/engagements/{engagement}/fix-lists", club.head,
                        {"items": [{"statement": s, "acceptance": a, "due": "2030-01-10"} for s, a in fixes]}, 201)
    club.call("POST", f"/v1/fix-lists/{listing['id']}/confirm", client_token, {}, 200)
    club.call("POST", f"/v1/fix-lists/{listing['id']}/confirm", studio_token, {}, 200)
    items = {item["position"]: item["id"] for item in listing["items"]}
    return client, listing["id"], items, studio_token, client_token


def journey(clubd, browser, language):
    words = Words(language)
    club = clubd.club
    client_id, list_id, items, studio_token, client_token = agreed_list(club, language)
    email, name = PEOPLE[language]["client"]
    link = invite(clubd, email, name, "client", client_id, language)
    locale = "en-GB" if language == "en" else "ru-RU"

    # The client's share page of the list, open before anything is attached.
    share = club.call("POST", f"/v1/fix-lists/{list_id}/share-links", client_token, {}, 201)["token"]
    shared = browser.page(locale=locale)
    shared.goto(clubd.base + f"/share/{share}")
    expect(shared.locator("body")).to_have_attribute("data-live", "connected")
    check(shared.locator("ul.images img").count() == 0, f"[{language}] the share page shows no image before one is attached")

    # The client's person attaches a screenshot of the item's own page to the item.
    console = browser.page(locale=locale)
    sign_in(console, clubd, words, email, link, f"[{language}] the client's person")
    console.goto(clubd.base + f"/fix-items/{items[1]}")
    screenshot = os.path.join(tempfile.mkdtemp(prefix="files-browser-"), f"broken-form-{language}.png")
    console.screenshot(path=screenshot)
    check(open(screenshot, "rb").read(8) == b"\x89PNG\r\n\x1a\n", f"[{language}] a PNG screenshot of the fix item's page was taken")
    console.get_by_label(words("console.files.upload.caption"), exact=True).fill(CAPTION[language])
    console.get_by_label(words("console.files.upload.file"), exact=True).set_input_files(screenshot)
    console.get_by_role("button", name=words("console.files.upload.button"), exact=True).click()
    thumbnail = console.locator("section.files img").first
    expect(thumbnail).to_be_visible()
    expect(thumbnail).to_have_attribute("alt", CAPTION[language])
    expect(thumbnail).to_have_attribute("src", re.compile(r"^/files/fil_\w+/thumbnail$"))
    loaded(console, thumbnail, f"[{language}] the thumbnail on the fix item's page")
    files = club.call("GET", f"/v1/fix-items/{items[1]}/files", client_token, expect=200)["items"]
    check([(f["type"], f["name"], f["caption"]) for f in files] == [("png", os.path.basename(screenshot), CAPTION[language])],
          f"[{language}] the API lists the screenshot on the item, as a PNG with its caption")
    file_id = files[0]["id"]
    check_page(console, f"[{language}] the fix item's page with its screenshot")
    screenshots(console, f"files-fix-item-{language}", folder=SCREENSHOTS)

    # The open share page shows the image without a reload.
    image = shared.locator(f"#item-1 ul.images img[src='/share/{share}/files/{file_id}/thumbnail']")
    expect(image).to_be_visible(timeout=10_000)
    passed(f"[{language}] the open share page showed the new image without a reload")

    # Opened afresh, its thumbnail links to the whole image, and both load.
    shared.goto(clubd.base + f"/share/{share}")
    expect(image).to_have_attribute("alt", CAPTION[language])
    loaded(shared, image, f"[{language}] the thumbnail on the share page")
    full = shared.locator("#item-1 ul.images a")
    expect(full).to_have_attribute("href", f"/share/{share}/files/{file_id}")
    check(shared.locator("#item-2 ul.images").count() == 0, f"[{language}] the other item shows no image")
    check_page(shared, f"[{language}] the share page with an image")
    screenshots(shared, f"files-share-page-{language}", folder=SCREENSHOTS)
    # Fetched by the page itself: the browser trusts the daemon's certificate, Playwright's own requests do not.
    served = shared.evaluate("""async url => {
        const response = await fetch(url);
        const digest = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
        const hash = [...new Uint8Array(digest)].map(byte => byte.toString(16).padStart(2, "0")).join("");
        const header = name => response.headers.get(name);
        return {status: response.status, type: header("content-type"), nosniff: header("x-content-type-options"),
                policy: header("content-security-policy") || "", hash};
    }""", f"/share/{share}/files/{file_id}")
    uploaded = hashlib.sha256(open(screenshot, "rb").read()).hexdigest()
    check(served["status"] == 200 and served["type"] == "image/png" and served["hash"] == uploaded == files[0]["sha256"],
          f"[{language}] the image behind the thumbnail is the screenshot uploaded, byte for byte (SHA-256 {uploaded[:16]}…)")
    check(served["nosniff"] == "nosniff" and served["policy"].startswith("sandbox"), f"[{language}] the image is served with nosniff and a sandbox")

    # A strike re-renders the list live; the image stays.
    club.call("POST", f"/v1/fix-items/{items[1]}/strike", studio_token, {"note": "the form posts to the CRM now"}, 200)
    expect(shared.locator("#item-1")).to_have_attribute("data-state", "struck", timeout=10_000)
    expect(shared.locator("body")).to_have_attribute("data-updates", re.compile(r"^[1-9]"))
    loaded(shared, image, f"[{language}] after the live re-render of the struck item, the thumbnail")
    check_page(shared, f"[{language}] the share page after a live update")
    shared.context.close()
    console.context.close()


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else None
    with Daemon(binary) as clubd, Browser(clubd) as browser:
        print(f"clubd at {clubd.base}; Chromium {browser.version}", flush=True)
        for language in ["en", "ru"]:
            journey(clubd, browser, language)
    print("files browser test passed")


if __name__ == "__main__":
    main()
