"""The console's mediation pages in a real browser, in Russian, by role and label: a coordinator
drafts a final correction list, watches it as the studio strikes items through the API (one of
them while the page is open, which must appear without a reload), then carries a complaint from
the meeting without the studio to the plan, the head's approval, the steps done and the
resolution. axe-core checks every page visited; screenshots of the fix list page and the
complaint page go to artifacts/screenshots/ at both widths, in Russian and English.

Alone: source Scripts/lib/system-packages.sh; source Scripts/lib/browser_env.sh; ensure_browser_env
       "$BROWSER_PYTHON" Scripts/lib/journey_mediation.py "$(swift build --show-bin-path)/clubd"
"""
import json
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from club_browser import ROOT, Browser, Daemon, check, check_accessibility, passed, screenshots  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

CATALOGS = os.path.join(ROOT, "Sources", "ClubCore", "Localization", "Catalogs")
HEAD = {"name": "Анна Королёва", "email": "anna@club.example", "password": "lantern-harbour-quartz-47"}


def words(key, language="ru", **args):
    """A text of the mediation catalog, its placeholders filled."""
    with open(os.path.join(CATALOGS, f"{language}.mediation.json")) as file:
        text = json.load(file)["texts"][key]
    for name, value in args.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def submit(page, button, path_pattern):
    """Clicks the button and waits for the POST's redirect to land on a page matching the pattern."""
    page.get_by_role("button", name=button, exact=True).click()
    expect(page).to_have_url(re.compile(path_pattern))
    page.wait_for_load_state()


# --- fix lists ------------------------------------------------------------------------------


def compose_fix_list(page, base, engagement_id, items):
    """Drafts a list through the form; items are (statement, acceptance, due_day) tuples."""
    page.goto(f"{base}/engagements/{engagement_id}/fix-lists/new")
    heading(page, words("console.fixLists.new.title"))
    check_accessibility(page, "the new fix list form")
    for number, (statement, acceptance, due) in enumerate(items, start=1):
        page.get_by_label(words("console.fixLists.row.statement", number=number), exact=True).fill(statement)
        page.get_by_label(words("console.fixLists.row.acceptance", number=number), exact=True).fill(acceptance)
        page.get_by_label(words("console.fixLists.row.due", number=number), exact=True).fill(due)
    submit(page, words("console.fixLists.new.button"), r"/fix-lists/fxl_[A-Za-z0-9_-]+$")
    fix_list_id = page.url.rsplit("/", 1)[1]
    heading(page, words("console.fixLists.title"))
    expect(page.get_by_text(words("console.fixLists.state.draft"))).to_be_visible()
    for statement, _, _ in items:
        expect(page.get_by_role("heading", name=re.compile(re.escape(statement)))).to_be_visible()
    check_accessibility(page, "the drafted fix list")
    passed(f"the draft {fix_list_id} was composed through the form with {len(items)} items")
    return fix_list_id


def progress(page):
    """(struck, total) as the page says it."""
    text = page.locator("#fix-list-live .summary").inner_text()
    pattern = re.escape(words("console.fixLists.progress")).replace(r"\{struck\}", r"(\d+)").replace(r"\{total\}", r"(\d+)")
    match = re.search(pattern, text)
    check(match is not None, f"the fix list page states its progress ({text})")
    return int(match.group(1)), int(match.group(2))


