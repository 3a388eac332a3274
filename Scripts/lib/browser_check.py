"""The client's share page in a real browser (Playwright driving headless Chromium): starts clubd
on a fresh data folder, builds an agreed fix list through the API, opens its share page, and
changes the list through the API while the page stays open — strike, reopen, strike again, an
amendment, the rest struck, the link revoked — checking after each that the page shows it without
a reload. axe-core checks the page in every state for WCAG 2.1 A and AA; screenshots at desktop
and phone widths go to artifacts/screenshots/ (ignored by git).

Usage (in .venv-browser, see Scripts/browser-test): browser_check.py [CLUBD_BINARY]"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from club_browser import Browser, Daemon, check, check_accessibility, passed, screenshots  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

FIRST = "The contact form sends leads to the CRM"
SECOND = "The landing page loads fast on mobile"
THIRD = "Ads skip searches for <script>alert('jobs')</script>"
FOURTH = "The booking button is visible without scrolling on a phone"
# A word too long for a phone's width: the page must wrap it, not scroll sideways.
LONG_URL = "https://yacht-charter.example/booking?utm_campaign=summer2027specialoffersforreturningcustomers"


def build_agreed_list(club):
    """The reference case up to an agreed final correction list (DESIGN §1 step 5)."""
    studio_token, client_token, agreed = club.agreed_fix_list([
        {"statement": FIRST, "acceptance": "a test lead appears in the CRM within a minute", "due": "2030-01-20"},
        {"statement": SECOND, "acceptance": "PageSpeed mobile score of 80 or more for " + LONG_URL, "due": "2030-01-22"},
        {"statement": THIRD, "acceptance": "the negative keywords are in the account", "due": "2020-01-25"},
    ])
    check(agreed["status"] == "agreed", "client and studio agreed the list")
    link = club.call("POST", f"/v1/fix-lists/{agreed['id']}/share-links", client_token, {}, 201)
    return studio_token, client_token, agreed, link


def progress_bar_fits(page, width):
    """At every width the progress bar keeps a useful length beside the status and the count."""
    bar = page.get_by_role("progressbar").bounding_box()
    check(bar is not None and bar["width"] >= 96, f"share page at {width} px: the progress bar is "
          f"{round(bar['width']) if bar else 0} px long (at least 96)")


def status_of(club, url):
    return club.status_of(url[len(club.base):] if url.startswith(club.base) else url)


def journey(club, browser):
    api = club.call
    studio_token, client_token, listing, link = build_agreed_list(club)
    url = link["url"]
    check(status_of(club, url) == 200, "the share link opens")
    item_ids = [item["id"] for item in listing["items"]]

    page = browser.page()
    navigations = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and navigations.append(frame.url))
    page.goto(url)
    # The list's own items (each item also lists its rounds of strikes and reopenings).
    items = page.get_by_role("main").locator("li.item")
    first, third = items.filter(has_text=FIRST), items.filter(has_text=THIRD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Final correction list")
    expect(page).to_have_title("Final correction list · Yacht Charter Ltd")
    expect(items).to_have_count(3)
    passed("the page renders the list: a heading and three items")
    expect(page.locator("body")).to_have_attribute("data-live", "connected")
    passed("the page is connected for live updates")
    loaded_at = page.evaluate("window.clubPageLoadedAt")
    expect(first).to_have_attribute("data-state", "open")
    passed("item 1 starts open")
    expect(page.get_by_role("progressbar", name="0 of 3 items struck")).to_be_visible()
    passed("the progress bar is named for assistive technology: 0 of 3 items struck")
    check(page.locator("script").count() == 1, "user text did not add a script")
    expect(third.locator(".statement")).to_have_text(THIRD)
    passed("a <script> in a statement is shown as text")
    expect(third).to_have_class("item open overdue")
    expect(third.get_by_text("overdue", exact=True)).to_be_visible()
    passed("an overdue item is highlighted and marked overdue")
    check_accessibility(page, "the share page as agreed")

    api("POST", f"/v1/fix-items/{item_ids[0]}/strike", studio_token, {"note": "deployed to production"}, 200)
    expect(first).to_have_attribute("data-state", "struck")
    passed("item 1 shows as struck")
    check(page.evaluate("window.clubPageLoadedAt") == loaded_at and len(navigations) == 1, "the page was not reloaded")
    check(page.evaluate("performance.getEntriesByType('navigation').length") == 1, "one navigation only")
    expect(first.locator(".statement")).to_have_css("text-decoration-line", "line-through")
    passed("the struck statement is struck through")
    expect(first.get_by_text("struck", exact=True)).to_be_visible()
    expect(first).to_contain_text("Struck by Pixel Hands PM")
    expect(first).to_contain_text("deployed to production")
    passed("the page says who struck it, and the studio's note")
    expect(page.locator("#progress")).to_have_text("1 of 3 struck")
    expect(page.get_by_role("progressbar", name="1 of 3 items struck")).to_have_attribute("value", "1")
    passed("the progress bar moved")

    api("POST", f"/v1/fix-items/{item_ids[0]}/reopen", client_token, {"reason": "still broken on mobile"}, 200)
    expect(first).to_have_attribute("data-state", "reopened")
    expect(first.get_by_text("reopened", exact=True)).to_be_visible()
    expect(first).to_contain_text("still broken on mobile")
    passed("item 1 shows as reopened, with the reason")
    check_accessibility(page, "the share page with a reopened item")
    api("POST", f"/v1/fix-items/{item_ids[0]}/strike", studio_token, {"note": "fixed the mobile layout"}, 200)
    expect(first).to_have_attribute("data-state", "struck")
    expect(first).to_contain_text("fixed the mobile layout")
    expect(first.locator("ol.rounds > li")).to_have_count(2)
    expect(first.locator(".note.reopen")).to_have_count(1)
    passed("item 1 is struck again: two rounds, the first struck, reopened once, the second struck")
    check_accessibility(page, "the share page with an item struck, one open, one overdue")
    screenshots(page, "share-page", checks=progress_bar_fits)

    added = api("POST", f"/v1/fix-lists/{listing['id']}/items", club.head,
                {"statement": FOURTH, "acceptance": "on a 390×844 screen the button shows on first load", "due": "2030-03-12"}, 201)
    expect(items).to_have_count(4)
    fourth = items.filter(has_text=FOURTH)
    expect(fourth.get_by_text("awaiting both sides' confirmation")).to_be_visible()
    expect(page.get_by_text("amendment awaiting confirmation")).to_be_visible()
    passed("an amendment shows as awaiting both sides' confirmation")
    check_accessibility(page, "the share page during an amendment")
    api("POST", f"/v1/fix-lists/{listing['id']}/confirm", client_token, {}, 200)
    api("POST", f"/v1/fix-lists/{listing['id']}/confirm", studio_token, {}, 200)
    expect(fourth.get_by_text("awaiting both sides' confirmation")).to_have_count(0)
    passed("the confirmed amendment is no longer pending")

    for item in [item_ids[1], item_ids[2], added["items"][-1]["id"]]:
        api("POST", f"/v1/fix-items/{item}/strike", studio_token, {"note": "done"}, 200)
    expect(page.locator("#progress")).to_have_text("4 of 4 struck")
    expect(page.locator(".status.done")).to_have_count(0)
    expect(third.get_by_text("struck late", exact=True)).to_be_visible()
    passed("every item struck, the overdue one struck late; the list waits for the client's check")
    for item in [item_ids[0], item_ids[1], item_ids[2], added["items"][-1]["id"]]:
        api("POST", f"/v1/fix-items/{item}/accept", client_token, {}, 200)
    expect(page.locator("#accepted")).to_have_text("4 of 4 accepted")
    expect(page.locator(".status.done")).to_have_text("done")
    expect(first.get_by_text("accepted", exact=True)).to_be_visible()
    passed("the client accepted every item: the list is done")
    check_accessibility(page, "the share page of a done list")
    screenshots(page, "share-page-done", checks=progress_bar_fits)

    api("DELETE", f"/v1/share-links/{link['id']}", client_token, expect=204)
    expect(page.locator("#live")).to_have_text("link expired")
    expect(page.locator("body")).to_have_attribute("data-live", "offline")
    passed("the open page says when its link is revoked, and stops listening")
    check(len(navigations) == 1, "no reload through the whole journey")
    check(not page.club_errors, "the page logged no error (no Content-Security-Policy violation)" +
          ("" if not page.club_errors else ": " + "; ".join(page.club_errors)))

    check(status_of(club, url) == 410, "a revoked link answers 410")
    check(club.status_of("/share/shr_unknown") == 404, "an unknown link answers 404")
    notice = browser.page()
    notice.goto(url)
    expect(notice.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    check_accessibility(notice, "the page of a revoked link")
    notice.goto(club.base + "/share/shr_unknown")
    expect(notice.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_accessibility(notice, "the page of an unknown link")
    screenshots(notice, "share-page-not-found")


def main():
    with Daemon(sys.argv[1] if len(sys.argv) > 1 else None) as daemon, Browser(daemon) as browser:
        print(f"     clubd at {daemon.base}; Chromium {browser.version}", flush=True)
        journey(daemon.club, browser)
    print("browser check passed")


if __name__ == "__main__":
    main()