def watch_fix_list(page, base, fix_list_id, struck_count, strike_next=None):
    """The page shows the `struck_count` strikes made through the API; with `strike_next` (a call
    that strikes one more item through the API) the new strike appears without a reload."""
    page.goto(f"{base}/fix-lists/{fix_list_id}")
    heading(page, words("console.fixLists.title"))
    struck, total = progress(page)
    check(struck == struck_count, f"the fix list page shows {struck_count} struck of {total} (it says {struck})")
    struck_lines = page.locator("#fix-list-live li.struck")
    expect(struck_lines).to_have_count(struck_count)
    expect(page.get_by_text(words("console.fixLists.confirmations"), exact=True)).to_be_visible()
    check_accessibility(page, "the fix list page with strikes")
    if strike_next is None:
        return
    page.evaluate("() => { window.mediationMarker = 'not reloaded'; }")
    strike_next()
    expect(struck_lines).to_have_count(struck_count + 1)
    check(page.evaluate("() => window.mediationMarker") == "not reloaded", "the strike appeared without the page reloading")
    check(progress(page)[0] == struck_count + 1, "the progress line follows the new strike")
    expect(page.get_by_role("cell", name=words("console.fixLists.history.itemStruck", position=struck_count + 1))).to_be_visible()
    check_accessibility(page, "the fix list page after a live update")
    passed("a strike made through the API while the page was open appeared live")


# --- complaints -----------------------------------------------------------------------------


def state_line(page, state):
    expect(page.get_by_text(words("console.complaints.stateLine", state=words(f"console.complaints.state.{state}")), exact=True)).to_be_visible()


def file_complaint(page, base, engagement_id, channel, summary, demand_kind, amount):
    page.goto(f"{base}/engagements/{engagement_id}/complaints/new")
    heading(page, words("console.complaints.new.title"))
    check_accessibility(page, "the new complaint form")
    page.get_by_label(words("console.complaints.field.channel"), exact=True).fill(channel)
    page.get_by_label(words("console.complaints.field.summary"), exact=True).fill(summary)
    page.get_by_label(words(f"console.complaints.demandKind.{demand_kind}"), exact=True).check()
    if amount is not None:
        page.get_by_label(words("console.complaints.field.amount"), exact=True).fill(str(amount))
    submit(page, words("console.complaints.new.button"), r"/complaints/cmp_[A-Za-z0-9_-]+$")
    complaint_id = page.url.rsplit("/", 1)[1]
    heading(page, words("console.complaints.title"))
    state_line(page, "received")
    expect(page.get_by_text(summary)).to_be_visible()
    check_accessibility(page, "the complaint just logged")
    passed(f"the complaint {complaint_id} was logged through the form")
    return complaint_id


def acknowledge(page, base, complaint_id, channel, message, apology):
    """Records what the client was told when the complaint arrived, and whether the club apologised."""
    page.goto(f"{base}/complaints/{complaint_id}")
    form = page.get_by_role("form", name=words("console.complaints.ack.formTitle"))
    form.get_by_label(words("console.complaints.field.channel"), exact=True).fill(channel)
    form.get_by_label(words("console.complaints.field.message"), exact=True).fill(message)
    if apology:
        form.get_by_label(words("console.complaints.field.apology"), exact=True).check()
    submit(page, words("console.complaints.ack.button"), rf"/complaints/{complaint_id}$")
    expect(page.get_by_role("definition").filter(has_text=message)).to_be_visible()
    check_accessibility(page, "the complaint with its acknowledgement")
    passed("the acknowledgement to the client is on record" + (", with an apology" if apology else ""))


def record_update(page, base, complaint_id, channel, summary):
    """Records an update the club gave the client while the recovery runs."""
    page.goto(f"{base}/complaints/{complaint_id}")
    form = page.get_by_role("form", name=words("console.complaints.updates.formTitle"))
    form.get_by_label(words("console.complaints.field.channel"), exact=True).fill(channel)
    form.get_by_label(words("console.complaints.field.updateSummary"), exact=True).fill(summary)
    submit(page, words("console.complaints.updates.button"), rf"/complaints/{complaint_id}$")
    expect(page.get_by_text(summary, exact=True).first).to_be_visible()
    check_accessibility(page, "the complaint with an update to the client")
    passed(f"the update to the client is recorded: {summary}")


def record_meeting(page, base, complaint_id, facts, emotions, mode="in_person", attendees=()):
    page.goto(f"{base}/complaints/{complaint_id}")
    present = page.get_by_label(words("console.complaints.field.studiosPresent"), exact=True)
    check(not present.is_checked(), "the meeting is recorded as held without the studio by default")
    page.get_by_label(words(f"console.complaints.mode.{mode}"), exact=True).check()
    if attendees:
        page.get_by_label(words("console.complaints.field.attendees"), exact=True).fill("\n".join(attendees))
    page.get_by_label(words("console.complaints.field.facts"), exact=True).fill("\n".join(facts))
    page.get_by_label(words("console.complaints.field.emotions"), exact=True).fill("\n".join(emotions))
    submit(page, words("console.complaints.meeting.button"), rf"/complaints/{complaint_id}$")
    state_line(page, "meeting_held")
    for fact in facts:
        expect(page.get_by_role("listitem").filter(has_text=fact)).to_be_visible()
    check_accessibility(page, "the complaint after the meeting")
    passed("the meeting was recorded with facts and emotions apart")


def propose_plan(page, base, complaint_id, goals, internal_goal, steps, follow_ups, upsell, update_every=None):
    """steps: (action, owner, due_day) with owner club, client or studio; `update_every` the
    agreed rhythm of updates to the client, in days."""
    page.goto(f"{base}/complaints/{complaint_id}")
    page.get_by_label(words("console.complaints.field.goals"), exact=True).fill("\n".join(goals))
    page.get_by_label(words("console.complaints.field.internalGoals"), exact=True).fill(internal_goal)
    for number, (action, owner, due) in enumerate(steps, start=1):
        page.get_by_label(words("console.complaints.row.action", number=number), exact=True).fill(action)
        page.get_by_label(words("console.complaints.row.owner", number=number), exact=True).select_option(owner)
        page.get_by_label(words("console.complaints.row.due", number=number), exact=True).fill(due)
    page.get_by_label(words("console.complaints.field.followUps"), exact=True).fill("\n".join(follow_ups))
    page.get_by_label(words("console.complaints.field.upsell"), exact=True).fill(upsell)
    if update_every is not None:
        page.get_by_label(words("console.complaints.field.updateEveryDays"), exact=True).fill(str(update_every))
    submit(page, words("console.complaints.plan.button"), rf"/complaints/{complaint_id}$")
    state_line(page, "plan_proposed")
    for action, _, _ in steps:
        expect(page.get_by_role("cell", name=action, exact=True)).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=internal_goal)).to_contain_text(words("console.complaints.internalTag"))
    check_accessibility(page, "the complaint with a proposed plan")
    passed(f"the plan was proposed with {len(steps)} steps and an internal goal")


def approve_plan(page, base, complaint_id):
    page.goto(f"{base}/complaints/{complaint_id}")
    submit(page, words("console.complaints.approve.button"), rf"/complaints/{complaint_id}$")
    state_line(page, "plan_approved")
    expect(page.get_by_role("button", name=words("console.complaints.approve.button"), exact=True)).to_have_count(0)
    check_accessibility(page, "the complaint with an approved plan")
    passed("the head coordinator approved the plan")


def complete_steps(page, base, complaint_id):
    page.goto(f"{base}/complaints/{complaint_id}")
    group = page.get_by_role("group", name=words("console.complaints.field.completedSteps"))
    boxes = group.get_by_role("checkbox")
    count = boxes.count()
    check(count > 0, f"the page offers {count} open steps to mark done")
    for index in range(count):
        boxes.nth(index).check()
    submit(page, words("console.complaints.steps.button"), rf"/complaints/{complaint_id}$")
    expect(page.get_by_role("cell", name=words("console.complaints.notDone"), exact=True)).to_have_count(0)
    check_accessibility(page, "the complaint with its steps done")
    passed(f"{count} steps were marked done")


def resolve_complaint(page, base, complaint_id, outcome, notes, upsell, upheld="partly", reason="late, but the texts came late too"):
    page.goto(f"{base}/complaints/{complaint_id}")
    page.get_by_label(words(f"console.complaints.outcome.{outcome}"), exact=True).check()
    page.get_by_label(words("console.complaints.field.resolutionNotes"), exact=True).fill(notes)
    page.get_by_label(words("console.complaints.field.upsell"), exact=True).fill(upsell)
    # The decision on the studio is explicit, with its reason (docs/design.md §3.6).
    page.get_by_label(words(f"console.complaints.upheld.{upheld}"), exact=True).check()
    page.get_by_label(words("console.complaints.field.upheldReason"), exact=True).fill(reason)
    page.get_by_role("button", name=words("console.complaints.resolve.open"), exact=True).click()
    heading(page, words("console.complaints.resolve.question"))
    check_accessibility(page, "the question before resolving")
    submit(page, words("console.complaints.resolve.button"), rf"/complaints/{complaint_id}$")
    state_line(page, "resolved")
    expect(page.get_by_text(words(f"console.complaints.outcome.{outcome}"), exact=True)).to_be_visible()
    expect(page.get_by_text(words(f"console.complaints.upheld.{upheld}"), exact=True)).to_be_visible()
    check_accessibility(page, "the resolved complaint")
    passed(f"the complaint was resolved: {outcome}, upheld {upheld}")


# --- alone ----------------------------------------------------------------------------------


def seed_engagement(club):
    """A vetted studio, a client, a matched request and its engagement; the studio's and the
    client's API tokens."""
    head = club.head
    studio = club.call("POST", "/v1/studios", head, {"name": "Pixel Hands", "competences": ["landing"], "regions": ["RU-MOW"],
                                                     "budgetMin": 100000, "budgetMax": 2000000, "capacity": 3}, 201)["id"]
    for kind in ["portfolio", "references", "trial_task", "interview"]:
        club.call("POST", f"/v1/studios/{studio}/vetting-checks", head, {"kind": kind, "passed": True}, 201)
    club.call("POST", f"/v1/studios/{studio}/decisions", head, {"decision": "admit", "reason": "all checks passed"}, 201)
    client = club.call("POST", "/v1/clients", head, {"name": "Яхт Чартер", "contacts": [{"name": "Олег"}]}, 201)["id"]
    request = club.call("POST", "/v1/requests", head, {"clientId": client, "statedAsk": "Лендинг для аренды яхт", "businessGoal": "заявки из интернета",
                                                       "budget": 600000, "deadline": "2030-02-01", "region": "RU-MOW"}, 201)["id"]
    club.call("PATCH", f"/v1/requests/{request}", head, {"requiredCompetences": ["landing"], "rationale": "нужен лендинг"}, 200)
    club.call("POST", f"/v1/requests/{request}/shortlist", head, {"size": 3}, 201)
    studio_token = club.call("POST", "/v1/tokens", head, {"role": "studio", "studioId": studio, "name": "Павел, Pixel Hands"}, 201)["token"]
    client_token = club.call("POST", "/v1/tokens", head, {"role": "client", "clientId": client, "name": "Олег"}, 201)["token"]
    referral = club.call("POST", f"/v1/requests/{request}/referrals", head, {"studioIds": [studio]}, 201)["items"][0]["id"]
    club.call("POST", f"/v1/referrals/{referral}/answer", studio_token, {"accept": True}, 200)
    engagement = club.call("POST", f"/v1/requests/{request}/engagements", head, {"studioId": studio}, 201)["id"]
    return engagement, studio_token, client_token


def invite_russian_head(daemon):
    arguments = [daemon.binary, "person", "invite", "--data", daemon.data, "--config", os.path.join(ROOT, "Config", "clubd.json"),
                 "--email", HEAD["email"], "--role", "coordinator", "--name", HEAD["name"], "--language", "ru", "--head"]
    result = subprocess.run(arguments, capture_output=True, text=True, timeout=60)
    check(result.returncode == 0, f"clubd person invite exits 0 ({result.stderr.strip()[-300:]})")
    link = result.stdout.strip().splitlines()[0]
    return daemon.base + "/invitations/" + link.rsplit("/invitations/", 1)[1]


def both_languages(page, name):
    """Screenshots in Russian, then in English (the switch), then back to Russian."""
    screenshots(page, f"{name}-ru")
    url = page.url.split("?")[0]
    page.goto(url + "?lang=en")
    check_accessibility(page, f"{name} in English")
    screenshots(page, f"{name}-en")
    page.goto(url + "?lang=ru")


def main():
    from console_check import set_password, sign_in  # the door, shared with the console check

    started = time.monotonic()
    with Daemon(sys.argv[1] if len(sys.argv) > 1 else None) as daemon, Browser(daemon) as browser:
        club = daemon.club
        engagement, studio_token, client_token = seed_engagement(club)
        page = browser.page()
        set_password(page, invite_russian_head(daemon), HEAD, "the Russian head coordinator")
        answer = sign_in(page, daemon.base, HEAD["email"], HEAD["password"])
        check(answer.status == 303, f"the head coordinator signs in (got {answer.status})")

        items = [("Форма заявки отправляет лиды в CRM", "тестовая заявка появляется в CRM за минуту", "2030-01-10"),
                 ("Страница быстро грузится на телефоне", "PageSpeed на мобильных не ниже 80", "2030-01-12"),
                 ("Цены указаны за день и за неделю", "обе цены на каждой карточке яхты", "2030-01-12")]
        fix_list_id = compose_fix_list(page, daemon.base, engagement, items)
        club.call("POST", f"/v1/fix-lists/{fix_list_id}/confirm", client_token, {}, 200)
        agreed = club.call("POST", f"/v1/fix-lists/{fix_list_id}/confirm", studio_token, {}, 200)
        item_ids = [item["id"] for item in agreed["items"]]
        club.call("POST", f"/v1/fix-items/{item_ids[0]}/strike", studio_token, {"note": "форма подключена к вебхуку CRM"}, 200)
        watch_fix_list(page, daemon.base, fix_list_id, 1,
                       strike_next=lambda: club.call("POST", f"/v1/fix-items/{item_ids[1]}/strike", studio_token,
                                                     {"note": "картинки сжаты, PageSpeed 86"}, 200))
        both_languages(page, "console-fix-list")

        complaint_id = file_complaint(page, daemon.base, engagement, "телефон", "лендинг опаздывает, форма теряет заявки", "refund", 300000)
        record_meeting(page, daemon.base, complaint_id, ["релиз обещали на 4-й неделе, на 6-й его нет", "три тестовые заявки не дошли до CRM"],
                       ["Олег чувствует, что его не слышат", "боится, что сезон начнётся без сайта"])
        screenshots(page, "console-complaint-plan-ru")  # the plan form, before it is filled
        propose_plan(page, daemon.base, complaint_id, ["выполнить обещанное и выпустить сайт", "вернуть доверие клиента"],
                     "поговорить со студией о неконструктивной критике",
                     [("согласовать финальный список правок", "club", "2030-01-05"), ("исправить и выпустить лендинг", "studio", "2030-01-15")],
                     ["еженедельный созвон с Олегом до релиза"], "настройка CRM от партнёров")
        approve_plan(page, daemon.base, complaint_id)
        complete_steps(page, daemon.base, complaint_id)
        resolve_complaint(page, daemon.base, complaint_id, "retained", "сайт выпущен по согласованному списку, без возврата", "настройка CRM")
        both_languages(page, "console-complaint")
        errors = page.club_errors
        check(not errors, "the pages logged no error (no Content-Security-Policy violation)" + ("" if not errors else ": " + "; ".join(errors)))
    print(f"mediation journey passed in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
